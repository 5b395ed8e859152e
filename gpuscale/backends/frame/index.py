"""Partition functions of the lazy Index's methods (``df.index.map(...)``, ``.dt.year``, memory usage) and of
``Series.map``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.accessor_members import has_member, member_name, refuse_object_values
from gpuscale.backends.frame.core import convert_library, is_frame_like, library_of, namespace
from gpuscale.backends.frame.lookup import share_lookup_table

__all__ = ["index_levels_as_columns", "series_values_index", "series_map", "with_missing_value", "index_map", "index_attribute", "index_memory_usage", "index_nbytes",
           "has_member", "refuse_object_values"]


def index_levels_as_columns(frame: Any, names: list) -> Any:
    """``frame`` with the levels of its MultiIndex also as the columns ``names`` (keys of a sort by the index;
    the index stays). An Index is set by position, in pandas and cuDF alike."""
    out = frame.copy(deep=False)
    for i, name in enumerate(names):
        out[name] = frame.index.get_level_values(i)
    return out


def series_values_index(series: Any) -> Any:
    """The values of ``series`` as an Index named as the series."""
    return namespace(series).Index(series, name=series.name)


def index_map(index: Any, arg: Any, na_action: Any = None) -> Any:
    """``index.map(arg)`` (a function, dict or Series).  cuDF's Index has no ``map``: its values are
    mapped as a Series and made an Index again."""
    if library_of(index) == "pandas":
        share_lookup_table(arg)
        return index.map(arg, **({} if na_action is None else {"na_action": na_action}))
    mapped = series_map(index.to_series(), arg, na_action)
    return namespace(index).Index(mapped.reset_index(drop=True), name=index.name)


def series_map(part: Any, arg: Any, na_action: Any = None, dtype: Any = None) -> Any:
    """``part.map(arg, na_action=)`` of a Series partition (``arg``: a function, dict or Series); ``dtype``: the
    collection's, which a partition of missing results only takes (pandas types those float64 or object, and the
    concatenated partitions would all be objects).

    cuDF maps only by a cuDF Series (a pandas one is moved to the device first) and refuses
    ``na_action="ignore"``: there the values are mapped and the missing ones masked again."""
    if library_of(part) == "pandas":
        share_lookup_table(arg)
        out = part.map(arg, na_action=na_action)
    else:
        if is_frame_like(arg):
            arg = convert_library(arg, "cudf")
        out = part.map(arg).where(part.notna()) if na_action == "ignore" else part.map(arg, na_action=na_action)
    if dtype is not None and out.dtype != dtype and (_widens(out.dtype, dtype) or not bool(out.notna().any())):
        try:
            return out.astype(dtype)
        except (TypeError, ValueError):
            return out
    return out


def _widens(got: Any, declared: Any) -> bool:
    """Whether integers ``got`` are cast to the ``declared`` floats: a dict that lacks some values maps them to
    floats with missing values (pandas' ``take`` of the dict's integers), a partition whose values it all has to
    integers; the collection's dtype is the floats (see :func:`with_missing_value`)."""
    return getattr(got, "kind", "") in "iu" and getattr(declared, "kind", "") == "f"


def with_missing_value(sample: Any) -> Any:
    """The sample Series or Index ``sample`` with one missing value more, where its dtype holds one (not NumPy
    integers or booleans): the sample values of a dict ``map`` are all among the dict's keys, and real data
    holds values it lacks (or missing ones), which pandas maps to missing values of another dtype (a Float64
    column mapped to integers is Float64, not Int64)."""
    from gpuscale.backends.convert import to_host

    library, host = library_of(sample), to_host(sample)
    try:
        missing = pd.Series([None], dtype=host.dtype, index=host[:1] if isinstance(host, pd.Index) else host.index[:1])
    except (TypeError, ValueError):  # (NumPy integers)
        return sample
    if missing.dtype != host.dtype or not bool(missing.isna().all()):  # (NumPy booleans: False)
        return sample
    if isinstance(host, pd.Index):
        out = host.append(pd.Index(missing, name=host.name))
    else:
        out = pd.concat([host, missing.rename(host.name)])
    return convert_library(out, library)


def index_attribute(index: Any, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
    """A datetime property (``index.year``) or method (``index.floor("1D")``) of an index: pandas and
    cuDF have them on the index itself, not under ``.dt`` as for a Series."""
    value = getattr(index, member_name(index, attr))  # (cuDF: day_of_week is read as dayofweek)
    value = value(*args, **kwargs) if is_method else value
    if getattr(value, "ndim", 0) == 1 and not is_frame_like(value):
        # pandas gives NumPy arrays for ``date``, ``time``, ``timetz``: an Index of them (no name, as the array),
        # so a lazy ``df.index.dt.date`` is an Index to group or index by, not a scalar
        return namespace(index).Index(value)
    return value


def index_memory_usage(index: Any, deep: bool = False) -> int:
    """Bytes used by the index's values."""
    return int(index.memory_usage(deep=deep))


def index_nbytes(index: Any) -> int:
    """Bytes of the index's values (``index.nbytes``; cuDF has no such property: its memory usage)."""
    nbytes = getattr(index, "nbytes", None)
    return int(nbytes if nbytes is not None else index.memory_usage())
