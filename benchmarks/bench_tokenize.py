"""Benchmark: tokenize + count a >= 100 MB Chinese corpus with govlab, against plain ``jieba.lcut``.

The corpus is synthetic and FICTIONAL: sentences written for this benchmark, the project's
fictional example reports (``datasets/examples``), and sentences built from the domain lexicon with
invented place names (unknown words, so that both segmenters also run their HMM). Documents are
3,000-15,000 characters, like the real reports. Its size is measured in UTF-8 bytes.

Measured in one run, in CPU seconds of this process (so other jobs on the machine matter less),
reported as characters per CPU-second, i.e. per core:

* ``govlab.text.count_terms`` with its default backend, ``numba`` (jieba's algorithm compiled with
  numba, segmenting and counting without a Python string per token; :mod:`govlab.text.numba_seg`),
  plus the lexicon, stopword and punctuation removal and the sparse document-term matrix, on the
  whole corpus. Its kernels are compiled (or loaded from numba's on-disk cache) during the set-up,
  outside the timings; the compile time is measured separately, in a child process with an empty
  cache. Its tokens are checked against ``jieba.lcut`` on the subsample (same dictionary, no
  lexicon: they must be identical);
* the same with ``backend="rjieba"`` (jieba-rs, counting with ``collections.Counter``);
* on a subsample of documents (default about 2 M characters, every k-th document): plain
  ``jieba.lcut`` (jieba's own dictionary, HMM on, no counting: the goal's yardstick), the same
  followed by ``collections.Counter``, both ``count_terms`` backends and bare ``rjieba``
  segmentation, on the same text. The subsample is cut into slices measured one after the other
  with every method, so that other jobs on the machine affect them alike. jieba runs on the
  subsample only because it would take minutes on the whole corpus; characters per second are a
  rate, so the ratio is the same, and the table reports both the same-text ratio and the ratio of
  the full-corpus rate to jieba's rate.
* for reference, bare ``rjieba`` segmentation followed by ``collections.Counter``: the floor for any
  segment-and-count done in Python on rjieba's output (a Python string is created and hashed for
  every token), which is why the compiled backend exists.
* optionally (``--dask N``), the same ``count_terms`` on a ``dask.distributed`` LocalCluster with N
  worker processes (wall time; the result is checked to be identical).

Writes ``benchmarks/results/tokenize.json`` and prints a table.

    .venv/bin/python benchmarks/bench_tokenize.py              # 100 MB
    .venv/bin/python benchmarks/bench_tokenize.py --mb 5       # quick
    .venv/bin/python benchmarks/bench_tokenize.py --dask 2     # also on a 2-process LocalCluster
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govlab.io import write_text  # noqa: E402
from govlab.text import count_terms, get_segmenter, load_lexicon  # noqa: E402

COMPILE_SNIPPET = """
import sys, time
sys.path.insert(0, {src!r})
t0 = time.process_time()
from govlab.text import numba_seg
model = numba_seg.build_model(())  # builds the dictionary (about 1 s) with two kernels
model.cut("warm up"); model.count(["warm up"])
print(time.process_time() - t0)
"""


def numba_compile_seconds() -> float:
    """CPU seconds of the numba backend's first use on a machine: import, dictionary build and
    compiling every kernel (a child process with an empty numba cache)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NUMBA_CACHE_DIR": tmp}
        out = subprocess.run([sys.executable, "-c", COMPILE_SNIPPET.format(src=str(ROOT / "src"))], env=env,
                             check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])

GOAL_RATIO = 20.0

