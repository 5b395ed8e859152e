"""dask.array functions given a gpuscale array: ``da.asarray`` converts it through ``to_dask_array`` (the lazy
gpuscale array was stored as one literal block, so ``.compute()`` gave back an uncomputed gpuscale array)."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

A = np.arange(24.0).reshape(4, 6)


@pytest.fixture(autouse=True)
def _numpy_blocks(backend):
    if backend == "array_api_strict":
        pytest.skip("dask.array takes NumPy-like blocks (array_api_strict arrays have no astype method)")


def test_to_dask_array_keeps_blocks_chunks_and_dtype():
    x = ga.from_array(A, chunks=(3, 4))
    d = x.to_dask_array()
    assert isinstance(d, da.Array) and d.chunks == x.chunks and d.dtype == x.dtype
    assert isinstance(d.compute(), np.ndarray)
    assert_same(d.compute(), A)
    assert_same(d.blocks[1, 1].compute(), A[3:, 4:])


def test_dask_array_functions_of_a_gpuscale_array_compute_numpy():
    x = ga.from_array(A, chunks=(3, 4))
    for got, expected in [(da.asarray(x), A), (da.stack([x, x]), np.stack([A, A])), (da.sum(x), np.sum(A)),
                          (da.concatenate([x, da.ones((1, 6))]), np.concatenate([A, np.ones((1, 6))])),
                          (da.map_blocks(lambda b: b + 1, x), A + 1), (da.asarray(x.sum()), np.sum(A))]:
        result = got.compute()
        assert isinstance(result, (np.ndarray, np.generic)), type(result)
        assert_same(np.asarray(result), np.asarray(expected))


def test_operators_and_ufuncs_mixing_dask_and_gpuscale_arrays_give_gpuscale_arrays():
    # both sides returned NotImplemented: "unsupported operand type(s) for +: 'Array' and 'Array'"
    x = ga.from_array(A, chunks=(2, 3))
    d = da.from_array(A[::-1], chunks=(3, 2))
    for got, expected in [(d + x, A[::-1] + A), (x - d, A - A[::-1]), (d * x, A[::-1] * A),
                          (np.maximum(d, x), np.maximum(A[::-1], A)), (x == d, A == A[::-1]),
                          (d @ x.T, A[::-1] @ A.T)]:
        assert isinstance(got, ga.Array), type(got)
        assert_same(got.compute(), expected)
