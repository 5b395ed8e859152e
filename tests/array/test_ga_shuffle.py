"""``shuffle`` (function and method) against dask.array's on the same data: the values (NumPy's ``take``),
dask's blocks along the axis and along the other axes, the no-op and dask's errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
DATA = np.arange(24).reshape(8, 3).T.copy()


@pytest.mark.parametrize("indexer", [
    [[1, 5, 6], [0, 2, 3, 4, 7]], [[1, 5, 6], [0, 3], [4, 2, 7]], [[1], [0, 6, 5, 3, 2, 4], [7]],
    [[1, 5, 1, 5, 1, 5], [1, 6, 4, 2, 7]], [[7, 6, 5, 4, 3, 2, 1, 0]], [[0], [1], [2], [3]],
])
def test_values_and_blocks_are_dasks(indexer):
    ours = ga.from_array(DATA, chunks=((2, 1), (4, 4))).shuffle(indexer, axis=1)
    theirs = da.from_array(DATA, chunks=((2, 1), (4, 4))).shuffle(indexer, axis=1)
    assert ours.chunks == theirs.chunks
    np.testing.assert_array_equal(compute(ours), theirs.compute())


@pytest.mark.parametrize("shape, chunks, axis, group", [
    ((250, 50), ((45, 100, 38, 67), 10), 1, 20), ((250, 50, 20), ((45, 100, 38, 67), 10, 10), 1, 40),
    ((250, 50, 5), ((45, 100, 38, 67), 10, 1), 1, 40), ((5, 50, 5), (5, 10, (2, 3)), 1, 45),
    ((40, 6), (10, 3), 0, 30),
])
def test_long_groups_split_the_other_axes_as_dask(shape, chunks, axis, group):
    data = np.arange(np.prod(shape)).reshape(shape)
    n = shape[axis]
    indexer = [list(range(n - 1, n - 1 - group, -1)), list(range(n - group))]
    ours = ga.shuffle(ga.from_array(data, chunks=chunks), indexer, axis=axis)
    theirs = da.shuffle(da.from_array(data, chunks=chunks), indexer, axis=axis)
    assert ours.chunks == theirs.chunks
    np.testing.assert_array_equal(compute(ours), theirs.compute())


def test_groups_already_the_blocks_return_the_array():
    x = ga.ones((250, 100), chunks=((50, 100, 33, 67), 100))
    indexer = [list(range(0, 50)), list(range(50, 150)), list(range(150, 183)), list(range(183, 250))]
    assert x.shuffle(indexer, axis=0) is x


def test_errors_are_dasks():
    x = ga.from_array(DATA, chunks=((2, 1), (4, 4)))
    for bad in ("s", [1], ([1],)):
        with pytest.raises(ValueError, match="indexer must be a list of lists"):
            x.shuffle(bad, axis=1)
    with pytest.raises(IndexError, match="Indexer contains out of bounds index"):
        x.shuffle([[16]], axis=1)
    with pytest.raises(ValueError, match="known chunk sizes"):
        x[x[:, 0] > 0].shuffle([[0]], axis=0)
    with pytest.raises(NotImplementedError, match="only 'auto'"):
        x.shuffle([[0]], axis=1, chunks=(2,))


@pytest.mark.parametrize("tolerance", [1, 1.4, 2])
@pytest.mark.parametrize("indexer", [[[1, 5, 6], [0, 3], [4, 2, 7]], [[1], [0, 6, 5, 3, 2, 4], [7]]])
def test_dask_config_tolerance_sets_the_blocks(tolerance, indexer):
    # dask.config.set({"array.chunk-size-tolerance": ...}) in ported code, as dask's (it was always 1.25)
    dask = pytest.importorskip("dask")
    with dask.config.set({"array.chunk-size-tolerance": tolerance}):
        ours = ga.from_array(DATA, chunks=((2, 1), (4, 4))).shuffle(indexer, axis=1)
        theirs = da.from_array(DATA, chunks=((2, 1), (4, 4))).shuffle(indexer, axis=1)
    assert ours.chunks == theirs.chunks
    np.testing.assert_array_equal(compute(ours), theirs.compute())
