"""Tests of govlab.evaluate: scoring figures, codes and step sequences against gold files.

Every text here is FICTIONAL, written for these tests; the gold files are written by the tests.
The development-set test reads the real texts at run time from GOVLAB_DEVSET_DIR (default
../shared/devset) and is skipped when they are absent.
"""
from __future__ import annotations

import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.evaluate import (
    baseline_figures,
    counted_matches,
    evaluate,
    goal_failures,
    kappa,
    read_goals,
    read_gold,
    read_split,
    score_codes,
    score_figures,
    score_steps,
    write_gold_folder,
)

ROOT = Path(__file__).resolve().parents[1]
FIG_HEAD = "file,value,unit,counted,counted_zh,approx,context\n"


def write_gold(d: Path, texts: dict, figures: str = "", codes: str = "") -> Path:
    return write_gold_folder(d, texts, figures, codes)


def score(ev, category, metric, part="all"):
    s = ev.scores
    row = s[(s.part == part) & (s.category == category) & (s.metric == metric)].iloc[0]
    return int(row.numerator), int(row.denominator), row.score


# ----------------------------------------------------------------------------- reading and bad gold files

def test_header_lines_are_skipped_and_texts_cleaned(tmp_path):
    g = read_gold(write_gold(tmp_path, {"a": "（虚构）镇里建成委员工作站3个。"}))
    assert g.texts["a"] == "（虚构）镇里建成委员工作站3个。\n"
    assert "SOURCE" not in g.texts["a"] and "TITLE" not in g.texts["a"]


def test_missing_header_line_is_named(tmp_path):
    write_gold(tmp_path, {"a": "x"})
    (tmp_path / "raw" / "a.txt").write_text("TITLE: no source line\n（虚构）正文。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.txt.*line 1 must start with 'SOURCE:'"):
        read_gold(tmp_path)


