"""Searching functions: ``argmax``, ``argmin``, ``where``, ``nonzero``, ``searchsorted``, ``count_nonzero``."""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.elementwise import elementwise
from gpuscale.array import _chunks
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.array.reductions import Reduction, group_sizes
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["argmax", "argmin", "where", "nonzero", "searchsorted", "count_nonzero"]


def arg_reduce(kind: str, a: Any, axis: Any, keepdims: bool, split_every: Any = None, out: Any = None) -> Array:
    """``argmax``/``argmin``/``nanargmax``/``nanargmin`` of ``a`` along one axis (of the flattened array when
    None), with dask's ``split_every=`` and ``out=``."""
    from gpuscale.array._operands import as_array
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.nanreductions import handle_out

    x = as_array(a)
    if axis is not None and not isinstance(axis, int):
        raise TypeError(f"{kind}: axis must be an int or None, not {axis!r}")
    if x.ndim == 0 and axis is not None:
        normalize_axis(axis, 1)  # NumPy searches a 0-d array as one of 1 element: axis 0 or -1, else AxisError
        axis = None
    _check_known_offsets(kind, x, axis)
    searched = x.size if axis is None else x.shape[normalize_axis(axis, x.ndim)[0]]
    if searched == 0:  # (an empty result along a non-empty axis is fine: argmax of (0, 4) along 1 is ())
        raise ValueError(f"attempt to get {kind.removeprefix('nan')} of an empty sequence")
    if axis is None:
        flat = arg_reduce(kind, reshape(x, (-1,)), 0, False, split_every)
        return handle_out(out, reshape(flat, (1,) * x.ndim) if keepdims else flat)
    axes = normalize_axis(axis, x.ndim)
    if split_every is not None:
        group_sizes(split_every, axes)
    index_dtype = chunkfn.numpy_dtype("int64")
    node = Reduction(x._expr, kind, axes, keepdims=bool(keepdims), dtype_=index_dtype, split_every=split_every)
    return handle_out(out, Array(node))


def _check_known_offsets(kind: str, x: Array, axis: int | None) -> None:
    # a position is its block's offset plus the position inside it: block lengths must be known
    searched = range(x.ndim) if axis is None else normalize_axis(axis, x.ndim)
    if any(len(x.chunks[d]) > 1 and any(math.isnan(n) for n in x.chunks[d]) for d in searched):
        raise ValueError(f"{kind} along an axis of unknown chunksize (nan block lengths, e.g. after boolean "
                         f"indexing) cannot know the blocks' offsets: call x.compute_chunk_sizes() first")


def argmax(x: Any, /, axis: int | None = None, keepdims: bool = False, split_every: Any = None,
           out: Any = None) -> Array:
    """Index of the first maximum along ``axis`` (flattened when None); the parameters as :func:`argmin`.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> int(ga.argmax(ga.asarray([3, 9, 2, 9], chunks=2, device="cpu")).compute())
    1
    """
    return arg_reduce("argmax", x, axis, keepdims, split_every, out)


def argmin(x: Any, /, axis: int | None = None, keepdims: bool = False, split_every: Any = None,
           out: Any = None) -> Array:
    """Index of the first minimum along ``axis``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int, optional
        Axis to search; None searches the flattened array.
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        dask's tree width: partial results merged per task.
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

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
    return arg_reduce("argmin", x, axis, keepdims, split_every, out)


def where(condition: Any, x: Any = None, y: Any = None) -> Array | tuple:
    """``x`` where ``condition`` is true, else ``y`` (broadcasting); ``where(condition)`` is ``nonzero(condition)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6, chunks=3, device="cpu")
    >>> ga.where(x % 2 == 0, x, -1).compute().tolist()
    [0, -1, 2, -1, 4, -1]
    >>> [i.compute().tolist() for i in ga.where(x > 3)]
    [[4, 5]]
    """
    if x is None and y is None:  # NumPy's and dask's one-argument form
        from gpuscale.array.creation import asarray

        return nonzero(condition if isinstance(condition, Array) else asarray(condition))
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    chosen = None
    if _is_host_scalar(condition):  # as an array on x's and y's backend (array-api-strict refuses a bool)
        from gpuscale.array._operands import as_array, backend_of

        chosen, condition = (x if condition else y), as_array(bool(condition), backend_of(x, y))
    out = elementwise("where", condition, x, y)
    # a constant condition picks an operand: that operand itself when it already is the result (as dask)
    if isinstance(chosen, Array) and chosen.shape == out.shape and chosen.dtype == out.dtype:
        return chosen
    return out


def _is_host_scalar(condition: Any) -> bool:
    """A Python or NumPy scalar (bool or int) rather than an array."""
    return isinstance(condition, (bool, int)) or type(condition).__name__ in ("bool", "bool_")


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

    if x.ndim > 1 and not any(_chunks.is_unknown(n) for n in x.shape):
        # the flat positions of the flattened array, unravelled: blocks stay the input's size (joining the
        # blocks along the other axes, as below, could make one block of a whole slab)
        from gpuscale.array.routines import unravel_index
        from gpuscale.array.stacking import ravel

        return unravel_index(_lazy_nonzero(ravel(x))[0], x.shape)
    x = rechunk(x, {d: -1 for d in range(1, x.ndim)})
    if len(x.chunks[0]) > 1 and any(_chunks.is_unknown(n) for n in x.chunks[0]):  # the blocks' first rows
        raise ValueError(f"nonzero: the block lengths {x.chunks[0]} along axis 0 are unknown (after a data-dependent "
                         "operation such as boolean indexing), and each block's positions start after them; call "
                         "x.compute_chunk_sizes() first")
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
