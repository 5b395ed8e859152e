"""Sort keys compared the way pandas sorts them: a categorical key in the order of its categories
(``cba`` when the categories are ``["c", "b", "a"]``), an Arrow dictionary key in the order of its dictionary
(pandas' sort by several keys takes its codes), Periods by their ordinals and Intervals by their
``(left, right)`` (as integers: comparing the boxed objects row by row was 5-20 times slower), other keys by
value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import convert_library, is_series_like, library_of, stable_sort_kind

__all__ = ["sort_order_values", "positions_among", "categorical_levels_misorder", "sorted_by_index_columns",
           "dictionary_as_categorical", "ordinal_key", "sort_key_column"]


def sort_order_values(values: Any) -> Any:
    """A NumPy array that sorts as the host Series ``values`` does (a categorical: its codes; Periods and
    Intervals: :func:`ordinal_key`)."""
    values = dictionary_as_categorical(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes)
    key = ordinal_key(values)
    return values.to_numpy() if key is None else key[0]


def dictionary_as_categorical(col: Any) -> Any:
    """A pandas Series of an Arrow dictionary as the categorical of its dictionary (codes and order kept: pandas'
    sort by several keys orders it so, and pyarrow cannot sort a dictionary array); other columns unchanged."""
    arrow = getattr(col.dtype, "pyarrow_dtype", None)
    if arrow is None or not _is_dictionary(arrow):
        return col
    chunks = col.array._pa_array.combine_chunks()  # (one dictionary, as pandas' Categorical of it takes)
    codes = chunks.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    categories = chunks.dictionary.to_pandas(types_mapper=pd.ArrowDtype)
    kind = pd.CategoricalDtype(categories, ordered=arrow.ordered)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=kind), index=col.index, name=col.name)


def sort_key_column(col: Any, key: Any) -> Any:
    """pandas' ``sort_values(key=)`` of one partition's key column ``col``: ``key`` of (a copy of) it as a Series of
    the partition's library on its index.  What the key gives is taken by position, as pandas takes it: a Series,
    or an array or a ``Categorical`` (``pd.Categorical(s, [...], ordered=True)``, whose categories then order the
    rows).  pandas requires the key to keep the column's shape, so partitions are keyed one by one."""
    out = key(col.copy())
    if len(out) != len(col):
        raise ValueError("User-provided `key` function must not change the shape of the array.")
    library = library_of(col)
    if not (is_series_like(out) and library_of(out) == library):
        out = convert_library(pd.Series(out.array if is_series_like(out) else out), library)
    elif out.index.equals(col.index):
        return out
    else:
        out = out.reset_index(drop=True)
    out.index = col.index  # (a new Series: the key's own result is left as it is)
    return out


def _is_dictionary(arrow: Any) -> bool:
    import pyarrow as pa  # (loaded already: the dtype is pyarrow's)

    return pa.types.is_dictionary(arrow)


def ordinal_key(col: Any) -> tuple | None:
    """``(int64 keys, missing mask)`` ordering a pandas Series of Periods (their ordinals) or Intervals (ranks of
    their ``(left, right)``) as pandas sorts them; None for other columns."""
    if isinstance(col.dtype, pd.PeriodDtype):
        return col.array.asi8, np.asarray(col.isna())
    if isinstance(col.dtype, pd.IntervalDtype):
        missing = np.asarray(col.isna())
        return _interval_keys(np.asarray(col.array.left), np.asarray(col.array.right)), missing
    return None


def _interval_keys(left: Any, right: Any) -> Any:
    """int64 keys ordering the pairs ``(left, right)`` lexicographically (missing pairs: any key): of integers
    whose spans multiply within int64, ``left * span(right) + right`` (a sort of pairs is 4 times slower);
    else the pairs' ranks."""
    if left.dtype.kind in "iu" and right.dtype.kind in "iu" and len(left):
        low, width = int(right.min()), int(right.max()) - int(right.min()) + 1
        if (int(left.max()) - int(left.min()) + 1) * width < 2 ** 62:
            return (left.astype(np.int64) - int(left.min())) * width + (right.astype(np.int64) - low)
    return _interval_ranks(left, right)


