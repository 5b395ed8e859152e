"""Per-worker set-up, one ``WorkerPlugin`` per concern.

Each plugin is pickled to the worker process and runs there, after
``CUDA_VISIBLE_DEVICES`` is set and before the first task. RMM, CuPy and cuDF are
imported inside ``setup`` only, so the parent never touches the GPU.
Order matters and is the order of :func:`for_plan`: pin cores first (so the allocator's
memory lands on the right NUMA node), then the RMM allocator, then the libraries that
allocate through it, then user imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from collections.abc import Sequence

from distributed import WorkerPlugin

logger = logging.getLogger("distributed.worker")


class CPUAffinity(WorkerPlugin):
    """Pin the worker process to the cores NVML reports as close to its GPU."""

    name = "cuda-workers-cpu-affinity"

    def __init__(self, cores: Sequence[int]):
        self.cores = tuple(cores)

    def setup(self, worker=None):
        try:
            os.sched_setaffinity(0, self.cores)
        except (OSError, AttributeError, ValueError) as error:  # not permitted / no such core / not Linux
            logger.warning("CPU affinity %s not applied (%s); the worker runs unpinned", self.cores, error)


class RMMSetup(WorkerPlugin):
    """Make RMM the device allocator: a pool, CUDA's async allocator or managed memory.

    Sizes arrive resolved to bytes (see ``WorkerPlan``); ``log_directory`` turns on
    RMM's per-worker allocation log; ``track_allocations`` wraps the resource in RMM's
    ``TrackingResourceAdaptor`` (allocated bytes for diagnostics, at some cost per allocation).
    """

    name = "cuda-workers-rmm"

    def __init__(self, *, pool_size=None, maximum_pool_size=None, use_async=False, managed_memory=False,
                 release_threshold=None, log_directory=None, export_ipc=False, track_allocations=False):
        self.pool_size = _aligned(pool_size)
        self.maximum_pool_size = _aligned(maximum_pool_size)
        self.use_async = use_async
        self.managed_memory = managed_memory
        self.release_threshold = _aligned(release_threshold)
        self.log_directory = log_directory
        self.export_ipc = export_ipc  # async pools must opt in to CUDA IPC (UCX over NVLink)
        self.track_allocations = track_allocations

    def setup(self, worker=None):
        import rmm

        if self.use_async:
            rmm.mr.set_current_device_resource(self._async_resource(rmm))
        else:
            rmm.reinitialize(
                pool_allocator=self.pool_size is not None,
                managed_memory=self.managed_memory,
                initial_pool_size=self.pool_size,
                maximum_pool_size=self.maximum_pool_size,
            )
        if self.track_allocations:  # outermost, so it sees every allocation the workers make
            rmm.mr.set_current_device_resource(rmm.mr.TrackingResourceAdaptor(rmm.mr.get_current_device_resource()))
        if self.log_directory is not None:
            self._enable_logging(rmm, worker)

    def _async_resource(self, rmm):
        ipc = {"enable_ipc": True} if self.export_ipc else {}
        resource = rmm.mr.CudaAsyncMemoryResource(
            initial_pool_size=self.pool_size, release_threshold=self.release_threshold, **ipc
        )
        if self.maximum_pool_size is not None:
            resource = rmm.mr.LimitingResourceAdaptor(resource, allocation_limit=self.maximum_pool_size)
        return resource

    def _enable_logging(self, rmm, worker):
        os.makedirs(self.log_directory, exist_ok=True)
        name = getattr(worker, "name", None) or os.getpid()
        rmm.enable_logging(log_file_name=os.path.join(self.log_directory, f"rmm-log-{name}.txt"))


def _aligned(size: int | None) -> int | None:
    """RMM pools grow in 256-byte units; round down so RMM accepts any size we resolved."""
    return None if size is None else size // 256 * 256


class LibraryAllocators(WorkerPlugin):
    """Route libraries' device allocations through RMM (its pool, its limits, its statistics).

    ``libraries`` is ``rmm_allocator_external_lib_list``: the libraries named there must
    be installed; by default CuPy and Numba are routed when they are installed.
    """

    name = "cuda-workers-library-allocators"
    DEFAULT = ("cupy", "numba")

    def __init__(self, libraries: Sequence[str] | None = None):
        self.libraries = None if libraries is None else tuple(libraries)

    def setup(self, worker=None):
        if self.libraries is None:
            chosen = [lib for lib in self.DEFAULT if importlib.util.find_spec(lib) is not None]
        else:
            chosen = list(self.libraries)
        for library in chosen:
            _ROUTES[library]()


def _route_cupy() -> None:
    import cupy
    from rmm.allocators.cupy import rmm_cupy_allocator

    cupy.cuda.set_allocator(rmm_cupy_allocator)


def _route_numba() -> None:
    from numba import cuda
    from rmm.allocators.numba import RMMNumbaManager

    cuda.set_memory_manager(RMMNumbaManager)


def _route_torch() -> None:
    import torch
    from rmm.allocators.torch import rmm_torch_allocator

    torch.cuda.memory.change_current_allocator(rmm_torch_allocator)


_ROUTES = {"cupy": _route_cupy, "numba": _route_numba, "torch": _route_torch}


class CudfSpill(WorkerPlugin):
    """Let cuDF spill its own device buffers to host (it allocates through RMM already)."""

    name = "cuda-workers-cudf-spill"

    def __init__(self, enabled: bool, stats: int = 0):
        self.enabled = enabled
        self.stats = stats  # cuDF's spill_stats level (0: none)

    def setup(self, worker=None):
        import cudf

        cudf.set_option("spill", self.enabled)
        cudf.set_option("spill_stats", self.stats)


class PreImport(WorkerPlugin):
    """Import modules once at start-up, so the first task does not pay for it."""

    name = "cuda-workers-pre-import"

    def __init__(self, modules: Sequence[str]):
        self.modules = tuple(modules)

    def setup(self, worker=None):
        for module in self.modules:
            importlib.import_module(module)


def for_plan(plan, settings) -> list[WorkerPlugin]:
    """The plugins one worker needs, in set-up order (CPU workers get only pre-imports)."""
    chosen: list[WorkerPlugin] = []
    if plan.has_gpu and plan.cpu_affinity:
        chosen.append(CPUAffinity(plan.cpu_affinity))
    if plan.has_gpu and settings.sets_up_rmm:
        chosen.append(_rmm_plugin(plan, settings))
        chosen.append(LibraryAllocators(settings.rmm_allocator_external_lib_list))
    if plan.has_gpu and settings.enable_cudf_spill:
        chosen.append(CudfSpill(True, settings.cudf_spill_stats))
    if settings.pre_import:
        chosen.append(PreImport(settings.pre_import))
    return chosen


def _rmm_plugin(plan, settings) -> RMMSetup:
    return RMMSetup(
        pool_size=plan.rmm_pool_size_bytes,
        maximum_pool_size=plan.rmm_maximum_pool_size_bytes,
        use_async=settings.rmm_async,
        managed_memory=settings.rmm_managed_memory,
        release_threshold=plan.rmm_release_threshold_bytes,
        log_directory=settings.rmm_log_directory,
        export_ipc=settings.protocol == "ucx" and settings.enable_nvlink is not False,
        track_allocations=settings.rmm_track_allocations,
    )
