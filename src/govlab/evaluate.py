"""Scoring govlab's text mining against hand-annotated gold files (figures, codes, step sequences).

A gold folder has the layout of the project's development set:

* ``raw/*.txt``: one text per file; line 1 starts with ``SOURCE:``, line 2 with ``TITLE:`` (both
  skipped), then the text as it was stored;
* ``gold_figures.csv``: ``file, value, unit, counted, counted_zh, approx, context``: every number
  that counts something (``counted_zh`` as spelled in the text, alternatives separated by ``|``);
* ``gold_codes.csv``: ``file, category, item_zh, note`` with ``category`` one of ``actor, platform,
  locality, problem, step`` (for steps ``note`` holds the index: ``1, 2, ...`` or ``m1, m2, ...``
  for a second sequence).

:func:`evaluate` cleans each text with govlab's own pipeline (:func:`govlab.corpus.clean_text`),
runs govlab's figures (:func:`govlab.coding.extract_figures_corpus`), codes
(:func:`govlab.coding.code_corpus`) and every named step sequence
(:func:`govlab.coding.extract_step_sequences`) and scores them.

Figures
-------
* Scored predictions are the rows whose ``kind`` is not ``date``, ``duration``, ``ratio`` (3倍, 5个百分点:
  a multiplier or a change of a share, a measure like the rates the gold leaves out) or ``ordinal``
  (首个: "the first") (the extractor itself marks those as not counting anything; the gold excludes
  them too) and that are
  not ``masked``: a masked number (××户, ****户, ○○个, N个) has no value, and the gold never lists
  one, so it is neither a match nor a wrong prediction (nor a figure on a text with none). The
  extractor keeps the row, for code that needs to know a number was hidden.
* A prediction and a gold row **match by value** when ``|v - g| <= max(0.01, 0.005 |g|)``
  (so 33.3333 matches a gold 33.33 for 三分之一).
* They **match strictly** when they match by value and the counted noun matches one alternative
  ``a`` of ``counted_zh``: after normalising both (traditional to simplified, quotes, spaces and
  ``&nbsp;`` removed, full-width brackets to ASCII), ``counted == a``, or ``a`` ends with
  ``counted`` (the prediction is the head of the gold phrase: 委员工作室 for 政协委员工作室), or
  ``counted`` contains ``a`` (the prediction is more specific). An empty ``counted`` never matches.
* A figure given twice is listed once in the gold, so a **repeat** is not scored: a prediction
  with the value and the last two characters of the counted noun (a final bracketed alternative
  left out) of an earlier one in the same document (三级政协委员 and later 三级委员; 委员工作站 and
  委员工作站(室)).
* Matching is one to one, per document, greedily in gold order (each gold row takes the first
  unused prediction in text order that matches). Strict and lenient assignments are made
  separately.
* ``recall`` = matched gold rows / gold rows; ``precision`` = matched predictions / scored
  predictions; ``approx_accuracy`` = share of value-matched pairs whose ``approx`` flags agree;
  ``no_figure_emitted`` = scored predictions on the texts that have no gold figure (goal: 0).

Codes
-----
Gold items are located in the clean text: every occurrence of every alternative of ``item_zh``
(normalised as above, with an offset map back into the clean text). Predicted codes are govlab's
codes frame; their ``category`` is mapped onto the gold categories by :data:`CATEGORY_MAP`
(categories not in it, such as ``mechanism``, are ignored).

* A gold item is **recalled** when a predicted code of its category overlaps one of its occurrences
  (an item that cannot be located in the text counts as missed, and is counted in ``unlocated``).
* A predicted code is **correct** when it overlaps an occurrence of some gold item of its category.
* ``precision`` counts **distinct predictions**, as the gold lists each item once and recall counts
  gold items: per document and category, the correct codes with the same matched text (normalised
  as above) count once, and the wrong codes with the same matched text count once. A word coded
  twenty times weighs as much as one coded once, while a word that is right in one place and wrong
  in another (委员 alone, and 委员 inside 委员之家) still counts one right and one wrong.
  ``precision_mentions`` is the share counted per code (per mention), the measure this harness
  reported first; it is kept beside it. "code on no gold item" misses name the first mention of
  each distinct wrong prediction.
* **Cohen's kappa** per category is computed over *candidate units*: per document, the union of all
  gold occurrences (all categories) and all mapped predicted code spans, merged into clusters of
  overlapping spans. Each unit is labelled present/absent for the category by the gold (it contains
  a gold occurrence of that category) and by the system (it contains a predicted span of that
  category). Units where another category is present supply the absent/absent cell.
* **Steps count only inside a named sequence.** A gold step item (one or two characters such as
  办, 评, 受理) occurs all over a text, but the gold names it only as a step of the sequence. Each
  gold sequence (the step rows of a document with the same ``note`` prefix, see below) gets a
  *span*: the tightest region of the text holding one located occurrence of each of its located
  steps in the gold order (the narrowest from first start to last end, the earliest on a tie;
  from each occurrence of the first step, each next step takes its first occurrence after the
  step before), or, when the steps never occur in that order, the tightest region in any order.
  A gold step's occurrences count only inside its sequence's span. A predicted step code counts
  only where it overlaps a gold sequence span or a sequence govlab found (the ``start``-``end``
  of the steps of each sequence in ``sequences``, when given); elsewhere it is dropped from
  recall, precision and kappa alike.

Step sequences
--------------
Gold steps are grouped per document into sequences by the prefix of ``note`` (``1..n`` one
sequence, ``m1..mn`` another). System sequences are all the sequences
:func:`~govlab.coding.extract_step_sequences` finds in a text (its ``sequence`` column; a table
without one, such as :func:`~govlab.coding.extract_loops` output, is split into runs of
``position`` starting at 1), so a text's second sequence can be found too. A gold step is **found** by a system step when their
normalised names are equal or one contains the other. A sequence is ``found`` when one system
sequence finds all its steps, and ``in_order`` when in that sequence the finding positions also
increase in gold order. ``steps_found`` counts gold steps found by any system step.
"""
from __future__ import annotations

import html
import math
import os
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govlab.errors import InputError

__all__ = [
    "GOLD_CATEGORIES", "CATEGORY_MAP", "SCORE_COLUMNS", "MISS_COLUMNS", "GoldSet", "Evaluation",
    "read_gold", "read_split", "evaluate", "score_figures", "score_codes", "score_steps",
    "baseline_figures", "counted_matches", "kappa", "default_split_path", "read_goals", "goal_failures",
    "error_counts", "figure_misses", "load_evaluation", "EVALUATION_TABLES", "annotator_agreement",
    "default_adjudicated_paths", "evaluation_tables", "step_sequences_corpus", "pair_annotations",
    "write_gold_folder", "review_agreement", "pairwise_agreement", "score_table", "annotation_as_system",
    "human_ceiling", "pool_scores",
]

#: Gold code categories, in report order.
GOLD_CATEGORIES = ("actor", "platform", "locality", "problem", "step")

#: System code category -> gold category. Codes of any other category are ignored by the scores.
#: govlab's codebook names its categories like the gold (``datasets/codebook.yaml``); a codebook
#: with other names maps them here.
CATEGORY_MAP = {
    "actor": "actor",
    "platform": "platform",
    "locality": "locality",
    "problem": "problem",
    "step": "step",
}

#: Columns of the scores table.
SCORE_COLUMNS = ["part", "group", "category", "metric", "numerator", "denominator", "score"]

#: Columns of the misses table.
MISS_COLUMNS = ["doc_id", "group", "category", "error", "gold", "predicted", "start", "end"]

_FIG_REQUIRED = ("file", "value", "unit", "counted", "counted_zh", "approx", "context")
_CODE_REQUIRED = ("file", "category", "item_zh", "note")
_SCORED_OUT = ("date", "duration", "ratio", "ordinal")
_STRIP = re.compile(r"&nbsp;|[\s\u3000“”「」『』‘’\"'《》〈〉]")
_STEP_NOTE = re.compile(r"^\s*([A-Za-z]*)(\d+)")


# ----------------------------------------------------------------------------- reading

@dataclass(frozen=True)
class GoldSet:
    """A gold folder read and checked: clean texts and the two gold tables.

    Attributes
    ----------
    texts : dict
        doc_id (file name without ``.txt``) -> clean text.
    figures : pandas.DataFrame
        ``gold_figures.csv`` with ``doc_id``, ``value`` (float), ``approx`` and ``context`` (bool).
    codes : pandas.DataFrame
        ``gold_codes.csv`` with ``doc_id``.
    source : str
        The folder.
    """

    texts: dict
    figures: pd.DataFrame
    codes: pd.DataFrame
    source: str = ""


def _read_table(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("missing gold file", source=str(path))
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as UTF-8 CSV ({exc})", source=str(path)) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing columns {missing}; expected {list(required)}", source=str(path))
    return df


def _check_files(df: pd.DataFrame, known: set, path: Path) -> pd.Series:
    doc_ids = []
    for i, f in enumerate(df["file"], start=2):
        stem = f.strip().removesuffix(".txt")
        if stem not in known:
            raise InputError(f"unknown file {f!r} (no raw/{stem}.txt)", source=str(path), key=f"row {i}, column file")
        doc_ids.append(stem)
    return pd.Series(doc_ids, index=df.index, dtype=object)


def _flag(value: str, path: Path, row: int, column: str) -> bool:
    v = value.strip()
    if v in ("", "0"):
        return False
    if v == "1":
        return True
    raise InputError(f"expected 0 or 1, got {value!r}", source=str(path), key=f"row {row}, column {column}")


def read_text_file(path: str | os.PathLike) -> str:
    """Read one gold text, check and skip its two header lines, and clean it with govlab's pipeline.

    Parameters
    ----------
    path : path-like
        A ``raw/*.txt`` file whose first two lines start with ``SOURCE:`` and ``TITLE:``.

    Returns
    -------
    str
        The clean text of the body.

    Raises
    ------
    govlab.errors.InputError
        The file is unreadable or its header lines are missing (naming the file and line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("SOURCE: made up\\nTITLE: 虚构\\n（虚构）镇里建成委员工作站3个。\\n", encoding="utf-8")
    >>> read_text_file(p)
    '（虚构）镇里建成委员工作站3个。\\n'
    """
    from govlab.corpus import clean_text, read_document

    raw = read_document(path)
    lines = raw.text.split("\n", 2)
    for i, (line, head) in enumerate(zip(lines[:2], ("SOURCE:", "TITLE:")), start=1):
        if not line.lstrip("\ufeff").startswith(head):
            raise InputError(f"line {i} must start with {head!r}", source=str(path))
    if len(lines) < 3:
        raise InputError("no text after the two header lines", source=str(path))
    return clean_text(lines[2], kind="html" if raw.kind == "html" else "auto").text


