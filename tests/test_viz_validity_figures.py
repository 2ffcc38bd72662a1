"""The validity and replication figures draw what their tables say."""
import pandas as pd

from govlab.viz.evaluation import confusion_heatmap, error_bars, score_bars
from govlab.viz.replication import STATUS_COLORS, loo_intervals, model_report_difference, status_bars


def _scores(part, value):
    return pd.DataFrame({"part": [part, part], "group": ["figures", "codes"], "category": ["strict", "actor"],
                         "metric": ["recall", "kappa"], "score": [value, ""]})


def test_score_bars_one_trace_per_source_and_blank_scores_left_out():
    fig = score_bars({"baseline": _scores("heldout", "50.0"), "govlab": _scores("heldout", "80.0")},
                     [("figures", "strict", "recall"), ("codes", "actor", "kappa")], goal=90)
    assert [t.name for t in fig.data] == ["baseline", "govlab"]
    assert [list(t.y) for t in fig.data] == [[50.0], [80.0]]   # the blank kappa is not drawn as 0
    assert fig.layout.yaxis.range == (0, 100)


def test_confusion_heatmap_rows_are_gold_columns_are_system():
    conf = pd.DataFrame({"gold": ["actor", "platform"], "actor": [5, 2], "platform": [0, 7]})
    fig = confusion_heatmap(conf)
    assert list(fig.data[0].y) == ["actor", "platform"] and list(fig.data[0].x) == ["actor", "platform"]
    assert fig.data[0].z[1][0] == 2   # two platform units coded as actor


def test_error_bars_parts_apart():
    e = pd.DataFrame({"part": ["tune", "heldout"], "group": ["codes"] * 2, "category": ["actor"] * 2,
                      "error": ["code on no gold item"] * 2, "count": [3, 5]})
    assert [(t.name, [int(x) for x in t.x]) for t in error_bars(e).data] == [("tune", [3]), ("heldout", [5])]


def test_loo_colours_follow_coverage_and_values_are_relative():
    loo = pd.DataFrame({"locality": ["a-x", "b-y", "c-z"], "left_out": ["m", "n", "o"],
                        "reported_low": [10.0, 10.0, 1.0], "reported_high": [10.0, 30.0, 1.0],
                        "predicted": [20.0, 20.0, None], "pi_low": [15.0, 18.0, None],
                        "pi_high": [25.0, 22.0, None], "covered": [False, True, False]})
    fig = loo_intervals(loo)
    pred = fig.data[2]
    assert [float(x) for x in pred.x] == [2.0, 1.0]          # relative to the reported midpoint
    assert list(pred.marker.color) == [STATUS_COLORS["missed"], STATUS_COLORS["predicted"]]
    assert len(pred.y) == 2                                   # the row without a prediction is left out


def test_status_bars_and_difference():
    s = pd.DataFrame({"fitted": [1], "input": [4]}, index=["r1"])
    assert [t.name for t in status_bars(s, ["input", "fitted"]).data] == ["input", "fitted"]
    t = pd.DataFrame({"doc_id": ["a"], "target_id": ["t"], "value": [4.0], "model": [3.0],
                      "model_status": ["off"], "role": ["input"], "op": ["="]})
    fig = model_report_difference(t)
    assert [float(x) for x in fig.data[0].x] == [-0.25] and list(fig.data[0].marker.color) == [STATUS_COLORS["differs"]]
