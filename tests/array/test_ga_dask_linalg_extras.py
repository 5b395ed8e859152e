"""dask.array.linalg's sfqr, svd_flip, compression_level, compression_matrix and svd_compressed in
gpuscale, checked against dask.array and NumPy on the same data."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
dask_utils = pytest.importorskip("dask.array.utils")
RNG = np.random.default_rng(7)


@pytest.mark.parametrize("args", [(100, 10), (100, 30), (15, 3), (50, 5, 2, 4), (8, 40, 10, 5)])
def test_compression_level_is_dasks(args):
    assert ga.linalg.compression_level(*args) == da.linalg.compression_level(*args)


@pytest.mark.parametrize("u_based", [False, True])
def test_svd_flip_is_dasks(u_based):
    u, v = RNG.normal(size=(7, 4)), RNG.normal(size=(4, 5))
    got_u, got_v = ga.linalg.svd_flip(ga.asarray(u, chunks=3), ga.asarray(v, chunks=2), u_based_decision=u_based)
    want_u, want_v = dask_utils.svd_flip(u, v, u_based_decision=u_based)
    np.testing.assert_array_equal(compute(got_u), want_u)
    np.testing.assert_array_equal(compute(got_v), want_v)


@pytest.mark.parametrize("shape, chunks", [((5, 20), (5, 8)), ((5, 20), (5, 20)), ((4, 9), (4, (4, 3, 2))),
                                           ((6, 3), (6, 3))])
def test_sfqr_is_dasks(shape, chunks):
    xn = RNG.normal(size=shape)
    q, r = ga.linalg.sfqr(ga.asarray(xn, chunks=chunks))
    dq, dr = da.linalg.sfqr(da.from_array(xn, chunks=chunks))
    assert (q.shape, r.shape) == (dq.shape, dr.shape)
    np.testing.assert_allclose(compute(q), dq.compute(), atol=1e-12)
    np.testing.assert_allclose(compute(r), dr.compute(), atol=1e-12)
    np.testing.assert_allclose(compute(q @ r), xn, atol=1e-12)


@pytest.mark.parametrize("chunks", [((2, 3), (5, 5)), ((5,), (2, 4, 4))])
def test_sfqr_refuses_what_dask_refuses(chunks):
    xn = RNG.normal(size=(5, 10))
    with pytest.raises(ValueError):
        da.linalg.sfqr(da.from_array(xn, chunks=chunks))
    with pytest.raises(ValueError, match="sfqr needs"):
        ga.linalg.sfqr(ga.asarray(xn, chunks=chunks))


@pytest.mark.parametrize("iterator", ["power", "QR"])
def test_compression_matrix_spans_the_range_as_dasks(iterator):
    low_rank = RNG.random((60, 4)) @ RNG.random((4, 30))
    comp = ga.linalg.compression_matrix(ga.asarray(low_rank, chunks=(15, 10)), 4, iterator=iterator,
                                        n_power_iter=2, seed=0)
    theirs = da.linalg.compression_matrix(da.from_array(low_rank, chunks=(15, 10)), 4, iterator=iterator,
                                          n_power_iter=2, seed=0)
    assert comp.shape == theirs.shape
    c = compute(comp)
    np.testing.assert_allclose(c @ c.T, np.eye(comp.shape[0]), atol=1e-10)
    # the basis differs with the random numbers, but both capture all of the matrix
    np.testing.assert_allclose(c.T @ (c @ low_rank), low_rank, atol=1e-8)
    with pytest.raises(ValueError, match="iterator"):
        ga.linalg.compression_matrix(ga.asarray(low_rank), 4, iterator="lanczos")


@pytest.mark.parametrize("iterator", ["power", "QR"])
def test_svd_compressed_of_a_low_rank_matrix_is_dasks(iterator):
    low_rank = RNG.random((60, 4)) @ RNG.random((4, 30))
    ours = ga.linalg.svd_compressed(ga.asarray(low_rank, chunks=(15, 10)), k=4, seed=0, iterator=iterator)
    theirs = da.linalg.svd_compressed(da.from_array(low_rank, chunks=(15, 10)), k=4, seed=0, iterator=iterator)
    for got, want in zip(ours, theirs):  # exact rank 4: unique up to signs, which svd_flip fixes
        assert got.shape == want.shape
        np.testing.assert_allclose(compute(got), want.compute(), atol=1e-8)


def test_svd_of_a_chunked_matrix_uses_svd_flip():
    xn = RNG.normal(size=(40, 6))
    u, s, vh = ga.linalg.svd(ga.asarray(xn, chunks=(10, 6)))
    assert (compute(vh.sum(axis=1)) >= 0).all()
    np.testing.assert_allclose(compute(u * s @ vh), xn, atol=1e-10)


def test_svd_compressed_persisting_and_seeded_by_a_generator_gives_the_same():
    low_rank = RNG.random((40, 3)) @ RNG.random((3, 20))
    x = ga.asarray(low_rank, chunks=(10, 10))
    plain = ga.linalg.svd_compressed(x, k=3, seed=4)
    persisted = ga.linalg.svd_compressed(x, k=3, seed=4, compute=True, n_power_iter=1)
    by_state = ga.linalg.svd_compressed(x, k=3, seed=ga.random.RandomState(4))
    for a, b, c in zip(plain, persisted, by_state):
        np.testing.assert_allclose(compute(a), compute(b), atol=1e-8)
        np.testing.assert_allclose(compute(a), compute(c), atol=1e-8)


@pytest.mark.parametrize("lower", [True, False])
def test_cholesky_lower_keyword_is_dasks(lower):
    a = RNG.normal(size=(6, 6)) + 1j * RNG.normal(size=(6, 6))
    spd = a @ a.conj().T + 6 * np.eye(6)
    got = ga.linalg.cholesky(ga.asarray(spd, chunks=3), lower=lower)
    want = da.linalg.cholesky(da.from_array(spd, chunks=3), lower=lower).compute()
    np.testing.assert_allclose(compute(got), want)
    with pytest.raises(ValueError, match="contradict"):
        ga.linalg.cholesky(ga.asarray(spd), lower=lower, upper=lower)


def test_cholesky_default_is_dasks_upper_factor():
    a = RNG.normal(size=(6, 6))
    spd = a @ a.T + 6 * np.eye(6)
    got = ga.linalg.cholesky(ga.asarray(spd, chunks=3))
    np.testing.assert_allclose(compute(got), da.linalg.cholesky(da.from_array(spd, chunks=3)).compute())
    np.testing.assert_allclose(compute(got), np.linalg.cholesky(spd).T)
    # NumPy's function keeps NumPy's lower default; the Array API's keyword still picks either
    np.testing.assert_allclose(compute(np.linalg.cholesky(ga.asarray(spd))), np.linalg.cholesky(spd))
    np.testing.assert_allclose(compute(ga.linalg.cholesky(ga.asarray(spd), upper=False)), np.linalg.cholesky(spd))


def test_solve_assume_a_is_dasks():
    a = RNG.normal(size=(6, 6))
    spd, b = a @ a.T + 6 * np.eye(6), RNG.normal(size=(6, 2))
    x, y = ga.asarray(spd, chunks=3), ga.asarray(b, chunks=3)
    want = da.linalg.solve(da.from_array(spd, chunks=3), da.from_array(b, chunks=3), assume_a="pos").compute()
    np.testing.assert_allclose(compute(ga.linalg.solve(x, y, assume_a="pos")), want)
    with pytest.warns(FutureWarning, match="sym_pos keyword is deprecated"):
        np.testing.assert_allclose(compute(ga.linalg.solve(x, y, sym_pos=True)), want)
    with pytest.raises(ValueError, match="not a recognized matrix structure"):
        ga.linalg.solve(x, y, assume_a="her")


def test_tsqr_svd_of_a_short_fat_block_gives_dasks_square_vh():
    a = RNG.normal(size=(5, 10))
    u, s, vh = ga.linalg.tsqr(ga.asarray(a, chunks=10), compute_svd=True)
    du, ds, dvh = da.linalg.tsqr(da.from_array(a, chunks=10), compute_svd=True)
    assert (u.shape, s.shape, vh.shape) == (du.shape, ds.shape, dvh.shape) == ((5, 5), (5,), (10, 10))
    np.testing.assert_allclose(compute(s), ds.compute())
    np.testing.assert_allclose(compute(u) @ np.diag(compute(s)) @ compute(vh)[:5], a, atol=1e-12)


@pytest.mark.parametrize("name", ["svd", "qr"])
@pytest.mark.parametrize("ndim", [0, 1])
def test_svd_and_qr_of_fewer_than_two_dimensions_say_so_as_dask(name, ndim):
    x = ga.ones((4,) * ndim)
    with pytest.raises(ValueError, match="Array must be 2D"):
        getattr(ga.linalg, name)(x)
    if name == "svd":
        with pytest.raises(ValueError, match="Array must be 2D"):
            da.linalg.svd(da.ones((4,) * ndim))


def test_lstsq_keeps_the_column_blocks_of_b_as_dask():
    # xarray's polyfit(skipna=False) reshapes the solution block by block with the columns' blocks
    a, b = RNG.normal(size=(30, 3)), RNG.normal(size=(30, 12))
    ours = ga.linalg.lstsq(ga.asarray(a, chunks=(10, 3)), ga.asarray(b, chunks=(10, 5)))
    theirs = da.linalg.lstsq(da.from_array(a, chunks=(10, 3)), da.from_array(b, chunks=(10, 5)))
    for got, want in zip(ours, theirs):
        assert got.chunks == want.chunks
        np.testing.assert_allclose(compute(got), want.compute(), atol=1e-12)
