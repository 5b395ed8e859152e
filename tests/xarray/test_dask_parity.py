"""Dtypes, managers and chunks of xarray results on gpuscale chunks, compared with xarray on NumPy and on dask.

Cases found by comparing xarray on gpuscale chunks with xarray on dask (masking and aligning bool and integer
variables, re-chunking a Dataset that mixes chunked and in-memory variables, rolling max/min of booleans on
array-api-strict chunks, ``apply_ufunc`` merging a core dimension).
"""

from __future__ import annotations

import numpy as np
import pytest

xr = pytest.importorskip("xarray")

import gpuscale  # noqa: E402
import gpuscale.array as ga  # noqa: E402

BACKENDS = ["numpy", pytest.param("array_api_strict", marks=pytest.mark.skipif(
    not pytest.importorskip("importlib").util.find_spec("array_api_strict"), reason="array-api-strict missing"))]


@pytest.fixture(autouse=True)
def _numpy_chunks():
    with gpuscale.config.set(backend="numpy"):
        yield


def _chunked(obj, chunks, backend: str = "numpy"):
    return obj.chunk(chunks, chunked_array_type="gpuscale", from_array_kwargs={"backend": backend})


# a Python float (NaN, the fill value) or int meeting a bool or integer variable: NumPy's promotion (float64,
# int64), where xarray's fallback for other namespaces than NumPy's reads a float as float32
MASKING = {
    "where": lambda d: d.where(d.x > 1),
    "where_float": lambda d: d.where(d.x > 1, 2.5),
    "where_int": lambda d: d.where(d.x > 1, 7),
    "reindex": lambda d: d.reindex(x=[0, 1, 5]),
    "shift": lambda d: d.shift(x=1),
    "combine_first": lambda d: d.isel(x=[0, 1]).combine_first(d.reindex(x=[0, 1, 2, 3, 4])),
    "align_outer": lambda d: xr.align(d, d.isel(x=[0, 1]).assign_coords(x=[0, 7]), join="outer")[1],
}
VALUES = {"bool": np.array([True, False, True, True]), "int8": np.arange(4, dtype="int8"),
          "uint16": np.arange(4, dtype="uint16"), "float32": np.arange(4, dtype="float32")}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("name", MASKING)
def test_masking_promotes_as_numpy(name, values, backend):
    da = xr.DataArray(VALUES[values], dims="x", coords={"x": range(4)})
    expected = MASKING[name](da)
    lazy = MASKING[name](_chunked(da, {"x": 2}, backend))
    assert isinstance(lazy.data, ga.Array)
    assert lazy.dtype == expected.dtype
    if expected.dtype == object and backend == "array_api_strict":  # NumPy's bool shifted: objects, not Array API
        with pytest.raises(TypeError, match="no dtype 'object'"):
            lazy.compute()
        return
    host = np.asarray(gpuscale.backends.to_host(lazy.data.compute()))
    assert host.dtype == expected.dtype
    xr.testing.assert_identical(lazy.copy(data=host), expected)


def _mixed(backend: str = "numpy") -> tuple:
    ds = xr.Dataset({"a": (("t", "y"), np.arange(12.0).reshape(6, 2))}, coords={"t": np.arange(6)})
    chunked = _chunked(ds, {"t": 2}, backend).assign(b=("t", np.ones(6)), c=(("t", "y"), np.full((6, 2), 3)))
    return ds.assign(b=("t", np.ones(6)), c=(("t", "y"), np.full((6, 2), 3))), chunked


@pytest.mark.parametrize("backend", BACKENDS)
def test_rechunking_a_dataset_chunks_in_memory_variables_as_gpuscale(backend):
    """``.chunk()`` without ``chunked_array_type=`` of a Dataset whose chunked variables are gpuscale arrays:
    its in-memory variables become gpuscale arrays on the same backend (they became dask arrays, and compute
    refused the mix of two chunked array types)."""
    ds, chunked = _mixed(backend)
    out = chunked.chunk({"t": 3})
    on_dask = ds.chunk({"t": 2}).chunk({"t": 3})
    for name in ("a", "b", "c"):
        assert isinstance(out[name].data, ga.Array) and out[name].data.backend == backend
        assert out[name].chunks == on_dask[name].chunks
    for name, var in out.compute().data_vars.items():
        np.testing.assert_array_equal(np.asarray(gpuscale.backends.to_host(var.data)), ds[name].values)


def test_rechunking_a_data_array_chunks_its_in_memory_coordinates_as_gpuscale():
    da = xr.DataArray(np.arange(6.0), dims="t", coords={"w": ("t", np.arange(6) * 2)})
    out = _chunked(da, {"t": 2}).assign_coords(w=("t", np.arange(6) * 2)).chunk({"t": 3})
    assert isinstance(out.data, ga.Array) and isinstance(out.w.data, ga.Array)
    xr.testing.assert_identical(out.compute(), da)


def test_rechunking_a_dask_dataset_keeps_dask():
    ds, _ = _mixed()
    out = ds[["a"]].chunk({"t": 2}).assign(b=ds.b).chunk({"t": 3})
    assert all(type(v.data).__module__.startswith("dask") for v in out.data_vars.values())
    xr.testing.assert_identical(out.compute(), ds[["a", "b"]])


# array-api-strict orders real numbers only (max/min of booleans raise there); NumPy and dask take True for 1
EXTREMES = {
    "rolling_max": lambda d: d.rolling(t=3).max(),
    "rolling_min_center": lambda d: d.rolling(t=4, center=True, min_periods=1).min(),
    "max": lambda d: d.max("t"),
    "min_all": lambda d: d.min(),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", EXTREMES)
def test_max_and_min_of_booleans_match_numpy(name, backend):
    da = xr.DataArray(np.random.default_rng(3).random((8, 3)) > 0.5, dims=("t", "y"))
    expected = EXTREMES[name](da)
    lazy = EXTREMES[name](_chunked(da, {"t": 3}, backend))
    assert isinstance(lazy.data, ga.Array) and lazy.dtype == expected.dtype
    host = np.asarray(gpuscale.backends.to_host(lazy.data.compute()))
    assert host.dtype == expected.dtype
    np.testing.assert_array_equal(host, expected.values)
