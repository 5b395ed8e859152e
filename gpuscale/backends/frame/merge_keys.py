"""Merges of partitions whose categorical keys have different categories.

pandas keeps a categorical key column only when both sides' categories are equal; partitions of
collections with unknown categories (``astype("category")``) each have their own, so a partition-wise
merge would turn the key into its values.  Where both sides' categories are unknown, both sides' keys are
given the union of the categories first: the key stays categorical (with per-partition categories, unknown in
the metadata).  Where both sides' categories are known and differ, the merge is pandas' (the key holds its
values): ``unify_categories=False``.  A key of unknown categories merged with one of known categories holds
its values in every partition, as dask's metadata says (``key_categories_rule`` decides it all from the
metadata).
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from gpuscale.backends.frame.categorical import is_categorical, union_categories
from gpuscale.backends.frame.cudf_gaps import merge_indicated
from gpuscale.backends.frame.join import broadcast_merge
from gpuscale.backends.frame.ops import merge_chunks
from gpuscale.backends.frame.pandas_version import index_merge_names

__all__ = ["merge_parts", "broadcast_merge_parts", "key_categories_rule", "known_key_metas", "joined_key_dtypes",
           "divisions_in_value_order"]


def _key_values(frame: Any, keys: Any) -> list:
    """The key columns of one side (its index when ``keys`` is None), as (column or None, values)."""
    if keys is None:
        return [(None, frame.index)] if frame.index.nlevels == 1 else []
    return [(k, frame[k]) for k in keys if k in frame.columns]


def _key_pairs(left: Any, right: Any, kwargs: dict) -> list:
    """The merge's key pairs ``((left column or None, values), (right column or None, values))`` of
    :func:`_key_values`, as the merge's ``kwargs`` name them."""
    lkeys = None if kwargs.get("left_index") else list(kwargs.get("left_on") or [])
    rkeys = None if kwargs.get("right_index") else list(kwargs.get("right_on") or [])
    return list(zip(_key_values(left, lkeys), _key_values(right, rkeys)))


def _with_dtype(frame: Any, column: Any, dtype: Any) -> Any:
    frame = frame.copy(deep=False)
    if column is None:
        frame.index = frame.index.astype(dtype)
    else:
        frame[column] = frame[column].astype(dtype)
    return frame


def _recoded(frame: Any, column: Any, dtype: Any) -> Any:
    """``frame`` with its key ``column`` (None: the index) in the categorical ``dtype``; a categorical key is
    recoded to its categories, which may be its own in another order (``astype`` would keep the codes: pandas
    takes the dtypes for equal)."""
    frame = frame.copy(deep=False)
    if column is None:  # (via the values: cuDF's CategoricalIndex lacks set_categories)
        values = frame.index
        plain = values.astype(values.dtype.categories.dtype) if is_categorical(values.dtype) else values
        frame.index = plain.astype(dtype).rename(values.name)
    elif is_categorical(frame[column].dtype):
        frame[column] = frame[column].cat.set_categories(dtype.categories)
    else:
        frame[column] = frame[column].astype(dtype)
    return frame


def same_key_categories(left: Any, right: Any, kwargs: dict, unify: bool = True, values_keys: tuple = ()) -> tuple:
    """``(left, right, kept)``: ``left`` and ``right`` with each pair of categorical keys of different categories
    given the union of their categories (``unify``), or else turned into their values, as pandas' merge turns
    them (so that every partition's key, matched rows or none, has the dtype of the metadata's); the pairs whose
    left key (None: the index) is in ``values_keys`` are turned into their values whatever their categories;
    ``kept``: the keys pandas' result keeps categorical all the same (:func:`_kept_categorical`), for
    :func:`_with_kept_keys`."""
    kept: dict = {}
    for (lc, lv), (rc, rv) in _key_pairs(left, right, kwargs):
        if not (is_categorical(lv.dtype) and is_categorical(rv.dtype)):
            continue
        forced = lc in values_keys
        if not forced and permuted_categories(lv.dtype, rv.dtype):
            right = _recoded(right, rc, lv.dtype)
            kept.update(_kept_permuted(left, lc, rc, rv.dtype, kwargs.get("how", "inner")))
            continue
        union = union_categories([lv.dtype, rv.dtype])
        if union is None and not forced:
            continue
        if unify and not forced:
            left, right = _with_dtype(left, lc, union), _with_dtype(right, rc, union)
        else:
            kept.update(_kept_categorical(left, lc, lv.dtype, rc, rv.dtype, kwargs.get("how", "inner")))
            left = _with_dtype(left, lc, lv.dtype.categories.dtype)
            right = _with_dtype(right, rc, rv.dtype.categories.dtype)
    return left, right, kept


