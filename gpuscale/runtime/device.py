"""Device-aware runs of the local runtime: few tasks per GPU, device bytes bounded, LRU moved to host.

Used only when a device library (CuPy, cuDF, or array-api-strict, the tests' stand-in
for a GPU) has been imported: no device object can exist otherwise, so a CPU-only
process pays nothing (``core`` looks at ``sys.modules`` once per ``get``).  Then:

* **Tasks per GPU.**  At most ``device.tasks`` tasks that consume or produce device
  data run at once (``_Gate``); other tasks keep every thread.  A task consumes device
  data when one of its inputs is a device result; whether it produces device data is
  learnt per *group* (the name part of its key, e.g. ``"add-3f2a…"`` of
  ``("add-3f2a…", 0, 1)``): a group is treated as a device group until one of its
  tasks has produced host data, so the first tasks of a layer that creates chunks on
  the device are limited too.
* **Device bytes accounted, LRU moved to host.**  Results holding device data (also
  tuples, lists and dicts of device arrays) live in a device tier, a ``zict.Buffer``
  weighed by device bytes and bounded by ``device.memory_limit``, whose ``slow`` side
  is the runtime's host store (a list, or the disk-spilling ``SpillStore`` under a host
  ``memory_limit``): the least recently used device results are copied to the host
  (``gpuscale.backends.device_memory.move_to_host``, counted by
  ``gpuscale.backends.convert``) and moved back to the device, with their original
  library, when a task reads them.  With RMM statistics on, RMM's allocated bytes
  above the limit also push results to the host.
* **Statistics.**  Each run fills a :class:`DeviceStats`; ``with device_stats() as
  runs:`` collects those of the computations in the block.

This module imports neither a data library nor ``gpuscale.backends`` at import time:
the helpers are loaded by name (:data:`SUPPORT_MODULE`) when a device run starts,
so the runtime stays below the backends in the import graph.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from gpuscale import config

__all__ = ["DeviceStats", "device_stats", "device_libraries_loaded", "start_device_run", "device_tier",
           "SUPPORT_MODULE", "DEVICE_LIBRARIES"]

#: Libraries whose objects live on a device; until one is imported the device path is off.
DEVICE_LIBRARIES = ("cupy", "cudf", "array_api_strict")
#: The module that measures and moves device data (loaded by name: see the module docstring).
SUPPORT_MODULE = "gpuscale.backends.device_memory"


def device_libraries_loaded() -> bool:
    """Whether a device library has been imported (else no device object can exist)."""
    modules = sys.modules
    return any(name in modules for name in DEVICE_LIBRARIES)


@dataclass
class DeviceStats:
    """What one device-aware computation did.

    Attributes
    ----------
    memory_limit : int or None
        Device bytes of results kept on the device (None: no limit).
    tasks_limit : int or None
        Device tasks allowed at once (None: no limit).
    device_bytes : int
        Device bytes of results on the device at the end (before the outputs are returned).
    peak_device_bytes : int
        Most device bytes of results on the device, measured after each store operation.
    moved_to_host, moved_to_device : int
        Results moved from the device to the host and back.
    moved_to_host_bytes : int
        Device bytes of the results moved to the host.
    device_tasks : int
        Tasks run as device tasks (holding one of the ``tasks_limit`` slots).
    peak_device_tasks : int
        Most device tasks that ran at once.
    peak_rmm_bytes : int or None
        Most bytes RMM reported as allocated (None without RMM statistics).
    """

    memory_limit: int | None
    tasks_limit: int | None
    device_bytes: int = 0
    peak_device_bytes: int = 0
    moved_to_host: int = 0
    moved_to_host_bytes: int = 0
    moved_to_device: int = 0
    device_tasks: int = 0
    peak_device_tasks: int = 0
    peak_rmm_bytes: int | None = None


_collectors: list[list[DeviceStats]] = []
_collectors_lock = threading.Lock()


@contextmanager
def device_stats() -> Iterator[list[DeviceStats]]:
    """Collect the :class:`DeviceStats` of the device-aware computations that end inside the block.

    Yields
    ------
    list of DeviceStats
        Filled as computations end (empty if none ran with device data bounds).

    Examples
    --------
    >>> from gpuscale.runtime import device_stats
    >>> with device_stats() as runs:
    ...     pass  # x.compute() with device chunks
    >>> runs
    []
    """
    runs: list[DeviceStats] = []
    with _collectors_lock:
        _collectors.append(runs)
    try:
        yield runs
    finally:
        with _collectors_lock:
            _collectors.remove(runs)


def _publish(stats: DeviceStats) -> None:
    with _collectors_lock:
        for runs in _collectors:
            runs.append(stats)


def device_tier(host: MutableMapping, limit: float, nbytes: Callable[[Any], int], to_host: Callable,
                to_device: Callable, on_to_host: Callable | None = None, on_to_device: Callable | None = None) -> Any:
    """A device tier in front of ``host``: a ``zict.Buffer`` of device objects weighed by device bytes.

    Beyond ``limit`` bytes the least recently used objects go to ``host`` as
    ``to_host(value)``; reading one there returns ``to_device(host_value)`` and moves it
    back (unless it alone is larger than ``limit``).  The design shared by the local
    runtime and ``cuda_workers.spill.DeviceHostDiskStore``.

    Parameters
    ----------
    host : MutableMapping
        The next tier down (host memory, itself maybe spilling to disk).
    limit : float
        Device bytes kept (``float("inf")``: no limit).
    nbytes : callable
        ``nbytes(value)``: device bytes of a value.
    to_host, to_device : callable
        Copy a value to the host and back.
    on_to_host, on_to_device : callable, optional
        ``callback(key, value)`` after each move.

    Returns
    -------
    zict.Buffer
    """
    import zict

    return zict.Buffer({}, zict.Func(to_host, to_device, host), n=limit, weight=lambda key, value: nbytes(value),
                       fast_to_slow_callbacks=[on_to_host] if on_to_host else None,
                       slow_to_fast_callbacks=[on_to_device] if on_to_device else None)


class _HostSlots(MutableMapping):
    """The runtime's index-addressed host store (a list or ``SpillStore``) as a mapping of the moved results."""

    def __init__(self, host: Any) -> None:
        self.host = host
        self.keys_: set[int] = set()

    def __getitem__(self, index: int) -> Any:
        if index not in self.keys_:
            raise KeyError(index)
        return self.host[index]

    def __setitem__(self, index: int, value: Any) -> None:
        self.host[index] = value
        self.keys_.add(index)

    def __delitem__(self, index: int) -> None:
        self.keys_.remove(index)  # KeyError when absent, as zict expects
        self.host[index] = None

    def __contains__(self, index: object) -> bool:
        return index in self.keys_

    def __iter__(self) -> Iterator[int]:
        return iter(list(self.keys_))

    def __len__(self) -> int:
        return len(self.keys_)


