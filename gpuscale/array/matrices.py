"""Matrix routines as NumPy and dask.array spell them: ``diag``, ``diagonal``, ``trace``, ``tri``,
``tril_indices``, ``triu_indices`` (and ``_from``), ``outer``, ``vdot``, ``dot``, ``rot90``, ``fliplr``,
``flipud``, ``swapaxes``, ``rollaxis``.

They are compositions of the standard's functions (``matmul``, ``tensordot``, ``vecdot``,
``linalg.diagonal``, ``permute_dims``, ``flip``, ``tril``): no new kind of task.
"""

from __future__ import annotations

import operator
from typing import Any

from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.protocols import implements

__all__ = ["diag", "diagonal", "trace", "tri", "tril_indices", "tril_indices_from", "triu_indices",
           "triu_indices_from", "outer", "vdot", "dot", "rot90", "fliplr", "flipud", "swapaxes", "rollaxis"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


@implements("diag")
def diag(v: Any, k: int = 0) -> Array:
    """The ``k``-th diagonal of a 2-d array, or a 2-d array with 1-d ``v`` on its ``k``-th diagonal, as
    ``numpy.diag``.

    Parameters
    ----------
    v : Array
        1-d (builds a square matrix) or 2-d (extracts the diagonal).
    k : int
        Diagonal above (``k > 0``) or below (``k < 0``) the main one.

    Returns
    -------
    Array
        2-d (for 1-d ``v``, with ``v``'s blocks along both axes) or 1-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.diag(ga.asarray([1, 2]), k=1).compute().tolist()
    [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    >>> ga.diag(ga.asarray([[1, 2], [3, 4]])).compute().tolist()
    [1, 4]
    """
    ga = _ga()
    if not hasattr(v, "shape") and not isinstance(v, (list, tuple)):  # a scalar has no diagonal to take or make
        raise TypeError(f"diag: v must be a dask array or numpy array (or a list), got {type(v).__name__} {v!r}")
    x = as_array(v)
    if x.ndim == 2:
        return diagonal(x, offset=k)
    if x.ndim != 1:
        raise ValueError(f"diag: Array must be 1d or 2d only, got a {x.ndim}-d array of shape {x.shape}")
    if x.shape[0] != x.shape[0]:  # unknown length (nan): no zero blocks can be sized
        return _diag_of_unknown_length(x, k)
    n = x.shape[0] + abs(k)
    column = x
    if k:
        pad = ga.zeros((abs(k),), dtype=x.dtype, backend=x.backend)
        column = ga.concat([x, pad] if k > 0 else [pad, x], axis=0)
    mask = ga.eye(n, n, k=k, dtype=ga.bool, chunks=(column.chunks[0], column.chunks[0]), backend=x.backend)
    return ga.where(mask, ga.expand_dims(column, axis=1), ga.zeros((), dtype=x.dtype, backend=x.backend))


def _diag_of_unknown_length(x: Array, k: int) -> Array:
    """``diag`` of a 1-d array of unknown length (singular values of a matrix of unknown shape), as dask: one
    block of ``x`` gives one block of the result, its lengths unknown until computed."""
    from gpuscale.array._chunks import NAN
    from gpuscale.array.expr import blockwise_expr
    from gpuscale.backends import array as chunkfn

    if x.numblocks[0] != 1:
        raise ValueError(f"Arrays' chunk sizes are unknown: diag of a 1-d array of {x.numblocks[0]} blocks of unknown "
                         f"lengths {x.chunks[0]} cannot size its zero blocks; call v.compute_chunk_sizes() first")
    return Array(blockwise_expr(chunkfn.diag_block, (0, 1), ((NAN,), (NAN,)), x.dtype, x.backend, x._expr,
                                arg_inds=((0,),), kwargs={"k": k}))


@implements("diagonal")
def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The ``offset`` diagonal of the ``(axis1, axis2)`` planes, as ``numpy.diagonal``.

    Parameters
    ----------
    a : Array
        At least 2-d.
    offset : int
        Diagonal above (``> 0``) or below (``< 0``) the main one.
    axis1, axis2 : int
        The plane; the diagonal becomes the last axis of the result.

    Returns
    -------
    Array
        ``a``'s other axes, then the diagonal.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.diagonal(ga.reshape(ga.arange(9), (3, 3)), offset=-1).compute().tolist()
    [3, 7]
    """
    return _ga().linalg.diagonal(_plane_last(a, axis1, axis2), offset=offset)


def _plane_last(a: Any, axis1: Any, axis2: Any) -> Array:
    """``a`` with the ``(axis1, axis2)`` plane moved last, the axes checked first with NumPy's errors (``axis1
    and axis2 cannot be the same``, not moveaxis' repeated-axis error)."""
    from gpuscale.array._chunks import valid_axis

    x = as_array(a)
    if x.ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    axes = []
    for label, axis in (("axis1", axis1), ("axis2", axis2)):
        try:
            axes.append(valid_axis(operator.index(axis), x.ndim))
        except ValueError as error:  # NumPy's AxisError names the argument
            raise type(error)(f"{label}: {error}") from None
    if axes[0] == axes[1]:
        raise ValueError("axis1 and axis2 cannot be the same")
    return _ga().moveaxis(x, tuple(axes), (-2, -1))


@implements("trace")
def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None) -> Array:
    """Sum along the ``offset`` diagonal of the ``(axis1, axis2)`` planes, as ``numpy.trace``.

    Parameters
    ----------
    a : Array
        At least 2-d.
    offset, axis1, axis2
        As :func:`diagonal`.
    dtype
        Accumulator and result dtype.
    out
        NumPy's ``out=``: a gpuscale array takes the result.

    Returns
    -------
    Array
        ``a``'s other axes.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> int(ga.trace(ga.reshape(ga.arange(9), (3, 3))))
    12
    """
    from gpuscale.array.nanreductions import handle_out

    return handle_out(out, _ga().linalg.trace(_plane_last(a, axis1, axis2), offset=offset, dtype=dtype))


