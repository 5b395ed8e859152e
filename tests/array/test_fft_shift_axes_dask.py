"""gpuscale.array.fft against NumPy and dask: fftshift keeps the blocks of an axis in one block, fftn's axes
are checked (duplicates, s without axes) as dask's and NumPy's are."""

import warnings

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("chunks", [(5, 6, 7), (2, 3, 4), (2, 6, 4)])
@pytest.mark.parametrize("axes", [None, 0, 2, (0, 1), (1, 2)])
def test_shift_keeps_single_blocks_like_dask(name, chunks, axes):
    a = np.arange(5 * 6 * 7).reshape(5, 6, 7)
    ours = getattr(ga.fft, name)(ga.asarray(a, chunks=chunks), axes)
    theirs = getattr(da.fft, name)(da.from_array(a, chunks=chunks), axes)
    np.testing.assert_array_equal(compute(ours), getattr(np.fft, name)(a, axes))
    for before, mine, dasks in zip(ga.asarray(a, chunks=chunks).chunks, ours.chunks, theirs.chunks):
        if len(before) == 1:  # an axis in one block stays exactly as it was, as dask's
            assert mine == before == dasks
        else:
            assert len(mine) > 1


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("axes", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("chunks", [(3, 2), (7, 2)])
def test_shift_of_unknown_lengths_as_numpy(name, axes, chunks):
    # after a mask the rows' lengths are unknown: the shift reads them from the blocks (it failed indexing with
    # slice(nan, ...); along the known axis, joining the slabs was refused)
    a = np.arange(35).reshape(7, 5)
    x = ga.asarray(a, chunks=chunks)
    got = getattr(ga.fft, name)(x[x[:, 0] % 2 == 0], axes)
    np.testing.assert_array_equal(compute(got), getattr(np.fft, name)(a[a[:, 0] % 2 == 0], axes))


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_duplicate_axes_raise_like_dask(name):
    x = ga.asarray(np.arange(60.0).reshape(3, 4, 5), chunks=2)
    with pytest.raises(ValueError, match="duplicate axes"):
        getattr(ga.fft, name)(x, axes=(0, 0))
    with pytest.raises(ValueError):
        getattr(da.fft, name)(da.from_array(np.arange(60.0).reshape(3, 4, 5), chunks=(3, 4, 5)), axes=(0, 0))


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_s_without_axes_warns_as_numpy_and_transforms_the_last_axes(name):
    a = np.arange(60.0).reshape(3, 4, 5)
    a = a if name == "rfftn" else a + 1j  # the standard's complex transforms take complex input
    with pytest.warns(DeprecationWarning, match="`axes` should not be `None` if `s` is not `None`"):
        ours = getattr(ga.fft, name)(ga.asarray(a, chunks=2), (6, 7))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the blocks are transformed with explicit axes: no warning at compute
        got = compute(ours)
    want = getattr(np.fft, name)(a, (6, 7), axes=(1, 2))
    # entries that cancel to about zero differ by rounding between FFT libraries (cuFFT, pocketfft): an
    # absolute tolerance relative to the largest value, as float64 FFTs guarantee
    np.testing.assert_allclose(got, want, atol=1e-12 * np.abs(want).max())
    assert ours.shape == got.shape


def test_s_and_axes_of_different_lengths_raise():
    with pytest.raises(ValueError, match="differ in length"):
        ga.fft.fftn(ga.ones((3, 4)), s=(2, 2, 2), axes=(0, 1))


@pytest.mark.parametrize("name", ["fft2", "ifft2", "fftn", "ifftn"])
def test_real_float32_input_matches_numpy_and_dask(name, backend):
    # NumPy transforms real float32 input more precisely than a cast to complex64 first would (the standard's
    # namespace takes complex input only: there the cast is needed)
    if backend != "numpy":
        pytest.skip("NumPy's precision for real input is NumPy chunks'")
    a = np.arange(7 * 8 * 9, dtype="float32").reshape(7, 8, 9)
    ours = getattr(ga.fft, name)(ga.asarray(a, chunks=3), axes=(0, 1))
    want = getattr(np.fft, name)(a, axes=(0, 1))
    theirs = getattr(da.fft, name)(da.from_array(a, chunks=(7, 8, 3)), axes=(0, 1))
    assert ours.dtype == want.dtype == theirs.dtype
    np.testing.assert_allclose(compute(ours), want, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(compute(ours), theirs.compute(), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", ["fft", "ifft"])
def test_real_input_on_every_chunk_library(name):
    a = np.linspace(0.0, 1.0, 12).reshape(3, 4)
    ours = getattr(ga.fft, name)(ga.asarray(a, chunks=2), axis=0)
    np.testing.assert_allclose(compute(ours), getattr(np.fft, name)(a, axis=0), rtol=1e-12, atol=1e-12)
