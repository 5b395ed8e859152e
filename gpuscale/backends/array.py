"""Chunk-level functions for ``gpuscale.array``: the only array code that names a library.

Every function here receives chunks (NumPy, CuPy or array-api-strict arrays)
and asks them for their namespace (``xp = namespace(*chunks)``), so one code
path serves all chunk libraries.  The graph layer refers to namespace
functions by *name* (``xp_call("sin", chunk)``), which keeps task graphs small,
picklable and deterministic to tokenize.

Dtypes at the collection level are NumPy dtype objects (what CuPy uses too);
:func:`xp_dtype` translates them for array-api-strict chunks.
"""

from __future__ import annotations

import functools
import importlib
import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "namespace", "library_of", "module_for", "device_of", "numpy_dtype", "xp_dtype", "dtypes",
    "meta", "meta_call", "create", "from_host", "getitem", "xp_call", "method_call", "concat_nested",
    "identity", "setitem", "random_block",
]

DTYPE_NAMES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "complex64", "complex128")
DEVICES = {"numpy": "cpu", "cupy": "gpu", "array_api_strict": "device1"}


@functools.lru_cache(maxsize=None)
def module_for(backend: str) -> Any:
    """The chunk library module of a backend name (numpy, cupy, array_api_strict)."""
    return importlib.import_module(backend)


def dtypes() -> dict[str, Any]:
    """NumPy dtype objects by Array API name (the dtypes of ``gpuscale.array``)."""
    import numpy as np

    return {name: np.dtype(name) for name in DTYPE_NAMES}


def numpy_dtype(dtype: Any) -> Any:
    """Translate any library's dtype (or a dtype name) to a NumPy dtype."""
    import numpy as np

    if isinstance(dtype, np.dtype):
        return dtype
    inner = getattr(dtype, "_np_dtype", None)  # array-api-strict wraps a NumPy dtype
    return np.dtype(inner if inner is not None else dtype)


def xp_dtype(xp: Any, dtype: Any) -> Any:
    """Translate a dtype (NumPy's, or a wrapper of it) to the dtype object of namespace ``xp``."""
    if dtype is None:
        return dtype
    if not _is_strict_namespace(xp):
        return numpy_dtype(dtype)
    return getattr(xp, numpy_dtype(dtype).name)


def _is_strict_namespace(xp: Any) -> bool:
    return xp.__name__.startswith("array_api_strict")


def _is_array(obj: Any) -> bool:
    return hasattr(obj, "__array_namespace__") or type(obj).__module__.partition(".")[0] in ("numpy", "cupy")


def namespace(*objs: Any) -> Any:
    """The Array API namespace of the arrays among ``objs`` (scalars ignored)."""
    from array_api_compat import array_namespace

    arrays = [o for o in objs if _is_array(o)]
    return array_namespace(*arrays) if arrays else module_for("array_api_compat.numpy")


def library_of(chunk: Any) -> str:
    """Backend name of a chunk: numpy, cupy or array_api_strict."""
    root = type(chunk).__module__.partition(".")[0]
    return root if root in DEVICES else "numpy"


def device_of(backend: str) -> Any:
    """The device objects of a backend put chunks on (array-api-strict: ``device1``)."""
    if backend == "array_api_strict":
        return module_for(backend).Device("device1")
    return None


# -- metadata: tiny host arrays of the chunk library's dtype rules ----------------------------------
def meta(backend: str, dtype: Any, ndim: int) -> Any:
    """A small host array with the dtype rules of ``backend`` (CuPy shares NumPy's)."""
    name = "array_api_strict" if backend == "array_api_strict" else "numpy"
    xp = module_for(name)
    return xp.ones((1,) * ndim, dtype=xp_dtype(xp, numpy_dtype(dtype)))


class Meta:
    """Placeholder for an array operand in :func:`meta_call`: its dtype and ndim."""

    def __init__(self, dtype: Any, ndim: int) -> None:
        self.dtype, self.ndim = dtype, ndim


