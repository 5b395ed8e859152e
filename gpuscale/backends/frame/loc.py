"""Label-based selection (``.loc``), divisions, ``query`` / ``eval`` and ``idxmax`` of partitions.

Partition functions work on pandas and cuDF partitions alike; host helpers (column
labels, partial date strings, division arithmetic) work on host values only.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (
    _to_pandas, is_frame_like, is_series_like, library_of, python_scalar,
)
from gpuscale.backends.frame.categorical import empty_partition_of, is_categorical
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.sorted_index import sorted_range_slice


# -- rows of a partition ----------------------------------------------------------------------
def index_range(obj: Any, lo: Any = None, hi: Any = None, right_inclusive: bool = True,
                keep_missing: bool = False) -> Any:
    """Rows whose index label ``x`` has ``lo <= x <= hi`` (``x < hi`` when not ``right_inclusive``), and with
    ``keep_missing`` the rows without a label after them (the end of a collection sorted with them last).

    ``None`` leaves a side open.  Not ``.loc[lo:hi]``, which needs the labels present or the index
    sorted: a sorted index is cut by binary search (one slice, no copy), any other by a mask (partitions
    of unknown divisions need not be sorted).
    """
    if lo is None and hi is None:
        return obj
    if keep_missing and bool(obj.index.isna().any()):
        missing = obj.index.isna()
        return concat([index_range(obj[~missing], lo, hi, right_inclusive), obj[missing]])
    index = obj.index
    if index.nlevels > 1 and not isinstance(lo, tuple) and not isinstance(hi, tuple):  # labels of the first level
        index = index.get_level_values(0)
    if _unordered_categories(index) and right_inclusive and _same_label(lo, hi):  # compared for equality only
        return obj[index == lo]
    rows = sorted_range_slice(index, lo, hi, right_inclusive)
    if rows is not None:
        return obj.iloc[rows]
    keep = None if lo is None else index >= lo
    if hi is not None:
        upper = index <= hi if right_inclusive else index < hi
        keep = upper if keep is None else keep & upper
    return obj[keep]


def index_label_slice(obj: Any, lo: Any, hi: Any, whole: bool) -> Any:
    """pandas' ``obj.loc[lo:hi]`` of a partition of unknown divisions: an increasing index (or the first level of a
    MultiIndex) cut as :func:`index_range`; any other by pandas' positions of the labels (a reduction's result
    indexed by column names: ``df.mean()["b":"d"]``).  ``whole``: this partition is the whole collection; else an
    index that is not increasing cannot be sliced partition by partition, and is refused with the way out."""
    index = obj.index
    if index.nlevels > 1 or index.is_monotonic_increasing:
        return index_range(obj, lo, hi)
    if not whole:
        raise ValueError(f"loc[{lo!r}:{hi!r}]: the index is not sorted, so the rows between the two labels are not "
                         "known partition by partition; sort_index() or set_index() first (known divisions)")
    host = _to_pandas(index) if library_of(obj) == "cudf" else index  # (positions found on the host labels)
    return obj.iloc[host.slice_indexer(lo, hi)]


def rows_labelled_combine(parts: list, **kwargs: Any) -> Any:
    return concat(list(parts))


def get_labelled(parts: list, default: Any = None, **kwargs: Any) -> Any:
    """pandas' ``Series.get(key, default)`` from the rows labelled ``key``: ``default`` for none, the value of one
    row, the rows of several (a repeated label)."""
    rows = concat(list(parts))
    if len(rows) == 0:
        return default
    return rows.iloc[0] if len(rows) == 1 else rows


def _unordered_categories(index: Any) -> bool:
    dtype = index.dtype
    return is_categorical(dtype) and not getattr(dtype, "ordered", False)


def _same_label(lo: Any, hi: Any) -> bool:
    try:
        return lo is not None and bool(lo is hi or lo == hi)
    except (TypeError, ValueError):
        return False


def without_first_level(obj: Any) -> Any:
    """``obj`` with the first level of its MultiIndex dropped (``droplevel(0)``; cuDF's Series has no
    ``droplevel``, its MultiIndex does)."""
    if library_of(obj) == "pandas":
        return obj.droplevel(0)
    out = obj.copy(deep=False)
    out.index = obj.index.droplevel(0)
    return out


def rows_labelled(obj: Any, label: Any, equal: bool) -> Any:
    """The rows whose index label is ``label`` (``equal``) or all others (rows without a label among them)."""
    same = obj.index == label
    return obj[same] if equal else obj[~same]


def loc_labels(obj: Any, labels: list) -> Any:
    """``obj.loc[labels]`` (rows in the order of ``labels``; a label it lacks raises ``KeyError``)."""
    return obj.loc[list(labels)]


def row_block(obj: Any, k: int, j: int) -> Any:
    """Block ``j`` of ``k`` near-equal row blocks (the blocks of ``split_frame``)."""
    bounds = np.linspace(0, len(obj), k + 1).astype(int)
    return obj.iloc[bounds[j]:bounds[j + 1]]


def select_pieces(parts: list, meta: Any) -> Any:
    """Concatenate the pieces of one output partition (``meta`` when there are none)."""
    out = concat([p for p in parts if p is not None])
    return empty_partition_of(meta) if out is None else out


def rename_index(obj: Any, name: Any) -> Any:
    """A shallow copy whose index is called ``name``."""
    out = obj.copy(deep=False)
    out.index = obj.index.rename(name)
    return out


def keep_partition(obj: Any) -> Any:
    """The partition itself (a task that only renames a key)."""
    return obj


def column_by_label(obj: Any, label: Any) -> Any:
    """``obj[label]`` of a partition: a tuple label's Series, or a first-level label's frame of sub-columns
    (pandas and cuDF alike)."""
    return obj[label]


# -- host helpers: labels and column keys -------------------------------------------------------
def is_one_label(columns: Any, key: Any) -> bool:
    """Whether ``key`` is one label pandas selects with ``df[key]`` where a plain projection would not: a tuple
    that ``columns`` (a host Index) hold (rather than a list of labels), or a first-level label of MultiIndex
    columns (``df["b"]`` after ``agg({"b": ["mean", "max"]})``: the frame of its sub-columns)."""
    if isinstance(key, (list, slice)) or not isinstance(columns, pd.MultiIndex) and not isinstance(key, tuple):
        return False
    try:
        return key in columns
    except TypeError:  # an unhashable item
        return False


def labels_under(columns: Any, key: Any) -> tuple:
    """The full column labels ``df[key]`` reads: ``key`` itself, or those of MultiIndex columns under it."""
    if isinstance(columns, pd.MultiIndex) and not (isinstance(key, tuple) and len(key) == columns.nlevels):
        prefix = key if isinstance(key, tuple) else (key,)
        return tuple(c for c in columns if c[:len(prefix)] == prefix)
    return (key,)


def partial_date_bounds(index_meta: Any, key: Any) -> tuple | None:
    """``(first, last)`` instants a partial date string (``"2021-10"``) covers on a datetime index,
    by pandas' rules (the string's resolution), or None when ``key`` is not such a string."""
    if not isinstance(key, str):
        return None
    index = _to_pandas(index_meta)
    if not isinstance(index, pd.DatetimeIndex):
        return None
    return index._maybe_cast_slice_bound(key, "left"), index._maybe_cast_slice_bound(key, "right")


def coerce_label(like: Any, value: Any) -> Any:
    """``value`` comparable with the division ``like`` (dates become ``Timestamp``; NumPy scalars Python)."""
    if value is None:
        return None
    if isinstance(like, (datetime.datetime, np.datetime64)) and not isinstance(value, pd.Timestamp):
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            return value
        tz = getattr(like, "tzinfo", None)
        if isinstance(value, str) and tz is not None and stamp.tzinfo is None:  # read in the index's zone, as .loc
            stamp = stamp.tz_localize(tz)
        return stamp
    return python_scalar(value)


def label_list(key: Any) -> list:
    """Row labels given as a list, tuple, NumPy array, or pandas/cuDF Index or Series, as a host list."""
    if is_frame_like(key):
        key = _to_pandas(key)
        # (times as Timestamps/Timedeltas: NumPy's tolist gives nanoseconds as integers)
        return list(key) if getattr(key.dtype, "kind", None) in ("M", "m") or isinstance(key, pd.DatetimeIndex) \
            else list(key.to_numpy().tolist())
    if isinstance(key, np.ndarray):
        return key.tolist()
    return [python_scalar(k) for k in key]


def is_label_list(key: Any) -> bool:
    """True for a list-like of labels (list, NumPy array, pandas extension array such as a Series' ``.values`` of
    strings, host or device Index/Series)."""
    return isinstance(key, (list, np.ndarray, pd.api.extensions.ExtensionArray)) or is_frame_like(key)


def is_boolean_list(values: list) -> bool:
    """True when every value is a boolean (a row mask given as a list, not labels)."""
    return len(values) > 0 and all(isinstance(v, (bool, np.bool_)) for v in values)


def loc_columns(columns: Any, key: Any) -> Any:
    """The column labels a ``.loc`` column key selects (label -> label, else a list), by pandas' rules."""
    if isinstance(columns, pd.MultiIndex) and is_one_label(columns, key):
        return key  # df[key] selects it as pandas does (a first-level label drops that level)
    if not isinstance(columns, pd.MultiIndex):  # a MultiIndex is kept whole: (level 0, level 1) keys need it
        columns = pd.Index(_to_pandas(columns) if is_frame_like(columns) else columns)
    positions = pd.Series(np.arange(len(columns)), index=columns).loc[key]
    if isinstance(positions, pd.Series):
        return [columns[i] for i in positions.to_numpy()]
    return columns[int(positions)]


