"""Deterministic tables behind the network figures: layered member-platform positions and coverage.

These compute plain DataFrames from a :class:`~govlab.network.model.Locality`; the figures that draw
them live in :mod:`govlab.viz.network`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from govlab.network.model import Locality, isin

LEVEL_ZH = {"province": "省", "city": "市", "county": "县", "township": "乡镇", "village": "村"}
SINK_ROLES = ("sunk", "head", "deputy")


def member_platform_layout(locality: Locality, *, roles=SINK_ROLES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deterministic layered positions of members and platforms.

    Platforms sit on one layer per unit level, ordered by unit id (so siblings stay together);
    members sit on one layer per CPPCC level at the mean position of their platforms (unassigned
    members are spread evenly after the assigned ones, ordered by committee and id).

    Returns
    -------
    (nodes, edges)
        ``nodes``: ``node, kind, layer, label, x, y, party, type``; ``edges``: ``member_id, platform_id``.
    """
    u = locality.units.set_index("unit_id")
    p = locality.platforms.assign(level=lambda d: u.loc[d["unit_id"], "level"].to_numpy())
    a = locality.assignments[isin(locality.assignments["role"], list(roles))].drop_duplicates(["member_id", "platform_id"])
    plat_levels = [lv for lv in ("province", "city", "county", "township", "village") if (p["level"] == lv).any()]
    mem_levels = [lv for lv in ("province", "city", "county") if (locality.members["level"] == lv).any()]
    y_of = {("platform", lv): -(i + 1) for i, lv in enumerate(plat_levels)}
    y_of.update({("member", lv): len(mem_levels) - i for i, lv in enumerate(mem_levels)})
    rows = []
    px = {}
    for lv in plat_levels:
        g = p[p["level"] == lv].sort_values(["unit_id", "platform_id"], kind="stable")
        xs = (np.arange(len(g)) + 0.5) / max(len(g), 1)
        for pid, t, x in zip(g["platform_id"], g["type"], xs):
            px[pid] = x
            rows.append(dict(node=pid, kind="platform", layer=f"{LEVEL_ZH[lv]} {lv}", x=float(x), y=y_of[("platform", lv)],
                             party=None, type=t))
    mx = a.assign(x=a["platform_id"].map(px)).groupby("member_id")["x"].mean()
    m = locality.members
    for lv in mem_levels:
        g = m[m["level"] == lv].sort_values(["committee_unit_id", "member_id"], kind="stable")
        have = g[g["member_id"].isin(mx.index)]
        rest = g[~g["member_id"].isin(mx.index)]
        xs_rest = (np.arange(len(rest)) + 0.5) / max(len(rest), 1)
        for mid, party in zip(have["member_id"], have["party"]):
            rows.append(dict(node=mid, kind="member", layer=f"{LEVEL_ZH[lv]} {lv}", x=float(mx[mid]),
                             y=y_of[("member", lv)] + 0.25, party=party, type=None))
        for (mid, party), x in zip(zip(rest["member_id"], rest["party"]), xs_rest):
            rows.append(dict(node=mid, kind="member", layer=f"{LEVEL_ZH[lv]} {lv}", x=float(x),
                             y=y_of[("member", lv)] - 0.25, party=party, type=None))
    nodes = pd.DataFrame(rows)
    return nodes, a[["member_id", "platform_id"]].reset_index(drop=True)


def coverage_table(locality: Locality, *, max_level: str = "township") -> pd.DataFrame:
    """Per unit down to ``max_level``: population and the share of its residents whose village or
    township hosts a platform (``covered_share``); the input of :func:`govlab.viz.network.coverage_sunburst`."""
    u = locality.units
    order = ["province", "city", "county", "township", "village"]
    keep_levels = order[: order.index(max_level) + 1]
    hosts = set(locality.platforms["unit_id"])
    uid = u["unit_id"].to_numpy(dtype=object)
    parent = dict(zip(uid, u["parent_id"].to_numpy(dtype=object)))
    level = dict(zip(uid, u["level"].to_numpy(dtype=object)))
    vil = u[u["level"] == "village"]
    covered = np.array([(v in hosts) or (parent[v] in hosts) for v in vil["unit_id"].to_numpy(dtype=object)])
    cov_pop = pd.Series(vil["population"].to_numpy() * covered, index=vil["unit_id"].to_numpy(dtype=object), dtype=float)
    acc = cov_pop.to_dict()
    for v, c in list(acc.items()):
        p = parent[v]
        while isinstance(p, str):
            acc[p] = acc.get(p, 0.0) + c
            p = parent[p]
    out = u[u["level"].isin(keep_levels)][["unit_id", "name", "level", "parent_id", "population"]].copy()
    out["covered_population"] = out["unit_id"].map(acc).fillna(0.0)
    out["covered_share"] = np.where(out["population"] > 0, out["covered_population"] / out["population"].clip(lower=1), 0.0)
    out["hosts_platform"] = out["unit_id"].isin(hosts)
    del level
    return out.reset_index(drop=True)


