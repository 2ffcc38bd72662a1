"""Helpers for exploring scenarios in notebooks: lever settings as variants, lever-by-locality
effect tables (where a lever does little), the loop funnel, sweep heatmaps, calibration tables and an
ipywidgets explorer whose sliders re-run a scenario and redraw its chart.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: Lever settings the explorer and the lever table use: name -> levers mapping at "full" strength.
LEVER_PRESETS: dict[str, dict] = {
    "compensation": {"compensation": {"residents": 1.0, "member_transport": 1.0}},
    "online_rooms": {"online_rooms": {"units": "all_counties", "events_per_year": 6}},
    "accountability": {"accountability": {"lists": 1.0, "follow_up": 1.0}},
    "resident_topics": {"resident_topics": {"multiplier": 2.0, "choose": 0.7}},
    "season_scheduling": {"season_scheduling": {"share_in_season": 0.05}},
    "deputies": {"deputies": {"share": 1.0}},
    "sinking": {"sinking": {"rate": 1.0, "hours_scale": 1.5}},
    "exchange_ties": {"exchange_ties": {"density": 1.0}},
}
#: The outcome each lever is meant to move (the reports' argument).
LEVER_OUTCOME = {
    "compensation": "share_non_public", "online_rooms": "share_migrant", "accountability": "solved",
    "resident_topics": "topics_residents", "season_scheduling": "share_farmer", "deputies": "continuity",
    "sinking": "member_attendances_grassroots", "exchange_ties": "practice_adoption",
}


def levers_from_values(compensation: float = 0.0, lists: float = 0.0, follow_up: float = 0.0,
                       share_in_season: float | None = None, deputies: float | None = None,
                       online_rooms: bool = False, resident_topics: float = 1.0) -> dict:
    """A ``levers:`` mapping from plain slider values (zero/None/False leaves a lever out).

    Examples
    --------
    >>> sorted(levers_from_values(compensation=0.5, online_rooms=True))
    ['compensation', 'online_rooms']
    """
    lv: dict = {}
    if compensation:
        lv["compensation"] = {"residents": float(compensation)}
    if lists or follow_up:
        lv["accountability"] = {"lists": float(lists), "follow_up": float(follow_up)}
    if share_in_season is not None:
        lv["season_scheduling"] = {"share_in_season": float(share_in_season)}
    if deputies is not None:
        lv["deputies"] = {"share": float(deputies)}
    if online_rooms:
        lv["online_rooms"] = {"units": "all_counties", "events_per_year": 6}
    if resident_topics != 1.0:
        lv["resident_topics"] = {"multiplier": float(resident_topics)}
    return lv


def lever_table(localities: Mapping[str, Mapping], levers: Sequence[str], *, replicates: int = 6, years: int = 4,
                start_year: int = 2019, seed: int = 1, little: float = 0.03) -> pd.DataFrame:
    """Each lever's effect on its own outcome in each locality, with a flag where it does little.

    Parameters
    ----------
    localities : mapping name -> scenario settings (``{"locality": ..., "locality_seed": ...}``)
    levers : names from :data:`LEVER_PRESETS`
    little : float
        A lever "does little" where its relative effect is below this and its interval covers zero
        or stays below it.

    Returns
    -------
    DataFrame
        ``locality, lever, outcome, baseline, value, rel_change, diff_lo, diff_hi, verdict, does_little``.
    """
    from govlab.scenarios.scenario import run_scenario

    rows = []
    for name, spec in localities.items():
        sc = {"start_year": start_year, "years": years, "replicates": replicates, "seed": seed, **dict(spec),
              "variants": {lv: {"levers": LEVER_PRESETS[lv]} for lv in levers}}
        cmp = run_scenario(sc).compare([LEVER_OUTCOME[lv] for lv in levers])
        for lv in levers:
            r = cmp[(cmp["variant"] == lv) & (cmp["metric"] == LEVER_OUTCOME[lv])].iloc[0]
            rel = r["rel_change"] if np.isfinite(r["rel_change"]) else (r["diff"] if r["baseline"] == 0 else np.nan)
            small = (abs(rel) < little) if np.isfinite(rel) else abs(r["diff"]) < 1e-9
            rows.append({"locality": name, "lever": lv, "outcome": LEVER_OUTCOME[lv], "baseline": r["baseline"],
                         "value": r["value"], "rel_change": rel, "diff_lo": r["diff_lo"], "diff_hi": r["diff_hi"],
                         "verdict": r["verdict"], "does_little": bool(small or r["verdict"] == "no clear change")})
    return pd.DataFrame(rows)


def plot_lever_table(table: pd.DataFrame, title: str = "Relative effect of each lever on its own outcome"):
    """A heatmap of relative effects (rows levers, columns localities); cells where a lever does little are marked."""
    import plotly.graph_objects as go

    piv = table.pivot(index="lever", columns="locality", values="rel_change")
    flag = table.pivot(index="lever", columns="locality", values="does_little").reindex_like(piv)
    text = [[f"{v:+.0%}" + (" (little)" if f else "") if np.isfinite(v) else "n/a" for v, f in zip(row, frow)]
            for row, frow in zip(piv.to_numpy(), flag.to_numpy())]
    z = np.clip(piv.to_numpy(dtype=float), -1, 1)
    fig = go.Figure(go.Heatmap(z=np.round(z, 6), x=list(piv.columns), y=list(piv.index), text=text,
                               texttemplate="%{text}", colorscale="RdBu", zmid=0, zmin=-1, zmax=1,
                               colorbar=dict(title="relative change")))
    fig.update_layout(title=title, height=140 + 40 * len(piv.index))
    return fig


def plot_steps(result, variant: str = "baseline", title: str | None = None):
    """A funnel of issues through the locality's own loop steps (mean over replicates and years)."""
    import plotly.graph_objects as go

    from govlab.viz.labels import label

    st = result.steps()
    st = st[st["variant"] == variant]
    mean = st.groupby(["position", "step"], sort=True)["issues"].sum() / st["replicate"].nunique()
    steps = [label(s) for _, s in mean.index]
    fig = go.Figure(go.Funnel(y=steps, x=np.round(mean.to_numpy(), 3), textinfo="value+percent initial"))
    fig.update_layout(title=title or "Issues at each step of the loop (total over the years, mean over replicates)")
    return fig


