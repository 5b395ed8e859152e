"""``dask_cuda.utils``: the helpers a dask-cuda user calls, answered by cuda_workers; the rest are internals."""

from __future__ import annotations

import os
import time

from cuda_workers import config, devices

from ._internal import internal


def _visible() -> list:
    """The devices a cluster started now would use (``CUDA_VISIBLE_DEVICES`` as cuda_workers reads it)."""
    return devices.select(os.environ.get("CUDA_VISIBLE_DEVICES") or None, devices.discover().devices)


def get_n_gpus() -> int:
    return len(_visible())


def get_gpu_count() -> int:
    return len(devices.discover().devices)


def get_device_total_memory(device_index: int = 0) -> int:
    return devices.discover().devices[int(device_index)].memory_total_bytes


def get_gpu_uuid(device_index: int = 0) -> str:
    return devices.discover().devices[int(device_index)].uuid


def get_gpu_count_mig(return_uuids: bool = False):
    migs = [d.uuid.encode() for d in devices.discover().devices if d.mig_parent is not None]
    return (len(migs), migs) if return_uuids else len(migs)


def has_device_memory_resource(device_index: int = 0) -> bool:
    found = devices.discover().devices
    return bool(found) and found[0].memory_total_bytes > 0


def get_cluster_configuration(client):
    return config.cluster_configuration(client)


def print_cluster_config(client):
    return config.print_cluster_config(client)


def wait_workers(client, min_timeout: float = 10, seconds_per_gpu: float = 2, n_gpus: int = 0,
                 timeout_callback=None) -> bool:
    """Test plumbing: wait until ``n_gpus`` workers joined ``client``'s scheduler."""
    n_gpus = n_gpus or get_n_gpus()
    deadline = time.monotonic() + max(min_timeout, seconds_per_gpu * n_gpus)
    while len(client.scheduler_info(n_workers=-1)["workers"]) < n_gpus:
        if time.monotonic() > deadline:
            if timeout_callback:
                timeout_callback()
            return False
        time.sleep(0.1)
    return True


def unpack_bitmask(words) -> list[int]:
    return list(devices.unpack_cpu_mask(words))

for _name in ("_all_to_all", "cuda_visible_devices", "get_cpu_affinity", "get_preload_options", "get_ucx_config",
              "nvml_device_index", "parse_cuda_visible_device", "parse_device_memory_limit", "get_gpu_handle",
              "parse_device_bytes"):
    globals()[_name] = internal("utils", _name)
