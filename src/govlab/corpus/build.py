"""Building a corpus from a folder of reports, writing it, and reading it back.

``build_corpus`` reads every report in a folder and its subfolders (or the files its ``manifest.csv``
lists), cleans it, and returns a :class:`Corpus`: the documents table (metadata, encodings, lengths,
checksums), the clean texts, paragraph and sentence spans, the cleaning log and the files that could
not be used. One bad file never stops a build: every file that is not read, and every manifest
fault, is a row of ``Corpus.errors`` with its reason (notes that lose nothing start with
``warning:``).

``write_corpus`` writes a corpus byte-reproducibly and whole or not at all: into a temporary folder
beside the target, with a completeness marker (:data:`COMPLETE_MARKER`, the checksums of every file)
written last, then swapped in for the old folder. ``read_corpus`` refuses a folder without a valid
marker, so a half-written folder is never read as a corpus.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govlab.corpus.clean import LOG_COLUMNS, clean_text, log_frame
from govlab.corpus.read import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_UNZIPPED_BYTES,
    SUFFIXES,
    _stat,
    check_manifest_rows,
    display_path,
    fix_surrogates,
    read_document,
    read_manifest,
    special_kind,
)
from govlab.corpus.spans import SPAN_COLUMNS, _text_spans
from govlab.errors import InputError
from govlab.io import sha256_bytes, sha256_text, short_name, write_csv, write_parquet

DOCUMENT_COLUMNS = [
    "doc_id", "file", "title", "author", "venue", "published", "year", "locality", "locality_level",
    "province", "script", "source", "doi", "noise", "encoding", "converted", "t2s_chars", "width_chars",
    "raw_bytes", "raw_chars", "clean_chars", "removed_chars", "n_edits", "n_paragraphs", "n_sentences",
    "raw_sha256", "clean_sha256",
]
CORPUS_LOG_COLUMNS = ["doc_id"] + LOG_COLUMNS
ERROR_COLUMNS = ["file", "reason"]
_INT_COLUMNS = ["t2s_chars", "width_chars", "raw_bytes", "raw_chars", "clean_chars", "removed_chars",
                "n_edits", "n_paragraphs", "n_sentences"]
_STR_COLUMNS = [c for c in DOCUMENT_COLUMNS if c not in _INT_COLUMNS + ["year", "converted"]]
_SAFE_ID = re.compile(r"^[\w\-.()（）\u3400-\u9fff]+$")
_UNSAFE_CHAR = re.compile(r"[^\w\-.()（）\u3400-\u9fff]")
#: Longest ``doc_id`` in UTF-8 bytes (``texts/<doc_id>.txt`` must fit the 255-byte name limit).
MAX_ID_BYTES = 150
#: The completeness marker: written last by :func:`write_corpus`, checked by :func:`read_corpus`.
COMPLETE_MARKER = ".govlab-complete.json"
#: What a corpus folder holds; anything else in an output folder is carried over on a rebuild.
#: Provenance of the tables (:mod:`govlab.provenance`), written beside them. It is the corpus's own
#: (never carried over from an old folder), but not in the marker: every flow that writes a table
#: into the folder later (codes.csv, ...) adds its entry to it.
PROVENANCE_NAME = "_provenance.json"
CORPUS_ENTRIES = ("texts", "documents.csv", "cleaning_log.csv", "spans.parquet", "errors.csv", PROVENANCE_NAME,
                  COMPLETE_MARKER)
#: Prefix of the reasons in ``Corpus.errors`` that lose nothing (the file was read).
WARNING_PREFIX = "warning: "


@dataclass(frozen=True, eq=False)
class Corpus:
    """A cleaned corpus.

    Attributes
    ----------
    documents : pandas.DataFrame
        One row per document, sorted by ``doc_id``; the document variables (``locality``,
        ``locality_level``, ``province``, ``published``, ``year`` ...) travel with it. See
        :data:`DOCUMENT_COLUMNS`. ``raw_sha256`` is the sha256 of the raw file's bytes,
        ``clean_sha256`` that of the clean text in UTF-8 (the bytes of ``texts/<doc_id>.txt``).
    texts : Mapping[str, str]
        ``doc_id`` to clean text (simplified script, one paragraph per line).
    spans : pandas.DataFrame
        ``doc_id``, ``kind`` (``"paragraph"``/``"sentence"``), ``index``, ``start``, ``end``: offsets
        into the clean text.
    log : pandas.DataFrame
        The cleaning log: ``doc_id``, ``step``, ``rule``, ``raw_start``, ``raw_end``, ``length``,
        ``replaced_by``, ``dropped_chars``. Offsets are into the raw *decoded* text of the file
        (``read_document(path).text``: the decoded file with universal newlines);
        ``raw[raw_start:raw_end]`` is the block that was removed (``replaced_by == 0``) or replaced.
    errors : pandas.DataFrame
        ``file``, ``reason``: files that could not be used, and why; manifest faults; and notes that
        lose nothing, whose reason starts with ``warning:`` (a file listed twice and read once,
        replaced lone surrogates, an unknown manifest column). See :func:`error_counts`.
    """

    documents: pd.DataFrame
    texts: Mapping[str, str]
    spans: pd.DataFrame
    log: pd.DataFrame
    errors: pd.DataFrame

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return (f"Corpus({len(self.documents)} documents, {sum(len(t) for t in self.texts.values())} clean "
                f"characters, {len(self.log)} log rows, {len(self.errors)} errors)")


def _year(published: str):
    m = re.search(r"(19|20)\d{2}", published or "")
    return int(m.group(0)) if m else pd.NA


def _title_from_text(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 80 else line[:80]
    return ""


def _frames(docs: list[dict], texts: dict, spans: list, logs: list, errors: list) -> Corpus:
    documents = pd.DataFrame(docs, columns=DOCUMENT_COLUMNS)
    if len(documents):
        documents = documents.sort_values("doc_id", kind="stable").reset_index(drop=True)
    for c in _INT_COLUMNS:
        documents[c] = documents[c].astype("int64")
    documents["year"] = documents["year"].astype("Int64")
    documents["converted"] = documents["converted"].astype(bool)
    for c in _STR_COLUMNS:
        documents[c] = documents[c].astype(object).fillna("").astype(str)
    order = {d: i for i, d in enumerate(documents["doc_id"])}
    spans_df = pd.concat(spans, ignore_index=True) if spans else pd.DataFrame(columns=SPAN_COLUMNS)
    log_df = log_frame([r for _, rows in logs for r in rows], [d for d, rows in logs for _ in rows])
    if len(spans_df):
        spans_df = spans_df.assign(_o=spans_df["doc_id"].map(order)).sort_values(
            ["_o", "kind", "index"], kind="stable").drop(columns="_o").reset_index(drop=True)
    if len(log_df):
        log_df = log_df.assign(_o=log_df["doc_id"].map(order)).sort_values(
            ["_o"], kind="stable").drop(columns="_o").reset_index(drop=True)
    for df, cols in ((spans_df, ["index", "start", "end"]),
                     (log_df, ["raw_start", "raw_end", "length", "replaced_by", "dropped_chars"])):
        for c in cols:
            df[c] = df[c].astype("int64")
    errors_df = pd.DataFrame(errors, columns=ERROR_COLUMNS).sort_values("file", kind="stable").reset_index(drop=True)
    texts = {d: texts[d] for d in documents["doc_id"]}
    return Corpus(documents=documents, texts=types.MappingProxyType(texts), spans=spans_df[SPAN_COLUMNS],
                  log=log_df[CORPUS_LOG_COLUMNS], errors=errors_df)


def error_counts(errors: pd.DataFrame) -> tuple[int, int]:
    """``(failed, warnings)``: rows of a corpus's ``errors`` table that lost something (a file or a
    manifest row not used) and notes that lost nothing (reasons starting with ``warning:``).

    Examples
    --------
    >>> import pandas as pd
    >>> error_counts(pd.DataFrame({"file": ["a.pdf", "b.txt"], "reason": ["no text layer", "warning: x"]}))
    (1, 1)
    """
    warn = errors["reason"].astype(str).str.startswith(WARNING_PREFIX) if len(errors) else pd.Series([], dtype=bool)
    return int((~warn).sum()), int(warn.sum())


def derive_doc_id(rel: str) -> str:
    """The ``doc_id`` of a report without one in the manifest, from its path relative to the folder.

    The file name without its suffix, with the subfolders in front joined by ``__``. Names that are not
    usable as a file name (characters other than letters, digits, ``- _ . ( )`` and Chinese
    characters, bytes that are not UTF-8, more than :data:`MAX_ID_BYTES` bytes) get those characters
    replaced by ``_`` and a short hash of the path, so that ids stay unique.

    Examples
    --------
    >>> derive_doc_id("城关镇小结.txt")
    '城关镇小结'
    >>> derive_doc_id("2023/county/report.pdf")
    '2023__county__report'
    >>> derive_doc_id("a b.txt")
    'a_b-cd6c4a05'
    """
    parts = rel.split("/")
    base = "__".join(parts[:-1] + [os.path.splitext(parts[-1])[0] or parts[-1]])
    if usable_doc_id(base):
        return base
    safe = _UNSAFE_CHAR.sub("_", base)
    safe = short_name(safe, MAX_ID_BYTES - 10).strip(".") or "doc"
    return f"{safe}-{hashlib.sha256(os.fsencode(rel)).hexdigest()[:8]}"


def usable_doc_id(doc_id: str) -> bool:
    """Whether ``doc_id`` can name ``texts/<doc_id>.txt`` on any system.

    Examples
    --------
    >>> usable_doc_id("qingxi-2023"), usable_doc_id("../x"), usable_doc_id("a" * 200)
    (True, False, False)
    """
    return (bool(_SAFE_ID.match(doc_id)) and doc_id not in (".", "..")
            and len(doc_id.encode("utf-8", "surrogatepass")) <= MAX_ID_BYTES)


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class _Entry:
    rel: str  # relative POSIX path (file names as Python reads them: surrogateescape)
    path: Path
    key: tuple[int, int]  # (st_dev, st_ino) of the file it names
    link: bool


def _scan(root: Path, root_real: str, follow_links: bool, skip_top: set[str]):
    """Every regular file under ``root`` (not names starting with ``.`` or ``_``, not ``README.*``,
    not corpus folders), and a problem for every special file, broken link, link loop, link out of
    the folder and unreadable folder met on the way."""
    entries: list[_Entry] = []
    problems: dict[str, dict] = {}
    seen_dirs = {(os.stat(root).st_dev, os.stat(root).st_ino)}
    stack = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            rel = "/".join(parts) or "."
            problems[rel] = _problem(rel, f"folder cannot be read ({exc.strerror}): its files are not read")
            continue
        subdirs = []
        for name in names:
            if name.startswith((".", "_")) or (not parts and name in skip_top):
                continue
            path = folder / name
            rel = "/".join((*parts, name))
            try:
                lst = os.lstat(path)
            except OSError as exc:
                problems[rel] = _problem(rel, f"cannot be read ({exc.strerror})")
                continue
            link = stat.S_ISLNK(lst.st_mode)
            if link:
                try:
                    st = _stat(path)
                except InputError as exc:
                    problems[rel] = _problem(rel, str(exc).removeprefix(f"{path}: ") + ": not read")
                    continue
                target = os.path.realpath(path)
                if not _within(target, root_real) and not follow_links:
                    problems[rel] = _problem(rel, f"symbolic link to {display_path(target)}, outside the folder: "
                                                  "not read (pass --follow-links / follow_links=True to read it)")
                    continue
            else:
                st = lst
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in seen_dirs:
                    if link:
                        problems[rel] = _problem(rel, "link to a folder that is read already (or a link loop): "
                                                      "its files are read once", warning=True)
                    continue
                if os.path.exists(path / COMPLETE_MARKER):
                    problems[rel] = _problem(rel, "a corpus folder written by 'govlab corpus build', not reports: "
                                                  "skipped", warning=True)
                    continue
                if link and _within(os.path.realpath(path), root_real):
                    problems[rel] = _problem(rel, "link to a folder inside the folder: its files are read from "
                                                  "there", warning=True)
                    continue
                seen_dirs.add((st.st_dev, st.st_ino))
                subdirs.append((path, (*parts, name)))
                continue
            kind = special_kind(st.st_mode)
            if kind:
                problems[rel] = _problem(rel, f"is {kind}, not a regular file: refused without reading it")
                continue
            if os.path.splitext(name)[0].upper() == "README":
                continue
            entries.append(_Entry(rel, path, (st.st_dev, st.st_ino), link))
        stack.extend(reversed(subdirs))
    return entries, problems


def _problem(file: str, reason: str, *, warning: bool = False) -> dict:
    return {"file": display_path(file), "reason": (WARNING_PREFIX if warning else "") + reason}


def _resolve_manifest(raw_dir: Path, manifest, errors: list) -> tuple[pd.DataFrame | None, str]:
    if manifest is False:
        return None, ""
    if isinstance(manifest, pd.DataFrame):
        if "file" not in [str(c).strip().lower() for c in manifest.columns]:
            raise InputError("the manifest DataFrame has no 'file' column", key="file")
        df, found = check_manifest_rows(manifest.fillna("").astype(str), "manifest")
        for f in found:
            errors.append({"file": display_path(f["file"]),
                           "reason": (WARNING_PREFIX if f["level"] == "warning" else "") + f["reason"]})
        return df, "manifest"
    path = Path(manifest) if manifest is not None else raw_dir / "manifest.csv"
    if manifest is None and not os.path.lexists(path):
        return None, ""
    name = path.name if path.parent == raw_dir else str(path)
    found: list[dict] = []
    try:
        df = read_manifest(path, problems=found)
    except InputError as exc:
        errors.append({"file": display_path(name),
                       "reason": f"manifest not used: {str(exc).removeprefix(f'{path}: ')}; every report file "
                                 "of the folder is read instead, with metadata from file names"})
        return None, name
    for f in found:
        errors.append({"file": display_path(f["file"]),
                       "reason": (WARNING_PREFIX if f["level"] == "warning" else "") + f["reason"]})
    return df, name


def _pause_for_tests(n_done: int) -> None:
    """Test hook: with ``GOVLAB_TEST_PAUSE_AFTER=N:SECONDS`` a write sleeps after its N-th file,
    so that a test can kill it half-way."""
    spec = os.environ.get("GOVLAB_TEST_PAUSE_AFTER")
    if spec:
        n, _, seconds = spec.partition(":")
        if n_done == int(n):
            time.sleep(float(seconds or 30))


def build_corpus(raw_dir: str | os.PathLike, *, manifest=None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                 max_unzipped_bytes: int | None = DEFAULT_MAX_UNZIPPED_BYTES, follow_links: bool = False) -> Corpus:
    """Read and clean every report in a folder and its subfolders.

    Parameters
    ----------
    raw_dir : path-like
        Folder of ``.txt``/``.html``/``.htm``/``.md``/``.docx``/``.pdf``/``.rtf``/``.doc`` reports,
        searched with its subfolders (names starting with ``.`` or ``_`` are skipped).
    manifest : None, path-like, pandas.DataFrame or False
        Report metadata. ``None`` uses ``raw_dir/manifest.csv`` when it exists; ``False`` ignores it.
        Only the ``file`` column is required (see :func:`govlab.corpus.read.read_manifest`). With a
        manifest, exactly the files it lists are read (paths relative to ``raw_dir``, never outside
        it), and files of the folder it does not list are reported. Without one, every report file
        is read except ``README.*``, with ``doc_id`` from the path (:func:`derive_doc_id`) and the
        title from the text.
    max_bytes : int or None
        Size limit per file (default 50 MB); larger files are refused before they are read.
    max_unzipped_bytes : int or None
        Limit on the decompressed size of a ``.docx`` (default 200 MB), checked before decompressing.
    follow_links : bool
        Read symbolic links that point outside ``raw_dir`` (refused by default).

    Returns
    -------
    Corpus
        Every file that is not used (binary, empty, undecodable, too large, special, unreadable,
        listed but missing, outside the folder, a PDF without text ...) and every manifest fault is
        a row of ``Corpus.errors`` with the reason; the rest is processed.

    Raises
    ------
    govlab.errors.InputError
        When ``raw_dir`` is not a folder, or is a corpus folder rather than a folder of reports.

    Examples
    --------
    >>> from govlab.datasets import dataset_path
    >>> corpus = build_corpus(dataset_path("examples"))
    >>> len(corpus), len(corpus.errors)
    (6, 0)
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError("not a folder of reports", source=str(raw_dir))
    if (raw_dir / COMPLETE_MARKER).exists():
        raise InputError("is a corpus folder written by 'govlab corpus build', not a folder of reports",
                         source=str(raw_dir))
    root_real = os.path.realpath(raw_dir)
    errors: list[dict] = []
    man, man_name = _resolve_manifest(raw_dir, manifest, errors)
    skip_top = {"manifest.csv"} | ({man_name} if man_name and "/" not in man_name else set())
    scanned, scan_problems = _scan(raw_dir, root_real, follow_links, skip_top)
    # (display name, path, doc_id or "", metadata)
    todo: list[tuple[str, Path, str, dict]] = []
    if man is not None:
        given = {str(v) for v in man["doc_id"] if str(v)} if "doc_id" in man.columns else set()
        used_keys: dict[tuple[int, int], str] = {}
        listed: set[str] = set()
        for line, row in man.iterrows():
            meta = {k: str(v) for k, v in row.items()}
            rel = meta["file"]
            where = f"{man_name} line {line}"
            listed.add(rel)
            scan_problems.pop(rel, None)
            path = raw_dir / rel
            shown = display_path(rel)
            target = os.path.realpath(path)
            if os.path.lexists(path) and not _within(target, root_real) and not follow_links:
                errors.append({"file": shown, "reason": f"{where}: the path leads (through a symbolic link) to "
                               f"{display_path(target)}, outside the folder: not read (pass --follow-links / "
                               "follow_links=True to read it)"})
                continue
            try:
                st = _stat(path)
            except InputError as exc:
                why = str(exc).removeprefix(f"{path}: ")
                if why == "file not found":
                    near = _closest(rel, [e.rel for e in scanned if e.rel not in man["file"].values])
                    why = "listed but the file is missing" + (f" (did you mean {display_path(near)!r}?)" if near else "")
                errors.append({"file": shown, "reason": f"{where}: {why}: not read"})
                continue
            kind = special_kind(st.st_mode)
            if kind:
                errors.append({"file": shown, "reason": f"{where}: is {kind}, not a regular file: refused "
                                                        "without reading it"})
                continue
            key = (st.st_dev, st.st_ino)
            if key in used_keys:
                errors.append({"file": shown, "reason": f"{WARNING_PREFIX}{where}: names the same file as "
                               f"{used_keys[key]} (a link or another spelling): read once"})
                continue
            used_keys[key] = f"{where} ({shown!r})"
            doc_id = (meta.get("doc_id") or "").strip()
            if doc_id and not usable_doc_id(doc_id):
                errors.append({"file": shown, "reason": f"{where}: doc_id {doc_id!r} is not usable as a file name "
                               f"(letters, digits, - _ . and Chinese characters only, at most {MAX_ID_BYTES} "
                               "bytes): not read"})
                continue
            todo.append((shown, path, doc_id, meta))
        for e in scanned:
            if e.key not in used_keys and e.rel not in listed:
                errors.append(_problem(e.rel, f"in the folder but not listed in {man_name}: not read (add a row "
                                              "for it, or move it out of the folder)"))
    else:
        given = set()
        keep: dict[tuple[int, int], _Entry] = {}
        for e in sorted(scanned, key=lambda e: (e.link, e.rel)):
            if e.key in keep:
                errors.append(_problem(e.rel, f"the same file as {display_path(keep[e.key].rel)!r} (a link or "
                                              "hard link): read once", warning=True))
            else:
                keep[e.key] = e
        for e in scanned:
            if keep.get(e.key) is not e:
                continue
            if os.path.splitext(e.rel)[1].lower() not in SUFFIXES:
                ext = os.path.splitext(e.rel)[1] or "no suffix"
                errors.append(_problem(e.rel, f"not a report file type ({ext}; govlab reads "
                                              f"{', '.join(SUFFIXES)}): not read"))
                continue
            todo.append((display_path(e.rel), e.path, "", {"file": e.rel}))
    errors.extend(scan_problems.values())
    docs, texts, spans, logs = [], {}, [], []
    used_ids: set[str] = set()
    for shown, path, doc_id, meta in todo:
        if not doc_id:
            doc_id = derive_doc_id(meta["file"])
            if doc_id in used_ids or doc_id in given:
                new = f"{short_name(doc_id, MAX_ID_BYTES - 10)}-{hashlib.sha256(os.fsencode(meta['file'])).hexdigest()[:8]}"
                errors.append({"file": shown, "reason": f"{WARNING_PREFIX}doc_id {doc_id!r} is taken by another "
                                                        f"file: this one is {new!r}"})
                doc_id = new
        try:
            doc, text, sp, rows, notes = _process(path, shown, doc_id, meta, max_bytes, max_unzipped_bytes)
        except InputError as exc:
            errors.append({"file": shown, "reason": str(exc).removeprefix(f"{display_path(path)}: ")})
            continue
        except Exception as exc:  # one file never stops the build
            errors.append({"file": shown, "reason": f"could not be processed ({type(exc).__name__}: {exc})"})
            continue
        errors.extend({"file": shown, "reason": WARNING_PREFIX + n} for n in notes)
        used_ids.add(doc_id)
        docs.append(doc)
        texts[doc_id] = text
        spans.append(sp)
        logs.append((doc_id, rows))
    return _frames(docs, texts, spans, logs, errors)


