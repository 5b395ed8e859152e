"""NaN-skipping reductions and scans against NumPy and dask.array (issue 14)."""

from __future__ import annotations

import warnings

import dask.array as da
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(14)
DATA = RNG.normal(size=(7, 6, 5))
DATA[DATA > 1.0] = np.nan
DATA[:, 2, :] = np.nan  # all-NaN slices along axes 0 and 2
CHUNKS = (2, 4, 3)

NAN_REDUCTIONS = ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmin", "nanmax"]


def _numpy(name: str, data: np.ndarray, **kwargs: object) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return getattr(np, name)(data, **kwargs)


def _quiet(x: ga.Array) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return compute(x)


@pytest.mark.parametrize("axis", [None, 0, 1, 2, (0, 2), -1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", NAN_REDUCTIONS)
def test_nan_reductions_match_numpy(name: str, axis: object, keepdims: bool) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    got = getattr(ga, name)(x, axis=axis, keepdims=keepdims)
    want = _numpy(name, DATA, axis=axis, keepdims=keepdims)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(_quiet(got), want, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", NAN_REDUCTIONS)
def test_nan_reductions_match_dask(name: str) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    d = da.from_array(DATA, chunks=CHUNKS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = getattr(da, name)(d, axis=1).compute()
    np.testing.assert_allclose(_quiet(getattr(ga, name)(x, axis=1)), want, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("ddof", [0, 1, 3])
@pytest.mark.parametrize("name", ["nanvar", "nanstd"])
def test_ddof(name: str, ddof: int) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    for axis in (None, 0, (1, 2)):
        np.testing.assert_allclose(_quiet(getattr(ga, name)(x, axis=axis, ddof=ddof)),
                                   _numpy(name, DATA, axis=axis, ddof=ddof), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name, message", [("nanmin", "All-NaN slice encountered"),
                                           ("nanmax", "All-NaN slice encountered"),
                                           ("nanmean", "Mean of empty slice"),
                                           ("nanvar", "Degrees of freedom <= 0 for slice"),
                                           ("nanstd", "Degrees of freedom <= 0 for slice")])
def test_all_nan_slice_warns_like_numpy(name: str, message: str) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    with pytest.warns(RuntimeWarning, match=message):
        np.testing.assert_equal(getattr(np, name)(DATA, axis=0)[2], np.full(5, np.nan))
    lazy = getattr(ga, name)(x, axis=0)  # building warns nothing: the values are not known yet
    with pytest.warns(RuntimeWarning, match=message):
        got = compute(lazy)
    np.testing.assert_equal(got[2], np.full(5, np.nan))
    some = ga.from_array(np.array([[1.0, np.nan], [2.0, 3.0], [np.nan, 5.0]]), chunks=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no all-NaN slice: no warning
        compute(getattr(ga, name)(some, axis=0))


@pytest.mark.parametrize("name, message", [("nanmin", "All-NaN slice encountered"),
                                           ("nanmax", "All-NaN slice encountered"),
                                           ("nanmean", "Mean of empty slice"),
                                           ("nanvar", "Degrees of freedom <= 0 for slice"),
                                           ("nanstd", "Degrees of freedom <= 0 for slice")])
def test_all_nan_warning_ignored_where_built_stays_ignored(name: str, message: str) -> None:
    # xarray builds nanmean under filterwarnings("ignore", "Mean of empty slice") and computes later: NumPy is
    # quiet under that filter (dask gives no such warning)
    x = ga.from_array(DATA, chunks=CHUNKS)
    d = da.from_array(DATA, chunks=CHUNKS)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message, RuntimeWarning)
        lazy = getattr(ga, name)(x, axis=0)
        want = getattr(np, name)(DATA, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = compute(lazy)
    np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(got, _quiet(getattr(da, name)(d, axis=0)), rtol=1e-12, equal_nan=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "an unrelated warning", RuntimeWarning)
        loud = getattr(ga, name)(x, axis=0)  # another filter: still NumPy's warning when computed
    with pytest.warns(RuntimeWarning, match=message):
        compute(loud)


def test_nansum_and_nanprod_of_all_nan_are_0_and_1() -> None:
    data = np.full((4, 3), np.nan)
    x = ga.from_array(data, chunks=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same(ga.nansum(x, axis=0), np.nansum(data, axis=0))
        assert_same(ga.nanprod(x), np.nanprod(data))


@pytest.mark.parametrize("name", ["nanargmin", "nanargmax"])
def test_nanarg_reductions(name: str) -> None:
    data = DATA[:, [0, 1, 3, 4], :]  # no all-NaN slice along axis 1
    x = ga.from_array(data, chunks=CHUNKS)
    for axis in (1, -1):
        want = getattr(np, name)(data, axis=axis)
        assert_same(getattr(ga, name)(x, axis=axis), want)
        assert_same(getattr(ga, name)(x, axis=axis, keepdims=True), np.expand_dims(want, axis))
    assert_same(getattr(ga, name)(x), getattr(np, name)(data))
    assert_same(getattr(ga, name)(ga.from_array(DATA, chunks=CHUNKS)), getattr(np, name)(DATA))
    d = da.from_array(data, chunks=CHUNKS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # dask warns for its all-NaN blocks
        want = getattr(da, name)(d, axis=2).compute()
    np.testing.assert_array_equal(compute(getattr(ga, name)(x, axis=2)), want)


@pytest.mark.parametrize("name", ["nanargmin", "nanargmax"])
def test_nanarg_of_an_all_nan_slice_raises_like_numpy(name: str) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    with pytest.raises(ValueError, match="All-NaN slice encountered"):
        getattr(np, name)(DATA, axis=0)
    out = getattr(ga, name)(x, axis=0)  # lazy: the error comes when computed
    with pytest.raises(ValueError, match="All-NaN slice encountered"):
        compute(out)


def test_nanarg_prefers_a_number_over_an_all_nan_block() -> None:
    # the first block is all NaN (its stand-in value is inf), the minimum of the rest is inf itself
    data = np.array([np.nan, np.nan, np.inf, 5.0, np.inf, -np.inf, np.nan])
    x = ga.from_array(data, chunks=2)
    assert_same(ga.nanargmax(x), np.nanargmax(data))
    assert_same(ga.nanargmin(x), np.nanargmin(data))
    assert_same(ga.nanargmax(ga.from_array(data[:5], chunks=2)), np.nanargmax(data[:5]))


@pytest.mark.parametrize("name", ["nanargmin", "nanargmax"])
def test_nanarg_tie_of_nan_and_infinity_does_not_depend_on_chunks(name: str) -> None:
    # NumPy fills NaN with -inf (+inf for nanargmin): a NaN before an equal infinity wins the tie; an
    # all-NaN block never won it, so chunks=1 gave the infinity's index and chunks=3 NumPy's
    inf = np.inf if name == "nanargmin" else -np.inf
    for data in (np.array([np.nan, inf, np.nan]), np.array([2.0, np.nan, np.nan, inf, inf]),
                 np.array([[np.nan, 1.0], [inf, np.nan], [np.nan, inf]])):
        for chunks in (1, 2, 3):
            for axis in (None, 0) if data.ndim == 2 else (None,):
                assert_same(getattr(ga, name)(ga.from_array(data, chunks=chunks), axis=axis),
                            getattr(np, name)(data, axis=axis))
    with pytest.raises(ValueError, match="All-NaN slice encountered"):
        compute(getattr(ga, name)(ga.from_array(np.array([np.nan, np.nan, np.nan]), chunks=1)))


@pytest.mark.parametrize("dtype", ["int32", "bool", "float32", "uint8"])
@pytest.mark.parametrize("name", ["nansum", "nanprod", "nanmean", "nanvar"])
def test_result_dtypes_are_numpys(name: str, dtype: str) -> None:
    data = (np.arange(24).reshape(4, 6) % 5).astype(dtype)
    x = ga.from_array(data, chunks=(3, 4))
    want = getattr(np, name)(data, axis=0)
    got = getattr(ga, name)(x, axis=0)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(compute(got), want, rtol=1e-6)


def test_integer_min_max_and_argmin() -> None:
    data = RNG.integers(-50, 50, size=(9, 4))
    x = ga.from_array(data, chunks=(4, 3))
    assert_same(ga.nanmin(x, axis=0), np.nanmin(data, axis=0))
    assert_same(ga.nanmax(x), np.nanmax(data))
    assert_same(ga.nanargmin(x, axis=0), np.nanargmin(data, axis=0))


def test_complex_nansum_nanmean_nanvar() -> None:
    data = RNG.normal(size=(6, 4)) + 1j * RNG.normal(size=(6, 4))
    data[1, 2] = complex(np.nan, 0)
    x = ga.from_array(data, chunks=(4, 3))
    for name in ("nansum", "nanmean", "nanvar"):
        want = getattr(np, name)(data, axis=0)
        got = getattr(ga, name)(x, axis=0)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(compute(got), want, rtol=1e-12)


def test_explicit_dtype_split_every_and_out() -> None:
    x = ga.from_array(DATA, chunks=(1, 1, 1))  # many blocks: several tree levels
    assert_same(ga.nansum(x, dtype=ga.float32, split_every=3), np.nansum(DATA, dtype=np.float32), rtol=1e-5)
    np.testing.assert_allclose(_quiet(ga.nanmean(x, axis=(0, 1), split_every=2)),
                               _numpy("nanmean", DATA, axis=(0, 1)), rtol=1e-12)
    out = ga.zeros((6, 5))
    result = ga.nansum(x, axis=0, out=out)
    assert result is out
    assert_same(out, np.nansum(DATA, axis=0))


@pytest.mark.parametrize("axis", [None, 0, 1, 2])
@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
def test_nan_scans(name: str, axis: object) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    want = getattr(np, name)(DATA, axis=axis)
    got = getattr(ga, name)(x, axis=axis)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(compute(got), want, rtol=1e-12)
    if axis is not None:
        d = da.from_array(DATA, chunks=CHUNKS)
        np.testing.assert_allclose(compute(got), getattr(da, name)(d, axis=axis).compute(), rtol=1e-12)


def test_nan_scan_of_integers_keeps_numpys_dtype() -> None:
    data = np.arange(10, dtype=np.int32)
    assert_same(ga.nancumsum(ga.from_array(data, chunks=3), axis=0), np.nancumsum(data, axis=0))


def test_lists_and_numpy_arrays_are_accepted() -> None:
    assert_same(ga.nansum([1.0, np.nan, 2.0]), np.nansum([1.0, np.nan, 2.0]))


@settings(max_examples=40, deadline=None)
@given(shape=st.tuples(st.integers(1, 7), st.integers(1, 6)),
       chunk=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       nan_fraction=st.sampled_from([0.0, 0.3, 0.8, 1.0]),
       axis=st.sampled_from([None, 0, 1]),
       seed=st.integers(0, 2**16))
def test_hypothesis_nan_reductions_any_nan_pattern_and_chunking(shape: tuple, chunk: tuple, nan_fraction: float,
                                                                  axis: object, seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=shape)
    data[rng.random(shape) < nan_fraction] = np.nan
    x = ga.from_array(data, chunks=chunk)
    for name in ("nansum", "nanmean", "nanvar", "nanmax"):
        np.testing.assert_allclose(_quiet(getattr(ga, name)(x, axis=axis)), _numpy(name, data, axis=axis),
                                   rtol=1e-10, atol=1e-12, equal_nan=True)
    for name in ("nanargmin", "nanargmax"):
        try:
            want = getattr(np, name)(data, axis=axis)
        except ValueError:
            with pytest.raises(ValueError, match="All-NaN"):
                compute(getattr(ga, name)(x, axis=axis))
        else:
            np.testing.assert_array_equal(compute(getattr(ga, name)(x, axis=axis)), want)


@pytest.mark.parametrize("name", ["nansum", "nanprod", "nanmin", "nanmax", "sum", "min", "max", "nancumsum",
                                  "nancumprod"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_object_arrays_skip_nan_as_numpy(name: str, axis: object, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("object arrays are NumPy chunks only")
    data = np.array([[1, np.nan, 3, 4], [5, 6, 7, np.nan], [9, 10, 11, 12]], dtype=object)
    got = getattr(ga, name)(ga.from_array(data, chunks=(2, 2)), axis=axis)
    want = getattr(np, name)(data, axis=axis)
    assert got.dtype == object and (axis is None or want.dtype == object)  # NumPy: the object itself for all
    np.testing.assert_array_equal(np.asarray(compute(got), dtype=float), np.asarray(want, dtype=float))


@pytest.mark.parametrize("name", ["var", "std", "nanvar", "nanstd"])
@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["f8", "f4"])
def test_complex_data_in_a_real_dtype_spreads_as_numpy(name: str, axis: object, dtype: str, backend: str) -> None:
    # NumPy: the mean of the real parts, the squared distances of the complex values from it
    if backend != "numpy":
        pytest.skip("array-api-strict refuses complex to real casts")
    data = RNG.normal(size=(5, 4)) + 1j * RNG.normal(size=(5, 4))
    data[1, 2] = complex(np.nan, 0) if name.startswith("nan") else data[1, 2]
    x = ga.from_array(data, chunks=(2, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        want = getattr(np, name)(data, axis=axis, dtype=dtype, ddof=1)
        got = compute(getattr(ga, name)(x, axis=axis, dtype=dtype, ddof=1))
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5)


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nanarg_of_strings_and_integers_as_numpy(name: str, backend: str) -> None:
    integers = np.array([[3, 1, 9, 9, 2], [5, 5, 1, 0, 5]])
    for axis in (None, 0, 1):
        assert_same(getattr(ga, name)(ga.from_array(integers, chunks=2), axis=axis),
                    getattr(np, name)(integers, axis=axis))
    if backend == "numpy":
        words = np.array(["b", "a", "", "c", "ab", "c"])
        assert int(getattr(ga, name)(ga.from_array(words, chunks=2))) == getattr(np, name)(words)


@pytest.mark.parametrize("data", ["no NaN", "one NaN", "inf - inf", "a strided view"])
def test_nanmean_of_blocks_without_nan_equals_numpys_bit_for_bit(data: str) -> None:
    # a block whose plain sum is free of NaN holds none: its sum and count skip the NaN mask and the filled copy
    from gpuscale.backends.array._nan import nan_chunk

    x = np.random.default_rng(5).normal(288.0, 5.0, (9, 6, 4)).astype("float32")
    if data == "one NaN":
        x[3, 2, 1] = np.nan
    elif data == "inf - inf":
        x[0, 0, 0], x[1, 0, 0] = np.inf, -np.inf
    elif data == "a strided view":
        x = x[::2]
    total, count = nan_chunk("nanmean", x, (0,))
    expected = np.nansum(x, axis=0, keepdims=True)
    assert total.dtype == expected.dtype and np.array_equal(total, expected, equal_nan=True)
    assert count.dtype == np.float64
    np.testing.assert_array_equal(count, np.sum(~np.isnan(x), axis=0, keepdims=True))
    blocks = ga.from_array(x, chunks=(4, 6, 4))
    np.testing.assert_allclose(compute(ga.nanmean(blocks, axis=0)), np.nanmean(x, axis=0), rtol=1e-6)
