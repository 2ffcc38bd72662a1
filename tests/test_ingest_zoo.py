"""A zoo of bad files, bad manifests and odd formats, each built here in ``tmp_path``.

Every case puts one good fictional report beside the bad input and checks three things: the build
does not stop, the good report is in the corpus, and the bad input has a row in ``Corpus.errors``
(or a ``warning:`` row, when nothing is lost) whose reason says what is wrong. All texts are
fictional.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import stat
import struct
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import govlab.corpus.build as build_mod
import govlab.corpus.read as read_mod
from govlab.cli import main as cli_main
from govlab.corpus import build_corpus, error_counts, read_corpus, read_document, write_corpus
from govlab.errors import InputError

GOOD = "青溪县政协建成委员工作站6个，全年开展协商活动126场次，收集社情民意信息40条。\n"
OTHER = "林山市政协建成协商议事室96个，实现镇、街道全覆盖。\n"


# ----------------------------------------------------------------------------- fixture makers


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Chinese included), written by hand: a Type0
    font with Identity-H codes and a ToUnicode map, so no font file is needed to extract the text."""
    chars = sorted({c for line in lines for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    content = b"BT /F1 12 Tf 14 TL 50 800 Td\n"
    for line in lines:
        content += b"<" + "".join(f"{cid[c]:04X}" for c in line).encode() + b"> Tj T*\n"
    content += b"ET"
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n"
            + "".join(f"<{cid[c]:04X}> <{ord(c):04X}>\n" for c in chars)
            + "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] "
        b"/ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def scanned_pdf() -> bytes:
    """A PDF page with no text layer (what a scanner makes, minus the image)."""
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def rtf(text: str) -> bytes:
    """An RTF file as Word writes Chinese: code page 936, each character as \\uN with a GBK fallback."""
    body = "".join(
        f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}\\'{c.encode('gbk')[0]:02x}\\'{c.encode('gbk')[1]:02x}"
        if ord(c) > 127 else c for c in text)
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\uc2\n"
            "\\pard\\f0 " + body.replace("\n", "\\par\n") + "}").encode("ascii")


