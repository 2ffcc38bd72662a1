"""A learned span classifier for the open-vocabulary code categories (platform, problem, actor).

The codebook's rules are hand-written and were tuned on the texts they are scored on. This module
is the experiment of learning the same decision from the gold annotations instead, with a small,
general model that is judged by cross-validation grouped by document (:func:`cross_validate`).

Pipeline
--------
1. **Candidates** (:func:`candidate_spans`): every run of 1 to ``max_tokens`` word tokens
   (rjieba with the domain lexicon) inside one clause (clauses end at ，。；！？： and line breaks;
   quotes, 、, · and spaces may sit inside a span, balanced) that starts with no particle, preposition or
   conjunction and whose last word is content-like (not a particle, preposition, conjunction,
   adverb, pronoun, numeral, measure word or localiser, by jieba's dictionary tags); every quoted
   name “…” (up to 20 characters) alone and with the one to three words that follow it; and every
   span the codebook's rules code (:func:`govlab.coding.code_text`), so the model can keep or drop
   them.
2. **Features** (:func:`span_features`): small and general: the first and last character, the last
   two characters, the first and last word and their dictionary tags, the tag pattern of the span
   (first and last tag), length in characters and words (bucketed), quotes, the word, tag and
   punctuation before and after it, digits or Latin letters inside, and whether a rule coded
   exactly this span, a span containing it or a span inside it, with the rule's category. No
   feature names a document or an example; at training, features seen in fewer than
   ``min_docs`` training documents are dropped (a word met in one text cannot become a rule).
   Traditional script is read as simplified (OpenCC, as :mod:`govlab.evaluate` does).
3. **Labels** (:func:`label_candidates`): a candidate is positive for category ``c`` when, with
   spaces and quotes trimmed from both ends (``govlab.evaluate``'s normalisation), its offsets equal
   an occurrence of a gold item of ``c`` located in the clean text by ``govlab.evaluate``'s own
   helpers. A candidate equal to gold items of two categories takes the first of
   ``platform, problem, actor``. Nested candidates are labelled independently: 委员工作室 and
   政协委员工作室 are both positive when both are gold items.
4. **Model** (:class:`SpanModel`): one-vs-rest logistic regression (scikit-learn, ``lbfgs``,
   deterministic) over ``none, platform, problem, actor``; probabilities are the one-vs-rest
   scores normalised to sum to one (as :class:`sklearn.multiclass.OneVsRestClassifier`).
   Exported to plain JSON (weights rounded to 6 significant digits, so retraining writes the same
   bytes) and applied from JSON with numpy only.
5. **Decoding** (:meth:`SpanModel.predict_codes`): a candidate takes the class with the highest
   probability; among the candidates of one category, the highest-scoring ones are kept greedily
   and a candidate overlapping one already kept is dropped (so a category never codes nested or
   crossing spans; categories may overlap each other, as gold items do). Codes are ``<category>.learned``.

Evaluation
----------
:func:`cross_validate` splits the documents into folds (whole documents only), trains on the other
folds and codes the held-out documents three ways: the rules as they are (``rules``), the rules
plus the learned spans that overlap no rule code of their category (``rules+learned``), and the
learned spans replacing the rules' codes of the learned categories (``learned``). Each is scored with
:func:`govlab.evaluate.score_codes`, the function behind ``govlab evaluate``, so the numbers sit
beside its tables. :func:`cv_table` writes ``datasets/evaluation/code_spans_cv.csv``.

Command line::

    python -m govlab.experiments.learned_spans train --gold-dir DIR [--gold-dir DIR2 --codes-file CSV ...] --out PATH
    python -m govlab.experiments.learned_spans cv --gold-dir DIR ... --out code_spans_cv.csv
    python -m govlab.experiments.learned_spans score --model PATH --gold-dir DIR --split-file CSV --part heldout --out CSV

The shipped model and tables were made with (the texts live outside the project)::

    SETS="--gold-dir ../shared/devset --split-file datasets/evaluation/split.csv --set-name devset_tune \\
          --gold-dir ../extra_devset --split-file - --set-name extra \\
          --gold-dir ../extra2_devset --split-file - --set-name final"
    python -m govlab.experiments.learned_spans cv $SETS --out datasets/evaluation/code_spans_cv.csv
    python -m govlab.experiments.learned_spans train $SETS --out datasets/models/code_spans.json
    python -m govlab.experiments.learned_spans score --gold-dir ../shared/devset --split-file datasets/evaluation/split.csv \\
        --part heldout --set-name devset_heldout --out datasets/evaluation/code_spans_heldout.csv
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import os
import re
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from govlab.errors import InputError

__all__ = [
    "LEARNED_CATEGORIES", "CLASSES", "threshold_grid", "MODEL_FORMAT", "candidate_spans", "span_features", "label_candidates",
    "SpanModel", "train", "load_model", "learned_codes", "combine_codes", "cross_validate", "cv_table",
    "TrainingSet", "training_set", "default_model_path", "main",
]

#: Categories the model codes.
LEARNED_CATEGORIES = ("platform", "problem", "actor")
#: Classes of the model, ``none`` first.
CLASSES = ("none", *LEARNED_CATEGORIES)
#: Format tag written in (and required of) the JSON model file.
MODEL_FORMAT = "govlab.code_spans/1"

_CLAUSE_END = set("，。；！？：,;!?:\n\r")
_OPEN = set("“‘「『《\"'(（【")
_CLOSE = set("”’」』》\"')）】")
_INNER = set("、·•—- \u3000\t")
#: Dictionary tags a span may not end with (function words, numerals, measure words, localisers).
_BAD_END = frozenset({"u", "uj", "ul", "uz", "ug", "uv", "ud", "p", "c", "d", "r", "m", "mq", "q", "y", "e",
                      "o", "f", "zg", "x", "w"})
#: Dictionary tags a span may not start with.
_BAD_START = frozenset({"u", "uj", "ul", "uz", "ug", "uv", "ud", "p", "c", "y", "e", "o", "x", "w"})
_QUOTE_RX = re.compile(r"[“「『《\"][^“”「」『』《》\"\n。；！？]{1,20}[”」』》\"]")
_DIGIT = re.compile(r"[0-9０-９一二三四五六七八九十百千万]")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")


# ----------------------------------------------------------------------------- words

@functools.lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """Every word of jieba's ``dict.txt`` (which jieba-rs also ships) -> its part-of-speech tag."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        return {}
    out: dict[str, str] = {}
    with open(Path(spec.origin).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                out.setdefault(parts[0], parts[2])
    return out


@functools.lru_cache(maxsize=1)
def _segmenter():
    from govlab.text.lexicon import load_lexicon
    from govlab.text.segment import get_segmenter

    return get_segmenter("rjieba", load_lexicon())


@functools.lru_cache(maxsize=65536)
def _simp(s: str) -> str:
    from govlab.evaluate import _t2s

    return _t2s(s)


@functools.lru_cache(maxsize=65536)
def _tag(word: str) -> str:
    """Dictionary tag of a (simplified) word: jieba's tag, ``lex`` for a domain-lexicon term that is
    no dictionary word, ``w`` punctuation, ``m`` digits, ``eng`` Latin, ``unk`` otherwise."""
    if not word.strip():
        return "w"
    tag = _dictionary().get(word)
    if tag is not None:
        return tag
    if word in _segmenter().lexicon:
        return "lex"
    if all(ch in _OPEN or ch in _CLOSE or ch in _INNER or ch in _CLAUSE_END or not ch.isalnum() for ch in word):
        return "w"
    if _DIGIT.fullmatch(word[0]) and word.isalnum():
        return "m"
    if _LATIN.match(word):
        return "eng"
    return "unk"


@dataclass(frozen=True)
class _Tokens:
    words: list[str]   # as in the text
    simp: list[str]    # simplified
    tags: list[str]
    starts: list[int]
    ends: list[int]


def _tokens(text: str) -> _Tokens:
    words = _segmenter().cut(text)
    starts, ends, pos = [], [], 0
    for w in words:
        starts.append(pos)
        pos += len(w)
        ends.append(pos)
    simp = [_simp(w) if len(_simp(w)) == len(w) else w for w in words]
    return _Tokens(words, simp, [_tag(s) for s in simp], starts, ends)


def _kind(word: str) -> str:
    """``word``, ``open``, ``close``, ``inner`` (enumeration comma, middle dot, space) or ``end``."""
    if not word:
        return "end"
    if all(ch in _CLAUSE_END for ch in word):
        return "end"
    if all(ch in _OPEN for ch in word):
        return "open"
    if all(ch in _CLOSE for ch in word):
        return "close"
    if all(ch in _INNER for ch in word):
        return "inner"
    if not any(ch.isalnum() for ch in word):
        return "end"
    return "word"


# ----------------------------------------------------------------------------- candidates

_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("《", "》"), ("‘", "’"), ("（", "）"), ("(", ")"))


