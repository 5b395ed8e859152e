"""cuDF partitions read by cuDF's own readers: ``cudf.read_parquet`` and ``cudf.read_csv``.

With ``backend="cudf"`` a parquet partition is decoded by ``cudf.read_parquet``
(only the partition's row groups, as the planner chose them, and only the
needed columns) and a CSV block by ``cudf.read_csv`` (``byte_range=`` of a
local file), so the data is parsed on the device.  What the pandas path does
with Arrow afterwards is done here on the cuDF frame with the same meaning:

* dtypes are made those of the collection's meta (dictionary columns become
  categorical, hive partition keys categorical with every value found);
* filters are applied on the device by :func:`filter_mask`: user ``filters=``
  with pyarrow's meaning (a missing value never matches, except ``not in``),
  terms pushed from a boolean mask exactly as that mask computes them;
* the index is built as the pandas path builds it (stored index columns, an
  index column, or dataset row positions, also under a filter).

Where cuDF's reader cannot give the pandas path's result, the Arrow (parquet)
or pandas (CSV) path is taken and the reason is kept: see
:meth:`gpuscale.backends.io.parquet.ParquetDataset.cudf_reader_problem` and
:func:`csv_reader_problem`.  The keywords passed are those of cuDF 26.10's
signatures (:data:`PARQUET_KEYWORDS`, :data:`CSV_KEYWORDS`; ``make test-cudf``
checks them against the real package).
"""

from __future__ import annotations

import functools
import io
import operator
import re
from typing import Any

from gpuscale.backends.frame.categorical import UNKNOWN_CATEGORIES, host_dtype
from gpuscale.backends.io.source_errors import raise_naming

__all__ = [
    "PARQUET_KEYWORDS", "CSV_KEYWORDS", "filter_mask", "match_dtypes", "read_parquet_cudf", "csv_reader_problem",
    "read_csv_block_cudf",
]

# the keywords gpuscale passes to cudf.read_parquet / cudf.read_csv (checked against cuDF by the lane)
PARQUET_KEYWORDS = ("columns", "row_groups", "filesystem", "use_pandas_metadata", "dataset_kwargs")
CSV_KEYWORDS = (
    "sep", "delimiter", "header", "names", "index_col", "usecols", "dtype", "true_values", "false_values",
    "skipinitialspace", "skiprows", "skipfooter", "nrows", "na_values", "keep_default_na", "na_filter",
    "skip_blank_lines", "parse_dates", "dayfirst", "compression", "thousands", "decimal", "lineterminator",
    "quotechar", "quoting", "doublequote", "comment", "byte_range",
)
# the user's pandas.read_csv options that go to cuDF's reader as they are
_CSV_PASSED = frozenset(CSV_KEYWORDS) - {"dtype", "compression", "byte_range"}


