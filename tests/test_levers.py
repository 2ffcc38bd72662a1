"""Levers that act, compared honestly: every lever acts in each calibrated locality or says why
not; common random numbers hold in every year; parameter uncertainty enters the replicates;
verdicts survive a multiplicity control."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlab.errors import ConfigError
from govlab.scenarios import run_scenario
from govlab.scenarios.outcomes import adjust_pvalues, compare_scenarios
from govlab.scenarios.scenario import STANDARD_LEVERS, lever_effects, load_scenario, posterior_draws

CALIBRATED = {
    "shangyou-620": {"start_year": 2019, "years": 3},
    "xx-city-districts": {"start_year": 2020, "years": 2},
    "nantong-youshi": {"start_year": 2019, "years": 2},
    # the scale-0.05 build with the full-scale calibrated rates: cheap, same levers apply
    "gansu-extension": {"start_year": 2019, "years": 3},
}


@pytest.fixture(scope="module")
def effects():
    return {name: lever_effects({"locality": name, "locality_seed": 1, **kw}, replicates=2).set_index("lever")
            for name, kw in CALIBRATED.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CALIBRATED))
def test_every_lever_acts_or_says_why_not(effects, name):
    eff = effects[name]
    assert set(eff.index) == set(STANDARD_LEVERS)
    unexplained = eff[eff["status"] == "inert, unexplained"]
    assert unexplained.empty, unexplained.to_dict("records")
    # a lever that gives a reason it cannot apply really is inert
    assert not (eff["acts"] & (eff["reason"] != "")).any(), eff[eff["acts"] & (eff["reason"] != "")]
    # levers that act on every locality: accountability, resident topics, online rooms, compensation
    for kind in ("accountability", "resident_topics", "online_rooms", "compensation"):
        assert eff.loc[kind, "acts"], (name, kind)


def test_reasons_name_what_is_missing(effects):
    assert "already have a member deputy" in effects["gansu-extension"].loc["deputies", "reason"]
    assert "no district practices" in effects["gansu-extension"].loc["exchange_ties", "reason"]
    assert "no one to exchange with" in effects["shangyou-620"].loc["exchange_ties", "reason"]
    assert "no unfunded counties" in effects["shangyou-620"].loc["funding", "reason"]
    assert effects["xx-city-districts"].loc["exchange_ties", "acts"]
    # Gansu's baseline funds half its counties (ASSUMPTION, the report names missing funds): funding acts
    assert effects["gansu-extension"].loc["funding", "acts"]


def test_common_random_numbers_hold_in_every_year():
    """Accountability changes the loop's draws from year 1 on; with one stream per year and stage the
    events of every later year are still drawn from the same numbers as the baseline's."""
    res = run_scenario({"locality": "toy", "years": 4, "replicates": 3,
                        "variants": {"acc": {"levers": {"accountability": {"lists": 1.0, "follow_up": 1.0}}}}})
    m = res.metrics
    w = m[m["metric"] == "events"].pivot_table(index=["replicate", "year"], columns="variant", values="value")
    assert (w["acc"] == w["baseline"]).all()
    solved = m[m["metric"] == "solved"].pivot_table(index=["replicate", "year"], columns="variant", values="value")
    assert (solved["acc"] > solved["baseline"]).all()


def test_adjusted_pvalues_are_holm_and_benjamini_hochberg():
    p = np.array([0.01, 0.04, 0.03, np.nan, 0.2])
    holm = adjust_pvalues(p, "holm")
    assert np.allclose(holm[[0, 1, 2, 4]], [0.04, 0.09, 0.09, 0.2]) and np.isnan(holm[3])
    bh = adjust_pvalues(p, "bh")
    assert np.allclose(bh[[0, 1, 2, 4]], [0.04, 0.0533333, 0.0533333, 0.2])
    assert (adjust_pvalues(p[[0, 1, 2, 4]], "none") == p[[0, 1, 2, 4]]).all()
    with pytest.raises(ValueError, match="unknown adjustment"):
        adjust_pvalues(p, "bonferonni")


def test_noise_is_not_called_better_or_worse():
    """A variant identical to the baseline except for its seed offsets: many metrics, no true effect;
    with Holm's control none is called better or worse."""
    rng = np.random.default_rng(0)
    rows = []
    for variant in ("baseline", "same"):
        for r in range(10):
            for k in range(80):
                rows.append({"variant": variant, "replicate": r, "year": 2020, "metric": f"m{k}",
                             "value": float(rng.normal())})
    cmp = compare_scenarios(pd.DataFrame(rows), adjust="holm")
    assert (cmp["verdict"] == "no clear change").all()
    raw = compare_scenarios(pd.DataFrame(rows), adjust="none")
    assert (raw["p_adjusted"] == raw["p_value"]).all()
    assert (cmp["p_adjusted"] >= cmp["p_value"]).all()


def test_parameter_uncertainty_uses_the_same_posterior_draw_per_replicate():
    draws = posterior_draws("shangyou-620")
    assert len(draws) >= 10
    base = {"locality": "shangyou-620", "locality_seed": 1, "years": 2, "replicates": 3,
            "variants": {"lists": {"levers": {"accountability": {"lists": 1.0}}}}}
    fixed = run_scenario(base)
    drawn = run_scenario({**base, "parameter_uncertainty": True})
    assert drawn.seeds["posterior_draw"].tolist() == [0, 1, 2]
    ev = lambda res, v: res.metrics.query("metric == 'events' and variant == @v")["value"].to_numpy()  # noqa: E731
    assert not np.array_equal(ev(fixed, "baseline"), ev(drawn, "baseline"))
    # accountability does not touch events: with the same draw and seed, baseline and variant agree
    assert np.array_equal(ev(drawn, "baseline"), ev(drawn, "lists"))
    with pytest.raises(ConfigError, match="parameter_uncertainty"):
        load_scenario({**base, "parameter_uncertainty": "yes"})
    with pytest.raises(ConfigError, match="no posterior draws"):
        run_scenario({"locality": "toy", "years": 1, "replicates": 1, "parameter_uncertainty": True})
