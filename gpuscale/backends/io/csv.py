"""CSV reading in byte blocks with pandas, and error messages that name the file and line.

A file is cut into blocks of about ``blocksize`` bytes; each block starts
after a newline and runs to the first newline past its end (fsspec's
``read_block``), and gets the file's header line prepended.  Like Dask, this
assumes no newline inside a quoted field; pass ``blocksize=None`` for such
files (one partition per file).  ``skiprows`` applies to the first block of
each file (as in Dask; a callable, asked about file line numbers, needs one
block per file); with ``skipfooter`` the blocks end before the file's last
lines, so they are skipped as pandas skips them.
"""

from __future__ import annotations

import contextlib
import io
import lzma
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.frames import empty_like, frame_to_backend, unknown_columns_error
from gpuscale.backends.io.fwf import with_inferred_colspecs
from gpuscale.backends.io.path_column import path_dtype, with_path_column

__all__ = [
    "CsvBlock", "CsvExtras", "CsvSource", "path_values", "CsvReadSpec", "open_csv", "read_csv_block", "read_csv_partition", "sample_meta",
    "project_columns", "CsvParseError", "CsvDtypeError", "block_options", "last_skipped_row", "sample_source_meta",
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
    last: bool = True  # the file's last block (where skipfooter applies)

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.path, self.start, self.length, self.last))


@dataclass(frozen=True)
class CsvExtras:
    """dask's read_csv options that are not pandas': the path column (``include_path_column`` and its
    converter) and ``enforce`` (every block has the first block's columns in order)."""

    path_column: str | None = None
    path_converter: Callable[[str], Any] | None = None
    enforce: bool = False
    reader: str = "csv"  # "fwf": fixed-width lines, parsed by pandas.read_fwf (dask's read_fwf)

    def path_value(self, path: str) -> Any:
        """What the path column holds for the rows of ``path``."""
        return self.path_converter(path) if self.path_converter else path

    def __gpuscale_tokenize__(self) -> str:
        converter = self.path_converter
        name = None if converter is None else f"{getattr(converter, '__module__', '')}.{getattr(converter, '__qualname__', converter)}"
        return repr((self.path_column, name, self.enforce, self.reader))


@dataclass(frozen=True)
class CsvSource:
    """Everything a block read needs besides the block: filesystem and pandas options."""

    fs: Any
    kwargs: tuple  # pandas.read_csv keyword arguments as sorted (name, value) pairs
    compression: str | None

    token: str = ""
    extras: CsvExtras = field(default_factory=lambda: CsvExtras())
    # object columns the sample read as booleans with missing values (True/False text, true_values=): every
    # block leaves them to pandas' boolean parsing rather than reading them as text
    booleans: tuple = ()
    # (column, format) of the date columns: the format pandas guesses from the sample's first value, which
    # every block parses with (a block guessing its own could read 01/02 month first and 13/02 day first)
    date_formats: tuple = ()

    @property
    def path_column(self) -> str | None:
        return self.extras.path_column

    def __gpuscale_tokenize__(self) -> str:
        return self.token

    @property
    def options(self) -> dict:
        return dict(self.kwargs)

    @property
    def has_header(self) -> bool:
        return self.header_row is not None

    @property
    def header_row(self) -> int | None:
        """The header's line in each file (0-based, counting skipped rows), None without one.

        header=0 with names= has a header line too, which the names replace.
        """
        options = self.options
        header = options.get("header", "infer")
        if header is None or isinstance(header, (list, tuple)) or (header == "infer" and "names" in options):
            return None
        return _kept_line(options.get("skiprows"), header if isinstance(header, int) else 0)


def _kept_line(skiprows: Any, n: int) -> int:
    """The file line of the ``n``-th line (0-based) that ``skiprows`` keeps."""
    if skiprows is None:
        return n
    if isinstance(skiprows, int):
        return skiprows + n
    skipped = skiprows if callable(skiprows) else set(skiprows).__contains__
    line, kept = 0, -1
    while True:
        if not skipped(line):
            kept += 1
            if kept == n:
                return line
        line += 1


def last_skipped_row(options: dict) -> int:
    """The last file line (0-based) ``skiprows`` skips, -1 for none (a callable: unknown, -1)."""
    skiprows = options.get("skiprows")
    if isinstance(skiprows, int):
        return skiprows - 1
    if skiprows is None or callable(skiprows) or not len(skiprows):
        return -1
    return max(skiprows)


