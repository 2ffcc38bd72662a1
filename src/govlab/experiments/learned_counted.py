"""A learned choice of what a figure counts (the ``counted`` noun), trained on annotated texts.

:func:`~govlab.coding.extract_figures` finds numbers well on texts it never saw, but its hand rules
for the counted noun were tuned on a few dozen texts and overfit them. This module replaces the
*choice* of the noun by a small logistic regression over candidate spans, trained on gold folders
(the development-set layout: ``raw/*.txt`` and ``gold_figures.csv``) and judged by cross-validation
grouped by document (:func:`cross_validate`).

Pipeline (one function per step, all deterministic):

1. :func:`candidates`: for each ``count``/``percent``/``money`` row of ``extract_figures`` (start, end,
   unit, counted), token spans (rjieba with govlab's domain lexicon) before and after the number in
   its sentence (spans stop at punctuation; 、 lists, 和/及/与 compounds, brackets and quotes may sit
   inside one), plus the rule's own ``counted`` as one more candidate when no span spells it.
2. :func:`feature_matrix`: the :data:`FEATURES`, a small set of general features (side, distance,
   length, part of speech of the head token, the class of the last character, the measure word,
   adjacency, 的, punctuation between, whether the rule picked it). No feature names a word.
3. :func:`label_candidates`: a candidate is positive when, after :mod:`govlab.evaluate`'s
   normalisation, it equals an alternative of the gold ``counted_zh`` or is its head (the gold ends
   with it). A longer span that merely *contains* the gold is negative (the scorer accepts it; the
   model must not learn to exploit that).
4. :class:`CountedNounModel`: ``fit`` (scikit-learn ``LogisticRegression``, lbfgs, fixed ``C``),
   ``decision_function`` and ``choose`` (per figure the argmax candidate; below an optional
   probability ``threshold`` the rule's noun stays), ``to_json`` / ``from_json`` (plain JSON, floats
   rounded to 6 significant digits; inference needs numpy only).
5. :func:`relabel`: a figures table of ``extract_figures`` with ``counted`` chosen by a model.

Training and evaluation: ``python -m govlab.experiments.learned_counted train --gold-dir DIR ... --out PATH`` and
``python -m govlab.experiments.learned_counted cv ...`` (see :func:`main`); :func:`cv_table` makes
``datasets/evaluation/counted_cv.csv``.

Evidence (``counted_cv.csv``, strict figure recall, same folds): on the final set, which no rule was
designed on, the learned choice without the rule's pick gets 30 of 44 figures in grouped CV against
the rules' 26, but 27 when fit only on the other two sets, and 8 of 14 on the development set's
held-out part against the rules' 11. The gain is not robust, so ``extract_figures`` keeps the rules; this
module is an experiment kept with its evidence (apply it to a figures table with :func:`relabel`).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from govlab.errors import InputError

__all__ = [
    "FEATURES", "RULE_FEATURES", "KINDS", "CANDIDATE_COLUMNS", "candidates", "feature_matrix", "label_candidates",
    "CountedNounModel", "load_model", "default_model_path", "relabel", "TrainingSet", "training_set",
    "cross_validate", "transfer", "cv_table", "CV_COLUMNS", "train", "main", "folds", "fit_model", "score_model",
]

#: Figure kinds whose counted noun is chosen by the model (dates, durations, quotas are left alone).
KINDS = ("count", "percent", "money")

#: The features, in the order of the model's weights. Binary unless said otherwise.
FEATURES = (
    "side_before",        # the span is written before the number
    "side_after",         # ... after it (after the measure word)
    "adjacent",           # no token between the span and the figure
    "after_adjacent",     # side_after and adjacent (the noun right after the measure word)
    "before_adjacent",    # side_before and adjacent (社情民意76条)
    "before_x_followed",  # side_before while a word follows the figure in its clause
    "is_unit",            # the candidate is the measure word itself (2700多人 -> 人, 三级 -> 级)
    "unit_noun",          # is_unit and rjieba tags the measure word a noun (人, 户, 村)
    "unit_x_event",       # is_unit and an event or level measure word (次, 场, 级)
    "unit_x_followed",    # is_unit while a word follows the figure in its clause
    "tok_dist",           # log1p(word tokens between span and figure)
    "char_dist",          # log1p(characters between span and figure), spaces and quotes not counted
    "n_tokens",           # word tokens in the span (1..4), divided by 4
    "n_chars",            # log1p(characters of the span)
    "head_noun",          # last token tagged a noun (n, nr, ns, nt, nz, ng, vn) by rjieba
    "head_verb",          # last token tagged a verb (v, vd) or adjective/adverb (a, ad, d)
    "first_verb",         # first token tagged a verb (新建…, 开展…)
    "prev_verb",          # the token right before the span is tagged a verb (its object: 建成|工作站)
    "prev_noun",          # the token right before the span is a noun (the span is cut from a longer phrase)
    "last_person",        # last character names persons (员 人 者 众 民 表 部 长 记 …)
    "last_place",         # last character names a place or body (站 室 所 厅 堂 馆 点 会 组 队 …)
    "last_admin",         # last character is an administrative unit (省 市 县 区 乡 镇 村 街 居 社)
    "last_money",         # last character ends a money word (款 金 费 资 入 收 贴 助 额 …)
    "enum_inside",        # the span holds 、 or 和/及/与/或 (a list or compound)
    "paren_inside",       # the span holds brackets (委员工作室(站))
    "de_between",         # 的 between the figure and the span
    "de_after",           # 的 right after the span (it modifies what follows)
    "next_noun",          # the token right after the span is a noun (the span is not the head)
    "clause_end",         # punctuation, a number or the sentence end right after the span
    "punct_between",      # clause punctuation (，：) between the figure and the span
    "number_between",     # another number between the figure and the span
    "lexicon",            # the span is a term of govlab's domain lexicon
    "unit_person",        # measure word 名 位 人 人次
    "unit_event",         # measure word 次 场 场次 期 轮 批
    "unit_generic",       # measure word 个
    "unit_percent",       # a percentage
    "unit_money",         # an amount of money
    "person_x_person",    # unit_person and last_person
    "money_x_money",      # unit_money and last_money
    "side_rule_only",     # the rule's noun, not spelled by any span in the window
    "rule",               # the rule (extract_figures) picked this noun
)

#: Features that carry the rule's choice (dropped for the model without it).
RULE_FEATURES = ("side_rule_only", "rule")

#: Columns of :func:`candidates`.
CANDIDATE_COLUMNS = ["doc_id", "fig", "span", "norm", "side", "start", "end"] + list(FEATURES)

#: Word tokens looked at on each side of a figure, and the longest span in word tokens and characters.
WINDOW_TOKENS = 12
MAX_SPAN_TOKENS = 4
MAX_SPAN_CHARS = 14
_WINDOW_CHARS = 48

_SENTENCE = re.compile(r"[。！？!?；;\n]")
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_NUMERAL = re.compile(r"[0-9０-９]|^[零〇○一二两三四五六七八九十百千万亿余多几]+$")
_LEVEL = re.compile(r"^[两二三四五六]级$")
_CLAUSE_PUNCT = set("，,：:")
_ENUM = {"、", "和", "及", "与", "或", "以及"}
_OPEN = set("(（")
_CLOSE = set(")）")
_QUOTE = set("“”「」『』‘’\"'《》〈〉")
_EDGE_STOP = frozenset("的了在对向将把被是有为等中上下里内也都并而共计约近余多超其该各每这那此")
_PERSON = set("员人者众民表部长记席贤家生士手友工")
_PLACE = set("站室所厅堂馆点会组队团群班坊屋亭台院园处家社中心")
_ADMIN = set("省市县区乡镇村街居")
_MONEY = set("款金费资入收贴助算额本酬薪税")
_NOUN_TAGS = frozenset(("n", "nr", "ns", "nt", "nz", "ng", "vn", "nrt", "nrfg", "j", "l"))
_VERB_TAGS = frozenset(("v", "vd", "a", "ad", "d", "vg"))
_PERSON_UNITS = frozenset(("名", "位", "人", "人次"))
_EVENT_UNITS = frozenset(("次", "场", "场次", "期", "轮", "批", "回"))
_LEVEL_UNITS = frozenset(("级", "届"))
_FORMAT = "govlab-counted-noun/1"


# ----------------------------------------------------------------------------- tokens

@lru_cache(maxsize=1)
def _segmenter():
    from govlab.text.lexicon import load_lexicon
    from govlab.text.segment import get_segmenter

    return get_segmenter("rjieba", load_lexicon())


@lru_cache(maxsize=1)
def _lexicon_terms() -> frozenset:
    from govlab.evaluate import _norm
    from govlab.text.lexicon import load_lexicon

    return frozenset(_norm(t) for t in load_lexicon().terms)


@lru_cache(maxsize=4096)
def _tag(word: str) -> str:
    """rjieba's part-of-speech tag of ``word`` when it reads it as one word, else ``''``."""
    import rjieba

    cut = rjieba.tag(word)
    return cut[0][1] if len(cut) == 1 else ""


