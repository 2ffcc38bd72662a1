"""Helpers shared by the tests of codes and figures on fictional sentences (not a test module)."""
from __future__ import annotations

import pytest

from govlab.coding import code_text, extract_figures, extract_step_sequences


def codes(text, category=None):
    """[code, matched] of ``text``'s codes, of one category when given."""
    df = code_text(text)
    if category is not None:
        df = df[df["category"] == category]
    return df[["code", "matched"]].values.tolist()


def matched(text, category):
    """The matched texts of ``text``'s codes of one category."""
    return [m for _, m in codes(text, category)]


def rows(text, kinds=("count", "percent", "money", "measure", "ratio")):
    """(value, value_max, unit, counted, approx) of the scored kinds; masked values as None."""
    df = extract_figures(text, "t")
    df = df[df.kind.isin(kinds)]
    return [(None if r.masked else pytest.approx(r.value, rel=1e-3),
             None if r.masked else pytest.approx(r.value_max, rel=1e-3), r.unit, r.counted, bool(r.approx))
            for r in df.itertuples()]


def counted(text):
    """The counted nouns of ``text``'s scored figures, in order."""
    return [r[3] for r in rows(text)]


def sequences(text):
    """The named items of each step sequence of ``text``, one list per sequence."""
    df = extract_step_sequences(text)
    return [g["named"].tolist() for _, g in df.groupby("sequence", sort=True)]


def sequence_steps(text):
    """The standard step of each item of each step sequence of ``text``, one list per sequence."""
    df = extract_step_sequences(text)
    return [g["step"].tolist() for _, g in df.groupby("sequence", sort=True)]
