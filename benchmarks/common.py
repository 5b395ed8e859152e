"""Parts the benchmark modules share: a child process waited for without hanging, its own peak RSS, the
``--results-dir`` option, workload names checked up front and answers compared with a tolerance."""

from __future__ import annotations

import argparse
import math
import multiprocessing
import queue as queues
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def wait_for(proc, queue, tick=None, poll: float = 0.1):
    """The child's result, or None if it ended without one (killed: the OOM killer sends SIGKILL).

    Waits ``poll`` seconds at a time and checks that the child still lives, so a dead child cannot leave
    the parent blocked on ``queue.get()`` forever; ``tick()`` is called before every wait (for sampling).
    """
    while True:
        if tick is not None:
            tick()
        try:
            return queue.get(timeout=poll)
        except queues.Empty:
            if not proc.is_alive():
                try:  # it may have put its result just before exiting
                    return queue.get(timeout=1)
                except queues.Empty:
                    return None


def death_record(proc) -> dict:
    """The error record of a child that ended without a result."""
    code = proc.exitcode
    return {"error": f"killed by signal {-code}" if (code or 0) < 0 else f"exited with status {code}"}


def run_in_child(target, args: tuple) -> dict:
    """Run ``target(*args, queue)`` in a spawned process; its result, or an error record if it died."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = wait_for(proc, queue)
    proc.join()
    return death_record(proc) if result is None else result


def peak_rss() -> int:
    """This process's own peak resident set size in bytes.

    ``VmHWM`` of ``/proc/self/status`` belongs to this process's address space since its ``exec``, whereas
    ``ru_maxrss`` of a spawned child starts from its parent's resident size at the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def add_results_dir(parser: argparse.ArgumentParser) -> None:
    """The shared ``--results-dir`` option (default ``benchmarks/results``)."""
    parser.add_argument("--results-dir", type=Path, default=RESULTS,
                        help="folder for the JSON and markdown results (default benchmarks/results)")


def workload_names(choices) -> "callable":
    """An argparse ``type`` for a comma-separated list of names from ``choices``: an unknown one is an error."""
    def parse(text: str) -> list:
        names = [n for n in text.split(",") if n]
        unknown = [n for n in names if n not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"unknown workload(s) {unknown}; choose from {', '.join(choices)}")
        return names
    return parse


def close(a, b, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether two numbers (or equal-length sequences of numbers) agree within the tolerance; NaN equals NaN."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, rtol, atol) for x, y in zip(a, b))
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))
