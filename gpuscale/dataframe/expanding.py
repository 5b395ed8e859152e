"""Growing windows: ``df.expanding()`` and ``df.ewm()`` (pandas' API; dask.dataframe has neither).

Both are scans over the partitions in order (:class:`gpuscale.dataframe.expr.overlap.Scan`): each
partition is read once and only a few numbers per column travel along the chain, so results are
those of pandas on the whole frame, partitions and divisions stay.  Only numeric columns have them.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.overlap import Scan

__all__ = ["Expanding", "ExponentialMovingWindow"]


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
        if not isinstance(min_periods, int) or isinstance(min_periods, bool) or min_periods < 0:
            raise ValueError(f"expanding: min_periods must be an integer 0 or greater, got {min_periods!r}")
        self.obj, self.min_periods = obj, min_periods

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

    def _pairs(self, how: str, other: Any, ddof: int) -> Any:
        obj, name = self.obj, None
        if other is not None and not bf.is_series_like(getattr(other, "_meta", None)):
            raise NotImplementedError(f"expanding().{how}(other): other must be a lazy Series (a DataFrame "
                                      f"other is not supported)")
        if bf.is_series_like(obj._meta):
            if other is None:
                other = obj
            name = obj.name if obj.name == other.name else None  # pandas' name: the common one
            frame, pairs, layout = obj.to_frame("__left__").assign(__right__=other), [("__left__", "__right__")], \
                "series"
        elif other is not None:
            frame, layout = obj.assign(__other__=other), "columns"
            pairs = [(c, "__other__") for c in obj.columns]
        else:
            frame, layout = obj, "pairwise"
            pairs = [(a, b) for a in obj.columns for b in obj.columns]
        kwargs = {"how": how, "pairs": pairs, "min_periods": self.min_periods, "ddof": ddof, "layout": layout,
                  "name": name}
        return _scan(frame, bf.expanding_pairs_total, bf.expanding_pairs_combine, bf.expanding_pairs_finish,
                     kwargs, f"expanding-{how}")

    def cov(self, other: Any = None, pairwise: Any = None, ddof: int = 1) -> Any:
        """Covariance so far, over the rows where both values are given, as pandas.

        Of a Series: with ``other`` (aligned by index), or its variance; of a DataFrame: each column's with
        ``other``, or, without it, every pair of columns in pandas' layout (a row per (row, column)).

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : None
            Accepted as pandas' default.
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
        return self._pairs("cov", other, ddof)

    def corr(self, other: Any = None, pairwise: Any = None, ddof: int = 1) -> Any:
        """Correlation so far, over the rows where both values are given, as pandas (see :meth:`cov`).

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : None
            Accepted as pandas' default.
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
        >>> df.x.expanding().corr(df.y).compute().round(4).tolist()
        [nan, 1.0, 0.3273, 0.8669]
        """
        return self._pairs("corr", other, ddof)

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
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.blockwise import map_partitions_expr
        from gpuscale.dataframe.multi import concat

        if isinstance(func, str):
            return getattr(self, func)()
        names = list(func)
        if not names or not all(isinstance(f, str) and f in _EXPANDING_METHODS for f in names):
            raise NotImplementedError(f"expanding agg: names of {sorted(_EXPANDING_METHODS)} only, got {func!r}")
        parts = [getattr(self, f)() for f in names]
        if bf.is_series_like(self.obj._meta):
            return concat([p.rename(f) for p, f in zip(parts, names)], axis=1)
        columns = list(self.obj.columns)
        numbered = [p.rename(columns={c: f"__{i}_{j}" for j, c in enumerate(columns)}) for i, p in enumerate(parts)]
        joined = concat(numbered, axis=1)[[f"__{i}_{j}" for j in range(len(columns)) for i in range(len(names))]]
        labels = bf.labels_of_pairs([(c, f) for c in columns for f in names])
        meta = bf.with_column_labels(joined._meta, labels)
        return new_collection(map_partitions_expr(bf.with_column_labels, joined.expr, kwargs={"labels": labels},
                                                  meta=meta, label="expanding-agg"))

    aggregate = agg


def _decay(com: Any, span: Any, halflife: Any, alpha: Any) -> float:
    """``1 - alpha`` from exactly one of pandas' four parameters."""
    given = {k: v for k, v in {"com": com, "span": span, "halflife": halflife, "alpha": alpha}.items()
             if v is not None}
    if len(given) != 1:
        raise ValueError(f"ewm: give exactly one of com, span, halflife, alpha (got {sorted(given) or 'none'})")
    (name, value), = given.items()
    if isinstance(value, str) or not isinstance(value, (int, float)):
        raise NotImplementedError(f"ewm: {name}={value!r}: time-based decay (times=) is not supported; "
                                  "give a number")
    if name == "com" and value >= 0:
        return 1.0 - 1.0 / (1.0 + value)
    if name == "span" and value >= 1:
        return 1.0 - 2.0 / (value + 1.0)
    if name == "halflife" and value > 0:
        return 0.5 ** (1.0 / value)
    if name == "alpha" and 0 < value <= 1:
        return 1.0 - value
    raise ValueError(f"ewm: {name}={value!r} is out of range (com >= 0, span >= 1, halflife > 0, 0 < alpha <= 1)")


