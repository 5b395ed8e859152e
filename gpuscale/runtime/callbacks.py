"""dask's scheduler callbacks, called by the local runtime as dask's local schedulers call them.

Code written for dask watches computations through ``dask.callbacks.Callback``: ``with ProgressBar():``,
``Profiler``, ``ResourceProfiler`` and ``CacheProfiler`` from ``dask.diagnostics``, or its own subclasses, active
globally (``with cb:``, ``cb.register()``) or passed as ``compute(callbacks=[...])``.  The local runtime calls
their five hooks with the graph it runs and a state of the same shape as dask's (``ready``, ``waiting``,
``running``, ``finished``, ``released``, ``dependencies``, ``dependents``, ``waiting_data``; ``ready`` is a set,
not dask's list, and ``cache`` stays empty: the runtime keeps results in its own store):

* ``start(dsk)`` and ``start_state(dsk, state)`` before the first task, ``finish(dsk, state, errored)`` after
  the last one or the error;
* ``pretask(key, dsk, state)`` and ``posttask(key, result, dsk, state, worker_id)`` around each task, one
  callback at a time (tasks run on several threads; dask's threaded scheduler calls them from one thread).

As in dask, the globally active callbacks are set aside while a computation runs, so a compute inside a task
does not report to them.  Nothing here runs unless a callback is active, and this module never imports dask
(callbacks exist only where dask was imported).
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping

__all__ = ["dask_callbacks"]


@contextmanager
def dask_callbacks(graph: Mapping, plan: Any, given: Any = None) -> Iterator[Any]:
    """Yield ``plan`` with its runners reporting to the active dask callbacks (``given``: those passed as
    ``callbacks=``, Callback objects or 5-tuples of hooks), or ``plan`` itself when none is active."""
    if given is not None:
        callbacks = [_hooks(c) for c in (given if isinstance(given, (list, tuple, set)) and not
                                          _is_hook_tuple(given) else [given])]
        yield from _reporting(graph, plan, callbacks)
        return
    module = sys.modules.get("dask.callbacks")  # no dask imported: no callback can be active
    registry = None if module is None else module.Callback
    if registry is None or not registry.active:
        yield plan
        return
    active, registry.active = registry.active, set()  # set aside: a compute inside a task reports to nobody
    try:
        yield from _reporting(graph, plan, list(active))
    finally:
        registry.active = active


def _is_hook_tuple(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 5 and all(f is None or callable(f) for f in value)


def _hooks(callback: Any) -> tuple:
    """The 5 hooks of a dask ``Callback`` object, or a 5-tuple of them (dask's ``normalize_callback``)."""
    if isinstance(callback, tuple):
        return callback
    hooks = getattr(callback, "_callback", None)
    if not isinstance(hooks, tuple):
        raise TypeError(f"callbacks must be dask Callback objects or tuples of hooks, not {type(callback).__name__}")
    return hooks


def _reporting(graph: Mapping, plan: Any, callbacks: list) -> Iterator[Any]:
    if not callbacks:
        yield plan
        return
    _, start_states, pretasks, posttasks, _ = ([f for f in hooks if f] for hooks in zip(*callbacks))
    started: list = []
    state: dict = {}
    succeeded = False
    try:
        for start, *_, finish in callbacks:
            if start:
                start(graph)
            started.append(finish)
        state = start_state(plan)
        for start_state_hook in start_states:
            start_state_hook(graph, state)
        yield _wrapped(plan, graph, state, pretasks, posttasks) if pretasks or posttasks else plan
        succeeded = True
    finally:
        for finish in started:
            if finish:
                finish(graph, state, not succeeded)


def start_state(plan: Any) -> dict:
    """dask's scheduler state (``dask.local.start_state_from_dask``'s keys) for the tasks ``plan`` runs."""
    keys, deps = plan.keys, plan.dependencies
    dependencies = {keys[i]: {keys[j] for j in deps[i]} for i in plan.order}
    dependents: dict = {key: set() for key in dependencies}
    for key, needed in dependencies.items():
        for dep in needed:
            dependents[dep].add(key)
    return {
        "dependencies": dependencies,
        "dependents": dependents,
        "waiting": {key: set(needed) for key, needed in dependencies.items() if needed},
        "waiting_data": {key: set(users) for key, users in dependents.items() if users},
        "cache": {},
        "ready": {key for key, needed in dependencies.items() if not needed},
        "running": set(),
        "finished": set(),
        "released": set(),
    }


def _wrapped(plan: Any, graph: Mapping, state: dict, pretasks: list, posttasks: list) -> Any:
    """``plan`` with each runner calling the pretask and posttask hooks around its task, updating ``state``."""
    lock = threading.Lock()  # the hooks and the state see one task's start or end at a time
    outputs = {plan.keys[i] for i in plan.outputs}

    def before(key: Any) -> None:
        with lock:
            state["ready"].discard(key)
            state["running"].add(key)
            for hook in pretasks:
                hook(key, graph, state)

    def after(key: Any, result: Any) -> None:
        with lock:
            _finished(state, key, outputs)
            for hook in posttasks:
                hook(key, result, graph, state, threading.get_ident())

    runners = list(plan.runners)
    for i in plan.order:
        runners[i] = _reporting_runner(runners[i], plan.keys[i], before, after)
    return type(plan)(plan.keys, runners, plan.dependencies, plan.order, plan.outputs)


def _finished(state: dict, key: Any, outputs: set) -> None:
    """Move ``key`` from running to finished, its dependents whose inputs are all done to ready, and its inputs
    that no other task waits for to released (as ``dask.local.finish_task``)."""
    state["running"].discard(key)
    state["finished"].add(key)
    for dependent in state["dependents"][key]:
        if _emptied(state["waiting"], dependent, key):
            state["ready"].add(dependent)
    for dep in state["dependencies"][key]:
        if _emptied(state["waiting_data"], dep, key) and dep not in outputs:
            state["released"].add(dep)


def _emptied(sets: dict, owner: Any, member: Any) -> bool:
    """Take ``member`` out of ``sets[owner]``; True when that set became empty (it is removed then)."""
    members = sets.get(owner)
    if members is None:
        return False
    members.discard(member)
    if members:
        return False
    del sets[owner]
    return True


def _reporting_runner(runner: Callable, key: Any, before: Callable, after: Callable) -> Callable:
    def run(values: Any) -> Any:
        before(key)
        result = runner(values)
        after(key, result)
        return result

    return run
