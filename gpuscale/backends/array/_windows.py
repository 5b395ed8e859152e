"""Chunk function for ``gpuscale.array.sliding_window_view``: the windows of one block along one axis."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import library_of, module_for, namespace

__all__ = ["sliding_windows"]


def sliding_windows(block: Any, window: int, axis: int) -> Any:
    """Every window of length ``window`` along ``axis``, as a new last axis (NumPy's
    ``sliding_window_view``; a read-only view on NumPy and CuPy chunks, stacked slices elsewhere)."""
    library = library_of(block)
    if library in ("numpy", "cupy"):
        return module_for(library).lib.stride_tricks.sliding_window_view(block, window, axis=axis)
    xp = namespace(block)
    count = block.shape[axis] - window + 1
    parts = []
    for i in range(window):
        index = tuple(slice(i, i + count) if d == axis else slice(None) for d in range(block.ndim))
        parts.append(block[index])
    return xp.stack(parts, axis=-1)