@pytest.mark.parametrize("figures, codes, message", [
    ("a,3,个,x,工作站,0,0\n", None, r"gold_codes\.csv: missing columns \['note'\]"),
    ("b,3,个,x,工作站,0,0\n", "", r"gold_figures\.csv: row 2, column file: unknown file 'b'"),
    ("a,3,个,x,工作站,0,0\na,三,个,x,工作站,0,0\n", "", r"gold_figures\.csv: row 3, column value: expected a number, got '三'"),
    ("a,3,个,x,工作站,yes,0\n", "", r"gold_figures\.csv: row 2, column approx: expected 0 or 1"),
    ("", "a,platform,工作站,\na,venue,会场,\n", r"gold_codes\.csv: row 3, column category: unknown category 'venue'"),
    ("", "a,step,收集,first\n", r"gold_codes\.csv: row 2, column note: a step needs its index"),
])
def test_bad_gold_files_name_file_row_and_column(tmp_path, figures, codes, message):
    write_gold(tmp_path, {"a": "（虚构）建成工作站3个。"}, figures, codes or "")
    if codes is None:
        (tmp_path / "gold_codes.csv").write_text("file,category,item_zh\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_gold(tmp_path)


def test_missing_gold_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no raw/ folder"):
        read_gold(tmp_path)
    write_gold(tmp_path, {"a": "（虚构）正文。"})
    (tmp_path / "gold_figures.csv").unlink()
    with pytest.raises(InputError, match=r"gold_figures\.csv: missing gold file"):
        read_gold(tmp_path)


def test_adjudicated_gold_table_keeps_its_keep_rows(tmp_path):
    write_gold(tmp_path, {"a": "（虚构）村民到委员工作站议事。"}, "", "a,actor,村民,\n")
    adj = tmp_path / "adjudicated.csv"
    adj.write_text("file,category,item_zh,note,source,decision,reason\n"
                   "a,actor,村民,,both,keep,\n"
                   "a,platform,委员工作站,,second,keep,missed\n"
                   "a,problem,议事,,second,drop,not a problem\n", encoding="utf-8")
    g = read_gold(tmp_path, codes_file=adj)
    assert sorted(zip(g.codes["category"], g.codes["item_zh"])) == [("actor", "村民"), ("platform", "委员工作站")]
    assert read_gold(tmp_path).codes["item_zh"].tolist() == ["村民"]
    adj.write_text("file,category,item_zh,note,source,decision,reason\na,actor,村民,,both,maybe,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"adjudicated\.csv: row 2, column decision: expected keep or drop"):
        read_gold(tmp_path, codes_file=adj)


def test_shipped_split_is_the_fixed_one():
    split = read_split()
    held = sorted(f[:2] for f, p in split.items() if p == "heldout")
    assert held == ["02", "05", "08", "11", "14", "17", "20", "23"]
    assert sum(p == "tune" for p in split.values()) == 17


def test_bad_split_file_is_named(tmp_path):
    p = tmp_path / "split.csv"
    p.write_text("file,part\na,train\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"split\.csv: row 2, column part: expected tune or heldout"):
        read_split(p)


# ----------------------------------------------------------------------------- figures

def test_counted_match_rule():
    assert counted_matches("委员工作室", "政协委员工作室")        # head of the gold phrase
    assert counted_matches("县级政协委员工作室", "委员工作室")      # more specific than the gold
    assert counted_matches("议题", "議題|议题")
    assert counted_matches("协商议题", "協商議題")                # traditional gold, simplified text
    assert not counted_matches("委员", "委员工作室")              # a modifier is not the head
    assert not counted_matches("", "人")
    assert counted_matches("区、县(市)", "区、县（市）")


def frame(rows):
    return pd.DataFrame(rows, columns=["doc_id", "kind", "value", "counted", "approx", "masked", "start", "end"])


def test_figure_scores_hand_computed():
    # doc a: gold 3 工作站 (exact), 120 委员 (approx), 5 社区; doc b: no figure
    gold = pd.DataFrame({"doc_id": ["a", "a", "a"], "value": [3.0, 120.0, 5.0],
                         "counted_zh": ["委员工作站", "政协委员|委员", "社区"], "approx": [False, True, False]})
    pred = frame([
        ("a", "count", 3.0, "工作站", False, False, 10, 12),     # strict hit
        ("a", "count", 120.0, "委员", False, False, 20, 24),     # strict hit, approx flag wrong
        ("a", "count", 5.0, "村", False, False, 30, 32),         # value only
        ("a", "date", 2021.0, "", False, False, 0, 5),           # dates are not scored
        ("a", "duration", 2.0, "年", False, False, 40, 42),      # nor durations
        ("a", "count", 9.0, "人", False, False, 50, 52),         # spurious
        ("a", "count", 3.0, "工作站", False, False, 60, 62),     # a repeat of the first: not scored
        ("b", "count", 7.0, "家", False, False, 3, 5),           # a figure on a text with none
    ])
    rows, misses = score_figures(pred, gold, ["a", "b"])
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("strict", "recall")] == (2, 3, "66.7")
    assert got[("strict", "precision")] == (2, 5, "40.0")
    assert got[("lenient", "recall")] == (3, 3, "100.0")
    assert got[("lenient", "precision")] == (3, 5, "60.0")
    assert got[("approx", "accuracy")] == (2, 3, "66.7")
    assert got[("no_figure_texts", "figures_emitted")] == (1, 1, "1")
    kinds = sorted(m["error"] for m in misses)
    assert kinds == ["approx flag wrong", "counted thing wrong", "figure not in the gold", "figure on a text with none"]


def test_value_tolerance_and_masks():
    gold = pd.DataFrame({"doc_id": ["a"], "value": [33.33], "counted_zh": ["新面孔"], "approx": [False]})
    ok = frame([("a", "percent", 100 / 3, "新面孔", False, False, 0, 4)])
    assert score_figures(ok, gold, ["a"])[0][0]["numerator"] == 1
    masked = frame([("a", "count", math.nan, "新面孔", False, True, 0, 4)])
    assert score_figures(masked, gold, ["a"])[0][0]["numerator"] == 0


def test_masked_figures_are_not_scored_predictions():
    # a masked number (××户, ****户, N个) has no value: like a date, it is neither right nor wrong
    gold = pd.DataFrame({"doc_id": ["a"], "value": [3.0], "counted_zh": ["工作站"], "approx": [False]})
    pred = frame([
        ("a", "count", 3.0, "工作站", False, False, 10, 12),
        ("a", "count", math.nan, "户", False, True, 20, 25),       # ****户
        ("b", "count", math.nan, "站点", False, True, 3, 6),       # ××个 on a text with no figure
        ("b", "count", math.nan, "委员", False, True, 9, 11),      # N名, twice masked: not a repeat either
    ])
    rows, misses = score_figures(pred, gold, ["a", "b"])
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("strict", "precision")] == (1, 1, "100.0")
    assert got[("lenient", "precision")] == (1, 1, "100.0")
    assert got[("no_figure_texts", "figures_emitted")] == (0, 1, "0")
    assert misses == []


def test_masked_figure_on_a_text_with_none_end_to_end(tmp_path):
    texts = {"a": "（虚构）镇里建成委员工作站3个。", "b": "（虚构）委员们走访了****户居民，为××个村办实事。"}
    write_gold(tmp_path, texts, "a,3,个,stations,委员工作站,0,0\n")
    ev = evaluate(tmp_path)
    b = ev.figures[ev.figures["doc_id"] == "b"]
    assert len(b) == 2 and b["masked"].all()           # the rows stay, marked masked
    assert score(ev, "no_figure_texts", "figures_emitted") == (0, 1, "0")
    assert score(ev, "strict", "precision") == (1, 1, "100.0")
    assert not (ev.misses["group"] == "figure").any()


def test_evaluate_end_to_end_on_fictional_texts(tmp_path):
    texts = {"a": "（虚构）全县建成委员工作站12个，收集社情民意76条，约300名群众参加。",
             "b": "（虚构）委员们走进社区，倾听群众心声。"}
    figs = "a,12,个,stations,委员工作站,0,0\na,76,条,opinions,社情民意,0,0\na,300,名,residents,群众,1,0\n"
    write_gold(tmp_path, texts, figs, "a,platform,委员工作站,\n")
    ev = evaluate(tmp_path)
    assert score(ev, "strict", "recall") == (3, 3, "100.0")
    assert score(ev, "strict", "precision") == (3, 3, "100.0")
    assert score(ev, "approx", "accuracy") == (3, 3, "100.0")
    assert score(ev, "no_figure_texts", "figures_emitted") == (0, 1, "0")
    assert score(ev, "platform", "recall")[:2] == (1, 1)


def test_baseline_is_naive():
    df = baseline_figures({"a": "（虚构）收集社情民意76条，2021年建成工作站3个，第5次会议。"})
    assert df["value"].tolist() == [76.0, 3.0]          # the year and the ordinal are dropped
    assert df["counted"].tolist() == ["", ""]           # the noun before the number is never read


# ----------------------------------------------------------------------------- codes

def test_kappa_hand_computed_and_against_sklearn():
    assert kappa([True, True, False, False], [True, False, False, False]) == 0.5
    assert kappa([True, False], [True, False]) == 1.0
    assert math.isnan(kappa([], []))
    from sklearn.metrics import cohen_kappa_score

    seed = 7
    rng = random.Random(seed)
    a = [rng.random() < 0.4 for _ in range(200)]
    b = [x if rng.random() < 0.8 else not x for x in a]
    assert kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_code_scores_hand_computed():
    text = "（虚构）政协委员走访村民，到委员之家议事。"
    #        0 1 2 3 4-7 政协委员, 8-9 走访, 10-11 村民, 12 ，13 到, 14-17 委员之家
    gold = pd.DataFrame({"doc_id": ["a"] * 4, "category": ["actor", "actor", "platform", "problem"],
                         "item_zh": ["政协委员", "村民", "委员之家", "停车难"]})
    pred = pd.DataFrame({"doc_id": ["a"] * 4, "category": ["actor", "actor", "actor", "platform"],
                         "start": [4, 6, 14, 14], "end": [8, 8, 16, 18],
                         "matched": ["政协委员", "委员", "委员", "委员之家"]})
    rows, misses, conf = score_codes(pred, gold, {"a": text})
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("actor", "recall")] == (1, 2, "50.0")          # 村民 has no code
    assert got[("actor", "precision")] == (2, 3, "66.7")       # 委员 inside 委员之家 is wrong
    assert got[("platform", "recall")] == (1, 1, "100.0")
    assert got[("platform", "precision")] == (1, 1, "100.0")
    assert got[("problem", "recall")] == (0, 1, "0.0") and got[("problem", "unlocated")][:2] == (1, 1)
    # units: U1 = 政协委员 (gold actor, system actor), U2 = 村民 (gold actor, no system),
    #        U3 = 委员之家 (gold platform; system actor and platform)
    # actor: gold [1,1,0], system [1,0,1] -> po 1/3, pe 2/3*2/3 + 1/3*1/3 = 5/9, kappa = -0.5
    assert got[("actor", "kappa")] == (3, 3, "-50.0")
    # platform: gold [0,0,1], system [0,0,1] -> 1.0
    assert got[("platform", "kappa")][2] == "100.0"
    assert conf.loc["actor", "actor"] == 1 and conf.loc["actor", "none"] == 1
    assert conf.loc["platform", "actor"] == 1 and conf.loc["platform", "platform"] == 1
    assert sorted(m["error"] for m in misses) == ["code on no gold item", "gold item not in the clean text",
                                                  "no code of this category"]


