"""Tests of the numba backend (govlab.text.numba_seg): its tokens must be jieba's, token for token,
and count_terms with it must equal count_terms with jieba and dfm(tokens(...)). Fictional texts only;
the real reports are read through the ``corpus_dir`` fixture and never copied."""
from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlab.errors import InputError
from govlab.text import BACKENDS, count_terms, dfm, get_segmenter, load_lexicon, segmentation_agreement, tokens

dfm_module = importlib.import_module("govlab.text.dfm")  # the module (govlab.text.dfm is the function)
ROOT = Path(__file__).resolve().parents[1]

# Fictional snippets written for these tests: dictionary words, lexicon terms, invented place names
# (unknown to the dictionary, so the HMM runs), Latin, numbers, punctuation and separators.
PIECES = ["青禾县", "白沙", "柳溪", "桃源镇", "石桥", "东岭村", "鹤鸣", "凤栖", "龙泉社区", "松坪", "梅岗",
          "政协", "委员工作站", "协商议事室", "有事好商量", "六步议事", "社情民意信息", "推进", "完善",
          "工作机制", "议事规则", "的", "了", "和", "在", "开展", "协商", "群众", "建成", "十二个", "二〇二三年",
          "4+X", "NGO", "ngo", "AT&T", "C++", "c#", "γ射线", "3.14%", "abc.5", "a.b.5%%", "2023", "１２３", "ＡＢＣ",
          "x-y_z", "#&", "，", "。", "、", "；", "“", "”", "（", "）", "《", "》", "…", "—", "·", " ", "  ", "\t",
          "\n", "\r\n", "\r", "\u3000", "\xa0", "😀", "𠀀", "㐀", "鿖", "丶丷丿乀乁", "犇猋骉麤", "叕", "嫑"]
# Characters for character-level texts: common and rare Han (some outside jieba's U+4E00-U+9FD5),
# letters, digits, symbols and every kind of separator.
ALPHABET = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
            "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
            "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
            "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入"
            "常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西"
            "被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认"
            "六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才"
            "科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商"
            "丶丷丿乀乁叕嫑犇猋骉麤鿖鿗㐀㐁䶵𠀀"
            "abcxyzABCXYZ0123456789０１２３ＡＢＣ+#&._%-@/:;!?,'\"()[]，。、；：？！“”（）《》…—·"
            " \t\n\r\x0b\x0c\u3000\xa0\u2028\x85")


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


@pytest.fixture(scope="module")
def pair(lex):
    """The numba segmenter and the reference (jieba), both with the shipped lexicon."""
    return get_segmenter("numba", lex), get_segmenter("jieba", lex)


@pytest.fixture(scope="module")
def examples(examples_dir):
    from govlab.corpus import build_corpus

    return build_corpus(examples_dir).texts


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_tokenize", ROOT / "benchmarks" / "bench_tokenize.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def assert_same_tokens(texts, a, b):
    for doc_id, text in texts.items():
        got, ref = a.cut(text), b.cut(text)
        assert got == ref, (doc_id, next(((i, got[i:i + 3], ref[i:i + 3]) for i in range(min(len(got), len(ref)))
                                          if got[i] != ref[i]), None))


def test_backend_is_registered_and_import_compiles_nothing(pair):
    assert "numba" in BACKENDS
    seg = pair[0]
    assert seg.backend == "numba"
    import numba

    from govlab.text import numba_seg

    assert seg.version == f"{numba.__version__}+jieba0.42.1.{numba_seg.algorithm_hash()}"
    assert seg.name == f"numba {seg.version}"
    # importing govlab.text neither imports numba nor compiles a kernel
    code = "import sys, govlab.text; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_model_matches_jiebas_dictionary_and_total(pair, lex):
    import math

    from govlab.text import numba_seg

    engine = pair[0]._engine
    tok = pair[1]._cut.__defaults__[0].__self__  # the jieba.Tokenizer behind the reference segmenter
    assert engine.total == tok.total
    slots, weight, root_size = engine.trie
    for word in list(lex.terms) + ["委员", "协商", "中华人民共和国", "γ射线", "AT&T"]:
        cps = np.frombuffer(word.encode("utf-32-le"), dtype=np.int32)
        node = numba_seg._walk(slots, root_size, cps, 0, len(cps))
        assert node >= 0 and engine.node_string(node) == word
        # bit-identical to jieba's log(FREQ[word]) - log(total)
        assert weight[node] == math.log(tok.FREQ[word]) - math.log(tok.total), word
    assert engine.cut("") == []


