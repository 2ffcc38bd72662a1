"""Tests of govlab.coding.steps, round 2 of issue 13 item 5: abbreviated step chains, sequences told
as narrated stages, and their neighbours that are not sequences.

Every example sentence is FICTIONAL (marked （虚构）), written for these tests.
"""
from __future__ import annotations

import pytest
from mining_helpers import sequence_steps as _steps
from mining_helpers import sequences as _seqs

from govlab.coding import code_text, extract_step_sequences

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


# ----------------------------------------------------------------------------- narrated stages

@pytest.mark.parametrize("text, named, steps", [
    # meeting phases: only the clauses that name an action are steps; a count is an outcome
    ("（虚构）会前，委员深入村组调研，列出问题清单；会后，形成协商报告，报送镇党委，对办理情况进行跟踪。",
     ["委员深入村组调研", "列出问题清单", "形成协商报告", "报送镇党委", "跟踪"],
     ["research", "collect_topics", "report_results", "report_results", ""]),
    # order adverbs: the clause after each adverb is a step, a light verb names its object
    ("（虚构）议事会上，主持人首先介绍议题，随后居民代表逐一发言，接着进行协商讨论，最后大家举手表决。",
     ["介绍议题", "居民代表逐一发言", "协商讨论", "大家举手表决"], ["", "", "consult", ""]),
    # a clause after a light verb (作了补充说明) is a step; 协商前的准备工作 is preparation, not a step
    ("（虚构）会前，组长作了补充说明，委员入户调研，充分做好协商前的准备工作；会后，将意见报送街道。",
     ["补充说明", "委员入户调研", "意见报送街道"], ["", "research", "report_results"]),
])
def test_narrated_stages_are_sequences(text, named, steps):
    df = extract_step_sequences(text)
    assert df["found_by"].eq("narrated").all()
    assert _seqs(text) == [named]
    assert _steps(text) == [steps]


def test_a_restated_step_after_a_light_verb_is_not_a_second_step():
    text = "（虚构）会前，委员走访群众开展调研；会后，召开专题协商会，进行协商讨论，及时进行反馈。"
    assert _seqs(text) == [["调研", "召开专题协商会", "反馈"]]


@pytest.mark.parametrize("text", [
    "（虚构）会上，王主任首先传达了上级精神，随后大家观看了宣传片，最后合影留念。",   # no action named
    "（虚构）首先感谢各位委员，随后参观了展厅，最后与村民座谈。",                    # one action only
    "（虚构）会前，工作人员布置了会场；会后，大家合影留念。",
    "（虚构）首先要打通服务群众最后一公里，随后开展调研，最后一公里不能断。",          # 最后一公里 is a slogan
    "（虚构）会前，委员们走访了20户群众，收集到12条意见；会后，委员们将意见整理成册。",  # outcomes, counted
    "（虚构）首先，要加强学习；其次，要完善制度；最后，要服务群众。",                  # work points
])
def test_narrated_text_that_is_not_a_sequence(text):
    assert extract_step_sequences(text).empty


def test_narrated_steps_are_coded_and_a_listed_loop_stays_the_main_one():
    text = ("（虚构）镇里推行征集议题→会前调研→民主协商→跟踪落实→结果公开的议事流程。"
            "会前，委员深入村组调研，列出问题清单；会后，形成协商报告，报送镇党委。")
    df = extract_step_sequences(text)
    assert df.loc[df["sequence"] == 1, "named"].tolist() == ["征集议题", "会前调研", "民主协商", "跟踪落实", "结果公开"]
    assert df.loc[df["sequence"] == 2, "named"].tolist() == ["委员深入村组调研", "列出问题清单", "形成协商报告", "报送镇党委"]
    codes = code_text(text)
    steps = codes[codes["category"] == "step"]
    assert "列出问题清单" in steps["matched"].tolist()
    assert not steps["matched"].str.contains("，|会后").any()


# ----------------------------------------------------------------------------- lists of actions after 通过/依次

