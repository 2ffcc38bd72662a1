"""Derived report tables: codes, figures, loops and profiles of a corpus, written and read as CSV.

``datasets/reports/{codes,figures,loops,profiles}.csv`` are built from the real reports with
:func:`build_report_tables` and shipped; they hold only codes and figures with character offsets,
short matched terms and numeric spans, step names and metadata, never the reports' sentences
(the Corpus rule).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from govlab.coding.codebook import Codebook, load_codebook
from govlab.coding.coding import CODE_COLUMNS, code_corpus
from govlab.coding.figures import FIGURE_COLUMNS, extract_figures_corpus
from govlab.coding.steps import LOOP_COLUMNS, extract_loops, load_loop_steps
from govlab.compare.profiles import PROFILE_COLUMNS, locality_profiles
from govlab.errors import InputError

__all__ = ["build_report_tables", "write_report_tables", "read_report_tables", "REPORT_TABLES"]

#: Table name -> columns.
REPORT_TABLES = {"codes": CODE_COLUMNS, "figures": FIGURE_COLUMNS, "loops": LOOP_COLUMNS, "profiles": PROFILE_COLUMNS}


def build_report_tables(corpus, codebook: Codebook | None = None, *, documents: pd.DataFrame | None = None,
                        client=None) -> dict[str, pd.DataFrame]:
    """Code, extract figures and loops, and profile every document of a corpus.

    Parameters
    ----------
    corpus : govlab.corpus.Corpus or mapping of doc_id to clean text
    codebook : Codebook, optional
    documents : pandas.DataFrame, optional
        Document variables when ``corpus`` is a plain mapping (default: the corpus' own).
    client : dask.distributed.Client, optional
        Run figure extraction on Dask.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``codes``, ``figures``, ``loops``, ``profiles``.

    Examples
    --------
    >>> t = build_report_tables({"a": "（虚构）一、主要做法\\n全县建成委员工作站8个，推行收集议题、确定议题、开展协商、办理落实、结果反馈五步法。"})
    >>> t["profiles"].loc[0, "platforms"], int(t["profiles"].loc[0, "n_loop_steps"])
    ('委员工作站', 5)
    """
    codebook = codebook or load_codebook()
    texts = corpus.texts if hasattr(corpus, "texts") else corpus
    if documents is None:
        documents = getattr(corpus, "documents", None)
    if documents is None:
        documents = pd.DataFrame({"doc_id": sorted(texts)})
    codes = code_corpus(texts, codebook)
    figures = extract_figures_corpus(texts, codebook=codebook, client=client)
    loops = extract_loops(texts, load_loop_steps())
    profiles = locality_profiles(documents[documents["doc_id"].isin(list(texts))], codes, figures, loops, codebook)
    return {"codes": codes, "figures": figures, "loops": loops, "profiles": profiles}


def write_report_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike) -> list[Path]:
    """Write the tables as ``<name>.csv`` (UTF-8, ``\\n``, atomic; same input gives the same bytes)."""
    from govlab.io import write_csv

    out = Path(out_dir)
    paths = []
    for name, cols in REPORT_TABLES.items():
        if name in tables:
            paths.append(write_csv(tables[name][cols], out / f"{name}.csv"))
    return paths


_DTYPES = {
    "codes": {"start": "int64", "end": "int64"},
    "figures": {"value": "float64", "value_max": "float64", "start": "int64", "end": "int64"},
    "loops": {"position": "int64", "start": "int64", "end": "int64"},
    "profiles": {"n_loop_steps": "int64", "n_codes": "int64", "n_figures": "int64", "n_masked": "int64"},
}


def read_report_tables(path: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Read the derived tables (by default the shipped ``datasets/reports/``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``codes``, ``figures``, ``loops``, ``profiles`` with their column types restored.

    Examples
    --------
    >>> sorted(read_report_tables())
    ['codes', 'figures', 'loops', 'profiles']
    """
    if path is None:
        from govlab.datasets import dataset_path

        path = dataset_path("reports")
    path = Path(path)
    out = {}
    for name, cols in REPORT_TABLES.items():
        p = path / f"{name}.csv"
        if not p.exists():
            raise InputError("derived table missing (build it with 'govlab compare')", source=str(p))
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
        missing = set(cols) - set(df.columns)
        if missing:
            raise InputError(f"missing columns {sorted(missing)}", source=str(p))
        for c, t in _DTYPES[name].items():
            df[c] = pd.to_numeric(df[c].replace("", None), errors="raise").astype(t)
        for c in ("approx", "masked"):
            if c in df.columns:
                df[c] = df[c].map({"True": True, "False": False}).astype(bool)
        out[name] = df[cols]
    return out


def report_tables(corpus_dir: str | os.PathLike | None = None, codebook: Codebook | None = None
                  ) -> tuple[dict[str, pd.DataFrame], str]:
    """The derived report tables of the user's corpus, or the shipped ones: one call for notebooks.

    Parameters
    ----------
    corpus_dir : path, optional
        A folder of raw reports (as ``govlab corpus build`` reads it). Notebooks pass
        ``os.environ.get("GOVLAB_CORPUS_DIR")``. When ``None`` or empty, the tables shipped in
        ``datasets/reports/`` are read instead (they need no raw text).
    codebook : Codebook, optional
        Used when the tables are built from ``corpus_dir``.

    Returns
    -------
    (tables, source)
        ``tables``: ``codes``, ``figures``, ``loops``, ``profiles``; ``source``: a sentence that says
        where they came from, for the notebook to print.

    Examples
    --------
    >>> tables, source = report_tables(None)
    >>> sorted(tables), source
    (['codes', 'figures', 'loops', 'profiles'], 'shipped derived tables (datasets/reports/)')
    """
    if corpus_dir:
        from govlab.corpus import build_corpus

        return (build_report_tables(build_corpus(corpus_dir), codebook),
                f"rebuilt from the raw reports in {Path(corpus_dir).name}/")
    return read_report_tables(), "shipped derived tables (datasets/reports/)"


def report_term_counts(corpus_dir: str | os.PathLike | None = None) -> tuple[pd.DataFrame, str]:
    """Term counts (``doc_id``, ``term``, ``count``) of the user's corpus, or the shipped ones.

    Parameters
    ----------
    corpus_dir : path, optional
        A folder of raw reports; when ``None`` or empty, ``datasets/reports/term_counts.csv``.

    Returns
    -------
    (counts, source)

    Examples
    --------
    >>> counts, source = report_term_counts(None)
    >>> list(counts.columns[:3]), source
    (['doc_id', 'term', 'count'], 'shipped derived data (datasets/reports/term_counts.csv)')
    """
    if corpus_dir:
        from govlab.corpus import build_corpus
        from govlab.text import count_terms

        corpus = build_corpus(corpus_dir)
        counts = count_terms(corpus).to_frame().sort_values(["doc_id", "term"]).reset_index(drop=True)
        return counts, f"term counts rebuilt from the raw reports in {Path(corpus_dir).name}/"
    from govlab.datasets import dataset_path

    counts = pd.read_csv(dataset_path("reports", "term_counts.csv"), dtype={"doc_id": str, "term": str},
                         keep_default_na=False)
    return counts, "shipped derived data (datasets/reports/term_counts.csv)"
