"""``LocalCUDACluster``: one Dask worker per GPU on this machine, CPU workers without one.

The cluster is a ``distributed.SpecCluster``; this module only composes the pieces:
validated :class:`~cuda_workers.settings.Settings` → NVML :func:`~cuda_workers.devices.discover`
→ :func:`~cuda_workers.spec.plan_workers` → one Nanny spec per worker.
"""

from __future__ import annotations

import os
import threading
import warnings
import weakref
from collections.abc import Callable
from contextlib import contextmanager

from distributed import Scheduler, SpecCluster

from . import devices as devices_module
from . import ucx
from .devices import DeviceSelectionError, parse_device_list
from .settings import Settings, SettingsError, check_death_timeout, jit_unspill_refused
from .spec import Machine, apply_worker_overrides, bind_host, plan_cpu_workers, plan_workers, worker_spec


class CPUFallbackWarning(UserWarning):
    """No usable GPU: the cluster runs CPU workers instead.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", CPUFallbackWarning)  # make a GPU-less start fail loudly
    ...     pass
    >>> issubclass(CPUFallbackWarning, UserWarning)
    True
    """


class NoGPUError(RuntimeError):
    """No usable GPU and ``cpu_fallback=False``.

    Examples
    --------
    >>> try:  # doctest: +SKIP
    ...     LocalCUDACluster(cpu_fallback=False)  # on a machine without a GPU
    ... except NoGPUError as error:
    ...     print(error)
    no usable GPU (...) and cpu_fallback=False
    """


class LocalCUDACluster(SpecCluster):
    """One worker process per GPU, set up for CuPy/cuDF work; CPU workers on a GPU-less machine.

    Code written for dask-cuda's ``LocalCUDACluster`` runs unchanged: its options have the
    same names and meanings (docs/cuda_workers.md has the table), as do the
    ``distributed.LocalCluster`` options below.

    Parameters
    ----------
    n_workers : int, optional
        Number of workers (default: one per visible GPU).
    CUDA_VISIBLE_DEVICES : str or list, optional
        dask-cuda's name for ``devices``: the GPUs to use (``"0,2"``, ``[0, 2]``, UUIDs).
    asynchronous : bool
        Start inside a running event loop (``await LocalCUDACluster(asynchronous=True)``).
    silence_logs : int or bool
        Log level for the workers and scheduler (default ``logging.WARNING``).
    scheduler_port : int
        The scheduler's port (default 0: any free port).
    worker_class : type, optional
        A ``distributed.Worker`` subclass each Nanny starts, or a ``Nanny`` subclass.
    data : callable or MutableMapping type, optional
        The workers' result store instead of the device → host → disk store (e.g. ``dict``).
    death_timeout : str or float, optional
        How long a worker waits for a lost scheduler before it exits.
    processes : bool
        Must be True: every GPU worker is its own process.
    **options
        Any :class:`~cuda_workers.settings.Settings` field, e.g. ``device_memory_limit=0.8``,
        ``rmm_pool_size="10GB"``, ``protocol="ucx"``, ``devices="0,2"``,
        ``cpu_fallback=False``.

    Examples
    --------
    One worker (a CPU worker, with a ``CPUFallbackWarning``, on a machine without a GPU):

    >>> from distributed import Client
    >>> from cuda_workers import LocalCUDACluster
    >>> with LocalCUDACluster(n_workers=1, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     print(len(cluster.workers), client.submit(sum, [1, 2]).result())
    1 3

    Every GPU, each worker with an RMM pool and spilling to host at 80% of its device
    (needs GPUs):

    >>> cluster = LocalCUDACluster(rmm_pool_size="10GB", device_memory_limit=0.8)  # doctest: +SKIP
    """

    def __init__(self, n_workers: int | None = None, *, CUDA_VISIBLE_DEVICES=None, asynchronous: bool = False,
                 silence_logs: int | bool = 30, scheduler_port: int = 0, worker_class: type | None = None,
                 data=None, death_timeout=None, processes: bool = True, **options):
        from gpuscale.runtime.distributed import refuse_start_in_reimported_main

        refuse_start_in_reimported_main("LocalCUDACluster")  # a script without a __main__ guard would hang
        check_death_timeout(death_timeout)
        with _devices_named("devices" if CUDA_VISIBLE_DEVICES is None else "CUDA_VISIBLE_DEVICES"):
            self.settings = _settings(n_workers, CUDA_VISIBLE_DEVICES, processes, options)
            self._scheduler_port = scheduler_port
            self.discovery, self.plans = plan_cluster(self.settings)
        self.has_gpus = any(plan.has_gpu for plan in self.plans)
        folder = private_folder(self.settings.local_directory)
        self.local_directory = folder.path
        # also removed at interpreter exit if the cluster was never closed
        self._remove_directory = weakref.finalize(self, folder.close)
        workers = {plan.name: worker_spec(plan, self.settings, self.local_directory) for plan in self.plans}
        for spec in workers.values():
            apply_worker_overrides(spec, silence_logs=silence_logs, worker_class=worker_class, data=data,
                                   death_timeout=death_timeout)
        without_gpu_monitor(workers.values())
        self._release_parent = None
        # one spec per GPU, kept for scale(): a GPU whose worker was retired can get one again
        self._gpu_specs = dict(workers) if self.has_gpus else {}
        try:
            super().__init__(
                workers=workers,
                scheduler=self._scheduler_spec(),
                worker=workers[self.plans[0].name],
                security=self.settings.security,
                asynchronous=asynchronous,
                silence_logs=silence_logs,
                name="LocalCUDACluster",
            )
        except BaseException:
            self._remove_directory()
            raise

    async def _start(self):
        from distributed.core import Status

        if self._release_parent is None and self.status != Status.closed:
            self._release_parent = hold_parent_monitor()  # released by _close, also after a failed start
        # UCX initialises once per process, when the scheduler starts listening: the
        # parent's transport settings must be in place then (sync and async start alike).
        with ucx.parent_settings(self.settings):
            await super()._start()

    def _scheduler_spec(self) -> dict:
        s = self.settings
        options = {
            "host": bind_host(s),
            "port": self._scheduler_port,
            "interface": s.interface,
            "protocol": s.protocol,
            "security": s.security,
            "dashboard_address": _dashboard_address(s),
        }
        if not self.has_gpus:  # CPU workers only: a task asking for a GPU would wait forever
            from .gpu_tasks import FailGPUTasksWithoutGPU

            reason = self.discovery.reason or "no GPU selected"
            options["plugins"] = [FailGPUTasksWithoutGPU(reason)]
        return {"cls": Scheduler, "options": options}

    def new_worker_spec(self) -> dict:
        """A spec for ``scale()``/``adapt()``: a GPU of the cluster without a worker gets one again (GPU workers
        cannot outnumber its GPUs); CPU workers can grow."""
        if self.has_gpus:
            free = [name for name in self._gpu_specs if name not in self.worker_spec]
            if not free:
                raise SettingsError("n_workers", f"cannot scale beyond one worker per GPU "
                                                 f"({len(self._gpu_specs)} GPU(s) in this cluster)")
            spec = self._gpu_specs[free[0]]
            return {free[0]: {**spec, "options": dict(spec["options"])}}
        name = f"cpu-{self._i}"
        while name in self.worker_spec:
            self._i += 1
            name = f"cpu-{self._i}"
        spec = dict(self.new_spec)
        spec["options"] = {**spec["options"], "name": name}
        return {name: spec}

    async def _close(self):
        try:
            await super()._close()
        finally:
            self._remove_directory()
            if self._release_parent is not None:
                self._release_parent()


