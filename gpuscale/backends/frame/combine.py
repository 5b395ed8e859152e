"""Partition functions of ``align``, ``combine_first`` and ``rename_axis`` (cuDF has none of the three:
each is emulated from ``reindex`` / ``where`` / index names), and of ``equals`` and ``update``."""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.categorical import is_categorical, union_categories
from gpuscale.backends.frame.core import from_library, is_dataframe_like, library_of, meta_nonempty

__all__ = ["align_part", "combine_first_part", "combine_facts", "merge_combine_facts", "combine_frames", "one_sided_columns_missing", "rename_axis_part",
           "same_columns_and_dtypes", "partition_equals", "update_part"]


def _joined(left: Any, right: Any, join: str) -> Any:
    if join == "outer":
        return left.union(right)
    if join == "inner":
        return left.intersection(right)
    return left if join == "left" else right


def _align(a: Any, b: Any, join: str, axis: Any, fill_value: Any) -> tuple:
    """``a.align(b, join=, axis=, fill_value=)`` (pandas), or its emulation by ``reindex`` (cuDF)."""
    if library_of(a) == "pandas":
        return a.align(b, join=join, axis=axis, fill_value=fill_value)
    frames = is_dataframe_like(a) and is_dataframe_like(b)
    rows = _joined(a.index, b.index, join) if axis in (None, 0, "index") else None
    cols = _joined(a.columns, b.columns, join) if frames and axis in (None, 1, "columns") else None
    out = []
    for obj in (a, b):
        if rows is not None:
            obj = obj.reindex(index=rows) if is_dataframe_like(obj) else obj.reindex(rows)
        if cols is not None:
            obj = obj.reindex(columns=cols)
        out.append(obj if fill_value is None else obj.fillna(fill_value))  # pandas fills every missing value
    return tuple(out)


def align_part(a: Any, b: Any, join: str = "outer", axis: Any = None, fill_value: Any = None,
               side: int = 0) -> Any:
    """Side ``side`` (0: ``a``, 1: ``b``) of two partitions aligned on their labels."""
    return _align(a, b, join, axis, fill_value)[side]


def combine_first_part(a: Any, b: Any, columns: list | None = None) -> Any:
    """``a`` with its missing values (and missing labels) taken from ``b``; ``columns``: their order (pandas',
    from frames with rows)."""
    if len(a) == 0 and len(b):  # a's missing values at b's labels: an empty a would leave a's dtypes to pandas'
        a = a.reindex(b.index)  # empty-frame path (categoricals, Int64 and strings as objects and floats)
    if library_of(a) == "pandas":
        if len(b) == 0 and len(a):  # pandas casts b's columns back to b's integers: missing values there raise
            b = one_sided_columns_missing(b, a, b)
        out = a.combine_first(b)
    else:
        left, right = _same_categories(*_align(a, b, "outer", None, None))
        out = left.where(left.notna(), right)
        if is_dataframe_like(out):
            # a column of one side only is that side's (the other's all-null stand-in of it would give
            # where() its objects)
            for column in [c for c in b.columns if c not in set(a.columns)]:
                out[column] = right[column]
            for column in [c for c in a.columns if c not in set(b.columns)]:
                out[column] = left[column]
        if columns is None and is_dataframe_like(out):  # pandas 3's order: this side's, then the other's
            columns = list(a.columns) + [c for c in b.columns if c not in set(a.columns)]
    return out[columns] if columns is not None and is_dataframe_like(out) else out


def combine_facts(part: Any) -> tuple:
    """What ``DataFrame.combine`` needs to know of a whole side, of one partition: its rows and, per column,
    whether it holds a value (:func:`merge_combine_facts` merges the partitions')."""
    from gpuscale.backends.convert import to_host

    return len(part), tuple(bool(v) for v in to_host(part.notna().any()).tolist())


def merge_combine_facts(partials: list, **kwargs: Any) -> tuple:
    """The facts of several partitions (:func:`combine_facts`) as those of their whole."""
    rows = sum(p[0] for p in partials)
    present = tuple(any(flags) for flags in zip(*[p[1] for p in partials]))
    return rows, present


