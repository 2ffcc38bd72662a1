"""Benchmark: the text-mining steps (figures, codes, step sequences) on real, unrepeated text, cold
and warm, for one or more versions of govlab.

Texts: every real text found at run time, cleaned once with this checkout's ``govlab.corpus``:
the five reports (``GOVLAB_CORPUS_DIR``), the development set (``GOVLAB_DEVSET_DIR``, else
``../shared/devset``) and any further gold folders named with ``--gold-dir`` (``raw/*.txt`` with two
header lines). No text is repeated; the reports are other people's writing and are never stored.

Contenders: ``--contender NAME=SRC[:DATASETS]``, a ``src`` folder of some govlab version (for
instance a ``git worktree`` of an older commit) and its ``datasets`` folder (default: beside
``src``). This checkout is always measured as ``this``. Each contender runs in fresh processes with
that ``src`` first on ``sys.path`` and ``GOVLAB_DATASETS_DIR`` set:

* **cold**: one fresh process per step that imports govlab and runs the step once over all texts
  (import, codebook and dictionary loading included), median of ``--cold`` processes;
* **warm**: in one process, after a first call, the best of ``--repeats`` calls.

Every contender gets the same texts and the same numbers of processes and repeats. Writes
``benchmarks/results/mining.json`` and prints a table.

    GOVLAB_CORPUS_DIR=../shared/corpus .venv/bin/python benchmarks/bench_mining.py \\
        --gold-dir /path/to/more/gold --contender start=/tmp/start/src
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("figures", "codes", "sequences")

WORKER = r"""
import json, sys, time
t0 = time.perf_counter()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
step, repeats = sys.argv[2], int(sys.argv[3])
from govlab.coding import code_corpus, extract_figures_corpus
try:
    from govlab.coding import extract_step_sequences
    def sequences(t):
        return [extract_step_sequences(x, doc_id=d) for d, x in t.items()]
except ImportError:  # an older govlab: its loops
    from govlab.coding import extract_loops
    def sequences(t):
        return extract_loops(t)
fn = {"figures": extract_figures_corpus, "codes": code_corpus, "sequences": sequences}[step]
t1 = time.perf_counter()
fn(texts)
t2 = time.perf_counter()
warm = []
for _ in range(repeats):
    a = time.perf_counter(); fn(texts); warm.append(time.perf_counter() - a)
import resource
print(json.dumps({"import_s": t1 - t0, "first_s": t2 - t1, "warm_s": min(warm) if warm else None,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def gather_texts(gold_dirs: list[Path]) -> dict[str, str]:
    """Clean every real text found (reports, dev set, further gold folders) with this checkout."""
    sys.path.insert(0, str(ROOT / "src"))
    from govlab.corpus import load_corpus
    from govlab.evaluate import read_text_file

    texts = {}
    corpus = os.environ.get("GOVLAB_CORPUS_DIR")
    if corpus and Path(corpus).is_dir():
        texts.update({f"report:{d}": t for d, t in load_corpus(corpus).texts.items()})
    for d in gold_dirs:
        for p in sorted((d / "raw").glob("*.txt")):
            texts[f"{d.name}:{p.stem}"] = read_text_file(p)
    return texts


def run(src: Path, datasets: Path, texts_file: Path, step: str, repeats: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "GOVLAB_DATASETS_DIR": str(datasets),
           "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", WORKER, str(texts_file), step, str(repeats)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold-dir", action="append", default=[], help="further gold folder with raw/*.txt")
    ap.add_argument("--contender", action="append", default=[], metavar="NAME=SRC[:DATASETS]")
    ap.add_argument("--cold", type=int, default=3, help="fresh processes per step and contender")
    ap.add_argument("--repeats", type=int, default=5, help="warm calls per process (best taken)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "mining.json"))
    args = ap.parse_args(argv)
    devset = Path(os.environ.get("GOVLAB_DEVSET_DIR") or ROOT.parent / "shared" / "devset")
    gold_dirs = [d for d in [devset, *map(Path, args.gold_dir)] if (d / "raw").is_dir()]
    texts = gather_texts(gold_dirs)
    if not texts:
        print("no real texts found: set GOVLAB_CORPUS_DIR and/or GOVLAB_DEVSET_DIR", file=sys.stderr)
        return 2
    chars = sum(map(len, texts.values()))
    contenders = {"this": (ROOT / "src", ROOT / "datasets")}
    for c in args.contender:
        name, _, spec = c.partition("=")
        src, _, ds = spec.partition(":")
        contenders[name] = (Path(src), Path(ds) if ds else Path(src).parent / "datasets")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tf = Path(tmp) / "texts.json"
        tf.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        for name, (src, ds) in contenders.items():
            for step in STEPS:
                cold = [run(src, ds, tf, step, 0) for _ in range(args.cold)]
                warm = run(src, ds, tf, step, args.repeats)
                cold_s = statistics.median(r["import_s"] + r["first_s"] for r in cold)
                results[f"{name}/{step}"] = {
                    "cold_s": round(cold_s, 3), "warm_s": round(warm["warm_s"], 4),
                    "warm_kchars_per_s": round(chars / warm["warm_s"] / 1000, 1),
                    "max_rss_mb": round(max(r["max_rss_mb"] for r in cold + [warm]), 1)}
    report = {"texts": len(texts), "chars": chars, "sources": sorted({k.split(":")[0] for k in texts}),
              "cold_processes": args.cold, "warm_repeats": args.repeats, "results": results,
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.machine()}}
    sys.path.insert(0, str(ROOT / "src"))
    from govlab.io import write_text

    write_text(args.out, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(texts)} real texts, {chars:,} characters; cold = median of {args.cold} fresh processes, "
          f"warm = best of {args.repeats}")
    print(f"{'contender/step':<24}{'cold s':>9}{'warm s':>9}{'warm kchar/s':>14}{'max RSS MB':>12}")
    for k, r in results.items():
        print(f"{k:<24}{r['cold_s']:>9.3f}{r['warm_s']:>9.4f}{r['warm_kchars_per_s']:>14.1f}{r['max_rss_mb']:>12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
