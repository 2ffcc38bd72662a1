"""Tests of govlab.compare: loop alignment, QCA, similarity, profiles and the derived report tables."""
from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.coding import code_profile, load_codebook
from govlab.compare import (
    DEFAULT_CONDITIONS,
    align_loops,
    align_pair,
    alignment_matrix,
    build_report_tables,
    consistency,
    format_figure,
    loop_similarity,
    minimize,
    necessity,
    needleman_wunsch,
    outcome_scale,
    profile_similarity,
    qca_conditions,
    read_report_tables,
    set_coverage,
    similarity_long,
    solution_table,
    term_similarity,
    text_similarity,
    topic_composition,
    truth_table,
    write_report_tables,
)
from govlab.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "datasets" / "reports"


# ----------------------------------------------------------------------------- Needleman-Wunsch

def test_needleman_wunsch_textbook_example():
    # the classic example (match +1, mismatch -1, gap -1): the optimal global score is 0
    score, pairs = needleman_wunsch("GATTACA", "GCATGCU", match=1, mismatch=-1, gap=-1)
    assert score == 0
    assert [i for i, _ in pairs if i is not None] == list(range(7))
    assert [j for _, j in pairs if j is not None] == list(range(7))


def test_needleman_wunsch_gaps_and_empty():
    score, pairs = needleman_wunsch("ACGT", "AGT")
    assert score == 5 and pairs == [(0, 0), (1, None), (2, 1), (3, 2)]
    assert needleman_wunsch([], ["x"], gap=-1) == (-1.0, [(None, 0)])
    # empty items never match
    assert needleman_wunsch([""], [""], match=2, mismatch=-3, gap=-1)[0] == -2


def _loops():
    return pd.DataFrame({
        "doc_id": ["six"] * 6 + ["eight"] * 8,
        "position": list(range(1, 7)) + list(range(1, 9)),
        "named": ["征集议题", "审定议题", "会前调研", "民主协商", "跟踪落实", "结果公开",
                  "搭建平台", "确定议题", "明确主体", "商前调研", "开展协商", "沟通协调", "转化落实", "评估质效"],
        "step": ["collect_topics", "choose_topics", "research", "consult", "implement", "feedback",
                 "build_platform", "choose_topics", "name_participants", "research", "consult", "",
                 "implement", "evaluate"],
    })


def test_align_loops_shows_matches_gaps_and_extras():
    al = align_loops(_loops())
    six = al[al.doc_id == "six"]
    assert six.loc[six.status == "match", "reference"].tolist() == [
        "collect_topics", "choose_topics", "research", "consult", "implement", "feedback"]
    assert set(six.loc[six.status == "gap", "reference"]) == {"build_platform", "name_participants",
                                                               "report_results", "evaluate"}
    eight = al[al.doc_id == "eight"]
    assert eight.loc[eight.status == "extra", "named"].tolist() == ["沟通协调"]
    assert (eight.loc[eight.status != "gap", "position"].tolist() == list(range(1, 9)))
    m = alignment_matrix(al)
    assert m.loc["consult", "six"] == "民主协商" and m.loc["consult", "eight"] == "开展协商"
    assert m.loc["extra:沟通协调", "eight"] == "沟通协调" and m.loc["evaluate", "six"] == ""


def test_align_pair_and_loop_similarity():
    pair = align_pair(_loops(), "six", "eight")
    assert (pair["status"] == "match").sum() == 4
    assert set(pair["status"]) <= {"match", "mismatch", "only_a", "only_b"}
    sim = loop_similarity(_loops())
    assert np.allclose(np.diag(sim), 1.0) and np.allclose(sim, sim.T)
    assert 0 < sim.loc["six", "eight"] < 1
    with pytest.raises(InputError, match="nowhere"):
        align_pair(_loops(), "six", "nowhere")


# ----------------------------------------------------------------------------- QCA (Ragin 2008)

@pytest.fixture()
def crisp():
    return pd.DataFrame({"A": [1, 1, 1, 0, 0, 0], "B": [1, 1, 0, 1, 0, 0], "Y": [1, 1, 0, 1, 0, 1]},
                        index=list("pqrstu"))


