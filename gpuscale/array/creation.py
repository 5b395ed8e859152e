"""Creation functions: ``asarray``, ``zeros``, ``arange``, ``eye``, ``*_like`` ... with ``chunks=`` and ``backend=``.

``chunks="auto"`` targets ``array.chunk_bytes.cpu`` (128 MiB) for NumPy chunks
and ``array.chunk_bytes.gpu`` (1 GiB) for CuPy chunks: a GPU needs much
larger blocks to amortise kernel launches and reach its memory bandwidth.
"""

from __future__ import annotations

import math
import operator
import uuid
import warnings
from typing import Any

from gpuscale import config
from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import SMALL_BYTES, Blockwise, BlockShape, BlockSlices, FromArray, Opaque, blockwise_expr
from gpuscale.expr.core import cached_bottom_up
from gpuscale.backends import array as chunkfn

__all__ = ["asarray", "from_array", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
           "full_like", "arange", "linspace", "eye", "meshgrid", "tril", "triu", "from_dlpack", "to_backend",
           "resolve_backend", "chunk_bytes"]

_DEVICE_BACKENDS = {"cpu": "numpy", "gpu": "cupy", "cuda": "cupy", "device1": "array_api_strict"}


def backend_of_device(device: Any) -> str:
    """Backend name for a ``device=`` value (``"cpu"``, ``"gpu"``, ``"device1"`` or a backend name)."""
    text = str(device).lower()
    if text in _DEVICE_BACKENDS:
        return _DEVICE_BACKENDS[text]
    if "device1" in text:
        return "array_api_strict"
    from gpuscale.backends import resolve_array_backend

    return resolve_array_backend(text)


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
    return Array(blockwise_expr(func, out_ind, chunks, chunkfn.numpy_dtype(dtype), backend, *args, arg_inds=arg_inds,
                                node=Create, extra=(name or None,)))


def _default_float() -> Any:
    return chunkfn.numpy_dtype("float64")


def _dtype(dtype: Any, default: Any = None) -> Any:
    return chunkfn.numpy_dtype(dtype) if dtype is not None else (default or _default_float())


