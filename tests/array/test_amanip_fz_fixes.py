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


@pytest.mark.parametrize("data", [[np.float32(1), np.float32(2)], [[np.float32(0.5)]], [1.5, 2.0], [1, 2.5]])
def test_asarray_keeps_numpy_scalar_float_dtype(data: list) -> None:
    # a list of NumPy float32 scalars is float32, as NumPy (it was cast to float64); Python floats stay float64
    assert_same(ga.asarray(data), np.asarray(data))


def test_asarray_float16_scalars_on_numpy(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("the Array API has no float16")
    assert_same(ga.asarray([np.float16(1)]), np.asarray([np.float16(1)]))

