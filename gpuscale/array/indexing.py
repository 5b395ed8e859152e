"""Indexing: basic slicing (with steps), integer and boolean arrays, ``take``, ``take_along_axis``, ``x[i] = v``.

Basic indices are resolved against the block structure when the expression
is built: each output block reads exactly one input block, and out-of-range
integers raise ``IndexError`` at once, as in NumPy.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import ArrayExpr, blockwise_expr
from gpuscale.array.manipulation import Concatenate
from gpuscale.backends import array as chunkfn

__all__ = ["getitem", "setitem", "take", "take_along_axis", "GetItem"]


class GetItem(ArrayExpr):
    """Basic indexing; ``plan`` holds, per output dimension, the input block and local index of each block."""

    _parameters = ["array", "plan", "chunks_"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.chunks_

    def _simplify_down(self) -> ArrayExpr | None:
        # the blocks read from a join may all come from one of its inputs: index that input alone, so
        # x[i] of a concatenation builds and runs no task for the others
        return _from_one_joined_input(self)

    def _layer(self) -> dict:
        layer = {}
        for index in _chunks.block_indices(self.numblocks):
            source, local = _resolve(self.plan, index)
            layer[self.key(index)] = (chunkfn.getitem, self.array.key(source), local)
        return layer


def _from_one_joined_input(expr: GetItem) -> ArrayExpr | None:
    join = expr.array
    if not isinstance(join, Concatenate):
        return None
    at = [i for i, (kind, _) in enumerate(expr.plan) if kind != "new"][join.axis]  # the entry of the joined axis
    kind, data = expr.plan[at]
    owners = [(k, b) for k, e in enumerate(join.inputs) for b in range(e.numblocks[join.axis])]
    blocks = [data[0]] if kind == "int" else [b for b, _ in data]
    inputs = {owners[b][0] for b in blocks}
    if len(inputs) != 1:
        return None
    local = (owners[data[0]][1], data[1]) if kind == "int" else tuple((owners[b][1], sl) for b, sl in data)
    plan = expr.plan[:at] + ((kind, local),) + expr.plan[at + 1:]
    return GetItem(join.inputs[inputs.pop()], plan, expr.chunks_)


def _resolve(plan: tuple, index: tuple) -> tuple:
    """Input block and local index for an output block; ``plan`` entries: ('int'|'slice'|'new', ...)."""
    it = iter(index)
    source, local = [], []
    for kind, data in plan:
        if kind == "int":
            source.append(data[0])
            local.append(data[1])
        elif kind == "new":
            next(it)
            local.append(None)
        else:
            block, sl = data[next(it)]
            source.append(block)
            local.append(sl)
    return tuple(source), tuple(local)


def _slice_dim(dim: tuple, length: int, s: slice) -> list[tuple[int, slice, int]]:
    """Blocks read by slice ``s`` of a dimension: ``(block, local slice, count)`` in output order."""
    r = range(*s.indices(length))
    step = r.step
    out = []
    for block, (lo, n) in enumerate(zip(_chunks.offsets(dim), dim)):
        hi = lo + n
        k0, k1 = chunkfn.range_in_block(r, lo, hi)
        if k1 > k0:
            out.append((block, chunkfn.local_slice(r[k0] - lo, k1 - k0, step), k1 - k0))
    if step < 0:
        out.reverse()
    if not out:  # empty result: an empty slice of the first block
        out.append((0, slice(0, 0, 1), 0))
    return out


def _expand(key: Any, ndim: int) -> tuple:
    key = key if isinstance(key, tuple) else (key,)
    if sum(k is Ellipsis for k in key) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(_dims_indexed(k) for k in key if k is not None and k is not Ellipsis)
    if used > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed")
    if Ellipsis in [k for k in key if not is_array(k) and not hasattr(k, "shape")]:
        i = next(i for i, k in enumerate(key) if k is Ellipsis)
        key = key[:i] + (slice(None),) * (ndim - used) + key[i + 1:]
    return key + (slice(None),) * (ndim - sum(_dims_indexed(k) for k in key if k is not None))


def _dims_indexed(k: Any) -> int:
    """Dimensions an index entry consumes: a boolean array consumes its own ndim (0-d: none)."""
    return k.ndim if is_array(k) and k.dtype.kind == "b" else 1


def _is_basic(k: Any) -> bool:
    return k is None or isinstance(k, slice) or (chunkfn.python_scalar_type(k) is int and not isinstance(k, bool)) \
        or (is_array(k) and k.ndim == 0 and k.dtype.kind in "iu")


class UnknownLengthError(ValueError, IndexError):
    """Indexing that needs a length that is unknown until computed: a ``ValueError`` as in dask.array, and an
    ``IndexError`` as gpuscale raised before."""


class MaskShapeError(IndexError, ValueError):
    """A boolean index whose shape does not match the array's: an ``IndexError`` as NumPy raises, and a
    ``ValueError`` as dask.array raises."""


def basic_getitem(x: Array, key: tuple) -> Array:
    """``x[key]`` for a key of ints, slices and None (already expanded)."""
    plan, chunks, dim = [], [], 0
    for k in key:
        if k is None:
            plan.append(("new", None))
            chunks.append((1,))
            continue
        length, dim_chunks = x.shape[dim], x.chunks[dim]
        if isinstance(k, slice):
            if _chunks.is_unknown(length):
                if k != slice(None):
                    raise UnknownLengthError(f"Arrays chunk sizes are unknown: cannot slice axis {dim} of unknown "
                                             "length (after a data-dependent operation such as boolean indexing); "
                                             "call x.compute_chunk_sizes() first")
                pieces = [(b, slice(None), n) for b, n in enumerate(dim_chunks)]
            else:
                pieces = _slice_dim(dim_chunks, length, k)
            plan.append(("slice", tuple((b, s) for b, s, _ in pieces)))
            chunks.append(tuple(n for _, _, n in pieces))
        else:
            i = operator.index(k)
            if _chunks.is_unknown(length):
                raise UnknownLengthError(f"Arrays chunk sizes are unknown: cannot index axis {dim} of unknown "
                                         f"length with {i} (after a data-dependent operation such as boolean "
                                         "indexing); call x.compute_chunk_sizes() first")
            if not -length <= i < length:
                raise IndexError(f"index {i} is out of bounds for axis {dim} with size {length}")
            i %= length
            block = sum(1 for o in _chunks.offsets(dim_chunks)[1:] if o <= i)
            plan.append(("int", (block, i - _chunks.offsets(dim_chunks)[block])))
        dim += 1
    if all(k == slice(None) for k in key) and len(key) == x.ndim:
        return Array(x._expr)
    return Array(GetItem(x._expr, tuple(plan), tuple(chunks)))


def getitem(x: Array, key: Any) -> Array:
    """``x[key]``: basic indices, one integer array, a boolean mask, or field names of a record array."""
    if isinstance(key, str) or (isinstance(key, list) and key and all(isinstance(k, str) for k in key)):
        return _fields(x, key)
    _check_no_floats(key)
    key = _to_arrays(key, x)
    key = _expand(key, x.ndim)
    lazy = [i for i, k in enumerate(key) if is_array(k) and k.ndim == 0 and k.dtype.kind in "iu"]
    if lazy and all(_is_basic(k) for k in key):
        return _lazy_scalars_getitem(x, key, lazy)
    key = _integer_scalars_computed(key)
    if len(key) == x.ndim and all(_whole(k, n) for k, n in zip(key, x.shape)):
        return x  # x[:], x[...], x[0:len(x)]: the array itself, as dask
    if all(_is_basic(k) for k in key):
        return basic_getitem(x, key)
    arrays = [i for i, k in enumerate(key) if is_array(k)]
    if len(arrays) == 1 and key[arrays[0]].dtype.kind == "b":
        return _masked(x, key, arrays[0])
    if all(key[i].dtype.kind in "iu" for i in arrays):
        return _integer_getitem(x, key, arrays)
    raise IndexError(f"unsupported index {key!r}: use ints, slices, None, ..., integer arrays or one boolean array")


def _check_no_floats(key: Any) -> None:
    """NumPy's (and dask's) IndexError for a float index or slice bound (``x[1.5]``, ``x[0:1.5]``)."""
    entries = key if isinstance(key, tuple) else (key,)
    bounds = [b for k in entries if isinstance(k, slice) for b in (k.start, k.stop, k.step)]
    if any(chunkfn.python_scalar_type(k) is float for k in [*entries, *bounds]):
        raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
                         f"boolean arrays are valid indices, not the float in {key!r}")


def _fields(x: Array, key: Any) -> Array:
    """``x["a"]``: a record array's field (a sub-array field's shape as new trailing axes, one block each);
    ``x[["a", "b"]]``: a record array of those fields, as NumPy and dask."""
    from gpuscale.array.api import map_blocks

    record = chunkfn.numpy_dtype(x.dtype)
    names = [key] if isinstance(key, str) else key
    if record.names is None:
        raise IndexError(f"field index {key!r}: the array's dtype {record} has no fields")
    for name in names:
        if name not in record.names:
            raise ValueError(f"no field of name {name} (the fields: {', '.join(record.names)})")
    field = record[key]
    if isinstance(key, str) and field.shape:
        new = tuple((n,) for n in field.shape)
        return map_blocks(operator.getitem, x, key, dtype=field.base, chunks=x.chunks + new,
                          new_axis=list(range(x.ndim, x.ndim + len(new))))
    return map_blocks(operator.getitem, x, key, dtype=field)


def _whole(k: Any, n: Any) -> bool:
    """Whether index entry ``k`` selects all of an axis of length ``n``, in order."""
    if not isinstance(k, slice):
        return False
    if k == slice(None) or k == slice(None, None, 1):
        return True
    return not _chunks.is_unknown(n) and k.indices(n) == (0, n, 1)


def _lazy_scalars_getitem(x: Array, key: tuple, lazy: list) -> Array:
    """``x[key]`` where the entries at ``lazy`` are lazy 0-d integer arrays (``x[x.argmax()]``) and the others
    basic: without computing anything, as dask.  Each lazy entry picks through a one-element index array along
    its axis, which is then dropped."""
    from gpuscale.array.reshaping import reshape

    out = getitem(x, tuple(slice(None) if i in lazy else k for i, k in enumerate(key)))
    for i in reversed(lazy):  # the last first: dropping an axis leaves the earlier positions as they were
        axis = sum(1 for j, k in enumerate(key[:i]) if j in lazy or k is None or isinstance(k, slice))
        out = getitem(out, (slice(None),) * axis + (reshape(key[i], (1,)),))
        out = getitem(out, (slice(None),) * axis + (0,))
    return out


def _integer_scalars_computed(key: tuple) -> tuple:
    """Lazy 0-d integer arrays in ``key`` become Python ints (computed together, in one run)."""
    from gpuscale.collection import compute

    lazy = [i for i, k in enumerate(key) if is_array(k) and k.ndim == 0 and k.dtype.kind in "iu"]
    if not lazy:
        return key
    values = dict(zip(lazy, compute(*(key[i] for i in lazy))))
    return tuple(int(values[i]) if i in values else k for i, k in enumerate(key))


def _to_arrays(key: Any, x: Array) -> Any:
    from gpuscale.array.creation import asarray

    def convert(k: Any) -> Any:
        if isinstance(k, list) and not k:  # NumPy's empty list selects nothing: an empty integer index
            return asarray(k, dtype="int64", backend=x.backend)
        if isinstance(k, (list,)) or (hasattr(k, "shape") and not is_array(k)):
            return asarray(k, backend=x.backend, chunks=-1)  # one block: take re-cuts it in x's blocks
        if isinstance(k, bool):
            return asarray(k, backend=x.backend)
        return k

    return tuple(convert(k) for k in key) if isinstance(key, tuple) else convert(key)


def _masked(x: Array, key: tuple, position: int) -> Array:
    """``x[mask]``: known length at once when ``x`` and the mask are in memory, else nan until computed."""
    from gpuscale.array.data_dependent import known_when_in_memory

    (out,) = known_when_in_memory((x, key[position]), (_boolean_getitem(x, key, position),))
    return out


def _boolean_getitem(x: Array, key: tuple, position: int) -> Array:
    from gpuscale.array.manipulation import expand_dims, rechunk, reshape

    mask = key[position]
    if any(k is not mask and k != slice(None) for k in key):  # the basic indices (before or after it) first
        basic = sum(((slice(None),) * mask.ndim if k is mask else (k,) for k in key), ())
        at = sum(1 for k in key[:position] if k is None or isinstance(k, slice))  # ints drop their axis
        return _boolean_getitem(basic_getitem(x, basic), (slice(None),) * at + (mask,), at)
    if mask.ndim == 0:
        return _boolean_getitem(expand_dims(x, axis=position), (slice(None),) * position + (
            reshape(mask, (1,)),), position)
    dims = range(position, position + mask.ndim)
    x = _fit_mask(x, mask, position)
    # C order of the selected elements = block order once the masked axes after the first are whole
    x = rechunk(x, {d: -1 for d in dims if d != position})
    mask = rechunk(mask, (x.chunks[position],) + (-1,) * (mask.ndim - 1))  # -1: also where lengths are unknown
    out_ind = tuple(d for d in range(x.ndim) if d not in dims or d == position)
    length = 0 if mask.size == 0 else _chunks.NAN  # an empty mask selects nothing: no need to wait for data
    chunks = tuple(tuple(length for _ in x.chunks[d]) if d == position else x.chunks[d] for d in out_ind)
    node = blockwise_expr(chunkfn.boolean_mask, out_ind, chunks, x.dtype, x.backend, x._expr, mask._expr, position,
                          arg_inds=(tuple(range(x.ndim)), tuple(dims), None))
    return Array(node)


def _fit_mask(x: Array, mask: Array, position: int) -> Array:
    """``x`` with the axes where the mask has length 0 cut to length 0 (NumPy accepts such masks).

    Raises
    ------
    MaskShapeError
        If the mask's shape differs from ``x``'s shape at ``position`` otherwise (an IndexError and a ValueError).
    """
    sizes = x.shape[position:position + mask.ndim]
    if len(sizes) != mask.ndim or any(m not in (n, 0) for m, n in zip(mask.shape, sizes)):
        raise MaskShapeError(f"boolean index of shape {mask.shape} does not match the array's shape {x.shape} at "
                         f"axis {position}")
    empty = {position + i for i, m in enumerate(mask.shape) if m == 0}
    return basic_getitem(x, tuple(slice(0, 0) if d in empty else slice(None) for d in range(x.ndim)))


def _integer_getitem(x: Array, key: tuple, positions: list[int]) -> Array:
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.manipulation import broadcast_to, reshape

    if any(k is None for k in key):
        raise IndexError("None cannot be combined with integer array indices")
    basic = tuple(slice(None) if is_array(k) else k for k in key)
    kept = [i for i, k in enumerate(key) if is_array(k) or isinstance(k, slice)]
    x = basic_getitem(x, basic)
    index_arrays = [key[p] for p in positions]
    positions = [kept.index(p) for p in positions]
    if len(index_arrays) == 1:
        return take(x, index_arrays[0], axis=positions[0], _nd=True)
    shape = broadcast_shapes(*(a.shape for a in index_arrays))
    contiguous = positions == list(range(positions[0], positions[0] + len(positions)))
    if not contiguous:
        raise IndexError("integer array indices must be on adjacent axes")
    dims = [x.shape[p] for p in positions]
    flat_index = None
    for a, p, n in zip(index_arrays, positions, dims):
        a = broadcast_to(_wrap_negative(a, n, p), shape)
        flat_index = a if flat_index is None else flat_index * n + a
    start = positions[0]
    merged = reshape(x, x.shape[:start] + (math.prod(dims),) + x.shape[start + len(dims):])
    return take(merged, flat_index, axis=start, _nd=True)


def _wrap_negative(index: Array, length: int, axis: int) -> Array:
    from gpuscale.array.searching import where

    return where(index < 0, index + length, index)


def take(x: Array, indices: Any, /, axis: int | None = None, *, _nd: bool = False) -> Array:
    """Elements of ``x`` at integer ``indices`` along ``axis``, as the standard's and NumPy's ``take``.

    An index already in memory (a list, a NumPy / CuPy array, an in-memory gpuscale array) is planned
    now, as in dask.array: the output axis comes in blocks of the input's mean block length (a 1-d gpuscale
    index: in its own blocks), each reading only the input blocks holding its elements, and out-of-bounds
    entries raise ``IndexError`` at once.  A lazy index gives its own blocks in place of ``axis``, each
    task reading one input block and one index block (out-of-bounds entries raise when computed).  The
    other axes keep their blocks either way.

    Parameters
    ----------
    x : Array
        Input.
    indices : Array or array-like
        0-d or 1-d integer positions (negative count from the end); a single position removes ``axis``, as in NumPy.
    axis : int, optional
        Axis to take along; may be None only for a 1-d ``x``.

    Returns
    -------
    Array
        ``x`` with the ``axis`` dimension replaced by one of ``len(indices)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([10, 20, 30, 40], chunks=2)
    >>> ga.take(x, ga.asarray([3, 0, 0])).compute().tolist()
    [40, 10, 10]
    >>> ga.take(ga.asarray([[1, 2], [3, 4]]), [1], axis=1).compute().tolist()
    [[2], [4]]
    """
    from gpuscale.array._operands import as_array, backend_of
    from gpuscale.array.creation import asarray
    from gpuscale.array.gather import LazyTake, host_take, planned_index
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.statistical import normalize_axis

    x = as_array(x, backend_of(x, indices))  # NumPy data with gpuscale indices, as dask
    if axis is None:
        if x.ndim != 1:
            raise ValueError("take: axis= is required for arrays with more than one dimension")
        axis = 0
    (axis,) = normalize_axis(axis, x.ndim)
    ndim = indices.ndim if is_array(indices) else len(chunkfn.host_index(indices).shape)
    if not _nd and ndim > 1:
        raise ValueError(f"take: indices must be 0-d or 1-d, got shape {getattr(indices, 'shape', ())}")
    values = planned_index(x, indices, axis) if ndim else None
    if values is not None:  # in memory: planned now, in bounded blocks (gpuscale/array/gather.py)
        # an index cut in blocks gives its own (as dask); one block (a list or NumPy key, converted) is re-cut
        own = indices.chunks[0] if is_array(indices) and ndim == 1 and len(indices.chunks[0]) > 1 else None
        return host_take(x, values, axis, own)
    indices = indices if is_array(indices) else asarray(indices, backend=x.backend)
    if indices.ndim == 0:
        return take(x, reshape(indices, (1,)), axis=axis, _nd=True)[(slice(None),) * axis + (0,)]
    if not any(_chunks.is_unknown(n) for n in x.chunks[axis]):
        return Array(LazyTake(x._expr, indices._expr, axis))  # each task: one input block and one index block
    if len(x.chunks[axis]) > 1:  # which block holds position i is unknown
        raise UnknownLengthError(f"Array chunk size or shape is unknown: indexing axis {axis} with an integer array "
                                 f"needs the lengths of its blocks {x.chunks[axis]} (after a data-dependent operation "
                                 "such as boolean indexing); call x.compute_chunk_sizes() first")
    n = indices.ndim
    out_ind = tuple(range(axis)) + tuple(100 + i for i in range(n)) + tuple(range(axis + 1, x.ndim))
    chunks = x.chunks[:axis] + indices.chunks + x.chunks[axis + 1:]
    node = blockwise_expr(chunkfn.take_nd, out_ind, chunks, x.dtype, x.backend, x._expr, indices._expr, axis,
                          arg_inds=(tuple(range(x.ndim)), tuple(100 + i for i in range(n)), None))
    return Array(node)


def take_along_axis(x: Array, indices: Array, /, *, axis: int = -1) -> Array:
    """Pick elements along ``axis`` with an index array, as ``numpy.take_along_axis``.

    Parameters
    ----------
    x : Array
        Input.
    indices : Array
        Integer positions along ``axis``, with ``x.ndim`` dimensions (the others broadcast against ``x``).
    axis : int
        The axis the indices point along.

    Returns
    -------
    Array
        Shaped as the broadcast of ``x`` and ``indices``, with ``indices``' length along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[3, 1, 2], [9, 7, 8]], chunks=2)
    >>> ga.take_along_axis(x, ga.argsort(x, axis=1), axis=1).compute().tolist()
    [[1, 2, 3], [7, 8, 9]]
    """
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.manipulation import broadcast_to, rechunk
    from gpuscale.array.statistical import normalize_axis

    (axis,) = normalize_axis(axis, x.ndim)
    if indices.ndim != x.ndim:
        raise ValueError(f"take_along_axis: indices need {x.ndim} dimensions, got {indices.ndim}")
    other = broadcast_shapes(_without(x.shape, axis), _without(indices.shape, axis))
    x = broadcast_to(x, other[:axis] + (x.shape[axis],) + other[axis + 1:])
    indices = broadcast_to(indices, other[:axis] + (indices.shape[axis],) + other[axis + 1:])
    x = rechunk(x, {axis: -1})
    indices = rechunk(indices, {d: c for d, c in enumerate(x.chunks) if d != axis})
    ind = tuple(range(x.ndim))
    x_ind = tuple(d if d != axis else 1000 for d in ind)
    node = blockwise_expr(chunkfn.take_along_axis, ind, indices.chunks, x.dtype, x.backend,
                          x._expr, indices._expr, axis, arg_inds=(x_ind, ind, None))
    return Array(node)


def _without(shape: tuple, axis: int) -> tuple:
    return shape[:axis] + (1,) + shape[axis + 1:]


def setitem(x: Array, key: Any, value: Any) -> Array:
    """The array ``x`` with ``x[key] = value`` (a new expression; blocks outside ``key`` are untouched)."""
    from gpuscale.array.creation import asarray
    from gpuscale.array.searching import where

    key = _to_arrays(key, x)
    if is_array(key) and key.dtype.kind == "b" and key.shape == x.shape and not _one_axis_in_memory(key):
        value = _value_in_dtype(value, x)
        if value.ndim:  # NumPy fills the selected elements in order: their number is unknown until computed
            raise ValueError(f"x[mask] = value with a lazy or n-d boolean mask takes one value, not shape "
                             f"{value.shape}")
        return _kept_dtype(where(key, value, x), x)
    key = _expand(key, x.ndim)
    if not all(_is_basic(k) and k is not None for k in key):
        return _setitem_outer(x, key, value)
    key = tuple(int(k.compute()) if is_array(k) else k for k in key)
    region = basic_getitem(x, key)  # validates the key, gives the target shape
    value = _value(value, x)
    if is_array(value):
        from gpuscale.array.manipulation import broadcast_to

        value = broadcast_to(_without_leading_ones(value, region.ndim), region.shape)
        value = value.rechunk(tuple((n,) for n in value.shape)) if value.ndim else value
    return _setitem_blocks(x, key, value)


def _one_axis_in_memory(key: Array) -> bool:
    """A 1-d index in memory: ``_setitem_outer`` places the value's elements (and checks their number)."""
    from gpuscale.array.data_dependent import in_memory

    return key.ndim == 1 and in_memory(key)


