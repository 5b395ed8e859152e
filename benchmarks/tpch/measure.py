"""Time one TPC-H query on one engine in this (fresh) process; print one JSON line with the measurements.

Run by :mod:`run` as ``python -m benchmarks.tpch.measure --engine dask --query 3 --path DIR --repeat 3``.
The line holds the wall time of every repetition, the process's peak resident memory (``ru_maxrss``, which
includes the interpreter and imports; ``baseline_rss_bytes`` is the RSS before the first run), the number of
rows, and, with ``--check``, whether the answer matches DuckDB's (checked after the memory is recorded).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import psutil

from . import engines, reference


def peak_rss_bytes() -> int:
    """Peak resident set size of this process (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(engine: str, n: int, path: str, repeat: int, check: bool) -> dict:
    """Run query ``n`` ``repeat`` times; return the timings, memory and (optionally) the correctness."""
    engines.warm_up(engine)
    record = {"engine": engine, "query": n, "baseline_rss_bytes": psutil.Process().memory_info().rss}
    seconds, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = engines.run_query(engine, n, path)
        seconds.append(time.perf_counter() - start)
    record.update(seconds=seconds, peak_rss_bytes=peak_rss_bytes(), rows=len(result))
    if check:
        try:
            reference.compare(result, reference.duckdb_answer(n, path), n)
            record["correct"] = True
        except AssertionError as exc:
            record.update(correct=False, wrong_answer=str(exc).splitlines()[0])
    return record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", required=True, choices=sorted(engines.ENGINES))
    parser.add_argument("--query", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="compare the answer with DuckDB's")
    args = parser.parse_args(argv)
    try:
        record = measure(args.engine, args.query, args.path, args.repeat, args.check)
    except Exception as exc:  # the runner reports the error in the table instead of a time
        record = {"engine": args.engine, "query": args.query, "error": reference.describe_error(exc),
                  "peak_rss_bytes": peak_rss_bytes()}
    print(json.dumps(record), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
