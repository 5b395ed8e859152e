"""``full`` with a str or bytes fill value gives NumPy's text array (``<U`` / ``S`` as wide as the value);
it raised ``TypeError`` (dask.array refuses with automatic chunks and truncates to one character with given
ones).  Array-API backends have no text dtypes: they refuse with a ``TypeError`` that says so; CuPy arrays
have none either, and ``full`` on the cupy backend refuses when the array is built (CuPy's own ``ValueError:
Unsupported dtype``, pointing to ``backend='numpy'``), not in a task."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


@pytest.mark.parametrize("value", ["ab", "auto_chunk", "", b"xyz"])
@pytest.mark.parametrize("chunks", ["auto", 2])
def test_full_with_text(backend: str, value: object, chunks: object) -> None:
    if backend == "cupy":
        with pytest.raises(ValueError, match="Unsupported dtype .* cupy backend.*backend='numpy'"):
            ga.full((5, 3), value, chunks=chunks)
        return
    x = ga.full((5, 3), value, chunks=chunks)
    expected = np.full((5, 3), value)
    assert x.dtype == expected.dtype
    if backend == "array_api_strict":
        with pytest.raises(TypeError, match="has no dtype"):
            x.compute()
        return
    assert_same(x, expected)


def test_full_with_text_in_a_given_dtype(backend: str) -> None:
    if backend == "array_api_strict":
        pytest.skip("no text dtypes in the Array API")
    if backend == "cupy":
        with pytest.raises(ValueError, match="Unsupported dtype <U1 on the cupy backend"):
            ga.full((4,), "abc", dtype="U1", chunks=3)
        with pytest.raises(ValueError, match="Unsupported dtype <U3 on the cupy backend"):
            ga.zeros_like(ga.zeros((4,), chunks=3), dtype="U3")
        return
    assert_same(ga.full((4,), "abc", dtype="U1", chunks=3), np.full((4,), "abc", dtype="U1"))
    assert_same(ga.full((4,), 5, dtype="U3", chunks=3), np.full((4,), 5, dtype="U3"))


def test_text_fill_value_of_a_numeric_dtype_converts_or_fails_at_once_as_numpys(backend: str) -> None:
    assert_same(ga.full((3,), "1.5", dtype="float64"), np.full((3,), "1.5", dtype="float64"))
    with pytest.raises(ValueError, match="fill_value 'abc' cannot be converted to dtype float64"):
        ga.full((3,), "abc", dtype="float64")  # numpy.full raises here too, not when the blocks are made


@pytest.mark.parametrize("dtype", ["U2", "S3", "O", "M8[s]"])
def test_cupy_backend_refuses_dtypes_its_arrays_cannot_hold(dtype: str) -> None:
    from gpuscale.backends.array import check_dtype_of_backend

    with pytest.raises(ValueError, match=f"full: Unsupported dtype {re.escape(np.dtype(dtype).str)}.*backend='numpy'"):
        check_dtype_of_backend("cupy", np.dtype(dtype), "full")
    check_dtype_of_backend("numpy", np.dtype(dtype), "full")  # NumPy holds them all
    check_dtype_of_backend("cupy", np.dtype("complex64"), "full")
