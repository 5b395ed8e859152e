"""``.str`` and ``.dt`` accessors: partition-wise calls of the partition library's accessors."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["StringAccessor", "DatetimeAccessor"]


class _Accessor:
    _name = ""
    _properties: tuple = ()
    _methods: tuple = ()

    def __init__(self, series: Any) -> None:
        self._series = series
        try:
            getattr(series._meta, self._name)
        except AttributeError as exc:
            raise AttributeError(f".{self._name} accessor needs {self._expected} values; "
                                 f"column {series.name!r} has dtype {series.dtype}") from exc

    _expected = ""

    def _call(self, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
        expr = map_partitions_expr(bf.call_accessor, self._series.expr, self._name, attr, is_method, *args,
                                   kwargs=kwargs or None, label=f"{self._name}.{attr}", columnwise=True)
        return new_collection(expr)

    def __getattr__(self, attr: str) -> Any:
        if attr in self._properties:
            return self._call(attr, False)
        if attr in self._methods:
            return lambda *args, **kwargs: self._call(attr, True, *args, **kwargs)
        raise AttributeError(f".{self._name} has no attribute {attr!r} in gpuscale")

    def __dir__(self) -> list:
        return sorted(self._properties + self._methods)


class StringAccessor(_Accessor):
    """String methods (``startswith``, ``contains``, ``slice``, ``strip``, ``len``, ...)."""

    _name, _expected = "str", "string"
    _properties = ()
    _methods = ("startswith", "endswith", "contains", "slice", "strip", "lstrip", "rstrip", "len", "lower",
                "upper", "replace", "match", "fullmatch", "split", "get", "cat", "pad", "zfill", "title",
                "capitalize", "find", "count", "isdigit", "isalpha", "isnumeric", "isspace", "islower",
                "isupper", "extract", "rsplit")

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return self._call("slice", True, key.start, key.stop, key.step)
        return self._call("get", True, key)


class DatetimeAccessor(_Accessor):
    """Datetime properties (``year``, ``month``, ``day``, ``hour``, ``dayofweek``, ``date``) and methods."""

    _name, _expected = "dt", "datetime"
    _properties = ("year", "month", "day", "hour", "minute", "second", "microsecond", "nanosecond", "dayofweek",
                   "weekday", "day_of_week", "dayofyear", "day_of_year", "quarter", "date", "time",
                   "is_month_start", "is_month_end", "days_in_month", "days", "seconds")
    _methods = ("floor", "ceil", "round", "strftime", "normalize", "tz_localize", "tz_convert", "total_seconds",
                "isocalendar")
