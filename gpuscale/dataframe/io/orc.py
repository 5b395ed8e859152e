"""``read_orc`` / ``to_orc`` (dask.dataframe's semantics).

``read_orc`` makes a partition of every ``split_stripes`` stripes of a file (one per file with
``split_stripes=False``; across files with ``aggregate_files=True``).  ``to_orc`` writes ``part.<i>.orc`` per
partition into a folder, atomically as :func:`gpuscale.dataframe.to_parquet`.  The reading and writing
functions live in :mod:`gpuscale.backends.io.orc`.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.io import orc as borc
from gpuscale.dataframe.io._common import partitions_read_by, resolve_backend
from gpuscale.dataframe.io.write import LazyWrite, _run, _start, _Write

__all__ = ["read_orc", "to_orc", "WriteORC"]


def read_orc(path: Any, engine: str = "pyarrow", columns: Any = None, index: Any = None, split_stripes: Any = 1,
             aggregate_files: Any = None, storage_options: dict | None = None, backend: str | None = None) -> Any:
    """Read ORC files into a lazy DataFrame (as ``dask.dataframe.read_orc``).

    Parameters
    ----------
    path : str, path-like or list
        A file, a folder (every file in it), a glob (``"data/*.orc"``) or an fsspec URL.
    engine : {"pyarrow"}
        The ORC reader (pyarrow's).
    columns : list of str, optional
        Columns to read; all by default.  A column missing from the files raises ``ValueError`` naming it.
    index : str, optional
        A column to make the index (read even when ``columns`` leaves it out).
    split_stripes : int or False, default 1
        Stripes per partition; ``False``: one partition per file.
    aggregate_files : bool, optional
        Let a partition's stripes continue into the next file (with ``split_stripes`` > 1).
    storage_options : dict, optional
        Options for the fsspec filesystem.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library (cuDF partitions are decoded on the host and copied to the device).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> folder = os.path.join(tempfile.mkdtemp(), "orc")
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3, 4], "y": list("abcd")}), npartitions=2, backend="cpu")
    >>> df.to_orc(folder, write_index=False)
    >>> back = gd.read_orc(folder, backend="cpu")
    >>> back.npartitions, back.x.sum().compute().item()
    (2, 10)
    """
    if engine != "pyarrow":
        raise ValueError(f"read_orc: engine must be 'pyarrow', got {engine!r}")
    library = resolve_backend(backend)
    spec, pieces = borc.open_orc(path, columns, index, split_stripes, bool(aggregate_files), storage_options,
                                 library)
    return partitions_read_by(borc.read_orc_partition, pieces, spec, borc.orc_meta(spec), library, "read-orc")


class WriteORC(_Write):
    """Write each partition to ``part.<i>.orc`` in a temporary folder, then move the files in."""

    def _write_task(self, i: int, partition: tuple) -> tuple:
        return (borc.write_orc_part, partition, self._prepare_key(), self.target, i, *self.spec)


def to_orc(df: Any, path: Any, engine: str = "pyarrow", write_index: bool = True,
           storage_options: dict | None = None, compute: bool = True, compute_kwargs: dict | None = None,
           overwrite: bool = False, compression: str | None = "uncompressed") -> Any:
    """Write a DataFrame as ORC files, ``part.0.orc``, ``part.1.orc`` ... in the folder ``path`` (as
    ``dask.dataframe.to_orc``).

    The files appear together once every partition is written; after an error nothing is left.  The folder
    may hold other files; files of the same names are refused unless ``overwrite=True``, which also removes the
    ``part.<i>.orc`` files of an earlier write of more partitions.

    Parameters
    ----------
    df : DataFrame
    path : str or path-like
        The folder (created if missing; local or an fsspec URL).
    engine : {"pyarrow"}
        The ORC writer (pyarrow's).
    write_index : bool, default True
        Write the index as columns (a plain range index is not kept, as on dask).
    storage_options : dict, optional
        Options for the fsspec filesystem.
    compute : bool, default True
        Write now, or return a lazy Scalar whose ``compute()`` writes.
    compute_kwargs : dict, optional
        Passed to ``compute``.
    overwrite : bool, default False
        Replace the dataset: files of the same names, and the other ``part.<i>.orc`` files.
    compression : {"uncompressed", "snappy", "zlib", "lz4", "zstd", None}, default "uncompressed"
        How the stripes are compressed (``None``: not at all); dask_cudf's ``to_orc`` takes it too.

    Returns
    -------
    None or Scalar

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> folder = os.path.join(tempfile.mkdtemp(), "orc")
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1.5, 2.5]}, index=[7, 8]), npartitions=2, backend="cpu")
    >>> gd.to_orc(df, folder)
    >>> sorted(os.listdir(folder))
    ['part.0.orc', 'part.1.orc']
    >>> gd.read_orc(folder, backend="cpu").compute().columns.tolist()  # the index, written as a column
    ['x', '__index_level_0__']
    """
    if engine != "pyarrow":
        raise ValueError(f"to_orc: engine must be 'pyarrow', got {engine!r}")
    if not hasattr(df, "columns"):
        raise TypeError(f"to_orc writes a DataFrame (an ORC file holds a table); got a {type(df).__name__}: "
                        "use .to_frame().to_orc(...)")
    compression = borc.orc_compression(compression)
    names = [f"part.{i}.orc" for i in range(df.npartitions)]
    target = _start(df, path, overwrite, storage_options, names, stale="part.*.orc")
    job = LazyWrite(WriteORC(df.expr, target, (bool(write_index), compression)))
    if not compute:
        return job
    _run(job, compute_kwargs)
    return None
