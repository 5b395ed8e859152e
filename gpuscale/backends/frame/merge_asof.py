"""Partition functions of ``merge_asof`` (sorted keys, known divisions).

Each left partition is merged with the right rows that can be its matches: the right partitions whose
range overlaps its own, the last row of each ``by`` group of every earlier right partition (backward /
nearest) and the first row of each group of every later one (forward / nearest).  Any set of right
rows holding every row's best match gives pandas' answer, in pandas' order of ties.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import convert_library, library_of, namespace

__all__ = ["asof_edge_rows", "merge_asof_frames", "merge_asof_partition"]


def asof_edge_rows(part: Any, by: Any, last: bool) -> Any:
    """The last (``last``) or first row of each ``by`` group of a partition (of the whole partition
    without ``by``), in the partition's order."""
    if len(part) == 0:
        return part
    if by is None:
        return part.iloc[-1:] if last else part.iloc[:1]
    grouped = part.groupby(by, sort=False, dropna=False)
    return grouped.tail(1) if last else grouped.head(1)


def merge_asof_frames(left: Any, right: Any, **kwargs: Any) -> Any:
    """``merge_asof`` of two partitions: pandas' own; cuDF has none, so its partitions are merged on the
    host and copied back."""
    if library_of(left) == "pandas":
        return pd.merge_asof(left, right, **kwargs)
    from gpuscale.backends.convert import to_host

    return convert_library(pd.merge_asof(to_host(left), to_host(right), **kwargs), "cudf")


def merge_asof_partition(left: Any, right_meta: Any, rights: list, before: list, after: list, kwargs: dict,
                         restore: dict, meta: Any) -> Any:
    """Left partition ``left`` merged with its candidate right rows (``before`` + ``rights`` + ``after``, in
    key order).  ``restore`` says which side's key was moved to the index for planning and goes back to a
    column (``"left"``, ``"right"``), and under which column the left's own index was carried
    (``"left_index"``: ``(column, name)``, or None)."""
    if len(left) == 0:
        return meta
    pieces = [p for p in [*before, *rights, *after] if len(p)]
    right = namespace(left).concat(pieces) if pieces else right_meta
    if restore.get("left"):
        left = left.reset_index()
        if restore.get("left_index") is not None:
            column, name = restore["left_index"]
            left = left.set_index(column)
            left.index.name = name
    if restore.get("right"):
        right = right.reset_index()
    out = merge_asof_frames(left, right, **kwargs)
    return out[list(meta.columns)] if restore.get("left") or restore.get("right") else out