def _kind(tok: str) -> str:
    """Token class: ``w`` word, ``n`` number, ``e`` list/compound joiner, ``(``/``)``, ``q`` quote,
    ``d`` 的, ``s`` space, ``c`` clause punctuation, ``x`` anything else."""
    if tok.isspace():
        return "s"
    if tok == "的":
        return "d"
    if tok in _ENUM:
        return "e"
    if _LEVEL.match(tok):
        return "w"  # 三级政协委员: a level word inside a noun phrase, not a count
    if _NUMERAL.search(tok):
        return "n"
    if _HAN.match(tok):
        return "w"
    if tok in _OPEN:
        return "("
    if tok in _CLOSE:
        return ")"
    if tok in _QUOTE:
        return "q"
    if tok in _CLAUSE_PUNCT:
        return "c"
    return "x"


def _tokens(text: str, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """``(start, end, token, class)`` for ``text[lo:hi]``, offsets into ``text``."""
    out, i = [], lo
    for tok in _segmenter().cut(text[lo:hi]):
        k = _kind(tok)
        if k == "w" and tok[0] in "余多几万亿" and out and out[-1][3] == "n":
            k = "n"  # 16万|余盏: the rest of a number and its measure word
        out.append((i, i + len(tok), tok, k))
        i += len(tok)
    return out


def _display(span: str) -> str:
    """The span as written, without spaces and quotes, with ASCII brackets (as ``counted`` is)."""
    return "".join(ch for ch in span if not ch.isspace() and ch not in _QUOTE).replace("（", "(").replace("）", ")")


def _spans(toks: list) -> list[tuple[int, int]]:
    """Index ranges ``[i, j]`` of ``toks`` that make a candidate noun span."""
    out = []
    n = len(toks)
    for i in range(n):
        if toks[i][3] != "w" or toks[i][2] in _EDGE_STOP:
            continue
        words = depth = chars = 0
        for j in range(i, n):
            k, tok = toks[j][3], toks[j][2]
            if k == "w":
                words += 1
            elif k == "(":
                depth += 1
            elif k == ")":
                depth -= 1
                if depth < 0:
                    break
            elif k not in ("e", "q"):
                break
            chars += sum(1 for ch in tok if ch not in _QUOTE)
            if words > MAX_SPAN_TOKENS or chars > MAX_SPAN_CHARS:
                break
            last_ok = (k == "w" and tok not in _EDGE_STOP) or (k == ")" and depth == 0)
            if last_ok and depth == 0:
                out.append((i, j))
    return out


# ----------------------------------------------------------------------------- candidates

def _unit_flags(kind: str, unit: str) -> dict:
    money = kind == "money" or unit.endswith("元")
    return {"unit_person": unit in _PERSON_UNITS, "unit_event": unit in _EVENT_UNITS, "unit_generic": unit == "个",
            "unit_percent": kind == "percent" or unit == "%", "unit_money": money}


def _string_flags(s: str) -> dict:
    last = s[-1:] if s else ""
    if last == ")" and "(" in s:  # 委员工作室(站): the class of the word before the brackets
        last = s[:s.index("(")][-1:]
    return {"last_person": last in _PERSON, "last_place": last in _PLACE, "last_admin": last in _ADMIN,
            "last_money": last in _MONEY, "n_chars": math.log1p(len(s))}


def _figure_candidates(text: str, fig: Mapping, fig_id: int, doc_id: str) -> list[dict]:
    from govlab.evaluate import _norm

    start, end = int(fig["start"]), int(fig["end"])
    lo = max(0, start - _WINDOW_CHARS)
    m = None
    for m in _SENTENCE.finditer(text, lo, start):
        pass
    if m is not None:
        lo = m.end()
    hi_m = _SENTENCE.search(text, end, min(len(text), end + _WINDOW_CHARS))
    hi = hi_m.start() if hi_m else min(len(text), end + _WINDOW_CHARS)
    before = [t for t in _tokens(text, lo, start)]
    after = [t for t in _tokens(text, end, hi)]
    # keep WINDOW_TOKENS word tokens on each side
    def _cut(toks, reverse):
        seq = list(reversed(toks)) if reverse else list(toks)
        kept, words = [], 0
        for t in seq:
            if t[3] == "w":
                words += 1
                if words > WINDOW_TOKENS:
                    break
            kept.append(t)
        return list(reversed(kept)) if reverse else kept
    before, after = _cut(before, True), _cut(after, False)
    base = _unit_flags(str(fig["kind"]), str(fig["unit"]))
    rule_norm = _norm(str(fig.get("counted", "") or ""))
    followed = bool(after) and next((t[3] for t in after if t[3] not in ("s", "q")), "") == "w"
    rows = []
    for side, toks in (("before", before), ("after", after)):
        for i, j in _spans(toks):
            s, e = toks[i][0], toks[j][1]
            span = _display(text[s:e])
            between = toks[j + 1:] if side == "before" else toks[:i]
            nb = [t for t in between if t[3] not in ("s", "q")]
            nxt = next((t for t in toks[j + 1:] if t[3] not in ("s", "q")), None)
            prv = next((t for t in reversed(toks[:i]) if t[3] not in ("s", "q")), None)
            words = [t for t in toks[i:j + 1] if t[3] == "w"]
            head_tag, first_tag = _tag(words[-1][2]), _tag(words[0][2])
            norm = _norm(span)
            row = {"doc_id": doc_id, "fig": fig_id, "span": span, "norm": norm, "side": side, "start": s, "end": e,
                   "side_before": side == "before", "side_after": side == "after", "adjacent": not nb,
                   "before_x_followed": side == "before" and followed,
                   "tok_dist": math.log1p(sum(1 for t in nb if t[3] == "w")),
                   "char_dist": math.log1p(sum(len(t[2]) for t in nb)),
                   "n_tokens": len(words) / MAX_SPAN_TOKENS,
                   "head_noun": head_tag in _NOUN_TAGS, "head_verb": head_tag in _VERB_TAGS,
                   "first_verb": first_tag in _VERB_TAGS,
                   "prev_verb": prv is not None and prv[3] == "w" and _tag(prv[2]) in _VERB_TAGS,
                   "prev_noun": prv is not None and prv[3] == "w" and _tag(prv[2]) in _NOUN_TAGS,
                   "enum_inside": any(t[3] == "e" for t in toks[i:j + 1]),
                   "paren_inside": any(t[3] in "()" for t in toks[i:j + 1]),
                   "de_between": any(t[3] == "d" for t in nb),
                   "de_after": nxt is not None and nxt[3] == "d",
                   "next_noun": nxt is not None and nxt[3] == "w" and _tag(nxt[2]) in _NOUN_TAGS,
                   "clause_end": nxt is None or nxt[3] in ("c", "x", "n"),
                   "punct_between": any(t[3] == "c" for t in nb),
                   "number_between": any(t[3] == "n" for t in nb),
                   "lexicon": norm in _lexicon_terms(),
                   "side_rule_only": False, "rule": bool(rule_norm) and norm == rule_norm}
            rows.append(row)
    unit = _display(str(fig["unit"]))
    if unit and _HAN.match(unit):
        un = _norm(unit)
        rows.append({"doc_id": doc_id, "fig": fig_id, "span": unit, "norm": un, "side": "unit", "start": end - len(unit),
                     "end": end, "is_unit": True, "adjacent": True, "lexicon": un in _lexicon_terms(),
                     "before_x_followed": False, "clause_end": not followed, "unit_x_followed": followed,
                     "unit_noun": _tag(unit) in _NOUN_TAGS, "unit_x_event": unit in _EVENT_UNITS | _LEVEL_UNITS,
                     "rule": bool(rule_norm) and un == rule_norm})
    if rule_norm and not any(r["rule"] for r in rows):
        counted = str(fig["counted"])
        rows.append({"doc_id": doc_id, "fig": fig_id, "span": counted, "norm": rule_norm, "side": "rule",
                     "start": -1, "end": -1, "lexicon": rule_norm in _lexicon_terms(), "side_rule_only": True,
                     "rule": True})
    for row in rows:
        row.update(_string_flags(row["norm"]))
        row.update(base)
        row["after_adjacent"] = bool(row.get("side_after")) and bool(row.get("adjacent"))
        row["before_adjacent"] = bool(row.get("side_before")) and bool(row.get("adjacent"))
        row["person_x_person"] = base["unit_person"] and row["last_person"]
        row["money_x_money"] = base["unit_money"] and row["last_money"]
    return rows


def candidates(text: str, figures: pd.DataFrame, *, doc_id: str | None = None) -> pd.DataFrame:
    """Candidate counted-noun spans for every ``count``/``percent``/``money`` figure of a text.

    Parameters
    ----------
    text : str
        The clean text the figures were extracted from (offsets refer to it).
    figures : pandas.DataFrame
        :func:`~govlab.coding.extract_figures` output (``kind, unit, counted, start, end``); its index
        labels identify the figures (column ``fig`` of the result).
    doc_id : str, optional
        Written in ``doc_id``; the figures' own ``doc_id`` when omitted.

    Returns
    -------
    pandas.DataFrame
        :data:`CANDIDATE_COLUMNS`: ``span`` as written (no spaces or quotes, ASCII brackets), ``norm``
        (normalised as the scorer does), ``side`` (``before``, ``after`` or ``rule`` for the rule's noun
        when no span spells it), ``start``/``end`` offsets (-1 for ``rule``) and the :data:`FEATURES`.

    Examples
    --------
    >>> from govlab.coding import extract_figures
    >>> t = "（虚构）今年收集社情民意76条，新建委员工作站3个。"
    >>> f = extract_figures(t, "demo")
    >>> c = candidates(t, f)
    >>> c.loc[(c["fig"] == 0) & (c["before_adjacent"] == 1), "span"].tolist()
    ['今年收集社情民意', '收集社情民意', '社情民意']
    >>> c.loc[(c["fig"] == 1) & (c["before_adjacent"] == 1), "span"].tolist()
    ['新建委员工作站', '委员工作站']
    >>> c.groupby("side").size().to_dict()
    {'after': 4, 'before': 18, 'unit': 2}
    """
    rows = []
    for idx, fig in figures.iterrows():
        if fig["kind"] not in KINDS or bool(fig.get("masked", False)):
            continue
        rows.extend(_figure_candidates(text, fig, idx, doc_id if doc_id is not None else str(fig["doc_id"])))
    df = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    for f in FEATURES:
        df[f] = df[f].fillna(0).astype("float64")
    return df.astype({"start": "int64", "end": "int64"})


def feature_matrix(cands: pd.DataFrame, features: Sequence[str] = FEATURES) -> np.ndarray:
    """The candidates' features as a float matrix, columns in the order of ``features``.

    Examples
    --------
    >>> c = pd.DataFrame({f: [1.0] for f in FEATURES})
    >>> feature_matrix(c, ["rule", "adjacent"]).tolist()
    [[1.0, 1.0]]
    """
    return cands.loc[:, list(features)].to_numpy(dtype="float64")


def label_candidates(cands: pd.DataFrame, gold: Mapping[int, str]) -> np.ndarray:
    """1 where a candidate equals an alternative of its figure's gold ``counted_zh`` or is its head.

    Parameters
    ----------
    cands : pandas.DataFrame
        :func:`candidates` output.
    gold : mapping of figure index to str
        The gold ``counted_zh`` (alternatives ``|``) of each figure that has one; figures absent
        from it get 0 everywhere.

    Returns
    -------
    numpy.ndarray of int
        Both sides normalised as :func:`govlab.evaluate.counted_matches` does; a span that merely
        contains the gold (accepted by the scorer) is **not** positive.

    Examples
    --------
    >>> c = pd.DataFrame({"fig": [0, 0, 0, 0], "norm": ["委员工作站", "工作站", "新建委员工作站", "委员"]})
    >>> label_candidates(c, {0: "委员工作站|工作站点"}).tolist()
    [1, 1, 0, 0]
    """
    from govlab.evaluate import _norm

    alts = {k: [a for a in (_norm(x) for x in v.split("|")) if a] for k, v in gold.items()}
    out = np.zeros(len(cands), dtype="int64")
    for n, (fig, norm) in enumerate(zip(cands["fig"], cands["norm"])):
        if norm and any(a == norm or a.endswith(norm) for a in alts.get(fig, ())):
            out[n] = 1
    return out


# ----------------------------------------------------------------------------- model

def _round(x: float) -> float:
    """Round to 6 significant digits (stable JSON across BLAS last bits)."""
    return float(f"{float(x):.6g}")


@dataclass
class CountedNounModel:
    """Logistic regression over candidate spans; per figure the best-scoring candidate.

    Parameters
    ----------
    features : sequence of str
        Which of :data:`FEATURES` the model uses (``use_rule=False`` drops :data:`RULE_FEATURES`).
    C : float
        Inverse regularisation strength of scikit-learn's ``LogisticRegression`` (lbfgs, L2). Fixed
        at 1.0: in grouped CV on the development tune part and the extra set, C = 0.3 and 3 moved
        strict recall by at most one figure per set (weighting figures equally or balancing the
        classes did not help either).
    pairwise : bool
        Fit on within-figure differences (positive minus negative candidate) instead of single
        candidates, a ranking objective; no better in the same CV, off by default.
    threshold : float, optional
        Abstain below this probability of the best candidate (the rule's noun stays).
    weights, intercept : fitted coefficients (set by :meth:`fit` or :meth:`from_json`).
    meta : dict
        Training provenance written to JSON.

    Examples
    --------
    >>> c = pd.DataFrame({f: [0.0, 0.0, 0.0, 0.0] for f in FEATURES})
    >>> c["fig"], c["span"], c["adjacent"] = [0, 0, 1, 1], ["甲", "乙", "丙", "丁"], [1.0, 0.0, 1.0, 0.0]
    >>> m = CountedNounModel(features=["adjacent"]).fit(c, [1, 0, 1, 0])
    >>> m.choose(c).to_dict()
    {0: '甲', 1: '丙'}
    """

    features: Sequence[str] = FEATURES
    C: float = 1.0
    threshold: float | None = None
    pairwise: bool = False
    weights: np.ndarray | None = None
    intercept: float = 0.0
    meta: dict = field(default_factory=dict)

    @property
    def uses_rule(self) -> bool:
        return "rule" in self.features

    def _rows(self, cands: pd.DataFrame) -> pd.DataFrame:
        """Candidates this model scores (without the rule's features, the rule-only rows go)."""
        if self.uses_rule or "side" not in cands.columns:
            return cands
        return cands[cands["side"] != "rule"]

    def fit(self, cands: pd.DataFrame, y) -> CountedNounModel:
        """Fit the logistic regression on labelled candidates.

        Parameters
        ----------
        cands : pandas.DataFrame
            :func:`candidates` rows (the model's :attr:`features` and ``fig``); without the rule's
            features, rows of ``side == "rule"`` are left out.
        y : array-like of int
            :func:`label_candidates` of the same rows (1 positive, 0 negative).

        Returns
        -------
        CountedNounModel
            ``self``, with ``weights`` and ``intercept`` rounded to 6 significant digits.

        Raises
        ------
        govlab.errors.InputError
            No positive or no negative candidate.
        """
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(y)
        keep = self._rows(cands).index
        mask = cands.index.isin(keep)
        X, yy = feature_matrix(cands[mask], self.features), y[mask]
        if len(set(yy.tolist())) < 2:
            raise InputError("training needs positive and negative candidates", key="labels")
        lr = LogisticRegression(C=self.C, solver="lbfgs", max_iter=5000, tol=1e-8, fit_intercept=not self.pairwise)
        if self.pairwise:
            X, yy = _pairs(X, yy, cands["fig"].to_numpy()[mask])
        lr.fit(X, yy)
        self.weights = np.array([_round(w) for w in lr.coef_[0]])
        self.intercept = _round(lr.intercept_[0])
        return self

    def decision_function(self, cands: pd.DataFrame) -> np.ndarray:
        """Linear score ``X @ weights + intercept`` of each candidate (numpy only).

        Parameters
        ----------
        cands : pandas.DataFrame
            Rows with the model's :attr:`features`.

        Returns
        -------
        numpy.ndarray
            One score per row; higher is a likelier counted noun.
        """
        if self.weights is None:
            raise InputError("the model is not fitted", key="weights")
        return feature_matrix(cands, self.features) @ self.weights + self.intercept

    def choose(self, cands: pd.DataFrame) -> pd.Series:
        """Per figure, the span of its best-scoring candidate (the model's prediction).

        Parameters
        ----------
        cands : pandas.DataFrame
            :func:`candidates` of one or more figures.

        Returns
        -------
        pandas.Series
            Figure id (``fig``) -> chosen span; ties go to the earlier candidate. Figures whose best
            probability is below :attr:`threshold` are left out (the caller keeps the rule's noun).
        """
        c = self._rows(cands)
        if c.empty:
            return pd.Series(dtype=object)
        score = self.decision_function(c)
        order = pd.DataFrame({"fig": c["fig"].to_numpy(), "score": score, "span": c["span"].to_numpy(),
                              "n": np.arange(len(c))})
        order = order.sort_values(["fig", "score", "n"], ascending=[True, False, True], kind="mergesort")
        best = order.drop_duplicates("fig", keep="first")
        if self.threshold is not None:
            best = best[1.0 / (1.0 + np.exp(-best["score"].to_numpy())) >= self.threshold]
        return pd.Series(best["span"].to_numpy(), index=best["fig"].to_numpy(), dtype=object)

    def predict_proba(self, cands: pd.DataFrame) -> np.ndarray:
        """Probability that each candidate is the counted noun (the logistic of :meth:`decision_function`)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(cands)))

    # -- JSON
    def to_dict(self) -> dict:
        """The model as a JSON-ready dict (floats rounded to 6 significant digits)."""
        if self.weights is None:
            raise InputError("the model is not fitted", key="weights")
        return {"format": _FORMAT, "features": list(self.features), "weights": [_round(w) for w in self.weights],
                "intercept": _round(self.intercept), "C": self.C, "solver": "lbfgs", "pairwise": self.pairwise,
                "threshold": self.threshold, "kinds": list(KINDS), **self.meta}

    def to_json(self, path: str | os.PathLike) -> Path:
        """Write the model as plain JSON (sorted keys, UTF-8); the same model gives the same bytes."""
        from govlab.io import write_text

        return write_text(path, json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    @classmethod
    def from_json(cls, path: str | os.PathLike) -> CountedNounModel:
        """Read a model written by :meth:`to_json`; a bad file raises ``InputError`` naming it and the key."""
        path = Path(path)
        src = str(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("no such model file", source=src) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"not a JSON file ({exc})", source=src) from None
        if not isinstance(data, dict):
            raise InputError("expected a JSON object", source=src)
        for key in ("format", "features", "weights", "intercept"):
            if key not in data:
                raise InputError("missing key", source=src, key=key)
        if data["format"] != _FORMAT:
            raise InputError(f"expected {_FORMAT!r}, got {data['format']!r}", source=src, key="format")
        feats = data["features"]
        if not isinstance(feats, list) or not all(isinstance(f, str) for f in feats):
            raise InputError("expected a list of feature names", source=src, key="features")
        unknown = [f for f in feats if f not in FEATURES]
        if unknown:
            raise InputError(f"unknown features {unknown}; known: {list(FEATURES)}", source=src, key="features")
        w = data["weights"]
        if not isinstance(w, list) or len(w) != len(feats) or not all(
                isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in w):
            raise InputError(f"expected {len(feats)} finite numbers (one per feature)", source=src, key="weights")
        b = data["intercept"]
        if not isinstance(b, (int, float)) or isinstance(b, bool) or not math.isfinite(b):
            raise InputError(f"expected a finite number, got {b!r}", source=src, key="intercept")
        t = data.get("threshold")
        if t is not None and (not isinstance(t, (int, float)) or not 0 <= t <= 1):
            raise InputError(f"expected null or a number in [0, 1], got {t!r}", source=src, key="threshold")
        meta = {k: v for k, v in data.items() if k not in ("format", "features", "weights", "intercept", "C",
                                                            "solver", "threshold", "kinds", "pairwise")}
        return cls(features=tuple(feats), C=float(data.get("C", 1.0)), threshold=t, pairwise=bool(data.get("pairwise")),
                   weights=np.array(w, dtype="float64"), intercept=float(b), meta=meta)


def _pairs(X: np.ndarray, y: np.ndarray, figs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise differences within each figure: positive minus negative (label 1) and its negation (0)."""
    rows = []
    for f in np.unique(figs):
        idx = np.flatnonzero(figs == f)
        pos, neg = idx[y[idx] == 1], idx[y[idx] == 0]
        for p in pos:
            rows.append(X[p] - X[neg])
    D = np.vstack(rows) if rows else np.zeros((0, X.shape[1]))
    return np.vstack([D, -D]), np.r_[np.ones(len(D), dtype="int64"), np.zeros(len(D), dtype="int64")]


def default_model_path() -> Path:
    """The shipped model, ``datasets/models/counted_noun.json``."""
    from govlab.datasets import dataset_path

    return Path(dataset_path("models/counted_noun.json"))


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> CountedNounModel:
    return CountedNounModel.from_json(path)


def load_model(path: str | os.PathLike | None = None) -> CountedNounModel:
    """Load a counted-noun model (the shipped one when ``path`` is omitted).

    Examples
    --------
    >>> m = load_model()
    >>> m.features[-1] in FEATURES and len(m.weights) == len(m.features)
    True
    """
    p = Path(path) if path is not None else default_model_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        raise InputError("no such model file", source=str(p)) from None
    return _load_cached(str(p), mtime)


def relabel(text: str, figures: pd.DataFrame, model: CountedNounModel | None = None) -> pd.DataFrame:
    """``figures`` with ``counted`` chosen by ``model`` for its ``count``/``percent``/``money`` rows.

    Rows with no candidate, or whose best candidate is below the model's threshold, keep the rule's noun.

    Examples
    --------
    >>> from govlab.coding import extract_figures
    >>> t = "（虚构）新建委员工作站3个，收集社情民意76条。"
    >>> relabel(t, extract_figures(t, "demo"))["counted"].tolist()
    ['委员工作站', '社情民意']
    """
    model = model or load_model()
    out = figures.copy()
    if out.empty:
        return out
    c = candidates(text, out)
    chosen = model.choose(c)
    if len(chosen):
        out.loc[chosen.index, "counted"] = chosen.to_numpy()
    return out


# ----------------------------------------------------------------------------- training data

@dataclass
class TrainingSet:
    """Texts, rule figures, candidates and labels of one or more gold folders.

    Attributes
    ----------
    texts : dict
        doc_id -> clean text.
    sets : dict
        doc_id -> name of the gold folder it came from.
    figures : pandas.DataFrame
        ``extract_figures_corpus`` output (the rules), index = figure id.
    gold : pandas.DataFrame
        Gold figures (``doc_id, value, unit, counted_zh, approx``).
    cands : pandas.DataFrame
        :func:`candidates` of every figure; ``y`` their labels.
    files : list of dict
        ``set, file, sha256`` of every text (sha256 of the raw file's bytes).
    """

    texts: dict
    sets: dict
    figures: pd.DataFrame
    gold: pd.DataFrame
    cands: pd.DataFrame
    y: np.ndarray
    files: list


def _gold_alternatives(figures: pd.DataFrame, gold: pd.DataFrame) -> dict[int, str]:
    """Figure id -> the ``counted_zh`` of the gold rows with its value (same measure word first)."""
    from govlab.evaluate import _value_matches

    by_doc = {d: g for d, g in gold.groupby("doc_id", sort=True)}
    out = {}
    for idx, f in figures.iterrows():
        g = by_doc.get(f["doc_id"])
        if g is None or f["kind"] not in KINDS or bool(f["masked"]):
            continue
        hits = g[[_value_matches(float(f["value"]), float(v)) for v in g["value"]]]
        if hits.empty:
            continue
        same = hits[hits["unit"].str.strip() == str(f["unit"]).strip()]
        hits = same if len(same) else hits
        out[idx] = "|".join(hits["counted_zh"])
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def training_set(gold_dirs: Sequence[str | os.PathLike], *, split_file: str | os.PathLike | None = None,
                 split: str | None = None, figures_files: Mapping[str, str] | None = None) -> TrainingSet:
    """Read gold folders, run the rule extractor, and build labelled candidates.

    Parameters
    ----------
    gold_dirs : sequence of path-like
        Folders in the development-set layout (``raw/*.txt``, ``gold_figures.csv``).
    split_file, split : optional
        Keep only the documents the split file assigns to ``split``; documents it does not list
        are kept (so one split file can filter the development set beside other folders).
    figures_files : mapping, optional
        Folder -> gold figures CSV to use instead of the folder's own (and its ``gold_codes.csv``
        need not exist).

    Returns
    -------
    TrainingSet
    """
    from govlab.coding.figures import extract_figures_corpus
    from govlab.evaluate import read_gold, read_split

    smap = read_split(split_file) if split_file is not None else {}
    texts, sets, golds, files = {}, {}, [], []
    for d in gold_dirs:
        d = Path(d)
        name = d.name
        raw = sorted((d / "raw").glob("*.txt"))
        keep = [p.stem for p in raw if split is None or smap.get(p.stem, split) == split]
        ff = (figures_files or {}).get(str(d))
        codes_file = None
        if ff is not None or not (d / "gold_codes.csv").is_file():
            codes_file = _empty_codes()
        g = read_gold(d, files=keep, figures_file=ff, codes_file=codes_file)
        for doc in sorted(g.texts):
            if doc in texts:
                raise InputError(f"document {doc!r} is in two gold folders", source=str(d))
            texts[doc] = g.texts[doc]
            sets[doc] = name
            files.append({"set": name, "file": f"{doc}.txt", "sha256": _sha256(d / "raw" / f"{doc}.txt")})
        golds.append(g.figures)
    figures = extract_figures_corpus(texts)
    gold = pd.concat(golds, ignore_index=True) if golds else pd.DataFrame()
    frames = [candidates(texts[d], f, doc_id=d) for d, f in figures.groupby("doc_id", sort=True)]
    frames = [f for f in frames if len(f)]
    cands = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CANDIDATE_COLUMNS)
    y = label_candidates(cands, _gold_alternatives(figures, gold))
    return TrainingSet(texts=texts, sets=sets, figures=figures, gold=gold, cands=cands, y=y, files=files)


