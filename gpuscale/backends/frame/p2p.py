"""Partitions in the form a cluster's peer-to-peer (P2P) shuffle moves them, and back.

Distributed's P2P shuffle (the service dask.dataframe uses on a cluster) takes
pandas DataFrames with an integer column naming each row's output partition,
turns them into Arrow tables, sends each worker its rows and writes them to
disk there.  These helpers give it that form and rebuild gpuscale's partition
afterwards:

* columns are renamed ``c0, c1, ...`` and index levels ``i0, i1, ...`` (Arrow
  needs unique string names; column labels such as ``0``, ``("a", "b")``, a
  repeated label or a MultiIndex of columns, and the index's names and level
  dtypes, come back from the metadata);
* a Series travels as a one-column frame;
* on pandas, a column Arrow cannot hold faithfully (``object``: mixed Python
  values, lists, ``NaN`` beside ``None``; complex; sparse) travels as bytes,
  each value pickled (a ``str`` as its UTF-8 bytes), and is unpickled on arrival;
* the target column is computed with the same rules as the in-process shuffle
  (:func:`hash_targets`, :func:`range_targets`), so every output partition holds
  the same rows whichever shuffle ran;
* cuDF partitions cross on the host: distributed ships Arrow bytes between
  workers, so a device-to-host copy happens either way; the output partition is
  copied back to the device.  cuDF columns are Arrow columns, so none is pickled.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.convert import to_device, to_host
from gpuscale.backends.frame.core import is_series_like, library_of
from gpuscale.backends.frame.shuffle import hash_targets, range_targets

__all__ = ["PARTITION_COLUMN", "hash_shuffle_frame", "range_shuffle_frame", "shuffle_frame_meta",
           "from_shuffle_frame"]

PARTITION_COLUMN = "__gpuscale_partition"

_PICKLE_MARK = b"\x80"  # pickles (protocol >= 2) start with it; UTF-8 text never does


def _pandas_travels_pickled(dtype: Any) -> bool:
    """Whether a pandas column of ``dtype`` crosses the shuffle pickled: Arrow rejects it or changes its values
    (an ``object`` column of mixed values fails, lists come back as arrays, ``NaN`` among text as ``None``)."""
    if dtype == object or getattr(dtype, "kind", None) == "c":
        return True
    if isinstance(dtype, np.dtype):
        return False
    import pyarrow as pa

    try:
        pa.array(pd.Series([], dtype=dtype))
    except (pa.ArrowException, TypeError, ValueError):  # e.g. Sparse
        return True
    return False


def _pickle_value(value: Any) -> bytes:
    if type(value) is str:  # text, the usual object value, as its UTF-8 bytes: no pickling either way
        try:
            return value.encode()
        except UnicodeEncodeError:  # a lone surrogate
            pass
    return pickle.dumps(value, protocol=5)


def _unpickle_value(value: bytes) -> Any:
    return pickle.loads(value) if value[:1] == _PICKLE_MARK else value.decode()


def _objects(values: list) -> Any:
    out = np.empty(len(values), dtype=object)  # np.array would make a list of lists 2-D
    out[:] = values
    return out


def _pandas_pickled(values: Any) -> Any:
    """A pandas column of values Arrow cannot hold as an object array of bytes (Arrow binary)."""
    return _objects([_pickle_value(v) for v in values.to_numpy(dtype=object)])


def _pandas_unpickled(values: Any) -> Any:
    """The object array of values :func:`_pandas_pickled` sent."""
    return _objects([_unpickle_value(v) for v in values])


def _wire_values(values: Any, dtype: Any, pickled: bool, label: Any) -> Any:
    """One column (or index level) as it travels: pickled where the metadata's ``dtype`` says Arrow cannot hold
    it, else of that dtype where the partition's differs (every shard must fit the shuffle's one schema, decided
    from the metadata: a partition whose column is ``object`` where the metadata says ``float64`` failed)."""
    if pickled and _pandas_travels_pickled(dtype):
        return pd.Series(_pandas_pickled(values), dtype=object)
    if values.dtype != dtype and not isinstance(dtype, pd.CategoricalDtype):  # categories: each partition's own
        try:
            values = pd.Series(values).astype(dtype)
        except (TypeError, ValueError) as error:
            raise TypeError(f"P2P shuffle: a partition's {label} of dtype {values.dtype} does not fit the "
                            f"metadata's {dtype} ({error}); give the step that made it (e.g. map_partitions) the "
                            "right meta=") from error
    return values


def _wire_columns(host: Any, drop_index: bool, pickled: bool, meta: Any) -> dict:
    """The columns ``c<k>`` and index levels ``i<k>`` of ``host`` by position, of the dtypes of ``meta`` (its host
    form, a frame), pickled where Arrow cannot hold them (``pickled``: pandas partitions only)."""
    columns = {f"c{k}": (host.iloc[:, k], dtype, f"column {label!r}")
               for k, (label, dtype) in enumerate(zip(meta.columns, meta.dtypes))}
    if not drop_index:
        index, dtypes = host.index, _level_dtypes(meta.index)
        columns.update({f"i{k}": (index.get_level_values(k), dtype, f"index level {k}")
                        for k, dtype in enumerate(dtypes)})
    out, rows = {}, pd.RangeIndex(len(host))
    for name, (values, dtype, label) in columns.items():
        values = _wire_values(values, dtype, pickled, label)
        # by position (no alignment on the labels), the dtype named (pandas 3 would read object text as ``str``)
        out[name] = pd.Series(values.to_numpy() if isinstance(values.dtype, np.dtype) else values.array,
                              dtype=values.dtype, index=rows)
    return out


def _level_dtypes(index: Any) -> list:
    return list(index.dtypes) if index.nlevels > 1 else [index.dtype]


def _as_host_frame(obj: Any) -> Any:
    host = to_host(obj)
    return host.to_frame() if is_series_like(host) else host


def _wire_frame(obj: Any, target: Any, drop_index: bool, meta: Any = None) -> Any:
    """``obj`` on the host as a DataFrame of positional string column names and the target column, its columns of
    the dtypes of ``meta`` (None: ``obj``'s own)."""
    frame = _as_host_frame(obj)
    meta = frame.iloc[:0] if meta is None else _as_host_frame(meta)
    columns = _wire_columns(frame, drop_index, library_of(obj) == "pandas", meta)
    columns[PARTITION_COLUMN] = pd.Series(np.asarray(to_host(target), dtype=np.int64),
                                          index=pd.RangeIndex(len(frame)))
    return pd.DataFrame(columns)


def hash_shuffle_frame(obj: Any, on: Any, n: int, drop_index: bool = False, meta: Any = None) -> Any:
    """The P2P form of a partition shuffled by the hash of ``on`` (None: the index) into ``n`` parts, its columns
    of ``meta``'s dtypes (the collection's metadata; None: the partition's own)."""
    return _wire_frame(obj, hash_targets(obj, on, n), drop_index, meta)


def range_shuffle_frame(obj: Any, boundaries: Any, by: Any, ascending: bool, n: int,
                        na_position: str = "last", meta: Any = None) -> Any:
    """The P2P form of a partition shuffled by where ``by`` falls among ``boundaries`` (``meta``: as above)."""
    return _wire_frame(obj, range_targets(obj, by, boundaries, ascending, n, na_position), False, meta)


def shuffle_frame_meta(meta: Any, drop_index: bool = False) -> Any:
    """The empty pandas frame every P2P input partition looks like (its schema travels with the shuffle)."""
    return _wire_frame(meta.iloc[:0], np.zeros(0, dtype=np.int64), drop_index)


def _as_dtype(values: Any, dtype: Any) -> Any:
    """``values`` (a Series) of ``dtype``: the shuffle restores the dtypes of its schema, not all of them (a
    multi-level key's ``Int64`` came back ``int64``, ``string`` as ``str``, ``boolean`` as ``bool``)."""
    if values.dtype == dtype or isinstance(dtype, pd.CategoricalDtype):  # the metadata's categories may be unknown
        return values
    try:
        return values.astype(dtype)
    except (TypeError, ValueError):  # values the metadata's dtype cannot hold: as they came
        return values


def _from_wire(values: Any, dtype: Any, pickled: bool) -> Any:
    """One column of P2P output (a Series) as the partition's column of ``dtype``, numbered from 0."""
    values = values.reset_index(drop=True)
    if pickled and values.dtype == object and _pandas_travels_pickled(dtype):
        # object named: pandas 3 would read values all text as ``str`` (None becoming NaN)
        values = pd.Series(_pandas_unpickled(values.to_numpy()), dtype=object)
    return _as_dtype(values, dtype)


def _index_from_wire(frame: Any, index: Any, pickled: bool) -> Any:
    """The partition's index: the levels ``i<k>`` with the metadata's names and dtypes (none: as they came)."""
    if "i0" not in frame.columns:  # rows that travelled without their labels: numbered from 0, as in-process
        return pd.RangeIndex(len(frame))
    levels = [_from_wire(frame[f"i{k}"], dtype, pickled) for k, dtype in enumerate(_level_dtypes(index))]
    levels = [pd.Index(level, dtype=level.dtype) for level in levels]  # the dtype named, as above
    if index.nlevels > 1:
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    return levels[0].rename(index.name)


def from_shuffle_frame(frame: Any, meta: Any) -> Any:
    """Rebuild a partition of ``meta``'s kind (library, Series or frame, column labels, index names and dtypes)
    from P2P output."""
    host_meta = to_host(meta)
    host_meta = host_meta.to_frame() if is_series_like(host_meta) else host_meta
    pickled = library_of(meta) == "pandas"
    columns = {k: _from_wire(frame[f"c{k}"], dtype, pickled) for k, dtype in enumerate(host_meta.dtypes)}
    out = pd.DataFrame(columns, index=pd.RangeIndex(len(frame))).set_axis(
        _index_from_wire(frame, host_meta.index, pickled), axis=0)
    if is_series_like(meta):
        out = out.iloc[:, 0]
        out.name = meta.name
    else:
        out.columns = host_meta.columns
    if library_of(meta) == "cudf":
        out = to_device(out, "cudf")
    return out