def _setitem_outer(x: Array, key: tuple, value: Any) -> Array:
    """``x[key] = value`` where one entry of ``key`` is a 1-d integer or boolean index in memory (NumPy's
    semantics: a repeated position takes the last value): ``where`` over the selected positions, with
    ``value`` gathered to every position of ``x``."""
    from gpuscale.array.data_dependent import in_memory
    from gpuscale.array.manipulation import broadcast_to, expand_dims
    from gpuscale.array.searching import where

    arrays = [k for k in key if is_array(k)]
    if any(a.dtype.kind not in "biu" for a in arrays):
        raise IndexError(f"arrays used as indices must be of integer or boolean type, not {arrays[0].dtype}")
    if any(a.ndim == 0 and a.dtype.kind == "b" for a in arrays):
        raise NotImplementedError("x[key] = value with a scalar boolean index (x[True] = v) is not supported, as in "
                                  "dask")
    if len(arrays) > 1:
        raise NotImplementedError("x[key] = value with more than one integer or boolean array in key (NumPy's "
                                  "point-wise assignment) is not supported, as in dask; assign one axis at a time")
    if len(arrays) == 1 and arrays[0].ndim == 1 and not in_memory(arrays[0]) and all(k is not None for k in key):
        return _setitem_lazy_index(x, key, value)
    if len(arrays) != 1 or arrays[0].ndim != 1 or any(k is None for k in key) or not in_memory(arrays[0]):
        raise IndexError("x[key] = value supports ints, slices, ..., a full boolean mask and one 1-d integer or "
                         "boolean index in memory")
    picks = [_picked(k, n, d) for d, (k, n) in enumerate(zip(key, x.shape))]
    if any(not positions for positions, _ in picks):
        return x  # nothing selected
    value = _value_in_dtype(value, x)
    if value.ndim:
        shape = tuple(len(positions) for positions, dropped in picks if not dropped)
        value = broadcast_to(_without_leading_ones(value, len(shape)), shape)
        for d, (positions, dropped) in enumerate(picks):
            value = expand_dims(value, axis=d) if dropped else _spread(value, positions, x.shape[d], d)
    out = _kept_dtype(where(_selected(x, picks), value, x), x)
    return out if out.chunks == x.chunks else out.rechunk(x.chunks)


