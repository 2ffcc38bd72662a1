"""govlab.viz figures: network and scenario figures are deterministic, carry bilingual labels, and keep
their labels readable (wrapped, integer years, categorical grids)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from govlab.network import synthesize
from govlab.network.layout import coverage_table, member_platform_layout
from govlab.viz.network import compare_figure, coverage_sunburst, member_platform_figure
from govlab.viz.style import display_width, wrap_label


def test_layout_is_deterministic_and_layered():
    loc = synthesize("shangyou-620", seed=1)
    a, ea = member_platform_layout(loc)
    b, eb = member_platform_layout(synthesize("shangyou-620", seed=1))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ea, eb)
    assert (a.loc[a["kind"] == "member", "y"] > 0).all() and (a.loc[a["kind"] == "platform", "y"] < 0).all()
    fig = member_platform_figure(member_platform_layout(loc))
    names = {t.name for t in fig.data}
    assert any("中国共产党" in n and "CPC" in n for n in names)
    assert any("委员工作站" in n for n in names)


def test_coverage_table_and_sunburst():
    loc = synthesize("nantong-youshi", seed=1)
    t = coverage_table(loc, max_level="township")
    assert (t["covered_share"] == 1.0).all()  # every village has a room
    fig = coverage_sunburst(t)
    assert len(fig.data[0].ids) == len(t)
    # one share everywhere: colour by branch (more than one colour), and the title says the share
    assert len(set(fig.data[0].marker.colors)) > 1
    assert "100%" in fig.layout.title.text


def test_sunburst_colour_scale_spans_the_shares_that_occur():
    t = coverage_table(synthesize("shangyou-620", seed=1), max_level="village")
    fig = coverage_sunburst(t)
    assert fig.data[0].marker.cmin == pytest.approx(t["covered_share"].round(3).min())
    assert fig.data[0].marker.cmax == pytest.approx(t["covered_share"].round(3).max())


def test_compare_figure_handles_missing_values():
    s = pd.DataFrame({"locality": ["a", "b"], "family": "x", "measure": "m", "group": "all", "value": [0.5, float("nan")]})
    fig = compare_figure(s, [("m", "all")])
    assert list(fig.data[0].y) == [0.5, None]


@pytest.mark.parametrize("text,width", [("stations with broken continuity", 12), ("党委领导、政府支持、政协搭台 Party leads", 20),
                                        ("short", 30), ("a-very-long-single-latin-word-without-spaces", 10)])
def test_wrap_label_keeps_every_character_and_respects_the_width(text, width):
    lines = wrap_label(text, width).split("<br>")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:  # a single Latin word longer than the width is kept whole, never cut
        assert display_width(line) <= width or " " not in line


def test_scenario_figures_use_integer_years_and_categorical_grids():
    from govlab.viz.scenarios import plot_sweep_heatmap, plot_years

    m = pd.DataFrame({"variant": "baseline", "replicate": [0, 1] * 3, "year": [2019, 2019, 2020, 2020, 2021, 2021],
                      "metric": "x", "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    fig = plot_years(m, "x", labels={"x": "X"})
    assert fig.layout.xaxis.tickformat == "d" and list(fig.layout.xaxis.tickvals) == [2019, 2020, 2021]
    d = pd.DataFrame({"run": range(4), "a": [0.25, 0.25, 0.5, 0.5], "b": [0.1, 0.2, 0.1, 0.2], "year": 1,
                      "metric": "m", "value": [1.0, 2.0, 3.0, 4.0]})
    h = plot_sweep_heatmap(d, "a", "b", "m", labels={"m": "M"})
    assert h.layout.xaxis.type == "category" and h.layout.yaxis.type == "category"
    assert list(h.data[0].x) == ["0.25", "0.5"]


def test_template_grows_margins_for_long_labels():
    from govlab.viz.renderer import _template

    t = _template()
    assert t.layout.xaxis.automargin is True and t.layout.yaxis.automargin is True


def test_explorer_with_every_lever_off_draws_the_baseline_only():
    pytest.importorskip("ipywidgets")
    from govlab.scenarios.explore import explorer
    from govlab.viz.renderer import register_renderer

    register_renderer()  # as govlab.setup() does in a notebook
    box = explorer({"locality": "toy", "years": 2, "seed": 1}, replicates=1)
    shown = json.dumps(box.children[-1].outputs[0]["data"], ensure_ascii=False)
    assert "with levers" not in shown and "baseline" in shown
