"""Plotly figures of the text-mining flow: corpus cleaning, keyness, co-word networks, topics,
similarity, practice codes, figures and loop steps.

Each function draws a table (or a graph) that :mod:`govlab.corpus`, :mod:`govlab.text`,
:mod:`govlab.coding` or :mod:`govlab.compare` computes, and returns a ``plotly.graph_objects.Figure``;
none computes a result of its own. Long category labels are wrapped (:func:`govlab.viz.style.wrap_label`)
and the template grows the margins, so no label is cut off.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from govlab.viz.labels import label
from govlab.viz.style import QUALITATIVE, wrap_label

ACCENT = "#2b6cb0"
CONTRAST = "#c05621"


def _go():
    import plotly.graph_objects as go

    return go


def hbar(values: pd.Series, *, title: str, xaxis_title: str = "", text: Sequence | None = None,
         text_template: str = "%{text}", color: str = ACCENT, height: int | None = None, wrap: int = 40):
    """Horizontal bars of a named series, drawn top to bottom in the series' order.

    Parameters
    ----------
    values : Series
        Bar lengths; the index gives the labels (wrapped at ``wrap`` columns).
    title, xaxis_title : str
    text : sequence, optional
        A number or word written beside each bar.
    text_template : str
    color : str
    height : int, optional
        Default: 120 px plus 26 px a bar.

    Examples
    --------
    >>> fig = hbar(pd.Series([3, 1], index=["委员工作站", "协商议事室"]), title="t")
    >>> list(fig.data[0].y), fig.layout.yaxis.autorange
    (['委员工作站', '协商议事室'], 'reversed')
    """
    go = _go()
    bar = dict(x=np.asarray(values, dtype=float).round(6), y=[wrap_label(str(i), wrap) for i in values.index],
               orientation="h", marker_color=color)
    if text is not None:
        bar.update(text=list(text), texttemplate=text_template, textposition="outside", cliponaxis=False)
    fig = go.Figure(go.Bar(**bar))
    fig.update_layout(title=title, xaxis_title=xaxis_title, height=height or 120 + 26 * len(values),
                      yaxis=dict(autorange="reversed", type="category"))
    return fig


def chars_before_after(documents: pd.DataFrame):
    """Raw and clean characters per document (grouped bars).

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``raw_chars``, ``clean_chars`` (a corpus' ``documents`` table).

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "raw_chars": [10, 20], "clean_chars": [8, 15]})
    >>> [t.name for t in chars_before_after(d).data]
    ['raw 原文', 'clean 清洗后']
    """
    go = _go()
    fig = go.Figure()
    fig.add_bar(x=documents["doc_id"], y=documents["raw_chars"], name="raw 原文")
    fig.add_bar(x=documents["doc_id"], y=documents["clean_chars"], name="clean 清洗后")
    fig.update_layout(barmode="group", title=f"{label('语料清洗')}: characters before and after 清洗前后字符数",
                      yaxis_title="characters 字符数", xaxis_title="document 文档")
    fig.update_xaxes(type="category")
    return fig


def keyness_figure(keyness: pd.DataFrame, target: str, reference: str, n: int = 12):
    """The ``n`` most over- and under-used terms of a keyness table as diverging bars.

    Parameters
    ----------
    keyness : DataFrame
        From :func:`govlab.text.textstat_keyness` (``term``, ``z``, ``count_target``,
        ``count_reference``), sorted by ``z`` descending.
    target, reference : str
        Display names of the two sides.
    n : int

    Examples
    --------
    >>> k = pd.DataFrame({"term": ["甲", "乙"], "z": [2.0, -1.5], "count_target": [5, 0], "count_reference": [0, 4]})
    >>> [float(v) for v in keyness_figure(k, "A", "B", n=1).data[0].x]
    [2.0, -1.5]
    """
    go = _go()
    shown = pd.concat([keyness.head(n), keyness.tail(n)]).drop_duplicates("term")
    colors = np.where(shown["z"] > 0, ACCENT, CONTRAST)
    fig = go.Figure(go.Bar(x=shown["z"].round(6), y=[label(t) for t in shown["term"]], orientation="h",
                           marker_color=colors, customdata=shown[["count_target", "count_reference"]],
                           hovertemplate="%{y}<br>z = %{x:.2f}<br>" + target + " %{customdata[0]}, "
                                         + reference + " %{customdata[1]}<extra></extra>"))
    fig.update_layout(title=f"{label('关键性')}: {target} (right) vs {reference} (left)",
                      xaxis_title="z (log-odds ratio, informative Dirichlet prior)",
                      yaxis=dict(autorange="reversed", type="category"), height=140 + 22 * len(shown))
    return fig


def _label_positions(pos: Mapping, nodes: Sequence) -> list[str]:
    """Text positions that point each label away from the layout's centre, so that neighbours'
    labels fan out instead of stacking on top of each other."""
    xy = np.array([pos[n] for n in nodes], dtype=float)
    if len(xy) == 0:
        return []
    cx, cy = xy.mean(axis=0)
    out = []
    for x, y in xy:
        vert = "top" if y >= cy else "bottom"
        horiz = "right" if x >= cx else "left"
        out.append(f"{vert} {horiz}")
    return out


def coword_figure(graph, *, title: str | None = None, seed: int = 7, height: int = 640):
    """A co-word network: nodes sized and coloured by document frequency, links by Ochiai weight.

    The layout is networkx's spring layout with a fixed seed (the same picture on every run); each
    label points away from the centre so that neighbouring labels do not overlap.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`govlab.text.coword_network` (node attribute ``docfreq``, edge ``weight``).
    title : str, optional
    seed : int
        Seed of the spring layout.
    height : int

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge("协商", "议事", weight=1.0)
    >>> nx.set_node_attributes(g, 2, "docfreq")
    >>> fig = coword_figure(g)
    >>> sorted(fig.data[1].text)
    ['协商', '议事']
    """
    import networkx as nx

    go = _go()
    pos = {n: tuple(float(v) for v in p) for n, p in nx.spring_layout(graph, seed=seed, weight="weight").items()}
    ex, ey = [], []
    for a, b in graph.edges:
        ex += [round(pos[a][0], 6), round(pos[b][0], 6), None]
        ey += [round(pos[a][1], 6), round(pos[b][1], 6), None]
    nodes = list(graph.nodes)
    docfreq = [graph.nodes[n].get("docfreq", 1) for n in nodes]
    fig = go.Figure([
        go.Scatter(x=ex, y=ey, mode="lines", line=dict(width=0.6, color="#a0aec0"), hoverinfo="skip", showlegend=False),
        go.Scatter(x=[round(pos[n][0], 6) for n in nodes], y=[round(pos[n][1], 6) for n in nodes], mode="markers+text",
                   text=nodes, textposition=_label_positions(pos, nodes), textfont=dict(size=11),
                   hovertext=[label(n) for n in nodes], hoverinfo="text", cliponaxis=False,
                   marker=dict(size=[8 + 4 * d for d in docfreq], color=docfreq, colorscale="Blues",
                               colorbar=dict(title="reports"), line=dict(width=0.5, color="#2d3748")),
                   showlegend=False)])
    fig.update_layout(title=title or label("共词网络"), height=height,
                      xaxis=dict(visible=False, range=_padded([pos[n][0] for n in nodes])),
                      yaxis=dict(visible=False, range=_padded([pos[n][1] for n in nodes])))
    return fig


def _padded(values: Sequence[float], share: float = 0.18) -> list[float]:
    """An axis range with room around the data for labels drawn beside the outermost points."""
    if not len(values):
        return [-1.0, 1.0]
    lo, hi = float(min(values)), float(max(values))
    pad = max(hi - lo, 1e-9) * share
    return [round(lo - pad, 6), round(hi + pad, 6)]


def topic_shares_figure(composition: pd.DataFrame, topic_names: Mapping | None = None, *, title: str | None = None,
                        horizontal: bool = True):
    """Stacked bars of each document's topic shares.

    Parameters
    ----------
    composition : DataFrame
        Documents as rows, topics as columns, shares as values.
    topic_names : mapping, optional
        Topic -> its top terms, shown in the legend.
    title : str, optional
    horizontal : bool
        Documents on the y axis (True) or the x axis.

    Examples
    --------
    >>> c = pd.DataFrame({0: [0.75, 0.25], 1: [0.25, 0.75]}, index=["a", "b"])
    >>> [t.name for t in topic_shares_figure(c, {0: "协商 议事", 1: "委员"}).data]
    ['0: 协商 议事', '1: 委员']
    """
    go = _go()
    names = {} if topic_names is None else dict(topic_names)
    bars = []
    for i, t in enumerate(composition.columns):
        name = f"{t}: {names[t]}" if t in names else str(t)
        vals = composition[t].round(6)
        kw = dict(y=list(composition.index), x=vals, orientation="h") if horizontal else dict(x=list(composition.index), y=vals)
        bars.append(go.Bar(name=wrap_label(name, 60), marker_color=QUALITATIVE[i % len(QUALITATIVE)], **kw))
    fig = go.Figure(bars)
    axis = "xaxis_title" if horizontal else "yaxis_title"
    fig.update_layout(barmode="stack", title=title or f"{label('主题模型')}: topic shares per report",
                      height=200 + 44 * len(composition), legend=dict(orientation="h", y=-0.2, yanchor="top"),
                      **{axis: "share of the report"})
    (fig.update_yaxes if horizontal else fig.update_xaxes)(type="category")
    return fig


def similarity_heatmap(similarities: Mapping[str, pd.DataFrame] | pd.DataFrame, *, title: str | None = None):
    """A document-by-document similarity heatmap; with several matrices, buttons switch between them.

    Parameters
    ----------
    similarities : DataFrame or mapping of name to DataFrame
        Square similarity frames (documents as index and columns), values in [0, 1].
    title : str, optional

    Examples
    --------
    >>> s = pd.DataFrame([[1.0, 0.2], [0.2, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> len(similarity_heatmap({"codes": s, "terms": s}).layout.updatemenus[0].buttons)
    2
    """
    go = _go()
    sims = {"similarity": similarities} if isinstance(similarities, pd.DataFrame) else dict(similarities)
    fig = go.Figure()
    for i, (name, s) in enumerate(sims.items()):
        fig.add_trace(go.Heatmap(z=s.to_numpy(dtype=float).round(3), x=list(s.columns), y=list(s.index), zmin=0, zmax=1,
                                 colorscale="Blues", texttemplate="%{z:.2f}", visible=(i == 0), name=name))
    fig.update_layout(title=title or f"{label('余弦相似度')} of the reports", height=480,
                      yaxis=dict(autorange="reversed", type="category"), xaxis=dict(type="category"))
    if len(sims) > 1:
        fig.update_layout(margin=dict(t=100), updatemenus=[dict(type="buttons", direction="right", x=0, y=1.12,
                                                                  xanchor="left", yanchor="bottom", buttons=[
            dict(label=name, method="update", args=[{"visible": [j == i for j in range(len(sims))]}])
            for i, name in enumerate(sims)])])
    return fig


def presence_heatmap(presence: pd.DataFrame, *, title: str, color: str = ACCENT, text: pd.DataFrame | None = None,
                     wrap: int = 44):
    """Which rows (codes, loop steps) each document names: a two-colour grid, optionally with text.

    Parameters
    ----------
    presence : DataFrame
        Rows as the things named (their labels as the index), documents as columns, 0/1 values.
    title : str
    color : str
        Colour of a present cell.
    text : DataFrame, optional
        Text per cell (the document's own wording), same shape as ``presence``.
    wrap : int
        Width at which row labels wrap.

    Examples
    --------
    >>> p = pd.DataFrame({"a": [1, 0], "b": [1, 1]}, index=["委员工作站 member workstation", "协商议事室"])
    >>> presence_heatmap(p, title="t").data[0].z.tolist()
    [[1, 1], [0, 1]]
    """
    go = _go()
    kw = dict(text=text.to_numpy(), texttemplate="%{text}") if text is not None else {}
    fig = go.Figure(go.Heatmap(z=presence.to_numpy(), x=list(presence.columns),
                               y=[wrap_label(str(i), wrap) for i in presence.index],
                               colorscale=[[0, "#f2f2f2"], [1, color]], showscale=False, xgap=2, ygap=1, **kw))
    fig.update_layout(title=title, height=160 + 26 * len(presence),
                      yaxis=dict(autorange="reversed", type="category"), xaxis=dict(type="category", side="top"))
    return fig
