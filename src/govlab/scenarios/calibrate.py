"""Calibration: fit unknown rates so a simulated locality reproduces the figures of its report.

The plan for each locality (``datasets/scenarios/targets.yaml``) names the scenario to simulate,
values set directly from a report (``set``), the unknown rates with their priors (``fit.priors``)
and the reported figures (``targets``), each with the doc_id it comes from, how it is computed from
the simulated metrics and the tolerance it must meet.

The method is rejection approximate Bayesian computation (Pritchard et al. 1999; Beaumont, Zhang &
Balding 2002): draw ``n_simulations`` parameter vectors from the priors, simulate one run for each
(its own ``SeedSequence`` child), compute the distance between the run's statistics and the
targets, and keep the ``accept`` share closest. The accepted draws approximate the posterior; the
calibrated value of each rate is its posterior median and its uncertainty the 5-95% range. A check
then runs the calibrated locality over replicates and reports each target's simulated mean and
interval against the tolerance. :func:`calibrate` returns all of it; :func:`write_calibration`
stores it in ``datasets/scenarios/calibration.yaml`` with, for every rate, what it was fitted to.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govlab.errors import ConfigError
from govlab.scenarios.config import SCHEMA, Params, check_keys, check_value

TARGET_KEYS = ("id", "metric", "per", "agg", "years", "interval", "value", "tol", "scale_to_population",
               "doc_id", "fact", "note", "assumption")
COMPILE_KEYS = ("attendance.reach_depth", "attendance.reach_decay", "attendance.engaged_share",
                "attendance.hybrid_online_weight", "events.quota_types", "members.committee_share")


# ----------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """A reported figure as a statistic of simulated metrics.

    The statistic is ``agg`` (sum, mean, last, first) of ``metric`` over the years ``[from, to]``;
    with ``per`` it is the ratio of the two sums. The target holds when the statistic lies in
    ``interval`` (scaled by the locality's population over ``scale_to_population`` when given).
    """

    id: str
    metric: str
    interval: tuple
    agg: str = "sum"
    years: tuple | None = None
    per: str | None = None
    scale_to_population: float | None = None
    doc_id: str | None = None
    fact: str | None = None
    note: str | None = None

    @classmethod
    def from_dict(cls, d: Mapping, key: str = "targets") -> Target:
        check_keys(d, TARGET_KEYS, key)
        for req in ("id", "metric"):
            if req not in d:
                raise ConfigError("required key is missing", key=f"{key}.{req}")
        if "interval" in d:
            iv = d["interval"]
            if not isinstance(iv, (list, tuple)) or len(iv) != 2 or iv[0] > iv[1]:
                raise ConfigError(f"expected [low, high], got {iv!r}", key=f"{key}.interval")
            interval = (float(iv[0]), float(iv[1]))
        elif "value" in d:
            tol = float(d.get("tol", 0.0))
            interval = (float(d["value"]) - tol, float(d["value"]) + tol)
        else:
            raise ConfigError("give interval or value (with tol)", key=key)
        agg = d.get("agg", "sum")
        if agg not in ("sum", "mean", "last", "first"):
            raise ConfigError(f"expected sum, mean, last or first, got {agg!r}", key=f"{key}.agg")
        years = tuple(int(y) for y in d["years"]) if d.get("years") else None
        return cls(id=str(d["id"]), metric=str(d["metric"]), interval=interval, agg=agg, years=years,
                   per=d.get("per"), scale_to_population=d.get("scale_to_population"), doc_id=d.get("doc_id"),
                   fact=d.get("fact"), note=d.get("note"))

    def bounds(self, population: float) -> tuple:
        if self.scale_to_population:
            f = population / float(self.scale_to_population)
            return (self.interval[0] * f, self.interval[1] * f)
        return self.interval

    def statistic(self, metrics: pd.DataFrame) -> float:
        """The statistic from one run's long metrics (``year``, ``metric``, ``value``)."""
        return _stat(metrics, self.metric, self.agg, self.years, self.per)


def _window(df, years):
    if years is None:
        return df
    return df[(df["year"] >= years[0]) & (df["year"] <= years[1])]


def _agg(values: pd.Series, how: str) -> float:
    if values.empty:
        return float("nan")
    return float({"sum": values.sum, "mean": values.mean, "last": lambda: values.iloc[-1],
                  "first": lambda: values.iloc[0]}[how]())


def _stat(metrics, metric, agg, years, per):
    df = _window(metrics, years)
    num = df[df["metric"] == metric].sort_values("year", kind="stable")["value"]
    if per:
        den = df[df["metric"] == per]["value"].sum()
        return float(num.sum() / den) if den else float("nan")
    return _agg(num, agg)


def _population(metrics: pd.DataFrame) -> float:
    pop = metrics.loc[metrics["metric"] == "population", "value"]
    return float(pop.iloc[-1]) if len(pop) else float("nan")


def distance(stats: Mapping[str, float], targets: Sequence[Target], population: float) -> float:
    """Root-mean-square of each statistic's distance outside its interval, in units of the interval's
    width (or 10% of its centre when the interval is a point). Zero when every target holds."""
    total = 0.0
    for t in targets:
        lo, hi = t.bounds(population)
        x = stats[t.id]
        scale = max(hi - lo, 0.1 * abs(0.5 * (lo + hi)), 1e-9)
        if not np.isfinite(x):
            d = 10.0
        else:
            d = max(lo - x, 0.0, x - hi) / scale
        total += d * d
    return math.sqrt(total / max(len(targets), 1))


# ----------------------------------------------------------------------------- priors and ABC
@dataclass(frozen=True)
class Prior:
    """A uniform or log-uniform prior on one parameter."""

    key: str
    low: float
    high: float
    log: bool = False

    @classmethod
    def from_dict(cls, key: str, d: Mapping, path: str) -> Prior:
        if key not in SCHEMA:
            raise ConfigError("unknown parameter", key=f"{path}.{key}")
        check_keys(d, ("uniform", "loguniform"), f"{path}.{key}")
        kind = "uniform" if "uniform" in d else "loguniform"
        lo, hi = d[kind]
        if not lo < hi or (kind == "loguniform" and lo <= 0):
            raise ConfigError(f"expected low < high (and low > 0 for loguniform), got {[lo, hi]}", key=f"{path}.{key}.{kind}")
        check_value(f"{path}.{key}", SCHEMA[key], lo)
        check_value(f"{path}.{key}", SCHEMA[key], hi)
        return cls(key, float(lo), float(hi), kind == "loguniform")

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        u = rng.random(n)
        if self.log:
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        return self.low + u * (self.high - self.low)


def rejection_abc(simulate_stats: Callable[[dict, np.random.SeedSequence], dict], priors: Sequence[Prior],
                  targets: Sequence[Target], *, n_simulations: int = 400, accept: float = 0.05,
                  seed: int = 0, population: float | Callable | None = None, n_jobs: int = 1,
                  progress: Callable | None = None) -> pd.DataFrame:
    """Rejection ABC: simulate from the priors and keep the draws whose statistics fit best.

    Parameters
    ----------
    simulate_stats : callable
        ``simulate_stats(theta, seed_sequence) -> {target_id: statistic, "_population": float}``.
    priors : sequence of Prior
    targets : sequence of Target
    n_simulations : int
        Draws from the prior (each simulated once, with child ``i`` of ``SeedSequence(seed)``).
    accept : float
        Share of draws kept (the smallest distances).
    seed : int
        Root seed: the prior draws use child ``n_simulations`` so they do not share streams with runs.
    n_jobs : int
        Joblib (loky) workers; 1 runs in-process.

    Returns
    -------
    DataFrame
        One row per draw: the parameters, the statistics, ``distance`` and ``accepted``.

    References
    ----------
    Pritchard, J. K., Seielstad, M. T., Perez-Lezaun, A., & Feldman, M. W. (1999). Population growth
    of human Y chromosomes. Molecular Biology and Evolution 16(12), 1791-1798.
    Beaumont, M. A., Zhang, W., & Balding, D. J. (2002). Approximate Bayesian computation in
    population genetics. Genetics 162(4), 2025-2035.
    """
    n = int(n_simulations)
    prior_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(n,)))
    draws = {p.key: p.draw(prior_rng, n) for p in priors}
    thetas = [{k: float(v[i]) for k, v in draws.items()} for i in range(n)]
    seeds = [np.random.SeedSequence(seed, spawn_key=(i,)) for i in range(n)]
    if n_jobs and n_jobs > 1:
        from joblib import Parallel, delayed

        batches = np.array_split(np.arange(n), max(1, min(n, n_jobs * 4)))
        res_b = Parallel(n_jobs=n_jobs, backend="loky")(
            delayed(_batch)(simulate_stats, [thetas[i] for i in b], [seeds[i] for i in b]) for b in batches)
        results = [r for rb in res_b for r in rb]
    else:
        results = []
        for i in range(n):
            results.append(simulate_stats(thetas[i], seeds[i]))
            if progress:
                progress(i + 1)
    rows = []
    for th, st in zip(thetas, results):
        pop = st.get("_population", float("nan"))
        rows.append({**th, **{t.id: st[t.id] for t in targets}, "distance": distance(st, targets, pop)})
    df = pd.DataFrame(rows)
    k = max(1, int(round(accept * n)))
    order = np.argsort(df["distance"].to_numpy(), kind="stable")
    df["accepted"] = False
    df.loc[order[:k], "accepted"] = True
    df.insert(0, "draw", np.arange(n))
    return df


