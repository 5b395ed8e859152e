"""Chunk functions for lazy sources, scans and stores: reading a block out of any sliceable object
(a Zarr array, an xarray lazily indexed backend array, an h5py dataset), the steps of a generic scan
(``cumreduction``) and writing a block into any ``__setitem__`` target.

These are the only places that name NumPy for those operations; the graph layer lives in
``gpuscale/array/sources.py``, ``gpuscale/array/scan.py`` and ``gpuscale/array/api.py``.
"""

from __future__ import annotations

import inspect
from typing import Any

from gpuscale.backends.array._core import DEVICES, module_for, namespace, numpy_dtype, xp_dtype
from gpuscale.backends.array._creation import to_backend
from gpuscale.backends.array._sparse import is_sparse

__all__ = ["is_chunk", "is_chunk_type", "read_block", "source_token", "scan_first", "scan_carry", "scan_apply", "scan_ident",
           "store_into"]


def is_chunk(obj: Any) -> bool:
    """True for an in-memory array of a chunk library (NumPy, CuPy, array-api-strict), false for a lazy
    array-like (a Zarr array, an xarray backend array, an h5py dataset) that is read by slicing."""
    root = type(obj).__module__.partition(".")[0]
    return root in DEVICES


def is_chunk_type(cls: type) -> bool:
    """True for the array class of a chunk library or a subclass (``numpy.ndarray``, ``numpy.ma.MaskedArray``,
    ``cupy.ndarray``, array-api-strict's ``Array``); false for their scalar types (``numpy.float64``)."""
    import sys

    root = getattr(cls, "__module__", "").partition(".")[0]
    library = sys.modules.get(root) if root in DEVICES else None
    array_type = getattr(library, "ndarray", None) or getattr(library, "Array", None)
    return isinstance(array_type, type) and isinstance(cls, type) and issubclass(cls, array_type)


def read_block(source: Any, index: tuple, backend: str, getitem: Any = None, lock: Any = None) -> Any:
    """``source[index]`` as a chunk of ``backend``: lazy results (xarray's lazily indexed arrays) are
    materialised with ``numpy.asarray``, which reads only this block.  ``getitem(data, index)`` reads instead
    when given (dask's ``from_array(getitem=)``), and ``lock`` (``acquire``/``release``) is held around the
    read (sources that are not thread-safe, as netCDF4)."""
    if lock:
        lock.acquire()
        try:
            return read_block(source, index, backend, getitem)
        finally:
            lock.release()
    if getitem is not None:
        block = getitem(getattr(source, "value", source), index if index else ...)
    else:
        block = source[index] if index else source[...]
    if is_sparse(block):  # a SciPy / CuPy sparse matrix stays a sparse block, as in dask.array
        return block
    if not is_chunk(block):
        block = module_for("numpy").asarray(block)
    elif type(block).__module__.partition(".")[0] == "numpy" and getattr(block, "base", None) is not None \
            and backend == "numpy":
        block = module_for("numpy").array(block, copy=True)  # a view of the caller's data: chunks must not change
    return to_backend(block, backend)


def source_token(source: Any) -> str | None:
    """A deterministic fingerprint for a source whose content it names (a NumPy array), else None."""
    if type(source).__module__.partition(".")[0] == "numpy":
        from gpuscale.backends.tokenize import normalize_data

        return repr(normalize_data(source))
    return None


# -- scans: the steps of cumreduction (dask.array.reductions.cumreduction, "sequential") -------------------
def _accepts_dtype(func: Any) -> bool:
    try:
        return "dtype" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        np = module_for("numpy")
        return isinstance(getattr(func, "__self__", None), np.ufunc) and func.__name__ == "accumulate"


def scan_first(func: Any, block: Any, axis: int, dtype: Any) -> Any:
    """The scan of one block on its own: ``func(block, axis=axis)`` (with ``dtype=`` if ``func`` takes it)."""
    if _accepts_dtype(func):
        return func(block, axis=axis, dtype=xp_dtype(namespace(block), dtype))
    return func(block, axis=axis)


def scan_ident(block: Any, ident: Any, axis: int, dtype: Any) -> Any:
    """The identity carried into the first block: ``ident`` shaped like one slice of ``block`` along ``axis``."""
    xp = namespace(block)
    shape = tuple(1 if d == axis else n for d, n in enumerate(block.shape))
    kwargs = {"device": block.device} if type(block).__module__.startswith("array_api_strict") else {}
    return xp.full(shape, ident, dtype=xp_dtype(xp, dtype), **kwargs)


def scan_carry(binop: Any, carry: Any, previous: Any, axis: int) -> Any:
    """The running value entering a block: ``binop(carry of the previous block, its last scanned slice)``; an
    empty previous block (after boolean indexing) hands the carry on."""
    if previous.shape[axis] == 0:
        return carry
    index = tuple(slice(-1, None) if d == axis else slice(None) for d in range(previous.ndim))
    return binop(carry, previous[index])


def scan_apply(binop: Any, carry: Any, block: Any) -> Any:
    """A block's scan continued from the running value: ``binop(carry, scanned block)``."""
    return binop(carry, block)


# -- stores ---------------------------------------------------------------------------------------------------
def store_into(block: Any, target: Any, chunks: tuple, index: tuple, placement: tuple, lock: Any,
               return_stored: bool, host: bool = False) -> Any:
    """Write block ``index`` (of an array with ``chunks``) into ``target`` at its place in the region
    ``placement`` (per target axis ``("s", start, step)``, ``("i", k)`` or ``("l", positions)``).

    Holds ``lock`` (anything with ``acquire``/``release``) around the write when given; ``host`` copies a
    device block to NumPy first (for host-only targets such as Zarr arrays).  Returns the block itself when
    ``return_stored``, else an empty marker of the block's dimensions (as dask).
    """
    key, axes = [], iter(zip(chunks, index))
    for entry in placement:
        if entry[0] == "i":
            key.append(entry[1])
            continue
        dim, i = next(axes)
        lo, n = sum(dim[:i]), dim[i]
        if entry[0] == "l":
            key.append(list(entry[1][lo:lo + n]))
        else:
            _, start, step = entry
            stop = start + step * (lo + n)
            key.append(slice(start + step * lo, stop if stop >= 0 else None, step))
    data = to_backend(block, "numpy") if host else block
    if lock:
        lock.acquire()
        try:
            target[tuple(key)] = data
        finally:
            lock.release()
    else:
        target[tuple(key)] = data
    if return_stored:
        return block
    return module_for("numpy").empty((0,) * len(index), dtype=numpy_dtype(getattr(block, "dtype", "float64")))


