"""A Frictionless Data descriptor (``datasets/datapackage.json``) for everything govlab ships.

The descriptor is generated, never hand-edited: column names and types are read from the files
themselves (CSV and Parquet tables), and titles, descriptions, units, provenance and licences come
from the hand-written registry ``datasets/datapackage.sources.yaml``. ``python -m govlab.datapackage``
rewrites the descriptor; ``--check`` exits 1 and lists what is stale or undescribed (a table without
a registry entry, a column without a description, a file whose bytes changed).

Reference: Frictionless Data, Data Package and Table Schema specifications (v1),
https://specs.frictionlessdata.io/ (``tabular-data-resource``, field types ``integer``,
``number``, ``boolean``, ``date``, ``datetime``, ``string``, ``array``, ``object``).
"""
from __future__ import annotations

import argparse
import csv
import fnmatch
import hashlib
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from govlab.errors import ConfigError, InputError

REGISTRY_NAME = "datapackage.sources.yaml"
DESCRIPTOR_NAME = "datapackage.json"
TABLE_SUFFIXES = {".csv": ("csv", "text/csv"), ".tsv": ("tsv", "text/tab-separated-values"),
                  ".parquet": ("parquet", "application/vnd.apache.parquet")}
OTHER_MEDIATYPES = {".yaml": "application/yaml", ".yml": "application/yaml", ".txt": "text/plain",
                    ".html": "text/html", ".htm": "text/html", ".md": "text/markdown", ".json": "application/json"}
SKIP_NAMES = {DESCRIPTOR_NAME, REGISTRY_NAME, "README.md", "_provenance.json"}
SKIP_SUFFIXES = {".py", ".pyc"}