@lru_cache(maxsize=1)
def _empty_codes() -> str:
    import tempfile

    p = Path(tempfile.mkdtemp(prefix="govlab-counted-")) / "gold_codes.csv"
    p.write_text("file,category,item_zh,note\n", encoding="utf-8")
    return str(p)


# ----------------------------------------------------------------------------- evaluation

def _labelled(ts: TrainingSet, docs) -> pd.Series:
    """Mask of candidates of ``docs`` whose figure has a gold noun (the rows trained on)."""
    gold_figs = set(_gold_alternatives(ts.figures[ts.figures["doc_id"].isin(docs)], ts.gold))
    return ts.cands["doc_id"].isin(docs) & ts.cands["fig"].isin(gold_figs)


def _score(ts: TrainingSet, figures: pd.DataFrame, docs) -> dict:
    from govlab.evaluate import score_figures

    rows, _ = score_figures(figures, ts.gold, docs)
    out = {}
    for r in rows:
        if r["category"] == "strict":
            out[r["metric"]] = (int(r["numerator"]), int(r["denominator"]))
    return out


def folds(ts: TrainingSet, n_splits: int = 5) -> list[list[str]]:
    """Documents of each test fold: scikit-learn ``GroupKFold`` over documents (deterministic)."""
    from sklearn.model_selection import GroupKFold

    docs = sorted(ts.texts)
    k = min(n_splits, len(docs))
    out = []
    for _, test in GroupKFold(n_splits=k).split(np.zeros(len(docs)), groups=np.arange(len(docs))):
        out.append(sorted(docs[i] for i in test))
    return out


