"""TPC-H side by side: every engine on the same parquet files, one fresh process per engine and query.

    python -m benchmarks.tpch.run --sf 1 --engines gpuscale,dask,pandas,polars,duckdb --queries 1-22
    python -m benchmarks.tpch.run --quick          # SF 0.1, one repetition
    python -m benchmarks.tpch.run --cluster        # SF 10 on a 2-worker distributed.LocalCluster: gpuscale vs dask

Each (query, engine) runs in ``python -m benchmarks.tpch.measure`` with a wall-clock timeout and a
resident-memory ceiling (the child is killed when it crosses either). Engines take turns per query so that
machine noise spreads over all of them. Writes ``benchmarks/results/tpch_sf<N>.json``, ``.md`` and ``.png``
(each to a temporary name, then renamed: never half-written) and prints the table. Ctrl-C or SIGTERM
stops the run, kills the running child and writes what was measured, marked as interrupted.

``--cluster`` measures gpuscale and dask.dataframe on one Dask distributed ``LocalCluster`` (2 worker
processes by default) that this process starts: each (query, engine) still runs in a fresh client process,
between measurements the workers collect garbage and give freed memory back to the system (they are not
restarted: ``Client.restart`` can leave a LocalCluster without workers), and the workers' peak resident
memory is sampled too. Writes ``tpch_cluster_sf<N>.json``, ``.md`` and ``.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from . import data, engines, report

RESULTS = Path(__file__).resolve().parents[1] / "results"
ALL_ENGINES = ("gpuscale", "dask", "pandas", "polars", "duckdb")
CLUSTER_ENGINES = ("gpuscale", "dask")


def run_child(cmd: list[str], timeout: float, memory_limit: int, cwd: Path, workers: list[int] = ()) -> dict:
    """Run one measurement process; return its JSON record, or an error record on timeout / memory / crash.

    ``workers``: ids of cluster worker processes whose summed resident memory is sampled while the child
    runs (``worker_peak_rss_bytes`` in the record; ``client_peak_rss_bytes`` is the child's own, sampled:
    its ``ru_maxrss`` starts from this process's, which holds the cluster's scheduler)."""
    peaks = {"workers": 0, "child": 0}
    with subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            problem = _watch(proc, timeout, memory_limit, workers, peaks)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): never leave the child running
            proc.kill()
            raise
        stdout, stderr = proc.communicate()
    extra = {"worker_peak_rss_bytes": peaks["workers"], "client_peak_rss_bytes": peaks["child"]} if workers else {}
    if problem:
        return {"error": problem, **extra}
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = stderr.strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        return {"error": f"process failed: {tail[0]}", **extra}
    return {**json.loads(lines[-1]), **extra}


def _rss(processes: list) -> int:
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += process.memory_info().rss
    return total


def _watch(proc: subprocess.Popen, timeout: float, memory_limit: int, workers: list[int] = (),
           peaks: dict | None = None) -> str | None:
    """Poll the child; kill it and say why when it runs too long or uses too much memory."""
    child, deadline, peak = psutil.Process(proc.pid), time.monotonic() + timeout, 0
    watched = [psutil.Process(pid) for pid in workers if psutil.pid_exists(pid)]
    peaks = {} if peaks is None else peaks
    while proc.poll() is None:
        try:
            peak = peaks["child"] = max(peak, child.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        if watched:
            peaks["workers"] = max(peaks.get("workers", 0), _rss(watched))
        if time.monotonic() > deadline or peak > memory_limit:
            proc.kill()
            proc.wait()
            if peak > memory_limit:
                return f"memory limit: RSS above {memory_limit / 2**30:.1f} GiB, killed"
            return f"timeout: still running after {timeout:.0f} s, killed"
        time.sleep(0.05)
    return None


@contextlib.contextmanager
def source_tree(kind: str, commit: str):
    """Folder the measurement processes run in: a private export of ``gpuscale`` and
    ``benchmarks`` at ``commit`` (``kind="commit"``: other people's unfinished edits in the working tree cannot change
    the numbers half-way through a run), or the working tree itself (``kind="worktree"``)."""
    if kind == "worktree":
        yield data.REPO_ROOT
        return
    with tempfile.TemporaryDirectory(prefix="gpuscale-tpch-") as folder:
        archive = subprocess.run(["git", "archive", commit, "gpuscale", "benchmarks"], cwd=data.REPO_ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


def run_all(path: Path, names: list[str], numbers: list[int], args) -> dict:
    """Measure every query on every engine; return ``{engine: {query: record}}``."""
    results: dict[str, dict[str, dict]] = {name: {} for name in names}
    try:
        for n in numbers:
            for name in names:
                results[name][str(n)] = record = measure_one(path, name, n, args)
                print(f"Q{n:<2} {name:9} {report.cell(record)}", flush=True)
    except (KeyboardInterrupt, SystemExit):  # keep what was measured; the report says it was cut short
        print("interrupted: writing the results measured so far", flush=True)
        results["_interrupted"] = True
    return results


def measure_one(path: Path, engine: str, n: int, args) -> dict:
    """One (engine, query) measurement in a fresh process (on the cluster when there is one)."""
    cmd = [sys.executable, "-m", "benchmarks.tpch.measure", "--engine", engine, "--query", str(n),
           "--path", str(path), "--repeat", str(args.repeat)] + (["--check"] if args.check else [])
    cluster = getattr(args, "cluster_handle", None)
    workers: list[int] = []
    if cluster is not None:
        workers = cluster.tidy_workers()
        cmd += ["--scheduler", cluster.address, "--answers", cluster.answers]
    return run_child(cmd, args.timeout, int(args.memory_limit_gib * 2**30), args.tree_path, workers)


class Cluster:
    """A ``distributed.LocalCluster`` for ``--cluster`` runs, started in this process.

    Its worker processes are spawned with this process's ``sys.path``, so the source tree being measured
    goes first on it: the workers import the same ``gpuscale`` as the measurement processes.
    """

    def __init__(self, args, tree: Path, answers: str):
        import distributed

        self.tree = str(tree)
        sys.path.insert(0, self.tree)
        self.answers = answers
        memory = int(args.worker_memory_gib * 2**30)
        try:
            self.cluster = distributed.LocalCluster(
                n_workers=args.workers, threads_per_worker=args.threads_per_worker, processes=True,
                memory_limit=memory, dashboard_address=None)
        except BaseException:
            sys.path.remove(self.tree)
            raise
        self.client = distributed.Client(self.cluster, set_as_default=False)
        self.address = self.cluster.scheduler_address
        self.client.wait_for_workers(args.workers)
        self.spec = {"kind": "distributed.LocalCluster", "workers": args.workers,
                     "threads_per_worker": args.threads_per_worker, "memory_limit_bytes": memory,
                     "workers_import_gpuscale_from": sorted(set(self.client.run(_gpuscale_location).values()))}

    def tidy_workers(self) -> list[int]:
        """Let the workers collect garbage and return freed memory to the system; their process ids."""
        return sorted(self.client.run(_release_memory).values())

    def close(self) -> None:
        self.client.close()
        self.cluster.close()
        sys.path.remove(self.tree)


def _release_memory() -> int:
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return os.getpid()


def _gpuscale_location() -> str:
    """Where a worker imports gpuscale from (recorded: it must be the tree being measured)."""
    import gpuscale

    return str(Path(gpuscale.__file__).parent)


@contextlib.contextmanager
def cluster_for(args, tree: Path):
    """The cluster of a ``--cluster`` run (None without ``--cluster``), closed at the end."""
    if not args.cluster:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="gpuscale-tpch-answers-") as answers:
        cluster = Cluster(args, tree, answers)
        try:
            yield cluster
        finally:
            cluster.close()


def head_commit() -> str:
    """The checkout's short HEAD commit, or ``"unknown"`` outside a git checkout (or without git)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=data.REPO_ROOT,
                              capture_output=True, text=True)
    except OSError:
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


