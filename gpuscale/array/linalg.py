"""Linear algebra: ``matmul``, ``tensordot``, ``vecdot``, ``matrix_transpose`` and the ``linalg`` extension.

``matmul`` is blockwise with a contraction over the shared dimension.
``qr`` of a tall-and-skinny matrix (one block of columns) is the chunked
TSQR algorithm; ``svd(full_matrices=False)`` builds on it.  The other
extension functions (``solve``, ``inv``, ``det``, ``eigh``, ...) gather their
input into one block: they are meant for small matrices (documented).
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.expr import BlockIndex, Blockwise, blockwise_expr
from gpuscale.backends import array as chunkfn

__all__ = ["matmul", "tensordot", "vecdot", "matrix_transpose", "outer", "qr", "svd", "svdvals", "solve", "inv",
           "det", "slogdet", "cholesky", "eigh", "eigvalsh", "diagonal", "trace", "matrix_norm", "vector_norm",
           "matrix_power", "matrix_rank", "pinv", "cross"]

QRResult = namedtuple("QRResult", ["Q", "R"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


def matrix_transpose(x: Array, /) -> Array:
    """Swap the last two dimensions (transpose each matrix of a stack).

    Parameters
    ----------
    x : Array
        At least 2-d.

    Returns
    -------
    Array
        ``(..., n, m)`` for ``(..., m, n)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(6), (2, 3))
    >>> ga.matrix_transpose(x).compute().tolist(), ga.matrix_transpose(ga.zeros((4, 2, 3))).shape
    ([[0, 3], [1, 4], [2, 5]], (4, 3, 2))
    """
    from gpuscale.array.manipulation import permute_dims

    if x.ndim < 2:
        raise ValueError(f"matrix_transpose needs at least 2 dimensions, got shape {x.shape}")
    return permute_dims(x, tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


def matmul(x1: Any, x2: Any, /) -> Array:
    """Matrix product, with NumPy's rules for 1-d operands and broadcast batch dimensions (``x1 @ x2``).

    Parameters
    ----------
    x1, x2 : Array or array-like
        At least 1-d; a 1-d ``x1`` is a row vector and a 1-d ``x2`` a column vector (their added dimension
        is removed from the result).

    Returns
    -------
    Array
        ``(..., n, m)``; blocks follow ``x1``'s rows and ``x2``'s columns, the shared dimension is summed
        block by block.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a = ga.asarray([[1, 2], [3, 4]], chunks=1)
    >>> b = ga.asarray([[5, 6], [7, 8]], chunks=1)
    >>> ga.matmul(a, b).compute().tolist(), ga.matmul(a, ga.asarray([1, 1])).compute().tolist()
    ([[19, 22], [43, 50]], [3, 7])
    """
    from gpuscale.array._operands import as_arrays
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.manipulation import broadcast_to, expand_dims, rechunk, squeeze

    x1, x2 = as_arrays((x1, x2))  # NumPy arrays and scalars too (both: on the configured backend), as dask's
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError("matmul: operands must have at least one dimension")
    squeeze_axes = []
    if x1.ndim == 1:
        x1 = expand_dims(x1, axis=0)
        squeeze_axes.append(-2)
    if x2.ndim == 1:
        x2 = expand_dims(x2, axis=1)
        squeeze_axes.append(-1)
    if x1.shape[-1] != x2.shape[-2] and not (math.isnan(x1.shape[-1]) or math.isnan(x2.shape[-2])):
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"(n?,k),(k,m?)->(n?,m?) (size {x2.shape[-2]} is different from {x1.shape[-1]})")
    batch = broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    x1 = broadcast_to(x1, batch + x1.shape[-2:])
    x2 = broadcast_to(x2, batch + x2.shape[-2:])
    b = len(batch)
    common = [_chunks.common_chunks([x1.chunks[d], x2.chunks[d]]) for d in range(b)]
    inner = _chunks.common_chunks([x1.chunks[-1], x2.chunks[-2]])
    x1 = rechunk(x1, tuple(common) + (x1.chunks[-2], inner))
    x2 = rechunk(x2, tuple(common) + (inner, x2.chunks[-1]))
    dtype = chunkfn.meta_call(x1.backend, "matmul", chunkfn.Meta(x1.dtype, 2), chunkfn.Meta(x2.dtype, 2))
    batch_ind = tuple(range(b))
    i, j, k = b, b + 1, b + 2
    chunks = tuple(common) + (x1.chunks[-2], x2.chunks[-1])
    # several output blocks: the runtime's workers multiply side by side, one BLAS thread each
    several = math.prod(len(c) for c in chunks) > 1
    node = blockwise_expr(chunkfn.matmul_blocks, batch_ind + (i, j), chunks, dtype, x1.backend, x1._expr, x2._expr,
                          arg_inds=(batch_ind + (i, k), batch_ind + (k, j)), kwargs={"one_blas_thread": several})
    out = Array(node)
    if squeeze_axes:
        out = squeeze(out, axis=tuple(out.ndim + a for a in squeeze_axes))
    return out


def tensordot(x1: Any, x2: Any, /, axes: Any = 2) -> Array:
    """Sum of products over the given axes, as the standard's and NumPy's ``tensordot``.

    Parameters
    ----------
    x1, x2 : Array or array-like
        Inputs (NumPy arrays too, as in dask).
    axes : int or pair of (int or sequence of int)
        ``n``: the last ``n`` axes of ``x1`` with the first ``n`` of ``x2``; or the axes of each to contract
        (``(1, 0)``: axis 1 of ``x1`` with axis 0 of ``x2``).

    Returns
    -------
    Array
        ``x1``'s free axes, then ``x2``'s.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(6), (2, 3))
    >>> ga.tensordot(x, ga.reshape(ga.arange(6), (3, 2)), axes=1).compute().tolist()
    [[10, 13], [28, 40]]
    >>> ga.tensordot(x, x, axes=([1], [1])).compute().tolist()
    [[5, 14], [14, 50]]
    """
    from gpuscale.array._operands import as_arrays
    from gpuscale.array.rechunk import rechunk_expr

    x1, x2 = as_arrays((x1, x2))
    if isinstance(axes, int):
        if axes < 0:
            raise ValueError("tensordot: axes must be non-negative")
        a_axes, b_axes = tuple(range(x1.ndim - axes, x1.ndim)), tuple(range(axes))
    else:
        a_axes, b_axes = (tuple(a % max(x.ndim, 1) for a in ((ax,) if isinstance(ax, int) else ax))
                          for ax, x in zip(axes, (x1, x2)))
        if len(a_axes) != len(b_axes):
            raise ValueError(f"tensordot: x1 and x2 need as many axes to contract, got {axes!r}")
    for a, b in zip(a_axes, b_axes):
        if x1.shape[a] != x2.shape[b]:
            raise ValueError(f"tensordot: shape mismatch for sum: axis {a} of x1 has length {x1.shape[a]}, axis {b} "
                             f"of x2 has length {x2.shape[b]}")
    e1 = rechunk_expr(x1._expr, tuple((n,) if d in a_axes else c for d, (c, n) in
                                      enumerate(zip(x1.chunks, x1.shape))))
    e2 = rechunk_expr(x2._expr, tuple((n,) if d in b_axes else c for d, (c, n) in
                                      enumerate(zip(x2.chunks, x2.shape))))
    ind1 = tuple(range(x1.ndim))
    ind2 = tuple(1000 + a_axes[b_axes.index(d)] if d in b_axes else 100 + d for d in range(x2.ndim))
    ind1 = tuple(1000 + d if d in a_axes else d for d in ind1)
    out_ind = tuple(d for d in ind1 if d < 1000) + tuple(d for d in ind2 if d < 1000)
    chunks = tuple(c for d, c in enumerate(x1.chunks) if d not in a_axes) + \
        tuple(c for d, c in enumerate(x2.chunks) if d not in b_axes)
    from gpuscale.array.interop import warn_block_growth

    # an outer-style product of blocked operands: dask's PerformanceWarning where blocks grow tenfold or more
    warn_block_growth(max(x1.npartitions, x2.npartitions), math.prod(len(c) for c in chunks), "tensordot",
                      advice="larger blocks (rechunk) make fewer block products")
    dtype = chunkfn.result_type(x1.backend, x1.dtype, x2.dtype)
    several = math.prod(len(c) for c in chunks) > 1  # one BLAS thread per block product, as in matmul
    node = blockwise_expr(chunkfn.tensordot_block, out_ind, chunks, dtype, x1.backend, e1, e2, arg_inds=(ind1, ind2),
                          kwargs={"axes": (a_axes, b_axes), "one_blas_thread": several}, concatenate=True)
    return Array(node)


def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Dot product of vectors along ``axis``, conjugating ``x1`` (the standard's ``vecdot``).

    Parameters
    ----------
    x1, x2 : Array
        Inputs, broadcast against each other.
    axis : int
        The axis of the vectors (same length in both).

    Returns
    -------
    Array
        The broadcast shape without ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.vecdot(ga.asarray([[1, 2], [3, 4]]), ga.asarray([1, 10])).compute().tolist()
    [21, 43]
    """
    from gpuscale.array.elementwise import broadcast_shapes, conj, multiply
    from gpuscale.array.statistical import sum as _sum

    shape = broadcast_shapes(x1.shape, x2.shape)
    if not -len(shape) <= axis < len(shape) or x1.shape[axis] != x2.shape[axis]:
        raise ValueError(f"vecdot: axis {axis} must exist in both operands with equal length "
                         f"(shapes {x1.shape} and {x2.shape})")
    product = multiply(conj(x1) if x1.dtype.kind == "c" else x1, x2)
    return _sum(product, axis=axis, dtype=product.dtype)


