"""Counted-thing attribution and figure precision on phrasings govlab was not built on (issue 13).

Every rule is tested on sentences of its error category. All sentences are FICTIONAL, written
for these tests (marked （虚构）); none comes from a report, the dev set or the extra set.
"""
from __future__ import annotations

import pytest
from mining_helpers import counted, rows

from govlab.coding import extract_figures
from govlab.corpus import clean_text

# ----------------------------------------------------------------------------- alternatives in brackets

@pytest.mark.parametrize("text, expected", [
    # admin units with abbreviated alternatives: kept as written
    ("（虚构）全区9个镇（街）、142个村（居）实现全覆盖。", ["镇(街)", "村(居)"]),
    # a noun with a one- or two-character alternative, after and before the number
    ("（虚构）全县设立委员工作室（站）46个。", ["委员工作室(站)"]),
    ("（虚构）建成12个议事会（厅）。", ["议事会(厅)"]),
    # an alternative measure word in brackets is skipped
    ("（虚构）共有86项（件）履职成果被采纳。", ["成果"]),
])
def test_bracketed_alternatives(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- units, organs, compounds

@pytest.mark.parametrize("text, expected", [
    ("（虚构）全市x个县区政协已出台办法。", ["县区"]),           # an organ after a unit counts the unit
    ("（虚构）区政协在12个镇街设立联络站，在86个村居设立议事点。", ["镇街", "村居"]),
    ("（虚构）该村有村民小组11个、农户860户。", ["村民小组", "农户"]),  # the word, not its last character
    ("（虚构）此次协商共有12个部门负责人参加。", ["负责人"]),
])
def test_units_compounds_and_words(text, expected):
    assert counted(text) == expected


def test_levels_after_an_enumeration_of_multi_character_units():
    assert rows("（虚构）实现了区、街道、社区三级全覆盖。") == [(3.0, 3.0, "级", "三级", False)]


# ----------------------------------------------------------------------------- heads and phrases

@pytest.mark.parametrize("text, expected", [
    # head-final past the last known noun
    ("（虚构）组建了6支委员志愿服务队。", ["志愿服务队"]),
    ("（虚构）打造了7条“委员示范街”。", ["委员示范街"]),
    # ... but never for persons, nor for a two-character verb in quotes
    ("（虚构）共有12名区政协委员“组团”进驻。", ["委员"]),
    ("（虚构）全区x个镇尚未建站，3个社区正在建站。", ["镇", "社区"]),
    # a relative clause before 的: the head after it
    ("（虚构）为到场10名已建设委员工作室的委员授牌。", ["委员"]),
    # a coordination with no noun in its first part shares the head of the second
    ("（虚构）每季度开展一次集中学习或调研活动。", ["活动"]),
    # a predicate right after the measure word: the noun came before
    ("（虚构）文明实践站28个、委员工作站12个同步挂牌。", ["文明实践站", "委员工作站"]),
    ("（虚构）委员提出的19条建议中，已有15条落地见效。", ["建议", "建议"]),
])
def test_heads_and_phrases(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a verb before the noun is no part of it
    ("（虚构）新建口袋公园5处，安装监控探头46个。", ["口袋公园", "监控探头"]),
    ("（虚构）累计化解矛盾纠纷45起。", ["矛盾纠纷"]),
    # a verb phrase before the number names nothing: the person noun 人 itself
    ("（虚构）议事厅可容纳50人。", ["人"]),
    # a stop word inside a compound with a one-character head does not cut it
    ("（虚构）已建成各级委员工作站46个，社情民意征集点32个。", ["委员工作站", "社情民意征集点"]),
    # 人 is a noun, not a measure word: what follows it is a predicate
    ("（虚构）组长带领一行14人赴邻镇考察议事室建设。", ["一行"]),
    # an enumeration ending in 等 before the number
    ("（虚构）邀请群众代表、专家学者等120人次参加协商。", ["学者"]),
])
def test_the_noun_before_the_number(text, expected):
    assert counted(text) == expected


def test_pinyin_glosses_are_gone_before_the_figures_are_read():
    text = clean_text("（虚构）共开展社区(qū)活动(dòng)21次，收集意见(jiàn)建议17条。").text
    assert counted(text) == ["活动", "意见建议"]


# ----------------------------------------------------------------------------- changes and ranges

@pytest.mark.parametrize("text, expected", [
    ("（虚构）委员联系点由去年的20个增加到今年的35个。", ["联系点", "联系点"]),
    ("（虚构）试点由3个扩大到15个。", ["试点", "试点"]),
    ("（虚构）知晓率从35%提升至82%。", ["知晓率", "知晓率"]),
    ("（虚构）办事效率提升60%。", ["办事效率"]),
])
def test_a_change_counts_the_same_thing_twice(text, expected):
    assert counted(text) == expected


