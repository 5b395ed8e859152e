"""``describe()`` by partition summaries: numbers, times and labels.

Each partition gives, per described column, a small summary (:func:`describe_chunk`): for numbers and times
the count, the sums and a sorted sample of at most ``k`` values (percentiles are exact when every row was
sampled, weighted-sample estimates otherwise); for everything else (strings, categoricals, booleans) its
value counts.  :func:`describe_aggregate` turns the summaries into pandas' table: the rows and column dtypes
are those pandas gives for the same columns (taken from the metadata), so ``include=``/``exclude=``/
``percentiles=`` mean what they mean in pandas.  cuDF's ``describe`` writes non-numeric tables as strings,
so a cuDF result does too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import _to_pandas, convert_library, is_series_like, make_meta
from gpuscale.backends.frame.reductions import time_unit_zone
from gpuscale.backends.frame.time_values import is_arrow_date
from gpuscale.backends.frame.shuffle import concat_samples

__all__ = ["describe_aggregate", "describe_chunk", "describe_kinds", "describe_meta"]

_DATES = "date"  # Arrow date32/date64 columns: described as millisecond times, shown as dates
_DATE_TIMES = "datetime[ms]"


def _kind(dtype: Any) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "labels"  # pandas describes booleans by their counts
    if is_arrow_date(dtype):
        return _DATES  # described as times, the statistics given back as dates (pandas' table of dates)
    # (Arrow durations are of kind "m", though pandas' is_timedelta64_dtype says no)
    if pd.api.types.is_datetime64_any_dtype(dtype) or getattr(dtype, "kind", None) == "m":
        # "datetime[us]", "timedelta[ns]", "datetime[ns]:Europe/Paris": results come back in the unit and zone
        kind = "datetime" if pd.api.types.is_datetime64_any_dtype(dtype) else "timedelta"
        unit, tz = time_unit_zone(dtype)
        return f"{kind}[{unit}]" + (f":{tz}" if tz is not None else "")
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return "number"
    return "labels"


def describe_kinds(meta: Any, columns: list) -> dict:
    """``{column: kind}`` for the described columns of ``meta``: ``"number"``, ``"labels"`` or a time kind."""
    if is_series_like(meta):
        return {meta.name: _kind(meta.dtype)}
    return {col: _kind(meta.dtypes.iloc[i]) for i, col in enumerate(meta.columns) if col in columns}


def _sorted_sample(values: Any, k: int) -> tuple:
    """A sorted sample of at most ``k`` values (always the smallest and largest) and each one's weight."""
    values = values.sort_values()
    n = len(values)
    take = np.unique(np.linspace(0, n - 1, min(k, n)).astype(int)) if n else np.array([], dtype=int)
    return _to_pandas(values.iloc[take]).to_numpy(), n / max(1, len(take))


def _ticks(values: Any, kind: str) -> Any:
    """Times as int64 counts of their own unit (UTC for zoned timestamps): a cast to nanoseconds would overflow
    for times outside 1677-2262 (``datetime64[s]`` of the year 2800)."""
    if ":" in kind:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    unit = kind[kind.index("[") + 1:kind.index("]")]
    kind = "timedelta64" if kind.startswith("timedelta") else "datetime64"
    return values.astype(f"{kind}[{unit}]").astype("int64")  # (Arrow's times become NumPy's of the same unit)


def describe_chunk(obj: Any, kinds: dict, k: int = 1000) -> dict:
    """The summary of each described column of one partition (sorting and counting in its library)."""
    frame = obj.to_frame() if is_series_like(obj) else obj
    out = {}
    for col, kind in kinds.items():
        column = frame.iloc[:, 0] if is_series_like(obj) else frame[col]
        if kind == "labels":
            out[col] = _to_pandas(column.value_counts(dropna=True, sort=False))
            continue
        values = column.dropna()
        if kind == _DATES:
            values, kind = values.astype("datetime64[ms]"), _DATE_TIMES
        values = values.astype("float64") if kind == "number" else _ticks(values, kind)
        sample, weight = _sorted_sample(values, k)
        floats = values.astype("float64")
        total, n = float(floats.sum()), len(values)
        # squared deviations from this partition's mean (a sum of squares loses the spread of large values)
        m2 = 0.0 if kind.startswith("datetime") or not n else float(((floats - total / n) ** 2).sum())
        out[col] = (sample, weight, total, m2, n)
    return out


def _weighted_quantiles(values: Any, weights: Any, qs: Any, times: bool = False) -> list:
    if len(values) == 0:
        return [np.nan] * len(qs)
    if np.all(weights == 1):  # every row present: exact, with pandas' linear interpolation
        if not times:
            return list(np.quantile(values, qs))
        # times (counts of their unit) as pandas takes them: interpolated, cut to whole units
        return [int(v) for v in np.percentile(values, np.asarray(qs) * 100).astype("int64")]
    order = np.argsort(values)
    values, cum = values[order], np.cumsum(weights[order])
    return [values[min(len(values) - 1, np.searchsorted(cum, q * cum[-1]))] for q in qs]


