"""SciPy sparse matrices as blocks (``x.map_blocks(scipy.sparse.csr_matrix)``, ``from_array(csr)``), against
dask.array, which holds them: computing joins them into one sparse matrix of the blocks' type, and indexing,
concatenating and setting elements work on them.  SciPy's matrices are host data: the NumPy leg only."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga

sparse = pytest.importorskip("scipy.sparse")
da = pytest.importorskip("dask.array")

RNG = np.random.default_rng(11)
DENSE = np.where(RNG.random((60, 8)) < 0.8, 0.0, RNG.random((60, 8)))
CONTAINERS = [sparse.csr_matrix, sparse.csr_array, sparse.csc_matrix]


@pytest.fixture(autouse=True)
def _numpy_only(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("SciPy sparse matrices are host (NumPy) data")


def _same_sparse(got: object, want: object) -> None:
    assert type(got) is type(want)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.toarray(), want.toarray())


@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("transpose", [False, True])
def test_compute_joins_sparse_blocks(container: type, transpose: bool) -> None:
    data = DENSE.T if transpose else DENSE
    chunks = (8, 20) if transpose else (20, 8)  # several blocks along the long axis: in-place and 2-d joins
    got = ga.from_array(data, chunks=chunks).map_blocks(container).compute()
    want = da.from_array(data, chunks=chunks).map_blocks(container).compute()
    _same_sparse(got, want)
    grid = ga.from_array(data, chunks=4).map_blocks(container).compute()  # blocks along both axes
    _same_sparse(grid, want)


@pytest.mark.parametrize("container", CONTAINERS)
def test_from_array_of_a_sparse_matrix(container: type) -> None:
    # each block was an object array of shape () where the metadata said (10, 10)
    source = container(sparse.eye(10, format="csr"))
    for chunks in (-1, 5, (3, 10)):
        got = ga.from_array(source, chunks=chunks).compute()
        _same_sparse(got, da.from_array(source, chunks=chunks).compute())


@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("axis", [0, 1])
def test_concatenate_sparse_blocks(container: type, axis: int) -> None:
    parts = [DENSE, DENSE * 2]
    got = ga.concatenate([ga.from_array(p, chunks=(20, 8)).map_blocks(container) for p in parts], axis=axis)
    want = da.concatenate([da.from_array(p, chunks=(20, 8)).map_blocks(container) for p in parts], axis=axis)
    _same_sparse(got.compute(), want.compute())


@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("index", [[5, 48, 3], 0, slice(5, 30), np.arange(60) % 3 == 0, [True, False] * 30])
def test_index_rows_of_sparse_blocks(container: type, index: object) -> None:
    got = ga.from_array(DENSE, chunks=(20, 8)).map_blocks(container)[index, :].compute()
    want = da.from_array(DENSE, chunks=(20, 8)).map_blocks(container)[index, :].compute()
    assert type(got) is type(want)
    np.testing.assert_array_equal(np.asarray(got.todense()), np.asarray(want.todense()))


@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("chunks", [-1, 4])
def test_setitem_on_sparse_blocks(container: type, chunks: object) -> None:
    source = container(sparse.eye(10, format="csr"))
    got, want = ga.from_array(source, chunks=chunks), da.from_array(source, chunks=chunks)
    got[slice(6), slice(6)] = 0
    want[slice(6), slice(6)] = 0
    _same_sparse(got.compute(), want.compute())


def test_a_sparse_result_larger_than_memory_as_dense() -> None:
    # 100,000 x 100,000 float64 is 75 GiB dense: the result's dense buffer is only allocated for dense blocks
    n, k = 100_000, 1_000
    rows, cols = RNG.integers(0, n, k), RNG.integers(0, n, k)
    source = sparse.csr_matrix((np.ones(k), (rows, cols)), shape=(n, n))
    x = ga.from_array(source, chunks=(n // 2, n // 2))
    for got, want in ((x.compute(), source), (x[::2].compute(), source[::2])):
        assert type(got) is type(want) and got.shape == want.shape
        assert (got != want).nnz == 0  # compared sparse: toarray() would need the 75 GiB


@pytest.mark.parametrize("sparse_first", [False, True])
def test_dense_and_sparse_blocks_together(sparse_first: bool) -> None:
    dense = ga.from_array(DENSE, chunks=(20, 8))
    held = dense.map_blocks(sparse.csr_matrix)
    parts = [held, dense] if sparse_first else [dense, held]
    both, expected = ga.concatenate(parts), np.concatenate([DENSE, DENSE])
    np.testing.assert_array_equal(both.compute(), expected)  # a dense result: not every block is sparse
    rows = [0, 75, 3, 119, 61]
    for got in (both[rows].compute(), both.rechunk(120).compute()):
        assert sparse.issparse(got)  # blocks joined with sparse ones are made sparse
    np.testing.assert_array_equal(both[rows].compute().toarray(), expected[rows])
