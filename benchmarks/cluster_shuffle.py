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
per measurement and must give the same answer; with ``--repeat N`` each engine runs N times per op and
size, in alternating order, and the row is its median run (every run's wall time beside it).  Writes ``benchmarks/results/cluster_shuffle.json``
and ``.md`` (``cluster_shuffle_spill.*`` with ``--spill``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
ENGINES = ("dask", "gpuscale")
RIGHT_FRACTION = 4  # the right side has a quarter of the left's rows


def left_part(spec: tuple) -> pd.DataFrame:
    """Partition ``i`` of the left table: ``rows`` rows with keys drawn from ``keys`` values (and ``wide``
    more float columns ``x0, x1, ...`` when the spec has a fourth item)."""
    i, rows, keys, *wide = spec
    rng = np.random.default_rng(i)
    columns = {"k": rng.integers(0, keys, rows), "v": rng.random(rows), "p": rng.random(rows)}
    columns.update({f"x{c}": rng.random(rows) for c in range(wide[0] if wide else 0)})
    return pd.DataFrame(columns)


def right_part(spec: tuple) -> pd.DataFrame:
    """Partition ``i`` of the right table: distinct keys ``i, i + n, ...`` (every key once)."""
    i, n, keys = spec
    k = np.arange(i, keys, n)
    return pd.DataFrame({"k": k, "w": k * 0.5})


def _frames(library, n: int, rows: int, wide: int = 0) -> tuple:
    keys = max(rows // RIGHT_FRACTION, 1)
    extra = (wide,) if wide else ()
    left = library.from_map(left_part, [(i, rows // n, keys, *extra) for i in range(n)],
                            meta=left_part((0, 0, 1, *extra)))
    right = library.from_map(right_part, [(i, n, keys) for i in range(n)],
                             meta=pd.DataFrame({"k": np.int64(0), "w": 0.0}, index=[]))
    return left, right


def workload(engine: str, op: str, n: int, rows: int, wide: int = 0):
    """The lazy scalar result of one operation (small, so the answer's transfer costs nothing).

    ``wide``: the left table has that many more float columns and the answer sums every column, so
    all of them go through the shuffle (``--spill``: the shuffle moves all the data).
    """
    if engine == "dask":
        import dask.dataframe as library
        shuffle_kw = {"shuffle_method": "p2p"}  # dask's groupby would otherwise pick its disk shuffle
    else:
        import gpuscale.dataframe as library
        shuffle_kw = {}
    left, right = _frames(library, n, rows, wide)
    if op == "merge":
        joined = left.merge(right, on="k", how="inner", broadcast=False, npartitions=n, **shuffle_kw)
        return joined.sum().sum() if wide else (joined.v + joined.w).sum()
    if wide:
        return left.groupby("k").sum(split_out=True, **shuffle_kw).sum().sum()
    grouped = left.groupby("k").v.sum(split_out=True, **shuffle_kw)
    return grouped.sum()


def graph_of(engine: str, lazy) -> dict:
    """The graph the client sends for ``lazy`` (optimized, as compute would send it)."""
    if engine == "dask":
        return dict(lazy.optimize().__dask_graph__())
    from gpuscale.runtime.distributed import building_graph_for

    with building_graph_for(True):
        return dict(lazy.__dask_graph__())


def measure(engine: str, op: str, n: int, rows: int, cluster_kw: dict, wide: int = 0,
            timeout: float | None = None) -> dict:
    """One engine's run on a fresh cluster; a run past ``timeout`` seconds is cancelled and recorded as not
    finished (``wall_s`` None), so a stalled engine does not stop the benchmark."""
    from distributed import Client, LocalCluster
    from distributed.diagnostics import MemorySampler

    load = os.getloadavg()[0]
    wall_s = worker_peaks = None
    try:
        with LocalCluster(**cluster_kw) as cluster, Client(cluster) as client:
            began = time.perf_counter()
            graph = graph_of(engine, workload(engine, op, n, rows, wide))
            build_s = time.perf_counter() - began
            tasks = len(graph)
            del graph
            sampler = MemorySampler()
            with sampler.sample("run", interval=0.1):
                began = time.perf_counter()
                future = client.compute(workload(engine, op, n, rows, wide))
                try:
                    answer = float(future.result(timeout=timeout))
                    wall_s = time.perf_counter() - began
                except TimeoutError:
                    future.cancel()
                    answer = wall_s = None
            peak = float(sampler.to_pandas().max().iloc[0]) if sampler.samples["run"] else float("nan")
            # each worker's own peak (its system monitor samples the process's memory twice a second; the
            # cluster is fresh, so the peak is this computation's)
            worker_peaks = client.run(_peak_process_memory)
    except TimeoutError:
        if wall_s is not None or worker_peaks is None:  # only the closing of a cancelled run's cluster
            raise
        # a cancelled run's workers may not stop in time for the cluster to close: the run still counts
        # as not finished, and the next measurement gets a fresh cluster
    return {"engine": engine, "op": op, "partitions": n, "rows": rows, "tasks": tasks, "graph_s": build_s,
            "wall_s": wall_s, "peak_cluster_bytes": peak, "peak_worker_bytes": max(worker_peaks.values()),
            "load_average": [load, os.getloadavg()[0]], "answer": answer}


def _peak_process_memory(dask_worker) -> float:
    return float(max(dask_worker.monitor.quantities["memory"]))


def run(sizes: list[int], rows: int, cluster_kw: dict, ops: list[str] = ("merge", "groupby"),
        wide: int = 0, timeout: float | None = None, repeat: int = 1) -> list[dict]:
    """Each engine ``repeat`` times per op and size, the engines' order alternating from one round to the next
    (a machine warming up or loaded for a while weighs on both); each row is an engine's median run."""
    rows_out = []
    for op in ops:
        for n in sizes:
            runs: dict = {engine: [] for engine in ENGINES}
            for round_ in range(repeat):
                for engine in (ENGINES if round_ % 2 == 0 else ENGINES[::-1]):
                    runs[engine].append(measure(engine, op, n, rows, cluster_kw, wide, timeout))
                    print(f"  {op} n={n} {engine}: {runs[engine][-1]}", flush=True)
                a, b = runs["dask"][-1]["answer"], runs["gpuscale"][-1]["answer"]
                if a is not None and b is not None and not np.isclose(a, b, rtol=1e-9):
                    raise AssertionError(f"{op} at {n} partitions: gpuscale gave {b}, dask {a}")
            rows_out.extend(_median_run(runs[engine]) for engine in ENGINES)
    return rows_out


def _median_run(runs: list[dict]) -> dict:
    """The run of median wall time (one that did not finish counts as the slowest), with every run's wall time."""
    ranked = sorted(runs, key=lambda r: (r["wall_s"] is None, r["wall_s"] or 0.0))
    return {**ranked[(len(ranked) - 1) // 2], "wall_runs": [r["wall_s"] for r in runs]}


def markdown(rows: list[dict], title: str) -> str:
    lines = [f"### {title}", "",
             "| op | partitions | engine | tasks | graph build (s) | wall (s) | peak cluster memory (MB) "
             "| peak worker memory (MB) | load average | tasks ratio | graph ratio | wall ratio | wall of each run (s) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    base = {(r["op"], r["partitions"]): r for r in rows if r["engine"] == "dask"}
    for r in rows:
        d = base[(r["op"], r["partitions"])]
        load = "-".join(f"{x:.1f}" for x in r.get("load_average", ()))
        finished = r["wall_s"] is not None
        wall = f"{r['wall_s']:.2f}" if finished else "did not finish"
        wall_ratio = f"{r['wall_s'] / d['wall_s']:.2f}x" if finished and d["wall_s"] is not None else "-"
        lines.append(f"| {r['op']} | {r['partitions']:,} | {r['engine']} | {r['tasks']:,} | {r['graph_s']:.2f} "
                     f"| {wall} | {r['peak_cluster_bytes'] / 1e6:,.0f} "
                     f"| {r.get('peak_worker_bytes', float('nan')) / 1e6:,.0f} | {load} "
                     f"| {r['tasks'] / d['tasks']:.2f}x "
                     f"| {r['graph_s'] / d['graph_s']:.2f}x | {wall_ratio} | {_walls(r)} |")
    return "\n".join(lines) + "\n"


def _walls(row: dict) -> str:
    return ", ".join("-" if w is None else f"{w:.2f}" for w in row.get("wall_runs", [row["wall_s"]]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16, 64, 256 partitions of 1M rows")
    parser.add_argument("--spill", action="store_true",
                        help="data 3x the cluster's memory_limit (2 workers x --memory-limit)")
    parser.add_argument("--rows", type=int, default=None, help="left rows (the right side has a quarter)")
    parser.add_argument("--sizes", default=None, help="comma-separated partition counts")
    parser.add_argument("--memory-limit", default="400MB", help="per worker, for --spill")
    parser.add_argument("--ops", default="merge,groupby", help="comma-separated: merge, groupby")
    parser.add_argument("--wide", type=int, default=5, help="more float columns of the left table, for --spill")
    parser.add_argument("--name", default=None,
                        help="file name of the results in benchmarks/results (default: cluster_shuffle[_spill])")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each engine per op and size (alternating); each row is the median run")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds an engine's run may take before it is cancelled and reported as not finished")
    args = parser.parse_args(argv)
    cluster_kw = {"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    wide = 0
    if args.spill:
        from dask.utils import parse_bytes

        limit, wide = parse_bytes(args.memory_limit), args.wide
        # 3x the cluster's memory in in-memory pandas bytes (8 B a column and row); wide rows: fewer rows
        # for the same bytes, so a slow machine moves the bytes in minutes
        rows = args.rows or int(3 * 2 * limit / (8 * (3 + wide)))
        sizes = [int(s) for s in (args.sizes or "256").split(",")]
        cluster_kw["memory_limit"] = limit
        data = rows * 8 * (3 + wide)
        name, title = "cluster_shuffle_spill", (
            f"Shuffles over {data / (2 * limit):.1f}x the cluster's memory ({rows:,} rows x {3 + wide} columns = "
            f"{data / 1e9:.2f} GB made on the workers, 2 workers x {args.memory_limit}; every column goes through "
            "the shuffle; ratios vs dask P2P)")
    else:
        rows = args.rows or (1_000_000 if args.quick else 4_000_000)
        sizes = [int(s) for s in (args.sizes or ("16,64,256" if args.quick else "16,64,256,1024,4096")).split(",")]
        name, title = "cluster_shuffle", (f"Shuffles on a 2-worker LocalCluster ({rows:,} ⋈ {rows // RIGHT_FRACTION:,} "
                                          "rows, fixed while partitions grow; ratios vs dask P2P)")
    name = args.name or name
    results = run(sizes, rows, cluster_kw, args.ops.split(","), wide, args.timeout, args.repeat)
    table = markdown(results, title)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"rows": rows, "cluster": cluster_kw, "results": results},
                                                     indent=2, default=str))
    (RESULTS / f"{name}.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
