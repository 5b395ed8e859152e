"""CSV reading in byte blocks with pandas, and error messages that name the file and line.

A file is cut into blocks of about ``blocksize`` bytes; each block starts
after a newline and runs to the first newline past its end (fsspec's
``read_block``), and gets the file's header line prepended.  Like Dask, this
assumes no newline inside a quoted field; pass ``blocksize=None`` for such
files (one partition per file).
"""

from __future__ import annotations

import contextlib
import io
import lzma
import re
import zlib
from dataclasses import dataclass
from typing import Any, Iterator

from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.frames import empty_like, frame_to_backend, unknown_columns_error

__all__ = [
    "CsvBlock", "CsvSource", "CsvReadSpec", "open_csv", "read_csv_block", "read_csv_partition", "sample_meta",
    "project_columns", "CsvParseError", "CsvDtypeError",
]

_SAMPLE_BYTES = 256_000
_LINE = re.compile(r"\bline (\d+)")
# What a decompressing stream raises on bytes that are not what its format says (gzip's BadGzipFile and bz2's
# "Invalid data stream" are OSErrors, a cut-off stream is an EOFError); none of them names the file.
_DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


class CsvParseError(ValueError):
    """A CSV block could not be parsed; the message names the file and line."""


class CsvDtypeError(ValueError):
    """A CSV column could not be converted to its dtype; the message names file, column and line."""


@dataclass(frozen=True)
class CsvBlock:
    """One partition of a CSV read: a byte range of one file."""

    path: str
    start: int
    length: int | None  # None: to the end of the file

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.path, self.start, self.length))


@dataclass(frozen=True)
class CsvSource:
    """Everything a block read needs besides the block: filesystem and pandas options."""

    fs: Any
    kwargs: tuple  # pandas.read_csv keyword arguments as sorted (name, value) pairs
    compression: str | None

    token: str = ""

    def __gpuscale_tokenize__(self) -> str:
        return self.token

    @property
    def options(self) -> dict:
        return dict(self.kwargs)

    @property
    def has_header(self) -> bool:
        options = self.options  # header=0 with names= has a header line too, which the names replace
        header = options.get("header", "infer")
        return header == 0 or (header == "infer" and "names" not in options)


def open_csv(path: Any, blocksize: int | None, kwargs: dict, storage_options: dict | None = None,
             compression: str | None = "infer") -> tuple[CsvSource, list[CsvBlock]]:
    """Find the CSV files at ``path`` and cut them into blocks of about ``blocksize`` bytes.

    Raises
    ------
    FileNotFoundError
        Naming the path that matches no file.
    ValueError
        For ``skiprows``, ``skipfooter`` or ``nrows`` with a ``blocksize``.
    """
    _check_block_options(kwargs, blocksize)
    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, _ = io_fs.expand_paths(fs, paths)
    compression = _compression(files[0], compression)
    if compression is not None:
        blocksize = None  # a compressed stream cannot be entered in the middle
    blocks = [block for f in files for block in _blocks(fs, f, blocksize)]
    token = _token(fs, files, kwargs, compression)
    return CsvSource(fs, tuple(sorted(kwargs.items())), compression, token), blocks


def _check_block_options(kwargs: dict, blocksize: int | None) -> None:
    # these count lines from the start of a file, which a block does not see
    line_based = sorted(k for k in ("skiprows", "skipfooter", "nrows") if kwargs.get(k))
    if line_based and blocksize:
        raise ValueError(f"read_csv: {', '.join(line_based)} cannot be used with blocks; pass blocksize=None "
                         "(one partition per file)")


def _token(fs: Any, files: list[str], kwargs: dict, compression: str | None) -> str:
    return io_fs.files_token(fs, files, repr(sorted(kwargs.items())), compression)


def _compression(path: str, compression: str | None) -> str | None:
    if compression != "infer":
        return compression
    from fsspec.utils import infer_compression

    return infer_compression(path)


def _blocks(fs: Any, path: str, blocksize: int | None) -> list[CsvBlock]:
    size = fs.size(path)
    if not blocksize or size <= blocksize:
        return [CsvBlock(path, 0, None)]
    return [CsvBlock(path, start, blocksize) for start in range(0, size, blocksize)]


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
    """Read one block: parse, cast to the meta's dtypes, keep the spec's columns."""
    if spec.reader == "cudf":
        from gpuscale.backends.io.cudf import read_csv_block_cudf

        return read_csv_block_cudf(spec.source, block, spec.meta, spec.columns)
    frame = read_csv_block(spec.source, block, spec.meta, "pandas")
    return frame_to_backend(project_columns(frame, spec.columns), spec.backend)


def read_csv_block(source: CsvSource, block: CsvBlock, meta: Any, backend: str) -> Any:
    """Parse one block with pandas and give it the columns and dtypes of ``meta`` (host, empty)."""
    header, body = _block_bytes(source, block)
    if meta is not None and not body.strip():
        return frame_to_backend(meta.copy(), backend)  # a block that fell inside the last line
    frame = _parse(source, block, header + body)
    if meta is not None:
        frame = _enforce_dtypes(frame, dict(meta.dtypes), source, block)
    return frame_to_backend(frame, backend)


def _block_bytes(source: CsvSource, block: CsvBlock) -> tuple[bytes, bytes]:
    """``(header line to prepend, the block's own bytes)``."""
    fs = source.fs
    if block.length is None:
        with fs.open(block.path, "rb", compression=source.compression) as f:
            with _corrupt_file_named(block.path, source.compression):
                return b"", f.read()
    body = fs.read_block(block.path, block.start, block.length, delimiter=b"\n")
    header = _header_line(fs, block.path) if block.start > 0 and source.has_header else b""
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


