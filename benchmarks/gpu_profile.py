"""Where a TPC-H query's time goes on cuDF partitions: wall time, the device runtime's statistics, and a
sampling profile of every thread, for each setting of the device task gate.

The first GPU run measured gpuscale on cuDF at SF 10 far slower than on the CPU cores (Q2 60 s, Q3 39 s)
without saying why; this is the run that says why. For each query and each ``device.tasks`` value the
query runs once to warm up (CUDA context, kernel loading), then once measured:

* ``wall``: seconds of the measured run (the answer is brought to the host and checked against DuckDB's);
* ``device``: the runtime's :class:`~gpuscale.runtime.DeviceStats` summed over its computations (device
  tasks, results moved to the host and back, peak device bytes);
* ``profile``: a sampling profile of all threads (every ``--interval`` seconds): the share of samples per
  innermost gpuscale function and per innermost library function (cuDF, pandas, pyarrow, ...), threads
  waiting for work left out.

It runs on the strict cuDF stand-in too (``--stand-in``, on a CPU machine: tests the harness, times mean
nothing). Run: ``python -m benchmarks.gpu_profile --sf 10 --queries 2,3 [--tasks 2,none] [--json PATH]``
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterator

IDLE = ("threading.py", "queue.py", "selectors.py")  # frames of a thread that waits


class Sampler:
    """Sample the stacks of all threads but the caller's, every ``interval`` seconds."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval, self.samples = interval, 0
        self.ours: collections.Counter = collections.Counter()
        self.library: collections.Counter = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me, caller = threading.get_ident(), threading.main_thread().ident
        while not self._stop.wait(self.interval):
            for ident, frame in sys._current_frames().items():
                if ident not in (me, caller):
                    self._record(frame)

    def _record(self, frame: Any) -> None:
        leaf = frame.f_code.co_filename
        if leaf.endswith(IDLE):
            return
        self.samples += 1
        self.library[_where(frame)] += 1
        while frame is not None and "/gpuscale/" not in frame.f_code.co_filename:
            frame = frame.f_back
        self.ours[_where(frame) if frame is not None else "(outside gpuscale)"] += 1

    def report(self, top: int = 15) -> dict[str, list]:
        def shares(counter):
            return [[name, round(count / max(self.samples, 1), 3)] for name, count in counter.most_common(top)]

        return {"samples": self.samples, "gpuscale": shares(self.ours), "leaf": shares(self.library)}


def _where(frame: Any) -> str:
    path = frame.f_code.co_filename
    for marker in ("site-packages/", "/gpuscale/", "/lib/python"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{frame.f_code.co_name}"


@contextmanager
def _stand_in() -> Iterator[None]:
    """The strict cuDF stand-in of the test suite as ``cudf`` (``--stand-in``: a CPU run of the harness)."""
    import pytest

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import strict_cudf

    patch = pytest.MonkeyPatch()
    strict_cudf.install(patch)
    try:
        yield
    finally:
        patch.undo()


def profile_query(n: int, path: Path, tasks: int | None, interval: float) -> dict[str, Any]:
    import gpuscale
    from gpuscale.backends import to_host
    from gpuscale.runtime import device_stats

    from benchmarks.tpch import engines, reference

    with gpuscale.config.set({"backend": "gpu", "device.tasks": tasks}):
        engines.gpuscale_answer(n, path)  # warm-up: CUDA context, kernels, caches
        with device_stats() as runs, Sampler(interval) as sampler:
            start = time.perf_counter()
            answer = to_host(engines.gpuscale_answer(n, path))
            wall = time.perf_counter() - start
    reference.compare(answer, reference.duckdb_answer(n, path), n)
    totals: dict[str, Any] = collections.Counter()
    for run in runs:
        for name, value in asdict(run).items():
            if isinstance(value, int) and not name.endswith("limit"):
                totals[name] = max(totals[name], value) if name.startswith("peak") else totals[name] + value
    return {"query": n, "tasks": tasks, "wall": round(wall, 3), "computations": len(runs),
            "device": dict(totals), "profile": sampler.report()}


def _tasks(text: str) -> list[int | None]:
    return [None if part.strip().lower() == "none" else int(part) for part in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sf", type=float, default=10)
    parser.add_argument("--queries", default="2,3")
    parser.add_argument("--tasks", type=_tasks, default=_tasks("2,none"), help="device.tasks values to try")
    parser.add_argument("--interval", type=float, default=0.005)
    parser.add_argument("--stand-in", action="store_true", help="on the strict cuDF stand-in (CPU machines)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from benchmarks.tpch import data, engines

    path = data.generate(args.sf)
    results = []
    with _stand_in() if args.stand_in else _nothing():
        for n in engines.parse_queries(args.queries):
            for tasks in args.tasks:
                result = profile_query(n, path, tasks, args.interval)
                results.append(result)
                print(json.dumps(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield


if __name__ == "__main__":
    sys.exit(main())
