"""``dask.dataframe.demo``: ``make_timeseries`` (see :mod:`gpuscale.datasets`)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.string_dtype import to_pyarrow_strings
from gpuscale.datasets import timeseries

__all__ = ["make_timeseries"]


def make_timeseries(start: Any = "2000-01-01", end: Any = "2000-12-31", dtypes: dict | None = None,
                    freq: str = "10s", partition_freq: str = "1ME", seed: int | None = None,
                    backend: str | None = None, **kwargs: Any) -> Any:
    """A random time series, as ``dask.dataframe.demo.make_timeseries`` (a year of rows every 10 seconds,
    a partition a month).

    The rows are those of :func:`gpuscale.datasets.timeseries` with the same arguments; text columns are
    ``string[pyarrow]`` on pandas partitions, the dtype dask gives them (cuDF's strings are Arrow already).

    Parameters
    ----------
    start, end : str or Timestamp
        The first and last time.
    dtypes : dict, optional
        Column name -> dtype (``float``, ``int``, ``str``, ``"category"``); default dask's
        ``{"name": str, "id": int, "x": float, "y": float}``.
    freq : str
        Time between rows.
    partition_freq : str
        Time covered by each partition.
    seed : int, optional
        Random seed (None: drawn from NumPy's global state).
    backend : str, optional
        Partition library.
    **kwargs
        Per-column options, as :func:`gpuscale.datasets.timeseries`.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import gpuscale.dataframe as gd
    >>> df = gd.demo.make_timeseries("2000-01-01", "2000-01-03", {"name": str, "x": float}, freq="1h",
    ...                              partition_freq="1D", seed=1, backend="cpu")
    >>> df.npartitions, str(df.name.dtype), len(df.compute())
    (2, 'string', 48)
    """
    df = timeseries(start, end, freq, partition_freq, dtypes, seed, backend, **kwargs)
    arrow = to_pyarrow_strings(df._meta).dtypes  # unchanged on cuDF partitions
    text = {column: dtype for column, dtype in arrow.items() if dtype != df._meta.dtypes[column]}
    # column by column: a projection of the result keeps only the casts it needs
    return df.assign(**{column: df[column].astype(dtype) for column, dtype in text.items()}) if text else df
