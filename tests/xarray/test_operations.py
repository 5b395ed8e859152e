"""xarray operations beyond tests/xarray/test_chunkmanager.py's list, on gpuscale arrays, compared with the same
operations on xarray-on-dask (same chunks), and with xarray on NumPy where dask cannot run them.

Quantiles, medians, rolling max/min/median, polyfit, corr/cov, coarsen, ``groupby().map``, ``resample``,
``weighted`` along a chunked time axis, and ``interp`` (which needs gpuscale as xarray's default chunk manager:
xarray chunks the interpolation coordinates with it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

xr = pytest.importorskip("xarray")

import gpuscale  # noqa: E402
import gpuscale.array as ga  # noqa: E402


@pytest.fixture(autouse=True)
def _numpy_chunks():
    with gpuscale.config.set(backend="numpy"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices, as in NumPy and dask
        yield


@pytest.fixture(scope="module")
def ds() -> xr.Dataset:
    rng = np.random.default_rng(2)
    n = 150
    a = rng.random((n, 3, 5))
    a[rng.random(a.shape) < 0.08] = np.nan
    return xr.Dataset(
        {"a": (("time", "lat", "lon"), a), "b": (("time",), rng.random(n) + 0.5),
         "i": (("time", "lon"), rng.integers(0, 9, (n, 5)))},
        coords={"time": pd.date_range("2001-01-01", periods=n, freq="D"), "lat": [-30.0, 0.0, 30.0],
                "lon": np.arange(5) * 72.0})


CHUNKS = {"time": 20, "lat": 2}


def _both(ds: xr.Dataset, op) -> tuple:
    ours = op(ds.chunk(CHUNKS, chunked_array_type="gpuscale"))
    theirs = op(ds.chunk(CHUNKS))
    return ours, theirs


def _assert_gpuscale(obj) -> None:
    variables = obj.data_vars.values() if hasattr(obj, "data_vars") else [obj]
    assert any(isinstance(v.data, ga.Array) for v in variables)
    assert not any(type(v.data).__module__.startswith("dask") for v in variables)


OPERATIONS = {
    "quantile": lambda d: d.quantile(0.3, dim="time"),
    "quantile_list_two_dims": lambda d: d.quantile([0.1, 0.5, 0.9], dim=("time", "lat")),
    "quantile_method": lambda d: d.a.quantile([0.25, 0.75], dim="lon", method="nearest"),
    "quantile_no_skipna": lambda d: d.a.quantile(0.5, dim="time", skipna=False),
    "median_lon": lambda d: d.median("lon"),
    "groupby_quantile": lambda d: d.a.groupby("time.month").quantile(0.9),
    "rolling_max": lambda d: d.rolling(time=5).max(),
    "rolling_min_center": lambda d: d.rolling(time=4, center=True, min_periods=2).min(),
    "rolling_median": lambda d: d.a.rolling(time=3).median(),
    "rolling_mean_2d": lambda d: d.a.rolling(time=7, lon=2).mean(),
    "rolling_sum_int": lambda d: d.i.rolling(time=3).sum(),
    "rolling_std": lambda d: d.rolling(time=6).std(),
    "polyfit": lambda d: d.a.polyfit("time", 2),
    "polyfit_full": lambda d: d.b.polyfit("time", 1, full=True),
    "polyfit_cov": lambda d: d.a.polyfit("time", 1, cov=True),
    "polyval": lambda d: xr.polyval(d.time, d.b.polyfit("time", 3).polyfit_coefficients),
    "corr": lambda d: xr.corr(d.a, d.b, dim="time"),
    "cov": lambda d: xr.cov(d.a, d.a.shift(time=1), dim="time", ddof=1),
    "coarsen_mean": lambda d: d.coarsen(time=10, lon=5, boundary="trim").mean(),
    "coarsen_max_pad": lambda d: d.coarsen(time=7, boundary="pad").max(),
    "coarsen_construct_sum": lambda d: d.a.coarsen(time=5).construct(time=("week", "day")).sum("day"),
    "groupby_map_anomaly": lambda d: d.groupby("time.month").map(lambda g: g - g.mean("time")),
    "groupby_map_reduce": lambda d: d.a.groupby("time.season").map(lambda g: g.std("time")),
    "groupby_std": lambda d: d.groupby("time.month").std(),
    "resample_mean": lambda d: d.resample(time="1MS").mean(),
    "resample_sum_weekly": lambda d: d.resample(time="7D").sum(),
    "resample_map": lambda d: d.a.resample(time="1MS").map(lambda g: g.max("time") - g.min("time")),
    "weighted_time": lambda d: d.a.weighted(d.b).mean("time"),
    "weighted_area": lambda d: d.a.weighted(np.cos(np.deg2rad(d.lat))).mean(("lat", "lon")),
    "weighted_sum_std": lambda d: d.a.weighted(d.b).sum("time") + d.a.weighted(d.b).std("time"),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_operations_match_xarray_on_dask(ds, name):
    ours, theirs = _both(ds, OPERATIONS[name])
    _assert_gpuscale(ours)
    xr.testing.assert_allclose(ours.compute(), theirs.compute())
    xr.testing.assert_allclose(ours.compute(), OPERATIONS[name](ds))


# dask refuses these (its nanmedian needs an axis that is not every axis); gpuscale makes the axes whole
BEYOND_DASK = {
    "median_all": lambda d: d.a.median(),
    "median_1d": lambda d: d.b.median("time"),
    "groupby_median": lambda d: d.groupby("time.month").median(),
}


@pytest.mark.parametrize("name", BEYOND_DASK)
def test_medians_dask_refuses_match_xarray_on_numpy(ds, name):
    op = BEYOND_DASK[name]
    with pytest.raises(NotImplementedError):
        op(ds.chunk(CHUNKS)).compute()
    result = op(ds.chunk(CHUNKS, chunked_array_type="gpuscale"))
    _assert_gpuscale(result)
    xr.testing.assert_allclose(result.compute(), op(ds))


def test_quantile_keeps_other_axes_blocks(ds):
    g = ds.a.chunk(CHUNKS, chunked_array_type="gpuscale")
    q = g.quantile([0.2, 0.8], dim="time")
    assert q.chunks == ((2,), (2, 1), (5,))  # time became one block; lat kept its two


def test_interp_with_gpuscale_as_default_chunk_manager(ds):
    pytest.importorskip("scipy")
    numeric = ds.drop_vars("i").assign_coords(time=np.arange(ds.sizes["time"], dtype=float))
    ops = {"linear": lambda d: d.interp(lon=[10.0, 100.5, 250.0]),
           "time": lambda d: d.interp(time=np.linspace(0.5, 140.5, 30)),
           "cubic": lambda d: d.b.interp(time=np.linspace(3.0, 120.0, 17), method="cubic"),
           "like": lambda d: d.a.interp_like(d.lon[1:].assign_coords(lon=d.lon[1:] - 30.0))}
    for name, op in ops.items():
        with xr.set_options(chunk_manager="gpuscale"):
            ours = op(numeric.chunk(CHUNKS))
        _assert_gpuscale(ours)
        theirs = op(numeric.chunk(CHUNKS))  # xarray's default manager: dask
        xr.testing.assert_allclose(ours.compute(), theirs.compute())
        xr.testing.assert_allclose(ours.compute(), op(numeric))


def test_interp_under_dask_default_refuses_mixing(ds):
    pytest.importorskip("scipy")
    with pytest.raises(TypeError, match="Mixing chunked array types"):
        ds.chunk(CHUNKS, chunked_array_type="gpuscale").interp(lon=[10.0, 20.0])


@pytest.mark.xfail(strict=True, raises=ValueError, reason=(
    "xarray indexes gpuscale arrays as dask arrays: it tries x[list, list] first, which dask refuses (and xarray "
    "then indexes one axis at a time) but gpuscale reads point-wise, as the Array API and NumPy do; so isel, "
    "sortby and interp with lists along two or more dimensions fail (docs/xarray.md)"))
def test_outer_indexing_with_lists_along_two_dimensions(ds):
    g = ds.a.chunk(CHUNKS, chunked_array_type="gpuscale")
    xr.testing.assert_identical(g.isel(time=[0, 1]).isel(lat=[0, 2]).compute(), ds.a.isel(time=[0, 1], lat=[0, 2]))
    xr.testing.assert_identical(g.isel(time=[0, 1], lat=[0, 2]).compute(), ds.a.isel(time=[0, 1], lat=[0, 2]))
