"""The ``govlab network`` commands."""
from __future__ import annotations

import pandas as pd

from govlab.cli import main


def test_build_writes_reproducible_tables(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["network", "build", "shangyou-620", "--seed", "3", "--out", str(a)]) == 0
    assert main(["network", "build", "shangyou-620", "--seed", "3", "--out", str(b)]) == 0
    files = sorted(p.name for p in a.iterdir())
    assert "units.parquet" in files and "targets.csv" in files and "provenance.csv" in files
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    units = pd.read_parquet(a / "units.parquet")
    assert (units["level"] == "township").sum() == 16
    assert pd.read_csv(a / "targets.csv")["ok"].all()


def test_build_csv_with_overrides(tmp_path):
    out = tmp_path / "g"
    assert main(["network", "build", "gansu-extension", "--seed", "1", "--scale", "0.06", "--format", "csv",
                 "--set", "sinking.share=0.97", "--out", str(out)]) == 0
    assert (out / "members.csv").exists()


def test_measures_and_check(tmp_path, capsys):
    f = tmp_path / "m.csv"
    assert main(["network", "measures", "xx-city-districts", "--seed", "2", "--permutations", "3",
                 "--betweenness-k", "8", "--out", str(f), "--all-dir", str(tmp_path / "all")]) == 0
    m = pd.read_csv(f)
    assert set(m.columns) == {"locality", "family", "measure", "group", "value"}
    assert (tmp_path / "all" / "brokerage.csv").exists()
    assert main(["network", "check", "xx-city-districts", "--seed", "2"]) == 0
    assert "ok " in capsys.readouterr().out
    # a config whose figures cannot hold: fewer supervised streets than groups
    assert main(["network", "check", "xx-city-districts", "--set", "ties.supervision.streets=7"]) == 1


def test_bad_config_is_a_clean_error(capsys):
    assert main(["network", "check", "atlantis"]) == 2
    assert "no such locality config" in capsys.readouterr().err
