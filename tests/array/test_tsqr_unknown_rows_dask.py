"""QR / SVD (TSQR) of matrices whose rows or columns have unknown lengths (boolean indexing), as dask.array:
the matrix is taken to be tall, blocks may end up with fewer rows than columns or none; compared with NumPy."""

from __future__ import annotations

import math

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute


def filtered(rows: int, cols: int, chunks: tuple, by_rows: bool, by_cols: bool, seed: int = 0):
    """A random matrix in gpuscale and dask, filtered lazily by rows and/or columns, and the NumPy result."""
    mat = np.random.default_rng(seed).random((rows, cols))
    mat[: rows // 2, 0] += 1
    out = []
    for lib in (ga, da):
        x = lib.from_array(mat, chunks=chunks)
        if by_rows:
            x = x[lib.from_array(mat[:, 0], chunks=chunks[0]) > 0.5, :]
        if by_cols:
            x = x[:, lib.from_array(mat[0], chunks=cols) > 0.5]
        out.append(x)
    keep_rows = mat[:, 0] > 0.5 if by_rows else slice(None)
    want = mat[keep_rows]
    if by_cols:
        want = want[:, mat[0] > 0.5]
    return out[0], out[1], want


CASES = [(20, 5, (5, 5), True, False), (20, 5, (5, 5), False, True), (20, 5, (5, 5), True, True),
         (600, 10, (20, 10), True, False), (600, 10, (40, 10), True, True)]


@pytest.mark.parametrize("rows, cols, chunks, by_rows, by_cols", CASES)
def test_qr_of_unknown_lengths(rows: int, cols: int, chunks: tuple, by_rows: bool, by_cols: bool) -> None:
    x, dx, want = filtered(rows, cols, chunks, by_rows, by_cols)
    q, r = ga.linalg.tsqr(x)
    dq, dr = da.linalg.tsqr(dx)
    for ours, theirs in [(q, dq), (r, dr)]:  # the same known / unknown block lengths as dask
        assert [[math.isnan(n) for n in c] for c in ours.chunks] == [[math.isnan(n) for n in c] for c in theirs.chunks]
    q, r = compute(q), compute(r)
    np.testing.assert_allclose(q @ r, want, atol=1e-10)
    np.testing.assert_allclose(q.T @ q, np.eye(q.shape[1]), atol=1e-10)
    np.testing.assert_allclose(r, np.triu(r))


@pytest.mark.parametrize("rows, cols, chunks, by_rows, by_cols", CASES)
def test_svd_of_unknown_lengths(rows: int, cols: int, chunks: tuple, by_rows: bool, by_cols: bool) -> None:
    x, _, want = filtered(rows, cols, chunks, by_rows, by_cols)
    u, s, vh = (compute(a) for a in ga.linalg.tsqr(x, compute_svd=True))
    np.testing.assert_allclose(s, np.linalg.svd(want)[1], atol=1e-10)
    np.testing.assert_allclose(u @ np.diag(s) @ vh[: len(s)], want, atol=1e-10)


def test_qr_with_empty_row_blocks() -> None:
    mat = np.random.default_rng(1).random((10, 5))
    q, r = ga.linalg.qr(ga.from_array(mat, chunks=((4, 0, 1, 0, 5), (5,))))
    dq, dr = da.linalg.qr(da.from_array(mat, chunks=((4, 0, 1, 0, 5), (5,))))
    assert (q.shape, r.shape) == (dq.shape, dr.shape)
    np.testing.assert_allclose(compute(q) @ compute(r), mat, atol=1e-12)


def test_unknown_columns_in_several_blocks_are_joined() -> None:
    # rechunk(-1) joins blocks of unknown lengths (9363692), so tsqr's one column block is made and the
    # factorisation is right (dask asks for compute_chunk_sizes() instead)
    mat = np.random.default_rng(2).random((20, 10))
    keep = mat[0] > 0.5
    x = ga.from_array(mat, chunks=(5, 5))
    x = x[:, ga.from_array(mat[0], chunks=5) > 0.5]
    q, r = ga.linalg.tsqr(x)
    assert math.isnan(r.shape[1])
    np.testing.assert_allclose(compute(q) @ compute(r), mat[:, keep], atol=1e-12)


@pytest.mark.parametrize("k", [0, 1, -2])
def test_diag_of_singular_values_of_unknown_length_as_dask(k):
    # svd of a matrix of unknown shape gives s of unknown length; diag(s) rebuilds the matrix, as in dask
    rng = np.random.default_rng(3)
    values = rng.random((40, 6))
    x = ga.asarray(values, chunks=(10, 6))
    x = x[x[:, 0] >= 0][:, x[0] >= 0]  # rows and columns of unknown length (all kept)
    u, s, vh = ga.linalg.svd(x)
    assert math.isnan(s.shape[0])
    np.testing.assert_allclose(compute(u @ ga.diag(s) @ vh), values, atol=1e-12)
    np.testing.assert_allclose(compute(ga.diag(s, k)), np.diag(np.linalg.svd(values)[1], k), atol=1e-12)
    d = da.from_array(values, chunks=(10, 6))
    d = d[d[:, 0] >= 0][:, d[0] >= 0]
    ds = da.linalg.svd(d)[1]
    assert all(math.isnan(n) for n in ga.diag(s, k).shape)
    if k == 0:  # dask refuses an offset diagonal of unknown length
        assert all(math.isnan(n) for n in da.diag(ds).shape)
    several = ga.asarray(np.arange(10.0), chunks=3)
    with pytest.raises(ValueError, match="Arrays' chunk sizes are unknown: diag .*compute_chunk_sizes"):
        ga.diag(several[several > 2])
