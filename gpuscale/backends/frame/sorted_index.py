"""Positions in a sorted index: how many labels lie before or after a value (binary search on pandas, a
device comparison on cuDF), and the rows of a label range as one positional slice."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import library_of

__all__ = ["count_after", "count_before", "sorted_range_slice"]


def _count_true(mask: Any) -> int:
    """Number of True values of a boolean array (NumPy, or CuPy for cuDF indexes)."""
    return int(mask.sum())


def count_after(index: Any, value: Any) -> int:
    """How many values of a sorted index are greater than ``value``: pandas by binary search; cuDF
    compares on the device (its ``searchsorted`` gives a device array)."""
    if library_of(index) == "cudf":
        return _count_true(index > value)
    position = _search(index, value, "right")
    return _count_true(index > value) if position is None else len(index) - position


def count_before(index: Any, value: Any) -> int:
    """How many values of a sorted index are less than ``value`` (see :func:`count_after`)."""
    if library_of(index) == "cudf":
        return _count_true(index < value)
    position = _search(index, value, "left")
    return _count_true(index < value) if position is None else position


def _search(index: Any, value: Any, side: str) -> int | None:
    """``index.searchsorted(value, side)`` of a sorted pandas index, or None where it refuses the value.

    A time finer than a datetime/timedelta index's unit (``+ 1ns`` past a ``us`` index) is floored to that
    unit first: no label lies between the two, so the labels before the value are those up to the floored
    one (``side="right"`` either way). pandas 3 refuses such a value ("Cannot losslessly convert units");
    pandas 2.2 truncates it silently, which would count a label equal to the floored time as after it."""
    unit = getattr(index, "unit", None)
    if unit is not None and isinstance(value, (pd.Timestamp, pd.Timedelta)):
        try:
            floored = value.floor(pd.Timedelta(1, unit=unit)).as_unit(unit)
            if floored != value:
                return int(index.searchsorted(floored, side="right"))
        except (TypeError, ValueError):  # (a time zone against a naive index, say: the caller compares)
            return None
    try:
        return int(index.searchsorted(value, side=side))
    except (TypeError, ValueError):
        return None


def sorted_range_slice(index: Any, lo: Any, hi: Any, right_inclusive: bool) -> slice | None:
    """The positions of the labels ``lo <= x <= hi`` (``x < hi`` unless ``right_inclusive``; None: that side
    open) of ``index`` as one slice, or None where the index is not sorted ascending without missing labels
    (then only a mask finds them)."""
    try:
        if not index.is_monotonic_increasing:
            return None
    except TypeError:  # labels that do not compare with one another
        return None
    start = 0 if lo is None else count_before(index, lo)
    if hi is None:
        stop = len(index)
    else:
        stop = len(index) - count_after(index, hi) if right_inclusive else count_before(index, hi)
    return slice(start, max(start, stop))
