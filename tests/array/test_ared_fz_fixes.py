"""Fuzzer findings (reductions): the NumPy protocol's dtype= and ddof, degenerate histogram bins, topk(k=0),
cumulative_sum of 0-d arrays and bincount's minlength, against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


def _numpy_only(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("the NumPy protocol needs NumPy chunks")


@pytest.mark.parametrize("name", ["mean", "var", "std"])
@pytest.mark.parametrize("dtype", ["i4", "c16", "f4"])
def test_numpy_protocol_moments_take_dtype_as_the_method(backend: str, name: str, dtype: str) -> None:
    # np.mean(g, dtype=) cast the data first, then took the float64 mean of it (the method was right)
    _numpy_only(backend)
    x = np.array([1, 2, 4, 5], dtype="int32")
    g = ga.from_array(x, chunks=2)
    with np.errstate(all="ignore"):
        expected = getattr(np, name)(x, dtype=dtype)
    assert_same(getattr(np, name)(g, dtype=dtype), expected)
    assert_same(getattr(g, name)(dtype=dtype), expected)
