"""Loaders for the data govlab ships.

The repository keeps the data in ``datasets/`` at its root; the wheel installs that folder as the
package ``govlab.data`` (``setup.py`` maps one onto the other), so an installed govlab finds it with
:func:`importlib.resources.files` wherever it is installed. Where ``govlab.data`` is not importable
(``src/`` on ``PYTHONPATH`` without an install), the ``datasets/`` folder of the same source tree is
used. ``GOVLAB_DATASETS_DIR`` overrides both.

Examples
--------
>>> from govlab.datasets import dataset_path, load_glossary
>>> dataset_path("codebook.yaml").name
'codebook.yaml'
>>> {"zh", "en", "definition"} <= set(load_glossary().columns)
True
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pandas as pd

from govlab.errors import InputError

DATA_PACKAGE = "govlab.data"
ENV_VAR = "GOVLAB_DATASETS_DIR"


def _source_tree_datasets() -> Path | None:
    """``datasets/`` of the source tree this module was imported from, if there is one."""
    root = Path(__file__).resolve().parents[2]
    if (root / "datasets").is_dir() and (root / "pyproject.toml").is_file():
        return root / "datasets"
    return None


def datasets_dir() -> Path:
    """The folder holding govlab's shipped datasets.

    Returns
    -------
    pathlib.Path
        ``$GOVLAB_DATASETS_DIR`` when set; else the folder of the installed package
        ``govlab.data`` (found through :func:`importlib.resources.files`); else ``datasets/`` of
        the source tree govlab was imported from.

    Examples
    --------
    >>> (datasets_dir() / "datapackage.json").is_file()
    True
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    # A source tree on sys.path ahead of an install wins: its code must read its own data
    # (an editable install of another checkout would otherwise answer for govlab.data).
    here = _source_tree_datasets()
    if here is not None:
        return here
    try:
        files = resources.files(DATA_PACKAGE)
    except ModuleNotFoundError as exc:
        raise InputError("govlab's shipped data is not installed (package govlab.data missing); "
                         f"reinstall govlab or set {ENV_VAR}", source=DATA_PACKAGE) from exc
    if not isinstance(files, Path):  # pragma: no cover - zipped installs are not supported
        raise InputError(f"govlab.data is not a folder on disk ({type(files).__name__}); "
                         f"install govlab unzipped or set {ENV_VAR}", source=DATA_PACKAGE)
    return files


def dataset_path(*parts: str) -> Path:
    """Path of a shipped dataset file or folder.

    Parameters
    ----------
    *parts : str
        Path components below the datasets folder, e.g. ``("scenarios", "loops.yaml")``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        Naming the missing path.

    Examples
    --------
    >>> dataset_path("scenarios", "loops.yaml").parent.name
    'scenarios'
    """
    p = datasets_dir().joinpath(*parts)
    if not p.exists():
        raise InputError(f"shipped dataset not found (looked in {datasets_dir()})", source=str(p))
    return p


def load_glossary() -> pd.DataFrame:
    """The bilingual glossary.

    Returns
    -------
    pandas.DataFrame
        Columns ``zh``, ``en``, ``definition``.

    Examples
    --------
    >>> len(load_glossary()) > 10
    True
    """
    df = pd.read_csv(dataset_path("glossary.csv"), dtype=str, keep_default_na=False)
    missing = {"zh", "en", "definition"} - set(df.columns)
    if missing:
        raise InputError(f"missing columns {sorted(missing)}", source="datasets/glossary.csv")
    return df
