"""Neighbourhood operations as dask.array spells them: ``map_overlap``, ``coarsen``, ``push``.

``map_overlap`` gives every block a margin of ``depth`` elements from its neighbours along each axis
(or from the array's boundary: ``"none"``, ``"reflect"``, ``"periodic"``, ``"nearest"`` or a
constant), applies the function block by block, and trims the margins again.  The margins are cut from
the neighbouring blocks (``x.blocks`` selections, one task per block), never by gathering an axis.
``coarsen`` reduces non-overlapping neighbourhoods inside each block; ``push`` is a forward fill, a
scan along the axis.
"""

from __future__ import annotations

import functools
import math
import operator
import warnings
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["overlap", "map_overlap", "trim_internal", "trim_overlap", "coarsen", "push"]

_KINDS = ("none", "reflect", "periodic", "nearest")


def _per_axis(value: Any, ndim: int, default: Any, what: str) -> dict:
    if isinstance(value, dict):
        out = {normalize_axis(a, ndim)[0]: v for a, v in value.items()}
        return {d: out.get(d, default) for d in range(ndim)}
    if isinstance(value, (tuple, list)):
        if len(value) != ndim:
            raise ValueError(f"{what} has {len(value)} entries for {ndim} dimensions")
        return dict(enumerate(value))
    return {d: value for d in range(ndim)}


def _margin(n: Any, axis: int) -> tuple:
    """One axis's depth as ``(before, after)``: an int (NumPy's too) or an asymmetric pair."""
    try:
        pair = tuple(operator.index(v) for v in n) if isinstance(n, (tuple, list)) else (operator.index(n),) * 2
    except TypeError:
        pair = ()
    if len(pair) != 2 or min(pair) < 0:
        raise ValueError(f"depth must be a non-negative int or a (before, after) pair per axis, got {n!r} for "
                         f"axis {axis}")
    return pair


def _depths(depth: Any, ndim: int) -> dict:
    depths = _per_axis(0 if depth is None else depth, ndim, 0, "depth")
    return {d: _margin(n, d) for d, n in depths.items()}


def _boundaries(boundary: Any, ndim: int) -> dict:
    return _per_axis("none" if boundary is None else boundary, ndim, "none", "boundary")


def _blocks_along(x: Array, axis: int, lo: int, hi: int) -> Array:
    return x.blocks[(slice(None),) * axis + (slice(lo, hi),)]


def _edge(x: Array, axis: int, width: int, func: Callable, *args: Any) -> Array:
    from gpuscale.array.api import map_blocks

    chunks = tuple(tuple(width for _ in c) if d == axis else c for d, c in enumerate(x.chunks))
    return map_blocks(func, x, *args, dtype=x.dtype, chunks=chunks)


def _boundary_piece(x: Array, axis: int, depth: int, kind: Any, side: int) -> Array:
    if not depth:  # nothing to add on this side (an asymmetric margin)
        kind = "none"
    last = x.numblocks[axis] - 1
    own = _blocks_along(x, axis, 0, 1) if side == 0 else _blocks_along(x, axis, last, last + 1)
    if kind == "none":
        return _edge(own, axis, 0, chunkfn.edge_slice, axis, 0, 0)
    if kind == "periodic":
        other = _blocks_along(x, axis, last, last + 1) if side == 0 else _blocks_along(x, axis, 0, 1)
        return _edge(other, axis, depth, chunkfn.edge_slice, axis, -depth if side == 0 else 0,
                     None if side == 0 else depth)
    if kind == "reflect":
        return _edge(own, axis, depth, chunkfn.edge_slice, axis, 0 if side == 0 else -depth,
                     depth if side == 0 else None, True)
    if kind == "nearest":
        return _edge(own, axis, depth, chunkfn.repeat_edge, axis, side, depth)
    if isinstance(kind, str):
        raise ValueError(f"boundary must be one of {_KINDS} or a constant, not {kind!r}")
    return _edge(own, axis, depth, chunkfn.constant_edge, axis, depth, kind)


