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
