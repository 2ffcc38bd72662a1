"""Whole outputs or none: atomic files, corpus folders swapped in whole, a completeness marker that
every reader checks, and a build killed half-way that leaves the old corpus as it was."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import govlab.corpus.build as build_mod
from govlab.cli import main as cli_main
from govlab.corpus import COMPLETE_MARKER, build_corpus, is_corpus, load_corpus, read_corpus, write_corpus
from govlab.errors import InputError
from govlab.io import atomic_path, write_text

ROOT = Path(__file__).resolve().parents[1]
GOOD = "青溪县政协建成委员工作站6个，全年开展协商活动126场次。\n"
OTHER = "林山市政协建成协商议事室96个，实现镇、街道全覆盖。\n"


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small_raw(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD, encoding="utf-8")
    (raw / "b.txt").write_text(OTHER, encoding="utf-8")
    return raw


@pytest.mark.parametrize("name", ["a" * 250 + ".txt", "委" * 83 + ".txt"])
def test_atomic_path_with_a_name_near_the_limit(tmp_path, name):
    assert len(name.encode()) <= 255
    write_text(tmp_path / name, "x")
    assert (tmp_path / name).read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_atomic_path_leaves_the_old_file_on_failure(tmp_path):
    write_text(tmp_path / "a.txt", "old")
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "a.txt") as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert (tmp_path / "a.txt").read_text() == "old" and len(list(tmp_path.iterdir())) == 1


def test_marker_is_written_and_lists_every_file(small_raw, tmp_path):
    out = tmp_path / "out"
    write_corpus(build_corpus(small_raw), out)
    marker = json.loads((out / COMPLETE_MARKER).read_text(encoding="utf-8"))
    # every file but the marker and the provenance record (which later flows' tables add to)
    files = {k: v for k, v in _digests(out).items() if k not in (COMPLETE_MARKER, "_provenance.json")}
    assert marker["files"] == files and marker["documents"] == 2 and is_corpus(out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_rebuild_swaps_whole_folder_and_keeps_other_files(small_raw, tmp_path, examples_dir):
    out = tmp_path / "out"
    write_corpus(build_corpus(small_raw), out)
    (out / "codes.csv").write_text("doc_id,code\n", encoding="utf-8")  # another flow's table
    (out / "extra").mkdir()
    (out / "extra" / "note.txt").write_text("n", encoding="utf-8")
    write_corpus(build_corpus(examples_dir), out)
    assert sorted(p.name for p in (out / "texts").iterdir())[0] == "ex-chengguan-notes.txt"
    assert not (out / "texts" / "a.txt").exists()  # texts of the old corpus are gone
    assert (out / "codes.csv").read_text(encoding="utf-8") == "doc_id,code\n"
    assert (out / "extra" / "note.txt").read_text(encoding="utf-8") == "n"
    assert len(read_corpus(out)) == 6


def test_a_kill_between_the_two_renames_is_recovered_by_the_next_write(small_raw, tmp_path, examples_dir):
    """The swap is two renames (old aside, new in). A write killed between them leaves no target but
    the complete old corpus aside; the next write puts it back before it starts, then swaps."""

    out = tmp_path / "out"
    write_corpus(build_corpus(small_raw), out)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    aside = tmp_path / f".out.govlab-old-{int(dead.stdout)}-abcdefgh"
    out.rename(aside)  # the state a kill between the two renames leaves
    build_mod._remove_leftovers(tmp_path, "out")
    assert is_corpus(out) and not aside.exists() and len(read_corpus(out)) == len(build_corpus(small_raw))
    out.rename(aside)
    write_corpus(build_corpus(examples_dir), out)
    assert len(read_corpus(out)) == 6 and [p.name for p in tmp_path.iterdir() if p.name != "raw"] == ["out"]


def test_write_refuses_a_folder_that_is_not_a_corpus(small_raw, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"holds files that are not a corpus \(thesis.tex\)"):
        write_corpus(build_corpus(small_raw), mine)
    assert [p.name for p in mine.iterdir()] == ["thesis.tex"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="exists and is not a folder"):
        write_corpus(build_corpus(small_raw), tmp_path / "file")


def test_readers_refuse_incomplete_or_changed_folders(small_raw, tmp_path):
    out = tmp_path / "out"
    write_corpus(build_corpus(small_raw), out)
    (out / "spans.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(InputError, match=r"spans.parquet: differs from its checksum in \.govlab-complete\.json"):
        read_corpus(out)
    write_corpus(build_corpus(small_raw), out)
    os.remove(out / "texts" / "a.txt")
    with pytest.raises(InputError, match=r"a.txt: missing, although \.govlab-complete\.json lists it"):
        read_corpus(out)
    write_corpus(build_corpus(small_raw), out)
    os.remove(out / COMPLETE_MARKER)
    with pytest.raises(InputError, match=r"an incomplete corpus: no \.govlab-complete\.json"):
        read_corpus(out)
    assert len(read_corpus(out, check_complete=False)) == 2  # at the user's risk
    (out / COMPLETE_MARKER).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read_corpus(out)


def test_corpus_folder_is_not_read_as_reports(small_raw, tmp_path):
    out = tmp_path / "out"
    write_corpus(build_corpus(small_raw), out)
    with pytest.raises(InputError, match="is a corpus folder written by 'govlab corpus build', not a folder of"):
        build_corpus(out)
    assert len(load_corpus(out)) == 2 and len(load_corpus(small_raw)) == 2


@pytest.mark.parametrize("command", [
    ["figures", "{d}", "--out", "{o}/f.csv"],
    ["code", "{d}", "--out", "{o}/c.csv"],
    ["compare", "{d}", "--out-dir", "{o}/cmp"],
    ["text", "counts", "{d}", "--out", "{o}/t.csv"],
])
def test_commands_say_when_a_folder_is_neither(tmp_path, capsys, small_raw, command):
    """No more "0 figures in 0 documents" and exit 0 on a folder that is not a corpus or reports."""
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (other / "budget.xlsx").write_bytes(b"PK\x03\x04" + bytes(64))
    half = tmp_path / "half"
    write_corpus(build_corpus(small_raw), half)
    os.remove(half / COMPLETE_MARKER)

    def run(folder):
        return cli_main([a.format(d=folder, o=tmp_path) for a in command])

    assert run(empty) == 2
    assert "neither a corpus folder (no .govlab-complete.json, no documents.csv) nor a folder of reports" in \
        capsys.readouterr().err
    assert run(other) == 2
    assert "no report could be read (1 files not used: budget.xlsx: not a report file type" in capsys.readouterr().err
    assert run(half) == 2
    assert "an incomplete corpus" in capsys.readouterr().err


def test_cli_refuses_to_write_over_the_reports(small_raw, tmp_path, capsys):
    for out in (small_raw, tmp_path):
        assert cli_main(["corpus", "build", str(small_raw), "--out", str(out)]) == 2
        assert "the output folder holds the reports" in capsys.readouterr().err
    assert sorted(p.name for p in small_raw.iterdir()) == ["a.txt", "b.txt"]


def test_leftovers_of_a_dead_build_are_removed(small_raw, tmp_path):
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = int(proc.stdout)
    left = tmp_path / f".out.govlab-tmp-{dead}-abcd1234"
    (left / "texts").mkdir(parents=True)
    mine = tmp_path / f".out.govlab-tmp-{os.getpid()}-running"  # a live process's folder stays
    mine.mkdir()
    write_corpus(build_corpus(small_raw), tmp_path / "out")
    assert not left.exists() and mine.exists()


@pytest.mark.parametrize("pause_after", [2, 8])
def test_kill_during_build_leaves_the_old_corpus(tmp_path, small_raw, examples_dir, pause_after):
    """kill -9 while `govlab corpus build` writes over an existing corpus: the target is exactly the
    old corpus and reads as complete; the next build cleans up and writes the new one whole.
    ``pause_after`` 2 stops it among the texts, 8 after documents.csv and cleaning_log.csv."""
    target = tmp_path / "corpus"
    write_corpus(build_corpus(small_raw), target)
    before = _digests(target)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), GOVLAB_TEST_PAUSE_AFTER=f"{pause_after}:120")
    proc = subprocess.Popen([sys.executable, "-m", "govlab", "corpus", "build", str(examples_dir), "--out",
                             str(target)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            tmp = [p for p in tmp_path.iterdir() if p.name.startswith(".corpus.govlab-tmp-")]
            if tmp and sum(1 for p in tmp[0].rglob("*") if p.is_file()) >= pause_after:
                break
            if proc.poll() is not None:
                pytest.fail(f"the build ended before it was killed: {proc.stderr.read().decode()}")
            time.sleep(0.1)
        else:
            pytest.fail("the build never reached the pause")
        time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _digests(target) == before
    assert len(read_corpus(target)) == 2
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".corpus.govlab-tmp-")]  # the dead build's folder
    env.pop("GOVLAB_TEST_PAUSE_AFTER")
    done = subprocess.run([sys.executable, "-m", "govlab", "corpus", "build", str(examples_dir), "--out",
                           str(target)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(read_corpus(target)) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "raw"]
    assert pd.read_csv(target / "documents.csv")["doc_id"].tolist()[0] == "ex-chengguan-notes"
