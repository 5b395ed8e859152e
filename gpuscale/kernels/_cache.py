"""The per-process cache of compiled kernel forms.

Kernels travel to worker processes by (cloud)pickle, which drops their compiled
state.  Compiled forms are kept here, keyed by the kernel's content key (its
code, signatures and options) and the target, so each process compiles a kernel
once per target however many chunks or unpickled copies reach it.  numba itself
then keeps one machine-code version per argument signature.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from typing import Any, Callable

__all__ = ["kernel_key", "get_or_build", "compile_counts", "clear"]

_compiled: dict[tuple[str, str], Any] = {}
_lock = threading.RLock()
compile_counts: Counter[tuple[str, str]] = Counter()  # (kernel name, target) -> builds in this process


def kernel_key(kind: str, pyfunc: Callable, options: dict) -> str:
    """A content key: equal for the same code, globals, signatures and options."""
    import cloudpickle

    try:
        payload = cloudpickle.dumps((kind, pyfunc.__module__, pyfunc.__qualname__, pyfunc.__code__,
                                     pyfunc, sorted(options.items(), key=repr)))
    except Exception:  # unpicklable globals: the key is then unique to this object
        payload = f"{kind}-{id(pyfunc)}-{options!r}".encode()
    return f"{pyfunc.__name__}-{hashlib.md5(payload, usedforsecurity=False).hexdigest()}"


def get_or_build(key: str, target: str, build: Callable[[], Any], name: str = "") -> Any:
    """The compiled form of kernel ``key`` for ``target``, built on first use in this process."""
    entry = _compiled.get((key, target))
    if entry is not None:
        return entry
    with _lock:  # two threads running chunks at once compile once
        entry = _compiled.get((key, target))
        if entry is None:
            entry = build()
            _compiled[(key, target)] = entry
            compile_counts[(name or key, target)] += 1
    return entry


def clear() -> None:
    """Forget all compiled forms (tests use this to count compilations)."""
    with _lock:
        _compiled.clear()
        compile_counts.clear()
