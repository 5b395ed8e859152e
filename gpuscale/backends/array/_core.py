"""Namespaces, dtypes, metadata inference and the generic ``xp_call`` used by most tasks."""

from __future__ import annotations

import functools
import importlib
import math
import os
from typing import Any


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


def unknown_length() -> float:
    """NumPy's ``nan`` object, the length of a block not known until computed: the object dask.array puts in
    its chunks, so ported comparisons such as ``x.chunks == ((np.nan, np.nan),)`` hold."""
    import numpy as np

    return np.nan


def numpy_dtype(dtype: Any) -> Any:
    """Translate any library's dtype (or a dtype name) to a NumPy dtype."""
    import numpy as np

    if isinstance(dtype, np.dtype):
        return dtype
    inner = getattr(dtype, "_np_dtype", None)  # array-api-strict wraps a NumPy dtype
    return np.dtype(inner if inner is not None else dtype)


def cast_dtype(src: Any, dtype: Any) -> Any:
    """The dtype a cast of ``src`` values to ``dtype`` gives: a string dtype without a length (``str``,
    ``'S'``) takes NumPy's length for ``src`` (``<U32`` of floats), so every block's cast has the same
    length (each block's NumPy cast would size it by its own values only for objects, kept as given)."""
    import numpy as np

    dtype = numpy_dtype(dtype)
    src = numpy_dtype(src)
    if dtype.kind in "SU" and dtype.itemsize == 0 and src.kind != "O":
        return np.empty(0, src).astype(dtype).dtype
    return dtype


def xp_dtype(xp: Any, dtype: Any) -> Any:
    """Translate a dtype (NumPy's, or a wrapper of it) to the dtype object of namespace ``xp``."""
    if dtype is None:
        return dtype
    if not _is_strict_namespace(xp):
        return numpy_dtype(dtype)
    name = numpy_dtype(dtype).name
    if name not in DTYPE_NAMES:  # text, datetimes, objects: not Array API dtypes
        raise TypeError(f"the {xp.__name__} backend has no dtype {name!r} (the Array API's bool and numeric "
                        "dtypes only)")
    return getattr(xp, name)


def _is_strict_namespace(xp: Any) -> bool:
    return xp.__name__.startswith("array_api_strict")


def _is_array(obj: Any) -> bool:
    return hasattr(obj, "__array_namespace__") or type(obj).__module__.partition(".")[0] in ("numpy", "cupy")


def namespace(*objs: Any) -> Any:
    """The Array API namespace of the arrays among ``objs`` (scalars ignored)."""
    arrays = [o for o in objs if _is_array(o)]
    if all(type(a).__module__ == "numpy" for a in arrays):  # ndarrays and NumPy scalars: the common case,
        return _numpy_namespace()  # answered without array_api_compat's checks for every known library
    if any(type(a).__module__.startswith("numpy.ma") for a in arrays):
        from gpuscale.backends.array._masked import masked_namespace

        return masked_namespace()  # NumPy's namespace, with the functions that would drop masks replaced
    from array_api_compat import array_namespace

    return array_namespace(*arrays)


@functools.cache
def _numpy_namespace() -> Any:
    return module_for("array_api_compat.numpy")


def library_of(chunk: Any) -> str:
    """Backend name of a chunk: numpy, cupy or array_api_strict."""
    root = type(chunk).__module__.partition(".")[0]
    return root if root in DEVICES else "numpy"


def device_of(backend: str) -> Any:
    """The device objects of a backend put chunks on (array-api-strict: ``device1``)."""
    if backend == "array_api_strict":
        return module_for(backend).Device("device1")
    return None


def python_scalar_type(obj: Any) -> Any:
    """``bool/int/float/complex`` for Python and NumPy scalars, else None."""
    np = module_for("numpy")
    for kind in (bool, int, float, complex):
        if isinstance(obj, kind):
            return kind
    if isinstance(obj, np.generic):
        return {"b": bool, "i": int, "u": int, "f": float, "c": complex}.get(obj.dtype.kind)
    return None

