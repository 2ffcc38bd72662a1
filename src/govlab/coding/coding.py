"""Coding texts with a codebook: a long table of codes with character offsets, and per-document profiles.

Each match is evidence: ``doc_id, code, category, start, end, matched, section``, where ``start`` and
``end`` are offsets into the clean text (``text[start:end] == matched``) and ``section`` is the kind of
report section the match sits in (``practice``, ``problems``, ``recommendations`` or ``other``),
found from the report's headings. This is the reproducible form of the hand-coding of policy
clauses common in Chinese public-administration research (see ``research/textmining.md`` §3):
codes live in a versioned YAML file, every code is tied to its evidence span, and counts are
aggregated per document.
"""
from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from govlab.coding.actors import add_structured_actors
from govlab.coding.codebook import Code, Codebook, load_codebook
from govlab.errors import InputError

__all__ = ["code_text", "code_corpus", "code_profile", "find_sections", "validate_text", "common_word_in_stem", "subject_items",
           "CODE_COLUMNS"]

#: Columns of the long code table.
CODE_COLUMNS = ["doc_id", "code", "category", "start", "end", "matched", "section"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_TOP_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}\s*(?:部分|章|节))")
_SUB_ENUM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[、.．]|[①-⑳])")


def validate_text(text: object, doc_id: str = "<text>") -> str:
    """Check that a document is non-empty text with Chinese in it.

    Parameters
    ----------
    text : object
        The document text.
    doc_id : str
        Name used in the error message.

    Returns
    -------
    str
        The text, unchanged.

    Raises
    ------
    govlab.errors.InputError
        Naming the document: not a string, empty (or only whitespace), or without any Chinese
        character.

    Examples
    --------
    >>> validate_text("（虚构）全县建成委员工作站8个。", "demo")[:4]
    '（虚构）'
    """
    if not isinstance(text, str):
        raise InputError(f"expected the document text as a string, got {type(text).__name__}", source=doc_id)
    if not text.strip():
        raise InputError("the document is empty", source=doc_id)
    if not _HAN.search(text):
        raise InputError("the document has no Chinese characters (is it the right file or encoding?)",
                         source=doc_id)
    return text


def find_sections(text: str, codebook: Codebook | None = None) -> pd.DataFrame:
    """Find report sections (practice, problems, recommendations) from their headings.

    A heading is a line of at most ``codebook.max_heading_chars`` characters that does not end a
    sentence (no final 。) and is either top level (``一、``, ``第一部分``) or a lead-in ending with a
    colon; sub-level headings (``（一）``, ``1.``) never open a section. The heading's keywords
    (``codebook.section_kinds``) give the kind; a top-level heading without keywords opens an
    ``other`` section.

    Parameters
    ----------
    text : str
        Clean text of one report.
    codebook : Codebook, optional
        Supplies heading keywords; the shipped codebook when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind, start, end, heading`` (``heading`` is the heading line, at most
        ``max_heading_chars`` characters), covering the text from the first heading on.

    Examples
    --------
    >>> t = "（虚构）\\n一、主要做法\\n建站。\\n二、存在问题\\n经费少。\\n三、对策建议\\n加强。"
    >>> find_sections(t)["kind"].tolist()
    ['practice', 'problems', 'recommendations']
    """
    codebook = codebook or load_codebook()
    kinds = [(k, re.compile(rx)) for k, rx in codebook.section_kinds]
    heads = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        start = pos
        pos += len(line)
        if not stripped or len(stripped) > codebook.max_heading_chars or stripped.endswith("。"):
            continue
        if _SUB_ENUM.match(stripped):
            continue
        top = bool(_TOP_ENUM.match(stripped))
        lead_in = stripped.endswith((":", "："))
        if not (top or lead_in):
            continue
        kind = next((k for k, rx in kinds if rx.search(stripped)), None)
        if kind is None:
            if not top:
                continue
            kind = "other"
        heads.append((kind, start + (len(line) - len(line.lstrip())), stripped))
    rows = []
    for i, (kind, start, heading) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        rows.append({"kind": kind, "start": start, "end": end, "heading": heading})
    return pd.DataFrame(rows, columns=["kind", "start", "end", "heading"]).astype(
        {"start": "int64", "end": "int64"})


#: Part-of-speech tags of jieba's dictionary that never make a proper name's stem: verbs, adverbs,
#: pronouns, prepositions, conjunctions, particles, numerals and measure words, time words, idioms.
_NOT_NAME_TAGS = frozenset({"v", "vn", "vd", "vg", "vi", "vq", "d", "ad", "p", "c", "u", "r", "m", "mq", "q",
                            "y", "e", "o", "t", "i", "l", "z"})
#: Tags of names (places, persons, organisations, other proper nouns).
_NAME_TAGS = frozenset({"ns", "nr", "nz", "nt", "nrt", "nrfg"})
#: A common noun this frequent in jieba's dictionary (利用, 农村, 人民) is a word, not a name's stem.
_COMMON_NOUN_FREQ = 5000