def permuted_categories(ldtype: Any, rdtype: Any) -> bool:
    """Whether two categorical dtypes are unordered with the same categories in another order: pandas' merge
    keeps such keys categorical (the dtypes compare equal), where cuDF's would turn them into the union or
    values; the right key is recoded to the left's dtype first, so both libraries merge equal dtypes."""
    from gpuscale.backends.frame.categorical import host_dtype

    lhost, rhost = host_dtype(ldtype), host_dtype(rdtype)
    if lhost.categories is None or rhost.categories is None or lhost.ordered or rhost.ordered:
        return False
    return lhost == rhost and not lhost.categories.equals(rhost.categories)


def _kept_permuted(left: Any, lc: Any, rc: Any, rdtype: Any, how: str) -> dict:
    """The right key of a :func:`permuted_categories` pair that pandas' result keeps in the right's own category
    order: a right key column of another name, and the right key column of a merge of the left index with it
    by an inner or right join (a left or outer join fills it from the left index, in the left's order)."""
    if rc is None:
        return {}
    if lc is None:
        return {rc: rdtype} if how in ("inner", "right") else {}
    return {rc: rdtype} if lc != rc and rc not in left.columns else {}


def _kept_categorical(left: Any, lc: Any, ldtype: Any, rc: Any, rdtype: Any, how: str) -> dict:
    """The key of a pair of different categories that pandas (3) keeps categorical, ``{column or None (the
    index): dtype}``: the right key column of keys named differently (only the left one holds values), the
    index kept whole by ``how="left"`` / ``"right"`` of a merge on both indexes (its own side's dtype)."""
    if lc is None and rc is None:
        return {None: ldtype} if how == "left" else {None: rdtype} if how == "right" else {}
    if lc is not None and rc is not None and lc != rc and rc not in left.columns:
        return {rc: rdtype}
    return {}


def _with_kept_keys(out: Any, kept: dict) -> Any:
    """``out`` with the keys of ``kept`` back in their categorical dtypes (their values are the side's, or
    missing)."""
    if not kept:
        return out
    for column, dtype in kept.items():
        if column is None or column in out.columns:
            out = _recoded(out, column, dtype)
    return out


def key_categories_rule(left_meta: Any, right_meta: Any, kwargs: dict) -> tuple[bool, list, tuple]:
    """``(unify, mismatched, values_keys)``: whether partitions' categorical keys must be given the union of their categories
    (both sides' categories are unknown in the metadata, so partitions differ), and the key pairs whose known
    categories differ (pandas turns those keys into their values; not an index kept whole by a left / right merge
    on both indexes, which keeps its categories).  A key of unknown categories merged with one of known categories
    holds its values, as in dask (whose metadata's placeholder categories differ from the known ones): its left
    key (None: the index) is in ``values_keys``, for :func:`same_key_categories`."""
    from gpuscale.backends.frame.categorical import has_known_categories, host_dtype

    unify, mismatched, values_keys = False, [], []
    for (lc, lv), (rc, rv) in _key_pairs(left_meta, right_meta, kwargs):
        if not (is_categorical(lv.dtype) and is_categorical(rv.dtype)) or permuted_categories(lv.dtype, rv.dtype):
            continue
        known = has_known_categories(lv), has_known_categories(rv)
        if not any(known):  # (each partition its own categories: their union keeps the key categorical)
            unify = True
        elif not all(known):  # (as dask: the known side's categories and unknown ones differ in the metadata)
            values_keys.append(lc)
        elif not host_dtype(lv.dtype).categories.equals(host_dtype(rv.dtype).categories):
            if lc is not None or rc is not None or kwargs.get("how") not in ("left", "right"):
                mismatched.append(lc if lc is not None else "index")
    return unify, mismatched, tuple(values_keys)