def block_options(source: CsvSource, block: CsvBlock) -> dict:
    """The reader options of one block: ``skiprows`` and the header row apply to a file's first block only
    (later blocks get the header line prepended), ``skipfooter`` to its last."""
    options = source.options
    if block.start > 0:
        options.pop("skiprows", None)
        if source.has_header:
            options["header"] = 0
    if not block.last:
        options.pop("skipfooter", None)
    if source.date_formats:
        options["date_format"] = dict(source.date_formats)
    return options


def open_csv(path: Any, blocksize: int | None, kwargs: dict, storage_options: dict | None = None,
             compression: str | None = "infer", extras: CsvExtras | None = None) -> tuple[CsvSource, list[CsvBlock]]:
    """Find the CSV files at ``path`` and cut them into blocks of about ``blocksize`` bytes.

    Raises
    ------
    FileNotFoundError
        Naming the path that matches no file.
    ValueError
        For ``nrows`` with a ``blocksize``, or a ``lineterminator`` other than one character or ``"\\r\\n"``.
    """
    kwargs = _line_terminator(kwargs)
    _check_block_options(kwargs, blocksize)
    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, _ = io_fs.expand_paths(fs, paths)
    compression = _compression(files[0], compression)
    if compression is not None or not _cut_at_newlines(kwargs.get("encoding")):
        blocksize = None  # a compressed stream cannot be entered in the middle, nor UTF-16-LE text at "\n"
    # cut into blocks, an empty file has none (as dask's): no partition nor path category, unless all are empty
    footer = int(kwargs.get("skipfooter") or 0)
    blocks = [block for f in files for block in _blocks(fs, f, blocksize, footer)] or [CsvBlock(files[0], 0, None)]
    _check_callable_skiprows(kwargs, blocks)
    extras = extras or CsvExtras()
    if extras.reader == "fwf" and len(blocks) > 1:  # every block with the layout pandas infers for the file
        kwargs = with_inferred_colspecs(fs, files[0], compression, kwargs)
    token = _token(fs, files, kwargs, compression, blocksize, extras.__gpuscale_tokenize__())
    return CsvSource(fs, tuple(sorted(kwargs.items())), compression, token, extras), blocks


def path_values(source: CsvSource, blocks: list[CsvBlock]) -> Any:
    """The (empty) path column of the meta: categorical, with every block's file as a category."""
    import pandas as pd

    return pd.Series([], dtype=path_dtype(source.extras.path_value(b.path) for b in blocks))


def _cut_at_newlines(encoding: str | None) -> bool:
    """Whether the text can be cut after a b"\\n" byte: its newline ends with it and a later block needs no
    byte-order mark (UTF-16-LE's newline is b"\\n\\x00"; "utf-16" starts with a mark)."""
    if encoding is None:
        return True
    mark = "".encode(encoding)
    newline = "\n".encode(encoding)[len(mark):]
    return newline == b"\n" or (not mark and newline.endswith(b"\n"))


def _line_terminator(kwargs: dict) -> dict:
    # pandas' parser takes one character; "\r\n" line ends it reads by default, and blocks are cut at "\n"
    terminator = kwargs.get("lineterminator")
    if terminator is None or len(terminator) == 1:
        return kwargs
    if terminator == "\r\n":
        return {k: v for k, v in kwargs.items() if k != "lineterminator"}
    raise ValueError(f"read_csv: lineterminator must be one character or '\\r\\n', got {terminator!r}")


def _check_block_options(kwargs: dict, blocksize: int | None) -> None:
    # nrows counts lines from the start of a file, which a block does not see
    if kwargs.get("nrows") and blocksize:
        raise ValueError("read_csv: nrows cannot be used with blocks; pass blocksize=None (one partition per "
                         "file), or use .head(nrows)")


def _token(fs: Any, files: list[str], kwargs: dict, compression: str | None, *extra: Any) -> str:
    return io_fs.files_token(fs, files, repr(sorted(kwargs.items())), compression, *extra)


def _compression(path: str, compression: str | None) -> str | None:
    if compression != "infer":
        return compression
    from fsspec.utils import infer_compression

    return infer_compression(path)


