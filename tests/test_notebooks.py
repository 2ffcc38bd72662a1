"""The notebook machinery (execute, normalise, pair) and the state of the stored notebooks.

Stored-notebook checks: each ``.ipynb`` has a paired jupytext percent ``.py`` in sync, stored outputs
from a full run with no errors, the ``python3`` kernel, ``govlab.setup()`` first, figures from
govlab's offline renderer, no machine-specific text, and papermill-ready ``parameters`` cells.
Strict output comparison itself is nbval's job (``make test-notebooks``).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from govlab.errors import GovlabError
from govlab.notebooks import (
    DETERMINISTIC_ENV,
    NotebookExecutionError,
    execute_notebook,
    inject_parameters,
    kernel_env,
    normalize_notebook,
    pair_difference,
    plan_targets,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STORED = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IDS = [p.relative_to(NOTEBOOKS).as_posix() for p in STORED]
per_notebook = pytest.mark.parametrize("path", STORED, ids=IDS)
PLOTLY = "application/vnd.plotly.v1+json"


# --------------------------------------------------------------------------- machinery
def test_kernel_env_is_deterministic_and_can_unset():
    env = kernel_env({"PATH": "/bin", "PYTHONHASHSEED": "random", "GOVLAB_CORPUS_DIR": "/c"},
                     unset=["GOVLAB_CORPUS_DIR"])
    assert env["PYTHONHASHSEED"] == "0" and env["TZ"] == "UTC" and env["LC_ALL"] == "C.UTF-8"
    assert "GOVLAB_CORPUS_DIR" not in env and env["PATH"] == "/bin"
    assert set(DETERMINISTIC_ENV) <= set(env)


def test_plan_targets_keeps_layout_under_out():
    plan = plan_targets(["nb/01_a.ipynb", "nb/teaching/t.ipynb", "nb/teaching/solutions/t.ipynb"], "_b")
    assert [t.as_posix() for _, t in plan] == ["_b/01_a.ipynb", "_b/teaching/t.ipynb", "_b/teaching/solutions/t.ipynb"]
    assert plan_targets(["x/a.ipynb"], None) == [(Path("x/a.ipynb"), Path("x/a.ipynb"))]


def test_inject_parameters_goes_after_the_parameters_cell():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import govlab"),
        nbformat.v4.new_code_cell("seed = 1\nyears = 3", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(seed)")])
    out = inject_parameters(nb, {"seed": 7, "name": "甘肃"})
    assert [c.source.splitlines()[0] for c in out.cells] == ["import govlab", "seed = 1", "# Parameters", "print(seed)"]
    assert "seed = 7" in out.cells[2].source and "name = '甘肃'" in out.cells[2].source
    again = inject_parameters(out, {"seed": 8})
    assert sum("injected-parameters" in c.metadata.get("tags", []) for c in again.cells) == 1


def test_normalize_removes_timings_widget_state_and_random_widget_ids():
    view = "application/vnd.jupyter.widget-view+json"
    cell = nbformat.v4.new_code_cell("w", execution_count=1, metadata={"execution": {"iopub.status.idle": "2024"}},
                                     outputs=[nbformat.v4.new_output("display_data", data={
                                         view: {"model_id": "0123456789abcdef0123456789abcdef", "version_major": 2},
                                         "text/plain": "IntSlider(value=3)"})])
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"widgets": {"state": {}}, "kernelspec": {"name": "conda-env-x", "display_name": "x"}})
    a = normalize_notebook(nb, "x.ipynb")
    assert "widgets" not in a.metadata and a.metadata.kernelspec.name == "python3"
    assert "execution" not in a.cells[0].metadata
    new_id = a.cells[0].outputs[0].data[view]["model_id"]
    assert new_id != "0123456789abcdef0123456789abcdef" and len(new_id) == 32
    other = nbformat.reads(nbformat.writes(nb).replace("0123456789abcdef0123456789abcdef", "f" * 32), as_version=4)
    assert normalize_notebook(other, "x.ipynb") == a, "the same notebook gives the same ids whatever the random ones were"


@pytest.fixture
def tiny(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Tiny"),
        nbformat.v4.new_code_cell("import os, pathlib\nprint(pathlib.Path.cwd().name, os.environ['PYTHONHASHSEED'], "
                                  "os.environ['TZ'], 'GOVLAB_CORPUS_DIR' in os.environ)"),
        nbformat.v4.new_code_cell("import govlab\ngovlab.setup()\nimport plotly.graph_objects as go\n"
                                  "go.Figure(go.Bar(x=['甲'], y=[1])).show()"),
        nbformat.v4.new_code_cell("{'b': 2, 'a': 1}"),
    ])
    folder = tmp_path / "nbhome"
    folder.mkdir()
    path = folder / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_execute_runs_in_the_notebook_folder_with_deterministic_env_and_is_byte_stable(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVLAB_CORPUS_DIR", "/somewhere")
    out = tmp_path / "build" / "tiny.ipynb"
    res = execute_notebook(tiny, out, unset_env=["GOVLAB_CORPUS_DIR"])
    assert res.cells == 3 and out.exists() and not tiny.read_text().count("execution_count\": 1")
    nb = nbformat.read(out, as_version=4)
    assert nb.cells[1].outputs[0]["text"] == "nbhome 0 UTC False\n"
    assert PLOTLY in nb.cells[2].outputs[0]["data"]
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2, 3]
    first = out.read_bytes()
    execute_notebook(out, unset_env=["GOVLAB_CORPUS_DIR"])  # in place, from the build folder
    nb2 = nbformat.read(out, as_version=4)
    assert nb2.cells[1].outputs[0]["text"] == "build 0 UTC False\n"
    execute_notebook(tiny, out, unset_env=["GOVLAB_CORPUS_DIR"])
    assert out.read_bytes() == first, "re-running an unchanged notebook gives identical bytes"
    assert b'"execution": {' not in first and b"iopub" not in first


@pytest.mark.slow
def test_a_failing_cell_is_named_with_its_notebook_and_error(tiny):
    nb = nbformat.read(tiny, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("x = 1\nraise ValueError('broken input 坏')"))
    nbformat.write(nb, tiny)
    with pytest.raises(NotebookExecutionError) as err:
        execute_notebook(tiny)
    msg = str(err.value)
    assert "tiny.ipynb" in msg and "cell 2" in msg and "ValueError" in msg and "broken input 坏" in msg
    assert err.value.cell_index == 2
    assert isinstance(err.value, GovlabError)


def test_cli_reports_failure_with_exit_code(tmp_path, capsys):
    from govlab.notebooks import main

    bad = tmp_path / "bad.ipynb"
    bad.write_text("{", encoding="utf-8")
    assert main(["execute", "--inplace", str(bad)]) == 1
    assert "bad.ipynb" in capsys.readouterr().err


def test_pair_difference_detects_a_script_out_of_sync(tmp_path):
    import jupytext

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("x = 1")])
    ipynb = tmp_path / "n.ipynb"
    nbformat.write(nb, ipynb)
    assert "no paired script" in pair_difference(ipynb)
    jupytext.write(nb, tmp_path / "n.py", fmt="py:percent")
    assert pair_difference(ipynb) is None
    text = (tmp_path / "n.py").read_text().replace("x = 1", "x = 2")
    (tmp_path / "n.py").write_text(text)
    assert "cell 1 source differs" in pair_difference(ipynb)


# --------------------------------------------------------------------------- the stored notebooks
def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.skipif(not STORED, reason="no notebooks yet")
@per_notebook
def test_notebook_has_a_paired_percent_script_in_sync(path):
    assert pair_difference(path) is None, pair_difference(path)
    assert path.with_suffix(".py").read_text(encoding="utf-8").lstrip().startswith(("# ---", "# %%")), \
        "the paired script is in jupytext percent format"


@pytest.mark.skipif(not STORED, reason="no notebooks yet")
@per_notebook
def test_notebook_has_stored_outputs_from_a_full_run_and_no_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = _code_cells(nb)
    assert code, "a notebook has code"
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip() and c.execution_count is None]
    assert not unrun, f"cells {unrun} have no stored run (strict nbval would not compare them)"
    counts = [c.execution_count for c in code if c.execution_count is not None]
    assert counts == list(range(1, len(counts) + 1)), "stored from one top-to-bottom run"
    assert any(c.outputs for c in code), "outputs are stored"
    errors = [(i, o.get("ename")) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors, f"error outputs stored: {errors}"
    stderr_tb = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" for o in c.outputs
                 if o.output_type == "stream" and o.name == "stderr" and "Traceback" in o.text]
    assert not stderr_tb, f"tracebacks printed to stderr in cells {stderr_tb}"


@pytest.mark.skipif(not STORED, reason="no notebooks yet")
@per_notebook
def test_notebook_uses_python3_kernel_and_calls_setup_first(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    first = next(c.source for c in _code_cells(nb) if c.source.strip() and
                 "parameters" not in c.metadata.get("tags", []))
    assert "import govlab" in first and "govlab.setup(" in first, "the first code cell runs govlab.setup()"


_CDN = re.compile(r"(cdn\.plot\.ly|cdnjs\.|unpkg\.com|jsdelivr|require\.js|mathjax)", re.I)
_MACHINE = re.compile(r"(/work/|/home/|/root/|/tmp/|/usr/lib/|site-packages|\bat 0x[0-9a-f]+)")


@pytest.mark.skipif(not STORED, reason="no notebooks yet")
@per_notebook
def test_outputs_are_offline_and_machine_independent(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for out in cell.outputs:
            texts = [out.get("text", "")] + [v for k, v in out.get("data", {}).items()
                                             if isinstance(v, str) and k != PLOTLY]
            for text in texts:
                m = _MACHINE.search(text)
                assert not m, f"cell {i}: machine-specific output {m.group(0)!r} (tag the cell nbval-ignore-output?)"
            data = out.get("data", {})
            if PLOTLY in data:
                html = data.get("text/html", "")
                assert re.search(r'id="fig-[0-9a-f]{12}-\d+"', html), f"cell {i}: figure not from govlab's renderer"
            html = data.get("text/html", "")
            assert not re.search(r"<script[^>]+src=", html), f"cell {i}: output loads a script"
            cdn = _CDN.search(html)
            assert not cdn, f"cell {i}: output references a CDN ({cdn.group(0)})"


@pytest.mark.skipif(not STORED, reason="no notebooks yet")
@per_notebook
def test_parameters_cell_is_papermill_ready(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) <= 1, "at most one cell tagged parameters"
    for cell in tagged:
        tree = ast.parse(cell.source)
        for stmt in tree.body:
            assert isinstance(stmt, (ast.Assign, ast.AnnAssign)), \
                f"parameters cell holds only assignments (line {stmt.lineno})"
            value = stmt.value
            ast.literal_eval(value)  # papermill overrides literals; anything else cannot be a parameter


@pytest.mark.skipif(not STORED, reason="no notebooks yet")
def test_notebook_names_are_numbered_and_unique():
    top = [p.name for p in STORED if p.parent == NOTEBOOKS]
    for name in top:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name), name
    assert len({n[:2] for n in top}) == len(top), "one notebook per number"


TEACHING = sorted((NOTEBOOKS / "teaching").glob("*.ipynb"))


@pytest.mark.skipif(not TEACHING, reason="no teaching notebooks yet")
@pytest.mark.parametrize("exercise", TEACHING, ids=[p.name for p in TEACHING])
def test_every_exercise_has_a_solution_that_passes_its_checks(exercise):
    solution = exercise.parent / "solutions" / exercise.name

    def stored_text(path):
        nb = nbformat.read(path, as_version=4)
        return "".join(o.get("text", "") for c in _code_cells(nb) for o in c.outputs)

    assert solution.exists(), f"no solution for {exercise.name} in teaching/solutions/"
    assert "checks pass: well done." in stored_text(solution), "the stored solution passes every check"
    assert "checks pass: keep going." in stored_text(exercise), "the stored exercise is left unsolved"
    assert "✗" not in stored_text(solution)