def _merge_short(dim: tuple, depth: int) -> tuple:
    """Block lengths with every block at least ``depth`` long (or one block), as dask's ``ensure_minimum_chunksize`` plans them
    (so halos and windows give dask's blocks): going left to right, a short block takes what it lacks from the
    long block before it where that one stays longer than ``depth``, else it joins the blocks before it that
    are not placed yet, and they are placed once long enough (a short end joins the last block placed)."""
    if not dim or depth <= min(dim):
        return tuple(dim)
    placed: list = []
    held = 0  # the length not placed yet: a long block (it may give to a short one after it) or short ones
    for length in dim:
        if length >= depth:
            if held >= depth:
                placed.append(held)
                held = 0
            held += length
            continue
        lacking = depth - length
        if held - lacking > depth:  # the block before gives what this one lacks and stays long
            placed += [held - lacking, depth]
            held = 0
        else:
            held += length
            if held >= depth:
                placed.append(held)
                held = 0
    if held >= depth or not placed:  # (an axis shorter than depth: one block, whose callers check it)
        placed.append(held)
    else:
        placed[-1] += held
    return tuple(placed)


def _rechunked(x: Array, depths: dict) -> tuple:
    """``x``'s blocks with every block at least as long as its axis's widest margin."""
    return tuple(_merge_short(dim, max(depths[d])) if min(dim, default=0) < max(depths[d]) else dim
                 for d, dim in enumerate(x.chunks))


def _inner_piece(x: Array, axis: int, lo: int, hi: int, width: int, start: Any, stop: Any) -> Array:
    if not width:  # an asymmetric margin of 0: an empty piece, not a whole block (-0: is everything)
        start, stop = 0, 0
    return _edge(_blocks_along(x, axis, lo, hi), axis, width, chunkfn.edge_slice, axis, start, stop)


def _overlap_axis(x: Array, axis: int, depth: tuple, kind: Any) -> Array:
    from gpuscale.array.manipulation import concat

    before, after = depth
    n = x.shape[axis]
    if max(depth) > n:
        raise ValueError(f"The overlapping depth {max(depth)} is larger than your array {n} (axis {axis}).")
    blocks = x.numblocks[axis]
    left = [_boundary_piece(x, axis, before, kind, 0)]
    right = []
    if blocks > 1:
        left.append(_inner_piece(x, axis, 0, blocks - 1, before, -before, None))
        right.append(_inner_piece(x, axis, 1, blocks, after, 0, after))
    right.append(_boundary_piece(x, axis, after, kind, 1))
    left_arr, right_arr = concat(left, axis=axis), concat(right, axis=axis)
    grown = tuple(l + c + r for l, c, r in zip(left_arr.chunks[axis], x.chunks[axis], right_arr.chunks[axis]))
    chunks = x.chunks[:axis] + (grown,) + x.chunks[axis + 1:]
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.join_along, ind, chunks, x.dtype, x.backend, axis, left_arr._expr, x._expr,
                          right_arr._expr, arg_inds=(None, ind, ind, ind))
    return Array(node)


def _check_asymmetric(depths: dict, kinds: dict) -> None:
    for d, (before, after) in depths.items():
        if before != after and kinds[d] != "none":
            raise NotImplementedError(f"an asymmetric depth {(before, after)} needs boundary='none' (axis {d} has "
                                      f"boundary {kinds[d]!r}): the boundary kinds fill both sides alike")


def _check_known(x: Array, depths: dict, kinds: dict, op: str) -> None:
    """Refuse a margin along an axis of unknown block lengths: a neighbour may be empty or shorter than
    the depth, and cutting the margin from it would silently drop data (one block with no boundary needs
    no margin, and works).

    Raises
    ------
    ValueError
        Naming the axis and ``compute_chunk_sizes()``.
    """
    for d, dim in enumerate(x.chunks):
        if any(depths[d]) and any(_chunks.is_unknown(n) for n in dim) and (len(dim) > 1 or kinds[d] != "none"):
            raise ValueError(f"{op}: the block lengths along axis {d} are unknown {dim} (after a data-dependent "
                             f"operation such as boolean indexing), so a margin of depth {depths[d]} cannot be cut "
                             "from the neighbouring blocks; call x.compute_chunk_sizes() first")


