"""Inputs dask.array refuses (its own tests expect the error) on which gpuscale computes NumPy's / SciPy's answer.

Each case is a failure of dask's test suite against gpuscale counted as "no error/warning where dask raises"
(``docs/dask_api.md``, ``tests.dask_api.COMPUTES_WHERE_DASK_RAISES_ARRAY``); these tests pin that the answer is
the reference one, and that dask still refuses (so the list stays true as dask changes)."""

import dask.array as da
import numpy as np
import pytest
import scipy.linalg

import gpuscale.array as ga
from array_helpers import compute


def _rng():
    return np.random.default_rng(11)


@pytest.mark.parametrize("shape, chunks", [((10, 40), (10, 10)), ((10, 40), (10, 15)),
                                           ((10, 40), ((10,), (15, 5, 5, 8, 7))), ((20, 20), 10)])
def test_qr_of_short_fat_and_two_by_two_chunkings(shape, chunks):
    a = _rng().random(shape)
    for qr in (ga.linalg.tsqr, ga.linalg.qr):
        q, r = (compute(x) for x in qr(ga.from_array(a, chunks=chunks)))
        np.testing.assert_allclose(q @ r, a, atol=1e-10)
        np.testing.assert_allclose(q.T @ q, np.eye(q.shape[1]), atol=1e-10)
        np.testing.assert_array_equal(np.triu(r), r)
    with pytest.raises(ValueError):
        da.linalg.tsqr(da.from_array(a, chunks=chunks))


def test_lu_with_blocks_that_are_not_square():
    a = _rng().integers(0, 11, (20, 20)).astype(float)
    p, lower, upper = (compute(x) for x in ga.linalg.lu(ga.from_array(a, chunks=(5, 4))))
    np.testing.assert_allclose(p @ lower @ upper, a, atol=1e-9)
    np.testing.assert_array_equal(np.tril(lower), lower)
    np.testing.assert_array_equal(np.triu(upper), upper)
    with pytest.raises(ValueError):
        da.linalg.lu(da.from_array(a, chunks=(5, 4)))


@pytest.mark.parametrize("shape", [(10, 10, 10), (10, 8)])
def test_lu_of_a_matrix_that_is_not_square_raises_as_dask(shape):
    a = ga.from_array(_rng().random(shape), chunks=5)
    with pytest.raises(ValueError, match="square matrix"):
        ga.linalg.lu(a)


def test_solve_triangular_with_chunks_unlike_the_right_hand_side():
    a = np.triu(_rng().integers(1, 10, (10, 10))).astype(float)
    b = _rng().integers(1, 10, 10).astype(float)
    ours = ga.linalg.solve_triangular(ga.from_array(a, chunks=(3, 3)), ga.from_array(b, chunks=5))
    np.testing.assert_allclose(compute(ours), scipy.linalg.solve_triangular(a, b), rtol=1e-10)
    with pytest.raises(ValueError):
        da.linalg.solve_triangular(da.from_array(a, chunks=(3, 3)), da.from_array(b, chunks=5))
    with pytest.raises(ValueError, match="do not match"):  # a stack of matrices is refused, as dask
        ga.linalg.solve_triangular(ga.from_array(np.ones((10, 10, 10)), chunks=5), ga.from_array(b, chunks=5))


def test_svd_of_chunkings_dask_refuses_full_matrices_and_stacks():
    a = _rng().random((10, 6))
    _, s, _ = ga.linalg.svd(ga.from_array(a, chunks=(5, 3)))
    np.testing.assert_allclose(compute(s), np.linalg.svd(a)[1], rtol=1e-10)
    u, s, vt = (compute(x) for x in ga.linalg.svd(ga.from_array(a, chunks=(5, 3)), full_matrices=True))
    assert u.shape == (10, 10) and vt.shape == (6, 6)
    np.testing.assert_allclose((u[:, :6] * s) @ vt, a, atol=1e-10)
    np.testing.assert_allclose(u.T @ u, np.eye(10), atol=1e-10)
    stack = _rng().random((4, 5, 3))
    np.testing.assert_allclose(compute(ga.linalg.svd(ga.from_array(stack, chunks=-1))[1]),
                               np.linalg.svd(stack)[1], rtol=1e-10)
    with pytest.raises(NotImplementedError):
        da.linalg.svd(da.from_array(a, chunks=(5, 3)))
    with pytest.raises(ValueError, match="2D"):  # a vector is refused, as dask
        ga.linalg.svd(ga.from_array(np.ones(10), chunks=-1))


@pytest.mark.parametrize("order", ["nuc", 2, -2])
def test_matrix_norms_of_a_stack_of_matrices(order):
    a = _rng().random((3, 2, 4))
    ours = ga.linalg.norm(ga.from_array(a, chunks=(2, 2, 2)), ord=order, axis=(1, 2))
    np.testing.assert_allclose(compute(ours), np.linalg.norm(a, ord=order, axis=(1, 2)), rtol=1e-10)
    with pytest.raises(NotImplementedError):
        da.linalg.norm(da.from_array(a, chunks=(2, 2, 2)), ord=order, axis=(1, 2))


