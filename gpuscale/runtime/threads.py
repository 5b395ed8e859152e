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
error it stops the workers (they finish the task they are running, start no
other) and waits for them before raising.  On KeyboardInterrupt it stops them
too but waits at most ``_GRACE_SECONDS`` (a second Ctrl-C stops the wait): Python
cannot interrupt a function running in another thread, and a 30 s task must not
hold up Ctrl-C.  A task still running then ends in the background and its
result is dropped.  Workers are daemon threads of a pool kept per
``num_workers`` (started on first use, as dask's threaded scheduler does):
starting two threads per ``compute()`` cost more than the whole computation of a
small result.  Not ``ThreadPoolExecutor``: its threads are joined at interpreter
exit, so the process would wait for the running task after Ctrl-C.  A worker
never waits for a pool thread: a busy pool (a computation started from inside a
task, a task left running by Ctrl-C) starts another thread.

Every task runs in a copy of the context the computation started in (``_Run.context``): tasks see the
caller's ``with config.set(...)`` block on a pool thread too, and what one sets reaches no other task.

State (guarded by ``_Run.mutex``): ``values`` / ``remaining`` as in the sync
executor; ``waiting[i]`` counts unfinished dependencies of task ``i``;
``ready`` is a heap of order positions of runnable tasks; ``finished`` counts
done tasks; ``error`` holds the first failure and its key.
"""

from __future__ import annotations

import contextvars
import os
import queue
import threading
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
_GRACE_SECONDS = 0.5  # how long Ctrl-C waits for running tasks before raising


class _Run:
    """Scheduling state of one threaded computation."""

    def __init__(self, plan: Plan, values: Any, workers: int, on_halt: Any = None) -> None:
        self.plan, self.values, self.workers = plan, values, workers
        self.on_halt = on_halt
        # the caller's context (its ``with config.set`` blocks): each task runs in a copy of it, as it would in the
        # calling thread, and what a task sets in its copy reaches no other task nor the caller
        self.context = contextvars.copy_context()
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
        if self.on_halt is not None:  # e.g. wake workers waiting for a device-task slot
            self.on_halt()


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
    dependents, dependencies, copy = run.dependents, run.plan.dependencies, run.context.copy
    chained = 0
    deadline = perf_counter() + _FAST_BATCH_SECONDS
    i = -1
    try:
        for first in batch:
            if run.stop:  # cancelled or failed meanwhile: start nothing more
                break
            i = first
            value = copy().run(runners[i], values)
            # A private chain link: i feeds only d and d needs only i.  No other
            # worker touches them, so d runs here at once, without the lock.
            while len(dependents[i]) == 1 and not run.stop:
                d = dependents[i][0]
                if len(dependencies[d]) != 1:
                    break
                values[i] = value
                previous, i, value = i, d, None
                value = copy().run(runners[i], values)
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


def run_threads(plan: Plan, values: Any, num_workers: int, bar: Any = None, on_halt: Any = None) -> None:
    """Run ``plan`` on ``num_workers`` threads, leaving the outputs' results in ``values``.

    ``on_halt()``, if given, is called (under the scheduling lock) when the run stops: done,
    failed or cancelled.
    """
    if not plan.order:
        return
    count = max(1, min(num_workers, len(plan.order)))
    run = _Run(plan, values, count, on_halt)
    workers = _start_workers(run, count, max(1, num_workers))
    try:
        _wait(run, bar)
    except BaseException:  # KeyboardInterrupt: stop scheduling, give running tasks a moment
        run.cancel()
        _join(workers, _GRACE_SECONDS)  # a second Ctrl-C interrupts this wait too
        raise
    _join(workers)
    if run.error is not None:
        (error, key), run.error = run.error, None  # no cycle error -> traceback -> run
        raise annotate(error, key) if isinstance(error, Exception) else error


class _Pool:
    """Daemon threads that run the workers handed to ``submit``, each on a thread of its own.

    Daemon threads are not joined at interpreter exit (ThreadPoolExecutor's are),
    so a process interrupted during a long task exits at once.  ``submit`` takes
    an idle thread or starts one, so a new computation never waits behind a task
    left running by Ctrl-C, and one started from inside a task gets threads even
    though the pool's are busy.  At most ``keep`` threads stay idle; others end.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.idle = 0  # idle threads not yet promised to a submitted job
        self.lock = threading.Lock()
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()

    def submit(self, run: _Run) -> threading.Event:
        done = threading.Event()
        with self.lock:
            if self.idle:
                self.idle -= 1
            else:
                threading.Thread(target=self._serve, daemon=True, name="gpuscale-worker").start()
        self.jobs.put((run, done))
        return done

    def _serve(self) -> None:
        while True:
            run, done = self.jobs.get()
            try:
                _worker(run)
            finally:
                run = None  # hold no computation while idle
                # idle before the caller hears of the end, so its next computation reuses this thread
                with self.lock:
                    retire = self.idle >= self.keep
                    self.idle += not retire
                done.set()
            if retire:
                return


_pools: dict[int, _Pool] = {}
_pools_lock = threading.Lock()


def _start_workers(run: _Run, count: int, pool_size: int) -> list[threading.Event]:
    """``count`` workers on ``run``, on the pool that keeps ``pool_size`` threads; each sets its
    event when it returns."""
    pool = _pool(pool_size)
    return [pool.submit(run) for _ in range(count)]


def _pool(size: int) -> _Pool:
    with _pools_lock:
        pool = _pools.get(size)
        if pool is None:
            pool = _pools[size] = _Pool(size)
        return pool


def _forget_pools() -> None:
    _pools.clear()  # a forked child has none of the parent's threads


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def _wait(run: _Run, bar: Any) -> None:
    seen = 0
    while not _interruptible_wait(run.done):
        if bar is not None:
            seen = _advance(bar, run.finished, seen)
    if bar is not None:
        _advance(bar, run.finished, seen)


def _interruptible_wait(done: threading.Event) -> bool:
    """``done.wait(_POLL_SECONDS)``, where Ctrl-C always gives ``KeyboardInterrupt``: arriving while the wait
    takes its condition's lock back (``Condition._acquire_restore``), it leaves the lock unheld and the wait's
    ``with`` block then raises ``RuntimeError: release unlocked lock`` in its place."""
    try:
        return done.wait(_POLL_SECONDS)
    except RuntimeError as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise exc.__context__ from None
        raise


def _advance(bar: Any, finished: int, seen: int) -> int:
    bar.update(finished - seen)
    return finished


def _join(workers: list[threading.Event], timeout: float | None = None) -> None:
    """Wait for every worker, at most ``timeout`` s in all, in short waits: the calling thread
    stays interruptible."""
    deadline = None if timeout is None else perf_counter() + timeout
    for done in workers:
        while not done.wait(_POLL_SECONDS if deadline is None else min(_POLL_SECONDS, deadline - perf_counter())):
            if deadline is not None and perf_counter() >= deadline:
                return
