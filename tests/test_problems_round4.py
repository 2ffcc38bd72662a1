"""Problem codes, round 4 (issue 13, item 4): the matters a consultation, survey or report names,
found by structure on texts govlab was not built on.

Every sentence here is FICTIONAL, written for these tests (marked （虚构）); none comes from a report.
"""
from __future__ import annotations

import pytest
from mining_helpers import codes as _codes
from mining_helpers import matched as _matched

from govlab.coding.coding import subject_items


def _items(sentence: str) -> list[str]:
    return [m for _, _, m in subject_items(sentence)]


# ----------------------------------------------------------------------------- subjects of a consultation

@pytest.mark.parametrize("sentence, items", [
    # a quoted theme right before the meeting or act it names
    ("（虚构）“东溪桥加固”协商议事会在村部召开。", ["东溪桥加固"]),
    ("（虚构）委员们就“菜场搬迁”展开协商。", ["菜场搬迁"]),
    ("（虚构）镇政协召开“盘活闲置校舍”专题协商会。", ["盘活闲置校舍"]),
    # 以“…”为主题 and 议题为“…”: the whole theme, clauses included, is one item
    ("（虚构）以“整治东溪河道，修复沿岸步道”为主题的议事会举行。", ["整治东溪河道，修复沿岸步道"]),
    ("（虚构）在议题为“扩建村口停车场”的商量中，居民各抒己见。", ["扩建村口停车场"]),
    # a matter made the theme: 把/将 … 作为/列为 … 议题
    ("（虚构）社区把居民关心的楼道照明改造作为议题。", ["楼道照明改造"]),
    ("（虚构）县政协将“山区小学撤并”列为年度重点协商议题。", ["山区小学撤并"]),
])
def test_themes_of_a_consultation_are_subject_items(sentence, items):
    assert _items(sentence) == items


@pytest.mark.parametrize("sentence", [
    "（虚构）“有事好商量”协商议事会开进村里。",  # a brand of consulting, not a matter
    "（虚构）以“倾听民声、汇聚民心”为主题开展活动。",  # a slogan of consulting
    "（虚构）镇里召开“协商在一线”座谈会。",
])
def test_brands_and_slogans_are_no_themes(sentence):
    assert _items(sentence) == []


@pytest.mark.parametrize("sentence, items", [
    ("（虚构）县政协主席调研青石村灌溉站运行情况。", ["青石村灌溉站"]),
    ("（虚构）委员们视察了甲镇污水厂建设、乙村道路拓宽等发展情况。", ["甲镇污水厂建设", "乙村道路拓宽"]),
    ("（虚构）副主席实地督导东街菜市场改造情况。", ["东街菜市场改造"]),
])
def test_the_object_of_a_survey_or_inspection_is_a_subject(sentence, items):
    assert _items(sentence) == items


def test_a_platform_surveyed_by_its_brand_is_no_subject():
    assert _items("（虚构）委员们考察“邻里好商量”议事室建设情况。") == []


@pytest.mark.parametrize("sentence, items", [
    # a list after what residents raised, closed by a kind of matter
    ("（虚构）部门负责人回应了居民反映的楼道堆物、单元门损坏等问题。", ["楼道堆物", "单元门损坏"]),
    ("（虚构）代表听取了选民反映的关于路灯维修、垃圾清运等问题。", ["路灯维修", "垃圾清运"]),
    # closed by 等 and the matters residents care about
    ("（虚构）今年办成实事12件，解决渡口改建、夜班公交延伸等群众关心的热点、难点问题。", ["解决渡口改建", "夜班公交延伸"]),
    # closed by 等 and an act of consulting
    ("（虚构）各方就补偿标准、施工时间等进行协商。", ["补偿标准", "施工时间"]),
    ("（虚构）委员们就山林确权、水库清淤等方面进行了协商讨论。", ["山林确权", "水库清淤"]),
    # a closing word of task is left out of the item
    ("（虚构）针对推进老年助餐工作、改善社区照明等课题，政协开展调研。", ["老年助餐", "改善社区照明"]),
])
def test_more_subject_lists(sentence, items):
    assert _items(sentence) == items


