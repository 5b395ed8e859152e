"""Boolean masks and arrays of unknown length (after boolean indexing): a mask whose length cannot be
matched says the length is unknown and names ``compute_chunk_sizes()``; masks from another selection,
whose blocks do not line up, raise that too (not NumPy's bare IndexError); matching ones give NumPy's."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

HINT = r"unknown.*compute_chunk_sizes\(\)"
VALUES = np.array([1.0, -1, 3, -2, 5, 6])


def selected() -> ga.Array:
    x = ga.from_array(VALUES, chunks=2) + 0
    return x[x > 0]


def test_unknown_array_with_in_memory_mask_names_compute_chunk_sizes() -> None:
    with pytest.raises(IndexError, match=HINT):
        selected()[np.array([True, False, True, False])]


def test_known_array_with_unknown_mask_names_compute_chunk_sizes() -> None:
    with pytest.raises(ValueError, match=HINT):
        ga.arange(4.0)[selected() > 0]


def test_known_lengths_then_mask_matches_numpy() -> None:
    y = selected().compute_chunk_sizes()
    keep = np.array([True, False, True, False])
    assert_same(y[keep], VALUES[VALUES > 0][keep])


def test_mask_from_another_selection_refuses() -> None:
    a = ga.from_array(np.array([1.0, 2, 3, 4, -1, -2, -3, -4]), chunks=4) + 0
    b = ga.from_array(np.array([-1.0, -2, -3, -4, 1, 2, 3, 4]), chunks=4) + 0
    with pytest.raises(ValueError, match=r"do not line up.*compute_chunk_sizes\(\)"):
        compute(a[a > 0][b[b > 0] > 2])


def test_mask_from_the_same_selection_matches_numpy() -> None:
    y = selected()
    kept = VALUES[VALUES > 0]
    assert_same(compute(y[y > 2]), kept[kept > 2])
    assert_same(compute((y * 10)[y > 2]), kept[kept > 2] * 10)


def test_two_dimensional_unknown_rows_masked_by_their_column() -> None:
    x = ga.from_array(np.arange(12.0).reshape(6, 2) % 5 - 2, chunks=2) + 0
    want = np.arange(12.0).reshape(6, 2) % 5 - 2
    rows = x[x[:, 0] > -1]
    want_rows = want[want[:, 0] > -1]
    assert_same(compute(rows[rows[:, 1] > 0]), want_rows[want_rows[:, 1] > 0])
