"""``.blocks``, ``.vindex``, ``chunksize`` and byte-size ``chunks=`` against dask.array and NumPy (issue 14)."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.array as ga
from array_helpers import assert_same, compute

DATA = np.arange(6 * 8 * 5).reshape(6, 8, 5).astype(np.float64)
CHUNKS = (2, 3, 5)


def _x() -> ga.Array:
    return ga.from_array(DATA, chunks=CHUNKS)


def _d() -> da.Array:
    return da.from_array(DATA, chunks=CHUNKS)


@pytest.mark.parametrize("key", [0, -1, (1, 2), (slice(None), 1), (slice(0, 2), [0, 2]), ([2, 0],),
                                 (Ellipsis, 0), (slice(None, None, -1),), (1, slice(1, 3), 0)])
def test_blocks_match_dask(key: object) -> None:
    got, want = _x().blocks[key], _d().blocks[key]
    assert got.chunks == want.chunks
    assert_same(got, want.compute())


def test_blocks_alias_blocks_and_ravel() -> None:
    x = _x()
    view = x.blocks
    assert view.shape == x.numblocks == (3, 3, 1)
    assert view.size == 9
    parts = view.ravel()
    assert len(parts) == 9
    assert_same(parts[4], DATA[2:4, 3:6])
    assert x.blocks[:, :].name == x.name  # every block: the array itself


def test_blocks_errors() -> None:
    x = _x()
    with pytest.raises(IndexError):
        x.blocks[3]
    with pytest.raises(ValueError, match="single list"):
        x.blocks[[0, 1], [0, 1]]
    with pytest.raises(ValueError, match="None"):
        x.blocks[None]
    with pytest.raises(IndexError):
        x.blocks[0, 0, 0, 0]


@pytest.mark.parametrize("key", [([0, 1, 5], [2, 4, 7]),
                                 ([0, 5], slice(None), [1, 3]),
                                 (slice(None), [0, 2, 7], [1, 3, 4]),
                                 (1, [0, 7], [4, 0]),
                                 ([[0, 1], [5, 4]], [[7, 6], [0, 1]]),
                                 ([-1, -6], 2),
                                 (np.array([3, 3, 0]), slice(1, 6, 2), np.array([0, 4, 1]))])
def test_vindex_matches_dask(key: object) -> None:
    got = _x().vindex[key]
    want = _d().vindex[key].compute()
    assert_same(got, want)


def test_vindex_reads_only_the_blocks_holding_points() -> None:
    x = _x()
    got = x.vindex[[0, 1], [0, 1]]  # both points in block (0, 0, 0)
    graph = dict(got.__dask_graph__())
    from gpuscale.array.blocks import PointGather

    (gather,) = [k for k in graph if isinstance(k, tuple) and k[0].startswith(PointGather.__name__.lower())]
    task = graph[gather]
    assert task[1] == [(x.name, 0, 0, 0)]
    assert_same(got, DATA[[0, 1], [0, 1]])


def test_vindex_with_lazy_index_arrays() -> None:
    x = _x()
    rows = ga.asarray([0, 5, 3]) + 0
    cols = ga.asarray([7, 0, 2]) + 0
    assert_same(x.vindex[rows, cols], _d().vindex[[0, 5, 3], [7, 0, 2]].compute())


def test_vindex_errors() -> None:
    x = _x()
    with pytest.raises(IndexError, match="out of bounds"):
        x.vindex[[0, 6], [0, 0]]
    with pytest.raises(IndexError, match="boolean"):
        x.vindex[np.array([True, False, True, False, True, False])]
    with pytest.raises(IndexError, match="broadcast"):
        x.vindex[[0, 1], [0, 1, 2]]


def test_vindex_without_points_and_without_arrays() -> None:
    x = _x()
    assert_same(x.vindex[[], []], DATA[[], []])
    assert_same(x.vindex[1:3, 0], DATA[1:3, 0])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 30), chunk=st.tuples(st.integers(1, 6), st.integers(1, 8)), seed=st.integers(0, 2**16))
def test_hypothesis_vindex_points(n: int, chunk: tuple, seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(6, 8))
    rows, cols = rng.integers(-6, 6, size=n), rng.integers(-8, 8, size=n)
    x = ga.from_array(data, chunks=chunk)
    np.testing.assert_array_equal(compute(x.vindex[rows, cols]), data[rows, cols])


def test_chunksize_matches_dask() -> None:
    x = ga.from_array(DATA, chunks=(4, 3, 5))
    assert x.chunksize == da.from_array(DATA, chunks=(4, 3, 5)).chunksize == (4, 3, 5)
    masked = ga.arange(10) + 0
    masked = masked[masked > 3]
    assert np.isnan(masked.chunksize[0])


@pytest.mark.parametrize("size", ["1 MB", "1MiB", "256kB", "64 KiB"])
def test_chunks_as_a_byte_size(size: str) -> None:
    from gpuscale.config import parse_bytes

    x = ga.ones((1000, 1000), chunks=size)
    blocks = [np.prod(c) for c in [x.chunksize]]
    assert blocks[0] * 8 <= parse_bytes(size)
    assert blocks[0] * 8 * 4 > parse_bytes(size)  # not much smaller than asked
    assert_same(ga.sum(x), np.float64(1e6))
    y = ga.from_array(DATA, chunks=size)
    assert y.chunks == ((6,), (8,), (5,))
    r = ga.arange(400_000).rechunk(size)
    assert r.chunksize[0] * 8 <= parse_bytes(size)
    assert ga.zeros(10, chunks="auto").chunks == ((10,),)
    z = ga.random.default_rng(0).random((500, 500), chunks=size)
    assert z.chunksize[0] * z.chunksize[1] * 8 <= parse_bytes(size)


def test_bad_byte_size() -> None:
    with pytest.raises(ValueError, match="block size"):
        ga.ones(10, chunks="lots")
