"""Document-feature matrices (quanteda's ``dfm``) on scipy.sparse, and a scikit-learn vectorizer.

A :class:`DFM` holds a CSR matrix (documents x features), the feature names and the docvars, so a
matrix still knows each document's locality and year after trimming, grouping or weighting.
:func:`count_terms` tokenises and counts in one pass (optionally on Dask) without keeping the
tokens; :class:`govlab.text.vectorizer.ChineseCountVectorizer` is the same counting as a
scikit-learn transformer.
"""
from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from govlab.errors import InputError
from govlab.text.lexicon import DEFAULT
from govlab.text.segment import DEFAULT_BACKEND
from govlab.text.tokens import TokenizerSpec, Tokens, _check_not_empty, _feature_matcher, _run_partitions, as_texts

__all__ = [
    "DFM",
    "dfm",
    "count_terms",
    "dfm_from_frame",
    "dfm_trim",
    "dfm_select",
    "dfm_content",
    "dfm_group",
    "dfm_weight",
    "dfm_tfidf",
]


@dataclass(frozen=True, eq=False)
class DFM:
    """A document-feature matrix with its docvars and provenance.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Documents x features (counts, or weights after :func:`dfm_weight` / :func:`dfm_tfidf`).
    features : tuple of str
        Feature names, one per column (sorted by code point when built by govlab).
    docvars : pandas.DataFrame
        One row per document (``doc_id`` first), aligned with the rows.
    meta : dict
        Provenance (segmenter, lexicon hash, weighting, history).

    Examples
    --------
    >>> from govlab.text.tokens import tokens
    >>> d = dfm(tokens({"a": "委员工作站，委员工作站", "b": "协商议事室"}))
    >>> d.features
    ('协商议事室', '委员工作站')
    >>> d.matrix.toarray().tolist()
    [[0, 2], [1, 0]]
    """

    matrix: sp.csr_matrix
    features: tuple
    docvars: pd.DataFrame
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        m = self.matrix
        if not sp.issparse(m):
            raise InputError("matrix must be a scipy.sparse matrix", key="matrix")
        if m.shape != (len(self.docvars), len(self.features)):
            raise InputError(f"matrix shape {m.shape} does not match {len(self.docvars)} documents x "
                             f"{len(self.features)} features", key="matrix")

    @property
    def doc_ids(self) -> tuple:
        return tuple(self.docvars["doc_id"].tolist())

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    @property
    def vocabulary(self) -> dict[str, int]:
        """feature -> column index (scikit-learn's ``vocabulary_``)."""
        return {f: i for i, f in enumerate(self.features)}

    def ndoc(self) -> int:
        return self.matrix.shape[0]

    def nfeat(self) -> int:
        return self.matrix.shape[1]

    def termfreq(self) -> pd.Series:
        """Total of each feature over all documents."""
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=pd.Index(self.features, name="term"),
                         name="termfreq")

    def docfreq(self) -> pd.Series:
        """Number of documents in which each feature occurs."""
        return pd.Series(np.diff(self.matrix.tocsc().indptr), index=pd.Index(self.features, name="term"),
                         name="docfreq")

    def topfeatures(self, n: int = 10) -> pd.Series:
        """The ``n`` most frequent features (ties broken by feature name)."""
        tf = self.termfreq()
        order = np.lexsort((np.array(self.features, dtype=object).astype(str), -tf.to_numpy()))
        return tf.iloc[order[:n]]

    def to_frame(self) -> pd.DataFrame:
        """Long table of the non-zero cells: ``doc_id, term, count`` in row, then feature order."""
        coo = self.matrix.tocsr().tocoo()
        order = np.lexsort((coo.col, coo.row))
        rows, cols, vals = coo.row[order], coo.col[order], coo.data[order]
        doc_ids = np.array(self.doc_ids, dtype=object)
        feats = np.array(self.features, dtype=object)
        count = vals.astype("int64") if np.issubdtype(vals.dtype, np.integer) else vals
        return pd.DataFrame({"doc_id": doc_ids[rows], "term": feats[cols], "count": count})

    def to_dense_frame(self) -> pd.DataFrame:
        """Dense DataFrame (documents x features); only for small matrices."""
        return pd.DataFrame(self.matrix.toarray(), index=pd.Index(self.doc_ids, name="doc_id"),
                            columns=pd.Index(self.features, name="term"))

    def _replace(self, **changes) -> DFM:
        return replace(self, **changes)

    def __repr__(self) -> str:
        nnz = self.matrix.nnz
        cells = max(1, self.shape[0] * self.shape[1])
        return (f"DFM({self.shape[0]} documents x {self.shape[1]:,} features, "
                f"{100 * (1 - nnz / cells):.1f}% sparse, {self.meta.get('weight', 'count')})")


