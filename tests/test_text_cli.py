"""``govlab text`` subcommands on the fictional examples."""
from __future__ import annotations

import pandas as pd
import pytest

from govlab.cli import main


def test_counts_tokens_kwic(examples_dir, tmp_path, capsys):
    out = tmp_path / "counts.csv"
    assert main(["text", "counts", str(examples_dir), "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert list(df.columns) == ["doc_id", "term", "count"] and "委员工作站" in set(df.term)
    first = out.read_bytes()
    assert main(["text", "counts", str(examples_dir), "--out", str(out)]) == 0
    assert out.read_bytes() == first  # deterministic

    tok = tmp_path / "tokens.csv"
    assert main(["text", "tokens", str(examples_dir), "--out", str(tok), "--lexicon", "none"]) == 0
    assert "委员工作站" not in set(pd.read_csv(tok).token)

    capsys.readouterr()
    assert main(["text", "kwic", str(examples_dir), "委员工作站", "--window", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all("【委员工作站】" in ln for ln in lines)
    kw = tmp_path / "kwic.csv"
    assert main(["text", "kwic", str(examples_dir), "协商议事室", "--out", str(kw)]) == 0
    assert set(pd.read_csv(kw).keyword) == {"协商议事室"}


def test_agreement_and_errors(examples_dir, tmp_path, capsys):
    assert main(["text", "agreement", str(examples_dir)]) == 0
    assert "(all)" in capsys.readouterr().out
    assert main(["text", "counts", str(tmp_path / "missing"), "--out", str(tmp_path / "x.csv")]) == 2
    assert "not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("sub", ["counts", "kwic", "tokens", "agreement"])
def test_every_subcommand_has_help(sub, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["text", sub, "--help"])
    assert exc.value.code == 0
    assert "RAW_DIR" in capsys.readouterr().out