def overlap(x: Array, depth: Any, boundary: Any = None, *, allow_rechunk: bool = True) -> Array:
    """Every block grown by ``depth`` elements from its neighbours (or the boundary) along each axis, as
    ``dask.array.overlap.overlap``.

    Parameters
    ----------
    x : Array
        Input.
    depth : int, tuple or dict
        Margin per axis (an int for all axes, a tuple of one per axis, or ``{axis: depth}``); an axis's
        margin may be a ``(before, after)`` pair where its boundary is ``"none"``.
    boundary : str, scalar, tuple or dict
        What lies beyond the array's ends: ``"none"`` (nothing: edge blocks grow inward only, the
        default), ``"reflect"``, ``"periodic"``, ``"nearest"``, or a constant value.
    allow_rechunk : bool
        Merge blocks shorter than ``depth`` first; ``False`` raises ``ValueError`` for them instead.

    Returns
    -------
    Array
        Blocks with margins (blocks shorter than ``depth`` are merged first).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.overlap.overlap(ga.arange(6, chunks=3), depth=1, boundary="periodic").compute().tolist()
    [5, 0, 1, 2, 3, 2, 3, 4, 5, 0]
    """
    depths, kinds = _depths(depth, x.ndim), _boundaries(boundary, x.ndim)
    _check_asymmetric(depths, kinds)
    _check_known(x, depths, kinds, "overlap")
    chunks = _rechunked(x, depths)
    if chunks != x.chunks:  # every block must hold a whole margin for its neighbours
        if not allow_rechunk:
            raise ValueError(f"blocks {x.chunks} are shorter than the depth {depth}; pass allow_rechunk=True")
        x = x.rechunk(chunks)
    for axis in range(x.ndim):
        if any(depths[axis]):
            x = _overlap_axis(x, axis, depths[axis], kinds[axis])
    return x


def _trim(x: Array, depths: dict, kinds: dict) -> Array:
    table, chunks = [], []
    for d, dim in enumerate(x.chunks):
        (before, after), last, none = depths.get(d, (0, 0)), len(dim) - 1, kinds.get(d, "none") == "none"
        cuts = tuple((0 if i == 0 and none else before, 0 if i == last and none else after) for i in range(len(dim)))
        table.append(cuts)
        chunks.append(tuple(n - b - a if not math.isnan(n) else n for n, (b, a) in zip(dim, cuts)))
    ind = tuple(range(x.ndim))
    return Array(blockwise_expr(chunkfn.trim_block, ind, tuple(chunks), x.dtype, x.backend, x._expr, tuple(table),
                                BlockIndex(), arg_inds=(ind, None, None)))


def trim_internal(x: Array, axes: Any, boundary: Any = None) -> Array:
    """Every block without its margins, the inverse of :func:`overlap`, as
    ``dask.array.overlap.trim_internal``.

    Parameters
    ----------
    x : Array
        Blocks with margins (from :func:`overlap`, or ``map_overlap(..., trim=False)``).
    axes : int, tuple or dict
        Margin per axis, as ``depth`` of :func:`overlap` (``{axis: depth}``; missing axes have none).
    boundary : str, scalar, tuple or dict
        The boundary the margins were made with: with ``"none"`` (the default) the array's first and
        last blocks have no margin on their outer side, so nothing is cut there.

    Returns
    -------
    Array
        Blocks shorter by their margins.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> grown = ga.overlap.overlap(ga.arange(6, chunks=3), depth=1, boundary="reflect")
    >>> grown.chunks
    ((5, 5),)
    >>> trimmed = ga.overlap.trim_internal(grown, {0: 1}, boundary="reflect")
    >>> trimmed.chunks, trimmed.compute().tolist()
    (((3, 3),), [0, 1, 2, 3, 4, 5])
    """
    return _trim(x, _depths(axes, x.ndim), _boundaries(boundary, x.ndim))


def trim_overlap(x: Array, depth: Any, boundary: Any = None) -> Array:
    """Every block without its margins of ``depth`` elements, as ``dask.array.overlap.trim_overlap``
    (:func:`trim_internal` under ``map_overlap``'s argument names).

    Parameters
    ----------
    x : Array
        Blocks with margins.
    depth : int, tuple or dict
        Margin per axis.
    boundary : str, scalar, tuple or dict
        The boundary the margins were made with (``"none"``, the default, cuts nothing at the array's ends).

    Returns
    -------
    Array
        Blocks shorter by their margins.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(8, chunks=4)
    >>> grown = x.map_overlap(lambda b: b * 10, depth=2, boundary="none", trim=False, chunks=((6, 6),))
    >>> ga.overlap.trim_overlap(grown, 2).compute().tolist()
    [0, 10, 20, 30, 40, 50, 60, 70]
    """
    return trim_internal(x, depth, boundary)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, int) or not isinstance(value, (tuple, list)) else list(value)


