"""Partitions in the form a cluster's peer-to-peer (P2P) shuffle moves them, and back.

Distributed's P2P shuffle (the service dask.dataframe uses on a cluster) takes
pandas DataFrames with an integer column naming each row's output partition,
turns them into Arrow tables, sends each worker its rows and writes them to
disk there.  These helpers give it that form and rebuild gpuscale's partition
afterwards:

* columns are renamed ``c0, c1, ...`` (Arrow needs unique string names; labels
  such as ``0`` or ``("a", "b")`` come back from the metadata);
* a Series travels as a one-column frame;
* the target column is computed with the same rules as the in-process shuffle
  (:func:`hash_targets`, :func:`range_targets`), so every output partition holds
  the same rows whichever shuffle ran;
* cuDF partitions cross on the host: distributed ships Arrow bytes between
  workers, so a device-to-host copy happens either way; the output partition is
  copied back to the device.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.convert import to_device, to_host
from gpuscale.backends.frame.core import is_series_like, library_of
from gpuscale.backends.frame.shuffle import hash_targets, range_targets

__all__ = ["PARTITION_COLUMN", "hash_shuffle_frame", "range_shuffle_frame", "shuffle_frame_meta",
           "from_shuffle_frame"]

PARTITION_COLUMN = "__gpuscale_partition"


def _wire_frame(obj: Any, target: Any, drop_index: bool) -> Any:
    """``obj`` on the host as a DataFrame with positional string column names and the target column."""
    host = to_host(obj)
    frame = host.to_frame() if is_series_like(host) else host
    frame = frame.set_axis([f"c{i}" for i in range(frame.shape[1])], axis=1)
    if drop_index:
        frame = frame.reset_index(drop=True)
    return frame.assign(**{PARTITION_COLUMN: np.asarray(to_host(target), dtype=np.int64)})


def hash_shuffle_frame(obj: Any, on: Any, n: int, drop_index: bool = False) -> Any:
    """The P2P form of a partition shuffled by the hash of ``on`` (None: the index) into ``n`` parts."""
    return _wire_frame(obj, hash_targets(obj, on, n), drop_index)


def range_shuffle_frame(obj: Any, boundaries: Any, by: Any, ascending: bool, n: int,
                        na_position: str = "last") -> Any:
    """The P2P form of a partition shuffled by where ``by`` falls among ``boundaries``."""
    return _wire_frame(obj, range_targets(obj, by, boundaries, ascending, n, na_position), False)


def shuffle_frame_meta(meta: Any, drop_index: bool = False) -> Any:
    """The empty pandas frame every P2P input partition looks like (its schema travels with the shuffle)."""
    return _wire_frame(meta.iloc[:0], np.zeros(0, dtype=np.int64), drop_index)


def _index_as_meta(frame: Any, index: Any) -> Any:
    """``frame`` with the index dtype of the metadata's ``index``: the shuffle restores the columns' nullable and
    Arrow dtypes from its schema, not the index's (``Int64`` came back as ``float64``, ``string`` as ``str``)."""
    have = frame.index
    if have.nlevels != index.nlevels or have.nlevels != 1 or have.dtype == index.dtype:
        return frame
    try:
        return frame.set_axis(have.astype(index.dtype), axis=0)
    except (TypeError, ValueError):  # values the metadata's dtype cannot hold: as they came
        return frame


def from_shuffle_frame(frame: Any, meta: Any) -> Any:
    """Rebuild a partition of ``meta``'s kind (library, Series or frame, column labels) from P2P output."""
    out = frame.set_axis(list(meta.columns) if not is_series_like(meta) else [meta.name], axis=1)
    out = _index_as_meta(out, to_host(meta.index))
    if is_series_like(meta):
        out = out.iloc[:, 0]
    if library_of(meta) == "cudf":
        out = to_device(out, "cudf")
    return out