def _batch(fn, thetas, seeds):
    return [fn(t, s) for t, s in zip(thetas, seeds)]


# ----------------------------------------------------------------------------- plans
@dataclass(frozen=True)
class Plan:
    """Calibration plan of one locality (from ``targets.yaml``)."""

    name: str
    scenario: Mapping
    set: Mapping
    priors: tuple
    targets: tuple
    n_simulations: int = 400
    accept: float = 0.05
    seed: int = 0
    check_replicates: int = 20
    refine_replicates: int = 5
    note: str = ""


def load_plans(path=None) -> dict[str, Plan]:
    """Read the calibration plans (``datasets/scenarios/targets.yaml`` by default)."""
    import yaml

    from govlab.datasets import dataset_path

    p = path or dataset_path("scenarios", "targets.yaml")
    raw = yaml.safe_load(open(p, encoding="utf-8").read()) or {}
    plans = {}
    for name, d in (raw.get("localities") or {}).items():
        key = f"localities.{name}"
        check_keys(d, ("scenario", "set", "fit", "targets", "check_replicates", "note"), key)
        fit = d.get("fit") or {}
        check_keys(fit, ("method", "n_simulations", "accept", "seed", "priors", "refine_replicates"), f"{key}.fit")
        priors = tuple(Prior.from_dict(k, v, f"{key}.fit.priors") for k, v in (fit.get("priors") or {}).items())
        targets = tuple(Target.from_dict(t, f"{key}.targets[{i}]") for i, t in enumerate(d.get("targets") or []))
        setv = d.get("set") or {}
        Params.default().updated({k: (v["value"] if isinstance(v, Mapping) else v) for k, v in setv.items()},
                                 prefix=f"{key}.set")
        plans[name] = Plan(name=name, scenario=dict(d.get("scenario") or {}), set=dict(setv), priors=priors,
                           targets=targets, n_simulations=int(fit.get("n_simulations", 400)),
                           accept=float(fit.get("accept", 0.05)), seed=int(fit.get("seed", 0)),
                           refine_replicates=int(fit.get("refine_replicates", 5)),
                           check_replicates=int(d.get("check_replicates", 20)), note=str(d.get("note", "")))
    return plans


