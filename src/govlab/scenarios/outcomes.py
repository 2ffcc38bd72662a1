"""Outcomes: the metric registry, per-run summaries, scenario comparison (its charts are in :mod:`govlab.viz.scenarios`).

Every metric the year model records is listed in :data:`METRICS` with how it aggregates over the
years of a run (``sum`` for flows such as events and issues solved, ``last`` for stocks such as
cumulative participants and coverage, ``mean`` for rates), a label and the direction the reports
call better. :func:`compare_scenarios` pairs each variant's replicate with the baseline's replicate
of the same seed (common random numbers) and gives the mean difference with a t interval.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from govlab.scenarios.config import PLATFORM_TYPES


@dataclass(frozen=True)
class Metric:
    """How a metric aggregates over years, its label, glossary term and preferred direction."""

    agg: str
    label: str
    term: str | None = None
    better: int = 0


def _registry() -> dict[str, Metric]:
    m: dict[str, Metric] = {}

    def add(name, agg, label, term=None, better=0):
        m[name] = Metric(agg, label, term, better)

    add("population", "last", "residents")
    add("venues_open", "last", "platforms open", "平台", +1)
    for t in PLATFORM_TYPES:
        add(f"open_{t}", "last", f"open {t.replace('_', ' ')}s")
    add("coverage_township", "last", "townships with a platform", "覆盖率", +1)
    add("coverage_village", "last", "villages with a platform", "覆盖率", +1)
    add("members_sunk_share", "last", "share of members sunk", "委员下沉", +1)
    add("events", "sum", "consultation events", "协商活动", +1)
    add("committee_events", "sum", "thematic consultations of committees")
    add("member_attendances", "sum", "member attendances", None, +1)
    add("member_attendances_grassroots", "sum", "member attendances at township and village platforms", "委员下沉", +1)
    add("member_hours", "sum", "member hours at the grassroots")
    add("member_coverage", "mean", "share of wanted member places filled", None, +1)
    add("participations", "sum", "participations (person-times)", "参与人次", +1)
    add("participants", "mean", "participants a year (people)", None, +1)
    add("participants_new", "sum", "new participants")
    add("participants_cumulative", "last", "participants since the start (people)", None, +1)
    add("participation_rate", "mean", "share of residents taking part a year", None, +1)
    for d in ("age", "gender", "migrant", "occupation"):
        add(f"dissimilarity_{d}", "mean", f"dissimilarity of participants by {d}", None, -1)
    add("representativeness", "mean", "representativeness (1 - mean dissimilarity)", "代表性", +1)
    add("share_migrant", "mean", "share of participations by residents working away", "外出务工", +1)
    add("share_non_public", "mean", "share of participations by non-public workers", None, +1)
    add("share_farmer", "mean", "share of participations by farmers", None, +1)
    add("topics_party", "sum", "topics set by Party and government", "党政点题")
    add("topics_residents", "sum", "topics raised by residents", "群众出题", +1)
    add("topics_members", "sum", "topics proposed by members", "委员荐题", +1)
    add("topics_carried_up", "sum", "topics passed up a level", "五级联动")
    add("topics_carried_down", "sum", "topics passed down a level", "五级联动")
    for st in ("collected", "chosen", "researched", "consulted", "decided", "reported", "handled", "fed_back", "lasting"):
        add(f"issues_{st}", "sum", f"issues {st.replace('_', ' ')}", None, +1)
    add("leak_not_chosen", "sum", "leak: not chosen", None, -1)
    add("leak_not_researched", "sum", "leak: not researched", None, -1)
    add("leak_not_consulted", "sum", "leak: not consulted (no event capacity)", None, -1)
    add("leak_discussed_no_decision", "sum", "leak: discussed, no decision", "议而不决", -1)
    add("leak_decided_not_done", "sum", "leak: decided, not done", "决而不行", -1)
    add("leak_done_not_lasting", "sum", "leak: done, not lasting", "行而不久", -1)
    add("leak_not_fed_back", "sum", "leak: not fed back", None, -1)
    add("leak_rate_discussed_no_decision", "mean", "share of consultations with no decision", "议而不决", -1)
    add("leak_rate_decided_not_done", "mean", "share of decisions not done", "决而不行", -1)
    add("leak_rate_done_not_lasting", "mean", "share of results not lasting", "行而不久", -1)
    add("solved", "sum", "problems solved", "解决民生难题", +1)
    add("solved_lasting", "sum", "problems solved that last", None, +1)
    add("solved_per_10k", "sum", "problems solved per 10,000 residents", None, +1)
    add("solved_residents", "sum", "resident-raised problems solved", None, +1)
    add("opinion_items", "sum", "public-opinion items", "社情民意信息", +1)
    add("stations_quota", "last", "stations bound by the 4+X quota")
    add("quota_events_ok", "mean", "stations meeting the event quota", None, +1)
    add("quota_items_ok", "mean", "stations meeting the items quota", None, +1)
    add("quota_compliance", "mean", "stations meeting 4+X", "4+X", +1)
    add("events_per_station", "mean", "events per quota station", None, +1)
    add("items_per_station", "mean", "public-opinion items per quota station", None, +1)
    add("heads_rotated", "sum", "station heads rotated out", "换届")
    add("stations_broken", "mean", "stations with broken continuity", None, -1)
    add("continuity", "mean", "continuity (stations not broken)", "工作连续性", +1)
    add("station_activity", "mean", "station activity", None, +1)
    add("trust", "last", "residents' trust (multiplier)", None, +1)
    add("practice_adoption", "last", "district practices adopted (share)", "经验交流", +1)
    add("funded_share", "last", "counties budgeting township funds", None, +1)
    add("party_support_share", "last", "counties with Party backing", None, +1)
    add("committees_at_grassroots", "mean", "committees consulting at the grassroots", None, +1)
    add("grassroots_issues", "sum", "issues consulted at the grassroots", "基层协商", +1)
    add("committees_thematic_1_4", "mean", "committees with 1-4 thematic topics")
    add("thematic_per_committee", "mean", "thematic topics per county-level committee", "党政点题")
    return m


METRICS: dict[str, Metric] = _registry()


def metric_label(name: str, lang: str | None = None) -> str:
    """A display label: the glossary term (via :func:`govlab.label`) and the English description."""
    from govlab.viz.labels import get_language, label

    m = METRICS.get(name)
    if m is None:
        return name
    lang = lang or get_language()
    if m.term and lang != "en":
        zh = label(m.term, lang="zh")
        if zh != m.term or lang == "zh":
            return f"{zh} {m.label}" if lang == "both" else zh
    return m.label


def summarise_runs(metrics: pd.DataFrame, by: tuple = ("variant", "replicate")) -> pd.DataFrame:
    """One value per run and metric: each metric aggregated over years by its registry rule.

    Parameters
    ----------
    metrics : DataFrame
        Long table with ``year``, ``metric``, ``value`` and the ``by`` columns.

    Returns
    -------
    DataFrame
        Columns ``by`` + ``metric``, ``value``.
    """
    by = [b for b in by if b in metrics.columns]
    agg = metrics["metric"].map(lambda m: METRICS[m].agg if m in METRICS else "mean")
    parts = []
    for kind in ("sum", "mean", "last"):
        sub = metrics[agg == kind]
        if sub.empty:
            continue
        g = sub.sort_values("year", kind="stable").groupby(by + ["metric"], sort=True)["value"]
        val = {"sum": g.sum, "mean": g.mean, "last": g.last}[kind]()
        parts.append(val.reset_index())
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=by + ["metric", "value"])
    return out.sort_values(by + ["metric"], kind="stable").reset_index(drop=True)


def summarise(metrics: pd.DataFrame, level: float = 0.9, by: tuple = ("variant",)) -> pd.DataFrame:
    """Mean and a percentile interval over replicates of each metric per year.

    Returns
    -------
    DataFrame
        ``by`` + ``year``, ``metric``, ``mean``, ``lo``, ``hi``, ``n``.
    """
    by = [b for b in by if b in metrics.columns]
    a = (1 - level) / 2
    g = metrics.groupby(by + ["year", "metric"], sort=True)["value"]
    out = pd.DataFrame({"mean": g.mean(), "lo": g.quantile(a), "hi": g.quantile(1 - a), "n": g.count()})
    return out.reset_index()


ADJUSTMENTS = ("holm", "bh", "none")


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiplicity.

    ``holm``: Holm's (1979) step-down control of the family-wise error rate; ``bh``: Benjamini &
    Hochberg's (1995) control of the false discovery rate; ``none``: unchanged. NaN stays NaN and
    is not counted in the family.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    if method not in ADJUSTMENTS:
        raise ValueError(f"unknown adjustment {method!r}; expected one of {list(ADJUSTMENTS)}")
    p = np.asarray(p, float)
    out = p.copy()
    ok = np.isfinite(p)
    q = p[ok]
    m = len(q)
    if m == 0 or method == "none":
        return out
    order = np.argsort(q, kind="stable")
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * q[order])
    else:
        ranked = q[order] * m / np.arange(1, m + 1)
        adj = np.minimum.accumulate(ranked[::-1])[::-1]
    res = np.empty(m)
    res[order] = np.minimum(adj, 1.0)
    out[ok] = res
    return out


def compare_scenarios(metrics: pd.DataFrame, baseline: str = "baseline", metric_names=None,
                      level: float = 0.95, adjust: str = "holm") -> pd.DataFrame:
    """Compare each variant with the baseline, paired by replicate (common random numbers).

    Parameters
    ----------
    metrics : DataFrame
        Long table with ``variant``, ``replicate``, ``year``, ``metric``, ``value``.
    baseline : str
        Name of the baseline variant.
    metric_names : list of str, optional
        Metrics to compare (default: all).
    level : float
        Confidence level of the t interval for the mean paired difference.
    adjust : {"holm", "bh", "none"}
        Multiplicity control over the metrics compared for one variant (:func:`adjust_pvalues`).
        A difference is called better / worse (or higher / lower) only when its adjusted p-value
        of the paired t test is below ``1 - level``.

    Returns
    -------
    DataFrame
        ``variant``, ``metric``, ``baseline``, ``value``, ``diff``, ``diff_lo``, ``diff_hi``,
        ``rel_change``, ``n``, ``better`` (the registry direction), ``p_value``, ``p_adjusted``
        and ``verdict`` (``better``/``worse``/``no clear change``).
    """
    from scipy import stats

    runs = summarise_runs(metrics)
    if metric_names is not None:
        runs = runs[runs["metric"].isin(list(metric_names))]
    wide = runs.pivot_table(index=["metric", "replicate"], columns="variant", values="value", aggfunc="first")
    if baseline not in wide.columns:
        raise KeyError(f"no variant named {baseline!r}; have {list(wide.columns)}")
    rows = []
    for v in [c for c in wide.columns if c != baseline]:
        block = []
        for metric, sub in wide.groupby(level="metric", sort=True):
            b = sub[baseline].to_numpy(float)
            x = sub[v].to_numpy(float)
            ok = ~(np.isnan(b) | np.isnan(x))
            d = x[ok] - b[ok]
            n = int(ok.sum())
            mean_d = float(d.mean()) if n else np.nan
            pval = np.nan
            if n > 1:
                se = float(d.std(ddof=1) / np.sqrt(n))
                t = float(stats.t.ppf(0.5 + level / 2, n - 1))
                lo, hi = mean_d - t * se, mean_d + t * se
                if se > 0:
                    pval = float(2 * stats.t.sf(abs(mean_d) / se, n - 1))
                else:  # every replicate moved by the same amount
                    pval = 0.0 if mean_d != 0 else 1.0
            else:
                lo = hi = mean_d
            bm = float(b[ok].mean()) if n else np.nan
            better = METRICS[metric].better if metric in METRICS else 0
            block.append({"variant": v, "metric": metric, "baseline": bm,
                          "value": float(x[ok].mean()) if n else np.nan, "diff": mean_d, "diff_lo": lo,
                          "diff_hi": hi, "rel_change": mean_d / bm if n and bm not in (0.0,) and np.isfinite(bm) else np.nan,
                          "n": n, "better": better, "p_value": pval})
        padj = adjust_pvalues([r["p_value"] for r in block], adjust)
        for r, pa in zip(block, padj):
            r["p_adjusted"] = float(pa)
            clear = bool(np.isfinite(pa) and pa < 1 - level)
            if clear and r["better"] != 0:
                r["verdict"] = "better" if np.sign(r["diff"]) == r["better"] else "worse"
            elif clear:
                r["verdict"] = "higher" if r["diff"] > 0 else "lower"
            else:
                r["verdict"] = "no clear change"
        rows += block
    return pd.DataFrame(rows)
