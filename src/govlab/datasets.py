"""Loaders for the data shipped in ``datasets/``.

The folder is found beside the source tree (editable install) or through ``GOVLAB_DATASETS_DIR``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from govlab.errors import InputError


def datasets_dir() -> Path:
    """The folder holding govlab's shipped datasets."""
    env = os.environ.get("GOVLAB_DATASETS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "datasets"


def dataset_path(*parts: str) -> Path:
    """Path of a shipped dataset file; raises :class:`InputError` naming it when it is missing."""
    p = datasets_dir().joinpath(*parts)
    if not p.exists():
        raise InputError("shipped dataset not found (is govlab installed from its source tree?)", source=str(p))
    return p


def load_glossary() -> pd.DataFrame:
    """The bilingual glossary: columns ``zh``, ``en``, ``definition``."""
    df = pd.read_csv(dataset_path("glossary.csv"), dtype=str, keep_default_na=False)
    missing = {"zh", "en", "definition"} - set(df.columns)
    if missing:
        raise InputError(f"missing columns {sorted(missing)}", source="datasets/glossary.csv")
    return df
