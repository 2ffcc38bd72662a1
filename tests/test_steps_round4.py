"""Tests of govlab.coding.steps, round 4 of issue 13 item 5: step sequences written in forms the
first rounds did not know (dash and hyphen chains, quoted chains, lists closed by their count of
steps, phases of one action, slogan chains), and their neighbours that are not sequences.

Every example sentence is FICTIONAL (marked （虚构）), written for these tests.
"""
from __future__ import annotations

import pytest
from mining_helpers import sequence_steps as _steps
from mining_helpers import sequences as _seqs

from govlab.coding import code_text, extract_step_sequences


def _found_by(text):
    df = extract_step_sequences(text)
    return [g["found_by"].iloc[0] for _, g in df.groupby("sequence", sort=True)]


# ----------------------------------------------------------------------------- dashes, hyphens, tildes

@pytest.mark.parametrize("sep", ["-", "--", "-->", "―", "－", "～", "~", "——", "——>", "–"])
def test_dashes_hyphens_and_tildes_join_the_steps_of_a_chain(sep):
    text = f"（虚构）街道议事按照收集议题{sep}调研论证{sep}民主协商{sep}跟踪督办的流程推进。"
    assert _seqs(text) == [["收集议题", "调研论证", "民主协商", "跟踪督办"]]
    assert _steps(text) == [["collect_topics", "research", "consult", ""]]


@pytest.mark.parametrize("sep", ["->", "-->", "——", "——>", "－"])
def test_arrows_and_long_dashes_need_no_step_word(sep):
    text = f"（虚构）街道议事按照收集议题{sep}调研论证{sep}民主协商{sep}跟踪督办推进。"
    assert _seqs(text)[0][:3] == ["收集议题", "调研论证", "民主协商"]


@pytest.mark.parametrize("text", [
    "（虚构）网上办事-办事指南-在线办理-政务公开",              # a menu line
    "（虚构）街道议事按照收集议题-调研论证-民主协商-跟踪督办推进。",  # no quotes, no step word
    "（虚构）主页 | 受理～交办～办结 | 联系我们",
])
def test_hyphen_and_tilde_chains_need_quotes_or_a_step_word(text):
    assert extract_step_sequences(text).empty


def test_a_quoted_hyphen_chain_needs_no_step_word():
    assert _seqs("（虚构）街道坚持“收集议题-调研论证-民主协商”。") == [["收集议题", "调研论证", "民主协商"]]


def test_a_traditional_hyphen_chain_keeps_its_spelling_and_maps():
    text = "（虚构）街道推行“調研-協商-落實”閉環。"
    assert _seqs(text) == [["調研", "協商", "落實"]]
    assert _steps(text) == [["research", "consult", "implement"]]


def test_an_unquoted_hyphen_chain_named_by_a_traditional_step_word_is_a_sequence():
    assert _seqs("（虚构）街道推行調研-協商-督辦閉環。") == [["調研", "協商", "督辦"]]


@pytest.mark.parametrize("text", [
    "（虚构）本站导航：政协动态-委员风采-理论研究-文史资料",   # section names, no actions
    "（虚构）航线途经北京-上海-广州三地。",                    # places
    "（虚构）值班时间为周一～周三～周五。",                    # days
])
def test_dash_lists_of_things_are_not_sequences(text):
    assert extract_step_sequences(text).empty


# ----------------------------------------------------------------------------- quoted chains

def test_a_quoted_chain_needs_one_canonical_step():
    text = "（虚构）街道形成了“线索培育-跟踪问效-成果转化”工作链。"
    assert _seqs(text) == [["线索培育", "跟踪问效", "成果转化"]]
    assert _steps(text) == [["", "", "implement"]]


def test_the_same_chain_unquoted_needs_two_canonical_steps():
    assert extract_step_sequences("（虚构）街道形成了线索培育-跟踪问效-成果转化工作链。").empty


def test_a_quoted_chain_of_things_is_not_a_sequence():
    assert extract_step_sequences("（虚构）打造“文化长廊-成果转化-休闲广场”。").empty


# ----------------------------------------------------------------------------- closed by a count

