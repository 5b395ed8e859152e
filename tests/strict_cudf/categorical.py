"""Where cuDF's categoricals differ from pandas' (read from cuDF 26.10, checked by the cuDF lane):

* concatenating categorical columns (``cudf.concat`` of two or more frames, Series or indexes, and
  ``Index.append``) unions their categories into an *unordered* dtype: ``CategoricalColumn._concat``
  and ``DataFrame._concat`` (``_reassign_categories``) build ``CategoricalDtype(categories=...)``
  without ``ordered`` (pandas keeps an ordered dtype the parts share);
* ``add_categories`` / ``remove_categories`` (``.cat`` and ``CategoricalIndex``) that change the
  categories give an unordered result (``CategoricalColumn._set_categories``' ``ordered=False``);
* ``CategoricalIndex.rename_categories`` / ``remove_unused_categories`` raise NotImplementedError
  (the column's methods only raise; the ``.cat`` accessor has neither).
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def unordered(obj: Any) -> Any:
    """A pandas result with every categorical column, Series and index level made unordered."""
    def fix(values: Any) -> Any:
        return values.as_unordered() if isinstance(values, pd.CategoricalIndex) else (
            values.cat.as_unordered() if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype) else values)

    if isinstance(obj, pd.Index):
        if isinstance(obj, pd.MultiIndex):
            return obj.set_levels([fix(level) for level in obj.levels])
        return fix(obj)
    out = obj.copy(deep=False)
    if isinstance(out, pd.DataFrame):
        for i, dtype in enumerate(out.dtypes):
            if isinstance(dtype, pd.CategoricalDtype):
                out.isetitem(i, out.iloc[:, i].cat.as_unordered())
    else:
        out = fix(out)
    out.index = unordered(out.index)
    return out


def concat(func: Any, objs: Any, *args: Any, **kwargs: Any) -> Any:
    """``cudf.concat``: more than one frame, Series or index joined row-wise loses the categoricals' order
    (frames without rows or columns, and Series without rows, are left out first, as cuDF)."""
    result = func(objs, *args, **kwargs)
    axis = kwargs.get("axis", args[0] if args else 0)
    parts = list(objs)
    kept = [o for o in parts if (o.shape != (0, 0) if isinstance(o, pd.DataFrame) else
                                 len(o) if isinstance(o, pd.Series) else True)]
    if axis in (0, "index") and len(kept) > 1:
        return unordered(result)
    return result


def index_append(index: pd.Index, other: Any) -> pd.Index:
    """``Index.append``: a concat (see :func:`concat`)."""
    others = list(other) if isinstance(other, (list, tuple)) else [other]
    result = index.append(others)
    return unordered(result) if others else result


def _changes_categories(before: Any, after: Any) -> bool:
    return not before.categories.sort_values().equals(after.categories.sort_values()) or len(
        before.categories) != len(after.categories)


def accessor_set_categories_call(name: str) -> Any:
    """``.cat.add_categories`` / ``.cat.remove_categories``: unordered when the categories change."""
    def call(accessor: Any, *args: Any, **kwargs: Any) -> pd.Series:
        parent = accessor._parent
        result = getattr(accessor, name)(*args, **kwargs)
        return result.cat.as_unordered() if _changes_categories(parent.dtype, result.dtype) else result
    return call


def index_set_categories_call(name: str) -> Any:
    """``CategoricalIndex.add_categories`` / ``remove_categories`` (as the accessor's)."""
    def call(index: pd.CategoricalIndex, *args: Any, **kwargs: Any) -> pd.CategoricalIndex:
        result = getattr(index, name)(*args, **kwargs)
        return result.as_unordered() if _changes_categories(index.dtype, result.dtype) else result
    return call


def index_not_supported(name: str) -> Any:
    def call(index: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{name} is currently not supported. (strict cuDF, as cuDF)")
    return call
