"""Searching functions: ``argmax``, ``argmin``, ``where``, ``nonzero``, ``searchsorted``, ``count_nonzero``."""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.elementwise import elementwise
from gpuscale.array import _chunks
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.array.reductions import Reduction
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["argmax", "argmin", "where", "nonzero", "searchsorted", "count_nonzero"]


def _arg_reduce(kind: str, x: Array, axis: int | None, keepdims: bool) -> Array:
    from gpuscale.array.manipulation import reshape

    if x.size == 0:
        raise ValueError(f"attempt to get {kind} of an empty sequence")
    if axis is None:
        out = _arg_reduce(kind, reshape(x, (-1,)), 0, False)
        return reshape(out, (1,) * x.ndim) if keepdims else out
    axes = normalize_axis(axis, x.ndim)
    index_dtype = chunkfn.numpy_dtype("int64")
    return Array(Reduction(x._expr, kind, axes, keepdims=bool(keepdims), dtype_=index_dtype))


def argmax(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    """Index of the first maximum along ``axis`` (flattened when None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> int(ga.argmax(ga.asarray([3, 9, 2, 9], chunks=2, device="cpu")).compute())
    1
    """
    return _arg_reduce("argmax", x, axis, keepdims)


def argmin(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    """Index of the first minimum along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int, optional
        Axis to search; None searches the flattened array.
    keepdims : bool
        Keep the reduced axes with length one.

    Returns
    -------
    Array
        int64 indices.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[5, 1, 3], [0, 4, 0]], chunks=2)
    >>> int(ga.argmin(x)), ga.argmin(x, axis=1).compute().tolist()
    (3, [1, 0])
    """
    return _arg_reduce("argmin", x, axis, keepdims)


def where(condition: Any, x1: Any, x2: Any, /) -> Array:
    """``x1`` where ``condition`` is true, else ``x2`` (broadcasting).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6, chunks=3, device="cpu")
    >>> ga.where(x % 2 == 0, x, -1).compute().tolist()
    [0, -1, 2, -1, 4, -1]
    """
    return elementwise("where", condition, x1, x2)


def count_nonzero(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
    """Number of non-zero elements over ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.

    Returns
    -------
    Array
        int64 counts.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[0, 7], [3, 0], [1, 1]])
    >>> int(ga.count_nonzero(x)), ga.count_nonzero(x, axis=0).compute().tolist()
    (4, [2, 2])
    """
    axes = normalize_axis(axis, x.ndim)
    return Array(Reduction(x._expr, "count_nonzero", axes, keepdims=bool(keepdims),
                           dtype_=chunkfn.numpy_dtype("int64")))


def nonzero(x: Array, /) -> tuple:
    """Indices of the non-zero elements, one 1-d array per dimension.

    Parameters
    ----------
    x : Array
        Input.

    Returns
    -------
    tuple of Array
        int64 indices in row-major order; their length is known at once when ``x`` is in memory (see
        :mod:`gpuscale.array.data_dependent`), else nan until computed.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rows, cols = ga.nonzero(ga.asarray([[0, 7], [3, 0]]))
    >>> rows.compute().tolist(), cols.compute().tolist()
    ([0, 1], [1, 0])
    """
    from gpuscale.array.data_dependent import known_when_in_memory

    return known_when_in_memory((x,), _lazy_nonzero(x))


def _lazy_nonzero(x: Array) -> tuple:
    if x.ndim == 0:
        raise ValueError("nonzero is not defined for 0-d arrays")
    from gpuscale.array.manipulation import rechunk

    x = rechunk(x, {d: -1 for d in range(1, x.ndim)})
    chunks = (tuple(math.nan for _ in x.chunks[0]),)
    out = []
    for d in range(x.ndim):
        node = blockwise_expr(chunkfn.nonzero_block, (0,), chunks, chunkfn.numpy_dtype("int64"), x.backend,
                              x._expr, d, tuple(_chunks.offsets(x.chunks[0])), BlockIndex(),
                              arg_inds=(tuple(range(x.ndim)), None, None, None))
        out.append(Array(node))
    return tuple(out)


def searchsorted(x1: Array, x2: Any, /, side: str = "left", sorter: Array | None = None) -> Array:
    """Insertion points of ``x2`` in the sorted 1-d array ``x1``, as ``numpy.searchsorted``.

    ``x1`` is searched block by block and the per-block positions are added, so ``x1`` is never
    gathered into one block.

    Parameters
    ----------
    x1 : Array
        Sorted 1-d array (ascending, or sorted by ``sorter``).
    x2 : Array or scalar
        Values to place.
    side : {"left", "right"}
        Before (left) or after (right) equal values.
    sorter : Array, optional
        Indices that sort ``x1``.

    Returns
    -------
    Array
        int64 positions, shaped as ``x2``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1, 3, 5, 7], chunks=2)
    >>> ga.searchsorted(x, ga.asarray([0, 3, 8])).compute().tolist()
    [0, 1, 4]
    >>> ga.searchsorted(x, ga.asarray([3]), side="right").compute().tolist()
    [2]
    """
    from gpuscale.array.creation import asarray
    from gpuscale.array.indexing import take

    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', not {side!r}")
    if x1.ndim != 1:
        raise ValueError(f"searchsorted: x1 must be 1-d, got shape {x1.shape}")
    x2 = x2 if isinstance(x2, Array) else asarray(x2, backend=x1.backend)
    if sorter is not None:
        x1 = take(x1, sorter)
    ind = tuple(range(x2.ndim))
    node = blockwise_expr(chunkfn.searchsorted_blocks, ind, x2.chunks, chunkfn.numpy_dtype("int64"), x1.backend,
                          x1._expr, x2._expr, arg_inds=((1000,), ind), kwargs={"side": side})
    return Array(node)
