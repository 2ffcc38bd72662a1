"""Reach: how far each resident stratum is from the nearest platform and the nearest member.

Hops are counted on the resident-tier graph of :func:`govlab.network.resident_matrix` (stratum -
village - township - ... , platform - its unit, member - platform, member - home unit) with one
multi-source breadth-first search per target kind (``scipy.sparse.csgraph.dijkstra`` with
``min_only=True``; see ``research/networks.md``). A resident whose village has a platform is 2 hops
from it; a township platform is 3 hops away; a member sunk to the village's own platform is 3 hops
away. Distances in km are straight-line distances between synthetic coordinates (nearest platform
unit, nearest member home) found with a k-d tree.

The *last mile* (最后一公里) is the gap between the township and the village: a resident is in the
last-mile gap when the nearest platform is not in their own village (more than 2 hops).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from govlab.network.graph import multi_source_hops, resident_matrix
from govlab.network.model import Locality, isin

SINK_ROLES = ("sunk", "head", "deputy")


def reach(locality: Locality, *, member_roles=SINK_ROLES, members_home: bool = False,
          platform_types=None) -> pd.DataFrame:
    """Hops and km from every resident stratum to the nearest platform and the nearest member.

    Parameters
    ----------
    locality : Locality
    member_roles : tuple of str
        Assignment roles that link a member to a platform in the graph (sector-room membership,
        role ``"member"``, is left out by default).
    members_home : bool
        Let residents reach members through the members' home units too (by default members are
        reached only through the platforms they are sunk to and the locality's ties, such as leader
        pairing and conveners).
    platform_types : list of str, optional
        Only these platform types count as platforms (all by default).

    Returns
    -------
    pandas.DataFrame
        One row per stratum: ``stratum_id, unit_id, count, urban, hops_to_platform,
        hops_to_member, km_to_platform, km_to_member`` (``inf`` when unreachable); ``km_to_member``
        is the distance to the nearest member's home village.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> r = reach(synthesize("nantong-youshi", seed=0))
    >>> float(r["hops_to_platform"].max())  # every village has a room
    2.0
    """
    loc = locality
    plat = loc.platforms
    if platform_types is not None:
        plat = plat[isin(plat["type"], list(platform_types))]
    a = loc.assignments[isin(loc.assignments["role"], list(member_roles)) & isin(loc.assignments["platform_id"], plat["platform_id"])]
    sub = loc.replace(platforms=plat, assignments=a, check=False) if (len(plat) != len(loc.platforms) or len(a) != len(loc.assignments)) else loc
    R = resident_matrix(sub, members_home=members_home)
    hp = multi_source_hops(R.adjacency, R.positions("platform"))
    hm = multi_source_hops(R.adjacency, R.positions("member"))
    n_s = len(loc.residents)
    res = loc.residents
    u = loc.units.set_index("unit_id")
    vxy = u.loc[res["unit_id"], ["x", "y"]].to_numpy()
    km_p = _nearest_km(vxy, u.loc[plat["unit_id"], ["x", "y"]].to_numpy())
    km_m = _nearest_km(vxy, u.loc[loc.members["home_unit_id"], ["x", "y"]].to_numpy())
    return pd.DataFrame({
        "stratum_id": res["stratum_id"].to_numpy(), "unit_id": res["unit_id"].to_numpy(),
        "count": res["count"].to_numpy(), "urban": u.loc[res["unit_id"], "urban"].to_numpy(dtype=bool),
        "hops_to_platform": hp[:n_s], "hops_to_member": hm[:n_s], "km_to_platform": km_p, "km_to_member": km_m,
    })


def _nearest_km(query: np.ndarray, points: np.ndarray) -> np.ndarray:
    if len(points) == 0:
        return np.full(len(query), np.inf)
    uniq, inv = np.unique(np.round(points, 6), axis=0, return_inverse=True)
    d, _ = cKDTree(uniq).query(query, k=1)
    return np.asarray(d, float)


def reach_summary(reach_table: pd.DataFrame, *, ks=(2, 3, 4), km=(2.0, 5.0, 10.0)) -> pd.DataFrame:
    """Population-weighted reach indicators, overall and for rural and urban residents.

    Parameters
    ----------
    reach_table : DataFrame
        The output of :func:`reach`.
    ks : tuple of int
        Hop thresholds: share of residents with a platform / member within k hops.
    km : tuple of float
        Distance thresholds in km.

    Returns
    -------
    pandas.DataFrame
        Long table ``group, measure, value`` with measures ``platform_within_{k}_hops``,
        ``member_within_{k}_hops``, ``platform_within_{x}_km``, ``mean_hops_to_platform``,
        ``mean_km_to_platform``, ``mean_km_to_member``, ``last_mile_gap`` (share of residents
        whose nearest platform is outside their village) and ``unreached`` (no platform reachable).

    Examples
    --------
    >>> t = pd.DataFrame({"count": [10, 30], "urban": [True, False], "hops_to_platform": [2.0, 3.0],
    ...                   "hops_to_member": [3.0, 4.0], "km_to_platform": [0.5, 4.0], "km_to_member": [1.0, 6.0]})
    >>> s = reach_summary(t)
    >>> float(s.query("group == 'all' and measure == 'last_mile_gap'")["value"].iloc[0])
    0.75
    """
    rows = []
    t = reach_table
    for group, g in (("all", t), ("urban", t[t["urban"]]), ("rural", t[~t["urban"]])):
        w = g["count"].to_numpy(dtype=float)
        tot = w.sum()
        if tot == 0:
            continue

        def share(mask):
            return float(w[np.asarray(mask)].sum() / tot)

        hp, hm = g["hops_to_platform"].to_numpy(), g["hops_to_member"].to_numpy()
        for k in ks:
            rows.append((group, f"platform_within_{k}_hops", share(hp <= k)))
            rows.append((group, f"member_within_{k}_hops", share(hm <= k)))
        kp = g["km_to_platform"].to_numpy()
        for x in km:
            rows.append((group, f"platform_within_{x:g}_km", share(kp <= x)))
        fin = np.isfinite(hp)
        rows.append((group, "mean_hops_to_platform", float((w[fin] * hp[fin]).sum() / w[fin].sum()) if fin.any() else float("nan")))
        fk = np.isfinite(kp)
        rows.append((group, "mean_km_to_platform", float((w[fk] * kp[fk]).sum() / w[fk].sum()) if fk.any() else float("nan")))
        km_m = g["km_to_member"].to_numpy()
        fm = np.isfinite(km_m)
        rows.append((group, "mean_km_to_member", float((w[fm] * km_m[fm]).sum() / w[fm].sum()) if fm.any() else float("nan")))
        rows.append((group, "last_mile_gap", share(hp > 2)))
        rows.append((group, "unreached", share(~fin)))
    return pd.DataFrame(rows, columns=["group", "measure", "value"])
