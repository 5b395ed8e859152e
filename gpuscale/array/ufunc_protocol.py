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
outer broadcast; matmul and vecdot are gpuscale's own.  Python scalars stay Python scalars (NumPy's weak
scalars: ``scipy.special.jv(1, float32s)`` is float32) and ``dtype=`` is the loop's dtype.  Anything else
raises ``TypeError`` naming what is not supported, or returns ``NotImplemented`` where another operand
type handles ufuncs itself.
"""

from __future__ import annotations

import functools
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
            raise _Unsupported(f"the ufunc method {method!r} is not supported")
    except _Unsupported as exc:
        if _another_may_handle(inputs):
            return NotImplemented
        # else NumPy's "operand type(s) all returned NotImplemented" would hide what is not supported
        label = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise TypeError(f"{label}() of a gpuscale array: {exc}") from None
    except AttributeError:
        return NotImplemented
    if out is None:
        return result
    if isinstance(result, tuple):
        return tuple(handle_out(o, r) for o, r in zip(out, result))
    return handle_out(out, result)


def _another_may_handle(inputs: tuple) -> bool:
    """An operand with its own ``__array_ufunc__`` (a dask array, a registered chunk type): NumPy gives it a turn
    when gpuscale returns ``NotImplemented``.  NumPy's own types and Python scalars have none to give."""
    return any(not is_array(i) and type(i).__module__.partition(".")[0] != "numpy" and
               getattr(type(i), "__array_ufunc__", None) is not None for i in inputs)


def _ufunc_kwargs(kwargs: dict) -> dict:
    """NumPy's ufunc keywords gpuscale takes: ``dtype``, ``where``, ``casting``, and a gufunc's ``axes``/``axis``/
    ``keepdims`` (``order``/``subok`` change nothing for a lazy result)."""
    taken = {k: kwargs.pop(k) for k in ("dtype", "where", "casting", "axes", "axis", "keepdims") if k in kwargs}
    for ignored in ("order", "subok"):
        kwargs.pop(ignored, None)
    if kwargs:
        raise _Unsupported(f"the ufunc arguments {sorted(kwargs)} are not supported")
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
        # a gufunc's or another library's: NumPy's where= is not theirs
        raise _Unsupported("where= is not supported (for a gufunc or a ufunc of another library)")
    casting = keywords.pop("casting", "same_kind")
    gufunc_axes = {k: keywords.pop(k) for k in ("axes", "axis", "keepdims") if k in keywords}
    if gufunc_axes and name in ("matmul", "vecdot"):
        raise _Unsupported("axes=/axis=/keepdims= are not supported")
    if name == "matmul":
        a, b = _arrays(inputs)
        result = ga.matmul(a, b)
    elif name == "vecdot":
        a, b = _arrays(inputs)
        result = ga.vecdot(a, b)
    elif ufunc.signature is not None or ufunc.nout > 1 or _foreign(ufunc):
        result = _apply_ufunc(ufunc, inputs, dtype, casting, gufunc_axes)
    if dtype is not None and name in ("matmul", "vecdot"):
        result = result.astype(dtype)
    if where is not True:  # NumPy's own ufunc of several outputs (frexp, modf, divmod)
        from gpuscale.array._ufunc_keywords import finish_outputs

        return finish_outputs(name, result, out, where, casting)
    return result


def _python_scalar(obj: Any) -> bool:
    # Python's own (not NumPy's scalars, which are strong): NumPy's promotion treats them as weak (NEP 50)
    return type(obj) in (bool, int, float, complex)