@pytest.mark.parametrize("text, named", [
    ("（虚构）镇里通过汇报、评议、协商，推动问题解决。", ["汇报", "评议", "协商"]),
    ("（虚构）议题依次经过征集、审核、公示，再提交议事会。", ["征集", "审核", "公示"]),
])
def test_a_list_of_actions_after_a_means_word_is_a_sequence(text, named):
    df = extract_step_sequences(text)
    assert df["found_by"].eq("means").all()
    assert _seqs(text) == [named]


@pytest.mark.parametrize("text", [
    "（虚构）委员通过走访、座谈、调研等方式收集民意。",                       # closed by 等: a menu of ways
    "（虚构）通过专题报告、政协信息、新闻报道、大会发言等多种途径推动成果转化。",  # channels
    "（虚构）通过发言、讨论、提问、解答，把协商引向深入。",                    # not all actions, one step
    "（虚构）政协通过政治协商、民主监督、参政议政，服务大局。",                # the three functions
    "（虚构）通过调研、视察、协商相结合的方式履职。",
    "（虚构）群众通过线上、线下、电话反映问题。",
])
def test_lists_after_a_means_word_that_are_not_sequences(text):
    assert extract_step_sequences(text).empty


def test_narrated_stages_without_a_last_stage_and_in_traditional_script():
    text = "（虚构）议事会上，主持人首先通报议题征集情况，然后居民代表逐一发言，接着进行协商讨论。"
    assert _seqs(text) == [["通报议题征集情况", "居民代表逐一发言", "协商讨论"]]
    text = "（虚构）會前，委員深入村組調研，列出問題清單；會後，形成協商報告，報送鎮黨委。"
    assert _steps(text) == [["research", "collect_topics", "report_results", "report_results"]]
    # three stages that name one action only are no sequence
    assert extract_step_sequences("（虚构）首先参观展厅，然后听取汇报，接着座谈交流。").empty


# ----------------------------------------------------------------------------- shared objects, phases, 先…再…

@pytest.mark.parametrize("text, named, found_by", [
    ("（虚构）形成了“群众点单、政协派单、委员接单、群众评单”的工作闭环。",
     ["群众点单", "政协派单", "委员接单", "群众评单"], "step_word"),
    ("（虚构）坚持会前调研、会中协商、会后督办，形成闭环。", ["会前调研", "会中协商", "会后督办"], "phases"),
    ("（虚构）委员们先走访群众收集问题，再开展调研论证，然后召开协商会议，最后跟踪落实。",
     ["走访群众收集问题", "调研论证", "召开协商会议", "跟踪落实"], "narrated"),
])
def test_shared_objects_phases_and_first_then_are_sequences(text, named, found_by):
    df = extract_step_sequences(text)
    assert _seqs(text) == [named]
    assert df["found_by"].eq(found_by).all()


@pytest.mark.parametrize("text", [
    "（虚构）中心设有议事室、活动室、阅览室等功能室，规范了工作流程。",   # shared last character, no verbs
    "（虚构）他先后担任村主任、村支书，再到镇里工作，最后调任县政协。",   # a career, no actions of a meeting
    "（虚构）要先进带后进，再创佳绩，最后实现共同富裕。",
    "（虚构）力求形成民事民议、民事民办、民事民管的基层协商格局。",       # 管 is no step verb
])
def test_neighbours_of_shared_objects_phases_and_first_then_are_not(text):
    assert extract_step_sequences(text).empty


def test_a_list_whose_last_two_items_are_joined_by_he():
    # 、 between the first items and 和 before the last: four items, the last two split (虚构)
    seq = extract_step_sequences("（虚构）实行收集、交办、办理和反馈，形成闭环。")
    assert seq["named"].tolist() == ["收集", "交办", "办理", "反馈"]
    # a list of topics closed by 等 stays no sequence
    assert extract_step_sequences("（虚构）围绕教育、医疗和养老等问题开展协商。").empty
