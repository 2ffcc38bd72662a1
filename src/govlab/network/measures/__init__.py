"""Measures of a participation network, each a documented function returning a DataFrame.

=====================  ===============================================  =====================================
family                 functions                                        follows
=====================  ===============================================  =====================================
coverage               unit_coverage, member_sinking, station_standards,  the reports' own indicators (4+X, 六有)
                       platform_activity, coverage_indicators
reach                  reach, reach_summary                             multi-source BFS (scipy csgraph)
representativeness     dissimilarity_index, representativeness,         Duncan & Duncan 1955; Blau 1977
                       participation_profile, blau_index,
                       platform_diversity
brokerage              member_network, gould_fernandez,                 Gould & Fernandez 1989; Krackhardt &
                       brokerage_by_group, ei_index,                    Stern 1988; Everett & Borgatti 2012;
                       bipartite_centrality, sampled_betweenness        Borgatti & Everett 1997; Brandes & Pich 2007
robustness             head_rotation, fragmentation                     the Gansu report's term-change problem
=====================  ===============================================  =====================================

:func:`all_measures` computes every family for one locality; :func:`measures_summary` reduces them to
one long table (``measure, group, value``) for comparing localities side by side.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from govlab.network.measures.brokerage import (
    ROLES,
    affiliation_network,
    bipartite_centrality,
    brokerage_by_group,
    ei_index,
    gould_fernandez,
    member_ei_index,
    member_network,
    open_two_paths,
    sampled_betweenness,
)
from govlab.network.measures.coverage import (
    coverage_indicators,
    member_sinking,
    platform_activity,
    station_standards,
    unit_coverage,
)
from govlab.network.measures.reach import reach, reach_summary
from govlab.network.measures.representativeness import (
    blau_index,
    dissimilarity_index,
    participation_profile,
    platform_diversity,
    representativeness,
)
from govlab.network.measures.robustness import fragmentation, head_rotation

__all__ = [
    "unit_coverage", "member_sinking", "platform_activity", "station_standards", "coverage_indicators",
    "reach", "reach_summary",
    "dissimilarity_index", "blau_index", "participation_profile", "representativeness", "platform_diversity",
    "member_network", "member_ei_index", "affiliation_network", "gould_fernandez", "brokerage_by_group", "ei_index", "bipartite_centrality",
    "sampled_betweenness", "open_two_paths", "ROLES",
    "head_rotation", "fragmentation", "all_measures", "measures_summary",
]


def all_measures(locality, *, seed: int = 0, n_permutations: int = 50, betweenness_k: int = 64,
                 fragmentation_reps: int = 2, attribute: str = "party") -> dict[str, pd.DataFrame]:
    """Every measure of one locality, as a dict of DataFrames.

    Parameters
    ----------
    locality : Locality
    seed : int
        Seed of the permutation null, the betweenness sample and the robustness draws.
    n_permutations : int
        Permutations for the Gould-Fernandez z-scores.
    betweenness_k : int
        Sources sampled for betweenness.
    fragmentation_reps : int
        Replicates per removal fraction.
    attribute : str
        Member attribute for brokerage and E-I (``"party"`` or ``"sector"``).

    Returns
    -------
    dict of str -> DataFrame
        Keys: ``unit_coverage, member_sinking, station_standards, coverage, reach_summary,
        representativeness, participation_profile, platform_diversity, brokerage, brokerage_by_group,
        ei_index, ei_index_sector, bipartite_centrality, betweenness, head_rotation,
        fragmentation_platforms, fragmentation_members``.
    """
    from govlab.network.graph import member_platform_graph, to_networkx

    ss = np.random.SeedSequence(seed).spawn(5)
    seeds = [int(s.generate_state(1)[0]) for s in ss]
    out: dict[str, pd.DataFrame] = {}
    out["unit_coverage"] = unit_coverage(locality)
    out["member_sinking"] = member_sinking(locality)
    out["station_standards"] = station_standards(locality)
    out["coverage"] = coverage_indicators(locality)
    out["reach_summary"] = reach_summary(reach(locality))
    out["representativeness"] = representativeness(locality)
    out["participation_profile"] = participation_profile(locality)
    out["platform_diversity"] = platform_diversity(locality)
    H = affiliation_network(locality, attribute=attribute)
    gf = gould_fernandez(H, "group", n_permutations=n_permutations, seed=seeds[0], permute=locality.members["member_id"])
    gf.insert(2, "kind", [H.nodes[v]["kind"] for v in gf["node"]])
    out["brokerage"] = gf
    out["brokerage_by_group"] = brokerage_by_group(gf)
    out["ei_index"] = member_ei_index(locality, attribute)
    out["ei_index_sector"] = member_ei_index(locality, "sector")
    B = member_platform_graph(locality)
    out["bipartite_centrality"] = bipartite_centrality(B, locality.members["member_id"], betweenness_k=betweenness_k, seed=seeds[1])
    # betweenness on the participation structure: units, platforms, organisations, assigned members and
    # ties (committee memberships left out: they tie every member of a committee together)
    out["betweenness"] = sampled_betweenness(to_networkx(locality, include_memberships=False), k=betweenness_k, seed=seeds[2])
    out["head_rotation"] = head_rotation(locality, seed=seeds[3])
    out["fragmentation_platforms"] = fragmentation(locality, remove="platforms", n_reps=fragmentation_reps, seed=seeds[4])
    out["fragmentation_members"] = fragmentation(locality, remove="members", n_reps=fragmentation_reps, seed=seeds[4] + 1)
    return out


def measures_summary(locality, measures: dict[str, pd.DataFrame] | None = None, **kwargs) -> pd.DataFrame:
    """One long table of headline indicators: ``locality, family, measure, group, value``.

    Parameters
    ----------
    locality : Locality
    measures : dict, optional
        The output of :func:`all_measures` (computed when not given; ``kwargs`` go to it).

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> s = measures_summary(synthesize("shangyou-620", seed=0), n_permutations=5, betweenness_k=8)
    >>> sorted(set(s["family"]))
    ['brokerage', 'coverage', 'reach', 'representativeness', 'robustness']
    """
    m = measures if measures is not None else all_measures(locality, **kwargs)
    rows = []
    for r in m["coverage"].itertuples():
        rows.append(("coverage", r.measure, r.group, r.value))
    for r in m["reach_summary"].itertuples():
        if r.group == "all":
            rows.append(("reach", r.measure, r.group, r.value))
    rs = m["reach_summary"]
    for grp in ("rural", "urban"):
        v = rs[(rs["group"] == grp) & (rs["measure"] == "last_mile_gap")]["value"]
        if len(v):
            rows.append(("reach", "last_mile_gap", grp, float(v.iloc[0])))
    for r in m["representativeness"].itertuples():
        rows.append(("representativeness", "dissimilarity", r.dimension, r.dissimilarity))
    pdv = m["platform_diversity"]
    rows.append(("representativeness", "blau_party_mean", "platforms", float(pdv["blau_party"].mean())))
    rows.append(("representativeness", "blau_sector_mean", "platforms", float(pdv["blau_sector"].mean())))
    gf = m["brokerage"]
    plat = gf[gf["kind"] == "platform"]
    tot = plat[list(ROLES)].sum()
    # platforms as meeting places: share of open member pairs they broker that cross parties
    brokered = float(tot["liaison"] + tot["itinerant"])
    rows.append(("brokerage", "platform_cross_group_share", "platforms", float(tot["liaison"] / brokered) if brokered else float("nan")))
    if "liaison_z" in gf:
        rows.append(("brokerage", "platform_liaison_z_mean", "platforms", float(plat["liaison_z"].mean(skipna=True))))
    mem = gf[gf["kind"] == "member"]
    rows.append(("brokerage", "member_liaison_mean", "members", float(mem["liaison"].mean())))
    ei = m["ei_index"].set_index("group").loc["all"]
    rows.append(("brokerage", "ei_party", "all", float(ei["ei"])))
    rows.append(("brokerage", "ei_party_rescaled", "all", float(ei["ei_rescaled"])))
    eis = m["ei_index_sector"].set_index("group").loc["all"]
    rows.append(("brokerage", "ei_sector", "all", float(eis["ei"])))
    rows.append(("brokerage", "ei_sector_rescaled", "all", float(eis["ei_rescaled"])))
    bc = m["bipartite_centrality"]
    rows.append(("brokerage", "member_degree_mean", "members", float(bc.loc[bc["mode"] == 0, "degree"].mean())))
    rows.append(("brokerage", "platform_degree_mean", "platforms", float(bc.loc[bc["mode"] == 1, "degree"].mean())))
    for r in m["head_rotation"].itertuples():
        rows.append(("robustness", "continuing_after_term_change", r.scenario, r.share_continuing))
    for key in ("fragmentation_platforms", "fragmentation_members"):
        f = m[key].groupby("fraction")["residents_within_k"].mean()
        for frac, v in f.items():
            rows.append(("robustness", f"residents_within_k_{key.split('_')[1]}_removed", f"{frac:g}", float(v)))
    df = pd.DataFrame(rows, columns=["family", "measure", "group", "value"])
    df.insert(0, "locality", locality.name)
    return df
