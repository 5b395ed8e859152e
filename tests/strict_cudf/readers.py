"""``cudf.read_parquet`` and ``cudf.read_csv`` of the strict stand-in: cuDF 26.10's readers, emulated on the host.

Each takes exactly cuDF's parameters (names from ``cudf_api.json``) and refuses
what cuDF refuses; what it returns is what cuDF's reader returns, computed with
pyarrow and pandas:

``read_parquet``
    Each source's row groups (``row_groups=``, one list per source) and
    columns, concatenated (files must agree on the columns' types, as
    libcudf's reader needs); dictionary columns as their values and
    time-zone-aware timestamps as UTC without a zone (libcudf keeps neither); dates as
    ``datetime64[s]`` (cuDF has no date type);
    the stored index columns of the pandas metadata become the index when all
    are read; with ``columns=[]`` a frame without columns and without rows: cuDF 26.10
    gives the row count there only with pyarrow >= 26 (``PYARROW_GE_26`` in
    ``cudf/io/parquet.py``), and the GPU image has pyarrow 25.
    Unknown keywords raise ``ValueError`` ("cudf engine doesn't support the
    following keyword arguments"), as cuDF's ``_read_parquet`` does.  What
    gpuscale does not use (``filters=``, ``nrows=``, directory discovery, ...)
    raises ``StrictCudfError`` so that a new use is emulated before it is
    trusted.
``read_csv``
    ``byte_range=(offset, size)`` as libcudf selects rows: with ``offset > 0``
    the first row starts after the first line terminator at or after
    ``offset``; rows starting at or before ``offset + size`` are read whole.
    A header row inside a byte range at ``offset > 0`` is refused ("byte_range
    offset with header not supported"), as are ``byte_range`` with
    ``skiprows``/``skipfooter``/``nrows`` or compression.  Without names and
    header, columns are named ``"0"``, ``"1"``, ... (strings), as libcudf does.

``read_json``
    Only its ``engine="cudf"`` path (``engine="auto"`` with ``lines=True``): without ``lines=True`` cuDF
    reads the JSON with pandas on the CPU (it warns "Using CPU via Pandas"), a fallback refused here.
    libcudf infers numbers, booleans and strings (``dtype=True``) and, unlike pandas, converts no
    column to dates by its name.

Every call is appended to ``CALLS`` as ``(name, source, keywords)``.
"""

from __future__ import annotations

import io
import os
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .nulls import masked_name

CALLS: list = []

_PARQUET_INTERNAL = {"_chunk_read_limit", "_pass_read_limit", "filters", "prefetch_options"}


class NotEmulated(TypeError):
    """A reader feature the stand-in does not emulate (emulate it before relying on it)."""


def read_parquet(spec: dict, filepath_or_buffer: Any, *args: Any, **kwargs: Any) -> Any:
    """``cudf.read_parquet`` (see the module docstring)."""
    params = spec["params"]
    if args:
        raise NotEmulated("strict cuDF: positional options of read_parquet are not emulated")
    unknown = sorted(set(kwargs) - set(params) - _PARQUET_INTERNAL)
    if unknown:
        raise ValueError(f"cudf engine doesn't support the following keyword arguments: {unknown}")
    CALLS.append(("read_parquet", filepath_or_buffer, dict(kwargs)))
    columns = kwargs.get("columns")
    row_groups = kwargs.get("row_groups")
    fs = kwargs.get("filesystem")
    used = {k for k, v in kwargs.items() if v is not None}
    for name in used - {"columns", "row_groups", "filesystem", "use_pandas_metadata", "dataset_kwargs", "engine"}:
        raise NotEmulated(f"strict cuDF: read_parquet({name}=...) is not emulated")
    if kwargs.get("engine", "cudf") != "cudf":
        raise NotEmulated("strict cuDF: read_parquet(engine='pyarrow') is not emulated")
    sources = filepath_or_buffer if isinstance(filepath_or_buffer, list) else [filepath_or_buffer]
    discovering = (kwargs.get("dataset_kwargs") or {}).get("partitioning", "hive") is not None
    if discovering and any(not isinstance(s, str) or os.path.isdir(s) or "=" in s for s in sources):
        # (on files outside key=value folders cuDF's discovery finds nothing: read as they are)
        raise NotEmulated("strict cuDF: cuDF's own dataset discovery (hive partitioning) is not emulated; "
                          "pass dataset_kwargs={'partitioning': None}")
    if row_groups is not None and (len(row_groups) != len(sources) or
                                   not all(isinstance(r, list) for r in row_groups)):
        raise NotEmulated("strict cuDF: row_groups= is emulated as one list per source")
    tables, metadata = [], None
    for k, source in enumerate(sources):
        table, file_metadata = _read_file(source, fs, None if row_groups is None else row_groups[k], columns)
        tables.append(table)
        metadata = metadata or file_metadata
    return _to_frame(_concat(tables), metadata, columns)


