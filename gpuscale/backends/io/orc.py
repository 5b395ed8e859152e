"""ORC reads and writes of dataframe partitions (``read_orc`` / ``to_orc``), local files and fsspec URLs.

Read with pyarrow's ORC reader, stripe by stripe: a partition is a run of stripes of one file, or with
``aggregate_files`` of consecutive files.  The Arrow table becomes a pandas partition as ``read_parquet``'s
do, or a cuDF partition straight from Arrow (decoded on the host, then copied to the device).  Written with
pyarrow's ORC writer, one file per partition (cuDF partitions are copied to the host first).  ORC files hold
no pandas metadata: ``to_orc`` writes the index as columns (or drops it), ``read_orc(index=...)`` sets one
back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.frames import table_to_frame
from gpuscale.backends.io.source_errors import raise_naming
from gpuscale.backends.io.write import WriteTarget, in_library

__all__ = ["ORC_COMPRESSIONS", "OrcPiece", "OrcReadSpec", "open_orc", "orc_compression", "orc_meta",
           "read_orc_partition", "write_orc_part"]


@dataclass(frozen=True)
class OrcPiece:
    """The stripes one partition reads: ``((path, (stripe, ...)), ...)`` in order."""

    segments: tuple


@dataclass(frozen=True)
class OrcReadSpec:
    """Options shared by the partitions of one ``read_orc``."""

    fs: Any
    columns: tuple  # the columns read, the index column included
    index: Any  # the column that becomes the index, or None
    backend: str
    schema: Any  # the files' Arrow schema
    token: str = ""

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.token, self.columns, self.index, self.backend))


def open_orc(path: Any, columns: Any, index: Any, split_stripes: Any, aggregate_files: bool,
             storage_options: dict | None, backend: str) -> tuple[OrcReadSpec, list[OrcPiece]]:
    """Find the ORC files at ``path`` (a file, folder, glob, URL or list), check that they share one schema
    and the requested columns, and plan the partitions.

    Raises
    ------
    FileNotFoundError
        Naming the path that matches no file.
    ValueError
        Naming a column (or index) missing from the schema, or the first file whose schema differs.
    """
    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, _ = io_fs.expand_paths(fs, paths)
    schema, stripes = None, []
    for file in files:
        file_schema, count = _schema_and_stripes(fs, file)
        if schema is None:
            schema = file_schema
        elif not file_schema.equals(schema):
            raise ValueError(f"read_orc: {file!r} has another schema than {files[0]!r}:\n{file_schema}\n"
                             f"instead of\n{schema}")
        stripes.append(count)
    names = list(schema.names)
    wanted = names if columns is None else list(columns)
    if index is not None and index not in wanted:
        wanted.append(index)
    missing = [name for name in wanted if name not in names]
    if missing:
        raise ValueError(f"read_orc: column(s) {missing} not in the ORC schema of {files[0]!r}; columns: {names}")
    token = io_fs.files_token(fs, files, tuple(wanted), index, split_stripes, aggregate_files)
    spec = OrcReadSpec(fs, tuple(wanted), index, backend, schema, token)
    return spec, plan_pieces(files, stripes, split_stripes, aggregate_files)


def _schema_and_stripes(fs: Any, file: str) -> tuple[Any, int]:
    """An ORC file's Arrow schema and stripe count; pyarrow's error for a file that is not one (``OSError: Not
    an ORC file``, which names no file) is raised again as its type, naming the file."""
    from pyarrow import orc

    with fs.open(file, "rb") as handle:
        try:
            reader = orc.ORCFile(handle)
            return reader.schema, reader.nstripes
        except (OSError, ValueError) as error:  # (pyarrow's ArrowInvalid is a ValueError)
            raise_naming(error, f"ORC file {file!r}")


def plan_pieces(files: list, stripes: list, split_stripes: Any, aggregate_files: bool) -> list[OrcPiece]:
    """Partitions of ``split_stripes`` stripes each (False/0: one per file); with ``aggregate_files`` a
    partition may continue into the next file, as dask's."""
    if split_stripes is False or not split_stripes:
        return [OrcPiece(((file, tuple(range(n))),)) for file, n in zip(files, stripes)]
    per_piece = int(split_stripes)
    if per_piece < 1:
        raise ValueError(f"read_orc: split_stripes must be a positive number of stripes or False, got "
                         f"{split_stripes!r}")
    if aggregate_files:  # every stripe of every file in order, cut every per_piece stripes
        every = [(file, i) for file, n in zip(files, stripes) for i in range(n)]
        pieces = [OrcPiece(_segments(every[at:at + per_piece])) for at in range(0, len(every), per_piece)]
    else:  # a file without stripes still gives its (empty) partition
        pieces = [OrcPiece(((file, tuple(range(at, min(at + per_piece, n)))),))
                  for file, n in zip(files, stripes) for at in (range(0, n, per_piece) if n else [0])]
    return pieces or [OrcPiece(((files[0], ()),))]


