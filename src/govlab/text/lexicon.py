"""Domain lexicon and stopword list: loading, validation and content hashes.

The shipped lists live in ``datasets/lexicon/`` (``domain_terms.csv`` and ``stopwords.txt``; their
sources are in ``datasets/lexicon/README.md``). A :class:`Lexicon` is a sorted tuple of unique terms
plus the sha256 of that tuple, so the same terms always give the same hash whether they come from a
file or from a Python list; every :class:`~govlab.text.tokens.Tokens` object records it.
"""
from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govlab.errors import InputError
from govlab.io import sha256_text

__all__ = ["Lexicon", "load_lexicon", "load_stopwords", "as_lexicon", "as_stopwords", "DEFAULT"]

#: Sentinel meaning "the list shipped in ``datasets/lexicon/``".
DEFAULT = "default"


@dataclass(frozen=True)
class Lexicon:
    """A set of terms kept as single tokens (or removed, for a stopword list).

    Attributes
    ----------
    terms : tuple of str
        Unique terms, sorted by code point.
    source : str
        Where the terms came from (a file name, ``"shipped"`` or ``"user"``).
    sha256 : str
        Hex sha256 of ``"\\n".join(terms)``: identifies the list independently of its file.

    Examples
    --------
    >>> lex = Lexicon.from_terms(["委员工作站", "六步议事", "委员工作站"])
    >>> lex.terms
    ('六步议事', '委员工作站')
    >>> len(lex)
    2
    """

    terms: tuple[str, ...]
    source: str = "user"
    sha256: str = ""

    @classmethod
    def from_terms(cls, terms: Iterable[str], source: str = "user") -> Lexicon:
        """Build a lexicon from an iterable of strings (stripped, NFC-normalised, deduplicated)."""
        if isinstance(terms, str):
            raise InputError("expected an iterable of terms, got a single string", source=source)
        clean = set()
        for i, term in enumerate(terms):
            if not isinstance(term, str):
                raise InputError(f"term #{i} is {type(term).__name__}, expected str", source=source)
            t = unicodedata.normalize("NFC", term.strip())
            if not t:
                continue
            if any(ch.isspace() for ch in t):
                raise InputError(f"term {t!r} contains whitespace; a term must be one token", source=source)
            clean.add(t)
        ordered = tuple(sorted(clean))
        return cls(terms=ordered, source=source, sha256=sha256_text("\n".join(ordered)))

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term: object) -> bool:
        return term in self._set

    def __iter__(self):
        return iter(self.terms)

    @property
    def _set(self) -> frozenset:
        cached = self.__dict__.get("_set_cache")
        if cached is None:
            cached = frozenset(self.terms)
            object.__setattr__(self, "_set_cache", cached)
        return cached

    def __repr__(self) -> str:
        return f"Lexicon({len(self.terms)} terms, source={self.source!r}, sha256={self.sha256[:12]})"


def _lexicon_dir() -> Path:
    from govlab.datasets import dataset_path

    return dataset_path("lexicon")


def load_lexicon(path: str | os.PathLike | None = None) -> Lexicon:
    """Load a domain lexicon.

    Parameters
    ----------
    path : path-like, optional
        A CSV file with a ``term`` column (other columns such as ``category``, ``en`` and
        ``source`` are allowed) or a plain text file with one term a line (``#`` starts a comment).
        Default: the shipped ``datasets/lexicon/domain_terms.csv``.

    Returns
    -------
    Lexicon

    Raises
    ------
    InputError
        When the file is missing, has no ``term`` column, or a term contains whitespace.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> "有事好商量" in lex and "六步议事" in lex
    True
    """
    return _load_cached(path, "domain_terms.csv", "lexicon", _load_lexicon_file)


@functools.lru_cache(maxsize=32)
def _load_lexicon_file(path: str, mtime_ns: int, size: int, shipped: bool) -> Lexicon:
    """Parse a lexicon file; cached on (path, modification time, size), so an edited file is re-read."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        try:
            df = pd.read_csv(p, dtype=str, keep_default_na=False)
        except Exception as exc:  # pandas raises several parser errors
            raise InputError(f"cannot read CSV: {exc}", source=str(p)) from exc
        if "term" not in df.columns:
            raise InputError(f"expected a 'term' column, found {list(df.columns)}", source=str(p))
        terms = df["term"].tolist()
    else:
        terms = _read_lines(p)
    return Lexicon.from_terms(terms, source="shipped:domain_terms.csv" if shipped else p.name)


def load_stopwords(path: str | os.PathLike | None = None) -> Lexicon:
    """Load a stopword list (one word a line, ``#`` comments). Default: the shipped list.

    Examples
    --------
    >>> sw = load_stopwords()
    >>> "的" in sw and "委员工作站" not in sw
    True
    """
    return _load_cached(path, "stopwords.txt", "stopword", _load_stopword_file)


def _load_cached(path, shipped_name: str, what: str, loader) -> Lexicon:
    """Resolve ``path`` (default: the shipped file) and call the cached ``loader`` keyed on its
    path, modification time and size, so that an edited file is re-read."""
    shipped = path is None
    p = _lexicon_dir() / shipped_name if shipped else Path(path)
    if not p.is_file():
        raise InputError(f"{what} file not found", source=str(p))
    st = p.stat()
    return loader(str(p.resolve()), st.st_mtime_ns, st.st_size, shipped)


@functools.lru_cache(maxsize=32)
def _load_stopword_file(path: str, mtime_ns: int, size: int, shipped: bool) -> Lexicon:
    p = Path(path)
    return Lexicon.from_terms(_read_lines(p), source="shipped:stopwords.txt" if shipped else p.name)


def _read_lines(p: Path) -> list[str]:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=str(p)) from exc
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def as_lexicon(value, *, kind: str = "lexicon") -> Lexicon:
    """Coerce a user argument to a :class:`Lexicon`.

    ``"default"`` gives the shipped list, ``None`` an empty one, a path loads a file, a
    :class:`Lexicon` passes through and any other iterable of strings becomes a lexicon.
    """
    loader = load_lexicon if kind == "lexicon" else load_stopwords
    if value is None:
        return Lexicon.from_terms((), source="none")
    if isinstance(value, Lexicon):
        return value
    if isinstance(value, str):
        if value == DEFAULT:
            return loader()
        return loader(value)
    if isinstance(value, os.PathLike):
        return loader(value)
    return Lexicon.from_terms(value, source="user")


def as_stopwords(value) -> Lexicon:
    """Coerce a user argument to a stopword :class:`Lexicon` (see :func:`as_lexicon`)."""
    return as_lexicon(value, kind="stopwords")