def _moments(items: list, percentiles: Any, times: bool = False) -> dict:
    n = sum(i[4] for i in items)
    total = sum(i[2] for i in items)
    mean = total / n if n else np.nan
    # partitions' squared deviations, each moved to the overall mean (Chan et al.'s parallel variance)
    m2 = sum(i[3] + i[4] * (i[2] / i[4] - mean) ** 2 for i in items if i[4])
    values = np.concatenate([i[0] for i in items])
    weights = np.concatenate([np.full(len(i[0]), i[1]) for i in items])
    quantiles = _weighted_quantiles(values, weights, percentiles, times)
    return {"count": n, "mean": mean, "std": np.sqrt(max(0.0, m2 / (n - 1))) if n > 1 else np.nan,
            "min": values.min() if n else np.nan, "quantiles": quantiles, "max": values.max() if n else np.nan}


def _describe_numbers(items: list, percentiles: Any, names: list) -> dict:
    m = _moments(items, percentiles)
    return {"count": float(m["count"]), "mean": m["mean"], "std": m["std"], "min": m["min"],
            **dict(zip(names, m["quantiles"])), "max": m["max"]}


def _describe_times(items: list, percentiles: Any, names: list, kind: str) -> dict:
    unit = kind[kind.index("[") + 1:kind.index("]")].split(",")[0]
    numpy_type = np.timedelta64 if kind.startswith("timedelta") else np.datetime64
    box = pd.Timedelta if kind.startswith("timedelta") else pd.Timestamp

    def typ(count: int, unit: str) -> Any:  # NumPy's value keeps the unit (pandas 2 made Timestamp(n, unit=) ns)
        return box(numpy_type(count, unit))
    m, tz = _moments(items, percentiles, times=True), (kind.split(":", 1)[1] if ":" in kind else None)

    def as_time(v: Any) -> Any:  # from units since the epoch (UTC for zoned timestamps), cut to whole units
        if pd.isna(v):
            return pd.NaT
        t = typ(_whole_units(v), unit=unit)
        return t.tz_localize("UTC").tz_convert(tz) if tz else t

    units = sum(i[2] for i in items if i[4])
    mean = typ(int(np.trunc(units / m["count"])), unit=unit) if m["count"] else pd.NaT  # cut as pandas cuts
    out = {"count": m["count"], "mean": mean.tz_localize("UTC").tz_convert(tz) if tz and m["count"] else mean}
    if box is pd.Timedelta:
        out["std"] = as_time(m["std"])
    return {**out, "min": as_time(m["min"]), **{name: as_time(q) for name, q in zip(names, m["quantiles"])},
            "max": as_time(m["max"])}


def _as_date(value: Any) -> Any:
    """A statistic of Arrow dates (a Timestamp of its day, or a count) as pandas shows it: a ``datetime.date``."""
    return value.date() if isinstance(value, pd.Timestamp) else value


def _whole_units(units: Any) -> int:
    """A count of units (a float for the spread or an estimate) as whole units, cut toward zero as pandas."""
    return int(units) if isinstance(units, (int, np.integer)) else int(np.trunc(float(units)))


def _describe_labels(counts: list) -> dict:
    total = pd.concat(counts).groupby(level=0, sort=False, observed=True).sum() if counts else pd.Series([])
    total = total[total > 0].sort_values(ascending=False, kind="stable")  # ties: first seen first, as pandas
    if total.empty:
        return {"count": 0, "unique": 0, "top": np.nan, "freq": np.nan}
    return {"count": int(total.sum()), "unique": len(total), "top": total.index[0], "freq": int(total.iloc[0])}


def _as_cudf_table(result: Any) -> Any:
    """cuDF's describe writes a non-numeric table as strings (times and labels alike): its dtype is ``"str"``
    (cuDF's ``Series.describe``), for the result and the metadata alike."""
    if isinstance(result, pd.Series):
        if result.dtype != object:
            return result
        return result.map(lambda v: None if pd.isna(v) else str(v)).astype("str")
    out = result.copy()
    for i in range(out.shape[1]):
        out.isetitem(i, _as_cudf_table(out.iloc[:, i]))
    return out


def describe_meta(table: Any, library: str) -> Any:
    """The metadata of the ``describe()`` table ``table`` (pandas' on a sample) in ``library``: cuDF's
    non-numeric columns are strings, as its results (see :func:`describe_aggregate`)."""
    meta = make_meta(table)
    return convert_library(_as_cudf_table(meta) if library == "cudf" else meta, library)


def describe_aggregate(parts: list, kinds: dict, percentiles: tuple, rows: list, dtypes: dict,
                       series_name: Any = "__frame__", library: str = "pandas", column_names: Any = None) -> Any:
    """pandas' ``describe()`` table from the partitions' summaries: rows ``rows``, column dtypes ``dtypes``
    and the columns' level names ``column_names`` (all from the metadata), in ``library``."""
    parts = concat_samples(parts)
    names = [r for r in rows if r.endswith("%")]
    table = {}
    for col, kind in kinds.items():
        items = [p[col] for p in parts]
        if kind == "labels":
            stats = _describe_labels(items)
        elif kind == "number":
            stats = _describe_numbers(items, percentiles, names)
        elif kind == _DATES:
            stats = {k: _as_date(v) for k, v in _describe_times(items, percentiles, names, _DATE_TIMES).items()}
        else:
            stats = _describe_times(items, percentiles, names, kind)
        table[col] = pd.Series(stats, dtype=object).reindex(rows).astype(dtypes[col])
    result = pd.DataFrame(table, index=pd.Index(rows))
    if column_names is not None and result.columns.nlevels == len(column_names):
        result.columns = result.columns.set_names(column_names)
    if series_name != "__frame__":
        result = result.iloc[:, 0].rename(series_name)
    if library == "cudf":
        result = _as_cudf_table(result)
    return convert_library(result, library)
