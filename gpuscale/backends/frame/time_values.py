"""Times in the moment reductions (mean, var, std, sem) and medians: datetime and timedelta columns enter them
as float counts of their unit (:func:`time_as_float`) and the answers leave as timestamps or timedeltas again
(:func:`time_value`), as pandas'.

Arrow date columns (``date32``/``date64``) are reduced as pandas reduces them, on the integers Arrow stores
(days of ``date32``, milliseconds of ``date64``): ``mean``/``median`` cut the answer to a whole count (toward
zero) and give it back as a ``datetime.date``; ``std``/``sem`` give a Timedelta of whole seconds (``date32``:
pandas measures the spread in seconds) or milliseconds (``date64``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import is_dataframe_like

__all__ = ["is_time_dtype", "time_as_float", "time_unit_zone", "time_value", "is_arrow_date"]

_SECONDS_PER_DAY = 86_400


def is_time_dtype(dtype: Any) -> bool:
    """True for datetime (with or without a time zone) and timedelta dtypes (Arrow dates too)."""
    return getattr(dtype, "kind", "O") in "mM"


def time_as_float(obj: Any) -> Any:
    """Datetime/timedelta columns (or a Series) as float counts of their unit (missing: NaN); others unchanged."""
    if is_dataframe_like(obj):
        times = [c for c, d in obj.dtypes.items() if is_time_dtype(d)]
        if not times:
            return obj
        obj = obj.copy(deep=False)
        for c in times:
            obj[c] = _series_time_as_float(obj[c])
        return obj
    return _series_time_as_float(obj) if is_time_dtype(obj.dtype) else obj


def _series_time_as_float(s: Any) -> Any:
    if is_arrow_date(s.dtype):
        return _date_as_float(s)
    # the integer view holds NaT as the smallest int64 (pandas) or as null (cuDF): masked either way
    return s.astype("int64").astype("float64").where(s.notna())


def time_unit_zone(dtype: Any) -> tuple:
    """``(unit, time zone or None)`` of a datetime/timedelta dtype, NumPy's, pandas' or Arrow's (whose are on
    its pyarrow type)."""
    arrow = getattr(dtype, "pyarrow_dtype", None)
    unit = getattr(dtype, "unit", None) or getattr(arrow, "unit", None) or np.datetime_data(dtype)[0]
    return unit, getattr(dtype, "tz", None) or getattr(arrow, "tz", None)


def time_value(value: Any, dtype: Any, as_delta: bool = False) -> Any:
    """A float count of ``dtype``'s unit as a Timestamp of ``dtype`` (with its time zone) or, for a
    timedelta dtype or ``as_delta`` (a spread of datetimes), a Timedelta; NaN gives NaT (of an Arrow date:
    :func:`_date_value`)."""
    if is_arrow_date(dtype):
        return _date_value(value, dtype, as_delta)
    unit, tz = time_unit_zone(dtype)
    if value != value:
        return pd.NaT
    ticks = int(float(value))  # truncated toward zero, as pandas casts
    if dtype.kind == "M" and not as_delta:
        stamp = pd.Timestamp(np.datetime64(ticks, unit))
        return stamp.tz_localize("UTC").tz_convert(tz) if tz is not None else stamp
    return pd.Timedelta(np.timedelta64(ticks, unit))


# -- Arrow dates ----------------------------------------------------------------------------------
def is_arrow_date(dtype: Any) -> bool:
    """True for pandas' ``ArrowDtype`` of ``date32`` or ``date64``."""
    arrow = getattr(dtype, "pyarrow_dtype", None)
    if arrow is None:
        return False
    import pyarrow as pa  # (loaded already: the dtype is pyarrow's)

    return pa.types.is_date(arrow)


def _date_as_float(s: Any) -> Any:
    """An Arrow date Series as float64 counts of its stored unit (days, or milliseconds; missing: NaN)."""
    import pyarrow as pa

    integers = pa.int32() if pa.types.is_date32(s.dtype.pyarrow_dtype) else pa.int64()
    return s.astype(pd.ArrowDtype(integers)).astype("float64")


def _date_value(value: Any, dtype: Any, as_delta: bool = False) -> Any:
    """A float count of the stored unit of the Arrow date ``dtype`` as pandas' answer: a ``datetime.date``
    (the count cut toward zero, as pandas casts), or for ``as_delta`` (a spread: std, sem) a Timedelta of
    whole seconds (``date32``) or milliseconds (``date64``); NaN gives ``NA``."""
    import pyarrow as pa

    if value != value:
        return pd.NA
    arrow = dtype.pyarrow_dtype
    days = pa.types.is_date32(arrow)
    if as_delta:
        ticks = int(float(value) * _SECONDS_PER_DAY) if days else int(float(value))
        return pd.Timedelta(ticks, unit="s" if days else "ms")
    return pa.scalar(int(float(value)), pa.int32() if days else pa.int64()).cast(arrow).as_py()
