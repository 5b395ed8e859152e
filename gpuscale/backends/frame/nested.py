"""``.list`` and ``.struct`` of a partition: cuDF's ``ListMethods`` / ``StructMethods`` on cuDF list and struct
columns, and the same methods, with cuDF's meaning, on pandas' Arrow list and struct columns
(``pd.ArrowDtype(pa.list_(...))``, as ``read_parquet(dtype_backend="pyarrow")`` gives them).

pandas' own accessors have a few of these (``len``, ``field``, ``explode``); the rest are written here with
pyarrow: ``get`` out of bounds gives null (or ``default``), never an error; ``leaves`` flattens every level;
``unique`` keeps one null; results on pandas partitions are Arrow-backed, as pandas' ``.list.len()`` is.
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends.frame.core import library_of

__all__ = ["LIST_METHODS", "LIST_PROPERTIES", "STRUCT_METHODS", "is_list_dtype", "is_struct_dtype", "list_call",
           "struct_call", "struct_fields", "same_take_for_every_row", "PANDAS_LIST_METHODS", "pandas_list_call",
           "struct_dtypes", "flatten_keeps_labels"]

# cuDF 26.10's ListMethods / StructMethods (checked against cuDF by the cuDF lane's spec)
LIST_METHODS = ("astype", "concat", "contains", "get", "index", "len", "sort_values", "take", "unique")
LIST_PROPERTIES = ("leaves",)
STRUCT_METHODS = ("explode", "field")
# pandas' own ArrowAccessor list methods cuDF has not: ``flatten`` (one level, each value labelled with its
# row's label) and ``slice`` (``s.list[start:stop:step]``), on pandas partitions only
PANDAS_LIST_METHODS = ("flatten", "slice")


def _arrow_type(dtype: Any) -> Any:
    return getattr(dtype, "pyarrow_dtype", None)


def is_list_dtype(dtype: Any) -> bool:
    """A list column's dtype: cuDF's ``ListDtype`` or pandas' Arrow list."""
    import pyarrow as pa

    arrow = _arrow_type(dtype)
    if arrow is not None:
        return pa.types.is_list(arrow) or pa.types.is_large_list(arrow)
    return type(dtype).__name__ == "ListDtype"


def is_struct_dtype(dtype: Any) -> bool:
    """A struct column's dtype: cuDF's ``StructDtype`` or pandas' Arrow struct."""
    import pyarrow as pa

    arrow = _arrow_type(dtype)
    return pa.types.is_struct(arrow) if arrow is not None else type(dtype).__name__ == "StructDtype"


