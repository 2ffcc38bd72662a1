"""Benchmark: time per document from 1,000 to 100,000 small generated documents.

Researchers bring news corpora of this size, so every corpus-wide step must grow linearly with the
number of documents: the time per document should stay flat from 1,000 to 100,000. The steps timed:

* ``govlab.count_terms`` (rjieba with the domain lexicon, the default path; what
  ``govlab text counts`` runs after reading the corpus);
* ``govlab.code_corpus`` (practice codes with offsets);
* ``govlab.extract_figures_corpus`` (figures that count something);
* ``govlab.build_corpus`` over a folder of ``.txt`` files (reading, cleaning, spans), at the sizes
  given by ``--build-sizes`` (writing 100,000 files takes a while; default 1,000 and 10,000).

Coding and figures run at ``--coding-sizes`` (default 1,000 and 10,000): they are linear too, but
take tens of milliseconds a document (a pandas frame built per document in ``govlab.coding``).

The documents are written by a seeded generator (:func:`generate`): 3-6 lines of fictional
report-style sentences built from the shipped domain lexicon, a list of common words written here
and figures, with **no line repeated** anywhere in the corpus (checked), so that no step profits
from repetition. Each step runs once per size in this process, after a warm-up call on ten
documents (segmenter dictionary and codebook loaded outside the timings; the first call's cost is in
``benchmarks/results/tokenize.json``, cold figures).

Run::

    PYTHONPATH=src python benchmarks/bench_scale.py            # 1k, 10k, 100k; writes the results json
    PYTHONPATH=src python benchmarks/bench_scale.py --sizes 1000 10000 --no-write

Results: ``benchmarks/results/scale.json``. Goal: 100,000 documents count in at most 2 minutes on
2 cores, with the time per document flat (ratio of the largest to the smallest size near 1).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"

# Common words of report prose (written for this benchmark).
COMMON = ("推进 开展 建立 完善 加强 落实 组织 围绕 聚焦 发挥 作用 工作 机制 平台 群众 委员 协商 议事 基层 社区 "
          "村民 居民 乡镇 街道 问题 建议 意见 成果 办理 反馈 调研 走访 座谈 收集 整理 报送 部门 单位 政府 党委 "
          "政协 领导 服务 民生 环境 教育 医疗 养老 道路 水利 农业 产业 就业 文化 安全 治理 制度 规范 标准 考核 "
          "监督 评价 年度 季度 每月 全年 今年 去年 持续 深入 广泛 有效 积极 主动 及时 全面 重点 难点 热点 焦点 "
          "经验 做法 成效 亮点 特色 品牌 阵地 队伍 能力 水平 质量 效率 渠道 方式 形式 内容 过程 环节 步骤").split()
UNITS = ("个", "名", "项", "条", "次", "场", "人次", "件", "家", "户", "万元")
COUNTED = ("委员工作站", "协商议事室", "乡镇", "村(社区)", "委员", "建议", "议题", "活动", "群众", "问题")
PUNCT = ("，", "，", "、", "；")


def _vocabulary() -> list[str]:
    from govlab.text import load_lexicon

    return sorted(set(load_lexicon().terms) | set(COMMON))


def generate(n_docs: int, seed: int = 0) -> dict[str, str]:
    """``n_docs`` fictional documents of 3-6 lines, no line repeated in the whole corpus.

    Parameters
    ----------
    n_docs : int
    seed : int
        Seed of the generator: the same seed gives the same corpus.

    Returns
    -------
    dict
        ``doc-0000001`` ... -> text.
    """
    rng = np.random.default_rng(seed)
    vocab = np.array(_vocabulary(), dtype=object)
    seen: set[str] = set()
    docs = {}
    width = len(str(n_docs))
    for i in range(n_docs):
        lines = []
        for _ in range(int(rng.integers(3, 7))):
            while True:
                words = vocab[rng.integers(0, len(vocab), size=int(rng.integers(8, 16)))].tolist()
                pieces = []
                for j, w in enumerate(words):
                    pieces.append(w)
                    if j and j % 4 == 0:
                        pieces.append(PUNCT[int(rng.integers(0, len(PUNCT)))])
                if rng.random() < 0.6:  # a figure: 建成12个委员工作站
                    pieces.append(f"，建成{int(rng.integers(2, 5000))}{UNITS[int(rng.integers(0, len(UNITS)))]}"
                                  f"{COUNTED[int(rng.integers(0, len(COUNTED)))]}")
                line = "".join(pieces) + "。"
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
                    break
        docs[f"doc-{i:0{width}d}"] = "\n".join(lines) + "\n"
    return docs


def _timed(func, *args, **kwargs) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = func(*args, **kwargs)
    return time.perf_counter() - t0, time.process_time() - c0, out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--coding-sizes", type=int, nargs="*", default=[1_000, 10_000],
                    help="sizes at which code_corpus and extract_figures_corpus are timed (each takes tens "
                         "of milliseconds a document: 100,000 would take most of an hour)")
    ap.add_argument("--build-sizes", type=int, nargs="*", default=[1_000, 10_000],
                    help="sizes at which build_corpus is timed over a folder of files")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-write", action="store_true", help="print, do not write the results json")
    args = ap.parse_args(argv)

    import govlab
    from govlab.coding import load_codebook

    codebook = load_codebook()
    warm = generate(10, seed=args.seed + 1)
    govlab.count_terms(warm)
    govlab.code_corpus(warm, codebook)
    govlab.extract_figures_corpus(warm, codebook=codebook)

    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        docs = generate(n, seed=args.seed)
        gen_s = time.perf_counter() - t0
        n_chars = sum(map(len, docs.values()))
        row = {"documents": n, "characters": n_chars, "generate_s": round(gen_s, 2), "steps": {}}
        steps = [("count_terms", lambda d=docs: govlab.count_terms(d))]
        if n in args.coding_sizes:
            steps += [("code_corpus", lambda d=docs: govlab.code_corpus(d, codebook)),
                      ("extract_figures_corpus", lambda d=docs: govlab.extract_figures_corpus(d, codebook=codebook))]
        for name, call in steps:
            wall, cpu, out = _timed(call)
            size = out.nfeat() if name == "count_terms" else len(out)
            row["steps"][name] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                  "us_per_doc": round(1e6 * wall / n, 1), "output_size": int(size)}
            del out
            print(f"{n:>7} docs  {name:<24} {wall:8.2f} s  {1e6 * wall / n:8.1f} us/doc", flush=True)
        if n in args.build_sizes:
            with tempfile.TemporaryDirectory() as tmp:
                for doc_id, text in docs.items():
                    Path(tmp, f"{doc_id}.txt").write_text(text, encoding="utf-8")
                wall, cpu, corpus = _timed(govlab.build_corpus, tmp)
            row["steps"]["build_corpus"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                            "us_per_doc": round(1e6 * wall / n, 1),
                                            "output_size": len(corpus.texts)}
            print(f"{n:>7} docs  {'build_corpus':<24} {wall:8.2f} s  {1e6 * wall / n:8.1f} us/doc", flush=True)
        rows.append(row)
        del docs

    flat = {}  # per step: time per document at its largest size over its smallest
    for name in ("count_terms", "code_corpus", "extract_figures_corpus", "build_corpus"):
        timed = [r for r in rows if name in r["steps"]]
        if len(timed) > 1:
            flat[name] = {"sizes": [timed[0]["documents"], timed[-1]["documents"]],
                          "ratio_wall": round(timed[-1]["steps"][name]["us_per_doc"]
                                              / timed[0]["steps"][name]["us_per_doc"], 2),
                          "ratio_cpu": round((timed[-1]["steps"][name]["cpu_s"] / timed[-1]["documents"])
                                             / (timed[0]["steps"][name]["cpu_s"] / timed[0]["documents"]), 2)}
    result = {
        "benchmark": "benchmarks/bench_scale.py",
        "command": "PYTHONPATH=src python benchmarks/bench_scale.py " + " ".join(argv or sys.argv[1:]),
        "corpus": "generated: 3-6 fictional lines a document, no line repeated in the corpus, "
                  f"seed {args.seed}",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "versions": {p: metadata.version(p) for p in ("rjieba", "scikit-learn", "scipy", "pandas")},
        "sizes": rows,
        "note": "one process; the machine's 2 cores were shared with other jobs while this ran, so wall "
                "times are upper bounds; cpu_s is this process's CPU time",
        "per_doc_ratio_largest_to_smallest": flat,
        "goal": {"count_terms_100k_max_s": 120,
                 "count_terms_100k_s": next((r["steps"]["count_terms"]["wall_s"] for r in rows
                                             if r["documents"] == 100_000), None)},
    }
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        tmp = RESULTS.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(RESULTS)
        print(f"-> {RESULTS.relative_to(ROOT)}")
    print(json.dumps(flat))
    return result


if __name__ == "__main__":
    main()
