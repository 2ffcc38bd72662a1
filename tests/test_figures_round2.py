"""Counted-thing attribution, round 2 (issue 13 item 2): error categories of the extra set and
neighbouring phrasings written to stress-test the rules.

All sentences are FICTIONAL, written for these tests (marked （虚构）); none comes from a report,
the dev set or the extra set.
"""
from __future__ import annotations

import pytest
from mining_helpers import counted, rows

from govlab.coding import extract_figures
from govlab.corpus import clean_text

# ----------------------------------------------------------------------------- enumeration closed by 等

@pytest.mark.parametrize("text, expected", [
    # the class noun after the measure word, even when unknown and behind a quoted brand
    ("（虚构）区政协先后确立了东园社区、西湖社区等6个“小微协商”示范点位。", ["示范点位"]),
    ("（虚构）选取桃园村、李庄村等8个试点村。", ["村"]),  # the head of 试点村
    # a known noun after the measure word, as before
    ("（虚构）在东园社区、西湖社区等5个社区开展试点。", ["社区"]),
])
def test_an_enumeration_closed_by_deng_leaves_the_noun_after(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- words between two figures

@pytest.mark.parametrize("text, expected", [
    # the words between two figures name the second one: the first counts the noun before it
    ("（虚构）为村庄安装路灯30余盏捐资8万余元。", ["路灯", "捐资"]),
    ("（虚构）新建路灯50盏投资8万元，惠及群众300人。", ["路灯", "投资", "群众"]),
    # ... unless the second figure has a noun of its own after it
    ("（虚构）在5个村3名委员的带动下完成了任务。", ["村", "委员"]),
    # a known noun before the first figure, qualifiers dropped
    ("（虚构）共有委员3名群众代表12名。", ["委员", "群众代表"]),
    ("（虚构）资助困难学生10名助学金2万元。", ["学生", "助学金"]),  # the head of 困难学生
])
def test_words_between_two_figures_name_the_second(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- nominalised events

@pytest.mark.parametrize("text, expected", [
    ("（虚构）他今年已开展8余次民意收集。", ["民意收集"]),
    ("（虚构）他今年已开展8次民情走访，收集意见20条。", ["民情走访", "意见"]),
    # a verb with an object after it is a predicate
    ("（虚构）开展3次调研收集意见。", ["调研"]),
    # persons doing something: the persons
    ("（虚构）组织5名委员走访。", ["委员"]),
])
def test_a_verb_ending_the_clause_after_an_event_measure_word_is_the_event(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- campaign names with numerals

@pytest.mark.parametrize("text, expected", [
    # a one-character verb before a numeral is a word of its own (进百村 is 进 + 百村)
    ("（虚构）百名委员进百村活动启动。", ["委员"]),
    ("（虚构）千名委员进万家活动。", ["委员"]),
    # a figure inside quotes reads no further than them
    ("（虚构）开展“百名委员联百企”活动。", []),  # a quoted campaign name (guide: slogan numerals)
])
def test_numerals_in_campaign_names(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- totals opening a clause

@pytest.mark.parametrize("text, expected", [
    ("（虚构）全市街镇、村居委员工作室实现全覆盖，共建成156个。", ["委员工作室"]),
    ("（虚构）全市街镇、村居委员工作室实现全覆盖，已全部建成156个。", ["委员工作室"]),
    ("（虚构）全市委员工作室实现全覆盖，其中新建56个。", ["委员工作室"]),
    # a noun opening the clause is no qualifier: nothing is inherited across the comma
    ("（虚构）全市委员工作室实现全覆盖，群众满意156个。", ["群众满意"]),
])
def test_a_total_after_qualifiers_and_verbs_counts_the_noun_of_the_clause_before(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("（虚构）每场参会群众在30人左右。", [(30.0, 30.0, "人", "群众", True)]),
    ("（虚构）议事会成员保持在15人以内。", [(15.0, 15.0, "人", "成员", True)]),
])
def test_the_noun_before_zai_and_a_number(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("（虚构）全村386户。", ["户"]),      # the whole is not what is counted
    ("（虚构）全镇2.3万人。", ["人"]),
    ("（虚构）全县政协委员286名。", ["委员"]),
])
def test_a_whole_before_the_number_is_not_counted(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- precision: per-capita measures

@pytest.mark.parametrize("text", [
    "（虚构）人均可支配收入2.3万元，户均增收3000元。",
    "（虚构）平均每户种植果树20棵。",
    "（虚构）村民人均年收入达1.5万余元。",
])
def test_per_capita_measures_are_not_counts(text):
    assert rows(text) == []


# ----------------------------------------------------------------------------- units as modifiers

@pytest.mark.parametrize("text, expected", [
    # a unit with its alternatives, then no known noun: the unit (as for 街镇 + an unknown word)
    ("（虚构）依托8个镇（街道）联络委开展活动。", ["镇(街道)"]),
    # ... and a known noun after it is the head
    ("（虚构）依托8个镇（街道）政协联络室开展活动。", ["联络室"]),
    # an admin unit before 级 is a modifier: 村级养老院 counts homes
    ("（虚构）全市建成2个公建民营的村级养老院。", ["养老院"]),
    ("（虚构）建成3个村级议事会。", ["议事会"]),
])
def test_units_as_modifiers(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a verb (及 … 反映) before 的: the noun ends at the first stop, not after 的
    ("（虚构）南巷6户居民9家饭店及周边商铺反映的噪音问题得到解决。", ["居民", "饭店"]),
    # the words after a figure are its own: the next figure does not reach back to them
    ("（虚构）走访8户居民12家商铺。", ["居民", "商铺"]),
    # a relative clause before 的 with no stop word is still dropped
    ("（虚构）打造了5个富有特色的委员之家。", ["委员之家"]),
])
def test_relative_clauses_and_the_words_of_the_figure_before(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- spaced-out web pages

@pytest.mark.parametrize("text, expected", [
    ("（虚构）全省建立 1.9 万个 \" 有事好商量 \" 协商议事室。", [(19000.0, 19000.0, "个", "协商议事室", False)]),
    ("（虚构）全省建立 2 个 委员之家 。", [(2.0, 2.0, "个", "委员之家", False)]),
    ("（虚构）全省已有 3 万 多名委员参与。", [(30000.0, 30000.0, "名", "委员", True)]),
    # unspaced text: a space after the measure word ends the phrase (a list written with spaces)
    ("（虚构）建成“委员之家”3个 “有事好商量”议事室5个。",
     [(3.0, 3.0, "个", "委员之家", False), (5.0, 5.0, "个", "议事室", False)]),
])
def test_spaces_around_numbers_magnitudes_and_quotes(text, expected):
    assert rows(text) == expected


# ----------------------------------------------------------------------------- events are not places

@pytest.mark.parametrize("text, expected", [
    ("（虚构）至少参加 1 次市(县)区的协商议事活动。", ["活动"]),
    ("（虚构）参加了3场镇级的议事会。", ["议事会"]),
    # a place before 的 after a count of units is what is counted
    ("（虚构）走访了3个村的委员。", ["村"]),
])
def test_a_place_before_de_modifies_an_event(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- precision: measures

@pytest.mark.parametrize("text", [
    "（虚构）一条3米余宽、80米长的长廊建成。",
    "（虚构）修缮道路3.5公里，硬化路面2000平方米。",
    "（虚构）流转土地500亩，该村海拔800米。",
])
def test_lengths_and_areas_count_nothing(text):
    assert extract_figures(text, "t").empty


# ----------------------------------------------------------------------------- phrases with no known noun

@pytest.mark.parametrize("text, expected", [
    # the words of an unknown noun phrase end at a verb, adjective or adverb (jieba)
    ("（虚构）崭新的9盏路灯整齐排列。", ["路灯"]),
    # ... but a phrase that does not open with a noun is read whole
    ("（虚构）提出12条具体要求。", ["具体要求"]),
    # a one-character noun that starts a longer noun is that noun (区域, 村庄), not a place word (区中)
    ("（虚构）路灯将在4个区域安装。", ["区域"]),
    ("（虚构）全市8个区中仅有2个设立了议事厅。", ["区", "区"]),
])
def test_unknown_nouns_are_read_by_words(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a verb whose object (persons) ends the phrase: its subject is counted
    ("（虚构）共有68家住户感谢政协委员。", ["住户"]),
    ("（虚构）走访12家企业服务群众。", ["企业"]),
    # persons before a further noun modify it; a verb modifying a noun is no predicate
    ("（虚构）组建8个委员帮扶群众小组。", ["小组"]),
    ("（虚构）解决了12个社区治理难题。", ["难题"]),
])
def test_a_verb_with_persons_as_its_object_ends_the_noun(text, expected):
    assert counted(text) == expected


def test_lamps_counted_by_a_specific_measure_word_across_the_text():
    text = "（虚构）村口新装了9盏路灯。\n这批灯分在4个区域安装，共计37盏（含3米高杆路灯29盏）。"
    assert counted(text) == ["路灯", "区域", "路灯", "高杆路灯"]


def test_money_worth_in_kind():
    assert counted("（虚构）区政协捐赠了价值3.2万元的太阳能路灯。") == ["太阳能路灯"]


@pytest.mark.parametrize("text, expected", [
    # words after the last known noun that end in a noun are the head (head-final)
    ("（虚构）开通12个委员信箱。", ["信箱"]),
    ("（虚构）建立12份委员履职档案。", ["履职档案"]),
    ("（虚构）组建8个群众文艺团队。", ["文艺团队"]),
    ("（虚构）今年已办理56件群众诉求。", ["群众诉求"]),
    # a predicate after a known noun is not
    ("（虚构）共有10个村民小组通力合作。", ["村民小组"]),
])
def test_nouns_after_the_last_known_noun(text, expected):
    assert counted(text) == expected


def test_goods_worth_an_amount():
    assert counted("（虚构）发放药品价值2万余元。") == ["药品"]


def test_an_enumeration_of_units_before_an_organ_and_a_predicate():
    # 市、县政协参观指导: the organ and what follows it are dropped, the units kept together
    assert counted("（虚构）联络室先后接待过20余个市、县政协参观指导。") == ["市(县)"]


@pytest.mark.parametrize("text, expected", [
    # a verb with its object after an event count is a predicate: the count counts itself
    ("（虚构）他曾两次获评优秀委员。", ["次"]),
    # a verb alone ending the clause after an event count is the event
    ("（虚构）今年开展5次走访。", ["走访"]),
    # ... and so is the verb right before an event count
    ("（虚构）累计开展调研走访12次。", ["调研走访"]),
    ("（虚构）先后走访12次。", ["走访"]),
    # persons are not events: a verb before a count of persons names nothing
    ("（虚构）议事厅可容纳50人。", ["人"]),
])
def test_verbs_around_event_counts(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- pinyin glosses of web pages

# The cleaning removes the glosses (govlab.corpus.clean, step gloss) before any figure is read; these
# check the two together, as every reader of govlab's corpus or evaluation gets them.
@pytest.mark.parametrize("text, expected", [
    ("（虚构）全市24个(gè)镇(zhèn)区(qū)将实现全覆盖。", ["镇区"]),
    ("（虚构）全市建成24个委员工作室(shì)，8个议事会。", ["委员工作室", "议事会"]),
    ("（虚构）共有12名群众(zhòng)代表参加。", ["群众代表"]),
])
def test_glosses_after_the_number_are_cleaned_away(text, expected):
    assert counted(clean_text(text).text) == expected


def test_a_duration_cut_by_a_gloss_is_no_count():
    assert rows(clean_text("（虚构）经近两个(gè)月的调研，方案出台。").text) == []


# ----------------------------------------------------------------------------- approximations and 人数

@pytest.mark.parametrize("text, expected", [
    ("（虚构）参会人数约150人。", [(150.0, 150.0, "人", "人", True)]),         # a verb before 人数 names nothing
    ("（虚构）参会委员人数达45人。", [(45.0, 45.0, "人", "委员", False)]),     # a noun before 人数 does
    ("（虚构）到场委员不下50人。", [(50.0, 50.0, "人", "委员", True)]),        # 不下: at least
    ("（虚构）有将近一半的村民参与投票。", [(50.0, 50.0, "%", "村民", True)]),
    ("（虚构）建成委员之家15家，其中示范点5家。",
     [(15.0, 15.0, "家", "委员之家", False), (5.0, 5.0, "家", "示范点", False)]),
])
def test_approximations_and_counted_by(text, expected):
    assert rows(text) == expected


def test_a_long_unknown_noun_is_kept_whole():
    assert counted("（虚构）建立了3支巾帼志愿服务队。") == ["巾帼志愿服务队"]
