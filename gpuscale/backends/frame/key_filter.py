"""Runtime join filters: the key values of one side of a join, collected while the query runs, drop the other
side's rows that cannot match before that side is shuffled.

A join of a filtered table with a large one (TPC-H Q12: the year's 600 thousand MAIL/SHIP lineitems with all 15
million orders) shuffles the large side whole, although only the rows whose key the small side holds reach the
result.  The small side's distinct keys (a tree reduction of ``join_keys_chunk`` / ``join_keys_combine`` /
``join_keys_finish``) go to every partition of the large side, which keeps only its matching rows
(``keep_join_matches``) before its shuffle.  Dropping rows that cannot match never changes a join's result, so
a key set that grows past ``MAX_KEYS`` is given up (``None``: nothing is dropped).

Integer keys of NumPy dtypes are looked up in a bitmap over their range (a few nanoseconds a row, no hash table
built per partition); other keys, and cuDF partitions, through the library's ``isin``.  Rows whose key is
missing are always kept: pandas matches missing keys with missing keys, and keeping a row is always safe.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import library_of, namespace

__all__ = ["join_keys_chunk", "join_keys_combine", "join_keys_finish", "keep_join_matches", "JoinKeys", "MAX_KEYS"]

MAX_KEYS = 4_000_000  # above this the key set costs more to send and probe than the rows it might drop
MAX_BITMAP_BITS = 1 << 28  # a bitmap of at most 32 MiB


class JoinKeys:
    """The distinct keys of one join side: a bitmap over ``[low, low + span)`` for integers, else the values."""

    __slots__ = ("values", "bits", "low", "span")

    def __init__(self, values: Any, bits: Any = None, low: int = 0, span: int = 0) -> None:
        self.values, self.bits, self.low, self.span = values, bits, low, span

    def __repr__(self) -> str:
        kind = f"bitmap over [{self.low}, {self.low + self.span})" if self.bits is not None else "values"
        return f"<JoinKeys: {kind}>"


def _key_of(frame: Any, key: Any) -> Any:
    """The join key of a partition as a Series on the partition's index: column ``key``, or the index (None)."""
    return frame.index.to_series() if key is None else frame[key]


def join_keys_chunk(frame: Any, key: Any) -> Any:
    """The distinct key values of one partition (a Series of the partition's library)."""
    return _key_of(frame, key).drop_duplicates().reset_index(drop=True)


def join_keys_combine(parts: list, max_keys: int | None = None) -> Any:
    """The distinct values of several partials, or None once they are more than ``max_keys`` (default
    :data:`MAX_KEYS`) or one of them is None."""
    if any(part is None for part in parts):
        return None
    max_keys = MAX_KEYS if max_keys is None else max_keys
    values = namespace(parts[0]).concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    values = values.drop_duplicates().reset_index(drop=True)
    return None if len(values) > max_keys else values


def join_keys_finish(parts: list, max_keys: int | None = None) -> JoinKeys | None:
    """The key set of the whole side, as a bitmap where the keys are NumPy integers of a small enough range."""
    values = join_keys_combine(parts, max_keys)
    if values is None:
        return None
    if library_of(values) == "pandas" and _numpy_integers(values) and len(values):
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        if span <= MAX_BITMAP_BITS and -(1 << 62) < low and high < (1 << 62):
            flags = np.zeros(span, dtype=bool)
            flags[values.to_numpy().astype(np.int64, copy=False) - low] = True
            return JoinKeys(None, np.packbits(flags, bitorder="little"), low, span)
    return JoinKeys(values)


def _numpy_integers(series: Any) -> bool:
    dtype = series.dtype
    return isinstance(dtype, np.dtype) and dtype.kind in "iu"


def keep_join_matches(frame: Any, keys: JoinKeys | None, key: Any) -> Any:
    """The rows of ``frame`` whose join key (column ``key``, the index when None) may be in ``keys``; all rows
    when ``keys`` is None."""
    if keys is None:
        return frame
    values = _key_of(frame, key)
    if keys.bits is None:
        return frame[values.isin(keys.values) | values.isna()]  # a mask on the frame's own index
    if library_of(frame) == "pandas" and _numpy_integers(values):
        return frame[_in_bitmap(values.to_numpy(), keys)]
    return frame  # integer keys met with keys of another kind: nothing dropped (always safe)


def _in_bitmap(values: np.ndarray, keys: JoinKeys) -> np.ndarray:
    """Whether each integer is set in the bitmap (False outside its range)."""
    # int64 arithmetic: a uint64 above 2**63 wraps to a negative number, which at worst keeps a row (safe)
    offsets = values.astype(np.int64, copy=False) - keys.low
    inside = (offsets >= 0) & (offsets < keys.span)
    offsets = np.where(inside, offsets, 0).astype(np.int64, copy=False)
    return inside & ((keys.bits[offsets >> 3] >> (offsets & 7).astype(np.uint8)) & 1).astype(bool)
