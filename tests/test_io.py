"""Atomic, reproducible writers shared by every module."""
import pandas as pd
import pytest

from govlab.errors import ConfigError, InputError
from govlab.io import atomic_path, sha256_bytes, write_csv, write_parquet, write_text


def test_atomic_path_leaves_old_file_when_writer_fails(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left behind


def test_csv_and_parquet_are_byte_identical_across_writes(tmp_path):
    df = pd.DataFrame({"doc_id": ["a", "b"], "term": ["委员", "协商"], "count": [3, 1]})
    for name, writer in [("t.csv", write_csv), ("t.parquet", write_parquet)]:
        writer(df, tmp_path / f"1{name}")
        writer(df, tmp_path / f"2{name}")
        assert sha256_bytes((tmp_path / f"1{name}").read_bytes()) == sha256_bytes((tmp_path / f"2{name}").read_bytes())
    back = pd.read_parquet(tmp_path / "1t.parquet")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert b"\r\n" not in (tmp_path / "1t.csv").read_bytes()


def test_errors_name_source_and_key():
    err = ConfigError("expected a rate in [0, 1], got 1.5", source="s.yaml", key="levers.compensation.rate")
    assert str(err) == "s.yaml: levers.compensation.rate: expected a rate in [0, 1], got 1.5"
    assert isinstance(err, InputError) and isinstance(err, ValueError)
