"""Tokens: segmented documents with their document variables and provenance (quanteda's ``tokens``).

``tokens(corpus)`` segments each document with a lexicon-aware segmenter
(:mod:`govlab.text.segment`), removes separators, punctuation, stopwords and optionally numbers,
and returns a :class:`Tokens` object that carries the docvars and records the segmenter, its
version and the sha256 of the lexicon and stopword lists. Verbs named ``tokens_*`` take and return
Tokens. :func:`kwic` works on the raw texts.
"""
from __future__ import annotations

import fnmatch
import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from govlab.errors import InputError
from govlab.text.lexicon import DEFAULT, Lexicon, as_lexicon, as_stopwords
from govlab.text.segment import DEFAULT_BACKEND, LEXICON_FREQ, Segmenter, get_segmenter

__all__ = [
    "TokenizerSpec",
    "Tokens",
    "Texts",
    "tokens",
    "tokens_select",
    "tokens_compound",
    "tokens_lookup",
    "dictionary_tokenize",
    "kwic",
    "corpus_reshape",
    "as_texts",
]

# A token made only of separators, punctuation and symbols (Chinese characters, letters and digits
# are word characters).
_PUNCT = re.compile(r"[\W_]+")
# A number: ASCII or full-width digits with decimal points or thousands separators and an optional
# percent sign, or a run of Chinese numeral characters.
_NUMBER = re.compile(r"[+\-−]?(?:[0-9０-９]+(?:[.,．，][0-9０-９]+)*[%％]?|[零〇一二三四五六七八九十百千万亿两]+)")


@dataclass(frozen=True)
class TokenizerSpec:
    """Everything that decides how a text becomes tokens; hashable and picklable.

    Build it through :func:`tokens` or :meth:`TokenizerSpec.make`; Tokens objects keep it so that
    dictionary entries and patterns are segmented exactly like the text.

    Attributes
    ----------
    backend : {"rjieba", "jieba"}
    lexicon : Lexicon
        Domain terms loaded as a user dictionary (kept as single tokens).
    stopwords : Lexicon
        Tokens removed after segmentation.
    remove_punct : bool
        Remove tokens made only of punctuation and symbols.
    remove_numbers : bool
        Remove number tokens (digits, decimals, percentages, runs of Chinese numerals); lexicon
        terms such as 十四五 are never removed as numbers.
    hmm : bool
        jieba's HMM for unknown words.
    freq : int
        Frequency of lexicon terms new to the dictionary.
    """

    backend: str = DEFAULT_BACKEND
    lexicon: Lexicon = field(default_factory=lambda: Lexicon.from_terms((), source="none"))
    stopwords: Lexicon = field(default_factory=lambda: Lexicon.from_terms((), source="none"))
    remove_punct: bool = True
    remove_numbers: bool = False
    hmm: bool = True
    freq: int = LEXICON_FREQ

    @classmethod
    def make(cls, backend: str = DEFAULT_BACKEND, lexicon: Any = DEFAULT, stopwords: Any = DEFAULT, *,
             remove_punct: bool = True, remove_numbers: bool = False, hmm: bool = True,
             freq: int = LEXICON_FREQ) -> TokenizerSpec:
        """Build a spec from user arguments (``"default"`` = the shipped lists, ``None`` = none)."""
        for name, value in (("remove_punct", remove_punct), ("remove_numbers", remove_numbers), ("hmm", hmm)):
            if not isinstance(value, (bool, np.bool_)):
                raise InputError(f"expected True or False, got {value!r}", key=name)
        spec = cls(backend=backend, lexicon=as_lexicon(lexicon), stopwords=as_stopwords(stopwords),
                   remove_punct=bool(remove_punct), remove_numbers=bool(remove_numbers), hmm=bool(hmm),
                   freq=freq)
        spec.segmenter()  # validates the backend and frequency early
        return spec

    def segmenter(self) -> Segmenter:
        """The (cached) segmenter for this spec."""
        return get_segmenter(self.backend, self.lexicon, hmm=self.hmm, freq=self.freq)

    def keeps(self, token: str) -> bool:
        """Whether ``token`` survives the removal rules (separators are always removed)."""
        if not token or token.isspace():
            return False
        if token in self.stopwords:
            return False
        if token in self.lexicon:
            return True
        if self.remove_punct and _PUNCT.fullmatch(token):
            return False
        if self.remove_numbers and _NUMBER.fullmatch(token):
            return False
        return True

    def describe(self) -> str:
        return (f"backend={self.backend}, lexicon={len(self.lexicon)} terms, "
                f"stopwords={len(self.stopwords)}, remove_punct={self.remove_punct}, "
                f"remove_numbers={self.remove_numbers}")


