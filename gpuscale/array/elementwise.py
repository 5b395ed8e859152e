"""Element-wise functions of the Array API standard, with broadcasting and type promotion.

Each function records one ``Blockwise`` node calling the namespace function of
the same name on every block; operands are broadcast (shapes checked now,
as NumPy would) and their blocks aligned by rechunking.  Result dtypes come
from running the same function on one-element arrays of the chunk library,
so promotion rules are the library's own.
"""

from __future__ import annotations

import operator
import sys
from typing import Any

from gpuscale.array import _ufunc_keywords as kw
from gpuscale.array.chunk_types import is_registered
from gpuscale.array.conversion import is_dask_array
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.rechunk import align_chunks
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array import _sources


UNARY = [
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "bitwise_invert", "ceil", "conj", "cos", "cosh",
    "exp", "expm1", "floor", "imag", "isfinite", "isinf", "isnan", "log", "log1p", "log2", "log10",
    "logical_not", "negative", "positive", "real", "reciprocal", "sign", "signbit", "sin", "sinh", "square",
    "sqrt", "tan", "tanh", "trunc",
]
BINARY = [
    "add", "atan2", "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "copysign", "divide", "equal", "floor_divide", "greater", "greater_equal", "hypot", "less", "less_equal",
    "logaddexp", "logical_and", "logical_or", "logical_xor", "maximum", "minimum", "multiply", "nextafter",
    "not_equal", "pow", "remainder", "subtract",
]


def is_operand(obj: Any) -> bool:
    """True for what an operator accepts: arrays, Python/NumPy scalars, strings (``x == "a"`` of a string
    array) and lists/tuples (as NumPy's ``x * [0, 0, 1]``; the list's own ``*`` would repeat it).
    Chunk-library arrays are known by their module too: CuPy 14's have no ``__array_namespace__``. A dask array
    is taken as ``asarray`` takes it (its blocks' tasks run by gpuscale), so ``dask_x + x`` is a gpuscale array."""
    return is_array(obj) or isinstance(obj, (list, tuple, str, bytes)) or chunkfn.python_scalar_type(obj) is not None \
        or hasattr(obj, "__array_namespace__") or _sources.is_chunk(obj) or is_registered(obj) or is_dask_array(obj)


def broadcast_shapes(*shapes: tuple) -> tuple:
    """The broadcast shape, or the error NumPy gives for incompatible shapes."""
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for d in range(ndim):
        sizes = {s[d - ndim + len(s)] for s in shapes if d - ndim + len(s) >= 0}
        known = {n for n in sizes if n == n and n != 1}  # n == n drops nan
        if len(known) > 1:
            text = " ".join(str(tuple(s)) for s in shapes)
            raise ValueError(f"operands could not be broadcast together with shapes {text}")
        if known:
            out.append(known.pop())
        else:
            out.append(float("nan") if any(n != n for n in sizes) else 1)
    return tuple(out)


def _as_operand(obj: Any, backend: str) -> Any:
    if is_array(obj) and obj.backend != backend:  # a host array joins the device array it is used with
        return obj.to_backend(backend)
    if obj is None or is_array(obj) or chunkfn.python_scalar_type(obj) in (bool, int, float, complex) and \
            not hasattr(obj, "dtype"):
        return obj
    from gpuscale.array.creation import asarray

    return asarray(obj, backend=backend)


def _backend(args: list) -> str:
    """The backend of an element-wise result: the operands' one; host (NumPy) arrays used with arrays of one
    device backend join it, as NumPy data does (xarray's NumPy weights or coordinates with CuPy chunks), unless
    the device cannot hold their dtype (xarray's ``idxmin`` picks from a datetime coordinate where a device mask
    says): then the device operands come to the host."""
    names = {a.backend for a in args if is_array(a)}
    devices = names - {"numpy"}
    if len(devices) > 1:
        raise ValueError(f"cannot combine arrays of different device backends {sorted(devices)}; use .to_backend()")
    if devices:
        device = devices.pop()
        held = all(chunkfn.holds_dtype(device, a.dtype) for a in args if is_array(a) and a.backend == "numpy")
        return device if held else "numpy"
    if names:
        return names.pop()
    from gpuscale.backends import resolve_array_backend

    return resolve_array_backend(None)


