"""The local runtime's options as a plan being built for it will see them.

``compute(memory_limit=..., num_workers=...)`` passes options to the runtime, but the graph is built (and
optimized) before the runtime starts.  Plans that depend on those options (a rechunk planned in stages within
the memory the runtime may hold: ``gpuscale/array/rechunk.py``) read them here: the options given to the
compute call being planned, else the configured ones, else the runtime's own defaults (the cores this process
may use; a share of a cgroup memory limit).
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Iterator, Mapping

from gpuscale import config

__all__ = ["compute_options", "runtime_option", "runtime_memory_limit", "runtime_threads", "planning_key"]

_PLANNED_OPTIONS = ("memory_limit", "num_workers")  # the options a plan may depend on
_GIVEN: ContextVar[dict] = ContextVar("gpuscale_compute_options", default={})


@contextlib.contextmanager
def compute_options(kwargs: Mapping) -> Iterator[None]:
    """Plans built inside see the runtime options among ``kwargs`` (a local compute call's keywords).

    Invalid values are left for the runtime to refuse (it names the option); here they are not seen.
    """
    given = {}
    for name in _PLANNED_OPTIONS:
        if name in kwargs:
            try:
                given[name] = config.check(name, kwargs[name])
            except (TypeError, ValueError):
                pass
    token = _GIVEN.set({**_GIVEN.get(), **given})
    try:
        yield
    finally:
        _GIVEN.reset(token)


def runtime_option(name: str) -> Any:
    """``name`` as the runtime will run with it: given to the compute being planned, else configured."""
    given = _GIVEN.get()
    return given[name] if name in given else config.get(name)


def runtime_memory_limit() -> int | None:
    """Host bytes the local runtime will keep in memory before spilling (None: no limit)."""
    from gpuscale.runtime.core import memory_limit_bytes

    return memory_limit_bytes(runtime_option("memory_limit"))


def runtime_threads() -> int:
    """Threads the local runtime will run tasks on."""
    from gpuscale.runtime.core import worker_threads

    return worker_threads(runtime_option("num_workers"))


def planning_key() -> tuple:
    """What plans built now may depend on, for caches of optimized plans."""
    given = _GIVEN.get()
    return tuple(given.get(name, config.get(name)) for name in _PLANNED_OPTIONS) + \
        (config.get("array.rechunk.max_mem"),)