# -- metadata: tiny host arrays of the chunk library's dtype rules ----------------------------------
def meta(backend: str, dtype: Any, ndim: int, own_library: bool = False) -> Any:
    """A one-element array with the dtype rules of ``backend``.

    gpuscale's own functions are answered on the host (CuPy shares NumPy's dtype rules, and no device
    is touched while a graph is built); ``own_library`` gives a chunk of the backend's own library, for
    user functions that may call it (``cupy.fft.fft(block)``), as dask's CuPy metadata does.
    """
    name = backend if own_library and backend == "cupy" else \
        "array_api_strict" if backend == "array_api_strict" else "numpy"
    xp = module_for(name)
    return xp.ones((1,) * ndim, dtype=xp_dtype(xp, numpy_dtype(dtype)))


class Meta:
    """Placeholder for an array operand in :func:`meta_call`: its dtype and ndim."""

    def __init__(self, dtype: Any, ndim: int) -> None:
        self.dtype, self.ndim = dtype, ndim


def meta_call(backend: str, func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` (a namespace name or callable) on tiny stand-ins; return NumPy dtype of the result."""
    import numpy as np

    own = not isinstance(func, str)  # a user function runs on chunks of the backend's library
    objects = any(isinstance(a, Meta) and numpy_dtype(a.dtype).kind == "O" for a in args)
    args = [meta(backend, a.dtype, a.ndim, own) if isinstance(a, Meta) else a for a in args]
    with np.errstate(all="ignore"):
        out = xp_call(func, *args, **kwargs) if isinstance(func, str) else func(*args, **kwargs)
    if isinstance(out, (tuple, list)):
        return [_dtype_of_result(o, objects) for o in out]
    return _dtype_of_result(out, objects)


def _dtype_of_result(out: Any, objects: bool = True) -> Any:
    if hasattr(out, "dtype"):
        return numpy_dtype(out.dtype)
    # a Python number from arrays of numbers (``lambda b: 5``) is NumPy's dtype of it, as dask; NumPy's
    # reductions of object arrays give the Python object itself (an int for a sum): an object dtype
    kind = python_scalar_type(out)
    return numpy_dtype(kind if kind is not None and not objects else "object")


def result_type(backend: str, *dtypes_or_scalars: Any) -> Any:
    """Array API type promotion of dtypes (and Python scalars), as a NumPy dtype."""
    xp = module_for("array_api_strict" if backend == "array_api_strict" else "numpy")
    args = [xp_dtype(xp, numpy_dtype(a)) if not isinstance(a, (bool, int, float, complex)) else a
            for a in dtypes_or_scalars]
    if not _is_strict_namespace(xp):
        return xp.result_type(*args)
    return numpy_dtype(xp.result_type(*args))

# -- data type functions (answered by NumPy, whose dtypes gpuscale.array uses) -----------------------------------
def dtype_function(name: str, *args: Any, **kwargs: Any) -> Any:
    """NumPy's ``finfo``, ``iinfo``, ``can_cast``, ``isdtype``, ``result_type`` (array-api-strict dtypes translated)."""
    np = module_for("numpy")
    args = [numpy_dtype(a) if hasattr(a, "_np_dtype") else a for a in args]
    return getattr(np, name)(*args, **kwargs)


def complex_dtype_of(dtype: Any) -> Any:
    """The complex dtype NumPy's transforms give: complex64 for float16/float32/complex64, the long complex for
    long doubles, else complex128."""
    np = module_for("numpy")
    found = numpy_dtype(dtype)
    if found in (np.float16, np.float32, np.complex64):
        return np.dtype("complex64")
    return np.dtype(np.clongdouble) if _is_long(found) else np.dtype("complex128")


def real_dtype_of(dtype: Any) -> Any:
    """float32 for float16/float32/complex64, the long double for long complex input, else float64."""
    np = module_for("numpy")
    found = numpy_dtype(dtype)
    if found in (np.float16, np.float32, np.complex64):
        return np.dtype("float32")
    return np.dtype(np.longdouble) if _is_long(found) else np.dtype("float64")


def _is_long(dtype: Any) -> bool:
    """Whether a float or complex dtype is wider than float64 / complex128 (NumPy's long double)."""
    return dtype.kind in "fc" and dtype.itemsize > (16 if dtype.kind == "c" else 8)


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
        func = getattr(func, part, None)
        if func is None:
            from gpuscale.backends.array._ufuncs import FALLBACKS  # NumPy's names the namespace lacks

            if name not in FALLBACKS:
                raise AttributeError(f"the namespace {xp.__name__} has no function {name!r}")
            return FALLBACKS[name](xp, *args, **kwargs)
    return func(*args, **kwargs)


def xp_call_checked(checks: tuple, name: str, *args: Any, **kwargs: Any) -> Any:
    """``xp_call(name, *args)`` after checking that blocks of unknown length line up.

    ``checks`` holds ``(axis, positions)`` pairs: the arguments at ``positions`` must have equal lengths
    along ``axis`` (counted from the right).  Their lengths were unknown when the graph was built, and a
    block of length 1 would otherwise broadcast silently against a longer one: a wrong answer.
    """
    for axis, positions in checks:
        lengths = [args[i].shape[axis] for i in positions]
        if len(set(lengths)) > 1:
            raise ValueError(f"{name}: blocks of unknown length do not line up along axis {axis} (lengths "
                             f"{lengths}): the arrays come from different data-dependent selections; call "
                             ".compute_chunk_sizes() on them first")
    return xp_call(name, *args, **kwargs)


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


def _sign(xp: Any, x: Any) -> Any:
    # NumPy's complex sign of a number with one infinite part is that part's direction (sign(inf + 1j) is
    # 1 + 0j); x / |x|, the standard's rule and array-api-compat's, gives NaN there (the standard leaves it
    # open).  A NaN part keeps the standard's NaN + NaN j (NumPy's sign(inf + nan j) is 1 + 0j)
    out = xp.sign(x)
    if numpy_dtype(x.dtype).kind != "c":
        return out
    real, imag = xp.real(x), xp.imag(x)
    along_real = xp.astype(xp.sign(real), x.dtype)
    along_imag = xp.astype(xp.sign(imag), x.dtype) * 1j + 0.0  # + 0.0: -1j's real part is -0, NumPy's +0
    one_infinite = (xp.isinf(real) != xp.isinf(imag)) & ~xp.isnan(real) & ~xp.isnan(imag)
    return xp.where(one_infinite, xp.where(xp.isinf(real), along_real, along_imag), out)


def _clip(xp: Any, x: Any, *bounds: Any, **kwargs: Any) -> Any:
    # array_api_compat's NumPy clip looks up integer limits of dates and timedeltas (and fails): NumPy's own
    if library_of(x) == "numpy" and numpy_dtype(x.dtype).kind in "mMO":
        return module_for("numpy").clip(x, *bounds, **kwargs)
    return xp.clip(x, *bounds, **kwargs)


def _raw_bytes(*args: Any) -> bool:
    return any(getattr(getattr(a, "dtype", None), "kind", None) == "V" for a in args)


def _equal(xp: Any, x1: Any, x2: Any) -> Any:
    # NumPy's equal ufunc has no loop for raw bytes and records (dtype kind "V"); its == operator compares them
    return x1 == x2 if _raw_bytes(x1, x2) else xp.equal(x1, x2)


def _not_equal(xp: Any, x1: Any, x2: Any) -> Any:
    return x1 != x2 if _raw_bytes(x1, x2) else xp.not_equal(x1, x2)


def _imag(xp: Any, x: Any) -> Any:
    # the standard's imag takes complex only (array-api-strict refuses floats); NumPy gives zeros of x's dtype
    if hasattr(x, "dtype") and numpy_dtype(x.dtype).kind != "c":
        return xp.zeros_like(x)
    return xp.imag(x)


def _real(xp: Any, x: Any) -> Any:
    # array-api-strict's real refuses booleans; NumPy's real of a real array is the array itself
    return x if hasattr(x, "dtype") and numpy_dtype(x.dtype).kind == "b" else xp.real(x)


_FIXES = {"floor_divide": _floor_divide, "expm1": _expm1, "tanh": _tanh, "clip": _clip, "equal": _equal,
          "not_equal": _not_equal, "sign": _sign, "imag": _imag,
          "real": _real}


def astype(x: Any, dtype: Any) -> Any:
    """Cast a chunk to a NumPy dtype."""
    xp = namespace(x)
    return xp.astype(x, xp_dtype(xp, dtype))


def identity(x: Any) -> Any:
    """Return ``x`` (an alias task)."""
    return x


def concat_nested(nested: Any, axes: tuple | None = None, ndim: int | None = None) -> Any:
    """Concatenate a nested list of chunks; depth ``d`` is joined along ``axes[d]``."""
    if not isinstance(nested, list):
        return nested
    depth = _depth(nested)
    axes = tuple(range(depth)) if axes is None else axes
    leaves = list(_leaves(nested, ()))
    if len(leaves) == 1:
        return leaves[0][1]
    from gpuscale.backends.array._extension import extension_concat, is_extension_block
    from gpuscale.backends.array._masked import has_masked, masked_concat
    from gpuscale.backends.array._sparse import is_sparse, sparse_concat

    if any(is_sparse(b) for _, b in leaves):  # SciPy / CuPy sparse blocks (2-d): joined by the sparse library
        return sparse_concat(nested, axes)
    if has_masked(b for _, b in leaves):  # one masked block makes the whole masked, as numpy.ma.concatenate
        return masked_concat(nested, axes)
    if depth == 1 and any(is_extension_block(b) for _, b in leaves):  # pandas' (isin of a nullable index)
        return extension_concat(nested)
    if len({numpy_dtype(b.dtype) for _, b in leaves}) > 1 or len({b.ndim for _, b in leaves}) > 1:
        return _concat_level(nested, axes, 0)  # mixed dtypes: let concat promote
    return _assemble(nested, leaves, axes)


def _leaves(nested: Any, path: tuple) -> Any:
    if not isinstance(nested, list):
        yield path, nested
        return
    for i, child in enumerate(nested):
        yield from _leaves(child, (*path, i))


def _first_leaf(nested: Any) -> Any:
    while isinstance(nested, list):
        nested = nested[0]
    return nested


def _assemble(nested: list, leaves: list, axes: tuple) -> Any:
    # one allocation and one copy per block (nested concat would copy once per level)
    first = leaves[0][1]
    xp = namespace(first)
    offsets, shape, node = [], list(first.shape), nested
    for level, axis in enumerate(axes):
        sizes = [_first_leaf(child).shape[axis] for child in node]
        offsets.append([sum(sizes[:i]) for i in range(len(sizes) + 1)])
        shape[axis] = sum(sizes)
        node = node[0]
    kwargs = {"device": first.device} if library_of(first) == "array_api_strict" else {}
    out = xp.empty(tuple(shape), dtype=first.dtype, **kwargs)

    def put(leaf: tuple) -> None:
        path, block = leaf
        index = [slice(None)] * first.ndim
        for level, i in enumerate(path):
            index[axes[level]] = slice(offsets[level][i], offsets[level][i + 1])
        out[tuple(index)] = block

    _copy_blocks(put, leaves, out)
    return out


_PARALLEL_COPY_BYTES = 64 * 2**20


def _copy_blocks(put: Any, leaves: list, out: Any) -> None:
    """Copy the blocks into ``out``; a large NumPy result is filled by one thread per core, since
    touching fresh memory (page faults) dominates the copy and NumPy copies without the GIL."""
    threads = min(os.cpu_count() or 1, len(leaves))
    if threads < 2 or library_of(out) != "numpy" or out.nbytes < _PARALLEL_COPY_BYTES:
        for leaf in leaves:
            put(leaf)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads, thread_name_prefix="gpuscale-assemble") as pool:
        list(pool.map(put, leaves))


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


def block_shape(x: Any) -> tuple:
    """The shape of a block, as Python ints."""
    return tuple(int(n) for n in x.shape)


def pick(obj: Any, i: int) -> Any:
    """``obj[i]`` of a tuple result."""
    return obj[i]


def call_with_array_kwargs(name: str, array_kwargs: tuple, *args: Any, **kwargs: Any) -> Any:
    """``xp_call(name, ...)`` where the last ``len(array_kwargs)`` arguments are keyword arrays."""
    n = len(array_kwargs)
    positional, named = (args[:-n], args[-n:]) if n else (args, ())
    return xp_call(name, *positional, **kwargs, **dict(zip(array_kwargs, named)))


def call_with_block_info(func: Any, info: Any, block_id: tuple, *args: Any, **kwargs: Any) -> Any:
    """Call a ``map_blocks`` function that wants ``block_info`` (``info.for_block(block_id)``, and its
    ``block_id`` too when ``info.block_id``)."""
    if info.block_id:
        kwargs["block_id"] = block_id
    return func(*args, block_info=info.for_block(block_id), **kwargs)


def call_with_block_id(func: Any, block_id: tuple, *args: Any, **kwargs: Any) -> Any:
    """Call a ``map_blocks`` function that wants its ``block_id``."""
    return func(*args, block_id=block_id, **kwargs)
