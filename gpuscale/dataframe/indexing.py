"""``set_index``: a sorted index with known divisions; ``df[label]`` for a tuple label."""

from __future__ import annotations

import builtins
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.collection import compute
from gpuscale.dataframe.core import Scalar, new_collection
from gpuscale.dataframe.expr.blockwise import Partitions, Projection, map_partitions_expr
from gpuscale.dataframe.expr.shuffle import RangeShuffle, shuffle_method_option
from gpuscale.dataframe.expr.reductions import tree_reduce
from gpuscale.dataframe.expr.sorting import BoundaryRowsMoved, WithDivisions, sort_boundaries_expr

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


def set_index(df: Any, other: Any, drop: bool = True, sorted: bool = False, npartitions: int | None = None,
              divisions: Any = None, sort: bool = True, shuffle_method: Any = None, upsample: float = 1.0,
              partition_size: Any = None, append: bool = False, max_branch: Any = None) -> Any:
    """See :meth:`DataFrame.set_index`.  Boundaries are computed at once (as Dask does)."""
    other = _one_index_key(other)
    _check_hashable_key(other)
    method = shuffle_method_option(shuffle_method, "set_index")
    from gpuscale.dataframe.methods import npartitions_option

    npartitions = npartitions_option(npartitions, "set_index")
    divisions = _divisions_like_column(df, other, divisions)
    _check_set_index_options(df, sorted, sort, npartitions, divisions, append)
    if hasattr(other, "expr") and other._name == df.index._name:
        return df  # already the index (as dask)
    if hasattr(other, "expr") and append:
        raise NotImplementedError("set_index: append=True takes a column name, not a collection")
    if hasattr(other, "expr"):  # a collection aligned with df: its values become the index
        from gpuscale.dataframe.divisions import set_index_from_series

        return set_index_from_series(df, other, drop, sorted, npartitions, divisions, sort, method)
    if other not in df.columns and other == df._meta.index.name:
        return df  # already the index (as dask)
    if other not in df.columns:
        raise KeyError(f"set_index: the DataFrame has no column {other!r}; available columns: {list(df.columns)}")
    if append and sort and not sorted:  # as dask: the rows sorted by the column, which joins the index
        return set_index(df.sort_values(other), other, drop=drop, sort=False, append=True)
    if append or not sort:  # pandas' set_index partition by partition: the rows stay where they are
        meta = bf.make_meta(bf.meta_nonempty(df._meta).set_index(other, drop=drop, append=append))
        return new_collection(map_partitions_expr(bf.call_method, df.expr, "set_index", other,
                                                  kwargs={"drop": drop, "append": append}, meta=meta,
                                                  label="set_index"))
    if sorted:
        out = _set_sorted_index(df, other, drop, divisions)
        if out is not None:
            return out
    from gpuscale.dataframe.methods import _max_branch_option

    return _sorted_by_shuffle(df, other, drop, npartitions, divisions, method, _max_branch_option(max_branch))


def _check_hashable_key(other: Any) -> None:
    """In-memory values (a NumPy array, a pandas Index or Series) are no column label and no lazy collection:
    named, not met by ``unhashable type`` on looking them up among the columns."""
    if hasattr(other, "expr"):
        return
    try:
        hash(other)
    except TypeError:
        raise NotImplementedError(f"set_index: in-memory values ({type(other).__name__}) are not supported: "
                                  "pass a column name, or a lazy Series aligned with the frame") from None


def _one_index_key(other: Any) -> Any:
    """The one column (label or collection) of ``set_index(other)``; several would make a MultiIndex."""
    if isinstance(other, list) and len(other) == 1:
        if isinstance(other[0], list):  # [["A"]]: dask's wording, which names the likely slip
            raise NotImplementedError(f"set_index: You tried to index with this index: {other!r}; Dask dataframe "
                                      f"does not yet support multi-indexes, nor does gpuscale: index with "
                                      f"{other[0]!r} (one column) instead")
        other = other[0]
    if hasattr(other, "expr") and hasattr(other, "columns"):  # ddf[["A"]]: a frame, not a column
        raise NotImplementedError("set_index: You tried to index with a frame (a DataFrame collection); index with "
                                  "one of its columns (ddf['A'], not ddf[['A']]) instead")
    several = isinstance(other, list)
    if several:
        raise NotImplementedError(f"set_index: several index columns ({other!r}) make a MultiIndex: Dask dataframe "
                                  "does not yet support multi-indexes, nor does gpuscale; use one column")
    return other


