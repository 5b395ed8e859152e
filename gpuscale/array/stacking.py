"""Joining and editing arrays as NumPy and dask.array spell it: ``concatenate``, ``hstack``, ``vstack``,
``dstack``, ``column_stack``, ``block``, ``atleast_1d/2d/3d``, ``ravel``, ``append``, ``insert``, ``delete``.

All are built from :func:`gpuscale.array.concat`, ``reshape`` and slicing: blocks are re-labelled or
sliced, and inserted values become blocks of their own.  Each is also what ``numpy.vstack(x)`` ... runs
on a gpuscale array (``__array_function__``).
"""

from __future__ import annotations

import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array._operands import as_array, as_arrays, backend_of
from gpuscale.array.core import Array
from gpuscale.array.protocols import implements
from gpuscale.array.statistical import normalize_axis

__all__ = ["concatenate", "hstack", "vstack", "dstack", "column_stack", "block", "atleast_1d", "atleast_2d", "atleast_3d", "ravel",
           "append", "insert", "delete"]


def _concat(arrays: list, axis: Any, allow_unknown_chunksizes: bool = False) -> Array:
    from gpuscale.array.manipulation import concat

    return concat(arrays, axis=axis, allow_unknown_chunksizes=allow_unknown_chunksizes)


def _concat_nonempty(arrays: list, axis: int, allow_unknown_chunksizes: bool = False) -> Array:
    """dask's ``concatenate``: arrays empty along ``axis`` add nothing (their dtypes still promote), and one
    array left is returned itself."""
    from gpuscale.array.dtypes import result_type

    if not all(-a.ndim <= axis < a.ndim for a in arrays):
        return _concat(arrays, axis, allow_unknown_chunksizes)  # its error names the axis
    kept = [a for a in arrays if a.shape[axis] != 0]
    if len(kept) != 1 or len(arrays) == 1 or kept[0].dtype != result_type(*arrays):
        return _concat(arrays, axis, allow_unknown_chunksizes)
    _concat(arrays, axis, allow_unknown_chunksizes)  # the same checks of shapes as when joined
    return kept[0]


def cast_parts(parts: list, dtype: Any, casting: Any = None) -> list:
    """NumPy's ``dtype=``/``casting=`` of the joining functions: each input cast to ``dtype`` where ``casting``
    (default ``"same_kind"``) allows, else NumPy's ``TypeError``."""
    from gpuscale.array.nanreductions import check_out_cast

    if dtype is None:
        return parts
    for p in parts:
        check_out_cast(p.dtype, dtype, casting or "same_kind")
    return [p.astype(dtype) for p in parts]


@implements("concatenate", "concat")
def concatenate(seq: Any, axis: Any = 0, allow_unknown_chunksizes: bool = False, *, out: Any = None,
                dtype: Any = None, casting: Any = None) -> Array:
    """Join arrays along an existing axis, as ``dask.array.concatenate`` / ``numpy.concatenate``.

    Parameters
    ----------
    seq : sequence of Array
        Arrays with equal shapes except along ``axis`` (array-likes are converted); dtypes are promoted.
    axis : int or None
        The axis; ``None`` flattens the arrays first (NumPy).
    allow_unknown_chunksizes : bool
        Join arrays whose lengths along the other axes are unknown (nan) and so cannot be checked, as dask
        (arrays of unknown length along ``axis`` are joined either way).
    out, dtype, casting
        NumPy's arguments: ``out`` (a gpuscale array takes the result), ``dtype`` casts the inputs where
        ``casting`` (default ``"same_kind"``) allows.

    Returns
    -------
    Array
        The blocks of the inputs, in order (no data is copied until computed).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.concatenate([ga.ones((2, 3), chunks=1), ga.zeros((1, 3))], axis=0).shape
    (3, 3)
    >>> ga.concatenate([ga.asarray([1, 2]), ga.asarray([[3]])], axis=None).compute().tolist()
    [1, 2, 3]
    """
    from gpuscale.array.nanreductions import handle_out

    parts = cast_parts(as_arrays(seq), dtype, casting)
    if axis is None:
        parts, axis = [ravel(p) for p in parts], 0
    return handle_out(out, _concat_nonempty(parts, axis, allow_unknown_chunksizes))


