"""Members only cuDF has (``to_pandas``, ``to_arrow``, ``partition_by_hash``, ``to_parquet``, ...) and
members whose results differ from pandas', emulated on the pandas object.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import categorical, device, dtypes, nested, nulls


def _to_pandas(obj: Any, nullable: bool = False, arrow_type: bool = False) -> Any:
    if arrow_type:
        raise NotImplementedError("strict cuDF: to_pandas(arrow_type=True) is not emulated")
    if nullable:  # pandas' nullable dtypes: a null (here NaN) is <NA>
        return _as_nullable(nested.as_objects(obj.copy()))
    # (a bool column with nulls: object, None for null; lists and structs: Python lists and dicts, as cuDF's)
    return nulls.to_pandas(nested.as_objects(obj.copy()))


# cuDF's to_pandas(nullable=True): numbers and booleans in pandas' nullable dtypes
_NULLABLE = {"int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64", "uint8": "UInt8",
             "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64", "float32": "Float32", "float64": "Float64",
             "bool": "boolean"}


def _as_nullable(obj: Any) -> Any:
    if isinstance(obj, pd.DataFrame):
        return obj.astype({c: _NULLABLE[str(t)] for c, t in obj.dtypes.items() if str(t) in _NULLABLE})
    return obj.astype(_NULLABLE[str(obj.dtype)]) if str(obj.dtype) in _NULLABLE else obj


def _to_arrow(obj: Any, preserve_index: Any = None) -> Any:
    import pyarrow as pa

    if isinstance(obj, pd.DataFrame):
        return pa.Table.from_pandas(obj, preserve_index=preserve_index)
    array = pa.Array.from_pandas(obj)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array  # (cuDF's: one Array)


def _partition_by_hash(obj: Any, columns: Any, nparts: int, keep_index: bool = True) -> list:
    from .proxy import wrap  # (deferred: proxy.py looks the members up here)

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


def _to_orc(obj: Any, fname: Any, compression: Any = "snappy", statistics: str = "ROWGROUP",
            stripe_size_bytes: Any = None, stripe_size_rows: Any = None, row_index_stride: Any = None,
            cols_as_map_type: Any = None, storage_options: Any = None, index: Any = None) -> None:
    """cuDF's ORC writer, by its own option names, written through pyarrow (the index as pandas writes it)."""
    from pyarrow import orc

    codec = "uncompressed" if compression in (None, False) else str(compression).lower()
    orc.write_table(_to_arrow(obj, preserve_index=index), fname, compression=codec)


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
        from .proxy import unwrap, wrap  # (deferred, as above)

        if dropna is not None:
            raise NotImplementedError("strict cuDF: GroupBy.nth: dropna is not currently supported.")
        return wrap(self._grouped.nth(unwrap(n, "GroupBy.nth")))

    def __getitem__(self, n: Any) -> Any:
        from .proxy import wrap  # (deferred, as above)

        return wrap(self._grouped.nth[n])


def _to_csv(obj: Any, *args: Any, **kwargs: Any) -> Any:
    # cuDF's DataFrame.to_csv: libcudf's text of floats and timestamps (csv_text.py)
    from .csv_text import to_csv

    return to_csv(obj, *args, **kwargs)


def _isin(obj: Any, values: Any) -> Any:
    # cuDF's isin: values of one kind, NaN matches no null (isin.py)
    from .isin import isin

    return isin(obj, values)


def _query(obj: Any, expr: str, local_dict: Any = None) -> Any:
    """cuDF's ``query``: without ``local_dict``, ``@name`` is read from its caller's variables (the first frame
    outside the stand-in), as cuDF reads them; pandas would look in the stand-in's own frame."""
    import os
    import sys

    if local_dict is None:
        here, frame = os.path.dirname(__file__), sys._getframe(1)
        while frame is not None and os.path.dirname(frame.f_code.co_filename) == here:
            frame = frame.f_back
        local_dict = {**frame.f_globals, **frame.f_locals} if frame is not None else {}
    return obj.query(expr, local_dict=local_dict)


def _leaves(accessor: Any) -> Any:
    from .proxy import wrap  # (deferred, as above)

    return wrap(nested.list_leaves(accessor))


def _rolling_apply(obj: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
    """cuDF's ``Rolling.apply``: numba compiles ``func``, which gets each window as a 1-D array (pandas'
    ``raw=True``); its ``args``/``kwargs`` are documented "unsupported" and dropped (refused here), and windows of
    a column holding nulls are refused."""
    from .signatures import StrictCudfError

    if args or kwargs:
        raise StrictCudfError("strict cuDF: Rolling.apply: cuDF passes no arguments to func (args/kwargs are "
                              f"unsupported and ignored), got {len(args)} positional, keywords {sorted(kwargs)}")
    if bool(getattr(obj, "_selected_obj", obj.obj).isna().to_numpy().any()):  # (cuDF: a column has nulls)
        raise NotImplementedError("Handling UDF with null values is not yet supported (strict cuDF, as cuDF's "
                                  "Rolling.apply)")
    return obj.apply(func, raw=True)


# members whose results differ from pandas' (see categorical.py): (class, name) -> function(pandas object, ...)
DIFFERS = {
    ("DataFrame", "query"): _query,
    ("Rolling", "apply"): _rolling_apply,
    **{("ListMethods", name): func for name, func in nested.LIST_METHODS.items()},
    **{("StructMethods", name): func for name, func in nested.STRUCT_METHODS.items()},
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
HOST_MEMBERS = {("DataFrame", "columns")}

def _nans_to_nulls(obj: Any) -> Any:
    from .proxy import wrap

    return wrap(obj.copy())  # the stand-in's nulls are NaN already (see nulls.py)


CUDF_ONLY = {"to_pandas": _to_pandas, "to_arrow": _to_arrow, "partition_by_hash": _partition_by_hash,
             "nans_to_nulls": _nans_to_nulls,
             "hash_values": _hash_values,
             "values_host": _values_host, "to_parquet": _to_parquet, "to_orc": _to_orc, "nth": _NthSelector,
             "dtypes": dtypes.dtypes_member,  # (a pandas Series of cuDF dtypes, as cuDF)
             "values": _device_values,  # (CuPy on a GPU: a DeviceArray here)
             "to_csv": _to_csv, "isin": _isin,
             "leaves": _leaves}  # (ListMethods.leaves, a property)

