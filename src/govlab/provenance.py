"""Which govlab wrote a table: version and git commit in a ``_provenance.json`` beside it.

Every table govlab writes through :mod:`govlab.io` (``write_csv``, ``write_parquet``) gets an entry
in the ``_provenance.json`` of its folder: the file's name, its sha256, the govlab version and
commit that wrote it, and the inputs the caller names. The file holds no time stamp, so the same
inputs and the same commit give byte-identical output.

The commit is read, in order, from ``$GOVLAB_COMMIT``; from git when govlab runs from a checkout;
from ``govlab/_commit.txt``, written into the wheel at build time by ``setup.py``; else it is
``"unknown"``.

Examples
--------
>>> import json, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "t.csv").write_text("a\\n1\\n")
>>> p = write_provenance(d / "t.csv", inputs=["reports/"])
>>> entry = json.loads(p.read_text())["tables"]["t.csv"]
>>> entry["govlab_version"] == version() and entry["inputs"]
['reports/']
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

PROVENANCE_NAME = "_provenance.json"
UNKNOWN = "unknown"


def version() -> str:
    """govlab's version (``govlab.__version__``).

    Examples
    --------
    >>> import govlab
    >>> version() == govlab.__version__
    True
    """
    from govlab import __version__

    return __version__


@functools.lru_cache(maxsize=1)
def _commit_cached() -> str:
    pkg = Path(__file__).resolve().parent
    root = pkg.parents[1]
    if (root / ".git").exists():
        try:
            out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                 timeout=10, check=True).stdout.strip()
            if len(out) == 40:
                return out
        except (OSError, subprocess.SubprocessError):
            pass
    baked = pkg / "_commit.txt"
    if baked.is_file():
        text = baked.read_text(encoding="utf-8").strip()
        if text:
            return text
    return UNKNOWN


def commit() -> str:
    """The git commit govlab runs from (40 hex digits), or ``"unknown"``.

    Returns
    -------
    str
        ``$GOVLAB_COMMIT`` when set; else ``git rev-parse HEAD`` of the source checkout govlab was
        imported from; else the commit written into the wheel at build time; else ``"unknown"``.

    Examples
    --------
    >>> c = commit()
    >>> c == "unknown" or len(c) >= 7
    True
    """
    env = os.environ.get("GOVLAB_COMMIT", "").strip()
    return env or _commit_cached()


def version_string() -> str:
    """``"govlab X.Y.Z (commit abcdef123456)"``, as shown in the site's footer.

    Examples
    --------
    >>> version_string().startswith("govlab ")
    True
    """
    c = commit()
    return f"govlab {version()} (commit {c[:12] if c != UNKNOWN else c})"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Serialise read-modify-write of one folder's provenance file between processes (POSIX)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def read_provenance(folder: str | os.PathLike) -> dict:
    """The ``_provenance.json`` of ``folder`` (an empty record when there is none).

    Examples
    --------
    >>> import tempfile
    >>> read_provenance(tempfile.mkdtemp())["tables"]
    {}
    """
    path = Path(folder) / PROVENANCE_NAME
    if not path.is_file():
        return {"tables": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        from govlab.errors import InputError

        raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno}); delete it to start afresh",
                         source=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        from govlab.errors import InputError

        raise InputError("expected an object with a 'tables' object", source=str(path))
    return data


def write_provenance(folder_or_file: str | os.PathLike, inputs: Iterable[str | os.PathLike] | None = None) -> Path:
    """Record govlab's version and commit for a written table, in ``_provenance.json`` beside it.

    Parameters
    ----------
    folder_or_file : str or path-like
        A table govlab has just written (its entry is added or replaced, with its sha256), or a
        folder (every file in it except the provenance file itself is recorded).
    inputs : iterable of str or path-like, optional
        What the table was made from (files, folders, names), stored as given, in order.

    Returns
    -------
    pathlib.Path
        The ``_provenance.json`` written (atomically; keys sorted, no time stamp).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("x\\n1\\n"); _ = (d / "b.csv").write_text("y\\n2\\n")
    >>> rec = json.loads(write_provenance(d).read_text())
    >>> sorted(rec["tables"]), sorted(rec["tables"]["a.csv"])
    (['a.csv', 'b.csv'], ['commit', 'govlab_version', 'inputs', 'sha256'])
    """
    from govlab.io import write_text

    target = Path(folder_or_file)
    if target.is_dir():
        folder = target
        files = sorted(p for p in target.iterdir()
                       if p.is_file() and p.name != PROVENANCE_NAME and not p.name.startswith("."))
    else:
        folder = target.parent
        files = [target]
    listed = [os.fspath(i) if not isinstance(i, str) else i for i in (inputs or [])]
    listed = [Path(i).as_posix() if "\\" in i else i for i in listed]
    stamp = {"govlab_version": version(), "commit": commit(), "inputs": listed}
    for f in files:
        if not f.is_file():
            from govlab.errors import InputError

            raise InputError("cannot record provenance of a file that does not exist", source=str(f))
    with _folder_lock(folder):
        record = read_provenance(folder)
        for f in files:
            record["tables"][f.name] = {**stamp, "sha256": _sha256_file(f)}
        record["about"] = ("Which govlab (version, git commit) wrote each table in this folder, from which "
                           "inputs; sha256 is the table's hash when written.")
        record["tables"] = dict(sorted(record["tables"].items()))
        return write_text(folder / PROVENANCE_NAME, json.dumps(record, ensure_ascii=False, indent=1,
                                                               sort_keys=True) + "\n")
