"""Arrays from data: ``asarray``, ``from_array`` (in-memory, lazy and dask sources), ``from_dlpack``, and
``to_backend``, which moves an array's blocks to another chunk library."""

from __future__ import annotations

import uuid
import warnings
from typing import Any

from gpuscale.array.core import Array, is_array, zero_d_array
from gpuscale.array.creation_common import _dtype, normalize, resolve_backend
from gpuscale.array.expr import SMALL_BYTES, FromArray, Opaque, blockwise_expr
from gpuscale.backends import array as chunkfn

__all__ = ["asarray", "from_array", "from_dlpack", "to_backend", "from_array_subclass"]


def from_array(x: Any, chunks: Any = "auto", name: Any = None, lock: Any = False, asarray: Any = None,
               fancy: bool = True, getitem: Any = None, meta: Any = None, inline_array: bool = False, *,
               backend: str | None = None, device: Any = None) -> Array:
    """Wrap an in-memory NumPy, CuPy or array-api-strict array, split into blocks.

    Parameters
    ----------
    x
        The data; in-memory arrays are copied here (later changes to ``x`` do
        not show through, as dask); NumPy scalars, strings and memoryviews
        become NumPy arrays.
    chunks
        ``"auto"``, an int, a tuple per dimension or a tuple of tuples.
    name
        A fingerprint of the data (equal names mean equal data, as dask's ``name=``); by default NumPy data is
        hashed and other sources get a unique name.
    lock, getitem
        For a lazy source (see below), as dask: ``lock`` (``True`` or a lock object) is held around each
        block's read, ``getitem(x, slices)`` reads a block instead of ``x[slices]``.  In-memory data is
        copied here and needs neither.
    asarray, fancy, meta, inline_array
        dask's options, accepted so that ported code runs: reads of a lazy source are one slice per block,
        and blocks are the backend's arrays.
    backend
        Chunk library of the result; by default the library of ``x``.
    device
        ``"cpu"``, ``"gpu"`` or ``"device1"``, as the creation routines take it: the result's backend, where
        ``backend=`` is not given.

    Any other object with ``shape``, ``dtype`` and slicing by a tuple of slices (a Zarr array, an h5py
    dataset, an xarray backend array) is read lazily, block by block, when computed
    (:func:`gpuscale.array.sources.from_source`); a gpuscale array, or an xarray ``DataArray`` holding
    one, is that array (rechunked to ``chunks`` when given); a gpuscale or dask DataFrame or Series gives its
    values, as :func:`asarray` (row counts are computed where ``chunks`` is given).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.from_array(np.arange(12).reshape(3, 4), chunks=(2, 2))
    >>> x.chunks, int(x.sum().compute())
    (((2, 1), (2, 2)), 66)
    """
    if backend is None and device is not None:
        backend = resolve_backend(None, device)
    if _is_xarray_of(x, is_array) or _is_xarray_of(x, is_dask_array):  # its array, not a source read (and
        x = x.data  # computed) block by block
    if _is_frame_collection(x):  # its values, as asarray takes them (slicing a Series reads labels)
        x = x.to_dask_array(lengths=True if chunks != "auto" else None)  # rechunk= needs the row counts
    if is_dask_array(x):  # its blocks' tasks, run on gpuscale's runtime (not sliced and computed per block)
        from gpuscale.array.interop import from_dask_blocks

        x = from_dask_blocks(x, backend)
    elif hasattr(x, "__dask_graph__") and not is_array(x):
        warnings.warn(f"from_array: the {type(x).__name__} given is a dask collection; it is read as an array "
                      "(its graph is not run), which can lead to unexpected behaviour (as dask warns)",
                      UserWarning, stacklevel=2)
    if is_array(x):
        return x if chunks == "auto" else x.rechunk(chunks)
    from gpuscale.array.sources import from_source, is_lazy_source

    if type(x) in (list, tuple, bool, int, float, complex):  # as dask converts (asarray makes them NumPy)
        return _asarray(x, chunks=chunks, backend=backend)
    if name is False:  # dask's "a new name every call"
        name = f"unique-{uuid.uuid4().hex}"
    if is_lazy_source(x):
        return from_source(x, chunks, backend=backend, name=name, getitem=getitem, lock=lock)
    return _from_memory(chunkfn.owned_copy(x), chunks, name, backend)


def is_dask_array(x: Any) -> bool:
    """A dask.array Array."""
    return type(x).__module__.partition(".")[0] == "dask" and hasattr(x, "__dask_graph__") and \
        isinstance(getattr(x, "chunks", None), tuple) and hasattr(x, "dtype")


def _is_frame_collection(x: Any) -> bool:
    """A gpuscale or dask DataFrame / Series (or Index): lazy, with ``to_dask_array``, not an array."""
    return hasattr(x, "__dask_graph__") and hasattr(x, "to_dask_array") and not is_array(x) and \
        not is_dask_array(x)


def _is_xarray_of(x: Any, kind: Any) -> bool:
    """An xarray ``DataArray`` or ``Variable`` holding an array for which ``kind`` is true (as
    dask.array.from_array takes a DataArray's dask array)."""
    return type(x).__module__.partition(".")[0] == "xarray" and kind(getattr(x, "data", None))


def from_array_subclass(x: Any, backend: str | None = None) -> Array:
    """``asanyarray`` of an in-memory subclass of NumPy's array (``numpy.matrix``): one block, kept of that
    class, as NumPy's and dask's ``asanyarray`` keep it (``from_array`` and ``asarray`` make plain arrays)."""
    return _from_memory(chunkfn.owned_copy(x, subok=True), -1, None, backend)


