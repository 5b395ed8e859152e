"""Solvers and inverses (gathered): ``solve``, ``inv``, ``pinv`` and ``matrix_power``."""

from __future__ import annotations

from typing import Any

from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.linalg._gather import check_square, gathered
from gpuscale.backends import array as chunkfn


def inv(x: Array, /) -> Array:
    """Inverse of (a stack of) square matrices.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.inv(ga.asarray([[2.0, 0.0], [0.0, 4.0]])).compute().tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    check_square(x, "inv")
    return gathered("inv", [x], [x.shape])


def solve(x1: Array, x2: Array, /, sym_pos: bool | None = None, assume_a: str = "gen") -> Array:
    """Solve ``x1 @ out = x2`` for ``out``.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x1 : Array
        Square coefficient matrices ``(..., n, n)``.
    x2 : Array
        Right-hand sides: ``(n,)`` or ``(..., n, k)``.
    sym_pos : bool, optional
        dask.array's deprecated spelling of ``assume_a="pos"`` (warns ``FutureWarning``, as dask).
    assume_a : {"gen", "pos"}
        dask.array's keyword: ``"pos"`` declares ``x1`` symmetric positive-definite.  The general solver
        (LU) serves both: its solution is the same.

    Returns
    -------
    Array
        Shaped as ``x2`` (batch dimensions broadcast).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.solve(ga.asarray([[2.0, 0.0], [0.0, 4.0]]), ga.asarray([2.0, 8.0])).compute().tolist()
    [1.0, 2.0]
    >>> a, b = ga.asarray([[2.0, 1.0], [1.0, 2.0]]), ga.asarray([3.0, 3.0])
    >>> ga.linalg.solve(a, b, assume_a="pos").compute().tolist()
    [1.0, 1.0]
    """
    import warnings

    from gpuscale.array.elementwise import broadcast_shapes

    if sym_pos is not None:
        warnings.warn("The sym_pos keyword is deprecated and should be replaced by using ``assume_a = 'pos'``. "
                      "``sym_pos`` will be removed in a future version.", FutureWarning, stacklevel=2)
    if assume_a not in ("gen", "pos"):
        raise ValueError(f"assume_a = {assume_a!r} is not a recognized matrix structure, valid structures in "
                         "Dask are 'pos' and 'gen'.")
    backend = backend_of(x1, x2)  # a NumPy right-hand side (or matrix) joins the other's backend
    x1, x2 = as_array(x1, backend), as_array(x2, backend)
    check_square(x1, "solve")
    _check_right_hand_side(x1, x2)
    if x2.ndim == 1:
        shape = broadcast_shapes(x1.shape[:-2], ()) + x2.shape
    else:
        shape = broadcast_shapes(x1.shape[:-2], x2.shape[:-2]) + x2.shape[-2:]
    return gathered("solve", [x1, x2], [shape])


def _check_right_hand_side(x1: Array, x2: Array) -> None:
    """``x2``'s rows (its length when 1-d) must be ``x1``'s order: refused when built, as NumPy at once and dask
    when the graph is built (the blocks would refuse only at compute).  Unknown (nan) lengths pass unchecked."""
    if x2.ndim == 0:
        raise ValueError("linalg.solve: the right-hand side x2 must be at least 1-d, got a 0-d array")
    n, rows = x1.shape[-1], x2.shape[0 if x2.ndim == 1 else -2]
    if n == n and rows == rows and n != rows:  # (nan != nan: unknown)
        raise ValueError(f"linalg.solve: x2 of shape {x2.shape} does not match x1 of shape {x1.shape}: "
                         f"x2 needs {n} rows (the order of x1), got {rows}")


def pinv(x: Array, /, *, rtol: Any = None) -> Array:
    """Moore-Penrose pseudo-inverse.

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    rtol : float, optional
        Singular values below ``rtol`` times the largest count as zero.

    Returns
    -------
    Array
        ``(..., n, m)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.pinv(ga.asarray([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])).compute().tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.5, 0.0]]
    """
    if x.dtype.kind in "biu":  # NumPy's pseudo-inverse of integers is float64
        x = x.astype("float64")
    return gathered("pinv", [x], [x.shape[:-2] + (x.shape[-1], x.shape[-2])], rtol=rtol)


def matrix_power(x: Array, n: int, /) -> Array:
    """``x`` multiplied by itself ``n`` times (negative ``n``: powers of the inverse).

    Gathered: the matrix (or stack) is computed in one task, so it is meant for matrices that fit in one block.

    Parameters
    ----------
    x : Array
        A square matrix ``(..., n, n)``, or a stack of them.
    n : int
        The power; 0 gives identity matrices.

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.matrix_power(ga.asarray([[1, 1], [0, 1]]), 3).compute().tolist()
    [[1, 3], [0, 1]]
    >>> ga.linalg.matrix_power(ga.asarray([[2.0, 0.0], [0.0, 4.0]]), -1).compute().tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    check_square(x, "matrix_power")
    if n < 0 and x.dtype.kind in "biu":  # powers of the inverse are float64 (NumPy's)
        x = x.astype("float64")
    return _power(x, n)


def _power(x: Array, n: int) -> Array:
    from gpuscale.array.manipulation import rechunk

    whole = rechunk(x, tuple((s,) for s in x.shape))
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.xp_call, ind, whole.chunks, x.dtype, x.backend, "linalg.matrix_power", whole._expr,
                          n, arg_inds=(None, ind, None))
    return Array(node)