def _setitem_lazy_index(x: Array, key: tuple, value: Any) -> Array:
    """``x[key] = value`` where one entry of ``key`` is a lazy 1-d index (``x[2:4, x[0] > 3] = -5``): one value
    goes where a boolean mask (read when computed) and the other entries select; an integer index, or several
    values (which need the count of selected elements), compute the index first (one small 1-d array)."""
    from gpuscale.array.creation import asarray
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.searching import where

    axis, mask = next((d, k) for d, k in enumerate(key) if is_array(k))
    is_mask = mask.dtype.kind == "b"
    if is_mask and not _chunks.is_unknown(mask.shape[0]) and mask.shape[0] != x.shape[axis]:
        raise IndexError(f"boolean index of length {mask.shape[0]} does not match axis {axis} of length "
                         f"{x.shape[axis]}")
    value = _value_in_dtype(value, x)
    if value.ndim or not is_mask:
        in_memory = asarray(chunkfn.host_index(mask.compute()), backend=x.backend)
        return _setitem_outer(x, key[:axis] + (in_memory,) + key[axis + 1:], value)
    picks = [(list(range(n)), False) if d == axis else _picked(k, n, d) for d, (k, n) in enumerate(zip(key, x.shape))]
    cond = _selected(x, picks)
    along = reshape(mask, tuple(-1 if d == axis else 1 for d in range(x.ndim)))
    out = _kept_dtype(where(along if cond is True else cond & along, value, x), x)
    return out if out.chunks == x.chunks else out.rechunk(x.chunks)


