"""``get_dummies``, ``pivot_table`` and ``melt`` with dask.dataframe's rules (known categories make the
output columns known before anything is computed)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["get_dummies", "pivot_table", "melt"]


def _known(series: Any, what: str, name: Any) -> list:
    if not bf.is_categorical(series.dtype) or not series.cat.known:
        raise ValueError(f"{what} needs column {name!r} to be categorical with known categories (its output "
                         "columns must be known before computing): call df.categorize(columns=[...]) first")
    return list(series.cat.categories)


def get_dummies(data: Any, prefix: Any = None, prefix_sep: str = "_", dummy_na: bool = False, columns: Any = None,
                sparse: bool = False, drop_first: bool = False, dtype: Any = bool) -> Any:
    """One indicator column per category, as ``dask.dataframe.get_dummies`` (known categories only).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"s": list("abca")}), npartitions=2, backend="cpu").categorize()
    >>> list(gd.get_dummies(df).columns)
    ['s_a', 's_b', 's_c']
    """
    if sparse:
        raise NotImplementedError("get_dummies(sparse=True) is not supported; sparse partitions do not exist "
                                  "in cuDF")
    if hasattr(data, "columns"):
        chosen = columns if columns is not None else [c for c in data.columns if bf.is_categorical(data[c].dtype)
                                                        or bf.key_kind(data[c].dtype) == "string"]
        for column in chosen:
            _known(data[column], "get_dummies", column)
    else:
        _known(data, "get_dummies", data.name)
    kwargs = {"prefix": prefix, "prefix_sep": prefix_sep, "dummy_na": dummy_na, "columns": columns,
              "drop_first": drop_first, "dtype": dtype}
    meta = bf.make_meta(bf.get_dummies_partition(bf.meta_nonempty(data._meta), **kwargs))
    return new_collection(map_partitions_expr(bf.get_dummies_partition, data.expr, kwargs=kwargs, meta=meta,
                                              label="get_dummies"))


def pivot_table(df: Any, index: Any = None, columns: Any = None, values: Any = None, aggfunc: str = "mean") -> Any:
    """A pivot table, as ``dask.dataframe.pivot_table``: ``columns`` must be categorical with known
    categories; ``aggfunc`` one of mean, sum, count, first, last. The result is one partition.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"k": [1, 1, 2], "c": ["x", "y", "x"], "v": [1.0, 2.0, 3.0]})
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu").categorize(columns=["c"])
    >>> gd.pivot_table(df, index="k", columns="c", values="v", aggfunc="sum").compute().loc[2, "x"]
    np.float64(3.0)
    """
    if not isinstance(index, (str, int)) or not isinstance(columns, (str, int)):
        raise ValueError("pivot_table needs one column label for index= and one for columns= (as dask)")
    if aggfunc not in ("mean", "sum", "count", "first", "last"):
        raise ValueError(f"pivot_table: aggfunc must be mean, sum, count, first or last, got {aggfunc!r}")
    categories = _known(df[columns], "pivot_table", columns)
    names = [values] if isinstance(values, (str, int)) else list(values) if values is not None else \
        [c for c in df.columns if c not in (index, columns)]
    if len(names) != 1:
        raise NotImplementedError("pivot_table with several value columns: pivot them one at a time")
    # one output partition: the partials are combined once, not hash-split first (split_out=1)
    aggregated = getattr(df.groupby([index, columns], sort=True)[names[0]], aggfunc)(split_out=1)
    kwargs = {"columns_name": columns, "categories": categories}
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
    meta = bf.make_meta(bf.melt_partition(bf.meta_nonempty(frame._meta), **kwargs))
    return new_collection(map_partitions_expr(bf.melt_partition, frame.expr, kwargs=kwargs, meta=meta, label="melt"))