def list_call(part: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """``part.list.<name>(*args, **kwargs)`` (``leaves``: the property) with cuDF's meaning."""
    if library_of(part) == "cudf":
        member = getattr(part.list, name)
        return member if name in LIST_PROPERTIES else member(*args, **kwargs)
    return _PANDAS_LIST[name](part, *args, **kwargs)


def struct_fields(dtype: Any) -> list:
    """The field names of a struct dtype (cuDF's ``StructDtype`` or an Arrow struct)."""
    arrow = _arrow_type(dtype)
    return [field.name for field in arrow] if arrow is not None else list(dtype.fields)


def struct_call(part: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """``part.struct.<name>(...)`` with cuDF's meaning (``field``: by name, ``KeyError``; by position,
    ``IndexError``)."""
    if library_of(part) == "cudf":
        return getattr(part.struct, name)(*args, **kwargs)
    return _PANDAS_STRUCT[name](part, *args, **kwargs)


def pandas_list_call(part: Any, name: str, *args: Any) -> Any:
    """pandas' ``part.list.flatten()`` or ``part.list[slice(*args)]`` (a pandas partition's Arrow lists)."""
    if name == "flatten":
        return part.list.flatten()
    return part.list[slice(*args)]


@functools.lru_cache(maxsize=None)
def flatten_keeps_labels() -> bool:
    """Whether the installed pandas labels ``list.flatten()``'s values with their rows' labels (pandas 3; 2.2
    numbers them from 0, which in a partition does not follow the divisions)."""
    import pandas as pd
    import pyarrow as pa

    lists = pd.Series([[1]], index=[5], dtype=pd.ArrowDtype(pa.list_(pa.int64())))
    return list(lists.list.flatten().index) == [5]


def struct_dtypes(meta: Any) -> Any:
    """pandas' ``.struct.dtypes`` of a struct column's ``meta``: a pandas Series of the fields' dtypes, indexed
    by their names (of a cuDF column: cuDF's dtypes of its ``StructDtype``)."""
    import pandas as pd

    if library_of(meta) != "cudf":
        return meta.struct.dtypes
    arrow = _arrow_type(meta.dtype)
    fields = dict(meta.dtype.fields) if arrow is None else {f.name: pd.ArrowDtype(f.type) for f in arrow}
    return pd.Series(list(fields.values()), index=list(fields), dtype=object)


def same_take_for_every_row(part: Any, positions: list) -> Any:
    """``part.list.take`` of the same ``positions`` from every list (indices per row do not follow a partition)."""
    return list_call(part, "take", [list(positions)] * len(part))


# -- pandas partitions: Arrow lists and structs ----------------------------------------------------------------

def _rows(part: Any) -> list:
    import pyarrow as pa

    return pa.array(part.array).to_pylist()


def _series(part: Any, values: Any, arrow_type: Any = None, name: Any = None) -> Any:
    import pandas as pd
    import pyarrow as pa

    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, type=arrow_type)
    return pd.Series(pd.array(array, dtype=pd.ArrowDtype(array.type)), index=part.index,
                     name=part.name if name is None else name)


def _value_type(part: Any) -> Any:
    return part.dtype.pyarrow_dtype.value_type


def _len(part: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return _series(part, pc.list_value_length(pa.array(part.array)))


def _get(part: Any, index: Any, default: Any = None) -> Any:
    if not isinstance(index, int):
        raise NotImplementedError("list.get: a position per row does not follow the partitions; give one int")

    def pick(row: list) -> Any:
        return row[index] if -len(row) <= index < len(row) else default

    return _series(part, [None if row is None else pick(row) for row in _rows(part)], _value_type(part))


def _contains(part: Any, search_key: Any) -> Any:
    import pyarrow as pa

    return _series(part, [None if row is None else search_key in row for row in _rows(part)], pa.bool_())


def _index(part: Any, search_key: Any) -> Any:
    import pyarrow as pa

    return _series(part, [None if row is None else (row.index(search_key) if search_key in row else -1)
                          for row in _rows(part)], pa.int32())


def _leaves(part: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    array = pa.array(part.array)
    while pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        array = array.flatten()
    return pd.Series(pd.array(array, dtype=pd.ArrowDtype(array.type)), name=part.name)  # one row per value


def _take(part: Any, lists_indices: Any) -> Any:
    wanted = [list(i) for i in lists_indices]
    if len(wanted) != len(part):
        raise ValueError(f"list.take: {len(wanted)} lists of positions for {len(part)} rows")
    return _series(part, [None if row is None else [row[i] for i in idx] for row, idx in zip(_rows(part), wanted)],
                   part.dtype.pyarrow_dtype)


def _unique(part: Any) -> Any:
    def distinct(row: list) -> list:
        kept: list = []
        for value in row:
            if value not in kept:  # one null kept: nulls are equal, as cuDF's
                kept.append(value)
        return kept

    return _series(part, [None if row is None else distinct(row) for row in _rows(part)], part.dtype.pyarrow_dtype)


def _sort_values(part: Any, ascending: bool = True, inplace: bool = False, kind: str = "quicksort",
                 na_position: str = "last", ignore_index: bool = False) -> Any:
    if inplace:
        raise NotImplementedError("list.sort_values: inplace=True is not supported (as cuDF)")
    if na_position not in ("first", "last"):
        raise ValueError(f"list.sort_values: na_position must be 'first' or 'last', got {na_position!r}")

    def ordered(row: list) -> list:
        present = sorted((v for v in row if v is not None), reverse=not ascending)
        nulls = [None] * (len(row) - len(present))
        return nulls + present if na_position == "first" else present + nulls

    out = _series(part, [None if row is None else ordered(row) for row in _rows(part)], part.dtype.pyarrow_dtype)
    return out.reset_index(drop=True) if ignore_index else out


def _concat(part: Any, dropna: bool = True) -> Any:
    def joined(row: list) -> Any:
        if not dropna and any(inner is None for inner in row):
            return None
        return [v for inner in row if inner is not None for v in inner]

    return _series(part, [None if row is None else joined(row) for row in _rows(part)], _value_type(part))


def _astype(part: Any, dtype: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    value_type = pa.from_numpy_dtype(pd.api.types.pandas_dtype(dtype))
    return _series(part, pa.array(part.array).cast(pa.list_(value_type)))


_PANDAS_LIST = {"len": _len, "get": _get, "contains": _contains, "index": _index, "leaves": _leaves,
                "take": _take, "unique": _unique, "sort_values": _sort_values, "concat": _concat, "astype": _astype}


def _field(part: Any, key: Any) -> Any:
    names = [field.name for field in part.dtype.pyarrow_dtype]
    if isinstance(key, int) and not isinstance(key, bool):
        if not 0 <= key < len(names):
            raise IndexError(f"struct.field: position {key} is out of range for the {len(names)} fields {names}")
        key = names[key]
    if key not in names:
        raise KeyError(f"struct.field: {key!r} is not a field; fields: {names}")
    return part.struct.field(key).rename(key).set_axis(part.index)


def _explode(part: Any) -> Any:
    return part.struct.explode().set_axis(part.index)


_PANDAS_STRUCT = {"field": _field, "explode": _explode}
