"""A hash join of a much larger side with a small one, made cheap by dropping first the larger side's rows
that cannot match.

pandas' ``merge`` factorizes the keys of both sides into one hash table: with millions of rows on one side
that table outgrows the CPU caches and every row costs a cache miss, although the result holds only the
few rows that match the small side (TPC-H SF 10 Q12: 7.5M orders joined with 0.15M lineitems per
partition, 1.8 s). ``isin`` builds its table from the small side only and probes the large side against
it; merging what is left takes 0.17 s, with the same rows in the same order. cuDF joins on the GPU, where
this does not pay: its partitions are merged as they are.
"""

from __future__ import annotations

from typing import Any

from pandas.api.types import is_hashable

from gpuscale.backends.frame.core import library_of

__all__ = ["drop_unmatchable", "DROPPED_SIDES"]

RATIO = 4  # the larger side must have this many times the other's rows
MIN_ROWS = 50_000  # below this a merge is cheap anyway

# the sides whose rows without a match a join drops: both for an inner join, the other side for left/right
DROPPED_SIDES = {"inner": ("left", "right"), "left": ("right",), "right": ("left",)}


def drop_unmatchable(left: Any, right: Any, kwargs: dict) -> tuple[Any, Any]:
    """``left`` and ``right`` with the rows removed that ``left.merge(right, **kwargs)`` would drop for not
    matching, where one pandas side has at least :data:`RATIO` times the other's rows (one key only)."""
    how = kwargs.get("how", "inner")
    if how not in DROPPED_SIDES or library_of(left) != "pandas" or library_of(right) != "pandas":
        return left, right
    big_is_left = len(left) >= len(right)
    big, small = (left, right) if big_is_left else (right, left)
    if len(big) < MIN_ROWS or len(big) < RATIO * len(small) or ("left" if big_is_left else "right") \
            not in DROPPED_SIDES[how]:
        return left, right
    big_key, small_key = _key(big, kwargs, big_is_left), _key(small, kwargs, not big_is_left)
    if big_key is None or small_key is None:
        return left, right
    kept = big[big_key.isin(small_key)]
    return (kept, right) if big_is_left else (left, kept)


def _key(frame: Any, kwargs: dict, is_left: bool) -> Any:
    """The one key of a side as a Series or Index (None for several keys or a MultiIndex)."""
    side = "left" if is_left else "right"
    if kwargs.get(f"{side}_index"):
        return frame.index.to_series(index=frame.index) if frame.index.nlevels == 1 else None
    keys = kwargs.get(f"{side}_on") or kwargs.get("on")
    keys = [keys] if isinstance(keys, str) or not isinstance(keys, (list, tuple)) else list(keys)
    if len(keys) != 1 or not is_hashable(keys[0]):  # (an array of keys: left to pandas)
        return None
    if keys[0] in frame.columns:
        return frame[keys[0]]
    if keys[0] in (frame.index.names or ()):
        values = frame.index.get_level_values(keys[0])
        return values.to_series(index=frame.index)
    return None
