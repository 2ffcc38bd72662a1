"""Plotly figures of participation networks (deterministic layouts, bilingual labels).

Each function draws a table that :mod:`govlab.network` computes; none computes a network measure.

* :func:`member_platform_figure`: members and platforms as layers (member levels above, platforms by
  the level of their unit below), members coloured by party; the layout
  (:func:`govlab.network.layout.member_platform_layout`) is computed, not force-directed, so it is
  identical on every run.
* :func:`coverage_sunburst`: the unit hierarchy (:func:`govlab.network.layout.coverage_table`) sized
  by population and coloured by the share of residents whose own village or township hosts a
  platform.
* :func:`compare_figure`: localities side by side on selected measures.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from govlab.viz.labels import label
from govlab.viz.style import QUALITATIVE, wrap_label

PARTY_ZH = {"CPC": "中国共产党", "RCCK": "民革", "CDL": "民盟", "CNDCA": "民建", "CAPD": "民进", "CPWDP": "农工党",
            "CZGP": "致公党", "Jiusan": "九三学社", "TDSGL": "台盟", "non-party": "无党派人士"}
PARTY_COLOURS = {"CPC": "#d62728", "RCCK": "#8c564b", "CDL": "#1f77b4", "CNDCA": "#ff7f0e", "CAPD": "#2ca02c",
                 "CPWDP": "#9467bd", "CZGP": "#e377c2", "Jiusan": "#17becf", "TDSGL": "#bcbd22", "non-party": "#7f7f7f"}
PLATFORM_ZH = {"workstation": "委员工作站", "studio": "委员工作室", "liaison_station": "委员联络站", "member_home": "委员之家",
               "consultation_room": "协商议事室", "council": "协商议事会", "online_room": "网上协商议事室",
               "enterprise_room": "企事业单位协商议事室", "sector_room": "界别协商议事室"}


def member_platform_figure(layout: tuple[pd.DataFrame, pd.DataFrame], *, title: str = "", height: int = 560) -> go.Figure:
    """Members (coloured by party) and platforms (grey squares) as layers, with assignment edges.

    Parameters
    ----------
    layout : (nodes, edges)
        The output of :func:`govlab.network.layout.member_platform_layout`.
    title : str
    height : int

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> from govlab.network.layout import member_platform_layout
    >>> fig = member_platform_figure(member_platform_layout(synthesize("shangyou-620", seed=0)))
    >>> len(fig.data) > 2
    True
    """
    nodes, edges = layout
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
    fig.update_layout(title=title or f"{label('政协委员')} × {label('平台')}", height=height,
                      xaxis=dict(visible=False), yaxis=dict(tickvals=list(ticks.index), ticktext=list(ticks.values),
                                                            zeroline=False))
    return fig


def coverage_sunburst(table: pd.DataFrame, *, title: str = "") -> go.Figure:
    """The unit hierarchy as a sunburst: size = population, colour = share of residents covered.

    The colour scale spans the shares that occur. When every unit has the same share (every village
    covered, say), colour would carry nothing, so the rings are coloured by the top-level branch
    instead and the title says the share.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`govlab.network.layout.coverage_table` (``unit_id``, ``name``, ``level``,
        ``parent_id``, ``population``, ``covered_share``).
    title : str

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> from govlab.network.layout import coverage_table
    >>> fig = coverage_sunburst(coverage_table(synthesize("shangyou-620", seed=0), max_level="village"))
    >>> fig.data[0].type
    'sunburst'
    """
    t = table
    share = t["covered_share"].round(3)
    lo, hi = float(share.min()), float(share.max())
    title = title or label("覆盖率")
    if hi - lo < 0.01:
        # one share everywhere: colour each top-level branch, so the hierarchy stays readable
        parent = dict(zip(t["unit_id"], t["parent_id"]))
        roots = set(t.loc[t["parent_id"].isna() | ~t["parent_id"].isin(t["unit_id"]), "unit_id"])

        def branch(u):
            while parent.get(u) in parent and u not in roots and parent[u] not in roots:
                u = parent[u]
            return u

        branches = sorted({branch(u) for u in t["unit_id"] if u not in roots})
        colour_of = {b: QUALITATIVE[i % len(QUALITATIVE)] for i, b in enumerate(branches)}
        colours = ["#dddddd" if u in roots else colour_of[branch(u)] for u in t["unit_id"]]
        marker = dict(colors=colours)
        title = f"{title}: {lo:.0%} {label('覆盖率')} everywhere"
    else:
        marker = dict(colors=share, colorscale="Blues", cmin=lo, cmax=hi, colorbar=dict(title=label("覆盖率")))
    fig = go.Figure(go.Sunburst(
        ids=t["unit_id"], labels=t["name"], parents=t["parent_id"].fillna(""), values=t["population"],
        branchvalues="total", marker=marker,
        customdata=np.column_stack([share, t["level"]]),
        hovertemplate="%{label} (%{customdata[1]})<br>population %{value}<br>covered %{customdata[0]}<extra></extra>",
        maxdepth=4, sort=False))
    fig.update_layout(title=title, height=560, margin=dict(t=60, l=10, r=10, b=10))
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
        Panel titles (default ``measure (group)``); long titles are wrapped so that neighbouring
        panels' titles do not overlap.
    cols : int

    Examples
    --------
    >>> s = pd.DataFrame({"locality": ["a", "b"], "measure": "m", "group": "all", "value": [0.5, 0.25]})
    >>> [float(v) for v in compare_figure(s, [("m", "all")]).data[0].y]
    [0.5, 0.25]
    """
    cols = max(1, min(cols, len(measures)))
    rows = int(np.ceil(len(measures) / cols))
    titles = list(titles) if titles is not None else [f"{m} ({g})" for m, g in measures]
    width_chars = max(16, 90 // cols)
    wrapped = [wrap_label(t, width_chars) for t in titles]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=wrapped, vertical_spacing=0.22, horizontal_spacing=0.08)
    locs = list(dict.fromkeys(summary["locality"]))
    for i, (m, g) in enumerate(measures):
        sub = summary[(summary["measure"] == m) & (summary["group"] == g)].set_index("locality")["value"]
        vals = [None if pd.isna(sub.get(loc, np.nan)) else float(sub.get(loc)) for loc in locs]
        fig.add_trace(go.Bar(x=locs, y=vals, marker_color=QUALITATIVE[: len(locs)], showlegend=False,
                             hovertemplate="%{x}: %{y:.3f}<extra></extra>"), row=i // cols + 1, col=i % cols + 1)
    for ann in fig.layout.annotations:
        ann.font = dict(size=12)
    fig.update_layout(height=340 * rows, margin=dict(t=80))
    fig.update_xaxes(tickangle=30, automargin=True, type="category")
    return fig
