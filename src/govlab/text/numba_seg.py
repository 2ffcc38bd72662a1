"""jieba's precise mode, compiled with numba: segment and count Chinese text without a Python string
per token.

The algorithm is jieba 0.42.1's ``Tokenizer.cut(sentence, cut_all=False, HMM=True)`` (Sun Junyi,
https://github.com/fxsjy/jieba, MIT licence), reimplemented step for step so that the tokens are
identical to jieba's:

1. :func:`_segment_doc`: the text is split into blocks of ``re_han_default``
   (``[\\u4E00-\\u9FD5a-zA-Z0-9+#&._%-]+``); every other character is a token of its own, except
   ``"\\r\\n"`` (``re_skip_default``), which is one token.
2. :func:`_route`: in a block, the word graph of jieba's ``get_DAG`` (every dictionary word starting
   at each position, found by walking a prefix trie) and the maximum-probability route of ``calc``:
   ``route[i] = max((log(FREQ[w]) - log(total) + route[x + 1], x))`` over the words ``w = s[i:x+1]``,
   with Python's tuple order (the larger ``x`` wins a tie) and ``log(1)`` for a position that starts
   no word.
3. :func:`_cut_dag` / :func:`_cut_dag_no_hmm`: jieba's ``__cut_DAG``: runs of single characters on
   the route are buffered; a run that is itself a dictionary word is cut into characters, any
   other run of two or more characters goes to the HMM (``__cut_DAG_NO_HMM`` when ``hmm=False``).
4. :func:`_finalseg`: ``jieba.finalseg.cut``: Han runs (``[\\u4E00-\\u9FD5]+``) are segmented by
   :func:`_viterbi` (states B, M, E, S with jieba's ``prob_start``, ``prob_trans``, ``prob_emit``,
   ``MIN_FLOAT`` for missing entries, and the same tie-breaks), the rest by :func:`_skip_split`
   (``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` and the text between its matches).

The log-probabilities are computed once in Python with :func:`math.log`, and every sum is formed
in jieba's order, without fast-math, so the floating-point comparisons are bit-identical to
jieba's. The dictionary is jieba's ``dict.txt`` plus the user words given by
:mod:`govlab.text.segment` (the same frequencies and total as its ``jieba`` backend).

Two entry points: :meth:`NumbaJieba.cut` (token strings, for ``tokens()``) and
:meth:`NumbaJieba.count` (per-document (type id, count) pairs; a token type is identified by its
trie node, or its code point for a character outside the dictionary, or a per-batch number for the
rare strings that are neither, so Python sees each distinct type once, never each token).

Speed: the prefix dictionary is a trie packed into one array (:func:`_build_trie`) so that each
step of a dictionary walk is a single memory access; the kernels that allocate nothing are
compiled without numba's reference counting (:func:`_kernel`). The kernels are compiled on first
use and cached on disk (numba's cache in ``__pycache__`` next to this file, or
``NUMBA_CACHE_DIR``: :func:`cache_dir`); importing this module compiles nothing.

Not reproduced: ``jieba.finalseg.add_force_split`` (words added to jieba with frequency 0), which
govlab never uses; :func:`build_model` refuses such words.
"""
from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numba import njit

__all__ = ["NumbaJieba", "BatchCounts", "build_model", "algorithm_hash", "cache_dir", "loaded_from_cache"]

from govlab._numba import kernel as _kernel  # njit(cache=True) without reference counting

#: jieba.finalseg.MIN_FLOAT: the log-probability of a missing emission or transition.
MIN_FLOAT = -3.14e100
#: The Han range of jieba's regular expressions (``\u4E00-\u9FD5``).
HAN_LO, HAN_HI = 0x4E00, 0x9FD5
#: Code points (ids of single characters that are not in the trie are offset by the node count).
N_CODEPOINTS = 0x110000
#: HMM states in alphabetical order, so that "the larger state wins a tie" (Python compares the
#: state letters) is "the larger index wins".
B, E, M, S = 0, 1, 2, 3
#: jieba.finalseg.PrevStatus as (state, two predecessors).
_PREV = np.array([[E, S], [B, M], [M, B], [S, E]], dtype=np.int64)
_STATE_INDEX = {"B": B, "E": E, "M": M, "S": S}