def _result_margins(depths: dict, kinds: dict, ndim: int, kwargs: dict) -> tuple:
    """The margins and boundaries of ``map_blocks``' result axes: a dropped axis takes its margin
    away, a new axis has none."""
    dropped = {operator.index(d) % ndim for d in _as_list(kwargs.get("drop_axis"))}
    kept = [d for d in range(ndim) if d not in dropped]
    out_depths, out_kinds = [depths[d] for d in kept], [kinds[d] for d in kept]
    out_ndim = len(kept) + len(_as_list(kwargs.get("new_axis")))
    for axis in sorted(operator.index(a) % out_ndim for a in _as_list(kwargs.get("new_axis"))):
        out_depths.insert(axis, (0, 0))
        out_kinds.insert(axis, "none")
    return dict(enumerate(out_depths)), dict(enumerate(out_kinds))


def map_overlap(func: Callable, *args: Any, depth: Any = None, boundary: Any = None, trim: bool = True,
                align_arrays: bool = True, allow_rechunk: bool = True, **kwargs: Any) -> Array:
    """Apply ``func`` to overlapping blocks, as ``dask.array.map_overlap``.

    Each block of the array arguments gets a margin of ``depth`` elements from its neighbours (see
    :func:`overlap`), ``func`` runs on the grown blocks (as :func:`gpuscale.array.map_blocks`, with
    ``dtype=``, ``chunks=``, ``block_id`` ...), and with ``trim`` the margins are cut from the results.

    Parameters
    ----------
    func : callable
        Called on each grown block (NumPy/CuPy chunks).  The older form ``map_overlap(x, func, depth,
        boundary, trim)`` is accepted too, with a ``FutureWarning`` (as dask).
    *args : Array or other
        Arrays and literal arguments.  The arrays' blocks are aligned first, broadcasting as in
        ``map_blocks`` (dimensions counted from the right; an axis of length 1 is one block).
    depth : int, tuple, dict or list
        Margin per axis; an axis's margin may be a ``(before, after)`` pair where its boundary is
        ``"none"``.  A list gives one such value per array argument.
    boundary : str, scalar, tuple, dict or list
        ``"none"`` (default), ``"reflect"``, ``"periodic"``, ``"nearest"`` or a constant; a list gives
        one per array argument.
    trim : bool
        Cut the margins from the results (``False`` when ``func`` cuts them itself).  The result's
        margins are those of the array argument with the most dimensions (the first of them).
    align_arrays : bool
        Rechunk the arrays so their blocks line up; ``False`` raises ``ValueError`` where they do not.
    allow_rechunk : bool
        Merge blocks shorter than ``depth`` first (``False`` raises ``ValueError`` for them).
    **kwargs
        Passed to ``map_blocks`` (``dtype=``, ``chunks=``, ``drop_axis=``, ``new_axis=`` ...) and on to
        ``func``.  With ``trim``, an axis ``func`` drops loses its margin and a new axis has none.  With
        ``trim=False`` and no ``chunks=``, ``func`` is taken to return blocks of the input's lengths.

    Returns
    -------
    Array
        Blocks of ``func``'s results.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1.0, 2.0, 4.0, 7.0, 11.0, 16.0], chunks=2)
    >>> def centred_diff(b):
    ...     out = b * 0
    ...     out[1:-1] = (b[2:] - b[:-2]) / 2
    ...     return out
    >>> ga.map_overlap(centred_diff, x, depth=1, boundary="nearest").compute().tolist()
    [0.5, 1.5, 2.5, 3.5, 4.5, 2.5]
    """
    from gpuscale.array.api import map_blocks
    from gpuscale.array.rechunk import align_chunks

    if is_array(func) and args and callable(args[0]):  # the older order: map_overlap(x, func, depth, ...)
        warnings.warn("map_overlap(x, func, depth, ...) is deprecated as in dask: call map_overlap(func, x, "
                      "depth=...)", FutureWarning, stacklevel=2)
        func, args = _older_order(func, *args, depth=depth, boundary=boundary, trim=trim)
        depth, boundary, trim = args[1:]
        args = args[:1]
    arrays = [a for a in args if is_array(a)]
    if not arrays:
        raise ValueError("map_overlap needs at least one gpuscale array argument")
    margins = _margins_per_array(arrays, depth, boundary)
    for a, (depths, kinds) in zip(arrays, margins):
        _check_known(a, depths, kinds, "map_overlap")
    if align_arrays:  # blocks broadcast as in map_blocks: dimensions counted from the right
        aligned = iter(align_chunks([a._expr for a in arrays], max(a.ndim for a in arrays), "map_overlap"))
        arrays = [Array(next(aligned)) for _ in arrays]
    else:
        _check_aligned(arrays)
    if not any(any(m) for depths, _ in margins for m in depths.values()):  # no margins: plain map_blocks
        return map_blocks(func, *_with_arrays(args, arrays), **kwargs)
    if not trim and "chunks" not in kwargs:  # func trims its own margins: its blocks are the first input's
        kwargs["chunks"] = _rechunked(arrays[0], margins[0][0])
    grown = [overlap(a, depths, kinds, allow_rechunk=allow_rechunk) for a, (depths, kinds) in zip(arrays, margins)]
    result = map_blocks(func, *_with_arrays(args, grown), align_arrays=False, **kwargs)  # margins differ
    if not trim:
        return result
    widest = max(range(len(arrays)), key=lambda i: (arrays[i].ndim, -i))  # its margins are the result's
    out_depths, out_kinds = _result_margins(*margins[widest], arrays[widest].ndim, kwargs)
    if len(out_depths) != result.ndim:
        raise ValueError(f"map_overlap(trim=True): the result has {result.ndim} dimensions, not the {len(out_depths)} "
                         "that the arrays' dimensions, drop_axis and new_axis give; pass trim=False and trim in func")
    return _trim(result, out_depths, out_kinds)


