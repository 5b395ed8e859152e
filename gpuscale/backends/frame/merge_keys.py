"""Merges of partitions whose categorical keys have different categories.

pandas keeps a categorical key column only when both sides' categories are equal; partitions of
collections with unknown categories (``astype("category")``) each have their own, so a partition-wise
merge would turn the key into its values.  As dask, both sides' keys are given the union of the
categories first: the key stays categorical (with per-partition categories, unknown in the metadata).
Where both sides' categories are known and differ, the merge is pandas' (the key holds its values):
``unify_categories=False`` (``key_categories_rule`` decides it from the metadata).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.categorical import is_categorical, union_categories
from gpuscale.backends.frame.cudf_gaps import merge_indicated
from gpuscale.backends.frame.join import broadcast_merge
from gpuscale.backends.frame.ops import merge_chunks

__all__ = ["merge_parts", "broadcast_merge_parts", "key_categories_rule"]


def _key_values(frame: Any, keys: Any) -> list:
    """The key columns of one side (its index when ``keys`` is None), as (column or None, values)."""
    if keys is None:
        return [(None, frame.index)] if frame.index.nlevels == 1 else []
    return [(k, frame[k]) for k in keys if k in frame.columns]


def _with_dtype(frame: Any, column: Any, dtype: Any) -> Any:
    frame = frame.copy(deep=False)
    if column is None:
        frame.index = frame.index.astype(dtype)
    else:
        frame[column] = frame[column].astype(dtype)
    return frame


def same_key_categories(left: Any, right: Any, kwargs: dict, unify: bool = True) -> tuple:
    """``left`` and ``right`` with each pair of categorical keys of different categories given the union of their
    categories (``unify``), or else turned into their values, as pandas' merge turns them (so that every
    partition's key, matched rows or none, has the dtype of the metadata's)."""
    lkeys = None if kwargs.get("left_index") else list(kwargs.get("left_on") or [])
    rkeys = None if kwargs.get("right_index") else list(kwargs.get("right_on") or [])
    for (lc, lv), (rc, rv) in zip(_key_values(left, lkeys), _key_values(right, rkeys)):
        if is_categorical(lv.dtype) and is_categorical(rv.dtype):
            union = union_categories([lv.dtype, rv.dtype])
            if union is None:
                continue
            if unify:
                left, right = _with_dtype(left, lc, union), _with_dtype(right, rc, union)
            else:
                left = _with_dtype(left, lc, lv.dtype.categories.dtype)
                right = _with_dtype(right, rc, rv.dtype.categories.dtype)
    return left, right


def key_categories_rule(left_meta: Any, right_meta: Any, kwargs: dict) -> tuple[bool, list]:
    """``(unify, mismatched)``: whether partitions' categorical keys must be given the union of their categories
    (a side's categories are unknown in the metadata, so partitions differ), and the key pairs whose known
    categories differ (pandas turns those keys into their values)."""
    from gpuscale.backends.frame.categorical import has_known_categories, host_dtype

    lkeys = None if kwargs.get("left_index") else list(kwargs.get("left_on") or [])
    rkeys = None if kwargs.get("right_index") else list(kwargs.get("right_on") or [])
    unify, mismatched = False, []
    for (lc, lv), (rc, rv) in zip(_key_values(left_meta, lkeys), _key_values(right_meta, rkeys)):
        if not (is_categorical(lv.dtype) and is_categorical(rv.dtype)):
            continue
        if not (has_known_categories(lv) and has_known_categories(rv)):
            unify = True
        elif not host_dtype(lv.dtype).categories.equals(host_dtype(rv.dtype).categories):
            mismatched.append(lc if lc is not None else "index")
    return unify, mismatched


def merge_parts(left: Any, right: Any, unify_categories: bool = True, **kwargs: Any) -> Any:
    """``merge_chunks`` of two partitions whose categorical keys may have different categories (given their
    union first, or with ``unify_categories=False`` their values; ``indicator=`` as pandas also on cuDF, see
    :func:`merge_indicated`)."""
    left, right = same_key_categories(left, right, kwargs, unify_categories)
    return merge_indicated(lambda lhs, rhs, kw: merge_chunks(lhs, rhs, **kw), left, right, kwargs)


def broadcast_merge_parts(big: Any, small: Any, kwargs: dict, big_is_left: bool) -> Any:
    """``broadcast_merge`` of a partition with the broadcast side, categorical keys of different categories unified
    first (``kwargs["unify_categories"]`` False: their values; ``indicator=`` as pandas also on cuDF, see
    :func:`merge_indicated`)."""
    def merge(lhs: Any, rhs: Any, kw: dict) -> Any:
        return broadcast_merge(lhs, rhs, kw, True) if big_is_left else broadcast_merge(rhs, lhs, kw, False)

    kwargs = dict(kwargs)
    unify = kwargs.pop("unify_categories", True)
    left, right = (big, small) if big_is_left else (small, big)
    new_left, new_right = same_key_categories(left, right, kwargs, unify)
    # (unchanged sides keep the broadcast side's cached key index)
    return merge_indicated(merge, new_left, new_right, kwargs)