def _from_memory(x: Any, chunks: Any, name: Any, backend: str | None) -> Array:
    """An array of in-memory data the caller no longer writes to (a copy, or asarray's own conversion)."""
    backend = resolve_backend(backend) if backend else _input_backend(x)
    x = _native_byte_order(x)
    shape = tuple(int(n) for n in x.shape)
    token = None if chunkfn.library_of(x) == "numpy" else f"device-{id(x)}-{object.__hash__(x)}"
    token = str(name) if name is not None else token
    normalized = normalize(chunks, shape, x.dtype, backend)
    return zero_d_array(Array(FromArray(Opaque(x, token), normalized, backend, name)))  # np.asarray(5): 0-d array


def _native_byte_order(x: Any) -> Any:
    # gpuscale's dtypes have no byte order (the standard's; CuPy holds native data only) and say the native
    # one: big-endian data is converted once here, or blocks would compute ">i4" and joined results "int32"
    dtype = getattr(x, "dtype", None)
    if getattr(dtype, "isnative", True) or not hasattr(x, "astype"):
        return x
    return x.astype(dtype.newbyteorder("="))


def asarray(obj: Any, /, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            chunks: Any = "auto", backend: str | None = None, like: Any = None, order: Any = None,
            inline_array: bool = False) -> Array:
    """Convert data (nested lists, scalars, NumPy/CuPy arrays, other arrays) to a gpuscale array.

    A gpuscale array is returned as it is unless ``dtype=``, ``chunks=``, ``backend=`` or ``copy=True`` ask
    for a change (as NumPy's and dask's ``asarray``). Objects read by slicing (a Zarr array, an h5py
    dataset) stay lazy, as :func:`from_array` reads them. ``like=`` (dask's, as NumPy's): a gpuscale array
    whose backend the result takes, unless ``backend=`` or ``device=`` says otherwise; nothing else of it is
    kept. ``order=`` and ``inline_array=`` are dask's, accepted for ported code.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1, 2], [3, 4]], device="cpu")
    >>> x.shape, (x * 10).compute().tolist()
    ((2, 2), [[10, 20], [30, 40]])
    """
    backend = backend or (getattr(like, "backend", None) if device is None else None)
    if hasattr(obj, "to_dask_array") and not is_array(obj):  # a gpuscale Series / DataFrame: its values, lazily
        obj = obj.to_dask_array()
    if is_array(obj):
        out = obj
        if dtype is not None and _dtype(dtype) != obj.dtype:
            if copy is False:
                raise ValueError("asarray(copy=False) cannot change the dtype without a copy")
            out = out.astype(dtype)
        if backend is not None or device is not None:
            out = out.to_backend(resolve_backend(backend, device))
        out = out if chunks == "auto" else out.rechunk(chunks)
        # copy=True: a new collection, so that x[...] = v on one does not change the other
        return Array(out._expr) if copy else out
    if isinstance(obj, (list, tuple)) and _holds_arrays(obj):
        out = _stack_nested(obj, dtype, backend or device and resolve_backend(backend, device))
        return _one_block_if_small(out) if chunks == "auto" else out.rechunk(chunks)
    from gpuscale.array.sources import is_lazy_source

    if is_lazy_source(obj) and dtype is None:
        return from_array(obj, chunks, backend=resolve_backend(backend, device) if backend or device else None)
    backend = resolve_backend(backend, device) if (backend or device) else _input_backend(obj)
    if copy is False and chunkfn.library_of(obj) != backend:
        raise ValueError("asarray(copy=False) cannot move data to another device")
    data = chunkfn.asarray_eager(obj, backend, dtype=_dtype(dtype) if dtype is not None else None, copy=copy)
    if data is obj or getattr(data, "base", None) is obj:  # still the caller's buffer: from_array copies it
        return from_array(data, chunks, backend=backend)
    return _from_memory(data, chunks, None, backend)


_asarray = asarray  # from_array's dask-compatible ``asarray=`` option shadows the function there


def _holds_arrays(obj: Any) -> bool:
    return any(is_array(o) or (isinstance(o, (list, tuple)) and _holds_arrays(o)) for o in obj)


def _stack_nested(obj: Any, dtype: Any, backend: Any) -> Array:
    # nested lists of gpuscale arrays stay lazy (and on their device)
    from gpuscale.array.manipulation import stack

    parts = [_stack_nested(o, None, backend) if isinstance(o, (list, tuple)) else
             asarray(o, backend=backend or None) for o in obj]
    out = stack(parts, axis=0)
    return out.astype(dtype) if dtype is not None else out


def _one_block_if_small(x: Array) -> Array:
    # stacking scalars makes a block per element; a small result is one block, as "auto" gives in-memory data
    # (a large one keeps the blocks of its parts: merging them would copy it)
    if x.npartitions == 1 or not x.nbytes <= SMALL_BYTES:
        return x
    return x.rechunk(tuple((n,) for n in x.shape))


def _input_backend(obj: Any) -> str:
    library = chunkfn.library_of(obj)
    return library if library != "numpy" else resolve_backend(None)


def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None) -> Array:
    """Import an array through DLPack (eagerly), then split it into blocks.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.from_dlpack(np.arange(4.0)).compute().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    if is_array(x):
        return asarray(x, device=device, copy=copy)
    return asarray(x, device=device, copy=copy)


def to_backend(x: Array, backend: str | None = None) -> Array:
    """Move every block of ``x`` to another chunk library.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> from gpuscale.array.creation import to_backend
    >>> y = to_backend(ga.arange(4, device="cpu"), "array_api_strict")  # or "cupy" for a GPU
    >>> y.backend
    'array_api_strict'
    """
    backend = resolve_backend(backend)
    if backend == x.backend:
        return x
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.to_backend, ind, x.chunks, x.dtype, backend, x._expr, backend, arg_inds=(ind, None))
    return Array(node)
