"""Parameter sweeps in NetLogo BehaviorSpace's vocabulary, streamed to Parquet, on any executor.

A sweep (experiment) varies parameters over a grid -- each given as a value list or as
``{start, step, end}`` (BehaviorSpace's ``[start step end]``) -- runs the Cartesian product (the last
parameter varies fastest) times ``replicates`` (repetitions) over the scenario's years, and
records metrics every year. Run ``i`` (grid point ``i // replicates``, replicate
``i % replicates``) draws from ``SeedSequence(seed, spawn_key=(i,))``, child ``i`` of the
seed in fixed grid order, so a run's numbers do not depend on where, when or in which order it
ran: in-process, on local processes (joblib/loky ``n_jobs``) or on a Dask cluster
(``dask.distributed``, a ``Client`` or a scheduler address) give identical tables.

Output (one directory)::

    manifest.json            sweep spec, grid, chunk list and status (rewritten atomically)
    chunks/chunk-000000.parquet ...

Each chunk holds ``chunk_size`` consecutive runs as one tidy long table ``run, replicate,
<parameter columns>, year, metric, value, seed_entropy, spawn_key``; it is written atomically when
its runs are done, so memory holds only the chunks in flight. Re-running the same sweep into the
same directory skips the chunks already written (an interrupted sweep resumes).

Each chunk carries the sweep's digest, its index and its run range as Parquet key-value metadata
(``govlab.sweep.*``). On resume every chunk is checked (:func:`chunk_problem`): a truncated, empty,
random, foreign (another seed or grid) or misplaced chunk is recomputed and reported
(:class:`ChunkRecomputedWarning`, ``SweepResult.recomputed``); :func:`read_sweep` refuses such a
chunk with a :class:`SweepChunkError` naming it. Local workers exit when the sweep's process dies
(even by kill -9) and take the temporary ``govlab-sweep-*`` folder with them; a Dask scheduler
address that does not answer fails at once (:class:`SchedulerUnreachable`).

A sweep file::

    name: compensation-by-online
    scenario: gansu-baseline.yaml     # path (relative to this file), shipped name, or a mapping
    parameters:
      levers.compensation.residents: [0.0, 0.5, 1.0]
      params.loop.handle: {start: 0.5, step: 0.1, end: 0.8}
    replicates: 10
    years: 5                          # optional: override the scenario's
    metrics: [solved, participations] # optional: default all
    seed: 42
    chunk_size: 50
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import math
import os
import pickle
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import PlainValidator

from govlab.errors import ConfigError, GovlabError, InputError
from govlab.scenarios.config import SCHEMA, YEAR_RANGE, Spec, check_keys, check_value
from govlab.scenarios.levers import levers_from_config
from govlab.scenarios.scenario import Scenario, load_scenario
from govlab.schema import Strict, bound, did_you_mean, flag, number, read_yaml, text, validate

_INT = Spec("count", None, "", "")
MANIFEST = "manifest.json"
FORMAT = "govlab-sweep/1"


def expand_values(spec: Any, key: str) -> list:
    """Values of one swept parameter: a list, a ``{start, step, end}`` range (end included, as in
    BehaviorSpace), ``{values: [...]}``, or a single value.

    Examples
    --------
    >>> expand_values({"start": 0.5, "step": 0.1, "end": 0.8}, "x")
    [0.5, 0.6, 0.7, 0.8]
    >>> expand_values([1, 2], "x")
    [1, 2]
    """
    if isinstance(spec, Mapping):
        if set(spec) == {"values"}:
            spec = spec["values"]
        else:
            check_keys(spec, ("start", "step", "end"), key)
            try:
                a, s, b = (spec[k] for k in ("start", "step", "end"))
            except KeyError as exc:
                raise ConfigError(f"a range needs start, step and end (missing {exc.args[0]})", key=key) from None
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, s, b)):
                raise ConfigError("start, step and end must be numbers", key=key)
            if not all(math.isfinite(v) for v in (a, s, b)):
                raise ConfigError(f"start, step and end must be finite numbers, got {a!r}, {s!r}, {b!r}", key=key)
            if s == 0 or (b - a) * s < 0:
                raise ConfigError(f"step {s} never reaches end {b} from start {a}", key=key)
            steps = (b - a) / s + 1e-9
            if steps + 1 > bound("grid_values"):
                raise ConfigError(f"the range from {a} to {b} by {s} has {math.floor(steps) + 1:,} values; at most "
                                  f"{bound('grid_values'):,} are allowed: use a larger step", key=key)
            n = int(math.floor(steps)) + 1
            vals = [a + i * s for i in range(n)]
            if all(isinstance(v, int) for v in (a, s, b)):
                return [int(v) for v in vals]
            return [round(v, 12) for v in vals]
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise ConfigError("expected at least one value", key=key)
        if len(spec) > bound("grid_values"):
            raise ConfigError(f"{len(spec):,} values; at most {bound('grid_values'):,}", key=key)
        return list(spec)
    return [spec]


def _scenario_ref(v: Any):
    from pydantic_core import PydanticCustomError

    if isinstance(v, (str, os.PathLike, Mapping, Scenario)):
        return v
    raise PydanticCustomError("scenario", "expected a scenario file name or a mapping, got {got}", {"got": repr(v)})


def _parameters(v: Any):
    from pydantic_core import PydanticCustomError

    if v is None:
        return {}
    if not isinstance(v, Mapping):
        raise PydanticCustomError("mapping", "expected a mapping of key path -> values, got {got}", {"got": repr(v)})
    return dict(v)


def _metric_list(v: Any):
    from pydantic_core import PydanticCustomError

    if v is None:
        return v
    if isinstance(v, str) or not isinstance(v, (list, tuple)) or not all(isinstance(m, str) for m in v):
        raise PydanticCustomError("metrics", "expected a list of metric names, got {got}", {"got": repr(v)})
    return list(v)


class SweepFile(Strict):
    """The keys of a sweep file. To accept a new key, add one line here (and read it in ``Sweep.from_dict``)."""

    name: text() = None
    description: text() = None
    scenario: Annotated[Any, PlainValidator(_scenario_ref)]
    variant: text() = None
    parameters: Annotated[Any, PlainValidator(_parameters)] = None
    replicates: number(1, integer=True, why="replicates") = None
    years: number(1, integer=True, why="years") = None
    start_year: number(*YEAR_RANGE, integer=True) = None
    metrics: Annotated[Any, PlainValidator(_metric_list)] = None
    seed: number(0, 2**63 - 1, integer=True) = None
    chunk_size: number(1, integer=True, why="chunk_size") = None
    common_random_numbers: flag() = None


SWEEP_KEYS = tuple(SweepFile.model_fields)  # the keys are declared once, in SweepFile


def _validate_value(path: str, value: Any) -> Any:
    """Check one value of a swept key path (``params.<leaf>`` or ``levers.<kind>.<field>``)."""
    if path.startswith("params."):
        leaf = path[len("params."):]
        if leaf not in SCHEMA:
            import difflib

            m = difflib.get_close_matches(leaf, list(SCHEMA), n=1)
            hint = f" (did you mean 'params.{m[0]}'?)" if m else ""
            raise ConfigError("unknown parameter" + hint, key=f"parameters.{path}")
        return check_value(f"parameters.{path}", SCHEMA[leaf], value)
    if path.startswith("levers."):
        parts = path.split(".")
        if len(parts) != 3:
            raise ConfigError("expected levers.<lever>.<field>", key=f"parameters.{path}")
        levers_from_config({parts[1]: {parts[2]: value}}, prefix="parameters.levers")
        return value
    raise ConfigError("expected a key path starting with params. or levers.", key=f"parameters.{path}")


def _nest(path: str, value) -> dict:
    parts = path.split(".")
    d: dict = {}
    cur = d
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = value
    return d


def _deep_merge(a: dict, b: Mapping) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out.get(k, {}), v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
    return out


@dataclass(frozen=True)
class Sweep:
    """A BehaviorSpace-style experiment over a scenario.

    Attributes
    ----------
    scenario : Scenario
    parameters : tuple of (key path, tuple of values)
        In the given order; the last varies fastest.
    replicates : int
    seed : int
    metrics : tuple of str or None
        Metrics recorded (None: all).
    chunk_size : int
        Runs per Parquet chunk (and per task on an executor).
    variant : str
        The scenario variant the sweep starts from.
    """

    scenario: Scenario
    parameters: tuple = ()
    replicates: int = 1
    seed: int = 0
    metrics: tuple | None = None
    chunk_size: int = 50
    name: str = "sweep"
    variant: str = "baseline"
    common_random_numbers: bool = False
    description: str = ""

    @classmethod
    def from_dict(cls, d: Mapping, source: str | None = None, base_dir: str | os.PathLike | None = None) -> Sweep:
        """Validate a sweep mapping (errors name ``source`` and the key path)."""
        if d is None or (isinstance(d, Mapping) and not d):
            raise ConfigError("the sweep is empty; give at least `scenario` and `parameters`", source=source)
        validate(SweepFile, d, source=source)
        try:
            check_keys(d, SWEEP_KEYS, "")
            if "scenario" not in d:
                raise ConfigError("required key is missing", key="scenario")
            sc = d["scenario"]
            if isinstance(sc, (str, os.PathLike)) and base_dir is not None and (Path(base_dir) / sc).exists():
                sc = Path(base_dir) / sc
            try:
                scenario = load_scenario(sc)
            except ConfigError as exc:
                if isinstance(sc, Mapping) and not exc.source:
                    msg = str(exc).removeprefix(f"{exc.key}: ") if exc.key else str(exc)
                    raise ConfigError(msg, key=f"scenario.{exc.key}" if exc.key else "scenario") from None
                raise
            for k in ("years", "start_year"):
                if k in d:
                    scenario = replace(scenario, **{k: check_value(k, _INT, d[k])})
            params = d.get("parameters") or {}
            if not isinstance(params, Mapping):
                raise ConfigError("expected a mapping of key path -> values", key="parameters")
            grid = []
            n_points = 1
            for path, spec in params.items():
                vals = expand_values(spec, f"parameters.{path}")
                n_points *= len(vals)
                if n_points > bound("grid_points"):
                    raise ConfigError(f"the grid has more than {bound('grid_points'):,} points once this parameter "
                                      "is added (each point runs `replicates` times); use fewer values",
                                      key=f"parameters.{path}")
                vals = [_validate_value(path, v) for v in vals]
                grid.append((str(path), tuple(vals)))
            kw: dict[str, Any] = {"scenario": scenario, "parameters": tuple(grid)}
            for k in ("replicates", "seed", "chunk_size"):
                if k in d:
                    kw[k] = check_value(k, _INT, d[k])
            if kw.get("replicates", 1) < 1:
                raise ConfigError("expected at least one replicate", key="replicates")
            if kw.get("chunk_size", 1) < 1:
                raise ConfigError("expected at least one run per chunk", key="chunk_size")
            if n_points * kw.get("replicates", 1) > bound("runs"):
                raise ConfigError(f"{n_points:,} grid points x {kw.get('replicates', 1):,} replicates is more than "
                                  f"{bound('runs'):,} runs", key="replicates")
            if "metrics" in d and d["metrics"] is not None:
                from govlab.scenarios.outcomes import METRICS

                ms = list(d["metrics"])
                for i, m in enumerate(ms):
                    if m not in METRICS and not str(m).startswith("open_"):
                        raise ConfigError(f"unknown metric {m!r}", key=f"metrics[{i}]")
                kw["metrics"] = tuple(ms)
            if "variant" in d:
                if d["variant"] not in scenario.variant_names():
                    raise ConfigError(f"no variant {d['variant']!r} in the scenario; have {scenario.variant_names()}", key="variant")
                kw["variant"] = d["variant"]
            if "common_random_numbers" in d:
                if not isinstance(d["common_random_numbers"], bool):
                    raise ConfigError("expected true or false", key="common_random_numbers")
                kw["common_random_numbers"] = d["common_random_numbers"]
            for k in ("name", "description"):
                if k in d:
                    kw[k] = str(d[k])
        except ConfigError as exc:
            if source and not exc.source:
                raise ConfigError(str(exc), source=source) from None
            raise
        return cls(**kw)

    # ---- grid ----
    @property
    def n_points(self) -> int:
        return int(np.prod([len(v) for _, v in self.parameters])) if self.parameters else 1

    @property
    def n_runs(self) -> int:
        return self.n_points * self.replicates

    @property
    def n_chunks(self) -> int:
        return -(-self.n_runs // self.chunk_size)

    def point(self, index: int) -> dict:
        """Parameter values of grid point ``index`` (last parameter fastest)."""
        values = {}
        rem = index
        for path, vals in reversed(self.parameters):
            values[path] = vals[rem % len(vals)]
            rem //= len(vals)
        return {p: values[p] for p, _ in self.parameters}

    def grid(self) -> pd.DataFrame:
        """The grid points in run order: ``point`` and one column per parameter."""
        rows = [dict(point=i, **self.point(i)) for i in range(self.n_points)]
        return pd.DataFrame(rows)

    def run_seed(self, run: int) -> np.random.SeedSequence:
        """Seed sequence of a run: child ``run`` of the root seed (``replicate`` with common random numbers)."""
        key = run % self.replicates if self.common_random_numbers else run
        return np.random.SeedSequence(self.seed, spawn_key=(int(key),))

    def spec(self) -> dict:
        """A JSON-able description (identifies the sweep for resuming)."""
        return {"format": FORMAT, "name": self.name, "scenario": self.scenario.to_dict(), "variant": self.variant,
                "parameters": [[p, list(v)] for p, v in self.parameters], "replicates": self.replicates,
                "seed": self.seed, "metrics": list(self.metrics) if self.metrics else None,
                "chunk_size": self.chunk_size, "common_random_numbers": self.common_random_numbers}

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.spec(), sort_keys=True, default=str).encode()).hexdigest()


def load_sweep(path_or_mapping) -> Sweep:
    """Read and validate a sweep from a YAML file (scenario paths relative to it) or a mapping."""
    if isinstance(path_or_mapping, Sweep):
        return path_or_mapping
    if isinstance(path_or_mapping, Mapping):
        return Sweep.from_dict(path_or_mapping)
    p = Path(path_or_mapping)
    if not p.exists():
        from govlab.datasets import datasets_dir

        names = sorted(q.name for q in (datasets_dir() / "scenarios").glob("sweep-*.yaml"))
        raise ConfigError(f"file not found{did_you_mean(p.name, names)}", source=str(p))
    d = read_yaml(p)
    return Sweep.from_dict(d, source=str(p), base_dir=p.parent)


# ----------------------------------------------------------------------------- running
def _column(values: list):
    if all(isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=bool)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.int64)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.float64)
    return np.asarray([json.dumps(v) if not isinstance(v, str) else v for v in values], dtype=object)


def run_chunk(sweep: Sweep, chunk: int) -> pd.DataFrame:
    """Run the runs of one chunk and return their long table (deterministic for a given chunk)."""
    from govlab.scenarios.year import compile_locality, simulate

    start = chunk * sweep.chunk_size
    stop = min(sweep.n_runs, start + sweep.chunk_size)
    from govlab.scenarios.calibrate import COMPILE_KEYS

    cache_key, cache = None, None
    compiled: dict = {}
    names = [p for p, _ in sweep.parameters]
    cols: dict[str, list] = {k: [] for k in ("run", "replicate", *names, "year", "metric", "value", "seed_entropy", "spawn_key")}
    years = np.asarray(sweep.scenario.year_list, dtype=np.int64)
    for run in range(start, stop):
        gi, rep = divmod(run, sweep.replicates)
        if gi != cache_key:
            point = sweep.point(gi)
            extra_params, extra_levers = {}, {}
            for path, v in point.items():
                if path.startswith("params."):
                    extra_params = _deep_merge(extra_params, _nest(path[len("params."):], v))
                else:
                    extra_levers = _deep_merge(extra_levers, _nest(path[len("levers."):], v))
            loc, p, loop = sweep.scenario.build(sweep.variant, extra_params=extra_params, extra_levers=extra_levers)
            # levers that only change parameters keep the same locality object: reuse its compiled arrays
            ckey = (id(loc), loop, tuple(repr(p[k]) for k in COMPILE_KEYS))
            if ckey not in compiled:
                compiled.clear()
                compiled[ckey] = (loc, compile_locality(loc, p, loop))
            cache = (compiled[ckey][1], p, point)
            cache_key = gi
        comp, p, point = cache
        ss = sweep.run_seed(run)
        res = simulate(comp, p, sweep.scenario.year_list, np.random.default_rng(ss))
        mnames = [m for m in res.metrics if not sweep.metrics or m in sweep.metrics]
        if sweep.metrics:
            mnames = [m for m in sweep.metrics if m in res.metrics]
        ny, nm = len(years), len(mnames)
        n = ny * nm
        vals = np.column_stack([res.metrics[m] for m in mnames]).astype(np.float64).reshape(-1) if nm else np.zeros(0)
        cols["run"].append(np.full(n, run, np.int64))
        cols["replicate"].append(np.full(n, rep, np.int64))
        for name in names:
            cols[name].append(np.repeat(_column([point[name]]), n))
        cols["year"].append(np.repeat(years, nm))
        cols["metric"].append(np.tile(np.asarray(mnames, dtype=object), ny))
        cols["value"].append(vals)
        cols["seed_entropy"].append(np.full(n, str(ss.entropy), dtype=object))
        cols["spawn_key"].append(np.full(n, ".".join(map(str, ss.spawn_key)), dtype=object))
    out = pd.DataFrame({k: np.concatenate(v) for k, v in cols.items()})
    for c in ("metric", "seed_entropy", "spawn_key"):
        out[c] = out[c].astype("str")
    for name in names:
        if out[name].dtype == object:
            out[name] = out[name].astype("str")
    return out


def chunk_path(out_dir, chunk: int) -> Path:
    return Path(out_dir) / "chunks" / f"chunk-{chunk:06d}.parquet"


_CHUNK_NAME = re.compile(r"^chunk-(\d{6})\.parquet$")
#: Parquet key-value metadata every chunk carries, checked on resume and on read.
META_KEYS = ("govlab.sweep.format", "govlab.sweep.digest", "govlab.sweep.chunk", "govlab.sweep.runs")


class ChunkRecomputedWarning(UserWarning):
    """A chunk found in a sweep's folder was not this sweep's chunk (or was damaged) and is recomputed."""


class SweepChunkError(InputError):
    """A sweep chunk that :func:`read_sweep` cannot trust: unreadable, foreign or misplaced."""


class SchedulerUnreachable(GovlabError, ConnectionError):
    """The Dask scheduler address given for a sweep does not answer."""


def chunk_runs(sweep: Sweep, k: int) -> tuple[int, int]:
    """First and last run (inclusive) of chunk ``k``.

    Examples
    --------
    >>> sw = load_sweep({"scenario": {"locality": "toy"}, "replicates": 5, "chunk_size": 2})
    >>> chunk_runs(sw, 2)
    (4, 4)
    """
    return k * sweep.chunk_size, min(sweep.n_runs, (k + 1) * sweep.chunk_size) - 1


def _chunk_metadata(digest: str, k: int, runs: tuple[int, int]) -> dict[bytes, bytes]:
    vals = (FORMAT, digest, str(k), f"{runs[0]}-{runs[1]}")
    return {key.encode(): v.encode() for key, v in zip(META_KEYS, vals)}


def write_chunk(df: pd.DataFrame, path, *, digest: str, chunk: int, runs: tuple[int, int]) -> Path:
    """Write one chunk atomically, with the sweep's digest, its index and run range as Parquet metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from govlab.io import atomic_path

    table = pa.Table.from_pandas(df, preserve_index=False)
    # no pandas metadata (library versions would break byte-identity); only the sweep's own keys
    table = table.replace_schema_metadata(_chunk_metadata(digest, chunk, runs))
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", use_dictionary=True, write_statistics=False)
    return Path(path)


