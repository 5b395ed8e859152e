"""Lazy access to numba and numba-cuda, and small helpers about chunk types.

Nothing here runs at ``import gpuscale``: numba (and numba-cuda) are imported
the first time a kernel is compiled.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from gpuscale.backends import _detect
from gpuscale.kernels.errors import CudaUnavailableError

__all__ = ["numba", "cuda", "simulator_enabled", "is_device_chunk", "chunk_module", "numpy"]


def numba() -> ModuleType:
    """The numba module (imported on first use)."""
    import numba as nb

    return nb


def numpy() -> ModuleType:
    """NumPy, through the backends registry (the only package that names it)."""
    from gpuscale.backends import array_module

    return array_module("numpy")


def cuda(kernel_name: str) -> ModuleType:
    """``numba.cuda`` from numba-cuda, or a :class:`CudaUnavailableError` naming the package."""
    if not _detect.installed("numba_cuda"):
        raise CudaUnavailableError(kernel_name)
    try:
        from numba import cuda as nbcuda
    except ImportError as exc:
        raise CudaUnavailableError(kernel_name, exc) from exc
    return nbcuda


def simulator_enabled() -> bool:
    """True when numba's CUDA simulator is on (``NUMBA_ENABLE_CUDASIM=1``)."""
    return bool(numba().config.ENABLE_CUDASIM)


def is_device_chunk(obj: Any) -> bool:
    """True for chunks whose data live on a GPU (CuPy, cuDF, numba device arrays)."""
    return _detect.is_gpu_object(obj) or hasattr(obj, "__cuda_array_interface__")


def chunk_module(obj: Any) -> ModuleType:
    """The (already imported) library module an array chunk comes from: numpy or cupy."""
    return sys.modules[type(obj).__module__.partition(".")[0]]
