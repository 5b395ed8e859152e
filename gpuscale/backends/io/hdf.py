"""HDF5 reads and writes of dataframe partitions (``read_hdf`` / ``to_hdf``) through pandas' ``HDFStore``
(PyTables), as dask.dataframe does them.

Reading: a partition is ``chunksize`` rows of one key of one file (keys and file names may be globs); only
pandas' ``table`` format can be read in pieces.  Writing: ``DataFrame.to_hdf(format="table")`` per partition,
into one file and key (appending in order), or one key or file per partition (a ``*`` in the key or path).
PyTables is not thread-safe: every HDF5 call of this process holds one lock.  cuDF partitions are read and
written on the host.  Local files only (PyTables opens paths itself).
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

import pandas as pd

from gpuscale.backends.io.frames import frame_to_backend
from gpuscale.backends.io.write import in_library

__all__ = ["HdfPiece", "HdfReadSpec", "open_hdf", "read_hdf_partition", "HdfTarget", "write_hdf_part", "commit_hdf"]

_LOCK = threading.Lock()  # PyTables' C library is not thread-safe


@dataclass(frozen=True)
class HdfPiece:
    """Rows ``[start, stop)`` of ``key`` in ``path``."""

    path: str
    key: str
    start: int
    stop: int


@dataclass(frozen=True)
class HdfReadSpec:
    """What the partitions of one ``read_hdf`` share."""

    columns: tuple | None
    mode: str
    backend: str
    token: str = ""

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.token, self.columns, self.mode, self.backend))


def _files(pattern: Any) -> list[str]:
    if isinstance(pattern, (list, tuple)):
        if not pattern:
            raise ValueError("read_hdf: no files given (an empty list)")
        paths = [os.fspath(p) for p in pattern]
    else:
        pattern = os.fspath(pattern)
        paths = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not paths:
            raise FileNotFoundError(f"read_hdf: no file matches {pattern!r}")
    for path in paths:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"read_hdf: no such file: {path!r}")
    return paths


def _keys(key: str, store: Any) -> list[str]:
    """The keys of ``store`` that ``key`` (maybe a glob) names: pandas' keys and plain PyTables tables."""
    if not glob.has_magic(key):
        return [key]
    every = store.keys()
    keys = [k for k in every if fnmatch(k, key)]
    keys += [node._v_pathname for node in store._handle.walk_nodes("/", classname="Table")
             if fnmatch(node._v_pathname, key) and node._v_name != "table" and node._v_pathname not in keys]
    # pandas keeps a table's categories in keys under it ("/data-0/meta/values_block_1/meta"): not data
    return [k for k in keys if not any(k.startswith(f"{other}/meta/") for other in every)]


def open_hdf(pattern: Any, key: str, start: int, stop: int | None, columns: Any, chunksize: int,
             sorted_index: bool, mode: str, backend: str) -> tuple[HdfReadSpec, list[HdfPiece], Any, list]:
    """``(spec, pieces, meta, divisions)`` of a read.

    Raises
    ------
    FileNotFoundError
        Naming a file that does not exist (or a pattern matching none).
    TypeError
        For a key stored in pandas' ``fixed`` format (it cannot be read in pieces).
    ValueError
        For ``chunksize`` < 1, ``start``/``stop`` with several files, ``stop`` past the rows, or no key.
    """
    key = key if key.startswith("/") else f"/{key}"
    paths = _files(pattern)
    if chunksize <= 0:
        raise ValueError(f"read_hdf: chunksize must be a positive integer (rows per partition), got {chunksize}")
    if (start != 0 or stop is not None) and len(paths) > 1:
        raise NotImplementedError("read_hdf: start= and stop= are ambiguous over several files (rows of each file, "
                                  "or of them all?); read one file, or select rows after reading")
    if (start != 0 or stop is not None) and sorted_index:
        raise ValueError("read_hdf: sorted_index=True reads whole keys (its divisions come from every chunk); "
                         "leave start= and stop= out")
    pieces: list = []
    divisions: list = []
    meta = None
    with _LOCK:
        for path in paths:
            with pd.HDFStore(path, mode=mode) as store:
                keys = _keys(key, store)
                if not keys:
                    raise ValueError(f"read_hdf: {path!r} holds no key matching {key!r}; keys: {store.keys()}")
                for k in keys:
                    storer = _table_storer(store, path, k)
                    meta = _meta(store, k) if meta is None else meta
                    starts, end = _chunk_starts(storer, k, start, stop, chunksize)
                    pieces.extend(HdfPiece(path, k, s, min(s + chunksize, end)) for s in starts)
                    if sorted_index:  # the index at each chunk's start, and the key's last one
                        firsts = [storer.read_column("index", start=s, stop=s + 1)[0] for s in starts]
                        last = storer.read_column("index", start=end - 1, stop=end)[0]
                        divisions = (divisions[:-1] if divisions else []) + firsts + [last]
    if columns is not None:
        meta = meta[list(columns)]
    stamps = [(p, os.path.getsize(p), os.path.getmtime(p)) for p in paths]
    spec = HdfReadSpec(None if columns is None else tuple(columns), mode, backend,
                       repr((stamps, key, start, stop, chunksize)))
    return spec, pieces, meta, divisions or [None] * (len(pieces) + 1)


