"""Tests of keyness, frequency, similarity, co-word networks and topic models, with worked examples."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.text import (
    cooccurrence_matrix,
    coword_network,
    dfm_from_frame,
    dfm_tfidf,
    textmodel_lda,
    textmodel_nmf,
    textstat_frequency,
    textstat_keyness,
    textstat_simil,
)


def _dfm(rows, docvars=None):
    return dfm_from_frame(pd.DataFrame(rows, columns=["doc_id", "term", "count"]), docvars)


@pytest.fixture
def two_groups():
    # target (t1 + t2): x 10, y 0, z 5 (n = 15); reference (r1): x 2, y 8, z 5 (n = 15)
    rows = [("t1", "x", 6), ("t2", "x", 4), ("t1", "z", 5), ("r1", "x", 2), ("r1", "y", 8), ("r1", "z", 5)]
    dv = pd.DataFrame({"doc_id": ["t1", "t2", "r1"], "place": ["A", "A", "B"]})
    return _dfm(rows, dv)


def test_keyness_uninformative_prior_by_hand(two_groups):
    k = textstat_keyness(two_groups, "A", by="place", prior=1.0).set_index("term")
    # alpha_w = 1, alpha_0 = 3, n_i = n_j = 15
    # x: log(11 / (15 + 3 - 10 - 1)) - log(3 / (15 + 3 - 2 - 1)) = log(11/7) - log(3/15)
    d_x = math.log(11 / 7) - math.log(3 / 15)
    sd_x = math.sqrt(1 / 11 + 1 / 3)
    assert k.loc["x", "delta"] == pytest.approx(d_x, rel=1e-12)
    assert k.loc["x", "sd"] == pytest.approx(sd_x, rel=1e-12)
    assert k.loc["x", "z"] == pytest.approx(d_x / sd_x, rel=1e-12)
    # y: log(1/17) - log(9/9); z: equal counts give 0
    assert k.loc["y", "delta"] == pytest.approx(math.log(1 / 17) - math.log(9 / 9), rel=1e-12)
    assert k.loc["z", "delta"] == pytest.approx(0.0, abs=1e-12)
    assert k.index.tolist() == ["x", "z", "y"]  # sorted by z
    assert (k.loc["x", "count_target"], k.loc["x", "count_reference"]) == (10, 2)
    assert k.attrs == {"n_target": 15, "n_reference": 15}


def test_keyness_informative_prior_by_hand(two_groups):
    # default prior: the counts of the whole DFM, alpha_x = 12, alpha_y = 8, alpha_z = 10, alpha_0 = 30
    k = textstat_keyness(two_groups, ["t1", "t2"]).set_index("term")
    d_x = math.log((10 + 12) / (15 + 30 - 10 - 12)) - math.log((2 + 12) / (15 + 30 - 2 - 12))
    assert k.loc["x", "delta"] == pytest.approx(d_x, rel=1e-12)
    assert k.loc["x", "sd"] == pytest.approx(math.sqrt(1 / 22 + 1 / 14), rel=1e-12)
    assert k.loc["x", "alpha"] == 12
    # rescaling the prior to alpha_0 = 3 gives alpha_x = 3 * 12/30
    k3 = textstat_keyness(two_groups, ["t1", "t2"], alpha0=3).set_index("term")
    a = 1.2
    assert k3.loc["x", "delta"] == pytest.approx(
        math.log((10 + a) / (15 + 3 - 10 - a)) - math.log((2 + a) / (15 + 3 - 2 - a)), rel=1e-12)
    # a weaker prior shrinks less
    assert abs(k3.loc["x", "delta"]) > abs(k.loc["x", "delta"])
    # background counts from elsewhere: terms missing from it get no prior and are left out
    kb = textstat_keyness(two_groups, ["t1", "t2"], prior={"x": 5, "y": 5})
    assert set(kb["term"]) == {"x", "y"}


def test_keyness_errors(two_groups):
    with pytest.raises(InputError, match="'C'.*not found"):
        textstat_keyness(two_groups, "C", by="place")
    with pytest.raises(InputError, match="both groups"):
        textstat_keyness(two_groups, "t1", reference=["t1", "r1"])
    with pytest.raises(InputError, match="positive"):
        textstat_keyness(two_groups, "t1", prior=0)
    with pytest.raises(InputError, match="counts"):
        textstat_keyness(dfm_tfidf(two_groups), "t1")


def test_frequency_per_group(two_groups):
    f = textstat_frequency(two_groups, groups="place")
    a = f[f.group == "A"].set_index("term")
    assert a.loc["x", "frequency"] == 10 and a.loc["x", "docfreq"] == 2 and a.loc["x", "rank"] == 1
    assert "y" not in a.index
    assert textstat_frequency(two_groups, n=1)["term"].tolist() == ["x"]


def test_cosine_and_jaccard_by_hand():
    d = _dfm([("a", "x", 1), ("a", "y", 1), ("b", "x", 2), ("c", "z", 3)])
    s = textstat_simil(d)
    assert s.loc["a", "b"] == pytest.approx(2 / (math.sqrt(2) * 2))
    assert s.loc["a", "c"] == 0 and s.loc["c", "c"] == 1
    assert (s.values == s.values.T).all()
    j = textstat_simil(d, "jaccard")
    assert j.loc["a", "b"] == pytest.approx(1 / 2)
    with pytest.raises(InputError, match="method"):
        textstat_simil(d, "euclid")


def test_ochiai_network_by_hand():
    # four sentences: s1 {a, b, c}, s2 {a, b}, s3 {a}, s4 {c}
    d = _dfm([("s1", "a", 2), ("s1", "b", 1), ("s1", "c", 1), ("s2", "a", 1), ("s2", "b", 1), ("s3", "a", 1),
              ("s4", "c", 1)])
    counts = cooccurrence_matrix(d, measure="count")
    assert counts.loc["a", "b"] == 2 and counts.loc["a", "a"] == 3
    o = cooccurrence_matrix(d)
    assert o.loc["a", "b"] == pytest.approx(2 / math.sqrt(3 * 2))
    assert o.loc["a", "c"] == pytest.approx(1 / math.sqrt(3 * 2))
    assert o.loc["b", "c"] == pytest.approx(1 / math.sqrt(2 * 2))
    g = coword_network(d)
    assert list(g.nodes) == ["a", "b", "c"]  # by units containing the term
    assert g.nodes["a"] == {"docfreq": 3, "termfreq": 4}
    assert g.edges["a", "b"]["weight"] == pytest.approx(2 / math.sqrt(6)) and g.edges["a", "b"]["count"] == 2
    strong = coword_network(d, min_weight=0.6)
    assert set(map(frozenset, strong.edges)) == {frozenset("ab")}
    assert set(coword_network(d, top_n=2).nodes) == {"a", "b"}
    assert coword_network(d, min_count=2).number_of_edges() == 1
    with pytest.raises(InputError, match="not in the DFM"):
        coword_network(d, features=["q"])


def test_topic_models_are_reproducible_and_normalised():
    rows = []
    for i in range(6):
        block = ["协商", "议事", "委员"] if i < 3 else ["补贴", "经费", "换届"]
        rows += [(f"d{i}", t, 5 + i) for t in block] + [(f"d{i}", "工作", 1)]
    dv = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "locality": ["甲"] * 3 + ["乙"] * 3})
    d = _dfm(rows, dv)
    for fit in (textmodel_nmf, textmodel_lda):
        m1, m2 = fit(d, 2, seed=3), fit(d, 2, seed=3)
        pd.testing.assert_frame_equal(m1.doc_topic, m2.doc_topic)
        pd.testing.assert_frame_equal(m1.topic_term, m2.topic_term)
        np.testing.assert_allclose(m1.doc_topic.sum(axis=1), 1.0)
        np.testing.assert_allclose(m1.topic_term.sum(axis=1), 1.0)
        assert list(m1.doc_topic.columns) == ["topic_1", "topic_2"]
        # the two blocks of documents load on different topics
        top = m1.doc_topic.idxmax(axis=1)
        assert top.iloc[0] == top.iloc[2] != top.iloc[3] == top.iloc[5]
        comp = m1.composition("locality")
        assert comp.index.tolist() == ["乙", "甲"]
        tt = m1.top_terms(2)
        assert list(tt.columns) == ["topic", "rank", "term", "weight"] and len(tt) == 4
    with pytest.raises(InputError, match="topics"):
        textmodel_nmf(d, 0)
