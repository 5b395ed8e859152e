"""Pairwise statistics of rolling windows: ``rolling(...).cov()`` / ``corr()`` of a DataFrame's columns (pandas'
two-level layout) or of a Series with another lazy Series, as pandas."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import window_extra
from gpuscale.dataframe.window import _meta_from_sample, _overlap

__all__ = ["RollingPairs"]


class RollingPairs:
    """Mixin of :class:`gpuscale.dataframe.rolling.Rolling`: ``cov`` and ``corr``."""

    def _with_other(self, how: str, other: Any, ddof: int) -> Any:
        """``s.rolling(...).<how>(other)`` of two Series: the pair as one frame (aligned as ``assign`` aligns),
        each partition's windows with their overlap."""
        if self.step and self.step > 1:
            raise NotImplementedError(f"step not implemented for {how} (as pandas)")
        if self._on is not None or not bf.is_series_like(self.obj._meta) or \
                not bf.is_series_like(getattr(other, "_meta", None)):
            raise NotImplementedError(f"rolling(...).{how}(other): of a Series with another lazy Series only")
        if self._groupby is not None:
            raise NotImplementedError(f"groupby(...).rolling(...).{how}(other) is not supported")
        pair = self.obj.to_frame("__left__").assign(__right__=other)
        name = self.obj.name if self.obj.name == other.name else None  # pandas' name: the common one
        task_kwargs = {"window": self.window, "rolling_kwargs": self._kwargs, "how": how, "ddof": ddof,
                       "name": name}
        meta = bf.make_meta(window_extra.rolling_pair(bf.meta_nonempty(pair._meta), **task_kwargs))
        before, after = self._spans()
        return _overlap(pair, window_extra.rolling_pair, before, after, task_kwargs, f"rolling-{how}", meta,
                        columnwise=False)

    def _pairwise(self, how: str, ddof: int | None, pairwise: Any = None) -> Any:
        if self.step and self.step > 1:
            raise NotImplementedError(f"step not implemented for {how} (as pandas)")
        if self._on is not None:
            raise NotImplementedError(f"rolling(..., on=).{how}() is not supported: set_index on the column first")
        if not window_extra.rolling_pairwise_available(self.obj._meta):
            raise NotImplementedError(f"rolling(...).{how}() is not available on cuDF partitions (cuDF's Rolling has "
                                      f"no {how}): compute this step on pandas partitions (from_pandas(..., "
                                      "backend='cpu'))")
        if self._groupby is not None:
            raise NotImplementedError(f"groupby(...).rolling(...).{how}() is not supported")
        kwargs = {} if ddof is None or ddof == 1 else {"ddof": ddof}
        if pairwise is not None:  # (False: each column with itself, on the plain index)
            kwargs["pairwise"] = bool(pairwise)
        # a frame's pairwise result has one row per (row, column): an empty frame would not show that
        meta = _meta_from_sample(self.obj._meta, bf.rolling_aggregate, self.window, self._kwargs, how, (), kwargs)
        before, after = self._spans()
        task_kwargs = {"window": self.window, "rolling_kwargs": self._kwargs, "how": how, "how_args": (),
                       "how_kwargs": kwargs or None}
        return _overlap(self.obj, bf.rolling_aggregate, before, after, task_kwargs, f"rolling-{how}", meta,
                        columnwise=False)

    def cov(self, other: Any = None, pairwise: Any = None, ddof: int = 1) -> Any:
        """Covariance per window, as pandas' ``rolling(...).cov()`` (pandas partitions).

        Of a Series: each window's variance (its covariance with itself), or with ``other``'s values in the
        same window.  Of a DataFrame: the pairwise covariances of its columns, one row per (row, column) under a
        two-level index.

        Parameters
        ----------
        other : Series, optional
            A lazy Series (aligned with this one by index).
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself, on the plain index.
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
        >>> df.rolling(2).cov().compute().loc[3].x.tolist()
        [8.0, 6.0]
        """
        if other is not None:
            return self._with_other("cov", other, ddof)
        return self._pairwise("cov", ddof, pairwise)

    def corr(self, other: Any = None, pairwise: Any = None, ddof: int = 1) -> Any:
        """Correlation per window, as pandas' ``rolling(...).corr()`` (pandas partitions).

        Of a DataFrame: the pairwise correlations of its columns, one row per (row, column) under a
        two-level index; of a Series: 1 where the window varies, or the correlation with ``other``'s values in
        the same window.

        Parameters
        ----------
        other : Series, optional
            A lazy Series (aligned with this one by index).
        pairwise : bool, optional
            False: of a DataFrame without ``other``, each column with itself, on the plain index.
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
        >>> df.rolling(3).corr().compute().loc[3].y.round(4).tolist()
        [0.7857, 1.0]
        """
        if other is not None:
            return self._with_other("corr", other, ddof)
        return self._pairwise("corr", ddof, pairwise)
