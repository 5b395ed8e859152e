"""Groupby reductions with their own keywords: ``any``/``all(skipna)`` and ``quantile(q, interpolation)``
(the rows shuffled by key), ``sem(ddof)`` (two tree reductions divided), and dask_cudf's ``collect`` (each group's
values as a list: ``agg(list)``, see :func:`collect_as_list`).

:class:`GroupByReductionMethods` is a mixin of :class:`gpuscale.dataframe.groupby.GroupBy`; each calls the
groupby's ``_aggregate``.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["GroupByReductionMethods", "check_numeric_only", "collect_as_list"]


def check_numeric_only(value: Any) -> bool:
    """``numeric_only`` as pandas (and dask) take it: a boolean, else their ValueError when the graph is built (any
    other value was read as true or false)."""
    if not isinstance(value, bool) and type(value).__name__ != "bool":  # (NumPy's bool too)
        raise ValueError(f"numeric_only accepts only Boolean values (got {value!r})")
    return bool(value)


def _as_list_function(func: Any) -> Any:
    return list if isinstance(func, str) and func == "collect" else func


def _spec_as_list(spec: Any) -> Any:
    """One entry of a dict (a function or a list of them) or of named aggregations (a ``(column, function)``
    tuple, a ``pd.NamedAgg``, or a function) with ``"collect"`` read as ``list``."""
    if isinstance(spec, list):
        return [_as_list_function(f) for f in spec]
    if isinstance(spec, tuple) and len(spec) == 2:
        return spec[0], _as_list_function(spec[1])
    if hasattr(spec, "column") and hasattr(spec, "aggfunc"):
        return type(spec)(spec.column, _as_list_function(spec.aggfunc))
    return _as_list_function(spec)


def collect_as_list(arg: Any, kwargs: dict) -> tuple:
    """``(arg, kwargs)`` of a groupby ``agg`` with dask_cudf's (and cuDF's) aggregation name ``"collect"`` read
    as ``list``, as dask_cudf redirects it: each group's values as a list, a list column on cuDF partitions
    (cuDF makes both its ``collect_list`` aggregation, nulls kept; cuDF 26.10 refuses the name ``"collect"`` for
    text, not ``list``), and pandas' ``agg(list)`` (objects) on pandas ones.  ``kwargs`` are named aggregations
    only without ``arg`` (else the function's keywords).

    Examples
    --------
    >>> collect_as_list({"v": ["collect", "sum"], "w": "collect"}, {})
    ({'v': [<class 'list'>, 'sum'], 'w': <class 'list'>}, {})
    >>> collect_as_list(None, {"values": ("v", "collect")})
    (None, {'values': ('v', <class 'list'>)})
    """
    if arg is None:
        return arg, {name: _spec_as_list(spec) for name, spec in kwargs.items()}
    if isinstance(arg, dict):
        return {column: _spec_as_list(spec) for column, spec in arg.items()}, kwargs
    return _spec_as_list(arg) if isinstance(arg, (str, list)) else arg, kwargs


class GroupByReductionMethods:
    """``any``, ``all``, ``quantile``, ``sem`` and ``collect`` of :class:`gpuscale.dataframe.groupby.GroupBy`."""

    def collect(self, split_every: int | None = None, split_out: Any = None, **kwargs: Any) -> Any:
        """Each group's values as a list: dask_cudf's ``collect``, which is ``agg(list)`` (a list column on cuDF
        partitions).  dask_cudf deprecated the method in 24.06 (and removed it in 25.08) for ``agg(list)``, with
        the FutureWarning given here; ``agg("collect")`` is not deprecated.

        Parameters
        ----------
        split_every, split_out : optional
            As the other aggregations.
        **kwargs
            As :meth:`agg`'s (``shuffle_method``).

        Returns
        -------
        DataFrame or Series
            Indexed by the keys, a list of values per group and value column.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 2, 1], "v": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> df.groupby("k").v.agg("collect").compute().tolist()
        [[1, 3], [2]]
        """
        warnings.warn("Groupby.collect is deprecated and will be removed in a future version. Use `.agg(list)` "
                      "instead.", FutureWarning, stacklevel=2)
        return self.agg(list, split_every=split_every, split_out=split_out, **kwargs)

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
        base = self._numeric_only() if numeric_only else self  # (pandas' quantile does not check it)
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
        base = self._numeric_only() if check_numeric_only(numeric_only) else self
        base._check_numeric("sem")
        spread = base._aggregate("std", None, split_every, split_out, ddof=ddof)
        return spread / base._aggregate("count", None, split_every, split_out) ** 0.5
