"""Small dask.dataframe methods notebooks use: ``pipe``, ``sample``, ``map``, ``explode``, ``squeeze``,
``pop``, ``add_prefix`` / ``add_suffix``, ``ndim``, ``axes``, memory sizes, monotonicity, iteration.

Each is a partition-wise map, a tree reduction or metadata, as in dask.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.indexed import MapIndexed
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["ConvenienceMethods", "DataFrameConvenience", "SeriesConvenience", "piped"]


def piped(obj: Any, func: Any, args: tuple, kwargs: dict) -> Any:
    """``func(obj, *args, **kwargs)``, or, for ``func = (callable, "keyword")``, ``obj`` passed by that keyword:
    pandas' ``pipe`` of collections, groupbys, windows and resamplers."""
    if isinstance(func, tuple):
        func, target = func
        if target in kwargs:
            raise ValueError(f"{target} is both the pipe target and a keyword argument")
        return func(*args, **{**kwargs, target: obj})
    return func(obj, *args, **kwargs)


def _new(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    return new_collection(expr)


def _affixed_label(prefix: str, suffix: str, label: Any) -> str:
    return f"{prefix}{label}{suffix}"  # pandas' add_prefix / add_suffix of one label


def _affixed_index(obj: Any, prefix: str, suffix: str, method: str) -> Any:
    """``obj`` with text index labels (pandas' ``add_prefix`` of the index, each level of a MultiIndex): the
    metadata from rows (an empty index keeps its dtype); the order changes, so the divisions go."""
    from gpuscale.dataframe.expr.blockwise import infer_meta, map_partitions_expr

    func = functools.partial(_affixed_label, prefix, suffix)
    meta = infer_meta(bf.relabel_index, [obj.expr, func], {}, method, nonempty_first=True)
    return _new(map_partitions_expr(bf.relabel_index, obj.expr, func, meta=meta, label=method)).clear_divisions()


def _is_frame(obj: Any) -> bool:
    return bf.is_dataframe_like(obj._meta)


class ConvenienceMethods:
    """Mixin of DataFrame and Series."""

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``; ``func`` may be ``(callable, "keyword")`` to pass ``self`` by name.

        Parameters
        ----------
        func : callable or (callable, str)
            The function, or the function and the keyword that takes the collection.
        *args, **kwargs
            More arguments of ``func``.

        Returns
        -------
        object
            What ``func`` returns.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend="cpu")
        >>> s.pipe(lambda x, k: x * k, 10).compute().tolist()
        [10, 20, 30]
        """
        return piped(self, func, args, kwargs)

    def sample(self, n: Any = None, frac: Any = None, replace: bool = False, random_state: Any = None) -> Any:
        """About ``frac`` of the rows of every partition, at random (``n`` is not supported, as dask).

        Parameters
        ----------
        n : None
            Not supported (a number between 0 and 1 is taken as ``frac`` with a warning, as dask).
        frac : float
            The fraction of each partition's rows to keep.
        replace : bool
            Sample with replacement.
        random_state : int, numpy RandomState or Generator, optional
            The same seed gives the same rows (each partition draws from its own stream).

        Returns
        -------
        DataFrame or Series
            Rows keep their labels, so divisions stay.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": range(100)}), npartitions=4, backend="cpu")
        >>> picked = df.sample(frac=0.1, random_state=1)
        >>> len(picked), picked.compute().equals(df.sample(frac=0.1, random_state=1).compute())
        (8, True)
        """
        if n is not None:
            message = ("sample does not support the number of sampled items parameter, 'n'. "
                       "Please use the 'frac' parameter instead.")
            if isinstance(n, (int, float)) and 0 <= n <= 1:
                import warnings

                warnings.warn(message, UserWarning, stacklevel=2)
                frac = n
            else:
                raise ValueError(message)
        if frac is None:
            raise ValueError("sample: frac= is required")
        kwargs = {"frac": float(frac), "replace": bool(replace), "seed": bf.random_seed(random_state)}
        return _new(MapIndexed(self.expr, bf.sample_partition, kwargs, self._meta, "sample", True))

    def explode(self, column: Any = None, ignore_index: bool = False) -> Any:
        """One row per element of list-like values (pandas' ``explode`` on every partition).

        Parameters
        ----------
        column : label or list of labels
            Of a DataFrame: the column(s) to explode.
        ignore_index : bool
            Number the rows 0 .. n-1 across the partitions, as pandas.

        Returns
        -------
        DataFrame or Series
            Rows keep their labels (repeated), so divisions stay (unknown with ``ignore_index``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series(["a b", "c", "d e f"]), npartitions=2, backend="cpu")
        >>> s.str.split().explode().compute().tolist()
        ['a', 'b', 'c', 'd', 'e', 'f']
        """
        from gpuscale.dataframe.expr.blockwise import infer_meta, map_partitions_expr
        from gpuscale.dataframe.expr.sorting import WithDivisions

        args = () if column is None else (column,)
        # pandas infers the dtype of exploded values anew (text of lists: pandas 3's str), which rows of no
        # values cannot show: the metadata is that of the stand-in rows (object lists of numbers still give
        # object partitions: the usual text of str.split is followed)
        meta = infer_meta(bf.call_method, [self.expr, "explode", *args], {}, "explode", nonempty_first=True)
        expr = map_partitions_expr(bf.call_method, self.expr, "explode", *args, meta=meta, label="explode")
        out = _new(WithDivisions(expr, self.divisions) if self.known_divisions else expr)
        if not ignore_index:
            return out
        from gpuscale.dataframe.positions import rows_by_position

        return rows_by_position(out, bf.numbered_rows, {}, "ignore-index").clear_divisions()

    def add_prefix(self, prefix: str, axis: Any = None) -> Any:
        """Labels with ``prefix`` in front: of the columns (DataFrame) or of the index (Series).

        Parameters
        ----------
        prefix : str
            The text put in front.
        axis : {None, 1, "columns"} for a DataFrame, {None, 0, "index"} for a Series
            The labels to change, as pandas (a DataFrame's index labels too, which dask refuses: then the
            divisions become unknown).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu")
        >>> list(df.add_prefix("x_").columns)
        ['x_a', 'x_b']
        """
        return self._affixed(prefix, "", axis, "add_prefix")

    def add_suffix(self, suffix: str, axis: Any = None) -> Any:
        """Labels with ``suffix`` after them: of the columns (DataFrame) or of the index (Series).

        Parameters
        ----------
        suffix : str
            The text put after.
        axis : {None, 1, "columns"} for a DataFrame, {None, 0, "index"} for a Series
            The labels to change (see :meth:`add_prefix`).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu")
        >>> list(df.add_suffix("_y").columns)
        ['a_y', 'b_y']
        """
        return self._affixed("", suffix, axis, "add_suffix")

    def _affixed(self, prefix: str, suffix: str, axis: Any, method: str) -> Any:
        if _is_frame(self):
            if axis in (0, "index"):  # the index labels, as pandas (dask refuses)
                return _affixed_index(self, prefix, suffix, method)
            if axis not in (None, 1, "columns"):
                raise ValueError(f"No axis named {axis} for DataFrame")
            # a function, as pandas: each level of a MultiIndex is changed (a dict of tuples matched nothing)
            return self.rename(columns=functools.partial(_affixed_label, prefix, suffix))
        if axis not in (None, 0, "index"):
            raise ValueError(f"No axis named {axis} for Series")
        return _affixed_index(self, prefix, suffix, method)

    @property
    def ndim(self) -> int:
        """2 for a DataFrame, 1 for a Series.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1, backend="cpu").ndim
        2
        """
        return 2 if _is_frame(self) else 1

    @property
    def axes(self) -> list:
        """``[index, columns]`` of a DataFrame, ``[index]`` of a Series (the index is lazy).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> list(gd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1, backend="cpu").axes[1])
        ['a']
        """
        return [self.index, self.columns] if _is_frame(self) else [self.index]

    def squeeze(self, axis: Any = None) -> Any:
        """A one-column DataFrame as a Series (a Series as it is).

        Parameters
        ----------
        axis : {None, 1, "columns"}
            Only columns are squeezed (rows would need their count, as in dask).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1, backend="cpu").squeeze().name
        'a'
        """
        if not _is_frame(self):
            return self
        if axis in (0, "index"):  # rows would need their count: only columns are squeezed, as dask
            raise NotImplementedError(f"{type(self)} does not support squeeze along axis 0")
        if axis not in (None, 1, "columns"):
            raise ValueError(f"No axis {axis} for object type {type(self)}")
        return self[self.columns[0]] if len(self.columns) == 1 else self

    @property
    def nbytes(self) -> Any:
        """Bytes of the values (without the index), a lazy scalar.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> int(gd.from_pandas(pd.Series([1, 2, 3], dtype="int64"), npartitions=2, backend="cpu").nbytes.compute())
        24
        """
        return _new(tree_reduce(self.expr, bf.partition_nbytes, bf.total, bf.total, {}, 0, "nbytes"))

    def memory_usage(self, index: bool = True, deep: bool = False) -> Any:
        """Bytes in memory: per column (DataFrame, a Series) or in all (Series, a lazy scalar).

        Parameters
        ----------
        index : bool
            Count the index too.
        deep : bool
            Count the contents of string columns (cuDF always does).

        Returns
        -------
        Series or Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}, dtype="int64"), npartitions=2, backend="cpu")
        >>> df.memory_usage(index=False).compute().to_dict()
        {'a': 24}
        """
        kwargs = {"index": index, "deep": deep}
        if _is_frame(self):
            meta = bf.make_meta(bf.memory_usage_of(bf.meta_nonempty(self._meta), **kwargs))
            return _new(tree_reduce(self.expr, bf.memory_usage_of, _sum_by_label, _sum_by_label, {}, meta,
                                    "memory-usage", chunk_kwargs=kwargs))
        return _new(tree_reduce(self.expr, bf.memory_total, bf.total, bf.total, {}, 0, "memory-usage",
                                chunk_kwargs=kwargs))

    def memory_usage_per_partition(self, index: bool = True, deep: bool = False) -> Any:
        """Bytes in memory of each partition, a Series with one value per partition.

        Parameters
        ----------
        index : bool
            Count the index too.
        deep : bool
            Count the contents of string columns.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4], dtype="int64"), npartitions=2, backend="cpu")
        >>> s.memory_usage_per_partition(index=False).compute().tolist()
        [16, 16]
        """
        return self.map_partitions(bf.memory_total, index=index, deep=deep)



class DataFrameConvenience:
    """Mixin of DataFrame: column and row iteration, ``pop``, element-wise ``map``."""

    def __iter__(self) -> Iterator:
        """The column labels, as pandas' ``iter(df)`` (no data is computed).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu")
        >>> list(df), "a" in df, 0 in df
        (['a', 'b'], True, False)
        """
        return iter(self.columns)

    def __contains__(self, key: Any) -> bool:
        # a column label, as pandas' ``key in df``
        return key in self.columns

    def __delitem__(self, key: Any) -> None:
        # ``del df[column]``: this DataFrame loses the column (other references keep it, as dask)
        self._expr = self.drop(columns=[key])._expr

    def _ipython_key_completions_(self) -> list:
        # IPython completes ``df["...`` with the column labels
        return list(self.columns)

    def items(self) -> Iterator:
        """``(label, Series)`` for every column of a DataFrame (the Series are lazy).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu")
        >>> [label for label, _ in df.items()]
        ['a', 'b']
        """
        for column in self.columns:
            yield column, self[column]

    def iterrows(self) -> Iterator:
        """``(label, row)`` for every row, computing one partition at a time (rows as pandas Series).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> [int(row["a"]) for _, row in df.iterrows()]
        [1, 2, 3]
        """
        for part in _host_partitions(self):
            yield from part.iterrows()

    def itertuples(self, index: bool = True, name: Any = "Pandas") -> Iterator:
        """Rows as named tuples, computing one partition at a time.

        Parameters
        ----------
        index : bool
            Put the row label first.
        name : str or None
            The tuples' type name (None: plain tuples).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> [tuple(row) for row in df.itertuples(index=False, name=None)]
        [(1,), (2,), (3,)]
        """
        for part in _host_partitions(self):
            yield from part.itertuples(index=index, name=name)

    def map(self, func: Callable, na_action: Any = None, meta: Any = None) -> Any:
        """Apply ``func`` to every value of a DataFrame (pandas' ``DataFrame.map``, partition by partition).

        Parameters
        ----------
        func : callable
            Takes and returns one value.
        na_action : {None, "ignore"}
            ``"ignore"`` leaves missing values as they are.
        meta : optional
            The result's metadata (else inferred by running ``func`` on sample data).

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), npartitions=1, backend="cpu")
        >>> df.map(lambda v: v * 10).compute().to_dict("list")
        {'a': [10, 20], 'b': [30, 40]}
        """
        if meta is None:  # a guess from sample values (an empty frame would keep its dtypes), with dask's warning
            from gpuscale.dataframe.mapping import warn_inferred_meta

            warn_inferred_meta("map")
            meta = bf.make_meta(_map_values(bf.meta_nonempty(self._meta), func, na_action))
        return self.map_partitions(_map_values, func, na_action, meta=meta)

    def pop(self, item: Any) -> Any:
        """Remove column ``item`` from this DataFrame and return it.

        Parameters
        ----------
        item : label
            The column.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu")
        >>> df.pop("a").name, list(df.columns)
        ('a', ['b'])
        """
        out = self[item]
        self._expr = self.drop(columns=[item])._expr
        return out



class SeriesConvenience:
    """Mixin of Series: monotonicity, iteration."""

    def __iter__(self) -> Iterator:
        """The values, computing one partition at a time (as dask).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> [int(v) for v in gd.from_pandas(pd.Series([3, 1, 2]), npartitions=2, backend="cpu")]
        [3, 1, 2]
        """
        for part in _host_partitions(self):
            yield from part

    def __contains__(self, key: Any) -> bool:
        # pandas' ``key in series`` tests the index labels while iterating gives the values: Python would fall back
        # to the values here, a silent difference, so it is refused as dask refuses it
        raise NotImplementedError("Using 'in' to test for membership is not supported (as dask): for a value use "
                                  "(s == value).any().compute(), for an index label "
                                  "s.index.isin([label]).any().compute()")

    @property
    def is_monotonic_increasing(self) -> Any:
        """Whether the values never decrease, a lazy boolean (a tree reduction).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([1, 2, 2, 5]), npartitions=2, backend="cpu").is_monotonic_increasing.compute())
        True
        """
        return _monotonic(self, True)

    @property
    def is_monotonic_decreasing(self) -> Any:
        """Whether the values never increase, a lazy boolean (a tree reduction).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([3, 2, 4]), npartitions=2, backend="cpu").is_monotonic_decreasing.compute())
        False
        """
        return _monotonic(self, False)


def _monotonic(obj: Any, increasing: bool) -> Any:
    kwargs = {"increasing": increasing}
    return _new(tree_reduce(obj.expr, bf.monotonic_chunk, _concat_partials, bf.monotonic_aggregate, kwargs,
                            True, "monotonic", chunk_kwargs=kwargs))


def _concat_partials(parts: list, increasing: bool) -> tuple | None:
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    return (bf.monotonic_aggregate(kept, increasing), kept[0][1], kept[-1][2])


def _sum_by_label(parts: list, **kwargs: Any) -> Any:
    # the partitions' memory usages, label by label, in the first one's order: a groupby without sorting keeps
    # the labels' order in pandas only (cuDF's hash groupby gave ['b', 'a'] for columns ['a', 'b'])
    return functools.reduce(lambda total, part: total.add(part, fill_value=0), parts)


def _map_values(part: Any, func: Callable, na_action: Any) -> Any:
    return part.map(func, na_action=na_action)


def _host_partitions(obj: Any) -> Iterator:
    from gpuscale.backends import to_host

    for i in range(obj.npartitions):
        yield to_host(obj.get_partition(i).compute())
