"""Tests of govlab.coding.steps: named step sequences in general (issue 13, item 5).

Example sentences are FICTIONAL, written for these tests. The dev-set test reads real texts and
their gold annotations at run time from GOVLAB_DEVSET_DIR (default ../shared/devset) and only
uses the tuning part of the dev set.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from govlab.coding import (
    LOOP_COLUMNS,
    SEQUENCE_COLUMNS,
    code_text,
    extract_loop_steps,
    extract_step_sequences,
)

ROOT = Path(__file__).resolve().parents[1]


def _seq(text, **kw):
    df = extract_step_sequences(text, **kw)
    return [list(zip(g["named"], g["step"])) for _, g in df.groupby("sequence", sort=True)]


def test_arrows_keep_an_unknown_step_in_place():
    seqs = _seq("（虚构）村里按照议题收集→入户调研→集中议事→监督→结果反馈的流程推进。")
    assert seqs == [[("议题收集", "collect_topics"), ("入户调研", "research"), ("集中议事", "consult"),
                     ("监督", ""), ("结果反馈", "feedback")]]


def test_list_announced_by_a_step_count():
    seqs = _seq("（虚构）协商分为4个环节：提出议题、调查研究、协商讨论、跟踪问效。")
    assert [n for n, _ in seqs[0]] == ["提出议题", "调查研究", "协商讨论", "跟踪问效"]
    assert [s for _, s in seqs[0]][:3] == ["collect_topics", "research", "consult"]


def test_list_named_by_its_count_and_shared_last_character():
    seqs = _seq("（虚构）形成了“群众说事、干部问事、集体议事、专班办事、大家评事”的五事工作格局。")
    assert [n for n, _ in seqs[0]] == ["群众说事", "干部问事", "集体议事", "专班办事", "大家评事"]


def test_one_character_steps_in_quotes():
    seqs = _seq("（虚构）议事按“提、议、办、评”四个环节进行。")
    assert seqs == [[("提", "collect_topics"), ("议", "consult"), ("办", "implement"), ("评", "evaluate")]]


def test_ordinal_clauses_and_numbered_steps():
    seqs = _seq("（虚构）第一步，征集议题；第二步，入户调研；第三步，召开议事会；第四步，公示结果。")
    assert [s for _, s in seqs[0]] == ["collect_topics", "research", "consult", "feedback"]
    seqs = _seq("（虚构）一是收集议题，由群众提出；二是调研论证，委员走访；三是协商议事，各方讨论；四是监督落实。")
    assert [s for _, s in seqs[0]] == ["collect_topics", "research", "consult", "implement"]


@pytest.mark.parametrize("text", [
    "（虚构）会场摆放了桌子、椅子、话筒和茶水。",
    "（虚构）今年的工作，一是加强学习，二是完善制度，三是服务群众。",
    "（虚构）会议由镇党委书记主持，委员、村民代表、企业负责人参加。",
    "（虚构）省、市、县三级政协委员参加。",
    "（虚构）对协商的组织、协商的主体、协商的程序作出规定，形成六步议事规则。",
])
def test_plain_enumerations_are_not_sequences(text):
    assert extract_step_sequences(text).empty


def test_main_loop_is_the_sequence_with_most_canonical_steps():
    text = ("（虚构）议事按“提、议、办、评”四个环节进行。全县推行征集议题、审定议题、会前调研、"
            "民主协商、跟踪落实、结果公开六步工作法。")
    df = extract_step_sequences(text)
    assert list(df.columns) == SEQUENCE_COLUMNS and df["sequence"].max() == 2
    main = df[df["sequence"] == 1]
    assert main["named"].tolist()[0] == "征集议题" and (main["found_by"] == "canonical").all()
    loop = extract_loop_steps(text)
    assert list(loop.columns) == LOOP_COLUMNS
    assert loop["named"].tolist() == main["named"].tolist()
    assert df["position"].tolist() == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4]
    assert all(text[s:e] == n for s, e, n in zip(df["start"], df["end"], df["named"]))


def test_sequence_steps_are_coded_in_the_code_table():
    text = "（虚构）议事遵循“群众提事、两委议事、大家定事、专班办事”四个环节。"
    df = code_text(text)
    steps = df[df["category"] == "step"]
    assert steps[["code", "matched"]].values.tolist() == [
        ["step.collect_topics", "群众提事"], ["step.consult", "两委议事"], ["step.other", "大家定事"],
        ["step.implement", "专班办事"]]
    assert "step.other" not in set(code_text(text, sequences=False)["code"])


# ----------------------------------------------------------------------------- dev set (tuning part)

_HELD_OUT = {"02", "05", "08", "11", "14", "17", "20", "23"}


def _devset() -> Path:
    return Path(os.environ.get("GOVLAB_DEVSET_DIR", ROOT.parent / "shared" / "devset"))


def test_devset_tuning_sequences_are_found_in_order():
    """Every gold step sequence of the dev set's tuning part is found, its steps in order."""
    from govlab.corpus import clean_text

    d = _devset()
    if not (d / "gold_codes.csv").exists():
        pytest.skip(f"no dev set at {d} (set GOVLAB_DEVSET_DIR)")
    gold = pd.read_csv(d / "gold_codes.csv", dtype=str, keep_default_na=False)
    gold = gold[(gold["category"] == "step") & ~gold["file"].str[:2].isin(_HELD_OUT)]
    assert len(gold), "the tuning part names step sequences"
    for name, g in gold.groupby("file"):
        raw = (d / "raw" / f"{name}.txt").read_text(encoding="utf-8").split("\n", 2)[2]
        text = clean_text(raw).text
        seqs = extract_step_sequences(text, doc_id=name)
        for _, items in g.groupby(g["note"].str.startswith("m")):
            found = []
            for item in items["item_zh"]:
                starts = [i for i in range(len(text)) if text.startswith(item, i)]
                rows = seqs[[any(s <= i < e for i in starts) for s, e in zip(seqs["start"], seqs["end"])]]
                assert len(rows), (name, item)
                found.append((int(rows["sequence"].iloc[0]), int(rows["position"].iloc[0])))
            assert found == sorted(found) and len({s for s, _ in found}) == 1, (name, found)
