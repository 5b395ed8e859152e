"""cuDF's groupby ``sum``/``prod`` of a group without a valid value, emulated on pandas results.

libcudf's groupby reductions skip nulls and give null for a group that has none (cuDF's ``GroupBy._reduce``
calls ``agg(op)`` and masks only for ``min_count > 0``); cuDF's ``from_pandas`` turns NaN into nulls, so a
group whose values are all NaN sums to null (NaN after ``to_pandas``), where pandas gives 0 (``prod``: 1).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

REDUCTIONS = ("sum", "prod")


def after_agg(grouped: Any, func: Any, result: Any, named: dict | None = None) -> Any:
    """``result`` of ``grouped.agg(func)`` (a name, a list of names or a dict of them; or ``named``
    aggregations) with NaN where a sum or product had no valid value, as cuDF's."""
    named = named or {}
    if not isinstance(result, pd.DataFrame) or not getattr(grouped, "as_index", True):
        return after_reduction(grouped, func, result) if isinstance(func, str) else result
    counts = grouped.count()
    if not result.index.equals(counts.index):
        return result
    out = result.copy()
    for position, label in enumerate(out.columns):
        column, how = _column_and_function(func, label, named)
        valid = counts if isinstance(counts, pd.Series) else counts[column] if column in counts.columns else None
        if how in REDUCTIONS and valid is not None and out.iloc[:, position].dtype.kind in "fc":
            out.iloc[:, position] = out.iloc[:, position].where(valid > 0)
    return out


def _column_and_function(func: Any, label: Any, named: dict) -> tuple:
    if func is None:  # named aggregations: label -> (column, function), or a function of the grouped Series
        spec = named.get(label) if not isinstance(label, tuple) else None
        spec = (spec.column, spec.aggfunc) if hasattr(spec, "aggfunc") else spec
        return tuple(spec) if isinstance(spec, tuple) and len(spec) == 2 else (None, spec)
    if isinstance(func, list) and not isinstance(label, tuple):  # a grouped Series' list: labelled by function
        return None, label
    if isinstance(func, str):
        return label, func
    if isinstance(func, dict):
        how = func.get(label)
        if isinstance(how, str):
            return label, how
    if isinstance(label, tuple) and len(label) == 2:
        return label
    return label, None


def after_reduction(grouped: Any, name: str, result: Any) -> Any:
    """``result`` of ``grouped.<name>()`` (pandas) with NaN where the group has no valid value, as cuDF's."""
    if name not in REDUCTIONS or not getattr(grouped, "as_index", True):
        return result
    counts = grouped.count()
    if isinstance(result, pd.Series) and isinstance(counts, pd.Series) and result.index.equals(counts.index):
        return result.where(counts > 0) if result.dtype.kind in "fc" else result
    if isinstance(result, pd.DataFrame) and isinstance(counts, pd.DataFrame) and result.index.equals(counts.index):
        out = result.copy()
        for label in out.columns:
            if label in counts.columns and out[label].dtype.kind in "fc":
                out[label] = out[label].where(counts[label] > 0)
        return out
    return result


# libcudf's group-wise SUM/PRODUCT scans of narrow unsigned integers give int64 (pandas: uint64); seen on the GPU
# (uint8 cumsum came back int64)
SCANS = ("cumsum", "cumprod")
_NARROW_UNSIGNED = ("uint8", "uint16", "uint32")


def after_scan(result: Any, source: Any) -> Any:
    """``result`` of a group-wise cumsum/cumprod (pandas) with cuDF's int64 where ``source``'s column is a
    narrow unsigned integer."""
    if isinstance(result, pd.Series):
        dtype = source.dtype if isinstance(source, pd.Series) else None
        return result.astype("int64") if str(dtype) in _NARROW_UNSIGNED and result.dtype.kind == "u" else result
    if isinstance(result, pd.DataFrame) and isinstance(source, pd.DataFrame):
        narrow = {c: "int64" for c in result.columns if c in source.columns
                  and str(source[c].dtype) in _NARROW_UNSIGNED and result[c].dtype.kind == "u"}
        return result.astype(narrow) if narrow else result
    return result
