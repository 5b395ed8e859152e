"""xarray on gpuscale with CuPy chunks on a real GPU (marked ``gpu``: skipped without one): the climate steps
of docs/xarray.md give the same numbers as on NumPy chunks, and the chunks stay CuPy arrays until compute."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

xr = pytest.importorskip("xarray")

pytestmark = [pytest.mark.gpu, pytest.mark.timeout(300)]


def _dataset() -> "xr.Dataset":
    rng = np.random.default_rng(0)
    time = pd.date_range("2000-01-01", periods=730, freq="D")
    lat, lon = np.linspace(-89.5, 89.5, 36), np.linspace(0.5, 359.5, 72)
    season = 10 * np.sin(2 * np.pi * time.dayofyear.values / 365.25)[:, None, None]
    tas = 280 + season + rng.normal(size=(time.size, lat.size, lon.size))
    return xr.Dataset({"tas": (("time", "lat", "lon"), tas)}, coords={"time": time, "lat": lat, "lon": lon})


def _climate(ds: "xr.Dataset") -> "xr.Dataset":
    clim = ds.tas.groupby("time.month").mean("time")
    anomaly = ds.tas.groupby("time.month") - clim
    weights = np.cos(np.deg2rad(ds.lat))
    global_mean = anomaly.weighted(weights).mean(("lat", "lon"))
    return xr.Dataset({"clim": clim, "global": global_mean, "smooth": global_mean.rolling(time=30).mean()})


def test_climate_steps_on_cupy_chunks_match_numpy_chunks():
    cupy = pytest.importorskip("cupy")
    ds = _dataset()
    on_gpu = ds.chunk({"time": 73}, chunked_array_type="gpuscale", from_array_kwargs={"backend": "cupy"})
    assert on_gpu.tas.data.backend == "cupy"
    lazy = _climate(on_gpu)
    assert type(lazy.clim.data.blocks[0, 0, 0].compute()).__module__.startswith("cupy")
    got = lazy.compute()
    want = _climate(ds.chunk({"time": 73}, chunked_array_type="gpuscale")).compute()
    for name in ("clim", "global", "smooth"):
        values = got[name].data
        values = values.get() if isinstance(values, cupy.ndarray) else np.asarray(values)
        np.testing.assert_allclose(values, want[name].values, rtol=1e-10, equal_nan=True)
