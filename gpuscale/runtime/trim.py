"""Give memory that tasks freed back to the operating system, at most a few times a second.

glibc's ``malloc`` keeps freed blocks of up to 32 MiB (the size of most
partition columns) in its heaps for reuse, and from the OS's view a process that
held 3 GiB of partitions an instant ago still holds them all: after a shuffle,
several GiB can be resident that no object uses.  ``malloc_trim(0)`` hands the
free pages back.  It costs a few milliseconds and the pages must be faulted in
again when reused, so the runtime calls it only after releasing results and no
more often than every ``_INTERVAL`` seconds.  Elsewhere (macOS, Windows, musl)
it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from time import monotonic
from typing import Callable

__all__ = ["trim_freed_memory"]

_INTERVAL = 0.5  # seconds between trims


def _load_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_trim = _load_trim()
_lock = threading.Lock()
_last = [0.0]


def trim_freed_memory() -> bool:
    """Return freed heap pages to the OS unless that was done less than ``_INTERVAL`` s ago.

    Returns True if it trimmed.  Safe to call from any thread.
    """
    if _trim is None or monotonic() - _last[0] < _INTERVAL:
        return False
    with _lock:
        now = monotonic()
        if now - _last[0] < _INTERVAL:
            return False
        _last[0] = now
    _trim(0)
    return True
