"""More of NumPy's routines as dask.array spells them: ``array``, ``asanyarray``, ``shape``, ``ndim``,
``indices``, ``fromfunction``, ``ediff1d``, ``gradient``, ``ravel_multi_index``, ``unravel_index``,
``apply_over_axes``.

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
from gpuscale.array.statistical import normalize_axis

__all__ = ["array", "asanyarray", "shape", "ndim", "indices", "fromfunction", "trapezoid", "ediff1d", "gradient",
           "ravel_multi_index", "unravel_index", "apply_over_axes", "shuffle"]


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


@implements("trapezoid")
def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Array:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, as ``numpy.trapezoid``.

    Parameters
    ----------
    y : Array or array_like
        Values.
    x : Array or array_like, optional
        Sample points: 1-d along ``axis``, or of ``y``'s shape; None: spaced ``dx`` apart.
    dx : scalar
        The spacing when ``x`` is None.
    axis : int
        The axis to integrate along.

    Returns
    -------
    Array
        ``y``'s shape without ``axis`` (0-d for 1-d ``y``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.trapezoid(ga.asarray([1, 2, 3], chunks=2)))
    4.0
    >>> float(ga.trapezoid(ga.asarray([1.0, 2.0, 3.0]), x=ga.asarray([0.0, 1.0, 3.0])))
    6.5
    """
    ga = _ga()
    values = as_array(y)
    (axis,) = normalize_axis(axis, values.ndim)
    if x is None:
        step = dx
    else:
        points = as_array(x, values.backend)
        step = ga.diff(points, axis=axis if points.ndim > 1 else 0)
        if points.ndim == 1:  # NumPy: 1-d sample points lie along axis, for every line of y
            step = ga.reshape(step, tuple(-1 if d == axis else 1 for d in range(values.ndim)))
    n = values.shape[axis]
    later = values[(slice(None),) * axis + (slice(1, n),)]
    earlier = values[(slice(None),) * axis + (slice(0, max(n - 1, 0)),)]
    return ga.sum(step * (later + earlier) / 2.0, axis=axis)


@implements("ediff1d")
def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Array:
    """Differences of consecutive elements of the flattened array, with optional values before and
    after, as ``numpy.ediff1d``.

    Parameters
    ----------
    ary : Array
        Input (flattened).
    to_end, to_begin : array_like, optional
        Appended and prepended (flattened, cast to the differences' dtype).

    Returns
    -------
    Array
        1-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ediff1d(ga.asarray([1, 2, 4, 7]), to_begin=-99).compute().tolist()
    [-99, 1, 2, 3]
    """
    from gpuscale.array.stacking import ravel

    ga = _ga()
    flat = ravel(as_array(ary))
    out = flat[1:] - flat[:-1]
    parts = [out]
    if to_begin is not None:
        parts.insert(0, ravel(as_array(to_begin, flat.backend)).astype(out.dtype))
    if to_end is not None:
        parts.append(ravel(as_array(to_end, flat.backend)).astype(out.dtype))
    return ga.concat(parts, axis=0) if len(parts) > 1 else out


def _slab(x: Array, axis: int, lo: Any, hi: Any) -> Array:
    return x[(slice(None),) * axis + (slice(lo, hi),)]


def _along(v: Array, axis: int, ndim: int) -> Array:
    return _ga().reshape(v, tuple(-1 if d == axis else 1 for d in range(ndim)))