def plot_sweep_heatmap(df: pd.DataFrame, x: str, y: str, metric: str, agg: str = "sum", title: str | None = None):
    """Mean over replicates of a metric (aggregated over years) on a two-parameter sweep grid."""
    import plotly.graph_objects as go

    from govlab.scenarios.outcomes import metric_label

    sub = df[df["metric"] == metric]
    per_run = sub.groupby(["run", x, y], sort=True)["value"].agg(agg).reset_index()
    piv = per_run.groupby([y, x], sort=True)["value"].mean().unstack(x)
    fig = go.Figure(go.Heatmap(z=np.round(piv.to_numpy(dtype=float), 4), x=[str(v) for v in piv.columns],
                               y=[str(v) for v in piv.index], colorbar=dict(title=metric)))
    fig.update_layout(title=title or metric_label(metric), xaxis_title=x, yaxis_title=y)
    return fig


def calibration_table(path=None) -> pd.DataFrame:
    """Fitted rates of every locality: value, posterior median, 90% interval, prior and targets."""
    import yaml

    from govlab.datasets import dataset_path

    p = path or dataset_path("scenarios", "calibration.yaml")
    locs = (yaml.safe_load(open(p, encoding="utf-8").read()) or {}).get("localities", {})
    rows = []
    for name, e in locs.items():
        for key, f in (e.get("fitted") or {}).items():
            (kind, (lo, hi)), = f["prior"].items()
            rows.append({"locality": name, "parameter": key, "value": f["value"],
                         "posterior_median": f.get("posterior_median"), "lo_90": f["interval_90"][0],
                         "hi_90": f["interval_90"][1], "prior": f"{kind}[{lo}, {hi}]",
                         "fitted_to": ", ".join(f["fitted_to"])})
        for key, s in (e.get("set") or {}).items():
            rows.append({"locality": name, "parameter": key, "value": s.get("value"), "posterior_median": None,
                         "lo_90": None, "hi_90": None, "prior": "set from report" if s.get("doc_id") else "ASSUMPTION",
                         "fitted_to": s.get("doc_id") or ""})
    return pd.DataFrame(rows)


def calibration_checks(path=None) -> pd.DataFrame:
    """The recorded check of every calibrated baseline against its reported figures."""
    import yaml

    from govlab.datasets import dataset_path

    p = path or dataset_path("scenarios", "calibration.yaml")
    locs = (yaml.safe_load(open(p, encoding="utf-8").read()) or {}).get("localities", {})
    rows = []
    for name, e in locs.items():
        for tid, c in (e.get("check") or {}).items():
            t = e["targets"][tid]
            rows.append({"locality": name, "target": tid, "metric": t["metric"], "low": c["interval"][0],
                         "high": c["interval"][1], "simulated_mean": c["mean"], "lo_90": c["lo_90"],
                         "hi_90": c["hi_90"], "holds": c["holds"]})
    return pd.DataFrame(rows)


