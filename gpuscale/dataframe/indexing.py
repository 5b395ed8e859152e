"""``set_index``: a sorted index with known divisions; ``df[label]`` for a tuple label."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.collection import compute
from gpuscale.dataframe.core import Scalar, new_collection
from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr
from gpuscale.dataframe.expr.shuffle import RangeShuffle
from gpuscale.dataframe.expr.sorting import WithDivisions, sort_boundaries_expr

__all__ = ["select_label", "set_index"]


def select_label(df: Any, label: Any) -> Any:
    """``df[label]`` for one tuple label of ``df``'s columns (``df[("b", "mean")]`` after an aggregation with
    MultiIndex columns): a Series, as pandas, where a plain projection would read the tuple as a column list;
    a first-level label of MultiIndex columns (``df["b"]``) gives the frame of its sub-columns.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"k": [1, 1, 2], "b": [1.0, 3.0, 5.0]})
    >>> agg = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").agg({"b": ["mean", "max"]})
    >>> agg[("b", "mean")].compute()
    k
    1    2.0
    2    5.0
    Name: (b, mean), dtype: float64
    >>> agg["b"].compute()
       mean  max
    k
    1   2.0  3.0
    2   5.0  5.0
    """
    one = Projection(df.expr, bf.labels_under(df._meta.columns, label))  # it still moves into readers, below filters
    meta = bf.column_by_label(df._meta, label)
    return new_collection(map_partitions_expr(bf.column_by_label, one, kwargs={"label": label}, meta=meta,
                                              label="getitem", columnwise=True))


def set_index(df: Any, column: Any, drop: bool = True, sorted: bool = False, npartitions: int | None = None,
              divisions: Any = None) -> Any:
    """See :meth:`DataFrame.set_index`.  Boundaries are computed at once (as Dask does)."""
    if hasattr(column, "expr"):  # a Series collection aligned with df: its values become the index
        from gpuscale.dataframe.divisions import set_index_from_series

        return set_index_from_series(df, column, drop, sorted, npartitions, divisions)
    if not isinstance(column, (str, int)):
        raise NotImplementedError("set_index needs a column label (assign a Series as a column first)")
    df._check_columns([column])
    if sorted:
        return _set_sorted_index(df, column, drop, divisions)
    n = npartitions or df.npartitions
    if divisions is not None:
        bounds, low, high = list(divisions[1:-1]), divisions[0], divisions[-1]
    else:
        bounds_expr = Scalar(sort_boundaries_expr(df.expr, column, n))
        bounds, low, high = compute(bounds_expr, df[column].min(), df[column].max())
        bounds = bf.unique_values(bounds).tolist()
    boundaries = _host_series(bounds)
    shuffled = RangeShuffle(df.expr, column, boundaries, len(bounds) + 1, True)
    meta = bf.make_meta(bf.set_index_partition(bf.meta_nonempty(df._meta), column, drop))
    indexed = map_partitions_expr(bf.set_index_partition, shuffled, kwargs={"column": column, "drop": drop}, meta=meta,
                                  label="set_index")
    return new_collection(WithDivisions(indexed, (_py(low), *map(_py, bounds), _py(high))))


def _set_sorted_index(df: Any, column: Any, drop: bool, divisions: Any) -> Any:
    meta = bf.make_meta(bf.meta_nonempty(df._meta).set_index(column, drop=drop))
    indexed = map_partitions_expr(bf.call_method, df.expr, "set_index", column, kwargs={"drop": drop}, meta=meta,
                                  label="set_index")
    if divisions is None:
        extremes = new_collection(map_partitions_expr(bf.min_max, df.expr, column, meta=df._meta, label="min_max"))
        pairs = [p for p in _partition_values(extremes) if p[0] is not None]
        if len(pairs) != df.npartitions:
            return new_collection(indexed)  # empty partitions: divisions stay unknown
        divisions = tuple(p[0] for p in pairs) + (pairs[-1][1],)
    return new_collection(WithDivisions(indexed, tuple(divisions)))


def _partition_values(collection: Any) -> list:
    from gpuscale.runtime import get

    expr = collection._optimized_expr()
    return list(get(expr.__dask_graph__(), expr.__dask_keys__()))


def _host_series(values: list) -> Any:
    return bf.host_series(values)


def _py(value: Any) -> Any:
    return bf.python_scalar(value)
