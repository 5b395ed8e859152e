"""Whole-axis and whole-block functions, as dask.array's: ``apply_along_axis`` and ``reshape_blockwise``.

xarray's ``polyfit`` uses both (through the chunk manager's ``array_api``): the fitted axis is made
whole and NumPy's ``lstsq`` runs along it, with the other axes flattened block by block.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import ArrayExpr, blockwise_expr
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["apply_along_axis", "reshape_blockwise", "BlockReshape"]

_NEW_AXIS = 10_000  # block indices of the axes func1d makes, beside the input's 0..ndim-1
_WHOLE_ARG = 20_000  # block indices of the whole array arguments (contracted: one block each)


def apply_along_axis(func1d: Callable, axis: int, arr: Any, *args: Any, dtype: Any = None, shape: Any = None,
                     **kwargs: Any) -> Array:
    """``func1d(a_1d, *args, **kwargs)`` for every 1-d slice of ``arr`` along ``axis``, as
    ``dask.array.apply_along_axis`` (NumPy's ``apply_along_axis`` on each block).

    ``axis`` becomes one block (the other axes keep theirs); the slices' results take its place, so
    the output shape is ``arr.shape[:axis] + shape + arr.shape[axis + 1:]``.

    Parameters
    ----------
    func1d
        Called on 1-d chunks of the array's library (NumPy or CuPy arrays).
    axis
        The axis along which ``func1d`` runs.
    arr
        A gpuscale array.
    *args
        Passed to ``func1d``; gpuscale arrays among them arrive whole, as one chunk.
    dtype, shape
        ``func1d``'s result dtype and shape; guessed by calling it on ones as long as ``axis`` when not
        given -- pass them when ``args`` hold gpuscale arrays.
    **kwargs
        Passed to ``func1d``.

    Returns
    -------
    Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(12.0, chunks=4), (3, 4)).rechunk((1, 2))
    >>> def ends(v):
    ...     return v[[0, -1]]
    >>> ga.apply_along_axis(ends, 1, x, dtype=x.dtype, shape=(2,)).compute()
    array([[ 0.,  3.],
           [ 4.,  7.],
           [ 8., 11.]])
    """
    from gpuscale.array.creation import asarray

    x = arr if is_array(arr) else asarray(arr)
    axis = normalize_axis(axis, x.ndim)[0]
    if dtype is None or shape is None:
        if any(is_array(a) for a in args):
            raise ValueError("apply_along_axis: pass dtype= and shape= when arguments are gpuscale arrays")
        # a slice of the axis' own length (dask tries one element: np.cumsum's shape came out (1,))
        length = x.shape[axis] if x.shape[axis] == x.shape[axis] and x.shape[axis] > 0 else 1
        guessed_dtype, guessed_shape = chunkfn.along_axis_meta(func1d, x.dtype, args, kwargs, length)
        dtype = guessed_dtype if dtype is None else dtype
        shape = guessed_shape if shape is None else shape
    shape = (shape,) if isinstance(shape, int) else tuple(int(n) for n in shape)
    whole = x.rechunk({axis: -1})
    in_ind = tuple(range(x.ndim))
    new = tuple(_NEW_AXIS + k for k in range(len(shape)))
    out_ind = in_ind[:axis] + new + in_ind[axis + 1:]
    out_chunks = x.chunks[:axis] + tuple((n,) for n in shape) + x.chunks[axis + 1:]
    exprs, inds = [whole._expr], [in_ind]
    for i, a in enumerate(args):
        if is_array(a):
            exprs.append(a.rechunk(tuple(-1 for _ in range(a.ndim)))._expr)
            inds.append(tuple(_WHOLE_ARG + 100 * i + d for d in range(a.ndim)))
        else:
            exprs.append(a)
            inds.append(None)
    dtype, kw = chunkfn.numpy_dtype(dtype), {"func1d": func1d, "axis": axis, "kwargs": dict(kwargs)}
    if any(_chunks.is_unknown(n) for d, dim in enumerate(x.chunks) if d != axis for n in dim):
        func, kw = _along_axis_or_empty, {**kw, "shape": shape, "dtype": dtype}  # a block there may be empty
    else:
        func = chunkfn.along_axis_block
    node = blockwise_expr(func, out_ind, out_chunks, dtype, x.backend, *exprs, arg_inds=inds, kwargs=kw,
                          concatenate=True)
    return Array(node)


def _along_axis_or_empty(block: Any, *args: Any, func1d: Callable, axis: int, kwargs: dict, shape: tuple,
                         dtype: Any) -> Any:
    """``along_axis_block``, with an empty block of unknown length (boolean indexing) giving an empty result
    of its shape: NumPy's ``apply_along_axis`` refuses a block with nothing to iterate over."""
    others = block.shape[:axis] + block.shape[axis + 1:]
    if 0 not in others:
        return chunkfn.along_axis_block(block, *args, func1d=func1d, axis=axis, kwargs=kwargs)
    empty = block[(slice(None),) * axis + (slice(0, 0),)]
    return chunkfn.astype(chunkfn.reshape_block(empty, block.shape[:axis] + shape + block.shape[axis + 1:]), dtype)