@implements("tri")
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = float, chunks: Any = "auto", *,  # noqa: N803
        like: Any = None, backend: str | None = None) -> Array:
    """Ones at and below the ``k``-th diagonal, zeros above, as ``numpy.tri``.

    Parameters
    ----------
    N, M : int
        Rows and columns (``M`` defaults to ``N``).
    k : int
        The diagonal at and below which the array is filled.
    dtype
        Result dtype (float64 by default).
    chunks
        Block shape (as :func:`gpuscale.array.ones`).
    like, backend
        ``like``: an array whose backend to use; ``backend``: a backend name.

    Returns
    -------
    Array
        ``(N, M)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.tri(3, k=-1, dtype=int).compute().tolist()
    [[0, 0, 0], [1, 0, 0], [1, 1, 0]]
    """
    ga = _ga()
    backend = backend or getattr(like, "backend", None)
    ones = ga.ones((N, N if M is None else M), dtype=dtype, chunks=chunks, backend=backend)
    return ga.tril(ones, k=k)


def _triangle_indices(n: int, k: int, m: Any, chunks: Any, lower: bool) -> tuple:
    from gpuscale.array.data_dependent import evaluate_now
    from gpuscale.array.searching import nonzero

    mask = tri(n, m, k if lower else k - 1, dtype=bool)
    mask = mask if lower else _ga().logical_not(mask)
    rows, cols = evaluate_now(*nonzero(mask))
    return rows.rechunk(chunks), cols.rechunk(chunks)


@implements("tril_indices")
def tril_indices(n: int, k: int = 0, m: int | None = None, chunks: Any = "auto") -> tuple:
    """Row and column indices of the lower triangle of an ``(n, m)`` array, as ``numpy.tril_indices``.

    Parameters
    ----------
    n, m : int
        Rows and columns (``m`` defaults to ``n``).
    k : int
        Diagonal offset of the triangle's edge.
    chunks
        Block length of the index arrays.

    Returns
    -------
    tuple of Array
        Two 1-d int64 arrays of known length (computed at once).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rows, cols = ga.tril_indices(3)
    >>> rows.compute().tolist(), cols.compute().tolist()
    ([0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2])
    """
    return _triangle_indices(n, k, m, chunks, True)


@implements("triu_indices")
def triu_indices(n: int, k: int = 0, m: int | None = None, chunks: Any = "auto") -> tuple:
    """Row and column indices of the upper triangle of an ``(n, m)`` array, as ``numpy.triu_indices``.

    Parameters
    ----------
    n, m : int
        Rows and columns (``m`` defaults to ``n``).
    k : int
        Diagonal offset of the triangle's edge.
    chunks
        Block length of the index arrays.

    Returns
    -------
    tuple of Array
        Two 1-d int64 arrays of known length (computed at once).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rows, cols = ga.triu_indices(3, k=1)
    >>> rows.compute().tolist(), cols.compute().tolist()
    ([0, 0, 1], [1, 2, 2])
    """
    return _triangle_indices(n, k, m, chunks, False)