@dataclass(frozen=True)
class Texts:
    """A minimal corpus: ``texts`` (doc_id -> text) and ``documents`` (docvars with ``doc_id``).

    Any object with these two attributes (such as :class:`govlab.corpus.Corpus`) can be passed
    where govlab.text expects a corpus.
    """

    texts: Mapping[str, str]
    documents: pd.DataFrame

    def __len__(self) -> int:
        return len(self.texts)

    def __repr__(self) -> str:
        return f"Texts({len(self.texts)} documents, {sum(map(len, self.texts.values())):,} characters)"


def as_texts(x: Any, docvars: pd.DataFrame | None = None) -> Texts:
    """Normalise the inputs govlab.text accepts into :class:`Texts`.

    Parameters
    ----------
    x : Corpus-like, Mapping, pandas.Series or sequence of str
        An object with ``.texts`` and ``.documents`` (a Corpus); a Mapping doc_id -> text; a Series
        indexed by doc_id; or a list of texts (named ``text1``, ``text2``, … as in quanteda).
    docvars : pandas.DataFrame, optional
        Document variables with a ``doc_id`` column (or a ``doc_id`` index). Overrides the
        corpus' own documents table. Rows are matched to texts by doc_id; documents without a row
        raise :class:`InputError`.

    Returns
    -------
    Texts
    """
    own_docvars = None
    if hasattr(x, "texts") and hasattr(x, "documents"):
        texts_in = x.texts
        own_docvars = x.documents
    elif isinstance(x, pd.Series):
        texts_in = {str(k): v for k, v in x.items()}
    elif isinstance(x, Mapping):
        texts_in = x
    elif isinstance(x, str):
        raise InputError("expected several documents (a Mapping doc_id -> text, a Series or a list), "
                         "got a single string", key="texts")
    elif isinstance(x, Iterable):
        texts_in = {f"text{i + 1}": t for i, t in enumerate(x)}
    else:
        raise InputError(f"expected a corpus, a Mapping doc_id -> text or a list of texts, got "
                         f"{type(x).__name__}", key="texts")
    texts: dict[str, str] = {}
    for doc_id, text in texts_in.items():
        if not isinstance(text, str):
            raise InputError(f"text is {type(text).__name__}, expected str", key=f"document {doc_id!r}")
        texts[str(doc_id)] = text
    dv = docvars if docvars is not None else own_docvars
    return Texts(texts=texts, documents=_align_docvars(dv, list(texts)))


def _align_docvars(docvars: pd.DataFrame | None, doc_ids: list[str]) -> pd.DataFrame:
    if docvars is None:
        return pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object)})
    if not isinstance(docvars, pd.DataFrame):
        raise InputError(f"expected a DataFrame, got {type(docvars).__name__}", key="docvars")
    dv = docvars
    if "doc_id" not in dv.columns:
        if dv.index.name == "doc_id":
            dv = dv.reset_index()
        else:
            raise InputError(f"needs a 'doc_id' column; found {list(dv.columns)}", key="docvars")
    dv = dv.copy()
    dv["doc_id"] = dv["doc_id"].astype(str)
    if dv["doc_id"].duplicated().any():
        dup = dv.loc[dv["doc_id"].duplicated(), "doc_id"].tolist()[:5]
        raise InputError(f"duplicate doc_id values {dup}", key="docvars.doc_id")
    known = set(dv["doc_id"])  # built once: the check stays linear in the number of documents
    missing = [d for d in doc_ids if d not in known]
    if missing:
        raise InputError(f"no row for documents {missing[:5]}{' …' if len(missing) > 5 else ''}",
                         key="docvars.doc_id")
    dv = dv.set_index("doc_id", drop=False).loc[doc_ids].reset_index(drop=True)
    cols = ["doc_id"] + [c for c in dv.columns if c != "doc_id"]
    return dv[cols]


