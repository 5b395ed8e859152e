"""What dask's example and tutorial notebooks do with dask.array (benchmarks/notebooks_compat.py runs them),
checked against dask.array and NumPy: 0-d results are NumPy scalars, numba ufuncs/gufuncs stay lazy,
``randint(dtype=)``, byte-size chunks per axis, ``linalg.svd(x)`` of a chunked matrix."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga

da = pytest.importorskip("dask.array")


def test_zero_d_results_are_numpy_scalars():
    xn = np.arange(12.0).reshape(3, 4)
    x = ga.asarray(xn, chunks=2, backend="cpu")
    d = da.from_array(xn, chunks=2)
    for ours, theirs in [(x.sum(), d.sum()), (x[1, 2], d[1, 2]), (ga.max(x), d.max()), (x.sum() > 3, d.sum() > 3)]:
        got, expected = ours.compute(), theirs.compute()
        assert type(got) is type(expected), (type(got), type(expected))
        assert got == expected
    assert type(gpuscale.compute(x.mean())[0]) is np.float64
    assert isinstance(x[0].compute(), np.ndarray)  # 1-d stays an array


def test_numba_guvectorize_on_a_gpuscale_array_is_lazy():
    numba = pytest.importorskip("numba")

    @numba.guvectorize([(numba.int8[:, :], numba.int8[:, :])], "(n, m) -> (n, m)")
    def smooth(x, out):
        out[:] = x // 2 + 1

    xn = np.random.RandomState(0).randint(0, 127, size=(4, 6, 5)).astype("int8")
    x = ga.asarray(xn, chunks=(2, 6, 5), backend="cpu")
    y = smooth(x)
    assert isinstance(y, ga.Array) and y.dtype == ga.int8 and y.chunks == x.chunks
    np.testing.assert_array_equal(y.compute(), smooth(xn))
    np.testing.assert_array_equal(x.map_blocks(smooth, dtype="int8").compute(), smooth(xn))


def test_numba_vectorize_on_a_gpuscale_array_is_lazy():
    numba = pytest.importorskip("numba")

    @numba.vectorize(["float64(float64, float64)"])
    def f(a, b):
        return a * 2 + b

    a = ga.arange(10.0, chunks=4, backend="cpu")
    y = f(a, 1.0)
    assert isinstance(y, ga.Array)
    np.testing.assert_array_equal(y.compute(), f(np.arange(10.0), 1.0))


def test_randint_dtype_and_byte_size_chunks_per_axis():
    x = ga.random.randint(0, 127, size=(128, 100, 1000), chunks=("6.4 MB", None, None), dtype="int8", backend="cpu")
    theirs = da.random.randint(0, 127, size=(128, 100, 1000), chunks=("6.4 MB", None, None), dtype="int8")
    assert x.dtype == ga.int8 and theirs.dtype == np.int8
    assert x.chunks == theirs.chunks == ((64, 64), (100,), (1000,))
    values = x.compute()
    assert values.dtype == np.int8 and values.min() >= 0 and values.max() < 127
    assert ga.ones((1000, 1000), chunks=("1MB", 100)).chunks == da.ones((1000, 1000), chunks=("1MB", 100)).chunks


@pytest.mark.parametrize("shape,chunks", [((2000, 30), (500, 30)), ((30, 2000), (30, 500))])
def test_svd_of_a_chunked_matrix_is_dasks(shape, chunks):
    xn = np.random.RandomState(0).random_sample(shape)
    u, s, vh = ga.linalg.svd(ga.asarray(xn, chunks=chunks, backend="cpu"))
    du, ds, dvh = da.linalg.svd(da.from_array(xn, chunks=chunks))
    assert (u.shape, s.shape, vh.shape) == (du.shape, ds.shape, dvh.shape)
    np.testing.assert_allclose(s.compute(), ds.compute())
    np.testing.assert_allclose(u.compute(), du.compute(), atol=1e-8)  # dask's sign coercion
    np.testing.assert_allclose(vh.compute(), dvh.compute(), atol=1e-8)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6)])
def test_svd_of_one_block_is_dasks_reduced_svd(shape):
    xn = np.random.RandomState(1).random_sample(shape)
    u, s, vh = ga.linalg.svd(ga.asarray(xn, backend="cpu"))
    du, ds, dvh = da.linalg.svd(da.from_array(xn))
    assert (u.shape, s.shape, vh.shape) == (du.shape, ds.shape, dvh.shape) == ((shape[0], 4), (4,), (4, shape[1]))
    np.testing.assert_allclose(s.compute(), ds.compute())
    np.testing.assert_allclose(u.compute(), du.compute(), atol=1e-10)  # dask's sign coercion
    np.testing.assert_allclose(vh.compute(), dvh.compute(), atol=1e-10)
    u, s, vh = ga.linalg.svd(ga.asarray(xn, backend="cpu"), full_matrices=True)  # NumPy's, on request
    assert u.shape == (shape[0],) * 2 and vh.shape == (shape[1],) * 2
    np.testing.assert_allclose((u[:, :4] * s) @ vh[:4], xn, atol=1e-10)
    nu, _, nvh = np.linalg.svd(ga.asarray(xn, backend="cpu"))  # NumPy's function: NumPy's full factors
    assert nu.shape == (shape[0],) * 2 and nvh.shape == (shape[1],) * 2
    u, s, vh = ga.linalg.svd(ga.asarray(xn, chunks=(3, 4), backend="cpu"), full_matrices=False, coerce_signs=True)
    np.testing.assert_allclose((u * s) @ vh, xn, atol=1e-10)
    assert (vh.sum(axis=1).compute() >= 0).all()


def test_dask_attribute_and_visualize(monkeypatch):
    import dask.base

    x = ga.ones((10, 10), chunks=5, backend="cpu").sum()
    assert isinstance(x.dask, dict) and len(x.dask) >= 4
    monkeypatch.setattr(dask.base, "visualize", lambda *a, **k: ("drawn", k))
    assert x.visualize(filename=None) == ("drawn", {"filename": None, "format": None, "optimize_graph": False})
