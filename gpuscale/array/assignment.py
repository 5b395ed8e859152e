"""``x[key] = v``: a new expression in which the blocks outside ``key`` are untouched (basic keys), or a
``where`` over the selected positions (a boolean mask, one 1-d integer or boolean index)."""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.fancy_indexing import take
from gpuscale.array.slicing import UnknownLengthError, _advanced_apart, _expand, _is_basic, _to_arrays, basic_getitem
from gpuscale.backends import array as chunkfn

__all__ = ["setitem"]


def setitem(x: Array, key: Any, value: Any) -> Array:
    """The array ``x`` with ``x[key] = value`` (a new expression; blocks outside ``key`` are untouched)."""
    from gpuscale.array.data_dependent import in_memory
    from gpuscale.array.searching import where

    if isinstance(key, str):
        return _set_field(x, key, value)
    key = _to_arrays(key, x)
    if is_array(key) and key.dtype.kind == "b" and key.shape == x.shape and not _one_axis_in_memory(key):
        value = _value_in_dtype(value, x)
        if value.ndim and in_memory(key):
            return _setitem_mask_values(x, key, value)
        if value.ndim:  # NumPy fills the selected elements in order: their number is unknown until computed
            raise ValueError(f"x[mask] = value with a lazy boolean mask takes one value, not shape {value.shape}; "
                             "compute the mask first (or call persist on it)")
        return _kept_dtype(where(key, value, x), x)
    apart = _advanced_apart(key)  # before _expand, as getitem: the value is laid out as x[key]
    key = _expand(key, x.ndim)
    if any(_chunks.is_unknown(n) for n in x.shape):
        return _setitem_unknown(x, key, value)
    if not all(_is_basic(k) and k is not None for k in key):
        return _setitem_outer(x, key, value, apart)
    key = tuple(int(k.compute()) if is_array(k) else k for k in key)
    region = basic_getitem(x, key)  # validates the key, gives the target shape
    value = _value(value, x)
    if is_array(value):
        from gpuscale.array.manipulation import broadcast_to

        value = broadcast_to(_without_leading_ones(value, region.ndim), region.shape)
        value = value.rechunk(tuple((n,) for n in value.shape)) if value.ndim else value
    return _setitem_blocks(x, key, value)


def _setitem_mask_values(x: Array, mask: Array, value: Array) -> Array:
    """``x[mask] = value`` with a full boolean mask in memory and a 1-d value: the selected elements take the
    value's elements in C order, as NumPy (one value broadcasts).  Each block gathers its elements from the
    value (one block: it has one element per selected element) by their ranks among the selected ones."""
    from gpuscale.array.creation import asarray
    from gpuscale.array.data_dependent import in_memory_values
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.searching import where

    if value.ndim > 1:
        raise TypeError("NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has "
                        f"{value.ndim} dimensions")
    ranks, count = chunkfn.mask_ranks(in_memory_values(mask))
    if value.shape[0] not in (1, count):
        raise ValueError(f"NumPy boolean array indexing assignment cannot assign {value.shape[0]} input values to "
                         f"the {count} output values where the mask is true")
    if count == 0:
        return x
    if value.shape[0] == 1:
        spread = reshape(value, ())
    else:
        ranks = asarray(ranks, backend=x.backend, chunks=x.chunks)
        ind = tuple(range(x.ndim))
        spread = Array(blockwise_expr(chunkfn.take_nd, ind, x.chunks, x.dtype, x.backend, value.rechunk(-1)._expr,
                                      ranks._expr, 0, arg_inds=((1000,), ind, None)))
    out = _kept_dtype(where(mask, spread, x), x)
    return out if out.chunks == x.chunks else out.rechunk(x.chunks)


