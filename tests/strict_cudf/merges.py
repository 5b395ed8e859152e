"""cuDF's ``DataFrame.merge(how="right")`` column order, emulated on pandas objects.

cuDF has no right join of its own (read from cuDF 26.10, ``DataFrame.merge``): it merges the swapped frames with
``how="left"`` (suffixes swapped) and then moves the columns back by position, assuming the key columns come
first: ``[keys (k), right's other columns, left's other columns]`` becomes ``[keys, left's, right's]``, with
``k`` the length of ``on=`` or the number of same-named ``left_on``/``right_on`` pairs, 0 with index keys.
Where the keys are not the right frame's first columns, or an index is a key, the order differs from pandas'
(``['k', 'v_y', 'v_x']`` for pandas' ``['k', 'v_x', 'v_y']``).  Keys inferred from common columns are
reordered by label, as pandas.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def _listed(keys: Any) -> list:
    return [keys] if pd.api.types.is_scalar(keys) else list(keys)


def right_merge_columns(left: pd.DataFrame, right: pd.DataFrame, kwargs: dict) -> list | None:
    """The column labels of cuDF's ``left.merge(right, how="right", **kwargs)`` in cuDF's order (None: pandas')."""
    on, left_on, right_on = kwargs.get("on"), kwargs.get("left_on"), kwargs.get("right_on")
    left_index, right_index = bool(kwargs.get("left_index")), bool(kwargs.get("right_index"))
    if on is None and left_on is None and right_on is None and not left_index and not right_index:
        return None  # keys inferred from the common columns: cuDF reorders by label
    suffixes = tuple(kwargs.get("suffixes", ("_x", "_y")))
    swapped = {"how": "left", "on": on, "left_on": right_on, "right_on": left_on, "left_index": right_index,
               "right_index": left_index, "suffixes": (suffixes[1], suffixes[0])}
    labels = list(right.iloc[:0].merge(left.iloc[:0], **swapped).columns)
    if on is not None:
        k = len(_listed(on))
    elif left_on is not None and right_on is not None and not left_index and not right_index:
        k = sum(a == b for a, b in zip(_listed(left_on), _listed(right_on)))
    else:
        k = 0
    n_right, n = right.shape[1], len(labels)
    return labels[:k] + labels[n_right:] + labels[k:n_right] if k < n_right < n else labels


def _drops_the_index(left: pd.DataFrame, right: pd.DataFrame, kwargs: dict) -> bool:
    """Whether cuDF gives a RangeIndex where pandas keeps index levels: ``left_on``/``right_on`` naming index
    levels, unless every key pair has one name (``Merge._merge_results``: the index is kept with the
    ``*_index`` flags or when "the *same* index level is used as the key on both sides")."""
    if kwargs.get("on") is not None or kwargs.get("left_index") or kwargs.get("right_index"):
        return False
    left_on, right_on = kwargs.get("left_on"), kwargs.get("right_on")
    if left_on is None or right_on is None:
        return False
    left_on, right_on = _listed(left_on), _listed(right_on)
    levels = any(k in left.index.names and k not in left.columns for k in left_on) or \
        any(k in right.index.names and k not in right.columns for k in right_on)
    return levels and not all(a == b for a, b in zip(left_on, right_on))


def cudf_merge(left: pd.DataFrame, result: pd.DataFrame, args: tuple, kwargs: dict) -> pd.DataFrame:
    """pandas' ``left.merge(...)`` result as cuDF's: a right join's column order (see the module docstring),
    no index where ``left_on``/``right_on`` name index levels under different key pairs."""
    right = kwargs.get("right", args[0] if args else None)
    how = kwargs.get("how", args[1] if len(args) > 1 else "inner")
    if isinstance(right, pd.DataFrame) and isinstance(result, pd.DataFrame) and _drops_the_index(left, right, kwargs):
        result = result.reset_index(drop=True)
    if how != "right" or not isinstance(right, pd.DataFrame) or not isinstance(result, pd.DataFrame):
        return result
    labels = right_merge_columns(left, right, {k: v for k, v in kwargs.items() if k not in ("right", "how")})
    if labels is None or sorted(map(str, labels)) != sorted(map(str, result.columns)) or not result.columns.is_unique:
        return result
    return result[labels]


_SEMI_ANTI = ("leftsemi", "leftanti")


def merge(left: pd.DataFrame, right: Any, *args: Any, **kwargs: Any) -> pd.DataFrame:
    """``pd.merge`` that also takes cuDF's ``how="leftsemi"``/``"leftanti"`` (``DataFrame.merge``, read from cuDF
    26.10): the rows of ``left`` with (without) a matching key in ``right``, only ``left``'s columns, under a
    RangeIndex unless index keys are used."""
    how = kwargs.get("how", args[0] if args else "inner")
    if how not in _SEMI_ANTI:
        return pd.merge(left, right, *args, **kwargs)
    if args:
        kwargs = {**kwargs, "how": args[0]}
    on, left_on, right_on = kwargs.get("on"), kwargs.get("left_on"), kwargs.get("right_on")
    if on is None and left_on is None and right_on is None and not kwargs.get("left_index"):
        on = [c for c in left.columns if c in right.columns]
    left_keys = _keys(left, on if on is not None else left_on, kwargs.get("left_index"))
    right_keys = _keys(right, on if on is not None else right_on, kwargs.get("right_index"))
    matched = left_keys.isin(right_keys)
    out = left[matched if how == "leftsemi" else ~matched]
    return out if kwargs.get("left_index") or kwargs.get("right_index") else out.reset_index(drop=True)


def _keys(frame: pd.DataFrame, keys: Any, by_index: Any) -> pd.MultiIndex:
    """The key values of ``frame``'s rows as a MultiIndex (its index with ``by_index``)."""
    if by_index:
        return pd.MultiIndex.from_frame(frame.index.to_frame(index=False))
    listed = _listed(keys)
    columns = [frame[k] if k in frame.columns else frame.index.get_level_values(k) for k in listed]
    return pd.MultiIndex.from_arrays([pd.Index(c) for c in columns])
