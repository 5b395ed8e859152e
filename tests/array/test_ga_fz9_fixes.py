"""Fuzzer findings (round 9): string casts' lengths, NumPy protocol dispatch (einsum, apply_along_axis,
lstsq, ``like=`` creation), qr's raw mode, eigh's UPLO, string fills, take's indices, iteration of unknown
lengths, FFT lengths and quantile's fallback, against NumPy (and dask for laziness)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute


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


def _lazy(result: object) -> object:
    assert isinstance(result, ga.Array), type(result)
    return result


def test_einsum_apply_along_axis_lstsq_stay_lazy(backend: str) -> None:
    a = np.arange(12.).reshape(4, 3) + np.eye(4, 3)
    x = ga.from_array(a, chunks=(2, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)  # the computed fallback warns
        assert_same(_lazy(np.einsum("ij,ij->i", x, x)), np.einsum("ij,ij->i", a, a))
        got = np.linalg.lstsq(x, x[:, 0])
        if backend == "numpy":
            assert_same(_lazy(np.apply_along_axis(np.sum, 0, x)), np.apply_along_axis(np.sum, 0, a))
    want = np.linalg.lstsq(a, a[:, 0])
    for g, w in zip(got, want):
        np.testing.assert_allclose(compute(_lazy(g)), w, atol=1e-10)


@pytest.mark.parametrize("call", ["np.ones(3, like=X)", "np.zeros((2, 3), dtype='i4', like=X)",
                                  "np.empty(3, like=X).shape", "np.full(3, 7., like=X)", "np.arange(3, like=X)",
                                  "np.arange(1, 9, 2, 'f8', like=X)", "np.eye(3, 4, 1, like=X)",
                                  "np.identity(3, like=X)", "np.fromfunction(lambda i, j: i + j, (2, 3), like=X)"])
def test_creation_with_like_gives_a_lazy_array_of_its_backend(backend: str, call: str) -> None:
    x = ga.ones(4, chunks=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        got = eval(call, {"np": np, "X": x})
    want = eval(call, {"np": np, "X": np.ones(4)})
    if call.endswith(".shape"):
        assert got == want
        return
    assert _lazy(got).backend == backend
    assert_same(got, want)
