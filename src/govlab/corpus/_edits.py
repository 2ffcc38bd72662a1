"""Offset bookkeeping for cleaning: apply edits to a text while remembering where every character
came from in the raw decoded text.

Each character of the current text carries a half-open span ``[lo, hi)`` of raw offsets. A character
copied from the raw text has ``hi == lo + 1``; a character that replaced a block (a ``"\\n"`` put in
place of an HTML tag, a ``"/"`` in place of the JavaScript escape ``"\\/"``) carries the whole block's
span. Removing current characters ``[s, e)`` therefore removed raw characters ``[lo[s], hi[e-1])``
(together with anything earlier steps had already removed inside that range).

Speed: a :class:`TrackedText` with class flags (as :func:`govlab.corpus.clean_text` makes) applies
each batch of edits in one pass of a compiled numba kernel (:func:`_remove_py` for removals,
:func:`_splice_py` for replacements) that copies the per-character arrays (raw spans, code points,
flags) and computes the log rows at once; without flags, the same edits are applied with numpy
array operations, with identical results. The kernels are compiled on first use (or loaded from
numba's disk cache in ``__pycache__``; :func:`compile_kernels`), so importing :mod:`govlab.corpus`
does not import numba.
"""
from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np


class Edit(NamedTuple):
    """Replace ``text[start:end]`` by ``repl`` (``""`` removes), for the reason ``rule``. Rules may
    also give plain ``(start, end, repl, rule)`` tuples (cheaper to make by the thousand)."""

    start: int
    end: int
    repl: str
    rule: str


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _text_by_codec(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def _text_by_capi():
    """CPython's ``PyUnicode_FromKindAndData`` (public C API) on an array of UCS-4 code points: the
    text, without validating the code points as the UTF-32 codec does (they come from a str)."""
    import ctypes

    fn = ctypes.pythonapi.PyUnicode_FromKindAndData
    fn.restype = ctypes.py_object
    fn.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_ssize_t)

    def text(codes: np.ndarray) -> str:
        codes = np.ascontiguousarray(codes, dtype=np.uint32)
        return fn(4, codes.__array_interface__["data"][0], len(codes)) if len(codes) else ""

    return text


try:  # (about 2.5 times as fast as the codec; CPython only)
    _text_fast = _text_by_capi()
    if _text_fast(np.array([0x5354, 0x10000, 0xD800, 0x61], dtype=np.uint32)) != "\u5354\U00010000\ud800a":
        raise ValueError("PyUnicode_FromKindAndData")  # pragma: no cover
except (AttributeError, ImportError, ValueError):  # pragma: no cover - not CPython
    _text_fast = _text_by_codec


def _text(codes: np.ndarray) -> str:
    """The text of an array of code points (the inverse of :func:`_codes`)."""
    return _text_fast(codes)


def _merge(edits: list) -> list:
    """Sorted edits with touching non-empty edits of one rule merged into one block."""
    merged = [edits[0]]
    last = edits[0]
    for ed in edits[1:]:
        if ed[0] == last[1] and ed[3] == last[3] and ed[1] > ed[0] and last[1] > last[0]:
            last = merged[-1] = (last[0], ed[1], last[2] + ed[2], last[3])
        else:
            merged.append(ed)
            last = ed
    return merged


def _may_merge(edits: list) -> bool:
    """Whether two neighbouring (sorted) edits touch, are both non-empty and share a rule."""
    return any(b[0] == a[1] and b[3] == a[3] and b[1] > b[0] and a[1] > a[0] for a, b in zip(edits, edits[1:]))


def _positions(S: np.ndarray, E: np.ndarray, lens: np.ndarray, total: int) -> np.ndarray:
    """The positions inside the sorted, disjoint ranges ``[S[i], E[i])`` (``lens = E - S`` adding up
    to ``total``), in order."""
    if not total:
        return _EMPTY
    return np.arange(total, dtype=np.int64) + (S - (lens.cumsum() - lens)).repeat(lens)


_EMPTY = np.zeros(0, dtype=np.int64)
_NO_BOOL = np.zeros(0, dtype=bool)
_COLUMNS = tuple(itemgetter(i) for i in range(4))


def _keep_mask(n: int, S: np.ndarray, E: np.ndarray) -> np.ndarray:
    """A boolean mask of length ``n``, False inside the sorted, disjoint ranges ``[S[i], E[i])``."""
    lengths = np.empty(2 * len(S) + 1, dtype=np.int64)
    lengths[0] = S[0]
    lengths[1:-1:2] = E - S
    lengths[2:-1:2] = S[1:] - E[:-1]
    lengths[-1] = n - E[-1]
    return (_KEEP_PATTERN[:len(lengths)] if len(lengths) <= len(_KEEP_PATTERN)
                     else np.resize(_KEEP_PATTERN[:2], len(lengths))).repeat(lengths)


_KEEP_PATTERN = np.resize(np.array([True, False]), 4097)


def _copy4(lo, hi, codes, flags, a, b, nlo, nhi, ncodes, nflags, w):
    """Copy items ``[a, b)`` of the four per-character arrays to position ``w`` of the new ones;
    return the new position (one simple loop per array, through views: compiled, as fast as
    ``memcpy``). The four loops are written out on purpose: one compiled helper called four times
    measured 7% slower on the whole cleaning benchmark."""
    c = b - a
    src = lo[a:b]
    dst = nlo[w:w + c]
    for i in range(c):
        dst[i] = src[i]
    src = hi[a:b]
    dst = nhi[w:w + c]
    for i in range(c):
        dst[i] = src[i]
    src_c = codes[a:b]
    dst_c = ncodes[w:w + c]
    for i in range(c):
        dst_c[i] = src_c[i]
    src_f = flags[a:b]
    dst_f = nflags[w:w + c]
    for i in range(c):
        dst_f[i] = src_f[i]
    return w + c


