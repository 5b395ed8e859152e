"""Indexing with arrays: a boolean mask (``x[mask]``, lengths unknown until computed unless in memory), integer
arrays (``x[[3, 0]]``, ``x[i, j]``), ``take`` and ``take_along_axis``."""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.slicing import UnknownLengthError, basic_getitem
from gpuscale.backends import array as chunkfn

__all__ = ["take", "take_along_axis", "MaskShapeError"]


class MaskShapeError(IndexError, ValueError):
    """A boolean index whose shape does not match the array's: an ``IndexError`` as NumPy raises, and a
    ``ValueError`` as dask.array raises."""


def _masked(x: Array, key: tuple, position: int, apart: bool = False) -> Array:
    """``x[mask]``: known length at once when ``x`` and the mask are in memory, else nan until computed.

    ``apart``: the mask and an integer of ``key`` are not next to each other (``x[1, :, mask]``), so the selected
    elements' axis comes first, as NumPy puts it."""
    from gpuscale.array.data_dependent import known_when_in_memory
    from gpuscale.array.manipulation import moveaxis

    out = _boolean_getitem(x, key, position)
    if apart:  # the mask's axis is where the ints and Nones before it leave it
        out = moveaxis(out, sum(1 for k in key[:position] if k is None or isinstance(k, slice)), 0)
    (out,) = known_when_in_memory((x, key[position]), (out,))
    return out


def _boolean_getitem(x: Array, key: tuple, position: int) -> Array:
    from gpuscale.array.manipulation import expand_dims, rechunk, reshape

    mask = key[position]
    if any(k is not mask and k != slice(None) for k in key):  # the basic indices (before or after it) first
        basic = sum(((slice(None),) * mask.ndim if k is mask else (k,) for k in key), ())
        at = sum(1 for k in key[:position] if k is None or isinstance(k, slice))  # ints drop their axis
        return _boolean_getitem(basic_getitem(x, basic), (slice(None),) * at + (mask,), at)
    if mask.ndim == 0:
        return _boolean_getitem(expand_dims(x, axis=position), (slice(None),) * position + (
            reshape(mask, (1,)),), position)
    dims = range(position, position + mask.ndim)
    x = _fit_mask(x, mask, position)
    # C order of the selected elements = block order once the masked axes after the first are whole
    x = rechunk(x, {d: -1 for d in dims if d != position})
    mask = rechunk(mask, (x.chunks[position],) + (-1,) * (mask.ndim - 1))  # -1: also where lengths are unknown
    out_ind = tuple(d for d in range(x.ndim) if d not in dims or d == position)
    lengths = _selected_per_block(mask, x.chunks[position])
    chunks = tuple(lengths if d == position else x.chunks[d] for d in out_ind)
    # unknown block lengths are assumed to line up (as in element-wise operations): checked when computed
    func = _checked_mask if any(map(_chunks.is_unknown, x.chunks[position])) else chunkfn.boolean_mask
    node = blockwise_expr(func, out_ind, chunks, x.dtype, x.backend, x._expr, mask._expr, position,
                          arg_inds=(tuple(range(x.ndim)), tuple(dims), None))
    return Array(node)


def _checked_mask(x: Any, mask: Any, position: int) -> Any:
    """``boolean_mask`` of a block whose length was unknown when the graph was built, checked first: a mask
    from another data-dependent selection would otherwise fail with NumPy's bare IndexError."""
    if x.shape[position] != mask.shape[0]:
        raise MaskShapeError(f"boolean index: blocks of unknown length do not line up along axis {position} "
                             f"(lengths {[x.shape[position], mask.shape[0]]}): the array and the mask come from "
                             "different data-dependent selections; call .compute_chunk_sizes() on them first")
    return chunkfn.boolean_mask(x, mask, position)