_EXPANDING_METHODS = frozenset({"count", "sum", "mean", "min", "max", "var", "std", "sem", "skew", "kurt"})


class ExponentialMovingWindow:
    """Exponentially weighted windows, as pandas' ``ewm()``: ``mean`` (``adjust`` either way), ``sum``, and
    ``var`` / ``std`` (``adjust=True``).

    Parameters
    ----------
    obj : DataFrame or Series
        The collection (numeric columns).
    com, span, halflife, alpha : float, optional
        The decay, exactly one of them (as pandas).
    min_periods : int
        Valid values needed for a value.
    adjust : bool
        Divide by the decaying weights (True) or use the recursive form (False), as pandas.
    ignore_na : bool
        Only False (missing values still age the weights), pandas' default.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
    >>> s.ewm(alpha=0.5, adjust=False).mean().compute().tolist()
    [1.0, 1.5, 2.25, 3.125]
    """

    def __init__(self, obj: Any, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None,
                 min_periods: int = 0, adjust: bool = True, ignore_na: bool = False) -> None:
        if ignore_na:
            raise NotImplementedError("ewm(ignore_na=True) is not supported: drop the missing values first "
                                      "(s.dropna().ewm(...)), which gives the same values on the rows that have one")
        self.obj, self.decay = obj, _decay(com, span, halflife, alpha)
        self.min_periods, self.adjust = int(min_periods or 0), bool(adjust)
        self._adjust = self.adjust and self.decay > 0  # alpha=1: both forms are the last valid value

    def mean(self) -> Any:
        """Exponentially weighted mean.

        Returns
        -------
        DataFrame or Series
            float64; same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0]), npartitions=2, backend="cpu")
        >>> s.ewm(com=1.0).mean().compute().round(4).tolist()
        [1.0, 1.6667, 2.4286]
        """
        kwargs = {"decay": self.decay, "adjust": self._adjust, "min_periods": self.min_periods}
        return _scan(self.obj, bf.ewm_total, bf.ewm_combine, bf.ewm_finish, kwargs, "ewm-mean")

    def sum(self) -> Any:
        """Exponentially weighted sum (each valid value weighed ``(1 - alpha) ** rows`` since it; ``adjust=True``
        only, as pandas).

        Returns
        -------
        DataFrame or Series
            float64; same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, None, 4.0]), npartitions=2, backend="cpu")
        >>> s.ewm(alpha=0.5).sum().compute().tolist()
        [1.0, 2.5, 1.25, 4.625]
        """
        if not self.adjust:
            raise NotImplementedError("sum is not implemented with adjust=False")  # (pandas' words)
        kwargs = {"decay": self.decay, "adjust": True, "min_periods": self.min_periods}
        return _scan(self.obj, bf.ewm_total, bf.ewm_combine, bf.ewm_sum_finish, kwargs, "ewm-sum")

    def _moments(self, how: str, bias: bool) -> Any:
        if not self.adjust:
            raise NotImplementedError(f"ewm(adjust=False).{how}() is not supported: the recursive weights are "
                                      f"only used for mean(); ewm(adjust=True).{how}() weighs as pandas' default")
        kwargs = {"decay": self.decay, "bias": bool(bias), "min_periods": self.min_periods, "how": how}
        return _scan(self.obj, bf.ewm_moments_total, bf.ewm_moments_combine, bf.ewm_moments_finish, kwargs,
                     f"ewm-{how}")

    def var(self, bias: bool = False) -> Any:
        """Exponentially weighted variance (``adjust=True``), as pandas.

        Parameters
        ----------
        bias : bool
            The weighted variance itself, without the correction for the effective number of values.

        Returns
        -------
        DataFrame or Series
            float64; same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 2.0, 6.0]), npartitions=2, backend="cpu")
        >>> s.ewm(com=1.0).var().compute().round(4).tolist()
        [nan, 2.0, 0.7143, 6.2571]
        """
        return self._moments("var", bias)

    def std(self, bias: bool = False) -> Any:
        """Exponentially weighted standard deviation (the square root of :meth:`var`).

        Parameters
        ----------
        bias : bool
            Of the uncorrected variance.

        Returns
        -------
        DataFrame or Series
            float64; same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 2.0, 6.0]), npartitions=2, backend="cpu")
        >>> s.ewm(com=1.0).std().compute().round(4).tolist()
        [nan, 1.4142, 0.8452, 2.5014]
        """
        return self._moments("std", bias)