def _balanced(span: str) -> bool:
    """Every quote or bracket the span opens it also closes, and the other way round."""
    return all(span.count(o) == span.count(c) for o, c in _PAIRS) and span.count('"') % 2 == 0

CANDIDATE_COLUMNS = ["start", "end", "span", "origin", "rule_category", "rule_code"]


def candidate_spans(text: str, codes: pd.DataFrame | None = None, *, max_tokens: int = 6) -> pd.DataFrame:
    """Candidate spans of one clean text (see the module docstring for which spans).

    Parameters
    ----------
    text : str
        Clean text of one document.
    codes : pandas.DataFrame, optional
        The rules' codes of this text (:func:`govlab.coding.code_text`); computed when omitted.
    max_tokens : int
        Longest span in word tokens (punctuation allowed inside a span is not counted).

    Returns
    -------
    pandas.DataFrame
        ``start, end, span, origin, rule_category, rule_code``, one row per distinct (start, end),
        sorted by offsets. ``origin`` is ``ngram``, ``quote`` or ``rule`` (the first that made it);
        ``rule_category`` and ``rule_code`` name the rule code of exactly this span (``""`` if none).

    Examples
    --------
    >>> c = candidate_spans("（虚构）青溪镇设立“邻里茶话”议事厅。")
    >>> "“邻里茶话”议事厅" in set(c["span"]), "议事厅" in set(c["span"])
    (True, True)
    >>> c.loc[c["span"] == "“邻里茶话”议事厅", "rule_category"].item()
    'platform'
    """
    if codes is None:
        from govlab.coding.coding import code_text

        codes = code_text(text)
    tok = _tokens(text)
    kinds = [_kind(w) for w in tok.words]
    found: dict[tuple[int, int], str] = {}
    n = len(tok.words)
    for i in range(n):
        if kinds[i] not in ("word", "open") or (kinds[i] == "word" and tok.tags[i] in _BAD_START):
            continue
        words = 0
        for j in range(i, n):
            k = kinds[j]
            if k == "end":
                break
            if k == "word":
                words += 1
                if words > max_tokens:
                    break
            last = j if k == "word" else (j - 1 if k == "close" and j > i and kinds[j - 1] == "word" else -1)
            if last < 0 or words == 0 or tok.tags[last] in _BAD_END:
                continue
            if _balanced(text[tok.starts[i]:tok.ends[j]]):
                found.setdefault((tok.starts[i], tok.ends[j]), "ngram")
    for m in _QUOTE_RX.finditer(text):
        found.setdefault((m.start(), m.end()), "quote")
        j = int(np.searchsorted(tok.starts, m.end()))
        for k in range(j, min(j + 3, n)):
            if kinds[k] != "word":
                break
            if tok.tags[k] not in _BAD_END:
                found.setdefault((m.start(), tok.ends[k]), "quote")
    rule = {}
    for r in codes.itertuples(index=False):
        if r.category in LEARNED_CATEGORIES or r.category in ("locality", "mechanism", "step"):
            key = (int(r.start), int(r.end))
            found.setdefault(key, "rule")
            rule.setdefault(key, (r.category, r.code))
    rows = [(s, e, text[s:e], o, *rule.get((s, e), ("", ""))) for (s, e), o in sorted(found.items()) if e > s]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS).astype({"start": "int64", "end": "int64"})


# ----------------------------------------------------------------------------- features

def _bucket(n: int, edges=(1, 2, 3, 4, 6, 9, 13)) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def _punct_class(ch: str) -> str:
    if not ch:
        return "edge"
    if ch in _CLAUSE_END:
        return "end"
    if ch in _OPEN:
        return "open"
    if ch in _CLOSE:
        return "close"
    if ch in "、":
        return "enum"
    if ch.isspace():
        return "space"
    return "char"


