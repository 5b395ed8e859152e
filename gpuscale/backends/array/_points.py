"""Point-wise fancy indexing (``x.vindex[i, j]``): planning on the host, gathering on the chunk's device.

The index arrays are in memory (NumPy or lists), so the points are sorted
into the blocks that hold them while the graph is built; each output block's
task reads only the blocks holding its points, takes them (one ``take`` per
block on the flattened indexed dimensions) and restores the points' order.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import library_of, module_for, namespace


def _np() -> Any:
    return module_for("numpy")


def vindex_points(indexes: list, sizes: tuple, name: str = "vindex key") -> tuple:
    """Broadcast in-memory integer index arrays, check them against ``sizes`` and wrap negatives.

    Returns ``(broadcast shape, points)``: ``points`` an ``(n, len(sizes))`` int64 NumPy array.

    Raises
    ------
    IndexError
        For boolean indexes or entries out of bounds, as dask.array's ``vindex``.
    """
    np = _np()
    arrays = [np.asarray(i) for i in indexes]
    for axis, (a, size) in enumerate(zip(arrays, sizes)):
        if a.dtype.kind == "b":
            raise IndexError("vindex does not support indexing with boolean arrays")
        if a.dtype.kind not in "iu" and a.size:
            raise IndexError(f"vindex: indexes must be integers, got {a.dtype} for axis {axis}")
        bad = (a >= size) | (a < -size)
        if a.size and bad.any():
            raise IndexError(f"{name} has entries out of bounds for indexing along axis {axis} of size {size}: "
                             f"{a[bad].tolist()[:10]}")
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        raise IndexError(f"shape mismatch: indexing arrays could not be broadcast together: {exc}") from None
    columns = [np.broadcast_to(a.astype(np.int64, copy=False), shape).reshape(-1) % size
               for a, size in zip(arrays, sizes)]
    points = np.stack(columns, axis=1) if columns else np.zeros((0, 0), dtype=np.int64)
    return tuple(int(n) for n in shape), points


def plan_points(points: Any, chunks: tuple, start: int, stop: int) -> tuple:
    """For points ``start:stop``: ``(groups, order)``.

    ``groups`` lists ``(block coordinates, local index arrays)`` of the blocks (along the indexed
    dimensions, whose ``chunks`` are given) holding these points, in block order; ``order`` puts the
    gathered points (group after group) back in their original order (None when it already is).
    """
    np = _np()
    part = points[start:stop]
    k = part.shape[1]
    bounds = [np.cumsum((0,) + tuple(c)) for c in chunks]
    block = np.stack([np.searchsorted(bounds[d], part[:, d], side="right") - 1 for d in range(k)], axis=1) \
        if len(part) else np.zeros((0, k), dtype=np.int64)
    local = part - np.stack([bounds[d][block[:, d]] for d in range(k)], axis=1) if len(part) else part
    numblocks = tuple(len(c) for c in chunks)
    flat_block = np.ravel_multi_index(tuple(block.T), numblocks) if len(part) else np.zeros(0, dtype=np.int64)
    sequence = np.argsort(flat_block, kind="stable")
    groups = []
    ordered = flat_block[sequence]
    edges = np.flatnonzero(np.diff(ordered)) + 1
    for members in np.split(sequence, edges) if len(part) else []:
        coords = tuple(int(c) for c in block[members[0]])
        groups.append((coords, tuple(np.ascontiguousarray(local[members, d]) for d in range(k))))
    order = np.argsort(sequence, kind="stable")
    identity = bool((order == np.arange(len(order))).all())
    return groups, None if identity else order


def gather_points(blocks: list, locals_: list, order: Any, k: int) -> Any:
    """The points of each block (``locals_``: per block, local index arrays along its first ``k``
    dimensions), concatenated and put back in order: shape ``(n,) + block.shape[k:]``."""
    from gpuscale.backends.array._creation import to_backend

    np = _np()
    parts = []
    for block, local in zip(blocks, locals_):
        xp = namespace(block)
        lead = tuple(int(n) for n in block.shape[:k])
        flat = np.ravel_multi_index(local, lead) if k else np.zeros(len(local[0]), dtype=np.int64)
        index = to_backend(flat.astype(np.int64), library_of(block))
        merged = xp.reshape(block, (int(np.prod(lead)),) + tuple(block.shape[k:]))
        parts.append(xp.take(merged, index, axis=0))
    xp = namespace(*parts)
    out = parts[0] if len(parts) == 1 else xp.concat(parts, axis=0)
    if order is not None:
        out = xp.take(out, to_backend(order.astype(np.int64), library_of(out)), axis=0)
    return out


def gather_along(blocks: list, locals_: list, order: Any, axis: int) -> Any:
    """``take`` along ``axis`` from several blocks: the elements ``locals_[i]`` (a 1-tuple of local index
    arrays, as :func:`plan_points` gives) of each block, concatenated along ``axis`` and put back in order.

    Memory: when the blocks together are no longer than the output along ``axis`` (a few small blocks
    repeated, as a climatology broadcast to every day), they are joined and taken from once (the output
    and the joined inputs); otherwise each block's elements are taken, joined and reordered (twice the
    output at most).
    """
    from gpuscale.backends.array._sparse import is_sparse, sparse_gather

    if any(is_sparse(b) for b in blocks):  # SciPy / CuPy sparse matrices index themselves
        return sparse_gather(blocks, locals_, order, axis)
    np = _np()
    lengths = [int(b.shape[axis]) for b in blocks]
    wanted = sum(len(local) for (local,) in locals_)
    xp = namespace(*blocks)
    if len(blocks) > 1 and sum(lengths) <= wanted:
        starts = np.cumsum([0] + lengths[:-1])
        index = np.concatenate([local + start for (local,), start in zip(locals_, starts)])
        joined = xp.concat(blocks, axis=axis)
        return _take(xp, joined, index if order is None else index[order], axis)
    parts = [_take(xp, block, local, axis) for block, (local,) in zip(blocks, locals_)]
    out = parts[0] if len(parts) == 1 else xp.concat(parts, axis=axis)
    del parts
    return out if order is None else _take(xp, out, order, axis)


def _take(xp: Any, block: Any, local: Any, axis: int) -> Any:
    """``block`` at the host indices ``local`` along ``axis`` (the block itself for all of it, in order)."""
    from gpuscale.backends.array._creation import to_backend

    np = _np()
    n = int(block.shape[axis])
    if len(local) == n and (n == 0 or (int(local[0]) == 0 and bool((np.diff(local) == 1).all()))):
        return block
    return xp.take(block, to_backend(local.astype(np.int64, copy=False), library_of(block)), axis=axis)


def host_index(index: Any) -> Any:
    """An in-memory index (list, NumPy / CuPy / array-api-strict array) as a NumPy array."""
    from gpuscale.backends.array._creation import to_backend

    np = _np()
    return np.asarray(to_backend(index, "numpy")) if _is_chunk(index) else np.asarray(index)


def _is_chunk(x: Any) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype") and library_of(x) != "numpy"


def is_full_range(points: Any, length: int) -> bool:
    """True when the ``(n, 1)`` points are ``0, 1, ..., length - 1``: a take that changes nothing."""
    np = _np()
    return len(points) == length and bool((points[:, 0] == np.arange(length)).all())


def mask_positions(mask: Any) -> Any:
    """The positions of the true entries of an in-memory 1-d boolean mask (an int64 NumPy array)."""
    np = _np()
    return np.flatnonzero(host_index(mask)).astype(np.int64)


def mask_ranks(mask: Any) -> tuple:
    """For an in-memory boolean mask: ``(ranks, count)``, ``ranks`` (a NumPy array of the mask's shape) giving
    each true element's position among the true elements in C order (0 for false elements, a valid position
    whenever one is true), int32 when that holds them; ``count`` the number of true elements."""
    np = _np()
    host = host_index(mask)
    flat = host.reshape(-1)
    count = int(flat.sum())
    ranks = np.maximum(np.cumsum(flat, dtype=np.int64) - 1, 0)
    return ranks.astype(np.int32 if count < 2 ** 31 else np.int64).reshape(host.shape), count


def take_in_block(block: Any, index: Any, start: int, total: int, axis: int) -> Any:
    """The elements of ``block`` (the one starting at ``start`` along ``axis``, of an axis of length
    ``total``) that a chunk of a lazy ``index`` (of any dimension: flattened) points at, in the index's
    order: the first step of a take with an index known only when computed (as dask.array's
    ``slice_with_int_dask_array``)."""
    xp = namespace(block, index)
    index = xp.astype(xp.reshape(index, (-1,)), xp.int64)
    local = xp.where(index < 0, index + total, index) - start
    local = local[(local >= 0) & (local < block.shape[axis])]
    return xp.take(block, local, axis=axis)


def join_taken(parts: list, index: Any, starts: list, total: int, axis: int) -> Any:
    """Join the :func:`take_in_block` parts (one per input block, in block order; block ``i`` starts at
    ``starts[i]``) and put the elements back in the order of the ``index`` chunk, whose shape replaces ``axis``.

    Raises
    ------
    IndexError
        If an entry of the index is out of bounds (it fell in no block), as NumPy.
    """
    xp = namespace(index, *parts)
    shape = tuple(index.shape)
    index = xp.astype(xp.reshape(index, (-1,)), xp.int64)
    bad = (index < -total) | (index >= total)  # before wrapping: the error shows the entries as given
    if bool(xp.any(bad)):
        entries = _np().asarray(host_index(index[bad]))[:10].tolist()
        more = f" (entries out of bounds: {entries})" if len(entries) > 1 else ""
        raise IndexError(f"index {entries[0]} is out of bounds for axis {axis} with size {total}{more}")
    index = xp.where(index < 0, index + total, index)
    out = parts[0]
    if len(parts) > 1:
        joined = xp.concat(parts, axis=axis)
        owner = xp.searchsorted(xp.asarray(starts[1:], dtype=xp.int64, device=index.device), index, side="right")
        position = xp.argsort(xp.argsort(owner, stable=True), stable=True)  # where each entry landed in ``joined``
        out = xp.take(joined, position, axis=axis)
    if len(shape) == 1:
        return out
    return xp.reshape(out, tuple(out.shape[:axis]) + shape + tuple(out.shape[axis + 1:]))
