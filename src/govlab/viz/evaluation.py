"""Plotly figures of the validity chapter: scores beside a baseline and a goal, the confusion of
code categories, and the errors by type.

Each function draws a table that :mod:`govlab.evaluate` computes (``scores``, ``confusion``,
``error_counts``) and returns a ``plotly.graph_objects.Figure``; none computes a result of its own.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from govlab.viz.style import wrap_label

__all__ = ["score_bars", "confusion_heatmap", "error_bars"]

_SOURCE_COLORS = ("#bbbbbb", "#7f9cc0", "#1f4e8c", "#55A868", "#C44E52")


def _go():
    import plotly.graph_objects as go

    return go


def score_bars(scores: Mapping[str, pd.DataFrame], rows: Sequence[tuple[str, str, str]], *, goal: float | None = None,
               title: str = "Scores on the development set", parts: Sequence[str] = ("tune", "heldout")):
    """Grouped bars of chosen scores, one bar group per (part, score), one colour per source.

    Parameters
    ----------
    scores : mapping of str to DataFrame
        Source name (``baseline``, ``govlab`` ...) -> a scores table of :func:`govlab.evaluate.evaluate`
        (``part, group, category, metric, score``), drawn in the mapping's order.
    rows : sequence of (group, category, metric)
        The scores shown, in order.
    goal : float, optional
        Draws a dotted line at this percentage.
    title : str
    parts : sequence of str
        Parts shown, in order.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"part": ["heldout"], "group": ["figures"], "category": ["strict"],
    ...                   "metric": ["recall"], "score": ["71.4"]})
    >>> fig = score_bars({"govlab": s}, [("figures", "strict", "recall")], goal=90)
    >>> list(fig.data[0].y), fig.layout.shapes[0].y0
    ([71.4], 90)
    """
    go = _go()
    fig = go.Figure()
    for (source, table), color in zip(scores.items(), _SOURCE_COLORS):
        t = table.set_index(["part", "group", "category", "metric"])["score"]
        xs, labels, ys = [], [], []
        for part in parts:
            for key in rows:
                if (part, *key) in t.index and str(t[(part, *key)]) != "":
                    xs.append(part)
                    labels.append(f"{key[1]} {key[2]}")
                    ys.append(float(t[(part, *key)]))
        fig.add_bar(name=source, x=[xs, labels], y=ys, marker_color=color)
    if goal is not None:
        fig.add_hline(y=goal, line_dash="dot", line_color="#c0392b")
    fig.update_layout(barmode="group", title=title, yaxis_title="percent", yaxis_range=[0, 100])
    return fig


def confusion_heatmap(confusion: pd.DataFrame, *,
                      title: str = "Candidate units by gold and coded category"):
    """Heat map of candidate units by gold category (rows) and coded category (columns), with counts.

    Parameters
    ----------
    confusion : DataFrame
        Square counts indexed by gold category, columns the system category (``none`` for no item);
        a ``gold`` column, when present, is used as the index.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> c = pd.DataFrame({"gold": ["actor", "none"], "actor": [3, 1], "none": [2, 0]})
    >>> fig = confusion_heatmap(c)
    >>> list(fig.data[0].y), fig.data[0].z.tolist()
    (['actor', 'none'], [[3, 2], [1, 0]])
    """
    go = _go()
    conf = confusion.set_index("gold") if "gold" in confusion.columns else confusion
    fig = go.Figure(go.Heatmap(z=conf.values, x=list(conf.columns), y=list(conf.index), colorscale="Blues",
                               text=conf.values, texttemplate="%{text}", showscale=False))
    fig.update_layout(title=title, xaxis_title="coded as", yaxis_title="gold", yaxis_autorange="reversed")
    return fig


def error_bars(errors: pd.DataFrame, *, parts: Sequence[str] = ("tune", "heldout"),
               title: str = "Misses and wrong predictions by type"):
    """Horizontal bars of error counts by type, one colour per part.

    Parameters
    ----------
    errors : DataFrame
        ``part, group, category, error, count`` (:func:`govlab.evaluate.error_counts`).
    parts : sequence of str
    title : str

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> e = pd.DataFrame({"part": ["tune"], "group": ["codes"], "category": ["actor"],
    ...                   "error": ["code on no gold item"], "count": [4]})
    >>> [int(v) for v in error_bars(e).data[0].x]
    [4]
    """
    go = _go()
    fig = go.Figure()
    for part, color in zip(parts, ("#7f9cc0", "#1f4e8c", "#55A868")):
        sub = errors[errors["part"] == part]
        fig.add_bar(name=part, y=[wrap_label(f"{g} · {c} · {e}", 48) for g, c, e in
                                  zip(sub["group"], sub["category"], sub["error"])],
                    x=sub["count"], orientation="h", marker_color=color)
    n = errors[["group", "category", "error"]].drop_duplicates().shape[0]
    fig.update_layout(barmode="group", title=title, xaxis_title="count", height=160 + 30 * n,
                      yaxis=dict(automargin=True))
    return fig
