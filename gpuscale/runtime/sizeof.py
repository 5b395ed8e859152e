"""Estimate how many bytes of memory a value holds, by duck typing (no library imports)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["sizeof"]

_SAMPLE = 16  # containers are estimated from a sample of their items
_OBJECT_SAMPLE = 100  # object columns from a sample of their values (dask's sizeof samples as many)


def sizeof(obj: Any) -> int:
    """Bytes held by ``obj``: ``nbytes`` (arrays), ``memory_usage`` (frames; the Python objects of object columns
    estimated from a sample of them), else ``__sizeof__``.

    Lists, tuples, sets and dicts are estimated from a sample of their items.
    """
    if obj is None:
        return 0
    usage = getattr(obj, "memory_usage", None)
    if callable(usage) and not isinstance(obj, type):  # pandas / cuDF frames, series, indexes
        total = _memory_usage(obj, usage)
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


def _memory_usage(obj: Any, usage: Any) -> int | None:
    try:
        try:
            # not deep=True: that sizes every Python object of an object column (74 ms for 625k strings, for
            # every result a memory-limited runtime stores); those are sampled below, as dask's sizeof does
            total = usage(deep=False)
        except TypeError:  # a memory_usage without ``deep``
            total = usage()
        total = int(total.sum()) if hasattr(total, "sum") else int(total)
    except Exception:  # not the pandas-like method we expected
        return None
    return total + _python_objects_bytes(obj)


def _python_objects_bytes(obj: Any) -> int:
    """Estimated bytes of the Python objects (strings, decimals, ...) that the object-dtype columns and index
    of a pandas-like ``obj`` point to, beyond the pointers ``memory_usage`` counts: from a sample of each."""
    return sum(_sampled(values, _OBJECT_SAMPLE) for values in _object_arrays(obj))


def _object_arrays(obj: Any) -> list:
    """The host object arrays behind ``obj``'s columns (a frame), values (a series, an index) and index labels;
    none for other dtypes and for libraries whose ``memory_usage`` counts the values themselves (cuDF)."""
    try:
        parts = []
        dtypes = getattr(obj, "dtypes", None)
        if hasattr(dtypes, "__len__") and hasattr(obj, "iloc") and getattr(obj, "ndim", 1) == 2:
            parts += [obj.iloc[:, j] for j, dtype in enumerate(dtypes) if dtype == object]
        elif getattr(obj, "dtype", None) == object:
            parts.append(obj)
        index = getattr(obj, "index", None)
        if index is not None and getattr(index, "dtype", None) == object:
            parts.append(index)
        arrays = [getattr(getattr(part, "array", None), "_ndarray", None) for part in parts]
        # host arrays only (a device array has no __array_interface__), of Python objects
        return [a for a in arrays if hasattr(a, "__array_interface__") and a.dtype == object]
    except Exception:  # not the pandas-like object we expected: its memory_usage alone
        return []


def _sampled(items: Any, size: int = _SAMPLE) -> int:
    """Bytes of ``items`` (a sequence, or an object array) estimated from ``size`` of them, evenly spaced."""
    if not len(items):
        return 0
    step = max(1, len(items) // size)
    sample = items[::step]
    return int(sum(sizeof(item) for item in sample) * len(items) / len(sample))