def elementwise(name: str, *args: Any, **kwargs: Any) -> Array:
    """Apply namespace function ``name`` element-wise to arrays and scalars (broadcasting)."""
    backend = _backend(list(args))
    args = [_as_operand(a, backend) for a in args]
    arrays = [a for a in args if is_array(a)]
    if not arrays:
        from gpuscale.array.creation import asarray

        args[0] = asarray(args[0], backend=backend)
        arrays = [args[0]]
    shape = broadcast_shapes(*(a.shape for a in arrays))
    ndim = len(shape)
    aligned = align_chunks([a._expr for a in arrays], ndim, name)
    checks = _length_checks(args, aligned, ndim)
    aligned = iter(aligned)
    exprs = [next(aligned) if is_array(a) else a for a in args]
    metas = [chunkfn.Meta(a.dtype, a.ndim) if is_array(a) else a for a in args]
    dtype = chunkfn.meta_call(backend, name, *metas, **kwargs)
    from gpuscale.array.expr import elementwise_chunks

    chunks = elementwise_chunks([e.chunks for e in exprs if not _is_scalar(e)])
    inds = [tuple(range(ndim - e.ndim, ndim)) if not _is_scalar(e) else None for e in exprs]
    if checks:
        node = blockwise_expr(chunkfn.xp_call_checked, tuple(range(ndim)), chunks, dtype, backend, checks, name,
                              *exprs, arg_inds=(None, None, *inds), kwargs=kwargs)
    else:
        node = blockwise_expr(chunkfn.xp_call, tuple(range(ndim)), chunks, dtype, backend, name, *exprs,
                              arg_inds=(None, *inds), kwargs=kwargs)
    return Array(node)


def _length_checks(args: list, aligned: list, ndim: int) -> tuple:
    """``(axis, argument positions)`` whose block lengths are unknown and must be checked when computed."""
    from gpuscale.array.rechunk import unknown_axes

    if not any(n != n for e in aligned for n in e.shape):  # n != n: nan, an unknown length
        return ()
    positions = [i for i, a in enumerate(args) if is_array(a)]
    return tuple((axis, tuple(positions[j] for j in among)) for axis, among in unknown_axes(aligned, ndim))


def _is_scalar(obj: Any) -> bool:
    return not hasattr(obj, "chunks")


def _on_host_arrays(*args: Any) -> bool:
    """No gpuscale array among ``args`` but a NumPy one: dask.array's functions then return NumPy's answer."""
    return not any(is_array(a) for a in args) and any(chunkfn.library_of(a) == "numpy" and hasattr(a, "ndim")
                                                      for a in args)


def _is_lazy_frame(obj: Any) -> bool:
    return hasattr(obj, "__dask_graph__") and hasattr(obj, "npartitions") and not is_array(obj)


def _is_frame(obj: Any) -> bool:
    """A pandas/cuDF DataFrame, Series or Index, or a lazy one (they answer NumPy's ufuncs themselves)."""
    from gpuscale.backends import _detect

    return _detect.is_frame_object(obj) or _is_lazy_frame(obj)


def _frames_as_arrays(name: str, args: tuple) -> tuple | None:
    """The arguments with each lazy DataFrame/Series as a lazy array of its values (in its own backend) when
    ``name`` is a NumPy function that is no ufunc (``isreal``, ``angle``, ``real`` ...), as dask.array's give a
    lazy array there (NumPy would compute the frame); None otherwise (a ufunc's frame answers itself through
    ``__array_ufunc__``: a lazy Series, as dask)."""
    if chunkfn.numpy_ufunc(name) is not None or not any(_is_lazy_frame(a) for a in args):
        return None
    from gpuscale.array.creation import asarray

    return tuple(asarray(a) if _is_lazy_frame(a) else a for a in args)


def numpy_or_lazy(name: str, *args: Any, **kwargs: Any) -> Any:
    """NumPy's own answer for NumPy inputs (as dask.array's functions give), else the lazy element-wise call."""
    arrays = _frames_as_arrays(name, args)
    if arrays is not None:
        return elementwise(name, *arrays, **kwargs)
    if _on_host_arrays(*args):
        return chunkfn.xp_call(name, *args, **kwargs)
    return elementwise(name, *args, **kwargs)


