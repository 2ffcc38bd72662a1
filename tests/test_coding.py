"""Tests of govlab.coding: the codebook, coding with offsets, sections, profiles and loop steps.

Example sentences here are FICTIONAL, written for these tests (other provinces' wordings on purpose).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from govlab.coding import (
    check_codebook_examples,
    code_corpus,
    code_profile,
    code_text,
    extract_loop_steps,
    extract_loops,
    find_sections,
    load_codebook,
    load_loop_steps,
    map_step,
    parse_codebook,
)
from govlab.errors import ConfigError, InputError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cb():
    return load_codebook()


@pytest.fixture(scope="module")
def clean(corpus_dir):
    from govlab.corpus import build_corpus

    return build_corpus(corpus_dir)


# ----------------------------------------------------------------------------- the shipped codebook

def test_shipped_codebook_has_every_category_and_complete_codes(cb):
    cats = {c.id for c in cb.categories}
    assert {"platform", "step", "mechanism", "actor", "topic_source", "problem", "recommendation"} <= cats
    for cat in cats:
        assert len(cb.codes_in(cat)) >= 4, cat
    for code in cb.codes:
        assert code.zh and code.en and code.definition, code.id
        assert code.examples, f"{code.id} has no example"
        assert code.terms or code.regex
    # the mechanisms the issue names are all there
    for needed in ("mechanism.convener", "mechanism.sinking", "mechanism.leader_responsibility",
                   "mechanism.multilevel_linkage", "mechanism.quota", "mechanism.standard_haves",
                   "mechanism.list_system", "mechanism.followup", "mechanism.assessment",
                   "mechanism.party_supervision", "mechanism.funds"):
        cb.code(needed)
    assert cb.figures is not None and cb.figures.classifiers


def test_every_example_is_coded_and_no_counter_example(cb):
    assert check_codebook_examples(cb) == []


def test_codebook_table_is_one_row_per_code(cb):
    t = cb.table()
    assert len(t) == len(cb.codes) and t["code"].is_unique


@pytest.mark.parametrize("sentence, code", [
    ("（虚构）某县打造“民情议事厅”十二处。", "platform.room"),
    ("（虚构）浙江某地推出“请你来协商”平台。", "platform.brand"),
    ("（虚构）社区开通“邻里事好商量”栏目。", "platform.brand"),
    ("（虚构）街道设政协委员服务站。", "platform.workstation"),
    ("（虚构）委员会客厅每周开放。", "platform.member_home"),
    ("（虚构）村里的民主恳谈会讨论了修路。", "platform.council"),
    ("（虚构）委员通过线上协商发表意见。", "platform.online"),
    ("（虚构）镇政协工作联络组每月开会。", "platform.township_office"),
    ("（虚构）推行“2+N”履职模式。", "mechanism.quota"),
    ("（虚构）按照有场所、有制度、有人员的标准建设。", "mechanism.standard_haves"),
    ("（虚构）每位副主席挂点联系一个镇。", "mechanism.leader_responsibility"),
    ("（虚构）实行市县乡三级联动。", "mechanism.multilevel_linkage"),
    ("（虚构）建立议题清单和任务清单。", "mechanism.list_system"),
    ("（虚构）市政协组织委员进网格。", "mechanism.sinking"),
    ("（虚构）坚持百姓点题、部门答题。", "topic_source.residents"),
    ("（虚构）参加议事的村民没有误工费。", "problem.compensation"),
    ("（虚构）村里多是留守老人。", "problem.hollow_villages"),
    ("（虚构）议事活动存在工学矛盾。", "problem.job_conflict"),
    ("（虚构）站长调离后工作断档，新站长业务不熟悉。", "problem.rotation"),
])
def test_codes_generalise_to_other_wordings(cb, sentence, code):
    assert code in set(code_text(sentence, cb)["code"])


def test_offsets_point_at_the_matched_term(cb):
    text = "（虚构）一、主要做法\n青溪县建成委员工作站6个，委员下沉到村，推行问题清单。\n二、存在问题\n没有误工补贴。\n"
    df = code_text(text, cb, doc_id="demo")
    assert len(df) > 0
    for r in df.itertuples():
        assert text[r.start:r.end] == r.matched
    assert (df["doc_id"] == "demo").all()


def test_exclusions_drop_overlapping_matches(cb):
    df = code_text("（虚构）县政协开通网上协商议事室。", cb)
    assert "platform.online" in set(df["code"])
    assert "platform.room" not in set(df["code"])


def test_scoped_codes_only_inside_their_sections(cb):
    practice = "（虚构）\n一、主要做法\n县里完善了议事机制。\n"
    recs = "（虚构）\n一、对策建议\n要完善议事机制。\n"
    assert "recommendation.mechanisms" not in set(code_text(practice, cb)["code"])
    got = code_text(recs, cb)
    assert "recommendation.mechanisms" in set(got["code"])
    assert set(got.loc[got.code == "recommendation.mechanisms", "section"]) == {"recommendations"}


def test_find_sections_uses_top_level_headings_only(cb):
    text = ("（虚构）标题\n一、基本情况\n正文。\n（一）存在的问题也有\n正文。\n二、存在的主要问题\n正文。\n"
            "三、几点建议\n正文。\n经过调研，有以下体会：\n正文。")
    kinds = find_sections(text, cb)["kind"].tolist()
    assert kinds == ["practice", "problems", "recommendations", "recommendations"]


def test_code_profile_counts_presence_and_zero_rows(cb):
    codes = code_corpus({"a": "（虚构）问题清单和责任清单。", "b": "（虚构）委员下沉到社区。"}, cb)
    prof = code_profile(codes, cb, doc_ids=["a", "b", "c"])
    assert list(prof.columns) == [c.id for c in cb.codes]
    assert prof.loc["a", "mechanism.list_system"] == 2
    assert prof.loc["c"].sum() == 0
    pres = code_profile(codes, cb, doc_ids=["a", "b"], value="presence")
    assert pres.to_numpy().max() == 1
    cat = code_profile(codes, cb, level="category")
    assert list(cat.columns) == [c.id for c in cb.categories]


# ----------------------------------------------------------------------------- bad input

def test_empty_and_non_chinese_documents_are_named(cb):
    with pytest.raises(InputError, match="doc-empty.*empty"):
        code_text("   \n", cb, doc_id="doc-empty")
    with pytest.raises(InputError, match="doc-en.*no Chinese"):
        code_text("Only English here, 2024.", cb, doc_id="doc-en")
    with pytest.raises(InputError, match="doc-en"):
        code_corpus({"ok": "（虚构）委员工作站。", "doc-en": "no chinese"}, cb)


def test_code_corpus_skips_bad_documents_when_asked(cb):
    with pytest.warns(UserWarning, match="bad"):
        df = code_corpus({"ok": "（虚构）委员工作站。", "bad": ""}, cb, errors="skip")
    assert set(df["doc_id"]) == {"ok"}


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "cb.yaml"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


_BASE = """
categories:
  - {id: platform, zh: 平台, en: platforms, definition: places}