def _divisions_like_column(df: Any, other: Any, divisions: Any) -> Any:
    """``divisions`` as values of column ``other`` (date strings of a datetime column become timestamps), checked
    comparable with them from the column's metadata alone (nothing computed, as dask): text boundaries of an integer
    column would fail only when the rows are partitioned."""
    if not isinstance(divisions, (list, tuple)) or hasattr(other, "expr") or other not in df.columns:
        return divisions
    column = bf.column_by_label(df._meta, other)
    sample = bf.label_list(bf.meta_nonempty(column))[0]
    out = []
    for value in divisions:
        value = bf.coerce_label(sample, value)
        try:
            value < sample  # noqa: B015 (the comparison is the check)
        except TypeError:
            raise TypeError(f"set_index: division {value!r} cannot be compared with the values of column "
                            f"{other!r} (dtype {column.dtype})") from None
        out.append(value)
    return type(divisions)(out)


def _check_set_index_options(df: Any, sorted: bool, sort: bool, npartitions: Any, divisions: Any,
                             append: bool) -> None:
    if (sorted or not sort) and npartitions is not None:
        raise ValueError("set_index: npartitions= goes with a sorting set_index only, not with sort=False or "
                         "sorted=True; call repartition afterwards")
    if append and sort and divisions is not None:
        raise NotImplementedError("set_index: append=True makes a MultiIndex, which divisions cannot describe; "
                                  "drop divisions= (the rows are then sorted by the column) or pass sort=False")
    if divisions is None:
        return
    if not isinstance(divisions, (list, tuple)) or len(divisions) < 2:
        raise ValueError(f"set_index: divisions must be a list or tuple of at least two boundaries, "
                         f"not {divisions!r}")
    if list(divisions) != builtins.sorted(divisions):  # (``sorted`` is a parameter here)
        raise ValueError(f"set_index: divisions must be sorted, got {list(divisions)}")
    if len(set(divisions[:-1])) != len(divisions) - 1:  # dask's rule: the last two may be equal
        raise ValueError(f"set_index: divisions must be unique, except for the last element, got {list(divisions)}")
    if sorted and len(divisions) != df.npartitions + 1:
        raise ValueError(f"set_index(sorted=True, divisions=...): {len(divisions)} divisions do not describe the "
                         f"{df.npartitions} partitions of the frame (it needs {df.npartitions + 1}); to split the "
                         "sorted frame differently use set_index(col, sorted=True).repartition(divisions=...)")


def _sorted_by_shuffle(df: Any, column: Any, drop: bool, npartitions: Any, divisions: Any, method: Any,
                       max_branch: Any = None) -> Any:
    """Rows range-shuffled by ``column`` at computed (or given) boundaries, then sorted in each partition;
    partitions that already hold disjoint ascending ranges of ``column`` are only sorted (no shuffle)."""
    n = npartitions or df.npartitions
    meta = bf.make_meta(bf.set_index_partition(bf.meta_nonempty(df._meta), column, drop))
    if divisions is not None:  # taken as given, nothing computed (as dask): rows outside them land in the
        bounds = list(divisions[1:-1])  # first / last partition, where .loc, trusting the divisions, misses them
        low, high = divisions[0], divisions[-1]
    else:
        extremes_expr = Scalar(tree_reduce(df.expr, bf.min_max, bf.concat_samples, bf.concat_samples, {}, None,
                                           "min-max", chunk_kwargs={"column": column}))
        bounds_expr = Scalar(sort_boundaries_expr(df.expr, column, n))
        bounds, extremes = compute(bounds_expr, extremes_expr)  # one pass over the data
        presorted = n == df.npartitions and not bf.is_categorical(df._meta[column].dtype)  # (categories' order)
        if presorted and _disjoint_ascending(extremes):
            indexed = map_partitions_expr(bf.set_index_partition, df.expr, kwargs={"column": column, "drop": drop},
                                          meta=meta, label="set_index")
            return new_collection(WithDivisions(indexed, (*(e[0] for e in extremes), extremes[-1][1])))
        bounds = bf.unique_values(bounds).tolist()
        filled = [e for e in extremes if e[0] is not None]
        order = _sort_order(df._meta[column].dtype)
        low = min((e[0] for e in filled), key=order) if filled else None
        high = max((e[1] for e in filled), key=order) if filled else None
    boundaries = _host_series(bounds)
    shuffled = RangeShuffle(df.expr, column, boundaries, len(bounds) + 1, True, "last", method, max_branch)
    indexed = map_partitions_expr(bf.set_index_partition, shuffled, kwargs={"column": column, "drop": drop}, meta=meta,
                                  label="set_index")
    dtype = df._meta[column].dtype
    if divisions is None and _sort_order(dtype) is not None and not dtype.ordered:
        # unordered categories in another order than their values: sorted by category, but unordered labels
        # compare as values (loc, merges), so the divisions stay unknown
        return new_collection(indexed).clear_divisions()
    return new_collection(WithDivisions(indexed, (_py(low), *map(_py, bounds), _py(high))))


