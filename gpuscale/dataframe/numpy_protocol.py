"""NumPy's protocols on gpuscale DataFrame, Series, Index and Scalar: ``np.sin(df)``, ``np.add(s, 1)``,
``np.sum(df)``, ``np.asarray(s)``, as dask.dataframe has them.

* ``__array_ufunc__``: a NumPy ufunc called on collections (``np.log(df.x)``, ``np.maximum(a, b)``,
  ``2 >= s`` through a NumPy scalar) is the same ufunc on every partition, lazily; the result is the
  collection of pandas' result type (``np.isnan`` of an Index gives an Index, as dask's).  pandas and cuDF
  operands become one-partition collections, and collections with known, different divisions are
  repartitioned at the union of them (as every partition-wise step aligns its operands), as dask.  A ufunc
  with several outputs (``np.modf``, ``np.frexp``) gives a tuple of collections, as pandas gives a tuple.
  ``out=`` takes collections of the result's type and replaces what they compute (dask's in-place form);
  other ``out=`` values are refused.
  ``np.add.reduce(s)`` / ``np.add.accumulate(s)`` (and ``multiply``, ``maximum``, ``minimum``,
  ``logical_and/or``) are the collection's reductions and scans along the rows, as pandas dispatches them.
  Other operands (NumPy arrays, gpuscale arrays), gufuncs and other ufunc methods (``np.add.outer``) give
  ``NotImplemented``, so NumPy raises its ``TypeError``.
* ``__array_function__``: NumPy's reductions and a few element-wise functions (``np.sum``, ``np.mean``,
  ``np.std``, ``np.clip``, ``np.round`` ...) are the collection's own lazy methods with NumPy's defaults
  (``np.std``'s ``ddof=0``); any other function runs as NumPy runs it on objects without the protocol:
  on the computed values (``__array__``), a result of the collection's type refused by ``__array_wrap__``,
  as dask; functions NumPy hands to a method of the same name (``np.repeat(s, 2)``: ``s.repeat(2)``) are that
  method, as for pandas.
* ``__pandas_priority__``: pandas' operators and ufuncs defer to the collections (``pandas_series + s`` and
  ``np.add(pandas_series, s)`` are lazy, with the pandas operand aligned by label; dask raises ``TypeError``).
* ``_elemwise``: dask.array's ufunc wrappers (``da.sin(df)``) call it for dask-like collections.
"""

from __future__ import annotations

import numbers
from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["array_ufunc", "array_function", "elemwise", "to_host_array", "refuse_array_wrap"]


