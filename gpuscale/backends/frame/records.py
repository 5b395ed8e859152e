"""``DataFrame.to_records`` of one partition: a NumPy record array (cuDF's ``to_records`` gives one too)."""

from __future__ import annotations

from typing import Any

__all__ = ["partition_records", "records_dtype", "partition_bag_items"]


def partition_records(frame: Any, index: bool) -> Any:
    """The rows of a pandas or cuDF partition as a NumPy record array (the index first, when kept).

    cuDF's ``to_records`` names the index field ``"index"`` whatever the index's name (and copies every
    column to the host anyway), so a cuDF partition gives pandas' records of its host copy."""
    from gpuscale.backends.frame.core import _to_pandas, library_of

    if library_of(frame) != "pandas":
        frame = _to_pandas(frame)
    return frame.to_records(index=index)


def records_dtype(meta: Any, index: bool) -> Any:
    """The record dtype :func:`partition_records` gives for partitions like ``meta``."""
    return partition_records(meta, index).dtype


def partition_bag_items(part: Any, index: bool, format: str) -> Any:
    """A partition as dask's ``to_bag`` items: a list of row tuples (``format="tuple"``; a Series' values, or
    ``(label, value)`` pairs with ``index``), of row dicts (``"dict"``; the label under ``"index"``), or the
    partition itself (``"frame"``). cuDF partitions give host (Python) values."""
    from gpuscale.backends.frame.core import _to_pandas, is_dataframe_like

    if format == "frame":
        return part
    host = _to_pandas(part)
    if format == "tuple":
        if is_dataframe_like(host):
            return [tuple(row) for row in host.itertuples(index)]
        return list(host.items()) if index else list(host)
    rows = (host if is_dataframe_like(host) else host.to_frame()).to_dict(orient="records")
    if index and is_dataframe_like(host):
        return [{"index": label, **row} for label, row in zip(host.index, rows)]
    return rows
