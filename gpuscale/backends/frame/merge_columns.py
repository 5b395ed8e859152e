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

import pandas as pd

from gpuscale.backends.frame.core import _to_pandas, library_of, namespace

__all__ = ["in_pandas_column_order", "merged_keeping_index_levels", "missing_labels", "check_merge_key_options"]


def missing_labels(like: Any, n: int) -> Any:
    """``n`` missing labels of ``like``'s kind (the index of merged rows whose labelling side had no match): an
    empty Series of its dtype reindexed, which gives pandas' NaN of float64 for integers (as its merge gives)
    and cuDF's nulls of the dtype itself."""
    ns = namespace(like)
    return ns.Index(ns.Series([], dtype=like.dtype).reindex(list(range(n))), name=like.name)


def in_pandas_column_order(out: Any, left: Any, right: Any, kwargs: dict) -> Any:
    """``out`` (``left.merge(right, **kwargs)``) with its columns in pandas' order: cuDF right merges only."""
    if kwargs.get("how") != "right" or library_of(out) != "cudf" or not out.columns.is_unique:
        return out
    order = list(_to_pandas(left.head(0)).merge(_to_pandas(right.head(0)), **kwargs).columns)
    if order == list(out.columns) or sorted(map(str, order)) != sorted(map(str, out.columns)):
        return out
    return out[order]


def merged_keeping_index_levels(left: Any, right: Any, kwargs: dict) -> Any:
    """``left.merge(right, **kwargs)`` for cuDF partitions whose ``left_on``/``right_on`` name index levels under
    different key pairs (``["idx", "k"]`` with ``["idx", "v"]``): cuDF then gives a RangeIndex (it keeps the
    index only when every pair has one name), pandas the levels; the levels merge as columns and become the
    index again.  None where cuDF's own merge already answers as pandas."""
    if library_of(left) != "cudf" or kwargs.get("on") is not None or kwargs.get("left_index") \
            or kwargs.get("right_index") or kwargs.get("left_on") is None or kwargs.get("right_on") is None:
        return None
    left_on, right_on = _listed(kwargs["left_on"]), _listed(kwargs["right_on"])
    left_levels = [k for k in left_on if k in left.index.names and k not in left.columns]
    right_levels = [k for k in right_on if k in right.index.names and k not in right.columns]
    if not (left_levels or right_levels) or all(a == b for a, b in zip(left_on, right_on)):
        return None
    expected = _to_pandas(left.head(0)).merge(_to_pandas(right.head(0)), **kwargs)
    names = [n for n in expected.index.names if n is not None]
    if not names:
        return None
    out = _levels_as_columns(left, left_levels).merge(_levels_as_columns(right, right_levels), **kwargs)
    return out.set_index(names)[list(expected.columns)]


def _listed(keys: Any) -> list:
    return list(keys) if isinstance(keys, (list, tuple)) else [keys]


def _levels_as_columns(frame: Any, levels: list) -> Any:
    return frame.reset_index(level=levels) if levels else frame


def check_merge_key_options(on: Any, left_on: Any, right_on: Any, left_index: bool, right_index: bool) -> None:
    """pandas' ``MergeError`` (in pandas' words) for merge keys pandas refuses: ``on=`` with ``left_on``/
    ``right_on`` or ``*_index=True``, both ``left_on`` and ``left_index=True``, or keys for one side only.

    Examples
    --------
    >>> check_merge_key_options(None, "k", None, False, False)
    Traceback (most recent call last):
    ...
    pandas.errors.MergeError: Must pass "right_on" OR "right_index".
    """
    error = _merge_key_options_error(on, left_on, right_on, left_index, right_index)
    if error:
        raise pd.errors.MergeError(error)


def _merge_key_options_error(on: Any, left_on: Any, right_on: Any, left_index: bool, right_index: bool) -> str:
    if on is not None:
        if left_on is not None or right_on is not None:
            return 'Can only pass argument "on" OR "left_on" and "right_on", not a combination of both.'
        if left_index or right_index:
            return 'Can only pass argument "on" OR "left_index" and "right_index", not a combination of both.'
        return ""
    for side, other in (("left", "right"), ("right", "left")):
        keys, by_index = (left_on, left_index) if side == "left" else (right_on, right_index)
        other_keys, other_index = (right_on, right_index) if side == "left" else (left_on, left_index)
        if keys is not None and by_index:
            return f'Can only pass argument "{side}_on" OR "{side}_index" not both.'
        if keys is not None and other_keys is None and not other_index:
            return f'Must pass "{other}_on" OR "{other}_index".'
        if by_index and other_keys is None and not other_index:
            return f"Must pass {other}_on or {other}_index=True"
    return ""
