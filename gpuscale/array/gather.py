"""Gathers with in-memory indices: ``take`` along one axis in bounded blocks, and orthogonal ``x.oindex[...]``.

An index that is already in memory (a list, a NumPy or CuPy array, an
in-memory gpuscale array) is planned while the graph is built, as dask.array
does: the output axis is cut into blocks of bounded size (the input's mean
block length along the axis, as dask.array, unless that is under a 1024th of
``array.chunk_bytes``: :func:`take_block_limit`; a 1-d gpuscale index gives
its own blocks instead, as in dask), and each output block's task reads
only the input blocks holding its elements.  No block ever holds the whole axis, so taking
a long index (xarray's ``groupby`` anomalies broadcast a 12-month climatology
to every day this way) keeps memory bounded.

``x.oindex[i, j]`` indexes each axis on its own (outer, or orthogonal,
indexing: ``x.oindex[[0, 1], [2, 3]]`` is ``x[[0, 1]][:, [2, 3]]``), which is
what xarray means by ``isel(time=[...], lat=[...])``; ``x[i, j]`` stays
point-wise, as in NumPy and the Array API.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import ArrayExpr, Opaque
from gpuscale.backends import array as chunkfn

__all__ = ["TakeBlocks", "LazyTake", "at_least_floor", "OIndex", "oindex", "host_take", "take_block_limit"]


class TakeBlocks(ArrayExpr):
    """``take(array, points[:, 0], axis)`` with the output's ``axis`` in blocks ``out_chunks``.

    ``points`` is an ``(n, 1)`` host array of in-range, non-negative indices.
    """

    _parameters = ["array", "points", "axis", "out_chunks"]

    @functools.cached_property
    def chunks(self) -> tuple:
        c = self.array.chunks
        return c[:self.axis] + (self.out_chunks,) + c[self.axis + 1:]

    def _free_chunk_axes(self) -> tuple:
        return (self.axis,)  # each output block is planned on its own: any cut along the axis costs the same

    def _with_chunks(self, chunks: tuple) -> "TakeBlocks | None":
        axis = self.axis
        if chunks[:axis] != self.chunks[:axis] or chunks[axis + 1:] != self.chunks[axis + 1:]:
            return None
        return TakeBlocks(self.array, self.points, axis, tuple(chunks[axis]))

    def in_input_order(self) -> "TakeBlocks":
        """The same rows sorted, one output block per input block holding any: for reductions, which do not
        care about the order of the rows, each block is then a slice of one input block (no copy when the
        rows are consecutive, as a month's days are)."""
        points = self.points.value
        ordered = points[points[:, 0].argsort(kind="stable")]
        groups, _ = chunkfn.plan_points(ordered, (self.array.chunks[self.axis],), 0, len(ordered))
        blocks = tuple(len(local) for _, (local,) in groups)
        if blocks == self.out_chunks and bool((ordered == points).all()):
            return self
        return TakeBlocks(self.array, Opaque(ordered), self.axis, blocks or self.out_chunks)

    def _layer(self) -> dict:
        points, axis = self.points.value, self.axis
        dim = (self.array.chunks[axis],)
        plans = [chunkfn.plan_points(points, dim, start, start + n)
                 for start, n in zip(_chunks.offsets(self.out_chunks), self.out_chunks)]
        layer = {}
        for index in _chunks.block_indices(self.numblocks):
            groups, order = plans[index[axis]]
            keys = [self.array.key(index[:axis] + coords + index[axis + 1:]) for coords, _ in groups]
            if not keys:  # an empty output block: an empty take of the first input block
                keys, groups = [self.array.key(index[:axis] + (0,) + index[axis + 1:])], [((0,), (points[:0, 0],))]
            run = _run(groups[0][1][0]) if len(groups) == 1 and order is None else None
            if run is not None:  # consecutive rows of one block: a view of it
                where = (slice(None),) * axis + (slice(*run),) + (slice(None),) * (self.ndim - axis - 1)
                layer[self.key(index)] = (chunkfn.getitem, keys[0], where)
            else:
                layer[self.key(index)] = (chunkfn.gather_along, keys, [local for _, local in groups], order, axis)
        return layer


class LazyTake(ArrayExpr):
    """``take(array, index, axis)`` for a lazy integer ``index``: the index's axes (in its blocks) replace
    ``axis``.  Each (input block, index block) task takes the elements of that input block the index chunk
    points at, and each output block joins its parts back in order (dask.array's way), so no task holds
    more than an input block and an output block."""

    _parameters = ["array", "index", "axis"]

    @functools.cached_property
    def chunks(self) -> tuple:
        c = self.array.chunks
        return c[:self.axis] + self.index.chunks + c[self.axis + 1:]

    @functools.cached_property
    def dtype(self) -> Any:
        return self.array.dtype

    @property
    def backend(self) -> str:
        return self.array.backend

    def _layer(self) -> dict:
        axis, dim = self.axis, self.array.chunks[self.axis]
        starts, total = list(_chunks.offsets(dim)), int(sum(dim))
        part_name = self._name + "-part"
        layer = {}
        k = self.index.ndim  # the index's axes replace ``axis``
        for index in _chunks.block_indices(self.numblocks):
            chunk = self.index.key(index[axis:axis + k])
            parts = []
            for i, start in enumerate(starts):
                part = (part_name, *index, i)
                source = self.array.key(index[:axis] + (i,) + index[axis + k:])
                layer[part] = (chunkfn.take_in_block, source, chunk, start, total, axis)
                parts.append(part)
            layer[self.key(index)] = (chunkfn.join_taken, parts, chunk, starts, total, axis)
        return layer


def _run(local: Any) -> tuple | None:
    """``(start, stop)`` when the local indices are ``start, start + 1, ..., stop - 1``, else None."""
    if len(local) == 0 or (len(local) > 1 and not bool(((local[1:] - local[:-1]) == 1).all())):
        return None
    return int(local[0]), int(local[-1]) + 1


def take_block_limit(x: Array, axis: int) -> int:
    """Longest output block along ``axis`` for a take from ``x``: ``x``'s mean block length there
    (dask.array's rule, so each output block is no larger than an input block and the blocks match
    dask's), but at least as many rows as fill a 1024th of ``array.chunk_bytes`` (128 KiB on CPUs):
    the floor keeps a take from one-row blocks, such as a monthly climatology, from making one task
    per row."""
    dim = x.chunks[axis]
    mean = max(1, int(sum(dim) / max(len(dim), 1)))
    row = x.dtype.itemsize * math.prod(max(c) if c else 1 for d, c in enumerate(x.chunks) if d != axis)
    return at_least_floor(mean, row, x.backend)


def at_least_floor(rows: int, row: int, backend: str) -> int:
    """``rows``, or more when ``rows`` rows of ``row`` bytes are under a 1024th of ``array.chunk_bytes``
    (so a gather from tiny blocks does not make one task per handful of rows)."""
    from gpuscale.array.creation import chunk_bytes

    return max(rows, chunk_bytes(backend) // 1024 // max(row, 1))


def host_take(x: Array, index: Any, axis: int, out_chunks: tuple | None = None) -> Array:
    """``take(x, index, axis=axis)`` for an in-memory integer ``index`` of any dimension (its shape
    replaces ``axis``), planned now: see the module docstring.  ``out_chunks`` (for a 1-d index)
    overrides the output blocks along ``axis``.

    Raises
    ------
    IndexError
        If an index is out of bounds (before anything runs, as in NumPy).
    """
    from gpuscale.array.manipulation import reshape

    length = x.shape[axis]
    shape, points = chunkfn.vindex_points([chunkfn.host_index(index)], (length,), "take index")
    if len(shape) != 1:
        out = host_take(x, points[:, 0], axis)
        return reshape(out, x.shape[:axis] + shape + x.shape[axis + 1:])
    n = shape[0]
    if out_chunks is None:
        if chunkfn.is_full_range(points, length) and n:
            return Array(x._expr)
        out_chunks = _chunks.regular(take_block_limit(x, axis), n)
    elif sum(out_chunks) != n:
        raise ValueError(f"take: out_chunks {out_chunks} do not add up to the index's length {n}")
    return Array(TakeBlocks(x._expr, Opaque(points), axis, tuple(out_chunks)))


def planned_index(x: Array, indices: Any, axis: int) -> Any:
    """The host values of ``indices`` when a take along ``axis`` can be planned now, else None
    (a lazy index, a non-integer one, or an axis of unknown length)."""
    from gpuscale.array.data_dependent import in_memory, in_memory_values

    if _chunks.is_unknown(x.shape[axis]) or any(_chunks.is_unknown(n) for c in x.chunks for n in c):
        return None
    if is_array(indices):
        if indices.dtype.kind not in "iu" or not in_memory(indices) or any(
                _chunks.is_unknown(n) for n in indices.shape):
            return None
        return chunkfn.host_index(in_memory_values(indices))
    values = chunkfn.host_index(indices)
    return values if values.dtype.kind in "iu" or values.size == 0 else None


class OIndex:
    """``x.oindex``: orthogonal (outer) indexing, each axis on its own (``x.oindex[[0, 1], [2, 3]]``)."""

    def __init__(self, array: Array) -> None:
        self._array = array

    def __getitem__(self, key: Any) -> Array:
        return oindex(self._array, key)


def oindex(x: Array, key: Any) -> Array:
    """``x.oindex[key]``: ints, slices, ``None``, ``...`` and one 1-d integer or boolean array (or list)
    per axis, each applied to its own axis (zarr's and xarray's outer indexing).

    Parameters
    ----------
    x : Array
        The array to index.
    key : tuple
        One entry per axis (missing trailing entries select everything).

    Returns
    -------
    Array
        ``x`` indexed axis by axis: an array entry keeps its axis (with its length).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(12), (3, 4))
    >>> x.oindex[[0, 2], [1, 3]].compute().tolist()
    [[1, 3], [9, 11]]
    >>> x.oindex[[True, False, True], 1:3].compute().tolist()
    [[1, 2], [9, 10]]
    """
    from gpuscale.array.indexing import _expand

    key = _expand(key, x.ndim)
    arrays = [(i, k) for i, k in enumerate(key) if _is_index_array(k)]
    if not arrays:
        return x[key]
    for i, k in arrays:
        if len(getattr(k, "shape", (len(k),))) != 1:
            raise IndexError(f"oindex: array indices must be 1-d, got shape {k.shape}")
    basic = tuple(slice(None) if _is_index_array(k) else k for k in key)
    out = x[basic] if any(not (isinstance(k, slice) and k == slice(None)) for k in basic) else x
    axis = 0
    for k in key:  # each array entry indexes its own axis, counted once the ints have gone and the Nones come
        if _is_host_mask(k):
            if len(k) != out.shape[axis]:
                raise IndexError(f"oindex: boolean index of length {len(k)} for an axis of length {out.shape[axis]}")
            k = chunkfn.mask_positions(k)
        if _is_index_array(k):
            out = out[(slice(None),) * axis + (k,)]
        if k is None or isinstance(k, slice) or _is_index_array(k):
            axis += 1
    return out


def _is_host_mask(k: Any) -> bool:
    return not is_array(k) and _is_index_array(k) and chunkfn.host_index(k).dtype.kind == "b"


def _is_index_array(k: Any) -> bool:
    return isinstance(k, list) or (hasattr(k, "shape") and hasattr(k, "dtype") and len(k.shape) > 0) \
        or (is_array(k) and k.ndim > 0)