def outer(x1: Array, x2: Array, /) -> Array:
    """Outer product of two 1-d arrays: ``out[i, j] = x1[i] * x2[j]``.

    Parameters
    ----------
    x1, x2 : Array
        1-d inputs.

    Returns
    -------
    Array
        ``(len(x1), len(x2))``, with ``x1``'s blocks along the rows and ``x2``'s along the columns.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.outer(ga.asarray([1, 2]), ga.asarray([1, 10, 100])).compute().tolist()
    [[1, 10, 100], [2, 20, 200]]
    """
    from gpuscale.array.elementwise import multiply
    from gpuscale.array.manipulation import expand_dims

    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"outer needs 1-d arrays, got shapes {x1.shape} and {x2.shape}")
    return multiply(expand_dims(x1, axis=1), expand_dims(x2, axis=0))


# -- gathered functions (small matrices) ----------------------------------------------------------------------
def _gathered(name: str, arrays: list, shapes: list[tuple], **kwargs: Any) -> Any:
    """Run ``xp.linalg.<name>`` on whole arrays in one task; one Array per output."""
    from gpuscale.array.manipulation import rechunk

    array_kwargs = {k: v for k, v in kwargs.items() if isinstance(v, Array)}
    kwargs = {k: v for k, v in kwargs.items() if k not in array_kwargs}
    arrays = list(arrays) + list(array_kwargs.values())
    whole = [rechunk(a, tuple((n,) for n in a.shape)) for a in arrays]
    dtypes = chunkfn.meta_call(arrays[0].backend, f"linalg.{name}",
                               *[chunkfn.Meta(a.dtype, a.ndim) for a in arrays[: len(arrays) - len(array_kwargs)]],
                               **kwargs)
    dtypes = dtypes if isinstance(dtypes, list) else [dtypes]
    inds = (None, None) + tuple(tuple(range(1000 * (i + 1), 1000 * (i + 1) + a.ndim)) for i, a in enumerate(whole))
    out_shape = shapes[0] if len(shapes) == 1 else ()
    node = blockwise_expr(chunkfn.call_with_array_kwargs, tuple(range(len(out_shape))),
                          tuple((n,) for n in out_shape), dtypes[0], arrays[0].backend, f"linalg.{name}",
                          tuple(array_kwargs), *(w._expr for w in whole), arg_inds=inds, kwargs=kwargs)
    if len(shapes) == 1:
        return Array(node)
    return [_pick(node, i, shape, dtype) for i, (shape, dtype) in enumerate(zip(shapes, dtypes))]


