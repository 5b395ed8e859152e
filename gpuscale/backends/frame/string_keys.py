"""Group keys made of short fixed-width strings, packed into one integer per row.

Grouping by string columns hashes every string: on a partition of millions of
rows, finding the groups costs far more than aggregating them.  Many string keys
are codes of a fixed byte width (flags such as ``"A"``/``"N"``, country or
status codes): the bytes of such a column, read from its Arrow buffer without
copying, *are* an integer code.  :func:`pack_string_keys` packs the key columns
into one unsigned integer per row (when their widths add up to at most 8 bytes),
pandas groups by that integer, and :func:`unpack_index` turns the few group codes
back into the original strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["pack_string_keys", "unpack_index"]

_MAX_BYTES = 8  # the packed key is one uint64


def pack_string_keys(df: Any, by: list) -> tuple[Any, list] | None:
    """One unsigned integer per row packing the bytes of the string key columns ``by``, and how to
    unpack it.

    Returns ``(codes, layout)``, or None unless every key is an Arrow-backed string column without
    missing values whose strings all have the same byte width, the widths adding up to at most 8.
    The codes have the smallest unsigned dtype that holds them (uint8 for one one-byte flag).
    """
    if not isinstance(df, pd.DataFrame) or len(df) == 0:
        return None
    columns = [_fixed_width_chunks(df[name]) for name in by]
    if any(c is None for c in columns):
        return None
    total = sum(width for width, _ in columns)
    if total > _MAX_BYTES:
        return None
    codes = np.zeros(len(df), dtype=_CODE_DTYPES[total])
    layout, shift = [], 0
    for name, (width, chunks) in zip(by, columns):
        _add_bytes(codes, chunks, shift)
        layout.append((name, df[name].dtype, shift, width))
        shift += width
    return codes, layout


_CODE_DTYPES = {1: np.uint8, 2: np.uint16, 3: np.uint32, 4: np.uint32, 5: np.uint64, 6: np.uint64,
                7: np.uint64, 8: np.uint64}


def _add_bytes(codes: Any, chunks: list, shift: int) -> None:
    """Or the bytes of each row (``(rows, width)`` uint8 per chunk) into ``codes`` from byte ``shift`` on."""
    start = 0
    for data in chunks:
        stop = start + len(data)
        for j in range(data.shape[1]):  # one byte at a time: widths need not be powers of two
            codes[start:stop] |= data[:, j].astype(codes.dtype) << codes.dtype.type(8 * (shift + j))
        start = stop


def unpack_index(codes: Any, layout: list) -> Any:
    """The group keys (an Index, or a MultiIndex for several keys) of the packed ``codes``."""
    raw = np.asarray(codes).astype(np.uint64)
    levels = [pd.Index([_bytes_at(c, shift, width) for c in raw.tolist()], dtype=dtype, name=name)
              for name, dtype, shift, width in layout]
    return levels[0] if len(levels) == 1 else pd.MultiIndex.from_arrays(levels)


def _bytes_at(code: int, shift: int, width: int) -> str:
    return ((code >> (8 * shift)) & ((1 << (8 * width)) - 1)).to_bytes(width, "little").decode("utf-8")


def _fixed_width_chunks(series: Any) -> tuple[int, list] | None:
    """``(width, chunks)``: the bytes of an Arrow string column, one ``(rows, width)`` uint8 array per
    Arrow chunk (no copies), if every string has the same byte width and none is missing."""
    arrow = getattr(series.array, "__arrow_array__", None)
    if arrow is None:
        return None
    import pyarrow as pa

    chunked = arrow()
    if not (pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type)) or chunked.null_count:
        return None
    # Arrow-backed strings give a ChunkedArray; pandas' Python-object strings one Array (made on the spot)
    pieces = chunked.chunks if isinstance(chunked, pa.ChunkedArray) else [chunked]
    chunks = [_chunk_bytes(chunk) for chunk in pieces if len(chunk)]
    widths = {c.shape[1] if c is not None else None for c in chunks}
    if len(widths) != 1 or None in widths or not 0 < next(iter(widths)) <= _MAX_BYTES:
        return None
    return next(iter(widths)), chunks


def _chunk_bytes(array: Any) -> Any:
    import pyarrow as pa

    offset_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=offset_type, count=len(array) + 1,
                            offset=array.offset * np.dtype(offset_type).itemsize)
    width = int(offsets[1] - offsets[0])
    if width == 0 or offsets[-1] - offsets[0] != width * len(array) or (np.diff(offsets) != width).any():
        return None
    return np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(len(array), width)