def _selected_per_block(mask: Array, blocks: tuple) -> tuple:
    """How many elements each block along the masked axis selects: known when the mask is in memory (whatever
    the data: ``x[mask]`` and ``(x * 10)[mask]`` then line up, as two unknown selections of one mask do in
    dask), 0 for an empty mask, else unknown until computed."""
    from gpuscale.array.data_dependent import in_memory, in_memory_values

    if mask.size == 0:  # an empty mask selects nothing: no need to wait for data
        return tuple(0 for _ in blocks)
    if not in_memory(mask) or any(_chunks.is_unknown(n) for n in blocks):
        return tuple(_chunks.NAN for _ in blocks)
    values = chunkfn.host_index(in_memory_values(mask))  # the mask's rows in x's blocks (its other axes whole)
    bounds = [*_chunks.offsets(blocks), sum(blocks)]
    return tuple(int(values[lo:hi].sum()) for lo, hi in zip(bounds, bounds[1:]))


def _fit_mask(x: Array, mask: Array, position: int) -> Array:
    """``x`` with the axes where the mask has length 0 cut to length 0 (NumPy accepts such masks).

    Raises
    ------
    MaskShapeError
        If the mask's shape differs from ``x``'s shape at ``position`` otherwise (an IndexError and a ValueError).
    """
    sizes = x.shape[position:position + mask.ndim]
    fits = [m == 0 or _chunks.same_dim((m,), (n,)) for m, n in zip(mask.shape, sizes)]
    if len(sizes) == mask.ndim and not all(fits) and any(map(_chunks.is_unknown, mask.shape + sizes)):
        raise MaskShapeError(f"boolean index of shape {mask.shape} cannot be matched with the array's shape {x.shape} "
                             f"at axis {position}: a length is unknown (after a data-dependent operation such as "
                             "boolean indexing); call x.compute_chunk_sizes() (and on the mask) first")
    if len(sizes) != mask.ndim or not all(fits):
        raise MaskShapeError(f"boolean index of shape {mask.shape} does not match the array's shape {x.shape} at "
                         f"axis {position}")
    empty = {position + i for i, m in enumerate(mask.shape) if m == 0}
    return basic_getitem(x, tuple(slice(0, 0) if d in empty else slice(None) for d in range(x.ndim)))


def _integer_getitem(x: Array, key: tuple, positions: list[int], apart: bool = False) -> Array:
    """``x[key]`` with integer arrays at ``positions``, in NumPy's layout: the arrays' broadcast dimensions where
    the first of them is when the advanced indices (arrays and integers) are adjacent, else (or when ``apart``:
    an Ellipsis for no axes parted them) first; ``None`` adds an axis where it stands among the others."""
    from gpuscale.array.manipulation import expand_dims, moveaxis

    advanced = [i for i, k in enumerate(key) if is_array(k) or isinstance(k, int)]
    adjacent = advanced == list(range(advanced[0], advanced[-1] + 1)) and not apart
    if adjacent and not any(k is None for k in key):
        return _adjacent_integer_getitem(x, key, positions)
    plain = tuple(k for k in key if k is not None)
    out = _adjacent_integer_getitem(x, plain, [i for i, k in enumerate(plain) if is_array(k)])
    k = len(_index_shape([key[p] for p in positions]))
    if not adjacent:  # NumPy puts the broadcast dimensions first
        start = sum(1 for item in key[:positions[0]] if isinstance(item, slice))  # (ints drop their axis)
        out = moveaxis(out, tuple(range(start, start + k)), tuple(range(k)))
    dims, new_axes = (k if not adjacent else 0), []
    for i, item in enumerate(key):
        if item is None:
            new_axes.append(dims)
        dims += 1 if item is None or isinstance(item, slice) else (k if adjacent and i == advanced[0] else 0)
    return expand_dims(out, axis=tuple(new_axes)) if new_axes else out


def _index_shape(index_arrays: list) -> tuple:
    """The broadcast shape of integer index arrays.

    Raises
    ------
    IndexError
        If they do not broadcast, in NumPy's words (an indexing error, not an operands' ValueError).
    """
    from gpuscale.array.elementwise import broadcast_shapes

    shapes = [a.shape for a in index_arrays]
    try:
        return broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together with shapes "
                         + " ".join(str(s).replace(" ", "") for s in shapes)) from None


