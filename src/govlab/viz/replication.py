"""Plotly figures of the replication chapter: the reports' figures by status, the leave-one-out
predictions against the reports, and the model's relative difference from each report.

Each function draws a table that :mod:`govlab.replication` or :mod:`govlab.scenarios` computes and
returns a ``plotly.graph_objects.Figure``; none computes a result of its own.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["STATUS_COLORS", "status_bars", "loo_intervals", "model_report_difference"]

#: One colour a replication status (and role), shared by the three figures.
STATUS_COLORS = {"predicted": "#55A868", "missed": "#C44E52", "fitted": "#64B5CD", "input": "#BBBBBB",
                 "extracted": "#8CC084", "value only": "#CCB974", "differs": "#8C2D2D",
                 "missing": "#DD8452", "not available": "#DDDDDD"}


def _go():
    import plotly.graph_objects as go

    return go


def status_bars(summary: pd.DataFrame, statuses: Sequence[str], *,
                title: str = "Figures of the five reports by replication status"):
    """Stacked horizontal bars: figures per report, by replication status.

    Parameters
    ----------
    summary : DataFrame
        One row a report, one column a status, counts (``govlab.replication.status_summary``).
    statuses : sequence of str
        Statuses in stacking order; those missing from ``summary`` are left out.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"input": [2, 1], "predicted": [1, 0]}, index=["a", "b"])
    >>> [t.name for t in status_bars(s, ["predicted", "fitted", "input"]).data]
    ['predicted', 'input']
    """
    go = _go()
    fig = go.Figure([go.Bar(name=s, y=list(summary.index), x=summary[s], orientation="h",
                            marker_color=STATUS_COLORS.get(s, "#999999"))
                     for s in statuses if s in summary.columns])
    fig.update_layout(barmode="stack", title=title, xaxis_title="figures", yaxis=dict(automargin=True), height=360)
    return fig


def loo_intervals(loo: pd.DataFrame, *,
                  title: str = "Left-out figures: prediction against report (relative to the report's midpoint)"):
    """Leave-one-out predictions with their 90% intervals beside the reported range, on a log axis.

    Every value is divided by the midpoint of the reported range, so figures of any size share one
    axis. A prediction is green when its interval meets the reported range (``covered``), red when not.

    Parameters
    ----------
    loo : DataFrame
        ``locality, left_out, reported_low, reported_high, predicted, pi_low, pi_high, covered``
        (``datasets/scenarios/loo.csv``); rows without a prediction are left out.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> loo = pd.DataFrame({"locality": ["x-city"], "left_out": ["members"], "reported_low": [90.0],
    ...                     "reported_high": [110.0], "predicted": [120.0], "pi_low": [100.0],
    ...                     "pi_high": [150.0], "covered": [True]})
    >>> fig = loo_intervals(loo)
    >>> [float(v) for v in fig.data[2].x], list(fig.data[2].y)
    ([1.2], ['x: members'])
    """
    go = _go()
    pl = loo[loo["predicted"].notna()].reset_index(drop=True)
    lab = (pl["locality"].str.split("-").str[0] + ": " + pl["left_out"]).tolist()
    mid = 0.5 * (pl["reported_low"] + pl["reported_high"])

    def rel(c):
        return (pl[c] / mid).round(4)

    fig = go.Figure()
    for col, name in (("reported_low", "reported (low)"), ("reported_high", "reported (high)")):
        fig.add_trace(go.Scatter(x=rel(col), y=lab, mode="markers", name=name,
                                 marker=dict(symbol="line-ns-open", size=14, color="#333")))
    fig.add_trace(go.Scatter(
        x=rel("predicted"), y=lab, mode="markers", name="predicted (median, 90% interval)",
        error_x=dict(type="data", symmetric=False, array=(rel("pi_high") - rel("predicted")).round(4),
                     arrayminus=(rel("predicted") - rel("pi_low")).round(4)),
        marker=dict(size=9, color=[STATUS_COLORS["predicted"] if c else STATUS_COLORS["missed"]
                                   for c in pl["covered"]])))
    fig.update_layout(title=title, xaxis_title="relative to reported midpoint", xaxis_type="log",
                      yaxis=dict(automargin=True, autorange="reversed"), height=120 + 30 * len(pl))
    return fig


def model_report_difference(table: pd.DataFrame, *, title: str = "Model vs report: relative difference"):
    """The relative difference of each modelled figure from the reported one, coloured by role.

    Parameters
    ----------
    table : DataFrame
        The replication table: ``doc_id, target_id, value, model, model_status, role, op``; rows
        without a model value are left out. ``model_status == "off"`` is drawn as *differs*.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a", "a"], "target_id": ["t1", "t2"], "value": [10.0, 4.0],
    ...                   "model": [12.0, None], "model_status": ["ok", ""], "role": ["input", "input"],
    ...                   "op": ["=", "="]})
    >>> [float(v) for v in model_report_difference(t).data[0].x]
    [0.2]
    """
    go = _go()
    m = table[table["model"].notna()].copy()
    m["relative"] = (m["model"] / m["value"] - 1).round(4)
    m = m.sort_values(["doc_id", "target_id"])
    fig = go.Figure(go.Scatter(
        x=m["relative"], y=m["target_id"], mode="markers",
        marker=dict(size=10, color=[STATUS_COLORS["differs"] if s == "off" else STATUS_COLORS.get(r, "#999999")
                                    for s, r in zip(m["model_status"], m["role"])]),
        text=m["op"], hovertemplate="%{y}: %{x:.1%} (%{text})<extra></extra>"))
    fig.add_vline(x=0, line_color="#999")
    fig.update_layout(title=title, xaxis_tickformat=".0%", yaxis=dict(automargin=True, autorange="reversed"),
                      height=60 + 22 * len(m))
    return fig
