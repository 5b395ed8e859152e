"""Chunk functions of the linear algebra the standard lacks: LU with partial pivoting and triangular
solves, written with any namespace's standard functions (one whole matrix per task)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import namespace


def _device(xp: Any, x: Any) -> dict:
    return {"device": x.device} if xp.__name__.startswith("array_api_strict") else {}


def lu_block(a: Any) -> tuple:
    """``(p, l, u)`` with ``a == p @ l @ u``, as ``scipy.linalg.lu``: partial pivoting, unit lower ``l``."""
    xp = namespace(a)
    n = a.shape[0]
    if a.ndim != 2 or a.shape[1] != n:
        raise ValueError(f"lu needs a square matrix, got shape {a.shape}")
    if not xp.isdtype(a.dtype, ("real floating", "complex floating")):
        a = xp.astype(a, xp.float64)
    u = xp.asarray(a, copy=True)
    lower = xp.zeros_like(u)
    order = list(range(n))
    for k in range(n):
        column = xp.abs(u[k:, k])
        pivot = k + int(xp.argmax(column))
        if pivot != k:
            rows_k, rows_p = xp.asarray(u[k, :], copy=True), xp.asarray(u[pivot, :], copy=True)
            u[k, :], u[pivot, :] = rows_p, rows_k
            low_k, low_p = xp.asarray(lower[k, :k], copy=True), xp.asarray(lower[pivot, :k], copy=True)
            lower[k, :k], lower[pivot, :k] = low_p, low_k
            order[k], order[pivot] = order[pivot], order[k]
        if k + 1 < n and bool(u[k, k] != 0):
            factors = u[k + 1:, k] / u[k, k]
            lower[k + 1:, k] = factors
            u[k + 1:, :] = u[k + 1:, :] - xp.reshape(factors, (-1, 1)) * xp.reshape(u[k, :], (1, -1))
    lower = lower + xp.eye(n, dtype=u.dtype, **_device(xp, u))
    u = xp.triu(u)
    # p @ l @ u == a: row i of p @ (l @ u) is row order[i] ... p[order[i], i] = 1
    perm = xp.zeros((n, n), dtype=u.dtype, **_device(xp, u))
    for i, row in enumerate(order):
        perm[row, i] = 1
    return perm, lower, u


def solve_triangular_block(a: Any, b: Any, lower: bool) -> Any:
    """``x`` with ``a @ x == b`` for triangular ``a``, by substitution (``b`` 1-d or 2-d)."""
    xp = namespace(a, b)
    vector = b.ndim == 1
    rhs = xp.reshape(b, (-1, 1)) if vector else b
    dtype = xp.result_type(a.dtype, rhs.dtype, xp.float32) if not xp.isdtype(rhs.dtype, ("real floating",
                                                                                            "complex floating")) \
        else xp.result_type(a.dtype, rhs.dtype)
    a, rhs = xp.astype(a, dtype), xp.astype(rhs, dtype)
    n = a.shape[0]
    x = xp.zeros(rhs.shape, dtype=dtype, **_device(xp, rhs))
    rows = range(n) if lower else range(n - 1, -1, -1)
    for i in rows:
        done = slice(0, i) if lower else slice(i + 1, n)
        partial = xp.reshape(a[i, done], (1, -1)) @ x[done, :] if (i if lower else n - 1 - i) else 0
        x[i, :] = (rhs[i, :] - (partial[0, :] if not isinstance(partial, int) else 0)) / a[i, i]
    return x[:, 0] if vector else x
