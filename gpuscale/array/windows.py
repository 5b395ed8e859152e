"""``pad`` and ``sliding_window_view``: what xarray's ``shift``, ``pad`` and ``rolling`` need of a chunked array.

``pad`` (every mode of ``numpy.pad``) lives in :mod:`gpuscale.array.padding`; ``sliding_window_view`` gives
output block ``j`` from the input slice that covers its windows (its own rows plus ``window - 1`` more), so a
window that crosses a block boundary is read from both blocks, as dask's ``map_overlap`` version does.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.padding import pad
from gpuscale.array.statistical import normalize_axis

__all__ = ["pad", "sliding_window_view"]


def sliding_window_view(x: Array, window_shape: Any, axis: Any = None, **kwargs: Any) -> Array:
    """Windows of ``window_shape`` along ``axis`` as new trailing dimensions, as
    ``numpy.lib.stride_tricks.sliding_window_view``.

    Parameters
    ----------
    x : Array
        Input.
    window_shape : int or tuple of int
        Window length per windowed axis.
    axis : int or tuple of int, optional
        The windowed axes (all when None, one window length each).
    **kwargs
        ``automatic_rechunk`` (default True, as dask): split the blocks of the axes without windows so that
        an output block, windows included, holds no more elements than the input's largest block.
        ``subok``, ``writeable``: accepted and ignored.

    Returns
    -------
    Array
        Each windowed axis shortened to ``n - window + 1``, the windows' axes appended.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> w = ga.sliding_window_view(ga.arange(5, chunks=3), 3)
    >>> w.shape, w.compute().tolist()
    ((3, 3), [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    """
    from gpuscale.array.api import map_blocks
    from gpuscale.array.manipulation import concat
    from gpuscale.backends.array._windows import sliding_windows

    windows = (window_shape,) if isinstance(window_shape, int) else tuple(window_shape)
    axes = tuple(range(x.ndim)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(normalize_axis(a, x.ndim)[0] for a in axes)
    if len(axes) != len(windows):
        raise ValueError("sliding_window_view: window_shape and axis must have the same length")
    _check_fits(x, windows, axes)
    others = _bounded_other_axes(x.chunks, axes, windows) if kwargs.get("automatic_rechunk", True) else x.chunks
    windowed = _long_enough(x.chunks, axes, windows)
    x = x.rechunk(tuple(windowed[d] if d in axes else dim for d, dim in enumerate(others)))
    out = x
    for w, a in zip(windows, axes):
        out = _windows_along(out, int(w), a, sliding_windows, map_blocks, concat)
    return out


def _check_fits(x: Array, windows: tuple, axes: tuple) -> None:
    for w, a in zip(windows, axes):
        if math.isnan(x.shape[a]):  # the windows' starts are positions along the axis
            raise ValueError(f"sliding_window_view: the length of axis {a} is unknown {x.chunks[a]} (after a "
                             "data-dependent operation such as boolean indexing); call x.compute_chunk_sizes() first")
        if w < 1 or w > x.shape[a]:
            raise ValueError(f"sliding_window_view: window {w} does not fit axis {a} of length {x.shape[a]}")


_TOLERANCE = 1.25  # a block may exceed its share by this factor before it is split (dask's default tolerance)


def _long_enough(chunks: tuple, axes: tuple, windows: tuple) -> tuple:
    """``chunks`` with each windowed axis's blocks at least as long as its windows (its reach), so that every
    block starts a window and the blocks are dask's."""
    from gpuscale.array.overlap import _merge_short

    reach = {a: sum(w - 1 for b, w in zip(axes, windows) if b == a) + 1 for a in axes}
    return tuple(_merge_short(dim, reach[d]) if d in reach else dim for d, dim in enumerate(chunks))


def _bounded_other_axes(chunks: tuple, axes: tuple, windows: tuple) -> tuple:
    """``chunks`` with the axes without windows split until an output block (each window adds a dimension
    of its length) has no more elements than the largest input block, the split spread evenly over them."""
    from gpuscale.array.overlap import _merge_short

    limit = max(math.prod(max(dim, default=1) for dim in chunks), 1)
    reach = {a: sum(w - 1 for b, w in zip(axes, windows) if b == a) + 1 for a in axes}
    # a windowed axis's blocks are read with the next block's first reach - 1 elements: as long as the reach
    out = [_merge_short(dim, reach[d]) if d in reach else dim for d, dim in enumerate(chunks)]
    free = {d for d in range(len(chunks)) if d not in reach}
    while free:
        excess = math.prod(max(dim, default=1) for dim in out) * math.prod(windows) / limit
        if excess <= 1:
            break
        ways = len(free)  # the excess is shared by the axes still free at the start of the round
        for d in sorted(free):
            share = max(out[d]) / excess ** (1 / ways)
            split = tuple(n for c in chunks[d] for n in (_pieces(c, share) if c > _TOLERANCE * share else (c,)))
            if split == out[d] or max(split) == 1:
                free.discard(d)
            out[d] = split
    return tuple(chunks[d] if d in reach else dim for d, dim in enumerate(out))  # windows: own plan


def _pieces(length: int, share: float) -> tuple:
    """``length`` in ``ceil(length / share)`` near-equal pieces (the longer ones first), none empty."""
    count = min(math.ceil(length / share), length)
    size, extra = divmod(length, count)
    return (size + 1,) * extra + (size,) * (count - extra)


def _windows_along(x: Array, window: int, axis: int, func: Any, map_blocks: Any, concat: Any) -> Array:
    n = x.shape[axis]
    count = n - window + 1  # >= 1: the window fits
    bounds = _chunks.offsets(x.chunks[axis]) + [n]
    pieces = []
    for lo in bounds[:-1]:
        hi = min(count, next(b for b in bounds if b > lo))  # this block's rows that start a window
        if lo >= count:
            break
        index = tuple(slice(lo, hi + window - 1) if d == axis else slice(None) for d in range(x.ndim))
        part = x[index].rechunk({axis: -1})
        chunks = part.chunks[:axis] + ((hi - lo,),) + part.chunks[axis + 1:] + ((window,),)
        pieces.append(map_blocks(func, part, window, axis, dtype=x.dtype, chunks=chunks, new_axis=x.ndim))
    return pieces[0] if len(pieces) == 1 else concat(pieces, axis=axis)
