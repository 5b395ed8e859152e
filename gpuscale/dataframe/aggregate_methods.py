"""``agg`` / ``aggregate`` of a whole DataFrame or Series by the names of its reductions, and ``transform`` by the
names of its same-shaped methods (pandas'; dask has neither).

Each named reduction is the collection's own (``df.sum()``, ``s.nunique()`` ...), so they are planned and
computed together; the results are put into pandas' shape in one small task: a Series for one name per column
(or of a Series), a table whose rows are the names for lists.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["AggregateMethods", "TransformMethods", "applied_by_name"]

# the reductions agg takes by name (each a method of both collections)
_NAMED = ("sum", "mean", "min", "max", "count", "std", "var", "sem", "prod", "median", "nunique", "any", "all")

# the label of a Series' values in the one-column frame its agg([...]) table is made of
_COLUMN = "__agg_values__"

# the methods transform takes by name: results of the input's shape (each a method of both collections)
_SAME_SHAPE = ("abs", "cumsum", "cumprod", "cummax", "cummin", "rank", "shift", "diff", "pct_change", "ffill",
               "bfill", "interpolate", "isna", "isnull", "notna", "notnull", "round")


def _transformed(obj: Any, func: Any, args: tuple, kwargs: dict) -> Any:
    if isinstance(func, str):
        if func not in _SAME_SHAPE:
            raise ValueError("Function did not transform" if func in _NAMED else
                             f"transform: {func!r} is not one of the methods it takes by name: {list(_SAME_SHAPE)}")
        return getattr(obj, func)(*args, **kwargs)
    if type(func).__name__ == "ufunc":  # NumPy's element-wise functions (np.sqrt): partition by partition
        return func(obj, *args, **kwargs)
    raise NotImplementedError("transform: a function is given whole columns by pandas, which a partition is not; "
                              "pass a method name or a NumPy ufunc, or map_partitions(func) for an element-wise "
                              "function")


class TransformMethods:
    """Mixin of DataFrame and Series: ``transform``."""

    def transform(self, func: Any, axis: Any = 0, *args: Any, **kwargs: Any) -> Any:
        """The collection transformed into one of the same shape, as pandas' ``transform``: by the name of a
        same-shaped method (``"cumsum"``, ``"rank"``, ``"shift"``, ...), a NumPy ufunc, or (DataFrame) a dict of
        them per column.

        Parameters
        ----------
        func : str, NumPy ufunc or dict
            What transforms each column.
        axis : {0, "index"}
            Only down the rows.
        *args, **kwargs
            Passed to ``func``.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import numpy as np, pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 9.0, 16.0]}), npartitions=2, backend="cpu")
        >>> df.transform({"a": "cumsum", "b": np.sqrt}).compute().to_dict("list")
        {'a': [1, 3, 6], 'b': [2.0, 3.0, 4.0]}
        """
        if axis not in (0, "index"):
            raise NotImplementedError("transform: only down the rows (axis=0)")
        if isinstance(func, dict):
            if not hasattr(self, "columns"):
                raise TypeError("transform: a dict of functions is per column (a DataFrame's)")
            out = self[list(func)].copy()
            for label, each in func.items():
                out[label] = _transformed(self[label], each, args, kwargs)
            return out
        if isinstance(func, (list, tuple)):
            raise NotImplementedError("transform: a list of functions (MultiIndex columns) is not supported; "
                                      "transform with each and concat(axis=1)")
        return _transformed(self, func, args, kwargs)


class AggregateMethods:
    """Mixin of DataFrame and Series: ``agg`` / ``aggregate``."""

    def agg(self, func: Any = None, axis: Any = 0, *args: Any, **kwargs: Any) -> Any:
        """Reductions by name, as pandas' ``agg``: one name gives that reduction, a list a table (a Series for a
        Series) indexed by the names, a dict (DataFrame) names per column.

        Parameters
        ----------
        func : str, list of str or dict
            Names of reductions (``"sum"``, ``"mean"``, ``"min"``, ``"max"``, ``"count"``, ``"std"``,
            ``"var"``, ``"sem"``, ``"prod"``, ``"median"``, ``"nunique"``, ``"any"``, ``"all"``); a dict maps
            columns to names (of a Series: the labels of the results to names).
        axis : {0, "index"}
            Only down the columns.

        Returns
        -------
        Scalar, Series or DataFrame
            As pandas: a table's missing combinations of a dict are NaN.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]}), npartitions=2, backend="cpu")
        >>> df.agg(["sum", "max"]).compute().to_dict()
        {'a': {'sum': 6, 'max': 3}, 'b': {'sum': 15.0, 'max': 6.0}}
        >>> df.agg({"a": "sum", "b": "mean"}).compute().to_dict()
        {'a': 6.0, 'b': 5.0}
        >>> df.a.agg(["min", "max"]).compute().tolist()
        [1, 3]
        """
        if axis not in (0, "index"):
            raise NotImplementedError(f"agg(axis={axis!r}): only down the columns (axis=0)")
        if args or kwargs:
            raise NotImplementedError("agg: arguments for the reductions are not supported; call the reduction "
                                      "method with them (df.std(ddof=0))")
        if isinstance(func, str):
            return _reduction(self, func)
        if isinstance(func, (list, tuple)) and func:
            names = [_name(f) for f in func]
            if not hasattr(self, "columns"):
                return _series_table(self, names, names, names)
            return _table(self, names, {n: list(self.columns) for n in names}, list(self.columns), names)
        if isinstance(func, dict) and func and not hasattr(self, "columns"):  # labels of the results, as pandas
            if not all(isinstance(f, str) for f in func.values()):
                raise NotImplementedError("agg: a Series' dict maps labels to names of reductions, one each")
            return _series_table(self, [_name(f) for f in func.values()], list(func), func)
        if isinstance(func, dict) and func and hasattr(self, "columns"):
            per_column = {column: [_name(f) for f in (fs if isinstance(fs, (list, tuple)) else [fs])]
                          for column, fs in func.items()}
            if all(isinstance(fs, str) for fs in func.values()):  # one name per column: a Series, as pandas
                return _stacked([_reduction(self[c], fs[0]).to_series(c) for c, fs in per_column.items()])
            names = list(dict.fromkeys(n for fs in per_column.values() for n in fs))
            columns = {n: [c for c, fs in per_column.items() if n in fs] for n in names}
            return _table(self, names, columns, list(per_column), per_column)
        raise NotImplementedError(f"agg: {func!r} is not supported; pass the name of a reduction, a list of "
                                  "names or a dict of them (per column of a DataFrame, per label of a Series)")

    aggregate = agg


def _name(func: Any) -> str:
    if not isinstance(func, str) or func not in _NAMED:
        raise NotImplementedError(f"agg: {func!r} is not one of the reductions agg takes by name: {', '.join(_NAMED)}")
    return func


def _reduction(obj: Any, name: str) -> Any:
    return getattr(obj, _name(name))()


def _stacked(rows: list) -> Any:
    """One-partition Series of the one-row Series ``rows``."""
    from gpuscale.dataframe.multi import concat

    return concat(rows).repartition(npartitions=1)


def _series_table(series: Any, names: list, labels: list, spec: Any) -> Any:
    """The Series of reductions ``names`` of ``series`` at ``labels``: the one column of its frame's table, of
    the dtype pandas' ``agg(spec)`` gives (empty data too)."""
    column = series.to_frame(name=_COLUMN)
    table = _table(column, names, {n: [_COLUMN] for n in names}, [_COLUMN], spec, series._meta, labels)
    return table[_COLUMN].rename(series.name)


