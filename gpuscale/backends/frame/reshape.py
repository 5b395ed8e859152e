"""Reshaping partitions: dummies, melt, and the last step of a pivot table and of a crosstab (pandas or cuDF)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.categorical import host_dtype, is_categorical
from gpuscale.backends.frame.core import library_of, namespace
from gpuscale.backends.frame.cudf_gaps import melt_columns, melt_needs_host, on_host
from gpuscale.backends.frame.pandas_version import PANDAS_3
from gpuscale.backends.frame.partition_concat import concat

__all__ = ["get_dummies_partition", "check_sparse_dummies", "check_melt_values", "melt_partition", "meta_categories", "pivot_partition",
           "crosstab_table", "sorted_labels", "in_memory_crosstab", "MARGIN_COMBINE"]


def get_dummies_partition(part: Any, **kwargs: Any) -> Any:
    """``get_dummies`` of one partition (its categorical columns give one column per category)."""
    if not kwargs.get("sparse"):
        kwargs.pop("sparse", None)  # (cuDF's get_dummies accepts only sparse=False)
    return namespace(part).get_dummies(part, **kwargs)


def check_sparse_dummies(meta: Any, sparse: bool) -> None:
    """Sparse indicator columns exist in pandas only: refuse ``sparse=True`` on cuDF partitions."""
    if sparse and library_of(meta) == "cudf":
        raise NotImplementedError("get_dummies(sparse=True) is not supported on cuDF partitions (cuDF has no "
                                  "sparse columns): use sparse=False, or pandas partitions (backend='cpu')")


def check_melt_values(meta: Any, id_vars: Any = None, value_vars: Any = None, col_level: Any = None,
                      **_: Any) -> None:
    """Refuse ``melt`` of cuDF partitions whose value columns mix text with other values: pandas melts them into
    one object column of both, which cuDF cannot hold (its columns have one type), so it failed deep inside."""
    if library_of(meta) != "cudf" or col_level is not None:
        return
    values = [c for c in melt_columns(meta, id_vars, value_vars)[1] if c in meta.columns]
    text = [c for c in values if _holds_text(meta[c].dtype)]
    others = [c for c in values if c not in text]
    if text and others:
        raise TypeError(f"melt: the value columns {text} hold text and {others} other values "
                        f"({', '.join(str(meta[c].dtype) for c in others)}); cuDF partitions cannot hold both in "
                        "one column (pandas makes an object column): cast them to one type first (e.g. "
                        "astype(str)), or melt them separately")


def _holds_text(dtype: Any) -> bool:
    """Whether a column of ``dtype`` holds text (strings, or categories that are strings)."""
    if is_categorical(dtype):
        dtype = host_dtype(dtype).categories.dtype
    return getattr(dtype, "kind", None) in ("O", "U", "T") or "str" in str(dtype)


def melt_partition(part: Any, **kwargs: Any) -> Any:
    """``melt`` of one partition (on the host where cuDF's ``melt`` refuses the columns, see
    :func:`melt_needs_host`)."""
    if melt_needs_host(part, **kwargs):
        return on_host(lambda frame: pd.melt(frame, **kwargs), part)
    return namespace(part).melt(part, **kwargs)


def meta_categories(meta_series: Any) -> list:
    """The categories of a categorical (empty) Series, as a host list."""
    categories = meta_series.cat.categories
    return (categories.to_pandas() if library_of(meta_series) == "cudf" else categories).tolist()


def _all_rows(frame: Any, index: Any) -> Any:
    """The rows of a pivot table of ``frame`` by ``index``: each category of a categorical ``index``, used or
    not (as pandas' observed=False and dask), else None (the values found)."""
    keys = frame[index]
    if not is_categorical(keys.dtype):
        return None
    return keys.cat.categories.astype(keys.dtype).rename(index)


def _pivot_one(frame: Any, index: Any, columns: Any, value: Any, categories: list, dtype: Any,
               fill_value: Any = None) -> Any:
    table = frame.pivot(index=index, columns=columns, values=value).reindex(columns=categories)
    rows = _all_rows(frame, index)
    if rows is not None:  # unused categories of the index: rows too (groupby drops them: observed=True)
        table = table.reindex(index=rows)
    values = frame[value].dtype
    if fill_value is not None:  # sum / count: 0 where no rows, in the aggregate's dtype (int64 stays, as pandas)
        text = getattr(values, "kind", "O") in "OUT" or "str" in str(values)
        return table.fillna("" if text else fill_value).astype(values)  # (pandas' sum of no text: "")
    if dtype is None:  # mean: missing where no rows, in the means' dtype (Float64 of Int64, float32, times) as pandas
        return table.astype(values if getattr(values, "kind", "") in "fmM" else "float64")
    kind = getattr(dtype, "kind", "O")
    if isinstance(dtype, np.dtype) and kind in "iub":
        # first / last of integers or booleans: a cell without rows is missing, which NumPy's integers and booleans
        # cannot hold: float64 then, as pandas (and dask's results; the metadata keeps the values' dtype, as dask's)
        return table.astype(_with_missing_cells(dtype) if bool(table.isna().any().any()) else dtype)
    try:
        return table.astype(dtype)  # other dtypes hold the missing cells: the values' dtype is kept
    except (TypeError, ValueError):
        return table


def _with_missing_cells(dtype: Any) -> Any:
    """pandas' dtype of a pivot table's first / last of NumPy integers or booleans where some cell has no rows:
    float64 (pandas 2.2: object of booleans, which keeps True / False)."""
    return "object" if dtype.kind == "b" and not PANDAS_3 else "float64"


def pivot_partition(aggregated: Any, columns_name: Any, categories: list, stacked: bool = False,
                    value_dtypes: dict | None = None, fill_value: Any = None, ordered: bool = False) -> Any:
    """The pivot table from values aggregated by ``(index, columns)`` (a Series, or a DataFrame of
    value columns): one column per category (``ordered``: as the categorical's ordering, as pandas);
    ``stacked``: columns ``(value column, category)``."""
    frame = aggregated.reset_index()  # (cuDF's Series has no unstack)
    index, columns, *values = list(frame.columns)
    dtypes = value_dtypes or {}
    tables = [_pivot_one(frame, index, columns, v, categories, dtypes.get(v), fill_value) for v in values]
    level = pd.CategoricalIndex(categories, categories=categories, ordered=ordered, name=columns_name)
    if stacked:
        width = len(categories)
        for i, part in enumerate(tables):  # labels unique across the parts: cuDF's concat refuses repeated ones
            part.columns = list(range(i * width, (i + 1) * width))
        table = concat(tables, axis=1)
        table.columns = pd.MultiIndex.from_product([values, level], names=[None, columns_name])
    else:
        table = tables[0]
        table.columns = level
    return table


# the aggregation that combines cells into a crosstab's margins (totals of totals, extremes of extremes)
MARGIN_COMBINE = {None: "sum", "sum": "sum", "count": "sum", "size": "sum", "min": "min", "max": "max"}


def crosstab_table(grouped: Any, labels: list, row: Any, col: Any, counts: bool, normalize: Any = False,
                   margins: str | None = None, aggfunc: Any = None) -> Any:
    """A group-by result of ``(row value, column value)`` pairs as ``pandas.crosstab`` lays it out: one column per
    label of ``labels`` (0 or missing where a pair has no rows), named ``row`` / ``col``, ``normalize``d as
    pandas, with totals named ``margins`` (None: none) (cuDF results are laid out on a host copy: they are
    small)."""
    if library_of(grouped) != "pandas":
        return on_host(crosstab_table, grouped, labels, row, col, counts, normalize, margins, aggfunc)
    if margins is not None:
        return _crosstab_with_margins(grouped, labels, row, col, counts, normalize, margins, aggfunc)
    # rows in order, as pandas' (sorted) groupby: unstacking a categorical column level reorders them
    table = grouped.unstack(level=1, fill_value=0 if counts else None).sort_index()
    table = table.reindex(columns=pd.Index(labels), fill_value=0 if counts else np.nan)
    table.index.name, table.columns.name = row, col
    if normalize is True or normalize == "all":
        table = table / table.to_numpy().sum()
    elif normalize == "index":
        table = table.div(table.sum(axis=1), axis=0)
    elif normalize == "columns":
        table = table / table.sum(axis=0)
    return table


def _crosstab_with_margins(grouped: Any, labels: list, row: Any, col: Any, counts: bool, normalize: Any,
                           margins: str, aggfunc: Any) -> Any:
    """pandas' crosstab of the cells' aggregates (one row per pair) with the cells combined into the margins
    (:data:`MARGIN_COMBINE`): the same table as pandas' of the rows themselves, with a column per label."""
    long = grouped.reset_index()
    rows, cols, values = (long.iloc[:, i] for i in range(3))
    table = pd.crosstab(rows, cols, values=values, aggfunc=MARGIN_COMBINE[None if counts else aggfunc],
                        margins=True, margins_name=margins, normalize=normalize, rownames=[row], colnames=[col])
    totals = [margins] if margins in table.columns else []  # (normalize="index" has no column of totals)
    columns = pd.Index([*labels, *totals], name=col, dtype=table.columns.dtype)  # (pandas: object, "All" or not)
    table = table.reindex(columns=columns, fill_value=0 if counts else np.nan)
    if counts and normalize is False:
        table = table.fillna(0).astype("int64")
    return table


def sorted_labels(values: Any) -> list:
    """The distinct values of a computed column, sorted, as host scalars (a crosstab's columns)."""
    from gpuscale.backends.convert import to_host

    host = pd.Series(to_host(values)).dropna()
    return pd.Index(host.unique()).sort_values().tolist()


def in_memory_crosstab(index: Any, columns: Any, **kwargs: Any) -> Any:
    """``pandas.crosstab`` of data in memory, as pandas gives it."""
    return pd.crosstab(index, columns, **kwargs)