def algorithm_hash() -> str:
    """First 12 hex digits of the sha256 of this module's source (recorded with the backend version)."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def cache_dir() -> str:
    """Where numba keeps the compiled kernels (``__pycache__`` next to this file when writable,
    else numba's user cache directory; ``NUMBA_CACHE_DIR`` overrides both)."""
    return str(_segment_batch.stats.cache_path)


def loaded_from_cache() -> bool | None:
    """Whether the kernels run so far in this process were loaded from numba's disk cache (True) or
    compiled (False); ``None`` before they have run."""
    stats = [k.stats for k in (_prefix_nodes, _place, _segment_batch, _count_ids)]
    if not all(st.cache_hits or st.cache_misses for st in stats):
        return None
    return not any(st.cache_misses for st in stats)


# --------------------------------------------------------------------------------------------------
# the model, built once in Python


def _jieba_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        raise ImportError("the numba backend reads jieba's dict.txt and HMM tables; install jieba")
    return Path(spec.origin).parent


def _read_dictionary() -> tuple[dict[str, int], int]:
    """``FREQ`` (words only) and ``total`` exactly as jieba's ``gen_pfdict`` reads ``dict.txt``
    (each line stripped of ASCII whitespace, then ``word freq [tag]`` split on spaces): a repeated
    word keeps its last frequency, and every line adds to the total."""
    freq: dict[str, int] = {}
    total = 0
    text = (_jieba_dir() / "dict.txt").read_bytes().decode("utf-8")
    for line in text.split("\n"):
        line = line.strip(" \t\n\r\x0b\x0c")
        if line:
            word, f = line.split(" ", 2)[:2]
            f = int(f)
            freq[word] = f
            total += f
    return freq, total


def _hmm_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """jieba.finalseg's start, transition and emission log-probabilities as arrays (missing =
    MIN_FLOAT); emissions over the Han range only, the only characters the HMM ever sees."""
    from jieba.finalseg import emit_P, start_P, trans_P

    start = np.full(4, MIN_FLOAT)
    trans = np.full((4, 4), MIN_FLOAT)
    emit = np.full((4, HAN_HI - HAN_LO + 1), MIN_FLOAT)
    for s, p in start_P.items():
        start[_STATE_INDEX[s]] = p
    for s, row in trans_P.items():
        for t, p in row.items():
            trans[_STATE_INDEX[s], _STATE_INDEX[t]] = p
    for s, row in emit_P.items():
        for ch, p in row.items():
            c = ord(ch)
            if HAN_LO <= c <= HAN_HI:
                emit[_STATE_INDEX[s], c - HAN_LO] = p
    return start, trans, emit


def _prefix_tree(words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Number every word and every prefix of a word (jieba's prefix dictionary), from the words
    sorted by code point (:func:`_prefix_nodes`): each node's parent and last code point (node 0 is
    the empty root), and each word's node."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    cps = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.int32)
    return _prefix_nodes(cps, offsets)


def _build_trie(freq: dict[str, int], logtotal: float):
    """The prefix trie as one array of packed 64-bit slots, addressed by open hashing per node.

    Every node with children owns a region of ``2**bits >= 2 * children`` consecutive slots (the
    root: the first ``root_size`` slots, indexed directly by code point); a child sits in its
    parent's region at ``hash(code point)`` (linear probing within the region). A node's id is the
    index of its slot, which packs its code point (bits 0-20), the base of its own region (21-44),
    the region's ``bits`` (45-49, 0 = no children) and whether it is a word (bit 50), so each step
    of a walk is one dependent memory access. ``weight[slot] = log(freq) - log(total)`` for a word,
    as jieba's ``calc`` computes it (Python's ``math.log``).

    Returns
    -------
    slots, weight, root_size, parent_slot
        ``parent_slot`` (-1 under the root) spells a node back into its string.
    """
    words = sorted(freq)
    parent, cp, word_node = _prefix_tree(words)
    n = len(parent)
    n_child = np.bincount(parent[1:], minlength=n)
    bits = np.zeros(n, dtype=np.int64)
    has = n_child > 0
    bits[has] = np.ceil(np.log2(2 * n_child[has])).astype(np.int64)
    under_root = parent == 0
    under_root[0] = False
    root_size = int(cp[under_root].max()) + 1 if under_root.any() else 1
    sizes = np.where(has, 1 << bits, 0)
    sizes[0] = 0
    base = np.zeros(n, dtype=np.int64)
    base[1:] = root_size + np.cumsum(sizes)[:-1]
    total = root_size + int(sizes.sum())
    if total >= 1 << 24:  # pragma: no cover - jieba's dictionary needs 1.2 M slots
        raise ValueError(f"dictionary too large for the numba trie ({total} slots)")
    slot_of = _place(parent, cp, bits, base, total)
    f = np.array([freq[w] for w in words], dtype=np.int64)
    nodes = word_node[f > 0]
    is_word = np.zeros(n, dtype=np.int64)
    is_word[nodes] = 1
    weight = np.zeros(total, dtype=np.float64)
    weight[slot_of[nodes]] = [math.log(x) - logtotal for x in f[f > 0].tolist()]
    slots = np.full(total, -1, dtype=np.int64)
    slots[slot_of[1:]] = cp[1:] | (base[1:] << 21) | (bits[1:] << 45) | (is_word[1:] << 50)
    parent_slot = np.full(total, -1, dtype=np.int64)
    parent_slot[slot_of[1:]] = np.where(parent[1:] == 0, -1, slot_of[parent[1:]])
    return slots, weight, root_size, parent_slot


@dataclass(frozen=True, eq=False)
class NumbaJieba:
    """jieba's precise-mode segmenter as flat arrays and numba kernels.

    Build it with :func:`build_model` (cached per user-word set).

    Attributes
    ----------
    n_nodes : int
        Trie slots; type ids below ``n_nodes`` are trie nodes (their slot).
    total : int
        jieba's ``total`` (the sum of frequencies) with the user words.
    """

    n_nodes: int
    total: int
    trie: tuple
    parent_slot: np.ndarray
    fallback: float
    hmm_tables: tuple
    scratch: list = field(default_factory=lambda: [np.zeros(0, dtype=np.int64)] * 2, repr=False)

    # ---- Python-side helpers -------------------------------------------------------------------

    @staticmethod
    def _codepoints(text: str) -> np.ndarray:
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.int32)

    def node_string(self, node: int) -> str:
        """The string spelled by trie node ``node``."""
        slots, chars = self.trie[0], []
        while node >= 0:
            chars.append(chr(int(slots[node]) & 0x1FFFFF))
            node = int(self.parent_slot[node])
        return "".join(reversed(chars))

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        """Segment ``text`` exactly as ``jieba.Tokenizer.lcut(text, HMM=hmm)`` with the same words.

        Examples
        --------
        >>> build_model(()).cut("推行六步议事")
        ['推行', '六步', '议事']
        """
        if not text:
            return []
        cps = self._codepoints(text)
        ends, _, _, _, _ = _segment_batch(cps, np.array([0, len(cps)], dtype=np.int64), self.trie,
                                          self.fallback, self.hmm_tables, hmm, False)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1]
        return [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]

    @property
    def n_fixed(self) -> int:
        """Type ids below this are the same in every call: trie nodes, then ``n_nodes + code point``
        for the characters that are not trie nodes."""
        return self.n_nodes + N_CODEPOINTS

    def count(self, texts: Sequence[str], hmm: bool = True) -> BatchCounts:
        """Segment ``texts`` (as :meth:`cut`) and count each document's token types, without
        making a string per token.

        Parameters
        ----------
        texts : sequence of str
        hmm : bool

        Returns
        -------
        BatchCounts

        Examples
        --------
        >>> b = build_model(()).count(["协商议事，协商。"])
        >>> sorted((b.spell(b.types[i]), int(c)) for i, c in zip(b.index, b.counts))
        [('。', 1), ('协商', 2), ('议事', 1), ('，', 1)]
        """
        text = "".join(texts)
        cps = self._codepoints(text)
        bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=bounds[1:])
        _, tok_id, doc_ntok, new_pos, new_len = _segment_batch(cps, bounds, self.trie, self.fallback,
                                                               self.hmm_tables, hmm, True)
        lengths, index, counts, types = _count_ids(tok_id, doc_ntok, *self._scratch(self.n_fixed + len(new_pos)))
        return BatchCounts(lengths=lengths, index=index, counts=counts, types=types, model=self, text=text,
                           new_pos=new_pos, new_len=new_len)

    def _scratch(self, size: int) -> list[np.ndarray]:
        """Two zero int64 arrays of at least ``size`` (kept zero by :func:`_count_ids`), allocated
        once per process and grown when needed, so that a batch does not zero ~40 MB again. The
        kernels hold the GIL, so two threads never share them."""
        if self.scratch[0].shape[0] < size:
            self.scratch[:] = [np.zeros(size + (1 << 16), dtype=np.int64) for _ in range(2)]
        return self.scratch


