"""xarray's quantile, groupby quantile and median on gpuscale chunks: NumPy's answer bit for bit, without
NumPy's Python loop over the lanes (``apply_along_axis``), which made them 7-40x slower than on dask."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

xr = pytest.importorskip("xarray")

import gpuscale  # noqa: E402


@pytest.fixture
def data() -> xr.DataArray:
    a = np.random.default_rng(0).standard_normal((48, 4, 6)).astype(np.float32)
    a[::5, :, ::2] = np.nan
    a[3, 1] = np.nan  # an all-NaN lane along y
    return xr.DataArray(a, dims=("time", "x", "y"), coords={"time": np.arange(48) % 12})


@pytest.mark.parametrize("op", [
    lambda d: d.quantile(0.5, "y"),
    lambda d: d.quantile([0.1, 0.9], ("time", "y"), method="nearest"),
    lambda d: d.groupby("time").quantile(0.25),
    lambda d: d.median("y"),
])
def test_xarray_quantiles_match_numpy_without_a_lane_loop(monkeypatch, data, op):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN lanes, as NumPy
        want = op(data)

        def refuse(*args, **kwargs):
            raise AssertionError("apply_along_axis: a Python call per lane")

        monkeypatch.setattr(np, "apply_along_axis", refuse)
        with gpuscale.config.set(backend="numpy", scheduler="sync"):
            got = op(data.chunk({"time": 12}, chunked_array_type="gpuscale")).compute()
    assert got.dtype == want.dtype
    xr.testing.assert_identical(got, want)
