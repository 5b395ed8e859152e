"""Scheduler overhead: gpuscale.get vs dask's local schedulers on tiny tasks, in one run.

Workloads (N tiny tasks each, N=50,000 by default):

* independent: N tasks ``inc(i)`` with no dependencies, all requested;
* chain: ``x0 = inc(0)``, ``x_i = inc(x_{i-1})``, only the last requested;
* optional (``--workloads``): tree (a sum tree over N leaves, fan-in 4) and
  shuffle (all-to-all between sqrt(N) inputs and outputs).

Each pair runs gpuscale (sync / threads) and dask (``dask.local.get_sync`` /
``dask.threaded.get``) on the same graph.  The median of ``--repeat`` runs is
reported as tasks per second, with the gpuscale/dask ratio; the runs of the
two alternate so that both see the same load on a shared machine.  Both answers
are compared (exactly: the tasks add integers); a difference is marked in the
table and makes the exit status 1.  Writes a markdown table to stdout and to
``<results-dir>/scheduler.md``, and JSON to ``<results-dir>/scheduler.json``.

Run: ``python -m benchmarks.scheduler [--quick] [--tasks 50000] [--repeat 5]
[--workloads independent,chain,tree,shuffle] [--results-dir benchmarks/results]``
(``--quick``: 5,000 tasks, one run, unless ``--tasks`` / ``--repeat`` are given)
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
from benchmarks.common import add_results_dir, workload_names  # noqa: E402


def inc(x):
    return x + 1


def independent(n):
    graph = {("inc", i): (inc, i) for i in range(n)}
    return graph, list(graph)


def chain(n):
    graph = {("chain", 0): (inc, 0)}
    graph.update({("chain", i): (inc, ("chain", i - 1)) for i in range(1, n)})
    return graph, ("chain", n - 1)


def tree(n, fan_in=4):
    """n leaves summed by a tree of ``sum`` tasks over lists of 4 keys (~1.33 n tasks)."""
    graph = {("leaf", i): (inc, i) for i in range(n)}
    names, level = list(graph), 0
    while len(names) > 1:
        level += 1
        combined = [(f"sum-{level}", j // fan_in) for j in range(0, len(names), fan_in)]
        graph.update({key: (sum, names[fan_in * j:fan_in * (j + 1)]) for j, key in enumerate(combined)})
        names = combined
    return graph, names[0]


def shuffle(n):
    """An all-to-all exchange between sqrt(n) inputs and outputs (~n edges)."""
    width = max(2, int(n ** 0.5))
    graph = {("in", i): (inc, i) for i in range(width)}
    graph.update({("out", j): (sum, [("in", i) for i in range(width)]) for j in range(width)})
    return graph, [("out", j) for j in range(width)]


WORKLOADS = {"independent": independent, "chain": chain, "tree": tree, "shuffle": shuffle}

RUNNERS = {
    "sync": (lambda g, k: get(g, k, scheduler="sync"), lambda g, k: dask.local.get_sync(g, k)),
    "threads": (lambda g, k: get(g, k, scheduler="threads"), lambda g, k: dask.threaded.get(g, k)),
}


def tasks_per_second(runners, workload, n, repeat, size):
    """Median tasks/s of each runner and its first answer; runs alternate so both see the same machine load."""
    times = [[] for _ in runners]
    answers = [None for _ in runners]
    for k in range(repeat):
        for i, (run, spent) in enumerate(zip(runners, times)):
            graph, keys = workload(n)
            start = time.perf_counter()
            answer = run(graph, keys)
            spent.append(time.perf_counter() - start)
            if k == 0:
                answers[i] = _plain(answer)
    return [size / statistics.median(spent) for spent in times], answers


def _plain(answer):
    """An answer as plain nested lists, comparable between the two schedulers' return types."""
    return [_plain(a) for a in answer] if isinstance(answer, (list, tuple)) else answer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 tasks, one run (explicit values win)")
    parser.add_argument("--tasks", type=int, default=None, help="tiny tasks per workload (default 50,000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 5)")
    parser.add_argument("--workloads", type=workload_names(WORKLOADS), default=["independent", "chain"],
                        help=f"comma-separated, from {', '.join(WORKLOADS)}")
    parser.add_argument("--out", default=None, help="the JSON file (default <results-dir>/scheduler.json)")
    add_results_dir(parser)
    return parser


def measure_all(args) -> list:
    rows = []
    for name in args.workloads:
        workload = WORKLOADS[name]
        for scheduler, (ours, theirs) in RUNNERS.items():
            size = len(workload(args.tasks)[0])
            (mine, peer), (a, b) = tasks_per_second([ours, theirs], workload, args.tasks, args.repeat, size)
            rows.append({"workload": name, "tasks": size, "scheduler": scheduler,
                         "gpuscale_tasks_per_s": round(mine),
                         "dask_tasks_per_s": round(peer), "ratio": round(mine / peer, 2), "same_answer": a == b})
    return rows


def markdown(rows: list, args) -> str:
    lines = [f"N={args.tasks} tiny tasks, median of {args.repeat} runs, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, dask {dask.__version__}, gpuscale {gpuscale.__version__}", "",
             "| workload | tasks | scheduler | gpuscale tasks/s | dask tasks/s | gpuscale / dask | same answer |",
             "|---|---:|---|---:|---:|---:|---|"]
    for row in rows:
        lines.append(f"| {row['workload']} | {row['tasks']:,} | {row['scheduler']} | "
                     f"{row['gpuscale_tasks_per_s']:,} | {row['dask_tasks_per_s']:,} | {row['ratio']}x | "
                     f"{'yes' if row['same_answer'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    args = _parser().parse_args(argv)
    args.tasks = args.tasks or (5_000 if args.quick else 50_000)
    args.repeat = args.repeat or (1 if args.quick else 5)
    rows = measure_all(args)
    table = markdown(rows, args)
    print(table)
    out = Path(args.results_dir)
    out.mkdir(parents=True, exist_ok=True)
    json_path = Path(args.out) if args.out else out / "scheduler.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"tasks": args.tasks, "repeat": args.repeat, "cores": os.cpu_count(),
            "python": platform.python_version(), "dask": dask.__version__}
    json_path.write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")
    (out / "scheduler.md").write_text(table)
    wrong = [f"{r['workload']} {r['scheduler']}" for r in rows if not r["same_answer"]]
    if wrong:
        print(f"different answers (gpuscale vs dask): {', '.join(wrong)}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
