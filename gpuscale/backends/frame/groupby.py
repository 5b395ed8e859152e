"""GroupBy partials: per-partition aggregates, their combination and the final values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.coded_keys import codes_keys, keys_back
from gpuscale.backends.frame.core import (convert_library, is_decimal_dtype, is_series_like, library_of, make_meta,
                                          namespace)
from gpuscale.backends.frame.group_moments import HIGHER_MOMENTS, finish_moment, partition_moments, shift_moments
from gpuscale.backends.frame.groupby_empty import empty_groups_valued
from gpuscale.backends.frame.groupby_extras import drop_columns
from gpuscale.backends.frame.groupby_results import cast_missing_results, none_results_as_missing, with_unnamed_results
from gpuscale.backends.frame.ops import numpy_index_kind, sort_index
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.reductions import decimal_mean, is_time_dtype, time_as_float
from gpuscale.backends.frame.string_keys import pack_string_keys, unpack_index


# -- groupby ----------------------------------------------------------------------------------------
# A decomposable aggregation is computed from partial columns: sum/count/size/min/max/first/last
# partials combine with one operation each; mean, var and std are finished from sum, count and the sum of
# squared deviations (m2); skew and kurt also from the sums of higher powers (see :mod:`.group_moments`).
GROUPBY_PARTIALS = {"sum": ("sum",), "count": ("count",), "size": ("size",), "min": ("min",), "max": ("max",),
                    "first": ("first",), "last": ("last",), "mean": ("sum", "count"),
                    "var": ("sum", "count", "m2"), "std": ("sum", "count", "m2"),
                    "skew": ("fsum", "count", "m2", "m3"), "kurt": ("fsum", "count", "m2", "m3", "m4")}
# times (datetime64, timedelta64) cannot be summed or squared: their means and deviations are made of sums and
# squares of the times as numbers ("time sum", "time m2"), and turned back into times when finished
_TIME_PARTIALS = {"sum": "tsum", "m2": "tm2"}
_PARTIAL_COMBINE = {"sum": "sum", "count": "sum", "size": "sum", "m2": "sum", "min": "min", "max": "max",
                    "first": "first", "last": "last", "tsum": "sum", "tm2": "sum", "fsum": "sum", "m3": "sum",
                    "m4": "sum"}


def groupby_partials(kind: str, dtype: Any) -> tuple:
    """The partial aggregates of aggregation ``kind`` of a column of ``dtype``.

    Examples
    --------
    >>> groupby_partials("mean", np.dtype("float64")), groupby_partials("std", np.dtype("datetime64[us]"))
    (('sum', 'count'), ('tsum', 'count', 'tm2'))
    >>> groupby_partials("mean", np.dtype("uint64"))
    ('fsum', 'count')
    """
    parts = GROUPBY_PARTIALS[kind]
    if kind in ("mean", "var", "std") and is_time_dtype(dtype):
        return tuple(_TIME_PARTIALS.get(p, p) for p in parts)
    if kind in ("mean", "var", "std") and _wide_integers(dtype):
        # pandas accumulates the means of integers in float64: a 64-bit integer sum would wrap (2**63 + 10 and
        # 2**63 + 20 summed to 30 as uint64)
        return tuple("fsum" if p == "sum" else p for p in parts)
    return parts


def _wide_integers(dtype: Any) -> bool:
    """Whether ``dtype`` holds 64-bit integers (NumPy's, pandas' nullable or Arrow ones)."""
    return getattr(dtype, "kind", None) in ("i", "u") and getattr(dtype, "itemsize", 0) == 8


def numbers_as_times(values: Any, dtype: Any) -> Any:
    """Counts of ``dtype``'s unit (float64, missing NaN) as times of ``dtype`` (the inverse of
    :func:`~gpuscale.backends.frame.reductions.time_as_float`; a fraction of a unit is cut off, as pandas cuts its means).  cuDF casts floats to
    times through their integers and null mask: a NaN must be a null there to become NaT."""
    if library_of(values) == "cudf":
        values = values.nans_to_nulls()
    if getattr(dtype, "pyarrow_dtype", None) is not None:  # Arrow casts times from integers only
        return np.trunc(values).astype("Int64").astype("int64[pyarrow]").astype(dtype)
    return values.astype(dtype)


def _groupby(obj: Any, by: list, dropna: bool, sort: bool = False, level: bool = False) -> Any:
    keys = {"level": list(range(len(by)))} if level else {"by": by}
    return obj.groupby(**keys, dropna=dropna, sort=sort, observed=True)


def groupby_chunk(df: Any, by: list, partials: tuple, dropna: bool = True) -> Any:
    """Partial aggregates of one partition: one column per ``(name, column, kind)`` in ``partials``."""
    runs = _sorted_key_runs(df, by, partials)
    if runs is not None:
        return _chunk_by_runs(df, by[0], partials, runs)
    packed = pack_string_keys(df, by)  # short fixed-width string keys: group by one integer instead
    if packed is None:
        return _chunk_by_codes(df, by, partials, dropna)
    codes, layout = packed
    result = _chunk_grouped(df, codes, partials, dropna)
    result.index = unpack_index(result.index, layout)
    return result


def _chunk_by_codes(df: Any, by: list, partials: tuple, dropna: bool) -> Any:
    """Partial aggregates with categorical and integer keys grouped by codes (see :mod:`.coded_keys`)."""
    coded = codes_keys(df, by)
    if coded is None:
        return _chunk_grouped(df, by, partials, dropna)
    keys, layout = coded
    result = _chunk_grouped(df, keys, partials, dropna)
    result.index = keys_back(result.index, layout)
    return result


def _chunk_grouped(df: Any, by: Any, partials: tuple, dropna: bool) -> Any:
    timed = [col for _, col, kind in partials if kind in ("tsum", "tm2")]
    if timed:  # the times of means and deviations as numbers, beside the columns as they are
        df = df.assign(**{_numbers_of(col): time_as_float(df[col]) for col in dict.fromkeys(timed)})
        partials = tuple((name, _numbers_of(col), kind[1:]) if kind in ("tsum", "tm2") else (name, col, kind)
                         for name, col, kind in partials)
    by_kind: dict = {}
    for _, col, kind in partials:
        if kind not in ("size", "m2", *HIGHER_MOMENTS):
            by_kind.setdefault(kind, []).append(col)
    grouped = _groupby(df, by, dropna)
    # one grouped pass per kind over all its columns (faster than a dict of lists)
    results = {kind: _grouped_columns(grouped, list(dict.fromkeys(cols)), kind) for kind, cols in by_kind.items()}
    moments = _moments_by_column(df, by, partials, dropna)
    columns = {}
    for name, col, kind in partials:
        if kind == "size":
            columns[name] = grouped.size()
        elif (col, kind) in moments:
            columns[name] = moments[(col, kind)]
        elif kind == "m2":  # sum of squared deviations from the group mean in this partition
            values = grouped[col]
            columns[name] = (values.var(ddof=0) * values.count()).fillna(0)
        else:
            columns[name] = results[kind][col]
    return namespace(df).DataFrame(columns)


def _moments_by_column(df: Any, by: Any, partials: tuple, dropna: bool) -> dict:
    """``(column, kind) -> partial`` of the moments computed together (:func:`.partition_moments`): those beyond
    the variance, with the column's ``m2`` (around the same means), and any moment of a float32 column."""
    kinds: dict = {}
    for _, col, kind in partials:
        if kind in HIGHER_MOMENTS or (kind == "m2" and str(df[col].dtype) == "float32"):
            kinds.setdefault(col, set()).add(kind)
    for _, col, kind in partials:
        if kind == "m2" and col in kinds:
            kinds[col].add("m2")
    return {(col, kind): value for col, wanted in kinds.items()
            for kind, value in partition_moments(df, by, col, sorted(wanted), dropna).items()}


