"""``govlab report``: execute the notebooks, render the offline site, export figures, check the site."""
from __future__ import annotations

import argparse
from pathlib import Path


def _notebook_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("notebooks", nargs="*", help="notebooks (default: every notebook under notebooks/)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="notebooks executed at the same time (default 1)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")


def _targets(args) -> list[str]:
    from govlab.notebooks import find_notebooks

    return list(args.notebooks) or [str(p) for p in find_notebooks("notebooks")]


def _cmd_execute(args) -> int:
    from govlab.notebooks import execute_many

    execute_many(_targets(args), None if args.inplace else args.out, jobs=args.jobs, timeout=args.timeout,
                 unset_env=["GOVLAB_CORPUS_DIR"] if args.inplace else [])
    return 0


def _cmd_site(args) -> int:
    from govlab.site import build_site, check_site

    pages = build_site(args.nb_dir, args.out, log=print)
    print(f"site: {Path(args.out) / 'index.html'} ({len(pages)} pages, {sum(p.n_figures for p in pages)} figures)")
    problems = check_site(args.out)
    for page, issues in problems.items():
        print(f"{page}: " + "; ".join(issues))
    return 1 if problems else 0


def _cmd_build(args) -> int:
    from govlab.notebooks import execute_many
    from govlab.site import build_site, check_site

    build = Path(args.build)
    execute_many(_targets(args), build, jobs=args.jobs, timeout=args.timeout)
    pages = build_site(build, args.out, log=print)
    print(f"report: {Path(args.out) / 'index.html'} ({len(pages)} pages)")
    return 1 if check_site(args.out) else 0


def _cmd_export(args) -> int:
    from govlab.viz.export import main as export_main

    argv = [args.out_dir, *args.notebooks, "--formats", args.formats]
    return export_main(argv)


def _cmd_check(args) -> int:
    from govlab.site import check_site
    from govlab.site.build import iter_pages

    problems = check_site(args.site)
    for page, issues in problems.items():
        print(f"{page}: " + "; ".join(issues))
    rc = 1 if problems else 0
    if args.browser:
        from govlab.site.browser import browser_unavailable_reason, inspect_site, serve

        reason = browser_unavailable_reason()
        if reason:
            print(f"browser check skipped: {reason}")
            return rc
        site = Path(args.site)
        with serve(site) as base:
            reports = inspect_site(base, [p.relative_to(site).as_posix() for p in iter_pages(site)])
        for r in reports:
            state = "ok" if r.ok else "FAIL"
            print(f"{state} {r.url}: {r.figures_drawn}/{r.figure_divs} figures drawn, "
                  f"{len(r.console_errors)} console errors, {len(r.external_requests)} external requests")
            rc = rc or (0 if r.ok else 1)
    if rc == 0:
        print(f"{args.site}: no external references" + (", every page renders in chromium" if args.browser else ""))
    return rc


def register(subparsers) -> None:
    """Add ``govlab report`` and its subcommands."""
    report = subparsers.add_parser("report", help="notebooks, the offline report site and figure export")
    sub = report.add_subparsers(dest="report_command", metavar="SUBCOMMAND")
    report.set_defaults(func=lambda a: (report.print_help(), 0)[1])

    b = sub.add_parser("build", help="execute every notebook into BUILD and render the site (what `make report` does)")
    _notebook_args(b)
    b.add_argument("--build", default="_build/notebooks", help="folder for executed notebooks (default _build/notebooks)")
    b.add_argument("--out", default="site", help="site folder (default: site)")
    b.set_defaults(func=_cmd_build)

    e = sub.add_parser("execute", help="execute notebooks in the current environment")
    _notebook_args(e)
    where = e.add_mutually_exclusive_group(required=True)
    where.add_argument("--inplace", action="store_true", help="rewrite stored outputs (GOVLAB_CORPUS_DIR unset)")
    where.add_argument("--out", metavar="DIR", help="write executed notebooks under DIR")
    e.set_defaults(func=_cmd_execute)

    s = sub.add_parser("site", help="render executed notebooks into an offline site (no execution)")
    s.add_argument("nb_dir", nargs="?", default="_build/notebooks", help="executed notebooks (default _build/notebooks)")
    s.add_argument("--out", default="site", help="site folder (default: site)")
    s.set_defaults(func=_cmd_site)

    x = sub.add_parser("export", help="export every figure to PNG, SVG and PDF (needs chromium)")
    x.add_argument("out_dir", nargs="?", default="_build/figures", help="folder for images (default _build/figures)")
    x.add_argument("notebooks", nargs="*", help="notebooks (default: _build/notebooks, else notebooks/)")
    x.add_argument("--formats", default="png,svg,pdf", help="comma-separated formats (default png,svg,pdf)")
    x.set_defaults(func=_cmd_export)

    c = sub.add_parser("check", help="check a built site loads nothing from outside the machine")
    c.add_argument("site", nargs="?", default="site", help="site folder (default: site)")
    c.add_argument("--browser", action="store_true", help="also open every page in headless chromium")
    c.set_defaults(func=_cmd_check)
