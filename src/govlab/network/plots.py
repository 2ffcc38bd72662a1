"""Plotly figures of participation networks (deterministic layouts, bilingual labels).

* :func:`member_platform_figure`: members and platforms as layers (member levels above, platforms by
  the level of their unit below), members coloured by party; the layout is computed, not
  force-directed, so it is identical on every run.
* :func:`coverage_sunburst`: the unit hierarchy sized by population and coloured by the share of
  residents whose own village or township hosts a platform.
* :func:`compare_figure`: localities side by side on selected measures.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from govlab.network.model import Locality, isin
from govlab.viz.labels import label

PARTY_ZH = {"CPC": "中国共产党", "RCCK": "民革", "CDL": "民盟", "CNDCA": "民建", "CAPD": "民进", "CPWDP": "农工党",
            "CZGP": "致公党", "Jiusan": "九三学社", "TDSGL": "台盟", "non-party": "无党派人士"}
PARTY_COLOURS = {"CPC": "#d62728", "RCCK": "#8c564b", "CDL": "#1f77b4", "CNDCA": "#ff7f0e", "CAPD": "#2ca02c",
                 "CPWDP": "#9467bd", "CZGP": "#e377c2", "Jiusan": "#17becf", "TDSGL": "#bcbd22", "non-party": "#7f7f7f"}
PLATFORM_ZH = {"workstation": "委员工作站", "studio": "委员工作室", "liaison_station": "委员联络站", "member_home": "委员之家",
               "consultation_room": "协商议事室", "council": "协商议事会", "online_room": "网上协商议事室",
               "enterprise_room": "企事业单位协商议事室", "sector_room": "界别协商议事室"}
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


def member_platform_figure(locality: Locality, *, title: str | None = None, height: int = 560) -> go.Figure:
    """Members (coloured by party) and platforms (grey squares) as layers, with assignment edges.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> fig = member_platform_figure(synthesize("shangyou-620", seed=0))
    >>> len(fig.data) > 2
    True
    """
    nodes, edges = member_platform_layout(locality)
    pos = nodes.set_index("node")[["x", "y"]]
    fig = go.Figure()
    if len(edges):
        a = pos.loc[edges["member_id"]].to_numpy()
        b = pos.loc[edges["platform_id"]].to_numpy()
        ex = np.column_stack([a[:, 0], b[:, 0], np.full(len(a), np.nan)]).ravel()
        ey = np.column_stack([a[:, 1], b[:, 1], np.full(len(a), np.nan)]).ravel()
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line=dict(width=0.4, color="rgba(120,120,120,0.35)"),
                                 hoverinfo="skip", name=label("下沉"), showlegend=True))
    pl = nodes[nodes["kind"] == "platform"]
    for t in sorted(pl["type"].unique()):
        g = pl[pl["type"] == t]
        fig.add_trace(go.Scatter(x=g["x"], y=g["y"], mode="markers", name=label(PLATFORM_ZH.get(t, t)),
                                 marker=dict(symbol="square", size=6, color="#444", opacity=0.8),
                                 text=g["node"], hovertemplate="%{text}<extra>" + t + "</extra>",
                                 legendgroup="platforms", legendgrouptitle_text=label("平台")))
    mem = nodes[nodes["kind"] == "member"]
    for party in PARTY_ZH:
        g = mem[mem["party"] == party]
        if g.empty:
            continue
        fig.add_trace(go.Scatter(x=g["x"], y=g["y"], mode="markers", name=label(PARTY_ZH[party]),
                                 marker=dict(size=5, color=PARTY_COLOURS[party]), text=g["node"],
                                 hovertemplate="%{text}<extra>" + party + "</extra>",
                                 legendgroup="parties", legendgrouptitle_text=label("党派")))
    ticks = nodes.groupby("y")["layer"].first()
    ticks.index = ticks.index.map(lambda v: float(np.round(v)))
    ticks = ticks[~ticks.index.duplicated()]
    fig.update_layout(title=title or f"{locality.name}: {label('政协委员')} × {label('平台')}", height=height,
                      xaxis=dict(visible=False), yaxis=dict(tickvals=list(ticks.index), ticktext=list(ticks.values),
                                                            zeroline=False), margin=dict(l=110))
    return fig


def coverage_table(locality: Locality, *, max_level: str = "township") -> pd.DataFrame:
    """Per unit down to ``max_level``: population and the share of its residents whose village or
    township hosts a platform (``covered_share``); the input of :func:`coverage_sunburst`."""
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


def coverage_sunburst(locality: Locality, *, max_level: str = "township", title: str | None = None) -> go.Figure:
    """The unit hierarchy as a sunburst: size = population, colour = share of residents covered.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> fig = coverage_sunburst(synthesize("shangyou-620", seed=0), max_level="village")
    >>> fig.data[0].type
    'sunburst'
    """
    t = coverage_table(locality, max_level=max_level)
    fig = go.Figure(go.Sunburst(
        ids=t["unit_id"], labels=t["name"], parents=t["parent_id"].fillna(""), values=t["population"],
        branchvalues="total", marker=dict(colors=t["covered_share"], colorscale="Blues", cmin=0, cmax=1,
                                          colorbar=dict(title=label("覆盖率"))),
        customdata=np.column_stack([t["covered_share"].round(3), t["level"]]),
        hovertemplate="%{label} (%{customdata[1]})<br>population %{value}<br>covered %{customdata[0]}<extra></extra>",
        maxdepth=4, sort=False))
    fig.update_layout(title=title or f"{locality.name}: {label('覆盖率')}", height=560, margin=dict(t=50, l=10, r=10, b=10))
    return fig


def compare_figure(summary: pd.DataFrame, measures: Sequence[tuple[str, str]], *, titles: Sequence[str] | None = None,
                   cols: int = 3) -> go.Figure:
    """Bars of selected measures, one panel per measure, localities side by side.

    Parameters
    ----------
    summary : DataFrame
        Concatenated outputs of :func:`govlab.network.measures.measures_summary`.
    measures : sequence of (measure, group)
    titles : sequence of str, optional
        Panel titles (default ``measure (group)``).
    """
    rows = int(np.ceil(len(measures) / cols))
    titles = list(titles) if titles is not None else [f"{m} ({g})" for m, g in measures]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=0.16)
    locs = list(dict.fromkeys(summary["locality"]))
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
    for i, (m, g) in enumerate(measures):
        sub = summary[(summary["measure"] == m) & (summary["group"] == g)].set_index("locality")["value"]
        vals = [None if pd.isna(sub.get(l, np.nan)) else float(sub.get(l)) for l in locs]
        fig.add_trace(go.Bar(x=locs, y=vals, marker_color=palette[: len(locs)], showlegend=False,
                             hovertemplate="%{x}: %{y:.3f}<extra></extra>"), row=i // cols + 1, col=i % cols + 1)
    fig.update_layout(height=300 * rows, margin=dict(t=60))
    fig.update_xaxes(tickangle=30)
    return fig