def test_gold_items_are_found_across_spaces_and_traditional_script():
    text = "（虚构）县政协主席 张 三到社区协商议事室。"
    gold = pd.DataFrame({"doc_id": ["a", "a"], "category": ["actor", "platform"],
                         "item_zh": ["县政协主席&nbsp;张&nbsp;三", "協商議事室"]})
    pred = pd.DataFrame({"doc_id": ["a", "a"], "category": ["actor", "platform"], "start": [5, 16], "end": [7, 21],
                         "matched": ["主席", "协商议事室"]})
    rows, _, _ = score_codes(pred, gold, {"a": text})
    got = {(r["category"], r["metric"]): r["numerator"] for r in rows}
    assert got[("actor", "recall")] == 1 and got[("platform", "recall")] == 1


def test_unmapped_categories_are_ignored():
    text = "（虚构）推行清单制。"
    pred = pd.DataFrame({"doc_id": ["a"], "category": ["mechanism"], "start": [6], "end": [9], "matched": ["清单制"]})
    gold = pd.DataFrame({"doc_id": [], "category": [], "item_zh": []})
    rows, misses, _ = score_codes(pred, gold, {"a": text})
    assert all(r["numerator"] == 0 for r in rows if r["metric"] in ("recall", "precision")) and misses == []


