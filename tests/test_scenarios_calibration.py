"""Calibration: the shipped calibrated baselines reproduce their reports' figures, and the ABC
procedure recovers a known rate from synthetic data."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from govlab.datasets import dataset_path
from govlab.scenarios import Params, compile_locality, simulate, toy_locality
from govlab.scenarios.calibrate import Prior, Target, check_calibration_targets, distance, load_plans, rejection_abc
from govlab.scenarios.scenario import calibrated_params

LOCALITIES = ["gansu-extension", "nantong-youshi", "prov-x-survey", "shangyou-620", "xx-city-districts"]


@pytest.fixture(scope="module")
def shipped():
    return yaml.safe_load(dataset_path("scenarios", "calibration.yaml").read_text(encoding="utf-8"))["localities"]


def test_every_locality_has_a_plan_and_a_shipped_calibration(shipped):
    plans = load_plans()
    assert sorted(plans) == LOCALITIES
    assert sorted(shipped) == LOCALITIES


def test_every_fitted_rate_records_what_it_was_fitted_to(shipped):
    plans = load_plans()
    for name, entry in shipped.items():
        targets = set(entry["targets"])
        assert targets == {t.id for t in plans[name].targets}
        for t in entry["targets"].values():
            assert t["doc_id"] == name and t["fact"]
        for key, fit in (entry.get("fitted") or {}).items():
            assert fit["fitted_to"] and set(fit["fitted_to"]) <= targets, (name, key)
            lo, hi = fit["interval_90"]
            assert lo <= fit["value"] <= hi or np.isclose(fit["value"], lo) or np.isclose(fit["value"], hi), (name, key)
            assert "uniform" in fit["prior"] or "loguniform" in fit["prior"]
    assert calibrated_params("gansu-extension")["events.activity_scale"] == shipped["gansu-extension"]["fitted"]["events.activity_scale"]["value"]


@pytest.mark.slow
@pytest.mark.parametrize("name", LOCALITIES)
def test_calibrated_baseline_reproduces_the_reported_figures(name, shipped):
    chk = check_calibration_targets(name)  # the shipped rates, the plan's replicates and check seed
    failing = chk[~chk["holds"]]
    assert failing.empty, failing.to_dict("records")
    # and exactly what calibration.yaml recorded (same inputs, same numbers)
    rec = shipped[name]["check"]
    for row in chk.itertuples():
        assert row.mean == pytest.approx(rec[row.target]["mean"], rel=1e-3, abs=1e-9), row.target


def test_targets_scale_with_population():
    t = Target.from_dict({"id": "x", "metric": "solved", "interval": [100, 200], "scale_to_population": 1000})
    assert t.bounds(500) == (50, 100)
    assert distance({"x": 75.0}, [t], 500) == 0.0
    assert distance({"x": 150.0}, [t], 500) > 0.0


def test_abc_recovers_a_known_rate_from_synthetic_data():
    loc = toy_locality(n_counties=2)
    true = 0.6
    years = list(range(2019, 2024))
    base = Params.default()
    comp = compile_locality(loc, base)
    target = Target.from_dict({"id": "handled-share", "metric": "issues_handled", "per": "issues_reported",
                               "years": [2019, 2023], "interval": [0, 1]})
    observed = target.statistic(simulate(comp, base.updated({"loop.handle": true}), years,
                                         np.random.default_rng(99)).long())
    target = Target(id=target.id, metric=target.metric, per=target.per, years=target.years,
                    interval=(observed - 0.01, observed + 0.01))

    def sim(theta, ss):
        m = simulate(comp, base.updated(theta), years, np.random.default_rng(ss)).long()
        return {target.id: target.statistic(m), "_population": 1.0}

    draws = rejection_abc(sim, [Prior("loop.handle", 0.1, 0.95)], [target], n_simulations=150, accept=0.1, seed=5)
    post = draws.loc[draws["accepted"], "loop.handle"]
    assert len(post) == 15
    assert abs(post.median() - true) < 0.06
    assert post.quantile(0.05) <= true <= post.quantile(0.95)
    # the prior draws spread over the whole prior, the accepted ones concentrate
    assert draws["loop.handle"].std() > 3 * post.std()
    # seeded: the same call gives the same draws
    again = rejection_abc(sim, [Prior("loop.handle", 0.1, 0.95)], [target], n_simulations=150, accept=0.1, seed=5)
    pd.testing.assert_frame_equal(draws, again)
