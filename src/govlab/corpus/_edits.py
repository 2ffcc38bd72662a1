"""Offset bookkeeping for cleaning: apply edits to a text while remembering where every character
came from in the raw decoded text.

Each character of the current text carries a half-open span ``[lo, hi)`` of raw offsets. A character
copied from the raw text has ``hi == lo + 1``; a character that replaced a block (a ``"\\n"`` put in
place of an HTML tag, a ``"/"`` in place of the JavaScript escape ``"\\/"``) carries the whole block's
span. Removing current characters ``[s, e)`` therefore removed raw characters ``[lo[s], hi[e-1])``
(together with anything earlier steps had already removed inside that range).
"""
from __future__ import annotations

import operator
from itertools import repeat
from operator import itemgetter
from typing import Callable, Iterable, Mapping, NamedTuple

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


def _text(codes: np.ndarray) -> str:
    """The text of an array of code points (the inverse of :func:`_codes`)."""
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


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
        if len(edits) >= 8:  # many edits: as arrays
            s_l, e_l, r_l, rule_l = zip(*edits)
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
        """:meth:`substitute` given the new text's code points."""
        return self.substitute(new_codes.tobytes().decode("utf-32-le", "surrogatepass"))
