"""Measures of matrices and vectors: ``det``, ``slogdet``, ``matrix_rank``, ``matrix_norm`` (gathered),
``vector_norm`` (reduced block by block), ``diagonal`` (gathered) and ``trace``.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.linalg._gather import check_square, gathered

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


def det(x: Array, /) -> Array:
    """Determinant of (a stack of) square matrices.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.

    Returns
    -------
    Array
        ``x.shape[:-2]``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> round(float(ga.linalg.det(ga.asarray([[4.0, 2.0], [2.0, 3.0]]))), 10)
    8.0
    """
    check_square(x, "det")
    return gathered("det", [x], [x.shape[:-2]])


def slogdet(x: Array, /) -> SlogdetResult:
    """Sign and natural log of the absolute determinant (no overflow for large determinants).

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.

    Returns
    -------
    SlogdetResult
        ``(sign, logabsdet)``, each ``x.shape[:-2]``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> sign, logabsdet = ga.linalg.slogdet(ga.asarray([[2.0, 0.0], [0.0, -3.0]]))
    >>> float(sign), round(float(logabsdet), 12)
    (-1.0, 1.791759469228)
    """
    check_square(x, "slogdet")
    return SlogdetResult(*gathered("slogdet", [x], [x.shape[:-2], x.shape[:-2]]))


def matrix_rank(x: Array, /, *, rtol: Any = None) -> Array:
    """Rank of (a stack of) matrices: the number of singular values above a tolerance.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    rtol : float, optional
        Relative tolerance (the library's default when None).

    Returns
    -------
    Array
        int64, ``x.shape[:-2]``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> int(ga.linalg.matrix_rank(ga.asarray([[1.0, 2.0], [2.0, 4.0]])))
    1
    """
    return gathered("matrix_rank", [x], [x.shape[:-2]], rtol=rtol)


def matrix_norm(x: Array, /, *, keepdims: bool = False, ord: Any = "fro") -> Array:  # noqa: A002
    """Matrix norm of (a stack of) matrices.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    keepdims : bool
        Keep the two matrix dimensions with length one.
    ord : {"fro", "nuc", 1, -1, 2, -2, inf, -inf}
        Which norm (Frobenius by default).

    Returns
    -------
    Array
        ``x.shape[:-2]`` (floating).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[3.0, 0.0], [0.0, 4.0]])
    >>> float(ga.linalg.matrix_norm(x)), float(ga.linalg.matrix_norm(x, ord=1))
    (5.0, 4.0)
    """
    shape = x.shape[:-2] + ((1, 1) if keepdims else ())
    return gathered("matrix_norm", [x], [shape], keepdims=keepdims, ord=ord)


def diagonal(x: Array, /, *, offset: int = 0) -> Array:
    """The ``offset`` diagonal of the last two dimensions.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    offset : int
        0 the main diagonal, positive above it, negative below.

    Returns
    -------
    Array
        ``(..., length of the diagonal)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(9), (3, 3))
    >>> ga.linalg.diagonal(x).compute().tolist(), ga.linalg.diagonal(x, offset=1).compute().tolist()
    ([0, 4, 8], [1, 5])
    """
    m, n = x.shape[-2:]
    length = max(0, min(m, n - offset) if offset >= 0 else min(m + offset, n))
    if math.isnan(m) or math.isnan(n):  # unknown sides (boolean indexing): min/max would drop the nan
        length = math.nan
    return gathered("diagonal", [x], [x.shape[:-2] + (length,)], offset=offset)


def trace(x: Array, /, *, offset: int = 0, dtype: Any = None) -> Array:
    """Sum of the ``offset`` diagonal of the last two dimensions.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    offset : int
        Which diagonal (as :func:`diagonal`).
    dtype : dtype, optional
        Accumulator and result dtype.

    Returns
    -------
    Array
        ``x.shape[:-2]``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(9), (3, 3))
    >>> int(ga.linalg.trace(x)), int(ga.linalg.trace(x, offset=-1))
    (12, 10)
    """
    from gpuscale.array.statistical import sum as _sum

    return _sum(diagonal(x, offset=offset), axis=-1, dtype=dtype)


def vector_norm(x: Array, /, *, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Array:  # noqa: A002
    """Vector norm over ``axis`` (all elements when None).

    Parameters
    ----------
    x : Array
        Input.
    axis : int or tuple of int, optional
        Axes of the vectors (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    ord : int, float, inf or -inf
        ``sum(abs(x)**ord)**(1/ord)``; inf the largest absolute value, -inf the smallest, 0 the count of
        non-zeros.

    Returns
    -------
    Array
        Floating norms, reduced block by block.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.linalg.vector_norm(ga.asarray([3.0, 4.0], chunks=1)))
    5.0
    >>> ga.linalg.vector_norm(ga.asarray([[3.0, -4.0], [6.0, 8.0]]), axis=1, ord=ga.inf).compute().tolist()
    [4.0, 8.0]
    """
    from gpuscale.array import elementwise as ew
    from gpuscale.array import statistical as st
    from gpuscale.array.searching import count_nonzero

    if x.dtype.kind in "biu":  # NumPy's norms of integers are of their floats (squares would overflow)
        x = x.astype("float64")
    a = ew.abs(x)
    if ord == 2:
        return ew.sqrt(st.sum(a * a, axis=axis, keepdims=keepdims))
    if ord == 1:
        return st.sum(a, axis=axis, keepdims=keepdims)
    if ord == math.inf:
        if math.prod(x.shape[d] for d in st.normalize_axis(axis, x.ndim)) == 0:
            return st.sum(a, axis=axis, keepdims=keepdims)  # NumPy's max with initial=0: no vector, norm 0
        return st.max(a, axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return st.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return count_nonzero(x, axis=axis, keepdims=keepdims).astype(a.dtype)
    return ew.pow(st.sum(ew.pow(a, float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)
