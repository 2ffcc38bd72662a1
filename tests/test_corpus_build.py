"""Building, writing and reading corpora; the CLI; the shipped example and report tables."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from govlab.cli import main as cli_main
from govlab.corpus import CORPUS_LOG_COLUMNS, DOCUMENT_COLUMNS, SPAN_COLUMNS, build_corpus, read_corpus, write_corpus
from govlab.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "datasets" / "reports"
CORPUS_FILES = ["documents.csv", "cleaning_log.csv", "spans.parquet", "errors.csv"]


@pytest.fixture(scope="module")
def examples(examples_dir):
    return build_corpus(examples_dir)


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_examples_build(examples):
    docs = examples.documents
    assert list(docs.columns) == DOCUMENT_COLUMNS
    assert list(docs["doc_id"]) == sorted(docs["doc_id"]) and len(docs) == 6 and examples.errors.empty
    assert set(docs["encoding"]) == {"gb18030", "utf-8", "big5hkscs", "utf-16-le", "utf-8-sig"}
    assert docs.set_index("doc_id").loc["ex-linshan-rooms", "converted"]
    assert (docs["source"] == "FICTIONAL example written for govlab").all()
    assert list(examples.log.columns) == CORPUS_LOG_COLUMNS and list(examples.spans.columns) == SPAN_COLUMNS
    assert set(examples.texts) == set(docs["doc_id"])


def test_examples_cover_every_noise_rule(examples):
    rules = set(examples.log["rule"])
    expected = {"link_farm", "js_wrapper", "js_unescape", "html_script", "html_style", "html_head", "html_chrome",
                "html_hidden", "html_tag", "html_entity", "navigation", "page_meta", "page_tools", "legal_footer",
                "contact", "app_prompt", "uploader_profile", "paywall_notice", "terms_notice", "tab_placeholder",
                "duplicate_paragraph", "repeated_passage", "soft_space", "hard_wrap", "indent"}
    assert expected <= rules, expected - rules


def test_examples_clean_texts(examples):
    t = examples.texts
    assert all(text.endswith("\n") and "\n\n" not in text for text in t.values())
    assert "<" not in "".join(t.values()) and "document" not in "".join(t.values())
    assert t["ex-qingxi-paper"].count("二、建机制") == 1 and "协商议事作为" in t["ex-qingxi-paper"]
    assert t["ex-qingxi-survey"].count("一、基本情况") == 1 and "..." not in t["ex-qingxi-survey"]
    assert "1 204个" in t["ex-linshan-rooms"] and "议事室" in t["ex-linshan-rooms"]
    assert "4+X" in t["ex-qingxi-workstations"] and "92.5%" in t["ex-qingxi-workstations"]
    assert "版权" not in t["ex-qingxi-workstations"] and "澳门" not in t["ex-qingxi-workstations"]


def test_spans_point_into_texts(examples):
    for row in examples.spans.itertuples():
        piece = examples.texts[row.doc_id][row.start:row.end]
        assert piece and piece == piece.strip() and "\n" not in piece
    n_paras = examples.spans[examples.spans["kind"] == "paragraph"].groupby("doc_id").size()
    lines = pd.Series({d: len(t.splitlines()) for d, t in examples.texts.items()})
    assert (n_paras.sort_index() == lines.sort_index()).all()


def test_write_read_roundtrip_and_determinism(examples, examples_dir, tmp_path):
    write_corpus(examples, tmp_path / "a")
    write_corpus(build_corpus(examples_dir), tmp_path / "b")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    back = read_corpus(tmp_path / "a")
    assert dict(back.texts) == dict(examples.texts)
    pd.testing.assert_frame_equal(back.documents, examples.documents, check_dtype=False)
    pd.testing.assert_frame_equal(back.spans, examples.spans, check_dtype=False)
    assert len(back.log) == len(examples.log)
    for row in back.documents.itertuples():
        data = (tmp_path / "a" / "texts" / f"{row.doc_id}.txt").read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.clean_sha256


def test_read_corpus_detects_tampering(examples, tmp_path):
    write_corpus(examples, tmp_path)
    p = tmp_path / "texts" / "ex-qingxi-paper.txt"
    p.write_text(p.read_text(encoding="utf-8") + "x", encoding="utf-8")
    with pytest.raises(InputError, match="ex-qingxi-paper.txt: differs from its checksum in .govlab-complete.json"):
        read_corpus(tmp_path)
    # without the marker check, the documents table still catches it
    with pytest.raises(InputError, match="differs from its clean_sha256"):
        read_corpus(tmp_path, check_complete=False)
    with pytest.raises(InputError, match="missing documents.csv"):
        read_corpus(tmp_path / "texts")


def test_stale_texts_are_removed(examples, tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "old.txt").write_text("x", encoding="utf-8")
    write_corpus(examples, tmp_path)
    assert not (tmp_path / "texts" / "old.txt").exists()


def test_cli_build_twice_identical(examples_dir, tmp_path, capsys):
    assert cli_main(["corpus", "build", str(examples_dir), "--out", str(tmp_path / "x")]) == 0
    assert cli_main(["corpus", "build", str(examples_dir), "--out", str(tmp_path / "y")]) == 0
    assert _digests(tmp_path / "x") == _digests(tmp_path / "y")
    assert cli_main(["corpus", "audit", str(tmp_path / "x")]) == 0
    out = capsys.readouterr().out
    assert "ex-linshan-rooms" in out and "traditional*" in out


def test_cli_errors_and_help(tmp_path, capsys):
    assert cli_main(["corpus", "build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder" in capsys.readouterr().err
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_bytes(b"%PDF-1.4 binary")
    assert cli_main(["corpus", "build", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), "--strict"]) == 1
    assert "a.txt: binary file (PDF content)" in capsys.readouterr().err
    for args in (["corpus", "--help"], ["corpus", "build", "--help"], ["corpus", "audit", "--help"]):
        with pytest.raises(SystemExit) as exc:
            cli_main(args)
        assert exc.value.code == 0


def test_no_manifest_metadata_from_text(tmp_path):
    (tmp_path / "城关镇小结.txt").write_text("城关镇协商工作小结\n\n今年开展协商7次，收集信息23条。\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not a report", encoding="utf-8")
    corpus = build_corpus(tmp_path)
    row = corpus.documents.iloc[0]
    assert len(corpus.documents) == 1 and row.doc_id == "城关镇小结" and row.title == "城关镇协商工作小结"
    assert pd.isna(row.year) and row.locality == ""


def test_shipped_reports_hold_no_text():
    """datasets/reports ships tables only: titles and metadata, never the reports' sentences."""
    for name in CORPUS_FILES:
        assert (REPORTS / name).exists()
    assert not (REPORTS / "texts").exists()
    docs = pd.read_csv(REPORTS / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == 5 and (docs["clean_chars"].astype(int) > 1000).all()
    log = pd.read_csv(REPORTS / "cleaning_log.csv")
    assert list(log.columns) == CORPUS_LOG_COLUMNS


def test_shipped_reports_rebuild_identically(corpus_dir, tmp_path):
    """Rebuilding datasets/reports from GOVLAB_CORPUS_DIR gives byte-identical files."""
    assert cli_main(["corpus", "build", str(corpus_dir), "--out", str(tmp_path), "--no-texts"]) == 0
    for name in CORPUS_FILES:  # other flows ship their own tables in the same folder
        assert (tmp_path / name).read_bytes() == (REPORTS / name).read_bytes(), name


def test_cleaning_the_clean_examples_changes_nothing(examples):
    from govlab.corpus import clean_text

    for doc_id, text in examples.texts.items():
        again = clean_text(text)
        assert again.text == text, doc_id
