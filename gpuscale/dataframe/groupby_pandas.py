"""pandas' groupby methods that dask lacks: ``pipe``, ``ohlc``, ``describe``, ``nlargest``, ``nsmallest``,
``ngroup``, ``sample`` and ``resample``, the properties ``ngroups``, ``groups`` and ``indices`` (computed at once), and a
selected column's ``is_monotonic_increasing`` / ``is_monotonic_decreasing``.

:class:`GroupByPandasMethods` is a mixin of :class:`gpuscale.dataframe.groupby.GroupBy`.  ``ohlc`` is the tree
aggregation of ``first``/``max``/``min``/``last`` relabelled; the others shuffle the rows by key so that each
group lies in one partition and run the library's own method there (on the host for what cuDF lacks):
``describe``, ``nlargest``/``nsmallest`` and ``resample`` results are indexed by the keys and collected in one
partition ordered by key, as pandas; ``sample`` keeps the rows' own index, in shuffled order.  ``ngroup``
numbers the groups of a one-partition ``size()`` and looks each row's keys up in it, partition by partition.
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.sorting import WithDivisions

__all__ = ["GroupByPandasMethods", "GroupByResampler"]


class GroupByPandasMethods:
    """Mixin of :class:`gpuscale.dataframe.groupby.GroupBy`: pandas' groupby methods dask has none of."""

    def pipe(self, func: Callable | tuple, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``, as pandas' (a ``(func, keyword)`` pair passes the groupby as that
        keyword).

        Parameters
        ----------
        func : callable or (callable, str)
            Called with this groupby.
        *args, **kwargs
            Passed on to ``func``.

        Returns
        -------
        object
            What ``func`` returns.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 2, 1], "x": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> df.groupby("k").pipe(lambda g: g.x.max() - g.x.min()).compute().tolist()
        [2, 0]
        """
        from gpuscale.dataframe.convenience import piped

        return piped(self, func, args, kwargs)

    def ohlc(self) -> Any:
        """Open, high, low and close (first, largest, smallest and last value) of each group, as pandas'.

        Returns
        -------
        DataFrame
            Columns ``open``, ``high``, ``low``, ``close`` (under each value column's label for a grouped
            DataFrame), indexed by the keys; tree-reduced as ``first``/``max``/``min``/``last``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2, 1], "x": [3.0, 5.0, 2.0, 1.0]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").x.ohlc().compute()
           open  high  low  close
        k
        1   3.0   5.0  1.0    1.0
        2   2.0   2.0  2.0    2.0
        """
        meta = self._meta_of("ohlc")  # (pandas' refusals first: text columns, "No numeric types to aggregate")
        out = self.agg(["first", "max", "min", "last"])
        return new_collection(map_partitions_expr(bf.with_column_labels, out.expr, kwargs={"labels": meta.columns},
                                                  meta=meta, label="groupby-ohlc"))

    def describe(self, percentiles: Any = None, include: Any = None, exclude: Any = None,
                 split_out: Any = None) -> Any:
        """Count, mean, standard deviation, extremes and percentiles of each group, as pandas'.

        Parameters
        ----------
        percentiles : list of float, optional
            Instead of the quartiles.
        include, exclude : optional
            Column kinds, as pandas'.
        split_out : int, optional
            Output partitions (> 1: not ordered by key).

        Returns
        -------
        DataFrame
            One row per group (one column per statistic; for a grouped DataFrame, under each column).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2, 1], "x": [3.0, 5.0, 2.0, 1.0]})
        >>> out = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").x.describe().compute()
        >>> out[["count", "mean", "50%"]]
           count  mean  50%
        k
        1    3.0   3.0  3.0
        2    1.0   2.0  2.0
        """
        kw = {k: v for k, v in {"percentiles": percentiles, "include": include, "exclude": exclude}.items()
              if v is not None}
        out = self._keyed("describe", kw, split_out)
        # observed=False: a row per unobserved category, counting 0 (the other statistics missing), as pandas
        pairs = [(c, "count" if (c[-1] if isinstance(c, tuple) else c) == "count" else None)
                 for c in out._meta.columns]
        return self._with_unobserved(out, pairs)

    def nlargest(self, n: int = 5, keep: str = "first") -> Any:
        """The ``n`` largest values of each group, as pandas' (a Series: select a column first).

        Parameters
        ----------
        n : int
            Values per group.
        keep : {"first", "last", "all"}
            Which of tied values, as pandas'.

        Returns
        -------
        Series
            Indexed by the keys and the rows' own index, largest first within a group.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2, 1], "x": [3, 5, 2, 1]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").x.nlargest(2).compute().tolist()
        [5, 3, 2]
        """
        self._series_only("nlargest")
        return self._keyed("nlargest", {"n": n, "keep": keep})

    def nsmallest(self, n: int = 5, keep: str = "first") -> Any:
        """The ``n`` smallest values of each group, as pandas' (a Series: select a column first).

        Parameters
        ----------
        n : int
            Values per group.
        keep : {"first", "last", "all"}
            Which of tied values, as pandas'.

        Returns
        -------
        Series
            Indexed by the keys and the rows' own index, smallest first within a group.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2, 1], "x": [3, 5, 2, 1]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").x.nsmallest(2).compute().tolist()
        [1, 3, 2]
        """
        self._series_only("nsmallest")
        return self._keyed("nsmallest", {"n": n, "keep": keep})

    def sample(self, n: int | None = None, frac: float | None = None, replace: bool = False,
               weights: Any = None, random_state: Any = None) -> Any:
        """A random sample of the rows of each group, as pandas' (``n`` rows or a fraction ``frac`` of each).

        Parameters
        ----------
        n : int, optional
            Rows per group (1 when neither ``n`` nor ``frac`` is given).
        frac : float, optional
            Fraction of each group's rows.
        replace : bool
            Sample with replacement.
        weights : None
            Not supported (a lazy Series of weights would have to follow the rows through the shuffle).
        random_state : int or numpy Generator, optional
            Seed of each partition's sampling.

        Returns
        -------
        DataFrame or Series
            The sampled rows with their own index, in shuffled order (divisions unknown).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2, 1, 2], "x": [3, 5, 2, 1, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").sample(n=1, random_state=0).compute().k.sort_values().tolist()
        [1, 2]
        """
        if weights is not None:
            raise NotImplementedError("groupby sample: weights= is not supported (sample without weights, or "
                                      "compute the groups first)")
        kwargs = {"n": n, "frac": frac, "replace": replace, "random_state": random_state}
        return self._rows_per_group("sample", None, {k: v for k, v in kwargs.items() if v is not None})

    def ngroup(self, ascending: bool = True) -> Any:
        """Each row's group number (0 for the first group in key order), as pandas' ``ngroup``.

        Parameters
        ----------
        ascending : bool
            Number from 0 (True) or from the number of groups - 1 down to 0; in key order, or (``sort=False``)
            in the order the groups are first seen.

        Returns
        -------
        Series
            With the frame's index, partitions and divisions; int64, or float64 with missing numbers where
            keys are missing (``dropna=True``; whether any is, is computed at once, as pandas' dtype depends
            on it).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": ["b", "a", "c", "a"]}), npartitions=2, backend="cpu")
        >>> df.groupby("k").ngroup().compute().tolist()
        [1, 0, 2, 0]
        """
        if not self._sort:  # numbered in the order the groups are first seen
            return self._per_row(self._numbers_by_first_seen(bool(ascending)), "ngroup")
        # every group (observed=False: unobserved ones too, for the descending count), in key order, one partition
        sizes = self._with(None).size(split_out=1)
        numbers = sizes._map(bf.group_numbers, kwargs={"ascending": bool(ascending)}, label="group-numbers",
                             meta=bf.group_numbers(sizes._meta))
        return self._per_row(numbers, "ngroup")

    @property
    def ngroups(self) -> int:
        """The number of groups, computed at once (pandas' ``ngroups``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": ["b", "a", "c", "a"]}), npartitions=2, backend="cpu")
        >>> df.groupby("k").ngroups
        3
        """
        return len(self._with(None).size(split_out=1))

    @property
    def groups(self) -> dict:
        """Each group's row labels, ``{key: Index}``, computed at once from the key columns and the index
        (pandas' ``groups``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": ["b", "a", "b"]}, index=[10, 20, 30]), npartitions=2,
        ...                     backend="cpu")
        >>> {k: v.tolist() for k, v in df.groupby("k").groups.items()}
        {'a': [20], 'b': [10, 30]}
        """
        return self._members("groups")

    @property
    def indices(self) -> dict:
        """Each group's row positions (in the whole collection), ``{key: array}``, computed at once (pandas'
        ``indices``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": ["b", "a", "b"]}), npartitions=2, backend="cpu")
        >>> {k: v.tolist() for k, v in df.groupby("k").indices.items()}
        {'a': [1], 'b': [0, 2]}
        """
        return self._members("indices")

    @property
    def is_monotonic_increasing(self) -> Any:
        """Whether each group's values never decrease (a selected column's groupby), as pandas: a boolean Series
        indexed by the keys, in key order (the groups' rows brought together, as ``apply``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 1, 2, 2], "x": [1, 2, 5, 3]}), npartitions=2, backend="cpu")
        >>> df.groupby("k").x.is_monotonic_increasing.compute().to_dict()
        {1: True, 2: False}
        """
        return self._monotonic(True)

    @property
    def is_monotonic_decreasing(self) -> Any:
        """Whether each group's values never increase (see :attr:`is_monotonic_increasing`)."""
        return self._monotonic(False)

    def _monotonic(self, increasing: bool) -> Any:
        if self._selection is None or isinstance(self._selection, list):
            raise AttributeError("'DataFrameGroupBy' object has no attribute 'is_monotonic_increasing' (a selected "
                                 "column's groupby has it: df.groupby(key)[column])")
        name = self._names.get(self._selection, self._selection)
        out = self.apply(bf.values_are_monotonic, increasing=increasing, meta=(name, "bool"))
        return out.sort_index() if self._sort else out  # one value per group, in key order as pandas

    def _members(self, what: str) -> dict:
        keys = self._frame[list(self._by)].compute()
        return bf.group_members(keys, list(self._by), self._sort, self._dropna, what)

    def _numbers_by_first_seen(self, ascending: bool) -> Any:
        """Every group's number in order of first appearance: each row tagged with its place (partition, then
        position), the smallest tag per group (one partition), ranked."""
        from gpuscale.dataframe.expr.indexed import MapIndexed

        kw = {"by": list(self._by)}
        tagged = new_collection(MapIndexed(self._frame.expr, bf.first_seen_tags, kw,
                                           bf.first_seen_tags(self._frame._meta, 0, **kw), "first-seen", True))
        firsts = tagged.groupby(list(self._by), dropna=self._dropna, observed=True)["__first__"].min(split_out=1)
        return firsts._map(bf.numbers_by_first_seen, kwargs={"ascending": ascending}, label="group-numbers",
                           meta=bf.numbers_by_first_seen(firsts._meta))

    def _per_row(self, table: Any, label: str) -> Any:
        """Each row's value of its group in ``table`` (a one-partition Series indexed by every group's keys),
        looked up partition by partition: the rows keep their partitions, index and divisions; int64, or
        float64 with missing values where keys are missing (``dropna``; whether any is, computed at once)."""
        dtype = "float64" if self._dropna and self._keys_missing() else "int64"
        kw = {"by": list(self._by), "dtype": dtype}
        meta = bf.group_values_of_rows(self._frame._meta, table._meta, **kw)
        out = map_partitions_expr(bf.group_values_of_rows, self._frame.expr, table.expr, kwargs=kw, meta=meta,
                                  label=label)
        if self._frame.known_divisions:  # (the rows stay where they are; the table has no divisions)
            out = WithDivisions(out, tuple(self._frame.divisions))
        return new_collection(out)

    def _keys_missing(self) -> bool:
        """Whether some row has a missing key (computed; not asked of keys that cannot be missing)."""
        from gpuscale.collection import compute

        if bf.never_missing(self._frame._meta, list(self._by)):
            return False
        (missing,) = compute(self._frame[list(self._by)].isna().any(axis=1).any())
        return bool(missing)

    def resample(self, rule: Any, *args: Any, **kwargs: Any) -> "GroupByResampler":
        """Time bins of ``rule`` within each group of a frame with a time index, as pandas'
        ``df.groupby(key).resample(rule)``; aggregate with the resampler's methods.

        Parameters
        ----------
        rule : str or DateOffset
            Bin width (``"1D"``, ``"6h"`` ...).
        *args, **kwargs
            pandas' other resample options (``closed``, ``label``, ``origin``, ``offset`` ...).

        Returns
        -------
        GroupByResampler

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 1], "x": [1, 2, 3, 4]},
        ...                    index=pd.date_range("2020-01-01", periods=4, freq="18h"))
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").resample("1D").x.sum().compute().tolist()
        [1, 3, 4, 2]
        """
        if not bf.is_time_dtype(self._frame._meta.index.dtype) and "on" not in kwargs and "level" not in kwargs:
            raise TypeError("groupby resample: only valid with a DatetimeIndex, TimedeltaIndex or PeriodIndex, "
                            f"but got an index of dtype {self._frame._meta.index.dtype} (set_index on the time "
                            "column first)")
        return GroupByResampler(self, rule, args, kwargs)


class GroupByResampler:
    """``df.groupby(key).resample(rule)``: each aggregation of pandas' resampler (``sum``, ``mean``, ``count``,
    ``agg`` ...) runs on whole groups after a shuffle by key; the result is indexed by the keys and the bins.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"k": [1, 2, 1, 1], "x": [1.0, 2.0, 3.0, 4.0]},
    ...                    index=pd.date_range("2020-01-01", periods=4, freq="18h"))
    >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").resample("1D").mean().compute()
                    x
    k
    1 2020-01-01  1.0
      2020-01-02  3.0
      2020-01-03  4.0
    2 2020-01-01  2.0
    """

    def __init__(self, groupby: Any, rule: Any, args: tuple, kwargs: dict, selection: Any = None) -> None:
        self._groupby, self._rule, self._args, self._kwargs = groupby, rule, args, kwargs
        self._selection = selection

    def __getitem__(self, key: Any) -> "GroupByResampler":
        return GroupByResampler(self._groupby[key], self._rule, self._args, self._kwargs, key)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._groupby._visible_columns():
            return self[name]
        if name not in _RESAMPLER_METHODS:
            raise AttributeError(f"'GroupByResampler' object has no attribute {name!r}")

        def method(*args: Any, **kwargs: Any) -> Any:
            return self._aggregate(name, args, kwargs)

        method.__name__ = name
        return method

    def __dir__(self) -> list:
        return sorted({*super().__dir__(), *_RESAMPLER_METHODS})

    def _aggregate(self, how: str, args: tuple, kwargs: dict) -> Any:
        gb = self._groupby
        kw = {"by": gb._by, "selection": gb._selection, "rule": self._rule, "options": (self._args, self._kwargs),
              "how": how, "args": args, "kwargs": kwargs, "dropna": gb._dropna}
        return gb._keyed(f"resample-{how}", kw, func=bf.groupby_resample)

    def aggregate(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Any aggregation pandas' resampler takes (a name, a list or a dict of them, a function)."""
        return self._aggregate("agg", (func, *args), kwargs)

    agg = aggregate


_RESAMPLER_METHODS = frozenset({"sum", "mean", "count", "size", "min", "max", "first", "last", "median", "std",
                                "var", "sem", "prod", "nunique", "quantile", "ohlc", "ffill", "bfill", "nearest",
                                "asfreq", "interpolate", "apply", "transform"})
