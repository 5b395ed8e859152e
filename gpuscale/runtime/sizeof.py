"""Estimate how many bytes of memory a value holds, by duck typing (no library imports)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["sizeof"]

_SAMPLE = 16  # containers are estimated from a sample of their items


def sizeof(obj: Any) -> int:
    """Bytes held by ``obj``: ``nbytes`` (arrays), ``memory_usage(deep=True)`` (frames), else ``__sizeof__``.

    Lists, tuples, sets and dicts are estimated from a sample of their items.
    """
    if obj is None:
        return 0
    usage = getattr(obj, "memory_usage", None)
    if callable(usage) and not isinstance(obj, type):  # pandas / cuDF frames, series, indexes
        total = _memory_usage(usage)
        if total is not None:
            return total
    nbytes = getattr(obj, "nbytes", None)
    if isinstance(nbytes, int) and not isinstance(obj, type):
        return nbytes
    if type(obj) in (list, tuple, set, frozenset):
        return sys.getsizeof(obj) + _sampled(list(obj) if type(obj) in (set, frozenset) else obj)
    if type(obj) is dict:
        return sys.getsizeof(obj) + _sampled(list(obj.values())) + _sampled(list(obj))
    try:
        return sys.getsizeof(obj)
    except TypeError:
        return 64


def _memory_usage(usage: Any) -> int | None:
    try:
        try:
            total = usage(deep=True)
        except TypeError:  # a memory_usage without ``deep``
            total = usage()
        return int(total.sum()) if hasattr(total, "sum") else int(total)
    except Exception:  # not the pandas-like method we expected
        return None


def _sampled(items: Any) -> int:
    if not items:
        return 0
    step = max(1, len(items) // _SAMPLE)
    sample = items[::step]
    return int(sum(sizeof(item) for item in sample) * len(items) / len(sample))
