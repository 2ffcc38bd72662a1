"""Counted things, round 3 (session 6): error classes seen on the extra, final and the two fresh sets.

Every sentence here is written by the project (虚构); none comes from a real report.
"""
from __future__ import annotations

import pandas as pd
import pytest
from mining_helpers import counted, rows

from govlab.coding import extract_figures
from govlab.evaluate import score_figures


@pytest.mark.parametrize("text, expected", [
    # a count of levels names the levels with the noun they qualify, as written
    ("（虚构）组织三级政协委员走进社区。", ["三级政协委员"]),
    ("（虚构）市县两级政协要支持委员之家。", ["两级政协"]),
    ("（虚构）实行四级政协工作召集人制度。", ["四级政协"]),
    # an enumeration of levels between a count and its noun qualifies the noun
    ("（虚构）共邀请88名省、市、区三级政协委员参与。", ["委员", "三级政协委员"]),
    ("（虚构）以60名自治区、甲市、乙县三级政协委员为主体。", ["委员", "三级政协委员"]),
])
def test_levels_and_the_noun_they_qualify(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a count of persons ends before its verb: the persons are the subject
    ("（虚构）组织20名委员走进社区开展协商。", ["委员"]),
    ("（虚构）10多名委员集聚甲村调研。", ["委员"]),
    ("（虚构）12位委员来到村里。", ["委员"]),
    ("（虚构）10名委员帮扶困难群众。", ["委员"]),
])
def test_a_count_of_persons_ends_before_its_verb(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("（虚构）驻镇委员和四个村（居）书记分别发言。", ["书记"]),   # secretaries are persons, no organ
    ("（虚构）在8个街镇联络组设立议政室。", ["街镇联络组"]),            # a body of each unit
    ("（虚构）三个界别组都与社区结对。", ["界别组"]),                   # the group of a known noun
    ("（虚构）共有12名区政协委员“组团”进驻。", ["委员"]),               # not a group: a verb
    ("（虚构）在19个街镇辖区村（社区）打造示范点。", ["街镇"]),          # places within each unit
    ("（虚构）完成社区委员议事室建设7个。", ["议事室"]),                # the noun built before the count
    ("（虚构）村里的4口机电灌溉井建于上世纪。", ["机电灌溉井"]),        # a possessor before the count
    ("（虚构）新建15个由界别组组长担任召集人的流动委员工作站。", ["委员工作站"]),  # 由…的 relative clause
])
def test_compounds_groups_and_possessors(text, expected):
    assert counted(text) == expected


def test_the_unit_that_holds_a_count_is_not_what_it_counts():
    assert counted("（虚构）该市共有18台电梯投入使用。")[0].startswith("电梯")
    assert counted("（虚构）本镇共有委员工作站3个。") == ["委员工作站"]
    assert "市" not in counted("（虚构）该市共有18台。")


def test_shares_rates_and_money_by_kind():
    assert counted("（虚构）在委员提出的106条意见建议中，54.77%已经落地。") == ["意见建议", "意见建议"]
    assert counted("（虚构）收到提案388件，办结率和满意率均达99%以上。") == ["提案", "办结率", "满意率"]
    assert counted("（虚构）委员们以每年1000元的标准资助学生。")[0] == "标准"
    assert counted("（虚构）合作社当年销售了60万元。") == ["销售"]


def test_ordinals_are_kept_apart_or_dropped():
    df = extract_figures("（虚构）要发挥首个委员工作站的示范作用。", "t")
    assert df["kind"].tolist() == ["ordinal"] and df["value"].tolist() == [1.0]
    assert rows("（虚构）他们分别是十四届、十五届县政协委员。") == []
    assert counted("（虚构）县政协十六届四次会议共收到提案92件。") == ["提案"]


def test_a_chinese_numeral_before_a_unit_after_a_preposition():
    assert counted("（虚构）活动在两县开展，覆盖八村。") == ["县", "村"]
    assert counted("（虚构）一区二区三区的广告。") == []


def test_ratio_and_ordinal_rows_are_not_scored_and_repeats_share_a_head():
    pred = pd.DataFrame({"doc_id": ["a"] * 4, "kind": ["ratio", "ordinal", "count", "count"],
                         "value": [3.0, 1.0, 3.0, 3.0], "counted": ["停车位", "工作站", "三级政协委员", "三级委员"],
                         "approx": [False] * 4, "start": [0, 5, 10, 20]})
    gold = pd.DataFrame({"doc_id": ["a"], "value": [3.0], "counted_zh": ["三级政协委员"], "approx": [False]})
    scores, _ = score_figures(pred, gold, ["a"])
    strict = {r["metric"]: (r["numerator"], r["denominator"]) for r in scores if r["category"] == "strict"}
    assert strict == {"recall": (1, 1), "precision": (1, 1)}


