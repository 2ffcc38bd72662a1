"""Shared fixtures. Tests that need the raw reports read them from ``GOVLAB_CORPUS_DIR`` and skip
when it is unset (the project never ships the reports' text)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The folder of raw reports given by ``GOVLAB_CORPUS_DIR``; skips the test when unset."""
    value = os.environ.get("GOVLAB_CORPUS_DIR")
    if not value:
        pytest.skip("GOVLAB_CORPUS_DIR is not set: the raw reports are needed")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"GOVLAB_CORPUS_DIR={value!r} is not a directory")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The project's own fictional example reports."""
    return DATASETS / "examples"