def test_a_range_of_percentages_is_one_share():
    assert rows("（虚构）50%至70%的村建立了议事会。") == [(50.0, 70.0, "%", "村", False)]


# ----------------------------------------------------------------------------- money by kind

@pytest.mark.parametrize("text, expected", [
    ("（虚构）募集善款12.6万元。", ["善款"]),
    ("（虚构）项目总投入达2300万元。", ["总投入"]),
    ("（虚构）带动村集体增收8万元。", ["增收"]),
    ("（虚构）发放慰问金3万元。", ["慰问金"]),
    ("（虚构）协调解决资金缺口约60万元。", ["资金"]),  # 缺口 names no money: 资金
])
def test_money_is_named_by_the_word_before_it(text, expected):
    assert counted(text) == expected


# ----------------------------------------------------------------------------- numerals and approximations

def test_round_numbers_after_shang_are_approximate():
    assert rows("（虚构）议事厅共接待群众上千人次。") == [(1000.0, 1000.0, "人次", "群众", True)]


@pytest.mark.parametrize("text, expected", [
    # one per period is a quota
    ("（虚构）每季度开展一次集中学习，每周三由一名委员轮值。", [(1.0, "次"), (1.0, "名")]),
    # ... but 每一 is "every", and 一 alone is an article
    ("（虚构）精心设计每一次活动，召开一次议事会议。", []),
])
def test_one_counts_per_period_only(text, expected):
    assert [(r[0], r[2]) for r in rows(text)] == expected


@pytest.mark.parametrize("text, unit, counted_", [
    ("（虚构）调拨了50盏太阳能路灯。", "盏", "太阳能路灯"),
    ("（虚构）栽种树苗300棵。", "棵", "树苗"),
    ("（虚构）首批对2单元加装电梯。", "单元", ""),
])
def test_more_measure_words(text, unit, counted_):
    got = rows(text)
    assert len(got) == 1 and got[0][2] == unit and got[0][0] == pytest.approx(got[0][1])
    if counted_:
        assert got[0][3] == counted_


def test_a_verb_after_the_noun_ends_it():
    assert rows("（虚构）首批对2个单元加装电梯。") == [(2.0, 2.0, "个", "单元", False)]


def test_an_event_measure_word_counts_itself_when_nothing_else_does():
    assert rows("（虚构）县政协先后4次组织委员走访。") == [(4.0, 4.0, "次", "次", False)]


# ----------------------------------------------------------------------------- precision

@pytest.mark.parametrize("text", [
    "（虚构）一期工程已完工，二期工程明年启动，三期项目正在规划。",   # phases
    "（虚构）活动持续了两个多月，会议开了3个小时。",                  # durations, not counts
    "（虚构）这23个点都已装灯。",                                        # (no earlier figure: kept)
])
def test_phases_and_durations_are_not_counts(text):
    df = extract_figures(text, "t")
    if "这23个点" in text:
        assert df["value"].tolist() == [23.0]
    else:
        assert df[df.kind == "count"].empty, df


def test_a_figure_pointed_back_at_is_given_once():
    df = extract_figures("（虚构）委员走访后找出23处盲区。“这23个点要优先装灯。”", "t")
    assert df["value"].tolist() == [23.0] and df["counted"].tolist() == ["盲区"]
    # 上述 with another measure word is not a restatement of a different thing
    df = extract_figures("（虚构）共8个区参与。除上述8项外，其余未定。", "t")
    assert df["value"].tolist() == [8.0, 8.0]


def test_place_name_after_a_number_is_no_unit():
    assert extract_figures("（虚构）委员视察了xx片区的灾后重建。", "t").empty


# ----------------------------------------------------------------------------- more phrasings

@pytest.mark.parametrize("text", [
    "（虚构）每天早上6点多，清扫车开始作业。",
    "（虚构）晚上8点半，议事会在村部召开。",
    "（虚构）协商会于上午9点开始，持续到11点。",
])
def test_times_of_day_are_not_counts(text):
    assert extract_figures(text, "t").empty


def test_predicates_before_the_number_inherit_the_noun():
    assert counted("（虚构）已受理群众诉求41条，转交相关部门办理29条，当场答复12条。") == ["群众诉求"] * 3


