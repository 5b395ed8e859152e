"""Partition functions of statistics: exact quantiles, mode, and moment reductions (skew, kurtosis).

Quantiles
    the rows a quantile needs are selected across partitions (:mod:`gpuscale.backends.frame.selection`);
    ``quantiles_from_picks`` interpolates between them exactly as NumPy's ``percentile``
    (``method="linear"``, pandas' default) does on the whole column: the same virtual index, the same
    ``lerp``.
Moments
    per column ``(n, mean, M2, M3, M4)`` of the valid values, merged pairwise (Pébay's update),
    finished as pandas' bias-corrected ``skew`` and ``kurt``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.categorical import is_unknown_categorical
from gpuscale.backends.frame.pandas_version import PANDAS_3
from gpuscale.backends.frame.core import (convert_library, is_dataframe_like, is_frame_like, is_series_like, library_of,
                                          make_meta, meta_nonempty)
from gpuscale.backends.frame.reductions import (is_nullable_number, is_time_dtype, per_column_meta_on_cudf,
                                               time_value)

__all__ = ["floats_as_times", "quantile_meta", "quantiles_from_picks",
           "quantile_frame", "row_quantile", "quantile_dtype", "INTERPOLATIONS",
           "mode_from_counts", "mode_frame", "is_numeric_dtype", "moments_chunk", "moments_combine",
           "moments_aggregate", "moments_dtype", "nan_as_na", "quantile_missing_is_na"]


def is_numeric_dtype(dtype: Any) -> bool:
    """True for numbers and booleans (not datetimes, strings, categories)."""
    return getattr(dtype, "kind", "O") in "biuf"


# -- exact quantiles ------------------------------------------------------------------------------
def _positions(n: int, qs: tuple) -> list:
    """For each quantile: (lower row, upper row, weight), as NumPy's ``quantile`` (``method="linear"``,
    which pandas calls) computes them: the virtual index ``(n - 1) * q`` and its fractional part."""
    out = []
    for q in qs:
        virtual = (n - 1) * np.float64(q)
        lower = np.floor(virtual)
        weight = virtual - lower
        if virtual >= n - 1:
            lo = hi = n - 1
        else:
            lo = int(max(lower, 0))
            hi = lo + 1
        out.append((lo, hi, np.float64(weight)))
    return out


def _lerp(a: float, b: float, t: np.float64) -> np.float64:
    a, b = np.float64(a), np.float64(b)
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _between(rows: dict, lo: int, hi: int, t: np.float64, interpolation: str) -> Any:
    """The quantile between sorted rows ``lo`` and ``hi`` at weight ``t``, as NumPy's methods of the same
    names (``nearest`` rounds a tie to the even row; ``midpoint`` of a whole row is that row)."""
    if interpolation == "linear":
        return _lerp(rows[lo], rows[hi], t)
    if interpolation == "midpoint":
        return _lerp(rows[lo], rows[hi], np.float64(0.5 if t > 0 else 0.0))
    if interpolation == "lower" or t == 0:
        return rows[lo]
    if interpolation == "higher":
        return rows[hi]
    return rows[hi] if t > 0.5 or (t == 0.5 and lo % 2 == 1) else rows[lo]


def _middle(a: float, b: float, odd: bool, dtype: Any) -> Any:
    # NumPy's median: the mean of the middle two in the dtype's own precision for floats (pandas keeps float32)
    work = getattr(dtype, "numpy_dtype", dtype)
    work = work if isinstance(work, np.dtype) and work.kind == "f" else np.dtype("float64")
    return work.type(a) if odd else np.mean(np.array([a, b], dtype=work))


def quantiles_from_picks(picks: list, lengths: list, qs: tuple, scalar: bool, name: Any, library: str,
                         median: bool = False, interpolation: str = "linear", dtype: Any = "float64") -> Any:
    """The quantiles: a scalar of ``dtype`` for a scalar ``q``, else a Series indexed by ``qs`` named ``name``
    (``median``: the mean of the two middle values, as pandas' ``median``)."""
    rows = {k: v for p in picks for k, v in p.items()}
    n = sum(lengths)
    dtype = pd.api.types.pandas_dtype(dtype)
    if median:
        values = [np.float64(np.nan) if n == 0 else _middle(rows[(n - 1) // 2], rows[n // 2], n % 2 == 1, dtype)]
    else:
        values = [np.float64(np.nan) if n == 0 else _between(rows, lo, hi, t, interpolation)
                  for lo, hi, t in _positions(n, qs)]
    if n == 0 and isinstance(dtype, np.dtype) and dtype.kind in "biu":  # no values: NaN, which these cannot hold
        dtype = "float64"
    out = pd.Series(values, index=pd.Index(list(qs), dtype="float64"), name=name, dtype=dtype)
    return out.iloc[0] if scalar else convert_library(out, library)


def quantile_frame(results: list, columns: list, qs: tuple, scalar: bool, library: str,
                   dtype: Any = "float64", nullable: tuple = ()) -> Any:
    """A DataFrame's quantiles from its columns': a Series (scalar ``q``, named ``q``, of ``dtype``: objects
    when timestamps or timedeltas are among them, as pandas) or a DataFrame (``nullable``: ``(position,
    dtype)`` of its columns of pandas' nullable and Arrow numbers: ``Float64``, ``double[pyarrow]`` or the picked
    values' own)."""
    if scalar:
        values = list(results)
        # a column without values; (pandas_dtype, not np.dtype: a tz-aware datetime's dtype is pandas' own)
        if pd.api.types.pandas_dtype(dtype).kind in "biu" and any(pd.isna(v) for v in values):
            dtype = "float64"
        out = pd.Series(values, index=pd.Index(columns), name=qs[0], dtype=dtype)
    else:
        out = pd.DataFrame({i: _host(r).to_numpy() for i, r in enumerate(results)},
                           index=pd.Index(list(qs), dtype="float64"))
        out = out.astype(dict(nullable))
        out.columns = pd.Index(columns)
    return convert_library(out, library)


def quantile_dtype(meta: Any) -> Any:
    """The dtype of a quantile's metadata: a Series' or a scalar's (None for a DataFrame's)."""
    if is_dataframe_like(meta):
        return None
    return meta.dtype if is_frame_like(meta) else np.asarray(meta).dtype


def quantile_meta(meta: Any, q: Any, interpolation: str = "linear", median: bool = False) -> Any:
    """pandas' quantile ``q`` of a stand-in of ``meta``: numbers (booleans too) as float64, datetimes and
    timedeltas as they are; ``interpolation`` picking a value ("lower", "higher", "nearest") keeps
    NumPy dtypes, as pandas; ``median``: pandas' ``median``, which keeps float32/float16 (and ``Float32``)."""
    sample = _host(meta_nonempty(meta))
    picks = interpolation in ("lower", "higher", "nearest")

    def kept(dtype: Any) -> bool:
        return is_time_dtype(dtype) or (picks and _keeps_dtype(dtype)) or (median and _is_plain_float(dtype))

    if is_dataframe_like(sample):
        sample = sample.astype({c: _as_float(d) for c, d in sample.dtypes.items() if not kept(d)})
    elif not kept(sample.dtype):
        sample = sample.astype(_as_float(sample.dtype))
    result = sample.median() if median else sample.quantile(q, interpolation=interpolation)
    if library_of(meta) == "cudf" and is_series_like(result):  # (one column: a clear error for mixed types)
        return per_column_meta_on_cudf(sample, "quantile", result)
    return make_meta(convert_library(result, library_of(meta))) if is_frame_like(result) else result


def _is_plain_float(dtype: Any) -> bool:
    # NumPy floats and pandas' nullable floats (not Arrow ones, whose median pyarrow takes in double)
    return (isinstance(dtype, np.dtype) and dtype.kind == "f") or (is_nullable_number(dtype) and dtype.kind == "f")


def _keeps_dtype(dtype: Any) -> bool:
    # a picked value keeps NumPy's dtypes, nullable numbers' and Arrow numbers' (as pandas)
    return isinstance(dtype, np.dtype) or (is_nullable_number(dtype) and dtype.kind != "b") or _is_arrow_number(dtype)


def _as_float(dtype: Any) -> Any:
    # pandas' quantiles and medians of nullable numbers and booleans are Float64 (missing: <NA>); of Arrow numbers
    # and decimals (pyarrow's quantile) double[pyarrow]
    if _is_arrow_number(dtype):
        import pyarrow as pa  # (loaded already: the dtype is pyarrow's)

        return pd.ArrowDtype(pa.float64())
    return "Float64" if is_nullable_number(dtype) else "float64"


def _is_arrow_number(dtype: Any) -> bool:
    """An Arrow integer, float or decimal dtype of pandas (not a boolean)."""
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    import pyarrow as pa

    arrow = dtype.pyarrow_dtype
    return pa.types.is_integer(arrow) or pa.types.is_floating(arrow) or pa.types.is_decimal(arrow)


def quantile_missing_is_na(dtype: Any) -> bool:
    """Whether pandas' quantile of a column of ``dtype`` without values is ``<NA>`` (nullable and Arrow numbers),
    not NaN."""
    return is_nullable_number(dtype) or _is_arrow_number(dtype)


def nan_as_na(results: list) -> Any:
    """A scalar quantile of nullable numbers without values: pandas' ``<NA>``, not NaN."""
    value = results[0]
    return pd.NA if value is None or value != value else value


def floats_as_times(results: list, dtype: Any) -> Any:
    """Quantiles computed on float ticks (:func:`time_as_float`) as timestamps/timedeltas of ``dtype``."""
    value = results[0]
    if not hasattr(value, "index"):
        return time_value(value, dtype)
    host = _host(value)
    out = pd.Series([time_value(v, dtype) for v in host.tolist()], index=host.index, name=host.name)
    return convert_library(out.astype(dtype), library_of(value))


def _host(obj: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(obj)


# -- mode -------------------------------------------------------------------------------------------
def mode_from_counts(counts: Any, name: Any = None, **kwargs: Any) -> Any:
    """The values with the highest count, sorted, numbered from 0 (pandas' ``Series.mode``)."""
    from gpuscale.backends.frame.distinct import value_counts_combine

    counts = value_counts_combine(counts, dropna=kwargs.get("dropna", True))
    counts = counts[counts > 0]  # (a categorical's counts list its categories without rows too: no modes)
    if len(counts) == 0:
        out = counts.index.to_series().iloc[:0]
    else:
        top = counts[counts == counts.max()].index.to_series()
        times = getattr(top.dtype, "kind", "") in "mM"  # pandas sorts NaT first (the least integer), NaN last
        out = _sorted_modes(top, na_position="first" if times else "last")
    out = out.reset_index(drop=True)
    out.name = name
    dtype = kwargs.get("dtype")
    if dtype is not None and is_unknown_categorical(dtype):  # the modes' own categories, not the placeholder's
        dtype = "category"
    if dtype is not None and out.dtype != dtype:  # (the counts' index of objects may have become text)
        try:
            out = out.astype(dtype)
        except (TypeError, ValueError):
            pass
    return out


def _sorted_modes(values: Any, na_position: str) -> Any:
    """The modes sorted as pandas does; values that do not compare (objects of mixed types): pandas 3 orders
    numbers, then text, then missing values, pandas 2.2 keeps them in order of first appearance (the counts'
    order), both with pandas' warning where even that fails."""
    try:
        return _sorted_values(values, na_position)
    except TypeError as err:
        error = err
    if PANDAS_3:
        try:
            return _mixed_order(values)
        except TypeError as err:
            error = err
    warnings.warn(f"Unable to sort modes: {error}", UserWarning, stacklevel=2)
    return values


def _mixed_order(values: Any) -> Any:
    """pandas 3's ``safe_sort`` of objects of mixed types: numbers (and others) sorted, then text, then missing."""
    objects, missing = list(values), list(values.isna())
    text = [i for i, v in enumerate(objects) if isinstance(v, str)]
    others = [i for i, v in enumerate(objects) if not isinstance(v, str) and not missing[i]]
    nulls = [i for i in range(len(objects)) if missing[i]]
    ordered = sorted(others, key=objects.__getitem__) + sorted(text, key=objects.__getitem__) + nulls
    return values.iloc[ordered]


def _sorted_values(values: Any, na_position: str) -> Any:
    """``values.sort_values(na_position=...)``; an Arrow dictionary Series by its decoded values (pyarrow
    cannot sort dictionaries: ArrowNotImplementedError), as pandas orders its modes."""
    arrow = getattr(values.dtype, "pyarrow_dtype", None)
    if arrow is None or not _is_arrow_dictionary(arrow):
        return values.sort_values(na_position=na_position)
    decoded = values.astype(pd.ArrowDtype(arrow.value_type)).reset_index(drop=True)
    return values.iloc[list(decoded.sort_values(na_position=na_position).index)]


def _is_arrow_dictionary(arrow: Any) -> bool:
    import pyarrow as pa  # (loaded already: the dtype is pyarrow's)

    return pa.types.is_dictionary(arrow)


def mode_frame(modes: list, columns: list) -> Any:
    """A DataFrame's modes from its columns' (shorter columns padded with missing values, as pandas)."""
    frames = [m.rename(i) for i, m in enumerate(modes)]
    if not frames:
        return None
    out = frames[0].to_frame() if len(frames) == 1 else _concat_columns(frames)
    out.columns = columns
    return out


def _concat_columns(frames: list) -> Any:
    from gpuscale.backends.frame.partition_concat import concat

    return concat(frames, axis=1)


# -- moments: skew and kurtosis ------------------------------------------------------------------------
def _numeric_columns(part: Any) -> list:
    if is_dataframe_like(part):
        return [(c, part[c]) for c in part.columns]
    return [(None, part)]


def moments_chunk(part: Any) -> dict:
    """Per column ``(missing, n, mean, M2, M3, M4)``: missing values, then central sums of the valid ones."""
    out = {}
    for label, col in _numeric_columns(part):
        values = col.astype("float64")
        missing = int(values.isna().sum())
        values = values.dropna()
        n = len(values)
        if n == 0:
            out[label] = (missing, 0, 0.0, 0.0, 0.0, 0.0)
            continue
        mean = float(values.mean())
        d = values - mean
        d2 = d * d
        out[label] = (missing, n, mean, float(d2.sum()), float((d2 * d).sum()), float((d2 * d2).sum()))
    return out


def _merge(a: tuple, b: tuple) -> tuple:
    """Pébay's pairwise update of central sums (exact in exact arithmetic, stable in floating point)."""
    missing = a[0] + b[0]
    na, ma, m2a, m3a, m4a = a[1:]
    nb, mb, m2b, m3b, m4b = b[1:]
    if na == 0:
        return (missing, *b[1:])
    if nb == 0:
        return (missing, *a[1:])
    n = na + nb
    delta = mb - ma
    d_n = delta / n
    m2 = m2a + m2b + delta * d_n * na * nb
    m3 = m3a + m3b + delta * d_n * d_n * na * nb * (na - nb) + 3 * d_n * (na * m2b - nb * m2a)
    m4 = (m4a + m4b + delta * d_n ** 3 * na * nb * (na * na - na * nb + nb * nb)
          + 6 * d_n * d_n * (na * na * m2b + nb * nb * m2a) + 4 * d_n * (na * m3b - nb * m3a))
    return (missing, n, ma + d_n * nb, m2, m3, m4)


def moments_combine(partials: list, **kwargs: Any) -> dict:
    """Merge per-partition moments column by column."""
    out = dict(partials[0])
    for p in partials[1:]:
        out = {k: _merge(out[k], p[k]) for k in out}
    return out


def _skew(n: int, mean: float, m2: float, m3: float, bias: bool) -> float:
    if bias:  # scipy.stats.skew (dask's answer): NaN for a constant column
        if n == 0 or m2 / n <= (np.finfo(np.float64).eps * mean) ** 2:
            return np.nan
        return float((m3 / n) / (m2 / n) ** 1.5)
    if n < 3 or m2 == 0:  # pandas' bias-corrected estimate: NaN for a constant column
        return np.nan
    return float((n * (n - 1) ** 0.5 / (n - 2)) * (m3 / m2 ** 1.5))


def _kurt(n: int, mean: float, m2: float, m4: float, bias: bool, fisher: bool) -> float:
    shift = 3.0 if fisher else 0.0
    if bias:  # scipy.stats.kurtosis
        if n == 0 or m2 / n <= (np.finfo(np.float64).eps * mean) ** 2:
            return np.nan
        return float((m4 / n) / (m2 / n) ** 2 - shift)
    if n < 4 or m2 == 0:  # pandas: NaN for a constant column
        return np.nan
    adj = 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    numerator = n * (n + 1) * (n - 1) * m4
    denominator = (n - 2) * (n - 3) * m2 ** 2
    return float(numerator / denominator - adj + 3.0 - shift)


def moments_dtype(meta: Any, how: str) -> str:
    """The dtype of pandas' ``how`` ("skew", "kurt") of ``meta``: float32 and float16 columns keep their width
    (``Float32`` too), others give float64 (``Float64`` for nullable numbers)."""
    sample = _host(meta_nonempty(meta))
    if is_dataframe_like(sample):
        return str(getattr(sample, how)().dtype)
    if _is_plain_float(sample.dtype):  # a Series' scalar: NumPy's float of the column's width
        return str(getattr(sample.dtype, "numpy_dtype", sample.dtype))
    return "float64"


def moments_aggregate(partials: list, how: str, series: bool, library: str, bias: bool = True,
                      fisher: bool = True, omit_nan: bool = False, nullable: bool = False, dtype: str = "float64",
                      **kwargs: Any) -> Any:
    """``skew`` or ``kurt`` from merged moments: a float (Series) or a Series by column.

    ``bias=True``: scipy.stats' estimate (dask's); ``False``: pandas' bias-corrected one.  Without
    ``omit_nan`` a column with missing values gives NaN (scipy's ``nan_policy="propagate"``).
    ``nullable`` (pandas' nullable numbers among the columns): a missing scalar is ``<NA>``, as pandas;
    ``dtype``: the result's (see :func:`moments_dtype`).
    """
    merged = moments_combine(partials)
    values = {}
    for label, (missing, n, mean, m2, m3, m4) in merged.items():
        if missing and not omit_nan:
            values[label] = np.nan
        elif how == "skew":
            values[label] = _skew(n, mean, m2, m3, bias)
        else:
            values[label] = _kurt(n, mean, m2, m4, bias, fisher)
    if series:
        scalar = np.dtype(dtype).type if dtype in ("float32", "float16") else np.float64
        return pd.NA if nullable and np.isnan(values[None]) else scalar(values[None])
    out = pd.Series(list(values.values()), index=pd.Index(list(values)), dtype=dtype)
    return convert_library(out, library)


def row_quantile(part: Any, q: float, numeric_only: bool = False, interpolation: str = "linear") -> Any:
    """Quantile ``q`` of each row of a DataFrame partition (pandas' ``quantile(q, axis=1)``); cuDF
    computes quantiles of columns only, so a cuDF partition's rows are taken on the host."""
    kwargs = {"axis": 1, "numeric_only": numeric_only, "interpolation": interpolation}
    if library_of(part) == "pandas":
        return part.quantile(q, **kwargs)
    return convert_library(_host(part).quantile(q, **kwargs), library_of(part))
