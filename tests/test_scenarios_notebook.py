"""notebooks/06_scenarios.ipynb runs under papermill with non-default parameters."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06_scenarios.ipynb"

PARAMETERS = {
    "locality": "xx-city-districts",
    "locality_seed": 1,
    "seed": 99,
    "replicates": 2,
    "years": 2,
    "start_year": 2020,
    "compensation": 0.5,
    "lists": 0.0,
    "follow_up": 1.0,
    "share_in_season": 0.2,
    "deputies": 0.0,
    "online_rooms": False,
    "little_localities": ["xx-city-districts"],
    "little_replicates": 2,
}


@pytest.mark.slow
@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebook not built")
def test_notebook_runs_under_papermill_with_other_parameters(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    monkeypatch.delenv("GOVLAB_CORPUS_DIR", raising=False)
    out = tmp_path / "06_scenarios.out.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters=PARAMETERS, kernel_name="python3",
                               cwd=str(NOTEBOOK.parent), progress_bar=False, log_output=False)
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "xx-city-districts" in injected[0].source
    # the run really used the new parameters: the lever comparison has only the levers switched on
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "compensation" in text and "online rooms" not in text