# FICTIONAL sentences written for this benchmark (no real place, person or figure).
SENTENCES = [
    "青禾县政协在全县十二个乡镇建成委员工作站，每个工作站配备两名联络员和一名召集人。",
    "去年以来，各工作站围绕乡村道路养护、农田灌溉和集市搬迁等群众关心的事情开展协商，共计四十余场。",
    "县政协推行六步议事，从收集议题、确定议题到议前调研、开展协商、成果报送和结果反馈，环环相扣。",
    "为了防止议而不决、决而不行、行而不久，县里把协商成果纳入乡镇年度考核，实行清单制管理。",
    "议题来源坚持党政点题、群众出题、委员荐题相结合，今年共收到群众来信来电三百多件。",
    "在有事好商量协商议事室里，村民代表、驻村干部和政协委员围坐一桌，就小区停车难的问题各抒己见。",
    "部分委员反映，本职工作繁忙，农忙季节又难以召集群众，下沉到村一级的时间十分有限。",
    "非公经济人士参加协商活动没有误工补贴，交通费用也要自己承担，参与积极性受到影响。",
    "市政协制定了委员工作室建设标准，要求做到六有，并对达标的工作室给予一次性经费支持。",
    "通过五级联动机制，村里提出的议题可以逐级上报，重大事项由市政协组织专题协商会。",
    "石桥镇委员联络站把社情民意信息收集作为日常工作，全年报送信息二十八条，其中五条获得领导批示。",
    "有的乡镇党委副书记兼任工作站站长，换届后人员调整频繁，工作衔接出现断档。",
    "外出务工人员多、留守老人多，空心村现象让一些协商活动难以凑齐人数。",
    "区政协探索网上协商议事室，群众可以用手机留言、投票，线上线下同步讨论。",
    "对于提案办理回头看，政协每年选择十件左右答复为正在解决的提案，组织委员实地察看进展。",
    "调研发现，少数基层干部对协商工作认识不足，认为协商只是走过场，存在上热下冷的情况。",
    "镇里的协商议事会每季度至少召开一次，会前张贴公告，会后公开办理结果，接受群众监督。",
    "民主党派成员组成党派监督组，分别联系一个街道，定期听取居民意见并提出改进建议。",
    "委员们走访了六个村民小组，发放问卷一百五十份，收回有效问卷一百三十二份。",
    "今年县财政首次安排专项经费，用于工作站日常运转和委员下村的交通补助。",
    "协商形式以座谈会为主，视察和问卷调查为辅，网络议政和远程协商使用较少。",
    "各区政协之间交流不多，一个区的好做法往往停留在本区，难以推广到其他地方。",
    "在四级召集人制度下，省、市、县、乡四级都有明确的召集人，负责协调本级协商活动。",
    "工作站按照4+X的要求，每年至少开展四次协商、报送十条社情民意信息，另外自选若干特色活动。",
    "为推动成果转化，县政协与政府办建立了联席会议制度，每半年通报一次协商建议的落实情况。",
    "有居民提出，小区门口的菜市场早晚拥堵，希望通过协商找到既方便买菜又不影响通行的办法。",
    "经过三轮协商，各方同意把临时摊位迁到两百米外的空地，并由社区安排志愿者维持秩序。",
    "这次协商的经验被写进了全县基层协商工作指引，供其他乡镇参考。",
    "委员履职平台记录每位委员参加协商的次数和提出建议的数量，作为年终评优的依据。",
    "雨季来临前，委员们沿着河堤察看了险工险段，提出加固堤防和疏通排水沟的建议。",
    "学校周边交通拥挤，家长接送孩子时常常堵在路口，社区协商后增设了临时停车区。",
    "老旧小区加装电梯涉及低层住户利益，协商议事会前后开了五次会才达成一致。",
    "农村人居环境整治中，村里通过协商确定了垃圾分类的收集时间和保洁员的报酬标准。",
    "部分村民对土地流转价格有意见，镇协商议事室邀请律师和农业专家现场解答。",
    "The county keeps an English summary of each consultation for visiting researchers, 2023 edition.",
]
PLACE_CHARS = list("青禾白沙石桥东岭林山柳溪松坪梅岗杏田桃源枫港云台金湖银河竹园兰亭鹤鸣凤栖龙泉")
LEVELS = ["县", "镇", "乡", "村", "社区", "街道", "市"]
FILLERS = ["推进", "完善", "建立", "落实", "探索", "加强", "规范", "总结", "深化", "健全"]
OBJECTS = ["工作机制", "议事规则", "经费保障", "考核办法", "工作流程", "联系制度", "成果运用", "阵地建设"]


