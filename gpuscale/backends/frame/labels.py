"""Partition functions of pandas' label methods dask lacks: rows by a pattern of their labels (``filter(like=,
regex=, axis=0)``) and the time zone of a DatetimeIndex (``tz_localize``, ``tz_convert``).

cuDF has no ``filter`` and its ``tz_localize`` knows only ``"NaT"`` for ambiguous and nonexistent times: the labels
are worked on a host copy of the index (small next to the rows) with pandas' own methods, and the rows taken, or
the new index put back, in the partition's library.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import convert_library, library_of

__all__ = ["rows_by_label_pattern", "with_index_tz", "filtered_labels", "truncated_labels", "tz_divisions",
           "truncate_bound", "labels_without_level", "without_index_level", "with_index_levels", "rows_at_level"]


def _host_index(part: Any) -> pd.Index:
    from gpuscale.backends.convert import to_host

    return to_host(part.index)


def rows_by_label_pattern(part: Any, like: Any = None, regex: Any = None) -> Any:
    """The rows whose index label (as text) contains ``like`` or matches ``regex`` (``re.search``), as pandas'
    ``filter(like=/regex=, axis=0)``."""
    labels = pd.Series(_host_index(part).map(str), dtype=object)
    keep = labels.str.contains(like, regex=False) if like is not None else labels.str.contains(regex, regex=True)
    return part.iloc[np.flatnonzero(keep.to_numpy(dtype=bool))]


def with_index_tz(part: Any, tz: Any, convert: bool = False, ambiguous: Any = "raise",
                  nonexistent: Any = "raise", npartitions: int = 1, partition_info: Any = None) -> Any:
    """``part`` with its DatetimeIndex localized to ``tz`` (``convert``: converted to ``tz``), as pandas'
    ``tz_localize`` / ``tz_convert``; ``ambiguous="infer"`` of one of ``npartitions`` partitions (its number in
    ``partition_info``) refuses ambiguous times at a boundary with another partition (see
    :func:`_check_inferable`)."""
    index = _host_index(part)
    if not isinstance(index, pd.DatetimeIndex):
        name = "tz_convert" if convert else "tz_localize"
        raise TypeError(f"{name}: the index is not a DatetimeIndex but {type(index).__name__} "
                        "(for a column of times use .dt." + name + ")")
    if not convert and isinstance(ambiguous, str) and ambiguous == "infer" and npartitions > 1:
        _check_inferable(index, tz, (partition_info or {}).get("number", 0), npartitions)
    new = index.tz_convert(tz) if convert else index.tz_localize(tz, ambiguous=ambiguous, nonexistent=nonexistent)
    out = part.copy(deep=False)
    out.index = convert_library(new, "cudf") if library_of(part) == "cudf" else new
    return out


def _ambiguous(stamp: Any, tz: Any) -> bool:
    """Whether the wall time ``stamp`` occurs twice in ``tz`` (a clock set back)."""
    return not pd.isna(stamp) and pd.isna(pd.Timestamp(stamp).tz_localize(tz, ambiguous="NaT",
                                                                             nonexistent="shift_forward"))


def _check_inferable(index: Any, tz: Any, number: int, npartitions: int) -> None:
    """pandas infers the offsets of a run of ambiguous times from the whole run: refuse a partition whose first
    (last) label is ambiguous and has a partition before (after) it, where the run may go on (localized apart,
    its pieces would raise pandas' error or be inferred otherwise)."""
    edges = [(0, "first")] if number > 0 else []
    edges += [(len(index) - 1, "last")] if number < npartitions - 1 else []
    for position, which in edges:
        if len(index) and _ambiguous(index[position], tz):
            raise ValueError(f"tz_localize(ambiguous='infer'): the {which} time of partition {number}, "
                             f"{index[position]}, is ambiguous in {tz} and its run of ambiguous times may go on in "
                             "the neighbouring partition; pandas infers a run as a whole: repartition so that no "
                             "partition boundary falls in it (e.g. repartition(npartitions=1)), or give ambiguous "
                             "as 'NaT' or booleans")


def filtered_labels(labels: Any, items: Any = None, like: Any = None, regex: Any = None) -> list:
    """The host labels pandas' ``filter(items=/like=/regex=)`` keeps, in its order."""
    return list(pd.DataFrame(columns=pd.Index(labels)).filter(items=items, like=like, regex=regex, axis=1).columns)


def truncated_labels(labels: Any, before: Any = None, after: Any = None) -> list:
    """The host labels pandas' ``truncate(before, after)`` keeps of a sorted axis."""
    return list(pd.DataFrame(columns=pd.Index(labels)).truncate(before=before, after=after, axis=1).columns)


def tz_divisions(divisions: Any, tz: Any, convert: bool = False, **kwargs: Any) -> Any:
    """Known divisions of a DatetimeIndex localized to (``convert``: converted to) ``tz``; None where a boundary
    has no such time (a nonexistent or ambiguous one given as NaT, or ambiguous with ``ambiguous="infer"`` or
    booleans of the rows, which a boundary alone cannot resolve)."""
    stamps = [pd.Timestamp(d) for d in divisions]
    ambiguous = kwargs.get("ambiguous", "raise")
    if not (isinstance(ambiguous, str) or isinstance(ambiguous, (bool, np.bool_))):
        ambiguous = "NaT"  # (booleans of the rows: an ambiguous boundary is left unknown)
    if isinstance(ambiguous, str) and ambiguous == "infer":
        ambiguous = "NaT"  # (inferred from the neighbouring rows, which a boundary alone lacks)
    kwargs = {**kwargs, "ambiguous": ambiguous}
    moved = [s.tz_convert(tz) if convert else s.tz_localize(tz, **kwargs) for s in stamps]
    return None if any(pd.isna(m) for m in moved) else tuple(moved)


def truncate_bound(index: Any, value: Any) -> Any:
    """``truncate``'s ``before`` / ``after`` as a label of ``index`` (a host or device metadata index): a time
    for a DatetimeIndex, as pandas (``"2024-04-01"`` is its midnight, not the whole day ``loc`` would take)."""
    if value is None or getattr(index.dtype, "kind", "") != "M" and not isinstance(index.dtype, pd.DatetimeTZDtype):
        return value
    stamp = pd.Timestamp(value)
    tz = getattr(index.dtype, "tz", None)
    return stamp.tz_localize(tz) if tz is not None and stamp.tzinfo is None else stamp


def labels_without_level(labels: Any, level: Any) -> Any:
    """Host column labels (a MultiIndex) without the level(s) ``level``."""
    labels = labels if isinstance(labels, pd.Index) else pd.MultiIndex.from_tuples(list(labels))
    return labels.droplevel(level)


def without_index_level(obj: Any, level: Any) -> Any:
    """``obj`` with the level(s) ``level`` of its MultiIndex index dropped (cuDF: the levels are taken by name or
    position from its MultiIndex, which has ``droplevel`` too)."""
    out = obj.copy(deep=False)
    out.index = obj.index.droplevel(level)
    return out


def with_index_levels(obj: Any, order: list) -> Any:
    """``obj`` with the levels of its MultiIndex in ``order`` (positions), as pandas' ``reorder_levels``
    (``swaplevel`` is one such order).  cuDF's MultiIndex has no ``reorder_levels``: the labels are reordered on
    a host copy and put back."""
    out = obj.copy(deep=False)
    if library_of(obj) == "pandas":
        out.index = obj.index.reorder_levels(order)
    else:
        out.index = convert_library(_host_index(obj).reorder_levels(order), library_of(obj))
    return out


def rows_at_level(obj: Any, key: Any, level: int, drop_level: bool = True) -> Any:
    """The rows whose label at MultiIndex level ``level`` is ``key`` (that level dropped with ``drop_level``), as
    pandas' ``xs(key, level=)``; the labels compared on a host copy, the rows taken by position."""
    positions = np.flatnonzero(np.asarray(_host_index(obj).get_level_values(level) == key))
    out = obj.take(positions)
    return without_index_level(out, level) if drop_level else out
