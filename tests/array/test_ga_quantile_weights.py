"""``quantile``/``nanquantile``/``percentile`` with NumPy's ``weights=`` (``method="inverted_cdf"``) and the
older ``interpolation=`` name, against NumPy and dask.array."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

X = np.random.default_rng(0).random((6, 5))
X[1, 2] = np.nan
W = np.random.default_rng(1).random((6, 5)) + 0.1


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
@pytest.mark.parametrize("axis", [0, 1])
def test_weights_of_the_arrays_shape(name, axis):
    q = [20, 70] if "percentile" in name else [0.2, 0.7]
    data = np.nan_to_num(X) if not name.startswith("nan") else X
    got = getattr(ga, name)(ga.asarray(data, chunks=2), q, axis=axis, weights=ga.asarray(W, chunks=3),
                            method="inverted_cdf")
    assert_same(got, getattr(np, name)(data, q, axis=axis, weights=W, method="inverted_cdf"))


def test_one_dimensional_weights_along_the_axis_as_dask():
    data, w = np.nan_to_num(X), np.arange(1.0, 7.0)
    got = ga.quantile(ga.asarray(data, chunks=2), 0.5, axis=0, weights=w, method="inverted_cdf")
    want = da.quantile(da.from_array(data, chunks=2), 0.5, axis=0, weights=w, method="inverted_cdf")
    assert_same(got, want.compute())


def test_interpolation_is_methods_older_name():
    got = ga.percentile(ga.asarray(np.nan_to_num(X), chunks=2), 30, axis=1, interpolation="nearest")
    assert_same(got, np.percentile(np.nan_to_num(X), 30, axis=1, method="nearest"))


def test_weights_errors_name_the_cause():
    x = ga.asarray(np.nan_to_num(X), chunks=2)
    with pytest.raises(ValueError, match="inverted_cdf"):
        ga.quantile(x, 0.5, axis=0, weights=W)
    with pytest.raises(ValueError, match="do not fit"):
        ga.quantile(x, 0.5, axis=0, weights=np.ones(4), method="inverted_cdf")


@pytest.mark.parametrize("name,q", [("percentile", [0, 50, 100]), ("quantile", [0.0, 0.3, 0.5, 1.0])])
def test_strings_take_the_nearest_value_as_dask(name: str, q: list, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("strings are NumPy chunks only")
    data = np.array(["a", "a", "d", "d", "d", "e"])
    got = getattr(ga, name)(ga.from_array(data, chunks=3), q).compute()
    np.testing.assert_array_equal(got, getattr(np, name)(data, q, method="nearest"))
    if name == "percentile":
        np.testing.assert_array_equal(got, da.percentile(da.from_array(data, chunks=3), q).compute())


def test_object_numbers_interpolate_as_numpy(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("object arrays are NumPy chunks only")
    data = np.array([1, 2.5, 4, 10], dtype=object)
    got = ga.percentile(ga.from_array(data, chunks=2), [30, 50]).compute()
    np.testing.assert_allclose(got.astype(float), np.percentile(data, [30, 50]).astype(float))


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
def test_numpys_functions_take_weights_of_gpuscale_arrays(name):
    # np.quantile(x, q, weights=) on a gpuscale array raised NotImplementedError, though ga.quantile takes them
    data, weights = np.arange(10.0), np.arange(1.0, 11.0)
    q = 0.3 if "quantile" in name else 30
    got = getattr(np, name)(ga.asarray(data, chunks=3), q, method="inverted_cdf", weights=weights)
    assert isinstance(got, ga.Array)  # lazy, as dask
    assert_same(got, getattr(np, name)(data, q, method="inverted_cdf", weights=weights))
