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
_state: dict = {"active": 0, "saved": []}


@functools.lru_cache(maxsize=1)
def _blas_libraries() -> tuple:
    """``(process_wide, per_thread)`` BLAS controllers (found once: scanning loaded libraries costs ms)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return (), ()
    libraries = ThreadpoolController().select(user_api="blas").lib_controllers
    per_thread = tuple(lib for lib in libraries if getattr(lib, "threading_layer", None) == "openmp")
    return tuple(lib for lib in libraries if lib not in per_thread), per_thread


def _set_threads(library: Any, count: int) -> None:
    # threadpoolctl lets only the first thread that limited OpenBLAS change it again; the limit here is
    # entered and left by different worker threads (under ``_lock``), hence the unguarded setter
    setter = getattr(library, "_real_set_num_threads", None) or library.set_num_threads
    setter(count)


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run the body with one BLAS thread when on a worker thread (see the module docstring)."""
    process_wide, per_thread = _blas_libraries()
    if threading.current_thread() is threading.main_thread() or not (process_wide or per_thread):
        yield
        return
    saved_here = [(lib, lib.num_threads) for lib in per_thread]  # OpenMP-layer limits are per thread
    _enter(process_wide, saved_here)
    try:
        yield
    finally:
        _leave(saved_here)


def _enter(process_wide: tuple, saved_here: list) -> None:
    for lib, _ in saved_here:
        _set_threads(lib, 1)
    with _lock:
        _state["active"] += 1
        if _state["active"] == 1:
            _state["saved"] = [(lib, lib.num_threads) for lib in process_wide]
            for lib, _ in _state["saved"]:
                _set_threads(lib, 1)


def _leave(saved_here: list) -> None:
    with _lock:
        _state["active"] -= 1
        if _state["active"] == 0:
            for lib, count in _state["saved"]:
                _set_threads(lib, count)
            _state["saved"] = []
    for lib, count in saved_here:
        _set_threads(lib, count)


def blas_limit_active() -> bool:
    """Whether a block product currently holds BLAS at one thread (for tests)."""
    return _state["active"] > 0
