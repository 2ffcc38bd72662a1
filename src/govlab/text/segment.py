"""Chinese word segmenters (rjieba, jieba) that honour a domain lexicon.

How the lexicon is honoured
---------------------------
The two backends are the same algorithm (jieba: a prefix dictionary, the maximum-probability route
through the word graph, an HMM for runs of unknown single characters): ``rjieba`` (the default) is
its maintained Rust port (jieba-rs), ``jieba`` the pure-Python reference. Both load user words as
``add_word(word, freq)`` would, so govlab gives the lexicon to each backend as a user dictionary,
in the same way:

* every lexicon term gets the frequency ``max(LEXICON_FREQ, its dictionary frequency)``, where
  :data:`LEXICON_FREQ` is 10,000 (the weight of a common word such as 委员, 9,071 in jieba's
  dictionary), so that in context it wins against the general dictionary words that cross it
  (县政协委员工作站 → 县政协 / 委员工作站);
* the dictionary total is updated as jieba-rs does (minus the old frequency, plus the new), also
  for jieba, whose own ``add_word`` would only add: the backends then hold the same model.
  The old frequencies are read from jieba's ``dict.txt``, the dictionary the backends share.

The lexicon is thus part of the segmenter's own model, not a post-processing step, and the
backends load it identically. On Chinese text they give the same tokens; jieba-rs differs from
jieba on some runs of digits, letters and hyphens (``benchmarks/bench_tokenize.py`` counts the
differing tokens on real text). :func:`lexicon_splits` lists any lexicon occurrence that a
segmentation still cuts (when two lexicon terms overlap, only one can be a token).

Lone surrogates (``"\\ud800"``, which Python strings can hold but UTF-8 cannot) are replaced by
U+FFFD before cutting, one character for one, so token offsets stay those of the text and no
backend fails on them.

Segmenters are cached per (backend, lexicon, frequency) so that a worker process builds each one
once; a cached segmenter is never modified after it is built.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import metadata

import numpy as np
import pandas as pd

from govlab.errors import InputError
from govlab.text.lexicon import Lexicon

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "LEXICON_FREQ",
    "Segmenter",
    "get_segmenter",
    "segmentation_agreement",
    "lexicon_splits",
    "HAN_SPAN",
]

#: Segmenter backends: ``rjieba`` (jieba-rs, maintained and compiled) and ``jieba`` (the reference).
BACKENDS = ("rjieba", "jieba")

#: The backend used when none is named.
DEFAULT_BACKEND = "rjieba"

#: Frequency given to lexicon terms that are new to the segmenter's dictionary.
LEXICON_FREQ = 10_000

#: A run of Han characters (CJK unified ideographs and extension A, compatibility ideographs).
HAN_SPAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Segmenter:
    """A configured segmenter: ``cut(text)`` returns every token, whitespace and punctuation
    included, so that ``"".join(cut(text)) == text``.

    Build it with :func:`get_segmenter`, which caches one per configuration.

    Attributes
    ----------
    backend : {"rjieba", "jieba"}
    version : str
        Version of the backend package.
    lexicon : Lexicon
        The user dictionary loaded into it.
    n_added : int
        How many lexicon terms were new to the backend's dictionary (the others already were words,
        and were raised to at least :data:`LEXICON_FREQ`).
    hmm : bool
        Whether runs of unknown characters are segmented with jieba's HMM (the jieba default).
    """

    backend: str
    version: str
    lexicon: Lexicon
    n_added: int
    hmm: bool
    _cut: Callable[[str], list] = None  # type: ignore[assignment]

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` into a list of tokens whose concatenation is ``text``.

        Examples
        --------
        >>> from govlab.text.lexicon import load_lexicon
        >>> get_segmenter("rjieba").cut("推行六步议事")
        ['推行', '六步', '议事']
        >>> get_segmenter("rjieba", load_lexicon()).cut("推行六步议事")
        ['推行', '六步议事']
        >>> get_segmenter("rjieba").cut("议事" + chr(0xD800) + "厅")  # a lone surrogate becomes U+FFFD
        ['议事', '\ufffd', '厅']
        """
        try:
            return self._cut(text)
        except UnicodeEncodeError:
            return _cut_with_surrogates(self._cut, text)

    @property
    def name(self) -> str:
        """``"<backend> <version>"``, recorded in every Tokens object."""
        return f"{self.backend} {self.version}"

    def __repr__(self) -> str:
        return (f"Segmenter(backend={self.backend!r}, version={self.version!r}, "
                f"lexicon={len(self.lexicon)} terms sha256={self.lexicon.sha256[:12]}, hmm={self.hmm})")


