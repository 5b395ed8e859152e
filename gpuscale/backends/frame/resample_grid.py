"""The whole collection's bins in every partition of ``resample``.

pandas places a rule's bins from the first row: a fixed span (``"3h"``, a naive ``"2D"``) from midnight of its
day or ``origin=``, a calendar rule (``"2W"``, ``"2ME"``, ``"3B"``, a time-zone-aware ``"2D"``) from the rule's
anchor at or before it.  A partition resampled alone starts at its own first row, so it is put on the collection's
grid: a fixed span by ``origin=`` (:func:`anchored`), a multiple of a calendar rule by one row added a bin or more
before the partition's first bin (:func:`on_collection_grid`: pandas then starts from there; the bins before the
partition's are left out afterwards).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.partition_concat import concat

__all__ = ["anchored", "on_collection_grid", "sides"]


def sides(rule: Any, closed: Any, label: Any) -> tuple:
    """``(closed, label)`` with pandas' defaults ("right" for end-anchored rules: month, quarter, year, week)."""
    grouper = pd.Grouper(freq=rule, closed=closed, label=label)
    return grouper.closed, grouper.label


def _first_time(part: Any) -> Any:
    first = part.index.min()
    return pd.Timestamp(first.to_pandas() if hasattr(first, "to_pandas") else first)


def _fixed_span(offset: Any, first: Any) -> bool:
    """Whether pandas bins ``offset`` as a fixed span from an origin: a ``Tick``, or a day on a naive index
    (pandas 3's Day is no Tick, but a fixed span of days there; a calendar day on a time-zone-aware one)."""
    return isinstance(offset, pd.offsets.Tick) or (isinstance(offset, pd.offsets.Day) and first.tz is None)


def anchored(part: Any, rule: Any, kwargs: dict, start: Any) -> dict:
    """``kwargs`` with ``origin=`` a bin edge of the whole collection's grid when the partition's own
    default grid (from midnight of its first day) differs from it (a fixed rule not dividing a day)."""
    offset = pd.tseries.frequencies.to_offset(rule)
    if not len(part) or "origin" in kwargs or not _fixed_span(offset, _first_time(part)):
        return kwargs
    edge = pd.Timestamp(start) - (offset if sides(rule, kwargs.get("closed"), kwargs.get("label"))[1] == "right"
                                  else pd.Timedelta(0))
    first = _first_time(part)
    if "offset" not in kwargs and (first.normalize() - edge) % pd.Timedelta(offset) == pd.Timedelta(0):
        return kwargs
    # the collection's grid (an offset= is in its edge already)
    return {**{k: v for k, v in kwargs.items() if k != "offset"}, "origin": edge}


def _first_label(times: list, rule: Any, closed: Any, label: Any) -> Any:
    """The label pandas gives the bin of the last of ``times`` (sorted) when they are all the rows."""
    marks = pd.Series(range(len(times)), index=pd.DatetimeIndex(times))
    return marks.resample(rule, closed=closed, label=label).size().index[-1]


def on_collection_grid(part: Any, rule: Any, kwargs: dict, start: Any) -> tuple:
    """``(rows, kwargs, added)``: ``part`` ready to be resampled on the whole collection's bins, ``start`` its first
    bin's label (on that grid).  A multiple of a calendar rule gets one row (a copy of its first, ``added``) on an
    edge of that grid before ``part``'s first row and a bin or more before ``start``: pandas' grid starts there."""
    offset = pd.tseries.frequencies.to_offset(rule)
    if not len(part) or abs(offset.n) == 1 or _fixed_span(offset, _first_time(part)):
        return part, anchored(part, rule, kwargs, start), False
    closed, label = sides(rule, kwargs.get("closed"), kwargs.get("label"))
    first, step = _first_time(part), offset
    # the left edge of the bin before ``start``'s (pandas starts a grid at an on-offset row's own edge)
    edge = pd.Timestamp(start) - offset - (offset if label == "right" else pd.Timedelta(0))
    while edge >= first:  # (a neighbour row before the partition's bins: further back, by multiples of the rule)
        edge, step = edge - step, step * 2
    if _first_label([edge, first], rule, closed, label) == _first_label([first], rule, closed, label):
        return part, kwargs, False  # its own grid is the collection's: no copy
    head = part.iloc[:1].copy()
    head.index = head.index + (edge - first).as_unit(first.unit)  # (the index's unit kept)
    # (origin=/offset= do not apply to calendar rules: pandas ignores them, or warns of them on a day)
    return concat([head, part]), {k: v for k, v in kwargs.items() if k in ("closed", "label")}, True
