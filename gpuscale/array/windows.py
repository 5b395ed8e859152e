"""``pad`` and ``sliding_window_view``: what xarray's ``shift``, ``pad`` and ``rolling`` need of a chunked array.

``pad`` joins constant (or edge) blocks to each side; ``sliding_window_view`` gives output block ``j``
from the input slice that covers its windows (its own rows plus ``window - 1`` more), so a window that
crosses a block boundary is read from both blocks, as dask's ``map_overlap`` version does.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.statistical import normalize_axis

__all__ = ["pad", "sliding_window_view"]


def _pairs(value: Any, ndim: int, what: str) -> list:
    """NumPy's ``pad_width`` / ``constant_values`` forms as one ``(before, after)`` pair per axis."""
    if isinstance(value, (int, float, complex, bool)) or getattr(value, "ndim", None) == 0:
        return [(value, value)] * ndim
    rows = list(value)
    if not any(isinstance(v, (list, tuple)) for v in rows):
        rows = [rows]  # a flat (before, after) or (both,): the same for every axis, as NumPy broadcasts it
    rows = [tuple(v) if isinstance(v, (list, tuple)) else (v,) for v in rows]
    if len(rows) not in (1, ndim) or any(len(r) not in (1, 2) for r in rows):
        raise ValueError(f"pad: {what} {value!r} does not broadcast to ({ndim}, 2): give an int, (before, after) "
                         f"or one (before, after) per dimension")
    pairs = [r * 2 if len(r) == 1 else r for r in rows]
    return pairs * ndim if len(pairs) == 1 else pairs


def pad(x: Array, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Array:
    """Pad ``x`` as ``numpy.pad``; modes ``"constant"`` and ``"edge"``.

    Parameters
    ----------
    x : Array
        Input.
    pad_width : int or sequence
        Widths as ``numpy.pad`` takes them: ``n``, ``(before, after)`` for every axis, or one
        ``(before, after)`` per axis.
    mode : {"constant", "edge"}
        Fill with ``constant_values`` (default 0), or repeat the edge values.
    **kwargs
        ``constant_values``: a scalar, ``(before, after)`` or one pair per axis (as ``pad_width``).

    Returns
    -------
    Array
        Each side's padding is one new block along that axis (other axes keep ``x``'s blocks).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1, 2, 3], chunks=2)
    >>> ga.pad(x, 2).compute().tolist(), ga.pad(x, (1, 2), mode="edge").compute().tolist()
    ([0, 0, 1, 2, 3, 0, 0], [1, 1, 2, 3, 3, 3])
    >>> ga.pad(ga.ones((1, 2), dtype=ga.int64), ((0, 1), (1, 0)), constant_values=7).compute().tolist()
    [[7, 1, 1], [7, 7, 7]]
    """
    from gpuscale.array.creation import full
    from gpuscale.array.manipulation import broadcast_to, concat

    if mode not in ("constant", "edge"):
        raise NotImplementedError(f"pad: mode={mode!r} is not supported (only 'constant' and 'edge')")
    widths = [(int(a), int(b)) for a, b in _pairs(pad_width, x.ndim, "pad_width")]
    if any(a < 0 or b < 0 for a, b in widths):
        raise ValueError(f"pad: negative pad widths {pad_width!r}")
    values = _pairs(kwargs.pop("constant_values", 0), x.ndim, "constant_values") if mode == "constant" else None
    if kwargs:
        raise TypeError(f"pad: unexpected keyword arguments {sorted(kwargs)} for mode={mode!r}")
    for axis, (before, after) in enumerate(widths):
        if not before and not after:
            continue
        parts = []
        for side, width in ((0, before), (1, after)):
            if not width:
                continue
            shape = x.shape[:axis] + (width,) + x.shape[axis + 1:]
            chunks = x.chunks[:axis] + ((width,),) + x.chunks[axis + 1:]
            if mode == "constant":
                block = full(shape, values[axis][side], dtype=x.dtype, chunks=chunks, backend=x.backend)
            else:
                index = tuple((slice(0, 1) if side == 0 else slice(x.shape[d] - 1, x.shape[d])) if d == axis
                              else slice(None) for d in range(x.ndim))
                block = broadcast_to(x[index], shape).rechunk(chunks)
            parts.append((side, block))
        x = concat([b for s, b in parts if s == 0] + [x] + [b for s, b in parts if s == 1], axis=axis)
    return x


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