def _adjacent_integer_getitem(x: Array, key: tuple, positions: list[int]) -> Array:
    from gpuscale.array.manipulation import broadcast_to, moveaxis, reshape

    basic = tuple(slice(None) if is_array(k) else k for k in key)
    kept = [i for i, k in enumerate(key) if is_array(k) or isinstance(k, slice)]
    x = basic_getitem(x, basic)
    index_arrays = [key[p] for p in positions]
    positions = [kept.index(p) for p in positions]
    if len(index_arrays) == 1:
        return take(x, index_arrays[0], axis=positions[0], _nd=True)
    shape = _index_shape(index_arrays)
    start = positions[0]
    if positions != list(range(start, start + len(positions))):
        # apart (x[[0, 1], :, [1, 2]]): the indexed axes side by side where the first is; the caller puts the
        # broadcast dimensions first, as NumPy, from there
        together = list(range(start, start + len(positions)))
        x, positions = moveaxis(x, positions, together), together
    dims = [x.shape[p] for p in positions]
    flat_index = None
    for a, p, n in zip(index_arrays, positions, dims):
        a = broadcast_to(_wrap_negative(a, n, p), shape)
        flat_index = a if flat_index is None else flat_index * n + a
    merged = reshape(x, x.shape[:start] + (math.prod(dims),) + x.shape[start + len(dims):])
    return take(merged, flat_index, axis=start, _nd=True)


def index_on(x: Array, indices: Array) -> Array:
    """``indices`` on ``x``'s chunk library: a lazy index held elsewhere (the device positions of an ``argmax``
    picking from xarray's NumPy coordinate, as ``idxmax`` does) is moved there explicitly while the graph is
    built, for the index is no larger than the result, and no chunk library takes with another's array."""
    return indices if indices.backend == x.backend else indices.to_backend(x.backend)


def _wrap_negative(index: Array, length: int, axis: int) -> Array:
    from gpuscale.array.searching import where

    return where(index < 0, index + length, index)


def take(x: Array, /, indices: Any, axis: int | None = None, *, _nd: bool = False) -> Array:
    """Elements of ``x`` at integer ``indices`` along ``axis``, as the standard's and NumPy's ``take``.

    An index already in memory (a list, a NumPy / CuPy array, an in-memory gpuscale array) is planned
    now, as in dask.array: the output axis comes in blocks of the input's mean block length (a 1-d gpuscale
    index: in its own blocks), each reading only the input blocks holding its elements, and out-of-bounds
    entries raise ``IndexError`` at once.  A lazy index gives its own blocks in place of ``axis``, each
    task reading one input block and one index block (out-of-bounds entries raise when computed).  The
    other axes keep their blocks either way.

    Parameters
    ----------
    x : Array
        Input.
    indices : Array or array-like
        0-d or 1-d integer positions (negative count from the end); a single position removes ``axis``, as in NumPy.
    axis : int, optional
        Axis to take along; may be None only for a 1-d ``x``.

    Returns
    -------
    Array
        ``x`` with the ``axis`` dimension replaced by one of ``len(indices)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([10, 20, 30, 40], chunks=2)
    >>> ga.take(x, ga.asarray([3, 0, 0])).compute().tolist()
    [40, 10, 10]
    >>> ga.take(ga.asarray([[1, 2], [3, 4]]), [1], axis=1).compute().tolist()
    [[2], [4]]
    """
    from gpuscale.array._operands import as_array, backend_of
    from gpuscale.array.creation import asarray
    from gpuscale.array.gather import LazyTake, host_take, planned_index
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.statistical import normalize_axis

    x = as_array(x, backend_of(x, indices))  # NumPy data with gpuscale indices, as dask
    if axis is None:
        if x.ndim != 1:
            raise ValueError("take: axis= is required for arrays with more than one dimension")
        axis = 0
    (axis,) = normalize_axis(axis, x.ndim)
    shape = indices.shape if is_array(indices) else chunkfn.host_index(indices).shape
    ndim = len(shape)
    if not _nd and ndim > 1:  # (the shape of a list's indices too: it said "got shape ()")
        raise ValueError(f"take: indices must be 0-d or 1-d, got shape {tuple(shape)}")
    values = planned_index(x, indices, axis) if ndim else None
    if values is not None:  # in memory: planned now, in bounded blocks (gpuscale/array/gather.py)
        # an index cut in blocks gives its own (as dask); one block (a list or NumPy key, converted) is re-cut
        own = indices.chunks[0] if is_array(indices) and ndim == 1 and len(indices.chunks[0]) > 1 else None
        return host_take(x, values, axis, own)
    indices = index_on(x, indices) if is_array(indices) else asarray(indices, backend=x.backend)
    if indices.ndim == 0:
        return take(x, reshape(indices, (1,)), axis=axis, _nd=True)[(slice(None),) * axis + (0,)]
    if not any(_chunks.is_unknown(n) for n in x.chunks[axis]):
        return Array(LazyTake(x._expr, indices._expr, axis))  # each task: one input block and one index block
    if len(x.chunks[axis]) > 1:  # which block holds position i is unknown
        raise UnknownLengthError(f"Array chunk size or shape is unknown: indexing axis {axis} with an integer array "
                                 f"needs the lengths of its blocks {x.chunks[axis]} (after a data-dependent operation "
                                 "such as boolean indexing); call x.compute_chunk_sizes() first")
    n = indices.ndim
    out_ind = tuple(range(axis)) + tuple(100 + i for i in range(n)) + tuple(range(axis + 1, x.ndim))
    chunks = x.chunks[:axis] + indices.chunks + x.chunks[axis + 1:]
    node = blockwise_expr(chunkfn.take_nd, out_ind, chunks, x.dtype, x.backend, x._expr, indices._expr, axis,
                          arg_inds=(tuple(range(x.ndim)), tuple(100 + i for i in range(n)), None))
    return Array(node)