def docx_bytes(blocks) -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for b in blocks:
        if isinstance(b, str):
            d.add_paragraph(b)
        else:
            t = d.add_table(rows=len(b), cols=len(b[0]))
            for i, row in enumerate(b):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bomb_docx(expanded: int) -> bytes:
    """A valid .docx whose document part expands to ``expanded`` bytes (a run of zeros compresses
    about 1000:1)."""
    base = docx_bytes(["委员工作站"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("word/media/padding.bin", b"\0" * expanded)
    return out.getvalue()


def _cfb(streams):
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``streams`` (name to bytes, each at
    least 4096 bytes so that no mini stream is needed), written by hand."""
    S = 512
    names = list(streams)
    data_sectors, starts = [], {}
    nxt = 2  # sector 0: FAT, sector 1: directory
    chains = []
    for n in names:
        b = streams[n]
        b = b + b"\0" * (-len(b) % S)
        k = len(b) // S
        starts[n] = nxt
        chains.append((nxt, k))
        data_sectors.append(b)
        nxt += k
    total = nxt
    assert total <= 128
    fat = [0xFFFFFFFF] * 128
    fat[0] = 0xFFFFFFFD
    fat[1] = 0xFFFFFFFE
    for start, k in chains:
        for i in range(k):
            fat[start + i] = start + i + 1 if i < k - 1 else 0xFFFFFFFE
    fat_b = struct.pack("<128I", *fat)

    def entry(name, typ, left, right, child, start, size):
        nb = name.encode("utf-16-le") + b"\0\0"
        return (nb.ljust(64, b"\0") + struct.pack("<HBBIII", len(nb), typ, 1, left, right, child) + bytes(16)
                + struct.pack("<I", 0) + bytes(16) + struct.pack("<IQ", start, size))
    NO = 0xFFFFFFFF
    # ids: 0 root, 1.. streams; tree: root.child = last (longest name), others as left chain (shorter names)
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    ents = [None] * (len(names) + 1)
    # build a simple left-leaning chain: largest at top, each left = next smaller
    ids = [i + 1 for i in order]
    top = ids[-1]
    ents[0] = entry("Root Entry", 5, NO, NO, top, 0xFFFFFFFE, 0)
    for pos, i in enumerate(order):
        left = ids[pos - 1] if pos > 0 else NO
        ents[i + 1] = entry(names[i], 2, left, NO, NO, starts[names[i]], len(streams[names[i]]))
    dirb = b"".join(ents).ljust(S, b"\0")
    # unused directory slots need empty entries with NO siblings
    pad = b""
    for _ in range(len(ents), 4):
        pad += bytes(64) + struct.pack("<HBBIII", 0, 0, 0, NO, NO, NO) + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IQ", 0, 0)
    dirb = (b"".join(ents) + pad)[:S]
    hdr = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
           + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0))
    hdr += struct.pack("<I", 0) + struct.pack("<108I", *([0xFFFFFFFF] * 108))
    assert len(hdr) == 512
    return hdr + fat_b + dirb + b"".join(data_sectors)


def minimal_doc(paragraphs):
    """A Word 97 ``.doc`` written by hand: a FIB, the text as one UTF-16 piece, and a piece table in
    the ``1Table`` stream; enough for antiword."""
    text = "".join(p + "\r" for p in paragraphs)
    ccp = len(text)
    fc_text = 0x800
    fib = bytearray(fc_text)
    struct.pack_into("<HHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804)
    struct.pack_into("<H", fib, 0x0A, 0x0200)  # fWhichTblStm: 1Table
    struct.pack_into("<H", fib, 0x0C, 0x00BF)
    struct.pack_into("<H", fib, 0x20, 14)
    struct.pack_into("<H", fib, 0x3E, 22)
    word = bytes(fib) + text.encode("utf-16-le")
    word = word + b"\0" * max(0, 4096 - len(word))
    struct.pack_into("<I", fib, 0x40, len(word))  # cbMac
    struct.pack_into("<I", fib, 0x4C, ccp)  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)
    plc = struct.pack("<II", 0, ccp) + struct.pack("<HIH", 0, fc_text, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    stsh = struct.pack("<H", 18) + bytes(18)  # an empty stylesheet: antiword reads one (else it may crash)
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx
    struct.pack_into("<II", fib, 0xA2, len(clx), len(stsh))  # fcStshf, lcbStshf
    word = bytes(fib) + word[len(fib):]
    table = clx + stsh
    table = table + b"\0" * (4096 - len(table))
    return _cfb({"WordDocument": word, "1Table": table})


def _good(raw: Path) -> None:
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")


# ----------------------------------------------------------------------------- the zoo
# Each case: (id, setup(raw, outside) -> build options, the file named in errors, a regex of its reason).
# ``outside`` is a folder beside ``raw`` for inputs that must not be reachable.


def _empty(raw, outside):
    (raw / "empty.txt").write_bytes(b"")


def _binary(raw, outside):
    (raw / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _undecodable(raw, outside):
    (raw / "junk.txt").write_bytes(b"\x81\x30\xff\xff\xfe\x80" * 40)


def _too_large(raw, outside):
    (raw / "big.txt").write_text(GOOD * 50, encoding="utf-8")
    return {"max_bytes": 1000}


def _unknown_type(raw, outside):
    (raw / "table.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))


def _no_suffix(raw, outside):
    (raw / "NOTES").write_text(OTHER, encoding="utf-8")


def _zip_bomb(raw, outside):
    (raw / "bomb.docx").write_bytes(zip_bomb_docx(4 * 1024 * 1024))
    return {"max_unzipped_bytes": 1024 * 1024}


def _broken_docx(raw, outside):
    (raw / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive")


def _scanned_pdf(raw, outside):
    (raw / "scan.pdf").write_bytes(scanned_pdf())


def _broken_pdf(raw, outside):
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")


def _fake_pdf(raw, outside):
    (raw / "fake.pdf").write_text(OTHER, encoding="utf-8")


def _not_rtf(raw, outside):
    (raw / "plain.rtf").write_text(OTHER, encoding="utf-8")


def _doc_without_tool(raw, outside):
    (raw / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    return {"_no_doc_tool": True}


def _fifo(raw, outside):
    os.mkfifo(raw / "pipe.txt")


def _link_outside(raw, outside):
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(outside / "secret.txt", raw / "secret.txt")


def _link_to_device(raw, outside):
    os.symlink("/dev/zero", raw / "zero.txt")


def _link_loop(raw, outside):
    os.symlink("loop.txt", raw / "loop.txt")


def _dangling_link(raw, outside):
    os.symlink("gone.txt", raw / "dangling.txt")


def _alias_link(raw, outside):
    os.symlink("good.txt", raw / "same.txt")


def _hard_link(raw, outside):
    os.link(raw / "good.txt", raw / "good2.txt")


def _folder_link_outside(raw, outside):
    (outside / "more").mkdir()
    (outside / "more" / "x.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(outside / "more", raw / "more")


def _unreadable(raw, outside):
    (raw / "locked.txt").write_text(OTHER, encoding="utf-8")
    os.chmod(raw / "locked.txt", 0)
    return {"_deny": raw / "locked.txt"}


def _corpus_inside(raw, outside):
    (raw / "src").mkdir()
    (raw / "src" / "a.txt").write_text(OTHER, encoding="utf-8")
    write_corpus(build_corpus(raw / "src"), raw / "built")


def _cleaning_crash(raw, outside):
    (raw / "crash.txt").write_text(OTHER, encoding="utf-8")
    return {"_crash_on": "林山市"}


# manifest faults
def _manifest(raw, text):
    (raw / "manifest.csv").write_text(text, encoding="utf-8")


def _m_misspelt_column(raw, outside):
    _manifest(raw, "file,doc_id,titel\ngood.txt,good,甲\n")


def _m_missing_file(raw, outside):
    (raw / "report.txt").write_text(OTHER, encoding="utf-8")
    _manifest(raw, "file,doc_id\ngood.txt,good\nreprot.txt,r\n")


def _m_unlisted_file(raw, outside):
    (raw / "report.txt").write_text(OTHER, encoding="utf-8")
    _manifest(raw, "file,doc_id\ngood.txt,good\nreprot.txt,r\n")


def _m_duplicate_id(raw, outside):
    (raw / "b.txt").write_text(OTHER, encoding="utf-8")
    _manifest(raw, "file,doc_id\ngood.txt,good\nb.txt,good\n")


def _m_duplicate_columns(raw, outside):
    _manifest(raw, "file,title,title\ngood.txt,甲,乙\n")


def _m_header_only(raw, outside):
    _manifest(raw, "file,doc_id,title\n")


def _m_no_file_column(raw, outside):
    _manifest(raw, "name,title\ngood.txt,甲\n")


def _m_parent_path(raw, outside):
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    _manifest(raw, f"file\ngood.txt\n../{outside.name}/secret.txt\n")


def _m_absolute_path(raw, outside):
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    _manifest(raw, f"file\ngood.txt\n{outside / 'secret.txt'}\n")


def _m_etc_hostname(raw, outside):
    _manifest(raw, "file\ngood.txt\n/etc/hostname\n")


def _m_dev_zero(raw, outside):
    _manifest(raw, "file\ngood.txt\n/dev/zero\n")


def _m_dev_zero_link(raw, outside):
    os.symlink("/dev/zero", raw / "zero.txt")
    _manifest(raw, "file\ngood.txt\nzero.txt\n")
    return {"follow_links": True}


def _m_fifo(raw, outside):
    os.mkfifo(raw / "pipe.txt")
    _manifest(raw, "file\ngood.txt\npipe.txt\n")


def _m_link_outside(raw, outside):
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(outside / "secret.txt", raw / "secret.txt")
    _manifest(raw, "file\ngood.txt\nsecret.txt\n")


def _m_two_spellings(raw, outside):
    _manifest(raw, "file,doc_id\ngood.txt,good\n./good.txt,again\n")


def _m_link_alias(raw, outside):
    os.symlink("good.txt", raw / "alias.txt")
    _manifest(raw, "file,doc_id\ngood.txt,good\nalias.txt,again\n")


def _m_empty_file_value(raw, outside):
    _manifest(raw, "file,doc_id\ngood.txt,good\n,x\n")


def _m_bad_doc_id(raw, outside):
    (raw / "b.txt").write_text(OTHER, encoding="utf-8")
    _manifest(raw, "file,doc_id\ngood.txt,good\nb.txt,../b\n")


def _m_loop(raw, outside):
    os.symlink("loop.txt", raw / "loop.txt")
    _manifest(raw, "file\ngood.txt\nloop.txt\n")


def _m_manifest_fifo(raw, outside):
    os.mkfifo(raw / "manifest.csv")


def _m_manifest_binary(raw, outside):
    (raw / "manifest.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))


ZOO = [
    # ingest: one bad file among good ones
    ("empty-file", _empty, "empty.txt", r"the file is empty"),
    ("binary-named-txt", _binary, "photo.txt", r"binary file \(PNG image content\)"),
    ("undecodable", _undecodable, "junk.txt", r"undecodable bytes"),
    ("over-size-limit", _too_large, "big.txt", r"file is \d+ bytes, over the limit of 1000 bytes"),
    ("unsupported-type", _unknown_type, "table.xlsx", r"not a report file type \(\.xlsx"),
    ("no-suffix", _no_suffix, "NOTES", r"not a report file type \(no suffix"),
    ("docx-zip-bomb", _zip_bomb, "bomb.docx", r"expands to [0-9.]+ MB when decompressed, over the limit of 1\.0 MB: a zip bomb"),
    ("broken-docx", _broken_docx, "broken.docx", r"not a readable \.docx file"),
    ("scanned-pdf", _scanned_pdf, "scan.pdf", r"the PDF has no text layer \(1 page.*scanned image"),
    ("broken-pdf", _broken_pdf, "broken.pdf", r"not a readable PDF"),
    ("text-named-pdf", _fake_pdf, "fake.pdf", r"not a PDF file"),
    ("text-named-rtf", _not_rtf, "plain.rtf", r"not an RTF file"),
    ("doc-without-tool", _doc_without_tool, "old.doc", r"needs antiword or catdoc.*apt-get install antiword"),
    ("fifo", _fifo, "pipe.txt", r"is a FIFO \(named pipe\), not a regular file: refused without reading"),
    ("link-outside", _link_outside, "secret.txt", r"symbolic link to .*outside the folder: not read.*--follow-links"),
    ("link-to-dev-zero", _link_to_device, "zero.txt", r"symbolic link to /dev/zero, outside the folder"),
    ("link-loop", _link_loop, "loop.txt", r"symbolic link loop"),
    ("dangling-link", _dangling_link, "dangling.txt", r"broken symbolic link \(it points to 'gone.txt'"),
    ("alias-link", _alias_link, "same.txt", r"^warning: the same file as 'good.txt'.*read once"),
    ("hard-link", _hard_link, "good2.txt", r"^warning: the same file as 'good.txt'.*read once"),
    ("folder-link-outside", _folder_link_outside, "more", r"symbolic link to .*more, outside the folder"),
    ("permission-denied", _unreadable, "locked.txt", r"permission denied"),
    ("corpus-inside", _corpus_inside, "built", r"^warning: a corpus folder written by 'govlab corpus build'"),
    ("cleaning-crash", _cleaning_crash, "crash.txt", r"could not be processed \(RuntimeError: boom"),
    # manifests and folders
    ("manifest-misspelt-column", _m_misspelt_column, "manifest.csv",
     r"^warning: column 'titel' is not a manifest column \(did you mean 'title'\?\)"),
    ("manifest-missing-file", _m_missing_file, "reprot.txt",
     r"manifest.csv line 3: listed but the file is missing \(did you mean 'report.txt'\?\): not read"),
    ("manifest-unlisted-file", _m_unlisted_file, "report.txt", r"in the folder but not listed in manifest.csv"),
    ("manifest-duplicate-doc-id", _m_duplicate_id, "b.txt",
     r"manifest.csv line 3: doc_id 'good' is already used on line 2: this row is not used"),
    ("manifest-duplicate-columns", _m_duplicate_columns, "manifest.csv",
     r"manifest not used: columns named twice \('title' is column 2, 3\)"),
    ("manifest-header-only", _m_header_only, "manifest.csv", r"manifest not used: the manifest lists no files"),
    ("manifest-no-file-column", _m_no_file_column, "manifest.csv", r"manifest not used: .*no 'file' column"),
    ("manifest-parent-path", _m_parent_path, "../outside/secret.txt",
     r"manifest.csv line 3: '\.\./outside/secret.txt' points outside the folder of reports"),
    ("manifest-absolute-path", _m_absolute_path, None, r"manifest.csv line 3: '/.*secret.txt' is an absolute path"),
    ("manifest-etc-hostname", _m_etc_hostname, "/etc/hostname", r"line 3: '/etc/hostname' is an absolute path"),
    ("manifest-dev-zero", _m_dev_zero, "/dev/zero", r"line 3: '/dev/zero' is an absolute path"),
    ("manifest-link-to-dev-zero", _m_dev_zero_link, "zero.txt",
     r"line 3: is a character device, not a regular file: refused without reading"),
    ("manifest-fifo", _m_fifo, "pipe.txt", r"line 3: is a FIFO \(named pipe\), not a regular file"),
    ("manifest-link-outside", _m_link_outside, "secret.txt",
     r"line 3: the path leads \(through a symbolic link\) to .*secret.txt, outside the folder"),
    ("manifest-two-spellings", _m_two_spellings, "./good.txt",
     r"^warning: manifest.csv line 3: the same file as line 2 \('good.txt'\): read once"),
    ("manifest-link-alias", _m_link_alias, "alias.txt",
     r"^warning: manifest.csv line 3: names the same file as manifest.csv line 2 \('good.txt'\).*read once"),
    ("manifest-empty-file-value", _m_empty_file_value, "manifest.csv", r"line 3: the 'file' value is empty"),
    ("manifest-bad-doc-id", _m_bad_doc_id, "b.txt", r"line 3: doc_id '\.\./b' is not usable as a file name"),
    ("manifest-link-loop", _m_loop, "loop.txt", r"line 3: symbolic link loop"),
    ("manifest-is-fifo", _m_manifest_fifo, "manifest.csv",
     r"manifest not used: is a FIFO \(named pipe\), not a regular file: refused without reading"),
    ("manifest-is-binary", _m_manifest_binary, "manifest.csv", r"manifest not used: binary file \(PNG"),
]


@pytest.fixture
def alarm():
    """Turn a blocked read (a FIFO opened for reading waits for a writer) into a failure, not a hang."""
    def boom(signum, frame):
        raise AssertionError("the build blocked")
    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("setup,file,reason", [pytest.param(*c[1:], id=c[0]) for c in ZOO])
def test_zoo(tmp_path, monkeypatch, alarm, setup, file, reason):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    _good(raw)
    opts = setup(raw, outside) or {}
    if opts.pop("_no_doc_tool", False):
        monkeypatch.setattr(read_mod, "doc_tool", lambda: None)
    deny = opts.pop("_deny", None)
    if deny is not None and os.geteuid() == 0:  # root reads any file: refuse it as the kernel would
        real_open = os.open

        def fake_open(path, *args, **kwargs):
            if os.fspath(path) == os.fspath(deny):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(read_mod.os, "open", fake_open)
    crash_on = opts.pop("_crash_on", None)
    if crash_on:
        real_clean = build_mod.clean_text

        def fragile(text, **kwargs):
            if crash_on in text:
                raise RuntimeError("boom")
            return real_clean(text, **kwargs)

        monkeypatch.setattr(build_mod, "clean_text", fragile)
    corpus = build_corpus(raw, **opts)
    if deny is not None:
        os.chmod(deny, stat.S_IRUSR | stat.S_IWUSR)
    assert "good" in set(corpus.documents["doc_id"]), corpus.errors.values.tolist()
    assert GOOD in corpus.texts["good"]
    rows = corpus.errors if file is None else corpus.errors[corpus.errors["file"] == file]
    assert any(re.search(reason, r) for r in rows["reason"]), corpus.errors.values.tolist()
    # the outputs of a corpus with bad inputs are written and read back whole
    write_corpus(corpus, tmp_path / "out")
    back = read_corpus(tmp_path / "out")
    assert dict(back.texts) == dict(corpus.texts) and len(back.errors) == len(corpus.errors)


def test_zoo_size():
    assert len(ZOO) >= 40


# ----------------------------------------------------------------------------- names


def test_lone_surrogates_are_replaced_and_logged(tmp_path):
    """A script escape of a lone surrogate (document.writeln("\\ud800")) no longer breaks the
    checksum: it becomes U+FFFD, and the replacement is logged (by the cleaning or as a warning)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw)
    page = 'document.writeln("<p>' + GOOD.strip() + '\\ud800委员</p>");\n'
    (raw / "page.txt").write_text(page, encoding="utf-8")
    corpus = build_corpus(raw)
    assert set(corpus.documents["doc_id"]) == {"good", "page"}
    text = corpus.texts["page"]
    text.encode("utf-8")  # no lone surrogate is left
    assert "\ufffd" in text
    logged = "lone_surrogate" in set(corpus.log["rule"]) or corpus.errors["reason"].str.contains("surrogate").any()
    assert logged, corpus.errors.values.tolist()
    write_corpus(corpus, tmp_path / "out")
    assert read_corpus(tmp_path / "out").texts["page"] == text


def test_name_that_is_not_utf8(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw)
    name = os.fsdecode(b"report-\xff\xfe.txt")
    (raw / name).write_text(OTHER, encoding="utf-8")
    corpus = build_corpus(raw)
    row = corpus.documents[corpus.documents["doc_id"] != "good"].iloc[0]
    assert row["file"] == "report-\\xff\\xfe.txt" and re.fullmatch(r"report-__-[0-9a-f]{8}", row["doc_id"])
    write_corpus(corpus, tmp_path / "out")  # CSV and Parquet hold only encodable text
    assert read_corpus(tmp_path / "out").texts[row["doc_id"]] == corpus.texts[row["doc_id"]]


@pytest.mark.parametrize("name", ["a" * 250 + ".md", "委" * 83 + ".txt"])
def test_very_long_names(tmp_path, name):
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw)
    (raw / name).write_text(OTHER, encoding="utf-8")
    corpus = build_corpus(raw)
    assert len(corpus.documents) == 2 and corpus.errors.empty
    long_id = next(d for d in corpus.documents["doc_id"] if d != "good")
    assert len(long_id.encode()) <= build_mod.MAX_ID_BYTES
    write_corpus(corpus, tmp_path / "out")
    assert read_corpus(tmp_path / "out").texts[long_id] == corpus.texts[long_id]


