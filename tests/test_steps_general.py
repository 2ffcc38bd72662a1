"""Tests of govlab.coding.steps on texts govlab was not built on (issue 13, item 5): what is and is
not a sequence of consultation steps, which of two overlapping lists wins, and where step codes fire.

Every example sentence is FICTIONAL (marked （虚构）), written for these tests. The five-report test
reads the reports at run time from GOVLAB_CORPUS_DIR and skips without it.
"""
from __future__ import annotations

import pytest

from govlab.coding import code_text, extract_loop_steps, extract_step_sequences, map_step


def _seqs(text):
    df = extract_step_sequences(text)
    return [g["named"].tolist() for _, g in df.groupby("sequence", sort=True)]


def _step_codes(text, **kw):
    df = code_text(text, **kw)
    return df.loc[df["category"] == "step", ["code", "matched"]].values.tolist()


# ----------------------------------------------------------------------------- not sequences

@pytest.mark.parametrize("text", [
    # web menus and breadcrumbs: section names, navigation words, space-separated items
    "（虚构）首页 政务新闻 协商议事 委员风采 提案工作 正文",
    "（虚构）当前位置：首页 > 履职动态 > 协商议事 > 调研视察",
    "（虚构）网站首页、政务新闻、协商议事、委员风采、提案办理、理论研究",
    "（虚构）政务新闻、协商议事、委员风采、提案工作、理论研究、调研视察",
    # lists of things, people or places with at most one step word
    "（虚构）议事室配备了桌椅、话筒、投影和协商议事制度牌。",
    "（虚构）县领导、镇干部、政协委员、村民代表参加了协商议事。",
    # work slogans opening with the same verb, no arrows (also when the first item is a step name)
    "（虚构）坚持抓协商、抓调研、抓落实、抓反馈四个环节。",
    "（虚构）抓议题征集、抓调研论证、抓协商议事、抓成果转化。",
    # a count of work points is not a step ordinal: 一是…二是… items need the step vocabulary
    "（虚构）今年重点做好三步工作：一是加强学习，二是完善制度，三是服务群众。",
])
def test_lists_that_are_not_step_sequences_are_rejected(text):
    assert extract_step_sequences(text).empty


def test_a_breadcrumb_next_to_a_real_loop_leaves_only_the_loop():
    text = ("（虚构）首页 > 协商议事 > 正文\n"
            "该镇推行征集议题→会前调研→民主协商→跟踪落实→结果公开的议事流程。")
    assert _seqs(text) == [["征集议题", "会前调研", "民主协商", "跟踪落实", "结果公开"]]


# ----------------------------------------------------------------------------- which list wins

def test_arrow_chain_is_the_main_loop_not_a_slogan_list():
    text = ("（虚构）村里坚持抓党建、抓协商、抓落实、抓服务，"
            "建立议题征集→实地调研→协商议事→跟踪督办→结果反馈的闭环。")
    loop = extract_loop_steps(text)
    assert loop["named"].tolist() == ["议题征集", "实地调研", "协商议事", "跟踪督办", "结果反馈"]
    assert loop["step"].tolist() == ["collect_topics", "research", "consult", "", "feedback"]


def test_an_explicit_sequence_is_the_main_loop_before_a_loose_list():
    # both name three or more canonical steps; the one written as a sequence (a step word) comes first
    text = ("（虚构）年初的工作要点提到征集议题、会前调研、民主协商、推动落实、结果反馈。"
            "议事流程为：收集民意→确定选题→协商讨论→交办督办。")
    df = extract_step_sequences(text)
    main = df[df["sequence"] == 1]
    assert main["named"].tolist() == ["收集民意", "确定选题", "协商讨论", "交办督办"]
    assert df["sequence"].max() == 2


def test_overlapping_lists_the_arrow_chain_wins_over_the_ordinal_prose():
    text = "（虚构）一是征集议题→会前调研→民主协商→结果反馈，二是建立台账，三是跟踪问效。"
    seqs = _seqs(text)
    assert seqs[0] == ["征集议题", "会前调研", "民主协商", "结果反馈"]
    assert all("建立台账" not in s for s in seqs)