def span_features(text: str, candidates: pd.DataFrame, codes: pd.DataFrame | None = None) -> list[dict]:
    """Features of each candidate span: a dict of binary (value 1) features per row.

    Parameters
    ----------
    text : str
        The clean text the candidates come from.
    candidates : pandas.DataFrame
        :func:`candidate_spans` output.
    codes : pandas.DataFrame, optional
        The rules' codes of the text (for the ``rule_in`` / ``rule_around`` features); the exact-span
        rule features come from ``candidates`` itself.

    Returns
    -------
    list of dict
        One dict per candidate row, feature name -> 1.0.

    Examples
    --------
    >>> t = "（虚构）青溪镇设立“邻里茶话”议事厅。"
    >>> f = span_features(t, candidate_spans(t))
    >>> c = candidate_spans(t)
    >>> row = f[int((c["span"] == "“邻里茶话”议事厅").to_numpy().argmax())]
    >>> row["last_char=厅"], row["quote_start"], row["rule=platform"]
    (1.0, 1.0, 1.0)
    """
    tok = _tokens(text)
    starts = np.asarray(tok.starts, dtype=np.int64)
    ends = np.asarray(tok.ends, dtype=np.int64)
    rule_spans = []
    if codes is not None and len(codes):
        rule_spans = [(int(s), int(e), c) for s, e, c in zip(codes["start"], codes["end"], codes["category"])]
    out = []
    for r in candidates.itertuples(index=False):
        s, e = int(r.start), int(r.end)
        span = _simp(r.span) if len(_simp(r.span)) == len(r.span) else r.span
        i = int(np.searchsorted(starts, s, side="right")) - 1
        j = int(np.searchsorted(ends, e, side="left"))
        idx = [k for k in range(max(i, 0), min(j, len(tok.words) - 1) + 1) if _kind(tok.words[k]) == "word"]
        f: dict[str, float] = {"bias_span": 1.0}
        core = span.strip("“”‘’「」『』《》\"' \u3000")
        if core:
            f[f"last_char={core[-1]}"] = 1.0
            f[f"first_char={core[0]}"] = 1.0
            f[f"last2={core[-2:]}"] = 1.0
        if idx:
            first, last = idx[0], idx[-1]
            f[f"first_tok={tok.simp[first]}"] = 1.0
            f[f"last_tok={tok.simp[last]}"] = 1.0
            f[f"first_tag={tok.tags[first]}"] = 1.0
            f[f"last_tag={tok.tags[last]}"] = 1.0
            f[f"tags={tok.tags[first]}..{tok.tags[last]}"] = 1.0
            f[f"n_tok={_bucket(len(idx), (1, 2, 3, 4, 5))}"] = 1.0
            f[f"last_tok_len={min(len(tok.simp[last]), 4)}"] = 1.0
        f[f"n_char={_bucket(len(core))}"] = 1.0
        if span[:1] in _OPEN:
            f["quote_start"] = 1.0
        if span[-1:] in _CLOSE:
            f["quote_end"] = 1.0
        if any(ch in _OPEN for ch in span[1:]):
            f["quote_inside"] = 1.0
        if "、" in span:
            f["enum_inside"] = 1.0
        if _DIGIT.search(core):
            f["digit"] = 1.0
        if _LATIN.search(core):
            f["latin"] = 1.0
        f[f"prev_p={_punct_class(text[s - 1] if s > 0 else '')}"] = 1.0
        f[f"next_p={_punct_class(text[e] if e < len(text) else '')}"] = 1.0
        if i - 1 >= 0 and tok.ends[i - 1] == s and _kind(tok.words[i - 1]) == "word":
            f[f"prev_tok={tok.simp[i - 1]}"] = 1.0
            f[f"prev_tag={tok.tags[i - 1]}"] = 1.0
        if j + 1 < len(tok.words) and tok.starts[j + 1] == e and _kind(tok.words[j + 1]) == "word":
            f[f"next_tok={tok.simp[j + 1]}"] = 1.0
            f[f"next_tag={tok.tags[j + 1]}"] = 1.0
        f[f"origin={r.origin}"] = 1.0
        if r.rule_category:
            f[f"rule={r.rule_category}"] = 1.0
        for rs, re_, rc in rule_spans:
            if rs < e and s < re_ and (rs, re_) != (s, e):
                if rs <= s and e <= re_:
                    f[f"rule_around={rc}"] = 1.0
                elif s <= rs and re_ <= e:
                    f[f"rule_in={rc}"] = 1.0
                else:
                    f[f"rule_cross={rc}"] = 1.0
        out.append(f)
    return out


# ----------------------------------------------------------------------------- labels

def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    from govlab.evaluate import _STRIP

    while s < e and _STRIP.fullmatch(text[s]):
        s += 1
    while e > s and _STRIP.fullmatch(text[e - 1]):
        e -= 1
    return s, e


def gold_occurrences(text: str, gold: pd.DataFrame) -> dict[str, set[tuple[int, int]]]:
    """Occurrences of the gold items of each learned category in the clean text.

    Located with :mod:`govlab.evaluate`'s own helpers (every occurrence of every ``|`` alternative,
    after its normalisation), so a span counts here exactly where the scorer finds the item.

    Parameters
    ----------
    text : str
        Clean text.
    gold : pandas.DataFrame
        Gold codes of this document (``category, item_zh``).

    Returns
    -------
    dict
        category -> set of (start, end).

    Examples
    --------
    >>> g = pd.DataFrame({"category": ["platform"], "item_zh": ["“邻里茶话”议事厅"]})
    >>> gold_occurrences("（虚构）设立“邻里茶话”议事厅。", g)["platform"]
    {(7, 15)}
    """
    from govlab.evaluate import _occurrences, _skeleton

    skel = _skeleton(text)
    out: dict[str, set[tuple[int, int]]] = {c: set() for c in LEARNED_CATEGORIES}
    for c, item in zip(gold["category"], gold["item_zh"]):
        if c in out:
            out[c].update(_occurrences(str(item), skel))
    return out


def label_candidates(text: str, candidates: pd.DataFrame, gold: pd.DataFrame) -> np.ndarray:
    """Class of each candidate: the learned category whose gold item it equals, else ``none``.

    Parameters
    ----------
    text : str
        Clean text.
    candidates : pandas.DataFrame
        :func:`candidate_spans` output.
    gold : pandas.DataFrame
        Gold codes of this document (``category, item_zh``).

    Returns
    -------
    numpy.ndarray of str

    Examples
    --------
    >>> t = "（虚构）设立“邻里茶话”议事厅。"
    >>> c = candidate_spans(t)
    >>> g = pd.DataFrame({"category": ["platform"], "item_zh": ["“邻里茶话”议事厅"]})
    >>> sorted(c.loc[label_candidates(t, c, g) == "platform", "span"])
    ['“邻里茶话”议事厅']
    """
    occ = gold_occurrences(text, gold)
    out = []
    for s, e in zip(candidates["start"], candidates["end"]):
        key = _trim(text, int(s), int(e))
        out.append(next((c for c in LEARNED_CATEGORIES if key in occ[c]), "none"))
    return np.asarray(out, dtype=object)


