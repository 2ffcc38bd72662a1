"""Tests of govlab.text: lexicon, segmenters, tokens, dictionary lookup, kwic (fictional texts only)."""
from __future__ import annotations

from importlib import metadata

import pandas as pd
import pytest

from govlab.errors import InputError
from govlab.text import (
    Lexicon,
    as_texts,
    corpus_reshape,
    dictionary_tokenize,
    get_segmenter,
    kwic,
    lexicon_splits,
    load_lexicon,
    load_stopwords,
    segmentation_agreement,
    tokens,
    tokens_compound,
    tokens_lookup,
    tokens_select,
)

# Fictional sentences written for these tests.
FICTION = {
    "qinghe": "青禾县政协在石桥镇建成委员工作站和有事好商量协商议事室，推行六步议事，"
              "坚持党政点题、群众出题、委员荐题，防止议而不决、决而不行、行而不久。",
    "baisha": "白沙市政协委员联络站每年报送社情民意信息十余条，按4+X要求开展协商，"
              "实行清单制和四级召集人制度，落实误工补贴，推进五级联动，达到六有标准。",
    "empty-ish": "“十四五”时期，三农工作离不开基层协商民主。",
}

REQUIRED_TERMS = ["有事好商量", "协商议事室", "委员工作站", "委员工作室", "委员联络站", "六步议事", "社情民意",
                  "党政点题", "群众出题", "委员荐题", "议而不决", "决而不行", "行而不久", "五级联动", "六有",
                  "清单制", "误工补贴", "四级召集人", "4+X", "社情民意信息"]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def test_shipped_lexicon_covers_the_field(lex):
    assert len(lex) >= 150
    missing = [t for t in REQUIRED_TERMS if t not in lex]
    assert missing == []
    # the hash identifies the terms, not the file
    assert Lexicon.from_terms(reversed(lex.terms)).sha256 == lex.sha256
    assert Lexicon.from_terms(list(lex.terms)[1:]).sha256 != lex.sha256


def test_stopwords_do_not_remove_lexicon_terms(lex):
    sw = load_stopwords()
    assert "的" in sw and "我们" in sw
    assert set(sw.terms) & set(lex.terms) == set()


