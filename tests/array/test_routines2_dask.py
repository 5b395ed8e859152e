"""roll, squeeze, moveaxis and friends against NumPy and dask (the dask.array signatures users port)."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

X = np.arange(24).reshape(4, 6)


@pytest.mark.parametrize("shift, axis", [(3, None), (-7, None), (9, 1), (3, (0, 1)), ((3, 9), (1, 0))])
def test_roll_matches_numpy_and_dask(shift, axis):
    got = ga.roll(ga.asarray(X, chunks=(2, 4)), shift, axis)
    assert_same(got, np.roll(X, shift, axis))
    got = compute(got)
    if not (isinstance(axis, tuple) and isinstance(shift, int)):  # dask refuses one shift for several axes
        np.testing.assert_array_equal(got, da.roll(da.from_array(X, chunks=(2, 4)), shift, axis).compute())


def test_roll_tuple_shift_without_axis_raises_like_dask():
    with pytest.raises(TypeError):
        da.roll(da.from_array(X), (3, 9))
    with pytest.raises(TypeError, match="shift must be an integer"):
        ga.roll(ga.asarray(X), (3, 9))


def test_roll_returns_a_new_array_even_without_a_shift():
    x = ga.arange(2, 3)
    y = ga.roll(x, 1)
    assert y is not x
    assert_same(y, np.roll(np.arange(2, 3), 1))


@pytest.mark.parametrize("method", [True, False])
def test_squeeze_default_removes_all_unit_axes(method):
    a = np.arange(10)[None, :, None, None]
    d = ga.asarray(a, chunks=(1, 3, 1, 1))
    got = d.squeeze() if method else ga.squeeze(d)
    assert got.shape == np.squeeze(a).shape
    assert got.chunks == da.squeeze(da.from_array(a, chunks=(1, 3, 1, 1))).chunks
    assert_same(got, np.squeeze(a))


def test_moveaxis_takes_keywords():
    a = np.zeros((2, 3, 4))
    got = ga.moveaxis(ga.asarray(a), source=0, destination=-1)
    assert got.shape == np.moveaxis(a, source=0, destination=-1).shape