# ----------------------------------------------------------------------------- training data

@dataclass
class TrainingSet:
    """Candidates, features and labels of a set of documents.

    Attributes
    ----------
    texts : dict
        doc_id -> clean text.
    codes : pandas.DataFrame
        The rules' codes of every document (:func:`govlab.coding.code_corpus`).
    candidates : pandas.DataFrame
        :data:`CANDIDATE_COLUMNS` plus ``doc_id`` and ``label``.
    features : list of dict
        One per candidate row.
    gold : pandas.DataFrame
        Gold codes (``doc_id, category, item_zh``).
    files : list of dict
        ``name, sha256`` of every file read (texts and gold tables).
    """

    texts: dict
    codes: pd.DataFrame
    candidates: pd.DataFrame
    features: list
    gold: pd.DataFrame
    files: list = field(default_factory=list)
    sets: dict = field(default_factory=dict)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def training_set(gold_dirs: Sequence, *, codes_files: Sequence | None = None, files: Sequence | None = None,
                 names: Sequence[str] | None = None, max_tokens: int = 6) -> TrainingSet:
    """Read gold folders and build candidates, features and labels for every document.

    Parameters
    ----------
    gold_dirs : sequence of path-like
        Gold folders (``raw/*.txt`` plus gold tables, :func:`govlab.evaluate.read_gold`).
    codes_files : sequence of path-like or None, optional
        Per folder, a gold codes table to use instead of the folder's ``gold_codes.csv`` (``None``
        entries keep the folder's).
    files : sequence of str, optional
        Keep only these documents (by file name without ``.txt``), across all folders.
    names : sequence of str, optional
        A name per folder for the score tables (default: the folder's name).
    max_tokens : int
        See :func:`candidate_spans`.

    Returns
    -------
    TrainingSet
        ``sets`` maps each doc_id to its folder's name (or ``names``); doc_ids must be distinct across folders.

    Raises
    ------
    govlab.errors.InputError
        A bad gold folder (as :func:`govlab.evaluate.read_gold`) or a doc_id in two folders.
    """
    from govlab.coding.coding import code_corpus
    from govlab.evaluate import _FIG_REQUIRED, read_gold  # noqa: F401

    codes_files = list(codes_files or [None] * len(gold_dirs))
    if len(codes_files) != len(gold_dirs):
        raise InputError("give one codes file (or none) per gold folder", key="codes_files")
    names = list(names) if names else [Path(d).name for d in gold_dirs]
    if len(names) != len(gold_dirs):
        raise InputError("give one name per gold folder", key="names")
    texts, gold, sets, meta = {}, [], {}, []
    keep = None if files is None else {f.removesuffix(".txt") for f in files}
    for d, cf, set_name in zip(gold_dirs, codes_files, names):
        d = Path(d)
        gs = _read_codes_gold(d, cf)
        names = sorted(gs.texts if keep is None else set(gs.texts) & keep)
        for name in names:
            if name in texts:
                raise InputError(f"document {name!r} is in two gold folders", source=str(d))
            texts[name] = gs.texts[name]
            sets[name] = set_name
            meta.append({"name": f"{d.name}/raw/{name}.txt", "sha256": _sha256(d / "raw" / f"{name}.txt")})
        gold.append(gs.codes[gs.codes["doc_id"].isin(names)][["doc_id", "category", "item_zh"]])
        cpath = Path(cf) if cf is not None else d / "gold_codes.csv"
        meta.append({"name": f"{d.name}/{cpath.name}", "sha256": _sha256(cpath)})
    gold_df = pd.concat(gold, ignore_index=True) if gold else pd.DataFrame(columns=["doc_id", "category", "item_zh"])
    codes = code_corpus(texts)
    return _build(texts, codes, gold_df, meta, sets, max_tokens)


def _read_codes_gold(d: Path, codes_file):
    """read_gold for codes only: a folder without gold_figures.csv gets an empty one in memory."""
    from govlab.evaluate import read_gold

    fig = d / "gold_figures.csv"
    if fig.is_file():
        return read_gold(d, codes_file=codes_file)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "gold_figures.csv"
        p.write_text("file,value,unit,counted,counted_zh,approx,context\n", encoding="utf-8")
        return read_gold(d, codes_file=codes_file, figures_file=p)


def _build(texts, codes, gold, meta, sets, max_tokens) -> TrainingSet:
    frames, feats = [], []
    for d in sorted(texts):
        t = texts[d]
        dc = codes[codes["doc_id"] == d]
        c = candidate_spans(t, dc, max_tokens=max_tokens)
        c.insert(0, "doc_id", d)
        c["label"] = label_candidates(t, c, gold[gold["doc_id"] == d])
        frames.append(c)
        feats.extend(span_features(t, c, dc))
    cands = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["doc_id", *CANDIDATE_COLUMNS, "label"])
    return TrainingSet(texts=texts, codes=codes, candidates=cands, features=feats, gold=gold, files=meta, sets=sets)


# ----------------------------------------------------------------------------- model

def _round(x: float, digits: int = 6) -> float:
    if x == 0 or not math.isfinite(x):
        return 0.0
    return float(f"{x:.{digits}g}")


