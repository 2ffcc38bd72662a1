"""The replication table: reported figures beside extracted and modelled values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.replication import (
    EVIDENCE,
    MODEL_COLUMNS,
    NA,
    RESULT_COLUMNS,
    compare,
    evidence_summary,
    load_extracted,
    load_predictions,
    load_targets,
    overall_status,
    replication_table,
    status_summary,
)

DOCS = {"gansu-extension", "nantong-youshi", "shangyou-620", "prov-x-survey", "xx-city-districts"}


def _target(**kw):
    base = dict(target_id="t", doc_id="d", figure="f", value=57.0, unit="rooms", op="==", tol=np.nan,
                text_kind="", text_counted="", text_date="", model_source="", model_key="", model_scale=1.0, role="input")
    base.update(kw)
    return base


def _models(*rows):
    return pd.DataFrame([dict(zip(MODEL_COLUMNS, r)) for r in rows], columns=MODEL_COLUMNS)


def test_shipped_targets_cover_the_five_reports():
    t = load_targets()
    assert set(t["doc_id"]) == DOCS
    assert t["target_id"].is_unique and len(t) >= 35
    assert set(t["op"]) <= {"==", ">=", ">", "<=", "<", "approx"}
    # a few figures every replication must carry (DOMAIN.md table)
    by_id = t.set_index("target_id")["value"]
    assert by_id["nantong-villages"] == 1868 and by_id["gansu-prefectures"] == 14
    assert by_id["prov-county-compliance"] == 99.36 and by_id["xx-departments"] == 12


def test_text_match_needs_the_same_value_and_counted_thing():
    t = pd.DataFrame([_target(target_id="rooms", text_counted="议事室|企事业"),
                      _target(target_id="towns", value=109.0, text_counted="镇"),
                      _target(target_id="gone", value=3.0, text_counted="村"),
                      _target(target_id="other", value=8.0, text_counted="部门")])
    x = pd.DataFrame(dict(doc_id=["d", "d", "d", "d", "e"], value=[57.0, 109.0, 4.0, 8.0, 3.0],
                          counted=["企事业单位协商议事室", "社区", "村", "区", "村"], masked=[False] * 5))
    out = replication_table(t, x, None).set_index("target_id")
    assert out.loc["rooms", "text_status"] == "found" and out.loc["rooms", "extracted"] == 57
    assert out.loc["towns", "text_status"] == "value only"  # 109 found, but it counts something else
    assert out.loc["gone", "text_status"] == "differs" and out.loc["gone", "text_diff"] == 1.0
    assert out.loc["other", "text_status"] == "value only"
    assert list(out.reset_index().columns) == RESULT_COLUMNS


def test_masked_numbers_never_match():
    t = pd.DataFrame([_target(value=0.0, text_counted="村")])
    x = pd.DataFrame(dict(doc_id=["d"], value=[0.0], counted=["村"], masked=[True]))
    assert replication_table(t, x).iloc[0]["text_status"] == "missing"


def test_dates_match_on_the_iso_prefix():
    t = pd.DataFrame([_target(value=2019.0, unit="year", text_date="2019-05"),
                      _target(target_id="t2", value=2018.0, unit="year", text_date="2018")])
    x = pd.DataFrame(dict(doc_id=["d"], value=[2019.0], counted=[""], kind=["date"], date=["2019-05"]))
    out = replication_table(t, x)
    assert out["text_status"].tolist() == ["found", "missing"]


def test_model_values_by_key_by_unique_value_and_scaled():
    t = pd.DataFrame([_target(target_id="k", model_source="network", model_key="rooms"),
                      _target(target_id="share", value=98.0, unit="%", op=">", model_source="network", model_scale=100.0),
                      _target(target_id="amb", value=8.0, model_source="network"),
                      _target(target_id="flow", value=400000.0, op=">", model_source="scenarios")])
    m = _models(("d", "network", "rooms", 56.0, "57 rooms (target 57)"),
                ("d", "network", "cov", 0.985, "over 98% (target 0.98)"),
                ("d", "network", "g1", 8.0, "(target 8)"), ("d", "network", "g2", 8.0, "(target 8)"))
    out = replication_table(t, None, m).set_index("target_id")
    assert out.loc["k", "model"] == 56 and out.loc["k", "model_status"] == "off" and out.loc["k", "model_diff"] == -1
    assert out.loc["k", "status"] == "differs"
    assert out.loc["share", "model"] == pytest.approx(98.5) and out.loc["share", "model_status"] == "ok"
    assert "matched by value" in out.loc["share", "model_source"]
    assert out.loc["share", "status"] == "input", "a config value read back is an input, never 'reproduced'"
    assert out.loc["amb", "model_status"] == NA, "two model targets with the same value: no guess"
    assert out.loc["flow", "model_status"] == NA and out.loc["flow", "status"] == NA


def test_missing_sources_give_not_available_not_errors():
    t = load_targets()
    out = replication_table(t, None, None)
    assert len(out) == len(t)
    assert (out["text_status"] == NA).all() and (out["model_status"] == NA).all() and (out["status"] == NA).all()
    assert out["extracted"].isna().all() and out["model"].isna().all()
    summary = status_summary(out)
    assert summary["total"].sum() == len(t) and set(summary.index) == DOCS


def test_overall_status_and_compare():
    assert overall_status("found", "ok") == "input"
    assert overall_status("found", "ok", "fitted") == "fitted"
    assert overall_status("found", "ok", "fitted", "covered") == "predicted"
    assert overall_status(NA, "ok", "fitted", "missed") == "missed"
    assert overall_status("found", "off", "fitted", "covered") == "differs"
    assert overall_status("found", NA) == "extracted"
    assert overall_status("value only", NA) == "value only"
    assert overall_status("value only", "off") == "differs"
    assert overall_status("missing", NA) == "missing"
    assert overall_status(NA, NA) == NA
    assert compare(21, "approx", 20, 2) and not compare(23, "approx", 20, 2)
    assert compare(18.5, "approx", 20) and not compare(17.9, "approx", 20)
    assert compare(94.2675, "==", 94.27, 0.005) and not compare(94.2, "==", 94.27, 0.005)
    assert not compare(None, ">", 1) and not compare("x", ">", 1)


def test_bad_targets_file_is_named(tmp_path):
    t = load_targets()
    bad = t.copy()
    bad.loc[0, "op"] = "about"
    path = tmp_path / "targets.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"targets.csv.*unknown op.*gansu-pilot-year"):
        load_targets(path)
    t.drop(columns=["op"]).to_csv(path, index=False)
    with pytest.raises(InputError, match="missing columns"):
        load_targets(path)


def test_load_extracted_when_absent_or_present(tmp_path):
    assert load_extracted(tmp_path / "nope.csv") is None
    pd.DataFrame(dict(doc_id=["d"], value=[1.0], counted=["村"])).to_csv(tmp_path / "f.csv", index=False)
    assert len(load_extracted(tmp_path / "f.csv")) == 1
    pd.DataFrame(dict(doc_id=["d"])).to_csv(tmp_path / "g.csv", index=False)
    with pytest.raises(InputError, match="g.csv"):
        load_extracted(tmp_path / "g.csv")


def test_loop_steps_and_name_lists():
    t = pd.DataFrame([_target(target_id="loop", value=6.0, text_kind="loop_steps"),
                      _target(target_id="other", doc_id="e", value=8.0, text_kind="loop_steps"),
                      _target(target_id="names", value=3.0, text_kind="none", text_counted="县")])
    loops = pd.DataFrame(dict(doc_id=["d"] * 6 + ["e"] * 6, position=list(range(1, 7)) * 2))
    x = pd.DataFrame(dict(doc_id=["d"], value=[2.0], counted=["县"]))
    out = replication_table(t, x, None, loops).set_index("target_id")
    assert out.loc["loop", "text_status"] == "found" and out.loc["loop", "extracted"] == 6
    assert out.loc["other", "text_status"] == "differs" and out.loc["other", "text_diff"] == -2
    assert out.loc["names", "text_status"] == NA, "a list of names is never matched to some other number"
    assert replication_table(t.iloc[:1], x, None, None).iloc[0]["text_status"] == NA


def test_shipped_extracted_figures_match_most_targets():
    """On the figures shipped in datasets/reports, nearly every reported figure is found with its
    counted thing (the coding flow's own accuracy is tested in tests/test_coding*)."""
    from govlab.replication import load_extracted_loops

    x = load_extracted()
    if x is None:
        pytest.skip("datasets/reports/figures.csv not shipped yet")
    t = load_targets()
    out = replication_table(t, x, None, load_extracted_loops())
    text_targets = out[out["text_status"] != NA]
    found = (text_targets["text_status"] == "found").mean()
    assert found >= 0.8, out.loc[out["text_status"] != "found", ["target_id", "text_status"]]


def test_shipped_figures_have_roles_and_reads_back_are_inputs():
    t = load_targets()
    assert set(t["role"]) == {"input", "fitted"}
    # a structural figure of a locality config is read back from the synthetic locality: an input
    assert (t.loc[t["model_source"] == "network", "role"] == "input").all()
    # every flow figure of the scenario model is a calibration target: fitted, never an input
    assert (t.loc[t["model_source"] == "scenarios", "role"] == "fitted").all()
    # every calibration target of a fitted plan appears as a fitted figure (prov-x has no fitted rate:
    # its two figures are policies of its config, inputs)
    from govlab.scenarios.calibrate import load_plans

    keys = set(t.loc[t["model_source"] == "scenarios", "model_key"])
    for name, plan in load_plans().items():
        if plan.priors:
            assert {x.id for x in plan.targets} <= keys, name


def test_only_left_out_predictions_count_as_evidence():
    t = pd.DataFrame([_target(target_id="in", model_source="network", model_key="rooms"),
                      _target(target_id="fit", model_source="scenarios", model_key="flow", role="fitted"),
                      _target(target_id="miss", model_source="scenarios", model_key="flow2", role="fitted"),
                      _target(target_id="none", model_source="scenarios", model_key="flow3", role="fitted")])
    m = _models(("d", "network", "rooms", 57.0, ""), ("d", "scenarios", "flow", 57.0, ""),
                ("d", "scenarios", "flow2", 57.0, ""), ("d", "scenarios", "flow3", 57.0, ""))
    pred = pd.DataFrame(dict(locality=["d", "d", "d"], left_out=["flow", "flow2", "rooms"],
                             predicted=[55.0, 80.0, 57.0], pi_low=[50.0, 70.0, 57.0], pi_high=[60.0, 90.0, 57.0],
                             covered=[True, False, True]))
    out = replication_table(t, None, m, None, pred).set_index("target_id")
    assert out.loc["in", "status"] == "input" and out.loc["in", "prediction_status"] == NA, \
        "an input is never matched to a prediction, even one with its key"
    assert out.loc["fit", "status"] == "predicted" and out.loc["fit", "predicted"] == 55
    assert out.loc["miss", "status"] == "missed" and out.loc["miss", "pi_low"] == 70
    assert out.loc["none", "status"] == "fitted" and out.loc["none", "prediction_status"] == "not predicted"
    ev = evidence_summary(out.reset_index())
    assert ev.loc["d"].to_dict() == {"figures": 4, "input": 1, "fitted": 3, "predicted_out_of_sample": 2, "covered": 1}
    assert set(EVIDENCE) == {"predicted", "missed"}


def test_bad_role_is_named(tmp_path):
    t = load_targets()
    t.loc[3, "role"] = "predicted"
    path = tmp_path / "targets.csv"
    t.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"targets.csv.*unknown role.*" + t.loc[3, "target_id"]):
        load_targets(path)


def test_shipped_predictions_match_fitted_figures():
    pred = load_predictions()
    if pred is None:
        pytest.skip("datasets/scenarios/loo.csv not generated (python -m govlab.scenarios.calibrate --loo)")
    t = load_targets()
    fitted = t[(t["role"] == "fitted") & (t["model_source"] == "scenarios")]
    have = set(zip(pred["locality"], pred["left_out"]))
    assert set(zip(fitted["doc_id"], fitted["model_key"])) <= have
    out = replication_table(t, None, None, None, pred)
    assert not out.loc[out["role"] == "input", "status"].isin(EVIDENCE).any()
