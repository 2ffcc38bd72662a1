"""Benchmark: segmentation on real, unrepeated text -- jieba, rjieba and govlab's default path.

Three corpora, none with repeated text:

* ``reports``: the five real reports (``GOVLAB_CORPUS_DIR``, default ``../shared/corpus``), cleaned
  with ``govlab.build_corpus`` first;
* ``devset``: the 25 real texts of the development set (``GOVLAB_DEVSET_DIR``, default
  ``../shared/devset``; its ``raw/`` folder), cleaned the same way;
* ``generated``: fictional documents from ``benchmarks/bench_scale.py``'s seeded generator, no line
  repeated in the corpus (``--generated-docs``, default 2,000, about 0.3 M characters).

A corpus that is absent is reported as skipped, with the reason.

Contenders, each over every document of a corpus:

* ``jieba``: ``jieba.Tokenizer().lcut(text)`` (jieba 0.42, pure Python; its own dictionary, HMM on);
* ``rjieba``: ``rjieba.cut(text)`` (jieba-rs; the same dictionary, HMM on);
* ``govlab.tokens``: ``govlab.tokens(texts)``: rjieba with the domain lexicon, stopword and
  punctuation removal and character offsets (the default path);
* ``govlab.count_terms``: ``govlab.count_terms(texts)``: the same segmentation, counted into a
  sparse document-term matrix (the default counting path, what ``govlab text counts`` runs).

Two figures for each:

* **cold**: a fresh Python process, timed from before the import to the end of the first pass over
  the corpus (import, dictionary load, first call). jieba gets an empty cache directory, so it
  builds its prefix dictionary from ``dict.txt`` as on a fresh machine; rjieba has no disk cache.
  Median of ``--cold-runs`` processes (default 3).
* **warm**: in one process after a warm-up pass, the best of ``--repeats`` passes (default 10, the
  same number for every contender, jieba included); wall seconds and characters per second.

The contenders take turns (pass by pass, process by process), so that other jobs on the machine
weigh on all of them alike.

Token agreement: rjieba and jieba are compared token by token (a token is its character span) on
each corpus, plain (both with jieba's dictionary) and with govlab's lexicon loaded in both; the
number of tokens of either that the other does not have is reported (0 = identical tokens).

Run::

    PYTHONPATH=src python benchmarks/bench_tokenize.py            # writes benchmarks/results/tokenize.json
    PYTHONPATH=src python benchmarks/bench_tokenize.py --no-write --repeats 3 --cold-runs 1
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
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "tokenize.json"
CONTENDERS = ("jieba", "rjieba", "govlab.tokens", "govlab.count_terms")

# One pass over the texts in a fresh process; prints the seconds from before the import.
COLD = r"""
import json, sys, time
t0 = time.perf_counter()
name, path = sys.argv[1], sys.argv[2]
texts = json.loads(open(path, encoding="utf-8").read())
t_read = time.perf_counter() - t0
t0 = time.perf_counter()
if name == "jieba":
    import logging, tempfile
    import jieba
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.mkdtemp()  # empty cache: the prefix dictionary is built from dict.txt
    for t in texts.values():
        tok.lcut(t)
elif name == "rjieba":
    import rjieba
    for t in texts.values():
        rjieba.cut(t)
elif name == "govlab.tokens":
    import govlab
    govlab.tokens(texts)
else:
    import govlab
    govlab.count_terms(texts)
