"""The lazy Series and Index collections."""

from __future__ import annotations

import builtins
import warnings
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import FrameBase, new_collection
from gpuscale.dataframe.eager import ListConversions, NumpyConversion
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import tree_reduce
from gpuscale.dataframe.expr.shuffle import HashShuffle
from gpuscale.dataframe.extra_methods import SeriesExtras
from gpuscale.dataframe.index_levels import IndexLevelMethods
from gpuscale.dataframe.index_methods import IndexMethods
from gpuscale.dataframe.index_sets import IndexSetMethods
from gpuscale.dataframe.methods import RowMethods
from gpuscale.dataframe.operators import isin_operand
from gpuscale.dataframe.resample import TimeBinMethods

__all__ = ["Series", "Index"]

_SERIES_NAME = object()  # to_frame's default: the column named after the Series (None names it None)


class OneColumn:
    """``name`` and ``dtype`` of a one-column collection (Series, Index), read from its metadata."""

    @property
    def name(self) -> Any:
        """The name; ``s.name = "x"`` renames, as in dask."""
        return self._meta.name

    @name.setter
    def name(self, value: Any) -> None:
        self._expr = self.rename(value).expr

    @property
    def dtype(self) -> Any:
        """The dtype of the values."""
        return self._meta.dtype


class Series(OneColumn, SeriesExtras, RowMethods, FrameBase):
    """A lazy Series over pandas or cuDF partitions.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([3, 1, 2, 3], name="n"), npartitions=2, backend="cpu")
    >>> s.name, s.npartitions
    ('n', 2)
    >>> s.value_counts().compute().sort_index().to_dict()
    {1: 1, 2: 1, 3: 2}
    """

    def __getitem__(self, key: Any) -> "Series":
        if isinstance(key, FrameBase):  # a boolean Series: aligned with this one first (as dask)
            from gpuscale.dataframe.loc import boolean_filter

            return boolean_filter(self, key)
        if isinstance(key, tuple) and len(key) == 1 and isinstance(key[0], slice):
            key = key[0]  # (pandas: ``s[(slice,)]`` is ``s[slice]``; NumPy-style block reads spell it so)
        if isinstance(key, slice):  # rows by index label, as dask (s.loc[start:stop])
            from gpuscale.dataframe.loc import getitem_slice

            return getitem_slice(self, key)
        return self.loc[key]  # a label or a list of labels, as dask (partitions pruned by known divisions)

    def idxmax(self, axis: Any = None, skipna: bool = True, split_every: Any = None) -> Any:
        """The index label of the first largest value, a lazy Scalar (a tree reduction).

        Parameters
        ----------
        axis : None or 0
            Only rows (as pandas for a Series).
        skipna : bool
            Skip missing values; with ``False`` a missing value raises ``ValueError`` (pandas 3).
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 9, 1, 9], index=list("abcd")), npartitions=2, backend="cpu")
        >>> s.idxmax().compute()
        'b'
        """
        from gpuscale.dataframe.loc import idx_extreme

        return idx_extreme(self, "max", skipna, split_every)

    def idxmin(self, axis: Any = None, skipna: bool = True, split_every: Any = None) -> Any:
        """The index label of the first smallest value, a lazy Scalar (see :meth:`idxmax`).

        Parameters
        ----------
        axis : None or 0
            Only rows.
        skipna : bool
            Skip missing values.
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> int(gd.from_pandas(pd.Series([3, 1, 2, 1]), npartitions=2, backend="cpu").idxmin().compute())
        1
        """
        from gpuscale.dataframe.loc import idx_extreme

        return idx_extreme(self, "min", skipna, split_every)

    def rename(self, index: Any, sorted_index: bool = False) -> "Series":
        """A new name, or new index labels, as dask's ``Series.rename``.

        Parameters
        ----------
        index : scalar, callable or dict-like
            A scalar becomes the name.  A function or mapping is applied to the index labels, partition by
            partition; the divisions become unknown, unless ``sorted_index``.
        sorted_index : bool
            The new labels keep the order of the old ones: the divisions are mapped with ``index``.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3], index=[1, 2, 3], name="n"), npartitions=2, backend="cpu")
        >>> s.rename("m").name
        'm'
        >>> r = s.rename(lambda i: 10 * i, sorted_index=True)
        >>> r.compute().index.tolist(), r.divisions
        ([10, 20, 30], (10, 30, 30))
        """
        from gpuscale.dataframe.divisions import renamed_index

        if isinstance(index, FrameBase):  # a Series collection maps the labels partition by partition: new order
            expr = map_partitions_expr(bf.relabel_by_series, self.expr, index.expr, label="rename", columnwise=True)
            return new_collection(expr).clear_divisions()
        if callable(index) or (hasattr(index, "keys") and hasattr(index, "__getitem__")):  # pandas' dict-likes
            return renamed_index(self, index, sorted_index)
        return new_collection(map_partitions_expr(bf.with_name, self.expr, index, label="rename", columnwise=True))

    def groupby(self, by: Any = None, sort: bool | None = None, dropna: bool = True, **kwargs: Any) -> Any:
        """Group the values by Series partitioned as this one, or by the index name (as dask).

        Parameters
        ----------
        by : Series, str or list
            Key Series (``s.groupby(s > 0)``, ``s.groupby(df.k)``) or the index name, or a list of them.
        sort : bool or None
            Sort the result by the keys (None: as True; an explicit True also makes the result one partition
            whatever ``split_out``, as dask).
        dropna : bool
            Drop the rows whose key is missing.
        **kwargs
            Accepted for dask compatibility (``observed``, ``group_keys``).

        Returns
        -------
        SeriesGroupBy

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4, 5], name="v"), npartitions=2, backend="cpu")
        >>> s.groupby(s % 2).sum().compute().to_dict()
        {0: 6, 1: 9}
        """
        from gpuscale.dataframe.groupby import series_groupby
        from gpuscale.dataframe.groupby_time import time_bin_groupby

        return time_bin_groupby(self, by) or series_groupby(self, by, sort=sort, dropna=dropna, **kwargs)

    def to_frame(self, name: Any = _SERIES_NAME) -> Any:
        """A one-column DataFrame, as pandas' ``to_frame``.

        Parameters
        ----------
        name : label, optional
            The column's label (not given: the Series' name, or 0 without one; None: None, as pandas).

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2], name="v"), npartitions=1, backend="cpu")
        >>> s.to_frame().columns.tolist(), s.to_frame(name=None).columns.tolist()
        (['v'], [None])
        """
        return self._method("to_frame", *(() if name is _SERIES_NAME else (name,)))

    def between(self, left: Any, right: Any, inclusive: str = "both") -> "Series":
        """Boolean mask of ``left <= x <= right`` (``inclusive`` as in pandas)."""
        return self._method("between", left, right, inclusive=inclusive)

    def map(self, arg: Any, na_action: Any = None, meta: Any = None) -> "Series":
        """Values mapped through a function, a dict, a pandas Series or a lazy Series, as pandas' ``map``.

        A lazy Series ``arg`` is concatenated into one partition that every partition looks its values up
        in (the whole mapper, as pandas).  The result keeps each value's label, so the divisions stay.

        Parameters
        ----------
        arg : callable, dict, Series (pandas/cuDF or lazy)
            The mapping.
        na_action : {None, "ignore"}
            ``"ignore"``: missing values stay missing without being passed to ``arg``.
        meta : optional
            The result's metadata (``(name, dtype)``, an empty or full Series, a collection); without it the
            result's type is inferred from sample data, with dask's warning.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 1]), npartitions=2, backend="cpu")
        >>> names = gd.from_pandas(pd.Series(["one", "two", "three"], index=[1, 2, 3]), npartitions=2, backend="cpu")
        >>> s.map(names, meta=("x", "object")).compute().tolist()
        ['one', 'two', 'three', 'one']
        >>> s.map({1: 10.0}, meta=("x", "f8")).compute().tolist()
        [10.0, nan, nan, 10.0]
        """
        from gpuscale.dataframe.mapping import map_values

        return map_values(self, arg, na_action, meta, "keep")

    def apply(self, func: Any, args: tuple = (), *, by_row: Any = "compat", meta: Any = None,
              **kwargs: Any) -> Any:
        """Apply ``func`` to every value (without ``meta``, the result's type is guessed from two sample values,
        with dask's warning; a function giving a Series per value makes a DataFrame).  A name, list or dict is
        routed as pandas routes it: a reduction's or same-shaped method's name to that method of the whole
        Series (``"sum"``, ``"cumsum"``), a NumPy ufunc's name to that function (``"sqrt"``), a list of
        element-wise functions to a DataFrame of their results side by side, a list or dict of reductions to
        :meth:`agg`.

        Parameters
        ----------
        func : callable, str, list or dict
            What to apply.
        args : tuple
            Positional arguments after the value.
        by_row : {"compat"}
            ``False`` (``func`` given the whole Series, which a partition is not) is refused.
        meta : optional
            The result's metadata.
        **kwargs
            Keyword arguments of ``func``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend="cpu")
        >>> s.apply(lambda v: v * 10, meta=(None, "int64")).compute().tolist()
        [10, 20, 30]
        >>> s.apply("cumsum").compute().tolist()
        [1, 3, 6]
        """
        from gpuscale.dataframe.aggregate_methods import applied_by_name
        from gpuscale.dataframe.mapping import sampled_meta

        if isinstance(func, (str, list, tuple, dict)):
            return applied_by_name(self, func, args, kwargs)
        if by_row is not None and by_row != "compat":
            raise NotImplementedError(f"Series.apply(by_row={by_row!r}): the function would be given the whole "
                                      "Series, which a partition is not; use map_partitions(func) for element-wise "
                                      "work, or compute() first")
        args = tuple(args)  # positional operands of map_partitions: lazy ones are computed, as dask
        if meta is None:
            meta = sampled_meta(self, _apply_values, "apply", func, *args, **kwargs)
        return self.map_partitions(_apply_values, func, *args, meta=meta, **kwargs)

    def unique(self, split_every: int | None = None, split_out: int = 1) -> "Series":
        """The distinct values, as a Series (in order of first appearance when ``split_out=1``)."""
        return self.drop_duplicates(split_every=split_every, split_out=split_out).reset_index(drop=True)

    def value_counts(self, sort: bool = True, ascending: bool = False, dropna: bool = True,
                     normalize: bool = False, split_every: int | None = None, split_out: int = 1,
                     bins: Any = None) -> "Series":
        """Counts of each distinct value (a tree reduction; ``split_out`` > 1 shuffles the counts); with
        ``bins`` (a number of equal-width bins or their edges, as pandas), counts of the values in each bin
        (:func:`gpuscale.dataframe.cut` of the values, every bin listed).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 2, 7, 9]), npartitions=2, backend="cpu")
        >>> s.value_counts(bins=[0, 5, 10]).compute().tolist()
        [3, 2]
        """
        if bins is not None:
            return self._binned_counts(bins, sort, ascending, normalize, dropna)
        chunk = {"dropna": dropna}
        final = {"dropna": dropna, "sort": sort, "ascending": ascending, "normalize": normalize}
        meta = bf.make_meta(bf.value_counts_combine(bf.value_counts_chunk(bf.meta_nonempty(self._meta)), **final))
        if split_out > 1:
            counts = map_partitions_expr(bf.value_counts_chunk, self.expr, kwargs=chunk, label="value_counts")
            shuffled = HashShuffle(counts, None, split_out)
            # each output partition holds some of the values: proportions are of the count of all of them
            summed = new_collection(map_partitions_expr(bf.value_counts_combine, shuffled,
                                                        kwargs={**final, "normalize": False}, label="value_counts"))
            return (summed / summed.sum()).rename(meta.name) if normalize else summed
        expr = tree_reduce(self.expr, bf.value_counts_chunk, _vc_combine, bf.value_counts_combine, final, meta,
                           "value-counts", split_every, chunk_kwargs=chunk)
        return new_collection(expr)

    def _binned_counts(self, bins: Any, sort: bool, ascending: bool, normalize: bool, dropna: bool) -> "Series":
        from gpuscale.dataframe.binning import cut
        binned = cut(self, bins, include_lowest=True)
        categories = bf.meta_categories(binned._meta)
        counts = binned.value_counts(sort=False)
        kw = {"categories": categories, "sort": sort, "ascending": ascending, "normalize": normalize,
              "dropna": dropna}
        meta = bf.make_meta(bf.binned_counts(counts._meta, 1, **kw))
        return new_collection(map_partitions_expr(bf.binned_counts, counts.expr, self.size.expr,
                                                  kwargs=kw, meta=meta, label="value_counts-bins"))

    def describe(self, split_every: Any = False, percentiles: Any = None, percentiles_method: str = "default",
                 include: Any = None, exclude: Any = None) -> "Series":
        """count, mean, std, min, percentiles, max (numbers and times) or count, unique, top, freq (labels), as
        pandas (:func:`gpuscale.dataframe.describe.describe`; ``include``/``exclude`` are ignored for a Series, as
        in pandas).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
        >>> s.describe(percentiles=[0.1, 0.5]).compute().round(2).to_dict()
        {'count': 4.0, 'mean': 2.5, 'std': 1.29, 'min': 1.0, '10%': 1.3, '50%': 2.5, 'max': 4.0}
        """
        from gpuscale.dataframe.describe import describe

        return describe(self, split_every, percentiles, percentiles_method)

    @property
    def str(self) -> Any:
        """String methods (``.str.contains`` ...), partition-wise."""
        from gpuscale.dataframe.accessors import StringAccessor

        return StringAccessor(self)

    @property
    def cat(self) -> Any:
        """Categorical properties and methods (``.cat.codes``, ``.cat.known``, ``.cat.as_known()`` ...)."""
        from gpuscale.dataframe.categorical import CategoricalAccessor

        return CategoricalAccessor(self)

    @property
    def dt(self) -> Any:
        """Datetime properties and methods (``.dt.year`` ...), partition-wise."""
        from gpuscale.dataframe.accessors import DatetimeAccessor

        return DatetimeAccessor(self)

    @property
    def list(self) -> Any:
        """cuDF's list methods (``.list.len()``, ``.list.get(0)`` ...; dask_cudf's accessor), partition-wise, on
        cuDF list columns and pandas' Arrow lists."""
        from gpuscale.dataframe.nested_accessors import ListAccessor

        return ListAccessor(self)

    @property
    def struct(self) -> Any:
        """cuDF's struct methods (``.struct.field("x")``, ``.struct.explode()``), partition-wise."""
        from gpuscale.dataframe.nested_accessors import StructAccessor

        return StructAccessor(self)

    def __dir__(self) -> builtins.list:
        # the accessors the values lack are not offered (as dask: ``"cat" in dir(s)`` means categorical)
        return sorted(a for a in super().__dir__() if a not in ("cat", "str", "list", "struct") or hasattr(self._meta, a))


