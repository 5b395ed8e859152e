"""The diagonal of a matrix whose side lengths are unknown (after boolean indexing) has an unknown length,
not 0: later operations (masking, ``compute_chunk_sizes``) then see NumPy's values."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

VALUES = np.arange(6.0) - 2


def outer() -> ga.Array:
    x = ga.asarray(VALUES, chunks=2)
    y = x[x > 0]
    return ga.outer(y, y)


@pytest.mark.parametrize("offset", [0, 1, -1])
def test_diagonal_of_unknown_matrix_has_unknown_length(offset: int) -> None:
    want = np.diagonal(np.outer(VALUES[VALUES > 0], VALUES[VALUES > 0]), offset=offset)
    d = ga.diagonal(outer(), offset=offset)
    assert len(d.shape) == 1 and math.isnan(d.shape[0])
    assert_same(compute(d), want)
    assert_same(compute(d[d > 2]), want[want > 2])
    assert_same(d.compute_chunk_sizes(), want)


def test_linalg_diagonal_and_trace_of_unknown_matrix() -> None:
    want = np.outer(VALUES[VALUES > 0], VALUES[VALUES > 0])
    assert math.isnan(ga.linalg.diagonal(outer()).shape[0])
    assert float(ga.trace(outer())) == np.trace(want)