@dataclass
class SpanModel:
    """One-vs-rest logistic regression over span features, applied with numpy.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation strength of each logistic regression.
    min_docs : int
        A feature is kept only when it occurs in at least this many training documents.
    min_prob : float
        A candidate is coded with its best category (the highest normalised probability other than
        ``none``) when that probability is at least this.
    rule_features : bool
        Use the features that say what the rules coded (``rule=``, ``rule_around=``, ``rule_in=``,
        ``rule_cross=``, ``origin=rule``); ``False`` learns from the text alone (an ablation: on
        texts the rules were tuned on, the rule features let the model copy the rules).

    The defaults (``C=0.3, min_prob=0.15``) were chosen by the micro-averaged F1 of the learned
    codes (recall and precision over platform, problem and actor) in 5-fold grouped CV on the
    development set's tune part and the extra set, from ``C`` in 0.1, 0.3, 1, 3 and ``min_prob`` in
    0.1, 0.15, 0.25, 0.4; the final test set played no part in the choice.

    Attributes
    ----------
    feature_names : list of str
    coef : numpy.ndarray, shape (n_classes, n_features)
    intercept : numpy.ndarray, shape (n_classes,)
    classes : tuple of str
    meta : dict
        Training files, counts and scores written into the JSON file.

    Examples
    --------
    >>> m = SpanModel(min_docs=1).fit([{"a": 1.0}, {"b": 1.0}] * 3, ["platform", "none"] * 3, ["d1", "d2"] * 3)
    >>> m.predict_proba([{"a": 1.0}]).argmax(axis=1).tolist()
    [1]
    >>> SpanModel.from_dict(m.to_dict()).predict_proba([{"a": 1.0}]).round(3).tolist() == \\
    ...     m.predict_proba([{"a": 1.0}]).round(3).tolist()
    True
    """

    C: float = 0.3
    min_docs: int = 2
    min_prob: float = 0.15
    rule_features: bool = True
    feature_names: list = field(default_factory=list)
    coef: np.ndarray = None
    intercept: np.ndarray = None
    classes: tuple = CLASSES
    meta: dict = field(default_factory=dict)

    def fit(self, features: Sequence[Mapping[str, float]], labels: Sequence[str], groups: Sequence[str]) -> SpanModel:
        """Fit on feature dicts, class labels and the document of each row (for ``min_docs``).

        Returns
        -------
        SpanModel
            ``self``, with weights rounded as they are written to JSON (so a model applied after
            training and one read back from its file score identically).
        """
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        docs_of: dict[str, set] = defaultdict(set)
        for f, g in zip(features, groups):
            for k in f:
                docs_of[k].add(g)
        names = sorted(k for k, v in docs_of.items() if len(v) >= self.min_docs
                       and (self.rule_features or not k.startswith(_RULE_PREFIXES)))
        index = {k: i for i, k in enumerate(names)}
        X = _matrix(features, index, sparse)
        y = np.asarray(labels, dtype=object)
        coef = np.zeros((len(self.classes), len(names)))
        icpt = np.zeros(len(self.classes))
        for ci, c in enumerate(self.classes):
            yc = (y == c).astype(np.int64)
            if yc.min() == yc.max():
                icpt[ci] = 20.0 if yc[0] else -20.0
                continue
            lr = LogisticRegression(C=self.C, solver="lbfgs", max_iter=5000, tol=1e-8)
            lr.fit(X, yc)
            coef[ci] = lr.coef_[0]
            icpt[ci] = lr.intercept_[0]
        self.feature_names = names
        self.coef = np.vectorize(_round)(coef) if coef.size else coef
        self.intercept = np.vectorize(_round)(icpt)
        return self

    def _check(self):
        if self.coef is None:
            raise InputError("the model is not trained", key="SpanModel")

    def decision(self, features: Sequence[Mapping[str, float]]) -> np.ndarray:
        """One-vs-rest decision values, shape (n, n_classes) (numpy only)."""
        self._check()
        index = {k: i for i, k in enumerate(self.feature_names)}
        out = np.tile(self.intercept, (len(features), 1))
        for r, f in enumerate(features):
            cols = [index[k] for k in f if k in index]
            if cols:
                vals = np.asarray([f[self.feature_names[c]] for c in cols])
                out[r] += self.coef[:, cols] @ vals
        return out

    def predict_proba(self, features: Sequence[Mapping[str, float]]) -> np.ndarray:
        """Normalised one-vs-rest probabilities, shape (n, n_classes), columns in :attr:`classes` order."""
        z = self.decision(features)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        s = p.sum(axis=1, keepdims=True)
        return p / np.where(s == 0, 1.0, s)

    def predict_codes(self, text: str, codes: pd.DataFrame | None = None, *, doc_id: str = "doc",
                      candidates: pd.DataFrame | None = None, features: list | None = None) -> pd.DataFrame:
        """Learned codes of one text, decoded as in the module docstring.

        Parameters
        ----------
        text : str
            Clean text.
        codes : pandas.DataFrame, optional
            The rules' codes of the text (computed when omitted).
        doc_id : str
        candidates, features : optional
            Precomputed :func:`candidate_spans` / :func:`span_features` of the text.

        Returns
        -------
        pandas.DataFrame
            :data:`govlab.coding.CODE_COLUMNS` plus ``score``; ``code`` is ``<category>.learned``,
            ``section`` is ``learned``.
        """
        if codes is None:
            from govlab.coding.coding import code_text

            codes = code_text(text, doc_id=doc_id)
        if candidates is None:
            candidates = candidate_spans(text, codes)
        if features is None:
            features = span_features(text, candidates, codes)
        return _decode(self, text, candidates, self.predict_proba(features) if len(features) else
                       np.zeros((0, len(self.classes))), doc_id)

    def to_dict(self) -> dict:
        """The model as plain JSON-able data (see :func:`load_model` for the keys)."""
        self._check()
        return {
            "format": MODEL_FORMAT,
            "classes": list(self.classes),
            "params": {"C": self.C, "min_docs": self.min_docs, "min_prob": self.min_prob,
                       "rule_features": self.rule_features},
            "feature_names": list(self.feature_names),
            "intercept": [_round(float(x)) for x in self.intercept],
            "coef": [[_round(float(x)) for x in row] for row in self.coef],
            **self.meta,
        }

    @classmethod
    def from_dict(cls, d: Mapping, source: str = "<model>") -> SpanModel:
        """Build a model from :meth:`to_dict` data, checking every key (errors name ``source`` and the key)."""
        for key in ("format", "classes", "params", "feature_names", "intercept", "coef"):
            if key not in d:
                raise InputError("missing key", source=source, key=key)
        if d["format"] != MODEL_FORMAT:
            raise InputError(f"expected {MODEL_FORMAT!r}, got {d['format']!r}", source=source, key="format")
        classes = tuple(d["classes"])
        if classes != CLASSES:
            raise InputError(f"expected {list(CLASSES)}, got {list(classes)}", source=source, key="classes")
        names = d["feature_names"]
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            raise InputError("expected a list of strings", source=source, key="feature_names")
        try:
            coef = np.asarray(d["coef"], dtype=np.float64)
            icpt = np.asarray(d["intercept"], dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"expected numbers ({exc})", source=source, key="coef") from None
        if coef.shape != (len(classes), len(names)):
            raise InputError(f"expected shape {(len(classes), len(names))}, got {coef.shape}", source=source,
                             key="coef")
        if icpt.shape != (len(classes),):
            raise InputError(f"expected {len(classes)} numbers, got shape {icpt.shape}", source=source,
                             key="intercept")
        p = d["params"]
        try:
            m = cls(C=float(p["C"]), min_docs=int(p["min_docs"]), min_prob=float(p["min_prob"]),
                    rule_features=bool(p.get("rule_features", True)))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"expected C, min_docs and min_prob ({exc})", source=source, key="params") from None
        m.feature_names, m.coef, m.intercept, m.classes = list(names), coef, icpt, classes
        m.meta = {k: v for k, v in d.items() if k not in ("format", "classes", "params", "feature_names",
                                                          "intercept", "coef")}
        return m

    def save(self, path: str | os.PathLike) -> Path:
        """Write the model as JSON (sorted keys, UTF-8, one line per key, per class row of ``coef`` and per
        list item of ``training`` and ``cv``); the same model writes the same bytes."""
        from govlab.io import write_text

        return write_text(Path(path), _dumps(self.to_dict()))


