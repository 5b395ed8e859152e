"""NumPy's in-place functions on gpuscale arrays: ``np.copyto``, ``np.putmask``, ``np.place``, ``np.put``.

A lazy array has no memory to write into, so each replaces the array's plan by the plan of its new values (as
``x[mask] = v`` and dask.array's ``out=`` do): ``np.putmask(x, x > 3, 0)`` changes ``x`` as NumPy's does.  Without
these, NumPy would compute a copy, write into it and throw it away, leaving ``x`` as it was.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.array.protocols import _arr, _backend, _can_cast, _ga, _Unsupported, implements

__all__: list = []


def _target(a: Any, name: str) -> Array:
    if not is_array(a):  # a NumPy array written with gpuscale values: NumPy's own function on the computed values
        raise _Unsupported(f"a {type(a).__name__} to write into")
    if any(math.isnan(n) for n in a.shape):
        raise ValueError(f"numpy.{name} of an array of unknown shape: call compute_chunk_sizes() first")
    return a


def _replace(a: Array, new: Array) -> None:
    a._expr = new.astype(a.dtype)._expr  # (NumPy writes into a's dtype)


def _cycled(values: Array, positions: Array) -> Array:
    """``values`` repeated as NumPy repeats them over positions (``values[i % len(values)]``)."""
    flat = values.reshape(-1)
    return _ga().take(flat, positions % flat.shape[0])


@implements("copyto")
def _copyto(dst: Any, src: Any, casting: str = "same_kind", where: Any = True) -> None:
    a = _target(dst, "copyto")
    backend = _backend(a, src)
    source = _arr(src, backend)
    if not _can_cast(source.dtype, a.dtype, casting=casting):
        raise TypeError(f"Cannot cast array data from dtype('{source.dtype}') to dtype('{a.dtype}') according to "
                        f"the rule {casting!r}")  # NumPy's words
    source = _ga().broadcast_to(source.astype(a.dtype), a.shape)
    if where is True:
        _replace(a, source)
    else:
        _replace(a, _ga().where(_arr(where, backend), source, a))
    return None


@implements("putmask")
def _putmask(a: Any, mask: Any, values: Any) -> None:
    x = _target(a, "putmask")
    ga, backend = _ga(), _backend(x, mask, values)
    vals = _arr(values, backend)
    if vals.size == 1:
        full = vals.reshape(()).astype(x.dtype)
    else:  # NumPy: values[i % len(values)] at flat position i
        full = _cycled(vals, ga.arange(x.size, backend=backend)).reshape(x.shape)
    _replace(x, ga.where(_arr(mask, backend), full, x))
    return None


@implements("place")
def _place(arr: Any, mask: Any, vals: Any) -> None:
    x = _target(arr, "place")
    ga, backend = _ga(), _backend(x, mask, vals)
    condition = _arr(mask, backend).astype(bool)
    values = _arr(vals, backend)
    if values.size == 1:
        full = values.reshape(()).astype(x.dtype)
    else:  # NumPy: the n-th True position takes vals[n % len(vals)]
        order = ga.cumsum(condition.reshape(-1).astype("int64")) - 1
        full = _cycled(values, ga.maximum(order, 0)).reshape(x.shape)
    _replace(x, ga.where(condition, full, x))
    return None


@implements("put")
def _put(a: Any, ind: Any, v: Any, mode: str = "raise") -> None:
    x = _target(a, "put")
    ga, backend = _ga(), _backend(x, ind, v)
    flat = x.reshape(-1)
    positions = _arr(ind, backend).reshape(-1).astype("int64")
    if mode == "clip":
        positions = ga.clip(positions, 0, flat.shape[0] - 1)
    elif mode == "wrap":
        positions = positions % flat.shape[0]
    values = _arr(v, backend).reshape(-1)
    flat[positions] = values if values.shape[0] == positions.shape[0] else _cycled(values, ga.arange(
        positions.shape[0], backend=backend))
    _replace(x, flat.reshape(x.shape))
    return None

