"""Chunk functions of dask.array's NumPy-style routines (``isin``, ``choose``, ``piecewise``, ``topk``,
``coarsen``, ``map_overlap``, ``push``): each takes blocks of any chunk library and uses its namespace."""

from __future__ import annotations

import math
from typing import Any

from gpuscale.backends.array._core import library_of, namespace, numpy_dtype


def isin_block(x: Any, test: Any, invert: bool) -> Any:
    """``isin(x, test)`` of one block against all test elements (1-d)."""
    xp = namespace(x, test)
    if test.shape[0] == 0:
        found = xp.zeros_like(x, dtype=xp.bool)
    else:
        try:
            found = xp.isin(x, test)
        except (AttributeError, TypeError):  # a namespace without isin (or without mixed dtypes): sort and search
            ordered = xp.sort(xp.reshape(test, (-1,)))
            flat = xp.reshape(x, (-1,))
            at = xp.clip(xp.searchsorted(ordered, flat), 0, ordered.shape[0] - 1)
            found = xp.reshape(xp.take(ordered, at) == flat, x.shape)
    return ~found if invert else found


def choose_block(index: Any, *choices: Any) -> Any:
    """``numpy.choose(index, choices)`` (mode ``"raise"``) of broadcast blocks."""
    xp = namespace(index, *choices)
    if index.size and bool(xp.any((index < 0) | (index >= len(choices)))):
        raise ValueError("invalid entry in choice array")
    out = choices[-1]
    for i in range(len(choices) - 2, -1, -1):
        out = xp.where(index == i, choices[i], out)
    return xp.broadcast_to(out, tuple(max(n) for n in zip(*[a.shape for a in (index, *choices)])))


def piecewise_block(x: Any, *conds: Any, funclist: tuple, args: tuple, kw: dict) -> Any:
    """``numpy.piecewise`` of one block: each function sees the elements of its condition only."""
    xp = namespace(x, *conds)
    conds = [xp.astype(c, xp.bool) if numpy_dtype(c.dtype).kind != "b" else c for c in conds]
    if len(funclist) == len(conds) + 1:
        others = ~conds[0]
        for c in conds[1:]:
            others = others & ~c
        conds.append(others)
    out = xp.zeros_like(x)
    for cond, func in zip(conds, funclist):
        cond = xp.broadcast_to(cond, x.shape)
        if not bool(xp.any(cond)):
            continue
        values = func(x[cond], *args, **kw) if callable(func) else func
        if hasattr(values, "shape"):
            values = xp.astype(values, x.dtype) if numpy_dtype(values.dtype) != numpy_dtype(x.dtype) else values
            out[cond] = values
        else:
            out[cond] = xp.asarray(values, dtype=x.dtype, device=getattr(x, "device", None)) \
                if _is_strict(xp) else values
    return out


def _is_strict(xp: Any) -> bool:
    return xp.__name__.startswith("array_api_strict")


def _take_along(xp: Any, x: Any, order: Any, axis: int) -> Any:
    return xp.take_along_axis(x, order, axis=axis)


def topk_order(x: Any, k: int, axis: int) -> Any:
    """Positions of the ``k`` largest (``k < 0``: ``-k`` smallest) along ``axis``, best first: equal values in
    their order along ``axis``, NaN the largest (a stable sort's order)."""
    xp = namespace(x)
    n = x.shape[axis]
    take = min(abs(k), n)
    if take < n and _can_partition(xp, x):
        return _partitioned_order(xp, x, k, take, axis)
    return _sorted_order(xp, x, k, take, axis)


def _sorted_order(xp: Any, x: Any, k: int, take: int, axis: int) -> Any:
    order = xp.argsort(x, axis=axis, descending=k > 0, stable=True)
    index = tuple(slice(0, take) if d == axis % x.ndim else slice(None) for d in range(x.ndim))
    return order[index]


def _can_partition(xp: Any, x: Any) -> bool:
    # NumPy's and CuPy's partition (array-api-strict has none, masked blocks would lose their masks); the
    # comparisons of _kept follow the sort order of numbers and booleans only (not complex, datetimes)
    return hasattr(xp, "partition") and library_of(x) in ("numpy", "cupy") and not hasattr(x, "mask") \
        and numpy_dtype(x.dtype).kind in "biuf"


def _partitioned_order(xp: Any, x: Any, k: int, take: int, axis: int) -> Any:
    """:func:`topk_order` in O(n): a partition finds the ``take``-th best value of each row, the kept positions
    are those better than it and the first equal ones, and only they are sorted (a full sort of each
    1.25M block took 0.4 s)."""
    last = xp.moveaxis(x, axis, -1)
    n = last.shape[-1]
    kth = n - take if k > 0 else take - 1
    threshold = xp.partition(last, kth, axis=-1)[..., kth:kth + 1]
    kept = _kept(xp, last, threshold, k, take)
    positions = xp.reshape(xp.nonzero(kept)[-1], last.shape[:-1] + (take,))  # take per row, in order
    order = _sorted_order(xp, xp.take_along_axis(last, positions, axis=-1), k, take, -1)
    return xp.moveaxis(xp.take_along_axis(positions, order, axis=-1), -1, axis)


