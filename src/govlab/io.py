"""Small file helpers shared by every module: atomic writes and stable serialisation.

Outputs are written to a temporary file in the same folder and moved into place, so a reader never
sees a half-written file and an interrupted run leaves the previous file intact.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it onto ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("hi")
    >>> (d / "a.txt").read_text()
    'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{short_name(path.name)}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            # mkstemp creates 0600; give the output the ordinary permissions of a new file.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def short_name(name: str, limit: int = 100) -> str:
    """``name`` cut to at most ``limit`` bytes (in the file system's encoding), for temporary names
    built from it: a 250-character file name plus a prefix and suffix would pass the 255-byte limit
    on a file name.

    Examples
    --------
    >>> short_name("a.txt")
    'a.txt'
    >>> len(short_name("委" * 200).encode())
    99
    """
    data = os.fsencode(name)
    if len(data) <= limit:
        return name
    cut = data[:limit]
    while cut:
        try:  # never end in the middle of a multi-byte character
            return cut.decode("utf-8")
        except UnicodeDecodeError:
            cut = cut[:-1]
    return os.fsdecode(data[:limit])  # a name that is not UTF-8: keep its bytes


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically with ``\\n`` line endings."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically, with ``\\n`` line endings and no index."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    _record(path)
    return Path(path)


def write_parquet(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a DataFrame as Parquet atomically and byte-reproducibly (no pandas index, fixed writer)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (UnicodeEncodeError, pa.ArrowException) as exc:
        bad = [c for c in df.columns if df[c].dtype == object
               and df[c].map(lambda v: isinstance(v, str) and not v.isascii() and _has_surrogate(v)).any()]
        detail = f"column(s) {bad} hold lone surrogates (U+D800-U+DFFF), which are not text" if bad else str(exc)
        from govlab.errors import InputError

        raise InputError(f"cannot write the table as Parquet: {detail}", source=str(path)) from None
    # Drop pandas' metadata blob: it carries library versions, which would break byte-identity
    # across environments; column types are kept by the Arrow schema itself.
    table = table.replace_schema_metadata(None)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", use_dictionary=True, write_statistics=False)
    _record(path)
    return Path(path)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _record(path: str | os.PathLike) -> None:
    """Add the written table to ``_provenance.json`` beside it (govlab version and commit)."""
    from govlab.provenance import write_provenance

    write_provenance(path)


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8."""
    return sha256_bytes(text.encode("utf-8"))
