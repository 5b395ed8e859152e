"""The threaded executor (the default): a few worker threads share one scheduling state.

There is no central dispatcher.  A worker stores the results of the tasks it
just ran, then, holding the state lock, marks dependents whose inputs are all
there as ready, finds results whose last consumer ran (released right after,
outside the lock) and takes the next ready tasks (lowest position in the
memory-friendly order first), which it runs with the lock released.  Store
writes and releases stay outside the lock because a spilling store may touch
the disk.  A chain therefore runs in one thread without hand-offs,
and tiny tasks are taken in growing batches (up to ``_MAX_BATCH`` while a batch
runs in under a millisecond) so the lock is taken once per batch, not per task.
A batch that turns out slow stops after the first millisecond and gives its
untouched tasks back, and when few tasks are ready a worker takes only its
share, so slow tasks still spread over all workers.

The calling thread only waits, with a timeout so that Ctrl-C reaches it.  On an
error or KeyboardInterrupt it stops the workers (they finish the task they are
running, start no other) and waits for them before raising, so no task of the
computation outlives it.  Workers are threads of a pool kept per ``num_workers``
(started on first use, as dask's threaded scheduler does): starting two threads
per ``compute()`` cost more than the whole computation of a small result.  A
computation started from inside a task runs on fresh threads of its own (the
pool's may all be busy with the outer computation).

State (guarded by ``_Run.mutex``): ``values`` / ``remaining`` as in the sync
executor; ``waiting[i]`` counts unfinished dependencies of task ``i``;
``ready`` is a heap of order positions of runnable tasks; ``finished`` counts
done tasks; ``error`` holds the first failure and its key.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from heapq import heappop, heappush
from time import perf_counter
from typing import Any

from gpuscale.runtime.errors import annotate
from gpuscale.runtime.plan import Plan
from gpuscale.runtime.sync import consumer_counts
from gpuscale.runtime.trim import trim_freed_memory

__all__ = ["run_threads"]

_MAX_BATCH = 256
_FAST_BATCH_SECONDS = 1e-3
_POLL_SECONDS = 0.1


class _Run:
    """Scheduling state of one threaded computation."""

    def __init__(self, plan: Plan, values: Any, workers: int) -> None:
        self.plan, self.values, self.workers = plan, values, workers
        self.mutex = threading.Lock()
        self.cond = threading.Condition(self.mutex)
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
        with self.mutex:
            if self.error is None:
                self.error = (error, key)
            self.halt()

    def cancel(self) -> None:
        with self.mutex:
            self.halt()

    def halt(self) -> None:
        """Stop every worker (call with ``mutex`` held)."""
        self.stop = True
        self.done.set()
        self.cond.notify_all()


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
    finished: list = []
    leftover: Any = ()
    chained = 0
    size = 1
    while True:
        with run.mutex:
            if run.stop:  # cancelled or failed
                return
            released = _record(run, finished, leftover, chained)
            batch = _next_batch(run, size)
        for j in released:  # outside the lock: a spilling store may touch the disk
            run.values[j] = None
        if released:
            trim_freed_memory()
        if batch is None:
            return
        finished = []
        leftover, chained, slow = _run_batch(run, batch, finished)
        if slow is None:  # the batch failed
            return
        size = 1 if slow else min(2 * size, _MAX_BATCH)


def _record(run: _Run, finished: list, leftover: Any, chained: int) -> list[int]:
    """Mark dependents of finished tasks ready; return inputs to release (mutex held)."""
    waiting, remaining, ready, position = run.waiting, run.remaining, run.ready, run.position
    dependents, dependencies = run.dependents, run.plan.dependencies
    released = []
    for first, last in finished:  # a task, or a private chain first -> ... -> last
        for d in dependents[last]:
            left = waiting[d] - 1
            waiting[d] = left
            if not left:
                heappush(ready, position[d])
        for j in dependencies[first]:
            left = remaining[j] - 1
            remaining[j] = left
            if not left:
                released.append(j)  # its last consumer ran
    for i in leftover:  # tasks taken but not run: give them back
        heappush(ready, position[i])
    run.finished += len(finished) + chained
    return released


def _next_batch(run: _Run, size: int) -> Any:
    """The next tasks for this worker, or None when the run is over (mutex held)."""
    if run.finished == run.total:
        run.halt()
        return None
    ready = run.ready
    while not ready:
        run.idle += 1
        run.cond.wait()
        run.idle -= 1
        if run.stop:
            return None
    batch = _take(ready, run.plan.order, size, run.workers)
    if ready and run.idle:
        run.cond.notify(min(run.idle, len(ready)))
    return batch


def _run_batch(run: _Run, batch: Any, finished: list) -> tuple[Any, int, bool | None]:
    """Run ``batch``, storing results before their dependents can be ready.

    Appends ``(first, last)`` to ``finished`` per task or private chain;
    returns (tasks given back, chained count, slow).

    ``slow`` is None when a task failed (the failure is recorded in ``run``).
    """
    values, runners, remaining = run.values, run.plan.runners, run.remaining
    dependents, dependencies = run.dependents, run.plan.dependencies
    chained = 0
    deadline = perf_counter() + _FAST_BATCH_SECONDS
    i = -1
    try:
        for first in batch:
            i = first
            value = runners[i](values)
            # A private chain link: i feeds only d and d needs only i.  No other
            # worker touches them, so d runs here at once, without the lock.
            while len(dependents[i]) == 1 and not run.stop:
                d = dependents[i][0]
                if len(dependencies[d]) != 1:
                    break
                values[i] = value
                previous, i, value = i, d, None
                value = runners[i](values)
                remaining[previous] -= 1
                if not remaining[previous]:
                    values[previous] = None
                chained += 1
            values[i] = value
            value = None
            finished.append((first, i))
            if perf_counter() > deadline:  # slow tasks: let other workers have the rest
                return batch[len(finished):], chained, True
    except BaseException as error:
        run.fail(error, run.plan.keys[i])
        return (), chained, None
    return (), chained, perf_counter() > deadline


def _take(ready: list[int], order: list[int], size: int, workers: int) -> Any:
    """Pop the next batch of ready tasks: ``size`` of them, or a fair share when few are ready."""
    if size == 1 or len(ready) == 1:
        return (order[heappop(ready)],)
    take = size if size * workers <= len(ready) else max(1, len(ready) // workers)
    return [order[heappop(ready)] for _ in range(take)]


def run_threads(plan: Plan, values: Any, num_workers: int, bar: Any = None) -> None:
    """Run ``plan`` on ``num_workers`` threads, leaving the outputs' results in ``values``."""
    if not plan.order:
        return
    count = max(1, min(num_workers, len(plan.order)))
    run = _Run(plan, values, count)
    workers = _start_workers(run, count, max(1, num_workers))
    try:
        _wait(run, bar)
    except BaseException:  # KeyboardInterrupt: stop scheduling, let running tasks end
        run.cancel()
        raise
    finally:
        _join(workers)
    if run.error is not None:
        (error, key), run.error = run.error, None  # no cycle error -> traceback -> run
        raise annotate(error, key) if isinstance(error, Exception) else error


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()
_in_worker = threading.local()