def _blocks(fs: Any, path: str, blocksize: int | None, footer: int = 0) -> list[CsvBlock]:
    """The file's blocks; with ``footer`` (``skipfooter``) lines, blocks of the bytes before them (the last
    block may hold fewer lines than the footer, or none), or the whole file if the footer reaches into the
    first block."""
    size = fs.size(path)
    if not blocksize:
        return [CsvBlock(path, 0, None)]
    if size == 0:
        return []
    if size <= blocksize:
        return [CsvBlock(path, 0, None)]
    if not footer:
        return [CsvBlock(path, start, blocksize, start + blocksize >= size) for start in range(0, size, blocksize)]
    end = _footer_start(fs, path, size, footer) - 1  # the newline that ends the last line read
    if end <= blocksize:
        return [CsvBlock(path, 0, None)]
    # a block runs to the first newline at or past its end: the last one ends at ``end``, before the footer
    return [CsvBlock(path, start, min(blocksize, end - start), False) for start in range(0, end, blocksize)]


def _footer_start(fs: Any, path: str, size: int, lines: int) -> int:
    """Byte offset of the first of the file's last ``lines`` lines, as pandas' ``skipfooter`` counts them
    (blank lines too; a final newline ends the last line), 0 if the file has no more lines."""
    tail = b""
    while True:
        start = max(0, size - max(4096, 2 * len(tail)))
        with fs.open(path, "rb") as f:
            f.seek(start)
            tail = f.read(size - start)
        body = tail[:-1] if tail.endswith(b"\n") else tail
        cut = len(body)
        for _ in range(lines):
            cut = body.rfind(b"\n", 0, cut)
            if cut < 0:
                break
        if cut >= 0:
            return start + cut + 1
        if start == 0:
            return 0


def _check_callable_skiprows(kwargs: dict, blocks: list[CsvBlock]) -> None:
    # a callable is asked about file line numbers, which a later block of a file does not know
    if callable(kwargs.get("skiprows")) and any(block.start > 0 for block in blocks):
        raise ValueError("read_csv: skiprows as a function cannot be used with blocks (it is asked about file "
                         "line numbers, which a later block does not know); pass blocksize=None (one partition "
                         "per file), or skiprows as a list of rows within the first block")


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
        return frame_to_backend(_empty_block(meta), backend)  # a block that fell inside the last line
    options = block_options(source, block)
    if meta is not None:
        options = _dates_as_sampled(_text_stays_text(options, meta, source.booleans), meta)
    frame = _parse(source, block, header + body, options)
    if meta is not None:
        frame = _enforce_dtypes(frame, dict(meta.dtypes), source, block)
        frame = _enforce_index(frame, meta.index, source, block)
    return frame_to_backend(frame, backend)


def _index_levels(index: Any) -> list:
    """``(name, dtype)`` of each level of an index."""
    if getattr(index, "nlevels", 1) > 1:
        return list(zip(index.names, index.dtypes))
    return [(index.name, index.dtype)]


def _dates_as_sampled(options: dict, meta: Any) -> dict:
    """The reader options with ``parse_dates`` left out for the columns (and index levels) the sample kept as
    text: pandas' format, guessed from the first value, did not parse them, and pandas reading the whole file
    keeps their text (a block parsing them would give dates cast back to rewritten text)."""
    asked = options.get("parse_dates")
    if asked is True:
        dated = [name for name, dtype in _index_levels(meta.index) if name is not None and _is_datetime(dtype)]
        return {**options, "parse_dates": dated or False}
    if not isinstance(asked, (list, tuple)):
        return options
    text = {c for c, d in meta.dtypes.items() if _holds_text(d)}
    text |= {name for name, dtype in _index_levels(meta.index) if name is not None and _holds_text(dtype)}
    kept = [c for c in asked if not (isinstance(c, str) and c in text)]
    return options if len(kept) == len(asked) else {**options, "parse_dates": kept}


def _is_datetime(dtype: Any) -> bool:
    return getattr(dtype, "kind", None) == "M"


def _text_stays_text(options: dict, meta: Any, booleans: tuple = ()) -> dict:
    """The reader options with the meta's text columns read as text: a block whose values of such a column all
    look like numbers or booleans would be parsed as those, and ``"007"`` cast back to text as ``"7.0"`` (pandas
    reads the whole column as the text it is).  A ``dtype=`` or converter the user gave wins, and the
    ``booleans`` (object columns of True/False and missing values) are parsed by pandas as booleans."""
    given, converters = options.get("dtype"), options.get("converters") or {}
    if given is not None and not isinstance(given, dict):
        return options
    text = {c: d for c, d in meta.dtypes.items() if _holds_text(d) and c not in converters and c not in booleans}
    if not text:
        return options
    return {**options, "dtype": {**text, **(given or {})}}