def _remove_py(lo, hi, codes, flags, S, E, same, use_same, nlo, nhi, ncodes, nflags, seg_owner, seg_rs, seg_re,
               seg_drop, info):
    """Kernel of :meth:`TrackedText._remove` (compiled by :func:`_kernels`). Given ranges
    ``[S[j], E[j])``, sorted, non-empty, none overlapping the next (else it returns -1 and does
    nothing), of which touching ones become one block (when ``use_same``, only where ``same[j]``:
    ranges ``j`` and ``j + 1`` have one rule): copy the characters outside them into ``nlo``,
    ``nhi``, ``ncodes``, ``nflags`` (their number goes to ``info[0]``); split each block where its
    characters are not contiguous in the raw text and write, for each piece, its block's first
    range, raw start and end and the number of its characters copied one-for-one
    (``hi - lo == 1``). Returns the number of pieces."""
    k = len(S)
    for j in range(k):
        if E[j] <= S[j] or (j > 0 and S[j] < E[j - 1]):
            return -1
    n = len(lo)
    w = 0
    m = 0
    prev = 0
    j = 0
    while j < k:
        g = j
        s = S[j]
        e = E[j]
        while j + 1 < k and S[j + 1] == e and (not use_same or same[j]):
            j += 1
            e = E[j]
        w = _copy4(lo, hi, codes, flags, prev, s, nlo, nhi, ncodes, nflags, w)
        start = s
        d = 0
        for i in range(s, e):
            if i > start and hi[i - 1] != lo[i]:
                seg_owner[m] = g
                seg_rs[m] = lo[start]
                seg_re[m] = hi[i - 1]
                seg_drop[m] = d
                m += 1
                start = i
                d = 0
            if hi[i] - lo[i] == 1:
                d += 1
        seg_owner[m] = g
        seg_rs[m] = lo[start]
        seg_re[m] = hi[e - 1]
        seg_drop[m] = d
        m += 1
        prev = e
        j += 1
    w = _copy4(lo, hi, codes, flags, prev, n, nlo, nhi, ncodes, nflags, w)
    info[0] = w
    return m


def _splice_py(lo, hi, codes, flags, S, E, L, rep_codes, rep_flags, ok, rs, re_, dropped,
               nlo, nhi, ncodes, nflags):
    """Kernel of :meth:`TrackedText._apply_many` (compiled by :func:`_kernels`): apply the sorted
    edits ``[S[j], E[j])`` -> the ``L[j]`` code points of ``rep_codes`` after those of the edits
    before it (of which none overlaps the next) to the per-character arrays, writing the new
    arrays to ``nlo``, ``nhi``, ``ncodes``, ``nflags``, and for each edit whether it does
    anything (``ok``: not an empty edit inserting nothing, nor one replacing a text by itself),
    its raw span ``rs``, ``re_`` and ``dropped`` (raw characters still copied one-for-one, less a
    kept prefix or suffix). A replacement that is a prefix (else a suffix) of what it replaces
    keeps those characters; other replacements carry the raw span of the whole replaced block.
    Returns the length of the new arrays."""
    n = len(lo)
    w = 0
    prev = 0
    f = 0
    for j in range(len(S)):
        s = S[j]
        e = E[j]
        ln = L[j]
        span = e - s
        first = f
        f += ln
        if ln == span:
            same = True
            for t in range(ln):
                if codes[s + t] != rep_codes[first + t]:
                    same = False
                    break
            if same:  # nothing to do (this covers the empty edit inserting nothing)
                ok[j] = False
                continue
        ok[j] = True
        if span > 0:
            a = lo[s]
            b = hi[e - 1]
        elif s < n:
            a = lo[s]
            b = a
        elif n:
            a = hi[n - 1]
            b = a
        else:
            a = 0
            b = 0
        rs[j] = a
        re_[j] = b
        d = 0
        for i in range(s, e):
            if hi[i] - lo[i] == 1:
                d += 1
        prefix = False
        suffix = False
        if ln > 0 and ln < span:
            prefix = True
            for t in range(ln):
                if codes[s + t] != rep_codes[first + t]:
                    prefix = False
                    break
            if not prefix:
                suffix = True
                for t in range(ln):
                    if codes[e - ln + t] != rep_codes[first + t]:
                        suffix = False
                        break
        w = _copy4(lo, hi, codes, flags, prev, s, nlo, nhi, ncodes, nflags, w)
        if prefix or suffix:
            d = max(d - ln, 0)
            k0 = s if prefix else e - ln
            w = _copy4(lo, hi, codes, flags, k0, k0 + ln, nlo, nhi, ncodes, nflags, w)
        else:
            for t in range(first, first + ln):
                nlo[w] = a
                nhi[w] = b
                ncodes[w] = rep_codes[t]
                nflags[w] = rep_flags[t]
                w += 1
        dropped[j] = d
        prev = e
    w = _copy4(lo, hi, codes, flags, prev, n, nlo, nhi, ncodes, nflags, w)
    return w


def _wrap_histogram_py(codes, flags, starts, ends, f_nl, f_punct, f_space, terminal, widths, hist, open_hist):
    """Kernel of ``clean.join_hard_wraps`` and ``clean._line_width_array`` (compiled by
    :func:`_kernels`): the display width of every line written to ``widths`` (a line break and a
    space count 0, punctuation 2, another ASCII character 1, any other character 2), and for the non-blank lines
    (``ends[j] > starts[j]``) no wider than ``len(hist) - 1``, the number of lines of each width
    added to ``hist`` and of those not ending in a code point of ``terminal`` to ``open_hist``;
    returns the number of non-blank lines."""
    n = len(codes)
    k = len(starts)
    top = len(hist) - 1
    n_nonblank = 0
    for j in range(k):
        b = starts[j + 1] if j + 1 < k else n
        w = 0
        for i in range(starts[j], b):
            f = flags[i]
            if f & f_nl:
                continue
            if f & f_punct:
                w += 2
            elif f & f_space:
                continue
            elif codes[i] < 128:
                w += 1
            else:
                w += 2
        widths[j] = w
        if ends[j] > starts[j]:
            n_nonblank += 1
            if w <= top:
                hist[w] += 1
                last = codes[ends[j] - 1]
                is_open = True
                for t in range(len(terminal)):
                    if last == terminal[t]:
                        is_open = False
                if is_open:
                    open_hist[w] += 1
    return n_nonblank


