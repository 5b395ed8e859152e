"""Scalars handed to a partition library's methods (``where``, ``fillna`` ...) where pandas and cuDF differ."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import from_library, library_of

__all__ = ["where_scalar", "series_of_scalar"]


def where_scalar(value: Any, like: Any) -> Any:
    """``value`` as ``like.where(cond, value)`` takes it.  cuDF types a scalar by ``np.min_scalar_type``: a
    ``pd.Timestamp`` / ``pd.Timedelta`` (what ``iloc[0]`` of a cuDF datetime column gives) is "object" there and
    fails (pyarrow: "Expected bytes, got a 'Timestamp' object"); NumPy's datetime64 / timedelta64 of the same
    value is typed as the column.  pandas takes either.

    Examples
    --------
    >>> import pandas as pd
    >>> where_scalar(pd.Timestamp("2020-01-01"), pd.Series([1])) == pd.Timestamp("2020-01-01")
    True
    """
    if library_of(like) != "cudf":
        return value
    if isinstance(value, pd.Timestamp) and value.tz is None:
        return value.to_datetime64()
    if isinstance(value, pd.Timedelta):
        return value.to_timedelta64()
    return value


def series_of_scalar(value: Any, label: Any, name: Any, library: str) -> Any:
    """A one-row Series of ``library`` holding ``value`` at ``label`` (dask's ``Scalar.to_series``).

    Examples
    --------
    >>> series_of_scalar(3, "a", "total", "pandas").to_dict()
    {'a': 3}
    """
    return from_library(library).Series([value], index=[label], name=name)
