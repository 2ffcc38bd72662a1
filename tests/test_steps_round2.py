"""Tests of govlab.coding.steps, round 2 of issue 13 item 5: abbreviated step chains, sequences told
as narrated stages, and their neighbours that are not sequences.

Every example sentence is FICTIONAL (marked （虚构）), written for these tests.
"""
from __future__ import annotations

import pytest

from govlab.coding import code_text, extract_step_sequences


def _seqs(text):
    df = extract_step_sequences(text)
    return [g["named"].tolist() for _, g in df.groupby("sequence", sort=True)]


def _steps(text):
    df = extract_step_sequences(text)
    return [g["step"].tolist() for _, g in df.groupby("sequence", sort=True)]


# ----------------------------------------------------------------------------- abbreviated chains

@pytest.mark.parametrize("text, named, steps", [
    ("（虚构）社区实现了“民事民提、民事民议、民事民商、民事民定、民事民办”。",
     ["民事民提", "民事民议", "民事民商", "民事民定", "民事民办"],
     ["collect_topics", "consult", "consult", "", "implement"]),
    # traditional script maps the same way and keeps its spelling
    ("（虚构）社區實現了“民事民提、民事民議、民事民辦”。",
     ["民事民提", "民事民議", "民事民辦"], ["collect_topics", "consult", "implement"]),
    # a repeated subject of more characters, no step word, no count
    ("（虚构）做到群众事群众提、群众事群众议、群众事群众办。",
     ["群众事群众提", "群众事群众议", "群众事群众办"], ["collect_topics", "consult", "implement"]),
    # one-character arrow chain glued to its lead-in verb
    ("（虚构）议事坚持提→议→商→定→办。", ["提", "议", "商", "定", "办"],
     ["collect_topics", "consult", "consult", "", "implement"]),
])
def test_abbreviated_chains_are_sequences(text, named, steps):
    assert _seqs(text) == [named]
    assert _steps(text) == [steps]


@pytest.mark.parametrize("text", [
    "（虚构）打造一村一品、一村一策、一村一景。",          # last characters are not step verbs
    "（虚构）做到有人管、有人办、有人评。",                # 管 is no step verb: a slogan of duties
    "（虚构）坚持抓协商、抓调研、抓落实。",                # the verb repeats, the object varies
    "（虚构）镇里有一组、二组、三组三个小组。",            # items of one common opening, no verbs
])
def test_lists_like_chains_that_are_not_sequences(text):
    assert extract_step_sequences(text).empty


def test_chain_steps_are_coded_in_any_script():
    codes = code_text("（虚构）社區實現了“民事民提、民事民議、民事民商、民事民定、民事民辦”。")
    steps = codes[codes["category"] == "step"]
    assert steps["matched"].tolist() == ["民事民提", "民事民議", "民事民商", "民事民定", "民事民辦"]
    assert steps["code"].tolist()[-1] == "step.implement"