def chunk_problem(path, *, digest: str | None, chunk: int, runs: tuple[int, int] | None = None) -> str | None:
    """Why the file at ``path`` is not chunk ``chunk`` of the sweep with ``digest`` (None: it is).

    Checks that the file is a readable Parquet table, that its metadata names this sweep (``digest``;
    None accepts any), this chunk and run range (``runs``; None takes the range from the metadata),
    and that its ``run`` column holds exactly those runs.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        meta = {k.decode(errors="replace"): v.decode(errors="replace") for k, v in (pf.schema_arrow.metadata or {}).items()}
    except Exception as exc:  # noqa: BLE001 - any parse failure means the file is not a chunk
        size = Path(path).stat().st_size if Path(path).exists() else 0
        return f"unreadable ({size} bytes; {type(exc).__name__}: {' '.join(str(exc).split())[:120]})"
    if any(k not in meta for k in META_KEYS):
        return "no sweep metadata (written by another program or an older govlab)"
    if meta["govlab.sweep.format"] != FORMAT:
        return f"format {meta['govlab.sweep.format']!r}, expected {FORMAT!r}"
    if digest is not None and meta["govlab.sweep.digest"] != digest:
        return (f"belongs to another sweep (digest {meta['govlab.sweep.digest'][:12]}, this sweep "
                f"{digest[:12]}: another seed, grid or scenario)")
    got_runs = meta["govlab.sweep.runs"]
    if meta["govlab.sweep.chunk"] != str(chunk) or (runs is not None and got_runs != f"{runs[0]}-{runs[1]}"):
        want = f" (runs {runs[0]}-{runs[1]})" if runs is not None else ""
        return f"holds chunk {meta['govlab.sweep.chunk']} (runs {got_runs}), expected chunk {chunk}{want}"
    try:
        lo, hi = (int(x) for x in got_runs.split("-"))
        col = pq.read_table(path, columns=["run"])["run"]
        present = pc.unique(col).to_pylist()
    except Exception as exc:  # noqa: BLE001
        return f"unreadable runs ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})"
    if sorted(present) != list(range(lo, hi + 1)):
        return f"its run column does not hold runs {lo}-{hi}"
    return None


@dataclass(frozen=True)
class SweepResult:
    """What :func:`run_sweep` did: the output folder, chunks written now and before, and status.

    ``recomputed`` lists ``(file name, reason)`` for chunk files found in the folder that were not
    good chunks of this sweep (damaged, foreign or misplaced) and were therefore run again.
    """

    out_dir: str
    n_runs: int
    n_chunks: int
    written: tuple
    skipped: tuple
    complete: bool
    recomputed: tuple = ()

    def read(self, **kwargs) -> pd.DataFrame:
        """The whole long table (see :func:`read_sweep`)."""
        return read_sweep(self.out_dir, **kwargs)


def _manifest_base(sweep: Sweep) -> dict:
    """The parts of the manifest that do not change while the sweep runs (computed once)."""
    grid = sweep.grid()
    return {"format": FORMAT, "digest": sweep.digest(), "spec": sweep.spec(), "n_points": sweep.n_points,
            "n_runs": sweep.n_runs, "n_chunks": sweep.n_chunks, "grid": json.loads(grid.to_json(orient="records"))}


def _write_manifest(out_dir: Path, sweep: Sweep, done: set, complete: bool, base: dict | None = None) -> None:
    from govlab.io import write_text

    man = dict(base if base is not None else _manifest_base(sweep))
    man["chunks"] = [{"chunk": k, "file": chunk_path(".", k).as_posix().lstrip("./"),
                      "runs": [k * sweep.chunk_size, min(sweep.n_runs, (k + 1) * sweep.chunk_size) - 1]}
                     for k in sorted(done)]
    man["complete"] = complete
    write_text(out_dir / MANIFEST, json.dumps(man, indent=1, sort_keys=True, default=str) + "\n")


def _existing(out_dir: Path, sweep: Sweep, overwrite: bool) -> tuple[set, dict]:
    """Chunks already done for this sweep, and the files found that are not (name -> reason).

    Every chunk file is checked (:func:`chunk_problem`), with or without a manifest: a truncated,
    empty, random, foreign or misplaced chunk is not kept as done.
    """
    man_path = out_dir / MANIFEST
    if man_path.exists():
        try:
            man = json.loads(man_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"unreadable manifest ({exc}); move the folder away or pass overwrite",
                              source=str(man_path)) from None
        if not isinstance(man, dict) or man.get("digest") != sweep.digest():
            if not overwrite:
                raise ConfigError("the folder holds a different sweep (its manifest digest differs); "
                                  "use another --out folder or overwrite", source=str(out_dir))
            for f in (out_dir / "chunks").glob("chunk-*.parquet"):
                f.unlink()
            return set(), {}
    digest = sweep.digest()
    done, bad = set(), {}
    for f in sorted((out_dir / "chunks").glob("chunk-*.parquet")):
        m = _CHUNK_NAME.match(f.name)
        k = int(m.group(1)) if m else -1
        if not m or k >= sweep.n_chunks:
            bad[f.name] = f"not a chunk of this sweep (it has chunks 0-{sweep.n_chunks - 1}); removed"
            f.unlink()
            continue
        why = chunk_problem(f, digest=digest, chunk=k, runs=chunk_runs(sweep, k))
        if why is None:
            done.add(k)
        else:
            bad[f.name] = why
    for name, why in bad.items():
        warnings.warn(f"{out_dir / 'chunks' / name}: {why}; recomputing it", ChunkRecomputedWarning, stacklevel=3)
    return done, bad


def run_sweep(sweep, out_dir, *, n_jobs: int = 1, client=None, resume: bool = True, overwrite: bool = False,
              max_chunks: int | None = None, progress: Callable | bool | None = None) -> SweepResult:
    """Run a sweep, streaming each chunk of runs to Parquet as it finishes.

    Parameters
    ----------
    sweep : Sweep, path or mapping
    out_dir : path
        Output folder (created). Chunks already there for the same sweep are kept and skipped.
    n_jobs : int
        1 runs in this process; more runs chunks on local processes (joblib, loky backend). The
        locality is synthesised once here and shipped to each worker process once (a pickle file in
        a temporary folder), not with every chunk.
    client : dask.distributed.Client or str, optional
        A Dask client, or a scheduler address (``"tcp://host:8786"``) to connect to; chunks then run
        on the cluster's workers (workers need govlab installed and the same datasets). The sweep
        is broadcast to the workers once (``scatter``). For throughput, start workers with
        :func:`warm_up` (``client.run(warm_up)``) and without the statistical profiler
        (``distributed.worker.profile.enabled: false``) when no dashboard is watched.
    resume : bool
        Skip chunks already written (default). ``False`` reruns them.
    overwrite : bool
        Allow replacing the chunks of a *different* sweep found in ``out_dir``.
    max_chunks : int, optional
        Stop after writing this many chunks (the sweep stays resumable).
    progress : callable or bool, optional
        ``progress(runs_done, runs_total)`` after each chunk; ``True`` shows a tqdm bar.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import tempfile
    >>> sw = {"scenario": {"locality": "toy", "years": 2}, "parameters": {"levers.compensation.residents": [0.0, 1.0]},
    ...       "replicates": 2, "metrics": ["participations"], "chunk_size": 2}
    >>> res = run_sweep(sw, tempfile.mkdtemp())
    >>> res.read().groupby("levers.compensation.residents")["run"].nunique().tolist()
    [2, 2]
    """
    sweep = load_sweep(sweep)
    out = Path(out_dir)
    (out / "chunks").mkdir(parents=True, exist_ok=True)
    done, bad = _existing(out, sweep, overwrite) if resume or overwrite else (set(), {})
    if not resume:
        done = set()
    skipped = tuple(sorted(done))
    pending = [k for k in range(sweep.n_chunks) if k not in done]
    if max_chunks is not None:
        pending = pending[:max(0, int(max_chunks))]
    base = _manifest_base(sweep)
    digest = base["digest"]
    _write_manifest(out, sweep, done, complete=len(done) == sweep.n_chunks, base=base)

    bar = None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=sweep.n_runs, initial=sum(_chunk_runs(sweep, k) for k in done), unit="run",
                   desc=sweep.name, smoothing=0.1)

        def progress_fn(d, t):
            bar.n = d
            bar.refresh()
    else:
        progress_fn = progress or None
    runs_done = sum(_chunk_runs(sweep, k) for k in done)
    written = []

    def store(k: int, df: pd.DataFrame):
        nonlocal runs_done
        write_chunk(df, chunk_path(out, k), digest=digest, chunk=k, runs=chunk_runs(sweep, k))
        done.add(k)
        written.append(k)
        runs_done += _chunk_runs(sweep, k)
        _write_manifest(out, sweep, done, complete=len(done) == sweep.n_chunks, base=base)
        if progress_fn:
            progress_fn(runs_done, sweep.n_runs)

    own_client = None
    if isinstance(client, str) and pending:
        # connect before any work: an unreachable scheduler fails at once, naming the address
        client = own_client = connect(client)
    work = sweep
    if (client is not None or (n_jobs and n_jobs != 1)) and pending and isinstance(sweep.scenario.locality, (str, os.PathLike)):
        # build the base locality once here and ship it, rather than have every worker synthesise it
        from govlab.scenarios.scenario import load_locality

        loc = load_locality(sweep.scenario.locality, sweep.scenario.locality_seed, sweep.scenario.locality_overrides)
        work = replace(sweep, scenario=replace(sweep.scenario, locality=loc))
    try:
        if client is not None:
            _run_dask(work, pending, client, store)
        elif n_jobs and n_jobs != 1:
            from joblib import Parallel, delayed

            # Ship the sweep (with its synthesised locality, ~0.6 MB for a county of 300,000) once: it is
            # pickled to a file that each worker process loads the first time it needs it, instead of
            # pickling it into every task (the Dask path broadcasts it with ``scatter`` instead). The
            # folder goes when the sweep ends, also on error; each worker watches this process and, if
            # it dies (kill -9), removes the folder and exits rather than live on as an orphan.
            with _shipping_folder() as tmp:
                shipped = _ship(work, tmp)
                parent = os.getpid()
                par = Parallel(n_jobs=n_jobs, backend="loky", return_as="generator_unordered")
                for k, df in par(delayed(_task_shipped)(shipped, k, parent) for k in pending):
                    store(k, df)
        else:
            for k in pending:
                store(k, run_chunk(sweep, k))
    finally:
        if bar is not None:
            bar.close()
        if own_client is not None:
            own_client.close()
    return SweepResult(out_dir=str(out), n_runs=sweep.n_runs, n_chunks=sweep.n_chunks, written=tuple(sorted(written)),
                       skipped=skipped, complete=len(done) == sweep.n_chunks, recomputed=tuple(sorted(bad.items())))


def _chunk_runs(sweep: Sweep, k: int) -> int:
    return min(sweep.n_runs, (k + 1) * sweep.chunk_size) - k * sweep.chunk_size


def _task(sweep: Sweep, k: int):
    return k, run_chunk(sweep, k)


def warm_up() -> int:
    """Import everything a chunk needs (the model, configs, calibration, networkx, YAML).

    Call it once on each worker before timing a sweep (``client.run(warm_up)`` on Dask), so that the
    first chunk a worker runs does not also pay these imports (about 0.4 s). Returns the process id.
    """
    import importlib

    for name in ("yaml", "networkx", "govlab.network.model", "govlab.network.config", "govlab.network.graph",
                 "govlab.scenarios.calibrate", "govlab.scenarios.year", "govlab.scenarios.levers",
                 "govlab.scenarios.outcomes", "govlab.scenarios.scenario"):
        importlib.import_module(name)
    return os.getpid()


def _ship(sweep: Sweep, folder: Path) -> str:
    """Pickle ``sweep`` into ``folder`` (a fresh temporary folder per run) and return the file's path."""
    path = folder / "sweep.pickle"
    path.write_bytes(pickle.dumps(sweep, protocol=pickle.HIGHEST_PROTOCOL))
    return str(path)


