"""Sorting (``sort``, ``argsort``), set functions (``unique_*``) and ``diff``.

Sorting gathers the sorted axis into one block (other axes keep their
blocks).  Set functions work on the flattened array in one block; their
result length is known at once for in-memory input and ``nan`` until
computed otherwise (:mod:`gpuscale.array.data_dependent`).
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.array.statistical import AxisError, normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["sort", "argsort", "unique_values", "unique_counts", "unique_inverse", "unique_all", "diff"]

UniqueAllResult = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices", "counts"])
UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def _sort(x: Array, axis: int | None, descending: bool, stable: bool, indices: bool) -> Array:
    from gpuscale.array.manipulation import rechunk, reshape

    # NumPy's: axis=None sorts the flattened array, and argsort (not sort) takes a 0-d array as one element
    if axis is None or indices and x.ndim == 0 and axis in (0, -1):
        x, axis = reshape(x, (-1,)), 0
    if x.ndim == 0:
        raise AxisError(f"axis {axis} is out of bounds for array of dimension 0")
    (axis,) = normalize_axis(axis, x.ndim)
    x = rechunk(x, {axis: -1})
    ind = tuple(range(x.ndim))
    dtype = chunkfn.numpy_dtype("int64") if indices else x.dtype
    node = blockwise_expr(chunkfn.sort_block, ind, x.chunks, dtype, x.backend, x._expr, axis, bool(descending),
                          bool(stable), indices, arg_inds=(ind, None, None, None, None))
    return Array(node)


def sort(x: Array, /, axis: int | None = -1, *, descending: bool = False, stable: bool = True) -> Array:  # NumPy: axis positional
    """Sorted copy of ``x`` along ``axis`` (None: of the flattened array, as NumPy).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.sort(ga.asarray([3, 1, 2, 5, 4], chunks=2, device="cpu"), descending=True).compute().tolist()
    [5, 4, 3, 2, 1]
    """
    return _sort(x, axis, descending, stable, False)


def argsort(x: Array, /, axis: int | None = -1, *, descending: bool = False, stable: bool = True) -> Array:  # as sort
    """Indices that sort ``x`` along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int or None
        Axis to sort along (gathered into one block); None sorts the flattened array (NumPy's).
    descending : bool
        Largest first.
    stable : bool
        Keep the order of equal elements (the standard's default).

    Returns
    -------
    Array
        int64 indices, same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([3, 1, 2], chunks=2)
    >>> ga.argsort(x).compute().tolist(), ga.argsort(x, descending=True).compute().tolist()
    ([1, 2, 0], [0, 2, 1])
    """
    return _sort(x, axis, descending, stable, True)


def _flat(x: Array) -> Array:
    from gpuscale.array.manipulation import reshape

    return reshape(x, (-1,)) if x.ndim != 1 else x


def _flat_whole(x: Array) -> Array:
    from gpuscale.array.manipulation import rechunk

    flat = _flat(x)
    return rechunk(flat, ((flat.shape[0],),))


def _part(flat: Array, part: str, dtype: Any, known_length: bool = False, equal_nan: bool = False) -> Array:
    chunks = flat.chunks if known_length else ((math.nan,),)
    node = blockwise_expr(chunkfn.unique_part, (0,), chunks, dtype, flat.backend, flat._expr, part, equal_nan,
                          arg_inds=((0,), None, None))
    return Array(node)


def unique_parts(x: Array, parts: tuple, equal_nan: bool = False) -> tuple[Array, ...]:
    """The fields ``parts`` (``values``, ``indices``, ``inverse_indices``, ``counts``) of the distinct values of
    ``x``; ``equal_nan``: NaNs are one value, as NumPy's ``unique`` (the standard keeps each apart)."""
    flat = _flat(x)
    if _by_block(flat, parts, equal_nan):
        return _known_when_in_memory(x, *_unique_by_block(x, flat, parts, equal_nan))
    flat = _flat_whole(x)
    index = chunkfn.numpy_dtype("int64")
    out = []
    for part in parts:
        if part == "inverse_indices":
            inverse = _part(flat, part, index, known_length=True, equal_nan=equal_nan)
            out.append(_reshaped_like(x, inverse))
        else:
            out.append(_part(flat, part, x.dtype if part == "values" else index, equal_nan=equal_nan))
    return _known_when_in_memory(x, *out)


def _by_block(flat: Array, parts: tuple, equal_nan: bool) -> bool:
    """Whether ``parts`` come from each block's distinct values combined (a tree, as dask's) rather than from
    the array joined into one block (a copy of it all, sorted on one thread: 9.6 s for 2e7 integers)."""
    if flat.numblocks[0] < 2:
        return False
    if "indices" in parts and any(math.isnan(n) for n in flat.chunks[0]):
        return False  # (blocks of unknown lengths: no offsets to make their positions global)
    # the inverse is a search of each element among the values: NaNs one value (NumPy's), not each its own
    return "inverse_indices" not in parts or flat.dtype.kind in "biu" or flat.dtype.kind == "f" and equal_nan


def _unique_by_block(x: Array, flat: Array, parts: tuple, equal_nan: bool) -> list[Array]:
    from gpuscale.array import _chunks

    index = chunkfn.numpy_dtype("int64")
    fields = tuple(f for f in ("values", "counts", "indices") if f == "values" or f in parts)
    offsets = tuple(_chunks.offsets(flat.chunks[0])) if "indices" in fields else None
    unknown = ((math.nan,) * flat.numblocks[0],)
    each = blockwise_expr(chunkfn.unique_block, (0,), unknown, index, flat.backend, flat._expr, fields,
                          equal_nan, offsets, BlockIndex(), arg_inds=((0,), None, None, None, None))
    combined = blockwise_expr(chunkfn.unique_combine, (0,), ((math.nan,),), index, flat.backend, each, fields,
                              equal_nan, arg_inds=((1,), None, None))
    found = {f: Array(blockwise_expr(chunkfn.pick, (0,), ((math.nan,),), x.dtype if f == "values" else index,
                                     flat.backend, combined, i, arg_inds=((0,), None)))
             for i, f in enumerate(fields)}
    if "inverse_indices" in parts:
        inverse = blockwise_expr(chunkfn.unique_inverse_block, (0,), flat.chunks, index, flat.backend, flat._expr,
                                 found["values"]._expr, arg_inds=((0,), (1,)))
        found["inverse_indices"] = _reshaped_like(x, Array(inverse))
    return [found[p] for p in parts]


def _reshaped_like(x: Array, flat: Array) -> Array:
    from gpuscale.array.manipulation import reshape

    return reshape(flat, x.shape) if x.ndim != 1 else flat


def _known_when_in_memory(x: Array, *parts: Array) -> tuple[Array, ...]:
    from gpuscale.array.data_dependent import known_when_in_memory

    return known_when_in_memory((x,), parts)


def unique_values(x: Array, /) -> Array:
    """The distinct values of ``x`` (sorted, 1-d; length known at once for in-memory ``x``, else nan).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.unique_values(ga.asarray([3, 1, 3, 2, 1], chunks=2, device="cpu")).compute().tolist()
    [1, 2, 3]
    """
    (values,) = unique_parts(x, ("values",))
    return values


def unique_counts(x: Array, /) -> UniqueCountsResult:
    """Distinct values and how often each occurs.

    Parameters
    ----------
    x : Array
        Input.

    Returns
    -------
    UniqueCountsResult
        ``(values, counts)``: sorted distinct values (of the flattened ``x``) and int64 counts.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> values, counts = ga.unique_counts(ga.asarray([2, 1, 2, 3, 1, 2], chunks=3))
    >>> values.compute().tolist(), counts.compute().tolist()
    ([1, 2, 3], [2, 3, 1])
    """
    return UniqueCountsResult(*unique_parts(x, ("values", "counts")))


def unique_inverse(x: Array, /) -> UniqueInverseResult:
    """Distinct values and, for each element of ``x``, the position of its value.

    Parameters
    ----------
    x : Array
        Input.

    Returns
    -------
    UniqueInverseResult
        ``(values, inverse_indices)``: sorted distinct values, and int64 positions shaped as ``x`` with
        ``values[inverse_indices] == x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> values, inverse = ga.unique_inverse(ga.asarray([2, 1, 2, 3, 1, 2], chunks=3))
    >>> values.compute().tolist(), inverse.compute().tolist()
    ([1, 2, 3], [1, 0, 1, 2, 0, 1])
    """
    return UniqueInverseResult(*unique_parts(x, ("values", "inverse_indices")))


def unique_all(x: Array, /) -> UniqueAllResult:
    """Distinct values, first indices, inverse indices and counts.

    Parameters
    ----------
    x : Array
        Input.

    Returns
    -------
    UniqueAllResult
        ``(values, indices, inverse_indices, counts)``: sorted distinct values, the flat index of each value's
        first occurrence, the position of each element's value (shaped as ``x``) and the counts.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> r = ga.unique_all(ga.asarray([2, 1, 2, 3, 1, 2], chunks=3))
    >>> [part.compute().tolist() for part in r]
    [[1, 2, 3], [1, 0, 3], [1, 0, 1, 2, 0, 1], [2, 3, 1]]
    """
    return UniqueAllResult(*unique_parts(x, ("values", "indices", "inverse_indices", "counts")))


def _diff_edge(value: Any, x: Array, axis: int) -> Array:
    """``prepend``/``append`` of :func:`diff` as ``numpy.diff`` takes them: a scalar is one entry along ``axis``,
    broadcast over the other axes; anything else (lists, NumPy arrays) an array to join as it is."""
    from gpuscale.array._operands import as_array
    from gpuscale.array.manipulation import broadcast_to

    value = as_array(value, x.backend)
    if value.ndim == 0:
        value = broadcast_to(value, x.shape[:axis] + (1,) + x.shape[axis + 1:])
    return value


def _diff_of_slices(x: Array, n: int, axis: int) -> Array:
    """``diff`` along an axis of several blocks, as dask's: ``x[1:] - x[:-1]`` (booleans: ``!=``, as NumPy's),
    ``n`` times, so every block stays its size (joining the axis into one block would hold it whole)."""
    from gpuscale.array import elementwise

    later = tuple(slice(1, None) if d == axis else slice(None) for d in range(x.ndim))
    earlier = tuple(slice(None, -1) if d == axis else slice(None) for d in range(x.ndim))
    op = elementwise.not_equal if x.dtype == bool else elementwise.subtract
    for _ in range(min(n, x.shape[axis])):  # (n beyond the length leaves it empty, as NumPy's)
        x = op(x[later], x[earlier])
    return x


def diff(x: Any, /, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Array:
    """``n``-th discrete difference along ``axis``: ``x[1:] - x[:-1]``, ``n`` times.

    Parameters
    ----------
    x : Array or array-like
        Input (NumPy arrays too, as dask's).
    n : int
        How many times to difference (0 returns ``x``, ``prepend``/``append`` unused, as NumPy's).
    axis : int
        Axis of the differences.
    prepend, append : Array, array-like or scalar, optional
        Values joined to ``x`` along ``axis`` first, as ``numpy.diff`` (a scalar is one entry along ``axis``).

    Returns
    -------
    Array
        ``n`` shorter along ``axis`` (plus what was prepended or appended).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1, 4, 9, 16], chunks=2)
    >>> ga.diff(x).compute().tolist(), ga.diff(x, n=2).compute().tolist()
    ([3, 5, 7], [2, 2])
    >>> ga.diff(x, prepend=ga.asarray([0])).compute().tolist(), ga.diff(x, append=0).compute().tolist()
    ([1, 3, 5, 7], [3, 5, 7, -16])
    """
    from gpuscale.array._operands import as_array
    from gpuscale.array.manipulation import concat, rechunk

    if n < 0:
        raise ValueError(f"diff: order n must be non-negative, got {n}")
    x = as_array(x)
    if n == 0:  # NumPy returns the input as it is, prepend/append unused
        return x
    (axis,) = normalize_axis(axis, x.ndim)
    before = [] if prepend is None else [_diff_edge(prepend, x, axis)]
    after = [] if append is None else [_diff_edge(append, x, axis)]
    if before or after:
        x = concat([*before, x, *after], axis=axis)
    size = x.shape[axis]
    if size == size and len(x.chunks[axis]) > 1:
        return _diff_of_slices(x, n, axis)
    x = rechunk(x, {axis: -1})  # (an axis of unknown length: its blocks joined)
    ind = tuple(range(x.ndim))
    length = max(0, size - n) if size == size else size  # (an unknown length stays unknown: nan)
    chunks = tuple((length,) if d == axis else c for d, c in enumerate(x.chunks))
    dtype = chunkfn.meta_call(x.backend, "diff", chunkfn.Meta(x.dtype, x.ndim), axis=axis)
    node = blockwise_expr(chunkfn.diff_block, ind, chunks, dtype, x.backend, x._expr, axis, n,
                          arg_inds=(ind, None, None))
    return Array(node)