def _pick(node: Blockwise, i: int, shape: tuple, dtype: Any) -> Array:
    picked = blockwise_expr(chunkfn.pick, tuple(range(len(shape))), tuple((n,) for n in shape), dtype, node.backend,
                            node, i, arg_inds=((), None))
    return Array(picked)


def _matrices(x: Array, name: str) -> None:
    # dask's words for a 0-d or 1-d input ("Array must be 2D"); gpuscale also takes stacks of matrices
    if x.ndim < 2:
        raise ValueError(f"linalg.{name}: Array must be 2D (or a stack of matrices), got shape {x.shape}")


def _square(x: Array, name: str) -> None:
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"linalg.{name} needs (a stack of) square matrices, got shape {x.shape}")


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
    _square(x, "inv")
    return _gathered("inv", [x], [x.shape])


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
    _square(x, "det")
    return _gathered("det", [x], [x.shape[:-2]])


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
    _square(x, "slogdet")
    return SlogdetResult(*_gathered("slogdet", [x], [x.shape[:-2], x.shape[:-2]]))


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
    _square(x, "cholesky")
    if lower is not None and upper is not None and bool(lower) == bool(upper):
        raise ValueError(f"cholesky: lower={lower!r} and upper={upper!r} contradict each other; give one")
    if upper is None:
        upper = not lower  # dask's default (lower=False): the upper factor
    return _gathered("cholesky", [x], [x.shape], upper=bool(upper))


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
    _square(x, "eigh")
    return EighResult(*_gathered("eigh", [x], [x.shape[:-1], x.shape]))


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
    _square(x, "eigvalsh")
    return _gathered("eigvalsh", [x], [x.shape[:-1]])


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
    _square(x1, "solve")
    if x2.ndim == 1:
        shape = broadcast_shapes(x1.shape[:-2], ()) + x2.shape
    else:
        shape = broadcast_shapes(x1.shape[:-2], x2.shape[:-2]) + x2.shape[-2:]
    return _gathered("solve", [x1, x2], [shape])


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
    return _gathered("pinv", [x], [x.shape[:-2] + (x.shape[-1], x.shape[-2])], rtol=rtol)


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
    return _gathered("matrix_rank", [x], [x.shape[:-2]], rtol=rtol)


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
    _square(x, "matrix_power")
    return _power(x, n)