def _read_file(source: Any, fs: Any, row_groups: list | None, columns: list | None) -> tuple:
    import pyarrow.parquet as pq

    handle = fs.open(source, "rb") if fs is not None else open(source, "rb")
    with handle:
        parquet = pq.ParquetFile(handle)
        ids = list(range(parquet.num_row_groups)) if row_groups is None else row_groups
        names = parquet.schema_arrow.names if columns is None else list(columns)
        missing = [c for c in names if c not in parquet.schema_arrow.names]
        if missing:  # libcudf drops unknown columns (ignore_missing_columns=True)
            names = [c for c in names if c not in missing]
        table = parquet.read_row_groups(ids, columns=names, use_pandas_metadata=False)
        rows = sum(parquet.metadata.row_group(i).num_rows for i in ids)
        return (table, rows), parquet.schema_arrow.pandas_metadata


def _concat(tables: list) -> tuple:
    import pyarrow as pa

    first = tables[0][0].schema
    for table, _ in tables[1:]:
        if not table.schema.remove_metadata().equals(first.remove_metadata()):
            raise RuntimeError("strict cuDF: the sources' schemas differ (libcudf reads sources of one schema)")
    rows = sum(n for _, n in tables)
    return pa.concat_tables([t for t, _ in tables]), rows


def _decoded(table: Any) -> Any:
    """What libcudf returns: dictionary columns as their values, zoned timestamps as UTC without a zone."""
    import pyarrow as pa

    fields = []
    for field in table.schema:
        kind = field.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if pa.types.is_timestamp(kind) and kind.tz is not None:
            kind = pa.timestamp(kind.unit)
        fields.append(pa.field(field.name, kind))
    return dates_as_seconds(table.cast(pa.schema(fields)) if fields else table)


def dates_as_seconds(table: Any) -> Any:
    """Date columns as cuDF has them: ``datetime64[s]`` (cuDF has no date type: pylibcudf's TIMESTAMP_DAYS is
    cast to seconds, ``_normalize_types_column`` in cudf/core/column/column.py); pandas gives ``datetime.date``
    objects."""
    import pyarrow as pa

    if not any(pa.types.is_date(field.type) for field in table.schema):
        return table
    schema = pa.schema([pa.field(f.name, pa.timestamp("s")) if pa.types.is_date(f.type) else f for f in table.schema],
                       metadata=table.schema.metadata)
    return table.cast(schema)


def _to_frame(read: tuple, metadata: dict | None, columns: list | None) -> Any:
    from . import wrap

    table, rows = read
    if columns is not None and len(columns) == 0:  # no rows: as cuDF 26.10 with pyarrow < 26 (see the docstring)
        return wrap(pd.DataFrame(index=pd.RangeIndex(0)))
    frame = _decoded(table).to_pandas(ignore_metadata=True)
    frame = _masked_integers(table, frame)
    stored = [c for c in (metadata or {}).get("index_columns", []) if isinstance(c, str)]
    if stored and all(c in frame.columns for c in stored):  # as cuDF's _process_metadata
        names = {c["field_name"]: c["name"] for c in metadata["columns"]}
        frame = frame.set_index(stored)
        frame.index.names = [names.get(c) for c in stored]
    return wrap(frame)


