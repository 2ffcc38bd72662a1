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
#: Choices of the explorer's farming-season slider: ``"off"`` means no scheduling lever.
SEASON_OPTIONS = [("off", "off")] + [(f"{v:.2f}", v) for v in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)]
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


def explorer(scenario: Mapping, metric: str = "solved", replicates: int = 3):
    """An ipywidgets explorer: lever sliders that re-run ``scenario`` and redraw ``metric`` over the years.

    Returns the widget (a VBox of sliders above an Output holding the plotly chart).
    """
    import ipywidgets as w

    from govlab.scenarios.scenario import run_scenario
    from govlab.viz.scenarios import plot_years

    sliders = {
        "compensation": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="compensation"),
        "lists": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="lists"),
        "follow_up": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="follow-up"),
        # "off" leaves the locality's own farming-season share alone; a number schedules that share
        # of meetings in season (a FloatSlider would snap a default such as 0.33 to its step and so
        # draw a "with levers" line while every lever looks off)
        "share_in_season": w.SelectionSlider(options=SEASON_OPTIONS, value="off", description="in season"),
        "deputies": w.FloatSlider(value=0.0, min=0, max=1, step=0.25, description="deputies"),
        "online_rooms": w.Checkbox(value=False, description="online rooms"),
    }
    choice = w.Dropdown(options=["solved", "participations", "representativeness", "share_migrant",
                                 "share_non_public", "continuity", "leak_rate_decided_not_done"], value=metric,
                        description="outcome")
    out = w.Output()
    status = w.HTML(value="")
    controls = list(sliders.values()) + [choice]

    def figure():
        vals = {k: s.value for k, s in sliders.items()}
        vals["deputies"] = vals["deputies"] or None
        if vals["share_in_season"] == "off":
            vals["share_in_season"] = None
        levers = levers_from_values(**vals)
        res = run_scenario({**dict(scenario), "replicates": replicates,
                            "variants": {"with levers": {"levers": levers}} if levers else {}})
        return plot_years(res.metrics, choice.value)

    def redraw(*_):
        # a rerun takes seconds: say so and lock the controls until the new chart is drawn
        status.value = "<b>running the scenario…</b>"
        for c in controls:
            c.disabled = True
        try:
            fig = figure()
            out.clear_output(wait=True)
            with out:
                fig.show()
        finally:
            for c in controls:
                c.disabled = False
            status.value = ""

    for s in controls:
        s.observe(redraw, names="value")
    # the first view is set as the Output's content directly (no output capture, no display side
    # effect), so a headless run stores nothing but the widget itself
    out.outputs = ({"output_type": "display_data", "data": figure()._repr_mimebundle_(), "metadata": {}},)
    box = w.VBox([w.HBox([choice, status]), w.HBox(list(sliders.values())[:3]), w.HBox(list(sliders.values())[3:]), out])
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
