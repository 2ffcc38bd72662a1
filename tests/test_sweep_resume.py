"""Sweeps verify what they resume and what they read.

Each chunk carries its sweep's digest, its index and its run range (Parquet key-value metadata).
A truncated, empty, random, foreign (another seed) or misplaced chunk is recomputed on resume, with
a warning naming it, and :func:`read_sweep` refuses it naming the chunk. Workers die with their
parent (kill -9) and take the temporary shipping folder with them.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from govlab.scenarios import sweep as sweep_mod
from govlab.scenarios.sweep import (
    ChunkRecomputedWarning,
    SweepChunkError,
    chunk_path,
    load_sweep,
    read_manifest,
    read_sweep,
    run_sweep,
)

SWEEP = {
    "name": "resume-test",
    "scenario": {"locality": "toy", "years": 2, "start_year": 2020},
    "parameters": {"levers.compensation.residents": [0.0, 1.0], "params.loop.handle": [0.5, 0.7, 0.9]},
    "replicates": 2,
    "metrics": ["solved", "participations"],
    "seed": 7,
    "chunk_size": 3,
}


def _hashes(d) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(d, "chunks").glob("*.parquet"))}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    res = run_sweep(SWEEP, out)
    assert res.complete and res.recomputed == ()
    return out


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """The same sweep with another seed: its chunks fit in every place but belong elsewhere."""
    out = tmp_path_factory.mktemp("foreign")
    run_sweep({**SWEEP, "seed": 8}, out)
    return out


def _damage(folder: Path, how: str, foreign: Path) -> str:
    """Damage chunk 1 of ``folder`` in one way; return the words the reason must hold."""
    c1 = chunk_path(folder, 1)
    if how == "truncated":
        c1.write_bytes(c1.read_bytes()[: c1.stat().st_size // 2])
        return "unreadable"
    if how == "empty":
        c1.write_bytes(b"")
        return "unreadable (0 bytes"
    if how == "random":
        c1.write_bytes(os.urandom(2000))
        return "unreadable"
    if how == "foreign":  # another seed's chunk 1, in the right place
        shutil.copy(chunk_path(foreign, 1), c1)
        return "belongs to another sweep"
    if how == "misplaced":  # this sweep's chunk 0 copied over chunk 1 (runs 0-2 twice, never 3-5)
        shutil.copy(chunk_path(folder, 0), c1)
        return "holds chunk 0 (runs 0-2), expected chunk 1 (runs 3-5)"
    if how == "plain-parquet":  # a valid Parquet table without the sweep's metadata
        df = pd.read_parquet(c1)
        c1.unlink()
        df.to_parquet(c1)
        return "no sweep metadata"
    raise AssertionError(how)


CASES = ["truncated", "empty", "random", "foreign", "misplaced", "plain-parquet"]


@pytest.mark.parametrize("how", CASES)
def test_bad_chunk_is_recomputed_on_resume_and_reported(reference, foreign, tmp_path, how):
    shutil.copytree(reference, tmp_path, dirs_exist_ok=True)
    words = _damage(tmp_path, how, foreign)
    with pytest.warns(ChunkRecomputedWarning, match="chunk-000001.parquet") as rec:
        res = run_sweep(SWEEP, tmp_path)
    assert any(words in str(w.message) for w in rec), [str(w.message) for w in rec]
    assert res.written == (1,) and res.skipped == (0, 2, 3) and res.complete
    assert [name for name, _ in res.recomputed] == ["chunk-000001.parquet"]
    assert _hashes(tmp_path) == _hashes(reference)
    pd.testing.assert_frame_equal(read_sweep(tmp_path), read_sweep(reference))


@pytest.mark.parametrize("how", CASES)
def test_read_sweep_names_the_bad_chunk(reference, foreign, tmp_path, how):
    shutil.copytree(reference, tmp_path, dirs_exist_ok=True)
    words = _damage(tmp_path, how, foreign)
    with pytest.raises(SweepChunkError) as exc:
        read_sweep(tmp_path)
    msg = str(exc.value)
    assert msg.startswith(f"{chunk_path(tmp_path, 1)}: ") and words in msg, msg
    assert "rerun the sweep" in msg


def test_foreign_chunks_are_not_mixed_in_when_the_manifest_is_gone(reference, foreign, tmp_path):
    shutil.copytree(reference, tmp_path, dirs_exist_ok=True)
    (tmp_path / "manifest.json").unlink()
    shutil.copy(chunk_path(foreign, 2), chunk_path(tmp_path, 2))
    with pytest.raises(SweepChunkError, match="belongs to another sweep"):
        read_sweep(tmp_path)  # the first chunk's digest rules without a manifest
    with pytest.warns(ChunkRecomputedWarning, match="chunk-000002.parquet: belongs to another sweep"):
        res = run_sweep(SWEEP, tmp_path)
    assert res.written == (2,) and res.complete
    assert _hashes(tmp_path) == _hashes(reference)


def test_chunk_beyond_the_grid_is_removed_and_reported(reference, tmp_path):
    shutil.copytree(reference, tmp_path, dirs_exist_ok=True)
    shutil.copy(chunk_path(tmp_path, 0), chunk_path(tmp_path, 9))
    with pytest.raises(SweepChunkError, match=r"chunk-000009\.parquet: not a chunk of this sweep"):
        read_sweep(tmp_path)
    with pytest.warns(ChunkRecomputedWarning, match="chunk-000009.parquet: not a chunk of this sweep"):
        res = run_sweep(SWEEP, tmp_path)
    assert res.written == () and res.complete
    assert _hashes(tmp_path) == _hashes(reference)


def test_cli_reports_recomputed_chunks(reference, tmp_path, capsys):
    import yaml

    from govlab.cli import main

    shutil.copytree(reference, tmp_path / "out")
    chunk_path(tmp_path / "out", 3).write_bytes(b"")
    (tmp_path / "sw.yaml").write_text(yaml.safe_dump(SWEEP), encoding="utf-8")
    assert main(["sweep", str(tmp_path / "sw.yaml"), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    cap = capsys.readouterr()
    assert "chunk-000003.parquet: unreadable (0 bytes" in cap.err and "recomputed" in cap.err
    assert "wrote 1, kept 3; complete" in cap.out


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*tasks which were still being processed:UserWarning")  # joblib, on the error
def test_temporary_folder_goes_also_on_error(tmp_path, monkeypatch):
    """The pickled sweep shipped to local workers lives in a temporary folder removed on error too."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))

    def fail(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(sweep_mod, "write_chunk", fail)
    with pytest.raises(OSError, match="disk full"):
        run_sweep(SWEEP, tmp_path / "out", n_jobs=2)
    assert list(tmp.glob("govlab-sweep-*")) == []
    # a folder left by a sweep process that no longer exists is removed by the next parallel sweep
    stale = tmp / "govlab-sweep-999999999-abc"
    stale.mkdir()
    (stale / "sweep.pickle").write_bytes(b"x")
    monkeypatch.undo()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    run_sweep(SWEEP, tmp_path / "out2", n_jobs=2)
    assert list(tmp.glob("govlab-sweep-*")) == []


# ----------------------------------------------------------------------------- kill -9 and resume
KILL_SWEEP = {
    "name": "kill-test",
    "scenario": {"locality": "toy", "years": 3, "start_year": 2020},
    "parameters": {"params.loop.handle": [0.5, 0.6, 0.7, 0.8]},
    "replicates": 20,
    "metrics": ["solved", "participations", "trust"],
    "seed": 11,
    "chunk_size": 2,
}

CHILD = """
import sys, json
from govlab.scenarios.sweep import run_sweep
run_sweep(json.loads(sys.argv[1]), sys.argv[2], n_jobs=2)
"""


def _descendants(pid: int) -> list:
    psutil = pytest.importorskip("psutil")
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.slow
def test_kill_9_then_resume_with_a_corrupted_chunk_equals_an_uninterrupted_run(tmp_path):
    import json

    psutil = pytest.importorskip("psutil")
    out, tmp = tmp_path / "killed", tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=str(Path(sweep_mod.__file__).parents[2]))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(KILL_SWEEP), str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [p for p in _descendants(proc.pid) if p.is_running()] or workers
            if len(list((out / "chunks").glob("chunk-*.parquet"))) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the sweep finished before it could be killed; make it longer"
        workers = _descendants(proc.pid)
        assert workers, "no worker processes seen"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        # every worker notices its parent is gone and exits, taking the shipped sweep with it
        gone, alive = psutil.wait_procs(workers, timeout=20)
        assert alive == [], [p.pid for p in alive]
        assert list(tmp.glob("govlab-sweep-*")) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in workers:
            if p.is_running():
                p.kill()

    man = read_manifest(out)
    assert not man["complete"]
    done = sorted(int(p.stem.split("-")[1]) for p in (out / "chunks").glob("chunk-*.parquet"))
    assert 3 <= len(done) < load_sweep(KILL_SWEEP).n_chunks
    chunk_path(out, done[0]).write_bytes(chunk_path(out, done[0]).read_bytes()[:100])  # corrupt one
    with pytest.warns(ChunkRecomputedWarning, match=f"chunk-{done[0]:06d}.parquet: unreadable"):
        res = run_sweep(KILL_SWEEP, out)
    assert res.complete and done[0] in res.written

    ref = tmp_path / "uninterrupted"
    run_sweep(KILL_SWEEP, ref)
    assert _hashes(out) == _hashes(ref)
    pd.testing.assert_frame_equal(read_sweep(out), read_sweep(ref))
