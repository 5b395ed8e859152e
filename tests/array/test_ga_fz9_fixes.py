"""Fuzzer findings (round 9): string casts' lengths, NumPy protocol dispatch (einsum, apply_along_axis,
lstsq, ``like=`` creation), qr's raw mode, eigh's UPLO, string fills, take's indices, iteration of unknown
lengths, FFT lengths and quantile's fallback, against NumPy (and dask for laziness)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


def _numpy_only(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("strings, NumPy protocol dispatch and NumPy fallbacks need NumPy chunks")


@pytest.mark.parametrize("src, to", [(np.array([1.5, 22.25, 3.0]), str), (np.arange(3), "S"),
                                     (np.array(["2001-01-01"], "M8[ns]"), str), (np.array([b"ab", b"c"]), str)])
def test_astype_string_takes_numpys_length_of_the_source(backend: str, src: np.ndarray, to: object) -> None:
    _numpy_only(backend)
    s = ga.from_array(src, chunks=2).astype(to)
    assert s.dtype == src.astype(to).dtype  # was <U0 / |S0 (each block's own length when computed)
    assert_same(s, src.astype(to))


def test_concatenate_of_cast_strings_keeps_their_values(backend: str) -> None:
    _numpy_only(backend)
    a = np.array([1.5, 22.25, 3.0])
    s = ga.from_array(a, chunks=2).astype(str)
    t = ga.from_array(np.array(["ab"]), chunks=1)
    assert_same(ga.concatenate([s, t]), np.concatenate([a.astype(str), np.array(["ab"])]))  # '1.5' was '1.'
