"""pandas' conversions to Python, NumPy and xarray objects (``to_numpy``, ``tolist``, ``to_dict``, ``item``,
``to_xarray``), the methods whose results are NumPy arrays (``factorize``, ``searchsorted``) and pandas' plots
(``plot``, ``hist``, ``boxplot``), which dask lacks:
each computes the collection at once and asks the computed pandas (cuDF) object, so code moved from pandas
(``df["x"].unique().tolist()``) runs unchanged.  The partition library's own rules apply: cuDF refuses
``tolist`` (no implicit copy to host memory) and its ``to_numpy`` copies from the device."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["NumpyConversion", "ListConversions", "DictConversion", "SeriesArrayResults", "PlotMethods",
           "BoxplotMethod"]


class NumpyConversion:
    """Mixin of DataFrame, Series and Index: ``to_numpy``."""

    def to_numpy(self, *args: Any, **kwargs: Any) -> Any:
        """The values as a NumPy array, computed at once (pandas' ``to_numpy``; for a lazy array use
        ``to_dask_array``).

        Parameters
        ----------
        *args, **kwargs
            pandas' (``dtype``, ``copy``, ``na_value``).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> df.x.to_numpy().tolist(), df.to_numpy().shape
        ([1, 2, 3], (3, 1))
        """
        return self.compute().to_numpy(*args, **kwargs)


class ListConversions:
    """Mixin of Series and Index: ``tolist``, ``to_list``, ``item``."""

    def tolist(self) -> list:
        """The values as a Python list, computed at once (pandas' ``tolist``; cuDF refuses it, as cuDF does).

        Returns
        -------
        list

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 1, 3, 2]), npartitions=2, backend="cpu")
        >>> sorted(s.unique().tolist())
        [1, 2, 3]
        """
        return self.compute().tolist()

    def to_list(self) -> list:
        """The values as a Python list, computed at once (see :meth:`tolist`).

        Returns
        -------
        list

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.Series([1.5, 2.5]), npartitions=2, backend="cpu").to_list()
        [1.5, 2.5]
        """
        return self.tolist()

    def item(self) -> Any:
        """The one value of a one-value Series or Index as a Python scalar, computed at once (pandas' ``item``:
        ``ValueError`` otherwise; of cuDF partitions too, whose Series has no ``item``).

        Returns
        -------
        scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([5, 7, 9]), npartitions=2, backend="cpu")
        >>> int(s[s > 8].item())
        9
        """
        return bf.single_item(self.compute())


class DictConversion:
    """Mixin of DataFrame and Series: ``to_dict``, ``to_xarray``."""

    def to_xarray(self) -> Any:
        """An xarray Dataset (DataArray of a Series) indexed by the index, computed at once, as pandas'
        ``to_xarray`` (cuDF partitions through a host copy: cuDF has no ``to_xarray``).

        Returns
        -------
        xarray.Dataset or xarray.DataArray

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index([10, 20], name="t")), npartitions=2,
        ...                     backend="cpu")
        >>> df.to_xarray().x.values.tolist()
        [1.0, 2.0]
        """
        from gpuscale.backends import to_host

        return to_host(self.compute()).to_xarray()

    def to_dict(self, *args: Any, **kwargs: Any) -> dict:
        """The labels and values as a dict, computed at once (pandas' ``to_dict``, its ``orient=`` and
        ``into=`` included).

        Parameters
        ----------
        *args, **kwargs
            pandas'.

        Returns
        -------
        dict or list

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2]}, index=["a", "b"]), npartitions=2, backend="cpu")
        >>> df.to_dict(), df.x.to_dict()
        ({'x': {'a': 1, 'b': 2}}, {'a': 1, 'b': 2})
        """
        return self.compute().to_dict(*args, **kwargs)


class SeriesArrayResults:
    """Mixin of Series: ``factorize``, ``searchsorted`` (their results are arrays: computed at once)."""

    def factorize(self, sort: bool = False, use_na_sentinel: bool = True) -> tuple:
        """``(codes, uniques)``: each value's position among the distinct values, computed at once, as pandas'
        ``factorize`` (uniques in order of first appearance unless ``sort``; missing values coded -1).

        Parameters
        ----------
        sort : bool
            Sort the uniques (and number the codes so).
        use_na_sentinel : bool
            Code missing values -1 (else they get a code of their own).

        Returns
        -------
        tuple
            The codes (an array) and the uniques (an Index).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> codes, uniques = gd.from_pandas(pd.Series(["b", "a", "b"]), npartitions=2, backend="cpu").factorize()
        >>> codes.tolist(), uniques.tolist()
        ([0, 1, 0], ['b', 'a'])
        """
        return self.compute().factorize(sort=sort, use_na_sentinel=use_na_sentinel)

    def searchsorted(self, value: Any, side: str = "left", sorter: Any = None) -> Any:
        """Where ``value`` would be inserted to keep the (sorted) values in order, computed at once, as pandas'
        ``searchsorted``.

        Parameters
        ----------
        value : scalar or array-like
        side : {"left", "right"}
            The first or the last suitable position.
        sorter : array-like, optional
            Positions that sort the values.

        Returns
        -------
        int or numpy.ndarray

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 3, 5, 7]), npartitions=2, backend="cpu")
        >>> int(s.searchsorted(4)), s.searchsorted([0, 7], side="right").tolist()
        (2, [0, 4])
        """
        return self.compute().searchsorted(value, side=side, sorter=sorter)


class _Plotter:
    """pandas' ``plot`` accessor of a collection: nothing is computed until a plot is drawn (``df.plot()``,
    ``df.plot.bar()``), then the collection is computed and pandas draws it (with matplotlib)."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def _computed(self) -> Any:
        from gpuscale.backends import to_host

        return to_host(self._obj.compute()).plot

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._computed()(*args, **kwargs)

    def __getattr__(self, kind: str) -> Any:
        if kind.startswith("_"):
            raise AttributeError(kind)
        return lambda *args, **kwargs: getattr(self._computed(), kind)(*args, **kwargs)


class PlotMethods:
    """Mixin of DataFrame and Series: pandas' ``plot`` and ``hist`` of the computed data."""

    @property
    def plot(self) -> Any:
        """pandas' plot accessor (``df.plot()``, ``df.plot.line(x=, y=)``, ``s.plot.hist()`` ...): the collection is
        computed when a plot is drawn, not before, and pandas draws it with matplotlib.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 3, 2]}), npartitions=2, backend="cpu")
        >>> type(df.plot.line()).__name__
        'Axes'
        """
        return _Plotter(self)

    def hist(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' ``hist`` of the computed data (computed at once).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 2.0, 5.0]), npartitions=2, backend="cpu")
        >>> type(s.hist(bins=3)).__name__
        'Axes'
        """
        from gpuscale.backends import to_host

        return to_host(self.compute()).hist(*args, **kwargs)


class BoxplotMethod:
    """Mixin of DataFrame: pandas' ``boxplot``."""

    def boxplot(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' ``DataFrame.boxplot`` of the computed data (computed at once).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 3, 2], "y": [2, 2, 9]}), npartitions=2, backend="cpu")
        >>> type(df.boxplot()).__name__
        'Axes'
        """
        from gpuscale.backends import to_host

        return to_host(self.compute()).boxplot(*args, **kwargs)
