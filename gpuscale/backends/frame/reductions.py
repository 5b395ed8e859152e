"""Tree reductions of Series/DataFrames: chunk -> combine -> aggregate."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import infer_dtypes, is_dataframe_like, is_series_like
from gpuscale.backends.frame.ops import concat


# -- tree reductions: chunk -> combine -> aggregate -------------------------------------------
# A partial result is a dict of Series (one value per column) or of scalars (for a Series).
_SIMPLE = {"sum": "sum", "prod": "prod", "min": "min", "max": "max", "count": "sum", "any": "any", "all": "all"}


def reduce_chunk(part: Any, how: str, numeric_only: bool = False, skipna: bool = True,
                 ddof: int = 1, meta: Any = None) -> dict | None:
    """Partial reduction ``how`` of one partition (None for an empty partition)."""
    if len(part) == 0:
        return None
    if numeric_only and is_dataframe_like(part):
        part = part.select_dtypes(include=["number", "bool"])
    if how in _SIMPLE:
        kw = {"skipna": skipna} if how not in ("count",) else {}
        return {"v": getattr(part, how)(**kw)}
    if how == "size":
        return {"v": part.size}
    if how in ("var", "std"):  # count, mean, sum of squared deviations (Chan et al. combine)
        values = part.astype("float64")
        n = values.count()
        mean = values.mean()
        return {"n": n, "m": mean, "M2": ((values - mean) ** 2).sum()}
    return {"s": part.sum(skipna=skipna), "n": part.count()}


def _stack(values: list) -> Any:
    if is_series_like(values[0]):
        return concat(values, axis=1).T
    return pd.Series(values)


def _combine_value(values: list, how: str, skipna: bool = True) -> Any:
    stacked = _stack(values)
    if is_series_like(values[0]):
        stacked = infer_dtypes(stacked)
    return getattr(stacked, how)(skipna=skipna)  # a partial that is NaN under skipna=False stays NaN


def reduce_combine(partials: list, how: str, skipna: bool = True, **kwargs: Any) -> dict | None:
    """Combine partial reductions into one partial."""
    partials = [p for p in partials if p is not None]
    if not partials:
        return None
    if "M2" in partials[0]:
        return _combine_moments(partials)
    ops = {"v": _SIMPLE.get(how, "sum"), "s": "sum", "n": "sum"}
    return {k: _combine_value([p[k] for p in partials], ops[k], skipna) for k in partials[0]}


def reduce_aggregate(partials: list, how: str, meta: Any = None, ddof: int = 1, skipna: bool = True,
                     **kwargs: Any) -> Any:
    """Finish a tree reduction: the pandas-compatible result of ``how``."""
    combined = reduce_combine(partials, how, skipna)
    if combined is None:
        return _reduce_empty(meta, how, ddof)
    if "v" in combined:
        return _restore_dtype(combined["v"], meta, how)
    if how == "mean":
        return _ratio(combined["s"], combined["n"])
    var = _ratio(combined["M2"], combined["n"] - ddof)
    return var ** 0.5 if how == "std" else var


def _combine_moments(partials: list) -> dict:
    """Merge (count, mean, M2) partials without cancellation (pairwise update)."""
    n, mean, m2 = partials[0]["n"], partials[0]["m"], partials[0]["M2"]
    for p in partials[1:]:
        nb, mb, m2b = p["n"], p["m"], p["M2"]
        total = n + nb
        safe = _where_positive(total)
        delta = _fill0(mb) - _fill0(mean)
        mean = _fill0(mean) + delta * nb / safe
        m2 = _fill0(m2) + _fill0(m2b) + delta * delta * n * nb / safe
        n = total
    return {"n": n, "m": mean, "M2": m2}


def _where_positive(n: Any) -> Any:
    return n.where(n > 0) if is_series_like(n) else (n if n > 0 else np.nan)


def _fill0(x: Any) -> Any:
    return x.fillna(0) if is_series_like(x) else (0.0 if x != x else x)


def _ratio(a: Any, b: Any) -> Any:
    if is_series_like(b):
        return (a / b.where(b > 0)).astype("float64")
    return np.float64(a / b) if b > 0 else np.float64(np.nan)


def _reduce_empty(meta: Any, how: str, ddof: int) -> Any:
    if how == "size":
        return 0
    kw = {"ddof": ddof} if how in ("var", "std") else {}
    return getattr(meta, how)(**kw)


def _restore_dtype(value: Any, meta: Any, how: str) -> Any:
    if is_series_like(value) and meta is not None and is_dataframe_like(meta) and how in ("min", "max"):
        return infer_dtypes(value)
    return value


__all__ = [
    "reduce_aggregate", "reduce_chunk", "reduce_combine",
]
