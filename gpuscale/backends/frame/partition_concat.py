"""Concatenation of the partitions of one collection (``concat`` of pieces that share the meta's columns):
pandas' and cuDF's differences (empty pieces, categories, index dtypes, column names) kept out of the result."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import (
    is_dataframe_like, is_frame_like, is_index_like, library_of, namespace, with_dtypes_by_position,
)

__all__ = ["concat"]

_PANDAS_MAJOR = int(pd.__version__.split(".")[0])


def concat(parts: list, ignore_index: bool = False, axis: int = 0, **kwargs: Any) -> Any:
    """Concatenate partitions of one library (scalars are returned as a Series)."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if not is_frame_like(parts[0]):
        return pd.Series(parts)
    from gpuscale.backends.frame.categorical import restore_ordered

    if is_index_like(parts[0]):
        if len(parts) == 1:
            return parts[0]
        return restore_ordered(_object_labels_kept(parts[0].append(list(parts[1:])), parts), parts)
    if len(parts) == 1 and not ignore_index and axis == 0:  # (side by side, one Series still becomes a frame)
        return parts[0]
    if axis != 0:
        return namespace(parts[0]).concat(parts, ignore_index=ignore_index, axis=axis, **kwargs)
    if not ignore_index and _no_dated_rows_on_cudf(parts):
        return parts[0]
    parts = _without_empty_pieces_of_other_levels(_without_empty_pieces_on_pandas_2(parts))
    if len(parts) == 1 and not ignore_index:
        return parts[0]
    parts = _same_index_categories(_same_categories(parts))
    out = namespace(parts[0]).concat(parts, ignore_index=ignore_index, axis=axis, **kwargs)
    if not ignore_index:
        out = _object_labels_kept(out, parts)
    return restore_ordered(_columns_name_kept(out, parts[0]), parts)


def _without_empty_pieces_on_pandas_2(parts: list) -> list:
    """pandas 2's parts without the empty ones where another has a RangeIndex of step 2 or more: pandas 2's
    ``concat`` of an empty piece and such an index makes an index longer than the rows (``[s.iloc[:0], s]`` of
    ``RangeIndex(2, 4, 2)``: ``RangeIndex(2, 4, 1)``).  Other concats keep every piece (empty ones can decide
    a dtype)."""
    if _PANDAS_MAJOR >= 3 or library_of(parts[0]) != "pandas" or len(parts) < 2:
        return parts
    stepped = any(isinstance(p.index, pd.RangeIndex) and abs(p.index.step) > 1 for p in parts if len(p))
    if not stepped:
        return parts
    kept = [p for p in parts if len(p)]
    return kept or parts[:1]


def _without_empty_pieces_of_other_levels(parts: list) -> list:
    """The parts without the empty ones whose index has another number of levels than the parts with rows
    (a partition of no group gives the metadata's index, a function's groups may add a level): the libraries
    join such indexes without their names."""
    levels = {p.index.nlevels for p in parts if len(p)}
    if len(levels) != 1 or all(p.index.nlevels in levels for p in parts):
        return parts
    return [p for p in parts if len(p) or p.index.nlevels in levels]


def _object_labels_kept(out: Any, parts: list) -> Any:
    """``out`` (parts joined) with the object dtype of its labels where every part had it: pandas 3 joins object
    labels of text into a ``str`` index (``pd.concat`` of two frames indexed by object labels), which no part
    or whole frame had."""
    index = out if is_index_like(out) else out.index
    if index.nlevels != 1 or index.dtype == object or library_of(out) != "pandas":
        return out
    if not all((p if is_index_like(p) else p.index).dtype == object for p in parts):
        return out
    if is_index_like(out):
        return out.astype(object)
    out.index = index.astype(object)
    return out

def _columns_name_kept(out: Any, first: Any) -> Any:
    """``out`` (rows of frames concatenated) with the columns' name of the first part: cuDF's concat relabels
    its result with a list of the labels (``DataFrame._concat``: ``out.columns = names``), losing the name."""
    if not is_dataframe_like(out) or not is_dataframe_like(first) or library_of(out) != "cudf":
        return out
    name = first.columns.name
    if out.columns.nlevels > 1 or name is None or out.columns.name == name:
        return out
    out.columns = out.columns.rename(name)
    return out


def _no_dated_rows_on_cudf(parts: list) -> bool:
    """Whether ``parts`` are cuDF partitions alike (same columns) without a row, with a DatetimeIndex: cuDF's
    concat asks the result's DatetimeIndex for its ``inferred_freq``, which fails for no rows ("Column size
    cannot be negative": it looks at size - 1 differences), so the first empty part is the result."""
    first = parts[0]
    if library_of(first) != "cudf" or type(first.index).__name__ != "DatetimeIndex" or any(len(p) for p in parts):
        return False
    columns = list(first.columns) if is_dataframe_like(first) else None
    return all((list(p.columns) if is_dataframe_like(p) else None) == columns for p in parts)


def _same_categories(parts: list) -> list:
    """Partitions whose categorical columns have different categories (``astype("category")`` per
    partition) are given the union of them, in order of appearance, so concatenating keeps the dtype."""
    from gpuscale.backends.frame.categorical import is_categorical, union_categories

    first = parts[0]
    # (a column categorical in some partitions only, a function's results: left to the library's concat)
    if not is_dataframe_like(first):
        dtypes = [getattr(p, "dtype", None) for p in parts]
        dtype = union_categories(dtypes) if all(is_categorical(d) for d in dtypes) else None
        return parts if dtype is None else [p.astype(dtype) for p in parts]
    # by position: labels may repeat (pandas' concat(axis=1) of frames sharing a column name)
    union = {i: union_categories([p.dtypes.iloc[i] for p in parts])
             for i, d in enumerate(first.dtypes) if all(is_categorical(p.dtypes.iloc[i]) for p in parts)}
    union = {i: d for i, d in union.items() if d is not None}
    if not union:
        return parts
    return [with_dtypes_by_position(p, [union.get(i, d) for i, d in enumerate(p.dtypes)]) for p in parts]


def _same_index_categories(parts: list) -> list:
    """As :func:`_same_categories`, for a categorical index or categorical levels of a MultiIndex (pandas
    would fall back to objects)."""
    from gpuscale.backends.frame.categorical import is_categorical, union_categories

    nlevels = parts[0].index.nlevels
    if nlevels > 1:
        if any(p.index.nlevels != nlevels for p in parts):
            return parts
        levels = [[p.index.get_level_values(i) for p in parts] for i in range(nlevels)]
        union = {i: union_categories([v.dtype for v in values]) for i, values in enumerate(levels)
                 if all(is_categorical(v.dtype) for v in values)}
        union = {i: d for i, d in union.items() if d is not None}
        if not union:
            return parts
        make = namespace(parts[0]).MultiIndex.from_arrays
        return [_with_index(p, make([levels[i][k].astype(union[i]) if i in union else levels[i][k]
                                     for i in range(nlevels)], names=p.index.names))
                for k, p in enumerate(parts)]
    if not is_categorical(parts[0].index.dtype) or not all(is_categorical(p.index.dtype) for p in parts):
        return parts
    dtype = union_categories([p.index.dtype for p in parts])
    if dtype is None:
        return parts
    return [_with_index(p, p.index.astype(dtype)) for p in parts]


def _with_index(part: Any, index: Any) -> Any:
    out = part.copy(deep=False)  # cuDF has no set_axis
    out.index = index
    return out