@dataclass(frozen=True, eq=False)
class BatchCounts:
    """Token-type counts of a batch of documents (:meth:`NumbaJieba.count`).

    Attributes
    ----------
    lengths : numpy.ndarray
        Number of (type, count) pairs of each document.
    index, counts : numpy.ndarray
        The documents' pairs, concatenated, in first-seen order within a document: the position of
        the type in ``types``, and its count.
    types : numpy.ndarray
        The batch's distinct type ids (see :meth:`spell`), in first-seen order.
    """

    lengths: np.ndarray
    index: np.ndarray
    counts: np.ndarray
    types: np.ndarray
    model: NumbaJieba
    text: str
    new_pos: np.ndarray
    new_len: np.ndarray

    def spell(self, i: int) -> str:
        """The string of type id ``i``: below ``model.n_fixed`` the same in every batch (a trie
        node, or a character), above it one of this batch's other types (the HMM's new words,
        Latin runs it splits off)."""
        m = self.model
        if i < m.n_nodes:
            return m.node_string(i)
        if i < m.n_fixed:
            return chr(i - m.n_nodes)
        p = int(self.new_pos[i - m.n_fixed])
        return self.text[p:p + int(self.new_len[i - m.n_fixed])]


@functools.lru_cache(maxsize=8)
def build_model(user_words: tuple[tuple[str, int], ...]) -> NumbaJieba:
    """The segmenter for jieba's dictionary with ``user_words`` added as jieba's ``add_word`` would
    (a word's frequency replaced; the total updated by the difference, as govlab's jieba backend
    does).

    Parameters
    ----------
    user_words : tuple of (word, frequency)
        Frequencies must be positive (jieba's frequency 0, "always split", is not reproduced).

    Returns
    -------
    NumbaJieba

    Raises
    ------
    ValueError
        For an empty word or a frequency below 1.
    """
    freq, total = _read_dictionary()
    for word, f in user_words:
        if not word or int(f) < 1:
            raise ValueError(f"user word {word!r}: expected a non-empty word with a frequency >= 1, got {f!r}")
        total += int(f) - freq.get(word, 0)
        freq[word] = int(f)
    logtotal = math.log(total)
    slots, weight, root_size, parent_slot = _build_trie(freq, logtotal)
    return NumbaJieba(n_nodes=len(slots), total=total, trie=(slots, weight, root_size),
                      parent_slot=parent_slot, fallback=math.log(1) - logtotal, hmm_tables=_hmm_tables())


