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


_DIMS = [(), (0,), (4, 4, 2), (np.int64(3), 2), (10**18, 10**18), (2.0, 3), (np.nan,), (1, np.nan, 2),
         (math.nan, 3), (float("nan"), float("nan")), (np.float64("nan"), np.int64(1)), (0, np.nan)]


@pytest.mark.parametrize("dim", _DIMS, ids=repr)
def test_shape_and_canonical_chunks_of_known_and_unknown_lengths(dim) -> None:
    # one sum per axis tells an unknown length (a repr of 10**6 blocks a side tested each block: 2 s)
    unknown = any(isinstance(n, float) and math.isnan(n) for n in dim)
    shape = _chunks.shape_of((dim, (5, 5)))
    assert shape[1] == 10 and type(shape[1]) is int
    assert shape[0] is _chunks.NAN if unknown else (shape[0] == sum(dim) and type(shape[0]) is int)
    chunks = (dim, (5, 5))
    got = _chunks.canonical(chunks)
    assert got is chunks if not unknown else got[0] == tuple(_chunks.NAN if isinstance(n, float) and math.isnan(n)
                                                              else n for n in dim)


def test_large_arrays_shape_and_sizes() -> None:
    x = ga.ones((10**12, 10**12), chunks=10**6)
    assert x.shape == (10**12, 10**12) and x.numblocks == (10**6, 10**6) and x.npartitions == 10**12
    assert x.nbytes == 8 * 10**24 and "shape=(1000000000000, 1000000000000)" in repr(x)
    y = ga.ones((10, 6), chunks=3)[ga.ones(10, chunks=3) > 0]  # unknown rows
    assert math.isnan(y.shape[0]) and y.shape[1] == 6 and y.chunks[0] == (np.nan,) * 4