def iloc_columns(columns: Any, key: Any) -> Any:
    """The column labels an ``.iloc`` column key (position, positions, slice, mask) selects."""
    picked = pd.Index(columns)[key]
    return list(picked) if isinstance(picked, pd.Index) else picked


# -- divisions -----------------------------------------------------------------------------------
def label_bounds(obj: Any, column: Any = None) -> tuple:
    """``(min, max, rows)`` of a partition's index (or column); ``(None, None, 0)`` when empty."""
    values = obj.index if column is None else obj[column]
    if len(values) == 0:
        return (None, None, 0)
    return (python_scalar(values.min()), python_scalar(values.max()), len(obj))


def interpolate_divisions(divisions: tuple, n: int) -> list | None:
    """``n + 1`` boundaries spread linearly over known numeric or datetime divisions (first and last
    kept, repeats dropped), as dask's ``repartition(npartitions=more)``; None for other types."""
    values = pd.Series(list(divisions)).drop_duplicates()
    tz = getattr(values.dtype, "tz", None)
    if tz is not None:  # tz-aware: spread over the UTC instants, the time zone put back after
        values = values.dt.tz_convert(None)
    dtype = values.dtype
    is_time = isinstance(dtype, np.dtype) and dtype.kind == "M"
    if not (is_time or (isinstance(dtype, np.dtype) and dtype.kind in "iuf")):
        return None
    numbers = values.astype("int64").to_numpy() if is_time else values.to_numpy()
    spread = np.interp(np.linspace(0, len(numbers) - 1, n + 1), np.arange(len(numbers)), numbers.astype("float64"))
    if is_time:
        times = pd.Series(spread.astype("int64")).astype(dtype)
        out = list(times.dt.tz_localize("UTC").dt.tz_convert(tz) if tz is not None else times)
    elif dtype.kind in "iu":
        out = [int(v) for v in np.floor(spread)]
    else:
        out = [float(v) for v in spread]
    out[0], out[-1] = divisions[0], divisions[-1]
    unique = [v for i, v in enumerate(out[:-1]) if i == 0 or v != out[i - 1]]
    return [*(python_scalar(v) for v in unique), out[-1]]


