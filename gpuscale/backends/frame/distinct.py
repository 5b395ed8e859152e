"""Distinct values, value counts and describe."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import convert_library, is_series_like, library_of, stable_sort_kind
from gpuscale.backends.frame.partition_concat import concat


# -- distinct values and counts -------------------------------------------------------------------
def drop_duplicates(parts: Any, **kwargs: Any) -> Any:
    """``drop_duplicates`` of one partition or of a list of partitions (first wins, in order).

    A list of one is a partial result that was already deduplicated: returned as it is.
    """
    if isinstance(parts, list) and len(parts) == 1:
        return parts[0]
    obj = concat(parts) if isinstance(parts, list) else parts
    first = _first_of_integer_rows(obj, kwargs)
    if first is None:
        return obj.drop_duplicates(**kwargs)
    out = obj[first]
    return out.reset_index(drop=True) if kwargs.get("ignore_index") else out


def _first_of_integer_rows(obj: Any, kwargs: dict) -> Any:
    """For integer key columns: a mask of each distinct row's first occurrence, else None.

    The columns are packed into one int64 key (when their value ranges
    allow), which is then deduplicated in one pass: by neighbour comparison
    when it is nearly sorted (tables clustered by a key), by hashing
    otherwise.  pandas factorizes every column separately, several times
    slower on wide-ranged integer keys.
    """
    if kwargs.get("keep", "first") != "first" or library_of(obj) != "pandas" or len(obj) < 2:
        return None
    key = _packed_key(_subset_columns(obj, kwargs.get("subset")))
    if key is None:
        return None
    if not _mostly_ascending(key[::max(1, len(key) // 1024)]):
        return ~pd.Series(key, copy=False).duplicated().to_numpy()
    order = np.argsort(key, kind="stable")  # clustered input: timsort merges long runs quickly
    ordered = key[order]
    starts = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    first = np.zeros(len(key), dtype=bool)
    first[order[starts]] = True
    return first


def _mostly_ascending(sample: Any) -> bool:
    return len(sample) > 1 and np.count_nonzero(sample[1:] < sample[:-1]) <= len(sample) // 16


def _subset_columns(obj: Any, subset: Any) -> list:
    """The key columns as Series, taken by position (a repeated column name selects every column of the name)."""
    if is_series_like(obj):
        return [obj]
    frame = obj if subset is None else obj[[subset] if np.isscalar(subset) else list(subset)]
    return [frame.iloc[:, i] for i in range(frame.shape[1])]


def _packable(dtype: Any) -> bool:
    """NumPy integers and booleans whose values all fit in int64 (not uint64)."""
    return isinstance(dtype, np.dtype) and (dtype.kind in "ib" or (dtype.kind == "u" and dtype.itemsize < 8))


def _packed_key(columns: list) -> Any:
    """The integer columns as one int64 (mixed radix over their ranges), or None if not possible."""
    if not columns or not all(_packable(column.dtype) for column in columns):
        return None
    if len(columns) == 1 and columns[0].dtype == np.int64:
        return columns[0].to_numpy()  # the column is the key: no copy
    key, span_product = None, 1
    for column in columns:
        values = column.to_numpy()
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        span_product *= span
        if span_product >= 2**62:
            return None
        part = values.astype(np.int64)  # in place from here: one partition-sized array at a time
        part -= low
        if key is None:
            key = part
        else:
            key *= span
            key += part
    return key


def nunique_chunk(obj: Any) -> dict:
    """Distinct values of each column, keyed ``(position, name)`` (repeated names are columns of their own; a
    Series counts as one column, keyed None)."""
    if is_series_like(obj):
        return {None: obj.drop_duplicates()}
    return {(i, c): obj.iloc[:, i].drop_duplicates() for i, c in enumerate(obj.columns)}


def nunique_combine(parts: list, **kwargs: Any) -> dict:
    """Merge per-column distinct values."""
    return {k: concat([p[k] for p in parts], ignore_index=True).drop_duplicates() for k in parts[0]}


def nunique_aggregate(parts: list, dropna: bool = True, series: bool = True, library: str = "pandas") -> Any:
    """Count the distinct values per column (a scalar for a Series; a Series of ``library`` for a frame)."""
    merged = nunique_combine(parts)
    counts = {k: int(v.nunique(dropna=dropna)) for k, v in merged.items()}
    if series:
        return counts[None]
    names = pd.Index([name for _, name in counts]) if counts else None
    return convert_library(pd.Series(list(counts.values()), index=names, dtype="int64"), library)


def row_nunique(part: Any, dropna: bool = True) -> Any:
    """Distinct values in each row of a partition (``nunique(axis=1)``); cuDF counts only columns,
    so its rows are counted on the host."""
    if library_of(part) == "pandas":
        out = part.nunique(axis=1, dropna=dropna)
    else:
        from gpuscale.backends.convert import to_host

        out = convert_library(to_host(part).nunique(axis=1, dropna=dropna), library_of(part))
    return out.astype("int64") if len(part) == 0 else out  # (pandas' counts of no rows are float64)


def value_counts_chunk(obj: Any, dropna: bool = True) -> Any:
    """Counts of each value in one partition, in order of first appearance (a categorical's: its categories'),
    so the partitions' counts added up keep pandas' order for ``sort=False`` and for ties of ``sort=True``."""
    return obj.value_counts(dropna=dropna, sort=False)


def value_counts_combine(parts: Any, dropna: bool = True, sort: bool = False, ascending: bool = False,
                         normalize: bool = False) -> Any:
    """Add up the counts of partitions (indexed by value)."""
    counts = concat(parts) if isinstance(parts, list) else parts
    levels = list(range(counts.index.nlevels))
    out = counts.groupby(level=levels, dropna=dropna, sort=False, observed=True).sum()  # (pandas 3's default)
    if len(levels) == 1 and counts.index.dtype == object and out.index.dtype != object:
        out.index = out.index.astype(object)  # (pandas 3's groupby reads an object index of text as str)
    if not dropna and len(levels) == 1:
        out = _keep_missing_count(counts, out)
    out.name = counts.name
    if normalize:
        out = (out / out.sum()).rename("proportion")
    return out.sort_values(ascending=ascending, kind=stable_sort_kind(out)) if sort else out


def _keep_missing_count(counts: Any, out: Any) -> Any:
    """``out`` with the count of missing values where ``counts`` has some and the groupby lost them (pandas 2.2
    drops the missing key of an Arrow dictionary index, ``dropna=False`` or not), in order of first appearance."""
    missing = counts.index.isna()
    if not missing.any() or out.index.isna().any():
        return out
    first = int(np.argmax(missing))
    before = counts.index[:first].nunique()  # distinct values seen before the first missing one
    na = counts[missing].iloc[:1].copy()
    na.iloc[0] = counts[missing].sum()
    return concat([out.iloc[:before], na, out.iloc[before:]])


__all__ = [
    "drop_duplicates", "nunique_aggregate", "nunique_chunk",
    "nunique_combine", "row_nunique", "value_counts_chunk", "value_counts_combine",
]
