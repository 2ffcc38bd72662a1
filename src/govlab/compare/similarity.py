"""Similarity between localities: cosine over code profiles or TF-IDF term counts, and topic shares.

All functions take plain tables (a code profile, or a long ``doc_id, term, count`` table such as
``datasets/reports/term_counts.csv``) and return square similarity frames; :func:`similarity_long`
turns one into heatmap data.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from govlab.errors import InputError

__all__ = ["cosine_matrix", "profile_similarity", "term_matrix", "term_similarity", "text_similarity",
           "similarity_long", "topic_composition"]


def cosine_matrix(X, index) -> pd.DataFrame:
    """Cosine similarity of the rows of ``X`` (dense or sparse); a zero row has similarity 0 with all.

    Examples
    --------
    >>> cosine_matrix(np.array([[1, 0], [1, 1], [0, 0]]), ["a", "b", "c"]).round(3).values.tolist()
    [[1.0, 0.707, 0.0], [0.707, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    X = sp.csr_matrix(X, dtype=float)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    Xn = sp.diags(inv) @ X
    S = np.asarray((Xn @ Xn.T).todense())
    S = np.clip(S, 0.0, 1.0)
    out = pd.DataFrame(S, index=list(index), columns=list(index))
    out.index.name = "doc_id"
    return out


def profile_similarity(profile: pd.DataFrame, *, binary: bool = False) -> pd.DataFrame:
    """Cosine similarity between documents' code profiles.

    Parameters
    ----------
    profile : pandas.DataFrame
        :func:`govlab.coding.code_profile` (index ``doc_id``, one column per code).
    binary : bool
        Use presence (1/0) instead of counts.

    Returns
    -------
    pandas.DataFrame
        Square, indexed and columned by ``doc_id``.

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
    return cosine_matrix(X, profile.index)


def term_matrix(term_counts: pd.DataFrame) -> tuple[sp.csr_matrix, list[str], list[str]]:
    """A sparse document-term matrix from a long ``doc_id, term, count`` table.

    Returns
    -------
    X : scipy.sparse.csr_matrix
    doc_ids : list of str (sorted)
    terms : list of str (sorted)

    Examples
    --------
    >>> X, docs, terms = term_matrix(pd.DataFrame({"doc_id": ["a", "b"], "term": ["协商", "协商"], "count": [2, 1]}))
    >>> X.toarray().tolist(), docs, terms
    ([[2.0], [1.0]], ['a', 'b'], ['协商'])
    """
    missing = {"doc_id", "term", "count"} - set(term_counts.columns)
    if missing:
        raise InputError(f"the term table lacks columns {sorted(missing)}", key="term_counts")
    docs = sorted(term_counts["doc_id"].astype(str).unique())
    terms = sorted(term_counts["term"].astype(str).unique())
    di = {d: i for i, d in enumerate(docs)}
    ti = {t: i for i, t in enumerate(terms)}
    rows = term_counts["doc_id"].astype(str).map(di).to_numpy()
    cols = term_counts["term"].astype(str).map(ti).to_numpy()
    X = sp.csr_matrix((term_counts["count"].to_numpy(dtype=float), (rows, cols)), shape=(len(docs), len(terms)))
    X.sum_duplicates()
    return X, docs, terms


def term_similarity(term_counts: pd.DataFrame, *, tfidf: bool = True) -> pd.DataFrame:
    """Cosine similarity between documents over (TF-IDF weighted) term counts.

    TF-IDF is scikit-learn's ``TfidfTransformer`` (smooth idf, l2 norm), so terms used by every report
    weigh little and each locality's own vocabulary weighs more.

    Examples
    --------
    >>> tc = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["协商", "工作站", "协商"], "count": [1, 1, 1]})
    >>> term_similarity(tc, tfidf=False).round(3).loc["a", "b"]
    np.float64(0.707)
    """
    X, docs, _ = term_matrix(term_counts)
    if tfidf:
        from sklearn.feature_extraction.text import TfidfTransformer

        X = TfidfTransformer(smooth_idf=True, norm="l2").fit_transform(X)
    return cosine_matrix(X, docs)


def text_similarity(texts: Mapping[str, str], *, ngram_range: tuple[int, int] = (2, 2)) -> pd.DataFrame:
    """TF-IDF cosine similarity over character n-grams of the texts (no segmenter needed).

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
    return cosine_matrix(X, docs)


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


def topic_composition(term_counts: pd.DataFrame, *, n_topics: int = 3, seed: int = 0,
                      n_top_terms: int = 8, min_docfreq: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topic shares per document by non-negative matrix factorisation of TF-IDF term counts.

    NMF (Lee and Seung 1999) with scikit-learn's ``nndsvda`` initialisation and a fixed seed, so
    the same counts give the same topics.

    Parameters
    ----------
    term_counts : pandas.DataFrame
        ``doc_id, term, count``.
    n_topics : int
    seed : int
    n_top_terms : int
        Terms listed per topic.
    min_docfreq : int
        Drop terms used by fewer documents.

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
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    X, docs, terms = term_matrix(term_counts)
    if min_docfreq > 1:
        keep = np.asarray((X > 0).sum(axis=0)).ravel() >= min_docfreq
        X = X[:, keep]
        terms = [t for t, k in zip(terms, keep) if k]
    if n_topics < 1 or n_topics > min(X.shape):
        raise InputError(f"n_topics must be between 1 and {min(X.shape)}, got {n_topics}", key="n_topics")
    Xt = TfidfTransformer().fit_transform(X)
    model = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=1000)
    W = model.fit_transform(Xt)
    sums = W.sum(axis=1, keepdims=True)
    shares = np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)
    cols = [f"topic_{k + 1}" for k in range(n_topics)]
    share_df = pd.DataFrame(shares, index=pd.Index(docs, name="doc_id"), columns=cols)
    top = []
    for k, comp in enumerate(model.components_):
        order = np.lexsort((np.array(terms), -comp))[:n_top_terms]
        top.append((cols[k], "、".join(terms[i] for i in order if comp[i] > 0)))
    return share_df, pd.DataFrame(top, columns=["topic", "terms"])