def known_key_metas(left_meta: Any, right_meta: Any, kwargs: dict) -> tuple:
    """Both sides' metadata with each key of unknown categories merged with one of known categories given the
    known side's dtype: its values are taken to be of the known categories' type (the metadata's placeholder
    categories are text, so its merge with number categories would be refused), for the metadata of a merge
    of such keys' values (:func:`key_categories_rule`)."""
    from gpuscale.backends.frame.categorical import is_unknown_categorical

    for (lc, lv), (rc, rv) in _key_pairs(left_meta, right_meta, kwargs):
        lunknown, runknown = is_unknown_categorical(lv.dtype), is_unknown_categorical(rv.dtype)
        if lunknown and is_categorical(rv.dtype) and not runknown:
            left_meta = _with_dtype(left_meta, lc, rv.dtype)
        elif runknown and is_categorical(lv.dtype) and not lunknown:
            right_meta = _with_dtype(right_meta, rc, lv.dtype)
    return left_meta, right_meta


def divisions_in_value_order(left_meta: Any, right_meta: Any) -> bool:
    """Whether both sides' divisions may be merged by comparing their values: not where an index is categorical
    (its divisions follow the order of its categories) unless both have the same known categories, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> unsorted = pd.DataFrame(index=pd.CategoricalIndex([], categories=["b", "a"]))
    >>> in_order = pd.DataFrame(index=pd.CategoricalIndex([], categories=["a", "b"]))
    >>> divisions_in_value_order(unsorted, unsorted), divisions_in_value_order(in_order, in_order)
    (False, True)
    """
    from gpuscale.backends.frame.categorical import has_known_categories, host_dtype

    lindex, rindex = left_meta.index, right_meta.index
    if not (is_categorical(lindex.dtype) or is_categorical(rindex.dtype)):
        return True
    if not (is_categorical(lindex.dtype) and is_categorical(rindex.dtype)) or lindex.nlevels != 1 \
            or not (has_known_categories(lindex) and has_known_categories(rindex)):
        return False
    lcats, rcats = host_dtype(lindex.dtype).categories, host_dtype(rindex.dtype).categories
    return bool(lcats.equals(rcats) and lcats.is_monotonic_increasing)


_KEY_KINDS = "iufMm"  # numbers, datetimes, timedeltas: kinds whose stand-in keys can be told apart


def joined_key_dtypes(left: Any, right: Any, kwargs: dict) -> dict:
    """The dtype of each key column that both sides name alike but hold in different dtypes (``on="k"`` of
    ``Int64`` and ``Float64``), in the merge of the two sides' dtypes where some rows match and some do not.

    pandas' dtype of such a key depends on the data: a right or outer merge keeps the left key's dtype when
    every row matches and else the common dtype of both keys (``Float64`` for ``Int64`` and ``Float64``), so the
    partitions of one merge would differ from each other and from the metadata.  Every partition's key (and the
    metadata's) is given the dtype of the usual case, where some rows match and some do not.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"k": pd.array([1], dtype="Int64")})
    >>> b = pd.DataFrame({"k": pd.array([1.5], dtype="Float64")})
    >>> joined_key_dtypes(a, b, {"how": "right", "left_on": ["k"], "right_on": ["k"]})
    {'k': Float64Dtype()}
    """
    if kwargs.get("how") not in ("inner", "left", "right", "outer") or kwargs.get("left_index") \
            or kwargs.get("right_index"):
        return {}
    names = zip(_listed(kwargs.get("left_on")), _listed(kwargs.get("right_on")))
    pairs = tuple((k, left[k].dtype, right[k].dtype) for k, rk in names
                  if k == rk and k in left.columns and k in right.columns
                  and _told_apart(left[k].dtype, right[k].dtype))
    if not pairs:
        return {}
    try:
        dtypes = _partly_matched_dtypes(tuple((ld, rd) for _, ld, rd in pairs), kwargs["how"])
    except (TypeError, ValueError):  # (a pair pandas does not merge: its own merge says so)
        return {}
    return {k: dt for (k, _, _), dt in zip(pairs, dtypes)}


def _told_apart(left: Any, right: Any) -> bool:
    """Different key dtypes whose stand-in keys :func:`_stand_in_keys` makes."""
    return left != right and getattr(left, "kind", "") in _KEY_KINDS and getattr(right, "kind", "") in _KEY_KINDS


def _listed(keys: Any) -> list:
    return list(keys) if isinstance(keys, (list, tuple)) else ([] if keys is None else [keys])


