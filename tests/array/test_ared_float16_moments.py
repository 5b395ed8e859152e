"""Fuzzer finding: float16 mean/var/std (and the NaN-skipping ones) over more than 65504 elements, against
NumPy (the count was made in float16)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


def _with_float16(backend: str) -> None:
    if backend == "array_api_strict":
        pytest.skip("array-api-strict has no float16")


@pytest.mark.parametrize("chunks", [10000, 70000])
@pytest.mark.parametrize("name", ["mean", "var", "std", "nanmean", "nanvar", "nanstd"])
def test_float16_moments_count_past_float16s_range(backend: str, chunks: int, name: str) -> None:
    # more elements than float16 can count (65504): the count was made in the data's dtype (inf)
    _with_float16(backend)
    x = np.full(70000, 0.001, dtype="float16")
    x[::7] = np.nan if name.startswith("nan") else x[::7]
    expected = getattr(np, name)(x)
    result = getattr(ga, name)(ga.from_array(x, chunks=chunks))
    assert_same(result, expected, atol=1e-6, rtol=1e-3)


@pytest.mark.parametrize("name", ["mean", "var", "std", "nanmean", "nanvar"])
def test_float16_moments_of_ones_are_exact(backend: str, name: str) -> None:
    # float16 partial sums lost the precision of the merged moments (nanvar of ones was 3e-07)
    _with_float16(backend)
    x = np.ones(60000, dtype="float16")
    x[::7] = np.nan if name.startswith("nan") else x[::7]
    assert_same(getattr(ga, name)(ga.from_array(x, chunks=10000)), getattr(np, name)(x))
