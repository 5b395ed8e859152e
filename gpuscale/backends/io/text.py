"""``read_text``: text files split into records at a delimiter, as ``cudf.read_text`` splits them.

A record ends with the delimiter (kept unless ``strip_delimiters``); the last one may lack it, and a file ending
with the delimiter has no empty record after it.  A byte range ``(offset, size)`` holds the records that *start*
in it (at ``offset`` or later, before ``offset + size``), read on past its end to their delimiter, so consecutive
ranges give every record once.  cuDF partitions are read by ``cudf.read_text`` on the device; pandas ones here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gpuscale.backends.io import fs as io_fs

__all__ = ["TextPiece", "TextReadSpec", "open_text", "read_text_partition", "text_meta"]

_READ_AHEAD = 1 << 16  # bytes read at a time past a range's end, until its last record's delimiter


@dataclass(frozen=True)
class TextPiece:
    path: str
    byte_range: tuple[int, int] | None  # (offset, size); None: the whole file


@dataclass(frozen=True)
class TextReadSpec:
    fs: Any
    delimiter: str
    strip_delimiters: bool
    backend: str


def open_text(path: Any, delimiter: str, blocksize: int | None, byte_range: Any, strip_delimiters: bool,
              storage_options: dict | None, backend: str) -> tuple[TextReadSpec, list[TextPiece]]:
    """The pieces of ``path`` (a file, a glob, a list, a folder): a piece per ``blocksize`` bytes of each file,
    the one ``byte_range`` of each file, or each whole file."""
    if not isinstance(delimiter, str) or not delimiter:
        raise ValueError(f"read_text: delimiter must be a non-empty string, got {delimiter!r}")
    if blocksize and byte_range:
        raise ValueError("read_text: give blocksize or byte_range, not both")
    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, _ = io_fs.expand_paths(fs, paths)
    pieces = []
    for file in files:
        if blocksize:
            size = fs.size(file)
            pieces += [TextPiece(file, (start, blocksize)) for start in range(0, size, blocksize)] or \
                [TextPiece(file, None)]
        else:
            pieces.append(TextPiece(file, tuple(byte_range) if byte_range else None))
    return TextReadSpec(fs, delimiter, bool(strip_delimiters), backend), pieces


def text_meta(backend: str) -> Any:
    """An empty Series of text of ``backend`` (the partitions' metadata)."""
    import pandas as pd

    from gpuscale.backends.io.frames import frame_to_backend

    return frame_to_backend(pd.Series([], dtype="str"), backend)


def read_text_partition(piece: TextPiece, spec: TextReadSpec) -> Any:
    """The records of one piece: by ``cudf.read_text`` for cuDF, else split here."""
    if spec.backend == "cudf":
        import cudf

        return cudf.read_text(piece.path, delimiter=spec.delimiter, byte_range=piece.byte_range,
                              strip_delimiters=spec.strip_delimiters)
    import pandas as pd

    records = _records(_bytes_for(piece, spec), spec)
    return pd.Series(records, dtype="str")


def _bytes_for(piece: TextPiece, spec: TextReadSpec) -> tuple[bytes, bool, int, int]:
    """``(data, whether data starts the file, first, last)``: bytes from a little before the range (to see a
    delimiter ending at its offset) to the delimiter closing its last record; records starting at data positions
    ``first`` to ``last`` (excluded) are the range's."""
    width = len(spec.delimiter.encode())
    with spec.fs.open(piece.path, "rb") as handle:
        if piece.byte_range is None:
            data = handle.read()
            return data, True, 0, len(data)
        offset, size = piece.byte_range
        start = max(0, offset - width)
        handle.seek(start)
        data = handle.read(offset + size - start)
        delimiter = spec.delimiter.encode()
        while True:  # on past the range's end, to the delimiter that closes its last record
            more = handle.read(_READ_AHEAD)
            data += more
            if not more or data.find(delimiter, max(0, offset + size - start - width)) >= 0:
                return data, start == 0, offset - start, offset + size - start


def _records(read: tuple[bytes, bool, int, int], spec: TextReadSpec) -> list[str]:
    import bisect

    data, at_file_start, first, last = read
    width = len(spec.delimiter.encode())
    ends = _delimiter_ends(data, spec.delimiter.encode())
    records = []
    for begin in ([0] if at_file_start else []) + ends:
        if begin >= len(data) or not first <= begin < last:
            continue  # only records starting in the range; no empty record after a final delimiter
        following = bisect.bisect_right(ends, begin)
        end = ends[following] if following < len(ends) else len(data)
        delimited = following < len(ends)
        stop = max(begin, end - width) if spec.strip_delimiters and delimited else end
        records.append(data[begin:stop].decode("utf-8", errors="replace"))
    return records


def _delimiter_ends(data: bytes, delimiter: bytes) -> list[int]:
    """Every position where a delimiter ends, overlapping ones too (``"::"`` ends twice in ``":::"``), as libcudf's
    ``multibyte_split`` cuts records."""
    ends, position = [], 0
    while (found := data.find(delimiter, position)) >= 0:
        ends.append(found + len(delimiter))
        position = found + 1
    return ends
