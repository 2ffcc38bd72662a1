"""Open-vocabulary coding, round 2 (issue 13, items 3 and 4): problems named by state cues, lists and
proposal titles; platforms, localities and actors the first round missed.

Every sentence here is FICTIONAL, written for these tests (marked （虚构）); none comes from a report.
"""
from __future__ import annotations

import pytest
from mining_helpers import codes as _codes
from mining_helpers import matched as _matched

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


# ----------------------------------------------------------------------------- platforms

@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）各镇设立“政协委员工作联络组”。", "platform.township_office", "政协委员工作联络组"),
    ("（虚构）我们界别协商工作室常年开放。", "platform.sector", "界别协商工作室"),
    ("（虚构）市政协工商界别青溪活动组来到村里。", "platform.sector", "界别青溪活动组"),
    ("（虚构）依托“有事来协商·邻里茶话会”平台。", "platform.brand", "邻里茶话会"),
    ("（虚构）社区的“老街坊调解工作室”很受欢迎。", "platform.other", "“老街坊调解工作室”"),
    ("（虚构）工作室与人大联民工作站合署办公。", "platform.other", "人大联民工作站"),
    ("（虚构）村委会成立了监督小组。", "platform.other", "监督小组"),
    ("（虚构）每月开展政协委员接待日活动。", "platform.other", "政协委员接待日活动"),
    ("（虚构）完善委员联系界别群众制度。", "platform.other", "委员联系界别群众制度"),
    ("（虚构）会后形成协商报告，列出问题清单。", "platform.document", "协商报告"),
    ("（虚构）会后形成协商报告，列出问题清单。", "platform.document", "问题清单"),
    ("（虚构）社情民意联络员列席政协全委会。", "platform.meeting", "政协全委会"),
])
def test_platforms_named_by_structure_round2(sentence, code, matched):
    assert [code, matched] in _codes(sentence, "platform")


def test_no_brand_from_a_slogan_with_a_plus():
    assert _matched("（虚构）探索“公益+产业”帮扶模式。", "platform") == []
    assert _matched("（虚构）推行“2+N”活动模式。", "platform") == []


def test_no_deputies_code_inside_a_congress_station():
    codes = _codes("（虚构）工作室与人大联民工作站合署办公。")
    assert not [m for c, m in codes if c == "actor.deputies"]


# ----------------------------------------------------------------------------- localities

@pytest.mark.parametrize("sentence, matched", [
    ("（虚构）工作室覆盖了所有区县。", "区县"),
    ("（虚构）填补镇街无委员的空白。", "镇街"),
    ("（虚构）各乡镇（街道）都建了议事室。", "各乡镇（街道）"),
    ("（虚构）各地市都在探索。", "各地市"),
])
def test_generic_places(sentence, matched):
    assert ["locality.generic", matched] in _codes(sentence, "locality")


@pytest.mark.parametrize("sentence", [
    "（虚构）省、市两级政协委员参加。",  # an enumeration of levels qualifies the body
    "（虚构）专家为各村组干部授课。",  # 各村组干部: cadres of the villages and groups
])
def test_no_generic_place(sentence):
    assert [c for c, _ in _codes(sentence, "locality") if c == "locality.generic"] == []


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）县政协副主席率驻白沙镇联络站委员开展活动。", "locality.town", "白沙镇"),
    ("（虚构）这一做法被青溪省政协推广。", "locality.province", "青溪省"),
])
def test_places_after_zhu_and_bei(sentence, code, matched):
    assert [code, matched] in _codes(sentence, "locality")


# ----------------------------------------------------------------------------- actors

@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）區政協副主席韓一鳴出席。", "actor.persons", "副主席韓一鳴"),
    ("（虚构）在中共青溪省委领导下开展工作。", "actor.party_committee", "省委"),
    ("（虚构）县市场监督管理局派人到场。", "actor.government", "县市场监督管理局"),
    ("（虚构）县个体劳动者协会捐了款。", "actor.social_orgs", "县个体劳动者协会"),
    ("（虚构）专业施工队进场。", "actor.enterprises", "施工队"),
    ("（虚构）调研组先后考察了三个村。", "actor.participants", "调研组"),
    ("（虚构）组织相关人员到邻县考察。", "actor.participants", "相关人员"),
    ("（虚构）选拔了一批社情民意信息员。", "actor.cppcc_staff", "社情民意信息员"),
    ("（虚构）畅通社会各界诉求表达渠道。", "actor.residents", "社会各界"),
    ("（虚构）三名社区党员代表参加。", "actor.residents", "党员代表"),
    ("（虚构）推进县级政协工作向基层延伸。", "actor.cppcc_committee", "县级政协"),
])
def test_actors_round2(sentence, code, matched):
    assert [code, matched] in _codes(sentence, "actor")


