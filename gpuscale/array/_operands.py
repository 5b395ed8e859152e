"""Argument conversion shared by the NumPy-style functions: array-likes become gpuscale arrays on the
backend of the arrays they are used with."""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array, is_array


def backend_of(*objs: Any) -> str | None:
    """The backend of the first gpuscale array among ``objs`` (searched through lists and tuples)."""
    for obj in objs:
        if is_array(obj):
            return obj.backend
        if isinstance(obj, (list, tuple)):
            found = backend_of(*obj)
            if found:
                return found
    return None


def as_array(obj: Any, backend: str | None = None) -> Array:
    """``obj`` as a gpuscale array (arrays pass through; other data is put on ``backend``)."""
    if is_array(obj):
        return obj
    from gpuscale.array.creation import asarray

    return asarray(obj, backend=backend)


def as_arrays(seq: Any) -> list[Array]:
    """Every element of ``seq`` as a gpuscale array, on the backend of the arrays among them."""
    seq = list(seq)
    backend = backend_of(*seq)
    return [as_array(a, backend) for a in seq]