def call_ufunc(name: str, args: tuple, out: Any = None, where: Any = True, dtype: Any = None,
               casting: str = "same_kind", **extra: Any) -> Any:
    """Element-wise ``name`` with NumPy's ufunc keywords: NumPy's own answer for NumPy inputs (as dask.array),
    else a lazy gpuscale array."""
    given = {"out": out, "where": where, "dtype": dtype, "casting": casting, **extra}
    defaults = {"out": None, "where": True, "dtype": None, "casting": "same_kind"}
    keywords = {k: v for k, v in given.items() if k not in defaults or v is not defaults[k]}
    ufunc = chunkfn.numpy_ufunc(name)
    if ufunc is not None and any(_is_frame(a) for a in (*args, out)):  # as dask.array's ufuncs hand frames over:
        return ufunc(*args, **keywords)  # pandas answers at once, a lazy frame lazily (out= a lazy frame too)
    args = _frames_as_arrays(name, args) or args
    if _on_host_arrays(*args, out, where):
        return chunkfn.xp_call(name, *args, **keywords)
    if not kw.uses_keywords(out, where, dtype, extra) and casting == "same_kind":
        return elementwise(name, *args)
    return kw.ufunc_call(name, args, out=out, where=where, dtype=dtype, casting=casting, **extra)


def _make(name: str, arity: int) -> Any:
    if arity == 1:
        def func(x: Any, /, out: Any = None, *, where: Any = True, dtype: Any = None, casting: str = "same_kind",
                 **kwargs: Any) -> Array:
            return call_ufunc(name, (x,), out, where, dtype, casting, **kwargs)
    else:
        def func(x1: Any, x2: Any, /, out: Any = None, *, where: Any = True, dtype: Any = None,
                 casting: str = "same_kind", **kwargs: Any) -> Array:
            return call_ufunc(name, (x1, x2), out, where, dtype, casting, **kwargs)
    func.__name__ = func.__qualname__ = name
    func.__doc__ = _doc(name, arity)
    return kw.with_ufunc_attributes(func, name)


KEYWORDS_DOC = """
out : Array, optional
    NumPy's ufunc keyword: this gpuscale array takes the result (cast to its dtype where ``casting`` allows).
where : bool or Array, optional
    Compute only where true; elsewhere the result holds ``out``'s values, or 0 without ``out``.
dtype : dtype, optional
    Compute in this dtype (the inputs are cast to it by ``casting``).
casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}
    The casts allowed for ``dtype`` and ``out``.
**kwargs
    NumPy's ``order=`` and ``subok=``: accepted, they change nothing for a lazy result."""


def _doc(name: str, arity: int) -> str:
    from gpuscale.array._elementwise_docs import BINARY as binary, UNARY as unary

    summary, example, output = (unary if arity == 1 else binary)[name]
    call = f"ga.asarray({example})" if arity == 1 else example
    params = ("x : Array or scalar\n    Input." if arity == 1 else
              "x1, x2 : Array or scalar\n    Inputs, broadcast together (blocks aligned by rechunking).") + KEYWORDS_DOC
    return f"""{summary}, element-wise (the Array API's ``{name}``), lazily, block by block.

Parameters
----------
{params}

Returns
-------
Array
    The broadcast shape; the dtype the chunk library gives for these inputs (NumPy's result for NumPy
    inputs, as dask.array).

Examples
--------
>>> import gpuscale.array as ga
>>> ga.{name}({call}).compute().tolist()
{output}
"""


__all__ = [*UNARY, *BINARY, "round", "clip", "matmul"]

_this = sys.modules[__name__]
for _name in UNARY:
    setattr(_this, _name, _make(_name, 1))
for _name in BINARY:
    setattr(_this, _name, _make(_name, 2))


