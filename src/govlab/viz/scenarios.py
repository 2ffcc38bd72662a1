"""Plotly figures of scenario runs, sweeps and calibration (deterministic, bilingual labels).

Each function draws a table that :mod:`govlab.scenarios` computes (a comparison table, a metrics
frame, a sweep table, a posterior sample). Metric names are shown through
:func:`govlab.scenarios.outcomes.metric_label` unless ``labels`` is given.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from govlab.viz.labels import label
from govlab.viz.style import QUALITATIVE, wrap_label, year_axis


def _labeller(labels: Mapping[str, str] | Callable[[str], str] | None) -> Callable[[str], str]:
    if labels is None:
        from govlab.scenarios.outcomes import metric_label

        return metric_label
    if callable(labels):
        return labels
    return lambda m: labels.get(m, m)


def plot_comparison(table: pd.DataFrame, metric_names=None, relative: bool = True, title: str | None = None,
                    labels=None):
    """A forest plot of variant-minus-baseline differences with their intervals.

    Parameters
    ----------
    table : DataFrame
        From :func:`govlab.scenarios.compare_scenarios` (``variant``, ``metric``, ``baseline``,
        ``diff``, ``diff_lo``, ``diff_hi``).
    metric_names : sequence of str, optional
        Only these metrics, in this order.
    relative : bool
        Plot the change relative to the baseline mean (share) instead of the raw difference.
    title : str, optional
    labels : mapping or callable, optional
        Metric name to display label (default: the metric registry's labels).

    Examples
    --------
    >>> t = pd.DataFrame({"variant": "v", "metric": ["a", "b"], "baseline": [10.0, 4.0], "diff": [1.0, -2.0],
    ...                   "diff_lo": [0.5, -3.0], "diff_hi": [1.5, -1.0]})
    >>> [float(x) for x in plot_comparison(t, labels={"a": "A", "b": "B"}).data[0].x]
    [0.1, -0.5]
    """
    import plotly.graph_objects as go

    name = _labeller(labels)
    t = table if metric_names is None else table[table["metric"].isin(list(metric_names))]
    fig = go.Figure()
    for v, sub in t.groupby("variant", sort=False):
        base = sub["baseline"].replace(0, np.nan) if relative else 1.0
        x = sub["diff"] / base
        lo = sub["diff_lo"] / base
        hi = sub["diff_hi"] / base
        fig.add_trace(go.Scatter(
            x=x.round(6), y=[wrap_label(name(m), 36) for m in sub["metric"]], mode="markers", name=str(v),
            error_x=dict(type="data", symmetric=False, array=(hi - x).round(6), arrayminus=(x - lo).round(6)),
        ))
    fig.add_vline(x=0, line_color="#999")
    fig.update_layout(title=title or "Change against the baseline", xaxis_title="relative change" if relative else "difference",
                      xaxis_tickformat=".0%" if relative else None, height=140 + 34 * t["metric"].nunique())
    fig.update_yaxes(type="category")
    return fig


def plot_years(metrics: pd.DataFrame, metric: str, level: float = 0.9, title: str | None = None, labels=None):
    """Mean of a metric over the years per variant, with a percentile band over replicates.

    Parameters
    ----------
    metrics : DataFrame
        Long metrics of a run (``variant``, ``replicate``, ``year``, ``metric``, ``value``).
    metric : str
    level : float
        Width of the band (share of replicates inside it).
    title : str, optional
    labels : mapping or callable, optional

    Examples
    --------
    >>> m = pd.DataFrame({"variant": "baseline", "replicate": [0, 1, 0, 1], "year": [2019, 2019, 2020, 2020],
    ...                   "metric": "x", "value": [1.0, 3.0, 2.0, 4.0]})
    >>> fig = plot_years(m, "x", labels={"x": "X"})
    >>> fig.layout.xaxis.tickformat, [float(v) for v in fig.data[1].y]
    ('d', [2.0, 3.0])
    """
    import plotly.graph_objects as go

    name = _labeller(labels)
    s = _year_summary(metrics[metrics["metric"] == metric], level)
    fig = go.Figure()
    for i, (v, sub) in enumerate(s.groupby("variant", sort=False)):
        color = QUALITATIVE[i % len(QUALITATIVE)]
        fig.add_trace(go.Scatter(x=list(sub["year"]) + list(sub["year"])[::-1],
                                 y=list(sub["hi"].round(6)) + list(sub["lo"].round(6))[::-1],
                                 fill="toself", fillcolor=color, opacity=0.15, line=dict(width=0),
                                 showlegend=False, hoverinfo="skip", name=f"{v} band"))
        fig.add_trace(go.Scatter(x=sub["year"], y=sub["mean"].round(6), mode="lines+markers", name=str(v),
                                 line=dict(color=color)))
    fig.update_layout(title=title or name(metric), xaxis=year_axis(s["year"]), yaxis_title=wrap_label(name(metric), 40))
    return fig


def _year_summary(metrics: pd.DataFrame, level: float) -> pd.DataFrame:
    """Mean and percentile band over replicates per variant and year."""
    m = metrics if "variant" in metrics.columns else metrics.assign(variant="run")
    q = (1 - level) / 2
    g = m.groupby(["variant", "year"], sort=True)["value"]
    out = pd.DataFrame({"mean": g.mean(), "lo": g.quantile(q), "hi": g.quantile(1 - q)}).reset_index()
    out["year"] = out["year"].astype(int)
    return out


def plot_lever_table(table: pd.DataFrame, title: str = "Relative effect of each lever on its own outcome"):
    """A heatmap of relative effects (rows levers, columns localities); cells where a lever does little are marked.

    Parameters
    ----------
    table : DataFrame
        From :func:`govlab.scenarios.explore.lever_table` (``locality``, ``lever``, ``rel_change``,
        ``does_little``).
    title : str
    """
    import plotly.graph_objects as go

    piv = table.pivot(index="lever", columns="locality", values="rel_change")
    flag = table.pivot(index="lever", columns="locality", values="does_little").reindex_like(piv)
    text = [[f"{v:+.0%}" + (" (little)" if f else "") if np.isfinite(v) else "n/a" for v, f in zip(row, frow)]
            for row, frow in zip(piv.to_numpy(), flag.to_numpy())]
    z = np.clip(piv.to_numpy(dtype=float), -1, 1)
    fig = go.Figure(go.Heatmap(z=np.round(z, 6), x=list(piv.columns), y=list(piv.index), text=text,
                               texttemplate="%{text}", colorscale="RdBu", zmid=0, zmin=-1, zmax=1,
                               colorbar=dict(title="relative change")))
    fig.update_layout(title=title, height=160 + 40 * len(piv.index))
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return fig


def plot_steps(steps: pd.DataFrame, variant: str = "baseline", title: str | None = None):
    """A funnel of issues through the locality's own loop steps (total over the years, mean over replicates).

    Parameters
    ----------
    steps : DataFrame
        ``result.steps()`` of a scenario run (``variant``, ``replicate``, ``position``, ``step``, ``issues``).
    variant : str
    title : str, optional
    """
    import plotly.graph_objects as go

    st = steps[steps["variant"] == variant]
    mean = st.groupby(["position", "step"], sort=True)["issues"].sum() / st["replicate"].nunique()
    names = [wrap_label(label(s), 30) for _, s in mean.index]
    fig = go.Figure(go.Funnel(y=names, x=np.round(mean.to_numpy(), 3), textinfo="value+percent initial"))
    fig.update_layout(title=title or "Issues at each step of the loop (total over the years, mean over replicates)")
    return fig


def plot_sweep_heatmap(df: pd.DataFrame, x: str, y: str, metric: str, agg: str = "sum", title: str | None = None,
                       labels=None):
    """Mean over replicates of a metric (aggregated over years) on a two-parameter sweep grid.

    The grid values are categories (one cell per swept value), not a continuous axis.

    Examples
    --------
    >>> d = pd.DataFrame({"run": [0, 1, 2, 3], "a": [0, 0, 1, 1], "b": [0.5, 1.0, 0.5, 1.0], "year": 1,
    ...                   "metric": "m", "value": [1.0, 2.0, 3.0, 4.0]})
    >>> fig = plot_sweep_heatmap(d, "a", "b", "m", labels={"m": "M"})
    >>> fig.layout.xaxis.type, list(fig.data[0].x)
    ('category', ['0', '1'])
    """
    import plotly.graph_objects as go

    name = _labeller(labels)
    sub = df[df["metric"] == metric]
    per_run = sub.groupby(["run", x, y], sort=True)["value"].agg(agg).reset_index()
    piv = per_run.groupby([y, x], sort=True)["value"].mean().unstack(x)
    fig = go.Figure(go.Heatmap(z=np.round(piv.to_numpy(dtype=float), 4), x=[f"{v:g}" for v in piv.columns],
                               y=[f"{v:g}" for v in piv.index], colorbar=dict(title=wrap_label(name(metric), 16))))
    fig.update_layout(title=title or name(metric), xaxis_title=x, yaxis_title=y)
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return fig


def plot_posteriors(posterior: pd.DataFrame, locality: str):
    """Histograms of the accepted ABC draws of a locality's fitted rates.

    Parameters
    ----------
    posterior : DataFrame
        A posterior sample with ``locality``, ``parameter``, ``value`` (the shipped
        ``datasets/scenarios/calibration_posterior.csv``).
    locality : str
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    df = posterior[posterior["locality"] == locality]
    keys = sorted(df["parameter"].unique())
    cols = max(1, len(keys))
    fig = make_subplots(rows=1, cols=cols, subplot_titles=[wrap_label(k, max(14, 90 // cols)) for k in keys])
    for i, k in enumerate(keys):
        fig.add_trace(go.Histogram(x=df.loc[df["parameter"] == k, "value"], nbinsx=12, showlegend=False,
                                   marker_color=QUALITATIVE[0]), 1, i + 1)
    for ann in fig.layout.annotations:
        ann.font = dict(size=12)
    fig.update_layout(title=f"ABC posterior sample (accepted draws): {locality}", height=320, margin=dict(t=90))
    return fig


def plot_rollout(scale_check: pd.DataFrame, statistic: str = "open_workstation",
                 title: str = "Gansu: share of workstations open by year (phased roll-out)"):
    """The share of a statistic's final value reached each year, one line per build scale.

    Parameters
    ----------
    scale_check : DataFrame
        ``scale, statistic, year, mean`` (``datasets/scenarios/scale_check.csv``); rows without a
        year (the totals) are left out.
    statistic : str
        The statistic drawn; each scale's line is divided by its largest yearly mean.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"scale": [1.0, 1.0], "statistic": "open_workstation", "year": [2019, 2020],
    ...                   "mean": [50.0, 200.0]})
    >>> [float(v) for v in plot_rollout(t).data[0].y]
    [0.25, 1.0]
    """
    import plotly.graph_objects as go

    years = scale_check[(scale_check["statistic"] == statistic) & scale_check["year"].notna()].copy()
    years["share"] = (years["mean"] / years.groupby("scale")["mean"].transform("max")).round(4)
    fig = go.Figure([go.Scatter(x=g["year"], y=g["share"], mode="lines+markers", name=f"scale {s:g}")
                     for s, g in years.groupby("scale")])
    fig.update_layout(title=title, yaxis_tickformat=".0%", xaxis_title="year", height=340)
    return fig