def _without_leading_ones(value: Array, ndim: int) -> Array:
    """An assigned value with more dimensions than its target loses leading length-1 ones, as NumPy takes it
    (``x[...] = v[None, None]``); other extra dimensions are left for ``broadcast_to``'s error."""
    from gpuscale.array.manipulation import reshape

    extra = value.ndim - ndim
    if extra > 0 and all(n == 1 for n in value.shape[:extra]):
        return reshape(value, value.shape[extra:])
    return value


def _value_in_dtype(value: Any, x: Array) -> Array:
    """``value`` as an array of ``x``'s dtype (strict namespaces refuse to mix a float with integers)."""
    from gpuscale.array.creation import asarray

    value = _value(value, x)
    value = value if is_array(value) else asarray(value, backend=x.backend)
    return value if value.dtype == x.dtype else value.astype(x.dtype)


def _kept_dtype(out: Array, x: Array) -> Array:
    """``out`` in ``x``'s dtype: assignment casts the value to the array's dtype, as NumPy (no promotion)."""
    return out if out.dtype == x.dtype else out.astype(x.dtype)


def _picked(k: Any, n: int, axis: int) -> tuple:
    """``(positions along the axis in the value's order, whether the axis is dropped)`` for one key entry."""
    if isinstance(k, slice):
        return list(range(*k.indices(n))), False
    if not is_array(k):
        if not -n <= k < n:
            raise IndexError(f"index {k} is out of bounds for axis {axis} with size {n}")
        return [k % n], True
    from gpuscale.array.data_dependent import in_memory_values

    values = chunkfn.host_index(in_memory_values(k)).tolist()  # NumPy indices xarray hands over: no plan run
    if k.dtype.kind == "b":
        if len(values) != n:
            raise IndexError(f"boolean index of length {len(values)} does not match axis {axis} of length {n}")
        return [i for i, v in enumerate(values) if v], False
    if any(not -n <= i < n for i in values):
        raise IndexError(f"index out of bounds for axis {axis} with size {n}: {values}")
    return [i % n for i in values], False


