"""Offset bookkeeping for cleaning: apply edits to a text while remembering where every character
came from in the raw decoded text.

Each character of the current text carries a half-open span ``[lo, hi)`` of raw offsets. A character
copied from the raw text has ``hi == lo + 1``; a character that replaced a block (a ``"\\n"`` put in
place of an HTML tag, a ``"/"`` in place of the JavaScript escape ``"\\/"``) carries the whole block's
span. Removing current characters ``[s, e)`` therefore removed raw characters ``[lo[s], hi[e-1])``
(together with anything earlier steps had already removed inside that range).
"""
from __future__ import annotations

from typing import Iterable, Mapping, NamedTuple

import numpy as np


class Edit(NamedTuple):
    """Replace ``text[start:end]`` by ``repl`` (``""`` removes), for the reason ``rule``."""

    start: int
    end: int
    repl: str
    rule: str


class TrackedText:
    """A text being cleaned, with a map from its characters back to raw offsets, and the log."""

    __slots__ = ("text", "lo", "hi", "rows")

    def __init__(self, text: str):
        self.text = text
        self.lo = np.arange(len(text), dtype=np.int64)
        self.hi = self.lo + 1
        # log rows: (step, rule, raw_start, raw_end, replaced_by)
        self.rows: list[tuple[str, str, int, int, int]] = []

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
        edits = sorted(edits, key=lambda e: (e.start, e.end))
        if not edits:
            return 0
        text, lo, hi = self.text, self.lo, self.hi
        n_text = len(text)
        parts: list[str] = []
        keep = np.ones(n_text, dtype=bool)
        ins_pos: list[int] = []  # old-text position of each inserted character
        ins_lo: list[int] = []
        ins_hi: list[int] = []
        prev = 0
        n = 0
        rows = self.rows
        lookup = step if not isinstance(step, str) else None
        for s, e, r, rule in edits:
            if s < prev or (e == s and not r):
                continue
            lr = len(r)
            if lr == e - s and text[s:e] == r:
                continue
            if s > prev:
                parts.append(text[prev:s])
            if e > s:
                rs, re_ = int(lo[s]), int(hi[e - 1])
            else:
                rs = re_ = (int(lo[s]) if s < n_text else (int(hi[-1]) if n_text else 0))
            rows.append((lookup.get(rule, "chrome") if lookup is not None else step, rule, rs, re_, lr))
            if r:
                parts.append(r)
            if lr and lr < e - s and text[s:s + lr] == r:  # prefix kept: drop the rest
                keep[s + lr:e] = False
            elif lr and lr < e - s and text[e - lr:e] == r:  # suffix kept
                keep[s:e - lr] = False
            else:
                keep[s:e] = False
                if lr:
                    ins_pos.extend([s] * lr)
                    ins_lo.extend([rs] * lr)
                    ins_hi.extend([re_] * lr)
            prev = e
            n += 1
        if not n:
            return 0
        parts.append(text[prev:])
        self.text = "".join(parts)
        if ins_pos:
            before = np.concatenate(([0], np.cumsum(keep)))  # kept characters before each position
            idx = before[np.asarray(ins_pos, dtype=np.int64)]
            self.lo = np.insert(lo[keep], idx, np.asarray(ins_lo, dtype=np.int64))
            self.hi = np.insert(hi[keep], idx, np.asarray(ins_hi, dtype=np.int64))
        else:
            self.lo = lo[keep]
            self.hi = hi[keep]
        return n

    def substitute(self, new_text: str) -> int:
        """Replace the text by one of the same length (character-for-character substitution, such as
        traditional-to-simplified conversion); offsets are unchanged and nothing is logged. Returns the
        number of characters that changed."""
        if len(new_text) != len(self.text):  # pragma: no cover - guarded by callers
            raise ValueError("substitute() needs a text of the same length")
        if new_text == self.text:
            return 0
        a = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
        b = np.frombuffer(new_text.encode("utf-32-le"), dtype=np.uint32)
        changed = int(np.count_nonzero(a != b))
        self.text = new_text
        return changed
