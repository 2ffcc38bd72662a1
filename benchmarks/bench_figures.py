"""Benchmark: figure extraction (govlab.coding.extract_figures_corpus) in MB/s on a >= 100 MB corpus.

The corpus is FICTIONAL: the project's example reports (``datasets/examples``, cleaned with
``govlab.corpus``), report-style sentences with figures and narrative sentences without figures,
all written for govlab, repeated into documents of about 1 MB up to the requested size in UTF-8
bytes. The mix is set (``--density``) to about as many figures per MB as the five real reports
have (about 1,600 per MB); ``--density 0`` uses the figure-dense examples alone (about 9,700 per MB,
a worst case). The rate depends mostly on figures per MB: the scan itself is fast, each figure costs
tens of microseconds.

Measured in one run:

* in process: wall and CPU seconds of this process, MB/s and MB per CPU-second (per core);
* optionally (``--dask N``, default 2), the same call on a ``dask.distributed`` LocalCluster with
  N single-threaded worker processes (wall time; the result is checked to be identical to the
  in-process one).

Writes ``benchmarks/results/figures.json`` and prints a table.

    .venv/bin/python benchmarks/bench_figures.py            # 100 MB, in process and on 2 Dask workers
    .venv/bin/python benchmarks/bench_figures.py --mb 5 --dask 0
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govlab.io import write_text  # noqa: E402

#: Sentences written for this benchmark (fictional places and numbers).
SENTENCES = [
    "（虚构）截至去年底，青溪县共建成“民情议事厅”36个，覆盖全部14个乡镇（街道）和212个村（社区）。",
    "（虚构）全年组织政协委员1500余人次下沉一线，收集意见建议3000多条，其中被采纳的占65%。",
    "（虚构）近3000名群众参与了议事，百分之八十五的村（社区）建立了议事会，八成以上的委员到过村里。",
    "（虚构）每个委员工作站每年开展协商活动不少于4次，报送社情民意信息不少于10条，推行“4+X”模式。",
    "（虚构）一是收集议题，二是确定议题，三是开展协商；围绕十四五规划和三农工作，推行六步议事。",
    "（虚构）全区××名委员中有xx%参加了培训，x个镇尚未建站，区财政安排工作经费50余万元。",
    "（虚构）2021年5月以来，东岭市8个区中仅有2个开通了线上议事，其余6个区仍以会议为主。",
]


#: Narrative sentences without figures, written for this benchmark (reports are mostly narrative).
NARRATIVE = [
    "（虚构）县政协坚持把协商议事室建在群众身边，推动委员走出机关、走进村组，倾听群众的意见和呼声。",
    "（虚构）在镇党委的领导下，议事会邀请村民代表、相关部门和政协委员围绕道路养护问题坦诚交流，形成了共识。",
    "（虚构）议题确定以后，牵头委员带领调研组深入田间地头和企业车间，摸清情况，提出切实可行的对策建议。",
    "（虚构）协商成果报送党委政府后，有关部门逐条研究办理，并在议事室公开办理情况，接受群众监督。",
    "（虚构）一些地方仍存在重形式、轻实效的倾向，部分协商活动准备不足，群众参与的积极性有待提高。",
    "（虚构）今后要进一步完善议事规则，加强对基层干部和委员的培训，推动协商成果更好地转化为治理效能。",
    "（虚构）委员工作站注重发挥界别优势，把专业特长与群众需求对接起来，努力做到小事不出村、大事不出镇。",
    "（虚构）网上议事平台开通以后，外出务工的村民也能通过手机了解议题进展，并在线提出自己的看法。",
]


def build_corpus_texts(target_mb: float, density: float = 1600.0) -> dict[str, str]:
    from govlab.coding import extract_figures
    from govlab.corpus import build_corpus

    corpus = build_corpus(ROOT / "datasets" / "examples")
    base = [t for d, t in sorted(corpus.texts.items()) if d.startswith("ex-")] + ["\n".join(SENTENCES)]
    unit = "\n".join(base)
    if density > 0:
        per_mb = len(extract_figures(unit, "unit")) / (len(unit.encode("utf-8")) / 1e6)
        filler = "\n".join(NARRATIVE)
        # narrative bytes to add so that figures per MB come down to `density`
        extra_bytes = len(unit.encode("utf-8")) * max(per_mb / density - 1.0, 0.0)
        reps = int(round(extra_bytes / len(filler.encode("utf-8"))))
        unit = unit + "\n" + "\n".join([filler] * reps)
    per_doc = max(1, int(1_000_000 / len(unit.encode("utf-8"))))
    doc = "\n".join([unit] * per_doc)
    doc_mb = len(doc.encode("utf-8")) / 1e6
    n_docs = max(1, math.ceil(target_mb / doc_mb))
    return {f"bench-{i:04d}": doc for i in range(n_docs)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB of UTF-8 (default 100)")
    parser.add_argument("--dask", type=int, default=2, help="Dask worker processes (0 to skip; default 2)")
    parser.add_argument("--density", type=float, default=1600.0,
                        help="target figures per MB (default 1600, like the real reports; 0: examples only)")
    args = parser.parse_args(argv)

    from govlab.coding import extract_figures, extract_figures_corpus

    texts = build_corpus_texts(args.mb, args.density)
    mb = sum(len(t.encode("utf-8")) for t in texts.values()) / 1e6
    chars = sum(len(t) for t in texts.values())
    extract_figures("（虚构）预热：建站3个。", "warmup")  # compile patterns, import cn2an

    t0, c0 = time.perf_counter(), time.process_time()
    local = extract_figures_corpus(texts)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    results = {
        "corpus_mb": round(mb, 2), "corpus_chars": chars, "documents": len(texts), "figures": int(len(local)),
        "figures_per_mb": round(len(local) / mb, 1),
        "in_process": {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "mb_per_s": round(mb / wall, 2),
                       "mb_per_cpu_s": round(mb / cpu, 2), "chars_per_cpu_s": int(chars / cpu)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.machine()},
    }
    if args.dask > 0:
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True, dashboard_address=None) \
                as cluster, Client(cluster) as client:
            client.run(lambda: extract_figures("（虚构）预热：建站3个。", "warmup") is not None)
            t0 = time.perf_counter()
            dist = extract_figures_corpus(texts, client=client, npartitions=4 * args.dask)
            dwall = time.perf_counter() - t0
        same = dist.equals(local)
        results["dask"] = {"workers": args.dask, "wall_s": round(dwall, 2), "mb_per_s": round(mb / dwall, 2),
                           "identical_to_in_process": bool(same)}
        if not same:
            print("ERROR: Dask result differs from the in-process result", file=sys.stderr)
    out = ROOT / "benchmarks" / "results" / "figures.json"
    write_text(out, json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    print(f"figure extraction on {mb:.1f} MB ({len(texts)} documents, {len(local)} figures, "
          f"{results['figures_per_mb']} per MB)")
    print(f"{'run':<26} {'wall s':>8} {'MB/s':>8} {'MB/CPU-s':>9}")
    ip = results["in_process"]
    print(f"{'in process (1 core)':<26} {ip['wall_s']:>8} {ip['mb_per_s']:>8} {ip['mb_per_cpu_s']:>9}")
    if "dask" in results:
        d = results["dask"]
        label = "dask, %d workers" % d["workers"]
        print(f"{label:<26} {d['wall_s']:>8} {d['mb_per_s']:>8} {'':>9}  identical: {d['identical_to_in_process']}")
    print(f"-> {out.relative_to(ROOT)}")
    return 0 if results.get("dask", {}).get("identical_to_in_process", True) else 1


if __name__ == "__main__":
    sys.exit(main())
