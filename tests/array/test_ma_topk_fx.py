"""gpuscale.array.ma: topk/argtopk of masked arrays rank masked elements after every unmasked one (numpy.ma
sorts them last), whichever the direction."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga


@pytest.fixture(autouse=True)
def backend():
    """Masked arrays are NumPy's (array-api-strict and CuPy have none): NumPy chunks only."""
    with gpuscale.config.set(backend="numpy", scheduler="sync"):
        yield "numpy"


def _expected_order(data, mask, k):
    # numpy.ma's order: unmasked values best first (stable), masked ones after them
    keys = -data if k > 0 else data
    order = np.lexsort((np.arange(data.size), keys, mask))
    return order[:abs(k)]


@pytest.mark.parametrize("chunks", [2, 3, 6])
@pytest.mark.parametrize("k", [1, 2, 4, -2, -4])
def test_masked_topk_ranks_masked_last(chunks, k):
    data = np.array([5.0, 1.0, 9.0, 3.0, 7.0, 2.0])
    mask = np.array([0, 0, 1, 0, 1, 0], bool)
    x = ga.ma.masked_array(ga.from_array(data, chunks=chunks), mask=mask)
    order = _expected_order(data, mask, k)
    m = np.ma.masked_array(data, mask)
    got = ga.topk(x, k).compute()
    np.testing.assert_array_equal(np.ma.getmaskarray(got), mask[order])
    np.testing.assert_array_equal(got.data[~mask[order]], data[order][~mask[order]])
    np.testing.assert_array_equal(x.topk(k).compute().data[~mask[order]], m.data[order][~mask[order]])
    np.testing.assert_array_equal(ga.argtopk(x, k).compute(), order)
    np.testing.assert_array_equal(x.argtopk(k).compute(), order)


def test_masked_topk_masked_loses_to_nan_and_integer_extremes():
    f = np.array([np.nan, 1.0, 2.0, 0.5])
    x = ga.ma.masked_array(ga.from_array(f, chunks=2), mask=[0, 0, 1, 0])
    np.testing.assert_array_equal(ga.argtopk(x, 3).compute(), [0, 1, 3])
    big = np.iinfo(np.int64).max
    i = np.array([big, 3, big, 1])
    y = ga.ma.masked_array(ga.from_array(i, chunks=2), mask=[1, 0, 0, 0])
    np.testing.assert_array_equal(ga.argtopk(y, 3).compute(), [2, 1, 3])
    np.testing.assert_array_equal(ga.argtopk(y, -4).compute(), [3, 1, 2, 0])


def test_masked_topk_along_axis_0():
    data = np.array([[4, 1], [8, 6], [2, 9]])
    mask = np.array([[0, 0], [1, 0], [0, 1]], bool)
    x = ga.ma.masked_array(ga.from_array(data, chunks=(2, 1)), mask=mask)
    got = ga.argtopk(x, 2, axis=0).compute()
    np.testing.assert_array_equal(got, [[0, 1], [2, 0]])
    np.testing.assert_array_equal(ga.topk(x, 2, axis=0).compute().data, [[4, 6], [2, 1]])


@pytest.mark.parametrize("axis", [0, 1])
def test_masked_argsort_keeps_numpy_ma_order(axis):
    rng = np.random.default_rng(0)
    m = np.ma.masked_array(rng.integers(0, 4, (5, 6)), mask=rng.random((5, 6)) < 0.4)
    x = ga.from_array(m, chunks=2)
    np.testing.assert_array_equal(ga.argsort(x, axis=axis).compute(), m.argsort(axis=axis, kind="stable"))
    got = ga.argsort(x, axis=axis, descending=True).compute()
    ranked = np.take_along_axis(np.ma.getmaskarray(m), got, axis=axis)
    assert not (np.diff(ranked.astype(int), axis=axis) < 0).any()  # masked ones last
