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
from gpuscale.dataframe.growing_windows import numeric_window, paired_columns, window_agg

__all__ = ["Expanding", "window_agg", "paired_columns", "numeric_window"]


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

    def count(self, numeric_only: bool = False) -> Any:
        """Valid values so far.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "count", numeric_only)._aggregate("count")

    def sum(self, numeric_only: bool = False) -> Any:
        """Sum so far.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "sum", numeric_only)._aggregate("sum")

    def mean(self, numeric_only: bool = False) -> Any:
        """Mean so far.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "mean", numeric_only)._aggregate("mean")

    def min(self, numeric_only: bool = False) -> Any:
        """Minimum so far.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "min", numeric_only)._aggregate("min")

    def max(self, numeric_only: bool = False) -> Any:
        """Maximum so far.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "max", numeric_only)._aggregate("max")

    def var(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Variance so far.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "var", numeric_only)._aggregate("var", ddof)

    def std(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard deviation so far.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "std", numeric_only)._aggregate("std", ddof)

    def sem(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard error of the mean so far: ``std(ddof) / sqrt(count)``, as pandas.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0]), npartitions=2, backend="cpu")
        >>> s.expanding().sem().compute().round(4).tolist()
        [nan, 1.0, 1.1547]
        """
        window = numeric_window(self, "sem", numeric_only)
        return window.std(ddof) / window._aggregate("count") ** 0.5

    def _moments(self, how: str) -> Any:
        kwargs = {"how": how, "min_periods": self.min_periods}
        return _scan(self.obj, bf.expanding_moments_total, bf.expanding_moments_combine,
                     bf.expanding_moments_finish, kwargs, f"expanding-{how}")

    def skew(self, numeric_only: bool = False) -> Any:
        """Unbiased skewness so far (3 or more valid values that are not all equal), as pandas.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "skew", numeric_only)._moments("skew")

    def kurt(self, numeric_only: bool = False) -> Any:
        """Unbiased excess kurtosis so far (4 or more valid values that are not all equal), as pandas.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "kurt", numeric_only)._moments("kurt")

    def _with_history(self, how: str, *args: Any, **kwargs: Any) -> Any:
        task = {"how": how, "min_periods": self.min_periods, "args": args, "kwargs": kwargs}
        return _scan(self.obj, bf.expanding_history_total, bf.expanding_history_combine,
                     bf.expanding_history_finish, task, f"expanding-{how}")

    def median(self, numeric_only: bool = False) -> Any:
        """Median so far, as pandas.

        Needs every earlier value: each partition's windows also hold the rows of the partitions before it
        (work and memory grow with them; see :mod:`gpuscale.backends.frame.expanding_history`).

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "median", numeric_only)._with_history("median")

    def quantile(self, q: float, interpolation: str = "linear", numeric_only: bool = False) -> Any:
        """Quantile ``q`` so far, as pandas (every earlier value is needed: see :meth:`median`).

        Parameters
        ----------
        q : float
            Between 0 and 1.
        interpolation : str
            pandas' (``linear``, ``lower``, ``higher``, ``nearest``, ``midpoint``).
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "quantile", numeric_only)._with_history("quantile", q, interpolation=interpolation)

    def rank(self, method: str = "average", ascending: bool = True, pct: bool = False, numeric_only: bool = False) -> Any:
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
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "rank", numeric_only)._with_history("rank", method=method, ascending=ascending, pct=pct)

    def nunique(self, numeric_only: bool = False) -> Any:
        """Distinct values so far, as pandas 3 (every earlier value is needed: see :meth:`median`).

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "nunique", numeric_only)._with_history("nunique")

    def first(self, numeric_only: bool = False) -> Any:
        """The first valid value so far, as pandas 3.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "first", numeric_only)._with_history("first")

    def last(self, numeric_only: bool = False) -> Any:
        """The last valid value so far, as pandas 3.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "last", numeric_only)._with_history("last")

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

    def cov(self, other: Any = None, pairwise: Any = None, ddof: int = 1, numeric_only: bool = False) -> Any:
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
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "cov", numeric_only)._pairs("cov", other, ddof, pairwise)

    def corr(self, other: Any = None, pairwise: Any = None, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Correlation so far, over the rows where both values are given, as pandas (see :meth:`cov`).

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself (1 where it varies).
        ddof : int
            Delta degrees of freedom (no effect on a correlation, as pandas).
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "corr", numeric_only)._pairs("corr", other, ddof, pairwise)

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
