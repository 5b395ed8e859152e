"""NumPy's ufunc keywords (``out=``, ``where=``, ``dtype=``, ``casting=``) around gpuscale's element-wise functions.

``ga.add(x, y, where=mask, out=z, dtype="f8")`` and ``np.add(x, y, where=mask, out=z)`` both come here:

* ``dtype=`` picks NumPy's loop with that output dtype (``numpy.ufunc.resolve_dtypes``, checked with
  ``casting=``): the array inputs are cast to its input dtypes and the result is of ``dtype``; where no loop
  outputs it (``isnan(x, dtype=int)``), the usual result is cast to it if ``casting=`` allows, as dask.array;
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


def _operand(a: Any, backend: str) -> Any:
    """Array data as a gpuscale array; Python scalars stay (NumPy's weak scalars)."""
    from gpuscale.array._operands import as_array

    return as_array(a, backend) if chunkfn.python_scalar_type(a) is None or hasattr(a, "ndim") else a


def _in_dtype(name: str, args: list, dtype: Any, casting: str) -> Array:
    """``dtype=``: NumPy's loop whose output is ``dtype`` (``numpy.ufunc.resolve_dtypes``); the inputs are cast
    to its input dtypes, so ``add(ints, 1, dtype="f4")`` adds in float32 and ``less(ints, 2, dtype=bool)``
    still compares integers."""
    from gpuscale.array._operands import backend_of
    from gpuscale.array.elementwise import elementwise

    backend = backend_of(*args)
    args = [_operand(a, backend) for a in args]
    kinds = [chunkfn.numpy_dtype(a.dtype) if is_array(a) else chunkfn.python_scalar_type(a) for a in args]
    try:
        loop = chunkfn.ufunc_loop(name, kinds, dtype, casting)
    except TypeError as refusal:
        return _cast_result(name, args, dtype, casting, refusal)
    if loop is None:  # no NumPy ufunc of that name: every input in dtype
        loop = ([dtype] * len(args), [dtype])
    args = [a.astype(d) if is_array(a) and a.dtype != d else a for a, d in zip(args, loop[0])]
    result = elementwise(name, *args)
    return result if result.dtype == loop[1][0] else result.astype(loop[1][0])


def _cast_result(name: str, args: list, dtype: Any, casting: str, refusal: TypeError) -> Array:
    """``dtype=`` that no NumPy loop outputs (``isnan(x, dtype=int)``): the usual result cast to it where
    ``casting=`` allows, as dask.array does (xarray's ``ffill(limit=)`` asks it); else NumPy's ``refusal``."""
    from gpuscale.array.elementwise import elementwise

    result = elementwise(name, *args)
    if not chunkfn.dtype_function("can_cast", chunkfn.numpy_dtype(result.dtype), dtype, casting=casting):
        raise refusal
    return result.astype(dtype)


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

    check_keywords(name, casting, extra)
    out = single_out(out)
    if dtype is None:
        result = elementwise(name, *args)
    else:
        result = _in_dtype(name, list(args), chunkfn.numpy_dtype(dtype), casting)
    return _finish(name, result, out, where, casting)


def _finish(name: str, result: Array, out: Any, where: Any, casting: str) -> Array:
    """``out=`` and ``where=`` applied to one result."""
    from gpuscale.array.nanreductions import handle_out

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


def finish_outputs(name: str, results: tuple, out: Any = None, where: Any = True,
                   casting: str = "same_kind") -> tuple:
    """NumPy's ``out=`` (one entry per output, None for a new array) and ``where=`` for a function of
    several outputs (``frexp``, ``modf``, ``divmod``)."""
    check_keywords(name, casting, {})
    outs = (None,) * len(results) if out is None else tuple(out) if isinstance(out, (tuple, list)) else (out,)
    if len(outs) != len(results):
        raise ValueError(f"{name}: out= needs one entry per output ({len(results)}), not {len(outs)}")
    outs = tuple(None if o is None else single_out((o,)) for o in outs)
    return tuple(_finish(name, r, o, where, casting) for r, o in zip(results, outs))


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
