"""``x.blocks[i, j]`` (select blocks) and ``x.vindex[i, j]`` (point-wise fancy indexing), as in dask.array.

``x.blocks[...]`` takes block indices (ints, slices, one list per key) and
gives an array made of those blocks, each an alias of the original block (no
data is touched); an int keeps its dimension (``x.blocks[0]`` is the first
row of blocks).

``x.vindex[...]`` indexes point by point: ``x.vindex[[0, 1], [2, 3]]`` is
``[x[0, 2], x[1, 3]]``; the index arrays broadcast, ints and slices index the
other dimensions first, and the points' dimensions come first in the result
(dask.array's rule, unlike NumPy's for non-adjacent index arrays).  With
in-memory indexes (lists, NumPy arrays) each output block reads only the
blocks holding its points; gpuscale arrays as indexes are gathered lazily.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import ArrayExpr, Opaque
from gpuscale.backends import array as chunkfn

__all__ = ["BlockView", "VIndex", "BlockSelection", "PointGather", "vindex"]


class BlockSelection(ArrayExpr):
    """The blocks ``selected[d]`` (block numbers per dimension) of ``array``, as a new array."""

    _parameters = ["array", "selected"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return tuple(tuple(c[i] for i in sel) for c, sel in zip(self.array.chunks, self.selected))

    def _layer(self) -> dict:
        name, selected = self.array._name, self.selected  # (asked once, not per block)
        return {self.key(index): (chunkfn.identity, (name, *(sel[i] for sel, i in zip(selected, index))))
                for index in _chunks.block_indices(self.numblocks)}


def _block_numbers(key: Any, n: int, axis: int) -> list[int]:
    if isinstance(key, slice):
        return list(range(*key.indices(n)))
    if isinstance(key, (list, tuple)) or (hasattr(key, "ndim") and not is_array(key) and key.ndim == 1):
        entries = list(key)
        if entries and all(chunkfn.python_scalar_type(k) is bool for k in entries):  # a mask of blocks, as dask
            if len(entries) != n:
                raise IndexError(f"boolean block index of length {len(entries)} for axis {axis} with {n} blocks")
            return [i for i, keep in enumerate(entries) if keep]
        return [_one_block_number(k, n, axis) for k in entries]
    return [_one_block_number(key, n, axis)]


def _one_block_number(k: Any, n: int, axis: int) -> int:
    i = operator.index(k)
    if not -n <= i < n:
        raise IndexError(f"block index {i} is out of bounds for axis {axis} with {n} blocks")
    return i % n


class BlockView:
    """``x.blocks``: index an array by blocks (``x.blocks[1, :2]``)."""

    def __init__(self, array: Array) -> None:
        self._array = array

    @property
    def shape(self) -> tuple:
        """Blocks per dimension (``x.numblocks``)."""
        return self._array.numblocks

    @property
    def size(self) -> int:
        """Number of blocks."""
        return math.prod(self.shape)

    def __len__(self) -> int:
        return self.shape[0] if self.shape else 1

    def ravel(self) -> list[Array]:
        """Every block as an array, in C order."""
        return [self[index] for index in _chunks.block_indices(self.shape)]

    def __getitem__(self, key: Any) -> Array:
        x = self._array
        key = key if isinstance(key, tuple) else (key,)
        if any(k is None for k in key):
            raise ValueError("Slicing with np.newaxis or None is not supported")
        if sum(isinstance(k, list) or (hasattr(k, "ndim") and getattr(k, "ndim", 0) == 1) for k in key) > 1:
            raise ValueError("Can only slice with a single list")
        if any(k is Ellipsis for k in key):
            i = key.index(Ellipsis)
            key = key[:i] + (slice(None),) * (x.ndim - len(key) + 1) + key[i + 1:]
        if len(key) > x.ndim:
            raise IndexError(f"too many block indices: the array has {x.ndim} dimensions")
        key = key + (slice(None),) * (x.ndim - len(key))
        selected = tuple(tuple(_block_numbers(k, n, d)) for d, (k, n) in enumerate(zip(key, x.numblocks)))
        if any(not s for s in selected):
            raise IndexError(f"the block index {key} selects no block")
        if all(s == tuple(range(n)) for s, n in zip(selected, x.numblocks)):
            return Array(x._expr)
        return Array(BlockSelection(x._expr, selected))


class PointGather(ArrayExpr):
    """The points ``points`` (an ``(n, k)`` host array) of ``array``'s first ``k`` dimensions; the
    other dimensions follow.  ``point_chunks``: blocks along the points."""

    _parameters = ["array", "points", "point_chunks"]

    @functools.cached_property
    def chunks(self) -> tuple:
        k = self.points.value.shape[1]
        return (self.point_chunks,) + tuple(self.array.chunks[k:])

    def _layer(self) -> dict:
        points = self.points.value
        k = points.shape[1]
        lead = tuple(self.array.chunks[:k])
        plans = []
        for start, n in zip(_chunks.offsets(self.point_chunks), self.point_chunks):
            plans.append(chunkfn.plan_points(points, lead, start, start + n))
        layer = {}
        for index in _chunks.block_indices(self.numblocks):
            groups, order = plans[index[0]]
            keys = [self.array.key(coords + tuple(index[1:])) for coords, _ in groups]
            locals_ = [local for _, local in groups]
            layer[self.key(index)] = (chunkfn.gather_points, keys, locals_, order, k)
        return layer


class VIndex:
    """``x.vindex``: point-wise fancy indexing (``x.vindex[[0, 1], [2, 3]]``)."""

    def __init__(self, array: Array) -> None:
        self._array = array

    def __getitem__(self, key: Any) -> Array:
        return vindex(self._array, key)


def _is_int(k: Any) -> bool:
    return chunkfn.python_scalar_type(k) is int and not isinstance(k, bool)


def _is_fancy(k: Any) -> bool:
    if _is_int(k) or isinstance(k, slice):
        return False
    return isinstance(k, (list, tuple)) or (hasattr(k, "shape") and len(k.shape) > 0) or \
        (hasattr(k, "dtype") and getattr(k, "dtype").kind == "b")


def vindex(x: Array, key: Any) -> Array:
    """``x.vindex[key]``: see the module docstring."""
    from gpuscale.array.manipulation import permute_dims, reshape

    key = key if isinstance(key, tuple) else (key,)
    if any(k is Ellipsis for k in key):
        i = key.index(Ellipsis)
        key = key[:i] + (slice(None),) * (x.ndim - len(key) + 1) + key[i + 1:]
    if any(k is None for k in key):
        raise IndexError("vindex does not support indexing with None (np.newaxis)")
    if len(key) > x.ndim:
        raise IndexError(f"too many indices for array: array is {x.ndim}-dimensional, but {len(key)} were indexed")
    key = key + (slice(None),) * (x.ndim - len(key))
    basic = tuple(slice(None) if _is_fancy(k) else k for k in key)
    x = x[basic] if any(b != slice(None) for b in basic) else x
    fancy = [k for k in key if _is_fancy(k)]
    remaining = [k for k in key if not _is_int(k)]  # the dimensions left after the ints
    if not fancy:
        return x
    positions = [d for d, k in enumerate(remaining) if _is_fancy(k)]
    rest = [d for d in range(x.ndim) if d not in positions]
    if positions != list(range(len(positions))):
        x = permute_dims(x, tuple(positions + rest))
    if any(is_array(k) for k in fancy):
        return _lazy_points(x, fancy)
    sizes = x.shape[: len(fancy)]
    if any(_chunks.is_unknown(n) for n in sizes):
        raise IndexError("vindex needs the lengths of the indexed dimensions; call .compute_chunk_sizes() first")
    shape, points = chunkfn.vindex_points(fancy, sizes)
    rest_shape = x.shape[len(fancy):]
    n = points.shape[0]
    if n == 0:
        from gpuscale.array.creation import zeros

        return zeros(shape + rest_shape, dtype=x.dtype, backend=x.backend)
    row = x.dtype.itemsize * math.prod(max(c) if c else 1 for c in x.chunks[len(fancy):])
    from gpuscale.array.gather import at_least_floor

    # as many points as one input block holds along the indexed dimensions (dask's rule)
    per_block = at_least_floor(math.prod(max(c) if c else 1 for c in x.chunks[:len(fancy)]), row, x.backend)
    node = PointGather(x._expr, Opaque(points), _chunks.regular(per_block, n))
    out = Array(node)
    return out if shape == (n,) else reshape(out, shape + rest_shape)


def _lazy_points(x: Array, fancy: list) -> Array:
    """Index arrays that are gpuscale arrays: an integer-array gather on the leading dimensions."""
    from gpuscale.array.creation import asarray

    backend = x.backend
    indexes = [k if is_array(k) else asarray(k, backend=backend) for k in fancy]
    if any(i.dtype.kind == "b" for i in indexes):
        raise IndexError("vindex does not support indexing with boolean arrays")
    return x[tuple(indexes) + (slice(None),) * (x.ndim - len(indexes))]