def _at_least(x: Array, n: int) -> Array:
    from gpuscale.array.manipulation import reshape

    if x.ndim >= n:
        return x
    if n == 3:
        shape = (1, 1, 1) if x.ndim == 0 else (1, x.shape[0], 1) if x.ndim == 1 else x.shape + (1,)
    else:
        shape = (1,) * (n - x.ndim) + x.shape
    return reshape(x, shape)


def _at_least_all(arys: tuple, n: int) -> Any:
    out = [_at_least(a, n) for a in as_arrays(arys)]
    return out[0] if len(out) == 1 else tuple(out)


@implements("atleast_1d")
def atleast_1d(*arys: Any) -> Any:
    """Arrays with at least one dimension (a 0-d array becomes shape ``(1,)``), as ``numpy.atleast_1d``.

    Parameters
    ----------
    *arys : Array
        One or more arrays (array-likes are converted).

    Returns
    -------
    Array or tuple of Array
        One array for one input, else a tuple.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.atleast_1d(ga.asarray(5)).shape
    (1,)
    >>> [a.shape for a in ga.atleast_1d(ga.asarray(5), ga.ones((2, 2)))]
    [(1,), (2, 2)]
    """
    return _at_least_all(arys, 1)


@implements("atleast_2d")
def atleast_2d(*arys: Any) -> Any:
    """Arrays with at least two dimensions (new axes in front), as ``numpy.atleast_2d``.

    Parameters
    ----------
    *arys : Array
        One or more arrays.

    Returns
    -------
    Array or tuple of Array
        One array for one input, else a tuple.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.atleast_2d(ga.ones(3)).shape
    (1, 3)
    """
    return _at_least_all(arys, 2)


@implements("atleast_3d")
def atleast_3d(*arys: Any) -> Any:
    """Arrays with at least three dimensions, as ``numpy.atleast_3d``: ``(N,)`` becomes ``(1, N, 1)``,
    ``(M, N)`` becomes ``(M, N, 1)``.

    Parameters
    ----------
    *arys : Array
        One or more arrays.

    Returns
    -------
    Array or tuple of Array
        One array for one input, else a tuple.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.atleast_3d(ga.ones(3)).shape, ga.atleast_3d(ga.ones((2, 3))).shape
    ((1, 3, 1), (2, 3, 1))
    """
    return _at_least_all(arys, 3)


@implements("vstack", "row_stack")
def vstack(tup: Any, allow_unknown_chunksizes: bool = False, *, dtype: Any = None, casting: Any = None) -> Array:
    """Stack arrays vertically (rows): 1-d arrays become rows of a 2-d result, as ``numpy.vstack``.

    Parameters
    ----------
    tup : sequence of Array
        Arrays with equal shapes except along the first axis (after :func:`atleast_2d`).
    allow_unknown_chunksizes : bool
        As dask's: join arrays whose lengths along the other axes are unknown (nan) unchecked (they must match,
        with as many blocks); without it such arrays raise ``ValueError``.
    dtype, casting
        NumPy's arguments: ``dtype`` casts the inputs.

    Returns
    -------
    Array
        At least 2-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.vstack([ga.asarray([1, 2]), ga.asarray([3, 4])]).compute().tolist()
    [[1, 2], [3, 4]]
    """
    return _concat(cast_parts([_at_least(p, 2) for p in as_arrays(tup)], dtype, casting), 0, allow_unknown_chunksizes)