_METHODS = {"learned": [f for f in FEATURES if f not in RULE_FEATURES], "learned+rule": list(FEATURES)}


def _relabel_folds(ts: TrainingSet, test_folds: list[list[str]], C: float, threshold: float | None) -> dict:
    """Per method, the figures of every test fold relabelled by a model fit on the other documents."""
    relabelled = {m: [] for m in _METHODS}
    for test_docs in test_folds:
        train_docs = sorted(set(ts.texts) - set(test_docs))
        tr = _labelled(ts, train_docs)
        te = ts.cands["doc_id"].isin(test_docs)
        test_figs = ts.figures[ts.figures["doc_id"].isin(test_docs)]
        for m, feats in _METHODS.items():
            model = CountedNounModel(features=feats, C=C, threshold=threshold).fit(ts.cands[tr], ts.y[tr.to_numpy()])
            chosen = model.choose(ts.cands[te])
            f = test_figs.copy()
            f.loc[chosen.index, "counted"] = chosen.to_numpy()
            relabelled[m].append(f)
    frames = {"rules": ts.figures[ts.figures["doc_id"].isin(sorted({d for f in test_folds for d in f}))]}
    frames.update({m: pd.concat(v).sort_index() for m, v in relabelled.items()})
    return frames


def _score_rows(ts: TrainingSet, frames: dict, groups: dict, design: str) -> pd.DataFrame:
    from govlab.evaluate import counted_matches

    alts = _gold_alternatives(ts.figures, ts.gold)
    rule_ok = {i: counted_matches(str(ts.figures.at[i, "counted"]), g) for i, g in alts.items()}
    rows = []
    for s, docs in groups.items():
        for m, f in frames.items():
            sc = _score(ts, f, docs)
            sub = f[f["doc_id"].isin(docs)]
            ok = {i: counted_matches(str(c), alts[i]) for i, c in zip(sub.index, sub["counted"]) if i in alts}
            rows.append({"design": design, "set": s, "documents": len(docs), "method": m,
                         "recall_n": sc["recall"][0], "recall_d": sc["recall"][1],
                         "precision_n": sc["precision"][0], "precision_d": sc["precision"][1],
                         "right_where_rules_wrong": sum(1 for i, v in ok.items() if v and not rule_ok[i]),
                         "wrong_where_rules_right": sum(1 for i, v in ok.items() if not v and rule_ok[i])})
    df = pd.DataFrame(rows)
    df["recall"] = [f"{100 * n / d:.1f}" if d else "" for n, d in zip(df["recall_n"], df["recall_d"])]
    df["precision"] = [f"{100 * n / d:.1f}" if d else "" for n, d in zip(df["precision_n"], df["precision_d"])]
    return df


