"""gpuscale.array's compress/extract and ravel_multi_index against NumPy and dask: in-memory conditions give
known lengths, NumPy's argument forms (an int shape, a shorter condition) and errors."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

X = np.arange(25).reshape((5, 5))


@pytest.mark.parametrize("condition", [np.array([True, False, True, False, True]), np.array([True, False]),
                                       [True, False], [0, 2, 0]])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_compress_with_an_in_memory_condition_has_a_known_length(condition, axis):
    ours = ga.compress(condition, ga.asarray(X, chunks=2), axis=axis)
    want = np.compress(condition, X, axis=axis)
    assert ours.shape == want.shape  # known at once, as dask's
    np.testing.assert_array_equal(compute(ours), want)
    np.testing.assert_array_equal(compute(ours), da.compress(condition, da.from_array(X, chunks=2), axis=axis))


def test_compress_with_a_lazy_condition_matches_numpy():
    condition = np.array([True, False, True, False, True])
    lazy = ga.asarray(condition.astype(int), chunks=3) > 0  # computed: not in memory
    np.testing.assert_array_equal(compute(ga.compress(lazy, ga.asarray(X, chunks=2), axis=1)),
                                  np.compress(condition, X, axis=1))


@pytest.mark.parametrize("condition", [np.array([True, False, True, False, True]),
                                       np.array([[True, False], [True, False]]), [[True, False], [True, False]],
                                       np.array([0, 3, 0, 1])])
def test_extract_takes_a_condition_shorter_than_arr_as_numpy(condition):
    ours = ga.extract(condition, ga.asarray(X, chunks=2))
    want = np.extract(condition, X)
    assert ours.shape == want.shape
    np.testing.assert_array_equal(compute(ours), want)
    np.testing.assert_array_equal(compute(ours), da.extract(condition, da.from_array(X, chunks=2)).compute())
    lazy = ga.extract(ga.asarray(np.asarray(condition), chunks=1), ga.asarray(X, chunks=2))
    np.testing.assert_array_equal(compute(lazy), want)


@pytest.mark.parametrize("arr, chunks, kwargs", [
    ([[3, 6, 6]], (1, 1), {"dims": 7}),
    ([[3, 6, 6], [4, 5, 1]], 1, {"dims": (4, 6), "mode": "clip"}),
    ([[3, 6, 6], [4, 5, 1]], (2, 1), {"dims": (7, 6), "order": "F"}),
])
def test_ravel_multi_index_forms_as_numpy(arr, chunks, kwargs):
    arr = np.asarray(arr)
    want = np.ravel_multi_index(arr, **kwargs)
    for given in (arr, ga.asarray(arr, chunks=chunks)):
        np.testing.assert_array_equal(compute(ga.ravel_multi_index(given, **kwargs)), want)
    np.testing.assert_array_equal(want, da.ravel_multi_index(da.from_array(arr, chunks=chunks), **kwargs).compute())


def test_ravel_multi_index_refuses_float_indices_as_numpy():
    with pytest.raises(TypeError, match="only int indices permitted"):
        ga.ravel_multi_index((1.0, 2), (5, 10))
    with pytest.raises(TypeError):
        np.ravel_multi_index((np.array(1.0), 2), (5, 10))


def test_ravel_multi_index_of_unknown_rows_names_the_cause():
    m = ga.asarray(np.array([[3, 6, 6], [4, 5, 1], [-1, -1, -1]]), chunks=1)
    m = m[ga.all(m > 0, axis=1)]
    assert np.isnan(m.shape[0])
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        ga.ravel_multi_index(m, dims=(7, 6))
    np.testing.assert_array_equal(compute(ga.ravel_multi_index(m.compute_chunk_sizes(), dims=(7, 6))),
                                  np.ravel_multi_index(np.array([[3, 6, 6], [4, 5, 1]]), dims=(7, 6)))
