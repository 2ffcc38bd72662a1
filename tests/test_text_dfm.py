"""Tests of govlab.text.dfm: document-feature matrices, count_terms (in-process and on Dask), the
scikit-learn vectorizer. Fictional texts only."""
from __future__ import annotations

import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from govlab.errors import InputError
from govlab.text import (
    DFM,
    ChineseCountVectorizer,
    count_terms,
    dfm,
    dfm_from_frame,
    dfm_group,
    dfm_select,
    dfm_tfidf,
    dfm_trim,
    dfm_weight,
    tokens,
)

# Fictional documents written for these tests.
TEXTS = {
    "qh-1": "青禾县政协建成委员工作站，委员工作站每月开展协商。Workstation and NGO, ngo.",
    "qh-2": "青禾县推行六步议事，协商议事室收集社情民意信息二十条。",
    "bs-1": "白沙市委员联络站开展协商，协商议事室也开展协商，落实误工补贴。",
    "bs-2": "白沙市实行清单制，推进五级联动，委员工作站达到六有标准，共42个。",
}
DOCVARS = pd.DataFrame({"doc_id": list(TEXTS), "locality": ["青禾县", "青禾县", "白沙市", "白沙市"],
                        "year": [2022, 2023, 2022, 2022]})


@pytest.fixture(scope="module")
def toks():
    return tokens(TEXTS, DOCVARS)


def test_dfm_counts_the_tokens(toks):
    d = dfm(toks)
    assert isinstance(d.matrix, sp.csr_matrix) and d.matrix.dtype == np.int64
    assert list(d.features) == sorted(d.features)
    for i, doc in enumerate(toks.doc_ids):
        expected = Counter(t.lower() for t in toks[doc])
        row = d.matrix[i].toarray().ravel()
        assert {f: int(row[j]) for j, f in enumerate(d.features) if row[j]} == dict(expected)
    assert d.docvars["locality"].tolist() == DOCVARS["locality"].tolist()
    assert d.matrix[0, d.vocabulary["ngo"]] == 2  # lower-cased by default
    assert "NGO" in dfm(toks, tolower=False).features
    assert d.meta["segmenter"] == "rjieba" and d.meta["history"][-1].startswith("dfm(")


@pytest.mark.parametrize("kwargs", [{}, {"remove_numbers": True}, {"stopwords": None, "remove_punct": False},
                                    {"backend": "jieba", "lexicon": None}])
def test_count_terms_equals_dfm_of_tokens(kwargs):
    a = dfm(tokens(TEXTS, DOCVARS, **kwargs))
    b = count_terms(TEXTS, DOCVARS, **kwargs)
    assert a.features == b.features
    assert (a.matrix != b.matrix).nnz == 0
    assert b.docvars.equals(a.docvars)
    assert b.meta["lexicon_sha256"] == a.meta["lexicon_sha256"]


def test_to_frame_round_trip(toks):
    d = dfm(toks)
    long = d.to_frame()
    assert list(long.columns) == ["doc_id", "term", "count"]
    assert long["count"].sum() == d.matrix.sum()
    back = dfm_from_frame(long, DOCVARS)
    assert back.features == d.features and (back.matrix != d.matrix).nnz == 0
    with pytest.raises(InputError, match="missing column 'count'"):
        dfm_from_frame(long.drop(columns="count"))
    with pytest.raises(InputError, match="row 0"):
        dfm_from_frame(long.assign(count=["x"] + [1] * (len(long) - 1)))
    with pytest.raises(InputError, match="not in docvars"):
        dfm_from_frame(long, DOCVARS.iloc[:1])