def _closest(rel: str, candidates: list[str]) -> str | None:
    import difflib

    near = difflib.get_close_matches(rel, candidates, n=1, cutoff=0.6)
    return near[0] if near else None


def _process(path: Path, shown: str, doc_id: str, meta: dict, max_bytes, max_unzipped_bytes):
    raw = read_document(path, max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)
    notes = []
    script_hint = (meta.get("script") or "").strip().lower() or None
    if script_hint not in ("traditional", "simplified"):
        script_hint = None
    res = clean_text(raw.text, script=script_hint, kind="html" if raw.kind == "html" else "auto",
                     title=meta.get("title", ""))
    text, n_fixed = fix_surrogates(res.text)
    if not text.strip():
        raise InputError(f"nothing is left after cleaning ({len(raw.text)} characters read, all of them removed as "
                         "noise: see the rules in govlab.corpus.clean)", source=display_path(path))
    if n_fixed:
        notes.append(f"{n_fixed} lone surrogate code point{'s' if n_fixed > 1 else ''} (U+D800-U+DFFF, from "
                     "escapes such as \\\\ud800) replaced by U+FFFD in the clean text")
    sp, n_paragraphs, n_sentences = _text_spans(text, doc_id)
    name = meta["file"]
    title = (meta.get("title") or "").strip() or _title_from_text(text) or os.path.splitext(shown.rsplit("/", 1)[-1])[0]
    doc = {c: (meta.get(c) or "").strip() for c in DOCUMENT_COLUMNS if c in meta}
    doc.update({
        "doc_id": doc_id, "file": display_path(name), "title": title,
        "published": (meta.get("published") or "").strip(),
        "year": _year(meta.get("published", "")),
        "script": script_hint or res.script,
        "encoding": raw.encoding, "converted": res.converted, "t2s_chars": res.t2s_chars,
        "width_chars": res.width_chars, "raw_bytes": raw.n_bytes, "raw_chars": len(raw.text),
        "clean_chars": len(text), "removed_chars": sum(r[5] for r in res.rows),
        "n_edits": len(res.rows), "n_paragraphs": n_paragraphs, "n_sentences": n_sentences,
        "raw_sha256": raw.sha256, "clean_sha256": sha256_text(text),
    })
    return doc, text, sp, res.rows, notes