def _header_line(fs: Any, path: str) -> bytes:
    with fs.open(path, "rb") as f:
        line = f.readline()
    return line if line.endswith(b"\n") else line + b"\n"


def _first_line(source: CsvSource, block: CsvBlock) -> int:
    """File line number (1-based) of the block's first line of data bytes."""
    if block.start == 0:
        return 1
    before = source.fs.read_block(block.path, 0, block.start, delimiter=b"\n")
    return before.count(b"\n") + 1


def _file_line(source: CsvSource, block: CsvBlock, buffer_line: int) -> int:
    """Translate pandas' 1-based line in our buffer to the line in the file."""
    if block.start == 0:
        return buffer_line
    header = 1 if source.has_header else 0
    return _first_line(source, block) + buffer_line - 1 - header


def _parse(source: CsvSource, block: CsvBlock, data: bytes) -> Any:
    import pandas as pd

    try:
        return pd.read_csv(io.BytesIO(data), **source.options)
    except pd.errors.ParserError as exc:
        raise CsvParseError(_parse_message(source, block, exc)) from exc
    except (ValueError, TypeError) as exc:
        if "dtype" in source.options:
            raise _dtype_error(source, block, data, exc) from exc
        raise CsvParseError(f"cannot read {block.path!r}: {exc}") from exc


def _parse_message(source: CsvSource, block: CsvBlock, exc: Exception) -> str:
    text = str(exc).strip()
    match = _LINE.search(text)
    if match:
        line = _file_line(source, block, int(match.group(1)))
        return f"cannot parse {block.path!r} at line {line}: {text}"
    return f"cannot parse {block.path!r} (block starting at line {_first_line(source, block)}): {text}"


# -- dtype failures --------------------------------------------------------------------
def _dtype_error(source: CsvSource, block: CsvBlock, data: bytes, exc: Exception) -> Exception:
    """Find which column and line broke a ``dtype=`` conversion (only on the error path)."""
    import pandas as pd

    options = source.options
    requested = options.get("dtype")
    if not isinstance(requested, dict):
        return CsvDtypeError(f"cannot read {block.path!r} with dtype={requested!r}: {exc}")
    loose = {**options, "dtype": str}
    frame = pd.read_csv(io.BytesIO(data), **loose)
    for column, dtype in requested.items():
        if column in frame.columns:
            row = _first_bad_row(frame[column], dtype)
            if row is not None:
                return _column_error(source, block, column, dtype, frame[column].iloc[row], row)
    return CsvDtypeError(f"cannot read {block.path!r} with dtype={requested!r}: {exc}")


def _first_bad_row(values: Any, dtype: Any) -> int | None:
    for position, value in enumerate(values):
        if value is None or value != value:  # missing values are the dtype's business, not the text's
            continue
        try:
            values.iloc[position:position + 1].astype(dtype)
        except (ValueError, TypeError, OverflowError):
            return position
    return None


def _column_error(source: CsvSource, block: CsvBlock, column: str, dtype: Any, value: Any, row: int) -> Exception:
    header = 1 if source.has_header else 0
    line = _file_line(source, block, row + 1 + header)
    return CsvDtypeError(
        f"cannot convert column {column!r} of {block.path!r} to {dtype}: value {value!r} at line {line}"
    )


def _enforce_dtypes(frame: Any, dtypes: dict, source: CsvSource, block: CsvBlock) -> Any:
    """Make a block's dtypes those of the first block (the collection's meta), or say which column differs."""
    unknown_columns_error(dtypes, frame.columns, f"block of {block.path!r} misses column(s) of the first block;")
    changed = {c: d for c, d in dtypes.items() if frame[c].dtype != d}
    for column, dtype in changed.items():
        try:
            frame[column] = frame[column].astype(dtype)
        except (ValueError, TypeError) as exc:
            raise CsvDtypeError(
                f"column {column!r} of {block.path!r} (block starting at line {_first_line(source, block)}) "
                f"has dtype {frame[column].dtype} but the first block gave {dtype}: {exc}. "
                f"Pass dtype={{{column!r}: ...}} to read_csv"
            ) from exc
    return frame


def sample_meta(source: CsvSource, first: CsvBlock) -> Any:
    """The collection's meta (a host frame): dtypes of the first block (at most ~256 kB).

    Raises
    ------
    KeyError
        If ``usecols`` names columns missing from the header (all header columns listed).
    """
    _check_usecols(source, first)
    sample = first if first.length is None else CsvBlock(first.path, 0, min(first.length, _SAMPLE_BYTES))
    return empty_like(_parse(source, sample, b"".join(_block_bytes(source, sample))))


def _check_usecols(source: CsvSource, first: CsvBlock) -> None:
    import pandas as pd

    usecols = source.options.get("usecols")
    if not usecols or callable(usecols) or not all(isinstance(c, str) for c in usecols):
        return
    options = {k: v for k, v in source.options.items() if k not in ("usecols", "dtype", "parse_dates")}
    with source.fs.open(first.path, "rb", compression=source.compression) as handle:
        with _corrupt_file_named(first.path, source.compression):
            header = pd.read_csv(handle, nrows=0, **options)
    unknown_columns_error(usecols, header.columns, f"usecols= (in {first.path!r})")


def project_columns(frame: Any, columns: Any) -> Any:
    """``frame[columns]`` for a list of columns; the frame itself for None."""
    return frame if columns is None else frame[list(columns)]
