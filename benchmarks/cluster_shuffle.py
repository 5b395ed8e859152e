"""Shuffles on a Dask cluster: gpuscale vs dask.dataframe (P2P) on the same LocalCluster.

    python -m benchmarks.cluster_shuffle                  # 16 ... 4,096 partitions
    python -m benchmarks.cluster_shuffle --quick          # 16, 64, 256 partitions, less data
    python -m benchmarks.cluster_shuffle --spill          # data 3x the cluster's memory_limit

A merge (left ⋈ right on a key, both sides shuffled) and a groupby with one output partition
per input partition (``split_out=True``) over the same rows, generated on the workers
(``from_map``), at a fixed data size while the number of partitions grows.  For each engine and
size: tasks in the graph the client sends, the time to build that graph (optimization
included), the wall time of the computation (graph building included), and the peak memory of
the worker processes (distributed's ``MemorySampler``).  Both engines get the same fresh cluster
per measurement and must give the same answer.  Writes ``benchmarks/results/cluster_shuffle.json``
and ``.md`` (``cluster_shuffle_spill.*`` with ``--spill``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
ENGINES = ("dask", "gpuscale")
RIGHT_FRACTION = 4  # the right side has a quarter of the left's rows


def left_part(spec: tuple) -> pd.DataFrame:
    """Partition ``i`` of the left table: ``rows`` rows with keys drawn from ``keys`` values."""
    i, rows, keys = spec
    rng = np.random.default_rng(i)
    return pd.DataFrame({"k": rng.integers(0, keys, rows), "v": rng.random(rows), "p": rng.random(rows)})


def right_part(spec: tuple) -> pd.DataFrame:
    """Partition ``i`` of the right table: distinct keys ``i, i + n, ...`` (every key once)."""
    i, n, keys = spec
    k = np.arange(i, keys, n)
    return pd.DataFrame({"k": k, "w": k * 0.5})


def _frames(library, n: int, rows: int) -> tuple:
    keys = max(rows // RIGHT_FRACTION, 1)
    left = library.from_map(left_part, [(i, rows // n, keys) for i in range(n)],
                            meta=pd.DataFrame({"k": np.int64(0), "v": 0.0, "p": 0.0}, index=[]))
    right = library.from_map(right_part, [(i, n, keys) for i in range(n)],
                             meta=pd.DataFrame({"k": np.int64(0), "w": 0.0}, index=[]))
    return left, right


def workload(engine: str, op: str, n: int, rows: int):
    """The lazy scalar result of one operation (small, so the answer's transfer costs nothing)."""
    if engine == "dask":
        import dask.dataframe as library
        shuffle_kw = {"shuffle_method": "p2p"}  # dask's groupby would otherwise pick its disk shuffle
    else:
        import gpuscale.dataframe as library
        shuffle_kw = {}
    left, right = _frames(library, n, rows)
    if op == "merge":
        joined = left.merge(right, on="k", how="inner", broadcast=False, npartitions=n, **shuffle_kw)
        return (joined.v + joined.w).sum()
    grouped = left.groupby("k").v.sum(split_out=True, **shuffle_kw)
    return grouped.sum()


def graph_of(engine: str, lazy) -> dict:
    """The graph the client sends for ``lazy`` (optimized, as compute would send it)."""
    if engine == "dask":
        return dict(lazy.optimize().__dask_graph__())
    from gpuscale.runtime.distributed import building_graph_for

    with building_graph_for(True):
        return dict(lazy.__dask_graph__())


def measure(engine: str, op: str, n: int, rows: int, cluster_kw: dict) -> dict:
    from distributed import Client, LocalCluster
    from distributed.diagnostics import MemorySampler

    with LocalCluster(**cluster_kw) as cluster, Client(cluster) as client:
        began = time.perf_counter()
        graph = graph_of(engine, workload(engine, op, n, rows))
        build_s = time.perf_counter() - began
        tasks = len(graph)
        del graph
        sampler = MemorySampler()
        with sampler.sample("run", interval=0.1):
            began = time.perf_counter()
            answer = float(client.compute(workload(engine, op, n, rows), sync=True))
            wall_s = time.perf_counter() - began
        peak = float(sampler.to_pandas().max().iloc[0]) if sampler.samples["run"] else float("nan")
    return {"engine": engine, "op": op, "partitions": n, "rows": rows, "tasks": tasks, "graph_s": build_s,
            "wall_s": wall_s, "peak_cluster_bytes": peak, "answer": answer}


def run(sizes: list[int], rows: int, cluster_kw: dict) -> list[dict]:
    rows_out = []
    for op in ("merge", "groupby"):
        for n in sizes:
            results = {}
            for engine in ENGINES:
                results[engine] = measure(engine, op, n, rows, cluster_kw)
                print(f"  {op} n={n} {engine}: {results[engine]}", flush=True)
            a, b = results["dask"]["answer"], results["gpuscale"]["answer"]
            if not np.isclose(a, b, rtol=1e-9):
                raise AssertionError(f"{op} at {n} partitions: gpuscale gave {b}, dask {a}")
            rows_out.extend(results.values())
    return rows_out


def markdown(rows: list[dict], title: str) -> str:
    lines = [f"### {title}", "",
             "| op | partitions | engine | tasks | graph build (s) | wall (s) | peak cluster memory (MB) "
             "| tasks ratio | graph ratio | wall ratio |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    base = {(r["op"], r["partitions"]): r for r in rows if r["engine"] == "dask"}
    for r in rows:
        d = base[(r["op"], r["partitions"])]
        lines.append(f"| {r['op']} | {r['partitions']:,} | {r['engine']} | {r['tasks']:,} | {r['graph_s']:.2f} "
                     f"| {r['wall_s']:.2f} | {r['peak_cluster_bytes'] / 1e6:,.0f} | {r['tasks'] / d['tasks']:.2f}x "
                     f"| {r['graph_s'] / d['graph_s']:.2f}x | {r['wall_s'] / d['wall_s']:.2f}x |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16, 64, 256 partitions of 1M rows")
    parser.add_argument("--spill", action="store_true",
                        help="data 3x the cluster's memory_limit (2 workers x --memory-limit)")
    parser.add_argument("--rows", type=int, default=None, help="left rows (the right side has a quarter)")
    parser.add_argument("--sizes", default=None, help="comma-separated partition counts")
    parser.add_argument("--memory-limit", default="1GiB", help="per worker, for --spill")
    args = parser.parse_args(argv)
    cluster_kw = {"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    if args.spill:
        from dask.utils import parse_bytes

        limit = parse_bytes(args.memory_limit)
        # 3x the cluster's memory in in-memory pandas bytes (3 float64/int64 columns: 24 B a row)
        rows = args.rows or int(3 * 2 * limit / 24)
        sizes = [int(s) for s in (args.sizes or "64").split(",")]
        cluster_kw["memory_limit"] = limit
        name, title = "cluster_shuffle_spill", (f"Shuffles over 3x the cluster's memory ({rows:,} rows, 2 workers x "
                                                f"{args.memory_limit}; ratios vs dask P2P)")
    else:
        rows = args.rows or (1_000_000 if args.quick else 4_000_000)
        sizes = [int(s) for s in (args.sizes or ("16,64,256" if args.quick else "16,64,256,1024,4096")).split(",")]
        name, title = "cluster_shuffle", (f"Shuffles on a 2-worker LocalCluster ({rows:,} ⋈ {rows // RIGHT_FRACTION:,} "
                                          "rows, fixed while partitions grow; ratios vs dask P2P)")
    results = run(sizes, rows, cluster_kw)
    table = markdown(results, title)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"rows": rows, "cluster": cluster_kw, "results": results},
                                                     indent=2, default=str))
    (RESULTS / f"{name}.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