def _setitem_unknown(x: Array, key: tuple, value: Any) -> Array:
    """``x[key] = value`` where some axes of ``x`` have unknown lengths (after boolean indexing): a ``where``
    over the selected positions, for a key taking the whole of each unknown axis (``x[...] = v``,
    ``x[:, 1:3] = v``, ``x[:, [0, 2]] = v``) and one value (any value broadcast against ``x`` when the key takes everything).
    Other keys need the lengths, and raise dask's error (which refuses them all) up front."""
    from gpuscale.array.searching import where

    from gpuscale.array.data_dependent import in_memory

    unknown = [d for d, n in enumerate(x.shape) if _chunks.is_unknown(n)]
    indexes = [k for k in key if is_array(k) and not _is_basic(k)]
    placed = all(k is not None for k in key) and len(indexes) <= 1 and all(k.ndim == 1 and in_memory(k)
                                                                             for k in indexes)
    value = _value_in_dtype(value, x)
    if not placed or not all(_is_whole(key[d]) for d in unknown) or \
            value.ndim and not all(_is_whole(k) for k in key):
        raise UnknownLengthError(f"Arrays chunk sizes are unknown: {x.chunks} (after a data-dependent operation "
                                 "such as boolean indexing); x[key] = value needs them unless the key takes whole "
                                 "unknown axes with one value (x[...] = v, x[:, 1:3] = v); call "
                                 "x.compute_chunk_sizes() first")
    key = tuple(int(k.compute()) if is_array(k) and _is_basic(k) else k for k in key)
    picks = [(None, False) if d in unknown else _picked(k, n, d) for d, (k, n) in enumerate(zip(key, x.shape))]
    if any(positions == [] for positions, _ in picks):
        return x  # nothing selected
    out = _kept_dtype(where(_selected(x, picks), value, x), x)
    if out.ndim != x.ndim:
        raise ValueError(f"could not broadcast the value of shape {value.shape} into shape {x.shape}")
    return out if out.chunks == x.chunks else out.rechunk(x.chunks)


def _is_whole(k: Any) -> bool:
    """A key entry taking a whole axis, whatever its length (``:``)."""
    return isinstance(k, slice) and k.start in (None, 0) and k.stop is None and k.step in (None, 1)


def _one_axis_in_memory(key: Array) -> bool:
    """A 1-d index in memory: ``_setitem_outer`` places the value's elements (and checks their number)."""
    from gpuscale.array.data_dependent import in_memory

    return key.ndim == 1 and in_memory(key)


def _setitem_outer(x: Array, key: tuple, value: Any, apart: bool = False) -> Array:
    """``x[key] = value`` where one entry of ``key`` is a 1-d integer or boolean index in memory (NumPy's
    semantics: a repeated position takes the last value): ``where`` over the selected positions, with
    ``value`` gathered to every position of ``x``.  ``apart``: the value has the index's axis first, as
    ``x[key]`` has (``x[1, :, [0, 2]]``)."""
    from gpuscale.array.data_dependent import in_memory
    from gpuscale.array.manipulation import expand_dims
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
        return _setitem_lazy_index(x, key, value, apart)
    if len(arrays) != 1 or arrays[0].ndim != 1 or any(k is None for k in key) or not in_memory(arrays[0]):
        raise IndexError("x[key] = value supports ints, slices, ..., a full boolean mask and one 1-d integer or "
                         "boolean index in memory")
    picks = [_picked(k, n, d) for d, (k, n) in enumerate(zip(key, x.shape))]
    if any(not positions for positions, _ in picks):
        return x  # nothing selected
    value = _value_in_dtype(value, x)
    if value.ndim:
        value = _in_axis_order(value, picks, key, apart)
        for d, (positions, dropped) in enumerate(picks):
            value = expand_dims(value, axis=d) if dropped else _spread(value, positions, x.shape[d], d)
    out = _kept_dtype(where(_selected(x, picks), value, x), x)
    return out if out.chunks == x.chunks else out.rechunk(x.chunks)


def _setitem_lazy_index(x: Array, key: tuple, value: Any, apart: bool) -> Array:
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
        return _setitem_outer(x, key[:axis] + (in_memory,) + key[axis + 1:], value, apart)
    picks = [(list(range(n)), False) if d == axis else _picked(k, n, d) for d, (k, n) in enumerate(zip(key, x.shape))]
    cond = _selected(x, picks)
    along = reshape(mask, tuple(-1 if d == axis else 1 for d in range(x.ndim)))
    out = _kept_dtype(where(along if cond is True else cond & along, value, x), x)
    return out if out.chunks == x.chunks else out.rechunk(x.chunks)


