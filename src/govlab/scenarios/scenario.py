"""Scenarios as data: a YAML file (or mapping) naming a locality, years, replicates, parameter
overrides, levers and variants to compare; :func:`run_scenario` runs it.

A scenario file::

    name: gansu-compensation
    locality: gansu-extension        # a shipped locality config, a path, or "toy"
    locality_seed: 1                 # seed of govlab.network.synthesize
    locality_overrides: {scale: 0.05}
    calibration: gansu-extension     # calibrated rates from datasets/scenarios/calibration.yaml
    parameter_uncertainty: true      # replicate r runs posterior draw r (all variants alike)
    seed: 7                          # root seed of the simulation
    start_year: 2019
    years: 5
    replicates: 20
    params: {loop: {handle: 0.7}}    # overrides of model parameters (key paths)
    levers: {compensation: {residents: 1.0}}
    variants:                        # compared against the baseline (the scenario itself)
      online: {levers: {online_rooms: {units: all_counties}}}

Replicate ``r`` of every variant uses the same seed, ``SeedSequence(seed, spawn_key=(r,))``
(common random numbers, in every year and stage: see :func:`govlab.scenarios.year.simulate`), so
differences between variants are not sampling noise of the seeds. With ``parameter_uncertainty``
replicate ``r`` of every variant also uses the same accepted ABC draw of the calibration's posterior
(``calibration_posterior.csv``, draw ``r`` modulo their number), so the spread over replicates, and
the intervals of :func:`~govlab.scenarios.outcomes.compare_scenarios`, carry parameter uncertainty
as well as simulation noise.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govlab.errors import ConfigError
from govlab.scenarios.config import Params, ScenarioFile, Spec, check_keys, check_value, validate_scenario
from govlab.scenarios.levers import apply_levers, levers_from_config
from govlab.scenarios.year import compile_locality, resolve_loop, simulate

SCENARIO_KEYS = tuple(ScenarioFile.model_fields)  # the keys are declared once, in ScenarioFile
VARIANT_KEYS = ("description", "params", "levers")
_INT = Spec("count", None, "", "")


# --------------------------------------------------------------------------- calibration file
@lru_cache(maxsize=4)
def _calibration_file(path: str | None = None) -> dict:
    import yaml

    from govlab.datasets import datasets_dir

    p = Path(path) if path else datasets_dir() / "scenarios" / "calibration.yaml"
    if not p.exists():
        return {}
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    return data.get("localities", {})


def calibrated_params(name: str | None, path: str | None = None) -> dict[str, Any]:
    """The calibrated and report-set parameter values of a locality (flat key paths).

    Reads ``datasets/scenarios/calibration.yaml``: ``set`` values (taken from a report or
    assumed) and ``fitted`` values (posterior medians). Unknown name: empty dict.

    Examples
    --------
    >>> calibrated_params("shangyou-620")["events.quota_events"]
    4
    """
    if not name:
        return {}
    entry = _calibration_file(path).get(name)
    if entry is None:
        return {}
    out: dict[str, Any] = {}
    for k, v in (entry.get("set") or {}).items():
        out[k] = v["value"] if isinstance(v, Mapping) and "value" in v else v
    for k, v in (entry.get("fitted") or {}).items():
        out[k] = v["value"] if isinstance(v, Mapping) else v
    return out


# --------------------------------------------------------------------------- localities
@lru_cache(maxsize=8)
def _load_locality_cached(spec: str, seed: int, overrides: str):
    ov = json.loads(overrides) if overrides else None
    if spec == "toy" or spec.startswith("toy:"):
        from govlab.scenarios.toy import toy_locality

        kwargs = json.loads(spec[4:]) if spec.startswith("toy:") else {}
        return toy_locality(seed=seed, **kwargs, **(ov or {}))
    from govlab.network import load_locality_config, synthesize

    return synthesize(load_locality_config(spec, overrides=ov), seed=seed)


def load_locality(spec, seed: int = 0, overrides: Mapping | None = None):
    """A locality from a shipped config name, a path, ``"toy"``, or a Locality object (returned as is).

    Localities are cached per process (by name, seed and overrides), so sweep workers build each
    one once.
    """
    if not isinstance(spec, (str, os.PathLike)):
        return spec
    return _load_locality_cached(str(spec), int(seed), json.dumps(dict(overrides or {}), sort_keys=True))


# --------------------------------------------------------------------------- scenario
@dataclass(frozen=True)
class Scenario:
    """A scenario: locality, years, replicates, parameter overrides, levers and variants.

    Build with :meth:`from_dict` or :func:`load_scenario` (both validate).
    """

    name: str = "scenario"
    locality: Any = "toy"
    locality_seed: int = 0
    locality_overrides: Mapping = field(default_factory=dict)
    calibration: str | None = None
    seed: int = 0
    start_year: int = 2019
    years: int = 5
    replicates: int = 10
    loop: tuple | None = None
    params: Mapping = field(default_factory=dict)
    levers: Mapping = field(default_factory=dict)
    variants: Mapping = field(default_factory=dict)
    description: str = ""
    source: str | None = None
    parameter_uncertainty: bool = False

    @classmethod
    def from_dict(cls, d: Mapping, source: str | None = None) -> Scenario:
        """Validate a scenario mapping; errors name ``source`` and the key path."""
        validate_scenario(d, source)  # keys, types, bounds, locality and calibration names
        try:
            check_keys(d, SCENARIO_KEYS, "")
            kw: dict[str, Any] = {}
            for k in ("name", "description"):
                if k in d:
                    kw[k] = str(d[k])
            if "locality" in d:
                kw["locality"] = d["locality"]
            for k in ("locality_seed", "seed", "replicates", "years"):
                if k in d:
                    kw[k] = check_value(k, _INT, d[k])
            if kw.get("years", 1) < 1:
                raise ConfigError("expected at least one year", key="years")
            if kw.get("replicates", 1) < 1:
                raise ConfigError("expected at least one replicate", key="replicates")
            if "start_year" in d:
                kw["start_year"] = check_value("start_year", _INT, d["start_year"])
            if "parameter_uncertainty" in d:
                if not isinstance(d["parameter_uncertainty"], bool):
                    raise ConfigError(f"expected true or false, got {d['parameter_uncertainty']!r}",
                                      key="parameter_uncertainty")
                kw["parameter_uncertainty"] = d["parameter_uncertainty"]
            if "locality_overrides" in d:
                if not isinstance(d["locality_overrides"], Mapping):
                    raise ConfigError("expected a mapping", key="locality_overrides")
                kw["locality_overrides"] = dict(d["locality_overrides"])
            if "calibration" in d:
                kw["calibration"] = None if d["calibration"] in (None, False, "none") else str(d["calibration"])
            else:
                kw["calibration"] = _default_calibration(kw.get("locality", "toy"))
            if "loop" in d and d["loop"] is not None:
                resolve_loop(steps=d["loop"])  # validates step names
                kw["loop"] = tuple(d["loop"])
            params = d.get("params") or {}
            Params.default().updated(params)  # validates keys and ranges
            kw["params"] = dict(params)
            levers = d.get("levers") or {}
            levers_from_config(levers)  # validates
            kw["levers"] = dict(levers)
            variants = d.get("variants") or {}
            if not isinstance(variants, Mapping):
                raise ConfigError("expected a mapping of variant name -> {params, levers}", key="variants")
            for vname, v in variants.items():
                if vname == "baseline":
                    raise ConfigError("'baseline' is the scenario itself; choose another name", key=f"variants.{vname}")
                check_keys(v or {}, VARIANT_KEYS, f"variants.{vname}")
                Params.default().updated((v or {}).get("params") or {}, prefix=f"variants.{vname}.params")
                levers_from_config((v or {}).get("levers") or {}, prefix=f"variants.{vname}.levers")
            kw["variants"] = {str(k): dict(v or {}) for k, v in variants.items()}
        except ConfigError as exc:
            if source and not exc.source:
                raise ConfigError(str(exc), source=source) from None
            raise
        return cls(source=source, **kw)

    def to_dict(self) -> dict:
        """The scenario as a plain mapping (YAML-ready)."""
        loc = self.locality if isinstance(self.locality, str) else getattr(self.locality, "name", "locality")
        d = {"name": self.name, "description": self.description, "locality": loc,
             "locality_seed": self.locality_seed, "locality_overrides": dict(self.locality_overrides),
             "calibration": self.calibration, "seed": self.seed, "start_year": self.start_year,
             "years": self.years, "replicates": self.replicates,
             "loop": list(self.loop) if self.loop else None, "params": dict(self.params),
             "levers": dict(self.levers), "variants": dict(self.variants),
             "parameter_uncertainty": self.parameter_uncertainty}
        return d

    @property
    def year_list(self) -> list[int]:
        return list(range(self.start_year, self.start_year + self.years))

    def variant_names(self) -> list[str]:
        return ["baseline"] + list(self.variants)

    def base(self):
        """The locality (before levers) and the parameters (defaults, calibration, overrides)."""
        loc = load_locality(self.locality, self.locality_seed, self.locality_overrides)
        p = Params.default()
        cal = calibrated_params(self.calibration)
        if cal:
            p = p.updated(cal, prefix=f"calibration[{self.calibration}]")
        p = p.updated(self.params)
        return loc, p

    def build(self, variant: str = "baseline", *, locality=None, extra_params=None, extra_levers=None):
        """Locality, parameters and loop of one variant, with levers applied.

        ``extra_params``/``extra_levers`` (mappings) are applied on top (used by sweeps).
        """
        loc, p = self.base()
        if locality is not None:
            loc = locality
        levers = _merge(self.levers, {})
        if variant != "baseline":
            if variant not in self.variants:
                raise ConfigError(f"no variant named {variant!r}; have {self.variant_names()}", key="variants")
            v = self.variants[variant]
            p = p.updated(v.get("params") or {}, prefix=f"variants.{variant}.params")
            levers = _merge(levers, v.get("levers") or {})
        if extra_params:
            p = p.updated(extra_params)
        if extra_levers:
            levers = _merge(levers, extra_levers)
        loc, p = apply_levers(loc, p, levers)
        loop = resolve_loop(steps=self.loop, locality=loc, name=self.calibration)
        return loc, p, loop


def _merge(a: Mapping, b: Mapping) -> dict:
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in a.items()}
    for k, v in b.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _default_calibration(locality) -> str | None:
    if isinstance(locality, str) and locality in _calibration_file():
        return locality
    return None


def load_scenario(path_or_mapping) -> Scenario:
    """Read and validate a scenario from a YAML file or a mapping.

    Raises
    ------
    ConfigError
        Unknown keys, rates outside [0, 1], negative counts, bad levers (naming file and key path).
    """
    if isinstance(path_or_mapping, Scenario):
        return path_or_mapping
    if isinstance(path_or_mapping, Mapping):
        return Scenario.from_dict(path_or_mapping)
    from govlab.schema import did_you_mean, read_yaml

    p = Path(path_or_mapping)
    if not p.exists():
        from govlab.datasets import datasets_dir

        cand = datasets_dir() / "scenarios" / f"{p.name}.yaml"
        if p.suffix or not cand.exists():
            names = sorted(q.stem for q in (datasets_dir() / "scenarios").glob("*.yaml")
                           if q.stem not in ("calibration", "loops", "targets") and not q.stem.startswith("sweep-"))
            raise ConfigError(f"file not found{did_you_mean(p.stem if p.suffix else p.name, names)}; shipped "
                              f"scenarios: {names}", source=str(p))
        p = cand
    d = read_yaml(p)
    return Scenario.from_dict(d, source=str(p))


def replicate_seed(seed: int, replicate: int) -> np.random.SeedSequence:
    """The seed of replicate ``r``: child ``r`` of ``SeedSequence(seed)`` (as ``spawn`` gives it)."""
    return np.random.SeedSequence(seed, spawn_key=(int(replicate),))


def posterior_draws(name: str | None, path: str | None = None) -> list[dict]:
    """The accepted ABC draws of a calibration (``calibration_posterior.csv``), one mapping of
    parameter values per draw, ordered by draw number; empty when there are none.

    Examples
    --------
    >>> draws = posterior_draws("shangyou-620")
    >>> len(draws) > 10 and sorted(draws[0]) == ['events.extra_x', 'events.quota_enforcement',
    ...                                          'members.items_per_attendance']
    True
    """
    from govlab.datasets import datasets_dir

    p = Path(path) if path else datasets_dir() / "scenarios" / "calibration_posterior.csv"
    if not name or not p.exists():
        return []
    df = pd.read_csv(p)
    df = df[df["locality"] == name]
    if df.empty:
        return []
    wide = df.pivot_table(index="draw", columns="parameter", values="value", aggfunc="first").sort_index()
    return [{k: float(v) for k, v in row.items()} for _, row in wide.iterrows()]


def run_one(compiled, params: Params, years, seed_seq: np.random.SeedSequence):
    """Simulate one run from a compiled locality and a seed sequence."""
    return simulate(compiled, params, years, np.random.default_rng(seed_seq))


@dataclass(frozen=True)
class ScenarioResult:
    """Results of :func:`run_scenario`.

    Attributes
    ----------
    metrics : DataFrame
        ``variant, replicate, year, metric, value``.
    by_county : DataFrame
        ``variant, replicate, year, unit_id, metric, value`` for county-level committees.
    loop : tuple
        The locality's loop steps and the model stage each shows.
    scenario : Scenario
    """

    scenario: Scenario
    metrics: pd.DataFrame
    by_county: pd.DataFrame
    loop: tuple
    seeds: pd.DataFrame

    def summary(self, level: float = 0.9) -> pd.DataFrame:
        """Per variant, year and metric: mean and percentile interval over replicates."""
        from govlab.scenarios.outcomes import summarise

        return summarise(self.metrics, level=level)

    def totals(self) -> pd.DataFrame:
        """Per variant, replicate and metric: the value aggregated over the years."""
        from govlab.scenarios.outcomes import summarise_runs

        return summarise_runs(self.metrics)

    def compare(self, metric_names=None, level: float = 0.95, adjust: str = "holm") -> pd.DataFrame:
        """Each variant against the baseline (paired by replicate; Holm-adjusted by default)."""
        from govlab.scenarios.outcomes import compare_scenarios

        return compare_scenarios(self.metrics, "baseline", metric_names, level, adjust)

    def steps(self) -> pd.DataFrame:
        """Issues at each step of the locality's own loop: ``variant, replicate, year, step, stage, issues``."""
        frames = []
        for i, (step, stage) in enumerate(self.loop):
            sub = self.metrics[self.metrics["metric"] == f"issues_{stage}"]
            f = sub[["variant", "replicate", "year"]].copy()
            f["position"] = i + 1
            f["step"] = step
            f["stage"] = stage
            f["issues"] = sub["value"].to_numpy()
            frames.append(f)
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["variant", "replicate", "year", "position"], kind="stable").reset_index(drop=True)

    def write(self, out_dir) -> dict:
        """Write metrics (Parquet and CSV), summaries, steps, comparison and the resolved scenario."""
        from govlab.io import write_csv, write_parquet, write_text

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = {
            "metrics": write_parquet(self.metrics, out / "metrics.parquet"),
            "metrics_csv": write_csv(self.metrics, out / "metrics.csv"),
            "by_county": write_csv(self.by_county, out / "by_county.csv"),
            "summary": write_csv(self.summary().round(6), out / "summary.csv"),
            "totals": write_csv(self.totals().round(6), out / "totals.csv"),
            "steps": write_csv(self.steps(), out / "steps.csv"),
            "seeds": write_csv(self.seeds, out / "seeds.csv"),
        }
        if self.scenario.variants:
            files["comparison"] = write_csv(self.compare().round(6), out / "comparison.csv")
        import yaml

        files["scenario"] = write_text(out / "scenario.yaml", yaml.safe_dump(self.scenario.to_dict(), allow_unicode=True, sort_keys=False))
        return {k: str(v) for k, v in files.items()}


