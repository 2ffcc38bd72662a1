"""Tests of govlab.evaluate.review_agreement and of the stored third review of the adjudication.

The small tables here are written for the tests (the items are fictional, 虚构); the stored review
(datasets/evaluation/third_review_codes.csv) holds short phrases only, never a sentence of a text.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.evaluate import review_agreement

EVAL = Path(__file__).resolve().parents[1] / "datasets" / "evaluation"


def _adj():
    return pd.DataFrame({"file": ["x"] * 4 + ["y"], "category": ["actor", "actor", "platform", "platform", "actor"],
                         "item_zh": ["村民", "群众", "议事室", "办法", "村民"],
                         "decision": ["keep", "drop", "drop", "drop", "keep"]})


def test_hand_computed_per_stratum_and_category():
    rev = pd.DataFrame({"file": ["x", "x", "x", "y"], "category": ["actor", "platform", "platform", "actor"],
                        "item_zh": ["群众", "议事室", "办法", "村民"], "stratum": ["drop", "drop", "drop", "keep"],
                        "third": ["keep", "drop", "drop", "drop"]})
    t = review_agreement(_adj(), rev).set_index(["stratum", "category"])
    assert t.loc[("drop", "actor"), ["reviewed", "agreed", "agreement"]].tolist() == [1, 0, 0.0]
    assert t.loc[("drop", "platform"), ["reviewed", "agreed", "agreement"]].tolist() == [2, 2, 1.0]
    assert t.loc[("drop", "all"), ["reviewed", "agreed", "third_keep"]].tolist() == [3, 2, 1]
    assert t.loc[("keep", "all"), ["agreed", "adjudicated_keep", "third_keep"]].tolist() == [0, 1, 0]
    assert t.loc[("all", "all"), ["reviewed", "agreed", "agreement"]].tolist() == [4, 2, 0.5]
    assert list(t.index.get_level_values(0)) == ["drop"] * 3 + ["keep"] * 2 + ["all"]  # strata in review order


def test_bad_reviews_are_named():
    rev = pd.DataFrame({"file": ["x"], "category": ["actor"], "item_zh": ["委员"], "third": ["drop"]})
    with pytest.raises(InputError, match=r"row 1 \(x, actor, 委员\): found 0 times"):
        review_agreement(_adj(), rev)
    with pytest.raises(InputError, match=r"unknown third values \['maybe'\]"):
        review_agreement(_adj(), rev.assign(item_zh="群众", third="maybe"))
    with pytest.raises(InputError, match=r"adjudicated is 'keep' here but 'drop'"):
        review_agreement(_adj(), rev.assign(item_zh="群众", adjudicated="keep"))
    with pytest.raises(InputError, match=r"missing columns \['third'\]"):
        review_agreement(_adj(), rev.drop(columns="third"))


def test_stored_review_covers_every_drop_and_the_seeded_sample():
    codes = pd.read_csv(EVAL / "adjudicated_codes.csv", dtype=str, keep_default_na=False)
    figs = pd.read_csv(EVAL / "adjudicated_figures.csv", dtype=str, keep_default_na=False)
    adj = pd.concat([codes, figs.assign(category="figure", item_zh=figs["counted_zh"])], ignore_index=True)
    rev = pd.read_csv(EVAL / "third_review_codes.csv", dtype=str, keep_default_na=False)
    key = ["file", "category", "item_zh"]
    drops = set(map(tuple, adj.loc[adj["decision"] == "drop", key].values))
    assert set(map(tuple, rev.loc[rev["stratum"] == "drop", key].values)) == drops
    pool = codes[(codes["decision"] == "keep") & (codes["source"] != "both")]
    sample = pool.sample(n=40, random_state=13)  # the documented draw
    assert set(map(tuple, rev.loc[rev["stratum"] == "keep_sample", key].values)) == set(map(tuple, sample[key].values))
    assert rev["item_zh"].str.len().max() <= 40 and not rev["item_zh"].str.contains("。").any()
    t = review_agreement(adj, rev).set_index(["stratum", "category"])
    # the numbers quoted in datasets/evaluation/README.md
    assert t.loc[("drop", "all"), ["reviewed", "agreed"]].tolist() == [66, 65]
    assert t.loc[("keep_sample", "all"), ["reviewed", "agreed"]].tolist() == [40, 20]


def test_pairwise_agreement_pairs_every_annotator_on_the_common_files():
    import pandas as pd

    from govlab.evaluate import pairwise_agreement

    codes = {
        "a": pd.DataFrame({"file": ["x", "x", "y"], "category": ["actor", "platform", "actor"],
                           "item_zh": ["村民", "议事室", "只在y"]}),
        "b": pd.DataFrame({"file": ["x", "x"], "category": ["actor", "platform"], "item_zh": ["村民", "議事室"]}),
        "c": pd.DataFrame({"file": ["x"], "category": ["actor"], "item_zh": ["群众"]}),
    }
    figures = {"a": pd.DataFrame({"file": ["x", "x"], "value": ["3", "5"]}),
               "b": pd.DataFrame({"file": ["x", "y"], "value": ["3.0", "9"]}),
               "c": pd.DataFrame({"file": ["x"], "value": ["7"]})}
    t = pairwise_agreement(codes, figures)
    assert set(t["texts"]) == {1}  # only x is annotated by all three: y's items are left out
    allrow = t[t["category"] == "all"].set_index("pair")
    assert allrow.loc["a~b", ["both", "first_only", "second_only"]].tolist() == [2, 0, 0]
    assert allrow.loc["a~c", ["both", "first_only", "second_only"]].tolist() == [0, 2, 1]
    fig = t[t["category"] == "figure"].set_index("pair")
    assert fig.loc["a~b", ["both", "first_only", "second_only", "psa"]].tolist() == [1, 1, 0, 0.667]
    assert fig.loc["b~c", "both"] == 0


def test_pairwise_agreement_rejects_a_non_numeric_figure_value():
    import pandas as pd
    import pytest

    from govlab.evaluate import pairwise_agreement

    codes = {n: pd.DataFrame({"file": ["x"], "category": ["actor"], "item_zh": ["村民"]}) for n in "ab"}
    figures = {"a": pd.DataFrame({"file": ["x"], "value": ["three"]}), "b": pd.DataFrame({"file": ["x"], "value": ["3"]})}
    from govlab.errors import InputError

    with pytest.raises(InputError, match="annotator 'a'.*'three'"):
        pairwise_agreement(codes, figures)
