"""Concatenation of unlike partitions with dask's semantics.

pandas turns categoricals with different categories into ``object`` when it concatenates them;
dask (and so gpuscale) keeps them categorical with the union of the categories, in order of
appearance (unknown when any input's are unknown).  The metadata of the result is worked out once
(:func:`concat_frames_meta`) and every partition is then given its columns and dtypes
(:func:`conform_concat`) so that all partitions agree with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.categorical import UNKNOWN_CATEGORIES, _back, categorical_dtype, is_categorical
from gpuscale.backends.frame.cudf_gaps import concat_side_by_side
from gpuscale.backends.frame.core import _to_pandas, is_dataframe_like, is_series_like, make_meta, meta_nonempty, namespace
from gpuscale.backends.frame.ops import sort_index

__all__ = ["concat_frames_meta", "conform_concat", "concat_aligned", "with_outer_levels"]


def _shown(metas: list) -> list:
    """The inputs that count for the result's dtypes: frames without columns would only upcast (as dask)."""
    shown = [m for m in metas if not is_dataframe_like(m) or len(m.columns) > 0]
    return shown or metas[:1]


def _columns_of(obj: Any) -> dict:
    """Column -> dtype (a Series is the column named by its name)."""
    if is_dataframe_like(obj):
        return dict(obj.dtypes.items())
    return {obj.name if obj.name is not None else 0: obj.dtype}


def _union_dtype(dtypes: list, ignore_order: bool) -> Any:
    """One categorical dtype for a column that is categorical in some inputs: the union of their
    categories (unknown if any is), unordered with ``ignore_order``."""
    cats = [d for d in dtypes if is_categorical(d)]
    library = "cudf" if "cudf" in type(cats[0]).__module__ else "pandas"
    ordered = all(bool(d.ordered) for d in cats) and not ignore_order
    values = [_to_pandas(d.categories) for d in cats]
    if any(UNKNOWN_CATEGORIES in list(v) for v in values):
        return categorical_dtype(library, [UNKNOWN_CATEGORIES], ordered)
    union = _appended(values)
    if ordered and not all(v.equals(values[0]) for v in values):
        raise TypeError("concat: ordered categoricals with different categories cannot be combined; pass "
                        "ignore_order=True (or make their categories equal first)")
    return categorical_dtype(library, _back(union, library), ordered)


def _appended(values: list) -> Any:
    """The categories of all ``values`` (pandas Indexes) in order of appearance.  pandas 3's ``Index.append``
    infers object text anew (``str``); categories of one dtype keep it, as pandas' own concat keeps them."""
    union = values[0].append(values[1:]).drop_duplicates() if len(values) > 1 else values[0]
    if len({v.dtype for v in values}) == 1 and union.dtype != values[0].dtype:
        union = union.astype(values[0].dtype)
    return union


def _categorical_targets(metas: list, ignore_order: bool) -> tuple:
    """Per column (and for the index) the unified categorical dtype of the inputs, where all are categorical."""
    columns: dict = {}
    for meta in metas:
        for name, dtype in _columns_of(meta).items():
            columns.setdefault(name, []).append(dtype)
    # (a column categorical in some inputs only is left to the library: pandas gives objects, as dask)
    targets = {name: _union_dtype(dts, ignore_order) for name, dts in columns.items()
               if all(is_categorical(d) for d in dts)}
    index_dtypes = [m.index.dtype for m in metas]
    index = _union_dtype(index_dtypes, ignore_order) if all(is_categorical(d) for d in index_dtypes) else None
    return targets, index


def _with_dtypes(obj: Any, targets: dict, index: Any) -> Any:
    """``obj`` with its categorical columns (and index) cast to the unified dtypes."""
    if is_dataframe_like(obj):
        changed = {c: t for c, t in targets.items() if c in obj.columns and obj[c].dtype != t}
        if changed:
            obj = obj.astype(changed)
    elif is_series_like(obj):
        target = targets.get(obj.name if obj.name is not None else 0)
        if target is not None and obj.dtype != target:
            obj = obj.astype(target)
    if index is not None and obj.index.dtype != index:
        obj = obj.copy(deep=False)
        obj.index = obj.index.astype(index)
    return obj


def concat_frames_meta(metas: list, join: str = "outer", axis: int = 0, ignore_order: bool = False,
                       kwargs: dict | None = None) -> Any:
    """The metadata of ``concat(metas, join=, axis=)``: pandas' columns, with categoricals unioned."""
    metas = _shown(metas)
    if axis == 1:  # side by side the rows are aligned on the index: empty frames keep their dtypes
        return make_meta(concat_side_by_side(metas, join, kwargs))
    targets, index = _categorical_targets(metas, ignore_order)
    parts = [_with_dtypes(meta_nonempty(m), targets, index) for m in metas]
    out = namespace(parts[0]).concat(parts, join=join, **(kwargs or {}))
    return make_meta(_with_dtypes(out, targets, index))


