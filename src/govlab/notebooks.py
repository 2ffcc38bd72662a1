"""Execute, normalise and check govlab's notebooks.

``python -m govlab.notebooks execute [--inplace | --out DIR] NB...`` runs notebooks with nbclient in
the current Python environment (kernel ``python3`` started from this interpreter, whatever
kernelspecs are installed), with the deterministic environment variables govlab's Makefile sets,
each with its own folder as working directory. An error stops with a message naming the notebook,
the cell and the exception. Outputs are normalised so that re-running an unchanged notebook gives a
byte-identical file (no timing metadata, no widget state, widget model ids renumbered), which makes
``make refresh`` followed by ``git diff`` a reproducibility check.

``python -m govlab.notebooks sync [NB...]`` pairs and synchronises each notebook with its jupytext
percent script (``NN_name.py`` beside ``NN_name.ipynb``); ``check`` reports pairs that differ.

Reference: ../shared/research/notebooks.md, sections 2 and 4.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import multiprocessing
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from govlab.errors import GovlabError, InputError

#: Environment every notebook kernel runs with (the Makefile exports the same values).
DETERMINISTIC_ENV = {
    "PYTHONHASHSEED": "0",
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
    "PYTHONUTF8": "1",
    "MPLBACKEND": "Agg",
}

#: Kernelspec written into every executed notebook.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

JUPYTEXT_FORMAT = "py:percent"


class NotebookExecutionError(GovlabError):
    """A notebook cell raised: names the notebook, the cell number and the exception."""

    def __init__(self, notebook: str, cell_index: int | None, source: str, error: str):
        self.notebook = notebook
        self.cell_index = cell_index
        first = source.strip().splitlines()[0] if source.strip() else ""
        where = f"cell {cell_index}" if cell_index is not None else "kernel"
        super().__init__(f"{notebook}: {where} ({first[:80]!r}) failed:\n{error}")


@dataclass(frozen=True)
class ExecutionResult:
    """One executed notebook: where it came from, where it went, how long it took."""

    source: str
    target: str
    seconds: float
    cells: int


# --------------------------------------------------------------------------- kernel in this env
def _kernel_manager():
    """A kernel manager that starts ipykernel from *this* interpreter, named ``python3``."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager

    class _CurrentEnvSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):  # noqa: D102 - jupyter_client API
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name=KERNELSPEC["display_name"], language="python", name="python3",
                resource_dir="",
            )

    return KernelManager(kernel_name="python3", kernel_spec_manager=_CurrentEnvSpecs())


def kernel_env(base: dict | None = None, unset: Iterable[str] = ()) -> dict:
    """The environment for a notebook kernel: ``base`` (default ``os.environ``) plus the
    deterministic variables, minus ``unset``.

    Examples
    --------
    >>> env = kernel_env({"HOME": "/h", "GOVLAB_CORPUS_DIR": "/c"}, unset=["GOVLAB_CORPUS_DIR"])
    >>> env["PYTHONHASHSEED"], "GOVLAB_CORPUS_DIR" in env
    ('0', False)
    """
    env = dict(os.environ if base is None else base)
    env.update(DETERMINISTIC_ENV)
    for name in unset:
        env.pop(name, None)
    return env


# --------------------------------------------------------------------------- normalisation
_MODEL_ID = re.compile(r"\b[0-9a-f]{32}\b")


def normalize_notebook(nb, name: str = "notebook"):
    """Make an executed notebook byte-stable across runs (returns a new notebook).

    Removes per-cell timing metadata (``execution``), papermill timing, stored widget state and
    trailing kernel noise, sets the ``python3`` kernelspec, and renumbers ipywidgets model ids
    (random UUIDs) in order of appearance, derived from ``name``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.
    name : str
        A stable name (the notebook's file name) that seeds the renumbered widget ids.

    Returns
    -------
    nbformat.NotebookNode
    """
    import nbformat

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    pm = nb.metadata.get("papermill")
    if isinstance(pm, dict):
        for key in ("start_time", "end_time", "duration", "exception", "input_path", "output_path",
                    "environment_variables", "version"):
            pm.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cm_pm = cell.metadata.get("papermill")
        if isinstance(cm_pm, dict):
            for key in ("start_time", "end_time", "duration", "exception", "status"):
                cm_pm.pop(key, None)
            if not cm_pm:
                cell.metadata.pop("papermill")
    # widget model ids: only rewrite ids that appear as widget-view model ids
    ids: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if isinstance(view, dict) and view.get("model_id") and view["model_id"] not in ids:
                ids.append(view["model_id"])
    if ids:
        text = nbformat.writes(nb)
        for i, old in enumerate(ids):
            new = hashlib.sha1(f"{name}:{i}".encode()).hexdigest()[:32]
            text = text.replace(old, new)
        nb = nbformat.reads(text, as_version=4)
    return nb