def test_edge_cases_equal_jieba(pair):
    cases = ["", " ", "\r\n", "\r\r\n\n", "。", "γ射线", "AT&T和C++", "a.b.5%%", "3.14%的增长", "ab中文cd",
             "丶丷丿乀乁" * 40, "鿖鿗㐀𠀀😀", "\u3000\u3000青禾县\u3000政协", "１２３ＡＢＣ", "x-y_z#&", "十四五",
             "县政协委员工作站", "有事好商量，六步议事。"]
    texts = {str(i): t for i, t in enumerate(cases)}
    assert_same_tokens(texts, *pair)
    for t in cases:
        assert "".join(pair[0].cut(t)) == t


def test_examples_equal_jieba_with_and_without_lexicon_and_hmm(examples, lex):
    assert_same_tokens(examples, get_segmenter("numba", lex), get_segmenter("jieba", lex))
    assert_same_tokens(examples, get_segmenter("numba"), get_segmenter("jieba"))
    assert_same_tokens(examples, get_segmenter("numba", lex, hmm=False), get_segmenter("jieba", lex, hmm=False))
    agr = segmentation_agreement(examples, get_segmenter("numba", lex), get_segmenter("jieba", lex))
    assert float(agr["f1"].iloc[-1]) == 1.0


def test_benchmark_sentences_equal_jieba(pair):
    bench = _bench_module()
    docs = bench.build_corpus(150_000)  # fictional: the benchmark's sentences, examples, lexicon sentences
    assert_same_tokens({f"s{i}": s for i, s in enumerate(bench.SENTENCES)}, *pair)
    assert_same_tokens({f"d{i}": d for i, d in enumerate(docs)}, *pair)
    plain_numba, plain_jieba = get_segmenter("numba"), get_segmenter("jieba")
    assert_same_tokens({f"d{i}": d for i, d in enumerate(docs[:3])}, plain_numba, plain_jieba)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.booleans())