def _sort_order(dtype: Any) -> Any:
    """The sort key of values of a categorical ``dtype`` whose categories are not in the order of their values:
    their categories' order (as pandas sorts them); None where values sort as they are."""
    if not bf.is_categorical(dtype):
        return None
    categories = list(bf.host_dtype(dtype).categories)
    if bf.UNKNOWN_CATEGORIES in categories or _in_value_order(categories):
        return None
    position = {value: i for i, value in enumerate(categories)}
    return lambda value: position.get(value, len(position))


def _in_value_order(categories: list) -> bool:
    try:
        return categories == builtins.sorted(categories)  # (``sorted`` is a parameter here)
    except TypeError:  # values of several kinds: no order of their own
        return False


def _disjoint_ascending(extremes: list) -> bool:
    """Whether partitions' ``(min, max, has_missing)`` say each holds a range above the previous one's."""
    if any(low is None or missing for low, _, missing in extremes):
        return False
    return all(high < low for (_, high, _), (low, _, _) in zip(extremes[:-1], extremes[1:]))


def _set_sorted_index(df: Any, column: Any, drop: bool, divisions: Any) -> Any:
    """The index of a column sorted across partitions (their min/max computed at once for the divisions); None
    where a partition holds missing keys only (the rows are then sorted by a shuffle, as without sorted=True)."""
    meta = bf.make_meta(bf.meta_nonempty(df._meta).set_index(column, drop=drop))
    indexed = map_partitions_expr(bf.call_method, df.expr, "set_index", column, kwargs={"drop": drop}, meta=meta,
                                  label="set_index")
    if divisions is None:
        extremes = new_collection(map_partitions_expr(bf.min_max, df.expr, column, meta=df._meta, label="min_max"))
        pairs = _partition_values(extremes)
        filled = [i for i, p in enumerate(pairs) if p[0] is not None]  # (min, max, has_missing)
        if any(p[0] is None and p[2] for p in pairs):
            return None  # a partition of missing keys only has no boundaries but rows: sorted (missing last)
        if not filled:
            return new_collection(indexed)  # no rows at all: divisions stay unknown
        if len(filled) < len(pairs):  # empty partitions have no boundaries: they go (as dask)
            indexed = Partitions(indexed, tuple(filled))
        extremes = [pairs[i][:2] for i in filled]
        _check_ascending(extremes, column)
        divisions = tuple(low for low, _ in extremes) + (extremes[-1][1],)
        if any(high == low for (_, high), (low, _) in zip(extremes[:-1], extremes[1:])):
            return new_collection(BoundaryRowsMoved(indexed, _boundary_plan(extremes), divisions))
    return new_collection(WithDivisions(indexed, tuple(divisions)))


def _check_ascending(extremes: list, column: Any) -> None:
    """``set_index(col, sorted=True)`` of partitions that are not in order is an error (as dask): their
    divisions would send ``loc`` and merges to the wrong partitions."""
    for k, ((low, high), (next_low, _)) in enumerate(zip(extremes[:-1], extremes[1:])):
        if high > next_low:
            raise ValueError(f"set_index({column!r}, sorted=True): partitions are not sorted ascending by "
                             f"{column!r}: a partition holds values up to {high!r} and the next one from "
                             f"{next_low!r}; the (min, max) of each non-empty partition are {extremes}. "
                             "Use set_index without sorted=True to sort the rows")


def _boundary_plan(extremes: list) -> tuple:
    """Per partition of sorted ones sharing boundary labels: ``(carried, own, drop_upper)`` of
    :class:`BoundaryRowsMoved`.  Rows at a shared boundary go to the last partition starting there, as in dask."""
    lows = [low for low, _ in extremes]
    plan, waiting = [], []  # waiting: earlier partitions whose rows at the current boundary move on
    for j, (low, high) in enumerate(extremes):
        last = j == len(extremes) - 1
        chain_ends = last or lows[j + 1] != low
        carried = tuple(waiting) if chain_ends else ()
        if chain_ends:
            waiting = []
        drop_upper = not last and high == lows[j + 1]
        if drop_upper:
            waiting.append(j)
        plan.append((carried, j, drop_upper))
    return tuple(plan)


def _partition_values(collection: Any) -> list:
    from gpuscale.runtime import get

    expr = collection._optimized_expr()
    return list(get(expr.__dask_graph__(), expr.__dask_keys__()))


def _host_series(values: list) -> Any:
    return bf.host_series(values)


def _py(value: Any) -> Any:
    return bf.python_scalar(value)
