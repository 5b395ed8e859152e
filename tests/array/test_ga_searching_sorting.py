"""Searching, sorting, set functions and diff against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(5)
DATA = RNG.integers(0, 6, size=(7, 5))


def arr() -> ga.Array:
    return ga.from_array(DATA, chunks=(3, 2))


def test_nonzero() -> None:
    out = ga.nonzero(arr())  # in-memory input: evaluated at once, so the length is known
    assert len(out) == 2 and out[0].shape == (np.count_nonzero(DATA),)
    lazy = ga.nonzero(arr() + 0)
    assert np.isnan(lazy[0].shape[0])
    for got, want in zip(lazy, np.nonzero(DATA)):
        np.testing.assert_array_equal(compute(got), want)
    for got, want in zip(out, np.nonzero(DATA)):
        np.testing.assert_array_equal(compute(got), want)


@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(side: str) -> None:
    sorted_data = np.sort(RNG.integers(0, 20, size=30))
    values = RNG.integers(-2, 22, size=(4, 3))
    got = ga.searchsorted(ga.from_array(sorted_data, chunks=7), ga.from_array(values, chunks=2), side=side)
    assert_same(got, np.searchsorted(sorted_data, values, side=side))


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_argsort(axis: int, descending: bool) -> None:
    data = RNG.normal(size=(7, 5))
    x = ga.from_array(data, chunks=(3, 2))
    want = np.sort(data, axis=axis)
    want = np.flip(want, axis=axis) if descending else want
    assert_same(ga.sort(x, axis=axis, descending=descending), want)
    order = compute(ga.argsort(x, axis=axis, descending=descending))
    np.testing.assert_array_equal(np.take_along_axis(data, order, axis=axis), want)


def test_unique_functions() -> None:
    values = compute(ga.unique_values(arr()))
    np.testing.assert_array_equal(values, np.unique(DATA))
    counts = ga.unique_counts(arr())
    np.testing.assert_array_equal(compute(counts.counts), np.unique(DATA, return_counts=True)[1])
    inverse = ga.unique_inverse(arr())
    assert inverse.inverse_indices.shape == DATA.shape
    np.testing.assert_array_equal(compute(inverse.values)[compute(inverse.inverse_indices)], DATA)
    result = ga.unique_all(arr())
    np.testing.assert_array_equal(compute(result.indices), np.unique(DATA, return_index=True)[1])


@pytest.mark.parametrize("n,axis", [(1, 0), (2, 1), (1, -1)])
def test_diff(n: int, axis: int) -> None:
    assert_same(ga.diff(arr(), n=n, axis=axis), np.diff(DATA, n=n, axis=axis))
    assert_same(ga.diff(arr(), axis=0, prepend=ga.zeros((1, 5), dtype=ga.int64)),
                np.diff(DATA, axis=0, prepend=np.zeros((1, 5), dtype=np.int64)))


@pytest.mark.parametrize("dtype", ["float64", "uint8", "bool"])
@pytest.mark.parametrize("n", [1, 2, 9])
@pytest.mark.parametrize("chunks", [(3, 2), ((2, 0, 3, 2), (5,))])
def test_diff_keeps_the_blocks_of_the_axis_as_dask(dtype: str, n: int, chunks: tuple) -> None:
    # the axis is not joined into one block (which would hold it whole): x[1:] - x[:-1], n times, as dask's
    import dask.array as da

    data = DATA.astype(dtype)
    result = ga.diff(ga.from_array(data, chunks=chunks), n=n, axis=0)
    assert_same(result, np.diff(data, n=n, axis=0))
    assert result.chunks == da.diff(da.from_array(DATA, chunks=chunks), n=n, axis=0).chunks
    assert max(result.chunks[0], default=0) <= max(ga.from_array(data, chunks=chunks).chunks[0])


@pytest.mark.parametrize("values", [["foo", "bar", "", "x"], [1, 0, None, "", 3.5]])
def test_count_nonzero_of_strings_and_objects_counts_truth_as_numpy(values: list, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("strings and objects are NumPy chunks only")
    a = np.array(values, dtype=object if None in values else None)
    assert int(ga.count_nonzero(ga.from_array(a, chunks=2))) == np.count_nonzero(a)
