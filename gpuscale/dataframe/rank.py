"""``rank`` of Series and DataFrame across partitions (pandas'; dask has none).

A column's values, tagged with their partition and position (:mod:`gpuscale.dataframe.routed`), are range-shuffled
into buckets of value ranges in rank order (boundaries sampled, as ``sort_values``), so equal values meet in one
bucket; each bucket ranks its own values (``Series.rank`` of the partition library), a tree reduction counts the
values (distinct values, missing values) of every bucket, each bucket's ranks move past those before it, and the
ranks go back to their rows' partitions.  Two shuffles of one column; a DataFrame ranks its columns one by one.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["SeriesRank", "DataFrameRank"]


def _check(method: str, na_option: str, axis: Any, along_rows: bool = False) -> None:
    if method not in bf.RANK_METHODS:
        raise ValueError(f"rank: method must be one of {list(bf.RANK_METHODS)}, not {method!r}")
    if na_option not in ("keep", "top", "bottom"):
        raise ValueError(f"rank: na_option must be 'keep', 'top' or 'bottom', not {na_option!r}")
    if axis not in (0, "index", None, *((1, "columns") if along_rows else ())):
        kind = "DataFrame" if along_rows else "Series"
        raise ValueError(f"rank: No axis named {axis!r} for object type {kind}")


def _rank_series(obj: Any, method: str, ascending: bool, na_option: str, pct: bool) -> Any:
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.expr.indexed import MapIndexed
    from gpuscale.dataframe.expr.reductions import tree_reduce
    from gpuscale.dataframe.expr.shuffle import RangeShuffle
    from gpuscale.dataframe.expr.sorting import sort_boundaries_expr
    from gpuscale.dataframe.routed import routed_home, tagged_keys

    meta = bf.make_meta(bf.meta_nonempty(obj._meta).rank(method=method, ascending=ascending, na_option=na_option,
                                                          pct=pct))
    if obj.npartitions == 1:
        kwargs = {"method": method, "ascending": ascending, "na_option": na_option, "pct": pct}
        return obj._map(bf.rank_partition, kwargs=kwargs, meta=meta, label="rank")
    if bf.is_categorical(obj._meta.dtype):  # pandas ranks ordered categories in their order, others by value
        obj = obj._map(bf.rank_keys_of_categories, meta=bf.rank_keys_of_categories(obj._meta), label="rank-keys")
    n = obj.npartitions
    tagged, sample, (key,) = tagged_keys(obj, None, "rank")
    bounds = sort_boundaries_expr(tagged, key, n, ascending)
    buckets = RangeShuffle(tagged, key, bounds, n, ascending, "last")
    kwargs = {"method": method, "ascending": ascending}
    local = MapIndexed(buckets, bf.rank_local, kwargs, bf.rank_local(sample, 0, **kwargs), "rank-local", False)
    stats = tree_reduce(local, bf.rank_stats, bf.rank_stats_combine, bf.rank_stats_combine, {}, None, "rank-counts")
    finish = {"method": method, "na_option": na_option, "pct": pct}
    ranked = map_partitions_expr(bf.rank_finish, local, stats, kwargs=finish, label="rank",
                                 meta=bf.rank_finish(local._meta, {}, **finish))
    out = routed_home(obj, ranked, meta, "rank")
    if str(meta.dtype) != "float64":  # (the buckets rank in float64: pandas' nullable ranks, Float64 or UInt64)
        out = out._map(bf.cast_like, meta, meta=meta, label="rank-dtype")
    return out


class SeriesRank:
    """Mixin of Series: ``rank``."""

    def rank(self, axis: Any = 0, method: str = "average", numeric_only: bool = False, na_option: str = "keep",
             ascending: bool = True, pct: bool = False) -> Any:
        """The rank of each value among all values (1 = smallest), as pandas' ``rank``.

        Parameters
        ----------
        axis : {0, "index"}
            Only the rows.
        method : {"average", "min", "max", "first", "dense"}
            The rank of tied values: their average, lowest or highest rank, their order of appearance, or
            ranks without gaps.
        numeric_only : bool
            Accepted as pandas (a Series ranks its values).
        na_option : {"keep", "top", "bottom"}
            Missing values stay missing, or rank first or last.
        ascending : bool
            1 for the smallest (True) or the largest value.
        pct : bool
            Ranks divided by the largest rank.

        Returns
        -------
        Series
            float64, with this Series' index, partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([30, 10, 20, 10, None]), npartitions=2, backend="cpu")
        >>> s.rank().compute().tolist()
        [4.0, 1.5, 3.0, 1.5, nan]
        >>> s.rank(method="dense", ascending=False, na_option="bottom").compute().tolist()
        [1.0, 3.0, 2.0, 3.0, 4.0]
        """
        _check(method, na_option, axis)
        return _rank_series(self, method, bool(ascending), na_option, bool(pct))


class DataFrameRank:
    """Mixin of DataFrame: ``rank``."""

    def rank(self, axis: Any = 0, method: str = "average", numeric_only: bool = False, na_option: str = "keep",
             ascending: bool = True, pct: bool = False) -> Any:
        """The rank of each value within its column (see :meth:`gpuscale.dataframe.Series.rank`).

        Parameters
        ----------
        axis : {0, "index", 1, "columns"}
            Each column's values among the column's (0), or each row's among the row's (1: row by row, in
            each partition).
        method : {"average", "min", "max", "first", "dense"}
            The rank of tied values.
        numeric_only : bool
            Only the numeric (and boolean) columns.
        na_option : {"keep", "top", "bottom"}
            Missing values stay missing, or rank first or last.
        ascending : bool
            1 for the smallest value.
        pct : bool
            Ranks divided by each column's largest rank.

        Returns
        -------
        DataFrame
            float64 columns, with this frame's index, partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [3, 1, 2], "b": ["x", "z", "y"]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").rank().compute().to_dict("list")
        {'a': [3.0, 1.0, 2.0], 'b': [1.0, 3.0, 2.0]}
        """
        _check(method, na_option, axis, along_rows=True)
        frame = self[bf.numeric_columns(self._meta)] if numeric_only else self  # pandas': timedeltas not
        if axis in (1, "columns"):
            kwargs = {"axis": 1, "method": method, "ascending": bool(ascending), "na_option": na_option,
                      "pct": bool(pct)}
            meta = bf.make_meta(bf.meta_nonempty(frame._meta).rank(**kwargs))
            return frame._map(bf.rank_partition, kwargs=kwargs, meta=meta, label="rank-rows")
        out = frame[list(frame.columns)].copy()
        # (pandas' DataFrame.rank gives float64 where a Series' rank of a nullable column is Float64)
        dtypes = bf.meta_nonempty(frame._meta).rank(method=method, ascending=bool(ascending), na_option=na_option,
                                                   pct=bool(pct)).dtypes
        for label in frame.columns:
            ranked = _rank_series(frame[label], method, bool(ascending), na_option, bool(pct))
            out[label] = ranked if ranked.dtype == dtypes[label] else ranked.astype(dtypes[label])
        return out