# ----------------------------------------------------------------------------- formats


def test_pdf_with_text_layer(tmp_path):
    pytest.importorskip("pypdfium2")
    p = tmp_path / "report.pdf"
    p.write_bytes(minimal_pdf(["青溪县委员工作站工作小结", GOOD.strip()]))
    doc = read_document(p)
    assert doc.encoding == "pdf" and doc.text.splitlines() == ["青溪县委员工作站工作小结", GOOD.strip()]
    corpus = build_corpus(tmp_path)
    assert corpus.texts["report"] == "青溪县委员工作站工作小结\n" + GOOD


def test_rtf_in_code_page_936(tmp_path):
    pytest.importorskip("striprtf")
    p = tmp_path / "report.rtf"
    p.write_bytes(rtf("青溪县委员工作站\n" + GOOD))
    doc = read_document(p)
    assert doc.encoding == "rtf" and "青溪县委员工作站" in doc.text and GOOD.strip() in doc.text
    # a bare GBK byte escape (no \uN) decodes through the declared code page
    p.write_bytes(b"{\\rtf1\\ansi\\ansicpg936 " + "".join(f"\\'{b:02x}" for b in "委员".encode("gbk")).encode()
                  + b"}")
    assert read_document(p).text.strip() == "委员"


def test_docx_tables_in_document_order(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(docx_bytes(["青溪县委员工作站工作小结", [["站点", "场次"], ["城关", "12"]], "表后段落。"]))
    doc = read_document(p)
    assert doc.text.splitlines() == ["青溪县委员工作站工作小结", "站点\t场次", "城关\t12", "表后段落。"]


def test_docx_size_limit_is_configurable(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(zip_bomb_docx(3 * 1024 * 1024))
    with pytest.raises(InputError, match="when decompressed, over the limit of"):
        read_document(p, max_unzipped_bytes=1024 * 1024)
    assert "委员工作站" in read_document(p, max_unzipped_bytes=None).text


def test_docx_member_that_lies_about_its_size(tmp_path):
    """A member whose directory entry declares fewer bytes than it holds is never read past what it
    declares: it fails as a broken file instead of filling the memory."""
    base = docx_bytes(["委员工作站"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":  # 2 MB of white space inside the XML
                body = body.replace(b"<w:body>", b"<w:body>" + b" " * (2 * 1024 * 1024))
            dst.writestr(info.filename, body)
    data = bytearray(out.getvalue())
    pos = data.rfind(b"word/document.xml")  # the central directory entry's name
    entry = data.rfind(b"PK\x01\x02", 0, pos)
    data[entry + 24:entry + 28] = (1000).to_bytes(4, "little")  # uncompressed size: 1000 bytes
    p = tmp_path / "liar.docx"
    p.write_bytes(bytes(data))
    with pytest.raises(InputError, match="liar.docx: not a readable .docx"):
        read_document(p)


def test_doc_through_the_tool(tmp_path, monkeypatch):
    """The .doc route: the tool's UTF-8 output is the text (a stand-in tool here, so that the test
    runs where antiword is not installed), and its failures are reported."""
    tool = tmp_path / "bin" / "antiword"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\ncase \"$5\" in *b.doc) echo 'not a Word file' >&2; exit 1;; esac\n"
                    f"printf '%s\\n' '{GOOD.strip()}'\n", encoding="utf-8")
    tool.chmod(0o755)
    monkeypatch.setattr(read_mod, "DOC_TOOLS", (("antiword", ("-m", "UTF-8.txt", "-w", "0")),))
    monkeypatch.setenv("PATH", str(tool.parent))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    (tmp_path / "a.doc").write_bytes(ole + bytes(600))
    doc = read_document(tmp_path / "a.doc")
    assert doc.text.strip() == GOOD.strip() and doc.encoding == "doc:antiword"
    (tmp_path / "b.doc").write_bytes(ole + b"BROKEN" + bytes(600))
    with pytest.raises(InputError, match=r"b.doc: antiword could not read it \(exit status 1: not a Word file\)"):
        read_document(tmp_path / "b.doc")


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword is not installed (Debian package antiword)")
def test_doc_with_antiword(tmp_path):
    (tmp_path / "old.doc").write_bytes(minimal_doc(["青溪县委员工作站工作小结", GOOD.strip()]))
    doc = read_document(tmp_path / "old.doc")
    assert doc.encoding.startswith("doc:") and doc.text.split() == ["青溪县委员工作站工作小结", GOOD.strip()]
    corpus = build_corpus(tmp_path)
    assert corpus.texts["old"] == "青溪县委员工作站工作小结\n" + GOOD


@pytest.mark.skipif(not read_mod.doc_tool(), reason="neither antiword nor catdoc is installed")
def test_doc_with_the_installed_tool_refuses_garbage(tmp_path):
    (tmp_path / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match=r"a.doc: (antiword|catdoc) (could not read it|crashed on it|.*no text)"):
        read_document(tmp_path / "a.doc")


@pytest.mark.parametrize("content,encoding", [
    (rtf(GOOD), "rtf"),
    (f"<html><body><p>{GOOD}</p></body></html>".encode("gb18030"), "gb18030"),
    (GOOD.encode("utf-8"), "utf-8"),
])
def test_doc_that_is_something_else(tmp_path, content, encoding):
    """Government sites often serve RTF or web pages as .doc: they are read as what they are."""
    (tmp_path / "a.doc").write_bytes(content)
    doc = read_document(tmp_path / "a.doc")
    assert doc.encoding == encoding and GOOD.strip() in doc.text


def test_nested_folders_keep_doc_ids_unique(tmp_path):
    raw = tmp_path / "raw"
    for sub in ("2022/qingxi", "2023/qingxi", "2023"):
        (raw / sub).mkdir(parents=True, exist_ok=True)
    (raw / "2022" / "qingxi" / "report.txt").write_text(GOOD, encoding="utf-8")
    (raw / "2023" / "qingxi" / "report.txt").write_text(OTHER, encoding="utf-8")
    (raw / "2023" / "report.pdf").write_bytes(minimal_pdf([GOOD.strip()]))
    (raw / "2023" / "notes.rtf").write_bytes(rtf(OTHER))
    (raw / "report.txt").write_text(GOOD + OTHER, encoding="utf-8")
    (raw / "_drafts").mkdir()
    (raw / "_drafts" / "x.txt").write_text(GOOD, encoding="utf-8")  # "_" folders are skipped
    corpus = build_corpus(raw)
    assert corpus.errors.empty, corpus.errors.values.tolist()
    assert sorted(corpus.documents["doc_id"]) == ["2022__qingxi__report", "2023__notes", "2023__qingxi__report",
                                                  "2023__report", "report"]
    assert set(corpus.documents["file"]) == {"2022/qingxi/report.txt", "2023/qingxi/report.txt", "2023/report.pdf",
                                             "2023/notes.rtf", "report.txt"}
    # a manifest may name files in subfolders
    pd.DataFrame({"file": ["2023/report.pdf", "report.txt"], "doc_id": ["pdf", "top"]}).to_csv(
        raw / "manifest.csv", index=False)
    listed = build_corpus(raw)
    assert sorted(listed.documents["doc_id"]) == ["pdf", "top"]
    assert error_counts(listed.errors) == (3, 0)  # the three unlisted files, each named
    assert set(listed.errors["file"]) == {"2022/qingxi/report.txt", "2023/qingxi/report.txt", "2023/notes.rtf"}


def test_derived_id_that_collides_gets_a_hash(tmp_path):
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    (raw / "a__b.txt").write_text(GOOD, encoding="utf-8")
    (raw / "a" / "b.txt").write_text(OTHER, encoding="utf-8")
    corpus = build_corpus(raw)
    ids = sorted(corpus.documents["doc_id"])
    assert len(ids) == 2 and ids[0] == "a__b" and re.fullmatch(r"a__b-[0-9a-f]{8}", ids[1])
    assert error_counts(corpus.errors) == (0, 1) and "is taken by another file" in corpus.errors["reason"].iloc[0]


def test_dataframe_manifest_is_checked_like_a_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw)
    (raw / "b.txt").write_text(OTHER, encoding="utf-8")
    man = pd.DataFrame({"File": ["good.txt", "b.txt", "/etc/hostname"], "doc_id": ["g", "g", "h"]})
    corpus = build_corpus(raw, manifest=man)
    assert corpus.documents["doc_id"].tolist() == ["g"]
    reasons = " | ".join(corpus.errors["reason"])
    assert "line 3: doc_id 'g' is already used on line 2" in reasons and "'/etc/hostname' is an absolute" in reasons


def test_follow_links_reads_outside_files(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(outside / "secret.txt", raw / "linked.txt")
    assert build_corpus(raw).documents.empty
    assert list(build_corpus(raw, follow_links=True).documents["doc_id"]) == ["linked"]


# ----------------------------------------------------------------------------- the command line


def test_cli_counts_failures_in_exit_code_and_summary(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw)
    (raw / "scan.pdf").write_bytes(scanned_pdf())
    (raw / "empty.txt").write_bytes(b"")
    assert cli_main(["corpus", "build", str(raw), "--out", str(tmp_path / "out")]) == 1
    cap = capsys.readouterr()
    assert "1 documents, " in cap.out and "2 files not used" in cap.out
    assert "not used: scan.pdf: the PDF has no text layer" in cap.err and "see " in cap.err
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert sorted(errors["file"]) == ["empty.txt", "scan.pdf"]
    # warnings alone exit 0, or 1 with --strict
    os.remove(raw / "scan.pdf")
    os.remove(raw / "empty.txt")
    os.symlink("good.txt", raw / "same.txt")
    assert cli_main(["corpus", "build", str(raw), "--out", str(tmp_path / "out")]) == 0
    assert "1 warnings" in capsys.readouterr().out
    assert cli_main(["corpus", "build", str(raw), "--out", str(tmp_path / "out"), "--strict"]) == 1


def test_cli_follow_links_and_unzipped_limit(tmp_path, capsys):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    (outside / "x.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(outside / "x.txt", raw / "x.txt")
    (raw / "bomb.docx").write_bytes(zip_bomb_docx(3 * 1024 * 1024))
    assert cli_main(["corpus", "build", str(raw), "--out", str(tmp_path / "o1"), "--max-unzipped-mb", "1"]) == 1
    docs = pd.read_csv(tmp_path / "o1" / "documents.csv")
    assert docs.empty
    assert cli_main(["corpus", "build", str(raw), "--out", str(tmp_path / "o2"), "--follow-links"]) == 0
    assert sorted(pd.read_csv(tmp_path / "o2" / "documents.csv")["doc_id"]) == ["bomb", "x"]
    capsys.readouterr()
