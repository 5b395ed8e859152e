"""Partition functions of ``resample`` on a datetime index with known divisions (as dask.dataframe).

:func:`resample_divisions` gives the boundaries that keep every bin in one partition (``inner``: the
collection is repartitioned at them) and the bin labels that bound the result's partitions (``outer``);
:func:`resample_partition` resamples one partition with the library's own ``resample`` and reindexes
it to all bin labels of its range (an empty bin: ``FILL_VALUES`` of the aggregation, else missing).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import make_meta, meta_nonempty, namespace
from gpuscale.backends.frame.cudf_gaps import on_host, resample_needs_host

__all__ = ["FILL_VALUES", "resample_divisions", "resample_meta", "resample_partition"]

FILL_VALUES = {"count": 0, "sum": 0, "size": 0, "nunique": 0}  # pandas' value of a bin without rows


def _sides(rule: Any, closed: Any, label: Any) -> tuple:
    """``(closed, label)`` with pandas' defaults ("right" for end-anchored rules: month, quarter, year, week)."""
    grouper = pd.Grouper(freq=rule, closed=closed, label=label)
    return grouper.closed, grouper.label


def resample_divisions(divisions: tuple, rule: Any, closed: Any = None, label: Any = None) -> tuple:
    """``(inner, outer)``: the divisions to repartition at, and the result's divisions (bin labels).

    One partition per bin that holds a division; a right-closed bin starts just after its left edge
    (one nanosecond for fixed-length rules, one day for calendar rules, as dask), and the last inner
    boundary encloses the last division.
    """
    closed, label = _sides(rule, closed, label)
    offset = pd.tseries.frequencies.to_offset(rule)
    marks = pd.Series(range(len(divisions)), index=pd.DatetimeIndex(list(divisions)))
    per_bin = marks.resample(offset, closed=closed, label="left").count()
    starts = list(per_bin.index[per_bin.to_numpy() > 0])
    tick = pd.offsets.Nano() if isinstance(offset, pd.offsets.Tick) else pd.offsets.Day()
    inner = [s + tick for s in starts] if closed == "right" else list(starts)
    outer = [s + offset for s in starts] if label == "right" else list(starts)
    first, last = pd.Timestamp(divisions[0]), pd.Timestamp(divisions[-1])
    inner[0] = max(inner[0], first)
    if inner[-1] < last:
        grow = len(inner) < len(divisions)
        end_inner = last + tick
        if outer[-1] > last:
            end_outer = outer[-1]
        elif outer[-1] < last:
            end_outer = per_bin.index[-1]
        else:
            end_outer = None
        if grow:
            inner.append(end_inner)
            if end_outer is not None:
                outer.append(end_outer)
        else:
            inner[-1] = end_inner
            if end_outer is not None:
                outer[-1] = end_outer
    return tuple(pd.Timestamp(v) for v in inner), tuple(pd.Timestamp(v) for v in outer)


def _aggregate(part: Any, rule: Any, kwargs: dict, how: str, args: tuple, how_kwargs: dict) -> Any:
    if resample_needs_host(part, kwargs):  # cuDF refuses origin= (which partitions off the day's grid get)
        return on_host(_aggregate, part, rule, kwargs, how, args, how_kwargs)
    return getattr(part.resample(rule, **(kwargs or {})), how)(*args, **(how_kwargs or {}))


def resample_meta(meta: Any, rule: Any, kwargs: dict, how: str, args: tuple, how_kwargs: dict) -> Any:
    """The empty result of ``how`` (from a two-row stand-in of ``meta``)."""
    return make_meta(_aggregate(meta_nonempty(meta), rule, kwargs, how, tuple(args), how_kwargs))


def _anchored(part: Any, rule: Any, kwargs: dict, start: Any) -> dict:
    """``kwargs`` with ``origin=`` a bin edge of the whole collection's grid when the partition's own
    default grid (from midnight of its first day) differs from it (a fixed rule not dividing a day)."""
    offset = pd.tseries.frequencies.to_offset(rule)
    if not len(part) or not isinstance(offset, pd.offsets.Tick) or "origin" in kwargs or "offset" in kwargs:
        return kwargs
    edge = pd.Timestamp(start) - (offset if _sides(rule, kwargs.get("closed"), kwargs.get("label"))[1] == "right"
                                  else pd.Timedelta(0))
    first = part.index.min()
    first = pd.Timestamp(first.to_pandas() if hasattr(first, "to_pandas") else first)
    if (first.normalize() - edge) % pd.Timedelta(offset) == pd.Timedelta(0):
        return kwargs
    return {**kwargs, "origin": edge}


def resample_partition(part: Any, start: Any, end: Any, reindex_closed: Any, rule: Any, kwargs: dict, how: str,
                       fill_value: Any, args: tuple, how_kwargs: dict) -> Any:
    """``part`` resampled and reindexed to the bin labels from ``start`` to ``end`` (``reindex_closed``
    "left": ``end`` excluded; None, the last partition: up to the last bin holding rows, as pandas)."""
    out = _aggregate(part, rule, _anchored(part, rule, kwargs, start), how, tuple(args), how_kwargs)
    labels = pd.date_range(pd.Timestamp(start).tz_localize(None), pd.Timestamp(end).tz_localize(None), freq=rule,
                           inclusive=reindex_closed or "both", name=out.index.name)
    tz = getattr(pd.Timestamp(start), "tz", None)
    if tz is not None:
        labels = labels.tz_localize(tz, nonexistent="shift_forward")
    host_index = out.index.to_pandas() if hasattr(out.index, "to_pandas") else out.index
    labels = labels.as_unit(host_index.unit) if hasattr(host_index, "unit") else labels
    if reindex_closed is None:
        labels = labels[labels <= host_index.max()] if len(host_index) else labels[:0]
    if not host_index.isin(labels).all():
        raise ValueError("Index is not contained within new index. This can often be resolved by using larger "
                         "partitions, or unambiguous frequencies: 'Q', 'A'...")
    if namespace(out) is not pd:
        labels = namespace(out).DatetimeIndex(labels)
    return out.reindex(labels, fill_value=fill_value)
