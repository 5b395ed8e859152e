"""What every creation routine shares: the chunk library from ``backend=`` / ``device=``, ``chunks=`` and
``shape=`` as tuples, the default dtype, and :class:`Create`, the expression of a creation routine's blocks.

``chunks="auto"`` targets ``array.chunk_bytes.cpu`` (128 MiB) for NumPy chunks
and ``array.chunk_bytes.gpu`` (1 GiB) for CuPy chunks: a GPU needs much
larger blocks to amortise kernel launches and reach its memory bandwidth.
"""

from __future__ import annotations

import operator
from typing import Any

from gpuscale import config
from gpuscale.array import _chunks
from gpuscale.array.core import Array, zero_d_array
from gpuscale.array.expr import Blockwise, blockwise_expr
from gpuscale.expr.core import cached_bottom_up
from gpuscale.backends import array as chunkfn

__all__ = ["resolve_backend", "backend_of_device", "chunk_bytes", "normalize"]


_DEVICE_BACKENDS = {"cpu": "numpy", "gpu": "cupy", "cuda": "cupy", "device1": "array_api_strict"}
DEVICES = "'cpu', 'gpu' (or 'cuda'), 'device1' (array-api-strict's test device), a device object or a backend name"


def backend_of_device(device: Any) -> str:
    """Backend name for a ``device=`` value (``"cpu"``, ``"gpu"``, ``"device1"`` or a backend name), checked
    as ``backend=`` is: a device whose library cannot run here is a ``BackendUnavailableError`` at once."""
    from gpuscale.backends import resolve_array_backend
    from gpuscale.backends.registry import VALID_NAMES

    text = str(device).strip().lower() if device is not None else ""
    library = _DEVICE_BACKENDS.get(text)
    if library is None and "device1" in text:  # array-api-strict's Device('device1')
        library = "array_api_strict"
    elif library is None and "cuda" in text:  # a CuPy device: <CUDA Device 0>
        library = "cupy"
    elif library is None and text.replace("-", "_") in VALID_NAMES:
        library = text
    if library is None:
        raise ValueError(f"unknown device {device!r}; devices: {DEVICES}")
    return resolve_array_backend(library)  # e.g. "gpu" without a usable GPU: names CuPy and why


def resolve_backend(backend: Any = None, device: Any = None) -> str:
    """The chunk library for ``backend=`` / ``device=`` (default: the configured backend)."""
    if backend is None and device is not None:
        return backend_of_device(device)
    from gpuscale.backends import resolve_array_backend

    return resolve_array_backend(backend)


def chunk_bytes(backend: str) -> int:
    """Target block size in bytes for ``chunks="auto"`` on ``backend``: ``array.chunk_size`` (dask's
    ``array.chunk-size``) when set, else a ``dask.config.set({"array.chunk-size": ...})`` of ported code, else
    ``array.chunk_bytes.cpu`` / ``.gpu`` (on a GPU, unless set, a sixteenth of the device's memory within
    [64 MiB, 1 GiB])."""
    if config.get("array.chunk_size") is not None:
        return config.get("array.chunk_size")
    ported = _dask_chunk_size()
    if ported is not None:
        return ported
    if backend == "cupy":
        from gpuscale.backends.device_memory import gpu_target_bytes

        return gpu_target_bytes("array.chunk_bytes.gpu")
    return config.get("array.chunk_bytes.cpu")


def _dask_chunk_size() -> int | None:
    """dask's ``array.chunk-size`` where the user changed it (``dask.config.set`` in ported code), else None.

    Read only if dask is already imported (gpuscale's import stays light), and only a value other than
    dask's shipped default, which would otherwise override the GPU's own target.
    """
    import sys

    dask_config = sys.modules.get("dask.config")
    if dask_config is None:
        return None
    value = dask_config.get("array.chunk-size", None)
    shipped = [d.get("array", {}).get("chunk-size") for d in getattr(dask_config, "defaults", [])]
    if value is None or value in shipped:
        return None
    return config.parse_bytes(value)


def normalize(chunks: Any, shape: tuple, dtype: Any, backend: str, previous: tuple | None = None) -> tuple:
    """``chunks=`` as a tuple of tuples for an array of ``shape`` and ``dtype`` on ``backend`` (automatic axes
    made of whole ``previous`` blocks when the data has blocks already)."""
    return _chunks.normalize_chunks(_plain(chunks), shape, chunkfn.numpy_dtype(dtype).itemsize,
                                    chunk_bytes(backend), previous)


def _plain(value: Any) -> Any:
    """A NumPy array given as ``shape=`` or ``chunks=`` as the list it stands for (compared with ``"auto"``
    it would answer element-wise)."""
    return value.tolist() if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0 else value


def _shape(shape: Any) -> tuple:
    """``shape=`` (an int, a sequence or a NumPy array of ints) as a tuple of Python ints."""
    shape = _plain(shape)
    shape = (shape,) if not isinstance(shape, (tuple, list)) else shape
    try:
        shape = tuple(operator.index(n) for n in shape)
    except TypeError:
        raise TypeError(f"shape must be an int or a sequence of ints, got {shape!r}") from None
    if any(n < 0 for n in shape):
        raise ValueError(f"negative dimensions are not allowed: {shape}")
    return shape


class Create(Blockwise):
    """A creation routine's blocks (``zeros``, ``full``, ``arange`` ...), named after the routine, or exactly
    ``label`` when the user gave dask's ``name=`` (the name of its keys)."""

    _parameters = [*Blockwise._parameters, "label"]

    @property
    def _funcname(self) -> str:
        return self.routine

    @cached_bottom_up
    def _name(self) -> str:
        return str(self.label) if self.label else Blockwise._name.func(self)

    @property
    def routine(self) -> str:
        func = self.func
        if func is chunkfn.create or func is chunkfn.create_like:
            return self.args[1 if func is chunkfn.create else 2]
        return func.__name__.removesuffix("_block")


def _create(func: Any, out_ind: tuple, chunks: tuple, dtype: Any, backend: str, *args: Any, name: Any = None,
            arg_inds: tuple | None = None) -> Array:
    """An array of :class:`Create` blocks: ``func(*args)`` per block (``arg_inds`` as ``blockwise_expr``)."""
    return zero_d_array(Array(blockwise_expr(func, out_ind, chunks, chunkfn.numpy_dtype(dtype), backend, *args,
                                             arg_inds=arg_inds, node=Create, extra=(name or None,))))  # zeros(())


def _default_float() -> Any:
    return chunkfn.numpy_dtype("float64")


def _dtype(dtype: Any, default: Any = None) -> Any:
    return chunkfn.numpy_dtype(dtype) if dtype is not None else (default or _default_float())
