"""Factorisations: ``qr`` and ``svd`` (chunked, by TSQR, for tall-and-skinny matrices), ``svdvals``,
``cholesky``, ``eigh`` and ``eigvalsh`` (gathered).
"""

from __future__ import annotations

import math
from collections import namedtuple

from gpuscale.array.core import Array
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.array.linalg._gather import check_matrices, check_square, gathered
from gpuscale.array.linalg._products import matmul, matrix_transpose
from gpuscale.array.linalg_extras import svd_flip
from gpuscale.backends import array as chunkfn

QRResult = namedtuple("QRResult", ["Q", "R"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])


def cholesky(x: Array, /, lower: bool | None = None, *, upper: bool | None = None) -> Array:
    """Cholesky factor of (a stack of) symmetric/Hermitian positive-definite matrices.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.
    lower : bool, optional
        dask.array's keyword: the lower factor ``L`` (``x = L L^H``) if True, the upper ``U`` (``x = U^H U``)
        if False.
    upper : bool, optional
        The Array API's keyword: the upper factor if True, the lower if False.  Neither given: dask.array's
        upper factor (``da.linalg.cholesky(x)`` ported as it is; the Array API's and NumPy's default is the
        lower one: pass ``upper=False`` or ``lower=True`` for it).

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[4.0, 2.0], [2.0, 5.0]])
    >>> ga.linalg.cholesky(x).compute().tolist(), ga.linalg.cholesky(x, upper=False).compute().tolist()
    ([[2.0, 1.0], [0.0, 2.0]], [[2.0, 0.0], [1.0, 2.0]])
    >>> ga.linalg.cholesky(x, lower=True).compute().tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    check_square(x, "cholesky")
    if lower is not None and upper is not None and bool(lower) == bool(upper):
        raise ValueError(f"cholesky: lower={lower!r} and upper={upper!r} contradict each other; give one")
    if upper is None:
        upper = not lower  # dask's default (lower=False): the upper factor
    return gathered("cholesky", [x], [x.shape], upper=bool(upper))


def eigh(x: Array, /) -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of (a stack of) symmetric/Hermitian matrices.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.

    Returns
    -------
    EighResult
        ``(eigenvalues, eigenvectors)``: ``(..., n)`` and ``(..., n, n)``, the vectors in columns.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> values, vectors = ga.linalg.eigh(ga.asarray([[2.0, 0.0], [0.0, 1.0]]))
    >>> values.compute().tolist(), vectors.compute().tolist()
    ([1.0, 2.0], [[0.0, 1.0], [1.0, 0.0]])
    """
    check_square(x, "eigh")
    return EighResult(*gathered("eigh", [x], [x.shape[:-1], x.shape]))


def eigvalsh(x: Array, /) -> Array:
    """Eigenvalues (ascending) of (a stack of) symmetric/Hermitian matrices.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.

    Returns
    -------
    Array
        ``(..., n)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.eigvalsh(ga.asarray([[2.0, 1.0], [1.0, 2.0]])).compute().round(12).tolist()
    [1.0, 3.0]
    """
    check_square(x, "eigvalsh")
    return gathered("eigvalsh", [x], [x.shape[:-1]])


def svdvals(x: Array, /) -> Array:
    """Singular values of (a stack of) matrices, in descending order.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.

    Returns
    -------
    Array
        ``(..., min(m, n))``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.svdvals(ga.asarray([[3.0, 0.0], [0.0, 4.0]])).compute().tolist()
    [4.0, 3.0]
    """
    return gathered("svdvals", [x], [x.shape[:-2] + (min(x.shape[-2:]),)])