def _settings(n_workers, cuda_visible_devices, processes: bool, options: dict) -> Settings:
    """Settings from the constructor's arguments, with dask-cuda's and LocalCluster's names."""
    if options.pop("jit_unspill", None):  # older dask-cuda's proxy objects (dask-cuda has dropped them since)
        raise jit_unspill_refused()
    unknown = sorted(set(options) - set(Settings.__dataclass_fields__))
    if unknown:
        raise TypeError(f"LocalCUDACluster() got an unexpected keyword argument {unknown[0]!r} "
                        "(options: docs/cuda_workers.md)")
    if not processes:
        raise SettingsError("processes", "must be True: each GPU worker is a process of its own")
    if cuda_visible_devices is not None:
        if options.get("devices") is not None:
            raise SettingsError("CUDA_VISIBLE_DEVICES", "give either CUDA_VISIBLE_DEVICES= or devices=, not both")
        options = {**options, "devices": cuda_visible_devices}
    return Settings(n_workers=n_workers, **options)


@contextmanager
def _devices_named(option: str):
    """Report problems of ``devices`` under the keyword the user gave (dask-cuda's ``CUDA_VISIBLE_DEVICES``)."""
    try:
        yield
    except SettingsError as error:
        if error.option != "devices" or option == "devices":
            raise
        raise error.renamed(option) from None


def _dashboard_address(settings: Settings) -> str | None:
    address = settings.dashboard_address
    if not isinstance(address, (str, type(None))):  # a port (validated by Settings), as distributed takes it
        address = f":{int(address)}"
    if address is None or not address.startswith(":"):
        return address
    host = bind_host(settings)
    return f"{host}{address}" if host else address


def private_folder(parent: str | None):
    """The cluster's private (0700) folder under ``parent`` (default: dask's ``temporary-directory``, else the
    temp folder, as a ``LocalCluster``'s workers choose; ``""`` too).

    It is locked while in use, so this also removes the folders of killed clusters
    and ``cuda-worker`` processes in ``parent`` (see ``gpuscale.runtime.scratch``).
    """
    import dask

    from gpuscale.runtime.scratch import owned_folder

    given = parent
    parent = parent or dask.config.get("temporary-directory", None) or None  # "" made no folder (FileNotFoundError)
    try:
        if parent is not None:
            os.makedirs(parent, exist_ok=True)
        return owned_folder("cuda-workers-", parent)
    except OSError as error:  # a file on the path, /proc, no permission: one line, not a traceback
        source = "" if given else " (dask's temporary-directory)"
        raise SettingsError("local_directory", f"cannot create a folder in {error.filename or parent!r}{source}: "
                                               f"{error.strerror or error}") from None


