"""A fake NVML for machines without a GPU: patches ``pynvml`` functions from a JSON spec.

The spec (env var ``CUDA_WORKERS_FAKE_NVML``) is a list of GPUs::

    [{"name": "Fake A100", "uuid": "GPU-aaaa…", "memory": 40e9, "cpus": [0],
      "nvlink": [1], "mig": [{"uuid": "MIG-…", "memory": 10e9}]}]

``"memory": None`` is a GPU sharing the host's memory (NVML reports none, as on DGX Spark's GB10).
``sitecustomize.py`` next to this file installs it in every Python process started with
this directory on ``PYTHONPATH`` — so Dask worker subprocesses see the same GPUs.
Only NVML is faked: nothing here pretends to be CUDA.
"""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

ENV_VAR = "CUDA_WORKERS_FAKE_NVML"


class Handle:
    def __init__(self, gpu: dict, index: int, mig: dict | None = None):
        self.gpu, self.index, self.mig = gpu, index, mig


def functions(gpus: list[dict]) -> dict:
    """The pynvml attributes to replace, as a name -> function dict."""
    import pynvml

    def error(code):
        return pynvml.NVMLError(code)

    def handle_by_index(i):
        if not 0 <= i < len(gpus):
            raise error(pynvml.NVML_ERROR_INVALID_ARGUMENT)
        return Handle(gpus[i], i)

    def mig_mode(h):
        if "mig" not in h.gpu:
            raise error(pynvml.NVML_ERROR_NOT_SUPPORTED)
        return [pynvml.NVML_DEVICE_MIG_ENABLE] * 2

    def mig_handle(h, slot):
        instances = h.gpu.get("mig", [])
        if slot >= len(instances):
            raise error(pynvml.NVML_ERROR_NOT_FOUND)
        return Handle(h.gpu, h.index, instances[slot])

    def affinity(h, words):
        mask = [0] * words
        for cpu in h.gpu.get("cpus", []):
            if cpu // 64 < words:  # like NVML: the caller's mask size bounds the answer
                mask[cpu // 64] |= 1 << (cpu % 64)
        return mask

    def memory(h):
        if (h.mig or h.gpu)["memory"] is None:  # a GPU sharing the host's memory (GB10, Jetson): NVML has none
            raise error(pynvml.NVML_ERROR_NOT_SUPPORTED)
        total = int((h.mig or h.gpu)["memory"])
        return SimpleNamespace(total=total, free=total, used=0)

    def nvlink_state(h, link):
        if link >= len(h.gpu.get("nvlink", [])):
            raise error(pynvml.NVML_ERROR_INVALID_ARGUMENT)
        return pynvml.NVML_FEATURE_ENABLED

    def bus(i):
        return SimpleNamespace(busId=f"00000000:{i + 1:02x}:00.0".encode())

    def handle_by_uuid(uuid):
        uuid = uuid.decode() if isinstance(uuid, bytes) else uuid
        for i, gpu in enumerate(gpus):
            if gpu["uuid"] == uuid:
                return Handle(gpu, i)
            for mig in gpu.get("mig", []):
                if mig["uuid"] == uuid:
                    return Handle(gpu, i, mig)
        raise error(pynvml.NVML_ERROR_NOT_FOUND)

    return {
        # what distributed's own GPU diagnostics (SystemMonitor) ask for
        "nvmlSystemGetDriverVersion": lambda: "999.99",
        "nvmlDeviceGetHandleByUUID": handle_by_uuid,
        "nvmlDeviceGetIndex": lambda h: h.index,
        "nvmlDeviceGetUtilizationRates": lambda h: SimpleNamespace(gpu=0, memory=0),
        "nvmlDeviceGetBAR1MemoryInfo": lambda h: SimpleNamespace(bar1Total=2**28),  # ucxx asks at import
        "nvmlDeviceGetComputeRunningProcesses": lambda h: [],
        "nvmlDeviceGetComputeRunningProcesses_v2": lambda h: [],
        # what cuda_workers.devices asks for
        "nvmlInit": lambda: None,
        "nvmlShutdown": lambda: None,
        "nvmlDeviceGetCount": lambda: len(gpus),
        "nvmlDeviceGetHandleByIndex": handle_by_index,
        "nvmlDeviceGetName": lambda h: h.gpu["name"],
        "nvmlDeviceGetUUID": lambda h: (h.mig or h.gpu)["uuid"],
        "nvmlDeviceGetMemoryInfo": memory,
        "nvmlDeviceGetCpuAffinity": affinity,
        "nvmlDeviceGetMigMode": mig_mode,
        "nvmlDeviceGetMaxMigDeviceCount": lambda h: 7,
        "nvmlDeviceGetMigDeviceHandleByIndex": mig_handle,
        "nvmlDeviceGetPciInfo": lambda h: bus(h.index),
        "nvmlDeviceGetNvLinkState": nvlink_state,
        "nvmlDeviceGetNvLinkRemotePciInfo": lambda h, link: bus(h.gpu["nvlink"][link]),
    }


def install(gpus: list[dict], setattr=setattr) -> None:
    """Patch ``pynvml`` (pass ``monkeypatch.setattr`` to undo it after a test)."""
    import pynvml

    for name, function in functions(gpus).items():
        setattr(pynvml, name, function)
    _reset_distributed_nvml_state(setattr)


def _reset_distributed_nvml_state(setattr) -> None:
    """distributed caches whether NVML initialised; with monkeypatch, restore that cache too."""
    import sys

    nvml = sys.modules.get("distributed.diagnostics.nvml")
    if nvml is not None:
        setattr(nvml, "NVML_STATE", nvml.NVMLState.UNINITIALIZED)
        setattr(nvml, "NVML_OWNER_PID", None)


def install_from_environment() -> None:
    spec = os.environ.get(ENV_VAR)
    if spec:
        install(json.loads(spec))