# --------------------------------------------------------------------------------------------------
# numba kernels: one function per step of jieba's algorithm


@_kernel
def _in_block(c):
    """``re_han_default``: Han U+4E00-U+9FD5, ASCII letters and digits, ``+#&._%-``."""
    if HAN_LO <= c <= HAN_HI:
        return True
    if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39:
        return True
    return c == 0x2B or c == 0x23 or c == 0x26 or c == 0x2E or c == 0x5F or c == 0x25 or c == 0x2D


@_kernel
def _is_alnum(c):
    """``[a-zA-Z0-9]`` (jieba's ``re_eng``)."""
    return 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39


@njit(cache=True)
def _prefix_nodes(cps, offsets):
    """Nodes of the prefix trie of the sorted words ``cps[offsets[i]:offsets[i+1]]``: a word adds a
    node for each of its prefixes longer than the prefix it shares with the previous word."""
    n_words = offsets.shape[0] - 1
    parent = np.empty(cps.shape[0] + 1, dtype=np.int64)
    cp = np.empty(cps.shape[0] + 1, dtype=np.int64)
    word_node = np.empty(n_words, dtype=np.int64)
    parent[0] = 0
    cp[0] = 0
    path = np.zeros(cps.shape[0] + 1, dtype=np.int64)  # path[d]: node of the current prefix of length d
    n = 1
    prev_s, prev_e = 0, 0
    for w in range(n_words):
        s, e = offsets[w], offsets[w + 1]
        common = 0
        while common < e - s and common < prev_e - prev_s and cps[s + common] == cps[prev_s + common]:
            common += 1
        for d in range(common + 1, e - s + 1):
            parent[n] = path[d - 1]
            cp[n] = cps[s + d - 1]
            path[d] = n
            n += 1
        word_node[w] = path[e - s]
        prev_s, prev_e = s, e
    return parent[:n], cp[:n], word_node


