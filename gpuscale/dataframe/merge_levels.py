"""Merge keys naming a level of a MultiIndex: the level becomes a column first, as pandas merges it."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

__all__ = ["levels_as_columns"]


def _listed(keys: Any) -> list | None:
    if keys is None:
        return None
    return list(keys) if isinstance(keys, (list, tuple)) else [keys]


def levels_as_columns(left: Any, right: Any, on: Any, left_on: Any, right_on: Any) -> tuple:
    """``left`` and ``right`` with the MultiIndex levels their merge keys name reset to columns.

    pandas merges a key naming a MultiIndex level of one side and a column of the other as two columns: the
    result has the key as a column and numbers its rows anew (the other levels dropped), which is the merge
    of the level reset to the front column.  Other uses of levels (a level on both sides, a level paired
    with a key of another name) are refused.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> mi = pd.MultiIndex.from_arrays([[0, 1], ["a", "b"]], names=["i", "j"])
    >>> left = gd.from_pandas(pd.DataFrame({"k": [1, 2]}, index=mi), npartitions=1)
    >>> right = gd.from_pandas(pd.DataFrame({"j": ["a"], "v": [10]}), npartitions=1)
    >>> list(levels_as_columns(left, right, "j", None, None)[0].columns)
    ['j', 'k']
    """
    lkeys, rkeys = (_listed(on), _listed(on)) if on is not None else (_listed(left_on), _listed(right_on))
    return _reset_levels(left, lkeys, rkeys, right, "left"), _reset_levels(right, rkeys, lkeys, left, "right")


def _level_keys(frame: Any, keys: Any) -> list:
    """The keys naming a level of ``frame``'s MultiIndex (not also a column)."""
    index = getattr(frame._meta, "index", None)
    if keys is None or index is None or index.nlevels == 1:
        return []
    names = [n for n in index.names if n is not None]
    return [k for k in keys if isinstance(k, Hashable) and k in names and k not in frame._meta.columns]


def _reset_levels(frame: Any, keys: Any, other_keys: Any, other: Any, side: str) -> Any:
    levels = _level_keys(frame, keys)
    if not levels:
        return frame
    other_columns = getattr(other._meta, "columns", ())
    paired = other_keys is not None and len(other_keys) == len(keys) and all(
        other_keys[i] == k and k in other_columns for i, k in enumerate(keys) if k in levels)
    if not paired:
        raise NotImplementedError(f"merge on the MultiIndex level(s) {levels} of the {side} side is supported only "
                                  f"with a column of the same name on the other side; reset_index(level=...) first")
    return frame._method("reset_index", columnwise=False, level=levels)
