"""Tests of scoring a second annotation as the system (the human ceiling).

Every text here is FICTIONAL, written for these tests; the gold files are written by the tests.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.evaluate import (
    SCORE_COLUMNS,
    annotation_as_system,
    evaluate,
    human_ceiling,
    read_gold,
    write_gold_folder,
)

ROOT = Path(__file__).resolve().parents[1]
FIG_HEAD = "file,value,unit,counted,counted_zh,approx,context\n"
CODE_HEAD = "file,category,item_zh,note\n"
TEXTS = {"a": "（虚构）全镇建成委员工作站12个，组织村民议事会3次，流程为收集议题、调研、协商、反馈。",
         "b": "（虚构）县政协委员走访群众，听取意见。"}


@pytest.fixture()
def gold_dir(tmp_path):
    return write_gold_folder(tmp_path / "gold", TEXTS,
                             "a,12,个,stations,委员工作站,0,0\na,3,次,meetings,村民议事会,0,0\n",
                             "a,platform,委员工作站,\na,platform,村民议事会,\na,step,收集议题,1\na,step,调研,2\n"
                             "a,step,协商,3\na,step,反馈,4\nb,actor,县政协委员,\n")


def _annotation(gold_dir: Path, figures: str, codes: str):
    (gold_dir / "second_figures.csv").write_text(FIG_HEAD + figures, encoding="utf-8")
    (gold_dir / "second_codes.csv").write_text(CODE_HEAD + codes, encoding="utf-8")
    return read_gold(gold_dir, figures_file=gold_dir / "second_figures.csv", codes_file=gold_dir / "second_codes.csv")


def test_the_gold_scored_as_its_own_annotation_is_perfect(gold_dir):
    gold = read_gold(gold_dir)
    s = evaluate(gold, annotation=gold).scores.set_index(["group", "category", "metric"])["score"]
    assert s[("figures", "strict", "recall")] == "100.0" and s[("figures", "strict", "precision")] == "100.0"
    for cat in ("platform", "actor", "step"):
        assert s[("codes", cat, "recall")] == "100.0" and s[("codes", cat, "precision")] == "100.0"
    assert s[("steps", "sequence", "in_order")] == "100.0"


def test_a_second_annotation_is_scored_by_the_same_rules(gold_dir):
    """The second annotator counts 12 工作站 (the head of the gold noun: strict), misses the 3 meetings,
    adds 群众 as an actor and gives the steps out of order."""
    ann = _annotation(gold_dir, "a,12,个,stations,工作站,0,0\n",
                      "a,platform,委员工作站,\nb,actor,县政协委员,\nb,actor,群众,\n"
                      "a,step,调研,1\na,step,收集议题,2\na,step,协商,3\na,step,反馈,4\n")
    s = evaluate(read_gold(gold_dir), annotation=ann).scores.set_index(["group", "category", "metric"])
    assert tuple(s.loc[("figures", "strict", "recall"), ["numerator", "denominator"]]) == (1, 2)
    assert tuple(s.loc[("figures", "strict", "precision"), ["numerator", "denominator"]]) == (1, 1)
    assert tuple(s.loc[("codes", "actor", "precision"), ["numerator", "denominator"]]) == (1, 2)
    assert tuple(s.loc[("codes", "platform", "recall"), ["numerator", "denominator"]]) == (1, 2)
    assert tuple(s.loc[("steps", "sequence", "found"), ["numerator", "denominator"]]) == (1, 1)
    assert tuple(s.loc[("steps", "sequence", "in_order"), ["numerator", "denominator"]]) == (0, 1)


def test_annotation_as_system_places_items_at_every_occurrence(gold_dir):
    ann = _annotation(gold_dir, "a,12,个,stations,委员工作站,0,0\n", "a,platform,委员工作站|议事会,\n")
    figs, codes, seqs = annotation_as_system(ann)
    text = TEXTS["a"]
    assert [text[s:e] for s, e in zip(codes["start"], codes["end"])] == ["委员工作站", "议事会"]
    assert figs.loc[0, "counted"] == "委员工作站" and text[figs.loc[0, "start"]:figs.loc[0, "end"]] == "委员工作站"
    assert seqs.empty


def test_an_annotation_of_other_texts_is_refused(gold_dir, tmp_path):
    other = write_gold_folder(tmp_path / "other", {"c": "（虚构）另一篇。"}, "", "")
    with pytest.raises(InputError, match="not of the same texts"):
        evaluate(read_gold(gold_dir), annotation=read_gold(other))


def test_human_ceiling_flags_goals_above_the_annotator():
    goals = pd.DataFrame({"group": ["figures", "codes", "figures"], "category": ["strict", "all", "no_figure_texts"],
                          "metric": ["recall", "precision", "figures_emitted"], "goal": [90.0, 90.0, 0.0]})

    def table(rec, prec, emitted):
        return pd.DataFrame([["heldout", "figures", "strict", "recall", 0, 0, rec],
                             ["heldout", "codes", "all", "precision", 0, 0, prec],
                             ["heldout", "figures", "no_figure_texts", "figures_emitted", 0, 0, emitted]],
                            columns=SCORE_COLUMNS)

    out = human_ceiling(goals, table("95.0", "60.0", "2"), table("80.0", "55.0", "0"))
    assert out["above_ceiling"].tolist() == [False, True, True]
    assert out["govlab"].tolist() == [80.0, 55.0, 0.0]


def test_cli_scores_an_annotation_and_wants_both_tables(gold_dir):
    _annotation(gold_dir, "a,12,个,stations,工作站,0,0\n", "a,platform,委员工作站,\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", "import sys; from govlab.cli import main; sys.exit(main())", "evaluate", str(gold_dir)]
    r = subprocess.run([*cmd, "--annotation-codes", str(gold_dir / "second_codes.csv"), "--annotation-figures",
                        str(gold_dir / "second_figures.csv"), "--no-misses"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if "strict" in x and "precision" in x)
    assert line.split()[-1] == "100.0"
    r = subprocess.run([*cmd, "--annotation-codes", str(gold_dir / "second_codes.csv")], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 2 and "--annotation-figures" in r.stderr


# ----------------------------------------------------------------------------- the development set

def test_devset_human_ceiling_matches_the_stored_tables():
    """scores_second_annotator.csv is the shipped second annotation scored now, and the development-set
    rows of human_ceiling.csv carry those scores and the stored govlab scores beside each goal."""
    d = Path(os.environ.get("GOVLAB_DEVSET_DIR") or ROOT.parent / "shared" / "devset")
    if not (d / "raw").is_dir():
        pytest.skip(f"no development set at {d} (set GOVLAB_DEVSET_DIR)")
    from govlab.evaluate import load_evaluation, read_goals, read_split

    ev = ROOT / "datasets" / "evaluation"
    second = read_gold(d, codes_file=ev / "second_annotation_codes.csv", figures_file=ev / "second_annotation_figures.csv")
    now = evaluate(read_gold(d), split="each", split_map=read_split(), annotation=second).scores
    stored = load_evaluation("scores_second_annotator")
    assert now.astype(str).reset_index(drop=True).equals(stored.astype(str).reset_index(drop=True))
    table = load_evaluation("human_ceiling")
    for part in ("tune", "heldout"):
        expected = human_ceiling(read_goals(), stored, load_evaluation("scores_after"), part=part)
        got = table[(table["set"] == "devset") & (table["part"] == part)].reset_index(drop=True)
        assert got["annotator_score"].astype(float).tolist() == expected["annotator"].tolist()
        assert got["govlab_score"].astype(float).tolist() == expected["govlab"].tolist()
        assert (got["above_ceiling"] == "True").tolist() == expected["above_ceiling"].tolist()