@dataclass(frozen=True, eq=False)
class Tokens:
    """Segmented documents, their document variables and how they were made.

    Attributes
    ----------
    doc_ids : tuple of str
    tokens : tuple of tuple of str
        The tokens of each document, in order, after removals.
    starts : tuple of numpy.ndarray or None
        Character offset of each token in its document's text (``end = start + len(token)``), or
        ``None`` when built with ``offsets=False``.
    docvars : pandas.DataFrame
        One row per document, ``doc_id`` first.
    spec : TokenizerSpec
        How the text was segmented; reused to segment dictionary entries and patterns.
    segmenter, segmenter_version : str
        Backend name and its package version.
    lexicon_sha256, stopwords_sha256 : str
        sha256 of the lexicon and stopword lists (see :class:`~govlab.text.lexicon.Lexicon`).
    history : tuple of str
        The calls that produced this object, oldest first.
    """

    doc_ids: tuple
    tokens: tuple
    starts: tuple | None
    docvars: pd.DataFrame
    spec: TokenizerSpec
    segmenter: str
    segmenter_version: str
    lexicon_sha256: str
    stopwords_sha256: str
    history: tuple = ()

    def __len__(self) -> int:
        return len(self.doc_ids)

    def __getitem__(self, doc_id: str) -> tuple:
        try:
            return self.tokens[self.doc_ids.index(doc_id)]
        except ValueError:
            raise KeyError(doc_id) from None

    def items(self):
        """Pairs (doc_id, tokens)."""
        return zip(self.doc_ids, self.tokens)

    def ntoken(self) -> pd.Series:
        """Number of tokens per document."""
        return pd.Series([len(t) for t in self.tokens], index=pd.Index(self.doc_ids, name="doc_id"),
                         name="ntoken", dtype="int64")

    def ntype(self) -> pd.Series:
        """Number of distinct tokens per document."""
        return pd.Series([len(set(t)) for t in self.tokens], index=pd.Index(self.doc_ids, name="doc_id"),
                         name="ntype", dtype="int64")

    @property
    def meta(self) -> dict:
        """Provenance as a plain dict."""
        return {"segmenter": self.segmenter, "segmenter_version": self.segmenter_version,
                "lexicon_sha256": self.lexicon_sha256, "stopwords_sha256": self.stopwords_sha256,
                "history": list(self.history)}

    def to_frame(self) -> pd.DataFrame:
        """One row per token: ``doc_id, position, token, start, end`` (offsets only when kept)."""
        doc = np.repeat(np.array(self.doc_ids, dtype=object), [len(t) for t in self.tokens])
        toks = list(itertools.chain.from_iterable(self.tokens))
        pos = np.concatenate([np.arange(len(t)) for t in self.tokens]) if self.tokens else np.array([], int)
        df = pd.DataFrame({"doc_id": doc, "position": pos.astype("int64"), "token": toks})
        if self.starts is not None:
            st = np.concatenate(self.starts) if self.starts else np.array([], dtype=np.int64)
            df["start"] = st.astype("int64")
            df["end"] = df["start"] + df["token"].str.len()
        return df

    def _replace(self, **changes) -> Tokens:
        from dataclasses import replace

        return replace(self, **changes)

    def __repr__(self) -> str:
        n = sum(len(t) for t in self.tokens)
        return (f"Tokens({len(self.doc_ids)} documents, {n:,} tokens; segmenter {self.segmenter} "
                f"{self.segmenter_version}; lexicon sha256 {self.lexicon_sha256[:12]})")


# --------------------------------------------------------------------------------------------------
# tokenisation


@functools.lru_cache(maxsize=8)
def _keeps_memo(spec: TokenizerSpec) -> dict[str, bool]:
    """Per process and tokenizer: token type -> ``spec.keeps(type)``, so that the removal rules run
    once per distinct type across calls. A pure memo: the answer depends only on the spec."""
    return {}


def _tokenize_docs(items: Sequence[tuple[str, str]], spec: TokenizerSpec, offsets: bool,
                   allow_empty: bool) -> list[tuple[str, tuple, np.ndarray | None]]:
    """Tokenise (doc_id, text) pairs; runs in-process or inside a Dask partition."""
    cut = spec.segmenter().cut
    cache = _keeps_memo(spec)
    keeps = spec.keeps
    out = []
    for doc_id, text in items:
        if not allow_empty:
            _check_not_empty(doc_id, text)
        toks = cut(text)
        flags = list(map(cache.get, toks))  # C-level look-ups; new types are rare once warm
        if None in flags:
            for i, f in enumerate(flags):
                if f is None:
                    t = toks[i]
                    flags[i] = cache[t] = keeps(t)
        kept = tuple(itertools.compress(toks, flags))
        starts = None
        if offsets:
            lengths = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
            all_starts = np.cumsum(lengths) - lengths
            starts = all_starts[np.fromiter(flags, dtype=bool, count=len(flags))]
            starts.setflags(write=False)
        out.append((doc_id, kept, starts))
    return out


def _check_not_empty(doc_id: str, text: str) -> None:
    """Raise :class:`InputError` naming ``doc_id`` when ``text`` has no character but whitespace."""
    if not text or text.isspace():
        raise InputError("document is empty (no characters but whitespace)", key=f"document {doc_id!r}")


