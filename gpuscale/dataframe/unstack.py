"""``unstack``, ``pivot`` and ``stack``, as pandas' (dask has none of them).

An index level (``unstack``) or a column (``pivot``) becomes the columns, so its distinct values are computed at
once (as ``crosstab`` and ``cut`` compute theirs), with, when an integer or boolean column would change dtype on a
missing cell, the number of row keys (pandas' dtype depends on whether every cell has a value).  Each partition
unstacks its own rows; the partial tables are hash-shuffled by row key, merged (one value per cell; a cell given
twice is pandas' duplicate-entries error) and collected in one partition ordered by key, as pandas orders it
(see :mod:`gpuscale.backends.frame.unstack`).  ``stack`` is row-wise: partitions are kept.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.shuffle import ConcatPartitions, HashShuffle
from gpuscale.dataframe.label_methods import level_position

__all__ = ["UnstackMethods", "PivotMethods", "unstack"]


def _needs_count(meta: Any, fill_value: Any) -> bool:
    """Whether a missing cell (or ``fill_value`` in it) would change a column's dtype (NumPy integers and
    booleans)."""
    return bf.missing_changes_dtype(meta, fill_value)


def _layout(obj: Any, level: int, count: bool) -> tuple:
    """The distinct values of index level ``level`` (in pandas' order of the unstacked columns, a missing one
    too), whether every cell of the table will have a value (``count``: else not asked) and whether a missing
    row key comes first (see :func:`~gpuscale.backends.frame.unstack.missing_outside_levels`)."""
    from gpuscale.collection import compute

    kw = {"level": level}
    values = obj._map(bf.level_values, kwargs=kw, meta=bf.level_values(obj._meta, level), label="unstack-level")
    flags = obj._map(bf.missing_outside_levels, kwargs=kw, meta=bf.missing_outside_levels(obj._meta, level),
                     label="unstack-missing").any()
    if not count:
        distinct, first = compute(values.unique(), flags)
        full = False
    else:
        keys = obj._map(bf.other_levels, kwargs=kw, meta=bf.other_levels(obj._meta, level), label="unstack-keys")
        distinct, first, nkeys, nrows = compute(values.unique(), flags, keys.drop_duplicates().shape[0],
                                                obj.shape[0])
    labels = bf.level_labels(distinct, obj._meta, level, missing_first=bool(first["column"]))
    if count:
        full = int(nrows) == int(nkeys) * len(labels)
    return labels, full, bool(first["row"])


def unstack(obj: Any, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
    """``obj.unstack(level, fill_value, sort)`` of a lazy Series or DataFrame with a MultiIndex (see the
    methods)."""
    meta = obj._meta
    if meta.index.nlevels < 2:
        raise NotImplementedError(f"unstack: the index has one level ({meta.index.name!r}); unstack takes a level "
                                  "of a MultiIndex (set one with groupby of several keys, or pivot a column)")
    if isinstance(level, (list, tuple)):  # (pandas takes a tuple as several levels too)
        if len(level) != 1:
            raise NotImplementedError(f"unstack: one level at a time, got {list(level)}; unstack them one by "
                                      "one (the column levels then come in that order)")
        level = level[0]
    position = level_position(meta.index, level)
    labels, full, missing_first = _layout(obj, position, _needs_count(meta, fill_value))
    dtypes = [meta.dtype] * len(labels) if bf.is_series_like(meta) else [d for d in meta.dtypes for _ in labels]
    columns = bf.unstacked_columns(meta, labels, position)
    dtypes = [bf.dtype_for_missing(d, full, fill_value) for d in dtypes]
    # marks of the cells rows give: a fill_value fills the others; merged tables tell duplicates by them
    cells = {"level": position, "columns": columns, "marked": fill_value is not None or obj.npartitions > 1}
    partial_meta = bf.make_meta(bf.unstack_partition(bf.meta_nonempty(meta), **cells))
    out = map_partitions_expr(bf.unstack_partition, obj.expr, kwargs=cells, meta=partial_meta, label="unstack")
    if obj.npartitions > 1:
        out = HashShuffle(out, None, obj.npartitions)
        out = ConcatPartitions(map_partitions_expr(bf.combine_unstacked, out, meta=partial_meta,
                                                   label="unstack-combine"), 1)
    kw = {"columns": columns, "dtypes": dtypes, "fill_value": fill_value, "sort": sort,
          "missing_first": missing_first}
    final_meta = bf.make_meta(bf.finish_unstacked(bf.meta_nonempty(partial_meta).iloc[:0], **kw))
    return new_collection(map_partitions_expr(bf.finish_unstacked, out, kwargs=kw, meta=final_meta,
                                              label="unstack-table"))


class UnstackMethods:
    """``unstack`` of :class:`~gpuscale.dataframe.Series` and :class:`~gpuscale.dataframe.DataFrame`."""

    def unstack(self, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
        """One level of a MultiIndex made the columns, as pandas' ``unstack`` (dask has none).

        The level's distinct values become the columns, so they are computed at once; the table is one
        partition, ordered by the remaining levels.

        Parameters
        ----------
        level : int or label
            The index level to unstack (default: the last).
        fill_value : scalar, optional
            For cells without a row (else missing; integer columns then become float64, as pandas).
        sort : bool
            Rows and columns ordered by label.

        Returns
        -------
        DataFrame
            Indexed by the other levels; a Series gives one column per value of the level, a DataFrame one per
            (column, value).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2, 2, 1], "j": ["a", "b", "a", "b", "a"], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby(["k", "j"]).x.sum().unstack().compute()
        j  a  b
        k
        1  6  2
        2  3  4
        """
        return unstack(self, level, fill_value, sort)


class PivotMethods:
    """``pivot`` and ``stack`` of :class:`~gpuscale.dataframe.DataFrame`."""

    def pivot(self, *, columns: Any, index: Any = None, values: Any = None) -> Any:
        """A table with the distinct values of column ``columns`` as its columns, as pandas' ``pivot``.

        Parameters
        ----------
        columns : label
            The column whose values become the columns (computed at once).
        index : label, optional
            The column whose values label the rows (default: the index).
        values : label or list, optional
            The column(s) giving the cells (default: all others; a list or all: columns ``(value, label)``).

        Returns
        -------
        DataFrame
            One partition, ordered by row label; a row label given twice with the same column value raises
            pandas' "Index contains duplicate entries" when computed.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"day": [1, 1, 2, 2], "city": ["a", "b", "a", "b"], "t": [3.0, 4.0, 5.0, 6.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.pivot(index="day", columns="city", values="t").compute()
        city    a    b
        day
        1     3.0  4.0
        2     5.0  6.0
        """
        if isinstance(columns, list) or isinstance(index, list):
            raise NotImplementedError("pivot: one column of labels for the columns and one for the rows; for "
                                      "several, combine them into one column first")
        for label in (columns, index, *(values if isinstance(values, list) else [values])):
            if label is not None and label not in self.columns:
                raise KeyError(f"pivot: {label!r} is not a column; columns are {list(self.columns)}")
        keys = {"columns": columns, "index": index}
        keyed = self._map(bf.pivot_keys, kwargs=keys, meta=bf.pivot_keys(self._meta, **keys), label="pivot-keys")
        if values is not None:
            keyed = keyed[values]
        return unstack(keyed, -1)

    def stack(self, level: Any = -1, dropna: Any = None, sort: Any = None, future_stack: bool = True) -> Any:
        """The columns made the innermost index level, as pandas 3's ``stack`` (missing values kept).

        Parameters
        ----------
        level : int or label
            Only the one column level (-1, 0 or its name) is supported.
        dropna, sort, future_stack : optional
            pandas 2's options, refused unless left as pandas 3's behaviour.

        Returns
        -------
        Series
            Each row becomes one row per column, indexed by ``(row label, column)``; partitions kept (divisions
            unknown: the index is a MultiIndex).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), npartitions=1, backend="cpu")
        >>> df.stack().compute().tolist()
        [1, 3, 2, 4]
        """
        if self._meta.columns.nlevels > 1:
            raise NotImplementedError("stack: only the one level of flat column labels (level=-1)")
        level_position(self._meta.columns, level)  # its position or name (pandas' errors for another)
        if dropna is not None or sort is not None or future_stack is not True:
            raise NotImplementedError("stack: dropna=, sort= and future_stack=False are pandas 2's older "
                                      "behaviour; the result keeps missing values (call .dropna() after)")
        meta = bf.make_meta(bf.stack_partition(bf.meta_nonempty(self._meta)))
        return self._map(bf.stack_partition, meta=meta, label="stack", columnwise=False).clear_divisions()