def _table_storer(store: Any, path: str, key: str) -> Any:
    """The storer of ``key``, refused unless it is in pandas' ``table`` format (readable in pieces)."""
    storer = store.get_storer(key)
    if storer is None:
        raise KeyError(f"read_hdf: {path!r} has no key {key!r}; keys: {store.keys()}")
    if storer.format_type != "table":
        raise TypeError(f"read_hdf: the key {key!r} of {path!r} is stored in pandas' 'fixed' format, which can "
                        "only be read whole (pandas.read_hdf); write it with format='table' to read it in "
                        "partitions")
    return storer


def _chunk_starts(storer: Any, key: str, start: int, stop: int | None, chunksize: int) -> tuple[list, int]:
    """The first row of each chunk of ``[start, stop)`` (all rows without ``stop``), and where they end."""
    if stop is not None and stop > storer.nrows:
        raise ValueError(f"read_hdf: stop={stop} exceeds the number of rows of {key!r} ({storer.nrows})")
    end = storer.nrows if stop is None else stop
    if start >= end:
        raise ValueError(f"read_hdf: start={start} is above or equal to stop={end} in {key!r}")
    return list(range(start, end, chunksize)), end


def _meta(store: Any, key: str) -> Any:
    """The empty frame of ``key``: from its first row (pandas reads no row's text as object, a row's as its
    text dtype, as the partitions have it)."""
    try:
        return pd.read_hdf(store, key, stop=1).iloc[:0]
    except IndexError:  # an empty table
        return pd.read_hdf(store, key).iloc[:0]


def read_hdf_partition(piece: HdfPiece, spec: HdfReadSpec, columns: Any = None) -> Any:
    """Read one piece into a partition of ``spec.backend`` (``columns``: only these, the ones the computation
    needs; a stored Series is read whole)."""
    wanted = spec.columns if columns is None else tuple(columns)
    with _LOCK:
        frame = pd.read_hdf(piece.path, piece.key, start=piece.start, stop=piece.stop, mode=spec.mode,
                            **({"columns": list(wanted)} if wanted else {}))
    if wanted is not None and getattr(frame, "ndim", 1) == 2 and list(frame.columns) != list(wanted):
        frame = frame[list(wanted)]
    return frame_to_backend(frame, spec.backend)


# -- writing ----------------------------------------------------------------------------------------
class HdfTarget:
    """The files a ``to_hdf`` writes.  Each is written as a temporary sibling (``<file>.tmp-<token>``, started
    as a copy of the file where the write keeps its contents) and renamed onto the file once every partition is
    written, so a failed write leaves the files as they were; ``cleanup`` removes the temporary siblings and
    the files the write made."""

    local_temp = None  # several files: no one temporary sibling to claim

    def __init__(self, paths: list[str], token: str = "") -> None:
        self.paths = list(dict.fromkeys(paths))
        self.token = token
        self.new = [p for p in self.paths if not os.path.exists(p)]

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.paths, self.token))

    def temp(self, path: str) -> str:
        """The temporary sibling ``path`` is written as."""
        return f"{path}.tmp-{self.token}"

    def cleanup(self) -> None:
        for path in [self.temp(p) for p in self.paths] + self.new:
            if os.path.exists(path):
                os.remove(path)


def write_hdf_part(frame: Any, temp: str, key: str, options: tuple, start_from: str | None, *after: Any) -> str:
    """``to_hdf`` of one partition into a file's temporary sibling ``temp`` (on the host, under the process's
    HDF5 lock); the file's first write starts ``temp`` as a copy of ``start_from`` (the file, where the write
    keeps what it holds, None: empty).  ``after``: the writes that must come first (into the same file)."""
    import shutil

    frame = in_library(frame, "pandas")
    mode = dict(options).get("mode")
    if start_from is not None and mode == "r+" and not os.path.exists(start_from):
        raise FileNotFoundError(f"to_hdf(mode='r+'): no such file {start_from!r} (mode 'r+' writes into an "
                                "existing file; 'a' makes it)")
    with _LOCK:
        if start_from is not None and os.path.exists(start_from):
            shutil.copy2(start_from, temp)
        frame.to_hdf(temp, key=key, **dict(options))
    return temp


def commit_hdf(target: HdfTarget, *written: Any) -> None:
    """Rename every file's temporary sibling onto it, once all partitions are written."""
    for path in target.paths:
        os.replace(target.temp(path), path)