@functools.lru_cache(maxsize=4)
def _dictionary_freqs(terms: tuple[str, ...]) -> dict[str, int]:
    """Frequencies of ``terms`` in jieba's main dictionary (``jieba/dict.txt``; jieba-rs ships the
    same file); terms that are not dictionary words are absent."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        return {}
    wanted = set(terms)
    out: dict[str, int] = {}
    with open(Path(spec.origin).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, _, rest = line.partition(" ")
            if word in wanted:
                out[word] = int(rest.split(" ", 1)[0])
    return out


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "unknown"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _cut_with_surrogates(cut: Callable[[str], list], text: str) -> list[str]:
    """Cut ``text`` with each lone surrogate replaced by U+FFFD: one character for one, so token
    lengths and offsets are those of ``text``, and every token can be written as UTF-8."""
    return cut(_SURROGATE.sub("\ufffd", text))


def get_segmenter(backend: str = DEFAULT_BACKEND, lexicon: Lexicon | None = None, *, hmm: bool = True,
                  freq: int = LEXICON_FREQ) -> Segmenter:
    """Build (or fetch from the per-process cache) a segmenter with ``lexicon`` loaded.

    Parameters
    ----------
    backend : {"rjieba", "jieba"}
        ``rjieba`` (the default: jieba-rs through PyO3, many times faster than jieba; see
        ``benchmarks/results/tokenize.json``) or ``jieba`` (pure Python, the reference
        implementation).
    lexicon : Lexicon, optional
        Terms to keep as single tokens. ``None`` loads no user words.
    hmm : bool
        Use jieba's HMM for unknown words (jieba's default).
    freq : int
        Minimum frequency of a lexicon term (see the module docstring).

    Returns
    -------
    Segmenter

    Raises
    ------
    InputError
        For an unknown backend.

    Examples
    --------
    >>> from govlab.text.lexicon import Lexicon
    >>> seg = get_segmenter("jieba", Lexicon.from_terms(["有事好商量"]))
    >>> seg.cut("有事好商量")
    ['有事好商量']
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown segmenter backend {backend!r}; expected one of {BACKENDS}", key="backend")
    if lexicon is None:
        lexicon = Lexicon.from_terms((), source="none")
    if not isinstance(freq, int) or isinstance(freq, bool) or freq < 1:
        raise InputError(f"expected a positive integer, got {freq!r}", key="freq")
    # the cache key ignores where the terms came from: same terms, same segmenter
    seg = _build_segmenter(backend, lexicon.terms, bool(hmm), int(freq))
    return seg if seg.lexicon == lexicon else replace(seg, lexicon=lexicon)


@functools.lru_cache(maxsize=16)
def _build_segmenter(backend: str, terms: tuple, hmm: bool, freq: int) -> Segmenter:
    lexicon = Lexicon.from_terms(terms)
    old = _dictionary_freqs(lexicon.terms)
    targets = {t: max(freq, old.get(t, 0)) for t in lexicon.terms}
    changes = {t: f for t, f in targets.items() if f != old.get(t, 0)}
    n_added = sum(1 for t in changes if t not in old)
    if backend == "rjieba":
        import rjieba

        seg = rjieba.Jieba()
        for term, f in changes.items():
            seg.add_word(term, f, None)  # jieba-rs: total += f - old
        raw_cut = seg.cut
        cut = functools.partial(raw_cut, hmm=hmm) if not hmm else raw_cut
    else:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        for term, f in changes.items():
            before = tok.FREQ.get(term, 0)
            tok.add_word(term, f)  # jieba: total += f ...
            tok.total -= before    # ... minus the old frequency, as jieba-rs does

        def cut(text: str, _lcut=tok.lcut, _hmm=hmm) -> list:
            return _lcut(_SURROGATE.sub("\ufffd", text), HMM=_hmm)  # as rjieba sees them

    return Segmenter(backend=backend, version=_version(backend), lexicon=lexicon, n_added=n_added,
                     hmm=hmm, _cut=cut)


def _han_token_spans(tokens: list[str], text: str) -> set[tuple[int, int]]:
    """Character spans of the tokens that lie inside a Han run of ``text``."""
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    # run_id[c] = index of the Han run covering character c, or -1.
    run_id = np.full(len(text), -1, dtype=np.int64)
    for i, m in enumerate(HAN_SPAN.finditer(text)):
        run_id[m.start():m.end()] = i
    if len(tokens) == 0:
        return set()
    first = run_id[starts]
    last = run_id[np.maximum(ends - 1, starts)]
    keep = (first >= 0) & (first == last) & (lengths > 0)
    return set(zip(starts[keep].tolist(), ends[keep].tolist()))