@functools.lru_cache(maxsize=1)
def _dictionary_tags() -> dict[str, tuple[int, str]]:
    """Words of 2 to 4 characters of jieba's main dictionary (``jieba/dict.txt``, which jieba-rs
    also ships): word -> (frequency, part-of-speech tag)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        return {}
    out: dict[str, tuple[int, str]] = {}
    with open(Path(spec.origin).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


def common_word_in_stem(stem: str) -> str | None:
    """The common word that shows a name's stem is no name, or ``None`` when the stem may be a name.

    The test is general, not a list of bad stems: it asks the segmenter's dictionary (jieba's
    ``dict.txt``, 349,046 words with part-of-speech tags). A stem that is itself a name there
    (tagged ns, nr, nz, nt) passes. Otherwise the stem fails when a word of two or more characters
    that begins or ends it is a verb, adverb, pronoun, preposition, conjunction, particle, numeral,
    time word or idiom, or a common noun met more than 5,000 times in the dictionary's corpus.

    Parameters
    ----------
    stem : str
        The characters before the administrative suffix (青溪 of 青溪县).

    Returns
    -------
    str or None
        The disqualifying word, or ``None``.

    Examples
    --------
    >>> common_word_in_stem("整合"), common_word_in_stem("让更多"), common_word_in_stem("利用")
    ('整合', '更多', '利用')
    >>> common_word_in_stem("青溪") is None, common_word_in_stem("白沙") is None
    (True, True)
    """
    tags = _dictionary_tags()
    whole = tags.get(stem)
    if whole is not None and whole[1] in _NAME_TAGS:
        return None
    n = len(stem)
    words = [stem[:k] for k in range(n, 1, -1)] + [stem[-k:] for k in range(n - 1, 1, -1)]
    for w in words:
        hit = tags.get(w)
        if hit is None:
            continue
        freq, tag = hit
        if tag in _NOT_NAME_TAGS or (tag == "n" and freq > _COMMON_NOUN_FREQ):
            return w
    return None


def _drop_common_word_names(found: list[tuple[int, int, str]], suffixes: tuple[str, ...],
                            place_ends: set[int]) -> list[tuple[int, int, str]]:
    """Matches whose stem (the match minus its longest suffix of ``suffixes``) is no common word
    (:func:`common_word_in_stem`); a match right after another name of the category (a village
    after its town, ``place_ends``) is kept whatever its stem. Enumerations (东湖、西山两个街道) are
    kept: their stems are separated by 、."""
    ordered = sorted(suffixes, key=len, reverse=True)
    levels = {x for x in suffixes if len(x) == 1} | {x[0] for x in suffixes if len(x) == 2 and x[0] in "街社"}
    out = []
    for s, e, m in found:
        name = m
        suffix = next((x for x in ordered if name.endswith(x)), "")
        stem = name[:len(name) - len(suffix)]
        if (len(stem) >= 2 and _HAN_ONLY.match(stem) and s not in place_ends
                and (common_word_in_stem(stem) is not None or set(stem) <= levels)):
            continue  # a common word, or level words only (乡镇社区, 县区)
        out.append((s, e, m))
    return out


def _section_at(sections: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    if sections.empty or len(positions) == 0:
        return np.full(len(positions), "other", dtype=object)
    starts = sections["start"].to_numpy()
    ends = sections["end"].to_numpy()
    idx = np.searchsorted(starts, positions, side="right") - 1
    out = np.full(len(positions), "other", dtype=object)
    ok = (idx >= 0)
    ok[ok] &= positions[ok] < ends[idx[ok]]
    out[ok] = sections["kind"].to_numpy()[idx[ok]]
    return out


def _matches_for_code(text: str, code: Code) -> list[tuple[int, int, str]]:
    """Non-overlapping matches of one code, minus those overlapping an exclusion match."""
    found = [(m.start(), m.end(), m.group()) for m in code.pattern.finditer(text) if m.end() > m.start()]
    excl = code.exclusion
    if excl is not None and found:
        spans = [(m.start(), m.end()) for m in excl.finditer(text)]
        if spans:
            found = [f for f in found if not any(f[0] < e and s < f[1] for s, e in spans)]
    return found


def code_text(text: str, codebook: Codebook | None = None, *, doc_id: str = "doc",
              categories: Iterable[str] | None = None, sequences: bool = True) -> pd.DataFrame:
    """Code one text: every match of every code, with offsets and section.

    Besides the codebook's patterns, the steps of every named step sequence
    (:func:`govlab.coding.extract_step_sequences`) are coded: ``step.<canonical id>`` where the step
    maps onto the canonical vocabulary, else ``step.other``, where no step pattern matched already;
    step patterns count only inside such a sequence or after a step ordinal (第二步是…).
    An open-vocabulary code (``fallback: true``) is kept only where no other code of its category
    matches, and a category's ``yields_to`` drops its matches that are modifiers inside a name of
    another category (an actor inside a platform name). A category with ``name_suffixes`` (the
    localities) keeps only matches whose stem is no common word (:func:`common_word_in_stem`) and
    that do not start inside a word; with ``quoted_brands`` (the platforms) a quoted brand right
    before a match is part of it. ``text`` is clean text: pinyin glosses left by broken page
    conversions (协（xié)商) are removed by the cleaning (:mod:`govlab.corpus.clean`, step ``gloss``).

    Parameters
    ----------
    text : str
        Clean text of one document.
    codebook : Codebook, optional
        The shipped codebook when omitted.
    doc_id : str
        Identifier written in the ``doc_id`` column and named in errors.
    categories : iterable of str, optional
        Only code these categories.
    sequences : bool
        Also code the steps of named step sequences and keep step codes to them (needs ``step.other``
        in the codebook); ``False`` codes step words wherever the patterns match.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CODE_COLUMNS`, sorted by ``start`` then ``code``.

    Raises
    ------
    govlab.errors.InputError
        The text is empty or has no Chinese (the message names ``doc_id``).

    Examples
    --------
    >>> df = code_text("（虚构）县政协在三个镇设立委员工作站，实行委员轮值。", doc_id="demo")
    >>> sorted(set(df["code"]))
    ['actor.cppcc_committee', 'actor.member', 'mechanism.duty_roster', 'platform.workstation']
    >>> row = df[df.code == "platform.workstation"].iloc[0]
    >>> "（虚构）县政协在三个镇设立委员工作站，实行委员轮值。"[row.start:row.end]
    '委员工作站'

    Open vocabulary: an unknown brand is a ``platform.other`` with the name as evidence, an actor
    inside a platform name is not coded, a place is coded by its level:

    >>> df = code_text("（虚构）青溪县打造“邻里茶话”协商品牌，政协委员工作室常年开放。")
    >>> df[["code", "matched"]].values.tolist()
    [['locality.county', '青溪县'], ['platform.other', '“邻里茶话”协商品牌'], ['platform.studio', '委员工作室']]
    """
    validate_text(text, doc_id)
    codebook = codebook or load_codebook()
    wanted = set(categories) if categories is not None else None
    sections = find_sections(text, codebook)
    found_by_code = _with_subjects(text, {code.id: _matches_for_code(text, code) for code in codebook.codes})
    for cat in codebook.categories:
        if cat.dictionary_names:
            _add_dictionary_names(text, found_by_code, codebook.codes_in(cat.id), cat.dictionary_names)
        if cat.name_suffixes:
            named = tuple(c for c in codebook.codes_in(cat.id) if not c.generic)
            _check_name_stems(text, found_by_code, named, cat.name_suffixes)
    place_codes = {code.id for cat in codebook.categories if cat.name_suffixes for code in codebook.codes_in(cat.id)}
    generic = {code.id for code in codebook.codes if code.generic}
    places = [(s, e) for code_id in sorted(place_codes - generic) for s, e, _ in found_by_code[code_id]]
    for code in codebook.codes:
        if places and code.id not in place_codes:
            found_by_code[code.id] = _from_place_start(text, found_by_code[code.id], places)
    # actors named by structure: persons by name, bodies named after a place (govlab.coding.actors)
    add_structured_actors(text, found_by_code, places)
    for cat in codebook.categories:
        if cat.quoted_brands:
            for code in codebook.codes_in(cat.id):
                if not code.fallback:
                    found_by_code[code.id] = _with_quoted_brand(text, found_by_code[code.id])
    if sequences:
        _add_sequence_steps(text, codebook, found_by_code, doc_id)
    spans_by_category: dict[str, list[tuple[int, int]]] = {}
    for code in codebook.codes:
        if not code.fallback:
            spans_by_category.setdefault(code.category, []).extend((s, e) for s, e, _ in found_by_code[code.id])
    names_by_category: dict[str, list[tuple[int, int]]] = {}
    for code in codebook.codes:
        names_by_category.setdefault(code.category, []).extend((s, e) for s, e, _ in found_by_code[code.id])
    yields = {c.id: c.yields_to for c in codebook.categories}
    rows = []
    for code in codebook.codes:
        if wanted is not None and code.category not in wanted:
            continue
        found = found_by_code[code.id]
        if code.fallback:
            found = _drop_overlapping(found, spans_by_category.get(code.category, []))
        for other in yields.get(code.category, ()):
            found = _drop_modifiers(found, names_by_category.get(other, []))
        if not found:
            continue
        kinds = _section_at(sections, np.array([f[0] for f in found], dtype=np.int64))
        for (s, e, m), kind in zip(found, kinds):
            if code.scope and kind not in code.scope:
                continue
            rows.append((doc_id, code.id, code.category, s, e, m, kind))
    chaining = {c.id for c in codebook.categories if c.chains}
    if chaining:
        rows = _chain(rows, chaining, text)
    df = pd.DataFrame(rows, columns=CODE_COLUMNS)
    df = df.astype({"start": "int64", "end": "int64"})
    return df.sort_values(["start", "code"], kind="mergesort").reset_index(drop=True)


def _with_subjects(text: str, found: dict) -> dict:
    """``found`` with the items of consultation-subject lists (:func:`subject_items`) added to
    :data:`SUBJECT_CODE` where the codebook has it and no match of that code overlaps them. An item
    that is no more than a name of another category (an actor, a platform, a place: 居民代表, 镇党委)
    is not a matter and is dropped, except a quoted theme: “X”协商议事会 is read as a platform name
    by structure, and X is still the matter consulted on."""
    if SUBJECT_CODE in found:
        have = found[SUBJECT_CODE]
        cat = SUBJECT_CODE.split(".")[0]
        names = [(s, e) for code_id, rows in found.items() if code_id.split(".")[0] != cat for s, e, _ in rows]
        themes = set(_theme_items(text))
        extra = [f for f in subject_items(text) if not any(f[0] < e and s < f[1] for s, e, _ in have)
                 and (f in themes or not any(s <= f[0] and f[1] <= e for s, e in names))]
        if extra:
            found[SUBJECT_CODE] = sorted(have + extra)
    return found


#: A dictionary place name (ns) this frequent is a common word too (古城, 京城, 山区, 美丽).
_DICTIONARY_NAME_FREQ = 1000


def _add_dictionary_names(text: str, found_by_code: dict, codes: tuple[Code, ...],
                          suffixes: tuple[tuple[str, str], ...]) -> None:
    """Add, in place, the dictionary place names right before a suffix (see
    ``Category.dictionary_names``); a match of ``codes`` inside a longer such name gives way to it."""
    tags = _dictionary_tags()
    by_suffix = dict(suffixes)
    rx = re.compile("|".join(re.escape(x) for x in sorted(by_suffix, key=len, reverse=True)))
    found = []
    for m in rx.finditer(text):
        p, end = m.start(), m.end()
        after = tags.get(text[end - 1:end + 1])
        if after is not None and after[1] not in _NAME_TAGS and text[end:end + 2] not in tags:
            continue  # the suffix begins a word (市民, 区域, 县城; but 市 before 政协 or 政府 stays)
        for k in (4, 3, 2):
            if p - k < 0:
                break
            hit = tags.get(text[p - k:p])
            if hit is not None and hit[1] == "ns" and hit[0] < _DICTIONARY_NAME_FREQ:
                found.append((p - k, end, by_suffix[m.group()]))
                break
    if not found:
        return
    for code in codes:
        found_by_code[code.id] = [f for f in found_by_code[code.id]
                                  if not any(s <= f[0] and f[1] <= e and (s, e) != f[:2] for s, e, _ in found)]
    for s, e, code_id in found:
        present = found_by_code.get(code_id)
        if present is None:
            continue
        if not any(f[0] <= s and e <= f[1] for c in codes for f in found_by_code[c.id]):
            found_by_code[code_id] = sorted(present + [(s, e, text[s:e])])


def _check_name_stems(text: str, found_by_code: dict, codes: tuple[Code, ...], suffixes: tuple[str, ...]) -> None:
    """Drop, in place, the matches of ``codes`` that are no names: their stem is a common word (see
    :func:`_drop_common_word_names`), or they start inside a word (the character before and the first
    one form a common word of the dictionary, as 及时 in 及时跟市场). A match that starts where a name
    of these codes with a good stem ends (下沙村 after 山庄乡) is kept."""
    ordered = sorted(suffixes, key=len, reverse=True)
    tags = _dictionary_tags()
    good_ends: set[int] = set()
    for code in codes:
        for s, e, m in found_by_code[code.id]:
            name = m
            suffix = next((x for x in ordered if name.endswith(x)), "")
            stem = name[:len(name) - len(suffix)]
            if not (len(stem) >= 2 and _HAN_ONLY.match(stem)) or common_word_in_stem(stem) is None:
                good_ends.add(e)
    for code in codes:
        kept = []
        for s, e, m in found_by_code[code.id]:
            split = tags.get(text[s - 1:s + 1]) if s > 0 and s not in good_ends else None
            if split is None or split[1] in _NAME_TAGS:
                kept.append((s, e, m))
        found_by_code[code.id] = _drop_common_word_names(kept, suffixes, good_ends)


def _from_place_start(text: str, found: list[tuple[int, int, str]],
                      places: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Each match that starts inside a place name and ends after it, extended to the place name's
    start (浩特市政协 within 呼和浩特市政协 is 呼和浩特市政协)."""
    out = []
    for s, e, m in found:
        start = min((ps for ps, pe in places if ps < s < pe <= e), default=s)
        out.append((start, e, text[start:e]) if start != s else (s, e, m))
    return out


_QUOTED_BEFORE = re.compile(r"[“\"‘「『《][^“”\"‘’「」『』《》\n，。；！？]{1,12}[”\"’」』》]$")


def _with_quoted_brand(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Each match extended to the left over a quoted name that ends right before it (its brand)."""
    out = []
    for s, e, m in found:
        hit = _QUOTED_BEFORE.search(text, max(0, s - 14), s)
        if hit is not None:
            s = hit.start()
            m = text[s:e]
        out.append((s, e, m))
    return out


def _add_sequence_steps(text: str, codebook: Codebook, found_by_code: dict, doc_id: str) -> None:
    """Keep step codes inside named step sequences only, and code every step of those sequences.

    A step code's pattern match (民主协商, 跟踪落实 ...) stays only where it overlaps a step of a named
    sequence (:func:`govlab.coding.extract_step_sequences`) or follows a step ordinal (第二步是…,
    第三个环节…); in running prose it is a general word, not a step. The steps of sequences no
    pattern matched are added as ``step.<canonical id>``, else ``step.other``.
    """
    ids = {c.id for c in codebook.codes}
    if "step.other" not in ids:
        return
    from govlab.coding.steps import extract_step_sequences

    seqs = extract_step_sequences(text, doc_id=doc_id)
    spans = [(int(s), int(e)) for s, e in zip(seqs["start"], seqs["end"])]
    step_ids = [c.id for c in codebook.codes if c.category == "step"]
    for code_id in step_ids:
        found_by_code[code_id] = [f for f in found_by_code[code_id]
                                  if any(f[0] < e and s < f[1] for s, e in spans) or _after_step_ordinal(text, f[0])]
    taken = [(s, e) for c in step_ids for s, e, _ in found_by_code[c]]
    for step, (s, e) in zip(seqs["step"], spans):
        if any(s < te and ts < e for ts, te in taken):
            continue
        code_id = f"step.{step}" if step and f"step.{step}" in ids else "step.other"
        found_by_code[code_id] = sorted(found_by_code[code_id] + [(s, e, text[s:e])])
        taken.append((s, e))


_STEP_ORDINAL_BEFORE = re.compile(r"(?:第[一二三四五六七八九十\d]+(?:步|个?环节|个?步骤)|(?:步骤|环节)[一二三四五六七八九十\d]+)"
                                  r"[是为：:，,\s]*$")


def _after_step_ordinal(text: str, start: int) -> bool:
    """A step ordinal (第二步, 第三个环节, 步骤四) ends right before ``start``."""
    return bool(_STEP_ORDINAL_BEFORE.search(text, max(0, start - 12), start))


def _chain(rows: list[tuple], categories: set[str], text: str) -> list[tuple]:
    """Merge adjacent matches of a chaining category into one row coded with the last part's code."""
    keep = [r for r in rows if r[2] not in categories]
    for cat in sorted(categories):
        parts = sorted((r for r in rows if r[2] == cat), key=lambda r: (r[3], -r[4], r[1]))
        merged: list[tuple] = []
        for r in parts:
            if merged and r[3] < merged[-1][4]:
                continue  # overlapping a longer or earlier match of the same category
            if merged and r[3] == merged[-1][4]:
                prev = merged[-1]
                merged[-1] = (prev[0], r[1], cat, prev[3], r[4], text[prev[3]:r[4]], prev[6])
            else:
                merged.append(r)
        keep.extend(merged)
    return keep


def _drop_overlapping(found: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Matches that overlap none of ``spans`` (a fallback code gives way to the known codes)."""
    return [f for f in found if not any(f[0] < e and s < f[1] for s, e in spans)]


def _drop_modifiers(found: list[tuple[int, int, str]], names: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Matches that are not a modifier inside one of ``names``: a match overlapping a name and ending
    at or before its end is dropped (the name's head lies after it), unless it covers the whole name
    (a body that is also a platform name, 街道政协联络组, is both)."""
    return [f for f in found if not any(f[0] < e and s < f[1] and f[1] <= e and not (f[0] <= s and f[1] == e)
                                        for s, e in names)]


def _texts_of(texts) -> Mapping[str, str]:
    if hasattr(texts, "texts") and isinstance(texts.texts, Mapping):
        return texts.texts
    if isinstance(texts, Mapping):
        return texts
    if isinstance(texts, pd.Series):
        return texts.to_dict()
    raise InputError(f"expected a mapping doc_id -> text or a Corpus, got {type(texts).__name__}", key="texts")


def code_corpus(texts, codebook: Codebook | None = None, *, errors: str = "raise",
                categories: Iterable[str] | None = None) -> pd.DataFrame:
    """Code every document of a corpus.

    Parameters
    ----------
    texts : mapping of doc_id to str, or a :class:`govlab.corpus.Corpus`
        Clean texts.
    codebook : Codebook, optional
        The shipped codebook when omitted.
    errors : {"raise", "skip"}
        On a bad document (empty, no Chinese): raise :class:`InputError` naming it, or warn and skip
        it so the rest is still coded.
    categories : iterable of str, optional
        Only code these categories.

    Returns
    -------
    pandas.DataFrame
        The long code table, columns :data:`CODE_COLUMNS`, sorted by ``doc_id``, ``start``, ``code``.

    Examples
    --------
    >>> df = code_corpus({"a": "（虚构）建立问题清单。", "b": "（虚构）委员下沉到社区。"})
    >>> df[["doc_id", "code"]].drop_duplicates().values.tolist()
    [['a', 'mechanism.list_system'], ['a', 'platform.document'], ['b', 'actor.member'], ['b', 'mechanism.sinking']]
    """
    if errors not in ("raise", "skip"):
        raise InputError(f"expected 'raise' or 'skip', got {errors!r}", key="errors")
    mapping = _texts_of(texts)
    codebook = codebook or load_codebook()
    frames = []
    for doc_id in sorted(mapping):
        try:
            frames.append(code_text(mapping[doc_id], codebook, doc_id=str(doc_id), categories=categories))
        except InputError as exc:
            if errors == "raise":
                raise
            warnings.warn(f"skipped: {exc}", stacklevel=2)
    if not frames:
        return pd.DataFrame(columns=CODE_COLUMNS).astype({"start": "int64", "end": "int64"})
    df = pd.concat(frames, ignore_index=True)
    return df.sort_values(["doc_id", "start", "code"], kind="mergesort").reset_index(drop=True)


def code_profile(codes: pd.DataFrame, codebook: Codebook | None = None, *, doc_ids: Iterable[str] | None = None,
                 value: str = "count", level: str = "code") -> pd.DataFrame:
    """Per-document profile of a code table: counts (or presence) per code or per category.

    Parameters
    ----------
    codes : pandas.DataFrame
        A long code table (:func:`code_corpus`).
    codebook : Codebook, optional
        When given, every code (or category) of the codebook gets a column, in codebook order,
        including those never matched.
    doc_ids : iterable of str, optional
        Rows to include (documents without codes get zeros); default: the documents in ``codes``.
    value : {"count", "presence"}
        Number of matches, or 1/0.
    level : {"code", "category"}
        Columns are codes or categories.

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id``; one int64 column per code or category.

    Examples
    --------
    >>> df = code_corpus({"a": "（虚构）问题清单和责任清单。"})
    >>> code_profile(df).loc["a", "mechanism.list_system"]
    np.int64(2)
    """
    if value not in ("count", "presence"):
        raise InputError(f"expected 'count' or 'presence', got {value!r}", key="value")
    if level not in ("code", "category"):
        raise InputError(f"expected 'code' or 'category', got {level!r}", key="level")
    missing = {"doc_id", "code", "category"} - set(codes.columns)
    if missing:
        raise InputError(f"the code table lacks columns {sorted(missing)}", key="codes")
    col = "code" if level == "code" else "category"
    rows = list(doc_ids) if doc_ids is not None else sorted(codes["doc_id"].unique())
    if codebook is not None:
        columns = [c.id for c in codebook.codes] if level == "code" else [c.id for c in codebook.categories]
    else:
        columns = sorted(codes[col].unique())
    counts = pd.crosstab(codes["doc_id"], codes[col]) if len(codes) else pd.DataFrame()
    out = counts.reindex(index=rows, columns=columns, fill_value=0).fillna(0).astype("int64")
    if value == "presence":
        out = (out > 0).astype("int64")
    out.index.name = "doc_id"
    out.columns.name = None
    return out


# ----------------------------------------------------------------------------- consultation subjects

#: The code that takes the items of a consultation-subject list (:func:`subject_items`).
SUBJECT_CODE = "problem.topic"
#: 关于 opens a subject list (选民反映的关于X、Y等问题) unless it opens the title of a proposal
#: (关于X的建议: the codebook's problem.topic pattern).
_SUBJ_TRIGGER = (r"(?:围绕|聚焦|针对(?![性地])|涉及|紧盯|紧扣|关注|就(?![业是近地要在会能算])|着力解决|推动解决了?|协调解决|帮助解决|专题调研"
                 r"|关于(?![^，。；\n]{0,30}的(?:建议|提案|议案)))")
#: An item: a quoted phrase, or 2-24 characters with no clause break, no 的 or 了 (a clause, not a
#: name of a matter) and no cue of aim.
_SUBJ_ITEM = rf"(?:“[^“”\n]{{2,24}}”(?:(?![等的了，。；！？：、“”\n]|召开|组织|开展|进行|协商)[\u4e00-\u9fff·]){{0,12}}|(?:(?![等的了，。；！？：、“”\n]|{_SUBJ_TRIGGER})[\u4e00-\u9fff·]){{2,24}}?)"
_SUBJ_SEP = r"(?:、|以及|和(?!谐)|及(?![时其早])|与(?!会)|(?<=”)(?=“))"
_SUBJ_LIST = rf"{_SUBJ_ITEM}(?:{_SUBJ_SEP}{_SUBJ_ITEM}){{0,9}}"
#: A list closed by 等 and a kind of matter (等问题, 等一系列议题, 等6个方面问题, 等涉及法律层面的问题), by 等
#: and the matters residents care about (等群众关心的热点、难点问题), or by 等 (方面) and an act of
#: consulting (等进行协商, 等方面进行了协商讨论: the items are the subject of that consultation);
#: 等方面 and 等工作 alone close lists of fields and tasks, not of matters.
_SUBJ_KIND_END = (r"等(?:[\d一二两三四五六七八九十百几多]+[个项件类批]|一系列|一批)?"
                  r"[^，。；！？、\n“”]{0,8}?"
                  r"(?:问题|议题|主题|难题|项目|事项|实事|难事|矛盾|困难|话题|课题)"
                  r"|等(?:群众|居民|村民|百姓)?(?:最|普遍)?(?:关心|关注|反映)的[^，。；！？\n]{0,14}?问题"
                  r"|等(?:方面)?(?:进行|开展|展开)了?(?:专题)?(?:协商|讨论|交流|商讨)")
#: A subject followed by the act of consulting on it (围绕X充分协商, 针对X、Y开展调研视察, 围绕X提出意见建议).
#: A bare 协商, 议事, 调研, 视察 or 评议 right after a noun makes a compound (基层协商工作), not an act:
#: these need a verb or adverb before them.
_SUBJ_ACT_END = (r"(?=(?:积极|充分|深入|广泛|面对面|集中|专题|认真|热烈|进行|开展|展开|了|着){1,3}"
                 r"(?:协商|讨论|建言|调研|视察|座谈|议政|交流|提出|商讨|议事|评议|督办|民主监督)(?![平台站室厅之])"
                 r"|(?:讨论|建言|座谈|交流|提出|商讨|督办|民主监督)(?![平台站室厅之]))")
_SUBJECT_LISTS = re.compile(
    rf"(?:{_SUBJ_TRIGGER}(?P<a>{_SUBJ_LIST})(?={_SUBJ_KIND_END}|{_SUBJ_ACT_END})"
    rf"|(?:(?<=[，：:（])|^)(?P<b>{_SUBJ_LIST})(?={_SUBJ_KIND_END})"
    rf"|(?:(?<=[反提]出的)|(?<=映的)|(?<=关心的)|(?<=关注的))(?P<c>{_SUBJ_ITEM}(?:{_SUBJ_SEP}{_SUBJ_ITEM}){{1,9}})"
    rf"(?={_SUBJ_KIND_END}))", re.M)
_SUBJ_SPLIT = re.compile(rf"{_SUBJ_SEP}")
#: A quoted subject right after a cue of aim (就“X”进行协商, 围绕“X”议题, 紧盯“X”), however the clause goes on.
_SUBJECT_QUOTED = re.compile(r"(?:就|围绕|聚焦|针对|紧盯)“([^“”\n]{2,30})”")
#: Verbs of aim that open a subject item (推动X升级改造, 加快Y建设): the matter is what follows them.
_SUBJ_LEAD_VERB = re.compile(r"(?:加快推进|加快推动|大力推进|推动(?!解决)|推进|加快|加强|促进|提升|完善|深化|做好|抓好)")
#: Items that only name a kind of matter or an aim (相关问题, 中心工作, 群众最关心), not a matter.
_SUBJ_GENERIC = re.compile(r"^(?:[这那其该此各有最]|相关|有关|实际|具体|重点|中心|主要|群众|.{0,1}(?:问题|工作|议题|主题|方面)$)"
                           r"|(?:工作|大局|领域)$|议题|主题")


def subject_items(text: str) -> list[tuple[int, int, str]]:
    """The items of the lists that name what a consultation, proposal, survey or inspection is about.

    A subject list follows a cue of aim (围绕, 聚焦, 针对, 就, 涉及, 紧盯, 推动解决 ...) or a clause break and
    is closed either by 等 and a kind of matter (等问题, 等一系列议题, 等6个方面问题) or, after a cue of
    aim, by the act of consulting on it (进行协商, 开展调研视察, 提出意见建议). Items are separated by 、,
    和, 及, 与 or adjacent quotes; each item is one match (quotes stripped). A quoted phrase right
    after a cue of aim (就“…”, 围绕“…”) is a subject whatever follows it. Items that only name a
    kind of matter (主题, 中心工作) or start with a pronoun are dropped; a verb of aim opening an item
    (加快, 推动, 加强) is left out of it, the matter being what follows, and so is a closing word of
    task (老年助餐工作 → 老年助餐). A list may also follow what residents or members raised
    (反映的, 提出的, 关心的 + X、Y等问题) or 关于 (反映的关于X、Y等问题), and be closed by 等 and the
    matters residents care about (等群众关心的热点、难点问题) or by 等 and an act of consulting
    (就X、Y等进行协商). Besides lists, three structures name a subject: a quoted theme of a meeting
    (“X”协商会, 以“X，Y”为主题, 议题为“X”; brands and slogans of consulting are left out), a matter
    made a theme (把X作为议题, 将“X”列为重点协商议题) and the object of a survey or inspection
    (调研X情况, 视察X、Y等发展情况). This is rule 2 of the annotation guide's "problem versus topic":
    the subject of a consultation, proposal, survey or inspection reported in the text.

    Parameters
    ----------
    text : str
        Clean text.

    Returns
    -------
    list of (start, end, matched)
        One per item, in text order.

    Examples
    --------
    >>> [m for _, _, m in subject_items("（虚构）委员们围绕村道硬化、渠道清淤和路灯维修等问题协商。")]
    ['村道硬化', '渠道清淤', '路灯维修']
    >>> [m for _, _, m in subject_items("（虚构）会议围绕青石村农田灌溉站建设充分协商。")]
    ['青石村农田灌溉站建设']
    >>> subject_items("（虚构）会议围绕中心工作开展协商。")
    []
    >>> [m for _, _, m in subject_items("（虚构）政协就“老街排水改造”召开座谈会。")]
    ['老街排水改造']
    >>> [m for _, _, m in subject_items("（虚构）围绕加快甲园区建设、推动乙村改造等问题协商。")]
    ['甲园区建设', '乙村改造']
    >>> [m for _, _, m in subject_items("（虚构）以“整治东溪河道，修复沿岸步道”为主题的协商会召开。")]
    ['整治东溪河道，修复沿岸步道']
    >>> [m for _, _, m in subject_items("（虚构）县政协主席调研青石村灌溉站运行情况。")]
    ['青石村灌溉站']
    """
    out = []
    for m in _SUBJECT_LISTS.finditer(text):
        g = next(k for k in ("a", "b", "c") if m.groupdict().get(k) is not None)
        base, body = m.start(g), m.group(g)
        pos = 0
        for sep in list(_SUBJ_SPLIT.finditer(body)) + [None]:
            end = sep.start() if sep is not None else len(body)
            s, e = pos, end
            while s < e and body[s] in "“”":
                s += 1
            while e > s and body[e - 1] in "“”":
                e -= 1
            lead = _SUBJ_LEAD_VERB.match(body, s, e)
            if lead and e - lead.end() >= 2:
                s = lead.end()  # 加快特色园区发展: the matter, without the aim's verb
            if body.endswith("工作", s, e) and e - s >= 6:
                e -= 2  # 老年助餐工作: the matter, without the word of task
            item = body[s:e]
            if len(item) >= 2 and not _SUBJ_GENERIC.search(item):
                out.append((base + s, base + e, item))
            pos = sep.end() if sep is not None else len(body)
    for m in _SUBJECT_QUOTED.finditer(text):
        s, e = m.span(1)
        if not any(s < oe and os_ < e for os_, oe, _ in out) and not _SUBJ_GENERIC.search(m.group(1)):
            out.append((s, e, m.group(1)))
    for s, e, item in _theme_items(text) + _survey_items(text):
        if not any(s < oe and os_ < e for os_, oe, _ in out):
            out.append((s, e, item))
    return sorted(out)


#: A quoted theme of a consultation: “X” right before the meeting or act it names (“X”协商会, “X”议题,
#: “X”专题协商, “X”为主题) or after 议题为/主题为; or 以“X”为主题/议题.
_THEME = re.compile(r"(?:(?<=议题为)|(?<=主题为)|(?<=以))“(?P<q>[^“”\n]{2,40})”"
                    r"|“(?P<r>[^“”\n]{2,40})”(?=(?:这一|的|一事|作为|列为|为)?(?:年度|重点|专题|调研)*"
                    r"(?:协商(?:议事)?(?:会|活动|座谈)|议事会|议题|为?主题|专题协商|进行(?:专题)?协商|展开协商|开展协商|座谈))")
#: A quoted phrase that is a brand or a slogan of consulting, not a matter (“有事好商量”, “协商在基层”).
_THEME_BRAND = re.compile(r"商量|协商|议事|说事|商议|议|委员|政协|驿站|平台|之家|民忧|民心|民意|群众|同心")


#: A matter made the theme of a consultation: 把/将 (…的) X 作为/列为/纳入 … 议题/主题/课题.
_MADE_THEME = re.compile(r"(?:把|将)(?:[^，。；？！“”\n]{0,12}的)?(?P<x>[^，。；？！\n的]{2,24}?)"
                         r"(?:作为|列为|确定为|列入|纳入)[^，。；？！\n]{0,12}?(?:议题|主题|课题)")


def _theme_items(text: str) -> list[tuple[int, int, str]]:
    """Quoted themes of a consultation (以“发展甲，建设乙”为主题: the whole theme is one item, as
    written) and matters made a theme (把X作为议题); a brand or slogan of consulting is no theme."""
    out = []
    for m in _THEME.finditer(text):
        g = "q" if m.group("q") is not None else "r"
        if g == "q" and text[m.start() - 1:m.start()] == "以" and not re.match(r"为(?:主题|议题)", text[m.end():]):
            continue
        s, e = m.span(g)
        item = m.group(g)
        if not _THEME_BRAND.search(item) and not _SUBJ_GENERIC.search(item) and len(re.findall(r"[\u4e00-\u9fff]", item)) >= 3:
            out.append((s, e, item))
    for m in _MADE_THEME.finditer(text):
        s, e = m.span("x")
        while s < e and text[s] in "“”‘’":
            s += 1
        while e > s and text[e - 1] in "“”‘’":
            e -= 1
        item = text[s:e]
        if len(item) >= 3 and not _THEME_BRAND.search(item) and not _SUBJ_GENERIC.search(item):
            out.append((s, e, item))
    return out


#: The object of a survey or inspection: 调研/视察/考察/督导 + X + 情况 (调研甲村灌溉站运行情况).
_SURVEY = re.compile(r"(?:(?:实地)?(?:调研|视察|考察|督导))+了?(?![组团])(?P<x>(?:(?![的了，。；：“”\n]|调研|视察|考察|督导)[\u4e00-\u9fff\d、]){4,40}?)"
                     r"(?:等|相关)?(?:发展|工作|开展|运行|推进)?情况")
_SURVEY_BRAND = re.compile(r"商量|议事|说事|驿站|平台|之家")


def _survey_items(text: str) -> list[tuple[int, int, str]]:
    """The objects of a survey or inspection (调研X运行情况; 视察X、Y等发展情况: one item each), with a
    leading verb of aim left out; platforms surveyed by their brand (“…”议事室建设) are left out."""
    out = []
    for m in _SURVEY.finditer(text):
        base = m.start("x")
        body = m.group("x")
        pos = 0
        for sep in list(re.finditer("、", body)) + [None]:
            s, e = pos, (sep.start() if sep is not None else len(body))
            pos = sep.end() if sep is not None else len(body)
            lead = _SUBJ_LEAD_VERB.match(body, s, e)
            if lead and e - lead.end() >= 2:
                s = lead.end()
            item = body[s:e]
            if len(item) >= 4 and not _SUBJ_GENERIC.search(item) and not _SURVEY_BRAND.search(item):
                out.append((base + s, base + e, item))
    return out