def cross_validate(ts: TrainingSet, *, n_splits: int = 5, C: float = 1.0,
                   threshold: float | None = None) -> pd.DataFrame:
    """Grouped cross-validation: every fold's documents relabelled by models fit on the others.

    Parameters
    ----------
    ts : TrainingSet
    n_splits : int
        Folds of :func:`folds` (documents, never split).
    C, threshold : as in :class:`CountedNounModel`.

    Returns
    -------
    pandas.DataFrame
        One row per (gold set, method) with ``method`` ``rules``, ``learned`` (no rule features) and
        ``learned+rule``, the same folds for all; strict figure ``recall``/``precision`` numerators
        and denominators (:func:`govlab.evaluate.score_figures`) over all folds, and the figures
        the method gets right where the rules are wrong and the reverse; plus an ``all`` set.
    """
    frames = _relabel_folds(ts, folds(ts, n_splits), C, threshold)
    groups = {s: sorted(d for d in ts.texts if ts.sets[d] == s) for s in sorted(set(ts.sets.values()))}
    groups["all"] = sorted(ts.texts)
    return _score_rows(ts, frames, groups, f"grouped {n_splits}-fold CV")


def transfer(ts: TrainingSet, test_set: str, *, C: float = 1.0, threshold: float | None = None) -> pd.DataFrame:
    """Fit on every gold set but ``test_set`` and score ``test_set`` (one fold: the whole set).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`cross_validate`, design ``trained on the other sets``.
    """
    docs = sorted(d for d in ts.texts if ts.sets[d] == test_set)
    if not docs:
        raise InputError(f"no documents of set {test_set!r}; sets: {sorted(set(ts.sets.values()))}", key="test_set")
    frames = _relabel_folds(ts, [docs], C, threshold)
    return _score_rows(ts, frames, {test_set: docs}, "trained on the other sets")


