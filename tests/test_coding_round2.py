"""Open-vocabulary coding, round 2 (issue 13, items 3 and 4): problems named by state cues, lists and
proposal titles; platforms, localities and actors the first round missed.

Every sentence here is FICTIONAL, written for these tests (marked （虚构）); none comes from a report.
"""
from __future__ import annotations

import pytest

from govlab.coding import code_text


def _codes(text, category=None):
    df = code_text(text)
    if category is not None:
        df = df[df["category"] == category]
    return df[["code", "matched"]].values.tolist()


def _matched(text, category):
    return [m for _, m in _codes(text, category)]


# ----------------------------------------------------------------------------- problems

@pytest.mark.parametrize("sentence, phrase", [
    ("（虚构）巷子里路面坑洼不平，雨天难走。", "路面坑洼不平"),
    ("（虚构）小区里休闲设施匮乏。", "休闲设施匮乏"),
    ("（虚构）村里的排水管道老旧。", "排水管道老旧"),
    ("（虚构）楼道里三轮车违规停放。", "三轮车违规停放"),
    ("（虚构）委员帮居民解决身边的闹心事。", "闹心事"),
    ("（虚构）及时了解群众所思、所盼。", "所思、所盼"),
    ("（虚构）过去村民夜里只能摸黑出行。", "摸黑出行"),
    ("（虚构）会上大家谈得最多的是菜场卫生问题。", "菜场卫生问题"),
    ("（虚构）街道把厕所改造列为今年的实事。", "厕所改造"),
])
def test_problems_named_by_a_state_or_a_cue(sentence, phrase):
    assert phrase in _matched(sentence, "problem")


@pytest.mark.parametrize("sentence", [
    "（虚构）委员督促问题整改落实到位。",  # a verb before 问题: an object, not a named problem
    "（虚构）他们推动问题解决。",
    "（虚构）居民对这次改造很满意。",
    "（虚构）从项目背景、预期效果等方面展开讨论。",  # 等方面 closes topics of talk, not problems
])
def test_no_problem_without_a_named_issue(sentence):
    assert _matched(sentence, "problem") == []


def test_proposal_titles_and_lists_closed_by_a_kind_of_issue():
    codes = _codes("（虚构）委员提交了“关于整治河道淤塞的建议”等提案。", "problem")
    assert ["problem.topic", "整治河道淤塞"] in codes
    found = _matched("（虚构）会议聚焦农村饮水、村道拓宽、渡口搬迁等问题。", "problem")
    assert {"农村饮水", "村道拓宽", "渡口搬迁"} <= set(found)
    assert "山塘清淤" in _matched("（虚构）推动山塘清淤、村道拓宽等项目落地。", "problem")
