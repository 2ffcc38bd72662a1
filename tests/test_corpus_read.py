"""Reading reports: encodings, bad files, the manifest. All texts here are fictional."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import govlab.corpus.read as read_mod
from govlab.corpus import build_corpus, decode_bytes, read_document, read_manifest
from govlab.errors import InputError

TEXT = "青溪县政协建成委员工作站6个、委员工作室21个，全年开展协商活动126场次，收集社情民意信息××条。"
TRAD = "林山市政協建成協商議事室96個，實現鎮、街道全覆蓋，群眾參與協商議事的積極性明顯提高。"


@pytest.mark.parametrize("codec,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"), ("utf-16-be", None),
    ("gb18030", "gb18030"), ("gbk", "gb18030"), ("gb2312", "gb18030"),
])
def test_decode_simplified_encodings(codec, expected):
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
        expected = "utf-16-be"
    text, enc = decode_bytes(data)
    assert text == TEXT
    assert enc == expected


@pytest.mark.parametrize("codec", ["big5", "cp950", "big5hkscs"])
def test_decode_big5(codec):
    text, enc = decode_bytes(TRAD.encode(codec))
    assert text == TRAD
    assert enc == "big5hkscs"


def test_declared_charset_is_widened():
    page = f'<html><head><meta charset="gb2312"></head><body><p>{TEXT}</p><p>镕堃</p></body></html>'
    text, enc = decode_bytes(page.encode("gb18030"), html=True)
    assert enc == "gb18030" and "镕堃" in text


@pytest.mark.parametrize("head,kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
])
def test_binary_files_named_txt(tmp_path, head, kind):
    p = tmp_path / "report.txt"
    p.write_bytes(head + bytes(range(256)) * 4)
    with pytest.raises(InputError, match=kind) as err:
        read_document(p)
    assert "report.txt" in str(err.value)


def test_empty_and_whitespace_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    with pytest.raises(InputError, match="empty.txt: the file is empty"):
        read_document(tmp_path / "empty.txt")
    with pytest.raises(InputError, match="blank.txt: .*whitespace"):
        read_document(tmp_path / "blank.txt")


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"\xff\xfe\xfd" * 0 + b"\x81\x30\xff\xff\xfe\x80\x80\x80" * 50)
    with pytest.raises(InputError, match="bad.txt: .*(undecodable|binary|not valid)"):
        read_document(p)


def test_nul_bytes_without_bom_are_binary(tmp_path):
    p = tmp_path / "nul.txt"
    p.write_bytes("2022年委员工作站 report".encode("utf-16-le"))
    with pytest.raises(InputError, match="NUL bytes"):
        read_document(p)


def test_huge_file_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:  # sparse: 200 MB without writing 200 MB
        fh.truncate(200 * 1024 * 1024)

    def no_open(*args, **kwargs):  # reading the file at all would be a failure
        raise AssertionError("the file was opened although it is over the size limit")

    monkeypatch.setattr(read_mod, "open", no_open, raising=False)
    with pytest.raises(InputError, match=r"huge.txt: file is 209.7 MB, over the limit of 52.4 MB"):
        read_document(p)
    with pytest.raises(InputError, match="over the limit of 10 bytes"):
        read_document(p, max_bytes=10)


def test_size_limit_is_configurable(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    with pytest.raises(InputError, match="over the"):
        read_document(p, max_bytes=20)
    assert read_document(p, max_bytes=None).text == TEXT


def test_read_document_records_kind_and_checksum(tmp_path):
    p = tmp_path / "page.HTM"
    data = f"<p>{TEXT}</p>".encode()
    p.write_bytes(data)
    doc = read_document(p)
    assert doc.kind == "html" and doc.encoding == "utf-8"
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.n_bytes == len(data)


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("青溪县委员工作站工作小结")
    d.add_paragraph(TEXT)
    d.save(tmp_path / "r.docx")
    doc = read_document(tmp_path / "r.docx")
    assert doc.encoding == "docx" and doc.text.splitlines() == ["青溪县委员工作站工作小结", TEXT]
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="broken.docx: not a readable .docx"):
        read_document(tmp_path / "broken.docx")


def test_manifest_optional_columns(tmp_path):
    p = tmp_path / "manifest.csv"
    p.write_text("file,title\na.txt,甲\n", encoding="utf-8")
    df = read_manifest(p)
    assert list(df["title"]) == ["甲"] and (df["locality"] == "").all() and "doc_id" in df


def test_manifest_without_file_column(tmp_path):
    p = tmp_path / "manifest.csv"
    p.write_text("doc_id,title\na,甲\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest.csv: file: the manifest has no 'file' column"):
        read_manifest(p)


def test_manifest_duplicates(tmp_path):
    p = tmp_path / "manifest.csv"
    p.write_text("file,doc_id\na.txt,x\nb.txt,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: doc_id 'x' is already used on line 2"):
        read_manifest(p)
    found = []
    assert read_manifest(p, problems=found)["file"].tolist() == ["a.txt"]  # the first row is kept
    assert [f["level"] for f in found] == ["error"] and "line 3" in found[0]["reason"]


def _checksums(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_bad_folder_is_processed_and_left_unchanged(tmp_path):
    """A folder with every kind of bad input: each gets a clear reason, the good files are cleaned,
    and no raw file changes."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes(TEXT.encode("gb18030"))
    (raw / "trad.txt").write_bytes(TRAD.encode("big5"))
    (raw / "page.html").write_bytes(
        f"<html><head><style>p{{color:red}}</style><script>var a='<p>脚本</p>';</script></head>"
        f"<body><p>{TEXT}</p><script>document.title='x'</script></body></html>".encode())
    (raw / "fake.txt").write_bytes(b"%PDF-1.4\n" + bytes(200))
    (raw / "zip.txt").write_bytes(b"PK\x03\x04" + bytes(200))
    (raw / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "junk.txt").write_bytes(b"\x81\x30\xff\xff\xfe\x80" * 30)
    with open(raw / "huge.txt", "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    listed = ["good.txt", "trad.txt", "page.html", "fake.txt", "zip.txt", "png.txt", "empty.txt", "junk.txt",
              "huge.txt", "missing.txt"]
    pd.DataFrame({"file": listed, "doc_id": [f.split(".")[0] for f in listed],
                  "locality": ["青溪县", "林山市", "青溪县"] + [""] * 7}).to_csv(raw / "manifest.csv", index=False)
    before = _checksums(raw)
    corpus = build_corpus(raw)
    assert _checksums(raw) == before
    # without the manifest every file of the folder is tried: the same bad files, minus the missing one
    plain = build_corpus(raw, manifest=False)
    assert set(plain.errors["file"]) == {"fake.txt", "zip.txt", "png.txt", "empty.txt", "junk.txt", "huge.txt"}
    assert _checksums(raw) == before
    assert list(corpus.documents["doc_id"]) == ["good", "page", "trad"]
    reasons = dict(zip(corpus.errors["file"], corpus.errors["reason"]))
    assert set(reasons) == {"fake.txt", "zip.txt", "png.txt", "empty.txt", "junk.txt", "huge.txt", "missing.txt"}
    assert "PDF" in reasons["fake.txt"] and "ZIP" in reasons["zip.txt"] and "PNG" in reasons["png.txt"]
    assert "empty" in reasons["empty.txt"] and "undecodable" in reasons["junk.txt"]
    assert "limit" in reasons["huge.txt"] and "missing" in reasons["missing.txt"]
    page = corpus.texts["page"]
    assert "脚本" not in page and "color" not in page and "document" not in page and TEXT in page
    assert corpus.texts["trad"].startswith("林山市政协建成协商议事室96个")
    assert corpus.documents.set_index("doc_id").loc["trad", "converted"]


def test_manifest_missing_column_still_processes_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (raw / "manifest.csv").write_text("name,title\na.txt,甲\n", encoding="utf-8")
    before = _checksums(raw)
    corpus = build_corpus(raw)
    assert _checksums(raw) == before
    assert list(corpus.documents["doc_id"]) == ["a"]
    assert corpus.errors["file"].tolist() == ["manifest.csv"]
    assert "no 'file' column" in corpus.errors["reason"].iloc[0]


def test_not_a_folder(tmp_path):
    with pytest.raises(InputError, match="not a folder"):
        build_corpus(tmp_path / "nope")
