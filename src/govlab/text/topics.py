"""Topic models on a DFM: NMF and LDA from scikit-learn with fixed seeds.

Both return a :class:`TopicModel` holding the document-topic shares and the topic-term weights as
DataFrames, labelled by doc_id and feature, so that topic composition can be grouped by any
docvar (for example locality).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from govlab.errors import InputError
from govlab.text.dfm import DFM

__all__ = ["TopicModel", "textmodel_nmf", "textmodel_lda"]


@dataclass(frozen=True, eq=False)
class TopicModel:
    """A fitted topic model.

    Attributes
    ----------
    method : {"nmf", "lda"}
    k : int
    doc_topic : pandas.DataFrame
        Documents x topics (``topic_1`` … ``topic_k``); each row sums to 1 (0 for an empty document).
    topic_term : pandas.DataFrame
        Topics x features; each row sums to 1.
    docvars : pandas.DataFrame
    params : dict
        The estimator's parameters (including scikit-learn's ``random_state``, set from ``seed``).
    """

    method: str
    k: int
    doc_topic: pd.DataFrame
    topic_term: pd.DataFrame
    docvars: pd.DataFrame
    params: dict = field(default_factory=dict)

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` heaviest terms per topic: ``topic, rank, term, weight`` (ties by term)."""
        rows = []
        for topic, weights in self.topic_term.iterrows():
            s = weights[weights > 0]
            s = s.iloc[np.lexsort((s.index.astype(str), -s.to_numpy()))][:n]
            rows.extend((topic, r + 1, term, float(w)) for r, (term, w) in enumerate(s.items()))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])

    def composition(self, by: str) -> pd.DataFrame:
        """Mean topic shares of the documents sharing each value of docvar ``by``."""
        if by not in self.docvars.columns:
            raise InputError(f"no docvar {by!r}; docvars are {list(self.docvars.columns)}", key="by")
        labels = self.docvars[by].astype(str).to_numpy()
        return self.doc_topic.groupby(labels, sort=True).mean().rename_axis(by)

    def __repr__(self) -> str:
        return (f"TopicModel({self.method}, k={self.k}, {len(self.doc_topic)} documents x "
                f"{self.topic_term.shape[1]} features, seed={self.params.get('random_state')})")


def _check(x: DFM, k: int) -> None:
    if not isinstance(x, DFM):
        raise InputError(f"expected a DFM, got {type(x).__name__}", key="x")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"expected a positive number of topics, got {k!r}", key="k")
    if x.nfeat() < k or x.ndoc() < 1:
        raise InputError(f"{x.ndoc()} documents x {x.nfeat()} features cannot hold {k} topics", key="k")
    if x.matrix.nnz and x.matrix.data.min() < 0:
        raise InputError("topic models need non-negative counts or weights", key="x")


def _frames(x: DFM, method: str, k: int, w: np.ndarray, h: np.ndarray, params: dict) -> TopicModel:
    topics = [f"topic_{i + 1}" for i in range(k)]
    rs = w.sum(axis=1, keepdims=True)
    w = np.divide(w, rs, out=np.zeros_like(w), where=rs > 0)
    hs = h.sum(axis=1, keepdims=True)
    h = np.divide(h, hs, out=np.zeros_like(h), where=hs > 0)
    doc_topic = pd.DataFrame(w, index=pd.Index(x.doc_ids, name="doc_id"), columns=pd.Index(topics, name="topic"))
    topic_term = pd.DataFrame(h, index=pd.Index(topics, name="topic"), columns=pd.Index(x.features, name="term"))
    return TopicModel(method=method, k=k, doc_topic=doc_topic, topic_term=topic_term, docvars=x.docvars,
                      params=params)


def textmodel_nmf(x: DFM, k: int, *, seed: int = 0, init: str = "nndsvda", max_iter: int = 1000,
                  **kwargs) -> TopicModel:
    """Non-negative matrix factorisation ``X ≈ W H`` (scikit-learn ``NMF``; Lee and Seung 1999).

    Usually fitted on TF-IDF weights (:func:`~govlab.text.dfm.dfm_tfidf`). ``W`` rows are rescaled
    to topic shares and ``H`` rows to term weights summing to 1.

    Parameters
    ----------
    x : DFM
    k : int
        Number of topics.
    seed : int
        Seed (``nndsvda`` initialisation is deterministic; the seed matters for ``init="random"``).
    init, max_iter, **kwargs
        Passed to ``sklearn.decomposition.NMF``.

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "term": ["x", "y", "z", "w"],
    ...                                  "count": [3, 3, 3, 3]}))
    >>> tm = textmodel_nmf(d, 2)
    >>> tm.doc_topic.round(2).values.max(axis=1).tolist()
    [1.0, 1.0]
    """
    from sklearn.decomposition import NMF

    _check(x, k)
    model = NMF(n_components=k, init=init, random_state=seed, max_iter=max_iter, **kwargs)
    with _one_blas_thread():  # the same floats on any thread count
        w = model.fit_transform(x.matrix.astype(float))
    return _frames(x, "nmf", k, w, model.components_, model.get_params())


def textmodel_lda(x: DFM, k: int, *, seed: int = 0, max_iter: int = 50,
                  learning_method: str = "batch", **kwargs) -> TopicModel:
    """Latent Dirichlet allocation (scikit-learn ``LatentDirichletAllocation``; Blei, Ng and Jordan
    2003, fitted by variational Bayes, Hoffman, Blei and Bach 2010).

    Fitted on counts. ``doc_topic`` holds each document's topic distribution and ``topic_term``
    each topic's term distribution.

    Parameters
    ----------
    x : DFM
        Counts.
    k : int
    seed : int
        Seed (fixed by default, so results repeat).
    max_iter, learning_method, **kwargs
        Passed to ``LatentDirichletAllocation`` (``batch`` learning is deterministic for a seed).

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "term": ["x", "y", "z", "w"],
    ...                                  "count": [30, 30, 30, 30]}))
    >>> tm = textmodel_lda(d, 2)
    >>> bool(tm.doc_topic.values.max(axis=1).min() > 0.9)
    True
    """
    from sklearn.decomposition import LatentDirichletAllocation

    _check(x, k)
    model = LatentDirichletAllocation(n_components=k, random_state=seed, max_iter=max_iter,
                                      learning_method=learning_method, **kwargs)
    with _one_blas_thread():
        w = model.fit_transform(x.matrix)
    return _frames(x, "lda", k, w, model.components_, model.get_params())


def _one_blas_thread():
    """Run a fit with one BLAS thread: a multi-threaded BLAS sums in an order that depends on the
    thread count, which changes the last bits of the fitted floats (threadpoolctl)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
