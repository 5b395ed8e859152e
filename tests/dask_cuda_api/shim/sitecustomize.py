"""Started in every process of the dask-cuda suite (this folder is first on ``PYTHONPATH``).

On the CPU-only machine the fake GPUs are NVML's only: RAPIDS libraries that need the CUDA driver (RMM, cuDF, CuPy,
UCX) are hidden, so dask-cuda's tests of them skip as they do where those libraries are not installed, and
cuda_workers refuses options that need them.  The fake NVML of tests/cuda_workers is installed as its own
``sitecustomize`` installs it (that module is shadowed by this one).
"""

import importlib.abc
import os
import sys

_HIDDEN = tuple(filter(None, os.environ.get("GPUSCALE_SUITE_HIDE_MODULES", "").split(",")))


class _Hidden(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _HIDDEN or name in _HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden: it needs a real GPU)", name=name)
        return None


if _HIDDEN:
    sys.meta_path.insert(0, _Hidden())

if os.environ.get("CUDA_WORKERS_FAKE_NVML"):
    import fake_pynvml

    fake_pynvml.install_from_environment()
