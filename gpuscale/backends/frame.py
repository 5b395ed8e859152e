"""Partition-level functions for pandas and cuDF: one pandas-like implementation.

Every function here takes partitions (``DataFrame`` / ``Series`` of pandas or
cuDF) and works on both libraries; the few places where they differ are tiny
helpers named after the difference (``namespace``, ``_hash_rows``).
``gpuscale.dataframe`` builds task graphs out of these functions and never
imports pandas or cuDF itself.
"""

from __future__ import annotations

import operator
import sys
from typing import Any, Callable

import numpy as np
import pandas as pd

from gpuscale.backends import _detect

__all__ = [
    "namespace", "library_of", "is_dataframe_like", "is_series_like", "is_frame_like", "make_meta",
    "meta_nonempty", "concat", "call_method", "call_accessor", "getitem", "assign", "filter_rows",
    "head", "tail", "length", "binary_op", "unary_op", "from_library", "split_frame", "empty_like_meta",
    "convert_library", "cast_meta",
]


# -- library helpers (the only per-library branches) ----------------------------------
def namespace(obj: Any) -> Any:
    """The module (``pandas`` or ``cudf``) of a partition."""
    return sys.modules["cudf"] if _detect.is_cudf_object(obj) else pd


def library_of(obj: Any) -> str:
    """``"cudf"`` or ``"pandas"``."""
    return "cudf" if _detect.is_cudf_object(obj) else "pandas"


def from_library(library: str) -> Any:
    """The module for a library name."""
    if library == "cudf":
        import cudf

        return cudf
    return pd


def convert_library(obj: Any, library: str) -> Any:
    """Move a pandas object to ``library`` (counted by ``to_device``), or leave it."""
    if library == "cudf":
        from gpuscale.backends.convert import to_device

        return to_device(obj, "cudf")
    return obj


def is_dataframe_like(obj: Any) -> bool:
    """True for a pandas or cuDF DataFrame."""
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


def is_series_like(obj: Any) -> bool:
    """True for a pandas or cuDF Series."""
    return type(obj).__name__ == "Series" and hasattr(obj, "dtype")


def is_index_like(obj: Any) -> bool:
    """True for a pandas or cuDF Index."""
    return _detect.is_pandas_object(obj) and isinstance(obj, pd.Index) or (
        _detect.is_cudf_object(obj) and "Index" in type(obj).__name__)


def is_frame_like(obj: Any) -> bool:
    """True for a DataFrame, Series or Index partition."""
    return is_dataframe_like(obj) or is_series_like(obj) or is_index_like(obj)


# -- metadata ---------------------------------------------------------------------------
def make_meta(obj: Any) -> Any:
    """An empty object with the same columns / dtypes (scalars become typed NumPy scalars)."""
    if is_frame_like(obj):
        return obj[:0] if is_index_like(obj) else obj.iloc[:0]
    if isinstance(obj, np.generic):
        return obj
    if obj is None:
        return np.float64(np.nan)
    try:
        return np.array(obj).dtype.type(obj) if not isinstance(obj, str) else obj
    except (TypeError, ValueError):
        return obj


_FAKE = {"i": 1, "u": 1, "f": 1.0, "b": True, "c": 1 + 0j}


def _fake_values(dtype: Any, n: int = 2) -> Any:
    if isinstance(dtype, pd.CategoricalDtype):
        cats = list(dtype.categories) or ["a"]
        return pd.Categorical([cats[0]] * n, categories=cats)
    kind = getattr(dtype, "kind", "O")
    if kind in _FAKE:
        return pd.array([_FAKE[kind]] * n, dtype=dtype)
    if kind == "M":
        return pd.array([pd.Timestamp("2000-01-01")] * n, dtype=dtype)
    if kind == "m":
        return pd.array([pd.Timedelta(1, "s")] * n, dtype=dtype)
    return pd.array(["a"] * n, dtype=dtype)


def meta_nonempty(meta: Any) -> Any:
    """A two-row stand-in with the dtypes of ``meta`` (to infer what a function returns)."""
    library = library_of(meta)
    meta = _to_pandas(meta)
    index = _fake_index(meta.index)
    if is_dataframe_like(meta):
        data = {i: _fake_values(dt) for i, dt in enumerate(meta.dtypes)}
        out = pd.DataFrame(data, index=index)
        out.columns = meta.columns
    elif is_series_like(meta):
        out = pd.Series(_fake_values(meta.dtype), index=index, name=meta.name)
    else:
        return convert_library(meta, library)
    return convert_library(out, library)