def fit_model(ts: TrainingSet, *, use_rule: bool = False, C: float = 1.0,
              threshold: float | None = None) -> CountedNounModel:
    """A model fit on every labelled candidate of ``ts``."""
    feats = list(FEATURES) if use_rule else [f for f in FEATURES if f not in RULE_FEATURES]
    lab = _labelled(ts, sorted(ts.texts))
    return CountedNounModel(features=feats, C=C, threshold=threshold).fit(ts.cands[lab], ts.y[lab.to_numpy()])


def score_model(ts: TrainingSet, model: CountedNounModel) -> pd.DataFrame:
    """Strict figure scores of the rules and of ``model`` on every document of ``ts`` (no refitting)."""
    chosen = model.choose(ts.cands)
    f = ts.figures.copy()
    f.loc[chosen.index, "counted"] = chosen.to_numpy()
    rows = []
    for m, fr in (("rules", ts.figures), ("model", f)):
        sc = _score(ts, fr, sorted(ts.texts))
        rows.append({"method": m, "recall": f"{100 * sc['recall'][0] / max(sc['recall'][1], 1):.1f}",
                     "recall_n": sc["recall"][0], "recall_d": sc["recall"][1],
                     "precision": f"{100 * sc['precision'][0] / max(sc['precision'][1], 1):.1f}",
                     "precision_n": sc["precision"][0], "precision_d": sc["precision"][1]})
    return pd.DataFrame(rows)