# ----------------------------------------------------------------------------- steps

def test_step_sequences_found_and_in_order():
    loops = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2, "position": [1, 2, 3, 4, 1, 2],
                          "named": ["征集议题", "会前调研", "民主协商", "结果反馈", "协商", "调研"]})
    gold = pd.DataFrame({"doc_id": ["a"] * 6 + ["b"] * 2, "category": ["step"] * 8,
                         "item_zh": ["征集议题", "调研", "协商", "反馈", "通报", "提问", "调研", "协商"],
                         "note": ["1", "2", "3", "4", "m1", "m2", "1", "2"]})
    rows, misses = score_steps(loops, gold, ["a", "b"])
    got = {r["metric"]: (r["numerator"], r["denominator"]) for r in rows}
    # a: main sequence found in order, m-sequence not found; b: found, out of order
    assert got == {"found": (2, 3), "in_order": (1, 3), "steps_found": (6, 8)}
    assert sorted(m["error"] for m in misses) == ["sequence found out of order", "sequence not found"]


def test_tightest_span_of_a_sequence():
    from govlab.evaluate import _tightest

    assert _tightest([[(0, 1), (20, 21)], [(10, 12), (22, 24)], [(2, 3), (25, 26)]]) == (20, 26)
    assert _tightest([[(5, 6), (9, 10)], []]) == (5, 6)            # an unlocated step is left out
    assert _tightest([[(0, 2)], [(4, 6)], [(8, 10), (30, 32)]]) == (0, 10)
    assert _tightest([[], []]) is None
    # against brute force over every choice of one occurrence per list (seeded)
    import itertools

    rng = random.Random(13)
    for _ in range(200):
        lists = [sorted({(s, s + rng.randint(1, 3)) for s in rng.sample(range(40), rng.randint(1, 4))})
                 for _ in range(rng.randint(1, 4))]
        regions = [(min(s for s, _ in c), max(e for _, e in c)) for c in itertools.product(*lists)]
        assert _tightest(lists) == min(regions, key=lambda r: (r[1] - r[0], r[0]))


