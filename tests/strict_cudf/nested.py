"""cuDF's list and struct columns, emulated as pandas columns of Arrow lists and structs.

cuDF makes a list column of Python lists (a struct column of dicts) where pandas keeps ``object``; here such
values become ``pd.ArrowDtype`` columns (``as_nested``), and ``to_pandas`` gives them back as ``object``
columns of lists and dicts, as cuDF's does (``as_objects``).  The ``.list`` and ``.struct`` accessors are
cuDF's ``ListMethods`` / ``StructMethods`` (checked against cuDF's signatures by the spec): the members pandas
lacks are written here, row by row in Python, from cuDF 26.10's documented behaviour (``get`` out of bounds is
null or ``default``, ``leaves`` flattens every level with a new index, ``unique`` keeps one null ...).  A null
(``None``) row stays null; a missing number is NaN, as the stand-in keeps cuDF's nulls of numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def _nested_values(values: Any) -> bool:
    """Whether an object column holds lists (or arrays) or dicts: what cuDF stores as a list or struct column."""
    if getattr(values, "dtype", None) != object:
        return False
    first = next((v for v in values if v is not None and not (isinstance(v, float) and v != v)), None)
    return isinstance(first, (list, tuple, dict)) or type(first).__name__ == "ndarray"


def _arrow_series(values: list, index: Any, name: Any, type_: Any = None) -> pd.Series:
    import pyarrow as pa

    array = pa.array(values, type=type_)
    return pd.Series(pd.array(array, dtype=pd.ArrowDtype(array.type)), index=index, name=name)


def as_nested(obj: Any) -> Any:
    """``obj`` with its object columns of lists / dicts as Arrow list / struct columns (cuDF's list and struct
    columns)."""
    if isinstance(obj, pd.DataFrame):
        nested = [c for c in obj.columns if _nested_values(obj[c])]
        if not nested:
            return obj
        obj = obj.copy()
        for column in nested:
            obj[column] = as_nested(obj[column])
        return obj
    if isinstance(obj, pd.Series) and _nested_values(obj):
        rows = [v.tolist() if type(v).__name__ == "ndarray" else v for v in obj]
        return _arrow_series([None if v is None or (isinstance(v, float) and v != v) else v for v in rows],
                             obj.index, obj.name)
    return obj


def _is_nested(dtype: Any) -> bool:
    import pyarrow as pa

    arrow = getattr(dtype, "pyarrow_dtype", None)
    return arrow is not None and (pa.types.is_list(arrow) or pa.types.is_large_list(arrow)
                                  or pa.types.is_struct(arrow))


def as_objects(obj: Any) -> Any:
    """cuDF's ``to_pandas`` of list and struct columns: ``object`` columns of lists and dicts."""
    if isinstance(obj, pd.DataFrame):
        nested = [c for c in obj.columns if _is_nested(obj[c].dtype)]
        if not nested:
            return obj
        obj = obj.copy()
        for column in nested:
            obj[column] = as_objects(obj[column])
        return obj
    if isinstance(obj, pd.Series) and _is_nested(obj.dtype):
        return pd.Series(_rows(obj), index=obj.index, name=obj.name, dtype=object)
    return obj


def _rows(series: pd.Series) -> list:
    import pyarrow as pa

    return pa.array(series.array).to_pylist()


def _numbers(values: list, series: pd.Series, dtype: str) -> pd.Series:
    """A column of numbers (a null row: NaN, the stand-in's null of a number)."""
    has_null = any(v is None for v in values)
    return pd.Series([float("nan") if v is None else v for v in values], index=series.index, name=series.name,
                     dtype="float64" if has_null else dtype)


def _elements(series: pd.Series, values: list) -> pd.Series:
    """A column of the lists' elements, as the stand-in keeps columns of their type."""
    import pyarrow as pa

    value_type = series.dtype.pyarrow_dtype.value_type
    column = pd.Series(pd.array(pa.array(values, type=value_type), dtype=pd.ArrowDtype(value_type)),
                       index=series.index, name=series.name)
    return column if _is_nested(column.dtype) else _plain(column)


def _lists(series: pd.Series, values: list, type_: Any = None) -> pd.Series:
    return _arrow_series(values, series.index, series.name, type_ or series.dtype.pyarrow_dtype)


# -- ListMethods ---------------------------------------------------------------------------------

def list_get(accessor: Any, index: Any, default: Any = None) -> pd.Series:
    series = accessor._data
    rows = _rows(series)
    positions = [index] * len(rows) if isinstance(index, int) else list(index)

    def pick(row: Any, i: int) -> Any:
        if row is None:
            return None
        return row[i] if -len(row) <= i < len(row) else default

    return _elements(series, [pick(row, i) for row, i in zip(rows, positions)])


def list_contains(accessor: Any, search_key: Any) -> pd.Series:
    series = accessor._data
    values = [None if row is None else search_key in [v for v in row if v is not None] for row in _rows(series)]
    if any(v is None for v in values):
        return pd.Series(pd.array(values, dtype="bool[pyarrow]"), index=series.index, name=series.name)
    return pd.Series(values, index=series.index, name=series.name, dtype=bool)


