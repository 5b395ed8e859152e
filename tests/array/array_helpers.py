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


def chunk_budget(limit: object) -> object:
    """A ``config.set`` of the ``chunks="auto"`` budget of the backend under test.

    NumPy and array-api-strict chunks follow ``array.chunk_bytes.cpu``, CuPy chunks ``array.chunk_bytes.gpu``;
    a test that shrinks the budget must shrink the one its arrays read.
    """
    import gpuscale
    from gpuscale.array.creation import resolve_backend

    option = "array.chunk_bytes.gpu" if resolve_backend(None) == "cupy" else "array.chunk_bytes.cpu"
    return gpuscale.config.set(**{option: limit})


def skip_without_frames(backend: str) -> None:
    """Skip a test that builds dataframe collections on ``backend`` when its frame library (cuDF for CuPy)
    cannot run: gpuscale rightly refuses a cupy-backed frame without cuDF."""
    import pytest

    from gpuscale.backends import available

    if backend == "cupy" and not available()["cudf"].ok:
        pytest.skip(f"dataframes on the cupy backend need cuDF ({available()['cudf'].reason})")


def assert_same_masked(result: object, expected: object, *, fill_value: bool = False) -> None:
    """``result`` (computed) is ``expected`` as numpy.ma gives it: type, mask and unmasked values (and, with
    ``fill_value``, dtype and fill value)."""
    if expected is np.ma.masked:
        assert result is np.ma.masked
        return
    assert type(result) is type(expected)
    if isinstance(expected, np.ma.MaskedArray):
        np.testing.assert_array_equal(np.ma.getmaskarray(result), np.ma.getmaskarray(expected))
        np.testing.assert_allclose(np.ma.filled(result, 0), np.ma.filled(expected, 0))
        if fill_value:
            assert result.dtype == expected.dtype
            assert result.fill_value == expected.fill_value
    else:
        np.testing.assert_allclose(result, expected)
