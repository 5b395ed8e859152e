"""``reshape``: a new shape in C order, with dask.array's blocks.

A merge or split of neighbouring axes follows the plan of ``_reshape_plan`` (rechunk, then every block
reshaped on its own); adding or removing length-1 axes maps blocks one to one; any other reshape makes
blocks whole rows, then cuts rows to the new shape.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks, _reshape_plan
from gpuscale.array.axiswise import BlockReshape
from gpuscale.array.core import Array, zero_d_like
from gpuscale.array.creation import chunk_bytes
from gpuscale.array.expr import BlockShape, blockwise_expr
from gpuscale.array.rechunking import rechunk
from gpuscale.backends import array as chunkfn

__all__ = ["reshape"]


def _target_shape(x: Array, shape: tuple) -> tuple:
    shape = tuple(int(n) for n in shape)
    unknown = [i for i, n in enumerate(shape) if n == -1]
    known = math.prod(n for n in shape if n != -1)
    if len(unknown) > 1:
        raise ValueError("can only specify one unknown dimension")
    if unknown:
        if known == 0 or x.size % known:
            raise ValueError(f"cannot reshape array of size {x.size} into shape {shape}")
        shape = tuple(x.size // known if n == -1 else n for n in shape)
    if math.prod(shape) != x.size:
        raise ValueError(f"cannot reshape array of size {x.size} into shape {shape}")
    return shape


def reshape(x: Array, /, shape: tuple, *, copy: bool | None = None, merge_chunks: bool = True,
            limit: Any = None) -> Array:
    """Give ``x`` a new shape (same number of elements, C order), with dask.array's blocks.

    Parameters
    ----------
    x : Array
        Input.
    shape : int or tuple of int
        The new shape; one entry may be ``-1`` (inferred).
    copy : bool, optional
        ``False`` is refused: a chunked array is never reshaped in place.
    merge_chunks : bool, default True
        ``False``: when axes are merged, the leading axes are first cut into blocks of 1, so blocks are
        only relabelled (many small tasks, no data moved between blocks), as in dask.
    limit : int, optional
        Accepted for dask compatibility (dask does not use it either): blocks stay within the input's
        largest block.

    Returns
    -------
    Array
        ``x`` itself when the shape does not change.  A reshape that merges neighbouring axes or splits
        one into neighbours gets dask's blocks (``gpuscale/array/_reshape_plan.py``); any other one is
        made of whole rows.

    Raises
    ------
    ValueError
        If the sizes differ, or ``x`` has unknown lengths (after boolean indexing: call
        ``x.compute_chunk_sizes()`` first; a 1-d ``reshape(-1)`` needs no lengths).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.reshape(ga.arange(6, chunks=3, device="cpu"), (2, 3)).compute().tolist()
    [[0, 1, 2], [3, 4, 5]]
    >>> ga.reshape(ga.ones((20, 20, 5), chunks=(10, 10, 5), device="cpu"), (400, 5)).chunks
    ((100, 100, 100, 100), (5,))
    """
    return zero_d_like(x, _reshaped(x, shape, copy, merge_chunks))


def _reshaped(x: Array, shape: Any, copy: bool | None, merge_chunks: bool) -> Array:
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(_chunks.is_unknown(n) for n in x.shape):
        return _reshape_unknown(x, shape)
    shape = _target_shape(x, shape)
    if shape == x.shape:
        return x
    if copy is False:
        raise ValueError("reshape(copy=False) is not possible for a chunked array")
    if [n for n in x.shape if n != 1] == [n for n in shape if n != 1]:
        return _reshape_ones(x, shape)
    if x.npartitions == 1 or x.size == 0:
        one = rechunk(x, tuple((n,) for n in x.shape)) if x.ndim else x
        return _reshape_blocks(one, tuple(range(len(shape))), tuple((n,) for n in shape),
                               tuple(range(-x.ndim, 0)), BlockShape())
    if not merge_chunks and x.ndim > len(shape):
        x = rechunk(x, {d: 1 for d in range(x.ndim - len(shape))})
    planned = _reshape_plan.plan(x.shape, shape, x.chunks)
    if planned is None:  # not a merge or split of neighbouring axes
        return _reshape_rows(x, shape)
    whole = rechunk(x, planned[0])
    return Array(BlockReshape(whole._expr, planned[1], tuple(_chunks.block_indices(whole.numblocks))))


def _reshape_unknown(x: Array, shape: tuple) -> Array:
    """Reshape of an array with unknown lengths: possible only where no length is needed, a 1-d
    ``reshape(-1)`` or length-1 axes added or removed (``atleast_3d``); else dask's error."""
    from gpuscale.array.manipulation import expand_dims, squeeze  # deferred: manipulation offers reshape

    if x.ndim == 1 and shape == (-1,):
        return x
    if -1 not in shape and _chunks.same_dim([n for n in x.shape if n != 1], [n for n in shape if n != 1]):
        ones = tuple(d for d, n in enumerate(x.shape) if n == 1)
        squeezed = squeeze(x, axis=ones) if ones else x
        added = tuple(d for d, n in enumerate(shape) if n == 1)
        return expand_dims(squeezed, axis=added) if added else squeezed
    raise ValueError(f"reshape: the shape {x.shape} has unknown lengths (after a data-dependent operation "
                     f"such as boolean indexing) and {shape} needs them; call x.compute_chunk_sizes() first")


def _reshape_ones(x: Array, shape: tuple) -> Array:
    # only length-one dimensions are added or removed: blocks map one to one, once each length-one axis is
    # one block (empty blocks beside its one element would be handed to the block function as a list)
    split = {d: -1 for d, n in enumerate(x.shape) if n == 1 and len(x.chunks[d]) > 1}
    x = rechunk(x, split) if split else x
    letters, it = [], iter(d for d, n in enumerate(x.shape) if n != 1)
    for n in shape:
        letters.append(next(it) if n != 1 else None)
    out_ind = tuple(l if l is not None else 1000 + i for i, l in enumerate(letters))
    chunks = tuple(x.chunks[l] if l is not None else (1,) for l in letters)
    return _reshape_blocks(x, out_ind, chunks, tuple(range(x.ndim)), BlockShape())


def _reshape_rows(x: Array, shape: tuple) -> Array:
    target = max(1, chunk_bytes(x.backend) // x.dtype.itemsize)
    row = math.prod(x.shape[1:])
    rows = _chunks.regular(max(1, target // max(row, 1)), x.shape[0])
    whole = rechunk(x, (rows,) + tuple((n,) for n in x.shape[1:]))
    flat = _reshape_blocks(whole, (0,), (tuple(c * row for c in rows),), tuple(range(x.ndim)), (-1,))
    new_row = math.prod(shape[1:])
    new_rows = _chunks.regular(max(1, target // max(new_row, 1)), shape[0])
    flat = rechunk(flat, (tuple(c * new_row for c in new_rows),))
    chunks = (new_rows,) + tuple((n,) for n in shape[1:])
    return _reshape_blocks(flat, tuple(range(len(shape))), chunks, (0,), BlockShape())


def _reshape_blocks(x: Array, out_ind: tuple, chunks: tuple, arg_ind: tuple, shape: Any) -> Array:
    """Every block of ``x`` reshaped to ``shape`` (a tuple, or ``BlockShape()``: the output block's own)."""
    return Array(blockwise_expr(chunkfn.xp_call, out_ind, chunks, x.dtype, x.backend, "reshape", x._expr, shape,
                                arg_inds=(None, arg_ind, None)))