def _numbers_of(column: Any) -> str:
    return f"__gpuscale_numbers_of_{column}"


def _grouped_columns(grouped: Any, cols: list, kind: str) -> Any:
    """``kind`` of each of ``cols`` by group, looked up by column label; one column through the grouped
    Series (pandas' grouped frame first selects and checks the columns: a fifth slower for one)."""
    if len(cols) == 1 and not isinstance(cols[0], tuple):  # (a tuple would be read as several columns)
        return {cols[0]: getattr(grouped[cols[0]], kind)()}
    return getattr(grouped[cols], kind)()


# partitions read in key order hold each key in one run of rows: those are aggregated run by run
_RUN_REDUCERS = {"sum": "add", "min": "fmin", "max": "fmax"}
_RUN_DTYPES = ("int64", "float64")


def _sorted_key_runs(df: Any, by: list, partials: tuple) -> Any:
    """Where each key's run of rows starts, when one integer key column is sorted (pandas) and every
    partial is a sum/min/max/count/size of an int64 or float64 column; else ``None``."""
    if library_of(df) != "pandas" or len(by) != 1 or len(df) == 0 or by[0] not in df.columns:
        return None
    key = df[by[0]]
    if not isinstance(key.dtype, np.dtype) or key.dtype.kind not in "iu":
        return None
    if any(kind not in ("sum", "fsum", "min", "max", "count", "size") for _, _, kind in partials):
        return None
    if any(kind != "size" and str(df[col].dtype) not in _RUN_DTYPES for _, col, kind in partials):
        return None
    if not key.is_monotonic_increasing:
        return None
    return np.flatnonzero(_run_starts(key.to_numpy()))


