"""Faster sorting of pandas partitions by one key of numbers, NumPy times, Periods or Intervals, with pandas'
result.

pandas' stable sort (``kind="stable"``) is NumPy's merge sort, about twice as slow as its (vectorised)
quicksort; here the quicksort orders the keys and only the rows with equal keys are put back in their order
(so the order is the stable one).  Other keys, and cuDF (whose sorts are stable), take the library's sort:
every function returns None where it does not apply.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import library_of
from gpuscale.backends.frame.sort_keys import ordinal_key

__all__ = ["numeric_key", "stable_order", "sorted_by_key", "top_n_candidates", "sample_positions"]

_SAMPLE_ROWS = 20_000  # a partition of more rows picks its boundary samples among this many of them
_SAMPLE_SEED = 0  # (fixed: the same partition gives the same boundaries on every compute)


def numeric_key(col: Any) -> tuple | None:
    """``(values, missing)`` of a pandas Series of NumPy numbers, bools or times (as int64), Periods or Intervals
    (int64 keys in their order: :func:`~gpuscale.backends.frame.sort_keys.ordinal_key`), else None."""
    if library_of(col) != "pandas":
        return None
    if not isinstance(col.dtype, np.dtype):
        return ordinal_key(col)
    if col.dtype.kind not in "iufbmM":
        return None
    values = col.to_numpy()
    if values.dtype.kind in "mM":
        return values.view("int64"), np.isnat(values)
    return values, (np.isnan(values) if values.dtype.kind == "f" else None)


def stable_order(values: Any, missing: Any, ascending: bool = True, na_position: str = "last") -> Any:
    """The positions that sort ``values`` as pandas' stable sort does: equal keys in their order (descending
    too), ``missing`` ones (a bool mask, or None) in their order, first or last."""
    if missing is None or not missing.any():
        return _ordered_ties(values, ascending)
    present = np.flatnonzero(~missing)
    order = present[_ordered_ties(values[present], ascending)]
    absent = np.flatnonzero(missing)
    return np.concatenate([absent, order] if na_position == "first" else [order, absent])


def _ordered_ties(values: Any, ascending: bool) -> Any:
    """Positions sorting ``values`` (no NaN), equal ones in increasing position."""
    order = np.argsort(values)  # (quicksort: not stable)
    if not ascending:
        order = order[::-1]
    ordered = values[order]
    tie = ordered[1:] == ordered[:-1]
    if not tie.any():
        return order
    tied = np.zeros(len(order), dtype=bool)  # the rows of runs of equal keys
    tied[1:] |= tie
    tied[:-1] |= tie
    slots = np.flatnonzero(tied)
    run = np.cumsum(np.concatenate([[True], ~tie]))[slots]  # (runs numbered in sort order)
    n = np.int64(len(order))
    composite = np.sort(run.astype(np.int64) * n + order[slots])  # each run's positions, increasing
    order = order.copy()
    order[slots] = composite % n
    return order


def _one_column(obj: Any, by: Any) -> bool:
    """Whether ``by`` names one column of a pandas frame."""
    if library_of(obj) != "pandas" or not hasattr(obj, "columns") or not obj.columns.is_unique:
        return False
    try:  # (a name that is also an index level's: pandas' "ambiguous" error, from pandas' own sort)
        return by in obj.columns and by not in obj.index.names
    except TypeError:  # (unhashable)
        return False


def sorted_by_key(obj: Any, by: Any, ascending: bool, na_position: str, ignore_index: bool) -> Any:
    """``obj.sort_values(by, kind="stable")`` of a pandas frame sorted by one numeric column (None: no such)."""
    if not isinstance(ascending, bool) or not _one_column(obj, by):
        return None
    key = numeric_key(obj[by])
    if key is None:
        return None
    out = obj.take(stable_order(*key, ascending, na_position))
    return out.reset_index(drop=True) if ignore_index else out


def top_n_candidates(obj: Any, n: int, by: Any, ascending: bool) -> Any:
    """The rows of a pandas frame that may be among its first ``n`` in order of ``by`` (first) and later keys:
    those whose key ``by`` is not beyond the ``n``-th one's, and those missing it, in their order (None: every
    row may be)."""
    if n < 1 or len(obj) <= 4 * n or not _one_column(obj, by):
        return None
    key = numeric_key(obj[by])
    if key is None:
        return None
    values, missing = key
    present = values if missing is None else values[~missing]
    if len(present) <= n:
        return None
    if ascending:
        keep = values <= np.partition(present, n - 1)[n - 1]
    else:
        keep = values >= np.partition(present, len(present) - n)[len(present) - n]
    return obj[keep if missing is None else keep | missing]


def sample_positions(length: int) -> Any:
    """Positions of the rows of a partition of ``length`` rows among which its boundary samples are picked:
    every row, or (a long partition) a fixed pseudo-random sample, sorted; None: every row."""
    if length <= _SAMPLE_ROWS:
        return None
    return np.sort(np.random.default_rng(_SAMPLE_SEED).integers(0, length, _SAMPLE_ROWS))
