"""Scheduler overhead: gpuscale.get vs dask's local schedulers on tiny tasks, in one run.

Workloads (N tiny tasks each, N=50,000 by default):

* independent: N tasks ``inc(i)`` with no dependencies, all requested;
* chain: ``x0 = inc(0)``, ``x_i = inc(x_{i-1})``, only the last requested.

Each pair runs gpuscale (sync / threads) and dask (``dask.local.get_sync`` /
``dask.threaded.get``) on the same graph.  The median of ``--repeat`` runs is
reported as tasks per second, with the gpuscale/dask ratio; the runs of the
two alternate so that both see the same load on a shared machine.  Writes a markdown
table to stdout and JSON to benchmarks/results/scheduler.json.

Run: ``python benchmarks/scheduler.py [--tasks 50000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import dask  # noqa: E402
import dask.local  # noqa: E402
import dask.threaded  # noqa: E402

import gpuscale  # noqa: E402
from gpuscale.runtime import get  # noqa: E402


def inc(x):
    return x + 1


def independent(n):
    graph = {("inc", i): (inc, i) for i in range(n)}
    return graph, list(graph)


def chain(n):
    graph = {("chain", 0): (inc, 0)}
    graph.update({("chain", i): (inc, ("chain", i - 1)) for i in range(1, n)})
    return graph, ("chain", n - 1)


RUNNERS = {
    "sync": (lambda g, k: get(g, k, scheduler="sync"), lambda g, k: dask.local.get_sync(g, k)),
    "threads": (lambda g, k: get(g, k, scheduler="threads"), lambda g, k: dask.threaded.get(g, k)),
}


def tasks_per_second(runners, workload, n, repeat):
    """Median tasks/s of each runner; runs alternate so both see the same machine load."""
    times = [[] for _ in runners]
    for _ in range(repeat):
        for run, spent in zip(runners, times):
            graph, keys = workload(n)
            start = time.perf_counter()
            run(graph, keys)
            spent.append(time.perf_counter() - start)
    return [n / statistics.median(spent) for spent in times]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "scheduler.json"))
    args = parser.parse_args(argv)
    rows = []
    for name, workload in [("independent", independent), ("chain", chain)]:
        for scheduler, (ours, theirs) in RUNNERS.items():
            mine, peer = tasks_per_second([ours, theirs], workload, args.tasks, args.repeat)
            rows.append({"workload": name, "scheduler": scheduler, "gpuscale_tasks_per_s": round(mine),
                         "dask_tasks_per_s": round(peer), "ratio": round(mine / peer, 2)})
    print(f"{args.tasks} tiny tasks, median of {args.repeat} runs, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, dask {dask.__version__}, gpuscale {gpuscale.__version__}\n")
    print("| workload | scheduler | gpuscale tasks/s | dask tasks/s | gpuscale / dask |")
    print("|---|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row['workload']} | {row['scheduler']} | {row['gpuscale_tasks_per_s']:,} | "
              f"{row['dask_tasks_per_s']:,} | {row['ratio']}x |")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    meta = {"tasks": args.tasks, "repeat": args.repeat, "cores": os.cpu_count(),
            "python": platform.python_version(), "dask": dask.__version__}
    Path(args.out).write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