_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^(nan|inf|-inf)$", re.I)
_BOOL = {"true", "false", "True", "False", "TRUE", "FALSE"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


# --------------------------------------------------------------------------- inference
def infer_type(values: Sequence[str]) -> str:
    """Table Schema type of a CSV column from its non-empty string values.

    Examples
    --------
    >>> infer_type(["1", "-2"]), infer_type(["1", "2.5"]), infer_type(["true", "False"])
    ('integer', 'number', 'boolean')
    >>> infer_type(["2021-08-16", "2020-01-01"]), infer_type(["2021", "甘肃"]), infer_type([])
    ('date', 'string', 'string')
    """
    vals = [v for v in values if v != ""]
    if not vals:
        return "string"
    if all(_INT.match(v) for v in vals):
        return "integer"
    if all(_NUM.match(v) for v in vals):
        return "number"
    if all(v in _BOOL for v in vals):
        return "boolean"
    if all(_DATE.match(v) for v in vals):
        return "date"
    if all(_DATETIME.match(v) for v in vals):
        return "datetime"
    return "string"


def _arrow_type(t) -> str:
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_time(t):
        return "time"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return "array"
    if pa.types.is_struct(t) or pa.types.is_map(t):
        return "object"
    return "string"


def read_columns(path: str | Path) -> tuple[list[tuple[str, str]], int]:
    """Column names with inferred Table Schema types, and the number of rows, of a table file.

    Raises
    ------
    InputError
        When the file cannot be read as UTF-8 CSV/TSV or Parquet (naming it).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            meta = pq.read_metadata(path)
            schema = pq.read_schema(path)
        except Exception as exc:
            raise InputError(f"cannot read Parquet: {exc}", source=str(path)) from exc
        return [(f.name, _arrow_type(f.type)) for f in schema], meta.num_rows
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("a shipped table must be UTF-8", source=str(path)) from exc
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ","))
    if not rows or not rows[0]:
        raise InputError("table has no header row", source=str(path))
    header, body = rows[0], rows[1:]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    bad = [i + 2 for i, r in enumerate(body) if len(r) != len(header)]
    if bad:
        raise InputError(f"rows {bad[:5]} have {len(body[bad[0] - 2])} fields, the header has {len(header)}",
                         source=str(path))
    cols = [(name, infer_type([r[i] for r in body])) for i, name in enumerate(header)]
    return cols, len(body)


def sha256_file(path: str | Path) -> str:
    """``sha256:<hex>`` of a file (the Frictionless ``hash`` form)."""
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- registry
def load_registry(folder: str | Path) -> dict:
    """The hand-written registry of ``folder`` (``datapackage.sources.yaml``)."""
    path = Path(folder) / REGISTRY_NAME
    if not path.exists():
        raise InputError("registry of dataset descriptions not found", source=str(path))
    try:
        reg = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", source=str(path)) from exc
    unknown = set(reg) - {"package", "resources"}
    if unknown:
        raise ConfigError(f"unknown top-level keys {sorted(unknown)}; expected package, resources",
                          source=str(path))
    for i, entry in enumerate(reg.get("resources") or []):
        if "path" not in entry:
            raise ConfigError("every resource entry needs a path (a file or a glob)", source=str(path),
                              key=f"resources[{i}]")
        extra = set(entry) - {"path", "name", "title", "description", "sources", "licenses", "fields",
                              "encoding", "primaryKey", "missingValues"}
        if extra:
            raise ConfigError(f"unknown keys {sorted(extra)}", source=str(path), key=f"resources[{i}]")
    return reg


def _entry_for(rel: str, reg: dict) -> dict | None:
    exact = [e for e in reg.get("resources") or [] if e["path"] == rel]
    if exact:
        return exact[0]
    globbed = [e for e in reg.get("resources") or [] if fnmatch.fnmatchcase(rel, e["path"])]
    return globbed[0] if globbed else None


def data_files(folder: str | Path) -> list[Path]:
    """Every shipped data file under ``folder`` (not the descriptor, registry, READMEs or scripts)."""
    folder = Path(folder)
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if not p.is_file() or any(part.startswith(".") for part in rel.parts) or "__pycache__" in rel.parts:
            continue
        if p.name in SKIP_NAMES or p.suffix.lower() in SKIP_SUFFIXES:
            continue
        out.append(p)
    return out


def _resource_name(rel: str) -> str:
    stem = rel.rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower().replace("/", "-")).strip("-")


def describe(folder: str | Path = None) -> tuple[dict, list[str]]:
    """Build the data package descriptor of ``folder`` (default: govlab's ``datasets/``).

    Returns
    -------
    descriptor : dict
        The Frictionless data package.
    problems : list of str
        Files with no registry entry or no description, columns without a description, registry
        entries that match no file, and registry fields that are not columns of their table.
    """
    from govlab.datasets import datasets_dir

    folder = Path(folder) if folder is not None else datasets_dir()
    reg = load_registry(folder)
    pkg = dict(reg.get("package") or {})
    pkg.setdefault("profile", "data-package")
    default_licenses = pkg.get("licenses")
    problems: list[str] = []
    resources = []
    for path in data_files(folder):
        rel = path.relative_to(folder).as_posix()
        entry = _entry_for(rel, reg)
        if entry is None:
            problems.append(f"{rel}: no entry in {REGISTRY_NAME}")
            entry = {}

        suffix = path.suffix.lower()
        res: dict[str, Any] = {"name": entry.get("name") if entry.get("path") == rel and entry.get("name")
                               else _resource_name(rel), "path": rel}
        if entry.get("title"):
            res["title"] = str(entry["title"]).replace("{stem}", path.stem)
        if entry.get("description"):
            res["description"] = " ".join(str(entry["description"]).replace("{stem}", path.stem).split())
        else:
            problems.append(f"{rel}: no description")
        if suffix in TABLE_SUFFIXES:
            fmt, mediatype = TABLE_SUFFIXES[suffix]
            res["profile"] = "tabular-data-resource"
            res["format"], res["mediatype"] = fmt, mediatype
            if fmt != "parquet":
                res["encoding"] = entry.get("encoding", "utf-8")
            cols, nrows = read_columns(path)
            described = entry.get("fields") or {}
            fields = []
            for name, ftype in cols:
                f: dict[str, Any] = {"name": name, "type": ftype}
                info = described.get(name)
                if isinstance(info, str):
                    info = {"description": info}
                info = dict(info or {})
                if info.get("type") and info["type"] != ftype:
                    # the registry may narrow "string" to a richer type only when the data allow it
                    problems.append(f"{rel}: column {name!r} is {ftype} in the file, registry says {info['type']}")
                info.pop("type", None)
                if not info.get("description"):
                    problems.append(f"{rel}: column {name!r} has no description")
                f.update({k: (" ".join(str(v).split()) if k == "description" else v) for k, v in info.items()})
                fields.append(f)
            stray = sorted(set(described) - {c for c, _ in cols})
            if stray:
                problems.append(f"{rel}: registry describes columns not in the file: {stray}")
            schema: dict[str, Any] = {"fields": fields}
            if entry.get("primaryKey"):
                schema["primaryKey"] = entry["primaryKey"]
            schema["missingValues"] = entry.get("missingValues", [""])
            res["schema"] = schema
            res["rows"] = nrows
        else:
            res["format"] = suffix.lstrip(".")
            res["mediatype"] = OTHER_MEDIATYPES.get(suffix, "application/octet-stream")
            if entry.get("encoding"):
                res["encoding"] = entry["encoding"]
        res["bytes"] = path.stat().st_size
        res["hash"] = sha256_file(path)
        if entry.get("sources"):
            res["sources"] = entry["sources"]
        else:
            problems.append(f"{rel}: no sources (provenance)")
        lic = entry.get("licenses") or default_licenses
        if lic:
            res["licenses"] = lic
        else:
            problems.append(f"{rel}: no licence")
        resources.append(res)
    names = [r["name"] for r in resources]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        problems.append(f"duplicate resource names {dups}")
    pkg["resources"] = resources
    return pkg, problems


def unused_entries(folder: str | Path | None = None) -> list[str]:
    """Registry entries that match no shipped file yet (described ahead of the data; not an error)."""
    from govlab.datasets import datasets_dir

    folder = Path(folder) if folder is not None else datasets_dir()
    reg = load_registry(folder)
    rels = [p.relative_to(folder).as_posix() for p in data_files(folder)]
    return [e["path"] for e in reg.get("resources") or []
            if not any(_entry_for(r, reg) is e for r in rels)]


def render(descriptor: dict) -> str:
    """The descriptor as stable JSON text (UTF-8, sorted keys at package level kept in order)."""
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def write(folder: str | Path | None = None) -> tuple[Path, list[str]]:
    """Regenerate ``datapackage.json`` in ``folder``; returns its path and the problems found."""
    from govlab.datasets import datasets_dir
    from govlab.io import write_text

    folder = Path(folder) if folder is not None else datasets_dir()
    descriptor, problems = describe(folder)
    path = write_text(folder / DESCRIPTOR_NAME, render(descriptor))
    return path, problems


def check(folder: str | Path | None = None) -> list[str]:
    """Problems with the descriptor on disk: everything :func:`describe` finds, plus staleness."""
    from govlab.datasets import datasets_dir

    folder = Path(folder) if folder is not None else datasets_dir()
    descriptor, problems = describe(folder)
    path = folder / DESCRIPTOR_NAME
    if not path.exists():
        return problems + [f"{DESCRIPTOR_NAME} missing: run `python -m govlab.datapackage`"]
    if path.read_text(encoding="utf-8") != render(descriptor):
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        old = {r["path"]: r for r in on_disk.get("resources", [])}
        new = {r["path"]: r for r in descriptor["resources"]}
        stale = sorted(p for p in set(old) | set(new) if old.get(p) != new.get(p))
        problems.append(f"{DESCRIPTOR_NAME} is stale for {stale or ['package metadata']}: "
                        "run `python -m govlab.datapackage`")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govlab.datapackage",
                                     description="Write or check datasets/datapackage.json (Frictionless Data).")
    parser.add_argument("folder", nargs="?", help="datasets folder (default: govlab's datasets/)")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale or undescribed")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.folder)
        else:
            path, problems = write(args.folder)
            print(f"wrote {path}")
    except (InputError, ConfigError) as exc:
        print(f"govlab.datapackage: error: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    for entry in unused_entries(args.folder):
        print(f"note: registry entry {entry!r} matches no file yet")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