def _segments(stripes: list) -> tuple:
    """``[(file, stripe), ...]`` in order as ``((file, (stripe, ...)), ...)``, one segment per file."""
    segments: list = []
    for file, stripe in stripes:
        if segments and segments[-1][0] == file:
            segments[-1] = (file, segments[-1][1] + (stripe,))
        else:
            segments.append((file, (stripe,)))
    return tuple(segments)


def read_orc_partition(piece: OrcPiece, spec: OrcReadSpec, columns: Any = None) -> Any:
    """Read one partition's stripes into a frame of ``spec.backend`` (``columns``: only these data columns, the
    ones the computation needs)."""
    import pyarrow as pa
    from pyarrow import orc

    data = [c for c in spec.columns if c != spec.index]
    wanted = data if columns is None else [c for c in columns if c in data]
    read = wanted + ([spec.index] if spec.index is not None else [])
    stand_in = read or spec.columns[:1]  # no column wanted (len(df)): read one for the row count
    batches = []
    for file, stripes in piece.segments:
        with spec.fs.open(file, "rb") as handle:
            try:  # (a file changed since read_orc planned: its error names the file)
                reader = orc.ORCFile(handle)
                batches.extend(reader.read_stripe(i, columns=list(stand_in)) for i in stripes)
            except (OSError, ValueError) as error:
                raise_naming(error, f"ORC file {file!r}")
    if not batches:
        return orc_meta(spec)[wanted]
    table = pa.Table.from_batches(batches).select(list(stand_in))  # stripes hold the file's column order
    frame = _frame(table, spec)
    return frame if list(frame.columns) == wanted else frame[wanted]


def _empty_table(spec: OrcReadSpec) -> Any:
    import pyarrow as pa

    return pa.schema([spec.schema.field(name) for name in spec.columns]).empty_table()


def orc_meta(spec: OrcReadSpec) -> Any:
    """The empty frame of the partitions (their columns, dtypes and index), converted from Arrow as they are:
    the partition library decides the dtypes (an ORC date is a ``datetime.date`` object column in pandas, a
    ``datetime64[s]`` column in cuDF)."""
    return _frame(_empty_table(spec), spec)


def _frame(table: Any, spec: OrcReadSpec) -> Any:
    options = {"set_index": spec.index} if spec.index is not None else {}
    return table_to_frame(table, options, spec.backend)


ORC_COMPRESSIONS = ("uncompressed", "snappy", "zlib", "lz4", "zstd")


def orc_compression(compression: Any) -> str:
    """The ORC writer's name for ``compression`` (``None``: ``"uncompressed"``); another value raises
    ``ValueError`` naming the option."""
    name = "uncompressed" if compression is None else str(compression).lower()
    if name not in ORC_COMPRESSIONS:
        raise ValueError(f"to_orc: compression={compression!r} is not one of {', '.join(ORC_COMPRESSIONS)} (or None)")
    return name


def write_orc_part(frame: Any, temp: str, target: WriteTarget, number: int, write_index: bool,
                   compression: str = "uncompressed") -> str:
    """Write one partition as ``part.<number>.orc`` in the temporary folder ``temp``, its stripes compressed
    with ``compression`` (:data:`ORC_COMPRESSIONS`).

    With ``write_index`` the index is written as columns (an unnamed one as ``__index_level_0__``) unless it
    is the default one, an unnamed range: it holds no data (as dask writes it, through pyarrow's pandas
    conversion; a named range, which pandas makes of a column of consecutive numbers, is written)."""
    import pandas as pd
    import pyarrow as pa
    from pyarrow import orc

    frame = in_library(frame, "pandas")  # pyarrow's writer reads host memory
    default = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    table = pa.Table.from_pandas(frame, preserve_index=write_index and not default, nthreads=1)
    path = f"{temp}/part.{number}.orc"
    with target.fs.open(path, "wb") as handle:
        orc.write_table(table, handle, compression=compression)
    return path