def _vc_combine(parts: list, dropna: bool = True, **kwargs: Any) -> Any:
    return bf.value_counts_combine(parts, dropna=dropna)


def _apply_values(s: Any, func: Callable, *args: Any, **kwargs: Any) -> Any:
    return s.apply(func, args=args, **kwargs)


# the fields a datetime (or timedelta) index answers itself, as dask's Index
_TIME_FIELDS = frozenset({"year", "month", "day", "hour", "minute", "second", "microsecond", "nanosecond",
                          "dayofweek", "day_of_week", "weekday", "dayofyear", "day_of_year", "quarter",
                          "is_month_start", "is_month_end", "is_quarter_start", "is_quarter_end", "is_year_start",
                          "is_year_end", "is_leap_year", "days_in_month", "daysinmonth", "days", "seconds",
                          "microseconds", "nanoseconds"})


class Index(OneColumn, IndexMethods, IndexLevelMethods, IndexSetMethods, TimeBinMethods, NumpyConversion,
            ListConversions, FrameBase):
    """A lazy Index (``df.index``).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=list("abcd")), npartitions=2, backend="cpu")
    >>> df.index.compute().tolist()
    ['a', 'b', 'c', 'd']
    """

    def __iter__(self) -> Any:
        """The labels, computing one partition at a time (as dask).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(3)}, index=[5, 6, 7]), npartitions=2, backend="cpu")
        >>> [int(i) for i in df.index]
        [5, 6, 7]
        """
        from gpuscale.dataframe.convenience import _host_partitions

        for part in _host_partitions(self):
            yield from part

    def to_series(self, index: Any = None, name: Any = None) -> Series:
        """The index values as a Series indexed by them (the divisions stay known, as dask's), named ``name``
        (by default the index's name); another ``index=`` is not taken, as dask."""
        from gpuscale.dataframe.expr.loc import IndexKeepingMap

        if index is not None:
            raise NotImplementedError("Index.to_series(index=...): the Series is labelled by the index values "
                                      "themselves (as dask); set another index on the result with set_index")
        kwargs = None if name is None else {"name": name}
        return new_collection(IndexKeepingMap(bf.call_method, kwargs, None, "to_series", False, self.expr,
                                              "to_series"))

    @property
    def cat(self) -> Any:
        """Categorical properties and methods of a categorical index (``df.index.cat.known`` ...)."""
        from gpuscale.dataframe.categorical import CategoricalAccessor

        return CategoricalAccessor(self)

    def __getattr__(self, name: str) -> Any:
        # a categorical index answers the categorical members itself (``df.index.categories``), and a datetime
        # index its fields (``df.index.month``), as dask's
        from gpuscale.dataframe.categorical import index_attribute

        if name.startswith("_"):
            raise AttributeError(name)
        if name in _TIME_FIELDS and bf.has_member(self._meta, name):
            return getattr(self.dt, name)
        return index_attribute(self, name)

    def __dir__(self) -> list:
        from gpuscale.dataframe.categorical import INDEX_ATTRIBUTES

        extra = INDEX_ATTRIBUTES if bf.is_categorical(self._meta.dtype) else ()
        with warnings.catch_warnings():  # ``idx.day`` of a datetime index (pandas deprecates some of the names)
            warnings.simplefilter("ignore")
            times = [name for name in _TIME_FIELDS if bf.has_member(self._meta, name)]
        return sorted({*super().__dir__(), *extra, *times})

    def __len__(self) -> int:
        return int(new_collection(self._length().expr).compute())

    # -- tests giving arrays -------------------------------------------------------------------------
    def isin(self, values: Any) -> Any:
        """Boolean mask of the labels in ``values``: a lazy Array, a block per partition (pandas gives a
        NumPy array; cuDF a CuPy one), as dask.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"v": range(6)}), npartitions=3, backend="cpu")
        >>> df.index.isin([1, 4]).compute().tolist()
        [False, True, False, False, True, False]
        """
        from gpuscale.dataframe.interop import is_delayed

        if isinstance(values, FrameBase) or is_delayed(values) or isinstance(values, (list, tuple)) and \
                any(is_delayed(v) for v in values):
            return _blocks_of_tests(super().isin(values))  # (refused, or computed in the graph)
        return self._tests("isin", isin_operand(values))

    def isna(self) -> Any:
        """Boolean mask of the missing labels: a lazy Array, a block per partition (see :meth:`isin`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"v": range(3)}, index=[1.0, None, 3.0]), npartitions=2,
        ...                     sort=False, backend="cpu")
        >>> df.index.isna().compute().tolist(), df.index.notna().compute().tolist()
        ([False, True, False], [True, False, True])
        """
        return self._tests("isna")

    def notna(self) -> Any:
        """Boolean mask of the present labels: a lazy Array, a block per partition (see :meth:`isna`)."""
        return self._tests("notna")

    def _tests(self, method: str, *args: Any) -> Any:
        # the metadata is the library's empty array itself (a device array has no NumPy metadata to make)
        sample = bf.call_method(self._meta, method, *args)
        expr = map_partitions_expr(bf.call_method, self.expr, method, *args, label=method, columnwise=True,
                                   meta=sample if _is_block(sample) else None)
        return _blocks_of_tests(new_collection(expr))

    def where(self, cond: Any, other: Any = None, axis: Any = None) -> "Index":
        """The labels where ``cond`` is True, else ``other`` (missing by default), as pandas' ``Index.where``.

        ``cond`` may be a lazy Array with a block per partition (``idx > 2``, ``idx.isin([...])``): block ``i``
        meets partition ``i`` by position.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"v": range(6)}), npartitions=2, backend="cpu").index
        >>> r = idx.where(idx > 2)
        >>> r.dtype, r.compute().tolist()
        (dtype('float64'), [nan, nan, nan, 3.0, 4.0, 5.0])
        """
        from gpuscale.dataframe.core import _is_lazy_array
        from gpuscale.dataframe.interop import from_dask_array

        if not _is_lazy_array(cond):
            return super().where(cond, other, axis)
        if cond.ndim != 1 or len(cond.chunks[0]) != self.npartitions:
            raise ValueError(f"Index.where: an array condition needs one block per partition of the index "
                             f"({self.npartitions}); it has {len(cond.chunks[0])} blocks of {cond.ndim} dimensions")
        tests = from_dask_array(cond).clear_divisions()  # (positional: block i is partition i's test)
        args = (tests.expr,) if other is None else (tests.expr, other)
        meta = _replaced_meta(self._meta, other)
        return new_collection(map_partitions_expr(bf.call_method, self.expr, "where", *args, meta=meta, label="where",
                                                  positional=True))


