"""CSV reading in byte blocks with pandas, and error messages that name the file and line.

Files and blocks: :mod:`gpuscale.backends.io.csv_blocks`; each block's
dtypes as the first block's: :mod:`gpuscale.backends.io.csv_dtypes`.
"""

from __future__ import annotations

import contextlib
import io
import lzma
import zlib
from dataclasses import dataclass
from typing import Any, Iterator

from gpuscale.backends.io.csv_blocks import (
    LINE, CsvBlock, CsvDtypeError, CsvExtras, CsvParseError, CsvSource, block_options, file_line, first_line,
    last_skipped_row, open_csv, pandas_reader, path_values,
)
from gpuscale.backends.io.csv_dtypes import (
    dtype_error, empty_block, enforce_dtypes, enforce_index, index_levels, is_datetime, options_as_sampled,
)
from gpuscale.backends.io.frames import empty_like, frame_to_backend, unknown_columns_error
from gpuscale.backends.io.path_column import with_path_column

__all__ = [
    "CsvBlock", "CsvExtras", "CsvSource", "path_values", "CsvReadSpec", "open_csv", "read_csv_block", "read_csv_partition", "sample_meta",
    "project_columns", "CsvParseError", "CsvDtypeError", "block_options", "last_skipped_row", "sample_source_meta",
]

_SAMPLE_BYTES = 256_000
# What a decompressing stream raises on bytes that are not what its format says (gzip's BadGzipFile and bz2's
# "Invalid data stream" are OSErrors, a cut-off stream is an EOFError); none of them names the file.
_DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


# -- reading (runs in a task) ---------------------------------------------------------
@dataclass(frozen=True)
class CsvReadSpec:
    """What every block read of one ``read_csv`` shares.

    ``reader``: ``"pandas"`` (parsed on the host; cuDF partitions are copied
    from the pandas frame) or ``"cudf"`` (``cudf.read_csv`` parses on the
    device: :func:`gpuscale.backends.io.cudf.read_csv_block_cudf`).
    """

    source: CsvSource
    meta: Any  # host meta of all columns: the dtypes every block gets
    columns: Any  # columns to keep (None: all)
    backend: str
    reader: str = "pandas"


def read_csv_partition(block: CsvBlock, spec: CsvReadSpec) -> Any:
    """Read one block: parse, cast to the meta's dtypes, add the path column, keep the spec's columns."""
    name = spec.source.path_column
    if name is None:
        return _read_file_columns(block, spec, spec.meta, spec.columns)
    file_meta = spec.meta.drop(columns=[name])
    file_columns = None if spec.columns is None else [c for c in spec.columns if c != name]
    frame = _read_file_columns(block, spec, file_meta, file_columns)
    if spec.columns is None or name in spec.columns:
        value = spec.source.extras.path_value(block.path)
        frame = with_path_column(frame, name, value, spec.meta[name].dtype)
    return project_columns(frame, spec.columns)


def _read_file_columns(block: CsvBlock, spec: CsvReadSpec, meta: Any, columns: Any) -> Any:
    if spec.reader == "cudf":
        from gpuscale.backends.io.cudf import read_csv_block_cudf

        return read_csv_block_cudf(spec.source, block, meta, columns)
    frame = read_csv_block(spec.source, block, meta, "pandas")
    return frame_to_backend(project_columns(frame, columns), spec.backend)


def read_csv_block(source: CsvSource, block: CsvBlock, meta: Any, backend: str) -> Any:
    """Parse one block with pandas and give it the columns and dtypes of ``meta`` (host, empty)."""
    header, body = _block_bytes(source, block)
    if meta is not None and not body.strip():
        return frame_to_backend(empty_block(meta), backend)  # a block that fell inside the last line
    options = block_options(source, block)
    if meta is not None:
        options = options_as_sampled(options, meta, source.parsed_objects)
    frame = _parse(source, block, header + body, options)
    if meta is not None:
        frame = enforce_dtypes(frame, dict(meta.dtypes), source, block)
        frame = enforce_index(frame, meta.index, source, block)
    return frame_to_backend(frame, backend)