def _gradient_axis(x: Array, axis: int, spacing: Any, edge_order: int) -> Array:
    ga = _ga()
    s = lambda lo, hi: _slab(x, axis, lo, hi)  # noqa: E731
    if not is_array(spacing) and hasattr(spacing, "__len__"):  # host coordinates, evenly spaced: NumPy's step
        from gpuscale.backends import array as chunkfn

        step = chunkfn.uniform_step(spacing)
        spacing = spacing if step is None else step
    if not is_array(spacing) and not hasattr(spacing, "__len__"):
        h = float(spacing)
        interior = (s(2, None) - s(0, -2)) / (2 * h)
        if edge_order == 1:
            first, last = (s(1, 2) - s(0, 1)) / h, (s(-1, None) - s(-2, -1)) / h
        else:
            first = (-1.5 * s(0, 1) + 2 * s(1, 2) - 0.5 * s(2, 3)) / h
            last = (0.5 * s(-3, -2) - 2 * s(-2, -1) + 1.5 * s(-1, None)) / h
    else:
        coords = as_array(spacing, x.backend).astype(x.dtype)
        if coords.ndim != 1 or coords.shape[0] != x.shape[axis]:
            raise ValueError("when 1d, distances must match the length of the corresponding dimension")
        dx = coords[1:] - coords[:-1]
        d1, d2 = _along(dx[:-1], axis, x.ndim), _along(dx[1:], axis, x.ndim)
        interior = (-d2 / (d1 * (d1 + d2)) * s(0, -2) + (d2 - d1) / (d1 * d2) * s(1, -1)
                    + d1 / (d2 * (d1 + d2)) * s(2, None))
        if edge_order == 1:
            first = (s(1, 2) - s(0, 1)) / _along(dx[:1], axis, x.ndim)
            last = (s(-1, None) - s(-2, -1)) / _along(dx[-1:], axis, x.ndim)
        else:
            a1, a2 = _along(dx[0:1], axis, x.ndim), _along(dx[1:2], axis, x.ndim)
            first = (-(2 * a1 + a2) / (a1 * (a1 + a2)) * s(0, 1) + (a1 + a2) / (a1 * a2) * s(1, 2)
                     - a1 / (a2 * (a1 + a2)) * s(2, 3))
            b1, b2 = _along(dx[-2:-1], axis, x.ndim), _along(dx[-1:], axis, x.ndim)
            last = (b2 / (b1 * (b1 + b2)) * s(-3, -2) - (b2 + b1) / (b1 * b2) * s(-2, -1)
                    + (2 * b2 + b1) / (b2 * (b1 + b2)) * s(-1, None))
    out = ga.concat([first, interior, last], axis=axis)
    return out.rechunk(x.chunks)


@implements("gradient")
def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """Second-order central differences inside, one-sided differences at the ends, as ``numpy.gradient``.

    Parameters
    ----------
    f : Array
        Input (integers are differentiated as float64).
    *varargs : scalar or 1-d array
        Spacing: none (1), one scalar for every axis, or one per axis (a scalar or the coordinates).
    axis : int, tuple of int or None
        Axes (all when None).
    edge_order : {1, 2}
        Accuracy of the differences at the ends.

    Returns
    -------
    Array or tuple of Array
        One gradient per axis (an array for one axis), each with ``f``'s shape and blocks.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.gradient(ga.asarray([1.0, 2.0, 4.0, 7.0, 11.0], chunks=2)).compute().tolist()
    [1.0, 1.5, 2.5, 3.5, 4.0]
    """
    x = as_array(f)
    if x.dtype.kind not in "fc":
        x = x.astype("float64")
    axes = normalize_axis(axis, x.ndim)
    if isinstance(axis, (tuple, list)):  # one gradient per axis in the order asked (normalize_axis sorts them)
        axes = tuple(a % x.ndim for a in axis)
    if edge_order not in (1, 2):
        raise ValueError("'edge_order' greater than 2 not supported")
    if not varargs:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and not hasattr(varargs[0], "__len__"):
        spacings = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    out = []
    for a, h in zip(axes, spacings):
        if x.shape[a] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) "
                             "elements are required.")
        out.append(_gradient_axis(x, a, h, edge_order))
    return out[0] if len(out) == 1 else tuple(out)


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
    shape : tuple of int
        The shape.
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
    dims = tuple(int(n) for n in shape)
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


# dask's array.chunk-size-tolerance default: how much larger than the input's blocks shuffle's blocks may grow
_SHUFFLE_TOLERANCE = 1.25


def _shuffle_tolerance() -> float:
    """dask's ``array.chunk-size-tolerance`` (``dask.config.set`` in ported code; read only if dask is already
    imported, so gpuscale's import stays light), else its default, :data:`_SHUFFLE_TOLERANCE`."""
    import sys

    dask_config = sys.modules.get("dask.config")
    value = None if dask_config is None else dask_config.get("array.chunk-size-tolerance", None)
    return _SHUFFLE_TOLERANCE if value is None else float(value)


