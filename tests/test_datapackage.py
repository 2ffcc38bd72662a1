"""datasets/datapackage.json describes every shipped table, and its columns match the files."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from govlab.datapackage import (
    DESCRIPTOR_NAME,
    TABLE_SUFFIXES,
    check,
    data_files,
    describe,
    infer_type,
    load_registry,
    read_columns,
)
from govlab.errors import ConfigError, InputError

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time", "year", "array", "object"}


@pytest.fixture(scope="module")
def descriptor():
    return json.loads((DATASETS / DESCRIPTOR_NAME).read_text(encoding="utf-8"))


def _tables():
    return [p for p in data_files(DATASETS) if p.suffix.lower() in TABLE_SUFFIXES]


def test_descriptor_is_current_and_every_file_and_column_is_described():
    problems = check(DATASETS)
    assert problems == [], "\n".join(problems) + "\n(fix datasets/datapackage.sources.yaml, then run " \
                                                  "`python -m govlab.datapackage`)"


def test_every_shipped_table_is_a_resource_whose_columns_match_the_file(descriptor):
    by_path = {r["path"]: r for r in descriptor["resources"]}
    tables = _tables()
    assert tables, "datasets/ ships tables"
    for path in tables:
        rel = path.relative_to(DATASETS).as_posix()
        assert rel in by_path, f"{rel} is not in datapackage.json"
        res = by_path[rel]
        assert res["profile"] == "tabular-data-resource"
        names = [f["name"] for f in res["schema"]["fields"]]
        if path.suffix == ".parquet":
            actual = list(pd.read_parquet(path).columns)
        else:
            actual = list(pd.read_csv(path, nrows=0, sep="\t" if path.suffix == ".tsv" else ",").columns)
        assert names == actual, f"{rel}: descriptor columns {names} != file columns {actual}"
        assert res["description"] and res["sources"] and res["licenses"]
        assert all(f.get("description") for f in res["schema"]["fields"]), rel


def test_every_resource_points_at_a_real_file_with_its_hash(descriptor):
    import hashlib

    names = [r["name"] for r in descriptor["resources"]]
    assert len(names) == len(set(names))
    for res in descriptor["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", res["name"]), res["name"]
        path = DATASETS / res["path"]
        assert path.is_file(), res["path"]
        assert res["bytes"] == path.stat().st_size
        assert res["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        for f in res.get("schema", {}).get("fields", []):
            assert f["type"] in TYPES, (res["path"], f)


def test_declared_types_hold_for_every_value(descriptor):
    """A column declared integer/number/boolean/date parses as such in pandas (nothing lost)."""
    for res in descriptor["resources"]:
        if res.get("format") != "csv":
            continue
        df = pd.read_csv(DATASETS / res["path"], dtype=str, keep_default_na=False)
        for f in res["schema"]["fields"]:
            vals = df[f["name"]][df[f["name"]] != ""]
            if f["type"] == "integer":
                assert vals.str.fullmatch(r"[+-]?\d+").all(), (res["path"], f["name"])
            elif f["type"] == "number":
                pd.to_numeric(vals)  # raises when a value is not a number
            elif f["type"] == "date":
                pd.to_datetime(vals, format="%Y-%m-%d")


def test_infer_type():
    assert infer_type(["1", "22", "-3"]) == "integer"
    assert infer_type(["1", "2.5", "1e3"]) == "number"
    assert infer_type(["true", "false"]) == "boolean"
    assert infer_type(["2021-08-16", ""]) == "date"
    assert infer_type(["2021-08-16T10:00:00Z"]) == "datetime"
    assert infer_type(["××", "3"]) == "string"  # a masked number keeps the column a string


def _mini(tmp_path, registry: str, files: dict[str, str]) -> Path:
    (tmp_path / "datapackage.sources.yaml").write_text(registry, encoding="utf-8")
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


REG = """package: {name: t, licenses: [{name: MIT}]}
resources:
  - path: a.csv
    description: A table.
    sources: [{title: made up}]
    fields:
      x: {description: the x, unit: persons}
      y: the y
"""


def test_describe_infers_fields_and_merges_registry(tmp_path):
    folder = _mini(tmp_path, REG, {"a.csv": "x,y\n1,甲\n2,乙\n"})
    pkg, problems = describe(folder)
    assert problems == []
    (res,) = pkg["resources"]
    assert res["schema"]["fields"] == [{"name": "x", "type": "integer", "description": "the x", "unit": "persons"},
                                       {"name": "y", "type": "string", "description": "the y"}]
    assert res["licenses"] == [{"name": "MIT"}] and res["encoding"] == "utf-8"


def test_describe_names_every_gap(tmp_path):
    folder = _mini(tmp_path, REG, {"a.csv": "x,z\n1,2\n", "b.csv": "k\n1\n"})
    _, problems = describe(folder)
    text = "\n".join(problems)
    assert "a.csv: column 'z' has no description" in text
    assert "a.csv: registry describes columns not in the file: ['y']" in text
    assert "b.csv: no entry" in text


def test_parquet_columns_and_types(tmp_path):
    from govlab.io import write_parquet

    write_parquet(pd.DataFrame({"doc_id": ["a"], "start": [1], "share": [0.5], "ok": [True]}), tmp_path / "s.parquet")
    cols, n = read_columns(tmp_path / "s.parquet")
    assert cols == [("doc_id", "string"), ("start", "integer"), ("share", "number"), ("ok", "boolean")] and n == 1


def test_bad_inputs_are_named(tmp_path):
    _mini(tmp_path, "resources:\n  - path: a.csv\n    colour: red\n", {})
    with pytest.raises(ConfigError, match=r"resources\[0\].*colour"):
        load_registry(tmp_path)
    (tmp_path / "bad.csv").write_bytes(b"a,b\n1\n")
    with pytest.raises(InputError, match="bad.csv"):
        read_columns(tmp_path / "bad.csv")
    (tmp_path / "gbk.csv").write_bytes("名\n甲\n".encode("gb18030"))
    with pytest.raises(InputError, match="UTF-8"):
        read_columns(tmp_path / "gbk.csv")


def test_stale_descriptor_is_reported(tmp_path):
    from govlab.datapackage import write

    folder = _mini(tmp_path, REG, {"a.csv": "x,y\n1,甲\n"})
    write(folder)
    assert check(folder) == []
    (folder / "a.csv").write_text("x,y\n1,甲\n2,乙\n", encoding="utf-8")
    assert any("stale" in p and "a.csv" in p for p in check(folder))
