"""Building a corpus from a folder of reports, writing it, and reading it back.

``build_corpus`` reads every report in a folder (with its ``manifest.csv`` when there is one),
cleans it, and returns a :class:`Corpus`: the documents table (metadata, encodings, lengths,
checksums), the clean texts, paragraph and sentence spans, the cleaning log and the files that could
not be read. ``write_corpus`` writes it byte-reproducibly; ``read_corpus`` loads it back.
"""
from __future__ import annotations

import os
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govlab.corpus.clean import LOG_COLUMNS, clean_text, log_frame
from govlab.corpus.read import DEFAULT_MAX_BYTES, SUFFIXES, read_document, read_manifest
from govlab.corpus.spans import SPAN_COLUMNS, _text_spans
from govlab.errors import InputError
from govlab.io import sha256_text, write_csv, write_parquet, write_text

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
        ``file``, ``reason``: files that could not be used, and why.
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


def _resolve_manifest(raw_dir: Path, manifest, errors: list) -> pd.DataFrame | None:
    if manifest is False:
        return None
    if isinstance(manifest, pd.DataFrame):
        if "file" not in manifest.columns:
            raise InputError("the manifest DataFrame has no 'file' column", key="file")
        return manifest.fillna("").astype(str)
    path = Path(manifest) if manifest is not None else raw_dir / "manifest.csv"
    if manifest is None and not path.exists():
        return None
    try:
        return read_manifest(path)
    except InputError as exc:
        errors.append({"file": path.name if path.parent == raw_dir else str(path),
                       "reason": f"manifest not used: {exc}"})
        return None