def write_notebook(nb, path: str | os.PathLike) -> Path:
    """Write a notebook atomically in nbformat's canonical JSON (trailing newline)."""
    import nbformat

    from govlab.io import write_text

    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    write_text(path, text)
    path.chmod(mode)
    return path


# --------------------------------------------------------------------------- execution
class KernelStartError(GovlabError):
    """A notebook kernel cannot start here (for example the loopback interface is down)."""


def check_loopback(timeout: float = 2.0) -> None:
    """Check that a TCP connection to 127.0.0.1 works, as Jupyter kernels need.

    A kernel and the process that runs the notebook talk over local TCP sockets (ZeroMQ on
    127.0.0.1). Without a working loopback interface (a sandbox with ``lo`` down, a network
    namespace without it) the kernel never answers and jupyter_client gives up after 60 s with
    a bare ``RuntimeError``; this check says what is wrong at once.

    Raises
    ------
    KernelStartError
        Naming 127.0.0.1 and the system's error.

    Examples
    --------
    >>> check_loopback()  # silent where 127.0.0.1 works
    """
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
            srv.bind(("127.0.0.1", 0))
            srv.listen(1)
            with socket.create_connection(srv.getsockname(), timeout=timeout):
                pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise KernelStartError(
            f"cannot execute notebooks: TCP connections to 127.0.0.1 fail ({why}). Jupyter kernels talk to "
            "the executor over the loopback interface; bring it up (`ip link set lo up`) or run where it "
            "works") from None