def _block_bytes(source: CsvSource, block: CsvBlock) -> tuple[bytes, bytes]:
    """``(header line to prepend, the block's own bytes)``."""
    fs = source.fs
    if block.length is None:
        with fs.open(block.path, "rb", compression=source.compression) as f:
            with _corrupt_file_named(block.path, source.compression):
                return b"", f.read()
    body = fs.read_block(block.path, block.start, block.length, delimiter=b"\n")
    header = _header_line(fs, block.path, source.header_row) if block.start > 0 and source.has_header else b""
    return header, body


@contextlib.contextmanager
def _corrupt_file_named(path: str, compression: str | None) -> Iterator[None]:
    """Reading a compressed file: its decompressor's error becomes a ``CsvParseError`` naming the file."""
    try:
        yield
    except _DECOMPRESSION_ERRORS as exc:
        if compression is None or isinstance(exc, (FileNotFoundError, PermissionError)):
            raise
        raise CsvParseError(f"cannot read {path!r} ({compression}-compressed): {type(exc).__name__}: {exc}") from exc


def _header_line(fs: Any, path: str, row: int | None = 0) -> bytes:
    """Line ``row`` (0-based) of the file: the header a later block of it gets prepended."""
    with fs.open(path, "rb") as f:
        for _ in range(row or 0):
            f.readline()
        line = f.readline()
    return line if line.endswith(b"\n") else line + b"\n"


def _parse(source: CsvSource, block: CsvBlock, data: bytes, options: dict | None = None) -> Any:
    import pandas as pd

    try:
        return pandas_reader(source)(io.BytesIO(data), **(source.options if options is None else options))
    except pd.errors.ParserError as exc:
        raise CsvParseError(_parse_message(source, block, exc)) from exc
    except (ValueError, TypeError) as exc:
        if "dtype" in source.options:
            raise dtype_error(source, block, data, exc) from exc
        if isinstance(exc, TypeError):  # an option pandas refuses (parse_dates=[["a", "b"]]): pandas' error type
            raise TypeError(f"read_csv of {block.path!r}: {exc}") from exc
        raise CsvParseError(f"cannot read {block.path!r}: {exc}") from exc


def _parse_message(source: CsvSource, block: CsvBlock, exc: Exception) -> str:
    text = str(exc).strip()
    match = LINE.search(text)
    if match:
        line = file_line(source, block, int(match.group(1)))
        return f"cannot parse {block.path!r} at line {line}: {text}"
    return f"cannot parse {block.path!r} (block starting at line {first_line(source, block)}): {text}"


def sample_meta(source: CsvSource, first: CsvBlock, sample: int | bool = _SAMPLE_BYTES,
                sample_rows: int | None = None) -> Any:
    """The collection's meta (a host frame) sampled from the first file: see :func:`sample_source_meta`."""
    return empty_like(_sample_frame(source, first, sample, sample_rows))


def sample_source_meta(source: CsvSource, first: CsvBlock, sample: int | bool = _SAMPLE_BYTES,
                       sample_rows: int | None = None) -> tuple[CsvSource, Any]:
    """``(source, meta)``: the meta of :func:`sample_meta` and the source knowing which object columns the
    sample read as values rather than text (``CsvSource.parsed_objects``: booleans with missing values; dates,
    by pyarrow's engine), which blocks must not read as text."""
    import dataclasses

    frame = _sample_frame(source, first, sample, sample_rows)
    parsed = tuple(c for c, d in frame.dtypes.items() if str(d) == "object" and _parsed_values(frame[c]))
    source = dataclasses.replace(source, parsed_objects=parsed)
    formats = _date_formats(source, first, frame, sample, sample_rows)
    return dataclasses.replace(source, date_formats=formats), empty_like(frame)