def _run_starts(keys: Any) -> Any:
    """For sorted keys: whether each row starts a new run of equal keys."""
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    return starts


def _chunk_by_runs(df: Any, key: str, partials: tuple, starts: Any) -> Any:
    index = namespace(df).Index(df[key].to_numpy()[starts], name=key)
    lengths = np.diff(np.append(starts, len(df)))
    columns = {name: _run_partial(df, col, kind, starts, lengths) for name, col, kind in partials}
    return namespace(df).DataFrame(columns, index=index)


def _run_partial(df: Any, col: str, kind: str, starts: Any, lengths: Any) -> Any:
    if kind == "size":
        return lengths.astype("int64")
    values = df[col].to_numpy()
    if kind == "fsum":  # (a float64 sum: see :func:`groupby_partials`)
        values, kind = values.astype("float64"), "sum"
    missing = np.isnan(values) if values.dtype.kind == "f" else None
    if missing is not None and not missing.any():
        missing = None
    if kind == "count":
        return lengths if missing is None else lengths - np.add.reduceat(missing, starts).astype("int64")
    if kind == "sum" and missing is not None:
        values = np.where(missing, 0.0, values)  # pandas skips missing values (an all-missing sum is 0)
    return getattr(np, _RUN_REDUCERS[kind]).reduceat(values, starts)


def groupby_combine(parts: list, by: list, partials: tuple, dropna: bool = True, **kwargs: Any) -> Any:
    """Combine partial aggregates of several partitions (indexed by the group keys)."""
    frame = _sorted_numeric_keys(concat(parts) if isinstance(parts, list) else parts)
    starts = _integer_key_run_starts(frame)
    if starts is not None:
        repeated = ~(starts & np.append(starts[1:], True))  # rows not alone in their run of keys
        if 2 * int(repeated.sum()) < len(frame):
            return _combine_repeated_only(frame, starts, repeated, by, partials, dropna)
    return _combine(frame, by, partials, dropna)


def _integer_key_run_starts(frame: Any) -> Any:
    """For partials sorted by one integer key (pandas): whether each row starts a run of equal keys."""
    kind = numpy_index_kind(frame)
    if kind is None or kind not in "iu" or not frame.index.is_monotonic_increasing:
        return None
    return _run_starts(frame.index.to_numpy())


