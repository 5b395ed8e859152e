"""Rows by the time of day of their index: ``between_time`` and ``at_time`` (pandas or cuDF partitions).

cuDF has neither method: the rows are found on a host copy of the index alone (pandas' own
``indexer_between_time`` / ``indexer_at_time``, time zones included) and taken by position in the
partition's library, so both libraries run the same path.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["rows_between_times", "rows_at_time"]

_INCLUSIVE = {"both": (True, True), "neither": (False, False), "left": (True, False), "right": (False, True)}


def _time_index(part: Any, method: str) -> pd.DatetimeIndex:
    from gpuscale.backends.convert import to_host

    index = to_host(part.index)
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"{method}: the index must be a DatetimeIndex, not {type(index).__name__}")
    return index


def rows_between_times(part: Any, start_time: Any, end_time: Any, inclusive: str = "both") -> Any:
    """``part.between_time(start_time, end_time, inclusive=inclusive)``: the rows whose index's time of day is
    between the two (across midnight when ``start_time`` is later than ``end_time``).

    Examples
    --------
    >>> s = pd.Series(range(4), index=pd.date_range("2024-01-01 22:00", periods=4, freq="h"))
    >>> rows_between_times(s, "23:00", "00:30").tolist()
    [1, 2]
    """
    if inclusive not in _INCLUSIVE:
        raise ValueError(f"between_time: inclusive must be one of {sorted(_INCLUSIVE)}, got {inclusive!r}")
    include_start, include_end = _INCLUSIVE[inclusive]
    positions = _time_index(part, "between_time").indexer_between_time(start_time, end_time, include_start,
                                                                      include_end)
    return part.iloc[positions]


def rows_at_time(part: Any, time: Any) -> Any:
    """``part.at_time(time)``: the rows whose index's time of day is ``time``.

    Examples
    --------
    >>> s = pd.Series(range(4), index=pd.date_range("2024-01-01", periods=4, freq="12h"))
    >>> rows_at_time(s, "12:00").tolist()
    [1, 3]
    """
    return part.iloc[_time_index(part, "at_time").indexer_at_time(time)]