def _target_state(out: Path) -> str:
    if not os.path.lexists(out):
        return "absent"
    if not out.is_dir():
        raise InputError("exists and is not a folder: give a folder for the corpus", source=str(out))
    names = os.listdir(out)
    if not names:
        return "empty"
    visible = {n for n in names if not n.startswith(".")}
    if COMPLETE_MARKER in names or "documents.csv" in names or visible <= set(CORPUS_ENTRIES):
        return "corpus"  # an earlier corpus (or only hidden files such as .DS_Store): swapped, others kept
    shown = ", ".join(sorted(display_path(n) for n in names)[:5])
    raise InputError(f"exists and holds files that are not a corpus ({shown}{' ...' if len(names) > 5 else ''}): "
                     "write the corpus to a new or empty folder (a rebuild replaces the folder as a whole)",
                     source=str(out))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_leftovers(parent: Path, name: str) -> None:
    """Clear what earlier writes to ``name`` left when their process was killed.

    A write swaps folders with two renames (old corpus aside, new corpus in). A kill between the two
    leaves no ``name`` but a complete old corpus aside: that one is put back first. Then every
    temporary folder of a dead process is removed.
    """
    pattern = re.compile(re.escape(f".{short_name(name)}.govlab-") + r"(tmp|old)-(\d+)-")
    leftovers = sorted((m.group(1), other) for other in os.listdir(parent)
                       if (m := pattern.match(other)) and not _alive(int(m.group(2))))
    target = parent / name
    for kind, other in leftovers:
        if kind == "old" and not os.path.lexists(target) and is_corpus(parent / other):
            os.rename(parent / other, target)
    for _, other in leftovers:
        if (parent / other).exists():
            shutil.rmtree(parent / other, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def _carry_over(old: Path, new: Path) -> None:
    """Files of the old output folder that are not the corpus's own (other flows' tables) go into
    the new folder too (hard links where possible)."""
    for name in sorted(os.listdir(old)):
        if name in CORPUS_ENTRIES:
            continue
        src, dst = old / name, new / name
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        elif src.is_dir():
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(src), str(dst))