codes:
  - id: platform.hall
    category: platform
    zh: 议事厅
    en: hall
    definition: a hall
    patterns: {terms: [议事厅]}
"""


def test_minimal_codebook_loads(tmp_path):
    cb = load_codebook(_write(tmp_path, _BASE))
    assert [c.id for c in cb.codes] == ["platform.hall"] and cb.figures is None


@pytest.mark.parametrize("extra, match", [
    ("  - id: platform.room\n    category: platform\n    zh: 室\n    en: room\n    definition: d\n"
     "    patrens: {terms: [议事室]}\n", r"platform\.room.*unknown key 'patrens'"),
    ("  - id: platform.room\n    category: platform\n    zh: 室\n    en: room\n    definition: d\n"
     "    patterns: {regex: ['议事(室']}\n", r"platform\.room\.patterns\.regex\[0\].*bad regular expression"),
    ("  - id: platform.hall\n    category: platform\n    zh: 厅\n    en: hall\n    definition: d\n"
     "    patterns: {terms: [厅]}\n", r"duplicate code id 'platform\.hall'"),
    ("  - id: actor.member\n    category: actor\n    zh: 委员\n    en: member\n    definition: d\n"
     "    patterns: {terms: [委员]}\n", r"actor\.member\.category.*not declared"),
    ("  - id: platform.room\n    category: platform\n    zh: 室\n    en: room\n    definition: d\n"
     "    patterns: {terms: []}\n", r"platform\.room\.patterns.*at least one term or regex"),
    ("  - id: platform.room\n    category: platform\n    zh: 室\n    en: room\n    definition: d\n"
     "    patterns: {regex: ['x*']}\n", r"platform\.room.*matches the empty string"),
    ("  - id: platform.room\n    category: platform\n    zh: 室\n    en: room\n    definition: d\n"
     "    scope: [summary]\n    patterns: {terms: [室]}\n", r"platform\.room\.scope.*unknown scope"),
])
def test_malformed_codebook_names_code_and_key(tmp_path, extra, match):
    with pytest.raises(ConfigError, match=match) as exc:
        load_codebook(_write(tmp_path, _BASE + extra))
    assert "cb.yaml" in str(exc.value)


def test_malformed_codebook_top_level_and_figures(tmp_path):
    with pytest.raises(ConfigError, match="unknown key 'colours'"):
        load_codebook(_write(tmp_path, _BASE + "colours: red\n"))
    with pytest.raises(ConfigError, match=r"figures\.units"):
        load_codebook(_write(tmp_path, _BASE + "figures:\n  classifiers: {count: [个]}\n  units: [个]\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_codebook(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="top level"):
        parse_codebook(["not", "a", "mapping"])


def test_unknown_code_lookup_names_it(cb):
    with pytest.raises(ConfigError, match="platform.spaceship"):
        cb.code("platform.spaceship")


# ----------------------------------------------------------------------------- loop steps

def test_loop_vocabulary_agrees_with_the_codebook(cb):
    vocab = load_loop_steps()
    assert vocab["step"].is_unique and vocab["order"].is_monotonic_increasing
    step_codes = {c.id.split(".", 1)[1]: c for c in cb.codes_in("step")}
    assert set(vocab["step"]) == set(step_codes) - {"other"}
    for step, syns in zip(vocab["step"], vocab["synonyms"]):
        for s in syns:
            if len(s) >= 4:
                assert step_codes[step].pattern.search(s), (step, s)


def test_map_step_exact_and_head_final():
    assert map_step("商前调研") == "research"
    assert map_step("办理反馈") == "feedback"
    assert map_step("协商议事") == "consult"
    assert map_step("跟踪问效反馈") == "feedback"
    assert map_step("民盟") == ""


@pytest.mark.parametrize("text, steps", [
    ("（虚构）该镇推行“征集议题、审定议题、会前调研、民主协商、跟踪落实、结果公开”六步工作法。",
     ["collect_topics", "choose_topics", "research", "consult", "implement", "feedback"]),
    ("（虚构）议事流程为：收集民意→确定选题→调查研究→集中协商→形成建议→交办督办→回访评价。",
     ["collect_topics", "choose_topics", "research", "consult", "report_results", "implement", "evaluate"]),
    ("（虚构）建立了搭建平台、确定议题、明确主体、开展协商、成果转化等环节。",
     ["build_platform", "choose_topics", "name_participants", "consult", "implement"]),
    ("（虚构）实行五步工作法：一是议题征集，二是调研论证，三是协商议事，四是成果转化，五是跟踪反馈。",
     ["collect_topics", "research", "consult", "implement", "feedback"]),
    ("（虚构）第一步征集议题；第二步审定议题；第三步会前调研；第四步集中协商；第五步结果公开。",
     ["collect_topics", "choose_topics", "research", "consult", "feedback"]),
    ("（虚构）流程为①征集议题②会前调研③民主协商④形成建议⑤交办督办⑥回访评价。",
     ["collect_topics", "research", "consult", "report_results", "implement", "evaluate"]),
])
def test_loop_steps_in_other_wordings(text, steps):
    assert extract_loop_steps(text)["step"].tolist() == steps


def test_loop_ignores_enumerations_that_are_not_steps():
    text = "（虚构）民革、民盟、民建、民进、农工党和九三学社的成员参加；议题涉及教育、交通、环保、住房。"
    assert extract_loop_steps(text).empty
    text = "（虚构）一是加强领导，二是完善制度，三是强化保障，四是注重宣传。"
    assert extract_loop_steps(text).empty


def test_loop_offsets_and_extra_steps():
    text = "（虚构）规则是：收集议题、确定议题、沟通协调、开展协商、结果反馈。"
    df = extract_loop_steps(text, doc_id="d")
    assert df["named"].tolist() == ["收集议题", "确定议题", "沟通协调", "开展协商", "结果反馈"]
    assert df["step"].tolist()[2] == ""  # an extra step with no canonical place
    for r in df.itertuples():
        assert text[r.start:r.end] == r.named


# ----------------------------------------------------------------------------- the five reports

EXPECTED_LOOPS = {
    "shangyou-620": ["收集议题", "确定议题", "深入调研", "开展协商", "成果报送", "办理反馈"],
    "gansu-extension": ["收集议题", "确定议题", "议前调研", "协商议事", "办理实施", "结果反馈"],
    "nantong-youshi": ["搭建平台", "确定议题", "明确主体", "商前调研", "开展协商", "报送成果", "转化落实", "评估质效"],
}


def test_each_report_loop_in_order(clean):
    loops = extract_loops(clean)
    for doc_id, named in EXPECTED_LOOPS.items():
        got = loops[loops.doc_id == doc_id].sort_values("position")
        assert got["named"].tolist() == named, doc_id
        assert (got["step"] != "").all()
        text = clean.texts[doc_id]
        for r in got.itertuples():
            assert text[r.start:r.end].replace(" ", "") == r.named
    assert set(loops["doc_id"]) == set(EXPECTED_LOOPS)


EXPECTED_CODES = {
    "prov-x-survey": ["mechanism.convener", "mechanism.funds", "mechanism.assessment", "platform.member_home",
                      "platform.brand"],
    "nantong-youshi": ["platform.room", "platform.brand", "platform.enterprise", "platform.sector",
                       "mechanism.list_system", "mechanism.standard_haves", "topic_source.party_government",
                       "topic_source.residents", "topic_source.members", "problem.follow_through",
                       "platform.online"],
    "shangyou-620": ["platform.workstation", "platform.studio", "mechanism.quota", "mechanism.standard_haves",
                     "mechanism.sinking", "mechanism.assessment"],
    "gansu-extension": ["platform.workstation", "platform.council", "platform.room", "mechanism.sinking",
                        "mechanism.leader_responsibility", "mechanism.multilevel_linkage", "problem.awareness",
                        "problem.rotation", "problem.funds", "problem.compensation", "problem.follow_through",
                        "problem.few_members_villages", "problem.job_conflict", "problem.hollow_villages"],
    "xx-city-districts": ["mechanism.party_supervision", "mechanism.followup", "mechanism.list_system",
                          "problem.single_forms", "problem.low_online", "problem.little_exchange",
                          "problem.top_down_topics", "platform.member_home", "platform.workstation"],
}


def test_report_codes_match_the_domain_reading(clean, cb):
    codes = code_corpus(clean, cb)
    for doc_id, needed in EXPECTED_CODES.items():
        have = set(codes.loc[codes.doc_id == doc_id, "code"])
        assert set(needed) <= have, (doc_id, sorted(set(needed) - have))
    for r in codes.itertuples():
        assert clean.texts[r.doc_id][r.start:r.end] == r.matched
    assert codes["matched"].str.len().max() < 20


# ----------------------------------------------------------------------------- CLI

def _run(*args):
    return subprocess.run([sys.executable, "-m", "govlab", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_code_and_codebook(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("（虚构）一、主要做法\n全县建成委员工作站6个，实行委员轮值。\n", encoding="utf-8")
    (raw / "b.txt").write_text("（虚构）村里的议事厅推行收集议题、确定议题、开展协商、结果反馈四步。\n", encoding="utf-8")
    r = _run("code", str(raw), "--out", str(tmp_path / "codes.csv"), "--profile", str(tmp_path / "prof.csv"))
    assert r.returncode == 0, r.stderr
    codes = pd.read_csv(tmp_path / "codes.csv")
    assert {"doc_id", "code", "category", "start", "end", "matched", "section"} <= set(codes.columns)
    assert "platform.workstation" in set(codes["code"])
    assert pd.read_csv(tmp_path / "prof.csv")["doc_id"].tolist() == ["a", "b"]
    r = _run("codebook")
    assert r.returncode == 0 and "codes" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(_BASE + "  - id: platform.hall\n    category: platform\n    zh: 厅\n    en: h\n    definition: d\n"
                   "    patterns: {terms: [厅]}\n", encoding="utf-8")
    r = _run("code", str(raw), "--out", str(tmp_path / "x.csv"), "--codebook", str(bad))
    assert r.returncode == 2 and "duplicate code id 'platform.hall'" in r.stderr


# ----------------------------------------------------------------------------- open vocabulary (issue 13)

def _codes(text):
    return code_text(text)[["code", "matched"]].values.tolist()


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）镇里打造“邻里茶话”协商品牌。", "platform.other", "“邻里茶话”协商品牌"),
    ("（虚构）社区设立“议事小院”，每周开放。", "platform.other", "“议事小院”"),
    ("（虚构）村里推出“邻里说事”，群众踊跃参加。", "platform.other", "“邻里说事”"),
    ("（虚构）三个政协委员基层联系点同时挂牌。", "platform.liaison", "政协委员基层联系点"),
    ("（虚构）村里召开村民协商座谈会。", "platform.meeting", "协商座谈会"),
    ("（虚构）县政协青溪镇委员小组开展调研。", "platform.township_office", "政协青溪镇委员小组"),
    ("（虚构）各村开展院坝协商，每月一次。", "platform.other", "院坝协商"),
    ("（虚构）推行“一线协商·共同缔造”。", "platform.other", "“一线协商·共同缔造”"),
    ("（虚构）镇里推行大家来协商。", "platform.brand", "大家来协商"),
])
def test_platforms_found_by_structure(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_platform_other_only_where_no_known_type_matches():
    codes = _codes("（虚构）县里建成“有事好商量”协商议事室十个。")
    assert ["platform.room", "“有事好商量”协商议事室"] in codes
    assert not [c for c, _ in codes if c == "platform.other"]


def test_actor_does_not_fire_inside_a_platform_or_step_name():
    assert not [c for c, _ in _codes("（虚构）政协委员工作室常年开放。") if c.startswith("actor.")]
    assert ["actor.member", "政协委员"] in _codes("（虚构）政协委员到工作室接待来访。")
    assert ["actor.participants", "议事会成员"] in _codes("（虚构）议事会成员逐一发言。")
    seq = "（虚构）议事遵循“群众提事、两委议事、大家定事、专班办事”四个环节。"
    assert not [c for c, m in _codes(seq) if c == "actor.residents" and m == "群众"]


@pytest.mark.parametrize("sentence, code, matched", [
    ("（虚构）青溪县政协召开常委会议。", "actor.cppcc_committee", "青溪县政协"),
    ("（虚构）县政协社会和法制委员会牵头调研。", "actor.special_committees", "政协社会和法制委员会"),
    ("（虚构）合作社负责人和种植大户参加了培训。", "actor.enterprises", "合作社负责人"),
    ("（虚构）街道干部和居民一起商量。", "actor.cadres", "街道干部"),
    ("（虚构）区政协办公室组织调研。", "actor.cppcc_staff", "政协办公室"),
    ("（虚构）副主席王一、李二冬参加调研。", "actor.persons", "副主席王一、李二冬"),
    ("（虚构）陈小河表示，要把议事室用好。", "actor.persons", "陈小河"),
    ("（虚构）县民政局派人到会。", "actor.government", "县民政局"),
    ("（虚构）附近的选民也来了。", "actor.residents", "选民"),
])
def test_new_actor_codes(sentence, code, matched):
    assert [code, matched] in _codes(sentence)


def test_residents_are_coded_in_slogans_but_not_in_fixed_formulas():
    # both annotations of the dev set and the extra set list 群众 in 服务群众 / 联系群众 as an actor
    assert [c for c, _ in _codes("（虚构）议事室要更好地服务群众，回应群众期盼。") if c == "actor.residents"]
    assert not [c for c, _ in _codes("（虚构）坚持走群众路线，做好群众工作。") if c == "actor.residents"]


def test_localities_by_suffix_with_the_level_as_code_and_chains_merged():
    codes = _codes("（虚构）江西省青溪县白石镇下河村召开协商会，东苑社区派人参加。")
    assert ["locality.village", "江西省青溪县白石镇下河村"] in codes
    assert ["locality.community", "东苑社区"] in codes
    assert [c for c, _ in codes if c.startswith("locality.")] == ["locality.village", "locality.community"]
    assert ["locality.street", "东湖、西山两个街道"] in _codes("（虚构）在东湖、西山两个街道试点。")
    # generic words and level words are not places
    assert not [c for c, _ in _codes("（虚构）推进城乡社区治理和美丽城镇建设，召开省、市、县三级会议。")
                if c.startswith("locality.")]


def test_problem_phrases_are_the_evidence():
    codes = _codes("（虚构）一些乡镇的基础工作薄弱，议事室缺乏专业指导，调研发现了存在的短板和问题。")
    assert ["problem.generic", "基础工作薄弱"] in codes
    assert ["problem.generic", "缺乏专业指导"] in codes
    assert ["problem.generic", "存在的短板和问题"] in codes
    assert ["problem.livelihood", "路灯"] in _codes("（虚构）村民最关心的是路灯安装。")
    assert not [c for c, _ in _codes("（虚构）议事室运转顺利，群众满意。") if c.startswith("problem.")]


def test_code_spans_are_the_evidence_in_the_text():
    text = "（虚构）江西省青溪县打造“邻里茶话”协商品牌，副主席王一表示，议事室缺乏专业指导。"
    df = code_text(text)
    assert len(df) and all(text[s:e] == m for s, e, m in zip(df["start"], df["end"], df["matched"]))
    assert df["matched"].str.len().max() < 20


@pytest.mark.parametrize("extra, match", [
    ("  - id: platform.room\n    category: platform\n    zh: 室\n    en: room\n    definition: d\n"
     "    fallback: yes please\n    patterns: {terms: [室]}\n", r"platform\.room\.fallback.*true or false"),
])
def test_malformed_fallback_names_the_key(tmp_path, extra, match):
    with pytest.raises(ConfigError, match=match):
        load_codebook(_write(tmp_path, _BASE + extra))


def test_malformed_category_options_name_the_key(tmp_path):
    bad = _BASE.replace("definition: places}", "definition: places, yields_to: [nowhere]}")
    with pytest.raises(ConfigError, match=r"categories\.platform\.yields_to\[0\].*nowhere"):
        load_codebook(_write(tmp_path, bad))
    bad = _BASE.replace("definition: places}", "definition: places, chains: 2}")
    with pytest.raises(ConfigError, match=r"categories\.platform\.chains.*true or false"):
        load_codebook(_write(tmp_path, bad))


def test_default_codebook_is_loaded_once_and_reloaded_when_the_file_changes(tmp_path):
    from govlab.coding.codebook import _load_codebook_cached

    cb = load_codebook()
    before = _load_codebook_cached.cache_info()
    for _ in range(3):
        code_text("（虚构）委员下沉到社区。")
    after = _load_codebook_cached.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert load_codebook() is cb
    p = _write(tmp_path, _BASE)
    first = load_codebook(p)
    assert load_codebook(p) is first
    p.write_text(textwrap.dedent(_BASE).replace("议事厅]", "议事厅, 议事堂]"), encoding="utf-8")
    second = load_codebook(p)
    assert second is not first and "议事堂" in second.code("platform.hall").terms