def _holds_text(dtype: Any) -> bool:
    return str(dtype) in ("object", "str", "string") or str(dtype).startswith("string[")


def _empty_block(meta: Any) -> Any:
    """A block without rows: the meta, but its columns of unknown categories have none (the meta's
    placeholder category would join the others when the blocks are concatenated)."""
    empty = meta.copy()
    for column, dtype in meta.dtypes.items():
        if _unknown_categories(dtype):
            empty[column] = empty[column].cat.set_categories([])
    return empty


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


def _pandas_reader(source: CsvSource) -> Callable[..., Any]:
    """``pandas.read_csv``, or ``pandas.read_fwf`` for fixed-width text."""
    import pandas as pd

    return pd.read_fwf if source.extras.reader == "fwf" else pd.read_csv


def _parse(source: CsvSource, block: CsvBlock, data: bytes, options: dict | None = None) -> Any:
    import pandas as pd

    try:
        return _pandas_reader(source)(io.BytesIO(data), **(source.options if options is None else options))
    except pd.errors.ParserError as exc:
        raise CsvParseError(_parse_message(source, block, exc)) from exc
    except (ValueError, TypeError) as exc:
        if "dtype" in source.options:
            raise _dtype_error(source, block, data, exc) from exc
        if isinstance(exc, TypeError):  # an option pandas refuses (parse_dates=[["a", "b"]]): pandas' error type
            raise TypeError(f"read_csv of {block.path!r}: {exc}") from exc
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
    options = source.options
    requested = options.get("dtype")
    if not isinstance(requested, dict):
        return CsvDtypeError(f"cannot read {block.path!r} with dtype={requested!r}: {exc}")
    loose = {**options, "dtype": str}
    frame = _pandas_reader(source)(io.BytesIO(data), **loose)
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
    if source.extras.enforce and list(frame.columns) != list(dtypes):
        raise ValueError(f"read_csv(enforce=True): the columns of a block of {block.path!r} "
                         f"{list(frame.columns)} differ from the first block's {list(dtypes)}")
    unknown_columns_error(dtypes, frame.columns, f"block of {block.path!r} misses column(s) of the first block;")
    changed = {c: d for c, d in dtypes.items() if frame[c].dtype != d}
    changed = {c: ("category" if _unknown_categories(d) else d) for c, d in changed.items()
               if not (_unknown_categories(d) and str(frame[c].dtype) == "category")}
    for column, dtype in changed.items():
        _check_dates_parsed(frame[column], dtype, column, source, block)
    lossy = sorted((c for c, d in changed.items() if _lossy_float_to_int(frame[c].dtype, d)), key=str)
    if lossy:  # every such column at once, so one dtype= fixes them all
        found = ", ".join(f"{c!r} ({frame[c].dtype}, the sample gave {changed[c]})" for c in lossy)
        fix = ", ".join(f"{c!r}: 'float64'" for c in lossy)
        raise CsvDtypeError(
            f"column{'s' if len(lossy) > 1 else ''} {found} of {block.path!r} (block starting at line "
            f"{_first_line(source, block)}) ha{'ve' if len(lossy) > 1 else 's'} missing or fractional values. "
            f"Pass dtype={{{fix}}} or assume_missing=True to read_csv"
        )
    for column, dtype in changed.items():
        try:
            frame[column] = _cast(frame[column], dtype, source)
        except (ValueError, TypeError) as exc:
            raise CsvDtypeError(
                f"column {column!r} of {block.path!r} (block starting at line {_first_line(source, block)}) "
                f"has dtype {frame[column].dtype} but the first block gave {dtype}: {exc}. "
                f"Pass dtype={{{column!r}: ...}} to read_csv"
            ) from exc
    return frame


def _cast(values: Any, dtype: Any, source: CsvSource) -> Any:
    """``values.astype(dtype)``; pyarrow's engine reads a block's column of nulls only as float NaN, where the
    whole column read as objects holds None (as pandas gives it)."""
    if source.options.get("engine") == "pyarrow" and str(dtype) == "object" and values.dtype.kind == "f" \
            and not values.notna().any():
        return values.astype(object).where(values.notna(), None)
    return values.astype(dtype)


