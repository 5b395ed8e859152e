"""Broadcasting with unknown lengths (after boolean indexing): a length-1 operand broadcasts against an
unknown length as element-wise operations do, so ``broadcast_arrays`` and ``select`` give NumPy's values."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

VALUES = np.array([1.0, -1, 3, -2, 5, 6])
KEPT = VALUES[VALUES > 0]


def selected() -> ga.Array:
    x = ga.from_array(VALUES, chunks=2) + 0
    return x[x > 0]


def test_select_on_unknown_lengths_matches_numpy() -> None:
    y = selected()
    got = ga.select([y > 1], [y], default=0)
    assert_same(compute(got), np.select([KEPT > 1], [KEPT], default=0))


def test_select_with_two_conditions_on_unknown_lengths_matches_numpy() -> None:
    y = selected()
    got = ga.select([y > 4, y > 1], [y * 10, y], default=-1.0)
    assert_same(compute(got), np.select([KEPT > 4, KEPT > 1], [KEPT * 10, KEPT], default=-1.0))


@pytest.mark.parametrize("other", [np.ones(1), np.ones((2, 1)), np.float64(2.0)])
def test_broadcast_arrays_unknown_with_length_one(other: np.ndarray) -> None:
    y = selected()
    a, b = ga.broadcast_arrays(y, ga.asarray(other))
    want_a, want_b = np.broadcast_arrays(KEPT, other)
    assert a.ndim == b.ndim == want_a.ndim and math.isnan(a.shape[-1]) and math.isnan(b.shape[-1])
    assert_same(compute(a), want_a)
    assert_same(compute(b), want_b)


def test_broadcast_to_new_axis_keeps_unknown_length() -> None:
    got = ga.broadcast_to(selected(), (2, math.nan))
    assert got.shape[0] == 2 and math.isnan(got.shape[1])
    assert_same(compute(got), np.broadcast_to(KEPT, (2, KEPT.size)))


def test_broadcast_to_an_unknown_length_from_one_asks_for_chunk_sizes() -> None:
    with pytest.raises(ValueError, match=r"unknown.*compute_chunk_sizes\(\)"):
        ga.broadcast_to(ga.ones(1), (math.nan,))
