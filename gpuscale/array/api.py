"""What dask.array users expect besides the standard: ``map_blocks``, ``blockwise``, ``reduction``, ``store``."""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import BlockIndex, Blockwise, blockwise_expr
from gpuscale.array.rechunk import align_chunks, rechunk_expr
from gpuscale.array.reductions import Reduction, group_sizes
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn
from gpuscale.backends.callables import takes_argument
from gpuscale.expr.core import cached_bottom_up
from gpuscale.expr.tokenize import tokenize

__all__ = ["map_blocks", "blockwise", "reduction"]


def _infer_dtype(func: Callable, arrays: list, args: list, kwargs: dict, backend: str) -> Any:
    metas = [chunkfn.Meta(a.dtype, a.ndim) if is_array(a) else a for a in args]
    try:
        return chunkfn.meta_call(backend, func, *metas, **kwargs)
    except Exception as exc:
        name = getattr(func, "__name__", repr(func))
        raise ValueError(f"could not infer the output dtype of {name} by running it on a one-element block "
                         f"({type(exc).__name__}: {exc}); pass dtype=") from exc


def map_blocks(func: Callable, *args: Any, dtype: Any = None, chunks: Any = None, drop_axis: Any = (),
               new_axis: Any = (), align_arrays: bool = True, name: str | None = None, token: str | None = None,
               meta: Any = None, enforce_ndim: bool = False, **kwargs: Any) -> Array:
    """Apply ``func`` to each block of the array arguments (aligned and broadcast as in element-wise code).

    Parameters
    ----------
    func
        Called as ``func(*blocks, **kwargs)``; it may take ``block_id=`` to
        learn the block's index.
    dtype
        Output dtype (inferred by calling ``func`` on one-element arrays if None).
    chunks
        Output chunks when ``func`` changes block shapes: a tuple of tuples, or
        one block shape used for every block.
    drop_axis, new_axis
        Axes the function removes (blocks along them are concatenated) or adds.
    align_arrays
        Rechunk the arrays so their blocks line up (the default); with ``False`` the blocks must line
        up already, block for block (their lengths may differ).
    name, token
        dask's: the result's exact name, or a prefix of its name (``token-<hash>``).
    meta
        An empty array of the result's type: its dtype is the output dtype when ``dtype`` is not given.
        A pandas/cuDF DataFrame or Series (blocks that ``func`` makes frames of) gives a gpuscale
        DataFrame/Series instead, one partition per block down axis 0, as dask.
    enforce_ndim
        Check when computed that each block has the result's number of dimensions (a ValueError
        ``Dimension mismatch`` otherwise), as dask.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6, chunks=3, device="cpu")
    >>> ga.map_blocks(lambda b: b * 10, x).compute().tolist()
    [0, 10, 20, 30, 40, 50]
    >>> ga.map_blocks(lambda b, block_id: b * 0 + block_id[0], x, dtype=x.dtype).compute().tolist()
    [0, 0, 0, 1, 1, 1]
    """
    if _is_frame_meta(meta):  # blocks made into frames: a frame collection, a partition per block (as dask)
        from gpuscale.dataframe.interop import frame_of_blocks

        blocks = map_blocks(func, *args, dtype="float64", chunks=chunks, drop_axis=drop_axis, new_axis=new_axis,
                            align_arrays=align_arrays, name=name, token=token, **kwargs)  # the dtype: a stand-in
        return frame_of_blocks(blocks, meta)
    dtype = getattr(meta, "dtype", None) if dtype is None else dtype
    label = (name, token, False)
    arrays = [a for a in args if is_array(a)]
    if not arrays:
        return _map_without_arrays(func, args, dtype, chunks, kwargs, label, enforce_ndim)
    ndim = max(a.ndim for a in arrays)
    # align_arrays=False: the caller lined the blocks up (map_overlap's arrays grown by different margins); arrays
    # of different lengths along an axis are paired block by block, as dask pairs them
    raw = [a._expr for a in arrays]
    aligned = iter(align_chunks(raw, ndim) if align_arrays and _broadcastable(raw, ndim) else raw)
    exprs = [next(aligned) if is_array(a) else a for a in args]
    backend = arrays[0].backend
    if dtype is None:
        dtype = _infer_dtype(func, arrays, list(args), kwargs, backend)
    drop = set(normalize_axis(drop_axis, ndim)) if drop_axis not in ((), None) else set()
    in_ind = tuple(range(ndim))
    out_ind = [d for d in in_ind if d not in drop]
    base = _paired_chunks([e for e in exprs if hasattr(e, "chunks")], ndim)
    out_chunks = [base[d] for d in out_ind]
    new = [new_axis] if isinstance(new_axis, int) else list(new_axis or ())
    if not new and chunks is not None and len(chunks) > len(out_ind):
        new = list(range(len(chunks) - len(out_ind)))  # dask: more dimensions in chunks= are new leading axes
    total = len(out_ind) + len(new)
    if any(not -total <= a < total for a in new):
        raise ValueError(f"new_axis={new} leaves a gap: the result has {total} dimensions")
    for i, axis in enumerate(sorted(a % total for a in new)):
        out_ind.insert(axis, 1000 + i)
        out_chunks.insert(axis, (1,))
    if new and chunks is None:
        label = (name, token, True)  # the new axes' length 1 is a guess: the blocks may be longer there (dask allows)
    out_chunks = _user_chunks(chunks, out_chunks)
    inds = [tuple(range(ndim - e.ndim, ndim)) if hasattr(e, "chunks") else None for e in exprs]
    return _block_map(func, tuple(out_ind), out_chunks, dtype, backend, exprs, inds, kwargs, label, enforce_ndim)