def step_case():
    # 办 and 评 are one-character steps of 提、立、办、督、评; they also occur outside the sequence
    text = "（虚构）群众说委员办实事，还来评理。流程为提、立、办、督、评，另有汇报→评议→协商。"
    seq_at = text.index("提、立")
    steps = ["提", "立", "办", "督", "评"]
    at = [seq_at + 2 * i for i in range(5)]
    gold = pd.DataFrame({"doc_id": ["a"] * 6, "category": ["step"] * 5 + ["actor"],
                         "item_zh": steps + ["群众"], "note": ["1", "2", "3", "4", "5", ""]})
    pyi = text.index("评议")
    stray = text.index("办实事")
    pred = pd.DataFrame({"doc_id": ["a"] * 8, "category": ["step"] * 7 + ["actor"],
                         "start": at + [pyi, stray, text.index("群众")],
                         "end": [s + 1 for s in at] + [pyi + 2, stray + 1, text.index("群众") + 2],
                         "matched": steps + ["评议", "办", "群众"]})
    hb = text.index("汇报")
    sequences = pd.DataFrame({"doc_id": ["a"] * 3, "position": [1, 2, 3], "named": ["汇报", "评议", "协商"],
                              "start": [hb, hb + 3, hb + 6], "end": [hb + 2, hb + 5, hb + 8], "sequence": [2, 2, 2]})
    return text, gold, pred, sequences


def test_step_units_are_limited_to_the_named_sequence():
    text, gold, pred, sequences = step_case()
    rows, misses, conf = score_codes(pred, gold, {"a": text}, sequences=sequences)
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("step", "recall")] == (5, 5, "100.0")
    # 评议 is in a sequence govlab found but holds no gold step there (评 of 评议 is outside the gold
    # sequence's span): wrong; the stray 办 of 办实事 is in no sequence: not counted at all
    assert got[("step", "precision")] == (5, 6, "83.3")
    assert [(m["predicted"], m["error"]) for m in misses] == [("评议", "code on no gold item")]
    # units: the five steps (gold and system), 评议 (system only), 群众 (actor): the 办 of 办实事 and
    # the 评 of 评理 are no units. step: gold [1]*5+[0,0], system [1]*5+[1,0] -> kappa 10/17
    assert got[("step", "kappa")] == (7, 7, "58.8")
    assert conf.loc["step", "step"] == 5 and conf.loc["none", "step"] == 1


def test_step_codes_outside_any_sequence_are_dropped_without_system_sequences():
    text, gold, pred, _ = step_case()
    rows, misses, _ = score_codes(pred, gold, {"a": text})
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("step", "precision")] == (5, 5, "100.0") and got[("step", "kappa")] == (6, 6, "100.0")
    assert misses == []


def test_step_sequence_span_is_the_tightest_cluster_and_per_sequence():
    # the first 受理…评价 is scattered over the text; the named sequence is the tight run at the end;
    # a second sequence (m1, m2) has its own span
    text = "（虚构）受理群众来信后，及时评价。办理情况：受理、转办、办理、评价。会上通报、提问。"
    names = ["受理", "转办", "办理", "评价"]
    run = text.index("受理、转办")
    at = [run + 3 * i for i in range(4)]
    m_at = [text.index("通报"), text.index("提问")]
    gold = pd.DataFrame({"doc_id": ["a"] * 6, "category": ["step"] * 6, "item_zh": names + ["通报", "提问"],
                         "note": ["1", "2", "3", "4", "m1", "m2"]})
    pred = pd.DataFrame({"doc_id": ["a"] * 6, "category": ["step"] * 6, "start": at + m_at,
                         "end": [s + 2 for s in at + m_at], "matched": names + ["通报", "提问"]})
    rows, misses, _ = score_codes(pred, gold, {"a": text})
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("step", "recall")] == (6, 6, "100.0") and got[("step", "precision")] == (6, 6, "100.0")
    assert got[("step", "kappa")] == (6, 6, "100.0")    # the 受理 and 评价 of the first sentence are no units
    assert misses == []


