"""Overlapping blocks of unknown length (after boolean indexing): a margin cannot be cut from a neighbour
whose length is unknown (it may be empty or shorter than the depth), so the overlap refuses and names
``compute_chunk_sizes()`` rather than drop data; once the lengths are known the answer is NumPy's."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

HINT = r"unknown.*compute_chunk_sizes\(\)"
VALUES = np.array([1.0, 2, -1, -1, 3, 4])


def selected() -> ga.Array:
    x = ga.from_array(VALUES, chunks=2) + 0
    return x[x > 0]  # blocks (2, 0, 2), unknown until computed


@pytest.mark.parametrize("boundary", ["none", "reflect", "nearest", 0])
def test_map_overlap_of_unknown_blocks_refuses(boundary: object) -> None:
    with pytest.raises(ValueError, match=HINT):
        selected().map_overlap(lambda b: b, depth=1, boundary=boundary)


def test_overlap_of_unknown_blocks_refuses() -> None:
    with pytest.raises(ValueError, match=HINT):
        ga.overlap.overlap(selected(), depth=1, boundary="none")


def test_map_overlap_after_compute_chunk_sizes_matches_numpy() -> None:
    y = selected().compute_chunk_sizes()
    assert_same(y.map_overlap(lambda b: b, depth=1, boundary="none"), VALUES[VALUES > 0])


def test_map_overlap_without_margin_along_unknown_axis_works() -> None:
    x = ga.from_array(np.arange(12.0).reshape(6, 2), chunks=2) + 0
    y = x[x[:, 0] != 4]  # rows unknown, columns known
    got = y.map_overlap(lambda b: b * 2, depth={0: 0, 1: 1}, boundary="none")
    want = np.arange(12.0).reshape(6, 2)
    assert_same(compute(got), want[want[:, 0] != 4] * 2)


def test_map_overlap_of_one_unknown_block_with_no_boundary_works() -> None:
    x = ga.from_array(VALUES, chunks=6) + 0
    assert_same(compute(x[x > 0].map_overlap(lambda b: b, depth=1, boundary="none")), VALUES[VALUES > 0])


def test_sliding_window_view_of_unknown_blocks_refuses() -> None:
    with pytest.raises(ValueError, match=HINT):
        ga.sliding_window_view(selected(), 2)