def test_no_actor_inside_a_problem_phrase():
    codes = _codes("（虚构）委员提交了“关于建设干部职工健身公园的建议”。")
    assert ["problem.topic", "建设干部职工健身公园"] in codes
    assert not [m for c, m in codes if c.startswith("actor.") and m in ("干部", "职工")]


def test_districts_ending_in_cheng_or_shan_need_a_lower_unit_or_a_body_after():
    assert ["locality.street", "青城区白沙街道"] in _codes("（虚构）委员来到青城区白沙街道。", "locality")
    assert ["locality.district", "翠山区"] in _codes("（虚构）近年来，翠山区政协开展调研。", "locality")
    assert _matched("（虚构）他们走访了老城区和偏远山区。", "locality") == []
    assert _matched("（虚构）老城区街道狭窄。", "locality") == []


@pytest.mark.parametrize("sentence, phrase", [
    ("（虚构）小区建成多年，小区停车问题突出。", "小区停车问题"),
    ("（虚构）委员帮助解决僵尸车问题。", "僵尸车问题"),
    ("（虚构）今年村里的玉米受旱灾。", "受旱灾"),
])
def test_problem_phrases_start_at_a_phrase_boundary(sentence, phrase):
    assert phrase in _matched(sentence, "problem")


@pytest.mark.parametrize("sentence", [
    "（虚构）坚持问题导向，敢于直面问题。",
    "（虚构）着力解决老旧小区的难题。",  # 老旧 before a noun is no state
    "（虚构）推进升级改造。",
])
def test_no_problem_from_method_words(sentence):
    assert not [m for m in _matched(sentence, "problem") if m in ("坚持问题", "直面问题", "解决老旧", "升级改造")]


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）居民反映楼下管道经常堵塞。", "problem.generic", "管道经常堵塞"),
    ("（虚构）村里饮用水源不安全。", "problem.generic", "饮用水源不安全"),
    ("（虚构）会议围绕集市脏乱差、校门口拥堵等问题开展协商。", "problem.topic", "集市脏乱差"),
    ("（虚构）驻村工作队和乡贤代表参加会议。", "actor.village_cadres", "驻村工作队"),
    ("（虚构）驻村工作队和乡贤代表参加会议。", "actor.residents", "乡贤代表"),
])
def test_neighbouring_phrasings(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_a_civil_affairs_bureau_is_no_resident():
    codes = _codes("（虚构）市民政局负责人陪同。", "actor")
    assert ["actor.government", "市民政局"] in codes
    assert not [m for c, m in codes if c == "actor.residents"]


def test_joint_member_studios_and_no_place_from_a_pronoun():
    assert ["platform.studio", "委员联合工作室"] in _codes("（虚构）青溪乡委员联合工作室开展微协商。", "platform")
    assert "其出村" not in _matched("（虚构）白石村地处深山，其出村道路不平。", "locality")


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）白水县石河联络站的委员说。", "locality.bare", "白水县石河"),  # chained with its county
    ("（虚构）市政协青湖委员工作室挂牌。", "locality.bare", "青湖"),
    ("（虚构）委员走进锦绣花园二期小区。", "locality.compound", "锦绣花园二期小区"),
])
def test_bare_place_names_and_compound_phases(sentence, code, matched):
    assert [code, matched] in _codes(sentence, "locality")


@pytest.mark.parametrize("sentence", [
    "（虚构）东苑社区李青委员工作室开门。",  # a member's name after a community
    "（虚构）我们界别商量工作室开展活动。",
    "（虚构）县政协委员工作室挂牌。",
])
def test_no_bare_place_name(sentence):
    assert [m for c, m in _codes(sentence, "locality") if c == "locality.bare"] == []


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）东湖社区协商驿站召开紧急协商会。", "platform.other", "东湖社区协商驿站"),
    ("（虚构）作者：白杨街道政协委员履职小组", "platform.township_office", "政协委员履职小组"),
    ("（虚构）居民及时与区政协沟通。", "actor.cppcc_committee", "区政协"),
])
def test_real_page_phrasings(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_no_false_names_from_real_page_phrasings():
    assert not [m for c, m in _codes("（虚构）作者：白杨街道政协委员履职小组") if c == "actor.persons"]
    assert "忧解难" not in _matched("（虚构）委员为居民排忧解难。", "problem")
    assert "物业" not in _matched("（虚构）物业公司派人到场。", "problem")
    assert "时与区政协" not in [m for _, m in _codes("（虚构）居民及时与区政协沟通。")]


def test_a_city_cppcc_after_a_copula_keeps_its_own_span():
    assert ["actor.cppcc_committee", "市政协"] in _codes("（虚构）特别是市政协组织委员下沉。", "actor")
