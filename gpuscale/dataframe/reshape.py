"""``get_dummies``, ``pivot_table`` and ``melt`` with dask.dataframe's rules (known categories make the
output columns known before anything is computed)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import crosstab as bct
from gpuscale.dataframe.core import FrameBase, new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["get_dummies", "pivot_table", "melt", "crosstab"]


def _check_dummies_column(meta_series: Any, name: Any) -> None:
    """dask's rule: the output columns must be known before computing, so only categoricals with known
    categories are encoded (``NotImplementedError`` otherwise, as dask)."""
    if not bf.is_categorical(meta_series.dtype):
        raise NotImplementedError(f"get_dummies: column {name!r} is not categorical ({meta_series.dtype}); its "
                                  "output columns would be unknown before computing: call df.categorize(columns="
                                  "[...]) first")
    if not bf.has_known_categories(meta_series):
        raise NotImplementedError(f"get_dummies: column {name!r} has unknown categories: call "
                                  "df.categorize(columns=[...]) (or .cat.as_known()) first")


def _dummy_columns(meta: Any, columns: Any) -> list:
    """The columns of a frame ``get_dummies`` encodes: ``columns``, or every categorical one (string
    columns are refused, as dask: their values are unknown before computing)."""
    if columns is None:
        strings = [c for c in meta.columns if bf.key_kind(meta[c].dtype) == "string" and
                   not bf.is_categorical(meta[c].dtype)]
        if strings:
            _check_dummies_column(meta[strings[0]], strings[0])
        columns = [c for c in meta.columns if bf.is_categorical(meta[c].dtype)]
    for column in columns:
        _check_dummies_column(meta[column], column)
    return list(columns)


def get_dummies(data: Any, prefix: Any = None, prefix_sep: str = "_", dummy_na: bool = False, columns: Any = None,
                sparse: bool = False, drop_first: bool = False, dtype: Any = bool) -> Any:
    """One indicator column per category, as ``dask.dataframe.get_dummies``.

    The output columns must be known before anything is computed, so the encoded columns must be
    categorical with known categories (``df.categorize()`` first); anything else raises
    ``NotImplementedError``, as in dask.  A pandas/cuDF object gets the library's own ``get_dummies``.

    Parameters
    ----------
    data : Series or DataFrame
        A categorical Series, or a DataFrame whose ``columns`` (default: every categorical column) are
        categorical; the other columns are kept as they are.
    prefix, prefix_sep, dummy_na, drop_first, dtype
        As pandas.
    columns : list, optional
        The columns to encode.
    sparse : bool
        Sparse indicator columns (pandas partitions; cuDF has no sparse columns).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"s": list("abca")}), npartitions=2, backend="cpu").categorize()
    >>> list(gd.get_dummies(df).columns)
    ['s_a', 's_b', 's_c']
    >>> gd.get_dummies(df, dtype="float64").compute().s_a.tolist()
    [1.0, 0.0, 0.0, 1.0]
    """
    kwargs = {"prefix": prefix, "prefix_sep": prefix_sep, "dummy_na": dummy_na, "columns": columns,
              "sparse": sparse, "drop_first": drop_first, "dtype": dtype}
    if not isinstance(data, FrameBase) and bf.is_frame_like(data):  # in memory: the library's own (as dask)
        return bf.get_dummies_partition(data, **kwargs)
    bf.check_sparse_dummies(data._meta, sparse)
    if hasattr(data, "columns"):
        kwargs["columns"] = _dummy_columns(data._meta, columns)
    else:
        _check_dummies_column(data._meta, data.name)
    meta = bf.make_meta(bf.get_dummies_partition(bf.meta_nonempty(data._meta), **kwargs))
    return new_collection(map_partitions_expr(bf.get_dummies_partition, data.expr, kwargs=kwargs, meta=meta,
                                              label="get_dummies"))


_PIVOT_AGGFUNCS = ("mean", "sum", "count", "first", "last")


def _is_label(value: Any) -> bool:
    return not isinstance(value, (list, tuple, set, dict, FrameBase)) and not bf.is_frame_like(value)


def _pivot_checks(df: Any, index: Any, columns: Any, values: Any, aggfunc: Any) -> list:
    """dask's checks of ``pivot_table``'s arguments (with its messages); the value columns."""
    names = set(df.columns)
    if not _is_label(index) or index not in names:
        raise ValueError(f"pivot_table: 'index' must be the name of an existing column, got {index!r}")
    if not _is_label(columns) or columns not in names:
        raise ValueError(f"pivot_table: 'columns' must be the name of an existing column, got {columns!r}")
    column = df._meta[columns]
    if not bf.is_categorical(column.dtype):
        raise ValueError(f"pivot_table: 'columns' must be category dtype (column {columns!r} is {column.dtype}): "
                         "call df.categorize(columns=[...]) first")
    if not bf.has_known_categories(column):
        raise ValueError(f"pivot_table: 'columns' must have known categories (column {columns!r}): call "
                         "df.categorize(columns=[...]) first")
    listed = [values] if _is_label(values) else list(values) if isinstance(values, (list, tuple)) else None
    if not listed or not all(_is_label(v) and v in names for v in listed):
        raise ValueError(f"pivot_table: 'values' must refer to an existing column or columns, got {values!r}")
    if not isinstance(aggfunc, str) or aggfunc not in _PIVOT_AGGFUNCS:
        raise ValueError("pivot_table: aggfunc must be either " + ", ".join(f"'{a}'" for a in _PIVOT_AGGFUNCS)
                         + f", got {aggfunc!r}")
    return listed


def pivot_table(df: Any, index: Any = None, columns: Any = None, values: Any = None, aggfunc: str = "mean") -> Any:
    """A pivot table, as ``dask.dataframe.pivot_table``; the result is one partition.

    ``columns`` must be categorical with known categories (they become the output columns, so these
    are known before computing).  Cells of ``(index, category)`` pairs without rows are missing.

    Parameters
    ----------
    df : DataFrame
    index : label
        The column whose values (sorted) become the index.
    columns : label
        A categorical column with known categories: one output column per category.
    values : label or list of labels
        The column(s) aggregated; a list gives two column levels (value column, category), the value
        columns sorted, as dask.
    aggfunc : {"mean", "sum", "count", "first", "last"}
        ``mean`` gives the means' dtype (float64; Float64 of nullable values); ``sum`` and ``count`` the
        aggregate's dtype (0 where no rows, as pandas' ``observed=False``: an index value whose rows all lack a
        category too); ``first``/``last`` keep the values' dtypes (integers and
        booleans with cells without rows: float64 as pandas, the metadata keeping the values' dtypes as dask's).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"k": [1, 1, 2], "c": ["x", "y", "x"], "v": [1.0, 2.0, 3.0], "w": [4, 5, 6]})
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu").categorize(columns=["c"])
    >>> gd.pivot_table(df, index="k", columns="c", values="v", aggfunc="sum").compute().loc[2, "x"]
    np.float64(3.0)
    >>> table = gd.pivot_table(df, index="k", columns="c", values=["w", "v"], aggfunc="last").compute()
    >>> table.columns.tolist()
    [('v', 'x'), ('v', 'y'), ('w', 'x'), ('w', 'y')]
    """
    names = sorted(_pivot_checks(df, index, columns, values, aggfunc))
    categories = list(bf.meta_categories(df._meta[columns]))
    totals = aggfunc in ("sum", "count")
    if totals:  # an index value whose rows all lack a category is a row of 0s (pandas with observed=False, dask)
        df = df[df[index].notna()]
    # one output partition: the partials are combined once, not hash-split first (split_out=1)
    grouped = df.groupby([index, columns], sort=True, dropna=not totals)
    aggregated = getattr(grouped[names[0]] if _is_label(values) else grouped[names], aggfunc)(split_out=1)
    dtypes = {n: df._meta[n].dtype for n in names} if aggfunc in ("first", "last") else None
    kwargs = {"columns_name": columns, "categories": categories, "stacked": not _is_label(values),
              "value_dtypes": dtypes, "ordered": bool(df._meta[columns].dtype.ordered),
              "fill_value": 0 if totals else None}  # empty pairs: 0 (pandas, dask)
    meta = bf.make_meta(bf.pivot_partition(aggregated._meta, **kwargs))
    return new_collection(map_partitions_expr(bf.pivot_partition, aggregated.expr, kwargs=kwargs, meta=meta,
                                              label="pivot_table"))


def melt(frame: Any, id_vars: Any = None, value_vars: Any = None, var_name: Any = None, value_name: str = "value",
         col_level: Any = None) -> Any:
    """Unpivot a DataFrame from wide to long format, partition by partition (as ``dask.dataframe.melt``).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 2], "a": [3, 4]}), npartitions=1, backend="cpu")
    >>> gd.melt(df, id_vars="k").compute().value.tolist()
    [3, 4]
    """
    kwargs = {"id_vars": id_vars, "value_vars": value_vars, "var_name": var_name, "value_name": value_name,
              "col_level": col_level}
    bf.check_melt_values(frame._meta, **kwargs)  # (cuDF: no column of text and numbers)
    meta = bf.make_meta(bf.melt_partition(bf.meta_nonempty(frame._meta), **kwargs))
    return new_collection(map_partitions_expr(bf.melt_partition, frame.expr, kwargs=kwargs, meta=meta, label="melt"))


def crosstab(index: Any, columns: Any, values: Any = None, rownames: Any = None, colnames: Any = None,
             aggfunc: Any = None, margins: bool = False, margins_name: str = "All", dropna: bool = True,
             normalize: Any = False) -> Any:
    """How often each pair of values of two Series occurs (or ``aggfunc`` of ``values`` per pair), as
    ``pandas.crosstab``: a groupby of the pairs laid out as a table.  The distinct values of ``columns`` become
    the result's columns, so they are computed at once (as ``cut`` computes its range).

    Parameters
    ----------
    index, columns : Series (gpuscale, partitioned alike; pandas objects go to pandas)
        The values giving the rows and the columns.
    values : Series, optional
        Aggregated by ``aggfunc`` per pair (with it only).
    rownames, colnames : list of one label, optional
        The names of the index and of the columns (default: the Series' names).
    aggfunc : str, optional
        A groupby aggregation (``"sum"``, ``"mean"``, ...).
    margins, margins_name : optional
        Totals of each row and column (and all), named ``margins_name``: of counts, or of ``aggfunc`` ``sum``,
        ``count``, ``size``, ``min`` or ``max`` (combined from the cells).
    dropna : bool
        Only True: pairs with a missing value are left out, as pandas.
    normalize : {False, True, "all", "index", "columns"}
        Proportions of all values, of each row or of each column.

    Returns
    -------
    DataFrame
        One partition.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"a": ["x", "y", "x", "z"], "b": [1, 2, 1, 1]})
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    >>> gd.crosstab(df.a, df.b).compute().to_dict("index")
    {'x': {1: 2, 2: 0}, 'y': {1: 0, 2: 1}, 'z': {1: 1, 2: 0}}
    """
    from gpuscale.dataframe.core import FrameBase

    _refuse_key_lists(index, columns, FrameBase)
    if not isinstance(index, FrameBase):
        return bf.in_memory_crosstab(index, columns, values=values, rownames=rownames, colnames=colnames,
                                     aggfunc=aggfunc, margins=margins, margins_name=margins_name, dropna=dropna,
                                     normalize=normalize)
    if values is None and aggfunc is not None:
        raise ValueError("aggfunc cannot be used without values.")
    if values is not None and aggfunc is None:
        raise ValueError("values cannot be used without an aggfunc.")
    if not dropna:
        raise NotImplementedError("crosstab: dropna=False is not supported (pairs with a missing value are left "
                                  "out)")
    if margins and aggfunc not in bf.MARGIN_COMBINE:
        raise NotImplementedError(f"crosstab: margins= with aggfunc={aggfunc!r}: only sum, count, size, min and "
                                  "max (whose totals combine the cells' values)")
    from gpuscale.collection import compute

    row = rownames[0] if rownames else index.name if index.name is not None else "row_0"
    col = colnames[0] if colnames else columns.name if columns.name is not None else "col_0"
    pairs = index.rename("__row__").to_frame().assign(__col__=columns)
    if values is not None:
        pairs = pairs.assign(__value__=values)
    (distinct,) = compute(columns.dropna().unique())
    labels = bf.sorted_labels(distinct)
    grouped = pairs.groupby(["__row__", "__col__"])
    grouped = grouped.size(split_out=1) if values is None else getattr(grouped["__value__"], aggfunc)(split_out=1)
    kwargs = {"labels": labels, "col_dtype": bct.crosstab_key_dtype(columns._meta), "row": row, "col": col,
              "counts": values is None, "normalize": normalize, "margins": margins_name if margins else None,
              "aggfunc": aggfunc}
    return grouped._map(bct.crosstab_layout, kwargs=kwargs, label="crosstab",
                        meta=bct.crosstab_meta(grouped._meta, **kwargs))


def _refuse_key_lists(index: Any, columns: Any, frame_base: type) -> None:
    """Several keys (a list of Series for ``index`` or ``columns``) of collections are refused by name."""
    for name, key in (("index", index), ("columns", columns)):
        lazy = isinstance(key, (list, tuple)) and any(isinstance(k, frame_base) for k in key)
        if lazy or (isinstance(key, (list, tuple)) and isinstance(index if name == "columns" else columns, frame_base)):
            raise NotImplementedError(f"crosstab: a list of Series as {name}= (several keys, a MultiIndex) is not "
                                      "supported for collections; pass one Series, or combine the keys into one "
                                      "column first")