class BlockReshape(ArrayExpr):
    """Each block of ``array`` reshaped on its own: output block ``i`` (C order) is ``sources[i]`` reshaped."""

    _parameters = ["array", "out_chunks", "sources"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.out_chunks

    def _layer(self) -> dict:
        layer = {}
        for index, source in zip(_chunks.block_indices(self.numblocks), self.sources):
            shape = tuple(c[i] for c, i in zip(self.out_chunks, index))
            layer[self.key(index)] = (chunkfn.reshape_block, self.array.key(source), shape)
        return layer


def _groups(long: tuple, short: tuple) -> list[tuple[int, int]]:
    """For each dimension of ``short``, the run ``(start, stop)`` of dimensions of ``long`` it merges."""
    groups, i = [], 0
    for n in short:
        start, size = i, 1
        while i < len(long) and (i == start or size < n):
            size *= long[i]
            i += 1
        if size != n:
            raise ValueError(f"reshape_blockwise: {long} -> {short} does not merge or split neighbouring axes")
        groups.append((start, i))
    if groups and i < len(long):
        if math.prod(long[i:]) != 1:
            raise ValueError(f"reshape_blockwise: {long} -> {short} does not merge or split neighbouring axes")
        groups[-1] = (groups[-1][0], len(long))
    return groups


def reshape_blockwise(x: Array, shape: Any, chunks: Any = None) -> Array:
    """Reshape every block on its own, as ``dask.array.reshape_blockwise``: no data moves between blocks.

    Merging neighbouring axes (fewer dimensions, ``chunks=None``): a merged axis has one block per
    combination of its axes' blocks (C order), each of their product's length.  Splitting axes (more
    dimensions) needs ``chunks=``, the output blocks, with as many blocks in each split group as the
    axis it splits.  Within a block the order is C order, so the result equals ``reshape`` only where
    the merged axes (all but the first of each group) are one block; reshaping back with the input's
    chunks always restores the input.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(24.0, chunks=6), (2, 3, 4)).rechunk((2, 3, 2))
    >>> y = ga.reshape_blockwise(x, (2, 12))
    >>> y.chunks
    ((2,), (6, 6))
    >>> back = ga.reshape_blockwise(y, (2, 3, 4), chunks=x.chunks)
    >>> bool(ga.all(back == x))
    True
    """
    shape = (shape,) if isinstance(shape, int) else tuple(int(n) for n in shape)
    if any(_chunks.is_unknown(n) for n in x.shape):
        raise ValueError(f"reshape_blockwise: Array chunk size or shape is unknown ({x.shape}); call "
                         "x.compute_chunk_sizes() first")
    if math.prod(shape) != math.prod(x.shape):
        raise ValueError(f"reshape_blockwise: cannot reshape {x.shape} to {shape}: total size of new array must "
                         "be unchanged")
    if len(shape) <= x.ndim:
        if chunks is not None:
            raise ValueError("reshape_blockwise: Setting chunks is not allowed when reducing the number of "
                             "dimensions (chunks= is for splitting axes)")
        try:
            groups = _groups(x.shape, shape)
        except ValueError as err:  # dask's error: only merging neighbouring axes works without chunks=
            raise NotImplementedError(f"{err}; reshape_blockwise not implemented for expanding dimensions "
                                      "without passing chunks") from None
        grids = [_chunks.block_indices(x.numblocks[a:b]) for a, b in groups]
        out_chunks = tuple(tuple(math.prod(x.chunks[a + k][i] for k, i in enumerate(index)) for index in grid)
                           for (a, _), grid in zip(groups, grids))
        sources = tuple(sum((grid[j] for grid, j in zip(grids, index)), ())
                        for index in _chunks.block_indices(tuple(len(g) for g in grids)))
        return Array(BlockReshape(x._expr, out_chunks, sources))
    if chunks is None:  # a missing argument, as dask's TypeError
        raise TypeError("reshape_blockwise: Need to specify chunks if expanding dimensions (the output blocks).")
    out_chunks = tuple(tuple(int(n) for n in c) for c in chunks)
    if tuple(sum(c) for c in out_chunks) != shape:
        raise ValueError(f"reshape_blockwise: Chunk sizes do not match for the following chunks: {chunks} do not "
                         f"add up to shape {shape}")
    groups = _groups(shape, x.shape)
    owner = {}
    for d, (a, b) in enumerate(groups):
        grid = _chunks.block_indices(tuple(len(c) for c in out_chunks[a:b]))
        if len(grid) != x.numblocks[d]:
            raise ValueError(f"reshape_blockwise: chunks {chunks} split axis {d} into {len(grid)} blocks, "
                             f"it has {x.numblocks[d]}")
        for k, index in enumerate(grid):
            if math.prod(out_chunks[a + e][i] for e, i in enumerate(index)) != x.chunks[d][k]:
                raise ValueError(f"reshape_blockwise: Chunk sizes do not match for the following chunks: {chunks} "
                                 f"against block {k} of axis {d} ({x.chunks[d][k]} long)")
            owner[(d, index)] = k
    sources = tuple(tuple(owner[(d, index[a:b])] for d, (a, b) in enumerate(groups))
                    for index in _chunks.block_indices(tuple(len(c) for c in out_chunks)))
    return Array(BlockReshape(x._expr, out_chunks, sources))
