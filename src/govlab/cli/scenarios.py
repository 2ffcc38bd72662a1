"""``govlab scenario`` and ``govlab sweep``: run scenarios, calibrate localities, run sweeps."""
from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("scenario", help="run a scenario, calibrate localities, list parameters",
                              description="Simulate consultation years of a locality under levers "
                                          "(see docs/scenarios.md).")
    sub = p.add_subparsers(dest="scenario_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    r = sub.add_parser("run", help="run SCENARIO.yaml (baseline and variants) and write its outcomes to DIR",
                       description="Run a scenario file over its replicates and years; write metrics.parquet/.csv, "
                                   "summary.csv, totals.csv, steps.csv, by_county.csv, seeds.csv, comparison.csv "
                                   "(when the scenario has variants) and the resolved scenario.yaml.")
    r.add_argument("scenario", metavar="SCENARIO.yaml", help="scenario file (or a shipped name in datasets/scenarios)")
    r.add_argument("--out", required=True, metavar="DIR", help="output folder (created when missing)")
    r.add_argument("--replicates", type=int, default=None, help="override the number of replicates")
    r.add_argument("--seed", type=int, default=None, help="override the root seed")
    r.add_argument("--years", type=int, default=None, help="override the number of years")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.set_defaults(func=_run)

    c = sub.add_parser("calibrate", help="fit a locality's unknown rates to its report (rejection ABC)",
                       description="Fit the rates named in datasets/scenarios/targets.yaml by rejection ABC and "
                                   "write them, with what they were fitted to and the check of every target, "
                                   "into calibration.yaml.")
    c.add_argument("names", nargs="*", metavar="NAME", help="localities (default: all with a plan)")
    c.add_argument("--out", default=None, metavar="FILE", help="calibration file (default datasets/scenarios/calibration.yaml)")
    c.add_argument("--n-simulations", type=int, default=None, help="override the plan's number of prior draws")
    c.add_argument("--n-jobs", type=int, default=1, help="local worker processes (default 1)")
    c.set_defaults(func=_calibrate)

    k = sub.add_parser("check", help="check calibrated baselines against their reported figures",
                       description="Run each calibrated locality over replicates and print every target with "
                                   "its interval, simulated mean and whether it holds; exit 1 if one fails.")
    k.add_argument("names", nargs="*", metavar="NAME", help="localities (default: all with a plan)")
    k.add_argument("--replicates", type=int, default=None, help="replicates (default: the plan's)")
    k.set_defaults(func=_check)

    t = sub.add_parser("params", help="list every model parameter with its default and source",
                       description="Print the parameter table (key, kind, default, source, meaning) as CSV.")
    t.set_defaults(func=_params)

    s = subparsers.add_parser("sweep", help="run a parameter sweep (BehaviorSpace style) into DIR",
                              description="Run SWEEP.yaml: the Cartesian grid of its parameters x replicates x "
                                          "years, streamed to DIR/chunks/*.parquet with DIR/manifest.json. A "
                                          "rerun into the same DIR resumes, skipping chunks already written.")
    s.add_argument("sweep", metavar="SWEEP.yaml", help="sweep file")
    s.add_argument("--out", required=True, metavar="DIR", help="output folder")
    s.add_argument("--n-jobs", type=int, default=1, help="local worker processes (joblib/loky; default 1)")
    s.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster at this scheduler address (tcp://host:8786)")
    s.add_argument("--no-resume", action="store_true", help="recompute chunks already written")
    s.add_argument("--overwrite", action="store_true", help="replace a different sweep found in DIR")
    s.add_argument("--max-chunks", type=int, default=None, help="stop after writing this many chunks")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=_sweep)


