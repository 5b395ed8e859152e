"""Dtypes pandas infers from the values (``convert_dtypes``, ``infer_objects``): each partition's inferred dtypes,
combined as pandas combines them (the dtypes of the partitions' converted columns concatenated: int64 with
float64 is float64, Int64 with Float64 is Float64, numbers with text are objects), then every partition cast to
them.  pandas infers a column's dtype from its valid values: a partition's column without one (``None`` only,
kept as objects) adds no dtype, only its missing values (int64 becomes float64, bool objects, as pandas holds
them).  cuDF has no ``infer_objects`` (and no object columns it would change): its partitions stay as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.convert import to_host
from gpuscale.backends.frame.core import is_series_like, library_of, with_dtypes_by_position
from gpuscale.backends.frame.partition_concat import concat

__all__ = ["inferred_sample", "combined_samples", "as_inferred"]


def _converted(part: Any, method: str, options: dict) -> Any:
    if method == "infer_objects" and library_of(part) == "cudf":
        return part
    return getattr(part, method)(**options)


def inferred_sample(part: Any, method: str, options: dict) -> Any:
    """The partition converted by ``method``, its rows that tell the whole collection's dtypes: per column its
    first valid value and its first missing one (where it has them)."""
    return _telling_rows(_converted(part, method, options))


def combined_samples(samples: list) -> Any:
    """The samples of several partitions as one: per column the dtype of the samples' columns with a valid value
    concatenated (of all of them where none has one), holding missing values where any sample has one."""
    if len(samples) == 1:
        return samples[0]
    pieces = [_columns(s) for s in samples]
    dtypes = [_combined_dtype([p[j] for p in pieces], library_of(samples[0])) for j in range(len(pieces[0]))]
    return _telling_rows(concat([_as_dtypes(s, dtypes) for s in samples]))


def _as_dtypes(sample: Any, dtypes: list) -> Any:
    """(cast before they are concatenated: pandas' concat of all-missing columns of other dtypes is deprecated)"""
    if is_series_like(sample):
        return sample if sample.dtype == dtypes[0] else sample.astype(dtypes[0])
    return with_dtypes_by_position(sample, dtypes)


def _columns(obj: Any) -> list:
    return [obj] if is_series_like(obj) else [obj.iloc[:, j] for j in range(obj.shape[1])]


def _valid(column: Any) -> Any:
    return to_host(column.notna()).to_numpy(dtype=bool)


def _telling_rows(obj: Any) -> Any:
    """The rows of ``obj`` (in order) with some column's first valid or first missing value."""
    keep = set()
    for column in _columns(obj):
        valid = _valid(column)
        keep.update(int(flags.argmax()) for flags in (valid, ~valid) if flags.any())
    return obj.iloc[sorted(keep)]


def _combined_dtype(columns: list, library: str) -> Any:
    """The dtype of one column of the samples: that of those with a valid value concatenated (pandas infers from
    the valid values), made to hold missing values where a sample has one (pandas' int64 to float64, bool to
    objects; cuDF columns hold them as they are)."""
    known = [c for c in columns if _valid(c).any()]
    dtype = concat(known or columns).dtype
    if library == "pandas" and isinstance(dtype, np.dtype) and dtype.kind in ("i", "u", "b") and \
            any((~_valid(c)).any() for c in columns):
        return object if dtype.kind == "b" else np.dtype("float64")
    return dtype


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
