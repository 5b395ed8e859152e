"""``.loc`` helpers beyond labels and dates: period strings, nullable boolean masks, pandas' indexing
error (pandas or cuDF partitions)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import is_frame_like, namespace

__all__ = ["TooManyIndexers", "points_in_intervals", "is_boolean_mask", "mask_missing_as", "partial_period_bounds", "series_on_index",
           "array_mask_meta"]


class TooManyIndexers(pd.errors.IndexingError, IndexError):
    """``obj.loc[a, b, c]`` (or ``series.loc[a, b]``): pandas' ``IndexingError``, also an ``IndexError``."""


def points_in_intervals(index_meta: Any, key: Any) -> bool:
    """Whether ``key`` (a label or a slice's bounds) holds points rather than intervals of an IntervalIndex:
    pandas then looks the points up inside the intervals."""
    if not str(getattr(index_meta, "dtype", "")).startswith("interval"):
        return False
    values = [key.start, key.stop] if isinstance(key, slice) else list(key) if isinstance(key, list) else [key]
    return any(v is not None and not isinstance(v, pd.Interval) for v in values)


def is_boolean_mask(meta: Any) -> bool:
    """Whether an (empty) Series selects rows: NumPy ``bool`` or the nullable ``boolean`` dtype (missing
    values select nothing, as pandas)."""
    dtype = getattr(meta, "dtype", None)
    return dtype is not None and str(dtype) in ("bool", "boolean")


def mask_missing_as(mask: Any, na: Any = False) -> Any:
    """A boolean mask with its missing values counted as ``na`` (pandas' ``filter(cond=, na=)``; ``"raise"``:
    pandas' ``ValueError`` where one is missing)."""
    if na == "raise":
        if bool(mask.isna().any()):
            raise ValueError("Cannot mask with non-boolean array containing NA / NaN values")
        return mask
    return mask.fillna(na).astype("bool")


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


def series_on_index(values: Any, part: Any) -> Any:
    """A block of an array (NumPy or CuPy) as a Series carrying the index of partition ``part`` (a
    row mask given as an array whose blocks line up with the partitions)."""
    if len(values) != len(part):
        raise ValueError(f"a row mask block of {len(values)} values meets a partition of {len(part)} rows: the "
                         "array's blocks must line up with the partitions (make it from this frame's .values)")
    return namespace(part).Series(values, index=part.index)


def array_mask_meta(meta: Any, dtype: Any) -> Any:
    """The empty Series :func:`series_on_index` gives for an array of ``dtype`` and a frame like ``meta``."""
    return namespace(meta).Series(np.empty(0, dtype=dtype), index=meta.index[:0])
