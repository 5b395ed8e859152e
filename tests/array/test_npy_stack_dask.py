"""to_npy_stack / from_npy_stack: dask.array's folder of one ``.npy`` file per block along an axis, written
and read by either library."""

from __future__ import annotations

import os

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

VALUES = np.arange(5 * 10 * 10).reshape((5, 10, 10))


SMALL = np.arange(5 * 4, dtype="float64").reshape(5, 4)


@pytest.mark.parametrize("values, chunks, axis", [
    (VALUES, (2, 4, 4), 0), (VALUES, (2, 4, 4), 1), (VALUES, (2, 4, 4), 2),
    # blocks of length 0 along the axis: two blocks shared a file and the write failed
    (SMALL, ((0, 2, 0, 3), (4,)), 0), (SMALL, ((0, 0, 5), (2, 2)), 0), (SMALL, ((5,), (0, 1, 0, 3, 0)), 1)])
def test_stack_files_hold_the_blocks_along_the_axis_as_dask(tmp_path, values, chunks, axis):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ga.to_npy_stack(str(ours), ga.from_array(values, chunks=chunks), axis=axis)
    da.to_npy_stack(str(theirs), da.from_array(values, chunks=chunks), axis=axis)
    assert sorted(os.listdir(ours)) == sorted(os.listdir(theirs))
    for name in os.listdir(theirs):
        if name.endswith(".npy"):
            np.testing.assert_array_equal(np.load(ours / name), np.load(theirs / name))
    back = ga.from_npy_stack(str(ours))
    assert back.chunks == da.from_npy_stack(str(theirs)).chunks
    assert_same(back, values)


def test_stacks_written_by_one_library_load_in_the_other(tmp_path):
    da.to_npy_stack(str(tmp_path / "theirs"), da.from_array(VALUES, chunks=(2, 4, 4)))
    assert_same(ga.from_npy_stack(str(tmp_path / "theirs")), VALUES)
    ga.to_npy_stack(str(tmp_path / "ours"), ga.asarray(VALUES.astype("f4"), chunks=(3, 10, 5)))
    theirs = da.from_npy_stack(str(tmp_path / "ours"))
    assert theirs.dtype == np.float32 and theirs.chunks == ((3, 2), (10,), (10,))
    np.testing.assert_array_equal(theirs.compute(), VALUES.astype("f4"))


def test_from_npy_stack_maps_numpy_blocks_unless_told_not_to(tmp_path):
    ga.to_npy_stack(str(tmp_path), ga.asarray(VALUES, chunks=2, device="cpu"))
    mapped = ga.from_npy_stack(str(tmp_path), backend="numpy").blocks[0].compute()
    assert isinstance(mapped, np.memmap)
    read = ga.from_npy_stack(str(tmp_path), mmap_mode=None, backend="numpy").blocks[0].compute()
    assert not isinstance(read, np.memmap)
    np.testing.assert_array_equal(read, VALUES[:2])


def test_a_negative_axis_counts_from_the_end(tmp_path):
    # (dask compares the axis with non-negative positions, so axis=-1 joins every block into one file)
    ga.to_npy_stack(str(tmp_path), ga.asarray(VALUES, chunks=(2, 4, 4)), axis=-1)
    assert sorted(os.listdir(tmp_path)) == ["0.npy", "1.npy", "2.npy", "info"]
    assert ga.from_npy_stack(str(tmp_path)).chunks == ((5,), (10,), (4, 4, 2))


def _failing_from(values: np.ndarray, start: float):
    """``values`` as an array whose blocks from ``start`` on raise ZeroDivisionError when computed."""
    return ga.asarray(values, chunks=4).map_blocks(lambda b: b if b[0] < start else 1 / 0, dtype=values.dtype)


def test_a_failed_block_leaves_no_files(tmp_path):
    with pytest.raises(ZeroDivisionError):
        ga.to_npy_stack(str(tmp_path / "stack"), _failing_from(np.arange(20.0), 8))
    assert os.listdir(tmp_path) == []  # neither the stack's first blocks nor a temporary folder


def test_a_failed_block_leaves_an_existing_stack_as_it_was(tmp_path):
    path = tmp_path / "stack"
    ga.to_npy_stack(str(path), ga.asarray(np.arange(10.0), chunks=5))
    (path / "mine.txt").write_text("kept")
    with pytest.raises(ZeroDivisionError):
        ga.to_npy_stack(str(path), _failing_from(-np.arange(20.0), -8))
    assert sorted(os.listdir(path)) == ["0.npy", "1.npy", "info", "mine.txt"]
    assert os.listdir(tmp_path) == ["stack"]
    assert_same(ga.from_npy_stack(str(path)), np.arange(10.0))
    ga.to_npy_stack(str(path), ga.asarray(-np.arange(6.0), chunks=2))  # a new stack replaces it, as dask's
    assert_same(ga.from_npy_stack(str(path)), -np.arange(6.0))
    assert (path / "mine.txt").read_text() == "kept"


def test_a_file_that_is_not_npy_names_the_file(tmp_path):
    # NumPy's error ("This file contains pickled (object) data ...", "Failed to interpret file ...") named no
    # file; now the same error type names it and its block
    path = tmp_path / "stack"
    ga.to_npy_stack(str(path), ga.asarray(np.arange(40.0), chunks=10))
    (path / "2.npy").write_bytes(b"garbage")
    with pytest.raises(Exception) as expected:
        np.load(path / "2.npy", mmap_mode="r", allow_pickle=False)
    bad = str(path / "2.npy")
    with pytest.raises(type(expected.value), match=f"cannot read '{bad}' \\(block 2 of the stack\\): ") as got:
        ga.from_npy_stack(str(path)).sum().compute()
    assert str(expected.value) in str(got.value)
    assert_same(ga.from_npy_stack(str(path))[:20], np.arange(20.0))
