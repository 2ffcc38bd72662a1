"""Benchmark of govlab.network at province scale.

(a) A Gansu-scale province (config ``gansu-extension`` at ``scale=1.0``: 14 prefectures, 87 county-level
    units, ~1,350 townships, ~17,000 villages, ~25 million residents as strata, ~20,000 members) is
    built and given every measure (``govlab.network.measures.all_measures``) in one process:
    wall time of each step and peak RSS.
(b) Reach (multi-source BFS from all members) on a seeded 1M-node, 3M-edge resident-level graph
    (``govlab.network.synthetic_resident_graph``, the generator of research/networks.md) for govlab
    (scipy CSR + ``csgraph.dijkstra(min_only=True)``), plain networkx (``Graph`` + ``bfs_layers``)
    and igraph (super-source ``bfs``). Each library runs in its own subprocess, which loads the same
    edge arrays from disk, so peak RSS is honest; "extra RSS" is the peak minus the RSS after loading
    the edge arrays. All three must give the same distances.

Goals (issue 4): (a) fits 2 cores and 24 GB; (b) govlab >= 10x faster and >= 5x leaner than networkx,
and no slower than igraph.

Run:  .venv/bin/python benchmarks/bench_network.py [--quick]
Writes benchmarks/results/network.json and prints a table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPEATS = 3  # reach is timed 3 times per library; "reach_s" is the best, "total_s" = build + first


def rss_mib() -> float:
    """Current resident set size (MiB)."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_mib() -> float:
    """Peak resident set size of this process (MiB): VmHWM from /proc (reset at exec, unlike
    ``ru_maxrss``, which Linux carries over from the forking parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- workers
def worker_gansu(scale: float, seed: int) -> dict:
    from govlab.network import synthesize
    from govlab.network.measures import all_measures, measures_summary
    from govlab.network.targets import check_structure_targets

    out: dict = {"scale": scale}
    t0 = time.perf_counter()
    loc = synthesize("gansu-extension", seed=seed, overrides={"scale": scale})
    out["build_s"] = time.perf_counter() - t0
    out["peak_after_build_mib"] = peak_mib()
    u = loc.units
    out["size"] = {
        "cities": int((u["level"] == "city").sum()), "counties": int((u["level"] == "county").sum()),
        "townships": int((u["level"] == "township").sum()), "villages": int((u["level"] == "village").sum()),
        "residents": int(loc.residents["count"].sum()), "strata": len(loc.residents), "members": len(loc.members),
        "platforms": len(loc.platforms), "organisations": len(loc.organisations), "events": len(loc.events),
        "attendance_rows": len(loc.attendance)}
    out["targets_ok"] = bool(check_structure_targets(loc)["ok"].all())
    import govlab.network.measures as M

    timings = {}
    steps = [
        ("coverage", lambda: (M.unit_coverage(loc), M.member_sinking(loc), M.station_standards(loc))),
        ("reach", lambda: M.reach_summary(M.reach(loc))),
        ("representativeness", lambda: (M.representativeness(loc), M.platform_diversity(loc))),
        ("brokerage_gould_fernandez", lambda: M.gould_fernandez(M.affiliation_network(loc), "group", n_permutations=20,
                                                                  seed=seed, permute=loc.members["member_id"])),
        ("ei_index", lambda: M.ei_index(M.member_network(loc), "party")),
        ("bipartite_centrality", lambda: _bip(loc, seed)),
        ("sampled_betweenness_k32", lambda: _bet(loc, seed)),
        ("head_rotation", lambda: M.head_rotation(loc, seed=seed)),
        ("fragmentation", lambda: (M.fragmentation(loc, remove="platforms", n_reps=2, seed=seed),
                                   M.fragmentation(loc, remove="members", n_reps=2, seed=seed))),
    ]
    for name, fn in steps:
        t = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - t
    out["measure_s"] = timings
    t = time.perf_counter()
    summary = measures_summary(loc, all_measures(loc, seed=seed, n_permutations=20, betweenness_k=32))
    out["all_measures_s"] = time.perf_counter() - t
    out["summary_rows"] = len(summary)
    out["peak_mib"] = peak_mib()
    return out


def _bip(loc, seed):
    from govlab.network import member_platform_graph
    from govlab.network.measures import bipartite_centrality

    return bipartite_centrality(member_platform_graph(loc), loc.members["member_id"], betweenness_k=32, seed=seed)


def _bet(loc, seed):
    from govlab.network import to_networkx
    from govlab.network.measures import sampled_betweenness

    return sampled_betweenness(to_networkx(loc), k=32, seed=seed)


def worker_reach(lib: str, path: str) -> dict:
    # import the library first: import time and memory are not part of the comparison
    if lib == "govlab":
        from govlab.network.graph import csr_from_edges, multi_source_hops
    elif lib == "networkx":
        import networkx as nx
    elif lib == "igraph":
        import igraph as ig
    data = np.load(path)
    src, dst, sources, n = data["src"], data["dst"], data["sources"], int(data["n"])
    base = rss_mib()
    out = {"lib": lib, "base_mib": base}
    t0 = time.perf_counter()
    if lib == "govlab":
        A = csr_from_edges(src, dst, n)
        out["build_s"] = time.perf_counter() - t0

        def search():
            return multi_source_hops(A, sources)
    elif lib == "networkx":
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(src.tolist(), dst.tolist()))
        out["build_s"] = time.perf_counter() - t0

        def search():
            dist = np.full(n, np.inf)
            for depth, layer in enumerate(nx.bfs_layers(G, sources.tolist())):
                dist[layer] = depth
            return dist
    elif lib == "igraph":
        g = ig.Graph(n=n + 1, edges=np.column_stack([src, dst]).tolist(), directed=False)
        out["build_s"] = time.perf_counter() - t0
        g.add_edges([(n, int(s)) for s in sources])  # super-source, added once

        def search():
            vids, layers, _ = g.bfs(n)
            dist = np.full(n + 1, np.inf)
            vids = np.asarray(vids)
            for depth in range(len(layers) - 1):
                dist[vids[layers[depth]:layers[depth + 1]]] = depth
            return dist[:n] - 1
    else:
        raise SystemExit(f"unknown lib {lib}")
    times = []
    for _ in range(REPEATS):
        t1 = time.perf_counter()
        dist = search()
        times.append(time.perf_counter() - t1)
    out["reach_first_s"] = times[0]
    out["reach_s"] = min(times)
    out["total_s"] = out["build_s"] + times[0]
    out["peak_mib"] = peak_mib()
    out["extra_mib"] = out["peak_mib"] - base
    fin = np.isfinite(dist)
    out["max_distance"] = int(dist[fin].max())
    out["unreached"] = int((~fin).sum())
    out["checksum"] = int(dist[fin].sum())
    return out


# ---------------------------------------------------------------- driver
def run_worker(args: list[str]) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="2")
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", *args],
                         capture_output=True, text=True, env=env)
    if res.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{res.stderr[-4000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run, not the reported figures)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(HERE / "results" / "network.json"))
    args = ap.parse_args()
    if args.worker:
        kind = args.worker[0]
        if kind == "gansu":
            print(json.dumps(worker_gansu(float(args.worker[1]), int(args.worker[2]))))
        else:
            print(json.dumps(worker_reach(kind, args.worker[1])))
        return 0

    from govlab.io import write_text
    from govlab.network.graph import synthetic_resident_graph

    scale = 0.1 if args.quick else 1.0
    n_nodes, n_edges = (100_000, 300_000) if args.quick else (1_000_000, 3_000_000)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "seed": args.seed}

    print(f"(a) Gansu-scale province, scale={scale} ...", flush=True)
    results["province"] = run_worker(["gansu", str(scale), str(args.seed)])

    print(f"(b) reach on {n_nodes:,} nodes / {n_edges:,} edges ...", flush=True)
    A, nodes = synthetic_resident_graph(n_nodes, n_edges, seed=args.seed)
    import scipy.sparse as sp

    U = sp.triu(A, k=1).tocoo()
    sources = nodes["position"].to_numpy()[(nodes["kind"] == "member").to_numpy()]
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "graph.npz")
        np.savez(path, src=U.row.astype(np.int32), dst=U.col.astype(np.int32), sources=sources.astype(np.int64), n=n_nodes)
        results["graph"] = {"nodes": n_nodes, "edges": int(U.nnz), "sources": int(len(sources))}
        del A, U
        reach = {}
        for lib in ("govlab", "networkx", "igraph"):
            reach[lib] = run_worker([lib, path])
            print(f"    {lib}: reach {reach[lib]['reach_s']:.2f} s, extra RSS {reach[lib]['extra_mib']:.0f} MiB", flush=True)
    results["reach"] = reach
    same = len({(r["max_distance"], r["unreached"], r["checksum"]) for r in reach.values()}) == 1
    g, x, i = reach["govlab"], reach["networkx"], reach["igraph"]
    results["ratios"] = {
        "speed_vs_networkx_reach": x["reach_s"] / g["reach_s"],
        "speed_vs_networkx_total": x["total_s"] / g["total_s"],
        "memory_vs_networkx_extra": x["extra_mib"] / g["extra_mib"],
        "speed_vs_igraph_reach": i["reach_s"] / g["reach_s"],
        "speed_vs_igraph_total": i["total_s"] / g["total_s"],
        "memory_vs_igraph_extra": i["extra_mib"] / g["extra_mib"],
        "same_answer": same,
    }
    r = results["ratios"]
    results["goals"] = {
        "province_within_24GB": results["province"]["peak_mib"] < 24 * 1024,
        "10x_faster_than_networkx": r["speed_vs_networkx_reach"] >= 10,
        "5x_leaner_than_networkx": r["memory_vs_networkx_extra"] >= 5,
        "no_slower_than_igraph": r["speed_vs_igraph_reach"] >= 1 and r["speed_vs_igraph_total"] >= 1,
    }
    write_text(args.out, json.dumps(results, indent=2, sort_keys=True) + "\n")

    p = results["province"]
    print("\n(a) province build and measures")
    print(f"  size: {json.dumps(p['size'])}")
    print(f"  build {p['build_s']:.1f} s | all measures {p['all_measures_s']:.1f} s | peak RSS {p['peak_mib']:.0f} MiB | targets ok: {p['targets_ok']}")
    for k, v in p["measure_s"].items():
        print(f"    {k:<28} {v:7.2f} s")
    print(f"\n(b) reach, {n_nodes:,} nodes, {results['graph']['edges']:,} edges, {results['graph']['sources']:,} sources")
    print(f"  {'library':<10} {'build s':>8} {'reach s (first/best of 3)':>26} {'build+first s':>14} {'peak MiB':>9} {'extra MiB':>10}")
    for lib, v in reach.items():
        print(f"  {lib:<10} {v['build_s']:8.2f} {v['reach_first_s']:12.2f} / {v['reach_s']:<11.2f} {v['total_s']:14.2f} "
              f"{v['peak_mib']:9.0f} {v['extra_mib']:10.0f}")
    print(f"  same answer: {same} (max distance {g['max_distance']}, unreached {g['unreached']})")
    print(f"  govlab vs networkx: {r['speed_vs_networkx_reach']:.1f}x faster reach, {r['speed_vs_networkx_total']:.1f}x faster "
          f"build+reach, {r['memory_vs_networkx_extra']:.1f}x less extra memory")
    print(f"  govlab vs igraph:   {r['speed_vs_igraph_reach']:.1f}x faster reach, {r['speed_vs_igraph_total']:.1f}x faster "
          f"build+reach, {r['memory_vs_igraph_extra']:.1f}x less extra memory")
    print(f"  goals: {json.dumps(results['goals'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