def test_tightest_span_in_gold_order():
    from govlab.evaluate import _tightest_in_order

    # the first step also occurs after the second: the ordered choice takes its earlier occurrence
    assert _tightest_in_order([[(0, 4), (14, 18)], [(8, 12)], [(20, 24)]]) == (0, 24)
    assert _tightest_in_order([[(30, 34)], [(10, 12)]]) is None
    assert _tightest_in_order([[(5, 6)], [], [(9, 10)]]) == (5, 10)
    import itertools

    rng = random.Random(29)
    for _ in range(200):
        lists = []
        for _ in range(rng.randint(1, 4)):
            n = rng.randint(1, 3)  # one length per list, as for one step written one way
            lists.append([(s, s + n) for s in sorted(rng.sample(range(40), rng.randint(1, 4)))])
        regions = [(c[0][0], max(e for _, e in c)) for c in itertools.product(*lists)
                   if all(a[0] < b[0] for a, b in zip(c, c[1:]))]
        want = min(regions, key=lambda r: (r[1] - r[0], r[0])) if regions else None
        assert _tightest_in_order(lists) == want


def test_step_sequence_span_follows_the_gold_order():
    # 视察调研 opens the sequence and is named again later, after the second step: the span starts at
    # the first one (in order), where govlab coded it, not at the later one (tighter, out of order)
    text = "（虚构）先视察调研，再列出问题清单，视察调研后召开协商会，最后形成协商报告。"
    names = ["视察调研", "列出问题清单", "召开协商会", "形成协商报告"]
    gold = pd.DataFrame({"doc_id": ["a"] * 4, "category": ["step"] * 4, "item_zh": names,
                         "note": ["1", "2", "3", "4"]})
    at = [text.index(n) for n in names]
    pred = pd.DataFrame({"doc_id": ["a"] * 4, "category": ["step"] * 4, "start": at,
                         "end": [s + len(n) for s, n in zip(at, names)], "matched": names})
    rows, misses, _ = score_codes(pred, gold, {"a": text})
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"], r["score"]) for r in rows}
    assert got[("step", "recall")] == (4, 4, "100.0") and got[("step", "precision")] == (4, 4, "100.0")
    # the later 视察调研 lies inside the span: a gold unit with no code
    assert got[("step", "kappa")][:2] == (5, 5) and [m["error"] for m in misses] == []


# ----------------------------------------------------------------------------- goals and CLI

def test_goals_table_and_failures():
    goals = read_goals()
    enforced = goals[goals.enforced]
    assert set(enforced["group"]) == {"figures", "codes", "steps"} and len(enforced) == len(goals) == 8
    assert enforced.set_index(["category", "metric"]).loc[("strict", "recall"), "goal"] == 90
    sc = pd.DataFrame({"part": ["heldout"] * 3, "group": ["figures"] * 3,
                       "category": ["strict", "strict", "no_figure_texts"],
                       "metric": ["recall", "precision", "figures_emitted"],
                       "numerator": [88, 87, 1], "denominator": [100, 100, 9], "score": ["88.0", "87.0", "1"]})
    figure_goals = goals[goals["group"] == "figures"]
    assert goal_failures(sc, figure_goals) == ["figures strict precision: 87.0 < goal 90 - 2",
                                               "figures no_figure_texts figures_emitted: 1 > goal 0"]
    # a goal without a score fails, naming the metric
    missing = goal_failures(sc, goals)
    assert "codes platform recall: no score in part 'heldout'" in missing and len(missing) == 2 + 5


def test_gold_items_spelled_with_glosses_still_match():
    assert counted_matches("政协委员", "政協(xié)委員")


