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
"""

from __future__ import annotations

import os

from gpuscale.runtime.trim import libc

__all__ = ["reuse_large_blocks", "FROZEN_BY", "MMAP_THRESHOLD"]

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
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