def plan_cluster(settings: Settings, prefix: str | None = None):
    """Discover devices and plan the workers; CPU fallback (or ``NoGPUError``) without a GPU.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", CPUFallbackWarning)
    ...     discovery, plans = plan_cluster(Settings(n_workers=1))
    >>> len(plans)
    1
    """
    discovery = devices_module.discover()
    requested = settings.devices
    if requested is None:
        requested = os.environ.get("CUDA_VISIBLE_DEVICES")
    if discovery:
        try:
            chosen = devices_module.select(requested, discovery.devices)
        except DeviceSelectionError as error:
            raise SettingsError("devices" if settings.devices is not None else "CUDA_VISIBLE_DEVICES", str(error)) from None
        if chosen:
            return discovery, plan_workers(settings, chosen, Machine.current(), prefix)
    return discovery, _fallback(settings, discovery, requested, prefix)


def _fallback(settings: Settings, discovery, requested, prefix: str | None):
    reason = discovery.reason or f"no device selected by {requested!r}"
    if not settings.cpu_fallback:
        raise NoGPUError(f"no usable GPU ({reason}) and cpu_fallback=False")
    if settings.devices is not None:
        raise SettingsError("devices", f"{settings.devices!r} names GPUs, but there is none ({reason})")
    note = f"; ignoring device options {sorted(settings.device_options)}" if settings.device_options else ""
    warnings.warn(f"No usable GPU ({reason}): starting CPU workers{note}", CPUFallbackWarning, stacklevel=4)
    return plan_cpu_workers(settings, Machine.current(), prefix or "")


def without_gpu_monitor(specs) -> None:
    """CPU workers' Nannies start their worker with distributed's NVML monitor off: it would watch the first GPU
    of the inherited ``CUDA_VISIBLE_DEVICES``, and ``-1`` (all hidden) made the worker fail to start."""
    for spec in specs:
        options = spec["options"]
        if "CUDA_VISIBLE_DEVICES" not in options.get("env", {}):  # a dotted key: the Nanny merges only the top level
            options["config"] = {**(options.get("config") or {}), "distributed.diagnostics.nvml": False}


_PARENT = {"holders": 0, "undo": None}
_PARENT_LOCK = threading.Lock()


def hold_parent_monitor() -> Callable[[], None]:
    """Keep distributed's GPU monitor of the Scheduler and Nannies in this (the user's) process working while a
    cluster or ``CUDAWorker`` runs; returns the release (the last one undoes the change).

    The monitor reads this process's ``CUDA_VISIBLE_DEVICES`` as it is, and failed on values CUDA accepts.  A GPU
    UUID prefix becomes the whole UUID of the same GPU (same meaning for CUDA) until the release; a value that
    hides every GPU (``-1``) stays (``""`` would show them all), and distributed's NVML monitor is off instead.
    """
    with _PARENT_LOCK:
        if _PARENT["holders"] == 0:
            _PARENT["undo"] = _adjust_parent_monitor()
        _PARENT["holders"] += 1
    released = []

    def release():
        with _PARENT_LOCK:
            if released:
                return
            released.append(True)
            _PARENT["holders"] -= 1
            if _PARENT["holders"] == 0:
                _PARENT["undo"]()

    return release


def _adjust_parent_monitor():
    value = os.environ.get("CUDA_VISIBLE_DEVICES")
    if value is None:
        return lambda: None
    discovery = devices_module.discover()
    if not discovery:  # no NVML: distributed's monitor is off already
        return lambda: None
    try:
        seen = devices_module.select(value, discovery.devices)
    except DeviceSelectionError:  # CUDA shows none of them
        seen = []
    return _named_in_full(value, seen) if seen else _nvml_monitor_off()


def _named_in_full(value: str, seen) -> Callable[[], None]:
    full = ",".join(token if token.isdigit() else device.uuid for token, device in zip(parse_device_list(value), seen))
    if full == value:
        return lambda: None
    os.environ["CUDA_VISIBLE_DEVICES"] = full

    def undo():
        if os.environ.get("CUDA_VISIBLE_DEVICES") == full:  # unless changed since
            os.environ["CUDA_VISIBLE_DEVICES"] = value

    return undo


def _nvml_monitor_off() -> Callable[[], None]:
    # distributed decides once per process whether NVML is on, and the "distributed.diagnostics.nvml" setting
    # counts only before that: its recorded state is what a new SystemMonitor asks
    from distributed.diagnostics import nvml

    before = nvml.NVML_STATE
    nvml.NVML_STATE = nvml.NVMLState.DISABLED_CONFIG

    def undo():
        if nvml.NVML_STATE == nvml.NVMLState.DISABLED_CONFIG:
            nvml.NVML_STATE = before

    return undo