CV_COLUMNS = ["design", "set", "documents", "method", "recall", "recall_n", "recall_d", "precision", "precision_n",
              "precision_d", "right_where_rules_wrong", "wrong_where_rules_right"]


def cv_table(gold_dirs: Sequence[str | os.PathLike], *, split_file: str | os.PathLike | None = None,
             split: str | None = None, figures_files: Mapping[str, str] | None = None,
             n_splits: int = 5, transfer_to: str | None = None) -> pd.DataFrame:
    """The table ``datasets/evaluation/counted_cv.csv``: rules against the learned choice.

    Parameters
    ----------
    gold_dirs, split_file, split, figures_files
        As in :func:`training_set`.
    n_splits : int
        Folds of the grouped cross-validation.
    transfer_to : str, optional
        Also fit on the other sets and score this one (:func:`transfer`); the set is named by its
        folder name.

    Returns
    -------
    pandas.DataFrame
        :data:`CV_COLUMNS` (derived numbers only).
    """
    ts = training_set(gold_dirs, split_file=split_file, split=split, figures_files=figures_files)
    parts = [cross_validate(ts, n_splits=n_splits)]
    if transfer_to:
        parts.append(transfer(ts, transfer_to))
    return pd.concat(parts, ignore_index=True)[CV_COLUMNS]


