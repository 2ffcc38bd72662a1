"""``govlab corpus``: build a clean corpus from a folder of reports, and audit one."""
from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("corpus", help="read, clean and audit a folder of reports",
                              description="Read, clean and audit a folder of reports.")
    sub = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    b = sub.add_parser("build", help="clean every report in RAW_DIR and write the corpus to OUT_DIR",
                       description="Clean every report in RAW_DIR and its subfolders (or the files its "
                                   "manifest.csv lists) and write OUT_DIR/texts/<doc_id>.txt, documents.csv, "
                                   "cleaning_log.csv, spans.parquet, errors.csv and the completeness marker "
                                   ".govlab-complete.json. OUT_DIR is replaced whole at the end, so an "
                                   "interrupted build leaves the old one. Files not used are listed in "
                                   "errors.csv with the reason. Exit status: 0 all read, 1 some files or "
                                   "manifest rows not used, 2 nothing written. Running it twice gives "
                                   "identical files.")
    b.add_argument("raw_dir", metavar="RAW_DIR",
                   help="folder of .txt/.html/.htm/.md/.docx/.pdf/.rtf/.doc reports")
    b.add_argument("--out", required=True, metavar="OUT_DIR",
                   help="output folder: new, empty or an earlier corpus (created when missing)")
    b.add_argument("--manifest", metavar="CSV", default=None,
                   help="manifest CSV (default: RAW_DIR/manifest.csv when present)")
    b.add_argument("--no-manifest", action="store_true", help="ignore any manifest; metadata from file names")
    b.add_argument("--no-texts", action="store_true",
                   help="do not write texts/ (for outputs that may not carry the reports' text)")
    b.add_argument("--max-mb", type=float, default=50.0, help="refuse files larger than this many MB (default 50)")
    b.add_argument("--max-unzipped-mb", type=float, default=200.0,
                   help="refuse .docx files whose contents expand past this many MB (default 200)")
    b.add_argument("--follow-links", action="store_true",
                   help="read symbolic links that point outside RAW_DIR (refused by default)")
    b.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    b.set_defaults(func=_build)

    a = sub.add_parser("audit", help="print a per-document summary of a built corpus",
                       description="Print, per document, raw and clean lengths, edits by step, and errors.")
    a.add_argument("out_dir", metavar="OUT_DIR", help="a folder written by 'govlab corpus build'")
    a.set_defaults(func=_audit)


def _build(args: argparse.Namespace) -> int:
    import os

    from govlab.corpus import build_corpus, write_corpus
    from govlab.corpus.build import WARNING_PREFIX, error_counts
    from govlab.errors import InputError

    raw, out = os.path.realpath(args.raw_dir), os.path.realpath(args.out)
    if os.path.isdir(raw) and (raw == out or raw.startswith(out.rstrip(os.sep) + os.sep)):
        raise InputError("the output folder holds the reports (a rebuild replaces it whole): give another --out",
                         source=args.out)
    manifest = False if args.no_manifest else args.manifest
    corpus = build_corpus(args.raw_dir, manifest=manifest, max_bytes=int(args.max_mb * 1024 * 1024),
                          max_unzipped_bytes=int(args.max_unzipped_mb * 1024 * 1024),
                          follow_links=args.follow_links)
    write_corpus(corpus, args.out, texts=not args.no_texts)
    failed, warned = error_counts(corpus.errors)
    for row in corpus.errors.itertuples():
        if row.reason.startswith(WARNING_PREFIX):
            print(f"  warning: {row.file}: {row.reason.removeprefix(WARNING_PREFIX)}", file=sys.stderr)
        else:
            print(f"  not used: {row.file}: {row.reason}", file=sys.stderr)
    print(f"{len(corpus.documents)} documents, {len(corpus.log)} logged edits, "
          f"{failed} files not used{f', {warned} warnings' if warned else ''} -> {args.out}")
    if failed:
        print(f"govlab: {failed} of the inputs were not used: see {os.path.join(args.out, 'errors.csv')}",
              file=sys.stderr)
    return 1 if failed or (args.strict and warned) else 0


def _audit(args: argparse.Namespace) -> int:
    from govlab.corpus import read_corpus

    corpus = read_corpus(args.out_dir)
    docs = corpus.documents
    by_step = corpus.log.pivot_table(index="doc_id", columns="step", values="length", aggfunc="count",
                                     fill_value=0) if len(corpus.log) else None
    print(f"{'doc_id':<28} {'enc':<10} {'script':<11} {'raw':>7} {'clean':>7} {'kept':>6} {'paras':>5}  edits by step")
    for row in docs.itertuples():
        kept = row.clean_chars / row.raw_chars if row.raw_chars else 0.0
        steps = ""
        if by_step is not None and row.doc_id in by_step.index:
            s = by_step.loc[row.doc_id]
            steps = ", ".join(f"{k}={int(v)}" for k, v in s.items() if v)
        print(f"{row.doc_id:<28} {row.encoding:<10} {row.script + ('*' if row.converted else ''):<11} "
              f"{row.raw_chars:>7} {row.clean_chars:>7} {kept:>6.1%} {row.n_paragraphs:>5}  {steps}")
    if len(corpus.errors):
        print(f"\n{len(corpus.errors)} files not used or warnings:")
        for row in corpus.errors.itertuples():
            print(f"  {row.file}: {row.reason}")
    print("\n* converted from traditional script")
    return 0
