"""apply_gufunc / gufunc / as_gufunc against dask.array and NumPy (issue 14)."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(41)
DATA = RNG.normal(size=(10, 6, 4))
VECTOR = RNG.normal(size=4)


def _mean_last(a):
    xp = a.__array_namespace__() if hasattr(a, "__array_namespace__") else np
    return xp.mean(a, axis=-1)


def _min_max(a):
    xp = a.__array_namespace__() if hasattr(a, "__array_namespace__") else np
    return xp.min(a, axis=-1), xp.max(a, axis=-1)


def _outer(a, b):
    return a[..., :, None] * b[..., None, :]


def test_one_output_matches_dask() -> None:
    x = ga.from_array(DATA, chunks=(3, 2, 4))
    got = ga.apply_gufunc(_mean_last, "(i)->()", x)
    assert got.shape == (10, 6) and got.chunks == ((3, 3, 3, 1), (2, 2, 2))
    want = da.apply_gufunc(_mean_last, "(i)->()", da.from_array(DATA, chunks=(3, 2, 4)), output_dtypes=float)
    np.testing.assert_allclose(compute(got), want.compute())


def test_core_dimension_in_several_blocks_needs_allow_rechunk() -> None:
    x = ga.from_array(DATA, chunks=(3, 2, 2))
    with pytest.raises(ValueError, match="allow_rechunk"):
        ga.apply_gufunc(_mean_last, "(i)->()", x)
    assert_same(ga.apply_gufunc(_mean_last, "(i)->()", x, allow_rechunk=True), DATA.mean(-1))


def test_axis_axes_and_keepdims() -> None:
    x = ga.from_array(DATA, chunks=(3, 6, 2))
    assert_same(ga.apply_gufunc(_mean_last, "(i)->()", x, axis=1), DATA.mean(1))
    assert_same(ga.apply_gufunc(_mean_last, "(i)->()", x, axis=1, keepdims=True), DATA.mean(1, keepdims=True))
    assert_same(ga.apply_gufunc(_mean_last, "(i)->()", x, axes=[(1,), ()]), DATA.mean(1))
    want = da.apply_gufunc(_mean_last, "(i)->()", da.from_array(DATA, chunks=(3, 6, 2)), axis=1,
                           output_dtypes=float)
    np.testing.assert_allclose(compute(ga.apply_gufunc(_mean_last, "(i)->()", x, axis=1)), want.compute())


def test_several_outputs() -> None:
    x = ga.from_array(DATA, chunks=(4, 3, 4))
    low, high = ga.apply_gufunc(_min_max, "(i)->(),()", x)
    assert_same(low, DATA.min(-1))
    assert_same(high, DATA.max(-1))


def test_broadcast_loop_dimensions_and_new_core_dimension() -> None:
    x = ga.from_array(DATA, chunks=(3, 2, 4))
    y = ga.from_array(VECTOR, chunks=4)
    got = ga.apply_gufunc(_outer, "(i),(j)->(i,j)", x, y)
    assert_same(got, DATA[..., :, None] * VECTOR[None, None, None, :])
    want = da.apply_gufunc(_outer, "(i),(j)->(i,j)", da.from_array(DATA, chunks=(3, 2, 4)), VECTOR,
                           output_dtypes=float)
    np.testing.assert_allclose(compute(got), want.compute())


def test_vectorize_on_core_slices(backend: str) -> None:
    x = ga.from_array(DATA, chunks=(3, 2, 4))
    y = ga.from_array(VECTOR, chunks=4)
    calls = []

    def dot(a, b):
        calls.append(a.shape)
        return a @ b  # a 0-d array of the chunk library: on the device for device chunks

    got = ga.apply_gufunc(dot, "(i),(i)->()", x, y, vectorize=True, output_dtypes="float64")
    assert_same(got, DATA @ VECTOR)
    assert set(calls) == {(4,)}
    first_two = ga.apply_gufunc(lambda a: a[:2] * 2, "(i)->(k)", x, vectorize=True, output_sizes={"k": 2})
    assert_same(first_two, DATA[..., :2] * 2)
    want = da.apply_gufunc(lambda a, b: a @ b, "(i),(i)->()", da.from_array(DATA, chunks=(3, 2, 4)), VECTOR,
                           vectorize=True, output_dtypes=float)
    np.testing.assert_allclose(compute(got), want.compute())


def test_python_scalars_from_a_vectorized_function(backend: str) -> None:
    x = ga.from_array(DATA[:3, :2], chunks=(2, 1, 4))
    got = ga.apply_gufunc(lambda a: 1.5, "(i)->()", x, vectorize=True, output_dtypes="float64")
    assert_same(got, np.full((3, 2), 1.5))


def test_elements_of_inputs_without_core_dimensions(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("strings and NumPy scalars are NumPy's")
    # numpy.vectorize hands a function an element, not a 0-d array: len() of a string, np.timedelta64 of an
    # integer (xarray's .str.len() and .dt.decimal_year on chunked data) work on it.
    words = np.array([["a", "bb", "ccc"], ["dddd", "", "ee"]])
    got = ga.apply_gufunc(len, "()->()", ga.from_array(words, chunks=(1, 2)), vectorize=True,
                          output_dtypes="int64")
    np.testing.assert_array_equal(compute(got), np.vectorize(len, signature="()->()")(words))
    days = np.array([365, 366, 365, 365])

    def in_days(hours, n):
        return np.timedelta64(hours, "h") / np.timedelta64(n, "D")

    hours = np.array([0, 24, 48, 96])
    got = ga.apply_gufunc(in_days, "(),()->()", ga.from_array(hours, chunks=3), ga.from_array(days, chunks=3),
                          vectorize=True, output_dtypes="float64")
    want = da.apply_gufunc(in_days, "(),()->()", da.from_array(hours, chunks=3), da.from_array(days, chunks=3),
                           vectorize=True, output_dtypes=float)
    np.testing.assert_array_equal(compute(got), want.compute())


def test_gufunc_and_as_gufunc() -> None:
    x = ga.from_array(DATA, chunks=(5, 3, 4))

    @ga.as_gufunc("(i)->()", output_dtypes="float64", vectorize=True)
    def ends(a):
        return a[0] + a[-1]

    assert_same(ends(x), DATA[..., 0] + DATA[..., -1])
    mean = ga.gufunc(_mean_last, signature="(i)->()")
    assert_same(mean(x), DATA.mean(-1))


def test_signature_and_argument_errors() -> None:
    x = ga.from_array(DATA, chunks=(5, 3, 4))
    with pytest.raises(ValueError, match="Not a valid gufunc signature"):
        ga.apply_gufunc(_mean_last, "(i->)", x)
    with pytest.raises(ValueError, match="requires 2 arguments"):
        ga.apply_gufunc(_outer, "(i),(j)->(i,j)", x)
    with pytest.raises(ValueError, match="output_sizes"):
        ga.apply_gufunc(lambda a: a, "(i)->(k)", x, output_dtypes="float64")
    with pytest.raises(ValueError, match="different lengths"):
        ga.apply_gufunc(lambda a, b: a, "(i),(i)->()", x, ga.ones(3), output_dtypes="float64")
    with pytest.raises(ValueError, match="output_dtypes"):
        ga.apply_gufunc(lambda a: a.no_such_method(), "(i)->()", x)


def test_numpy_gufunc_through_the_ufunc_protocol(backend: str) -> None:
    x = ga.from_array(DATA, chunks=(5, 3, 4))
    y = ga.from_array(VECTOR, chunks=4)
    got = np.matmul(x, y)  # NumPy's matmul is a gufunc: gpuscale's matmul
    assert isinstance(got, ga.Array)
    assert_same(got, DATA @ VECTOR, rtol=1e-12)
