"""Accessor and datetime members where cuDF differs from pandas (read from cuDF 26.10).

* cuDF's datetime column defines ``day_of_week``, ``date``, ``time``, ``timetz`` (and more) as stubs raising
  ``NotImplementedError``, so ``DatetimeIndex.day_of_week`` and ``Series.dt.date`` raise on access and
  ``hasattr`` raises instead of answering: :func:`has_member` answers.  ``DatetimeIndex.dayofweek`` gives
  the same values as pandas' ``day_of_week`` (cuDF's ``weekday``), so it is read instead.
  ``dt.date``/``dt.time`` are Python objects, which cuDF has no columns for: refused with a clear message.
* cuDF's string methods that count (``str.len``, ``count``, ``find`` ...) give ``int32``; pandas ``int64``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_index_like, library_of

__all__ = ["has_member", "member_name", "refuse_object_values", "objects_as_series", "counts_as_pandas"]

_CUDF_ALIASES = {"day_of_week": "dayofweek"}  # (DatetimeIndex: the stub's values under cuDF's other name)
# members giving Python objects, and which objects
_OBJECT_VALUES = {"date": "date", "time": "time", "timetz": "time", "to_pydatetime": "datetime",
                  "to_pytimedelta": "timedelta"}
_COUNTS = frozenset({"len", "count", "find", "rfind", "index", "rindex"})


def member_name(obj: Any, name: str) -> str:
    """The member of ``obj`` (an index partition) to read for pandas' ``name``."""
    if library_of(obj) == "cudf" and is_index_like(obj):
        return _CUDF_ALIASES.get(name, name)
    return name


def has_member(obj: Any, name: str) -> bool:
    """``hasattr(obj, name)`` (after :func:`member_name`) that takes cuDF's stubs, which raise
    ``NotImplementedError`` on access, as absent."""
    try:
        getattr(obj, member_name(obj, name))
    except (AttributeError, NotImplementedError):
        return False
    return True


def refuse_object_values(obj: Any, accessor: str, attr: str) -> None:
    """Raise a clear ``NotImplementedError`` for ``.dt.date``/``.dt.time`` of a cuDF partition."""
    if accessor == "dt" and attr in _OBJECT_VALUES and library_of(obj) == "cudf":
        raise NotImplementedError(f".dt.{attr} gives Python {_OBJECT_VALUES[attr]} objects, which cuDF cannot hold "
                                  "(it has no object columns); use .dt.floor('D') for dates as midnight timestamps "
                                  "(cuDF has no .dt.normalize), or compute on a pandas backend")


def objects_as_series(obj: Any, value: Any) -> Any:
    """``value``, an accessor's array of Python objects per row of the Series ``obj`` (pandas'
    ``dt.to_pytimedelta``), as an object Series labelled as ``obj`` (dask's answer), so partitions concatenate.
    Only pandas partitions get here: cuDF's are refused first (:func:`refuse_object_values`)."""
    if not is_index_like(value) and getattr(value, "ndim", 0) == 1 and not hasattr(value, "index"):
        import pandas as pd

        return pd.Series(value, index=obj.index, name=obj.name, dtype=object)
    return value


def counts_as_pandas(value: Any, accessor: str, attr: str) -> Any:
    """A ``.str`` count (``len``, ``find`` ...) of a cuDF partition as ``int64``, pandas' dtype (cuDF: int32)."""
    if accessor == "str" and attr in _COUNTS and library_of(value) == "cudf" and str(value.dtype) == "int32":
        return value.astype("int64")
    return value
