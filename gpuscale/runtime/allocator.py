"""Let glibc's ``malloc`` reuse freed partition-sized blocks in workers started with a fixed trim threshold.

glibc serves blocks above its *mmap threshold* with a fresh ``mmap`` and unmaps them on ``free``; every new
block is then faulted in, page by page, and zeroed by the kernel.  By default the threshold rises to the
size of the largest block freed (up to 32 MiB), so the columns of one partition after another reuse the
same heap memory.  Setting any of malloc's tunables by environment variable freezes it at 128 KiB, and Dask's
nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (to hand freed memory back sooner): there
each partition-sized array costs its page faults anew.  TPC-H SF 10 Q1 on a 2-worker ``LocalCluster``:
4.9-7.0 s of the workers' 16-18 CPU seconds were the kernel's, against 0.5 s in one local process.

:func:`reuse_large_blocks` raises the mmap threshold back to 32 MiB (``mallopt``) in such a process; the
trim threshold stays as the nanny set it, so freed memory at the top of the heap still goes back to the OS.
Nothing happens where the threshold was chosen explicitly (``MALLOC_MMAP_THRESHOLD_``), or off glibc.

Blocks above 32 MiB (a 128 MiB array chunk, a Zarr chunk's compressed bytes and their decoded copy) are always
mmapped, whatever the threshold: the climate workflow at 8 GB spent 38-41 of its 97 CPU seconds in the kernel,
faulting in such blocks (9.5 million page faults).  :func:`heap_for_large_blocks` lets the local runtime serve them
from malloc's heaps while it computes (``mallopt(M_MMAP_MAX, 0)``), where freed blocks are reused: 16-19 s of
system time, 42-47 s instead of 54 s, peak RSS 1.1-1.2 GiB instead of 0.7 (the free memory kept is bounded by
the memory budget, the tightest of the running computations'; see trim.py).  Afterwards malloc serves large blocks by mmap again and the heaps are trimmed.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from gpuscale import config
from gpuscale.runtime.trim import libc, limit_free_memory, trim_now

__all__ = ["reuse_large_blocks", "heap_for_large_blocks", "FROZEN_BY", "MMAP_THRESHOLD"]

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_MMAP_MAX = -1, -3, -4  # mallopt's parameter numbers (malloc.h)
DEFAULT_MMAP_MAX = 65536  # glibc's
MMAP_THRESHOLD = 32 * 2**20  # glibc's largest (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems)
# environment variables that freeze glibc's mmap threshold (glibc's malloc.c: "mp_.no_dyn_threshold = 1")
FROZEN_BY = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_")
_done = [False]


def reuse_large_blocks(environ: "os._Environ | dict | None" = None) -> bool:
    """Raise glibc's mmap threshold to 32 MiB in this process when an environment variable froze it at 128 KiB
    (and none chose it).  Once per process; True when it changed the threshold."""
    environ = os.environ if environ is None else environ
    if _done[0] or "MALLOC_MMAP_THRESHOLD_" in environ or not any(name in environ for name in FROZEN_BY):
        return False
    mallopt = getattr(libc(), "mallopt", None)
    if mallopt is None:  # not glibc
        return False
    _done[0] = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    return _done[0]


# -- while the local runtime computes ----------------------------------------------------------------------------
# environment variables by which a user chose how malloc serves large blocks: then it is left as chosen
CHOSEN_BY = ("MALLOC_MMAP_MAX_", "MALLOC_MMAP_THRESHOLD_")
# free memory at the top of the heap that malloc keeps while computing (the runtime's own trims release the rest):
# an eighth of the memory budget, between 16 and 256 MiB.  Keeping less lets each freed block go back to the OS
# and be faulted in again (the climate workflow at 8 GB with 32 MiB: system time as without the reuse); keeping
# 256 MiB under a 512 MiB budget in a 1 GiB container got the process OOM-killed where it completes without it.
MAX_TRIM_THRESHOLD, MIN_TRIM_THRESHOLD = 256 * 2**20, 16 * 2**20
# the memory budgets of the computations running now (None: unbounded); the tightest of them bounds the free
# memory malloc keeps, so a bounded computation keeps its bound beside an unbounded one
_running: list = []
_applied: list = [None]  # the budget whose bounds are in force while computations run
_users_lock = threading.Lock()


@contextmanager
def heap_for_large_blocks(memory_limit: int | None = None,
                          environ: "os._Environ | dict | None" = None) -> Iterator[None]:
    """Serve blocks of every size from malloc's heaps while the block runs, so that freed chunk-sized blocks
    are reused instead of being unmapped and faulted in anew; on leaving (the last of concurrent computations),
    large blocks are mmapped again, above 32 MiB, and the heaps' free memory goes back to the OS.

    ``memory_limit``: the runtime's memory budget (None: unbounded), which bounds the free memory malloc keeps.
    While several computations run, the tightest of their budgets holds (recomputed as each starts and ends).
    Nothing changes off glibc, where ``MALLOC_MMAP_MAX_`` / ``MALLOC_MMAP_THRESHOLD_`` chose otherwise, or with
    the ``reuse_large_blocks`` option off.
    """
    environ = os.environ if environ is None else environ
    mallopt = getattr(libc(), "mallopt", None)
    if mallopt is None or any(name in environ for name in CHOSEN_BY) or not _enabled():
        yield
        return
    with _users_lock:
        _running.append(memory_limit)
        if len(_running) == 1:
            mallopt(M_MMAP_MAX, 0)
        _apply_tightest(mallopt, first=len(_running) == 1)
    try:
        yield
    finally:
        with _users_lock:
            _running.remove(memory_limit)
            if not _running:
                _serve_large_blocks_by_mmap(mallopt, environ)
                limit_free_memory(None)
                trim_now()
            else:
                _apply_tightest(mallopt)


def _apply_tightest(mallopt: Any, first: bool = False) -> None:
    """Bound the free memory malloc keeps by the tightest budget of the running computations, if it changed
    (``_users_lock`` held)."""
    bounded = [limit for limit in _running if limit is not None]
    tightest = min(bounded) if bounded else None
    if first or tightest != _applied[0]:
        _applied[0] = tightest
        mallopt(M_TRIM_THRESHOLD, compute_trim_threshold(tightest))
        limit_free_memory(free_budget(tightest))


def compute_trim_threshold(memory_limit: int | None) -> int:
    """The free memory at the top of the heap that malloc keeps while computing under ``memory_limit``."""
    if memory_limit is None:
        return MAX_TRIM_THRESHOLD
    return max(MIN_TRIM_THRESHOLD, min(MAX_TRIM_THRESHOLD, int(memory_limit) // 8))


def free_budget(memory_limit: int | None) -> int | None:
    """Free heap memory at which the runtime trims at once while computing under ``memory_limit``: a quarter of
    it, at least 64 MiB (None: unbounded).  A 1 GiB container (512 MiB budget) running the climate workflow at
    8 GB was OOM-killed with free blocks kept until the next timed trim; it completes without the reuse."""
    return None if memory_limit is None else max(64 * 2**20, int(memory_limit) // 4)


def _serve_large_blocks_by_mmap(mallopt: Any, environ: "os._Environ | dict") -> None:
    """malloc's state after a long run: blocks above 32 MiB mmapped, freed top-of-heap memory above twice that
    (or the user's ``MALLOC_TRIM_THRESHOLD_``) handed back."""
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
    mallopt(M_TRIM_THRESHOLD, _int(environ.get("MALLOC_TRIM_THRESHOLD_"), 2 * MMAP_THRESHOLD))


def _int(text: "str | None", default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _enabled() -> bool:
    return bool(config.get("reuse_large_blocks"))
