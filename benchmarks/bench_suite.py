"""Benchmark: execute the whole notebook suite and build the site, on this machine's cores.

Measures, in one run:
* each notebook's execution time (fresh kernel, one at a time: the per-notebook budget is 60 s);
* the whole suite executed as ``make notebooks`` does it (``--jobs 2``), wall time;
* the site build from the executed notebooks (nbconvert + index), wall time, pages and size.

Writes ``benchmarks/results/suite.json`` and prints a table.

    .venv/bin/python benchmarks/bench_suite.py            # everything
    .venv/bin/python benchmarks/bench_suite.py --jobs 2   # skip the one-at-a-time pass
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govlab.io import write_text  # noqa: E402
from govlab.notebooks import DETERMINISTIC_ENV, execute_many, find_notebooks  # noqa: E402
from govlab.site import build_site  # noqa: E402

BUDGET_PER_NOTEBOOK_S = 60.0


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks for the suite pass (default 2)")
    parser.add_argument("--skip-serial", action="store_true", help="skip the one-notebook-at-a-time pass")
    args = parser.parse_args(argv)
    os.environ.update(DETERMINISTIC_ENV)
    os.environ.pop("GOVLAB_CORPUS_DIR", None)  # the suite runs on shipped data, as in CI
    os.chdir(ROOT)
    notebooks = find_notebooks(ROOT / "notebooks")
    if not notebooks:
        print("no notebooks to benchmark")
        return 0
    rel = [p.relative_to(ROOT / "notebooks").as_posix() for p in notebooks]
    result: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                    "notebooks": len(notebooks)}
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        tmp = Path(tmp)
        per = {}
        if not args.skip_serial:
            start = time.perf_counter()
            for nb, name in zip(notebooks, rel):
                (res,) = execute_many([nb], tmp / "serial" / name.replace("/", "__"), log=None)
                per[name] = round(res.seconds, 2)
            result["serial_wall_s"] = round(time.perf_counter() - start, 2)
            result["per_notebook_s"] = per
            result["over_budget"] = sorted(k for k, v in per.items() if v > BUDGET_PER_NOTEBOOK_S)
        start = time.perf_counter()
        execute_many(notebooks, tmp / "build", jobs=args.jobs, log=None)
        result[f"suite_wall_s_jobs{args.jobs}"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        pages = build_site(tmp / "build", tmp / "site")
        result["site_build_s"] = round(time.perf_counter() - start, 2)
        result["site_pages"] = len(pages) + 1
        result["site_figures"] = sum(p.n_figures for p in pages)
        result["site_mb"] = round(_size(tmp / "site") / 1e6, 1)
        start = time.perf_counter()
        build_site(ROOT / "notebooks", tmp / "site-stored")
        result["site_build_from_stored_s"] = round(time.perf_counter() - start, 2)
    out = ROOT / "benchmarks" / "results" / "suite.json"
    write_text(out, json.dumps(result, indent=1, sort_keys=True) + "\n")

    print(f"{'notebook':<44} {'seconds':>8}")
    for name, secs in per.items():
        flag = "  OVER BUDGET" if secs > BUDGET_PER_NOTEBOOK_S else ""
        print(f"{name:<44} {secs:>8.1f}{flag}")
    print("-" * 53)
    if per:
        print(f"{'suite, one at a time':<44} {result['serial_wall_s']:>8.1f}")
    print(f"{f'suite, --jobs {args.jobs} (make notebooks)':<44} {result[f'suite_wall_s_jobs{args.jobs}']:>8.1f}")
    print(f"{'site build (executed notebooks)':<44} {result['site_build_s']:>8.1f}")
    print(f"{'site build (stored notebooks)':<44} {result['site_build_from_stored_s']:>8.1f}")
    print(f"site: {result['site_pages']} pages, {result['site_figures']} figures, {result['site_mb']} MB")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