def _wrap_width_py(hist, open_hist, n_nonblank):
    """Kernel of ``clean.join_hard_wraps`` (compiled by :func:`_kernels`): the wrap width found in
    the histograms of ``_wrap_histogram_py`` (``hist[w]`` non-blank lines of width ``w``, up to 256,
    ``open_hist[w]`` of them not ending a sentence), or 0 when there is none: the widest ``2c + 1``
    over the width classes ``c`` (widths ``2c`` and ``2c + 1`` within 20-240) holding a line, whose
    band of widths ``[0.9 * (2c + 1), 1.06 * (2c + 1)]`` holds at least ``max(5, 0.35 * n_nonblank)``
    lines, at least 70% of them not ending a sentence; 0 also when fewer than that many lines lie
    within 18-256 (no band can hold them) or no class holds two lines."""
    need = max(5.0, 0.35 * n_nonblank)
    if hist[18:257].sum() < need:
        return 0
    most = 0
    for c in range(10, 121):
        most = max(most, hist[2 * c] + (hist[2 * c + 1] if 2 * c + 1 <= 240 else 0))
    if most < 2:
        return 0
    best = 0
    for c in range(10, 121):
        if hist[2 * c] + (hist[2 * c + 1] if 2 * c + 1 <= 240 else 0) == 0:
            continue
        wmax = 2 * c + 1
        lo = np.int64(np.ceil(0.9 * wmax))
        hi = np.int64(np.floor(wmax * 1.06))
        n_band = hist[lo:hi + 1].sum()
        n_open = open_hist[lo:hi + 1].sum()
        if n_band >= need and n_open >= 0.7 * n_band:
            best = wmax
    return best


def _html_tags_py(codes, classes, tag_s, tag_e, name_s, name_e, new_run):
    """Kernel of ``clean.html_to_text`` (compiled by :func:`_kernels`): the matches of
    ``clean._HTML_TAG`` (``<(/?)([a-zA-Z][\\w:-]*)\\b[^<>]*(?:>|\\Z)|<![^<>]*>|<\\?[^<>]*\\?>|</?\\s*\\Z``)
    from left to right, as ``re.finditer`` finds them: the start and end of every tag, of its name
    (the second group; ``-1`` when it did not take part) and whether something other than
    whitespace comes between it and the previous tag, written to the output arrays (each at least
    as long as the number of ``"<"``); returns the number of tags. ``classes`` holds, by code point,
    bit 1 for the regular expression's ``\\w`` and bit 2 for its ``\\s`` (``str.isspace``)."""
    n = len(codes)
    k = 0
    prev = 0  # end of the previous tag
    i = 0
    while i < n:
        if codes[i] != 60:  # "<"
            i += 1
            continue
        end = -1
        ns = ne = -1
        j = i + 1
        c = codes[j] if j < n else 0
        if c == 47:  # "/"
            j += 1
            c = codes[j] if j < n else 0
        if 65 <= c <= 90 or 97 <= c <= 122:  # <(/?)([a-zA-Z][\w:-]*)\b[^<>]*(?:>|\Z)
            ns = j
            ne = j + 1  # the name backs off to its last word character, where \b holds
            m = j + 1
            while m < n and (classes[codes[m]] & 1 or codes[m] == 58 or codes[m] == 45):
                if classes[codes[m]] & 1:
                    ne = m + 1
                m += 1
            while m < n and codes[m] != 60 and codes[m] != 62:
                m += 1
            if m == n:
                end = n
            elif codes[m] == 62:
                end = m + 1
            else:
                ns = ne = -1
        if end < 0 and i + 1 < n and (codes[i + 1] == 33 or codes[i + 1] == 63):  # <![^<>]*>, <\?[^<>]*\?>
            m = i + 2
            while m < n and codes[m] != 60 and codes[m] != 62:
                m += 1
            if m < n and codes[m] == 62 and (codes[i + 1] == 33 or (m - 1 >= i + 2 and codes[m - 1] == 63)):
                end = m + 1
        if end < 0:  # </?\s*\Z
            m = i + 1
            if m < n and codes[m] == 47:
                m += 1
            while m < n and classes[codes[m]] & 2:
                m += 1
            if m == n:
                end = n
        if end < 0:
            i += 1
            continue
        gap = False  # something other than whitespace since the previous tag
        for g in range(prev, i):
            if not classes[codes[g]] & 2:
                gap = True
                break
        tag_s[k] = i
        tag_e[k] = end
        name_s[k] = ns
        name_e[k] = ne
        new_run[k] = gap
        k += 1
        prev = end
        i = end
    return k


def _line_bounds_py(codes, starts, ends):
    """Kernel of ``clean._line_starts_ends`` (compiled by :func:`_kernels`): the start and end of
    every line (``ends[i]`` is the position of its ``"\\n"``, or the text's end), written to
    ``starts`` and ``ends`` (each at least one longer than the number of line breaks); returns the
    number of lines."""
    k = 0
    starts[0] = 0
    for i in range(len(codes)):
        if codes[i] == 10:
            ends[k] = i
            k += 1
            starts[k] = i + 1
    ends[k] = len(codes)
    return k + 1


def _bigram_hits_py(codes, pairs, singles, out):
    """Kernel of ``clean._find_triggers`` (compiled by :func:`_kernels`): the positions ``i`` whose
    code point is marked in ``singles`` (indexed by code point, those past the table sharing its
    last entry) or whose pair with the next code point is marked in the hashed table ``pairs``
    (``((codes[i] * 65599) ^ codes[i + 1])`` modulo its power-of-two size), written to ``out``;
    returns their number."""
    n = len(codes)
    last_single = len(singles) - 1
    mask = len(pairs) - 1
    k = 0
    for i in range(n):
        c = np.int64(codes[i])
        hit = singles[min(c, last_single)]
        if not hit and i + 1 < n:
            hit = pairs[((c * 65599) ^ np.int64(codes[i + 1])) & mask]
        if hit:
            out[k] = i
            k += 1
    return k


class Kernels(NamedTuple):
    """The compiled kernels, by the step they serve (see each ``*_py`` function)."""

    remove: Callable
    splice: Callable
    line_bounds: Callable
    bigram_hits: Callable
    wrap_histogram: Callable
    html_tags: Callable
    wrap_width: Callable


