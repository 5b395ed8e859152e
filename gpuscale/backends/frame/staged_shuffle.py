"""Pieces of a staged shuffle: rows move to their output partition in several rounds of few splits each.

A one-round shuffle of ``n`` partitions into ``n`` makes ``n * n`` shards (a million tasks for 1,000
partitions).  In rounds, each row's output partition ``t`` is written in base ``k`` and round ``r``
sends a row by digit ``r`` of ``t`` only, so every partition splits into at most ``k`` pieces per
round (dask's staged task shuffle, its ``max_branch``).  A piece is ``(rows, targets)``: the rows and
each row's output partition (a host integer array), computed once in the first round — on cuDF from
the same hash partitioning as the one-round split, so both kinds of shuffle send a key to the same
partition (merges pair a staged side with a one-round side).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import library_of, namespace
from gpuscale.backends.frame.shuffle import (
    _ROW, _hash_keys, _pandas_hash_targets, _target_dtype, _without_index, concat_shards, range_targets,
    take_pieces,
)

__all__ = ["concat_pieces", "hash_pieces", "range_pieces", "restage_pieces"]


def hash_pieces(obj: Any, on: Any, n: int, k: int, drop_index: bool = False) -> list:
    """First round of a staged hash shuffle of ``obj`` into ``n`` partitions: ``k`` pieces by the lowest
    base-``k`` digit of each row's output partition (that of :func:`hash_split` into ``n``)."""
    keys = _hash_keys(obj, on)
    targets = _cudf_partition_targets(keys, n) if library_of(obj) == "cudf" else _pandas_hash_targets(keys, n)
    return _split_pieces(_without_index(obj) if drop_index else obj, targets, 0, k)


def range_pieces(obj: Any, by: Any, boundaries: Any, ascending: bool, n: int, na_position: str, k: int) -> list:
    """First round of a staged range shuffle (the output partitions of :func:`range_split`)."""
    return _split_pieces(obj, range_targets(obj, by, boundaries, ascending, n, na_position), 0, k)


def restage_pieces(pieces: list, stage: int, k: int) -> list:
    """Round ``stage``: join the pieces sent to one partition (in the order given) and split them by
    digit ``stage`` of their rows' output partitions."""
    kept = [p for p in pieces if p is not None]
    rows = concat_shards([p[0] for p in kept])
    return _split_pieces(rows, np.concatenate([p[1] for p in kept]), stage, k)


def concat_pieces(pieces: list, meta: Any, ignore_index: bool = False) -> Any:
    """The output partition: the rows of the last round's pieces (``meta`` when there are none)."""
    return concat_shards([p[0] for p in pieces if p is not None], meta, ignore_index)


def _split_pieces(obj: Any, targets: Any, stage: int, k: int) -> list:
    """``k`` pieces of ``obj`` by digit ``stage`` (base ``k``) of ``targets``; rows keep their order."""
    digit = (targets // k ** stage) % k
    order = np.argsort(digit, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(digit, minlength=k))])
    rows = take_pieces(obj, order, bounds)
    return [(piece, targets[order[a:b]]) for piece, a, b in zip(rows, bounds[:-1], bounds[1:])]



def _cudf_partition_targets(keys: Any, n: int) -> Any:
    """Each row's part under cuDF's ``partition_by_hash`` into ``n`` (the one-round split's), on the host:
    the row numbers travel through the partitioning, which does not keep their order."""
    names = [f"__hash_key_{i}" for i in range(len(keys.columns))]
    keys = keys.reset_index(drop=True)
    keys.columns = names
    keys[_ROW] = namespace(keys).Series(np.arange(len(keys), dtype=np.int64))
    targets = np.empty(len(keys), dtype=_target_dtype(n))
    for j, part in enumerate(keys.partition_by_hash(names, n, keep_index=False)):
        targets[part[_ROW].to_numpy()] = j
    return targets
