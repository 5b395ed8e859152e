"""Manipulation functions: ``reshape``, ``concat``, ``stack``, ``permute_dims``, ``flip``, ``roll``, ...

Most are ``Blockwise`` (block structure mapped, one task per block) or ``Concatenate`` (blocks re-labelled, no
data touched: ``concatenation``).  ``reshape`` and ``rechunk`` have modules of their own and are offered here too.
"""

from __future__ import annotations

import numbers
import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array._operands import as_array
from gpuscale.array.core import Array, zero_d_like
from gpuscale.array.concatenation import Concatenate, concat
from gpuscale.array.creation import asarray, chunk_bytes, normalize
from gpuscale.array.expr import BlockShape, blockwise_expr
from gpuscale.array.rechunking import rechunk
from gpuscale.array.reshaping import reshape
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["rechunk", "reshape", "concat", "stack", "expand_dims", "squeeze", "permute_dims", "transpose", "flip",
           "roll", "broadcast_to", "broadcast_arrays", "moveaxis", "repeat", "tile", "unstack", "Concatenate"]


def _map(x: Array, name: str, out_ind: tuple, chunks: tuple, arg_ind: tuple, *extra: Any, dtype: Any = None,
         **kwargs: Any) -> Array:
    """A Blockwise call of namespace function ``name`` on the blocks of ``x``."""
    node = blockwise_expr(chunkfn.xp_call, out_ind, chunks, dtype or x.dtype, x.backend, name, x._expr, *extra,
                          arg_inds=(None, arg_ind) + (None,) * len(extra), kwargs=kwargs)
    return Array(node)


def permute_dims(x: Array, /, axes: tuple) -> Array:
    """Reorder the dimensions: output axis ``i`` is input axis ``axes[i]``.

    Parameters
    ----------
    x : Array
        Input.
    axes : tuple of int
        A permutation of ``range(x.ndim)``.

    Returns
    -------
    Array
        A lazy view with its blocks reordered the same way.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(6), (2, 3))
    >>> ga.permute_dims(x, (1, 0)).compute().tolist()
    [[0, 3], [1, 4], [2, 5]]
    """
    axes = tuple(a % x.ndim for a in axes) if x.ndim else tuple(axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"axes {axes} are not a permutation of the {x.ndim} dimensions")
    if axes == tuple(range(x.ndim)):
        return x  # nothing moves: the array itself, as dask (no task added)
    chunks = tuple(x.chunks[a] for a in axes)
    return zero_d_like(x, _map(x, "permute_dims", axes, chunks, tuple(range(x.ndim)), axes=axes))


def transpose(x: Array, /, axes: Any = None) -> Array:
    """Reorder the dimensions, as ``numpy.transpose``: reversed when ``axes`` is None, else as ``permute_dims``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.ones((2, 3, 4), chunks=2)
    >>> ga.transpose(x).shape, ga.transpose(x, (1, 0, 2)).shape
    ((4, 3, 2), (3, 2, 4))
    """
    return permute_dims(x, tuple(reversed(range(x.ndim))) if axes is None else tuple(axes))