def _apply_ufunc(ufunc: Any, inputs: tuple, dtype: Any, casting: str, gufunc_axes: dict) -> Any:
    """A gufunc, a NumPy ufunc of several outputs or another library's ufunc, block by block through
    :func:`apply_gufunc`; Python scalars are passed to each block call as they are, ``dtype=`` too."""
    from gpuscale.array.gufuncs import apply_gufunc
    from gpuscale.backends import array as chunkfn

    name = ufunc.__name__
    weak = ufunc.signature is None and any(_python_scalar(i) for i in inputs)  # a gufunc's are arrays
    scalars = tuple((k, i) for k, i in enumerate(inputs) if weak and _python_scalar(i))
    arrays = _arrays([i for i in inputs if not (weak and _python_scalar(i))])
    if not arrays:  # only scalars and out=: NumPy's arrays of them
        return _apply_ufunc(ufunc, tuple(_arrays(inputs)), dtype, casting, gufunc_axes)
    if any(a.backend == "array_api_strict" for a in arrays):
        raise _Unsupported(f"{name} is not in the Array API (array-api-strict blocks)")
    # NumPy's own by name (CuPy chunks get CuPy's); another library's ufunc itself, as dask.array calls it
    func = ufunc if _foreign(ufunc) else functools.partial(chunkfn.xp_call, name)
    if scalars:
        func = functools.partial(_with_scalars, func, scalars)
    nin = len(arrays)
    signature = ufunc.signature or ",".join(["()"] * nin) + "->" + ",".join(["()"] * ufunc.nout)
    blocks = iter(arrays)  # the operands as the blocks see them: arrays, and Python scalars where weak
    kinds = tuple((chunkfn.numpy_dtype(bool) if type(i) is bool else type(i)) if weak and _python_scalar(i) else
                  chunkfn.numpy_dtype(next(blocks).dtype) for i in inputs)
    loop = _has_loop(ufunc, kinds, dtype, casting)
    in_blocks = {"dtype": dtype, **({} if casting == "same_kind" else {"casting": casting})} if loop else {}
    # NumPy's call takes any blocks: core dimensions are gathered
    result = apply_gufunc(func, signature, *arrays, allow_rechunk=True, **gufunc_axes, **in_blocks)
    if dtype is None or loop:
        return result
    results = result if isinstance(result, tuple) else (result,)
    if not all(chunkfn.dtype_function("can_cast", chunkfn.numpy_dtype(r.dtype), dtype, casting=casting)
               for r in results):
        raise TypeError(f"No loop matching the specified signature and casting was found for ufunc {name} "
                        f"(dtype={chunkfn.numpy_dtype(dtype)}, casting={casting!r})")
    return tuple(r.astype(dtype) for r in results) if isinstance(result, tuple) else result.astype(dtype)


def _has_loop(ufunc: Any, kinds: tuple, dtype: Any, casting: str) -> bool:
    """Whether ``ufunc`` has a loop whose outputs are ``dtype`` for operands of ``kinds`` (dtypes, and the
    Python types of weak scalars): ``dtype=`` then goes to each block call, as NumPy computes in it; where
    none has (or the ufunc cannot say), the result is cast to it, as dask.array does."""
    from gpuscale.backends import array as chunkfn

    if dtype is None or not hasattr(ufunc, "resolve_dtypes"):
        return False
    wanted = chunkfn.numpy_dtype(dtype)
    try:
        ufunc.resolve_dtypes(kinds + (None,) * ufunc.nout, signature=(None,) * ufunc.nin + (wanted,) * ufunc.nout,
                             casting=casting)
    except (TypeError, ValueError):  # NumPy's "No loop matching ..." (or a gufunc's refusal)
        return False
    return True


def _with_scalars(func: Any, scalars: tuple, *blocks: Any, **kwargs: Any) -> Any:
    """``func`` on ``blocks`` with the Python scalars ``(position, value)`` back in their places."""
    args = list(blocks)
    for position, value in scalars:
        args.insert(position, value)
    return func(*args, **kwargs)


def _ufunc_reduce(ufunc: Any, inputs: tuple, kwargs: dict) -> Array:
    ga = _ga()
    name = _REDUCE.get(ufunc.__name__)
    if name is None or len(inputs) != 1:
        raise _Unsupported(f"only the reductions of {sorted(_REDUCE)} of one array are supported")
    x = _arr(inputs[0])
    axis = kwargs.pop("axis", 0)
    keepdims = kwargs.pop("keepdims", False)
    dtype = kwargs.pop("dtype", None)
    if kwargs.pop("where", True) is not True or "initial" in kwargs:
        raise _Unsupported("where= and initial= are not supported")
    _no(kwargs, f"{ufunc.__name__}.reduce")
    if dtype is not None and name in ("sum", "prod"):
        return getattr(ga, name)(x, axis=axis, keepdims=keepdims, dtype=dtype)
    out = getattr(ga, name)(x, axis=axis, keepdims=keepdims)
    return out.astype(dtype) if dtype is not None else out


def _ufunc_accumulate(ufunc: Any, inputs: tuple, kwargs: dict) -> Array:
    name = _ACCUMULATE.get(ufunc.__name__)
    if name is None or len(inputs) != 1:
        raise _Unsupported(f"only the scans of {sorted(_ACCUMULATE)} of one array are supported")
    axis = kwargs.pop("axis", 0)
    dtype = kwargs.pop("dtype", None)
    _no(kwargs, f"{ufunc.__name__}.accumulate")
    return getattr(_ga(), name)(_arr(inputs[0]), axis=axis, dtype=dtype)


def _ufunc_outer(ufunc: Any, inputs: tuple, kwargs: dict) -> Array:
    from gpuscale.array.manipulation import reshape

    if len(inputs) != 2 or ufunc.nout != 1:
        raise _Unsupported("only the outer of a ufunc of two inputs and one output is supported")
    a, b = _arrays(inputs)
    a = reshape(a, a.shape + (1,) * b.ndim)
    return _ufunc_call(ufunc, (a, b), kwargs)
