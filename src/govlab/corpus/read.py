"""Reading report files: bytes to text with a detected and recorded encoding, and the manifest.

Reports come as ``.txt``, ``.html``/``.htm``, ``.md``, ``.docx``, ``.pdf``, ``.rtf`` or ``.doc`` files.
Text files are UTF-8 (with or without a BOM), UTF-16 with a BOM, GB18030 (a superset of GB2312 and
GBK) or Big5. The encoding is chosen in this order, following the rule in ``research/textmining.md``
section 4:

1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. strict UTF-8 (ASCII is a subset);
3. the charset a web page declares in ``<meta>`` (``gb2312``/``gbk`` widened to ``gb18030``,
   ``big5`` widened to ``big5hkscs``);
4. otherwise GB18030 and Big5 are both tried and the decoding whose non-ASCII characters are most
   often common Han characters (GB2312 level 1 or Big5 level 1) wins; charset-normalizer breaks
   near ties.

Every result is validated: no U+FFFD replacement characters, few control characters, and a
plausible share of common characters. Files that fail (binary files named ``.txt``, empty files,
undecodable bytes, files over the size limit) raise :class:`govlab.errors.InputError` naming the file
and the reason, before the file is read whole when the reason is its size.

The other formats: ``.docx`` through python-docx (paragraphs and tables in document order, after
a check of the archive's *decompressed* size), ``.pdf`` through pypdfium2 (its text layer; a scanned
PDF without one is refused with that reason), ``.rtf`` through striprtf (code page from
``\\ansicpg``), and ``.doc`` (Word 97-2003) through the Debian tool ``antiword`` or ``catdoc`` when one
is installed, else a clear error naming what is missing. A ``.doc`` that is really RTF, a .docx or
a web page (common on government sites) is read as what it is. Only regular files are opened:
FIFOs, devices and sockets are refused before any read, so nothing blocks.
"""
from __future__ import annotations

import difflib
import functools
import io
import os
import re
import shutil
import stat
import subprocess
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from govlab.errors import InputError

#: Suffixes read as reports (lower case).
SUFFIXES = (".txt", ".html", ".htm", ".md", ".docx", ".pdf", ".rtf", ".doc")
#: Default upper limit on a report's size in bytes (50 MB); configurable per call.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Default upper limit on the decompressed size of a ``.docx`` archive's members (200 MB), checked
#: before anything is decompressed (a 1 MB zip bomb can expand to gigabytes); configurable per call.
DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: Most members a ``.docx`` archive may hold.
MAX_ZIP_MEMBERS = 10_000
#: Debian tools that read Word 97-2003 ``.doc`` files, in order of preference (Debian packages
#: ``antiword`` and ``catdoc``), with the arguments that print UTF-8 text without line wrapping.
DOC_TOOLS = (("antiword", ("-m", "UTF-8.txt", "-w", "0")), ("catdoc", ("-d", "utf-8", "-w")))
#: Seconds a ``.doc`` tool may run on one file.
DOC_TOOL_TIMEOUT = 60
#: Manifest columns (all optional except ``file``), as in the shared corpus manifest.
MANIFEST_COLUMNS = ("file", "doc_id", "title", "author", "venue", "published", "locality",
                    "locality_level", "province", "script", "source", "doi", "noise")

