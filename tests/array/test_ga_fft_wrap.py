"""``ga.fft.fft_wrap`` against ``dask.array.fft.fft_wrap`` and NumPy: every kind, with and without
``n``/``s``, ``axis``/``axes`` and ``norm``, on NumPy's and SciPy's functions (NumPy chunks: the wrapped
functions are NumPy's)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
RNG = np.random.default_rng(3)
REAL = RNG.normal(size=(6, 8))
COMPLEX = REAL + 1j * RNG.normal(size=(6, 8))

ONE_D = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
MANY = ["fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn"]


def _data(kind):
    return REAL if kind.startswith(("rfft", "ihfft")) else COMPLEX


@pytest.mark.parametrize("kind", ONE_D)
@pytest.mark.parametrize("kwargs", [{}, {"n": 6}, {"axis": 0}, {"n": 10, "axis": 0, "norm": "ortho"}])
def test_one_d_kinds_are_dasks(kind, kwargs):
    data = _data(kind)
    chunks = (6, 4) if kwargs.get("axis") == 0 else (2, 8)
    ours = ga.fft.fft_wrap(getattr(np.fft, kind))(ga.asarray(data, chunks=chunks, backend="numpy"), **kwargs)
    theirs = da.fft.fft_wrap(getattr(np.fft, kind))(da.from_array(data, chunks=chunks), **kwargs)
    assert (ours.shape, ours.chunks, ours.dtype) == (theirs.shape, theirs.chunks, theirs.dtype)
    np.testing.assert_allclose(compute(ours), theirs.compute(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kind", MANY)
@pytest.mark.parametrize("kwargs", [{}, {"s": (4, 6)}, {"axes": (1, 0)},
                                    {"s": (5, 4), "axes": (0, 1), "norm": "forward"}])
def test_many_axes_kinds_are_numpys(kind, kwargs):
    data = _data(kind)
    ours = ga.fft.fft_wrap(getattr(np.fft, kind))(ga.asarray(data, chunks=3, backend="numpy"), **kwargs)
    want = getattr(np.fft, kind)(data, **kwargs)
    assert ours.shape == want.shape and ours.dtype == want.dtype
    np.testing.assert_allclose(compute(ours), want, rtol=1e-10, atol=1e-10)
    theirs = da.fft.fft_wrap(getattr(np.fft, kind))(da.from_array(data, chunks=-1), **kwargs)
    np.testing.assert_allclose(compute(ours), theirs.compute(), rtol=1e-10, atol=1e-10)


def test_scipy_fft_and_kind_and_dtype():
    scipy_fft = pytest.importorskip("scipy.fft")
    x = ga.asarray(REAL.astype("float32"), chunks=(3, 8), backend="numpy")
    got = ga.fft.fft_wrap(scipy_fft.rfft)(x)
    assert got.dtype == np.complex64 == da.fft.fft_wrap(scipy_fft.rfft)(da.from_array(x.compute())).dtype
    np.testing.assert_allclose(compute(got), scipy_fft.rfft(REAL.astype("float32")), rtol=1e-5)
    renamed = ga.fft.fft_wrap(lambda a, n, axis, norm: np.fft.fft(a, n, axis, norm), kind="fft")
    got = renamed(ga.asarray(COMPLEX, chunks=2, backend="numpy"))
    np.testing.assert_allclose(compute(got), np.fft.fft(COMPLEX), rtol=1e-10)
    forced = ga.fft.fft_wrap(np.fft.fft, dtype="complex64")(ga.asarray(COMPLEX, backend="numpy"))
    assert forced.dtype == np.complex64


def test_bad_kinds_and_axes_raise_as_dask():
    for lib in (ga, da):
        with pytest.raises(ValueError):
            lib.fft.fft_wrap(np.fft.fft, kind="dct")
    with pytest.raises(ValueError, match="unknown kind"):
        ga.fft.fft_wrap(lambda a: a)
    with pytest.raises(ValueError, match="duplicate"):
        ga.fft.fft_wrap(np.fft.fftn)(ga.asarray(COMPLEX, backend="numpy"), axes=(0, 0))
    with pytest.raises(ValueError):
        da.fft.fft_wrap(np.fft.fftn)(da.from_array(COMPLEX), axes=(0, 0))


@pytest.mark.parametrize("call", [lambda m, x: m.fft.fft(x, n=0), lambda m, x: m.fft.rfft(x, n=-1),
                                  lambda m, x: m.fft.fftn(x, s=(0,), axes=(1,)),
                                  lambda m, x: m.fft.irfftn(x, s=(-2,), axes=(1,))])
def test_lengths_below_one_are_refused_when_called(call):
    # n=0 was taken as "not given" (the input's length) and n=-1 made a shape (4, -1): both failed at compute
    data = np.ones((4, 6))
    with pytest.raises(ValueError, match="Invalid number of FFT data points") as expected:
        call(np, data)
    with pytest.raises(ValueError, match="Invalid number of FFT data points") as got:
        call(ga, ga.asarray(data, chunks=(2, 6)))
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("kind", ["fftn", "rfftn", "irfftn"])
def test_a_length_of_minus_one_takes_the_whole_axis(kind):
    # NumPy 2: s[i] = -1 uses the whole axis; the array declared a length of -1
    data = np.random.default_rng(0).random((4, 6))
    data = data + 1j * data if kind == "irfftn" else data  # (array-api-strict's irfftn takes complex input only)
    got = getattr(ga.fft, kind)(ga.asarray(data, chunks=(2, 6)), s=(-1, 3), axes=(1, 0))
    expected = getattr(np.fft, kind)(data, s=(-1, 3), axes=(1, 0))
    assert got.shape == expected.shape
    np.testing.assert_allclose(compute(got), expected)
