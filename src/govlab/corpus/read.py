"""Reading report files: bytes to text with a detected and recorded encoding, and the manifest.

Reports come as ``.txt``, ``.html``/``.htm``, ``.md`` or ``.docx`` files in UTF-8 (with or without a
BOM), UTF-16 with a BOM, GB18030 (a superset of GB2312 and GBK) or Big5. The encoding is chosen in
this order, following the rule in ``research/textmining.md`` section 4:

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
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from govlab.errors import InputError

#: Suffixes read as reports (lower case).
SUFFIXES = (".txt", ".html", ".htm", ".md", ".docx")
#: Default upper limit on a report's size in bytes (50 MB); configurable per call.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
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
        The codec that decoded it (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``gb18030``, ``big5hkscs``,
        or ``docx``).
    kind : str
        ``"html"`` for ``.html``/``.htm`` files, ``"text"`` otherwise (``.md`` and ``.docx`` are text).
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


def _check_size(path: Path, max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                         "(raise max_bytes to read it)", source=str(path))
    return size


def _read_docx(path: Path) -> str:
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover
        raise InputError("reading .docx needs python-docx", source=str(path)) from None
    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types on bad input
        raise InputError(f"not a readable .docx file ({type(exc).__name__})", source=str(path)) from None
    return "\n".join(p.text for p in doc.paragraphs)


def read_document(path: str | os.PathLike, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one report file and decode it.

    Parameters
    ----------
    path : path-like
        A ``.txt``, ``.html``, ``.htm``, ``.md`` or ``.docx`` file.
    max_bytes : int or None
        Files larger than this are refused before they are read (default 50 MB); ``None`` for no limit.

    Returns
    -------
    RawDocument

    Raises
    ------
    govlab.errors.InputError
        Missing, too large, empty, binary or undecodable files; the message names the file.

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
    if path.is_dir():
        raise InputError("is a folder, not a report file", source=str(path))
    size = _check_size(path, max_bytes)
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1 if max_bytes is not None else -1)
    if max_bytes is not None and len(data) > max_bytes:  # grew while reading
        raise InputError(f"file is over the {max_bytes / 1e6:.1f} MB limit", source=str(path))
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".docx":
        if not data:
            raise InputError("the file is empty", source=str(path))
        text = _read_docx(path)
        if not text.strip():
            raise InputError("the .docx file holds no text", source=str(path))
        return RawDocument(str(path), text, "docx", "text", size, digest)
    kind = "html" if suffix in (".html", ".htm") else "text"
    text, encoding = decode_bytes(data, source=str(path), html=kind == "html")
    if "\r" in text:  # universal newlines, as Python's text mode reads files
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawDocument(str(path), text, encoding, kind, len(data), digest)


def read_manifest(path: str | os.PathLike) -> pd.DataFrame:
    """Read a ``manifest.csv`` describing the reports of a folder.

    Parameters
    ----------
    path : path-like
        The CSV file. Only the ``file`` column is required; the others (``doc_id``, ``title``,
        ``author``, ``venue``, ``published``, ``locality``, ``locality_level``, ``province``, ``script``,
        ``source``, ``doi``, ``noise``) are filled with empty strings when absent.

    Returns
    -------
    pandas.DataFrame
        One row per file, all columns as strings.

    Raises
    ------
    govlab.errors.InputError
        Unreadable CSV, no ``file`` column, empty or duplicated ``file`` / ``doc_id`` values.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        text, _ = decode_bytes(raw, source=str(path))
        import io as _io

        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
    except InputError:
        raise
    except Exception as exc:  # pandas parser errors
        raise InputError(f"cannot parse the manifest as CSV ({exc})", source=str(path)) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    if "file" not in df.columns:
        raise InputError(f"the manifest has no 'file' column (columns found: {list(df.columns)}); "
                         "expected at least 'file'", source=str(path), key="file")
    for col in MANIFEST_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df = df.apply(lambda s: s.str.strip())
    empty = df.index[df["file"] == ""].tolist()
    if empty:
        raise InputError(f"rows {[i + 2 for i in empty]} have an empty 'file' value", source=str(path), key="file")
    dup = df["file"][df["file"].duplicated()].tolist()
    if dup:
        raise InputError(f"files listed twice: {dup}", source=str(path), key="file")
    ids = df["doc_id"][(df["doc_id"] != "") & df["doc_id"].duplicated()].tolist()
    if ids:
        raise InputError(f"doc_id values listed twice: {ids}", source=str(path), key="doc_id")
    return df.reset_index(drop=True)