def _history(meta: dict, entry: str) -> dict:
    out = dict(meta)
    out["history"] = list(meta.get("history", [])) + [entry]
    return out


def _build_csr(lengths: np.ndarray, indices: np.ndarray, data: np.ndarray, names: list[str]
               ) -> tuple[sp.csr_matrix, tuple]:
    """CSR from row lengths and the rows' concatenated (column id, count) pairs; columns re-ordered
    by sorted feature name. Column id -1 marks a removed token type (dropped); repeated ids in a
    row are summed. The result is in canonical form (sorted indices, no duplicates).
    """
    n = len(lengths)
    names_arr = np.array(names, dtype=object)
    order = np.argsort(names_arr.astype(str), kind="stable") if len(names) else np.array([], np.int64)
    new_id = np.full(len(names) + 1, -1, dtype=np.int64)  # the last slot keeps id -1 at -1
    new_id[order] = np.arange(len(order))
    mapped = new_id[np.asarray(indices, dtype=np.int64)]
    keep = mapped >= 0
    row_of = np.repeat(np.arange(n), lengths)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[keep], minlength=n), out=indptr[1:])
    m = sp.csr_matrix((np.asarray(data, dtype=np.int64)[keep], mapped[keep], indptr), shape=(n, len(order)))
    m.sum_duplicates()  # sorts the indices of each row and merges repeats
    return m, tuple(names_arr[order].tolist())