def test_cli_evaluate(tmp_path):
    gold = write_gold(tmp_path / "gold", {"a": "（虚构）全县建成委员工作站12个。"}, "a,12,个,stations,委员工作站,0,0\n",
                      "a,platform,委员工作站,\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", "import sys; from govlab.cli import main; sys.exit(main())"]
    r = subprocess.run([*cmd, "evaluate", str(gold), "--out", str(tmp_path / "out")], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "strict" in r.stdout
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", keep_default_na=False)
    assert list(scores.columns) == ["part", "group", "category", "metric", "numerator", "denominator", "score"]
    assert (tmp_path / "out" / "misses.csv").exists() and (tmp_path / "out" / "confusion.csv").exists()
    (gold / "gold_figures.csv").write_text(FIG_HEAD + "a,twelve,个,x,工作站,0,0\n", encoding="utf-8")
    r = subprocess.run([*cmd, "evaluate", str(gold)], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "row 2, column value" in r.stderr


# ----------------------------------------------------------------------------- the development set

def devset_dir() -> Path:
    return Path(os.environ.get("GOVLAB_DEVSET_DIR") or ROOT.parent / "shared" / "devset")


@pytest.fixture(scope="module")
def devset_scores():
    d = devset_dir()
    if not (d / "raw").is_dir():
        pytest.skip(f"no development set at {d} (set GOVLAB_DEVSET_DIR)")
    return evaluate(d, split="each").scores


@pytest.mark.xfail(strict=True, reason="issue 13 goals not met on the held-out part: strict figure recall and "
                   "precision 78.6% (11/14), platform recall 42.4%, actor 77.8%, problem 56.2%, code precision "
                   "52.8%, sequences in order 2/3 (datasets/evaluation/scores_after.csv); the platform and code "
                   "precision goals lie above the blind second annotator's 54.5% and 51.0% "
                   "(datasets/evaluation/human_ceiling.csv); remove this marker when they are met")
def test_devset_heldout_meets_the_goals(devset_scores):
    """Held-out scores may fall at most 2 points below the goals of issue 13 (every row of
    datasets/evaluation/goals.csv is enforced)."""
    assert goal_failures(devset_scores, read_goals(), part="heldout") == []


def test_devset_scores_match_the_stored_table(devset_scores):
    """datasets/evaluation/scores_after.csv is what `govlab evaluate --split each` gives now: every
    score of both parts, so no change of the rules moves a score without the stored table (and the
    README and notebook 08 that show it) moving with it."""
    stored = pd.read_csv(ROOT / "datasets" / "evaluation" / "scores_after.csv", dtype=str, keep_default_na=False)
    now = devset_scores.astype(str).reset_index(drop=True)
    diff = stored.merge(now, on=["part", "group", "category", "metric"], how="outer", suffixes=("_stored", "_now"),
                        indicator=True)
    changed = diff[(diff["_merge"] != "both") | (diff["score_stored"] != diff["score_now"])]
    assert changed.empty, changed[["part", "group", "category", "metric", "score_stored", "score_now"]].to_string()


def test_devset_adjudicated_scores_match_the_stored_table():
    """datasets/evaluation/scores_adjudicated.csv is the score against the shipped adjudicated gold."""
    from govlab.evaluate import default_adjudicated_paths

    d = devset_dir()
    if not (d / "raw").is_dir():
        pytest.skip(f"no development set at {d} (set GOVLAB_DEVSET_DIR)")
    codes, figs = default_adjudicated_paths()
    now = evaluate(read_gold(d, codes_file=codes, figures_file=figs), split="each").scores.astype(str)
    stored = pd.read_csv(ROOT / "datasets" / "evaluation" / "scores_adjudicated.csv", dtype=str, keep_default_na=False)
    assert stored.reset_index(drop=True).equals(now.reset_index(drop=True))


def test_shipped_adjudication_and_agreement_are_consistent():
    """Every adjudicated item names a development-set file and says who gave it and what was decided;
    the stored agreement table is what annotator_agreement gives from it."""
    from govlab.evaluate import annotator_agreement, default_adjudicated_paths

    codes_path, _ = default_adjudicated_paths()
    adj = pd.read_csv(codes_path, dtype=str, keep_default_na=False)
    assert set(adj["file"]) <= set(read_split())
    assert set(adj["source"]) == {"both", "first", "second"} and set(adj["decision"]) == {"keep", "drop"}
    stored = pd.read_csv(ROOT / "datasets" / "evaluation" / "agreement.csv", keep_default_na=False)
    stored = stored[(stored["pairing"] == "adjudicated") & (stored["group"] == "codes")].reset_index(drop=True)
    again = annotator_agreement(adj)
    assert stored["psa"].astype(float).tolist() == again["psa"].tolist()
    assert stored["both"].astype(int).tolist() == again["both"].tolist()


def test_code_precision_counts_distinct_predictions_and_mentions_apart():
    text = "（虚构）群众找委员，群众再找委员，群众说好。"
    gold = pd.DataFrame({"doc_id": ["a"], "category": ["actor"], "item_zh": ["委员"]})
    starts = [i for i in range(len(text)) if text.startswith("群众", i)]
    wstarts = [i for i in range(len(text)) if text.startswith("委员", i)]
    pred = pd.DataFrame({"doc_id": ["a"] * 5, "category": ["actor"] * 5,
                         "start": starts + wstarts, "end": [s + 2 for s in starts + wstarts],
                         "matched": ["群众"] * 3 + ["委员"] * 2})
    rows, misses, _ = score_codes(pred, gold, {"a": text})
    got = {(r["category"], r["metric"]): (r["numerator"], r["denominator"]) for r in rows}
    assert got[("actor", "precision")] == (1, 2)           # 委员 right once, 群众 wrong once
    assert got[("actor", "precision_mentions")] == (2, 5)  # per mention: 2 of 5
    assert got[("all", "precision")] == (1, 2) and got[("all", "precision_mentions")] == (2, 5)
    wrong = [m for m in misses if m["error"] == "code on no gold item"]
    assert [(m["predicted"], m["start"]) for m in wrong] == [("群众", starts[0])]


def test_annotator_agreement_hand_computed_and_bad_values_named():
    from govlab.evaluate import annotator_agreement

    adj = pd.DataFrame({"category": ["actor"] * 5 + ["platform"] * 2,
                        "source": ["both", "both", "both", "first", "second", "first", "second"],
                        "decision": ["keep", "keep", "keep", "drop", "keep", "keep", "drop"]})
    t = annotator_agreement(adj).set_index("category")
    # actor: b=3, f=1, s=1 -> Jaccard 3/5, PSA 6/8; kept 4: first has 3 of them, second 4
    assert t.loc["actor", ["first", "second", "both", "kept"]].tolist() == [4, 4, 3, 4]
    assert t.loc["actor", ["jaccard", "psa", "first_recall", "second_recall", "first_precision"]].tolist() == \
        [0.6, 0.75, 0.75, 1.0, 0.75]
    # platform: no item in common -> 0 agreement; all: b=3, f=2, s=2
    assert t.loc["platform", "psa"] == 0.0 and t.loc["all", "psa"] == round(6 / 10, 3)
    with pytest.raises(InputError, match="source.*unknown source values \\['third'\\]"):
        annotator_agreement(adj.assign(source=["third"] + adj["source"].tolist()[1:]))


def test_pair_annotations_matches_alternatives_and_script_but_not_containment():
    from govlab.evaluate import annotator_agreement, pair_annotations

    first = pd.DataFrame({"file": ["x"] * 3, "category": ["actor", "actor", "platform"],
                          "item_zh": ["县政协主席", "村民|村民代表", "協商議事室"]})
    second = pd.DataFrame({"file": ["x"] * 4 + ["y"], "category": ["actor", "actor", "platform", "platform", "platform"],
                           "item_zh": ["县政协", "村民代表", "协商议事室", "协商议事室", "协商议事室"]})
    t = pair_annotations(first, second)
    assert sorted(t[t["source"] == "both"]["item_zh"]) == ["協商議事室", "村民|村民代表"]
    # containment is not a match; the second 协商议事室 in x pairs with nothing; y is another file
    assert sorted(zip(t["file"], t["source"])) == [("x", "both"), ("x", "both"), ("x", "first"), ("x", "second"),
                                                  ("x", "second"), ("y", "second")]
    agree = annotator_agreement(t).set_index("category")
    assert agree.loc["all", "psa"] == round(4 / 8, 3)
    with pytest.raises(InputError, match="second.*missing columns \\['item_zh'\\]"):
        pair_annotations(first, second.drop(columns="item_zh"))


def test_score_table_puts_tables_side_by_side_for_one_part():
    from govlab.evaluate import score_table

    a = pd.DataFrame({"part": ["heldout", "tune"], "group": ["figures", "figures"], "category": ["strict", "strict"],
                      "metric": ["recall", "recall"], "numerator": [3, 9], "denominator": [4, 9],
                      "score": ["75.0", "100.0"]})
    b = a.iloc[[1]]  # a table with no held-out row
    rows = [("figures", "strict", "recall"), ("codes", "all", "precision")]
    t = score_table({"a": a, "b": b}, rows)
    assert list(t.columns) == ["a", "b"] and list(t.index) == rows
    assert t.loc[rows[0], "a"] == "75.0 (3/4)"
    assert t["b"].isna().all() and pd.isna(t.loc[rows[1], "a"])
    assert score_table({"a": a}, rows[:1], part="tune").iloc[0, 0] == "100.0 (9/9)"