def _is_block(value: Any) -> bool:
    """Whether a partition's result is an array of rows (the blocks of a lazy Array)."""
    from gpuscale.dataframe.array_blocks import is_block_array

    return is_block_array(value)


def _blocks_of_tests(tests: Any) -> Any:
    """An Index's tests (``isin``, ``isna``) as one lazy Array, a block per partition: pandas and cuDF give them as
    arrays, which a collection of partitions would take for one lazy scalar (the first partition's)."""
    from gpuscale.dataframe.array_blocks import blocks_array

    sample = tests.expr._meta
    if not _is_block(sample):  # (already an Array, or a library that gives an Index)
        return tests
    return blocks_array(tests, sample)


def _replaced_meta(meta: Any, other: Any) -> Any:
    """The metadata of ``Index.where`` replacing some labels (integers and NaN: float64, as pandas for the
    whole index); None (inferred) where ``other`` is not a scalar."""
    if other is not None and not bf.is_scalar_like(other):
        return None
    sample = bf.meta_nonempty(meta)
    mixed = [i % 2 == 0 for i in range(len(sample))]  # (some labels kept, some replaced)
    try:
        return bf.make_meta(sample.where(mixed, *(() if other is None else (other,))))
    except Exception:  # noqa: BLE001 - the usual inference decides
        return None