def _table(frame: Any, names: list, columns: dict, order: list, spec: Any, sample: Any = None,
           labels: list | None = None) -> Any:
    """The table of reductions ``names`` (rows, labelled ``labels``: the names by default) of ``columns[name]``
    of ``frame``, columns in ``order``, of the dtypes pandas' ``agg(spec)`` gives each column (per column:
    ``sum`` of integers stays integers) of ``frame`` (or of the Series ``sample``, metadata)."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr

    results = [_reduction(frame[columns[n]], n) for n in names]
    # the metadata is pandas' table of a sample (stand-ins of the results would not share pandas' index labels)
    meta = bf.agg_table_meta(frame._meta if sample is None else sample, order, spec)
    kwargs = {"names": tuple(labels or names), "columns": tuple(order), "dtypes": tuple(meta.dtypes),
              "sources": tuple(frame._meta[order].dtypes), "labels": meta.columns}
    return new_collection(map_partitions_expr(bf.reductions_table, *[r.expr for r in results], kwargs=kwargs,
                                              meta=meta, label="agg", positional=True))


def applied_by_name(series: Any, func: Any, args: tuple, kwargs: dict) -> Any:
    """``Series.apply`` of a name, list or dict, routed as pandas routes it: a name to that method of the whole
    Series (a reduction, or a same-shaped method such as ``cumsum``), a list or dict to :meth:`agg`.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
    >>> applied_by_name(s, "cumsum", (), {}).compute().tolist()
    [1, 3, 6, 10]
    >>> applied_by_name(s, {"top": "max"}, (), {}).compute().to_dict()
    {'top': 4}
    """
    if isinstance(func, str):
        if bf.numpy_ufunc(func) is not None:  # apply("sqrt"): NumPy's function, element-wise
            return bf.numpy_ufunc(func)(series, *args, **kwargs)
        if func not in _NAMED + _SAME_SHAPE:
            raise NotImplementedError(f"apply: {func!r} is not one of the methods apply takes by name: "
                                      f"{', '.join(_NAMED + _SAME_SHAPE)}, or a NumPy ufunc")
        return getattr(series, func)(*args, **kwargs)
    if isinstance(func, (list, tuple)) and func and not any(_reduces(f) for f in func):
        return _applied_side_by_side(series, list(func), args, kwargs)
    if isinstance(func, (list, tuple)) and not all(_reduces(f) for f in func):
        raise ValueError("cannot combine transform and aggregation operations")  # pandas' error
    if isinstance(func, dict) and not all(_reduces(f) for f in func.values()):
        raise NotImplementedError("Series.apply of a dict of element-wise functions (pandas stacks their results "
                                  "under the dict's keys) is not supported; apply each and concat the results")
    return series.agg(func, 0, *args, **kwargs)


def _reduces(func: Any) -> bool:
    """Whether ``apply([...])`` reduces with ``func`` (a reduction's name) rather than applying it element-wise
    or as a same-shaped method."""
    return isinstance(func, str) and func in _NAMED


def _applied_side_by_side(series: Any, funcs: list, args: tuple, kwargs: dict) -> Any:
    """``apply([np.sqrt, "cumsum", f])``: each applied as ``apply(func)`` would, side by side in a DataFrame with
    pandas' column names (a name, a function's ``__name__``)."""
    from gpuscale.dataframe.multi import concat

    columns = []
    for func in funcs:
        name = func if isinstance(func, str) else getattr(func, "__name__", repr(func))
        columns.append(series.apply(func, args, **kwargs).rename(name))
    return concat(columns, axis=1)
