"""Build hooks that pyproject.toml cannot express; all metadata lives in pyproject.toml.

* ``datasets/`` stays at the repository root and is installed as the package ``govlab.data``
  (every file in it is package data), so a wheel carries the shipped data.
* The git commit of the checkout being built is written into the wheel as ``govlab/_commit.txt``,
  so an installed govlab can name the commit it was built from (see :mod:`govlab.provenance`).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _git_commit() -> str:
    """``$GOVLAB_BUILD_COMMIT`` when set (builds from a copy), else ``git rev-parse HEAD``, else ''."""
    import os

    if os.environ.get("GOVLAB_BUILD_COMMIT"):
        return os.environ["GOVLAB_BUILD_COMMIT"].strip()
    try:
        out = subprocess.run(["git", "-C", str(HERE), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return out if len(out) == 40 else ""


class BuildPyWithCommit(build_py):
    """Write ``govlab/_commit.txt`` (the commit being built, or empty outside git) into the build."""

    def run(self):
        super().run()
        if not self.dry_run:
            target = Path(self.build_lib) / "govlab" / "_commit.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_git_commit() + "\n", encoding="utf-8")


setup(
    packages=[*find_packages("src"), "govlab.data"],
    package_dir={"": "src", "govlab.data": "datasets"},
    cmdclass={"build_py": BuildPyWithCommit},
)
