"""Reading and naming dataset sizes (``--size 1GB``)."""

from __future__ import annotations

from gpuscale.config import parse_bytes
from gpuscale.demo.errors import DemoError

MIN_SIZE = 1_000_000
MAX_SIZE = 10**12
_LABEL_UNITS = [(10**12, "TB"), (10**9, "GB"), (10**6, "MB")]
_BINARY_UNITS = [(2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB")]


def parse_size(text: str) -> int:
    """Parse ``--size`` (``"1GB"``, ``"500MB"``, ``"2.5GB"``) into bytes, or raise DemoError."""
    try:
        size = parse_bytes(text)
    except (ValueError, TypeError) as error:
        raise DemoError(f"--size {text!r}: {error}", exit_code=2) from None
    if size is None or not MIN_SIZE <= size <= MAX_SIZE:
        raise DemoError(f"--size {text!r}: choose a size between 1MB and 1TB (e.g. --size 1GB)", exit_code=2)
    return size


def size_label(size: int) -> str:
    """A short, folder-safe name for a size: ``1GB``, ``20MB``, ``1500MB``."""
    for unit, name in _LABEL_UNITS + _BINARY_UNITS:
        if size >= unit and size % unit == 0:
            return f"{size // unit}{name}"
    return f"{size // 10**6}MB" if size % 10**6 == 0 else f"{size}B"


def human_bytes(n: float) -> str:
    """``1234567`` -> ``"1.2 MB"``."""
    for unit, name in _LABEL_UNITS:
        if n >= unit:
            return f"{n / unit:.1f} {name}"
    return f"{n / 1000:.1f} kB"
