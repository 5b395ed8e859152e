"""Partition functions of ``corr`` and ``cov``: pairwise-complete moments merged across partitions.

Per partition and pair of columns ``(i, j)``, over the rows where both are valid: the count, the mean
of ``i``, its sum of squared deviations and the co-moment of ``i`` and ``j``, taken about the pair's
means (two passes, as pandas).  Partials are merged with the
pairwise update of Chan et al.; the result is pandas' pairwise ``cov`` (``ddof``) or Pearson ``corr``.
Only the library's column operations and reductions are used (no host copy of a partition).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import _to_pandas, convert_library, library_of, meta_nonempty

__all__ = ["corr_chunk", "corr_combine", "corr_aggregate", "correlations_of_pairs", "corrwith_dtype"]


def corr_chunk(part: Any) -> dict:
    """``{"n", "centre", "offset", "m2", "c"}``: k x k matrices of the pairwise-complete moments of ``part``'s
    columns; the mean of column ``i`` over the rows valid in ``i`` and ``j`` is ``centre + offset`` (kept
    apart, so means far from zero lose no digits when partials are merged; a partition's own is all centre)."""
    columns = list(part.columns)  # (the labels travel as the host Index: its names, a MultiIndex)
    k = len(columns)
    n, centre, offset, m2, co = (np.zeros((k, k)) for _ in range(5))
    values = [part[c].astype("float64") for c in columns]
    valid = [v.notna() for v in values]
    for i in range(k):
        for j in range(i, k):
            both = valid[i] & valid[j]
            count = int(both.sum())
            if count == 0:
                continue
            xi, xj = values[i].where(both), values[j].where(both)
            mi, mj = float(xi.mean()), float(xj.mean())  # two passes: deviations from the pair's means
            di, dj = (xi - mi).where(both, 0.0), (xj - mj).where(both, 0.0)
            n[i, j] = n[j, i] = count
            centre[i, j], centre[j, i] = mi, mj
            m2[i, j], m2[j, i] = float((di * di).sum()), float((dj * dj).sum())
            co[i, j] = co[j, i] = float((di * dj).sum())
    return {"columns": _host_index(part.columns), "n": n, "centre": centre, "offset": offset, "m2": m2, "c": co}


def _host_index(labels: Any) -> Any:
    return labels if isinstance(labels, pd.Index) else _to_pandas(labels)


def _merge(a: dict, b: dict) -> dict:
    na, nb = a["n"], b["n"]
    n = na + nb
    safe = np.where(n > 0, n, 1.0)
    # delta[i, j]: between the means of column i over the rows valid in i and j
    delta = (b["centre"] - a["centre"]) + (b["offset"] - a["offset"])
    weight = na * nb / safe
    return {"columns": a["columns"], "n": n, "centre": np.where(na > 0, a["centre"], b["centre"]),
            "offset": np.where(nb > 0, np.where(na > 0, a["offset"] + delta * nb / safe, b["offset"]), a["offset"]),
            "m2": np.where((na > 0) & (nb > 0), a["m2"] + b["m2"] + delta * delta * weight, a["m2"] + b["m2"]),
            "c": np.where((na > 0) & (nb > 0), a["c"] + b["c"] + delta * delta.T * weight, a["c"] + b["c"])}


def corr_combine(partials: list, **kwargs: Any) -> dict:
    """Merge partial moments."""
    out = partials[0]
    for p in partials[1:]:
        out = _merge(out, p)
    return out


def corr_aggregate(partials: list, corr: bool, min_periods: Any, ddof: int, library: str,
                   scalar: bool = False, **kwargs: Any) -> Any:
    """pandas' pairwise ``corr`` (Pearson) or ``cov``: a DataFrame, or the ``[0, 1]`` value (``scalar``)."""
    merged = corr_combine(partials)
    n, co, m2 = merged["n"], merged["c"], merged["m2"]
    # a constant column keeps a few ulps of its mean as squared deviations (0.2 * 3 / 3 != 0.2): no variance
    noise = n * (8 * np.finfo("float64").eps * (merged["centre"] + merged["offset"])) ** 2
    m2 = np.where(m2 > noise, m2, 0.0)
    minp = 1 if min_periods is None else max(int(min_periods), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if corr:
            denominator = np.sqrt(m2 * m2.T)
            values = np.where(denominator > 0, co / denominator, np.nan)
            values = np.clip(values, -1.0, 1.0)
            minp = max(minp, 2)
        else:
            values = np.where(n - ddof > 0, co / (n - ddof), np.nan)
    values = np.where(n >= minp, values, np.nan)
    if scalar:
        return np.float64(values[0, 1])
    columns = merged["columns"]
    return convert_library(pd.DataFrame(values, index=columns, columns=columns), library)


def correlations_of_pairs(matrix: Any, pairs: list, labels: list, missing: list, dtype: Any = "float64") -> Any:
    """The entries ``pairs`` of a correlation matrix as a Series of ``dtype`` (see :func:`corrwith_dtype`)
    indexed by ``labels``, then NaN for the ``missing`` labels (``corrwith``), in the matrix's library (read on
    a host copy: it is small)."""
    host = _to_pandas(matrix)
    values = [float(host.loc[a, b]) if len(host) else np.nan for a, b in pairs] + [np.nan] * len(missing)
    out = pd.Series(values, index=pd.Index(list(labels) + list(missing)), dtype="float64").astype(dtype)
    return convert_library(out, library_of(matrix))


def corrwith_dtype(left: Any, right: Any, drop: bool = False, numeric_only: bool = False) -> Any:
    """The dtype of pandas' ``left.corrwith(right)`` (metadata), as pandas gives it on sample rows: Float64
    where a nullable column takes part (its arithmetic stays nullable); float64 on cuDF or where unsure."""
    if library_of(left) != "pandas":
        return np.dtype("float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (constant sample columns: division by zero)
        try:
            dtype = meta_nonempty(left).corrwith(meta_nonempty(right), drop=drop, numeric_only=numeric_only).dtype
        except (TypeError, ValueError):
            return np.dtype("float64")
    return dtype if pd.api.types.is_float_dtype(dtype) else np.dtype("float64")
