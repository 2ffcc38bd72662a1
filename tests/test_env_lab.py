"""JupyterLab is in the locked environment, and `make lab` cannot rewrite tracked files by itself."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "tests" / "data" / "lab" / "docmanager.jupyterlab-settings"


def test_jupyterlab_and_its_server_import():
    import jupyter_server
    import jupyterlab
    import jupytext

    assert int(jupyterlab.__version__.split(".")[0]) >= 4
    assert jupyter_server.__version__ and jupytext.__version__


def test_jupytext_pairs_every_notebook_with_a_percent_script():
    from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file

    path = find_jupytext_configuration_file(str(ROOT / "notebooks"))
    assert path and Path(path).resolve() == (ROOT / "pyproject.toml").resolve()
    config = load_jupytext_configuration_file(path)
    assert config.formats in ("ipynb,py:percent", ["ipynb,py:percent"])
    for nb in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in nb.parts:
            assert nb.with_suffix(".py").is_file(), f"{nb.relative_to(ROOT)} has no paired .py"


def _json5ish(text: str) -> dict:
    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))


def test_make_lab_turns_autosave_off_in_its_own_settings_folder():
    assert _json5ish(SETTINGS.read_text(encoding="utf-8")) == {"autosave": False}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "JUPYTERLAB_SETTINGS_DIR=" in recipe and "docmanager-extension/plugin.jupyterlab-settings" in recipe
    assert "--ServerApp.root_dir=$(CURDIR)" in recipe and "default_url=/lab/tree/notebooks" in recipe


def test_make_lab_recipe_resolves():
    """`make -n lab` names the venv's jupyter and the settings folder (nothing is started)."""
    if shutil.which("make") is None:
        import pytest

        pytest.skip("make is not installed")
    out = subprocess.run(["make", "-n", "--no-print-directory", "-o", ".venv/.govlab-installed", "lab"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert f"jupyter lab --ServerApp.root_dir={ROOT}" in out.stdout


def test_opening_and_saving_through_jupytext_rewrites_no_tracked_file(tmp_path):
    """JupyterLab reads and writes notebooks through jupytext's contents manager (installed with
    jupytext). A notebook opened and saved unchanged leaves both the .ipynb and its paired .py
    byte-identical."""
    import warnings

    from jupytext import TextFileContentsManager

    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    root = tmp_path / "notebooks"
    before = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    # the server's root is the repository, as in `make lab`: jupytext looks for its config no higher
    cm = TextFileContentsManager(root_dir=str(tmp_path))
    notebooks = [p for p in before if p.suffix == ".ipynb"]
    assert notebooks
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in notebooks:
            rel = p.relative_to(tmp_path).as_posix()
            assert cm.get_config(rel).formats, f"jupytext sees no pairing for {rel}"
            cm.save(cm.get(rel), rel)
    changed = [p.relative_to(root).as_posix() for p, data in before.items() if p.read_bytes() != data]
    assert changed == [], f"saving unchanged notebooks rewrote {changed}"
