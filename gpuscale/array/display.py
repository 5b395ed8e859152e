"""HTML display of arrays in notebooks: shape, chunks, dtype, backend and bytes."""

from __future__ import annotations

import html
import math
from typing import Any

__all__ = ["array_html", "format_bytes"]


def format_bytes(n: float) -> str:
    """``1.5 GiB`` style text (``unknown`` for nan)."""
    if n != n:
        return "unknown"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    return f"{n} B"


def array_html(x: Any) -> str:
    """An HTML table describing the array and one of its blocks."""
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
    return f"<table class='gpuscale-array'>{body}</table>"