def from_array(x: Any, chunks: Any = "auto", name: Any = None, lock: Any = False, asarray: Any = None,
               fancy: bool = True, getitem: Any = None, meta: Any = None, inline_array: bool = False, *,
               backend: str | None = None) -> Array:
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

    Any other object with ``shape``, ``dtype`` and slicing by a tuple of slices (a Zarr array, an h5py
    dataset, an xarray backend array) is read lazily, block by block, when computed
    (:func:`gpuscale.array.sources.from_source`); a gpuscale array, or an xarray ``DataArray`` holding
    one, is that array (rechunked to ``chunks`` when given).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.from_array(np.arange(12).reshape(3, 4), chunks=(2, 2))
    >>> x.chunks, int(x.sum().compute())
    (((2, 1), (2, 2)), 66)
    """
    if _is_xarray_of(x, is_array) or _is_xarray_of(x, _is_dask_array):  # its array, not a source read (and
        x = x.data  # computed) block by block
    if _is_dask_array(x):  # its blocks' tasks, run on gpuscale's runtime (not sliced and computed per block)
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


def _is_dask_array(x: Any) -> bool:
    """A dask.array Array."""
    return type(x).__module__.partition(".")[0] == "dask" and hasattr(x, "__dask_graph__") and \
        isinstance(getattr(x, "chunks", None), tuple) and hasattr(x, "dtype")


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
    shape = tuple(int(n) for n in x.shape)
    token = None if chunkfn.library_of(x) == "numpy" else f"device-{id(x)}-{object.__hash__(x)}"
    token = str(name) if name is not None else token
    normalized = normalize(chunks, shape, x.dtype, backend)
    return Array(FromArray(Opaque(x, token), normalized, backend, name))


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
    if hasattr(obj, "to_dask_array"):  # a gpuscale Series / DataFrame: its values, lazily (as dask)
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


def _filled(name: str, shape: Any, dtype: Any, chunks: Any, backend: str, *fill: Any, label: Any = None) -> Array:
    shape = _shape(shape)
    normalized = normalize(chunks, shape, dtype, backend)
    return _create(chunkfn.create, tuple(range(len(shape))), normalized, dtype, backend,
                   backend, name, BlockShape(), dtype, *fill, name=label)


def zeros(shape: Any, dtype: Any = None, order: str = "C", *, device: Any = None, chunks: Any = "auto",
          backend: str | None = None, name: Any = None) -> Array:
    """An array of zeros.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.zeros((4, 6), chunks=(2, 3), device="cpu")
    >>> x.numblocks, str(x.dtype), float(x.sum().compute())
    ((2, 2), 'float64', 0.0)
    """
    _check_order(order)
    return _filled("zeros", shape, _dtype(dtype), chunks, resolve_backend(backend, device), label=name)


def ones(shape: Any, dtype: Any = None, order: str = "C", *, device: Any = None, chunks: Any = "auto",
         backend: str | None = None, name: Any = None) -> Array:
    """An array of ones.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ones(5, dtype="int32", chunks=2, device="cpu").compute().tolist()
    [1, 1, 1, 1, 1]
    """
    _check_order(order)
    return _filled("ones", shape, _dtype(dtype), chunks, resolve_backend(backend, device), label=name)


def empty(shape: Any, dtype: Any = None, order: str = "C", *, device: Any = None, chunks: Any = "auto",
          backend: str | None = None, name: Any = None) -> Array:
    """An uninitialised array (blocks allocated when computed).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.empty((1000, 1000), chunks=500, device="cpu")
    >>> x.shape, x.numblocks
    ((1000, 1000), (2, 2))
    """
    _check_order(order)
    return _filled("empty", shape, _dtype(dtype), chunks, resolve_backend(backend, device), label=name)


def _check_scalar_fill(value: Any, what: str) -> None:
    """dask's error for a fill value of several elements (NumPy would broadcast it; one value fills every
    block)."""
    if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0):
        raise ValueError(f"{what}: fill_value must be scalar, got {type(value).__name__} {value!r}")


def _fill_dtype(value: Any) -> Any:
    _check_scalar_fill(value, "full")
    kind = chunkfn.python_scalar_type(value)
    if kind is None and (is_array(value) or _is_0d(value)):
        return chunkfn.numpy_dtype(value.dtype)
    if isinstance(value, (str, bytes)):  # NumPy's dtype for it: as wide as the text (at least 1)
        return chunkfn.numpy_dtype(f"{'U' if isinstance(value, str) else 'S'}{max(len(value), 1)}")
    if kind is None:
        raise TypeError(f"full: fill_value must be a bool, int, float or complex number, a str or bytes (or a 0-d "
                        f"array), got {type(value).__name__} {value!r}")
    return chunkfn.numpy_dtype({bool: "bool", int: "int64", float: "float64", complex: "complex128"}[kind])


def full(shape: Any, fill_value: Any, dtype: Any = None, order: str = "C", *, device: Any = None,
         chunks: Any = "auto", backend: str | None = None, name: Any = None) -> Array:
    """An array filled with ``fill_value``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.full((2, 3), 7, device="cpu").compute().tolist()
    [[7, 7, 7], [7, 7, 7]]
    """
    _check_order(order)
    dtype = _dtype(dtype, _fill_dtype(fill_value))
    fill_value = _text_fill(fill_value, dtype)
    if is_array(fill_value):  # a lazy 0-d array stays lazy (dask computes it first): repeated block by block
        from gpuscale.array.manipulation import broadcast_to

        shape = _shape(shape)
        filled = broadcast_to(fill_value.astype(dtype), shape)
        return filled.rechunk(normalize(chunks, shape, dtype, filled.backend))
    return _filled("full", shape, dtype, chunks, resolve_backend(backend, device), _py(fill_value), label=name)


def _is_0d(value: Any) -> bool:
    return getattr(value, "ndim", None) == 0 and hasattr(value, "dtype") and not is_array(value)


def _text_fill(value: Any, dtype: Any) -> Any:
    """A text fill value of a non-text ``dtype`` as the number NumPy reads from it (``full(3, "1.5",
    dtype="float64")``); one NumPy cannot convert (``"abc"``) fails here, as ``numpy.full`` does, not when the
    blocks are made."""
    if not isinstance(value, (str, bytes)) or chunkfn.numpy_dtype(dtype).kind in "USOMm":  # NumPy parses dates itself
        return value
    try:
        return chunkfn.numpy_dtype(dtype).type(value).item()
    except (TypeError, ValueError) as error:
        raise ValueError(f"full: fill_value {value!r} cannot be converted to dtype {dtype}: {error}") from None


def _py(value: Any) -> Any:
    # a 0-d NumPy array is its scalar (a value of its own dtype, a datetime64 as well as a number)
    value = value[()] if _is_0d(value) else value
    kind = chunkfn.python_scalar_type(value)
    return kind(value) if kind is not None else value


def _check_order(order: str) -> None:
    """NumPy's and dask's ``order=``, accepted for ported code: blocks are always made in C order (a block's
    memory layout changes no value)."""
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"order must be one of 'C', 'F', 'A' or 'K', got {order!r}")


def _like(name: str, x: Any, dtype: Any, device: Any, chunks: Any, order: str, shape: Any, label: Any,
          *fill: Any) -> Array:
    """``name`` (zeros, ones, empty, full) shaped like ``x``, or like ``shape`` when given (dask's ``shape=``)."""
    _check_order(order)
    x = x if is_array(x) else from_array(x)  # NumPy input, as dask's *_like take it
    backend = backend_of_device(device) if device is not None else x.backend
    dtype = _dtype(dtype, x.dtype)
    chunks = None if chunks is None else _plain(chunks)
    if shape is not None and _shape(shape) != tuple(x.shape):  # dask's shape=: x's blocks no longer fit
        return _filled(name, shape, dtype, "auto" if chunks is None else chunks, backend, *fill, label=label)
    if chunks is None and any(map(_chunks.is_unknown, x.shape)):
        # blocks of unknown length (after a boolean mask): each block made as long as x's, when computed
        ind = tuple(range(x.ndim))
        return _create(chunkfn.create_like, ind, x.chunks, dtype, backend, x._expr, backend, name, dtype, *fill,
                       arg_inds=(ind, *(None,) * (3 + len(fill))), name=label)
    return _filled(name, x.shape, dtype, x.chunks if chunks is None else chunks, backend, *fill, label=label)


def zeros_like(x: Array, /, dtype: Any = None, order: str = "C", *, device: Any = None, chunks: Any = None,
               shape: Any = None, name: Any = None) -> Array:
    """Zeros with the shape (and by default dtype, blocks, device) of ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6, chunks=3, device="cpu")
    >>> y = ga.zeros_like(x)
    >>> y.chunks, y.dtype == x.dtype, y.compute().tolist()
    (((3, 3),), True, [0, 0, 0, 0, 0, 0])
    """
    return _like("zeros", x, dtype, device, chunks, order, shape, name)


def ones_like(x: Array, /, dtype: Any = None, order: str = "C", *, device: Any = None, chunks: Any = None,
              shape: Any = None, name: Any = None) -> Array:
    """Ones with the shape (and by default dtype, blocks, device) of ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ones_like(ga.arange(4, device="cpu"), dtype="float32").compute().tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    return _like("ones", x, dtype, device, chunks, order, shape, name)


def empty_like(x: Array, /, dtype: Any = None, order: str = "C", *, device: Any = None, chunks: Any = None,
               shape: Any = None, name: Any = None) -> Array:
    """Uninitialised array shaped like ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.empty_like(ga.zeros((4, 4), chunks=2, device="cpu")).numblocks
    (2, 2)
    """
    return _like("empty", x, dtype, device, chunks, order, shape, name)


def full_like(x: Array, /, fill_value: Any, dtype: Any = None, order: str = "C", *, device: Any = None,
              chunks: Any = None, shape: Any = None, name: Any = None) -> Array:
    """``fill_value`` everywhere, shaped like ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.full_like(ga.arange(3, device="cpu"), 9).compute().tolist()
    [9, 9, 9]
    """
    _check_scalar_fill(fill_value, "full_like")
    return _like("full", x, dtype, device, chunks, order, shape, name, _py(fill_value))


def arange(start: Any = None, /, stop: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None,
           chunks: Any = "auto", backend: str | None = None, like: Any = None, name: Any = None) -> Array:
    """Evenly spaced values in ``[start, stop)``.

    The dtype is NumPy's for the same arguments (``arange(np.uint8(3), 13)`` is int64, any float makes
    float64, a ``float32`` start with a ``float32`` stop float32 ...).  ``like=`` (dask's, as NumPy's): a
    gpuscale array whose backend the result takes, unless ``backend=`` or ``device=`` says otherwise.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(0, 10, 2, chunks=2, device="cpu")
    >>> x.chunks, x.compute().tolist()
    (((2, 2, 1),), [0, 2, 4, 6, 8])
    """
    if start is None and stop is None:
        raise TypeError("arange() requires stop to be specified")
    if stop is None:
        start, stop = (0, start) if start is not None else (0, stop)
    start = 0 if start is None else start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    length = max(0, math.ceil((stop - start) / step))
    dtype = _dtype(dtype, chunkfn.arange_dtype(start, stop, step))
    backend = resolve_backend(backend or (getattr(like, "backend", None) if device is None else None), device)
    normalized = normalize(chunks, (length,), dtype, backend)
    return _create(chunkfn.arange_block, (0,), normalized, dtype, backend, backend, start, step, dtype,
                   BlockSlices(), name=name)


def linspace(start: Any, stop: Any, /, num: int = 50, *, dtype: Any = None, device: Any = None,
             endpoint: bool = True, retstep: bool = False, chunks: Any = "auto", backend: str | None = None,
             name: Any = None) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop`` (each block computes only its own).

    ``start`` and ``stop`` may be 0-d gpuscale arrays (``linspace(x.argmin(), x.argmax(), 8)`` stays lazy);
    ``retstep=True`` also returns the spacing, as NumPy's.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linspace(0, 1, 5, chunks=2, device="cpu").compute().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> x, step = ga.linspace(0, 1, 3, endpoint=False, retstep=True, device="cpu")
    >>> x.compute().tolist(), step
    ([0.0, 0.3333333333333333, 0.6666666666666666], 0.3333333333333333)
    """
    num = operator.index(num)  # TypeError for a non-integer, as NumPy
    if num < 0:
        raise ValueError(f"linspace: the number of samples num={num} must be non-negative")
    ends = (start, stop)
    is_complex = any(isinstance(v, complex) or (is_array(v) and v.dtype.kind == "c") for v in ends)
    dtype = _dtype(dtype, chunkfn.numpy_dtype("complex128" if is_complex else "float64"))
    backend = resolve_backend(backend, device)
    normalized = normalize(chunks, (num,), dtype, backend)
    inds = tuple(() if is_array(v) else None for v in ends)  # a lazy end point is a 0-d operand of every block
    ends = tuple(v.reshape(())._expr if is_array(v) else v for v in ends)
    out = _create(chunkfn.linspace_block, (0,), normalized, dtype, backend, backend, *ends, num, endpoint, dtype,
                  BlockSlices(), name=name, arg_inds=(None, *inds, None, None, None, None))
    if not retstep:
        return out
    div = num - 1 if endpoint else num
    return out, ((stop - start) / div if div > 0 else float("nan"))


