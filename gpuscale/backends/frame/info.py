"""Partition functions of ``DataFrame.info``: the index line, pandas' ``Index: 3 entries, b to a``."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.convert import to_host

__all__ = ["index_edges", "index_summary", "memory_summary"]


def index_edges(part: Any) -> Any:
    """The first and last labels of a partition's index (none of an empty one), in the index's type.

    Parameters
    ----------
    part
        A pandas or cuDF DataFrame/Series.

    Returns
    -------
    Index
        ``index[:1]`` followed by ``index[-1:]``.
    """
    index = part.index
    return index[:1].append(index[-1:])


def index_summary(edges: Any, n: int, name: str) -> str:
    """pandas' ``Index._summary`` of an index of ``n`` rows whose first and last labels lead and end ``edges``.

    Parameters
    ----------
    edges
        The partitions' :func:`index_edges`, in order (pandas or cuDF).
    n
        The number of rows.
    name
        The index's type name (``RangeIndex``, ``DatetimeIndex``).

    Returns
    -------
    str
        ``"Index: 3 entries, b to a"`` (the first and last labels, not the smallest and largest,
        as pandas), ``"RangeIndex: 0 entries"`` without rows.
    """
    edges = to_host(edges)
    if not n or not len(edges):
        return f"{name}: {n} entries"
    # pandas formats the labels (a Timestamp, a Timedelta, a Period as printed): its summary of the two
    text = edges[[0, len(edges) - 1]]._summary(name)
    return f"{name}: {n} entries" + text[len(f"{name}: 2 entries"):]


def memory_summary(meta: Any, used: int, deep: bool) -> str:
    """pandas' (and cuDF's) ``info`` memory line: ``"memory usage: 8.2+ KB"``.

    Parameters
    ----------
    meta
        The frame's meta (pandas or cuDF): which dtypes make a shallow count a lower bound.
    used
        The bytes counted.
    deep
        Whether the contents of object values were counted.

    Returns
    -------
    str
        The size in bytes, KB, ... with one decimal, ``+`` after it where a shallow count misses objects.
    """
    lower_bound = not deep and (any(str(d) == "object" for d in meta.dtypes) or _index_qualified(meta.index))
    size, qualifier = float(used), "+" if lower_bound else ""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024.0:
            return f"memory usage: {size:3.1f}{qualifier} {unit}"
        size /= 1024.0
    return f"memory usage: {size:3.1f}{qualifier} PB"


def _index_qualified(index: Any) -> bool:
    # pandas' own rule (a method before pandas 3, a property since; it differs by version), cuDF's: object dtype
    flag = getattr(index, "_is_memory_usage_qualified", None)
    if flag is None:
        return str(index.dtype) == "object"
    return bool(flag() if callable(flag) else flag)