def conform_concat(part: Any, meta: Any, source: Any = None) -> Any:
    """Give a partition the columns and dtypes of a row-wise concat's ``meta``: missing columns
    filled, other columns dropped (``join="inner"``), categoricals given the unioned categories.

    Other columns are cast only where ``source`` (the metadata of the partition's input; None: the
    partition's own dtypes) has another dtype than ``meta``, as dask casts the inputs whose dtypes differ
    from the result's: a partition whose dtypes depend on its values (a left merge's integers holding NaN
    as floats, pandas 3's ``str`` of exploded text) is concatenated as it is, as pandas concatenates it.
    """
    if is_dataframe_like(meta) and not is_dataframe_like(part):
        part = part.to_frame()
    had = set(_columns_of(part))
    if is_dataframe_like(meta) and list(part.columns) != list(meta.columns):
        part = part.reindex(columns=meta.columns)
    dtypes = _columns_of(meta)
    if is_series_like(meta):
        dtypes = {part.name if part.name is not None else 0: meta.dtype}
    declared = _declared_dtypes(part, meta, source)
    have = _columns_of(part)
    changed = {c: _conformed(have[c], t, c in had, declared.get(c), len(part) > 0) for c, t in dtypes.items()}
    changed = {c: t for c, t in changed.items() if t is not None}
    if changed:
        part = part.astype(changed) if is_dataframe_like(part) else part.astype(next(iter(changed.values())))
    target = _cast_target(part.index.dtype, meta.index.dtype)
    if target is not None and is_categorical(target):
        part = part.copy(deep=False)
        part.index = part.index.astype(target)
    if is_series_like(meta) and part.name != meta.name:
        part = part.rename(meta.name)
    return part


def _declared_dtypes(part: Any, meta: Any, source: Any) -> dict:
    """Column -> dtype of the partition's input as its metadata declares it (its own without ``source``)."""
    if source is None:
        return _columns_of(part)
    if is_series_like(source) and is_series_like(meta):  # (named as the partition: renamed after)
        return {part.name if part.name is not None else 0: source.dtype}
    return _columns_of(source)


def _conformed(have: Any, want: Any, present: bool, declared: Any, has_rows: bool) -> Any:
    """The dtype to cast one column to (None: leave it as the partition has it)."""
    if not present:  # filled with missing values: numpy ints/bools of rows cannot take them (pandas upcasts)
        return None if has_rows and _holds_no_missing(want) else _cast_target(have, want)
    if is_categorical(want) or declared is None or declared != want:
        return _cast_target(have, want)
    return None  # the input's dtype is the result's: the values' own dtype is kept, as pandas and dask


def _holds_no_missing(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype) and dtype.kind in "iub"


def _cast_target(have: Any, want: Any) -> Any:
    """The dtype to cast a column to (None: leave it): unknown categories keep each partition's own."""
    if is_categorical(want):
        if UNKNOWN_CATEGORIES in list(_to_pandas(want.categories)):
            return None if is_categorical(have) else "category"
        return None if have == want else want
    return None if have == want else want


def concat_aligned(parts: list, meta: Any, axis: int = 0, join: str = "outer", check_lengths: bool = False,
                   kwargs: dict | None = None, sources: list | None = None) -> Any:
    """One output partition from the partitions ``parts`` of all inputs that cover the same index range
    (or, with ``check_lengths``, the same row positions: their lengths must agree); ``sources``: the
    inputs' metadata (rows: see :func:`conform_concat`)."""
    parts = [p for p in parts if not is_dataframe_like(p) or len(p.columns) > 0 or axis == 0] or parts[:1]
    if check_lengths and len({len(p) for p in parts}) > 1:
        raise ValueError(f"concat(axis=1) of collections with unknown divisions: the partitions have "
                         f"different lengths ({', '.join(str(len(p)) for p in parts)}), so their rows are not "
                         "aligned; set_index or repartition them alike first")
    if axis == 0:
        parts = [conform_concat(p, meta, s) for p, s in zip(parts, sources or [None] * len(parts))]
        out = namespace(parts[0]).concat(parts, join=join, **(kwargs or {}))
        # rows of several inputs in one index range: sorted (stable: equal labels keep the inputs' order) so the
        # partition honours the divisions, as pd.concat(...).sort_index(kind="stable")
        return sort_index(out) if sum(len(p) > 0 for p in parts) > 1 else out
    return concat_side_by_side(parts, join, kwargs)


def with_outer_levels(part: Any, key: Any, names: Any = None) -> Any:
    """``part`` with ``key`` (a tuple: one level per item) as new outer index levels, as pandas'
    ``concat(keys=)`` labels each input's rows; ``names`` names the new levels first, then the old ones.
    Built from arrays: cuDF's ``concat`` has no ``keys=``."""
    keys = key if isinstance(key, tuple) else (key,)
    index = part.index
    old = [index.get_level_values(i) for i in range(index.nlevels)]
    names = list(names) if names is not None else [None] * len(keys)
    if len(names) != len(keys) + len(old):  # names for the new levels only: the old keep theirs (as pandas)
        names += list(index.names)
    new = [[k] * len(part) for k in keys]
    out = part.copy(deep=False)  # (cuDF has no set_axis)
    out.index = namespace(part).MultiIndex.from_arrays(new + old, names=names)
    return out
