"""Shuffles and sorting: hash and range splits, boundaries from samples, top-n."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (
    _to_pandas, is_dataframe_like, is_index_like, is_series_like, library_of, namespace, python_scalar,
    stable_sort_kind,
)
from gpuscale.backends.frame.categorical import empty_partition_of, is_categorical
from gpuscale.backends.frame.cudf_gaps import on_host
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.sort_fast import (
    numeric_key, sample_positions, sorted_by_key, stable_order, top_n_candidates,
)
from gpuscale.backends.frame.sort_keys import dictionary_as_categorical, positions_among, sort_order_values


# -- shuffles ---------------------------------------------------------------------------------
def _hash_keys(obj: Any, on: Any) -> Any:
    """The key columns to hash (``on=None``: the index); numbers become float64 so that equal
    keys of different numeric dtypes (int32 / int64 / float) meet in the same partition."""
    if is_series_like(obj) and on is not None:  # a Series hashes its values
        keys = obj.to_frame()
    else:
        keys = obj.index.to_frame(index=False) if on is None else _key_frame(obj, list(on))
    keys = keys.copy(deep=False)
    if not keys.columns.is_unique:  # (a repeated name would select several columns: the hash takes no names)
        keys.columns = [f"key{i}" for i in range(keys.shape[1])]
    for col in list(keys.columns):
        if keys[col].dtype.kind in "iufb" or _numbers_as_objects(keys[col]):
            keys[col] = keys[col].astype("float64")
        elif _numpy_time_unit(keys[col].dtype) is not None:
            keys[col], keys[f"__gpuscale_ns_{col}"] = _unit_free_times(keys[col])
    return keys


def _key_frame(frame: Any, on: list) -> Any:
    """The columns ``on`` of ``frame``, keys naming its index levels (not columns) taken from the index, as
    pandas' merge takes them (``on="k"`` of a side indexed by ``k`` and a side with a column ``k``)."""
    levels = [k for k in on if k not in frame.columns]
    if levels and all(k in frame.index.names for k in levels):
        frame = frame.reset_index(level=levels)
    return frame[on]


def _numpy_time_unit(dtype: Any) -> str | None:
    """The unit of a NumPy datetime/timedelta dtype (time-zone-aware pandas ones too), else None."""
    numpy_dtype = getattr(dtype, "base", dtype)  # (a DatetimeTZDtype's base is datetime64[ns]-like)
    if getattr(dtype, "unit", None) is not None and getattr(dtype, "kind", "") == "M":
        return dtype.unit
    if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind in "mM":
        return np.datetime_data(numpy_dtype)[0]
    return None


def _time_zero(dtype: Any) -> Any:
    """The epoch (or a zero duration) as a value a column of ``dtype`` takes."""
    if getattr(dtype, "tz", None) is not None:
        return pd.Timestamp(0, tz="UTC")
    unit = _numpy_time_unit(dtype)  # (NumPy scalars: cuDF takes no pandas Timestamp)
    return np.timedelta64(0, unit) if dtype.kind == "m" else np.datetime64(0, unit)