def _period_start(freq: Any) -> Any:
    """``"ME"`` -> ``"MS"`` (and the quarter/year ends): boundaries at the start of each period."""
    if not isinstance(freq, str):
        return freq
    offset = pd.tseries.frequencies.to_offset(freq)
    name = type(offset).__name__
    begin = getattr(pd.tseries.offsets, name[:-len("End")] + "Begin", None) if name.endswith("End") else None
    if begin is None:
        return freq
    anchor = f"-{freq.split('-', 1)[1]}" if "-" in freq else ""
    return f"{offset.n if offset.n != 1 else ''}{begin._prefix}{anchor}"


def freq_divisions(start: Any, end: Any, freq: Any) -> list:
    """Boundaries every ``freq`` between two timestamps (``start`` and ``end`` included), as dask's
    ``repartition(freq=...)``: the first at ``start`` rounded up to ``freq``."""
    freq = _period_start(freq)
    try:
        first = pd.Timestamp(start).ceil(freq)
    except ValueError:  # a non-fixed frequency ("MS") cannot round
        first = start
    divisions = list(pd.date_range(start=first, end=end, freq=freq))
    if not divisions:
        return [start, end]
    divisions.append(end)
    if divisions[0] != start:
        divisions.insert(0, start)
    return divisions


def is_timestamp(value: Any) -> bool:
    """True for a pandas ``Timestamp`` (a division of a datetime index)."""
    return isinstance(value, pd.Timestamp)


# -- query / eval ------------------------------------------------------------------------------------
def query_frame(obj: Any, expr: str, **kwargs: Any) -> Any:
    """``obj.query(expr, **kwargs)`` (pandas and cuDF both take ``local_dict`` for ``@name``)."""
    return obj.query(expr, **kwargs)