def _masked_integers(table: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """Integer and boolean columns with nulls as cuDF has them: their own dtype with a null mask (in the
    stand-in, pandas' masked ``Int64``/``boolean``), where pyarrow's ``to_pandas`` gives float64/object."""
    import pyarrow as pa

    for position, column in enumerate(table.columns):
        kind = column.type
        if column.null_count and (pa.types.is_integer(kind) or pa.types.is_boolean(kind)):
            masked = masked_name(np.dtype(kind.to_pandas_dtype()))
            frame.isetitem(position, column.to_pandas(types_mapper=lambda _, m=masked: pd.api.types.pandas_dtype(m)))
    return frame


# -- read_csv -------------------------------------------------------------------------------------
_PANDAS_CSV = ("sep", "delimiter", "header", "names", "index_col", "usecols", "dtype", "true_values",
               "false_values", "skipinitialspace", "skiprows", "skipfooter", "nrows", "na_values",
               "keep_default_na", "na_filter", "skip_blank_lines", "parse_dates", "dayfirst", "compression",
               "thousands", "decimal", "lineterminator", "quotechar", "quoting", "doublequote", "comment")


def read_csv(filepath_or_buffer: Any, **kwargs: Any) -> Any:
    """``cudf.read_csv`` (see the module docstring); keywords were checked against cuDF's signature."""
    from . import wrap

    CALLS.append(("read_csv", filepath_or_buffer, dict(kwargs)))
    for name in ("storage_options", "bytes_per_thread", "prefix"):
        if kwargs.get(name) is not None:
            raise NotEmulated(f"strict cuDF: read_csv({name}=...) is not emulated")
    byte_range = kwargs.pop("byte_range", None)
    data = _source_bytes(filepath_or_buffer)
    header = kwargs.get("header", "infer")
    names = kwargs.get("names")
    if byte_range is not None:
        if kwargs.get("skipfooter") or kwargs.get("skiprows") or kwargs.get("nrows") is not None:
            raise ValueError("cannot manually limit rows to be read when using the byte range parameter")
        if kwargs.get("compression") not in (None, "infer"):
            raise RuntimeError("Reading compressed data using `byte range` is unsupported")
        offset, size = byte_range
        header_row = header if header not in ("infer",) else (-1 if names is not None else 0)
        if offset > 0 and header_row is not None and header_row >= 0:
            raise RuntimeError("byte_range offset with header not supported")
        data = _byte_range(data, offset, size, kwargs.get("lineterminator") or "\n")
    options = {k: v for k, v in kwargs.items() if k in _PANDAS_CSV}
    if names is not None and header == "infer":
        options["header"] = None
    if not data.strip() and names is not None:
        frame = pd.DataFrame({n: pd.Series([], dtype="str") for n in names})
    else:
        frame = _fields_beyond_the_columns_dropped(data, options)
    if names is None and options.get("header", "infer") is None:
        frame.columns = [str(c) for c in frame.columns]
    return wrap(_utc_without_zone(frame))


def _fields_beyond_the_columns_dropped(data: bytes, options: dict) -> pd.DataFrame:
    """pandas' read, except that a row with more fields than there are columns keeps its first fields: libcudf
    parses as many fields as there are columns and drops the rest without an error (seen on the GPU: a
    ``1,2,3`` row of a two-column file was read as ``1,2``), where pandas raises."""
    try:
        return pd.read_csv(io.BytesIO(data), **options)
    except pd.errors.ParserError as error:
        if "Expected" not in str(error):
            raise
    width = len(pd.read_csv(io.BytesIO(data), nrows=0, **{k: v for k, v in options.items() if k != "dtype"}).columns)
    return pd.read_csv(io.BytesIO(data), engine="python", on_bad_lines=lambda fields: fields[:width],
                       **{k: v for k, v in options.items() if k not in ("low_memory", "engine")})


def _utc_without_zone(frame: pd.DataFrame) -> pd.DataFrame:
    """libcudf parses a timestamp with the UTC designator (``2024-01-01T00:00:00.000000Z``, as cuDF's CSV
    writer writes them) into a timestamp without a zone, where pandas gives a UTC-aware column (seen on the
    GPU: ``datetime64[ns]`` values of the UTC times).  Other offsets are not emulated (pandas' result)."""
    for j in range(frame.shape[1]):
        kind = frame.iloc[:, j].dtype
        if isinstance(kind, pd.DatetimeTZDtype) and str(kind.tz) == "UTC":
            frame.isetitem(j, frame.iloc[:, j].dt.tz_convert(None))
    return frame


def read_json(path_or_buf: Any, *args: Any, **kwargs: Any) -> Any:
    """``cudf.read_json`` (see the module docstring); keywords were checked against cuDF's signature."""
    from . import StrictCudfError, wrap

    CALLS.append(("read_json", path_or_buf, dict(kwargs)))
    engine = kwargs.get("engine", "auto")
    if engine == "auto":
        engine = "cudf" if kwargs.get("lines") else "pandas"
    if engine != "cudf":
        raise StrictCudfError("strict cuDF: read_json without lines=True falls back to pandas on the CPU "
                              "(cuDF warns 'Using CPU via Pandas to read JSON dataset')")
    for name in ("byte_range", "storage_options", "keep_quotes", "mixed_types_as_string", "prune_columns"):
        if kwargs.get(name):
            raise NotEmulated(f"strict cuDF: read_json({name}=...) is not emulated")
    if args or set(kwargs) - {"engine", "orient", "dtype", "lines", "compression", "on_bad_lines"}:
        raise NotEmulated(f"strict cuDF: read_json with {sorted(kwargs)} is not emulated")
    dtype = kwargs.get("dtype")
    with warnings.catch_warnings():  # pandas 3 deprecates convert_dates= (cuDF converts no column by its name)
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        frame = pd.read_json(io.BytesIO(_source_bytes(path_or_buf)), lines=True, orient=kwargs.get("orient"),
                             dtype=True if dtype is None else dtype, compression=kwargs.get("compression", "infer"),
                             convert_dates=False)
    return wrap(frame)


def _source_bytes(source: Any) -> bytes:
    if isinstance(source, (io.BytesIO, io.BufferedIOBase)):
        return source.getvalue() if isinstance(source, io.BytesIO) else source.read()
    if isinstance(source, str):
        with open(source, "rb") as handle:
            return handle.read()
    raise NotEmulated(f"strict cuDF: read_csv of a {type(source).__name__} is not emulated")


def _byte_range(data: bytes, offset: int, size: int, terminator: str) -> bytes:
    """libcudf's rows of a byte range: starting after the first terminator at or after ``offset`` (when
    ``offset > 0``), up to the row starting at ``offset + size`` included, each read whole."""
    mark = terminator.encode()
    begin = 0
    if offset > 0:
        found = data.find(mark, offset)
        begin = len(data) if found < 0 else found + 1
    if size == 0:
        return data[begin:]
    limit = offset + size
    if limit >= len(data):
        return data[begin:]
    found = data.find(mark, limit)
    end = len(data) if found < 0 else found + 1
    return data[begin:end]


def read_text(filepath_or_buffer: Any, delimiter: Any = None, byte_range: Any = None, strip_delimiters: bool = False,
              compression: Any = None, compression_offsets: Any = None, storage_options: Any = None) -> Any:
    """``cudf.read_text``: the file split into records after each ``delimiter`` (kept unless stripped: a record
    loses the delimiter's length at most; no empty record after a final one); with ``byte_range=(offset, size)``
    the records starting in it (libcudf's ``multibyte_split``, whose C++ tests these follow).  Read whole here,
    so a range's records run on past its end by construction."""
    from . import wrap

    CALLS.append(("read_text", filepath_or_buffer, {"byte_range": byte_range}))
    if delimiter is None:
        raise ValueError("delimiter needs to be provided")
    if compression is not None or storage_options:
        raise NotEmulated("strict cuDF: read_text(compression=/storage_options=) is not emulated")
    data, marker = _source_bytes(filepath_or_buffer), delimiter.encode()
    # a record ends wherever the delimiter ends, overlapping ends too ("::" ends twice in ":::"), as libcudf's
    ends = [i + len(marker) for i in range(len(data) - len(marker) + 1) if data[i:i + len(marker)] == marker]
    bounds = list(zip([0, *ends], [*ends, len(data)]))
    low, high = (0, len(data)) if byte_range is None else (byte_range[0], byte_range[0] + byte_range[1])
    records = []
    for k, (start, end) in enumerate(bounds):
        if start < len(data) and low <= start < high:
            if strip_delimiters and k < len(ends):
                end = max(start, end - len(marker))
            records.append(data[start:end].decode())
    return wrap(pd.Series(records, dtype="str"))
