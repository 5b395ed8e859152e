"""strict cuDF: a pandas-backed stand-in for cuDF that accepts only what cuDF accepts.

array-api-strict's ``device1`` proves that array code never pulls CuPy chunks to the
host unasked; this module does the same for frame code and cuDF.  Installed as
``sys.modules["cudf"]`` (see ``install``), it gives objects whose type names and
module are cuDF's (``cudf.core.dataframe.DataFrame``) and which hold a pandas object:

* only the members the real cuDF has are there, with cuDF's parameter names
  (``cudf_api.json``, generated from cuDF and checked against it by ``make test-cudf``);
  members cuDF defines only to refuse them (``iterrows``, ``Series.tolist``) raise;
* value restrictions cuDF enforces (``restrictions.py``: ``sort_index(kind=...)``,
  the writer's keywords, ...) raise as cuDF does, and the fallbacks cuDF warns about
  are errors;
* ``cudf.read_parquet`` and ``cudf.read_csv`` are cuDF's readers emulated on the host
  (``readers.py``: cuDF's parameters, its row selection and the dtypes it returns) and
  record their calls in ``cudf.READER_CALLS``;
* NumPy ufuncs are taken as cuDF's ``__array_ufunc__`` takes them: plain calls without keywords, of
  ufuncs CuPy has;
* ``DataFrame[boolean Series]`` with another index is refused (cuDF applies it by position, pandas by label);
* results are stand-in objects, never pandas; pandas objects passed in are refused;
  ``np.asarray``/iteration of a Series raise as on a GPU (``to_pandas``/``to_numpy``
  are the explicit ways out); ``groupby`` does not sort unless asked, as cuDF.

Numbers are pandas' own, so results can be compared with pandas after ``to_pandas()``.
"""

from __future__ import annotations

import functools
import operator
import sys
import types
from typing import Any

import numpy as np
import pandas as pd
import pandas.core.groupby.generic as pd_groupby
import pandas.core.indexing as pd_indexing
import pandas.core.window.rolling as pd_rolling

from . import categorical, device, dtypes, readers
from . import groupby_nulls, merges, nulls, ufuncs
from . import datetimes
from .restrictions import check_call, load_parquet_keywords
from .spec import load_spec

SPEC = load_spec()
load_parquet_keywords(SPEC)
_CLASSES = SPEC["classes"]


# NumPy ufuncs (not gufuncs) the pinned CuPy lacks: cuDF's __array_ufunc__ fails on them (the cuDF lane checks)
NOT_IN_CUPY = frozenset({"isnat", "spacing"})


class StrictCudfError(TypeError):
    """Something real cuDF would refuse."""


# -- pandas class -> stand-in class name -----------------------------------------------------
def _stand_in_name(obj: Any) -> str | None:
    for pandas_type, name in _TYPE_NAMES:
        if isinstance(obj, pandas_type):
            return name(obj) if callable(name) and not isinstance(name, str) else name
    return None


def _indexer_name(obj: Any) -> str:
    kind = "Iloc" if isinstance(obj, pd_indexing._iLocIndexer) else "Loc"
    return ("DataFrame" if isinstance(obj.obj, pd.DataFrame) else "Series") + kind


_TYPE_NAMES: list = [
    (pd.DataFrame, "DataFrame"),
    (pd.Series, "Series"),
    (pd.MultiIndex, "MultiIndex"),
    (pd.RangeIndex, "RangeIndex"),
    (pd.DatetimeIndex, "DatetimeIndex"),
    (pd.TimedeltaIndex, "TimedeltaIndex"),
    (pd.CategoricalIndex, "CategoricalIndex"),
    (pd.Index, "Index"),
    (pd.core.resample.Resampler, lambda r: ("DataFrame" if isinstance(r.obj, pd.DataFrame) else "Series") + "Resampler"),
    (pd_groupby.DataFrameGroupBy, "DataFrameGroupBy"),
    (pd_groupby.SeriesGroupBy, "SeriesGroupBy"),
    ((pd_indexing._iLocIndexer, pd_indexing._LocIndexer), _indexer_name),
    (pd.core.strings.accessor.StringMethods, "StringMethods"),
    (pd.core.indexes.accessors.DatetimeProperties, "DatetimeProperties"),
    (pd.core.indexes.accessors.TimedeltaProperties, "TimedeltaProperties"),
    (pd.core.arrays.categorical.CategoricalAccessor, "CategoricalAccessor"),
    (pd_rolling.Rolling, "Rolling"),
]

