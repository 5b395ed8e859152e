"""Building the graph a ``distributed.Client`` receives, at many partitions (issue 16's target: 10,000 in < 1 s).

    python -m benchmarks.graph_build                      # 10,000 partitions
    python -m benchmarks.graph_build --partitions 1000,10000 --profile

A merge (both sides hash-shuffled) and a groupby with ``split_out=True`` whose inputs come from
``from_map`` (the partitions are made on the workers) or ``from_pandas`` (the client's data cut
into chunks).  For each: the tasks in the graph, the time to build it as a Client would ask for
it (plan, optimization, lowering, tasks, the P2P fusion for the cluster; best of ``--repeat``
runs in fresh collections), the memory the build allocates at its peak (``tracemalloc``, a
separate run: tracing slows the build) and the size of the pickled graph (what the client
ships to the scheduler).  No cluster is started.  ``--profile`` prints cProfile's top
functions.  Writes ``benchmarks/results/graph_build.json`` and ``.md`` with the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"


def collection(op: str, source: str, n: int):
    """The lazy scalar of ``op`` over ``n`` partitions from ``source``."""
    import gpuscale.dataframe as gd
    from benchmarks.cluster_shuffle import _frames

    if source == "from_map":
        left, right = _frames(gd, n, 10 * n)
    else:
        rows = np.arange(4 * n)
        left = gd.from_pandas(pd.DataFrame({"k": rows % 97, "v": rows * 1.0}), npartitions=n)
        right = gd.from_pandas(pd.DataFrame({"k": rows[: 2 * n], "w": rows[: 2 * n] * 0.5}), npartitions=n)
    if op == "merge":
        joined = left.merge(right, on="k", how="inner", broadcast=False, npartitions=n)
        return (joined.v + joined.w).sum()
    return left.groupby("k").v.sum(split_out=True).sum()


def client_graph(lazy) -> dict:
    """The graph ``client.compute(lazy)`` ships (``HLGExpr`` takes ``lazy.dask``)."""
    from gpuscale.runtime.distributed import building_graph_for

    with building_graph_for(True):
        return lazy.dask


def measure(op: str, source: str, n: int, repeat: int) -> dict:
    import cloudpickle

    times, cpu = [], []
    for _ in range(repeat):
        lazy = collection(op, source, n)  # fresh: nothing cached from the run before
        gc.collect()
        began, began_cpu = time.perf_counter(), time.process_time()
        graph = client_graph(lazy)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    tasks, pickled = len(graph), len(cloudpickle.dumps(graph))
    del graph
    lazy = collection(op, source, n)
    gc.collect()
    tracemalloc.start()
    graph = client_graph(lazy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"op": op, "source": source, "partitions": n, "tasks": tasks, "build_s": min(times),
            "build_cpu_s": min(cpu),
            "peak_traced_bytes": peak, "pickled_bytes": pickled}


def profile(op: str, source: str, n: int) -> None:
    lazy = collection(op, source, n)
    profiler = cProfile.Profile()
    profiler.enable()
    client_graph(lazy)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def markdown(rows: list[dict], load: tuple) -> str:
    lines = [f"Load average before the run: {load[0]:.1f} (1 min), {load[1]:.1f} (5 min); "
             f"{os.cpu_count()} cores", "",
             "| op | source | partitions | tasks | build (s) | build, CPU time (s) | traced peak (MB) "
             "| pickled graph (MB) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['op']} | {r['source']} | {r['partitions']:,} | {r['tasks']:,} | {r['build_s']:.2f} "
                     f"| {r['build_cpu_s']:.2f} | {r['peak_traced_bytes'] / 1e6:.1f} "
                     f"| {r['pickled_bytes'] / 1e6:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partitions", default="10000", help="comma-separated partition counts")
    parser.add_argument("--sources", default="from_map,from_pandas")
    parser.add_argument("--ops", default="merge,groupby")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions instead")
    parser.add_argument("--output", default="graph_build", help="results file name (no suffix)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.partitions.split(",")]
    client_graph(collection("merge", "from_map", 8))  # imports and first-use caches out of the timings
    if args.profile:
        for op in args.ops.split(","):
            for source in args.sources.split(","):
                profile(op, source, sizes[-1])
        return 0
    load = os.getloadavg()
    rows = []
    for op in args.ops.split(","):
        for source in args.sources.split(","):
            for n in sizes:
                rows.append(measure(op, source, n, args.repeat))
                print(rows[-1], flush=True)
    table = markdown(rows, load)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.output}.json").write_text(json.dumps({"load_average": load, "results": rows}, indent=2))
    (RESULTS / f"{args.output}.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