class _DeviceStore:
    """The ``values`` store of a device run: device results in a device tier, the rest in ``host``."""

    def __init__(self, host: Any, support: Any, limit: int | None, stats: DeviceStats) -> None:
        self.host, self.support, self.limit, self.stats = host, support, limit, stats
        self.is_device = support.is_device_value
        self.device_indices: set[int] = set()  # results kept by the device tier (on the device or moved)
        self.lock = threading.RLock()
        self.closed = False
        self.tier: Any = None  # made at the first device result: a CPU-only run never pays for it

    def _make_tier(self) -> Any:
        limit = float("inf") if self.limit is None else self.limit
        support = self.support
        self.tier = device_tier(_HostSlots(self.host), limit, support.device_nbytes, support.move_to_host,
                                support.move_to_device, self._moved_to_host, self._moved_to_device)
        return self.tier

    def _moved_to_host(self, key: int, value: Any) -> None:
        self.stats.moved_to_host += 1
        self.stats.moved_to_host_bytes += self.support.device_nbytes(value)

    def _moved_to_device(self, key: int, value: Any) -> None:
        self.stats.moved_to_device += 1

    def __getitem__(self, index: int) -> Any:
        if index in self.device_indices:
            with self.lock:
                value = self.tier[index]
                self._measure()
            return value
        return self.host[index]

    def __setitem__(self, index: int, value: Any) -> None:
        if value is None:
            if index in self.device_indices:
                with self.lock:
                    self.device_indices.discard(index)
                    try:
                        del self.tier[index]  # not pop(): that would read it (back to the device) first
                    except KeyError:
                        pass
                    self._measure()
            else:
                self.host[index] = None
            return
        if self.is_device(value):
            with self.lock:
                if self.closed:  # a task that outlived a Ctrl-C
                    return
                self.device_indices.add(index)
                (self.tier or self._make_tier())[index] = value
                self._relieve()
                self._measure()
        else:
            self.host[index] = value

    def _measure(self) -> None:
        held = int(self.tier.fast.total_weight)
        stats = self.stats
        stats.device_bytes = held
        if held > stats.peak_device_bytes:
            stats.peak_device_bytes = held

    def _relieve(self) -> None:
        """Move LRU results to the host while RMM reports more bytes allocated than the limit."""
        current = self.support.rmm_current_bytes()
        if current is None:
            return
        stats = self.stats
        stats.peak_rmm_bytes = max(current, stats.peak_rmm_bytes or 0)
        while self.limit is not None and current > self.limit and len(self.tier.fast):
            self.tier.fast.evict()
            current = self.support.rmm_current_bytes() or 0

    def outputs(self, indices: list[int]) -> list:
        """The values of ``indices``, device ones on the device, without moving other outputs to the host."""
        found: dict[int, Any] = {}
        if self.tier is None:
            return [self.host[i] for i in indices]
        with self.lock:
            for i in indices:  # first those still on the device: taking them moves nothing
                if i in self.device_indices and i in self.tier.fast:
                    found[i] = self.tier.fast.d[i]
            for i in indices:
                if i not in found and i in self.device_indices:  # moved: copy back, not into the tier
                    found[i] = self.tier.slow[i]
                    self.stats.moved_to_device += 1
        return [found[i] if i in found else self.host[i] for i in indices]

    def close(self) -> None:
        """Drop every device result (the host store is closed by its owner)."""
        with self.lock:
            self.closed = True
            if self.tier is not None:
                self.tier.fast.d.clear()
            self.device_indices.clear()


