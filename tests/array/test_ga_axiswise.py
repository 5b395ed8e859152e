"""Quantiles and medians, ``apply_along_axis``, ``reshape_blockwise``, ``transpose`` against NumPy and dask.array;
NumPy's functions on gpuscale arrays; NumPy's kind checks on gpuscale dtypes (xarray's rolling max/min)."""

from __future__ import annotations

import sys
import warnings

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices, as in NumPy
        yield


RNG = np.random.default_rng(5)
X = RNG.random((7, 6, 5))
X[RNG.random(X.shape) < 0.15] = np.nan
X[:, 0, 0] = np.nan  # an all-NaN slice along axis 0
CHUNKS = (3, 4, 2)


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
@pytest.mark.parametrize("q", [0.3, [0.0, 0.5, 1.0]])
@pytest.mark.parametrize("axis", [0, 2, (0, 1), None])
def test_quantiles_match_numpy(name, q, axis):
    q = np.multiply(q, 100) if "percentile" in name else q
    x = ga.asarray(X, chunks=CHUNKS)
    got = getattr(ga, name)(x, q, axis=axis)
    want = getattr(np, name)(X, q, axis=axis)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(compute(got), want, equal_nan=True)


@pytest.mark.parametrize("method", ["lower", "higher", "nearest", "midpoint", "weibull"])
def test_quantile_methods_and_keepdims(method):
    x = ga.asarray(X, chunks=CHUNKS)
    got = ga.nanquantile(x, [0.2, 0.7], axis=1, method=method, keepdims=True)
    want = np.nanquantile(X, [0.2, 0.7], axis=1, method=method, keepdims=True)
    assert got.chunks == ((2,), (3, 3, 1), (1,), (2, 2, 1))
    np.testing.assert_allclose(compute(got), want, equal_nan=True)


@pytest.mark.parametrize("name", ["median", "nanmedian"])
@pytest.mark.parametrize("axis", [0, 1, (1, 2), None])
def test_medians_match_numpy_and_dask(name, axis):
    x = ga.asarray(X, chunks=CHUNKS)
    got = getattr(ga, name)(x, axis=axis)
    np.testing.assert_allclose(compute(got), getattr(np, name)(X, axis=axis), equal_nan=True)
    if axis is not None:  # dask refuses axis=None
        want = getattr(da, name)(da.from_array(X, CHUNKS), axis=axis).compute()
        np.testing.assert_allclose(compute(got), want, equal_nan=True)


def test_numpy_functions_dispatch_to_gpuscale():
    x = ga.asarray(X, chunks=CHUNKS)
    for func, args in [(np.nanquantile, ([0.1, 0.9],)), (np.quantile, (0.5,)), (np.nanpercentile, (50,)),
                       (np.median, ()), (np.nanmedian, ())]:
        got = func(x, *args, axis=-1)
        assert isinstance(got, ga.Array), func.__name__
        np.testing.assert_allclose(compute(got), func(X, *args, axis=-1), equal_nan=True)


def test_integer_input_and_bad_q():
    i = np.arange(24).reshape(4, 6)
    got = ga.quantile(ga.asarray(i, chunks=2), 0.5, axis=1)
    assert got.dtype == ga.float64
    np.testing.assert_allclose(compute(got), np.quantile(i, 0.5, axis=1))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ga.quantile(ga.asarray(i, chunks=2), 1.5)
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        ga.percentile(ga.asarray(i, chunks=2), -1)
    # a lazy q works (as in dask); NumPy checks its range when the blocks run
    np.testing.assert_allclose(compute(ga.quantile(ga.asarray(i, chunks=2), ga.asarray([0.5]), axis=1)),
                               np.quantile(i, [0.5], axis=1))


def _poly(v, deg):
    # the row's own library where it has polyfit (CuPy refuses NumPy's implicit host copy, under dask too)
    lib = sys.modules[type(v).__module__.partition(".")[0]]
    xp = lib if hasattr(lib, "polyfit") else np
    t = xp.arange(v.shape[0], dtype=float)
    keep = ~xp.isnan(v)
    return xp.polyfit(t[keep], v[keep], deg) if keep.sum() > deg else xp.full(deg + 1, np.nan)


def test_apply_along_axis_matches_dask():
    x = ga.asarray(X, chunks=CHUNKS)
    d = da.from_array(X, CHUNKS)
    got = ga.apply_along_axis(_poly, 0, x, 1)
    want = da.apply_along_axis(_poly, 0, d, 1)
    assert got.shape == want.shape == (2, 6, 5) and got.chunks == want.chunks
    np.testing.assert_allclose(compute(got), want.compute(), equal_nan=True)
    ends = ga.apply_along_axis(lambda v: v[[0, -1]], 2, x, dtype=float, shape=(2,))
    np.testing.assert_array_equal(compute(ends), np.apply_along_axis(lambda v: v[[0, -1]], 2, X))
    scalar = ga.apply_along_axis(np.nansum, 1, x)  # func1d returning a scalar drops the axis
    np.testing.assert_allclose(compute(scalar), np.apply_along_axis(np.nansum, 1, X))