def run_scenario(scenario, *, replicates: int | None = None, seed: int | None = None,
                 years: int | None = None, start_year: int | None = None, variants=None,
                 locality=None, progress=None) -> ScenarioResult:
    """Run a scenario (baseline and variants) over replicates and years.

    Parameters
    ----------
    scenario : Scenario, path or mapping
        See :class:`Scenario`. A mapping or path is validated first.
    replicates, seed, years, start_year : int, optional
        Override the scenario's values.
    variants : list of str, optional
        Variants to run besides the baseline (default: all).
    locality : Locality, optional
        Use this locality instead of loading the scenario's.
    progress : callable, optional
        Called with the number of runs finished after each run.

    Returns
    -------
    ScenarioResult

    Examples
    --------
    >>> res = run_scenario({"locality": "toy", "years": 2, "replicates": 2,
    ...                     "variants": {"lists": {"levers": {"accountability": {"lists": 1.0}}}}})
    >>> sorted(res.metrics["variant"].unique())
    ['baseline', 'lists']
    """
    sc = load_scenario(scenario)
    changes = {k: v for k, v in dict(replicates=replicates, seed=seed, years=years, start_year=start_year).items() if v is not None}
    if changes:
        sc = replace(sc, **changes)
    names = ["baseline"] + [v for v in sc.variants if variants is None or v in variants]
    frames, cframes, seeds = [], [], []
    loop = None
    done = 0
    draws = posterior_draws(sc.calibration) if sc.parameter_uncertainty else []
    if sc.parameter_uncertainty and not draws:
        raise ConfigError(f"no posterior draws for calibration {sc.calibration!r} in calibration_posterior.csv",
                          key="parameter_uncertainty", source=sc.source)
    for name in names:
        loc, p, loop_v = sc.build(name, locality=locality)
        loop = loop or loop_v
        comp = compile_locality(loc, p, loop_v)
        for r in range(sc.replicates):
            ss = replicate_seed(sc.seed, r)
            p_r = p
            if draws:  # the same posterior draw for replicate r of every variant; levers act on top
                p_r = sc.build(name, locality=locality, extra_params=draws[r % len(draws)])[1]
            out = run_one(comp, p_r, sc.year_list, ss)
            df = out.long()
            df.insert(0, "replicate", r)
            df.insert(0, "variant", name)
            frames.append(df)
            cdf = out.county_long()
            cdf.insert(0, "replicate", r)
            cdf.insert(0, "variant", name)
            cframes.append(cdf)
            if name == "baseline":
                seeds.append({"replicate": r, "seed_entropy": str(ss.entropy), "spawn_key": ".".join(map(str, ss.spawn_key)),
                              **({"posterior_draw": r % len(draws)} if draws else {})})
            done += 1
            if progress:
                progress(done)
    metrics = pd.concat(frames, ignore_index=True)
    by_county = pd.concat(cframes, ignore_index=True)
    return ScenarioResult(scenario=sc, metrics=metrics, by_county=by_county, loop=loop, seeds=pd.DataFrame(seeds))


