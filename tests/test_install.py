"""A built wheel carries the shipped data and loads every dataset from outside the source tree.

The wheel is built (no network: ``--no-build-isolation``) from a copy of the project's package
files, installed with ``--no-index --no-deps`` into a fresh venv whose other packages come from the
running environment (a path entry, not its ``.pth`` files, so no editable govlab leaks in), and
then every shipped dataset is loaded by a process started outside the source tree.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"

LOAD_EVERYTHING = r"""
import json, sys
from pathlib import Path
import pandas as pd, yaml
import govlab
from govlab.datasets import datasets_dir, dataset_path, load_glossary
from govlab import provenance

folder = datasets_dir()
desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
loaded = {}
for res in desc["resources"]:
    p = folder / res["path"]
    if res.get("format") == "parquet":
        n = len(pd.read_parquet(p))
    elif res.get("format") in ("csv", "tsv"):
        n = len(pd.read_csv(p, sep="\t" if res["format"] == "tsv" else ",", dtype=str, keep_default_na=False))
    elif p.suffix in (".yaml", ".yml"):
        n = len(yaml.safe_load(p.read_text(encoding="utf-8")) or {})
    else:
        n = len(p.read_bytes())
    loaded[res["path"]] = n

# the loaders of each flow, as a user calls them
from govlab.coding import load_codebook
from govlab.text import load_lexicon
from govlab.network import list_locality_configs, load_locality_config
from govlab.compare import read_report_tables
from govlab.replication import load_targets
from govlab.corpus import build_corpus
from govlab.scenarios import load_scenario

calls = {
    "glossary": len(load_glossary()),
    "codebook": len(load_codebook().codes),
    "lexicon": len(load_lexicon().terms),
    "localities": len([load_locality_config(n) for n in list_locality_configs()]),
    "report_tables": sorted(read_report_tables()),
    "targets": len(load_targets()),
    "examples": len(build_corpus(dataset_path("examples")).documents),
    "scenario": type(load_scenario("gansu-levers")).__name__,
}
print(json.dumps({"govlab": govlab.__file__, "version": govlab.__version__, "datasets": str(folder),
                  "commit": provenance.commit(), "loaded": loaded, "calls": calls}))
"""


def _package_copy(dest: Path) -> Path:
    """The files a wheel is built from (what `pip install .` reads), copied without build debris."""
    dest.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints", ".hypothesis",
                                    ".pytest_cache", ".DS_Store")  # corpus markers (.govlab-complete.json) ship
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    shutil.copytree(ROOT / "datasets", dest / "datasets", ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    import setuptools

    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.fail(f"setuptools {setuptools.__version__} is older than pyproject.toml needs (>=77); "
                    "rebuild the venv from requirements.lock")
    tmp = tmp_path_factory.mktemp("wheel")
    src = _package_copy(tmp / "src")
    env = {**os.environ, "GOVLAB_BUILD_COMMIT": FAKE_COMMIT, "PIP_NO_INDEX": "1"}
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                           "--wheel-dir", str(tmp / "dist"), str(src)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (whl,) = (tmp / "dist").glob("govlab-*.whl")
    return whl


def test_wheel_carries_every_shipped_file_and_the_build_commit(wheel):
    import govlab

    assert wheel.name.startswith(f"govlab-{govlab.__version__}-")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert z.read("govlab/_commit.txt").decode().strip() == FAKE_COMMIT
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = z.read(meta).decode()
    shipped = {p.relative_to(ROOT / "datasets").as_posix() for p in (ROOT / "datasets").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    missing = sorted(s for s in shipped if f"govlab/data/{s}" not in names)
    assert missing == [], f"shipped files not in the wheel: {missing}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert "govlab/site/templates/govlab.css" in names
    assert "Requires-Python: <3.14,>=3.11" in metadata or "Requires-Python: >=3.11,<3.14" in metadata
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert requires and not [r for r in requires if "numba" in r or "llvmlite" in r], requires


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_loads_every_dataset(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the running environment's packages (numpy, pandas, pip, ...) as a plain path entry
    (site / "_govlab_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "GOVLAB_DATASETS_DIR", "GOVLAB_COMMIT", "PYTHONHOME"}}
    env["PIP_NO_INDEX"] = "1"
    proc = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    proc = subprocess.run([str(py), "-c", LOAD_EVERYTHING], env=env, cwd=outside, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])

    assert Path(got["govlab"]).resolve().is_relative_to(site.resolve()), got["govlab"]
    assert Path(got["datasets"]).resolve() == (site / "govlab" / "data").resolve()
    assert got["commit"] == FAKE_COMMIT
    desc = json.loads((ROOT / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    assert set(got["loaded"]) == {r["path"] for r in desc["resources"]}
    for res in desc["resources"]:
        if res.get("rows") is not None:
            assert got["loaded"][res["path"]] == res["rows"], res["path"]
    calls = got["calls"]
    assert calls["glossary"] > 10 and calls["codebook"] > 10 and calls["lexicon"] > 10 and calls["targets"] > 10
    assert calls["localities"] >= 5
    assert {"codes", "figures", "loops", "profiles"} <= set(calls["report_tables"])
    assert calls["examples"] == 6

    # and the environment variable still overrides the installed data
    alt = tmp_path / "mydata"
    shutil.copytree(ROOT / "datasets", alt, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run([str(py), "-c", "from govlab.datasets import datasets_dir; print(datasets_dir())"],
                          env={**env, "GOVLAB_DATASETS_DIR": str(alt)}, cwd=outside, capture_output=True, text=True)
    assert proc.returncode == 0 and Path(proc.stdout.strip()) == alt, proc.stderr


def test_source_tree_reads_its_own_datasets():
    """Run from the source tree (src/ on sys.path), govlab reads this tree's datasets/."""
    from govlab.datasets import datasets_dir

    if os.environ.get("GOVLAB_DATASETS_DIR"):
        pytest.skip("GOVLAB_DATASETS_DIR is set, which overrides the source tree")
    import govlab

    if not Path(govlab.__file__).resolve().is_relative_to(ROOT / "src"):
        pytest.skip(f"govlab is imported from {govlab.__file__}, not this tree's src/")
    assert datasets_dir().resolve() == (ROOT / "datasets").resolve()