def _pairs(counters: list[Counter]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row lengths, chunk-local type codes, counts and the chunk's unique types for a list of Counters.

    The types are factorised by pandas' hash table in one call instead of one dictionary lookup per
    (document, type) pair in Python.
    """
    lengths = np.fromiter(map(len, counters), dtype=np.int64, count=len(counters))
    total = int(lengths.sum())
    keys = np.empty(total, dtype=object)
    keys[:] = list(itertools.chain.from_iterable(counters))
    codes, uniques = pd.factorize(keys) if total else (np.array([], np.int64), np.array([], object))
    vals = np.fromiter(itertools.chain.from_iterable(c.values() for c in counters), dtype=np.int64, count=total)
    return lengths, np.asarray(codes, dtype=np.int64), vals, uniques


def dfm(x: Tokens, *, tolower: bool = True) -> DFM:
    """Count tokens into a document-feature matrix.

    Parameters
    ----------
    x : Tokens
    tolower : bool
        Lower-case Latin letters before counting (quanteda's default), except in lexicon terms,
        which keep their spelling (4+X); Chinese is unaffected.

    Returns
    -------
    DFM
        Integer counts; features sorted by code point; docvars and provenance carried over.

    Examples
    --------
    >>> from govlab.text.tokens import tokens
    >>> d = dfm(tokens({"a": "NGO 与 ngo"}, stopwords=None))
    >>> d.features, d.matrix.toarray().tolist()
    (('ngo', '与'), [[2, 1]])
    """
    if not isinstance(x, Tokens):
        raise InputError(f"expected Tokens, got {type(x).__name__}", key="x")
    lex = frozenset(x.spec.lexicon.terms)
    counters = [Counter(t if t in lex else t.lower() for t in toks) if tolower else Counter(toks)
                for toks in x.tokens]
    lengths, codes, vals, uniques = _pairs(counters)
    m, feats = _build_csr(lengths, codes, vals, list(uniques))
    meta = {**x.meta, "weight": "count", "history": list(x.history) + [f"dfm(tolower={tolower})"]}
    return DFM(matrix=m, features=feats, docvars=x.docvars.copy(), meta=meta)


def _normaliser(spec: TokenizerSpec, tolower: bool):
    """``norm(token type)``: the term it counts as (lower-cased unless a lexicon term, when
    ``tolower``), or ``None`` when the removal rules drop it."""
    keeps, lex = spec.keeps, spec.lexicon

    def norm(t: str) -> str | None:
        if not keeps(t):
            return None
        return t.lower() if tolower and t not in lex else t

    return norm


@functools.lru_cache(maxsize=8)
def _norm_memo(spec: TokenizerSpec, tolower: bool) -> dict:
    """Per process and configuration: token type -> its normalised term (``None`` when removed), so
    that the rules run once per distinct type across calls. A pure memo of :func:`_normaliser`."""
    return {}


def _type_resolver(spec: TokenizerSpec, tolower: bool):
    """``id_of(token type) -> term id`` (-1 when the removal rules drop it), applying the rules and
    the lower-casing once per type; and the dict of terms (its order gives the ids)."""
    norm = _normaliser(spec, tolower)
    memo = _norm_memo(spec, tolower)
    missing = object()
    type_id: dict[str, int] = {}   # raw token type -> id of its normalised term, or -1 when removed
    term_id: dict[str, int] = {}   # normalised term -> id

    def id_of(t: str) -> int:
        got = type_id.get(t)
        if got is None:
            n = memo.get(t, missing)
            if n is missing:
                n = memo[t] = norm(t)
            got = -1 if n is None else term_id.setdefault(n, len(term_id))
            type_id[t] = got
        return got

    return id_of, term_id


def _count_docs(items: Sequence[tuple[str, str]], spec: TokenizerSpec, tolower: bool, allow_empty: bool,
                chunk_tokens: int = 200_000) -> list:
    """Count one partition of (doc_id, text) pairs.

    Returns a one-element list ``[(terms, doc_ids, lengths, ids, counts)]``: the partition's
    normalised terms (their position is their id), its doc_ids, and the concatenated per-document
    (term id, count) pairs with each document's number of pairs; id -1 marks removed tokens.

    Speed: each document's token list is counted by ``collections.Counter`` (C code); every chunk of
    documents (about ``chunk_tokens`` tokens) is then factorised at once (:func:`_pairs`), and the
    removal and lower-casing rules run once per new token *type*, never per token. Every step is
    linear in the number of documents and tokens.
    """
    cut = spec.segmenter().cut
    id_of, term_id = _type_resolver(spec, tolower)
    doc_ids, lens, ids, vals = [], [], [], []
    counters: list[Counter] = []
    pending = 0

    def flush():
        lengths, codes, counts, uniques = _pairs(counters)
        local = np.fromiter(map(id_of, uniques), dtype=np.int64, count=len(uniques))
        lens.append(lengths)
        ids.append(local[codes])
        vals.append(counts)
        counters.clear()

    for doc_id, text in items:
        if not allow_empty:
            _check_not_empty(doc_id, text)
        toks = cut(text)
        counters.append(Counter(toks))
        doc_ids.append(doc_id)
        pending += len(toks)
        if pending >= chunk_tokens:
            flush()
            pending = 0
    if counters or not lens:
        flush()
    return [(list(term_id), doc_ids, np.concatenate(lens), np.concatenate(ids), np.concatenate(vals))]


def count_terms(x: Any, docvars: pd.DataFrame | None = None, *, backend: str = DEFAULT_BACKEND, lexicon: Any = DEFAULT,
                stopwords: Any = DEFAULT, remove_punct: bool = True, remove_numbers: bool = False,
                hmm: bool = True, tolower: bool = True, allow_empty: bool = False, client: Any = None,
                npartitions: int | None = None) -> DFM:
    """Tokenise and count in one pass, without keeping the tokens: ``dfm(tokens(x, ...))`` for
    large corpora.

    The result is identical to ``dfm(tokens(x, ...), tolower=tolower)`` with the same arguments.
    With a ``dask.distributed.Client`` the documents are split into partitions of a ``dask.bag``
    and counted on the workers (each builds its segmenter once); the default runs in-process.
    Either way the result is the same.

    Parameters
    ----------
    x : Corpus-like, Mapping[str, str], Series or list of str
    docvars : pandas.DataFrame, optional
    backend, lexicon, stopwords, remove_punct, remove_numbers, hmm, allow_empty
        As in :func:`govlab.text.tokens.tokens` (default backend ``rjieba`` with the domain
        lexicon). Time grows linearly with the number of documents
        (``benchmarks/bench_scale.py``).
    tolower : bool
        As in :func:`dfm`.
    client : dask.distributed.Client, optional
    npartitions : int, optional
        Partitions when ``client`` is given (default: 4 per worker).

    Returns
    -------
    DFM

    Examples
    --------
    >>> d = count_terms({"a": "推行六步议事。六步议事好。"})
    >>> dict(zip(d.features, d.matrix.toarray()[0].tolist()))
    {'六步议事': 2, '好': 1, '推行': 1}
    """
    tx = as_texts(x, docvars)
    spec = TokenizerSpec.make(backend, lexicon, stopwords, remove_punct=remove_punct,
                              remove_numbers=remove_numbers, hmm=hmm)
    items = list(tx.texts.items())
    parts = _run_partitions(_count_docs, items, client, npartitions, spec=spec, tolower=tolower,
                            allow_empty=allow_empty)
    # Merge the partitions' vocabularies into one; -1 (removed) stays -1.
    vocab: dict[str, int] = {}
    all_lens, all_ids, all_vals = [], [], []
    for terms, _, lengths, ids, counts in parts:
        remap = np.array([vocab.setdefault(t, len(vocab)) for t in terms] + [-1], dtype=np.int64)
        all_lens.append(lengths)
        all_ids.append(remap[ids])
        all_vals.append(counts)
    m, feats = _build_csr(np.concatenate(all_lens), np.concatenate(all_ids), np.concatenate(all_vals), list(vocab))
    seg = spec.segmenter()
    meta = {"segmenter": seg.backend, "segmenter_version": seg.version, "lexicon_sha256": spec.lexicon.sha256,
            "stopwords_sha256": spec.stopwords.sha256, "weight": "count",
            "history": [f"count_terms({spec.describe()}, tolower={tolower})"]}
    return DFM(matrix=m, features=feats, docvars=tx.documents, meta=meta)


def dfm_from_frame(counts: pd.DataFrame, docvars: pd.DataFrame | None = None, *, doc_id: str = "doc_id",
                   term: str = "term", count: str = "count") -> DFM:
    """Build a DFM from a long counts table such as ``datasets/reports/term_counts.csv``.

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``doc_id, term, count`` (names configurable). Repeated (doc_id, term) rows are summed.
    docvars : pandas.DataFrame, optional
        With a ``doc_id`` column; documents are ordered as in ``docvars`` (those with no counts
        get an empty row); default: order of first appearance in ``counts``.

    Returns
    -------
    DFM

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["协商", "议事", "协商"], "count": [2, 1, 5]})
    >>> dfm_from_frame(df).matrix.toarray().tolist()
    [[2, 1], [5, 0]]
    """
    for col in (doc_id, term, count):
        if col not in counts.columns:
            raise InputError(f"missing column {col!r}; found {list(counts.columns)}", key="counts")
    cnt = pd.to_numeric(counts[count], errors="coerce")
    if cnt.isna().any():
        bad = int(np.flatnonzero(cnt.isna().to_numpy())[0])
        raise InputError(f"row {bad}: count {counts[count].iloc[bad]!r} is not a number", key=f"counts.{count}")
    ids = counts[doc_id].astype(str)
    if docvars is not None:
        dv = docvars.copy()
        if "doc_id" not in dv.columns:
            raise InputError(f"needs a 'doc_id' column; found {list(dv.columns)}", key="docvars")
        dv["doc_id"] = dv["doc_id"].astype(str)
        unknown = sorted(set(ids) - set(dv["doc_id"]))
        if unknown:
            raise InputError(f"documents {unknown[:5]} are in the counts but not in docvars", key="docvars.doc_id")
        order = dv["doc_id"].tolist()
        dv = dv[["doc_id"] + [c for c in dv.columns if c != "doc_id"]].reset_index(drop=True)
    else:
        order = list(dict.fromkeys(ids))
        dv = pd.DataFrame({"doc_id": pd.Series(order, dtype=object)})
    row_of = {d: i for i, d in enumerate(order)}
    terms = counts[term].astype(str)
    feats = sorted(set(terms))
    col_of = {f: j for j, f in enumerate(feats)}
    is_int = np.allclose(cnt.to_numpy(), np.round(cnt.to_numpy()))
    data = cnt.to_numpy().astype(np.int64 if is_int else float)
    m = sp.csr_matrix((data, (ids.map(row_of).to_numpy(), terms.map(col_of).to_numpy())),
                      shape=(len(order), len(feats)))
    m.sum_duplicates()
    m.sort_indices()
    return DFM(matrix=m, features=tuple(feats), docvars=dv, meta={"weight": "count", "history": ["dfm_from_frame"]})


def _threshold(values: np.ndarray, threshold: float | None, kind: str, name: str, lower: bool) -> np.ndarray:
    """Boolean mask of features passing ``threshold`` of the given ``kind``."""
    if threshold is None:
        return np.ones(len(values), dtype=bool)
    if kind == "count":
        return values >= threshold if lower else values <= threshold
    if kind == "prop":
        total = values.sum() if name == "termfreq" else None
        return (values / total >= threshold if lower else values / total <= threshold) if total else \
            np.zeros(len(values), bool)
    if kind == "rank":
        # rank 1 = most frequent; ties share the best rank
        ranks = pd.Series(-values).rank(method="min").to_numpy()
        return ranks <= threshold if lower else ranks >= threshold
    if kind == "quantile":
        q = np.quantile(values, threshold) if len(values) else 0
        return values >= q if lower else values <= q
    raise InputError(f"expected 'count', 'prop', 'rank' or 'quantile', got {kind!r}", key=f"{name}_type")


def dfm_trim(x: DFM, *, min_termfreq: float | None = None, max_termfreq: float | None = None,
             termfreq_type: str = "count", min_docfreq: float | None = None, max_docfreq: float | None = None,
             docfreq_type: str = "count") -> DFM:
    """Drop features by how often they occur (quanteda's ``dfm_trim``).

    Parameters
    ----------
    x : DFM
    min_termfreq, max_termfreq : number, optional
        Bounds on a feature's total frequency.
    termfreq_type : {"count", "prop", "rank", "quantile"}
        ``count``: raw totals; ``prop``: share of all tokens; ``rank``: keep the features ranked at
        most ``min_termfreq`` (1 = most frequent; ``max_termfreq`` drops the top ranks);
        ``quantile``: thresholds are quantiles of the totals.
    min_docfreq, max_docfreq : number, optional
        Bounds on the number (or, with ``docfreq_type="prop"``, share) of documents containing it.
    docfreq_type : {"count", "prop", "rank", "quantile"}

    Returns
    -------
    DFM

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "x"], "count": [3, 1, 1]})
    >>> dfm_trim(dfm_from_frame(df), min_docfreq=2).features
    ('x',)
    """
    tf = np.asarray(x.matrix.sum(axis=0)).ravel()
    df = np.diff(x.matrix.tocsc().indptr).astype(float)
    keep = np.ones(x.nfeat(), dtype=bool)
    if termfreq_type == "rank":
        keep &= _threshold(tf, min_termfreq, "rank", "termfreq", True)
        if max_termfreq is not None:
            keep &= _threshold(tf, max_termfreq, "rank", "termfreq", False)
    else:
        keep &= _threshold(tf, min_termfreq, termfreq_type, "termfreq", True)
        keep &= _threshold(tf, max_termfreq, termfreq_type, "termfreq", False)
    if docfreq_type == "prop":
        n = max(1, x.ndoc())
        keep &= _threshold(df / n, min_docfreq, "count", "docfreq", True)
        keep &= _threshold(df / n, max_docfreq, "count", "docfreq", False)
    elif docfreq_type == "rank":
        keep &= _threshold(df, min_docfreq, "rank", "docfreq", True)
        if max_docfreq is not None:
            keep &= _threshold(df, max_docfreq, "rank", "docfreq", False)
    else:
        keep &= _threshold(df, min_docfreq, docfreq_type, "docfreq", True)
        keep &= _threshold(df, max_docfreq, docfreq_type, "docfreq", False)
    cols = np.flatnonzero(keep)
    return DFM(matrix=x.matrix[:, cols].tocsr(), features=tuple(x.features[j] for j in cols),
               docvars=x.docvars, meta=_history(x.meta, f"dfm_trim(min_termfreq={min_termfreq}, "
                                                      f"max_termfreq={max_termfreq}, min_docfreq={min_docfreq}, "
                                                      f"max_docfreq={max_docfreq})"))


def dfm_select(x: DFM, features: Iterable[str] | None = None, *, selection: str = "keep",
               min_nchar: int | None = None, max_nchar: int | None = None) -> DFM:
    """Keep or remove features by name (glob patterns allowed) or length.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "a"], "term": ["委员工作站", "站"], "count": [1, 1]})
    >>> dfm_select(dfm_from_frame(df), min_nchar=2).features
    ('委员工作站',)
    """
    if selection not in ("keep", "remove"):
        raise InputError(f"expected 'keep' or 'remove', got {selection!r}", key="selection")
    match = _feature_matcher(features) if features is not None else None
    keep = []
    for j, f in enumerate(x.features):
        if min_nchar is not None and len(f) < min_nchar:
            continue
        if max_nchar is not None and len(f) > max_nchar:
            continue
        if match is not None and match(f) != (selection == "keep"):
            continue
        keep.append(j)
    return DFM(matrix=x.matrix[:, keep].tocsr(), features=tuple(x.features[j] for j in keep), docvars=x.docvars,
               meta=_history(x.meta, f"dfm_select(selection={selection}, min_nchar={min_nchar})"))


#: Glob patterns of terms that are not content words: anything with a digit, and the masks that
#: anonymised reports put for names (``xx``, ``××``).
NON_CONTENT = ("*[0-9]*", "*x*", "*×*")


def dfm_content(x: DFM, *, min_nchar: int = 2) -> DFM:
    """Content terms only: words of at least ``min_nchar`` characters (as quanteda's tutorial for
    Chinese does), without numbers or masks (:data:`NON_CONTENT`).

    The one selection behind the term frequencies, similarities and topics that notebooks 02 and
    04 publish (:mod:`govlab.compare.similarity` applies it).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"] * 4, "term": ["委员工作站", "站", "42个", "xx县"], "count": [1, 1, 1, 1]})
    >>> dfm_content(dfm_from_frame(df)).features
    ('委员工作站',)
    """
    return dfm_select(dfm_select(x, min_nchar=min_nchar), list(NON_CONTENT), selection="remove")


def dfm_group(x: DFM, by: str | Sequence = "locality") -> DFM:
    """Sum the rows of documents that share a value of ``by`` (quanteda's ``dfm_group``).

    Parameters
    ----------
    x : DFM
    by : str or sequence
        A docvars column name, or one label per document.

    Returns
    -------
    DFM
        One row per group, groups in sorted order; ``doc_id`` is the group label, docvars that are
        constant within every group are kept, and ``n_documents`` counts the group's documents.

    Raises
    ------
    InputError
        For an unknown column or a label list of the wrong length, or missing labels.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b", "c"], "term": ["x", "x", "x"], "count": [1, 2, 4]})
    >>> dv = pd.DataFrame({"doc_id": ["a", "b", "c"], "locality": ["南通市", "南通市", "上犹县"]})
    >>> g = dfm_group(dfm_from_frame(df, dv))
    >>> g.doc_ids, g.matrix.toarray().ravel().tolist()
    (('上犹县', '南通市'), [4, 3])
    """
    if isinstance(by, str):
        if by not in x.docvars.columns:
            raise InputError(f"no docvar {by!r}; docvars are {list(x.docvars.columns)}", key="by")
        labels = x.docvars[by]
        name = by
    else:
        labels = pd.Series(list(by))
        name = "group"
        if len(labels) != x.ndoc():
            raise InputError(f"got {len(labels)} labels for {x.ndoc()} documents", key="by")
    if labels.isna().any():
        missing = x.docvars.loc[labels.isna().to_numpy(), "doc_id"].tolist()[:5]
        raise InputError(f"documents {missing} have no {name!r} value", key="by")
    labels = labels.astype(str).to_numpy()
    groups, codes = np.unique(labels, return_inverse=True)
    indicator = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))),
                              shape=(len(groups), len(codes)))
    m = (indicator @ x.matrix).tocsr()
    dv = x.docvars.reset_index(drop=True)
    constant = [c for c in dv.columns if c != "doc_id"
                and (dv.groupby(codes)[c].nunique(dropna=False) == 1).all()]
    rows = []
    for g in range(len(groups)):
        sub = dv.loc[codes == g]
        row = {"doc_id": groups[g]}
        row.update({c: sub[c].iloc[0] for c in constant})
        row["n_documents"] = len(sub)
        rows.append(row)
    new_dv = pd.DataFrame(rows)
    return DFM(matrix=m, features=x.features, docvars=new_dv, meta=_history(x.meta, f"dfm_group(by={name})"))


def dfm_weight(x: DFM, scheme: str = "prop") -> DFM:
    """Weight the counts: ``prop`` (share of the document's tokens), ``boolean`` (0/1) or
    ``logcount`` (1 + log10 of the count, 0 stays 0)."""
    m = x.matrix.astype(float).tocsr(copy=True)
    if scheme == "prop":
        sums = np.asarray(m.sum(axis=1)).ravel()
        m = sp.diags(np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)) @ m
    elif scheme == "boolean":
        m.data = (m.data > 0).astype(float)
    elif scheme == "logcount":
        m.data = 1.0 + np.log10(m.data)
    else:
        raise InputError(f"expected 'prop', 'boolean' or 'logcount', got {scheme!r}", key="scheme")
    return DFM(matrix=sp.csr_matrix(m), features=x.features, docvars=x.docvars,
               meta={**_history(x.meta, f"dfm_weight({scheme})"), "weight": scheme})


def dfm_tfidf(x: DFM, *, scheme_tf: str = "count", base: float = 10.0, smoothing: float = 0.0) -> DFM:
    """TF-IDF weights as in quanteda's ``dfm_tfidf``: ``tf * log_base(N / (df + smoothing))``.

    Parameters
    ----------
    x : DFM
        Counts.
    scheme_tf : {"count", "prop", "logcount"}
        The term-frequency part.
    base : float
        Logarithm base of the inverse document frequency (quanteda's default 10).
    smoothing : float
        Added to the document frequency.

    Returns
    -------
    DFM

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "x"], "count": [3, 2, 1]})
    >>> dfm_tfidf(dfm_from_frame(df)).matrix.toarray().round(3).tolist()
    [[0.0, 0.602], [0.0, 0.0]]
    """
    tf = x if scheme_tf == "count" else dfm_weight(x, scheme_tf)
    m = tf.matrix.astype(float)
    n = x.ndoc()
    docfreq = np.diff(x.matrix.tocsc().indptr).astype(float) + smoothing
    idf = np.log(np.divide(n, docfreq, out=np.ones_like(docfreq), where=docfreq > 0)) / np.log(base)
    m = sp.csr_matrix(m @ sp.diags(idf))
    return DFM(matrix=m, features=x.features, docvars=x.docvars,
               meta={**_history(x.meta, f"dfm_tfidf(scheme_tf={scheme_tf}, base={base})"), "weight": "tfidf"})