def train(gold_dirs: Sequence[str | os.PathLike], out: str | os.PathLike, *, split_file=None, split=None,
          figures_files: Mapping[str, str] | None = None, use_rule: bool = False, C: float = 1.0,
          threshold: float | None = None, n_splits: int = 5) -> CountedNounModel:
    """Fit a model on the gold folders, cross-validate it, and write it as JSON to ``out``.

    The JSON holds the features, weights and intercept, every training text's sha256, the govlab
    commit and the grouped-CV strict scores (``all`` row of :func:`cross_validate`).
    """
    from govlab.provenance import commit

    ts = training_set(gold_dirs, split_file=split_file, split=split, figures_files=figures_files)
    model = fit_model(ts, use_rule=use_rule, C=C, threshold=threshold)
    cv = cross_validate(ts, n_splits=n_splits, C=C, threshold=threshold)
    method = "learned+rule" if use_rule else "learned"
    cv_all = cv[cv["method"].isin(["rules", method])]
    model.meta = {
        "training_files": ts.files,
        "training": {"documents": len(ts.texts), "figures": int(ts.cands["fig"].nunique()),
                     "candidates": int(len(ts.cands)), "positives": int(ts.y.sum())},
        "govlab_commit": commit(),
        "cv": {"folds": n_splits, "grouped_by": "document",
               "strict": {f"{r.set} {r.method}": {"recall": r.recall, "precision": r.precision}
                          for r in cv_all.itertuples()}},
    }
    model.to_json(out)
    return model


# ----------------------------------------------------------------------------- command line

def _figures_files(pairs: Sequence[str] | None) -> dict:
    out = {}
    for p in pairs or ():
        if "=" not in p:
            raise InputError(f"expected DIR=CSV, got {p!r}", key="--gold-figures")
        d, f = p.split("=", 1)
        out[str(Path(d))] = f
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m govlab.experiments.learned_counted {train,cv} --gold-dir DIR [--gold-dir DIR ...] ...``.

    ``train ... --out PATH`` writes the model JSON; ``cv ... --out CSV`` writes :func:`cv_table`.
    ``--split-file F --split tune`` keeps the documents F puts in ``tune`` (others it does not list
    are kept); ``--gold-figures DIR=CSV`` uses another gold table for a folder.
    """
    ap = argparse.ArgumentParser(prog="python -m govlab.experiments.learned_counted",
                                 description="Train or cross-validate the learned counted-noun choice.")
    ap.add_argument("command", choices=["train", "cv"])
    ap.add_argument("--gold-dir", action="append", required=True, metavar="DIR")
    ap.add_argument("--gold-figures", action="append", metavar="DIR=CSV")
    ap.add_argument("--split-file")
    ap.add_argument("--split", choices=["tune", "heldout"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--with-rule", action="store_true",
                    help="train with the rule-pick features (the shipped model is trained without them)")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--transfer-to", metavar="SET", help="cv: also fit on the other folders and score this one")
    args = ap.parse_args(argv)
    if (args.split_file is None) != (args.split is None):
        ap.error("--split-file and --split go together")
    ff = _figures_files(args.gold_figures)
    try:
        if args.command == "train":
            m = train(args.gold_dir, args.out, split_file=args.split_file, split=args.split, figures_files=ff,
                      use_rule=args.with_rule, C=args.C, threshold=args.threshold, n_splits=args.folds)
            print(f"wrote {args.out}: {m.meta['training']}")
            for k, v in m.meta["cv"]["strict"].items():
                print(f"  CV strict {k}: recall {v['recall']}, precision {v['precision']}")
        else:
            from govlab.io import write_csv

            df = cv_table(args.gold_dir, split_file=args.split_file, split=args.split, figures_files=ff,
                          n_splits=args.folds, transfer_to=args.transfer_to)
            write_csv(df, args.out)
            print(df.to_string(index=False))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
