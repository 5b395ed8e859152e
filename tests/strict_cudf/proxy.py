"""The stand-in objects: a cuDF-named ``Proxy`` around a pandas object, and wrap/unwrap between them.

A member is looked up in ``cudf_api.json``: refused, emulated (``members.py``), or pandas' own, called with
cuDF's signature, restrictions (``restrictions/``), defaults and nulls.  Operators: ``operators.py``.
"""

from __future__ import annotations

import functools
import operator
import types
from typing import Any

import pandas as pd

from . import datetimes, device, dtypes, groupby_nulls, merges, nulls, ufuncs
from .members import CUDF_ONLY, DIFFERS, HOST_MEMBERS
from .restrictions import check_call
from .signatures import StrictCudfError, check_signature
from .spec import load_spec
from .type_names import MODULES, stand_in_name

SPEC = load_spec()
_CLASSES = SPEC["classes"]


# NumPy ufuncs (not gufuncs) the pinned CuPy lacks: cuDF's __array_ufunc__ fails on them (the cuDF lane checks)
NOT_IN_CUPY = frozenset({"isnat", "spacing"})


# -- wrapping and unwrapping -------------------------------------------------------------------
def wrap(value: Any) -> Any:
    """A pandas result as stand-in objects (containers wrapped item by item)."""
    name = stand_in_name(value)
    if name is not None:
        return PROXIES[name](value)
    if isinstance(value, pd.CategoricalDtype):  # cuDF's own dtype class (see dtypes.py)
        return dtypes.to_cudf(value)
    if type(value) in (list, tuple):
        return type(value)(wrap(v) for v in value)
    if type(value) is dict:
        return {k: wrap(v) for k, v in value.items()}
    return value


def unwrap(value: Any, where: str) -> Any:
    """Arguments for pandas: stand-ins opened, pandas objects refused, user functions wrapped."""
    if isinstance(value, Proxy):
        return object.__getattribute__(value, "_pd")
    if isinstance(value, dtypes.CategoricalDtype):
        return value.to_pandas()
    if device.is_device_array(value):  # a CuPy array cuDF gave (see device.py)
        return device.to_numpy(value)
    if isinstance(value, (pd.DataFrame, pd.Series)):  # a pandas Index of labels cuDF takes (df.columns is one)
        raise StrictCudfError(f"{where}: a pandas {type(value).__name__} was passed where cuDF needs a cuDF "
                              "object (convert it with cudf.from_pandas first)")
    if type(value) in (list, tuple):
        return type(value)(unwrap(v, where) for v in value)
    if type(value) is dict:
        return {k: unwrap(v, where) for k, v in value.items()}
    if isinstance(value, (types.FunctionType, functools.partial)):
        return _user_function(value, where)
    return value


def _user_function(func: Any, where: str) -> Any:
    """A function pandas calls back with partitions: it sees stand-ins, pandas gets pandas back."""
    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        result = func(*wrap(args), **wrap(kwargs))
        return unwrap(result, where)
    return call


def call_pandas(where: str, func: Any, args: tuple, kwargs: dict) -> Any:
    """``func`` (pandas') called with the arguments opened; its result as stand-ins."""
    return wrap(func(*unwrap(args, where), **unwrap(kwargs, where)))


