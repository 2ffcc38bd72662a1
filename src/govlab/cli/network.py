"""``govlab network``: build a calibrated synthetic locality, check it and measure it."""
from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("network", help="build, check and measure synthetic participation networks",
                              description="Build, check and measure the synthetic participation networks of "
                                          "the locality configs in datasets/localities/.")
    sub = p.add_subparsers(dest="network_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    def common(sp):
        sp.add_argument("config", metavar="CONFIG", help="a shipped config name (e.g. gansu-extension) or a YAML path")
        sp.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
        sp.add_argument("--scale", type=float, default=None, help="override the config's scale (0 < s <= 1)")
        sp.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value by dotted key (YAML value), repeatable")

    b = sub.add_parser("build", help="build a locality and write its tables",
                       description="Build a locality from CONFIG and SEED and write one file per table "
                                   "(units, members, platforms, assignments, organisations, residents, ties, "
                                   "memberships, policies, events, attendance) plus targets.csv and "
                                   "provenance.csv to OUT_DIR. Same config and seed give identical files.")
    common(b)
    b.add_argument("--out", required=True, metavar="OUT_DIR", help="output folder (created when missing)")
    b.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table format (default parquet)")
    b.set_defaults(func=_build)

    m = sub.add_parser("measures", help="build a locality and write its headline measures",
                       description="Build a locality and write the long table of headline measures "
                                   "(locality, family, measure, group, value) to FILE (.csv or .parquet). "
                                   "With --all-dir, also write every measure table there.")
    common(m)
    m.add_argument("--out", required=True, metavar="FILE", help="output file (.csv or .parquet)")
    m.add_argument("--permutations", type=int, default=50, help="permutations for brokerage z-scores (default 50)")
    m.add_argument("--betweenness-k", type=int, default=64, help="sources sampled for betweenness (default 64)")
    m.add_argument("--all-dir", default=None, metavar="DIR", help="also write every measure table as CSV into DIR")
    m.set_defaults(func=_measures)

    c = sub.add_parser("check", help="check a locality against its report's structural figures",
                       description="Build a locality and print each target figure of its config with the "
                                   "built value; exit status 1 when a target is missed.")
    common(c)
    c.set_defaults(func=_check)

    _register_draft(sub)

    ls = sub.add_parser("list", help="list the shipped locality configs",
                        description="List the shipped locality configs with their report (doc_id) and scale.")
    ls.set_defaults(func=_list)


def _register_draft(sub) -> None:
    d = sub.add_parser("draft", help="draft a locality config from a report",
                       description="Read REPORT (a file, or a document id of datasets/examples or of the corpus in "
                                   "GOVLAB_CORPUS_DIR), extract its figures and write a locality config whose every "
                                   "value is a figure of the report (with its character offsets and counted thing) "
                                   "or a prior marked assumption. Check it with `govlab network check OUT`.")
    d.add_argument("report", metavar="REPORT_OR_CORPUS_DOC", help="a report file or a document id")
    d.add_argument("--out", required=True, metavar="FILE", help="the drafted config (YAML)")
    d.add_argument("--level", choices=("county", "city", "province"), default=None,
                   help="level of the report's locality (default: from its manifest, else county)")
    d.set_defaults(func=_draft)


def _draft(args: argparse.Namespace) -> int:
    from govlab.network.draft import draft_locality, provenance_of, write_draft

    dr = draft_locality(args.report, level=args.level)
    path = write_draft(dr, args.out)
    prov = provenance_of(dr.config)
    n_rep = sum(1 for _, s in prov if s == "report")
    print(f"{path}: {n_rep} values from figures of {dr.config['doc_id']}, "
          f"{sum(1 for _, s in prov if s == 'assumption')} priors (assumption); {len(dr.config['targets'])} targets")
    for key, status in prov:
        print(f"  {key:<40} {status}")
    return 0


def _overrides(args) -> dict:
    from govlab.errors import ConfigError
    from govlab.schema import parse_yaml

    ov = {}
    if args.scale is not None:
        ov["scale"] = args.scale
    for item in args.set:
        if "=" not in item:
            raise ConfigError(f"expected KEY=VALUE, got {item!r}", key="--set")
        k, v = item.split("=", 1)
        ov[k.strip()] = parse_yaml(v, source=f"--set {k.strip()}") if v.strip() else None
    return ov


def _build_locality(args):
    from govlab.network import load_locality_config, synthesize

    cfg = load_locality_config(args.config, overrides=_overrides(args) or None)
    return synthesize(cfg, seed=args.seed)


def _build(args: argparse.Namespace) -> int:
    from govlab.io import write_csv, write_parquet
    from govlab.network.config import config_provenance
    from govlab.network.targets import check_structure_targets

    loc = _build_locality(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in loc.tables().items():
        if args.format == "parquet":
            write_parquet(df, out / f"{name}.parquet")
        else:
            write_csv(df, out / f"{name}.csv")
    write_csv(check_structure_targets(loc), out / "targets.csv")
    write_csv(config_provenance(loc.config), out / "provenance.csv")
    print(f"{loc.name} seed {loc.seed}: " + ", ".join(f"{t}={len(df)}" for t, df in loc.tables().items()) + f" -> {out}")
    return 0


def _measures(args: argparse.Namespace) -> int:
    from govlab.io import write_csv, write_parquet
    from govlab.network.measures import all_measures, measures_summary

    loc = _build_locality(args)
    ms = all_measures(loc, seed=args.seed, n_permutations=args.permutations, betweenness_k=args.betweenness_k)
    summary = measures_summary(loc, ms)
    out = Path(args.out)
    if out.suffix == ".parquet":
        write_parquet(summary, out)
    else:
        write_csv(summary, out)
    if args.all_dir:
        d = Path(args.all_dir)
        for name, df in ms.items():
            write_csv(df, d / f"{name}.csv")
    print(f"{loc.name} seed {loc.seed}: {len(summary)} measures -> {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from govlab.network.targets import check_structure_targets

    loc = _build_locality(args)
    t = check_structure_targets(loc)
    for r in t.itertuples():
        print(f"{'ok ' if r.ok else 'MISS'} {r.id:<28} {r.op:>6} {r.target!s:<8} built {r.value}")
    return 0 if t["ok"].all() else 1


def _list(args: argparse.Namespace) -> int:
    from govlab.network import list_locality_configs, load_locality_config

    for name in list_locality_configs():
        cfg = load_locality_config(name)
        print(f"{name:<22} doc_id={cfg.doc_id:<20} scale={cfg.scale:g}  {cfg.name}")
    return 0
