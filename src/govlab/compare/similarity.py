"""Similarity between localities (cosine over code profiles, TF-IDF term counts or character
n-grams) and topic shares, computed by :mod:`govlab.text`.

There is one path per method: TF-IDF weights are :func:`govlab.text.dfm_tfidf`, cosine similarity is
:func:`govlab.text.textstat_simil`, topics are :func:`govlab.text.textmodel_nmf`, and the terms are
the content terms of :func:`govlab.text.dfm_content`; so notebook 02 (text mining) and notebook 04
(comparing localities) publish the same similarities and topics for the same counts. The functions
take a :class:`~govlab.text.DFM` or a long ``doc_id, term, count`` table such as
``datasets/reports/term_counts.csv``; :func:`similarity_long` turns a square frame into heatmap
data.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from govlab.errors import InputError
from govlab.text.dfm import DFM, dfm_content, dfm_from_frame, dfm_tfidf, dfm_trim
from govlab.text.stats import textstat_simil
from govlab.text.topics import textmodel_nmf

__all__ = ["profile_similarity", "term_similarity", "text_similarity", "similarity_long", "topic_composition"]


def _as_dfm(x: DFM | pd.DataFrame, content: bool) -> DFM:
    """A DFM of counts from a DFM or a long ``doc_id, term, count`` table, optionally content terms only."""
    if isinstance(x, DFM):
        d = x
    elif isinstance(x, pd.DataFrame):
        d = dfm_from_frame(x)
    else:
        raise InputError(f"expected a DFM or a doc_id, term, count table, got {type(x).__name__}", key="term_counts")
    return dfm_content(d) if content else d


def _matrix_dfm(X, index) -> DFM:
    """Rows of a (sparse or dense) matrix as a DFM, so that similarity goes through govlab.text."""
    m = sp.csr_matrix(X, dtype=float)
    return DFM(matrix=m, features=tuple(f"f{j}" for j in range(m.shape[1])),
               docvars=pd.DataFrame({"doc_id": pd.Series([str(i) for i in index], dtype=object)}))


def profile_similarity(profile: pd.DataFrame, *, binary: bool = False) -> pd.DataFrame:
    """Cosine similarity between documents' code profiles (:func:`govlab.text.textstat_simil`).

    Parameters
    ----------
    profile : pandas.DataFrame
        :func:`govlab.coding.code_profile` (index ``doc_id``, one column per code).
    binary : bool
        Use presence (1/0) instead of counts.

    Returns
    -------
    pandas.DataFrame
        Square, indexed and columned by ``doc_id``; a document with no code has similarity 0.

    Examples
    --------
    >>> p = pd.DataFrame({"x": [2, 1], "y": [0, 0]}, index=["a", "b"])
    >>> float(profile_similarity(p).loc["a", "b"])
    1.0
    """
    if profile.empty:
        raise InputError("the profile is empty", key="profile")
    X = profile.to_numpy(dtype=float)
    if binary:
        X = (X > 0).astype(float)
    return textstat_simil(_matrix_dfm(X, profile.index), "cosine")


def term_similarity(term_counts: DFM | pd.DataFrame, *, tfidf: bool = True, content: bool = True) -> pd.DataFrame:
    """Cosine similarity between documents over TF-IDF weighted term counts.

    The weights are :func:`govlab.text.dfm_tfidf` (quanteda's ``tf * log10(N / df)``: a term in
    every report weighs nothing, each locality's own vocabulary weighs more) and the similarity is
    :func:`govlab.text.textstat_simil`, as in notebook 02.

    Parameters
    ----------
    term_counts : DFM or pandas.DataFrame
        Counts: a DFM or a long ``doc_id, term, count`` table.
    tfidf : bool
        Weight by TF-IDF (default) or use raw counts.
    content : bool
        Keep only content terms (:func:`govlab.text.dfm_content`; default).

    Returns
    -------
    pandas.DataFrame
        Square, indexed and columned by ``doc_id`` (in the counts' order).

    Examples
    --------
    >>> tc = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["协商", "工作站", "协商"], "count": [1, 1, 1]})
    >>> float(term_similarity(tc, tfidf=False).loc["a", "b"].round(3))
    0.707
    """
    d = _as_dfm(term_counts, content)
    return textstat_simil(dfm_tfidf(d) if tfidf else d, "cosine")


def text_similarity(texts: Mapping[str, str], *, ngram_range: tuple[int, int] = (2, 2)) -> pd.DataFrame:
    """TF-IDF cosine similarity over character n-grams of the texts (no segmenter needed).

    The n-grams and their weights come from scikit-learn's ``TfidfVectorizer``; the similarity is
    :func:`govlab.text.textstat_simil`.

    Examples
    --------
    >>> s = text_similarity({"a": "（虚构）委员工作站", "b": "（虚构）委员工作站", "c": "（虚构）议事厅开会"})
    >>> float(s.loc["a", "b"].round(3)), bool(s.loc["a", "c"] < 0.5)
    (1.0, True)
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = sorted(texts)
    if not docs:
        raise InputError("no texts", key="texts")
    vec = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, token_pattern=None)
    X = vec.fit_transform([texts[d] for d in docs])
    return textstat_simil(_matrix_dfm(X, docs), "cosine")


