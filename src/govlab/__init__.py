"""govlab: text-mining CPPCC grassroots-consultation reports and modelling participation networks.

Two flows, each one-way:

* reports → :mod:`govlab.corpus` → :mod:`govlab.text` → :mod:`govlab.coding` → :mod:`govlab.compare`
* locality config → :mod:`govlab.network` → :mod:`govlab.scenarios` → measures

The names below are the public API; they are imported lazily so that ``import govlab`` stays fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it. Each flow's owners keep their own block.
_API = {
    # corpus
    "build_corpus": "govlab.corpus",
    "read_corpus": "govlab.corpus",
    "Corpus": "govlab.corpus",
    # text
    "tokens": "govlab.text",
    "dfm": "govlab.text",
    # coding and comparison
    "load_codebook": "govlab.coding",
    "code_corpus": "govlab.coding",
    "extract_figures": "govlab.coding",
    # network
    "synthesize": "govlab.network",
    "load_locality_config": "govlab.network",
    # scenarios
    "run_scenario": "govlab.scenarios",
    "run_sweep": "govlab.scenarios",
    # shared
    "label": "govlab.viz.labels",
    "set_language": "govlab.viz.labels",
    "GovlabError": "govlab.errors",
    "InputError": "govlab.errors",
    "ConfigError": "govlab.errors",
}

__all__ = sorted(_API) + ["setup", "__version__"]


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'govlab' has no attribute {name!r}")


def setup(lang: str = "both", precision: int = 4) -> None:
    """Make notebook output deterministic, offline and bilingual.

    Registers the offline plotly renderer and template (stable figure ids, no CDN), sets pandas'
    display precision, switches scikit-learn to text reprs, and sets the label language.

    Parameters
    ----------
    lang : {"both", "en", "zh"}
        Language of labels drawn from ``datasets/glossary.csv``.
    precision : int
        Digits pandas shows for floats.

    Examples
    --------
    >>> import govlab
    >>> govlab.setup(lang="en")
    >>> govlab.label("委员工作站")
    'member workstation'
    """
    import numpy as np
    import pandas as pd

    from govlab.viz.labels import set_language
    from govlab.viz.renderer import register_renderer

    set_language(lang)
    register_renderer()
    pd.set_option("display.precision", precision)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    np.set_printoptions(precision=precision, suppress=True)
    try:
        import sklearn

        sklearn.set_config(display="text")
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        pass