def _run(args: argparse.Namespace) -> int:
    from govlab.scenarios import load_scenario, run_scenario

    sc = load_scenario(args.scenario)
    bar = None
    progress = None
    if not args.no_progress:
        from tqdm.auto import tqdm

        reps = args.replicates or sc.replicates
        bar = tqdm(total=reps * len(sc.variant_names()), unit="run", desc=sc.name)
        progress = lambda n: bar.update(n - bar.n)  # noqa: E731
    try:
        res = run_scenario(sc, replicates=args.replicates, seed=args.seed, years=args.years, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    files = res.write(args.out)
    print(f"{sc.name}: {len(res.metrics)} metric rows ({res.metrics['variant'].nunique()} variants) -> {args.out}")
    if "comparison" in files:
        import pandas as pd

        cmp = res.compare(["solved", "participations", "representativeness", "continuity"])
        with pd.option_context("display.width", 140):
            print(cmp[["variant", "metric", "baseline", "value", "rel_change", "verdict"]].round(3).to_string(index=False))
    return 0


def _plan_names(names: list[str]) -> list[str]:
    """The localities asked for (default: every one with a plan); a typo gets "did you mean"."""
    from govlab.errors import ConfigError
    from govlab.scenarios.calibrate import load_plans
    from govlab.schema import did_you_mean

    plans = list(load_plans())
    for n in names:
        if n not in plans:
            raise ConfigError(f"no calibration plan in datasets/scenarios/targets.yaml{did_you_mean(n, plans)}; "
                              f"plans: {plans}", key=n)
    return names or plans


def _calibrate(args: argparse.Namespace) -> int:
    from govlab.scenarios.calibrate import calibrate, write_calibration

    names = _plan_names(args.names)
    results = []
    for n in names:
        r = calibrate(n, n_simulations=args.n_simulations, n_jobs=args.n_jobs)
        results.append(r)
        print(f"{n}: fitted {', '.join(f'{k}={v:.4g}' for k, v in r.fitted.items()) or '(nothing: set from report)'}")
        for row in r.check.itertuples():
            print(f"  {row.target:<28} [{row.low:.4g}, {row.high:.4g}]  mean {row.mean:.4g}  {'ok' if row.holds else 'FAILS'}")
    path = write_calibration(results, args.out)
    print(f"-> {path}")
    return 0 if all(r.check["holds"].all() for r in results) else 1


def _check(args: argparse.Namespace) -> int:
    from govlab.scenarios.calibrate import check_calibration_targets

    names = _plan_names(args.names)
    ok = True
    for n in names:
        chk = check_calibration_targets(n, replicates=args.replicates)
        print(n)
        for row in chk.itertuples():
            print(f"  {row.target:<28} [{row.low:.4g}, {row.high:.4g}]  mean {row.mean:.4g} "
                  f"(90%: {row.lo:.4g}-{row.hi:.4g})  {'ok' if row.holds else 'FAILS'}")
        ok &= bool(chk["holds"].all())
    return 0 if ok else 1


def _params(args: argparse.Namespace) -> int:
    from govlab.scenarios.config import parameter_table

    try:
        sys.stdout.write(parameter_table().to_csv(index=False, lineterminator="\n"))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into head
        pass
    return 0


def _sweep(args: argparse.Namespace) -> int:
    import warnings

    from govlab.scenarios.sweep import ChunkRecomputedWarning, load_sweep, run_sweep

    sw = load_sweep(args.sweep)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ChunkRecomputedWarning)  # reported below, one line a chunk
        res = run_sweep(sw, args.out, n_jobs=args.n_jobs, client=args.scheduler, resume=not args.no_resume,
                        overwrite=args.overwrite, max_chunks=args.max_chunks, progress=not args.no_progress)
    for name, why in res.recomputed:
        print(f"govlab: warning: {args.out}/chunks/{name}: {why}; recomputed", file=sys.stderr)
    print(f"{sw.name}: {sw.n_runs} runs in {sw.n_chunks} chunks; wrote {len(res.written)}, kept {len(res.skipped)}; "
          f"{'complete' if res.complete else 'incomplete (rerun to resume)'} -> {args.out}")
    return 0
