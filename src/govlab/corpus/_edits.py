"""Offset bookkeeping for cleaning: apply edits to a text while remembering where every character
came from in the raw decoded text.

Each character of the current text carries a half-open span ``[lo, hi)`` of raw offsets. A character
copied from the raw text has ``hi == lo + 1``; a character that replaced a block (a ``"\\n"`` put in
place of an HTML tag, a ``"/"`` in place of the JavaScript escape ``"\\/"``) carries the whole block's
span. Removing current characters ``[s, e)`` therefore removed raw characters ``[lo[s], hi[e-1])``
(together with anything earlier steps had already removed inside that range).
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, NamedTuple

import numpy as np


class Edit(NamedTuple):
    """Replace ``text[start:end]`` by ``repl`` (``""`` removes), for the reason ``rule``."""

    start: int
    end: int
    repl: str
    rule: str


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _expand(S: np.ndarray, E: np.ndarray) -> np.ndarray:
    """The positions ``S[0]..E[0]-1, S[1]..E[1]-1, ...`` as one array (no Python loop)."""
    lens = E - S
    total = int(lens.sum())
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(lens) - lens
    return np.arange(total, dtype=np.int64) + np.repeat(S - first, lens)


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


class Removals(NamedTuple):
    """Many removals at once: ``text[starts[i]:ends[i]]`` goes for the reason ``rules[i]`` (or
    ``rules`` when it is one string). Applied without a Python loop per removal."""

    starts: np.ndarray
    ends: np.ndarray
    rules: object


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

    def __init__(self, text: str, flag_fn: Callable[[str], np.ndarray] | None = None):
        self.text = text
        self.lo = np.arange(len(text), dtype=np.int64)
        self.hi = self.lo + 1
        # log rows: (step, rule, raw_start, raw_end, replaced_by, dropped_chars)
        self.rows: list[tuple[str, str, int, int, int, int]] = []
        # optional per-character class flags (a uint8 array kept in step with the text)
        self._flag_fn = flag_fn
        # code points (uint32) and class flags, kept in step with the text when a flag function is given
        self.codes = _codes(text) if flag_fn is not None else None
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
        edits = sorted(edits)
        if not edits:
            return 0
        if len(edits) >= 8:  # many edits: as arrays
            s_l, e_l, r_l, rule_l = zip(*edits)
            S = np.fromiter(s_l, np.int64, len(s_l))
            E = np.fromiter(e_l, np.int64, len(e_l))
            if len(edits) > 16 and not any(r_l):
                return self._remove(step, S, E, list(rule_l))
            touch = np.flatnonzero((S[1:] == E[:-1]) & (E[1:] > S[1:]) & (E[:-1] > S[:-1])).tolist()
            if any(rule_l[j] == rule_l[j + 1] for j in touch):
                edits = _merge(edits)
                s_l, e_l, r_l, rule_l = zip(*edits)
                S = np.fromiter(s_l, np.int64, len(s_l))
                E = np.fromiter(e_l, np.int64, len(e_l))
            if self.codes is not None and not (S[1:] < E[:-1]).any():
                return self._apply_many(step, S, E, s_l, e_l, r_l, rule_l)
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
            keep = np.ones(n_text, dtype=bool)
            keep[_expand(DS, DE)] = False
        else:
            keep = None
        flags = self.flags
        if ins_pos:
            ie = np.asarray(ins_edit, dtype=np.int64)
            ins_lo = rs[ie]
            ins_hi = re_[ie]
            ip = np.asarray(ins_pos, dtype=np.int64)
            if keep is not None:  # kept characters before each position
                cum = np.concatenate(([0], np.cumsum(DE - DS)))
                idx = ip - cum[np.searchsorted(DS, ip, side="left")]
                lo_k, hi_k = lo[keep], hi[keep]
            else:
                idx = ip
                lo_k, hi_k = lo, hi
            self.lo = np.insert(lo_k, idx, ins_lo)
            self.hi = np.insert(hi_k, idx, ins_hi)
            if flags is not None:
                ins_codes = _codes("".join(ins_text))
                codes = self.codes
                if keep is not None:
                    codes, flags = codes[keep], flags[keep]
                self.codes = np.insert(codes, idx, ins_codes)
                self.flags = np.insert(flags, idx, self._flag_fn(ins_codes))
        elif keep is not None:
            self.lo = lo[keep]
            self.hi = hi[keep]
            if flags is not None:
                self.codes = self.codes[keep]
                self.flags = flags[keep]
        return n

    def _apply_many(self, step, S, E, s_l, e_l, r_l, rule_l) -> int:
        """:meth:`apply` for many sorted, merged edits of which none overlaps the next (given as
        arrays and lists of starts, ends, replacements and rules), without a Python loop per edit."""
        k = len(S)
        L = np.fromiter(map(len, r_l), np.int64, k)
        text, lo, hi, codes = self.text, self.lo, self.hi, self.codes
        n_text = len(text)
        span = E - S
        valid = (span > 0) | (L > 0)  # an empty edit inserting nothing does nothing
        for j in np.flatnonzero(valid & (L == span)).tolist():  # nor one replacing a text by itself
            if text[s_l[j]:e_l[j]] == r_l[j]:
                valid[j] = False
        if not valid.all():
            sel = np.flatnonzero(valid)
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
        one = np.flatnonzero(part & (L == 1))
        if len(one):
            c = np.array([ord(r_l[j]) for j in one.tolist()], dtype=np.uint32)
            pre = codes[S[one]] == c
            prefix[one] = pre
            suffix[one] = ~pre & (codes[E[one] - 1] == c)
        for j in np.flatnonzero(part & (L > 1)).tolist():
            r, s_, e_ = r_l[j], s_l[j], e_l[j]
            if text[s_:s_ + len(r)] == r:
                prefix[j] = True
            elif text[e_ - len(r):e_] == r:
                suffix[j] = True
        kept = prefix | suffix
        # raw spans of all edits at once
        nonempty = E > S
        if n_text:
            Sc = np.minimum(S, n_text - 1)
            rs = np.where(nonempty, lo[Sc], np.where(S < n_text, lo[Sc], hi[-1]))
            re_ = np.where(nonempty, hi[np.maximum(E - 1, 0)], rs)
        else:
            rs = re_ = np.zeros(n, dtype=np.int64)
        steps = [step.get(r, "chrome") for r in rule_l] if not isinstance(step, str) else [step] * n
        dropped = self._one_for_one(S, E)  # raw characters still copied one-for-one
        if kept.any():  # a kept prefix or suffix is not dropped
            dropped = np.where(kept, np.maximum(dropped - L, 0), dropped)
        self.rows.extend(zip(steps, rule_l, rs.tolist(), re_.tolist(), L.tolist(), dropped.tolist()))
        gaps = [text[a:b] for a, b in zip((0,) + tuple(e_l[:-1]), s_l)]
        self.text = "".join([x for pair in zip(gaps, r_l) for x in pair]) + text[e_l[-1]:]
        # the characters that go, and those inserted (replacements that keep nothing)
        DS = np.where(prefix, S + L, S)
        DE = np.where(suffix, E - L, E)
        has_drop = DE > DS
        if not has_drop.all():
            DS, DE = DS[has_drop], DE[has_drop]
        keep = None
        if len(DS):
            keep = np.ones(n_text, dtype=bool)
            keep[_expand(DS, DE)] = False
        ins = ~kept & (L > 0)
        flags = self.flags
        if ins.any():
            ins_j = np.flatnonzero(ins)
            counts = L[ins_j]
            ie = np.repeat(ins_j, counts)
            ip = np.repeat(S[ins_j], counts)
            ins_lo = rs[ie]
            ins_hi = re_[ie]
            if keep is not None:  # kept characters before each position
                cum = np.concatenate(([0], np.cumsum(DE - DS)))
                idx = ip - cum[np.searchsorted(DS, ip, side="left")]
                lo_k, hi_k = lo[keep], hi[keep]
                codes_k = codes[keep]
                flags_k = flags[keep] if flags is not None else None
            else:
                idx = ip
                lo_k, hi_k, codes_k, flags_k = lo, hi, codes, flags
            self.lo = np.insert(lo_k, idx, ins_lo)
            self.hi = np.insert(hi_k, idx, ins_hi)
            ins_codes = _codes("".join([r_l[j] for j in ins_j.tolist()]))
            self.codes = np.insert(codes_k, idx, ins_codes)
            if flags is not None:
                self.flags = np.insert(flags_k, idx, self._flag_fn(ins_codes))
        elif keep is not None:
            self.lo = lo[keep]
            self.hi = hi[keep]
            self.codes = codes[keep]
            if flags is not None:
                self.flags = flags[keep]
        return n

    def _one_for_one(self, S: np.ndarray, E: np.ndarray) -> np.ndarray:
        """How many characters of each range ``[S[i], E[i])`` (sorted, disjoint) are still copied
        one-for-one from the raw text (``hi - lo == 1``)."""
        lens = E - S
        idx = _expand(S, E)
        if not len(idx):
            return lens
        other = idx[(self.hi[idx] - self.lo[idx]) != 1]
        if not len(other):
            return lens
        return lens - (np.searchsorted(other, E) - np.searchsorted(other, S))

    def _remove(self, step, S: np.ndarray, E: np.ndarray, rules) -> int:
        """Vectorised removal of ranges (the common case: most edits only remove)."""
        if not len(S):
            return 0
        one_rule = isinstance(rules, str)
        R = None if one_rule else np.asarray(rules, dtype=object)
        if len(S) > 1:
            order = np.lexsort((E, S))
            S, E = S[order], E[order]
            if R is not None:
                R = R[order]
        ok = E > S
        if len(S) > 1:  # drop an edit overlapping an earlier one
            prev_end = np.maximum.accumulate(np.concatenate(([-1], E[:-1])))
            ok &= S >= prev_end
        if not ok.all():
            S, E = S[ok], E[ok]
            if R is not None:
                R = R[ok]
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
        Sl, El = S.tolist(), E.tolist()
        self.text = "".join([text[a:b] for a, b in zip([0] + El, Sl + [n_text])])
        idx = _expand(S, E)  # the removed characters, in order
        keep = np.ones(n_text, dtype=bool)
        keep[idx] = False
        # split each removed range where its characters are not contiguous in the raw text (earlier
        # steps removed something in between), so that every row is exactly the raw text removed here
        if len(idx) > 1:
            a, b = idx[:-1], idx[1:]
            cut = b[(b == a + 1) & (hi[a] != lo[b])]
            if len(cut):
                pos = np.searchsorted(S, cut)
                cut = cut[(pos >= k) | (S[np.minimum(pos, k - 1)] != cut)]  # not at the start of a range
                if len(cut):
                    seg_s = np.sort(np.concatenate((S, cut)))
                    owner = np.searchsorted(S, seg_s, side="right") - 1
                    ends_all = np.sort(np.concatenate((E, cut)))
                    S, E = seg_s, ends_all
                    if R is not None:
                        R = R[owner]
                    k = len(S)
        rs = lo[S].tolist()
        re_ = hi[E - 1].tolist()
        dropped = self._one_for_one(S, E).tolist()
        rule_list = [rules] * k if one_rule else R.tolist()
        if isinstance(step, str):
            steps = [step] * k
        else:
            steps = [step.get(r, "chrome") for r in rule_list]
        self.rows.extend(zip(steps, rule_list, rs, re_, [0] * k, dropped))
        self.lo = lo[keep]
        self.hi = hi[keep]
        if self.flags is not None:
            self.flags = self.flags[keep]
            self.codes = self.codes[keep]
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
        diff = np.flatnonzero(a != b)
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