def _start_workers(run: _Run, count: int, pool_size: int) -> list:
    """``count`` workers on ``run``: threads of the pool of ``pool_size`` threads, or fresh ones when
    called from inside a task."""
    if getattr(_in_worker, "active", False):
        threads = [threading.Thread(target=_pooled_worker, args=(run,), daemon=True, name=f"gpuscale-worker-{k}")
                   for k in range(count)]
        for thread in threads:
            thread.start()
        return threads
    pool = _pool(pool_size)
    return [pool.submit(_pooled_worker, run) for _ in range(count)]


def _pool(size: int) -> ThreadPoolExecutor:
    with _pools_lock:
        pool = _pools.get(size)
        if pool is None:
            pool = _pools[size] = ThreadPoolExecutor(size, thread_name_prefix="gpuscale-worker")
        return pool


def _forget_pools() -> None:
    _pools.clear()  # a forked child has none of the parent's threads


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def _pooled_worker(run: _Run) -> None:
    _in_worker.active = True
    try:
        _worker(run)
    finally:
        _in_worker.active = False


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


def _join(workers: list) -> None:
    """Wait for every worker (a thread or a pool future) with timeouts: the calling thread stays
    interruptible."""
    for worker in workers:
        if isinstance(worker, threading.Thread):
            while worker.is_alive():
                worker.join(_POLL_SECONDS)
        else:
            while not futures_wait([worker], _POLL_SECONDS).done:
                pass