# -- __array_ufunc__ -------------------------------------------------------------------------------------------
def array_ufunc(ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """``__array_ufunc__`` of the collections: the lazy result, or ``NotImplemented``."""
    if not any(_is_frame(x) for x in inputs) and method != "__call__":
        return _eager(getattr(ufunc, method), inputs, kwargs)  # of lazy scalars: NumPy's, as dask's Scalar
    if method in ("reduce", "accumulate"):
        return _ufunc_method(ufunc, method, inputs, kwargs)
    if method != "__call__" or ufunc.signature is not None:
        return NotImplemented  # ``outer``, ``at`` ... and gufuncs: no partition-wise meaning
    if any(_is_frame(x) for x in inputs) and not all(_known_operand(x) for x in inputs):
        return NotImplemented
    return elemwise(ufunc, *inputs, **kwargs)


# ``ufunc.reduce`` / ``ufunc.accumulate`` of one collection: its reduction or scan, as pandas dispatches them
_UFUNC_METHODS = {("reduce", "add"): "sum", ("reduce", "multiply"): "prod", ("reduce", "maximum"): "max",
                  ("reduce", "minimum"): "min", ("reduce", "logical_and"): "all", ("reduce", "logical_or"): "any",
                  ("accumulate", "add"): "cumsum", ("accumulate", "multiply"): "cumprod",
                  ("accumulate", "maximum"): "cummax", ("accumulate", "minimum"): "cummin"}


def _ufunc_method(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``np.add.reduce(s)`` is ``s.sum()``, ``np.add.reduce(df)`` the column sums (axis 0, NumPy's default),
    ``np.add.accumulate(s)`` ``s.cumsum()``; other axes and keywords give ``NotImplemented``."""
    name = _UFUNC_METHODS.get((method, ufunc.__name__))
    if name is None or len(inputs) != 1 or not _is_frame(inputs[0]):
        return NotImplemented
    if kwargs.pop("axis", 0) not in (0, "index") or any(kwargs.get(k, v) is not v for k, v in _NEUTRAL.items()) or \
            set(kwargs) - set(_NEUTRAL):
        return NotImplemented
    return getattr(inputs[0], name)()


def _known_operand(obj: Any) -> bool:
    """What a ufunc on collections takes: collections, pandas/cuDF objects and scalars (0-d arrays too)."""
    return _is_frame(obj) or _is_scalar_operand(obj) or bf.is_frame_like(obj)


def _is_scalar_operand(obj: Any) -> bool:
    from gpuscale.dataframe.core import Scalar

    return isinstance(obj, (Scalar, numbers.Number, str)) or obj is None or bf.is_scalar_like(obj) or \
        bf.is_zero_dim_array(obj)


def elemwise(op: Any, *args: Any, out: Any = None, **kwargs: Any) -> Any:
    """``op(*args, **kwargs)`` partition by partition, as a lazy collection (a tuple of them for ufuncs with
    several outputs); ``out=`` collections take the result's expression (dask's in-place form).

    Parameters
    ----------
    op : callable
        A NumPy ufunc (or any element-wise function of partitions).
    *args
        Collections, pandas/cuDF objects (one partition each) and scalars.
    out : collection or tuple of collections, optional
        Collections of the result's type that are made to compute the result.
    **kwargs
        Keyword arguments of ``op`` (``dtype=``, ``where=`` with a scalar ...).

    Returns
    -------
    DataFrame, Series, Index, Scalar or tuple of them

    Examples
    --------
    >>> import numpy as np, pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.numpy_protocol import elemwise
    >>> s = gd.from_pandas(pd.Series([1.0, 4.0, 9.0]), npartitions=2, backend="cpu")
    >>> elemwise(np.sqrt, s).compute().tolist()
    [1.0, 2.0, 3.0]
    """
    if any(_is_collection(v) for v in kwargs.values()):
        raise TypeError(f"{_name(op)}: collections as keyword arguments are not supported (pass them positionally)")
    if not any(_is_frame(a) for a in args) and not all(_is_scalar_operand(a) for a in args):
        # lazy scalars with pandas objects or arrays: their result, the scalars computed (as dask's)
        return _eager(op, args, kwargs if out is None else dict(kwargs, out=out))
    args = _as_collections(args)  # the partition-wise node aligns their partitions
    nout = getattr(op, "nout", 1)
    results = tuple(_map_output(op, args, kwargs, i if nout > 1 else None) for i in range(nout))
    if any(_is_frame(a) for a in args) and not _is_frame(results[0]):
        # arrays from frames (``da.imag(s)`` calls np.imag): the function on the frames' gpuscale arrays
        return op(*[a.to_dask_array() if _is_frame(a) else a for a in args], **kwargs)
    if out is not None:
        results = _write_out(op, out, results)
    return results if nout > 1 else results[0]


def _eager(func: Any, args: tuple, kwargs: dict) -> Any:
    return func(*[a.compute() if _is_collection(a) else a for a in args], **kwargs)


def _map_output(op: Any, args: tuple, kwargs: dict, output: int | None) -> Any:
    from gpuscale.dataframe.core import FrameBase, new_collection, to_expr
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr

    frames = [a for a in args if isinstance(a, FrameBase)]
    # the rows keep their labels, so the divisions hold, and a projection above may move below (one frame);
    # an Index's values are what changes
    keeps_rows = bool(frames) and not bf.is_index_like(frames[0]._meta)
    call = dict(kwargs, output=output) if output is not None else kwargs
    expr = map_partitions_expr(bf.apply_ufunc, op, *[to_expr(a) for a in args], kwargs=call or None,
                               label=_name(op), columnwise=keeps_rows)
    return new_collection(expr)


def _as_collections(args: tuple) -> tuple:
    """pandas/cuDF operands as one-partition collections of the first collection's library (as dask)."""
    from gpuscale.dataframe.core import FrameBase
    from gpuscale.dataframe.creation import from_pandas

    libraries = [bf.library_of(a._meta) for a in args if isinstance(a, FrameBase)]
    backend = libraries[0] if libraries else None
    return tuple(a if _is_collection(a) or not bf.is_frame_like(a) else
                 from_pandas(a, npartitions=1, backend=backend or bf.library_of(a)) for a in args)


def _write_out(op: Any, out: Any, results: tuple) -> tuple:
    """dask's ``out=``: each out collection (of its result's type, a DataFrame with as many columns) now
    computes its result; it is what is returned, as NumPy returns ``out``."""
    outs = out if isinstance(out, tuple) else (out,)
    if len(outs) != len(results):
        raise ValueError(f"{_name(op)} has {len(results)} output(s), out= gives {len(outs)}")
    for target, result in zip(outs, results):
        if not _is_collection(target):
            raise TypeError(f"{_name(op)}(out=...): out must be a gpuscale {type(result).__name__} (the result is "
                            f"lazy: its expression replaces out's), got {type(target).__name__}")
        if type(target) is not type(result):
            raise TypeError(f"{_name(op)}(out=...): the result is a {type(result).__name__}, out is a "
                            f"{type(target).__name__}")
        if bf.is_dataframe_like(result._meta) and len(target._meta.columns) != len(result._meta.columns):
            raise ValueError(f"{_name(op)}(out=...): the result has {len(result._meta.columns)} columns, out has "
                             f"{len(target._meta.columns)}")
    for target, result in zip(outs, results):
        target._expr = result._expr
    return outs


def _is_frame(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase

    return isinstance(obj, FrameBase)


def _is_collection(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase, Scalar

    return isinstance(obj, (FrameBase, Scalar))


def _name(op: Any) -> str:
    return f"numpy.{getattr(op, '__name__', 'ufunc')}"


# -- __array_function__ ----------------------------------------------------------------------------------------
# NumPy function -> (method of the collections, NumPy's keywords as the method's, NumPy's defaults that differ
# from pandas')
_AXIS = {"axis": "axis"}
_METHODS = {"sum": ("sum", _AXIS, {}), "prod": ("prod", _AXIS, {}), "mean": ("mean", _AXIS, {}),
            "min": ("min", _AXIS, {}), "amin": ("min", _AXIS, {}), "max": ("max", _AXIS, {}),
            "amax": ("max", _AXIS, {}), "any": ("any", _AXIS, {}), "all": ("all", _AXIS, {}),
            "std": ("std", {"axis": "axis", "ddof": "ddof"}, {"ddof": 0}),
            "var": ("var", {"axis": "axis", "ddof": "ddof"}, {"ddof": 0}),
            "cumsum": ("cumsum", _AXIS, {}), "cumprod": ("cumprod", _AXIS, {}),
            "clip": ("clip", {"a_min": "lower", "a_max": "upper", "min": "lower", "max": "upper"}, {}),
            "round": ("round", {"decimals": "decimals"}, {}), "around": ("round", {"decimals": "decimals"}, {}),
            "argmax": ("argmax", _AXIS, {}), "argmin": ("argmin", _AXIS, {})}  # (a Series' positions)
_REDUCTIONS = {"sum", "prod", "mean", "min", "max", "any", "all", "std", "var"}
# NumPy keywords that change nothing at NumPy's defaults
_NEUTRAL = {"out": None, "dtype": None, "keepdims": False, "where": True}


def array_function(self: Any, func: Any, types: tuple, args: tuple, kwargs: dict) -> Any:
    """``__array_function__`` of the collections: the lazy method for NumPy's reductions and ``clip``/``round``,
    NumPy's own implementation for the rest (which computes through ``__array__``)."""
    entry = _METHODS.get(func.__name__)
    if entry is not None and _is_frame(self) and args and args[0] is self and func is _numpy_function(func.__name__) \
            and hasattr(type(self), entry[0]):
        return _call_method(self, func.__name__, entry, args[1:], kwargs)
    try:
        return func._implementation(*args, **kwargs)
    except _WrapRefused:
        raise NotImplementedError(f"`{func.__name__}` is not implemented for gpuscale {type(self).__name__} "
                                  "collections: compute first, or use a method of the collection") from None


def _numpy_function(name: str) -> Any:
    import sys

    return getattr(sys.modules["numpy"], name, None)


def _call_method(obj: Any, name: str, entry: tuple, positional: tuple, kwargs: dict) -> Any:
    method, renames, defaults = entry
    given = dict(zip(_positional_names(name), positional))
    given.update(kwargs)
    for key, neutral in _NEUTRAL.items():
        if given.pop(key, neutral) is not neutral:
            raise NotImplementedError(f"numpy.{name}({key}=...) of a gpuscale {type(obj).__name__} is not supported "
                                      "(the result is a lazy collection)")
    unknown = sorted(set(given) - set(renames))
    if unknown:
        raise TypeError(f"numpy.{name} of a gpuscale {type(obj).__name__}: unsupported argument(s) {unknown}")
    passed = {renames[k]: v for k, v in {**defaults, **given}.items()}
    if passed.get("axis") is None:
        passed.pop("axis", None)
        if method in _REDUCTIONS and bf.is_dataframe_like(obj._meta):
            passed["axis"] = None  # NumPy's default: every axis (pandas' np.sum(df) is one number)
    return getattr(obj, method)(**passed)


def _positional_names(name: str) -> tuple:
    """NumPy's positional parameters after the array, by function."""
    if name in ("clip",):
        return ("a_min", "a_max", "out")
    if name in ("round", "around"):
        return ("decimals", "out")
    if name in ("std", "var"):
        return ("axis", "dtype", "out", "ddof")
    if name in ("any", "all", "min", "max", "amin", "amax"):
        return ("axis", "out")
    return ("axis", "dtype", "out")


# -- pandas' __pandas_priority__ -----------------------------------------------------------------------------------
PANDAS_PRIORITY = 4500  # above pandas' DataFrame (4000): its operators return NotImplemented for collections


def pandas_priority(obj: Any) -> int | None:
    """``__pandas_priority__``: frames take priority over pandas' objects in operators; lazy Scalars none."""
    return PANDAS_PRIORITY if _is_frame(obj) else None


# -- __array__ / __array_wrap__ -----------------------------------------------------------------------------------
class _WrapRefused(NotImplementedError):
    """NumPy tried to wrap a computed array as a collection."""


def to_host_array(obj: Any, dtype: Any = None) -> Any:
    """``__array__``: the computed values as a NumPy array (pandas partitions; cuDF refuses, as cuDF)."""
    return bf.host_array(obj.compute(), dtype)


def refuse_array_wrap(obj: Any, array: Any, return_scalar: bool = False) -> Any:
    """``__array_wrap__``: a NumPy function computed the values and wants them back as a collection; a lazy
    collection cannot be made from them, so the function is not implemented (as in dask).  A lazy Scalar's
    result stays NumPy's (dask's Scalar has no ``__array_wrap__``)."""
    if not _is_frame(obj):
        return array[()] if return_scalar else array
    raise _WrapRefused(f"this NumPy function is not implemented for gpuscale {type(obj).__name__} collections: "
                       "compute first, or use a method of the collection")
