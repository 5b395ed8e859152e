"""Growing windows: ``df.expanding()`` (pandas' API; dask.dataframe has none; ``ewm()`` is in
:mod:`gpuscale.dataframe.ewm`).

Scans over the partitions in order (:class:`gpuscale.dataframe.expr.overlap.Scan`): each partition is read
once and, for the moments (``sum`` ... ``kurt``, ``cov``/``corr``), only a few numbers per column travel along
the chain; ``median``, ``quantile``, ``rank``, ``nunique``, ``first``, ``last`` and ``apply`` need the earlier
rows themselves (:mod:`gpuscale.backends.frame.expanding_history`).  Results are those of pandas on the whole
frame, partitions and divisions stay.  Only numeric columns have them (any column for ``apply``).
"""

from __future__ import annotations

import numbers
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.overlap import Scan

__all__ = ["Expanding", "window_agg", "paired_columns"]


def _scan(obj: Any, chunk: Any, combine: Any, finish: Any, kwargs: dict, label: str) -> Any:
    from gpuscale.dataframe.core import new_collection

    meta = bf.make_meta(finish(bf.meta_nonempty(obj._meta), None, **kwargs))
    return new_collection(Scan(obj.expr, chunk, combine, finish, kwargs, meta, label, True))


class Expanding:
    """Expanding windows (every row's window holds all rows before it), as pandas' ``expanding()``.

    Parameters
    ----------
    obj : DataFrame or Series
        The collection (numeric columns).
    min_periods : int
        Valid values a window needs to give a value (rows, for ``count``).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, 2.0, None, 4.0]), npartitions=2, backend="cpu")
    >>> s.expanding().mean().compute().tolist()
    [1.0, 1.5, 1.5, 2.3333333333333335]
    """

    def __init__(self, obj: Any, min_periods: int = 1) -> None:
        # (NumPy's integers too, as pandas: np.int64(2))
        if not isinstance(min_periods, numbers.Integral) or isinstance(min_periods, bool) or min_periods < 0:
            raise ValueError(f"expanding: min_periods must be an integer 0 or greater, got {min_periods!r}")
        self.obj, self.min_periods = obj, int(min_periods)

    def _aggregate(self, how: str, ddof: int = 1) -> Any:
        kwargs = {"how": how, "min_periods": self.min_periods, "ddof": ddof}
        return _scan(self.obj, bf.expanding_total, bf.expanding_combine, bf.expanding_finish, kwargs,
                     f"expanding-{how}")

    def count(self) -> Any:
        """Valid values so far.

        Returns
        -------
        DataFrame or Series
            float64, as pandas.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, None, 3.0]), npartitions=2, backend="cpu")
        >>> s.expanding().count().compute().tolist()
        [1.0, 1.0, 2.0]
        """
        return self._aggregate("count")

    def sum(self) -> Any:
        """Sum so far.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.expanding().sum().compute().tolist()
        [1.0, 3.0, 6.0, 10.0]
        """
        return self._aggregate("sum")

    def mean(self) -> Any:
        """Mean so far.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.expanding().mean().compute().tolist()
        [1.0, 1.5, 2.0, 2.5]
        """
        return self._aggregate("mean")

    def min(self) -> Any:
        """Minimum so far.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 4, 1, 2]), npartitions=2, backend="cpu")
        >>> s.expanding().min().compute().tolist()
        [3.0, 3.0, 1.0, 1.0]
        """
        return self._aggregate("min")

    def max(self) -> Any:
        """Maximum so far.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 4, 1, 5]), npartitions=2, backend="cpu")
        >>> s.expanding().max().compute().tolist()
        [3.0, 4.0, 4.0, 5.0]
        """
        return self._aggregate("max")

    def var(self, ddof: int = 1) -> Any:
        """Variance so far.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0]), npartitions=2, backend="cpu")
        >>> s.expanding().var().compute().tolist()
        [nan, 2.0, 4.0]
        """
        return self._aggregate("var", ddof)

    def std(self, ddof: int = 1) -> Any:
        """Standard deviation so far.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0]), npartitions=2, backend="cpu")
        >>> s.expanding().std().compute().tolist()
        [nan, 1.4142135623730951, 2.0]
        """
        return self._aggregate("std", ddof)

    def sem(self, ddof: int = 1) -> Any:
        """Standard error of the mean so far: ``std(ddof) / sqrt(count)``, as pandas.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0]), npartitions=2, backend="cpu")
        >>> s.expanding().sem().compute().round(4).tolist()
        [nan, 1.0, 1.1547]
        """
        return self.std(ddof) / self._aggregate("count") ** 0.5

    def _moments(self, how: str) -> Any:
        kwargs = {"how": how, "min_periods": self.min_periods}
        return _scan(self.obj, bf.expanding_moments_total, bf.expanding_moments_combine,
                     bf.expanding_moments_finish, kwargs, f"expanding-{how}")

    def skew(self) -> Any:
        """Unbiased skewness so far (3 or more valid values that are not all equal), as pandas.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 4.0, 8.0]), npartitions=2, backend="cpu")
        >>> s.expanding().skew().compute().round(4).tolist()
        [nan, nan, 0.9352, 1.1376]
        """
        return self._moments("skew")

    def kurt(self) -> Any:
        """Unbiased excess kurtosis so far (4 or more valid values that are not all equal), as pandas.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 4.0, 8.0, 1.0]), npartitions=2, backend="cpu")
        >>> s.expanding().kurt().compute().round(4).tolist()
        [nan, nan, nan, 0.7577, 1.5815]
        """
        return self._moments("kurt")

    def _with_history(self, how: str, *args: Any, **kwargs: Any) -> Any:
        task = {"how": how, "min_periods": self.min_periods, "args": args, "kwargs": kwargs}
        return _scan(self.obj, bf.expanding_history_total, bf.expanding_history_combine,
                     bf.expanding_history_finish, task, f"expanding-{how}")

    def median(self) -> Any:
        """Median so far, as pandas.

        Needs every earlier value: each partition's windows also hold the rows of the partitions before it
        (work and memory grow with them; see :mod:`gpuscale.backends.frame.expanding_history`).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([5.0, 1.0, 3.0, 2.0]), npartitions=2, backend="cpu")
        >>> s.expanding().median().compute().tolist()
        [5.0, 3.0, 3.0, 2.5]
        """
        return self._with_history("median")

    def quantile(self, q: float, interpolation: str = "linear") -> Any:
        """Quantile ``q`` so far, as pandas (every earlier value is needed: see :meth:`median`).

        Parameters
        ----------
        q : float
            Between 0 and 1.
        interpolation : str
            pandas' (``linear``, ``lower``, ``higher``, ``nearest``, ``midpoint``).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([4.0, 1.0, 3.0, 2.0]), npartitions=2, backend="cpu")
        >>> s.expanding().quantile(0.25).compute().tolist()
        [4.0, 1.75, 2.0, 1.75]
        """
        return self._with_history("quantile", q, interpolation=interpolation)

    def rank(self, method: str = "average", ascending: bool = True, pct: bool = False) -> Any:
        """Each value's rank among the values so far, as pandas (every earlier value is needed: see
        :meth:`median`).

        Parameters
        ----------
        method : {"average", "min", "max"}
            How ties are ranked.
        ascending : bool
            Smallest first.
        pct : bool
            As a fraction of the values so far.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([2.0, 1.0, 3.0, 2.0]), npartitions=2, backend="cpu")
        >>> s.expanding().rank().compute().tolist()
        [1.0, 1.0, 3.0, 2.5]
        """
        return self._with_history("rank", method=method, ascending=ascending, pct=pct)

    def nunique(self) -> Any:
        """Distinct values so far, as pandas 3 (every earlier value is needed: see :meth:`median`).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([2.0, 1.0, 2.0, 5.0]), npartitions=2, backend="cpu")
        >>> s.expanding().nunique().compute().tolist()
        [1.0, 2.0, 2.0, 3.0]
        """
        return self._with_history("nunique")

    def first(self) -> Any:
        """The first valid value so far, as pandas 3.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([None, 7.0, 2.0]), npartitions=2, backend="cpu")
        >>> s.expanding().first().compute().tolist()
        [nan, 7.0, 7.0]
        """
        return self._with_history("first")

    def last(self) -> Any:
        """The last valid value so far, as pandas 3.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3.0, None, 2.0]), npartitions=2, backend="cpu")
        >>> s.expanding().last().compute().tolist()
        [3.0, 3.0, 2.0]
        """
        return self._with_history("last")

    def apply(self, func: Any, raw: bool = False, engine: Any = None, engine_kwargs: dict | None = None,
              args: tuple | None = None, kwargs: dict | None = None) -> Any:
        """``func`` of each window (all rows so far), as pandas' ``Expanding.apply`` (every earlier row is handed
        to ``func``: see :meth:`median`).

        Parameters
        ----------
        func : callable
            Takes a window (a Series, or an array with ``raw=True``) and returns a number.
        raw : bool
            Hand ``func`` NumPy arrays.
        engine, engine_kwargs : optional
            pandas' (``"numba"``).
        args, kwargs : optional
            More arguments of ``func``.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 5.0, 2.0]), npartitions=2, backend="cpu")
        >>> s.expanding().apply(lambda w: w.max() - w.min(), raw=True).compute().tolist()
        [0.0, 4.0, 4.0]
        """
        options = {k: v for k, v in (("engine", engine), ("engine_kwargs", engine_kwargs), ("args", args),
                                     ("kwargs", kwargs)) if v is not None}
        return self._with_history("apply", func, raw=raw, **options)

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``, as pandas' ``pipe`` (a ``(func, keyword)`` pair passes this object as
        that keyword)."""
        from gpuscale.dataframe.convenience import piped

        return piped(self, func, args, kwargs)

    def _pairs(self, how: str, other: Any, ddof: int, pairwise: Any = None) -> Any:
        frame, pairs, layout, name = paired_columns(self.obj, other, f"expanding().{how}", pairwise)
        kwargs = {"how": how, "pairs": pairs, "min_periods": self.min_periods, "ddof": ddof, "layout": layout,
                  "name": name}
        return _scan(frame, bf.expanding_pairs_total, bf.expanding_pairs_combine, bf.expanding_pairs_finish,
                     kwargs, f"expanding-{how}")

    def cov(self, other: Any = None, pairwise: Any = None, ddof: int = 1) -> Any:
        """Covariance so far, over the rows where both values are given, as pandas.

        Of a Series: with ``other`` (aligned by index), or its variance; of a DataFrame: each column's with
        ``other``, or, without it, every pair of columns in pandas' layout (a row per (row, column)); with
        ``pairwise=False`` each column's with itself.

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself (its variance).
        ddof : int
            Delta degrees of freedom.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 4.0, 8.0], "y": [1.0, 3.0, 2.0, 5.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.x.expanding().cov(df.y).compute().round(4).tolist()
        [nan, 1.0, 0.5, 4.5833]
        >>> df.expanding().cov().compute().loc[3].round(4).to_dict("list")
        {'x': [9.5833, 4.5833], 'y': [4.5833, 2.9167]}
        """
        return self._pairs("cov", other, ddof, pairwise)

    def corr(self, other: Any = None, pairwise: Any = None, ddof: int = 1) -> Any:
        """Correlation so far, over the rows where both values are given, as pandas (see :meth:`cov`).

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself (1 where it varies).
        ddof : int
            Delta degrees of freedom (no effect on a correlation, as pandas).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 4.0, 8.0], "y": [1.0, 3.0, 2.0, 5.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.x.expanding().corr(df.y).compute().round(4).tolist()
        [nan, 1.0, 0.3273, 0.8669]
        """
        return self._pairs("corr", other, ddof, pairwise)

    def agg(self, func: Any) -> Any:
        """A name of the methods above, or a list of them (columns named by the function, under each column of a
        DataFrame), as pandas' ``agg``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0], name="x"), npartitions=2, backend="cpu")
        >>> s.expanding().agg(["sum", "max"]).compute().to_dict("list")
        {'sum': [1.0, 4.0, 9.0], 'max': [1.0, 3.0, 5.0]}
        """
        return window_agg(self, func, _EXPANDING_METHODS, "expanding")

    aggregate = agg


_EXPANDING_METHODS = frozenset({"count", "sum", "mean", "min", "max", "var", "std", "sem", "skew", "kurt", "median",
                                "nunique", "first", "last"})


def window_agg(window: Any, func: Any, allowed: frozenset, kind: str) -> Any:
    """``window.agg(func)`` of growing windows: a method name, or a list of them (a column per name, under each
    column of a DataFrame), as pandas' ``agg``."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.multi import concat

    if isinstance(func, str):
        return getattr(window, func)()
    names = list(func)
    if not names or not all(isinstance(f, str) and f in allowed for f in names):
        raise NotImplementedError(f"{kind} agg: names of {sorted(allowed)} only, got {func!r}")
    parts = [getattr(window, f)() for f in names]
    if bf.is_series_like(window.obj._meta):
        return concat([p.rename(f) for p, f in zip(parts, names)], axis=1, ignore_unknown_divisions=True)
    columns = list(window.obj.columns)
    numbered = [p.rename(columns={c: f"__{i}_{j}" for j, c in enumerate(columns)}) for i, p in enumerate(parts)]
    # (every part comes from the same partitions: no warning where divisions are unknown)
    joined = concat(numbered, axis=1, ignore_unknown_divisions=True)
    joined = joined[[f"__{i}_{j}" for j in range(len(columns)) for i in range(len(names))]]
    labels = bf.labels_of_pairs([(c, f) for c in columns for f in names])
    meta = bf.with_column_labels(joined._meta, labels)
    return new_collection(map_partitions_expr(bf.with_column_labels, joined.expr, kwargs={"labels": labels},
                                              meta=meta, label=f"{kind}-agg"))


def paired_columns(obj: Any, other: Any, who: str, pairwise: Any = None) -> tuple:
    """``(frame, pairs, layout, name)`` of a pairwise statistic (``cov``/``corr`` of growing windows): a Series
    beside ``other`` (or itself), a DataFrame's columns each beside ``other``, or every pair of its columns
    (pandas' two-level layout; ``pairwise=False``: each column with itself, as pandas)."""
    if other is not None and not bf.is_series_like(getattr(other, "_meta", None)):
        raise NotImplementedError(f"{who}(other): other must be a lazy Series (a DataFrame other is not supported)")
    if bf.is_series_like(obj._meta):
        other = obj if other is None else other
        name = obj.name if obj.name == other.name else None  # pandas' name: the common one
        return obj.to_frame("__left__").assign(__right__=other), [("__left__", "__right__")], "series", name
    if other is not None:
        return obj.assign(__other__=other), [(c, "__other__") for c in obj.columns], "columns", None
    if pairwise is not None and not pairwise:
        return obj, [(c, c) for c in obj.columns], "columns", None
    return obj, [(a, b) for a in obj.columns for b in obj.columns], "pairwise", None
