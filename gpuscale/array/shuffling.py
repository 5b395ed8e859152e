"""``shuffle``: dask.array's reordering of an axis by groups of positions, a group never split between blocks."""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.statistical import normalize_axis

__all__ = ["shuffle"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


# dask's array.chunk-size-tolerance default: how much larger than the input's blocks shuffle's blocks may grow
_SHUFFLE_TOLERANCE = 1.25


def _shuffle_tolerance() -> float:
    """dask's ``array.chunk-size-tolerance`` (``dask.config.set`` in ported code; read only if dask is already
    imported, so gpuscale's import stays light), else its default, :data:`_SHUFFLE_TOLERANCE`."""
    import sys

    dask_config = sys.modules.get("dask.config")
    value = None if dask_config is None else dask_config.get("array.chunk-size-tolerance", None)
    return _SHUFFLE_TOLERANCE if value is None else float(value)


def shuffle(x: Array, indexer: Any, axis: int, chunks: Any = "auto") -> Array:
    """Reorder ``x`` along ``axis`` by groups of positions, as ``dask.array.shuffle``: the result holds
    the positions of ``indexer[0]``, then those of ``indexer[1]`` ..., and a group is never split
    between blocks.

    The blocks are dask's: consecutive groups share a block up to about the input's mean block length along
    ``axis`` (25% more allowed), and where a group is longer than the input's blocks the other axes' blocks
    are split so that blocks keep about their size in bytes.  Groups that are already the blocks return
    ``x`` itself.

    Parameters
    ----------
    x : Array
        Input (block lengths known).
    indexer : list of list of int
        Groups of positions along ``axis`` (together a permutation or a selection).
    axis : int
        The axis.
    chunks : "auto"
        The only layout, as in dask.

    Returns
    -------
    Array
        ``take(x, concat(indexer), axis)`` with group-aligned blocks.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.shuffle(ga.arange(6, chunks=2), [[5, 0], [3], [1, 2, 4]], axis=0).compute().tolist()
    [5, 0, 3, 1, 2, 4]
    >>> ga.ones((2, 8), chunks=(2, 4)).shuffle([[1, 5, 6], [0, 3], [4, 2, 7]], axis=1).chunks
    ((2,), (5, 3))
    """
    ga = _ga()
    if chunks != "auto":
        raise NotImplementedError(f"shuffle: chunks={chunks!r}; only 'auto' is supported, as in dask")
    if any(n != n for n in x.shape):
        raise ValueError("Shuffling only allowed with known chunk sizes; call x.compute_chunk_sizes() first")
    if not isinstance(indexer, list) or not all(isinstance(g, list) for g in indexer):
        raise ValueError("shuffle: indexer must be a list of lists of positional indices")
    (axis,) = normalize_axis(axis, x.ndim)
    groups = [[int(i) for i in g] for g in indexer]
    flat = [i for g in groups for i in g]
    length = x.shape[axis]
    if flat and max(flat) >= length:
        raise IndexError(f"shuffle: Indexer contains out of bounds index {max(flat)}. Dimension only has {length} "
                         "elements.")
    blocks = x.chunks[axis]
    starts = [sum(blocks[:b]) for b in range(len(blocks))]
    if len(groups) == len(blocks) and all(g == list(range(s, s + n)) for g, s, n in zip(groups, starts, blocks)):
        return x  # already in those blocks
    longest, tolerance = max(map(len, groups), default=0), _shuffle_tolerance()
    if blocks and longest > max(blocks) * tolerance:
        x = x.rechunk(_split_other_axes(x.chunks, axis, longest, tolerance))
    out = ga.take(x, ga.asarray(flat, dtype=ga.int64, backend=x.backend), axis=axis)
    lengths = _shuffle_block_lengths(groups, length, len(blocks), tolerance)
    return out.rechunk({axis: lengths}) if lengths else out


def _shuffle_block_lengths(groups: list, length: int, nblocks: int, tolerance: float) -> tuple:
    """dask's blocks of shuffled groups: consecutive groups joined while under the mean input block length
    times the tolerance; a block ends early once past the mean itself."""
    limit = int(length / max(nblocks, 1) * tolerance)
    lengths: list[int] = []
    current = 0
    for g in groups:
        if current and current + len(g) > limit:
            lengths.append(current)
            current = len(g)
        else:
            current += len(g)
            if current > limit / tolerance:
                lengths.append(current)
                current = 0
    if current:
        lengths.append(current)
    return tuple(lengths)


def _split_other_axes(chunks: tuple, axis: int, longest: int, tolerance: float) -> tuple:
    """The blocks of the axes other than ``axis`` split so that a block holding a group of ``longest``
    positions is no larger (in elements) than the input's largest block, as dask."""
    from gpuscale.array._chunks import split_to_fit

    largest = math.prod(max(c, default=1) for c in chunks)
    grown = [(longest,) if d == axis else tuple(c) for d, c in enumerate(chunks)]
    new = list(split_to_fit(chunks, grown, {d for d in range(len(chunks)) if d != axis}, largest,
                            tolerance))
    new[axis] = tuple(chunks[axis])
    return tuple(new)
