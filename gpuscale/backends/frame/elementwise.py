"""Partition functions of element-wise methods: flex operators, ``replace``, ``explode``, ``map``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import convert_library, library_of

__all__ = ["flex_op", "is_scalar_like", "partition_values", "array_library"]


def is_scalar_like(value: Any) -> bool:
    """True for a single value (a number, string, timestamp, None), not a sequence or a frame."""
    return value is None or bool(pd.api.types.is_scalar(value))


def _literal_for(obj: Any, value: Any) -> Any:
    """A pandas Series/DataFrame literal moved to ``obj``'s library (cuDF refuses pandas operands)."""
    if isinstance(value, (pd.Series, pd.DataFrame)) and library_of(obj) != "pandas":
        return convert_library(value, library_of(obj))
    return value


def flex_op(obj: Any, name: str, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
    """``obj.<name>(other, axis=axis, level=level, fill_value=fill_value)`` (``add``, ``rsub``, ``lt`` ...);
    keywords left at None are not passed (pandas' DataFrame comparisons take no ``fill_value``)."""
    given = {k: v for k, v in (("level", level), ("fill_value", fill_value)) if v is not None}
    return getattr(obj, name)(_literal_for(obj, other), axis=axis, **given)


def partition_values(part: Any) -> Any:
    """A partition's values as an array of its library's device: NumPy for pandas, CuPy for cuDF
    (``.values``, as dask's ``to_dask_array``)."""
    return part.to_numpy() if library_of(part) == "pandas" else part.values


def array_library(meta: Any) -> str:
    """The array library (``"numpy"`` or ``"cupy"``) of :func:`partition_values` of partitions like ``meta``."""
    from gpuscale.backends.array import library_of as array_library_of

    return array_library_of(partition_values(meta))