def _set_values(plan: Plan) -> dict:
    return {k: (v["value"] if isinstance(v, Mapping) else v) for k, v in plan.set.items()}


class _Simulator:
    """Picklable simulator for one plan: compiles the locality once and simulates a draw."""

    def __init__(self, plan: Plan, fitted: Mapping | None = None):
        self.plan = plan
        self.fitted = dict(fitted or {})
        self._cache = None

    def _base(self):
        from govlab.scenarios.scenario import Scenario

        if self._cache is None:
            sc = Scenario.from_dict({**self.plan.scenario, "calibration": None, "replicates": 1})
            loc, p, loop = sc.build()
            p = p.updated(_set_values(self.plan)).updated(self.fitted)
            self._cache = (sc, loc, p, loop, {})
        return self._cache

    def run(self, theta: Mapping, seed_seq) -> pd.DataFrame:
        from govlab.scenarios.year import compile_locality, simulate

        sc, loc, p, loop, comp_cache = self._base()
        p = p.updated(dict(theta))
        ckey = tuple((k, repr(p[k])) for k in COMPILE_KEYS)
        if ckey not in comp_cache:
            comp_cache.clear()
            comp_cache[ckey] = compile_locality(loc, p, loop)
        out = simulate(comp_cache[ckey], p, sc.year_list, np.random.default_rng(seed_seq))
        return out.long()

    def __call__(self, theta, seed_seq) -> dict:
        m = self.run(theta, seed_seq)
        st = {t.id: t.statistic(m) for t in self.plan.targets}
        st["_population"] = _population(m)
        return st

    def __getstate__(self):
        return {"plan": self.plan, "fitted": self.fitted, "_cache": None}


@dataclass(frozen=True)
class CalibrationResult:
    """Result of :func:`calibrate` for one locality."""

    name: str
    plan: Plan
    draws: pd.DataFrame            # every prior draw with statistics, distance, accepted
    fitted: dict                   # key -> posterior median
    intervals: dict                # key -> (5%, 95%)
    check: pd.DataFrame            # target, interval, simulated mean/lo/hi, holds
    refine: pd.DataFrame | None = None  # accepted draws re-simulated: mean statistics and distance

    @property
    def posterior(self) -> pd.DataFrame:
        return self.draws[self.draws["accepted"]]

    def entry(self) -> dict:
        """The locality's block of ``calibration.yaml``."""
        fitted_to = [t.id for t in self.plan.targets]
        ent: dict[str, Any] = {"method": "rejection ABC" if self.plan.priors else "set from report (no fit)",
                               "scenario": dict(self.plan.scenario)}
        ent["set"] = {k: dict(v) if isinstance(v, Mapping) else {"value": v} for k, v in self.plan.set.items()}
        if self.plan.priors:
            ent["abc"] = {"n_simulations": self.plan.n_simulations, "accepted": int(self.draws["accepted"].sum()),
                          "seed": self.plan.seed,
                          "max_accepted_distance": round(float(self.posterior["distance"].max()), 6),
                          "point": f"the accepted draw whose mean over {self.plan.refine_replicates} re-simulations "
                                   "fits best (posterior 5-95% range as interval)"}
            ent["fitted"] = {}
            for pr in self.plan.priors:
                lo, hi = self.intervals[pr.key]
                ent["fitted"][pr.key] = {
                    "value": _round(self.fitted[pr.key]), "posterior_median": _round(self.posterior[pr.key].median()),
                    "interval_90": [_round(lo), _round(hi)],
                    "prior": {"loguniform" if pr.log else "uniform": [pr.low, pr.high]},
                    "fitted_to": fitted_to}
        ent["targets"] = {t.id: {"metric": t.metric, **({"per": t.per} if t.per else {}), "agg": t.agg,
                                 "years": list(t.years) if t.years else None, "interval": list(t.interval),
                                 **({"scale_to_population": t.scale_to_population} if t.scale_to_population else {}),
                                 "doc_id": t.doc_id, "fact": t.fact} for t in self.plan.targets}
        ent["check"] = {r.target: {"interval": [_round(r.low), _round(r.high)], "mean": _round(r.mean),
                                   "lo_90": _round(r.lo), "hi_90": _round(r.hi), "holds": bool(r.holds)}
                        for r in self.check.itertuples()}
        return ent


def _round(x: float) -> float:
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return x
    return float(f"{x:.4g}")


def check_calibration_targets(name: str, params: Mapping | None = None, plan: Plan | None = None, replicates: int | None = None,
                  seed: int = 12345) -> pd.DataFrame:
    """Run a calibrated locality over replicates and test each target.

    Parameters
    ----------
    name : str
        Locality (plan) name.
    params : mapping, optional
        Fitted values; default: those shipped in ``calibration.yaml``.
    replicates : int, optional
        Default: the plan's ``check_replicates``.

    Returns
    -------
    DataFrame
        ``target, metric, low, high, mean, lo, hi, holds`` -- ``holds`` when the replicate mean lies
        in the (population-scaled) interval; ``lo``/``hi`` the 5-95% range over replicates.
    """
    from govlab.scenarios.scenario import calibrated_params

    plan = plan or load_plans()[name]
    if params is None:
        params = {k: v for k, v in calibrated_params(name).items() if k not in _set_values(plan)}
    sim = _Simulator(plan, params)
    R = replicates or plan.check_replicates
    rows = {t.id: [] for t in plan.targets}
    pops = []
    for r in range(R):
        m = sim.run({}, np.random.SeedSequence(seed, spawn_key=(r,)))
        pops.append(_population(m))
        for t in plan.targets:
            rows[t.id].append(t.statistic(m))
    pop = float(np.mean(pops))
    out = []
    for t in plan.targets:
        v = np.asarray(rows[t.id], float)
        lo, hi = t.bounds(pop)
        mean = float(np.nanmean(v))
        out.append({"target": t.id, "metric": t.metric, "low": lo, "high": hi, "mean": mean,
                    "lo": float(np.nanquantile(v, 0.05)), "hi": float(np.nanquantile(v, 0.95)),
                    "holds": bool(lo - 1e-9 <= mean <= hi + 1e-9), "doc_id": t.doc_id})
    return pd.DataFrame(out)


