"""The data and stand-ins of benchmarks/notebooks_compat.py: small local synthetic data in place of the notebooks'
downloads (deterministic: the dask and gpuscale runs read the same bytes), and stand-ins for what this machine
lacks (scikit-learn's ``LinearRegression``, xarray's tutorial datasets, which need the network)."""

from __future__ import annotations

import os
import sys


def prepare_taxi() -> None:
    import numpy as np
    import pandas as pd

    rs = np.random.RandomState(0)
    os.makedirs("nyc-2015.parquet", exist_ok=True)
    for part in range(4):
        n = 20_000
        pd.DataFrame({
            "VendorID": rs.randint(1, 3, n),
            "passenger_count": rs.choice([0, 1, 1, 1, 2, 2, 3, 4, 5, 6], n),
            "trip_distance": rs.gamma(2, 1.5, n),
            "fare_amount": rs.gamma(3, 4, n).round(2),
            "tip_amount": np.where(rs.rand(n) < 0.4, 0.0, rs.gamma(2, 1.2, n)).round(2),
        }).to_parquet(f"nyc-2015.parquet/part.{part}.parquet")


def prepare_flights() -> None:
    """Ten CSVs with nycflights' columns and the quirks the tutorial meets: TailNum empty in the first rows
    of the first file (read as float), CRSElapsedTime integral but empty in a later file, Cancelled 0/1."""
    import numpy as np
    import pandas as pd

    rs = np.random.RandomState(0)
    os.makedirs(os.path.join("data", "nycflights"), exist_ok=True)
    carriers = ["AA", "UA", "DL", "US", "CO", "EA", "TW", "PA (1)"]
    airports = ["EWR", "JFK", "LGA"]
    dests = ["ORD", "ATL", "LAX", "SFO", "BOS", "MIA", "DFW", "DEN"]
    for k, year in enumerate(range(1990, 2000)):
        n = 1500
        month = rs.randint(1, 13, n)
        day = rs.randint(1, 29, n)
        dates = pd.to_datetime(dict(year=year, month=month, day=day))
        dep = rs.randint(0, 2400, n)
        cancelled = (rs.rand(n) < 0.03).astype(int)
        dep_delay = np.where(cancelled == 1, np.nan, rs.gamma(1.2, 12, n).round() - 5)
        crs_elapsed = rs.randint(50, 400, n).astype(float)
        tail = np.array([f"N{rs.randint(100, 999)}{rs.choice(list('ABCDE'))}" for _ in range(n)], dtype=object)
        if k == 0:
            tail = np.full(n, np.nan, dtype=object)
        if k == 7:
            crs_elapsed[rs.rand(n) < 0.01] = np.nan
        frame = pd.DataFrame({
            "Year": year, "Month": month, "DayofMonth": day, "DayOfWeek": dates.dt.dayofweek.to_numpy() + 1,
            "DepTime": np.where(cancelled == 1, np.nan, dep), "CRSDepTime": dep,
            "ArrTime": np.where(cancelled == 1, np.nan, (dep + 200) % 2400), "CRSArrTime": (dep + 190) % 2400,
            "UniqueCarrier": rs.choice(carriers, n), "FlightNum": rs.randint(1, 3000, n), "TailNum": tail,
            "ActualElapsedTime": np.where(cancelled == 1, np.nan, crs_elapsed + rs.randint(-10, 30, n)),
            "CRSElapsedTime": crs_elapsed, "AirTime": np.nan,
            "ArrDelay": np.where(cancelled == 1, np.nan, dep_delay + rs.randint(-10, 10, n)),
            "DepDelay": dep_delay, "Origin": rs.choice(airports, n), "Dest": rs.choice(dests, n),
            "Distance": rs.randint(100, 2600, n).astype(float), "TaxiIn": np.nan, "TaxiOut": np.nan,
            "Cancelled": cancelled, "Diverted": 0,
        })
        if k != 7:
            frame["CRSElapsedTime"] = frame["CRSElapsedTime"].astype(int)
        frame.sort_values(["Month", "DayofMonth"]).to_csv(os.path.join("data", "nycflights", f"{year}.csv"),
                                                          index=False)


def prepare_random_zarr() -> None:
    import dask.array as dda

    os.makedirs("data", exist_ok=True)
    size = 2_000_000
    state = dda.random.RandomState(0)
    state.random_sample(size=(size,), chunks=(62500,)).to_zarr(os.path.join("data", "random.zarr"))
    state.random_sample(size=(size,), chunks=(10000,)).to_zarr(os.path.join("data", "random_sc.zarr"))


def air_temperature():
    """xarray's ``air_temperature`` tutorial dataset, synthetic: 6-hourly 2013-2014 on a 25x53 grid."""
    import numpy as np
    import pandas as pd
    import xarray as xr

    time_ = pd.date_range("2013-01-01", "2014-12-31 18:00", freq="6h")
    lat = np.arange(75.0, 14.9, -2.5)
    lon = np.arange(200.0, 331.0, 2.5)
    rs = np.random.RandomState(0)
    season = 10 * np.cos(2 * np.pi * (time_.day_of_year.to_numpy() - 200) / 365.25)
    base = 300 - 0.6 * (lat[:, None] - 15) + 0 * lon[None, :]
    air = (base[None] + season[:, None, None] + rs.normal(0, 3, (len(time_), len(lat), len(lon)))).astype("float32")
    return xr.Dataset({"air": (("time", "lat", "lon"), air, {"units": "degK"})},
                      coords={"time": time_, "lat": lat, "lon": lon})


class _LinearRegression:
    """scikit-learn's LinearRegression, enough of it for the notebooks (least squares with an intercept)."""

    def fit(self, X, y):
        import numpy as np

        X = np.asarray(X, dtype=float)
        A = np.column_stack([X, np.ones(len(X))])
        coef, *_ = np.linalg.lstsq(A, np.asarray(y, dtype=float), rcond=None)
        self.coef_, self.intercept_ = coef[:-1], coef[-1]
        return self

    def __eq__(self, other):
        import numpy as np

        return (type(other) is type(self) and np.allclose(self.coef_, other.coef_)
                and np.isclose(self.intercept_, other.intercept_))

    __hash__ = object.__hash__

    def __repr__(self):
        return "LinearRegression()"


def install_stand_ins() -> None:
    """scikit-learn's LinearRegression where scikit-learn is missing; xarray's tutorial datasets, synthetic."""
    import types

    try:
        import sklearn.linear_model  # noqa: F401
    except ImportError:
        sklearn = types.ModuleType("sklearn")
        linear_model = types.ModuleType("sklearn.linear_model")
        linear_model.LinearRegression = _LinearRegression
        sklearn.linear_model = linear_model
        sys.modules["sklearn"], sys.modules["sklearn.linear_model"] = sklearn, linear_model
    try:
        import xarray as xr
    except ImportError:
        return
    data = air_temperature()

    def open_dataset(name, chunks=None, **kwargs):
        assert name == "air_temperature", name
        return data.chunk(chunks) if chunks is not None else data.copy()

    xr.tutorial.open_dataset = open_dataset
    xr.tutorial.load_dataset = lambda name, **kwargs: open_dataset(name, **kwargs).load()