@implements("tril_indices_from")
def tril_indices_from(arr: Any, k: int = 0) -> tuple:
    """:func:`tril_indices` for the shape of a 2-d ``arr``, as ``numpy.tril_indices_from``.

    Parameters
    ----------
    arr : Array
        2-d.
    k : int
        Diagonal offset.

    Returns
    -------
    tuple of Array
        Row and column indices.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [i.compute().tolist() for i in ga.tril_indices_from(ga.ones((2, 3)))]
    [[0, 1, 1], [0, 0, 1]]
    """
    shape = as_array(arr).shape
    if len(shape) != 2:
        raise ValueError("input array must be 2-d")
    return tril_indices(shape[0], k=k, m=shape[1])


@implements("triu_indices_from")
def triu_indices_from(arr: Any, k: int = 0) -> tuple:
    """:func:`triu_indices` for the shape of a 2-d ``arr``, as ``numpy.triu_indices_from``.

    Parameters
    ----------
    arr : Array
        2-d.
    k : int
        Diagonal offset.

    Returns
    -------
    tuple of Array
        Row and column indices.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [i.compute().tolist() for i in ga.triu_indices_from(ga.ones((2, 3)))]
    [[0, 0, 0, 1, 1], [0, 1, 2, 1, 2]]
    """
    shape = as_array(arr).shape
    if len(shape) != 2:
        raise ValueError("input array must be 2-d")
    return triu_indices(shape[0], k=k, m=shape[1])


@implements("outer", "linalg.outer")
def outer(a: Any, b: Any, out: Any = None) -> Array:
    """Outer product of the flattened inputs, as ``numpy.outer``: ``out[i, j] = a[i] * b[j]``.

    Parameters
    ----------
    a, b : Array
        Inputs (flattened).
    out
        NumPy's ``out=``: a gpuscale array takes the result.

    Returns
    -------
    Array
        2-d, with ``a``'s blocks along rows and ``b``'s along columns.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.outer(ga.asarray([1, 2]), ga.asarray([1, 10, 100])).compute().tolist()
    [[1, 10, 100], [2, 20, 200]]
    """
    from gpuscale.array.nanreductions import handle_out

    ga = _ga()
    backend = backend_of(a, b)
    a, b = ga.reshape(as_array(a, backend), (-1,)), ga.reshape(as_array(b, backend), (-1,))
    return handle_out(out, ga.linalg.outer(a, b))


@implements("vdot")
def vdot(a: Any, b: Any) -> Array:
    """Dot product of the flattened inputs, the first conjugated, as ``numpy.vdot``.

    Parameters
    ----------
    a, b : Array
        Inputs with the same number of elements.

    Returns
    -------
    Array
        0-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> complex(ga.vdot(ga.asarray([1j, 2]), ga.asarray([1j, 3])))
    (7+0j)
    """
    ga = _ga()
    backend = backend_of(a, b)
    a, b = ga.reshape(as_array(a, backend), (-1,)), ga.reshape(as_array(b, backend), (-1,))
    return ga.vecdot(a, b)


@implements("dot")
def dot(a: Any, b: Any, out: Any = None) -> Array:
    """Dot product with NumPy's rules, as ``numpy.dot``: matrix product for 2-d, inner product for 1-d,
    a sum over the last axis of ``a`` and the second-to-last of ``b`` otherwise.

    Parameters
    ----------
    a, b : Array
        Inputs (0-d inputs multiply).
    out
        NumPy's ``out=``: a gpuscale array takes the result.

    Returns
    -------
    Array
        The product.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.dot(ga.asarray([[1, 2], [3, 4]]), ga.asarray([1, 1])).compute().tolist()
    [3, 7]
    """
    from gpuscale.array.nanreductions import handle_out

    ga = _ga()
    backend = backend_of(a, b)
    a, b = as_array(a, backend), as_array(b, backend)
    if a.ndim == 0 or b.ndim == 0:
        result = a * b
    elif b.ndim == 1 or a.ndim <= 2 and b.ndim <= 2:
        result = ga.matmul(a, b)  # (1-d with 1-d: NumPy's inner product, no conjugate as vecdot's)
    else:
        result = ga.tensordot(a, b, axes=((a.ndim - 1,), (b.ndim - 2,)))
    return handle_out(out, result)


