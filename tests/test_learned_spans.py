"""govlab.experiments.learned_spans: candidates, labels, deterministic training, the JSON model and its errors.

Every sentence here is made up (虚构). The real-text tests read the development set at run time
from GOVLAB_DEVSET_DIR (default ../shared/devset) and are skipped when it is absent.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.evaluate import read_split, write_gold_folder
from govlab.experiments import learned_spans as S

ROOT = Path(__file__).resolve().parents[1]

# Fictional texts (虚构): platform names built from a brand and a suffix, problems, actors.
TEXTS = {
    "a": "（虚构）青溪镇设立“邻里茶话”议事厅，政协委员和村民围绕停车难问题开展协商。",
    "b": "（虚构）白沙街道打造“板凳夜谈”议事厅，县政协委员同居民商量路灯不亮的事。",
    "c": "（虚构）东湖村建起“院坝议事”议事厅，政协委员听取群众对饮水安全的意见。",
    "d": "（虚构）西山社区开设“楼栋说事”议事厅，村民代表反映停车难问题。",
}
CODES = "\n".join([
    "a,platform,“邻里茶话”议事厅,", "a,actor,政协委员,", "a,actor,村民,", "a,problem,停车难问题,",
    "b,platform,“板凳夜谈”议事厅,", "b,actor,县政协委员,", "b,actor,居民,", "b,problem,路灯不亮,",
    "c,platform,“院坝议事”议事厅,", "c,actor,政协委员,", "c,actor,群众,", "c,problem,饮水安全,",
    "d,platform,“楼栋说事”议事厅,", "d,actor,村民代表,", "d,problem,停车难问题,",
])


@pytest.fixture(scope="module")
def gold_dir(tmp_path_factory):
    return write_gold_folder(tmp_path_factory.mktemp("gold") / "fictional", TEXTS, codes=CODES)


@pytest.fixture(scope="module")
def tset(gold_dir):
    return S.training_set([gold_dir])


# ----------------------------------------------------------------------------- candidates

def test_candidates_cover_quoted_brands_and_stay_inside_a_clause():
    t = TEXTS["a"]
    c = S.candidate_spans(t)
    spans = set(c["span"])
    assert {"“邻里茶话”议事厅", "“邻里茶话”", "议事厅", "政协委员", "村民", "停车难问题"} <= spans
    assert all(t[s:e] == sp for s, e, sp in zip(c["start"], c["end"], c["span"]))
    assert not any("，" in sp or "。" in sp for sp in spans)  # no span crosses a clause boundary
    assert not any(sp.endswith(("和", "的", "在", "对")) for sp in spans)  # no span ends with a function word
    assert list(c[["start", "end"]].itertuples(index=False)) == sorted(c[["start", "end"]].itertuples(index=False))


def test_candidates_include_every_rule_span_with_its_category():
    t = TEXTS["b"]
    from govlab.coding import code_text

    codes = code_text(t)
    c = S.candidate_spans(t, codes)
    keys = set(zip(c["start"], c["end"]))
    for r in codes.itertuples(index=False):
        if r.category in S.LEARNED_CATEGORIES:
            assert (r.start, r.end) in keys
    assert "platform" in set(c["rule_category"])


def test_features_are_general_and_name_no_document():
    t = TEXTS["c"]
    c = S.candidate_spans(t)
    feats = S.span_features(t, c)
    assert len(feats) == len(c)
    names = {k for f in feats for k in f}
    prefixes = {k.split("=")[0] for k in names}
    assert prefixes <= {"bias_span", "last_char", "first_char", "last2", "first_tok", "last_tok", "first_tag",
                        "last_tag", "tags", "n_tok", "last_tok_len", "n_char", "quote_start", "quote_end",
                        "quote_inside", "enum_inside", "digit", "latin", "prev_p", "next_p", "prev_tok",
                        "prev_tag", "next_tok", "next_tag", "origin", "rule", "rule_around", "rule_in",
                        "rule_cross"}
    assert not any(t in k for k in names for t in ("（虚构）东湖村建起",))


# ----------------------------------------------------------------------------- labels

def test_labels_are_exact_gold_spans_after_normalisation(tset):
    c = tset.candidates
    pos = c[c["label"] != "none"]
    got = set(zip(pos["doc_id"], pos["label"], pos["span"]))
    assert ("a", "platform", "“邻里茶话”议事厅") in got
    assert ("a", "problem", "停车难问题") in got
    assert ("b", "actor", "县政协委员") in got
    # a nested candidate is no gold item: negative
    assert c[(c["doc_id"] == "a") & (c["span"] == "议事厅")]["label"].tolist() == ["none"]
    # the quoted brand without quotes is the same item after normalisation (quotes trimmed)
    g = pd.DataFrame({"category": ["platform"], "item_zh": ["邻里茶话议事厅"]})
    lab = S.label_candidates(TEXTS["a"], S.candidate_spans(TEXTS["a"]), g)
    assert "platform" in set(lab)


# ----------------------------------------------------------------------------- training and JSON

def test_training_is_deterministic_and_the_json_round_trips(tset, tmp_path):
    m1 = S.train(tset, min_docs=2)
    m2 = S.train(tset, min_docs=2)
    p1, p2 = m1.save(tmp_path / "m1.json"), m2.save(tmp_path / "m2.json")
    assert p1.read_bytes() == p2.read_bytes()
    back = S.load_model(p1)
    assert back.feature_names == m1.feature_names
    feats = tset.features[:50]
    np.testing.assert_allclose(back.predict_proba(feats), m1.predict_proba(feats))
    d = json.loads(p1.read_text(encoding="utf-8"))
    assert d["format"] == S.MODEL_FORMAT and d["classes"] == list(S.CLASSES)
    assert {f["name"] for f in d["training"]["files"]} >= {"fictional/raw/a.txt", "fictional/gold_codes.csv"}
    assert all(len(f["sha256"]) == 64 for f in d["training"]["files"])
    assert all(k.split("=")[0] != "doc" for k in d["feature_names"])


def test_a_model_learns_the_brand_suffix_pattern(tset):
    m = S.train(tset, min_docs=2, min_prob=0.2)
    t = "（虚构）南塘村开设“巷口闲话”议事厅，村民商量停车难问题。"
    df = m.predict_codes(t, doc_id="x")
    assert set(df["code"]) <= {f"{c}.learned" for c in S.LEARNED_CATEGORIES}
    assert all(t[s:e] == mt for s, e, mt in zip(df["start"], df["end"], df["matched"]))
    plat = df[df["category"] == "platform"]["matched"].tolist()
    assert any(p.endswith("议事厅") for p in plat), df
    # one category never codes overlapping spans
    for _, g in df.groupby("category"):
        iv = sorted(zip(g["start"], g["end"]))
        assert all(a[1] <= b[0] for a, b in zip(iv, iv[1:]))


def test_cross_validation_scores_three_systems_with_the_evaluate_scorer(tset):
    learned, scores = S.cross_validate(tset, n_folds=2, min_docs=1)
    assert set(scores["system"]) == set(S.MODES)
    assert set(scores["category"]) == {*S.LEARNED_CATEGORIES, "all"}
    assert list(scores.columns) == S.CV_COLUMNS
    assert set(scores["set"]) == {"fictional"}  # one gold folder: no pooled "all" rows
    rules = scores[scores["system"] == "rules"]
    assert len(rules) == 7
    again = S.cross_validate(tset, n_folds=2, min_docs=1)[1]
    pd.testing.assert_frame_equal(scores, again)


def test_a_text_only_model_drops_the_rule_features_and_keeps_the_setting(tset):
    m = S.train(tset, min_docs=1, rule_features=False)
    assert m.feature_names and not any(k.startswith(S._RULE_PREFIXES) for k in m.feature_names)
    assert S.SpanModel.from_dict(m.to_dict()).rule_features is False
    assert any(k.startswith("rule=") for k in S.train(tset, min_docs=1).feature_names)


def test_the_cv_table_has_both_feature_sets(tset):
    t = S.cv_table(tset, n_folds=2, min_docs=1)
    assert list(t.columns) == ["folds", "features", *S.CV_COLUMNS]
    assert set(t["features"]) == {"text+rules", "text"} and set(t["folds"]) == {"grouped-2"}


def test_threshold_grid_holds_the_rules_fixed_and_thins_the_added_codes_as_it_rises(tset):
    g = S.threshold_grid(tset, (0.1, 0.5, 0.99), n_folds=2, min_docs=1)
    rules = g[g["system"] == "rules"]
    assert rules[["precision_num", "precision_den"]].drop_duplicates().shape[0] == 1  # the rules do not move
    added = g[g["system"] == "rules+learned"].set_index("min_prob")
    assert (added["precision_den"].diff().dropna() <= 0).all()  # fewer codes as the threshold rises
    assert (added["precision_den"] >= int(rules["precision_den"].iloc[0])).all()  # rules+learned adds, never drops
    assert not g.loc[g["system"] == "rules", "meets_rule"].any()
    same = added["precision_num"] * int(rules["precision_den"].iloc[0]) >= \
        int(rules["precision_num"].iloc[0]) * added["precision_den"]
    assert added["meets_rule"].tolist() == same.tolist()


def test_command_line_trains_a_json_model(gold_dir, tmp_path):
    out = tmp_path / "m.json"
    assert S.main(["train", "--gold-dir", str(gold_dir), "--out", str(out), "--folds", "2", "--min-docs", "1"]) == 0
    m = S.load_model(out)
    assert m.meta["cv"]["folds"] == "grouped-2"
    assert m.meta["training"]["documents"] == 4


# ----------------------------------------------------------------------------- bad model files

def _good(tset) -> dict:
    return S.train(tset, min_docs=1).to_dict()


@pytest.mark.parametrize("edit, key", [
    (lambda d: d.pop("coef"), "coef"),
    (lambda d: d.pop("feature_names"), "feature_names"),
    (lambda d: d.update(format="other/9"), "format"),
    (lambda d: d.update(classes=["none", "actor"]), "classes"),
    (lambda d: d.update(coef=[[0.0]]), "coef"),
    (lambda d: d.update(intercept=[0.0]), "intercept"),
    (lambda d: d.update(params={"C": 1}), "params"),
])
def test_a_bad_model_file_names_the_file_and_the_key(tset, tmp_path, edit, key):
    d = _good(tset)
    edit(d)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        S.load_model(p)
    assert str(p) in str(exc.value) and key in str(exc.value)


def test_a_model_file_that_is_no_json_or_missing_is_named(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="broken.json.*not a JSON"):
        S.load_model(p)
    with pytest.raises(InputError, match="nowhere.json"):
        S.load_model(tmp_path / "nowhere.json")


# ----------------------------------------------------------------------------- real texts (read at run time)

def _devset() -> Path:
    return Path(os.environ.get("GOVLAB_DEVSET_DIR") or ROOT.parent / "shared" / "devset")


@pytest.fixture(scope="module")
def devset_tune():
    d = _devset()
    if not (d / "raw").is_dir():
        pytest.skip(f"no development set at {d} (set GOVLAB_DEVSET_DIR)")
    tune = [f for f, p in read_split().items() if p == "tune"][:6]
    return S.training_set([d], files=tune)


def test_real_candidates_reach_most_located_gold_items(devset_tune):
    ts = devset_tune
    from govlab.evaluate import _occurrences, _skeleton

    total = hit = 0
    for d, t in ts.texts.items():
        c = ts.candidates[ts.candidates["doc_id"] == d]
        keys = {S._trim(t, int(s), int(e)) for s, e in zip(c["start"], c["end"])}
        g = ts.gold[(ts.gold["doc_id"] == d) & ts.gold["category"].isin(S.LEARNED_CATEGORIES)]
        for item in g["item_zh"]:
            occ = _occurrences(item, _skeleton(t))
            if occ:
                total += 1
                hit += any(o in keys for o in occ)
    assert total > 20 and hit / total >= 0.85


def test_the_shipped_model_loads_and_codes_a_real_text(devset_tune):
    p = S.default_model_path()
    if not p.is_file():
        pytest.skip("no shipped model")
    m = S.load_model(p)
    d = sorted(devset_tune.texts)[0]
    t = devset_tune.texts[d]
    df = m.predict_codes(t, doc_id=d)
    assert all(t[s:e] == mt for s, e, mt in zip(df["start"], df["end"], df["matched"]))
    assert {f["name"].split("/")[0] for f in m.meta["training"]["files"]} <= {"devset", "extra_devset",
                                                                               "extra2_devset"}
