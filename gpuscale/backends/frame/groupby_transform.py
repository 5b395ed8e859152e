"""``groupby(...).transform("sum")`` and the other reductions by name: each row gets its group's aggregate.

The aggregate (one small result indexed by the keys) is looked up per partition by the rows' key values, so
the result keeps the partition's rows, their order and their index (pandas' transform).  Rows whose key is
missing with ``dropna=True`` have no group: their value is missing, as pandas gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import is_dataframe_like, library_of

__all__ = ["broadcast_group_values"]


def _values_frame(agg: Any, nkeys: int) -> Any:
    """``agg`` as a frame of positional labels: the key levels ``__k<i>``, then the values ``__v<j>`` (a
    value named as a key, ``gb.k.count()`` of key ``k``, clashes with nothing)."""
    right = agg.index.to_frame(index=False)
    right.columns = [f"__k{i}" for i in range(nkeys)]
    values = agg if is_dataframe_like(agg) else agg.to_frame()
    for j in range(values.shape[1]):
        right[f"__v{j}"] = values.iloc[:, j].reset_index(drop=True)
    return right


def broadcast_group_values(part: Any, agg: Any, by: list, meta: Any) -> Any:
    """Each row of ``part`` with the value(s) of its group in ``agg`` (indexed by the ``by`` keys, in their
    order), under ``part``'s index and in its row order; labelled and typed as ``meta`` where the values
    allow (a row without group holds a missing value, which integers cannot)."""
    nkeys = len(by)
    keys = [f"__k{i}" for i in range(nkeys)]
    left = part[list(by)].reset_index(drop=True)
    left.columns = keys
    left["__pos"] = np.arange(len(left))
    right = _values_frame(agg, nkeys)
    for key in keys:  # (a level of missing keys only comes back as floats: merged in the rows' dtype)
        if right[key].dtype != left[key].dtype and len(right) == right[key].isna().sum():
            right[key] = right[key].astype(left[key].dtype)
    merged = left.merge(right, on=keys, how="left", sort=False)
    if library_of(part) != "pandas":  # (cuDF's merge does not keep the left rows' order)
        merged = merged.sort_values("__pos")
    width = meta.shape[1] if is_dataframe_like(meta) else 1
    out = merged[[f"__v{j}" for j in range(width)]]
    out.index = part.index
    if is_dataframe_like(meta):
        out.columns = meta.columns
    else:
        out = out.iloc[:, 0]
        out.name = meta.name
    return _as_meta_dtypes(out, meta)


def _as_meta_dtypes(out: Any, meta: Any) -> Any:
    """``out`` cast to ``meta``'s dtypes, column by column, where that keeps every value (a missing value stays
    in its float column, as pandas' transform gives for rows without a group)."""
    if not is_dataframe_like(out):
        return out if out.dtype == meta.dtype or out.isna().any() else out.astype(meta.dtype)
    cast = {c: meta.dtypes[c] for c in out.columns
            if out[c].dtype != meta.dtypes[c] and not out[c].isna().any()}
    return out.astype(cast) if cast else out