@functools.lru_cache(maxsize=2)
def _shipped_sweep(path: str) -> Sweep:
    """The sweep shipped to ``path`` by :func:`_ship`, read once per worker process (the path is unique
    to one run, so the cache never serves a stale sweep)."""
    return pickle.loads(Path(path).read_bytes())


_TMP_PREFIX = "govlab-sweep-"


@contextlib.contextmanager
def _shipping_folder():
    """A temporary folder ``govlab-sweep-<pid>-*`` removed on exit (also on error).

    Folders left by sweeps whose process is gone (killed with -9 before any worker could clean up)
    are removed first.
    """
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{_TMP_PREFIX}*"):
        m = re.match(rf"{_TMP_PREFIX}(\d+)-", old.name)
        if m and old.is_dir() and not _alive(int(m.group(1))):
            shutil.rmtree(old, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{_TMP_PREFIX}{os.getpid()}-") as tmp:
        yield Path(tmp)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


_WATCHDOG: dict = {}


def _watch_parent(parent: int, folder: str, interval: float = 0.5) -> None:
    """Start (once per worker process) a thread that exits the process when ``parent`` dies.

    loky workers outlive a parent killed with -9 (they were seen alive 40 minutes later); this
    thread notices the parent is gone (the worker is re-parented), removes the shipped sweep's
    folder and ends the process.
    """
    if _WATCHDOG.get("parent") == parent or os.getpid() == parent:
        return

    direct = os.getppid() == parent  # loky starts workers from the parent itself

    def watch():
        while (os.getppid() == parent) if direct else _alive(parent):
            threading.Event().wait(interval)
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(1)

    _WATCHDOG["parent"] = parent
    threading.Thread(target=watch, name="govlab-parent-watch", daemon=True).start()


def _task_shipped(path: str, k: int, parent: int | None = None):
    if parent is not None:
        _watch_parent(parent, str(Path(path).parent))
    return k, run_chunk(_shipped_sweep(path), k)


def connect(address: str, timeout: float = 3.0):
    """A ``dask.distributed.Client`` for the scheduler at ``address``, or a one-line error within ``timeout`` s.

    Raises
    ------
    SchedulerUnreachable
        Naming the address, when nothing answers there in time.
    """
    import logging
    import socket
    import time
    from urllib.parse import urlsplit

    start = time.monotonic()
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme in ("tcp", "tls") and parts.hostname:
        # a plain socket first: an unused port or a dead host fails here at once, before distributed is imported
        try:
            with socket.create_connection((parts.hostname, parts.port or 8786), timeout=timeout):
                pass
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {address} ({why}); is it running "
                                       "(`dask scheduler`), and is the address right?") from None
    timeout = max(0.5, timeout - (time.monotonic() - start))

    from distributed import Client

    quiet = [logging.getLogger(n) for n in ("distributed", "distributed.client", "distributed.comm.tcp")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        why = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({why}); "
                                   "is it running (`dask scheduler`), and is the address right?") from None
    finally:
        for lg, lv in zip(quiet, levels):
            lg.setLevel(lv)


