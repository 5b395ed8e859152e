"""``rechunk`` as ``dask.array.rechunk``: axes of unknown length (after boolean indexing) keep their blocks
while the others change, ``block_size_limit=``, ``balance=``, ``method=``; compared with NumPy and dask."""

from __future__ import annotations

import math
import warnings

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

VALUES = np.arange(120, dtype="float64").reshape(12, 10)


def both(values: np.ndarray, chunks: tuple) -> tuple[ga.Array, da.Array]:
    """The rows of ``values`` whose first column is even, in gpuscale and dask (unknown row blocks)."""
    x, d = ga.asarray(values, chunks=chunks), da.from_array(values, chunks=chunks)
    return x[x[:, 0] % 4 == 0], d[d[:, 0] % 4 == 0]


@pytest.mark.parametrize("chunks", [(None, 5), {1: 5}, {-1: (4, 6)}, (None, (5, 5)), (None, -1)])
def test_known_axis_rechunks_next_to_an_unknown_one(chunks) -> None:
    y, dy = both(VALUES, (4, 2))
    got, want = y.rechunk(chunks), dy.rechunk(chunks)
    assert len(got.chunks[0]) == len(want.chunks[0]) and all(math.isnan(n) for n in got.chunks[0])
    assert got.chunks[1] == want.chunks[1]
    np.testing.assert_array_equal(compute(got), want.compute())


@pytest.mark.parametrize("nan", [np.nan, math.nan, float("nan")])
def test_explicit_unknown_blocks_match_whatever_nan_object(nan) -> None:
    y, dy = both(VALUES, (6, 2))
    assert y.rechunk(((nan, nan), (2,) * 5)) is y  # unchanged: the same array, as dask
    got = y.rechunk(((nan, nan), (5, 5)))
    np.testing.assert_array_equal(compute(got), dy.rechunk(((nan, nan), (5, 5))).compute())


def test_partially_unknown_axis_keeps_its_blocks() -> None:
    x = ga.asarray(VALUES, chunks=(6, 2))
    y, _ = both(VALUES, (6, 2))
    z = ga.concat([x, y])
    got = z.rechunk(((6, 6, np.nan, np.nan), (5, 5)))
    assert got.chunks[1] == (5, 5) and got.chunks[0][:2] == (6, 6)
    want = np.concatenate([VALUES, VALUES[VALUES[:, 0] % 4 == 0]])
    np.testing.assert_array_equal(compute(got), want)


@pytest.mark.parametrize("chunks, match", [
    (((np.nan,) * 3, (5, 5)), "Chunks must be unchanging"),
    (((6, 6), (5, 5)), "Chunks must be unchanging"),
    ((None, (5, 5, 5)), "Chunks do not add up"),
    (5, "compute_chunk_sizes"),
    ("auto", "compute_chunk_sizes"),
])
def test_changing_an_unknown_axis_raises_as_dask(chunks, match: str) -> None:
    y, dy = both(VALUES, (6, 2))
    with pytest.raises(ValueError):
        dy.rechunk(chunks)
    with pytest.raises(ValueError, match=match):
        y.rechunk(chunks)


def test_compute_chunk_sizes_then_rechunk_the_axis() -> None:
    y, dy = both(VALUES, (6, 2))
    got = y.compute_chunk_sizes().rechunk((2, 5))
    want = dy.compute_chunk_sizes().rechunk((2, 5))
    assert got.chunks == want.chunks
    np.testing.assert_array_equal(compute(got), want.compute())


@pytest.mark.parametrize("length, chunks, limit", [(100, 1, 10), (20, 7, 10), (21, (1,) * 21, 10),
                                                   (30, (3,) * 10, 7), (20, (10, 10), 4), (21, (10, 11), 4)])
def test_block_size_limit_sets_the_automatic_size(length: int, chunks, limit: int) -> None:
    x = ga.ones(length, chunks=(chunks,))
    want = da.ones(length, chunks=(chunks,)).rechunk({0: "auto"}, block_size_limit=limit * 8).chunks
    assert x.rechunk({0: "auto"}, block_size_limit=limit * 8).chunks == want


@pytest.mark.parametrize("length, size", [(210, 100), (100, 10), (1000, 33), (997, 100), (10, 4)])
def test_balance_as_dask(length: int, size: int) -> None:
    values = np.arange(length)
    got = ga.asarray(values).rechunk(size, balance=True)
    want = da.from_array(values).rechunk(size, balance=True)
    assert got.chunks == want.chunks
    np.testing.assert_array_equal(compute(got), values)


def test_balance_warns_when_impossible() -> None:
    x = ga.asarray(np.arange(100))
    with pytest.warns(UserWarning, match="Try increasing the chunk size"):
        balanced = x.rechunk(100 // 11, balance=True)
    assert balanced.chunks == x.rechunk(100 // 11).chunks


def test_dask_positional_arguments_and_method() -> None:
    x = ga.ones((20, 20), chunks=4)
    assert x.rechunk(5, None, None, False, "tasks").chunks == x.rechunk(5, method="p2p").chunks == ((5,) * 4,) * 2
    with pytest.raises(NotImplementedError, match="method"):
        x.rechunk(5, method="shuffle")


def test_bad_axis_keys_name_the_key() -> None:
    x = ga.zeros((2, 3, 4), chunks=1)
    assert x.rechunk({-1: 4}).chunks == da.zeros((2, 3, 4), chunks=1).rechunk({-1: 4}).chunks
    with pytest.raises(TypeError, match="blah"):
        x.rechunk({"blah": 4})
    with pytest.raises(ValueError, match="-100"):
        x.rechunk({-100: 4})


def test_empty_array_is_returned_as_is() -> None:
    x = ga.ones((0, 0), chunks=1)
    assert x.rechunk(3) is x
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.rechunk(3, balance=True) is x


def test_an_axis_of_unknown_lengths_joins_into_one_block():
    # joining needs no lengths (dask refuses -1 here): the blocks are concatenated, the length stays unknown
    values = np.arange(60.0).reshape(6, 10)
    x = ga.asarray(values, chunks=(2, 3))
    x._chunks = ((np.nan,) * 3, (3, 3, 3, 1))
    for chunks, expected in [(-1, ((np.nan,), (10,))), ({0: -1}, ((np.nan,), (3, 3, 3, 1))),
                             ((-1, 5), ((np.nan,), (5, 5)))]:
        joined = x.rechunk(chunks)
        assert joined.chunks == expected
        np.testing.assert_array_equal(compute(joined), values)


def test_percentile_of_unknown_lengths_is_numpys():
    # dask takes these too (approximately: per-block percentiles merged); gpuscale joins the blocks, exactly
    values = np.random.default_rng(0).random(1000)
    ours = ga.asarray(values, chunks=100)
    ours._chunks = ((np.nan,) * 10,)
    np.testing.assert_allclose(compute(ga.percentile(ours, [40, 60])), np.percentile(values, [40, 60]))