def execute_notebook(source: str | os.PathLike, target: str | os.PathLike | None = None, *,
                     timeout: int = 600, unset_env: Sequence[str] = (),
                     parameters: dict | None = None) -> ExecutionResult:
    """Execute one notebook in the current environment and write the result.

    Parameters
    ----------
    source : path
        The notebook to run. Its folder is the working directory of the kernel.
    target : path, optional
        Where to write the executed notebook; default: overwrite ``source``.
    timeout : int
        Seconds allowed per cell.
    unset_env : sequence of str
        Environment variables removed for the kernel (``make refresh`` removes
        ``GOVLAB_CORPUS_DIR`` so stored outputs come from the shipped data).
    parameters : dict, optional
        papermill-style parameters: inserted as an ``injected-parameters`` cell after the cell
        tagged ``parameters``.

    Returns
    -------
    ExecutionResult

    Raises
    ------
    NotebookExecutionError
        Naming the notebook, the cell and the exception, when a cell fails.
    KernelStartError
        When no kernel can start (loopback interface down), at once rather than after 60 s.
    InputError
        When the notebook cannot be read.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    source = Path(source)
    target = Path(target) if target is not None else source
    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types
        raise InputError(f"cannot read notebook: {exc}", source=str(source)) from exc
    if parameters:
        nb = inject_parameters(nb, parameters)
    for cell in nb.cells:  # start clean so that stale outputs never survive
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    check_loopback()
    client = NotebookClient(nb, km=_kernel_manager(), timeout=timeout, allow_errors=False,
                            record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(source.parent.resolve())}})
    start = time.perf_counter()
    try:
        client.execute(env=kernel_env(unset=unset_env), cwd=str(source.parent.resolve()),
                       stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        index, src = _failing_cell(nb)
        raise NotebookExecutionError(str(source), index, src, _short_error(exc)) from None
    except DeadKernelError as exc:
        raise NotebookExecutionError(str(source), None, "", f"kernel died: {exc}") from None
    except RuntimeError as exc:  # jupyter_client: "Kernel didn't respond in 60 seconds", ...
        if "kernel" not in str(exc).lower():
            raise
        raise KernelStartError(f"{source}: the notebook kernel did not start: {exc}") from None
    seconds = time.perf_counter() - start
    nb = normalize_notebook(nb, name=source.name)
    write_notebook(nb, target)
    return ExecutionResult(str(source), str(target), seconds, sum(c.cell_type == "code" for c in nb.cells))


def _failing_cell(nb) -> tuple[int | None, str]:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, cell.source
    return None, ""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _short_error(exc: Exception) -> str:
    text = _ANSI.sub("", str(exc))
    # nbclient repeats the whole cell source then the traceback; keep the traceback's tail
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[-25:])


def inject_parameters(nb, parameters: dict):
    """Insert a papermill-style ``injected-parameters`` cell after the cell tagged ``parameters``
    (or first, when there is none). Values are written as Python literals.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("n = 1", metadata={"tags": ["parameters"]})])
    >>> inject_parameters(nb, {"n": 2}).cells[1].source
    '# Parameters\\nn = 2'
    """
    import nbformat

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    lines = ["# Parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    cell["id"] = "injected-parameters"
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(at, cell)
    return nb


def plan_targets(notebooks: Sequence[str | os.PathLike], out: str | os.PathLike | None,
                 root: str | os.PathLike | None = None) -> list[tuple[Path, Path]]:
    """Pair each notebook with the path it is written to.

    With ``out`` given, a notebook keeps its path relative to ``root`` (default: the deepest
    folder containing every notebook), so ``notebooks/teaching/x.ipynb`` goes to
    ``OUT/teaching/x.ipynb``. Without ``out`` a notebook is rewritten in place.

    Examples
    --------
    >>> [str(t) for _, t in plan_targets(["nb/a.ipynb", "nb/t/b.ipynb"], "_build")]
    ['_build/a.ipynb', '_build/t/b.ipynb']
    """
    paths = [Path(p) for p in notebooks]
    if out is None:
        return [(p, p) for p in paths]
    if root is None:
        parents = [p.resolve().parent for p in paths]
        root = Path(os.path.commonpath(parents)) if parents else Path(".")
    root = Path(root).resolve()
    return [(p, Path(out) / p.resolve().relative_to(root)) for p in paths]


def _run_one(args):
    src, dst, timeout, unset = args
    try:
        return execute_notebook(src, dst, timeout=timeout, unset_env=unset), None
    except GovlabError as exc:
        return None, str(exc)


def execute_many(notebooks: Sequence[str | os.PathLike], out: str | os.PathLike | None = None, *,
                 jobs: int = 1, timeout: int = 600, unset_env: Sequence[str] = (),
                 log=print) -> list[ExecutionResult]:
    """Execute several notebooks (``jobs`` at a time); every notebook is tried, then the first
    failure is raised.

    Raises
    ------
    GovlabError
        Listing every notebook that failed, each with its cell and exception.
    """
    plan = plan_targets(notebooks, out)
    if plan:
        check_loopback()  # one clear error rather than one per notebook
    work = [(str(s), str(d), timeout, tuple(unset_env)) for s, d in plan]
    results, failures = [], []
    if jobs > 1 and len(work) > 1:
        # spawn, not fork: a parent that has run a kernel holds zmq/asyncio threads, and forking it
        # can deadlock the workers
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            outcomes = list(pool.map(_run_one, work))
    else:
        outcomes = []
        for item in work:
            outcomes.append(_run_one(item))
            res, err = outcomes[-1]
            if log and res:
                log(f"executed {res.source} -> {res.target} ({res.seconds:.1f} s)")
    for (res, err), item in zip(outcomes, work):
        if err:
            failures.append(err)
            if log:
                log(f"FAILED {item[0]}")
        else:
            results.append(res)
            if log and jobs > 1:
                log(f"executed {res.source} -> {res.target} ({res.seconds:.1f} s)")
    if failures:
        raise GovlabError(f"{len(failures)} of {len(work)} notebooks failed:\n\n" + "\n\n".join(failures))
    return results


# --------------------------------------------------------------------------- jupytext pairing
def paired_script(notebook: str | os.PathLike) -> Path:
    """The jupytext percent script paired with a notebook (same folder, same stem, ``.py``)."""
    return Path(notebook).with_suffix(".py")


def sync_notebook(path: str | os.PathLike) -> None:
    """Pair (``ipynb,py:percent``) and synchronise one notebook or script with jupytext.

    The newer of the two files wins for the inputs; outputs stay in the ``.ipynb``.
    """
    from jupytext.cli import jupytext as jupytext_cli

    path = Path(path)
    ipynb = path.with_suffix(".ipynb")
    py = path.with_suffix(".py")
    if not ipynb.exists() and py.exists():
        jupytext_cli(["--quiet", "--to", "ipynb", str(py)])
        return
    if ipynb.exists() and not py.exists():
        jupytext_cli(["--quiet", "--set-formats", f"ipynb,{JUPYTEXT_FORMAT}", str(ipynb)])
    jupytext_cli(["--quiet", "--sync", str(ipynb)])


def _cells_for_compare(nb) -> list[tuple[str, str, tuple]]:
    out = []
    for c in nb.cells:
        tags = tuple(t for t in c.metadata.get("tags", []) if t != "injected-parameters")
        out.append((c.cell_type, c.source.strip(), tags))
    return out


def pair_difference(notebook: str | os.PathLike) -> str | None:
    """Why a notebook and its percent script are out of sync, or ``None`` when they agree.

    Compares cell types, sources and tags, as jupytext reads the two files.
    """
    import jupytext

    ipynb = Path(notebook).with_suffix(".ipynb")
    py = paired_script(ipynb)
    if not py.exists():
        return f"{ipynb}: no paired script {py.name}"
    a = _cells_for_compare(jupytext.read(py, fmt=JUPYTEXT_FORMAT))
    b = _cells_for_compare(jupytext.read(ipynb))
    if a == b:
        return None
    if len(a) != len(b):
        return f"{ipynb}: {len(b)} cells, {py.name} has {len(a)} (run `python -m govlab.notebooks sync {ipynb}`)"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            what = "type" if x[0] != y[0] else "tags" if x[2] != y[2] else "source"
            return f"{ipynb}: cell {i} {what} differs from {py.name} (run `python -m govlab.notebooks sync {ipynb}`)"
    return None  # pragma: no cover


def find_notebooks(folder: str | os.PathLike = "notebooks") -> list[Path]:
    """Every ``.ipynb`` under ``folder`` (recursively, sorted), skipping checkpoints and ``_build``."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts)


