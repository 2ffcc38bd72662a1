"""Shared pieces of every govlab figure: palettes, label wrapping and axis conventions.

Plotly cuts off text that does not fit the figure's margins. govlab's template turns on
``automargin`` for every axis and the title; long category labels and panel titles are also
wrapped with :func:`wrap_label`, so nothing depends on a label being short. Years are drawn as
integers (:func:`year_axis`).
"""
from __future__ import annotations

import unicodedata

#: A qualitative palette (colour-blind-aware, 10 colours) for localities, parties and categories.
QUALITATIVE = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
               "#8C8C8C", "#CCB974", "#64B5CD"]


def display_width(text: str) -> int:
    """Width of ``text`` in columns: wide (CJK) characters count 2, others 1.

    Examples
    --------
    >>> display_width("委员 a")
    6
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_label(text: str, width: int = 24, sep: str = "<br>") -> str:
    """Wrap a label to lines of at most ``width`` columns (CJK characters count 2).

    Breaks at spaces where possible and between CJK characters otherwise; never inside a Latin
    word. Plotly draws ``<br>`` as a line break.

    Examples
    --------
    >>> wrap_label("stations with broken continuity", 16)
    'stations with<br>broken<br>continuity'
    >>> wrap_label("企事业单位协商议事室 enterprise rooms", 12)
    '企事业单位协<br>商议事室<br>enterprise<br>rooms'
    """
    text = str(text)
    if display_width(text) <= width:
        return text
    # tokens: a Latin word (with its trailing space) or one CJK character
    tokens: list[str] = []
    word = ""
    for c in text:
        if unicodedata.east_asian_width(c) in "WF":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(c)
        elif c == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += c
    if word:
        tokens.append(word)
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if line and display_width((line + tok).rstrip()) > width:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return sep.join(lines)


def year_axis(years=None) -> dict:
    """Axis settings for years: integer ticks, no thousands separator ("2019", never "2,019.5").

    Examples
    --------
    >>> year_axis([2019, 2020, 2021])["tickvals"]
    [2019, 2020, 2021]
    """
    axis = dict(tickformat="d", dtick=1, title="year")
    if years is not None:
        vals = sorted({int(y) for y in years})
        axis.update(tickvals=vals, ticktext=[str(v) for v in vals])
    return axis
