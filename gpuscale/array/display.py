"""HTML display of arrays in notebooks: shape, chunks, dtype, backend and bytes, and an SVG picture of the
blocks (also ``Array.to_svg()``)."""

from __future__ import annotations

import html
import math
from typing import Any

__all__ = ["array_html", "format_bytes", "chunks_svg"]

_MOST_LINES = 50  # blocks drawn one by one along an axis; beyond, the axis is drawn shaded, without its lines
_THINNEST = 0.06  # the shorter side's smallest share of the longer one, so a long thin array stays visible


def format_bytes(n: float) -> str:
    """``1.5 GiB`` style text (``unknown`` for nan).

    Parameters
    ----------
    n : float
        A number of bytes.

    Returns
    -------
    str

    Examples
    --------
    >>> from gpuscale.array.display import format_bytes
    >>> format_bytes(512), format_bytes(1536), format_bytes(3 * 2**30), format_bytes(float("nan"))
    ('512 B', '1.50 KiB', '3.00 GiB', 'unknown')
    """
    if n != n:
        return "unknown"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    return f"{n} B"


def array_html(x: Any) -> str:
    """An HTML table describing the array and one of its blocks, beside a picture of the blocks
    (``Array._repr_html_``, what notebooks show).

    Parameters
    ----------
    x : Array
        The array described.

    Returns
    -------
    str
        The HTML (the table alone where there is no picture: 0-d, empty or unknown lengths).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> from gpuscale.array.display import array_html
    >>> text = array_html(ga.ones((6, 5), chunks=(4, 2)))
    >>> "(6, 5)" in text, "6 blocks" in text, "<svg" in text
    (True, True, True)
    """
    chunk = tuple(max(c) if c else 0 for c in x.chunks)
    chunk_bytes = math.prod(chunk) * x.dtype.itemsize
    rows = [
        ("", "Array", "Chunk"),
        ("Shape", str(x.shape), str(chunk)),
        ("Bytes", format_bytes(x.nbytes), format_bytes(chunk_bytes)),
        ("Count", f"{x.npartitions} blocks", f"numblocks {x.numblocks}"),
        ("Type", str(x.dtype), f"backend {x.backend}"),
    ]
    body = "".join("<tr>" + "".join(f"<{'th' if i == 0 else 'td'}>{html.escape(c)}</{'th' if i == 0 else 'td'}>"
                                    for c in row) + "</tr>" for i, row in enumerate(rows))
    table = f"<table class='gpuscale-array'>{body}</table>"
    try:
        picture = chunks_svg(x.chunks, size=120)
    except NotImplementedError:  # 0-d, empty or unknown lengths: the table alone
        return table
    return f"<table><tr><td>{table}</td><td>{picture}</td></tr></table>"


def chunks_svg(chunks: tuple, size: int = 500) -> str:
    """An SVG picture of an array's blocks: a grid of its last two axes (a 1-d array is one row), the
    lengths written beside it and the leading axes' lengths above it.

    Parameters
    ----------
    chunks : tuple of tuple of int
        The block lengths along each axis (``Array.chunks``).
    size : int
        Length in pixels of the longer side of the grid.

    Returns
    -------
    str
        The SVG text.

    Raises
    ------
    NotImplementedError
        For a 0-d array, a 0-length axis or unknown block lengths (compute them first with
        ``compute_chunk_sizes()``), which have no picture.

    Examples
    --------
    >>> from gpuscale.array.display import chunks_svg
    >>> svg = chunks_svg(((5, 5), (10, 10)), size=100)
    >>> svg.count("<line"), 'width="100"' in svg and 'height="50"' in svg
    (6, True)
    """
    shape = tuple(sum(c) for c in chunks)
    if not chunks:
        raise NotImplementedError("a 0-d array has no picture of its blocks")
    if any(n != n for n in shape):
        raise NotImplementedError("block lengths are unknown: call compute_chunk_sizes() before drawing them")
    if not all(shape):
        raise NotImplementedError(f"an array with a 0-length axis (shape {shape}) has no picture of its blocks")
    rows, cols = chunks[-2:] if len(chunks) > 1 else ((1,), chunks[0])
    height, width = _extent(sum(rows), sum(cols), size)
    ys, xs = _edges(rows, height), _edges(cols, width)
    lines = [_line(0, y, width, y, y in (0, height)) for y in _drawn(ys)]
    lines += [_line(x, 0, x, height, x in (0, width)) for x in _drawn(xs)]
    shade = "A0" if max(len(rows), len(cols)) <= _MOST_LINES else "FF"  # darker: too many blocks to draw
    top = 24 if len(chunks) > 2 else 0
    parts = [
        f'<svg width="{width + 50}" height="{height + top + 40}" style="stroke:rgb(0,0,0);stroke-width:1">',
        f'<g transform="translate(0,{top})">',
        f'<rect x="0" y="0" width="{width}" height="{height}" style="fill:#8FB3DE{shade};stroke-width:0"/>',
        *lines,
        _text(width / 2, height + 20, f"{shape[-1]} ({len(cols)} blocks)" if len(cols) > _MOST_LINES else
              str(shape[-1])),
    ]
    if len(chunks) > 1:
        label = f"{shape[-2]} ({len(rows)} blocks)" if len(rows) > _MOST_LINES else str(shape[-2])
        parts.append(_text(width + 25, height / 2, label, rotate=True))
    parts.append("</g>")
    if len(chunks) > 2:
        parts.append(_text(width / 2, 16, " × ".join(map(str, shape[:-2])) + " ×"))
    parts.append("</svg>")
    return "\n".join(parts)


def _extent(rows: int, cols: int, size: int) -> tuple:
    """Pixel ``(height, width)``: the longer side ``size``, the shorter in proportion (not under _THINNEST)."""
    ratio = max(min(rows, cols) / max(rows, cols), _THINNEST)
    short = max(round(size * ratio), 1)
    return (size, short) if rows >= cols else (short, size)


def _edges(lengths: tuple, pixels: int) -> list:
    """Pixel positions of the block boundaries along one axis, 0 and ``pixels`` included."""
    total, out, at = sum(lengths), [0], 0
    for n in lengths:
        at += n
        out.append(round(at * pixels / total))
    return out


def _drawn(edges: list) -> list:
    """The boundaries to draw: all of them, or only the outer two when there are too many blocks."""
    return sorted(set(edges)) if len(edges) - 1 <= _MOST_LINES else [edges[0], edges[-1]]


def _line(x1: float, y1: float, x2: float, y2: float, outer: bool) -> str:
    style = ' style="stroke-width:2"' if outer else ""
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"{style}/>'


def _text(x: float, y: float, text: str, rotate: bool = False) -> str:
    turn = f' transform="rotate(-90,{x},{y})"' if rotate else ""
    return (f'<text x="{x}" y="{y}" font-size="1.0rem" font-weight="100" text-anchor="middle"{turn}>'
            f'{html.escape(text)}</text>')
