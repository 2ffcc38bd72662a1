"""The ``govlab`` command: a thin, headless face over the public API.

Each flow registers its subcommands from its own module (``govlab.cli.<name>``), which defines
``register(subparsers)``. Every subcommand has ``--help``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from govlab.errors import GovlabError

# Modules that add subcommands, in the order they appear in --help.
COMMAND_MODULES = ["corpus", "text", "coding", "network", "scenarios", "report", "evaluate"]


def build_parser() -> argparse.ArgumentParser:
    from govlab import __version__

    parser = argparse.ArgumentParser(
        prog="govlab",
        description="govlab: text-mine CPPCC grassroots-consultation reports and model participation networks.",
    )
    parser.add_argument("--version", action="version", version=f"govlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"govlab.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"govlab.cli.{name}":
                continue
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except GovlabError as exc:
        print(f"govlab: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