_MODULES = {"DataFrame": "cudf.core.dataframe", "Series": "cudf.core.series", "MultiIndex": "cudf.core.multiindex",
            "DataFrameGroupBy": "cudf.core.groupby.groupby", "SeriesGroupBy": "cudf.core.groupby.groupby",
            "StringMethods": "cudf.core.accessors.string", "Rolling": "cudf.core.window.rolling",
            "CategoricalAccessor": "cudf.core.accessors.categorical", "DataFrameResampler": "cudf.core.resample",
            "SeriesResampler": "cudf.core.resample"}


# -- wrapping and unwrapping -------------------------------------------------------------------
def wrap(value: Any) -> Any:
    """A pandas result as stand-in objects (containers wrapped item by item)."""
    name = _stand_in_name(value)
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


def _call(where: str, func: Any, args: tuple, kwargs: dict) -> Any:
    return wrap(func(*unwrap(args, where), **unwrap(kwargs, where)))


# -- the proxy --------------------------------------------------------------------------------
class Proxy:
    """A cuDF-named object around a pandas object; members checked against ``cudf_api.json``."""

    __slots__ = ("_pd",)
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
        differs = _DIFFERS.get((cls, name))
        if differs is not None:  # cuDF's result differs from pandas' (emulated on the pandas object)
            return _method(cls, name, member, functools.partial(differs, obj))
        own = _CUDF_ONLY.get(name)
        if own is not None:  # emulated here; returns host objects or stand-ins itself
            return own(obj) if member["kind"] == "property" else _own_method(cls, name, member, own, obj)
        value = getattr(obj, name)
        if member["kind"] == "method" and callable(value):
            return _method(cls, name, member, value)
        if (cls, name) in _HOST_MEMBERS:  # a host copy, as cuDF builds (setting its .name renames nothing)
            return value.copy() if isinstance(value, pd.Index) else value
        return wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        cls = type(self).__name__
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
        return _call(f"{type(self).__name__}[]", operator.getitem, (self, key), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        _call(f"{type(self).__name__}[]=", operator.setitem, (self, key, value), {})

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
        result = _call(f"numpy.{ufunc.__name__}", getattr(ufunc, method), inputs, kwargs)
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
        _check_signature(where, member, args, kwargs)
        check_call(cls, name, args, kwargs, getattr(func, "__self__", None))
        result = _call(where, func, args, _cudf_defaults(cls, name, kwargs, len(args)))
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
        return wrap(groupby_nulls.after_agg(grouped, func, opened)) if func is not None else result
    return wrap(groupby_nulls.after_reduction(grouped, name, opened))


def _own_method(cls: str, name: str, member: dict, own: Any, obj: Any) -> Any:
    def method(*args: Any, **kwargs: Any) -> Any:
        _check_signature(f"{cls}.{name}", member, args, kwargs)
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


def _check_signature(where: str, member: dict, args: tuple, kwargs: dict) -> None:
    if member.get("params") is None:
        return
    if len(args) > member["positional"] and not member["varargs"]:
        raise StrictCudfError(f"strict cuDF: {where} takes at most {member['positional']} positional arguments "
                              f"in cuDF, got {len(args)}")
    unknown = sorted(set(kwargs) - set(member["params"]))
    if unknown and not member["varkw"]:
        raise StrictCudfError(f"strict cuDF: {where} has no keyword {', '.join(map(repr, unknown))} in cuDF")


def _cudf_defaults(cls: str, name: str, kwargs: dict, npositional: int = 0) -> dict:
    """Where cuDF differs from pandas: groupby does not sort unless asked; sorts are stable."""
    if name == "groupby" and "sort" not in kwargs:
        return {**kwargs, "sort": False}
    if cls == "CategoricalAccessor" and name in ("set_categories", "reorder_categories") and "ordered" not in kwargs \
            and npositional < 2:
        return {**kwargs, "ordered": False}  # cuDF's .cat default (pandas' None keeps the ordering)
    if name in ("sort_values", "sort_index") and cls in ("DataFrame", "Series"):  # (pandas' Index takes no kind)
        return {**kwargs, "kind": "stable"}
    return kwargs


def _refused(cls: str, name: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"strict cuDF: {cls}.{name} is refused by cuDF (it would iterate on or copy from the GPU)")
    return refuse


def _rebuild(obj: Any) -> Any:
    return wrap(obj)


# -- members only cuDF has, emulated on the pandas object -------------------------------------
def _to_pandas(obj: Any, nullable: bool = False, arrow_type: bool = False) -> Any:
    return nulls.to_pandas(obj.copy())  # (a bool column with nulls: object, None for null, as cuDF's)


def _to_arrow(obj: Any, preserve_index: Any = None) -> Any:
    import pyarrow as pa

    if isinstance(obj, pd.DataFrame):
        return pa.Table.from_pandas(obj, preserve_index=preserve_index)
    return pa.Array.from_pandas(obj)


def _partition_by_hash(obj: Any, columns: Any, nparts: int, keep_index: bool = True) -> list:
    hashes = pd.util.hash_pandas_object(obj[list(columns)], index=False).to_numpy()
    target = hashes % np.uint64(nparts)
    # libcudf's hash_partition scatters rows with atomics: the order of the rows within a part is not the
    # input's (nor repeatable). The stand-in reverses each part, so code that needs the input order restores it
    parts = [_without_freq(obj[target == j].iloc[::-1]) for j in range(nparts)]
    return wrap(parts if keep_index else [p.reset_index(drop=True) for p in parts])


def _without_freq(part: Any) -> Any:
    # a gathered cuDF DatetimeIndex has no frequency (pandas keeps it through a slice)
    if isinstance(part.index, pd.DatetimeIndex) and part.index.freq is not None:
        part = part.set_axis(pd.DatetimeIndex(part.index, freq=None), axis=0)
    return part


def _hash_values(obj: Any, method: str = "murmur3", seed: Any = None) -> Any:
    # a uint32 row hash, as cuDF's murmur3 gives (the values differ from cuDF's; the type does not)
    hashes = pd.util.hash_pandas_object(obj, index=False).to_numpy()
    return pd.Series((hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32), index=obj.index)


def _to_parquet(obj: Any, path: Any, engine: str = "cudf", compression: Any = "snappy", index: Any = None,
                row_group_size_rows: Any = None, max_page_size_bytes: Any = None, statistics: str = "ROWGROUP",
                use_dictionary: bool = True, int96_timestamps: bool = False, **kwargs: Any) -> None:
    """cuDF's parquet writer, by its own option names, written through pyarrow."""
    import pyarrow.parquet as pq

    if any(str(obj[c].dtype) == "category" for c in obj.columns if c not in (kwargs.get("partition_cols") or ())):
        raise ValueError("'category' column dtypes are currently not supported by the gpu accelerated parquet "
                         "writer (strict cuDF, as cuDF's to_parquet)")
    table = _with_cudf_pandas_metadata(_to_arrow(obj, preserve_index=index), obj)
    pq.write_table(table, path, compression=compression or "none", row_group_size=row_group_size_rows,
                   data_page_size=max_page_size_bytes, write_statistics=statistics != "NONE",
                   use_dictionary=use_dictionary, use_deprecated_int96_timestamps=int96_timestamps)


# cuDF's PARQUET_META_TYPE_MAP (cudf/utils/ioutils.py): numpy types -> pandas' nullable types
_NULLABLE_META_TYPES = {"uint8": "UInt8", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64",
                        "int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64", "bool": "boolean",
                        "object": "str", "str": "str", "float32": "Float32", "float64": "Float64"}


def _with_cudf_pandas_metadata(table: Any, obj: Any) -> Any:
    """The pandas metadata cuDF's writer stores (``_update_pandas_metadata_types_inplace``): a data column
    with a null mask gets pandas' nullable type as its ``numpy_type`` (so pandas reads it back as ``Float64``,
    ``Int64``...).  cuDF's ``from_pandas`` turns NaN into nulls, so here: a column with a missing value."""
    import json

    metadata = table.schema.metadata or {}
    if b"pandas" not in metadata or not isinstance(obj, pd.DataFrame):
        return table
    pandas_metadata = json.loads(metadata[b"pandas"])
    for column in pandas_metadata["columns"]:
        name = column["name"]
        if (name in obj.columns and column["numpy_type"] in _NULLABLE_META_TYPES and column["pandas_type"] != "decimal"
                and obj[name].isna().any()):
            column["numpy_type"] = _NULLABLE_META_TYPES[column["numpy_type"]]
    return table.replace_schema_metadata({**metadata, b"pandas": json.dumps(pandas_metadata).encode()})


def _values_host(obj: Any) -> Any:
    return obj.to_numpy()


class DeviceArray(np.ndarray):
    """cuDF's ``.values`` (a CuPy array on a GPU): a NumPy array marked as device memory, so that cuDF's
    operators can tell it from a host array (``np.asarray`` gives a plain, host one)."""


def _device_values(obj: Any) -> Any:
    values = obj.values
    return values.view(DeviceArray) if type(values) is np.ndarray else values


class _NthSelector:
    """cuDF's ``GroupBy.nth`` (a property): called (``gb.nth(n)``; ``dropna=`` refused, as cuDF) or indexed
    (``gb.nth[n]``), giving stand-ins."""

    def __init__(self, grouped: Any) -> None:
        self._grouped = grouped

    def __call__(self, n: Any, dropna: Any = None) -> Any:
        if dropna is not None:
            raise NotImplementedError("strict cuDF: GroupBy.nth: dropna is not currently supported.")
        return wrap(self._grouped.nth(unwrap(n, "GroupBy.nth")))

    def __getitem__(self, n: Any) -> Any:
        return wrap(self._grouped.nth[n])


# members whose results differ from pandas' (see categorical.py): (class, name) -> function(pandas object, ...)
_DIFFERS = {
    **{(cls, "isin"): device.index_isin
       for cls in ("Index", "RangeIndex", "CategoricalIndex", "DatetimeIndex", "TimedeltaIndex", "MultiIndex")},
    ("Index", "append"): categorical.index_append,
    ("CategoricalIndex", "append"): categorical.index_append,
    **{("CategoricalAccessor", name): categorical.accessor_set_categories_call(name)
       for name in ("add_categories", "remove_categories")},
    **{("CategoricalIndex", name): categorical.index_set_categories_call(name)
       for name in ("add_categories", "remove_categories")},
    **{("CategoricalIndex", name): categorical.index_not_supported(name)
       for name in ("rename_categories", "remove_unused_categories")},
}

# members whose values cuDF keeps on the host as pandas objects
_HOST_MEMBERS = {("DataFrame", "columns")}

_CUDF_ONLY = {"to_pandas": _to_pandas, "to_arrow": _to_arrow, "partition_by_hash": _partition_by_hash,
              "hash_values": _hash_values,
              "values_host": _values_host, "to_parquet": _to_parquet, "nth": _NthSelector,
              "dtypes": dtypes.dtypes_member}  # (a pandas Series of cuDF dtypes, as cuDF)
_CUDF_ONLY["values"] = _device_values  # (CuPy on a GPU: a DeviceArray here)


# -- operators ------------------------------------------------------------------------------
def _binary(op: Any) -> Any:
    def method(self: Proxy, other: Any) -> Any:
        _refuse_host_operand(self, other, op)
        return _call(f"{type(self).__name__} {op.__name__}", op, (self, other), {})
    return method


def _reflected(op: Any) -> Any:
    def method(self: Proxy, other: Any) -> Any:
        _refuse_host_operand(self, other, op)
        return _call(f"{type(self).__name__} {op.__name__}", op, (other, self), {})
    return method


def _refuse_host_operand(self: Proxy, other: Any, op: Any) -> None:
    """cuDF's Series operators take scalars, cuDF objects and device arrays only: a list or a NumPy array
    (host memory) gets NotImplemented (``SingleColumnFrame._make_operands_for_binop``), so Python raises."""
    if type(self).__name__ != "Series" or isinstance(other, Proxy):
        return
    if isinstance(other, (list, tuple, pd.Index, pd.api.extensions.ExtensionArray)) or (
            type(other) is np.ndarray and other.ndim > 0):
        raise TypeError(f"operand type(s) all returned NotImplemented for {op.__name__}: 'Series', "
                        f"{type(other).__name__!r} (strict cuDF, as cuDF: host sequences are no operands)")


def _unary(op: Any) -> Any:
    def method(self: Proxy) -> Any:
        return _call(f"{type(self).__name__} {op.__name__}", op, (self,), {})
    return method


_BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and_", "or_", "xor", "matmul")
for _op in _BINARY:
    _dunder = _op.rstrip("_")
    setattr(Proxy, f"__{_dunder}__", _binary(getattr(operator, _op)))
    setattr(Proxy, f"__r{_dunder}__", _reflected(getattr(operator, _op)))
def _comparison(op: Any) -> Any:
    def method(self: Proxy, other: Any) -> Any:  # null where an operand is null (nulls.py)
        _refuse_host_operand(self, other, op)
        result = _call(f"{type(self).__name__} {op.__name__}", op, (self, other), {})
        if not isinstance(result, Proxy) or type(self).__name__ not in ("Series", "DataFrame"):
            return result
        left, right = object.__getattribute__(self, "_pd"), unwrap(other, op.__name__)
        return wrap(nulls.compared(object.__getattribute__(result, "_pd"), left, right))
    return method


for _op in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(Proxy, f"__{_op}__", _comparison(getattr(operator, _op)))
for _op in ("neg", "pos", "abs", "invert"):
    setattr(Proxy, f"__{_op}__", _unary(getattr(operator, _op)))
Proxy.__round__ = lambda self, n=0: _call("round", round, (self, n), {})  # type: ignore[attr-defined]


def _proxy_class(name: str) -> type:
    base_module = _MODULES.get(name, "cudf.core.index" if "Index" in name else "cudf.core.indexing")
    iterable = name in ("DataFrame", "DataFrameGroupBy", "SeriesGroupBy")
    cls = type(name, (Proxy,), {"__slots__": (), "_spec": _CLASSES[name], "_iterable": iterable,
                                "__module__": base_module})
    return cls


PROXIES = {name: _proxy_class(name) for name in _CLASSES}


# -- module-level API -------------------------------------------------------------------------
def _frame_constructor(name: str) -> Any:
    pandas_type = {"DataFrame": pd.DataFrame, "Series": pd.Series}.get(name, pd.Index)

    def construct(data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(data, (pd.DataFrame, pd.Series, pd.Index)):
            _refuse_mixed_objects(data)
            data = data.copy()  # cuDF copies host data to the device
        else:
            data = unwrap(data, f"cudf.{name}")
        return wrap(pandas_type(data, *unwrap(args, f"cudf.{name}"), **unwrap(kwargs, f"cudf.{name}")))
    construct.__name__ = name
    return construct


class _Constructor:
    """``cudf.DataFrame`` and friends: called, they construct; their class methods are checked too."""

    def __init__(self, name: str) -> None:
        self._name, self._construct = name, _frame_constructor(name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._construct(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        member = _CLASSES[self._name].get(attr)
        own = _CLASS_METHODS.get((self._name, attr))
        if member is None or own is None:
            raise AttributeError(f"strict cuDF: cudf.{self._name}.{attr} is not emulated (or not in cuDF)")

        def call(*args: Any, **kwargs: Any) -> Any:
            _check_signature(f"cudf.{self._name}.{attr}", {**member, "positional": member["positional"] - 1},
                             args, kwargs)
            return own(*args, **kwargs)
        return call


def _from_arrow(table: Any) -> Any:
    # as cuDF's DataFrame.from_arrow: the columns' types are Arrow's (the metadata's numpy types, such as the
    # "Float64" cuDF's writer records for a column with nulls, are not applied); of the pandas metadata only
    # the column level names and the index (stored columns, or a RangeIndex of the table's length) are used
    frame = readers.dates_as_seconds(table).to_pandas(ignore_metadata=True)
    pandas_metadata = table.schema.pandas_metadata
    if not isinstance(pandas_metadata, dict):
        return wrap(frame)
    levels = [c["name"] for c in pandas_metadata.get("column_indexes", [])]
    if levels and len(levels) == frame.columns.nlevels:
        frame.columns.names = levels
    index = pandas_metadata.get("index_columns")
    if index and isinstance(index[0], dict):
        stored = pd.RangeIndex(index[0]["start"], index[0]["stop"], index[0]["step"], name=index[0]["name"])
        frame.index = stored if len(stored) == len(frame) else frame.index
    elif index:
        frame = frame.set_index(index)
    if list(frame.index.names) == ["__index_level_0__"]:
        names = {c["field_name"]: c["name"] for c in pandas_metadata["columns"]}
        frame.index.name = names.get("__index_level_0__")
    return wrap(frame)


def _to_csv(obj: Any, *args: Any, **kwargs: Any) -> Any:
    # cuDF's DataFrame.to_csv: libcudf's text of floats and timestamps (csv_text.py)
    from .csv_text import to_csv

    return to_csv(obj, *args, **kwargs)


_CUDF_ONLY["to_csv"] = _to_csv  # (emulated members: see _CUDF_ONLY)


def _isin(obj: Any, values: Any) -> Any:
    # cuDF's isin: values of one kind, NaN matches no null (isin.py)
    from .isin import isin

    return isin(obj, values)


_CUDF_ONLY["isin"] = _isin


_CLASS_METHODS = {("DataFrame", "from_arrow"): _from_arrow}


def _from_product(checked: Any) -> Any:
    """``cudf.MultiIndex.from_product`` builds the product with pandas (``pd.MultiIndex.from_product(iterables)``,
    read from cuDF 26.10), which iterates each one: a cuDF Index or Series among them refuses that."""
    def from_product(iterables: Any, *args: Any, **kwargs: Any) -> Any:
        for values in iterables:
            if isinstance(values, Proxy):
                raise TypeError(f"{type(values).__name__} object is not iterable. Consider using `.to_arrow()`, "
                                "`.to_pandas()` or `.to_numpy()` (strict cuDF, as cuDF's MultiIndex.from_product)")
        return checked(iterables, *args, **kwargs)
    return from_product


def _class_method(cls: str, name: str, pandas_func: Any) -> Any:
    """``cudf.<cls>.<name>`` (a class method), checked against cuDF's parameters, built by pandas."""
    member = _CLASSES[cls][name]

    def call(*args: Any, **kwargs: Any) -> Any:
        _check_signature(f"cudf.{cls}.{name}", {**member, "positional": member["positional"] - 1}, args, kwargs)
        return _call(f"cudf.{cls}.{name}", pandas_func, args, kwargs)
    return call


def _categorical_index(data: Any = None, categories: Any = None, ordered: Any = None, dtype: Any = None,
                       copy: bool = False, name: Any = None, nan_as_null: Any = None) -> Any:
    """``cudf.CategoricalIndex`` (cuDF's constructor parameters), built by pandas."""
    return _call("cudf.CategoricalIndex", pd.CategoricalIndex, (data,),
                 {"categories": categories, "ordered": ordered, "dtype": dtype, "copy": copy, "name": name})


def _datetime_index(data: Any = None, freq: Any = None, tz: Any = None, ambiguous: Any = "raise",
                    dayfirst: bool = False, yearfirst: bool = False, dtype: Any = None, copy: bool = False,
                    name: Any = None, nan_as_null: Any = None) -> Any:
    """``cudf.DatetimeIndex`` (cuDF's constructor parameters), built by pandas; as cuDF, a DatetimeIndex given as
    the data keeps its frequency when ``freq`` is not given."""
    if freq is None and isinstance(data, (pd.DatetimeIndex, PROXIES["DatetimeIndex"])):
        freq = getattr(data, "freq", None)
    # (pandas deprecates these three: passed only when not their defaults)
    parse = {k: v for k, v in {"dayfirst": dayfirst, "yearfirst": yearfirst}.items() if v}
    parse.update({} if ambiguous == "raise" else {"ambiguous": ambiguous})
    return _call("cudf.DatetimeIndex", pd.DatetimeIndex, (data,),
                 {"freq": freq, "tz": tz, "dtype": dtype, "copy": copy, "name": name, **parse})


def from_pandas(obj: Any, nan_as_null: Any = None) -> Any:
    """``cudf.from_pandas``: a copy of a pandas object as a stand-in."""
    if not isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        raise TypeError(f"from_pandas: expected a pandas object, got {type(obj).__name__}")
    _refuse_mixed_objects(obj)
    return wrap(obj.copy())


def _refuse_mixed_objects(obj: Any) -> None:
    """cuDF's ``as_column`` refuses an object column that mixes integers with other values (``MixedTypeError``,
    by ``infer_dtype``): a cuDF column holds one type."""
    columns = [obj[c] for c in obj.columns] if isinstance(obj, pd.DataFrame) else [obj]
    for values in [*columns, *([] if isinstance(obj, pd.Index) else [obj.index])]:
        if isinstance(values, pd.MultiIndex) or values.dtype != object:
            continue
        if pd.api.types.infer_dtype(values, skipna=True) in ("mixed-integer", "mixed-integer-float"):
            raise StrictCudfError("strict cuDF: Cannot create column with mixed types (cuDF's MixedTypeError)")


def _module_function(name: str, pandas_func: Any) -> Any:
    member = SPEC["functions"][name]

    def func(*args: Any, **kwargs: Any) -> Any:
        if name in ("concat", "merge") and args:
            _only_stand_ins(name, list(args[0]) if name == "concat" else args[:2])
        _check_signature(f"cudf.{name}", member, args, kwargs)
        check_call("cudf", name, args, kwargs)
        result = _call(f"cudf.{name}", pandas_func, args, kwargs)
        return _rows_concat_columns_unnamed(args, kwargs, result) if name == "concat" else result
    func.__name__ = name
    return func


def _rows_concat_columns_unnamed(args: tuple, kwargs: dict, result: Any) -> Any:
    """cuDF's ``DataFrame._concat`` (rows of several frames) relabels the result with a list of the column
    labels (``out.columns = names``): the columns' name is lost (a MultiIndex keeps its names)."""
    objs = [o for o in (list(args[0]) if args else []) if type(o).__name__ == "DataFrame" and o.shape != (0, 0)]
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    if axis not in (0, "index") or len(objs) < 2 or type(result).__name__ != "DataFrame":
        return result
    opened = object.__getattribute__(result, "_pd")
    if isinstance(opened.columns, pd.MultiIndex) or opened.columns.name is None:
        return result
    return wrap(opened.set_axis(list(opened.columns), axis=1))


def _reader(name: str, func: Any) -> Any:
    """``cudf.read_parquet`` / ``read_csv`` / ``read_json``: cuDF's parameters, emulated in ``readers``."""
    member = SPEC["functions"][name]

    def read(*args: Any, **kwargs: Any) -> Any:
        _check_signature(f"cudf.{name}", member, args, kwargs)
        return func(*args, **kwargs)
    read.__name__ = name
    return read


def _only_stand_ins(name: str, objs: Any) -> None:
    others = sorted({type(o).__name__ for o in objs if not isinstance(o, Proxy)})
    if others:
        raise StrictCudfError(f"strict cuDF: cudf.{name} needs cuDF objects only, got {', '.join(others)}")


def module() -> types.ModuleType:
    """A new ``cudf`` module object made of stand-ins."""
    cudf = types.ModuleType("cudf")
    cudf.__version__ = SPEC["cudf_version"]
    cudf.__file__ = __file__
    cudf.STRICT_STAND_IN = True
    for name in ("DataFrame", "Series", "Index"):
        setattr(cudf, name, _Constructor(name))
    cudf.RangeIndex = lambda *a, **k: wrap(pd.RangeIndex(*a, **k))
    cudf.MultiIndex = types.SimpleNamespace(
        from_arrays=lambda arrays, **k: wrap(pd.MultiIndex.from_arrays(unwrap(arrays, "MultiIndex"), **k)),
        from_frame=lambda frame, **k: wrap(pd.MultiIndex.from_frame(unwrap(frame, "MultiIndex"), **k)),
        from_product=_from_product(_class_method("MultiIndex", "from_product", pd.MultiIndex.from_product)),
        from_tuples=_class_method("MultiIndex", "from_tuples", pd.MultiIndex.from_tuples))
    cudf.CategoricalIndex = _categorical_index
    cudf.DatetimeIndex = _datetime_index
    cudf.from_pandas = from_pandas
    pandas_functions = {"concat": functools.partial(categorical.concat, pd.concat), "merge": pd.merge, "to_datetime": pd.to_datetime,
                        "to_numeric": pd.to_numeric, "isna": pd.isna, "notna": pd.notna, "cut": pd.cut,
                        "date_range": pd.date_range, "get_dummies": pd.get_dummies, "melt": pd.melt,
                        "pivot_table": pd.pivot_table}
    for name, pandas_func in pandas_functions.items():
        if name in SPEC["functions"]:  # only what cuDF has
            setattr(cudf, name, _module_function(name, pandas_func))
    cudf.read_parquet = _reader("read_parquet", functools.partial(readers.read_parquet,
                                                                  SPEC["functions"]["read_parquet"]))
    cudf.read_csv = _reader("read_csv", readers.read_csv)
    cudf.read_json = _reader("read_json", readers.read_json)
    cudf.READER_CALLS = readers.CALLS
    cudf.CategoricalDtype = dtypes.CategoricalDtype
    cudf.NA = pd.NA
    cudf.NaT = pd.NaT
    return cudf


def install(monkeypatch: Any) -> types.ModuleType:
    """Put the stand-in in ``sys.modules["cudf"]`` and let the backend registry see one fake GPU."""
    from gpuscale.backends import _detect

    cudf = module()
    monkeypatch.setitem(sys.modules, "cudf", cudf)
    monkeypatch.setattr(_detect, "gpu_probe", _fake_probe)
    return cudf


def _fake_probe() -> tuple[int, str]:
    return 1, "strict cuDF stand-in (no real GPU)"


_fake_probe.cache_clear = lambda: None  # type: ignore[attr-defined]  # as on the real, cached probe


def is_stand_in(obj: Any) -> bool:
    """True for a stand-in object."""
    return isinstance(obj, Proxy)


__all__ = ["StrictCudfError", "install", "module", "is_stand_in", "wrap", "SPEC", "np"]
