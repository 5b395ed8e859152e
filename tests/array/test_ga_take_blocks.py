"""``take`` and integer-array indexing with in-memory indices come in bounded blocks (gpuscale/array/gather.py),
and ``x.oindex[...]`` indexes axis by axis; both against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, chunk_budget

RNG = np.random.default_rng(7)
DATA = RNG.random((120, 6, 4)).astype(np.float32)


def _sources_per_block(y: ga.Array, x: ga.Array) -> list[int]:
    """How many of ``x``'s blocks each block of ``y`` reads (``y`` a take straight from ``x``)."""
    graph = dict(y.__dask_graph__())
    counts = []
    for key in (k for k in graph if k[0] == y._expr._name):
        _, sources, *_ = graph[key]
        assert all(s[0] == x._expr._name for s in sources)
        counts.append(len(sources))
    return counts


@pytest.mark.parametrize("month_blocks", [12, 5, 1])
def test_long_index_gives_bounded_blocks(month_blocks: int) -> None:
    # the climatology broadcast of xarray's groupby anomalies: 12 rows taken 50 times over, in order of days
    clim = DATA[:12]
    x = ga.from_array(clim, chunks=(month_blocks, 3, 4))
    codes = np.tile(np.arange(12), 50)
    row = 3 * 4 * 4  # bytes of one (lat, lon) row of the largest block, float32
    with chunk_budget(1024 * 40 * row):  # a 1024th: 40 rows
        y = ga.take(x, codes, axis=0)
    assert len(y.chunks[0]) > 1 and max(y.chunks[0]) == 40  # not 1-row blocks (one task per row)
    with chunk_budget(1024 * row):  # a one-row floor: dask's mean block
        assert max(ga.take(x, codes, axis=0).chunks[0]) == 12 // -(-12 // month_blocks)
    assert y.chunks[1:] == x.chunks[1:]  # the other axes keep their blocks
    assert_same(y, np.take(clim, codes, axis=0))


def test_output_blocks_read_only_the_input_blocks_they_need() -> None:
    x = ga.from_array(DATA, chunks=(10, 6, 4))
    idx = np.sort(RNG.integers(0, 120, 300))
    with chunk_budget(1):  # blocks as long as the input's, as in dask
        y = x[idx]
    assert y.chunks[0] == (10,) * 30
    assert_same(y, DATA[idx])
    assert max(_sources_per_block(y, x)) <= 2  # sorted: each block reads one or two neighbours, not all 12
    shuffled = ga.take(x, RNG.permutation(120), axis=0)
    assert_same(shuffled, DATA[np.asarray(shuffled._expr.points.value[:, 0])])


@pytest.mark.parametrize("index", [
    np.array([119, 0, 5, 5, -1, 60]), [3, 2, 1], np.arange(120)[::-1], np.array([], dtype=np.int64),
    RNG.integers(-120, 120, 500), np.array([[1, 2], [110, -3]]),
], ids=["mixed", "list", "reversed", "empty", "random", "2d"])
def test_take_and_getitem_match_numpy(index: object) -> None:
    x = ga.from_array(DATA, chunks=(25, 4, 3))
    expected = DATA[np.asarray(index, dtype=np.int64)]
    assert_same(x[index] if not isinstance(index, np.ndarray) or index.ndim == 1 else x[index], expected)
    if np.ndim(index) == 1:
        assert_same(ga.take(x, index, axis=0), expected)
        assert_same(ga.take(x, ga.asarray(np.asarray(index, dtype=np.int64)), axis=0), expected)  # in memory
    assert_same(x[:, np.asarray(index)[..., None] % 6 if np.ndim(index) == 2 else np.asarray(index) % 6],
                DATA[:, np.asarray(index)[..., None] % 6 if np.ndim(index) == 2 else np.asarray(index) % 6])


def test_take_along_a_middle_axis_and_lazy_indices() -> None:
    x = ga.from_array(DATA, chunks=(50, 2, 3))
    assert_same(ga.take(x, [5, 0, 5, 1], axis=1), np.take(DATA, [5, 0, 5, 1], axis=1))
    lazy = ga.arange(2) * 2 + 1  # to be computed: gathered the lazy way
    assert_same(ga.take(x, lazy, axis=2), np.take(DATA, [1, 3], axis=2))


def test_full_range_is_the_array_and_bounds_fail_at_build_time() -> None:
    x = ga.from_array(DATA, chunks=30)
    assert ga.take(x, np.arange(120), axis=0)._expr is x._expr
    with pytest.raises(IndexError, match="out of bounds"):
        ga.take(x, [0, 120], axis=0)
    with pytest.raises(IndexError, match="out of bounds"):
        x[:, [-7]]


@pytest.mark.parametrize("key", [
    ([3, 0, 119], [5, 1]), ([2, 2], slice(1, 5), [0, 3]), (7, [1, 0], [3]), (Ellipsis, [2, 1]),
    (np.array([True] * 60 + [False] * 60), [1], slice(None, None, -1)), (slice(10, 20), None, [1, 0]),
], ids=repr)
def test_oindex_matches_numpy_axis_by_axis(key: tuple) -> None:
    x = ga.from_array(DATA, chunks=(25, 4, 3))
    expected = DATA
    axis = 0
    for k in key:  # NumPy's outer indexing, one entry at a time
        if k is Ellipsis:
            axis = DATA.ndim - (len(key) - 1 - key.index(Ellipsis))
            continue
        expected = expected[(slice(None),) * axis + (k,)]
        axis += 0 if isinstance(k, int) else 1
    assert_same(x.oindex[key], expected)


def test_oindex_refuses_a_mask_of_the_wrong_length() -> None:
    x = ga.from_array(DATA, chunks=30)
    with pytest.raises(IndexError, match="boolean index of length 3"):
        x.oindex[[0, 1], np.array([True, False, True])]


def test_two_dimensional_indices_are_refused_naming_their_shape():
    # the message said "got shape ()" for a list of lists
    x = ga.asarray(np.arange(12.0).reshape(3, 4), chunks=2)
    with pytest.raises(ValueError, match=r"got shape \(2, 2\)"):
        ga.take(x, [[0, 1], [2, 3]], axis=1)
