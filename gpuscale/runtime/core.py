"""The runtime's entry point: pick an executor, compile the graph, run it, pack the results."""

from __future__ import annotations

import difflib
import os
import sys
import warnings
from contextlib import nullcontext
from typing import Any, Hashable, Iterator, Mapping

from gpuscale import config
from gpuscale.graph import flatten_keys, missing_key_error
from gpuscale.runtime.allocator import heap_for_large_blocks
from gpuscale.runtime.callbacks import dask_callbacks
from gpuscale.runtime.cgroup import default_memory_limit
from gpuscale.runtime.device import DEVICE_LIBRARIES, start_device_run
from gpuscale.runtime.plan import compile_graph
from gpuscale.runtime.progress import progress_bar
from gpuscale.runtime.sync import run_sync
from gpuscale.runtime.threads import run_threads

__all__ = ["get", "runs_in_process", "warn_ignored_options", "client_options"]

_OPTIONS = ("num_workers", "memory_limit", "spill_dir", "progress")
# keywords of dask's compute and local schedulers that tune how a graph runs, never what it computes (gpuscale's
# runtime has its own threads, result store and error handling; plans are always optimized): code written for dask
# passes them, and they are accepted and left unused, as dask's schedulers leave unused what they do not take
_DASK_SCHEDULER_KEYWORDS = frozenset({"optimize_graph", "traverse", "pool", "cache", "get_id",
                                      "rerun_exceptions_locally", "pack_exception", "raise_exception", "dumps",
                                      "loads", "chunksize"})
_COMPUTE_KEYWORDS = frozenset({"optimize_graph", "traverse"})  # dask.compute's own: never handed to a scheduler
# what a distributed.Client's get / compute / persist take about where and how tasks run: dask hands
# ``x.compute(resources={"GPU": 1}, retries=2)`` to the client, which applies them to every task
CLIENT_KEYWORDS = frozenset({"workers", "allow_other_workers", "resources", "retries", "priority", "fifo_timeout",
                             "actors"})


def get(graph: Mapping, keys: Any, scheduler: Any = None, **kwargs: Any) -> Any:
    """Compute ``keys`` of the task ``graph`` and return their values.

    Parameters
    ----------
    graph
        A mapping ``key -> task`` in the Dask graph spec (legacy tuples or
        ``dask._task_spec`` nodes), or an object with ``__dask_graph__()``.
    keys
        A key, or a (nested) list of keys; the result has the same structure.
    scheduler
        ``"sync"``, ``"threads"``, a ``distributed.Client`` or ``"distributed"``
        (or any dask-style ``get(graph, keys)`` function; ``"processes"`` is dask's
        process-pool ``get``);
        None uses ``config.get("scheduler")``, else the default distributed
        client when one exists and ``use_default_client`` is on, else threads.
    **kwargs
        ``num_workers``, ``memory_limit``, ``spill_dir``, ``progress``: override
        the gpuscale config options of the same names for this call (checked like
        ``config.set``; a ``ValueError`` names the bad one). They configure the
        local runtime: with a distributed client they are ignored, with a warning.
        ``callbacks``: dask callbacks (``dask.callbacks.Callback`` objects, such as
        ``dask.diagnostics.ProgressBar()``, or 5-tuples of hooks) for this call; those
        active globally (``with ProgressBar():``) report too, as on dask's local
        schedulers (``gpuscale.runtime.callbacks``).
        A ``distributed.Client`` takes ``workers``, ``allow_other_workers``, ``resources``,
        ``retries``, ``priority``, ``fifo_timeout`` and ``actors`` (as dask hands them to it).
        A dask-style get function receives any other keywords, as dask passes them.
        The local runtime accepts and leaves unused the keywords of dask's local
        schedulers that do not change results (``pool``, ``cache``,
        ``rerun_exceptions_locally``, ``optimize_graph``, ...), and ignores any other
        keyword with a warning that names it (dask ignores them silently; a typo of
        an option would otherwise go unnoticed). ``get=`` raises a ``TypeError``, as
        in dask.

    Returns
    -------
    The value of each requested key, in the nested structure of ``keys``.
    """
    if "get" in kwargs:
        raise TypeError("the get= keyword was removed (as in dask); pass the scheduler as scheduler=, "
                        "e.g. scheduler='threads'")
    callbacks = kwargs.pop("callbacks", None)
    executor = resolve_scheduler(scheduler)
    get_function = callable(executor) and not hasattr(executor, "get")  # a dask-style get function
    unknown = set(kwargs) - set(_OPTIONS)
    on_client = not get_function and not isinstance(executor, str)
    if not get_function:
        _warn_unknown_options(unknown - _DASK_SCHEDULER_KEYWORDS - (CLIENT_KEYWORDS if on_client else set()))
    given = {name: config.check(name, value) for name, value in kwargs.items() if name in _OPTIONS}
    if not isinstance(graph, Mapping) and hasattr(graph, "__dask_graph__"):
        graph = graph.__dask_graph__()
    if not isinstance(executor, str):  # num_workers is a get function's own keyword too (dask passes it on)
        warn_ignored_options({k: v for k, v in given.items() if not (get_function and k == "num_workers")},
                             executor)
    if get_function:  # other keywords are the function's own, as dask passes them on (not compute's own)
        passed = (unknown - _COMPUTE_KEYWORDS) | ({"num_workers"} & set(kwargs))
        extra = {} if callbacks is None else {"callbacks": callbacks}
        return _pack(keys, iter(executor(graph, _flatten(keys), **{k: kwargs[k] for k in passed}, **extra)))
    if on_client:
        from gpuscale.runtime.distributed import get_on_client
        return get_on_client(executor, graph, keys, **{k: kwargs[k] for k in CLIENT_KEYWORDS & unknown})
    flat = _flatten(keys)
    options = {name: given[name] if name in given else config.get(name) for name in _OPTIONS}
    values = _run(graph, flat, executor, options, callbacks)
    return _pack(keys, iter(values))