def _adjudicated(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Keep the rows an adjudicated gold table keeps (``decision`` column: keep / drop)."""
    if "decision" not in df.columns:
        return df
    for i, v in enumerate(df["decision"], start=2):
        if v.strip() not in ("keep", "drop"):
            raise InputError(f"expected keep or drop, got {v!r}", source=str(path), key=f"row {i}, column decision")
    return df[df["decision"].str.strip() == "keep"]


def write_gold_folder(folder: str | os.PathLike, texts: Mapping[str, str], figures: str = "", codes: str = "") -> Path:
    """Write a gold folder in the development-set layout (the one :func:`read_gold` reads).

    Parameters
    ----------
    folder : path-like
        Created when missing; ``raw/<name>.txt``, ``gold_figures.csv`` and ``gold_codes.csv`` go in it.
    texts : mapping of str to str
        name -> text, written after a ``SOURCE:`` and a ``TITLE:`` header line.
    figures, codes : str
        The rows of ``gold_figures.csv`` (``file,value,unit,counted,counted_zh,approx,context``) and
        of ``gold_codes.csv`` (``file,category,item_zh,note``), without the header line.

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import tempfile
    >>> d = write_gold_folder(tempfile.mkdtemp(), {"a": "（虚构）建成工作站3个。"}, "a,3,个,stations,工作站,0,0")
    >>> sorted(p.name for p in d.iterdir()), read_gold(d).figures["value"].tolist()
    (['gold_codes.csv', 'gold_figures.csv', 'raw'], [3.0])
    """
    from govlab.io import write_text

    folder = Path(folder)
    for name, text in texts.items():
        write_text(folder / "raw" / f"{name}.txt", f"SOURCE: written by hand\nTITLE: {name}\n{text}\n")
    rows = {"gold_figures.csv": (_FIG_REQUIRED, figures), "gold_codes.csv": (_CODE_REQUIRED, codes)}
    for fname, (header, body) in rows.items():
        write_text(folder / fname, ",".join(header) + "\n" + (body.strip() + "\n" if body.strip() else ""))
    return folder


def read_gold(gold_dir: str | os.PathLike, *, files: list[str] | None = None,
              figures_file: str | os.PathLike | None = None, codes_file: str | os.PathLike | None = None) -> GoldSet:
    """Read a gold folder (``raw/*.txt``, ``gold_figures.csv``, ``gold_codes.csv``) and check it.

    Parameters
    ----------
    gold_dir : path-like
        The folder.
    files : list of str, optional
        Keep only these documents (file names with or without ``.txt``).
    figures_file, codes_file : path-like, optional
        Gold tables to use instead of the folder's ``gold_figures.csv`` / ``gold_codes.csv`` (for
        instance an adjudicated second annotation). A table with a ``decision`` column
        (``keep``/``drop``, one row per item either annotator gave) keeps its ``keep`` rows.

    Returns
    -------
    GoldSet

    Raises
    ------
    govlab.errors.InputError
        A missing file or column, a file name with no text, a value that is not a number, a flag
        that is not 0/1, an unknown category; the message names the file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> d = write_gold_folder(tempfile.mkdtemp(), {"a": "（虚构）建成工作站3个。"},
    ...                       "a,3,个,stations,工作站,0,0", "a,platform,工作站,")
    >>> g = read_gold(d)
    >>> sorted(g.texts), g.figures["value"].tolist()
    (['a'], [3.0])
    """
    gold_dir = Path(gold_dir)
    raw_dir = gold_dir / "raw"
    if not raw_dir.is_dir():
        raise InputError("no raw/ folder of texts", source=str(gold_dir))
    paths = {p.stem: p for p in sorted(raw_dir.glob("*.txt"))}
    if not paths:
        raise InputError("no .txt files in raw/", source=str(raw_dir))
    fig_path = Path(figures_file) if figures_file is not None else gold_dir / "gold_figures.csv"
    code_path = Path(codes_file) if codes_file is not None else gold_dir / "gold_codes.csv"
    figs = _adjudicated(_read_table(fig_path, _FIG_REQUIRED), fig_path)
    codes = _adjudicated(_read_table(code_path, _CODE_REQUIRED), code_path)
    figs.insert(0, "doc_id", _check_files(figs, set(paths), fig_path))
    codes.insert(0, "doc_id", _check_files(codes, set(paths), code_path))
    values, approx, context = [], [], []
    for i, r in enumerate(figs.itertuples(index=False), start=2):
        try:
            v = float(r.value)
        except ValueError:
            v = math.nan
        if not math.isfinite(v):
            raise InputError(f"expected a number, got {r.value!r}", source=str(fig_path), key=f"row {i}, column value")
        values.append(v)
        approx.append(_flag(r.approx, fig_path, i, "approx"))
        context.append(_flag(r.context, fig_path, i, "context"))
    figs["value"] = pd.Series(values, index=figs.index, dtype="float64")
    figs["approx"] = pd.Series(approx, index=figs.index, dtype=bool)
    figs["context"] = pd.Series(context, index=figs.index, dtype=bool)
    for i, r in enumerate(codes.itertuples(index=False), start=2):
        if r.category not in GOLD_CATEGORIES:
            raise InputError(f"unknown category {r.category!r}; expected one of {list(GOLD_CATEGORIES)}",
                             source=str(code_path), key=f"row {i}, column category")
        if not r.item_zh.strip():
            raise InputError("empty item", source=str(code_path), key=f"row {i}, column item_zh")
        if r.category == "step" and not _STEP_NOTE.match(r.note):
            raise InputError(f"a step needs its index in note (1, 2, ... or m1, m2, ...), got {r.note!r}",
                             source=str(code_path), key=f"row {i}, column note")
    if files is not None:
        keep = {f.removesuffix(".txt") for f in files}
        unknown = sorted(keep - set(paths))
        if unknown:
            raise InputError(f"unknown files {unknown}", source=str(raw_dir))
        paths = {k: v for k, v in paths.items() if k in keep}
        figs = figs[figs["doc_id"].isin(keep)].reset_index(drop=True)
        codes = codes[codes["doc_id"].isin(keep)].reset_index(drop=True)
    texts = {d: read_text_file(p) for d, p in paths.items()}
    return GoldSet(texts=texts, figures=figs, codes=codes, source=str(gold_dir))


def default_split_path() -> Path:
    """The shipped development-set split, ``datasets/evaluation/split.csv``."""
    from govlab.datasets import dataset_path

    return Path(dataset_path("evaluation/split.csv"))


def read_split(path: str | os.PathLike | None = None) -> dict[str, str]:
    """Read a split table (``file, part`` with part ``tune`` or ``heldout``).

    Parameters
    ----------
    path : path-like, optional
        The shipped :func:`default_split_path` when omitted.

    Returns
    -------
    dict
        doc_id -> part.

    Examples
    --------
    >>> split = read_split()
    >>> sorted(set(split.values())), sum(p == "heldout" for p in split.values())
    (['heldout', 'tune'], 8)
    """
    path = Path(path) if path is not None else default_split_path()
    df = _read_table(path, ("file", "part"))
    out = {}
    for i, r in enumerate(df.itertuples(index=False), start=2):
        if r.part not in ("tune", "heldout"):
            raise InputError(f"expected tune or heldout, got {r.part!r}", source=str(path), key=f"row {i}, column part")
        out[r.file.removesuffix(".txt")] = r.part
    return out


def read_goals(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the goals table (``group, category, metric, goal, enforced, note``).

    Parameters
    ----------
    path : path-like, optional
        The shipped ``datasets/evaluation/goals.csv`` when omitted.

    Returns
    -------
    pandas.DataFrame
        ``goal`` as float, ``enforced`` as bool.

    Examples
    --------
    >>> g = read_goals()
    >>> g.loc[g["enforced"], "metric"].tolist()[:2]
    ['recall', 'precision']
    """
    if path is None:
        from govlab.datasets import dataset_path

        path = dataset_path("evaluation/goals.csv")
    path = Path(path)
    df = _read_table(path, ("group", "category", "metric", "goal", "enforced"))
    goals, enforced = [], []
    for i, r in enumerate(df.itertuples(index=False), start=2):
        try:
            goals.append(float(r.goal))
        except ValueError:
            raise InputError(f"expected a number, got {r.goal!r}", source=str(path), key=f"row {i}, column goal") from None
        enforced.append(_flag(r.enforced, path, i, "enforced"))
    df["goal"] = pd.Series(goals, index=df.index, dtype="float64")
    df["enforced"] = pd.Series(enforced, index=df.index, dtype=bool)
    return df


def goal_failures(scores: pd.DataFrame, goals: pd.DataFrame, *, part: str = "heldout", slack: float = 2.0,
                  enforced_only: bool = True) -> list[str]:
    """The goals a part's scores miss by more than ``slack`` points (counts: by more than 0).

    Parameters
    ----------
    scores : pandas.DataFrame
        :attr:`Evaluation.scores`.
    goals : pandas.DataFrame
        :func:`read_goals`.
    part : str
        Which part of the scores to check.
    slack : float
        Points a percentage may fall below its goal. A count (``figures_emitted``) may not exceed it.
    enforced_only : bool
        Check only the rows marked ``enforced``.

    Returns
    -------
    list of str
        One line per missed goal (empty when every goal is met); a goal with no score in the part
        is missed.

    Examples
    --------
    >>> sc = pd.DataFrame({"part": ["heldout"], "group": ["figures"], "category": ["strict"], "metric": ["recall"],
    ...                    "numerator": [8], "denominator": [10], "score": ["80.0"]})
    >>> goals = read_goals()
    >>> goal_failures(sc, goals[goals["category"] == "strict"])
    ['figures strict recall: 80.0 < goal 90 - 2', "figures strict precision: no score in part 'heldout'"]
    """
    out = []
    sub = scores[scores["part"] == part].set_index(["group", "category", "metric"])
    for g in goals.itertuples(index=False):
        if enforced_only and not g.enforced:
            continue
        key = (g.group, g.category, g.metric)
        if key not in sub.index:  # a goal with no score is not met: say so rather than pass in silence
            out.append(f"{' '.join(key)}: no score in part {part!r}")
            continue
        row = sub.loc[key]
        if g.metric == "figures_emitted":
            if int(row["numerator"]) > g.goal:
                out.append(f"{' '.join(key)}: {int(row['numerator'])} > goal {g.goal:g}")
        elif row["score"] != "" and float(row["score"]) < g.goal - slack:
            out.append(f"{' '.join(key)}: {row['score']} < goal {g.goal:g} - {slack:g}")
    return out


# ----------------------------------------------------------------------------- normalising and locating

def _t2s(s: str) -> str:
    from govlab.corpus.clean import _t2s as conv

    return conv().convert(s)


def _norm(s: str) -> str:
    """Normalised form for comparing terms: simplified script, no spaces/quotes, ASCII brackets, no
    pinyin glosses (政協(xié) → 政协: the cleaning removes them from the text)."""
    from govlab.corpus.rules import PINYIN_GLOSS

    s = PINYIN_GLOSS.sub("", html.unescape(s.replace("&nbsp;", "")))
    s = _t2s(s)
    return _STRIP.sub("", s).replace("（", "(").replace("）", ")")


def _skeleton(text: str) -> tuple[str, list[int]]:
    """The text with spaces and quotes removed, and each kept character's offset in ``text``."""
    keep, offs = [], []
    for i, ch in enumerate(text):
        if _STRIP.fullmatch(ch):
            continue
        keep.append("(" if ch == "（" else ")" if ch == "）" else ch)
        offs.append(i)
    return "".join(keep), offs


def _occurrences(item: str, skel: tuple[str, list[int]]) -> list[tuple[int, int]]:
    """Offsets in the clean text of every occurrence of every ``|`` alternative of ``item``."""
    s, offs = skel
    out = []
    for alt in item.split("|"):
        a = _norm(alt)
        if not a:
            continue
        i = s.find(a)
        while i >= 0:
            out.append((offs[i], offs[i + len(a) - 1] + 1))
            i = s.find(a, i + 1)
    return sorted(set(out))


def counted_matches(counted: str, gold_zh: str) -> bool:
    """Whether a predicted counted noun matches a gold ``counted_zh`` (alternatives ``|``).

    Both are normalised; the prediction matches an alternative ``a`` when it equals ``a``, is its
    head (``a`` ends with it) or contains it. An empty prediction never matches.

    Parameters
    ----------
    counted : str
        The extractor's ``counted``.
    gold_zh : str
        The gold ``counted_zh``.

    Returns
    -------
    bool

    Examples
    --------
    >>> counted_matches("委员工作室", "政协委员工作室|委员工作室"), counted_matches("委员", "委员工作室")
    (True, False)
    >>> counted_matches("县级政协委员工作室", "委员工作室"), counted_matches("", "人")
    (True, False)
    """
    c = _norm(counted or "")
    if not c:
        return False
    for alt in gold_zh.split("|"):
        a = _norm(alt)
        if a and (c == a or a.endswith(c) or a in c):
            return True
    return False


def _value_matches(v: float, g: float) -> bool:
    return math.isfinite(v) and abs(v - g) <= max(0.01, 0.005 * abs(g))


def _pct(n: int, d: int) -> str:
    """A percentage with one decimal, as text (stable; empty when the denominator is 0)."""
    return f"{100.0 * n / d:.1f}" if d else ""


# ----------------------------------------------------------------------------- figures

def baseline_figures(texts) -> pd.DataFrame:
    """The naive baseline: a number, a measure word and the next few characters as the counted thing.

    This is the ~27-line regex a new user would write first (issue 13): an Arabic or Chinese
    numeral, optionally 万/亿 and 余/多, a measure word from a short list, and the next two to four
    Han characters as the counted thing; years, months and days are dropped.

    Parameters
    ----------
    texts : mapping of doc_id to str

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, kind, value, counted, approx, masked, start, end`` (kind ``count``).

    Examples
    --------
    >>> baseline_figures({"a": "（虚构）建成工作站3个，覆盖村民2000余人。"})[["value", "counted", "approx"]].values.tolist()
    [[3.0, '', False], [2000.0, '', True]]
    >>> baseline_figures({"a": "（虚构）建成12个委员工作室。"})["counted"].tolist()
    ['委员工作室']
    """
    from govlab.coding.figures import parse_number

    num = r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
    measure = r"(?P<m>个|名|位|人次|人|项|件|条|场次|场|次|户|家|所|批|期|种|类|篇|级|处|万元|亿元|元|%)"
    pattern = re.compile(num + r"(?P<mag>万|亿)?(?P<ap>余|多)?" + measure + r"(?P<c>[\u4e00-\u9fff]{0,6})")
    rows = []
    for doc_id in sorted(texts):
        text = texts[doc_id]
        for m in pattern.finditer(text):
            if text[m.end("m"):m.end("m") + 1] in ("年", "月", "日") or text[max(0, m.start() - 1):m.start()] == "第":
                continue
            value = parse_number(m.group("n") + (m.group("mag") or ""))
            if math.isnan(value):
                continue
            counted = re.split(r"[的和与及在是了，。、]", m.group("c"))[0]
            rows.append((doc_id, "count", value, counted, bool(m.group("ap")), False, m.start(), m.end()))
    return pd.DataFrame(rows, columns=["doc_id", "kind", "value", "counted", "approx", "masked", "start", "end"]).astype(
        {"value": "float64", "approx": bool, "masked": bool, "start": "int64", "end": "int64"})


def _assign(gold: list, preds: list, strict: bool) -> dict[int, int]:
    """Greedy one-to-one assignment gold index -> prediction index (gold order, predictions in text order)."""
    used, out = set(), {}
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if pi in used or not _value_matches(p["value"], g["value"]):
                continue
            if strict and not counted_matches(p["counted"], g["counted_zh"]):
                continue
            used.add(pi)
            out[gi] = pi
            break
    return out


def score_figures(predicted: pd.DataFrame, gold: pd.DataFrame, doc_ids) -> tuple[list[dict], list[dict]]:
    """Score extracted figures against gold figures (see the module docstring for the rules).

    Parameters
    ----------
    predicted : pandas.DataFrame
        Columns ``doc_id, kind, value, counted, approx, masked, start, end`` (extractor output);
        masked rows and date and duration rows are not scored.
    gold : pandas.DataFrame
        Gold figures with ``doc_id, value, counted_zh, approx``.
    doc_ids : iterable of str
        The documents scored (texts with no gold row count as figure-less).

    Returns
    -------
    scores : list of dict
        Rows of the scores table without ``part``.
    misses : list of dict
        Rows of the misses table.

    Examples
    --------
    >>> pred = pd.DataFrame({"doc_id": ["a", "a"], "kind": ["count", "count"], "value": [3.0, 5.0],
    ...                      "counted": ["工作站", "村"], "approx": [False, True], "masked": [False, False],
    ...                      "start": [0, 9], "end": [2, 11]})
    >>> gold = pd.DataFrame({"doc_id": ["a", "a"], "value": [3.0, 5.0], "counted_zh": ["委员工作站", "社区"],
    ...                      "approx": [False, False]})
    >>> s, _ = score_figures(pred, gold, ["a"])
    >>> {r["metric"]: r["score"] for r in s if r["category"] == "strict"}["recall"]
    '50.0'
    """
    doc_ids = sorted(set(doc_ids))
    masked = predicted["masked"].astype(bool) if "masked" in predicted.columns \
        else pd.Series(False, index=predicted.index)  # no column: nothing masked (not ~False, which is -1)
    pred = predicted[~predicted["kind"].isin(_SCORED_OUT) & ~masked & predicted["doc_id"].isin(doc_ids)]
    pred = pred.sort_values(["doc_id", "start"], kind="mergesort")
    # the gold lists a figure given twice once: a repeat (same value, counted nouns with the same
    # last two characters: 三级政协委员 and 三级委员 are one figure written twice) is not scored
    rep_key = pd.Series([f"{v:.6g}|{re.sub(r'[(][^()]*[)]$', '', _norm(str(c)))[-2:]}"
                         for v, c in zip(pred["value"], pred["counted"])],
                        index=pred.index, dtype=object)
    repeat = rep_key.groupby(pred["doc_id"]).transform(lambda k: k.duplicated())
    pred = pred[~repeat.astype(bool)]
    by_doc_p = {d: g.to_dict("records") for d, g in pred.groupby("doc_id", sort=True)}
    by_doc_g = {d: g.to_dict("records") for d, g in gold[gold["doc_id"].isin(doc_ids)].groupby("doc_id", sort=True)}
    n_gold = n_pred = strict_hit = lenient_hit = approx_ok = approx_n = 0
    no_fig_docs = no_fig_emitted = 0
    misses = []
    for d in doc_ids:
        gl, pl = by_doc_g.get(d, []), by_doc_p.get(d, [])
        if not gl:
            no_fig_docs += 1
            no_fig_emitted += len(pl)
        n_gold += len(gl)
        n_pred += len(pl)
        strict = _assign(gl, pl, True)
        lenient = _assign(gl, pl, False)
        strict_hit += len(strict)  # one to one: matched gold rows = matched predictions
        lenient_hit += len(lenient)
        for gi, pi in lenient.items():
            approx_n += 1
            if bool(pl[pi]["approx"]) == bool(gl[gi]["approx"]):
                approx_ok += 1
            else:
                misses.append(_miss(d, "figure", "approx", "approx flag wrong", gl[gi], pl[pi]))
        for gi, g in enumerate(gl):
            if gi in strict:
                continue
            if gi in lenient:
                misses.append(_miss(d, "figure", "counted", "counted thing wrong", g, pl[lenient[gi]]))
            else:
                misses.append(_miss(d, "figure", "value", "figure not found", g, None))
        matched_p = set(lenient.values())
        for pi, p in enumerate(pl):
            if pi not in matched_p:
                misses.append(_miss(d, "figure", "spurious", "figure not in the gold" if gl else
                                    "figure on a text with none", None, p))
    rows = [
        _score("figures", "strict", "recall", strict_hit, n_gold),
        _score("figures", "strict", "precision", strict_hit, n_pred),
        _score("figures", "lenient", "recall", lenient_hit, n_gold),
        _score("figures", "lenient", "precision", lenient_hit, n_pred),
        _score("figures", "approx", "accuracy", approx_ok, approx_n),
        _score("figures", "no_figure_texts", "figures_emitted", no_fig_emitted, no_fig_docs),
    ]
    return rows, misses


def _miss(doc_id, group, category, error, g, p) -> dict:
    gold = ""
    if g is not None:
        gold = f"{g['value']:g} {g.get('counted_zh', g.get('item_zh', ''))}".strip()
    pred = ""
    start = end = -1
    if p is not None:
        v = p.get("value", math.nan)
        pred = (f"{v:g} " if isinstance(v, float) and math.isfinite(v) else "") + str(p.get("counted", p.get("matched", "")))
        start, end = int(p.get("start", -1)), int(p.get("end", -1))
    return {"doc_id": doc_id, "group": group, "category": category, "error": error, "gold": gold,
            "predicted": pred.strip(), "start": start, "end": end}


def _score(group: str, category: str, metric: str, n: int, d: int) -> dict:
    return {"group": group, "category": category, "metric": metric, "numerator": int(n), "denominator": int(d),
            "score": _pct(n, d) if metric != "figures_emitted" else str(int(n))}


# ----------------------------------------------------------------------------- codes

def kappa(a: list[bool], b: list[bool]) -> float:
    """Cohen's kappa of two binary labellings of the same units (Cohen 1960).

    Parameters
    ----------
    a, b : list of bool

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)``; 1.0 when both labellings are identical and constant, NaN for
        no units.

    Examples
    --------
    >>> kappa([True, True, False, False], [True, False, False, False])
    0.5
    """
    n = len(a)
    if n == 0:
        return math.nan
    n11 = sum(1 for x, y in zip(a, b) if x and y)
    n00 = sum(1 for x, y in zip(a, b) if not x and not y)
    pa, pb = sum(a) / n, sum(b) / n
    po = (n11 + n00) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    if pe == 1.0:
        return 1.0 if po == 1.0 else math.nan
    return (po - pe) / (1 - pe)


def _clusters(spans: list[tuple[int, int, str, str]]) -> list[list[tuple[int, int, str, str]]]:
    """Group (start, end, source, category) spans into clusters of overlapping spans."""
    out, cur, reach = [], [], -1
    for sp in sorted(spans):
        if cur and sp[0] < reach:
            cur.append(sp)
            reach = max(reach, sp[1])
        else:
            if cur:
                out.append(cur)
            cur, reach = [sp], sp[1]
    if cur:
        out.append(cur)
    return out


def _overlaps(s: int, e: int, spans) -> bool:
    return any(s < e2 and s2 < e for s2, e2 in spans)


def _tightest(occurrences: list[list[tuple[int, int]]]) -> tuple[int, int] | None:
    """The narrowest region ``(start, end)`` holding one occurrence of each list (the earliest on a
    tie), or None when no list has one; empty lists are left out.

    Examples
    --------
    >>> _tightest([[(0, 1), (20, 21)], [(10, 12), (22, 24)], [(2, 3), (25, 26)]])
    (20, 26)
    """
    import bisect

    lists = [sorted(o) for o in occurrences if o]
    if not lists:
        return None
    starts = [[s for s, _ in o] for o in lists]
    # per list, from each index on: the occurrence ending first (its start breaks ties)
    firsts = []
    for o in lists:
        suffix, best_sp = [None] * len(o), None
        for i in range(len(o) - 1, -1, -1):
            if best_sp is None or (o[i][1], o[i][0]) < (best_sp[1], best_sp[0]):
                best_sp = o[i]
            suffix[i] = best_sp
        firsts.append(suffix)
    best = None
    for left in sorted({s for st in starts for s in st}):
        picks = []
        for st, suffix in zip(starts, firsts):
            i = bisect.bisect_left(st, left)
            if i == len(st):
                break
            picks.append(suffix[i])
        else:
            region = (min(s for s, _ in picks), max(e for _, e in picks))
            if best is None or (region[1] - region[0], region[0]) < (best[1] - best[0], best[0]):
                best = region
    return best


def _tightest_in_order(occurrences: list[list[tuple[int, int]]]) -> tuple[int, int] | None:
    """The narrowest region holding one occurrence of each list *in list order* (each starting after
    the one before), the earliest on a tie, or None when there is no such choice; empty lists are
    left out. From each occurrence of the first list, each next list gives its first occurrence
    starting after the one picked before.

    Examples
    --------
    >>> _tightest_in_order([[(0, 1), (20, 21)], [(10, 12), (22, 24)], [(2, 3), (25, 26)]])
    (20, 26)
    >>> _tightest_in_order([[(30, 34)], [(10, 12)]]) is None
    True
    """
    import bisect

    lists = [sorted(o) for o in occurrences if o]
    if not lists:
        return None
    starts = [[s for s, _ in o] for o in lists]
    best = None
    for first in lists[0]:
        picks, at = [first], first[0]
        for st, o in zip(starts[1:], lists[1:]):
            i = bisect.bisect_right(st, at)
            if i == len(st):
                break
            picks.append(o[i])
            at = o[i][0]
        else:
            region = (first[0], max(e for _, e in picks))
            if best is None or (region[1] - region[0], region[0]) < (best[1] - best[0], best[0]):
                best = region
    return best


def _system_sequence_spans(sequences: pd.DataFrame | None) -> dict[str, list[tuple[int, int]]]:
    """doc_id -> the ``(start, end)`` of each system step sequence (by ``sequence``, else by runs of
    ``position`` from 1)."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if sequences is None or len(sequences) == 0:
        return out
    for d, rows in sequences.groupby("doc_id", sort=True):
        runs: list[list[tuple[int, int]]] = []
        if "sequence" in rows.columns:
            runs = [list(zip(g["start"].astype(int), g["end"].astype(int))) for _, g in rows.groupby("sequence", sort=True)]
        else:
            for r in rows.itertuples(index=False):
                if int(r.position) == 1 or not runs:
                    runs.append([])
                runs[-1].append((int(r.start), int(r.end)))
        out[str(d)] = [(min(s for s, _ in run), max(e for _, e in run)) for run in runs if run]
    return out


def _step_sequence_key(note) -> str:
    m = _STEP_NOTE.match(str(note)) if note is not None else None
    return m.group(1).lower() if m else ""


def _step_index(note) -> int:
    m = _STEP_NOTE.match(str(note)) if note is not None else None
    return int(m.group(2)) if m else 0


def score_codes(predicted: pd.DataFrame, gold: pd.DataFrame, texts: Mapping[str, str],
                category_map: Mapping[str, str] | None = None,
                sequences: pd.DataFrame | None = None) -> tuple[list[dict], list[dict], pd.DataFrame]:
    """Score predicted codes against gold items per category (see the module docstring).

    Parameters
    ----------
    predicted : pandas.DataFrame
        govlab's codes frame (``doc_id, category, start, end, matched``).
    gold : pandas.DataFrame
        Gold codes with ``doc_id, category, item_zh``.
    texts : mapping of doc_id to str
        Clean texts (the documents scored).
    category_map : mapping, optional
        System category -> gold category; :data:`CATEGORY_MAP` when omitted.
    sequences : pandas.DataFrame, optional
        The step sequences govlab found (:func:`step_sequences_corpus`: ``doc_id, position, start,
        end`` and ``sequence``); predicted step codes inside them count (see the module docstring).

    Returns
    -------
    scores : list of dict
    misses : list of dict
    confusion : pandas.DataFrame
        Counts of candidate units by gold category (rows, ``none`` for no gold item) and system
        category (columns, ``none`` for no code).

    Examples
    --------
    >>> texts = {"a": "（虚构）县政协委员走访村民。"}
    >>> pred = pd.DataFrame({"doc_id": ["a", "a"], "category": ["actor", "actor"], "start": [5, 11],
    ...                      "end": [9, 13], "matched": ["政协委员", "村民"]})
    >>> gold = pd.DataFrame({"doc_id": ["a"], "category": ["actor"], "item_zh": ["政协委员"]})
    >>> s, _, conf = score_codes(pred, gold, texts)
    >>> [(r["metric"], r["score"]) for r in s if r["category"] == "actor"][:2]
    [('recall', '100.0'), ('precision', '50.0')]
    """
    cmap = dict(CATEGORY_MAP if category_map is None else category_map)
    docs = sorted(texts)
    pred = predicted[predicted["doc_id"].isin(docs)].copy()
    pred["gold_category"] = pred["category"].map(cmap)
    pred = pred[pred["gold_category"].notna()]
    gold = gold[gold["doc_id"].isin(docs)]
    occ = {}  # (doc, row index) -> occurrences
    for idx, r in gold.iterrows():
        occ[idx] = _occurrences(r["item_zh"], _skeleton_cached(texts[r["doc_id"]]))
    # steps count only inside a named sequence: the gold sequence's tightest span, or a system sequence
    step_regions: dict[str, list[tuple[int, int]]] = _system_sequence_spans(sequences)
    step_seqs = defaultdict(list)
    for idx, r in gold[gold["category"] == "step"].iterrows():
        step_seqs[(r["doc_id"], _step_sequence_key(r.get("note")))].append((_step_index(r.get("note")), idx))
    for (d, _), keyed in sorted(step_seqs.items()):
        idxs = [i for _, i in sorted(keyed, key=lambda k: k[0])]  # gold order (stable for equal indices)
        ordered = [occ[i] for i in idxs]
        span = _tightest_in_order(ordered) or _tightest(ordered)
        if span is None:
            continue
        step_regions[d].append(span)
        for i in idxs:
            occ[i] = [(s, e) for s, e in occ[i] if span[0] <= s and e <= span[1]]
    is_step = pred["gold_category"] == "step"
    if is_step.any():
        inside = [_overlaps(s, e, step_regions.get(d, [])) for d, s, e in
                  zip(pred["doc_id"], pred["start"].astype(int), pred["end"].astype(int))]
        pred = pred[~is_step | pd.Series(inside, index=pred.index, dtype=bool)]
    stats = {c: defaultdict(int) for c in GOLD_CATEGORIES}
    misses = []
    labels = {c: ([], []) for c in GOLD_CATEGORIES}
    conf = defaultdict(int)
    pred_by = {(d, c): list(zip(g["start"].astype(int), g["end"].astype(int), g["matched"].astype(str)))
               for (d, c), g in pred.groupby(["doc_id", "gold_category"], sort=True)}
    for idx, r in gold.iterrows():
        c, d = r["category"], r["doc_id"]
        stats[c]["gold"] += 1
        if not occ[idx]:
            stats[c]["unlocated"] += 1
            misses.append({"doc_id": d, "group": "codes", "category": c, "error": "gold item not in the clean text",
                           "gold": r["item_zh"], "predicted": "", "start": -1, "end": -1})
            continue
        spans = [(s, e) for s, e, _ in pred_by.get((d, c), [])]
        if any(_overlaps(s, e, spans) for s, e in occ[idx]):
            stats[c]["recalled"] += 1
        else:
            s0, e0 = occ[idx][0]
            misses.append({"doc_id": d, "group": "codes", "category": c, "error": "no code of this category",
                           "gold": r["item_zh"], "predicted": "", "start": s0, "end": e0})
    for (d, c), plist in pred_by.items():
        gspans = [sp for idx, r in gold[(gold["doc_id"] == d) & (gold["category"] == c)].iterrows() for sp in occ[idx]]
        first: dict[tuple[str, bool], tuple[int, int, str]] = {}
        for s, e, m in plist:
            hit = _overlaps(s, e, gspans)
            stats[c]["mentions"] += 1
            stats[c]["mentions_correct"] += hit
            first.setdefault((_norm(m) or m, hit), (s, e, m))
        for (_, hit), (s, e, m) in first.items():
            stats[c]["predicted"] += 1
            stats[c]["correct"] += hit
            if not hit:
                misses.append({"doc_id": d, "group": "codes", "category": c, "error": "code on no gold item",
                               "gold": "", "predicted": m, "start": s, "end": e})
    for d in docs:
        spans = []
        for idx, r in gold[gold["doc_id"] == d].iterrows():
            spans.extend((s, e, "gold", r["category"]) for s, e in occ[idx])
        for (dd, c), plist in pred_by.items():
            if dd == d:
                spans.extend((s, e, "system", c) for s, e, _ in plist)
        for cl in _clusters(spans):
            g_cats = {sp[3] for sp in cl if sp[2] == "gold"}
            s_cats = {sp[3] for sp in cl if sp[2] == "system"}
            for c in GOLD_CATEGORIES:
                labels[c][0].append(c in g_cats)
                labels[c][1].append(c in s_cats)
            for gc in sorted(g_cats) or ["none"]:
                for sc in sorted(s_cats) or ["none"]:
                    conf[(gc, sc)] += 1
    rows = []
    for c in GOLD_CATEGORIES:
        st = stats[c]
        rows.append(_score("codes", c, "recall", st["recalled"], st["gold"]))
        rows.append(_score("codes", c, "precision", st["correct"], st["predicted"]))
        rows.append(_score("codes", c, "precision_mentions", st["mentions_correct"], st["mentions"]))
        k = kappa(*labels[c])
        rows.append({"group": "codes", "category": c, "metric": "kappa", "numerator": len(labels[c][0]),
                     "denominator": len(labels[c][0]), "score": "" if math.isnan(k) else f"{100 * k:.1f}"})
        rows.append(_score("codes", c, "unlocated", st["unlocated"], st["gold"]))
    tot_c = sum(stats[c]["correct"] for c in GOLD_CATEGORIES)
    tot_p = sum(stats[c]["predicted"] for c in GOLD_CATEGORIES)
    rows.append(_score("codes", "all", "precision", tot_c, tot_p))
    rows.append(_score("codes", "all", "precision_mentions", sum(stats[c]["mentions_correct"] for c in GOLD_CATEGORIES),
                       sum(stats[c]["mentions"] for c in GOLD_CATEGORIES)))
    cats = [*GOLD_CATEGORIES, "none"]
    confusion = pd.DataFrame([[conf.get((g, s), 0) for s in cats] for g in cats], index=pd.Index(cats, name="gold"),
                             columns=pd.Index(cats, name="system"), dtype="int64")
    return rows, misses, confusion


_SKELETONS: dict[int, tuple[str, tuple[str, list[int]]]] = {}


def _skeleton_cached(text: str) -> tuple[str, list[int]]:
    key = hash(text)
    hit = _SKELETONS.get(key)
    if hit is None or hit[0] != text:
        if len(_SKELETONS) > 256:
            _SKELETONS.clear()
        hit = (text, _skeleton(text))
        _SKELETONS[key] = hit
    return hit[1]


# ----------------------------------------------------------------------------- steps

def _sequences(loops: pd.DataFrame, doc_id: str) -> list[list[str]]:
    """The document's system sequences: by ``sequence`` when given, else one per run from position 1."""
    seqs: list[list[str]] = []
    rows = loops[loops["doc_id"] == doc_id]
    if "sequence" in rows.columns:
        for _, g in rows.groupby("sequence", sort=True):
            seqs.append([_norm(str(n)) for n in g.sort_values("position", kind="mergesort")["named"]])
        return seqs
    for r in rows.itertuples(index=False):
        if int(r.position) == 1 or not seqs:
            seqs.append([])
        seqs[-1].append(_norm(str(r.named)))
    return seqs


def step_sequences_corpus(texts: Mapping[str, str]) -> pd.DataFrame:
    """Every named step sequence of every text (:func:`govlab.coding.extract_step_sequences`), stacked.

    Parameters
    ----------
    texts : mapping of doc_id to str

    Returns
    -------
    pandas.DataFrame
        :data:`govlab.coding.steps.SEQUENCE_COLUMNS` (``sequence`` numbers the sequences of a document).

    Examples
    --------
    >>> df = step_sequences_corpus({"a": "（虚构）流程为收集→调研→协商→反馈。"})
    >>> df["named"].tolist(), df["sequence"].unique().tolist()
    (['收集', '调研', '协商', '反馈'], [1])
    """
    from govlab.coding.steps import SEQUENCE_COLUMNS, extract_step_sequences

    frames = [extract_step_sequences(t, doc_id=d) for d, t in sorted(texts.items())]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=SEQUENCE_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _step_hit(named: str, item: str) -> bool:
    return bool(named) and any((a := _norm(alt)) and (a == named or a in named or named in a) for alt in item.split("|"))


def score_steps(loops: pd.DataFrame, gold: pd.DataFrame, doc_ids) -> tuple[list[dict], list[dict]]:
    """Score named step sequences (see the module docstring).

    Parameters
    ----------
    loops : pandas.DataFrame
        :func:`step_sequences_corpus` output (``doc_id, position, named, sequence``), or
        :func:`govlab.coding.extract_loops` output (runs of ``position`` from 1).
    gold : pandas.DataFrame
        Gold codes; the ``step`` rows are used.
    doc_ids : iterable of str

    Returns
    -------
    scores : list of dict
    misses : list of dict

    Examples
    --------
    >>> loops = pd.DataFrame({"doc_id": ["a"] * 3, "position": [1, 2, 3], "named": ["征集议题", "调研", "协商"]})
    >>> gold = pd.DataFrame({"doc_id": ["a"] * 3, "category": ["step"] * 3, "item_zh": ["征集议题", "协商", "调研"],
    ...                      "note": ["1", "2", "3"]})
    >>> s, _ = score_steps(loops, gold, ["a"])
    >>> [(r["metric"], r["numerator"], r["denominator"]) for r in s]
    [('found', 1, 1), ('in_order', 0, 1), ('steps_found', 3, 3)]
    """
    doc_ids = sorted(set(doc_ids))
    g = gold[(gold["category"] == "step") & gold["doc_id"].isin(doc_ids)]
    n_seq = found = in_order = n_steps = steps_found = 0
    misses = []
    for d, gd in g.groupby("doc_id", sort=True):
        seqs = defaultdict(list)
        for r in gd.itertuples(index=False):
            m = _STEP_NOTE.match(r.note)
            seqs[m.group(1).lower()].append((int(m.group(2)), r.item_zh))
        sys_seqs = _sequences(loops, d)
        for key in sorted(seqs):
            items = [it for _, it in sorted(seqs[key])]
            n_seq += 1
            n_steps += len(items)
            steps_found += sum(1 for it in items if any(_step_hit(n, it) for sq in sys_seqs for n in sq))
            best_found, best_order = False, False
            for sq in sys_seqs:
                pos = []
                for it in items:
                    hits = [i for i, n in enumerate(sq) if _step_hit(n, it)]
                    if not hits:
                        break
                    later = [i for i in hits if not pos or i > pos[-1]]
                    pos.append(later[0] if later else hits[0])
                else:
                    best_found = True
                    if all(a < b for a, b in zip(pos, pos[1:])):
                        best_order = True
            found += best_found
            in_order += best_order
            if not best_order:
                misses.append({"doc_id": d, "group": "steps", "category": "step",
                               "error": "sequence found out of order" if best_found else "sequence not found",
                               "gold": "→".join(items), "predicted": " | ".join("→".join(sq) for sq in sys_seqs),
                               "start": -1, "end": -1})
    rows = [_score("steps", "sequence", "found", found, n_seq), _score("steps", "sequence", "in_order", in_order, n_seq),
            _score("steps", "sequence", "steps_found", steps_found, n_steps)]
    return rows, misses


# ----------------------------------------------------------------------------- all together

@dataclass
class Evaluation:
    """Result of :func:`evaluate`.

    Attributes
    ----------
    scores : pandas.DataFrame
        :data:`SCORE_COLUMNS`: one row per part, group, category and metric, with numerator,
        denominator and ``score``: the percentage with one decimal, as text (for ``figures_emitted`` the count).
    misses : pandas.DataFrame
        :data:`MISS_COLUMNS`: every missed gold item and every wrong prediction, per document.
    confusion : pandas.DataFrame
        Candidate units by gold and system code category.
    figures, codes, loops : pandas.DataFrame
        What govlab extracted.
    """

    scores: pd.DataFrame
    misses: pd.DataFrame
    confusion: pd.DataFrame
    figures: pd.DataFrame = field(repr=False, default=None)
    codes: pd.DataFrame = field(repr=False, default=None)
    loops: pd.DataFrame = field(repr=False, default=None)

    def table(self, part: str | None = None) -> pd.DataFrame:
        """The scores as a wide table: one row per (group, category, metric), one column per part."""
        df = self.scores if part is None else self.scores[self.scores["part"] == part]
        wide = df.pivot_table(index=["group", "category", "metric"], columns="part", values="score",
                              aggfunc="first", sort=False)
        return wide.reset_index()


def _parts(doc_ids, split: str, split_map: Mapping[str, str] | None) -> dict[str, list[str]]:
    if split not in ("all", "tune", "heldout", "each"):
        raise InputError(f"expected all, tune, heldout or each, got {split!r}", key="split")
    if split == "all":
        return {"all": sorted(doc_ids)}
    if split_map is None:
        raise InputError("a split needs a split table (file, part)", key="split")
    missing = sorted(d for d in doc_ids if d not in split_map)
    if missing:
        raise InputError(f"files not in the split table: {missing}", key="split")
    parts = {p: sorted(d for d in doc_ids if split_map[d] == p) for p in ("tune", "heldout")}
    return parts if split == "each" else {split: parts[split]}


def annotation_as_system(annotation: GoldSet) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A second annotation of the same texts, laid out as govlab's output, to score it like govlab.

    Scoring an independent annotator's items against the gold with the harness that scores govlab
    gives the *human ceiling*: what an annotator who read the guide, but is not the gold's author,
    reaches on each measure. A goal above it asks a system to agree with one annotator more than
    another annotator does.

    Parameters
    ----------
    annotation : GoldSet
        The second annotation, read with :func:`read_gold` from the same folder
        (``codes_file``/``figures_file``).

    Returns
    -------
    figures : pandas.DataFrame
        One row per annotated figure (``kind`` ``count``, ``counted`` = the first alternative of
        ``counted_zh``, placed at that noun's first occurrence, else at 0).
    codes : pandas.DataFrame
        One code per occurrence in the clean text of each annotated item (every alternative), with
        the item's category; an item found nowhere gives no code.
    sequences : pandas.DataFrame
        Each annotated step sequence (``doc_id, sequence, position, named, start, end``), placed at
        the tightest in-order occurrence of its steps when there is one.

    Examples
    --------
    >>> import tempfile
    >>> d = write_gold_folder(tempfile.mkdtemp(), {"a": "（虚构）镇里建成委员工作站3个，先调研再协商。"},
    ...                       "a,3,个,stations,工作站,0,0", "a,platform,委员工作站,\\na,step,调研,1\\na,step,协商,2")
    >>> figs, codes, seqs = annotation_as_system(read_gold(d))
    >>> codes[["category", "matched"]].values.tolist(), seqs["named"].tolist()
    ([['platform', '委员工作站'], ['step', '调研'], ['step', '协商']], ['调研', '协商'])
    """
    fig_rows, code_rows, seq_rows = [], [], []
    for r in annotation.figures.itertuples(index=False):
        counted = str(r.counted_zh).split("|")[0]
        occ = _occurrences(counted, _skeleton_cached(annotation.texts[r.doc_id])) if counted else []
        s, e = occ[0] if occ else (0, 0)
        fig_rows.append({"doc_id": r.doc_id, "kind": "count", "value": float(r.value), "counted": counted,
                         "approx": bool(r.approx), "masked": False, "start": s, "end": e})
    for r in annotation.codes.itertuples(index=False):
        text = annotation.texts[r.doc_id]
        for s, e in _occurrences(r.item_zh, _skeleton_cached(text)):
            code_rows.append({"doc_id": r.doc_id, "category": r.category, "start": s, "end": e,
                              "matched": text[s:e]})
    steps = annotation.codes[annotation.codes["category"] == "step"]
    for d, rows in steps.groupby("doc_id", sort=True):
        skel = _skeleton_cached(annotation.texts[d])
        keyed = sorted(rows.itertuples(index=False), key=lambda r: (_step_sequence_key(r.note), _step_index(r.note)))
        for n, key in enumerate(sorted({_step_sequence_key(r.note) for r in keyed}), start=1):
            items = [r.item_zh for r in keyed if _step_sequence_key(r.note) == key]
            occ = [_occurrences(it, skel) for it in items]
            region = _tightest_in_order(occ)
            at = region[0] if region else 0
            for pos, (it, o) in enumerate(zip(items, occ), start=1):
                later = [x for x in o if x[0] >= at]
                s, e = later[0] if later else (o[0] if o else (at, at))
                at = s
                seq_rows.append({"doc_id": d, "sequence": n, "position": pos, "named": it.split("|")[0],
                                 "start": s, "end": e})
    figs = pd.DataFrame(fig_rows, columns=["doc_id", "kind", "value", "counted", "approx", "masked", "start", "end"])
    codes = pd.DataFrame(code_rows, columns=["doc_id", "category", "start", "end", "matched"])
    codes = codes.sort_values(["doc_id", "start", "end", "category"], kind="mergesort").reset_index(drop=True)
    seqs = pd.DataFrame(seq_rows, columns=["doc_id", "sequence", "position", "named", "start", "end"])
    return figs, codes, seqs


def evaluate(gold_dir, *, split: str = "all", split_map: Mapping[str, str] | None = None,
             codebook=None, figures_fn=None, annotation: GoldSet | None = None) -> Evaluation:
    """Run govlab's text mining on a gold folder and score it.

    Parameters
    ----------
    gold_dir : path-like or GoldSet
        A folder in the development-set layout (see the module docstring), or one already read.
    split : {"all", "tune", "heldout", "each"}
        Which documents to score: all, one part of ``split_map``, or each part separately.
    split_map : mapping, optional
        doc_id -> ``tune``/``heldout``; the shipped :func:`read_split` when a split is asked for.
    codebook : Codebook, optional
        The codebook for codes and figures (the shipped one when omitted).
    figures_fn : callable, optional
        ``texts -> figures frame``; govlab's extractor when omitted (:func:`baseline_figures` to
        score the naive baseline).
    annotation : GoldSet, optional
        A second annotation of the same texts to score instead of govlab's output
        (:func:`annotation_as_system`: the human ceiling); ``codebook`` and ``figures_fn`` are then
        not used.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> import tempfile
    >>> d = write_gold_folder(tempfile.mkdtemp(), {"a": "（虚构）镇里建成委员工作站3个。"},
    ...                       "a,3,个,stations,委员工作站,0,0", "a,platform,委员工作站,")
    >>> ev = evaluate(d)
    >>> ev.scores.set_index(["category", "metric"]).loc[("strict", "recall"), "score"]
    '100.0'
    """
    from govlab.coding import code_corpus, extract_figures_corpus, load_codebook

    gs = gold_dir if isinstance(gold_dir, GoldSet) else read_gold(gold_dir)
    if split != "all" and split_map is None:
        split_map = read_split()
    parts = _parts(gs.texts, split, split_map)
    cb = codebook or load_codebook()
    texts = {d: gs.texts[d] for p in parts.values() for d in p}
    if annotation is not None:
        unknown = sorted(set(annotation.texts) ^ set(gs.texts))
        if unknown:
            raise InputError(f"the annotation and the gold are not of the same texts: {unknown[:5]}",
                             source=annotation.source)
        sub = GoldSet(texts=texts, figures=annotation.figures[annotation.figures["doc_id"].isin(texts)],
                      codes=annotation.codes[annotation.codes["doc_id"].isin(texts)], source=annotation.source)
        figs, codes, loops = annotation_as_system(sub)
    else:
        figs = (figures_fn or (lambda t: extract_figures_corpus(t, codebook=cb)))(texts)
        codes = code_corpus(texts, cb)
        loops = step_sequences_corpus(texts)
    scores, misses, confusions = [], [], []
    for part, docs in parts.items():
        sub = {d: texts[d] for d in docs}
        fs, fm = score_figures(figs, gs.figures, docs)
        cs, cm, conf = score_codes(codes, gs.codes, sub, sequences=loops)
        ss, sm = score_steps(loops, gs.codes, docs)
        for r in fs + cs + ss:
            scores.append({"part": part, **r})
        misses.extend(fm + cm + sm)
        confusions.append(conf)
    confusion = confusions[0]
    for c in confusions[1:]:
        confusion = confusion + c
    scores_df = pd.DataFrame(scores, columns=SCORE_COLUMNS)
    misses_df = pd.DataFrame(misses, columns=MISS_COLUMNS)
    if len(misses_df):
        misses_df = misses_df.sort_values(["doc_id", "group", "start"], kind="mergesort").reset_index(drop=True)
    return Evaluation(scores=scores_df, misses=misses_df, confusion=confusion, figures=figs, codes=codes, loops=loops)


# ----------------------------------------------------------------------------- two annotators

def pair_annotations(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Pair two annotators' code tables item by item, before any adjudication.

    Two items are the same when they are in the same file and category and one alternative of one
    equals one alternative of the other after normalising (traditional to simplified script, quotes,
    spaces and ``&nbsp;`` removed). Containment does not count (县政协 is not 县政协主席), so the
    agreement is a lower bound; a person adjudicating would also merge spellings such as a title
    joined to a name. Each item of either table is paired at most once, in table order.

    Parameters
    ----------
    first, second : pandas.DataFrame
        Gold code tables (``file, category, item_zh``; other columns are ignored).

    Returns
    -------
    pandas.DataFrame
        ``file, category, item_zh, source, decision``: one row per item, ``source`` ``both``,
        ``first`` or ``second``; ``decision`` is ``keep`` throughout, so the table can go straight to
        :func:`annotator_agreement`.

    Examples
    --------
    >>> a = pd.DataFrame({"file": ["x", "x"], "category": ["actor", "platform"], "item_zh": ["村民", "議事室"]})
    >>> b = pd.DataFrame({"file": ["x", "x"], "category": ["actor", "platform"], "item_zh": ["群众", "议事室"]})
    >>> pair_annotations(a, b)["source"].tolist()
    ['first', 'second', 'both']
    """
    for name, df in (("first", first), ("second", second)):
        missing = [c for c in ("file", "category", "item_zh") if c not in df.columns]
        if missing:
            raise InputError(f"missing columns {missing}; expected file, category, item_zh", key=name)

    def keys(item: str) -> set:
        return {k for k in (_norm(a) for a in str(item).split("|")) if k}

    rows, used = [], set()
    sec = list(second[["file", "category", "item_zh"]].itertuples(index=False))
    sec_keys = [keys(r.item_zh) for r in sec]
    for r in first[["file", "category", "item_zh"]].itertuples(index=False):
        k = keys(r.item_zh)
        match = next((j for j, o in enumerate(sec) if j not in used and o.file == r.file
                      and o.category == r.category and k & sec_keys[j]), None)
        if match is None:
            rows.append((r.file, r.category, r.item_zh, "first"))
        else:
            used.add(match)
            rows.append((r.file, r.category, r.item_zh, "both"))
    rows.extend((o.file, o.category, o.item_zh, "second") for j, o in enumerate(sec) if j not in used)
    out = pd.DataFrame(rows, columns=["file", "category", "item_zh", "source"])
    out["decision"] = "keep"
    return out.sort_values(["file", "category"], kind="mergesort").reset_index(drop=True)


def annotator_agreement(adjudicated: pd.DataFrame, *, by: str = "category") -> pd.DataFrame:
    """Agreement of two annotators from an adjudicated item table, per category.

    Each row of ``adjudicated`` is one item (one referent in one document and category) with
    ``source`` = ``both`` (both annotators gave it), ``first`` or ``second`` (one did) and
    ``decision`` = ``keep`` / ``drop`` (the adjudication). With *b* items both gave and *f*, *s* items
    only one gave, the table gives Jaccard ``b / (b + f + s)`` and the positive specific agreement
    ``PSA = 2b / (2b + f + s)`` (Fleiss 1975), the agreement measure for item lists with no fixed set
    of negatives (Hripcsak & Rothschild 2005: it equals the F1 of one annotator against the other);
    and, against the kept items, each annotator's precision (share of their items kept) and recall
    (share of the kept items they gave).

    Parameters
    ----------
    adjudicated : pandas.DataFrame
        Columns ``source``, ``decision`` and the ``by`` column.
    by : str
        The grouping column (``category`` for codes).

    Returns
    -------
    pandas.DataFrame
        One row per group and an ``all`` row: ``first, second, both, first_only, second_only,
        jaccard, psa, kept, first_precision, first_recall, second_precision, second_recall``
        (ratios rounded to 3 decimals).

    Raises
    ------
    govlab.errors.InputError
        A missing column, or a ``source`` / ``decision`` value outside the ones above.

    Examples
    --------
    >>> adj = pd.DataFrame({"category": ["actor"] * 4, "source": ["both", "both", "first", "second"],
    ...                     "decision": ["keep", "keep", "drop", "keep"]})
    >>> t = annotator_agreement(adj)
    >>> int(t.loc[0, "both"]), t.loc[0, ["jaccard", "psa", "first_recall"]].tolist()
    (2, [0.5, 0.667, 0.667])
    """
    for c in (by, "source", "decision"):
        if c not in adjudicated.columns:
            raise InputError(f"missing column {c!r}; expected {by}, source, decision", key=c)
    bad = sorted(set(adjudicated["source"]) - {"both", "first", "second"})
    if bad:
        raise InputError(f"unknown source values {bad}; expected both, first or second", key="source")
    bad = sorted(set(adjudicated["decision"]) - {"keep", "drop"})
    if bad:
        raise InputError(f"unknown decision values {bad}; expected keep or drop", key="decision")

    def row(name, g):
        n = g.groupby(["source", "decision"]).size()

        def count(src, dec=None):
            return int(n[src].sum()) if dec is None and src in n.index.get_level_values(0) else int(n.get((src, dec), 0))

        b, f, s = count("both"), count("first"), count("second")
        kept = int((g["decision"] == "keep").sum())
        fk, sk = count("both", "keep") + count("first", "keep"), count("both", "keep") + count("second", "keep")

        def ratio(a, d):
            return round(a / d, 3) if d else math.nan

        return {by: name, "first": b + f, "second": b + s, "both": b, "first_only": f, "second_only": s,
                "jaccard": ratio(b, b + f + s), "psa": ratio(2 * b, 2 * b + f + s), "kept": kept,
                "first_precision": ratio(fk, b + f), "first_recall": ratio(fk, kept),
                "second_precision": ratio(sk, b + s), "second_recall": ratio(sk, kept)}

    rows = [row(k, g) for k, g in adjudicated.groupby(by, sort=True)]
    rows.append(row("all", adjudicated))
    return pd.DataFrame(rows)


def pairwise_agreement(codes: Mapping[str, pd.DataFrame],
                       figures: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Agreement of every pair of annotators, before adjudication, on the files all of them annotated.

    Codes are paired by :func:`pair_annotations` (exact spelling after normalising: a lower bound);
    figures by file and value (rounded to 2 decimals, each row paired once). The PSA of each pair and
    category is :func:`annotator_agreement`'s.

    Parameters
    ----------
    codes : mapping of annotator name to DataFrame
        Gold code tables (``file, category, item_zh``), in the order the pairs are to be listed.
    figures : mapping of annotator name to DataFrame, optional
        Gold figure tables (``file, value``) of the same annotators.

    Returns
    -------
    pandas.DataFrame
        ``texts, pair, category, both, first_only, second_only, psa`` (``pair`` is ``a~b``; figures
        have category ``figure``).

    Examples
    --------
    >>> a = pd.DataFrame({"file": ["x", "x"], "category": ["actor", "platform"], "item_zh": ["村民", "议事室"]})
    >>> b = pd.DataFrame({"file": ["x"], "category": ["platform"], "item_zh": ["議事室"]})
    >>> t = pairwise_agreement({"a": a, "b": b})
    >>> t[t["category"] == "all"][["pair", "both", "first_only", "psa"]].values.tolist()
    [['a~b', 1, 1, 0.667]]
    """
    from collections import Counter
    from itertools import combinations

    names = list(codes)
    files = set.intersection(*(set(codes[n]["file"]) for n in names)) if names else set()
    rows = []
    for a, b in combinations(names, 2):
        t = annotator_agreement(pair_annotations(codes[a][codes[a]["file"].isin(files)],
                                                 codes[b][codes[b]["file"].isin(files)]))
        t.insert(0, "pair", f"{a}~{b}")
        rows.append(t[["pair", "category", "both", "first_only", "second_only", "psa"]])
    for a, b in combinations(list(figures or {}), 2):
        x, y = (figures[n][figures[n]["file"].isin(files)] for n in (a, b))
        vals = {}
        for name, d in ((a, x), (b, y)):
            v = pd.to_numeric(d["value"], errors="coerce")
            if v.isna().any():
                bad = d.loc[v.isna(), "value"].iloc[0]
                raise InputError(f"annotator {name!r}: figure value {bad!r} is not a number", key="value")
            vals[name] = Counter(zip(d["file"], v.round(2)))
        cx, cy = vals[a], vals[b]
        both = sum((cx & cy).values())
        n = len(x) + len(y)
        rows.append(pd.DataFrame([{"pair": f"{a}~{b}", "category": "figure", "both": both,
                                   "first_only": len(x) - both, "second_only": len(y) - both,
                                   "psa": round(2 * both / n, 3) if n else float("nan")}]))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["pair", "category", "both", "first_only", "second_only", "psa"])
    out.insert(0, "texts", len(files))
    return out


def review_agreement(adjudicated: pd.DataFrame, review: pd.DataFrame) -> pd.DataFrame:
    """How often a third reviewer agrees with the adjudication, per stratum and category.

    ``review`` holds a third person's decision on some adjudicated items (``third`` = ``keep`` /
    ``drop``). Each reviewed item is looked up in ``adjudicated`` by ``file, category, item_zh``, and
    the adjudicated ``decision`` found there is compared with ``third``. The shares are given per
    ``stratum`` of the review (for instance all ``drop`` decisions, and a random sample of ``keep``
    decisions; a review without a ``stratum`` column is one stratum, ``all``) and per category, with
    an ``all`` row per stratum and, when there are several strata, a final ``all, all`` row over every
    reviewed item (strata sampled at different rates are simply pooled there).

    Parameters
    ----------
    adjudicated : pandas.DataFrame
        ``file, category, item_zh, decision`` (other columns are ignored). Figures can be reviewed in
        the same table with ``category`` ``figure`` and ``item_zh`` the counted noun.
    review : pandas.DataFrame
        ``file, category, item_zh, third`` and optionally ``stratum``; a stored ``adjudicated``
        column, when present, must equal the decision found.

    Returns
    -------
    pandas.DataFrame
        ``stratum, category, reviewed, agreed, agreement, adjudicated_keep, third_keep``
        (``agreement`` = agreed / reviewed, rounded to 3 decimals).

    Raises
    ------
    govlab.errors.InputError
        A missing column, a decision outside keep/drop, or a reviewed item that is not in
        ``adjudicated`` (or is there twice), or whose stored decision differs; the message names the
        review row (counted from 1, after the header) and the item.

    Examples
    --------
    >>> adj = pd.DataFrame({"file": ["x"] * 3, "category": ["actor", "actor", "platform"],
    ...                     "item_zh": ["村民", "群众", "议事室"], "decision": ["keep", "drop", "drop"]})
    >>> rev = adj.assign(third=["keep", "keep", "drop"])[["file", "category", "item_zh", "third"]]
    >>> review_agreement(adj, rev)[["category", "reviewed", "agreed", "agreement"]].values.tolist()
    [['actor', 2, 1, 0.5], ['platform', 1, 1, 1.0], ['all', 3, 2, 0.667]]
    """
    keys = ["file", "category", "item_zh"]
    for name, df, cols in (("adjudicated", adjudicated, keys + ["decision"]), ("review", review, keys + ["third"])):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise InputError(f"missing columns {missing}; expected {', '.join(cols)}", key=name)
    for name, df, col in (("adjudicated", adjudicated, "decision"), ("review", review, "third")):
        bad = sorted(set(df[col].astype(str)) - {"keep", "drop"})
        if bad:
            raise InputError(f"unknown {col} values {bad}; expected keep or drop", key=name)
    found = {}
    for r in adjudicated[keys + ["decision"]].astype(str).itertuples(index=False):
        found.setdefault((r.file, r.category, r.item_zh), []).append(r.decision)
    decisions = []
    stored = review["adjudicated"].astype(str).tolist() if "adjudicated" in review.columns else None
    for i, r in enumerate(review[keys].astype(str).itertuples(index=False)):
        hit = found.get((r.file, r.category, r.item_zh), [])
        where = f"row {i + 1} ({r.file}, {r.category}, {r.item_zh})"
        if len(hit) != 1:
            raise InputError(f"{where}: found {len(hit)} times in the adjudicated table; expected once", key="review")
        if stored is not None and stored[i] != hit[0]:
            raise InputError(f"{where}: adjudicated is {stored[i]!r} here but {hit[0]!r} in the adjudicated table",
                             key="review")
        decisions.append(hit[0])
    t = pd.DataFrame({"stratum": review["stratum"].astype(str).tolist() if "stratum" in review.columns
                      else ["all"] * len(review),
                      "category": review["category"].astype(str).tolist(),
                      "decision": decisions, "third": review["third"].astype(str).tolist()})

    def row(stratum, category, g):
        n, a = len(g), int((g["decision"] == g["third"]).sum())
        return {"stratum": stratum, "category": category, "reviewed": n, "agreed": a,
                "agreement": round(a / n, 3) if n else math.nan,
                "adjudicated_keep": int((g["decision"] == "keep").sum()), "third_keep": int((g["third"] == "keep").sum())}

    rows = []
    for s in dict.fromkeys(t["stratum"]):
        g = t[t["stratum"] == s]
        rows += [row(s, c, gc) for c, gc in g.groupby("category", sort=True)]
        rows.append(row(s, "all", g))
    if t["stratum"].nunique() > 1:
        rows.append(row("all", "all", t))
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- stored tables

#: Tables stored in ``datasets/evaluation/`` (``<name>.csv``); see its README for how each is made.
EVALUATION_TABLES = ("split", "goals", "scores_before", "scores_after", "scores_baseline", "scores_adjudicated",
                     "errors", "figure_misses", "confusion", "agreement",
                     "extra/sources", "extra/split", "extra/scores_before", "extra/scores_start", "extra/scores_round1",
                     "extra/scores_after", "extra/scores_baseline",
                     "final/sources", "final/scores_before", "final/scores_start", "final/scores_after",
                     "final/scores_baseline",
                     "fresh/sources", "fresh/split", "fresh/scores_before", "fresh/scores_start", "fresh/scores_after",
                     "fresh/scores_baseline", "fresh/scores_adjudicated", "fresh/agreement", "fresh/agreement_exact", "fresh/learned_counted",
                     "fresh/learned_spans", "fresh4/sources", "fresh4/split", "fresh4/scores_before", "fresh4/scores_after",
                     "fresh4/scores_baseline", "fresh4/learned_counted", "fresh4/learned_spans",
                     "extra/scores_session6_start", "final/scores_session6_start", "fresh/scores_session6_start",
                     "fresh4/scores_session6_start",
                     "fresh5/sources", "fresh5/split", "fresh5/scores_before", "fresh5/scores_session6_start",
                     "fresh5/scores_blind", "fresh5/scores_after", "fresh5/scores_baseline",
                     "fresh6/sources", "fresh6/split", "fresh6/scores_before", "fresh6/scores_session6_start",
                     "fresh6/scores_blind", "fresh6/scores_after", "fresh6/scores_baseline",
                     "fresh7/sources", "fresh7/split", "fresh7/scores_before", "fresh7/scores_session6_start",
                     "fresh7/scores_after", "fresh7/scores_baseline", "fresh7/scores_blind",
                     "scores_second_annotator", "fresh/scores_second_annotator", "fresh/scores_third_annotator",
                     "human_ceiling",
                     "fresh8/sources", "fresh8/split", "fresh8/scores_before", "fresh8/scores_session7_start",
                     "fresh8/scores_after", "fresh8/scores_baseline", "fresh8/scores_second_annotator",
                     "fresh8/scores_against_second", "fresh8/agreement_exact",
                     "code_spans_threshold_grid", "counted_cv", "code_spans_cv", "code_spans_heldout")


def error_counts(misses: pd.DataFrame, part: str) -> pd.DataFrame:
    """Count misses by group, category and error type (no text: safe to store).

    Parameters
    ----------
    misses : pandas.DataFrame
        :attr:`Evaluation.misses`.
    part : str
        Written in the ``part`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``part, group, category, error, count``.

    Examples
    --------
    >>> m = pd.DataFrame({"group": ["codes", "codes"], "category": ["actor", "actor"],
    ...                   "error": ["no code of this category"] * 2})
    >>> error_counts(m, "tune").values.tolist()
    [['tune', 'codes', 'actor', 'no code of this category', 2]]
    """
    if misses.empty:
        return pd.DataFrame(columns=["part", "group", "category", "error", "count"])
    out = misses.groupby(["group", "category", "error"], sort=True).size().reset_index(name="count")
    out.insert(0, "part", part)
    return out


def figure_misses(misses: pd.DataFrame, part: str) -> pd.DataFrame:
    """The figure misses as counted nouns and offsets only (the document by its number, no sentence).

    Parameters
    ----------
    misses : pandas.DataFrame
        :attr:`Evaluation.misses`.
    part : str

    Returns
    -------
    pandas.DataFrame
        Columns ``part, doc, error, gold, predicted, start, end`` (``doc``: the file's leading number).

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["07_x"], "group": ["figure"], "category": ["counted"],
    ...                   "error": ["counted thing wrong"], "gold": ["4 联系点"], "predicted": ["4 委员"],
    ...                   "start": [54], "end": [56]})
    >>> figure_misses(m, "tune").values.tolist()
    [['tune', '07', 'counted thing wrong', '4 联系点', '4 委员', 54, 56]]
    """
    f = misses[misses["group"] == "figure"]
    out = pd.DataFrame({"part": part, "doc": f["doc_id"].str.split("_").str[0], "error": f["error"],
                        "gold": f["gold"], "predicted": f["predicted"], "start": f["start"], "end": f["end"]})
    return out.reset_index(drop=True)


def load_evaluation(name: str) -> pd.DataFrame:
    """A stored evaluation table from ``datasets/evaluation/`` (one of :data:`EVALUATION_TABLES`).

    Parameters
    ----------
    name : str

    Returns
    -------
    pandas.DataFrame
        All columns as text except integer counts and offsets.

    Examples
    --------
    >>> load_evaluation("split")["part"].value_counts().to_dict()
    {'tune': 17, 'heldout': 8}
    """
    from govlab.datasets import dataset_path

    if name not in EVALUATION_TABLES:
        raise InputError(f"unknown table {name!r}; expected one of {list(EVALUATION_TABLES)}", key="name")
    df = pd.read_csv(dataset_path(f"evaluation/{name}.csv"), dtype=str, keep_default_na=False)
    for c in ("numerator", "denominator", "count", "start", "end", "body_chars"):
        if c in df.columns:
            df[c] = df[c].astype("int64")
    return df


def score_table(scores: Mapping[str, pd.DataFrame], rows: Sequence[tuple[str, str, str]], *,
                part: str = "heldout") -> pd.DataFrame:
    """Several score tables side by side, one column each, for the rows asked for.

    Parameters
    ----------
    scores : mapping of column name to DataFrame
        Score tables (:data:`SCORE_COLUMNS`), such as :func:`load_evaluation` returns.
    rows : sequence of (group, category, metric)
        The rows to show, in order; a row a table lacks is empty (NaN) in its column.
    part : str
        The ``part`` to show (``heldout`` or ``tune``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``group, category, metric``; each cell ``score (numerator/denominator)``.

    Examples
    --------
    >>> a = pd.DataFrame({"part": ["heldout"], "group": ["figures"], "category": ["strict"], "metric": ["recall"],
    ...                   "numerator": [3], "denominator": [4], "score": ["75.0"]})
    >>> score_table({"now": a}, [("figures", "strict", "recall")]).iloc[0, 0]
    '75.0 (3/4)'
    """
    index = pd.MultiIndex.from_tuples(list(rows), names=["group", "category", "metric"])
    cols = {}
    for name, df in scores.items():
        d = df[df["part"] == part]
        cell = d["score"].astype(str) + " (" + d["numerator"].astype(str) + "/" + d["denominator"].astype(str) + ")"
        cols[name] = pd.Series(cell.to_numpy(), index=pd.MultiIndex.from_frame(d[["group", "category", "metric"]]))
        cols[name] = cols[name][~cols[name].index.duplicated()].reindex(index)
    return pd.DataFrame(cols, index=index)


def evaluation_tables(gold_dir, *, split_map: Mapping[str, str] | None = None,
                      adjudicated: bool = True) -> dict[str, pd.DataFrame]:
    """The tables stored in ``datasets/evaluation/`` that this govlab computes: ``scores_after``,
    ``scores_baseline``, ``errors``, ``figure_misses`` and ``confusion`` (tune and held-out parts),
    and with ``adjudicated``: ``scores_adjudicated`` (the same texts scored against the adjudicated
    gold of two annotators), ``agreement`` (:func:`annotator_agreement` of the two annotators) and
    ``scores_second_annotator`` (the blind second annotation scored as the system against the first
    gold: the human ceiling, :func:`annotation_as_system`).

    Parameters
    ----------
    gold_dir : path-like or GoldSet
    split_map : mapping, optional
        The shipped split when omitted.
    adjudicated : bool
        Also score against the shipped adjudicated gold (:func:`default_adjudicated_paths`); it
        belongs to the shipped development set only.

    Returns
    -------
    dict of str to pandas.DataFrame
    """
    gs = gold_dir if isinstance(gold_dir, GoldSet) else read_gold(gold_dir)
    after = evaluate(gs, split="each", split_map=split_map)
    base = evaluate(gs, split="each", split_map=split_map, figures_fn=baseline_figures)
    split_map = split_map or read_split()
    out = {}
    if isinstance(gold_dir, GoldSet):
        gold_dir = gs.source
    adj_codes, adj_figs = default_adjudicated_paths()
    if adjudicated and Path(gold_dir).is_dir():
        gs_adj = read_gold(gold_dir, codes_file=adj_codes, figures_file=adj_figs)
        out["scores_adjudicated"] = evaluate(gs_adj, split="each", split_map=split_map).scores
    errors, fig = [], []
    for part in ("tune", "heldout"):
        docs = {d for d, p in split_map.items() if p == part}
        m = after.misses[after.misses["doc_id"].isin(docs)]
        errors.append(error_counts(m, part))
        fig.append(figure_misses(m, part))
    conf = after.confusion.reset_index()
    out.update({"scores_after": after.scores, "scores_baseline": base.scores[base.scores["group"] == "figures"],
                "errors": pd.concat(errors, ignore_index=True), "figure_misses": pd.concat(fig, ignore_index=True),
                "confusion": conf})
    if adjudicated:
        codes = pd.read_csv(adj_codes, dtype=str, keep_default_na=False)
        figs = pd.read_csv(adj_figs, dtype=str, keep_default_na=False).assign(category="figures")
        second = pd.read_csv(adj_codes.with_name("second_annotation_codes.csv"), dtype=str, keep_default_na=False)
        first = pd.read_csv(Path(gold_dir) / "gold_codes.csv", dtype=str, keep_default_na=False)
        agree = pd.concat([annotator_agreement(codes).assign(group="codes", pairing="adjudicated"),
                           annotator_agreement(figs).assign(group="figures", pairing="adjudicated").iloc[:1],
                           annotator_agreement(pair_annotations(first, second)).assign(group="codes", pairing="exact")],
                          ignore_index=True)
        exact = agree["pairing"] == "exact"  # no adjudication there: nothing to keep or drop
        agree["kept"] = agree["kept"].astype("Int64").mask(exact)
        for c in ("first_precision", "first_recall", "second_precision", "second_recall"):
            agree[c] = agree[c].mask(exact)
        lead = ["pairing", "group"]
        out["agreement"] = agree[[*lead, *[c for c in agree.columns if c not in lead]]]
        if Path(gold_dir).is_dir():
            second_gs = read_gold(gold_dir, codes_file=adj_codes.with_name("second_annotation_codes.csv"),
                                  figures_file=adj_figs.with_name("second_annotation_figures.csv"))
            out["scores_second_annotator"] = evaluate(gs, split="each", split_map=split_map,
                                                      annotation=second_gs).scores
    return out


def pool_scores(tables: Mapping[str, pd.DataFrame], *, part: str = "heldout") -> pd.DataFrame:
    """Scores pooled over several sets: numerators and denominators summed per measure.

    Pooling counts every item once, so a set with more figures weighs more (the micro average); the
    ``sets`` column says how many sets had the measure. Kappa and ``figures_emitted`` are left out:
    they do not pool by summing.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Set name -> scores table (:data:`SCORE_COLUMNS`).
    part : str
        The part pooled.

    Returns
    -------
    pandas.DataFrame
        ``group, category, metric, numerator, denominator, score, sets``.

    Examples
    --------
    >>> t = lambda n, d: pd.DataFrame([["heldout", "figures", "strict", "recall", n, d, ""]], columns=SCORE_COLUMNS)
    >>> pool_scores({"a": t(3, 4), "b": t(5, 6)})[["numerator", "denominator", "score", "sets"]].values.tolist()
    [[8, 10, '80.0', 2]]
    """
    frames = [t[t["part"] == part].assign(_set=name) for name, t in tables.items()]
    df = pd.concat(frames, ignore_index=True)
    df = df[~df["metric"].isin(["kappa", "figures_emitted"])]
    df = df.astype({"numerator": "int64", "denominator": "int64"})
    out = df.groupby(["group", "category", "metric"], sort=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"), sets=("_set", "nunique")).reset_index()
    out["score"] = [_pct(int(n), int(d)) for n, d in zip(out["numerator"], out["denominator"])]
    return out[["group", "category", "metric", "numerator", "denominator", "score", "sets"]]


def human_ceiling(goals: pd.DataFrame, annotator: pd.DataFrame, system: pd.DataFrame, *,
                  part: str = "heldout") -> pd.DataFrame:
    """Each goal beside what an independent annotator and govlab reach on the same texts.

    Parameters
    ----------
    goals : pandas.DataFrame
        :func:`read_goals` (``group, category, metric, goal``).
    annotator, system : pandas.DataFrame
        Scores tables (:data:`SCORE_COLUMNS`) of a second annotation scored as the system
        (:func:`evaluate` with ``annotation``) and of govlab, on the same texts and gold.
    part : str
        The part compared.

    Returns
    -------
    pandas.DataFrame
        ``group, category, metric, goal, annotator, govlab, above_ceiling``: ``above_ceiling`` is
        True when the goal asks more than the annotator reaches (for ``figures_emitted``, a count
        where lower is better, when the annotator emits more than the goal allows).

    Examples
    --------
    >>> goals = pd.DataFrame({"group": ["codes"], "category": ["all"], "metric": ["precision"], "goal": [90.0]})
    >>> row = lambda s: pd.DataFrame([["heldout", "codes", "all", "precision", 1, 2, s]], columns=SCORE_COLUMNS)
    >>> human_ceiling(goals, row("50.8"), row("52.2"))[["annotator", "govlab", "above_ceiling"]].values.tolist()
    [[50.8, 52.2, True]]
    """
    def pick(scores):
        s = scores[scores["part"] == part].set_index(["group", "category", "metric"])["score"]
        return lambda k: float(s[k]) if k in s.index and str(s[k]) not in ("", "nan") else math.nan

    a, g = pick(annotator), pick(system)
    rows = []
    for r in goals.itertuples(index=False):
        k = (r.group, r.category, r.metric)
        lower_better = r.metric == "figures_emitted"
        ceiling = a(k)
        above = bool(ceiling > float(r.goal)) if lower_better else bool(ceiling < float(r.goal))
        rows.append({"group": r.group, "category": r.category, "metric": r.metric, "goal": float(r.goal),
                     "annotator": ceiling, "govlab": g(k), "above_ceiling": above})
    return pd.DataFrame(rows, columns=["group", "category", "metric", "goal", "annotator", "govlab", "above_ceiling"])


def default_adjudicated_paths() -> tuple[Path, Path]:
    """The shipped adjudicated gold tables of the development set (codes, figures): every item the
    first annotator (``gold_*.csv``) or the blind second annotator gave, with the adjudication."""
    from govlab.datasets import dataset_path

    return (Path(dataset_path("evaluation/adjudicated_codes.csv")),
            Path(dataset_path("evaluation/adjudicated_figures.csv")))
