"""Functions the Array API makes keyword-only also take NumPy's (and dask.array's) positional arguments, so
``da.fft.fft(x, n, axis)``, ``da.roll(x, 2, 0)`` and ``da.diff(x, 2, 0)`` port unchanged."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

X = np.random.default_rng(0).random((8, 6))


def g():
    return ga.asarray(X, chunks=4)


def _input(name):
    """Complex input for the complex transforms (the standard's fft refuses real arrays), real for the rest."""
    data = X.astype("complex128") if name in ("fft", "ifft", "fftn", "ifftn") else X
    return data, ga.asarray(data, chunks=4)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "ihfft"])
def test_one_axis_transforms(name):
    data, x = _input(name)
    assert_same(getattr(ga.fft, name)(x, 8, 0, None), getattr(np.fft, name)(data, 8, 0, None), rtol=1e-12)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn"])
def test_n_axis_transforms(name):
    data, x = _input(name)
    assert_same(getattr(ga.fft, name)(x, (8, 6), (0, 1), "ortho"), getattr(np.fft, name)(data, (8, 6), (0, 1), "ortho"),
                rtol=1e-12)


def test_shifts_and_frequencies():
    assert_same(ga.fft.fftshift(g(), (0,)), np.fft.fftshift(X, (0,)))
    assert_same(ga.fft.ifftshift(g(), (1,)), np.fft.ifftshift(X, (1,)))
    assert_same(ga.fft.fftfreq(8, 0.5), np.fft.fftfreq(8, 0.5))
    assert_same(ga.fft.rfftfreq(8, 0.5), np.fft.rfftfreq(8, 0.5))


def test_manipulation_and_searching():
    assert_same(ga.roll(g(), 2, 0), np.roll(X, 2, 0))
    assert_same(ga.diff(g(), 2, 0), np.diff(X, 2, 0))
    assert_same(ga.count_nonzero(g() > 0.5, 0), np.count_nonzero(X > 0.5, 0))
    assert_same(ga.searchsorted(ga.asarray(np.arange(10)), ga.asarray([3, 7]), "right"),
                np.searchsorted(np.arange(10), [3, 7], "right"))
    assert_same(ga.take(g(), ga.asarray([1, 3]), 1), np.take(X, [1, 3], 1))


def test_element_wise_functions_of_numpy_arrays_return_numpy_as_dask():
    import dask.array as da

    data = np.arange(4.0)
    for name in ("sin", "exp", "negative"):
        got, want = getattr(ga, name)(data), getattr(da, name)(data)
        assert type(got) is type(want) is np.ndarray
        np.testing.assert_array_equal(got, want)
    assert type(ga.add(data, 1)) is np.ndarray
    assert isinstance(ga.add(data, ga.asarray(data)), ga.Array)  # any gpuscale operand: lazy, as before


def test_frequencies_take_chunks_and_like_functions_take_numpy_arrays():
    import dask.array as da

    assert ga.fft.fftfreq(10, 0.5, chunks=4).chunks == da.fft.fftfreq(10, 0.5, chunks=4).chunks
    assert_same(ga.fft.rfftfreq(10, chunks=2), np.fft.rfftfreq(10))
    assert_same(ga.ones_like(X[:3]), np.ones_like(X[:3]))
    assert ga.zeros_like(X).chunks == da.zeros_like(X).chunks
    assert_same(ga.percentile(g(), 30, internal_method="tdigest"), np.percentile(X, 30))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scans_take_dasks_method_and_out(name):
    import dask.array as da

    for method in ("sequential", "blelloch"):
        got = getattr(ga, name)(g(), axis=1, method=method)
        assert_same(got, getattr(np, name)(X, axis=1))
        assert got.chunks == getattr(da, name)(da.from_array(X, chunks=4), axis=1, method=method).chunks
    target = ga.zeros((8, 6), chunks=4)
    getattr(g(), name)(0, out=target)
    assert_same(target, getattr(np, name)(X, 0))
    with pytest.raises(ValueError, match="sequential"):
        getattr(ga, name)(g(), method="parallel")
