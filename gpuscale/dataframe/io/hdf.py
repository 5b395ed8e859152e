"""``read_hdf`` / ``to_hdf`` (dask.dataframe's semantics, through pandas' HDFStore).  The HDF5 calls live in
:mod:`gpuscale.backends.io.hdf`."""

from __future__ import annotations

import os
import uuid
import warnings
from typing import Any, Callable

from gpuscale.backends.io import hdf as bhdf
from gpuscale.dataframe.io._common import partitions_read_by, resolve_backend
from gpuscale.dataframe.io.write import LazyWrite, WriteExpr, _padded_names

__all__ = ["read_hdf", "to_hdf", "WriteHDF"]


def read_hdf(pattern: Any, key: str, start: int = 0, stop: int | None = None, columns: Any = None,
             chunksize: int = 1_000_000, sorted_index: bool = False, lock: Any = True, mode: str = "r",
             backend: str | None = None) -> Any:
    """Read HDF5 files written by pandas (``format="table"``) into a lazy DataFrame or Series (as
    ``dask.dataframe.read_hdf``).

    Parameters
    ----------
    pattern : str, path-like or list
        A file, a glob (``"data/*.h5"``) or a list of files (local).
    key : str
        The key in each file; may be a glob (``"/data*"``: every matching key, in order).
    start, stop : int, optional
        Rows to read (one file only).
    columns : list, optional
        Columns to read.
    chunksize : int
        Rows per partition.
    sorted_index : bool
        The index is sorted across the keys and files: read its values at the partitions' starts as the
        divisions.
    lock : bool or Lock
        Accepted for dask compatibility: HDF5 calls always hold gpuscale's lock (PyTables is not thread-safe).
    mode : str
        How the files are opened (``"r"``).
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library (cuDF partitions are read on the host and copied).

    Returns
    -------
    DataFrame or Series

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "a.h5")
    >>> pd.DataFrame({"x": range(10)}).to_hdf(path, key="data", format="table")
    >>> df = gd.read_hdf(path, "data", chunksize=4, backend="cpu")
    >>> df.npartitions, df.x.sum().compute().item()
    (3, 45)
    """
    library = resolve_backend(backend)
    spec, pieces, meta, divisions = bhdf.open_hdf(pattern, key, start, stop, columns, chunksize, sorted_index,
                                                  mode, library)
    return partitions_read_by(bhdf.read_hdf_partition, pieces, spec, meta, library, "read-hdf", divisions)


class WriteHDF(WriteExpr):
    """A lazy scalar (None) whose tasks write ``frame``'s partitions with ``to_hdf``: into one file one after
    another, or into many files at once."""

    _parameters = ["frame", "target", "writes"]

    def _layer(self) -> dict:
        frame = self.frame
        layer: dict = {}
        last_in_file: dict = {}
        parts = []
        for i, (path, key, options) in enumerate(self.writes):
            after = (last_in_file[path],) if path in last_in_file else ()  # one writer per file, in order
            # a file's first write starts its temporary sibling as a copy of it, unless it replaces the file
            start_from = None if after or dict(options)["mode"] == "w" else path
            part = (f"{self._name}-part", i)
            layer[part] = (bhdf.write_hdf_part, (frame._name, i), self.target.temp(path), key, options, start_from,
                           *after)
            last_in_file[path] = part
            parts.append(part)
        layer[(self._name, 0)] = (bhdf.commit_hdf, self.target, *parts)
        return layer

    def _tree_label(self) -> str:
        return f"WriteHDF: {self.target.paths[0]!r}" + (f" (+{len(self.target.paths) - 1})"
                                                      if len(self.target.paths) > 1 else "")



def to_hdf(df: Any, path: Any, key: str, mode: str = "a", append: bool = False, scheduler: Any = None,
           name_function: Callable[[int], str] | None = None, compute: bool = True, lock: Any = None,
           dask_kwargs: dict | None = None, **kwargs: Any) -> Any:
    """Write a collection to HDF5 (pandas' ``table`` format), as ``dask.dataframe.to_hdf``.

    One file and key: the partitions are appended in order.  A ``*`` in ``path`` writes a file per partition,
    a ``*`` in ``key`` a key per partition (at most one ``*`` in all), replaced by ``name_function(i)``
    (default: ``i`` zero-padded so that the names sort in order).  Each file is written as a temporary sibling
    (a copy of the file, unless ``mode="w"``) renamed onto it once all partitions are written: a failed write
    leaves the files as they were, and no temporary file.

    Parameters
    ----------
    df : DataFrame or Series
    path : str or path-like
        A local file (or pattern with ``*``).
    key : str
        The key in the file (or pattern with ``*``).
    mode : {"a", "w", "r+"}
        How the first write of each file opens it (later ones append).
    append : bool
        Append to an existing key.
    scheduler : optional
        The scheduler that runs the write.
    name_function : callable, optional
        The text replacing ``*`` for partition ``i``.
    compute : bool
        Write now (returns the files, one per partition), or return a lazy Scalar.
    lock : optional
        Accepted for dask compatibility (HDF5 calls always hold gpuscale's lock).
    dask_kwargs : dict, optional
        Passed to ``compute``.
    **kwargs
        Passed to ``DataFrame.to_hdf`` (``complevel=``, ``data_columns=`` ...); ``format`` must be ``"table"``.

    Returns
    -------
    list of str or Scalar

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> folder = tempfile.mkdtemp()
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3, 4]}), npartitions=2, backend="cpu")
    >>> [os.path.basename(p) for p in df.to_hdf(os.path.join(folder, "part-*.h5"), "/data")]
    ['part-0.h5', 'part-1.h5']
    >>> gd.read_hdf(os.path.join(folder, "part-*.h5"), "/data", backend="cpu").x.sum().compute().item()
    10
    """
    path = os.fspath(path)
    if path.count("*") + key.count("*") > 1:
        raise ValueError("to_hdf: at most one '*' in the path and the key together")
    if kwargs.get("format", "table") not in ("t", "table"):
        raise ValueError(f"to_hdf: only pandas' 'table' format can be written in partitions, got "
                         f"format={kwargs['format']!r}")
    if mode not in ("a", "w", "r+"):
        raise ValueError(f"to_hdf: mode must be 'a', 'w' or 'r+', got {mode!r}")
    names = name_function or _padded_names(df.npartitions)
    per_file, per_key = "*" in path, "*" in key
    if per_file or per_key:
        shown = [str(names(i)) for i in range(df.npartitions)]
        if shown != sorted(shown):
            warnings.warn(f"to_hdf: the names name_function gives do not sort in partition order ({shown[:3]} ...): "
                          "reading the keys or files back in sorted order mixes up the partitions' order",
                          UserWarning, stacklevel=2)
    writes = []
    for i in range(df.npartitions):
        first_in_file = per_file or i == 0
        options = {**kwargs, "format": "table", "mode": mode if first_in_file else "a",
                   "append": append if i == 0 or per_key else True}  # later partitions of one key append
        writes.append((path.replace("*", str(names(i))), key.replace("*", str(names(i))),
                       tuple(sorted(options.items()))))
    target = bhdf.HdfTarget([w[0] for w in writes], uuid.uuid4().hex[:12])
    job = LazyWrite(WriteHDF(df.expr, target, tuple(writes)))
    if not compute:
        return job
    job.compute(**({"scheduler": scheduler} if scheduler is not None else {}), **(dask_kwargs or {}))
    return [w[0] for w in writes]
