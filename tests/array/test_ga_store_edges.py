"""Edge cases of the block writers (``to_npy_stack``, ``to_hdf5``, ``store``): blocks of length 0 and
unknown block lengths, compared with dask.array and NumPy."""

from __future__ import annotations

import importlib.util
import os

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

HAS_H5PY = importlib.util.find_spec("h5py") is not None
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


def _unknown():
    x = ga.from_array(np.arange(6.0), chunks=2)
    return x[x > 1]  # block lengths unknown (NaN)


@pytest.mark.parametrize("write", [
    lambda tmp: ga.to_npy_stack(str(tmp / "stack"), _unknown()),
    pytest.param(lambda tmp: ga.to_hdf5(str(tmp / "x.h5"), "/x", _unknown()),
                 marks=pytest.mark.skipif(not HAS_H5PY, reason="needs h5py")),
    lambda tmp: ga.store(_unknown(), np.zeros(4)),
    lambda tmp: ga.store(_unknown(), np.zeros(4), regions=(slice(0, 4),)),
    lambda tmp: ga.to_zarr(_unknown(), str(tmp / "x.zarr")),
], ids=["to_npy_stack", "to_hdf5", "store", "store-region", "to_zarr"])
def test_writers_name_unknown_block_lengths_and_write_nothing(tmp_path, write):
    # as dask: a ValueError pointing at compute_chunk_sizes()
    with pytest.raises(ValueError, match=r"unknown chunk sizes.*compute_chunk_sizes\(\)"):
        write(tmp_path)
    assert os.listdir(tmp_path) == []  # refused before any file or folder is made


@pytest.mark.skipif(not HAS_H5PY, reason="needs h5py")
def test_to_hdf5_an_unstorable_dtype_is_not_called_an_existing_dataset(tmp_path):
    import h5py

    path = str(tmp_path / "x.h5")
    dates = ga.from_array(np.arange(3).astype("M8[s]"))
    with pytest.raises(TypeError, match=r"cannot create dataset '/x'.*datetime64\[s\].*No conversion") as info:
        ga.to_hdf5(path, "/x", dates)
    assert "exists" not in str(info.value)
    assert not os.path.exists(path)  # the file this call created is removed
    with h5py.File(path, "w") as f:
        f["keep"] = np.arange(2)
    with pytest.raises(TypeError, match="cannot create dataset '/y'"):  # /x made first, then removed again
        ga.to_hdf5(path, {"/x": ga.from_array(np.arange(3.0)), "/y": dates})
    with h5py.File(path, "r") as f:
        assert list(f) == ["keep"]
    ga.to_hdf5(path, "/keep", ga.from_array(np.arange(2)))
    with pytest.raises(TypeError, match="'/keep'.*exists with another shape"):
        ga.to_hdf5(path, "/keep", ga.from_array(np.arange(3)))
