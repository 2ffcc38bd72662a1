"""govlab: text-mining CPPCC grassroots-consultation reports and modelling participation networks.

Two flows, each one-way:

* reports → :mod:`govlab.corpus` → :mod:`govlab.text` → :mod:`govlab.coding` → :mod:`govlab.compare`
* locality config → :mod:`govlab.network` → :mod:`govlab.scenarios` → measures

The names below are the public API; they are imported lazily so that ``import govlab`` stays fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.2.0"

# public name -> module that defines it. Each flow's owners keep their own block.
_API = {
    # corpus: reports -> clean texts with spans and a cleaning log
    "Corpus": "govlab.corpus",
    "build_corpus": "govlab.corpus",
    "read_corpus": "govlab.corpus",
    "write_corpus": "govlab.corpus",
    "clean_text": "govlab.corpus",
    "read_document": "govlab.corpus",
    # text: tokens, document-feature matrices and their statistics
    "Tokens": "govlab.text",
    "DFM": "govlab.text",
    "tokens": "govlab.text",
    "tokens_lookup": "govlab.text",
    "tokens_compound": "govlab.text",
    "load_lexicon": "govlab.text",
    "count_terms": "govlab.text",
    "kwic": "govlab.text",
    "dfm": "govlab.text",
    "dfm_trim": "govlab.text",
    "dfm_content": "govlab.text",
    "dfm_group": "govlab.text",
    "dfm_tfidf": "govlab.text",
    "dfm_from_frame": "govlab.text",
    "textstat_frequency": "govlab.text",
    "textstat_keyness": "govlab.text",
    "textstat_simil": "govlab.text",
    "coword_network": "govlab.text",
    "textmodel_nmf": "govlab.text",
    "textmodel_lda": "govlab.text",
    "ChineseCountVectorizer": "govlab.text",
    # coding: practice codes and figures with evidence offsets
    "load_codebook": "govlab.coding",
    "code_corpus": "govlab.coding",
    "code_profile": "govlab.coding",
    "extract_figures": "govlab.coding",
    "extract_figures_corpus": "govlab.coding",
    "extract_loops": "govlab.coding",
    # compare: localities side by side
    "locality_profiles": "govlab.compare",
    "align_loops": "govlab.compare",
    "truth_table": "govlab.compare",
    # network: locality config -> synthetic participation network -> measures
    "Locality": "govlab.network",
    "load_locality_config": "govlab.network",
    "list_locality_configs": "govlab.network",
    "synthesize": "govlab.network",
    "make_locality": "govlab.network",
    "validate": "govlab.network",
    "to_networkx": "govlab.network",
    "resident_matrix": "govlab.network",
    "convert": "govlab.network",
    "check_structure_targets": "govlab.network.targets",
    "all_measures": "govlab.network.measures",
    "measures_summary": "govlab.network.measures",
    # scenarios: consultation years, levers, calibration, sweeps
    "Scenario": "govlab.scenarios",
    "load_scenario": "govlab.scenarios",
    "run_scenario": "govlab.scenarios",
    "compare_scenarios": "govlab.scenarios",
    "calibrate": "govlab.scenarios.calibrate",
    "load_sweep": "govlab.scenarios",
    "run_sweep": "govlab.scenarios",
    "read_sweep": "govlab.scenarios",
    # suite: notebooks, site, replication, figures
    "execute_notebook": "govlab.notebooks",
    "build_site": "govlab.site",
    "export_figures": "govlab.viz.export",
    "replication_table": "govlab.replication",
    "replicate": "govlab.replication",
    # shared
    "label": "govlab.viz.labels",
    "set_language": "govlab.viz.labels",
    "load_glossary": "govlab.datasets",
    "GovlabError": "govlab.errors",
    "InputError": "govlab.errors",
    "ConfigError": "govlab.errors",
}

__all__ = sorted(_API) + ["setup", "__version__"]


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'govlab' has no attribute {name!r}")


def setup(lang: str = "both", precision: int = 4, *, display: bool = False) -> None:
    """Make notebook output deterministic, offline and bilingual.

    Registers the offline plotly renderer and template (stable figure ids, no CDN), switches
    scikit-learn to text reprs, and sets the label language. Global pandas and numpy display
    options are left alone unless ``display=True`` asks for govlab's (``precision`` digits, 30
    columns, 120 characters wide, no scientific notation for small numbers).

    Parameters
    ----------
    lang : {"both", "en", "zh"}
        Language of labels drawn from ``datasets/glossary.csv``.
    precision : int
        Digits pandas and numpy show for floats (only with ``display=True``).
    display : bool
        Also set pandas' and numpy's global display options (the notebooks ask for this).

    Examples
    --------
    >>> import govlab, pandas as pd
    >>> before = pd.get_option("display.precision")
    >>> govlab.setup(lang="en")
    >>> govlab.label("委员工作站")
    'member workstation'
    >>> pd.get_option("display.precision") == before
    True
    """
    from govlab.viz.labels import set_language
    from govlab.viz.renderer import register_renderer

    set_language(lang)
    register_renderer()
    if display:
        import numpy as np
        import pandas as pd

        pd.set_option("display.precision", precision)
        pd.set_option("display.max_columns", 30)
        pd.set_option("display.width", 120)
        np.set_printoptions(precision=precision, suppress=True)
    try:
        import sklearn

        sklearn.set_config(display="text")
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        pass
