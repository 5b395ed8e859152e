"""Exponentially weighted windows: ``df.ewm()`` (pandas' API; dask.dataframe has none).

A scan over the partitions in order (:class:`gpuscale.dataframe.expr.overlap.Scan`, as ``expanding()``): each
partition is read once and only a few numbers per column travel along the chain, so results are those of pandas
on the whole frame, partitions and divisions stay.  Only numeric columns have them.
"""

from __future__ import annotations

import numbers
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.ewm_ignore_na import ignoring_missing
from gpuscale.dataframe.expanding import _scan
from gpuscale.dataframe.growing_windows import numeric_window, paired_columns, window_agg

__all__ = ["ExponentialMovingWindow", "TimedExponentialMovingWindow"]


def _is_number(value: Any) -> bool:
    """A real number, NumPy's scalars included (``np.int64(3)``), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _decay(com: Any, span: Any, halflife: Any, alpha: Any) -> float:
    """``1 - alpha`` from exactly one of pandas' four parameters."""
    given = {k: v for k, v in {"com": com, "span": span, "halflife": halflife, "alpha": alpha}.items()
             if v is not None}
    if len(given) != 1:
        raise ValueError(f"ewm: give exactly one of com, span, halflife, alpha (got {sorted(given) or 'none'})")
    (name, value), = given.items()
    if name == "halflife" and not _is_number(value):  # (a timedelta: only with times=, as pandas)
        raise ValueError("halflife can only be a timedelta convertible argument if times is not None.")
    if not _is_number(value):
        raise NotImplementedError(f"ewm: {name}={value!r}: give a number")
    value = float(value)  # (as pandas: np.float32(2) decays as 2.0 does)
    if name == "com" and value >= 0:
        return 1.0 - 1.0 / (1.0 + value)
    if name == "span" and value >= 1:
        return 1.0 - 2.0 / (value + 1.0)
    if name == "halflife" and value > 0:
        return 0.5 ** (1.0 / value)
    if name == "alpha" and 0 < value <= 1:
        return 1.0 - value
    raise ValueError(f"ewm: {name}={value!r} is out of range (com >= 0, span >= 1, halflife > 0, 0 < alpha <= 1)")