print(time.perf_counter() - t0)
"""


def _corpus_texts(kind: str, generated_docs: int) -> tuple[dict | None, str]:
    """(doc_id -> clean text, or None when absent; where it came from)."""
    if kind == "generated":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_scale import generate

        return generate(generated_docs, seed=0), f"bench_scale.generate({generated_docs}, seed=0)"
    from govlab.corpus import build_corpus

    if kind == "reports":
        path = Path(os.environ.get("GOVLAB_CORPUS_DIR") or ROOT.parent / "shared" / "corpus")
    else:
        path = Path(os.environ.get("GOVLAB_DEVSET_DIR") or ROOT.parent / "shared" / "devset") / "raw"
    if not path.is_dir():
        return None, f"skipped: {path} not found (set {'GOVLAB_CORPUS_DIR' if kind == 'reports' else 'GOVLAB_DEVSET_DIR'})"
    corpus = build_corpus(path)
    return dict(corpus.texts), f"{path.name if kind == 'reports' else 'devset/raw'}, cleaned by govlab.build_corpus"


def _runner(name: str):
    """A function running one pass of contender ``name`` over a dict of texts (loaded, warm)."""
    if name == "jieba":
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        return lambda texts: [tok.lcut(t) for t in texts.values()]
    if name == "rjieba":
        import rjieba

        return lambda texts: [rjieba.cut(t) for t in texts.values()]
    import govlab

    if name == "govlab.tokens":
        return govlab.tokens
    return govlab.count_terms


def warm_all(texts: dict, repeats: int) -> dict:
    """Best of ``repeats`` passes per contender, the contenders taking turns pass by pass (so that
    other jobs on the machine weigh on all of them alike)."""
    runs = {name: _runner(name) for name in CONTENDERS}
    for run in runs.values():
        run(texts)  # warm-up: dictionaries loaded, caches filled
    walls: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    for _ in range(repeats):
        for name, run in runs.items():
            t0 = time.perf_counter()
            run(texts)
            walls[name].append(time.perf_counter() - t0)
    n_chars = sum(map(len, texts.values()))
    return {name: {"repeats": repeats, "best_s": round(min(w), 5), "median_s": round(statistics.median(w), 5),
                   "chars_per_s_best": round(n_chars / min(w))} for name, w in walls.items()}


def cold_all(texts: dict, runs: int) -> dict:
    """Median and minimum over ``runs`` fresh processes per contender, the contenders taking turns."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as fh:
        json.dump(texts, fh, ensure_ascii=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    try:
        for _ in range(runs):
            for name in CONTENDERS:
                out = subprocess.run([sys.executable, "-c", COLD, name, fh.name], capture_output=True,
                                     text=True, env=env, check=True)
                times[name].append(float(out.stdout.strip().splitlines()[-1]))
    finally:
        os.unlink(fh.name)
    return {name: {"runs": runs, "median_s": round(statistics.median(t), 3), "min_s": round(min(t), 3)}
            for name, t in times.items()}


def _spans(tokens: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for t in tokens:
        out.add((pos, pos + len(t)))
        pos += len(t)
    return out


def _shape(token: str) -> str:
    """A differing token's shape, never its text: digits -> 9, ASCII letters -> a, CJK -> 字."""
    return "".join("9" if c.isdigit() else "a" if c.isascii() and c.isalpha() else "字" if "\u4e00" <= c <= "\u9fff"
                   else c for c in token)


def agreement(texts: dict) -> dict:
    """Tokens of rjieba not produced by jieba and the reverse, plain and with govlab's lexicon."""
    from govlab.text import get_segmenter, load_lexicon

    out = {}
    for label, lex in (("plain", None), ("lexicon", load_lexicon())):
        a, b = get_segmenter("rjieba", lex), get_segmenter("jieba", lex)
        n_a = n_b = only_a = only_b = docs_differ = 0
        examples = []
        for text in texts.values():
            sa, sb = _spans(a.cut(text)), _spans(b.cut(text))
            n_a, n_b = n_a + len(sa), n_b + len(sb)
            da, db = sa - sb, sb - sa
            only_a, only_b = only_a + len(da), only_b + len(db)
            docs_differ += bool(da or db)
            for s, e in sorted(da)[:2]:
                if len(examples) < 5:
                    examples.append(_shape(text[s:e]))
        out[label] = {"tokens_rjieba": n_a, "tokens_jieba": n_b, "rjieba_tokens_not_in_jieba": only_a,
                      "jieba_tokens_not_in_rjieba": only_b, "documents_with_a_difference": docs_differ,
                      "differing_token_shapes": examples}
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=10, help="warm passes per contender (the same for all)")
    ap.add_argument("--cold-runs", type=int, default=3, help="fresh processes per contender")
    ap.add_argument("--generated-docs", type=int, default=2_000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    corpora = {}
    for kind in ("reports", "devset", "generated"):
        texts, source = _corpus_texts(kind, args.generated_docs)
        if texts is None:
            corpora[kind] = {"skipped": source}
            print(f"{kind}: {source}")
            continue
        n_chars = sum(map(len, texts.values()))
        entry = {"source": source, "documents": len(texts), "characters": n_chars,
                 "warm": warm_all(texts, args.repeats), "cold": cold_all(texts, args.cold_runs)}
        for name in CONTENDERS:
            w, c = entry["warm"][name], entry["cold"][name]
            print(f"{kind:<9} {name:<19} warm best {1000 * w['best_s']:9.1f} ms "
                  f"({w['chars_per_s_best'] / 1e6:6.2f} M chars/s)   cold median {c['median_s']:6.2f} s", flush=True)
        jb = entry["warm"]["jieba"]["best_s"]
        entry["warm_speedup_vs_jieba"] = {n: round(jb / entry["warm"][n]["best_s"], 1) for n in CONTENDERS}
        entry["agreement_rjieba_vs_jieba"] = agreement(texts)
        print(f"{kind:<9} agreement {json.dumps(entry['agreement_rjieba_vs_jieba'], ensure_ascii=False)}", flush=True)
        corpora[kind] = entry

    result = {
        "benchmark": "benchmarks/bench_tokenize.py",
        "command": "PYTHONPATH=src python benchmarks/bench_tokenize.py " + " ".join(argv or sys.argv[1:]),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "note": "2 cores shared with other jobs while this ran: the warm best-of-N is the least "
                            "disturbed pass; cold medians include that noise"},
        "versions": {p: metadata.version(p) for p in ("jieba", "rjieba")},
        "contenders": {
            "jieba": "jieba.Tokenizer().lcut, jieba's dictionary, HMM on",
            "rjieba": "rjieba.cut, jieba's dictionary, HMM on",
            "govlab.tokens": "govlab.tokens(texts): rjieba + domain lexicon, stopwords and punctuation removed, offsets",
            "govlab.count_terms": "govlab.count_terms(texts): the same, counted into a sparse matrix",
        },
        "corpora": corpora,
    }
    if not args.no_write:
        tmp = RESULTS.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(RESULTS)
        print(f"-> {RESULTS.relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    main()