def test_consistency_and_coverage_worked_example():
    # fuzzy memberships: sum(min) = 1.5, sum(x) = 1.7, sum(y) = 1.8
    x, y = [0.8, 0.6, 0.3], [0.9, 0.4, 0.5]
    assert consistency(x, y) == pytest.approx(1.5 / 1.7)
    assert set_coverage(x, y) == pytest.approx(1.5 / 1.8)
    assert consistency(x, y, "necessity") == pytest.approx(1.5 / 1.8)
    assert set_coverage(x, y, "necessity") == pytest.approx(1.5 / 1.7)
    assert math.isnan(consistency([0, 0], [1, 1]))
    with pytest.raises(InputError):
        consistency([0.5, 2.0], [1, 1])


def test_truth_table_worked_example(crisp):
    tt = truth_table(crisp, ["A", "B"], "Y")
    got = {(r.A, r.B): (r.OUT, r.n, r.incl, r.cov, r.cases) for r in tt.itertuples()}
    assert got == {
        (1, 1): ("1", 2, 1.0, 0.5, "p,q"),
        (0, 1): ("1", 1, 1.0, 0.25, "s"),
        (0, 0): ("0", 2, 0.5, 0.25, "t,u"),
        (1, 0): ("0", 1, 0.0, 0.0, "r"),
    }
    assert len(truth_table(crisp, ["A", "B"], "Y", remainders=True)) == 4
    assert set(truth_table(crisp, ["A", "B"], "Y", n_cut=2)["OUT"]) == {"1", "0", "?"}


def test_minimize_and_solution(crisp):
    tt = truth_table(crisp, ["A", "B"], "Y")
    assert minimize(tt, ["A", "B"]) == ["B"]
    sol = solution_table(crisp, ["B"], "Y")
    assert sol.loc[sol.term == "solution", ["incl", "cov"]].values.tolist() == [[1.0, 0.75]]
    d3 = pd.DataFrame([(1, 1, 0, 1), (1, 1, 1, 1), (0, 1, 1, 1), (0, 0, 1, 0), (1, 0, 0, 0)],
                      columns=["A", "B", "C", "Y"])
    assert minimize(truth_table(d3, ["A", "B", "C"], "Y"), ["A", "B", "C"]) == ["A*B", "B*C"]


def test_necessity(crisp):
    nec = necessity(crisp, ["B"], "Y").set_index("condition")
    assert nec.loc["B", "incl"] == pytest.approx(0.75) and nec.loc["B", "cov"] == pytest.approx(1.0)
    assert nec.loc["~B", "incl"] == pytest.approx(0.25) and nec.loc["~B", "cov"] == pytest.approx(1 / 3)


def test_qca_rejects_non_crisp(crisp):
    bad = crisp.assign(A=[0.5] * 6)
    with pytest.raises(InputError, match="crisp"):
        truth_table(bad, ["A", "B"], "Y")


def test_conditions_and_outcome_from_codes_and_figures():
    prof = pd.DataFrame({"mechanism.sinking": [2, 0], "mechanism.convener": [0, 1],
                         "mechanism.leader_responsibility": [0, 0], "mechanism.list_system": [1, 0],
                         "mechanism.followup": [0, 0], "mechanism.assessment": [0, 0]},
                        index=pd.Index(["a", "b"], name="doc_id"))
    cond = qca_conditions(prof, _loops().replace({"six": "a", "eight": "b"}))
    assert cond.to_dict("index") == {"a": {"LOOP": 1, "SINK": 1, "LEAD": 0, "ACCT": 1},
                                     "b": {"LOOP": 1, "SINK": 0, "LEAD": 1, "ACCT": 0}}
    figs = pd.DataFrame({"doc_id": ["a", "b", "b"], "kind": ["count", "percent", "count"],
                         "value": [109.0, float("nan"), 6.0], "counted": ["镇(街道、园区)", "乡镇(街道)", "委员工作站"],
                         "masked": [False, True, False]})
    assert outcome_scale(figs, ["a", "b"]).tolist() == [1, 0]  # a masked share is missing, never a hit
    with pytest.raises(InputError, match="mechanism.nothing"):
        qca_conditions(prof, conditions={"X": ["mechanism.nothing"]})