def eye(n_rows: int, n_cols: Any = None, /, *, k: int = 0, dtype: Any = None, device: Any = None,
        chunks: Any = "auto", backend: str | None = None, M: int | None = None,  # noqa: N803 - dask's name
        name: Any = None) -> Array:
    """Ones on the ``k``-th diagonal, zeros elsewhere.

    Both signatures: the Array API's ``eye(n_rows, n_cols)`` and dask's ``eye(N, chunks, M=...)`` (a second
    positional argument that is not an int is ``chunks``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.eye(3, k=1, dtype="int64", device="cpu").compute().tolist()
    [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    """
    if n_cols is not None and not isinstance(_plain(n_cols), int):  # dask's eye(N, chunks)
        n_cols, chunks = None, n_cols
    if n_cols is not None and M is not None and n_cols != M:
        raise TypeError(f"eye: n_cols={n_cols} and M={M} both give the number of columns")
    n_cols = n_rows if n_cols is None and M is None else M if n_cols is None else n_cols
    dtype = _dtype(dtype)
    backend = resolve_backend(backend, device)
    normalized = normalize(chunks, (operator.index(n_rows), operator.index(n_cols)), dtype, backend)
    return _create(chunkfn.eye_block, (0, 1), normalized, dtype, backend, backend, k, dtype, BlockSlices(),
                   name=name)