def plot_posteriors(locality: str, path=None):
    """Histograms of the accepted ABC draws of a locality's fitted rates (shipped posterior sample)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from govlab.datasets import dataset_path

    df = pd.read_csv(path or dataset_path("scenarios", "calibration_posterior.csv"))
    df = df[df["locality"] == locality]
    keys = sorted(df["parameter"].unique())
    fig = make_subplots(rows=1, cols=max(1, len(keys)), subplot_titles=keys)
    for i, k in enumerate(keys):
        fig.add_trace(go.Histogram(x=df.loc[df["parameter"] == k, "value"], nbinsx=12, showlegend=False,
                                   marker_color="#4C72B0"), 1, i + 1)
    fig.update_layout(title=f"ABC posterior sample (accepted draws): {locality}", height=300)
    return fig


def explorer(scenario: Mapping, metric: str = "solved", replicates: int = 3):
    """An ipywidgets explorer: lever sliders that re-run ``scenario`` and redraw ``metric`` over the years.

    Returns the widget (a VBox of sliders above an Output holding the plotly chart).
    """
    import ipywidgets as w

    from govlab.scenarios.outcomes import plot_years
    from govlab.scenarios.scenario import run_scenario

    sliders = {
        "compensation": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="compensation"),
        "lists": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="lists"),
        "follow_up": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="follow-up"),
        "share_in_season": w.FloatSlider(value=0.33, min=0, max=0.5, step=0.05, description="in season"),
        "deputies": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="deputies"),
        "online_rooms": w.Checkbox(value=False, description="online rooms"),
    }
    choice = w.Dropdown(options=["solved", "participations", "representativeness", "share_migrant",
                                 "share_non_public", "continuity", "leak_rate_decided_not_done"], value=metric,
                        description="outcome")
    out = w.Output()

    def figure():
        vals = {k: s.value for k, s in sliders.items()}
        vals["deputies"] = vals["deputies"] or None
        levers = levers_from_values(**vals)
        res = run_scenario({**dict(scenario), "replicates": replicates,
                            "variants": {"with levers": {"levers": levers}} if levers else {}})
        return plot_years(res.metrics, choice.value)

    def redraw(*_):
        fig = figure()
        out.clear_output(wait=True)
        with out:
            fig.show()

    for s in list(sliders.values()) + [choice]:
        s.observe(redraw, names="value")
    # the first view is set as the Output's content directly (no output capture, no display side
    # effect), so a headless run stores nothing but the widget itself
    out.outputs = ({"output_type": "display_data", "data": figure()._repr_mimebundle_(), "metadata": {}},)
    box = w.VBox([w.HBox([choice]), w.HBox(list(sliders.values())[:3]), w.HBox(list(sliders.values())[3:]), out])
    return box


def lever_effect_by(df: pd.DataFrame, lever: str, metric: str, by: Sequence[str] = (), agg: str = "sum",
                    off=0.0, on=1.0) -> pd.DataFrame:
    """Effect of switching a swept lever from ``off`` to ``on`` on a metric, per value of ``by``.

    Runs are paired by their other parameters and replicate (use ``common_random_numbers: true``
    in the sweep for paired seeds). Returns ``by`` + ``off``, ``on``, ``diff``, ``rel_change``
    (means over pairs).
    """
    sub = df[df["metric"] == metric]
    params = [c for c in df.columns if c not in ("run", "replicate", "year", "metric", "value", "seed_entropy", "spawn_key")]
    per_run = sub.groupby(["run", "replicate"] + params, sort=True)["value"].agg(agg).reset_index()
    keys = [c for c in params if c != lever] + ["replicate"]
    a = per_run[per_run[lever] == off].set_index(keys)["value"]
    b = per_run[per_run[lever] == on].set_index(keys)["value"]
    pair = pd.DataFrame({"off": a, "on": b}).dropna().reset_index()
    pair["diff"] = pair["on"] - pair["off"]
    g = pair.groupby(list(by), sort=True) if by else pair.assign(_all="all").groupby("_all")
    out = g[["off", "on", "diff"]].mean()
    out["rel_change"] = out["diff"] / out["off"].where(out["off"] != 0)
    return out.reset_index()
