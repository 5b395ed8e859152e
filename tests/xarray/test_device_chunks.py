"""xarray operations that mix device chunks with in-memory NumPy data (weights, coordinates), checked on
array-api-strict's ``device1`` chunks, which refuse implicit host conversion as CuPy's do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

xr = pytest.importorskip("xarray")
pytest.importorskip("array_api_strict")

import gpuscale  # noqa: E402


def test_weighted_mean_with_numpy_weights_on_device_chunks():
    rng = np.random.default_rng(0)
    lat = np.linspace(-80, 80, 9)
    ds = xr.Dataset({"tas": (("time", "lat", "lon"), rng.random((20, 9, 6)))},
                    coords={"time": pd.date_range("2000", periods=20), "lat": lat})
    weights = np.cos(np.deg2rad(ds.lat))  # in memory, NumPy: joins the device chunks
    chunked = ds.chunk({"time": 5}, chunked_array_type="gpuscale", from_array_kwargs={"backend": "array_api_strict"})
    lazy = chunked.tas.weighted(weights).mean(("lat", "lon"))
    assert lazy.data.backend == "array_api_strict"
    got = np.asarray(gpuscale.backends.to_host(lazy.data.compute()))
    np.testing.assert_allclose(got, ds.tas.weighted(weights).mean(("lat", "lon")).values)


def _dataset() -> xr.Dataset:
    rng = np.random.default_rng(0)
    a = rng.random((60, 4))
    a[rng.random((60, 4)) < 0.1] = np.nan  # rolling counts the valid values of each window
    return xr.Dataset({"a": (("time", "x"), a), "b": (("time",), rng.random(60))},
                      coords={"time": pd.date_range("2000-01-01", periods=60), "x": np.arange(4)})


# xarray counts the valid values of a window with xp.sum of a boolean array, which array-api-strict refuses
# (the standard sums numeric dtypes only): gpuscale casts the booleans to integers first on such chunks
ROLLING = {
    "mean": lambda d: d.rolling(time=3).mean(),
    "sum_center": lambda d: d.rolling(time=4, center=True, min_periods=2).sum(),
    "count": lambda d: d.rolling(time=5).count(),
    "std": lambda d: d.rolling(time=6).std(),
    "max": lambda d: d.rolling(time=5).max(),
    "mean_2d": lambda d: d.a.rolling(time=7, x=2).mean(),
}


@pytest.mark.parametrize("name", ROLLING)
def test_rolling_on_device_chunks(name):
    ds = _dataset()
    chunked = ds.chunk({"time": 10}, chunked_array_type="gpuscale", from_array_kwargs={"backend": "array_api_strict"})
    lazy = ROLLING[name](chunked)
    expected = ROLLING[name](ds)
    got = lazy if isinstance(lazy, xr.Dataset) else lazy.to_dataset(name="v")
    want = expected if isinstance(expected, xr.Dataset) else expected.to_dataset(name="v")
    for var in want.data_vars:
        assert got[var].data.backend == "array_api_strict"
        values = np.asarray(gpuscale.backends.to_host(got[var].data.compute()))
        np.testing.assert_allclose(values, want[var].values)


CHUNK_BACKENDS = ["numpy", "array_api_strict"]


def _chunked(data: xr.DataArray, backend: str, chunks: dict) -> xr.DataArray:
    return data.chunk(chunks, chunked_array_type="gpuscale", from_array_kwargs={"backend": backend})


def _host_values(lazy: xr.DataArray) -> np.ndarray:
    return np.asarray(gpuscale.backends.to_host(lazy.data.compute()))


# the standard defines mean/var for floats only (array-api-strict refuses integers): gpuscale computes them
# in float64, as NumPy and CuPy do
MOMENTS = {
    "mean": lambda d: d.mean("t"),
    "std": lambda d: d.std("t", ddof=1),
    "var": lambda d: d.var(),
    "coarsen_mean": lambda d: d.coarsen(t=2).mean(),
    "groupby_mean": lambda d: d.groupby("x").mean(),
    "rolling_mean": lambda d: d.rolling(t=3).mean(),
}


@pytest.mark.parametrize("dtype", ["int32", "bool"])
@pytest.mark.parametrize("name", MOMENTS)
@pytest.mark.parametrize("backend", CHUNK_BACKENDS)
def test_moments_of_integers_on_chunks_as_numpy(backend, name, dtype):
    da = xr.DataArray((np.arange(12) % 5).astype(dtype).reshape(6, 2), dims=("t", "x"))
    lazy = MOMENTS[name](_chunked(da, backend, {"t": 2}))
    expected = MOMENTS[name](da)
    assert lazy.dtype == expected.dtype
    np.testing.assert_allclose(_host_values(lazy), expected.values)


def _with_gaps() -> xr.DataArray:
    values = np.array([[1.0, 5.0, 3.0, np.nan], [7.0, np.nan, 0.0, 2.0], [np.nan] * 4, [4.0, 4.0, 9.0, 1.0]])
    return xr.DataArray(values, dims=("t", "x"),
                        coords={"t": pd.date_range("2000-01-01", periods=4), "x": [10.0, 20.0, 30.0, 40.0]})


# xarray picks idxmax/idxmin from the NumPy coordinate (made a gpuscale array) with the positions argmax/argmin
# give on the chunks' device, and puts NaN/NaT back where a device mask says a slice is all NaN
IDX = {
    "idxmax_x": lambda d: d.idxmax("x"),
    "idxmin_x_skipna_false": lambda d: d.idxmin("x", skipna=False),
    "idxmin_time": lambda d: d.idxmin("t"),
    "idxmax_time": lambda d: d.fillna(0).idxmax("t"),
}


@pytest.mark.parametrize("name", IDX)
@pytest.mark.parametrize("backend", CHUNK_BACKENDS)
def test_idxmax_idxmin_from_host_coordinates_as_numpy(backend, name):
    da = _with_gaps()
    lazy = IDX[name](_chunked(da, backend, {"t": 1, "x": 2}))
    expected = IDX[name](da)
    assert lazy.dtype == expected.dtype
    np.testing.assert_array_equal(_host_values(lazy), expected.values)


# without template=, xarray runs the function on zero-size stand-ins of the blocks (array-api-strict arrays
# for strict chunks) and hands dask the dtypes of what it returns, which must be NumPy's
MAP_BLOCKS = {
    "dataarray": lambda d: d.a.map_blocks(lambda b: b * 2),
    "dataset": lambda d: d.map_blocks(lambda b: b * 2),
    "new_variable": lambda d: d.map_blocks(lambda b: b.assign(c=b.a * b.a)),
}


@pytest.mark.parametrize("name", MAP_BLOCKS)
@pytest.mark.parametrize("backend", CHUNK_BACKENDS)
def test_map_blocks_without_template_as_on_numpy(backend, name):
    ds = xr.Dataset({"a": (("t", "x"), np.arange(12.0).reshape(6, 2)), "b": ("t", np.arange(6, dtype="int32"))},
                    coords={"t": pd.date_range("2000-01-01", periods=6)})
    lazy = MAP_BLOCKS[name](ds.chunk({"t": 2}, chunked_array_type="gpuscale", from_array_kwargs={"backend": backend}))
    expected = MAP_BLOCKS[name](ds)
    got = lazy if isinstance(lazy, xr.Dataset) else lazy.to_dataset(name="v")
    want = expected if isinstance(expected, xr.Dataset) else expected.to_dataset(name="v")
    assert set(got.data_vars) == set(want.data_vars)
    for var in want.data_vars:
        assert got[var].data.backend == backend
        assert got[var].dtype == want[var].dtype
        np.testing.assert_array_equal(_host_values(got[var]), want[var].values)
