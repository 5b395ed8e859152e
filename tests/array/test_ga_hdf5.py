"""``to_hdf5`` against dask.array's on the same data (h5py reads both files back).  Runs on NumPy chunks and
on array-api-strict ``device1`` chunks (tests/array/conftest.py): blocks reach the file through an explicit
host copy.  A write that fails leaves neither a half-written dataset nor a new file behind."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga

h5py = pytest.importorskip("h5py")

DATA = np.arange(10 * 12, dtype="float64").reshape(10, 12) / 7


def _read(path, name):
    with h5py.File(path, "r") as f:
        return f[name][()], f[name].chunks, f[name].compression


def test_single_dataset_matches_dask(tmp_path):
    ours, theirs = tmp_path / "ours.h5", tmp_path / "dask.h5"
    ga.to_hdf5(ours, "/group/x", ga.asarray(DATA, chunks=(4, 5)), compression="gzip")
    da.to_hdf5(theirs, "/group/x", da.from_array(DATA, chunks=(4, 5)), compression="gzip")
    got, want = _read(ours, "/group/x"), _read(theirs, "/group/x")
    np.testing.assert_array_equal(got[0], want[0])
    assert got[1:] == want[1:] == ((4, 5), "gzip")


def test_dictionary_form_method_form_and_explicit_chunks(tmp_path):
    path = tmp_path / "data.h5"
    x, y = ga.asarray(DATA, chunks=(5, 6)), ga.asarray(DATA.astype("int32"), chunks=(3, 12))
    ga.to_hdf5(path, {"/x": x, "/y": y}, chunks=(2, 2))
    (x + 1).to_hdf5(path, "/z")  # appends to the same file
    with h5py.File(path, "r") as f:
        assert sorted(f) == ["x", "y", "z"]
        np.testing.assert_array_equal(f["x"][()], DATA)
        assert f["y"].dtype == np.int32 and f["x"].chunks == f["y"].chunks == (2, 2)
        np.testing.assert_array_equal(f["z"][()], DATA + 1)
        assert f["z"].chunks == (5, 6)


def test_an_existing_dataset_of_the_same_shape_is_rewritten_and_another_shape_is_refused(tmp_path):
    path = tmp_path / "data.h5"
    ga.to_hdf5(path, "/x", ga.asarray(DATA, chunks=(4, 5)))
    ga.to_hdf5(path, "/x", ga.asarray(DATA * 2, chunks=(4, 5)))
    np.testing.assert_array_equal(_read(path, "/x")[0], DATA * 2)
    with pytest.raises(TypeError, match="'/x'.*another shape or dtype"):
        ga.to_hdf5(path, "/x", ga.asarray(DATA[:5], chunks=(4, 5)))
    np.testing.assert_array_equal(_read(path, "/x")[0], DATA * 2)


def _failing(x):
    def fail(block):
        if block.shape[0] < 4:  # the last row of blocks
            raise RuntimeError("bad block")
        return block
    return x.map_blocks(fail, dtype=x.dtype)


def test_a_failed_write_removes_the_datasets_it_created_and_keeps_the_others(tmp_path):
    path = tmp_path / "data.h5"
    ga.to_hdf5(path, "/kept", ga.asarray(DATA, chunks=(4, 5)))
    with pytest.raises(RuntimeError, match="bad block"):
        ga.to_hdf5(path, {"/new": _failing(ga.asarray(DATA, chunks=(4, 5)))})
    with h5py.File(path, "r") as f:
        assert list(f) == ["kept"]
        np.testing.assert_array_equal(f["kept"][()], DATA)


def test_a_failed_write_into_a_new_file_leaves_no_file(tmp_path):
    path = tmp_path / "new.h5"
    with pytest.raises(RuntimeError, match="bad block"):
        ga.to_hdf5(path, "/x", _failing(ga.asarray(DATA, chunks=(4, 5))))
    assert not path.exists()


def test_empty_arrays_and_bad_arguments(tmp_path):
    path = tmp_path / "data.h5"
    ga.to_hdf5(path, "/empty", ga.asarray(np.zeros((0, 3))))
    assert _read(path, "/empty")[0].shape == (0, 3)
    with pytest.raises(ValueError, match="dataset path and an array"):
        ga.to_hdf5(path, ga.asarray(DATA))
    with pytest.raises(ValueError, match="dataset path and an array"):
        ga.to_hdf5(path, "/x", DATA)  # a NumPy array is not a gpuscale array