def environment(commit: str) -> dict:
    """Machine and library versions, recorded with the results."""
    import importlib.metadata as md

    versions = {}
    for dist in ("dask", "pandas", "polars", "duckdb", "pyarrow", "numpy", "tpchgen-cli"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            versions[dist] = None
    return {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "ram_gib": round(psutil.virtual_memory().total / 2**30, 1), "gpuscale_commit": commit,
            "versions": versions}


def _query_numbers(spec: str) -> list[int]:
    """``--queries`` checked as it is parsed (before any data is generated or cluster started)."""
    try:
        return engines.parse_queries(spec)
    except ValueError as exc:
        reason = str(exc) if str(exc).startswith("TPC-H") else f"not a query list: {spec!r}"
        raise argparse.ArgumentTypeError(f"{reason} (e.g. \"1-22\" or \"1,3,5-7\")") from None


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sf", type=float, default=None, help="scale factor (default 1; 10 with --cluster)")
    parser.add_argument("--engines", default=None, help="comma-separated engine names (default: all; "
                        "gpuscale,dask with --cluster)")
    parser.add_argument("--queries", type=_query_numbers, default="1-22", help='e.g. "1-22" or "1,3,5-7"')
    parser.add_argument("--repeat", type=int, default=None,
                        help="timed runs per query; the median is reported (default 3; 1 with --quick)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per (engine, query) process")
    parser.add_argument("--memory-limit-gib", type=float, default=0.75 * psutil.virtual_memory().total / 2**30,
                        help="kill a process whose RSS exceeds this (default 75%% of RAM)")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="skip comparing each answer with DuckDB's")
    parser.add_argument("--quick", action="store_true",
                        help="SF 0.1, one repetition (an explicit --sf or --repeat wins)")
    parser.add_argument("--tree", choices=["commit", "worktree"], default="commit",
                        help="measure the committed HEAD (default, exported to a temporary folder) or the "
                             "working tree as it is")
    parser.add_argument("--output", default=str(RESULTS), help="folder for tpch_sf<N>.json/.md/.png")
    cluster = parser.add_argument_group("cluster", "--cluster: gpuscale and dask on one distributed.LocalCluster")
    cluster.add_argument("--cluster", action="store_true", help="run the queries on a local Dask distributed "
                         "cluster (writes tpch_cluster_sf<N>.*)")
    cluster.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    cluster.add_argument("--threads-per-worker", type=int, default=None,
                         help="threads per worker (default: the cores shared out, at least 1)")
    cluster.add_argument("--worker-memory-gib", type=float, default=None,
                         help="memory_limit of each worker (default: 60%% of RAM shared out)")
    args = parser.parse_args(argv)
    if args.sf is None:
        args.sf = 0.1 if args.quick else 10.0 if args.cluster else 1.0
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.engines is None:
        args.engines = ",".join(CLUSTER_ENGINES if args.cluster else ALL_ENGINES)
    if args.cluster:
        args.threads_per_worker = args.threads_per_worker or max(1, (os.cpu_count() or 1) // args.workers)
        args.worker_memory_gib = args.worker_memory_gib or \
            0.6 * psutil.virtual_memory().total / 2**30 / args.workers
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    names = [name.strip() for name in args.engines.split(",") if name.strip()]
    known = engines.CLUSTER_ENGINES if args.cluster else engines.ENGINES
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise SystemExit(f"unknown engine(s) {unknown}{' on a cluster' if args.cluster else ''}; "
                         f"choose from {sorted(known)}")
    path = data.generate(args.sf)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_before = os.getloadavg()
    commit = head_commit()
    with source_tree(args.tree, commit) as args.tree_path, cluster_for(args, args.tree_path) as cluster:
        args.cluster_handle = cluster
        results = run_all(path, names, args.queries, args)
        spec = cluster.spec if cluster is not None else None
    interrupted = bool(results.pop("_interrupted", False))
    payload = {"benchmark": "tpch-cluster" if spec else "tpch", "scale_factor": args.sf, "data": str(path),
               "started": started, "interrupted": interrupted, "tree": args.tree,
               "load_average_before": load_before, "load_average_after": os.getloadavg(),
               "repeat": args.repeat, "timeout_s": args.timeout, "engines": names, "checked": args.check,
               "environment": environment(commit), "results": results}
    if spec:
        payload["cluster"] = spec
    table = report.write_all(payload, Path(args.output))
    print(table)


if __name__ == "__main__":  # (as a command only: main() called in a test leaves its handlers alone)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # unwind, killing the child
    main()
