"""``DataFrame.to_records`` of one partition: a NumPy record array (cuDF's ``to_records`` gives one too)."""

from __future__ import annotations

from typing import Any

__all__ = ["partition_records", "records_dtype"]


def partition_records(frame: Any, index: bool) -> Any:
    """The rows of a pandas or cuDF partition as a NumPy record array (the index first, when kept)."""
    return frame.to_records(index=index)


def records_dtype(meta: Any, index: bool) -> Any:
    """The record dtype :func:`partition_records` gives for partitions like ``meta``."""
    return partition_records(meta, index).dtype
