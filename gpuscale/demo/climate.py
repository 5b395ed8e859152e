"""A synthetic climate dataset (daily near-surface temperature on a lat/lon grid, one Zarr store per year) and the
workflow the climate notebook and ``benchmarks/xarray.py`` run on it with xarray: monthly climatology → anomalies
→ area-weighted global mean → 31-day rolling mean → Zarr.

The temperatures are a seeded smooth field (colder poles, a seasonal cycle of opposite sign in each hemisphere, a
small warming trend) plus Gaussian noise, written year by year so that the whole dataset never has to be in
memory.  Needs xarray and zarr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["grid_for", "write_dataset", "pipeline"]


def grid_for(nbytes: float, years: int, itemsize: int = 4) -> tuple[int, int]:
    """``(nlat, nlon)`` (``nlon = 2 * nlat``) of a dataset of about ``nbytes`` over ``years`` years.

    Examples
    --------
    >>> grid_for(20e6, 4)
    (41, 82)
    """
    cells = nbytes / itemsize / (365.25 * years)
    nlat = max(4, int((cells / 2) ** 0.5))
    return nlat, 2 * nlat


def write_dataset(folder: Path | str, years: range | list, nlat: int, nlon: int, *, time_chunk: int = 73,
                  seed: int = 0) -> list[Path]:
    """Write one Zarr store per year (``tas_<year>.zarr``, float32 ``tas(time, lat, lon)`` in Kelvin, Zarr
    chunks of ``time_chunk`` days) into ``folder``; return their paths.  A store already there is kept.

    Examples
    --------
    >>> import tempfile, xarray as xr
    >>> paths = write_dataset(tempfile.mkdtemp(), range(2001, 2003), 4, 8)
    >>> [p.name for p in paths]
    ['tas_2001.zarr', 'tas_2002.zarr']
    >>> xr.open_zarr(paths[0], consolidated=False).tas.shape
    (365, 4, 8)
    """
    import xarray as xr

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lat = np.linspace(-90 + 90 / nlat, 90 - 90 / nlat, nlat)
    lon = np.arange(nlon) * (360.0 / nlon)
    paths = []
    for year in years:
        path = folder / f"tas_{year}.zarr"
        paths.append(path)
        if (path / "zarr.json").exists():
            continue
        rng = np.random.default_rng([seed, year])
        time = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
        season = np.cos(2 * np.pi * (time.dayofyear.to_numpy() - 200) / 365.25)[:, None, None]
        phi = np.deg2rad(lat)[None, :, None]
        tas = (288.0 - 35.0 * np.sin(phi) ** 2 + 12.0 * season * np.sin(phi) + 0.03 * (year - 2000)
               + 2.0 * np.sin(np.deg2rad(lon))[None, None, :] * np.cos(phi)
               + rng.normal(0.0, 2.0, (len(time), nlat, nlon)))
        ds = xr.Dataset({"tas": (("time", "lat", "lon"), tas.astype("float32"), {"units": "K"})},
                        coords={"time": time, "lat": lat, "lon": lon})
        ds.to_zarr(path, mode="w", encoding={"tas": {"chunks": (time_chunk, nlat, nlon)}}, consolidated=False)
    return paths


def pipeline(ds: Any, window: int = 31) -> Any:
    """Climatology, anomalies, area-weighted global mean anomaly and its centred rolling mean, as one lazy
    ``xarray.Dataset`` (``climatology``, ``anomaly``, ``global_anomaly``, ``smoothed``).

    Examples
    --------
    >>> import tempfile, xarray as xr
    >>> ds = xr.open_mfdataset(write_dataset(tempfile.mkdtemp(), [2001, 2002], 4, 8), engine="zarr",
    ...                        chunks={"time": 73}, consolidated=False, chunked_array_type="gpuscale")
    >>> out = pipeline(ds)
    >>> sorted(out.data_vars), type(out.anomaly.data).__module__
    (['anomaly', 'climatology', 'global_anomaly', 'smoothed'], 'gpuscale.array.core')
    >>> abs(float(out.global_anomaly.mean())) < 1e-3
    True
    """
    import xarray as xr

    tas = ds["tas"]
    climatology = tas.groupby("time.month").mean("time")
    anomaly = (tas.groupby("time.month") - climatology).drop_vars("month")
    weights = np.cos(np.deg2rad(ds["lat"]))
    global_anomaly = anomaly.weighted(weights).mean(("lat", "lon"))
    smoothed = global_anomaly.rolling(time=window, center=True).mean()
    return xr.Dataset({"climatology": climatology, "anomaly": anomaly, "global_anomaly": global_anomaly,
                       "smoothed": smoothed})
