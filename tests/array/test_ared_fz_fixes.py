"""Fuzzer findings (reductions): the NumPy protocol's dtype= and ddof, degenerate histogram bins, topk(k=0),
cumulative_sum of 0-d arrays and bincount's minlength, against NumPy."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute


def _numpy_only(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("the NumPy protocol needs NumPy chunks")


@pytest.mark.parametrize("name", ["mean", "var", "std"])
@pytest.mark.parametrize("dtype", ["i4", "c16", "f4"])
def test_numpy_protocol_moments_take_dtype_as_the_method(backend: str, name: str, dtype: str) -> None:
    # np.mean(g, dtype=) cast the data first, then took the float64 mean of it (the method was right)
    _numpy_only(backend)
    x = np.array([1, 2, 4, 5], dtype="int32")
    g = ga.from_array(x, chunks=2)
    with np.errstate(all="ignore"):
        expected = getattr(np, name)(x, dtype=dtype)
    assert_same(getattr(np, name)(g, dtype=dtype), expected)
    assert_same(getattr(g, name)(dtype=dtype), expected)


@pytest.mark.parametrize("bins", [np.array([]), np.array([2.0]), [2.0]])
@pytest.mark.parametrize("extra", [{}, {"density": True}, {"weights": np.array([1, 2, 3])}])
def test_histogram_with_fewer_than_two_edges_counts_nothing(backend: str, bins: object, extra: dict) -> None:
    # no bin: NumPy gives empty counts (an IndexError at compute, or NumPy's bincount refusal, before)
    x = np.array([1.0, 2.0, 3.0])
    kwargs = {k: ga.from_array(v, chunks=2) if k == "weights" else v for k, v in extra.items()}
    hist, edges = ga.histogram(ga.from_array(x, chunks=2), bins=bins, **kwargs)
    expected_hist, expected_edges = np.histogram(x, bins=bins, **extra)
    assert_same(hist, expected_hist)
    assert_same(edges, expected_edges) if isinstance(edges, ga.Array) else \
        np.testing.assert_array_equal(edges, expected_edges)


def test_histogramdd_with_one_edge_counts_nothing(backend: str) -> None:
    x = np.array([[1.0, 2.0], [2.0, 3.0]])
    bins = [np.array([2.0]), np.array([1.0, 2.0, 3.0])]
    hist, edges = ga.histogramdd(ga.from_array(x, chunks=1), bins=bins)
    expected, expected_edges = np.histogramdd(x, bins=bins)
    assert_same(hist, expected)
    for e, ee in zip(edges, expected_edges):
        assert_same(e, ee)


@pytest.mark.parametrize("axis", [0, -1])
def test_topk_of_zero_elements_is_empty(backend: str, axis: int) -> None:
    # dask.array gives an empty array along axis (gpuscale refused k=0)
    data = np.arange(12.0).reshape(3, 4)
    x = ga.from_array(data, chunks=2)
    none = np.take(data, [], axis=axis)
    assert_same(ga.topk(x, 0, axis=axis), none)
    assert_same(ga.argtopk(x, 0, axis=axis), none.astype("int64"))


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
@pytest.mark.parametrize("kwargs", [{}, {"include_initial": True}, {"axis": 0}])
def test_cumulative_of_a_0d_array_is_1d(backend: str, name: str, kwargs: dict) -> None:
    # NumPy 2 and array-api-strict give the running total of the one element (gpuscale refused 0-d input)
    x = np.array(5.0)
    expected = getattr(np, name)(x, **kwargs)
    assert_same(getattr(ga, name)(ga.asarray(x), **kwargs), expected)
    if backend == "numpy":
        assert_same(getattr(np, name)(ga.asarray(x), **kwargs), expected)


def test_cumulative_sum_of_a_0d_array_refuses_axis_1(backend: str) -> None:
    with pytest.raises(np.exceptions.AxisError):
        np.cumulative_sum(np.array(5.0), axis=1)
    with pytest.raises(np.exceptions.AxisError):
        ga.cumulative_sum(ga.asarray(np.array(5.0)), axis=1)


@pytest.mark.parametrize("weighted", [False, True])
def test_bincount_minlength_is_a_least_length(backend: str, weighted: bool) -> None:
    # values beyond minlength raised at compute; NumPy (and dask) count them all
    v, w = np.array([0, 5, 5]), np.array([0.5, 1.0, 2.0])
    x = ga.from_array(v, chunks=2)
    weights = ga.from_array(w, chunks=2) if weighted else None
    expected = np.bincount(v, weights=w if weighted else None, minlength=2)
    assert_same(ga.bincount(x, weights=weights, minlength=2), expected)  # in memory: the length known now
    lazy = ga.bincount(x + 0, weights=weights, minlength=2)
    assert lazy.shape == (2,)  # as dask.array: the length given is minlength ...
    with pytest.raises(ValueError, match="beyond minlength=2"):
        compute(lazy)  # ... which the counts must fit (dask's blocks would be longer than its shape)
    fitting = np.bincount(v, weights=w if weighted else None, minlength=8)
    assert_same(ga.bincount(x + 0, weights=weights, minlength=8), fitting)


@pytest.mark.parametrize("values, ddof", [([1.0, 2.0, 4.0], 3), ([1.0, 2.0, 4.0], 5), ([2.0, 2.0], 2)])
@pytest.mark.parametrize("name", ["var", "std"])
def test_ddof_without_degrees_of_freedom_is_numpys(backend: str, values: list, ddof: int, name: str) -> None:
    # NumPy's and dask's M2 / 0: inf where the values differ (ddof= gave the Array API's NaN of correction=)
    data = np.array(values)
    x = ga.from_array(data, chunks=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(data, ddof=ddof)
        assert_same(getattr(x, name)(ddof=ddof), expected)
        assert_same(getattr(ga, name)(x, ddof=ddof), expected)
        if backend == "numpy":
            assert_same(getattr(np, name)(x, ddof=ddof), expected)
        assert np.isnan(compute(getattr(ga, name)(x, correction=ddof)))  # the Array API's answer


@pytest.mark.parametrize("dtype", ["u2", "i1", "u1"])
def test_mean_in_a_narrow_integer_dtype_wraps_as_numpy(backend: str, dtype: str) -> None:
    # NumPy sums in dtype= itself (wrapping around): the sum was widened to 64 bits first
    data = np.array([-3, -3, -3, 100, 90], dtype="int8")
    with np.errstate(all="ignore"):
        expected = np.mean(data, dtype=dtype)
    assert_same(ga.from_array(data, chunks=2).mean(dtype=dtype), expected)
    assert_same(ga.from_array(data, chunks=5).mean(dtype=dtype), expected)
