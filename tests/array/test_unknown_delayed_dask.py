"""``from_delayed`` with unknown (nan) lengths, as dask.array: the lengths are found when computed, and
masked assignment across such blocks works; compared with NumPy."""

from __future__ import annotations

import math

import numpy as np
from dask import delayed

import gpuscale.array as ga
from array_helpers import compute


def test_from_delayed_with_unknown_length_and_masked_assignment() -> None:
    part = delayed(np.arange(10.0))
    x = ga.concatenate([ga.from_delayed(part, shape=(np.nan,), dtype=float)] * 2)
    assert len(x.chunks[0]) == 2 and all(math.isnan(n) for n in x.chunks[0])
    mask = ga.concatenate([ga.from_delayed(delayed(np.arange(10) % 2 == 0), shape=(np.nan,), dtype=bool)] * 2)
    x[mask] = -1.0
    want = np.concatenate([np.arange(10.0)] * 2)
    want[np.concatenate([np.arange(10) % 2 == 0] * 2)] = -1.0
    np.testing.assert_array_equal(compute(x), want)
    assert x.compute_chunk_sizes().chunks == ((10, 10),)
