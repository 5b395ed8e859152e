"""Partition functions of windowed operations: overlaps (``map_overlap``, ``shift``, ``diff``,
``rolling``); the cumulative scans are in :mod:`gpuscale.backends.frame.cumulative`.

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
"""

from __future__ import annotations

import datetime
from typing import Any, Callable

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (
    enforce_meta, is_dataframe_like, is_series_like, library_of, stable_sort_kind, with_dtypes_by_position,
)
from gpuscale.backends.frame.categorical import is_unknown_categorical
from gpuscale.backends.frame.cudf_gaps import on_host, rolling_needs_host
from gpuscale.backends.frame.groupby import no_key_kept
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.rolling_kernels import fast_rolling
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
    """True when the index of ``meta`` holds datetimes or timedeltas (time spans can be measured on it, as
    pandas' rolling/map_overlap do on a ``TimedeltaIndex`` too)."""
    dtype = meta.index.dtype
    return getattr(dtype, "kind", None) in ("M", "m") or "datetime" in str(dtype) or "timedelta" in str(dtype) \
        or "duration" in str(dtype)


def index_tick(meta: Any) -> Any:
    """The smallest step of a datetime/timedelta index (one unit of its dtype: ``datetime64[s]`` -> 1 second)."""
    from gpuscale.backends.frame.reductions import time_unit_zone

    unit, _ = time_unit_zone(meta.index.dtype)  # (NumPy's, pandas' or Arrow's timestamps)
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
    dtypes = list(out.dtypes) if frame else [out.dtype]
    if not pandas and any(getattr(t, "tz", None) is not None for t in dtypes):
        return None
    if pandas and not all(map(_sets_rows_in_place, dtypes)):
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


def _sets_rows_in_place(dtype: Any) -> bool:
    """Whether a pandas column of ``dtype`` takes rows written by position correctly: not a sparse one
    (``SparseArray`` has no item assignment), an Arrow dictionary one (pandas' setitem there turns other rows'
    nulls into values) or a third party's extension array (setitem is optional for them)."""
    if isinstance(dtype, pd.SparseDtype):
        return False
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        return not pa.types.is_dictionary(dtype.pyarrow_dtype)
    return not isinstance(dtype, pd.api.extensions.ExtensionDtype) or type(dtype).__module__.split(".")[0] == "pandas"


def cast_like(obj: Any, meta: Any) -> Any:
    """``obj`` with the dtypes of ``meta`` where they differ and the cast is possible (an empty or
    NaN-free partition whose library chose another dtype than the whole result has)."""
    try:
        if is_dataframe_like(obj) and is_dataframe_like(meta):
            if not (obj.columns.is_unique and meta.columns.is_unique):  # repeated labels: by position
                return _cast_by_position(obj, meta)
            changed = {c: meta[c].dtype for c in meta.columns
                       if c in obj.columns and _castable(obj[c].dtype, meta[c].dtype)}
            return obj.astype(changed) if changed else obj
        if is_series_like(obj) and is_series_like(meta) and _castable(obj.dtype, meta.dtype):
            return obj.astype(meta.dtype)
    except (TypeError, ValueError):
        pass
    return obj


def _cast_by_position(obj: Any, meta: Any) -> Any:
    """``cast_like`` of a frame whose column labels repeat (``obj[c]`` would be a frame): column ``i`` of ``obj``
    takes ``meta``'s dtype ``i`` where the labels are the same."""
    if list(obj.columns) != list(meta.columns):
        return obj
    dtypes = [want if _castable(have, want) else have for have, want in zip(obj.dtypes, meta.dtypes)]
    return with_dtypes_by_position(obj, dtypes)


def _castable(have: Any, want: Any) -> bool:
    """Whether a column of ``have`` is cast to ``want``: not where they agree, never from Python objects to
    text, which would turn any object into its text rather than refuse it, and never to the placeholder of
    unknown categories (every value would become missing)."""
    return (have != want and not (have == object and isinstance(want, pd.StringDtype))
            and not is_unknown_categorical(want))


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


def _no_group_kept(obj: Any, by: list, dropna: bool) -> bool:
    """Whether a groupby window of ``obj`` keeps no group: every row misses a key and ``dropna``, or misses its
    one categorical key (pandas' windows leave that group out with ``dropna=False`` too, and fail where it is
    the only one)."""
    if not no_key_kept(obj, by):
        return False
    return dropna or (len(by) == 1 and str(obj[by[0]].dtype) == "category")


def groupby_rolling_aggregate(obj: Any, by: list, selection: Any, dropna: bool, window: Any, rolling_kwargs: dict,
                              how: str, how_args: tuple = (), how_kwargs: dict | None = None,
                              time_order: bool = True, meta: Any = None, sort: bool = False) -> Any:
    """``obj.groupby(by, sort=sort)[selection].rolling(window).<how>()``: the rows of a group together, groups in
    key order (``sort``) or in order of appearance, as pandas; ``time_order``: rows sorted by the original index
    (the last level) instead, as dask returns them, so the borrowed rows of an overlap come first (on the host
    where cuDF's ``Rolling`` refuses the options, see :func:`rolling_needs_host`); ``meta``: the result of no
    group."""
    if meta is not None and _no_group_kept(obj, by, dropna):  # (pandas fails on a partition of no group)
        return meta
    if rolling_needs_host(obj, window, rolling_kwargs):
        return on_host(groupby_rolling_aggregate, obj, by, selection, dropna, window, rolling_kwargs, how, how_args,
                       how_kwargs, time_order, sort=sort)
    grouped = obj.groupby(by, dropna=dropna, sort=sort, observed=True)
    if selection is not None:
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    out = getattr(grouped.rolling(window, **rolling_kwargs), how)(*how_args, **(how_kwargs or {}))
    if time_order:
        nlevels = out.index.nlevels
        out = out.sort_index(level=nlevels - 1, sort_remaining=False, kind=stable_sort_kind(out))
    return out


def groupby_growing_aggregate(obj: Any, by: list, selection: Any, dropna: bool, kind: str, window_kwargs: dict,
                              how: str, how_args: tuple = (), how_kwargs: dict | None = None, meta: Any = None,
                              sort: bool = False) -> Any:
    """``obj.groupby(by, sort=sort)[selection].<kind>(**window_kwargs).<how>()`` (``kind``: ``"expanding"`` or
    ``"ewm"``) of whole groups, in key order (``sort``) or in order of appearance, as pandas; cuDF's groupby has
    neither window (it raises ``NotImplementedError``): on the host.  ``meta``: the result of no group."""
    if meta is not None and _no_group_kept(obj, by, dropna):  # (pandas fails on a partition of no group)
        return meta
    if library_of(obj) == "cudf":
        return on_host(groupby_growing_aggregate, obj, by, selection, dropna, kind, window_kwargs, how, how_args,
                       how_kwargs, sort=sort)
    grouped = obj.groupby(by, dropna=dropna, sort=sort, observed=True)
    if selection is not None:
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    return getattr(getattr(grouped, kind)(**window_kwargs), how)(*how_args, **(how_kwargs or {}))


# row-local window functions: result row ``i`` depends only on the rows within the overlap's
# ``before``/``after`` of row ``i`` (so a partition's edges can be recomputed alone)
_ROW_LOCAL = frozenset({shift_rows, diff_rows, pct_change_rows, rolling_aggregate})


__all__ = sorted(name for name, value in list(globals().items())
                 if not name.startswith("_") and getattr(value, "__module__", None) == __name__)
