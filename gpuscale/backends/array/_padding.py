"""Chunk functions of ``pad``: the ramps of ``mode="linear_ramp"`` and a user's ``mode=`` function on lines."""

from __future__ import annotations

import itertools
from typing import Any

from gpuscale.backends.array._core import module_for, namespace, numpy_dtype, xp_dtype


def linear_ramp(edge: Any, end: Any, width: int, axis: int, reverse: bool) -> Any:
    """``width`` values from ``end`` towards ``edge`` (a block of length one along ``axis``), ``edge`` itself
    excluded, as ``numpy.pad``'s ``linear_ramp`` (NumPy's ``linspace`` steps: ``end + i * (edge - end) / width``
    in the working dtype, floored for an integer array); ``reverse`` for the padding after the data."""
    xp = namespace(edge)
    dtype = numpy_dtype(edge.dtype)
    np = module_for("numpy")
    # numpy.pad hands linspace its end values as arrays (not weak Python scalars): their dtype counts
    working = np.result_type(dtype, np.asarray(end).dtype, 1.0)
    end = np.asarray(end).astype(working).item()
    working = xp_dtype(xp, working)
    step = (xp.astype(edge, working) - end) / width
    shape = tuple(width if d == axis else 1 for d in range(edge.ndim))
    ramp = xp.reshape(xp.arange(width, dtype=working, device=edge.device), shape) * step + end
    if reverse:
        ramp = xp.flip(ramp, axis=axis)
    if dtype.kind in "iu":
        ramp = xp.floor(ramp)
    return xp.astype(ramp, xp_dtype(xp, dtype))


def pad_lines(block: Any, func: Any, width_pair: tuple, axis: int, kwargs: dict) -> Any:
    """A copy of ``block`` after ``func(line, width_pair, axis, kwargs)`` changed each 1-d line along ``axis`` in
    place (``block`` holds whole lines), as ``numpy.pad`` calls a ``mode=`` function."""
    xp = namespace(block)
    out = xp.asarray(block, copy=True)
    lines = xp.moveaxis(out, axis, -1)  # a view: writing a line writes ``out``
    for index in itertools.product(*map(range, lines.shape[:-1])):
        func(lines[index], width_pair, axis, kwargs)
    return out
