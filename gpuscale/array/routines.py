"""More of NumPy's routines as dask.array spells them: ``array``, ``asanyarray``, ``shape``, ``ndim``,
``indices``, ``fromfunction``, ``ravel_multi_index``, ``unravel_index``, ``apply_over_axes`` (calculus:
:mod:`gpuscale.array.calculus`; ``shuffle``: :mod:`gpuscale.array.shuffling`).

All are compositions of gpuscale's lazy functions (``arange``, slicing, element-wise arithmetic,
``concat``, ``map_blocks``); index checks (``mode="raise"``) run when the blocks are computed.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

from gpuscale.array._operands import as_array, as_arrays
from gpuscale.array.core import Array, is_array
from gpuscale.array.protocols import implements

__all__ = ["array", "asanyarray", "shape", "ndim", "indices", "fromfunction", "ravel_multi_index", "unravel_index",
           "apply_over_axes"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


def array(x: Any, dtype: Any = None, ndmin: int | None = None, *, like: Any = None) -> Array:
    """An array from ``x``, with at least ``ndmin`` dimensions (new axes in front), as ``dask.array.array``.

    Parameters
    ----------
    x : array_like
        Data (gpuscale arrays pass through lazily).
    dtype
        Cast to this dtype.
    ndmin : int, optional
        Minimum number of dimensions.
    like
        An array whose backend to use.

    Returns
    -------
    Array
        The array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.array([1, 2], ndmin=3).shape
    (1, 1, 2)
    """
    ga = _ga()
    out = ga.asarray(x, dtype=dtype, backend=getattr(like, "backend", None))
    if ndmin is not None and out.ndim < ndmin:
        out = ga.reshape(out, (1,) * (ndmin - out.ndim) + out.shape)
    return out


def asanyarray(a: Any, dtype: Any = None, order: Any = None, *, like: Any = None, inline_array: bool = False) -> Array:
    """:func:`gpuscale.array.asarray` with dask's ``asanyarray`` signature; a subclass of NumPy's array
    (``numpy.matrix``) is kept as one block of that class, as NumPy's and dask's ``asanyarray`` keep it.

    Parameters
    ----------
    a : array_like
        Data.
    dtype
        Cast to this dtype.
    order, inline_array
        Accepted for dask compatibility.
    like
        An array whose backend to use.

    Returns
    -------
    Array
        The array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.asanyarray([1.5, 2.5]).dtype == ga.float64
    True
    """
    from gpuscale.backends import array as chunkfn

    backend = getattr(like, "backend", None)
    if chunkfn.is_array_subclass(a) and dtype is None:  # numpy.matrix stays one, as NumPy's asanyarray
        from gpuscale.array.creation import from_array_subclass

        return from_array_subclass(a, backend)
    return _ga().asarray(a, dtype=dtype, backend=backend)


def shape(array: Any) -> tuple:
    """The shape of an array or array-like, as ``numpy.shape``.

    Parameters
    ----------
    array : array_like
        Input.

    Returns
    -------
    tuple
        The shape (nan for unknown lengths).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.shape(ga.ones((2, 3))), ga.shape([[1, 2, 3]])
    ((2, 3), (1, 3))
    """
    return as_array(array).shape if not hasattr(array, "shape") else tuple(array.shape)


def ndim(a: Any) -> int:
    """The number of dimensions of an array or array-like, as ``numpy.ndim``.

    Parameters
    ----------
    a : array_like
        Input.

    Returns
    -------
    int
        Number of dimensions.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ndim(ga.ones((2, 3))), ga.ndim(5)
    (2, 0)
    """
    return as_array(a).ndim if not hasattr(a, "ndim") else int(a.ndim)


# NumPy's type predicates on a gpuscale array: the dtype decides, nothing is computed (np.testing's asserts call them)
@implements("iscomplexobj")
def _iscomplexobj(x: Any) -> bool:
    return x.dtype.kind == "c"


@implements("isrealobj")
def _isrealobj(x: Any) -> bool:
    return x.dtype.kind != "c"


def indices(dimensions: Any, dtype: Any = int, chunks: Any = "auto", *, backend: str | None = None) -> Array:
    """Index grids of a shape, as ``numpy.indices``: ``out[i]`` holds the index along axis ``i``.

    Parameters
    ----------
    dimensions : sequence of int
        The grid's shape.
    dtype
        Index dtype.
    chunks
        Blocks of the grid dimensions (as :func:`gpuscale.array.ones`); the leading axis has one block per
        grid (as dask's), so ``out[i]`` reads only its own blocks.
    backend
        Chunk library.

    Returns
    -------
    Array
        ``(len(dimensions), *dimensions)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.indices((2, 3))[1].compute().tolist()
    [[0, 1, 2], [0, 1, 2]]
    """
    ga = _ga()
    dims = tuple(int(n) for n in dimensions)
    grid = ga.ones(dims, dtype=dtype, chunks=chunks, backend=backend)
    parts = []
    for axis, n in enumerate(dims):
        line = ga.arange(n, dtype=dtype, chunks=(grid.chunks[axis],), backend=grid.backend)
        line = ga.reshape(line, tuple(n if d == axis else 1 for d in range(len(dims))))
        parts.append(ga.broadcast_to(line, dims).rechunk(grid.chunks))
    if not parts:
        return ga.zeros((0,), dtype=dtype, backend=backend)
    return ga.stack(parts, axis=0)


def _from_indices(*blocks: Any, function: Callable, function_kwargs: dict) -> Any:
    return function(*blocks, **function_kwargs)


def _without_indices(block: Any, function: Callable, function_kwargs: dict) -> Any:
    from gpuscale.backends import array as chunkfn

    value, library = function(**function_kwargs), chunkfn.library_of(block)
    if hasattr(value, "shape") and chunkfn.library_of(value) == library:
        return value
    return chunkfn.to_backend(chunkfn.host_array(value), library)  # a Python number as a 0-d block


def fromfunction(func: Callable, chunks: Any = "auto", shape: Any = None, dtype: Any = None, **kwargs: Any) -> Array:
    """An array whose element at ``(i, j, ...)`` is ``func(i, j, ...)``, as ``dask.array.fromfunction``.

    ``func`` is called once per block with the block's index grids (chunks of ``dtype``, float64 by
    default, as NumPy) and must be element-wise.

    Parameters
    ----------
    func : callable
        ``func(*index_blocks, **kwargs)`` gives a block.
    chunks
        Blocks (as :func:`gpuscale.array.ones`).
    shape : tuple of int
        The array's shape.
    dtype
        dtype of the index grids.
    **kwargs
        Passed to ``func``.

    Returns
    -------
    Array
        ``func``'s values.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fromfunction(lambda i, j: i * 10 + j, shape=(2, 3), dtype=int, chunks=1).compute().tolist()
    [[0, 1, 2], [10, 11, 12]]
    """
    from gpuscale.array.api import map_blocks

    if shape is None:
        raise TypeError("fromfunction needs shape=")
    if not tuple(shape):  # NumPy calls func() with no index at all: its value is the one element
        from gpuscale.array.filled import zeros

        return map_blocks(_without_indices, zeros((), dtype=float if dtype is None else dtype),
                          function=func, function_kwargs=kwargs)
    grids = indices(shape, dtype=float if dtype is None else dtype, chunks=chunks)
    grids = grids.rechunk({0: 1})
    return map_blocks(_from_indices, *[grids[i] for i in range(len(tuple(shape)))], function=func,
                      function_kwargs=kwargs)


def _checked(x: Array, low: Any, high: Any, message: str) -> Array:
    from gpuscale.array.api import map_blocks
    from gpuscale.backends import array as chunkfn

    return map_blocks(chunkfn.checked_range, x, low, high, message, dtype=x.dtype)


@implements("ravel_multi_index")
def ravel_multi_index(multi_index: Any, dims: Any, mode: Any = "raise", order: str = "C") -> Array:
    """Flat positions of index tuples in an array of shape ``dims``, as ``numpy.ravel_multi_index``.

    Parameters
    ----------
    multi_index : tuple of Array or array-like
        One integer array per dimension (broadcast together), or a stacked array of them.
    dims : int or tuple of int
        The shape.
    mode : {"raise", "wrap", "clip"} or tuple of them
        Out-of-range indices raise ``ValueError`` when computed, wrap around, or clip.
    order : {"C", "F"}
        Row- or column-major positions.

    Returns
    -------
    Array
        int64 positions.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ravel_multi_index((ga.asarray([0, 1, 2]), ga.asarray([1, 0, 3])), (3, 4)).compute().tolist()
    [1, 4, 11]
    """
    ga = _ga()
    if _is_lazy(dims) or not isinstance(dims, numbers.Integral) and any(_is_lazy(n) for n in dims):
        # the shape decides the result's graph: computing it here would be a hidden compute (dask refuses too)
        raise NotImplementedError("ravel_multi_index: Dask types are not supported in the `dims` argument (lazy "
                                  "gpuscale arrays, Delayed); pass the shape as ints")
    dims = (int(dims),) if isinstance(dims, numbers.Integral) else tuple(int(n) for n in dims)  # NumPy takes an int
    parts = as_arrays(list(multi_index)) if not is_array(multi_index) else _index_rows(multi_index, len(dims))
    if len(parts) != len(dims):
        raise ValueError(f"parameter multi_index must be a sequence of length {len(dims)}")
    if any(p.dtype.kind not in "iu" for p in parts):  # NumPy's rule: a float index is refused, not truncated
        raise TypeError(f"ravel_multi_index: only int indices permitted, got "
                        f"{', '.join(sorted({str(p.dtype) for p in parts}))}")
    modes = (mode,) * len(dims) if isinstance(mode, str) else tuple(mode)
    strides = [math.prod(dims[d + 1:]) if order == "C" else math.prod(dims[:d]) for d in range(len(dims))]
    total = None
    for idx, n, m, stride in zip(parts, dims, modes, strides):
        idx = idx.astype("int64")
        if m == "wrap":
            idx = idx % n
        elif m == "clip":
            idx = ga.clip(idx, 0, n - 1)
        elif m == "raise":
            idx = _checked(idx, 0, n, "invalid entry in coordinates array")
        else:
            raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap', not {m!r}")
        term = idx * stride
        total = term if total is None else total + term
    return total


def _is_lazy(obj: Any) -> bool:
    """A gpuscale array or a dask collection (``Delayed``): values known only when computed."""
    return is_array(obj) or hasattr(obj, "__dask_graph__")


def _index_rows(multi_index: Array, n: int) -> list:
    """The index arrays stacked along the first axis of ``multi_index``; when that length is unknown (after a
    data-dependent selection) it must be ``n``, one row per dimension, as NumPy requires."""
    if not math.isnan(multi_index.shape[0]):
        return [multi_index[i] for i in range(multi_index.shape[0])]
    if len(multi_index.chunks[0]) != 1:
        raise ValueError("ravel_multi_index: the number of index arrays (multi_index's first axis) is unknown after "
                         "a data-dependent selection and spread over several blocks; call "
                         "multi_index.compute_chunk_sizes() first")
    return [_row_of_one_block(multi_index, i) for i in range(n)]


def _row_of_one_block(x: Array, i: int) -> Array:
    """``x[i]`` of an array whose first axis, of unknown length, is one block: picked block by block (a row
    beyond the block's length raises IndexError when computed)."""
    from gpuscale.array.expr import blockwise_expr
    from gpuscale.backends import array as chunkfn

    ind = tuple(range(x.ndim))
    return Array(blockwise_expr(chunkfn.getitem, ind[1:], x.chunks[1:], x.dtype, x.backend, x._expr, (i, ...),
                                arg_inds=(ind, None), concatenate=True))


@implements("unravel_index")
def unravel_index(indices: Any, shape: Any, order: str = "C") -> tuple:
    """Index tuples of flat positions in an array of ``shape``, as ``numpy.unravel_index``.

    Parameters
    ----------
    indices : Array of int
        Flat positions (out-of-range ones raise ``ValueError`` when computed).
    shape : int or tuple of int
        The shape (an int: one dimension).
    order : {"C", "F"}
        Row- or column-major positions.

    Returns
    -------
    tuple of Array
        One int64 array per dimension, each shaped like ``indices``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [i.compute().tolist() for i in ga.unravel_index(ga.asarray([1, 4, 11]), (3, 4))]
    [[0, 1, 2], [1, 0, 3]]
    """
    dims = tuple(int(n) for n in shape) if hasattr(shape, "__len__") else (int(shape),)  # an int: 1-d, as NumPy
    size = math.prod(dims)
    flat = as_array(indices).astype("int64")
    flat = _checked(flat, 0, size, f"index out of bounds for array with size {size}")
    strides = [math.prod(dims[d + 1:]) if order == "C" else math.prod(dims[:d]) for d in range(len(dims))]
    return tuple((flat // stride) % n for n, stride in zip(dims, strides))


@implements("apply_over_axes")
def apply_over_axes(func: Callable, a: Any, axes: Any) -> Array:
    """Apply a reduction ``func(a, axis)`` over several axes in turn, keeping the dimensions, as
    ``numpy.apply_over_axes``.

    Parameters
    ----------
    func : callable
        ``func(array, axis)``; its result either keeps the dimensions or loses ``axis``.
    a : Array
        Input.
    axes : int or sequence of int
        The axes, in order.

    Returns
    -------
    Array
        ``a``'s number of dimensions.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.apply_over_axes(ga.sum, ga.reshape(ga.arange(6), (2, 3)), [0, 1]).compute().tolist()
    [[15]]
    """
    ga = _ga()
    x = as_array(a)
    for axis in ([axes] if isinstance(axes, int) else list(axes)):
        axis = axis % x.ndim
        try:
            result = func(x, axis)
        except TypeError:
            result = func(x, axis=axis)
        if result.ndim == x.ndim - 1:
            result = ga.expand_dims(result, axis=axis)
        if result.ndim != x.ndim:
            raise ValueError("function is not returning an array of the correct shape")
        x = result
    return x
