"""Broadcast merges: each partition of the big side meets only the rows of the small side it can match.

pandas' ``merge`` hashes the keys of both sides on every call, so merging a
large broadcast side into many partitions rebuilds the same hash table again
and again.  Here the broadcast side's keys become an index once (pandas
caches its hash table), each partition looks its keys up in it, and pandas
merges the partition with just the matching rows: the result is exactly
pandas', at the cost of the partition's size rather than the whole side's.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import library_of
from gpuscale.backends.frame.lookup import build_index_lookup
from gpuscale.backends.frame.ops import merged_pair

try:  # private to pandas (stable since 1.0): without it, lookups go through the index's get_indexer
    from pandas._libs.hashtable import Int64HashTable as _Int64HashTable
except ImportError:  # pragma: no cover - another pandas
    _Int64HashTable = None

__all__ = ["broadcast_merge", "cross_merge", "check_cross_keys", "check_unique_merge_keys"]

# pandas' index engine looks keys up in a sorted index of this many values or more by bisection, without a
# hash table (its memory is spared): ~20x slower than hashing for 10k keys in 2M (a TPC-H dimension table)
_BISECTED_SIZE = 1_000_000

# reentrant: building a key index allocates, which may run the garbage collector and with it the
# weak-reference callback of a dead frame (``_forget``) in this same thread, while the lock is held
_LOCK = threading.RLock()
# id(broadcast frame) -> (weak reference to it, {its key columns (None: the index) -> unique key index or None});
# per key columns: one frame is broadcast in merges on different keys (on="k", then on=["k", "s"])
_KEY_INDEXES: dict = {}


def cross_merge(left: Any, right: Any, suffixes: tuple = ("_x", "_y")) -> Any:
    """Every row of ``left`` with every row of ``right`` (``how="cross"``; pandas and cuDF alike), the rows of
    ``right`` for each row of ``left`` in turn.

    Examples
    --------
    >>> cross_merge(pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"b": ["x", "y"]})).values.tolist()
    [[1, 'x'], [1, 'y'], [2, 'x'], [2, 'y']]
    """
    return left.merge(right, how="cross", suffixes=suffixes)


def check_cross_keys(*keys: Any) -> None:
    """pandas' ``MergeError`` for a cross merge given keys (``on=``, ``left_index=True`` ...)."""
    if any(key not in (None, False) for key in keys):
        raise pd.errors.MergeError("Can not pass on, right_on, left_on or set right_index=True or left_index=True")


def check_unique_merge_keys(part: Any, *most_repeated: Any, sides: tuple = (), validate: str = "") -> Any:
    """``part`` (a partition of a merge's result) once the keys of ``sides`` are known unique (``most_repeated``:
    how often each side's commonest key occurs); pandas' ``MergeError`` otherwise, in pandas' words.

    Examples
    --------
    >>> check_unique_merge_keys(pd.DataFrame({"k": [1]}), 2, sides=("right",), validate="m:1")
    Traceback (most recent call last):
    ...
    pandas.errors.MergeError: Merge keys are not unique in right dataset; not a many-to-one merge
    """
    repeated = [side for side, count in zip(sides, most_repeated) if count is not None and count > 1]
    if repeated:
        kind = {("left", "right"): "one-to-one", ("left",): "one-to-many", ("right",): "many-to-one"}[tuple(sides)]
        where, end = ("either left or right", ".") if len(repeated) == 2 else (repeated[0], "")
        raise pd.errors.MergeError(f"Merge keys are not unique in {where} dataset; not a {kind} merge{end}")
    return part


def broadcast_merge(big: Any, small: Any, kwargs: dict, big_is_left: bool) -> Any:
    """``big.merge(small, **kwargs)`` (or ``small.merge(big, ...)``) for a broadcast ``small`` side."""
    small_keys, big_keys = _key_spec(kwargs, big_is_left)
    subset = _matching_rows(small, small_keys, big, big_keys)
    left, right = (big, subset) if big_is_left else (subset, big)
    return merged_pair(left, right, kwargs)


def _key_spec(kwargs: dict, big_is_left: bool) -> tuple:
    """The key columns (None: the index) of the small and the big side."""
    left = None if kwargs.get("left_index") else list(kwargs["left_on"])
    right = None if kwargs.get("right_index") else list(kwargs["right_on"])
    return (right, left) if big_is_left else (left, right)


def _matching_rows(small: Any, small_keys: Any, big: Any, big_keys: Any) -> Any:
    """The rows of ``small`` whose key occurs in ``big`` (all of ``small`` when keys repeat)."""
    found = _key_index(small, small_keys)
    if found is None or library_of(big) != "pandas":
        return small
    index, table = found
    keys = _keys_of(big, big_keys)
    if table is not None and type(keys) is pd.Index and keys.dtype == np.int64:
        positions = table.lookup(keys.to_numpy())
    else:
        positions = index.get_indexer(keys)
    return small.take(np.unique(positions[positions >= 0]))


def _key_index(small: Any, keys: Any) -> tuple | None:
    """The cached unique index of ``small``'s keys and, for a big sorted int64 one, a hash table of its values
    (:func:`_hash_table`); built once per broadcast frame.  None where the keys repeat."""
    if library_of(small) != "pandas":
        return None
    spec = None if keys is None else tuple(keys)
    with _LOCK:
        cached = _KEY_INDEXES.get(id(small))
        if cached is None or cached[0]() is not small:
            cached = _KEY_INDEXES[id(small)] = (weakref.ref(small, _forget(id(small))), {})
        if spec not in cached[1]:
            index = _keys_of(small, keys)  # the hash tables are built here, under the lock
            cached[1][spec] = (index, _hash_table(index)) if build_index_lookup(index) else None
        return cached[1][spec]


def _hash_table(index: Any) -> Any:
    """A hash table from the values of a unique int64 ``index`` to their positions where pandas' engine would
    bisect (a sorted index of ``_BISECTED_SIZE`` values or more), else None (the engine hashes, or the private
    table is not there)."""
    if _Int64HashTable is None or type(index) is not pd.Index or index.dtype != np.int64 \
            or len(index) < _BISECTED_SIZE or not index.is_monotonic_increasing:
        return None
    table = _Int64HashTable(len(index))
    table.map_locations(index.to_numpy())
    return table


def _forget(key: int) -> Any:
    def drop(_ref: Any) -> None:
        with _LOCK:
            _KEY_INDEXES.pop(key, None)
    return drop


def _keys_of(frame: Any, keys: Any) -> Any:
    if keys is None:
        return frame.index
    if any(k not in frame.columns for k in keys):  # keys naming index levels, as pandas' merge takes them
        values = [frame[k] if k in frame.columns else frame.index.get_level_values(k) for k in keys]
        return pd.Index(values[0], copy=False) if len(keys) == 1 else pd.MultiIndex.from_arrays(values)
    if len(keys) == 1:
        return pd.Index(frame[keys[0]], copy=False)
    return pd.MultiIndex.from_frame(frame[keys])