@implements("hstack")
def hstack(tup: Any, allow_unknown_chunksizes: bool = False, *, dtype: Any = None, casting: Any = None) -> Array:
    """Stack arrays horizontally (columns), as ``numpy.hstack``: 1-d arrays are joined end to end.

    Parameters
    ----------
    tup : sequence of Array
        Arrays with equal shapes except along the second axis (the first for 1-d arrays).
    allow_unknown_chunksizes : bool
        As dask's: join arrays whose lengths along the other axes are unknown (nan) unchecked (they must match,
        with as many blocks); without it such arrays raise ``ValueError``.
    dtype, casting
        NumPy's arguments: ``dtype`` casts the inputs.

    Returns
    -------
    Array
        The joined array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.hstack([ga.asarray([1, 2]), ga.asarray([3])]).compute().tolist()
    [1, 2, 3]
    >>> ga.hstack([ga.ones((2, 1)), ga.zeros((2, 2))]).shape
    (2, 3)
    """
    parts = cast_parts([_at_least(p, 1) for p in as_arrays(tup)], dtype, casting)
    return _concat(parts, 0 if not parts or parts[0].ndim == 1 else 1, allow_unknown_chunksizes)  # []: concat's error


@implements("column_stack")
def column_stack(tup: Any) -> Array:
    """Stack 1-d arrays as the columns of a 2-d array, as ``numpy.column_stack`` (2-d arrays are joined as they
    are, as :func:`hstack`; a 0-d array is one row of one column).

    Parameters
    ----------
    tup : sequence of Array
        1-d arrays of one length, or 2-d arrays of as many rows.

    Returns
    -------
    Array
        2-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.column_stack([ga.asarray([1, 2]), ga.asarray([3, 4])]).compute().tolist()
    [[1, 3], [2, 4]]
    """
    from gpuscale.array.manipulation import expand_dims

    parts = [expand_dims(p, axis=-1) if p.ndim == 1 else _at_least(p, 2) for p in as_arrays(tup)]
    return _concat(parts, 1)


@implements("dstack")
def dstack(tup: Any, allow_unknown_chunksizes: bool = False) -> Array:
    """Stack arrays along the third axis (depth), as ``numpy.dstack`` (inputs made :func:`atleast_3d`).

    Parameters
    ----------
    tup : sequence of Array
        Arrays with equal shapes except along the third axis (after :func:`atleast_3d`).
    allow_unknown_chunksizes : bool
        As dask's: join arrays whose lengths along the other axes are unknown (nan) unchecked (they must match,
        with as many blocks); without it such arrays raise ``ValueError``.

    Returns
    -------
    Array
        At least 3-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.dstack([ga.ones((2, 3)), ga.zeros((2, 3))]).shape
    (2, 3, 2)
    """
    return _concat([_at_least(p, 3) for p in as_arrays(tup)], 2, allow_unknown_chunksizes)


def _depth_and_ndim(arrays: Any, path: tuple) -> tuple:
    """``(list depth, largest array ndim, path of an empty list or None)`` of a nested list, checking NumPy's
    rules (mismatched depths are reported before an empty list, as NumPy)."""
    if isinstance(arrays, tuple):
        raise TypeError(f"arrays{''.join(f'[{i}]' for i in path)} is a tuple. Only lists can be used to arrange "
                        "blocks, and np.block does not allow implicit conversion from tuple to ndarray.")
    if not isinstance(arrays, list):
        return 0, getattr(arrays, "ndim", 0) if hasattr(arrays, "ndim") else as_array(arrays).ndim, None
    if not arrays:
        return 1, 0, path
    found = [_depth_and_ndim(a, path + (i,)) for i, a in enumerate(arrays)]
    depths = {d for d, _, _ in found}
    if len(depths) > 1:
        raise ValueError(f"List depths are mismatched. The nested lists under arrays{''.join(f'[{i}]' for i in path)}"
                         f" have depths {sorted(depths)}")
    empty = next((e for _, _, e in found if e is not None), None)
    return depths.pop() + 1, max(n for _, n, _ in found), empty