@pytest.mark.parametrize("text, expected", [
    # an enumeration of persons after a count of persons is what it counts, as written
    ("（虚构）把40多位政协委员、居民代表和部门负责人联系在一起。", ["政协委员、居民代表和部门负责人"]),
    ("（虚构）先后有10余位农业界别委员及村民代表参加。", ["农业界别委员及村民代表"]),
    ("（虚构）邀请3名市民代表和6名政协委员列席会议。", ["代表", "委员"]),
    # the share of what is named before 占比; a quantity before a number is no noun
    ("（虚构）老年居民占比高达80%以上。", ["居民"]),
    ("（虚构）每层一梯4户。", ["户"]),
    ("（虚构）门口共有底商7个。", ["底商"]),
])
def test_enumerations_of_persons_shares_and_quantities(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("（虚构）成立由镇领导任组长的14人委员履职小组。", ["委员履职小组"]),  # N人 + the group they make
    ("（虚构）成立15人调研组赴外地考察。", ["调研组"]),
    ("（虚构）2700多人参加活动。", ["人"]),                               # else 人 counts itself
    ("（虚构）带动300余农户增收。", ["农户"]),                            # a household noun without measure word
    ("（虚构）把委员划分为8个街道委员联络委员会。", ["委员会"]),
])
def test_groups_of_persons_and_nouns_without_measure_words(text, expected):
    assert counted(text) == expected


def test_the_total_of_an_enumeration_and_ten_thousand_before_a_measure_word():
    assert counted("（虚构）先后视察甲集、乙园、丙湖三乡镇工作室。") == ["乡镇"]
    assert rows("（虚构）五年内办万件实事。")[-1][0] == 10000
    assert counted("（虚构）一区二区三区。") == []          # no enumeration by 、: names, not a total


@pytest.mark.parametrize("text, expected", [
    # a quoted name followed by a verb is the counted thing, whole (its own words may be verbs)
    ("（虚构）为16家“协商驿站”授牌。", ["协商驿站"]),
    ("（虚构）全市共有18台“加装电梯”交付使用。", ["加装电梯"]),
    ("（虚构）建立10个“有事好商量”工作点。", ["工作点"]),        # a quoted brand before a noun is skipped
    # a person noun the lexicon does not know, before its verb
    ("（虚构）20余名果农正跟着农机手学习施肥技术。", ["果农"]),
    # a place before a count holds what is counted; a person before a count and a verb is counted
    ("（虚构）把工作向甲市14个团场延伸。", ["团场"]),
    ("（虚构）委员45名进驻社区。", ["委员"]),
    ("（虚构）搭建乡、村、组三级平台。", ["三级平台"]),
    ("（虚构）广西 0 本报讯", []),                                 # a stray zero counts nothing
])
def test_quoted_names_unknown_persons_places_and_zero(text, expected):
    assert counted(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("（虚构）启动“百名委员联系千户群众”活动。", []),                 # a quoted campaign name: no figure
    ("（虚构）市政协十一届五十七次主席会议审议通过。", []),             # 届…次: the Nth session
    ("（虚构）常住人口每年每人收取10元清运费。", []),                   # per person: a rate
    ("（虚构）调研组一行10余人和村干部座谈。", ["调研组"]),            # a delegation named before 一行
    ("（虚构）副书记张某一行14人到村调研。", ["一行"]),
    ("（虚构）将11.6万多名五级人大代表编入联络站。", ["人大代表", "五级人大代表"]),
    ("（虚构）收到意见建议580条，目前已解决90%。", ["意见建议", "意见建议"]),  # a share of what was counted
    ("（虚构）甲、乙、丙3市。", ["市"]),
    ("（虚构）院内有两栋住宅楼和一片平房区。", ["住宅楼"]),              # a second quantity, a second noun
    ("（虚构）去年举行的两次基层协商会，提出意见。", ["协商会"]),        # a stop that ends a known noun
])
def test_campaigns_sessions_rates_delegations_and_second_quantities(text, expected):
    assert counted(text) == expected


def test_a_unit_noun_that_starts_a_longer_word_is_no_count():
    assert counted("（虚构）拨打12345市民热线。") == []
    assert counted("（虚构）深入甲、乙、丙3市及7个县区。") == ["市", "县区"]


# ----------------------------------------------------------------------------- session 7: formulas

def test_a_quota_is_not_read_inside_a_longer_formula():
    """13+5+X is a formula of three terms, not the quota 5+X."""
    assert extract_figures("（虚构）探索“13+5+X”建设体系。").empty
    assert extract_figures("（虚构）推行“3+N”模式。")["kind"].tolist() == ["quota"]


@pytest.mark.parametrize("text", ["（虚构）居民把问题一一道来。", "（虚构）委员们三三两两走进社区。"])
def test_a_doubled_chinese_digit_is_no_number(text):
    assert extract_figures(text).empty
