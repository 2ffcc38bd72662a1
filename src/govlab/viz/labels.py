"""Bilingual labels from ``datasets/glossary.csv``.

``label("委员工作站")`` returns the English term when the language is ``"en"``, the Chinese term when
it is ``"zh"``, and both (``"委员工作站 member workstation"``) when it is ``"both"``. Keys may be
given in Chinese or English. Unknown keys are returned unchanged.
"""
from __future__ import annotations

from functools import lru_cache

_LANGS = ("en", "zh", "both")
_state = {"lang": "both"}


def set_language(lang: str) -> None:
    """Set the label language: ``"en"``, ``"zh"`` or ``"both"``."""
    if lang not in _LANGS:
        from govlab.errors import InputError
        raise InputError(f"expected one of {_LANGS}, got {lang!r}", key="lang")
    _state["lang"] = lang


def get_language() -> str:
    """The current label language."""
    return _state["lang"]


@lru_cache(maxsize=1)
def _glossary():
    from govlab.datasets import load_glossary

    df = load_glossary()
    by_zh = {r.zh: (r.zh, r.en) for r in df.itertuples()}
    by_en = {r.en.lower(): (r.zh, r.en) for r in df.itertuples()}
    return by_zh, by_en


def label(key: str, lang: str | None = None) -> str:
    """Label for a domain term in the current (or given) language.

    Examples
    --------
    >>> label("委员工作站", lang="en")
    'member workstation'
    >>> label("委员工作站", lang="both")
    '委员工作站 member workstation'
    """
    lang = lang or _state["lang"]
    by_zh, by_en = _glossary()
    pair = by_zh.get(key) or by_en.get(str(key).lower())
    if pair is None:
        return key
    zh, en = pair
    return {"en": en, "zh": zh, "both": f"{zh} {en}"}[lang]
