"""Actors found by structure (issue 13, actors): persons named by name after a title or in lists,
bodies named after a place, CPPCC bodies below the county, departments, heads of units.

Every sentence here is FICTIONAL, written for these tests (marked （虚构）); none comes from a report,
and every name in it is invented.
"""
from __future__ import annotations

import pytest
from mining_helpers import codes as _codes
from mining_helpers import matched as _matched

from govlab.coding.actors import person_name_spans, place_body_spans
from govlab.corpus import clean_text


def _persons(sentence):
    return [m for c, m in _codes(sentence, "actor") if c == "actor.persons"]


def _covered(sentence, name):
    """Whether a persons match covers ``name``."""
    return any(name in m for m in _persons(sentence))


# ----------------------------------------------------------------------------- persons

@pytest.mark.parametrize("sentence, names", [
    # a title, then a name and the names of the 、-list that continues it
    ("（虚构）县政协主席林某峰，副主席马某高、徐某联合视察。", ["林某峰", "马某高", "徐某"]),
    ("（虚构）副主席杜某忠、张某军、王某军、李某、叶某，秘书长孟某出席会议。",
     ["杜某忠", "张某军", "王某军", "李某", "叶某", "孟某"]),
    # a level before 领导 makes it a title
    ("（虚构）县领导唐某初、王某晖、颜某峰等参加。", ["唐某初", "王某晖", "颜某峰"]),
    # the dictionary ends the name where the next word starts (付某 + 介绍)
    ("（虚构）管委主任付某介绍开发区的情况。", ["付某"]),
    ("（虚构）馆长王某青讲收藏故事。", ["王某青"]),
    # the last name of a list may follow 和; one space may follow the title
    ("（虚构）牵头委员王某芳和何某君的思路不谋而合。", ["王某芳", "何某君"]),
    ("（虚构）县政协主席 林某峰出席。", ["林某峰"]),
    # a list closed by 等 and a person noun, or by a count and a person noun
    ("（虚构）会上，董某杰、桂某、林某棕等驻镇委员发言。", ["董某杰", "桂某", "林某棕"]),
    ("（虚构）集团党委将支持靳某伟、李某瑞等政协委员亮明身份。", ["靳某伟", "李某瑞"]),
    ("（虚构）乔某东等市政协委员作了交流发言。", ["乔某东"]),
    ("（虚构）冯某彩、黎某清、梁某卫四名委员轮流值班。", ["冯某彩", "黎某清", "梁某卫"]),
    # pinyin glosses left by a broken page conversion are removed by the cleaning first
    (clean_text("（虚构）支持靳某伟、李某瑞等政协（xié)委员亮明身份。").text, ["靳某伟", "李某瑞"]),
])
def test_persons_named_by_name_in_context(sentence, names):
    for name in names:
        assert _covered(sentence, name), (name, _persons(sentence))


def test_a_name_after_a_title_ends_before_the_next_word():
    assert "付某介" not in "".join(_persons("（虚构）管委主任付某介绍开发区的情况。"))
    assert _persons("（虚构）管委主任付某介绍开发区的情况。") == ["主任付某"]


@pytest.mark.parametrize("sentence", [
    "（虚构）陈某某一边记录一边点头。",            # a lone name without a title or a list: not coded
    "（虚构）枣园湾、竹林湾等4个自然湾都装了灯。",  # a count without a person noun; 林 ends the word 竹林
    "（虚构）参会领导和群众代表发言。",            # 和 after a title is a conjunction, not a surname
    "（虚构）湖南省长沙县政协召开会议。",          # 省长 inside a place name; no name ends in 县
    "（虚构）每位领导包联一个重点项目。",          # 领导 without a level is no title (包联 is a verb)
    "（虚构）由镇党委书记任组长，政协主席任第一召集人。",  # 任 before a title or an ordinal is a verb
])
def test_no_person_without_a_name(sentence):
    assert _persons(sentence) == []


def test_person_name_spans_directly():
    t = "（虚构）会上，董某杰、桂某等驻镇委员发言。"
    assert [t[s:e] for s, e in person_name_spans(t)] == ["董某杰", "桂某"]


# ----------------------------------------------------------------------------- bodies

