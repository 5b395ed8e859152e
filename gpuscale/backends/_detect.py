"""Cheap questions about chunk types and GPUs, answered without importing libraries.

Type checks look in ``sys.modules``: if a library was never imported, no object
can come from it.  GPU presence is asked of NVML, which does not create a CUDA
context (a context in the user's process breaks later per-GPU worker pinning).
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from typing import Any

__all__ = [
    "is_numpy_array", "is_numpy_dtype", "is_cupy_array", "is_strict_array", "is_pandas_object",
    "is_cudf_object", "is_gpu_object", "installed", "gpu_probe",
]


def _module_of(obj: Any) -> str:
    return type(obj).__module__.partition(".")[0]


def is_numpy_array(obj: Any) -> bool:
    """True for ``numpy.ndarray`` and NumPy scalars."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(obj, (np.ndarray, np.generic))


def is_numpy_dtype(obj: Any) -> bool:
    """True for a ``numpy.dtype`` instance."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(obj, np.dtype)


def is_cupy_array(obj: Any) -> bool:
    """True for ``cupy.ndarray``."""
    cp = sys.modules.get("cupy")
    return cp is not None and isinstance(obj, cp.ndarray)


def is_strict_array(obj: Any) -> bool:
    """True for ``array_api_strict`` arrays (our stand-in for device arrays in tests)."""
    return _module_of(obj) == "array_api_strict"


def is_pandas_object(obj: Any) -> bool:
    """True for pandas DataFrame, Series and Index."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, (pd.DataFrame, pd.Series, pd.Index))


def is_cudf_object(obj: Any) -> bool:
    """True for cuDF DataFrame, Series and Index."""
    return _module_of(obj) == "cudf"


def is_gpu_object(obj: Any) -> bool:
    """True for objects whose data live on a GPU (CuPy arrays, cuDF objects)."""
    return is_cupy_array(obj) or is_cudf_object(obj)


def installed(module: str) -> bool:
    """True if ``module`` can be imported, without importing it."""
    if module in sys.modules:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


@functools.lru_cache(maxsize=1)
def gpu_probe() -> tuple[int, str]:
    """Return ``(number of GPUs, reason)`` from NVML, caching the answer.

    Call ``gpu_probe.cache_clear()`` to ask again.
    """
    try:
        import pynvml
    except ImportError:
        return 0, "nvidia-ml-py is not installed"
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded, ...
        return 0, f"no NVIDIA driver ({type(exc).__name__})"
    try:
        count = pynvml.nvmlDeviceGetCount()
    finally:
        pynvml.nvmlShutdown()
    return count, f"{count} GPU(s) found by NVML" if count else "NVML reports no GPU"
