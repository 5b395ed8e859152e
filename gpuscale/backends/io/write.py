"""Writing partitions: one parquet or CSV file per partition into a temporary folder.

These functions run inside tasks.  The collection side builds the graph:
``prepare`` (create the temporary sibling) -> one ``write_*_part`` per
partition -> ``finish`` (rename into place).  Nothing here names the target
until ``finish``; a failure before it leaves only the temporary sibling,
which the caller removes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Callable

from gpuscale.backends import _detect
from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.parquet_append import ExistingParquet, check_append, existing_parquet, retype_null_columns
from gpuscale.backends.io.parquet_files import write_metadata_files
from gpuscale.backends.io.parquet_unify import unify_written, written_file
from gpuscale.backends.convert import to_device, to_host
from gpuscale.backends.frame.cudf_gaps import csv_text

__all__ = [
    "prepare", "finish", "finish_parquet", "existing_parquet", "check_append", "ExistingParquet", "write_parquet_part", "write_csv_part", "parquet_schema", "parquet_writer_options", "WriteTarget", "FilesTarget", "open_target",
    "ParquetWriteSpec", "CsvWriteSpec",
]


class WriteTarget:
    """Where a write goes: filesystem, final path, temporary sibling; picklable for workers."""

    def __init__(self, fs: Any, path: str, token: str, overwrite: bool) -> None:
        self.fs, self.path, self.overwrite = fs, path, overwrite
        self.temp = io_fs.temp_sibling(path, token)
        self.new_folder: str | None = None  # the outermost folder the write will create (see note_new_folders)

    def __repr__(self) -> str:
        return f"WriteTarget({self.path!r})"

    def __gpuscale_tokenize__(self) -> str:
        return repr((type(self.fs).__name__, self.path, self.temp, self.overwrite))

    def check(self) -> None:
        """Refuse a non-empty target unless overwriting (called before any task runs)."""
        io_fs.check_target(self.fs, self.path, self.overwrite)

    def note_new_folders(self) -> None:
        """Remember the outermost missing folder above the temporary sibling (called before any task runs):
        the write creates it, so :meth:`cleanup` removes it again if it still holds no file."""
        folder, missing = posixpath.dirname(self.temp.rstrip("/")), None
        while folder and folder != posixpath.dirname(folder) and not self.fs.exists(folder):
            folder, missing = posixpath.dirname(folder), folder
        self.new_folder = missing

    def cleanup(self) -> None:
        """Remove the temporary sibling (after a failure or an interrupt), and the folders the write created
        for it if no file has appeared in them since (another writer's)."""
        io_fs.remove(self.fs, self.temp)
        folder = self.new_folder
        if folder is not None and self.fs.exists(folder) and not self.fs.find(folder):
            io_fs.remove(self.fs, folder)

    @property
    def local_temp(self) -> str | None:
        """The temporary sibling's path on the local disk; None on other filesystems."""
        return self.temp if io_fs.is_local(self.fs) else None


class FilesTarget(WriteTarget):
    """Named files written into a folder that may hold others (a ``"part-*.csv"`` pattern): only these files
    are checked for and replaced; they are moved in from the temporary folder once all are written."""

    def __init__(self, fs: Any, path: str, token: str, overwrite: bool, names: tuple, stale: str | None = None,
                 hint: str = "") -> None:
        super().__init__(fs, path, token, overwrite)
        self.names, self.stale = tuple(names), stale
        self.hint = hint  # the writer's other ways to replace files, added to "pass overwrite=True"

    def __gpuscale_tokenize__(self) -> str:
        return repr((super().__gpuscale_tokenize__(), self.names, self.stale))

    def check(self) -> None:
        """Refuse files that exist already unless overwriting (the folder's other files stay)."""
        if self.fs.isfile(self.path):  # (fsspec's memory filesystem would put the files "under" the file)
            raise FileExistsError(f"{self.path!r} already exists and is a file, not a folder to write "
                                  f"{_shown(self.names)} into; remove it or write elsewhere")
        if self.overwrite:
            return
        taken = [name for name in self.names if self.fs.exists(self._final(name))]
        if taken:
            raise FileExistsError(f"{self.path!r} already holds {_shown(taken)}; pass overwrite=True{self.hint} to "
                                  "replace them")

    def commit(self) -> None:
        """Move every written file into the folder (replacing same-named ones), then remove the temporary one."""
        self.check()
        io_fs.make_dir(self.fs, self.path)
        if self.overwrite and self.stale:  # a dataset of more parts before: its other parts would be read with these
            for old in self.fs.glob(self._final(self.stale)):
                if posixpath.basename(old) not in self.names:
                    self.fs.rm(old)
        for name in self.names:
            self.fs.mv(f"{self.temp}/{name}", self._final(name))
        io_fs.remove(self.fs, self.temp)

    def _final(self, name: str) -> str:
        return f"{self.path.rstrip('/')}/{name}"


def _shown(names: Any) -> str:
    names = list(names)
    return ", ".join(map(repr, names[:3])) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def open_target(path: Any, token: str, overwrite: bool, storage_options: dict | None = None,
                names: tuple | None = None, stale: str | None = None, hint: str = "") -> WriteTarget:
    """Resolve ``path`` (local or fsspec URL) into a :class:`WriteTarget` (with ``names``: a
    :class:`FilesTarget` writing those files into the folder ``path``; ``stale``: a pattern of the folder's
    files an overwrite removes, those of an earlier write of more parts; ``hint``: the writer's other option
    that replaces files, shown after "pass overwrite=True" when files exist, such as ``" or mode='w'"``)."""
    fs, (plain,) = io_fs.resolve_fs(path, storage_options)
    if names is not None:
        return FilesTarget(fs, plain, token, overwrite, names, stale, hint)
    return WriteTarget(fs, plain, token, overwrite)


def prepare(target: WriteTarget, folder: bool = True) -> str:
    """Create the temporary folder (or the folder of the temporary file); first task of a write."""
    io_fs.make_dir(target.fs, target.temp if folder else posixpath.dirname(target.temp) or ".")
    return target.temp


def finish(target: WriteTarget, *written: Any) -> None:
    """Last task of a write: move the complete temporary sibling onto the target."""
    if isinstance(target, FilesTarget):
        target.commit()
        return
    io_fs.commit(target.fs, target.temp, target.path, target.overwrite)


def in_library(frame: Any, backend: str | None) -> Any:
    """The partition in the writer's library (None: as it is); the copy is counted."""
    if backend == "cudf":
        return to_device(frame, "cudf")
    if backend == "pandas":
        return to_host(frame)
    return frame


# -- parquet --------------------------------------------------------------------------
@dataclass(frozen=True)
class ParquetWriteSpec:
    """Options shared by the parts of one ``to_parquet``."""

    write_index: bool
    schema: Any  # one Arrow schema for all parts (None: each part's own; a null field: each part its values' type)
    partition_on: tuple
    options: dict = field(default_factory=dict)  # for pyarrow.parquet.write_table
    backend: str | None = None  # writer library: "pandas" (pyarrow), "cudf", or None (the partition's own)
    file_names: tuple = ()  # each partition's file name (empty: part.<i>.parquet)
    custom_metadata: tuple = ()  # (key, value) bytes pairs added to every footer
    append: bool = False  # the files join an existing dataset at the target (moved in at the commit)
    metadata_file: bool = False  # write _metadata and _common_metadata (all files' footers) at the commit
    untyped: tuple = ()  # columns whose Arrow type the meta cannot fix (object): settled at the commit
    existing: Any = None  # with append: the dataset's Arrow schema (its types of the untyped columns are kept)


# pyarrow.parquet.write_table's options and what cuDF's writer calls them (None: cuDF has no such option)
_CUDF_PARQUET_NAMES = {
    "compression": "compression", "row_group_size": "row_group_size_rows", "data_page_size": "max_page_size_bytes",
    "use_dictionary": "use_dictionary", "write_statistics": "statistics", "column_encoding": "column_encoding",
    "version": None, "use_deprecated_int96_timestamps": "int96_timestamps", "coerce_timestamps": None,
    "allow_truncated_timestamps": None, "data_page_version": None, "flavor": None, "use_byte_stream_split": None,
    "compression_level": None, "write_batch_size": None, "dictionary_pagesize_limit": None,
    "store_schema": None, "write_page_index": None, "write_page_checksum": None, "sorting_columns": None,
    "store_decimal_as_integer": None, "use_content_defined_chunking": None, "write_time_adjusted_to_utc": None,
}


def parquet_writer_options(options: dict, library: str) -> dict:
    """``to_parquet``'s keyword options (pyarrow's names) for the writer of ``library``.

    pandas partitions are written by ``pyarrow.parquet.write_table``, which takes them as
    they are; cuDF's writer names some differently and lacks others.  An option neither
    writer knows, or one cuDF's writer lacks, raises ``TypeError`` naming it, before anything
    is written.
    """
    unknown = sorted(set(options) - set(_CUDF_PARQUET_NAMES))
    if unknown:
        raise TypeError(f"to_parquet: unknown option(s) {', '.join(map(repr, unknown))}; options are "
                        "pyarrow.parquet.write_table's: " + ", ".join(sorted(_CUDF_PARQUET_NAMES)))
    if library != "cudf":
        return dict(options)
    lacking = sorted(k for k in options if _CUDF_PARQUET_NAMES[k] is None)
    if lacking:
        raise TypeError(f"to_parquet: cuDF's parquet writer has no option {', '.join(map(repr, lacking))} "
                        "(write with backend='pandas' to use pyarrow's writer)")
    for name, value in options.items():
        problem = _CUDF_PARQUET_VALUES.get(name, lambda v: None)(value)
        if problem:
            raise ValueError(f"to_parquet: cuDF's parquet writer takes no {name}={value!r}: {problem} "
                             "(write with backend='pandas' to use pyarrow's writer)")
    return {_CUDF_PARQUET_NAMES[k]: _cudf_parquet_value(k, v) for k, v in options.items()}


# codecs and encodings cuDF 26.10's parquet writer has (checked against cuDF by tests/cudf_lane)
CUDF_PARQUET_CODECS = ("snappy", "zstd", "lz4", "gzip", "none")
CUDF_PARQUET_ENCODINGS = ("PLAIN", "DICTIONARY", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
                          "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT", "USE_DEFAULT")


def _codec_problem(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.lower() in CUDF_PARQUET_CODECS):
        return None
    return f"one codec for all columns, one of {', '.join(CUDF_PARQUET_CODECS)}"


def _encoding_problem(value: Any) -> str | None:
    if isinstance(value, dict) and all(str(v).upper() in CUDF_PARQUET_ENCODINGS for v in value.values()):
        return None
    return f"a dict of column -> one of {', '.join(CUDF_PARQUET_ENCODINGS)}"


_CUDF_PARQUET_VALUES = {
    "compression": _codec_problem,
    "use_dictionary": lambda v: None if isinstance(v, bool) else "True or False for all columns",
    "write_statistics": lambda v: None if isinstance(v, bool) else "True or False for all columns",
    "column_encoding": _encoding_problem,
    "row_group_size": lambda v: None if _whole_number(v) and v > 0 else "a positive number of rows",
    "data_page_size": lambda v: None if isinstance(v, int) and v > 0 else "a positive number of bytes",
}


def _whole_number(value: Any) -> bool:
    # pyarrow takes a row count given as a float (dask's tests write ``row_group_size=10 / 5``)
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _cudf_parquet_value(name: str, value: Any) -> Any:
    if name == "row_group_size":
        return int(value)
    if name == "write_statistics":
        return "ROWGROUP" if value else "NONE"
    if name == "compression" and isinstance(value, str):
        return None if value.lower() == "none" else value.upper()
    if name == "column_encoding":
        return {column: str(v).upper() for column, v in value.items()}
    return value


def parquet_schema(meta: Any, write_index: bool, partition_on: tuple = (), requested: Any = "infer") -> Any:
    """One Arrow schema for every file, or None (each file its partition's own).

    ``requested`` is ``to_parquet``'s ``schema=``: ``"infer"`` (from the
    collection's meta), a dict of column -> Arrow type overriding the
    inferred types of those columns, a ``pyarrow.Schema`` used as given, or
    None.  A column the meta cannot type (an empty object column) is left
    Arrow's null type: each file takes its values' type, and the commit
    gives all files one (:func:`~gpuscale.backends.io.parquet_unify.unify_written`).
    With ``partition_on`` the schema is the files': without those columns.
    """
    import pyarrow as pa

    if isinstance(requested, pa.Schema):
        return _without(requested, partition_on)
    infer = isinstance(requested, str) and requested == "infer"
    if requested is None or (infer and _detect.is_cudf_object(meta)):
        return None  # (cuDF's writer types the files itself)
    if not (isinstance(requested, dict) or infer):
        raise ValueError(f"to_parquet: schema= must be 'infer', None, a dict of column -> pyarrow type or a "
                         f"pyarrow.Schema, got {requested!r}")
    meta = to_host(meta) if _detect.is_cudf_object(meta) else meta  # (schema= is pyarrow's: written from host)
    try:
        schema = pa.Schema.from_pandas(meta, preserve_index=write_index)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    for name, kind in (requested.items() if isinstance(requested, dict) else ()):
        position = schema.get_field_index(name)
        if position < 0:
            raise KeyError(f"to_parquet: schema= names unknown column {name!r}; columns: {schema.names}")
        schema = schema.set(position, pa.field(name, kind))
    return _without(schema, partition_on)


def _without(schema: Any, partition_on: tuple) -> Any:
    """``schema`` less the partition_on columns (stored in the folder names, not in the files; as dask)."""
    for name in partition_on:
        if name in schema.names:
            schema = schema.remove(schema.get_field_index(name))
    return schema


def write_parquet_part(frame: Any, temp: str, target: WriteTarget, number: int, spec: ParquetWriteSpec) -> tuple:
    """Write one partition as ``part.<number>.parquet`` or its ``file_names`` entry (under ``key=value``
    folders with partition_on); return, per file, its path in ``temp`` and its types of the untyped columns
    (:func:`~gpuscale.backends.io.parquet_unify.written_file`), which the commit makes agree."""
    name = spec.file_names[number] if spec.file_names else f"part.{number}.parquet"
    frame = in_library(frame, spec.backend)
    if not spec.partition_on:
        schema = _write_parquet_file(frame, target.fs, f"{temp}/{name}", spec, spec.schema)
        return (written_file(number, name, schema, spec.untyped),)
    if not target.fs.exists(temp):  # removed after a failure elsewhere: do not recreate it
        raise FileNotFoundError(f"the temporary folder {temp!r} of this write was removed")
    written = []
    for folder, group in _hive_groups(frame, spec.partition_on):
        target.fs.makedirs(f"{temp}/{folder}", exist_ok=True)
        schema = _write_parquet_file(group, target.fs, f"{temp}/{folder}/{name}", spec, spec.schema)
        written.append(written_file(number, f"{folder}/{name}", schema, spec.untyped))
    return tuple(written)


def _hive_groups(frame: Any, partition_on: tuple) -> list[tuple[str, Any]]:
    keys = list(partition_on)
    groups = []
    for values, group in frame.groupby(keys, sort=True, observed=True, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        folder = "/".join(f"{k}={_hive_value(v)}" for k, v in zip(keys, values))
        groups.append((folder, group.drop(columns=keys)))
    return groups


def _hive_value(value: Any) -> str:
    """A key's folder name, URI-encoded as pyarrow's hive partitioning reads it back (a ``/`` would nest
    folders).  A missing value is ``__HIVE_DEFAULT_PARTITION__``, as dask, pyarrow, Hive and Spark write it
    (its text, ``<NA>``, would be read back as that string by every reader)."""
    from urllib.parse import quote

    from gpuscale.backends.io.parquet_hive import HIVE_NULL

    return HIVE_NULL if _is_missing(value) else quote(str(value), safe="")


def _is_missing(value: Any) -> bool:
    """Whether a group key is a missing value (None, NaN, NaT, pandas' NA; cuDF's NA is pandas')."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _write_parquet_file(frame: Any, fs: Any, path: str, spec: ParquetWriteSpec, schema: Any) -> Any:
    """Write ``frame`` to ``path``; return the file's Arrow schema (None where cuDF's writer wrote it)."""
    write_index, options = spec.write_index, spec.options
    if _detect.is_cudf_object(frame):
        frame = _categories_as_values(frame)
    if _detect.is_cudf_object(frame) and io_fs.is_local(fs):  # cuDF writes from device memory to the file
        frame.to_parquet(path, index=write_index, **options)
        return None
    if _detect.is_cudf_object(frame):  # cuDF encodes on the device; fsspec stores the bytes
        with fs.open(path, "wb") as handle:
            frame.to_parquet(handle, index=write_index, **options)
        return None
    import pyarrow.parquet as pq

    table = _arrow_table(frame, schema, write_index)  # before the file is opened: a refused part leaves none
    if spec.custom_metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **dict(spec.custom_metadata)})
    with fs.open(path, "wb") as handle:
        pq.write_table(table, handle, **options)
    return table.schema


def _categories_as_values(frame: Any) -> Any:
    """A cuDF partition with its categorical columns as their values: cuDF's parquet writer refuses
    categorical columns ("'category' column dtypes are currently not supported by the gpu accelerated
    parquet writer"), so their values are stored, as cuDF reads them back (as its ``to_csv`` writes them)."""
    from gpuscale.backends.frame.categorical import is_categorical

    columns = [c for c in frame.columns if is_categorical(frame[c].dtype)]
    if not columns:
        return frame
    frame = frame.copy(deep=False)
    for column in columns:
        frame[column] = frame[column].astype(frame[column].dtype.categories.dtype)
    return frame


def _arrow_table(frame: Any, schema: Any, write_index: bool) -> Any:
    """``frame`` as an Arrow table of ``schema`` (None: its own); a partition that does not fit the schema
    raises ``ValueError`` showing both schemas."""
    import pyarrow as pa

    schema = _typed_by_values(frame, schema, write_index)
    try:
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=write_index, nthreads=1)
    except (pa.ArrowException, TypeError, ValueError) as error:
        if schema is None:
            raise
        own = pa.Schema.from_pandas(frame, preserve_index=write_index)
        raise ValueError(
            f"to_parquet: Failed to convert partition to expected pyarrow schema ({error}).\n"
            f"Expected:\n{schema.to_string(show_schema_metadata=False)}\n"
            f"Partition:\n{own.to_string(show_schema_metadata=False)}\n"
            "Pass schema= to to_parquet (a dict of column -> pyarrow type for the columns in question, "
            "or a pyarrow.Schema) to choose their types") from None


def _typed_by_values(frame: Any, schema: Any, write_index: bool) -> Any:
    """``schema`` with its null fields (columns the meta cannot type) given the types of ``frame``'s values."""
    import pyarrow as pa

    if schema is None or not any(pa.types.is_null(f.type) for f in schema):
        return schema
    try:
        own = pa.Schema.from_pandas(frame, preserve_index=write_index)
    except (pa.ArrowException, TypeError, ValueError):  # values of no one type: pyarrow's error names the column
        pa.Table.from_pandas(frame, preserve_index=write_index, nthreads=1)
        raise
    for position, f in enumerate(schema):
        if pa.types.is_null(f.type) and f.name in own.names:
            schema = schema.set(position, f.with_type(own.field(f.name).type))
    return schema


def finish_parquet(target: WriteTarget, spec: ParquetWriteSpec, *written: Any) -> None:
    """Last task of a parquet write: the files' untyped columns given one type, ``_metadata`` files if asked,
    then the commit.

    ``written`` are the write tasks' results (each file's types of the untyped
    columns): the files that differ are rewritten, or ``ValueError`` raised
    (see :func:`~gpuscale.backends.io.parquet_unify.unify_written`).  A new
    dataset is committed as a whole (see :func:`finish`).  Appended files
    are moved into the existing dataset one by one, once all of them are
    written, so a failed append leaves the dataset as it was.
    """
    if spec.untyped:
        files = [record for part in written for record in (part or ())]
        unify_written(target.fs, target.temp, files, spec.options, spec.existing)
    if not spec.append:
        if spec.metadata_file:
            write_metadata_files(target.fs, target.temp)
        finish(target)
        return
    fs, temp = target.fs, target.temp
    retype_null_columns(fs, target.path, temp, spec.existing, spec.options)  # (a column all missing before)
    for path in fs.find(temp):
        destination = f"{target.path.rstrip('/')}/{path[len(temp.rstrip('/')) + 1:]}"
        fs.makedirs(posixpath.dirname(destination), exist_ok=True)
        fs.mv(path, destination)
    io_fs.remove(fs, temp)
    if spec.metadata_file:
        write_metadata_files(fs, target.path)


# -- csv ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvWriteSpec:
    """Options shared by the parts of one ``to_csv``."""

    single_file: bool
    pattern: str  # file name with one "*" (unused for a single file)
    name_function: Callable[[int], str]
    options: dict = field(default_factory=dict)  # for DataFrame.to_csv
    backend: str | None = None  # writer library, as in ParquetWriteSpec
    header_first_partition_only: bool = False  # the header in the first file only (always: one file)
    append: bool = False  # keep each existing file's text before the partition's (one file: the partitions')
    compression: str | None = None  # codec of every file (fsspec's names; "infer": from the file name)


def write_csv_part(frame: Any, temp: str, target: WriteTarget, number: int, spec: CsvWriteSpec,
                   *previous: Any) -> str:
    """Write one partition to its own file in ``temp``, or append it to the single file ``temp``.

    ``previous`` is the preceding part's result when appending to one file, so
    appends happen in partition order and only the first writes the header.
    """
    options = dict(spec.options)
    frame = in_library(frame, spec.backend)
    if spec.single_file:
        path, mode = temp, ("ab" if number else "wb")
        if number == 0 and spec.append:
            _copy_existing(target, temp)
            mode = "ab"
    else:
        name = spec.pattern.replace("*", spec.name_function(number))
        path, mode = f"{temp}/{name}", "wb"
        if spec.append:  # the file's copy, moved onto it at the commit (a failed write leaves it as it was)
            _copy_existing(target, path, f"{target.path.rstrip('/')}/{name}")
            mode = "ab"
    if number and (spec.single_file or spec.header_first_partition_only):
        options["header"] = False
    if not hasattr(frame, "to_csv"):  # a cuDF Series has no to_csv: written as its one-column frame (same text)
        frame = frame.to_frame()
    encoding = options.pop("encoding", None) or "utf-8"  # the text is encoded here
    text = csv_text(frame, options)  # (pandas' text, for cuDF partitions too)
    compression = _csv_compression(spec.compression, target.path if spec.single_file else path)
    with target.fs.open(path, mode, compression=compression) as handle:
        handle.write(text.encode(encoding))
    return path


def _csv_compression(compression: str | None, name: str) -> str | None:
    if compression != "infer":
        return compression
    from fsspec.utils import infer_compression

    return infer_compression(name)


def _copy_existing(target: WriteTarget, temp: str, final: str | None = None) -> None:
    """Start the temporary file of an appending write with the bytes of the file it replaces (``final``;
    None: the single-file target), if there is one."""
    final = target.path if final is None else final
    if target.fs.exists(final):
        target.fs.copy(final, temp)
