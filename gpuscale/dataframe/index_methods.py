"""The lazy Index's collection methods of dask.dataframe (``df.index.unique()``, ``.map``, ``.dt.year`` ...).

:class:`IndexMethods` is a mixin of :class:`gpuscale.dataframe.Index`.  Reductions and distinct values
run on the index values as a Series (``to_series``); results that dask gives as an Index are made one
again.  ``.dt`` calls the datetime properties of the index partitions themselves (pandas and cuDF have
no ``.dt`` on an index).
"""

from __future__ import annotations

import warnings
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.accessors import StringAccessor, _Accessor
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.sorting import WithDivisions
from gpuscale.dataframe.convenience import ConvenienceMethods
from gpuscale.dataframe.index_series import IndexSeriesMethods, _positional
from gpuscale.dataframe.porting import FramePorting, SharedPorting

__all__ = ["IndexMethods"]

_NO_DEFAULT = object()


class IndexMethods(IndexSeriesMethods, SharedPorting):
    """Mixin of :class:`gpuscale.dataframe.Index`: dask's Index methods."""

    def _values(self) -> Any:
        return self.to_series()

    @staticmethod
    def _as_index(series: Any, keep_divisions: bool = False) -> Any:
        meta = bf.series_values_index(series._meta)
        expr = map_partitions_expr(bf.series_values_index, series.expr, meta=meta, label="values-as-index")
        if keep_divisions and series.known_divisions:  # a Series of the index values labelled by themselves
            from gpuscale.dataframe.expr.sorting import WithDivisions

            expr = WithDivisions(expr, series.divisions)
        return new_collection(expr)

    @property
    def index(self) -> Any:
        """An Index has no index of its own (as dask's and pandas'): raises AttributeError.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}), npartitions=2, backend="cpu").index
        >>> hasattr(idx, "index")
        False
        """
        raise AttributeError("'Index' object has no attribute 'index'")

    # -- reductions -------------------------------------------------------------------------------
    def min(self, skipna: bool = True, split_every: int | None = None, **kwargs: Any) -> Any:
        """The smallest index value, a lazy Scalar.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[3, 1, 4, 2]), npartitions=2, sort=False)
        >>> int(df.index.min().compute()), int(df.index.max().compute())
        (1, 4)
        """
        return self._values().min(skipna=skipna, split_every=split_every)

    def max(self, skipna: bool = True, split_every: int | None = None, **kwargs: Any) -> Any:
        """The largest index value, a lazy Scalar (see :meth:`min`)."""
        return self._values().max(skipna=skipna, split_every=split_every)

    def count(self, split_every: int | None = None, **kwargs: Any) -> Any:
        """Number of non-missing index values, a lazy Scalar.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}), npartitions=2)
        >>> int(df.index.count().compute())
        4
        """
        return self._values().count(split_every=split_every)

    def nunique(self, dropna: bool = True, split_every: int | None = None, **kwargs: Any) -> Any:
        """Number of distinct index values, a lazy Scalar.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[1, 1, 2, 3]), npartitions=2)
        >>> int(df.index.nunique().compute())
        3
        """
        return self._values().nunique(dropna=dropna, split_every=split_every)

    @property
    def is_monotonic_increasing(self) -> Any:
        """Whether the index values never decrease, a lazy Scalar."""
        return self._values().is_monotonic_increasing

    @property
    def is_monotonic_decreasing(self) -> Any:
        """Whether the index values never increase, a lazy Scalar."""
        return self._values().is_monotonic_decreasing

    @property
    def is_unique(self) -> Any:
        """Whether no index value repeats, a lazy boolean.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[1, 1, 2, 3]), npartitions=2)
        >>> bool(df.index.is_unique.compute()), bool(df.index.hasnans.compute())
        (False, False)
        """
        return self._values().is_unique

    @property
    def hasnans(self) -> Any:
        """Whether any index value is missing, a lazy boolean."""
        return self._values().hasnans

    def memory_usage(self, deep: bool = False) -> Any:
        """Bytes used by the index values (all partitions), a lazy Scalar.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[5, 6, 7, 8]), npartitions=2)
        >>> int(df.index.memory_usage().compute())
        32
        """
        return self.map_partitions(bf.index_memory_usage, deep=deep).sum()

    @property
    def nbytes(self) -> Any:
        """Bytes of the index values (all partitions), a lazy Scalar."""
        return self.map_partitions(bf.index_nbytes).sum()

    @property
    def ndim(self) -> int:
        """1, as for every index."""
        return 1

    # -- distinct values ----------------------------------------------------------------------------
    def drop_duplicates(self, split_every: int | None = None, split_out: int = 1, **kwargs: Any) -> Any:
        """The distinct index values, as an Index.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[1, 1, 2, 3]), npartitions=2)
        >>> sorted(df.index.drop_duplicates().compute().tolist())
        [1, 2, 3]
        """
        values = self._values().reset_index(drop=True)
        out = self._as_index(values.drop_duplicates(split_every=split_every, split_out=split_out, **kwargs))
        # pandas 3's to_series infers object text anew (str): the distinct values keep the index's dtype
        return out.astype(self.dtype) if str(self.dtype) == "object" else out

    def unique(self, split_every: int | None = None, split_out: int = 1) -> Any:
        """The distinct index values, as an Index (see :meth:`drop_duplicates`)."""
        return self.drop_duplicates(split_every=split_every, split_out=split_out)

    def value_counts(self, sort: bool = True, ascending: bool = False, dropna: bool = True,
                     normalize: bool = False, split_every: int | None = None, split_out: int = 1) -> Any:
        """Counts of each index value, a Series indexed by the values.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[1, 1, 2, 3]), npartitions=2)
        >>> df.index.value_counts().compute().loc[1].item()
        2
        """
        return self._values().value_counts(sort=sort, ascending=ascending, dropna=dropna, normalize=normalize,
                                           split_every=split_every, split_out=split_out)

    # -- partition-wise -----------------------------------------------------------------------------
    def map(self, arg: Any, na_action: Any = None, meta: Any = None, is_monotonic: bool = False) -> Any:
        """Index values mapped through a function, dict, pandas Series or lazy Series (partition-wise), as an Index.

        The divisions become unknown, unless ``is_monotonic`` says the mapping keeps the order: then the
        boundaries are mapped too (as dask; not with a lazy Series ``arg``, which is concatenated into one
        partition that every partition looks its values up in).

        Parameters
        ----------
        arg : callable, dict or Series (pandas/cuDF or lazy)
            The mapping.
        na_action : None or "ignore"
            "ignore": missing values stay missing.
        meta : optional
            The result's metadata (inferred from sample values, with dask's warning, when omitted).
        is_monotonic : bool
            Whether the mapping keeps the order, so the divisions can be mapped too (as dask).

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(3)}, index=[1, 2, 3]), npartitions=2)
        >>> tens = df.index.map(lambda v: v * 10, is_monotonic=True, meta=("x", "i8"))
        >>> tens.compute().tolist(), tens.divisions
        ([10, 20, 30], (10, 30, 30))
        """
        from gpuscale.dataframe.mapping import map_values

        return map_values(self, arg, na_action, meta, "map" if is_monotonic else "clear")

    def rename(self, name: Any) -> Any:
        """The index with another name (partition-wise).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(3)}), npartitions=2)
        >>> df.index.rename("row").compute().name
        'row'
        """
        return self._method("rename", name)

    def to_frame(self, index: bool = True, name: Any = _NO_DEFAULT) -> Any:
        """A DataFrame of one column holding the index values (indexed by them unless ``index=False``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(3)}, index=pd.Index([4, 5, 6], name="k")), npartitions=2)
        >>> df.index.to_frame().compute().k.tolist()
        [4, 5, 6]
        >>> df.index.to_frame().divisions
        (4, 6, 6)
        """
        kwargs = {"index": index} if name is _NO_DEFAULT else {"index": index, "name": name}
        frame = self._method("to_frame", columnwise=False, **kwargs)
        if not index:  # a fresh RangeIndex per partition: no divisions
            return frame
        return new_collection(WithDivisions(frame.expr, self.divisions))  # the rows keep their index labels

    # -- the Series' methods that need no Series --------------------------------------------------
    pipe = ConvenienceMethods.pipe
    to_timestamp = FramePorting.to_timestamp  # a PeriodIndex's own ``to_timestamp`` on every partition

    def head(self, n: int = 5, npartitions: int = 1, compute: bool = True) -> Any:
        """The first ``n`` index values, from the first ``npartitions`` partitions (-1: all), as dask.

        Parameters
        ----------
        n : int
            How many values.
        npartitions : int
            Partitions looked at.
        compute : bool
            Return the values now (a pandas/cuDF Index), or a lazy Index.

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[6, 7, 8, 9]), npartitions=2).index
        >>> idx.head(3, npartitions=-1).tolist()
        [6, 7, 8]
        """
        return super().head(n, npartitions=npartitions, compute=compute)

    def tail(self, n: int = 5, npartitions: int = 1, compute: bool = True) -> Any:
        """The last ``n`` index values, from the last ``npartitions`` partitions (see :meth:`head`).

        Parameters
        ----------
        n : int
            How many values.
        npartitions : int
            Partitions looked at.
        compute : bool
            Return the values now, or a lazy Index.

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[6, 7, 8, 9]), npartitions=2).index
        >>> idx.tail(1).tolist()
        [9]
        """
        return super().tail(n, npartitions=npartitions, compute=compute)

    def repartition(self, divisions: Any = None, npartitions: int | None = None, partition_size: Any = None,
                    freq: Any = None, force: bool = False) -> Any:
        """New partitions of the index values, as :meth:`gpuscale.dataframe.Series.repartition` makes them
        (the values are the labels, so known divisions stay known).

        Parameters
        ----------
        divisions, npartitions, partition_size, freq, force
            As :meth:`gpuscale.dataframe.Series.repartition`: exactly one of the first four.

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(12)}), npartitions=3, backend="cpu").index
        >>> idx.repartition(divisions=[0, 5, 11]).divisions
        (0, 5, 11)
        >>> idx.repartition(npartitions=2).compute().tolist() == list(range(12))
        True
        """
        values = self.to_series().repartition(divisions, npartitions, partition_size, freq, force)
        return self._as_index(values, keep_divisions=True)

    def rename_axis(self, mapper: Any = None, **kwargs: Any) -> Any:
        """The index with another name: a Series' ``rename_axis`` names its index, which this is.

        Parameters
        ----------
        mapper : label
            The new name.
        **kwargs
            Accepted for dask compatibility (``index=`` is taken as the name too).

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(3)}), npartitions=2, backend="cpu")
        >>> df.index.rename_axis("row").compute().name
        'row'
        """
        return self.rename(kwargs.get("index", mapper))

    def squeeze(self, axis: Any = None) -> Any:
        """The index itself (it has one dimension already), as a Series' ``squeeze``.

        Parameters
        ----------
        axis : None
            Accepted for dask compatibility.

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}), npartitions=2, backend="cpu").index
        >>> idx.squeeze() is idx
        True
        """
        return self

    def add_prefix(self, prefix: str) -> Any:
        """The index values as strings with ``prefix`` in front (a Series' ``add_prefix`` prefixes its
        labels, which an index's values are).

        Parameters
        ----------
        prefix : str

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(2)}), npartitions=1, backend="cpu").index
        >>> idx.add_prefix("r").compute().tolist()
        ['r0', 'r1']
        """
        return self.to_series().add_prefix(prefix).index

    def add_suffix(self, suffix: str) -> Any:
        """The index values as strings with ``suffix`` after them (see :meth:`add_prefix`).

        Parameters
        ----------
        suffix : str

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(2)}), npartitions=1, backend="cpu").index
        >>> idx.add_suffix("_r").compute().tolist()
        ['0_r', '1_r']
        """
        return self.to_series().add_suffix(suffix).index

    def memory_usage_per_partition(self, index: bool = True, deep: bool = False) -> Any:
        """Bytes of the index values in each partition, a Series with one value per partition.

        Parameters
        ----------
        index : bool
            Accepted for dask compatibility (the values are the index).
        deep : bool
            Count the contents of strings.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[5, 6, 7, 8]), npartitions=2).index
        >>> idx.memory_usage_per_partition().compute().tolist()
        [16, 16]
        """
        return self.map_partitions(bf.index_memory_usage, deep=deep)

    @property
    def values(self) -> Any:
        """The index values as a gpuscale array (``to_dask_array()``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}, index=[7, 8, 9]), npartitions=2).index
        >>> idx.values.compute().tolist()
        [7, 8, 9]
        """
        from gpuscale.dataframe.to_array import values_array

        return values_array(self)

    def to_csv(self, path: Any, **kwargs: Any) -> Any:
        """Write the index values as CSV (one column, headed by the index name; no row labels unless
        ``index=True``); see :func:`gpuscale.dataframe.to_csv`.

        Parameters
        ----------
        path : str
            A file pattern (``*`` numbered by partition) or, with ``single_file=True``, one file.
        **kwargs
            As :meth:`gpuscale.dataframe.Series.to_csv`.

        Returns
        -------
        list of str
            The files written.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> path = os.path.join(tempfile.mkdtemp(), "k.csv")
        >>> pdf = pd.DataFrame({"x": range(3)}, index=pd.Index([7, 8, 9], name="k"))
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").index.to_csv(path, single_file=True) == [path]
        True
        >>> open(path).read().split()
        ['k', '7', '8', '9']
        """
        kwargs.setdefault("index", False)
        return _positional(self).to_csv(path, **kwargs)

    def to_json(self, filename: Any, *args: Any, **kwargs: Any) -> Any:
        """Write the index values as JSON, one file per partition; see :func:`gpuscale.dataframe.to_json`.

        Parameters
        ----------
        filename : str
            A folder, or a file pattern with ``*``.
        *args, **kwargs
            As :meth:`gpuscale.dataframe.Series.to_json`.

        Returns
        -------
        list of str
            The files written.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> folder = os.path.join(tempfile.mkdtemp(), "out")
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}), npartitions=2, backend="cpu").index
        >>> len(idx.to_json(folder))
        2
        """
        return _positional(self).to_json(filename, *args, **kwargs)

    @property
    def str(self) -> Any:
        """String methods of the index values (``df.index.str.upper()``), partition-wise; Index results."""
        return StringAccessor(self)

    @property
    def dt(self) -> Any:
        """Datetime properties and methods of a datetime index (``df.index.dt.year``), partition-wise.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": range(3)}, index=pd.date_range("2020-12-31", periods=3, name="t"))
        >>> gd.from_pandas(pdf, npartitions=2).index.dt.year.compute().tolist()
        [2020, 2021, 2021]
        """
        return IndexDatetimeAccessor(self)


class IndexDatetimeAccessor(_Accessor):
    """``.dt`` of a datetime Index: the properties and methods of the index partitions themselves."""

    _name, _expected = "dt", "datetime"

    def __init__(self, index: Any) -> None:
        from gpuscale.dataframe.accessors import DatetimeAccessor

        if not hasattr(index._meta, "year"):
            raise AttributeError(f".dt accessor needs a datetime index; the index has dtype {index.dtype}")
        self._series = index
        with warnings.catch_warnings():  # pandas deprecates some spellings (dayofyear ...): looking is not using
            warnings.simplefilter("ignore")
            self._properties = tuple(p for p in DatetimeAccessor._properties if bf.has_member(index._meta, p))
            self._methods = tuple(m for m in DatetimeAccessor._methods if bf.has_member(index._meta, m))

    def _call(self, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
        sample = bf.index_attribute(bf.meta_nonempty(self._series._meta), attr, is_method, *args, **kwargs)
        meta = bf.make_meta(sample) if bf.is_frame_like(sample) else None
        expr = map_partitions_expr(bf.index_attribute, self._series.expr, attr, is_method, *args,
                                   kwargs=kwargs or None, meta=meta, label=f"dt.{attr}", columnwise=True)
        return new_collection(expr)
