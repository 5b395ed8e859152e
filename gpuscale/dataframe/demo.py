"""``dask.dataframe.demo``: ``make_timeseries`` (see :mod:`gpuscale.datasets`) and ``with_spec`` (dask's dataset
specifications: ``DatasetSpec``, ``ColumnSpec``, ``RangeIndexSpec``, ``DatetimeIndexSpec``)."""

from __future__ import annotations

from typing import Any

from gpuscale.dataframe.creation import with_arrow_strings
from gpuscale.datasets import timeseries

from dask.dataframe.io.demo import ColumnSpec, DatasetSpec, DatetimeIndexSpec, RangeIndexSpec

__all__ = ["make_timeseries", "with_spec", "DatasetSpec", "ColumnSpec", "RangeIndexSpec", "DatetimeIndexSpec"]


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
    return with_arrow_strings(timeseries(start, end, freq, partition_freq, dtypes, seed, backend, **kwargs))


def with_spec(spec: DatasetSpec, seed: int | None = None, backend: str | None = None) -> Any:
    """A random DataFrame made to a dask ``DatasetSpec`` (its index, column kinds, rows and partitions), as
    ``dask.dataframe.demo.with_spec``: the same rows for the same ``seed``, text columns ``string[pyarrow]``.

    Parameters
    ----------
    spec : DatasetSpec
        Rows (``nrecords``), ``npartitions``, ``index_spec`` (``RangeIndexSpec`` or ``DatetimeIndexSpec``)
        and ``column_specs`` (``ColumnSpec`` s: dtype, number of such columns, value ranges, choices ...).
    seed : int, optional
        Random seed (None: drawn from NumPy's global state).
    backend : str, optional
        Partition library (``"pandas"``, ``"cudf"``, a family); default: the configured backend.

    Returns
    -------
    DataFrame
        Lazy; each partition is made when computed, with known divisions.

    Examples
    --------
    >>> import gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.demo import ColumnSpec, DatasetSpec, RangeIndexSpec
    >>> spec = DatasetSpec(nrecords=10, npartitions=2, index_spec=RangeIndexSpec(dtype="int64", step=1),
    ...                    column_specs=[ColumnSpec(prefix="i", dtype="int64", low=1, high=9, random=True)])
    >>> df = gd.demo.with_spec(spec, seed=1, backend="cpu")
    >>> df.npartitions, list(df.columns), len(df.compute())
    (2, ['i1'], 10)
    """
    from dask.dataframe.io import demo as dask_demo

    from gpuscale.dataframe.interop import from_delayed

    made = dask_demo.with_spec(spec, seed=seed)  # dask's partitions, one task each
    df = from_delayed(made.to_delayed(), meta=made._meta, divisions=made.divisions, verify_meta=False)
    return df.to_backend(backend)
