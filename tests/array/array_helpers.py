"""Comparison helpers of the array suite (a uniquely named module, so test files can import them)."""

from __future__ import annotations

import numpy as np

import gpuscale.array as ga
from gpuscale.backends import to_host
from gpuscale.backends.testing import assert_chunks_equal


def compute(x: object) -> np.ndarray:
    """Compute a gpuscale array (or pass through data) and bring it to NumPy."""
    out = x.compute() if isinstance(x, ga.Array) else x
    return np.asarray(to_host(out))


def assert_same(actual: object, expected: object, *, exact_dtype: bool = True, **kwargs: object) -> None:
    """Compare a gpuscale array with a NumPy result: shape, dtype and values."""
    expected = np.asarray(expected)
    if isinstance(actual, ga.Array):
        assert actual.shape == expected.shape, f"metadata shape {actual.shape} != {expected.shape}"
        if exact_dtype:
            assert actual.dtype == expected.dtype, f"metadata dtype {actual.dtype} != {expected.dtype}"
    got = compute(actual)
    assert got.shape == expected.shape, f"computed shape {got.shape} != {expected.shape}"
    assert_chunks_equal(got, expected, check_dtype=exact_dtype, **kwargs)
