"""Helpers of the growing windows (``expanding()``, ``ewm()``): ``numeric_only`` column selection, ``agg`` of
method names, and the column pairs of ``cov``/``corr``."""

from __future__ import annotations

import copy
from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["numeric_window", "window_agg", "paired_columns"]


def numeric_window(window: Any, how: str, numeric_only: bool) -> Any:
    """``window`` itself, or with ``numeric_only`` over its numeric columns only (as pandas: booleans and
    timedeltas are not numbers there); a Series that is not numeric is then refused with pandas' error."""
    if not numeric_only:
        return window
    obj = window.obj
    if bf.is_series_like(obj._meta):
        if not bf.is_numeric_dtype(obj._meta.dtype):
            raise NotImplementedError(f"{type(window).__name__}.{how} does not implement numeric_only")
        return window
    out = copy.copy(window)
    out.obj = obj.select_dtypes(include=["number"], exclude=["timedelta"])
    return out


def window_agg(window: Any, func: Any, allowed: frozenset, kind: str) -> Any:
    """``window.agg(func)`` of growing windows: a method name, or a list of them (a column per name, under each
    column of a DataFrame), as pandas' ``agg``."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.multi import concat

    if isinstance(func, str):
        return getattr(window, func)()
    names = list(func)
    if not names or not all(isinstance(f, str) and f in allowed for f in names):
        raise NotImplementedError(f"{kind} agg: names of {sorted(allowed)} only, got {func!r}")
    parts = [getattr(window, f)() for f in names]
    if bf.is_series_like(window.obj._meta):
        return concat([p.rename(f) for p, f in zip(parts, names)], axis=1, ignore_unknown_divisions=True)
    columns = list(window.obj.columns)
    numbered = [p.rename(columns={c: f"__{i}_{j}" for j, c in enumerate(columns)}) for i, p in enumerate(parts)]
    # (every part comes from the same partitions: no warning where divisions are unknown)
    joined = concat(numbered, axis=1, ignore_unknown_divisions=True)
    joined = joined[[f"__{i}_{j}" for j in range(len(columns)) for i in range(len(names))]]
    labels = bf.labels_of_pairs([(c, f) for c in columns for f in names])
    meta = bf.with_column_labels(joined._meta, labels)
    return new_collection(map_partitions_expr(bf.with_column_labels, joined.expr, kwargs={"labels": labels},
                                              meta=meta, label=f"{kind}-agg"))


def paired_columns(obj: Any, other: Any, who: str, pairwise: Any = None) -> tuple:
    """``(frame, pairs, layout, name)`` of a pairwise statistic (``cov``/``corr`` of growing windows): a Series
    beside ``other`` (or itself), a DataFrame's columns each beside ``other``, or every pair of its columns
    (pandas' two-level layout; ``pairwise=False``: each column with itself, as pandas)."""
    if other is not None and not bf.is_series_like(getattr(other, "_meta", None)):
        raise NotImplementedError(f"{who}(other): other must be a lazy Series (a DataFrame other is not supported)")
    if bf.is_series_like(obj._meta):
        other = obj if other is None else other
        name = obj.name if obj.name == other.name else None  # pandas' name: the common one
        return obj.to_frame("__left__").assign(__right__=other), [("__left__", "__right__")], "series", name
    if other is not None:
        return obj.assign(__other__=other), [(c, "__other__") for c in obj.columns], "columns", None
    if pairwise is not None and not pairwise:
        return obj, [(c, c) for c in obj.columns], "columns", None
    return obj, [(a, b) for a in obj.columns for b in obj.columns], "pairwise", None
