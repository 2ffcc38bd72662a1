"""The consultation-year model, parameters, levers and scenario comparison (on the fictional toy locality)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlab.errors import ConfigError
from govlab.scenarios import (
    Params,
    apply_levers,
    compile_locality,
    levers_from_config,
    load_scenario,
    run_scenario,
    simulate,
    toy_locality,
)
from govlab.scenarios.config import parameter_table
from govlab.scenarios.year import LEAKS, STAGES, resolve_loop

YEARS = list(range(2019, 2024))


@pytest.fixture(scope="module")
def toy():
    return toy_locality(n_counties=2)


@pytest.fixture(scope="module")
def compiled(toy):
    return compile_locality(toy, Params.default())


def _run(compiled, seed=1, params=None):
    return simulate(compiled, params or Params.default(), YEARS, np.random.default_rng(seed))


# --------------------------------------------------------------------------- parameters
def test_unknown_parameter_names_key_path_and_suggests():
    with pytest.raises(ConfigError, match=r"params\.loop\.handel: unknown parameter \(did you mean 'loop\.handle'"):
        Params.default().updated({"loop": {"handel": 0.5}})


@pytest.mark.parametrize("key, value, msg", [
    ("loop.handle", 1.2, "rate in \\[0, 1\\]"),
    ("loop.decide", -0.1, "rate in \\[0, 1\\]"),
    ("events.quota_events", -3, "count >= 0"),
    ("topics.per_event", -1.0, ">= 0"),
    ("events.quota_events", 2.5, "whole number"),
    ("loop.handle", "high", "expected a number"),
])
def test_bad_values_name_the_key(key, value, msg):
    with pytest.raises(ConfigError, match=rf"params\.{key}: .*{msg}"):
        Params.default().updated({key: value})


def test_scenario_file_errors_name_file_and_key(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("locality: toy\nyears: 2\nparams:\n  attendance:\n    engaged_share: 1.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: params\.attendance\.engaged_share: expected a rate"):
        load_scenario(f)
    f.write_text("locality: toy\nreplicate: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"replicate: unknown key \(did you mean 'replicates'"):
        load_scenario(f)
    f.write_text("locality: toy\nreplicates: -2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="replicates: expected a whole number >= 1"):
        load_scenario(f)


def test_every_parameter_has_a_source_and_docs_list_them():
    from pathlib import Path

    t = parameter_table()
    assert t["source"].str.len().min() > 0
    docs = (Path(__file__).resolve().parents[1] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    missing = [k for k in t["key"] if f"`{k}`" not in docs]
    assert not missing, f"docs/scenarios.md does not list {missing[:5]}"


# --------------------------------------------------------------------------- levers
def test_lever_naming_missing_platform_is_a_config_error(toy):
    with pytest.raises(ConfigError, match=r"levers\.move_platforms\[0\]\.platform_id: platform 'P-nope' does not exist"):
        apply_levers(toy, Params.default(), {"move_platforms": [{"platform_id": "P-nope", "to_unit_id": "K1T1"}]})
    with pytest.raises(ConfigError, match=r"levers\.add_platforms\[1\]\.unit_id: unit 'nowhere' does not exist"):
        apply_levers(toy, Params.default(), {"add_platforms": [{"type": "council", "unit_id": "K1T1"},
                                                               {"type": "council", "unit_id": "nowhere"}]})


@pytest.mark.parametrize("levers, msg", [
    ({"compensaton": {"residents": 1}}, r"levers\.compensaton: unknown key \(did you mean 'compensation'"),
    ({"compensation": {"resident": 1}}, r"levers\.compensation\.resident: unknown key"),
    ({"compensation": {"residents": 2}}, r"levers\.compensation\.residents: expected a rate in \[0, 1\]"),
    ({"deputies": {"share": -0.5}}, r"levers\.deputies\.share: expected a rate"),
    ({"add_platforms": [{"type": "room", "unit_id": "K1T1"}]}, r"levers\.add_platforms\[0\]\.type: expected one of"),
    ({"add_platforms": [{"type": "council", "unit_id": "K1T1", "sink_members": -2}]},
     r"levers\.add_platforms\[0\]\.sink_members: expected a count >= 0"),
    ({"exchange_ties": {"pairs": [["K1"]]}}, r"levers\.exchange_ties\.pairs\[0\]: expected a pair"),
])
def test_bad_levers_name_the_key_path(levers, msg):
    with pytest.raises(ConfigError, match=msg):
        levers_from_config(levers)


def test_exchange_pair_outside_locality_is_rejected(toy):
    with pytest.raises(ConfigError, match=r"levers\.exchange_ties\.pairs\[0\]: unit 'K9'"):
        apply_levers(toy, Params.default(), {"exchange_ties": {"pairs": [["K1", "K9"]]}})


def test_levers_compose_in_a_fixed_order_and_leave_inputs_alone(toy):
    a = {"deputies": {"share": 1.0}, "add_platforms": [{"type": "workstation", "unit_id": "K1T2V4", "sink_members": 3}]}
    b = dict(reversed(list(a.items())))
    before = toy.platforms.copy()
    la, pa = apply_levers(toy, Params.default(), a)
    lb, pb = apply_levers(toy, Params.default(), b)
    pd.testing.assert_frame_equal(la.platforms, lb.platforms)
    pd.testing.assert_frame_equal(la.assignments, lb.assignments)
    pd.testing.assert_frame_equal(toy.platforms, before)
    new = la.platforms.set_index("platform_id").loc["lever-workstation-K1T2V4"]
    assert bool(new["has_deputy"])  # added before deputies were handed out
    assert (la.assignments["platform_id"] == "lever-workstation-K1T2V4").sum() == 3


# --------------------------------------------------------------------------- the year model
def test_same_seed_same_result_other_seed_differs(compiled):
    a, b, c = _run(compiled, 3).long(), _run(compiled, 3).long(), _run(compiled, 4).long()
    pd.testing.assert_frame_equal(a, b)
    assert not a["value"].equals(c["value"])


def test_loop_stages_only_shrink_and_leaks_add_up(compiled):
    m = _run(compiled).metrics
    for a, b in zip(STAGES[:-3], STAGES[1:-2]):
        assert (m[f"issues_{a}"] >= m[f"issues_{b}"]).all(), (a, b)
    assert (m["issues_handled"] >= m["issues_fed_back"]).all()
    assert (m["issues_handled"] >= m["issues_lasting"]).all()
    for leak, (a, b) in LEAKS.items():
        np.testing.assert_array_equal(m[f"leak_{leak}"], m[f"issues_{a}"] - m[f"issues_{b}"])
    topics = m["topics_party"] + m["topics_residents"] + m["topics_members"]
    np.testing.assert_array_equal(topics, m["issues_collected"])  # carrying up/down moves, never loses
    np.testing.assert_array_equal(m["solved"], m["issues_handled"])


def test_members_attend_within_their_hours(toy):
    p = Params.default().updated({"members.hours_scale": 0.05})
    c = compile_locality(toy, p)
    m = simulate(c, p, YEARS, np.random.default_rng(0)).metrics
    total_hours = c.v_hours.sum() * 0.05 * p["members.unpaid_transport_factor"]
    assert (m["member_hours"] <= total_hours + 1e-9).all()
    assert (m["member_coverage"] < 0.5).all()


def test_children_never_attend_and_cumulative_participants_grow(toy):
    c = compile_locality(toy, Params.default())
    assert (c.s_engaged[c.s_age == 3] == 0).all()
    m = simulate(c, Params.default(), YEARS, np.random.default_rng(2)).metrics
    cum = m["participants_cumulative"]
    assert (np.diff(cum) >= 0).all()
    np.testing.assert_array_equal(np.cumsum(m["participants_new"]), cum)
    assert (m["participants"] <= m["participations"]).all()


def test_term_change_breaks_continuity_only_in_change_years(compiled):
    m = _run(compiled).metrics
    y = np.array(YEARS)
    assert (m["heads_rotated"][y != 2021] == 0).all()
    assert m["heads_rotated"][y == 2021][0] > 0
    assert (m["continuity"][y < 2021] == 1).all()
    assert m["continuity"][y == 2021][0] < 1


def test_loop_steps_follow_the_locality():
    nantong = resolve_loop(name="nantong-youshi")
    assert len(nantong) == 8 and nantong[-1] == ("评估质效", "lasting")
    assert len(resolve_loop(name="gansu-extension")) == 6
    with pytest.raises(ConfigError, match=r"loop\[1\]: unknown loop step"):
        resolve_loop(steps=["收集议题", "eat lunch"])


def test_steps_table_uses_the_loops_own_names():
    res = run_scenario({"locality": "toy", "years": 1, "replicates": 1, "loop": ["收集议题", "确定议题", "商前调研",
                                                                                  "开展协商", "报送成果", "转化落实", "评估质效"]})
    st = res.steps()
    assert list(st["step"]) == ["收集议题", "确定议题", "商前调研", "开展协商", "报送成果", "转化落实", "评估质效"]
    assert st["issues"].is_monotonic_decreasing


# --------------------------------------------------------------------------- levers move outcomes the way the reports argue
LEVER_CASES = {
    # lever: (variant spec, metric, direction)
    "add_platforms": ({"levers": {"add_platforms": [{"type": "consultation_room", "unit_id": f"K{k}T{t}V{v}"}
                                                    for k in (1, 2) for t in (1, 2, 3, 4) for v in (4, 5)]}},
                      ["coverage_village", "participations"], +1),
    "move_platforms": ({"levers": {"move_platforms": [{"platform_id": "K1T2-council", "to_unit_id": "K1T2V4"},
                                                      {"platform_id": "K2T2-council", "to_unit_id": "K2T2V4"}]}},
                       ["coverage_village"], +1),
    "online_rooms": ({"levers": {"online_rooms": {"units": "all_counties"}}}, ["share_migrant", "participations"], +1),
    "sinking": ({"levers": {"sinking": {"rate": 1.0, "hours_scale": 0.6}}}, ["member_attendances_grassroots", "solved"], +1),
    "deputies": ({"levers": {"deputies": {"share": 1.0}}}, ["continuity", "station_activity"], +1),
    "compensation": ({"levers": {"compensation": {"residents": 1.0}}}, ["share_non_public", "representativeness"], +1),
    "accountability": ({"levers": {"accountability": {"lists": 1.0, "follow_up": 1.0}}}, ["solved", "solved_lasting"], +1),
    "accountability_leaks": ({"levers": {"accountability": {"lists": 1.0, "follow_up": 1.0}}},
                             ["leak_rate_decided_not_done", "leak_rate_done_not_lasting"], -1),
    "resident_topics": ({"levers": {"resident_topics": {"multiplier": 2.0, "choose": 0.8}}},
                        ["topics_residents", "solved_residents"], +1),
    "exchange_ties": ({"levers": {"exchange_ties": {"density": 1.0}}}, ["practice_adoption"], +1),
    "season_scheduling": ({"levers": {"season_scheduling": {"share_in_season": 0.0}}}, ["share_farmer"], +1),
    "funding": ({"levers": {"funding": {"share": 1.0}}}, ["events", "solved"], +1),
}


@pytest.fixture(scope="module")
def lever_result():
    res = run_scenario({"locality": "toy", "seed": 11, "start_year": 2019, "years": 5, "replicates": 8,
                        "params": {"practices": {"party_building": {"holders_count": 1}}, "events": {"funded_share": 0.5},
                                   "members": {"hours_scale": 0.3}},
                        "variants": {k: v for k, (v, _, _) in LEVER_CASES.items()}})
    return res.compare()


@pytest.mark.parametrize("case", sorted(LEVER_CASES))
def test_each_lever_moves_its_outcome_in_the_reports_direction(lever_result, case):
    _, metrics, direction = LEVER_CASES[case]
    cmp = lever_result[lever_result["variant"] == case].set_index("metric")
    for m in metrics:
        row = cmp.loc[m]
        assert np.sign(row["diff"]) == direction, (case, m, row["baseline"], row["value"])
        # the interval over replicates excludes zero
        assert (row["diff_lo"] > 0) if direction > 0 else (row["diff_hi"] < 0), (case, m, row.to_dict())


def test_comparison_pairs_replicates_and_reports_verdicts(lever_result):
    assert set(lever_result.columns) >= {"variant", "metric", "baseline", "value", "diff", "diff_lo", "diff_hi", "verdict"}
    row = lever_result.set_index(["variant", "metric"]).loc[("accountability", "solved")]
    assert row["verdict"] == "better" and row["n"] == 8


def test_charts_are_plotly_figures(lever_result):
    from govlab.viz.scenarios import plot_comparison

    fig = plot_comparison(lever_result, ["solved", "participations"])
    assert len(fig.data) == lever_result["variant"].nunique()