# ----------------------------------------------------------------------------- similarity and topics

def test_profile_and_text_similarity():
    prof = pd.DataFrame({"x": [2, 1, 0], "y": [0, 0, 3]}, index=["a", "b", "c"])
    s = profile_similarity(prof)
    assert s.loc["a", "b"] == pytest.approx(1.0) and s.loc["a", "c"] == pytest.approx(0.0)
    long = similarity_long(s)
    assert len(long) == 9 and set(long.columns) == {"doc_a", "doc_b", "similarity"}
    t = text_similarity({"a": "（虚构）委员工作站建成", "b": "（虚构）委员工作站建成", "c": "（虚构）经费不足补贴少"})
    assert t.loc["a", "b"] == pytest.approx(1.0) and t.loc["a", "c"] < 0.3


def _terms():
    return pd.DataFrame({"doc_id": list("aaabbbccc"),
                         "term": ["协商", "议事室", "群众", "协商", "工作站", "委员", "经费", "补贴", "群众"],
                         "count": [5, 3, 2, 4, 3, 2, 4, 3, 1]})


def test_term_similarity_and_topics_are_deterministic():
    s = term_similarity(_terms())
    assert np.allclose(np.diag(s), 1.0) and s.loc["a", "b"] > s.loc["a", "c"]
    shares1, topics1 = topic_composition(_terms(), n_topics=2, seed=3)
    shares2, topics2 = topic_composition(_terms(), n_topics=2, seed=3)
    pd.testing.assert_frame_equal(shares1, shares2)
    assert np.allclose(shares1.sum(axis=1), 1.0)
    assert topics1.equals(topics2) and len(topics1) == 2
    with pytest.raises(InputError, match="n_topics"):
        topic_composition(_terms(), n_topics=9)


def test_similarity_and_topics_go_through_govlab_text():
    # one path per method: notebook 02 (govlab.text) and notebook 04 (govlab.compare) agree exactly
    from govlab.text import dfm_content, dfm_from_frame, dfm_tfidf, textmodel_nmf, textstat_simil

    terms = pd.concat([_terms(), pd.DataFrame({"doc_id": ["a", "b"], "term": ["x", "42个"], "count": [9, 9]})])
    content = dfm_content(dfm_from_frame(terms))
    assert "x" not in content.features and "42个" not in content.features
    pd.testing.assert_frame_equal(term_similarity(terms), textstat_simil(dfm_tfidf(content), "cosine"))
    shares, topics = topic_composition(terms, n_topics=2, seed=0, n_top_terms=3)
    nmf = textmodel_nmf(dfm_tfidf(content), 2, seed=0)
    assert np.array_equal(shares.to_numpy(), nmf.doc_topic.to_numpy())
    assert topics["terms"].tolist() == ["、".join(g["term"]) for _, g in nmf.top_terms(3).groupby("topic")]
    # a DFM is accepted as it is
    pd.testing.assert_frame_equal(term_similarity(content), term_similarity(terms))


# ----------------------------------------------------------------------------- profiles and derived tables

def test_format_figure_labels():
    base = {"value_max": float("nan"), "masked": False, "date": ""}
    assert format_figure({**base, "kind": "count", "value": 40e4, "unit": "名", "counted": "群众", "approx": True,
                          "qualifier": "多"}) == "≥400000名 群众"
    assert format_figure({**base, "kind": "count", "value": 1.0, "value_max": 2.0, "unit": "名", "counted": "委员",
                          "approx": False, "qualifier": ""}) == "1–2名 委员"
    assert format_figure({**base, "kind": "quota", "value": 4.0, "unit": "quota", "counted": "4+X", "approx": False,
                          "qualifier": ""}) == "4+X"


