"""Cleaning throughput on unrepeated real text, cold and warm, beside the engine it replaced and trafilatura.

Corpora (no document is repeated, and the generated one repeats no line):

* ``reports``: the five real reports (``GOVLAB_CORPUS_DIR``);
* ``devset``: the 25 real development texts (``GOVLAB_DEVSET_DIR``, default ``../shared/devset`` from
  the repository root);
* ``generated``: documents written from a seed (``--seed``) out of fictional sentences with random
  figures, with page furniture, HTML, traditional script and hard wraps; no line occurs twice;
* ``html``: the fictional HTML pages of ``benchmarks/data/html`` and the example HTML pages.

Contenders, each run in a fresh child process per corpus:

* ``govlab``: :func:`govlab.corpus.clean_text` of this tree (plain Python);
* ``govlab_numba``: the numba engine it replaced (``--old-commit``, taken with ``git archive``),
  cold once with an empty numba cache (a fresh machine) and once with the cache it left;
* ``trafilatura``: :func:`trafilatura.extract` with its defaults, on the HTML pages only.

Figures, in CPU seconds of the child (``time.process_time``, so other jobs on the machine do not
count), for MB = 10^6 bytes of the decoded text in UTF-8:

* ``cold``: from the child's start through importing the contender and cleaning every document
  once (reading the input excluded): what a user waits for on a first call;
* ``warm``: the best of ``--repeats`` further passes (the same number for every contender).

Quality: body-character F1 of each contender's output on the fictional HTML pages against the
hand-cleaned references beside them (``benchmarks/data/html/*.txt``): characters other than
whitespace, counted as multisets.

Writes ``benchmarks/results/cleaning.json`` and prints a table. Run:
``GOVLAB_CORPUS_DIR=... python benchmarks/bench_cleaning.py`` (``--gen-mb 0.5 --repeats 2`` for a quick
run). A corpus whose folder is missing is reported as skipped, with the reason.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "cleaning.json"
PAGES = ROOT / "benchmarks" / "data" / "html"
OLD_COMMIT = "38a6396"  # the last commit with the numba cleaning engine


# ---------------------------------------------------------------------------------------------
# the child process
def worker(engine: str, inputs: str, repeats: int, outputs: str | None) -> None:
    """Clean the documents of ``inputs`` (a JSON list of ``[text, kind]``) once (cold), then
    ``repeats`` times (warm); print the CPU seconds as JSON."""
    t_read = time.process_time()
    docs = json.loads(Path(inputs).read_text(encoding="utf-8"))
    t_loaded = time.process_time()
    if engine == "trafilatura":
        import trafilatura

        def run(text, kind):
            return trafilatura.extract(text) or ""
    else:
        from govlab.corpus import clean_text

        def run(text, kind):
            return clean_text(text, kind=kind).text
    t_imported = time.process_time()
    first = [run(text, kind) for text, kind in docs]
    t_cold = time.process_time()
    warm = []
    for _ in range(repeats):
        t0 = time.process_time()
        for text, kind in docs:
            run(text, kind)
        warm.append(time.process_time() - t0)
    if outputs:
        Path(outputs).write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    # cold: everything since the child started (interpreter, imports, first pass) but reading the input
    print(json.dumps({"import_s": t_imported - t_loaded, "cold_s": t_cold - (t_loaded - t_read), "warm_s": warm}))


# ---------------------------------------------------------------------------------------------
# corpora
def _read_folder(folder: Path, pattern: str) -> list[tuple[str, str]]:
    from govlab.corpus import read_document

    docs = []
    for p in sorted(folder.glob(pattern)):
        raw = read_document(p)
        docs.append((raw.text, "html" if raw.kind == "html" else "auto"))
    return docs


def corpus_reports() -> list[tuple[str, str]] | str:
    folder = os.environ.get("GOVLAB_CORPUS_DIR")
    if not folder or not Path(folder).is_dir():
        return "GOVLAB_CORPUS_DIR is not set to a folder of reports"
    return _read_folder(Path(folder), "*.txt")


def corpus_devset() -> list[tuple[str, str]] | str:
    folder = Path(os.environ.get("GOVLAB_DEVSET_DIR", ROOT.parent / "shared" / "devset")) / "raw"
    if not folder.is_dir():
        return f"no devset texts in {folder} (set GOVLAB_DEVSET_DIR)"
    return _read_folder(folder, "*.txt")


def corpus_html() -> list[tuple[str, str]]:
    return [(t, "html") for t, _ in _read_folder(PAGES, "*.html") + _read_folder(ROOT / "datasets" / "examples", "*.html")]


PLACES = "青溪 松岭 河湾 石桥 青禾 东岭 南塘 柳川 北坪 云溪 白沙 红旗 新桥 杏林 枫桥 龙泉".split()
UNITS = "委员工作站 协商议事室 委员联络站 议事会 委员工作室 界别活动组 联络组".split()
ACTS = ("开展协商活动{n}场", "收集社情民意信息{n}条", "走访群众{n}人次", "形成建议{n}条", "办结群众诉求{n}件",
        "组织委员调研{n}次", "覆盖村（社区）{n}个", "吸纳群众代表{n}名")
TOPICS = "村道养护 饮水安全 农贸市场 停车难 路灯维修 垃圾分类 老旧小区 加装电梯 托育服务 养老服务 防汛 校园周边".split()
FRAMES = ("{p}{u}围绕{t}问题，{a}，{b}。", "今年以来，{p}{u}{a}，其中{t}方面{b}。", "{p}在{n2}个乡镇设立{u}，{a}。",
          "针对{t}，{p}{u}邀请委员和群众面对面商量，{a}。", "{p}{u}建立{t}台账，{a}，完成率{n3}%。")


def corpus_generated(seed: int, mb: float) -> list[tuple[str, str]]:
    """Documents written from ``seed``: fictional sentences with random figures, with page furniture
    (breadcrumb, metadata, tools, footer), some as HTML, some in traditional script, some wrapped at
    a fixed width as PDF copies are. No line occurs twice in the corpus."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    seen: set[str] = set()

    def line(make):
        while True:
            text = make()
            if text not in seen:
                seen.add(text)
                return text

    def sentence():
        f = rng.choice(FRAMES)
        return f.format(p=rng.choice(PLACES), u=rng.choice(UNITS), t=rng.choice(TOPICS),
                        a=rng.choice(ACTS).format(n=rng.randint(2, 9999)), b=rng.choice(ACTS).format(n=rng.randint(2, 9999)),
                        n2=rng.randint(2, 60), n3=rng.randint(50, 100))

    docs, total, k = [], 0, 0
    while total < mb * 1e6:
        k += 1
        place = rng.choice(PLACES)
        title = line(lambda: f"{place}{rng.choice(UNITS)}{rng.choice(TOPICS)}协商纪实（{rng.randint(1, 10**6)}）")
        paras = [line(lambda: "".join(sentence() for _ in range(rng.randint(2, 6)))) for _ in range(rng.randint(8, 30))]
        head = [line(lambda: f"当前位置：首页 > {place}动态 > 正文{rng.randint(1, 10**7)}"), title,
                line(lambda: f"发布时间：20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                              f"来源：{place}政协 浏览次数：{rng.randint(1, 10**6)}")]
        foot = ["【打印本页】 【关闭窗口】", line(lambda: f"版权所有：{place}政协办公室 某ICP备{rng.randint(1, 10**8):08d}号")]
        style = rng.random()
        if style < 0.3:
            text = ("<html><head><title>" + title + "</title><script>var n=" + str(k) + ";</script></head><body>"
                    "<div class='nav'>首页 | 要闻</div>" + "".join(f"<p>{x}</p>\n" for x in head + paras + foot[1:]) +
                    "</body></html>")
            kind = "html"
        else:
            body = paras
            if style < 0.5:  # wrapped at a fixed width
                width = rng.randint(28, 40)
                body = [p[i:i + width] for p in paras for i in range(0, len(p), width)]
            text = "\n".join(head + body + foot) + "\n"
            kind = "auto"
            if 0.9 < style:
                text = s2t.convert(text)
        docs.append((text, kind))
        total += len(text.encode("utf-8"))
    return docs


# ---------------------------------------------------------------------------------------------
# the parent process
def _run_child(engine: str, src: Path | None, docs, repeats: int, env_extra=None, keep_outputs=False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in.json"
        inputs.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        outputs = Path(tmp) / "out.json"
        env = {**os.environ, **(env_extra or {})}
        if src is not None:
            env["PYTHONPATH"] = str(src)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, "--inputs", str(inputs),
               "--repeats", str(repeats)] + (["--outputs", str(outputs)] if keep_outputs else [])
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        if keep_outputs:
            result["outputs"] = json.loads(outputs.read_text(encoding="utf-8"))
    return result


def _figures(child: dict, mb: float) -> dict:
    best = min(child["warm_s"])
    return {"cold_s": round(child["cold_s"], 3), "import_s": round(child["import_s"], 3),
            "cold_mb_s": round(mb / child["cold_s"], 3), "warm_best_s": round(best, 4),
            "warm_mb_s": round(mb / best, 3) if best > 0 else None, "warm_each_s": [round(x, 4) for x in child["warm_s"]]}


def body_f1(output: str, reference: str) -> float:
    """F1 of the non-whitespace characters of ``output`` against ``reference``, as multisets.

    Examples
    --------
    >>> body_f1("委员 工作站", "委员工作站。")
    0.9090909090909091
    """
    a, b = Counter(c for c in output if not c.isspace()), Counter(c for c in reference if not c.isspace())
    hit = sum((a & b).values())
    if not hit:
        return 0.0
    p, r = hit / sum(a.values()), hit / sum(b.values())
    return 2 * p * r / (p + r)


def old_source(commit: str, folder: Path) -> Path | str:
    """The ``src`` folder of ``commit``, taken with ``git archive`` into ``folder`` (or why not)."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"git archive {commit} failed: {exc}"
    return folder / "src"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="warm passes per contender, best reported (default 5)")
    parser.add_argument("--gen-mb", type=float, default=2.0, help="size of the generated corpus in MB (default 2)")
    parser.add_argument("--seed", type=int, default=20241203, help="seed of the generated corpus")
    parser.add_argument("--old-commit", default=OLD_COMMIT, help="commit of the numba engine to compare with")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", help=argparse.SUPPRESS)
    parser.add_argument("--outputs", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.inputs, args.repeats, args.outputs)
        return {}
    sys.path.insert(0, str(ROOT / "src"))
    pages = sorted(PAGES.glob("*.html"))
    corpora = {"reports": corpus_reports(), "devset": corpus_devset(), "generated": corpus_generated(args.seed, args.gen_mb),
               "html": corpus_html()}
    result: dict = {"python": platform.python_version(), "timer": "time.process_time of a fresh child process",
                    "mb": "10^6 bytes of decoded text in UTF-8", "repeats": args.repeats, "seed": args.seed,
                    "old_commit": args.old_commit, "corpora": {}}
    with tempfile.TemporaryDirectory() as tmp:
        old_src = old_source(args.old_commit, Path(tmp))
        numba_cache = Path(tmp) / "numba_cache"
        for name, docs in corpora.items():
            if isinstance(docs, str):
                result["corpora"][name] = {"skipped": docs}
                print(f"{name}: skipped ({docs})")
                continue
            mb = sum(len(t.encode("utf-8")) for t, _ in docs) / 1e6
            entry = {"documents": len(docs), "mb": round(mb, 4), "chars": sum(len(t) for t, _ in docs)}
            keep = True
            runs = {"govlab": _run_child("govlab", ROOT / "src", docs, args.repeats, keep_outputs=keep)}
            if isinstance(old_src, Path):
                env = {"NUMBA_CACHE_DIR": str(numba_cache / name)}
                runs["govlab_numba"] = _run_child("govlab", old_src, docs, args.repeats, env, keep_outputs=keep)
                cached = _run_child("govlab", old_src, docs, 1, env)
            else:
                entry["govlab_numba"] = {"skipped": old_src}
            if name == "html":
                runs["trafilatura"] = _run_child("trafilatura", None, docs, args.repeats, keep_outputs=True)
            for engine, child in runs.items():
                entry[engine] = _figures(child, mb)
                if name == "html":  # quality on the fictional pages (the first len(pages) documents)
                    refs = [p.with_suffix(".txt").read_text(encoding="utf-8") for p in pages]
                    f1 = {p.stem: round(body_f1(out, ref), 4) for p, out, ref in zip(pages, child["outputs"], refs)}
                    entry[engine]["body_f1"] = f1
                    entry[engine]["body_f1_mean"] = round(sum(f1.values()) / len(f1), 4)
            if "govlab_numba" in runs:
                entry["govlab_numba"]["cold_cached_s"] = round(cached["cold_s"], 3)
                entry["govlab_numba"]["cold_cached_mb_s"] = round(mb / cached["cold_s"], 3)
                entry["same_text_as_numba"] = runs["govlab"]["outputs"] == runs["govlab_numba"]["outputs"]
            result["corpora"][name] = entry
            print(f"{name}: {len(docs)} documents, {mb:.3f} MB")
            for engine in runs:
                e = entry[engine]
                extra = f", F1 {e['body_f1_mean']}" if "body_f1_mean" in e else ""
                print(f"  {engine:13s} cold {e['cold_mb_s']:8.3f} MB/s ({e['cold_s']:.2f} s, import {e['import_s']:.2f} s)"
                      f"  warm {e['warm_mb_s']:8.3f} MB/s{extra}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = RESULTS.with_suffix(".json.tmp")
    tmp_path.write_text(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp_path.replace(RESULTS)
    return result


if __name__ == "__main__":
    main()
