"""One BLAS thread per block product while runtime worker threads multiply blocks side by side.

Each worker thread of a threaded runtime calling a multi-threaded BLAS
(OpenBLAS starts one thread per core) oversubscribes the cores: on two cores,
two workers each running a two-thread GEMM are slower than either alone.  The
block products of a chunked ``matmul`` therefore run with BLAS limited to one
thread, and the parallelism comes from the workers.  BLAS's thread count is
process-wide, so the limit is reference counted: set when the first block
product starts, restored when the last one ends (no product is then inside
BLAS).  On the main thread (the sync scheduler, or plain NumPy) nothing
changes.  Without ``threadpoolctl`` (an optional dependency) nothing changes.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from typing import Any, Iterator

_lock = threading.Lock()
_state: dict = {"active": 0, "limiter": None}


@functools.lru_cache(maxsize=1)
def _controller() -> Any:
    """The process's BLAS libraries (found once: scanning loaded libraries costs milliseconds)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run the body with one BLAS thread when on a worker thread (see the module docstring)."""
    if threading.current_thread() is threading.main_thread() or _controller() is None:
        yield
        return
    _enter()
    try:
        yield
    finally:
        _leave()


def _enter() -> None:
    with _lock:
        _state["active"] += 1
        if _state["active"] == 1:
            _state["limiter"] = _controller().limit(limits=1, user_api="blas")


def _leave() -> None:
    with _lock:
        _state["active"] -= 1
        if _state["active"] == 0:
            _state["limiter"].restore_original_limits()
            _state["limiter"] = None


def blas_limit_active() -> bool:
    """Whether a block product currently holds BLAS at one thread (for tests)."""
    return _state["active"] > 0
