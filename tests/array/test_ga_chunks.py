"""Chunk arithmetic: normalisation, automatic sizes, alignment of unknown lengths."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array import _chunks


def test_regular_and_offsets() -> None:
    assert _chunks.regular(4, 10) == (4, 4, 2)
    assert _chunks.regular(4, 0) == (0,)
    assert _chunks.offsets((4, 4, 2)) == [0, 4, 8]


def test_auto_chunks_fit_target_and_stay_balanced() -> None:
    chunks = _chunks.auto_chunks((20_000, 20_000), 8, 128 * 2**20)
    block = (chunks[0][0], chunks[1][0])
    assert math.prod(block) * 8 <= 128 * 2**20
    assert 0.4 <= block[0] / block[1] <= 2.5
    assert _chunks.auto_chunks((10, 10), 8, 10**9) == ((10,), (10,))


def test_common_chunks_refines() -> None:
    assert _chunks.common_chunks([(4, 4, 2), (5, 5)]) == (4, 1, 3, 2)


def test_unknown_lengths_that_cannot_align_are_rejected() -> None:
    data = np.arange(12)
    x = ga.from_array(data, chunks=4)
    masked_a = x[x > 3]  # 3 blocks of unknown length
    masked_b = ga.from_array(data, chunks=6)[ga.from_array(data, chunks=6) > 3]  # 2 blocks
    with pytest.raises(ValueError, match="unknown block lengths.*chunks"):
        masked_a + masked_b
    same = masked_a + masked_a
    assert math.isnan(same.shape[0])
