"""``python -m govlab.site build NB_DIR --out site`` and ``python -m govlab.site check site``."""
from __future__ import annotations

import argparse
import sys

from govlab.errors import GovlabError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govlab.site", description="Build and check the offline report site.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="render executed notebooks into an offline static site")
    b.add_argument("nb_dir", help="folder of executed notebooks (e.g. _build/notebooks)")
    b.add_argument("--out", default="site", help="site folder (default: site)")
    b.add_argument("--quiet", action="store_true", help="print only the summary")
    c = sub.add_parser("check", help="list anything a built site would load from outside the machine")
    c.add_argument("site", nargs="?", default="site", help="site folder (default: site)")
    args = parser.parse_args(argv)
    from govlab.site.build import build_site, check_site

    try:
        if args.command == "build":
            pages = build_site(args.nb_dir, args.out, log=None if args.quiet else print)
            figs = sum(p.n_figures for p in pages)
            print(f"site: {args.out}/index.html ({len(pages)} pages, {figs} figures)")
            problems = check_site(args.out)
        else:
            problems = check_site(args.site)
    except GovlabError as exc:
        print(f"govlab.site: error: {exc}", file=sys.stderr)
        return 2
    for page, issues in problems.items():
        for issue in issues:
            print(f"{page}: {issue}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