def calibrate(name: str, *, plan: Plan | None = None, n_simulations: int | None = None, accept: float | None = None,
              seed: int | None = None, n_jobs: int = 1, check_replicates: int | None = None,
              progress: Callable | None = None) -> CalibrationResult:
    """Calibrate one locality by rejection ABC against its report's figures.

    Parameters
    ----------
    name : str
        A locality with a plan in ``datasets/scenarios/targets.yaml`` (gansu-extension,
        shangyou-620, nantong-youshi, prov-x-survey, xx-city-districts) -- or give ``plan``.
    n_simulations, accept, seed : optional
        Override the plan's ABC settings.
    n_jobs : int
        Local worker processes (joblib/loky).

    Returns
    -------
    CalibrationResult
        Posterior draws, fitted medians with 90% intervals, and the check of every target.

    Examples
    --------
    >>> res = calibrate("shangyou-620", n_simulations=20, accept=0.2, check_replicates=2)  # doctest: +SKIP
    >>> sorted(res.fitted)  # doctest: +SKIP
    ['events.extra_x', 'events.quota_enforcement', 'members.items_per_attendance']
    """
    plan = plan or load_plans()[name]
    plan = replace(plan, **{k: v for k, v in dict(n_simulations=n_simulations, accept=accept, seed=seed,
                                                   check_replicates=check_replicates).items() if v is not None})
    sim = _Simulator(plan)
    if plan.priors:
        draws = rejection_abc(sim, plan.priors, plan.targets, n_simulations=plan.n_simulations,
                              accept=plan.accept, seed=plan.seed, n_jobs=n_jobs, progress=progress)
        post = draws[draws["accepted"]]
        intervals = {p.key: (float(post[p.key].quantile(0.05)), float(post[p.key].quantile(0.95))) for p in plan.priors}
        fitted, refine = _best_accepted(sim, plan, post, n_jobs=n_jobs)
        # the values shipped are rounded to 4 significant digits: check exactly those
        fitted = {k: (v if SCHEMA[k].kind == "count" else _round(v)) for k, v in fitted.items()}
    else:
        draws = pd.DataFrame(columns=["draw", "distance", "accepted"])
        fitted, intervals = {}, {}
    check = check_calibration_targets(name, fitted, plan=plan, replicates=plan.check_replicates)
    return CalibrationResult(name=name, plan=plan, draws=draws, fitted=fitted, intervals=intervals, check=check,
                             refine=refine if plan.priors else None)


def _best_accepted(sim, plan: Plan, post: pd.DataFrame, n_jobs: int = 1):
    """Re-simulate each accepted draw ``refine_replicates`` times and keep the one whose mean
    statistics fit best (ties: the draw nearest the posterior median). On a posterior ridge --
    two rates trading off against each other -- the marginal medians can fall off the ridge; a
    draw that was accepted cannot."""
    keys = [p.key for p in plan.priors]
    R = plan.refine_replicates
    base = plan.n_simulations + 1
    rows = []
    tasks = [(i, {k: float(r[k]) for k in keys}) for i, r in post.iterrows()]
    seeds = [np.random.SeedSequence(plan.seed, spawn_key=(base + j,)) for j in range(R)]

    def one(theta):
        stats = [sim(theta, ss) for ss in seeds]
        mean = {t.id: float(np.nanmean([s[t.id] for s in stats])) for t in plan.targets}
        pop = float(np.nanmean([s["_population"] for s in stats]))
        return mean, distance(mean, plan.targets, pop)

    if n_jobs and n_jobs > 1:
        from joblib import Parallel, delayed

        res = Parallel(n_jobs=n_jobs, backend="loky")(delayed(_refine_one)(sim, th, seeds, plan.targets) for _, th in tasks)
    else:
        res = [one(th) for _, th in tasks]
    med = {k: float(post[k].median()) for k in keys}
    spread = {k: float(post[k].std()) or 1.0 for k in keys}
    for (i, th), (mean, d) in zip(tasks, res):
        near = math.sqrt(sum(((th[k] - med[k]) / spread[k]) ** 2 for k in keys))
        rows.append({"draw": int(post.loc[i, "draw"]), **th, **mean, "distance": d, "from_median": near})
    ref = pd.DataFrame(rows).sort_values(["distance", "from_median"], kind="stable").reset_index(drop=True)
    best = ref.iloc[0]
    fitted = {}
    for k in keys:
        v = float(best[k])
        fitted[k] = check_value(k, SCHEMA[k], round(v) if SCHEMA[k].kind == "count" else v)
    return fitted, ref


def _refine_one(sim, theta, seeds, targets):
    stats = [sim(theta, ss) for ss in seeds]
    mean = {t.id: float(np.nanmean([s[t.id] for s in stats])) for t in targets}
    pop = float(np.nanmean([s["_population"] for s in stats]))
    return mean, distance(mean, targets, pop)


