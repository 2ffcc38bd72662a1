"""Network figures are deterministic and carry bilingual labels."""
from __future__ import annotations

import pandas as pd

from govlab.network import synthesize
from govlab.network.plots import (
    compare_figure,
    coverage_sunburst,
    coverage_table,
    member_platform_figure,
    member_platform_layout,
)


def test_layout_is_deterministic_and_layered():
    loc = synthesize("shangyou-620", seed=1)
    a, ea = member_platform_layout(loc)
    b, eb = member_platform_layout(synthesize("shangyou-620", seed=1))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ea, eb)
    assert (a.loc[a["kind"] == "member", "y"] > 0).all() and (a.loc[a["kind"] == "platform", "y"] < 0).all()
    fig = member_platform_figure(loc)
    names = {t.name for t in fig.data}
    assert any("中国共产党" in n and "CPC" in n for n in names)
    assert any("委员工作站" in n for n in names)


def test_coverage_table_and_sunburst():
    loc = synthesize("nantong-youshi", seed=1)
    t = coverage_table(loc, max_level="township")
    assert (t["covered_share"] == 1.0).all()  # every village has a room
    fig = coverage_sunburst(loc)
    assert len(fig.data[0].ids) == len(t)


def test_compare_figure_handles_missing_values():
    s = pd.DataFrame({"locality": ["a", "b"], "family": "x", "measure": "m", "group": "all", "value": [0.5, float("nan")]})
    fig = compare_figure(s, [("m", "all")])
    assert list(fig.data[0].y) == [0.5, None]