def _dumps(d: Mapping) -> str:
    def one(v) -> str:
        return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def block(v, indent: str) -> str:
        if isinstance(v, list) and v and isinstance(v[0], (list, dict)):
            return "[\n" + ",\n".join(indent + " " + one(x) for x in v) + "\n" + indent + "]"
        if isinstance(v, dict) and any(isinstance(x, list) for x in v.values()):
            return "{\n" + ",\n".join(f"{indent} {one(k)}: {block(v[k], indent + ' ')}" for k in sorted(v)) + \
                "\n" + indent + "}"
        return one(v)

    return block(dict(d), "") + "\n"


#: Features that say what the rules coded (dropped with ``rule_features=False``).
_RULE_PREFIXES = ("rule=", "rule_around=", "rule_in=", "rule_cross=", "origin=rule")


def _matrix(features, index, sparse):
    rows, cols, vals = [], [], []
    for r, f in enumerate(features):
        for k, v in f.items():
            c = index.get(k)
            if c is not None:
                rows.append(r)
                cols.append(c)
                vals.append(v)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(features), len(index)), dtype=np.float64)


def _decode(model: SpanModel, text: str, cands: pd.DataFrame, proba: np.ndarray, doc_id: str) -> pd.DataFrame:
    from govlab.coding.coding import CODE_COLUMNS

    rows = []
    if len(cands):
        best = proba[:, 1:].argmax(axis=1) + 1  # the best category, whatever ``none`` scores
        score = proba[np.arange(len(cands)), best]
        starts, ends = cands["start"].to_numpy(), cands["end"].to_numpy()
        for ci, c in enumerate(model.classes):
            if c == "none":
                continue
            pick = np.flatnonzero((best == ci) & (score >= model.min_prob))
            order = sorted(pick, key=lambda k: (-score[k], int(starts[k]), -int(ends[k])))
            kept: list[tuple[int, int]] = []
            for k in order:
                s, e = _trim(text, int(starts[k]), int(ends[k]))
                if e <= s or any(s < ke and ks < e for ks, ke in kept):
                    continue
                kept.append((s, e))
                rows.append((doc_id, f"{c}.learned", c, s, e, text[s:e], "learned", _round(float(score[k]), 4)))
    df = pd.DataFrame(rows, columns=[*CODE_COLUMNS, "score"]).astype({"start": "int64", "end": "int64"})
    return df.sort_values(["start", "code"], kind="mergesort").reset_index(drop=True)


def default_model_path() -> Path:
    """The shipped model, ``datasets/models/code_spans.json``."""
    from govlab.datasets import datasets_dir

    return Path(datasets_dir()) / "models" / "code_spans.json"


def load_model(path: str | os.PathLike | None = None) -> SpanModel:
    """Read a JSON model file written by :meth:`SpanModel.save`.

    The file holds ``format`` (:data:`MODEL_FORMAT`), ``classes``, ``params`` (``C, min_docs,
    min_prob``), ``feature_names``, ``coef`` (one row per class), ``intercept`` and, from
    :func:`train`, ``training`` (files with sha256, counts) and ``cv`` (cross-validated scores).

    Parameters
    ----------
    path : path-like, optional
        The shipped model when omitted.

    Returns
    -------
    SpanModel

    Raises
    ------
    govlab.errors.InputError
        The file is missing, not JSON, or lacks a key or has a wrong shape (naming the file and key).
    """
    p = Path(path) if path is not None else default_model_path()
    if not p.is_file():
        raise InputError("no model file", source=str(p))
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a JSON file ({exc})", source=str(p)) from None
    if not isinstance(d, dict):
        raise InputError("expected a JSON object", source=str(p))
    return SpanModel.from_dict(d, source=str(p))


# ----------------------------------------------------------------------------- training and CV

def _fit(ts: TrainingSet, rows: np.ndarray, **params) -> SpanModel:
    cands = ts.candidates.iloc[rows]
    return SpanModel(**params).fit([ts.features[i] for i in rows], cands["label"].tolist(), cands["doc_id"].tolist())


def train(ts: TrainingSet, **params) -> SpanModel:
    """Train a model on every document of a :class:`TrainingSet`; ``meta`` records the training files.

    Parameters
    ----------
    ts : TrainingSet
    **params
        :class:`SpanModel` parameters (``C``, ``min_docs``, ``min_prob``).

    Returns
    -------
    SpanModel
    """
    m = _fit(ts, np.arange(len(ts.candidates)), **params)
    lab = ts.candidates["label"]
    m.meta = {"training": {"files": ts.files, "documents": len(ts.texts), "candidates": int(len(lab)),
                           "positives": {c: int((lab == c).sum()) for c in LEARNED_CATEGORIES}}}
    return m


def learned_codes(model: SpanModel, ts: TrainingSet, docs: Sequence[str]) -> pd.DataFrame:
    """The learned codes of documents of a :class:`TrainingSet` (features already built)."""
    frames = []
    cands = ts.candidates
    for d in docs:
        rows = np.flatnonzero(cands["doc_id"].to_numpy() == d)
        c = cands.iloc[rows]
        frames.append(model.predict_codes(ts.texts[d], ts.codes[ts.codes["doc_id"] == d], doc_id=d, candidates=c,
                                          features=[ts.features[i] for i in rows]))
    return pd.concat(frames, ignore_index=True) if frames else _decode(model, "", cands.iloc[:0], np.zeros((0, 4)), "")


