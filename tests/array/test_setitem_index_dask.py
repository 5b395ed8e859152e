"""x[key] = value with one 1-d integer or boolean index among basic indices, against NumPy and dask."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from tests.array.array_helpers import assert_same

CASES = [
    ((slice(None), [3, 5, 6]), [-30, -31, -32]),
    (([-1, 0, 1], 2), [-30, -31, -32]),
    ((slice(None), [9, 8, 8]), [-80, -81, 91]),  # a repeated position takes the last value
    (([True, False, False, False, True, False], 2), -1),
    ((3, [True, True, False, True, True, False, True, False, True, True]), -1),
    ((np.array([False, False, True, True, False, False]), slice(5, 7)), -1),
    (([0, 2], slice(1, 9, 3)), [[1, 2, 3], [4, 5, 6]]),
    ((slice(None), [0, 0, 1]), np.arange(18).reshape(6, 3)),
    ([4, 1], 7.5),  # cast to the array's integer dtype, as NumPy
]


@pytest.mark.parametrize("key, value", CASES)
def test_setitem_with_one_index_array_as_numpy_and_dask(key, value):
    expected = np.arange(60).reshape(6, 10)
    ours = ga.asarray(expected, chunks=(3, 4))
    theirs = da.from_array(expected, chunks=(3, 4))
    ours[key] = value
    theirs[key] = value
    expected[key] = value
    assert ours.chunks == ((3, 3), (4, 4, 2))
    assert_same(ours, expected)
    assert_same(ours, theirs.compute())


@pytest.mark.parametrize("key", [[0], [True, False]])
def test_setitem_keeps_the_dtype(key):
    ours = ga.asarray(np.array([1, 2], dtype=np.int32))
    ours[key] = 3.3
    assert_same(ours, np.array([3, 2], dtype=np.int32))


def test_setitem_refuses_what_it_cannot_do_with_the_cause():
    ours = ga.zeros((4, 4), chunks=2)
    with pytest.raises(IndexError, match="out of bounds for axis 0"):
        ours[[0, 4], :] = 1
    with pytest.raises(IndexError, match="does not match axis 1"):
        ours[:, [True, False]] = 1
    with pytest.raises(NotImplementedError, match="more than one integer or boolean array"):  # as dask
        ours[[0, 1], [0, 1]] = 1
    with pytest.raises(NotImplementedError):
        da.zeros((4, 4), chunks=2)[[0, 1], [0, 1]] = 1
    with pytest.raises(IndexError, match="integer or boolean type"):
        ours[ga.zeros(4, chunks=2)] = 1


@pytest.mark.parametrize("key, value", [
    (([True, True, False, False], 0), [2, 3, 4]),
    ((0, [True, True, True, False]), [1, 2, 3, 4, 5]),
    (np.array([True, True, True, False, True, True, True, False]), [1, 2]),
])
def test_setitem_value_of_the_wrong_length_raises_as_numpy_and_dask(key, value):
    shape = (8,) if isinstance(key, np.ndarray) else (4, 4)
    with pytest.raises(ValueError):
        np.ones(shape)[key] = value
    with pytest.raises(ValueError):
        da.ones(shape, chunks=2)[key] = value
    with pytest.raises(ValueError):
        ga.ones(shape, chunks=2)[key] = value


def test_a_lazy_mask_takes_one_value():
    ours = ga.arange(8, chunks=3)
    with pytest.raises(ValueError, match="takes one value"):
        ours[ours > 2] = ours
    ours[ours > 2] = -1
    assert_same(ours, np.where(np.arange(8) > 2, -1, np.arange(8)))