def _older_order(x: Array, func: Callable, *rest: Any, depth: Any, boundary: Any, trim: bool) -> tuple:
    """``map_overlap(x, func, depth, boundary, trim)`` as ``(func, (x, depth, boundary, trim))``."""
    if len(rest) > 3:
        raise TypeError(f"map_overlap(x, func, depth, boundary, trim) takes at most 5 arguments, got {len(rest) + 2}")
    return func, (x,) + rest + (depth, boundary, trim)[len(rest):]


def _margins_per_array(arrays: list, depth: Any, boundary: Any) -> list:
    """``(depths, boundaries)`` of each array: ``depth`` and ``boundary`` may be lists, one per array."""
    def each(value: Any, what: str) -> list:
        if not isinstance(value, list):
            return [value] * len(arrays)
        if len(value) != len(arrays):
            raise ValueError(f"{what} has {len(value)} entries for {len(arrays)} array arguments")
        return value

    out = []
    for a, d, b in zip(arrays, each(depth, "depth"), each(boundary, "boundary")):
        depths, kinds = _depths(d, a.ndim), _boundaries(b, a.ndim)
        _check_asymmetric(depths, kinds)
        out.append((depths, kinds))
    return out


def _check_aligned(arrays: list) -> None:
    """With ``align_arrays=False`` the arrays' blocks must already line up (counted from the right)."""
    ndim = max(a.ndim for a in arrays)
    for d in range(1, ndim + 1):
        dims = {a.chunks[-d] for a in arrays if a.ndim >= d and a.shape[-d] != 1}
        if len(dims) > 1:
            raise ValueError(f"map_overlap(align_arrays=False): the arrays' blocks differ along axis {ndim - d}: "
                             f"{sorted(dims)}; pass align_arrays=True to rechunk them")


def _with_arrays(args: tuple, arrays: list) -> list:
    """``args`` with its array arguments replaced, in order, by ``arrays``."""
    replaced = iter(arrays)
    return [next(replaced) if is_array(a) else a for a in args]


