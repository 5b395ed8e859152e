"""Backends: the only package in gpuscale that names NumPy, pandas, CuPy or cuDF.

Libraries are imported lazily, on first use.  See :func:`available` for what
works on this machine.
"""

from gpuscale.backends._detect import is_cupy_array, is_gpu_object, is_numpy_array
from gpuscale.backends.convert import copy_counts, reset_copy_counts, to_device, to_host
from gpuscale.backends.registry import (
    Availability,
    BackendUnavailableError,
    array_module,
    available,
    family_of,
    frame_module,
    resolve_array_backend,
    resolve_frame_backend,
)

__all__ = [
    "Availability", "BackendUnavailableError", "available", "array_module", "frame_module",
    "family_of", "resolve_array_backend", "resolve_frame_backend", "to_host", "to_device",
    "copy_counts", "reset_copy_counts", "is_cupy_array", "is_numpy_array", "is_gpu_object",
]
