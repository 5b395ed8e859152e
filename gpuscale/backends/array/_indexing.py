"""Indexing of single chunks: getitem, masks, take, setitem, store."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import _is_array, module_for, namespace
from gpuscale.backends.array._masked import is_masked, masked_value
from gpuscale.backends.array._sparse import is_sparse, sparse_setitem


def getitem(x: Any, index: Any) -> Any:
    """``x[index]`` (always an array: NumPy's scalars are turned into 0-d arrays)."""
    return _ensure_array(x[index])


def _ensure_array(out: Any) -> Any:
    np = module_for("numpy")
    return np.asarray(out) if isinstance(out, np.generic) else out


def boolean_mask(x: Any, mask: Any, position: int = 0) -> Any:
    """``x[..., mask]`` with the boolean ``mask`` starting at dimension ``position``.

    The Array API only defines a mask as the sole index, so the masked
    dimensions are moved to the front and the result's axis moved back.
    """
    if position == 0:
        return x[mask]
    xp = namespace(x, mask)
    masked = list(range(position, position + mask.ndim))
    front = xp.permute_dims(x, tuple(masked + [d for d in range(x.ndim) if d not in masked]))[mask]
    back = tuple(range(1, position + 1)) + (0,) + tuple(range(position + 1, front.ndim))
    return xp.permute_dims(front, back)


def take_nd(x: Any, indices: Any, axis: int) -> Any:
    """``take`` with an index array of any dimension (it replaces ``axis``); negatives wrap."""
    xp = namespace(x, indices)
    n = x.shape[axis]
    indices = xp.where(indices < 0, indices + n, indices)
    flat = xp.reshape(indices, (-1,)) if indices.ndim != 1 else indices
    out = xp.take(x, flat, axis=axis)
    if indices.ndim == 1:
        return out
    return xp.reshape(out, x.shape[:axis] + indices.shape + x.shape[axis + 1:])


def take_along_axis(x: Any, indices: Any, axis: int) -> Any:
    """``take_along_axis`` with negative indices wrapped."""
    xp = namespace(x, indices)
    indices = xp.where(indices < 0, indices + x.shape[axis], indices)
    return xp.take_along_axis(x, indices, axis=axis)


def range_in_block(r: range, lo: int, hi: int) -> tuple[int, int]:
    """Positions ``k0:k1`` of range ``r`` whose values fall in ``[lo, hi)``."""
    step = r.step
    if step > 0:
        k0 = max(0, -(-(lo - r.start) // step))
        k1 = min(len(r), -(-(hi - r.start) // step))
    else:
        k0 = max(0, -(-(r.start - (hi - 1)) // -step))
        k1 = min(len(r), (r.start - lo) // -step + 1)
    return k0, k1


def local_slice(first: int, count: int, step: int) -> slice:
    """The slice of ``count`` elements from ``first`` by ``step``, with an in-range stop (or None)."""
    last = first + (count - 1) * step
    stop = last + 1 if step > 0 else last - 1
    return slice(first, stop if stop >= 0 else None, step)


def setitem_block(x: Any, spec: tuple, slices: tuple, value: Any) -> Any:
    """Apply ``array[key] = value`` to the block at ``slices`` (``spec = (key, array shape)``)."""
    key, shape = spec
    local, value_index = [], []
    for k, s, n in zip(key, slices, shape):
        lo, hi = s.start, s.stop
        if isinstance(k, int):
            if not lo <= k % n < hi:
                return x
            local.append(k % n - lo)
            continue
        r = range(*k.indices(n))
        k0, k1 = range_in_block(r, lo, hi)
        if k1 <= k0:
            return x
        local.append(local_slice(r[k0] - lo, k1 - k0, r.step))
        value_index.append(slice(k0, k1))
    if _is_array(value) and value.ndim:
        value = value[tuple(value_index)]
    return setitem(x, tuple(local), value)


def setitem(x: Any, index: tuple, value: Any) -> Any:
    """A copy of chunk ``x`` with ``x[index] = value``."""
    if is_sparse(x):  # a SciPy / CuPy sparse block (dask.array holds them) sets its own elements
        return sparse_setitem(x, index, value)
    xp = namespace(x)
    out = x.copy() if is_masked(x) else xp.asarray(x, copy=True)  # a masked block keeps its mask
    if is_masked(value):
        value = masked_value(value, out.dtype)
        if not is_masked(out):
            out = module_for("numpy").ma.masked_array(out)  # assigning masked elements masks a plain block
    elif _is_array(value) and value.dtype != out.dtype:
        value = xp.astype(value, out.dtype)
    out[index] = value
    return out


def numeric_value(value: Any, dtype: Any) -> Any:
    """A value in memory of text or objects (``'abc'``, ``None``, ``['1', 'a']``) assigned into an array of
    numbers (``dtype``), cast on the host now: NumPy's error at once (``could not convert string to float``)
    rather than the blocks' at compute, and ``'1.5'`` or ``None`` become numbers as NumPy's assignment makes
    them.  Other values (numbers, arrays of any library) are returned as they are."""
    np = module_for("numpy")
    if np.dtype(dtype).kind not in "biufc" or (_is_array(value) and not isinstance(value, np.ndarray)):
        return value
    try:
        host = np.asarray(value)
    except (TypeError, ValueError):  # ragged, or device arrays in a list: the assignment's own errors follow
        return value
    return host.astype(dtype) if host.dtype.kind in "USO" else value


def store_block(block: Any, target: Any, chunks: tuple, index: tuple) -> Any:
    """Write block ``index`` (of an array with ``chunks``) into ``target``; return a one-element marker."""
    region = []
    for dim, i in zip(chunks, index):
        start = sum(dim[:i])
        region.append(slice(start, start + dim[i]))
    target[tuple(region)] = block
    return module_for("numpy").ones((1,) * len(index), dtype="int64")