# --------------------------------------------------------------------------- command line
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govlab.notebooks",
                                     description="Execute, pair and check govlab notebooks.")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="execute notebooks in the current environment")
    ex.add_argument("notebooks", nargs="+", help="notebooks (.ipynb) to execute")
    where = ex.add_mutually_exclusive_group(required=True)
    where.add_argument("--inplace", action="store_true", help="rewrite each notebook's stored outputs")
    where.add_argument("--out", metavar="DIR", help="write executed notebooks under DIR (relative layout kept)")
    ex.add_argument("--jobs", "-j", type=int, default=1, help="notebooks run at the same time (default 1)")
    ex.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    ex.add_argument("--unset", action="append", default=[], metavar="VAR",
                    help="environment variable to remove for the kernels (repeatable)")
    sy = sub.add_parser("sync", help="pair and synchronise notebooks with their jupytext percent scripts")
    sy.add_argument("notebooks", nargs="*", help="notebooks or scripts (default: every notebook under notebooks/)")
    ck = sub.add_parser("check", help="list notebooks out of sync with their scripts (exit 1 if any)")
    ck.add_argument("notebooks", nargs="*", help="notebooks (default: every notebook under notebooks/)")
    args = parser.parse_args(argv)

    if args.command == "execute":
        try:
            execute_many(args.notebooks, None if args.inplace else args.out, jobs=args.jobs,
                         timeout=args.timeout, unset_env=args.unset)
        except GovlabError as exc:
            print(f"govlab.notebooks: error: {exc}", file=sys.stderr)
            return 1
        return 0
    targets = args.notebooks or [str(p) for p in find_notebooks()]
    if args.command == "sync":
        for t in targets:
            sync_notebook(t)
        return 0
    problems = [d for d in (pair_difference(t) for t in targets) if d]
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
