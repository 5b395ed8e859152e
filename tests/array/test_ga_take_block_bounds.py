"""Integer-array indexing and ``take`` give output blocks no larger than the input's blocks along the axis
(or the index's own blocks when it is a gpuscale array cut in blocks), as dask.array: chunks against dask's,
values against NumPy."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, chunk_budget

RNG = np.random.default_rng(3)
N = 200_000  # blocks of N // 10 int64 (156 KiB) are above the 128 KiB floor of take_block_limit
VEC = np.arange(N, dtype=np.int64)
MAT = RNG.random((6, N))

INDICES = {
    "random": RNG.integers(0, N, 2 * N),
    "sorted": np.sort(RNG.integers(0, N, 2 * N)),
    "repeated": np.repeat(np.arange(10), N // 10),
    "negative": -RNG.integers(1, N + 1, N // 2),
}


@pytest.fixture(autouse=True)
def cpu_sized_budget(backend: str):
    """The sizes above assume the 128 MiB CPU budget (a 128 KiB floor); CuPy's default budget is larger."""
    with chunk_budget("128MiB"):
        yield


@pytest.mark.parametrize("name", list(INDICES))
def test_numpy_index_blocks_are_bounded_by_the_input_blocks(name: str) -> None:
    index = INDICES[name]
    x = ga.from_array(VEC, chunks=N // 10)
    y = x[index]
    assert max(y.chunks[0]) <= N // 10  # was one block of the whole index (2N elements)
    assert y.chunks == da.from_array(VEC, chunks=N // 10)[index].chunks
    assert_same(y, VEC[index])
    assert_same(ga.take(x, index), np.take(VEC, index))


@pytest.mark.parametrize("name", list(INDICES))
def test_index_along_axis_1_of_a_matrix(name: str) -> None:
    index = INDICES[name]
    x = ga.from_array(MAT, chunks=(3, N // 8))
    y = x[:, index]
    assert y.chunks[0] == (3, 3) and max(y.chunks[1]) <= N // 8
    assert y.chunks == da.from_array(MAT, chunks=(3, N // 8))[:, index].chunks
    assert_same(y, MAT[:, index])


@pytest.mark.parametrize("lazy", [False, True], ids=["in-memory", "lazy"])
def test_a_chunked_gpuscale_index_gives_its_own_blocks(lazy: bool) -> None:
    index = INDICES["random"]
    gi = ga.from_array(index, chunks=70_000)
    gi = gi + 0 if lazy else gi  # + 0: to be computed, not planned from memory
    x = ga.from_array(MAT, chunks=(3, N // 8))
    y = x[:, gi]
    assert y.chunks[1] == gi.chunks[0]
    assert y.chunks == da.from_array(MAT, chunks=(3, N // 8))[:, da.from_array(index, chunks=70_000)].chunks
    assert_same(y, MAT[:, index])
    assert_same(ga.take(ga.from_array(VEC, chunks=N // 10), gi), VEC[index])


def test_lazy_index_tasks_read_one_input_block_each() -> None:
    # the lazy path no longer gathers the whole axis into one block for every task
    x = ga.from_array(MAT, chunks=(3, N // 8))
    gi = ga.from_array(INDICES["negative"], chunks=30_000) + 0
    y = x[:, gi]
    graph = dict(y.__dask_graph__())
    sources = {k for task in graph.values() if isinstance(task, tuple) for k in task[1:]
               if isinstance(k, tuple) and k and k[0] == x._expr._name}
    assert len(sources) == 2 * 8  # x's own blocks, not a rechunk of the axis into one
    assert_same(y, MAT[:, INDICES["negative"]])
    assert_same(ga.take(x, gi[::-1], axis=1), MAT[:, INDICES["negative"][::-1]])


def test_lazy_index_out_of_bounds_raises_when_computed() -> None:
    x = ga.from_array(VEC, chunks=N // 10)
    with pytest.raises(IndexError, match="out of bounds"):
        x[ga.from_array(np.array([0, N, 5]), chunks=2) + 0].compute()


@pytest.mark.parametrize("extra", [0, 1])
def test_vindex_blocks_hold_one_input_blocks_worth_of_points(extra: int) -> None:
    data = RNG.random((100, 100, 40))
    rows, cols = RNG.integers(0, 100, 10_000 + extra), RNG.integers(0, 100, 10_000 + extra)
    y = ga.from_array(data, chunks=(50, 50, 20)).vindex[rows, cols, :]
    assert max(y.chunks[0]) == 50 * 50  # was one block of all 10,000 points
    assert y.chunks == da.from_array(data, chunks=(50, 50, 20)).vindex[rows, cols, :].chunks
    assert_same(y, data[rows, cols, :])


def test_lazy_2d_index_gives_its_blocks_in_place_of_the_axis() -> None:
    data = RNG.random((4, 30, 5))
    index = RNG.integers(-30, 30, (6, 7))
    gi = ga.from_array(index, chunks=(4, 3)) + 0
    x = ga.from_array(data, chunks=(2, 8, 5))
    y = x[:, gi]
    assert y.chunks == ((2, 2), (4, 2), (3, 3, 1), (5,))
    assert_same(y, data[:, index])
    assert_same(ga.from_array(data[0, :, 0], chunks=7)[gi], data[0, :, 0][index])
