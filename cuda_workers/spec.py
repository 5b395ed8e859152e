"""Per-worker plans as plain data, and their translation into ``SpecCluster`` specs.

``plan_workers`` is pure (devices and machine size come in as arguments), so every
decision — which GPU, which cores, how many bytes — is testable without processes.
``worker_spec`` turns one plan into the ``{"cls": Nanny, "options": {...}}`` dict that
``distributed.SpecCluster`` and the ``cuda-worker`` CLI start.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .devices import Device, rotated_visible_devices
from .settings import Settings, SettingsError, resolve_bytes

MIN_HOST_BYTES_PER_CPU_WORKER = 2 * 2**30


@dataclass(frozen=True)
class WorkerPlan:
    """Everything one worker process gets, resolved to bytes and core ids."""

    name: str | int  # a GPU worker of LocalCUDACluster is named by its device, as dask-cuda names it
    device: Device | None
    cuda_visible_devices: str | None
    cpu_affinity: tuple[int, ...]
    threads: int
    memory_limit_bytes: int
    device_memory_limit_bytes: int | None = None
    rmm_pool_size_bytes: int | None = None
    rmm_maximum_pool_size_bytes: int | None = None
    rmm_release_threshold_bytes: int | None = None

    @property
    def has_gpu(self) -> bool:
        return self.device is not None


@dataclass(frozen=True)
class Machine:
    """The host resources plans are sized for."""

    cpu_count: int
    memory_bytes: int

    @classmethod
    def current(cls) -> Machine:
        from dask.system import CPU_COUNT  # both respect cgroup limits and CPU affinity
        from distributed.system import MEMORY_LIMIT

        return cls(cpu_count=CPU_COUNT, memory_bytes=MEMORY_LIMIT)


def plan_workers(settings: Settings, devices: Sequence[Device], machine: Machine,
                 prefix: str | None = None) -> list[WorkerPlan]:
    """One plan per worker: one per device in ``devices``, or CPU workers when it is empty.

    Without a ``prefix`` (``LocalCUDACluster``) a GPU worker is named by its device as dask-cuda names it: the index
    (``0``), or the UUID the device was named by; with one (a node's ``cuda-worker``) ``<prefix>gpu-<index>``.
    CPU workers are ``<prefix>cpu-<i>``.
    """
    if not devices:
        return plan_cpu_workers(settings, machine, prefix or "")
    n_workers = settings.n_workers or len(devices)
    if n_workers > len(devices):
        raise SettingsError("n_workers", f"{n_workers} workers asked for but only {len(devices)} GPU(s) are visible")
    threads = settings.threads_per_worker or 1
    host_bytes = _host_bytes(settings, machine, n_workers)
    return [_gpu_plan(settings, devices, i, threads, host_bytes, prefix) for i in range(n_workers)]


def plan_cpu_workers(settings: Settings, machine: Machine, prefix: str = "") -> list[WorkerPlan]:
    """CPU workers sized like ``distributed.LocalCluster``, capped so each has ≥ 2 GiB."""
    n_workers, threads = _cpu_breakdown(settings, machine)
    host_bytes = _host_bytes(settings, machine, n_workers)
    return [
        WorkerPlan(f"{prefix}cpu-{i}", None, None, (), threads, host_bytes)
        for i in range(n_workers)
    ]


def _cpu_breakdown(settings: Settings, machine: Machine) -> tuple[int, int]:
    if settings.n_workers:
        return settings.n_workers, settings.threads_per_worker or max(1, machine.cpu_count // settings.n_workers)
    if settings.threads_per_worker:
        return max(1, machine.cpu_count // settings.threads_per_worker), settings.threads_per_worker
    by_memory = max(1, machine.memory_bytes // MIN_HOST_BYTES_PER_CPU_WORKER)
    processes = min(_processes_for(machine.cpu_count), by_memory)
    return processes, max(1, machine.cpu_count // processes)


def _processes_for(cores: int) -> int:
    """Like LocalCluster: one process per core up to 4, then about sqrt(cores)."""
    if cores <= 4:
        return max(1, cores)
    return min(f for f in range(1, cores + 1) if cores % f == 0 and f * f >= cores)


def _host_bytes(settings: Settings, machine: Machine, n_workers: int) -> int:
    if settings.memory_limit == "auto":
        return machine.memory_bytes // n_workers
    if settings.memory_limit is None or settings.memory_limit == 0:
        return 0  # no limit
    return cap_memory_limit(resolve_bytes(settings.memory_limit, machine.memory_bytes), machine.memory_bytes)


def cap_memory_limit(limit: int, machine_bytes: int) -> int:
    """A host limit above the machine's memory is the machine's memory, as distributed's ``parse_memory_limit`` caps
    a worker's (it logs the same warning): the spill store is sized from the same number, so it spills in time.

    Examples
    --------
    >>> cap_memory_limit(100 * 10**12, 64 * 2**30) == 64 * 2**30, cap_memory_limit(2**30, 64 * 2**30) == 2**30
    (True, True)
    """
    if limit <= machine_bytes:
        return limit
    import logging

    from dask.utils import format_bytes

    logging.getLogger("distributed.worker_memory").warning(
        "Ignoring provided memory limit %s due to system memory limit of %s", format_bytes(limit),
        format_bytes(machine_bytes))
    return machine_bytes


def _device_name(device: Device) -> str | int:
    token = device.visible_id
    return int(token) if token.isdigit() else token


def _gpu_plan(settings: Settings, devices: Sequence[Device], i: int, threads: int, host_bytes: int,
              prefix: str | None) -> WorkerPlan:
    device = devices[i]
    device_bytes = {
        name: _device_bytes(settings, name, device)
        for name in ("device_memory_limit", "rmm_pool_size", "rmm_maximum_pool_size", "rmm_release_threshold")
    }
    pool, maximum = device_bytes["rmm_pool_size"], device_bytes["rmm_maximum_pool_size"]
    if pool is not None and maximum is not None and maximum < pool:  # fractions compare only once resolved
        raise SettingsError("rmm_maximum_pool_size", f"{maximum} bytes is smaller than rmm_pool_size={pool} (on "
                                                     f"device {device.label}, {device.name})")
    return WorkerPlan(
        name=_device_name(device) if prefix is None else f"{prefix}gpu-{device.label}",
        device=device,
        cuda_visible_devices=rotated_visible_devices(devices, i),
        cpu_affinity=device.cpu_affinity,
        threads=threads,
        memory_limit_bytes=host_bytes,
        **{f"{name}_bytes": value for name, value in device_bytes.items()},
    )


def _device_bytes(settings: Settings, option: str, device: Device) -> int | None:
    value, total = getattr(settings, option), device.memory_total_bytes
    if total is None and isinstance(value, float):  # a fraction of a GPU that shares the host's memory
        if option == "device_memory_limit":
            return None  # no memory of its own to keep below: the device tier is off, as dask-cuda's "default"
        raise SettingsError(option, f"a fraction of device memory needs a GPU with memory of its own; device "
                                    f"{device.label} ({device.name}) shares the host's memory: give a size such "
                                    f"as '8GB'")
    value = resolve_bytes(value, total)
    if value is not None and total is not None and value > total:
        raise SettingsError(
            option,
            f"{value} bytes is larger than device {device.label} ({device.name}, "
            f"{total} bytes)",
        )
    return value


def worker_spec(plan: WorkerPlan, settings: Settings, local_directory: str) -> dict:
    """The ``SpecCluster`` entry (``{"cls": Nanny, "options": …}``) for one worker."""
    from distributed import Nanny

    from . import plugins, ucx

    options = {
        "name": plan.name,
        "nthreads": plan.threads,
        "memory_limit": plan.memory_limit_bytes,
        "local_directory": local_directory,
        "host": bind_host(settings),
        "interface": settings.interface,
        "protocol": settings.protocol,
        "security": settings.security,
        "dashboard_address": None,  # per-worker dashboards are opt-in for Dask too
        "plugins": plugins.for_plan(plan, settings),
        "env": _environment(plan, settings, ucx),
        "config": ucx.worker_config(settings, gpu=plan.has_gpu) if settings.protocol == "ucx" else {},
    }
    if plan.has_gpu:
        options["resources"] = {"GPU": 1}  # GPU-annotated tasks never land on CPU workers
        if store := _spill_store(plan, settings):
            options["data"] = store
    return {"cls": Nanny, "options": options}


def apply_worker_overrides(spec: dict, *, worker_class: Any = None, resources: dict | None = None,
                           **options: Any) -> None:
    """LocalCluster/``dask worker``-style options that change a worker's Nanny spec (``None``: leave as is).

    ``worker_class`` is a ``Worker`` subclass the Nanny starts, or a ``Nanny`` subclass that replaces
    the Nanny (anything else raises ``SettingsError``); ``resources`` are offered besides the GPU worker's ``GPU=1``
    (a ``GPU`` amount given there replaces it); the other ``options``
    (``data``, which replaces the device -> host -> disk store, ``death_timeout``, ``preload``,
    ``silence_logs``, ``dashboard``, ``worker_port`` ...) are the Nanny's keywords.
    """
    from distributed import Nanny

    spec["options"].update({name: value for name, value in options.items() if value is not None})
    if resources:  # the user's amounts win, GPU included (dask-cuda passes them unchanged)
        spec["options"]["resources"] = {**spec["options"].get("resources", {}), **resources}
    worker_class = import_worker_class(worker_class) if isinstance(worker_class, str) else worker_class
    if worker_class is not None and not _is_worker_class(worker_class):  # else it fails in the worker process
        raise SettingsError("worker_class", f"expected a Worker or Nanny class (a subclass of distributed.Worker or "
                                            f"distributed.Nanny) or 'module.Class' naming one; got {worker_class!r}")
    if isinstance(worker_class, type) and issubclass(worker_class, Nanny):
        spec["cls"] = worker_class
    elif worker_class is not None:
        spec["options"]["worker_class"] = worker_class


def _is_worker_class(value: Any) -> bool:
    from distributed import Nanny, Worker

    return isinstance(value, type) and issubclass(value, (Worker, Nanny))


def import_worker_class(path: str | None):
    """The class named ``module.Class`` (``distributed.Worker``), or None (a Nanny would not import the name: the
    cluster waited for a worker that never started)."""
    if path is None:
        return None
    from distributed.utils import import_term

    try:
        return import_term(path)
    except (ImportError, AttributeError, ValueError) as error:
        raise SettingsError("worker_class", f"cannot import {path!r} ({error})") from None


def bind_host(settings: Settings) -> str | None:
    """Listen on 127.0.0.1 unless the user named an interface or a host (secure default)."""
    if settings.host is not None:
        return settings.host
    return None if settings.interface else "127.0.0.1"


def _environment(plan: WorkerPlan, settings: Settings, ucx) -> dict[str, str]:
    env = {}
    if plan.cuda_visible_devices is not None:
        env["CUDA_VISIBLE_DEVICES"] = plan.cuda_visible_devices
        # device indices are NVML's, which count in PCI bus order; CUDA counts fastest first unless told
        env.setdefault("CUDA_DEVICE_ORDER", os.environ.get("CUDA_DEVICE_ORDER", "PCI_BUS_ID"))
    if settings.protocol == "ucx":
        env.update(ucx.worker_environment())
    return env


def _spill_store(plan: WorkerPlan, settings: Settings):
    """``data=`` factory: device→host→disk store, or plain host spilling under cuDF spill."""
    if settings.enable_cudf_spill or not plan.device_memory_limit_bytes:
        return None  # cuDF spills device memory itself; distributed spills host to disk
    from .spill import make_store

    return (
        make_store,
        {
            "device_memory_limit": plan.device_memory_limit_bytes,
            "memory_limit": plan.memory_limit_bytes,
            "log_spilling": settings.log_spilling,
        },
    )
