"""Out-of-sample checks: leave-one-out predictions with posterior predictive intervals, their
shipped tables, and the full-scale Gansu calibration against the demo scale."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlab.datasets import dataset_path
from govlab.scenarios.calibrate import (
    LOO_COLUMNS,
    LOO_POSTERIOR_COLUMNS,
    SCALE_COLUMNS,
    coverage_summary,
    covers,
    leave_one_out,
    load_plans,
    predictive_interval,
)


@pytest.fixture(scope="module")
def small_loo():
    return leave_one_out("shangyou-620", n_simulations=16, accept=0.25, predictive_replicates=2)


def test_leave_one_out_predicts_each_figure_from_the_others(small_loo):
    loo, post = small_loo
    plan = load_plans()["shangyou-620"]
    assert list(loo.columns) == LOO_COLUMNS and list(post.columns) == LOO_POSTERIOR_COLUMNS
    assert loo["left_out"].tolist() == [t.id for t in plan.targets]
    for row in loo.itertuples():
        assert row.left_out not in row.fitted_on.split(";") and len(row.fitted_on.split(";")) == 2
        assert row.pi_low <= row.predicted <= row.pi_high
        assert row.covered == covers((row.pi_low, row.pi_high), (row.reported_low, row.reported_high))
        assert row.n_posterior == 4 and row.n_predictive == 8  # 4 accepted draws x 2 fresh runs
        assert 0 <= row.share_inside <= 1
    # one row per fold and fitted rate
    assert len(post) == 3 * len(plan.priors)
    assert (post["lo_90"] <= post["hi_90"]).all()


def test_leave_one_out_is_reproducible(small_loo):
    again, _ = leave_one_out("shangyou-620", n_simulations=16, accept=0.25, predictive_replicates=2)
    pd.testing.assert_frame_equal(small_loo[0], again)


def test_a_locality_with_nothing_fitted_says_why_it_cannot_predict():
    loo, post = leave_one_out("prov-x-survey")
    assert len(loo) == 2 and loo["predicted"].isna().all() and post.empty
    assert loo["note"].str.contains("inputs? read from the locality's config|no fitted rate", regex=True).all()


def test_predictive_interval_and_covers():
    assert predictive_interval(np.r_[np.arange(5.0), np.nan], level=0.5) == (2.0, 1.0, 3.0)
    med, lo, hi = predictive_interval(np.arange(101.0))
    assert med == 50 and lo == pytest.approx(5) and hi == pytest.approx(95)
    assert all(np.isnan(predictive_interval([np.nan])))
    assert covers((1, 2), (2, 3)) and not covers((1, 2), (2.5, 3)) and not covers((np.nan, 2), (1, 3))


def test_shipped_loo_covers_every_fitted_plan():
    loo = pd.read_csv(dataset_path("scenarios", "loo.csv"))
    assert list(loo.columns) == LOO_COLUMNS
    for name, plan in load_plans().items():
        rows = loo[loo["locality"] == name]
        assert set(rows["left_out"]) == {t.id for t in plan.targets}, name
        if plan.priors and len(plan.targets) >= 2:
            assert rows["predicted"].notna().all(), name
        else:
            assert rows["predicted"].isna().all() and rows["note"].str.len().gt(0).all(), name
    # stored figures do not hang on float last bits: at most 4 significant digits
    for col in ("predicted", "pi_low", "pi_high"):
        v = loo[col].dropna().to_numpy()
        assert np.allclose(v, [float(f"{x:.4g}") for x in v], rtol=0, atol=0)
    cov = coverage_summary(loo)
    assert cov.loc["all", "predicted"] == loo["predicted"].notna().sum()
    assert 0 <= cov.loc["all", "coverage"] <= 1


def test_full_scale_gansu_meets_the_report_and_keeps_its_phased_rollout():
    sc = pd.read_csv(dataset_path("scenarios", "scale_check.csv"))
    assert list(sc.columns) == SCALE_COLUMNS
    totals = sc[sc["year"].isna()].set_index(["scale", "statistic"])
    assert totals.loc[(1.0, "participants-2019-2024"), "holds"] and totals.loc[(1.0, "solved-2019-2024"), "holds"]
    # the same rates at the 0.05 build overshoot: calibration does not carry across scales
    assert totals.loc[(0.05, "solved-2019-2024"), "mean"] > totals.loc[(1.0, "solved-2019-2024"), "reported_high"]
    ws = sc[sc["statistic"] == "open_workstation"].copy()
    ws["share"] = ws["mean"] / ws.groupby("scale")["mean"].transform("max")
    share = ws.set_index(["scale", "year"])["share"]
    # at 0.05 every county is a pilot (open from 2018-2019); at full scale the other counties open from
    # May 2019 at the fitted hazard, so fewer workstations are open in 2019
    assert share.loc[(1.0, 2019)] < share.loc[(0.05, 2019)] - 0.05
    assert share.loc[(1.0, 2023)] > 0.95


def test_gansu_assumptions_have_a_sensitivity_run():
    sens = pd.read_csv(dataset_path("scenarios", "sensitivity.csv")).set_index(["parameter", "value", "statistic"])
    shipped = sens[sens["shipped"]]
    assert shipped["holds"].all() and set(shipped.index.get_level_values("parameter")) == {
        "events.funded_share", "turnover.deputy_activity"}
    solved = sens.xs("solved-2019-2024", level="statistic").loc["events.funded_share", "mean"]
    assert solved.is_monotonic_increasing  # more funded counties, more problems solved
