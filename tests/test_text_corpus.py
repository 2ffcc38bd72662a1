"""govlab.text on the real reports (``GOVLAB_CORPUS_DIR``) and the shipped term counts."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from govlab.text import count_terms, get_segmenter, lexicon_splits, load_lexicon, segmentation_agreement

ROOT_DATASETS = __import__("pathlib").Path(__file__).resolve().parents[1] / "datasets"
TERM_COUNTS = ROOT_DATASETS / "reports" / "term_counts.csv"
REPORTS = {"gansu-extension", "nantong-youshi", "prov-x-survey", "shangyou-620", "xx-city-districts"}


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    from govlab.corpus import build_corpus

    return build_corpus(corpus_dir)


def test_shipped_term_counts_are_single_tokens():
    df = pd.read_csv(TERM_COUNTS, dtype={"doc_id": str, "term": str}, keep_default_na=False)
    assert list(df.columns) == ["doc_id", "term", "count"]
    assert set(df["doc_id"]) == REPORTS
    assert (df["count"] > 0).all() and not df.duplicated(["doc_id", "term"]).any()
    assert df.equals(df.sort_values(["doc_id", "term"], kind="stable").reset_index(drop=True))
    # derived data only: no run of Chinese characters that could be a copied sentence
    assert df["term"].map(lambda t: max((len(m) for m in re.findall(r"[\u4e00-\u9fff]+", t)), default=0)).max() < 12
    for term in ["委员工作站", "协商议事室", "有事好商量", "六步议事"]:
        assert term in set(df["term"]), term


@pytest.mark.corpus
def test_term_counts_rebuild_from_the_corpus(corpus_dir, tmp_path):
    from govlab.cli import main

    out = tmp_path / "term_counts.csv"
    assert main(["text", "counts", str(corpus_dir), "--out", str(out)]) == 0
    assert out.read_bytes() == TERM_COUNTS.read_bytes()


@pytest.mark.corpus
def test_backends_agree_on_the_corpus(corpus):
    lex = load_lexicon()
    agr = segmentation_agreement(corpus.texts, get_segmenter("rjieba", lex), get_segmenter("jieba", lex))
    assert agr.iloc[-1]["f1"] >= 0.995
    assert (agr["f1"] >= 0.99).all()


@pytest.mark.corpus
def test_lexicon_terms_are_not_split_in_the_corpus(corpus):
    lex = load_lexicon()
    seg = get_segmenter("rjieba", lex)
    kept = 0
    for doc_id, text in corpus.texts.items():
        st = lexicon_splits(text, seg.cut(text), lex)
        assert (st.status != "split").all(), (doc_id, st[st.status == "split"].term.tolist())
        kept += int((st.status == "kept").sum())
    assert kept > 300


@pytest.mark.corpus
def test_platform_terms_counted_in_the_reports(corpus):
    d = count_terms(corpus)
    assert set(d.doc_ids) == REPORTS
    tf = d.to_frame().pivot_table(index="term", columns="doc_id", values="count", fill_value=0)
    assert tf.loc["有事好商量", "nantong-youshi"] > 0
    assert tf.loc["4+X", "shangyou-620"] > 0 and tf.loc["六步议事", "gansu-extension"] > 0