def moveaxis(x: Array, /, source: Any, destination: Any) -> Array:
    """Move axes to new positions, keeping the order of the others.

    Parameters
    ----------
    x : Array
        Input.
    source : int or tuple of int
        Axes to move.
    destination : int or tuple of int
        Their positions in the result.

    Returns
    -------
    Array
        The same elements, dimensions reordered.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.zeros((2, 3, 4))
    >>> ga.moveaxis(x, 0, -1).shape, ga.moveaxis(x, (0, 1), (2, 0)).shape
    ((3, 4, 2), (3, 4, 2))
    """
    source, destination = _ordered_axes(source, x.ndim, "source"), _ordered_axes(destination, x.ndim, "destination")
    if len(source) != len(destination):
        raise ValueError("moveaxis: source and destination need the same number of axes")
    order = [d for d in range(x.ndim) if d not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return permute_dims(x, tuple(order))


def _ordered_axes(axes: Any, ndim: int, what: str) -> tuple:
    """``axes`` (an int or a sequence) as non-negative ints in their order, with NumPy's errors (an axis out of
    range is an ``AxisError``, not taken modulo ``ndim``)."""
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    for a in axes:
        normalize_axis(a, ndim)
    out = tuple(a % ndim for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in `{what}` argument")
    return out


def expand_dims(x: Array, /, axis: Any = 0) -> Array:
    """Insert length-one dimensions at ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int or tuple of int
        Positions of the new dimensions in the result.

    Returns
    -------
    Array
        ``x.ndim + len(axis)`` dimensions; the new ones have one block of length one.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6, chunks=3)
    >>> ga.expand_dims(x, axis=0).shape, ga.expand_dims(x, axis=(0, 2)).shape
    ((1, 6), (1, 6, 1))
    """
    x = as_array(x)  # a NumPy array too (xarray hands over its in-memory operands)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = x.ndim + len(axes)
    new = sorted(a % ndim if -ndim <= a < ndim else _axis_error(a, ndim) for a in axes)
    if len(set(new)) != len(new):
        raise ValueError(f"repeated axis in {axis!r}")
    kept = [d for d in range(ndim) if d not in new]
    it = iter(x.chunks)
    chunks = tuple((1,) if d in new else next(it) for d in range(ndim))
    return _unit_axes(x, tuple(None if d in new else slice(None) for d in range(ndim)), tuple(range(ndim)),
                      chunks, tuple(kept))


def _axis_error(axis: int, ndim: int) -> int:
    from gpuscale.array.statistical import AxisError

    raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")


def squeeze(x: Array, /, axis: Any = None) -> Array:
    """Remove length-one dimensions.

    Parameters
    ----------
    x : Array
        Input.
    axis : int or tuple of int, optional
        Dimensions to remove; each must have length one.  None (NumPy's and dask's default) removes every
        dimension of length one.

    Returns
    -------
    Array
        The same elements with fewer dimensions.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.zeros((1, 4, 1))
    >>> ga.squeeze(x, axis=0).shape, ga.squeeze(x, axis=(0, 2)).shape
    ((4, 1), (4,))
    """
    if axis is None:
        axis = tuple(d for d, n in enumerate(x.shape) if n == 1)
    axes = normalize_axis(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"cannot squeeze axis {a}: its length is {x.shape[a]}, not 1")
    split = {a: -1 for a in axes if len(x.chunks[a]) > 1}
    if split:
        x = rechunk(x, split)  # empty blocks beside the element ((0, 1)): the key 0 takes one block per axis
    kept = tuple(d for d in range(x.ndim) if d not in axes)
    chunks = tuple(x.chunks[d] for d in kept)
    return zero_d_like(x, _unit_axes(x, tuple(0 if d in axes else slice(None) for d in range(x.ndim)), kept,
                                     chunks, tuple(range(x.ndim))))


def _unit_axes(x: Array, key: tuple, out_ind: tuple, chunks: tuple, arg_ind: tuple) -> Array:
    """Length-1 axes added (``None`` in ``key``) or removed (``0``) block by block: indexing needs no block
    shape, so blocks of unknown length (after boolean indexing) work too."""
    return Array(blockwise_expr(chunkfn.getitem, out_ind, chunks, x.dtype, x.backend, x._expr, key,
                                arg_inds=(arg_ind, None)))


def broadcast_to(x: Array, /, shape: tuple, chunks: Any = None) -> Array:
    """``x`` repeated (lazily, without copying blocks) to ``shape``, by NumPy's broadcasting rules.

    Parameters
    ----------
    x : Array
        Input; its dimensions align with the last ones of ``shape``.
    shape : tuple of int
        The result's shape.
    chunks : optional
        The result's chunks (dask's): any along the new and broadcast axes, those of ``x`` along the others.

    Returns
    -------
    Array
        Of ``shape``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.broadcast_to(ga.asarray([1, 2, 3]), (2, 3)).compute().tolist()
    [[1, 2, 3], [1, 2, 3]]
    """
    x = asarray(x) if not isinstance(x, Array) else x
    if chunks is None and _chunks.same_dim(tuple(shape), x.shape):
        return x  # nothing to broadcast (the shape may have unknown lengths)
    shape = _target_shape(x, shape)
    if any(_chunks.is_unknown(n) for n in shape):
        return _broadcast_to_unknown(x, shape, chunks)
    offset = len(shape) - x.ndim
    fixed = {offset + d: c for d, c in enumerate(x.chunks) if _chunks.same_dim((x.shape[d],), (shape[offset + d],))}
    if chunks is not None:
        chunks = normalize(chunks, shape, x.dtype, x.backend)
        for d, kept in fixed.items():
            if chunks[d] != kept:
                raise ValueError(f"broadcast_to: chunks {chunks[d]} along axis {d} differ from the array's "
                                 f"{kept}, which that axis keeps (only new and broadcast axes take new chunks)")
    if shape == x.shape:
        return x
    if chunks is None:
        auto = _chunks.auto_chunks(shape, x.dtype.itemsize, chunk_bytes(x.backend), {d: shape[d] for d in fixed})
        chunks = tuple(fixed.get(d, auto[d]) for d in range(len(shape)))
    return _map(x, "broadcast_to", tuple(range(len(shape))), chunks, tuple(range(offset, len(shape))),
                BlockShape())


def _target_shape(x: Array, shape: tuple) -> tuple:
    """``shape`` as ints (unknown lengths stay nan), checked against ``x``'s by NumPy's broadcasting rules.

    Raises
    ------
    ValueError
        If ``x`` does not broadcast to ``shape``, or would have to grow from length 1 to an unknown length
        (its blocks cannot be cut without the lengths).
    """
    shape = tuple(n if _chunks.is_unknown(n) else int(n) for n in shape)
    offset = len(shape) - x.ndim
    if offset < 0 or any(n != 1 and not _chunks.same_dim((n,), (m,)) for n, m in zip(x.shape, shape[offset:])):
        raise ValueError(f"operands could not be broadcast together with remapped shapes "
                         f"[original->remapped]: {x.shape} and requested shape {shape}")
    if any(_chunks.is_unknown(n) for n in shape[:offset]) or any(
            n == 1 and _chunks.is_unknown(m) for n, m in zip(x.shape, shape[offset:])):
        raise ValueError(f"broadcast_to: cannot broadcast {x.shape} to the unknown lengths of {shape} (after a "
                         "data-dependent operation such as boolean indexing); call x.compute_chunk_sizes() first")
    return shape


def broadcast_arrays(*arrays: Array) -> tuple:
    """Broadcast arrays against each other.

    Parameters
    ----------
    *arrays : Array
        Arrays with compatible shapes.

    Returns
    -------
    tuple of Array
        Each input broadcast to the common shape (a tuple, as NumPy 2 and dask).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a, b = ga.broadcast_arrays(ga.asarray([[1], [2]]), ga.asarray([10, 20, 30]))
    >>> a.shape, b.shape, b.compute().tolist()
    ((2, 3), (2, 3), [[10, 20, 30], [10, 20, 30]])
    """
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.rechunk import align_chunks

    arrays = [a if isinstance(a, Array) else asarray(a) for a in arrays]
    shape = broadcast_shapes(*(a.shape for a in arrays))
    if not arrays:
        return ()
    if any(_chunks.is_unknown(n) for n in shape):
        return _broadcast_unknown(arrays, shape)
    # the blocks of the inputs lined up (as element-wise operations line them up), and every output blocked
    # alike along each axis, as dask's broadcast_arrays unifies them
    aligned = [Array(e) for e in align_chunks([a._expr for a in arrays], len(shape), "broadcast_arrays")]
    common = []
    for d, n in enumerate(shape):
        along = [a.chunks[d - len(shape) + a.ndim] for a in aligned
                 if d - len(shape) + a.ndim >= 0 and a.shape[d - len(shape) + a.ndim] == n]
        common.append(along[0] if along else None)
    if any(c is None for c in common):
        return tuple(broadcast_to(a, shape) for a in aligned)
    return tuple(broadcast_to(a, shape, chunks=tuple(common)) for a in aligned)


def _broadcast_to_unknown(x: Array, shape: tuple, chunks: Any) -> Array:
    """``broadcast_to`` keeping ``x``'s axes of unknown length: element-wise against a condition of ones with
    the known lengths (1 on those axes), for a block's target shape is unknown until computed."""
    from gpuscale.array.filled import ones
    from gpuscale.array.searching import where

    if chunks is not None:
        raise ValueError(f"broadcast_to: chunks= cannot be given for the unknown lengths of {shape}; call "
                         "x.compute_chunk_sizes() first")
    cond = ones(tuple(1 if _chunks.is_unknown(n) else n for n in shape), dtype=bool, backend=x.backend)
    return where(cond, x, x)


def _broadcast_unknown(arrays: list, shape: tuple) -> tuple:
    """``broadcast_arrays`` to a shape with unknown lengths: an array short of them is broadcast element-wise
    against the others (``where(True, a, a)`` with a condition of the full shape), which lines up blocks of
    unknown length as element-wise operations do and checks them when computed."""
    import functools
    import operator

    from gpuscale.array.filled import ones_like
    from gpuscale.array.searching import where

    full = [a for a in arrays if _chunks.same_dim(a.shape, shape)][:1] or arrays  # one of the full shape will do
    cond = functools.reduce(operator.and_, [ones_like(a, dtype=bool) for a in full])
    return tuple(a if _chunks.same_dim(a.shape, shape) else where(cond, a, a) for a in arrays)


def stack(arrays: Any, /, axis: int = 0, allow_unknown_chunksizes: bool = False, *, dtype: Any = None,
          casting: Any = None) -> Array:  # axis positional: NumPy's
    """Join arrays along a new axis (``allow_unknown_chunksizes`` as in :func:`concat`; NumPy's ``dtype=`` casts
    the inputs where ``casting``, default ``"same_kind"``, allows).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a, b = ga.arange(3, device="cpu"), ga.arange(3, 6, device="cpu")
    >>> ga.stack([a, b], axis=1).compute().tolist()
    [[0, 3], [1, 4], [2, 5]]
    """
    arrays = [a if isinstance(a, Array) else _stacked(a, allow_unknown_chunksizes) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")  # (NumPy's message)
    first = arrays[0]
    for i, a in enumerate(arrays[1:], 2):
        if not _stackable(first.shape, a.shape, allow_unknown_chunksizes):
            hint = "" if not any(map(_chunks.is_unknown, first.shape + a.shape)) else (
                " Their lengths are unknown (nan): pass allow_unknown_chunksizes=True if they match, or call "
                "x.compute_chunk_sizes() first.")
            raise ValueError(f"Stacked arrays must have the same shape. The first array had shape {first.shape}, "
                             f"while array {i} has shape {a.shape}.{hint}")
    if dtype is not None:
        from gpuscale.array.stacking import cast_parts

        arrays = cast_parts(arrays, dtype, casting)
    ndim = arrays[0].ndim + 1
    axis = axis % ndim if -ndim <= axis < ndim else _axis_error(axis, ndim)
    return concat([expand_dims(a, axis=axis) for a in arrays], axis=axis,
                  allow_unknown_chunksizes=allow_unknown_chunksizes)


def _stacked(part: Any, allow_unknown: bool) -> Array:
    """One element of ``stack``'s list as an array: a list holding arrays is stacked in turn (as dask)."""
    if isinstance(part, (list, tuple)) and any(isinstance(p, (Array, list, tuple)) for p in part):
        return stack(part, axis=0, allow_unknown_chunksizes=allow_unknown)
    return asarray(part)


def _stackable(first: tuple, other: tuple, allow_unknown: bool) -> bool:
    """Equal shapes; an unknown (nan) length matches any other only with ``allow_unknown_chunksizes``."""
    if len(first) != len(other):
        return False
    return all(n == m or (allow_unknown and (_chunks.is_unknown(n) or _chunks.is_unknown(m)))
               for n, m in zip(first, other))


def unstack(x: Array, /, *, axis: int = 0) -> tuple:
    """Split ``x`` into a tuple of arrays along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int
        The axis to split along; each result lacks it.

    Returns
    -------
    tuple of Array
        ``x.shape[axis]`` arrays.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rows = ga.unstack(ga.asarray([[1, 2], [3, 4], [5, 6]]))
    >>> [r.compute().tolist() for r in rows]
    [[1, 2], [3, 4], [5, 6]]
    """
    (axis,) = normalize_axis(axis, x.ndim)
    if _chunks.is_unknown(x.shape[axis]):  # as many arrays as the length
        raise ValueError(f"unstack: the length of axis {axis} is unknown; call x.compute_chunk_sizes() first")
    return tuple(x[(slice(None),) * axis + (i,)] for i in range(x.shape[axis]))


def flip(x: Array, /, axis: Any = None) -> Array:  # axis positional too, as NumPy and dask
    """Reverse the order of elements along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int or tuple of int, optional
        Axes to reverse (all when None).

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(6, chunks=2), (2, 3))
    >>> ga.flip(x, axis=1).compute().tolist(), ga.flip(x).compute().tolist()
    ([[2, 1, 0], [5, 4, 3]], [[5, 4, 3], [2, 1, 0]])
    """
    if x.ndim == 0 and axis is not None:  # a 0-d array has no axis 0 to flip (NumPy's error; reductions allow it)
        _axis_error(axis, 0)
    axes = normalize_axis(axis, x.ndim)
    return x[tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(x.ndim))]


def roll(x: Array, /, shift: Any, axis: Any = None) -> Array:
    """Shift elements cyclically along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    shift : int or tuple of int
        Positions to shift by (negative: backwards): one for every axis, or one per axis (those of one axis add up).
    axis : int or tuple of int, optional
        Axes to roll; None rolls the flattened array and restores the shape.

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(5, chunks=2)
    >>> ga.roll(x, 2).compute().tolist(), ga.roll(x, -1, axis=0).compute().tolist()
    ([3, 4, 0, 1, 2], [1, 2, 3, 4, 0])
    """
    if axis is None:  # NumPy would add up a tuple of shifts over the flat array; dask refuses it as ambiguous, as we
        if not isinstance(shift, numbers.Integral):
            raise TypeError(f"roll: shift must be an integer when axis is None, not {shift!r}")
        return reshape(roll(reshape(x, (-1,)), shift, axis=0), x.shape)
    for a, s in _roll_shifts(shift, axis, x.ndim).items():
        n = x.shape[a]
        s = s if _chunks.is_unknown(n) else s % n if n else 0
        if s and _chunks.is_unknown(n):
            x = _roll_unknown(x, s, a)
        elif s:  # two slices of x: their blocks off axis a line up even where those lengths are unknown
            head = x[(slice(None),) * a + (slice(n - s, None),)]
            tail = x[(slice(None),) * a + (slice(0, n - s),)]
            x = concat([head, tail], axis=a, allow_unknown_chunksizes=True)
    # a new object even when nothing moved: writing into the result must not change the input (as dask)
    return Array(x._expr)


def _roll_shifts(shift: Any, axis: Any, ndim: int) -> dict:
    """Total shift per axis: one shift for every axis, or one per axis (shifts of one axis add up, as NumPy's)."""
    shifts = (shift,) if isinstance(shift, numbers.Integral) else tuple(shift)
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)  # (NumPy's integers too: np.int64(1))
    if len(shifts) != len(axes) and not isinstance(shift, numbers.Integral):
        # (NumPy would broadcast (1, 2) against one axis; the Array API and dask refuse it, and so do we)
        raise ValueError("roll: shift and axis must have the same length (a tuple of shifts takes as many axes)")
    pairs = [(normalize_axis(operator.index(a), ndim)[0], int(s)) for s, a in
             zip(shifts * (len(axes) if len(shifts) == 1 else 1), axes * (len(shifts) if len(axes) == 1 else 1))]
    return {a: sum(s for b, s in pairs if b == a) for a, _ in pairs}  # shifts of one axis add up


def _roll_unknown(x: Array, shift: int, axis: int) -> Array:
    """``x`` rolled along an axis of unknown length (after a mask): the axis joined into one block, where the
    block's own length is known."""
    x = rechunk(x, {axis: -1})
    ind = tuple(range(x.ndim))
    return Array(blockwise_expr(chunkfn.xp_call, ind, x.chunks, x.dtype, x.backend, "roll", x._expr,
                                arg_inds=(None, ind), kwargs={"shift": int(shift), "axis": axis}))


def repeat(x: Array, /, repeats: Any, axis: int | None = None) -> Array:
    """Repeat each element ``repeats`` times along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    repeats : int or Array
        Repetitions, one count for all elements or one per element along ``axis`` (``repeats=``: NumPy's name).
    axis : int, optional
        Axis to repeat along (also positional, as ``numpy.repeat(x, 2, 0)``); None flattens ``x`` first.

    Returns
    -------
    Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1, 2], [3, 4]])
    >>> ga.repeat(x, 2, axis=0).compute().tolist(), ga.repeat(x, 2).compute().tolist()
    ([[1, 2], [1, 2], [3, 4], [3, 4]], [1, 1, 2, 2, 3, 3, 4, 4])
    """
    if axis is None or x.ndim == 0:  # a 0-d x repeats as one element along axis 0 (or -1), as NumPy's
        x, axis = reshape(x, (-1,)), 0 if axis is None else axis
    (axis,) = normalize_axis(axis, x.ndim)
    if isinstance(repeats, int):
        if repeats < 0:
            raise ValueError("repeat: repeats may not be negative")
        chunks = tuple(tuple(c * repeats for c in dim) if d == axis else dim for d, dim in enumerate(x.chunks))
        return _map(x, "repeat", tuple(range(x.ndim)), chunks, tuple(range(x.ndim)), repeats, axis=axis)
    repeats = asarray(repeats, backend=x.backend)
    if repeats.ndim == 0 or repeats.shape[0] == 1:
        return repeat(x, int(repeats.compute() if repeats.ndim == 0 else repeats[0].compute()), axis=axis)
    return _repeat_array(x, repeats, axis)


def _repeat_array(x: Array, repeats: Array, axis: int) -> Array:
    from gpuscale.array.statistical import sum as _sum

    if repeats.shape[0] != x.shape[axis]:
        raise ValueError(f"repeat: {repeats.shape[0]} repeats for an axis of length {x.shape[axis]}")
    repeats = repeats.rechunk((x.chunks[axis],))
    # block lengths of the result are the sums of the repeats of each block (a small computation)
    totals = [int(_sum(repeats[lo:lo + n]).compute()) for lo, n in zip(_chunks.offsets(x.chunks[axis]),
                                                                     x.chunks[axis])]
    chunks = tuple(tuple(totals) if d == axis else dim for d, dim in enumerate(x.chunks))
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.xp_call, ind, chunks, x.dtype, x.backend, "repeat", x._expr, repeats._expr,
                          arg_inds=(None, ind, (axis,)), kwargs={"axis": axis})
    return Array(node)


def tile(x: Array, /, reps: Any) -> Array:
    """Repeat the whole array ``reps[i]`` times along each axis.

    Parameters
    ----------
    x : Array or array_like
        Input (a list or NumPy array is wrapped first, as ``numpy.tile`` takes it).
    reps : int or tuple of int
        Repetitions per axis (leading axes are added when it is longer than ``x.ndim``); an int repeats the
        last axis.  NumPy's name (the standard's ``repetitions`` is positional only).

    Returns
    -------
    Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.tile(ga.asarray([1, 2]), (2, 3)).compute().tolist()
    [[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]
    """
    x = x if isinstance(x, Array) else asarray(x)
    repetitions = (reps,) if isinstance(reps, int) else tuple(reps)
    if any(r < 0 for r in repetitions):
        raise ValueError(f"tile: repetitions must not be negative, got {repetitions}")
    while x.ndim < len(repetitions):
        x = expand_dims(x, axis=0)
    repetitions = (1,) * (x.ndim - len(repetitions)) + repetitions
    for axis, r in enumerate(repetitions):
        if r == 0:
            x = x[(slice(None),) * axis + (slice(0, 0),)]
        elif r > 1:
            x = concat([x] * r, axis=axis)
    return x
