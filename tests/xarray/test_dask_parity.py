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