@pytest.mark.parametrize("text, named", [
    ("（虚构）村里做到登记、转办、督查和回访四到位。", ["登记", "转办", "督查", "回访"]),
    ("（虚构）围绕确定议题、组织调研、召开协商会等五个环节推进。", ["确定议题", "组织调研", "召开协商会"]),
    ("（虚构）通过抓住收集意见、组织协商座谈、跟踪问效等6个环节，规范议事。",
     ["收集意见", "组织协商座谈", "跟踪问效"]),
    ("（虚构）坚持征集议题、审定议题、反馈结果三道程序。", ["征集议题", "审定议题", "反馈结果"]),
])
def test_a_list_of_actions_closed_by_its_count_of_steps_is_a_sequence(text, named):
    assert _seqs(text) == [named]
    assert _found_by(text) == ["count"]


@pytest.mark.parametrize("text", [
    "（虚构）做到人员、经费、场地、制度四到位。",              # things, not actions
    "（虚构）做到受理、转办、办结五到位。",                    # the count is not the list's
    "（虚构）涉及住房、交通、教育等12个领域。",                # not a count of steps
    "（虚构）做到登记、建账、回访和群众满意度测评工作四到位。",  # an item too long to be a step name
])
def test_lists_closed_by_other_counts_are_not_sequences(text):
    assert extract_step_sequences(text).empty


def test_steps_of_a_counted_list_are_coded():
    codes = code_text("（虚构）村里做到受理、转办、办结和回访四到位。")
    steps = codes[codes["category"] == "step"]
    assert "step.feedback" in steps["code"].tolist()


# ----------------------------------------------------------------------------- phases of one action

@pytest.mark.parametrize("text, named", [
    ("（虚构）听取群众意见贯穿协商前、协商中和协商后。", ["协商前", "协商中", "协商后"]),
    ("（虚构）会前、会中、会后都有专人记录。", ["会前", "会中", "会后"]),
    ("（虚构）加强办理前、办理中以及办理后的沟通。", ["办理前", "办理中", "办理后"]),
])
def test_phases_of_one_action_are_a_sequence(text, named):
    assert _seqs(text) == [named]
    assert _found_by(text) == ["phases"]


@pytest.mark.parametrize("text", [
    "（虚构）加强节前、节中、节后的安全检查。",                # phases of a holiday, not of an action
    "（虚构）听取群众意见贯穿协商后、协商中和协商前。",        # not in order
    "（虚构）比较考试前、考试中和考试后的心率。",              # phases of a thing
])
def test_other_phases_are_not_sequences(text):
    assert extract_step_sequences(text).empty


# ----------------------------------------------------------------------------- slogan chains

def test_a_slogan_chain_maps_by_its_lone_verbs():
    text = "（虚构）议事会坚持问题群众提、议题集体定、事项专班办、成效大家评。"
    assert _seqs(text) == [["问题群众提", "议题集体定", "事项专班办", "成效大家评"]]
    assert _steps(text) == [["collect_topics", "", "implement", "evaluate"]]
    assert _found_by(text) == ["slogan"]


def test_a_slogan_chain_with_arrows_maps_by_its_verbs():
    text = "（虚构）流程是问题群众提→议题集体定→事项专班办→成效大家评。"
    assert _steps(text) == [["collect_topics", "", "implement", "evaluate"]]


def test_a_slogan_chain_cut_inside_its_last_item_is_kept():
    text = "（虚构）议事会坚持问题群众提、议题集体定、事项专班办、成效"
    assert _seqs(text) == [["问题群众提", "议题集体定", "事项专班办", "成效"]]


@pytest.mark.parametrize("text", [
    "（虚构）社区开展微协商、实施微监督、推动微落实。",        # step words as objects, not lone verbs
    "（虚构）倡导大事共商量、难事共同办、好事共分享。",        # one lone step verb only
    "（虚构）做到有人管、有人办、有人评。",                    # duties
    "（虚构）坚持马上办、马上办、马上办。",                    # one verb repeated
])
def test_lists_like_slogan_chains_that_are_not_sequences(text):
    assert extract_step_sequences(text).empty


# ----------------------------------------------------------------------------- places and bodies

def test_a_chain_of_places_is_not_a_sequence():
    assert extract_step_sequences("（虚构）镇里建成楼栋议事角→小区协商议事室→社区议事中心三级阵地。").empty


def test_building_the_platform_stays_a_step():
    text = "（虚构）流程为搭建平台→收集议题→开展协商→结果反馈。"
    assert _steps(text) == [["build_platform", "collect_topics", "consult", "feedback"]]
