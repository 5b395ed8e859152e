"""Writing a Zarr array from a computation that reads the same array is refused when the write is built
(it gave wrong values silently: dask has the same hazard); persisted data, or another array, may be written."""

from __future__ import annotations

import os

import numpy as np
import pytest

import gpuscale.array as ga

zarr = pytest.importorskip("zarr")


@pytest.fixture()
def path(tmp_path):
    p = str(tmp_path / "x.zarr")
    ga.to_zarr(ga.from_array(np.arange(4.0), chunks=2), p)
    return p


def _values(p):
    return zarr.open_array(p, mode="r")[:]


def test_to_zarr_overwrite_refuses_reading_the_array_it_replaces(path):
    with pytest.raises(ValueError, match="reads the array it writes: compute or persist it first"):
        ga.to_zarr(ga.from_zarr(path) + 1, path, overwrite=True)
    np.testing.assert_array_equal(_values(path), np.arange(4.0))  # nothing deleted or written


def test_store_and_region_refuse_reading_the_target(path):
    with pytest.raises(ValueError, match="reads the array it writes"):
        ga.store(ga.from_zarr(path)[::-1] * 10, zarr.open_array(path, mode="r+"))
    with pytest.raises(ValueError, match="reads the array it writes"):
        ga.to_zarr(ga.from_zarr(path)[:2], zarr.open_array(path, mode="r+"), region=(slice(2, 4),))
    np.testing.assert_array_equal(_values(path), np.arange(4.0))


def test_persisted_or_other_arrays_are_written_as_numpy_computes(path, tmp_path):
    ga.store((ga.from_zarr(path)[::-1] * 10).persist(), zarr.open_array(path, mode="r+"))
    np.testing.assert_array_equal(_values(path), np.arange(4.0)[::-1] * 10)
    other = str(tmp_path / "y.zarr")
    ga.to_zarr(ga.from_zarr(path) + 1, other)
    np.testing.assert_array_equal(_values(other), np.arange(4.0)[::-1] * 10 + 1)
    ga.to_zarr(ga.from_zarr(other).persist() - 1, other, overwrite=True)
    np.testing.assert_array_equal(_values(other), np.arange(4.0)[::-1] * 10)
    assert sorted(os.listdir(tmp_path)) == ["x.zarr", "y.zarr"]