def _kept(xp: Any, x: Any, threshold: Any, k: int, take: int) -> Any:
    """Mask of the ``take`` best along the last axis, given each row's ``take``-th best value."""
    better = x > threshold if k > 0 else x < threshold
    same = x == threshold
    if numpy_dtype(x.dtype).kind == "f":  # NaN sorts last: the largest value
        missing, at_missing = xp.isnan(x), xp.isnan(threshold)
        better = better | (missing & ~at_missing) if k > 0 else better | (~missing & at_missing)
        same = same | (missing & at_missing)
    need = take - xp.sum(better, axis=-1, keepdims=True, dtype=xp.int64)
    if int(xp.sum(same, dtype=xp.int64)) == int(xp.sum(need)):  # no ties beyond the threshold: all kept
        return better | same
    first = xp.cumulative_sum(xp.astype(same, xp.int64), axis=-1) <= need  # ties: the first ones, as stable
    return better | (same & first)


def topk_block(x: Any, k: int, axis: int) -> Any:
    """The ``k`` largest (``k < 0``: smallest) values of a block along ``axis``, best first."""
    return _take_along(namespace(x), x, topk_order(x, k, axis), axis)


def argtopk_partial(x: Any, k: int, axis: int, offsets: tuple, index: tuple) -> Any:
    """Global positions (the block's start along ``axis`` added) of a block's top ``k`` along ``axis``."""
    xp = namespace(x)
    order = topk_order(x, k, axis)
    return xp.astype(order, xp.int64) + offsets[index[axis]]


def argtopk_values(x: Any, positions: Any, axis: int, offsets: tuple, index: tuple) -> Any:
    """The values of block ``x`` at :func:`argtopk_partial`'s ``positions`` (global: the block's start along
    ``axis`` is taken off), in the same order: read, not searched for again."""
    xp = namespace(x)
    local = positions - offsets[index[axis]]
    return _take_along(xp, x, xp.astype(local, xp.int64), axis)


def argtopk_final(values: Any, positions: Any, k: int, axis: int) -> Any:
    """Positions of the overall top ``k`` among the candidates of every block."""
    xp = namespace(values, positions)
    return _take_along(xp, positions, topk_order(values, k, axis), axis)


