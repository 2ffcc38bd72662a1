"""The offset map of the cleaning: apply edits to a text while remembering where every character
came from in the raw decoded text, and log each edit in raw offsets.

Each character of the current text carries a half-open span ``[lo, hi)`` of raw offsets (two
``array('q')`` columns). A character copied from the raw text has ``hi == lo + 1``; a character
that replaced a block (a ``"\\n"`` put in place of an HTML tag, a ``"/"`` in place of the JavaScript
escape ``"\\/"``) carries the whole block's span. Removing current characters ``[s, e)`` therefore
removed raw characters ``[lo[s], hi[e-1])``.

Examples
--------
>>> t = TrackedText("a<br>b")
>>> t.apply("html", [(1, 5, "\\n", "html_tag")])
1
>>> t.text, t.rows, t.parts
('a\\nb', [('html', 'html_tag', 1, 5, 1, 4)], [((1, 5, 4, '\\n'),)])
>>> t.apply("layout", [(1, 2, "", "blank_lines")])  # the line break stood for the tag: drops 0
1
>>> t.text, t.rows[-1]
('ab', ('layout', 'blank_lines', 1, 5, 0, 0))
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from operator import ne, sub

Edit = tuple  # (start, end, replacement, rule) in the current text's offsets
_COUNTING = array("q", [0])


def _counting(n: int) -> array:
    """An array ``0, 1, 2, ...`` of more than ``n`` items (slices of it are the identity map; it is
    replaced by a longer one when a text needs it, never changed in place)."""
    global _COUNTING
    counting = _COUNTING
    if len(counting) <= n:
        counting = _COUNTING = array("q", range(2 * n + 1))
    return counting


class TrackedText:
    """A text being cleaned, its map to raw offsets (``lo``, ``hi``) and the log.

    ``rows`` holds ``(step, rule, raw_start, raw_end, replaced_by, dropped_chars)`` per edit and
    ``parts`` the blocks each row replaced, ``((raw_start, raw_end, chars, text), ...)`` (``chars``:
    how many characters of the text being cleaned the block held; ``text``: what replaced it): the
    row itself, unless touching edits of one rule were merged into the row (whose characters then
    keep the span of the block each replaced).
    """

    __slots__ = ("text", "lo", "hi", "rows", "parts")

    def __init__(self, text: str):
        self.text = text
        n = len(text)
        counting = _counting(n)
        self.lo, self.hi = counting[:n], counting[1:n + 1]
        self.rows: list[tuple[str, str, int, int, int, int]] = []
        self.parts: list[tuple[tuple[int, int, int, str], ...]] = []

    def apply(self, step: str | Mapping[str, str], edits: Iterable[Edit], split: bool = True) -> int:
        """Apply edits ``(start, end, replacement, rule)`` given in any order, log each under ``step``
        (or ``step[rule]``, default ``"chrome"``), and return how many rows were logged.

        An edit overlapping an earlier applied one is skipped, and so is one that changes nothing.
        Touching non-empty edits of one rule become one block. A replacement that is a prefix (else
        a suffix) of what it replaces keeps those characters and their spans. With ``split``, a
        removal whose characters are not contiguous in the raw text (an earlier edit dropped
        something in between) is logged as one row per contiguous run; without, as one row over
        the whole raw range."""
        merged: list[list] = []  # [start, end, replacement, rule, parts: the edits merged]
        for s, e, r, rule in sorted(edits):
            last = merged[-1] if merged else None
            if last is not None and s == last[1] and rule == last[3] and e > s and last[1] > last[0]:
                last[1] = e
                last[2] += r
                last[4].append((s, e, r))
            else:
                merged.append([s, e, r, rule, [(s, e, r)]])
        text, lo, hi = self.text, self.lo, self.hi
        n = len(text)
        out_t: list[str] = []
        out_lo: list[array] = []
        out_hi: list[array] = []
        prev = 0
        logged = 0
        for s, e, r, rule, parts in merged:
            lr = len(r)
            if s < prev or (e == s and not r) or (lr == e - s and text[s:e] == r):
                continue
            st = step if isinstance(step, str) else step.get(rule, "chrome")
            out_t.append(text[prev:s])
            out_lo.append(lo[prev:s])
            out_hi.append(hi[prev:s])
            prev = e
            if e > s:
                rs, re_ = lo[s], hi[e - 1]
            else:
                rs = re_ = lo[s] if s < n else (hi[-1] if n else 0)
            keep = None
            if 0 < lr < e - s:
                if text.startswith(r, s):
                    keep = s
                elif text.endswith(r, 0, e):
                    keep = e - lr
            if keep is not None or not r or len(parts) == 1:
                parts = ((rs, re_, e - s, r),)
            else:  # merged edits: each one's characters carry the span of the block it replaced
                parts = tuple((lo[ps], hi[pe - 1], pe - ps, pr) for ps, pe, pr in parts)
            if keep is not None:  # a kept prefix or suffix keeps its spans
                out_t.append(r)
                out_lo.append(lo[keep:keep + lr])
                out_hi.append(hi[keep:keep + lr])
            elif r:
                out_t.append(r)
                for a, b, _, pr in parts:
                    out_lo.append(array("q", [a]) * len(pr))
                    out_hi.append(array("q", [b]) * len(pr))
            if r or not split:
                dropped = _one_for_one(lo, hi, s, e)
                if keep is not None:
                    dropped = max(0, dropped - lr)
                self.rows.append((st, rule, rs, re_, lr, dropped))
                self.parts.append(parts)
                logged += 1
                continue
            # a removal: one row per run of characters contiguous in the raw text
            cuts = [] if hi[s:e - 1] == lo[s + 1:e] else [i for i in range(s + 1, e) if hi[i - 1] != lo[i]]
            for a, b in zip([s, *cuts], [*cuts, e]):
                self.rows.append((st, rule, lo[a], hi[b - 1], 0, _one_for_one(lo, hi, a, b)))
                self.parts.append(((lo[a], hi[b - 1], b - a, ""),))
                logged += 1
        if not logged:
            return 0
        out_t.append(text[prev:])
        out_lo.append(lo[prev:])
        out_hi.append(hi[prev:])
        self.text = "".join(out_t)
        self.lo, self.hi = array("q"), array("q")
        for a, b in zip(out_lo, out_hi):
            self.lo += a
            self.hi += b
        return logged

    def substitute(self, new_text: str) -> int:
        """Replace the text by one of the same length (a character-for-character substitution, such
        as traditional-to-simplified conversion): offsets are unchanged and nothing is logged.
        Returns the number of characters that changed."""
        if len(new_text) != len(self.text):
            raise ValueError("substitute() needs a text of the same length")
        old, changed = self.text, 0
        for i in range(0, len(old), 256):  # (blocks compared whole first: most are unchanged)
            if old[i:i + 256] != new_text[i:i + 256]:
                changed += sum(map(ne, old[i:i + 256], new_text[i:i + 256]))
        self.text = new_text
        return changed


def _one_for_one(lo: array, hi: array, s: int, e: int) -> int:
    """How many of the characters ``[s, e)`` are still copied one-for-one from the raw text."""
    return list(map(sub, hi[s:e], lo[s:e])).count(1)
