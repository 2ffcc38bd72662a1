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
    assert "--notebook-dir=notebooks" in recipe


def test_make_lab_recipe_resolves():
    """`make -n lab` names the venv's jupyter and the settings folder (nothing is started)."""
    if shutil.which("make") is None:
        import pytest

        pytest.skip("make is not installed")
    out = subprocess.run(["make", "-n", "--no-print-directory", "-o", ".venv/.govlab-installed", "lab"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert "jupyter lab --notebook-dir=notebooks" in out.stdout