@njit(cache=True)
def _place(parent, cp, bits, base, total):
    """Slot of every node: in its parent's region at the hash of its code point (linear probing);
    a child of the root at its code point."""
    taken = np.zeros(total, dtype=np.bool_)
    slot_of = np.full(parent.shape[0], -1, dtype=np.int64)
    for node in range(1, parent.shape[0]):
        p = parent[node]
        if p == 0:
            k = cp[node]
        else:
            mask = (1 << bits[p]) - 1
            h = _region_hash(cp[node], bits[p])
            while taken[base[p] + h]:
                h = (h + 1) & mask
            k = base[p] + h
        taken[k] = True
        slot_of[node] = k
    return slot_of


@_kernel
def _region_hash(c, bits):
    """Fibonacci hashing of a code point into ``2**bits`` slots."""
    return ((c * 0x9E3779B1) & 0xFFFFFFFF) >> (32 - bits)


@_kernel
def _root_step(slots, root_size, c):
    """The node (slot) of the one-character string ``c``, or -1."""
    if c < root_size and slots[c] >= 0:
        return c
    return -1


@_kernel
def _step(slots, node, c):
    """The child of ``node`` (a slot) for code point ``c``, or -1."""
    v = slots[node]
    bits = (v >> 45) & 31
    if bits == 0:
        return -1
    base = (v >> 21) & 0xFFFFFF
    mask = (1 << bits) - 1
    h = _region_hash(c, bits)
    while True:
        w = slots[base + h]
        if w < 0:
            return -1
        if (w & 0x1FFFFF) == c:
            return base + h
        h = (h + 1) & mask


@_kernel
def _is_word(slots, node):
    """Whether trie node ``node`` is a dictionary word (frequency > 0), not only a prefix."""
    return (slots[node] >> 50) & 1 == 1


@_kernel
def _walk(slots, root_size, cps, s, e):
    """The trie node spelling ``cps[s:e]``, or -1."""
    node = _root_step(slots, root_size, cps[s])
    for i in range(s + 1, e):
        if node < 0:
            return -1
        node = _step(slots, node, cps[i])
    return node


@_kernel
def _emit(ends, nodes, st, end, node):
    """Append a token: its end and its trie node (-1 when not known yet)."""
    k = st[0]
    ends[k] = end
    nodes[k] = node
    st[0] = k + 1


@_kernel
def _route(cps, p, q, trie, fallback, route_val, route_x, route_node):
    """jieba's ``get_DAG`` + ``calc`` on the block ``cps[p:q]``: for each position (from the end) the
    best last index ``route_x`` of the word starting there, its node and the route's log-probability."""
    slots, weight, root_size = trie
    n = q - p
    route_val[n] = 0.0
    for idx in range(n - 1, -1, -1):
        best = 0.0
        best_x = -1
        best_node = -1
        node = _root_step(slots, root_size, cps[p + idx])
        first = node
        i = idx
        while node >= 0:
            if _is_word(slots, node):
                cand = weight[node] + route_val[i + 1]
                if best_x < 0 or cand >= best:  # tuple order: the larger x wins a tie
                    best = cand
                    best_x = i
                    best_node = node
            i += 1
            if i >= n:
                break
            node = _step(slots, node, cps[p + i])
        if best_x < 0:  # no word starts here: the character alone, log(1) - log(total)
            best = fallback + route_val[idx + 1]
            best_x = idx
            best_node = first
        route_val[idx] = best
        route_x[idx] = best_x
        route_node[idx] = best_node


