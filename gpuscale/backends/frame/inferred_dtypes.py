"""Dtypes pandas infers from the values (``convert_dtypes``, ``infer_objects``): each partition's inferred dtypes,
combined as pandas combines them (the dtypes of the partitions' empty converted frames concatenated: int64 with
float64 is float64, Int64 with Float64 is Float64, numbers with text are objects), then every partition cast to
them.  cuDF has no ``infer_objects`` (and no object columns it would change): its partitions stay as they are.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_series_like, library_of
from gpuscale.backends.frame.partition_concat import concat

__all__ = ["inferred_sample", "combined_samples", "as_inferred"]


def _converted(part: Any, method: str, options: dict) -> Any:
    if method == "infer_objects" and library_of(part) == "cudf":
        return part
    return getattr(part, method)(**options)


def inferred_sample(part: Any, method: str, options: dict) -> Any:
    """The partition converted by ``method``, without rows (its dtypes)."""
    return _converted(part, method, options).iloc[:0]


def combined_samples(samples: list) -> Any:
    """The dtypes of several partitions' samples together, as one sample."""
    return concat(list(samples)) if len(samples) > 1 else samples[0]


def as_inferred(part: Any, method: str, options: dict, sample: Any) -> Any:
    """The partition converted by ``method`` and cast to the dtypes of ``sample`` (the whole collection's)."""
    out = _converted(part, method, options)
    if is_series_like(out):
        return out if out.dtype == sample.dtype else _cast(out, part, sample.dtype)
    changed = [c for c in out.columns if out.dtypes[c] != sample.dtypes[c]]
    if not changed:
        return out
    out = out.copy()
    for c in changed:
        out[c] = _cast(out[c], part[c], sample.dtypes[c])
    return out


def _cast(converted: Any, original: Any, dtype: Any) -> Any:
    """A converted column cast to the whole collection's ``dtype``; to objects from its original values (pandas
    leaves a column it cannot convert as it was: its missing values stay ``None``, not the converted ``<NA>``)."""
    return original.astype(dtype) if str(dtype) == "object" else converted.astype(dtype)
