"""Partition functions of label and position queries: ``sort_index``, ``first_valid_index`` /
``last_valid_index`` and ``argmax`` / ``argmin`` (their tree-reduction partials), and rows picked by their
position across all partitions (``take``, ``rolling(step=)``: a scan of row counts).

They call only methods pandas and cuDF share (``sort_index`` without ``kind=``'s other values, ``dropna``,
``reset_index``); ``argmax`` reuses ``idxmax``'s partials on positional labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import (convert_library, is_dataframe_like, is_frame_like, library_of, namespace,
                                          stable_sort_kind)
from gpuscale.backends.frame.loc import idx_extreme_aggregate, idx_extreme_chunk, idx_extreme_combine

__all__ = ["asof_chunk", "asof_combine", "asof_aggregate", "sort_by_labels", "labels_never_missing", "valid_label_chunk", "valid_label_combine",
           "valid_label_aggregate", "arg_extreme_chunk", "arg_extreme_combine", "arg_extreme_aggregate",
           "row_count_total", "row_count_combine", "every_nth_row", "rows_at_positions", "take_positions",
           "rows_between", "asof_many_chunk", "asof_many_combine", "asof_many_aggregate", "numbered_rows"]


def sort_by_labels(obj: Any, ascending: Any = True, na_position: str = "last", axis: int = 0, level: Any = None,
                   sort_remaining: bool = True) -> Any:
    """``obj`` sorted by its index labels (``axis=1``: by its column labels; ``level``: those of a MultiIndex),
    stably."""
    return obj.sort_index(axis=axis, level=level, ascending=ascending, na_position=na_position,
                          sort_remaining=sort_remaining, kind=stable_sort_kind(obj))


def labels_never_missing(meta: Any) -> bool:
    """Whether the index of ``meta`` cannot hold a missing label: one level of pandas' NumPy integers or
    booleans (cuDF's integers hold nulls)."""
    index = meta.index
    if library_of(meta) != "pandas" or getattr(index, "nlevels", 1) > 1:
        return False
    return isinstance(index.dtype, np.dtype) and index.dtype.kind in "iub"


# -- first_valid_index / last_valid_index --------------------------------------------------------------
def valid_label_chunk(obj: Any, last: bool = False) -> Any:
    """The label of a partition's first (``last``: last) row holding a value, as an index of 0 or 1 label
    (a DataFrame's row holds one when any column does)."""
    valid = obj.dropna(how="all") if is_frame_like(obj) else obj.dropna()
    return valid.index[-1:] if last else valid.index[:1]


def valid_label_combine(partials: list, last: bool = False) -> Any:
    """The first (``last``: last) non-empty partial, in partition order."""
    found = [p for p in partials if len(p)]
    return (found[-1] if last else found[0]) if found else partials[0]


def valid_label_aggregate(partials: list, last: bool = False) -> Any:
    """The label, or None where no row holds a value (as pandas)."""
    out = valid_label_combine(partials, last)
    return out[0] if len(out) else None


# -- argmax / argmin -------------------------------------------------------------------------------------
def arg_extreme_chunk(obj: Any, how: str, skipna: bool = True) -> dict:
    """``idxmax``'s partial of the partition labelled by position, with its length."""
    out = idx_extreme_chunk(obj.reset_index(drop=True), how, skipna)
    out["n"] = len(obj)
    return out


def arg_extreme_combine(partials: list, how: str, skipna: bool = True) -> dict:
    """Partials in partition order, each one's positions moved past the rows of those before it."""
    moved, offset = [], 0
    for p in partials:
        top = p["top"]
        if offset and len(top):
            top = top.copy()
            top.index = top.index + offset
        moved.append({**p, "top": top})
        offset += p["n"]
    out = idx_extreme_combine(moved, how, skipna)
    out["n"] = offset
    return out


def arg_extreme_aggregate(partials: list, how: str, skipna: bool = True) -> int:
    """The position of the first extreme value; pandas' errors for missing values and empty Series."""
    return int(idx_extreme_aggregate([arg_extreme_combine(partials, how, skipna)], how, skipna))


def asof_chunk(obj: Any, where: Any) -> Any:
    """A partition's last valid value at or before ``where`` (a Series of 0 or 1 row), for ``Series.asof``."""
    return obj[obj.index <= where].dropna().iloc[-1:]


def asof_combine(partials: list) -> Any:
    """The last non-empty partial, in partition order."""
    found = [p for p in partials if len(p)]
    return found[-1] if found else partials[0]


def asof_aggregate(partials: list) -> Any:
    """The value (a host scalar), or NaN where no row at or before the label holds one (as pandas)."""
    out = asof_combine(partials)
    return out.iloc[0] if len(out) else np.nan


def _as_frame(obj: Any) -> Any:
    return obj if is_dataframe_like(obj) else obj.to_frame("__value__")


def asof_many_chunk(obj: Any, where: list, subset: Any = None) -> Any:
    """For each label of ``where``: the partition's last row at or before it with a value in every column of
    ``subset`` (all: None; a Series' one), and whether there is one (a host frame of those rows and
    ``__found__``, a row per label); cuDF partitions on a host copy."""
    from gpuscale.backends.convert import to_host
    import pandas as pd

    frame = _as_frame(to_host(obj))
    valid = frame.dropna(subset=subset)
    positions = valid.index.searchsorted(pd.Index(where), side="right") - 1
    found = positions >= 0
    rows = valid.iloc[np.where(found, positions, 0)] if len(valid) else frame.iloc[:0].reindex(range(len(where)))
    rows = rows.reset_index(drop=True)
    rows["__found__"] = found
    return rows


def asof_many_combine(partials: list, **_: Any) -> Any:
    """The partials of partitions in order: a later partition's row wins where it has one."""
    out = partials[0].copy()
    for later in partials[1:]:
        found = later["__found__"].to_numpy(dtype=bool)
        for column in out.columns.drop("__found__"):
            out[column] = out[column].where(~found, later[column])
        out["__found__"] = out["__found__"].to_numpy(dtype=bool) | found
    return out


def asof_many_aggregate(partials: list, where: list, name: Any = None, dtype: Any = None,
                        library: str = "pandas", as_row: bool = False) -> Any:
    """pandas' ``asof(where)``: of a Series (``dtype`` one dtype) a Series indexed by ``where``, of a DataFrame
    (``dtype`` a dict of the columns' dtypes) a DataFrame; missing where nothing is at or before a label.
    ``as_row``: a DataFrame's one label, its row as a Series named by the label (all missing, float64, where
    there is none), as pandas gives it."""
    import pandas as pd

    index = where if isinstance(where, pd.Index) else pd.Index(where)
    if not partials:  # the metadata: no rows
        if isinstance(dtype, dict):
            empty = pd.DataFrame({c: pd.Series([], dtype=d) for c, d in dtype.items()}, index=index[:0])
            if as_row:
                return convert_library(empty.reindex(index).iloc[0], library)
            return convert_library(empty, library)
        return convert_library(pd.Series([], index=index[:0], name=name, dtype=dtype), library)
    out = asof_many_combine(partials)
    found = out.pop("__found__").astype(bool).to_numpy()
    if as_row:
        if not found[0]:
            return convert_library(pd.Series(np.nan, index=out.columns, name=index[0]), library)
        row = out.astype(dtype).iloc[0]
        row.name = index[0]
        return convert_library(row, library)
    out = out.where(pd.Series(found), axis=0) if len(out.columns) else out
    out.index = index
    if isinstance(dtype, dict):
        return convert_library(out.astype(dtype), library)
    return convert_library(out["__value__"].rename(name).astype(dtype), library)


# -- rows by position across the partitions (a scan whose carry is the rows before) --------------------
def row_count_total(obj: Any, **_: Any) -> dict:
    """The rows of one partition."""
    return {"rows": len(obj)}


def row_count_combine(carry: dict, total: dict, **_: Any) -> dict:
    """The rows before the next partition."""
    return {"rows": carry["rows"] + total["rows"]}


def numbered_rows(obj: Any, carry: dict | None) -> Any:
    """``obj`` labelled by its rows' positions in the whole collection (pandas' ``ignore_index=True``)."""
    before = carry["rows"] if carry else 0
    out = obj.copy(deep=False)
    out.index = namespace(obj).RangeIndex(before, before + len(obj))
    return out


def every_nth_row(obj: Any, carry: dict | None, step: int) -> Any:
    """The rows of ``obj`` whose position in the whole collection is a multiple of ``step``."""
    before = carry["rows"] if carry else 0
    return obj.iloc[(-before) % step::step]


def rows_at_positions(obj: Any, carry: dict | None, positions: Any, order_column: Any = None) -> Any:
    """The rows of ``obj`` at ``positions`` (of the whole collection: :func:`take_positions`' sorted pairs of
    position and place), repeated as often as given; with ``order_column`` each row also gets its place."""
    before = carry["rows"] if carry else 0
    lo, hi = np.searchsorted(positions[:, 0], [before, before + len(obj)])
    picked = positions[lo:hi]
    out = obj.iloc[picked[:, 0] - before]
    if order_column is None:
        return out
    out = out.copy(deep=False)
    out[order_column] = picked[:, 1]
    return out


def take_positions(indices: Any, length: int) -> tuple:
    """``(positions, in_order)`` of ``take(indices)`` on ``length`` rows: the positions (negative ones counted
    from the end) sorted, each beside its place among ``indices`` (a two-column array), and whether
    ``indices`` was already in order.  Raises pandas' ``IndexError`` for a position out of bounds."""
    given = np.asarray(indices)
    if given.ndim != 1 or (given.size and given.dtype.kind not in "iu"):
        raise IndexError(f"take: indices must be a one-dimensional list of integers, got {indices!r}")
    given = given.astype("int64")
    if given.size and (given.max() >= length or given.min() < -length):
        raise IndexError(f"take: indices out of bounds for {length} rows: {indices!r}")
    given = np.where(given < 0, given + length, given)
    order = np.argsort(given, kind="stable")
    in_order = bool(np.all(np.diff(given) >= 0))
    return np.column_stack([given[order], order]), in_order


def rows_between(obj: Any, start: int, stop: int) -> Any:
    """The rows at positions ``start`` to ``stop - 1`` of one partition."""
    return obj.iloc[start:stop]