def coarsen_block(x: Any, reduction: Any, factors: tuple, kwargs: dict) -> Any:
    """``reduction`` over each ``factors``-shaped neighbourhood of a block (dims divisible by the factors)."""
    xp = namespace(x)
    shape = []
    for n, f in zip(x.shape, factors):
        shape += [n // f, f]
    reshaped = xp.reshape(x, tuple(shape))
    axes = tuple(range(1, 2 * x.ndim, 2))
    func = _namespace_function(xp, reduction)
    return func(reshaped, axis=axes, **kwargs)


def _namespace_function(xp: Any, func: Any) -> Any:
    # numpy.sum / gpuscale.array.sum name a reduction: run the chunk library's own
    module = getattr(func, "__module__", "") or ""
    if isinstance(func, str):
        return getattr(xp, func)
    if module.partition(".")[0] in ("numpy", "gpuscale", "cupy") and hasattr(xp, getattr(func, "__name__", "")):
        return getattr(xp, func.__name__)
    return func


def join_along(axis: int, *blocks: Any) -> Any:
    """Blocks joined along ``axis`` (empty ones skipped)."""
    parts = [b for b in blocks if b.shape[axis]]
    if len(parts) == 1:
        return parts[0]
    xp = namespace(*blocks)
    return xp.concat(parts or list(blocks[:1]), axis=axis)


def edge_slice(x: Any, axis: int, start: Any, stop: Any, reverse: bool = False) -> Any:
    """``x[start:stop]`` along ``axis`` (reversed when ``reverse``, for reflecting boundaries)."""
    index = tuple(slice(start, stop) if d == axis else slice(None) for d in range(x.ndim))
    out = x[index]
    if reverse:
        xp = namespace(x)
        out = xp.flip(out, axis=axis)
    return out


def repeat_edge(x: Any, axis: int, side: int, width: int) -> Any:
    """The first (``side`` 0) or last row along ``axis`` repeated ``width`` times."""
    xp = namespace(x)
    n = x.shape[axis]
    row = edge_slice(x, axis, 0 if side == 0 else n - 1, 1 if side == 0 else n)
    shape = tuple(width if d == axis else s for d, s in enumerate(x.shape))
    return xp.broadcast_to(row, shape)


def constant_edge(x: Any, axis: int, width: int, value: Any) -> Any:
    """A slab of ``value`` of width ``width`` along ``axis``, shaped like ``x`` otherwise."""
    xp = namespace(x)
    shape = tuple(width if d == axis else s for d, s in enumerate(x.shape))
    return xp.full(shape, value, dtype=x.dtype, **({"device": x.device} if _is_strict(xp) else {}))


def trim_block(x: Any, table: tuple, index: tuple) -> Any:
    """Block ``index`` without its overlap: ``table[axis][block]`` is ``(before, after)``."""
    if x.ndim == 0:  # a function that reduced its block to a scalar: nothing to cut (as dask)
        return x
    cut = tuple(slice(t[i][0], x.shape[d] - t[i][1]) for d, (t, i) in enumerate(zip(table, index)))
    return x[cut]


def ffill_block(x: Any, axis: int) -> Any:
    """Forward fill of NaN along ``axis`` within one block (the last number before each NaN)."""
    xp = namespace(x)
    n = x.shape[axis]
    if not n:
        return x
    kwargs = {"device": x.device} if _is_strict(xp) else {}
    shape = tuple(n if d == axis else 1 for d in range(x.ndim))
    positions = xp.broadcast_to(xp.reshape(xp.arange(n, dtype=xp.int64, **kwargs), shape), x.shape)
    last = xp.where(xp.isnan(x), xp.zeros_like(positions), positions)
    return xp.take_along_axis(x, running_max(last, axis), axis=axis)


def running_max(x: Any, axis: int) -> Any:
    """The running maximum of ``x`` along ``axis`` (``numpy.maximum.accumulate``)."""
    xp = namespace(x)
    accumulate = getattr(getattr(xp, "maximum", None), "accumulate", None)
    if library_of(x) == "numpy" and accumulate is not None:  # CuPy has one, but it raises NotImplementedError
        return accumulate(x, axis=axis)
    return _doubling_max(x, axis)


def _doubling_max(x: Any, axis: int) -> Any:
    # a running maximum from maximum and concat alone, one pass per doubling of the distance looked back
    xp = namespace(x)
    axis = axis % x.ndim
    n, step = x.shape[axis], 1
    floor = xp.min(x) if n else None  # never above what it is maxed with (values only grow): found once
    while step < n:
        before = edge_slice(x, axis, 0, n - step)
        pad = xp.zeros_like(edge_slice(x, axis, 0, step)) + floor
        x = xp.maximum(x, xp.concat([pad, before], axis=axis))
        step *= 2
    return x


def ffill_carry(carry: Any, block: Any) -> Any:
    """A scanned block with the running last value of the blocks before it filled in."""
    xp = namespace(block, carry)
    return xp.where(xp.isnan(block), carry, block)


def nan_ident(dtype: Any) -> float:
    """The identity of a forward fill: NaN."""
    return math.nan


def argwhere_block(x: Any, offsets: tuple, index: tuple) -> Any:
    """``argwhere`` of a block of whole rows: one row of indices per non-zero element (rows offset)."""
    xp = namespace(x)
    found = xp.nonzero(x)
    if not found:
        return xp.zeros((0, 0), dtype=xp.int64)
    found = list(found)
    found[0] = found[0] + offsets[index[0]]
    return xp.stack([xp.astype(f, xp.int64) for f in found], axis=1)


def checked_range(x: Any, low: Any, high: Any, message: str) -> Any:
    """``x`` after checking that every element lies in ``[low, high)`` (``ValueError(message)`` otherwise)."""
    xp = namespace(x)
    if x.size and bool(xp.any((x < low) | (x >= high))):
        raise ValueError(message)
    return x


def object_grid(nested: Any, shape: tuple) -> Any:
    """A NumPy object array of ``shape`` holding the leaves of a nested list (dask's ``to_delayed`` form)."""
    import numpy as np

    out = np.empty(shape, dtype=object)
    flat = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        else:
            flat.append(node)

    walk(nested)
    for i, leaf in enumerate(flat):
        out.flat[i] = leaf
    return out


def view_block(x: Any, dtype: Any) -> Any:
    """The bytes of a NumPy or CuPy block reinterpreted as ``dtype`` (``ndarray.view``)."""
    if not hasattr(x, "view"):
        raise NotImplementedError(f"view needs NumPy or CuPy chunks; {type(x).__module__} arrays have no view")
    if not x.flags.c_contiguous:  # a block of a transposed array (view(order="F")): its bytes in C order
        x = namespace(x).ascontiguousarray(x)
    return x.view(numpy_dtype(dtype))
