"""Products of arrays, blockwise: ``matmul``, ``tensordot``, ``vecdot``, ``outer``, ``cross`` and
``matrix_transpose``.

``matmul`` contracts the shared dimension block by block; ``tensordot`` makes each contracted axis one
block; ``cross`` makes the vectors' axis one block.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.expr import blockwise_expr
from gpuscale.backends import array as chunkfn


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
        # an unknown length (nan, after a mask) is checked when the blocks meet, as in matmul and dask
        if x1.shape[a] != x2.shape[b] and not (math.isnan(x1.shape[a]) or math.isnan(x2.shape[b])):
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
    n1, n2 = (x.shape[axis] if -x.ndim <= axis < x.ndim else None for x in (x1, x2))
    unknown = n1 != n1 and n2 != n2  # both unknown (nan, after a mask): checked when the blocks meet, as dask
    if not -len(shape) <= axis < len(shape) or (n1 != n2 and not unknown):
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
