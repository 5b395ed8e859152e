"""``crosstab`` of collections laid out as pandas gives it: a categorical column key's labels as a
``CategoricalIndex`` of its categories (in their order), and the metadata of the cells' own dtype (an ``Int64``
mean is ``Float64``), from a sample holding every column label."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.categorical import host_dtype, is_categorical
from gpuscale.backends.frame.core import convert_library, library_of, meta_nonempty, with_dtypes_by_position
from gpuscale.backends.frame.cudf_gaps import on_host
from gpuscale.backends.frame.reshape import crosstab_table
from gpuscale.backends.frame.unstack import dtype_for_missing

__all__ = ["crosstab_key_dtype", "crosstab_layout", "crosstab_meta"]


def crosstab_key_dtype(meta_series: Any) -> Any:
    """pandas' dtype of a categorical crosstab key (its metadata, either library), else None.

    Examples
    --------
    >>> crosstab_key_dtype(pd.Series(pd.Categorical([], categories=["b", "a"]))).categories.tolist()
    ['b', 'a']
    >>> crosstab_key_dtype(pd.Series([], dtype="int64")) is None
    True
    """
    return host_dtype(meta_series.dtype) if is_categorical(meta_series.dtype) else None


def crosstab_layout(grouped: Any, labels: list, col_dtype: Any = None, **kwargs: Any) -> Any:
    """:func:`crosstab_table` of ``grouped`` (the cells: a group-by result of ``(row, column)`` pairs);
    ``col_dtype``: the column key's categorical dtype (pandas'), whose categories give the columns' order and a
    ``CategoricalIndex`` of them, as pandas (without margins, which pandas adds as a label of no category).

    Examples
    --------
    >>> cells = pd.Series([2, 1], index=pd.MultiIndex.from_tuples([("x", "b"), ("y", "a")]))
    >>> table = crosstab_layout(cells, ["a", "b"], pd.CategoricalDtype(["b", "a", "z"]), row="r", col="c",
    ...                         counts=True)
    >>> table.columns.tolist(), table.columns.categories.tolist()
    (['b', 'a'], ['b', 'a', 'z'])
    """
    if library_of(grouped) != "pandas":
        return on_host(crosstab_layout, grouped, labels, col_dtype, **kwargs)
    if col_dtype is None or kwargs.get("margins") is not None:
        return _missing_capable(crosstab_table(grouped, labels, **kwargs), len(labels), kwargs)
    present = set(labels)
    labels = [c for c in col_dtype.categories if c in present]
    table = crosstab_table(grouped, labels, **kwargs)
    table.columns = pd.CategoricalIndex(labels, dtype=col_dtype, name=table.columns.name)
    return _missing_capable(table, len(labels), kwargs)


def _missing_capable(table: Any, nlabels: int, kwargs: dict) -> Any:
    """The label columns of a table of ``values`` in the dtype pandas gives them where a cell has no rows
    (integers: float64), whether or not these partitions lack one: the metadata's dtype (the totals keep
    theirs)."""
    if kwargs.get("counts"):
        return table
    dtypes = [dtype_for_missing(d, False) if i < nlabels else d for i, d in enumerate(table.dtypes)]
    return with_dtypes_by_position(table, dtypes)


def crosstab_meta(grouped_meta: Any, labels: list, col_dtype: Any = None, **kwargs: Any) -> Any:
    """The empty table of :func:`crosstab_layout`, of the library of ``grouped_meta`` (the cells' metadata): laid
    out from a sample with a cell in every column label, so each column has the cells' dtype (a sample of other
    labels gave columns of missing values only: float64 where the cells are ``Float64``)."""
    from gpuscale.backends.convert import to_host

    sample = meta_nonempty(to_host(grouped_meta))
    if labels:
        first = sample.iloc[[0] * len(labels)]
        rows = first.index.get_level_values(0)
        first.index = pd.MultiIndex.from_arrays([rows, pd.Index(labels, dtype=object)], names=sample.index.names)
        sample = first
    table = crosstab_layout(sample, labels, col_dtype, **kwargs)
    return convert_library(table.iloc[:0], library_of(grouped_meta))