@pytest.mark.parametrize("sentence", [
    "（虚构）从项目背景、预期效果等方面展开讨论。",  # no cue of aim: topics of talk
    "（虚构）委员在文化传承、公益宣传等方面作出贡献。",  # 等方面 without an act of consulting: fields
    "（虚构）随后，委员们详细了解了站点建设等问题。",  # a clause, not a list of matters
])
def test_lists_that_stay_uncoded(sentence):
    assert _items(sentence) == []


# ----------------------------------------------------------------------------- named difficulties

@pytest.mark.parametrize("sentence, phrase", [
    # a matter + 难题 after 的, 聚焦 or 面临
    ("（虚构）协商破解了困扰村民多年的灌溉用水难题。", "灌溉用水难题"),
    ("（虚构）代表们聚焦外来人员落户难题建言。", "外来人员落户难题"),
    # a degree adverb between the matter and the cue of deficiency
    ("（虚构）该镇码头建设相对滞后。", "码头建设相对滞后"),
    # predicates of worsening or limitation
    ("（虚构）两个片区的收入差距越来越大。", "收入差距越来越大"),
    ("（虚构）镇区停车压力日益凸显。", "镇区停车压力日益凸显"),
    ("（虚构）外来务工人员子女入学受限。", "人员子女入学受限"),
    # a matter residents worry about or run into
    ("（虚构）老人们常为找不到晒谷场而烦恼。", "找不到晒谷场"),
    ("（虚构）居民一度因管线迁改忧心忡忡。", "管线迁改"),
    ("（虚构）商户开业前遇到证照延误，政协出面协调。", "证照延误"),
    # a matter asked about in a consultation
    ("（虚构）“新建的充电桩该如何分配？”居民问道。", "充电桩"),
    ("（虚构）大家想知道，河边的旧仓库到底要不要拆？", "旧仓库"),
    # two matters in conflict
    ("（虚构）会上讨论了绿地与车位矛盾。", "绿地与车位矛盾"),
    ("（虚构）城区充电供需矛盾突出。", "城区充电供需矛盾"),
])
def test_problems_named_by_structure(sentence, phrase):
    assert ["problem.generic", phrase] in _codes(sentence, "problem")


@pytest.mark.parametrize("sentence", [
    "（虚构）要鼓励群众多参与协商。",  # 群众 + 多: "more", not 众多
    "（虚构）大家一致同意克服困难修通道路。",  # 克服困难 names no matter
    "（虚构）美中不足的是活动时间太短。",  # an idiom
    "（虚构）委员在协商中寻找问题。",  # a verb before 问题
    "（虚构）对能当场答复的政策问题逐一解答。",  # a kind of question
    "（虚构）近年来面向基层的工作力度越来越大。",  # growth of an effort is no problem
    "（虚构）这些都是基层治理难题。",  # a field + 难题: a generic difficulty
    "（虚构）遇到小事立即解决，大事协商办理。",  # 遇到 + a clause
])
def test_no_problem_from_these_cues(sentence):
    assert [m for c, m in _codes(sentence, "problem") if c == "problem.generic"] == []


def test_a_brand_quoted_before_a_meeting_stays_a_platform():
    assert _matched("（虚构）“有事好商量”协商议事会开进村里。", "problem") == []


@pytest.mark.parametrize("sentence, phrase", [
    ("（虚构）委员们帮商户化解了开张之困。", "开张之困"),
    ("（虚构）主要是看病难、公交班次差等问题。", "公交班次差"),
])
def test_plights_and_poor_conditions_in_a_list(sentence, phrase):
    assert phrase in _matched(sentence, "problem")


def test_a_quoted_theme_is_kept_inside_a_platform_name():
    # “X”协商议事会 is also read as a platform name by structure; X stays the matter consulted on
    assert ["problem.topic", "西岭水渠清淤"] in _codes("（虚构）本次“西岭水渠清淤”协商议事会议定了分工。", "problem")


def test_a_messy_environment_written_as_a_list():
    assert "脏、乱、差" in _matched("（虚构）工地造成了沿路的脏、乱、差。", "problem")
