"""Groupby extras of dask.dataframe: ``head``, ``tail``, ``get_group``, ``ffill``, ``bfill``, ``idxmax``,
``idxmin``, ``unique``, ``value_counts``, ``corr``, ``cov``; and pandas' ``rank``, ``pct_change``, ``nth``,
``filter`` (which dask lacks).

:class:`GroupByExtraMethods` is a mixin of :class:`gpuscale.dataframe.groupby.GroupBy`.  ``get_group``
filters every partition (no shuffle).  The others shuffle the rows by key so that each group lies in
one partition and run the library's own groupby method there (cuDF's ``SeriesGroupBy.value_counts``
raises, so it is emulated in :mod:`gpuscale.backends.frame.groupby_extras`):

* ``head`` / ``tail`` / ``ffill`` / ``bfill`` / ``rank`` / ``pct_change`` / ``nth`` / ``filter`` keep the
  original index, in shuffled order (as dask's shuffle-based results; the rows of a group keep their order);
* ``idxmax`` / ``idxmin`` / ``unique`` / ``value_counts`` / ``corr`` / ``cov`` are indexed by the keys
  and, with ``split_out=1``, collected in one partition ordered by key (pandas' order within a group).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.groupby_observed import (has_categorical_keys, raise_on_unobserved_groups,
                                                     with_unobserved_value_counts)
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.shuffle import ConcatPartitions, HashShuffle
from gpuscale.dataframe.expr.sorting import WithDivisions

__all__ = ["GroupByExtraMethods"]


class GroupByExtraMethods:
    """Mixin of :class:`gpuscale.dataframe.groupby.GroupBy`: dask's remaining groupby methods."""

    # -- helpers ------------------------------------------------------------------------------
    def _hidden_keys(self) -> tuple:
        return tuple(c for c in self._frame.columns if c in self._names)

    def _rows_per_group(self, how: str, arg: Any, kwargs: dict) -> Any:
        """A row-wise per-group method (``head``, ``ffill`` ...) after a shuffle by key (without the hidden key
        columns, see ``_per_group``)."""
        return self._per_group(how, arg, None, kwargs)

    def _keyed(self, how: str, kwargs: dict, split_out: Any = None, func: Any = None) -> Any:
        """A per-group result indexed by the keys, after a shuffle by key; one partition ordered by key
        (pandas' order within a group) unless ``split_out > 1``."""
        frame = self._input()
        split_out = 1 if split_out in (None, True) else int(split_out)
        nparts = split_out if split_out > 1 else self._frame.npartitions
        shuffled = HashShuffle(frame, tuple(self._by), nparts)
        if func is None:
            kw = {"by": self._by, "selection": self._selection, "how": how, "arg": None, "kwargs": kwargs,
                  "dropna": self._dropna, "sort": self._sort}
            func = self._whole_groups_function(how, kwargs)
        else:
            kw = dict(kwargs)
        try:
            meta = bf.make_meta(func(bf.meta_nonempty(frame._meta), **kw))
        except (TypeError, AttributeError, ValueError) as exc:
            raise type(exc)(f"groupby {how} is not supported for columns {self._value_columns()}: {exc}") from exc
        out = map_partitions_expr(func, shuffled, kwargs={**kw, "meta": meta}, meta=meta, label=f"groupby-{how}")
        if split_out == 1 and nparts > 1:
            out = ConcatPartitions(out, 1)
        if split_out == 1 and self._sort:
            out = map_partitions_expr(bf.sort_by_key_levels, out, kwargs={"nkeys": len(self._by)}, meta=meta,
                                      label="sort-by-keys")
        return self._shown(new_collection(out))

    def _idx(self, how: str, kwargs: dict, split_out: Any) -> Any:
        """``idxmin``/``idxmax``: with ``observed=False``, pandas' ValueError at compute when a group of an unused
        category is empty (which are, needs the data: checked against every group's size)."""
        out = self._keyed(how, kwargs, split_out)
        if self._observed or not has_categorical_keys(self._frame._meta, self._by):
            return out
        sizes = self._with(None).size(split_out=1)
        checked = map_partitions_expr(raise_on_unobserved_groups, out.expr, sizes.expr, kwargs={"how": how},
                                      meta=out._meta, label=f"groupby-{how}-unobserved")
        if out.known_divisions:  # (the rows stay where they are; the sizes have no divisions)
            checked = WithDivisions(checked, tuple(out.divisions))
        return new_collection(checked)

    def _series_only(self, name: str) -> None:
        if self._selection is None or isinstance(self._selection, tuple):
            raise AttributeError(f"'DataFrameGroupBy' object has no attribute {name!r} (a SeriesGroupBy method: "
                                 f"select one column first, df.groupby(...)[col].{name}())")

    # -- rows ---------------------------------------------------------------------------------------
    def head(self, n: int = 5, split_every: Any = None, split_out: Any = None) -> Any:
        """The first ``n`` rows of each group.

        Parameters
        ----------
        n : int
            Rows per group.
        split_every, split_out : optional
            Accepted for dask compatibility (the rows are shuffled by key).

        Returns
        -------
        DataFrame or Series
            The original index, in shuffled order (divisions unknown).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").head(2).compute().sort_index().x.tolist()
        [1, 2, 3, 4]
        """
        return self._rows_per_group("head", n, {})

    def tail(self, n: int = 5, split_every: Any = None, split_out: Any = None) -> Any:
        """The last ``n`` rows of each group.

        Parameters
        ----------
        n : int
            Rows per group.
        split_every, split_out : optional
            Accepted for dask compatibility (the rows are shuffled by key).

        Returns
        -------
        DataFrame or Series
            The original index, in shuffled order (divisions unknown).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.tail(1).compute().sort_index().tolist()
        [4, 5]
        """
        return self._rows_per_group("tail", n, {})

    def ffill(self, limit: int | None = None, shuffle_method: Any = None) -> Any:
        """Forward-fill missing values within each group.

        Parameters
        ----------
        limit : int, optional
            At most this many consecutive missing values filled.
        shuffle_method : optional
            Accepted for dask compatibility.

        Returns
        -------
        DataFrame or Series
            The value columns with the original index, in shuffled order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [1.0, 2.0, None, None]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.ffill().compute().sort_index().tolist()
        [1.0, 2.0, 1.0, 2.0]
        """
        return self._rows_per_group("ffill", None, {"limit": limit})

    def bfill(self, limit: int | None = None, shuffle_method: Any = None) -> Any:
        """Backward-fill missing values within each group.

        Parameters
        ----------
        limit : int, optional
            At most this many consecutive missing values filled.
        shuffle_method : optional
            Accepted for dask compatibility.

        Returns
        -------
        DataFrame or Series
            The value columns with the original index, in shuffled order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [None, None, 3.0, 4.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.bfill().compute().sort_index().tolist()
        [3.0, 4.0, 3.0, 4.0]
        """
        return self._rows_per_group("bfill", None, {"limit": limit})

    def rank(self, method: str = "average", ascending: bool = True, na_option: str = "keep",
             pct: bool = False) -> Any:
        """The rank of each value within its group (pandas' ``rank``; rows shuffled by key).

        Parameters
        ----------
        method : {"average", "min", "max", "first", "dense"}
            Rank of tied values.
        ascending : bool
            Smallest first.
        na_option : {"keep", "top", "bottom"}
            Where missing values rank.
        pct : bool
            Ranks as fractions of the group's size.

        Returns
        -------
        DataFrame or Series
            The value columns' ranks with the original index, in shuffled order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [5.0, 1.0, 3.0, 2.0, 4.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.rank().compute().sort_index().tolist()
        [3.0, 1.0, 1.0, 2.0, 2.0]
        """
        return self._rows_per_group("rank", None, {"method": method, "ascending": ascending,
                                                   "na_option": na_option, "pct": pct})

    def pct_change(self, periods: int = 1, freq: Any = None) -> Any:
        """The change from the value ``periods`` rows earlier in the same group, as a fraction of it.

        Parameters
        ----------
        periods : int
            How many rows back (negative: ahead) within the group.
        freq : optional
            A time offset instead of rows, as pandas.

        Returns
        -------
        DataFrame or Series
            The value columns with the original index, in shuffled order (the first row of each group is
            missing).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [2.0, 4.0, 3.0, 2.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.pct_change().compute().sort_index().tolist()
        [nan, nan, 0.5, -0.5]
        """
        return self._rows_per_group("pct_change", None, {"periods": periods, **({"freq": freq} if freq else {})})

    def nth(self, n: Any) -> Any:
        """The ``n``-th row(s) of each group (pandas' ``nth``: a row filter; negative counts from the end).

        Parameters
        ----------
        n : int, list of int or slice
            Positions within each group.

        Returns
        -------
        DataFrame or Series
            The rows with the original index, in shuffled order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").nth(1).compute().sort_index().x.tolist()
        [3, 4]
        """
        return self._rows_per_group("nth", n, {})

    def filter(self, func: Any, dropna: bool = True, **kwargs: Any) -> Any:
        """The rows of the groups for which ``func(group, **kwargs)`` is true (pandas' ``filter``, which dask
        lacks; rows shuffled by key).

        Parameters
        ----------
        func : callable
            Takes a group's rows (a DataFrame, or a Series for one selected column), returns a bool.
        dropna : bool
            Drop the other groups' rows; False: keep them with every value missing.
        **kwargs
            Passed to ``func``.

        Returns
        -------
        DataFrame or Series
            The rows with the original index, in shuffled order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").filter(lambda g: len(g) > 2).compute().sort_index().x.tolist()
        [1, 3, 5]
        """
        in_place = self._groups_in_partitions()
        frame = self._frame.expr if in_place else HashShuffle(self._frame.expr, tuple(self._by),
                                                              self._frame.npartitions)
        kw = {"by": self._by, "selection": self._selection, "func": func, "dropna": dropna, "kwargs": kwargs,
              "key_dropna": self._dropna, "drop": self._hidden_keys()}
        try:
            meta = bf.make_meta(bf.groupby_filter(bf.meta_nonempty(self._frame._meta), **kw))
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            raise type(exc)(f"groupby filter: {func!r} failed on sample groups of {self._value_columns()}: "
                            f"{exc}") from exc
        out = map_partitions_expr(bf.groupby_filter, frame, kwargs=kw, meta=meta, label="groupby-filter")
        if in_place:
            out = WithDivisions(out, tuple(self._frame.divisions))
        return self._shown(new_collection(out))

    def get_group(self, key: Any) -> Any:
        """The rows of one group (an empty result when the group is absent, as dask).

        Parameters
        ----------
        key : scalar or tuple
            The group's key (a tuple when grouped by several keys).

        Returns
        -------
        DataFrame or Series
            The group's rows, in their partitions (divisions kept).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [1, 2, 3, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").get_group(1).compute().x.tolist()
        [1, 3]
        """
        kw = {"by": self._by, "selection": self._selection, "key": key, "hidden": self._hidden_keys()}
        meta = bf.make_meta(bf.groupby_get_group(self._frame._meta, **kw))
        return new_collection(map_partitions_expr(bf.groupby_get_group, self._frame.expr, kwargs=kw, meta=meta,
                                                  label="groupby-get-group"))

    # -- per-group results indexed by key -----------------------------------------------------------
    def idxmax(self, split_every: Any = None, split_out: Any = None, skipna: bool = True,
               numeric_only: bool = False, shuffle_method: Any = None) -> Any:
        """The index label of each group's largest value (per column).

        Parameters
        ----------
        split_every : optional
            Accepted for dask compatibility.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).
        skipna : bool
            Skip missing values (pandas raises for a group of only missing values).
        numeric_only : bool
            Only numeric value columns.
        shuffle_method : optional
            Accepted for dask compatibility.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [5, 2, 3, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.idxmax().compute().tolist()
        [0, 3]
        """
        return self._idx("idxmax", _numeric({"skipna": skipna}, numeric_only, self), split_out)

    def idxmin(self, split_every: Any = None, split_out: Any = None, skipna: bool = True,
               numeric_only: bool = False, shuffle_method: Any = None) -> Any:
        """The index label of each group's smallest value (per column).

        Parameters
        ----------
        split_every : optional
            Accepted for dask compatibility.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).
        skipna : bool
            Skip missing values (pandas raises for a group of only missing values).
        numeric_only : bool
            Only numeric value columns.
        shuffle_method : optional
            Accepted for dask compatibility.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [5, 2, 3, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.idxmin().compute().tolist()
        [2, 1]
        """
        return self._idx("idxmin", _numeric({"skipna": skipna}, numeric_only, self), split_out)

    def unique(self, split_every: Any = None, split_out: Any = None) -> Any:
        """The distinct values of each group (a Series of arrays, indexed by key).

        Parameters
        ----------
        split_every : optional
            Accepted for dask compatibility.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 1], "x": [5, 2, 5, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> [sorted(int(i) for i in v) for v in df.groupby("k").x.unique().compute()]
        [[4, 5], [2]]
        """
        self._series_only("unique")
        return self._keyed("unique", {}, split_out)

    def value_counts(self, normalize: bool = False, sort: bool = True, ascending: bool = False,
                     dropna: bool = True, split_every: Any = None, split_out: Any = None) -> Any:
        """Counts of each distinct value within each group.

        Parameters
        ----------
        normalize : bool
            Proportions of the group instead of counts.
        sort, ascending : bool
            Order by count within each group (descending unless ``ascending``).
        dropna : bool
            Leave out missing values.
        split_every : optional
            Accepted for dask compatibility.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).

        Returns
        -------
        Series
            Indexed by the keys and the value.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 1], "x": [5, 2, 5, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.value_counts().compute().tolist()
        [2, 1, 1]
        """
        self._series_only("value_counts")
        kw = {"by": self._by, "column": self._selection, "normalize": normalize, "sort": sort,
              "ascending": ascending, "dropna": dropna, "key_dropna": self._dropna}
        out = self._keyed("value_counts", kw, split_out, func=bf.groupby_value_counts)
        if self._observed or not has_categorical_keys(self._frame._meta, self._by):
            return out
        if out.npartitions > 1:
            raise NotImplementedError("groupby value_counts with observed=False and split_out > 1: use split_out=1, "
                                      "or observed=True")
        kw = {"nkeys": len(self._by), "sort": sort, "ascending": ascending}
        return new_collection(map_partitions_expr(with_unobserved_value_counts, out.expr, kwargs=kw, meta=out._meta,
                                                  label="groupby-unobserved"))

    def corr(self, split_every: Any = None, split_out: Any = None, numeric_only: bool = False,
             shuffle_method: Any = None) -> Any:
        """Pearson correlation of the value columns within each group.

        Parameters
        ----------
        split_every : optional
            Accepted for dask compatibility.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).
        numeric_only : bool
            Only numeric value columns.
        shuffle_method : optional
            Accepted for dask compatibility.

        Returns
        -------
        DataFrame
            Indexed by the keys and the column.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 1, 2, 2], "x": [1, 2, 3, 4, 5], "y": [2, 4, 7, 1, 0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").corr().compute().loc[2, "x"].tolist()
        [1.0, -1.0]
        """
        self._frame_only("corr")
        return self._keyed("corr", _numeric({}, numeric_only, self), split_out)

    def cov(self, ddof: int = 1, split_every: Any = None, split_out: Any = None, numeric_only: bool = False,
            shuffle_method: Any = None) -> Any:
        """Covariance of the value columns within each group.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.
        split_every : optional
            Accepted for dask compatibility.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).
        numeric_only : bool
            Only numeric value columns.
        shuffle_method : optional
            Accepted for dask compatibility.

        Returns
        -------
        DataFrame
            Indexed by the keys and the column.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 1, 2, 2], "x": [1, 2, 3, 4, 5], "y": [2, 4, 7, 1, 0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").cov().compute().loc[2, "x"].tolist()
        [0.5, -0.5]
        """
        self._frame_only("cov")
        return self._keyed("cov", _numeric({"ddof": ddof} if ddof != 1 else {}, numeric_only, self), split_out)

    def _frame_only(self, name: str) -> None:
        if self._selection is not None and not isinstance(self._selection, tuple):
            raise NotImplementedError(f"{name} is not implemented for SeriesGroupBy objects (as dask): select "
                                      f"two or more columns, df.groupby(...)[[a, b]].{name}()")


def _numeric(kwargs: dict, numeric_only: bool, groupby: Any) -> dict:
    return {**kwargs, "numeric_only": True} if numeric_only else kwargs
