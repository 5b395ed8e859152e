"""Groupby reductions with their own keywords: ``any``/``all(skipna)`` and ``quantile(q, interpolation)``
(the rows shuffled by key), ``sem(ddof)`` (two tree reductions divided).

:class:`GroupByReductionMethods` is a mixin of :class:`gpuscale.dataframe.groupby.GroupBy`; each calls the
groupby's ``_aggregate``.
"""

from __future__ import annotations

from typing import Any


class GroupByReductionMethods:
    """``any``, ``all``, ``quantile`` and ``sem`` of :class:`gpuscale.dataframe.groupby.GroupBy`."""

    def any(self, skipna: bool = True, split_every: int | None = None, split_out: Any = None) -> Any:
        """Whether any value of each group is true (pandas' ``any``; rows shuffled by key).

        Parameters
        ----------
        skipna : bool
            Ignore missing values (else they count as true).
        split_every, split_out : optional
            As the other aggregations (``split_out``: the number of output partitions).

        Returns
        -------
        DataFrame or Series
            Indexed by the keys.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [0, 0, 3, 0]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").x.any().compute().tolist()
        [True, False]
        """
        return self._aggregate("any", None, split_every, split_out, skipna=skipna)

    def all(self, skipna: bool = True, split_every: int | None = None, split_out: Any = None) -> Any:
        """Whether every value of each group is true (pandas' ``all``; rows shuffled by key).

        Parameters
        ----------
        skipna : bool
            Ignore missing values (else they count as true).
        split_every, split_out : optional
            As the other aggregations (``split_out``: the number of output partitions).

        Returns
        -------
        DataFrame or Series
            Indexed by the keys.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [1, 0, 3, 5]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("k").x.all().compute().tolist()
        [True, False]
        """
        return self._aggregate("all", None, split_every, split_out, skipna=skipna)

    def quantile(self, q: Any = 0.5, interpolation: str = "linear", split_every: int | None = None,
                 split_out: Any = None, numeric_only: bool = False) -> Any:
        """Quantiles of each group (pandas' ``quantile``, exact: the rows are shuffled by key).

        Parameters
        ----------
        q : float or list of float
            Quantile(s) in [0, 1]; a list adds an inner index level, as pandas.
        interpolation : {"linear", "lower", "higher", "midpoint", "nearest"}
            Between two values, as pandas.
        split_every, split_out : optional
            As the other aggregations (``split_out``: the number of output partitions).
        numeric_only : bool
            Only the numeric value columns.

        Returns
        -------
        DataFrame or Series
            Indexed by the keys (and ``q`` for a list).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.quantile(0.5).compute().tolist()
        [3.0, 3.0]
        """
        base = self._numeric_only() if numeric_only else self
        return base._aggregate("quantile", None, split_every, split_out, q=q, interpolation=interpolation)

    def sem(self, ddof: int = 1, split_every: int | None = None, split_out: Any = None,
            numeric_only: bool = False) -> Any:
        """Standard error of the mean of each group: ``std(ddof) / sqrt(count)``, both tree-reduced.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom of the standard deviation.
        split_every, split_out : optional
            As the other aggregations.
        numeric_only : bool
            Only the numeric value columns (else non-numeric ones raise, as ``std``).

        Returns
        -------
        DataFrame or Series
            Indexed by the keys.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 1, 2], "x": [1.0, 2.0, 3.0, 4.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.sem().compute().round(4).tolist()
        [0.5774, nan]
        """
        base = self._numeric_only() if numeric_only else self
        base._check_numeric("sem")
        spread = base._aggregate("std", None, split_every, split_out, ddof=ddof)
        return spread / base._aggregate("count", None, split_every, split_out) ** 0.5