def _carry_provenance(old: Path, new: Path) -> None:
    """Keep the provenance entries of the other flows' tables carried over from the old folder (the
    corpus's own entries were just written anew)."""
    from govlab.provenance import read_provenance

    before = read_provenance(old)["tables"]
    kept = {name: entry for name, entry in before.items() if name not in CORPUS_ENTRIES and (new / name).exists()}
    if not kept:
        return
    record = read_provenance(new)
    record["tables"] = dict(sorted({**kept, **record["tables"]}.items()))
    record.setdefault("about", "")
    (new / PROVENANCE_NAME).write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")


def _write_file(path: Path, data: bytes, digests: dict, rel: str) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
    digests[rel] = sha256_bytes(data)


def write_corpus(corpus: Corpus, out_dir: str | os.PathLike, *, texts: bool = True) -> None:
    """Write a corpus: ``texts/<doc_id>.txt``, ``documents.csv``, ``cleaning_log.csv``,
    ``spans.parquet``, ``errors.csv`` and the completeness marker :data:`COMPLETE_MARKER`. Writing
    the same corpus twice gives byte-identical files.

    The corpus is written whole or not at all: into a temporary folder beside ``out_dir``, the marker
    (sha256 of every file) last, then swapped in for the old folder with two renames (old
    aside, new in) and the old one deleted. A write that is killed leaves the old folder as it was;
    a kill between the two renames leaves the old corpus aside, and the next write puts it back
    before it starts. Readers never see a half-written folder: they require the marker. Files in an old corpus
    folder that are not the corpus's own (tables of other flows) are kept.

    Parameters
    ----------
    corpus : Corpus
    out_dir : path-like
        A new folder, an empty one or an earlier corpus folder (created when missing).
    texts : bool
        Write the clean texts (``False`` for outputs that may not carry the reports' text).

    Raises
    ------
    govlab.errors.InputError
        ``out_dir`` is a file, or a folder holding files that are not a corpus.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from govlab.datasets import dataset_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "corpus"
    >>> write_corpus(build_corpus(dataset_path("examples")), out)
    >>> sorted(p.name for p in out.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['.govlab-complete.json', '_provenance.json', 'cleaning_log.csv', 'documents.csv', 'errors.csv', 'spans.parquet', 'texts']
    """
    out = Path(os.path.realpath(out_dir))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out.parent, out.name)  # may put back an old corpus a killed write left aside
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror})", source=str(out)) from None
    state = _target_state(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{short_name(out.name)}.govlab-tmp-{os.getpid()}-", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        digests: dict[str, str] = {}
        n_done = 0
        if texts:
            (tmp / "texts").mkdir()
            for doc_id, text in corpus.texts.items():
                _write_file(tmp / "texts" / f"{doc_id}.txt", text.encode("utf-8"), digests, f"texts/{doc_id}.txt")
                n_done += 1
                _pause_for_tests(n_done)
        for name, df in (("documents.csv", corpus.documents), ("cleaning_log.csv", corpus.log),
                         ("errors.csv", corpus.errors)):
            write_csv(df, tmp / name)
            digests[name] = sha256_bytes((tmp / name).read_bytes())
            n_done += 1
            _pause_for_tests(n_done)
        write_parquet(corpus.spans.reset_index(drop=True), tmp / "spans.parquet")
        digests["spans.parquet"] = sha256_bytes((tmp / "spans.parquet").read_bytes())
        if state == "corpus":
            _carry_over(out, tmp)
            _carry_provenance(out, tmp)
        marker = {"format": "govlab corpus", "version": 1, "documents": len(corpus.documents),
                  "files": dict(sorted(digests.items()))}
        _write_file(tmp / COMPLETE_MARKER, (json.dumps(marker, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
                    {}, COMPLETE_MARKER)
        if state == "absent":
            os.rename(tmp, out)
        elif state == "empty":
            with contextlib.suppress(OSError):
                os.rmdir(out)
            os.rename(tmp, out)
        else:
            old = out.parent / f".{short_name(out.name)}.govlab-old-{os.getpid()}-{tmp.name[-8:]}"
            os.rename(out, old)
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write the corpus ({exc.strerror or exc}); the old folder, if any, is "
                             "unchanged", source=str(out)) from exc
        raise


def is_corpus(folder: str | os.PathLike) -> bool:
    """Whether ``folder`` holds a completely written corpus (its :data:`COMPLETE_MARKER`)."""
    return (Path(folder) / COMPLETE_MARKER).is_file()


def load_corpus(folder: str | os.PathLike, **build_options) -> Corpus:
    """A corpus from a corpus folder (:func:`read_corpus`) or from a folder of reports
    (:func:`build_corpus`), for commands that take either.

    Raises
    ------
    govlab.errors.InputError
        A folder that is neither (no marker, no report in it), an incomplete corpus folder, or a
        folder none of whose reports could be read (the message gives the first reasons).

    Examples
    --------
    >>> import tempfile
    >>> load_corpus(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govlab.errors.InputError: ...: neither a corpus folder (no .govlab-complete.json, no documents.csv) nor a folder of reports (no report file in it or its subfolders)
    """
    p = Path(folder)
    if not p.is_dir():
        raise InputError("not a folder", source=str(p))
    if is_corpus(p) or any(os.path.lexists(p / n) for n in ("documents.csv", "cleaning_log.csv", "spans.parquet")):
        return read_corpus(p)
    corpus = build_corpus(p, **build_options)
    if not len(corpus.documents):
        failed, _ = error_counts(corpus.errors)
        if not failed:
            raise InputError(f"neither a corpus folder (no {COMPLETE_MARKER}, no documents.csv) nor a folder of "
                             "reports (no report file in it or its subfolders)", source=str(p))
        first = "; ".join(f"{r.file}: {r.reason}" for r in corpus.errors.head(3).itertuples())
        raise InputError(f"no report could be read ({failed} files not used: {first}"
                         f"{' ...' if failed > 3 else ''})", source=str(p))
    return corpus


def _check_marker(out: Path) -> dict[str, str]:
    """The files and checksums a corpus folder's marker lists, after checking each of them."""
    marker = out / COMPLETE_MARKER
    if not marker.is_file():
        if (out / "documents.csv").exists():
            raise InputError(f"an incomplete corpus: no {COMPLETE_MARKER}, the marker 'govlab corpus build' writes "
                             "last (a build that was interrupted, or a corpus written by an older govlab): "
                             "build it again", source=str(out))
        raise InputError(f"not a corpus written by 'govlab corpus build' (no {COMPLETE_MARKER}, missing "
                         "documents.csv)", source=str(out))
    try:
        info = json.loads(marker.read_bytes().decode("utf-8"))
        files = dict(info["files"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InputError("the completeness marker is not valid JSON with a 'files' table: build the corpus "
                         "again", source=str(marker)) from None
    for rel, digest in files.items():
        p = out / rel
        if not p.is_file():
            raise InputError(f"missing, although {COMPLETE_MARKER} lists it: the folder was changed after the "
                             "build; build it again", source=str(p))
        if sha256_bytes(p.read_bytes()) != digest:
            raise InputError(f"differs from its checksum in {COMPLETE_MARKER}: the file was changed after the "
                             "build; build it again", source=str(p))
    return files


def read_corpus(out_dir: str | os.PathLike, *, check_complete: bool = True) -> Corpus:
    """Load a corpus written by :func:`write_corpus` (or ``govlab corpus build``).

    The folder must hold the completeness marker :data:`COMPLETE_MARKER`, and every file it lists
    must have the checksum it records: a half-written folder (an interrupted build) or a changed
    one is refused. Texts are read from ``texts/`` when present and checked against
    ``clean_sha256``; a corpus written without texts loads with an empty ``texts`` mapping.

    Parameters
    ----------
    out_dir : path-like
    check_complete : bool
        Require and check the marker (default). ``False`` reads a folder written by an older govlab,
        at the user's risk.

    Raises
    ------
    govlab.errors.InputError
        No marker, a file that differs from the marker, a missing table, or a text whose checksum
        differs from the documents table.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError("not a folder", source=str(out))
    if check_complete:
        _check_marker(out)
    for name in ("documents.csv", "cleaning_log.csv", "spans.parquet"):
        if not (out / name).exists():
            raise InputError(f"missing {name}: not a corpus written by 'govlab corpus build'", source=str(out))
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    missing = set(DOCUMENT_COLUMNS) - set(documents.columns)
    if missing:
        raise InputError(f"documents.csv lacks columns {sorted(missing)}", source=str(out / "documents.csv"))
    for c in _INT_COLUMNS:
        documents[c] = documents[c].astype("int64")
    documents["year"] = pd.to_numeric(documents["year"].replace("", pd.NA)).astype("Int64")
    documents["converted"] = documents["converted"].map({"True": True, "False": False}).astype(bool)
    log = pd.read_csv(out / "cleaning_log.csv", dtype={"doc_id": str, "step": str, "rule": str},
                      keep_default_na=False)
    spans = pd.read_parquet(out / "spans.parquet")
    errors = (pd.read_csv(out / "errors.csv", dtype=str, keep_default_na=False)
              if (out / "errors.csv").exists() else pd.DataFrame(columns=ERROR_COLUMNS))
    texts: dict[str, str] = {}
    tdir = out / "texts"
    if tdir.is_dir():
        for doc_id, digest in zip(documents["doc_id"], documents["clean_sha256"]):
            p = tdir / f"{doc_id}.txt"
            if not p.exists():
                raise InputError("clean text missing", source=str(p))
            t = p.read_bytes().decode("utf-8")
            if sha256_text(t) != digest:
                raise InputError("clean text differs from its clean_sha256 in documents.csv", source=str(p))
            texts[doc_id] = t
    return Corpus(documents=documents, texts=types.MappingProxyType(texts), spans=spans, log=log, errors=errors)