def write_calibration(results: Sequence[CalibrationResult], path=None) -> str:
    """Write (or update) ``calibration.yaml`` with the given localities' entries."""
    import yaml

    from govlab.datasets import datasets_dir
    from govlab.io import write_text

    path = path or (datasets_dir() / "scenarios" / "calibration.yaml")
    try:
        old = yaml.safe_load(open(path, encoding="utf-8").read()) or {}
    except FileNotFoundError:
        old = {}
    locs = dict(old.get("localities") or {})
    for r in results:
        locs[r.name] = r.entry()
    header = ("# Calibrated scenario rates (written by `govlab scenario calibrate`; do not edit by hand).\n"
              "# Per locality: values set from the report (`set`), rates fitted by rejection ABC (`fitted`:\n"
              "# posterior median, 90% interval, prior, and `fitted_to` = the targets below), the targets\n"
              "# (reported figures with doc_id) and the check of the calibrated baseline against them.\n")
    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    text = header + yaml.dump({"localities": dict(sorted(locs.items()))}, Dumper=_NoAliases, allow_unicode=True,
                              sort_keys=False, width=110)
    write_text(path, text)
    # the accepted draws (posterior sample) beside it, for plots of the fit's uncertainty
    from govlab.io import write_csv

    post_path = Path(path).with_name("calibration_posterior.csv")
    try:
        old_post = pd.read_csv(post_path)
    except FileNotFoundError:
        old_post = pd.DataFrame(columns=["locality", "draw", "parameter", "value", "distance"])
    names = {r.name for r in results}
    rows = [old_post[~old_post["locality"].isin(names)]]
    for r in results:
        if r.plan.priors:
            post = r.posterior
            for pr in r.plan.priors:
                rows.append(pd.DataFrame({"locality": r.name, "draw": post["draw"].to_numpy(), "parameter": pr.key,
                                          "value": post[pr.key].map(_round).to_numpy(),
                                          "distance": post["distance"].round(6).to_numpy()}))
    allp = pd.concat([x for x in rows if len(x)], ignore_index=True)
    allp = allp.sort_values(["locality", "parameter", "draw"], kind="stable").reset_index(drop=True)
    write_csv(allp, post_path)
    for p in (Path(path), post_path):  # shipped data: readable by all (atomic writes create 0600 files)
        p.chmod(0o644)
    from govlab.scenarios.scenario import _calibration_file

    _calibration_file.cache_clear()
    return str(path)


def plot_posterior(result: CalibrationResult):
    """Prior draws and accepted draws of each fitted rate (a scatter matrix of the first two)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    keys = [p.key for p in result.plan.priors]
    fig = make_subplots(rows=1, cols=len(keys), subplot_titles=keys)
    for i, k in enumerate(keys):
        d = result.draws
        fig.add_trace(go.Histogram(x=d[k].round(6), name="prior draws", marker_color="#bbb", opacity=0.6,
                                   showlegend=i == 0, nbinsx=30), 1, i + 1)
        fig.add_trace(go.Histogram(x=d.loc[d["accepted"], k].round(6), name="accepted (posterior)",
                                   marker_color="#4C72B0", showlegend=i == 0, nbinsx=30), 1, i + 1)
        fig.add_vline(x=round(result.fitted[k], 6), line_dash="dash", row=1, col=i + 1)
    fig.update_layout(barmode="overlay", title=f"ABC posterior: {result.name}", height=320)
    return fig


# ----------------------------------------------------------------------------- out-of-sample checks
LOO_COLUMNS = ["locality", "left_out", "metric", "fitted_on", "reported_low", "reported_high", "predicted",
               "pi_low", "pi_high", "covered", "midpoint_inside", "share_inside", "width_ratio", "relative_error", "n_posterior",
               "n_predictive", "note"]
LOO_POSTERIOR_COLUMNS = ["locality", "left_out", "parameter", "median", "lo_90", "hi_90", "prior_width_share"]


def _real_scale(t: Target, value: np.ndarray | float, population: float):
    """A statistic of the synthetic locality expressed at the real locality's population."""
    if t.scale_to_population and population and np.isfinite(population):
        return np.asarray(value, float) * (float(t.scale_to_population) / population)
    return np.asarray(value, float)


def predictive_interval(values: np.ndarray, level: float = 0.9) -> tuple[float, float, float]:
    """(median, low, high) of a predictive sample: the central ``level`` interval.

    Examples
    --------
    >>> predictive_interval(np.arange(5.0), level=0.5)
    (2.0, 1.0, 3.0)
    """
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return (float("nan"),) * 3
    a = (1 - level) / 2
    return float(np.median(v)), float(np.quantile(v, a)), float(np.quantile(v, 1 - a))


def covers(pi: tuple[float, float], reported: tuple[float, float]) -> bool:
    """Whether a predictive interval and a reported figure's interval share a value.

    A reported figure is an interval (its tolerance, or a bound such as "over 400,000" read as
    400,000-500,000): the figure falls inside the prediction when some value the report allows lies in
    the predictive interval.

    Examples
    --------
    >>> covers((10, 20), (18, 30)), covers((10, 20), (21, 30)), covers((10, 20), (12, 12))
    (True, False, True)
    """
    lo, hi = pi
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return False
    return bool(max(lo, reported[0]) <= min(hi, reported[1]))


def _simulate_all(sim: _Simulator, thetas: Sequence[Mapping], seeds: Sequence, n_jobs: int = 1) -> list[dict]:
    if n_jobs and n_jobs > 1:
        from joblib import Parallel, delayed

        idx = np.array_split(np.arange(len(thetas)), max(1, min(len(thetas), n_jobs * 4)))
        res = Parallel(n_jobs=n_jobs, backend="loky")(
            delayed(_batch)(sim, [thetas[i] for i in b], [seeds[i] for i in b]) for b in idx)
        return [r for rb in res for r in rb]
    return [sim(t, s) for t, s in zip(thetas, seeds)]


