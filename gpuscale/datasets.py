"""Synthetic datasets, as ``dask.datasets``: ``timeseries`` (``dask.datasets.timeseries``).

Port ``dask.datasets.timeseries(...)`` by writing ``gpuscale.datasets.timeseries(...)``: the same
arguments give a :class:`gpuscale.dataframe.DataFrame` of the same rows (for the same ``seed``; without
one, the seed is drawn from NumPy's global random state, as dask does).
"""

from __future__ import annotations

from typing import Any

__all__ = ["timeseries", "make_timeseries"]


def timeseries(start: Any = "2000-01-01", end: Any = "2000-01-31", freq: str = "1s", partition_freq: str = "1D",
               dtypes: dict | None = None, seed: int | None = None, backend: str | None = None,
               **kwargs: Any) -> Any:
    """A DataFrame of random data, one row every ``freq``, one partition every ``partition_freq``.

    Parameters
    ----------
    start, end : datetime-like
        The first row's time, and the end (not included) of the last partition.
    freq : str
        Time between rows (``"1s"``, ``"1h"`` ...).
    partition_freq : str
        Time spanned by one partition (known divisions at those times).
    dtypes : dict, optional
        Column name -> ``float`` (uniform in [-1, 1)), ``int`` (Poisson, ``<column>_lam=1000``), ``str`` /
        ``"string"`` (first names) or ``"category"``; default ``{"name": "string", "id": int, "x": float,
        "y": float}``.
    seed : int, optional
        Seed of the random values; the same seed gives the same rows as ``dask.datasets.timeseries``.
    backend : str, optional
        ``"pandas"``, ``"cudf"``, ``"cpu"``, ``"gpu"`` or ``"auto"``; default: the configured backend.
    **kwargs
        Options of one column's generator, prefixed by the column name (``id_lam=100``).

    Examples
    --------
    >>> import gpuscale
    >>> df = gpuscale.datasets.timeseries(end="2000-01-03", freq="1h", seed=1, backend="cpu")
    >>> df.npartitions, list(df.columns), len(df)
    (2, ['name', 'id', 'x', 'y'], 48)
    """
    from gpuscale.backends import resolve_frame_backend
    from gpuscale.backends.datasets import TimeseriesPart, draw_seed, timeseries_divisions, timeseries_seeds
    from gpuscale.backends.frame import make_meta
    from gpuscale.dataframe import from_map

    if dtypes is None:
        dtypes = {"name": "string", "id": int, "x": float, "y": float}
    if seed is None:
        seed = draw_seed()
    divisions = timeseries_divisions(start, end, partition_freq)
    if len(divisions) < 2:
        raise ValueError(f"timeseries: no partition of {partition_freq!r} fits between {start!r} and {end!r}")
    seeds = timeseries_seeds(seed, len(divisions) - 1, len(dtypes))
    make = TimeseriesPart(dict(dtypes), list(dtypes), freq, dict(kwargs), resolve_frame_backend(backend))
    meta = make_meta(make(divisions[0], divisions[0], 0))
    return from_map(make, divisions[:-1], divisions[1:], seeds, meta=meta, divisions=divisions,
                    label="timeseries", enforce_metadata=False)


def make_timeseries(start: Any = "2000-01-01", end: Any = "2000-12-31", dtypes: dict | None = None,
                    freq: str = "10s", partition_freq: str = "1ME", seed: int | None = None,
                    backend: str | None = None, **kwargs: Any) -> Any:
    """``dask.dataframe.demo.make_timeseries``: :func:`timeseries` with that function's defaults
    (a year of rows every 10 seconds, a partition a month)."""
    return timeseries(start, end, freq, partition_freq, dtypes, seed, backend, **kwargs)
