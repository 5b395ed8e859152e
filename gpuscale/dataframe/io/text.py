"""``read_text``: text files split into records at a delimiter (dask_cudf's ``read_text``, ``cudf.read_text``'s
records); the reading lives in :mod:`gpuscale.backends.io.text`."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.io import text as btext
from gpuscale.dataframe.io._common import partition_bytes_for, partitions_read_by, resolve_backend

__all__ = ["read_text"]


def read_text(path: Any, delimiter: str, blocksize: Any = None, byte_range: Any = None,
              strip_delimiters: bool = False, storage_options: dict | None = None, backend: str | None = None,
              chunksize: Any = None) -> Any:
    """Read text files as a Series of records, each ending with ``delimiter`` (as ``cudf.read_text``).

    Parameters
    ----------
    path : str, path-like or list
        A file, a glob (``"logs/*.txt"``), a folder, a list of them, or fsspec URLs.
    delimiter : str
        What ends a record (one or more characters).  A record keeps it unless ``strip_delimiters``; the last
        record may lack it, and a file ending with it has no empty record after it.
    blocksize : int or str, optional
        Bytes per partition (``"64 MiB"``): a partition holds the records that *start* in its block (read on to
        their delimiter).  None: a partition per file.  ``chunksize`` is dask_cudf's name for it.
    byte_range : tuple of int, optional
        ``(offset, size)``: only the records starting in that range of each file (not with ``blocksize``).
    strip_delimiters : bool, default False
        Leave the delimiters out of the records.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library; cuDF partitions are split on the device by ``cudf.read_text``.

    Returns
    -------
    Series
        Of strings, unknown divisions.

    Examples
    --------
    >>> import os, tempfile, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "moves.txt")
    >>> _ = open(path, "w").write("e4 e5. Nf3 Nc6. Bb5 a6.")
    >>> gd.read_text(path, delimiter=".", backend="cpu").compute().tolist()
    ['e4 e5.', ' Nf3 Nc6.', ' Bb5 a6.']
    >>> gd.read_text(path, delimiter=". ", blocksize=8, strip_delimiters=True, backend="cpu").compute().tolist()
    ['e4 e5', 'Nf3 Nc6', 'Bb5 a6.']
    """
    if chunksize is not None:
        if blocksize is not None:
            raise ValueError("read_text: give blocksize or chunksize (dask_cudf's name for it), not both")
        blocksize = chunksize
    library = resolve_backend(backend)
    size = partition_bytes_for(library, blocksize) if blocksize is not None else None
    spec, pieces = btext.open_text(path, delimiter, size, byte_range, strip_delimiters, storage_options, library)
    return partitions_read_by(btext.read_text_partition, pieces, spec, btext.text_meta(library), library,
                              "read-text")
