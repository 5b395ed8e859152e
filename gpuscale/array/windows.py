"""``pad`` and ``sliding_window_view``: what xarray's ``shift``, ``pad`` and ``rolling`` need of a chunked array.

``pad`` (every mode of ``numpy.pad``) lives in :mod:`gpuscale.array.padding`; ``sliding_window_view`` gives
output block ``j`` from the input slice that covers its windows (its own rows plus ``window - 1`` more), so a
window that crosses a block boundary is read from both blocks, as dask's ``map_overlap`` version does.
"""

from __future__ import annotations

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
        ``automatic_rechunk``, ``subok``, ``writeable``: accepted and ignored.

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
    for w, a in zip(windows, axes):
        if w < 1 or w > x.shape[a]:
            raise ValueError(f"sliding_window_view: window {w} does not fit axis {a} of length {x.shape[a]}")
    out = x
    for w, a in zip(windows, axes):
        out = _windows_along(out, int(w), a, sliding_windows, map_blocks, concat)
    return out


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