def _is_frame_meta(meta: Any) -> bool:
    """Whether ``meta=`` is a DataFrame, Series or Index (checked without importing a frame library)."""
    from gpuscale.backends import _detect

    return _detect.is_frame_object(meta)


def _broadcastable(exprs: list, ndim: int) -> bool:
    """Whether the arrays broadcast element by element (lengths equal or 1 along each axis, from the right)."""
    for d in range(ndim):
        lengths = {e.shape[d - ndim + e.ndim] for e in exprs if d - ndim + e.ndim >= 0} - {1}
        if len({n for n in lengths if n == n}) > 1:  # n == n: known lengths
            return False
    return True


def _paired_chunks(exprs: list, ndim: int) -> list:
    """The output chunks of blocks paired by position (from the right): along each axis those of an array with
    several blocks there, else of one with a single block (broadcast); arrays with several blocks must have as
    many."""
    out = []
    for d in range(ndim):
        along = [e.chunks[d - ndim + e.ndim] for e in exprs if d - ndim + e.ndim >= 0]
        counts = {len(c) for c in along} - {1}
        if len(counts) > 1:
            raise ValueError(f"map_blocks: the arrays have {sorted(counts)} blocks along axis {d}; give them as "
                             "many blocks (or one) there, or equal lengths to be aligned")
        # (one block everywhere: the broadcast length, not a length-1 array's)
        out.append(next((c for c in along if len(c) > 1), next((c for c in along if sum(c) != 1), along[0])))
    return out


class MapBlocks(Blockwise):
    """``map_blocks``' node, named exactly ``label`` (dask's ``name=``) or ``<prefix>-<hash>`` (``token=``)
    when given."""

    _parameters = [*Blockwise._parameters, "label", "prefix", "guessed"]

    @property
    def exact_chunks(self) -> bool:
        # new axes without chunks=: compute() joins the blocks it gets instead of trusting the declared length 1
        return not self.guessed

    @cached_bottom_up
    def _name(self) -> str:
        return str(self.label) if self.label else Blockwise._name.func(self)

    @property
    def _funcname(self) -> str:
        return str(self.prefix) if self.prefix else Blockwise._funcname.fget(self)


