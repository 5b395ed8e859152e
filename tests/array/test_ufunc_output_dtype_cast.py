"""``dtype=`` of an element-wise function that no NumPy loop outputs: the result cast to it where ``casting=``
allows, as dask.array (xarray's ``ffill(limit=)`` calls ``isnan(x, dtype=int)``); else NumPy's TypeError."""

import numpy as np
import pytest

import gpuscale.array as ga
from tests.array.array_helpers import assert_same

X = np.array([1.0, np.nan, 3.0, -2.0, np.inf])


@pytest.mark.parametrize("dtype", [int, "i1", "f4", bool])
def test_isnan_in_any_dtype_as_dask(dtype):
    got = ga.isnan(ga.from_array(X, chunks=2), dtype=dtype)
    expected = np.isnan(X).astype(dtype)
    assert got.dtype == expected.dtype
    assert_same(got, expected)


def test_numpy_dispatch_takes_the_dtype_too():
    got = np.isinf(ga.from_array(X, chunks=2), dtype="u1")
    assert_same(got, np.isinf(X).astype("u1"))


@pytest.mark.parametrize("func", ["sqrt", "add"])
def test_a_cast_that_loses_kind_is_refused(func):
    x = ga.from_array(X, chunks=2)
    args = (x,) * (2 if func == "add" else 1)
    with pytest.raises(TypeError, match="(?i)cannot cast|no loop matching"):  # NumPy's refusal
        getattr(ga, func)(*args, dtype=int)


def test_xarray_ffill_with_a_limit_beyond_the_chunks(backend):
    if backend != "numpy":
        pytest.skip("xarray's push puts NaN beside integers, which the array API standard refuses")
    xr = pytest.importorskip("xarray")
    pytest.importorskip("bottleneck")  # xarray's ffill needs bottleneck or numbagg
    values = np.arange(10.0)
    values[2:8] = np.nan
    data = xr.DataArray(values, dims="t")
    expected = data.ffill("t", limit=4).values
    got = data.chunk(t=3, chunked_array_type="gpuscale").ffill("t", limit=4).values
    np.testing.assert_array_equal(got, expected)
