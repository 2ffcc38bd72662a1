"""Consultation loops: find a report's named list of steps and map each onto the canonical vocabulary.

Reports name their loop as an enumeration of short step names joined by 、 (or arrows), for example
a six-step rule or an eight-link loop. :func:`extract_loop_steps` finds every enumeration of at least
four short items, maps each item onto the canonical step vocabulary (``datasets/loop_steps.csv``:
an exact synonym first, else the synonym the item ends with, since Chinese compounds are head-final:
办理反馈 is a kind of 反馈) and keeps the enumeration with most mapped steps. An item that maps to no
canonical step is kept as an extra step (``step`` empty), so alignment can show it.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

import pandas as pd

from govlab.coding.coding import _texts_of, validate_text
from govlab.errors import ConfigError, InputError

__all__ = ["LOOP_COLUMNS", "load_loop_steps", "map_step", "extract_loop_steps", "extract_loops"]

#: Columns of the loop table.
LOOP_COLUMNS = ["doc_id", "position", "named", "step", "start", "end"]

_ITEM = re.compile(r"[\u4e00-\u9fff](?:[\u4e00-\u9fff]|[ \u3000](?=[\u4e00-\u9fff])){1,11}")
_SEP = r"\s*(?:[、→＞>]|—{1,2}|－|->)\s*"
_CANDIDATE = re.compile(rf"{_ITEM.pattern}(?:{_SEP}{_ITEM.pattern}){{3,}}")
_ORD = r"(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]步(?:是|为)?|[①②③④⑤⑥⑦⑧⑨⑩]|[（(][一二三四五六七八九十\d][)）]|\d[.、．])"
_ORD_ITEM = re.compile(rf"{_ORD}\s*([\u4e00-\u9fff]{{2,8}})(?=[，；。,;、\s]|$|{_ORD})")
_ORD_CANDIDATE = re.compile(rf"(?:{_ORD}\s*[\u4e00-\u9fff]{{2,8}}\s*[，；,;、]?\s*){{4,}}")
_CUE = re.compile(r"^(?:构建了?|建立了?|形成了?|推行了?|实行了?|按照|包括|遵循|坚持|实施|即|为|是|了|的|有)+")
_REQUIRED = ("step", "order", "zh", "en", "definition", "synonyms")
_OPTIONAL = ("map_only",)


def load_loop_steps(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load the canonical loop-step vocabulary.

    Parameters
    ----------
    path : path-like, optional
        A CSV with columns ``step, order, zh, en, definition, synonyms`` and optionally ``map_only``
        (both ``|``-separated); the shipped ``datasets/loop_steps.csv`` when omitted. ``synonyms``
        are step names also coded in running text (the codebook's ``step.*`` codes match them);
        ``map_only`` are generic words (调研, 落实) used only to map an item of a named loop.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``order``; ``synonyms`` and ``map_only`` as tuples (the ``zh`` name included in
        ``synonyms``).

    Raises
    ------
    govlab.errors.ConfigError
        Missing columns, duplicate step ids or non-integer orders (naming the row).

    Examples
    --------
    >>> v = load_loop_steps()
    >>> v["step"].tolist()[:3]
    ['build_platform', 'collect_topics', 'choose_topics']
    """
    if path is None:
        from govlab.datasets import dataset_path

        path = dataset_path("loop_steps.csv")
    source = str(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the step vocabulary ({exc})", source=source) from None
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise ConfigError(f"missing columns {missing}", source=source)
    if df["step"].duplicated().any():
        dup = df.loc[df["step"].duplicated(), "step"].iloc[0]
        raise ConfigError(f"duplicate step id {dup!r}", source=source, key="step")
    try:
        df["order"] = df["order"].astype(int)
    except ValueError:
        raise ConfigError("order must be an integer in every row", source=source, key="order") from None
    df["synonyms"] = [tuple(dict.fromkeys([z] + [s.strip() for s in syn.split("|") if s.strip()]))
                      for z, syn in zip(df["zh"], df["synonyms"])]
    if "map_only" not in df.columns:
        df["map_only"] = ""
    df["map_only"] = [tuple(s.strip() for s in m.split("|") if s.strip()) for m in df["map_only"]]
    return df.sort_values("order", kind="mergesort").reset_index(drop=True)


def _synonym_index(vocabulary: pd.DataFrame) -> tuple[dict, list]:
    exact = {}
    pairs = []
    extra = vocabulary["map_only"] if "map_only" in vocabulary.columns else [()] * len(vocabulary)
    for step, syns, more in zip(vocabulary["step"], vocabulary["synonyms"], extra):
        for s in tuple(syns) + tuple(more):
            exact.setdefault(s, step)
            pairs.append((s, step))
    pairs.sort(key=lambda p: (-len(p[0]), p[0]))
    return exact, pairs


def _normal(named: str) -> str:
    return re.sub(r"[\s“”\"'「」]", "", named)


def map_step(named: str, vocabulary: pd.DataFrame | None = None) -> str:
    """Map a step name as written onto a canonical step id ('' when none fits).

    An exact synonym wins; otherwise the synonym ending latest in the name (head-final), longest
    first.

    Parameters
    ----------
    named : str
        The step as the report names it, for example ``"议前调研"`` or ``"办理反馈"``.
    vocabulary : pandas.DataFrame, optional
        From :func:`load_loop_steps`.

    Returns
    -------
    str

    Examples
    --------
    >>> map_step("议前调研"), map_step("办理反馈"), map_step("转化落实"), map_step("民盟")
    ('research', 'feedback', 'implement', '')
    """
    vocabulary = load_loop_steps() if vocabulary is None else vocabulary
    exact, pairs = _synonym_index(vocabulary)
    return _map(_normal(named), exact, pairs)


def _map(name: str, exact: dict, pairs: list) -> str:
    if name in exact:
        return exact[name]
    best = None
    for syn, step in pairs:
        if len(syn) < 2:
            continue
        pos = name.rfind(syn)
        if pos >= 0:
            key = (pos + len(syn), len(syn))
            if best is None or key > best[0]:
                best = (key, step)
    return best[1] if best else ""


def _trim_first(item: str, exact: dict, pairs: list) -> tuple[int, str]:
    """Offset and text of the step name inside the first item of an enumeration.

    A lead-in before the step (构建, 建立了 ...) is dropped: the longest exact step name ending the
    item wins, unless what it would drop itself ends with a step name (回访评价 stays whole).
    """
    for k in range(len(item)):
        if _normal(item[k:]) in exact and not _ends_with_step(item[:k], pairs):
            return k, item[k:]
    m = _CUE.match(item)
    k = m.end() if m else 0
    return k, item[k:]


def _trim_last(item: str, exact: dict, pairs: list) -> str:
    """The step name inside the last item: cut at 等 and drop a tail that is not a step (闭环, 六步法)."""
    cut = item.find("等")
    if cut > 0:
        item = item[:cut]
    if _normal(item) in exact:
        return item
    for k in range(len(item), 0, -1):
        if _normal(item[:k]) in exact and not _starts_with_step(item[k:], pairs):
            return item[:k]
    return item


def _ends_with_step(s: str, pairs: list) -> bool:
    s = _normal(s)
    return any(len(syn) >= 2 and s.endswith(syn) for syn, _ in pairs)


def _starts_with_step(s: str, pairs: list) -> bool:
    s = _normal(s)
    return any(len(syn) >= 2 and s.startswith(syn) for syn, _ in pairs)


def extract_loop_steps(text: str, vocabulary: pd.DataFrame | None = None, *, doc_id: str = "doc",
                       min_steps: int = 4, min_share: float = 0.6) -> pd.DataFrame:
    """Find the named consultation loop of one report, in order.

    Parameters
    ----------
    text : str
        Clean text of one report.
    vocabulary : pandas.DataFrame, optional
        Canonical steps (:func:`load_loop_steps`).
    doc_id : str
        Written in the ``doc_id`` column and named in errors.
    min_steps : int
        Fewest items mapped to canonical steps for an enumeration to count as a loop.
    min_share : float
        Smallest share of items that must map to canonical steps.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LOOP_COLUMNS`: ``position`` (1-based), ``named`` (the step as written, spaces
        removed), ``step`` (canonical id or '' for an extra step) and its offsets. Empty when the
        report names no loop.

    Examples
    --------
    >>> t = "（虚构）该县推行“征集议题、审定议题、会前调研、民主协商、跟踪落实、结果公开”六步工作法。"
    >>> extract_loop_steps(t)["step"].tolist()
    ['collect_topics', 'choose_topics', 'research', 'consult', 'implement', 'feedback']
    """
    validate_text(text, doc_id)
    vocabulary = load_loop_steps() if vocabulary is None else vocabulary
    exact, pairs = _synonym_index(vocabulary)
    best = None
    candidates = []
    for cand in _CANDIDATE.finditer(text):
        items = [(m.start(), m.end(), m.group()) for m in _ITEM.finditer(text, cand.start(), cand.end())]
        if len(items) < min_steps:
            continue
        # trim the first and last items to the step names
        s0, e0, t0 = items[0]
        k, t0n = _trim_first(t0, exact, pairs)
        items[0] = (s0 + k, e0, t0n)
        sl, el, tl = items[-1]
        if len(items) > 1:
            tl = _trim_last(tl, exact, pairs)
            items[-1] = (sl, sl + len(tl), tl)
        candidates.append(items)
    # ordinal lists: 一是议题征集，二是调研论证 ... / ①议题征集②调研论证 ...
    for cand in _ORD_CANDIDATE.finditer(text):
        items = [(m.start(1), m.end(1), m.group(1)) for m in _ORD_ITEM.finditer(text, cand.start(), cand.end())]
        if len(items) >= min_steps:
            candidates.append(items)
    for items in candidates:
        mapped = [(_map(_normal(t), exact, pairs), s, e, t) for s, e, t in items if t]
        n_mapped = sum(1 for m in mapped if m[0])
        if n_mapped < min_steps or n_mapped / len(mapped) < min_share:
            continue
        score = (n_mapped, len({m[0] for m in mapped if m[0]}))
        if best is None or score > best[0]:
            best = (score, mapped)
    rows = []
    if best is not None:
        for pos, (step, s, e, t) in enumerate(best[1], start=1):
            rows.append((doc_id, pos, _normal(t), step, s, e))
    df = pd.DataFrame(rows, columns=LOOP_COLUMNS)
    return df.astype({"position": "int64", "start": "int64", "end": "int64"})


def extract_loops(texts, vocabulary: pd.DataFrame | None = None, *, errors: str = "raise") -> pd.DataFrame:
    """The named loop of every document (documents without one contribute no rows).

    Parameters
    ----------
    texts : mapping of doc_id to str, or a :class:`govlab.corpus.Corpus`
    vocabulary : pandas.DataFrame, optional
    errors : {"raise", "skip"}
        On a bad document: raise naming it, or warn and skip it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LOOP_COLUMNS`, sorted by ``doc_id`` and ``position``.

    Examples
    --------
    >>> extract_loops({"x": "（虚构）没有列出环节。"}).empty
    True
    """
    import warnings

    if errors not in ("raise", "skip"):
        raise InputError(f"expected 'raise' or 'skip', got {errors!r}", key="errors")
    mapping: Mapping = _texts_of(texts)
    vocabulary = load_loop_steps() if vocabulary is None else vocabulary
    frames = []
    for d in sorted(mapping):
        try:
            frames.append(extract_loop_steps(mapping[d], vocabulary, doc_id=str(d)))
        except InputError as exc:
            if errors == "raise":
                raise
            warnings.warn(f"skipped: {exc}", stacklevel=2)
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=LOOP_COLUMNS).astype({"position": "int64", "start": "int64", "end": "int64"})
    return pd.concat(frames, ignore_index=True)