_KERNELS: list = []


def _kernels() -> Kernels:
    """The compiled :class:`Kernels`: numba is imported and the kernels compiled (or loaded from
    numba's disk cache) on first use, so that importing :mod:`govlab.corpus` needs no numba."""
    if not _KERNELS:
        from numba import types

        from govlab._numba import kernel

        global _copy4
        if not hasattr(_copy4, "py_func"):  # (the kernels below call the compiled helper)
            _copy4 = kernel(_copy4)

        # one explicit signature per kernel (compiled, or loaded from the disk cache, right here): the
        # per-character arrays are contiguous, read-only or not (code points decoded from a string
        # are read-only), the edit arrays may be strided (columns of a 2-d array)
        def arr(dtype, layout="C", readonly=True):
            return types.Array(dtype, 1, layout, readonly=readonly)

        i8, u4, u1, b1 = types.int64, types.uint32, types.uint8, types.boolean
        chars_in = (arr(i8), arr(i8), arr(u4), arr(u1))
        out_i8 = arr(i8, readonly=False)
        chars_out = (out_i8, out_i8, arr(u4, readonly=False), arr(u1, readonly=False))
        edits = (arr(i8, "A"), arr(i8, "A"))
        compiled = Kernels(
            remove=kernel(_remove_py, i8(*chars_in, *edits, arr(b1, "A"), b1, *chars_out, out_i8, out_i8, out_i8,
                                         out_i8, out_i8)),
            splice=kernel(_splice_py, i8(*chars_in, *edits, arr(i8, "A"), arr(u4), arr(u1),
                                         arr(b1, readonly=False), out_i8, out_i8, out_i8, *chars_out)),
            line_bounds=kernel(_line_bounds_py, i8(arr(u4), out_i8, out_i8)),
            bigram_hits=kernel(_bigram_hits_py, i8(arr(u4), arr(b1), arr(b1), out_i8)),
            wrap_histogram=kernel(_wrap_histogram_py, i8(arr(u4), arr(u1), arr(i8, "A"), arr(i8, "A"), u1, u1, u1,
                                                         arr(u4), out_i8, out_i8, out_i8)),
            html_tags=kernel(_html_tags_py, i8(arr(u4), arr(u1), out_i8, out_i8, out_i8, out_i8,
                                               arr(b1, readonly=False))),
            wrap_width=kernel(_wrap_width_py, i8(arr(i8), arr(i8), i8)),
        )
        if not _KERNELS:
            _KERNELS.append(compiled)
    return _KERNELS[0]


@functools.lru_cache(maxsize=1)
def _regex_classes() -> np.ndarray:
    """By code point (a uint8 table): bit 1 when the regular expressions' ``\\w`` matches it, bit 2
    when their ``\\s`` does (the characters of ``str.isspace``), taken from :mod:`re` itself; the
    table of the HTML tag kernel."""
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, pattern in ((1, r"\w+"), (2, r"\s+")):
        for m in re.finditer(pattern, every):
            table[m.start():m.end()] |= bit
    return table


def compile_kernels() -> None:
    """Compile the numba kernels of :class:`TrackedText` and :mod:`~govlab.corpus.clean` now (or load
    them from numba's disk cache) and build their tables, rather than on first use; benchmarks call
    this outside their timings."""
    _kernels()
    _regex_classes()


class Removals(NamedTuple):
    """Many removals at once: ``text[starts[i]:ends[i]]`` goes for the reason ``rules[i]`` (or
    ``rules`` when it is one string). Applied without a Python loop per removal."""

    starts: np.ndarray
    ends: np.ndarray
    rules: object


class Replacements(NamedTuple):
    """Many edits at once, in the order ``sorted()`` puts their ``(start, end, repl, rule)`` tuples
    (by start, when no two start at one position): ``text[starts[i]:ends[i]]`` becomes ``repls[i]``
    for the reason ``rules[i]`` (lists of str). Applied as the same edits given one by one are,
    without sorting them or a Python loop per edit."""

    starts: np.ndarray
    ends: np.ndarray
    repls: list
    rules: list


def removals(spans, rule: str) -> Removals:
    """:class:`Removals` from ``(start, end)`` pairs, all for one rule."""
    spans = list(spans)
    if not spans:
        return Removals(np.zeros(0, np.int64), np.zeros(0, np.int64), rule)
    arr = np.asarray(spans, dtype=np.int64)
    return Removals(arr[:, 0], arr[:, 1], rule)