@_kernel
def _viterbi(cps, s, e, hmm_tables, v_prev, v_cur, back, path):
    """``jieba.finalseg.viterbi`` on the Han run ``cps[s:e]``; writes the best state sequence into
    ``path[0:e-s]``."""
    start, trans, emit = hmm_tables
    n = e - s
    c = cps[s] - HAN_LO
    for y in range(4):
        v_prev[y] = start[y] + emit[y, c]
    for t in range(1, n):
        c = cps[s + t] - HAN_LO
        for y in range(4):
            em = emit[y, c]
            a = _PREV[y, 0]
            b = _PREV[y, 1]
            pa = v_prev[a] + trans[a, y] + em
            pb = v_prev[b] + trans[b, y] + em
            if pa > pb or (pa == pb and a > b):  # tuple order: the larger state wins a tie
                v_cur[y] = pa
                back[t, y] = a
            else:
                v_cur[y] = pb
                back[t, y] = b
        for y in range(4):
            v_prev[y] = v_cur[y]
    state = S if v_prev[S] >= v_prev[E] else E  # max((prob, state) for state in "ES")
    path[n - 1] = state
    for t in range(n - 1, 0, -1):
        state = back[t, state]
        path[t - 1] = state


@_kernel
def _hmm_cut(cps, s, e, hmm_tables, work, out):
    """``jieba.finalseg.__cut``: words from the Viterbi states (B..E, S; a trailing run to the end).
    jieba's ``PrevStatus`` lets no word start after the previous one's end, so recording each
    word's end is enough (its start is the previous end)."""
    ends, nodes, st = out
    v_prev, v_cur, back, path = work
    _viterbi(cps, s, e, hmm_tables, v_prev, v_cur, back, path)
    n = e - s
    nexti = 0
    begin = 0
    for i in range(n):
        pos = path[i]
        if pos == B:
            begin = i
        elif pos == E:
            _emit(ends, nodes, st, s + i + 1, -1)  # the word s + begin .. s + i
            nexti = i + 1
        elif pos == S:
            _emit(ends, nodes, st, s + i + 1, -1)
            nexti = i + 1
    if nexti < n:
        _emit(ends, nodes, st, e, -1)


@_kernel
def _skip_split(cps, s, e, out):
    """``re.split("([a-zA-Z0-9]+(?:\\.\\d+)?%?)", ...)`` on a non-Han run of the HMM's input:
    the matches and the non-empty text between them."""
    ends, nodes, st = out
    gap = s
    k = s
    while k < e:
        if _is_alnum(cps[k]):
            m = k + 1
            while m < e and _is_alnum(cps[m]):
                m += 1
            if m + 1 < e and cps[m] == 0x2E and 0x30 <= cps[m + 1] <= 0x39:
                m += 2
                while m < e and 0x30 <= cps[m] <= 0x39:
                    m += 1
            if m < e and cps[m] == 0x25:
                m += 1
            if gap < k:
                _emit(ends, nodes, st, k, -1)
            _emit(ends, nodes, st, m, -1)
            k = m
            gap = m
        else:
            k += 1
    if gap < e:
        _emit(ends, nodes, st, e, -1)


@_kernel
def _finalseg(cps, s, e, hmm_tables, work, out):
    """``jieba.finalseg.cut``: Han runs ``[\\u4E00-\\u9FD5]+`` by the HMM, the rest by :func:`_skip_split`."""
    i = s
    while i < e:
        han = HAN_LO <= cps[i] <= HAN_HI
        j = i + 1
        while j < e and (HAN_LO <= cps[j] <= HAN_HI) == han:
            j += 1
        if han:
            _hmm_cut(cps, i, j, hmm_tables, work, out)
        else:
            _skip_split(cps, i, j, out)
        i = j


@_kernel
def _flush_buffer(cps, s, e, trie, hmm_tables, work, out):
    """The end of a run of single characters in ``__cut_DAG``: one character as it is; a run that is
    a dictionary word as single characters; any other run through the HMM."""
    ends, nodes, st = out
    if e - s == 1:
        _emit(ends, nodes, st, e, -1)
        return
    slots, root_size = trie[0], trie[2]
    node = _walk(slots, root_size, cps, s, e)
    if node >= 0 and _is_word(slots, node):
        for i in range(s, e):
            _emit(ends, nodes, st, i + 1, -1)
    else:
        _finalseg(cps, s, e, hmm_tables, work, out)


