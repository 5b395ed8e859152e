"""Lookup tables of pandas indexes built before threads share them.

pandas before 3.0 builds an index's hash table lazily, on the first lookup, and threads looking values up
in the same fresh index at once can see it half-built: wrong misses (NaNs, lost join rows) or a spurious
``InvalidIndexError``.  Broadcast objects (the mapper of ``s.map(lazy_series)``, the small side of a
broadcast merge, a pandas Series in a plan as ``df.assign(c=series)``) are given to every partition's task, so
their tables are built once first.
"""

from __future__ import annotations

import threading
from typing import Any

from gpuscale.backends.frame.core import is_frame_like, library_of

__all__ = ["build_index_lookup", "share_lookup_table", "share_lookup_tables"]


def build_index_lookup(index: Any) -> bool:
    """Build a pandas index's hash table now, before threads share the index; True when it is unique.

    ``is_unique`` alone does not build it on a sorted index (uniqueness comes from the order there); one
    lookup does.  Callers serialise the call (their lock); later lookups only read.
    A non-unique index is left as it is (``get_indexer`` refuses it)."""
    if not index.is_unique:
        return False
    if len(index):
        index.get_indexer(index[:1])
    return True


_LOOKUP_TABLE_LOCK = threading.Lock()


def share_lookup_table(mapper: Any) -> None:
    """Build a pandas mapper's lookup table before threads share it (:func:`build_index_lookup`).

    ``s.map(lazy_series)`` and ``s.rename(series)`` give one mapper object to every partition's task
    (with pandas 2.2.3, 80 of 240 concurrent maps were wrong without it).  cuDF, which needs pandas 3,
    builds no such table."""
    index = getattr(mapper, "index", None)
    if index is not None and is_frame_like(mapper) and library_of(mapper) == "pandas":
        with _LOOKUP_TABLE_LOCK:
            build_index_lookup(index)


def share_lookup_tables(operands: Any) -> None:
    """:func:`share_lookup_table` of each pandas object among a node's literal ``operands`` (and in a list, tuple
    or dict among them): a host Series or frame in a plan (``df.assign(c=series)``, ``df.a + series``,
    ``fillna(series)``) is aligned with every partition in that partition's task (with pandas 2.2.3, 84 of 400
    such computations gave NaNs without it)."""
    for operand in operands:
        if isinstance(operand, dict):
            share_lookup_tables(operand.values())
        elif isinstance(operand, (list, tuple)) and len(operand) < 64:  # (not the partitions of a frame)
            share_lookup_tables(operand)
        elif is_frame_like(operand) and len(getattr(operand, "index", ())):  # (an Index has no index)
            share_lookup_table(operand)