def _in_axis_order(value: Array, picks: list, key: tuple, apart: bool) -> Array:
    """``value`` broadcast to the selection's shape, its axes in the order of ``x``'s kept axes (from NumPy's
    layout of ``x[key]``, which puts the index's axis first when ``apart``)."""
    from gpuscale.array.manipulation import broadcast_to, moveaxis

    kept = [d for d, (_, dropped) in enumerate(picks) if not dropped]
    shape = tuple(len(picks[d][0]) for d in kept)
    at = kept.index(next(d for d, k in enumerate(key) if is_array(k))) if apart else 0
    shape = (shape[at],) + shape[:at] + shape[at + 1:]
    value = broadcast_to(_without_leading_ones(value, len(shape)), shape)
    return moveaxis(value, 0, at) if at else value


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
    """``out`` in ``x``'s dtype: assignment casts the value to the array's dtype, as NumPy (no promotion); and
    masked blocks keep ``x``'s fill value (NumPy assigns in place; the masked ``where`` gives the default)."""
    from gpuscale.array.api import map_blocks
    from gpuscale.array.ma import may_be_masked

    out = out if out.dtype == x.dtype else out.astype(x.dtype)
    return map_blocks(chunkfn.fill_value_like, out, x, dtype=x.dtype) if may_be_masked(x._expr) else out


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
        if positions is None:
            continue  # the whole axis, of unknown length
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
    if not is_array(value) and chunkfn.numpy_dtype(x.dtype).names is not None:
        # a tuple (or list of tuples) is one record (or records) of x's dtype, as NumPy reads it; without
        # the dtype it would be a row of numbers broadcast across the fields
        return asarray(value, dtype=x.dtype, backend=x.backend)
    if not is_array(value):
        value = chunkfn.numeric_value(value, x.dtype)  # 'abc' into numbers: NumPy's error now, not at compute
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


def _set_field(x: Array, name: str, value: Any) -> Array:
    """``x["a"] = value``: field ``a`` of every record set block by block, ``value`` broadcast against the
    field's shape (``x.shape`` and a sub-array field's own shape after it), as NumPy."""
    from gpuscale.array.creation import asarray
    from gpuscale.array.manipulation import broadcast_to

    record = chunkfn.numpy_dtype(x.dtype)
    if record.names is None:
        raise IndexError(f"field index {name!r}: the array's dtype {record} has no fields")
    if name not in record.names:
        raise ValueError(f"no field of name {name} (the fields: {', '.join(record.names)})")
    field = record[name]
    target = tuple(x.shape) + field.shape
    value = value if is_array(value) else asarray(chunkfn.numeric_value(value, field.base), backend=x.backend)
    value = value if value.dtype == field.base else value.astype(field.base)
    value = _without_leading_ones(value, len(target))
    ind = tuple(range(x.ndim))
    if value.ndim > len(field.shape):  # it varies along x's axes: blocks lined up with x's
        value = broadcast_to(value, target).rechunk(x.chunks + tuple((n,) for n in field.shape))
        lead = ind
    else:  # one block, which NumPy broadcasts into each block's field (x's lengths may be unknown)
        _check_broadcasts(value.shape, field.shape)
        value = value.rechunk(tuple((n,) for n in value.shape)) if value.ndim else value
        lead = ()
    value_ind = lead + tuple(range(1000, 1000 + value.ndim - len(lead)))
    node = blockwise_expr(_set_field_block, ind, x.chunks, x.dtype, x.backend, x._expr, name, value._expr,
                          arg_inds=(ind, None, value_ind))
    return Array(node)


def _check_broadcasts(shape: tuple, into: tuple) -> None:
    """NumPy's error, now rather than at compute, for a value that does not broadcast into a field's shape."""
    from gpuscale.array.elementwise import broadcast_shapes

    if broadcast_shapes(shape, into) != into:
        raise ValueError(f"could not broadcast input array from shape {shape} into shape {into}")


def _set_field_block(block: Any, name: str, value: Any) -> Any:
    """A copy of record block ``block`` with its field ``name`` set to ``value`` (a masked block keeps its mask)."""
    out = block.copy()
    out[name] = value
    return out
