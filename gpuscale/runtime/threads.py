"""The threaded executor (the default): a few worker threads share one scheduling state.

There is no central dispatcher.  Each worker, holding the state lock, records
the results of the tasks it just ran, marks dependents whose inputs are all
there as ready, releases results whose last consumer ran, then takes the next
ready tasks (lowest position in the memory-friendly order first) and runs them
with the lock released.  A chain therefore runs in one thread without hand-offs,
and tiny tasks are taken in growing batches (up to ``_MAX_BATCH`` while a batch
runs in under a millisecond) so the lock is taken once per batch, not per task.

The calling thread only waits, with a timeout so that Ctrl-C reaches it.  On an
error or KeyboardInterrupt it stops the workers (they finish the task they are
running, start no other) and joins them before raising, so no thread outlives
the computation.

State (guarded by ``_Run.lock``): ``values`` / ``remaining`` as in the sync
executor; ``waiting[i]`` counts unfinished dependencies of task ``i``;
``ready`` is a heap of order positions of runnable tasks; ``finished`` counts
done tasks; ``error`` holds the first failure and its key.
"""

from __future__ import annotations

import threading
from heapq import heappop, heappush
from time import perf_counter
from typing import Any

from gpuscale.runtime.errors import annotate
from gpuscale.runtime.plan import Plan
from gpuscale.runtime.sync import consumer_counts

__all__ = ["run_threads"]

_MAX_BATCH = 256
_FAST_BATCH_SECONDS = 1e-3
_POLL_SECONDS = 0.1


class _Run:
    """Scheduling state of one threaded computation."""

    def __init__(self, plan: Plan, values: Any) -> None:
        self.plan, self.values = plan, values
        self.lock = threading.Condition(threading.Lock())
        self.done = threading.Event()
        self.total = len(plan.order)
        self.finished = 0
        self.idle = 0
        self.stop = False
        self.error: tuple | None = None
        self.remaining = consumer_counts(plan)
        self.position, self.waiting, self.dependents = _links(plan)
        self.ready = [pos for pos, i in enumerate(plan.order) if not plan.dependencies[i]]

    def fail(self, error: BaseException, key: Any) -> None:
        with self.lock:
            if self.error is None:
                self.error = (error, key)
            self._halt()

    def cancel(self) -> None:
        with self.lock:
            self._halt()

    def _halt(self) -> None:
        self.stop = True
        self.done.set()
        self.lock.notify_all()


def _links(plan: Plan) -> tuple[list[int], list[int], list[list[int]]]:
    """Order position, count of dependencies and list of dependents of each task."""
    n = len(plan.keys)
    position, waiting = [0] * n, [0] * n
    dependents: list[list[int]] = [[] for _ in range(n)]
    dependencies = plan.dependencies
    for pos, i in enumerate(plan.order):
        position[i] = pos
        deps = dependencies[i]
        waiting[i] = len(deps)
        for j in deps:
            dependents[j].append(i)
    return position, waiting, dependents


def _worker(run: _Run) -> None:
    plan, values, lock = run.plan, run.values, run.lock
    runners, dependencies, order = plan.runners, plan.dependencies, plan.order
    position, waiting, dependents, remaining, ready = (
        run.position, run.waiting, run.dependents, run.remaining, run.ready)
    results: Any = ()
    value = None
    size = 1
    while True:
        with lock:
            if run.stop:
                return
            for i, value in results:
                values[i] = value
                for d in dependents[i]:
                    left = waiting[d] - 1
                    waiting[d] = left
                    if not left:
                        heappush(ready, position[d])
                for j in dependencies[i]:
                    left = remaining[j] - 1
                    remaining[j] = left
                    if not left:
                        values[j] = None  # last consumer ran: release
            run.finished += len(results)
            results = value = None  # hold no reference to a result the store released
            if run.finished == run.total:
                run._halt()
                return
            while not ready:
                run.idle += 1
                lock.wait()
                run.idle -= 1
                if run.stop:
                    return
            batch = [order[heappop(ready)] for _ in range(min(size, len(ready)))]
            if ready and run.idle:
                lock.notify(min(run.idle, len(ready)))
        results = []
        i = -1
        start = perf_counter()
        try:
            for i in batch:
                results.append((i, runners[i](values)))
        except BaseException as error:
            run.fail(error, plan.keys[i])
            return
        size = min(size * 2, _MAX_BATCH) if perf_counter() - start < _FAST_BATCH_SECONDS else 1


def run_threads(plan: Plan, values: Any, num_workers: int, bar: Any = None) -> None:
    """Run ``plan`` on ``num_workers`` threads, leaving the outputs' results in ``values``."""
    if not plan.order:
        return
    run = _Run(plan, values)
    workers = [threading.Thread(target=_worker, args=(run,), daemon=True,
                                name=f"gpuscale-worker-{k}")
               for k in range(max(1, min(num_workers, run.total)))]
    for thread in workers:
        thread.start()
    try:
        _wait(run, bar)
    except BaseException:  # KeyboardInterrupt: stop scheduling, let running tasks end
        run.cancel()
        raise
    finally:
        _join(workers)
    if run.error is not None:
        error, key = run.error
        raise annotate(error, key) if isinstance(error, Exception) else error


def _wait(run: _Run, bar: Any) -> None:
    seen = 0
    while not run.done.wait(_POLL_SECONDS):
        if bar is not None:
            seen = _advance(bar, run.finished, seen)
    if bar is not None:
        _advance(bar, run.finished, seen)


def _advance(bar: Any, finished: int, seen: int) -> int:
    bar.update(finished - seen)
    return finished


def _join(workers: list[threading.Thread]) -> None:
    """Join with timeouts: the calling thread stays interruptible."""
    for thread in workers:
        while thread.is_alive():
            thread.join(_POLL_SECONDS)
