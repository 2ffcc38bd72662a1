"""Open-vocabulary coding (issue 13, items 3 and 4): place names by structure with a dictionary test
of their stems, platforms by structure, actors and problems by generic cues.

Every sentence here is FICTIONAL, written for these tests (marked （虚构）); none comes from a report.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from mining_helpers import codes as _codes
from mining_helpers import matched as _matched

from govlab.coding import code_text, load_codebook, parse_codebook
from govlab.coding.coding import common_word_in_stem, subject_items
from govlab.corpus import clean_text
from govlab.errors import ConfigError

# ----------------------------------------------------------------------------- localities

@pytest.mark.parametrize("stem, word", [
    ("整合", "整合"), ("优化", "优化"), ("满足", "满足"), ("引导", "引导"), ("发展", "发展"),  # verbs
    ("让更多", "更多"),  # a verb and an adverb before 市 of 市民
    ("利用", "利用"),  # tagged a noun in the dictionary, but far too frequent to be a name
])
def test_common_words_are_no_name_stems(stem, word):
    assert common_word_in_stem(stem) == word


@pytest.mark.parametrize("stem", ["青溪", "白沙", "东湖", "长沙", "大官庄", "石家"])
def test_name_stems_pass(stem):
    assert common_word_in_stem(stem) is None


@pytest.mark.parametrize("sentence", [
    "（虚构）为了让更多市民参与协商，街道整合社区资源。",
    "（虚构）优化社区服务，利用社区阵地，满足社区居民需求，引导社区群众参与。",
    "（虚构）发展社区经济，带动县域发展。",
    "（虚构）委员及时跟市场监管部门沟通。",
])
def test_verb_phrases_before_a_suffix_are_no_places(sentence):
    assert _matched(sentence, "locality") == []


def test_real_place_names_survive_the_stem_test():
    codes = _codes("（虚构）委员走进东湖社区，又到白沙镇前进村和青山乡下坪村调研。", "locality")
    assert ["locality.community", "东湖社区"] in codes
    # 前进 is a verb, 乡下 a word, but each follows a kept name of a higher unit: the chain holds
    assert ["locality.village", "白沙镇前进村"] in codes
    assert ["locality.village", "青山乡下坪村"] in codes


def test_place_inside_a_cppcc_committee_name():
    assert ["locality.province", "青溪省"] in _codes("（虚构）政协青溪省委员会召开常委会。", "locality")
    assert ["locality.city", "白河市"] in _codes("（虚构）政协白河市委员会组织调研。", "locality")


def test_hamlets_and_compounds():
    assert ["locality.hamlet", "金石村吴家湾"] in _codes("（虚构）金石村吴家湾的路灯亮了。", "locality")
    assert _matched("（虚构）委员走访了杨树湾、柳林湾等三个自然湾。", "locality") == ["杨树湾", "柳林湾"]
    assert _matched("（虚构）船只驶入港湾避风。", "locality") == []
    assert ["locality.compound", "青枫花苑小区"] in _codes("（虚构）委员到青枫花苑小区与居民座谈。", "locality")
    assert _matched("（虚构）推进老旧小区改造。", "locality") == []


def test_name_suffixes_must_be_a_list_of_strings(tmp_path: Path):
    data = {"categories": [{"id": "locality", "zh": "地方", "en": "places", "definition": "d",
                            "name_suffixes": "市"}],
            "codes": [{"id": "locality.city", "category": "locality", "zh": "市", "en": "city",
                       "definition": "d", "patterns": {"regex": ["[一-龥]{2}市"]}}]}
    with pytest.raises(ConfigError, match=r"categories\.locality\.name_suffixes.*list of strings"):
        parse_codebook(data)
    data["categories"][0]["name_suffixes"] = ["市"]
    assert parse_codebook(data).categories[0].name_suffixes == ("市",)


def test_shipped_locality_category_declares_its_suffixes():
    cat = next(c for c in load_codebook().categories if c.id == "locality")
    assert {"省", "市", "县", "区", "镇", "乡", "村", "社区", "街道"} <= set(cat.name_suffixes)


# ----------------------------------------------------------------------------- platforms

@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）县政协协商议事平台牵线搭桥。", "platform.other", "县政协协商议事平台"),
    ("（虚构）工作站是委员联系群众的基层协商平台。", "platform.other", "基层协商平台"),
    ("（虚构）小区推出“有事先商量”议事平台。", "platform.brand", "有事先商量"),
    ("（虚构）县政协组建协商民主小组。", "platform.council", "协商民主小组"),
    ("（虚构）区政协白沙镇工作联络组组织学习。", "platform.township_office", "政协白沙镇工作联络组"),
    ("（虚构）镇里组织政协工作组外出考察。", "platform.township_office", "政协工作组"),
    ("（虚构）县政协就停车问题开展专题协商。", "platform.meeting", "专题协商"),
    ("（虚构）委员与居民开展协商座谈。", "platform.meeting", "协商座谈"),
    ("（虚构）每个社区设一个社情民意征集点。", "platform.opinion_point", "社情民意征集点"),
    ("（虚构）街道建成人大代表工作站。", "platform.other", "人大代表工作站"),
])
def test_platforms_named_by_structure(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_a_bare_platform_word_is_no_platform_name():
    assert _matched("（虚构）政协是重要的协商平台。", "platform") == []


def test_a_longer_meeting_name_is_not_cut():
    assert ["platform.meeting", "协商咨政会"] in _codes("（虚构）区政协召开专题协商咨政会。")


def test_no_actor_inside_a_deputies_station():
    assert _matched("（虚构）街道建成人大代表工作站。", "actor") == []


# ----------------------------------------------------------------------------- actors

@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）各村（居）支部书记和村联络员参加了学习。", "actor.village_cadres", "村（居）支部书记"),
    ("（虚构）各村（居）支部书记和村联络员参加了学习。", "actor.village_cadres", "村联络员"),
    ("（虚构）下夜班的工人也来了。", "actor.residents", "工人"),
    ("（虚构）协商民主小组成员到小区座谈。", "actor.participants", "协商民主小组成员"),
    ("（虚构）议事会全体成员和参会人员合影。", "actor.participants", "议事会全体成员"),
    ("（虚构）议事会全体成员和参会人员合影。", "actor.participants", "参会人员"),
    ("（虚构）青溪县人大常委会派员参加。", "actor.deputies", "青溪县人大常委会"),
    ("（虚构）城管执法大队和市政管理所派人到场。", "actor.government", "城管执法大队"),
    ("（虚构）城管执法大队和市政管理所派人到场。", "actor.government", "市政管理所"),
    ("（虚构）区包点单位负责人到场。", "actor.government", "包点单位"),
    ("（虚构）镇政协联络员记录意见。", "actor.cppcc_staff", "政协联络员"),
])
def test_actors_by_generic_structure(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_media_names_and_bare_titles_are_no_actors():
    assert _matched("（虚构）此事被人民政协网和人民政协报报道。", "actor") == []
    assert not [m for c, m in _codes("（虚构）会上，主席强调要把好事办好。") if c == "actor.persons"]


# ----------------------------------------------------------------------------- problems

@pytest.mark.parametrize("sentence, matched", [
    ("（虚构）委员帮助解决群众买菜难等问题。", "买菜难"),
    ("（虚构）聚焦群众关注的热点和难点问题。", "热点和难点问题"),
    ("（虚构）把居民的急难愁盼记在本子上。", "急难愁盼"),
    ("（虚构）村里有九处照明盲区。", "九处照明盲区"),
    ("（虚构）小区的排污管道出现故障。", "管道出现故障"),
    ("（虚构）居民对改造方案存在顾虑。", "存在顾虑"),
    ("（虚构）帮扶生活困难群众。", "生活困难"),
])
def test_problems_named_by_generic_cues_with_the_phrase_as_evidence(sentence, matched):
    assert ["problem.generic", matched] in _codes(sentence)


@pytest.mark.parametrize("sentence, matched", [
    ("（虚构）雨污管网改造提上日程。", "雨污管网"),
    ("（虚构）小区里乱搭乱建很多。", "乱搭乱建"),
    ("（虚构）河沟发黑发臭。", "发黑发臭"),
    ("（虚构）村里推进亮化工程。", "亮化"),
])
def test_named_livelihood_issues(sentence, matched):
    assert ["problem.livelihood", matched] in _codes(sentence)


@pytest.mark.parametrize("sentence", [
    "（虚构）克服困难，把事办好。",
    "（虚构）这件事很难。",
    "（虚构）他进退两难，说难也难。",
    "（虚构）防范自然灾难。",
    "（虚构）议事室运转顺利，群众满意。",
])
def test_no_problem_without_a_problem_cue(sentence):
    assert _matched(sentence, "problem") == []


def test_a_quoted_brand_before_a_known_platform_is_part_of_its_evidence():
    codes = _codes("（虚构）县里打造“紫菱”委员工作室和“有事好商量”协商议事室。", "platform")
    assert ["platform.studio", "“紫菱”委员工作室"] in codes
    assert ["platform.room", "“有事好商量”协商议事室"] in codes
    # a quotation that does not touch the platform word is not its brand
    assert ["platform.studio", "委员工作室"] in _codes("（虚构）他说“好”，委员工作室开门了。", "platform")


def test_quoted_brands_must_be_a_flag():
    data = {"categories": [{"id": "platform", "zh": "平台", "en": "platforms", "definition": "d",
                            "quoted_brands": "yes"}],
            "codes": [{"id": "platform.hall", "category": "platform", "zh": "厅", "en": "hall",
                       "definition": "d", "patterns": {"terms": ["议事厅"]}}]}
    with pytest.raises(ConfigError, match=r"categories\.platform\.quoted_brands.*true or false"):
        parse_codebook(data)


def test_pinyin_glosses_of_a_broken_page_conversion_are_cleaned_before_coding():
    text = clean_text("（虚构）县政协（xié)组织协（xié)商民主小组成员开展专题协（xié)商，共开（kāi)展社区活动。").text
    df = code_text(text)
    assert all(text[s:e] == m for s, e, m in zip(df["start"], df["end"], df["matched"]))
    codes = df[["code", "matched"]].values.tolist()
    assert ["platform.council", "协商民主小组"] in codes
    assert ["platform.meeting", "专题协商"] in codes
    # 共开展 is a verb phrase, not a place
    assert not [m for c, m in codes if c.startswith("locality.")]
    # brackets without a tone mark are no gloss, and do not stop a match before them
    assert ["platform.meeting", "专题协商"] in _codes("（虚构）开展专题协商(abc)。")


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）委员所在的白河化工集团捐了款。", "actor.enterprises", "白河化工集团"),
    ("（虚构）市政协农业农村委派员参加。", "actor.special_committees", "农业农村委"),
    ("（虚构）商会会长李明出席，董事长王小河表示支持。", "actor.persons", "会长李明"),
    ("（虚构）商会会长李明出席，董事长王小河表示支持。", "actor.persons", "董事长王小河"),
])
def test_enterprises_committees_and_officials(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_a_vague_company_is_not_a_named_enterprise():
    assert not [m for c, m in _codes("（虚构）由当地一家公司承建。") if c == "actor.enterprises"]


def test_named_platform_documents_with_no_actor_inside():
    text = "（虚构）县里印发《政协青溪县委员会关于推进委员工作室建设的意见》。"
    codes = _codes(text)
    assert ["platform.document", "《政协青溪县委员会关于推进委员工作室建设的意见》"] in codes
    assert not [m for c, m in codes if c.startswith("actor.")]
    assert not [m for c, m in _codes("（虚构）委员们学习了《民法典》。") if c == "platform.document"]


def test_dictionary_place_names_before_a_suffix():
    codes = _codes("（虚构）委员从安徽省桐城市黄甲镇来到呼和浩特市政协。", "locality")
    # 城市 made the structural pattern read 桐城市 as "city"; the dictionary knows 桐城 as a place
    assert ["locality.town", "安徽省桐城市黄甲镇"] in codes
    # 和 made it start after "and"; the dictionary name 呼和浩特 straddles that start
    assert ["locality.city", "呼和浩特市"] in codes
    # a suffix that begins a word (市民, 市场) and frequent dictionary words (古城, 京城) are no names
    assert _matched("（虚构）古城区域的市民和京城市场。", "locality") == []


def test_dictionary_names_must_map_to_codes_of_the_category():
    data = {"categories": [{"id": "locality", "zh": "地方", "en": "places", "definition": "d",
                            "dictionary_names": {"市": "locality.town"}}],
            "codes": [{"id": "locality.city", "category": "locality", "zh": "市", "en": "city",
                       "definition": "d", "patterns": {"regex": ["[一-龥]{2}市"]}}]}
    with pytest.raises(ConfigError, match=r"categories\.locality\.dictionary_names\.市.*locality\.town"):
        parse_codebook(data)
    data["categories"][0]["dictionary_names"] = ["市"]
    with pytest.raises(ConfigError, match=r"categories\.locality\.dictionary_names.*mapping"):
        parse_codebook(data)


def test_studio_names_with_a_member_or_a_sector_are_coded_whole():
    assert ["platform.studio", "陈小河委员工作室"] in _codes("（虚构）居民常去陈小河委员工作室反映问题。", "platform")
    codes = _codes("（虚构）县政协工商联界委员工作室开门接待。")
    assert ["platform.sector", "工商联界委员工作室"] in codes
    # 工商联 is a modifier inside the platform name, not an actor here
    assert not [m for c, m in codes if c == "actor.enterprises"]
    assert ["platform.studio", "委员工作室"] in _codes("（虚构）街道设立委员工作室。", "platform")


def test_a_name_that_starts_inside_a_place_name_takes_the_whole_place():
    codes = _codes("（虚构）呼和浩特市政协组织调研。")
    assert ["actor.cppcc_committee", "呼和浩特市政协"] in codes
    assert ["locality.city", "呼和浩特市"] in codes


def test_level_words_are_no_name_stems():
    assert _matched("（虚构）首页 > 县区动态 > 乡镇社区", "locality") == []
    assert ["locality.city", "新乡市"] in _codes("（虚构）委员来到新乡市调研。", "locality")


def test_no_member_code_inside_a_members_room():
    codes = _codes("（虚构）镇政协委员议事室里坐满了人。")
    assert ["platform.room", "政协委员议事室"] in codes
    assert not [m for c, m in codes if c.startswith("actor.")]
    assert _matched("（虚构）物业公司就新港花苑小区的情况作了介绍。", "locality") == ["新港花苑小区"]


# ----------------------------------------------------------------------------- consultation subjects

@pytest.mark.parametrize("sentence, items", [
    # a list after a cue of aim, closed by 等 and a kind of matter (also 等一系列议题, 等6个方面问题)
    ("（虚构）委员们围绕村道硬化、渠道清淤和路灯维修等问题协商。", ["村道硬化", "渠道清淤", "路灯维修"]),
    ("（虚构）多名委员就补贴标准、审批流程等一系列议题建言。", ["补贴标准", "审批流程"]),
    ("（虚构）一上午，修建小游园、铺设石板路、解决屋顶渗漏等3个方面问题被认领。",
     ["修建小游园", "铺设石板路", "解决屋顶渗漏"]),
    # quoted items next to each other
    ("（虚构）围绕“楼道照明”“小区停车”等基层矛盾，走访居民。", ["楼道照明", "小区停车"]),
    # a subject followed by the act of consulting on it
    ("（虚构）会议围绕青石村农田灌溉站建设充分协商。", ["青石村农田灌溉站建设"]),
    ("（虚构）委员针对茶叶品种改良、山区学前教育开展调研视察。", ["茶叶品种改良", "山区学前教育"]),
])
def test_subjects_of_a_consultation_are_problem_items(sentence, items):
    assert [m for c, m in _codes(sentence, "problem") if c == "problem.topic"] == items


@pytest.mark.parametrize("sentence", [
    "（虚构）会议围绕中心工作开展协商。",  # a kind of matter, not a matter
    "（虚构）委员在文化传承、公益宣传等方面作出贡献。",  # 等方面: fields, not subjects
    "（虚构）与社区干部、居民代表等组成议事队伍。",  # actors, not matters
    "（虚构）紧紧围绕镇党委、政府中心工作搭建协商平台。",  # 协商 of a platform name is no act
])
def test_lists_that_are_no_subjects_are_not_coded(sentence):
    assert [m for c, m in _codes(sentence, "problem") if c == "problem.topic"] == []


def test_a_clause_is_no_subject_item():
    # 了 marks a clause (详细了解了…), not the name of a matter
    assert subject_items("（虚构）随后，委员们详细了解了站点建设等问题。") == []
    assert [m for _, _, m in subject_items("（虚构）随后，站点建设等问题被提出。")] == ["站点建设"]


@pytest.mark.parametrize("sentence, matched", [
    # a named matter with a predicate of deficiency or damage
    ("（虚构）由于水泵老化，灌溉用水紧张。", "水泵老化"),
    ("（虚构）村口早晚堵车严重。", "村口早晚堵车严重"),
    ("（虚构）办理手续繁琐，审批流程漫长。", "审批流程漫长"),
    ("（虚构）现有车位远不能满足需求。", "现有车位远不能满足"),
    ("（虚构）办证涉及部门众多。", "部门众多"),
    ("（虚构）旱季井里已经很难打上水。", "很难打上水"),
    # a longer matter + 难 inside an enumeration
    ("（虚构）主要是场地协调难、住户意见统一难。", "住户意见统一难"),
    # a named state of affairs that exists or is to be solved
    ("（虚构）社区存在楼道堆放杂物现象。", "楼道堆放杂物现象"),
    # a named matter + 难题 that is to be solved
    ("（虚构）委员助力破解小区充电难题。", "小区充电难题"),
])
def test_problems_named_by_a_predicate_of_deficiency(sentence, matched):
    assert ["problem.generic", matched] in _codes(sentence)


@pytest.mark.parametrize("sentence", [
    "（虚构）委员们帮助困难家庭渡过难关。",  # 困难 of a group to help is no named matter
    "（虚构）暴雨给出行带来严重影响。",  # 严重 qualifies the effect, not a matter
    "（虚构）这样的机会很难得。",  # 很难得: rare, no difficulty
])
def test_predicates_that_name_no_matter(sentence):
    assert [m for c, m in _codes(sentence, "problem") if c == "problem.generic"] == []


@pytest.mark.parametrize("sentence", [
    "（虚构）把收集到的集中问题上报。",  # a word of quantity before 问题 names no matter
    "（虚构）委员就群众的利益问题建言。",
    "（虚构）这件事亟待解决。",  # 亟待解决 follows a matter, it names none
    "（虚构）提案涉及文化、旅游、农业等领域。",  # 等领域: a list of fields, a topic
    "（虚构）聚焦村级协商，搭建议事阵地。",  # 村级协商 is a compound, not 村级 + an act of consulting
])
def test_generic_kinds_fields_and_compounds_are_no_problems(sentence):
    assert _matched(sentence, "problem") == []


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）政协就“老街排水改造”召开座谈会。", "problem.topic", "老街排水改造"),  # a quoted subject after 就
    ("（虚构）这栋楼至今没有安装电梯。", "problem.generic", "没有安装电梯"),  # a facility not there yet
    ("（虚构）村东头有一条断头路。", "problem.livelihood", "断头路"),
])
def test_quoted_subjects_missing_facilities_and_named_nuisances(sentence, code, matched):
    assert [code, matched] in _codes(sentence)