class EnforceNdim:
    """``func`` whose result must have ``ndim`` dimensions (``map_blocks(enforce_ndim=True)``)."""

    def __init__(self, func: Callable, ndim: int) -> None:
        self.func, self.ndim = func, ndim
        self.__name__ = getattr(func, "__name__", type(func).__name__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = self.func(*args, **kwargs)
        if getattr(out, "ndim", 0) != self.ndim:
            raise ValueError(f"Dimension mismatch: expected output of {self.__name__} to have dims = {self.ndim}. "
                             f"Got {getattr(out, 'ndim', 0)} instead.")
        return out

    def __gpuscale_tokenize__(self) -> str:
        return f"enforce-ndim-{tokenize(self.func)}-{self.ndim}"


def _block_map(func: Callable, out_ind: tuple, out_chunks: tuple, dtype: Any, backend: str, exprs: list,
               inds: list, kwargs: dict, label: tuple = (None, None, False), enforce_ndim: bool = False) -> Array:
    """The Blockwise node of ``map_blocks``: ``func`` on the (concatenated) blocks, told its ``block_id`` and
    ``block_info`` when it takes them."""
    dtype = chunkfn.numpy_dtype(dtype)
    wants_id, wants_info = takes_argument(func, "block_id"), takes_argument(func, "block_info")
    func = EnforceNdim(func, len(out_ind)) if enforce_ndim else func
    if wants_info:
        info = BlockInfo.of(out_ind, out_chunks, dtype, exprs, inds, wants_id)
        node = blockwise_expr(chunkfn.call_with_block_info, out_ind, out_chunks, dtype, backend, func, info,
                              BlockIndex(), *exprs, arg_inds=(None, None, None, *inds), kwargs=kwargs,
                              concatenate=True, node=MapBlocks, extra=label)
    elif wants_id:
        node = blockwise_expr(chunkfn.call_with_block_id, out_ind, out_chunks, dtype, backend, func, BlockIndex(),
                              *exprs, arg_inds=(None, None, *inds), kwargs=kwargs, concatenate=True, node=MapBlocks,
                              extra=label)
    else:
        node = blockwise_expr(func, out_ind, out_chunks, dtype, backend, *exprs, arg_inds=inds, kwargs=kwargs,
                              concatenate=True, node=MapBlocks, extra=label)
    return Array(node)


def _map_without_arrays(func: Callable, args: tuple, dtype: Any, chunks: Any, kwargs: dict, label: tuple,
                        enforce_ndim: bool) -> Array:
    """``map_blocks`` with no array argument, as dask allows: ``chunks=`` gives the blocks (one block per
    dimension where it gives a length), ``dtype=`` their dtype, on the default backend."""
    if chunks is None or dtype is None:
        raise ValueError("map_blocks without a gpuscale array argument needs chunks= and dtype=")
    out_chunks = tuple(tuple(c) if isinstance(c, (tuple, list)) else (c,) for c in chunks)
    out_ind = tuple(range(len(out_chunks)))
    return _block_map(func, out_ind, out_chunks, dtype, _default_backend(), list(args), [None] * len(args),
                      kwargs, label, enforce_ndim)


class BlockInfo:
    """What a ``map_blocks`` function taking ``block_info=`` is told about each block, as dask tells it: per
    array argument (by its position) and for the output (``None``) the array's ``shape``, ``num-chunks``, the
    block's ``chunk-location`` and ``array-location``; for the output also ``chunk-shape`` and ``dtype``."""

    def __init__(self, out_chunks: tuple, dtype: Any, inputs: tuple, block_id: bool) -> None:
        # inputs: (position, chunks, output axis of each input axis or None where map_blocks drops it)
        self.out_chunks, self.dtype, self.inputs, self.block_id = out_chunks, dtype, inputs, block_id

    @classmethod
    def of(cls, out_ind: tuple, out_chunks: tuple, dtype: Any, exprs: list, inds: list, block_id: bool) -> "BlockInfo":
        inputs = []
        for position, (e, ind) in enumerate(zip(exprs, inds)):
            if ind is not None:
                axes = tuple(out_ind.index(i) if i in out_ind else None for i in ind)
                # a dropped axis is gathered into one block, and the function sees it so
                chunks = tuple(c if axis is not None else (sum(c),) for c, axis in zip(e.chunks, axes))
                inputs.append((position, chunks, axes))
        return cls(out_chunks, dtype, tuple(inputs), block_id)

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.out_chunks, str(self.dtype), self.inputs, self.block_id))

    def for_block(self, block_id: tuple) -> dict:
        """The ``block_info`` dict of output block ``block_id``."""
        info: dict = {}
        for position, chunks, axes in self.inputs:
            # a broadcast axis (one block) or one map_blocks gathers whole (dropped) is at block 0
            location = tuple(0 if len(c) == 1 or axis is None else block_id[axis] for c, axis in zip(chunks, axes))
            info[position] = _block_entry(chunks, location)
        info[None] = {**_block_entry(self.out_chunks, tuple(block_id)),
                      "chunk-shape": tuple(c[i] for c, i in zip(self.out_chunks, block_id)), "dtype": self.dtype}
        return info


