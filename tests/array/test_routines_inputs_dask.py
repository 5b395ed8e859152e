"""gpuscale.array's routines on the inputs dask's take: NumPy arrays and scalars (matmul, diff's prepend/append),
``chunks=()`` for an empty array; compared with NumPy and dask."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute


@pytest.mark.parametrize("x_shape, y_shape", [((4,), (4,)), ((3, 4), (4,)), ((2, 3, 4), (4, 5)), ((4,), (4, 2))])
def test_matmul_takes_numpy_operands_as_dask(x_shape, y_shape):
    rng = np.random.default_rng(7)
    x, y = rng.random(x_shape), rng.random(y_shape)
    want = np.matmul(x, y)
    for a, b in [(x, y), (ga.asarray(x, chunks=2), y), (x, ga.asarray(y, chunks=2))]:
        ours = ga.matmul(a, b)
        assert isinstance(ours, ga.Array) and ours.shape == want.shape
        np.testing.assert_allclose(compute(ours), want)
    np.testing.assert_allclose(compute(ga.matmul(x, y)), da.matmul(x, y).compute())


def test_matmul_of_a_numpy_scalar_raises_as_dask():
    with pytest.raises(ValueError, match="at least one dimension"):
        ga.matmul(np.float64(2.0), np.ones(3))
    with pytest.raises(ValueError):
        da.matmul(np.float64(2.0), np.ones(3))


@pytest.mark.parametrize("n", [0, 1, 2])
@pytest.mark.parametrize("kwargs", [{"append": 0}, {"prepend": 0}, {"append": [-1, 0]}, {"prepend": [3], "append": 7}])
def test_diff_scalar_and_list_edges_1d(n, kwargs):
    x = np.arange(5) + 1
    ours = ga.diff(ga.asarray(x, chunks=2), n, **kwargs)
    np.testing.assert_array_equal(compute(ours), np.diff(x, n, **kwargs))
    np.testing.assert_array_equal(compute(ours), da.diff(da.from_array(x, chunks=2), n, **kwargs).compute())


@pytest.mark.parametrize("n", [1, 2])
@pytest.mark.parametrize("axis, edge", [(1, 0), (0, 0), (1, [[0], [0], [0], [0]]), (0, [[0, 0, 0, 0]])])
def test_diff_edges_2d(n, axis, edge):
    x = np.arange(16).reshape(4, 4)
    a = ga.asarray(x, chunks=2)
    np.testing.assert_array_equal(compute(ga.diff(a, n, axis=axis, append=edge)), np.diff(x, n, axis=axis, append=edge))
    np.testing.assert_array_equal(compute(ga.diff(a, n, axis=axis, prepend=edge)),
                                  np.diff(x, n, axis=axis, prepend=edge))


def test_diff_order_zero_ignores_edges_as_numpy():
    x = np.arange(16).reshape(4, 4)
    a = ga.asarray(x, chunks=2)
    np.testing.assert_array_equal(compute(ga.diff(a, 0, append=np.zeros((3, 3)))), np.diff(x, 0, append=np.zeros((3, 3))))
    with pytest.raises(ValueError):  # order 1 joins them: the shapes must fit
        ga.diff(a, 1, append=np.zeros((3, 3)))


def test_diff_of_a_numpy_array():
    x = np.array([1, 4, 9, 16])
    np.testing.assert_array_equal(compute(ga.diff(x)), np.diff(x))


@pytest.mark.parametrize("shape", [(0,), (0, 0)])
def test_empty_chunks_for_an_empty_array_as_dask(shape):
    x = np.zeros(shape, dtype=int)
    ours = ga.asarray(x, chunks=())
    assert ours.chunks == da.from_array(x, chunks=()).chunks
    np.testing.assert_array_equal(compute(ga.argwhere(ours)), np.argwhere(x))
    with pytest.raises(ValueError, match="0 entries"):
        ga.asarray(np.zeros(3), chunks=())


@pytest.mark.parametrize("values", [[1, 2], [1.5, 2.0], [1, 2 + 0j], [1j, 0j]])
def test_numpy_type_predicates_read_the_dtype(values, backend):
    data = np.array(values)
    x = ga.asarray(data, chunks=1)
    assert np.iscomplexobj(x) is np.iscomplexobj(data) is np.iscomplexobj(da.from_array(data, chunks=1))
    assert np.isrealobj(x) is np.isrealobj(data)
    if backend == "numpy":  # NumPy's testing asserts ask iscomplexobj first, then convert (host chunks only)
        np.testing.assert_almost_equal(compute(x), x)