def test_dfm_trim_select_group(toks):
    d = dfm(toks)
    tf, dfreq = d.termfreq(), d.docfreq()
    t = dfm_trim(d, min_termfreq=2, min_docfreq=2)
    assert set(t.features) == {f for f in d.features if tf[f] >= 2 and dfreq[f] >= 2}
    assert "开展协商" in t.features
    assert set(dfm_trim(d, max_docfreq=0.25, docfreq_type="prop").features) == set(dfreq[dfreq <= 1].index)
    top = dfm_trim(d, min_termfreq=1, termfreq_type="rank")
    assert top.features == (tf.idxmax(),) or len(top.features) == (tf == tf.max()).sum()
    assert all(len(f) >= 3 for f in dfm_select(d, min_nchar=3).features)
    assert dfm_select(d, ["委员*"]).features == tuple(f for f in d.features if f.startswith("委员"))

    g = dfm_group(d, "locality")
    assert g.doc_ids == ("白沙市", "青禾县")  # sorted groups
    np.testing.assert_array_equal(g.matrix.toarray()[1], d.matrix[:2].toarray().sum(axis=0))
    assert "year" not in g.docvars.columns  # not constant within 青禾县
    assert g.docvars.set_index("doc_id").loc["白沙市", "n_documents"] == 2
    assert dfm_group(d, by=["a", "a", "a", "b"]).doc_ids == ("a", "b")
    with pytest.raises(InputError, match="no docvar 'province'"):
        dfm_group(d, "province")


def test_weights_and_tfidf(toks):
    d = dfm(toks)
    prop = dfm_weight(d, "prop")
    np.testing.assert_allclose(np.asarray(prop.matrix.sum(axis=1)).ravel(), 1.0)
    tfidf = dfm_tfidf(d)
    j = d.vocabulary["委员工作站"]
    dfreq = (d.matrix[:, j] > 0).sum()
    expected = d.matrix[:, j].toarray().ravel() * np.log10(d.ndoc() / dfreq)
    np.testing.assert_allclose(tfidf.matrix[:, j].toarray().ravel(), expected)
    assert tfidf.meta["weight"] == "tfidf"
    with pytest.raises(InputError, match="scheme"):
        dfm_weight(d, "nope")


def test_vectorizer_follows_scikit_learn_conventions():
    from sklearn.base import clone

    vec = ChineseCountVectorizer(backend="rjieba", min_df=1)
    params = vec.get_params()
    assert params["backend"] == "rjieba" and params["lexicon"] == "default" and params["min_df"] == 1
    assert clone(vec).get_params() == params
    X = vec.fit_transform(list(TEXTS.values()))
    ref = count_terms(TEXTS)
    assert tuple(vec.get_feature_names_out()) == ref.features
    assert (X != ref.matrix).nnz == 0
    new = vec.transform(["委员工作站和一个从未见过的词"])
    assert new.shape == (1, len(ref.features)) and new[0, vec.vocabulary_["委员工作站"]] == 1
    restored = pickle.loads(pickle.dumps(vec))
    assert (restored.transform(list(TEXTS.values())) != X).nnz == 0
    with pytest.raises(InputError, match="single string"):
        vec.fit("委员工作站")


def test_vectorizer_in_a_pipeline_with_tfidf_and_nmf():
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.pipeline import Pipeline

    pipe = Pipeline([("counts", ChineseCountVectorizer()), ("tfidf", TfidfTransformer()),
                     ("nmf", NMF(n_components=2, init="nndsvda", random_state=0, max_iter=500))])
    W = pipe.fit_transform(list(TEXTS.values()))
    assert W.shape == (4, 2) and (W >= 0).all()
    W2 = pipe.fit_transform(list(TEXTS.values()))
    np.testing.assert_array_equal(W, W2)
    assert pipe.named_steps["nmf"].components_.shape[1] == len(pipe.named_steps["counts"].vocabulary_)


def test_dask_partitions_give_identical_results():
    from dask.distributed import Client, LocalCluster

    many = {f"{k}-{i}": v for i in range(3) for k, v in TEXTS.items()}
    local_counts = count_terms(many)
    local_tokens = tokens(many)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dist_counts = count_terms(many, client=client, npartitions=5)
        dist_tokens = tokens(many, client=client, npartitions=3)
    assert dist_counts.features == local_counts.features
    assert (dist_counts.matrix != local_counts.matrix).nnz == 0
    assert dist_counts.doc_ids == local_counts.doc_ids
    assert dist_tokens.tokens == local_tokens.tokens and dist_tokens.doc_ids == local_tokens.doc_ids
    assert all((a == b).all() for a, b in zip(dist_tokens.starts, local_tokens.starts))


def test_dfm_rejects_inconsistent_shapes():
    with pytest.raises(InputError, match="does not match"):
        DFM(matrix=sp.csr_matrix((2, 3)), features=("a", "b"), docvars=pd.DataFrame({"doc_id": ["x", "y"]}))
    with pytest.raises(InputError, match="expected Tokens"):
        dfm(TEXTS)
