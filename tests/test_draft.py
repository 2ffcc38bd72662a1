"""A locality drafted from a report: every value names its source; the draft validates, builds and
runs a baseline year; bad or figure-less reports give a clear message."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from govlab.cli import main
from govlab.errors import InputError
from govlab.network import load_locality_config, synthesize
from govlab.network.config import config_provenance
from govlab.network.draft import draft_from_text, draft_locality, provenance_of, write_draft
from govlab.network.targets import check_structure_targets

EXAMPLE = "ex-qingxi-workstations"


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    d = draft_locality(EXAMPLE)
    path = write_draft(d, tmp_path_factory.mktemp("draft") / "draft.yaml")
    return d, path


def test_every_drafted_value_names_its_source(drafted):
    d, path = drafted
    prov = dict(provenance_of(d.config))
    assert "missing" not in prov.values(), prov
    assert prov["platforms[0].count"] == "report" and prov["units.levels[0].count"] == "report"
    assert prov["units.population"] == "assumption"
    # each report value points at the number in the cleaned text: its offsets hold that number
    text = d.figures  # the extracted figures carry the same offsets
    for row in d.used.itertuples():
        hit = text[(text["start"] == row.start) & (text["end"] == row.end)]
        assert len(hit) == 1 and hit.iloc[0]["counted"] == row.counted
    facts = [p["count"]["fact"] for p in d.config["platforms"]]
    assert facts[0].startswith("extracted figure 6 个 委员工作站 at chars ")
    # the config loader agrees: every figure is either from the report or an assumption
    cfg = load_locality_config(path)
    status = config_provenance(cfg, only_sourced=True)
    assert set(status.loc[status["doc_id"].notna(), "doc_id"]) == {EXAMPLE}


def test_draft_validates_builds_and_runs_a_baseline_year(drafted):
    from govlab.scenarios import run_scenario

    _, path = drafted
    loc = synthesize(load_locality_config(path), seed=0)
    chk = check_structure_targets(loc)
    assert len(chk) == 3 and chk["ok"].all()
    assert main(["network", "check", str(path)]) == 0
    res = run_scenario({"locality": str(path), "years": 1, "replicates": 1, "start_year": 2023})
    ev = res.metrics.query("metric == 'events'")["value"]
    assert len(ev) == 1 and ev.iloc[0] > 0


def test_cli_draft_writes_a_checkable_config(tmp_path, capsys):
    out = tmp_path / "d.yaml"
    assert main(["network", "draft", EXAMPLE, "--out", str(out)]) == 0
    assert "values from figures of ex-qingxi-workstations" in capsys.readouterr().out
    assert (tmp_path / "_common.yaml").exists()
    assert main(["network", "check", str(out)]) == 0


def test_masked_numbers_become_marked_priors():
    d = draft_locality("ex-qingxi-survey")
    vill = d.config["units"]["levels"][1]["count"]
    assert vill["assumption"] and vill["masked"] and "masks this number" in vill["note"]


def test_figure_less_and_bad_reports_give_clear_messages(tmp_path):
    with pytest.raises(InputError, match=r"ex-chengguan-notes: no figure the draft can use.*counts of townships"):
        draft_locality("ex-chengguan-notes")
    with pytest.raises(InputError, match=r"nope: no such file, and no document with this id"):
        draft_locality("nope")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty.txt"):
        draft_locality(empty)
    english = tmp_path / "english.txt"
    english.write_text("No Chinese text at all, only 12 stations.\n", encoding="utf-8")
    with pytest.raises(InputError, match="english"):
        draft_locality(english)
    with pytest.raises(InputError, match="unknown level"):
        draft_from_text("（虚构）全县建成委员工作站6个。", "x", level="village")
    assert main(["network", "draft", "ex-chengguan-notes", "--out", str(tmp_path / "x.yaml")]) != 0
    assert not (tmp_path / "x.yaml").exists()


def test_a_report_file_outside_any_manifest(tmp_path):
    f = tmp_path / "my-report.txt"
    f.write_text("（虚构）全区共有8个街道、96个社区，已建成协商议事室96个。\n", encoding="utf-8")
    d = draft_locality(f)
    assert d.config["doc_id"] == "my-report"
    rooms = [p for p in d.config["platforms"] if p["type"] == "consultation_room"]
    assert rooms and rooms[0]["count"]["value"] == 96


def _corpus_dir() -> Path | None:
    d = os.environ.get("GOVLAB_CORPUS_DIR")
    return Path(d) if d and (Path(d) / "manifest.csv").exists() else None


@pytest.mark.skipif(_corpus_dir() is None, reason="GOVLAB_CORPUS_DIR not set: the real reports are not shipped")
def test_draft_from_a_real_report(tmp_path):
    d = draft_locality("shangyou-620")
    path = write_draft(d, tmp_path / "shangyou.yaml")
    chk = check_structure_targets(synthesize(load_locality_config(path), seed=0))
    assert chk["ok"].all() and "missing" not in dict(provenance_of(d.config)).values()
