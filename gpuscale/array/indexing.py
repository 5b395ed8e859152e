"""Indexing: ``x[key]`` (basic slicing, integer and boolean arrays, record fields), ``take``,
``take_along_axis``, ``x[i] = v``.

``getitem`` sorts a key out here; the work lives by concern: :mod:`gpuscale.array.slicing` (basic indices,
resolved against the blocks when the expression is built), :mod:`gpuscale.array.fancy_indexing` (boolean masks,
integer arrays, ``take``, ``take_along_axis``) and :mod:`gpuscale.array.assignment` (``x[key] = v``).
"""

from __future__ import annotations

import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.assignment import setitem
from gpuscale.array.core import Array, is_array
from gpuscale.array.fancy_indexing import _integer_getitem, _masked, take, take_along_axis
from gpuscale.array.slicing import GetItem, _advanced_apart, _expand, _is_basic, _to_arrays, basic_getitem
from gpuscale.backends import array as chunkfn

__all__ = ["getitem", "setitem", "take", "take_along_axis", "GetItem"]


def getitem(x: Array, key: Any) -> Array:
    """``x[key]``: basic indices, one integer array, a boolean mask, or field names of a record array."""
    if isinstance(key, str) or (isinstance(key, list) and key and all(isinstance(k, str) for k in key)):
        return _fields(x, key)
    _check_no_floats(key)
    key = _to_arrays(key, x)
    apart = _advanced_apart(key)  # before _expand: an Ellipsis for no axes still parts them
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
        return _masked(x, key, arrays[0], apart)
    if all(key[i].dtype.kind in "iu" for i in arrays):
        return _integer_getitem(x, key, arrays, apart)
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