# -- filters on a frame (pandas or cuDF) ----------------------------------------------------
_OPS = {"=": operator.eq, "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}


def filter_mask(frame: Any, groups: Any, pushed: Any) -> Any:
    """The rows of ``frame`` that pass user DNF ``groups`` AND every ``pushed`` term, as a boolean Series.

    Parameters
    ----------
    frame : pandas.DataFrame or cudf.DataFrame
        Holds every column the terms name.
    groups : sequence of sequences of (column, op, value), or None
        ``read_parquet(filters=)``: an OR of ANDs, with pyarrow's meaning: a
        missing value matches no comparison and no ``in``, and matches
        ``not in``.  Categorical columns are compared by their values.
    pushed : sequence of (column, op, value)
        Terms the optimizer moved from a boolean mask: evaluated exactly as
        that mask is on ``frame``'s library (pandas: ``!=`` matches a
        missing value).  A value may be a ``ColumnRef`` (another column).

    Returns
    -------
    Series of bool, without missing values.
    """
    parts = []
    if groups:
        clauses = [functools.reduce(operator.and_, [_user_term(frame, term) for term in group])
                   for group in groups]
        parts.append(functools.reduce(operator.or_, clauses))
    parts.extend(_pushed_term(frame, term) for term in pushed or ())
    if not parts:
        raise ValueError("filter_mask: no filter terms")
    return functools.reduce(operator.and_, parts).fillna(False)


def _values(frame: Any, column: str) -> Any:
    """A column as comparable values: a categorical column as its categories' type."""
    series = frame[column]
    if getattr(series.dtype, "name", None) == "category":
        return series.astype(series.cat.categories.dtype)
    return series


def _operand(frame: Any, value: Any) -> Any:
    from gpuscale.backends.io.parquet_stats import ColumnRef

    return _values(frame, value.name) if isinstance(value, ColumnRef) else value


def _user_term(frame: Any, term: tuple) -> Any:
    column, op, value = term
    if op in ("is", "is not"):  # dask's terms for missing values (None or NaN): no need to decode categories
        return frame[column].isna() if op == "is" else frame[column].notna()
    series = _values(frame, column)
    if op == "in":
        return series.isin(list(value)) & series.notna()
    if op == "not in":  # pyarrow: a missing value is not in the set
        return ~series.isin(list(value)) | series.isna()
    if op not in _OPS:
        raise ValueError(f"read_parquet: filters= operator {op!r} is not one of "
                         f"{sorted(_OPS) + ['in', 'not in', 'is', 'is not']}")
    other = _operand(frame, value)
    present = series.notna() & other.notna() if hasattr(other, "notna") else series.notna()
    return _OPS[op](series, other).fillna(False) & present


def _pushed_term(frame: Any, term: tuple) -> Any:
    column, op, value = term
    series = frame[column]
    if op == "in":
        return series.isin(list(value))
    if op == "not in":
        return ~series.isin(list(value))
    mask = _OPS["!=" if op == "!=na" else op](series, _operand(frame, value))
    return mask.fillna(op == "!=")  # a mask's missing comparison: only "!=" of NaN holds, as in pandas


# -- dtypes -------------------------------------------------------------------------------
def match_dtypes(frame: Any, dtypes: dict) -> Any:
    """``frame`` with each column of ``dtypes`` cast to it where the reader gave another dtype.

    cuDF's parquet reader returns dictionary columns as their values and
    time-zone-aware timestamps without their zone; the meta (built from the
    Arrow schema) has them categorical and zoned.  A categorical target
    without categories or with unknown ones (a data column) becomes categorical with the values
    found; one with categories (hive keys) takes them as they are.
    """
    for column in list(frame.columns):
        target = dtypes.get(column)
        series = frame[column]
        if target is None or series.dtype == target:
            continue
        if getattr(target, "name", None) == "category" and (len(target.categories) == 0 or
                                                            UNKNOWN_CATEGORIES in host_dtype(target).categories):
            frame[column] = series if str(series.dtype) == "category" else series.astype("category")
        elif getattr(target, "tz", None) is not None and getattr(series.dtype, "tz", None) is None:
            frame[column] = series.dt.tz_localize("UTC").dt.tz_convert(target.tz)
        else:
            frame[column] = series.astype(target)
    return frame


# -- parquet --------------------------------------------------------------------------------
def read_parquet_cudf(partition: Any, spec: Any) -> Any:
    """Read one parquet partition with ``cudf.read_parquet``: its row groups, its columns, its rows.

    Parameters
    ----------
    partition : gpuscale.backends.io.parquet_read.ParquetPartition
        Row groups (at least one) and their dataset positions.
    spec : gpuscale.backends.io.parquet_read.ParquetReadSpec
        With ``reader="cudf"``: the read's columns, filter terms, index plan,
        hive columns, target dtypes and fsspec filesystem.

    Returns
    -------
    cudf.DataFrame
        The pandas path's partition, on the device.
    """
    from gpuscale.backends.io.frames import _set_index
    from gpuscale.backends.io.parquet_read import read_columns

    index = spec.index
    wanted = read_columns(list(spec.columns), index)
    needed = list(dict.fromkeys([*wanted, *spec.filter_columns]))
    frame = _read_row_groups(partition, spec, needed, index.use_range)
    frame = match_dtypes(frame, dict(spec.dtypes or {}))
    positions = index.use_range and not index.per_partition
    if positions:
        frame.index = _dataset_index(len(frame), partition, index)
    if spec.groups or spec.pushed:
        frame = frame[filter_mask(frame, spec.groups, spec.pushed)]
    if index.use_range and index.per_partition:  # no one reads the labels: the cheapest index
        frame.index = _range_index_cudf(len(frame), index.range_name)
    present = set(frame.columns)
    frame = frame[[c for c in wanted if c in present]]
    if index.set_column:
        return _set_index(frame, index.set_column)
    if index.columns:
        return _zoned_index(_stored_index(frame, index.columns), spec.schema)
    return frame


def _read_row_groups(partition: Any, spec: Any, needed: list, ignore_index: bool) -> Any:
    """One ``cudf.read_parquet`` per run of files with the same hive keys (one in all without hive)."""
    import cudf

    stored = [c for c in needed if c not in spec.hive]
    hive = [c for c in needed if c in spec.hive]
    runs = _file_runs(partition.fragments, bool(spec.hive))
    frames = []
    for keys, files in runs:
        options = {"columns": stored, "row_groups": [ids for _, ids in files], "use_pandas_metadata": False,
                   # the files are given one by one: no directory discovery, no hive columns of cuDF's own
                   "dataset_kwargs": {"partitioning": None}}
        if spec.filesystem is not None:
            options["filesystem"] = spec.filesystem
        try:
            frame = cudf.read_parquet([path for path, _ in files], **options)
        except (OSError, RuntimeError, ValueError) as error:  # corrupt data: name the file it is in
            raise_naming(error, _failing_file(files, options))
        if not stored:
            frame = _rows_only(frame, _row_count(files, partition.fragments))
        for name in hive:
            frame[name] = keys.get(name)
        frames.append(frame)
    return frames[0] if len(frames) == 1 else cudf.concat(frames, ignore_index=ignore_index)


def _failing_file(files: list, options: dict) -> str:
    """The parquet file of ``files`` (``[(path, [row group ids])]``) whose read fails alone (on the error path)."""
    import cudf

    for path, ids in files:
        try:
            cudf.read_parquet([path], **{**options, "row_groups": [ids]})
        except Exception:  # noqa: BLE001 - this one fails: name it
            return f"parquet file {path!r} (row group{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))})"
    return f"parquet files {[path for path, _ in files]}"


def _rows_only(frame: Any, rows: int) -> Any:
    """A read without columns with its rows: cuDF 26.10 gives their count only with pyarrow >= 26 (its
    ``PYARROW_GE_26``); with an older pyarrow the frame has no rows."""
    import cudf

    return frame if len(frame) == rows else cudf.DataFrame(index=cudf.RangeIndex(rows))


def _row_count(files: list, fragments: tuple) -> int:
    """The rows of ``files`` (``[(path, [row group ids])]``), from the footers the plan read."""
    rows = {(f.path, f.row_groups[0].id): f.row_groups[0].num_rows for f in fragments}
    return sum(rows[(path, rg)] for path, ids in files for rg in ids)


def _file_runs(fragments: tuple, with_hive: bool) -> list[tuple[dict, list]]:
    """``[(hive keys, [(file, [row group ids]), ...]), ...]``: consecutive files with equal keys together."""
    runs: list = []
    for fragment in fragments:
        keys = _hive_keys(fragment) if with_hive else {}
        if not runs or runs[-1][0] != keys:
            runs.append((keys, []))
        files = runs[-1][1]
        if files and files[-1][0] == fragment.path:
            files[-1][1].append(fragment.row_groups[0].id)
        else:
            files.append((fragment.path, [fragment.row_groups[0].id]))
    return runs


def _hive_keys(fragment: Any) -> dict:
    import pyarrow.dataset as ds

    return ds.get_partition_keys(fragment.partition_expression)


def _range_index_cudf(length: int, name: Any) -> Any:
    from gpuscale.backends.io.frames import _range_index

    return _range_index(length, 0, 1, name, library="cudf")


def _dataset_index(length: int, partition: Any, index: Any) -> Any:
    """The rows' dataset positions as an index: a RangeIndex when the row groups are consecutive."""
    import numpy as np

    from gpuscale.backends.io.frames import _position_index, _range_index, frame_to_backend
    from gpuscale.backends.io.parquet_read import _dataset_positions

    lengths = [f.row_groups[0].num_rows for f in partition.fragments]
    offsets = list(partition.offsets)
    if all(offsets[k + 1] == offsets[k] + lengths[k] for k in range(len(offsets) - 1)):
        start = index.range_start + offsets[0] * index.range_step
        return _range_index(length, start, index.range_step, index.range_name, library="cudf")
    positions = _dataset_positions(np.arange(length), partition)  # row groups skipped in between
    return frame_to_backend(_position_index(positions, index.range_start, index.range_step, index.range_name),
                            "cudf")


_INDEX_LEVEL = re.compile(r"__index_level_\d+__")


def _stored_index(frame: Any, names: tuple) -> Any:
    """Make the stored index columns the index, unless cuDF already did (from the pandas metadata)."""
    if not all(name in frame.columns for name in names):
        return frame
    frame = frame.set_index(list(names))
    frame.index.names = [None if _INDEX_LEVEL.fullmatch(str(n)) else n for n in names]
    return frame


def _zoned_index(frame: Any, schema: Any) -> Any:
    """``frame`` with a stored time-zone-aware index given its zone back: cuDF's reader drops it, as it does a
    column's (see :func:`match_dtypes`), while the meta (the Arrow schema's) has it."""
    import pyarrow as pa

    name = frame.index.name
    if frame.index.nlevels != 1 or name is None or schema.get_field_index(name) < 0:
        return frame
    kind = schema.field(name).type
    if pa.types.is_timestamp(kind) and kind.tz is not None and getattr(frame.index.dtype, "tz", None) is None:
        frame.index = frame.index.tz_localize("UTC").tz_convert(kind.tz)
    return frame


# -- CSV ------------------------------------------------------------------------------------
def csv_reader_problem(source: Any) -> str | None:
    """Why ``cudf.read_csv`` cannot read this source's blocks as pandas does (None: it can).

    Parameters
    ----------
    source : gpuscale.backends.io.csv.CsvSource
        The read's filesystem and pandas options.

    Returns
    -------
    str or None
        The reason, naming the option: an option cuDF's reader lacks, a
        separator that is not one character (pandas takes a regular
        expression), ``usecols`` as a function, ``parse_dates`` other than
        a list of columns, ``skiprows`` other than a count, per-column
        ``na_values``, a header row other than the first, or
        ``header=None`` without ``names``.
    """
    if source.extras.reader != "csv":
        return f"cuDF has no read_{source.extras.reader}"
    options = source.options
    lacking = sorted(set(options) - _CSV_PASSED - {"dtype"})
    if lacking:
        return f"cuDF's read_csv has no option {', '.join(map(repr, lacking))}"
    for name in ("sep", "delimiter"):
        value = options.get(name)
        if value is not None and (not isinstance(value, str) or len(value) != 1):
            return f"{name}={value!r} is not one character (cuDF's read_csv takes no regular expression)"
    checks = [
        ("usecols", lambda v: callable(v)),
        ("parse_dates", lambda v: isinstance(v, (bool, dict)) or
         (not isinstance(v, (list, tuple)) or any(isinstance(c, (list, tuple)) for c in v))),
        ("skiprows", lambda v: not isinstance(v, int)),
        ("na_values", lambda v: isinstance(v, dict)),
        ("header", lambda v: v not in ("infer", 0, None)),
    ]
    for name, refused in checks:
        if name in options and options[name] is not None and refused(options[name]):
            return f"cuDF's read_csv does not take {name}={options[name]!r} as pandas does"
    if "header" in options and options["header"] is None and "names" not in options:
        return "header=None without names= (cuDF names the columns '0', '1', ... where pandas numbers them)"
    return None


def read_csv_block_cudf(source: Any, block: Any, meta: Any, columns: Any) -> Any:
    """Parse one CSV block with ``cudf.read_csv`` and give it the meta's dtypes and the spec's columns.

    A local uncompressed file is read by cuDF itself (``byte_range=`` of the
    block: rows starting after its first byte, up to and including one
    starting at its end, as the host path cuts blocks); other files' blocks
    are fetched with fsspec and parsed by cuDF from memory.

    Parameters
    ----------
    source : gpuscale.backends.io.csv.CsvSource
    block : gpuscale.backends.io.csv.CsvBlock
    meta : pandas.DataFrame
        The host meta (all columns): the dtypes every block gets.
    columns : list or None
        Columns to keep.

    Returns
    -------
    cudf.DataFrame

    Raises
    ------
    gpuscale.backends.io.csv.CsvParseError, gpuscale.backends.io.csv.CsvDtypeError
        As the pandas path raises them (the failing block is parsed again on
        the host to name the line).
    """
    import cudf

    from gpuscale.backends.io import fs as io_fs
    from gpuscale.backends.io.csv import CsvDtypeError, CsvParseError, _block_bytes, project_columns
    from gpuscale.backends.io.csv_dtypes import enforce_dtypes
    from gpuscale.backends.io.frames import frame_to_backend

    options = _csv_options(source, block, meta)
    if io_fs.is_local(source.fs) and source.compression is None:
        target: Any = block.path
        if block.start or block.length is not None:
            options["byte_range"] = (block.start, block.length or 0)
            if block.start:
                options.update(header=None, names=_file_names(source, block))
    else:
        target = io.BytesIO(b"".join(_block_bytes(source, block)))
    try:
        frame = cudf.read_csv(target, **options)
    except Exception as error:  # noqa: BLE001 - the host parser names file and line, if it fails too
        _host_error(source, block, meta)
        raise CsvParseError(f"cannot read {block.path!r} with cuDF's read_csv: {error}") from error
    device_meta = frame_to_backend(meta, "cudf")
    frame = _zoned_as_the_sample(frame, dict(device_meta.dtypes))
    try:
        frame = enforce_dtypes(frame, dict(device_meta.dtypes), source, block)
    except CsvDtypeError:
        _host_error(source, block, meta)  # with dtype= the host parser names the value and its line
        raise
    return project_columns(frame, columns)


def _zoned_as_the_sample(frame: Any, dtypes: dict) -> Any:
    """``frame`` with the zone of the sample's zoned timestamp columns: libcudf parses timestamps with the UTC
    designator (``2024-01-01T00:00:00.000000Z``, as cuDF's own ``to_csv`` writes them) into UTC times without
    a zone, which ``astype`` cannot make zoned; pandas (the sample, the meta) reads them UTC-aware."""
    for column, dtype in dtypes.items():
        zone = getattr(dtype, "tz", None)
        found = frame[column].dtype if column in frame.columns else None
        if zone is not None and getattr(found, "kind", None) == "M" and getattr(found, "tz", None) is None:
            frame[column] = frame[column].dt.tz_localize("UTC").dt.tz_convert(str(zone))  # (cuDF takes zone names)
    return frame


def _host_error(source: Any, block: Any, meta: Any) -> None:
    """Parse a block that failed on the device with pandas, whose errors name the file, line and value
    (only on the error path); returns if pandas reads it."""
    from gpuscale.backends.io.csv import read_csv_block

    read_csv_block(source, block, meta, "pandas")


def _csv_options(source: Any, block: Any, meta: Any) -> dict:
    """The user's options cuDF takes (those of this block: skiprows in a file's first block only ...), with
    text columns read as text (cuDF would infer dates, numbers), but not those the sample read as booleans
    (``CsvSource.parsed_objects``: True/False text or ``true_values=`` with missing values)."""
    from gpuscale.backends.io.csv import block_options

    options = {k: v for k, v in block_options(source, block).items() if k in _CSV_PASSED}
    text = {c: "str" for c, dtype in meta.dtypes.items() if _is_text(dtype) and c not in source.parsed_objects}
    if text:
        options["dtype"] = text
    options["compression"] = None
    return options


def _is_text(dtype: Any) -> bool:
    return getattr(dtype, "kind", None) in ("O", "U", "T") or str(dtype) in ("str", "string", "category")


def _file_names(source: Any, block: Any) -> list:
    """All column names of the block's file, for a block read without its header row."""
    if "names" in source.options:
        return list(source.options["names"])
    import pandas as pd

    from gpuscale.backends.io.csv import _header_line

    header = _header_line(source.fs, block.path, source.header_row)
    kept = {k: v for k, v in source.options.items()
            if k in ("sep", "delimiter", "quotechar", "quoting", "doublequote", "skipinitialspace", "comment")}
    return list(pd.read_csv(io.BytesIO(header), nrows=0, **kept).columns)
