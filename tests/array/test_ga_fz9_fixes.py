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


@pytest.mark.parametrize("shape", [(6, 4), (3, 5), (2, 6, 4)])
def test_qr_raw_has_numpys_shapes(backend: str, shape: tuple) -> None:
    _numpy_only(backend)  # mode="raw" is NumPy's (LAPACK's Householder form)
    b = np.random.default_rng(0).standard_normal(shape)
    got = np.linalg.qr(ga.from_array(b), mode="raw")
    for g, w in zip(got, np.linalg.qr(b, mode="raw")):
        assert_same(_lazy(g), w)  # lazy shapes were complete mode's, (6, 6) and (6, 4) of a (6, 4) input


@pytest.mark.parametrize("dtype", ["f8", "c16"])
def test_eigh_reads_the_triangle_uplo_names(backend: str, dtype: str) -> None:
    if backend != "numpy" and dtype == "c16":
        pytest.skip("complex input: array-api-strict's own conj / eigh suffice, NumPy chunks check it")
    a = np.array([[2., 1., 5.], [-4., 3., 0.5], [7., 2., 1.]], dtype=dtype)
    if dtype == "c16":
        a = a + 1j * np.array([[0., 2., -1.], [3., 0., 4.], [1., 1., 0.]])
    for uplo in ("L", "U"):
        x = ga.from_array(a, chunks=2)
        w = np.linalg.eigvalsh(a, UPLO=uplo)
        np.testing.assert_allclose(compute(_lazy(np.linalg.eigvalsh(x, UPLO=uplo))), w)
        values, vectors = np.linalg.eigh(x, UPLO=uplo)
        np.testing.assert_allclose(compute(values), w)
        h = np.tril(a) + np.tril(a, -1).conj().T if uplo == "L" else np.triu(a) + np.triu(a, 1).conj().T
        v = compute(vectors)
        np.testing.assert_allclose(h @ v, v * w, atol=1e-10)  # vectors of the matrix UPLO's triangle gives


def test_eigh_bad_uplo_is_numpys_error(backend: str) -> None:
    _numpy_only(backend)
    with warnings.catch_warnings(), pytest.raises(ValueError, match="UPLO"):
        warnings.simplefilter("ignore", FutureWarning)
        np.linalg.eigh(ga.from_array(np.eye(2)), UPLO="X")


@pytest.mark.parametrize("dtype", ["U3", "S3"])
def test_zeros_of_text_are_empty_strings(backend: str, dtype: str) -> None:
    _numpy_only(backend)
    assert_same(ga.zeros(2, dtype=dtype, chunks=1), np.zeros(2, dtype=dtype))  # was ['0', '0']
    a = np.array(["foo", "b"]).astype(dtype)
    assert_same(np.zeros_like(ga.from_array(a, chunks=1)), np.zeros_like(a))
    assert_same(ga.ones(2, dtype=dtype), np.ones(2, dtype=dtype))


@pytest.mark.parametrize("value", [np.str_("ab"), np.bytes_(b"ab")])
def test_full_of_a_numpy_text_scalar(backend: str, value: object) -> None:
    _numpy_only(backend)
    assert_same(ga.full((2,), value), np.full((2,), value))  # was TypeError: string indices must be integers
    a = np.array(["foo", "b"]).astype(value.dtype.kind)
    assert_same(np.full_like(ga.from_array(a, chunks=1), a[1]), np.full_like(a, a[1]))


def test_iterating_an_unknown_length_gives_lens_error(backend: str) -> None:
    x = ga.from_array(np.arange(6.0), chunks=3)
    y = x[x > 3]
    with pytest.raises(ValueError, match="unknown chunk size"):  # was TypeError: 'float' object ... integer
        list(y)
    assert [float(compute(v)) for v in x[:2]] == [0.0, 1.0]