def _block_entry(chunks: tuple, location: tuple) -> dict:
    """dask's ``block_info`` entry of the block at ``location`` of an array of ``chunks``."""
    starts = [(sum(c[:i]), sum(c[:i + 1])) for c, i in zip(chunks, location)]
    return {"shape": tuple(sum(c) for c in chunks), "num-chunks": tuple(len(c) for c in chunks),
            "chunk-location": tuple(location), "array-location": starts}


def _user_chunks(chunks: Any, default: list) -> tuple:
    """``chunks=`` of ``map_blocks``/``blockwise``: per dimension the block lengths, or one length for each of
    the default's blocks."""
    if chunks is None:
        return tuple(default)
    chunks = tuple(chunks)
    if len(chunks) != len(default):
        raise ValueError(f"chunks= has {len(chunks)} dimensions; the result has {len(default)}")
    out = tuple(tuple(c) if isinstance(c, (tuple, list)) else (c,) * len(d) for c, d in zip(chunks, default))
    for axis, (c, d) in enumerate(zip(out, default)):
        if len(c) != len(d):  # each block of the result comes from one block of the inputs
            raise ValueError(f"chunks= gives {len(c)} blocks along axis {axis}, where the result has {len(d)}")
    return out


def _labels(ind: Any) -> tuple:
    """The index labels of a ``blockwise`` argument: a string's letters, or the items of a tuple (any hashable
    labels: ``("x", "y", "sign")``, ``(0, 1)``)."""
    return tuple(ind)


class _Numbering(dict):
    """Numbers for index labels, in order of first use (a letter ``"a"`` and an int ``0`` stay apart)."""

    def of(self, labels: tuple) -> tuple:
        return tuple(self.setdefault(label, len(self)) for label in labels)


def _check_out_index(out: tuple, known: set, new_axes: dict) -> None:
    """dask's errors for an output index repeating a label or naming one no argument has."""
    repeated = sorted({str(label) for label in out if out.count(label) > 1})
    if repeated:
        raise ValueError(f"Repeated elements not allowed in output index: {', '.join(repeated)}")
    unknown = [str(label) for label in out if label not in known and label not in new_axes]
    if unknown:
        raise ValueError(f"Unknown dimension(s) {', '.join(unknown)} in the output index: no argument has "
                         "them; give their lengths with new_axes=")


def blockwise(func: Callable, out_ind: Any, *args: Any, dtype: Any = None, concatenate: Any = None,
              new_axes: dict | None = None, adjust_chunks: dict | None = None, name: Any = None, token: Any = None,
              align_arrays: bool = True, meta: Any = None, **kwargs: Any) -> Array:
    """Tensor-style block operation, as ``dask.array.blockwise``: ``blockwise(f, "ij", x, "ik", y, "kj")``.

    Indices of an argument missing from ``out_ind`` are contracted: ``func``
    receives all blocks along them, as a list (dask's default), or concatenated when ``concatenate=True``.
    The dtype is ``dtype``, else ``meta``'s, else inferred by calling ``func`` on one-element blocks.
    dask's ``name``, ``token`` and ``align_arrays`` are accepted (the arrays' blocks are always aligned;
    the node keeps its own name); every other keyword goes to ``func``.

    Examples
    --------
    A matrix product written block by block (``k`` is contracted):

    >>> import numpy as np, gpuscale.array as ga
    >>> a = ga.from_array(np.arange(6.0).reshape(2, 3), chunks=(1, 3))
    >>> b = ga.from_array(np.ones((3, 2)), chunks=(3, 1))
    >>> ga.blockwise(np.dot, "ij", a, "ik", b, "kj", dtype="float64", concatenate=True).compute().tolist()
    [[3.0, 3.0], [12.0, 12.0]]
    """
    func, pairs, kwargs = _delayed_as_operands(func, list(zip(args[::2], args[1::2])), kwargs)
    pairs = _indexed_data_as_arrays(pairs)
    arrays = [(a, _labels(i)) for a, i in pairs if is_array(a)]
    out = _labels(out_ind)
    new_axes = dict(new_axes or {})
    label_chunks: dict = {}
    for a, ind in arrays:
        for label, c, n in zip(ind, a.chunks, a.shape):
            if n != 1:
                label_chunks.setdefault(label, []).append(c)
    common = {k: _chunks.common_chunks(v) for k, v in label_chunks.items()}
    _check_out_index(out, {label for _, ind in arrays for label in ind}, new_axes)
    numbers = _Numbering()
    exprs, inds = [], []
    for a, ind in pairs:
        if is_array(a):
            ind = _labels(ind)
            target = tuple(common.get(l, c) if n != 1 else c for l, c, n in zip(ind, a.chunks, a.shape))
            exprs.append(rechunk_expr(a._expr, target))
            inds.append(numbers.of(ind))
        else:
            exprs.append(a)
            inds.append(None)
    chunks = []
    for label in out:
        new = new_axes.get(label, (1,))
        c = common.get(label) or ((new,) if isinstance(new, int) else tuple(new))
        adjust = (adjust_chunks or {}).get(label)
        if adjust is not None:
            c = tuple(adjust(n) for n in c) if callable(adjust) else _user_chunks((adjust,), [c])[0]
        chunks.append(tuple(c))
    if dtype is None and meta is not None:
        dtype = meta.dtype
    if dtype is None:
        dtype = _infer_dtype(func, [a for a, _ in arrays], [a for a, _ in pairs], kwargs,
                             arrays[0][0].backend if arrays else _default_backend())
    # without array arguments (dask allows it) the blocks' shapes come from new_axes, on the default backend
    backend = arrays[0][0].backend if arrays else _default_backend()
    node = blockwise_expr(func, numbers.of(out), tuple(chunks), chunkfn.numpy_dtype(dtype), backend, *exprs,
                          arg_inds=inds, kwargs=kwargs, concatenate=bool(concatenate))
    return Array(node)