def test_build_tables_on_fictional_reports():
    texts = {
        "qingxi": "（虚构）\n一、主要做法\n全县建成委员工作站6个，推行收集议题、确定议题、议前调研、开展协商、结果反馈五步法，"
                  "委员下沉到村。\n二、存在问题\n没有误工补贴。\n",
        "linshan": "（虚构）\n一、基本情况\n全市128个乡镇（街道）实现议事室全覆盖，建立问题清单。\n",
    }
    docs = pd.DataFrame({"doc_id": ["linshan", "qingxi"], "locality": ["林山市", "青溪县"],
                         "locality_level": ["city", "county"], "province": ["", ""]})
    t = build_report_tables(texts, documents=docs)
    prof = t["profiles"].set_index("doc_id")
    assert prof.loc["qingxi", "loop"] == "收集议题→确定议题→议前调研→开展协商→结果反馈"
    assert "委员下沉" in prof.loc["qingxi", "mechanisms"] and "缺乏误工补贴" in prof.loc["qingxi", "problems"]
    assert "128个 乡镇(街道)" in prof.loc["linshan", "key_figures"]
    assert prof.loc["linshan", "level"] == "city"


def test_shipped_report_tables_are_derived_data_only():
    tables = read_report_tables()
    assert set(tables) == {"codes", "figures", "loops", "profiles"}
    assert len(tables["profiles"]) == 5
    # short evidence only: terms and numeric spans, never sentences
    assert tables["codes"]["matched"].str.len().max() < 20
    assert tables["figures"]["matched"].str.len().max() <= 14
    assert tables["loops"]["named"].str.len().max() <= 8
    masked = tables["figures"][tables["figures"]["masked"]]
    assert masked["value"].isna().all()
    cb = load_codebook()
    prof = code_profile(tables["codes"], cb, doc_ids=sorted(tables["profiles"]["doc_id"]))
    cond = qca_conditions(prof, tables["loops"])
    cond["SCALE"] = outcome_scale(tables["figures"], cond.index)
    tt = truth_table(cond, list(DEFAULT_CONDITIONS), "SCALE")
    assert tt["n"].sum() == 5 and tt["incl"].between(0, 1).all()


@pytest.fixture(scope="module")
def clean(corpus_dir):
    from govlab.corpus import build_corpus

    return build_corpus(corpus_dir)


def test_rebuilt_tables_equal_the_shipped_ones(clean, tmp_path):
    """datasets/reports/{codes,figures,loops,profiles}.csv are exactly what the code derives from the
    reports (regenerate with `govlab compare $GOVLAB_CORPUS_DIR --out-dir datasets/reports --tables-only`)."""
    write_report_tables(build_report_tables(clean), tmp_path)
    for name in ("codes", "figures", "loops", "profiles"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (REPORTS / f"{name}.csv").read_bytes(), name


def _runs(text: str, n: int = 20) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i:i + n] for i in range(0, max(len(han) - n + 1, 0))}


def test_no_report_sentence_in_shipped_files(clean):
    """The Corpus rule: no run of 20 Chinese characters from any report appears in the files this
    flow ships."""
    runs = set()
    for t in clean.texts.values():
        runs |= _runs(t)
    files = [ROOT / "datasets" / "codebook.yaml", ROOT / "datasets" / "loop_steps.csv",
             ROOT / "tests" / "data" / "figures_expected.csv"]
    files += [REPORTS / f"{n}.csv" for n in ("codes", "figures", "loops", "profiles")]
    files += sorted((ROOT / "notebooks").glob("0[34]_*"))
    for f in files:
        if f.exists():
            text = f.read_text(encoding="utf-8")
            hits = []
            # contiguous Chinese text of the file (punctuation inside a run allowed, separators not)
            for seg in re.findall(r"[\u4e00-\u9fff，、。；：“”（）《》！？]+", text):
                han = re.sub(r"[^\u4e00-\u9fff]", "", seg)
                hits += [han[i:i + 20] for i in range(0, max(len(han) - 19, 0)) if han[i:i + 20] in runs]
            assert hits == [], (f.name, hits[:2])


def test_cli_compare(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("（虚构）全县推行收集议题、确定议题、开展协商、办理落实、结果反馈五步法，委员下沉到村。\n",
                               encoding="utf-8")
    (raw / "b.txt").write_text("（虚构）全市128个乡镇实现议事室全覆盖，建立问题清单。\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "govlab", "compare", str(raw), "--out-dir", str(tmp_path / "out")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for name in ("codes", "figures", "loops", "profiles", "alignment", "similarity", "qca"):
        assert (tmp_path / "out" / f"{name}.csv").exists(), name