def _interval_ranks(left: Any, right: Any) -> Any:
    """Dense int64 ranks of the pairs ``(left, right)`` in lexicographic order (missing pairs: any rank)."""
    order = np.lexsort((right, left))
    lo, hi = left[order], right[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.cumsum(new)
    return ranks


def _joint_ordinals(bounds: pd.Index, host: Any) -> tuple | None:
    """``(boundaries' keys, host's keys)`` as comparable int64 arrays for Periods or Intervals of one dtype (the
    boundaries sorted, so their keys too); None for other keys."""
    if bounds.dtype != host.dtype or not isinstance(host.dtype, (pd.PeriodDtype, pd.IntervalDtype)):
        return None
    if isinstance(host.dtype, pd.PeriodDtype):
        return bounds.asi8, host.array.asi8
    left = np.concatenate([np.asarray(bounds.left), np.asarray(host.array.left)])
    right = np.concatenate([np.asarray(bounds.right), np.asarray(host.array.right)])
    keys = _interval_keys(left, right)
    return keys[:len(bounds)], keys[len(bounds):]


def positions_among(boundaries: Any, host: Any) -> Any:
    """For each value of the host Series ``host``, how many of the sorted ``boundaries`` are <= it.

    A categorical key whose categories hold every boundary is placed by its codes (the categories' order);
    otherwise values are compared (partitions with their own categories: sorted, so the same order)."""
    host = dictionary_as_categorical(host)
    if isinstance(host.dtype, pd.CategoricalDtype):
        bounds = pd.Categorical(list(boundaries), dtype=host.dtype)
        if not (bounds.codes < 0).any():
            return np.searchsorted(bounds.codes, np.asarray(host.cat.codes), side="right")
        host = host.astype(host.cat.categories.dtype)
    missing = host.isna().to_numpy()
    bounds = _boundary_index(boundaries)
    counted = _counted_at_or_below(bounds, host, missing)
    if counted is not None:
        return counted
    ordinals = _joint_ordinals(bounds, host)
    if ordinals is not None:  # Periods, Intervals: missing ones last
        out = np.full(len(host), len(boundaries), dtype=np.intp)
        out[~missing] = np.searchsorted(ordinals[0], ordinals[1][~missing], side="right")
        return out
    if not missing.any() or isinstance(host.dtype, np.dtype) and host.dtype.kind in "fmM":  # NaN/NaT: NumPy
        return bounds.searchsorted(_comparable(host, bounds), side="right")  # places them last itself
    # missing labels of other kinds (strings; pandas' NA of nullable numbers and booleans) cannot be compared:
    # they go last, as pandas sorts them
    out = np.full(len(host), len(boundaries), dtype=np.intp)
    out[~missing] = bounds.searchsorted(_comparable(host[~missing], bounds), side="right")
    return out


_COUNTED_BOUNDS = 32  # up to this many boundaries, comparing with each beats a binary search per value


def _counted_at_or_below(bounds: pd.Index, host: Any, missing: Any) -> Any:
    """:func:`positions_among` of numbers by counting, for a few boundaries of their dtype, the boundaries at or
    below each value (missing ones last, as ``searchsorted``); None for other keys."""
    dtype = host.dtype
    if len(bounds) > _COUNTED_BOUNDS or not isinstance(dtype, np.dtype) or dtype.kind not in "iuf" \
            or bounds.dtype != dtype:
        return None
    values = host.to_numpy()
    out = np.zeros(len(values), dtype=np.intp)
    for bound in bounds.to_numpy():
        out += values >= bound
    out[missing] = len(bounds)
    return out


def _boundary_index(boundaries: Any) -> pd.Index:
    """The sorted boundaries as an Index to search (float16 ones as float32, which orders them alike: pandas
    has no float16 Index)."""
    try:
        return pd.Index(boundaries)
    except NotImplementedError:
        return pd.Index(np.asarray(boundaries, dtype=np.float32))


def _comparable(values: Any, bounds: pd.Index) -> Any:
    """``values`` in the form ``bounds.searchsorted`` compares: Arrow boundaries (durations, timestamps) take
    pandas' array, whose values they compare as scalars; others NumPy's."""
    return values.array if isinstance(bounds.dtype, pd.ArrowDtype) else values.to_numpy()


def categorical_levels_misorder(obj: Any) -> bool:
    """Whether pandas' ``sort_index`` would misplace rows of a categorical index level: missing values (it takes
    the codes, -1 first, as already sorted and leaves them first, where its groupby puts them last), or any
    categorical level of a MultiIndex (a groupby with ``sort=False`` lists the level's values in order of
    appearance, which ``sort_index`` takes for the categories' order)."""
    from gpuscale.backends.frame.categorical import is_categorical

    index = obj.index
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    return any(is_categorical(level.dtype) and (index.nlevels > 1 or bool(level.hasnans)) for level in levels)


def sorted_by_index_columns(obj: Any, nlevels: int | None = None) -> Any:
    """``obj`` in the order of its (first ``nlevels``) index levels as columns (stable; missing values last)."""
    keys = obj.index.to_frame(index=False)
    keys = keys if nlevels is None else keys.iloc[:, :nlevels]
    keys.columns = [f"__level_{i}__" for i in range(keys.shape[1])]
    order = keys.sort_values(list(keys.columns), kind=stable_sort_kind(keys), na_position="last").index
    return obj.take(order.values)
