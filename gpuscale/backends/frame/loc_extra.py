"""``.loc`` helpers beyond labels and dates: period strings, nullable boolean masks, pandas' indexing
error (pandas or cuDF partitions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import is_frame_like

__all__ = ["TooManyIndexers", "is_boolean_mask", "partial_period_bounds"]


class TooManyIndexers(pd.errors.IndexingError, IndexError):
    """``obj.loc[a, b, c]`` (or ``series.loc[a, b]``): pandas' ``IndexingError``, also an ``IndexError``."""


def is_boolean_mask(meta: Any) -> bool:
    """Whether an (empty) Series selects rows: NumPy ``bool`` or the nullable ``boolean`` dtype (missing
    values select nothing, as pandas)."""
    dtype = getattr(meta, "dtype", None)
    return dtype is not None and str(dtype) in ("bool", "boolean")


def partial_period_bounds(index_meta: Any, key: Any) -> tuple | None:
    """``(first, last)`` periods a string (``"2011-01"``, ``"2011-01-02"``) covers on a PeriodIndex, by
    pandas' rules, or None when ``key`` is not a string or the index holds no periods."""
    if not isinstance(key, str):
        return None
    index = index_meta.to_pandas() if hasattr(index_meta, "to_pandas") and not isinstance(index_meta, pd.Index) \
        else index_meta
    if not isinstance(index, pd.PeriodIndex) or not is_frame_like(index):
        return None
    return index._maybe_cast_slice_bound(key, "left"), index._maybe_cast_slice_bound(key, "right")
