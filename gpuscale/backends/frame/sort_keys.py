"""Sort keys compared the way pandas sorts them: a categorical key in the order of its categories
(``cba`` when the categories are ``["c", "b", "a"]``), other keys by value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import stable_sort_kind

__all__ = ["sort_order_values", "positions_among", "categorical_levels_misorder", "sorted_by_index_columns"]


def sort_order_values(values: Any) -> Any:
    """A NumPy array that sorts as the host Series ``values`` does (a categorical: its codes)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes)
    return values.to_numpy()


def positions_among(boundaries: Any, host: Any) -> Any:
    """For each value of the host Series ``host``, how many of the sorted ``boundaries`` are <= it.

    A categorical key whose categories hold every boundary is placed by its codes (the categories' order);
    otherwise values are compared (partitions with their own categories: sorted, so the same order)."""
    if isinstance(host.dtype, pd.CategoricalDtype):
        bounds = pd.Categorical(list(boundaries), dtype=host.dtype)
        if not (bounds.codes < 0).any():
            return np.searchsorted(bounds.codes, np.asarray(host.cat.codes), side="right")
        host = host.astype(host.cat.categories.dtype)
    missing = host.isna().to_numpy()
    bounds = _boundary_index(boundaries)
    counted = _counted_at_or_below(bounds, host, missing)
    if counted is not None:
        return counted
    if not missing.any() or isinstance(host.dtype, np.dtype) and host.dtype.kind in "fmM":  # NaN/NaT: NumPy
        return bounds.searchsorted(_comparable(host, bounds), side="right")  # places them last itself
    # missing labels of other kinds (strings; pandas' NA of nullable numbers and booleans) cannot be compared:
    # they go last, as pandas sorts them
    out = np.full(len(host), len(boundaries), dtype=np.intp)
    out[~missing] = bounds.searchsorted(_comparable(host[~missing], bounds), side="right")
    return out


_COUNTED_BOUNDS = 32  # up to this many boundaries, comparing with each beats a binary search per value


def _counted_at_or_below(bounds: pd.Index, host: Any, missing: Any) -> Any:
    """:func:`positions_among` of numbers by counting, for a few boundaries of their dtype, the boundaries at or
    below each value (missing ones last, as ``searchsorted``); None for other keys."""
    dtype = host.dtype
    if len(bounds) > _COUNTED_BOUNDS or not isinstance(dtype, np.dtype) or dtype.kind not in "iuf" \
            or bounds.dtype != dtype:
        return None
    values = host.to_numpy()
    out = np.zeros(len(values), dtype=np.intp)
    for bound in bounds.to_numpy():
        out += values >= bound
    out[missing] = len(bounds)
    return out


def _boundary_index(boundaries: Any) -> pd.Index:
    """The sorted boundaries as an Index to search (float16 ones as float32, which orders them alike: pandas
    has no float16 Index)."""
    try:
        return pd.Index(boundaries)
    except NotImplementedError:
        return pd.Index(np.asarray(boundaries, dtype=np.float32))


def _comparable(values: Any, bounds: pd.Index) -> Any:
    """``values`` in the form ``bounds.searchsorted`` compares: Arrow boundaries (durations, timestamps) take
    pandas' array, whose values they compare as scalars; others NumPy's."""
    return values.array if isinstance(bounds.dtype, pd.ArrowDtype) else values.to_numpy()


def categorical_levels_misorder(obj: Any) -> bool:
    """Whether pandas' ``sort_index`` would misplace rows of a categorical index level: missing values (it takes
    the codes, -1 first, as already sorted and leaves them first, where its groupby puts them last), or any
    categorical level of a MultiIndex (a groupby with ``sort=False`` lists the level's values in order of
    appearance, which ``sort_index`` takes for the categories' order)."""
    from gpuscale.backends.frame.categorical import is_categorical

    index = obj.index
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    return any(is_categorical(level.dtype) and (index.nlevels > 1 or bool(level.hasnans)) for level in levels)


def sorted_by_index_columns(obj: Any, nlevels: int | None = None) -> Any:
    """``obj`` in the order of its (first ``nlevels``) index levels as columns (stable; missing values last)."""
    keys = obj.index.to_frame(index=False)
    keys = keys if nlevels is None else keys.iloc[:, :nlevels]
    keys.columns = [f"__level_{i}__" for i in range(keys.shape[1])]
    order = keys.sort_values(list(keys.columns), kind=stable_sort_kind(keys), na_position="last").index
    return obj.take(order.values)