def combine_codes(rules: pd.DataFrame, learned: pd.DataFrame, mode: str) -> pd.DataFrame:
    """Codes of the three compared systems.

    Parameters
    ----------
    rules : pandas.DataFrame
        The rules' codes.
    learned : pandas.DataFrame
        :meth:`SpanModel.predict_codes` output.
    mode : {"rules", "rules+learned", "learned"}
        The rules as they are; plus the learned spans that overlap no rule code of their category
        (in their document); or with the rules' codes of the learned categories replaced.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> r = pd.DataFrame({"doc_id": ["a"], "code": ["actor.member"], "category": ["actor"], "start": [0],
    ...                   "end": [2], "matched": ["委员"], "section": ["other"]})
    >>> l = pd.DataFrame({"doc_id": ["a", "a"], "code": ["actor.learned"] * 2, "category": ["actor"] * 2,
    ...                   "start": [0, 5], "end": [4, 7], "matched": ["委员代表", "村民"], "section": ["learned"] * 2})
    >>> combine_codes(r, l, "rules+learned")["matched"].tolist(), combine_codes(r, l, "learned")["matched"].tolist()
    (['委员', '村民'], ['委员代表', '村民'])
    """
    from govlab.coding.coding import CODE_COLUMNS

    if mode not in ("rules", "rules+learned", "learned"):
        raise InputError(f"expected rules, rules+learned or learned, got {mode!r}", key="mode")
    rules = rules[CODE_COLUMNS]
    learned = learned[CODE_COLUMNS]
    if mode == "rules":
        out = rules
    elif mode == "learned":
        out = pd.concat([rules[~rules["category"].isin(LEARNED_CATEGORIES)], learned], ignore_index=True)
    else:
        by = defaultdict(list)
        for d, c, s, e in zip(rules["doc_id"], rules["category"], rules["start"], rules["end"]):
            by[(d, c)].append((int(s), int(e)))
        keep = [not any(int(s) < re_ and rs < int(e) for rs, re_ in by[(d, c)])
                for d, c, s, e in zip(learned["doc_id"], learned["category"], learned["start"], learned["end"])]
        out = pd.concat([rules, learned[np.asarray(keep, dtype=bool)]], ignore_index=True)
    return out.sort_values(["doc_id", "start", "code"], kind="mergesort").reset_index(drop=True)


MODES = ("rules", "rules+learned", "learned")
CV_COLUMNS = ["set", "system", "category", "metric", "numerator", "denominator", "score"]


def _fold_of(docs: Sequence[str], n_folds: int) -> dict[str, int]:
    from sklearn.model_selection import GroupKFold

    docs = sorted(docs)
    folds = {}
    gkf = GroupKFold(n_splits=min(n_folds, len(docs)))
    for k, (_, test) in enumerate(gkf.split(np.zeros(len(docs)), groups=docs)):
        for i in test:
            folds[docs[i]] = k
    return folds


