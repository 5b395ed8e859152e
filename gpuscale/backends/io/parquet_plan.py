"""The row groups a parquet read keeps, grouped into partitions: by count (``split_row_groups``), or by
bytes up to ``partition_bytes`` (about two partitions per core for narrow reads), within a file or a hive
key's folder unless ``aggregate_files`` says otherwise."""

from __future__ import annotations

import os
from typing import Any

from gpuscale.backends.io.parquet_read import ParquetPartition

__all__ = ["parallel_target", "file_boundary", "group_by_count", "group_by_bytes"]

_MIN_SPLIT_BYTES = 16 * 2**20  # below this, more partitions cost more in overhead than parallelism gains


def parallel_target(total_bytes: int, partition_bytes: int) -> int:
    """Bytes per partition: ``partition_bytes`` at most, but small enough for ~2 partitions per core.

    A narrow column selection of a big table would otherwise fit in one
    partition and leave all but one core idle.
    """
    wanted = 2 * (os.cpu_count() or 1)
    share = max(-(-total_bytes // wanted), _MIN_SPLIT_BYTES)
    return min(partition_bytes, share)


def file_boundary(aggregate: Any) -> Any:
    """What two row groups must share to be in one partition (``aggregate_files``): None for anything."""
    if aggregate is True:
        return None
    if aggregate is None or aggregate is False:  # dask's default: a partition holds one file's row groups
        return lambda piece: piece.path
    key = f"/{aggregate}="

    def folder(piece: Any) -> str:  # the path up to the key's folder: same folder, same value
        at = piece.path.find(key)
        return piece.path if at < 0 else piece.path[: piece.path.find("/", at + len(key)) + 1 or None]
    return folder


def group_by_count(pieces: list, per: int | None, stamps: dict, across_files: bool = False) -> list[ParquetPartition]:
    """Partitions of ``per`` consecutive row groups of one file at most (None: whole files; ``across_files``:
    of consecutive files)."""
    if per is not None and per < 1:
        raise ValueError(f"read_parquet: split_row_groups must be True, False, 'infer', 'adaptive' or a positive "
                         f"number of row groups, got {per}")
    partitions: list[ParquetPartition] = []
    current: list = []
    for piece, _, offset in pieces:
        other_file = current and current[-1][0].path != piece.path and not across_files
        if current and (other_file or (per is not None and len(current) == per)):
            partitions.append(_partition(current, stamps))
            current = []
        current.append((piece, offset))
    if current:
        partitions.append(_partition(current, stamps))
    return partitions


def group_by_bytes(pieces: list, target: int, stamps: dict, boundary: Any = None) -> list[ParquetPartition]:
    partitions: list[ParquetPartition] = []
    current: list = []
    current_bytes = 0
    for piece, size, offset in pieces:
        crosses = boundary is not None and current and boundary(current[-1][0]) != boundary(piece)
        if current and (current_bytes + size > target or crosses):
            partitions.append(_partition(current, stamps))
            current, current_bytes = [], 0
        current.append((piece, offset))
        current_bytes += size
    if current:
        partitions.append(_partition(current, stamps))
    return partitions


def _partition(pieces: list, stamps: dict) -> ParquetPartition:
    rows = sum(piece.row_groups[0].num_rows for piece, _ in pieces)
    files = dict.fromkeys(piece.path for piece, _ in pieces)
    own = tuple((path, *stamps[path]) for path in files if path in stamps)
    return ParquetPartition(tuple(p for p, _ in pieces), tuple(o for _, o in pieces), rows, own)
