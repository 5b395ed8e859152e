"""Partition functions of ``resample`` on a datetime index with known divisions (as dask.dataframe).

:func:`resample_divisions` gives the boundaries that keep every bin in one partition (``inner``: the
collection is repartitioned at them) and the bin labels that bound the result's partitions (``outer``).
A result partition is made in three steps: :func:`resample_partition` resamples one partition with the library's
own ``resample`` (the bins of its own rows); :func:`bins_span` / :func:`overall_span` find the first and last bin
of the whole result (pandas' result runs from the first row's bin to the last row's, however far the divisions
reach: a filter keeps them); :func:`fill_bins` reindexes each partition to all bin labels of its range within
them (an empty bin: :func:`empty_bin_fill` of the aggregation, else missing).
"""

from __future__ import annotations

import functools
import warnings

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (convert_library, is_series_like, library_of, make_meta, meta_nonempty,
                                          namespace, stable_sort_kind)
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.cudf_gaps import on_host, resample_needs_host
from gpuscale.backends.frame.resample_grid import anchored as _anchored, on_collection_grid, sides as _sides

__all__ = ["FILL_VALUES", "bins_split", "resample_divisions", "resample_meta", "resample_partition", "resample_pieces",
           "edge_rows", "edge_of", "nearest_edge", "with_neighbour_rows", "resample_filled", "NEIGHBOUR_FILLS",
           "empty_bin_value", "agg_fill_values", "interpolation_points", "grid_rows", "resample_transform",
           "time_grid", "empty_bin_fill", "bins_span", "overall_span", "fill_bins", "widened_bools",
           "empty_first_bin"]

FILL_VALUES = {"count": 0, "sum": 0, "size": 0, "nunique": 0, "prod": 1}  # pandas' value of a bin without rows


def _fill_of(how: Any, dtype: Any) -> Any:
    """pandas' value of ``how`` over a bin without rows, in a result column of ``dtype``: a sum of durations is
    a zero duration and of strings ``""`` (an integer 0 turned such columns to object, or raised)."""
    value = FILL_VALUES.get(how, np.nan) if isinstance(how, str) else np.nan
    if how == "sum" and getattr(dtype, "kind", None) == "m":
        return np.timedelta64(0, "ns")  # (NumPy's: cuDF's where() refuses a pd.Timedelta)
    if how == "sum" and (str(dtype) in ("str", "string") or str(dtype).startswith("string")):
        return _string_sum_of_no_rows(dtype)
    return value


@functools.lru_cache(maxsize=None)
def _string_sum_of_no_rows(dtype: Any) -> Any:
    """The installed pandas' sum of a bin without rows in a string column of ``dtype``: ``""`` in pandas 3,
    ``"0"`` in pandas 2.2 (its 0 cast to the dtype), asked of pandas itself."""
    try:
        rows = pd.Series(pd.array(["a", "b"], dtype=dtype), index=pd.to_datetime(["2000-01-01", "2000-01-03"]))
        return rows.resample("D").sum().iloc[1]
    except (TypeError, ValueError):  # (a dtype pandas cannot hold: a cuDF one)
        return ""


def empty_bin_fill(meta: Any, how: str) -> Any:
    """What a bin without rows holds in the result ``meta`` of ``how``: one value, or one per column where they
    differ (a frame of numbers and durations).

    Examples
    --------
    >>> import pandas as pd
    >>> empty_bin_fill(pd.Series([], dtype="timedelta64[ns]"), "sum")
    np.timedelta64(0,'ns')
    >>> empty_bin_fill(pd.DataFrame({"x": [1.0], "s": ["a"]}).astype({"s": "string"}), "sum")
    {'x': 0, 's': ''}
    """
    if is_series_like(meta):
        return _fill_of(how, meta.dtype)
    fills = {c: _fill_of(how, meta.dtypes[c]) for c in meta.columns}
    plain = FILL_VALUES.get(how, np.nan)
    return fills if any(not _same(v, plain) for v in fills.values()) else plain


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _right_closed_step(offset: Any) -> Any:
    """How far past a right-closed bin's left edge its first row can be: a day for the period-end rules whose
    edges pandas moves to the last moment of their day (``_adjust_bin_edges``: month, quarter, year and week
    ends), else a nanosecond (fixed spans, and ``"1D"``: not a ``Tick`` in pandas 3, its edges stay at
    midnight)."""
    code = offset.rule_code
    if code in ("BME", "ME", "W") or code.split("-")[0] in ("BQE", "BYE", "QE", "YE", "W"):
        return pd.offsets.Day()
    return pd.offsets.Nano()