def test_apply_along_axis_passes_gpuscale_arguments_whole():
    lhs = np.vander(np.arange(7.0), 2)
    rhs = np.nan_to_num(X[:, :, 0])

    def fit(v, a):
        assert a.shape == (7, 2)
        return np.linalg.lstsq(a, v, rcond=None)[0]

    got = ga.apply_along_axis(fit, 0, ga.asarray(rhs, chunks=(3, 2)), ga.asarray(lhs, chunks=(2, 1)),
                              dtype=float, shape=(2,))
    np.testing.assert_allclose(compute(got), np.linalg.lstsq(lhs, rhs, rcond=None)[0])
    with pytest.raises(ValueError, match="dtype= and shape="):
        ga.apply_along_axis(fit, 0, ga.asarray(rhs, chunks=3), ga.asarray(lhs))


@pytest.mark.parametrize("shape, chunks", [((7, 30), (3, 2, 5)), ((42, 5), (3, 4, 2)), ((210,), (2, 3, 5)),
                                           ((7, 30), (7, 6, 5))])
def test_reshape_blockwise_matches_dask_and_round_trips(shape, chunks):
    x = ga.asarray(X, chunks=chunks)
    d = da.from_array(X, chunks)
    got, want = ga.reshape_blockwise(x, shape), da.reshape_blockwise(d, shape)
    assert got.chunks == want.chunks
    np.testing.assert_array_equal(compute(got), want.compute())
    back = ga.reshape_blockwise(got, X.shape, chunks=x.chunks)
    assert back.chunks == x.chunks
    np.testing.assert_array_equal(compute(back), X)


def test_reshape_blockwise_refuses_what_it_cannot_do():
    # dask's exception types and words, for the same calls
    for lib, arr in ((ga, ga.asarray(X, chunks=CHUNKS)), (da, da.from_array(X, CHUNKS))):
        with pytest.raises(NotImplementedError):  # not a merge of neighbouring axes
            lib.reshape_blockwise(arr, (6, 35))
        with pytest.raises(TypeError, match="Need to specify chunks if expanding dimensions"):
            lib.reshape_blockwise(lib.reshape_blockwise(arr, (7, 30)), X.shape)
        with pytest.raises(ValueError, match="total size of new array must be unchanged"):
            lib.reshape_blockwise(arr, (7, 31))
        with pytest.raises(ValueError, match="Setting chunks is not allowed when"):
            lib.reshape_blockwise(arr, (7, 30), chunks=((7,), (30,)))
        with pytest.raises(ValueError, match="Chunk sizes do not match for the following chunks"):
            lib.reshape_blockwise(lib.reshape_blockwise(arr, (7, 30)), X.shape, chunks=((3, 3, 1), (2, 4), (2, 2, 1)))
        with pytest.raises(ValueError, match="Array chunk size or shape is unknown"):
            lib.reshape_blockwise(arr[arr[:, 1, 1] > 0.5], (7 * 30,))


def test_transpose_squeeze_conj():
    x = ga.asarray(X, chunks=CHUNKS)
    np.testing.assert_array_equal(compute(ga.transpose(x)), np.transpose(X))
    np.testing.assert_array_equal(compute(ga.transpose(x, (1, 2, 0))), np.transpose(X, (1, 2, 0)))
    y = ga.asarray(X[:1, :, :1], chunks=2)
    assert y.squeeze().shape == (6,) and y.squeeze(axis=0).shape == (6, 1)
    z = ga.asarray(X + 1j, chunks=CHUNKS)
    np.testing.assert_array_equal(compute(z.conj()), np.conj(X + 1j))


def test_numpy_kind_checks_accept_gpuscale_dtypes():
    # xarray asks NumPy whether a dtype is floating (e.g. to fill windows for rolling max/min)
    assert np.isdtype(ga.float32, "real floating") and np.isdtype(ga.int8, "integral")
    assert not np.isdtype(ga.int64, "real floating") and np.isdtype(ga.complex64, "complex floating")
    assert np.issubdtype(ga.float64, np.floating)
    assert ga.float64 == np.float64 and ga.float64 == np.dtype("float64") and {ga.float64: 1}[ga.float64] == 1


@pytest.mark.parametrize("func1d", [np.cumsum, np.sort, np.diff, np.sum])
def test_apply_along_axis_guesses_the_result_shape_from_a_whole_slice(func1d, backend) -> None:
    if backend != "numpy":
        pytest.skip("func1d is NumPy's")
    data = np.random.default_rng(4).normal(size=(7, 5))
    got = ga.apply_along_axis(func1d, 1, ga.from_array(data, chunks=(3, 2)))
    want = np.apply_along_axis(func1d, 1, data)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.compute(), want)