def _run_dask(sweep: Sweep, pending: Sequence[int], client, store) -> None:
    from distributed import as_completed

    if not pending:
        return
    # hash=False: a fresh key per sweep, so that releasing an earlier sweep's copy on the same client
    # can never cancel this one's tasks ("lost dependencies")
    [sw] = client.scatter([sweep], broadcast=True, hash=False)
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = 2 * n_workers + 1
    it = iter(pending)
    futures = [client.submit(_task, sw, k, pure=False) for k in itertools.islice(it, window)]
    ac = as_completed(futures)
    for fut in ac:
        k, df = fut.result()
        fut.release()
        store(k, df)
        nxt = next(it, None)
        if nxt is not None:
            ac.add(client.submit(_task, sw, nxt, pure=False))


def read_sweep(out_dir, columns: Sequence[str] | None = None, metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a sweep's chunks (in chunk order) as one long table, checking each one.

    Every chunk must be a readable Parquet file carrying this sweep's digest (the manifest's, or the
    first chunk's when the manifest is gone), its own index and run range, and exactly those runs.

    Parameters
    ----------
    columns : list of str, optional
        Columns to read.
    metrics : list of str, optional
        Keep only these metrics (filtered while reading).

    Raises
    ------
    SweepChunkError
        Naming the chunk that is damaged, belongs to another sweep or sits in another chunk's place
        (rerun the sweep into the same folder to recompute it).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    out = Path(out_dir)
    files = sorted((out / "chunks").glob("chunk-*.parquet"))
    if not files:
        return pd.DataFrame()
    digest, n_chunks, size, n_runs = None, None, 0, 0
    if (out / MANIFEST).exists():
        try:
            man = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            digest, n_chunks = man.get("digest"), man.get("n_chunks")
            size, n_runs = int(man["spec"]["chunk_size"]), int(man["n_runs"])
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, KeyError, TypeError, ValueError) as exc:
            raise SweepChunkError(f"unreadable manifest ({exc})", source=str(out / MANIFEST)) from None
    tables = []
    for f in files:  # one chunk at a time, in chunk (= run) order
        m = _CHUNK_NAME.match(f.name)
        if not m or (n_chunks is not None and int(m.group(1)) >= n_chunks):
            raise SweepChunkError(f"not a chunk of this sweep (expected chunk-000000 ... chunk-{(n_chunks or 1) - 1:06d})",
                                  source=str(f))
        k = int(m.group(1))
        runs = (k * size, min(n_runs, (k + 1) * size) - 1) if n_chunks is not None else None
        why = chunk_problem(f, digest=digest, chunk=k, runs=runs)
        if why is not None:
            raise SweepChunkError(f"{why}; rerun the sweep into {out} to recompute it", source=str(f))
        if digest is None:
            digest = pq.ParquetFile(f).schema_arrow.metadata[b"govlab.sweep.digest"].decode()
        t = pq.read_table(f, columns=list(columns) if columns else None)
        t = t.replace_schema_metadata(None)
        if metrics:
            t = t.filter(pc.is_in(t["metric"], value_set=pa.array(list(metrics))))
        tables.append(t)
    df = pa.concat_tables(tables).to_pandas()
    return df.reset_index(drop=True)


def read_manifest(out_dir) -> dict:
    """The sweep's manifest (spec, grid, chunks written, status)."""
    return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
