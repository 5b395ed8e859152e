"""Arrow tables and pandas frames into partitions of the chosen library (pandas or cuDF)."""

from __future__ import annotations

from typing import Any, Iterable

from gpuscale.backends.convert import to_device

__all__ = ["table_to_frame", "frame_to_backend", "unknown_columns_error", "empty_like", "arrow_memory_pool"]


def unknown_columns_error(names: Iterable[str], available: Iterable[str], what: str) -> None:
    """Raise ``KeyError`` naming the columns of ``names`` not in ``available``, listing those that are."""
    available = list(available)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise KeyError(f"{what} names unknown column(s) {unknown}; available columns: {available}")


def table_to_frame(table: Any, options: dict, backend: str) -> Any:
    """Convert an Arrow table to a partition of ``backend``: for pandas as ``pandas.read_parquet`` does;
    for cuDF straight from Arrow to the device (no pandas frame on the host in between).

    ``options`` may hold ``set_index`` (a column), ``range_index``
    (``(start, step, name)``) or ``position_index`` (``(column, start, step,
    name)``: row positions in a column) to build the index, and (pandas only)
    ``to_pandas``: keywords of ``Table.to_pandas`` (``categories``,
    ``types_mapper``...), ``dtype_backend`` (``"numpy_nullable"`` or
    ``"pyarrow"``, as ``pandas.read_parquet``; after a ``types_mapper``) and
    ``convert_string`` (strings as ``string[pyarrow]``, dates and decimals
    as ``ArrowDtype``, after both) and ``nulls_in``: integer and boolean
    columns read as if they held a null (see :func:`_as_if_holding_nulls`).
    """
    positions = None
    if "position_index" in options:  # taken from the table: popping it from the frame would copy a block
        column = options["position_index"][0]
        positions = table.column(column).to_numpy()
        table = table.drop_columns([column])
    level_positions = None
    if "range_levels" in options:  # rows' dataset positions (a meta's empty table: none)
        level_positions = _pop_positions(table)
        table = table.drop_columns([_POSITION_COLUMN]) if _POSITION_COLUMN in table.column_names else table
    if backend == "cudf" and level_positions is None:
        frame = to_device(table, "cudf")
    else:  # (range levels: made on the host, then copied, as cuDF's from_arrow takes no range description)
        frame = _to_pandas(table, options.get("to_pandas") or {}, options.get("dtype_backend"),
                           options.get("convert_string", False))
        frame = _as_if_holding_nulls(frame, options.get("nulls_in", ()))
    if "set_index" in options:  # (pandas' stored index read as a column beside it, as dask)
        frame = _set_index(_stored_index_as_columns(frame, table.column_names), options["set_index"])
    elif "range_index" in options:
        frame = _stored_index_as_columns(frame, table.column_names)
        frame.index = _range_index(len(frame), *options["range_index"], library=backend)
    elif positions is not None:
        frame = _stored_index_as_columns(frame, table.column_names)
        frame.index = frame_to_backend(_position_index(positions, *options["position_index"][1:]), backend)
    elif level_positions is not None:
        frame = frame_to_backend(_with_range_levels(frame, level_positions, options["range_levels"]), backend)
    return frame


_POSITION_COLUMN = "__gpuscale_position__"  # (parquet_read's rows' dataset positions)


def _pop_positions(table: Any) -> Any:
    import numpy as np

    if _POSITION_COLUMN in table.column_names:
        return table.column(_POSITION_COLUMN).to_numpy()
    return np.arange(table.num_rows, dtype="int64")


def _with_range_levels(frame: Any, positions: Any, described: tuple) -> Any:
    """``frame`` with the MultiIndex levels pandas stored as range descriptions (``described``: ``((level,
    start, step, name), ...)`` and the index's levels in all): each row's value is its dataset position's in
    the range.  pyarrow restores them only for a table of all the rows (a partition or the meta had the
    other levels alone)."""
    import pandas as pd

    levels, wanted = described
    if frame.index.nlevels >= wanted or len(frame.index) != len(positions):
        return frame
    arrays = [frame.index.get_level_values(i) for i in range(frame.index.nlevels)]
    if frame.index.nlevels == 1 and frame.index.name is None and isinstance(frame.index, pd.RangeIndex):
        arrays = []  # no stored level: only the ranges
    for level, start, step, name in levels:
        arrays.insert(level, pd.Index(start + step * positions, dtype="int64", name=name))
    frame.index = pd.MultiIndex.from_arrays(arrays) if len(arrays) > 1 else arrays[0]
    return frame


def _to_pandas(table: Any, keywords: dict, dtype_backend: str | None, convert_string: bool = False) -> Any:
    # split_blocks: one block per column, no copy to consolidate columns of a dtype;
    # the dtypes are the same as pandas.read_parquet's
    keywords = dict(keywords)
    mapper = _types_mapper(keywords.pop("types_mapper", None), dtype_backend)
    if convert_string:
        mapper = _then_arrow_strings(mapper)
    if mapper is not None:
        keywords["types_mapper"] = mapper
    options = {"split_blocks": True, "memory_pool": arrow_memory_pool(), **keywords}
    return _numbers_in_one_chunk(table).to_pandas(**options)


def _as_if_holding_nulls(frame: Any, names: Iterable[str]) -> Any:
    """``frame`` with its integer columns among ``names`` as float64 and its boolean ones as objects.

    NumPy has no missing integer or boolean, so pandas reads such a column that
    holds a null as float64 (booleans as objects).  When any part of a dataset
    holds one, pandas reading it whole gives that dtype: each partition is
    given it too, so partitions without nulls agree with those with them and
    with the collection's metadata."""
    import numpy as np

    wanted = {str(name) for name in names}
    for position, label in enumerate(frame.columns):
        kind = frame.dtypes.iloc[position]  # NumPy's only: pandas' metadata may restore a nullable Int64
        if str(label) in wanted and isinstance(kind, np.dtype) and kind.kind in "iub":
            frame.isetitem(position, frame.iloc[:, position].astype("float64" if kind.kind != "b" else object))
    return frame