def resample_divisions(divisions: tuple, rule: Any, closed: Any = None, label: Any = None, **grid: Any) -> tuple:
    """``(inner, outer)``: the divisions to repartition at, and the result's divisions (bin labels).

    One partition per bin that holds a division; a right-closed bin starts just after its left edge
    (:func:`_right_closed_step`), and the last inner boundary encloses the last division.  ``grid``: the
    bins' ``origin=`` / ``offset=``, as pandas takes them.
    """
    closed, label = _sides(rule, closed, label)
    offset = pd.tseries.frequencies.to_offset(rule)
    per_bin = _divisions_per_bin(divisions, offset, closed, grid)
    starts = list(per_bin.index[per_bin.to_numpy() > 0])
    tick = _right_closed_step(offset)
    inner = [s + tick for s in starts] if closed == "right" else list(starts)
    # (from pandas' first bin, which holds the first division, except that pandas puts an empty bin before it
    # where bins end at the last time, are closed on the left and the first time is on an edge)
    outer = [s + offset for s in [per_bin.index[0], *starts[1:]]] if label == "right" else \
        [per_bin.index[0], *starts[1:]]
    first, last = pd.Timestamp(divisions[0]), pd.Timestamp(divisions[-1])
    inner[0] = max(inner[0], first)
    if inner[-1] < last:
        grow = len(inner) < len(divisions)
        end_inner = last + tick
        # the label of the bin holding the last division (the last label already where the last time closes
        # its bin on the right or lies before it)
        end_outer = outer[-1] if outer[-1] >= last else \
            per_bin.index[-1] + offset if label == "right" else per_bin.index[-1]
        if grow:
            inner.append(end_inner)
            outer.append(end_outer)
        else:
            inner[-1], outer[-1] = end_inner, end_outer
    if len(inner) == 1:  # every row at one time (divisions ``(t, t)``): one partition, one bin
        inner, outer = [inner[0], max(inner[0], last)], [outer[0], outer[0]]
    return tuple(pd.Timestamp(v) for v in inner), tuple(pd.Timestamp(v) for v in outer)


def _divisions_per_bin(divisions: tuple, offset: Any, closed: Any, grid: dict) -> Any:
    """How many divisions each of pandas' bins over them holds, the bins labelled on the left."""
    marks = pd.Series(range(len(divisions)), index=pd.DatetimeIndex(list(divisions)))
    return marks.resample(offset, closed=closed, label="left", **grid).count()


def empty_first_bin(divisions: tuple, rule: Any, closed: Any = None, label: Any = None, **grid: Any) -> bool:
    """Whether pandas' first bin over these times holds none of them: it puts an empty bin before the first time
    where bins end at the last time, are closed on the left and the first time is on an edge, and before a
    time-zone-aware right-closed day's (the result starts there, as the first partition does)."""
    closed, _ = _sides(rule, closed, label)
    return bool(_divisions_per_bin(divisions, pd.tseries.frequencies.to_offset(rule), closed, grid).iloc[0] == 0)


