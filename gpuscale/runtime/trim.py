"""Give memory that tasks freed back to the operating system, at most once a second.

glibc's ``malloc`` keeps freed blocks of up to 32 MiB (the size of most
partition columns) in its heaps for reuse, and from the OS's view a process that
held 3 GiB of partitions an instant ago still holds them all: after a shuffle,
several GiB can be resident that no object uses.  ``malloc_trim(0)`` hands the
free pages back.  It costs a few milliseconds and the pages must be faulted in
again when reused (slow on some VMs), so the runtime trims only after releasing
results, when the heaps' free memory (``mallinfo2``) is at least ``_FREE_BYTES``
and a quarter of the memory in use, and at most every ``_INTERVAL`` seconds (measured between trims only: a monotonic clock's
absolute value means nothing, and reads small on a machine that just booted).  When the pages a trim gave
back were faulted in again by the next one (the resident set regrew by at least half of what the trim
released: a streaming plan reusing its freed blocks), the interval doubles, up to ``_MAX_BACKOFF`` times;
a trim whose release stayed released resets it.  Elsewhere (macOS, Windows, musl) it is a no-op.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from time import monotonic
from typing import Any, Callable

__all__ = ["trim_freed_memory", "trim_now", "limit_free_memory", "libc"]

# seconds between trims: a trimmed page is faulted in again when malloc reuses it, and a streaming plan reuses
# its freed blocks at once (the climate workflow at 0.75 GB: every 0.2 s, ~100 trims, 306k page faults and
# 3.2 s system time of 10.2 CPU s; every 1 s, 20 trims, 221k faults, 1.9 s of 8.8; peak RSS 616 -> 683 MiB)
_INTERVAL = 1.0
_FREE_BYTES = 64 * 2**20  # free heap memory worth handing back (and a quarter of the memory in use)
# a streaming plan refills what each trim released within a second (the climate workflow at 0.75 GB: ~300 MB
# free in the threads' heaps at every trim, 16 trims, ~100k of its ~250k page faults); backing off to 8 s
# between such trims bounds that cost, while a one-off release (after a shuffle) still goes back within 8 s
_MAX_BACKOFF = 8


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def _libc() -> Any:
    """The C library's symbols, from the running process (no library search: that spawns programs)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


_LIBC = _libc()


def libc() -> Any:
    """The running process's C library (None off Linux)."""
    return _LIBC


def _load_trim() -> Callable[[int], int] | None:
    return getattr(_LIBC, "malloc_trim", None)  # None: not glibc


def _load_free_bytes() -> tuple[Callable[[], int], Callable[[], int | None]]:
    """Free bytes in the malloc heaps worth handing back (glibc >= 2.33: 0 while they are fewer than
    a quarter of the bytes in use), else a function that always says "enough"; and the heaps' free bytes
    (None without ``mallinfo2``)."""
    mallinfo2 = getattr(_LIBC, "mallinfo2", None)
    if mallinfo2 is None:
        return (lambda: _FREE_BYTES), (lambda: None)
    mallinfo2.restype = _MallInfo2

    def free_bytes() -> int:
        info = mallinfo2()
        return info.fordblks if 4 * info.fordblks >= info.uordblks + info.hblkhd else 0

    return free_bytes, (lambda: mallinfo2().fordblks)


_trim = _load_trim()
_free_bytes, _heap_free_bytes = _load_free_bytes()
# while the local runtime lets malloc keep freed large blocks for reuse (allocator.py): the free heap bytes at
# which it trims at once, whatever the interval (None: no such bound)
_free_budget: list = [None]
_lock = threading.Lock()
_last = [float("-inf")]  # never trimmed: the first call may trim whatever the clock reads
_backoff = [1]  # the interval's multiplier
_last_release: list = [None]  # (resident bytes before, after) the last trim


def _resident_bytes() -> int | None:
    """This process's resident set (``/proc/self/statm``); None where there is none to read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _adapt_backoff(resident: int | None) -> None:
    """Double the interval when the last trim's release was faulted in again since, else reset it."""
    last = _last_release[0]
    if resident is None or last is None:
        return
    before, after = last
    released = before - after
    refilled = released > 0 and resident - after >= released / 2
    _backoff[0] = min(2 * _backoff[0], _MAX_BACKOFF) if refilled else 1


def trim_freed_memory() -> bool:
    """Return freed heap pages to the OS if the heaps hold at least ``_FREE_BYTES`` of them, at most
    every ``_INTERVAL`` seconds.

    Returns True if it trimmed.  Safe to call from any thread.  Under a free-memory budget
    (:func:`limit_free_memory`), heaps holding that much free memory are trimmed at once.
    """
    if _trim is None:
        return False
    pressed = _over_budget()
    if not pressed and monotonic() - _last[0] < _INTERVAL * _backoff[0]:
        return False
    with _lock:
        now = monotonic()
        if not pressed and now - _last[0] < _INTERVAL * _backoff[0]:
            return False
        _last[0] = now
        if not pressed and _free_bytes() < _FREE_BYTES:
            return False
        before = _resident_bytes()
        _adapt_backoff(before)
        _trim(0)
        after = _resident_bytes()
        _last_release[0] = None if before is None or after is None else (before, after)
    return True


def limit_free_memory(budget: int | None) -> None:
    """While ``budget`` is set, heaps holding ``budget`` free bytes or more are trimmed at the next release,
    whatever the interval (None: only the interval and the quarter rule apply)."""
    _free_budget[0] = budget


def _over_budget() -> bool:
    budget = _free_budget[0]
    if budget is None:
        return False
    free = _heap_free_bytes()
    return free is not None and free >= budget


def trim_now() -> None:
    """Return the heaps' free pages to the OS now (the end of a computation), whatever the interval, if they
    hold at least ``_FREE_BYTES`` of them."""
    if _trim is None or _free_bytes() < _FREE_BYTES:
        return
    with _lock:
        _last[0] = monotonic()
        _last_release[0] = None
        _trim(0)
