"""The five real reports (read from GOVLAB_CORPUS_DIR; skipped when unset).

No report text is written here: the expected body paragraphs are derived at run time from the raw
files by an independent rule (a line of prose: at least 40 Han characters and a sentence end), and
compared with the clean texts after normalising both (script, width, whitespace). Only metadata and
short facts (doc ids, titles from the manifest, figures) appear in this file.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from govlab.corpus import build_corpus, detect_script, read_document

HAN = re.compile(r"[\u4e00-\u9fff]")
NOISE_MARKERS = [
    "document.write", "<", ">", "&nbsp", "ICP", "电话", "版权", "举报", "蜘蛛", "无码", "午夜", "在线观看", "桌面",
    "客服", "付费", "http", "欢迎", "当前所在", "发布时间", "责任编辑", "字数", "版次", "QQ", "地址", "首页",
    "实名认证", "内容提供者", "回到顶部", "免费阅读", "全部内容", "商业用途", "不承担",
]


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return build_corpus(corpus_dir)


@pytest.fixture(scope="module")
def raws(corpus_dir, corpus):
    return {row.doc_id: read_document(Path(corpus_dir) / row.file).text for row in corpus.documents.itertuples()}


def _t2s(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def norm(text: str) -> str:
    """Compare texts regardless of script, character width and whitespace."""
    text = unicodedata.normalize("NFKC", _t2s(text))
    return re.sub(r"\s+", "", text)


def body_lines(raw: str) -> list[str]:
    """Prose lines of a raw report, by a rule independent of the cleaner: cut at the first markup
    character; at least 15 Han characters and a comma or sentence end; sharing-site terms and
    legal notices, spam and truncated previews (ending with an ellipsis) excluded; a repeated line
    counted once."""
    out = []
    for line in raw.replace("\r", "").split("\n"):
        line = line.split("<")[0]
        if len(HAN.findall(line)) >= 15 and re.search(r"[，,。！？]", line) and not re.search(
                r"付费|免费阅读|本站|本网|版权|不承担|举报|主办|地址|电话|\d{2}:\d{2}|无码|午夜|在线观看|蜘蛛池|(\.{2,}|…+)\s*$", line):
            out.append(norm(line))
    unique = []
    for line in out:
        if line not in unique:
            unique.append(line)
    return unique


def test_all_five_read_without_errors(corpus):
    assert corpus.errors.empty
    assert sorted(corpus.documents["doc_id"]) == [
        "gansu-extension", "nantong-youshi", "prov-x-survey", "shangyou-620", "xx-city-districts"]


def test_no_noise_left(corpus):
    for doc_id, text in corpus.texts.items():
        found = [m for m in NOISE_MARKERS if m in text]
        assert not found, (doc_id, found)
        assert not re.search(r"\+\s*关注", text), doc_id
        assert not re.search(r"\d{2}:\d{2}:\d{2}", text), doc_id  # date-time stamps
        assert not re.search(r"0\d{2,3}-\d{7,8}|1[3-9]\d{9}", text), doc_id  # phone numbers


def test_every_body_paragraph_kept_once_and_in_order(corpus, raws):
    for doc_id, raw in raws.items():
        clean = norm(corpus.texts[doc_id])
        expected = body_lines(raw)
        assert len(expected) >= 5, doc_id
        positions = []
        for i, line in enumerate(expected):
            once = clean.count(line) == 1
            assert once, f"{doc_id}: expected body line {i} ({len(line)} chars) not found once"
            positions.append(clean.index(line))
        assert positions == sorted(positions), f"{doc_id}: body lines out of order"


def test_title_first_and_last_sentence_last(corpus, raws):
    docs = corpus.documents.set_index("doc_id")
    for doc_id, text in corpus.texts.items():
        paras = text.splitlines()
        title = docs.loc[doc_id, "title"]
        if not title.startswith("(untitled)"):
            assert norm(paras[0]) == norm(title), doc_id
        else:  # the body starts at once: the first raw prose line opens the clean text
            starts = norm(text).startswith(body_lines(raws[doc_id])[0])
            assert starts, doc_id
        # the article's last body line (from the raw text) is kept, and little follows it
        # (at most a reference list)
        last = body_lines(raws[doc_id])[-1]
        clean = norm(text)
        kept = last in clean
        assert kept, f"{doc_id}: last body line missing"
        after = len(clean) - (clean.index(last) + len(last))
        assert after < 300, f"{doc_id}: {after} characters after the last body line"


def test_prov_survey_ends_with_its_truncated_body(corpus, raws):
    """The province report's body breaks off in part 二; the repeated abstract and the notices after
    it are gone, so the clean text ends where the body ends in the raw text."""
    raw = raws["prov-x-survey"]
    lines = [ln for ln in raw.split("\n") if ln.strip()]
    preview = max(range(len(lines)), key=lambda i: len(lines[i]))  # the one-line repeated abstract
    last_body = norm(lines[preview - 1])
    ends = norm(corpus.texts["prov-x-survey"]).endswith(last_body)
    assert ends


def test_repeats_appear_once(corpus, raws):
    gansu = norm(corpus.texts["gansu-extension"])
    counts = [gansu.count(line) for line in body_lines(raws["gansu-extension"])]
    assert counts and set(counts) == {1}
    assert corpus.texts["gansu-extension"].count("二、") == 1
    prov = norm(corpus.texts["prov-x-survey"])
    title = norm(corpus.documents.set_index("doc_id").loc["prov-x-survey", "title"])
    assert prov.count(title) == 1
    first_body = body_lines(raws["prov-x-survey"])[0]
    n = prov.count(first_body[:30])
    assert n == 1
    assert not re.search(r"(\.{3}|…)$", corpus.texts["prov-x-survey"].strip())


def test_nantong_is_simplified(corpus):
    docs = corpus.documents.set_index("doc_id")
    text = corpus.texts["nantong-youshi"]
    assert docs.loc["nantong-youshi", "converted"] and docs.loc["nantong-youshi", "t2s_chars"] > 1000
    assert docs.loc["nantong-youshi", "script"] == "traditional"
    assert _t2s(text) == text and detect_script(text) == "simplified"


def test_figures_survive(corpus):
    """Short facts from DOMAIN.md: numbers and masked numbers are kept exactly."""
    t = corpus.texts
    assert "109个" in t["nantong-youshi"] and "1 868个" in t["nantong-youshi"] and "123个" in t["nantong-youshi"]
    assert "94.27%" in t["prov-x-survey"] and "99.36%" in t["prov-x-survey"] and "××" in t["prov-x-survey"]
    assert "98%" in t["gansu-extension"] and "95%" in t["gansu-extension"]
    assert "xx区" in t["xx-city-districts"] and "8个" in t["xx-city-districts"]
    assert "620" in t["shangyou-620"] and "4+X" not in t["xx-city-districts"]


def test_log_offsets_map_back(corpus, raws):
    """Every logged block lies in its raw text; removed blocks hold the noise markers found there."""
    for doc_id, raw in raws.items():
        log = corpus.log[corpus.log["doc_id"] == doc_id]
        assert ((log["raw_start"] >= 0) & (log["raw_end"] <= len(raw)) & (log["raw_start"] <= log["raw_end"])).all()
    log = corpus.log
    blocks = {r: "".join(raws[d][s:e] for d, s, e in zip(g["doc_id"], g["raw_start"], g["raw_end"]))
              for r, g in log.groupby("rule")}
    assert "ICP" in blocks.get("legal_footer", "") or "版权所有" in blocks["legal_footer"]
    assert "蜘蛛池" in blocks["link_farm"]
    assert "document.writeln" in blocks["js_wrapper"]
    assert "确认删除" in blocks["uploader_profile"] and "付费" in blocks["paywall_notice"]


def test_no_raw_file_changed(corpus_dir):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(corpus_dir).iterdir()}
    build_corpus(corpus_dir)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(corpus_dir).iterdir()}
    assert before == after


def test_documents_carry_docvars(corpus):
    d = corpus.documents.set_index("doc_id")
    assert d.loc["nantong-youshi", "locality"] == "南通市" and d.loc["nantong-youshi", "year"] == 2021
    assert d.loc["shangyou-620", "locality_level"] == "county" and d.loc["gansu-extension", "province"] == "甘肃省"
    assert isinstance(corpus.documents, pd.DataFrame) and list(corpus.documents["doc_id"]) == sorted(d.index)


def test_cleaning_is_idempotent_on_real_reports(corpus):
    from govlab.corpus import clean_text

    for doc_id, text in corpus.texts.items():
        same = clean_text(text).text == text
        assert same, doc_id
