"""NumPy's ``__array_ufunc__`` protocol: ``np.sin(x)``, ``np.add(x, 1, where=m)``, ``np.add.outer(x, y)`` stay
lazy gpuscale arrays.

A ufunc called on a gpuscale array (``np.sin(x)``, ``np.add(x, 1)``, ``ndarray + x``) becomes the
element-wise function of the same name (NumPy's names mapped to the standard's: ``arccos`` -> ``acos``,
``power`` -> ``pow`` ...) with NumPy's ``out=``/``where=``/``dtype=``/``casting=``
(``gpuscale/array/_ufunc_keywords.py``); one not in the standard is called by name in the chunk
library (NumPy and CuPy chunks); gufuncs and ufuncs of other libraries (numba's ``@vectorize`` /
``@guvectorize``) run through :func:`gpuscale.array.apply_gufunc` (with ``axes``/``axis``/``keepdims``).
``ufunc.reduce`` of ``add``, ``multiply``, ``maximum``, ``minimum``, ``logical_and/or``,
``fmax``/``fmin`` is the tree reduction (``sum``, ``prod``, ``max``, ``min``, ``all``, ``any``,
``nanmax``, ``nanmin``), ``ufunc.accumulate`` of ``add``/``multiply`` the scan, ``ufunc.outer`` an
outer broadcast; matmul and vecdot are gpuscale's own.  Anything else returns ``NotImplemented``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.array.nanreductions import handle_out
from gpuscale.array.protocols import _arr, _arrays, _ga, _known_operand, _no, _Unsupported

__all__ = ["array_ufunc", "UFUNC_NAMES"]

# NumPy ufunc name -> the Array API name used by gpuscale.array
UFUNC_NAMES = {
    "absolute": "abs", "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh",
    "arctan": "atan", "arctan2": "atan2", "arctanh": "atanh", "power": "pow", "true_divide": "divide",
    "invert": "bitwise_invert", "left_shift": "bitwise_left_shift", "right_shift": "bitwise_right_shift",
    "conjugate": "conj", "mod": "remainder",
}
_REDUCE = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min", "logical_and": "all",
           "logical_or": "any", "fmax": "nanmax", "fmin": "nanmin"}
_ACCUMULATE = {"add": "cumulative_sum", "multiply": "cumulative_prod"}


# -- __array_ufunc__ -------------------------------------------------------------------------------------------
def array_ufunc(ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """``Array.__array_ufunc__``: the lazy equivalent, or ``NotImplemented``."""
    out = kwargs.pop("out", None)
    if not all(_known_operand(i) for i in inputs) or (out is not None and not all(is_array(o) for o in out)):
        return NotImplemented
    try:
        if method == "__call__":
            result = _ufunc_call(ufunc, inputs, kwargs, out)
        elif method == "reduce":
            result = _ufunc_reduce(ufunc, inputs, kwargs)
        elif method == "accumulate":
            result = _ufunc_accumulate(ufunc, inputs, kwargs)
        elif method == "outer":
            result = _ufunc_outer(ufunc, inputs, kwargs)
        else:
            return NotImplemented
    except (_Unsupported, AttributeError):
        return NotImplemented
    if out is None:
        return result
    if isinstance(result, tuple):
        return tuple(handle_out(o, r) for o, r in zip(out, result))
    return handle_out(out, result)


def _ufunc_kwargs(kwargs: dict) -> dict:
    """NumPy's ufunc keywords gpuscale takes: ``dtype``, ``where``, ``casting``, and a gufunc's ``axes``/``axis``/
    ``keepdims`` (``order``/``subok`` change nothing for a lazy result)."""
    taken = {k: kwargs.pop(k) for k in ("dtype", "where", "casting", "axes", "axis", "keepdims") if k in kwargs}
    for ignored in ("order", "subok"):
        kwargs.pop(ignored, None)
    if kwargs:
        raise _Unsupported(f"ufunc arguments {sorted(kwargs)}")
    return taken


def _foreign(ufunc: Any) -> bool:
    """A ufunc made outside NumPy (numba's ``@vectorize`` / ``@guvectorize``): it runs on the chunks itself."""
    import sys

    numpy = sys.modules.get("numpy")  # loaded: the ufunc is a numpy.ufunc
    return numpy is None or getattr(numpy, ufunc.__name__, None) is not ufunc


def _ufunc_call(ufunc: Any, inputs: tuple, kwargs: dict, out: tuple | None = None) -> Any:
    ga = _ga()
    keywords = _ufunc_kwargs(kwargs)
    name = ufunc.__name__
    elementwise = ufunc.signature is None and ufunc.nout == 1 and not _foreign(ufunc) and name != "matmul"
    if elementwise:
        from gpuscale.array._ufunc_keywords import ufunc_call

        return ufunc_call(UFUNC_NAMES.get(name, name), inputs, out=out[0] if out else None, **keywords)
    dtype = keywords.pop("dtype", None)
    where = keywords.pop("where", True)
    if where is not True and (ufunc.signature is not None or _foreign(ufunc)):
        raise _Unsupported(f"{name}(where=)")  # a gufunc's or another library's: NumPy's where= is not theirs
    casting = keywords.pop("casting", "same_kind")
    gufunc_axes = {k: keywords.pop(k) for k in ("axes", "axis", "keepdims") if k in keywords}
    if gufunc_axes and name in ("matmul", "vecdot"):
        raise _Unsupported(f"{name}(axes=/axis=/keepdims=)")
    if name == "matmul":
        a, b = _arrays(inputs)
        result = ga.matmul(a, b)
    elif name == "vecdot":
        a, b = _arrays(inputs)
        result = ga.vecdot(a, b)
    elif ufunc.signature is not None or ufunc.nout > 1 or _foreign(ufunc):
        import functools

        from gpuscale.array.gufuncs import apply_gufunc
        from gpuscale.backends import array as chunkfn

        signature = ufunc.signature or ",".join(["()"] * ufunc.nin) + "->" + ",".join(["()"] * ufunc.nout)
        arrays = _arrays(inputs)
        if any(a.backend == "array_api_strict" for a in arrays):
            raise _Unsupported(f"{name}: not in the Array API")
        # NumPy's own by name (CuPy chunks get CuPy's); another library's ufunc itself, as dask.array calls it
        func = ufunc if _foreign(ufunc) else functools.partial(chunkfn.xp_call, name)
        # NumPy's call takes any blocks: core dimensions are gathered
        result = apply_gufunc(func, signature, *arrays, allow_rechunk=True, **gufunc_axes)
    if dtype is not None:
        result = tuple(r.astype(dtype) for r in result) if isinstance(result, tuple) else result.astype(dtype)
    if where is not True:  # NumPy's own ufunc of several outputs (frexp, modf, divmod)
        from gpuscale.array._ufunc_keywords import finish_outputs

        return finish_outputs(name, result, out, where, casting)
    return result


def _ufunc_reduce(ufunc: Any, inputs: tuple, kwargs: dict) -> Array:
    ga = _ga()
    name = _REDUCE.get(ufunc.__name__)
    if name is None or len(inputs) != 1:
        raise _Unsupported(f"{ufunc.__name__}.reduce")
    x = _arr(inputs[0])
    axis = kwargs.pop("axis", 0)
    keepdims = kwargs.pop("keepdims", False)
    dtype = kwargs.pop("dtype", None)
    if kwargs.pop("where", True) is not True or "initial" in kwargs:
        raise _Unsupported("where= / initial=")
    _no(kwargs, f"{ufunc.__name__}.reduce")
    if dtype is not None and name in ("sum", "prod"):
        return getattr(ga, name)(x, axis=axis, keepdims=keepdims, dtype=dtype)
    out = getattr(ga, name)(x, axis=axis, keepdims=keepdims)
    return out.astype(dtype) if dtype is not None else out


def _ufunc_accumulate(ufunc: Any, inputs: tuple, kwargs: dict) -> Array:
    name = _ACCUMULATE.get(ufunc.__name__)
    if name is None or len(inputs) != 1:
        raise _Unsupported(f"{ufunc.__name__}.accumulate")
    axis = kwargs.pop("axis", 0)
    dtype = kwargs.pop("dtype", None)
    _no(kwargs, f"{ufunc.__name__}.accumulate")
    return getattr(_ga(), name)(_arr(inputs[0]), axis=axis, dtype=dtype)


def _ufunc_outer(ufunc: Any, inputs: tuple, kwargs: dict) -> Array:
    from gpuscale.array.manipulation import reshape

    if len(inputs) != 2 or ufunc.nout != 1:
        raise _Unsupported(f"{ufunc.__name__}.outer")
    a, b = _arrays(inputs)
    a = reshape(a, a.shape + (1,) * b.ndim)
    return _ufunc_call(ufunc, (a, b), kwargs)