def _types_mapper(user: Any, dtype_backend: str | None) -> Any:
    """The ``types_mapper`` of a conversion: the user's first, then ``dtype_backend``'s (None: neither)."""
    import pandas as pd

    if dtype_backend == "pyarrow":
        backend = pd.ArrowDtype
    elif dtype_backend == "numpy_nullable":
        backend = _nullable_dtype
    else:
        backend = None
    if user is None or backend is None:
        return user or backend

    def mapper(kind: Any) -> Any:
        chosen = user(kind)
        return backend(kind) if chosen is None else chosen
    return mapper


def _then_arrow_strings(mapper: Any) -> Any:
    """``mapper``, then dask's ``dataframe.convert-string`` mapping: strings as ``string[pyarrow]``, dates
    and decimals (else Python objects) as ``pandas.ArrowDtype``."""
    import pandas as pd
    import pyarrow as pa

    t = pa.types

    def strings(kind: Any) -> Any:
        chosen = mapper(kind) if mapper is not None else None
        if chosen is not None:
            return chosen
        if t.is_string(kind) or t.is_large_string(kind) or t.is_string_view(kind):
            return pd.StringDtype("pyarrow")
        if t.is_date(kind) or t.is_decimal(kind):
            return pd.ArrowDtype(kind)
        return None
    return strings


def _nullable_dtype(kind: Any) -> Any:
    """pandas' nullable extension dtype for an Arrow type (None: the default conversion)."""
    import pandas as pd
    import pyarrow as pa

    t = pa.types
    if t.is_integer(kind):  # Int8 ... UInt64
        return pd.api.types.pandas_dtype(f"{'U' if t.is_unsigned_integer(kind) else ''}Int{kind.bit_width}")
    if t.is_float32(kind) or t.is_float64(kind):
        return pd.api.types.pandas_dtype(f"Float{kind.bit_width}")
    if t.is_boolean(kind):
        return pd.BooleanDtype()
    if t.is_string(kind) or t.is_large_string(kind) or t.is_string_view(kind):
        return pd.StringDtype()
    return None


def _numbers_in_one_chunk(table: Any) -> Any:
    """``table`` with its numeric and temporal columns in one chunk each.

    A parquet read gives one chunk per row group.  Arrow converts a chunked
    numeric column to NumPy at about half the speed of concatenating the chunks
    first and converting the result (often without a copy); string columns stay
    chunked, since pandas keeps them as Arrow data anyway.
    """
    import pyarrow as pa

    def flat(column: Any) -> bool:
        kind = column.type
        return column.num_chunks > 1 and (pa.types.is_integer(kind) or pa.types.is_floating(kind) or
                                          pa.types.is_temporal(kind))

    if not any(flat(column) for column in table.columns):
        return table
    pool = arrow_memory_pool()  # concat_arrays, since ChunkedArray.combine_chunks ignores the pool it is given
    columns = [pa.concat_arrays(column.chunks, memory_pool=pool) if flat(column) else column for column in table.columns]
    return pa.Table.from_arrays(columns, schema=table.schema)


def arrow_memory_pool() -> Any:
    """The Arrow memory pool gpuscale's reads allocate from: the system allocator.

    Arrow's default pool (mimalloc in the wheels) returns freed pages to the OS
    eagerly, so reading partition after partition faults the same memory in
    again: on a 2-core machine TPC-H Q6 at SF 10 spent 4.2 s of system time
    (4.6 s in all) with it and 0.8 s (2.7 s) with the system allocator, whose
    freed memory NumPy and pandas, which use it too, reuse.  Only gpuscale's
    own calls use this pool; the process default is left alone.
    """
    import pyarrow as pa

    return pa.system_memory_pool()


def _position_index(positions: Any, start: int, step: int, name: Any) -> Any:
    """Index rows by ``start + position * step``."""
    import pandas as pd

    values = positions if (start, step) == (0, 1) else start + positions * step
    return pd.Index(values, name=name, copy=False)


def _stored_index_as_columns(frame: Any, names: list) -> Any:
    """Index columns the pandas metadata restored, back as columns in the table's order (read_parquet with
    index=False reads them as data)."""
    if not any(name in names for name in frame.index.names):
        return frame
    frame = frame.reset_index()
    return frame[[name for name in names if name in frame.columns]]


def _set_index(frame: Any, column: str | tuple) -> Any:
    if isinstance(column, tuple):  # a MultiIndex of stored columns (pandas metadata may have made some the index)
        stored = [name for name in frame.index.names if name is not None]
        frame = frame.reset_index(stored) if stored else frame
        return frame.set_index(list(column))
    if column not in frame.columns and column in frame.index.names:  # pandas metadata already made it the index
        return frame.reset_index([n for n in frame.index.names if n != column], drop=True) \
            if frame.index.nlevels > 1 else frame
    return frame.set_index(column)


def _range_index(length: int, start: int, step: int, name: Any, library: str = "pandas") -> Any:
    from gpuscale.backends.frame.core import from_library

    return from_library(library).RangeIndex(start, start + length * step, step, name=name)


def frame_to_backend(frame: Any, backend: str) -> Any:
    """A pandas frame (or index) as one of ``backend`` ("pandas" or "cudf", the copy counted)."""
    return to_device(frame, "cudf") if backend == "cudf" else frame


def empty_like(frame: Any) -> Any:
    """The zero-row version of a frame: the ``_meta`` of a collection."""
    return frame.iloc[:0]