def combine_frames(a: Any, b: Any, func: Any, fill_value: Any = None, overwrite: bool = True,
                   self_facts: tuple | None = None, other_facts: tuple | None = None) -> Any:
    """pandas' ``DataFrame.combine`` of two aligned host partitions, as pandas computes it on the whole frames
    they are parts of (``self_facts`` / ``other_facts``: :func:`combine_facts` of each whole; None: of the
    partition).

    pandas returns ``other`` (columns aligned) when ``self`` has no rows, and keeps a column of ``self`` when ``other``'s
    has no value (``overwrite=False``): decided on the whole frames, not on a partition that happens to lack
    one side's rows.
    """
    if self_facts is not None and self_facts[0] == 0:  # pandas' shortcuts, of the whole frames: no rows at all
        return a.copy() if other_facts[0] == 0 else a.align(b)[1]  # self's, or other's (columns aligned)
    this, that = a.align(b, join="outer", axis=0)  # a partition lacking one side's rows is no shortcut
    if len(this) == 0:  # no rows: the columns and dtypes of rows combined (pandas would give one side's)
        local = combine_frames(meta_nonempty(a), meta_nonempty(b), func, fill_value, overwrite)
        return local.iloc[:0]
    if other_facts is None:
        return this.combine(that, func, fill_value=fill_value, overwrite=overwrite)
    out = this.combine(that, func, fill_value=fill_value, overwrite=True)
    if not overwrite:  # a column other holds no value of (on the whole) stays self's, as pandas
        present = dict(zip(b.columns, other_facts[1]))
        kept = [i for i, c in enumerate(out.columns) if not present.get(c, False)]
        if kept:
            whole = this.reindex(columns=out.columns)
            out = out.copy()
            for i in kept:
                out.isetitem(i, whole.iloc[:, i])
    return out


def _same_categories(left: Any, right: Any) -> tuple:
    """``left`` and ``right`` with the union of their categories where both hold categoricals of different
    categories (cuDF's ``where`` pairs only identical categories; partitions of unknown categories differ)."""
    def unified(x: Any, y: Any) -> tuple:
        if not (is_categorical(x.dtype) and is_categorical(y.dtype)):
            return x, y
        dtype = union_categories([x.dtype, y.dtype])
        return (x, y) if dtype is None else (x.astype(dtype), y.astype(dtype))

    if not is_dataframe_like(left):
        return unified(left, right)
    shared = [c for c in left.columns if c in set(right.columns) and is_categorical(left[c].dtype)]
    if shared:
        left, right = left.copy(deep=False), right.copy(deep=False)
    for column in shared:
        left[column], right[column] = unified(left[column], right[column])
    return left, right


def one_sided_columns_missing(meta: Any, a: Any, b: Any) -> Any:
    """``meta`` of ``a.combine_first(b)`` with a column of one side only in the dtype pandas gives when the other
    side has rows it lacks (missing values there): NumPy integers as float64, booleans as objects."""
    if not is_dataframe_like(meta):
        return meta
    both = set(a.columns) & set(b.columns) if is_dataframe_like(a) and is_dataframe_like(b) else set()
    widened = {c: "float64" if d.kind in "iu" else "object" for c, d in meta.dtypes.items()
               if c not in both and isinstance(d, np.dtype) and d.kind in "iub"}
    return meta.astype(widened) if widened else meta


def rename_axis_part(obj: Any, axis: Any = 0, **names: Any) -> Any:
    """``obj.rename_axis(...)``: new names of the index (or of the columns' axis) with scalars or lists.

    ``names``: those of ``mapper``, ``index``, ``columns`` given (None among them removes a name, as pandas).
    """
    if library_of(obj) == "pandas":
        return obj.rename_axis(axis=axis, **names) if "mapper" in names else obj.rename_axis(**names)
    out = obj.copy(deep=False)
    on_columns = axis in (1, "columns")
    if "index" in names or ("mapper" in names and not on_columns):
        rows = names["index"] if "index" in names else names["mapper"]
        out.index = out.index.set_names(list(rows) if isinstance(rows, (list, tuple)) else rows)
    if "columns" in names or ("mapper" in names and on_columns):  # (cuDF's .columns is a host copy: its name
        cols = names["columns"] if "columns" in names else names["mapper"]  # is set through the setter)
        out.columns = out.columns.rename(cols)
    return out


def same_columns_and_dtypes(a: Any, b: Any) -> bool:
    """Whether two frames' metadata have the same column labels in order and the same dtypes (a Series: dtype)."""
    if is_dataframe_like(a):
        return list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes)
    return a.dtype == b.dtype


def partition_equals(a: Any, b: Any) -> Any:
    """A one-row boolean Series: whether two partitions hold the same labels and values (``equals``; cuDF's
    compares no index, so the index is compared too)."""
    same = len(a) == len(b) and bool(a.index.equals(b.index)) and bool(a.equals(b))
    return from_library(library_of(a)).Series([same], dtype="bool")


def update_part(a: Any, b: Any, **options: Any) -> Any:
    """A copy of ``a`` updated with ``b``'s non-missing values (pandas' ``update``; cuDF's takes no
    ``filter_func``: on the host then)."""
    if options.get("filter_func") is not None and library_of(a) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import all_on_host

        return all_on_host(update_part, a, b, **options)
    out = a.copy()
    out.update(b, **options)
    return out