def _indexed_data_as_arrays(pairs: list) -> list:
    """``(argument, index)`` pairs with in-memory arrays given an index (NumPy's, CuPy's) as gpuscale arrays on
    the other arrays' backend, cut into their blocks as dask cuts them (whole, they met every block)."""
    from gpuscale.array._operands import as_array, backend_of

    backend = backend_of(*[a for a, _ in pairs if is_array(a)])
    return [(as_array(a, backend), i) if i is not None and not is_array(a) and hasattr(a, "shape") else (a, i)
            for a, i in pairs]


def atop(*args: Any, **kwargs: Any) -> Array:
    """dask's old name of :func:`blockwise`: the same, with dask's ``UserWarning`` that it has moved.

    Examples
    --------
    >>> import warnings, gpuscale.array as ga
    >>> x = ga.ones(4, chunks=2, device="cpu")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ga.atop(lambda b: b + 1, "i", x, "i", dtype=x.dtype).compute().tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    warnings.warn("The da.atop function has moved to da.blockwise (gpuscale.array.blockwise)", UserWarning,
                  stacklevel=2)
    return blockwise(*args, **kwargs)


def _is_delayed(value: Any) -> bool:
    """A dask ``Delayed``, or a ``distributed`` Future (its value on the cluster), as dask.array takes both."""
    from gpuscale.runtime.distributed import as_delayed

    value = as_delayed(value)
    return not is_array(value) and hasattr(value, "__dask_graph__") and hasattr(value, "key")


def _delayed_as_operands(func: Callable, pairs: list, kwargs: dict) -> tuple:
    """dask ``Delayed`` arguments of ``blockwise`` (positional or keyword) as one-block operands whose graphs run
    first, as dask.array takes them: ``(func, (argument, index) pairs, the other keywords)``."""
    from gpuscale.array.interop import from_delayed

    backends = [a.backend for a, _ in pairs if is_array(a)]
    backend = backends[0] if backends else None

    def operand(value: Any) -> Any:
        return from_delayed(value, shape=(), dtype=object, backend=backend)

    pairs = [(operand(a), ()) if _is_delayed(a) else (a, i) for a, i in pairs]
    names = tuple(k for k, v in kwargs.items() if _is_delayed(v))
    if not names:
        return func, pairs, kwargs
    pairs += [(operand(kwargs[k]), ()) for k in names]
    return (functools.partial(chunkfn.call_with_keywords_last, func, names), pairs,
            {k: v for k, v in kwargs.items() if k not in names})


def _default_backend() -> str:
    from gpuscale.backends import resolve_array_backend

    return resolve_array_backend(None)


def reduction(x: Array, chunk: Callable, aggregate: Callable, axis: Any = None, keepdims: bool = False,
              dtype: Any = None, split_every: Any = None, combine: Callable | None = None, name: str | None = None,
              out: Any = None, concatenate: bool = True, output_size: int = 1, meta: Any = None,
              weights: Any = None) -> Array:
    """A tree reduction from user functions, as ``dask.array.reduction``.

    Parameters
    ----------
    x : Array
        The array to reduce.
    chunk : callable
        ``chunk(block[, weights_block], axis=, keepdims=True)`` reduces one block (``axis`` is a tuple).
    aggregate : callable
        ``aggregate(partials, axis=, keepdims=)`` finishes the reduction; always called, also for one block.
    axis : int or tuple of int, optional
        The axes reduced (all when None).
    keepdims : bool
        Keep the reduced axes (of length ``output_size``).
    dtype : dtype
        The result's dtype (required, as in dask, unless ``meta`` gives it).  ``chunk`` and ``aggregate``
        that take a ``dtype`` argument are given it.
    split_every : int or dict, optional
        Partial results merged per ``combine`` call: an int for all reduced axes together, or
        ``{axis: n}``.
    combine : callable, optional
        ``combine(partials, axis=, keepdims=True)`` merges neighbouring partial results (default:
        ``aggregate``).
    name : str, optional
        Prefix of the names of the result and its intermediate steps.
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.
    concatenate : bool
        True (default): ``combine``/``aggregate`` get the partial results joined into one array along
        the reduced axes; False: the nested list of them as ``chunk``/``combine`` returned them (any
        objects, e.g. dicts).
    output_size : int
        Length of the reduced axes in the result when ``keepdims``.
    meta : array, optional
        An empty array of the result's type, as in dask: its dtype stands in for a missing ``dtype``
        (gpuscale knows the block type from the backend).
    weights : array_like, optional
        Broadcast to ``x``'s shape and given to ``chunk`` block by block, after the block of ``x``.

    Returns
    -------
    Array

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.arange(10, chunks=3, device="cpu")
    >>> largest = ga.reduction(x, np.max, np.max, dtype=x.dtype)
    >>> int(largest.compute())
    9
    >>> def weighted(block, weights=None, axis=None, keepdims=False):
    ...     return np.sum(block * weights, axis=axis, keepdims=keepdims)
    >>> float(ga.reduction(x, weighted, np.sum, dtype="f8", weights=0.5).compute())
    22.5
    """
    from gpuscale.array.nanreductions import handle_out

    if dtype is None:
        dtype = getattr(meta, "dtype", None)
    if dtype is None:
        raise ValueError("reduction needs dtype= (or meta= of the result's type)")
    if not isinstance(output_size, int) or output_size < 1:
        raise ValueError(f"output_size must be a positive int, not {output_size!r}")
    axes = normalize_axis(axis, x.ndim)
    group_sizes(split_every, axes)  # a bad split_every fails here rather than at compute()
    chunk, aggregate = _with_dtype(chunk, dtype), _with_dtype(aggregate, dtype)
    kind = chunkfn.UserReduction(chunk, combine or aggregate, aggregate, concatenate=bool(concatenate), name=name)
    node = Reduction(x._expr, kind, axes, keepdims=bool(keepdims), dtype_=chunkfn.numpy_dtype(dtype),
                     split_every=split_every, output_size=output_size, weights=_weights_like(weights, x))
    return handle_out(out, Array(node))


def _with_dtype(func: Callable, dtype: Any) -> Callable:
    # dask hands the result dtype to the user functions that ask for it
    return functools.partial(func, dtype=dtype) if takes_argument(func, "dtype") else func


def _weights_like(weights: Any, x: Array) -> Any:
    """``weights`` broadcast to ``x``'s shape in ``x``'s blocks (None stays None)."""
    if weights is None:
        return None
    from gpuscale.array._operands import as_array
    from gpuscale.array.manipulation import broadcast_to

    w = as_array(weights, x.backend)
    try:
        w = broadcast_to(w, x.shape)
    except ValueError as exc:
        raise ValueError(f"weights of shape {w.shape} do not broadcast to the array's shape {x.shape}") from exc
    return rechunk_expr(w._expr, x.chunks)
