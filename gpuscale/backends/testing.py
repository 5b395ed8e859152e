"""Comparison helpers for tests: move results to the host and compare with NumPy/pandas."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import _detect
from gpuscale.backends.convert import to_host

__all__ = ["assert_chunks_equal"]


def assert_chunks_equal(actual: Any, expected: Any, **kwargs: Any) -> None:
    """Assert two computed results are equal after moving both to the host."""
    actual, expected = to_host(actual), to_host(expected)
    if _detect.is_pandas_object(actual) or _detect.is_pandas_object(expected):
        _assert_pandas_equal(actual, expected, **kwargs)
    else:
        _assert_arrays_equal(actual, expected, **kwargs)


def _assert_pandas_equal(actual: Any, expected: Any, check_index: bool = True, **kwargs: Any) -> None:
    import pandas as pd
    import pandas.testing as tm

    if not check_index:
        actual, expected = actual.reset_index(drop=True), expected.reset_index(drop=True)
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(actual, expected, **kwargs)
    elif isinstance(expected, pd.Series):
        tm.assert_series_equal(actual, expected, **kwargs)
    else:
        tm.assert_index_equal(actual, expected, **kwargs)


def _assert_arrays_equal(actual: Any, expected: Any, check_dtype: bool = True, **kwargs: Any) -> None:
    import numpy as np

    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shapes differ: {actual.shape} != {expected.shape}"
    if check_dtype:
        assert actual.dtype == expected.dtype, f"dtypes differ: {actual.dtype} != {expected.dtype}"
    if actual.dtype.kind in "fc":
        np.testing.assert_allclose(actual, expected, equal_nan=True, **kwargs)
    else:
        np.testing.assert_array_equal(actual, expected)