def _power(x: Array, n: int) -> Array:
    from gpuscale.array.manipulation import rechunk

    whole = rechunk(x, tuple((s,) for s in x.shape))
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.xp_call, ind, whole.chunks, x.dtype, x.backend, "linalg.matrix_power", whole._expr,
                          n, arg_inds=(None, ind, None))
    return Array(node)


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
    return _gathered("matrix_norm", [x], [shape], keepdims=keepdims, ord=ord)


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
    return _gathered("svdvals", [x], [x.shape[:-2] + (min(x.shape[-2:]),)])


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
    return _gathered("diagonal", [x], [x.shape[:-2] + (length,)], offset=offset)


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


def cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Cross product of 3-vectors along ``axis``.

    Parameters
    ----------
    x1, x2 : Array
        Inputs, broadcast together; length 3 along ``axis``.
    axis : int
        The axis of the vectors.

    Returns
    -------
    Array
        The broadcast shape.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.cross(ga.asarray([1, 0, 0]), ga.asarray([0, 1, 0])).compute().tolist()
    [0, 0, 1]
    """
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.manipulation import broadcast_to, rechunk
    from gpuscale.array.rechunk import align_chunks

    shape = broadcast_shapes(x1.shape, x2.shape)
    if not -len(shape) <= axis < len(shape) or x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError(f"cross: axis {axis} must have length 3 in both operands (shapes {x1.shape}, {x2.shape})")
    axis %= len(shape)
    x1, x2 = (rechunk(broadcast_to(a, shape), {axis: -1}) for a in (x1, x2))
    e1, e2 = align_chunks([x1._expr, x2._expr], len(shape))
    ind = tuple(range(len(shape)))
    dtype = chunkfn.result_type(x1.backend, x1.dtype, x2.dtype)
    node = blockwise_expr(chunkfn.xp_call, ind, e1.chunks, dtype, x1.backend, "linalg.cross", e1, e2,
                          arg_inds=(None, ind, ind), kwargs={"axis": axis - len(shape)})
    return Array(node)


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

    a = ew.abs(x)
    if ord == 2:
        return ew.sqrt(st.sum(a * a, axis=axis, keepdims=keepdims))
    if ord == 1:
        return st.sum(a, axis=axis, keepdims=keepdims)
    if ord == math.inf:
        return st.max(a, axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return st.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return count_nonzero(x, axis=axis, keepdims=keepdims).astype(a.dtype)
    return ew.pow(st.sum(ew.pow(a, float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)


# -- QR / SVD of tall-and-skinny matrices -----------------------------------------------------------------------
def qr(x: Array, /, *, mode: str = "reduced") -> QRResult:
    """QR factorisation: ``x = q @ r`` with orthonormal columns in ``q`` and an upper-triangular ``r``.

    A 2-d matrix whose rows are in several blocks (tall and skinny: its columns are made one block) is
    factorised block by block with TSQR (``mode="reduced"``); other inputs are gathered into one task.

    Parameters
    ----------
    x : Array
        A matrix ``(..., m, n)``, or a stack of them.
    mode : {"reduced", "complete"}
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

    _matrices(x, "qr")
    if x.ndim != 2 or mode != "reduced" or x.numblocks[0] == 1:
        m, n = x.shape[-2:]
        k = _rank_bound(m, n) if mode == "reduced" else m
        return QRResult(*_gathered("qr", [x], [x.shape[:-2] + (m, k), x.shape[:-2] + (k, n)], mode=mode))
    x = rechunk(x, {1: -1})
    m, n = x.shape
    parts = blockwise_expr(chunkfn.tsqr_block, (0, 1), x.chunks, x.dtype, x.backend, x._expr, arg_inds=((0, 1),))
    second = blockwise_expr(chunkfn.stack_r_and_qr, (), (), x.dtype, x.backend, parts, arg_inds=((0, 1),))
    k = _rank_bound(m, n)
    q = blockwise_expr(chunkfn.tsqr_q_block, (0, 1), (x.chunks[0], (k,)), x.dtype, x.backend,
                       parts, second, BlockIndex(), arg_inds=((0, 1), (), None))
    r = blockwise_expr(chunkfn.pick, (0, 1), ((k,), (n,)), x.dtype, x.backend, second, 1, arg_inds=((), None))
    return QRResult(Array(q), Array(r))


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
    _matrices(x, "svd")
    if coerce_signs if coerce_signs is not None else not full_matrices:
        u, s, vh = svd(x, full_matrices=full_matrices, coerce_signs=False)
        u, vh = svd_flip(u, vh)
        return SVDResult(u, s, vh)
    m, n = x.shape[-2:]
    k = _rank_bound(m, n)
    if x.ndim != 2 or full_matrices or x.numblocks[0] == 1:
        u_cols, vh_rows = (m, n) if full_matrices else (k, k)
        shapes = [x.shape[:-2] + (m, u_cols), x.shape[:-2] + (k,), x.shape[:-2] + (vh_rows, n)]
        return SVDResult(*_gathered("svd", [x], shapes, full_matrices=full_matrices))
    if m < n:
        u, s, vh = svd(matrix_transpose(x), full_matrices=False, coerce_signs=False)
        return SVDResult(matrix_transpose(vh), s, matrix_transpose(u))
    q, r = qr(x)
    u_r, s, vh = _gathered("svd", [r], [(k, k), (k,), (k, n)], full_matrices=False)
    return SVDResult(matmul(q, u_r), s, vh)


# dask.array.linalg's functions besides the standard's (gpuscale/array/linalg_extras.py)
from gpuscale.array import linalg_extras as _extras  # noqa: E402
from gpuscale.array.linalg_extras import *  # noqa: E402,F401,F403

__all__ += _extras.__all__