def meta_call(backend: str, func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` (a namespace name or callable) on tiny stand-ins; return NumPy dtype of the result."""
    import numpy as np

    args = [meta(backend, a.dtype, a.ndim) if isinstance(a, Meta) else a for a in args]
    with np.errstate(all="ignore"):
        out = xp_call(func, *args, **kwargs) if isinstance(func, str) else func(*args, **kwargs)
    if isinstance(out, (tuple, list)):
        return [numpy_dtype(o.dtype) for o in out]
    return numpy_dtype(out.dtype)


def result_type(backend: str, *dtypes_or_scalars: Any) -> Any:
    """Array API type promotion of dtypes (and Python scalars), as a NumPy dtype."""
    xp = module_for("array_api_strict" if backend == "array_api_strict" else "numpy")
    args = [xp_dtype(xp, numpy_dtype(a)) if not isinstance(a, (bool, int, float, complex)) else a
            for a in dtypes_or_scalars]
    if not _is_strict_namespace(xp):
        return xp.result_type(*args)
    return numpy_dtype(xp.result_type(*args))


# -- creation and conversion --------------------------------------------------------------------------
def create(backend: str, name: str, shape: tuple, dtype: Any, *args: Any) -> Any:
    """``zeros/ones/empty/full`` for one chunk on the backend's device."""
    xp = namespace() if backend == "numpy" else module_for(backend)
    kwargs = {"dtype": xp_dtype(xp, dtype)}
    if backend == "array_api_strict":
        kwargs["device"] = device_of(backend)
    if name == "empty" or backend == "array_api_strict":
        return getattr(xp, name)(shape, *args, **kwargs)
    # a constant block is one value broadcast (read-only, no memory), as in dask.array
    value = {"zeros": 0, "ones": 1}.get(name, args[0] if args else 0)
    return xp.broadcast_to(xp.full((), value, **kwargs), shape)


def writable(x: Any) -> Any:
    """``x``, copied if it is a read-only NumPy view (a broadcast constant block) so users may write to it."""
    flags = getattr(x, "flags", None)
    return x.copy() if flags is not None and not flags.writeable else x


def arange_block(backend: str, start: Any, step: Any, dtype: Any, slices: tuple) -> Any:
    """Elements ``slices[0]`` of ``arange(start, ..., step)`` (computed like NumPy, then cast)."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    lo, hi = slices[0].start, slices[0].stop
    values = start + np.arange(lo, hi, dtype=np.float64 if numpy_dtype(dtype).kind == "f" else None) * step
    return to_backend(np.asarray(values).astype(dtype, copy=False), backend)


def linspace_block(backend: str, start: Any, stop: Any, num: int, endpoint: bool, dtype: Any,
                   slices: tuple) -> Any:
    """Elements ``slices[0]`` of ``linspace(start, stop, num)``."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    full = np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)
    return to_backend(full[slices[0]], backend)


def eye_block(backend: str, k: int, dtype: Any, slices: tuple) -> Any:
    """Block of ``eye(..., k=k)`` whose global position is ``slices``."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    rows, cols = slices
    block = np.eye(rows.stop - rows.start, cols.stop - cols.start, k=k + rows.start - cols.start, dtype=dtype)
    return to_backend(block, backend)


def triangle_block(name: str, x: Any, k: int, slices: tuple) -> Any:
    """``tril``/``triu`` of a block whose last two dimensions start at ``slices[-2:]``."""
    xp = namespace(x)
    return getattr(xp, name)(x, k=k + slices[-2].start - slices[-1].start)


def to_backend(chunk: Any, backend: str) -> Any:
    """Move a chunk to ``backend`` (host copies counted by ``backends.convert``)."""
    from gpuscale.backends.convert import to_device, to_host

    if library_of(chunk) == backend:
        return chunk
    if backend == "numpy":
        return to_host(chunk)
    if library_of(chunk) != "numpy":
        chunk = to_host(chunk)
    return to_device(chunk, backend)


def from_host(data: Any, index: tuple, backend: str) -> Any:
    """Slice a block out of in-memory data and place it on ``backend``."""
    block = data[index] if index else data
    if library_of(block) == "numpy" and backend == "numpy":
        return module_for("numpy").array(block, copy=True) if _is_view_of_user_data(block) else block
    return to_backend(block, backend)


def _is_view_of_user_data(block: Any) -> bool:
    # the user may later mutate the array they passed in; chunks must not change with it
    return getattr(block, "base", None) is not None


def asarray_eager(obj: Any, backend: str, dtype: Any = None, copy: Any = None) -> Any:
    """Convert Python data / arrays to one chunk of ``backend`` (used by ``ga.asarray``)."""
    if _is_array(obj):
        xp = namespace(obj)
        obj = xp.asarray(obj, dtype=xp_dtype(xp, dtype), copy=copy) if dtype is not None or copy else obj
        return to_backend(obj, backend)
    np = module_for("numpy")
    host = np.asarray(obj, dtype=dtype)
    if dtype is None and host.dtype.kind == "f" and host.dtype != np.float64:
        host = host.astype(np.float64)
    return to_backend(host, backend)


def python_scalar_type(obj: Any) -> Any:
    """``bool/int/float/complex`` for Python and NumPy scalars, else None."""
    np = module_for("numpy")
    for kind in (bool, int, float, complex):
        if isinstance(obj, kind):
            return kind
    if isinstance(obj, np.generic):
        return {"b": bool, "i": int, "u": int, "f": float, "c": complex}.get(obj.dtype.kind)
    return None


# -- generic chunk calls ---------------------------------------------------------------------------------
def xp_call(name: str, *args: Any, **kwargs: Any) -> Any:
    """``getattr(xp, name)(*args, **kwargs)`` with ``xp`` the arguments' namespace.

    ``name`` may be dotted (``"linalg.qr"``); a ``dtype`` keyword is translated.
    """
    xp = namespace(*args)
    if "dtype" in kwargs:
        kwargs["dtype"] = xp_dtype(xp, kwargs["dtype"])
    if name in _FIXES:
        return _FIXES[name](xp, *args, **kwargs)
    func = xp
    for part in name.split("."):
        func = getattr(func, part)
    return func(*args, **kwargs)


def _isinf(xp: Any, value: Any) -> Any:
    return xp.isinf(value) if _is_array(value) else math.isinf(value)


def _floor_divide(xp: Any, x1: Any, x2: Any) -> Any:
    # NumPy gives nan for inf // finite and -1 for 1 // -inf; the standard wants floor(x1 / x2) there
    out = xp.floor_divide(x1, x2)
    if numpy_dtype(out.dtype).kind != "f":
        return out
    special = _isinf(xp, x1) | _isinf(xp, x2)
    return xp.where(special, xp.floor(x1 / x2), out)


def _expm1(xp: Any, x: Any) -> Any:
    # NumPy's complex expm1 mishandles infinities; exp(x) - 1 is exact there
    out = xp.expm1(x)
    if numpy_dtype(x.dtype).kind != "c":
        return out
    out = xp.where(xp.isfinite(x), out, xp.exp(x) - 1)
    return xp.where(x == 0, x - xp.real(x), out)  # expm1(-0 + 0j) is +0 + 0j


def _tanh(xp: Any, x: Any) -> Any:
    # the standard: tanh(+inf + yj) is 1 + 0j (conjugated for y < 0); NumPy follows the sign of sin(2y)
    out = xp.tanh(x)
    if numpy_dtype(x.dtype).kind != "c":
        return out
    one = xp.ones_like(x)
    limit = xp.where(xp.imag(x) >= 0, one, xp.conj(one))
    return xp.where((xp.real(x) == math.inf) & xp.isfinite(xp.imag(x)), limit, out)


_FIXES = {"floor_divide": _floor_divide, "expm1": _expm1, "tanh": _tanh}


def method_call(name: str, obj: Any, *args: Any) -> Any:
    """``getattr(obj, name)(*args)`` (operators such as ``__matmul__``)."""
    return getattr(obj, name)(*args)


def astype(x: Any, dtype: Any) -> Any:
    """Cast a chunk to a NumPy dtype."""
    xp = namespace(x)
    return xp.astype(x, xp_dtype(xp, dtype))


def identity(x: Any) -> Any:
    """Return ``x`` (an alias task)."""
    return x


def getitem(x: Any, index: Any) -> Any:
    """``x[index]`` (always an array: NumPy's scalars are turned into 0-d arrays)."""
    return _ensure_array(x[index])


def _ensure_array(out: Any) -> Any:
    np = module_for("numpy")
    return np.asarray(out) if isinstance(out, np.generic) else out


def host_array(x: Any, dtype: Any = None) -> Any:
    """A computed NumPy result as an ``ndarray`` (for ``__array__``)."""
    np = module_for("numpy")
    return np.asarray(x, dtype=dtype)


def getitem_array_index(x: Any, index: tuple, positions: dict) -> Any:
    """``x[index]`` where ``positions`` maps index slots to chunks given as extra arguments."""
    return x[index]


def take(x: Any, indices: Any, axis: int, offset: int = 0) -> Any:
    """``take`` of a chunk with indices shifted by ``offset``."""
    xp = namespace(x, indices)
    if offset:
        indices = indices - offset
    return xp.take(x, indices, axis=axis)


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
    xp = namespace(x)
    out = xp.asarray(x, copy=True)
    if _is_array(value) and value.dtype != out.dtype:
        value = xp.astype(value, out.dtype)
    out[index] = value
    return out


def where_mask(mask: Any, value: Any, x: Any) -> Any:
    """``where(mask, value, x)`` keeping ``x``'s dtype."""
    xp = namespace(x)
    if _is_array(value):
        value = xp.astype(value, x.dtype)
    return xp.where(mask, value, x)


def concat_nested(nested: Any, axes: tuple | None = None, ndim: int | None = None) -> Any:
    """Concatenate a nested list of chunks; depth ``d`` is joined along ``axes[d]``."""
    if not isinstance(nested, list):
        return nested
    depth = _depth(nested)
    axes = tuple(range(depth)) if axes is None else axes
    return _concat_level(nested, axes, 0)


def _depth(nested: Any) -> int:
    depth = 0
    while isinstance(nested, list):
        nested, depth = nested[0], depth + 1
    return depth


def _concat_level(nested: list, axes: tuple, level: int) -> Any:
    parts = [_concat_level(p, axes, level + 1) if isinstance(p, list) else p for p in nested]
    if len(parts) == 1:
        return parts[0]
    xp = namespace(*parts)
    return xp.concat(parts, axis=axes[level])


def reshape(x: Any, shape: tuple) -> Any:
    """Reshape a chunk (copying if needed)."""
    return namespace(x).reshape(x, shape)


def ravel_rows(x: Any) -> Any:
    """Flatten a chunk in C order."""
    return namespace(x).reshape(x, (-1,))


def size_of(x: Any) -> int:
    """Number of elements of a chunk (0-d: 1)."""
    return math.prod(x.shape)


def random_block(backend: str, seed: tuple, block_id: tuple, kind: str, shape: tuple, dtype: Any,
                 params: tuple) -> Any:
    """A block of random numbers that depends only on (seed, block position)."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    seq = np.random.SeedSequence(entropy=list(seed), spawn_key=tuple(block_id))
    rng = np.random.Generator(np.random.PCG64(seq))
    if kind == "random":
        out = rng.random(shape, dtype=dtype)
    elif kind == "normal":
        out = rng.normal(params[0], params[1], size=shape).astype(dtype)
    elif kind == "uniform":
        out = rng.uniform(params[0], params[1], size=shape).astype(dtype)
    elif kind == "integers":
        out = rng.integers(params[0], params[1], size=shape, dtype=dtype)
    else:
        raise ValueError(f"unknown random distribution {kind!r}")
    return to_backend(out, backend)


# -- tree reductions: chunk -> combine* -> aggregate over tuples of keepdims arrays ---------------------
# A partial result ("state") is a tuple of arrays shaped like the chunk with reduced axes of length 1.
_SIMPLE = {"sum": "sum", "prod": "prod", "max": "max", "min": "min", "any": "any", "all": "all"}


@dataclass(frozen=True)
class UserReduction:
    """A reduction given by user functions (``gpuscale.array.reduction``), dask.array style."""

    chunk: Any
    combine: Any
    aggregate: Any


def reduce_chunk(kind: Any, x: Any, axis: tuple, dtype: Any = None, offsets: tuple = (), index: tuple = ()) -> tuple:
    """First step of a tree reduction on block ``index`` (``offsets``: block starts along ``axis[0]``)."""
    if isinstance(kind, UserReduction):
        return (kind.chunk(x, axis=axis, keepdims=True),)
    xp = namespace(x)
    if kind in _SIMPLE:
        kwargs = {"dtype": xp_dtype(xp, dtype)} if kind in ("sum", "prod") and dtype is not None else {}
        return (getattr(xp, _SIMPLE[kind])(x, axis=axis, keepdims=True, **kwargs),)
    if kind == "count_nonzero":
        return (xp.sum(xp.astype(x != 0, xp.int64), axis=axis, keepdims=True),)
    if kind in ("mean", "var"):
        return _moments_chunk(xp, x, axis, kind, dtype)
    if kind in ("argmax", "argmin"):
        position = getattr(xp, kind)(x, axis=axis[0], keepdims=True)
        offset = offsets[index[axis[0]]] if offsets else 0
        return (xp.take_along_axis(x, position, axis=axis[0]), position + offset)
    raise ValueError(f"unknown reduction {kind!r}")


def _moments_chunk(xp: Any, x: Any, axis: tuple, kind: str, dtype: Any) -> tuple:
    if dtype is not None and numpy_dtype(x.dtype) != numpy_dtype(dtype):
        x = xp.astype(x, xp_dtype(xp, dtype))
    n = math.prod(x.shape[a] for a in axis)
    total = xp.sum(x, axis=axis, keepdims=True)
    count = xp.full(total.shape, n, dtype=xp_dtype(xp, numpy_dtype("float64")) if _is_cplx(total)
                    else total.dtype, device=_device(total))
    if kind == "mean":
        return total, count
    mean = total / count if n else total
    m2 = xp.sum(xp.abs(x - mean) ** 2 if _is_cplx(x) else (x - mean) ** 2, axis=axis, keepdims=True)
    return count, mean, m2


def _is_cplx(x: Any) -> bool:
    return numpy_dtype(x.dtype).kind == "c"


def _device(x: Any) -> Any:
    return getattr(x, "device", None) if library_of(x) == "array_api_strict" else None


def _stack_states(nested: Any, axes: tuple) -> tuple:
    """Concatenate a nested list of states field by field along the reduced axes."""
    first = nested
    while isinstance(first, list):
        first = first[0]
    fields = range(len(first))
    return tuple(concat_nested(_field(nested, i), axes) for i in fields)


def _field(nested: Any, i: int) -> Any:
    return [_field(n, i) for n in nested] if isinstance(nested, list) else nested[i]


def reduce_combine(kind: str, nested: Any, axis: tuple) -> tuple:
    """Merge the states of neighbouring blocks into one state."""
    state = _stack_states(nested, axis)
    if isinstance(kind, UserReduction):
        return (kind.combine(state[0], axis=axis, keepdims=True),)
    xp = namespace(*state)
    if kind in _SIMPLE or kind == "count_nonzero":
        op = "sum" if kind == "count_nonzero" else _SIMPLE[kind]
        return (getattr(xp, op)(state[0], axis=axis, keepdims=True),)
    if kind == "mean":
        return tuple(xp.sum(s, axis=axis, keepdims=True) for s in state)
    if kind == "var":
        return _merge_moments(xp, state, axis)
    values, index = state
    local = getattr(xp, kind)(values, axis=axis[0], keepdims=True)
    return xp.take_along_axis(values, local, axis=axis[0]), xp.take_along_axis(index, local, axis=axis[0])


def _merge_moments(xp: Any, state: tuple, axis: tuple) -> tuple:
    # Chan et al.: exact, stable merge of (count, mean, M2) of several parts
    count, mean, m2 = state
    total = xp.sum(count, axis=axis, keepdims=True)
    safe = xp.where(total == 0, xp.ones_like(total), total)
    weights = count if not _is_cplx(mean) else xp.astype(count, mean.dtype)
    merged_mean = xp.sum(weights * mean, axis=axis, keepdims=True) / (
        safe if not _is_cplx(mean) else xp.astype(safe, mean.dtype))
    spread = xp.abs(mean - merged_mean) ** 2 if _is_cplx(mean) else (mean - merged_mean) ** 2
    merged_m2 = xp.sum(m2, axis=axis, keepdims=True) + xp.sum(count * spread, axis=axis, keepdims=True)
    return total, merged_mean, merged_m2


def reduce_aggregate(kind: str, nested: Any, axis: tuple, keepdims: bool, correction: float = 0.0,
                     dtype: Any = None) -> Any:
    """Final step: merge the last states and produce the reduced chunk."""
    if isinstance(kind, UserReduction):
        out = kind.aggregate(_stack_states(nested, axis)[0], axis=axis, keepdims=keepdims)
        return astype(out, dtype) if dtype is not None and numpy_dtype(out.dtype) != numpy_dtype(dtype) else out
    state = reduce_combine(kind, nested, axis)
    xp = namespace(*state)
    if kind == "mean":
        total, count = state
        out = total / (xp.astype(count, total.dtype) if _is_cplx(total) else count)
    elif kind == "var":
        count, _, m2 = state
        out = m2 / (count - correction)
    elif kind in ("argmax", "argmin"):
        out = state[1]
    else:
        out = state[0]
    if dtype is not None and numpy_dtype(out.dtype) != numpy_dtype(dtype):
        out = xp.astype(out, xp_dtype(xp, dtype))
    return out if keepdims else xp.squeeze(out, axis=axis) if axis else out


# -- scans ------------------------------------------------------------------------------------------------------
def cumulative_block(kind: str, x: Any, axis: int, dtype: Any, carry: Any = None) -> Any:
    """``cumulative_sum/prod`` of a chunk, continued from ``carry`` (last value of the previous block)."""
    xp = namespace(x)
    out = getattr(xp, f"cumulative_{kind}")(x, axis=axis, dtype=xp_dtype(xp, dtype))
    if carry is None:
        return out
    return out + carry if kind == "sum" else out * carry


def last_along(x: Any, axis: int) -> Any:
    """Running total up to the end of this block: the last slice along ``axis`` (keepdims)."""
    index = tuple(slice(-1, None) if d == axis else slice(None) for d in range(x.ndim))
    return x[index]


# -- searching, sorting, sets ----------------------------------------------------------------------------------
def nonzero_block(x: Any, dim: int, offsets: tuple, index: tuple) -> Any:
    """Indices along ``dim`` of the non-zero elements of block ``index`` (rows offset to global positions)."""
    xp = namespace(x)
    found = xp.nonzero(x)[dim]
    return found + offsets[index[0]] if dim == 0 and offsets[index[0]] else found


def searchsorted_blocks(sorted_blocks: Any, values: Any, side: str) -> Any:
    """Insertion points of ``values`` in the concatenation of sorted blocks (sum of per-block points)."""
    blocks = sorted_blocks if isinstance(sorted_blocks, list) else [sorted_blocks]
    xp = namespace(values, *blocks)
    flat = xp.reshape(values, (-1,)) if values.ndim != 1 else values
    total = None
    for block in blocks:
        part = xp.searchsorted(block, flat, side=side)
        total = part if total is None else total + part
    total = xp.astype(total, xp.int64)
    return xp.reshape(total, values.shape) if values.ndim != 1 else total


def sort_block(x: Any, axis: int, descending: bool, stable: bool, indices: bool) -> Any:
    """``sort`` or ``argsort`` of a block along ``axis``."""
    xp = namespace(x)
    func = xp.argsort if indices else xp.sort
    return func(x, axis=axis, descending=descending, stable=stable)


def unique_part(x: Any, part: str) -> Any:
    """One field of ``unique_all`` of a (1-d, whole) block: values, indices, inverse_indices or counts."""
    xp = namespace(x)
    if part == "values":
        return xp.unique_values(x)
    result = xp.unique_all(x)
    return getattr(result, part)


def diff_block(x: Any, axis: int, n: int) -> Any:
    """``diff`` of a block that overlaps its neighbour by ``n`` elements along ``axis``."""
    xp = namespace(x)
    return xp.diff(x, axis=axis, n=n)


def matmul_blocks(a_blocks: Any, b_blocks: Any) -> Any:
    """Sum over the contracted blocks of ``a_k @ b_k``."""
    a_blocks = a_blocks if isinstance(a_blocks, list) else [a_blocks]
    b_blocks = b_blocks if isinstance(b_blocks, list) else [b_blocks]
    total = None
    for a, b in zip(a_blocks, b_blocks):
        part = a @ b
        total = part if total is None else total + part
    return total


def tsqr_block(x: Any) -> tuple:
    """``(Q, R)`` of a tall block."""
    return tuple(namespace(x).linalg.qr(x))


def stack_r_and_qr(parts: list) -> tuple:
    """QR of the stacked R factors of every block: ``(Q2, R)``."""
    xp = namespace(*(p[1] for p in parts))
    return tuple(xp.linalg.qr(xp.concat([p[1] for p in parts], axis=0)))


def tsqr_q_block(part: tuple, second: tuple, index: tuple, bounds: tuple) -> Any:
    """Final Q block: the block's own Q times its rows ``bounds[index[0]]`` of the second-stage Q."""
    start, stop = bounds[index[0]]
    return part[0] @ second[0][start:stop, :]


def call_with_array_kwargs(name: str, array_kwargs: tuple, *args: Any, **kwargs: Any) -> Any:
    """``xp_call(name, ...)`` where the last ``len(array_kwargs)`` arguments are keyword arrays."""
    n = len(array_kwargs)
    positional, named = (args[:-n], args[-n:]) if n else (args, ())
    return xp_call(name, *positional, **kwargs, **dict(zip(array_kwargs, named)))


def pick(obj: Any, i: int) -> Any:
    """``obj[i]`` of a tuple result."""
    return obj[i]


# -- data type functions (answered by NumPy, whose dtypes gpuscale.array uses) -----------------------------------
def dtype_function(name: str, *args: Any, **kwargs: Any) -> Any:
    """NumPy's ``finfo``, ``iinfo``, ``can_cast``, ``isdtype``, ``result_type`` (array-api-strict dtypes translated)."""
    np = module_for("numpy")
    args = [numpy_dtype(a) if hasattr(a, "_np_dtype") else a for a in args]
    return getattr(np, name)(*args, **kwargs)


def store_block(block: Any, target: Any, chunks: tuple, index: tuple) -> Any:
    """Write block ``index`` (of an array with ``chunks``) into ``target``; return a one-element marker."""
    region = []
    for dim, i in zip(chunks, index):
        start = sum(dim[:i])
        region.append(slice(start, start + dim[i]))
    target[tuple(region)] = block
    return module_for("numpy").ones((1,) * len(index), dtype="int64")


def call_with_block_id(func: Any, block_id: tuple, *args: Any, **kwargs: Any) -> Any:
    """Call a ``map_blocks`` function that wants its ``block_id``."""
    return func(*args, block_id=block_id, **kwargs)


def module_call(backend: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call a creation-like namespace function (dotted ``name``) of ``backend``, on its device."""
    xp = namespace() if backend == "numpy" else module_for(backend)
    if "dtype" in kwargs:
        kwargs["dtype"] = xp_dtype(xp, kwargs["dtype"])
    if backend == "array_api_strict":
        kwargs["device"] = device_of(backend)
    func = xp
    for part in name.split("."):
        func = getattr(func, part)
    return func(*args, **kwargs)


def complex_dtype_of(dtype: Any) -> Any:
    """complex64 for float32/complex64, else complex128."""
    np = module_for("numpy")
    return np.dtype("complex64") if numpy_dtype(dtype) in (np.float32, np.complex64) else np.dtype("complex128")


def real_dtype_of(dtype: Any) -> Any:
    """float32 for float32/complex64, else float64."""
    np = module_for("numpy")
    return np.dtype("float32") if numpy_dtype(dtype) in (np.float32, np.complex64) else np.dtype("float64")