def resolved_origin(origin: Any, divisions: tuple) -> Any:
    """pandas' ``origin=`` as the same grid for every partition: ``"start"`` is the collection's first timestamp
    (a partition's own would be its first), ``"end"`` its last and ``"end_day"`` the midnight after it (the last
    division); ``"start_day"`` and ``"epoch"`` and timestamps are the same anywhere."""
    if isinstance(origin, str) and origin in ("start", "end", "end_day"):
        at = pd.Timestamp(divisions[0] if origin == "start" else divisions[-1])
        return at.ceil("D") if origin == "end_day" else at
    return origin if origin in ("start_day", "epoch") else pd.Timestamp(origin)


def effective_grid(rule: Any, first: Any, origin: Any, offset: Any) -> tuple:
    """``(origin, offset)`` as pandas applies them: pandas 3 ignores both for a day rule on a time-zone-aware index
    (a day is not 24 hours there), with its warning; pandas 2, where a day is a fixed span, does not."""
    day = pd.tseries.frequencies.to_offset(rule)
    ignored = isinstance(day, pd.offsets.Day) and not isinstance(day, pd.offsets.Tick) and \
        getattr(pd.Timestamp(first), "tz", None) is not None
    for name, value in (("origin", origin), ("offset", offset)):
        if ignored and value is not None and not (isinstance(value, str) and value == "start_day"):
            warnings.warn(f"The '{name}' keyword does not take effect when resampling with a Day 'freq' unless the "
                          "index is a timezone-naive DatetimeIndex", RuntimeWarning, stacklevel=4)
    return ("start_day", None) if ignored else (origin, offset)


def ends_at_last_time(origin: Any) -> bool:
    """Bins anchored at the last time: pandas closes and labels them on the right unless told otherwise."""
    return isinstance(origin, str) and origin in ("end", "end_day")


_CUDF_RESAMPLER_LACKS = frozenset({"nearest", "pad", "backfill", "interpolate"})


def _aggregate(part: Any, rule: Any, kwargs: dict, how: str, args: tuple, how_kwargs: dict) -> Any:
    # cuDF refuses origin= (which partitions off the day's grid get), and its resampler has no nearest (nor
    # asfreq's fill_value=)
    lacks = how in _CUDF_RESAMPLER_LACKS or (how == "asfreq" and "fill_value" in (how_kwargs or {}))
    if resample_needs_host(part, kwargs) or (lacks and library_of(part) == "cudf"):
        return on_host(_aggregate, part, rule, kwargs, how, args, how_kwargs)
    if how == "ohlc" and library_of(part) == "cudf":
        return _ohlc(part, rule, kwargs)
    return getattr(part.resample(rule, **(kwargs or {})), how)(*args, **(how_kwargs or {}))


_OHLC = (("open", "first"), ("high", "max"), ("low", "min"), ("close", "last"))


def _ohlc(part: Any, rule: Any, kwargs: dict) -> Any:
    """pandas' ``resample(...).ohlc()`` of a cuDF partition, which cuDF lacks ("ohlc is currently not
    implemented"): its ``first``/``max``/``min``/``last`` side by side, labelled ``open``/``high``/``low``/``close``
    (under each column's label for a DataFrame, as pandas).  Other than numbers go to pandas, which refuses them
    or answers as it does."""
    columns = [part] if is_series_like(part) else [part.iloc[:, i] for i in range(part.shape[1])]
    if not all(getattr(c.dtype, "kind", None) in "iuf" for c in columns):
        return on_host(_aggregate, part, rule, kwargs, "ohlc", (), {})
    resampler = part.resample(rule, **(kwargs or {}))
    pieces = {how: getattr(resampler, how)() for _, how in _OHLC}
    if is_series_like(part):
        return namespace(part).concat([pieces[how].rename(name) for name, how in _OHLC], axis=1)
    # (cuDF's concat refuses repeated names: each piece is named by its position until labelled)
    columns = [pieces[how].iloc[:, i] for i in range(part.shape[1]) for _, how in _OHLC]
    out = namespace(part).concat([c.rename(j) for j, c in enumerate(columns)], axis=1)
    out.columns = pd.MultiIndex.from_tuples([(label, name) for label in part.columns for name, _ in _OHLC],
                                            names=[part.columns.name, None])
    return out