def cross_validate(ts: TrainingSet, *, n_folds: int = 5, fold_of: Mapping[str, int] | None = None,
                   **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cross-validation grouped by document: every document is coded by a model that never saw it.

    Parameters
    ----------
    ts : TrainingSet
    n_folds : int
        Number of folds (:class:`sklearn.model_selection.GroupKFold` over documents), unless
        ``fold_of`` is given.
    fold_of : mapping, optional
        doc_id -> fold number (for instance one fold per gold folder, a leave-one-set-out split).
    **params
        :class:`SpanModel` parameters.

    Returns
    -------
    learned : pandas.DataFrame
        The out-of-fold learned codes of every document.
    scores : pandas.DataFrame
        :data:`CV_COLUMNS`, for each set (gold folder name, and ``all``), system (:data:`MODES`)
        and metric of :func:`govlab.evaluate.score_codes` (recall per category, precision per
        category and over all categories).
    """
    docs = sorted(ts.texts)
    fold_of = dict(fold_of) if fold_of is not None else _fold_of(docs, n_folds)
    doc_col = ts.candidates["doc_id"].to_numpy()
    frames = []
    for k in sorted(set(fold_of.values())):
        test = [d for d in docs if fold_of[d] == k]
        train_rows = np.flatnonzero(~np.isin(doc_col, test))
        if not len(train_rows):
            continue
        frames.append(learned_codes(_fit(ts, train_rows, **params), ts, test))
    learned = pd.concat(frames, ignore_index=True) if frames else learned_codes(SpanModel(), ts, [])
    return learned, score_systems(ts, learned)


def score_systems(ts: TrainingSet, learned: pd.DataFrame, docs: Sequence[str] | None = None) -> pd.DataFrame:
    """Score the three systems (:data:`MODES`) per set and over all documents of ``docs``."""
    from govlab.evaluate import score_codes

    docs = sorted(ts.texts) if docs is None else sorted(docs)
    groups: dict[str, list[str]] = {}
    for d in docs:
        groups.setdefault(ts.sets.get(d, "all"), []).append(d)
    if len(groups) != 1:
        groups["all"] = docs
    import inspect

    kw = {}
    if "sequences" in inspect.signature(score_codes).parameters:  # as govlab evaluate scores step codes
        from govlab.evaluate import step_sequences_corpus

        kw["sequences"] = step_sequences_corpus({d: ts.texts[d] for d in docs})
    rows = []
    for mode in MODES:
        pred = combine_codes(ts.codes, learned, mode)
        for name in sorted(groups, key=lambda g: (g == "all", g)):
            gdocs = groups[name]
            scores, _, _ = score_codes(pred, ts.gold, {d: ts.texts[d] for d in gdocs}, **kw)
            for r in scores:
                if r["metric"] in ("recall", "precision") and (r["category"] in LEARNED_CATEGORIES
                                                               or r["category"] == "all"):
                    rows.append({"set": name, "system": mode, "category": r["category"], "metric": r["metric"],
                                 "numerator": r["numerator"], "denominator": r["denominator"], "score": r["score"]})
    return pd.DataFrame(rows, columns=CV_COLUMNS)


def cv_table(ts: TrainingSet, *, n_folds: int = 5, **params) -> pd.DataFrame:
    """The table written to ``datasets/evaluation/code_spans_cv.csv``.

    :func:`cross_validate` scores with two more columns: ``folds`` (``grouped-5``: documents in
    ``n_folds`` folds; ``leave-set-out``: each gold folder coded by a model trained on the other
    folders) and ``features`` (``text+rules``: every feature; ``text``: without the features that say
    what the rules coded, ``rule_features=False``).

    Parameters
    ----------
    ts : TrainingSet
    n_folds : int
    **params
        :class:`SpanModel` parameters (``rule_features`` is set by the table).

    Returns
    -------
    pandas.DataFrame
        ``folds, features`` then :data:`CV_COLUMNS`.
    """
    params = {k: v for k, v in params.items() if k != "rule_features"}
    sets = sorted(set(ts.sets.values()))
    splits = [(f"grouped-{n_folds}", None)]
    if len(sets) > 1:
        splits.append(("leave-set-out", {d: sets.index(s) for d, s in ts.sets.items()}))
    out = []
    for folds, fold_of in splits:
        for features, rule_features in (("text+rules", True), ("text", False)):
            _, sc = cross_validate(ts, n_folds=n_folds, fold_of=fold_of, rule_features=rule_features, **params)
            sc.insert(0, "features", features)
            sc.insert(0, "folds", folds)
            out.append(sc)
    return pd.concat(out, ignore_index=True)


def threshold_grid(ts: TrainingSet, grid: Sequence[float] = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7), *,
                   n_folds: int = 5, **params) -> pd.DataFrame:
    """Code precision and recall of rules and rules+learned over a grid of ``min_prob``, by grouped CV.

    One model is fitted per fold (documents grouped as in :func:`cross_validate`); each threshold of
    ``grid`` is then applied to the same fitted models, so the rows differ only in the threshold.
    ``meets_rule`` marks the thresholds whose pooled code precision (all categories) is at least the
    rules' alone: the adoption rule fixed before the experiment.

    Parameters
    ----------
    ts : TrainingSet
    grid : sequence of float
        ``min_prob`` values.
    n_folds : int
    **params
        Other :class:`SpanModel` parameters.

    Returns
    -------
    pandas.DataFrame
        ``min_prob, system`` (rules, rules+learned), ``precision_num, precision_den, precision``, recall
        per category of :data:`LEARNED_CATEGORIES`, and ``meets_rule``.
    """
    from fractions import Fraction

    docs = sorted(ts.texts)
    fold_of = _fold_of(docs, n_folds)
    doc_col = ts.candidates["doc_id"].to_numpy()
    params = {k: v for k, v in params.items() if k != "min_prob"}
    models = []
    for k in sorted(set(fold_of.values())):
        test = [d for d in docs if fold_of[d] == k]
        models.append((_fit(ts, np.flatnonzero(~np.isin(doc_col, test)), min_prob=float(grid[0]), **params), test))
    rows = []
    for t in grid:
        frames = []
        for m, test in models:
            m.min_prob = float(t)
            frames.append(learned_codes(m, ts, test))
        sc = score_systems(ts, pd.concat(frames, ignore_index=True))
        sc = sc[sc["set"] == ("all" if (sc["set"] == "all").any() else sc["set"].iloc[0])]  # one set: its own rows
        for system in ("rules", "rules+learned"):
            x = sc[sc["system"] == system].set_index(["category", "metric"])
            num, den = int(x.loc[("all", "precision"), "numerator"]), int(x.loc[("all", "precision"), "denominator"])
            row = {"min_prob": float(t), "system": system, "precision_num": num, "precision_den": den,
                   "precision": round(100 * num / den, 2) if den else float("nan")}
            for c in LEARNED_CATEGORIES:
                n, d = int(x.loc[(c, "recall"), "numerator"]), int(x.loc[(c, "recall"), "denominator"])
                row[f"recall_{c}"] = round(100 * n / d, 1) if d else float("nan")
            rows.append(row)
    out = pd.DataFrame(rows)
    base = out[out["system"] == "rules"].iloc[0]
    p_rules = Fraction(int(base["precision_num"]), max(int(base["precision_den"]), 1))
    out["meets_rule"] = [s == "rules+learned" and d > 0 and Fraction(n, d) >= p_rules
                         for s, n, d in zip(out["system"], out["precision_num"], out["precision_den"])]
    return out


# ----------------------------------------------------------------------------- command line

def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m govlab.experiments.learned_spans", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("train", "cv", "score", "grid"):
        s = sub.add_parser(name)
        if name == "score":
            s.add_argument("--model", default=None, help="the JSON model (default: the shipped one)")
        s.add_argument("--gold-dir", action="append", required=True, help="a gold folder (repeat for several)")
        s.add_argument("--codes-file", action="append", default=None,
                       help="gold codes table per --gold-dir, in the same order ('-' keeps the folder's)")
        s.add_argument("--split-file", action="append", default=None,
                       help="split table per --gold-dir ('-' for none): only its tune part is used")
        s.add_argument("--part", default="tune", help="the part of the split tables used (default tune)")
        s.add_argument("--set-name", action="append", default=None, help="a name per --gold-dir for the tables")
        s.add_argument("--out", required=True)
        s.add_argument("--C", type=float, default=SpanModel.C)
        s.add_argument("--min-docs", type=int, default=SpanModel.min_docs)
        s.add_argument("--min-prob", type=float, default=SpanModel.min_prob)
        s.add_argument("--folds", type=int, default=5)
    return p


def _files(gold_dirs, split_files, part) -> list[str] | None:
    if not split_files:
        return None
    from govlab.evaluate import read_split

    keep = []
    for d, sf in zip(gold_dirs, split_files):
        if sf in ("-", "", None):
            keep.extend(p.stem for p in sorted((Path(d) / "raw").glob("*.txt")))
        else:
            keep.extend(f for f, pt in read_split(sf).items() if pt == part)
    return keep


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m govlab.experiments.learned_spans``."""
    args = _parser().parse_args(argv)
    codes_files = None
    if args.codes_file:
        codes_files = [None if c == "-" else c for c in args.codes_file]
    ts = training_set(args.gold_dir, codes_files=codes_files, files=_files(args.gold_dir, args.split_file, args.part),
                      names=args.set_name)
    params = {"C": args.C, "min_docs": args.min_docs, "min_prob": args.min_prob}
    if args.cmd == "train":
        m = train(ts, **params)
        _, cv = cross_validate(ts, n_folds=args.folds, **params)
        m.meta["cv"] = {"folds": f"grouped-{args.folds}",
                        "scores": [[r.set, r.system, r.category, r.metric, r.score] for r in cv.itertuples()]}
        print(m.save(args.out))
    elif args.cmd == "score":
        from govlab.io import write_csv

        m = load_model(args.model)
        scores = score_systems(ts, learned_codes(m, ts, sorted(ts.texts)))
        scores.insert(0, "features", "text+rules" if m.rule_features else "text")
        scores.insert(0, "folds", "model")
        write_csv(scores, args.out)
        print(args.out)
    elif args.cmd == "grid":
        from govlab.io import write_csv

        write_csv(threshold_grid(ts, n_folds=args.folds, C=args.C, min_docs=args.min_docs), args.out)
        print(args.out)
    else:
        from govlab.io import write_csv

        write_csv(cv_table(ts, n_folds=args.folds, **params), args.out)
        print(args.out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