def list_index(accessor: Any, search_key: Any) -> pd.Series:
    series = accessor._data
    values = [None if row is None else (row.index(search_key) if search_key in row else -1)
              for row in _rows(series)]
    return _numbers(values, series, "int32")


def list_len(accessor: Any) -> pd.Series:
    series = accessor._data
    return _numbers([None if row is None else len(row) for row in _rows(series)], series, "int32")


def list_leaves(accessor: Any) -> pd.Series:
    import pyarrow as pa

    series = accessor._data
    array = pa.array(series.array)
    while pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        array = array.flatten()
    return pd.Series(pd.array(array, dtype=pd.ArrowDtype(array.type)), name=series.name)  # a new index, as cuDF


def list_take(accessor: Any, lists_indices: Any) -> pd.Series:
    series = accessor._data
    wanted = [list(i) for i in lists_indices]
    if len(wanted) != len(series):
        raise ValueError("lists_indices and list column is of different size. (strict cuDF, as cuDF)")
    return _lists(series, [None if row is None else [row[i] for i in idx]
                           for row, idx in zip(_rows(series), wanted)])


def list_unique(accessor: Any) -> pd.Series:
    series = accessor._data

    def distinct(row: list) -> list:
        seen: list = []
        for v in row:
            if v not in seen:  # (one None kept: nulls are equal)
                seen.append(v)
        return seen

    return _lists(series, [None if row is None else distinct(row) for row in _rows(series)])


def list_sort_values(accessor: Any, ascending: bool = True, inplace: bool = False, kind: str = "quicksort",
                     na_position: str = "last", ignore_index: bool = False) -> pd.Series:
    if inplace:
        raise NotImplementedError("`inplace` not currently implemented. (strict cuDF, as cuDF)")
    series = accessor._data

    def ordered(row: list) -> list:
        present = sorted((v for v in row if v is not None), reverse=not ascending)
        nulls = [None] * (len(row) - len(present))
        return nulls + present if na_position == "first" else present + nulls

    out = _lists(series, [None if row is None else ordered(row) for row in _rows(series)])
    return out.reset_index(drop=True) if ignore_index else out


def list_concat(accessor: Any, dropna: bool = True) -> pd.Series:
    series = accessor._data

    def joined(row: list) -> Any:
        if not dropna and any(inner is None for inner in row):
            return None
        return [v for inner in row if inner is not None for v in inner]

    return _lists(series, [None if row is None else joined(row) for row in _rows(series)],
                  series.dtype.pyarrow_dtype.value_type)


def list_astype(accessor: Any, dtype: Any) -> pd.Series:
    import pyarrow as pa

    series = accessor._data
    value_type = pa.from_numpy_dtype(pd.api.types.pandas_dtype(dtype))
    return _lists(series, _rows(series), pa.list_(value_type))


# -- StructMethods -------------------------------------------------------------------------------

def struct_field(accessor: Any, key: Any) -> pd.Series:
    """cuDF's ``field``: by name (``KeyError`` if absent) or position (``IndexError``)."""
    series = accessor._data
    names = [f.name for f in series.dtype.pyarrow_dtype]
    if isinstance(key, int) and not isinstance(key, bool):
        if not 0 <= key < len(names):
            raise IndexError(f"index {key} is out of bounds for {len(names)} fields (strict cuDF, as cuDF)")
        key = names[key]
    if key not in names:
        raise KeyError(key)
    field = accessor.field(key)
    return as_objects(pd.Series(field.array, index=series.index, name=key)) if _is_nested(field.dtype) else \
        _plain(pd.Series(field.array, index=series.index, name=key))


def _plain(series: pd.Series) -> pd.Series:
    """A column of Arrow scalars as the stand-in keeps cuDF's columns: numbers in NumPy dtypes (a null: NaN),
    booleans as ``bool`` (with a null: ``bool[pyarrow]``), text as ``str``."""
    import pyarrow as pa

    arrow = series.dtype.pyarrow_dtype
    missing = bool(series.isna().any())
    if pa.types.is_boolean(arrow):
        return series if missing else series.astype(bool)
    if pa.types.is_integer(arrow) or pa.types.is_floating(arrow):
        values = series.to_numpy(dtype="float64", na_value=float("nan")) if missing else series.to_numpy()
        return pd.Series(values, index=series.index, name=series.name)
    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow):
        return series.astype("str")
    return series


def struct_explode(accessor: Any) -> pd.DataFrame:
    series = accessor._data
    names = [f.name for f in series.dtype.pyarrow_dtype]
    return pd.DataFrame({name: struct_field(accessor, name) for name in names}, index=series.index,
                        columns=pd.Index(names, dtype=object) if names else None)


LIST_METHODS = {"get": list_get, "contains": list_contains, "index": list_index, "len": list_len,
                "take": list_take, "unique": list_unique, "sort_values": list_sort_values, "concat": list_concat,
                "astype": list_astype}
STRUCT_METHODS = {"field": struct_field, "explode": struct_explode}