def _combine_repeated_only(frame: Any, starts: Any, repeated: Any, by: list, partials: tuple,
                           dropna: bool) -> Any:
    """Combine where most keys have one partial row (data clustered by key, e.g. read in key order):
    those rows are combined already, so only the rows of repeated keys are grouped."""
    result = frame.take(np.flatnonzero(starts))  # (a new frame: pandas 2.2 warns on writes to a mask's rows)
    if not repeated.any():
        return result
    merged = _combine(frame[repeated], by, partials, dropna)
    if list(merged.dtypes) != list(result.dtypes):  # a combine that changes dtypes: group everything
        return _combine(frame, by, partials, dropna)
    rows = np.searchsorted(result.index.to_numpy(), merged.index.to_numpy())
    for j, name in enumerate(result.columns):
        result.iloc[rows, j] = merged[name].to_numpy()
    return result


def _combine(frame: Any, by: list, partials: tuple, dropna: bool) -> Any:
    ops = {name: _PARTIAL_COMBINE[kind] for name, _, kind in partials}
    partials = tuple((name, col, kind[1:]) if kind in ("tsum", "tm2") else (name, col, kind)
                     for name, col, kind in partials)  # (numbers combine as any others)
    m2 = [(name, col) for name, col, kind in partials if kind == "m2"]
    if m2:
        frame = _shift_m2(frame, by, partials, m2, dropna)
    return _groupby(frame, by, dropna, level=True).agg(ops)


def _sorted_numeric_keys(frame: Any) -> Any:
    """Partials ordered by a single numeric key: grouping sorted keys takes pandas' run-based path,
    several times faster than hashing when there are millions of groups (a stable sort keeps the
    partition order that ``first``/``last`` rely on)."""
    index = frame.index
    if index.nlevels != 1 or getattr(index.dtype, "kind", "O") not in "iufmM":
        return frame
    return sort_index(frame)


def _shift_m2(frame: Any, by: list, partials: tuple, m2: list, dropna: bool) -> Any:
    """Express each partial M2 (and M3, M4) around the combined group mean, so that they simply add up."""
    names = {(col, kind): name for name, col, kind in partials}
    grouped = _groupby(frame, by, dropna, level=True)
    frame = frame.copy(deep=False)
    for name, col in m2:
        sums, counts = names.get((col, "fsum"), names.get((col, "sum"))), names[(col, "count")]
        moments = {kind: names[(col, kind)] for kind in ("m2", *HIGHER_MOMENTS) if (col, kind) in names}
        frame = shift_moments(frame, frame[sums], frame[counts], grouped[sums].transform("sum"),
                              grouped[counts].transform("sum"), moments)
    return frame


def groupby_finalize(parts: Any, by: list, partials: tuple, outputs: tuple, meta: Any, dropna: bool = True,
                     sort: bool = True, ddof: int = 1) -> Any:
    """Final aggregates from partials; ``outputs`` are ``(kind, partial names)`` in ``meta``'s column order."""
    combined = groupby_combine(parts, by, partials, dropna)
    dtypes = [meta.dtype] if is_series_like(meta) else list(meta.dtypes)
    columns = [_finish(combined, kind, names, ddof, dtype) for (kind, names), dtype in zip(outputs, dtypes)]
    result = namespace(combined).concat(columns, axis=1) if columns else combined
    if is_series_like(meta):
        result = result.iloc[:, 0]
        result.name = meta.name
    else:
        result.columns = meta.columns
    return sort_index(result) if sort else result