_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _unit_free_times(col: Any) -> tuple:
    """Times as (whole seconds, nanoseconds within the second): equal instants stored in different units
    (``datetime64[s]`` / ``[ns]``) hash alike, and no unit's range overflows; missing values alike too."""
    per_second = _PER_SECOND[_numpy_time_unit(col.dtype)]
    missing = col.isna()
    ticks = col.fillna(_time_zero(col.dtype)).astype("int64")  # (ticks since the epoch, in UTC when zoned)
    seconds = (ticks // per_second).where(~missing, 0)
    nanos = ((ticks % per_second) * (1_000_000_000 // per_second)).where(~missing, -1)
    return seconds, nanos


def _numbers_as_objects(col: Any) -> bool:
    """Whether a pandas object column holds only numbers or bools (and missing values): a bool key column
    becomes one where a join or concat brought in missing values, and its keys must still meet the bool ones."""
    if col.dtype != object or library_of(col) != "pandas":
        return False
    return pd.api.types.infer_dtype(col, skipna=True) in ("boolean", "integer", "floating", "mixed-integer-float")


def hash_split(obj: Any, on: Any, n: int, drop_index: bool = False) -> list:
    """Split a partition into ``n`` parts by the hash of its key columns (or index).

    ``drop_index``: the consumer ignores the index, so the parts get a
    ``RangeIndex`` (no memory) instead of their rows' labels.
    """
    if n == 1:
        return [_without_index(obj) if drop_index else obj]
    keys = _hash_keys(obj, on)
    if library_of(obj) == "cudf":
        return _cudf_hash_split(obj, keys, n, drop_index)
    return split_by_target(obj, _pandas_hash_targets(keys, n), n, drop_index)


def hash_targets(obj: Any, on: Any, n: int) -> Any:
    """The output partition (``0..n-1``) of each row when shuffling by the hash of ``on`` (None: the
    index): an integer array (pandas) or Series (cuDF), one entry per row."""
    keys = _hash_keys(obj, on)
    if library_of(obj) == "cudf":  # cuDF hashes on the device (murmur3, uint32)
        return (keys.hash_values() % n).astype("int64")
    return _pandas_hash_targets(keys, n)


def _pandas_hash_targets(keys: Any, n: int) -> Any:
    return _part_of_hash(pd.util.hash_pandas_object(keys, index=False).to_numpy(), n)


def _without_index(obj: Any) -> Any:
    return obj.reset_index(drop=True)


def _part_of_hash(hashes: Any, n: int) -> Any:
    """Map uint64 hashes onto ``0..n-1`` with a multiply and shift of their top 32 bits
    (Lemire's reduction: much cheaper than a 64-bit modulo)."""
    return (((hashes >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)).astype(_target_dtype(n))


def _target_dtype(n: int) -> Any:
    # small integer targets let numpy's stable argsort use radix sort
    return np.uint8 if n <= 256 else np.uint16 if n <= 65536 else np.int64


_ROW = "__hash_row"


def _cudf_hash_split(obj: Any, keys: Any, n: int, drop_index: bool = False) -> list:
    # cuDF hashes and splits on the device; the normalised keys ride along as temporary columns, and so
    # does each row's position: libcudf's hash_partition does not keep the rows' order within a part, which
    # pandas' split (and so head/ffill/first... of the groups after a shuffle) keeps
    names = [f"__hash_key_{i}" for i in range(len(keys.columns))]
    keys.columns = names
    keys.index = obj.index
    frame = obj.to_frame() if is_series_like(obj) else obj
    rows = namespace(frame).Series(range(len(frame)), index=frame.index)
    frame = frame.assign(**{c: keys[c] for c in names}, **{_ROW: rows})
    parts = frame.partition_by_hash(names, n, keep_index=not drop_index)
    parts = [_in_input_order(p, drop_index).drop(columns=[*names, _ROW]) for p in parts]
    return [p.iloc[:, 0].rename(obj.name) for p in parts] if is_series_like(obj) else parts


def _in_input_order(part: Any, drop_index: bool) -> Any:
    ordered = part.sort_values(_ROW)
    return ordered.reset_index(drop=True) if drop_index else ordered


def split_by_target(obj: Any, target: Any, n: int, drop_index: bool = False) -> list:
    """Split rows into ``n`` parts given each row's part number (row order kept within a part)."""
    order = np.argsort(target, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(target, minlength=n))])
    parts = take_pieces(obj, order, bounds)
    return [_without_index(p) for p in parts] if drop_index else parts


_OWN_COPY_ROWS = 10_000  # pieces this long (on average) are taken one by one


def take_pieces(obj: Any, order: Any, bounds: Any) -> list:
    """The rows ``order[bounds[j]:bounds[j + 1]]`` of ``obj`` for each ``j``.

    Long pieces are taken one by one, so each owns its rows and is freed as soon as its next partition
    has it (slices of one big take keep the whole copy alive until the last piece is used); short ones
    are slices of one take, as a take costs tens of microseconds whatever its length.
    """
    if len(order) >= _OWN_COPY_ROWS * (len(bounds) - 1):
        return [obj.take(order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    taken = obj.take(order)
    return [taken.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def pick(parts: list, j: int) -> Any:
    """Part ``j`` of a split."""
    return parts[j]


def concat_shards(parts: list, meta: Any = None, ignore_index: bool = False) -> Any:
    """Concatenate the shards that a shuffle sent to one output partition (``ignore_index``: numbered
    from 0, for shards that travelled without their labels)."""
    out = concat([p for p in parts if p is not None], ignore_index=ignore_index)
    return empty_partition_of(meta) if out is None else out


# -- sorting ----------------------------------------------------------------------------------
def sample_sort_key(obj: Any, by: Any, k: int = 64) -> tuple:
    """Evenly spaced values of the sorted first key column, with the rows each stands for (of a long partition:
    of the key of a fixed sample of its rows, which spares sorting all of them)."""
    col = obj.index.to_series() if by is None else obj[by]
    if library_of(col) == "pandas":  # (an Arrow dictionary: sorted by its codes, as pandas orders it)
        col = dictionary_as_categorical(col)
    rows = sample_positions(len(col))
    count = None if rows is None else int(col.count())
    col = (col if rows is None else col.take(rows)).dropna()
    if len(col) == 0:
        return (col.iloc[:0], 0.0)
    values = col.sort_values()
    positions = np.unique(np.linspace(0, len(values) - 1, min(k, len(values))).astype(int))
    return (values.iloc[positions].reset_index(drop=True), (count or len(values)) / len(positions))


def sort_boundaries(samples: list, n: int, ascending: bool = True) -> Any:
    """``n - 1`` partition boundaries from weighted samples (a sorted host Series)."""
    samples = [s for s in samples if len(s[0])]
    if not samples or n <= 1:
        return pd.Series([], dtype="float64")
    values = concat([_to_pandas(s[0]) for s in samples], ignore_index=True)
    weights = np.concatenate([np.full(len(s[0]), s[1]) for s in samples])
    order = np.argsort(sort_order_values(values), kind="stable")
    values, weights = values.iloc[order].reset_index(drop=True), np.cumsum(weights[order])
    targets = weights[-1] * np.arange(1, n) / n
    return values.iloc[np.searchsorted(weights, targets).clip(0, len(values) - 1)].reset_index(drop=True)


def concat_samples(parts: list, **_: Any) -> list:
    """Flatten lists of samples (tree-reduce combine step)."""
    out = []
    for p in parts:
        out.extend(p if isinstance(p, list) else [p])
    return out


def range_split(obj: Any, by: Any, boundaries: Any, ascending: bool = True, n: int | None = None,
                na_position: str = "last") -> list:
    """Split rows into ``n`` parts by where the first sort key falls among ``boundaries`` (NaN rows
    in the last part, or the first with ``na_position="first"``).

    There may be fewer than ``n - 1`` boundaries (few distinct values): some parts are then empty.
    """
    n = len(boundaries) + 1 if n is None else n
    target = range_targets(obj, by, boundaries, ascending, n, na_position)
    return split_by_target(obj, target.astype(_target_dtype(n), copy=False), n)  # (small: a radix sort)


def range_targets(obj: Any, by: Any, boundaries: Any, ascending: bool, n: int, na_position: str = "last") -> Any:
    """The output partition of each row (an int64 array) when sorting by ``by`` (None: the index)
    into ``n`` parts split at ``boundaries``; rows whose key is missing go last (``na_position``)."""
    col = obj.index.to_series() if by is None else obj[by]
    host = _to_pandas(col)
    target = np.asarray(positions_among(boundaries, host), dtype=np.int64) \
        if len(boundaries) else np.zeros(len(host), dtype=np.int64)
    if not ascending:
        target = n - 1 - target
    target[np.asarray(host.isna())] = 0 if na_position == "first" else n - 1
    return target


def sort_partition(obj: Any, by: list, ascending: Any, na_position: str = "last", ignore_index: bool = False,
                   by_value: tuple = ()) -> Any:
    """Sort one partition (stable); ``ignore_index``: its labels become ``0 .. n-1``; ``by_value``: categorical
    keys sorted by their values (unknown categories: the partition's are the union of its pieces', in order of
    appearance, while the partitions were split by value)."""
    if not by_value:
        fast = _sorted_by_one_key(obj, by, ascending, na_position, ignore_index)
        if fast is not None:
            return fast
        return obj.sort_values(by=by, ascending=ascending, na_position=na_position, ignore_index=ignore_index,
                               kind=stable_sort_kind(obj))
    keys = obj[list(by)].reset_index(drop=True)
    for column in by_value:
        keys[column] = keys[column].astype(keys[column].cat.categories.dtype)
    order = keys.sort_values(by=list(by), ascending=ascending, na_position=na_position, kind=stable_sort_kind(keys))
    out = obj.take(order.index.to_numpy())
    return out.reset_index(drop=True) if ignore_index else out


def _sorted_by_one_key(obj: Any, by: Any, ascending: Any, na_position: str, ignore_index: bool) -> Any:
    """The stable sort of a pandas frame by one numeric column, by :mod:`sort_fast` (None: another sort)."""
    if not isinstance(by, (list, tuple)) or len(by) != 1:
        return None
    ascending = ascending[0] if isinstance(ascending, (list, tuple)) and len(ascending) == 1 else ascending
    if not isinstance(ascending, (bool, np.bool_)):
        return None
    return sorted_by_key(obj, by[0], bool(ascending), na_position, ignore_index)


def set_index_partition(obj: Any, column: Any, drop: bool = True) -> Any:
    """``set_index`` then a stable ``sort_index``."""
    key = numeric_key(obj[column]) if is_dataframe_like(obj) and _names_one_column(obj, column) else None
    indexed = obj.set_index(column, drop=drop)
    if len(indexed) == 0 and is_dataframe_like(obj) and _names_one_column(obj, column) \
            and indexed.index.dtype != obj[column].dtype:  # pandas makes an empty int8 key an int64 index
        indexed.index = indexed.index.astype(obj[column].dtype)
    if key is not None:  # (the column's order, as pandas' sort_index: missing labels last)
        return indexed.take(stable_order(*key))
    return indexed.sort_index(kind=stable_sort_kind(indexed))


def _names_one_column(obj: Any, column: Any) -> bool:
    try:
        return column in obj.columns and obj.columns.is_unique
    except TypeError:  # (an unhashable key: an array of labels)
        return False


def with_values_column(obj: Any, name: Any, values: Any) -> Any:
    """``obj`` with a column ``name`` holding ``values`` (a Series or Index of as many rows) by position, as
    pandas' ``set_index(values)`` reads them: their own labels play no part."""
    if len(values) != len(obj):
        raise ValueError(f"set_index: a partition of the new index has {len(values)} values for {len(obj)} rows; "
                         "the index must be partitioned as the frame (derived from it row by row)")
    values = values.to_series() if is_index_like(values) else values
    values = values.reset_index(drop=True)
    values.index = obj.index
    return obj.assign(**{name: values})


def min_max(obj: Any, column: Any) -> tuple:
    """``(min, max, has_missing)`` of a column, or ``(None, None, has_missing)`` when it has no values."""
    col = obj[column] if column is not None else obj.index
    missing = bool(col.isna().any())
    if missing:
        col = col.dropna()
    if len(col) == 0:
        return None, None, missing
    if is_categorical(col.dtype) and not col.dtype.ordered:  # in the categories' order, as pandas sorts them
        codes = col.cat.codes if hasattr(col, "cat") else col.codes
        categories = col.cat.categories if hasattr(col, "cat") else col.categories
        return python_scalar(categories[int(codes.min())]), python_scalar(categories[int(codes.max())]), missing
    return python_scalar(col.min()), python_scalar(col.max()), missing


def top_n(parts: Any, n: int, by: list, ascending: Any, keep: str = "first", na_position: str = "last") -> Any:
    """The first ``n`` rows in sort order of one partition or a list of partitions (a list of one is
    an earlier top-n result, returned as it is)."""
    if isinstance(parts, list) and len(parts) == 1:
        return parts[0]
    obj = concat(parts) if isinstance(parts, list) else parts
    first = ascending[0] if isinstance(ascending, (list, tuple)) else ascending
    if isinstance(by, (list, tuple)) and by and isinstance(first, (bool, np.bool_)):
        candidates = top_n_candidates(obj, n, by[0], bool(first))  # (sorting only the rows that may be first)
        obj = obj if candidates is None else candidates
    return sort_partition(obj, by, ascending, na_position).head(n)


def nlargest(parts: Any, n: int, columns: Any, keep: str = "first", smallest: bool = False) -> Any:
    """``nlargest`` / ``nsmallest`` of one partition or a list of partitions (the final step: pandas' order)."""
    obj = concat(parts) if isinstance(parts, list) else parts
    method = "nsmallest" if smallest else "nlargest"
    if not is_dataframe_like(obj):
        return getattr(obj, method)(n, keep=keep)
    masked = _masked_numbers_with_na(obj, columns)
    if masked:  # pandas' nlargest of several columns loses rows where a nullable number is NA: NaN floats instead
        proxy = obj[list(columns)].astype({c: "float64" for c in masked}).reset_index(drop=True)
        picked = _frame_nlargest(proxy, method, n, columns, keep).index
        return obj.iloc[picked.to_numpy()]
    return _frame_nlargest(obj, method, n, columns, keep)


def _frame_nlargest(frame: Any, method: str, n: int, columns: Any, keep: str) -> Any:
    """``frame.nlargest(n, columns, keep=)`` (or ``nsmallest``).  pandas' selection by several columns raises
    IndexError where ``n`` lies between the first column's count of values and the number of rows (its
    missing values leave nothing to compare at the border): then the ordering of every row, cut after ``n``
    (and, with ``keep="all"``, after the rows tied with the ``n``-th on every column)."""
    try:
        return getattr(frame, method)(n, columns, keep=keep)
    except IndexError:
        if n >= len(frame):
            raise
    return on_host(_ordered_cut, frame, method, n, columns, keep)  # (a pandas-like library raised pandas' error)


def _ordered_cut(frame: Any, method: str, n: int, columns: Any, keep: str) -> Any:
    ordered = getattr(frame, method)(len(frame), columns, keep=keep)
    if keep != "all":
        return ordered.head(n)
    keys = ordered[[columns] if isinstance(columns, str) else list(columns)]
    border = keys.iloc[n - 1]
    tied = ((keys == border) | (keys.isna() & border.isna())).all(axis=1).to_numpy(copy=True)
    tied[:n] = True
    return ordered[tied]


def _masked_numbers_with_na(obj: Any, columns: Any) -> list:
    """pandas' nullable number columns among several ``columns`` that hold NA (none for cuDF, one column)."""
    columns = [columns] if isinstance(columns, str) or not isinstance(columns, (list, tuple)) else list(columns)
    if library_of(obj) != "pandas" or len(columns) < 2:
        return []
    return [c for c in columns if isinstance(obj[c].dtype, pd.api.extensions.ExtensionDtype)
            and getattr(obj[c].dtype, "kind", "O") in "iuf" and obj[c].dtype.na_value is pd.NA
            and bool(obj[c].isna().any())]


def nlargest_candidates(parts: Any, n: int, columns: Any, keep: str = "first", smallest: bool = False) -> Any:
    """The rows of one partition or a list of partitions that may be among the ``n`` largest (smallest), in their
    order in the collection: ``keep="first"``/``"last"`` break ties by that order when candidates meet.  One row
    more than ``n`` where there is one: pandas orders ties otherwise when it keeps every row (a sort) than when
    it picks some (``"last"``: the last first), and the final step must see which of the two the whole did."""
    obj = concat(parts) if isinstance(parts, list) else parts
    picked = nlargest(obj.reset_index(drop=True), n + 1, columns, keep, smallest)
    index = picked.index
    positions = sorted(int(p) for p in (index.to_pandas() if hasattr(index, "to_pandas") else index))
    return obj.iloc[positions]


def boundaries_from_samples(parts: list, n: int, ascending: bool = True) -> Any:
    """Final step of the sampling tree reduction of a sort."""
    return sort_boundaries(concat_samples(parts), n, ascending)


def unique_values(values: Any) -> Any:
    """Sorted distinct values of a host Series (boundaries without repeats)."""
    return values.drop_duplicates().reset_index(drop=True)


__all__ = [
    "boundaries_from_samples", "concat_samples", "concat_shards", "hash_split", "hash_targets", "min_max",
    "nlargest", "nlargest_candidates", "pick", "range_split", "range_targets", "sample_sort_key", "set_index_partition",
    "sort_boundaries", "sort_partition", "split_by_target", "take_pieces", "top_n", "unique_values", "with_values_column",
]
