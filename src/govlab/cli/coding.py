"""``govlab code``, ``govlab figures``, ``govlab compare`` and ``govlab codebook``: practice codes,
figures and locality comparison from a folder of reports."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _corpus(path: str):
    """A complete corpus folder (``govlab corpus build`` output) is read; a folder of reports is built
    (its unread files listed on stderr); anything else is an error (see
    :func:`govlab.corpus.load_corpus`)."""
    from govlab.corpus import load_corpus

    corpus = load_corpus(path)
    for row in corpus.errors.itertuples():
        print(f"govlab: not used: {row.file}: {row.reason}", file=sys.stderr)
    if not corpus.texts and len(corpus.documents):
        from govlab.errors import InputError

        raise InputError("a corpus written without texts (--no-texts): there is nothing to code; build it "
                         "with texts", source=str(path))
    return corpus


def _codebook(args):
    from govlab.coding import load_codebook

    return load_codebook(args.codebook)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("raw_dir", metavar="RAW_DIR",
                   help="folder of reports (or a corpus folder written by 'govlab corpus build')")
    p.add_argument("--codebook", metavar="YAML", default=None,
                   help="codebook file (default: the shipped datasets/codebook.yaml)")


def register(subparsers) -> None:
    c = subparsers.add_parser("code", help="code every report with the practice codebook",
                              description="Code every report in RAW_DIR with the codebook and write the long "
                                          "table doc_id, code, category, start, end, matched, section "
                                          "(offsets into the clean text).")
    _add_common(c)
    c.add_argument("--out", required=True, metavar="CSV", help="output CSV of codes")
    c.add_argument("--profile", metavar="CSV", default=None, help="also write a per-document profile (counts per code)")
    c.set_defaults(func=_code)

    f = subparsers.add_parser("figures", help="extract every figure that counts something",
                              description="Extract figures (value, unit, counted thing, approximate, masked, "
                                          "offsets) from every report in RAW_DIR.")
    _add_common(f)
    f.add_argument("--out", required=True, metavar="CSV", help="output CSV of figures")
    f.add_argument("--no-matched", action="store_true", help="leave out the matched numeric span column")
    f.add_argument("--dask-workers", type=int, default=0, metavar="N",
                   help="run on a local Dask cluster with N workers (default: in process)")
    f.set_defaults(func=_figures)

    m = subparsers.add_parser("compare", help="compare localities: codes, figures, loops, profiles, alignment",
                              description="Write codes.csv, figures.csv, loops.csv, profiles.csv, "
                                          "alignment.csv, similarity.csv and qca.csv for the reports in RAW_DIR.")
    _add_common(m)
    m.add_argument("--out-dir", required=True, metavar="DIR", help="output folder (created when missing)")
    m.add_argument("--tables-only", action="store_true",
                   help="write only codes/figures/loops/profiles.csv (how datasets/reports/ is regenerated)")
    m.set_defaults(func=_compare)

    b = subparsers.add_parser("codebook", help="validate a codebook and check its examples",
                              description="Load a codebook, report its size, and check that every example is "
                                          "coded and no counter-example is. Exit status 1 on a failed example.")
    b.add_argument("path", nargs="?", default=None, metavar="YAML", help="codebook (default: the shipped one)")
    b.set_defaults(func=_check)


def _code(args: argparse.Namespace) -> int:
    from govlab.coding import code_corpus, code_profile
    from govlab.io import write_csv

    corpus = _corpus(args.raw_dir)
    cb = _codebook(args)
    codes = code_corpus(corpus.texts, cb, errors="skip")
    write_csv(codes, args.out)
    if args.profile:
        prof = code_profile(codes, cb, doc_ids=sorted(corpus.texts)).reset_index()
        write_csv(prof, args.profile)
    print(f"{len(codes)} codes in {codes['doc_id'].nunique()} documents -> {args.out}")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from govlab.coding import extract_figures_corpus
    from govlab.io import write_csv

    corpus = _corpus(args.raw_dir)
    cb = _codebook(args)
    if args.dask_workers > 0:
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=args.dask_workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            figs = extract_figures_corpus(corpus.texts, codebook=cb, client=client, errors="skip")
    else:
        figs = extract_figures_corpus(corpus.texts, codebook=cb, errors="skip")
    if args.no_matched:
        figs = figs.drop(columns=["matched"])
    write_csv(figs, args.out)
    print(f"{len(figs)} figures ({int(figs['masked'].sum())} masked) in {figs['doc_id'].nunique()} documents "
          f"-> {args.out}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from govlab.coding import code_profile
    from govlab.compare import (
        DEFAULT_CONDITIONS,
        align_loops,
        build_report_tables,
        outcome_scale,
        profile_similarity,
        qca_conditions,
        similarity_long,
        truth_table,
        write_report_tables,
    )
    from govlab.io import write_csv

    corpus = _corpus(args.raw_dir)
    cb = _codebook(args)
    tables = build_report_tables(corpus, cb)
    out = Path(args.out_dir)
    write_report_tables(tables, out)
    docs = sorted(corpus.texts)
    if args.tables_only:
        print(f"{len(docs)} documents -> {out}")
        return 0
    if len(tables["loops"]):
        write_csv(align_loops(tables["loops"]), out / "alignment.csv")
    prof = code_profile(tables["codes"], cb, doc_ids=docs)
    if len(docs):
        write_csv(similarity_long(profile_similarity(prof).round(6)), out / "similarity.csv")
        cond = qca_conditions(prof, tables["loops"])
        cond["SCALE"] = outcome_scale(tables["figures"], cond.index)
        write_csv(truth_table(cond, list(DEFAULT_CONDITIONS), "SCALE").round(6), out / "qca.csv")
    print(f"{len(docs)} documents -> {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from govlab.coding import check_codebook_examples, load_codebook

    cb = load_codebook(args.path)
    problems = check_codebook_examples(cb)
    n_ex = sum(len(c.examples) + len(c.counter_examples) for c in cb.codes)
    print(f"{cb.source}: {len(cb.categories)} categories, {len(cb.codes)} codes, {n_ex} examples checked")
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    return 1 if problems else 0