@_kernel
def _cut_dag(cps, p, q, route_x, route_node, trie, hmm_tables, work, out):
    """jieba's ``__cut_DAG`` on the block ``cps[p:q]`` whose route is computed."""
    ends, nodes, st = out
    n = q - p
    x = 0
    buf = -1  # start of the buffered run of single characters, -1 when empty
    while x < n:
        y = route_x[x] + 1
        if y - x == 1:
            if buf < 0:
                buf = x
        else:
            if buf >= 0:
                _flush_buffer(cps, p + buf, p + x, trie, hmm_tables, work, out)
                buf = -1
            _emit(ends, nodes, st, p + y, route_node[x])
        x = y
    if buf >= 0:
        _flush_buffer(cps, p + buf, p + n, trie, hmm_tables, work, out)


@_kernel
def _cut_dag_no_hmm(cps, p, q, route_x, route_node, out):
    """jieba's ``__cut_DAG_NO_HMM``: the route's words, with runs of single ASCII letters/digits joined."""
    ends, nodes, st = out
    n = q - p
    x = 0
    buf = -1
    while x < n:
        y = route_x[x] + 1
        if y - x == 1 and _is_alnum(cps[p + x]):
            if buf < 0:
                buf = x
        else:
            if buf >= 0:
                _emit(ends, nodes, st, p + x, -1)
                buf = -1
            _emit(ends, nodes, st, p + y, route_node[x])
        x = y
    if buf >= 0:
        _emit(ends, nodes, st, p + n, -1)


@_kernel
def _segment_doc(cps, s, e, trie, fallback, hmm_tables, use_hmm, route, work, out):
    """``Tokenizer.cut`` on one document ``cps[s:e]``: blocks of ``re_han_default`` through the word
    graph; outside them every character alone, ``"\\r\\n"`` as one token."""
    ends, nodes, st = out
    route_val, route_x, route_node = route
    p = s
    while p < e:
        if _in_block(cps[p]):
            q = p + 1
            while q < e and _in_block(cps[q]):
                q += 1
            _route(cps, p, q, trie, fallback, route_val, route_x, route_node)
            if use_hmm:
                _cut_dag(cps, p, q, route_x, route_node, trie, hmm_tables, work, out)
            else:
                _cut_dag_no_hmm(cps, p, q, route_x, route_node, out)
            p = q
        else:
            q = p + 2 if (cps[p] == 0x0D and p + 1 < e and cps[p + 1] == 0x0A) else p + 1
            _emit(ends, nodes, st, q, -1)
            p = q


@_kernel
def _hash(cps, s, e):
    """A hash of the code points ``cps[s:e]`` (for the table of :func:`_new_type`)."""
    h = 0
    for i in range(s, e):
        h = ((h * 1000003) ^ cps[i]) & 0xFFFFFFFFFF
    return (h ^ (h >> 20)) * 40503


@_kernel
def _new_type(cps, s, e, types):
    """Id (0, 1, ...) of the string ``cps[s:e]`` among this call's types that are not trie nodes
    (open addressing on the string's code points); inserted on first sight."""
    slots, new_pos, new_len, count = types
    mask = slots.shape[0] - 1
    k = _hash(cps, s, e) & mask
    n = e - s
    while True:
        j = slots[k]
        if j < 0:
            j = count[0]
            slots[k] = j
            new_pos[j] = s
            new_len[j] = n
            count[0] = j + 1
            return j
        if new_len[j] == n:
            p = new_pos[j]
            same = True
            for i in range(n):
                if cps[p + i] != cps[s + i]:
                    same = False
                    break
            if same:
                return j
        k = (k + 1) & mask


