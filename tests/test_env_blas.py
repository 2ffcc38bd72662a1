"""The tables govlab writes are byte-identical under another OpenBLAS core type and thread count.

Each run rebuilds a set of derived tables from the shipped data in a fresh process (corpus tables of
the examples, term counts, the compare tables, a synthetic network and a scenario with variants;
with GOVLAB_CORPUS_DIR also the shipped ``datasets/reports`` tables from the real reports) and the
two runs' files are compared by sha256.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALT_CORETYPE = os.environ.get("GOVLAB_ALT_CORETYPE", "SandyBridge")

REBUILD = r"""
import os, sys
from pathlib import Path
from govlab.cli import main
from govlab.datasets import dataset_path

out = Path(sys.argv[1])
examples = str(dataset_path("examples"))
steps = [
    ["corpus", "build", examples, "--out", str(out / "corpus"), "--no-texts"],
    ["text", "counts", examples, "--out", str(out / "text" / "term_counts.csv")],
    ["compare", examples, "--out-dir", str(out / "compare"), "--tables-only"],
    ["network", "build", "shangyou-620", "--seed", "3", "--out", str(out / "network")],
    ["scenario", "run", "gansu-levers", "--replicates", "2", "--years", "2", "--out", str(out / "scenario"),
     "--no-progress"],
]
corpus = os.environ.get("GOVLAB_CORPUS_DIR")
if corpus:
    steps += [["corpus", "build", corpus, "--out", str(out / "reports"), "--no-texts"],
              ["compare", corpus, "--out-dir", str(out / "reports"), "--tables-only"],
              ["text", "counts", corpus, "--out", str(out / "reports" / "term_counts.csv")]]
for argv in steps:
    rc = main(argv)
    if rc:
        sys.exit(f"govlab {' '.join(argv)} exited {rc}")
"""

BLAS = r"""
import json
import numpy, scipy.linalg  # load both OpenBLAS builds
from threadpoolctl import threadpool_info
print(json.dumps(sorted({(i["architecture"], i["num_threads"]) for i in threadpool_info()
                         if i["internal_api"] == "openblas"})))
"""


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


ALT = {"OPENBLAS_CORETYPE": ALT_CORETYPE, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
DEFAULT = {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}


def _blas(env) -> list:
    out = subprocess.run([sys.executable, "-c", BLAS], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_alternative_blas_setting_is_really_taken():
    """OpenBLAS ignores a core type it does not know; then the comparison below would prove nothing."""
    default, alt = _blas(_env(**DEFAULT)), _blas(_env(**ALT))
    assert alt and all(arch.lower() == ALT_CORETYPE.lower() and n == 1 for arch, n in alt), alt
    assert default != alt


@pytest.mark.slow
def test_derived_tables_are_byte_identical_across_blas_settings(tmp_path):
    runs = {}
    for name, extra in (("default", DEFAULT), ("alt", ALT)):
        out = tmp_path / name
        proc = subprocess.run([sys.executable, "-c", REBUILD, str(out)], env=_env(**extra), cwd=tmp_path,
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"rebuild under {extra} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        runs[name] = _digests(out)
    assert len(runs["default"]) >= 20, sorted(runs["default"])
    assert any(p.endswith("_provenance.json") for p in runs["default"]), "every written table has provenance"
    differ = sorted(p for p in set(runs["default"]) | set(runs["alt"])
                    if runs["default"].get(p) != runs["alt"].get(p))
    assert differ == [], f"differ between the default BLAS and {ALT}: {differ}"