def qr(x: Array, /, *, mode: str = "reduced") -> QRResult:
    """QR factorisation: ``x = q @ r`` with orthonormal columns in ``q`` and an upper-triangular ``r``.

    A 2-d matrix whose rows are in several blocks (tall and skinny: its columns are made one block) is
    factorised block by block with TSQR (``mode="reduced"``); other inputs are gathered into one task.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    mode : {"reduced", "complete", "r"}
        ``q`` of ``(m, k)`` and ``r`` of ``(k, n)``, ``k = min(m, n)``; or ``q`` square.

    Returns
    -------
    QRResult
        ``(Q, R)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> import numpy as np
    >>> x = ga.asarray([[3.0, 0.0], [4.0, 5.0], [0.0, 1.0], [2.0, 2.0]], chunks=(2, 2))
    >>> q, r = ga.linalg.qr(x)
    >>> q.shape, r.shape, q.chunks
    ((4, 2), (2, 2), ((2, 2), (2,)))
    >>> bool(np.allclose((q @ r).compute(), x.compute()))
    True
    """
    from gpuscale.array.manipulation import rechunk

    check_matrices(x, "qr")
    if x.dtype.kind in "biu":  # NumPy's factors of integers are float64
        x = x.astype("float64")
    if mode == "r":  # NumPy's: R alone
        return qr(x, mode="reduced").R
    if x.ndim != 2 or mode != "reduced" or x.numblocks[0] == 1:
        return QRResult(*gathered("qr", [x], _gathered_qr_shapes(x.shape, mode), mode=mode))
    x = rechunk(x, {1: -1})
    m, n = x.shape
    parts = blockwise_expr(chunkfn.tsqr_block, (0, 1), x.chunks, x.dtype, x.backend, x._expr, arg_inds=((0, 1),))
    second = blockwise_expr(chunkfn.stack_r_and_qr, (), (), x.dtype, x.backend, parts, arg_inds=((0, 1),))
    k = _rank_bound(m, n)
    q = blockwise_expr(chunkfn.tsqr_q_block, (0, 1), (x.chunks[0], (k,)), x.dtype, x.backend,
                       parts, second, BlockIndex(), arg_inds=((0, 1), (), None))
    r = blockwise_expr(chunkfn.pick, (0, 1), ((k,), (n,)), x.dtype, x.backend, second, 1, arg_inds=((), None))
    return QRResult(Array(q), Array(r))


def _gathered_qr_shapes(shape: tuple, mode: str) -> list[tuple]:
    """The factors' shapes of NumPy's qr: ``raw`` gives ``(h, tau)``, h the transposed ``(n, m)`` Householder
    reflectors and tau their ``min(m, n)`` scalings; ``complete`` a square Q."""
    stack, (m, n) = shape[:-2], shape[-2:]
    if mode == "raw":
        return [stack + (n, m), stack + (_rank_bound(m, n),)]
    k = _rank_bound(m, n) if mode == "reduced" else m
    return [stack + (m, k), stack + (k, n)]


def _rank_bound(m: float, n: float) -> float:
    """``min(m, n)``, the columns of Q (and U); with unknown rows (after boolean indexing) the matrix is taken to
    be tall, as dask does, so ``n``; nan where ``n`` is unknown."""
    return n if math.isnan(m) else min(m, n) if not math.isnan(n) else math.nan


def svd(x: Array, /, *, full_matrices: bool = False, coerce_signs: bool | None = None) -> SVDResult:
    """Singular value decomposition ``x = u @ diag(s) @ vh``; chunked (via TSQR) for tall-and-skinny matrices.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    full_matrices : bool
        Square ``u`` and ``vh`` (True, gathered into one task) or, the default as dask.array's, the reduced
        ``(m, k)`` and ``(k, n)``, ``k = min(m, n)``, however ``x`` is blocked (``da.linalg.svd(x)`` ported as
        it is; NumPy's and the Array API's default is the full SVD: pass ``full_matrices=True`` for it).
    coerce_signs : bool, optional
        Flip each singular pair so the rows of ``vh`` sum to >= 0 (:func:`svd_flip`).  Not given: dask's
        default, True for the reduced SVD (LAPACK's signs for the full one).

    Returns
    -------
    SVDResult
        ``(U, S, Vh)``, singular values in descending order.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[3.0, 0.0], [0.0, 4.0], [0.0, 0.0]])
    >>> u, s, vh = ga.linalg.svd(x)
    >>> u.shape, s.compute().tolist(), vh.shape, (vh.compute().sum(axis=1) >= 0).tolist()
    ((3, 2), [4.0, 3.0], (2, 2), [True, True])
    >>> ga.linalg.svd(x, full_matrices=True).U.shape
    (3, 3)
    """
    check_matrices(x, "svd")
    if coerce_signs if coerce_signs is not None else not full_matrices:
        u, s, vh = svd(x, full_matrices=full_matrices, coerce_signs=False)
        u, vh = svd_flip(u, vh)
        return SVDResult(u, s, vh)
    m, n = x.shape[-2:]
    k = _rank_bound(m, n)
    if x.ndim != 2 or full_matrices or x.numblocks[0] == 1:
        u_cols, vh_rows = (m, n) if full_matrices else (k, k)
        shapes = [x.shape[:-2] + (m, u_cols), x.shape[:-2] + (k,), x.shape[:-2] + (vh_rows, n)]
        return SVDResult(*gathered("svd", [x], shapes, full_matrices=full_matrices))
    if m < n:
        u, s, vh = svd(matrix_transpose(x), full_matrices=False, coerce_signs=False)
        return SVDResult(matrix_transpose(vh), s, matrix_transpose(u))
    q, r = qr(x)
    u_r, s, vh = gathered("svd", [r], [(k, k), (k,), (k, n)], full_matrices=False)
    return SVDResult(matmul(q, u_r), s, vh)