def eval_frame(obj: Any, expr: str, **kwargs: Any) -> Any:
    """``obj.eval(expr, **kwargs)``; cuDF's ``eval`` takes no local variables nor other keywords, so
    scalar ``@name`` values of ``local_dict`` are written into the expression for it."""
    if library_of(obj) == "cudf":
        return _cudf_eval(obj, expr, kwargs)
    return obj.eval(expr, **kwargs)


_LOCAL_NAME = re.compile(r"@([A-Za-z_]\w*)")


def _cudf_eval(obj: Any, expr: str, kwargs: dict) -> Any:
    names = {**(kwargs.pop("global_dict", None) or {}), **(kwargs.pop("local_dict", None) or {})}
    if kwargs:
        raise NotImplementedError(f"eval on cuDF partitions: cuDF's DataFrame.eval takes no {sorted(kwargs)}")

    def literal(match: Any) -> str:
        name = match.group(1)
        value = python_scalar(names.get(name, None)) if name in names else None
        if name not in names or not isinstance(value, (bool, int, float, str)):
            raise NotImplementedError(f"eval on cuDF partitions: @{name} must be a number, bool or string "
                                      "(cuDF's eval takes no variables; it is written into the expression)")
        return repr(value)

    return obj.eval(_LOCAL_NAME.sub(literal, expr))


# -- idxmax / idxmin: a tree reduction of (first extreme value with its label) -------------------------
def _first_extreme(values: Any, how: str) -> Any:
    """The first row holding the largest (``how="max"``) or smallest value of a Series without NAs.

    pandas: ``argmax`` / ``argmin`` (any orderable dtype).  cuDF has neither: ``nlargest(1)`` /
    ``nsmallest(1)`` keep the first of equal values.
    """
    if len(values) == 0:
        return values
    if library_of(values) == "cudf":
        return values.nlargest(1) if how == "max" else values.nsmallest(1)
    position = values.argmax() if how == "max" else values.argmin()
    return values.iloc[[int(position)]]


def idx_extreme_chunk(obj: Any, how: str, skipna: bool = True) -> dict:
    """Partial of ``idxmax`` / ``idxmin`` of one Series partition: the first extreme row, whether the
    partition had rows, and whether it had missing values."""
    values = obj.dropna()
    na = len(values) < len(obj)
    return {**_extreme_or_error(values, how, skipna, na), "rows": len(obj) > 0, "na": na}


def _extreme_or_error(values: Any, how: str, skipna: bool, na: bool) -> dict:
    """``{"top": first extreme row}``; under ``skipna=False`` nothing is compared once a value is missing
    (pandas' ValueError decides first), and values that do not compare keep their TypeError for the end
    (``"error"``), where a missing value of another partition may still decide."""
    if skipna:
        return {"top": _first_extreme(values, how)}
    if na:
        return {"top": values.iloc[:0]}
    try:
        return {"top": _first_extreme(values, how)}
    except TypeError as error:
        return {"top": values.iloc[:0], "error": error}


def idx_extreme_combine(partials: list, how: str, skipna: bool = True) -> dict:
    """Combine partials in partition order (ties keep the first occurrence, as pandas)."""
    na = any(p["na"] for p in partials)
    errors = [p["error"] for p in partials if p.get("error") is not None]
    tops = concat([p["top"] for p in partials])
    out = {"top": tops.iloc[:0], "error": errors[0]} if errors else _extreme_or_error(tops, how, skipna, na)
    return {**out, "rows": any(p["rows"] for p in partials), "na": na}


def idx_extreme_aggregate(partials: list, how: str, skipna: bool = True) -> Any:
    """The label of the first extreme value; pandas' errors for NAs and empty Series."""
    out = idx_extreme_combine(partials, how, skipna)
    if out["na"] and not skipna:
        raise ValueError("Encountered an NA value with skipna=False")
    if out.get("error") is not None:
        raise out["error"]
    if len(out["top"]) == 0:
        raise ValueError("Encountered all NA values" if out["rows"] else
                         f"attempt to get arg{how} of an empty sequence")
    return out["top"].index[0]


def idx_extreme_meta(meta: Any, how: str) -> Any:
    """A sample of the label ``idxmax`` / ``idxmin`` of a Series shaped like ``meta`` returns."""
    from gpuscale.backends.frame.core import meta_nonempty

    sample = meta_nonempty(meta)
    return idx_extreme_aggregate([idx_extreme_chunk(sample, how)], how) if is_series_like(sample) else None


__all__ = sorted(name for name, value in list(globals().items())
                 if not name.startswith("_") and getattr(value, "__module__", None) == __name__)
