"""The learned counted-noun choice (govlab.experiments.learned_counted): candidates, labels, training, JSON model.

Sentences are fictional (虚构). The test that needs real texts reads the development set at run time
from GOVLAB_DEVSET_DIR (default ../shared/devset) and is skipped when it is absent.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.coding import extract_figures
from govlab.errors import InputError
from govlab.evaluate import read_split, write_gold_folder
from govlab.experiments.learned_counted import (
    FEATURES,
    RULE_FEATURES,
    CountedNounModel,
    candidates,
    default_model_path,
    label_candidates,
    load_model,
    main,
    relabel,
    train,
    training_set,
)

ROOT = Path(__file__).resolve().parents[1]

TEXTS = {
    "a": "（虚构）甲镇今年新建委员工作站3个，收集社情民意76条。",
    "b": "（虚构）乙县组织政协委员45名深入社区，开展专题协商12次。",
    "c": "（虚构）丙区设立议事室8个，惠及群众2000余人。",
    "d": "（虚构）丁街道召开协商会议5场，解决民生问题30件。",
    "e": "（虚构）戊村安装路灯50盏，覆盖村民300户。",
    "f": "（虚构）己县建成3个委员之家，邀请专家6名参与。",
}
GOLD = """a,3,个,stations,委员工作站,0,0
a,76,条,opinions,社情民意,0,0
b,45,名,members,政协委员|委员,0,0
b,12,次,consultations,专题协商,0,0
c,8,个,rooms,议事室,0,0
c,2000,人,residents,群众,1,0
d,5,场,meetings,协商会议,0,0
d,30,件,problems,民生问题,0,0
e,50,盏,lamps,路灯,0,0
e,300,户,households,村民|户,0,0
f,3,个,homes,委员之家,0,0
f,6,名,experts,专家,0,0"""


def _cands(text):
    f = extract_figures(text, "t")
    return f, candidates(text, f)


# ----------------------------------------------------------------------------- candidates

def test_candidates_before_and_after_the_number():
    f, c = _cands("（虚构）今年收集社情民意76条，新建委员工作站3个。")
    before0 = c[(c["fig"] == 0) & (c["side"] == "before")]
    assert "社情民意" in before0["span"].tolist()
    assert before0.loc[before0["span"] == "社情民意", "adjacent"].item() == 1.0
    adj1 = c[(c["fig"] == 1) & (c["adjacent"] == 1.0) & (c["side"] == "before")]["span"].tolist()
    assert "委员工作站" in adj1
    f, c = _cands("（虚构）全县建成3个委员之家。")
    after = c[(c["side"] == "after") & (c["after_adjacent"] == 1.0)]["span"].tolist()
    assert "委员之家" in after


def test_candidates_stop_at_the_sentence_and_keep_lists_and_brackets():
    _, c = _cands("（虚构）全镇有村民委员会。新建工作站3个。")
    assert not any("村民委员会" in s for s in c["span"])
    _, c = _cands("（虚构）覆盖区、县（市）12个，设立服务点。")
    assert "区、县(市)" in c["span"].tolist()  # a list with brackets is one span, ASCII brackets
    _, c = _cands("（虚构）参与群众2700多人。")
    unit = c[c["side"] == "unit"]
    assert unit["span"].tolist() == ["人"] and unit["is_unit"].item() == 1.0


def test_rule_pick_is_a_candidate_and_flagged():
    f, c = _cands("（虚构）新建委员工作站3个。")
    assert f["counted"].tolist() == ["委员工作站"]
    assert c.loc[c["rule"] == 1.0, "span"].tolist() == ["委员工作站"]
    money = pd.DataFrame({"doc_id": ["t"], "kind": ["money"], "unit": ["万元"], "counted": ["资金"],
                          "masked": [False], "start": [6], "end": [10]})
    c = candidates("（虚构）乙县筹集20万元。", money)
    assert c.loc[c["side"] == "rule", "span"].tolist() == ["资金"]  # not in the text: its own candidate


def test_candidates_skip_dates_and_masked_figures():
    f = extract_figures("（虚构）2023年5月，建成工作站××个。", "t")
    assert candidates("（虚构）2023年5月，建成工作站××个。", f).empty


# ----------------------------------------------------------------------------- labels

def test_label_rule_equal_or_head_never_a_longer_span():
    c = pd.DataFrame({"fig": [0, 0, 0, 0, 0, 1], "norm": ["政协委员工作站", "委员工作站", "工作站", "新建委员工作站", "委员", "户"]})
    y = label_candidates(c, {0: "政协委员工作站", 1: "村民|户"})
    assert y.tolist() == [1, 1, 1, 0, 0, 1]
    # normalised as the scorer does (traditional script, quotes, brackets)
    c = pd.DataFrame({"fig": [0, 0], "norm": ["委员工作站(室)", "议事室"]})
    assert label_candidates(c, {0: "“委員工作站（室）”"}).tolist() == [1, 0]


# ----------------------------------------------------------------------------- training and JSON

@pytest.fixture(scope="module")
def gold_dir(tmp_path_factory):
    return write_gold_folder(tmp_path_factory.mktemp("gold"), TEXTS, GOLD)


def test_training_is_deterministic_and_json_is_plain(gold_dir, tmp_path):
    a = train([gold_dir], tmp_path / "a.json", n_splits=3)
    train([gold_dir], tmp_path / "b.json", n_splits=3)
    raw = (tmp_path / "a.json").read_bytes()
    assert raw == (tmp_path / "b.json").read_bytes()
    data = json.loads(raw)
    assert data["features"] == [f for f in FEATURES if f not in RULE_FEATURES]
    assert len(data["weights"]) == len(data["features"])
    assert {r["file"] for r in data["training_files"]} == {f"{k}.txt" for k in TEXTS}
    assert all(len(r["sha256"]) == 64 for r in data["training_files"])
    assert set(data["cv"]["strict"]) >= {"all rules", "all learned"}
    assert all(float(f"{w:.6g}") == w for w in data["weights"])  # rounded to 6 significant digits
    assert a.meta["training"]["documents"] == len(TEXTS)


def test_json_round_trip_and_choice(gold_dir, tmp_path):
    ts = training_set([gold_dir])
    m = CountedNounModel(features=list(FEATURES)).fit(ts.cands, ts.y)
    m.to_json(tmp_path / "m.json")
    m2 = CountedNounModel.from_json(tmp_path / "m.json")
    assert list(m2.features) == list(FEATURES)
    np.testing.assert_array_equal(m2.weights, m.weights)
    pd.testing.assert_series_equal(m2.choose(ts.cands), m.choose(ts.cands))
    # relabel changes only the counted column of the rules' figures
    t = TEXTS["a"]
    rules = extract_figures(t, "a")
    learned = relabel(t, rules, m2)
    assert learned.drop(columns="counted").equals(rules.drop(columns="counted"))
    assert len(learned) == len(rules)


def test_threshold_keeps_the_rules_noun(gold_dir):
    ts = training_set([gold_dir])
    m = CountedNounModel(features=list(FEATURES), threshold=1.0).fit(ts.cands, ts.y)
    assert m.choose(ts.cands).empty  # no probability reaches 1: every figure abstains


@pytest.mark.parametrize(("edit", "key"), [
    (lambda d: d.pop("weights"), "weights"),
    (lambda d: d.update(weights=[1.0]), "weights"),
    (lambda d: d.update(features=d["features"][:-1] + ["no_such_feature"]), "features"),
    (lambda d: d.update(intercept="x"), "intercept"),
    (lambda d: d.update(format="other/9"), "format"),
    (lambda d: d.update(threshold=2), "threshold"),
])
def test_bad_model_file_names_file_and_key(gold_dir, tmp_path, edit, key):
    p = tmp_path / "m.json"
    train([gold_dir], p, n_splits=2)
    data = json.loads(p.read_text(encoding="utf-8"))
    edit(data)
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        CountedNounModel.from_json(p)
    assert str(p) in str(exc.value) and key in str(exc.value)


def test_unreadable_and_missing_model_files_are_named(tmp_path):
    p = tmp_path / "m.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="m.json"):
        CountedNounModel.from_json(p)
    with pytest.raises(InputError, match="missing.json"):
        load_model(tmp_path / "missing.json")


def test_command_line(gold_dir, tmp_path, capsys):
    out = tmp_path / "cv.csv"
    assert main(["cv", "--gold-dir", str(gold_dir), "--folds", "2", "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert set(df["method"]) == {"rules", "learned", "learned+rule"}
    assert main(["train", "--gold-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m.json")]) == 2
    assert "nowhere" in capsys.readouterr().err


# ----------------------------------------------------------------------------- shipped model

def test_shipped_model_loads_and_never_trained_on_the_heldout_part():
    m = load_model()
    assert len(m.weights) == len(m.features)
    data = json.loads(default_model_path().read_text(encoding="utf-8"))
    heldout = {f for f, part in read_split().items() if part == "heldout"}
    dev_files = {r["file"].removesuffix(".txt") for r in data["training_files"] if r["set"] == "devset"}
    assert dev_files and not dev_files & heldout


def _devset() -> Path:
    return Path(os.environ.get("GOVLAB_DEVSET_DIR") or ROOT.parent / "shared" / "devset")


def test_on_real_texts_candidates_hold_most_gold_nouns():
    from govlab.experiments.learned_counted import _gold_alternatives

    d = _devset()
    if not (d / "raw").is_dir():
        pytest.skip(f"no development set at {d} (set GOVLAB_DEVSET_DIR)")
    tune = {f for f, p in read_split().items() if p == "tune"}
    ts = training_set([d], split_file=ROOT / "datasets" / "evaluation" / "split.csv", split="tune")
    assert set(ts.texts) == tune & set(ts.texts) and len(ts.texts) == len(tune)
    gold_figs = set(_gold_alternatives(ts.figures, ts.gold))
    pos = ts.cands.assign(y=ts.y).groupby("fig")["y"].max()
    covered = sum(1 for f in gold_figs if pos.get(f, 0) == 1)
    assert len(gold_figs) >= 20 and covered >= 0.9 * len(gold_figs)  # a positive candidate for 9 in 10
