"""Paragraph and sentence spans with character offsets into the clean text.

A clean text holds one paragraph per line. Sentences end with 。！？ (or ASCII ! ?), a run of them,
or an ellipsis (…… / ...), together with closing quotes or brackets that follow; a paragraph's
trailing text without an end mark is its last sentence. Offsets are Python string indices
(code points) into the clean text, half-open ``[start, end)``.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

SPAN_COLUMNS = ["doc_id", "kind", "index", "start", "end"]
_SENT_END = re.compile(r"(?:[。！？!?]+|…{1,2}|\.{3,}(?!\d))[”’」』）)\"'》]*")


def sentence_bounds(paragraph: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets in ``paragraph`` (shifted by ``offset``), spaces trimmed.

    Examples
    --------
    >>> sentence_bounds("建成3个站。群众满意！还要“回头看”？")
    [(0, 6), (6, 11), (11, 19)]
    """
    out = []
    start = 0
    n = len(paragraph)
    for m in _SENT_END.finditer(paragraph):
        end = m.end()
        out.append((start, end))
        start = end
    if start < n:
        out.append((start, n))
    res = []
    for s, e in out:
        while s < e and paragraph[s].isspace():
            s += 1
        while e > s and paragraph[e - 1].isspace():
            e -= 1
        if e > s:
            res.append((s + offset, e + offset))
    return res


def text_spans(text: str, doc_id: str = "") -> pd.DataFrame:
    """Paragraph and sentence spans of one clean text.

    Parameters
    ----------
    text : str
        A clean text (one paragraph per line).
    doc_id : str
        Written into the ``doc_id`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``kind`` (``"paragraph"`` or ``"sentence"``), ``index`` (0-based within
        the document and kind), ``start``, ``end``. Paragraph rows come first, then sentence rows.

    Examples
    --------
    >>> text_spans("一、现状\\n建成3个站。群众满意。\\n", "d").values.tolist()
    [['d', 'paragraph', 0, 0, 4], ['d', 'paragraph', 1, 5, 16], ['d', 'sentence', 0, 0, 4], ['d', 'sentence', 1, 5, 11], ['d', 'sentence', 2, 11, 16]]
    """
    return _text_spans(text, doc_id)[0]


def _text_spans(text: str, doc_id: str = "") -> tuple[pd.DataFrame, int, int]:
    """:func:`text_spans`, with the number of paragraphs and of sentences."""
    paras: list[tuple[int, int]] = []
    sents: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        ls = len(line) - len(line.lstrip())
        le = len(line.rstrip())
        if le <= ls:
            continue
        paras.append((s + ls, s + le))
        sents.extend(sentence_bounds(line, s))
    n_par, n_sent = len(paras), len(sents)
    if not n_par:  # no rows: the columns of an empty frame
        df = pd.DataFrame([], columns=SPAN_COLUMNS)
        for c in ("index", "start", "end"):
            df[c] = df[c].astype("int64")
        return df, 0, 0
    bounds = np.array(paras + sents, dtype=np.int64).reshape(-1, 2)
    df = pd.DataFrame({
        "doc_id": [doc_id] * (n_par + n_sent),
        "kind": ["paragraph"] * n_par + ["sentence"] * n_sent,
        "index": np.concatenate((np.arange(n_par, dtype=np.int64), np.arange(n_sent, dtype=np.int64))),
        "start": bounds[:, 0].copy(),
        "end": bounds[:, 1].copy(),
    })
    return df, n_par, n_sent
