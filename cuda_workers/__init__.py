"""Per-GPU Dask workers: ``LocalCUDACluster`` and the ``cuda-worker`` command.

``import cuda_workers`` is light: ``distributed`` is imported when ``LocalCUDACluster``
is first used, and RMM / CuPy / cuDF only inside worker processes.
"""

from __future__ import annotations

from .devices import Device, discover
from .settings import Settings, SettingsError

__all__ = [
    "CPUFallbackWarning", "CUDAWorker", "Device", "DeviceHostDiskStore", "LocalCUDACluster", "NoGPUError",
    "NoGPUWorkerError", "Settings", "SettingsError", "cluster_configuration", "discover", "print_cluster_config",
]

_LAZY = {
    "LocalCUDACluster": "cluster",
    "CPUFallbackWarning": "cluster",
    "NoGPUError": "cluster",
    "NoGPUWorkerError": "gpu_tasks",
    "DeviceHostDiskStore": "spill",
    "CUDAWorker": "node",
    "cluster_configuration": "config",
    "print_cluster_config": "config",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'cuda_workers' has no attribute {name!r}")