def similarity_long(sim: pd.DataFrame, *, name: str = "similarity") -> pd.DataFrame:
    """A square similarity frame as long heatmap data: ``doc_a, doc_b, similarity``.

    Examples
    --------
    >>> s = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> similarity_long(s).values.tolist()
    [['a', 'a', 1.0], ['a', 'b', 0.5], ['b', 'a', 0.5], ['b', 'b', 1.0]]
    """
    rows = [(a, b, float(sim.loc[a, b])) for a in sim.index for b in sim.columns]
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", name])


def topic_composition(term_counts: DFM | pd.DataFrame, *, n_topics: int = 3, seed: int = 0,
                      n_top_terms: int = 8, min_docfreq: int = 1,
                      content: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topic shares per document: :func:`govlab.text.textmodel_nmf` on TF-IDF weighted counts.

    NMF (Lee and Seung 1999) with scikit-learn's ``nndsvda`` initialisation and a fixed seed, so the
    same counts give the same topics; the same model as notebook 02's
    ``textmodel_nmf(dfm_tfidf(dfm_content(counts)), k, seed=seed)``.

    Parameters
    ----------
    term_counts : DFM or pandas.DataFrame
        Counts: a DFM or a long ``doc_id, term, count`` table.
    n_topics : int
    seed : int
    n_top_terms : int
        Terms listed per topic.
    min_docfreq : int
        Drop terms used by fewer documents.
    content : bool
        Keep only content terms (:func:`govlab.text.dfm_content`; default).

    Returns
    -------
    shares : pandas.DataFrame
        Index ``doc_id``; columns ``topic_1 ...``; rows sum to 1 (0 for an empty document).
    topics : pandas.DataFrame
        ``topic``, ``terms`` (top terms joined by "、").

    Examples
    --------
    >>> tc = pd.DataFrame({"doc_id": list("aabb"), "term": ["协商", "议事", "经费", "补贴"], "count": [3, 2, 3, 2]})
    >>> shares, topics = topic_composition(tc, n_topics=2)
    >>> shares.round(2).values.tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    d = _as_dfm(term_counts, content)
    if min_docfreq > 1:
        d = dfm_trim(d, min_docfreq=min_docfreq)
    if not isinstance(n_topics, (int, np.integer)) or n_topics < 1 or n_topics > min(d.shape):
        raise InputError(f"n_topics must be between 1 and {min(d.shape)}, got {n_topics}", key="n_topics")
    model = textmodel_nmf(dfm_tfidf(d), int(n_topics), seed=seed)
    shares = model.doc_topic.rename_axis(columns=None)
    top = model.top_terms(n_top_terms)
    terms = top.groupby("topic", sort=False)["term"].apply("、".join)
    topics = pd.DataFrame({"topic": list(shares.columns),
                           "terms": [terms.get(t, "") for t in shares.columns]})
    return shares, topics