_HEX_TAIL = re.compile(r"[-_](?:[0-9]+|[0-9a-f]{8,})$")


def _group(key: Any) -> Any:
    """The name part of a key: ``("add-3f2a", 0, 1) -> "add-3f2a"`` (a layer), ``"inc-12" -> "inc"``."""
    if type(key) is tuple and key:
        return key[0]
    if type(key) is str:
        return _string_group(key)
    return key


@functools.lru_cache(maxsize=4096)
def _string_group(key: str) -> str:
    while True:
        shorter = _HEX_TAIL.sub("", key)
        if shorter == key or not shorter:
            return key
        key = shorter


#: Layer names (the first item of tuple keys) ending in a token (``"add-3f2a9c1e…"``, as gpuscale and
#: dask name layers, so a name stands for one computation) whose tasks returned host data: in later
#: runs their tasks skip the device gate from the start (recomputing a collection pays no gate).
#: Bounded: cleared when it grows past the cap.
_host_layers: dict[Any, None] = {}
_HOST_LAYERS_CAP = 4096
_TOKEN = re.compile(r"[-_][0-9a-f]{8,}$")


class _Halted(Exception):
    """Raised in a task still waiting for a slot when the run stops (never reaches the caller:
    the run's first error, or the Ctrl-C, is what is raised)."""