def build_corpus(target_bytes: int, seed: int = 20240417) -> list[str]:
    """Fictional documents of 3,000-15,000 characters until ``target_bytes`` of UTF-8."""
    rng = np.random.default_rng(seed)
    pool = list(SENTENCES)
    examples = ROOT / "datasets" / "examples"
    if examples.is_dir():
        from govlab.corpus import build_corpus as read_examples
        from govlab.text import corpus_reshape

        ex = read_examples(examples)
        pool += [s.strip() for d, t in ex.texts.items() if d != "README"
                 for s in corpus_reshape({d: t}).texts.values() if len(s.strip()) >= 8]
    terms = list(load_lexicon().terms)
    # lexicon sentences with invented place names
    for _ in range(400):
        place = "".join(rng.choice(PLACE_CHARS, 2)) + rng.choice(LEVELS)
        t1, t2 = rng.choice(terms, 2)
        pool.append(f"{place}{rng.choice(FILLERS)}{t1}{rng.choice(OBJECTS)}，{rng.choice(FILLERS)}{t2}。")
    pool_arr = np.array(pool, dtype=object)
    docs, total = [], 0
    while total < target_bytes:
        size = int(rng.integers(3000, 15000))
        parts, n = [], 0
        while n < size:
            para = "".join(pool_arr[rng.integers(0, len(pool_arr), int(rng.integers(3, 9)))])
            parts.append(para)
            n += len(para) + 1
        doc = "\n".join(parts)
        docs.append(doc)
        total += len(doc.encode("utf-8"))
    return docs


