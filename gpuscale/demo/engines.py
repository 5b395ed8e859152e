"""Where the demo runs: a ``LocalCUDACluster`` (CPU workers without a GPU) or the local runtime."""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterator

import gpuscale
from gpuscale.demo.errors import DemoError
from gpuscale.demo.sizes import human_bytes


@dataclass
class Engine:
    """A started engine: what to tell the user and what to give ``compute``."""

    name: str
    devices: list[str]
    scheduler: Any = "threads"
    dashboard: str | None = None
    notices: list[str] = field(default_factory=list)

    def wait(self, collection: Any, progress: bool = True) -> Any:
        """Block until a persisted collection is in memory (a cluster persists in the background)."""
        if isinstance(self.scheduler, str):
            return collection  # the local runtime persists synchronously
        import distributed

        if progress and sys.stdout.isatty():
            distributed.progress(collection, notebook=False)  # a bar in the terminal; blocks
        distributed.wait(collection)
        return collection


def backends() -> dict[str, str]:
    """The chunk libraries ``backend="auto"`` resolves to on this machine."""
    from gpuscale.backends import resolve_array_backend, resolve_frame_backend

    return {"frames": resolve_frame_backend(None), "arrays": resolve_array_backend(None)}


def check_settings() -> dict[str, str]:
    """Read every gpuscale option and resolve the backends now, before any data is generated.

    ``GPUSCALE_*`` variables are read on demand, so a bad one (``GPUSCALE_NUM_WORKERS=abc``) or a backend this
    machine cannot run (``GPUSCALE_BACKEND=gpu`` without a GPU) would otherwise fail only after the dataset
    was generated, with a traceback.

    Returns
    -------
    dict
        The chunk libraries of the run, as :func:`backends`.

    Raises
    ------
    DemoError
        With the one-line reason and exit status 2 (a bad option).
    """
    from gpuscale.backends import BackendUnavailableError

    try:
        for key in gpuscale.config.options:
            gpuscale.config.get(key)
        return backends()
    except (ValueError, BackendUnavailableError) as error:
        raise DemoError(" ".join(str(error).split()), exit_code=2) from None


@contextlib.contextmanager
def start_engine(local: bool) -> Iterator[Engine]:
    """Start the engine for the run and make it gpuscale's scheduler until the block ends."""
    if local:
        engine = _local_engine()
    else:
        engine = None
    with contextlib.ExitStack() as stack:
        if engine is None:
            engine = _cluster_engine(stack)
        stack.enter_context(gpuscale.config.set(scheduler=engine.scheduler))
        yield engine


def _local_engine(notice: str | None = None) -> Engine:
    threads = gpuscale.config.get("num_workers") or os.cpu_count() or 1
    return Engine(name=f"gpuscale local runtime ({threads} threads)",
                  devices=[f"CPU: {threads} threads"], scheduler="threads",
                  notices=[notice] if notice else [])


def _cluster_engine(stack: contextlib.ExitStack) -> Engine:
    try:
        from cuda_workers import LocalCUDACluster
        from distributed import Client
    except ImportError as error:  # e.g. an install without distributed
        return _local_engine(f"LocalCUDACluster is not available ({error}); using the local runtime instead")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cluster = stack.enter_context(LocalCUDACluster())
        except Exception as error:  # e.g. a bad CUDA_VISIBLE_DEVICES: say so, do not hide it
            raise DemoError(f"could not start LocalCUDACluster ({type(error).__name__}: {error}); "
                            "fix the cause, or run with --local to use gpuscale's local runtime") from None
    notices = [f"{w.message}" for w in caught if type(w.message).__name__ == "CPUFallbackWarning"]
    client = stack.enter_context(Client(cluster))
    return Engine(name=f"LocalCUDACluster ({len(cluster.plans)} workers) via distributed.Client",
                  devices=[_describe_plan(plan) for plan in cluster.plans], scheduler=client,
                  dashboard=_dashboard(client), notices=notices)


def _dashboard(client) -> str:
    import importlib.util

    if importlib.util.find_spec("bokeh") is None:  # distributed serves its dashboard with bokeh
        return "not available (pip install bokeh to get the Dask dashboard)"
    return client.dashboard_link


def _describe_plan(plan) -> str:
    memory = f"{human_bytes(plan.memory_limit_bytes)} host memory"
    if plan.has_gpu:
        device = plan.device
        total = device.memory_total_bytes
        memory_of_its_own = "shared memory" if total is None else human_bytes(total)
        return (f"GPU {device.name} ({memory_of_its_own}) for worker {plan.name}, "
                f"{plan.threads} thread(s), {memory}")
    return f"CPU worker {plan.name}: {plan.threads} thread(s), {memory}"
