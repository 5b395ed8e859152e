"""Finding CSV files and cutting them into byte blocks; where a block's lines are in its file.

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

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.fwf import with_inferred_colspecs
from gpuscale.backends.io.path_column import path_dtype

__all__ = [
    "CsvBlock", "CsvExtras", "CsvSource", "CsvParseError", "CsvDtypeError", "open_csv", "path_values",
    "block_options", "last_skipped_row", "first_line", "file_line", "pandas_reader",
]

LINE = re.compile(r"\bline (\d+)")


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
    # object columns the sample read as values, not text: booleans with missing values (True/False text,
    # true_values=), pyarrow's engine's dates; every block leaves them to pandas' parsing rather than reading text
    parsed_objects: tuple = ()
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


# -- positions: a block's lines in its file -----------------------------------------------
def first_line(source: CsvSource, block: CsvBlock) -> int:
    """File line number (1-based) of the block's first line of data bytes."""
    if block.start == 0:
        return 1
    before = source.fs.read_block(block.path, 0, block.start, delimiter=b"\n")
    return before.count(b"\n") + 1


def file_line(source: CsvSource, block: CsvBlock, buffer_line: int) -> int:
    """Translate pandas' 1-based line in our buffer to the line in the file."""
    if block.start == 0:
        return buffer_line
    header = 1 if source.has_header else 0
    return first_line(source, block) + buffer_line - 1 - header


def pandas_reader(source: CsvSource) -> Callable[..., Any]:
    """``pandas.read_csv``, or ``pandas.read_fwf`` for fixed-width text."""
    import pandas as pd

    return pd.read_fwf if source.extras.reader == "fwf" else pd.read_csv
