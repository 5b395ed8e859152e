"""Creation and manipulation edges found by fuzzing against NumPy: each result (or error) is NumPy's."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


@pytest.mark.parametrize("value", [np.float32(2.5), np.int8(3), np.uint8(2), np.complex64(1 + 2j), np.float16(1.5)])
def test_full_keeps_numpy_scalar_dtype(backend: str, value: object) -> None:
    if backend == "array_api_strict" and value.dtype == np.float16:
        pytest.skip("the Array API has no float16")
    # a NumPy scalar fill value gives its own dtype (it was widened to the Python type's 64-bit dtype)
    assert_same(ga.full((2, 3), value, chunks=2), np.full((2, 3), value))
    assert_same(ga.full_like(ga.arange(3), value), np.full_like(np.arange(3), value))
    assert_same(ga.full_like(ga.arange(3), value, dtype=None, shape=(4,)), np.full_like(np.arange(3), value, shape=(4,)))
