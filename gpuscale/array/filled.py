"""Arrays of one value or a fixed pattern, made block by block: ``zeros``, ``ones``, ``empty``, ``full``,
their ``*_like`` forms, ``eye``, and the triangles ``tril`` / ``triu`` of an array."""

from __future__ import annotations

import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.conversion import from_array
from gpuscale.array.core import Array, is_array
from gpuscale.array.creation_common import (_create, _dtype, _plain, _shape, backend_of_device, normalize,
                                            resolve_backend)
from gpuscale.array.expr import BlockShape, BlockSlices, blockwise_expr
from gpuscale.backends import array as chunkfn

__all__ = ["zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "eye", "tril", "triu"]


def _filled(name: str, shape: Any, dtype: Any, chunks: Any, backend: str, *fill: Any, label: Any = None) -> Array:
    chunkfn.check_dtype_of_backend(backend, dtype, name)  # text on CuPy: refused here, not in a task
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
    # a NumPy scalar or 0-d array keeps its own dtype (np.float32(2.5) fills float32, as NumPy); text is sized below
    if is_array(value) or _is_0d(value) and not isinstance(value, (str, bytes)):
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
    # (np.str_ / np.bytes_ have ndim 0 too, but they are str / bytes: indexing them fails)
    value = value[()] if _is_0d(value) and not isinstance(value, (str, bytes)) else value
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
        chunkfn.check_dtype_of_backend(backend, dtype, f"{name}_like")
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
    normalized = normalize(chunks, _shape((n_rows, n_cols)), dtype, backend)  # negative sizes refused as NumPy
    return _create(chunkfn.eye_block, (0, 1), normalized, dtype, backend, backend, _diagonal(k), dtype, BlockSlices(),
                   name=name)


def _diagonal(k: Any) -> int:
    """``k=`` as an int, refused at once (as NumPy) rather than by the blocks at compute."""
    try:
        return operator.index(k)
    except TypeError:
        raise TypeError(f"the diagonal k must be an integer, got {k!r}") from None


def _triangle(name: str, x: Array, k: int) -> Array:
    if x.ndim < 2:
        raise ValueError(f"{name} needs an array of at least 2 dimensions, got shape {x.shape}")
    k = _diagonal(k)
    if any(_chunks.is_unknown(n) for n in x.shape[-2:]):
        return _triangle_unknown(name, x, k)
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.triangle_block, ind, x.chunks, x.dtype, x.backend, name, x._expr, k, BlockSlices(),
                          arg_inds=(None, ind, None, None))
    return Array(node)


def _triangle_unknown(name: str, x: Array, k: int) -> Array:
    """``tril``/``triu`` where a block's position in the matrix is unknown (after boolean indexing): the row
    and column of each element are counted (running sums of ones, which need no lengths) and compared."""
    import gpuscale.array as ga

    ones = ga.ones_like(x, dtype="int64")
    above = ga.cumsum(ones, axis=-1) - ga.cumsum(ones, axis=-2)  # column - row
    keep = above <= k if name == "tril" else above >= k
    return ga.where(keep, x, ga.zeros_like(x))


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
