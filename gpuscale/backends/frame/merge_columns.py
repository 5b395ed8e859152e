"""The column order of a right merge on cuDF.

cuDF has no right join of its own: ``DataFrame.merge(how="right")`` merges the swapped frames with
``how="left"`` and moves the columns back by position, assuming the key columns come first (read from
cuDF 26.10), so where they do not (``on="k"`` of frames ``[v, k]``, ``left_on``/``right_on`` of different
names, index keys) its columns are in another order than pandas' (``['k', 'v_y', 'v_x']`` for
``['k', 'v_x', 'v_y']``), and partitions would disagree with the metadata.  The order pandas gives is read
from a merge of the empty host frames (metadata only) and the result's columns put in it, on the device.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import _to_pandas, library_of

__all__ = ["in_pandas_column_order"]


def in_pandas_column_order(out: Any, left: Any, right: Any, kwargs: dict) -> Any:
    """``out`` (``left.merge(right, **kwargs)``) with its columns in pandas' order: cuDF right merges only."""
    if kwargs.get("how") != "right" or library_of(out) != "cudf" or not out.columns.is_unique:
        return out
    order = list(_to_pandas(left.head(0)).merge(_to_pandas(right.head(0)), **kwargs).columns)
    if order == list(out.columns) or sorted(map(str, order)) != sorted(map(str, out.columns)):
        return out
    return out[order]