def coarsen(reduction: Callable, x: Array, axes: dict, trim_excess: bool = False, **kwargs: Any) -> Array:
    """Reduce non-overlapping neighbourhoods of ``axes[d]`` elements along each axis ``d``, as
    ``dask.array.coarsen``.

    Parameters
    ----------
    reduction : callable
        Called as ``reduction(block, axis=tuple_of_axes, **kwargs)`` on a reshaped block, e.g.
        ``numpy.sum`` or ``numpy.mean`` (NumPy's and gpuscale's reductions run as the chunk library's
        own, so they work on CuPy and array-api-strict chunks too).
    x : Array
        Input.
    axes : dict
        ``{axis: factor}``; other axes keep their length.
    trim_excess : bool
        Drop the elements beyond the last whole neighbourhood (else the lengths must divide).
    **kwargs
        Passed to ``reduction``.

    Returns
    -------
    Array
        Each axis ``d`` shorter by the factor ``axes[d]`` (blocks are first made multiples of it).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.coarsen(np.sum, ga.arange(6, chunks=3), {0: 2}).compute().tolist()
    [1, 5, 9]
    >>> ga.coarsen(np.max, ga.arange(7), {0: 3}, trim_excess=True).compute().tolist()
    [2, 5]
    """
    factors = [1] * x.ndim
    for axis, f in axes.items():
        factors[normalize_axis(axis, x.ndim)[0]] = int(f)
    if trim_excess:
        x = x[tuple(slice(0, n - n % f) for n, f in zip(x.shape, factors))]
    elif any(n % f for n, f in zip(x.shape, factors)):
        raise ValueError(f"Coarsening factors {dict(axes)} do not align with array shape {x.shape}.")
    new = {}
    for d, (dim, f) in enumerate(zip(x.chunks, factors)):
        if any(c % f for c in dim):
            new[d] = _chunks.regular(max(f, max(dim) // f * f), x.shape[d])
    if new:
        x = x.rechunk(new)
    meta = functools.partial(chunkfn.coarsen_block, reduction=reduction, factors=(1,) * x.ndim, kwargs=kwargs)
    dtype = chunkfn.meta_call(x.backend, meta, chunkfn.Meta(x.dtype, x.ndim))
    chunks = tuple(tuple(c // f for c in dim) for dim, f in zip(x.chunks, factors))
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.coarsen_block, ind, chunks, dtype, x.backend, x._expr, reduction, tuple(factors),
                          kwargs, arg_inds=(ind, None, None, None))
    return Array(node)


def push(array: Any, n: Any, axis: int) -> Array:
    """Forward fill: each NaN takes the last number before it along ``axis``, at most ``n`` steps back,
    as ``dask.array.push`` (bottleneck's ``push``).

    Parameters
    ----------
    array : Array
        Input; integer and boolean arrays have no NaN and come back unchanged.
    n : int or None
        Fill at most ``n`` consecutive NaNs (None: no limit).
    axis : int
        The axis.

    Returns
    -------
    Array
        Same shape, dtype and blocks; leading NaNs stay NaN.

    Examples
    --------
    >>> import math, gpuscale.array as ga
    >>> x = ga.asarray([1.0, math.nan, math.nan, math.nan, 5.0, math.nan], chunks=2)
    >>> ga.push(x, 2, axis=0).compute().tolist()
    [1.0, 1.0, 1.0, nan, 5.0, 5.0]
    """
    from gpuscale.array import _operands
    from gpuscale.array.scan import cumreduction

    x = _operands.as_array(array)
    if x.dtype.kind not in "fc":
        return Array(x._expr)
    (axis,) = normalize_axis(axis, x.ndim)
    filled = cumreduction(chunkfn.ffill_block, chunkfn.ffill_carry, math.nan, x, axis=axis, dtype=x.dtype)
    if n is None:
        return filled
    import gpuscale.array as ga

    shape = tuple(-1 if d == axis else 1 for d in range(x.ndim))
    positions = ga.reshape(ga.arange(x.shape[axis], dtype=x.dtype, chunks=(x.chunks[axis],), backend=x.backend),
                           shape)
    valid_at = ga.where(ga.isnan(x), math.nan, positions)
    last_valid = cumreduction(chunkfn.ffill_block, chunkfn.ffill_carry, math.nan, valid_at, axis=axis,
                              dtype=x.dtype)
    return ga.where(positions - last_valid <= n, filled, math.nan)
