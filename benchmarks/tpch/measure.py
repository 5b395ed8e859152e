"""Time one TPC-H query on one engine in this (fresh) process; print one JSON line with the measurements.

Run by :mod:`run` as ``python -m benchmarks.tpch.measure --engine dask --query 3 --path DIR --repeat 3``.
The line holds the wall time of every repetition, the process's peak resident memory (``ru_maxrss``, which
includes the interpreter and imports; ``baseline_rss_bytes`` is the RSS before the first run), the number of
rows, and, with ``--check``, whether the answer matches DuckDB's (checked after the memory is recorded).

``--scheduler ADDRESS`` runs the query on that Dask distributed cluster instead (``run --cluster``): this
process is only the client; the line then also holds the number of tasks the first run sent to the cluster.
``--answers DIR`` keeps DuckDB's answers there, so the engines compared share one reference computation.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import resource
import sys
import time

import psutil

from . import engines, reference


def peak_rss_bytes() -> int:
    """Peak resident set size of this process (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(engine: str, n: int, path: str, repeat: int, check: bool, scheduler: str | None = None,
            answers: str | None = None) -> dict:
    """Run query ``n`` ``repeat`` times; return the timings, memory and (optionally) the correctness."""
    engines.warm_up(engine)
    with _client(scheduler, engine) as client:
        record = {"engine": engine, "query": n, "baseline_rss_bytes": psutil.Process().memory_info().rss}
        seconds, result = [], None
        for i in range(repeat):
            with _task_stream(client if i == 0 else None) as stream:
                start = time.perf_counter()
                result = engines.run_query(engine, n, path, on_cluster=client is not None)
                seconds.append(time.perf_counter() - start)
            if stream is not None:
                record["tasks"] = len(stream.data)
        record.update(seconds=seconds, peak_rss_bytes=peak_rss_bytes(), rows=len(result))
    if check:
        try:
            reference.compare(result, _reference_answer(n, path, answers), n)
            record["correct"] = True
        except AssertionError as exc:
            record.update(correct=False, wrong_answer=str(exc).splitlines()[0])
    return record


@contextlib.contextmanager
def _client(scheduler: str | None, engine: str):
    """A distributed.Client of ``scheduler``, the default one while the block runs (None: no cluster); the
    engine's library is imported on the workers first, as it is here."""
    if scheduler is None:
        yield None
        return
    import distributed

    with distributed.Client(scheduler, set_as_default=True) as client:
        client.run(engines.warm_up, engine)
        yield client


@contextlib.contextmanager
def _task_stream(client):
    """The tasks the cluster ran in the block (``.data``), or None without a client."""
    if client is None:
        yield None
        return
    import distributed

    with distributed.get_task_stream(client) as stream:
        yield stream


def _reference_answer(n: int, path: str, answers: str | None):
    """DuckDB's answer to query ``n``: read from ``answers/q<n>.pickle`` when an earlier process saved it."""
    if answers is None:
        return reference.duckdb_answer(n, path)
    saved = os.path.join(answers, f"q{n}.pickle")
    if os.path.exists(saved):
        with open(saved, "rb") as f:
            return pickle.load(f)
    answer = reference.duckdb_answer(n, path)
    with open(saved + f".tmp-{os.getpid()}", "wb") as f:
        pickle.dump(answer, f)
    os.replace(saved + f".tmp-{os.getpid()}", saved)
    return answer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", required=True, choices=sorted(engines.ENGINES))
    parser.add_argument("--query", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="compare the answer with DuckDB's")
    parser.add_argument("--scheduler", default=None, help="address of a Dask distributed scheduler to run on")
    parser.add_argument("--answers", default=None, help="folder keeping DuckDB's answers between processes")
    args = parser.parse_args(argv)
    try:
        record = measure(args.engine, args.query, args.path, args.repeat, args.check, args.scheduler,
                         args.answers)
    except Exception as exc:  # the runner reports the error in the table instead of a time
        record = {"engine": args.engine, "query": args.query, "error": reference.describe_error(exc),
                  "peak_rss_bytes": peak_rss_bytes()}
    print(json.dumps(record), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