def leave_one_out(name: str, *, plan: Plan | None = None, n_simulations: int | None = None,
                  accept: float | None = None, seed: int | None = None, predictive_replicates: int = 5,
                  level: float = 0.9, n_jobs: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave-one-out prediction of each of a locality's figures, with posterior predictive intervals.

    For each target ``t`` of the plan: rejection ABC on the *other* targets (the same prior draws
    and simulations serve every fold, so folds differ only in which figure is left out), then each
    accepted parameter vector is simulated ``predictive_replicates`` more times with fresh seeds and
    ``t``'s statistic recorded. The pooled values are a sample of the posterior predictive
    distribution: they carry parameter uncertainty (many accepted draws, not one point) and
    simulation noise. The interval is its central ``level`` range, at the real locality's scale.

    Parameters
    ----------
    name : str
        A plan in ``datasets/scenarios/targets.yaml``.
    n_simulations, accept, seed : optional
        Override the plan's ABC settings.
    predictive_replicates : int
        Fresh simulations per accepted draw.
    level : float
        Coverage of the predictive interval.

    Returns
    -------
    (DataFrame, DataFrame)
        The predictions (columns :data:`LOO_COLUMNS`; ``covered`` is :func:`covers` of the
        predictive and reported intervals, ``share_inside`` the share of the predictive sample
        inside the reported interval, ``width_ratio`` the predictive interval's width over the
        reported interval's: coverage won by a very wide interval is weak evidence) and the posterior of every fold (columns
        :data:`LOO_POSTERIOR_COLUMNS`; ``prior_width_share`` near 1 means the remaining figures
        hardly constrain that rate). A plan with no fitted rate or fewer than two targets gives
        rows with no prediction and a note saying why.

    Examples
    --------
    >>> loo, post = leave_one_out("shangyou-620", n_simulations=12, accept=0.25, predictive_replicates=1)
    >>> sorted(loo["left_out"]), loo["n_posterior"].tolist()
    (['events-per-station', 'items-per-station', 'quota-compliance'], [3, 3, 3])
    """
    plan = plan or load_plans()[name]
    plan = replace(plan, **{k: v for k, v in dict(n_simulations=n_simulations, accept=accept, seed=seed).items()
                            if v is not None})
    rows: list[dict] = []
    post_rows: list[dict] = []
    if not plan.priors or len(plan.targets) < 2:
        why = ("no fitted rate: every figure is an input read from the locality's config (no mechanism "
               "generates it), so none can be predicted out of sample") if not plan.priors else \
              "a single figure: nothing is left to fit on when it is left out"
        for t in plan.targets:
            rows.append({"locality": name, "left_out": t.id, "metric": t.metric, "fitted_on": "",
                         "reported_low": t.interval[0], "reported_high": t.interval[1], "note": why})
        return pd.DataFrame(rows, columns=LOO_COLUMNS), pd.DataFrame(post_rows, columns=LOO_POSTERIOR_COLUMNS)
    sim = _Simulator(plan)
    n = int(plan.n_simulations)
    prior_rng = np.random.default_rng(np.random.SeedSequence(plan.seed, spawn_key=(n,)))
    draws = {p.key: p.draw(prior_rng, n) for p in plan.priors}
    thetas = [{k: float(v[i]) for k, v in draws.items()} for i in range(n)]
    seeds = [np.random.SeedSequence(plan.seed, spawn_key=(i,)) for i in range(n)]
    stats = _simulate_all(sim, thetas, seeds, n_jobs)
    k = max(1, int(round(plan.accept * n)))
    for j, left in enumerate(plan.targets):
        others = [t for t in plan.targets if t.id != left.id]
        dist = np.array([distance(st, others, st["_population"]) for st in stats])
        accepted = np.argsort(dist, kind="stable")[:k]
        pred_thetas, pred_seeds = [], []
        for a in accepted:
            for r in range(predictive_replicates):
                pred_thetas.append(thetas[a])
                pred_seeds.append(np.random.SeedSequence(plan.seed, spawn_key=(n + 2, j, int(a), r)))
        pred = _simulate_all(sim, pred_thetas, pred_seeds, n_jobs)
        values = np.array([float(_real_scale(left, p[left.id], p["_population"])) for p in pred])
        med, lo, hi = predictive_interval(values, level)
        rep_lo, rep_hi = left.interval
        mid = 0.5 * (rep_lo + rep_hi)
        inside = values[np.isfinite(values)]
        notes = []
        for pr in plan.priors:
            v = np.array([thetas[a][pr.key] for a in accepted])
            f = np.log if pr.log else (lambda x: x)
            width = (f(np.quantile(v, 0.95)) - f(np.quantile(v, 0.05))) / (0.9 * (f(pr.high) - f(pr.low)))
            post_rows.append({"locality": name, "left_out": left.id, "parameter": pr.key,
                              "median": _round(np.median(v)), "lo_90": _round(np.quantile(v, 0.05)),
                              "hi_90": _round(np.quantile(v, 0.95)), "prior_width_share": round(float(width), 3)})
            if width > 0.8:
                notes.append(f"{pr.key} barely constrained without this figure")
        rows.append({"locality": name, "left_out": left.id, "metric": left.metric,
                     "fitted_on": ";".join(t.id for t in others), "reported_low": rep_lo, "reported_high": rep_hi,
                     "predicted": _round(med), "pi_low": _round(lo), "pi_high": _round(hi),
                     "covered": covers((lo, hi), (rep_lo, rep_hi)), "midpoint_inside": bool(lo <= mid <= hi),
                     "share_inside": round(float(np.mean((inside >= rep_lo) & (inside <= rep_hi))), 3)
                     if inside.size else float("nan"),
                     "width_ratio": round(float((hi - lo) / max(rep_hi - rep_lo, 0.1 * abs(mid), 1e-9)), 2),
                     "relative_error": round(med / mid - 1, 3) if mid else float("nan"),
                     "n_posterior": int(len(accepted)), "n_predictive": int(np.isfinite(values).sum()),
                     "note": "; ".join(notes)})
    return pd.DataFrame(rows, columns=LOO_COLUMNS), pd.DataFrame(post_rows, columns=LOO_POSTERIOR_COLUMNS)


def coverage_summary(loo: pd.DataFrame) -> pd.DataFrame:
    """Per locality and overall: figures, figures predicted, covered, and the coverage share.

    Examples
    --------
    >>> loo = pd.DataFrame({"locality": ["a", "a", "b"], "predicted": [1.0, 2.0, float("nan")],
    ...                     "covered": [True, False, None]})
    >>> coverage_summary(loo).loc["all"].tolist()
    [3.0, 2.0, 1.0, 0.5]
    """
    df = loo.copy()
    df["has"] = pd.to_numeric(df["predicted"], errors="coerce").notna()
    df["cov"] = df["has"] & (df["covered"].astype(str).str.lower() == "true")
    g = df.groupby("locality").agg(figures=("has", "size"), predicted=("has", "sum"), covered=("cov", "sum"))
    g.loc["all"] = g.sum()
    g = g.astype(float)
    g["coverage"] = (g["covered"] / g["predicted"].where(g["predicted"] > 0)).round(3)
    return g


def write_loo(names: Sequence[str] | None = None, *, out_dir=None, n_jobs: int = 1, predictive_replicates: int = 5,
              n_simulations: int | None = None, accept: float | None = None,
              progress: Callable | None = None) -> tuple[str, str]:
    """Run :func:`leave_one_out` for the given plans (default: all) and write ``loo.csv`` and
    ``loo_posterior.csv`` (rounded; rows of other localities already in the files are kept)."""
    from govlab.datasets import datasets_dir
    from govlab.io import write_csv

    out_dir = Path(out_dir) if out_dir else datasets_dir() / "scenarios"
    plans = load_plans()
    names = list(names) if names else sorted(plans)
    paths = (out_dir / "loo.csv", out_dir / "loo_posterior.csv")
    results = []
    for nm in names:
        if progress:
            progress(nm)
        results.append(leave_one_out(nm, plan=plans[nm], n_jobs=n_jobs, predictive_replicates=predictive_replicates,
                                     n_simulations=n_simulations, accept=accept))
    for i, (path, cols) in enumerate(zip(paths, (LOO_COLUMNS, LOO_POSTERIOR_COLUMNS))):
        try:
            old = pd.read_csv(path)
            old = old[~old["locality"].isin(names)]
        except FileNotFoundError:
            old = pd.DataFrame(columns=cols)
        parts = [x for x in [old] + [r[i] for r in results] if len(x)]
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        order = {nm: j for j, nm in enumerate(sorted(plans))}
        df = df.sort_values("locality", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
        df = df[cols].copy()
        for c in ("n_posterior", "n_predictive"):
            if c in df:
                df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
        write_csv(df, path)
        path.chmod(0o644)
    return str(paths[0]), str(paths[1])


SCALE_COLUMNS = ["locality", "scale", "population", "statistic", "year", "mean", "lo_90", "hi_90", "reported_low",
                 "reported_high", "holds"]


def scale_check(name: str, scales: Sequence[float] = (0.05, 1.0), *, replicates: int = 5, seed: int = 12345,
                plan: Plan | None = None, yearly: Sequence[str] = ("open_workstation", "events", "solved")) -> pd.DataFrame:
    """The calibrated baseline of one locality at several build scales, with the same rates.

    For each scale the plan's scenario is built with ``locality_overrides: {scale: s}`` and run
    ``replicates`` times with the shipped calibrated rates. Each target's statistic is expressed at
    the real locality's population (so scales compare like for like) against the reported interval;
    ``yearly`` metrics are kept per year (``year`` set) to show, for instance, the phased roll-out.

    Returns
    -------
    DataFrame
        Columns :data:`SCALE_COLUMNS` (rounded to 4 significant digits).
    """
    from govlab.scenarios.scenario import calibrated_params

    plan = plan or load_plans()[name]
    fitted = {k: v for k, v in calibrated_params(name).items() if k not in _set_values(plan)}
    rows = []
    for s_ in scales:
        sc_plan = replace(plan, scenario={**plan.scenario,
                                          "locality_overrides": {**dict(plan.scenario.get("locality_overrides") or {}),
                                                                 "scale": float(s_)}})
        sim = _Simulator(sc_plan, fitted)
        runs = [sim.run({}, np.random.SeedSequence(seed, spawn_key=(r,))) for r in range(replicates)]
        pops = [_population(m) for m in runs]
        for t in plan.targets:
            v = np.array([float(_real_scale(t, t.statistic(m), p)) for m, p in zip(runs, pops)])
            rows.append({"locality": name, "scale": float(s_), "population": float(np.mean(pops)), "statistic": t.id,
                         "year": np.nan, "mean": float(np.mean(v)), "lo_90": float(np.quantile(v, 0.05)),
                         "hi_90": float(np.quantile(v, 0.95)), "reported_low": t.interval[0],
                         "reported_high": t.interval[1],
                         "holds": bool(t.interval[0] <= np.mean(v) <= t.interval[1])})
        for metric in yearly:
            per = pd.concat([m[m["metric"] == metric][["year", "value"]] for m in runs])
            for y, g in per.groupby("year", sort=True):
                v = g["value"].to_numpy(float)
                rows.append({"locality": name, "scale": float(s_), "population": float(np.mean(pops)),
                             "statistic": metric, "year": int(y), "mean": float(v.mean()),
                             "lo_90": float(np.quantile(v, 0.05)), "hi_90": float(np.quantile(v, 0.95))})
    df = pd.DataFrame(rows, columns=SCALE_COLUMNS)
    for c in ("population", "mean", "lo_90", "hi_90", "reported_low", "reported_high"):
        df[c] = df[c].map(lambda x: _round(x) if pd.notna(x) else x)
    df["year"] = df["year"].astype("Int64")
    return df


SENSITIVITY_COLUMNS = ["locality", "parameter", "value", "shipped", "statistic", "mean", "lo_90", "hi_90",
                       "reported_low", "reported_high", "holds"]


def assumption_sensitivity(name: str, changes: Mapping[str, Sequence[float]] | None = None, *, replicates: int = 3,
                           seed: int = 777, plan: Plan | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity of a calibrated baseline to the values its plan sets as ASSUMPTION.

    Each assumed value is replaced by each of ``changes[key]`` (default: the plan's assumed rates
    in ``set`` at half and one and a half times their value, capped to [0, 1]; the shipped value is
    included) with the other values and the fitted rates as shipped, over the same seeds.

    Returns
    -------
    DataFrame
        Columns :data:`SENSITIVITY_COLUMNS`: each target's statistic at the real locality's scale.
    """
    from govlab.scenarios.scenario import calibrated_params

    plan = plan or load_plans()[name]
    setv = _set_values(plan)
    if changes is None:
        changes = {}
        for k, v in plan.set.items():
            if isinstance(v, Mapping) and v.get("assumption") and isinstance(v.get("value"), float) \
                    and SCHEMA[k].kind.startswith("rate"):
                x = float(v["value"])
                changes[k] = sorted({round(min(1.0, x * 0.5), 4), x, round(min(1.0, x * 1.5), 4)})
    fitted = {k: v for k, v in calibrated_params(name).items() if k not in setv}
    sim = _Simulator(plan, fitted)
    rows = []
    for key, values in changes.items():
        for val in values:
            runs = [sim.run({key: float(val)}, np.random.SeedSequence(seed, spawn_key=(r,))) for r in range(replicates)]
            pops = [_population(m) for m in runs]
            for t in plan.targets:
                v = np.array([float(_real_scale(t, t.statistic(m), p)) for m, p in zip(runs, pops)])
                rows.append({"locality": name, "parameter": key, "value": float(val),
                             "shipped": bool(np.isclose(float(val), float(setv.get(key, np.nan)))),
                             "statistic": t.id, "mean": _round(np.mean(v)), "lo_90": _round(np.quantile(v, 0.05)),
                             "hi_90": _round(np.quantile(v, 0.95)), "reported_low": t.interval[0],
                             "reported_high": t.interval[1], "holds": bool(t.interval[0] <= np.mean(v) <= t.interval[1])})
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m govlab.scenarios.calibrate --loo [NAME ...]``: write the leave-one-out tables;
    ``--scale-check NAME``: the calibrated baseline at scales 0.05 and 1 (``scale_check.csv``)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m govlab.scenarios.calibrate", description=main.__doc__)
    ap.add_argument("names", nargs="*", help="localities (default: every plan)")
    ap.add_argument("--loo", action="store_true", help="leave-one-out predictions and coverage")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--predictive-replicates", type=int, default=5)
    ap.add_argument("--n-simulations", type=int, default=None, help="override the plans' prior draws (--loo)")
    ap.add_argument("--accept", type=float, default=None, help="override the plans' accepted share (--loo)")
    ap.add_argument("--scale-check", action="store_true", help="calibrated baseline at scale 0.05 and 1")
    ap.add_argument("--sensitivity", action="store_true",
                    help="one-at-a-time sensitivity to the plan's assumed values (sensitivity.csv)")
    ap.add_argument("--replicates", type=int, default=5, help="replicates per scale (--scale-check)")
    args = ap.parse_args(argv)
    if args.sensitivity:
        from govlab.datasets import datasets_dir
        from govlab.io import write_csv

        names = args.names or ["gansu-extension"]
        changes = {"gansu-extension": {"events.funded_share": [0.25, 0.5, 0.75, 1.0],
                                       "turnover.deputy_activity": [0.3, 0.6, 0.9]}}
        df = pd.concat([assumption_sensitivity(n, changes.get(n), replicates=args.replicates) for n in names],
                       ignore_index=True)
        path = datasets_dir() / "scenarios" / "sensitivity.csv"
        try:
            old = pd.read_csv(path)
            df = pd.concat([old[~old["locality"].isin(names)], df], ignore_index=True)
        except FileNotFoundError:
            pass
        write_csv(df[SENSITIVITY_COLUMNS], path)
        path.chmod(0o644)
        print(df.to_string(index=False))
        print("wrote", path)
        return 0
    if args.scale_check:
        from govlab.datasets import datasets_dir
        from govlab.io import write_csv

        names = args.names or ["gansu-extension"]
        df = pd.concat([scale_check(n, replicates=args.replicates) for n in names], ignore_index=True)
        path = datasets_dir() / "scenarios" / "scale_check.csv"
        try:
            old = pd.read_csv(path)
            df = pd.concat([old[~old["locality"].isin(names)], df], ignore_index=True)
        except FileNotFoundError:
            pass
        df["year"] = df["year"].astype("Int64")
        write_csv(df[SCALE_COLUMNS], path)
        path.chmod(0o644)
        print(df[df["year"].isna()].to_string(index=False))
        print("wrote", path)
        return 0
    if not args.loo:
        ap.error("nothing to do: give --loo or --scale-check")
    paths = write_loo(args.names or None, n_jobs=args.jobs, predictive_replicates=args.predictive_replicates,
                      n_simulations=args.n_simulations, accept=args.accept,
                      progress=lambda nm: print(f"leave-one-out: {nm}", flush=True))
    loo = pd.read_csv(paths[0])
    print(coverage_summary(loo).to_string())
    print("wrote", *paths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