def cpu(f, reps: int = 1) -> tuple[float, object]:
    """Best CPU time (process) over ``reps`` runs, and the last result."""
    best, out = float("inf"), None
    for _ in range(reps):
        t0 = time.process_time()
        out = f()
        best = min(best, time.process_time() - t0)
    return best, out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB of UTF-8 (default 100)")
    parser.add_argument("--jieba-chars", type=float, default=2e6,
                        help="characters in the subsample segmented by jieba (default 2,000,000)")
    parser.add_argument("--slices", type=int, default=6,
                        help="the subsample is measured in this many interleaved slices (default 6)")
    parser.add_argument("--dask", type=int, default=0, metavar="N",
                        help="also run on a LocalCluster with N worker processes")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenize.json"))
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    docs = build_corpus(int(args.mb * 1e6))
    n_chars = sum(map(len, docs))
    n_bytes = sum(len(d.encode("utf-8")) for d in docs)
    texts = {f"doc{i:06d}": d for i, d in enumerate(docs)}
    build_s = time.perf_counter() - t0

    # set-up outside the timings: segmenters built once per process
    t0 = time.perf_counter()
    get_segmenter("rjieba", load_lexicon())
    count_terms({"warm": SENTENCES[0]}, backend="rjieba")
    setup_govlab_s = time.perf_counter() - t0
    from govlab.text import numba_seg

    t0 = time.perf_counter()
    get_segmenter("numba", load_lexicon())
    count_terms({"warm": SENTENCES[0]}, backend="numba")  # compiles, or loads the compiled kernels
    setup_numba_s = time.perf_counter() - t0
    cached = numba_seg.loaded_from_cache()
    cache_dir = Path(numba_seg.cache_dir())
    cache_dir = str(cache_dir.relative_to(ROOT) if cache_dir.is_relative_to(ROOT) else cache_dir)
    compile_numba_s = numba_compile_seconds()
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    t0 = time.perf_counter()
    jieba.initialize()
    setup_jieba_s = time.perf_counter() - t0

    # 1. the whole corpus
    w0 = time.perf_counter()
    full_cpu, full = cpu(lambda: count_terms(texts, backend="rjieba"))
    full_wall = time.perf_counter() - w0
    full_numba_cpu, full_numba = cpu(lambda: count_terms(texts, backend="numba"))

    # 2. the same subsample for all four, measured slice by slice and interleaved, so that a change of
    #    load on the machine hits all of them alike; per-slice ratios are reported too
    step = max(1, int(round(n_chars / args.jieba_chars)))
    sub = {k: v for i, (k, v) in enumerate(texts.items()) if i % step == 0}
    sub_chars = sum(map(len, sub.values()))
    keys = list(sub)
    slices = [keys[i::args.slices] for i in range(args.slices)]
    raw = rjieba.Jieba()
    plain_numba = get_segmenter("numba")  # jieba's dictionary only, like jieba.lcut
    jieba_cpu = jieba_count_cpu = govlab_sub_cpu = rjieba_cpu = rjieba_count_cpu = numba_sub_cpu = 0.0
    slice_ratios, numba_slice_ratios = [], []
    n_compared = n_differ = 0
    for ks in slices:
        part = {k: sub[k] for k in ks}
        vals = list(part.values())
        tj, lcut = cpu(lambda: [jieba.lcut(t) for t in vals])
        tg, _ = cpu(lambda: count_terms(part, backend="rjieba"), reps=3)
        tn, _ = cpu(lambda: count_terms(part, backend="numba"), reps=3)
        tjc, _ = cpu(lambda: [Counter(jieba.lcut(t)) for t in vals])
        tr, _ = cpu(lambda: [raw.cut(t) for t in vals], reps=3)
        trc, _ = cpu(lambda: [Counter(raw.cut(t)) for t in vals], reps=3)
        rjieba_count_cpu += trc
        jieba_cpu += tj
        govlab_sub_cpu += tg
        jieba_count_cpu += tjc
        rjieba_cpu += tr
        slice_ratios.append(tj / tg)
        numba_sub_cpu += tn
        numba_slice_ratios.append(tj / tn)
        for t, ref in zip(vals, lcut):  # outside the timings
            n_compared += len(ref)
            n_differ += plain_numba.cut(t) != ref
    rate = {
        "rjieba_count_terms_full": n_chars / full_cpu,
        "rjieba_count_terms_subsample": sub_chars / govlab_sub_cpu,
        "rjieba_cut_subsample": sub_chars / rjieba_cpu,
        "rjieba_cut_counter_subsample": sub_chars / rjieba_count_cpu,
        "jieba_lcut_subsample": sub_chars / jieba_cpu,
        "jieba_lcut_counter_subsample": sub_chars / jieba_count_cpu,
        "numba_count_terms_full": n_chars / full_numba_cpu,
        "numba_count_terms_subsample": sub_chars / numba_sub_cpu,
    }
    result = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "jieba": jieba.__version__, "rjieba": __import__("importlib").metadata.version("rjieba")},
        "corpus": {"documents": len(docs), "characters": n_chars, "utf8_bytes": n_bytes, "build_s": round(build_s, 2),
                   "subsample_documents": len(sub), "subsample_characters": sub_chars, "subsample_every": step},
        "setup_s": {"govlab": round(setup_govlab_s, 3), "jieba": round(setup_jieba_s, 3),
                    "numba": round(setup_numba_s, 3), "numba_kernels_were_cached": cached,
                    "numba_first_use_empty_cache_cpu_s": round(compile_numba_s, 2)},
        "full_corpus": {"cpu_s": round(full_cpu, 2), "wall_s": round(full_wall, 2),
                        "features": full.nfeat(), "nonzero_cells": int(full.matrix.nnz),
                        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
        "chars_per_cpu_second": {k: round(v) for k, v in rate.items()},
        "ratio_vs_jieba": {
            "same_text": round(rate["rjieba_count_terms_subsample"] / rate["jieba_lcut_subsample"], 1),
            "full_corpus_rate": round(rate["rjieba_count_terms_full"] / rate["jieba_lcut_subsample"], 1),
            "same_text_per_slice_median": round(float(np.median(slice_ratios)), 1),
            "same_text_per_slice_range": [round(min(slice_ratios), 1), round(max(slice_ratios), 1)],
            "rjieba_cut_only": round(rate["rjieba_cut_subsample"] / rate["jieba_lcut_subsample"], 1),
            "same_text_vs_jieba_plus_counter": round(
                rate["rjieba_count_terms_subsample"] / rate["jieba_lcut_counter_subsample"], 1),
            "numba_same_text": round(rate["numba_count_terms_subsample"] / rate["jieba_lcut_subsample"], 1),
            "numba_full_corpus_rate": round(rate["numba_count_terms_full"] / rate["jieba_lcut_subsample"], 1),
            "numba_same_text_per_slice_median": round(float(np.median(numba_slice_ratios)), 1),
            "numba_same_text_per_slice_range": [round(min(numba_slice_ratios), 1),
                                                round(max(numba_slice_ratios), 1)],
        },
        "numba": {"version": get_segmenter("numba").version, "cache_dir": cache_dir,
                  "full_corpus_cpu_s": round(full_numba_cpu, 2), "features": full_numba.nfeat(),
                  "nonzero_cells": int(full_numba.matrix.nnz),
                  "subsample_tokens_compared_with_jieba_lcut": n_compared,
                  "subsample_documents_differing_from_jieba_lcut": int(n_differ)},
        "goal_ratio": GOAL_RATIO,
        "goal_met_by_default_backend": bool(min(rate["numba_count_terms_subsample"], rate["numba_count_terms_full"])
                                            / rate["jieba_lcut_subsample"] >= GOAL_RATIO),
    }

    if args.dask:
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            count_terms({"warm": SENTENCES[0]}, client=client)  # workers build their segmenters
            w0 = time.perf_counter()
            dist = count_terms(texts, client=client)  # the default backend (numba)
            dist_wall = time.perf_counter() - w0
        same = dist.features == full_numba.features and (dist.matrix != full_numba.matrix).nnz == 0
        result["dask"] = {"workers": args.dask, "wall_s": round(dist_wall, 2),
                          "chars_per_wall_second": round(n_chars / dist_wall), "identical_to_in_process": same}

    out = Path(args.out)
    write_text(out, json.dumps(result, indent=2, ensure_ascii=False) + "\n")

    mb = n_bytes / 1e6
    print(f"corpus: {len(docs):,} fictional documents, {n_chars:,} characters, {mb:.1f} MB UTF-8 "
          f"(jieba subsample: every {step}th document, {sub_chars:,} characters)")
    print(f"{'what':<46}{'chars / CPU-s':>15}{'vs jieba':>10}")
    jr = rate["jieba_lcut_subsample"]
    for label, key in [("count_terms, rjieba backend, whole corpus", "rjieba_count_terms_full"),
                       ("count_terms, rjieba backend, subsample", "rjieba_count_terms_subsample"),
                       ("rjieba cut only (no lexicon), subsample", "rjieba_cut_subsample"),
                       ("rjieba cut + Counter (no lexicon), subsample", "rjieba_cut_counter_subsample"),
                       ("jieba.lcut (plain), subsample", "jieba_lcut_subsample"),
                       ("jieba.lcut + Counter, subsample", "jieba_lcut_counter_subsample"),
                       ("count_terms, numba (default), whole corpus", "numba_count_terms_full"),
                       ("count_terms, numba (default), subsample", "numba_count_terms_subsample")]:
        print(f"{label:<46}{rate[key]:>15,.0f}{rate[key] / jr:>9.1f}x")
    r = result["ratio_vs_jieba"]
    print(f"rjieba backend vs jieba.lcut on the same text, per slice: median {r['same_text_per_slice_median']}x, "
          f"range {r['same_text_per_slice_range'][0]}-{r['same_text_per_slice_range'][1]}x")
    print(f"numba vs jieba.lcut on the same text, per slice: median {r['numba_same_text_per_slice_median']}x, "
          f"range {r['numba_same_text_per_slice_range'][0]}-{r['numba_same_text_per_slice_range'][1]}x; "
          f"its tokens vs jieba.lcut: {n_differ} of {len(sub)} documents differ ({n_compared:,} tokens)")
    print(f"numba set-up {setup_numba_s:.1f} s (kernels {'loaded from cache' if cached else 'compiled'}); "
          f"first use with an empty cache (import, build, compile) {compile_numba_s:.1f} CPU-s; "
          f"cache: {cache_dir}")
    print(f"whole corpus: {full_cpu:.1f} CPU-s, {full_wall:.1f} s wall, peak RSS "
          f"{result['full_corpus']['peak_rss_mb']:.0f} MB; goal >= {GOAL_RATIO:.0f}x jieba")
    if args.dask:
        d = result["dask"]
        print(f"dask LocalCluster, {d['workers']} processes: {d['wall_s']:.1f} s wall, "
              f"{d['chars_per_wall_second']:,} chars/s, identical: {d['identical_to_in_process']}")
    print(f"-> {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