@functools.lru_cache(maxsize=256)
def _partly_matched_dtypes(pairs: tuple, how: str) -> tuple:
    """pandas' key dtypes of a ``how`` merge of keys of these dtype pairs where one row of each side matches
    and one does not (left keys 1 and 3, right keys 1 and 2)."""
    left = pd.DataFrame({i: _stand_in_keys([1, 3], ld) for i, (ld, _) in enumerate(pairs)})
    right = pd.DataFrame({i: _stand_in_keys([1, 2], rd) for i, (_, rd) in enumerate(pairs)})
    out = left.merge(right, on=list(range(len(pairs))), how=how)
    return tuple(out[i].dtype for i in range(len(pairs)))


def _stand_in_keys(values: list, dtype: Any) -> Any:
    """``values`` (small integers) as keys of ``dtype``: days for datetimes, seconds for timedeltas."""
    if dtype.kind == "M":
        stamps = pd.to_datetime(values, unit="D")
        tz = getattr(dtype, "tz", None)
        # (the same instants in every zone: keys of different zones match as pandas matches them)
        return pd.Series(stamps.tz_localize("UTC").tz_convert(tz) if tz is not None else stamps).astype(dtype)
    if dtype.kind == "m":
        return pd.Series(pd.to_timedelta(values, unit="s")).astype(dtype)
    return pd.Series(values).astype(dtype)


def _with_key_dtypes(out: Any, dtypes: dict) -> Any:
    """``out`` with its key columns in ``dtypes`` (see :func:`joined_key_dtypes`)."""
    changed = {k: dt for k, dt in dtypes.items() if k in out.columns and out[k].dtype != dt}
    return out.astype(changed) if changed else out


def _with_index_names(out: Any, left: Any, right: Any, kwargs: dict) -> Any:
    """``out`` (a merge of ``left`` and ``right`` on both indexes) with the index names pandas gives where both
    sides have rows (:func:`index_merge_names`).  Where a side is empty pandas takes the other's names (an inner
    merge of an empty left is named after the right), so partitions would disagree."""
    if not (kwargs.get("left_index") and kwargs.get("right_index")):
        return out
    names = index_merge_names(list(left.index.names), list(right.index.names), kwargs.get("how", "inner"))
    if out.index.nlevels != len(names) or list(out.index.names) == names:
        return out
    out = out.copy(deep=False)
    out.index = out.index.set_names(names)
    return out


def merge_parts(left: Any, right: Any, unify_categories: bool = True, values_keys: tuple = (), **kwargs: Any) -> Any:
    """``merge_chunks`` of two partitions whose categorical keys may have different categories (given their
    union first, or with ``unify_categories=False`` their values; those of ``values_keys`` their values, see
    :func:`same_key_categories`; ``indicator=`` as pandas also on cuDF, see :func:`merge_indicated`); keys of
    different dtypes get the dtype of :func:`joined_key_dtypes`."""
    left, right, kept = same_key_categories(left, right, kwargs, unify_categories, values_keys)
    out = merge_indicated(lambda lhs, rhs, kw: merge_chunks(lhs, rhs, **kw), left, right, kwargs)
    out = _with_kept_keys(_with_index_names(out, left, right, kwargs), kept)
    return _with_key_dtypes(out, joined_key_dtypes(left, right, kwargs))


def broadcast_merge_parts(big: Any, small: Any, kwargs: dict, big_is_left: bool) -> Any:
    """``broadcast_merge`` of a partition with the broadcast side, categorical keys of different categories unified
    first (``kwargs["unify_categories"]`` False: their values; ``indicator=`` as pandas also on cuDF, see
    :func:`merge_indicated`)."""
    def merge(lhs: Any, rhs: Any, kw: dict) -> Any:
        return broadcast_merge(lhs, rhs, kw, True) if big_is_left else broadcast_merge(rhs, lhs, kw, False)

    kwargs = dict(kwargs)
    unify, values_keys = kwargs.pop("unify_categories", True), kwargs.pop("values_keys", ())
    left, right = (big, small) if big_is_left else (small, big)
    new_left, new_right, kept = same_key_categories(left, right, kwargs, unify, values_keys)
    # (unchanged sides keep the broadcast side's cached key index)
    out = _with_index_names(merge_indicated(merge, new_left, new_right, kwargs), new_left, new_right, kwargs)
    out = _with_kept_keys(out, kept)
    return _with_key_dtypes(out, joined_key_dtypes(new_left, new_right, kwargs))