class TrackedText:
    """A text being cleaned, with a map from its characters back to raw offsets, and the log."""

    __slots__ = ("text", "lo", "hi", "rows", "flags", "codes", "_flag_fn", "cache")

    def __init__(self, text: str, flag_fn: Callable[[str], np.ndarray] | None = None, codes: np.ndarray | None = None):
        self.text = text
        self.lo = np.arange(len(text), dtype=np.int64)
        self.hi = self.lo + 1
        # log rows: (step, rule, raw_start, raw_end, replaced_by, dropped_chars)
        self.rows: list[tuple[str, str, int, int, int, int]] = []
        # optional per-character class flags (a uint8 array kept in step with the text)
        self._flag_fn = flag_fn
        # code points (uint32) and class flags, kept in step with the text when a flag function is given
        if codes is None and flag_fn is not None:
            codes = _codes(text)
        self.codes = codes if flag_fn is not None else None
        self.flags = flag_fn(self.codes) if flag_fn is not None else None
        # values derived from the text by the rules, each stored with the ``flags`` array it was
        # computed from (``flags`` is replaced, never modified in place, whenever the text changes)
        self.cache: dict = {}

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets covered by current characters ``[start, end)`` (a point when empty)."""
        if end > start:
            return int(self.lo[start]), int(self.hi[end - 1])
        if start < len(self.text):
            p = int(self.lo[start])
        elif len(self.text):
            p = int(self.hi[-1])
        else:
            p = 0
        return p, p

    def apply(self, step: str | Mapping[str, str], edits: Iterable[Edit]) -> int:
        """Apply non-overlapping edits (any order; an edit overlapping an earlier one is skipped),
        log each under ``step`` (or ``step[rule]`` when a mapping), and return how many applied.

        An edit whose replacement is a prefix of the replaced text (``"\\r\\n"`` to ``"\\n"``, a run of
        spaces to ``" "``) keeps the per-character spans of what it keeps; other replacements carry
        the span of the whole replaced block."""
        if isinstance(edits, Removals):
            return self._remove(step, edits.starts, edits.ends, edits.rules)
        if isinstance(edits, Replacements):
            if len(edits.starts) >= 8:
                S, E, r_l, rule_l = edits
                done, _ = self._apply_sorted(step, S, E, S.tolist(), E.tolist(), r_l, rule_l)
                if done is not None:
                    return done
            edits = list(zip(edits.starts.tolist(), edits.ends.tolist(), edits.repls, edits.rules))
        edits = sorted(edits)
        if not edits:
            return 0
        if len(edits) >= 8 or self.flags is not None:  # many edits (or a compiled kernel to apply them): as arrays
            # (columns by itemgetter, not zip(*edits): that makes an iterator per edit at once, and
            # with a few hundred edits the garbage collector runs)
            s_l, e_l, r_l, rule_l = (list(map(g, edits)) for g in _COLUMNS)
            k = len(s_l)
            S = np.fromiter(s_l, np.int64, k)
            E = np.fromiter(e_l, np.int64, k)
            done, edits = self._apply_sorted(step, S, E, s_l, e_l, r_l, rule_l)
            if done is not None:
                return done
        elif len(edits) > 1 and _may_merge(edits):  # touching edits of one rule become one block
            edits = _merge(edits)
        text, lo, hi = self.text, self.lo, self.hi
        n_text = len(text)
        parts: list[str] = []
        drop_s: list[int] = []  # ranges of old characters that go (sorted, disjoint)
        drop_e: list[int] = []
        ins_pos: list[int] = []  # old-text position of each inserted character
        ins_text: list[str] = []
        ins_edit: list[int] = []  # the edit each inserted character belongs to
        log_s: list[int] = []
        log_e: list[int] = []
        log_rule: list[str] = []
        log_len: list[int] = []
        kept: list[int] = []  # edits keeping a prefix or suffix of what they replace, and its length
        prev = 0
        n = 0
        for s, e, r, rule in edits:
            if s < prev or (e == s and not r):
                continue
            lr = len(r)
            if lr == e - s and text[s:e] == r:
                continue
            if s > prev:
                parts.append(text[prev:s])
            log_s.append(s)
            log_e.append(e)
            log_rule.append(rule)
            log_len.append(lr)
            if r:
                parts.append(r)
            if lr and lr < e - s and text[s:s + lr] == r:  # prefix kept: drop the rest
                drop_s.append(s + lr)
                drop_e.append(e)
                kept.append(n)
            elif lr and lr < e - s and text[e - lr:e] == r:  # suffix kept
                drop_s.append(s)
                drop_e.append(e - lr)
                kept.append(n)
            else:
                if e > s:
                    drop_s.append(s)
                    drop_e.append(e)
                if lr:
                    if lr == 1:
                        ins_pos.append(s)
                        ins_edit.append(n)
                    else:
                        ins_pos.extend([s] * lr)
                        ins_edit.extend([n] * lr)
                    ins_text.append(r)
            prev = e
            n += 1
        if not n:
            return 0
        # raw spans of all applied edits at once
        S = np.asarray(log_s, dtype=np.int64)
        E = np.asarray(log_e, dtype=np.int64)
        nonempty = E > S
        if n_text:
            Sc = np.minimum(S, n_text - 1)
            rs = np.where(nonempty, lo[Sc], np.where(S < n_text, lo[Sc], hi[-1]))
            re_ = np.where(nonempty, hi[np.maximum(E - 1, 0)], rs)
        else:
            rs = re_ = np.zeros(n, dtype=np.int64)
        steps = [step.get(r, "chrome") for r in log_rule] if not isinstance(step, str) else [step] * n
        dropped = self._one_for_one(S, E).tolist()  # raw characters still copied one-for-one
        for j in kept:  # a kept prefix or suffix is not dropped
            dropped[j] = max(0, dropped[j] - log_len[j])
        self.rows.extend(zip(steps, log_rule, rs.tolist(), re_.tolist(), log_len, dropped))
        parts.append(text[prev:])
        self.text = "".join(parts)
        if drop_s:
            DS = np.asarray(drop_s, dtype=np.int64)
            DE = np.asarray(drop_e, dtype=np.int64)
            keep = _keep_mask(n_text, DS, DE)
        else:
            keep = None
        flags = self.flags
        if ins_pos:
            ie = np.asarray(ins_edit, dtype=np.int64)
            ip = np.asarray(ins_pos, dtype=np.int64)
            if keep is not None:  # kept characters before each position
                cum = np.concatenate(([0], (DE - DS).cumsum()))
                idx = ip - cum[DS.searchsorted(ip, side="left")]
                n_kept = n_text - int(cum[-1])
            else:
                idx = ip
                n_kept = n_text
            # where the inserted characters land (as np.insert(kept, idx, values) would put them)
            at = idx + np.arange(len(idx))
            old = np.ones(n_kept + len(idx), dtype=bool)
            old[at] = False
            arrays = [(lo, rs[ie]), (hi, re_[ie])]
            if flags is not None:
                ins_codes = _codes("".join(ins_text))
                arrays += [(self.codes, ins_codes), (flags, self._flag_fn(ins_codes))]
            out = []
            for arr, values in arrays:
                new = np.empty(len(old), dtype=arr.dtype)
                new[old] = arr[keep] if keep is not None else arr
                new[at] = values
                out.append(new)
            self.lo, self.hi = out[:2]
            if flags is not None:
                self.codes, self.flags = out[2:]
        elif keep is not None:
            self.lo = lo[keep]
            self.hi = hi[keep]
            if flags is not None:
                self.codes = self.codes[keep]
                self.flags = flags[keep]
        return n

    def _apply_sorted(self, step, S, E, s_l, e_l, r_l, rule_l) -> tuple[int | None, list]:
        """:meth:`apply` for 8 or more edits sorted by ``(start, end, replacement, rule)``, given as
        arrays and lists: ``(number applied, [])``, or ``(None, the edits with touching ones merged)``
        when they must be applied one by one (they overlap)."""
        k = len(s_l)
        if k > 16 and not any(r_l):
            return self._remove(step, S, E, list(rule_l)), []
        same = (S[1:] == E[:-1]) & (E[1:] > S[1:]) & (E[:-1] > S[:-1])
        if same.any():  # touching edits of one rule become one block
            same &= np.fromiter(map(operator.eq, rule_l[1:], rule_l[:-1]), bool, k - 1)
            if same.any():
                first = (np.concatenate(([True], ~same))).nonzero()[0]
                last = np.concatenate((first[1:], [k])) - 1
                S, E = S[first], E[last]
                s_l, e_l = S.tolist(), E.tolist()
                r_orig = r_l
                r_l = list(itemgetter(*first.tolist())(r_l)) if len(first) > 1 else [r_l[0]]
                rule_l = list(map(rule_l.__getitem__, first.tolist()))
                for g, a, b in zip((last > first).nonzero()[0].tolist(), first[last > first].tolist(),
                                   (last[last > first] + 1).tolist()):
                    r_l[g] = "".join(r_orig[a:b])
        if self.codes is not None and not (S[1:] < E[:-1]).any():
            return self._apply_many(step, S, E, s_l, e_l, r_l, rule_l), []
        return None, list(zip(s_l, e_l, r_l, rule_l))

    def _apply_many(self, step, S, E, s_l, e_l, r_l, rule_l) -> int:
        """:meth:`apply` for many sorted, merged edits of which none overlaps the next (given as
        arrays and lists of starts, ends, replacements and rules), without a Python loop per edit."""
        if self.flags is not None:
            return self._apply_many_kernel(step, S, E, s_l, e_l, r_l, rule_l)
        k = len(S)
        L = np.fromiter(map(len, r_l), np.int64, k)
        text, lo, hi, codes = self.text, self.lo, self.hi, self.codes
        n_text = len(text)
        span = E - S
        valid = (span > 0) | (L > 0)  # an empty edit inserting nothing does nothing
        for j in (valid & (L == span)).nonzero()[0].tolist():  # nor one replacing a text by itself
            if text[s_l[j]:e_l[j]] == r_l[j]:
                valid[j] = False
        if not valid.all():
            sel = valid.nonzero()[0]
            S, E, L, span = S[sel], E[sel], L[sel], span[sel]
            sel_l = sel.tolist()
            s_l = [s_l[j] for j in sel_l]
            e_l = [e_l[j] for j in sel_l]
            r_l = [r_l[j] for j in sel_l]
            rule_l = [rule_l[j] for j in sel_l]
        n = len(S)
        if not n:
            return 0
        # a replacement that is a prefix (else a suffix) of what it replaces keeps those characters
        part = (L > 0) & (L < span)
        prefix = np.zeros(n, dtype=bool)
        suffix = np.zeros(n, dtype=bool)
        rep_codes = _codes("".join(r_l))  # the code points of all replacements, one after another
        rep_first = L.cumsum() - L
        one = (part & (L == 1)).nonzero()[0]
        if len(one):
            c = rep_codes[rep_first[one]]
            pre = codes[S[one]] == c
            prefix[one] = pre
            suffix[one] = ~pre & (codes[E[one] - 1] == c)
        multi = (part & (L > 1)).nonzero()[0]
        if len(multi):  # longer replacements: compared with both ends of what they replace, at once
            lm = L[multi]
            first = lm.cumsum() - lm
            off = np.arange(int(first[-1] + lm[-1]), dtype=np.int64) - first.repeat(lm)
            rc = rep_codes[rep_first[multi].repeat(lm) + off]
            pre = np.logical_and.reduceat(codes[S[multi].repeat(lm) + off] == rc, first)
            prefix[multi] = pre
            suffix[multi] = ~pre & np.logical_and.reduceat(codes[(E[multi] - lm).repeat(lm) + off] == rc, first)
        kept = prefix | suffix
        # raw spans of all edits at once
        nonempty = E > S
        if n_text:
            Sc = np.minimum(S, n_text - 1)
            rs = np.where(nonempty, lo[Sc], np.where(S < n_text, lo[Sc], hi[-1]))
            re_ = np.where(nonempty, hi[np.maximum(E - 1, 0)], rs)
        else:
            rs = re_ = np.zeros(n, dtype=np.int64)
        steps = list(map(step.get, rule_l, repeat("chrome"))) if not isinstance(step, str) else [step] * n
        dropped = self._one_for_one(S, E)  # raw characters still copied one-for-one
        if kept.any():  # a kept prefix or suffix is not dropped
            dropped = np.where(kept, np.maximum(dropped - L, 0), dropped)
        self.rows.extend(zip(steps, rule_l, rs.tolist(), re_.tolist(), L.tolist(), dropped.tolist()))
        # the characters that go, and those inserted (replacements that keep nothing). A one-character
        # replacement of a block takes the place of the block's first character: that character stays
        # (its raw start is the block's) and gets the new code and the block's raw end
        ins = ~kept & (L > 0)
        over = ins & (L == 1) & (span > 0)
        ins &= ~over
        DS = np.where(prefix, S + L, np.where(over, S + 1, S))
        DE = np.where(suffix, E - L, E)
        has_drop = DE > DS
        if not has_drop.all():
            DS, DE = DS[has_drop], DE[has_drop]
        keep = None
        gone = None
        if len(DS):
            keep = _keep_mask(n_text, DS, DE)
            gone = np.concatenate(([0], (DE - DS).cumsum()))  # characters dropped before each range
        flags = self.flags
        if ins.any():
            ins_j = ins.nonzero()[0]
            counts = L[ins_j]
            ie = ins_j.repeat(counts)
            ip = S[ins_j].repeat(counts)
            if keep is not None:  # kept characters before each position
                ip = ip - gone[DS.searchsorted(ip, side="left")]
                n_kept = n_text - int(gone[-1])
            else:
                n_kept = n_text
            # where the inserted characters land (as np.insert(kept, ip, values) would put them)
            at = ip + np.arange(len(ip))
            old = np.ones(n_kept + len(ip), dtype=bool)
            old[at] = False
            ins_codes = rep_codes[ins.repeat(L)]
            arrays = [(lo, rs[ie]), (hi, re_[ie]), (codes, ins_codes)]
            if flags is not None:
                arrays.append((flags, self._flag_fn(ins_codes)))
            out = []
            for arr, values in arrays:
                new = np.empty(len(old), dtype=arr.dtype)
                new[old] = arr[keep] if keep is not None else arr
                new[at] = values
                out.append(new)
            self.lo, self.hi, self.codes = out[:3]
            if flags is not None:
                self.flags = out[3]
        elif keep is not None:
            self.lo = lo[keep]
            self.hi = hi[keep]
            self.codes = codes[keep]
            if flags is not None:
                self.flags = flags[keep]
        if over.any():  # the new position of each replaced block's first character
            ov = over.nonzero()[0]
            pos = S[ov]
            if keep is not None:
                pos = pos - gone[DS.searchsorted(pos, side="right")]
            if ins.any():
                pos = pos + ip.searchsorted(pos, side="right")  # characters inserted before it
            new_codes = rep_codes[rep_first[ov]]
            self.hi = hi = self.hi if self.hi is not hi else hi.copy()
            hi[pos] = re_[ov]
            self.codes = c = self.codes if self.codes is not codes else codes.copy()
            c[pos] = new_codes
            if flags is not None:
                self.flags = f = self.flags if self.flags is not flags else flags.copy()
                f[pos] = self._flag_fn(new_codes)
        if 64 * n > n_text:  # many pieces: decoding the code points is faster than joining them
            self.text = _text(self.codes)
        else:
            self.text = "".join([x for pair in zip(map(text.__getitem__, map(slice, [0, *e_l[:-1]], s_l)), r_l)
                                 for x in pair]) + text[e_l[-1]:]
        return n

    def _apply_many_kernel(self, step, S, E, s_l, e_l, r_l, rule_l) -> int:
        """:meth:`_apply_many` in one pass of a compiled kernel (:func:`_splice_py`)."""
        k = len(S)
        L = np.fromiter(map(len, r_l), np.int64, k)
        text, lo, hi, codes, flags = self.text, self.lo, self.hi, self.codes, self.flags
        n_text = len(text)
        rep_codes = _codes("".join(r_l))  # the code points of all replacements, one after another
        rep_flags = self._flag_fn(rep_codes)
        ok = np.empty(k, dtype=np.bool_)
        rs = np.empty(k, dtype=np.int64)
        re_ = np.empty(k, dtype=np.int64)
        dropped = np.empty(k, dtype=np.int64)
        size = n_text + len(rep_codes)
        nlo = np.empty(size, dtype=lo.dtype)
        nhi = np.empty(size, dtype=hi.dtype)
        ncodes = np.empty(size, dtype=codes.dtype)
        nflags = np.empty(size, dtype=flags.dtype)
        w = _kernels().splice(lo, hi, codes, flags, S, E, L, rep_codes, rep_flags, ok, rs, re_, dropped,
                          nlo, nhi, ncodes, nflags)
        if not ok.all():
            sel = ok.nonzero()[0]
            if not len(sel):
                return 0
            rs, re_, dropped, L = rs[sel], re_[sel], dropped[sel], L[sel]
            sel_l = sel.tolist()
            s_l = [s_l[j] for j in sel_l]
            e_l = [e_l[j] for j in sel_l]
            r_l = [r_l[j] for j in sel_l]
            rule_l = [rule_l[j] for j in sel_l]
        n = len(rs)
        steps = list(map(step.get, rule_l, repeat("chrome"))) if not isinstance(step, str) else [step] * n
        self.rows.extend(zip(steps, rule_l, rs.tolist(), re_.tolist(), L.tolist(), dropped.tolist()))
        self.lo, self.hi, self.codes, self.flags = nlo[:w], nhi[:w], ncodes[:w], nflags[:w]
        self.text = _text(self.codes)  # (faster than joining the pieces of the old text)
        return n

    def _one_for_one(self, S: np.ndarray, E: np.ndarray) -> np.ndarray:
        """How many characters of each range ``[S[i], E[i])`` are still copied one-for-one from the
        raw text (``hi - lo == 1``)."""
        lens = E - S
        n_in = int(lens.sum())
        if 8 * n_in < len(self.lo):  # short ranges: look at their characters only
            idx = _positions(S, E, lens, n_in)
            other = idx[(self.hi[idx] - self.lo[idx]) != 1]
        else:
            other = ((self.hi - self.lo) != 1).nonzero()[0]  # few: the characters that replaced blocks
        if not len(other):
            return lens
        return lens - (other.searchsorted(E) - other.searchsorted(S))

    def _remove(self, step, S: np.ndarray, E: np.ndarray, rules) -> int:
        """Vectorised removal of ranges (the common case: most edits only remove)."""
        if not len(S):
            return 0
        one_rule = isinstance(rules, str)
        R = None if one_rule else np.asarray(rules, dtype=object)
        if self.flags is not None:  # the common case (sorted, non-empty, disjoint ranges) in one kernel call
            done = self._remove_kernel(step, S, E, rules, R)
            if done >= 0:
                return done
        # (the common case, sorted non-empty ranges of which none overlaps the next, needs no sorting)
        if len(S) > 1 and not ((S[1:] >= E[:-1]).all() and (E > S).all()):
            order = np.lexsort((E, S))
            S, E = S[order], E[order]
            if R is not None:
                R = R[order]
            ok = E > S  # drop an edit overlapping an earlier one
            prev_end = np.maximum.accumulate(np.concatenate(([-1], E[:-1])))
            ok &= S >= prev_end
            if not ok.all():
                S, E = S[ok], E[ok]
                if R is not None:
                    R = R[ok]
        elif len(S) == 1 and not E[0] > S[0]:
            return 0
        k = len(S)
        if not k:
            return 0
        if self.flags is not None:  # (sorted now)
            return self._remove_kernel(step, S, E, rules, R)
        if k > 1:  # touching removals of one rule become one block
            same = S[1:] == E[:-1]
            if R is not None:
                same &= R[1:] == R[:-1]
            if same.any():
                first = np.concatenate(([True], ~same))
                last = np.concatenate((~same, [True]))
                S, E = S[first], E[last]
                if R is not None:
                    R = R[first]
                k = len(S)
        text, lo, hi = self.text, self.lo, self.hi
        n_text = len(text)
        lens = E - S
        n_in = int(lens.sum())
        few = 8 * n_in < n_text  # short ranges: look at their characters only
        if few:
            idx = _positions(S, E, lens, n_in)  # the removed characters
            keep = np.ones(n_text, dtype=bool)
            keep[idx] = False
        else:
            keep = _keep_mask(n_text, S, E)
        # split each removed range where its characters are not contiguous in the raw text (earlier
        # steps removed something in between), so that every row is exactly the raw text removed here
        if n_text > 1:
            if few:
                cut = idx[1:][hi[idx[:-1]] != lo[idx[1:]]]
            else:
                cut = (hi[:-1] != lo[1:]).nonzero()[0] + 1  # few: where the raw offsets jump
            if len(cut):
                r = np.maximum(S.searchsorted(cut, side="right") - 1, 0)
                cut = cut[(cut > S[r]) & (cut < E[r])]  # inside a range, not at its start
                if len(cut):
                    seg_s = np.sort(np.concatenate((S, cut)))
                    owner = S.searchsorted(seg_s, side="right") - 1
                    ends_all = np.sort(np.concatenate((E, cut)))
                    S, E = seg_s, ends_all
                    if R is not None:
                        R = R[owner]
                    k = len(S)
        rs = lo[S].tolist()
        re_ = hi[E - 1].tolist()
        # raw characters still copied one-for-one (``hi - lo == 1``): all but the few that replaced blocks
        other = idx[(hi[idx] - lo[idx]) != 1] if few else ((hi - lo) != 1).nonzero()[0]
        dropped = E - S
        if len(other):
            dropped = dropped - (other.searchsorted(E) - other.searchsorted(S))
        dropped = dropped.tolist()
        rule_list = [rules] * k if one_rule else R.tolist()
        if isinstance(step, str):
            steps = [step] * k
        else:
            steps = list(map(step.get, rule_list, repeat("chrome")))
        self.rows.extend(zip(steps, rule_list, rs, re_, [0] * k, dropped))
        self.lo = lo[keep]
        self.hi = hi[keep]
        if self.flags is not None:
            self.flags = self.flags[keep]
        if self.codes is not None:
            self.codes = self.codes[keep]
        if self.codes is not None and 64 * k > n_text:  # many pieces: decoding the code points is faster
            self.text = _text(self.codes)
        else:
            Sl, El = S.tolist(), E.tolist()
            self.text = "".join([text[a:b] for a, b in zip([0] + El, Sl + [n_text])])
        return k

    def _remove_kernel(self, step, S: np.ndarray, E: np.ndarray, rules, R) -> int:
        """:meth:`_remove` in one call of a compiled kernel (:func:`_remove_py`): the number of rows
        logged, or -1 (and nothing done) when the ranges are not sorted, non-empty and disjoint."""
        lo, hi, codes, flags = self.lo, self.hi, self.codes, self.flags
        n_text = len(lo)
        S = S if S.dtype == np.int64 else S.astype(np.int64)
        E = E if E.dtype == np.int64 else E.astype(np.int64)
        same = R[1:] == R[:-1] if R is not None and len(R) > 1 else _NO_BOOL
        nlo = np.empty(n_text, dtype=lo.dtype)
        nhi = np.empty(n_text, dtype=hi.dtype)
        ncodes = np.empty(n_text, dtype=codes.dtype)
        nflags = np.empty(n_text, dtype=flags.dtype)
        seg = np.empty((4, n_text), dtype=np.int64)  # owner, raw start, raw end, dropped of each row
        info = np.empty(1, dtype=np.int64)
        m = _kernels().remove(lo, hi, codes, flags, S, E, same, R is not None, nlo, nhi, ncodes, nflags,
                          seg[0], seg[1], seg[2], seg[3], info)
        if m < 0:
            return m
        if m == 0:  # pragma: no cover - (a non-empty range makes a row)
            return 0
        rule_list = [rules] * m if R is None else R[seg[0, :m]].tolist()
        steps = [step] * m if isinstance(step, str) else list(map(step.get, rule_list, repeat("chrome")))
        rs, re_, dropped = seg[1:, :m].tolist()
        self.rows.extend(zip(steps, rule_list, rs, re_, [0] * m, dropped))
        w = int(info[0])
        self.lo, self.hi, self.codes, self.flags = nlo[:w], nhi[:w], ncodes[:w], nflags[:w]
        self.text = _text(self.codes)  # (faster than joining the pieces of the old text)
        return m

    def substitute(self, new_text: str) -> int:
        """Replace the text by one of the same length (character-for-character substitution, such as
        traditional-to-simplified conversion); offsets are unchanged and nothing is logged. Returns the
        number of characters that changed."""
        if len(new_text) != len(self.text):  # pragma: no cover - guarded by callers
            raise ValueError("substitute() needs a text of the same length")
        if new_text == self.text:
            return 0
        a = self.codes if self.codes is not None else _codes(self.text)
        b = _codes(new_text)
        diff = (a != b).nonzero()[0]
        self.text = new_text
        if self.flags is not None and len(diff):
            self.codes = b
            flags = self.flags.copy()
            flags[diff] = self._flag_fn(b[diff])
            self.flags = flags
        return int(len(diff))

    def substitute_codes(self, new_codes: np.ndarray) -> int:
        """:meth:`substitute` given the new text's code points (a uint32 array this object keeps)."""
        if len(new_codes) != len(self.text):  # pragma: no cover - guarded by callers
            raise ValueError("substitute_codes() needs as many code points as the text has characters")
        a = self.codes if self.codes is not None else _codes(self.text)
        diff = (a != new_codes).nonzero()[0]
        if not len(diff):
            return 0
        self.text = _text(new_codes)
        if self.flags is not None:
            self.codes = new_codes
            flags = self.flags.copy()
            flags[diff] = self._flag_fn(new_codes[diff])
            self.flags = flags
        return int(len(diff))
