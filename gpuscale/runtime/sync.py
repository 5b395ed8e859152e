"""The synchronous executor: runs every task in the calling thread, one after the other.

It is the reference implementation and the one to debug with (``pdb`` stops
inside the failing task).  Its whole state is three lists indexed like the
compiled plan (see ``gpuscale.runtime.plan``):

``values``
    ``values[i]`` holds the result of task ``i`` once it ran, until its last
    consumer ran; then it is released (set to None) so memory is freed early.
    With a memory budget ``values`` is a spilling store with the same interface.
``remaining``
    ``remaining[i]`` counts the consumers of task ``i`` that have not run yet,
    plus one if ``i`` is a requested output (outputs are never released).
``plan.order``
    The execution order (``gpuscale.graph.order_indices``): each task right
    after its dependencies, branch by branch, so results die young.

Each task runs in a copy of the caller's context (``contextvars``), as on the threaded executor: what a task
sets there (a ``config.set`` of an option the caller's ``with config.set`` block holds) reaches neither the
tasks after it nor the caller.

A task that raises stops the run; the exception keeps its type and traceback
and gets a note naming the task's key.
"""

from __future__ import annotations

from contextvars import copy_context
from time import perf_counter
from typing import Any

from gpuscale.runtime.errors import annotate
from gpuscale.runtime.plan import Plan

__all__ = ["run_sync"]

_PROGRESS_STEP = 1024  # most tasks between progress-bar updates
_PROGRESS_SECONDS = 0.1


def consumer_counts(plan: Plan) -> list[int]:
    """Consumers of each task among the scheduled ones, plus one per output request."""
    remaining = [0] * len(plan.keys)
    dependencies = plan.dependencies
    for i in plan.order:
        for j in dependencies[i]:
            remaining[j] += 1
    for i in plan.outputs:
        remaining[i] += 1
    return remaining


def run_sync(plan: Plan, values: Any, bar: Any = None) -> None:
    """Run ``plan`` in this thread, leaving the outputs' results in ``values``."""
    remaining = consumer_counts(plan)
    order = plan.order
    copy = copy_context().copy  # the caller's context, a copy of it per task
    if bar is None:
        _run_block(order, plan, values, remaining, copy)
        return
    start, step = 0, 1
    while start < len(order):  # blocks grow while they run fast, so the bar stays live
        began = perf_counter()
        _run_block(order[start:start + step], plan, values, remaining, copy)
        bar.update(len(order[start:start + step]))
        start += step
        if perf_counter() - began < _PROGRESS_SECONDS:
            step = min(2 * step, _PROGRESS_STEP)


def _run_block(block: list[int], plan: Plan, values: Any, remaining: list[int], copy: Any) -> None:
    runners, dependencies = plan.runners, plan.dependencies
    i = -1
    try:
        for i in block:
            values[i] = copy().run(runners[i], values)
            for j in dependencies[i]:
                left = remaining[j] - 1
                remaining[j] = left
                if not left:
                    values[j] = None  # last consumer ran: release
    except Exception as error:
        annotate(error, plan.keys[i])
        raise