def _finish(frame: Any, kind: str, names: tuple, ddof: int, dtype: Any = "float64") -> Any:
    if len(names) == 1 and kind == "size" and str(dtype) not in ("float64", str(frame[names[0]].dtype)):
        return frame[names[0]].astype(dtype)  # pandas' size of a nullable (Arrow) column is of its kind: Int64
    if len(names) == 1:
        return _sum_of_no_values_is_zero(frame[names[0]]) if kind == "sum" else frame[names[0]]
    total, count = frame[names[0]], frame[names[1]]
    if kind in ("skew", "kurt"):
        return finish_moment(kind, total, count, *(frame[n] for n in names[2:])).astype(dtype)
    valid = count.where(count > 0)
    if kind == "mean" and is_time_dtype(dtype):  # times summed as numbers
        return numbers_as_times(total / valid, dtype)
    if kind == "mean" and is_decimal_dtype(dtype):
        return decimal_means(total, count, dtype)
    if kind == "mean":  # pandas' dtype: float64, or the column's own (double[pyarrow] stays double[pyarrow])
        return (total / valid).astype(dtype if str(dtype) != "object" else "float64")
    var = frame[names[2]] / (count - ddof).where(count - ddof > 0)
    if kind == "std" and is_time_dtype(dtype):
        return numbers_as_times(var ** 0.5, dtype)
    out = var ** 0.5 if kind == "std" else var
    # pandas keeps a float32 column's width (the partials' arithmetic widened it to float64)
    return out.astype(dtype) if str(dtype) in ("float32", "Float32") else out


def decimal_means(total: Any, count: Any, dtype: Any) -> Any:
    """Means of Arrow decimals as pandas gives them (see :func:`decimal_mean`; Arrow's division of the wide
    decimal sums overflows its precision)."""
    values = [decimal_mean(t, n, dtype) for t, n in zip(total.tolist(), count.tolist())]
    return pd.Series(values, index=total.index, dtype=dtype, name=total.name)


def _sum_of_no_values_is_zero(values: Any) -> Any:
    """pandas' sum of a group without a valid value is 0; libcudf's groupby sum skips nulls and gives null
    there (cuDF's ``GroupBy.sum`` masks nothing unless ``min_count > 0``)."""
    numeric = getattr(values.dtype, "kind", "O") in "iufc"  # (a timedelta's or a string's empty sum: left)
    return values.fillna(0) if library_of(values) == "cudf" and numeric else values


def groupby_whole_groups(df: Any, by: list, selection: Any, how: str, arg: Any = None, kwargs: dict | None = None,
                         dropna: bool = True, sort: bool = True, meta: Any = None, observed: bool = True,
                         drop: tuple = (), group_keys: bool | None = True) -> Any:
    """Run a groupby method (or ``agg``) with the partition library (pandas or cuDF) on partitions that
    hold whole groups (after a shuffle by key); ``meta`` for no rows.  ``observed=False`` only for the
    metadata: partitions group the observed categories (see :mod:`.groupby_observed`).  ``drop``: key
    columns that are not the user's (a grouped Series or the index) left out of a DataFrame result;
    ``group_keys``: as pandas' (False or None: ``apply`` results that keep the rows keep their own index)."""
    # (pandas' result of no group has its own, other, layout: an apply of rows whose keys all miss gives them back
    # unchanged, while its result of the whole frame has none of those rows)
    if meta is not None and (len(df) == 0 or (dropna and no_key_kept(df, by) and
                                              (how == "apply" or _by_group(meta, by)))):
        return _keys_typed_as(meta, df, by)
    if meta is not None and how == "transform" and dropna and no_key_kept(df, by):
        return meta.reindex(df.index)  # no group kept: the rows stay, without values (pandas fails on none)
    if _pairs_refused(df, how, by):
        from gpuscale.backends.frame.cudf_gaps import groupby_whole_groups_on_host

        return groupby_whole_groups_on_host(df, by, selection, how, arg, kwargs, dropna, sort, meta=meta,
                                            observed=observed, drop=drop, group_keys=group_keys)
    keys_kw = {} if group_keys is True else {"group_keys": group_keys}
    grouped = df.groupby(by, dropna=dropna, sort=sort, observed=observed, **keys_kw)
    if selection is not None:
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    if how == "transform" and not dropna and callable(arg) and library_of(df) == "pandas" and \
            selection is not None and not isinstance(selection, (tuple, list)):
        arg = with_unnamed_results(arg)  # (pandas' transform fails comparing a missing key's NA to a key)
    out = drop_columns(_call_grouped(grouped, how, arg, kwargs or {}, library_of(df)), drop)
    out = empty_groups_valued(out, how, arg, kwargs)  # (cuDF: null where pandas' sum/prod of no value is 0/1)
    if how == "apply":  # (a partition whose groups all gave None: pandas' empty DataFrame)
        out = none_results_as_missing(out, grouped, meta)
    if how in ("apply", "agg") and meta is not None:  # (a partition of missing results only: object values)
        out = cast_missing_results(out, meta)
    if how == "describe":
        out = describe_counts_as_float(out)
    if how == "apply":
        out = _key_levels_as_keys(out, df, by)
    if meta is not None and is_series_like(meta) and is_series_like(out) and out.name != meta.name:
        out = out.rename(meta.name)  # a declared meta's name, as dask's apply_and_enforce
    return out