def build_corpus(raw_dir: str | os.PathLike, *, manifest=None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Corpus:
    """Read and clean every report in a folder.

    Parameters
    ----------
    raw_dir : path-like
        Folder of ``.txt``/``.html``/``.htm``/``.md``/``.docx`` reports (not searched recursively).
    manifest : None, path-like, pandas.DataFrame or False
        Report metadata. ``None`` uses ``raw_dir/manifest.csv`` when it exists; ``False`` ignores it.
        Only the ``file`` column is required (see :func:`govlab.corpus.read.read_manifest`). With a
        manifest, exactly the files it lists are read. Without one, every ``.txt``/``.html``/``.htm``/
        ``.md``/``.docx`` file is read except ``README.*`` and names starting with ``.`` or ``_``, with
        ``doc_id`` from the file name and the title from the text.
    max_bytes : int or None
        Size limit per file (default 50 MB); larger files are refused before they are read.

    Returns
    -------
    Corpus
        Bad files (binary, empty, undecodable, too large, listed but missing) and an unusable
        manifest are listed in ``Corpus.errors`` with the reason; the rest is processed.

    Raises
    ------
    govlab.errors.InputError
        When ``raw_dir`` is not a folder.

    Examples
    --------
    >>> from govlab.datasets import dataset_path
    >>> corpus = build_corpus(dataset_path("examples"))
    >>> corpus.documents[["doc_id", "locality_level"]].head(2).values.tolist()  # doctest: +SKIP
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError("not a folder of reports", source=str(raw_dir))
    errors: list[dict] = []
    man = _resolve_manifest(raw_dir, manifest, errors)
    entries: list[tuple[str, dict]] = []  # (file name, metadata)
    if man is not None:
        for _, row in man.iterrows():
            meta = {k: str(v) for k, v in row.items()}
            entries.append((meta["file"], meta))
    if man is None:  # without a manifest: every report file of the folder
        for p in sorted(raw_dir.iterdir(), key=lambda p: p.name):
            if p.name.startswith((".", "_")) or p.stem.upper() == "README":
                continue
            if p.is_file() and p.suffix.lower() in SUFFIXES:
                entries.append((p.name, {"file": p.name}))
    docs, texts, spans, logs = [], {}, [], []
    used_ids: set[str] = set()
    for name, meta in entries:
        path = raw_dir / name
        if not path.exists():
            errors.append({"file": name, "reason": "listed in the manifest but the file is missing"})
            continue
        doc_id = (meta.get("doc_id") or "").strip() or Path(name).stem
        if not _SAFE_ID.match(doc_id) or doc_id in (".", ".."):
            errors.append({"file": name, "reason": f"doc_id {doc_id!r} is not usable as a file name "
                                                   "(letters, digits, - _ . and Chinese characters only)"})
            continue
        if doc_id in used_ids:
            errors.append({"file": name, "reason": f"doc_id {doc_id!r} is already used by another file"})
            continue
        try:
            raw = read_document(path, max_bytes=max_bytes)
        except InputError as exc:
            errors.append({"file": name, "reason": str(exc).removeprefix(f"{path}: ")})
            continue
        used_ids.add(doc_id)
        script_hint = (meta.get("script") or "").strip().lower() or None
        if script_hint not in ("traditional", "simplified"):
            script_hint = None
        res = clean_text(raw.text, script=script_hint, kind="html" if raw.kind == "html" else "auto",
                         title=meta.get("title", ""))
        sp, n_paragraphs, n_sentences = _text_spans(res.text, doc_id)
        title = (meta.get("title") or "").strip() or _title_from_text(res.text) or Path(name).stem
        doc = {c: (meta.get(c) or "").strip() for c in DOCUMENT_COLUMNS if c in meta}
        doc.update({
            "doc_id": doc_id, "file": name, "title": title,
            "published": (meta.get("published") or "").strip(),
            "year": _year(meta.get("published", "")),
            "script": script_hint or res.script,
            "encoding": raw.encoding, "converted": res.converted, "t2s_chars": res.t2s_chars,
            "width_chars": res.width_chars, "raw_bytes": raw.n_bytes, "raw_chars": len(raw.text),
            "clean_chars": len(res.text), "removed_chars": sum(r[5] for r in res.rows),
            "n_edits": len(res.rows), "n_paragraphs": n_paragraphs, "n_sentences": n_sentences,
            "raw_sha256": raw.sha256, "clean_sha256": sha256_text(res.text),
        })
        docs.append(doc)
        texts[doc_id] = res.text
        spans.append(sp)
        logs.append((doc_id, res.rows))
    return _frames(docs, texts, spans, logs, errors)


def write_corpus(corpus: Corpus, out_dir: str | os.PathLike, *, texts: bool = True) -> None:
    """Write a corpus: ``texts/<doc_id>.txt``, ``documents.csv``, ``cleaning_log.csv``,
    ``spans.parquet`` and ``errors.csv``. Writing the same corpus twice gives byte-identical files.

    Parameters
    ----------
    corpus : Corpus
    out_dir : path-like
        Created when missing. Stale ``texts/*.txt`` files of documents no longer in the corpus are
        removed.
    texts : bool
        Write the clean texts (``False`` for outputs that may not carry the reports' text).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if texts:
        tdir = out / "texts"
        tdir.mkdir(exist_ok=True)
        keep = set()
        for doc_id, text in corpus.texts.items():
            write_text(tdir / f"{doc_id}.txt", text)
            keep.add(f"{doc_id}.txt")
        for p in tdir.glob("*.txt"):
            if p.name not in keep:
                p.unlink()
    write_csv(corpus.documents, out / "documents.csv")
    write_csv(corpus.log, out / "cleaning_log.csv")
    write_parquet(corpus.spans.reset_index(drop=True), out / "spans.parquet")
    write_csv(corpus.errors, out / "errors.csv")


def read_corpus(out_dir: str | os.PathLike) -> Corpus:
    """Load a corpus written by :func:`write_corpus` (or ``govlab corpus build``).

    Texts are read from ``texts/`` when present and checked against ``clean_sha256``; a corpus
    written without texts (such as ``datasets/reports``) loads with an empty ``texts`` mapping.

    Raises
    ------
    govlab.errors.InputError
        A missing table, or a text whose checksum differs from the documents table.
    """
    out = Path(out_dir)
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