def _fake_index(index: Any) -> Any:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_arrays([_fake_values(lvl.dtype) for lvl in index.levels], names=index.names)
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(2, name=index.name)
    return pd.Index(_fake_values(index.dtype), name=index.name)


def _to_pandas(obj: Any) -> Any:
    return obj.to_pandas() if _detect.is_cudf_object(obj) else obj


def empty_like_meta(meta: Any) -> Any:
    """A fresh empty partition shaped like ``meta``."""
    return meta.copy() if is_frame_like(meta) else meta


def cast_meta(obj: Any, meta: Any) -> Any:
    """Cast a computed partition to the dtypes of ``meta`` where they differ (empty partitions)."""
    if is_dataframe_like(obj) and is_dataframe_like(meta) and len(obj) == 0:
        return meta.copy()
    return obj


# -- basic partition operations -------------------------------------------------------------
def concat(parts: list, ignore_index: bool = False, axis: int = 0, **kwargs: Any) -> Any:
    """Concatenate partitions of one library (scalars are returned as a Series)."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if not is_frame_like(parts[0]):
        return pd.Series(parts)
    if is_index_like(parts[0]):
        return parts[0].append(list(parts[1:])) if len(parts) > 1 else parts[0]
    if len(parts) == 1 and not ignore_index:
        return parts[0]
    return namespace(parts[0]).concat(parts, ignore_index=ignore_index, axis=axis, **kwargs)


def call_method(obj: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """``obj.method(*args, **kwargs)``."""
    return getattr(obj, method)(*args, **kwargs)


def call_accessor(obj: Any, accessor: str, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
    """``obj.str.attr(...)`` / ``obj.dt.attr``: an accessor attribute or method."""
    value = getattr(getattr(obj, accessor), attr)
    return value(*args, **kwargs) if is_method else value


def apply(func: Callable, *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` (a task head that carries keyword arguments)."""
    return func(*args, **kwargs)


def getitem(obj: Any, key: Any) -> Any:
    """``obj[key]``; a list key selects columns."""
    return obj[list(key)] if isinstance(key, tuple) else obj[key]


def assign(df: Any, names: tuple, *values: Any) -> Any:
    """A copy of ``df`` with columns ``names`` set to ``values`` (partitions or scalars)."""
    df = df.copy(deep=False)
    for name, value in zip(names, values):
        df[name] = value
    return df


def filter_rows(obj: Any, mask: Any) -> Any:
    """Rows of ``obj`` where the boolean partition ``mask`` is True."""
    return obj[mask]


def head(obj: Any, n: int) -> Any:
    """The first ``n`` rows."""
    return obj.head(n)


def tail(obj: Any, n: int) -> Any:
    """The last ``n`` rows."""
    return obj.tail(n)


def length(obj: Any) -> int:
    """Number of rows of a partition."""
    return len(obj)


def total(values: list) -> Any:
    """Sum of a list of numbers."""
    return sum(values)


_OPERATORS = {name: getattr(operator, name) for name in (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "eq", "ne", "lt", "le", "gt", "ge",
    "and_", "or_", "xor")}


def binary_op(name: str, left: Any, right: Any) -> Any:
    """``left <op> right`` for an operator name of the ``operator`` module (``r``-prefix swaps)."""
    if name.startswith("r") and name[1:] in _OPERATORS and name not in _OPERATORS:
        return _OPERATORS[name[1:]](right, left)
    return _OPERATORS[name](left, right)


def unary_op(name: str, obj: Any) -> Any:
    """``-obj``, ``~obj``, ``abs(obj)``."""
    return getattr(operator, name)(obj)