def _date_formats(source: CsvSource, first: CsvBlock, frame: Any, sample: int | bool,
                  sample_rows: int | None) -> tuple:
    """``(column, format)`` of each date column of the sampled ``frame`` (index levels too): the format
    pandas guesses from its first value (as pandas does for the whole file), found in the sample read again
    without ``parse_dates``.  None without ``parse_dates`` or with a ``date_format`` given."""
    import dataclasses

    from pandas.tseries.api import guess_datetime_format

    options = source.options
    if not options.get("parse_dates") or "date_format" in options:
        return ()
    converters = options.get("converters") or {}
    dated = [c for c, d in frame.dtypes.items() if is_datetime(d) and c not in converters]
    dated += [n for n, d in index_levels(frame.index) if n is not None and is_datetime(d) and n not in converters]
    if not dated:
        return ()
    raw_options = {k: v for k, v in options.items() if k != "parse_dates"}
    if isinstance(raw_options.get("dtype"), dict) or "dtype" not in raw_options:
        raw_options["dtype"] = {**(raw_options.get("dtype") or {}), **{c: str for c in dated}}
    raw = _sample_frame(dataclasses.replace(source, kwargs=tuple(sorted(raw_options.items()))), first, sample,
                        sample_rows)
    dayfirst = bool(options.get("dayfirst"))
    formats = []
    for column in dated:
        values = raw[column] if column in raw.columns else raw.index.get_level_values(column)
        present = next(iter(values[values.notna()]), None)
        fmt = None if present is None else guess_datetime_format(str(present), dayfirst=dayfirst)
        if fmt is not None:
            formats.append((column, fmt))
    return tuple(formats)


def _parsed_values(values: Any) -> bool:
    """Whether an object column holds only booleans, or only dates (pyarrow's engine reads dates as
    ``datetime.date`` objects), and missing values (at least one value)."""
    import datetime

    import numpy as np

    present = values.dropna()
    return len(present) > 0 and (all(isinstance(v, (bool, np.bool_)) for v in present) or
                                 all(isinstance(v, datetime.date) for v in present))


def _sample_frame(source: CsvSource, first: CsvBlock, sample: int | bool = _SAMPLE_BYTES,
                  sample_rows: int | None = None) -> Any:
    """The rows whose dtypes become the collection's meta (a host frame): the first ``sample`` bytes of the
    first file (to the end of that line; False: its first block; a compressed file: all of it), or its first
    ``sample_rows`` rows.

    Raises
    ------
    KeyError
        If ``usecols`` names columns missing from the header (all header columns listed).
    ValueError
        If ``skiprows`` and the header reach past the first block, or a sample cut short holds no data row
        or ends inside a quoted field.
    """
    _check_usecols(source, first)
    _check_first_block(source, first)
    part = first
    if sample is not False and source.compression is None:  # a compressed stream is read whole
        part = CsvBlock(first.path, 0, sample, source.fs.size(first.path) <= sample)
    options = block_options(source, part)
    if sample_rows is not None:
        options["nrows"] = sample_rows
    try:
        frame = _parse(source, part, b"".join(_block_bytes(source, part)), options)
    except CsvParseError as exc:
        if part is first or part.last or "EOF" not in str(exc):
            raise
        raise CsvParseError(f"read_csv: EOF encountered in the sample of {part.length} bytes of {first.path!r} "
                            "(it ends inside a quoted field); pass a larger sample= or fewer sample_rows=") from exc
    if not len(frame) and part is not first and not part.last:
        raise ValueError(f"read_csv: the sample of {part.length} bytes of {first.path!r} holds no data row; "
                         "pass a larger sample=")
    return frame


def _check_first_block(source: CsvSource, first: CsvBlock) -> None:
    """The rows ``skiprows`` skips and the header must lie in a file's first block (later ones don't skip)."""
    options = source.options
    needed = max(last_skipped_row(options), source.header_row or -1) + 1
    if first.length is None or needed <= 0:
        return
    lines = source.fs.read_block(first.path, 0, first.length, delimiter=b"\n").count(b"\n")
    if lines < needed:
        raise ValueError(f"read_csv: skiprows and the header cover {needed} lines, more than the first block of "
                         f"{first.path!r} holds ({lines} lines in {first.length} bytes); pass a larger blocksize")


def _check_usecols(source: CsvSource, first: CsvBlock) -> None:
    usecols = source.options.get("usecols")
    if not usecols or callable(usecols) or not all(isinstance(c, str) for c in usecols):
        return
    # the header's columns before index_col moves some into the index (usecols may name those)
    options = {k: v for k, v in source.options.items() if k not in ("usecols", "dtype", "parse_dates", "index_col")}
    with source.fs.open(first.path, "rb", compression=source.compression) as handle:
        with _corrupt_file_named(first.path, source.compression):
            header = pandas_reader(source)(handle, nrows=0, **options)
    unknown_columns_error(usecols, header.columns, f"usecols= (in {first.path!r})")


def project_columns(frame: Any, columns: Any) -> Any:
    """``frame[columns]`` for a list of columns; the frame itself for None."""
    return frame if columns is None else frame[list(columns)]