"""Tests of masked numbers in govlab.coding.figures: a placeholder for a hidden number is a masked
figure (``masked=True``, value NaN, never zero); a real number beside a footnote asterisk is not.

Every sentence here is FICTIONAL (虚构), written for these tests.
"""
from __future__ import annotations

import math

import pytest

from govlab.coding import extract_figures, parse_number

MASKED = [
    ("（虚构）共走访****户居民。", "****户"),
    ("（虚构）共走访**户居民。", "**户"),
    ("（虚构）共走访*** 户居民。", "*** 户"),
    ("（虚构）建成××个站点。", "××个"),
    ("（虚构）建成×个站点。", "×个"),
    ("（虚构）建成xx个站点。", "xx个"),
    ("（虚构）建成XX个站点。", "XX个"),
    ("（虚构）建成ｘｘ个站点。", "ｘｘ个"),
    ("（虚构）建成Ｘ个站点。", "Ｘ个"),
    ("（虚构）建成＊＊个站点。", "＊＊个"),
    ("（虚构）建成○○个站点。", "○○个"),
    ("（虚构）建成〇〇个站点。", "〇〇个"),
    ("（虚构）建成□□个站点。", "□□个"),
    ("（虚构）建成N个站点。", "N个"),
    ("（虚构）建成n个站点。", "n个"),
    ("（虚构）建成Ｎ个站点。", "Ｎ个"),
    ("（虚构）共有委员N名。", "N名"),
    ("（虚构）覆盖率××%。", "××%"),
    ("（虚构）投入资金××万元。", "××万元"),
    ("（虚构）走访12**户。", "*户"),  # digits mixed with more asterisks: partly hidden, not a value
]


@pytest.mark.parametrize("text, matched", MASKED)
def test_placeholders_are_masked_figures_never_values(text, matched):
    df = extract_figures(text, "t")
    assert df["matched"].tolist() == [matched]
    row = df.iloc[0]
    assert bool(row["masked"]) and math.isnan(row["value"])
    assert row["kind"] in ("count", "percent", "money")


@pytest.mark.parametrize("text, matched, value, counted", [
    ("（虚构）建成12*个站点。", "12*个", 12.0, "站点"),        # a footnote mark after the number
    ("（虚构）共有委员12*名。", "12*名", 12.0, "委员"),
    ("（虚构）建成站点12个*。", "12个", 12.0, "站点"),         # after the measure word
    ("（虚构）覆盖率85*%。", "85*%", 85.0, "覆盖率"),
    ("（虚构）建成一〇〇个站点。", "一〇〇个", 100.0, "站点"),  # 〇 inside a numeral is a zero digit
])
def test_a_real_number_beside_an_asterisk_or_zero_digit_is_a_figure(text, matched, value, counted):
    df = extract_figures(text, "t")
    row = df[df["matched"] == matched].iloc[0]
    assert not row["masked"] and row["value"] == value and row["counted"] == counted


@pytest.mark.parametrize("text", [
    "（虚构）第N次会议在××村召开。",      # an ordinal, and a masked place name without a measure word
    "（虚构）推行“N+1”模式。",
    "（虚构）二〇二一年，××年度总结。",  # years are dates, masked or not
])
def test_masks_without_a_count_are_no_count(text):
    df = extract_figures(text, "t")
    assert not ((df["kind"] == "count") & df["masked"]).any()


def test_parse_number_of_placeholders_is_nan():
    for s in ("××", "****", "○○", "□□", "ｘｘ"):
        assert math.isnan(parse_number(s))
    assert parse_number("零") == 0.0