# -- the proxy --------------------------------------------------------------------------------
class Proxy:
    """A cuDF-named object around a pandas object; members checked against ``cudf_api.json``."""

    __slots__ = ("_pd", "__weakref__")  # (cuDF's frames are weak-referenceable: gpuscale caches tokens by them)
    _spec: dict = {}
    _iterable = False

    def __init__(self, obj: Any) -> None:
        object.__setattr__(self, "_pd", obj)

    def __getattr__(self, name: str) -> Any:
        obj = object.__getattribute__(self, "_pd")
        cls = type(self).__name__
        member = self._spec.get(name)
        if member is None:
            if cls in ("DataFrame", "DataFrameGroupBy") and not name.startswith("_") and _has_column(obj, name):
                return wrap(obj[name])  # cuDF's column attribute access
            raise AttributeError(f"strict cuDF: {cls} object has no attribute {name!r} (cuDF has none)")
        if member.get("raises"):
            return _refused(cls, name)
        stub = datetimes.not_implemented(cls, name)  # (raises for a property)
        if stub is not None:
            return stub
        differs = DIFFERS.get((cls, name))
        if differs is not None:  # cuDF's result differs from pandas' (emulated on the pandas object)
            return _method(cls, name, member, functools.partial(differs, obj))
        own = CUDF_ONLY.get(name)
        if own is not None:  # emulated here; returns host objects or stand-ins itself
            return own(obj) if member["kind"] == "property" else _own_method(cls, name, member, own, obj)
        value = getattr(obj, name)
        if member["kind"] == "method" and callable(value):
            return _method(cls, name, member, value)
        if (cls, name) in HOST_MEMBERS:  # a host copy, as cuDF builds (setting its .name renames nothing)
            return value.copy() if isinstance(value, pd.Index) else value
        return wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        cls = type(self).__name__
        if cls == "DataFrame" and name not in self._spec and _has_column(object.__getattribute__(self, "_pd"), name):
            object.__getattribute__(self, "_pd")[name] = unwrap(value, f"{cls}.{name}")  # an existing column
            return
        if name not in self._spec:
            raise AttributeError(f"strict cuDF: cannot set {name!r} on a {cls} (cuDF has no such attribute)")
        setattr(object.__getattribute__(self, "_pd"), name, unwrap(value, f"{cls}.{name}"))

    def __dir__(self) -> list:
        return sorted(self._spec)

    # pickling (spill to disk, copies): rebuilt from the pandas object
    def __reduce__(self) -> tuple:
        return _rebuild, (object.__getattribute__(self, "_pd"),)

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_pd"))

    def __len__(self) -> int:
        return len(object.__getattribute__(self, "_pd"))

    def __getitem__(self, key: Any) -> Any:
        if type(self).__name__ == "DataFrame" and _unaligned_mask(self, key):
            raise StrictCudfError("strict cuDF: DataFrame[boolean Series] whose index differs from the frame's: cuDF "
                                  "applies the mask by position, pandas by label (cuDF's .loc[mask] aligns it)")
        if type(self).__name__ in ("DataFrameLoc", "SeriesLoc") and _mask_of_other_length(self, key):
            # cuDF's expand_key (indexing_utils) refuses it before aligning: .loc aligns same-length masks only
            raise KeyError(f"{key}: boolean label can not be used without a boolean index (strict cuDF, as cuDF: a "
                           "boolean Series .loc key of another length than the frame's)")
        return call_pandas(f"{type(self).__name__}[]", operator.getitem, (self, key), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        call_pandas(f"{type(self).__name__}[]=", operator.setitem, (self, key, value), {})

    def __delitem__(self, key: Any) -> None:
        del object.__getattribute__(self, "_pd")[key]

    def __contains__(self, key: Any) -> bool:
        return key in object.__getattribute__(self, "_pd")

    def __iter__(self) -> Any:
        if not self._iterable:
            raise TypeError(f"{type(self).__name__} object is not iterable. Consider using `.to_arrow()`, "
                            "`.to_pandas()` or `.to_numpy()` (strict cuDF, as cuDF)")
        return iter(wrap(list(iter(object.__getattribute__(self, "_pd")))))

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        raise TypeError("Implicit conversion to a host NumPy array via __array__ is not allowed "
                        "(strict cuDF, as cuDF: use .to_numpy() or .to_pandas())")

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method != "__call__" or kwargs or ufunc.nin > 2:
            return NotImplemented  # as cuDF: only plain calls of unary/binary ufuncs (NumPy raises TypeError)
        if ufunc.__name__ in NOT_IN_CUPY:  # cuDF runs the others with CuPy's function of the same name
            raise AttributeError(f"module 'cupy' has no attribute {ufunc.__name__!r} (strict cuDF, as cuDF)")
        result = call_pandas(f"numpy.{ufunc.__name__}", getattr(ufunc, method), inputs, kwargs)
        return wrap(ufuncs.after_ufunc(unwrap(inputs, "ufunc"), unwrap(result, "ufunc")))  # (ufuncs.py)

    def __arrow_array__(self, type: Any = None) -> Any:
        import pyarrow as pa

        return pa.array(object.__getattribute__(self, "_pd"), type=type)

    def __copy__(self) -> Any:
        return wrap(object.__getattribute__(self, "_pd").copy(deep=False))

    def __deepcopy__(self, memo: dict) -> Any:
        return wrap(object.__getattribute__(self, "_pd").copy(deep=True))

    def __bool__(self) -> bool:
        return bool(object.__getattribute__(self, "_pd"))

    __hash__ = None  # type: ignore[assignment]


def _mask_of_other_length(indexer: Any, key: Any) -> bool:
    """Whether ``key`` is a boolean Series (stand-in) whose length is not that of the ``.loc`` indexer's frame."""
    if not isinstance(key, Proxy) or type(key).__name__ != "Series":
        return False
    mask, frame = object.__getattribute__(key, "_pd"), object.__getattribute__(indexer, "_pd").obj
    return pd.api.types.is_bool_dtype(mask.dtype) and len(mask) != len(frame) and frame.index.dtype != bool


def _unaligned_mask(frame: Any, key: Any) -> bool:
    """Whether ``key`` is a boolean Series (stand-in) whose index is not the frame's."""
    if not isinstance(key, Proxy) or type(key).__name__ != "Series":
        return False
    mask = object.__getattribute__(key, "_pd")
    return pd.api.types.is_bool_dtype(mask.dtype) and not mask.index.equals(object.__getattribute__(frame, "_pd").index)


def _has_column(obj: Any, name: str) -> bool:
    columns = obj.columns if isinstance(obj, pd.DataFrame) else getattr(obj, "obj", None)
    columns = getattr(columns, "columns", columns)
    try:
        return columns is not None and name in columns
    except TypeError:
        return False


def _method(cls: str, name: str, member: dict, func: Any) -> Any:
    def method(*args: Any, **kwargs: Any) -> Any:
        where = f"{cls}.{name}"
        check_signature(where, member, args, kwargs)
        check_call(cls, name, args, kwargs, getattr(func, "__self__", None))
        call = functools.partial(merges.merge, func.__self__) if cls == "DataFrame" and name == "merge" else func
        if name == "astype":  # (cuDF's casts keep nulls)
            args, kwargs = nulls.astype_keeping_nulls(getattr(func, "__self__", None), args, kwargs)
        result = call_pandas(where, call, args, _cudf_defaults(cls, name, kwargs, len(args)))  # (merge: semi joins)
        if cls in ("DataFrameGroupBy", "SeriesGroupBy") and name in (*groupby_nulls.REDUCTIONS, "agg", "aggregate"):
            result = _groupby_reduction_nulls(func.__self__, name, args, kwargs, result)
        if cls in ("DataFrameGroupBy", "SeriesGroupBy") and name in groupby_nulls.SCANS and isinstance(result, Proxy):
            source = func.__self__._obj_with_exclusions  # (pandas' grouped values)
            result = wrap(groupby_nulls.after_scan(object.__getattribute__(result, "_pd"), source))
        return _with_cudf_nulls(cls, name, getattr(func, "__self__", None), args, kwargs, result)
    return method


def _groupby_reduction_nulls(grouped: Any, name: str, args: tuple, kwargs: dict, result: Any) -> Any:
    """A groupby sum/prod of a group without a valid value is null, as cuDF's (``groupby_nulls.py``)."""
    if not isinstance(result, Proxy):
        return result
    opened = object.__getattribute__(result, "_pd")
    if name in ("agg", "aggregate"):
        func = kwargs.get("func", args[0] if args else None)
        named = {k: v for k, v in kwargs.items() if k not in ("func", "engine", "engine_kwargs")}
        return wrap(groupby_nulls.after_agg(grouped, func, opened, unwrap(named, "agg")))
    return wrap(groupby_nulls.after_reduction(grouped, name, opened))


def _own_method(cls: str, name: str, member: dict, own: Any, obj: Any) -> Any:
    def method(*args: Any, **kwargs: Any) -> Any:
        check_signature(f"{cls}.{name}", member, args, kwargs)
        return own(obj, *args, **kwargs)
    return method


def _with_cudf_nulls(cls: str, name: str, obj: Any, args: tuple, kwargs: dict, result: Any) -> Any:
    """Comparisons give null where an operand is null, as cuDF's (``nulls.py``); a right merge has cuDF's
    column order (``merges.py``)."""
    if cls == "StringMethods" and isinstance(result, Proxy):  # cuDF's counts are int32
        return wrap(datetimes.string_result(name, object.__getattribute__(result, "_pd")))
    if not isinstance(result, Proxy):
        return result
    opened = object.__getattribute__(result, "_pd")
    if name == "merge":
        return wrap(merges.cudf_merge(obj, opened, unwrap(args, name), unwrap(kwargs, name)))
    return wrap(nulls.after_method(cls, name, obj, unwrap(args, name), unwrap(kwargs, name), opened))


def _cudf_defaults(cls: str, name: str, kwargs: dict, npositional: int = 0) -> dict:
    """Where cuDF differs from pandas: groupby does not sort unless asked; sorts are stable."""
    if name == "groupby" and "sort" not in kwargs:
        return {**kwargs, "sort": False}
    if cls == "CategoricalAccessor" and name in ("set_categories", "reorder_categories") and "ordered" not in kwargs \
            and npositional < 2:
        return {**kwargs, "ordered": False}  # cuDF's .cat default (pandas' None keeps the ordering)
    if name in ("sort_values", "sort_index") and cls in ("DataFrame", "Series"):  # (pandas' Index takes no kind)
        return {**kwargs, "kind": "stable"}
    if name == "tz_localize" and npositional < 2:  # cuDF makes times that do not exist, or exist twice, NaT
        return {"ambiguous": "NaT", "nonexistent": "NaT", **kwargs}
    return kwargs


# members whose cuDF body raises an error of its own (read from cuDF 26.10), not a refusal to copy to the host
_OWN_ERRORS = {"ohlc": (NotImplementedError, "ohlc is currently not implemented")}  # GroupBy.ohlc, the resamplers'


def _refused(cls: str, name: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        if name in _OWN_ERRORS:
            error, message = _OWN_ERRORS[name]
            raise error(f"{message} (strict cuDF, as cuDF's {cls}.{name})")
        raise TypeError(f"strict cuDF: {cls}.{name} is refused by cuDF (it would iterate on or copy from the GPU)")
    return refuse


def _rebuild(obj: Any) -> Any:
    return wrap(obj)


def _proxy_class(name: str) -> type:
    base_module = MODULES.get(name, "cudf.core.index" if "Index" in name else "cudf.core.indexing")
    iterable = name in ("DataFrame", "DataFrameGroupBy", "SeriesGroupBy")
    cls = type(name, (Proxy,), {"__slots__": (), "_spec": _CLASSES[name], "_iterable": iterable,
                                "__module__": base_module})
    return cls


PROXIES = {name: _proxy_class(name) for name in _CLASSES}
