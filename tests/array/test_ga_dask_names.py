"""dask.array's names besides NumPy's (issue #14), against NumPy and dask.array: statistics, map_overlap,
coarsen, push, more routines, collection-level names, Array methods, random, linalg and fft extras."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(1414)
A = RNG.normal(size=(9, 7))


def arr(data: np.ndarray = A, chunks: object = (4, 3)) -> ga.Array:
    return ga.from_array(data, chunks=chunks)


# -- statistics ----------------------------------------------------------------------------------------------------
def test_average_ptp_moment() -> None:
    import dask.array as da

    w = RNG.random(7)
    for axis in (None, 0, 1):
        assert_same(ga.average(arr(), axis=axis), np.average(A, axis=axis), rtol=1e-12)
        assert_same(ga.ptp(arr(), axis=axis), np.ptp(A, axis=axis))
        for order in (0, 1, 2, 3):
            expected = da.moment(da.from_array(A, chunks=(4, 3)), order, axis=axis).compute()
            assert_same(ga.moment(arr(), order, axis=axis), expected, rtol=1e-10, atol=1e-12)
            assert_same(arr().moment(order, axis=axis, ddof=1),
                        da.moment(da.from_array(A), order, axis=axis, ddof=1).compute(), rtol=1e-10, atol=1e-12)
    avg, total = ga.average(arr(), axis=1, weights=ga.asarray(w), returned=True)
    expected_avg, expected_total = np.average(A, axis=1, weights=w, returned=True)
    assert_same(avg, expected_avg, rtol=1e-12)
    assert_same(total, expected_total, rtol=1e-12)
    assert_same(ga.average(arr(), weights=arr(np.abs(A))), np.average(A, weights=np.abs(A)), rtol=1e-12)
    with pytest.raises(TypeError, match="Axis must be specified"):
        ga.average(arr(), weights=ga.asarray(w))


@pytest.mark.parametrize("wdtype", [np.int64, np.int8, np.bool_, np.float32])
def test_average_returned_weight_sum_has_the_result_dtype(wdtype: type) -> None:
    # NumPy sums the weights in the result dtype: integer weights give a float64 total, not int64
    a, w = np.array([1, 2, 3]), np.array([1, 1, 2]).astype(wdtype)
    avg, total = ga.average(ga.from_array(a), weights=ga.from_array(w), returned=True)
    expected_avg, expected_total = np.average(a, weights=w, returned=True)
    assert_same(avg, expected_avg)
    assert_same(total, expected_total)


@pytest.mark.parametrize("rowvar", [True, False])
def test_cov_corrcoef(rowvar: bool) -> None:
    other = RNG.normal(size=(9, 7))
    assert_same(ga.cov(arr(), rowvar=rowvar), np.cov(A, rowvar=rowvar), rtol=1e-10)
    assert_same(ga.cov(arr(), arr(other), rowvar=rowvar), np.cov(A, other, rowvar=rowvar), rtol=1e-10)
    assert_same(ga.cov(arr(), rowvar=rowvar, bias=True), np.cov(A, rowvar=rowvar, bias=True), rtol=1e-10)
    assert_same(ga.cov(arr(), rowvar=rowvar, ddof=3), np.cov(A, rowvar=rowvar, ddof=3), rtol=1e-10)
    assert_same(ga.corrcoef(arr(), rowvar=rowvar), np.corrcoef(A, rowvar=rowvar), rtol=1e-10)
    assert_same(ga.cov(ga.asarray(A[0])), np.cov(A[0]), rtol=1e-10)
    assert_same(ga.corrcoef(ga.asarray(A[0]), ga.asarray(A[1])), np.corrcoef(A[0], A[1]), rtol=1e-10)


# -- neighbourhoods ------------------------------------------------------------------------------------------------
def _laplace(block: object) -> object:
    out = block * 1.0
    out[1:-1, 1:-1] = (block[2:, 1:-1] + block[:-2, 1:-1] + block[1:-1, 2:] + block[1:-1, :-2]
                       - 4 * block[1:-1, 1:-1])
    return out


@pytest.mark.parametrize("boundary", ["none", "reflect", "periodic", "nearest", 0.5])
def test_overlap_and_map_overlap_match_dask(boundary: object) -> None:
    import dask.array as da

    x, d = arr(), da.from_array(A, chunks=(4, 3))
    got = ga.overlap.overlap(x, depth={0: 2, 1: 1}, boundary=boundary)
    expected = da.overlap.overlap(d, depth={0: 2, 1: 1}, boundary=boundary)
    assert got.chunks == expected.chunks
    assert_same(got, expected.compute())
    got = ga.map_overlap(_laplace, x, depth=1, boundary=boundary, dtype=x.dtype)
    expected = da.map_overlap(_laplace, d, depth=1, boundary=boundary)
    assert got.chunks == expected.chunks
    assert_same(got, expected.compute(), rtol=1e-12)
    assert_same(x.map_overlap(_laplace, depth=1, boundary=boundary, dtype=x.dtype), expected.compute(), rtol=1e-12)


def test_map_overlap_forms() -> None:
    import dask.array as da

    v = np.arange(20.0) ** 2
    x = ga.from_array(v, chunks=((3, 5, 2, 10),))  # blocks shorter than depth are merged first
    expected = da.map_overlap(lambda b: b + 0, da.from_array(v, chunks=((3, 5, 2, 10),)), depth=2, boundary="reflect")
    assert_same(ga.map_overlap(lambda b: b + 0, x, depth=2, boundary="reflect"), expected.compute())
    assert_same(ga.map_overlap(x, lambda b: b * 2, 1), v * 2)  # the older argument order
    two = ga.map_overlap(lambda a, b: a + b, x, ga.from_array(v, chunks=4), depth=1, boundary="periodic")
    assert_same(two, v + v)


def test_coarsen() -> None:
    import dask.array as da

    data = np.arange(48.0).reshape(6, 8)
    for func in (np.sum, np.mean, np.max):
        expected = da.coarsen(func, da.from_array(data, chunks=(2, 4)), {0: 2, 1: 4}).compute()
        assert_same(ga.coarsen(func, ga.from_array(data, chunks=(3, 3)), {0: 2, 1: 4}), expected)
    assert_same(ga.coarsen(np.min, ga.arange(8), {0: 3}, trim_excess=True), np.array([0, 3]))
    with pytest.raises(ValueError, match="do not align"):
        ga.coarsen(np.sum, ga.arange(8), {0: 3})


@pytest.mark.parametrize("n", [None, 1, 2])
@pytest.mark.parametrize("axis", [0, 1])
def test_push_matches_pandas_ffill(n: object, axis: int) -> None:
    data = A.copy()
    data[data < 0.3] = np.nan
    expected = pd.DataFrame(data if axis == 0 else data.T).ffill(limit=n).to_numpy()
    assert_same(ga.push(arr(data), n, axis), expected if axis == 0 else expected.T)


# -- routines ------------------------------------------------------------------------------------------------------
def test_array_shape_ndim_indices_fromfunction() -> None:
    assert_same(ga.array([1, 2], ndmin=3), np.array([1, 2], ndmin=3))
    assert_same(ga.asanyarray(A), np.asanyarray(A))
    assert ga.shape(arr()) == np.shape(A) and ga.shape([[1, 2]]) == (1, 2)
    assert ga.ndim(arr()) == 2 and ga.ndim(3) == 0
    assert_same(ga.indices((3, 4), chunks=2), np.indices((3, 4)))
    assert_same(ga.indices((2, 3, 2), dtype=np.float32), np.indices((2, 3, 2), dtype=np.float32))
    func = lambda i, j: i * 100 + j  # noqa: E731
    assert_same(ga.fromfunction(func, shape=(5, 4), chunks=2), np.fromfunction(func, (5, 4)))
    assert_same(ga.fromfunction(func, shape=(5, 4), dtype=int, chunks=3), np.fromfunction(func, (5, 4), dtype=int))


def test_ediff1d_refuses_extras_not_castable_same_kind_as_numpy() -> None:
    # they were cast: to_begin=-1 wrapped to 255 on uint8, a float to_end was truncated on integers
    u = np.array([5, 3, 9, 9], dtype="u1")
    ints = np.array([5, 3, 9, 9])
    for data, kwargs in ((u, {"to_begin": -1}), (u, {"to_end": np.array([-2])}), (ints, {"to_end": 1.5}),
                         (ints, {"to_begin": [0.5, 1.0]})):
        name = next(iter(kwargs))
        with pytest.raises(TypeError, match=f"dtype of `{name}` must be compatible"):
            np.ediff1d(data, **kwargs)
        with pytest.raises(TypeError, match=f"dtype of `{name}` must be compatible"):
            ga.ediff1d(ga.from_array(data, chunks=2), **kwargs)
    for data, kwargs in ((u, {"to_begin": np.array([7], dtype="u1")}), (ints, {"to_end": [-1, 2], "to_begin": 3}),
                         (np.array([1.0, 4.0]), {"to_begin": 2})):
        assert_same(ga.ediff1d(ga.from_array(data, chunks=2), **kwargs), np.ediff1d(data, **kwargs))


def test_ediff1d_gradient() -> None:
    v = np.array([1.0, 2.0, 4.0, 7.0, 11.0, 16.0])
    assert_same(ga.ediff1d(arr()), np.ediff1d(A))
    assert_same(ga.ediff1d(ga.asarray(v), to_end=[9, 9], to_begin=-1), np.ediff1d(v, to_end=[9, 9], to_begin=-1))
    for edge_order in (1, 2):
        for spacing in ((), (2.0,), (0.5, 3.0)):
            got = ga.gradient(arr(), *spacing, edge_order=edge_order)
            for g, e in zip(got, np.gradient(A, *spacing, edge_order=edge_order)):
                assert_same(g, e, rtol=1e-10, atol=1e-12)
        coords = np.cumsum(RNG.random(9)) + 1
        assert_same(ga.gradient(arr(), ga.asarray(coords), axis=0, edge_order=edge_order),
                    np.gradient(A, coords, axis=0, edge_order=edge_order), rtol=1e-10, atol=1e-12)
    assert_same(ga.gradient(ga.asarray([1, 4, 9, 16])), np.gradient(np.array([1, 4, 9, 16])))


def test_ravel_multi_index_unravel_index() -> None:
    rows, cols = np.array([0, 2, 3, 1]), np.array([4, 0, 2, 5])
    for order in ("C", "F"):
        got = ga.ravel_multi_index((ga.asarray(rows), ga.asarray(cols)), (4, 6), order=order)
        assert_same(got, np.ravel_multi_index((rows, cols), (4, 6), order=order))
        for g, e in zip(ga.unravel_index(ga.asarray([0, 7, 23]), (4, 6), order=order),
                        np.unravel_index([0, 7, 23], (4, 6), order=order)):
            assert_same(g, e)
    big = np.array([7, -1])
    for mode in ("wrap", "clip"):
        assert_same(ga.ravel_multi_index((ga.asarray(big), ga.asarray(big)), (4, 6), mode=mode),
                    np.ravel_multi_index((big, big), (4, 6), mode=mode))
    with pytest.raises(ValueError, match="invalid entry"):
        ga.ravel_multi_index((ga.asarray(big), ga.asarray(big)), (4, 6)).compute()
    with pytest.raises(ValueError, match="out of bounds"):
        ga.unravel_index(ga.asarray([24]), (4, 6))[0].compute()


def test_unravel_index_of_an_int_shape_as_numpy() -> None:
    # an int shape raised (NumPy takes it as one dimension)
    flat = np.array([3, 5, 23])
    for shape in (24, np.int64(24), (24,)):
        for fn in (ga.unravel_index, np.unravel_index):
            got = fn(ga.asarray(flat, chunks=2), shape)
            want = np.unravel_index(flat, shape)
            assert len(got) == len(want)
            for g, e in zip(got, want):
                assert_same(g, e)
    with pytest.raises(ValueError, match="out of bounds"):
        ga.unravel_index(ga.asarray([24]), 24)[0].compute()


def test_apply_over_axes_and_shuffle() -> None:
    cube = np.arange(24.0).reshape(2, 3, 4)
    assert_same(ga.apply_over_axes(ga.sum, ga.asarray(cube), [0, 2]), np.apply_over_axes(np.sum, cube, [0, 2]))
    assert_same(ga.apply_over_axes(np.sum, ga.asarray(cube), 1), np.apply_over_axes(np.sum, cube, 1))
    groups = [[8, 0], [3], [1, 2, 4, 5, 6], [7]]
    got = ga.shuffle(arr(), groups, axis=0)
    assert_same(got, A[[i for g in groups for i in g]])
    assert got.chunks[0] == (3, 5, 1)
    assert_same(arr().shuffle([[1, 0], [6, 5, 4, 3, 2]], axis=1), A[:, [1, 0, 6, 5, 4, 3, 2]])


# -- collection-level names ----------------------------------------------------------------------------------------
def test_compute_assert_eq_unify_chunks() -> None:
    total, largest = ga.compute(arr().sum(), arr().max())
    np.testing.assert_allclose(compute(total), A.sum())
    assert ga.assert_eq(arr() * 2, A * 2)
    with pytest.raises(AssertionError):
        ga.assert_eq(arr(), A + 1)
    chunkss, (x, y) = ga.unify_chunks(arr(), "ij", ga.from_array(A[0], chunks=2), "j")
    assert chunkss["j"] == x.chunks[1] == y.chunks[0] == (2, 1, 1, 2, 1)
    assert chunkss["i"] == (4, 4, 1)


def test_from_delayed_to_delayed() -> None:
    import dask

    x = ga.from_delayed(dask.delayed(np.ones)((3, 4)), shape=(3, 4), dtype=float)
    assert_same(x + 1, np.ones((3, 4)) + 1)
    parts = arr().to_delayed()
    assert parts.shape == (3, 3)
    np.testing.assert_array_equal(compute(parts[1, 2].compute()), A[4:8, 6:7])
    with pytest.raises(TypeError):
        ga.from_delayed(A, shape=A.shape)


def test_from_delayed_name_is_the_arrays_name() -> None:
    # dask's name= names the array (xarray's DataArray(x) takes x.name as its name)
    import dask
    import dask.array as da

    value = dask.delayed(np.arange, name="data")(3)
    got = ga.from_delayed(value, shape=(3,), dtype=np.int64, name="data")
    assert got.name == da.from_delayed(value, shape=(3,), dtype=np.int64, name="data").name == "data"
    assert_same(got * 2, np.arange(3) * 2)
    assert ga.from_delayed(value, shape=(3,), dtype=np.int64).name != "data"


# -- Array methods -------------------------------------------------------------------------------------------------
def test_array_methods(backend: str) -> None:
    x = arr()
    assert_same(x.all(axis=0), A.all(axis=0))
    assert_same((x > 0).any(), (A > 0).any())
    assert_same(x.prod(axis=1), A.prod(axis=1), rtol=1e-12)
    assert_same(x.argmax(axis=0), A.argmax(axis=0))
    assert_same(x.argmin(), A.argmin())
    assert_same(x.clip(-0.5, 0.5), A.clip(-0.5, 0.5))
    assert_same(x.round(2), A.round(2))
    assert_same(x.repeat(2, axis=1), A.repeat(2, axis=1))
    assert_same(x.copy(), A)
    assert x.itemsize == 8 and x.A is x and x.partitions[0, 0].shape == (4, 3)
    assert isinstance(x.dask, dict) and len(x.dask) >= x.npartitions
    z = ga.asarray(A + 2j * A)
    assert_same(z.real, A)
    assert_same(z.imag, 2 * A)
    assert_same(x.real, A)
    assert_same(x.imag, np.zeros_like(A))
    for got, expected in zip((x > 1).nonzero(), (A > 1).nonzero()):
        np.testing.assert_array_equal(compute(got), expected)
    if backend == "numpy":
        assert_same(x.view(np.int64), A.view(np.int64))
        assert_same(ga.from_array(A, chunks=(4, 7)).view(np.float32), A.view(np.float32))


def test_store_and_dataframe(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("NumPy targets and pandas frames take host data")
    target = np.zeros(A.shape)
    arr().store(target)
    np.testing.assert_array_equal(target, A)
    frame = arr(A, (4, 7)).to_dask_dataframe(columns=list("abcdefg"))
    pd.testing.assert_frame_equal(frame.compute(), pd.DataFrame(A, columns=list("abcdefg")))


# -- random --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,args", [("beta", (2.0, 3.0)), ("gamma", (2.0,)), ("chisquare", (3.0,)),
                                       ("lognormal", ()), ("pareto", (3.0,)), ("standard_exponential", ()),
                                       ("geometric", (0.3,)), ("zipf", (2.0,)), ("triangular", (0.0, 0.5, 1.0))])
def test_random_distributions(name: str, args: tuple) -> None:
    x = getattr(ga.random, name)(*args, size=(50, 4), chunks=(10, 4), seed=3)
    assert x.shape == (50, 4) and x.chunks == ((10,) * 5, (4,))
    expected_dtype = getattr(np.random.default_rng(0), name)(*args, size=1).dtype
    assert x.dtype == expected_dtype
    again = getattr(ga.random, name)(*args, size=(50, 4), chunks=(10, 4), seed=3)
    np.testing.assert_array_equal(compute(x), compute(again))


def test_random_seed_choice_permutation() -> None:
    ga.random.seed(5)
    first = compute(ga.random.normal(size=20, chunks=5))
    ga.random.seed(5)
    np.testing.assert_array_equal(compute(ga.random.normal(size=20, chunks=5)), first)
    assert sorted(compute(ga.random.permutation(10, seed=1)).tolist()) == list(range(10))
    permuted = compute(ga.random.permutation(arr(), seed=1))
    np.testing.assert_array_equal(np.sort(permuted, axis=0), np.sort(A, axis=0))
    picks = compute(ga.random.choice(arr(A[:, 0], 3), size=200, seed=2))
    assert set(picks.tolist()) <= set(A[:, 0].tolist())
    weighted = compute(ga.random.choice(4, size=500, p=[0.0, 0.2, 0.0, 0.8], seed=4, chunks=100))
    assert set(weighted.tolist()) <= {1, 3} and (weighted == 3).mean() > 0.6
    distinct = compute(ga.random.choice(9, size=9, replace=False, seed=6))
    assert sorted(distinct.tolist()) == list(range(9))
    with pytest.raises(ValueError, match="larger sample"):
        ga.random.choice(3, size=4, replace=False)
    with pytest.raises(ValueError, match="sum to 1"):
        ga.random.choice(3, p=[0.5, 0.2, 0.2])
    state = ga.random.RandomState(8)
    assert state.choice(5, size=3).shape == (3,)
    with pytest.warns(DeprecationWarning, match="random_integers is deprecated"):  # as NumPy's and dask's
        values = compute(ga.random.random_integers(2, 4, size=300, seed=0))
    assert values.min() == 2 and values.max() == 4


# -- linalg and fft ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
                                   np.float16, np.float32])
def test_lu_factors_in_scipys_lapack_dtype(dtype: type, backend: str) -> None:
    # scipy.linalg.lu (and dask) factor bool, 8/16-bit integers and float16 as float32 (they gave float64 / float16)
    import dask.array as da
    import scipy.linalg

    if dtype is np.float16 and backend == "array_api_strict":
        pytest.skip("array-api-strict has no float16")

    square = np.array([[2, 1, 0], [1, 3, 1], [0, 1, 4]]).astype(dtype)
    got = ga.linalg.lu(ga.from_array(square, chunks=2))
    dasks = da.linalg.lu(da.from_array(square))  # (dask needs square blocks)
    for mine, want, theirs in zip(got, scipy.linalg.lu(square), dasks, strict=True):
        assert mine.dtype == want.dtype == theirs.dtype
        assert_same(mine, want, rtol=1e-6)


def test_linalg_extras(backend: str) -> None:
    import scipy.linalg

    tall = RNG.normal(size=(40, 4))
    x = ga.from_array(tall, chunks=(10, 4))
    q, r = ga.linalg.tsqr(x)
    np.testing.assert_allclose(compute(q) @ compute(r), tall, atol=1e-10)
    u, s, vh = ga.linalg.tsqr(x, compute_svd=True)
    np.testing.assert_allclose(compute(s), np.linalg.svd(tall, compute_uv=False), rtol=1e-10)
    b = RNG.normal(size=40)
    solution, residuals, rank, sv = ga.linalg.lstsq(x, ga.asarray(b))
    expected = np.linalg.lstsq(tall, b, rcond=None)
    np.testing.assert_allclose(compute(solution), expected[0], rtol=1e-8)
    np.testing.assert_allclose(compute(residuals), expected[1], rtol=1e-8)
    assert int(rank) == expected[2]
    np.testing.assert_allclose(compute(sv), expected[3], rtol=1e-8)
    square = RNG.normal(size=(6, 6))
    p, lower, upper = ga.linalg.lu(ga.from_array(square, chunks=3))
    for got, want in zip((p, lower, upper), scipy.linalg.lu(square)):
        np.testing.assert_allclose(compute(got), want, atol=1e-12)
    rhs = RNG.normal(size=(6, 2))
    for lower_flag in (False, True):
        tri = np.tril(square) if lower_flag else np.triu(square)
        got = ga.linalg.solve_triangular(ga.asarray(tri), ga.asarray(rhs), lower=lower_flag)
        np.testing.assert_allclose(compute(got), scipy.linalg.solve_triangular(tri, rhs, lower=lower_flag),
                                   rtol=1e-10)
    for ord_, axis in ((None, None), ("fro", None), (1, 0), (np.inf, 1), (2, 1), (-1, (0, 1)), ("nuc", (0, 1))):
        if ord_ == "nuc" and backend != "numpy":
            continue
        assert_same(ga.linalg.norm(x, ord=ord_, axis=axis), np.linalg.norm(tall, ord=ord_, axis=axis), rtol=1e-10)


def test_svd_compressed() -> None:
    low_rank = RNG.random((60, 4)) @ RNG.random((4, 30))
    x = ga.from_array(low_rank, chunks=(15, 10))
    u, s, vh = ga.linalg.svd_compressed(x, k=4, seed=0, n_power_iter=1)
    assert u.shape == (60, 4) and s.shape == (4,) and vh.shape == (4, 30)
    np.testing.assert_allclose(compute(s), np.linalg.svd(low_rank, compute_uv=False)[:4], rtol=1e-8)
    np.testing.assert_allclose(compute(u) * compute(s) @ compute(vh), low_rank, atol=1e-8)
    assert (compute(vh).sum(axis=1) >= 0).all()  # dask's svd_flip: each row of vh sums to >= 0


def test_fft2() -> None:
    data = RNG.normal(size=(6, 8, 4))
    x = ga.from_array(data, chunks=(3, 4, 2))
    for axes in ((-2, -1), (0, 2)):
        assert_same(ga.fft.fft2(x, axes=axes), np.fft.fft2(data, axes=axes), rtol=1e-10, atol=1e-10)
        assert_same(ga.fft.ifft2(x, axes=axes), np.fft.ifft2(data, axes=axes), rtol=1e-10, atol=1e-10)
        assert_same(ga.fft.rfft2(x, axes=axes), np.fft.rfft2(data, axes=axes), rtol=1e-10, atol=1e-10)
        spectrum = np.fft.rfft2(data, axes=axes)
        assert_same(ga.fft.irfft2(ga.asarray(spectrum), axes=axes), np.fft.irfft2(spectrum, axes=axes),
                    rtol=1e-10, atol=1e-10)
    assert_same(ga.fft.fft2(x, s=(4, 5), norm="ortho"), np.fft.fft2(data, s=(4, 5), norm="ortho"),
                rtol=1e-10, atol=1e-10)