def test_histogramdd_of_chunkings_dask_refuses():
    rng = _rng()
    sample, x, y, z, w = rng.random((10, 3)), rng.random(10), rng.random(10), rng.random(10), rng.random(10)
    box = ((0, 1),) * 3
    counts, _ = ga.histogramdd(ga.from_array(sample, chunks=(5, 1)), bins=10, range=box)
    np.testing.assert_array_equal(compute(counts), np.histogramdd(sample, bins=10, range=box)[0])
    coords = [ga.from_array(x, chunks=2), ga.from_array(y, chunks=2), ga.from_array(z, chunks=5)]
    counts, _ = ga.histogramdd(coords, bins=(3,) * 3, range=box)
    np.testing.assert_array_equal(compute(counts), np.histogramdd((x, y, z), bins=(3,) * 3, range=box)[0])
    counts, _ = ga.histogramdd(coords[:2], bins=(3,) * 2, range=box[:2], weights=ga.from_array(w, chunks=5))
    np.testing.assert_allclose(compute(counts), np.histogramdd((x, y), bins=(3,) * 2, range=box[:2], weights=w)[0])
    with pytest.raises(ValueError, match="chunked along the 0th axis"):
        da.histogramdd(da.from_array(sample, chunks=(5, 1)), bins=10, range=box)


def test_histogram_with_a_lazy_bin_count_and_density():
    data = _rng().random(10)
    counts, edges = ga.histogram(ga.from_array(data, chunks=2), bins=ga.asarray(10), range=[0, 1], density=True)
    want, want_edges = np.histogram(data, bins=10, range=[0, 1], density=True)
    np.testing.assert_allclose(compute(counts), want)
    np.testing.assert_allclose(compute(edges), want_edges)


def test_searchsorted_with_a_sorter():
    rng = _rng()
    haystack, needles = rng.random(50), rng.random(7)
    order = np.argsort(haystack)
    ours = ga.searchsorted(ga.from_array(haystack, chunks=10), ga.from_array(needles, chunks=3),
                           sorter=ga.from_array(order, chunks=10))
    np.testing.assert_array_equal(compute(ours), np.searchsorted(haystack, needles, sorter=order))
    with pytest.raises(NotImplementedError):
        da.searchsorted(da.asarray([1, 0]), da.asarray([1]), sorter=da.asarray([1, 0]))


def test_insert_at_unsorted_positions():
    x = np.arange(100).reshape(10, 10)
    ours = ga.insert(ga.from_array(x, chunks=(5, 5)), [4, 2], -1, axis=0)
    np.testing.assert_array_equal(compute(ours), np.insert(x, [4, 2], -1, axis=0))
    with pytest.raises(NotImplementedError):
        da.insert(da.from_array(x, chunks=(5, 5)), [4, 2], -1, axis=0)


def test_roll_of_one_shift_over_several_axes_is_numpys():
    x = _rng().integers(10, size=(4, 6))
    for axis in [(0, 1), (1, 0)]:
        np.testing.assert_array_equal(compute(ga.roll(ga.from_array(x, chunks=(2, 6)), 3, axis)),
                                      np.roll(x, 3, axis))
    with pytest.raises(ValueError):
        da.roll(da.from_array(x, chunks=(2, 6)), 3, (0, 1))


@pytest.mark.parametrize("name, q", [("quantile", 0.3), ("nanquantile", 0.3), ("nanpercentile", 30)])
def test_quantiles_over_all_axes_of_several_blocks(name, q):
    x = _rng().random((3, 3))
    ours = getattr(ga, name)(ga.from_array(x, chunks=2), q, axis=None)
    np.testing.assert_allclose(compute(ours), getattr(np, name)(x, q, axis=None))
    with pytest.raises(NotImplementedError):
        getattr(da, name)(da.from_array(x, chunks=2), q, axis=None)


@pytest.mark.parametrize("name", ["cumprod", "nancumprod"])
def test_blelloch_cumprod_over_the_flat_array_is_exact(name):
    # dask's blelloch scan multiplies 0 by an overflowed inf here (a RuntimeWarning, which dask's test expects)
    x = np.arange(10 * 11 * 12, dtype=float).reshape(10, 11, 12)
    x[1] = np.nan
    ours = getattr(ga, name)(ga.from_array(x, chunks=(4, 5, 6)), axis=None, method="blelloch")
    np.testing.assert_array_equal(compute(ours), getattr(np, name)(x, axis=None))


def test_vindex_with_partial_slices_lazy_indices_and_several_blocks():
    rng = _rng()
    x = rng.random(10)
    ours = ga.from_array(x, chunks=5)
    np.testing.assert_array_equal(compute(ours.vindex[:9]), x[:9])
    np.testing.assert_array_equal(compute(ours.vindex[1:]), x[1:])
    np.testing.assert_array_equal(compute(ours.vindex[0:10:2]), x[::2])
    values, index = np.array([0.2, 0.4, 0.6]), rng.integers(0, 3, (4, 2))
    lazy_index = ga.from_array(index, chunks=(2, 2))
    np.testing.assert_array_equal(compute(ga.from_array(values, chunks=1).vindex[lazy_index]), values[index])
    with pytest.raises(IndexError):
        da.from_array(x, chunks=5).vindex[:9]


def test_from_array_of_an_object_array_with_auto_chunks(backend):
    if backend != "numpy":
        pytest.skip("object arrays are NumPy's")
    x = np.array(["a", "abc"], dtype=object)
    ours = ga.from_array(x, chunks="auto")
    assert ours.dtype == object
    np.testing.assert_array_equal(compute(ours), x)
    with pytest.raises(NotImplementedError):
        da.from_array(x, chunks="auto")


@pytest.mark.parametrize("stack", [np.hstack, np.vstack, np.dstack])
def test_numpy_stack_functions_of_one_array_iterate_it_as_numpy(stack):
    x = _rng().random((4, 4))
    ours = stack(ga.from_array(x, chunks=(2, 2)))
    assert isinstance(ours, ga.Array)
    np.testing.assert_array_equal(compute(ours), stack(x))
    with pytest.raises(NotImplementedError):
        stack(da.from_array(x, chunks=(2, 2)))