class ExponentialMovingWindow:
    """Exponentially weighted windows, as pandas' ``ewm()``: ``mean``, ``var``, ``std``, ``cov`` and ``corr``
    (``adjust`` either way) and ``sum`` (``adjust=True``, as pandas).

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
        False (pandas' default): missing values still age the weights; True: weights age only at valid values
        (each column computed on its valid rows alone, the last result shown on the missing rows after it).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
    >>> s.ewm(alpha=0.5, adjust=False).mean().compute().tolist()
    [1.0, 1.5, 2.25, 3.125]
    """

    def __init__(self, obj: Any, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None,
                 min_periods: int = 0, adjust: bool = True, ignore_na: bool = False) -> None:
        self.obj, self.decay, self.ignore_na = obj, _decay(com, span, halflife, alpha), bool(ignore_na)
        self.min_periods, self.adjust = int(min_periods or 0), bool(adjust)
        self._adjust = self.adjust and self.decay > 0  # alpha=1: both forms are the last valid value

    def mean(self, numeric_only: bool = False) -> Any:
        """Exponentially weighted mean.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "mean", numeric_only)._mean()

    def _mean(self) -> Any:
        if self.ignore_na:
            return ignoring_missing(self, "mean")
        kwargs = {"decay": self.decay, "adjust": self._adjust, "min_periods": self.min_periods}
        return _scan(self.obj, bf.ewm_total, bf.ewm_combine, bf.ewm_finish, kwargs, "ewm-mean")

    def sum(self, numeric_only: bool = False) -> Any:
        """Exponentially weighted sum (each valid value weighed ``(1 - alpha) ** rows`` since it; ``adjust=True``
        only, as pandas).

        Parameters
        ----------
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "sum", numeric_only)._sum()

    def _sum(self) -> Any:
        if not self.adjust:
            raise NotImplementedError("sum is not implemented with adjust=False")  # (pandas' words)
        if self.ignore_na:
            return ignoring_missing(self, "sum")
        kwargs = {"decay": self.decay, "adjust": True, "min_periods": self.min_periods}
        return _scan(self.obj, bf.ewm_total, bf.ewm_combine, bf.ewm_sum_finish, kwargs, "ewm-sum")

    def _moments(self, how: str, bias: bool) -> Any:
        if self.ignore_na:
            return ignoring_missing(self, how, bias=bias)
        kwargs = {"decay": self.decay, "bias": bool(bias), "min_periods": self.min_periods, "how": how}
        if not self.adjust:
            return _scan(self.obj, bf.ewm_recursive_total, bf.ewm_recursive_combine, bf.ewm_recursive_finish,
                         kwargs, f"ewm-{how}")
        return _scan(self.obj, bf.ewm_moments_total, bf.ewm_moments_combine, bf.ewm_moments_finish, kwargs,
                     f"ewm-{how}")

    def var(self, bias: bool = False, numeric_only: bool = False) -> Any:
        """Exponentially weighted variance, as pandas (``adjust=False``: of pandas' recursive weights).

        Parameters
        ----------
        bias : bool
            The weighted variance itself, without the correction for the effective number of values.
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        >>> s.ewm(com=1.0, adjust=False).var().compute().round(4).tolist()
        [nan, 2.0, 0.8, 6.4762]
        """
        return numeric_window(self, "var", numeric_only)._moments("var", bias)

    def std(self, bias: bool = False, numeric_only: bool = False) -> Any:
        """Exponentially weighted standard deviation (the square root of :meth:`var`).

        Parameters
        ----------
        bias : bool
            Of the uncorrected variance.
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

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
        return numeric_window(self, "std", numeric_only)._moments("std", bias)

    def _pairs(self, how: str, other: Any, bias: bool, pairwise: Any = None) -> Any:
        if self.ignore_na:
            return ignoring_missing(self, how, other, pairwise=pairwise, **({"bias": bias} if how == "cov" else {}))
        frame, pairs, layout, name = paired_columns(self.obj, other, f"ewm().{how}", pairwise)
        kwargs = {"decay": self.decay, "how": how, "pairs": pairs, "bias": bool(bias), "min_periods": self.min_periods,
                  "layout": layout, "name": name}
        if not self.adjust:
            return _scan(frame, bf.ewm_recursive_total, bf.ewm_recursive_combine, bf.ewm_recursive_finish, kwargs,
                         f"ewm-{how}")
        return _scan(frame, bf.ewm_pairs_total, bf.ewm_pairs_combine, bf.ewm_pairs_finish, kwargs, f"ewm-{how}")

    def cov(self, other: Any = None, pairwise: Any = None, bias: bool = False, numeric_only: bool = False) -> Any:
        """Exponentially weighted covariance over the rows where both values are given, as pandas (``adjust``
        either way): of a Series with ``other`` (or itself), of a DataFrame's columns with ``other``, or of every pair
        of its columns (pandas' two-level layout).

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself.
        bias : bool
            Without pandas' bias correction.
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 4.0, 8.0], "y": [1.0, 3.0, 4.0, 5.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.x.ewm(alpha=0.5).cov(df.y).compute().round(4).tolist()
        [nan, 1.0, 2.0, 4.2857]
        >>> df.x.ewm(alpha=0.5, adjust=False).cov(df.y).compute().round(4).tolist()
        [nan, 1.0, 2.4, 5.1429]
        """
        return numeric_window(self, "cov", numeric_only)._pairs("cov", other, bias, pairwise)

    def corr(self, other: Any = None, pairwise: Any = None, numeric_only: bool = False) -> Any:
        """Exponentially weighted correlation, as pandas (see :meth:`cov`).

        Parameters
        ----------
        other : Series, optional
            A lazy Series.
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself.
        numeric_only : bool
            Only the numeric columns (not booleans, as pandas); a Series must be numeric.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 4.0, 8.0], "y": [1.0, 3.0, 4.0, 5.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.x.ewm(alpha=0.5).corr(df.y).compute().round(4).tolist()
        [nan, 1.0, 0.9282, 0.9173]
        """
        return numeric_window(self, "corr", numeric_only)._pairs("corr", other, False, pairwise)

    def agg(self, func: Any) -> Any:
        """A name of ``mean``, ``sum``, ``var``, ``std``, or a list of them (a column per name, under each column
        of a DataFrame), as pandas' ``agg``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0], name="x"), npartitions=2, backend="cpu")
        >>> s.ewm(alpha=0.5).agg(["mean", "sum"]).compute().round(4).to_dict("list")
        {'mean': [1.0, 2.3333, 3.8571], 'sum': [1.0, 3.5, 6.75]}
        """
        return window_agg(self, func, frozenset({"mean", "sum", "var", "std"}), "ewm")

    aggregate = agg


class TimedExponentialMovingWindow:
    """``ewm(halflife=<timedelta>, times=<times of the collection>)``: weights halving every ``halflife`` of time
    between rows, as pandas (``adjust`` and ``ignore_na`` either way; only ``mean``, as pandas).

    Parameters
    ----------
    obj : DataFrame or Series
        The collection (numeric columns).
    halflife : timedelta or str
        The time after which a value weighs half.
    times : Index or Series
        The collection's own DatetimeIndex (``df.index``) or one of its datetime columns, not decreasing.
    min_periods : int
        Valid values needed for a value.
    adjust : bool
        Divide by the decaying weights (True) or pandas' recursive form (False: the mean so far keeps
        ``0.5 ** (gap / halflife)`` of its weight, a new value has the rest).
    ignore_na : bool
        False: time passes over missing values; True: as pandas, the time between a missing row and the row
        before it does not count.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> times = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"])
    >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 4.0], index=times), npartitions=2, backend="cpu")
    >>> s.ewm(halflife="1D", times=s.index).mean().compute().round(4).tolist()
    [1.0, 1.6667, 3.6316]
    >>> s.ewm(halflife="1D", times=s.index, adjust=False).mean().compute().round(4).tolist()
    [1.0, 1.5, 3.6875]
    """

    def __init__(self, obj: Any, halflife: Any, times: Any, min_periods: int = 0, adjust: bool = True,
                 ignore_na: bool = False) -> None:
        from gpuscale.dataframe.core import FrameBase

        self.halflife = bf.halflife_ns(halflife)
        self.min_periods, self.adjust, self.ignore_na = int(min_periods or 0), bool(adjust), bool(ignore_na)
        if not isinstance(times, FrameBase):
            raise NotImplementedError("ewm(times=): give the collection's own times, lazily: its index "
                                      "(times=df.index) or a datetime column (times=df['t'])")
        self.obj, self.column = obj, None
        if not bf.is_index_like(times._meta):  # a column of times: carried beside the values
            frame = obj.to_frame() if bf.is_series_like(obj._meta) else obj
            self.obj, self.column = frame.assign(__ewm_times__=times), "__ewm_times__"
        self._series = bf.is_series_like(obj._meta)

    def mean(self) -> Any:
        """Time-weighted mean.

        Returns
        -------
        DataFrame or Series
            float64; same partitions and divisions.
        """
        kwargs = {"halflife": self.halflife, "column": self.column, "min_periods": self.min_periods,
                  "adjust": self.adjust, "ignore_na": self.ignore_na}
        out = _scan(self.obj, bf.ewm_times_total, bf.ewm_times_combine, bf.ewm_times_finish, kwargs, "ewm-times-mean")
        if self._series and self.column is not None:  # (the Series went through a frame beside its times)
            return out[out.columns[0]]
        return out

    def _not_with_times(self, how: str) -> Any:
        raise NotImplementedError(f"{how} is not implemented with times")

    def sum(self) -> Any:
        """Not with times, as pandas (``NotImplementedError``)."""
        if not self.adjust:  # (pandas' first refusal)
            raise NotImplementedError("sum is not implemented with adjust=False")
        return self._not_with_times("sum")

    def var(self, bias: bool = False) -> Any:
        """Not with times, as pandas (``NotImplementedError``)."""
        return self._not_with_times("var")

    def std(self, bias: bool = False) -> Any:
        """Not with times, as pandas (``NotImplementedError``)."""
        return self._not_with_times("std")

    def cov(self, other: Any = None, pairwise: Any = None, bias: bool = False) -> Any:
        """Not with times, as pandas (``NotImplementedError``)."""
        return self._not_with_times("cov")

    def corr(self, other: Any = None, pairwise: Any = None) -> Any:
        """Not with times, as pandas (``NotImplementedError``)."""
        return self._not_with_times("corr")
