"""Start-up, close time and tiny-task throughput: LocalCUDACluster vs distributed.LocalCluster.

    python -m benchmarks.cluster            # 5 processes of each, 2000 tasks per cluster
    python -m benchmarks.cluster --quick    # 1 run of each, 300 tasks

Both clusters are built with their default arguments (on a GPU-less machine
LocalCUDACluster falls back to CPU workers sized like LocalCluster's), over tcp and
over ucx. Every measurement runs in a fresh Python process (UCX initialises once per
process) that starts two clusters one after the other: the first start is "cold" (first
cluster in the process), the second "warm". The kinds alternate run by run, and the table
reports medians and ratios to LocalCluster.
Writes cluster.json and cluster.md into ``--results-dir`` (default benchmarks/results).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import add_results_dir  # noqa: E402

KINDS = ("LocalCluster", "LocalCUDACluster")


def _increment(x):
    return x + 1


def _make_cluster(kind: str, protocol: str):
    if kind == "LocalCluster":
        from distributed import LocalCluster

        return LocalCluster(protocol=protocol)
    from cuda_workers import LocalCUDACluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CPU-fallback warning
        return LocalCUDACluster(protocol=protocol)


def _one_life(kind: str, protocol: str, n_tasks: int) -> dict:
    """One cluster's life: start (until workers are up), a batch of tiny tasks, close."""
    from distributed import Client

    started = time.perf_counter()
    cluster = _make_cluster(kind, protocol)
    start_s = time.perf_counter() - started
    with Client(cluster) as client:
        n_workers = len(client.scheduler_info()["workers"])
        client.gather(client.map(_increment, range(50), pure=False))  # warm the comms
        began = time.perf_counter()
        results = client.gather(client.map(_increment, range(n_tasks), pure=False))
        task_s = time.perf_counter() - began
        assert results == list(range(1, n_tasks + 1))
    began = time.perf_counter()
    cluster.close()
    close_s = time.perf_counter() - began
    return {"start_s": start_s, "close_s": close_s, "tasks_per_s": n_tasks / task_s, "n_workers": n_workers}


def measure_once(kind: str, protocol: str, n_tasks: int) -> dict:
    """Two lives in one fresh process: the first start is cold, the second warm."""
    os.environ.setdefault("UCX_WARN_UNUSED_ENV_VARS", "n")
    cold = _one_life(kind, protocol, n_tasks)
    warm = _one_life(kind, protocol, n_tasks)
    return {**warm, "cold_start_s": cold["start_s"],
            "tasks_per_s": statistics.mean([cold["tasks_per_s"], warm["tasks_per_s"]])}


def _measure_in_subprocess(kind: str, protocol: str, n_tasks: int) -> dict:
    command = [sys.executable, "-m", "benchmarks.cluster", "--one", kind, protocol, str(n_tasks)]
    out = subprocess.run(command, check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(repeats: int, n_tasks: int, protocols: list[str]) -> list[dict]:
    rows = []
    for protocol in protocols:
        runs = {kind: [] for kind in KINDS}
        for repeat in range(repeats):
            order = KINDS if repeat % 2 == 0 else KINDS[::-1]  # alternate who goes first
            for kind in order:
                runs[kind].append(_measure_in_subprocess(kind, protocol, n_tasks))
                print(f"  {protocol} {kind} run {repeat + 1}: {runs[kind][-1]}", flush=True)
        rows.extend(_summarise(protocol, runs))
    return rows


def _summarise(protocol: str, runs: dict) -> list[dict]:
    medians = {
        kind: {key: statistics.median(r[key] for r in results)
               for key in ("cold_start_s", "start_s", "close_s", "tasks_per_s")}
        for kind, results in runs.items()
    }
    base = medians["LocalCluster"]
    return [
        {"cluster": kind, "protocol": protocol, "n_workers": runs[kind][0]["n_workers"], "runs": len(runs[kind]),
         **m, "cold_start_ratio": m["cold_start_s"] / base["cold_start_s"],
         "start_ratio": m["start_s"] / base["start_s"], "throughput_ratio": m["tasks_per_s"] / base["tasks_per_s"]}
        for kind, m in medians.items()
    ]


def markdown(rows: list[dict], n_tasks: int) -> str:
    lines = [
        f"### Cluster start-up and throughput ({n_tasks} tiny tasks, medians; ratios vs LocalCluster)",
        "",
        "| cluster | protocol | workers | cold start (s) | warm start (s) | close (s) | tasks/s "
        "| cold start ratio | warm start ratio | throughput ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['cluster']} | {r['protocol']} | {r['n_workers']} | {r['cold_start_s']:.2f} | {r['start_s']:.2f} "
            f"| {r['close_s']:.2f} | {r['tasks_per_s']:.0f} | {r['cold_start_ratio']:.2f}x | {r['start_ratio']:.2f}x "
            f"| {r['throughput_ratio']:.2f}x |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--tasks", type=int, default=None)
    parser.add_argument("--protocols", default="tcp,ucx")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "PROTOCOL", "N_TASKS"), help=argparse.SUPPRESS)
    add_results_dir(parser)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_once(args.one[0], args.one[1], int(args.one[2]))))
        return 0
    repeats = args.repeats or (1 if args.quick else 5)
    n_tasks = args.tasks or (300 if args.quick else 2000)
    rows = run(repeats, n_tasks, args.protocols.split(","))
    table = markdown(rows, n_tasks)
    print(table)
    out = Path(args.results_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "cluster.json").write_text(json.dumps({"n_tasks": n_tasks, "repeats": repeats, "rows": rows}, indent=2))
    (out / "cluster.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
