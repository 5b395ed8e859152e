"""Cheap questions about chunk types and GPUs, answered without importing libraries.

Type checks look in ``sys.modules``: if a library was never imported, no object
can come from it.  GPU presence is asked of NVML, which does not create a CUDA
context (a context in the user's process breaks later per-GPU worker pinning), and
filtered by ``CUDA_VISIBLE_DEVICES`` as CUDA would filter it.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from typing import Any

from gpuscale.backends import _visible

__all__ = [
    "is_numpy_array", "is_numpy_dtype", "is_cupy_array", "is_strict_array", "is_pandas_object",
    "is_cudf_object", "is_frame_object", "is_gpu_object", "installed", "gpu_probe", "nvml_devices",
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


def is_frame_object(obj: Any) -> bool:
    """True for pandas and cuDF DataFrame, Series and Index (no frame library imported to tell)."""
    return is_pandas_object(obj) or is_cudf_object(obj)


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


def gpu_probe() -> tuple[int, str]:
    """Return ``(number of usable GPUs, reason)``: NVML's devices that ``CUDA_VISIBLE_DEVICES`` leaves visible.

    NVML lists every GPU of the machine; CUDA sees only those ``CUDA_VISIBLE_DEVICES``
    names, so ``""``, ``"-1"`` or a list naming no existing device count as no GPU
    (see :mod:`gpuscale.backends._visible`).  The answer is cached per value of the
    variable; call ``gpu_probe.cache_clear()`` to ask NVML again.

    Returns
    -------
    tuple of (int, str)
        The number of visible devices (a MIG instance counts as one) and why, e.g.
        ``(0, "CUDA_VISIBLE_DEVICES='' hides all 2 GPUs")``.
    """
    return _probe(os.environ.get("CUDA_VISIBLE_DEVICES"))


@functools.lru_cache(maxsize=8)
def _probe(visible_devices: str | None) -> tuple[int, str]:
    try:
        import pynvml
    except ImportError:
        return 0, "nvidia-ml-py is not installed"
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded, ...
        return 0, f"no NVIDIA driver ({type(exc).__name__})"
    try:
        if visible_devices is None:
            count = pynvml.nvmlDeviceGetCount()
            devices = [_visible.NVMLDevice(index, "") for index in range(count)]
        else:
            devices = nvml_devices(pynvml)
    except Exception as exc:  # NVMLError while listing
        return 0, f"NVML failed while listing GPUs ({type(exc).__name__}: {exc})"
    finally:
        pynvml.nvmlShutdown()
    visibility = _visible.apply_visible_devices(visible_devices, devices)
    return visibility.count, visibility.reason


gpu_probe.cache_clear = _probe.cache_clear  # type: ignore[attr-defined]


def nvml_devices(nvml: Any) -> list[_visible.NVMLDevice]:
    """Every GPU NVML lists, with its UUID and MIG instance UUIDs (NVML must be initialised).

    Parameters
    ----------
    nvml : module
        ``pynvml``, after ``nvmlInit()``.

    Returns
    -------
    list of NVMLDevice
    """
    devices = []
    for index in range(nvml.nvmlDeviceGetCount()):
        handle = nvml.nvmlDeviceGetHandleByIndex(index)
        devices.append(_visible.NVMLDevice(index, _text(nvml.nvmlDeviceGetUUID(handle)),
                                           _mig_uuids(nvml, handle)))
    return devices


def _mig_uuids(nvml: Any, handle: Any) -> tuple[str, ...]:
    try:
        if nvml.nvmlDeviceGetMigMode(handle)[0] != nvml.NVML_DEVICE_MIG_ENABLE:
            return ()
        slots = nvml.nvmlDeviceGetMaxMigDeviceCount(handle)
    except Exception:  # MIG not supported by this GPU or driver
        return ()
    uuids = []
    for slot in range(slots):
        try:
            uuids.append(_text(nvml.nvmlDeviceGetUUID(nvml.nvmlDeviceGetMigDeviceHandleByIndex(handle, slot))))
        except Exception:  # empty slot
            continue
    return tuple(uuids)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