def test_mixed_pieces_equal_jieba(pair, pieces, hmm):
    text = "".join(pieces)
    lex = pair[0].lexicon
    a, b = (pair if hmm else (get_segmenter("numba", lex, hmm=False), get_segmenter("jieba", lex, hmm=False)))
    assert a.cut(text) == b.cut(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_mixed_characters_equal_jieba(pair, text):
    assert pair[0].cut(text) == pair[1].cut(text)


def test_real_reports_equal_jieba(corpus_dir, lex):
    from govlab.corpus import build_corpus

    texts = build_corpus(corpus_dir).texts
    assert len(texts) >= 5
    a, b = get_segmenter("numba", lex), get_segmenter("jieba", lex)
    differing = [d for d, t in texts.items() if a.cut(t) != b.cut(t)]
    assert differing == []
    assert float(segmentation_agreement(texts, a, b)["f1"].iloc[-1]) == 1.0
    x, y = count_terms(texts, backend="numba"), count_terms(texts, backend="jieba")
    assert x.features == y.features and (x.matrix != y.matrix).nnz == 0


# ---- counting ---------------------------------------------------------------------------------

FICTION = {
    "qh-1": "青禾县政协建成委员工作站，委员工作站每月开展协商。Workstation and NGO, ngo.",
    "qh-2": "青禾县推行六步议事，协商议事室收集社情民意信息二十条。\r\n柳溪桃源镇石桥东岭村鹤鸣凤栖",
    "bs-1": "白沙市委员联络站开展协商，协商议事室也开展协商，落实误工补贴。3.14% abc.5 γ射线 AT&T",
    "bs-2": "白沙市实行清单制，推进五级联动，委员工作站达到六有标准，共42个。\u3000丶丷丿乀乁鿖𠀀",
}


@pytest.mark.parametrize("kwargs", [{}, {"remove_numbers": True}, {"stopwords": None, "remove_punct": False},
                                    {"lexicon": None}, {"hmm": False}, {"tolower": False}])
def test_count_terms_equals_jieba_and_dfm_of_tokens(examples, kwargs):
    texts = {**FICTION, **examples}
    got = count_terms(texts, backend="numba", **kwargs)
    ref = count_terms(texts, backend="jieba", **kwargs)
    tok_kwargs = {k: v for k, v in kwargs.items() if k != "tolower"}
    via_tokens = dfm(tokens(texts, backend="numba", **tok_kwargs), tolower=kwargs.get("tolower", True))
    for other in (ref, via_tokens):
        assert got.features == other.features
        assert got.matrix.shape == other.matrix.shape and (got.matrix != other.matrix).nnz == 0
    assert got.meta["segmenter"] == "numba" and got.meta["segmenter_version"] == get_segmenter("numba").version
    assert got.matrix.dtype == np.int64 and got.matrix.has_canonical_format


def test_count_terms_in_many_batches_equals_one_batch(monkeypatch):
    bench = _bench_module()
    texts = {f"d{i}": d for i, d in enumerate(bench.build_corpus(120_000))}
    whole = count_terms(texts, backend="numba")
    orig = dfm_module._count_docs_numba
    monkeypatch.setattr(dfm_module, "_count_docs_numba",
                        lambda *args, **kw: orig(*args, **{**kw, "chunk_chars": 2_000}))
    dfm_module._numba_norms.cache_clear()
    pieces = count_terms(texts, backend="numba")
    assert pieces.features == whole.features and (pieces.matrix != whole.matrix).nnz == 0
    ref = count_terms(dict(list(texts.items())[:4]), backend="jieba")
    part = count_terms(dict(list(texts.items())[:4]), backend="numba")
    assert part.features == ref.features and (part.matrix != ref.matrix).nnz == 0


def test_count_terms_empty_documents():
    with pytest.raises(InputError, match="empty"):
        count_terms({"a": "协商", "b": "  "}, backend="numba")
    d = count_terms({"a": "", "b": "协商，议事", "c": "\n"}, backend="numba", allow_empty=True)
    assert d.matrix.shape[0] == 3 and d.matrix[0].nnz == 0 and d.matrix[2].nnz == 0
    assert dict(zip(d.features, d.matrix.toarray()[1].tolist())) == {"协商": 1, "议事": 1}


def test_batch_counts_spell_every_type(pair):
    engine = pair[0]._engine
    texts = ["柳溪桃源镇鹤鸣凤栖开展协商，协商。", "AT&T 3.14% 😀 柳溪桃源"]
    counted = engine.count(texts)
    for d, text in enumerate(texts):
        lo, hi = int(counted.lengths[:d].sum()), int(counted.lengths[:d + 1].sum())
        got = {counted.spell(int(counted.types[i])): int(c) for i, c in
               zip(counted.index[lo:hi], counted.counts[lo:hi])}
        ref: dict[str, int] = {}
        for t in pair[1].cut(text):
            ref[t] = ref.get(t, 0) + 1
        assert got == ref


def test_docstring_examples():
    import doctest

    from govlab.text import numba_seg

    result = doctest.testmod(numba_seg, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_count_terms_on_dask_threads_equals_in_process():
    from dask.distributed import Client, LocalCluster

    texts = {f"{k}-{i}": v for i in range(3) for k, v in FICTION.items()}
    local = count_terms(texts, backend="numba")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dist = count_terms(texts, backend="numba", client=client, npartitions=4)
    assert dist.features == local.features and (dist.matrix != local.matrix).nnz == 0