def _partition_items(items: list, npartitions: int) -> list[list]:
    size = max(1, -(-len(items) // max(1, npartitions)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _run_partitions(func, items: list, client, npartitions: int | None, **kwargs) -> list:
    """Apply ``func(partition, **kwargs)`` to partitions of ``items``, in-process or on Dask.

    With a ``dask.distributed.Client`` the items are cut into ``npartitions`` contiguous partitions,
    scattered to the workers (so the task graph stays small) and mapped as a ``dask.bag``; results
    come back in input order, so both paths return identical results.
    """
    if client is None:
        return func(items, **kwargs)
    import dask.bag as db

    if npartitions is None:
        try:
            nworkers = len(client.scheduler_info()["workers"])
        except Exception:  # pragma: no cover - defensive
            nworkers = 1
        npartitions = 4 * max(1, nworkers)
    if not isinstance(npartitions, (int, np.integer)) or npartitions < 1:
        raise InputError(f"expected a positive integer, got {npartitions!r}", key="npartitions")
    if not items:
        return func(items, **kwargs)
    parts = _partition_items(items, int(npartitions))
    scattered = client.scatter(parts)  # keep a reference until the result is in
    bag = db.from_delayed(scattered)
    result = client.compute(bag.map_partitions(func, **kwargs)).result()
    del scattered
    return result


def tokens(x: Any, docvars: pd.DataFrame | None = None, *, backend: str = DEFAULT_BACKEND,
           lexicon: Any = DEFAULT, stopwords: Any = DEFAULT, remove_punct: bool = True,
           remove_numbers: bool = False, offsets: bool = True, hmm: bool = True,
           allow_empty: bool = False, client: Any = None, npartitions: int | None = None) -> Tokens:
    """Segment documents into tokens (quanteda's ``tokens()`` for Chinese).

    Parameters
    ----------
    x : Corpus-like, Mapping[str, str], pandas.Series or list of str
        The documents (see :func:`as_texts`).
    docvars : pandas.DataFrame, optional
        Document variables with a ``doc_id`` column; default: the corpus' ``documents`` table, or
        just ``doc_id``.
    backend : {"rjieba", "jieba"}
        Segmenter: rjieba (the default: jieba-rs, maintained and compiled) or jieba (the
        pure-Python reference). Both give the same tokens in Chinese text; jieba-rs differs from
        jieba on some runs of digits, letters and hyphens.
    lexicon : "default", None, path, Lexicon or iterable of str
        Domain terms kept as single tokens; default: ``datasets/lexicon/domain_terms.csv``.
    stopwords : "default", None, path, Lexicon or iterable of str
        Tokens to remove; default: ``datasets/lexicon/stopwords.txt``.
    remove_punct, remove_numbers : bool
        Remove punctuation/symbol tokens; remove number tokens. Separators (whitespace) are always
        removed.
    offsets : bool
        Keep each token's character offset into its text (needed by :func:`tokens_lookup` to tell
        adjacent tokens from tokens that had a removed token between them).
    hmm : bool
        jieba's HMM for unknown words (default, as in jieba).
    allow_empty : bool
        Accept empty documents (zero tokens) instead of raising.
    client : dask.distributed.Client, optional
        Run partitions of documents on this cluster (``dask.bag``); default: in-process. The result
        is identical either way.
    npartitions : int, optional
        Number of partitions when ``client`` is given (default: 4 per worker).

    Returns
    -------
    Tokens

    Raises
    ------
    InputError
        For a text that is not a string or is empty (naming the document), an unknown backend, or
        docvars without a row for some document.

    See Also
    --------
    govlab.text.dfm.dfm, govlab.text.dfm.count_terms

    Examples
    --------
    >>> toks = tokens({"d1": "县政协推行六步议事，建成委员工作站。"})
    >>> toks["d1"]
    ('县政协', '推行', '六步议事', '建成', '委员工作站')
    >>> toks.segmenter
    'rjieba'
    """
    tx = as_texts(x, docvars)
    spec = TokenizerSpec.make(backend, lexicon, stopwords, remove_punct=remove_punct,
                              remove_numbers=remove_numbers, hmm=hmm)
    items = list(tx.texts.items())
    results = _run_partitions(_tokenize_docs, items, client, npartitions, spec=spec, offsets=offsets,
                              allow_empty=allow_empty)
    seg = spec.segmenter()
    return Tokens(
        doc_ids=tuple(r[0] for r in results),
        tokens=tuple(r[1] for r in results),
        starts=tuple(r[2] for r in results) if offsets else None,
        docvars=tx.documents,
        spec=spec,
        segmenter=seg.backend,
        segmenter_version=seg.version,
        lexicon_sha256=spec.lexicon.sha256,
        stopwords_sha256=spec.stopwords.sha256,
        history=(f"tokens({spec.describe()}, offsets={offsets})",),
    )


def tokens_select(x: Tokens, features: Iterable[str] | None = None, *, selection: str = "keep",
                  min_nchar: int | None = None, max_nchar: int | None = None) -> Tokens:
    """Keep or remove tokens by value (glob patterns allowed) and by length in characters.

    Parameters
    ----------
    x : Tokens
    features : iterable of str, optional
        Token values or glob patterns (``委员*``); ``None`` selects every token (use with
        ``min_nchar`` / ``max_nchar``).
    selection : {"keep", "remove"}
    min_nchar, max_nchar : int, optional
        Keep only tokens with at least / at most this many characters (as quanteda's tutorial for
        Chinese does with ``min_nchar=2``).

    Returns
    -------
    Tokens

    Examples
    --------
    >>> toks = tokens({"d": "县政协推行六步议事"}, stopwords=None)
    >>> tokens_select(toks, ["推行"], selection="remove")["d"]
    ('县政协', '六步议事')
    """
    if selection not in ("keep", "remove"):
        raise InputError(f"expected 'keep' or 'remove', got {selection!r}", key="selection")
    matcher = _feature_matcher(features) if features is not None else None

    def chosen(t: str) -> bool:
        if min_nchar is not None and len(t) < min_nchar:
            return False
        if max_nchar is not None and len(t) > max_nchar:
            return False
        if matcher is None:
            return True
        hit = matcher(t)
        return hit if selection == "keep" else not hit

    new_toks, new_starts = [], []
    for i, toks in enumerate(x.tokens):
        flags = [chosen(t) for t in toks]
        new_toks.append(tuple(itertools.compress(toks, flags)))
        if x.starts is not None:
            s = x.starts[i][np.array(flags, dtype=bool)] if len(flags) else x.starts[i]
            new_starts.append(s)
    return x._replace(tokens=tuple(new_toks), starts=tuple(new_starts) if x.starts is not None else None,
                      history=x.history + (f"tokens_select(selection={selection}, min_nchar={min_nchar}, "
                                           f"max_nchar={max_nchar})",))


def _feature_matcher(features: Iterable[str]):
    if isinstance(features, str):
        features = [features]
    exact, globs = set(), []
    for f in features:
        if not isinstance(f, str):
            raise InputError(f"feature {f!r} is not a string", key="features")
        if any(c in f for c in "*?["):
            globs.append(re.compile(fnmatch.translate(f)))
        else:
            exact.add(f)

    def match(t: str) -> bool:
        return t in exact or any(g.match(t) for g in globs)

    return match


# --------------------------------------------------------------------------------------------------
# dictionaries and multiword expressions


def dictionary_tokenize(dictionary: Mapping[str, Any], spec: TokenizerSpec | Tokens) -> dict[str, list[tuple]]:
    """Segment every dictionary entry with the same tokenizer as the text (quanteda issue 2476).

    A dictionary entry such as 社情民意信息 may be one token or several, depending on the segmenter
    and its lexicon; looking it up as one string would then miss it silently, and a short entry such
    as 印度 would wrongly match inside 印度尼西亚 if matched on characters. Segmenting the entries
    with the text's own tokenizer gives each entry as the token sequence the text would contain.

    Parameters
    ----------
    dictionary : Mapping[str, str or iterable of str]
        key -> entries. Entries containing ``*`` or ``?`` are glob patterns over single tokens and
        are left as they are.
    spec : TokenizerSpec or Tokens
        The tokenizer (a Tokens object's own ``spec`` is used).

    Returns
    -------
    dict
        key -> list of token tuples (a glob entry gives a 1-tuple holding the pattern).

    Raises
    ------
    InputError
        Naming the key and entry when a key or entry is not a non-empty string, or when an entry
        segments to nothing (all its tokens are stopwords or punctuation), so it could never match.

    Examples
    --------
    >>> spec = TokenizerSpec.make("rjieba")
    >>> dictionary_tokenize({"platform": ["委员工作站", "网上议事平台"]}, spec)["platform"]
    [('委员工作站',), ('网上', '议事', '平台')]
    """
    if isinstance(spec, Tokens):
        spec = spec.spec
    if not isinstance(dictionary, Mapping):
        raise InputError(f"expected a Mapping key -> entries, got {type(dictionary).__name__}", key="dictionary")
    cut = spec.segmenter().cut
    out: dict[str, list[tuple]] = {}
    for key, entries in dictionary.items():
        if not isinstance(key, str) or not key:
            raise InputError(f"dictionary key {key!r} is not a non-empty string", key="dictionary")
        if isinstance(entries, str):
            entries = [entries]
        try:
            entries = list(entries)
        except TypeError:
            raise InputError(f"entries must be a string or a list of strings, got {type(entries).__name__}",
                             key=f"dictionary.{key}") from None
        if not entries:
            raise InputError("has no entries", key=f"dictionary.{key}")
        seqs = []
        for entry in entries:
            if not isinstance(entry, str) or not entry.strip():
                raise InputError(f"entry {entry!r} is not a non-empty string", key=f"dictionary.{key}")
            entry = entry.strip()
            if any(c in entry for c in "*?"):
                seqs.append((entry,))
                continue
            seq = tuple(t for t in cut(entry) if spec.keeps(t))
            if not seq:
                raise InputError(f"entry {entry!r} segments to no token that survives the removal rules "
                                 "(stopwords/punctuation), so it could never match", key=f"dictionary.{key}")
            seqs.append(seq)
        out[key] = seqs
    return out


def _doc_positions(x: Tokens, i: int) -> tuple[np.ndarray, np.ndarray]:
    toks = x.tokens[i]
    lengths = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
    if x.starts is not None:
        starts = np.asarray(x.starts[i], dtype=np.int64)
    else:  # no offsets: adjacency in the token list stands for contiguity
        starts = np.cumsum(lengths) - lengths
    return starts, starts + lengths


def _find_matches(toks: tuple, starts: np.ndarray, ends: np.ndarray, seqs: list[tuple],
                  surfaces: list[str]) -> set[tuple[int, int]]:
    """Token ranges [i, j) matching any entry.

    Two rules, united: (1) the token sequence equals the entry's segmentation (tokens removed in
    between, such as stopwords, are skipped, as in quanteda); (2) contiguous tokens whose
    concatenation equals the entry's surface string, wherever the text has token boundaries at
    both ends of the entry (catches an entry that the segmenter splits differently in context).
    """
    found: set[tuple[int, int]] = set()
    n = len(toks)
    if n == 0:
        return found
    index: dict[str, list[int]] = {}
    for p, t in enumerate(toks):
        index.setdefault(t, []).append(p)
    for seq in seqs:
        if len(seq) == 1 and any(c in seq[0] for c in "*?"):
            rx = re.compile(fnmatch.translate(seq[0]))
            found.update((p, p + 1) for p, t in enumerate(toks) if rx.match(t))
            continue
        k = len(seq)
        for p in index.get(seq[0], ()):
            if p + k <= n and toks[p:p + k] == seq:
                found.add((p, p + k))
    if surfaces:
        # Text with removed tokens blanked out: matches cannot run across them.
        pieces, prev = [], 0
        for t, s in zip(toks, starts.tolist()):
            if s > prev:
                pieces.append("\x00" * (s - prev))
            pieces.append(t)
            prev = s + len(t)
        blank = "".join(pieces)
        start_at = {s: p for p, s in enumerate(starts.tolist())}
        end_at = {e: p for p, e in enumerate(ends.tolist())}
        for surf in surfaces:
            pos = blank.find(surf)
            while pos >= 0:
                i, j = start_at.get(pos), end_at.get(pos + len(surf))
                if i is not None and j is not None and j >= i:
                    found.add((i, j + 1))
                pos = blank.find(surf, pos + 1)
    return found


def _select_non_overlapping(cands: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Greedy leftmost-longest selection of (i, j, key_rank) ranges, ties by key order."""
    chosen, last = [], -1
    for i, j, r in sorted(cands, key=lambda c: (c[0], -(c[1] - c[0]), c[2])):
        if i >= last:
            chosen.append((i, j, r))
            last = j
    return chosen


def tokens_lookup(x: Tokens, dictionary: Mapping[str, Any], *, exclusive: bool = True) -> Tokens:
    """Replace dictionary matches by their keys (quanteda's ``tokens_lookup``).

    Entries are segmented with the text's own tokenizer (:func:`dictionary_tokenize`), so a
    multi-character entry is found whether the segmenter keeps it as one token or splits it;
    entries are never matched inside a longer token (印度 does not match 印度尼西亚).

    Parameters
    ----------
    x : Tokens
    dictionary : Mapping[str, str or list of str]
        key -> entries (glob patterns such as ``委员*`` match single tokens).
    exclusive : bool
        ``True``: each document becomes the sequence of matched keys (a term listed under two keys
        counts for both; several entries of one key never count twice for the same tokens).
        ``False``: matches are replaced by their key and all other tokens are kept (overlapping
        matches resolved leftmost-longest, then by key order).

    Returns
    -------
    Tokens
        Whose tokens are dictionary keys; ``starts`` give the offset of each match.

    Examples
    --------
    >>> toks = tokens({"d": "收集社情民意信息，完善委员工作站。"})
    >>> tokens_lookup(toks, {"info": ["社情民意信息"], "platform": ["委员工作站", "委员工作室"]})["d"]
    ('info', 'platform')
    """
    dtok = dictionary_tokenize(dictionary, x.spec)
    keys = list(dtok)
    surfaces = {k: ["".join(s) for s in seqs if not (len(s) == 1 and any(c in s[0] for c in "*?"))]
                for k, seqs in dtok.items()}
    new_toks, new_starts = [], []
    for d in range(len(x.doc_ids)):
        toks = x.tokens[d]
        starts, ends = _doc_positions(x, d)
        cands = []
        for r, key in enumerate(keys):
            ranges = _find_matches(toks, starts, ends, dtok[key], surfaces[key])
            if exclusive:
                ranges = [(i, j) for i, j, _ in _select_non_overlapping([(i, j, r) for i, j in ranges])]
            cands.extend((i, j, r) for i, j in ranges)
        if exclusive:
            cands.sort(key=lambda c: (c[0], c[2]))
            out = [(keys[r], int(starts[i])) for i, j, r in cands]
        else:
            chosen = _select_non_overlapping(cands)
            out, p = [], 0
            for i, j, r in chosen:
                out.extend((toks[q], int(starts[q])) for q in range(p, i))
                out.append((keys[r], int(starts[i])))
                p = j
            out.extend((toks[q], int(starts[q])) for q in range(p, len(toks)))
        new_toks.append(tuple(t for t, _ in out))
        arr = np.array([s for _, s in out], dtype=np.int64)
        arr.setflags(write=False)
        new_starts.append(arr)
    return x._replace(tokens=tuple(new_toks), starts=tuple(new_starts) if x.starts is not None else None,
                      history=x.history + (f"tokens_lookup(keys={len(keys)}, exclusive={exclusive})",))


def tokens_compound(x: Tokens, patterns: Iterable[str | Sequence[str]], *, concatenator: str = "") -> Tokens:
    """Join multiword sequences into single tokens (quanteda's ``tokens_compound``).

    Parameters
    ----------
    x : Tokens
    patterns : iterable of str or of token sequences
        A string is segmented with the text's own tokenizer (so 协商 议事 会 written as
        ``"协商议事会"`` finds the tokens it becomes); a tuple/list is taken as the token sequence.
    concatenator : str
        Put between the joined tokens; ``""`` (default, right for Chinese) gives the surface string.

    Returns
    -------
    Tokens

    Examples
    --------
    >>> toks = tokens({"d": "推进基层民主协商"}, stopwords=None, lexicon=None)
    >>> toks["d"]
    ('推进', '基层', '民主协商')
    >>> tokens_compound(toks, ["基层民主协商"])["d"]
    ('推进', '基层民主协商')
    """
    if isinstance(patterns, str):
        patterns = [patterns]
    seqs, surfaces = [], []
    cut = x.spec.segmenter().cut
    for pat in patterns:
        if isinstance(pat, str):
            seq = tuple(t for t in cut(pat.strip()) if x.spec.keeps(t))
            if not seq:
                raise InputError(f"pattern {pat!r} segments to no token", key="patterns")
            seqs.append(seq)
            surfaces.append(pat.strip())
        else:
            seq = tuple(pat)
            if not seq or not all(isinstance(t, str) and t for t in seq):
                raise InputError(f"pattern {pat!r} must be a non-empty sequence of strings", key="patterns")
            seqs.append(seq)
    new_toks, new_starts = [], []
    for d in range(len(x.doc_ids)):
        toks = x.tokens[d]
        starts, ends = _doc_positions(x, d)
        ranges = _find_matches(toks, starts, ends, seqs, surfaces)
        chosen = _select_non_overlapping([(i, j, 0) for i, j in ranges if j - i > 1])
        out, p = [], 0
        for i, j, _ in chosen:
            out.extend((toks[q], int(starts[q])) for q in range(p, i))
            out.append((concatenator.join(toks[i:j]), int(starts[i])))
            p = j
        out.extend((toks[q], int(starts[q])) for q in range(p, len(toks)))
        new_toks.append(tuple(t for t, _ in out))
        arr = np.array([s for _, s in out], dtype=np.int64)
        arr.setflags(write=False)
        new_starts.append(arr)
    return x._replace(tokens=tuple(new_toks), starts=tuple(new_starts) if x.starts is not None else None,
                      history=x.history + (f"tokens_compound(patterns={len(seqs)})",))


# --------------------------------------------------------------------------------------------------
# raw-text views


def kwic(x: Any, pattern: str | Iterable[str], window: int = 10, *, valuetype: str = "fixed") -> pd.DataFrame:
    """Keyword in context over the raw texts.

    Parameters
    ----------
    x : Corpus-like, Mapping[str, str], Series or list of str
        The user's texts (see :func:`as_texts`).
    pattern : str or iterable of str
        What to find. Several patterns are tried longest first at each position.
    window : int
        Characters of context on each side.
    valuetype : {"fixed", "regex"}
        Literal strings (default) or regular expressions.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, start, end, pre, keyword, post`` (offsets in characters into each text),
        in document order then by position.

    Raises
    ------
    InputError
        For an empty pattern, a bad regular expression or a negative window.

    Examples
    --------
    >>> kwic({"d": "甲乡建成委员工作站，乙乡也建成委员工作站。"}, "委员工作站", window=2)[["start", "pre", "keyword", "post"]]
       start pre keyword post
    0      4  建成   委员工作站   ，乙
    1     15  建成   委员工作站    。
    """
    tx = as_texts(x)
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise InputError(f"expected a non-negative integer, got {window!r}", key="window")
    pats = [pattern] if isinstance(pattern, str) else list(pattern)
    if not pats or any(not isinstance(p, str) or not p for p in pats):
        raise InputError(f"expected one or more non-empty strings, got {pattern!r}", key="pattern")
    if valuetype == "fixed":
        rx_text = "|".join(re.escape(p) for p in sorted(set(pats), key=lambda s: (-len(s), s)))
    elif valuetype == "regex":
        rx_text = "|".join(f"(?:{p})" for p in pats)
    else:
        raise InputError(f"expected 'fixed' or 'regex', got {valuetype!r}", key="valuetype")
    try:
        rx = re.compile(rx_text)
    except re.error as exc:
        raise InputError(f"bad regular expression {pattern!r}: {exc}", key="pattern") from exc
    rows = []
    for doc_id, text in tx.texts.items():
        for m in rx.finditer(text):
            s, e = m.span()
            if e == s:
                continue
            rows.append((doc_id, s, e, text[max(0, s - window):s], m.group(0), text[e:e + window]))
    df = pd.DataFrame(rows, columns=["doc_id", "start", "end", "pre", "keyword", "post"])
    return df.astype({"start": "int64", "end": "int64"})


_SENTENCE_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")


def corpus_reshape(x: Any, docvars: pd.DataFrame | None = None, *, to: str = "sentences") -> Texts:
    """Split each document into sentences (quanteda's ``corpus_reshape``).

    Sentences end at 。！？!?；; (with closing quotes or brackets) or a line break. Each sentence
    becomes a document ``"<doc_id>.<n>"`` (n from 1) whose docvars are its document's, plus
    ``document`` (the original doc_id), ``sentence`` (n) and ``offset`` (its start in the text).
    Blank sentences are dropped.

    Examples
    --------
    >>> s = corpus_reshape({"d": "第一句。第二句！"})
    >>> list(s.texts.items())
    [('d.1', '第一句。'), ('d.2', '第二句！')]
    """
    if to != "sentences":
        raise InputError(f"only 'sentences' is supported, got {to!r}", key="to")
    tx = as_texts(x, docvars)
    texts, rows = {}, []
    dv = tx.documents.set_index("doc_id", drop=False)
    for doc_id, text in tx.texts.items():
        n = 0
        for m in _SENTENCE_END.finditer(text):
            sent = m.group(0)
            if not sent.strip():
                continue
            n += 1
            sid = f"{doc_id}.{n}"
            texts[sid] = sent
            row = dv.loc[doc_id].to_dict()
            row.update(doc_id=sid, document=doc_id, sentence=n, offset=m.start())
            rows.append(row)
    cols = ["doc_id"] + [c for c in tx.documents.columns if c != "doc_id"] + ["document", "sentence", "offset"]
    docs = pd.DataFrame(rows, columns=cols)
    return Texts(texts=texts, documents=docs)
