"""Aligning consultation loops as sequences of canonical steps.

Each report's named loop (:func:`govlab.coding.extract_loops`) is a sequence of canonical step ids
(six steps in one place, eight links in another). Loops are compared with the global alignment of
Needleman and Wunsch (1970), "A general method applicable to the search for similarities in the
amino acid sequence of two proteins", *Journal of Molecular Biology* 48(3): 443-453: a dynamic
programme over a match / mismatch / gap score. Aligned to the full canonical loop (a star
alignment), every report shows which canonical steps it names (``match``), which it lacks (``gap``)
and which of its steps fit no canonical step (``extra``).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from govlab.errors import InputError

__all__ = ["needleman_wunsch", "align_loops", "alignment_matrix", "align_pair", "loop_similarity"]


def needleman_wunsch(a: Sequence, b: Sequence, *, match: float = 2.0, mismatch: float = -3.0,
                     gap: float = -1.0) -> tuple[float, list[tuple[int | None, int | None]]]:
    """Global alignment of two sequences (Needleman and Wunsch 1970).

    Items are equal when ``==``; an empty item (``""`` or ``None``) never matches anything. Ties in
    the traceback prefer a diagonal step, then a gap in ``b``, then a gap in ``a``, so the result is
    deterministic.

    Parameters
    ----------
    a, b : sequence
        The two sequences.
    match, mismatch, gap : float
        Score of aligning equal items, unequal items, and an item with a gap.

    Returns
    -------
    score : float
        The optimal alignment score.
    pairs : list of (i, j)
        Aligned index pairs in order; ``None`` marks a gap.

    Examples
    --------
    >>> score, pairs = needleman_wunsch("ACGT", "AGT")
    >>> score, pairs
    (5.0, [(0, 0), (1, None), (2, 1), (3, 2)])
    """
    n, m = len(a), len(b)
    F = np.zeros((n + 1, m + 1))
    F[:, 0] = gap * np.arange(n + 1)
    F[0, :] = gap * np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = a[i - 1] == b[j - 1] and a[i - 1] not in ("", None)
            F[i, j] = max(F[i - 1, j - 1] + (match if same else mismatch), F[i - 1, j] + gap, F[i, j - 1] + gap)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = a[i - 1] == b[j - 1] and a[i - 1] not in ("", None)
            if np.isclose(F[i, j], F[i - 1, j - 1] + (match if same else mismatch)):
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i > 0 and np.isclose(F[i, j], F[i - 1, j] + gap):
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return float(F[n, m]), pairs[::-1]


def _check_loops(loops: pd.DataFrame) -> None:
    missing = {"doc_id", "position", "named", "step"} - set(loops.columns)
    if missing:
        raise InputError(f"the loop table lacks columns {sorted(missing)}", key="loops")


def _reference(vocabulary: pd.DataFrame | None) -> list[str]:
    if vocabulary is None:
        from govlab.coding.steps import load_loop_steps

        vocabulary = load_loop_steps()
    return list(vocabulary.sort_values("order")["step"])


def align_loops(loops: pd.DataFrame, vocabulary: pd.DataFrame | None = None, *, match: float = 2.0,
                mismatch: float = -3.0, gap: float = -1.0) -> pd.DataFrame:
    """Align every report's loop to the canonical loop (star alignment).

    Parameters
    ----------
    loops : pandas.DataFrame
        The loop table (:func:`govlab.coding.extract_loops`): ``doc_id, position, named, step``.
    vocabulary : pandas.DataFrame, optional
        Canonical steps (:func:`govlab.coding.load_loop_steps`); its ``order`` is the reference loop.
    match, mismatch, gap : float
        Needleman-Wunsch scores.

    Returns
    -------
    pandas.DataFrame
        One row per alignment column and report: ``doc_id, column`` (1-based), ``reference`` (canonical
        step id or '' for an extra step), ``step``, ``named``, ``position`` (the report's step number,
        0 for a gap) and ``status``: ``match``, ``gap`` (canonical step the report does not name),
        ``extra`` (a report step with no canonical place) or ``mismatch``; plus ``score`` (the
        report's alignment score).

    Examples
    --------
    >>> loops = pd.DataFrame({"doc_id": "a", "position": [1, 2, 3], "named": ["征集议题", "民主协商", "结果公开"],
    ...                       "step": ["collect_topics", "consult", "feedback"]})
    >>> al = align_loops(loops)
    >>> al.loc[al.status == "match", "reference"].tolist()
    ['collect_topics', 'consult', 'feedback']
    """
    _check_loops(loops)
    ref = _reference(vocabulary)
    rows = []
    for doc_id, g in loops.sort_values(["doc_id", "position"]).groupby("doc_id", sort=True):
        steps = [s if isinstance(s, str) else "" for s in g["step"]]
        named = list(g["named"])
        positions = list(g["position"])
        score, pairs = needleman_wunsch(ref, steps, match=match, mismatch=mismatch, gap=gap)
        for col, (i, j) in enumerate(pairs, start=1):
            r = ref[i] if i is not None else ""
            if j is None:
                rows.append((doc_id, col, r, "", "", 0, "gap", score))
                continue
            s = steps[j]
            status = "extra" if i is None else ("match" if s == r else "mismatch")
            rows.append((doc_id, col, r, s, named[j], int(positions[j]), status, score))
    return pd.DataFrame(rows, columns=["doc_id", "column", "reference", "step", "named", "position", "status",
                                       "score"]).astype({"column": "int64", "position": "int64", "score": "float64"})


def alignment_matrix(aligned: pd.DataFrame, vocabulary: pd.DataFrame | None = None, *,
                     label: str = "named") -> pd.DataFrame:
    """The star alignment as a table: canonical steps down, reports across, named steps in cells.

    Parameters
    ----------
    aligned : pandas.DataFrame
        From :func:`align_loops`.
    vocabulary : pandas.DataFrame, optional
        Canonical steps, for the row order and labels.
    label : {"named", "position"}
        What a cell shows: the step as the report names it, or its number in the report's loop.

    Returns
    -------
    pandas.DataFrame
        Index: canonical step ids in loop order, then ``extra:<named>`` rows for extra steps;
        columns: doc ids; empty string where a report has no such step.

    Examples
    --------
    >>> loops = pd.DataFrame({"doc_id": "a", "position": [1, 2], "named": ["征集议题", "民主协商"],
    ...                       "step": ["collect_topics", "consult"]})
    >>> alignment_matrix(align_loops(loops)).loc["consult", "a"]
    '民主协商'
    """
    ref = _reference(vocabulary)
    docs = sorted(aligned["doc_id"].unique())
    out = pd.DataFrame("", index=list(ref), columns=docs, dtype=object)
    extra_rows: list[str] = []
    for r in aligned.itertuples(index=False):
        if r.status == "gap":
            continue
        value = r.named if label == "named" else str(r.position)
        if r.status == "extra" or not r.reference:
            key = f"extra:{r.named}"
            if key not in out.index:
                out.loc[key] = ""
                extra_rows.append(key)
            out.loc[key, r.doc_id] = value
        else:
            cur = out.loc[r.reference, r.doc_id]
            out.loc[r.reference, r.doc_id] = f"{cur}/{value}" if cur else value
    out.index.name = "step"
    return out


def align_pair(loops: pd.DataFrame, doc_a: str, doc_b: str, *, match: float = 2.0, mismatch: float = -3.0,
               gap: float = -1.0) -> pd.DataFrame:
    """Align two reports' loops directly (pairwise Needleman-Wunsch).

    Returns
    -------
    pandas.DataFrame
        ``column, step_a, named_a, step_b, named_b, status`` (``match``, ``mismatch``, ``only_a``,
        ``only_b``) and the alignment ``score``.

    Examples
    --------
    >>> loops = pd.DataFrame({"doc_id": ["a", "a", "b"], "position": [1, 2, 1], "named": ["选题", "协商", "协商"],
    ...                       "step": ["choose_topics", "consult", "consult"]})
    >>> align_pair(loops, "a", "b")["status"].tolist()
    ['only_a', 'match']
    """
    _check_loops(loops)
    ga = loops[loops["doc_id"] == doc_a].sort_values("position")
    gb = loops[loops["doc_id"] == doc_b].sort_values("position")
    for d, g in ((doc_a, ga), (doc_b, gb)):
        if g.empty:
            raise InputError("no loop steps for this document", source=str(d))
    sa, sb = list(ga["step"]), list(gb["step"])
    na, nb = list(ga["named"]), list(gb["named"])
    score, pairs = needleman_wunsch(sa, sb, match=match, mismatch=mismatch, gap=gap)
    rows = []
    for col, (i, j) in enumerate(pairs, start=1):
        status = ("only_b" if i is None else "only_a" if j is None else
                  "match" if sa[i] == sb[j] and sa[i] else "mismatch")
        rows.append((col, sa[i] if i is not None else "", na[i] if i is not None else "",
                     sb[j] if j is not None else "", nb[j] if j is not None else "", status, score))
    return pd.DataFrame(rows, columns=["column", "step_a", "named_a", "step_b", "named_b", "status", "score"])


def loop_similarity(loops: pd.DataFrame, *, match: float = 2.0, mismatch: float = -3.0,
                    gap: float = -1.0) -> pd.DataFrame:
    """Pairwise loop similarity: alignment score normalised by the loops' self-alignment scores.

    ``sim(a, b) = max(0, NW(a, b)) / max(NW(a, a), NW(b, b))``: 1 for identical loops, 0 for loops
    sharing no step in order.

    Returns
    -------
    pandas.DataFrame
        Square, indexed and columned by doc id.

    Examples
    --------
    >>> loops = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "position": [1, 2, 1, 2],
    ...                       "named": ["选题", "协商", "选题", "协商"], "step": ["choose_topics", "consult"] * 2})
    >>> float(loop_similarity(loops).loc["a", "b"])
    1.0
    """
    _check_loops(loops)
    docs = sorted(loops["doc_id"].unique())
    seqs = {d: list(loops[loops["doc_id"] == d].sort_values("position")["step"]) for d in docs}
    out = pd.DataFrame(0.0, index=docs, columns=docs)
    self_score = {d: needleman_wunsch(seqs[d], seqs[d], match=match, mismatch=mismatch, gap=gap)[0] for d in docs}
    for a in docs:
        for b in docs:
            s, _ = needleman_wunsch(seqs[a], seqs[b], match=match, mismatch=mismatch, gap=gap)
            den = max(self_score[a], self_score[b])
            out.loc[a, b] = max(0.0, s) / den if den > 0 else 0.0
    out.index.name = "doc_id"
    return out
