"""``cudf.DataFrame``/``Series``/``Index`` and the index classes, ``from_pandas``, the module functions
(``concat``, ``merge``, ...) and the readers: cuDF's signatures, built by pandas.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import nested, readers
from .proxy import PROXIES, SPEC, Proxy, call_pandas, unwrap, wrap
from .restrictions import check_call
from .signatures import StrictCudfError, check_signature

_CLASSES = SPEC["classes"]


def _frame_constructor(name: str) -> Any:
    pandas_type = {"DataFrame": pd.DataFrame, "Series": pd.Series}.get(name, pd.Index)

    def construct(data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(data, (pd.DataFrame, pd.Series, pd.Index)):
            _refuse_mixed_objects(data)
            data = data.copy()  # cuDF copies host data to the device
        else:
            data = unwrap(data, f"cudf.{name}")
        by_column = kwargs.pop("dtype") if isinstance(kwargs.get("dtype"), dict) else None
        made = pandas_type(data, *unwrap(args, f"cudf.{name}"), **unwrap(kwargs, f"cudf.{name}"))
        made = nested.as_nested(made)  # lists and dicts: cuDF's list and struct columns
        return wrap(made.astype(by_column) if by_column else made)  # cuDF takes a dtype per column
    construct.__name__ = name
    return construct


class Constructor:
    """``cudf.DataFrame`` and friends: called, they construct; their class methods are checked too."""

    def __init__(self, name: str, construct: Any = None) -> None:
        self._name, self._construct = name, construct or _frame_constructor(name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._construct(*args, **kwargs)

    def __instancecheck__(self, obj: Any) -> bool:
        """``isinstance(x, cudf.DataFrame)``; ``cudf.Index`` takes the index classes but MultiIndex, as cuDF's."""
        name = type(obj).__name__ if isinstance(obj, Proxy) else None
        if self._name == "Index":
            return name is not None and name.endswith("Index") and name != "MultiIndex"
        return name == self._name

    def __getattr__(self, attr: str) -> Any:
        member = _CLASSES[self._name].get(attr)
        own = _CLASS_METHODS.get((self._name, attr))
        if member is None or own is None:
            raise AttributeError(f"strict cuDF: cudf.{self._name}.{attr} is not emulated (or not in cuDF)")

        def call(*args: Any, **kwargs: Any) -> Any:
            check_signature(f"cudf.{self._name}.{attr}", {**member, "positional": member["positional"] - 1},
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


def _from_dict(data: Any, orient: str = "columns", dtype: Any = None, columns: Any = None) -> Any:
    return wrap(pd.DataFrame.from_dict(unwrap(data, "cudf.DataFrame.from_dict"), orient=orient, dtype=dtype,
                                       columns=columns))


_CLASS_METHODS = {("DataFrame", "from_arrow"): _from_arrow, ("DataFrame", "from_dict"): _from_dict}


def multiindex_from_product(checked: Any) -> Any:
    """``cudf.MultiIndex.from_product`` builds the product with pandas (``pd.MultiIndex.from_product(iterables)``,
    read from cuDF 26.10), which iterates each one: a cuDF Index or Series among them refuses that."""
    def from_product(iterables: Any, *args: Any, **kwargs: Any) -> Any:
        for values in iterables:
            if isinstance(values, Proxy):
                raise TypeError(f"{type(values).__name__} object is not iterable. Consider using `.to_arrow()`, "
                                "`.to_pandas()` or `.to_numpy()` (strict cuDF, as cuDF's MultiIndex.from_product)")
        return checked(iterables, *args, **kwargs)
    return from_product


def class_method(cls: str, name: str, pandas_func: Any) -> Any:
    """``cudf.<cls>.<name>`` (a class method), checked against cuDF's parameters, built by pandas."""
    member = _CLASSES[cls][name]

    def call(*args: Any, **kwargs: Any) -> Any:
        check_signature(f"cudf.{cls}.{name}", {**member, "positional": member["positional"] - 1}, args, kwargs)
        return call_pandas(f"cudf.{cls}.{name}", pandas_func, args, kwargs)
    return call


def _categorical_index(data: Any = None, categories: Any = None, ordered: Any = None, dtype: Any = None,
                       copy: bool = False, name: Any = None, nan_as_null: Any = None) -> Any:
    """``cudf.CategoricalIndex`` (cuDF's constructor parameters), built by pandas."""
    return call_pandas("cudf.CategoricalIndex", pd.CategoricalIndex, (data,),
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
    # (cuDF takes a time zone from the data; pandas 3 reads an explicit tz=None as "no time zone")
    parse.update({} if tz is None else {"tz": tz})
    return call_pandas("cudf.DatetimeIndex", pd.DatetimeIndex, (data,),
                       {"freq": freq, "dtype": dtype, "copy": copy, "name": name, **parse})


def from_pandas(obj: Any, nan_as_null: Any = None) -> Any:
    """``cudf.from_pandas``: a copy of a pandas object as a stand-in."""
    if not isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        raise TypeError(f"from_pandas: expected a pandas object, got {type(obj).__name__}")
    _refuse_mixed_objects(obj)
    return wrap(nested.as_nested(obj.copy()))


def _refuse_mixed_objects(obj: Any) -> None:
    """cuDF's ``as_column`` refuses an object column that mixes integers with other values (``MixedTypeError``,
    by ``infer_dtype``), and one of other scalars of several types ("mixed": floats and Timestamps, say), which
    ``pa.array`` cannot type: a cuDF column holds one type.  (Lists and dicts are nested columns: nested.py.)"""
    columns = [obj[c] for c in obj.columns] if isinstance(obj, pd.DataFrame) else [obj]
    for values in [*columns, *([] if isinstance(obj, pd.Index) else [obj.index])]:
        if isinstance(values, pd.MultiIndex) or values.dtype != object:
            continue
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred in ("mixed-integer", "mixed-integer-float") or (inferred == "mixed" and _scalars(values)):
            raise StrictCudfError("strict cuDF: Cannot create column with mixed types (cuDF's MixedTypeError)")


def _scalars(values: Any) -> bool:
    """Whether every value present is a scalar (no list, dict or array: those make nested columns)."""
    return all(pd.api.types.is_scalar(v) for v in values if not (pd.api.types.is_scalar(v) and pd.isna(v)))


def module_function(name: str, pandas_func: Any) -> Any:
    member = SPEC["functions"][name]

    def func(*args: Any, **kwargs: Any) -> Any:
        if name in ("concat", "merge") and args:
            _only_stand_ins(name, list(args[0]) if name == "concat" else args[:2])
        check_signature(f"cudf.{name}", member, args, kwargs)
        check_call("cudf", name, args, kwargs)
        result = call_pandas(f"cudf.{name}", pandas_func, args, kwargs)
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


def reader(name: str, func: Any) -> Any:
    """``cudf.read_parquet`` / ``read_csv`` / ``read_json``: cuDF's parameters, emulated in ``readers``."""
    member = SPEC["functions"][name]

    def read(*args: Any, **kwargs: Any) -> Any:
        check_signature(f"cudf.{name}", member, args, kwargs)
        return func(*args, **kwargs)
    read.__name__ = name
    return read


def _only_stand_ins(name: str, objs: Any) -> None:
    others = sorted({type(o).__name__ for o in objs if not isinstance(o, Proxy)})
    if others:
        raise StrictCudfError(f"strict cuDF: cudf.{name} needs cuDF objects only, got {', '.join(others)}")
