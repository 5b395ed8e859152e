"""Fixed-width text cut into blocks: one column layout for a whole file, as pandas infers it.

``pandas.read_fwf`` infers the column boundaries from a file's first ``infer_nrows`` lines; a block read on its
own would infer them from its own lines (a later block of wider numbers would split its columns elsewhere).  The
boundaries are inferred once from the first file, the way pandas does (runs of characters other than the
delimiters, over the lines not skipped, comments cut off), and every block is read with them.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["with_inferred_colspecs"]


def with_inferred_colspecs(fs: Any, path: str, compression: Any, options: dict) -> dict:
    """``options`` of ``read_fwf`` with ``colspecs`` inferred from the start of ``path`` where pandas would infer
    them (no ``colspecs``/``widths`` given, or ``colspecs="infer"``)."""
    if "widths" in options or options.get("colspecs", "infer") != "infer":
        return options
    lines = _first_lines(fs, path, compression, options)
    return {**options, "colspecs": _detected(lines, options.get("delimiter"), options.get("comment"))}


def _first_lines(fs: Any, path: str, compression: Any, options: dict) -> list:
    wanted, skiprows = int(options.get("infer_nrows", 100)), options.get("skiprows")
    encoding = options.get("encoding") or "utf-8"
    lines: list = []
    with fs.open(path, "rb", compression=compression) as f:
        for number, raw in enumerate(f):
            if len(lines) >= wanted:
                break
            if not _skipped(number, skiprows):
                lines.append(raw.decode(encoding, errors="replace"))
    return lines


def _skipped(number: int, skiprows: Any) -> bool:
    if skiprows is None:
        return False
    if callable(skiprows):
        return bool(skiprows(number))
    if isinstance(skiprows, int):
        return number < skiprows
    return number in set(skiprows)


def _detected(lines: list, delimiter: Any, comment: Any) -> list:
    """pandas' column boundaries of ``lines``: where some line has a character other than the delimiters."""
    delimiters = "\r\n" + delimiter if delimiter else "\n\r\t "
    pattern = re.compile("([^" + "".join(rf"\{c}" for c in delimiters) + "]+)")
    if comment is not None:
        lines = [line.partition(comment)[0] for line in lines]
    width = max((len(line) for line in lines), default=0)
    filled = [False] * (width + 1)
    for line in lines:
        for match in pattern.finditer(line):
            filled[match.start():match.end()] = [True] * (match.end() - match.start())
    edges = [i for i in range(width + 1) if filled[i] != (filled[i - 1] if i else False)]
    return list(zip(edges[::2], edges[1::2]))
