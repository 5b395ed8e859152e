"""Edge cases of the block writers (``to_npy_stack``, ``to_hdf5``, ``store``): unknown block lengths and dtypes
HDF5 cannot hold (blocks of length 0 of ``to_npy_stack``: test_npy_stack_dask.py)."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

import gpuscale.array as ga

HAS_H5PY = importlib.util.find_spec("h5py") is not None


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
