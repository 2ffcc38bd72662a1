"""``govlab evaluate``: score govlab's figures, codes and step sequences against a gold folder."""
from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    e = subparsers.add_parser(
        "evaluate", help="score figures, codes and step sequences against gold annotations",
        description="Read GOLD_DIR (raw/*.txt with SOURCE:/TITLE: header lines, gold_figures.csv, "
                    "gold_codes.csv), run govlab's cleaning, figures, codes and step sequences on the texts, "
                    "and print the scores (figures strict/lenient, approx flags, figures on figure-less "
                    "texts; codes recall/precision/kappa per category; step sequences found and in order) "
                    "and a per-document table of misses.")
    e.add_argument("gold_dir", metavar="GOLD_DIR", help="folder in the development-set layout")
    e.add_argument("--split", choices=["all", "tune", "heldout", "each"], default="all",
                   help="documents to score: all (default), one part of the split table, or each part")
    e.add_argument("--split-file", metavar="CSV", default=None,
                   help="split table (file, part); default: the shipped datasets/evaluation/split.csv")
    e.add_argument("--gold-codes", metavar="CSV", default=None,
                   help="gold codes table instead of GOLD_DIR/gold_codes.csv (an adjudicated table with a "
                        "decision column keeps its 'keep' rows)")
    e.add_argument("--gold-figures", metavar="CSV", default=None,
                   help="gold figures table instead of GOLD_DIR/gold_figures.csv (same rule)")
    e.add_argument("--annotation-codes", metavar="CSV", default=None,
                   help="with --annotation-figures: score this second annotation of the same texts instead of "
                        "govlab's output, by the same rules (the human ceiling)")
    e.add_argument("--annotation-figures", metavar="CSV", default=None,
                   help="the second annotation's figures table (with --annotation-codes)")
    e.add_argument("--baseline", action="store_true",
                   help="score the naive baseline figure regex instead of govlab's extractor")
    e.add_argument("--codebook", metavar="YAML", default=None, help="codebook (default: the shipped one)")
    e.add_argument("--out", metavar="DIR", default=None,
                   help="also write scores.csv, misses.csv and confusion.csv to DIR (created when missing)")
    e.add_argument("--no-misses", action="store_true", help="do not print the per-document misses")
    e.set_defaults(func=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pandas as pd

    from govlab.coding import load_codebook
    from govlab.errors import InputError
    from govlab.evaluate import baseline_figures, evaluate, read_gold, read_split
    from govlab.io import write_csv

    split_map = read_split(args.split_file) if args.split != "all" else None
    gold = read_gold(args.gold_dir, figures_file=args.gold_figures, codes_file=args.gold_codes)
    annotation = None
    if (args.annotation_codes is None) != (args.annotation_figures is None):
        raise InputError("--annotation-codes and --annotation-figures go together: a second annotation "
                         "needs both tables", key="--annotation-codes/--annotation-figures")
    if args.annotation_codes is not None:
        if args.baseline:
            raise InputError("--baseline scores the naive regex; it cannot be combined with an annotation",
                             key="--baseline")
        annotation = read_gold(args.gold_dir, figures_file=args.annotation_figures, codes_file=args.annotation_codes)
    ev = evaluate(gold, split=args.split, split_map=split_map,
                  codebook=load_codebook(args.codebook) if args.codebook else None,
                  figures_fn=baseline_figures if args.baseline else None, annotation=annotation)
    with pd.option_context("display.width", 200, "display.max_rows", 1000, "display.max_colwidth", 40):
        print(ev.table().to_string(index=False))
        if not args.no_misses and len(ev.misses):
            print()
            print("misses per document:")
            print(ev.misses.to_string(index=False))
    if args.out:
        out = Path(args.out)
        write_csv(ev.scores, out / "scores.csv")
        write_csv(ev.misses, out / "misses.csv")
        write_csv(ev.confusion.reset_index(), out / "confusion.csv")
        print(f"wrote {out / 'scores.csv'}, misses.csv, confusion.csv", file=sys.stderr)
    return 0
