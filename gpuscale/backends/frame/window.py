"""Partition functions of windowed operations: overlaps (``map_overlap``, ``shift``, ``diff``,
``rolling``), cumulative scans (``cumsum`` ...) and group-wise scans (``groupby().cumsum`` ...).

Every function takes pandas or cuDF partitions; the few differences between the libraries are
the named helpers at the top (:func:`rolling_methods`).

Overlaps
    Partition ``i`` needs rows of its neighbours.  :func:`overlap_before` is one step of a chain
    over the partitions: from the rows kept for partition ``i - 1`` and partition ``i - 1``
    itself, the rows partition ``i`` may need (the last ``n`` rows, or the rows within a time
    span of the last index).  Chained, a window larger than a partition reaches back as far as
    it must.  :func:`overlap_after` is the mirror image, and :func:`overlap_apply` runs the user
    function on ``before + partition + after`` and cuts the borrowed rows off its result.  gpuscale's
    own row-local functions (shift, diff, rolling) run on the partition as it is instead, and only
    its edge rows are recomputed with the borrowed rows: no copy of the whole partition.
Scans
    :func:`cumulative_total` reduces a partition to one value per column, :func:`cumulative_combine`
    folds the totals of the partitions before ``i`` into a carry, :func:`cumulative_finish` applies
    the partition's own cumulative operation and the carry.  The ``groupby_cum_*`` functions do the
    same per group: the carry is a small frame of per-group totals that is put in front of the
    partition as one row per group before the library's own group-wise cumulative operation runs.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (
    enforce_meta, is_dataframe_like, is_series_like, library_of, stable_sort_kind,
)
from gpuscale.backends.frame.cudf_gaps import on_host, rolling_needs_host
from gpuscale.backends.frame.groupby import no_key_kept
from gpuscale.backends.frame.ops import concat
from gpuscale.backends.frame.reductions import plain_float_sum
from gpuscale.backends.frame.rolling_kernels import fast_rolling
from gpuscale.backends.frame.scalars import where_scalar
from gpuscale.backends.frame.sorted_index import count_after, count_before

# the Rolling methods cuDF 26.10 implements (it defines ``median`` and ``agg`` only to refuse them)
_CUDF_ROLLING = frozenset({"count", "sum", "mean", "min", "max", "std", "var", "apply"})
_PANDAS_ROLLING = frozenset({"count", "sum", "mean", "min", "max", "std", "var", "median", "apply", "agg",
                             "quantile", "skew", "kurt", "sem", "rank",
                             # pandas 3's (pandas 2.2 has none of them)
                             *(m for m in ("first", "last", "nunique") if hasattr(pd.core.window.rolling.Rolling, m))})


# -- library differences ------------------------------------------------------------------------------
def rolling_methods(obj: Any) -> frozenset:
    """The rolling-window methods the partition library of ``obj`` has (cuDF: no median, quantile, ...)."""
    return _CUDF_ROLLING if library_of(obj) == "cudf" else _PANDAS_ROLLING


def rolling_apply_options(obj: Any, raw: bool, args: tuple, kwargs: dict | None) -> dict:
    """The keywords of ``Rolling.apply`` for the library of ``obj``.

    pandas: ``raw``, ``args``, ``kwargs`` as given.  cuDF compiles ``func`` with numba and always passes
    each window as an array (pandas' ``raw=True``); it has no ``args``/``kwargs`` for ``func``.
    """
    if library_of(obj) != "cudf":
        options: dict = {"raw": raw}
        if args:
            options["args"] = tuple(args)
        if kwargs:
            options["kwargs"] = dict(kwargs)
        return options
    if args or kwargs:
        raise NotImplementedError("rolling(...).apply on cuDF partitions passes no extra arguments to func: bind "
                                  "them with functools.partial (numba must compile func), or use pandas partitions")
    return {}


# -- overlap spans -------------------------------------------------------------------------------------
def is_time_span(value: Any) -> bool:
    """True for a time span (``datetime.timedelta`` / ``pandas.Timedelta``), False for a row count."""
    return isinstance(value, (datetime.timedelta, np.timedelta64))


def as_overlap_span(value: Any, name: str) -> Any:
    """``before``/``after`` of ``map_overlap``: a non-negative row count, or a time span (strings such
    as ``"2h"`` become a ``pandas.Timedelta``)."""
    if isinstance(value, str):
        try:
            return pd.Timedelta(value)
        except ValueError as exc:
            raise ValueError(f"map_overlap: {name}={value!r} is neither a row count nor a time span: {exc}") from None
    if is_time_span(value):
        span = pd.Timedelta(value)
        if span < pd.Timedelta(0):
            raise ValueError(f"map_overlap: {name} must not be negative, got {value!r}")
        return span
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"map_overlap: {name} must be a non-negative integer or a time span, got {value!r}")
    return int(value)


def window_span(window: Any) -> Any:
    """A rolling window as a row count (int) or a time span (``"2h"``, an offset, a timedelta)."""
    if isinstance(window, (int, np.integer)) and not isinstance(window, (bool, np.bool_)):
        return int(window)
    if isinstance(window, str):
        return pd.Timedelta(pd.tseries.frequencies.to_offset(window))
    if isinstance(window, pd.DateOffset):
        return pd.Timedelta(window)
    return pd.Timedelta(window)


def has_datetime_index(meta: Any) -> bool:
    """True when the index of ``meta`` holds datetimes (time spans can be measured on it)."""
    dtype = meta.index.dtype
    return getattr(dtype, "kind", None) == "M" or "datetime" in str(dtype)


def index_tick(meta: Any) -> Any:
    """The smallest step of a datetime index (one unit of its dtype: ``datetime64[s]`` -> 1 second)."""
    dtype = meta.index.dtype
    unit = getattr(dtype, "unit", None) or np.datetime_data(dtype)[0]
    return pd.Timedelta(1, unit=unit)


def overlap_before(prev: Any, part: Any, before: Any) -> Any:
    """One step of the chain of rows handed forward: of ``prev`` (what partition ``i - 1`` got) followed
    by partition ``i - 1`` (``part``), the rows partition ``i`` may need.

    A row count keeps the last ``before`` rows; a time span keeps the rows within ``before`` of the
    last index (a superset of what the next partition needs, trimmed by :func:`overlap_apply`).  Only
    the kept rows are copied: ``prev`` is looked at only when ``part`` alone is too short.
    """
    if not is_time_span(before):
        if len(part) >= before or prev is None or len(prev) == 0:
            return part.iloc[max(0, len(part) - before):]
        return concat([prev.iloc[max(0, len(prev) - (before - len(part))):], part])
    if len(part) == 0:
        return part if prev is None else prev
    cutoff = part.index.max() - before
    keep = count_after(part.index, cutoff)
    if keep < len(part) or prev is None or len(prev) == 0:
        return part.iloc[len(part) - keep:]
    older = count_after(prev.index, cutoff)
    return concat([prev.iloc[len(prev) - older:], part]) if older else part


def overlap_after(part: Any, nxt: Any, after: Any) -> Any:
    """The mirror image of :func:`overlap_before`: of partition ``i + 1`` (``part``) followed by what it
    got (``nxt``), the rows partition ``i`` may need."""
    if not is_time_span(after):
        if len(part) >= after or nxt is None or len(nxt) == 0:
            return part.iloc[:after]
        return concat([part, nxt.iloc[:after - len(part)]])
    if len(part) == 0:
        return part if nxt is None else nxt
    cutoff = part.index.min() + after
    keep = count_before(part.index, cutoff)
    if keep < len(part) or nxt is None or len(nxt) == 0:
        return part.iloc[:keep]
    later = count_before(nxt.index, cutoff)
    return concat([part, nxt.iloc[:later]]) if later else part


def _rows_near(part: Any, rows: Any, span: Any, side: str) -> Any:
    """The rows of ``rows`` within ``span`` of ``part``'s first (side="before") or last index."""
    if rows is None or not is_time_span(span):
        return rows
    if len(part) == 0:
        return rows.iloc[:0]
    if side == "before":
        keep = count_after(rows.index, part.index.min() - span)
        return rows.iloc[len(rows) - keep:]
    return rows.iloc[:count_before(rows.index, part.index.max() + span)]


def overlap_apply(part: Any, prev: Any, nxt: Any, func: Callable, before: Any, after: Any, kwargs: dict | None,
                  meta: Any, check: str, *args: Any) -> Any:
    """``func(prev + part + nxt, *args, **kwargs)`` with the result rows of ``prev`` and ``nxt`` cut off
    (by position, as dask: a function giving ``k`` rows per input row has ``k`` times as many cut).

    ``check``: ``"enforce"`` checks the result against a declared ``meta`` (columns), ``"cast"`` gives
    it ``meta``'s dtypes where they differ (gpuscale's own functions), ``"none"`` leaves it.
    """
    prev = _rows_near(part, prev, before, "before")
    nxt = _rows_near(part, nxt, after, "after")
    n_prev = 0 if prev is None else len(prev)
    n_next = 0 if nxt is None else len(nxt)
    if (n_prev or n_next) and func in _ROW_LOCAL and not args:
        out = _apply_with_edges(part, prev, nxt, func, before, after, kwargs or {})
        if out is not None:
            return cast_like(out, meta) if check == "cast" else out
    pieces = [p for p, n in ((prev, n_prev), (part, 1), (nxt, n_next)) if n]
    combined = concat(pieces) if len(pieces) > 1 else part
    out = func(combined, *args, **(kwargs or {}))
    if n_prev or n_next:
        expansion = len(out) // len(combined) if len(combined) else 0
        factor = expansion or 1
        out = out.iloc[n_prev * factor:len(out) - n_next * factor]
    if check == "enforce":
        return enforce_meta(out, meta, "map_overlap")
    if check == "cast":
        return cast_like(out, meta)
    return out


def _edge_counts(part: Any, span: Any, side: str) -> int:
    """How many rows at the ``side`` ("head"/"tail") end of ``part`` have a window reaching past it: ``span``
    rows, or (a time span) the rows within ``span`` of its first/last index."""
    if not is_time_span(span):
        return min(span, len(part))
    if side == "head":
        return count_before(part.index, part.index.min() + span)
    return count_after(part.index, part.index.max() - span)


def _apply_with_edges(part: Any, prev: Any, nxt: Any, func: Callable, before: Any, after: Any,
                      kwargs: dict) -> Any:
    """``func`` of a row-local window function (``_ROW_LOCAL``: result row ``i`` depends only on the rows
    within ``before``/``after`` of row ``i``) run on the partition as it is, its first and last rows then
    recomputed from small frames with the neighbours' rows (``prev`` / ``nxt``).

    Concatenating the borrowed rows in front of a whole partition copies all of its columns and its
    index once more; here only the few edge rows are copied.  None where that does not apply (a window
    reaching past half the partition, a centred time window, a result of another length or dtype):
    the caller then concatenates.
    """
    n_prev = 0 if prev is None else len(prev)
    n_next = 0 if nxt is None else len(nxt)
    if (is_time_span(before) or is_time_span(after)) and before and after:
        return None  # a centred time window: the edge rows' context is not a plain row count
    head = _edge_counts(part, before, "head") if n_prev else 0
    tail = _edge_counts(part, after, "tail") if n_next else 0
    reach = (0 if is_time_span(before) else before) + (0 if is_time_span(after) else after)
    if 2 * (head + tail + reach) > len(part):
        return None
    out = func(part, **kwargs)
    if len(out) != len(part):
        return None
    edges = []
    if head:  # the first rows, with the rows borrowed before and the rows they look ahead to
        small = func(concat([prev, part.iloc[:head + reach]]), **kwargs)
        edges.append((0, small.iloc[n_prev:n_prev + head]))
    if tail:
        context = part.iloc[len(part) - tail - reach:]
        small = func(concat([context, nxt]), **kwargs)
        edges.append((len(part) - tail, small.iloc[len(context) - tail:len(context)]))
    return overwrite_rows(out, edges)


def overwrite_rows(out: Any, edges: list) -> Any:
    """``out`` with the rows from position ``start`` replaced by ``rows`` for each ``(start, rows)`` in
    ``edges`` (same columns and dtypes; None where a dtype differs).  ``out`` is a fresh result: written
    in place, by position, column by column (pandas and cuDF both set ``iloc`` slices from arrays)."""
    frame = is_dataframe_like(out)
    for _, rows in edges:
        if frame and (list(rows.columns) != list(out.columns) or list(rows.dtypes) != list(out.dtypes)):
            return None
        if not frame and rows.dtype != out.dtype:
            return None
    # (pandas' ``.array`` keeps a time zone, which ``.values`` drops: a zoned column refuses naive times; cuDF's
    # device values have none either, so such a partition takes the caller's other way)
    pandas = library_of(out) == "pandas"
    if not pandas and any(getattr(t, "tz", None) is not None for t in (out.dtypes if frame else [out.dtype])):
        return None
    values = (lambda col: col.array) if pandas else (lambda col: col.values)
    for start, rows in edges:
        stop = start + len(rows)
        if frame:
            for j in range(len(out.columns)):
                out.iloc[start:stop, j] = values(rows.iloc[:, j])
        else:
            out.iloc[start:stop] = values(rows)
    return out


def cast_like(obj: Any, meta: Any) -> Any:
    """``obj`` with the dtypes of ``meta`` where they differ and the cast is possible (an empty or
    NaN-free partition whose library chose another dtype than the whole result has)."""
    try:
        if is_dataframe_like(obj) and is_dataframe_like(meta):
            changed = {c: meta[c].dtype for c in meta.columns
                       if c in obj.columns and _castable(obj[c].dtype, meta[c].dtype)}
            return obj.astype(changed) if changed else obj
        if is_series_like(obj) and is_series_like(meta) and _castable(obj.dtype, meta.dtype):
            return obj.astype(meta.dtype)
    except (TypeError, ValueError):
        pass
    return obj


def _castable(have: Any, want: Any) -> bool:
    """Whether a column of ``have`` is cast to ``want``: not where they agree, and never from Python objects to
    text, which would turn any object into its text rather than refuse it."""
    return have != want and not (have == object and isinstance(want, pd.StringDtype))


# -- partition functions used through overlaps ------------------------------------------------------------
def is_time_index(index: Any) -> bool:
    """Whether labels of ``index`` can be shifted by a frequency: a datetime, period or timedelta index."""
    return type(index).__name__ in ("DatetimeIndex", "PeriodIndex", "TimedeltaIndex")


def shifted_divisions(divisions: tuple, periods: int, freq: Any) -> tuple | None:
    """The divisions after ``shift(periods, freq=freq)`` of the labels, or None (unknown) for a frequency that
    is no fixed span (``"W"``, ``"B"``, months: labels of two partitions could meet), as dask."""
    offset = pd.tseries.frequencies.to_offset(freq) if isinstance(freq, str) else freq
    if isinstance(offset, pd.offsets.BaseOffset) and not isinstance(offset, (pd.offsets.Tick, pd.offsets.Day)):
        return None
    return tuple(pd.Series(range(len(divisions)), index=list(divisions)).shift(periods, freq=offset).index)


def shift_rows(obj: Any, periods: int, fill_value: Any = None) -> Any:
    """``obj.shift(periods)`` (``fill_value`` only when given: cuDF and pandas differ in its default)."""
    return obj.shift(periods) if fill_value is None else obj.shift(periods, fill_value=fill_value)


def diff_rows(obj: Any, periods: int) -> Any:
    """``obj.diff(periods)``; a pandas float64 Series through :func:`_float_diff`."""
    fast = _float_diff(obj, periods)
    return obj.diff(periods) if fast is None else fast


def pct_change_rows(obj: Any, periods: int) -> Any:
    """``obj.pct_change(periods)`` of pandas 3 (no filling): ``obj / obj.shift(periods) - 1``.

    Examples
    --------
    >>> pct_change_rows(pd.Series([1, 2, 5]), 1).tolist()
    [nan, 1.0, 1.5]
    """
    return obj / obj.shift(periods) - 1


def _float_diff(obj: Any, periods: int) -> Any:
    """``obj.diff(periods)`` of a pandas float64 Series as one vectorised subtraction, or None for anything
    else.  pandas runs its ``diff_2d`` loop over the values seen as one column (~5 ns a row, most of a ``diff``
    job); the same IEEE subtractions here cost a fifth of that, with the same results."""
    if library_of(obj) != "pandas" or not is_series_like(obj) or obj.dtype != np.float64:
        return None
    values = obj.to_numpy()
    out = np.empty(len(values), dtype=np.float64)
    lag, n = min(abs(periods), len(values)), len(values)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is NaN, quietly as in pandas
        if periods >= 0:  # out[i] = values[i] - values[i - periods]
            out[:lag] = np.nan
            np.subtract(values[lag:], values[:n - lag], out=out[lag:])
        else:  # out[i] = values[i] - values[i + lag]
            out[n - lag:] = np.nan
            np.subtract(values[:n - lag], values[lag:], out=out[:n - lag])
    return pd.Series(out, index=obj.index, name=obj.name, copy=False)


def rolling_aggregate(obj: Any, window: Any, rolling_kwargs: dict, how: str, how_args: tuple = (),
                      how_kwargs: dict | None = None) -> Any:
    """``obj.rolling(window, **rolling_kwargs).<how>(*how_args, **how_kwargs)`` (on the host where cuDF's
    ``Rolling`` refuses the options, see :func:`rolling_needs_host`); ``how=None``: the window object only (its
    arguments checked)."""
    if how is None:
        return obj.rolling(window, **rolling_kwargs) if not rolling_needs_host(obj, window, rolling_kwargs) else None
    if rolling_needs_host(obj, window, rolling_kwargs):
        return on_host(rolling_aggregate, obj, window, rolling_kwargs, how, how_args, how_kwargs)
    fast = fast_rolling(obj, window, rolling_kwargs, how, how_args, how_kwargs)  # pandas' kernel, called directly
    if fast is not None:
        return fast
    rolling = obj.rolling(window, **rolling_kwargs)
    return getattr(rolling, how)(*how_args, **(how_kwargs or {}))


def groupby_rolling_aggregate(obj: Any, by: list, selection: Any, dropna: bool, window: Any, rolling_kwargs: dict,
                              how: str, how_args: tuple = (), how_kwargs: dict | None = None,
                              time_order: bool = True, meta: Any = None) -> Any:
    """``obj.groupby(by)[selection].rolling(window).<how>()``; ``time_order``: rows sorted by the original
    index (the last level), as dask returns them, so the borrowed rows of an overlap come first (on the host where
    cuDF's ``Rolling`` refuses the options, see :func:`rolling_needs_host`); ``meta``: the result of no group."""
    if meta is not None and dropna and no_key_kept(obj, by):  # (pandas fails on several keys, none kept)
        return meta
    if rolling_needs_host(obj, window, rolling_kwargs):
        return on_host(groupby_rolling_aggregate, obj, by, selection, dropna, window, rolling_kwargs, how, how_args,
                       how_kwargs, time_order)
    grouped = obj.groupby(by, dropna=dropna, sort=False, observed=True)
    if selection is not None:
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    out = getattr(grouped.rolling(window, **rolling_kwargs), how)(*how_args, **(how_kwargs or {}))
    if time_order:
        nlevels = out.index.nlevels
        out = out.sort_index(level=nlevels - 1, sort_remaining=False, kind=stable_sort_kind(out))
    return out


def groupby_growing_aggregate(obj: Any, by: list, selection: Any, dropna: bool, kind: str, window_kwargs: dict,
                              how: str, how_args: tuple = (), how_kwargs: dict | None = None, meta: Any = None) -> Any:
    """``obj.groupby(by)[selection].<kind>(**window_kwargs).<how>()`` (``kind``: ``"expanding"`` or ``"ewm"``) of
    whole groups; cuDF's groupby has neither window (it raises ``NotImplementedError``): on the host.  ``meta``:
    the result of no group."""
    if meta is not None and dropna and no_key_kept(obj, by):  # (pandas fails on several keys, none kept)
        return meta
    if library_of(obj) == "cudf":
        return on_host(groupby_growing_aggregate, obj, by, selection, dropna, kind, window_kwargs, how, how_args,
                       how_kwargs)
    grouped = obj.groupby(by, dropna=dropna, sort=False, observed=True)
    if selection is not None:
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    return getattr(getattr(grouped, kind)(**window_kwargs), how)(*how_args, **(how_kwargs or {}))


# row-local window functions: result row ``i`` depends only on the rows within the overlap's
# ``before``/``after`` of row ``i`` (so a partition's edges can be recomputed alone)
_ROW_LOCAL = frozenset({shift_rows, diff_rows, pct_change_rows, rolling_aggregate})


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
        return col.radd(value)  # value + col: strings concatenate in order
    if how == "cumprod":
        return col.mul(value)
    keep = (col >= value) if how == "cummax" else (col <= value)
    return col.where(col.isna() | keep, where_scalar(value, col))


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