@implements("block")
def block(arrays: Any, allow_unknown_chunksizes: bool = False) -> Array:
    """Assemble an array from nested lists of blocks, as ``numpy.block``.

    The innermost lists are joined along the last axis, the next level along the one before, and so on;
    every block is first given the result's number of dimensions (new axes in front).

    Parameters
    ----------
    arrays : nested list of Array
        Lists (not tuples) of equal depth; the leaves are arrays or scalars.
    allow_unknown_chunksizes : bool
        As dask's: join arrays whose lengths along the other axes are unknown (nan) unchecked (they must match,
        with as many blocks); without it such arrays raise ``ValueError``.

    Returns
    -------
    Array
        The assembled array; each input keeps its blocks.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a, b = ga.ones((2, 2), dtype=ga.int64), ga.zeros((2, 1), dtype=ga.int64)
    >>> ga.block([[a, b], [ga.zeros((1, 3), dtype=ga.int64)]]).compute().tolist()
    [[1, 1, 0], [1, 1, 0], [0, 0, 0]]
    """
    from gpuscale.array.manipulation import reshape

    depth, ndim, empty = _depth_and_ndim(arrays, ())
    if empty is not None:
        raise ValueError(f"List at arrays{''.join(f'[{i}]' for i in empty)} cannot be empty")
    ndim = max(depth, ndim)
    backend = backend_of(arrays)

    def assemble(node: Any, level: int) -> Array:
        if level == depth:  # new axes in front (atleast_3d would put a 2-d array's third axis last)
            leaf = as_array(node, backend)
            return leaf if leaf.ndim >= ndim else reshape(leaf, (1,) * (ndim - leaf.ndim) + leaf.shape)
        return _concat_nonempty([assemble(child, level + 1) for child in node], ndim - depth + level,
                                allow_unknown_chunksizes)

    return assemble(arrays, 0)


@implements("ravel")
def ravel(array_like: Any, order: str = "C") -> Array:
    """The array as one dimension, in C order, as ``numpy.ravel``.

    Parameters
    ----------
    array_like : Array
        Input (array-likes are converted).
    order : {"C"}
        Only C order.

    Returns
    -------
    Array
        1-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ravel(ga.asarray([[1, 2], [3, 4]])).compute().tolist()
    [1, 2, 3, 4]
    """
    from gpuscale.array.manipulation import reshape

    if order != "C":
        raise NotImplementedError(f"ravel: only order='C' is supported, not {order!r}")
    return reshape(as_array(array_like), (-1,))


@implements("append")
def append(arr: Any, values: Any, axis: Any = None) -> Array:
    """``values`` joined to the end of ``arr``, as ``numpy.append`` (flattened when ``axis`` is None).

    Parameters
    ----------
    arr, values : Array
        The array and what to append (same shape except along ``axis``).
    axis : int or None
        The axis; ``None`` flattens both first.

    Returns
    -------
    Array
        A new array (``arr`` is unchanged).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.append(ga.asarray([1, 2]), [[3, 4]]).compute().tolist()
    [1, 2, 3, 4]
    """
    arr, values = as_arrays([arr, values])
    if axis is None:
        return _concat([ravel(arr), ravel(values)], 0)
    return _concat([arr, values], axis)


def _positions(obj: Any, n: int, what: str) -> tuple[list[int], bool]:
    """Integer positions of ``obj`` (int, slice, sequence, in-memory array) and whether it was a scalar."""
    if isinstance(obj, slice):
        return list(range(*obj.indices(n))), False
    if hasattr(obj, "ndim") and not isinstance(obj, Array) and obj.ndim == 0 or isinstance(obj, int):
        return [operator.index(obj)], True
    if isinstance(obj, Array):
        from gpuscale.backends import array as chunkfn

        obj = chunkfn.host_array(chunkfn.to_backend(obj.compute(), "numpy")).tolist()
    values = list(obj.tolist() if hasattr(obj, "tolist") else obj)
    if values and all(isinstance(v, bool) for v in values):
        raise NotImplementedError(f"{what}: boolean masks as obj are not supported; pass integer positions")
    return [operator.index(v) for v in values], False


def _take_slab(x: Array, axis: int, lo: int, hi: int) -> Array:
    return x[(slice(None),) * axis + (slice(lo, hi),)]


