"""JSON reads and writes of dataframe partitions (``read_json`` / ``to_json``), local files and fsspec URLs.

Reading: one partition per file, or per block of about ``blocksize`` bytes of a line-delimited file
(a block starts after the first newline at or past its offset and ends with the line that crosses its
end, so every line is read once).  Parsed by pandas' ``read_json`` (cuDF's ``read_json`` for cuDF
partitions when no pandas-only option is given).  Writing: one file per partition
(``DataFrame.to_json`` of the partition, compressed by fsspec when asked).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import pandas as pd

from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.frame.core import cast_meta
from gpuscale.backends.io.frames import frame_to_backend
from gpuscale.backends.io.json_dtypes import JsonDtypeError, as_meta_dtypes, widened
from gpuscale.backends.io.path_column import check_path_column, path_dtype, with_path_column
from gpuscale.backends.io.write import WriteTarget

__all__ = ["JsonBlock", "JsonReadSpec", "JsonWriteSpec", "JsonParseError", "JsonRowError", "JsonDtypeError",
           "aggregated_blocks",
           "open_json", "read_json_blocks", "read_json_partition", "json_sample", "write_json_part"]

_CUDF_OPTIONS = {"orient", "lines", "dtype", "compression"}  # what cudf.read_json takes as pandas does


class JsonParseError(ValueError):
    """A JSON file or block could not be parsed; the message names the file (and the line, for JSON lines)."""


class JsonRowError(JsonParseError, TypeError, AttributeError):
    """A line of JSON lines that is JSON but no row (``[1, 2]``, ``5``), naming file and line: of pandas' error
    types for it (a TypeError in pandas 3, an AttributeError in pandas 2.2: ``'int' object has no attribute
    'keys'``)."""


@dataclass(frozen=True)
class JsonBlock:
    """Bytes ``[start, start + length)`` of ``path`` (``length`` None: the whole file)."""

    path: str
    start: int = 0
    length: int | None = None


@dataclass(frozen=True)
class JsonReadSpec:
    """Options shared by the blocks of one ``read_json``."""

    fs: Any
    options: tuple  # sorted (name, value) pairs for read_json
    compression: str | None
    backend: str
    path_column: Any = None  # the column naming each row's file (include_path_column)
    path_converter: Callable | None = None
    token: str = ""
    path_categories: tuple = ()  # every file's (converted) path: the path column's categories
    engine: Callable | None = None  # the user's reader, called as engine(file, orient=, lines=, **kwargs)
    encoding: str = "utf-8"  # of the files: blocks are decoded with it (and ``errors``), parsed as UTF-8
    errors: str = "strict"

    def __gpuscale_tokenize__(self) -> str:
        engine = self.engine and f"{getattr(self.engine, '__module__', '')}.{getattr(self.engine, '__qualname__', '')}"
        return repr((self.token, self.options, self.compression, self.backend, self.path_column,
                     self.path_categories, engine, self.encoding, self.errors))

    def path_value(self, path: str) -> Any:
        """What the path column holds for the rows of ``path``."""
        return self.path_converter(path) if self.path_converter else path


def open_json(path: Any, blocksize: int | None, lines: bool, options: dict, storage_options: dict | None,
              compression: str | None, backend: str, path_column: Any = None,
              path_converter: Callable | None = None, engine: Callable | None = None,
              encoding: str = "utf-8", errors: str = "strict") -> tuple[JsonReadSpec, list[JsonBlock]]:
    """Find the JSON files at ``path`` and cut line-delimited ones into blocks of ``blocksize`` bytes
    (``encoding`` and ``errors``: how their text is decoded).

    Raises
    ------
    FileNotFoundError
        Naming the path that matches no file.
    ValueError
        For ``blocksize`` without ``lines=True``, with a compressed file, or with an encoding whose line end
        is not the byte ``\\n`` (UTF-16 ...); for an unknown encoding.
    """
    _check_encoding(encoding, blocksize)
    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, _ = io_fs.expand_paths(fs, paths)
    if compression == "infer":
        from fsspec.utils import infer_compression

        compression = infer_compression(files[0])
    if blocksize and (not lines or compression is not None):
        raise ValueError("read_json: blocksize needs lines=True (orient='records') and uncompressed files")
    if path_column is not None and options.get("typ") == "series":
        raise ValueError("read_json: include_path_column adds a column, which typ='series' has not; read "
                         "typ='frame' to have it")
    blocks = []
    for f in files:
        size = fs.size(f) if blocksize else 0
        if not blocksize or size <= blocksize:
            blocks.append(JsonBlock(f))
        else:
            blocks.extend(JsonBlock(f, start, blocksize) for start in range(0, size, blocksize))
    token = io_fs.files_token(fs, files, repr(sorted(options.items())), compression, blocksize)
    spec = JsonReadSpec(fs, tuple(sorted({**options, "lines": lines}.items())), compression, backend, path_column,
                        path_converter, token, engine=engine, encoding=encoding, errors=errors)
    if path_column is not None:
        categories = tuple(path_dtype(spec.path_value(f) for f in files).categories)
        spec = replace(spec, path_categories=categories)
    return spec, blocks


def _check_encoding(encoding: str, blocksize: Any) -> None:
    """Refuse an unknown encoding, and blocks of an encoding whose line end is not the byte ``\\n`` (the
    blocks are cut at that byte)."""
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError as error:
        raise ValueError(f"read_json: unknown encoding {encoding!r}") from error
    if blocksize and "\n".encode(encoding) != b"\n":
        raise ValueError(f"read_json: blocksize cuts the files at newline bytes, which encoding={encoding!r} "
                         "does not end lines with; leave blocksize out (one partition per file)")


def aggregated_blocks(fs: Any, blocks: list[JsonBlock], aggregate_files: Any, target: int) -> list[tuple]:
    """Consecutive blocks read as one partition (dask_cudf's ``aggregate_files``): ``n`` at a time (an int), or as
    many as fit in ``target`` bytes (True)."""
    if isinstance(aggregate_files, bool):
        groups, current, total = [], [], 0
        for block in blocks:
            size = block.length if block.length is not None else fs.size(block.path)
            if current and total + size > target:
                groups.append(tuple(current))
                current, total = [], 0
            current.append(block)
            total += size
        return groups + ([tuple(current)] if current else [])
    if not isinstance(aggregate_files, int) or aggregate_files < 1:
        raise ValueError(f"read_json: aggregate_files must be True or a positive number of files, got "
                         f"{aggregate_files!r}")
    return [tuple(blocks[i:i + aggregate_files]) for i in range(0, len(blocks), aggregate_files)]


def read_json_blocks(blocks: tuple, spec: JsonReadSpec, meta: Any = None) -> Any:
    """Several blocks read as one partition, one after the other (each file's own row labels)."""
    from gpuscale.backends.frame.partition_concat import concat

    return concat([read_json_partition(block, spec, meta) for block in blocks])


def _block_bytes(spec: JsonReadSpec, block: JsonBlock) -> bytes:
    """The complete lines of a block (whole file when ``length`` is None), as UTF-8 (decoded with the spec's
    ``encoding`` and ``errors``, as pandas and dask read the files)."""
    data = _raw_block_bytes(spec, block)
    if _codec_name(spec.encoding) == "utf-8" and spec.errors == "strict":
        return data  # already what the parsers read
    return data.decode(spec.encoding, spec.errors).encode("utf-8", "surrogateescape")


def _codec_name(encoding: str) -> str:
    """The codec's canonical name (``"UTF8"`` -> ``"utf-8"``)."""
    import codecs

    return codecs.lookup(encoding).name


def _raw_block_bytes(spec: JsonReadSpec, block: JsonBlock) -> bytes:
    """The bytes of a block's complete lines, as stored."""
    with spec.fs.open(block.path, "rb", compression=spec.compression if block.length is None else None) as f:
        if block.length is None:
            return f.read()
        if block.start:
            f.seek(block.start - 1)
            f.readline()  # the line that crosses the offset belongs to the previous block
        begin = f.tell()
        data = bytearray()
        while begin + len(data) < block.start + block.length:
            line = f.readline()
            if not line:
                break
            data += line
        return bytes(data)


def read_json_partition(block: JsonBlock, spec: JsonReadSpec, meta: Any = None) -> Any:
    """Parse one block into a partition of ``spec.backend`` (cast to the dtypes of ``meta``; a block
    without lines gives ``meta``)."""
    options = dict(spec.options)
    data = _block_bytes(spec, block)
    if meta is not None and not data.strip():
        return meta.copy()
    # cuDF parses only JSON lines on the device: other JSON it reads with pandas on the host, warning each time
    pandas_only = spec.engine is not None or not set(options) <= _CUDF_OPTIONS or not options.get("lines")
    reader = _cudf_reader() if spec.backend == "cudf" and not pandas_only else None
    if reader is not None and data.strip():
        frame = _read_on_device(reader, data, options, spec, block)
    else:
        frame = frame_to_backend(_parse(data, options, spec, block), spec.backend) if data.strip() else None
        if frame is None:
            frame = frame_to_backend(_empty_result(options), spec.backend)
    if frame.ndim == 1:  # typ="series"
        return _series_as_meta(frame, meta, lambda: _block_name(spec, block))
    if spec.path_column is not None:
        check_path_column(spec.path_column, frame.columns, "read_json")
        dtype = pd.CategoricalDtype(list(spec.path_categories))
        frame = with_path_column(frame, spec.path_column, spec.path_value(block.path), dtype)
    if meta is not None and list(frame.columns) == list(meta.columns):
        frame = as_meta_dtypes(cast_meta(frame, meta), meta, lambda: _block_name(spec, block))
    return frame


_SERIES = "__series__"  # the column a Series is held in while its dtype is checked as a frame's


def _empty_result(options: dict) -> Any:
    """What pandas reads from no text: a frame without columns, or (``typ="series"``) an empty float Series."""
    return pd.Series(dtype="float64") if options.get("typ") == "series" else pd.DataFrame()


def _series_as_meta(series: Any, meta: Any, where: Callable[[], str]) -> Any:
    """A block read with ``typ="series"`` cast to the dtype of the Series ``meta`` (as a frame's column)."""
    if meta is None or meta.ndim != 1:
        return series
    frame = as_meta_dtypes(series.to_frame(_SERIES), meta.to_frame(_SERIES), where)
    return frame[_SERIES].rename(meta.name)


def _as_frame(obj: Any) -> Any:
    """A frame, or a Series (``typ="series"``) as a frame of one column, for the dtype widening."""
    return obj.to_frame(_SERIES) if obj.ndim == 1 else obj


def _block_name(spec: JsonReadSpec, block: JsonBlock) -> str:
    """The file (and first line) of a block, for errors."""
    if block.length is None:
        return repr(block.path)
    return f"{block.path!r} (block starting at line {_first_line(spec, block)})"


def _cudf_reader() -> Any:
    """``cudf.read_json`` (device parsing), or None where the cuDF module has none: pandas parses then."""
    import cudf

    try:
        return cudf.read_json
    except AttributeError:
        return None


def _host_read(data: bytes, options: dict, engine: Callable | None) -> Any:
    """pandas' ``read_json`` (``engine=`` a name: pandas' engine of that name), or the user's reader."""
    return (engine or pd.read_json)(io.BytesIO(data), **options)


def _parse(data: bytes, options: dict, spec: JsonReadSpec, block: JsonBlock) -> Any:
    """:func:`_host_read`, its parse error (a ``ValueError``) a :class:`JsonParseError` naming the file and
    line."""
    try:
        return _host_read(data, options, spec.engine)
    except ValueError as exc:
        raise JsonParseError(_parse_message(data, options, spec, block, exc)) from exc
    except (TypeError, AttributeError) as exc:  # pandas' error of a line that is not an object: still its type
        if not options.get("lines"):
            raise
        raise JsonRowError(_parse_message(data, options, spec, block, exc)) from exc


def _read_on_device(reader: Callable, data: bytes, options: dict, spec: JsonReadSpec, block: JsonBlock) -> Any:
    """``cudf.read_json`` of the block; if it fails, pandas parses it on the host to name the file and line."""
    try:
        return reader(io.BytesIO(data), **options)
    except Exception as error:  # noqa: BLE001 - the host parser names file and line, if it fails too
        _parse(data, options, spec, block)
        raise JsonParseError(f"cannot read {block.path!r} with cuDF's read_json: {error}") from error


def _parse_message(data: bytes, options: dict, spec: JsonReadSpec, block: JsonBlock, exc: Exception) -> str:
    """As ``read_csv``'s: ``cannot parse '<file>' at line <n>: <error>`` (JSON lines: the first line that is
    not JSON), else naming the block's first line (or only the file, read whole)."""
    text = str(exc).strip()
    first = _first_line(spec, block)
    if options.get("lines"):
        for test, why in ((_is_json, ""), (_is_json_object, " (not a JSON object)")):
            for number, line in enumerate(data.splitlines(), start=first):
                if line.strip() and not test(line):
                    return f"cannot parse {block.path!r} at line {number}{why}: {text}"
    if block.length is None:
        return f"cannot parse {block.path!r}: {text}"
    return f"cannot parse {block.path!r} (block starting at line {first}): {text}"


def _is_json(line: bytes) -> bool:
    import json

    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _is_json_object(line: bytes) -> bool:
    import json

    return isinstance(json.loads(line), dict)  # (only lines that are JSON are asked)


def _first_line(spec: JsonReadSpec, block: JsonBlock) -> int:
    """File line number (1-based) of the block's first line (only on the error path: reads what comes before)."""
    if not block.start:
        return 1
    with spec.fs.open(block.path, "rb") as f:
        before = f.read(block.start - 1)
        crossing = f.readline()  # the line that crosses the offset belongs to the previous block
    return before.count(b"\n") + crossing.count(b"\n") + 1


_SETTLE_BLOCKS = 16  # at most so many blocks after the sample are read to settle its dtypes


def json_sample(blocks: Any, spec: JsonReadSpec, sample: int = 2**20) -> Any:
    """The rows whose columns and dtypes are the collection's metadata, parsed by pandas: the first ``sample``
    bytes (whole lines) of the first block with columns (a whole file, not cut in blocks, is read whole);
    empty files (``to_json`` of an empty partition) are passed over; all empty, the last one's (no columns).
    Up to ``sample`` bytes of the blocks after it widen its dtypes (:func:`_settle_dtypes`).
    ``blocks``: one block or several."""
    blocks = [blocks] if isinstance(blocks, JsonBlock) else list(blocks)
    host = replace(spec, backend="pandas")
    frame = None
    for number, block in enumerate(blocks):
        frame, block = _sampled(block, host, int(sample or 0))
        if frame.ndim == 1 and len(frame):  # typ="series": widened as a frame's column
            settled = _settle_dtypes(_as_frame(frame), block, blocks[number + 1:], host, int(sample or 0))
            return settled[_SERIES].rename(frame.name)
        if frame.ndim == 2 and any(c != spec.path_column for c in frame.columns):
            return _settle_dtypes(frame, block, blocks[number + 1:], host, int(sample or 0))
    return frame


def _sampled(block: JsonBlock, spec: JsonReadSpec, sample: int) -> tuple:
    """``(frame, block read)``: the first ``sample`` bytes of a block of lines (at least the block), or the block
    alone where they do not parse (its error is for the reads at compute, which name the line)."""
    if block.length is not None and sample > block.length:
        try:
            return read_json_partition(replace(block, length=sample), spec), replace(block, length=sample)
        except JsonParseError:
            pass
    return read_json_partition(block, spec), block


def _settle_dtypes(frame: Any, sampled: JsonBlock, rest: list, spec: JsonReadSpec, budget: int) -> Any:
    """The sampled ``frame`` with the dtypes pandas gives its rows and those of the next blocks (up to
    ``budget`` bytes of them, past the ``sampled`` block): a column of only missing values takes the others'
    dtype, ints meeting floats or missing values become floats, numbers meeting text objects (the blocks are
    cast to these dtypes, where the first block's alone would disagree with later ones)."""
    for block in rest[:_SETTLE_BLOCKS]:
        if block.path == sampled.path and sampled.length is not None and block.length is not None \
                and block.start + block.length <= sampled.start + sampled.length:
            continue  # within the sample
        size = spec.fs.size(block.path) if block.length is None else min(block.length, budget)
        if size > budget or budget <= 0:
            break  # (a whole file is read whole: only a small one)
        budget -= size
        try:
            part = read_json_partition(block if block.length is None else replace(block, length=size), spec)
        except JsonParseError:
            break  # (raised where the block is read at compute)
        frame = widened(frame, _as_frame(part), spec.path_column)
    return frame


@dataclass(frozen=True)
class JsonWriteSpec:
    """Options shared by the parts of one ``to_json``."""

    pattern: str  # file name with one "*"
    name_function: Callable[[int], str]
    options: dict = field(default_factory=dict)  # for DataFrame.to_json
    encoding: str = "utf-8"
    errors: str = "strict"
    compression: str | None = "infer"  # fsspec's codec names; "infer": from each file's name (as pandas)


def write_json_part(frame: Any, temp: str, target: WriteTarget, number: int, spec: JsonWriteSpec) -> str:
    """Write one partition to its own file in the temporary folder ``temp``."""
    path = f"{temp}/{spec.pattern.replace('*', spec.name_function(number))}"
    text = frame.to_json(**spec.options)
    if spec.options.get("lines") and text and not text.endswith("\n"):
        text += "\n"  # the files of all partitions concatenate into valid JSON lines
    compression = spec.compression
    if compression == "infer":  # from the file's name: "0.json.gz" is gzip, "0.part" plain
        from fsspec.utils import infer_compression

        compression = infer_compression(path)
    with target.fs.open(path, "wb", compression=compression) as handle:
        handle.write(text.encode(spec.encoding, spec.errors))
    return path
