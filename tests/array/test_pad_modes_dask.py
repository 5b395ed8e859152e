"""``pad``: every mode of ``numpy.pad`` against NumPy (values, dtype, NumPy's rounds for wide reflections and
wraps) and dask.array (the blocks of the padding, the keyword checks)."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.testing import assert_eq

MODES = ["constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect", "symmetric",
         "wrap"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, bool])
@pytest.mark.parametrize("widths", [(1, 3), ((3, 1), (0, 0), (2, 0)), 9])
def test_modes_as_numpy(mode, dtype, widths):
    data = (np.arange(2 * 3 * 4).reshape(2, 3, 4) * 7 % 11).astype(dtype)
    with np.errstate(all="ignore"):  # NumPy's own ramp of a bool array divides by zero-length steps
        expected = np.pad(data, widths, mode=mode)
    assert_eq(ga.pad(ga.from_array(data, chunks=(1, 2, 3)), widths, mode=mode), expected)


@pytest.mark.parametrize("mode, kwargs", [
    ("reflect", {"reflect_type": "odd"}), ("symmetric", {"reflect_type": "odd"}),
    ("mean", {"stat_length": 2}), ("median", {"stat_length": ((1, 2), (3, 1))}), ("maximum", {"stat_length": 9}),
    ("linear_ramp", {"end_values": (5, -2)}), ("constant", {"constant_values": ((1, 2), (3, 4))}),
])
@pytest.mark.parametrize("widths", [(2, 3), 13])
def test_mode_keywords_as_numpy(mode, kwargs, widths):
    data = np.arange(30).reshape(5, 6) % 7 - 3
    assert_eq(ga.pad(ga.from_array(data, chunks=(2, 4)), widths, mode=mode, **kwargs),
              np.pad(data, widths, mode=mode, **kwargs))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap", "mean"])
def test_blocks_as_dask(mode):
    data = np.arange(100.0).reshape(10, 10)
    got = ga.pad(ga.from_array(data, chunks=(3, 4)), ((2, 6), (1, 0)), mode=mode)
    ref = da.pad(da.from_array(data, chunks=(3, 4)), ((2, 6), (1, 0)), mode=mode)
    assert got.chunks == ref.chunks  # the array keeps its blocks: nothing is gathered into one
    assert_eq(got, ref.compute())


def test_empty_mode_shape_and_dtype():
    got = ga.pad(ga.ones((3, 4), chunks=2, dtype="int32"), ((1, 2), (0, 3)), mode="empty")
    assert got.shape == (6, 7) and got.dtype == np.int32
    assert_eq(got[1:4, :4], np.ones((3, 4), dtype="int32"))


@pytest.mark.parametrize("kwargs", [{}, {"scale": 3}])
def test_function_mode(backend, kwargs):
    if backend != "numpy":
        pytest.skip("a mode= function writes NumPy-style views in place (NumPy and CuPy lines)")
    def fill(vector, width, axis, options):
        vector[:width[0]] = -options.get("scale", 1) * (axis + 1)
        vector[vector.shape[0] - width[1]:] = options.get("scale", 1) * width[1]

    data = np.random.default_rng(1).random((10, 11))
    got = ga.pad(ga.from_array(data, chunks=(4, 5)), ((1, 2), (2, 3)), mode=fill, **kwargs)
    assert_eq(got, np.pad(data, ((1, 2), (2, 3)), mode=fill, **kwargs))
    assert got.chunks == da.pad(da.from_array(data, chunks=(4, 5)), ((1, 2), (2, 3)), mode=fill, **kwargs).chunks


def test_constant_values_of_other_kinds(backend):
    if backend != "numpy":
        pytest.skip("datetime64 blocks are NumPy's only")
    days = np.array(["2000-01-01", "2000-01-02"], dtype="datetime64[ns]")
    assert_eq(ga.pad(ga.from_array(days, chunks=1), 1, constant_values=np.datetime64("1972-01-01")),
              np.pad(days, 1, constant_values=np.datetime64("1972-01-01")))
    assert_eq(ga.pad(ga.arange(4, chunks=2), 2, constant_values=np.array(-1)),
              np.pad(np.arange(4), 2, constant_values=np.array(-1)))


def test_bad_arguments():
    x = ga.arange(4, chunks=2)
    with pytest.raises(ValueError, match="mode 'nearest' is not supported"):
        ga.pad(x, 1, mode="nearest")
    with pytest.raises(ValueError, match="unsupported keyword arguments for mode 'edge'"):
        ga.pad(x, 1, mode="edge", constant_values=3)
    with pytest.raises(ValueError, match="stat_length of 0"):
        ga.pad(x, 1, mode="mean", stat_length=0)
    with pytest.raises(ValueError, match="reflect_type"):
        ga.pad(x, 1, mode="reflect", reflect_type="other")
    with pytest.raises(ValueError, match="negative"):
        ga.pad(x, -1)
    with pytest.raises(ValueError, match="empty axis"):
        ga.pad(ga.zeros((0, 3)), 1, mode="edge")
