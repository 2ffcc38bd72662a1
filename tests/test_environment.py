"""The one lock serves Python 3.11-3.13, and the conda file installs exactly its 3.11 pins."""
import re
from pathlib import Path

import pytest

from govlab.envfile import SUPPORTED_PYTHONS, merge_freezes, normalise, read_environment_pins, read_lock

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_pins_equal_lock_file():
    lock = read_lock(ROOT / "requirements.lock", "3.11")
    env = read_environment_pins(ROOT / "environment.yml")
    assert lock, "requirements.lock pins nothing"
    assert env == lock


def test_environment_yml_uses_python_311():
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


def _direct_requirements() -> list[str]:
    names = []
    for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.append(normalise(re.split(r"[<>=!~\[; ]", line)[0]))
    return names


@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_every_direct_requirement_is_locked_for_each_python(python):
    lock = read_lock(ROOT / "requirements.lock", python)
    missing = [n for n in _direct_requirements() if n not in lock]
    assert missing == [], f"requirements.in names not pinned for Python {python}: {missing}"


def test_lock_markers_only_select_python_versions():
    for n, line in enumerate((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines(), 1):
        if ";" in line:
            marker = line.split(";", 1)[1]
            assert re.fullmatch(r'\s*python_version == "3\.1[1-3]"( or python_version == "3\.1[1-3]")*\s*', marker), \
                f"requirements.lock line {n}: {line}"


def test_numba_is_gone_and_lab_ruff_threadpoolctl_are_locked():
    lock = read_lock(ROOT / "requirements.lock", None)
    assert "numba" not in lock and "llvmlite" not in lock
    for name in ("jupyterlab", "ruff", "threadpoolctl", "setuptools"):
        assert name in lock, name
    assert int(lock["setuptools"].split(".")[0]) >= 77, "pyproject.toml's licence field needs setuptools >= 77"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"numba"' not in pyproject and 'requires-python = ">=3.11,<3.14"' in pyproject


def test_merge_marks_version_specific_pins():
    text = merge_freezes({"3.11": "a==1\nb==2\n", "3.12": "a==1\nb==3\n", "3.13": "a==1\n"})
    assert text.splitlines() == ['a==1', 'b==2 ; python_version == "3.11"', 'b==3 ; python_version == "3.12"']
