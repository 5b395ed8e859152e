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
from gpuscale.backends.frame.merge_columns import in_pandas_column_order

__all__ = ["broadcast_merge"]

# reentrant: building a key index allocates, which may run the garbage collector and with it the
# weak-reference callback of a dead frame (``_forget``) in this same thread, while the lock is held
_LOCK = threading.RLock()
# id(broadcast frame) -> (weak reference to it, {its key columns (None: the index) -> unique key index or None});
# per key columns: one frame is broadcast in merges on different keys (on="k", then on=["k", "s"])
_KEY_INDEXES: dict = {}


def broadcast_merge(big: Any, small: Any, kwargs: dict, big_is_left: bool) -> Any:
    """``big.merge(small, **kwargs)`` (or ``small.merge(big, ...)``) for a broadcast ``small`` side."""
    small_keys, big_keys = _key_spec(kwargs, big_is_left)
    subset = _matching_rows(small, small_keys, big, big_keys)
    left, right = (big, subset) if big_is_left else (subset, big)
    return in_pandas_column_order(left.merge(right, **kwargs), left, right, kwargs)


def _key_spec(kwargs: dict, big_is_left: bool) -> tuple:
    """The key columns (None: the index) of the small and the big side."""
    left = None if kwargs.get("left_index") else list(kwargs["left_on"])
    right = None if kwargs.get("right_index") else list(kwargs["right_on"])
    return (right, left) if big_is_left else (left, right)


def _matching_rows(small: Any, small_keys: Any, big: Any, big_keys: Any) -> Any:
    """The rows of ``small`` whose key occurs in ``big`` (all of ``small`` when keys repeat)."""
    index = _key_index(small, small_keys)
    if index is None or library_of(big) != "pandas":
        return small
    positions = index.get_indexer(_keys_of(big, big_keys))
    return small.take(np.unique(positions[positions >= 0]))


def _key_index(small: Any, keys: Any) -> Any:
    """The cached unique index of ``small``'s keys, built once per broadcast frame."""
    if library_of(small) != "pandas":
        return None
    spec = None if keys is None else tuple(keys)
    with _LOCK:
        cached = _KEY_INDEXES.get(id(small))
        if cached is None or cached[0]() is not small:
            cached = _KEY_INDEXES[id(small)] = (weakref.ref(small, _forget(id(small))), {})
        if spec not in cached[1]:
            index = _keys_of(small, keys)
            cached[1][spec] = index if index.is_unique else None  # the hash table is built here, under the lock
        return cached[1][spec]


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