def _enforce_index(frame: Any, index: Any, source: CsvSource, block: CsvBlock) -> Any:
    """Give a block's index (``index_col``) the meta's level dtypes: a block whose text level is all missing
    reads it as floats, which made the concatenated level objects."""
    import pandas as pd

    wanted, found = _index_levels(index), _index_levels(frame.index)
    if [n for n, _ in wanted] != [n for n, _ in found] or all(w == f for (_, w), (_, f) in zip(wanted, found)):
        return frame
    levels = []
    for position, (name, dtype) in enumerate(wanted):
        values = frame.index.get_level_values(position)
        _check_dates_parsed(values, dtype, name, source, block)
        levels.append(values if values.dtype == dtype else values.astype(dtype))
    frame.index = pd.MultiIndex.from_arrays(levels, names=index.names) if len(levels) > 1 else levels[0]
    return frame


def _check_dates_parsed(values: Any, dtype: Any, column: Any, source: CsvSource, block: CsvBlock) -> None:
    """Raise if a date column (the meta's) came out of a block as text: its values do not parse with the
    format the sample's first value gave, which pandas reading the whole file would have kept as text."""
    if not _is_datetime(dtype) or not (_holds_text(values.dtype) and values.notna().any()):
        return
    fmt = dict(source.date_formats).get(column)
    value = next(iter(values[values.notna()]))
    raise CsvDtypeError(
        f"column {column!r} of {block.path!r} (block starting at line {_first_line(source, block)}) does not "
        f"parse as dates with the format {fmt!r} guessed from the first value of the file (value {value!r}). "
        f"Pass date_format= (e.g. date_format={{{column!r}: ...}}) to read_csv, or blocksize=None (the "
        f"whole file as pandas reads it)"
    )


def _unknown_categories(dtype: Any) -> bool:
    # read as "category": each block keeps the categories it has (the meta lists none)
    from gpuscale.backends.frame.categorical import UNKNOWN_CATEGORIES, host_dtype, is_categorical

    return is_categorical(dtype) and UNKNOWN_CATEGORIES in host_dtype(dtype).categories


def _lossy_float_to_int(found: Any, wanted: Any) -> bool:
    # astype would drop the fractions (and cannot hold NaN): the sample's guess was wrong, not the data
    import numpy as np

    return getattr(found, "kind", None) == "f" and isinstance(wanted, np.dtype) and wanted.kind in "iu"


def sample_meta(source: CsvSource, first: CsvBlock, sample: int | bool = _SAMPLE_BYTES,
                sample_rows: int | None = None) -> Any:
    """The collection's meta (a host frame) sampled from the first file: see :func:`sample_source_meta`."""
    return empty_like(_sample_frame(source, first, sample, sample_rows))


def sample_source_meta(source: CsvSource, first: CsvBlock, sample: int | bool = _SAMPLE_BYTES,
                       sample_rows: int | None = None) -> tuple[CsvSource, Any]:
    """``(source, meta)``: the meta of :func:`sample_meta` and the source knowing which object columns the
    sample read as booleans with missing values (``CsvSource.booleans``), which blocks must not read as text."""
    import dataclasses

    frame = _sample_frame(source, first, sample, sample_rows)
    booleans = tuple(c for c, d in frame.dtypes.items() if str(d) == "object" and _all_booleans(frame[c]))
    source = dataclasses.replace(source, booleans=booleans)
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
    dated = [c for c, d in frame.dtypes.items() if _is_datetime(d) and c not in converters]
    dated += [n for n, d in _index_levels(frame.index) if n is not None and _is_datetime(d) and n not in converters]
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


def _all_booleans(values: Any) -> bool:
    """Whether an object column holds only booleans and missing values (at least one boolean)."""
    import numpy as np

    present = values.dropna()
    return len(present) > 0 and all(isinstance(v, (bool, np.bool_)) for v in present)


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
            header = _pandas_reader(source)(handle, nrows=0, **options)
    unknown_columns_error(usecols, header.columns, f"usecols= (in {first.path!r})")


def project_columns(frame: Any, columns: Any) -> Any:
    """``frame[columns]`` for a list of columns; the frame itself for None."""
    return frame if columns is None else frame[list(columns)]