# Magic numbers of binary formats that are sometimes saved with a text suffix.
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP (or DOCX/XLSX)"),
    (b"PK\x05\x06", "ZIP (empty archive)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 (old Word/Excel)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"{\\rtf", "RTF"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,20})""", re.I)
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312": "gb18030",
          "gb_2312-80": "gb18030", "cp936": "gb18030", "gb18030": "gb18030", "euc-cn": "gb18030",
          "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs", "x-big5": "big5hkscs",
          "utf-8": "utf-8", "utf8": "utf-8", "utf-16": "utf-16"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class RawDocument:
    """A report file decoded to text.

    Attributes
    ----------
    path : str
        The file it was read from.
    text : str
        The decoded text with universal newlines (CR LF and lone CR read as LF, as Python's text
        mode reads files). This is the "raw text" the cleaning log's offsets refer to.
    encoding : str
        The codec that decoded it (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``gb18030``, ``big5hkscs``),
        or the format it was extracted from: ``docx``, ``pdf``, ``rtf``, ``doc`` (``antiword`` or
        ``catdoc`` is recorded after a colon, as ``doc:antiword``).
    kind : str
        ``"html"`` for ``.html``/``.htm`` files (and ``.doc`` files that are web pages), ``"text"``
        otherwise (``.md``, ``.docx``, ``.pdf``, ``.rtf`` and ``.doc`` are text).
    n_bytes : int
        Size of the file in bytes.
    sha256 : str
        sha256 of the file's bytes.
    """

    path: str
    text: str
    encoding: str
    kind: str
    n_bytes: int
    sha256: str


@functools.lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """GB2312 level-1 (3,755 common simplified) and Big5 level-1 (5,401 common traditional) characters."""
    chars: set[str] = set()
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for b1 in range(0xA4, 0xC7):
        for b2 in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes([b1, b2]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(c for c in chars if _HAN.match(c))


def common_share(text: str) -> float:
    """Share of non-ASCII, non-space characters of ``text`` that are common Han characters or common
    CJK punctuation. Genuine Chinese text scores above 0.85; text decoded with the wrong codec, well
    below. Returns 1.0 when there are no non-ASCII characters."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _share_classes().take(np.minimum(codes, 0xFFFF))
    n = int(np.count_nonzero(cls))
    hit = int(np.count_nonzero(cls == 2))
    return hit / n if n else 1.0


@functools.lru_cache(maxsize=1)
def _share_classes() -> np.ndarray:
    """For every BMP character: 0 when :func:`common_share` skips it (ASCII, whitespace), 2 when it
    counts as common, 1 otherwise (U+FFFF, neither, stands for the characters outside the BMP)."""
    chars = [chr(c) for c in range(0x10000)]
    cls = np.ones(0x10000, dtype=np.uint8)
    common = _common_han()
    for i, ch in enumerate(chars):
        if ch in common or ch in _CJK_PUNCT or "\uff01" <= ch <= "\uff5e" or "\u3000" <= ch <= "\u303f":
            cls[i] = 2
    cls[np.fromiter(map(str.isspace, chars), bool, 0x10000)] = 0
    cls[:0x80] = 0
    return cls


_CJK_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』…—·×％．～－")


def _binary_kind(head: bytes) -> str | None:
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def _validate(text: str, source: str, encoding: str) -> None:
    if "\ufffd" in text:
        raise InputError(f"decoding as {encoding} gave replacement characters (U+FFFD): the bytes are "
                         "not valid text in any supported encoding", source=source)
    if text and len(_CONTROL.findall(text[:20000])) > max(2, len(text[:20000]) // 100):
        raise InputError(f"decoded as {encoding} but full of control characters: this looks like a "
                         "binary file, not a report", source=source)


def decode_bytes(data: bytes, *, source: str = "<bytes>", html: bool = False) -> tuple[str, str]:
    """Decode a report's bytes, returning ``(text, encoding)``.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        Name used in error messages.
    html : bool
        Whether to look for a declared ``<meta charset>`` (also done when the bytes look like HTML).

    Returns
    -------
    tuple of (str, str)
        The text and the codec name.

    Raises
    ------
    govlab.errors.InputError
        Empty input, a binary format (PDF, ZIP, PNG, ...), NUL bytes, or bytes that no supported
        encoding decodes into plausible text.

    Examples
    --------
    >>> decode_bytes("委员工作站".encode("gb18030"))
    ('委员工作站', 'gb18030')
    >>> decode_bytes("委員工作站".encode("big5"))
    ('委員工作站', 'big5hkscs')
    """
    if not data:
        raise InputError("the file is empty", source=source)
    kind = _binary_kind(data[:16])
    if kind:
        raise InputError(f"binary file ({kind} content), not a text report", source=source)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {codec} byte-order mark but is not valid {codec} "
                                 f"(byte {exc.start})", source=source) from None
            if codec == "utf-8-sig" or True:
                text = text.lstrip("\ufeff")
            if not text.strip():
                raise InputError("the file holds no text (only a byte-order mark or whitespace)", source=source)
            _validate(text, source, codec)
            return text, codec
    if b"\x00" in data[:4096]:
        raise InputError("contains NUL bytes without a UTF-16 byte-order mark: this looks like a binary "
                         "file (UTF-16 reports need a BOM)", source=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if not text.strip():
            raise InputError("the file holds only whitespace", source=source)
        _validate(text, source, "utf-8")
        return text, "utf-8"
    # Declared charset (web pages).
    declared = None
    if html or b"<" in data[:4096]:
        m = _DECLARED.search(data[:4096])
        if m:
            declared = _WIDEN.get(m.group(1).decode("ascii", "replace").lower())
    candidates = []
    for codec in ([declared] if declared and declared not in ("utf-8", "utf-16") else []) + ["gb18030", "big5hkscs"]:
        if codec in (c for c, _ in candidates):
            continue
        try:
            t = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\ufffd" in t:
            continue
        candidates.append((codec, t))
    if not candidates:
        raise InputError("undecodable bytes: not valid UTF-8, UTF-16 (with BOM), GB18030 or Big5",
                         source=source)
    if declared and candidates[0][0] == declared:
        codec, text = candidates[0]
        if common_share(text) >= 0.5:
            _validate(text, source, codec)
            return text, codec
    scored = sorted(((common_share(t), i, c, t) for i, (c, t) in enumerate(candidates)),
                    key=lambda x: (-x[0], x[1]))
    best_share, _, codec, text = scored[0]
    if len(scored) > 1 and best_share - scored[1][0] < 0.05:
        codec, text = _tiebreak(data, scored) or (codec, text)
        best_share = common_share(text)
    if best_share < 0.5:
        raise InputError(f"undecodable bytes: no supported encoding gives plausible Chinese text "
                         f"(best guess {codec}, {best_share:.0%} common characters)", source=source)
    _validate(text, source, codec)
    return text, codec


def _tiebreak(data: bytes, scored) -> tuple[str, str] | None:
    """Use charset-normalizer's coherence to choose between near-tied candidates."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a locked dependency
        return None
    names = {"gb18030": "gb18030", "big5hkscs": "big5hkscs"}
    res = from_bytes(data, cp_isolation=[c for _, _, c, _ in scored if c in names]).best()
    if res is None:
        return None
    enc = res.encoding.replace("_", "").lower()
    for _, _, c, t in scored:
        if c.replace("-", "").replace("_", "") == enc:
            return c, t
    return None


_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def special_kind(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file (``None`` for a regular one).

    Examples
    --------
    >>> import os
    >>> special_kind(os.stat("/dev/null").st_mode)
    'a character device'
    """
    if stat.S_ISREG(mode):
        return None
    for test, name in _FILE_KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _stat(path: Path) -> os.stat_result:
    """``os.stat`` with every failure turned into an :class:`InputError` that says what is wrong."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise InputError(f"broken symbolic link (it points to {os.readlink(path)!r}, which does not "
                             "exist)", source=str(path)) from None
        raise InputError("file not found", source=str(path)) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read (check its permissions)",
                         source=str(path)) from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise InputError("symbolic link loop: following the link never reaches a file", source=str(path)) from None
        raise InputError(f"cannot be read ({exc.strerror})", source=str(path)) from None


def _check_size(path: Path, max_bytes: int | None) -> int:
    st = _stat(path)
    kind = special_kind(st.st_mode)
    if kind == "a folder":
        raise InputError("is a folder, not a report file", source=str(path))
    if kind:
        raise InputError(f"is {kind}, not a regular file: refused without reading it", source=str(path))
    size = st.st_size
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"file is {_size(size)}, over the limit of {_size(max_bytes)} "
                         "(raise max_bytes / --max-mb to read it)", source=str(path))
    return size


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _read_regular(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of a regular file, opened without blocking and checked again once open (a file
    swapped for a FIFO or a device between the check and the open is refused, not read)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise InputError("permission denied: the file cannot be read (check its permissions)",
                         source=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", source=str(path)) from None
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind:
            raise InputError(f"is {kind}, not a regular file: refused without reading it", source=str(path))
        limit = max_bytes + 1 if max_bytes is not None else None
        chunks, n = [], 0
        while limit is None or n < limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit - n) if limit is not None else 1 << 20)
            except OSError as exc:
                raise InputError(f"cannot be read ({exc.strerror})", source=str(path)) from None
            if not chunk:
                break
            chunks.append(chunk)
            n += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if max_bytes is not None and len(data) > max_bytes:  # grew while reading
        raise InputError(f"file is over the limit of {_size(max_bytes)}", source=str(path))
    return data


def check_zip(data: bytes, *, source: str = "<bytes>",
              max_unzipped_bytes: int | None = DEFAULT_MAX_UNZIPPED_BYTES) -> zipfile.ZipFile:
    """Open a ZIP container (``.docx``) after checking the *decompressed* size of its members.

    The sizes come from the archive's directory, before anything is decompressed; Python's ``zipfile``
    never returns more bytes for a member than its directory entry declares, so a member that lies
    about its size fails its CRC check instead of filling the memory.

    Parameters
    ----------
    data : bytes
        The archive.
    source : str
        Name used in error messages.
    max_unzipped_bytes : int or None
        Upper limit on the members' total decompressed size (default 200 MB); ``None`` for none.

    Returns
    -------
    zipfile.ZipFile

    Raises
    ------
    govlab.errors.InputError
        Not a ZIP archive, too many members, or members that expand past the limit.

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("word/document.xml", "0" * 10_000)
    >>> check_zip(buf.getvalue(), source="bomb.docx", max_unzipped_bytes=1000)
    Traceback (most recent call last):
    ...
    govlab.errors.InputError: bomb.docx: the archive expands to 10000 bytes when decompressed, over the limit of 1000 bytes: a zip bomb? Raise max_unzipped_bytes (--max-unzipped-mb) to read it
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a readable .docx file (not a valid ZIP archive: {exc})", source=source) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(f"the archive holds {len(infos)} members, over the limit of {MAX_ZIP_MEMBERS}",
                         source=source)
    total = sum(i.file_size for i in infos)
    if max_unzipped_bytes is not None and total > max_unzipped_bytes:
        raise InputError(f"the archive expands to {_size(total)} when decompressed, over the limit of "
                         f"{_size(max_unzipped_bytes)}: a zip bomb? Raise max_unzipped_bytes (--max-unzipped-mb) "
                         "to read it", source=source)
    return zf


def _docx_blocks(container, depth: int = 0) -> list[str]:
    """Lines of a python-docx container (the body, a table cell): paragraphs and tables in document
    order; a table row is one line, its cells joined by a tab (merged cells once)."""
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen, cells = set(), []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    inner = _docx_blocks(cell, depth + 1) if depth < 20 else [cell.text]
                    cells.append(" ".join(x for x in inner if x.strip()))
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return lines


def _read_docx(data: bytes, source: str, max_unzipped_bytes: int | None) -> str:
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - a locked dependency
        raise InputError("reading .docx needs python-docx", source=source) from None
    check_zip(data, source=source, max_unzipped_bytes=max_unzipped_bytes).close()
    try:
        doc = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_blocks(doc))
    except MemoryError:
        raise InputError("not a readable .docx file (out of memory while reading it)", source=source) from None
    except Exception as exc:  # python-docx raises several unrelated types on bad input
        raise InputError(f"not a readable .docx file ({type(exc).__name__})", source=source) from None


_PDF_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _read_pdf(data: bytes, source: str) -> str:
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a locked dependency
        raise InputError("reading .pdf needs pypdfium2 (pip install pypdfium2)", source=source) from None
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # PdfiumError: broken file, password
        raise InputError(f"not a readable PDF ({exc})", source=source) from None
    pages: list[str] = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except Exception as exc:
        raise InputError(f"not a readable PDF (page {len(pages) + 1}: {exc})", source=source) from None
    finally:
        pdf.close()
    text = _PDF_JUNK.sub("", "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(f"the PDF has no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''}, no "
                         "extractable text): probably a scanned image; run OCR on it and add the text",
                         source=source)
    return text


_ANSICPG = re.compile(rb"\\ansicpg(\d{3,5})")


def fix_surrogates(text: str) -> tuple[str, int]:
    """Join UTF-16 surrogate pairs into their characters and replace lone surrogates by U+FFFD.

    Lone surrogates (U+D800-U+DFFF) are not text: they cannot be encoded as UTF-8, so a checksum,
    a CSV or a Parquet file of a string that holds one fails. RTF ``\\uN`` escapes and web pages'
    ``\\uD800`` escapes make them.

    Returns
    -------
    tuple of (str, int)
        The text and the number of lone surrogates replaced.

    Examples
    --------
    >>> fix_surrogates("a\\ud83d\\ude00b\\ud800c")
    ('a😀b\\ufffdc', 1)
    """
    try:
        text.encode("utf-8")
        return text, 0
    except UnicodeEncodeError:
        pass
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    lone = sum(1 for c in text if "\ud800" <= c <= "\udfff") - 2 * (len(text) - len(joined))
    fixed = re.sub("[\ud800-\udfff]", "\ufffd", joined)
    return fixed, lone


def _read_rtf(data: bytes, source: str) -> str:
    try:
        from striprtf.striprtf import rtf_to_text
    except ImportError:  # pragma: no cover - a locked dependency
        raise InputError("reading .rtf needs striprtf (pip install striprtf)", source=source) from None
    m = _ANSICPG.search(data[:65536])
    codec = f"cp{int(m.group(1))}" if m else "cp1252"
    codec = {"cp936": "gb18030", "cp950": "big5hkscs"}.get(codec, codec)
    try:
        import codecs

        codecs.lookup(codec)
    except LookupError:
        raise InputError(f"the RTF declares code page {codec!r}, which Python does not know", source=source) from None
    try:
        raw = data.decode(codec)
    except UnicodeDecodeError:
        raw = data.decode("latin-1")  # 8-bit bytes outside the code page: keep them, escapes decode below
    try:
        text = rtf_to_text(raw, encoding=codec, errors="strict")
    except UnicodeDecodeError as exc:
        raise InputError(f"the RTF's \\'hh escapes are not valid {codec} (byte {exc.start})", source=source) from None
    except Exception as exc:
        raise InputError(f"not a readable RTF file ({type(exc).__name__}: {exc})", source=source) from None
    text, _ = fix_surrogates(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text


def doc_tool() -> tuple[str, str, tuple[str, ...]] | None:
    """The first installed ``.doc`` reader of :data:`DOC_TOOLS`: ``(name, executable, arguments)``,
    or ``None`` when neither ``antiword`` nor ``catdoc`` is on the ``PATH``."""
    for name, args in DOC_TOOLS:
        exe = shutil.which(name)
        if exe:
            return name, exe, args
    return None


def _read_doc(path: Path, source: str) -> tuple[str, str]:
    tool = doc_tool()
    if tool is None:
        raise InputError("reading Word 97-2003 .doc files needs antiword or catdoc, and neither is installed "
                         "(Debian: apt-get install antiword); or save the file as .docx", source=source)
    name, exe, args = tool
    try:
        proc = subprocess.run([exe, *args, os.fspath(path)], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=DOC_TOOL_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"{name} did not finish within {DOC_TOOL_TIMEOUT} s", source=source) from None
    except OSError as exc:
        raise InputError(f"{name} could not be run ({exc.strerror})", source=source) from None
    if proc.returncode < 0:
        raise InputError(f"{name} crashed on it (signal {-proc.returncode}): a damaged .doc file; save it as .docx",
                         source=source)
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{name} could not read it (exit status {proc.returncode}"
                         f"{': ' + why[0] if why else ''})", source=source)
    try:
        text = proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name} printed text that is not UTF-8", source=source) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if not text.strip():
        raise InputError(f"the .doc file holds no text ({name} found none)", source=source)
    return text, f"doc:{name}"


def read_document(path: str | os.PathLike, *, max_bytes: int | None = DEFAULT_MAX_BYTES,
                  max_unzipped_bytes: int | None = DEFAULT_MAX_UNZIPPED_BYTES) -> RawDocument:
    """Read one report file and decode it.

    Parameters
    ----------
    path : path-like
        A ``.txt``, ``.html``, ``.htm``, ``.md``, ``.docx``, ``.pdf``, ``.rtf`` or ``.doc`` file.
    max_bytes : int or None
        Files larger than this are refused before they are read (default 50 MB); ``None`` for no limit.
    max_unzipped_bytes : int or None
        ``.docx`` archives whose members expand past this are refused before anything is
        decompressed (default 200 MB); ``None`` for no limit.

    Returns
    -------
    RawDocument

    Raises
    ------
    govlab.errors.InputError
        Missing, unreadable (permissions), special (FIFO, device), too large, empty, binary or
        undecodable files, PDFs without a text layer, ``.doc`` files without a tool to read them;
        the message names the file and the reason.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes("协商议事室".encode("gb18030"))
    >>> doc = read_document(p)
    >>> doc.text, doc.encoding
    ('协商议事室', 'gb18030')
    """
    import hashlib

    path = Path(path)
    source = display_path(path)
    size = _check_size(path, max_bytes)
    data = _read_regular(path, max_bytes)
    suffix = path.suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise InputError("the file is empty", source=source)
    head = data[:1024]
    if suffix == ".doc":  # .doc files from the web are often RTF, .docx or HTML under another name
        if head.startswith(b"{\\rtf"):
            suffix = ".rtf"
        elif head.startswith(b"PK\x03\x04"):
            suffix = ".docx"
        elif head.startswith(b"%PDF"):
            suffix = ".pdf"
        elif not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            suffix = ".html" if re.search(rb"<(html|body|p|div|meta)\b", head, re.I) else ".txt"
    if suffix in (".docx", ".pdf", ".rtf", ".doc"):
        if suffix == ".docx":
            text, encoding = _read_docx(data, source, max_unzipped_bytes), "docx"
        elif suffix == ".pdf":
            if b"%PDF" not in head:
                raise InputError("not a PDF file (no %PDF header in its first 1024 bytes)", source=source)
            text, encoding = _read_pdf(data, source), "pdf"
        elif suffix == ".rtf":
            if not head.lstrip().startswith(b"{\\rtf"):
                raise InputError("not an RTF file (it does not start with {\\rtf)", source=source)
            text, encoding = _read_rtf(data, source), "rtf"
        else:
            text, encoding = _read_doc(path, source)
        if not text.strip():
            raise InputError(f"the {suffix} file holds no text", source=source)
        return RawDocument(str(path), text, encoding, "text", size, digest)
    kind = "html" if suffix in (".html", ".htm") else "text"
    text, encoding = decode_bytes(data, source=source, html=kind == "html")
    if "\r" in text:  # universal newlines, as Python's text mode reads files
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawDocument(str(path), text, encoding, kind, len(data), digest)


def display_path(path: str | os.PathLike) -> str:
    """A path as printable text: bytes of a file name that are not UTF-8 are shown as ``\\xNN``.

    Python reads such names with ``surrogateescape`` (``b"\\xff"`` becomes ``"\\udcff"``), which no
    CSV, Parquet or terminal can write; this spelling can.

    Examples
    --------
    >>> import os
    >>> display_path(os.fsdecode(b"report-\\xff.txt"))
    'report-\\\\xff.txt'
    """
    return os.fsencode(os.fspath(path)).decode("utf-8", "backslashreplace")


#: Where the ``file`` values of a manifest may not point (besides ``..`` out of the folder).
_ABSOLUTE = re.compile(r"^(/|\\|[A-Za-z]:[\\/]|~)")


def normalise_manifest_path(value: str) -> str:
    """A manifest ``file`` value as a clean relative POSIX path (``./a//b.txt`` becomes ``a/b.txt``).

    Raises
    ------
    govlab.errors.InputError
        Absolute paths, paths starting with ``~``, paths that leave the folder (``../x``), NUL bytes.

    Examples
    --------
    >>> normalise_manifest_path("./reports//a.txt")
    'reports/a.txt'
    >>> normalise_manifest_path("../../outside/secret.txt")
    Traceback (most recent call last):
    ...
    govlab.errors.InputError: file: '../../outside/secret.txt' points outside the folder of reports; manifest paths must stay inside it
    """
    if "\x00" in value:
        raise InputError(f"{value!r} holds a NUL byte", key="file")
    if _ABSOLUTE.match(value):
        raise InputError(f"{value!r} is an absolute path; manifest paths must be relative to the folder "
                         "of reports", key="file")
    norm = os.path.normpath(value)
    if norm == ".." or norm.startswith("../") or norm == ".":
        raise InputError(f"{value!r} points outside the folder of reports; manifest paths must stay inside "
                         "it", key="file")
    return norm


def check_manifest_rows(df: pd.DataFrame, name: str = "manifest") -> tuple[pd.DataFrame, list[dict]]:
    """Check a manifest table row by row: columns lower-cased, unknown ones reported, the missing
    known ones added empty, values stripped, ``file`` normalised, the index set to the CSV line
    numbers, and the rows with faults left out.

    Parameters
    ----------
    df : pandas.DataFrame
        The manifest as strings, with a ``file`` column.
    name : str
        The manifest's name in messages.

    Returns
    -------
    tuple of (pandas.DataFrame, list of dict)
        The good rows, and the faults (``file``, ``reason``, ``level``); see :func:`read_manifest`.

    Examples
    --------
    >>> import pandas as pd
    >>> rows, found = check_manifest_rows(pd.DataFrame({"file": ["a.txt", "/etc/hostname"]}), "m.csv")
    >>> rows["file"].tolist(), [f["reason"] for f in found]  # doctest: +NORMALIZE_WHITESPACE
    (['a.txt'], ["m.csv line 3: '/etc/hostname' is an absolute path; manifest paths must be relative to the
                  folder of reports: not read"])
    """
    df = df.copy()
    columns = [str(c).strip().lower() for c in df.columns]
    df.columns = columns
    found: list[dict] = []
    for col in columns:
        if col not in MANIFEST_COLUMNS:
            near = difflib.get_close_matches(col, MANIFEST_COLUMNS, n=1, cutoff=0.6)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (known columns: {', '.join(MANIFEST_COLUMNS)})"
            found.append({"file": name, "level": "warning",
                          "reason": f"column {col!r} is not a manifest column{hint}: its values are not used"})
    for col in MANIFEST_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    table = df.astype(str).apply(lambda s: s.str.strip())
    table.index = pd.RangeIndex(2, len(table) + 2, name="line")
    keep = []
    first_file: dict[str, int] = {}
    first_id: dict[str, int] = {}
    for line, value, doc_id in zip(table.index, table["file"], table["doc_id"]):
        if value == "":
            found.append({"file": name, "level": "error",
                          "reason": f"{name} line {line}: the 'file' value is empty: the row is not used"})
            continue
        try:
            norm = normalise_manifest_path(value)
        except InputError as exc:
            found.append({"file": value, "level": "error",
                          "reason": f"{name} line {line}: {str(exc).removeprefix('file: ')}: not read"})
            continue
        if norm in first_file:
            found.append({"file": value, "level": "warning",
                          "reason": f"{name} line {line}: the same file as line {first_file[norm]} ({norm!r}): "
                                    f"read once, with line {first_file[norm]}'s metadata"})
            continue
        if doc_id and doc_id in first_id:
            found.append({"file": value, "level": "error",
                          "reason": f"{name} line {line}: doc_id {doc_id!r} is already used on line "
                                    f"{first_id[doc_id]}: this row is not used (give it another doc_id)"})
            continue
        first_file[norm] = line
        if doc_id:
            first_id[doc_id] = line
        table.loc[line, "file"] = norm
        keep.append(line)
    return table.loc[keep], found


def read_manifest(path: str | os.PathLike, *, problems: list | None = None) -> pd.DataFrame:
    """Read a ``manifest.csv`` describing the reports of a folder.

    Parameters
    ----------
    path : path-like
        The CSV file. Only the ``file`` column is required; the others (``doc_id``, ``title``,
        ``author``, ``venue``, ``published``, ``locality``, ``locality_level``, ``province``, ``script``,
        ``source``, ``doi``, ``noise``) are filled with empty strings when absent.
    problems : list or None
        Where row faults go. With a list, each fault is appended as a dict (``file``, ``reason``,
        ``level`` = ``"error"`` or ``"warning"``) and the bad rows are left out: an empty ``file``, an
        absolute path or one that leaves the folder, a ``file`` listed on an earlier line (the first
        is kept), a ``doc_id`` used on an earlier line (the first is kept); unknown columns are
        warnings (with the closest known name). With ``None`` (the default), any row fault raises
        and unknown columns give a :class:`UserWarning`.

    Returns
    -------
    pandas.DataFrame
        One row per file, all columns as strings; the index is the row's line number in the CSV
        (the header is line 1). ``file`` holds the normalised relative path.

    Raises
    ------
    govlab.errors.InputError
        Unreadable CSV, no ``file`` column, a column named twice, a manifest with no rows; with
        ``problems=None`` also the row faults above.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "manifest.csv"
    >>> _ = p.write_text("file,doc_id,titel\\na.txt,a,甲\\n./a.txt,b,乙\\n", encoding="utf-8")
    >>> found = []
    >>> read_manifest(p, problems=found)[["file", "doc_id"]].values.tolist()
    [['a.txt', 'a']]
    >>> [f["level"] + ": " + f["reason"] for f in found]  # doctest: +NORMALIZE_WHITESPACE
    ["warning: column 'titel' is not a manifest column (did you mean 'title'?): its values are not used",
     "warning: manifest.csv line 3: the same file as line 2 ('a.txt'): read once, with line 2's metadata"]
    """
    import csv

    path = Path(path)
    name = path.name
    _check_size(path, DEFAULT_MAX_BYTES)
    try:
        raw = _read_regular(path, DEFAULT_MAX_BYTES)
        text, _ = decode_bytes(raw, source=str(path))
        header = next(csv.reader(io.StringIO(text)), [])
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except InputError:
        raise
    except Exception as exc:  # pandas parser errors
        raise InputError(f"cannot parse the manifest as CSV ({exc})", source=str(path)) from None
    columns = [str(c).strip().lower() for c in header]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        where = "; ".join(f"{c!r} is column {', '.join(str(i + 1) for i, x in enumerate(columns) if x == c)}"
                          for c in twice)
        raise InputError(f"columns named twice ({where}): which one holds the values is ambiguous; rename or "
                         "remove the duplicates", source=str(path))
    if len(columns) != len(df.columns):
        raise InputError(f"cannot parse the manifest as CSV (header has {len(columns)} columns, pandas read "
                         f"{len(df.columns)})", source=str(path))
    df.columns = columns
    if "file" not in df.columns:
        near = difflib.get_close_matches("file", [c for c in columns if c not in MANIFEST_COLUMNS], n=1)
        hint = f" (is {near[0]!r} meant to be 'file'?)" if near else ""
        raise InputError(f"the manifest has no 'file' column (columns found: {list(df.columns)}){hint}; "
                         "expected at least 'file'", source=str(path), key="file")
    if not len(df):
        raise InputError("the manifest lists no files (it has a header and no rows)", source=str(path))
    df, found = check_manifest_rows(df, name)
    if problems is None:
        errs = [f for f in found if f["level"] == "error"]
        if errs:
            raise InputError("; ".join(f["reason"] for f in errs), source=str(path))
        for f in found:
            warnings.warn(f"{path}: {f['reason']}", UserWarning, stacklevel=2)
    else:
        problems.extend(found)
    return df