@pytest.mark.parametrize("text, expected", [
    ("（虚构）全村共有386户1420人。", [(386.0, "户", "户"), (1420.0, "人", "人")]),  # not 村, not 户
    ("（虚构）全镇人口3.6万。", [(36000.0, "", "人口")]),              # a magnitude with the noun before it
    ("（虚构）从一个委员工作室发展到现在的28个。", [(28.0, "个", "委员工作室")]),
    ("（虚构）由1名市政协委员担任站长。", [(1.0, "名", "委员")]),
    ("（虚构）添置桌椅50套。", [(50.0, "套", "桌椅")]),
])
def test_more_nouns_before_and_after(text, expected):
    assert [(r[0], r[2], r[3]) for r in rows(text)] == expected


@pytest.mark.parametrize("text, value, counted_", [
    ("（虚构）居民参与度提高了近两成。", 20.0, "居民参与度"),
    ("（虚构）近六成的村建立了议事会。", 60.0, "村"),
])
def test_approximate_tenths(text, value, counted_):
    assert rows(text) == [(value, value, "%", counted_, True)]


@pytest.mark.parametrize("text", [
    "（虚构）坚持三个聚焦，做到四个到位，实现两个转变。",   # unquoted slogan numerals
    "（虚构）他家住6栋2单元。",                             # an address
])
def test_slogans_and_addresses_are_not_counts(text):
    df = extract_figures(text, "t")
    assert df[df.kind == "count"].empty, df


def test_slogan_rule_keeps_counts_of_nouns():
    assert counted("（虚构）委员们讨论了三个方面的问题，成立了两个支部。") == ["方面", "支部"]


def test_class_hours_are_durations():
    df = extract_figures("（虚构）培训时长共计12学时。", "t")
    assert df["kind"].tolist() == ["duration"]


def test_a_total_opening_its_clause_counts_the_noun_of_the_clause_before():
    assert counted("（虚构）全市乡镇、街道协商议事室实现全覆盖，共计156个。") == ["协商议事室"]
    # never for a unit that counts itself
    assert counted("（虚构）全村有11个村民小组，2700多人。") == ["村民小组", "人"]


def test_a_predicate_after_a_post_nominal_count_is_not_the_noun():
    assert counted("（虚构）共有区、镇两级委员45名进驻。") == ["两级委员", "委员"]


def test_tenths_in_arabic_numerals():
    assert rows("（虚构）已有6成以上的镇街建成议事厅。") == [(60.0, 60.0, "%", "镇街", True)]
    assert extract_figures("（虚构）5成员参加。", "t").empty


@pytest.mark.parametrize("text, expected", [
    ("（虚构）村里来了两三个干部。", (2.0, 3.0, "个", "干部", True)),
    ("（虚构）收集了七八条意见。", (7.0, 8.0, "条", "意见", True)),
    ("（虚构）来了三四十名群众。", (30.0, 40.0, "名", "群众", True)),
    ("（虚构）组织了数十名委员。", (10.0, 10.0, "名", "委员", True)),
])
def test_rough_chinese_numerals(text, expected):
    assert rows(text) == [expected]


def test_persons_had_by_a_body_are_not_the_body():
    # 议事会有…人: the council has them; 委员共有…人: there are that many members
    assert counted("（虚构）每场议事会有十到二十人参加。") == ["人"]
    assert counted("（虚构）全区政协委员共有286人。") == ["委员"]


def test_a_rate_word_before_zai():
    assert counted("（虚构）办理率在九成左右。") == ["办理率"]


def test_admin_alternatives_before_the_number_keep_their_commas():
    assert counted("（虚构）覆盖县（市、区）11个、乡（镇、街道）140个。") == ["县(市、区)", "乡(镇、街道)"]


def test_names_joined_by_a_middle_dot_have_their_head_last():
    assert counted("（虚构）打造12个“委员之家·议事厅”。") == ["议事厅"]


def test_money_after_a_verb_of_exceeding():
    assert counted("（虚构）村集体经济收入突破50万元。") == ["收入"]


def test_spaces_around_numbers_and_qualifiers():
    assert rows("（虚构）组织委员 120 余人次 参加活动，建成工作站 46 个。") == [
        (120.0, 120.0, "人次", "委员", True), (46.0, 46.0, "个", "工作站", False)]


def test_an_adverb_after_the_measure_word_leaves_the_noun_to_the_figure_before():
    assert counted("（虚构）共形成协商成果××项，其中32项已经办结。") == ["成果", "成果"]


@pytest.mark.parametrize("text, expected", [
    ("（虚构）全年共报送社情民意信息85篇，被省政协采用12篇。", ["社情民意信息", "社情民意信息"]),
    ("（虚构）今年计划新建委员之家5个，改造提升10个。", ["委员之家", "委员之家"]),
])
def test_a_verb_before_the_number_leaves_the_noun_of_the_figure_before(text, expected):
    assert counted(text) == expected