class _Gate:
    """At most ``limit`` device tasks at once; which tasks are device tasks, learnt per key group."""

    def __init__(self, limit: int, store: _DeviceStore, stats: DeviceStats) -> None:
        self.limit, self.store, self.stats = limit, store, stats
        self.cond = threading.Condition(threading.Lock())
        self.active = 0
        self.halted = False
        self.device_groups: dict[Any, bool] = {}  # group -> produces device data (absent: not known yet)
        self.layers: set = set()  # groups that are layer names of tuple keys

    def wrap(self, runner: Callable, deps: tuple, group: Any) -> Callable:
        def run(values: Any, runner: Callable = runner, deps: tuple = deps, group: Any = group,
                gate: _Gate = self) -> Any:
            if not gate._device_task(deps, group):  # known host group, host inputs: no lock taken
                value = runner(values)
            else:
                slot = gate.enter(deps, group)
                try:
                    value = runner(values)
                finally:
                    if slot:
                        gate.leave()
            if group not in gate.device_groups or not gate.device_groups[group]:
                gate.learn(group, value)
            return value

        return run

    def _device_task(self, deps: tuple, group: Any) -> bool:
        if self.device_groups.get(group, True):  # produces device data, or not known yet
            return True
        if deps:
            device = self.store.device_indices
            return any(j in device for j in deps)
        return False

    def enter(self, deps: tuple, group: Any) -> bool:
        """Wait for a slot if this is a device task; return whether a slot was taken."""
        with self.cond:
            while self._device_task(deps, group):
                if self.halted:  # the run failed or was cancelled: do not start this task
                    raise _Halted
                if self.active < self.limit:
                    self.active += 1
                    stats = self.stats
                    stats.device_tasks += 1
                    if self.active > stats.peak_device_tasks:
                        stats.peak_device_tasks = self.active
                    return True
                self.cond.wait()
            return False

    def halt(self) -> None:
        """Stop handing out slots; tasks waiting for one raise ``_Halted`` instead of running."""
        with self.cond:
            self.halted = True
            self.cond.notify_all()

    def leave(self) -> None:
        with self.cond:
            self.active -= 1
            self.cond.notify()

    def learn(self, group: Any, value: Any) -> None:
        """Record whether ``group`` produces device data (a device result makes it a device group for good)."""
        known = self.device_groups.get(group)
        if known:
            return
        if self.store.is_device(value):
            self.device_groups[group] = True
            _host_layers.pop(group, None)
        elif known is None:
            with self.cond:  # a host group: its waiting tasks need no slot
                self.device_groups.setdefault(group, False)
                self.cond.notify_all()
            if group in self.layers and type(group) is str and _TOKEN.search(group):
                if len(_host_layers) >= _HOST_LAYERS_CAP:
                    _host_layers.clear()
                _host_layers[group] = None


class DeviceRun:
    """One computation's device bounds: wraps the plan's runners and the store, then reports."""

    def __init__(self, support: Any, memory_limit: int | None, tasks: int | None) -> None:
        self.support = support
        self.stats = DeviceStats(memory_limit, tasks)
        self.gate: _Gate | None = None

    def halt(self) -> None:
        """The run stopped (done, failed or cancelled): wake the tasks waiting for a device slot."""
        if self.gate is not None:
            self.gate.halt()

    def prepare(self, plan: Any, host: Any, parallel: bool = True) -> tuple[Any, _DeviceStore]:
        """The plan with gated runners (when tasks may run ``parallel``), and the device-aware store
        in front of ``host``."""
        store = _DeviceStore(host, self.support, self.stats.memory_limit, self.stats)
        if self.stats.tasks_limit is None or not parallel:  # one task at a time: nothing to limit
            return plan, store
        gate = self.gate = _Gate(self.stats.tasks_limit, store, self.stats)
        runners, keys, dependencies = list(plan.runners), plan.keys, plan.dependencies
        layers, known = gate.layers, gate.device_groups
        host = bytearray(len(keys))  # 1: a task of a host layer whose inputs all are such tasks
        for i in plan.order:  # dependencies first
            key = keys[i]
            group = _group(key)
            if type(key) is tuple and group not in layers:
                layers.add(group)
                if group in _host_layers:  # returned host data in an earlier run
                    known[group] = False
            deps = dependencies[i]
            if known.get(group) is False:
                for j in deps:
                    if not host[j]:
                        break
                else:
                    host[i] = 1  # never a device task: its runner stays as it is
                    continue
            runners[i] = gate.wrap(runners[i], deps, group)
        return type(plan)(keys, runners, dependencies, plan.order, plan.outputs), store

    def finish(self, store: _DeviceStore, outputs: list[int]) -> list:
        """The outputs' values (device ones on the device); publishes the statistics."""
        values = store.outputs(outputs)
        _publish(self.stats)
        return values


_support: Any = None  # SUPPORT_MODULE, once loaded


def start_device_run() -> DeviceRun | None:
    """A :class:`DeviceRun` configured from ``device.tasks`` / ``device.memory_limit``, or None when unbounded.

    Returns
    -------
    DeviceRun or None
        None when both options leave everything unbounded (no task limit, and no
        memory limit: none set and no GPU found).
    """
    global _support
    tasks = config.get("device.tasks")
    support = _support
    if support is None:
        support = _support = importlib.import_module(SUPPORT_MODULE)
    limit = support.resolve_memory_limit(config.get("device.memory_limit"))
    if tasks is None and limit is None:
        return None
    return DeviceRun(support, limit, tasks)