def _triangle(name: str, x: Array, k: int) -> Array:
    if x.ndim < 2:
        raise ValueError(f"{name} needs an array of at least 2 dimensions, got shape {x.shape}")
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.triangle_block, ind, x.chunks, x.dtype, x.backend, name, x._expr, k, BlockSlices(),
                          arg_inds=(None, ind, None, None))
    return Array(node)


def tril(x: Array, /, k: int = 0) -> Array:
    """Lower triangle of the last two dimensions.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.tril(ga.ones((3, 3), dtype="int64", chunks=2, device="cpu")).compute().tolist()
    [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    """
    return _triangle("tril", x, k)


def triu(x: Array, /, k: int = 0) -> Array:
    """Upper triangle of the last two dimensions.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.triu(ga.ones((3, 3), dtype="int64", chunks=2, device="cpu"), k=1).compute().tolist()
    [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
    """
    return _triangle("triu", x, k)


def meshgrid(*arrays: Any, indexing: str = "xy", sparse: bool = False, copy: bool = True) -> tuple:
    """Coordinate matrices from coordinate vectors, as ``numpy.meshgrid``.

    Each input (a gpuscale array, a NumPy array or a list) is flattened.  Output ``i`` has the blocks of
    input ``i`` along its own axis and the other inputs' blocks along theirs; ``sparse=True`` keeps it of
    length one on the other axes (broadcastable, not repeated).  ``copy`` is accepted for NumPy's signature
    (the outputs are lazy, never views the user could write through).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> xx, yy = ga.meshgrid(ga.arange(3, device="cpu"), ga.arange(2, device="cpu"))
    >>> xx.compute().tolist(), yy.compute().tolist()
    ([[0, 1, 2], [0, 1, 2]], [[0, 0, 0], [1, 1, 1]])
    >>> [a.shape for a in ga.meshgrid([1, 2, 3], [4, 5], indexing="ij", sparse=True)]
    [(3, 1), (1, 2)]
    """
    from gpuscale.array.manipulation import broadcast_to, reshape

    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', not {indexing!r}")
    arrays = [reshape(a if is_array(a) else asarray(a), (-1,)) for a in arrays]
    axes = list(range(len(arrays)))
    if indexing == "xy" and len(arrays) >= 2:  # NumPy's xy: the first two outputs' axes swapped
        axes[0], axes[1] = 1, 0
    chunks = [None] * len(arrays)
    for a, axis in zip(arrays, axes):
        chunks[axis] = a.chunks[0]
    out = []
    for a, axis in zip(arrays, axes):
        line = reshape(a, tuple(-1 if d == axis else 1 for d in range(len(arrays))))
        out.append(line if sparse else broadcast_to(line, tuple(map(sum, chunks))).rechunk(tuple(chunks)))
    return tuple(out)  # a tuple, as NumPy 2 returns


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