#: One setting per lever type that can be applied to any locality (no unit or platform ids), used by
#: :func:`lever_effects` to check that each lever acts or says why it cannot.
STANDARD_LEVERS: dict[str, dict] = {
    "online_rooms": {"units": "all_counties"},
    "sinking": {"rate": 1.0},
    "deputies": {"share": 1.0},
    "compensation": {"residents": 1.0, "member_transport": 1.0},
    "accountability": {"lists": 1.0, "follow_up": 1.0},
    "resident_topics": {"multiplier": 2.0, "choose": 0.7},
    "exchange_ties": {"density": 1.0},
    "season_scheduling": {"share_in_season": 0.05},
    "funding": {"share": 1.0},
}


def lever_effects(scenario, levers: Mapping | None = None, *, replicates: int = 2) -> pd.DataFrame:
    """Whether each lever changes anything in a scenario's locality, and why not when it does not.

    Each lever is run as a variant against the baseline (same seeds: common random numbers); it
    *acts* when any metric of any replicate differs. A lever that cannot apply gives its
    ``inert_reason`` (for instance "no unfunded counties here"); an inert lever without a reason is
    ``inert, unexplained`` -- a gap to look into.

    Parameters
    ----------
    scenario : Scenario, path or mapping
        The baseline (locality, calibration, years); its own variants are ignored.
    levers : mapping, optional
        ``{lever kind: settings}``; default :data:`STANDARD_LEVERS`.
    replicates : int

    Returns
    -------
    DataFrame
        ``lever, acts, metrics_changed, reason, status`` (``acts``, ``inert: <reason>`` or
        ``inert, unexplained``).

    Examples
    --------
    >>> eff = lever_effects({"locality": "toy", "years": 2}, {"funding": {"share": 1.0}}, replicates=1)
    >>> eff[["lever", "status"]].values.tolist()
    [['funding', 'inert: no unfunded counties here (no funding policy (every county funded))']]
    """
    levers = dict(STANDARD_LEVERS if levers is None else levers)
    sc = load_scenario(scenario)
    sc = replace(sc, variants={k: {"levers": {k: v}} for k, v in levers.items()}, replicates=int(replicates))
    loc, p, _ = sc.build("baseline")
    res = run_scenario(sc)
    m = res.metrics
    base = m[m["variant"] == "baseline"].set_index(["replicate", "year", "metric"])["value"]
    rows = []
    for kind, cfg in levers.items():
        (lever,) = levers_from_config({kind: cfg})
        var = m[m["variant"] == kind].set_index(["replicate", "year", "metric"])["value"]
        a, b = base.align(var)
        diff = ~((a == b) | (a.isna() & b.isna()))
        changed = sorted(set(diff[diff].index.get_level_values("metric")))
        reason = lever.inert_reason(loc, p)
        acts = bool(changed)
        status = "acts" if acts else (f"inert: {reason}" if reason else "inert, unexplained")
        rows.append({"lever": kind, "acts": acts, "metrics_changed": len(changed), "reason": reason or "",
                     "status": status})
    return pd.DataFrame(rows)
