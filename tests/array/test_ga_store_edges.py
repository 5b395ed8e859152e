"""Edge cases of the block writers (``to_npy_stack``, ``to_hdf5``, ``store``): blocks of length 0 and
unknown block lengths, compared with dask.array and NumPy."""

from __future__ import annotations

import os

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

VALUES = np.arange(5 * 4, dtype="float64").reshape(5, 4)


@pytest.mark.parametrize("chunks, axis", [(((0, 2, 0, 3), (4,)), 0), (((0, 0, 5), (2, 2)), 0),
                                          (((5,), (0, 1, 0, 3, 0)), 1)])
def test_to_npy_stack_writes_one_file_per_block_of_length_zero_too(tmp_path, chunks, axis):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ga.to_npy_stack(str(ours), ga.from_array(VALUES, chunks=chunks), axis=axis)
    da.to_npy_stack(str(theirs), da.from_array(VALUES, chunks=chunks), axis=axis)
    assert sorted(os.listdir(ours)) == sorted(os.listdir(theirs))
    for name in os.listdir(theirs):
        if name.endswith(".npy"):
            np.testing.assert_array_equal(np.load(ours / name), np.load(theirs / name))
    back = ga.from_npy_stack(str(ours))
    assert back.chunks == da.from_npy_stack(str(theirs)).chunks
    assert_same(back, VALUES)