def test_lexicon_file_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_lexicon(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("word,en\n委员工作站,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv.*'term' column"):
        load_lexicon(bad)
    spaced = tmp_path / "terms.txt"
    spaced.write_text("# comment\n委员 工作站\n", encoding="utf-8")
    with pytest.raises(InputError, match="whitespace"):
        load_lexicon(spaced)
    ok = tmp_path / "ok.txt"
    ok.write_text("# my terms\n石桥议事会\n\n", encoding="utf-8")
    assert load_lexicon(ok).terms == ("石桥议事会",)


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_both_backends_keep_lexicon_terms_whole(backend):
    toks = tokens(FICTION, backend=backend)
    found = set().union(*map(set, toks.tokens))
    for term in ["有事好商量", "协商议事室", "委员工作站", "六步议事", "党政点题", "群众出题", "委员荐题", "议而不决",
                 "决而不行", "行而不久", "委员联络站", "社情民意信息", "4+X", "清单制", "四级召集人", "误工补贴",
                 "五级联动", "六有", "十四五", "三农"]:
        assert term in found, term
    # without the lexicon jieba splits several of them
    plain = set().union(*map(set, tokens(FICTION, backend=backend, lexicon=None).tokens))
    assert "有事好商量" not in plain and "六步议事" not in plain


def test_backends_agree_and_record_provenance(lex):
    a = tokens(FICTION, backend="rjieba")
    b = tokens(FICTION, backend="jieba")
    assert a.tokens == b.tokens
    assert (a.segmenter, b.segmenter) == ("rjieba", "jieba")
    assert a.segmenter_version == metadata.version("rjieba")
    assert b.segmenter_version == metadata.version("jieba")
    assert a.lexicon_sha256 == lex.sha256 == b.lexicon_sha256
    assert a.stopwords_sha256 == load_stopwords().sha256
    assert a.history and a.history[0].startswith("tokens(backend=rjieba")
    other = tokens(FICTION, lexicon=["石桥镇"])
    assert other.lexicon_sha256 == Lexicon.from_terms(["石桥镇"]).sha256 != a.lexicon_sha256


def test_offsets_point_into_the_text():
    toks = tokens(FICTION)
    for doc_id, doc_tokens in toks.items():
        starts = toks.starts[toks.doc_ids.index(doc_id)]
        assert len(starts) == len(doc_tokens)
        for t, s in zip(doc_tokens, starts.tolist()):
            assert FICTION[doc_id][s:s + len(t)] == t
    frame = toks.to_frame()
    assert list(frame.columns) == ["doc_id", "position", "token", "start", "end"]
    assert (frame["end"] - frame["start"] == frame["token"].str.len()).all()


def test_removal_rules():
    text = {"d": "2021年，共收集1.2万条信息，占85%。我们的工作站有事好商量，“十四五”推进4+X。"}
    full = tokens(text, stopwords=None, remove_punct=False)["d"]
    assert "，" in full and "的" in full and "2021" in full
    default = tokens(text)["d"]
    assert "，" not in default and "“" not in default and "的" not in default and "我们" not in default
    assert "2021" in default and "1.2" in default
    nonum = tokens(text, remove_numbers=True)["d"]
    assert "2021" not in nonum and "1.2" not in nonum and "85%" not in nonum
    assert "十四五" in nonum and "4+X" in nonum  # lexicon terms are never removed as numbers
    assert not any(t.isspace() for t in tokens({"d": "委员 工作\n站"}, lexicon=None)["d"])


def test_bad_inputs_name_the_document():
    with pytest.raises(InputError, match="'blank'.*empty"):
        tokens({"ok": "委员工作站", "blank": "  \n "})
    assert tokens({"blank": ""}, allow_empty=True)["blank"] == ()
    with pytest.raises(InputError, match="'n'.*int"):
        tokens({"n": 5})
    with pytest.raises(InputError, match="backend"):
        tokens(FICTION, backend="pkuseg")
    with pytest.raises(InputError, match="single string"):
        tokens("委员工作站")


def test_docvars_travel_and_are_checked():
    dv = pd.DataFrame({"doc_id": ["baisha", "qinghe", "empty-ish", "unused"],
                       "locality": ["白沙市", "青禾县", "-", "-"]})
    toks = tokens(FICTION, dv)
    assert toks.docvars["doc_id"].tolist() == list(FICTION)
    assert toks.docvars["locality"].tolist() == ["青禾县", "白沙市", "-"]
    with pytest.raises(InputError, match="no row for documents \\['empty-ish'\\]"):
        tokens(FICTION, dv.iloc[:2])

    class CorpusLike:
        texts = {"a": "委员工作站"}
        documents = pd.DataFrame({"doc_id": ["a"], "year": [2023]})

    assert tokens(CorpusLike()).docvars["year"].tolist() == [2023]
    assert list(as_texts(["甲", "乙"]).texts) == ["text1", "text2"]


def test_dictionary_entries_are_segmented_like_the_text():
    """quanteda issue 2476: a multi-character entry must not be missed silently."""
    text = {"d": "委员们收集社情民意信息，也收集群众意见。印度尼西亚代表团来访。"}
    toks = tokens(text, lexicon=None, stopwords=None)
    assert "社情民意信息" not in toks["d"]  # the segmenter splits it without the lexicon ...
    dictionary = {"info": ["社情民意信息"], "country": ["印度"]}
    seqs = dictionary_tokenize(dictionary, toks)
    assert seqs["info"] == [("社情民意", "信息")]
    looked = tokens_lookup(toks, dictionary)
    assert looked["d"] == ("info",)  # ... and the lookup still finds it; 印度 is not inside 印度尼西亚
    # with the lexicon the entry is one token and is found the same way
    assert tokens_lookup(tokens(text), dictionary)["d"] == ("info",)


def test_lookup_skips_removed_tokens_but_not_gaps_in_the_text():
    toks = tokens({"d": "发挥委员的作用。委员，作用"}, lexicon=None)
    assert tokens_lookup(toks, {"role": "委员的作用"})["d"] == ("role", "role")
    toks2 = tokens({"d": "发挥委员的作用。"}, lexicon=None, stopwords=None)
    assert tokens_lookup(toks2, {"role": "委员作用"})["d"] == ()


def test_lookup_keys_offsets_and_non_exclusive():
    toks = tokens(FICTION)
    d = {"platform": ["委员工作站", "协商议事室", "委员联络站", "委员工作*"],
         "topic_source": ["党政点题", "群众出题", "委员荐题"]}
    looked = tokens_lookup(toks, d)
    assert looked["qinghe"] == ("platform", "platform", "topic_source", "topic_source", "topic_source")
    s = looked.starts[0].tolist()
    assert FICTION["qinghe"][s[0]:s[0] + 5] == "委员工作站"
    mixed = tokens_lookup(toks, d, exclusive=False)["qinghe"]
    assert mixed[:3] == ("青禾", "县政协", "石桥镇") and mixed.count("platform") == 2
    with pytest.raises(InputError, match="dictionary.empty"):
        tokens_lookup(toks, {"empty": []})
    with pytest.raises(InputError, match="dictionary.stop.*'的'"):
        tokens_lookup(toks, {"stop": ["的"]})


def test_tokens_compound_and_select():
    toks = tokens({"d": "推进基层民主协商，基层民主协商有效。"}, lexicon=None)
    assert "基层民主协商" not in toks["d"]
    comp = tokens_compound(toks, ["基层民主协商"])
    assert comp["d"].count("基层民主协商") == 2
    assert comp.starts[0].tolist()[comp["d"].index("基层民主协商")] == 2
    assert tokens_compound(toks, [("基层", "民主协商")], concatenator="_")["d"].count("基层_民主协商") == 2
    assert all(len(t) >= 2 for t in tokens_select(toks, min_nchar=2)["d"])
    assert "基层" not in tokens_select(toks, ["基*"], selection="remove")["d"]


def test_kwic_over_raw_texts():
    k = kwic(FICTION, ["委员工作站", "委员"], window=3)
    assert list(k.columns) == ["doc_id", "start", "end", "pre", "keyword", "post"]
    row = k.iloc[0]
    assert (row.doc_id, row.keyword, row.pre, row.post) == ("qinghe", "委员工作站", "镇建成", "和有事")
    for r in k.itertuples():
        assert FICTION[r.doc_id][r.start:r.end] == r.keyword
    assert len(kwic(FICTION, r"委员\w{2}", valuetype="regex")) >= 3
    with pytest.raises(InputError, match="bad regular expression"):
        kwic(FICTION, "(", valuetype="regex")
    with pytest.raises(InputError, match="window"):
        kwic(FICTION, "委员", window=-1)


def test_corpus_reshape_to_sentences():
    s = corpus_reshape(FICTION, pd.DataFrame({"doc_id": list(FICTION), "year": [1, 2, 3]}))
    assert list(s.texts)[:2] == ["qinghe.1", "baisha.1"]
    assert s.documents.loc[0, "document"] == "qinghe" and s.documents.loc[0, "year"] == 1
    for r in s.documents.itertuples():
        assert FICTION[r.document][r.offset:r.offset + len(s.texts[r.doc_id])] == s.texts[r.doc_id]


def test_agreement_measure_counts_only_chinese_spans():
    a, b = get_segmenter("rjieba"), get_segmenter("jieba")
    agr = segmentation_agreement({"d": "ABC 123 委员工作站"}, a, b)
    assert agr.iloc[-1]["doc_id"] == "(all)" and agr.iloc[-1]["f1"] == 1.0
    assert agr.iloc[0]["n_a"] == len([t for t in a.cut("委员工作站")])


def test_lexicon_splits_statuses():
    lex = Lexicon.from_terms(["委员工作站", "县政协", "政协委员", "协商民主", "基层协商民主"])
    text = "县政协委员工作站推进基层协商民主"
    res = lexicon_splits(text, ["县政协", "委员工作站", "推进", "基层协商民主"], lex)
    status = dict(zip(res.term, res.status))
    assert status == {"县政协": "kept", "政协委员": "overlapped", "委员工作站": "kept", "基层协商民主": "kept",
                      "协商民主": "inside"}
    with pytest.raises(InputError, match="concatenate"):
        lexicon_splits(text, ["县政协"], lex)


def test_examples_agree_and_keep_the_lexicon(examples_dir, lex):
    from govlab.corpus import build_corpus

    corpus = build_corpus(examples_dir)
    a, b = get_segmenter("rjieba", lex), get_segmenter("jieba", lex)
    agr = segmentation_agreement(corpus.texts, a, b)
    assert agr.iloc[-1]["f1"] >= 0.995
    for doc_id, text in corpus.texts.items():
        st = lexicon_splits(text, a.cut(text), lex)
        assert (st.status != "split").all(), (doc_id, st[st.status == "split"].term.tolist())


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_lone_surrogates_are_replaced_not_fatal(backend):
    # a lone surrogate (as left by a bad decode with errors="surrogateescape") cannot be UTF-8
    text = "青禾县" + chr(0xD800) + "委员工作站" + chr(0xDC80)
    toks = tokens({"d": text}, backend=backend, stopwords=None, remove_punct=False)
    assert "委员工作站" in toks["d"]
    assert not any(0xD800 <= ord(c) <= 0xDFFF for t in toks["d"] for c in t)
    assert "\ufffd" in toks["d"]  # replaced one for one ...
    starts = toks.starts[0].tolist()
    assert [text[s:s + len(t)] if "\ufffd" not in t else "\ufffd" for s, t in zip(starts, toks["d"])] == list(toks["d"])
    # ... and dropped as a symbol by the default rules
    assert "\ufffd" not in tokens({"d": text}, backend=backend)["d"]
    # and counting does not fail either
    from govlab.text import count_terms

    d = count_terms({"d": text}, backend=backend, remove_punct=False)
    assert "委员工作站" in d.features and "\ufffd" in d.features


def test_docvars_alignment_is_linear_in_documents():
    # 20,000 documents with docvars: the check that every document has a row must not rebuild a
    # set per document (it did, making tokens/count_terms quadratic)
    n = 20_000
    texts = {f"d{i}": "协商" for i in range(n)}
    dv = pd.DataFrame({"doc_id": list(texts), "year": 2020})
    from govlab.text.tokens import as_texts

    tx = as_texts(texts, dv)
    assert tx.documents["doc_id"].tolist() == list(texts)
    with pytest.raises(InputError, match="no row for documents"):
        as_texts({**texts, "extra": "议事"}, dv)