def _key_levels_as_keys(out: Any, df: Any, by: list) -> Any:
    """``out`` whose categorical key levels have the key columns' categories: pandas 2.2's ``apply`` of frames
    kept gives them only the categories of the groups (pandas 3: the key's), so partitions' results would
    concatenate to a union of categories in another order."""
    index = out.index
    if library_of(out) != "pandas" or index.nlevels < 2 or list(index.names[:len(by)]) != list(by):
        return out
    levels = {i: df[k].dtype for i, k in enumerate(by) if k in df.columns and
              isinstance(df[k].dtype, pd.CategoricalDtype) and index.levels[i].dtype != df[k].dtype}
    if not levels:
        return out
    out = out.copy(deep=False)
    out.index = index.set_levels([index.levels[i].astype(t) for i, t in levels.items()], level=list(levels))
    return out


def describe_counts_as_float(out: Any) -> Any:
    """A groupby ``describe`` with pandas' float64 counts (cuDF's are integers: its describe is an ``agg``).

    Examples
    --------
    >>> out = pd.DataFrame({"count": [2, 1], "mean": [1.5, 3.0]})
    >>> describe_counts_as_float(out).dtypes.tolist()
    [dtype('float64'), dtype('float64')]
    """
    counts = [c for c in out.columns if (c[-1] if isinstance(c, tuple) else c) == "count"]
    # only integer counts (cuDF's): pandas' own are float64, Float64 of nullable columns, objects beside text
    integers = [c for c in counts if getattr(out[c].dtype, "kind", "O") in "iu"]
    return out.astype({c: "float64" for c in integers}) if integers else out


def _pairs_refused(df: Any, how: str, by: list) -> bool:
    """Whether cuDF's groupby ``corr``/``cov`` would refuse ``df``: it pairs the value columns as struct
    columns, whose children must have the same null count ("All child columns must ... have the same size and
    null count"); with a missing value the pairs are computed on the host (pandas drops them pair by pair)."""
    if how not in ("corr", "cov") or library_of(df) != "cudf":
        return False
    values = [c for c in df.columns if not any(isinstance(k, str) and c == k for k in by)]
    return bool(df[values].isna().any().any()) if values else False


def _call_grouped(grouped: Any, how: str, arg: Any, kwargs: dict, library: str) -> Any:
    """``grouped.<how>(arg, **kwargs)``.  cuDF's ``agg(name, **kwargs)`` drops the keywords of the function
    (``agg("std", ddof=0)`` gives ``ddof=1``): they are read as named aggregations only without a function,
    so a named reduction with keywords is called as its method there (pandas passes them on itself)."""
    if how == "agg" and kwargs and library == "cudf" and _names_of_reductions(arg):
        if isinstance(arg, str):
            return getattr(grouped, arg)(**kwargs)
        return _side_by_side([getattr(grouped, name)(**kwargs) for name in arg], list(arg))
    return getattr(grouped, how)(*(() if arg is None else (arg,)), **kwargs)


def _names_of_reductions(arg: Any) -> bool:
    return isinstance(arg, str) or (isinstance(arg, list) and all(isinstance(a, str) for a in arg))


