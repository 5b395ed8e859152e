"""Boolean masks next to basic indices on either side, and empty-list indices, against NumPy and dask."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from tests.array.array_helpers import assert_same, compute

ROW_MASK = np.array([True, True, False, True, False, False])
GRID_MASK = np.random.default_rng(1).random((6, 6)) > 0.5


@pytest.mark.parametrize("key, dask_does", [
    ((ROW_MASK, slice(2, 8, 1)), True),
    ((slice(1, 9, 2), ROW_MASK), True),
    ((ROW_MASK, 2), True),
    ((0, ROW_MASK), True),
    ((None, ROW_MASK, slice(1, 3)), False),  # dask refuses these two (unknown lengths, too many indices)
    ((slice(1, 3), None, ROW_MASK), False),
])
def test_a_lazy_mask_with_basic_indices_selects_as_numpy(key, dask_does):
    values = np.arange(36).reshape(6, 6)
    lazy_key = tuple(ga.asarray(k, chunks=2) if isinstance(k, np.ndarray) else k for k in key)
    got = ga.asarray(values, chunks=3)[lazy_key]
    dask_key = tuple(da.from_array(k, chunks=2) if isinstance(k, np.ndarray) else k for k in key)
    np.testing.assert_array_equal(compute(got), values[key])
    if dask_does:
        np.testing.assert_array_equal(compute(got), da.from_array(values, chunks=3)[dask_key].compute())


@pytest.mark.parametrize("key", [(slice(1, 2), GRID_MASK), (1, GRID_MASK), (slice(None), GRID_MASK, None)])
def test_a_two_dimensional_mask_after_basic_indices(key):
    values = np.arange(72).reshape(2, 6, 6)
    lazy_key = tuple(ga.asarray(k, chunks=3) if isinstance(k, np.ndarray) else k for k in key)
    np.testing.assert_array_equal(compute(ga.asarray(values, chunks=3)[lazy_key]), values[key])


@pytest.mark.parametrize("key", [([], slice(None, 3), slice(None, 2)), (slice(None, 3), [], slice(None, 2)),
                                 (slice(None, 3), slice(None, 2), [])])
def test_an_empty_list_selects_nothing_as_numpy(key):
    values = np.ones((5, 5, 5), dtype="i4")
    got = ga.asarray(values, chunks=2)[key]
    assert got.shape == da.from_array(values, chunks=2)[key].shape
    assert_same(got, values[key])


@pytest.mark.parametrize("key", [slice(None), Ellipsis, slice(0, None, 1), slice(0, 24), (slice(None), slice(0, 16))])
def test_a_key_that_selects_everything_gives_the_array_itself_as_dask(key):
    ours = ga.ones((24, 16), chunks=((4, 8, 8, 4), (2, 6, 6, 2)))
    theirs = da.ones((24, 16), chunks=((4, 8, 8, 4), (2, 6, 6, 2)))
    assert ours[key] is ours
    assert theirs[key] is theirs


@pytest.mark.parametrize("key", [slice(1, None), slice(None, None, -1), (slice(None), slice(None, None, 2)), None])
def test_a_key_that_selects_less_or_reorders_is_a_new_array(key):
    ours = ga.arange(24, chunks=5).reshape(4, 6)
    assert ours[key] is not ours
    assert_same(ours[key], np.arange(24).reshape(4, 6)[key])
