"""Selecting elements as NumPy and dask.array spell it: ``argwhere``, ``flatnonzero``, ``extract``,
``compress``, ``choose``, ``select``, ``piecewise``, ``topk``, ``argtopk``.

``argwhere``, ``flatnonzero``, ``extract`` and ``compress`` have data-dependent lengths (known at once
for in-memory input, ``nan`` until computed otherwise, see :mod:`gpuscale.array.data_dependent`).
``choose``, ``select`` and ``piecewise`` are block by block.  ``topk`` and ``argtopk`` keep the best
``k`` of each block along the axis, then the best ``k`` of those candidates (two steps, as dask's
reduction with one level).
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.array.protocols import implements
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["argwhere", "flatnonzero", "extract", "compress", "choose", "select", "piecewise", "topk", "argtopk"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


@implements("argwhere")
def argwhere(a: Any) -> Array:
    """Indices of the non-zero elements, one row per element (C order), as ``numpy.argwhere``.

    Parameters
    ----------
    a : Array
        Input.

    Returns
    -------
    Array
        ``(count, a.ndim)`` int64; ``count`` is known at once for in-memory ``a``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.argwhere(ga.asarray([[0, 1], [2, 0]])).compute().tolist()
    [[0, 1], [1, 0]]
    """
    x = as_array(a)
    if x.ndim == 0:
        return argwhere(_ga().reshape(x, (1,)))[:, :0]
    # the flat positions (a block per block of the flattened array, C order) turned into one column per axis,
    # as dask: no block joins the input's blocks along its other axes (GH#10080), and each column is a block
    flat = flatnonzero(x)
    if x.ndim == 1:
        return flat[:, None]
    return _ga().stack(_ga().unravel_index(flat, x.shape), axis=1, allow_unknown_chunksizes=True)  # equal lengths


@implements("flatnonzero")
def flatnonzero(a: Any) -> Array:
    """Positions of the non-zero elements in the flattened array, as ``numpy.flatnonzero``.

    Parameters
    ----------
    a : Array
        Input.

    Returns
    -------
    Array
        1-d int64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.flatnonzero(ga.asarray([[0, 1], [2, 0]])).compute().tolist()
    [1, 2]
    """
    from gpuscale.array.stacking import ravel

    return _ga().nonzero(ravel(as_array(a)))[0]


@implements("extract")
def extract(condition: Any, arr: Any) -> Array:
    """The elements of the flattened ``arr`` where the flattened ``condition`` is true, as
    ``numpy.extract``.

    Parameters
    ----------
    condition : Array or array-like
        Non-zero means true; flattened, at most ``arr``'s size (only its first entries count when shorter).
    arr : Array or array-like
        Input.

    Returns
    -------
    Array
        1-d; its length is known at once for an in-memory ``condition``, ``nan`` until computed otherwise.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6)
    >>> ga.extract(x % 2 == 0, x).compute().tolist()
    [0, 2, 4]
    """
    from gpuscale.array.stacking import ravel

    # the flattened condition may be shorter than the flattened arr, as NumPy's (only its first entries count)
    flat = ravel(condition) if isinstance(condition, Array) else chunkfn.host_index(condition).ravel()
    return compress(flat, arr)


@implements("compress")
def compress(condition: Any, a: Any, axis: Any = None, out: Any = None) -> Array:
    """The slices of ``a`` along ``axis`` where the 1-d ``condition`` is true, as ``numpy.compress``.

    Parameters
    ----------
    condition : array_like of bool
        1-d; shorter than the axis selects among its first ``len(condition)`` slices only.  In memory (a list,
        a NumPy array) the result's length is known at once, as dask's; a gpuscale array's is ``nan`` until
        computed.
    a : Array
        Input.
    axis : int or None
        The axis; ``None`` flattens ``a`` first.
    out
        NumPy's ``out=``: a gpuscale array takes the result.

    Returns
    -------
    Array
        ``a`` with fewer slices along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.compress([True, False, True], ga.asarray([[1, 2], [3, 4], [5, 6]]), axis=0).compute().tolist()
    [[1, 2], [5, 6]]
    """
    from gpuscale.array.nanreductions import handle_out
    from gpuscale.array.stacking import ravel

    backend = backend_of(condition, a)
    x = as_array(a, backend)
    in_memory = not isinstance(condition, Array)
    cond = chunkfn.host_index(condition) if in_memory else condition
    if cond.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    if axis is None:
        x, axis = ravel(x), 0
    (axis,) = normalize_axis(axis, x.ndim)
    n = cond.shape[0]
    if n > x.shape[axis]:
        raise IndexError(f"index {x.shape[axis]} is out of bounds for axis {axis} with size {x.shape[axis]}")
    if in_memory:  # its true positions are known now, and so is the result's length (as dask's)
        return handle_out(out, _ga().take(x, chunkfn.mask_positions(cond), axis=axis))
    cond = cond if cond.dtype.kind == "b" else cond != 0
    x = x[(slice(None),) * axis + (slice(0, n),)]
    return handle_out(out, x[(slice(None),) * axis + (cond,)])


def _is_weak(value: Any) -> bool:
    """Whether ``value`` is a Python number (not a NumPy scalar or array), which NEP 50 keeps weak."""
    return chunkfn.python_scalar_type(value) is not None and not hasattr(value, "ndim")


def _promoted(name: str, values: list, backend: str) -> Any:
    """The promoted dtype of ``values``, Python numbers among them weak as NumPy's ``select``/``choose``:
    ``select(.., [int8_array, 1])`` stays int8 (a value that does not fit wraps when cast, as NumPy's)."""
    dtype = _ga().result_type(*[v if _is_weak(v) else as_array(v, backend) for v in values])
    for v in values:
        # beyond 64 bits a Python int has no integer dtype to wrap from: NumPy's OverflowError, at build
        if type(v) is int and dtype.kind in "iu" and not -2 ** 63 <= v < 2 ** 64:
            raise OverflowError(f"{name}: Python int {v} too large to convert to {dtype}")
    return dtype


@implements("choose")
def choose(a: Any, choices: Any, out: Any = None, mode: str = "raise") -> Array:
    """Element ``i`` from ``choices[a[i]]``, as ``numpy.choose`` (all arrays broadcast together).

    Parameters
    ----------
    a : Array of int
        Which choice, from 0 to ``len(choices) - 1`` (others raise ``ValueError`` when computed).
    choices : sequence of Array
        The arrays to choose from.
    out
        NumPy's ``out=``: a gpuscale array takes the result.
    mode : {"raise"}
        Only ``"raise"``.

    Returns
    -------
    Array
        The broadcast shape; the choices' promoted dtype.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.choose(ga.asarray([0, 1, 1]), [ga.asarray([1, 2, 3]), ga.asarray([10, 20, 30])]).compute().tolist()
    [1, 20, 30]
    """
    from gpuscale.array.api import map_blocks
    from gpuscale.array.nanreductions import handle_out

    if mode != "raise":
        raise NotImplementedError(f"choose: only mode='raise' is supported, not {mode!r}")
    ga = _ga()
    choices = list(choices)
    backend = backend_of(a, *choices)
    dtype = _promoted("choose", choices, backend)
    arrays = ga.broadcast_arrays(as_array(a, backend), *[as_array(c, backend).astype(dtype) for c in choices])
    return handle_out(out, map_blocks(chunkfn.choose_block, *arrays, dtype=dtype))


@implements("select")
def select(condlist: Any, choicelist: Any, default: Any = 0) -> Array:
    """From each element position, the choice of the first true condition (else ``default``), as
    ``numpy.select``.

    Parameters
    ----------
    condlist : sequence of Array of bool
        Conditions, broadcast with the choices.
    choicelist : sequence of Array
        One choice per condition.
    default : scalar or Array
        Where no condition holds.

    Returns
    -------
    Array
        The promoted dtype of the choices and ``default``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6)
    >>> ga.select([x < 2, x > 3], [x, x ** 2], default=-1).compute().tolist()
    [0, 1, -1, -1, 16, 25]
    """
    ga = _ga()
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible")
    backend = backend_of(condlist, choicelist, default)
    conds = [as_array(c, backend) for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype.kind != "b":
            raise TypeError(f"invalid entry {i} in condlist: should be boolean ndarray")
    dtype = _promoted("select", [*choicelist, default], backend)
    choices = [as_array(c, backend) for c in choicelist]
    # the where() below broadcast default with the conditions and choices, as NumPy (unknown lengths too)
    result = as_array(default, backend).astype(dtype)
    for cond, choice in zip(reversed(conds), reversed(choices)):
        result = ga.where(cond, choice.astype(dtype), result)
    return result


@implements("piecewise")
def piecewise(x: Any, condlist: Any, funclist: Any, *args: Any, **kw: Any) -> Array:
    """Evaluate a piecewise-defined function, as ``numpy.piecewise``, block by block.

    Parameters
    ----------
    x : Array
        Input; the result has its shape, dtype and blocks.
    condlist : Array of bool or sequence of them
        Where each piece applies (later pieces win where several do).
    funclist : sequence of callables or scalars
        One per condition, plus optionally one for where none holds.  A callable gets the selected
        elements of a block (a 1-d chunk) and ``*args, **kw``; a scalar is the value.

    Returns
    -------
    Array
        Zero where no piece applies.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([-2.0, -1.0, 1.0, 2.0], chunks=2)
    >>> ga.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v * 10]).compute().tolist()
    [2.0, 1.0, 10.0, 20.0]
    """
    from gpuscale.array.api import map_blocks

    ga = _ga()
    x = as_array(x)
    if not isinstance(condlist, (list, tuple)) or condlist and not hasattr(condlist[0], "shape") and \
            not isinstance(condlist[0], (list, tuple)) and x.ndim != 0:
        condlist = [condlist]  # one condition (of a 0-d x, [True] is a list of one condition, as NumPy's)
    conds = [ga.broadcast_to(as_array(c, x.backend), x.shape) for c in condlist]
    funclist = tuple(funclist)
    if len(funclist) not in (len(conds), len(conds) + 1):
        raise ValueError(f"with {len(conds)} condition(s), either {len(conds)} or {len(conds) + 1} functions "
                         f"are expected")
    return map_blocks(chunkfn.piecewise_block, x, *conds, dtype=x.dtype, funclist=funclist, args=args, kw=kw)


def _partial_chunks(x: Array, axis: int, k: int) -> tuple:
    return tuple(tuple(min(abs(k), n) for n in c) if d == axis else c for d, c in enumerate(x.chunks))


def _blockwise(func: Any, x: Array, chunks: tuple, dtype: Any, *extra: Any) -> Array:
    ind = tuple(range(x.ndim))
    return Array(blockwise_expr(func, ind, chunks, dtype, x.backend, x._expr, *extra,
                                arg_inds=(ind,) + (None,) * len(extra)))


def _check_k(x: Array, k: int, axis: int) -> int:
    int(k)
    (axis,) = normalize_axis(axis, x.ndim)
    return axis


def _none_taken(x: Array, axis: int) -> Array:
    """``x`` with no element along ``axis``: the top 0 (dask.array's empty answer to ``k=0``)."""
    return x[tuple(slice(0, 0) if d == axis else slice(None) for d in range(x.ndim))]


def topk(a: Any, k: int, axis: int = -1, split_every: Any = None) -> Array:
    """The ``k`` largest elements along ``axis``, largest first (``k < 0``: the ``-k`` smallest, smallest
    first), as ``dask.array.topk``.

    Parameters
    ----------
    a : Array
        Input.
    k : int
        How many (an axis shorter than ``|k|`` gives all of it).
    axis : int
        The axis.
    split_every
        Accepted for dask compatibility (the candidates of every block are compared in one step).

    Returns
    -------
    Array
        ``a`` with ``min(|k|, n)`` elements along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([5, 1, 9, 3, 7, 2], chunks=2)
    >>> ga.topk(x, 2).compute().tolist(), ga.topk(x, -2).compute().tolist()
    ([9, 7], [1, 2])
    """
    x = as_array(a)
    axis = _check_k(x, k, axis)
    if k == 0:
        return _none_taken(x, axis)
    if x.numblocks[axis] > 1:
        x = _blockwise(chunkfn.topk_block, x, _partial_chunks(x, axis, k), x.dtype, k, axis).rechunk({axis: -1})
    return _blockwise(chunkfn.topk_block, x, _partial_chunks(x, axis, k), x.dtype, k, axis)


def argtopk(a: Any, k: int, axis: int = -1, split_every: Any = None) -> Array:
    """Positions of the ``k`` largest elements along ``axis``, largest first (``k < 0``: of the ``-k``
    smallest, smallest first), as ``dask.array.argtopk``.

    Parameters
    ----------
    a : Array
        Input.
    k : int
        How many.
    axis : int
        The axis.
    split_every
        Accepted for dask compatibility.

    Returns
    -------
    Array
        int64 positions along ``axis``: ``take_along_axis(a, argtopk(a, k), axis)`` is ``topk(a, k)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.argtopk(ga.asarray([5, 1, 9, 3, 7, 2], chunks=2), 2).compute().tolist()
    [2, 4]
    """
    x = as_array(a)
    axis = _check_k(x, k, axis)
    if k == 0:
        return _none_taken(x, axis).astype("int64")
    if x.numblocks[axis] > 1 and any(math.isnan(n) for n in x.chunks[axis]):
        x = x.rechunk({axis: -1})  # blocks of unknown lengths (after a mask) have no known offsets: one block
    int64 = chunkfn.numpy_dtype("int64")
    chunks = _partial_chunks(x, axis, k)
    offsets = tuple(_chunks.offsets(x.chunks[axis]))
    positions = _blockwise(chunkfn.argtopk_partial, x, chunks, int64, k, axis, offsets, BlockIndex())
    if x.numblocks[axis] == 1:
        return positions
    ind = tuple(range(x.ndim))
    values = Array(blockwise_expr(chunkfn.argtopk_values, ind, chunks, x.dtype, x.backend, x._expr, positions._expr,
                                  axis, offsets, BlockIndex(), arg_inds=(ind, ind, None, None, None)))
    values, positions = values.rechunk({axis: -1}), positions.rechunk({axis: -1})
    node = blockwise_expr(chunkfn.argtopk_final, ind, _partial_chunks(values, axis, k), int64, x.backend,
                          values._expr, positions._expr, k, axis, arg_inds=(ind, ind, None, None))
    return Array(node)
