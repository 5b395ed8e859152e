"""NumPy's ufunc keywords (``out=``, ``where=``, ``dtype=``, ``casting=``) around gpuscale's element-wise functions.

``ga.add(x, y, where=mask, out=z, dtype="f8")`` and ``np.add(x, y, where=mask, out=z)`` both come here:

* ``dtype=`` casts the array inputs to ``dtype`` (checked with ``casting=``, as NumPy picks the loop of
  that dtype) and the result is of ``dtype``;
* ``where=`` keeps the result where the mask is true; elsewhere the result holds ``out``'s values, or 0
  without ``out`` (NumPy leaves those elements uninitialized: gpuscale gives a deterministic answer);
* ``out=`` (a gpuscale array; results are lazy) takes the result, broadcast to its shape and cast to its
  dtype where ``casting=`` allows (else, as in dask.array, ``out`` takes the result's dtype).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.backends import array as chunkfn

_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")
# ufunc keywords NumPy accepts that change nothing for a lazy result
_INERT = {"order": ("K", "A", "C", "F", None), "subok": (True, False)}


def single_out(out: Any) -> Any:
    """``out=`` as one gpuscale array or None (NumPy also takes a one-element tuple)."""
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError(f"out= takes one array for a function with one output, not {len(out)}")
        out = out[0]
    if out is not None and not is_array(out):
        raise TypeError(f"out= must be a gpuscale array, not {type(out).__name__}: gpuscale.array results are "
                        "lazy, so a NumPy array cannot receive them")
    return out


def check_keywords(name: str, casting: str, extra: dict) -> None:
    """Reject unknown keywords and bad ``casting=`` values, naming the cause."""
    if casting not in _CASTINGS:
        raise ValueError(f"{name}: casting must be one of {_CASTINGS}, not {casting!r}")
    for key, value in extra.items():
        if key not in _INERT:
            raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
        if value not in _INERT[key]:
            raise ValueError(f"{name}: {key}={value!r} is not one of {_INERT[key]}")


def _check_cast(name: str, what: str, from_: Any, to: Any, casting: str) -> None:
    if not chunkfn.dtype_function("can_cast", from_, to, casting=casting):
        raise TypeError(f"{name}: cannot cast {what} from {chunkfn.numpy_dtype(from_)} to {chunkfn.numpy_dtype(to)} "
                        f"with casting rule {casting!r}")


def _cast_inputs(name: str, args: list, dtype: Any, casting: str) -> list:
    from gpuscale.array._operands import as_array, backend_of

    backend = backend_of(*args)
    cast = []
    for i, a in enumerate(args):
        if chunkfn.python_scalar_type(a) is None or hasattr(a, "ndim"):  # array data: cast as the arrays
            a = as_array(a, backend)
            _check_cast(name, f"input {i}", a.dtype, dtype, casting)
            a = a.astype(dtype) if a.dtype != dtype else a
        cast.append(a)
    return cast


def _in_dtype(name: str, result: Array, args: list, dtype: Any, casting: str) -> Array:
    """``dtype=``: NumPy's loop of that dtype, the inputs cast to it; a test (``less``, ``isnan``) gives
    booleans whatever its inputs, so there ``dtype`` names the output and must be bool."""
    from gpuscale.array.elementwise import elementwise

    if result.dtype.kind == "b":
        if dtype.kind != "b":
            raise TypeError(f"{name} gives booleans: dtype={dtype} names no loop of it (as NumPy)")
        return result
    result = elementwise(name, *_cast_inputs(name, args, dtype, casting))
    return result if result.dtype == dtype else result.astype(dtype)


def _zero_of(dtype: Any) -> Any:
    """A Python zero of ``dtype``'s kind: it leaves the dtype of ``where(mask, result, zero)`` unchanged."""
    return {"b": False, "f": 0.0, "c": 0j}.get(chunkfn.numpy_dtype(dtype).kind, 0)