def take_along_axis(x: Array, indices: Any, /, *, axis: int | None = -1) -> Array:
    """Pick elements along ``axis`` with an index array, as ``numpy.take_along_axis``.

    Parameters
    ----------
    x : Array
        Input.
    indices : Array or array_like
        Integer positions along ``axis``, with ``x.ndim`` dimensions (the others broadcast against ``x``);
        in-memory (NumPy) positions are moved to ``x``'s chunk library.
    axis : int or None
        The axis the indices point along (None: along the flattened ``x``, ``indices`` one-dimensional, as NumPy).

    Returns
    -------
    Array
        Shaped as the broadcast of ``x`` and ``indices``, with ``indices``' length along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[3, 1, 2], [9, 7, 8]], chunks=2)
    >>> ga.take_along_axis(x, ga.argsort(x, axis=1), axis=1).compute().tolist()
    [[1, 2, 3], [7, 8, 9]]
    """
    from gpuscale.array._operands import as_array, backend_of
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.manipulation import broadcast_to, rechunk
    from gpuscale.array.statistical import normalize_axis

    x = as_array(x, backend_of(x, indices))
    indices = as_array(indices, x.backend)  # NumPy positions (or a list), as ``take``
    if axis is None:  # NumPy's: the flattened array, one-dimensional indices
        if indices.ndim != 1:
            raise ValueError("take_along_axis: when axis=None, `indices` must have a single dimension")
        x, axis = x.reshape(-1), 0
    (axis,) = normalize_axis(axis, x.ndim)
    if indices.ndim != x.ndim:
        raise ValueError(f"take_along_axis: indices need {x.ndim} dimensions, got {indices.ndim}")
    other = broadcast_shapes(_without(x.shape, axis), _without(indices.shape, axis))
    x = broadcast_to(x, other[:axis] + (x.shape[axis],) + other[axis + 1:])
    indices = broadcast_to(index_on(x, indices), other[:axis] + (indices.shape[axis],) + other[axis + 1:])
    x = rechunk(x, {axis: -1})
    indices = rechunk(indices, {d: c for d, c in enumerate(x.chunks) if d != axis})
    ind = tuple(range(x.ndim))
    x_ind = tuple(d if d != axis else 1000 for d in ind)
    node = blockwise_expr(chunkfn.take_along_axis, ind, indices.chunks, x.dtype, x.backend,
                          x._expr, indices._expr, axis, arg_inds=(x_ind, ind, None))
    return Array(node)


def _without(shape: tuple, axis: int) -> tuple:
    return shape[:axis] + (1,) + shape[axis + 1:]
