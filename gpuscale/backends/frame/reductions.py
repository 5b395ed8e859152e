"""Tree reductions of Series/DataFrames (chunk -> combine -> aggregate) and row-wise reductions.

A partial result is a dict of Series (one value per column) or of scalars (for a Series).  pandas
decides what a reduction means for each dtype: ``reduction_meta`` runs it on a two-row stand-in first
(so a reduction pandas refuses, e.g. ``prod`` of timedeltas, raises pandas' error when it is built),
and its result's dtype is the dtype of the computed answer.  Datetime and timedelta columns enter the
moment reductions (mean, var, std, sem) as float nanoseconds-of-their-unit and leave as timestamps
and timedeltas again, as pandas' (Arrow dates as dates: :mod:`gpuscale.backends.frame.time_values`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends import _detect
from gpuscale.backends.frame import mixed_objects
from gpuscale.backends.frame.core import (convert_library, infer_dtypes, is_dataframe_like, is_decimal_dtype,
                                          is_series_like, library_of, make_meta, meta_nonempty)
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.time_values import is_time_dtype, time_as_float, time_unit_zone, time_value

# how -> the operation combining partials of that reduction
_SIMPLE = {"sum": "sum", "prod": "prod", "min": "min", "max": "max", "count": "sum", "any": "any", "all": "all"}
_MOMENTS = ("mean", "var", "std", "sem")


def numeric_columns(meta: Any) -> list:
    """The columns pandas' ``numeric_only=True`` keeps: NumPy's numbers and booleans (not timedeltas), and the
    extension dtypes that call themselves numeric (nullable numbers and booleans, Arrow numbers and decimals; not
    Arrow booleans)."""
    return [c for c, d in meta.dtypes.items()
            if (getattr(d, "kind", "O") in "biufc" and getattr(d, "_is_numeric", True) is not False)
            or getattr(d, "_is_numeric", False) is True]


def refuse_text_series(meta: Any, how: str) -> None:
    """dask's ValueError for moments (mean, std, ...) of a Series of strings or objects (pandas: TypeError)."""
    if is_series_like(meta) and pd.api.types.is_string_dtype(meta.dtype):
        kind = str(meta.dtype) if str(meta.dtype) in ("object", "str") else "string"
        raise ValueError(f"`{how}` not supported with {kind} series")


def reduction_meta(meta: Any, how: str, **kwargs: Any) -> Any:
    """pandas' result of reduction ``how`` on a stand-in of ``meta``: raises pandas' error for a dtype the
    reduction does not support, else gives the result's metadata (an empty Series or a typed scalar)."""
    from gpuscale.backends.convert import to_host

    sample = to_host(meta_nonempty(meta))  # pandas decides (cuDF has no sem, say)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = getattr(sample, how)(**kwargs)
    if is_series_like(result):
        library = library_of(meta)
        if library != "cudf":
            return make_meta(convert_library(result, library))
        return per_column_meta_on_cudf(sample, how, result)
    return result


def per_column_meta_on_cudf(sample: Any, how: str, result: Any) -> Any:
    """The cuDF metadata of pandas' per-column answers ``result`` of ``sample.<how>()``; a clear TypeError where
    they are of several types (numbers, Timestamps, Timedeltas), which one cuDF column cannot hold."""
    try:
        return make_meta(convert_library(_one_column_dtype(result), "cudf"))
    except Exception as err:  # noqa: BLE001 - cuDF's MixedTypeError and kin: told in words below
        raise _mixed_result_error(sample, how, result) from err


def _mixed_result_error(sample: Any, how: str, result: Any) -> TypeError:
    """The error for a per-column reduction whose answers are of several types (numbers and times, say): pandas
    gives them as an object Series, which a cuDF column cannot hold."""
    groups: dict = {}
    for label in result.index:
        dtype = sample[label].dtype if label in sample.columns else None
        kind = {"M": "datetimes", "m": "durations"}.get(getattr(dtype, "kind", ""), "others")
        kind = "numbers" if getattr(dtype, "kind", "") in "biuf" else kind
        groups.setdefault(kind, []).append(label)
    listed = "; ".join(f"{kind} {labels}" for kind, labels in groups.items())
    return TypeError(f"DataFrame.{how}() on cuDF: the columns' answers are of several types ({listed}), which one "
                     f"cuDF column cannot hold (pandas gives them as objects); reduce each group of columns "
                     f"separately (df[[...]].{how}()) or pass numeric_only=True")


