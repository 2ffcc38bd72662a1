"""Sweeps: BehaviorSpace grids, seeds per run, identical results on every executor and in any order,
streaming to Parquet chunks, resuming after an interruption, and the command-line faces."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.errors import ConfigError
from govlab.scenarios import sweep as sweep_mod
from govlab.scenarios.sweep import expand_values, load_sweep, read_manifest, read_sweep, run_chunk, run_sweep

SWEEP = {
    "name": "test-sweep",
    "scenario": {"locality": "toy", "years": 2, "start_year": 2020},
    "parameters": {"levers.compensation.residents": [0.0, 1.0],
                   "params.loop.handle": {"start": 0.5, "step": 0.2, "end": 0.9}},
    "replicates": 2,
    "metrics": ["solved", "participations", "share_non_public"],
    "seed": 7,
    "chunk_size": 3,
}


def _hashes(d) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(d, "chunks").glob("*.parquet"))}


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    res = run_sweep(SWEEP, out)
    return out, res


def test_grid_is_the_cartesian_product_in_fixed_order():
    sw = load_sweep(SWEEP)
    assert expand_values({"start": 0.5, "step": 0.2, "end": 0.9}, "x") == [0.5, 0.7, 0.9]
    assert expand_values({"start": 1, "step": 2, "end": 7}, "x") == [1, 3, 5, 7]
    assert sw.n_points == 6 and sw.n_runs == 12 and sw.n_chunks == 4
    g = sw.grid()
    assert list(g["levers.compensation.residents"]) == [0.0] * 3 + [1.0] * 3  # last parameter varies fastest
    assert list(g["params.loop.handle"]) == [0.5, 0.7, 0.9] * 2
    assert sw.run_seed(5).spawn_key == (5,)
    assert np.array_equal(sw.run_seed(5).generate_state(4), np.random.SeedSequence(7).spawn(6)[5].generate_state(4))


def test_long_table_has_runs_parameters_years_metrics_and_seeds(serial):
    out, res = serial
    assert res.complete and res.written == (0, 1, 2, 3)
    df = read_sweep(out)
    assert list(df.columns) == ["run", "replicate", "levers.compensation.residents", "params.loop.handle", "year",
                                "metric", "value", "seed_entropy", "spawn_key"]
    assert len(df) == 12 * 2 * 3
    assert (df["spawn_key"] == df["run"].astype(str)).all() and (df["seed_entropy"] == "7").all()
    assert set(df["metric"]) == {"solved", "participations", "share_non_public"}
    assert (df["replicate"] == df["run"] % 2).all()
    man = read_manifest(out)
    assert man["complete"] and man["n_runs"] == 12 and len(man["chunks"]) == 4 and len(man["grid"]) == 6
    # compensation raises the non-public share in the sweep too
    s = df[df["metric"] == "share_non_public"].groupby("levers.compensation.residents")["value"].mean()
    assert s[1.0] > s[0.0]


def test_identical_results_in_any_order(serial, tmp_path):
    out, _ = serial
    sw = load_sweep(SWEEP)
    for k in reversed(range(sw.n_chunks)):  # chunks in reverse order, one by one
        sweep_mod.write_chunk(run_chunk(sw, k), sweep_mod.chunk_path(tmp_path, k), digest=sw.digest(), chunk=k,
                              runs=sweep_mod.chunk_runs(sw, k))
    assert _hashes(tmp_path) == _hashes(out)


def test_identical_results_on_local_processes(serial, tmp_path):
    out, _ = serial
    run_sweep(SWEEP, tmp_path, n_jobs=2)
    assert _hashes(tmp_path) == _hashes(out)
    pd.testing.assert_frame_equal(read_sweep(tmp_path), read_sweep(out))


@pytest.mark.slow
def test_identical_results_on_a_dask_cluster(serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    out, _ = serial
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            res = run_sweep(SWEEP, tmp_path / "client", client=client)
            # a second sweep on the same client right away: releasing the first one's shipped copy
            # must not cancel the second one's tasks
            again = run_sweep(SWEEP, tmp_path / "again", client=client)
        assert res.complete and again.complete
        # the same call by scheduler address
        run_sweep(SWEEP, tmp_path / "address", client=cluster.scheduler_address)
    assert _hashes(tmp_path / "client") == _hashes(out)
    assert _hashes(tmp_path / "address") == _hashes(out)
    assert _hashes(tmp_path / "again") == _hashes(out)


def test_interrupted_sweep_keeps_chunks_and_resumes(serial, tmp_path, monkeypatch):
    out, _ = serial
    part = run_sweep(SWEEP, tmp_path, max_chunks=1)
    assert not part.complete and part.written == (0,)
    assert not read_manifest(tmp_path)["complete"]

    real = sweep_mod.run_chunk

    def crash_on_chunk_2(sweep, k):
        if k == 2:
            raise KeyboardInterrupt("simulated interruption")
        return real(sweep, k)

    monkeypatch.setattr(sweep_mod, "run_chunk", crash_on_chunk_2)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(SWEEP, tmp_path)
    kept = _hashes(tmp_path)
    assert sorted(kept) == ["chunk-000000.parquet", "chunk-000001.parquet"]
    assert not list(Path(tmp_path, "chunks").glob(".*tmp"))  # no half-written file left behind
    monkeypatch.setattr(sweep_mod, "run_chunk", real)

    res = run_sweep(SWEEP, tmp_path)
    assert res.skipped == (0, 1) and res.written == (2, 3) and res.complete
    assert _hashes(tmp_path) == _hashes(out)


def test_a_different_sweep_in_the_same_folder_is_refused(serial, tmp_path):
    run_sweep(SWEEP, tmp_path, max_chunks=1)
    other = dict(SWEEP, seed=8)
    with pytest.raises(ConfigError, match="different sweep"):
        run_sweep(other, tmp_path)
    res = run_sweep(other, tmp_path, overwrite=True, max_chunks=1)
    assert res.written == (0,) and res.skipped == ()


@pytest.mark.parametrize("change, msg", [
    ({"parameters": {"params.loop.handel": [0.5]}}, r"parameters\.params\.loop\.handel: unknown parameter"),
    ({"parameters": {"params.loop.handle": [0.5, 1.5]}}, r"parameters\.params\.loop\.handle: expected a rate"),
    ({"parameters": {"levers.deputies.share": {"start": 0, "step": -0.1, "end": 1}}}, "never reaches end"),
    ({"parameters": {"levers.compensation.wage": [1.0]}}, r"levers\.compensation\.wage: unknown key"),
    ({"replicates": -1}, "replicates: expected a whole number >= 1"),
    ({"metrics": ["happiness"]}, r"metrics\[0\]: unknown metric"),
    ({"repetitions": 3}, "repetitions: unknown key"),
])
def test_bad_sweeps_name_the_key_path(change, msg):
    with pytest.raises(ConfigError, match=msg):
        load_sweep({**SWEEP, **change})


def test_shipped_scenarios_and_sweeps_validate():
    from govlab.datasets import datasets_dir
    from govlab.scenarios import load_scenario

    folder = datasets_dir() / "scenarios"
    n = 0
    for f in sorted(folder.glob("*.yaml")):
        if f.name in ("calibration.yaml", "targets.yaml", "loops.yaml"):
            continue
        (load_sweep if f.name.startswith("sweep-") else load_scenario)(f)
        n += 1
    assert n >= 3


def test_cli_sweep_and_scenario_run(tmp_path, capsys):
    import yaml

    from govlab.cli import main

    (tmp_path / "sc.yaml").write_text(yaml.safe_dump({"locality": "toy", "years": 2, "replicates": 2, "variants": {
        "lists": {"levers": {"accountability": {"lists": 1.0}}}}}), encoding="utf-8")
    sw = dict(SWEEP, scenario="sc.yaml")
    (tmp_path / "sw.yaml").write_text(yaml.safe_dump(sw), encoding="utf-8")
    assert main(["sweep", str(tmp_path / "sw.yaml"), "--out", str(tmp_path / "sweep"), "--max-chunks", "2"]) == 0
    cap = capsys.readouterr()
    assert "incomplete" in cap.out and "run" in cap.err  # the tqdm bar writes to stderr
    assert main(["sweep", str(tmp_path / "sw.yaml"), "--out", str(tmp_path / "sweep"), "--no-progress"]) == 0
    assert "complete ->" in capsys.readouterr().out
    assert read_manifest(tmp_path / "sweep")["complete"]

    assert main(["scenario", "run", str(tmp_path / "sc.yaml"), "--out", str(tmp_path / "run"), "--no-progress"]) == 0
    for f in ("metrics.parquet", "summary.csv", "steps.csv", "comparison.csv", "scenario.yaml", "seeds.csv"):
        assert (tmp_path / "run" / f).exists(), f
    cmp = pd.read_csv(tmp_path / "run" / "comparison.csv")
    assert set(cmp["variant"]) == {"lists"}

    (tmp_path / "bad.yaml").write_text("locality: toy\nlevers: {deputies: {share: 3}}\n", encoding="utf-8")
    assert main(["scenario", "run", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "x")]) == 2
    assert "levers.deputies.share" in capsys.readouterr().err


def test_local_processes_load_the_shipped_sweep_once(tmp_path):
    """The sweep shipped to workers is a plain pickle file that round-trips (read once per process)."""
    import pickle

    sw = load_sweep(SWEEP)
    path = sweep_mod._ship(sw, tmp_path)
    first = sweep_mod._shipped_sweep(path)
    assert sweep_mod._shipped_sweep(path) is first  # cached: loaded once per process
    assert first.digest() == sw.digest()
    assert pickle.loads(pickle.dumps(first)).digest() == sw.digest()
