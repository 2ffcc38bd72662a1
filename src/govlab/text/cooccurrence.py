"""Co-word (co-occurrence) matrices and networks with Ochiai normalisation.

The usual chain in Chinese policy-text studies (high-frequency words → co-word matrix → Ochiai
coefficient → clustering or a network drawing; e.g. ROSTCM → BICOMB → SPSS) as two functions: a
binary DFM ``X`` gives the co-occurrence counts ``C = Xᵀ X`` (``c_ii`` = number of units containing
term i), and the Ochiai coefficient ``o_ij = c_ij / sqrt(c_ii c_jj)`` (Ochiai 1957; the cosine of
the two terms' binary occurrence vectors). The unit is the DFM's document: build the DFM from
sentences (:func:`~govlab.text.tokens.corpus_reshape`) for sentence-level co-occurrence.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from govlab.errors import InputError
from govlab.text.dfm import DFM

if TYPE_CHECKING:  # networkx is imported when a network is built
    import networkx

__all__ = ["cooccurrence_matrix", "coword_network", "top_features"]


def top_features(x: DFM, n: int) -> list[str]:
    """The ``n`` features occurring in the most units (then the most often, then by name)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"expected a positive integer, got {n!r}", key="top_n")
    m = x.matrix.tocsc()
    docfreq = np.diff(m.indptr)
    termfreq = np.asarray(m.sum(axis=0)).ravel()
    feats = np.array(x.features, dtype=object)
    order = np.lexsort((feats.astype(str), -termfreq, -docfreq))
    return feats[order[:n]].tolist()


def _binary_subset(x: DFM, features: list[str] | None) -> tuple[sp.csc_matrix, list[str]]:
    if features is None:
        cols = np.arange(x.nfeat())
    else:
        vocab = x.vocabulary
        missing = [f for f in features if f not in vocab]
        if missing:
            raise InputError(f"features {missing[:5]} are not in the DFM", key="features")
        cols = np.array([vocab[f] for f in features], dtype=np.int64)
    b = (x.matrix.tocsc()[:, cols] > 0).astype(np.int64)
    return sp.csc_matrix(b), [x.features[j] for j in cols]


def cooccurrence_matrix(x: DFM, *, measure: str = "ochiai", features: list[str] | None = None,
                        top_n: int | None = None) -> pd.DataFrame:
    """Term-by-term co-occurrence counts or Ochiai coefficients.

    Parameters
    ----------
    x : DFM
        Any DFM; only presence counts (a term occurring several times in a unit counts once).
    measure : {"ochiai", "count"}
        Ochiai coefficients (diagonal 1 for every term that occurs) or raw co-occurrence counts
        (diagonal = number of units containing the term).
    features, top_n : optional
        Restrict to these features, or to the :func:`top_features` ``top_n``.

    Returns
    -------
    pandas.DataFrame
        Square, labelled by feature.

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["s1", "s1", "s2", "s3"], "term": ["a", "b", "a", "b"],
    ...                                  "count": [1, 3, 1, 1]}))
    >>> cooccurrence_matrix(d).round(3).values.tolist()  # 1 / sqrt(2 * 2)
    [[1.0, 0.5], [0.5, 1.0]]
    """
    if top_n is not None:
        features = top_features(x, top_n)
    b, names = _binary_subset(x, features)
    c = (b.T @ b).toarray().astype(float)
    if measure == "count":
        out = c.astype(np.int64)
    elif measure == "ochiai":
        d = np.sqrt(np.diag(c))
        denom = np.outer(d, d)
        out = np.divide(c, denom, out=np.zeros_like(c), where=denom > 0)
    else:
        raise InputError(f"expected 'ochiai' or 'count', got {measure!r}", key="measure")
    return pd.DataFrame(out, index=pd.Index(names, name="term"), columns=pd.Index(names, name="term2"))


def coword_network(x: DFM, *, top_n: int | None = 50, features: list[str] | None = None,
                   min_count: int = 1, min_weight: float = 0.0) -> networkx.Graph:
    """An Ochiai-normalised co-word network.

    Parameters
    ----------
    x : DFM
        Units (documents or sentences) x terms.
    top_n : int, optional
        Use the ``top_n`` terms occurring in the most units (default 50; ``None`` = all).
    features : list of str, optional
        Use exactly these terms (overrides ``top_n``).
    min_count : int
        Keep an edge only when the two terms share at least this many units.
    min_weight : float
        Keep an edge only when its Ochiai coefficient is at least this.

    Returns
    -------
    networkx.Graph
        Nodes: terms, with ``docfreq`` (units containing the term) and ``termfreq``. Edges:
        ``weight`` (Ochiai coefficient) and ``count`` (shared units). Nodes are added in order of
        decreasing ``docfreq``; edges in node order.

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["s1", "s1", "s2", "s3"], "term": ["a", "b", "a", "b"],
    ...                                  "count": [1, 3, 1, 1]}))
    >>> g = coword_network(d)
    >>> g.edges["a", "b"]
    {'weight': 0.5, 'count': 1}
    """
    if features is None and top_n is not None:
        features = top_features(x, top_n)
    elif features is None:
        features = top_features(x, max(1, x.nfeat())) if x.nfeat() else []
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise InputError(f"expected a positive integer, got {min_count!r}", key="min_count")
    b, names = _binary_subset(x, features)
    c = (b.T @ b).toarray()
    docfreq = np.diag(c).astype(np.int64)
    vocab = x.vocabulary
    tf = np.asarray(x.matrix.sum(axis=0)).ravel()
    import networkx as nx

    g = nx.Graph()
    for i, name in enumerate(names):
        g.add_node(name, docfreq=int(docfreq[i]), termfreq=float(tf[vocab[name]]) if x.meta.get(
            "weight", "count") != "count" else int(tf[vocab[name]]))
    n = len(names)
    for i in range(n):
        for j in range(i + 1, n):
            cij = int(c[i, j])
            if cij < min_count or cij == 0:
                continue
            w = cij / float(np.sqrt(docfreq[i] * docfreq[j]))
            if w >= min_weight:
                g.add_edge(names[i], names[j], weight=w, count=cij)
    return g
