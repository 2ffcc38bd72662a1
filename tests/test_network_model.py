"""The network data contract: validation errors, config loading, graph tiers and their conversion."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from govlab.errors import ConfigError, InputError
from govlab.network import (
    convert,
    load_locality_config,
    make_locality,
    member_platform_graph,
    multi_source_hops,
    resident_matrix,
    synthesize,
    synthetic_resident_graph,
    to_networkx,
    validate,
)
from govlab.network.config import config_from_dict, config_provenance, list_locality_configs


def tiny_tables():
    """A fictional county: two townships, two villages, one member, one room."""
    units = pd.DataFrame({
        "unit_id": ["K", "K-T1", "K-T2", "K-T1-V1", "K-T2-V1"],
        "name": ["county", "t1", "t2", "v1", "v2"],
        "level": ["county", "township", "township", "village", "village"],
        "parent_id": [None, "K", "K", "K-T1", "K-T2"],
        "population": [300, 100, 200, 100, 200], "urban": [False] * 5, "share_away": [0.2] * 5,
        "x": [0.0, 1.0, -1.0, 1.5, -1.5], "y": [0.0] * 5, "subtype": ["county", "town", "town", "village", "village"]})
    members = pd.DataFrame({"member_id": ["M1"], "level": ["county"], "committee_unit_id": ["K"], "sector": ["education"],
                            "party": ["CDL"], "profession": ["teacher"], "home_unit_id": ["K-T2-V1"], "hours_per_year": [40.0]})
    platforms = pd.DataFrame({"platform_id": ["P1"], "type": ["workstation"], "unit_id": ["K-T1"], "head_member_id": ["M1"],
                              "head_is_cadre": [False], "has_deputy": [False], "six_haves": [6], "online": [False], "sector": [None]})
    assignments = pd.DataFrame({"member_id": ["M1"], "platform_id": ["P1"], "role": ["head"]})
    orgs = pd.DataFrame({"org_id": ["O1"], "kind": ["committee"], "unit_id": ["K"], "name": ["county CPPCC"],
                         "party": [None], "sector": [None]})
    residents = pd.DataFrame({"stratum_id": ["R1", "R2"], "unit_id": ["K-T1-V1", "K-T2-V1"], "age_group": ["35-59", "35-59"],
                              "gender": ["male", "female"], "migrant": [False, False], "occupation": ["farmer", "farmer"],
                              "count": [100, 200]})
    return dict(units=units, members=members, platforms=platforms, assignments=assignments, organisations=orgs,
                residents=residents)


def test_tiny_locality_validates_and_fills_optional_tables():
    loc = make_locality("tiny", tiny_tables())
    assert validate(loc) is loc
    assert list(loc.ties.columns) == ["source", "target", "kind"] and len(loc.ties) == 0


@pytest.mark.parametrize("table,column,row,value,message", [
    ("units", "parent_id", 3, "K-T9", "parent unit 'K-T9' not found"),
    ("assignments", "platform_id", 0, "P9", "platform 'P9' not found"),
    ("units", "population", 1, -5, "negative population"),
    ("units", "share_away", 2, 1.5, "outside [0, 1]"),
    ("members", "party", 0, "Whig", "unknown value 'Whig'"),
    ("members", "home_unit_id", 0, "nowhere", "unit 'nowhere' not found"),
    ("platforms", "six_haves", 0, 7, "outside 0..6"),
])
def test_validation_names_table_column_and_value(table, column, row, value, message):
    t = tiny_tables()
    t[table].loc[row, column] = value
    with pytest.raises(InputError) as exc:
        make_locality("tiny", t)
    assert message in str(exc.value)
    assert f"{table}.{column}" in str(exc.value)
    assert "locality 'tiny'" in str(exc.value)


def test_duplicate_ids_within_and_across_tables():
    t = tiny_tables()
    t["residents"].loc[1, "stratum_id"] = "R1"
    with pytest.raises(InputError, match="duplicate id 'R1'"):
        make_locality("tiny", t)
    t = tiny_tables()
    t["platforms"].loc[0, "platform_id"] = "M1"  # clashes with a member id
    t["assignments"].loc[0, "platform_id"] = "M1"
    with pytest.raises(InputError, match="already used in members"):
        make_locality("tiny", t)


def test_missing_column_is_reported():
    t = tiny_tables()
    t["units"] = t["units"].drop(columns="share_away")
    with pytest.raises(InputError, match="missing columns"):
        make_locality("tiny", t)


def test_replace_revalidates():
    loc = make_locality("tiny", tiny_tables())
    bad = loc.assignments.assign(platform_id="nope")
    with pytest.raises(InputError, match="platform 'nope' not found"):
        loc.replace(assignments=bad)


# ---------------------------------------------------------------- configs
def test_shipped_configs_are_the_five_reports():
    assert list_locality_configs() == ["gansu-extension", "nantong-youshi", "prov-x-survey", "shangyou-620",
                                       "xx-city-districts"]
    for name in list_locality_configs():
        cfg = load_locality_config(name)
        assert cfg.doc_id == name == cfg.id


@pytest.mark.parametrize("name", ["gansu-extension", "nantong-youshi", "prov-x-survey", "shangyou-620", "xx-city-districts"])
def test_every_figure_has_a_source_or_is_an_assumption(name):
    prov = config_provenance(load_locality_config(name))
    assert len(prov) > 20
    unspecified = prov[prov["status"] == "unspecified"]
    assert unspecified.empty, unspecified["key"].tolist()
    # each report is cited by its own config, with a fact
    own = prov[prov["doc_id"] == name]
    assert len(own) >= 2 and own["fact"].notna().all()


def test_unknown_key_rejected_with_key_path(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("extends: %s\nmembers:\n  committees:\n    county:\n      sise: 3\n"
                 % load_locality_config("shangyou-620").source, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_locality_config(p)
    assert "members.committees.county.sise" in str(exc.value) and "unknown key" in str(exc.value)
    assert "bad.yaml" in str(exc.value)


def test_config_value_errors():
    base = load_locality_config("shangyou-620").to_dict()
    bad = {**base, "sinking": {**base["sinking"], "share": 1.4}}
    with pytest.raises(ConfigError, match=r"sinking\.share: expected a number <= 1.0"):
        config_from_dict(bad)
    bad = {**base, "scale": {"value": 0.5}}
    with pytest.raises(ConfigError, match="needs doc_id"):
        config_from_dict(bad)
    bad = {**base, "scale": {"value": 0.5, "doc_id": "shangyou-620"}}
    with pytest.raises(ConfigError, match="needs a fact"):
        config_from_dict(bad)
    parties = dict(base["members"]["parties"], CPC=0.9)
    with pytest.raises(ConfigError, match="members.parties: shares sum to"):
        config_from_dict({**base, "members": {**base["members"], "parties": parties}})


def test_missing_config_and_overrides():
    with pytest.raises(ConfigError, match="no such locality config"):
        load_locality_config("atlantis")
    cfg = load_locality_config("gansu-extension", overrides={"scale": 0.1, "sinking.share": 0.5})
    assert cfg.scale == 0.1 and cfg.get("sinking.share") == 0.5
    assert load_locality_config("gansu-extension").scale == 0.05  # the original is unchanged
    row = config_provenance(cfg).set_index("key").loc["sinking.share"]
    assert "overridden" in row["note"]


# ---------------------------------------------------------------- graph tiers
@pytest.fixture(scope="module")
def shangyou():
    return synthesize("shangyou-620", seed=3)


def test_typed_graph_has_kinds_and_hierarchy(shangyou):
    G = to_networkx(shangyou)
    kinds = nx.get_node_attributes(G, "kind")
    assert sum(k == "member" for k in kinds.values()) == len(shangyou.members)
    assert sum(k == "platform" for k in kinds.values()) == len(shangyou.platforms)
    assert G.nodes["K-T01"]["level"] == "township"
    assert G.edges["K-T01", "K"]["kind"] == "within"
    assert all(G.nodes[m]["party"] in {"CPC", "RCCK", "CDL", "CNDCA", "CAPD", "CPWDP", "CZGP", "Jiusan", "TDSGL", "non-party"}
               for m in shangyou.members["member_id"])


def test_convert_round_trip_keeps_graph(shangyou):
    G = to_networkx(shangyou)
    S = convert(G, attrs=("kind", "level"))
    assert S.matrix.shape == (G.number_of_nodes(),) * 2
    assert (S.matrix != S.matrix.T).nnz == 0
    back = convert(S, weight=None)
    assert set(back.edges()) == {tuple(e) for e in G.edges()} or nx.utils.edges_equal(back.edges(), G.edges())
    assert nx.get_node_attributes(back, "kind") == nx.get_node_attributes(G, "kind")


def test_resident_matrix_shapes_and_symmetry(shangyou):
    R = resident_matrix(shangyou)
    n = len(shangyou.residents) + len(shangyou.units) + len(shangyou.platforms) + len(shangyou.members)
    assert R.adjacency.shape == (n, n)
    assert (R.adjacency != R.adjacency.T).nnz == 0
    assert R.incidence.shape == (len(shangyou.residents), len(shangyou.units))
    assert R.incidence.sum() == shangyou.residents["count"].sum()
    g = convert(R, weight=None)
    assert g.number_of_nodes() == n


def test_multi_source_hops_matches_networkx():
    G = nx.gnm_random_graph(300, 600, seed=4)
    A = nx.to_scipy_sparse_array(G, format="csr")
    src = np.array([0, 17, 150])
    got = multi_source_hops(A, src)
    ref = nx.multi_source_dijkstra_path_length(G, set(src.tolist()))
    assert all(got[v] == ref.get(v, np.inf) for v in G)
    lim = multi_source_hops(A, src, limit=1)
    assert np.isinf(lim[got > 1]).all() and (lim[got <= 1] == got[got <= 1]).all()


def test_synthetic_resident_graph_is_seeded_simple_and_sized():
    A, nodes = synthetic_resident_graph(20_000, 60_000, seed=5)
    B, _ = synthetic_resident_graph(20_000, 60_000, seed=5)
    assert (A != B).nnz == 0
    assert (A != A.T).nnz == 0 and A.diagonal().sum() == 0
    assert 0.97 * 60_000 <= A.nnz // 2 <= 60_000
    assert set(nodes["kind"]) == {"resident", "platform", "member", "organisation"}


def test_member_platform_graph_is_bipartite(shangyou):
    B = member_platform_graph(shangyou)
    assert nx.is_bipartite(B)
    assert B.number_of_edges() == len(shangyou.assignments.drop_duplicates(["member_id", "platform_id"]))