def shuffle(x: Array, indexer: Any, axis: int, chunks: Any = "auto") -> Array:
    """Reorder ``x`` along ``axis`` by groups of positions, as ``dask.array.shuffle``: the result holds
    the positions of ``indexer[0]``, then those of ``indexer[1]`` ..., and a group is never split
    between blocks.

    The blocks are dask's: consecutive groups share a block up to about the input's mean block length along
    ``axis`` (25% more allowed), and where a group is longer than the input's blocks the other axes' blocks
    are split so that blocks keep about their size in bytes.  Groups that are already the blocks return
    ``x`` itself.

    Parameters
    ----------
    x : Array
        Input (block lengths known).
    indexer : list of list of int
        Groups of positions along ``axis`` (together a permutation or a selection).
    axis : int
        The axis.
    chunks : "auto"
        The only layout, as in dask.

    Returns
    -------
    Array
        ``take(x, concat(indexer), axis)`` with group-aligned blocks.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.shuffle(ga.arange(6, chunks=2), [[5, 0], [3], [1, 2, 4]], axis=0).compute().tolist()
    [5, 0, 3, 1, 2, 4]
    >>> ga.ones((2, 8), chunks=(2, 4)).shuffle([[1, 5, 6], [0, 3], [4, 2, 7]], axis=1).chunks
    ((2,), (5, 3))
    """
    ga = _ga()
    if chunks != "auto":
        raise NotImplementedError(f"shuffle: chunks={chunks!r}; only 'auto' is supported, as in dask")
    if any(n != n for n in x.shape):
        raise ValueError("Shuffling only allowed with known chunk sizes; call x.compute_chunk_sizes() first")
    if not isinstance(indexer, list) or not all(isinstance(g, list) for g in indexer):
        raise ValueError("shuffle: indexer must be a list of lists of positional indices")
    (axis,) = normalize_axis(axis, x.ndim)
    groups = [[int(i) for i in g] for g in indexer]
    flat = [i for g in groups for i in g]
    length = x.shape[axis]
    if flat and max(flat) >= length:
        raise IndexError(f"shuffle: Indexer contains out of bounds index {max(flat)}. Dimension only has {length} "
                         "elements.")
    blocks = x.chunks[axis]
    starts = [sum(blocks[:b]) for b in range(len(blocks))]
    if len(groups) == len(blocks) and all(g == list(range(s, s + n)) for g, s, n in zip(groups, starts, blocks)):
        return x  # already in those blocks
    longest, tolerance = max(map(len, groups), default=0), _shuffle_tolerance()
    if blocks and longest > max(blocks) * tolerance:
        x = x.rechunk(_split_other_axes(x.chunks, axis, longest, tolerance))
    out = ga.take(x, ga.asarray(flat, dtype=ga.int64, backend=x.backend), axis=axis)
    lengths = _shuffle_block_lengths(groups, length, len(blocks), tolerance)
    return out.rechunk({axis: lengths}) if lengths else out


def _shuffle_block_lengths(groups: list, length: int, nblocks: int, tolerance: float) -> tuple:
    """dask's blocks of shuffled groups: consecutive groups joined while under the mean input block length
    times the tolerance; a block ends early once past the mean itself."""
    limit = int(length / max(nblocks, 1) * tolerance)
    lengths: list[int] = []
    current = 0
    for g in groups:
        if current and current + len(g) > limit:
            lengths.append(current)
            current = len(g)
        else:
            current += len(g)
            if current > limit / tolerance:
                lengths.append(current)
                current = 0
    if current:
        lengths.append(current)
    return tuple(lengths)


def _split_other_axes(chunks: tuple, axis: int, longest: int, tolerance: float) -> tuple:
    """The blocks of the axes other than ``axis`` split so that a block holding a group of ``longest``
    positions is no larger (in elements) than the input's largest block, as dask."""
    from gpuscale.array._chunks import split_to_fit

    largest = math.prod(max(c, default=1) for c in chunks)
    grown = [(longest,) if d == axis else tuple(c) for d, c in enumerate(chunks)]
    new = list(split_to_fit(chunks, grown, {d for d in range(len(chunks)) if d != axis}, largest,
                            tolerance))
    new[axis] = tuple(chunks[axis])
    return tuple(new)
