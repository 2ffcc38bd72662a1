"""The practice codebook: categories, codes with patterns, and the figure vocabulary.

A codebook is a YAML file (the shipped one is ``datasets/codebook.yaml``) in the spirit of
quanteda's YAML dictionaries and cntext's ``Name/Category/Dictionary`` files, extended with what a
qualitative codebook needs: a definition, exclusions and worked examples per code. It is loaded
once at the edge (:func:`load_codebook`) into frozen dataclasses; every computation takes the
loaded :class:`Codebook`.

Validation is strict: an unknown key, a regular expression that does not compile, a duplicate code
id, a code in an undeclared category or an empty pattern list raises
:class:`govlab.errors.ConfigError` naming the file, the code and the key path.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govlab.errors import ConfigError

__all__ = [
    "Category",
    "Code",
    "FigureRules",
    "Codebook",
    "load_codebook",
    "parse_codebook",
    "default_codebook_path",
    "check_codebook_examples",
]

_TOP_KEYS = {"version", "name", "language", "description", "sections", "categories", "codes", "figures"}
_CATEGORY_KEYS = {"id", "zh", "en", "definition", "yields_to", "chains", "name_suffixes", "quoted_brands",
                  "dictionary_names"}
_CODE_KEYS = {"id", "category", "zh", "en", "definition", "patterns", "exclusions", "examples",
              "counter_examples", "scope", "notes", "fallback", "generic"}
_PATTERN_KEYS = {"terms", "regex"}
_SECTION_KEYS = {"max_heading_chars", "kinds"}
_SECTION_KINDS = {"problems", "recommendations", "practice"}
_SCOPES = _SECTION_KINDS | {"other"}
_FIGURE_KEYS = {"classifiers", "direct_nouns", "blocked_units", "self_counted", "qualifiers", "counted",
                "admin_units", "organs", "event_units", "rate_words", "phrase_stops", "named_terms",
                "level_words", "money_nouns"}
_CLASSIFIER_KINDS = {"count", "money", "duration", "measure", "ratio"}
_QUALIFIER_KEYS = {"approx_prefix", "exact_prefix", "infix", "suffix"}
_CODE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Category:
    """A group of codes (platforms, process steps, mechanisms, ...).

    Attributes
    ----------
    id, zh, en, definition : str
        Category id, Chinese and English names, and the definition coders follow.
    yields_to : tuple of str
        Categories whose names this category's codes never fire inside: a match of this category
        is dropped where it overlaps a match of one of these categories and ends at or before that
        match's end, i.e. where it is a modifier of the other name (Chinese compounds are
        head-final: 政协委员 in 政协委员工作室 names the platform, not an actor).
    chains : bool
        Adjacent matches of this category are one name, coded with the code of its last part
        (徐州市睢宁县古邳镇 is one locality at town level).
    name_suffixes : tuple of str
        The category's matches are proper names made of a stem and one of these suffixes (省, 市,
        社区, ...). A match whose stem begins or ends with a common word of the segmenter's
        dictionary (a verb, adverb, pronoun or other function word, or a very frequent common
        noun) is not a name and is dropped: 整合社区 in 整合社区资源 is a verb and its object, 让更多市
        in 让更多市民 no city. See :func:`govlab.coding.coding.common_word_in_stem`.
    dictionary_names : tuple of (suffix, code id)
        A place name of the segmenter's dictionary (tagged ns, not a very common word) right before
        one of these suffixes is coded with the paired code, also where the structural patterns miss
        it (桐城市, whose 城市 the patterns read as "city"; 呼和浩特市, whose 和 they read as "and").
    quoted_brands : bool
        A quoted name right before a match is its brand and part of the evidence: “紫菱”委员工作室 is
        coded whole, so that a brand the codebook does not know is still reported.
    """

    id: str
    zh: str
    en: str
    definition: str
    yields_to: tuple[str, ...] = ()
    chains: bool = False
    name_suffixes: tuple[str, ...] = ()
    quoted_brands: bool = False
    dictionary_names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Code:
    """One code: what it means and how it is recognised in text.

    Attributes
    ----------
    id : str
        ``category.name``, for example ``platform.workstation``.
    category, zh, en, definition : str
        Category id, Chinese and English names, and the definition coders follow.
    terms, regex : tuple of str
        Literal terms and regular expressions that mark the code.
    exclude_terms, exclude_regex : tuple of str
        A match that overlaps an exclusion match is dropped.
    examples, counter_examples : tuple of str
        Fictional sentences that must (must not) be coded with this code.
    scope : tuple of str
        Section kinds (``problems``, ``recommendations``, ``practice``, ``other``) the code is limited
        to; empty means everywhere.
    fallback : bool
        An open-vocabulary code: its matches are kept only where no other code of its category
        matches (``platform.other`` reports a platform name whose type the codebook does not know).
    generic : bool
        A code of generic mentions made of level words (各乡镇, 区县, 区、街道、社区): its matches are
        not names, so the stem test of a category with ``name_suffixes`` does not apply to them.
    """

    id: str
    category: str
    zh: str
    en: str
    definition: str
    terms: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    exclude_regex: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    fallback: bool = False
    generic: bool = False

    @property
    def pattern(self) -> re.Pattern:
        """The compiled pattern: terms (longest first) and regexes as one alternation."""
        return _compile_alternation(self.terms, self.regex)

    @property
    def exclusion(self) -> re.Pattern | None:
        """The compiled exclusion pattern, or ``None``."""
        if not self.exclude_terms and not self.exclude_regex:
            return None
        return _compile_alternation(self.exclude_terms, self.exclude_regex)


@dataclass(frozen=True)
class FigureRules:
    """The figure extractor's vocabulary (see ``figures:`` in the codebook).

    Attributes
    ----------
    classifiers : tuple of (unit, kind)
        Measure words and the kind of quantity they make (count, money, duration, measure, ratio).
    direct_nouns : tuple of str
        Nouns that may follow an Arabic number without a measure word (``8区``).
    blocked_units : tuple of str
        Words after a number that are never a measure word (``周年``, ``号``, ``级``).
    self_counted : tuple of str
        Units that are also what is counted (``人次``).
    approx_prefix, exact_prefix, infix, suffix : tuple of str
        Qualifiers before, inside and after a number.
    counted : tuple of (term, canonical)
        Head nouns of counted things and their canonical forms.
    admin_units : tuple of str
        Administrative units whose enumerations are kept together.
    organs : tuple of str
        Organs of a unit (党委, 政协, 书记): in 个省辖市党委 what is counted is the unit.
    event_units : tuple of str
        Measure words of events (场, 次): what they count is the last noun of the phrase.
    rate_words : tuple of str
        Words naming a share right before a percentage.
    phrase_stops : tuple of str
        Words that end the noun phrase after a measure word.
    named_terms : tuple of str
        Named terms containing numerals that are never figures.
    level_words : tuple of str
        Words after ``N级`` that make it a count of levels (三级政协委员); elsewhere 级 is a rank.
    money_nouns : tuple of (term, canonical)
        Kinds of money named before an amount (总投资, 捐款, 拨款); ``资金`` when none is named.
    """

    classifiers: tuple[tuple[str, str], ...]
    direct_nouns: tuple[str, ...] = ()
    blocked_units: tuple[str, ...] = ()
    self_counted: tuple[str, ...] = ()
    approx_prefix: tuple[str, ...] = ()
    exact_prefix: tuple[str, ...] = ()
    infix: tuple[str, ...] = ()
    suffix: tuple[str, ...] = ()
    counted: tuple[tuple[str, str], ...] = ()
    admin_units: tuple[str, ...] = ()
    organs: tuple[str, ...] = ()
    event_units: tuple[str, ...] = ()
    rate_words: tuple[str, ...] = ()
    phrase_stops: tuple[str, ...] = ()
    named_terms: tuple[str, ...] = ()
    level_words: tuple[str, ...] = ()
    money_nouns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A validated codebook.

    Attributes
    ----------
    name : str
        Title of the codebook.
    version : int
        Version number from the file.
    categories : tuple of Category
    codes : tuple of Code
    section_kinds : tuple of (kind, regex)
        Heading keywords that open problems / recommendations / practice sections.
    max_heading_chars : int
        Longest line treated as a heading.
    figures : FigureRules or None
        The figure vocabulary, when the file has a ``figures:`` section.
    source : str
        Where it was loaded from.
    """

    name: str
    version: int
    categories: tuple[Category, ...]
    codes: tuple[Code, ...]
    section_kinds: tuple[tuple[str, str], ...] = ()
    max_heading_chars: int = 40
    figures: FigureRules | None = None
    source: str = "<dict>"
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)

    def code(self, code_id: str) -> Code:
        """The code with this id; raises :class:`ConfigError` naming it when absent."""
        if not self._by_id:
            self._by_id.update({c.id: c for c in self.codes})
        try:
            return self._by_id[code_id]
        except KeyError:
            raise ConfigError(f"no code {code_id!r} in this codebook", source=self.source, key="codes") from None

    def codes_in(self, category: str) -> tuple[Code, ...]:
        """The codes of one category, in file order."""
        return tuple(c for c in self.codes if c.category == category)

    def table(self):
        """The codebook as a DataFrame: one row per code (id, category, zh, en, definition, n_terms,
        n_regex, n_examples)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"code": c.id, "category": c.category, "zh": c.zh, "en": c.en, "definition": c.definition,
                 "n_terms": len(c.terms), "n_regex": len(c.regex), "n_examples": len(c.examples),
                 "scope": ",".join(c.scope)}
                for c in self.codes
            ]
        )


@lru_cache(maxsize=2048)
def _compile_alternation(terms: tuple[str, ...], regexes: tuple[str, ...]) -> re.Pattern:
    parts = [re.escape(t) for t in sorted(set(terms), key=lambda t: (-len(t), t))]
    parts += [f"(?:{r})" for r in regexes]
    return re.compile("|".join(parts))


def default_codebook_path() -> Path:
    """Path of the shipped codebook, ``datasets/codebook.yaml``."""
    from govlab.datasets import dataset_path

    return dataset_path("codebook.yaml")


def load_codebook(path: str | os.PathLike | None = None) -> Codebook:
    """Load and validate a codebook YAML file.

    Parameters
    ----------
    path : path-like, optional
        The YAML file; the shipped ``datasets/codebook.yaml`` when omitted.

    Returns
    -------
    Codebook

    Raises
    ------
    govlab.errors.ConfigError
        The file is missing or not YAML, or has an unknown key, a bad regular expression, a duplicate
        code id, an undeclared category, or a code without patterns. The message names the file, the
        code and the key path.

    Notes
    -----
    Loaded codebooks are cached per file path, modification time and size, so loading the same
    unchanged file again returns the same (frozen) object without reading it.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.code("platform.workstation").en
    'member workstation'
    >>> load_codebook() is cb
    True
    """
    path = Path(path) if path is not None else default_codebook_path()
    source = str(path)
    if not path.is_file():
        raise ConfigError("codebook file not found", source=source)
    stat = path.stat()
    return _load_codebook_cached(source, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load_codebook_cached(source: str, mtime_ns: int, size: int) -> Codebook:
    """Parse a codebook file once per (path, modification time, size): a file edited on disk is
    read again, an unchanged one is not (``code_text`` calls without a codebook stay cheap)."""
    import yaml

    try:
        data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not a readable YAML file ({exc.__class__.__name__}: {exc})", source=source) from None
    return parse_codebook(data, source=source)


def _str_list(value: Any, source: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ConfigError(f"expected a list of strings, got {type(value).__name__}", source=source, key=key)
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, (str, int, float)) or isinstance(item, bool) or str(item) == "":
            raise ConfigError(f"expected a non-empty string, got {item!r}", source=source, key=f"{key}[{i}]")
        out.append(str(item))
    return tuple(out)


def _suffix_codes(value: Any, source: str, key: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ConfigError(f"expected a mapping of suffix to code id, got {type(value).__name__}",
                          source=source, key=key)
    out = []
    for suffix, code_id in value.items():
        out.append((_text(suffix, source, key), _text(code_id, source, f"{key}.{suffix}")))
    return tuple(out)


def _flag(value: Any, source: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"expected true or false, got {value!r}", source=source, key=key)
    return value


def _text(value: Any, source: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"expected a non-empty string, got {value!r}", source=source, key=key)
    return value.strip()


def _unknown(d: Mapping, allowed: set, source: str, key: str) -> None:
    extra = sorted(set(d) - allowed)
    if extra:
        raise ConfigError(f"unknown key {extra[0]!r} (allowed: {', '.join(sorted(allowed))})",
                          source=source, key=f"{key}.{extra[0]}" if key else str(extra[0]))


def _check_regexes(regexes: tuple[str, ...], source: str, key: str) -> None:
    for i, r in enumerate(regexes):
        try:
            compiled = re.compile(r)
        except re.error as exc:
            raise ConfigError(f"bad regular expression {r!r}: {exc}", source=source, key=f"{key}[{i}]") from None
        if compiled.match("") is not None:
            raise ConfigError(f"regular expression {r!r} matches the empty string", source=source, key=f"{key}[{i}]")


def _patterns(value: Any, source: str, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, Mapping):
        raise ConfigError("expected a mapping with 'terms' and/or 'regex'", source=source, key=key)
    _unknown(value, _PATTERN_KEYS, source, key)
    terms = _str_list(value.get("terms"), source, f"{key}.terms")
    regex = _str_list(value.get("regex"), source, f"{key}.regex")
    _check_regexes(regex, source, f"{key}.regex")
    return terms, regex


def parse_codebook(data: Any, source: str = "<dict>") -> Codebook:
    """Validate a codebook given as plain data (the parsed YAML) and build a :class:`Codebook`.

    Parameters
    ----------
    data : mapping
        Parsed YAML with ``categories`` and ``codes`` (and optional ``sections`` and ``figures``).
    source : str
        Name used in error messages.

    Returns
    -------
    Codebook

    Examples
    --------
    >>> cb = parse_codebook({"categories": [{"id": "platform", "zh": "平台", "en": "platforms",
    ...     "definition": "places"}], "codes": [{"id": "platform.hall", "category": "platform",
    ...     "zh": "议事厅", "en": "hall", "definition": "a hall", "patterns": {"terms": ["议事厅"]}}]})
    >>> [c.id for c in cb.codes]
    ['platform.hall']
    """
    if not isinstance(data, Mapping):
        raise ConfigError("expected a mapping at the top level", source=source)
    _unknown(data, _TOP_KEYS, source, "")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ConfigError(f"expected an integer, got {version!r}", source=source, key="version")

    cats_raw = data.get("categories")
    if not isinstance(cats_raw, list) or not cats_raw:
        raise ConfigError("expected a non-empty list of categories", source=source, key="categories")
    categories = []
    cat_ids: set[str] = set()
    for i, c in enumerate(cats_raw):
        key = f"categories[{i}]"
        if not isinstance(c, Mapping):
            raise ConfigError("expected a mapping", source=source, key=key)
        cid = c.get("id", f"#{i}")
        key = f"categories.{cid}"
        _unknown(c, _CATEGORY_KEYS, source, key)
        cid = _text(c.get("id"), source, f"{key}.id")
        if cid in cat_ids:
            raise ConfigError(f"duplicate category id {cid!r}", source=source, key=key)
        cat_ids.add(cid)
        categories.append(Category(cid, _text(c.get("zh"), source, f"{key}.zh"),
                                   _text(c.get("en"), source, f"{key}.en"),
                                   _text(c.get("definition"), source, f"{key}.definition"),
                                   yields_to=_str_list(c.get("yields_to"), source, f"{key}.yields_to"),
                                   chains=_flag(c.get("chains", False), source, f"{key}.chains"),
                                   name_suffixes=_str_list(c.get("name_suffixes"), source,
                                                           f"{key}.name_suffixes"),
                                   quoted_brands=_flag(c.get("quoted_brands", False), source,
                                                       f"{key}.quoted_brands"),
                                   dictionary_names=_suffix_codes(c.get("dictionary_names"), source,
                                                                  f"{key}.dictionary_names")))
    for cat in categories:
        for i, other in enumerate(cat.yields_to):
            if other not in cat_ids or other == cat.id:
                raise ConfigError(f"yields_to names {other!r}, which is not another declared category",
                                  source=source, key=f"categories.{cat.id}.yields_to[{i}]")

    codes_raw = data.get("codes")
    code_ids = {c.get("id") for c in data.get("codes") or [] if isinstance(c, Mapping)}
    for cat in categories:
        for suffix, code_id in cat.dictionary_names:
            if code_id not in code_ids or not str(code_id).startswith(f"{cat.id}."):
                raise ConfigError(f"dictionary_names maps {suffix!r} to {code_id!r}, which is not a code of "
                                  f"category {cat.id!r}", source=source,
                                  key=f"categories.{cat.id}.dictionary_names.{suffix}")
    if not isinstance(codes_raw, list) or not codes_raw:
        raise ConfigError("expected a non-empty list of codes", source=source, key="codes")
    codes = []
    seen: dict[str, int] = {}
    for i, c in enumerate(codes_raw):
        if not isinstance(c, Mapping):
            raise ConfigError("expected a mapping", source=source, key=f"codes[{i}]")
        raw_id = c.get("id")
        code_id = raw_id if isinstance(raw_id, str) and raw_id else f"#{i}"
        key = f"codes.{code_id}"
        _unknown(c, _CODE_KEYS, source, key)
        code_id = _text(raw_id, source, f"codes[{i}].id")
        if not _CODE_ID.match(code_id):
            raise ConfigError(f"code id {code_id!r} is not of the form category.name (lower case)",
                              source=source, key=f"{key}.id")
        if code_id in seen:
            raise ConfigError(f"duplicate code id {code_id!r} (first at codes[{seen[code_id]}], again at codes[{i}])",
                              source=source, key=key)
        seen[code_id] = i
        category = _text(c.get("category"), source, f"{key}.category")
        if category not in cat_ids:
            raise ConfigError(f"category {category!r} is not declared under 'categories'", source=source,
                              key=f"{key}.category")
        if code_id.split(".", 1)[0] != category:
            raise ConfigError(f"code id {code_id!r} does not start with its category {category!r}",
                              source=source, key=f"{key}.id")
        terms, regex = _patterns(c.get("patterns"), source, f"{key}.patterns")
        if not terms and not regex:
            raise ConfigError("a code needs at least one term or regex", source=source, key=f"{key}.patterns")
        ex_terms, ex_regex = _patterns(c.get("exclusions"), source, f"{key}.exclusions")
        scope = _str_list(c.get("scope"), source, f"{key}.scope")
        fallback = _flag(c.get("fallback", False), source, f"{key}.fallback")
        generic = _flag(c.get("generic", False), source, f"{key}.generic")
        bad = sorted(set(scope) - _SCOPES)
        if bad:
            raise ConfigError(f"unknown scope {bad[0]!r} (allowed: {', '.join(sorted(_SCOPES))})",
                              source=source, key=f"{key}.scope")
        codes.append(Code(
            id=code_id, category=category,
            zh=_text(c.get("zh"), source, f"{key}.zh"), en=_text(c.get("en"), source, f"{key}.en"),
            definition=_text(c.get("definition"), source, f"{key}.definition"),
            terms=terms, regex=regex, exclude_terms=ex_terms, exclude_regex=ex_regex,
            examples=_str_list(c.get("examples"), source, f"{key}.examples"),
            counter_examples=_str_list(c.get("counter_examples"), source, f"{key}.counter_examples"),
            scope=scope, fallback=fallback, generic=generic,
        ))

    section_kinds: tuple[tuple[str, str], ...] = ()
    max_heading = 40
    sections = data.get("sections")
    if sections is not None:
        if not isinstance(sections, Mapping):
            raise ConfigError("expected a mapping", source=source, key="sections")
        _unknown(sections, _SECTION_KEYS, source, "sections")
        max_heading = sections.get("max_heading_chars", 40)
        if not isinstance(max_heading, int) or isinstance(max_heading, bool) or max_heading < 4:
            raise ConfigError(f"expected an integer >= 4, got {max_heading!r}", source=source,
                              key="sections.max_heading_chars")
        kinds = sections.get("kinds") or {}
        if not isinstance(kinds, Mapping):
            raise ConfigError("expected a mapping of section kind to regex", source=source, key="sections.kinds")
        _unknown(kinds, _SECTION_KINDS, source, "sections.kinds")
        for kind, rx in kinds.items():
            _check_regexes((_text(rx, source, f"sections.kinds.{kind}"),), source, f"sections.kinds.{kind}")
        section_kinds = tuple((k, kinds[k]) for k in ("problems", "recommendations", "practice") if k in kinds)

    figures = _parse_figures(data.get("figures"), source) if data.get("figures") is not None else None
    return Codebook(
        name=str(data.get("name") or "codebook"), version=version, categories=tuple(categories),
        codes=tuple(codes), section_kinds=section_kinds, max_heading_chars=max_heading, figures=figures,
        source=source,
    )


def _parse_figures(f: Any, source: str) -> FigureRules:
    if not isinstance(f, Mapping):
        raise ConfigError("expected a mapping", source=source, key="figures")
    _unknown(f, _FIGURE_KEYS, source, "figures")
    cls = f.get("classifiers")
    if not isinstance(cls, Mapping) or not cls:
        raise ConfigError("expected a mapping of kind to measure words", source=source, key="figures.classifiers")
    _unknown(cls, _CLASSIFIER_KINDS, source, "figures.classifiers")
    classifiers = []
    seen_units: dict[str, str] = {}
    for kind, units in cls.items():
        for u in _str_list(units, source, f"figures.classifiers.{kind}"):
            if u in seen_units:
                raise ConfigError(f"measure word {u!r} listed under both {seen_units[u]!r} and {kind!r}",
                                  source=source, key=f"figures.classifiers.{kind}")
            seen_units[u] = kind
            classifiers.append((u, kind))
    q = f.get("qualifiers") or {}
    if not isinstance(q, Mapping):
        raise ConfigError("expected a mapping", source=source, key="figures.qualifiers")
    _unknown(q, _QUALIFIER_KEYS, source, "figures.qualifiers")
    counted = _term_pairs(f.get("counted"), source, "figures.counted")
    return FigureRules(
        classifiers=tuple(classifiers),
        direct_nouns=_str_list(f.get("direct_nouns"), source, "figures.direct_nouns"),
        blocked_units=_str_list(f.get("blocked_units"), source, "figures.blocked_units"),
        self_counted=_str_list(f.get("self_counted"), source, "figures.self_counted"),
        approx_prefix=_str_list(q.get("approx_prefix"), source, "figures.qualifiers.approx_prefix"),
        exact_prefix=_str_list(q.get("exact_prefix"), source, "figures.qualifiers.exact_prefix"),
        infix=_str_list(q.get("infix"), source, "figures.qualifiers.infix"),
        suffix=_str_list(q.get("suffix"), source, "figures.qualifiers.suffix"),
        counted=tuple(counted),
        admin_units=_str_list(f.get("admin_units"), source, "figures.admin_units"),
        organs=_str_list(f.get("organs"), source, "figures.organs"),
        event_units=_str_list(f.get("event_units"), source, "figures.event_units"),
        rate_words=_str_list(f.get("rate_words"), source, "figures.rate_words"),
        phrase_stops=_str_list(f.get("phrase_stops"), source, "figures.phrase_stops"),
        named_terms=_str_list(f.get("named_terms"), source, "figures.named_terms"),
        level_words=_str_list(f.get("level_words"), source, "figures.level_words"),
        money_nouns=_term_pairs(f.get("money_nouns"), source, "figures.money_nouns"),
    )


def _term_pairs(items: Any, source: str, key: str) -> tuple[tuple[str, str], ...]:
    """A list of terms or one-entry mappings ``term: canonical`` as (term, canonical) pairs."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ConfigError(f"expected a list, got {type(items).__name__}", source=source, key=key)
    out = []
    for i, item in enumerate(items):
        k = f"{key}[{i}]"
        if isinstance(item, str) and item:
            out.append((item, item))
        elif isinstance(item, Mapping) and len(item) == 1:
            (term, canon), = item.items()
            out.append((_text(term, source, k), _text(canon, source, k)))
        else:
            raise ConfigError(f"expected a term or a one-entry mapping term: canonical, got {item!r}",
                              source=source, key=k)
    return tuple(out)


def check_codebook_examples(codebook: Codebook) -> list[str]:
    """Check every code against its own examples.

    Each example must be coded with its code and no counter-example may be. Scopes are ignored here
    (an example is a single sentence, outside any section).

    Parameters
    ----------
    codebook : Codebook

    Returns
    -------
    list of str
        One message per failure (empty when all pass).

    Examples
    --------
    >>> check_codebook_examples(load_codebook())
    []
    """
    from govlab.coding.coding import _matches_for_code

    problems = []
    for code in codebook.codes:
        for ex in code.examples:
            if not _matches_for_code(ex, code):
                problems.append(f"{code.id}: example not coded: {ex}")
        for ex in code.counter_examples:
            if _matches_for_code(ex, code):
                problems.append(f"{code.id}: counter-example coded: {ex}")
    return problems