def _side_by_side(results: list, names: list) -> Any:
    """The results of ``agg(names)`` from one result per name, labelled as pandas' (a Series per name: the
    names; a frame per name: (column, name) pairs, column by column)."""
    xp = namespace(results[0])
    if is_series_like(results[0]):
        return xp.concat([r.rename(n) for r, n in zip(results, names)], axis=1)
    labels = [(c, n) for c in results[0].columns for n in names]
    out = xp.DataFrame({f"__agg_{i}": results[names.index(n)][c] for i, (c, n) in enumerate(labels)})
    out.columns = pd.MultiIndex.from_tuples(labels)
    return out


def _by_group(meta: Any, by: list) -> bool:
    """Whether a result is indexed by the groups (not one row per row of the partition)."""
    return list(getattr(meta.index, "names", [None])[:len(by)]) == list(by)


def no_key_kept(df: Any, by: list) -> bool:
    """Whether every row of ``df`` misses a key (``dropna=True`` keeps no group of them)."""
    if not by or not all((isinstance(c, str) or np.isscalar(c)) and c in df.columns for c in by):
        return False
    return bool(df[list(by)].isna().any(axis=1).all())


def _keys_typed_as(meta: Any, df: Any, by: list) -> Any:
    """Empty ``meta`` whose categorical key levels have the categories of ``df``'s key columns: the
    metadata's categories may be unknown, and a concat with the other partitions' results must not
    turn the keys into strings."""
    if (not all(isinstance(c, str) or np.isscalar(c) for c in by) or any(c not in df.columns for c in by)
            or meta.index.nlevels != len(by) or not _by_group(meta, by)
            or not any(str(df[c].dtype) == "category" for c in by)):
        return meta  # (a result with a row per row, shift ... rank, keeps the frame's index)
    xp = namespace(df)
    levels = [df[c].iloc[:0] for c in by]
    index = (xp.MultiIndex.from_arrays(levels, names=meta.index.names) if len(by) > 1
             else xp.Index(levels[0], name=meta.index.name))
    out = meta.copy()
    out.index = index
    return out


def with_index_of(meta: Any, like: Any) -> Any:
    """Empty ``meta`` (in ``like``'s library) with the index of empty ``like`` (a groupby result's keys)."""
    out = convert_library(make_meta(meta), library_of(like))
    out.index = like.index
    return out


def rename_hidden_keys(obj: Any, names: dict, dtypes: dict | None = None) -> Any:
    """``obj`` with the index level names (and a Series' name) found in ``names`` replaced (groupby keys
    that were hidden columns get the names pandas gives them); the input is left as it is.  ``dtypes``:
    {hidden label: dtype} of keys that were index levels (see :func:`_object_levels_kept`)."""
    def new(name: Any) -> Any:
        try:
            return names.get(name, name)
        except TypeError:  # an unhashable name
            return name

    out = obj.copy(deep=False)
    if dtypes:
        out.index = _object_levels_kept(obj.index, dtypes)
    index_names = list(obj.index.names)
    renamed = [new(n) for n in index_names]
    if renamed != index_names:
        out.index = out.index.set_names(renamed)
    if is_series_like(obj):
        out.name = new(obj.name)
    return out


def _object_levels_kept(index: Any, dtypes: dict) -> Any:
    """``index`` with the levels named by ``dtypes`` that were object index levels made object again: pandas
    3 groups an object text column as ``str``, but keeps an index level's object dtype (``groupby(level=0)``);
    gpuscale grouped the level as a hidden column.  (cuDF's text is object: nothing to do.)"""
    if library_of(index) != "pandas":
        return index
    for i, name in enumerate(index.names):
        want = dtypes.get(name) if isinstance(name, str) else None
        if want is None or want != object:
            continue
        if index.nlevels == 1 and index.dtype != want:
            index = index.astype(want)
        elif index.nlevels > 1 and index.levels[i].dtype != want:
            index = index.set_levels(index.levels[i].astype(want), level=i)
    return index


__all__ = [
    "groupby_chunk", "groupby_combine", "groupby_finalize", "groupby_whole_groups", "rename_hidden_keys",
    "with_index_of", "groupby_partials", "numbers_as_times",
]
