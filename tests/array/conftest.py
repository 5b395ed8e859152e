"""The array suite runs twice: with NumPy chunks and with array-api-strict chunks on its fake ``device1``.

array-api-strict refuses to convert ``device1`` arrays to NumPy, exactly as
CuPy refuses implicit device-to-host copies, so the second run proves that no
code path pulls chunks to the host unasked.  Results are compared with NumPy
after an explicit ``to_host``.
"""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga
from gpuscale.backends import to_host

BACKENDS = ["numpy", "array_api_strict"]


@pytest.fixture(params=BACKENDS, autouse=True)
def backend(request: pytest.FixtureRequest) -> str:
    """Every array test runs once per chunk library (the configured default backend)."""
    with gpuscale.config.set(backend=request.param, scheduler="sync"):
        yield request.param


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
    if exact_dtype:
        assert got.dtype == expected.dtype, f"computed dtype {got.dtype} != {expected.dtype}"
    if expected.dtype.kind in "fc":
        np.testing.assert_allclose(got, expected, equal_nan=True, **kwargs)
    else:
        np.testing.assert_array_equal(got, expected)