def segmentation_agreement(texts: Mapping[str, str], a: Segmenter, b: Segmenter) -> pd.DataFrame:
    """Agreement of two segmenters on the Chinese spans of each text.

    The measure is the token F1 used for segmentation evaluation (SIGHAN bakeoffs): a token is
    identified by its character span ``(start, end)``; only tokens lying inside a run of Han
    characters count (digits, Latin words, punctuation and spaces are left out, since the two
    backends split those by the same regular expressions). With ``A`` and ``B`` the two sets of
    spans, ``f1 = 2 |A ∩ B| / (|A| + |B|)``: the share of tokens the two segmentations have in
    common, identical spans only.

    Parameters
    ----------
    texts : Mapping[str, str]
        doc_id -> text.
    a, b : Segmenter
        The two segmenters (for example rjieba and jieba with the same lexicon).

    Returns
    -------
    pandas.DataFrame
        One row per document and a final row ``doc_id == "(all)"`` pooling every document:
        columns ``doc_id, n_a, n_b, n_common, f1``.

    Examples
    --------
    >>> from govlab.text.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> agr = segmentation_agreement({"d1": "委员工作站开展协商议事"},
    ...                              get_segmenter("rjieba", lex), get_segmenter("jieba", lex))
    >>> float(agr["f1"].iloc[-1])
    1.0
    """
    rows = []
    for doc_id, text in texts.items():
        sa = _han_token_spans(a.cut(text), text)
        sb = _han_token_spans(b.cut(text), text)
        common = len(sa & sb)
        rows.append((str(doc_id), len(sa), len(sb), common))
    df = pd.DataFrame(rows, columns=["doc_id", "n_a", "n_b", "n_common"])
    total = pd.DataFrame([("(all)", int(df.n_a.sum()), int(df.n_b.sum()), int(df.n_common.sum()))],
                         columns=df.columns)
    df = pd.concat([df, total], ignore_index=True)
    denom = (df.n_a + df.n_b).astype(float)
    df["f1"] = np.where(denom > 0, 2 * df.n_common / denom.where(denom > 0, 1.0), 1.0)
    return df


def _trie_pattern(terms: Iterable[str]) -> str:
    """A regular expression matching the longest of ``terms`` at a position (a character trie)."""
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(trie)


@functools.lru_cache(maxsize=16)
def _lexicon_regex(lexicon: Lexicon) -> re.Pattern | None:
    if not lexicon.terms:
        return None
    return re.compile("(?=(" + _trie_pattern(lexicon.terms) + "))")


def lexicon_splits(text: str, tokens: list[str], lexicon: Lexicon) -> pd.DataFrame:
    """How a segmentation treats each occurrence of a lexicon term: a diagnostic of the lexicon.

    At every position the longest lexicon term starting there is an occurrence. Its status is

    * ``"kept"``: it is one token;
    * ``"inside"``: it lies inside a longer token (协商民主 inside 基层协商民主);
    * ``"overlapped"``: it crosses a lexicon term that is a token (two terms competing for the same
      characters, such as 县政协 and 政协委员 in 县政协委员: only one can win);
    * ``"split"``: anything else, i.e. the segmenter cut the term against the lexicon.

    Parameters
    ----------
    text : str
    tokens : list of str
        A full segmentation of ``text`` (``"".join(tokens) == text``), e.g. ``Segmenter.cut(text)``.
    lexicon : Lexicon

    Returns
    -------
    pandas.DataFrame
        Columns ``start, end, term, status``.

    Examples
    --------
    >>> from govlab.text.lexicon import Lexicon
    >>> lex = Lexicon.from_terms(["委员工作站"])
    >>> lexicon_splits("委员工作站", ["委员", "工作站"], lex)["status"].tolist()
    ['split']
    """
    if "".join(tokens) != text:
        raise InputError("tokens do not concatenate to the text; pass a full segmentation", key="tokens")
    cols = ["start", "end", "term", "status"]
    rx = _lexicon_regex(lexicon)
    if rx is None:
        return pd.DataFrame(columns=cols)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    span_end = dict(zip(starts.tolist(), ends.tolist()))
    occ = [(m.start(1), m.end(1), m.group(1)) for m in rx.finditer(text) if m.group(1)]
    kept = [(s, e) for s, e, _ in occ if span_end.get(s) == e]
    rows = []
    for s, e, term in occ:
        k = int(np.searchsorted(ends, s, side="right"))  # token containing character s
        if span_end.get(s) == e:
            status = "kept"
        elif k < len(tokens) and starts[k] <= s and e <= ends[k]:
            status = "inside"
        elif any(ks < e and s < ke for ks, ke in kept):
            status = "overlapped"
        else:
            status = "split"
        rows.append((s, e, term, status))
    return pd.DataFrame(rows, columns=cols)