def test_bodies_named_after_a_place():
    t = "（虚构）白山市青石区政协和石桥村党支部一起调研。"
    got = [(c, t[s:e]) for c, s, e in place_body_spans(t, [(4, 7), (7, 10), (13, 16)])]
    assert got == [("actor.cppcc_committee", "白山市青石区政协"), ("actor.party_committee", "石桥村党支部")]
    assert "白山市青石区政协" in _matched("（虚构）白山市青石区政协开展视察。", "actor")
    assert "青石村党支部" in _matched("（虚构）青石村党支部组织党员议事。", "actor")


@pytest.mark.parametrize("sentence, body", [
    ("（虚构）政协第九届青山市委员会召开会议。", "政协第九届青山市委员会"),
    ("（虚构）中国人民政治协商会议青山市委员会发来贺信。", "中国人民政治协商会议青山市委员会"),
    ("（虚构）青山市县两级政协要把委员之家建好。", "两级政协"),
    ("（虚构）各县市政协打造了自己的品牌。", "各县市政协"),
    ("（虚构）局长介绍了自治州政协的做法。", "自治州政协"),
])
def test_cppcc_committees_by_full_name_and_level(sentence, body):
    assert any(body in m for m in _matched(sentence, "actor")), _matched(sentence, "actor")


@pytest.mark.parametrize("sentence, body", [
    ("（虚构）白水街道政协工委组织委员视察。", "白水街道政协工委"),
    ("（虚构）县政协白水镇联络组的委员们到社区。", "县政协白水镇联络组"),
    ("（虚构）委员们走访了政协联络组。", "政协联络组"),
])
def test_cppcc_bodies_below_the_county_are_actors_and_platforms(sentence, body):
    assert body in _matched(sentence, "actor")
    assert _matched(sentence, "platform")


def test_liaison_work_committee_is_a_special_committee_not_a_platform():
    t = "（虚构）区政协联络工作委员会牵头组织。"
    assert ["actor.special_committees", "联络工作委员会"] in _codes(t, "actor")
    assert _matched(t, "platform") == []


@pytest.mark.parametrize("sentence, actor", [
    ("（虚构）区卫生和健康局、城建局派人参加。", "区卫生和健康局"),
    ("（虚构）区卫生和健康局、城建局派人参加。", "城建局"),
    ("（虚构）需要上级部门解决的问题逐级上报。", "上级部门"),
    ("（虚构）双河街道负责同志参加调研。", "负责同志"),
    ("（虚构）与试点村有关负责人交流。", "有关负责人"),
    ("（虚构）桥东街有关领导出席。", "有关领导"),
    ("（虚构）机关有关委室负责落实。", "有关委室"),
    ("（虚构）联合区欧亚同学会开展敬老活动。", "区欧亚同学会"),
    ("（虚构）业主代表和物业公司负责人到场协商。", "业主代表"),
    ("（虚构）业主代表和物业公司负责人到场协商。", "物业公司"),
    ("（虚构）沿街商家也来了。", "沿街商家"),
    ("（虚构）网络主题采访团走进议事现场。", "采访团"),
    ("（虚构）媒体记者团来到村里。", "记者团"),
    ("（虚构）社区两委成员和党员代表参加协商。", "社区两委成员"),
])
def test_departments_heads_owners_and_associations(sentence, actor):
    assert any(actor in m for m in _matched(sentence, "actor")), _matched(sentence, "actor")


@pytest.mark.parametrize("sentence", [
    "（虚构）形成了新的发展格局。",
    "（虚构）要有大局意识。",
])
def test_no_department_in_common_words_ending_in_ju(sentence):
    assert [c for c, _ in _codes(sentence, "actor") if c == "actor.government"] == []


def test_docstring_examples_of_the_actors_module():
    import doctest

    import govlab.coding.actors as mod

    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("text", [
    "（虚构）本报通讯员周小青、记者李明报道。",
    "（虚构）青溪日报讯（通讯员李小河记者王大川）委员来到村里。",
    "（虚构）文/图：黄小燕",
])
def test_bylines_are_no_actors(text):
    # the annotation guide (§2): bylines, authors, editors and sources are not coded
    assert not any(c == "actor.persons" for c, _ in _codes(text))
