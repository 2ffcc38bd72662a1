"""Statistics on a DFM: term frequencies, keyness between two groups, document similarity.

Named after quanteda's ``textstat_*`` functions; each takes a :class:`~govlab.text.dfm.DFM` and
returns a pandas DataFrame.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from govlab.errors import InputError
from govlab.text.dfm import DFM

__all__ = ["textstat_frequency", "textstat_keyness", "textstat_simil"]


def textstat_frequency(x: DFM, n: int | None = None, *, groups: str | None = None) -> pd.DataFrame:
    """Most frequent features, overall or per group (quanteda's ``textstat_frequency``).

    Parameters
    ----------
    x : DFM
    n : int, optional
        Keep the top ``n`` features (per group).
    groups : str, optional
        A docvars column; frequencies are computed within each of its values.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, frequency, rank, docfreq, group``; sorted by group, then frequency
        (descending), then term. ``rank`` is 1 for the most frequent (ties share the best rank).

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["协商", "议事", "协商"],
    ...                                  "count": [2, 1, 5]}))
    >>> textstat_frequency(d)[["term", "frequency", "rank", "docfreq"]]
      term  frequency  rank  docfreq
    0   协商          7     1        2
    1   议事          1     2        1
    """
    if groups is None:
        labels = np.array(["all"] * x.ndoc(), dtype=object)
    else:
        if groups not in x.docvars.columns:
            raise InputError(f"no docvar {groups!r}; docvars are {list(x.docvars.columns)}", key="groups")
        labels = x.docvars[groups].astype(str).to_numpy()
    frames = []
    feats = np.array(x.features, dtype=object)
    for g in sorted(set(labels)):
        rows = np.flatnonzero(labels == g)
        sub = x.matrix[rows]
        freq = np.asarray(sub.sum(axis=0)).ravel()
        docfreq = np.asarray((sub > 0).sum(axis=0)).ravel()
        nz = np.flatnonzero(freq > 0)
        df = pd.DataFrame({"term": feats[nz], "frequency": freq[nz], "docfreq": docfreq[nz].astype("int64")})
        df = df.sort_values(["frequency", "term"], ascending=[False, True], kind="stable")
        df["rank"] = df["frequency"].rank(method="min", ascending=False).astype("int64")
        if n is not None:
            df = df.head(n)
        df["group"] = g
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["term", "frequency", "docfreq", "rank", "group"])
    return out[["term", "frequency", "rank", "docfreq", "group"]]


def _select_rows(x: DFM, labels: Any, by: str, what: str) -> np.ndarray:
    if by not in x.docvars.columns:
        raise InputError(f"no docvar {by!r}; docvars are {list(x.docvars.columns)}", key="by")
    values = x.docvars[by].astype(str).to_numpy()
    wanted = [labels] if isinstance(labels, str) else [str(v) for v in labels]
    unknown = [w for w in wanted if w not in set(values)]
    if unknown:
        raise InputError(f"{unknown} not found in docvar {by!r} (values: {sorted(set(values))[:10]})", key=what)
    return np.isin(values, wanted)


def textstat_keyness(x: DFM, target: str | Iterable[str], reference: str | Iterable[str] | None = None, *,
                     by: str = "doc_id", prior: str | float | Mapping[str, float] | pd.Series = "corpus",
                     alpha0: float | None = None) -> pd.DataFrame:
    """Keyness of each feature between two groups of documents: the log-odds ratio with an
    informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' words", *Political
    Analysis* 16(4): 372-403, section 3.5).

    With ``y_w^i`` the count of feature w in the target group, ``n^i`` that group's total, the
    same with ``j`` for the reference, and a Dirichlet prior ``α_w`` with ``α_0 = Σ_w α_w``:

    ``δ_w = log[(y_w^i + α_w) / (n^i + α_0 − y_w^i − α_w)] − log[(y_w^j + α_w) / (n^j + α_0 − y_w^j − α_w)]``

    ``σ²(δ_w) ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w)``, and ``z_w = δ_w / σ(δ_w)``.

    Positive ``z`` marks features typical of the target group.

    Parameters
    ----------
    x : DFM
        Counts.
    target : str or list of str
        Values of docvar ``by`` forming the target group.
    reference : str or list of str, optional
        Values forming the reference group; default: every other document.
    by : str
        The docvar identifying groups (default ``doc_id``: ``target`` names documents).
    prior : "corpus", float, or Mapping / Series term -> background count
        ``"corpus"`` (default): the informative prior is the feature counts of the whole DFM (all
        its documents, not only the two groups). A Mapping or Series gives background counts from
        another corpus (features absent from it get none). A float is the uninformative prior of
        Monroe et al., the same ``α_w`` for every feature.
    alpha0 : float, optional
        Total prior weight ``α_0`` for an informative prior: the background shares are scaled to
        sum to it. Default: the background's own size (``α_w`` = background counts), the usual
        choice in applications of the method.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, delta, sd, z, count_target, count_reference, alpha``; sorted by ``z``
        descending, then term. ``attrs`` holds ``n_target`` and ``n_reference``.

    Raises
    ------
    InputError
        For unknown groups, overlapping groups, an empty group or a non-positive prior.

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "term": ["x", "y", "x", "y"],
    ...                                  "count": [10, 2, 2, 10]}))
    >>> k = textstat_keyness(d, "a", prior=1.0)
    >>> k[["term", "count_target", "count_reference"]].values.tolist()
    [['x', 10, 2], ['y', 2, 10]]
    >>> round(float(k["delta"].iloc[0]), 4)  # log(11/3) - log(3/11)
    2.5986
    """
    if not sp.issparse(x.matrix) or x.meta.get("weight", "count") != "count":
        raise InputError("keyness needs a DFM of counts (not weighted)", key="x")
    tmask = _select_rows(x, target, by, "target")
    rmask = ~tmask if reference is None else _select_rows(x, reference, by, "reference")
    if (tmask & rmask).any():
        both = x.docvars.loc[tmask & rmask, "doc_id"].tolist()[:5]
        raise InputError(f"documents {both} are in both groups", key="reference")
    if not tmask.any() or not rmask.any():
        raise InputError("each group needs at least one document", key="target" if not tmask.any() else "reference")
    m = x.matrix.tocsr()
    yi = np.asarray(m[tmask].sum(axis=0), dtype=float).ravel()
    yj = np.asarray(m[rmask].sum(axis=0), dtype=float).ravel()
    if isinstance(prior, str):
        if prior != "corpus":
            raise InputError(f"expected 'corpus', a number or background counts, got {prior!r}", key="prior")
        background = np.asarray(m.sum(axis=0), dtype=float).ravel()
    elif isinstance(prior, (int, float, np.number)) and not isinstance(prior, bool):
        if prior <= 0:
            raise InputError(f"the prior must be positive, got {prior}", key="prior")
        background = None
        alpha = np.full(len(yi), float(prior))
    else:
        bg = pd.Series(prior, dtype=float) if not isinstance(prior, pd.Series) else prior.astype(float)
        background = bg.reindex(list(x.features)).fillna(0.0).to_numpy()
        if (background < 0).any():
            raise InputError("background counts must be non-negative", key="prior")
    if background is not None:
        total = background.sum()
        if total <= 0:
            raise InputError("the background has no counts", key="prior")
        scale = 1.0 if alpha0 is None else float(alpha0) / total
        alpha = background * scale
    a0 = alpha.sum()
    ni, nj = yi.sum(), yj.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log(yi + alpha) - np.log(ni + a0 - yi - alpha)
                 - np.log(yj + alpha) + np.log(nj + a0 - yj - alpha))
        var = 1.0 / (yi + alpha) + 1.0 / (yj + alpha)
        sd = np.sqrt(var)
        z = delta / sd
    keep = (yi + yj > 0) & (alpha > 0)
    out = pd.DataFrame({"term": np.array(x.features, dtype=object)[keep], "delta": delta[keep], "sd": sd[keep],
                        "z": z[keep], "count_target": yi[keep].astype("int64"),
                        "count_reference": yj[keep].astype("int64"), "alpha": alpha[keep]})
    out = out.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs["n_target"] = int(ni)
    out.attrs["n_reference"] = int(nj)
    return out


def textstat_simil(x: DFM, method: str = "cosine") -> pd.DataFrame:
    """Similarity between documents (quanteda's ``textstat_simil``, margin = documents).

    Parameters
    ----------
    x : DFM
        Counts or weights (for instance :func:`~govlab.text.dfm.dfm_tfidf`).
    method : {"cosine", "jaccard", "correlation"}
        ``cosine``: ``x·y / (|x| |y|)``; ``jaccard``: shared features over features in either
        (presence only); ``correlation``: Pearson correlation of the rows.

    Returns
    -------
    pandas.DataFrame
        Square, indexed and labelled by doc_id; 1 on the diagonal (0 for an empty document).

    Examples
    --------
    >>> from govlab.text.dfm import dfm_from_frame
    >>> d = dfm_from_frame(pd.DataFrame({"doc_id": ["a", "b", "b"], "term": ["x", "x", "y"], "count": [1, 1, 1]}))
    >>> textstat_simil(d).round(4).values.tolist()
    [[1.0, 0.7071], [0.7071, 1.0]]
    """
    m = sp.csr_matrix(x.matrix, dtype=float)
    if method == "cosine":
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        mn = sp.diags(inv) @ m
        s = (mn @ mn.T).toarray()
        np.fill_diagonal(s, (norms > 0).astype(float))
    elif method == "jaccard":
        b = (m > 0).astype(float)
        inter = (b @ b.T).toarray()
        sizes = np.asarray(b.sum(axis=1)).ravel()
        union = sizes[:, None] + sizes[None, :] - inter
        s = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    elif method == "correlation":
        dense = m.toarray()
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.corrcoef(dense)
        s = np.nan_to_num(s, nan=0.0)
    else:
        raise InputError(f"expected 'cosine', 'jaccard' or 'correlation', got {method!r}", key="method")
    s = np.clip(s, -1.0, 1.0)
    idx = pd.Index(x.doc_ids, name="doc_id")
    return pd.DataFrame(s, index=idx, columns=pd.Index(x.doc_ids, name="doc_id2"))