@njit(cache=True)
def _grow_types(cps, types, room):
    """The new-type table, rehashed into a larger one if fewer than ``room`` insertions would keep
    it at most half full."""
    slots, new_pos, new_len, count = types
    cap = slots.shape[0]
    if 2 * (count[0] + room) <= cap:
        return types
    while 2 * (count[0] + room) > cap:
        cap *= 2
    slots = np.full(cap, -1, dtype=np.int64)
    pos2 = np.empty(cap // 2, dtype=np.int64)
    len2 = np.empty(cap // 2, dtype=np.int64)
    pos2[:count[0]] = new_pos[:count[0]]
    len2[:count[0]] = new_len[:count[0]]
    mask = cap - 1
    for j in range(count[0]):
        k = _hash(cps, pos2[j], pos2[j] + len2[j]) & mask
        while slots[k] >= 0:
            k = (k + 1) & mask
        slots[k] = j
    return slots, pos2, len2, count


@_kernel
def _type_ids(cps, s, ends, nodes, first, last, trie, types):
    """Type ids of the tokens ``first .. last - 1`` (the text from ``s``): the trie node if the token
    is one, else ``n_nodes + code point`` for a character, else ``n_nodes + N_CODEPOINTS + k`` for
    the call's k-th other string. Written over ``nodes``."""
    slots, root_size = trie[0], trie[2]
    n_nodes = slots.shape[0]
    for k in range(first, last):
        e = ends[k]
        node = nodes[k]
        if node < 0:
            node = _walk(slots, root_size, cps, s, e)
            if node < 0:
                node = n_nodes + cps[s] if e - s == 1 else n_nodes + N_CODEPOINTS + _new_type(cps, s, e, types)
            nodes[k] = node
        s = e


@njit(cache=True)
def _segment_batch(cps, bounds, trie, fallback, hmm_tables, use_hmm, want_ids):
    """Segment the documents ``cps[bounds[d]:bounds[d+1]]``.

    Returns the end of every token, its type id (its trie node or -1 unless ``want_ids``), each
    document's token count and the first occurrence (position, length) of each type of the call
    that is neither a trie node nor one character.
    """
    n_docs = bounds.shape[0] - 1
    n = cps.shape[0]
    longest = 1
    for d in range(n_docs):
        longest = max(longest, bounds[d + 1] - bounds[d])
    out = (np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.zeros(1, dtype=np.int64))
    doc_ntok = np.zeros(n_docs, dtype=np.int64)
    route = (np.empty(longest + 1, dtype=np.float64), np.empty(longest + 1, dtype=np.int64),
             np.empty(longest + 1, dtype=np.int64))
    work = (np.empty(4, dtype=np.float64), np.empty(4, dtype=np.float64),
            np.zeros((longest, 4), dtype=np.int64), np.empty(longest, dtype=np.int64))
    types = (np.full(1 << 12, -1, dtype=np.int64), np.empty(1 << 11, dtype=np.int64),
             np.empty(1 << 11, dtype=np.int64), np.zeros(1, dtype=np.int64))
    st = out[2]
    for d in range(n_docs):
        s, e = bounds[d], bounds[d + 1]
        first = st[0]
        _segment_doc(cps, s, e, trie, fallback, hmm_tables, use_hmm, route, work, out)
        doc_ntok[d] = st[0] - first
        if want_ids:
            types = _grow_types(cps, types, (e - s + 1) // 2)
            _type_ids(cps, s, out[0], out[1], first, st[0], trie, types)
    k = st[0]
    m = types[3][0]
    return out[0][:k], out[1][:k], doc_ntok, types[1][:m], types[2][:m]


@njit(cache=True)
def _count_ids(tok_id, doc_ntok, counts, local):
    """Per-document (type, count) pairs of a token-id sequence.

    ``counts`` and ``local`` are zero scratch arrays covering every id, left zero on return. Returns
    each document's number of pairs, the pairs as (index into ``types``, count), and ``types``: the
    batch's distinct ids in first-seen order.
    """
    n = tok_id.shape[0]
    pair_type = np.empty(n, dtype=np.int64)
    pair_cnt = np.empty(n, dtype=np.int64)
    lengths = np.zeros(doc_ntok.shape[0], dtype=np.int64)
    types = np.empty(n, dtype=np.int64)
    n_types = 0
    n_pairs = 0
    k = 0
    for d in range(doc_ntok.shape[0]):
        first = n_pairs
        for _ in range(doc_ntok[d]):
            t = tok_id[k]
            k += 1
            if counts[t] == 0:
                if local[t] == 0:  # first time in the batch
                    types[n_types] = t
                    n_types += 1
                    local[t] = n_types
                pair_type[n_pairs] = t
                n_pairs += 1
            counts[t] += 1
        for j in range(first, n_pairs):
            t = pair_type[j]
            pair_cnt[j] = counts[t]
            counts[t] = 0
            pair_type[j] = local[t] - 1
        lengths[d] = n_pairs - first
    for j in range(n_types):
        local[types[j]] = 0
    return lengths, pair_type[:n_pairs], pair_cnt[:n_pairs], types[:n_types]