def _one_column_dtype(result: Any) -> Any:
    """pandas' per-column answers as a cuDF column can hold them: pandas keeps ``min``/``max`` of float, int
    and bool columns as an object Series of each one's own type, which cuDF refuses ("Cannot create column
    with mixed types"); cuDF's own ``DataFrame.min()`` gives their common dtype (float64 here)."""
    if str(result.dtype) != "object" or not len(result):
        return result
    values = list(result.array)
    if not all(isinstance(v, (bool, int, float, np.number, np.bool_)) for v in values):
        return result
    return result.astype(np.result_type(*(np.asarray(v).dtype for v in values)))


# -- chunk ----------------------------------------------------------------------------------------
def reduce_chunk(part: Any, how: str, skipna: bool = True, min_count: int = 0) -> dict | None:
    """Partial reduction ``how`` of one partition (None for an empty partition)."""
    if len(part) == 0:
        return None
    if how in _SIMPLE:
        value = plain_sum(part) if how == "sum" and skipna else None
        if value is None:
            value = part.count() if how == "count" else _partial_value(part, how, skipna)
        out = {"v": value}
        if min_count:  # sum/prod: values present, for min_count
            out["c"] = part.count()
        cats = _ordered_categories(part) if how in ("min", "max") else None
        if cats:  # (combined by the categories' order, see reduce_combine)
            out["cats"] = cats
        return out
    if how == "size":
        return {"v": part.size}
    values = _moment_values(part)
    n = values.count()
    total = plain_float_sum(values)
    out = {"n": n, "s": values.sum() if total is None else total}
    if how != "mean":  # count, mean, sum of squared deviations (Chan et al. combine)
        mean = values.mean()
        out.update(m=mean, M2=_squared_size(values - mean).sum())
    if not skipna:  # a missing value makes the answer missing
        out["k"] = values.isna().sum()
    return out


def _partial_value(part: Any, how: str, skipna: bool) -> Any:
    # (objects that do not compare under skipna=False: a missing value of another partition decides first)
    if skipna or how not in ("sum", "prod", "min", "max"):
        return getattr(part, how)(skipna=skipna)
    return mixed_objects.reduce_or_defer(part, how)


def plain_sum(part: Any) -> Any:
    """``part.sum()`` through :func:`plain_float_sum` or :func:`narrow_int_sum`; None where neither applies."""
    value = plain_float_sum(part)
    return narrow_int_sum(part) if value is None else value


# the 32-bit accumulator of NumPy's sum of 8/16-bit integers, and the most a value adds to it
_NARROW_SUMS = {"i": (np.int32, np.int64, 2**31 - 1), "u": (np.uint32, np.uint64, 2**32 - 1)}


def narrow_int_sum(part: Any) -> Any:
    """``part.sum()`` of a pandas Series of 8- or 16-bit NumPy integers (category codes, say), summed in a
    32-bit accumulator where no sum of its length can overflow one; None for other objects.

    pandas sums them in a 64-bit accumulator (``nanops.nansum``: int64, or uint64 for unsigned) and
    returns that type; with no overflow possible the 32-bit sum is the same integer, at about half the
    cost (NumPy widens each value on the way in).
    """
    if library_of(part) != "pandas" or not is_series_like(part) or not isinstance(part.dtype, np.dtype) \
            or part.dtype.kind not in "iu" or part.dtype.itemsize > 2:
        return None
    accumulator, result, limit = _NARROW_SUMS[part.dtype.kind]
    widest = max(abs(int(np.iinfo(part.dtype).min)), int(np.iinfo(part.dtype).max))
    if len(part) * widest > limit:
        return None
    return result(part.to_numpy().sum(dtype=accumulator))