# ----------------------------------------------------------------------------- steps outside the known loops

def test_proposal_chain_with_dashes_and_a_lead_in_glued_to_its_first_item():
    text = "（虚构）提案办理实行受理—交办—办理—答复—评价全流程管理。"
    df = extract_step_sequences(text)
    assert df["named"].tolist() == ["受理", "交办", "办理", "答复", "评价"]
    assert df["step"].tolist() == ["collect_topics", "implement", "implement", "feedback", "evaluate"]
    assert all(text[s:e] == n for s, e, n in zip(df["start"], df["end"], df["named"]))


def test_numbered_links_are_kept_as_written_without_canonical_steps():
    text = "（虚构）议事会分四个环节：第一环节通报情况，第二环节委员发言，第三环节部门回应，第四环节总结点评。"
    df = extract_step_sequences(text)
    assert df["named"].tolist() == ["通报情况", "委员发言", "部门回应", "总结点评"]
    assert (df["step"] == "").all() and (df["found_by"] == "ordinal").all()


def test_an_arrow_chain_named_by_a_step_word_keeps_unknown_steps():
    df = extract_step_sequences("（虚构）“点单—派单—接单—评单”四单工作法让协商更顺畅。")
    assert df["named"].tolist() == ["点单", "派单", "接单", "评单"]
    assert df["found_by"].iloc[0] == "arrow"
    # the same items with no step word and no vocabulary are not a sequence
    assert extract_step_sequences("（虚构）店里备有点单、派单、接单、评单四种表格。").empty


def test_phases_sharing_a_first_character_are_not_a_slogan_list():
    df = extract_step_sequences("（虚构）实行会前调研、会中协商、会后反馈的闭环管理。")
    assert df["named"].tolist() == ["会前调研", "会中协商", "会后反馈"]
    assert df["step"].tolist() == ["research", "consult", "feedback"]


def test_a_step_ordinal_clause_keeps_its_whole_short_phrase():
    df = extract_step_sequences("（虚构）第一步，入户走访；第二步，召开院坝会；第三步，公示结果。")
    assert df["named"].tolist() == ["入户走访", "召开院坝会", "公示结果"]


def test_a_list_named_after_de_by_its_count_and_shared_character():
    df = extract_step_sequences("（虚构）村民说事、干部办事、群众评事的三事模式。")
    assert df["named"].tolist() == ["村民说事", "干部办事", "群众评事"]
    assert df["found_by"].iloc[0] == "step_word"


def test_one_unknown_step_inside_a_known_loop_keeps_its_place():
    df = extract_step_sequences("（虚构）流程为议题征集→入户调研→监督→集中议事→结果反馈。")
    assert df["named"].tolist() == ["议题征集", "入户调研", "监督", "集中议事", "结果反馈"]
    assert df["step"].tolist()[2] == ""


def test_proposal_handling_words_map_onto_canonical_steps():
    assert [map_step(w) for w in ("受理", "转办", "交办", "答复", "回复")] == [
        "collect_topics", "implement", "implement", "feedback", "feedback"]


# ----------------------------------------------------------------------------- step codes

@pytest.mark.parametrize("text", [
    "（虚构）村里开展协商，推动落实，群众评价很高。",
    "（虚构）委员们围绕停车难民主协商，会后形成协商意见并跟踪落实。",
    "（虚构）镇里征集议题的渠道还比较单一，商前调研有时走过场。",
])
def test_step_words_in_running_prose_get_no_step_code(text):
    assert _step_codes(text) == []


def test_step_words_keep_their_pattern_codes_without_sequence_detection():
    # sequences=False: the codebook's patterns alone, as before sequence detection existed
    assert ["step.consult", "开展协商"] in _step_codes("（虚构）村里开展协商，推动落实。", sequences=False)


def test_steps_of_a_named_sequence_are_coded_each_once():
    text = "（虚构）议事规则为：征集议题、入户走访、民主协商、跟踪落实、结果公开。"
    assert _step_codes(text) == [["step.collect_topics", "征集议题"], ["step.other", "入户走访"],
                                 ["step.consult", "民主协商"], ["step.implement", "跟踪落实"],
                                 ["step.feedback", "结果公开"]]


