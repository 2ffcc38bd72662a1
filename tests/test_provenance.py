"""Every table govlab writes names the govlab version and commit; versions agree; sources by name."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import govlab
from govlab.errors import InputError
from govlab.io import write_csv, write_parquet
from govlab.provenance import PROVENANCE_NAME, commit, read_provenance, version_string, write_provenance

ROOT = Path(__file__).resolve().parents[1]
FRAME = pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]})


def test_every_written_table_gets_an_entry_with_version_commit_and_hash(tmp_path):
    write_csv(FRAME, tmp_path / "t.csv")
    write_parquet(FRAME, tmp_path / "t.parquet")
    rec = json.loads((tmp_path / PROVENANCE_NAME).read_text(encoding="utf-8"))
    assert sorted(rec["tables"]) == ["t.csv", "t.parquet"]
    for name, entry in rec["tables"].items():
        assert entry["govlab_version"] == govlab.__version__
        assert entry["commit"] == commit()
        assert entry["sha256"] == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
    write_csv(FRAME.head(1), tmp_path / "t.csv")  # rewriting replaces the entry
    entry = read_provenance(tmp_path)["tables"]["t.csv"]
    assert entry["sha256"] == hashlib.sha256((tmp_path / "t.csv").read_bytes()).hexdigest()


def test_provenance_is_byte_identical_for_the_same_writes(tmp_path):
    for d in ("a", "b"):
        write_csv(FRAME, tmp_path / d / "t.csv")
        write_provenance(tmp_path / d / "t.csv", inputs=["datasets/examples"])
    a, b = (tmp_path / d / PROVENANCE_NAME for d in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()
    assert read_provenance(tmp_path / "a")["tables"]["t.csv"]["inputs"] == ["datasets/examples"]


def test_folder_form_records_every_file(tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "y.csv").write_text("b\n2\n", encoding="utf-8")
    rec = json.loads(write_provenance(tmp_path).read_text(encoding="utf-8"))
    assert sorted(rec["tables"]) == ["x.csv", "y.csv"]


def test_commit_comes_from_git_in_a_checkout(monkeypatch):
    monkeypatch.delenv("GOVLAB_COMMIT", raising=False)
    if not Path(govlab.__file__).resolve().is_relative_to(ROOT / "src") or not (ROOT / ".git").exists() \
            or shutil.which("git") is None:
        pytest.skip("govlab is not imported from a git checkout here")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert commit() == head
    assert version_string() == f"govlab {govlab.__version__} (commit {head[:12]})"


def test_commit_override_and_bad_provenance_file(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVLAB_COMMIT", "feedface")
    assert commit() == "feedface"
    (tmp_path / PROVENANCE_NAME).write_text("{not json", encoding="utf-8")
    (tmp_path / "t.csv").write_text("a\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(PROVENANCE_NAME)):
        write_provenance(tmp_path / "t.csv")
    with pytest.raises(InputError, match="does not exist"):
        write_provenance(tmp_path / "missing.csv")


def test_versions_agree_and_the_changelog_has_this_release():
    v = govlab.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", v), v
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'attr = "govlab.__version__"' in pyproject
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(v)}$", cff, re.M), "CITATION.cff version differs"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(v)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert "vX.Y.Z" in changelog


def test_site_footers_show_version_and_commit():
    from govlab.site.build import render_index

    html = render_index([])
    assert version_string() in html and "govlab-footer" in html
    template = (ROOT / "src/govlab/site/templates/govlab/index.html.j2").read_text(encoding="utf-8")
    assert "resources.govlab.version" in template


def test_notebooks_cite_sources_by_name_not_unshipped_files():
    """The project does not ship DOMAIN.md, so no notebook may point readers at it."""
    offenders = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "notebooks").rglob("*.py"))
                 if "DOMAIN.md" in p.read_text(encoding="utf-8")]
    assert offenders == []