def empty_bin_value(meta: Any, func: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
    """What ``func`` gives for a bin without rows of a Series (pandas calls it on no values; the bins no
    partition holds are filled with it): a scalar it returns, else NaN."""
    if not is_series_like(meta):
        return np.nan
    try:
        value = func(convert_library(meta.iloc[:0], "pandas"), *args, **(kwargs or {}))
    except Exception:  # noqa: BLE001 - a function that needs values: such bins stay missing
        return np.nan
    return value if np.ndim(value) == 0 else np.nan


def resample_meta(meta: Any, rule: Any, kwargs: dict, how: str, args: tuple, how_kwargs: dict) -> Any:
    """The empty result of ``how`` (from a two-row stand-in of ``meta``)."""
    return make_meta(_aggregate(meta_nonempty(meta), rule, kwargs, how, tuple(args), how_kwargs))


def resample_transform(part: Any, starts: list, rule: Any, kwargs: dict, transform: Any, args: tuple = (),
                       how_kwargs: dict | None = None, partition_info: dict | None = None) -> Any:
    """``part.resample(rule).transform(transform)``: each row given its bin's value (every bin lies in one
    partition; ``starts[i]``: the first bin label of partition ``i``, so the bins are the whole collection's)."""
    start = starts[partition_info["number"]] if partition_info else starts[0]
    rows, kwargs, added = on_collection_grid(part, rule, kwargs, start)
    out = _aggregate(rows, rule, kwargs, "transform", (transform, *args), how_kwargs or {})
    return out.iloc[1:] if added else out  # (the row added first: not the partition's)


def resample_partition(part: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, kwargs: dict, how: str,
                       args: tuple, how_kwargs: dict) -> Any:
    """``part`` resampled: the bins from its first row's to its last row's, among the bin labels from ``start``
    to ``end`` (``reindex_closed`` "left": ``end`` excluded; None, the last partition); :func:`fill_bins` adds
    the rest of the range."""
    return _binned(part, start, end, reindex_closed, rule, kwargs, how, args, how_kwargs)


def _binned(part: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, kwargs: dict, how: str, args: tuple,
            how_kwargs: dict) -> Any:
    """The bins of ``part`` from ``start`` to ``end`` on the collection's grid (:func:`on_collection_grid`).  A row
    added before the partition leaves bins without rows between, left out, which made integer and boolean columns
    float: such a column without a missing value gets the dtype of one bin of the partition's rows back."""
    rows, grid_kwargs, added = on_collection_grid(part, rule, kwargs, start)
    out = _within(_aggregate(rows, rule, grid_kwargs, how, tuple(args), how_kwargs), start, end, reindex_closed)
    if not added:
        return out
    return _dtypes_of(out, _aggregate(part.iloc[:1], rule, grid_kwargs, how, tuple(args), how_kwargs))


def _within(out: Any, start: Any, end: Any, reindex_closed: Any) -> Any:
    """The bins of ``out`` from ``start`` to ``end``: every bin lies in one partition, so one outside is an empty
    bin pandas adds at the edges (a time-zone-aware right-closed day's, one before the first row and one after
    the last), which belongs to another partition."""
    after = out.index > pd.Timestamp(end) if reindex_closed is None else out.index >= pd.Timestamp(end)
    outside = (out.index < pd.Timestamp(start)) | after
    return out[~outside] if outside.any() else out


def _bin_labels(start: Any, end: Any, rule: Any, inclusive: str, name: Any) -> Any:
    """The bin labels from ``start`` to ``end``, in their own time zone (pandas' labels: a fixed span counts
    absolute time across a clock change, a day is a calendar day; they keep their frequency); where a label falls
    in a skipped hour (a day starting at a midnight that does not exist), the wall-clock labels moved forward."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    try:
        return _date_range(start, end, rule, inclusive, name)
    except ValueError:
        if start.tz is None:
            raise
        naive = _date_range(start.tz_localize(None), end.tz_localize(None), rule, inclusive, name)
        return naive.tz_localize(start.tz, nonexistent="shift_forward")


def _date_range(start: Any, end: Any, rule: Any, inclusive: str, name: Any) -> Any:
    """``pd.date_range(start, end, freq=rule, inclusive=inclusive)``, its open ends dropped here: pandas 2.2 keeps
    the one point of ``start == end`` under ``inclusive="left"``/``"right"`` (pandas 3 gives none), which put a
    partition's closing bin label in it too (the bin twice in the result)."""
    labels = pd.date_range(start, end, freq=rule, inclusive="both", name=name)
    if len(labels) and inclusive in ("right", "neither") and labels[0] == start:
        labels = labels[1:]
    if len(labels) and inclusive in ("left", "neither") and labels[-1] == end:
        labels = labels[:-1]
    return labels


def _reindexed(out: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, fill_value: Any,
               span: Any = None) -> Any:
    """``out`` reindexed to the bin labels from ``start`` to ``end`` that lie in ``span`` (the first and last
    bin labels that hold rows), the new bins filled with ``fill_value``."""
    start, end, closed = _clipped(start, end, reindex_closed, span)
    labels = _bin_labels(start, end, rule, closed, out.index.name)
    host_index = out.index.to_pandas() if hasattr(out.index, "to_pandas") else out.index
    labels = labels.as_unit(host_index.unit) if hasattr(host_index, "unit") else labels
    if span is None or start > end:  # (no row anywhere, or none in this range)
        labels = labels[:0]
    # (labels before the first are empty bins: pandas 3 puts one before a time-zone-aware day's first, right-closed)
    if not host_index[host_index >= pd.Timestamp(start)].isin(labels).all():
        raise ValueError("Index is not contained within new index. This can often be resolved by using larger "
                         "partitions, or unambiguous frequencies: 'Q', 'A'...")
    present = labels.isin(host_index)
    if namespace(out) is not pd:
        labels = namespace(out).DatetimeIndex(labels)
    elif isinstance(host_index.dtype, pd.ArrowDtype):  # (date_range gives NumPy datetimes: pandas keeps Arrow's)
        labels = pd.Index(labels, dtype=host_index.dtype, name=labels.name)
    if not isinstance(fill_value, dict):
        return out.reindex(labels, fill_value=fill_value)
    # one value per column (several aggregations): the new bins' rows filled column by column
    result = out.reindex(labels)
    if present.all():
        return result
    kept = namespace(out).Series(present, index=result.index)
    for column, value in fill_value.items():
        if value == value:
            result[column] = result[column].where(kept, value).astype(out[column].dtype)
    return result


def _clipped(start: Any, end: Any, reindex_closed: Any, span: Any) -> tuple:
    """``(start, end, inclusive)`` of the bin labels from ``start`` to ``end`` within ``span``."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if span is None:
        return start, end, reindex_closed or "both"
    lo, hi = span[0], span[1]
    if reindex_closed is None or hi < end:
        return max(start, lo), min(end, hi), "both"
    return max(start, lo), end, reindex_closed


def agg_fill_values(meta: Any, args: tuple, kwargs: dict) -> Any:
    """What a bin without rows holds in each column of ``resample().agg(...)`` (0 for counts and sums, 1 for
    products, else NaN): a dict by column for named aggregations, a dict of functions or a list of them, one value
    for a name; None otherwise."""
    func = args[0] if args else None
    if func is None and kwargs:  # named: {output column: (column, function)}
        names = {out: spec[1] if isinstance(spec, tuple) else getattr(spec, "aggfunc", None)
                 for out, spec in kwargs.items()}
    elif isinstance(func, (dict, list)) and not is_series_like(meta):
        # a list: (column, function) labels of a frame's, the functions' names of a Series'
        names = {c: (c[-1] if isinstance(c, tuple) else func.get(c) if isinstance(func, dict) else c)
                 for c in meta.columns}
    elif isinstance(func, str):  # agg("sum"): the method's own value of no rows
        return empty_bin_fill(meta, func)
    else:
        return None
    dtypes = {} if is_series_like(meta) else dict(meta.dtypes)
    return {c: _fill_of(f, dtypes.get(c)) for c, f in names.items()}


# aggregations a bin's rows can be split for: partial results combine into the bin's answer
_PIECEWISE_KINDS = {"sum": "biuf", "count": "biufmMOSU", "mean": "biuf", "min": "f", "max": "f"}


def bins_split(rule: Any, how: str, args: tuple, how_kwargs: dict) -> bool:
    """Whether :func:`resample_pieces` may take ``how`` piece by piece (decided when the graph is built): a
    plain ``sum``/``count``/``mean``/``min``/``max`` over a fixed span (a piece starts off its bins' edges, and
    only a fixed span's grid is anchored for it: :func:`_anchored`)."""
    return how in _PIECEWISE_KINDS and not args and not how_kwargs \
        and isinstance(pd.tseries.frequencies.to_offset(rule), pd.offsets.Tick)


def _piecewise(parts: list, how: str) -> bool:
    """Whether ``how`` of the rows of ``parts`` (pandas frames, several with rows) may be taken piece by piece:
    NumPy columns of kinds whose partial results keep pandas' dtype (a ``min`` of integers over a bin without
    rows would turn float in one piece only)."""
    if len(parts) < 2 or any(library_of(p) != "pandas" for p in parts):
        return False
    dtypes = list(parts[0].dtypes) if parts[0].ndim == 2 else [parts[0].dtype]
    if how == "mean" and any(isinstance(d, np.dtype) and d.kind == "f" and d != np.float64 for d in dtypes):
        return False  # (a float32 mean stays float32 in pandas; a sum over a count would not)
    return all(isinstance(d, np.dtype) and d.kind in _PIECEWISE_KINDS[how] for d in dtypes)


def resample_pieces(pieces: list, meta: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, kwargs: dict,
                    how: str, fill_value: Any) -> Any:
    """:func:`resample_partition` of the rows of ``pieces`` (the slices of input partitions one output
    partition is made of: a bin straddling two partitions has rows in both).

    A ``sum``/``count``/``mean``/``min``/``max`` of pandas pieces is taken piece by piece, each reindexed to
    the same bin labels, and the partial results combined (a mean from the sums and counts): the pieces are
    not concatenated, so the partition's rows are not copied and its index keeps its sortedness, which pandas
    otherwise checks anew (about half the time of a ``resample("1h").mean()`` of a 6M-row partition).  Other
    aggregations and cuDF concatenate the pieces first."""
    parts = [p for p in pieces if p is not None and len(p)]
    if not _piecewise(parts, how):
        part = concat([p for p in pieces if p is not None])
        return resample_partition(meta.copy() if part is None else part, start, end, reindex_closed, rule, kwargs,
                                  how, (), {})

    hows = ("sum", "count") if how == "mean" else (how,)
    fills = {h: FILL_VALUES.get(h, np.nan) for h in hows}
    raw = []  # per piece, per aggregation: one resampler each piece (its bins found once)
    for p in parts:
        resampler = p.resample(rule, **_anchored(p, rule, kwargs, start))
        raw.append([_within(getattr(resampler, h)(), start, end, reindex_closed) for h in hows])
    # each partial reindexed to the bins from the pieces' first row's to their last row's
    span = (min(r[0].index[0] for r in raw), max(r[0].index[-1] for r in raw))
    partials = [[_reindexed(o, start, end, reindex_closed, rule, fills[h], span) for o, h in zip(r, hows)]
                for r in raw]
    combined = []
    for k, h in enumerate(hows):
        outs = [piece[k] for piece in partials]
        labels = max((o.index for o in outs), key=len)  # (the last partition's labels end at each piece's last
        outs = [o if len(o) == len(labels) else o.reindex(labels, fill_value=fills[h]) for o in outs]  # bin)
        combined.append(_combined(outs, {"min": np.fmin, "max": np.fmax}.get(h, np.add)))
    if how == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            return combined[0] / combined[1]
    return combined[0]


def _combined(partials: list, ufunc: Any) -> Any:
    """``partials`` (frames or Series of the same labels and columns) combined element-wise by ``ufunc``,
    column by column (a ufunc of two frames with float32 and float64 columns takes them as one float64 array)."""
    out = partials[0]
    for other in partials[1:]:
        if out.ndim == 1:
            out = ufunc(out, other)
            continue
        out = pd.concat([ufunc(out.iloc[:, j], other.iloc[:, j]) for j in range(out.shape[1])], axis=1)
        out.columns = other.columns
    return out


# -- the bins of the whole result: from the first row's to the last row's, gaps between partitions filled --------
_WIDENED_BY_GAPS = frozenset({"min", "max", "first", "last", "ohlc"})  # a bool column's empty bins: float64 NaN


def widened_bools(source: Any, meta: Any, how: str) -> list:
    """The columns of the result ``meta`` of ``how`` from boolean columns of the resampled ``source`` (the input's
    meta): pandas makes them float64 when a bin has no rows (``[None]``: a Series'); empty for other aggregations.
    (The result's meta cannot tell: its stand-in rows leave an empty bin, float64 already.)"""
    if how not in _WIDENED_BY_GAPS:
        return []
    if is_series_like(source):
        if source.dtype != np.dtype(bool):
            return []
        return [None] if is_series_like(meta) else list(meta.columns)  # (ohlc: a frame of one bool Series)
    flags = {c for c in source.columns if source.dtypes[c] == np.dtype(bool)}
    # (ohlc labels a column's four results (column, "open") ...)
    return [c for c in meta.columns if (c[0] if isinstance(c, tuple) and how == "ohlc" else c) in flags]


def bins_span(own: Any, bools: list) -> Any:
    """``(first bin label, last bin label, number of bins, a bin without rows)`` of one partition's own bins
    (:func:`resample_partition`); None where it has none.  A boolean column of ``bools`` no longer boolean
    tells of a bin without rows among them."""
    if not len(own):
        return None
    ends = own.index[[0, -1]]
    ends = ends.to_pandas() if hasattr(ends, "to_pandas") else ends
    columns = [own] if bools == [None] else [own[c] for c in bools]
    return ends[0], ends[-1], len(own), any(c.dtype != np.dtype(bool) for c in columns)


def overall_span(spans: list, rule: Any, count_gaps: bool, first: Any = None) -> Any:
    """The first and last bin labels of the whole result from each partition's :func:`bins_span` (None: no row
    anywhere; ``first``: the first label where pandas puts an empty bin before the first row's,
    :func:`empty_first_bin`), and whether any bin between them has no rows (only counted where ``count_gaps``)."""
    spans = [s for s in spans if s is not None]
    if not spans:
        return None
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    lo = lo if first is None else min(lo, pd.Timestamp(first))
    gaps = count_gaps and (any(s[3] for s in spans) or
                           len(_bin_labels(lo, hi, rule, "both", None)) > sum(s[2] for s in spans))
    return lo, hi, gaps


def fill_bins(own: Any, span: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, fill_value: Any,
              bools: list) -> Any:
    """A partition's own bins reindexed to all bin labels from ``start`` to ``end`` within the whole result's
    ``span`` (:func:`overall_span`), the new ones filled with ``fill_value``; the boolean columns ``bools``
    float64 wherever a bin of the result has no rows (pandas' dtype then: every partition alike)."""
    out = _reindexed(own, start, end, reindex_closed, rule, fill_value, span)
    if not bools or span is None or not span[2]:
        return out
    if bools == [None]:
        return out.astype("float64")
    return out.astype({c: "float64" for c in bools})


# -- filling bins from the nearest rows (ffill, bfill, nearest): each partition sees its neighbours' edge rows --
NEIGHBOUR_FILLS = frozenset({"ffill", "bfill", "nearest", "pad", "backfill"})
def edge_rows(part: Any) -> Any:
    """A partition's first and last rows (none of an empty partition)."""
    return part.iloc[[0, -1]] if len(part) else part


def edge_of(total: Any, forward: bool = True) -> Any:
    """The row a scan hands on from one partition's edge rows: its last row going forward, else its first."""
    if not len(total):
        return total
    return total.iloc[[-1]] if forward else total.iloc[[0]]


def nearest_edge(carry: Any, total: Any, forward: bool = True) -> Any:
    """The nearest row seen so far: this partition's edge row, or, if it has none, the one carried."""
    return edge_of(total, forward) if len(total) else carry


def with_neighbour_rows(part: Any, before: Any = None, after: Any = None) -> Any:
    """``part`` between the last row of the partitions before it and the first of those after it."""
    pieces = [p for p in (before, part, after) if p is not None and len(p)]
    return concat(pieces) if len(pieces) > 1 else part


def resample_filled(part: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, kwargs: dict, how: str,
                    args: tuple, how_kwargs: dict) -> Any:
    """:func:`resample_partition` of a partition given with its neighbours' edge rows (``ffill``, ``bfill``,
    ``nearest``): the bins those rows add outside ``start`` .. ``end`` are left out."""
    return _dtypes_of(_binned(part, start, end, reindex_closed, rule, kwargs, how, args, how_kwargs), part)


def _dtypes_of(out: Any, part: Any) -> Any:
    """``out`` with ``part``'s dtypes (a partition's, or a result's of the same columns) where it holds no missing
    value: a bin left out (before the partition, made by the row before it) may have had none and widened an
    integer column to float64 (pandas' dtype: the column's own when every bin has a value)."""
    if is_series_like(out):
        return out.astype(part.dtype) if out.dtype != part.dtype and not out.isna().any() else out
    changed = {c: part.dtypes[c] for c in out.columns if out.dtypes[c] != part.dtypes[c] and not out[c].isna().any()}
    return out.astype(changed) if changed else out


# -- interpolate: the bin labels among the rows, interpolated together ------------------------------------------
def interpolation_points(grid: Any, part: Any, marker: str) -> Any:
    """The bin labels' rows (``grid``: the partition's ``asfreq``) and the rows of ``part`` at other times, in
    time order, ``marker`` 1.0 on the labels' rows: pandas' ``Resampler.interpolate`` interpolates over both."""
    off = part[~part.index.isin(grid.index)]
    both = concat([grid.assign(**{marker: 1.0}), off.assign(**{marker: 0.0})])
    return both.sort_index(kind=stable_sort_kind(both))


def grid_rows(part: Any, marker: str, freq: Any = None) -> Any:
    """The bin labels' rows of :func:`interpolation_points`' frame, without the marker; a pandas index gets the
    labels' frequency back (``freq``), as pandas' result has it (an Arrow timestamp index has none: kept)."""
    out = part[part[marker] == 1.0].drop(columns=[marker])
    arrow = isinstance(out.index.dtype, pd.ArrowDtype)
    if freq is not None and library_of(out) == "pandas" and len(out) and not arrow:
        try:
            out.index = pd.DatetimeIndex(out.index, freq=freq)
        except ValueError:  # labels not evenly spaced in absolute time (a clock change): none, as pandas
            pass
    return out


def time_grid(first: Any, last: Any, freq: Any, like: Any) -> Any:
    """pandas' ``asfreq`` grid: ``date_range`` from ``first`` to ``last`` by ``freq``, in the unit and with the
    name of the index ``like``."""
    unit = getattr(like, "unit", None)
    return pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq=freq, name=like.name,
                         **({"unit": unit} if unit else {}))