@implements("rot90")
def rot90(m: Any, k: int = 1, axes: Any = (0, 1)) -> Array:
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (from the first toward the second), as
    ``numpy.rot90``.

    Parameters
    ----------
    m : Array
        At least 2-d.
    k : int
        Number of quarter turns (negative: the other way).
    axes : pair of int
        The plane.

    Returns
    -------
    Array
        The rotated array (blocks flipped and transposed, no data touched).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.rot90(ga.asarray([[1, 2], [3, 4]])).compute().tolist()
    [[2, 4], [1, 3]]
    """
    ga = _ga()
    x = as_array(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    if x.ndim < 2 or axes[0] == axes[1] or abs(axes[0] - axes[1]) == x.ndim:
        raise ValueError("Axes must be different.")
    if not all(-x.ndim <= a < x.ndim for a in axes):
        raise ValueError(f"Axes={axes} out of range for array of ndim={x.ndim}.")
    k %= 4
    if k == 0:
        return Array(x._expr)
    if k == 2:
        return ga.flip(ga.flip(x, axis=axes[0]), axis=axes[1])
    order = list(range(x.ndim))
    a0, a1 = axes[0] % x.ndim, axes[1] % x.ndim
    order[a0], order[a1] = order[a1], order[a0]
    if k == 1:
        return ga.permute_dims(ga.flip(x, axis=a1), tuple(order))
    return ga.flip(ga.permute_dims(x, tuple(order)), axis=a1)


@implements("fliplr")
def fliplr(m: Any) -> Array:
    """Reverse the columns (axis 1), as ``numpy.fliplr``.

    Parameters
    ----------
    m : Array
        At least 2-d.

    Returns
    -------
    Array
        The flipped array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fliplr(ga.asarray([[1, 2, 3]])).compute().tolist()
    [[3, 2, 1]]
    """
    x = as_array(m)
    if x.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return _ga().flip(x, axis=1)


@implements("flipud")
def flipud(m: Any) -> Array:
    """Reverse the rows (axis 0), as ``numpy.flipud``.

    Parameters
    ----------
    m : Array
        At least 1-d.

    Returns
    -------
    Array
        The flipped array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.flipud(ga.asarray([1, 2, 3])).compute().tolist()
    [3, 2, 1]
    """
    x = as_array(m)
    if x.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return _ga().flip(x, axis=0)


def _check_axis(axis: Any, ndim: int, prefix: str = "") -> None:
    """NumPy's ``AxisError`` (a ``ValueError`` and ``IndexError``) for an axis out of range, naming it."""
    from gpuscale.array.statistical import AxisError

    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(f"{prefix}axis {axis} is out of bounds for array of dimension {ndim}")


@implements("swapaxes")
def swapaxes(a: Any, axis1: int, axis2: int) -> Array:
    """Exchange two axes, as ``numpy.swapaxes``.

    Parameters
    ----------
    a : Array
        Input.
    axis1, axis2 : int
        The axes.

    Returns
    -------
    Array
        The transposed array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.swapaxes(ga.ones((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    x = as_array(a)
    order = list(range(x.ndim))
    _check_axis(axis1, x.ndim, "axis1: ")
    _check_axis(axis2, x.ndim, "axis2: ")
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return _ga().permute_dims(x, tuple(order))


@implements("rollaxis")
def rollaxis(a: Any, axis: int, start: int = 0) -> Array:
    """Move ``axis`` so that it comes before position ``start``, as ``numpy.rollaxis``.

    Parameters
    ----------
    a : Array
        Input.
    axis : int
        The axis to move.
    start : int
        The axis is placed before the axis now at ``start`` (``a.ndim``: last).

    Returns
    -------
    Array
        The transposed array.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.rollaxis(ga.ones((3, 4, 5, 6)), 3, 1).shape
    (3, 6, 4, 5)
    """
    x = as_array(a)
    n = x.ndim
    _check_axis(axis, n)
    if not -n <= start <= n:
        raise ValueError(f"start arg requires {-n} <= start < {n + 1}")
    axis %= n
    start = start + n if start < 0 else start
    if axis < start:
        start -= 1
    if axis == start:
        return Array(x._expr)
    order = [d for d in range(n) if d != axis]
    order.insert(start, axis)
    return _ga().permute_dims(x, tuple(order))
