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
import types
from collections import Counter
from typing import Any, Callable

from gpuscale.expr.tokenize import tokenize

__all__ = ["kernel_key", "get_or_build", "compile_counts", "clear"]

_compiled: dict[tuple[str, str], Any] = {}
_lock = threading.RLock()
compile_counts: Counter[tuple[str, str]] = Counter()  # (kernel name, target) -> builds in this process


def kernel_key(kind: str, pyfunc: Callable, options: dict) -> str:
    """A content key: equal for the same code, referenced globals and closure values, and options.

    It survives pickling (a copy shipped to a worker has the same key), and
    changes when a notebook redefines the function with a new body.
    """
    payload = repr((kind, _fingerprint(pyfunc, depth=0), tokenize(sorted(options.items(), key=repr))))
    return f"{pyfunc.__name__}-{hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()}"


def _fingerprint(func: Callable, depth: int) -> Any:
    code = getattr(func, "__code__", None)
    if code is None or depth > 3:
        return tokenize(func)
    closure = tuple(_value_token(c.cell_contents, depth) for c in func.__closure__ or ())
    scope = getattr(func, "__globals__", {})
    referenced = tuple((n, _value_token(scope[n], depth)) for n in _global_names(code) if n in scope)
    return (func.__module__, func.__qualname__, _code_token(code), tokenize(func.__defaults__),
            closure, referenced)


def _code_token(code: types.CodeType) -> tuple:
    consts = tuple(_code_token(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts)
    return (code.co_code.hex(), consts, code.co_names, code.co_varnames)


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _value_token(value: Any, depth: int) -> Any:
    if isinstance(value, types.ModuleType):
        return ("module", value.__name__)
    if isinstance(value, types.FunctionType):
        return _fingerprint(value, depth + 1)
    return tokenize(value)


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