@implements("insert")
def insert(arr: Any, obj: Any, values: Any, axis: Any = None) -> Array:
    """``values`` inserted before the positions ``obj`` along ``axis``, as ``numpy.insert``.

    Parameters
    ----------
    arr : Array
        Input.
    obj : int, slice or sequence of int
        Positions before which to insert (``len(arr)`` appends).  One int inserts ``values`` as a
        slab (its leading axis may hold several rows); a sequence inserts one slice per position.
    values : array_like
        Broadcast to the inserted shape and cast to ``arr``'s dtype.
    axis : int or None
        The axis; ``None`` flattens ``arr`` first (NumPy; dask.array needs it given).

    Returns
    -------
    Array
        The longer array; ``arr``'s blocks are kept, the inserted values are blocks of their own.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1, 2], [3, 4]], chunks=1)
    >>> ga.insert(x, 1, [9, 9], axis=0).compute().tolist()
    [[1, 2], [9, 9], [3, 4]]
    >>> ga.insert(x, [0, 2], 0, axis=1).compute().tolist()
    [[0, 1, 2, 0], [0, 3, 4, 0]]
    """
    from gpuscale.array.manipulation import broadcast_to, moveaxis, reshape

    arr = as_array(arr)
    if axis is None:
        arr, axis = ravel(arr), 0
    (axis,) = normalize_axis(axis, arr.ndim)
    n = _known_length(arr, axis, "insert")
    positions, scalar = _positions(obj, n, "insert")
    for p in positions:
        if not -n <= p <= n:
            raise IndexError(f"index {p} is out of bounds for axis {axis} with size {n}")
    positions = [p % n if p < 0 else p for p in positions]
    values = as_array(values, arr.backend).astype(arr.dtype)
    if values.ndim < arr.ndim:
        values = reshape(values, (1,) * (arr.ndim - values.ndim) + values.shape)
    if scalar:
        values = moveaxis(values, 0, axis)
        width = values.shape[axis]
        slab = broadcast_to(values, arr.shape[:axis] + (width,) + arr.shape[axis + 1:])
        return _concat([_take_slab(arr, axis, 0, positions[0]), slab, _take_slab(arr, axis, positions[0], n)], axis)
    slabs = broadcast_to(values, arr.shape[:axis] + (len(positions),) + arr.shape[axis + 1:])
    parts, previous = [], 0
    for position, j in sorted(zip(positions, range(len(positions)))):  # stable: equal positions keep their order
        parts += [_take_slab(arr, axis, previous, position), _take_slab(slabs, axis, j, j + 1)]
        previous = position
    parts.append(_take_slab(arr, axis, previous, n))
    return _concat([p for p in parts if p.shape[axis]] or [_take_slab(arr, axis, 0, 0)], axis)


def _known_length(arr: Array, axis: int, name: str) -> int:
    """``arr``'s length along ``axis``, which positions are counted in (an unknown one cannot be)."""
    n = arr.shape[axis]
    if _chunks.is_unknown(n):
        raise ValueError(f"{name}: the length of axis {axis} is unknown (after a data-dependent operation such as "
                         "boolean indexing), so positions cannot be placed; call x.compute_chunk_sizes() first")
    return n


@implements("delete")
def delete(arr: Any, obj: Any, axis: Any = None) -> Array:
    """``arr`` without the positions ``obj`` along ``axis``, as ``numpy.delete``.

    Parameters
    ----------
    arr : Array
        Input.
    obj : int, slice or sequence of int
        Positions to remove (negative ones count from the end; repeats are removed once).
    axis : int or None
        The axis; ``None`` flattens ``arr`` first (NumPy; dask.array needs it given).

    Returns
    -------
    Array
        The kept runs of ``arr``, joined.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.delete(ga.arange(6, chunks=2), [0, 3, -1], axis=0).compute().tolist()
    [1, 2, 4]
    """
    arr = as_array(arr)
    if axis is None:
        arr, axis = ravel(arr), 0
    (axis,) = normalize_axis(axis, arr.ndim)
    n = _known_length(arr, axis, "delete")
    positions, _ = _positions(obj, n, "delete")
    for p in positions:
        if not -n <= p < n:
            raise IndexError(f"index {p} is out of bounds for axis {axis} with size {n}")
    gone = sorted({p % n for p in positions})
    parts, start = [], 0
    for p in gone + [n]:
        if p > start:
            parts.append(_take_slab(arr, axis, start, p))
        start = p + 1
    return _concat(parts, axis) if parts else _take_slab(arr, axis, 0, 0)