def plain_float_sum(part: Any) -> Any:
    """``part.sum()`` (missing values skipped) of a pandas float64 Series, without pandas' copy of the
    column; None for other objects.

    pandas' ``sum`` first finds the missing values (a boolean array as long as the values) and, where there
    are any, sums a copy with them set to 0.  Here the values are summed as they are (with no NaN that is
    pandas' own NumPy sum, the same number); only where that sum is NaN are they summed again a block at a
    time, each block with a NaN through a small scratch copy with its NaNs as 0 (pandas' answer up to the
    last bits of the order of additions; an ``inf - inf`` stays NaN, as in pandas).  A 6M-row partition with
    some NaN: 2-4 ms instead of 10 ms and a 50 MB copy.
    """
    if library_of(part) != "pandas" or not is_series_like(part) or part.dtype != np.float64:
        return None
    values = part.to_numpy()
    with np.errstate(invalid="ignore"):  # inf + -inf: NaN, quietly
        total = values.sum()
        return _sum_skipping_nan(values) if np.isnan(total) else total


_SUM_BLOCK = 1 << 16  # values per block of a sum with missing values: a 512 KiB scratch, in cache


def _sum_skipping_nan(values: np.ndarray) -> Any:
    scratch = np.empty(min(len(values), _SUM_BLOCK))
    totals = np.empty(-(-len(values) // _SUM_BLOCK))
    for i, start in enumerate(range(0, len(values), _SUM_BLOCK)):
        block = values[start:start + _SUM_BLOCK]
        totals[i] = block.sum()
        if np.isnan(totals[i]):
            copy = scratch[:len(block)]
            np.copyto(copy, block)
            copy[np.isnan(copy)] = 0.0
            totals[i] = copy.sum()
    return totals.sum()


def _moment_values(part: Any) -> Any:
    """``part`` as the floats its moments are taken of (times as counts of their unit), complex values (pandas
    only) as complex128: pandas' mean of them is complex, its variance the mean of ``|x - mean|²``."""
    values = time_as_float(part)
    return values.astype("complex128" if _is_complex(values) else "float64")


def _is_complex(value: Any) -> bool:
    """Whether ``value`` (a scalar, Series or DataFrame) holds complex numbers."""
    if isinstance(value, complex):
        return True
    dtypes = value.dtypes if is_dataframe_like(value) else [getattr(value, "dtype", None)]
    return any(getattr(d, "kind", None) == "c" for d in dtypes)


def _squared_size(x: Any) -> Any:
    """``x * x``; of complex values ``|x|²`` (a float)."""
    return abs(x) ** 2 if _is_complex(x) else x * x


# -- combine ----------------------------------------------------------------------------------------
def _stack(values: list) -> Any:
    if is_series_like(values[0]):
        return concat(values, axis=1).T
    return pd.Series(values)


def _kleene(values: list, how: str) -> Any:
    """``any``/``all`` of scalar partials holding ``pd.NA`` (nullable columns, ``skipna=False``), with pandas'
    three-valued logic: a deciding value wins, else NA."""
    deciding = how == "any"  # (True decides an any, False an all)
    known = [bool(v) for v in values if v is not pd.NA]
    return np.bool_(deciding) if deciding in known else pd.NA


def _combine_value(values: list, how: str, skipna: bool = True) -> Any:
    if not is_series_like(values[0]) and all(v is pd.NaT for v in values):
        return pd.NaT  # (a Series of NaT alone is guessed datetime64, whose sum pandas refuses for timedeltas)
    if not is_series_like(values[0]) and any(v is pd.NA for v in values):  # partials of nullable columns
        if how in ("any", "all"):
            return _kleene(values, how)
        if not skipna:  # (a missing partial is the answer; pandas 2 cannot compare NA in an object Series)
            return pd.NA
        values = [v for v in values if v is not pd.NA] or [pd.NA]
    if not skipna and mixed_objects.holds_deferred(values):
        return mixed_objects.combine_deferred(values, lambda cleaned: _combine_value(cleaned, how, skipna))
    stacked = _stack(values)
    if not is_series_like(values[0]):
        return getattr(stacked, how)(skipna=skipna)  # a partial that is NaN under skipna=False stays NaN
    stacked = infer_dtypes(stacked)
    na = mixed_objects.na_columns(stacked, how, skipna)
    if na:  # (not compared: pandas 2.2 cannot compare NA in an object column)
        stacked = stacked.copy()
        stacked.iloc[:, na] = np.nan
    result = _nat_kept(getattr(stacked, how)(skipna=skipna), stacked)
    if na:
        result = result.astype(object)
        result.iloc[na] = pd.NA
    return result


def _nat_kept(result: Any, stacked: Any) -> Any:
    """``result`` with NaT where a column's partials are all NaT: pandas reduces an object column of NaT alone
    (a timedelta column's partials beside numbers) to None."""
    if str(result.dtype) != "object" or _detect.is_cudf_object(result):
        return result
    nat = [i for i in range(stacked.shape[1])
           if str(stacked.dtypes.iloc[i]) == "object" and all(v is pd.NaT for v in stacked.iloc[:, i])]
    if nat:
        result = result.copy()
        result.iloc[nat] = pd.NaT
    return result


def reduce_combine(partials: list, how: str, skipna: bool = True, **kwargs: Any) -> dict | None:
    """Combine partial reductions into one partial."""
    partials = [p for p in partials if p is not None]
    if not partials:
        return None
    if "v" in partials[0]:
        values = [p["v"] for p in partials]
        if "cats" in partials[0]:  # ordered categories: by their order, not their labels'
            cats = partials[0]["cats"]
            combined = None if not is_series_like(values[0]) else \
                _combine_value([v.drop(list(cats)) for v in values], _SIMPLE[how], skipna).reindex(values[0].index)
            out = {"v": _in_category_order(combined, values, cats, how, skipna), "cats": cats}
        else:
            out = {"v": _combine_value(values, _SIMPLE.get(how, "sum"), skipna)}
        return out | ({"c": _combine_value([p["c"] for p in partials], "sum")} if "c" in partials[0] else {})
    out = {k: _combine_value([p[k] for p in partials], "sum") for k in ("s", "k") if k in partials[0]}
    if "M2" in partials[0]:
        out.update(_combine_moments(partials))
    else:
        out["n"] = _combine_value([p["n"] for p in partials], "sum")
    return out


def _ordered_categories(part: Any) -> dict:
    """``{column: categories}`` of the ordered categorical columns of ``part`` (``None`` for a Series)."""
    columns = [(c, part[c]) for c in part.columns] if is_dataframe_like(part) else [(None, part)]
    out = {}
    for label, col in columns:
        dtype = col.dtype
        if str(dtype) == "category" and bool(getattr(dtype, "ordered", False)):
            categories = dtype.categories
            out[label] = list(categories.to_pandas() if hasattr(categories, "to_pandas") else categories)
    return out


def _in_category_order(combined: Any, values: list, cats: dict, how: str, skipna: bool) -> Any:
    """``combined`` (the partials' min/max by label) with each ordered categorical column's min/max by the
    order of its categories (missing partials skipped, or the answer under ``skipna=False``)."""
    def pick(found: list, order: list) -> Any:
        if any(v is None or v != v for v in found):
            if not skipna:
                return np.nan
            found = [v for v in found if v is not None and v == v]
        if not found:
            return np.nan
        rank = {c: i for i, c in enumerate(order)}
        if not all(v in rank for v in found):  # unknown categories: each partition its own (sorted by value)
            return (max if how == "max" else min)(found)
        return (max if how == "max" else min)(found, key=rank.__getitem__)

    if combined is None or not is_series_like(combined):
        return pick(values, cats[None])
    out = combined.astype(object)  # (labels beside numbers: pandas' answer is an object Series)
    for label, order in cats.items():
        out[label] = pick([v[label] for v in values], order)
    return out


def _combine_moments(partials: list) -> dict:
    """Merge (count, mean, M2) partials without cancellation (pairwise update)."""
    n, mean, m2 = partials[0]["n"], partials[0]["m"], partials[0]["M2"]
    for p in partials[1:]:
        nb, mb, m2b = p["n"], p["m"], p["M2"]
        total = n + nb
        safe = _where_positive(total)
        delta = _fill0(mb) - _fill0(mean)
        mean = _fill0(mean) + delta * nb / safe
        m2 = _fill0(m2) + _fill0(m2b) + _squared_size(delta) * n * nb / safe
        n = total
    return {"n": n, "m": mean, "M2": m2}


# -- aggregate --------------------------------------------------------------------------------------
def decimal_mean(total: Any, count: Any, dtype: Any) -> Any:
    """The mean of Arrow decimals summing to ``total`` as pandas gives it: exact, rounded half away from zero
    to the scale of ``dtype`` (a Decimal; None without values)."""
    import decimal

    if total is None or pd.isna(total) or int(count) == 0:
        return None
    step = decimal.Decimal(1).scaleb(-dtype.pyarrow_dtype.scale)
    return (decimal.Decimal(total) / int(count)).quantize(step, decimal.ROUND_HALF_UP)


def reduce_aggregate(partials: list, how: str, meta: Any = None, ddof: int = 1, skipna: bool = True,
                     result_meta: Any = None, min_count: int = 0, **kwargs: Any) -> Any:
    """Finish a tree reduction: the pandas-compatible result of ``how`` (``meta``: the input's
    metadata; ``result_meta``: :func:`reduction_meta`'s answer, whose dtype the result takes)."""
    combined = reduce_combine(partials, how, skipna)
    if combined is None:
        return _reduce_empty(meta, how, ddof, skipna, min_count)
    if how == "size":  # a Python int, as pandas' ``size`` (the partitions' counts sum to a NumPy integer)
        return int(combined["v"])
    if "v" in combined:
        value = _as_meta_dtype(mixed_objects.raise_deferred(combined["v"]), result_meta)
        return _missing_as(meta, _at_least(value, combined["c"], min_count) if min_count else value)
    if how == "mean" and is_series_like(meta) and is_decimal_dtype(meta.dtype) and "s" in combined \
            and "k" not in combined:  # (float moments would round the exact sum)
        return _missing_as(meta, decimal_mean(combined["s"], combined["n"], meta.dtype))
    return _missing_as(meta, _as_meta_dtype(_from_float(_moment_result(combined, how, ddof, skipna), meta, how),
                                            result_meta))


def _missing_as(meta: Any, value: Any) -> Any:
    """A missing scalar result as pandas writes it for ``meta``'s dtype: ``NA`` of nullable and Arrow columns,
    ``NaT`` of times, NaN otherwise."""
    if not is_series_like(meta) or is_series_like(value) or not _is_missing_scalar(value):
        return value
    dtype = meta.dtype
    if getattr(dtype, "kind", None) in "mM" and not isinstance(dtype, pd.ArrowDtype):
        return pd.NaT
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and getattr(dtype, "na_value", np.nan) is pd.NA:
        return pd.NA
    return value


def _is_missing_scalar(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _moment_result(combined: dict, how: str, ddof: int, skipna: bool) -> Any:
    n = combined["n"]
    if how == "mean":
        out = _ratio(combined["s"], n)
    else:
        out = _ratio(combined["M2"], n - ddof)
        if how == "std":
            out = out ** 0.5
        elif how == "sem":
            out = (out / _where_positive(n)) ** 0.5
    if "k" in combined:  # skipna=False: missing where a value was missing
        k = combined["k"]
        out = out.where(k == 0) if is_series_like(out) else (type(out)(np.nan) if k else out)
    return out


def _from_float(value: Any, meta: Any, how: str) -> Any:
    """Float answers of datetime/timedelta columns as timestamps (mean) or timedeltas, in their unit."""
    if is_series_like(value):
        times = {c: d for c, d in meta.dtypes.items() if is_time_dtype(d)}
        if not times:
            return value
        library = library_of(value)
        host = _host(value)
        values = [time_value(v, times[c], how != "mean") if c in times else v for c, v in host.items()]
        return convert_library(pd.Series(values, index=host.index, dtype=object), library)
    dtype = getattr(meta, "dtype", None)
    return time_value(value, dtype, how != "mean") if is_time_dtype(dtype) else value


def _as_meta_dtype(value: Any, result_meta: Any) -> Any:
    """A DataFrame's answer in the dtype pandas gives (partials stacked across partitions may
    have widened it, say to object); a Series' float answer as the float pandas gives (float32 of float32
    columns: the moments are taken in float64)."""
    if isinstance(result_meta, np.floating) and isinstance(value, (float, np.floating)):
        return result_meta.dtype.type(value)
    if not (is_series_like(value) and is_series_like(result_meta)) or value.dtype == result_meta.dtype:
        return value
    try:
        return value.astype(result_meta.dtype)
    except (TypeError, ValueError):  # e.g. a missing value pandas' dtype cannot hold: keep ours
        return value


def _host(obj: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(obj)


def _where_positive(n: Any) -> Any:
    return n.where(n > 0) if is_series_like(n) else (n if n > 0 else np.nan)


def _fill0(x: Any) -> Any:
    return x.fillna(0) if is_series_like(x) else (0.0 if x != x else x)


def _ratio(a: Any, b: Any) -> Any:
    if is_series_like(b):
        out = a / b.where(b > 0)
        return out if _is_complex(out) else out.astype("float64")
    kind = np.complex128 if _is_complex(a) else np.float64  # (a complex mean stays complex)
    return kind(a / b) if b > 0 else kind(np.nan)


def _at_least(value: Any, count: Any, min_count: int) -> Any:
    """pandas' ``min_count``: missing where fewer values were present."""
    if is_series_like(value):
        return value.where(count >= min_count)
    return value if count >= min_count else np.float64(np.nan)


def _reduce_empty(meta: Any, how: str, ddof: int, skipna: bool = True, min_count: int = 0) -> Any:
    if how == "size":
        return 0
    if how == "count":
        return meta.count()
    if min_count:
        return getattr(meta, how)(skipna=skipna, min_count=min_count)
    kw = {"ddof": ddof} if how in ("var", "std", "sem") else {}
    if how == "sem" and _detect.is_cudf_object(meta):  # cuDF has no sem: std / sqrt(count)
        return meta.std(**kw) / meta.count() ** 0.5
    return getattr(meta, how)(skipna=skipna, **kw)


# -- row-wise (axis=1) and over all values (axis=None) -----------------------------------------
def row_reduction(part: Any, how: str, like: Any = None, **kwargs: Any) -> Any:
    """Reduction ``how`` of each row of a DataFrame partition (pandas' ``axis=1``); ``like``: the collection's
    dtype, which a partition without rows takes (pandas types those otherwise: float64 minima of integers)."""
    if like is not None and len(part) == 0:
        out = row_reduction(part, how, **kwargs)
        return out if out.dtype == like else out.astype(like)
    if _detect.is_cudf_object(part) and how in ("any", "all") and _counts_truths(part, kwargs):
        return _any_all_by_counting(part, how)
    if _detect.is_cudf_object(part) and not _cudf_reduces_rows(part, how, kwargs):
        return convert_library(row_reduction(_host(part), how, **kwargs), "cudf")
    if how == "sem" and _detect.is_cudf_object(part):  # cuDF has no sem: std / sqrt(count)
        count_kw = {k: v for k, v in kwargs.items() if k == "numeric_only"}
        std_kw = {k: v for k, v in kwargs.items() if k != "ddof"}
        return part.std(axis=1, ddof=kwargs.get("ddof", 1), **std_kw) / part.count(axis=1, **count_kw) ** 0.5
    return getattr(part, how)(axis=1, **kwargs)


def _counts_truths(part: Any, kwargs: dict) -> bool:
    """Whether a cuDF partition's row-wise any/all can count its true values on the device: numbers and
    booleans without missing values (``bool_only`` not asked for)."""
    return (kwargs.get("skipna", True) is not False and not kwargs.get("bool_only")
            and all(getattr(dtype, "kind", "O") in "biuf" for dtype in part.dtypes)
            and not bool(part.isna().any().any()))


def _any_all_by_counting(part: Any, how: str) -> Any:
    """Row-wise ``any``/``all`` of a cuDF partition without missing values, as the number of true values per
    row: cuDF's own refuses every frame whose columns carry a null mask, even one without nulls (a slice of
    a column that had some: ``_prepare_for_rowwise_op`` checks ``col.nullable``), and a row-wise sum takes
    them."""
    truths = part.astype(bool).sum(axis=1)
    return truths > 0 if how == "any" else truths == part.shape[1]


def _cudf_reduces_rows(part: Any, how: str, kwargs: dict) -> bool:
    """Whether cuDF's row-wise reductions (CuPy on a 2-D view) take this one: they refuse skew, kurtosis
    and ``min_count``, and their any/all are not NaN-aware (refused with ``skipna=False`` or missing values)."""
    if how in ("skew", "kurt", "kurtosis") or kwargs.get("min_count"):
        return False
    if how in ("any", "all"):
        return kwargs.get("skipna", True) is not False and not bool(part.isna().any().any())
    return True


def flat_values(part: Any) -> Any:
    """All values of a DataFrame partition as one Series in their common dtype, column after column
    (what pandas reduces for ``axis=None``)."""
    columns = [part.iloc[:, i].reset_index(drop=True) for i in range(part.shape[1])]
    if not columns:
        return part.iloc[:, :0].sum(axis=1).iloc[:0].reset_index(drop=True).astype("float64")
    return concat(_bools_as_numbers(columns), ignore_index=True)


def _bools_as_numbers(columns: list) -> list:
    """Boolean columns beside numeric ones in the numbers' common dtype: pandas reduces them together as numbers
    (True == 1), where concatenating them would give an object column that reductions refuse.  With a nullable
    column among them (``boolean``, ``Int64``, ...) the common dtype is the numbers' nullable one, so that the
    booleans' missing values stay missing (pandas skips them)."""
    dtypes = [c.dtype for c in columns]
    if not all(_numpy_like(d) is not None and d.kind in "biuf" for d in dtypes):
        return columns
    numbers = [d for d in dtypes if d.kind != "b"]
    if not numbers or len(numbers) == len(dtypes):
        return columns
    common = np.result_type(*(_numpy_like(d) for d in numbers))
    if not all(isinstance(d, np.dtype) for d in dtypes):
        common = _nullable_name(common)
    return [c.astype(common) if c.dtype.kind == "b" or c.dtype != common else c for c in columns]


def _numpy_like(dtype: Any) -> Any:
    """The NumPy dtype of a NumPy or pandas nullable (masked) dtype; None for others (Arrow, sparse, ...)."""
    if isinstance(dtype, np.dtype):
        return dtype
    return dtype.numpy_dtype if is_nullable_number(dtype) else None


def is_nullable_number(dtype: Any) -> bool:
    """True for pandas' nullable (masked) numbers and booleans: ``Int64``, ``Float64``, ``boolean``, ... (not
    NumPy's, Arrow's or cuDF's dtypes)."""
    return (not isinstance(dtype, (np.dtype, pd.ArrowDtype)) and hasattr(dtype, "numpy_dtype")
            and getattr(dtype, "kind", "O") in "biuf")


def _nullable_name(dtype: Any) -> str:
    """pandas' nullable dtype of a NumPy number: int64 -> "Int64", uint8 -> "UInt8", float32 -> "Float32"."""
    name = dtype.name
    return "UInt" + name[4:] if name.startswith("uint") else name.capitalize()


__all__ = [
    "flat_values", "is_nullable_number", "is_time_dtype", "numeric_columns", "per_column_meta_on_cudf",
    "reduce_aggregate", "reduce_chunk", "reduce_combine", "reduction_meta", "refuse_text_series", "row_reduction", "time_as_float", "time_value",
    "time_unit_zone",
]