def round(x: Any, /, decimals: int = 0) -> Array:  # noqa: A001 - Array API name
    """Round to the nearest integer-valued number, or to ``decimals`` places (NumPy's ``round``), element-wise.

    Parameters
    ----------
    x : Array
        Input.
    decimals : int
        Decimal places (an extension of the standard's ``round``; positional too, as in NumPy and dask):
        negative values round to
        tens, hundreds, ...; halves go to the even neighbour; integers are unchanged for ``decimals >= 0``
        (:func:`gpuscale.array.around`: values are scaled by ``10**decimals``, rounded and scaled back).

    Returns
    -------
    Array
        Same dtype as ``x`` (float16 for booleans, as NumPy).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.round(ga.asarray([1.25, 2.5, -0.5])).compute().tolist()
    [1.0, 2.0, -0.0]
    >>> ga.round(ga.asarray([1.234, 5.678]), decimals=1).compute().tolist()
    [1.2, 5.7]
    >>> ga.round(ga.asarray([15, 25, 37]), decimals=-1).compute().tolist()
    [20, 20, 40]
    """
    decimals = operator.index(decimals)  # NumPy's TypeError for 'a' or 1.5, at once
    if decimals == 0 and getattr(getattr(x, "dtype", None), "kind", None) != "b":  # (bool: around's float16)
        return elementwise("round", x)
    from gpuscale.array.ufuncs import around

    return around(x, decimals)


def clip(x: Array, /, min: Any = None, max: Any = None, *,  # noqa: A002
         a_min: Any = None, a_max: Any = None) -> Array:
    """Clamp each element to ``[min, max]``, element-wise.

    Parameters
    ----------
    x : Array
        Input.
    min, max : Array or scalar, optional
        Bounds, broadcast against ``x``; None leaves that side open.
    a_min, a_max : Array or scalar, optional
        NumPy's names of ``min`` and ``max`` (give one spelling per side, as NumPy 2).

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([-2, 0, 3, 7], chunks=2)
    >>> ga.clip(x, 0, 5).compute().tolist(), ga.clip(x, max=1).compute().tolist()
    ([0, 0, 3, 5], [-2, 0, 1, 1])
    """
    min, max = _bound("min", min, a_min), _bound("max", max, a_max)
    if _is_frame(x):  # a pandas or lazy DataFrame/Series clips itself (its own type back), as dask.array's clip
        return x.clip(min, max)
    if min is None and max is None:
        return Array(x._expr)  # a new collection: in-place updates of one must not change the other
    x, min, max = _promoted_for_bounds(x, min, max)
    return elementwise("clip", x, min, max)


def _bound(name: str, value: Any, numpy_value: Any) -> Any:
    """One bound of ``clip`` given as the standard's ``min``/``max`` or NumPy's ``a_min``/``a_max``."""
    if numpy_value is None:
        return value
    if value is not None:
        raise ValueError(f"clip: pass {name}= or a_{name}=, not both (NumPy 2 forbids passing both spellings)")
    return numpy_value


def _promoted_for_bounds(x: Array, *bounds: Any) -> tuple:
    """``x`` and its bounds cast to the type they promote to, as NumPy's ``clip`` (float bounds of an integer
    array give floats, an int16 bound of an int8 array int16).  Bounds with a dtype (NumPy scalars, arrays)
    take that type too: the namespaces' ``clip`` reads a bound narrower than ``x`` by ``x``'s range and
    overflows (an int8 bound of an int64 array); Python scalars stay weak."""
    from gpuscale.array.dtypes import result_type

    given = [b for b in bounds if b is not None]
    target = chunkfn.numpy_dtype(result_type(x, *given))
    if chunkfn.numpy_dtype(x.dtype) != target:
        x = x.astype(target)
    return (x, *(_bound_as(b, target, x.backend) for b in bounds))


def _bound_as(bound: Any, target: Any, backend: str) -> Any:
    """One ``clip`` bound of ``target``'s type, unless it is None or a Python scalar."""
    if bound is None or not hasattr(bound, "dtype"):
        return bound
    bound = _as_operand(bound, backend)
    return bound if chunkfn.numpy_dtype(bound.dtype) == target else bound.astype(target)


def matmul(x1: Array, x2: Array, /) -> Array:
    """Matrix product: :func:`gpuscale.array.linalg.matmul` (``gpuscale.array.matmul``), here for ``@``.

    Parameters
    ----------
    x1, x2 : Array
        At least 1-d operands.

    Returns
    -------
    Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> from gpuscale.array.elementwise import matmul
    >>> matmul(ga.asarray([[1, 2], [3, 4]]), ga.asarray([1, 1])).compute().tolist()
    [3, 7]
    """
    from gpuscale.array.linalg import matmul as _matmul

    return _matmul(x1, x2)