def _warn_unknown_options(names: set) -> None:
    """Warn that the keywords ``names`` mean nothing to the local runtime and are ignored (naming the option each
    may be a typo of)."""
    if not names:
        return
    hints = [f"{name!r} (did you mean {close[0]!r}?)" if (close := difflib.get_close_matches(name, _OPTIONS, 1))
             else repr(name) for name in sorted(names)]
    warnings.warn(f"compute options ignored: {', '.join(hints)}; gpuscale's runtime takes {', '.join(_OPTIONS)} "
                  "(and accepts dask's scheduler keywords that do not change results)", UserWarning,
                  stacklevel=_outside_gpuscale())


def _outside_gpuscale() -> int:
    """The ``stacklevel`` of the first caller outside gpuscale (the user's ``compute`` call), for the caller of
    ``warnings.warn``."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(2), 2  # the caller of warnings.warn's caller
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def warn_ignored_options(options: Mapping, scheduler: Any) -> None:
    """Warn that local-runtime ``options`` passed to a call do not apply on ``scheduler``.

    ``num_workers``, ``memory_limit``, ``spill_dir`` and ``progress`` configure this
    process's runtime; a distributed.Client (or another get function) runs the graph
    with its own workers' settings, so silently dropping them would mislead.
    """
    ignored = sorted(name for name in options if name in _OPTIONS)
    if ignored:
        warnings.warn(f"{', '.join(ignored)} ignored: they configure gpuscale's local runtime, but "
                      f"{type(scheduler).__name__} runs this graph (on a distributed cluster, set them on "
                      "the workers, e.g. LocalCUDACluster(memory_limit=...))", UserWarning, stacklevel=3)


def client_options(options: Mapping, client: Any) -> dict:
    """The keywords of a ``compute()`` / ``persist()`` call that ``client`` (a ``distributed.Client``) takes
    (:data:`CLIENT_KEYWORDS`, and dask's ``optimize_graph``); the local runtime's own options are ignored
    there and any other keyword means nothing: each with a warning naming it."""
    warn_ignored_options({k: v for k, v in options.items() if k in _OPTIONS}, client)
    _warn_unknown_options(set(options) - set(_OPTIONS) - CLIENT_KEYWORDS - _DASK_SCHEDULER_KEYWORDS)
    return {k: v for k, v in options.items() if k in CLIENT_KEYWORDS or k == "optimize_graph"}


def runs_in_process(scheduler: Any = None) -> bool:
    """True if ``scheduler`` runs tasks in this process (the local "sync" or "threads" runtime)."""
    try:
        return isinstance(resolve_scheduler(scheduler), str)
    except ValueError:
        return False


def resolve_scheduler(scheduler: Any) -> Any:
    """Return "sync", "threads", a distributed client object, or a dask-style get function."""
    if scheduler is None:  # gpuscale's option, else a local scheduler set in dask's (as dask's compute follows)
        from gpuscale.runtime.distributed import plain_compute_scheduler
        scheduler = plain_compute_scheduler()
    if scheduler is None and config.get("use_default_client"):
        from gpuscale.runtime.distributed import default_client
        scheduler = default_client()
    if scheduler is None:
        return "threads"
    if isinstance(scheduler, str):
        name = scheduler.strip().lower()
        if name in ("sync", "synchronous", "single-threaded"):
            return "sync"
        if name in ("threads", "threading", "threaded"):
            return "threads"
        if name == "distributed":
            from gpuscale.runtime.distributed import require_default_client
            return require_default_client()
        if name in ("processes", "multiprocessing"):
            from gpuscale.runtime.distributed import process_pool_get
            return process_pool_get()
        raise ValueError(f"unknown scheduler {scheduler!r}; use 'sync', 'threads', 'processes', "
                         "'distributed' or a distributed.Client")
    return scheduler


def _run(graph: Mapping, flat: list, executor: str, options: dict, callbacks: Any = None) -> list:
    plan = compile_graph(graph, flat)
    with dask_callbacks(graph, plan, callbacks) as plan:  # dask.diagnostics' ProgressBar, Profiler, ...
        return _run_plan(plan, executor, options)


def _run_plan(plan: Any, executor: str, options: dict) -> list:
    # ~0.2 us: without a device library imported no device object can exist, and nothing below changes
    device = None if sys.modules.keys().isdisjoint(DEVICE_LIBRARIES) else start_device_run()
    with _store(len(plan.keys), options) as values, \
            progress_bar(options["progress"], len(plan.order)) as bar:
        # a single chain has nothing to overlap: it runs in the calling thread, unless that thread runs an event
        # loop (Jupyter, async code), where a task could not start one of its own
        parallel = executor != "sync" and (not _one_at_a_time(plan) or _in_event_loop())
        if device is not None:  # device data possible: bound device tasks and bytes
            plan, values = device.prepare(plan, values, parallel)
            try:
                _execute(plan, values, parallel, options, bar, device.halt)
                return device.finish(values, plan.outputs)
            finally:
                values.close()
        _execute(plan, values, parallel, options, bar)
        return [values[i] for i in plan.outputs]


def _execute(plan: Any, values: Any, parallel: bool, options: dict, bar: Any, on_halt: Any = None) -> None:
    # chunk-sized blocks reused, not faulted in anew, keeping free memory to a share of the budget (allocator.py)
    with heap_for_large_blocks(memory_limit_bytes(options["memory_limit"])):
        if parallel:
            run_threads(plan, values, options["num_workers"] or _cores(), bar, on_halt)
        else:  # one task at a time: no hand-off cost
            run_sync(plan, values, bar)


def _in_event_loop() -> bool:
    """Whether the calling thread runs an asyncio event loop."""
    if "asyncio" not in sys.modules:  # (no loop without asyncio imported: spare the import)
        return False
    try:
        sys.modules["asyncio"].get_running_loop()
    except RuntimeError:
        return False
    return True


def _one_at_a_time(plan: Any) -> bool:
    """Whether no two tasks of ``plan`` can ever run at once: a single chain (each task needs at
    most one other and feeds at most one other, one task to start from)."""
    if len(plan.order) <= 1:
        return True
    dependencies = plan.dependencies
    if sum(1 for i in plan.order if not dependencies[i]) > 1:
        return False
    if any(len(dependencies[i]) > 1 for i in plan.order):
        return False
    fed = [j for i in plan.order for j in dependencies[i]]
    return len(fed) == len(set(fed))


def worker_threads(num_workers: Any = None) -> int:
    """Threads the local runtime runs tasks on: ``num_workers`` (default: the setting), else the cores this
    process may use."""
    return int(num_workers or config.get("num_workers") or _cores())


def memory_limit_bytes(memory_limit: Any) -> int | None:
    """Host bytes the local runtime keeps before spilling for a ``memory_limit`` option value (None: unset, then
    a share of a cgroup memory limit, see ``runtime/cgroup.py``; None again: no limit)."""
    limit = config.parse_bytes(memory_limit)
    return default_memory_limit() if limit is None else limit


def _cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _store(size: int, options: dict) -> Any:
    """A plain list of results, or a spilling store when a memory limit is set (or, unset, when a cgroup caps
    this process's memory: see ``runtime/cgroup.py``)."""
    limit = memory_limit_bytes(options["memory_limit"])
    if limit is None:
        return nullcontext([None] * size)
    from gpuscale.runtime.spill import spilling_store
    return spilling_store(limit, options["spill_dir"])


def _flatten(keys: Any) -> list[Hashable]:
    """``keys`` as a flat list; a set is refused as a missing key (no order to return its values in)."""
    if type(keys) in (set, frozenset):
        raise missing_key_error(keys)
    return flatten_keys(keys)


def _pack(keys: Any, results: Iterator) -> Any:
    """Rebuild the nested list structure of ``keys`` from the flat ``results``."""
    if isinstance(keys, list):
        return [_pack(item, results) for item in keys]
    return next(results)
