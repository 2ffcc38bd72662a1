"""Worked examples for every network measure."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite
from test_network_model import tiny_tables

from govlab.network import make_locality, synthesize
from govlab.network.measures import (
    ROLES,
    affiliation_network,
    all_measures,
    bipartite_centrality,
    blau_index,
    coverage_indicators,
    dissimilarity_index,
    ei_index,
    fragmentation,
    gould_fernandez,
    head_rotation,
    measures_summary,
    member_network,
    member_sinking,
    participation_profile,
    platform_diversity,
    reach,
    reach_summary,
    representativeness,
    sampled_betweenness,
    station_standards,
    unit_coverage,
)
from govlab.network.measures.brokerage import exact_betweenness


# ---------------------------------------------------------------- Gould-Fernandez
def gf_example():
    """Groups A = {0, 1, 2}, B = {3, 4}, C = {5}. Node 1 holds one of each of four roles,
    node 5 and node 3 are liaisons."""
    G = nx.DiGraph([(0, 1), (3, 1), (1, 2), (1, 4), (0, 5), (5, 3)])
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "A", 3: "B", 4: "B", 5: "C"}, "g")
    return G


def test_gould_fernandez_worked_example():
    gf = gould_fernandez(gf_example(), "g", n_permutations=0).set_index("node")
    assert gf.loc[1, list(ROLES)].tolist() == [1, 1, 1, 1, 0]
    assert gf.loc[5, list(ROLES)].tolist() == [0, 0, 0, 0, 1]
    assert gf.loc[3, list(ROLES)].tolist() == [0, 0, 0, 0, 1]  # 5 (C) -> 3 (B) -> 1 (A)
    assert gf.loc[[0, 2, 4], "total"].tolist() == [0, 0, 0]


def test_gould_fernandez_ignores_closed_pairs():
    G = gf_example()
    G.add_edge(0, 2)  # closes the coordinator pair 0 -> 1 -> 2
    gf = gould_fernandez(G, "g", n_permutations=0).set_index("node")
    assert gf.loc[1, "coordinator"] == 0 and gf.loc[1, "total"] == 3


def brute_force_gf(G, attr):
    out = {v: dict.fromkeys(ROLES, 0) for v in G}
    for v in G:
        for a in G.predecessors(v):
            for b in G.successors(v):
                if a == b or G.has_edge(a, b):
                    continue
                ga, gv, gb = G.nodes[a][attr], G.nodes[v][attr], G.nodes[b][attr]
                role = ("coordinator" if ga == gv == gb else "itinerant" if ga == gb else
                        "representative" if ga == gv else "gatekeeper" if gv == gb else "liaison")
                out[v][role] += 1
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_gould_fernandez_matches_brute_force(seed):
    G = nx.gnp_random_graph(40, 0.12, seed=seed, directed=True)
    rng = np.random.default_rng(seed)
    nx.set_node_attributes(G, {v: "ABC"[rng.integers(3)] for v in G}, "g")
    gf = gould_fernandez(G, "g", n_permutations=0).set_index("node")
    ref = brute_force_gf(G, "g")
    for v in G:
        assert gf.loc[v, list(ROLES)].tolist() == [ref[v][r] for r in ROLES]


def test_gould_fernandez_undirected_counts_both_directions():
    G = nx.Graph([(0, 1), (1, 2)])
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B"}, "g")
    gf = gould_fernandez(G, "g", n_permutations=0).set_index("node")
    assert gf.loc[1, ["representative", "gatekeeper"]].tolist() == [1, 1]


def test_gould_fernandez_permutation_null_is_seeded_and_sane():
    G = nx.gnp_random_graph(60, 0.08, seed=3, directed=True)
    nx.set_node_attributes(G, {v: "AB"[v % 2] for v in G}, "g")
    a = gould_fernandez(G, "g", n_permutations=40, seed=9)
    b = gould_fernandez(G, "g", n_permutations=40, seed=9)
    c = gould_fernandez(G, "g", n_permutations=40, seed=10)
    pd.testing.assert_frame_equal(a, b)
    assert not a["liaison_expected"].equals(c["itinerant_expected"])
    # with two groups there are no liaisons, and the expected total per node equals the observed total
    assert (a["liaison"] == 0).all()
    exp_total = a[[f"{r}_expected" for r in ROLES]].sum(axis=1)
    assert np.allclose(exp_total, a["total"])


def test_permute_subset_keeps_other_labels_fixed():
    G = nx.Graph([("m1", "p"), ("m2", "p")])
    nx.set_node_attributes(G, {"m1": "X", "m2": "Y", "p": "platform"}, "g")
    gf = gould_fernandez(G, "g", n_permutations=10, seed=0, permute=["m1", "m2"]).set_index("node")
    assert gf.loc["p", "liaison"] == 2 and gf.loc["p", "liaison_expected"] == 2.0


def _conditional_expectation(G, attr):
    """Gould & Fernandez's conditional expectation: each open two-path through v, with v's own group
    g fixed and the ends drawn without replacement from the other n - 1 labels."""
    from collections import Counter

    from govlab.network.measures.brokerage import _adjacency, open_two_paths

    labels = nx.get_node_attributes(G, attr)
    nodes, A = _adjacency(G)
    a, v, b = open_two_paths(A)
    paths = np.bincount(v, minlength=len(nodes))
    N, T = Counter(labels.values()), len(nodes) - 1
    out = {}
    for i, node in enumerate(nodes):
        g = labels[node]
        M = {h: N[h] - (h == g) for h in N}
        pair = T * (T - 1)
        pc = M[g] * (M[g] - 1) / pair
        pi = sum(M[h] * (M[h] - 1) for h in M if h != g) / pair
        pr = M[g] * (T - M[g]) / pair
        out[node] = paths[i] * np.array([pc, pi, pr, pr, 1 - pc - pi - 2 * pr])
    return out


def test_conditional_null_is_the_default_and_matches_gould_fernandez_expectations():
    G = nx.gnp_random_graph(25, 0.2, seed=1)
    nx.set_node_attributes(G, {v: "ABC"[(v * 7) % 3] if v != 0 else "D" for v in G}, "g")
    gf = gould_fernandez(G, "g", n_permutations=3000, seed=1).set_index("node")
    assert gf.equals(gould_fernandez(G, "g", n_permutations=3000, seed=1, null="conditional").set_index("node"))
    ref = _conditional_expectation(G, "g")
    cols = [f"{r}_expected" for r in ROLES]
    for node, exp in ref.items():
        got = gf.loc[node, cols].to_numpy(float)
        se = gf.loc[node, [f"{r}_sd" for r in ROLES]].to_numpy(float) / np.sqrt(3000)
        assert np.all(np.abs(got - exp) <= 5 * se + 1e-9), (node, got, exp)
    # node 0 is alone in its group: with its own label held fixed it can be no coordinator and no
    # representative; the unconditional null, which moves its label too, expects some of both
    assert gf.loc[0, "coordinator_expected"] == 0 and gf.loc[0, "representative_expected"] == 0
    un = gould_fernandez(G, "g", n_permutations=300, seed=1, null="unconditional").set_index("node")
    assert un.loc[0, "coordinator_expected"] > 0 and un.loc[0, "representative_expected"] > 0
    with pytest.raises(ValueError, match="unknown null"):
        gould_fernandez(G, "g", null="sna")


def test_conditional_null_respects_permute_subset():
    G = nx.Graph([("m1", "p"), ("m2", "p"), ("m1", "q"), ("m3", "q")])
    nx.set_node_attributes(G, {"m1": "X", "m2": "Y", "m3": "X", "p": "platform", "q": "platform"}, "g")
    gf = gould_fernandez(G, "g", n_permutations=50, seed=0, permute=["m1", "m2", "m3"]).set_index("node")
    # platforms keep their label; the member ends are shuffled among members only
    exp = gf.loc[["p", "q"], [f"{r}_expected" for r in ROLES]].sum(axis=1)
    assert np.allclose(exp, gf.loc[["p", "q"], "total"])
    assert gf.loc["m1", "total"] == gf.loc["m1", [f"{r}_expected" for r in ROLES]].sum()


# ---------------------------------------------------------------- E-I
def test_ei_index_on_known_mixing():
    # groups A = {0, 1, 2}, B = {3, 4}; internal ties 0-1, 1-2, 3-4; external 2-3
    G = nx.Graph([(0, 1), (1, 2), (3, 4), (2, 3)])
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "A", 3: "B", 4: "B"}, "g")
    ei = ei_index(G, "g").set_index("group")
    assert ei.loc["all", ["internal", "external"]].tolist() == [3, 1]
    assert ei.loc["all", "ei"] == pytest.approx(-0.5)
    # possible: internal 3 + 1 = 4, external 6; expected (6 - 4) / 10
    assert ei.loc["all", "expected"] == pytest.approx(0.2)
    # densities: external 1/6, internal 3/4
    assert ei.loc["all", "ei_rescaled"] == pytest.approx((1 / 6 - 3 / 4) / (1 / 6 + 3 / 4))
    assert ei.loc["A", "ei"] == pytest.approx((1 - 2) / 3)
    assert ei.loc["B", "ei"] == pytest.approx(0.0)


def test_ei_extremes():
    G = nx.complete_bipartite_graph(3, 3)
    nx.set_node_attributes(G, {v: "A" if v < 3 else "B" for v in G}, "g")
    assert ei_index(G, "g").set_index("group").loc["all", "ei"] == 1.0
    H = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    nx.set_node_attributes(H, {v: "A" if v < 3 else "B" for v in H}, "g")
    assert ei_index(H, "g").set_index("group").loc["all", "ei_rescaled"] == -1.0


# ---------------------------------------------------------------- diversity and dissimilarity
def test_blau_and_dissimilarity_worked_examples():
    assert blau_index(["a", "a", "b", "b"]) == 0.5
    assert blau_index(["a", "b", "c", "d"]) == 0.75
    assert blau_index(["a", "b"], n_categories=4, normalised=True) == pytest.approx(0.5 / 0.75)
    assert np.isnan(blau_index([]))
    assert dissimilarity_index([30, 70], [50, 50]) == pytest.approx(0.2)
    assert dissimilarity_index([10, 20, 70], [20, 30, 50]) == pytest.approx(0.2)
    assert dissimilarity_index([1, 2], [2, 4]) == 0.0


def tiny_with_attendance():
    t = tiny_tables()
    t["residents"] = pd.DataFrame({
        "stratum_id": ["R1", "R2", "R3", "R4"], "unit_id": ["K-T1-V1", "K-T1-V1", "K-T2-V1", "K-T2-V1"],
        "age_group": ["15-34", "60+", "15-34", "60+"], "gender": ["male", "female", "female", "male"],
        "migrant": [True, False, False, False], "occupation": ["non_public_worker", "retired", "farmer", "retired"],
        "count": [50, 50, 100, 100]})
    t["events"] = pd.DataFrame({"event_id": ["E1"], "platform_id": ["P1"], "year": [2020], "kind": ["consultation"],
                                "topic_source": ["residents"], "n_participants": [10]})
    t["attendance"] = pd.DataFrame({"event_id": ["E1", "E1"], "stratum_id": ["R2", "R4"], "count": [4, 6]})
    return make_locality("tiny", t)


def test_representativeness_worked_example():
    loc = tiny_with_attendance()
    rep = representativeness(loc).set_index("dimension")
    # population: 15-34 = 150, 60+ = 150; participants all 60+  -> D = 0.5
    assert rep.loc["age_group", "dissimilarity"] == pytest.approx(0.5)
    # migrant: population 50 of 300 migrant, participants 0 -> D = 50/300
    assert rep.loc["migrant", "dissimilarity"] == pytest.approx(50 / 300)
    assert rep.loc["age_group", "most_under"] == "15-34"
    prof = participation_profile(loc).set_index(["dimension", "category"])
    assert prof.loc[("gender", "male"), "participants"] == 6


def test_platform_diversity():
    t = tiny_tables()
    t["members"] = pd.concat([t["members"], t["members"].assign(member_id="M2", party="CPC", sector="economy")])
    t["assignments"] = pd.DataFrame({"member_id": ["M1", "M2"], "platform_id": ["P1", "P1"], "role": ["head", "sunk"]})
    d = platform_diversity(make_locality("tiny", t)).set_index("platform_id")
    assert d.loc["P1", "blau_party"] == 0.5 and d.loc["P1", "parties"] == 2
    assert d.loc["P1", "iqv_party"] == pytest.approx(0.5 / 0.9)


# ---------------------------------------------------------------- coverage and reach
def test_coverage_and_sinking_on_tiny_locality():
    loc = make_locality("tiny", tiny_tables())
    cov = unit_coverage(loc).set_index(["level", "type"])
    assert cov.loc[("township", "any"), "share"] == 0.5
    assert cov.loc[("township", "any"), "population_share"] == pytest.approx(100 / 300)
    assert cov.loc[("village", "any"), "covered"] == 0
    s = member_sinking(loc).set_index("level")
    assert s.loc["all", "share_to_township"] == 1.0
    c = coverage_indicators(loc)
    assert set(c["measure"]) >= {"unit_coverage", "members_sunk", "stations_meeting_4x", "six_haves_full"}


def test_station_standards_counts_the_4x_quotas():
    loc = tiny_with_attendance()
    events = pd.DataFrame({"event_id": [f"E{i}" for i in range(1, 15)], "platform_id": "P1", "year": 2020,
                           "kind": ["consultation"] * 4 + ["opinion_info"] * 10, "topic_source": "residents",
                           "n_participants": [10] * 4 + [0] * 10})
    ok = loc.replace(events=events, attendance=loc.attendance)
    st = station_standards(ok, quotas={"consultations": 4, "opinion_info": 10}).set_index("type")
    assert st.loc["workstation", "meets_4x"] == 1.0
    short = loc.replace(events=events.iloc[1:], attendance=loc.attendance.iloc[:0])
    st = station_standards(short, quotas={"consultations": 4, "opinion_info": 10}).set_index("type")
    assert st.loc["workstation", "meets_4x"] == 0.0 and st.loc["workstation", "meets_opinion_info"] == 1.0


def test_reach_hops_on_tiny_locality():
    loc = make_locality("tiny", tiny_tables())
    r = reach(loc, members_home=False).set_index("stratum_id")
    # R1 lives in V1 under T1, which hosts the workstation: stratum - V1 - T1 - P1 = 3 hops
    assert r.loc["R1", "hops_to_platform"] == 3
    assert r.loc["R1", "hops_to_member"] == 4
    # R2 in V2 under T2: stratum - V2 - T2 - K - T1 - P1 = 5
    assert r.loc["R2", "hops_to_platform"] == 5
    assert r.loc["R1", "km_to_platform"] == pytest.approx(0.5)
    home = reach(loc, members_home=True).set_index("stratum_id")
    assert home.loc["R2", "hops_to_member"] == 2  # the member lives in R2's village
    s = reach_summary(r.reset_index()).set_index(["group", "measure"])["value"]
    assert s[("all", "platform_within_3_hops")] == pytest.approx(100 / 300)
    assert s[("all", "last_mile_gap")] == 1.0


def test_reach_on_nantong_every_village_has_a_room():
    loc = synthesize("nantong-youshi", seed=0)
    r = reach(loc)
    assert (r["hops_to_platform"] == 2).all()
    s = reach_summary(r).set_index(["group", "measure"])["value"]
    assert s[("all", "last_mile_gap")] == 0.0


# ---------------------------------------------------------------- centralities
def test_bipartite_centrality_matches_networkx():
    B = bipartite.random_graph(25, 15, 0.12, seed=7)
    top = [v for v, d in B.nodes(data=True) if d["bipartite"] == 0]
    got = bipartite_centrality(B, top).set_index("node")
    for name, ref in (("degree", bipartite.degree_centrality(B, top)),
                      ("closeness", bipartite.closeness_centrality(B, top)),
                      ("betweenness", bipartite.betweenness_centrality(B, top))):
        assert max(abs(got.loc[v, name] - ref[v]) for v in B) < 1e-12, name


@pytest.mark.parametrize("directed", [False, True])
def test_exact_betweenness_igraph_equals_networkx(directed):
    pytest.importorskip("igraph")
    G = nx.gnp_random_graph(50, 0.08, seed=4, directed=directed)
    G.add_node("isolated")
    ref = nx.betweenness_centrality(G, normalized=False)
    got = exact_betweenness(G, backend="igraph")
    assert list(got) == list(ref) and max(abs(got[v] - ref[v]) for v in G) < 1e-9
    assert exact_betweenness(G, backend="networkx") == ref
    full = sampled_betweenness(G, k=None).set_index("node")["betweenness"]
    norm = nx.betweenness_centrality(G)
    assert max(abs(full[v] - norm[v]) for v in G) < 1e-12
    with pytest.raises(ValueError, match="unknown backend"):
        exact_betweenness(G, backend="sna")


def test_sampled_betweenness_is_seeded_and_exact_when_k_covers_graph():
    G = nx.karate_club_graph()
    exact = nx.betweenness_centrality(G)
    full = sampled_betweenness(G, k=100).set_index("node")["betweenness"]
    assert all(abs(full[v] - exact[v]) < 1e-12 for v in G)
    a = sampled_betweenness(G, k=10, seed=1)
    b = sampled_betweenness(G, k=10, seed=1)
    c = sampled_betweenness(G, k=10, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a["betweenness"].equals(c["betweenness"])


# ---------------------------------------------------------------- robustness
def test_head_rotation_with_and_without_deputies():
    t = tiny_tables()
    t["platforms"] = pd.DataFrame({"platform_id": ["P1", "P2"], "type": "workstation", "unit_id": ["K-T1", "K-T2"],
                                   "head_member_id": ["M1", "M1"], "head_is_cadre": [True, True],
                                   "has_deputy": [True, False], "six_haves": 6, "online": False, "sector": None})
    hr = head_rotation(make_locality("tiny", t), p_rotate=1.0).set_index("scenario")
    assert hr.loc["with_deputies", "share_continuing"] == 0.5
    assert hr.loc["with_deputies", "residents_share"] == pytest.approx(100 / 300)
    assert hr.loc["without_deputies", "share_continuing"] == 0.0
    none = head_rotation(make_locality("tiny", t), p_rotate=0.0).set_index("scenario")
    assert none.loc["without_deputies", "share_continuing"] == 1.0


def test_fragmentation_removing_all_platforms_cuts_reach():
    loc = make_locality("tiny", tiny_tables())
    f = fragmentation(loc, remove="platforms", fractions=(0.0, 1.0), n_reps=1).set_index("fraction")
    assert f.loc[0.0, "residents_within_k"] == pytest.approx(100 / 300)
    assert f.loc[1.0, "residents_within_k"] == 0.0
    assert f.loc[1.0, "removed"] == 1


def test_fragmentation_is_seeded_and_monotone_on_a_county():
    loc = synthesize("shangyou-620", seed=0)
    a = fragmentation(loc, remove="members", fractions=(0.0, 0.5, 1.0), n_reps=2, seed=3)
    b = fragmentation(loc, remove="members", fractions=(0.0, 0.5, 1.0), n_reps=2, seed=3)
    pd.testing.assert_frame_equal(a, b)
    m = a.groupby("fraction")["residents_within_k"].mean()
    assert m.is_monotonic_decreasing and m.loc[1.0] == 0.0


# ---------------------------------------------------------------- networks and the full set
def test_member_and_affiliation_networks():
    loc = synthesize("xx-city-districts", seed=0)
    G = member_network(loc)
    assert G.number_of_nodes() == len(loc.members)
    H = affiliation_network(loc)
    groups = {d["group"] for v, d in H.nodes(data=True) if d["kind"] == "organisation"}
    assert {"RCCK", "TDSGL"} <= groups  # supervision groups and party branches carry their party
    assert nx.is_bipartite(H)


def test_all_measures_and_summary_are_reproducible():
    loc = synthesize("shangyou-620", seed=0)
    a = measures_summary(loc, n_permutations=5, betweenness_k=8, seed=1)
    b = measures_summary(loc, n_permutations=5, betweenness_k=8, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["family"]) == {"coverage", "reach", "representativeness", "brokerage", "robustness"}
    ms = all_measures(loc, n_permutations=5, betweenness_k=8)
    assert all(isinstance(df, pd.DataFrame) and len(df) for df in ms.values())
