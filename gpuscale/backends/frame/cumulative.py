"""Partition functions of cumulative scans (``cumsum`` ...) and group-wise scans (``groupby().cumsum`` ...).

Scans
    :func:`cumulative_total` reduces a partition to one value per column, :func:`cumulative_combine`
    folds the totals of the partitions before ``i`` into a carry, :func:`cumulative_finish` applies
    the partition's own cumulative operation and the carry.  The ``groupby_cum_*`` functions do the
    same per group: the carry is a small frame of per-group totals that is put in front of the
    partition as one row per group before the library's own group-wise cumulative operation runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import is_dataframe_like, is_series_like, library_of
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.reductions import plain_float_sum
from gpuscale.backends.frame.scalars import where_scalar


# -- cumulative scans ------------------------------------------------------------------------------------
_TOTALS = {"cumsum": "sum", "cumprod": "prod", "cummax": "max", "cummin": "min"}


def _columns_of(obj: Any) -> list:
    """``(position, Series)`` for each column (one entry ``None`` for a Series); by position, not label, so
    repeated column labels (``columns=list("abb")``) each carry their own value."""
    if is_dataframe_like(obj):
        return [(i, obj.iloc[:, i]) for i in range(len(obj.columns))]
    return [(None, obj)]


def cumulative_total(part: Any, how: str, skipna: bool = True) -> dict:
    """What partition ``part`` hands to the partitions after it: per column ``(value, present)``;
    ``present`` is False where there is nothing to carry (no rows, or only missing values that are
    skipped)."""
    out = {}
    for label, col in _columns_of(part):
        if len(col) == 0:
            out[label] = (None, False)
            continue
        value = plain_float_sum(col) if how == "cumsum" and skipna else None
        if value is None:
            value = getattr(col, _TOTALS[how])(skipna=skipna)
        missing = bool(pd.isna(value))
        order = _category_order(col) if how in ("cummax", "cummin") else None
        out[label] = (value, not (missing and skipna)) + ((order,) if order else ())
    return out


def _category_order(col: Any) -> list | None:
    """The categories of an ordered categorical column, in their order (None for any other column)."""
    dtype = col.dtype
    if str(dtype) != "category" or not bool(getattr(dtype, "ordered", False)):
        return None
    categories = dtype.categories
    return list(categories.to_pandas() if hasattr(categories, "to_pandas") else categories)


def _fold(how: str, a: Any, b: Any, order: list | None = None) -> Any:
    if pd.isna(a) or pd.isna(b):  # only with skipna=False: missing propagates
        return a if pd.isna(a) else b
    if how in ("cumsum", "cumprod"):
        with np.errstate(over="ignore"):  # integers wrap around as in the library's own cumsum/cumprod
            return a + b if how == "cumsum" else a * b
    ra, rb = (order.index(a), order.index(b)) if order else (a, b)  # ordered categories: by their order
    if how == "cummax":
        return a if ra >= rb else b
    return a if ra <= rb else b


def cumulative_combine(carry: dict, total: dict, how: str, skipna: bool = True) -> dict:
    """The carry after one more partition: ``carry`` (partitions before) folded with ``total``."""
    out = {}
    for label, (value, present, *order) in total.items():
        before, had, *_ = carry.get(label, (None, False))
        if not present:
            out[label] = (before, had, *order)
        elif not had:
            out[label] = (value, True, *order)
        else:
            out[label] = (_fold(how, before, value, order[0] if order else None), True, *order)
    return out


def _all_missing(col: Any) -> Any:
    return col.where(col.isna() & col.notna())


def _apply_carry(col: Any, how: str, value: Any) -> Any:
    if pd.isna(value):  # skipna=False and a missing value before: everything after is missing
        return _all_missing(col)
    if how == "cumsum":
        return _arrow_dtype_kept(col.radd(value), col)  # value + col: strings concatenate in order
    if how == "cumprod":
        return _arrow_dtype_kept(col.mul(value), col)
    keep = (col >= value) if how == "cummax" else (col <= value)
    return col.where(col.isna() | keep, where_scalar(value, col))


def _arrow_dtype_kept(out: Any, col: Any) -> Any:
    """``out`` (the scan ``col`` of a partition with the carry applied) in ``col``'s Arrow dtype: pandas'
    Arrow arithmetic with the carry (a Python number: int64/double) widens ``uint8[pyarrow]`` and the like,
    where pandas' own cumsum/cumprod of the whole column keeps the dtype (a value out of its range raises
    pyarrow's ArrowInvalid, as pandas' checked scan overflows)."""
    if out.dtype == col.dtype or getattr(col.dtype, "pyarrow_dtype", None) is None:
        return out
    return out.astype(col.dtype)


def _float_cumsum_from(col: Any, value: Any) -> Any:
    """``value + col.cumsum()`` of a pandas float64 Series in one pass over one copy (``value`` added to
    the first element, then accumulated: also the order of additions of a cumsum of the whole frame); NaNs stay NaN (skipna).  None for other dtypes and for cuDF (the library's cumsum then)."""
    if library_of(col) != "pandas" or col.dtype != np.float64 or pd.isna(value) or not len(col):
        return None
    # Into a new array, not in place: NumPy holds the GIL through an accumulation whose output overlaps its
    # input (the other threads' tasks then wait: 16 partitions of cumsum ran no faster on 2 threads than on 1)
    values = col.to_numpy(dtype=np.float64, copy=True)
    values[0] += value
    out = np.cumsum(values)
    if np.isnan(out[-1]):  # a NaN in the column (it carries to the end), or inf - inf: NaN counts as 0 there
        missing = np.isnan(col.to_numpy(dtype=np.float64))
        values[missing] = 0.0
        if missing[0]:
            values[0] = value
        out = np.cumsum(values)
        out[missing] = np.nan
    return pd.Series(out, index=col.index, name=col.name, copy=False)


def _set_columns_at(df: Any, columns: dict) -> Any:
    """A shallow copy of ``df`` with the columns at the given positions replaced; repeated labels (pandas
    only: cuDF refuses them) by position with ``isetitem``."""
    out = df.copy(deep=False)
    for i, col in columns.items():
        if df.columns.is_unique:
            out[df.columns[i]] = col
        else:
            out.isetitem(i, col)
    return out


def cumulative_finish(part: Any, carry: dict | None, how: str, skipna: bool = True) -> Any:
    """``part.<how>(skipna=skipna)`` continued from the partitions before it (``carry``)."""
    if carry and how == "cumsum" and skipna and not is_dataframe_like(part) and carry.get(None, (0, False))[1]:
        fused = _float_cumsum_from(part, carry[None][0])
        if fused is not None:
            return fused
    out = getattr(part, how)(skipna=skipna)
    if not carry:
        return out
    if not is_dataframe_like(out):
        value, present, *_ = carry.get(None, (None, False))
        return _apply_carry(out, how, value) if present else out
    changed = {i: _apply_carry(col, how, carry[i][0]) for i, col in _columns_of(out) if carry.get(i, (None, False))[1]}
    if not changed:
        return out
    return _set_columns_at(out, changed)


# -- group-wise cumulative scans ------------------------------------------------------------------------------
_GROUP_TOTALS = {"cumsum": "sum", "cumprod": "prod", "cummax": "max", "cummin": "min", "cumcount": "sum"}
_ROW_COUNT = "__gpuscale_cumcount__"


def _group_values(df: Any, by: list, selection: Any, how: str) -> tuple[Any, list]:
    """The key columns and the columns the scan accumulates (cumcount: a column of ones); a selected key
    column (``groupby("a")["a"].cumsum()``) is accumulated as a copy named ``_value_label(i)``."""
    if how == "cumcount":
        frame = df[list(by)]
        return frame.assign(**{_ROW_COUNT: 1}), [_ROW_COUNT]
    if selection is None:
        return df[list(by) + [c for c in df.columns if c not in by]], [c for c in df.columns if c not in by]
    selected = list(selection) if isinstance(selection, tuple) else [selection]
    values = [_value_label(i) if c in by else c for i, c in enumerate(selected)]
    frame = df[list(by) + [c for c in selected if c not in by]]
    copies = {_value_label(i): df[c] for i, c in enumerate(selected) if c in by}
    return (frame.assign(**copies) if copies else frame), values


def _value_label(i: int) -> str:
    return f"__gpuscale_value_{i}__"


def _group_totals(frame: Any, by: list, values: list, how: str, dropna: bool) -> Any:
    grouped = frame.groupby(by, dropna=dropna, sort=False, observed=True)
    return grouped[values].agg(_GROUP_TOTALS[how]).reset_index()


def groupby_cum_total(df: Any, by: list, selection: Any, how: str, dropna: bool = True) -> Any:
    """Per-group totals of one partition (a frame: key columns, then one column per value)."""
    frame, values = _group_values(df, by, selection, how)
    return _group_totals(frame, by, values, how, dropna)


def groupby_cum_combine(carry: Any, total: Any, by: list, selection: Any, how: str, dropna: bool = True) -> Any:
    """Per-group totals of the partitions before ``i + 1``: ``carry`` folded with partition ``i``'s."""
    values = [c for c in total.columns if c not in by]
    return _group_totals(concat([carry, total], ignore_index=True), by, values, how, dropna)


def _scan_dtypes_as_pandas(out: Any, frame: Any, values: list, how: str) -> Any:
    """pandas' group-wise cumsum/cumprod of an integer column is int64 (unsigned: uint64); libcudf's scans of
    narrow unsigned integers give int64 (a uint8 cumsum came back int64 on the GPU): cast as pandas."""
    if how not in ("cumsum", "cumprod") or library_of(out) != "cudf":
        return out
    wanted = {v: "uint64" for v in values if str(frame[v].dtype) in ("uint8", "uint16", "uint32", "uint64")}
    if is_series_like(out):
        want = wanted.get(values[0])
        return out.astype(want) if want and out.dtype.kind in "iu" and str(out.dtype) != want else out
    changed = {c: t for c, t in wanted.items() if c in out.columns and out[c].dtype.kind in "iu" and str(out[c].dtype) != t}
    return out.astype(changed) if changed else out


def groupby_cum_finish(df: Any, carry: Any, by: list, selection: Any, how: str, dropna: bool = True) -> Any:
    """The group-wise cumulative ``how`` of partition ``df``, continued from the groups' totals in the
    partitions before it (``carry``: one row per group, put in front of the partition)."""
    frame, values = _group_values(df, by, selection, how)
    skip = 0
    if carry is not None and len(carry):
        # the values take the totals' dtype (booleans summed are integers: a boolean column with NA beside
        # its Int64 totals would be joined into objects, which no scan takes)
        widened = {v: carry[v].dtype for v in values if carry[v].dtype != frame[v].dtype} \
            if how in ("cumsum", "cumprod") else {}
        frame = frame.astype(widened) if widened else frame
        frame = concat([carry[list(frame.columns)], frame.reset_index(drop=True)], ignore_index=True)
        skip = len(carry)
    grouped = frame.groupby(by, dropna=dropna, sort=False, observed=True)
    series_result = how == "cumcount" or (selection is not None and not isinstance(selection, tuple))
    picked = grouped[values[0]] if series_result else grouped[values]
    out = _scan_dtypes_as_pandas(getattr(picked, "cumsum" if how == "cumcount" else how)(), frame, values, how)
    if how == "cumcount":
        out = (out - 1).rename(None)
    elif selection is not None:  # the selected labels, also where a key column was accumulated as a copy
        if series_result:
            out = out.rename(selection)
        else:
            out = out.copy(deep=False)  # cuDF has no set_axis
            out.columns = list(selection)
    if skip:
        out = out.iloc[skip:]
        out.index = df.index
    return out


__all__ = sorted(name for name, value in list(globals().items())
                 if not name.startswith("_") and getattr(value, "__module__", None) == __name__)