def split_frame(obj: Any, n: int) -> list:
    """Split a pandas/cuDF object into ``n`` row blocks of near-equal size."""
    bounds = np.linspace(0, len(obj), n + 1).astype(int)
    return [obj.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def index_divisions(obj: Any, n: int) -> tuple[list, tuple]:
    """Split an index-sorted object into at most ``n`` parts that do not share index values.

    Returns the parts and their divisions (first index of each part, last index of the last).
    """
    if len(obj) == 0:
        return [obj], (None, None)
    index = _to_pandas(obj.index)
    locs = sorted({int(index.searchsorted(index[int(b)], side="left"))
                   for b in np.linspace(0, len(obj), n + 1)[:-1]})
    parts = [obj.iloc[a:b] for a, b in zip(locs, [*locs[1:], len(obj)])]
    divisions = tuple(index[i] for i in locs) + (index[len(obj) - 1],)
    return parts, tuple(_py(d) for d in divisions)


def _py(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def is_monotonic_index(obj: Any) -> bool:
    """True if the index increases (so divisions can be known)."""
    return bool(obj.index.is_monotonic_increasing)


def sort_index(obj: Any) -> Any:
    """Sort by index (stable)."""
    return obj.sort_index(kind="stable")


def apply_kwargs(func: Callable, kwargs: dict, *args: Any) -> Any:
    """``func(*args, **kwargs)``: a task head carrying keyword arguments as a literal dict."""
    return func(*args, **kwargs)


def project(obj: Any, columns: Any) -> Any:
    """Select columns: a tuple gives a DataFrame, a single label a Series."""
    return obj[list(columns)] if isinstance(columns, tuple) else obj[columns]


# -- tree reductions: chunk -> combine -> aggregate -------------------------------------------
# A partial result is a dict of Series (one value per column) or of scalars (for a Series).
_SIMPLE = {"sum": "sum", "prod": "prod", "min": "min", "max": "max", "count": "sum", "any": "any", "all": "all"}


def reduce_chunk(part: Any, how: str, numeric_only: bool = False, skipna: bool = True,
                 ddof: int = 1, meta: Any = None) -> dict | None:
    """Partial reduction ``how`` of one partition (None for an empty partition)."""
    if len(part) == 0:
        return None
    if numeric_only and is_dataframe_like(part):
        part = part.select_dtypes(include=["number", "bool"])
    if how in _SIMPLE:
        kw = {"skipna": skipna} if how not in ("count",) else {}
        return {"v": getattr(part, how)(**kw)}
    if how == "size":
        return {"v": part.size}
    if how in ("var", "std"):  # count, mean, sum of squared deviations (Chan et al. combine)
        values = part.astype("float64")
        n = values.count()
        mean = values.mean()
        return {"n": n, "m": mean, "M2": ((values - mean) ** 2).sum()}
    return {"s": part.sum(skipna=skipna), "n": part.count()}


def _stack(values: list) -> Any:
    if is_series_like(values[0]):
        return concat(values, axis=1).T
    return pd.Series(values)


def _combine_value(values: list, how: str) -> Any:
    stacked = _stack(values)
    if is_series_like(values[0]):
        stacked = stacked.infer_objects()
    return getattr(stacked, how)()


def reduce_combine(partials: list, how: str, **kwargs: Any) -> dict | None:
    """Combine partial reductions into one partial."""
    partials = [p for p in partials if p is not None]
    if not partials:
        return None
    if "M2" in partials[0]:
        return _combine_moments(partials)
    ops = {"v": _SIMPLE.get(how, "sum"), "s": "sum", "n": "sum"}
    return {k: _combine_value([p[k] for p in partials], ops[k]) for k in partials[0]}


def reduce_aggregate(partials: list, how: str, meta: Any = None, ddof: int = 1, **kwargs: Any) -> Any:
    """Finish a tree reduction: the pandas-compatible result of ``how``."""
    combined = reduce_combine(partials, how)
    if combined is None:
        return _reduce_empty(meta, how, ddof)
    if "v" in combined:
        return _restore_dtype(combined["v"], meta, how)
    if how == "mean":
        return _ratio(combined["s"], combined["n"])
    var = _ratio(combined["M2"], combined["n"] - ddof)
    return var ** 0.5 if how == "std" else var


def _combine_moments(partials: list) -> dict:
    """Merge (count, mean, M2) partials without cancellation (pairwise update)."""
    n, mean, m2 = partials[0]["n"], partials[0]["m"], partials[0]["M2"]
    for p in partials[1:]:
        nb, mb, m2b = p["n"], p["m"], p["M2"]
        total = n + nb
        safe = _where_positive(total)
        delta = _fill0(mb) - _fill0(mean)
        mean = _fill0(mean) + delta * nb / safe
        m2 = _fill0(m2) + _fill0(m2b) + delta * delta * n * nb / safe
        n = total
    return {"n": n, "m": mean, "M2": m2}


def _where_positive(n: Any) -> Any:
    return n.where(n > 0) if is_series_like(n) else (n if n > 0 else np.nan)


def _fill0(x: Any) -> Any:
    return x.fillna(0) if is_series_like(x) else (0.0 if x != x else x)


def _ratio(a: Any, b: Any) -> Any:
    if is_series_like(b):
        return (a / b.where(b > 0)).astype("float64")
    return np.float64(a / b) if b > 0 else np.float64(np.nan)


def _reduce_empty(meta: Any, how: str, ddof: int) -> Any:
    if how == "size":
        return 0
    kw = {"ddof": ddof} if how in ("var", "std") else {}
    return getattr(meta, how)(**kw)


def _restore_dtype(value: Any, meta: Any, how: str) -> Any:
    if is_series_like(value) and meta is not None and is_dataframe_like(meta) and how in ("min", "max"):
        return value.infer_objects()
    return value


# -- creation ---------------------------------------------------------------------------------
def memory_bytes(obj: Any) -> int:
    """Bytes in memory of a partition (deep for strings)."""
    usage = obj.memory_usage(deep=True, index=True)
    return int(usage.sum()) if is_series_like(usage) else int(usage)


def frame_from_dict(data: dict, orient: str = "columns", dtype: Any = None, columns: Any = None) -> Any:
    """A pandas DataFrame from a dict."""
    return pd.DataFrame.from_dict(data, orient=orient, dtype=dtype, columns=columns)


def frame_from_array(x: Any, columns: Any = None) -> Any:
    """A pandas DataFrame (2-D) or Series (1-D) from a NumPy array (CuPy arrays go to cuDF)."""
    if _detect.is_cupy_array(x):
        import cudf

        return cudf.DataFrame(x, columns=columns) if x.ndim == 2 else cudf.Series(x, name=columns)
    x = np.asarray(x)
    if x.ndim == 1:
        return pd.Series(x, name=columns)
    if x.ndim == 2:
        return pd.DataFrame(x, columns=columns)
    raise ValueError(f"from_array needs a 1-D or 2-D array, got {x.ndim} dimensions")


# -- shuffles ---------------------------------------------------------------------------------
def _hash_keys(obj: Any, on: Any) -> Any:
    """The key columns to hash (``on=None``: the index); numbers become float64 so that equal
    keys of different numeric dtypes (int32 / int64 / float) meet in the same partition."""
    if is_series_like(obj) and on is not None:  # a Series hashes its values
        keys = obj.to_frame()
    else:
        keys = obj.index.to_frame(index=False) if on is None else obj[list(on)]
    keys = keys.copy(deep=False)
    for col in keys.columns:
        if keys[col].dtype.kind in "iufb":
            keys[col] = keys[col].astype("float64")
    return keys


def hash_split(obj: Any, on: Any, n: int) -> list:
    """Split a partition into ``n`` parts by the hash of its key columns (or index)."""
    if n == 1:
        return [obj]
    keys = _hash_keys(obj, on)
    if library_of(obj) == "cudf":
        return _cudf_hash_split(obj, keys, n)
    hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
    return split_by_target(obj, (hashes % np.uint64(n)).astype(np.int64), n)


def _cudf_hash_split(obj: Any, keys: Any, n: int) -> list:
    # cuDF hashes and splits on the device; the normalised keys ride along as temporary columns
    names = [f"__hash_key_{i}" for i in range(len(keys.columns))]
    keys.columns = names
    keys.index = obj.index
    frame = obj.to_frame() if is_series_like(obj) else obj
    parts = frame.assign(**{c: keys[c] for c in names}).partition_by_hash(names, n, keep_index=True)
    parts = [p.drop(columns=names) for p in parts]
    return [p.iloc[:, 0].rename(obj.name) for p in parts] if is_series_like(obj) else parts


def split_by_target(obj: Any, target: Any, n: int) -> list:
    """Split rows into ``n`` parts given each row's part number (row order kept within a part)."""
    order = np.argsort(target, kind="stable")
    counts = np.bincount(target, minlength=n)
    ordered = obj.take(order) if library_of(obj) == "pandas" else obj.take(order)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    return [ordered.iloc[bounds[j]:bounds[j + 1]] for j in range(n)]


def pick(parts: list, j: int) -> Any:
    """Part ``j`` of a split."""
    return parts[j]


def concat_shards(parts: list, meta: Any = None) -> Any:
    """Concatenate the shards that a shuffle sent to one output partition."""
    out = concat([p for p in parts if p is not None])
    return meta.copy() if out is None else out


# -- sorting ----------------------------------------------------------------------------------
def sample_sort_key(obj: Any, by: Any, k: int = 64) -> tuple:
    """Evenly spaced values of the sorted first key column, with the rows each stands for."""
    col = (obj.index.to_series() if by is None else obj[by]).dropna()
    if len(col) == 0:
        return (col.iloc[:0], 0.0)
    values = col.sort_values()
    positions = np.unique(np.linspace(0, len(values) - 1, min(k, len(values))).astype(int))
    return (values.iloc[positions].reset_index(drop=True), len(values) / len(positions))


def sort_boundaries(samples: list, n: int, ascending: bool = True) -> Any:
    """``n - 1`` partition boundaries from weighted samples (a sorted host Series)."""
    samples = [s for s in samples if len(s[0])]
    if not samples or n <= 1:
        return pd.Series([], dtype="float64")
    values = concat([_to_pandas(s[0]) for s in samples], ignore_index=True)
    weights = np.concatenate([np.full(len(s[0]), s[1]) for s in samples])
    order = np.argsort(values.to_numpy(), kind="stable")
    values, weights = values.iloc[order].reset_index(drop=True), np.cumsum(weights[order])
    targets = weights[-1] * np.arange(1, n) / n
    return values.iloc[np.searchsorted(weights, targets).clip(0, len(values) - 1)].reset_index(drop=True)


def concat_samples(parts: list) -> list:
    """Flatten lists of samples (tree-reduce combine step)."""
    out = []
    for p in parts:
        out.extend(p if isinstance(p, list) else [p])
    return out


def range_split(obj: Any, by: Any, boundaries: Any, ascending: bool = True, n: int | None = None) -> list:
    """Split rows into ``n`` parts by where the first sort key falls among ``boundaries`` (NaN rows last).

    There may be fewer than ``n - 1`` boundaries (few distinct values): some parts are then empty.
    """
    n = len(boundaries) + 1 if n is None else n
    col = obj.index.to_series() if by is None else obj[by]
    host = _to_pandas(col)
    target = np.asarray(pd.Index(boundaries).searchsorted(host.to_numpy(), side="right"), dtype=np.int64) \
        if len(boundaries) else np.zeros(len(host), dtype=np.int64)
    if not ascending:
        target = n - 1 - target
    target[np.asarray(host.isna())] = n - 1
    return split_by_target(obj, target, n)


def sort_partition(obj: Any, by: list, ascending: Any, na_position: str = "last") -> Any:
    """Sort one partition (stable)."""
    return obj.sort_values(by=by, ascending=ascending, na_position=na_position, kind="stable")


def set_index_partition(obj: Any, column: Any, drop: bool = True) -> Any:
    """``set_index`` then a stable ``sort_index``."""
    return obj.set_index(column, drop=drop).sort_index(kind="stable")


def min_max(obj: Any, column: Any) -> tuple:
    """(min, max) of a column, or (None, None) for an empty partition."""
    col = obj[column] if column is not None else obj.index
    return (None, None) if len(col) == 0 else (_py(col.min()), _py(col.max()))


def top_n(parts: Any, n: int, by: list, ascending: Any, keep: str = "first") -> Any:
    """The first ``n`` rows in sort order of one partition or a list of partitions (a list of one is
    an earlier top-n result, returned as it is)."""
    if isinstance(parts, list) and len(parts) == 1:
        return parts[0]
    obj = concat(parts) if isinstance(parts, list) else parts
    return sort_partition(obj, by, ascending).head(n)


def nlargest(parts: Any, n: int, columns: Any, keep: str = "first", smallest: bool = False) -> Any:
    """``nlargest`` / ``nsmallest`` of one partition or a list of partitions."""
    obj = concat(parts) if isinstance(parts, list) else parts
    method = "nsmallest" if smallest else "nlargest"
    return getattr(obj, method)(n, columns, keep=keep) if is_dataframe_like(obj) else \
        getattr(obj, method)(n, keep=keep)


def boundaries_from_samples(parts: list, n: int, ascending: bool = True) -> Any:
    """Final step of the sampling tree reduction of a sort."""
    return sort_boundaries(concat_samples(parts), n, ascending)


def unique_values(values: Any) -> Any:
    """Sorted distinct values of a host Series (boundaries without repeats)."""
    return values.drop_duplicates().reset_index(drop=True)


# -- distinct values and counts -------------------------------------------------------------------
def drop_duplicates(parts: Any, **kwargs: Any) -> Any:
    """``drop_duplicates`` of one partition or of a list of partitions (first wins, in order).

    A list of one is a partial result that was already deduplicated: returned as it is.
    """
    if isinstance(parts, list) and len(parts) == 1:
        return parts[0]
    obj = concat(parts) if isinstance(parts, list) else parts
    return obj.drop_duplicates(**kwargs)


def nunique_chunk(obj: Any) -> dict:
    """Distinct values of each column (a Series counts as one column)."""
    if is_series_like(obj):
        return {None: obj.drop_duplicates()}
    return {c: obj[c].drop_duplicates() for c in obj.columns}


def nunique_combine(parts: list, **kwargs: Any) -> dict:
    """Merge per-column distinct values."""
    return {k: concat([p[k] for p in parts], ignore_index=True).drop_duplicates() for k in parts[0]}


def nunique_aggregate(parts: list, dropna: bool = True, series: bool = True) -> Any:
    """Count the distinct values per column (a scalar for a Series)."""
    merged = nunique_combine(parts)
    counts = {k: int(v.nunique(dropna=dropna)) for k, v in merged.items()}
    return counts[None] if series else pd.Series(counts, dtype="int64")


def value_counts_chunk(obj: Any, dropna: bool = True) -> Any:
    """Counts of each value in one partition."""
    return obj.value_counts(dropna=dropna)


def value_counts_combine(parts: Any, dropna: bool = True, sort: bool = False, ascending: bool = False,
                         normalize: bool = False) -> Any:
    """Add up the counts of partitions (indexed by value)."""
    counts = concat(parts) if isinstance(parts, list) else parts
    levels = list(range(counts.index.nlevels))
    out = counts.groupby(level=levels, dropna=dropna, sort=False).sum()
    out.name = counts.name
    if normalize:
        out = (out / out.sum()).rename("proportion")
    return out.sort_values(ascending=ascending, kind="stable") if sort else out


# -- describe -------------------------------------------------------------------------------------
_PERCENTILES = (0.25, 0.5, 0.75)


def describe_chunk(obj: Any, k: int = 1000) -> dict:
    """Moments, extremes and a sorted sample of each numeric column of a partition."""
    frame = obj.to_frame() if is_series_like(obj) else obj.select_dtypes(include="number")
    frame = _to_pandas(frame).astype("float64")
    out = {}
    for col in frame.columns:
        values = frame[col].dropna().sort_values().to_numpy()
        take = np.unique(np.linspace(0, len(values) - 1, min(k, len(values))).astype(int)) if len(values) else []
        out[col] = (values[take], len(values) / max(1, len(take)), values.sum(), (values ** 2).sum(), len(values))
    return out


def describe_aggregate(parts: list, series_name: Any = "__frame__") -> Any:
    """``describe()`` from partition summaries; percentiles are exact when every row was sampled."""
    parts = concat_samples(parts)
    columns = {col: [p[col] for p in parts] for col in parts[0]}
    result = pd.DataFrame({col: _describe_column(items) for col, items in columns.items()})
    if series_name != "__frame__":
        return result.iloc[:, 0].rename(series_name)
    return result


def _describe_column(items: list) -> pd.Series:
    n = sum(i[4] for i in items)
    total, sq = sum(i[2] for i in items), sum(i[3] for i in items)
    mean = total / n if n else np.nan
    std = np.sqrt(max(0.0, (sq - total * total / n) / (n - 1))) if n > 1 else np.nan
    values = np.concatenate([i[0] for i in items]) if items else np.array([])
    weights = np.concatenate([np.full(len(i[0]), i[1]) for i in items]) if items else np.array([])
    q = _weighted_quantiles(values, weights, _PERCENTILES)
    stats = [n, mean, std, values.min() if n else np.nan, *q, values.max() if n else np.nan]
    return pd.Series(stats, index=["count", "mean", "std", "min", "25%", "50%", "75%", "max"], dtype="float64")


def _weighted_quantiles(values: Any, weights: Any, qs: tuple) -> list:
    if len(values) == 0:
        return [np.nan] * len(qs)
    if np.all(weights == 1):  # every row present: exact, with pandas' linear interpolation
        return list(np.quantile(values, qs))
    order = np.argsort(values)
    values, cum = values[order], np.cumsum(weights[order])
    return [values[min(len(values) - 1, np.searchsorted(cum, q * cum[-1]))] for q in qs]


# -- groupby ----------------------------------------------------------------------------------------
# A decomposable aggregation is computed from partial columns: sum/count/size/min/max/first/last
# partials combine with one operation each; mean, var and std are finished from sum, count, sumsq.
GROUPBY_PARTIALS = {"sum": ("sum",), "count": ("count",), "size": ("size",), "min": ("min",), "max": ("max",),
                    "first": ("first",), "last": ("last",), "mean": ("sum", "count"),
                    "var": ("sum", "count", "m2"), "std": ("sum", "count", "m2")}
_PARTIAL_COMBINE = {"sum": "sum", "count": "sum", "size": "sum", "m2": "sum", "min": "min", "max": "max",
                    "first": "first", "last": "last"}


def _groupby(obj: Any, by: list, dropna: bool, sort: bool = False, level: bool = False) -> Any:
    keys = {"level": list(range(len(by)))} if level else {"by": by}
    return obj.groupby(**keys, dropna=dropna, sort=sort, observed=True)


def groupby_chunk(df: Any, by: list, partials: tuple, dropna: bool = True) -> Any:
    """Partial aggregates of one partition: one column per ``(name, column, kind)`` in ``partials``."""
    by_kind: dict = {}
    for _, col, kind in partials:
        if kind not in ("size", "m2"):
            by_kind.setdefault(kind, []).append(col)
    grouped = _groupby(df, by, dropna)
    # one grouped pass per kind over all its columns (faster than a dict of lists)
    results = {kind: getattr(grouped[list(dict.fromkeys(cols))], kind)() for kind, cols in by_kind.items()}
    columns = {}
    for name, col, kind in partials:
        if kind == "size":
            columns[name] = grouped.size()
        elif kind == "m2":  # sum of squared deviations from the group mean in this partition
            values = grouped[col]
            columns[name] = (values.var(ddof=0) * values.count()).fillna(0)
        else:
            columns[name] = results[kind][col]
    return namespace(df).DataFrame(columns)


def groupby_combine(parts: list, by: list, partials: tuple, dropna: bool = True, **kwargs: Any) -> Any:
    """Combine partial aggregates of several partitions (indexed by the group keys)."""
    frame = concat(parts) if isinstance(parts, list) else parts
    ops = {name: _PARTIAL_COMBINE[kind] for name, _, kind in partials}
    m2 = [(name, col) for name, col, kind in partials if kind == "m2"]
    if m2:
        frame = _shift_m2(frame, by, partials, m2, dropna)
    return _groupby(frame, by, dropna, level=True).agg(ops)


def _shift_m2(frame: Any, by: list, partials: tuple, m2: list, dropna: bool) -> Any:
    """Express each partial M2 around the combined group mean, so that M2s simply add up."""
    names = {(col, kind): name for name, col, kind in partials}
    grouped = _groupby(frame, by, dropna, level=True)
    frame = frame.copy(deep=False)
    for name, col in m2:
        s, n = frame[names[(col, "sum")]], frame[names[(col, "count")]]
        total_n = grouped[names[(col, "count")]].transform("sum")
        mean = grouped[names[(col, "sum")]].transform("sum") / total_n.where(total_n > 0)
        local = s / n.where(n > 0)
        frame[name] = frame[name] + (n * (local - mean) ** 2).fillna(0)
    return frame


def groupby_finalize(parts: Any, by: list, partials: tuple, outputs: tuple, meta: Any, dropna: bool = True,
                     sort: bool = True, ddof: int = 1) -> Any:
    """Final aggregates from partials; ``outputs`` are ``(kind, partial names)`` in ``meta``'s column order."""
    combined = groupby_combine(parts, by, partials, dropna)
    columns = [_finish(combined, kind, names, ddof) for kind, names in outputs]
    result = namespace(combined).concat(columns, axis=1) if columns else combined
    if is_series_like(meta):
        result = result.iloc[:, 0]
        result.name = meta.name
    else:
        result.columns = meta.columns
    return result.sort_index() if sort else result


def _finish(frame: Any, kind: str, names: tuple, ddof: int) -> Any:
    if len(names) == 1:
        return frame[names[0]]
    total, count = frame[names[0]], frame[names[1]]
    valid = count.where(count > 0)
    if kind == "mean":
        return (total / valid).astype("float64")
    var = frame[names[2]] / (count - ddof).where(count - ddof > 0)
    return var ** 0.5 if kind == "std" else var


def groupby_pandas(df: Any, by: list, selection: Any, how: str, arg: Any = None, kwargs: dict | None = None,
                   dropna: bool = True, sort: bool = True, meta: Any = None) -> Any:
    """Run a groupby method (or ``agg``) with the partition library directly (``meta`` for no rows)."""
    if meta is not None and len(df) == 0:
        return meta
    grouped = df.groupby(by, dropna=dropna, sort=sort, observed=True)
    if selection is not None:
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    method = getattr(grouped, how)
    return method(*(() if arg is None else (arg,)), **(kwargs or {}))


# -- merge ------------------------------------------------------------------------------------------
def merge_chunks(left: Any, right: Any, **kwargs: Any) -> Any:
    """``left.merge(right, **kwargs)`` of two partitions."""
    return left.merge(right, **kwargs)


def key_kind(dtype: Any) -> str:
    """A coarse class of a dtype, for checking that merge keys can match."""
    kind = getattr(dtype, "kind", "O")
    if isinstance(dtype, pd.CategoricalDtype):
        return key_kind(dtype.categories.dtype)
    if kind in "iufb":
        return "number"
    if kind in "OSU" or str(dtype) in ("str", "string") or "string" in str(dtype):
        return "string"
    if kind == "M":
        return "datetime"
    if kind == "m":
        return "timedelta"
    return str(dtype)


def conform(obj: Any, meta: Any) -> Any:
    """Give a partition the columns (and dtypes where possible) of ``meta`` (concat of unlike frames)."""
    if is_dataframe_like(meta) and is_dataframe_like(obj) and list(obj.columns) != list(meta.columns):
        obj = obj.reindex(columns=meta.columns)
    if is_dataframe_like(meta):
        changed = {c: meta[c].dtype for c in meta.columns if obj[c].dtype != meta[c].dtype}
        if changed:
            obj = obj.astype(changed)
    return obj


def concat_meta(metas: list, join: str = "outer") -> Any:
    """The metadata of a row-wise concat."""
    return make_meta(namespace(metas[0]).concat([meta_nonempty(m) for m in metas], join=join))


def concat_columns(*parts: Any) -> Any:
    """Column-wise concat of aligned partitions."""
    return namespace(parts[0]).concat(list(parts), axis=1)


def to_datetime(obj: Any, **kwargs: Any) -> Any:
    """``to_datetime`` of the partition's library."""
    return namespace(obj).to_datetime(obj, **kwargs)


def host_series(values: list) -> Any:
    """A pandas Series of boundary values."""
    return pd.Series(values)


def schema_text(obj: Any) -> str:
    """Type, columns, dtypes and index (names, dtypes) of a partition, as text."""
    index = obj if is_index_like(obj) else obj.index
    levels = getattr(index, "levels", None)
    index_text = [(n, str(lvl.dtype)) for n, lvl in zip(index.names, levels)] if levels is not None else \
        [(index.name, str(index.dtype), type(index).__name__)]
    if is_dataframe_like(obj):
        body = [(repr(c), str(t)) for c, t in obj.dtypes.items()]
    else:
        body = [(repr(getattr(obj, "name", None)), str(obj.dtype))]
    return f"{library_of(obj)}:{type(obj).__name__}:{body}:{index_text}"
