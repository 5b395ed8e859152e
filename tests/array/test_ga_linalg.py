"""Linear algebra against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("a_shape,b_shape", [((5, 4), (4, 3)), ((4,), (4, 3)), ((5, 4), (4,)), ((4,), (4,)),
                                             ((2, 5, 4), (4, 3)), ((3, 1, 5, 4), (2, 4, 6))])
def test_matmul(a_shape: tuple, b_shape: tuple) -> None:
    a, b = RNG.normal(size=a_shape), RNG.normal(size=b_shape)
    x, y = ga.from_array(a, chunks=2), ga.from_array(b, chunks=3)
    assert_same(x @ y, a @ b)
    assert_same(ga.matmul(x, y), np.matmul(a, b))


def test_matmul_mismatch() -> None:
    with pytest.raises(ValueError, match="mismatch"):
        ga.ones((2, 3)) @ ga.ones((4, 2))


def test_tensordot_vecdot_outer() -> None:
    a, b = RNG.normal(size=(3, 4, 5)), RNG.normal(size=(4, 5, 2))
    x, y = ga.from_array(a, chunks=2), ga.from_array(b, chunks=3)
    assert_same(ga.tensordot(x, y, axes=2), np.tensordot(a, b, axes=2))
    assert_same(ga.tensordot(x, y, axes=([1], [0])), np.tensordot(a, b, axes=([1], [0])))
    v, w = RNG.normal(size=(6, 5)), RNG.normal(size=(5,))
    assert_same(ga.vecdot(ga.from_array(v, chunks=2), ga.from_array(w, chunks=2)), v @ w)
    assert_same(ga.linalg.outer(ga.asarray(w), ga.asarray(w)), np.outer(w, w))


def test_tsqr_and_svd_tall_skinny() -> None:
    a = RNG.normal(size=(40, 5))
    x = ga.from_array(a, chunks=(7, 5))
    q, r = ga.linalg.qr(x)
    assert q.shape == (40, 5) and r.shape == (5, 5)
    qn, rn = compute(q), compute(r)
    np.testing.assert_allclose(qn @ rn, a, atol=1e-10)
    np.testing.assert_allclose(qn.T @ qn, np.eye(5), atol=1e-10)
    np.testing.assert_allclose(np.triu(rn), rn, atol=1e-12)
    u, s, vh = ga.linalg.svd(x, full_matrices=False)
    np.testing.assert_allclose(compute(s), np.linalg.svd(a, compute_uv=False))
    np.testing.assert_allclose(compute(u) * compute(s) @ compute(vh), a, atol=1e-10)


def test_gathered_functions() -> None:
    a = RNG.normal(size=(4, 4)) + 4 * np.eye(4)
    b = RNG.normal(size=(4, 2))
    x = ga.from_array(a, chunks=2)
    assert_same(ga.linalg.inv(x), np.linalg.inv(a))
    assert_same(ga.linalg.solve(x, ga.asarray(b)), np.linalg.solve(a, b))
    assert_same(ga.linalg.det(x), np.linalg.det(a))
    spd = a @ a.T
    assert_same(ga.linalg.cholesky(ga.asarray(spd, chunks=2), upper=False), np.linalg.cholesky(spd))
    assert_same(ga.linalg.eigvalsh(ga.asarray(spd, chunks=3)), np.linalg.eigvalsh(spd))
    assert_same(ga.linalg.trace(x), np.trace(a))
    assert_same(ga.linalg.diagonal(x, offset=1), np.diagonal(a, offset=1))
    assert_same(ga.linalg.matrix_power(x, 3), np.linalg.matrix_power(a, 3))


@pytest.mark.parametrize("ord", [2, 1, np.inf, -np.inf, 3])
def test_vector_norm(ord: float) -> None:
    a = RNG.normal(size=(6, 5))
    x = ga.from_array(a, chunks=2)
    assert_same(ga.linalg.vector_norm(x, ord=ord), np.linalg.norm(a.ravel(), ord=ord))
    assert_same(ga.linalg.vector_norm(x, axis=1, ord=ord), np.linalg.norm(a, axis=1, ord=ord))


@pytest.mark.parametrize(("shape", "axis"), [((0,), None), ((0, 3), None), ((0, 3), 0), ((3, 0), 1), ((3, 0), -1)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_inf_norm_of_no_elements_is_zero(shape: tuple, axis: object, dtype: type) -> None:
    # NumPy's inf-norm is a max with initial=0: no elements give 0 (it raised "zero-size array to reduction")
    a = np.zeros(shape, dtype=dtype)
    x = ga.from_array(a)
    assert_same(ga.linalg.vector_norm(x, axis=axis, ord=np.inf), np.linalg.vector_norm(a, axis=axis, ord=np.inf))
    if axis is not None or len(shape) == 1:
        assert_same(ga.linalg.norm(x, np.inf, axis=axis), np.linalg.norm(a, np.inf, axis=axis))


def test_cross() -> None:
    a, b = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
    assert_same(ga.linalg.cross(ga.from_array(a, chunks=2), ga.from_array(b, chunks=(3, 1))), np.cross(a, b))


def test_solve_takes_numpy_operands() -> None:
    a, b = RNG.normal(size=(5, 5)) + 5 * np.eye(5), RNG.normal(size=(5, 2))
    assert_same(ga.linalg.solve(ga.from_array(a, chunks=2), b), np.linalg.solve(a, b))
    assert_same(ga.linalg.solve(a, ga.from_array(b, chunks=2)), np.linalg.solve(a, b))