def _selected(x: Array, picks: list) -> Any:
    """The boolean condition "selected by the key": one vector per axis, broadcast together."""
    from gpuscale.array.creation import asarray
    from gpuscale.array.manipulation import reshape

    cond = True
    for d, (positions, _) in enumerate(picks):
        chosen = set(positions)
        if len(chosen) == x.shape[d]:
            continue  # the whole axis
        vector = asarray([i in chosen for i in range(x.shape[d])], backend=x.backend)
        vector = reshape(vector, tuple(-1 if e == d else 1 for e in range(x.ndim)))
        cond = vector if cond is True else cond & vector
    return cond


def _spread(value: Array, positions: list, length: int, axis: int) -> Array:
    """``value`` along ``axis`` taken to the axis's ``length`` positions: position ``positions[j]`` gets
    element ``j`` (the last ``j`` for a repeated position); unselected positions get any element."""
    source = [0] * length
    for j, i in enumerate(positions):
        source[i] = j
    if source == list(range(length)):
        return value
    return take(value, source, axis=axis)


def _value(value: Any, x: Array) -> Any:
    from gpuscale.array.creation import asarray

    _check_finite_for_integers(value, x)
    if is_array(value) or chunkfn.python_scalar_type(value) is None:
        return asarray(value, backend=x.backend)
    return value


def _check_finite_for_integers(value: Any, x: Array) -> None:
    """NumPy's ValueError for a NaN or an infinity assigned into an integer array (a cast would store garbage)."""
    if x.dtype.kind not in "iu" or chunkfn.python_scalar_type(value) is not float:
        return
    number = float(value)
    if number != number:
        raise ValueError(f"cannot convert float NaN to integer (assigned into an array of {x.dtype})")
    if number in (math.inf, -math.inf):
        raise ValueError(f"cannot convert float infinity to integer (assigned into an array of {x.dtype})")


def _setitem_blocks(x: Array, key: tuple, value: Any) -> Array:
    ind = tuple(range(x.ndim))
    inds = (ind, None, None) + ((tuple(range(1000, 1000 + value.ndim)),) if is_array(value) else (None,))
    from gpuscale.array.expr import BlockSlices

    node = blockwise_expr(chunkfn.setitem_block, ind, x.chunks, x.dtype, x.backend,
                          x._expr, (key, x.shape), BlockSlices(), value._expr if is_array(value) else value,
                          arg_inds=inds)
    return Array(node)