def _mask(where: Any, backend: str) -> Array:
    from gpuscale.array._operands import as_array

    mask = as_array(where, backend)
    return mask if mask.dtype.kind == "b" else mask.astype(bool)


def _check_fits(name: str, shape: tuple, out_shape: tuple) -> None:
    from gpuscale.array.elementwise import broadcast_shapes

    if broadcast_shapes(shape, out_shape) != tuple(out_shape):
        raise ValueError(f"{name}: the result of shape {shape} does not fit out= of shape {out_shape}")


def _fit_out(name: str, result: Array, out: Array) -> Array:
    """``result`` broadcast to ``out``'s shape, as NumPy writes into ``out``."""
    from gpuscale.array.manipulation import broadcast_to

    if result.shape == out.shape:
        return result
    _check_fits(name, result.shape, out.shape)
    return broadcast_to(result, out.shape)


def ufunc_call(name: str, args: tuple, out: Any = None, where: Any = True, dtype: Any = None,
               casting: str = "same_kind", **extra: Any) -> Array:
    """The element-wise function ``name`` on ``args`` with NumPy's ufunc keywords."""
    from gpuscale.array.elementwise import elementwise
    from gpuscale.array.nanreductions import handle_out

    check_keywords(name, casting, extra)
    out = single_out(out)
    result = elementwise(name, *args)
    if dtype is not None:
        result = _in_dtype(name, result, list(args), chunkfn.numpy_dtype(dtype), casting)
    if out is not None:
        _check_fits(name, result.shape, out.shape)  # before the dtype, as NumPy
    if out is not None and result.dtype != out.dtype and \
            chunkfn.dtype_function("can_cast", result.dtype, out.dtype, casting=casting):
        # a cast NumPy refuses (np.sin(ints, out=ints)) is dask.array's rebinding: out takes the result's dtype
        result = result.astype(out.dtype)
    if where is not True:
        from gpuscale.array.searching import where as select

        other = out if out is not None else _zero_of(result.dtype)
        result = select(_mask(where, result.backend), result, other)
    if out is None:
        return result
    return handle_out(out, _fit_out(name, result, out))


def uses_keywords(out: Any, where: Any, dtype: Any, extra: dict) -> bool:
    """True when a call sets a ufunc keyword (the plain call is the element-wise function alone)."""
    return out is not None or where is not True or dtype is not None or bool(extra)


# -- NumPy's ufunc attributes ------------------------------------------------------------------------------------
UFUNC_ATTRIBUTES = ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature")


def _outer(func: Any, name: str, numpy_ufunc: Any) -> Any:
    def outer(a: Any, b: Any, /, **kwargs: Any) -> Any:
        """``func`` of every element of ``a`` with every element of ``b``: shape ``a.shape + b.shape``."""
        from gpuscale.array._operands import as_arrays
        from gpuscale.array.manipulation import reshape

        if numpy_ufunc.nin != 2:
            raise ValueError(f"{name}.outer needs a function of two inputs; {name} takes {numpy_ufunc.nin}")
        if "out" in kwargs:
            raise ValueError(f"{name}.outer does not take out=: the result is a new array")
        if not (is_array(a) or is_array(b)):
            return numpy_ufunc.outer(a, b, **kwargs)  # NumPy's answer for NumPy inputs, as dask.array
        a, b = as_arrays([a, b])
        return func(reshape(a, tuple(a.shape) + (1,) * b.ndim), b, **kwargs)

    outer.__qualname__ = f"{name}.outer"
    return outer


def with_ufunc_attributes(func: Any, name: str) -> Any:
    """Give ``func`` NumPy's attributes of its ufunc ``name`` (``nin``, ``types`` ...) and ``outer``, as
    dask.array's ufuncs have them (a name NumPy has no ufunc for gets none)."""
    numpy_ufunc = chunkfn.numpy_ufunc(name)
    if numpy_ufunc is None:
        return func
    for attribute in UFUNC_ATTRIBUTES:
        setattr(func, attribute, getattr(numpy_ufunc, attribute))
    func.outer = _outer(func, name, numpy_ufunc)
    return func