def test_a_step_after_a_step_ordinal_is_coded_in_prose():
    codes = _step_codes("（虚构）第二步是会前调研，委员分组入户。")
    assert codes == [["step.research", "会前调研"]]
    codes = _step_codes("（虚构）第三个环节是民主协商，随后由镇里推动落实。")
    assert codes == [["step.consult", "民主协商"]]


# ----------------------------------------------------------------------------- the five reports

def test_report_step_codes_lie_on_their_loops(corpus_dir):
    """On the five reports the three known loops are found, each step coded once, and no step code
    falls outside a loop (the words of the loops in running prose are not steps of a sequence)."""
    from govlab.coding import code_corpus, extract_loops
    from govlab.corpus import build_corpus

    clean = build_corpus(corpus_dir)
    loops = extract_loops(clean)
    assert sorted(set(loops["doc_id"])) == ["gansu-extension", "nantong-youshi", "shangyou-620"]
    assert loops.groupby("doc_id").size().to_dict() == {"gansu-extension": 6, "nantong-youshi": 8, "shangyou-620": 6}
    codes = code_corpus(clean)
    steps = codes[codes["category"] == "step"]
    spans = {(d, int(s), int(e)) for d, s, e in zip(loops["doc_id"], loops["start"], loops["end"])}
    located = {(d, int(s), int(e)) for d, s, e in zip(steps["doc_id"], steps["start"], steps["end"])}
    assert located == spans
    assert (steps["code"] != "step.other").all()


# ----------------------------------------------------------------------------- a count of steps names a list

def test_a_list_closed_by_a_count_equal_to_its_items_is_a_sequence_of_unknown_steps():
    df = extract_step_sequences("（虚构）恳谈会分为介绍、提问、回应、小结四个环节。")
    assert df["named"].tolist() == ["介绍", "提问", "回应", "小结"]
    assert (df["step"] == "").all()


@pytest.mark.parametrize("text", [
    "（虚构）会场布置了：桌子、椅子、话筒、茶水四样东西。",  # a count of things, not of steps
    "（虚构）会场布置了桌子、椅子、话筒、茶水三个环节。",  # the count differs from the items
    "（虚构）首页、新闻、公告、下载四个环节。",  # navigation words
])
def test_a_count_of_steps_does_not_make_any_list_a_sequence(text):
    assert extract_step_sequences(text).empty


# ----------------------------------------------------------------------------- ordinal clauses

def test_an_ordinal_clause_names_its_step_after_a_modal_when_it_opens_with_a_subject():
    text = ("（虚构）镇长强调，一是村委会要公示议事结果，接受群众监督；二是会开完以后，各部门要推动成果落实；"
            "三是镇政协联络组要跟踪回访群众。")
    df = extract_step_sequences(text)
    assert df["named"].tolist() == ["公示议事结果", "推动成果落实", "跟踪回访群众"]
    assert df["step"].tolist() == ["feedback", "implement", "feedback"]
    assert all(text[s:e] == n for s, e, n in zip(df["start"], df["end"], df["named"]))


def test_an_ordinal_clause_opening_with_a_step_name_keeps_it():
    df = extract_step_sequences("（虚构）一是收集议题，要广泛听取意见；二是会前调研，要走村入户；三是民主协商，要充分讨论。")
    assert df["named"].tolist() == ["收集议题", "会前调研", "民主协商"]


def test_runs_of_different_ordinals_are_not_one_sequence():
    text = ("（虚构）会上首先由主持人介绍情况；最后，大家举手表决。"
            "一是村委会要公示议事结果；二是各部门要推动成果落实；三是联络组要跟踪回访群众。")
    df = extract_step_sequences(text)
    assert df["sequence"].max() == 1
    assert df["named"].tolist() == ["公示议事结果", "推动成果落实", "跟踪回访群众"]


def test_tasks_with_no_step_words_after_the_modal_are_not_a_sequence():
    text = "（虚构）书记强调，一是干部要加强学习；二是村里要完善制度；三是大家要服务群众。"
    assert extract_step_sequences(text).empty
