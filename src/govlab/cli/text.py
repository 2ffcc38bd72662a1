"""``govlab text``: term counts, keyword in context, tokens and segmenter agreement from the command line.

Every subcommand takes either a folder of raw reports (built on the fly with
:func:`govlab.corpus.build_corpus`) or a corpus folder written by ``govlab corpus build``.
"""
from __future__ import annotations

import argparse
import sys


def _add_tokenizer_args(p: argparse.ArgumentParser) -> None:
    # govlab.text.BACKENDS and DEFAULT_BACKEND, written out so that --help imports no segmenter
    # (tests/test_cli.py checks they agree)
    default = "rjieba"
    p.add_argument("--backend", choices=["rjieba", "jieba"], default=default,
                   help=f"segmenter (default {default}, jieba-rs with the domain lexicon; jieba is the slower "
                        "pure-Python reference; both give the same tokens in Chinese text)")
    p.add_argument("--lexicon", default="default", metavar="FILE",
                   help="domain lexicon (CSV with a 'term' column or one term a line; "
                        "'default' = datasets/lexicon/domain_terms.csv, 'none' = no lexicon)")
    p.add_argument("--stopwords", default="default", metavar="FILE",
                   help="stopword list ('default' = datasets/lexicon/stopwords.txt, 'none' = keep all)")
    p.add_argument("--keep-punct", action="store_true", help="keep punctuation tokens")
    p.add_argument("--remove-numbers", action="store_true", help="remove number tokens")


def register(subparsers) -> None:
    p = subparsers.add_parser("text", help="tokens, term counts and keyword-in-context for reports",
                              description="Segment reports (rjieba, jieba's algorithm, with the domain lexicon) and "
                                          "count terms, show keywords in context, or compare segmenters.")
    sub = p.add_subparsers(dest="text_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    c = sub.add_parser("counts", help="write the long term-count table (doc_id, term, count)",
                       description="Tokenise every document of RAW_DIR and write doc_id, term, count "
                                   "(sorted by doc_id and term) as CSV. Identical inputs give identical files.")
    c.add_argument("raw_dir", metavar="RAW_DIR", help="folder of reports, or a folder written by 'govlab corpus build'")
    c.add_argument("--out", required=True, metavar="FILE", help="output CSV")
    _add_tokenizer_args(c)
    c.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="count on a running dask.distributed scheduler (e.g. tcp://host:8786); default in-process")
    c.set_defaults(func=_counts)

    k = sub.add_parser("kwic", help="print a keyword in context over the clean texts",
                       description="Find PATTERN in each clean text and print doc_id, offsets and context.")
    k.add_argument("raw_dir", metavar="RAW_DIR", help="folder of reports, or a built corpus folder")
    k.add_argument("pattern", metavar="PATTERN", nargs="+", help="one or more strings (or regexes with --regex)")
    k.add_argument("--window", type=int, default=10, help="characters of context on each side (default 10)")
    k.add_argument("--regex", action="store_true", help="treat PATTERN as regular expressions")
    k.add_argument("--out", metavar="FILE", default=None, help="write CSV here instead of printing")
    k.set_defaults(func=_kwic)

    t = sub.add_parser("tokens", help="write one row per token (doc_id, position, token, start, end)",
                       description="Tokenise every document and write the tokens with character offsets as CSV.")
    t.add_argument("raw_dir", metavar="RAW_DIR", help="folder of reports, or a built corpus folder")
    t.add_argument("--out", required=True, metavar="FILE", help="output CSV")
    _add_tokenizer_args(t)
    t.set_defaults(func=_tokens)

    a = sub.add_parser("agreement", help="compare rjieba and jieba on the Chinese spans of each document",
                       description="Token F1 between rjieba and jieba (same lexicon) on runs of Chinese "
                                   "characters, per document and overall.")
    a.add_argument("raw_dir", metavar="RAW_DIR", help="folder of reports, or a built corpus folder")
    a.add_argument("--lexicon", default="default", metavar="FILE", help="domain lexicon ('none' = no lexicon)")
    a.set_defaults(func=_agreement)


def load_texts(path: str):
    """A corpus from a built corpus folder (``documents.csv``) or a folder of raw reports."""
    from govlab.corpus import load_corpus  # checks the completeness marker; refuses non-corpus folders

    corpus = load_corpus(path)
    for row in corpus.errors.itertuples():
        print(f"govlab: not used: {row.file}: {row.reason}", file=sys.stderr)
    return corpus


def _list_arg(value: str):
    return None if value == "none" else value


def _counts(args: argparse.Namespace) -> int:
    from govlab.io import write_csv
    from govlab.text.dfm import count_terms

    corpus = load_texts(args.raw_dir)
    client = None
    if args.scheduler:
        from dask.distributed import Client

        client = Client(args.scheduler)
    try:
        d = count_terms(corpus, backend=args.backend, lexicon=_list_arg(args.lexicon),
                        stopwords=_list_arg(args.stopwords), remove_punct=not args.keep_punct,
                        remove_numbers=args.remove_numbers, allow_empty=True, client=client)
    finally:
        if client is not None:
            client.close()
    df = d.to_frame().sort_values(["doc_id", "term"], kind="stable").reset_index(drop=True)
    write_csv(df, args.out)
    print(f"{d.ndoc()} documents, {d.nfeat()} terms, {len(df)} rows -> {args.out}")
    return 0


def _kwic(args: argparse.Namespace) -> int:
    from govlab.io import write_csv
    from govlab.text.tokens import kwic

    corpus = load_texts(args.raw_dir)
    df = kwic(corpus, args.pattern, window=args.window, valuetype="regex" if args.regex else "fixed")
    if args.out:
        write_csv(df, args.out)
        print(f"{len(df)} matches -> {args.out}")
        return 0
    def flat(s: str) -> str:
        return s.replace("\r", " ").replace("\n", " ").replace("\t", " ")

    try:
        for r in df.itertuples():
            print(f"{r.doc_id}\t{r.start}\t{flat(r.pre):>{args.window}} 【{flat(r.keyword)}】 {flat(r.post)}")
        print(f"{len(df)} matches", file=sys.stderr)
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
    return 0


def _tokens(args: argparse.Namespace) -> int:
    from govlab.io import write_csv
    from govlab.text.tokens import tokens

    corpus = load_texts(args.raw_dir)
    toks = tokens(corpus, backend=args.backend, lexicon=_list_arg(args.lexicon), stopwords=_list_arg(args.stopwords),
                  remove_punct=not args.keep_punct, remove_numbers=args.remove_numbers, allow_empty=True)
    df = toks.to_frame()
    write_csv(df, args.out)
    print(f"{len(toks)} documents, {len(df)} tokens ({toks.segmenter} {toks.segmenter_version}, "
          f"lexicon sha256 {toks.lexicon_sha256[:12]}) -> {args.out}")
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from govlab.text.lexicon import as_lexicon
    from govlab.text.segment import get_segmenter, segmentation_agreement

    corpus = load_texts(args.raw_dir)
    lex = as_lexicon(_list_arg(args.lexicon))
    df = segmentation_agreement(corpus.texts, get_segmenter("rjieba", lex), get_segmenter("jieba", lex))
    print(df.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    return 0
