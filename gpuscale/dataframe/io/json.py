"""``read_json`` / ``to_json`` (dask.dataframe's semantics) and ``read_table``.

``read_json`` makes one partition per file, or with ``lines=True`` and ``blocksize`` one per block of
about that many bytes (cut at line ends).  ``to_json`` writes one file per partition (``0.part`` ... in a
folder, or a path with one ``*``), atomically as :func:`gpuscale.dataframe.to_csv`.  The parsing and
writing functions live in :mod:`gpuscale.backends.io.json`.
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.backends.io import json as bjson
from gpuscale.backends.io import frame_to_backend
from gpuscale.dataframe.io._common import partition_bytes_for, resolve_backend
from gpuscale.dataframe.io.write import LazyFileWrite, _run, _start, _Write
from gpuscale.dataframe.io.write_files import file_plan

__all__ = ["read_json", "to_json", "read_table", "WriteJSON"]


def _lines_for(orient: str, lines: Any, who: str) -> bool:
    lines = orient == "records" if lines is None else bool(lines)
    if lines and orient != "records":
        raise ValueError(f"{who}: Line-delimited JSON is only available with orient='records'")
    return lines


def read_json(url_path: Any, orient: str = "records", lines: Any = None, storage_options: dict | None = None,
              blocksize: Any = None, sample: int = 2**20, encoding: str = "utf-8", errors: str = "strict",
              compression: str | None = "infer", meta: Any = None, engine: Any = None,
              include_path_column: Any = False, path_converter: Callable | None = None, backend: str | None = None,
              aggregate_files: Any = None, **kwargs: Any) -> Any:
    """Read JSON files into a lazy DataFrame (as ``dask.dataframe.read_json``).

    Parameters
    ----------
    url_path : str, path-like or list
        A file, a folder, a glob (``"logs/*.json"``) or an fsspec URL.
    orient : str
        pandas' ``orient`` (the layout of each file).
    lines : bool, optional
        One record per line; default: ``orient == "records"``.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    blocksize : int or str, optional
        With ``lines=True``: one partition per block of about this many bytes (cut at line ends).
        None: one partition per file.
    sample : int
        Bytes of the first file whose rows give the dtypes (with ``blocksize``: at least the first block);
        up to this many bytes of the next blocks (16 at most) widen them as pandas reading all of those rows
        would (a column with no value takes the others' dtype, ints meeting floats or nulls become floats).
    encoding, errors : str
        How the files' text is decoded (as ``bytes.decode``: ``errors="replace"`` ...).  With ``blocksize``,
        the encoding must end lines with the byte ``\\n`` (UTF-8, Latin-1 ...; not UTF-16).
    compression : str or None
        ``"infer"`` (from the extension), a codec name, or None.
    meta : optional
        The empty result; default: the columns and dtypes of the first block that has columns (an empty
        file, as ``to_json`` writes an empty partition, has none).
    engine : str or callable, optional
        A name: pandas' ``read_json`` engine (``"ujson"``, ``"pyarrow"``); ``"cudf"`` (dask_cudf's): cuDF's
        reader, which cuDF partitions are read with anyway.
        A function: called as ``engine(file, orient=..., lines=..., **kwargs)``
        for each block, returning a pandas DataFrame.
    include_path_column : bool or str
        Add a column (named ``"path"``, or this string) with each row's file,
        a categorical whose categories are all the files read.
    path_converter : callable, optional
        Applied to the file paths of ``include_path_column``.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library.
    aggregate_files : int or bool, optional
        dask_cudf's: read this many consecutive files (or blocks) as one partition; True: as many as fit in
        ``blocksize`` bytes (default: the partition size of the backend).
    **kwargs
        Passed to the reader (``dtype=`` ...).

    Returns
    -------
    DataFrame

    Raises
    ------
    gpuscale.backends.io.JsonParseError
        (a ``ValueError``) For text that is not JSON, naming the file and, with ``lines=True``, the line.
    gpuscale.backends.io.JsonRowError
        (a ``JsonParseError``, and pandas' ``TypeError`` and 2.2's ``AttributeError``) With ``lines=True``, for
        a line that is JSON but not an object (``[1, 2]``, ``5``), naming the file and the line.
    gpuscale.backends.io.JsonDtypeError
        (a ``ValueError``, at compute) For a block whose column does not fit the metadata's dtype without
        changing values (a later block with text in a column of numbers ...), naming the file, the column
        and both dtypes: pass ``dtype=`` or ``meta=``.

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "a.json")
    >>> pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]}).to_json(path, orient="records", lines=True)
    >>> df = gd.read_json(path, blocksize=10, backend="cpu")
    >>> df.npartitions > 1, df.x.sum().compute().item()
    (True, 6)
    """
    from gpuscale.dataframe.interop import from_map

    lines = _lines_for(orient, lines, "read_json")
    library = resolve_backend(backend)
    size = partition_bytes_for(library, blocksize) if blocksize is not None else None
    path_column = ("path" if include_path_column is True else include_path_column) or None
    options = {"orient": orient, **kwargs}
    if engine == "cudf":  # dask_cudf's name for cuDF's own reader: the one cuDF partitions are read with
        if library != "cudf":
            raise ValueError(f"read_json: engine='cudf' reads cuDF partitions, but the backend is {library!r}; "
                             "pass backend='cudf' (or leave engine out)")
    elif isinstance(engine, str):
        options["engine"] = engine  # pandas' engine of that name
    reader = engine if callable(engine) else None
    spec, blocks = bjson.open_json(url_path, size, lines, options, storage_options, compression, library,
                                   path_column, path_converter, reader, encoding, errors)
    if meta is None:
        meta = bf.make_meta(bjson.json_sample(blocks, spec, sample))  # the first non-empty file's
    meta = bf.make_meta(frame_to_backend(getattr(meta, "_meta", meta), library))
    if aggregate_files:
        groups = bjson.aggregated_blocks(spec.fs, blocks, aggregate_files, size or partition_bytes_for(library))
        return from_map(bjson.read_json_blocks, groups, args=(spec, meta), meta=meta, label="read-json")
    return from_map(bjson.read_json_partition, blocks, args=(spec, meta), meta=meta, label="read-json")


class WriteJSON(_Write):
    """Write each partition to its own JSON file in a temporary folder, then commit."""

    def _write_task(self, i: int, partition: tuple) -> tuple:
        return (bjson.write_json_part, partition, self._prepare_key(), self.target, i, self.spec)


def to_json(df: Any, url_path: Any, orient: str = "records", lines: Any = None, storage_options: dict | None = None,
            compute: bool = True, encoding: str = "utf-8", errors: str = "strict", compression: str | None = "infer",
            compute_kwargs: dict | None = None, name_function: Callable[[int], str] | None = None,
            overwrite: bool = False, **kwargs: Any) -> Any:
    """Write a collection as JSON, one file per partition (as ``dask.dataframe.to_json``).

    Parameters
    ----------
    df : DataFrame or Series
    url_path : str, path-like or list
        A folder (files ``0.part``, ``1.part`` ...), a path with one ``*`` in the file name, replaced by
        ``name_function(i)`` (default ``str(i)``), or a list of one path per partition, in one folder
        (partition ``i`` written to ``url_path[i]``; another length raises ``ValueError``).
    orient : str
        pandas' ``orient``.
    lines : bool, optional
        One record per line; default: ``orient == "records"``.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    compute : bool
        Write now (the default), or return a lazy Scalar whose ``compute()`` writes.
    encoding, errors : str
        How the text is encoded.
    compression : str or None, default "infer"
        A codec for the files (``"gzip"``, ``"bz2"`` ...); ``"infer"``: from each file name's extension (as
        pandas' ``to_json``: ``"out/*.json.gz"`` writes gzip files); None: plain text.
    compute_kwargs : dict, optional
        Passed to ``compute``.
    name_function : callable, optional
        File name of partition ``i``.
    overwrite : bool
        Replace a non-empty target (else ``FileExistsError``).
    **kwargs
        Passed to ``DataFrame.to_json`` of each partition.

    Returns
    -------
    list of str or Scalar
        The files written (``compute=True``), or the lazy write.

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> folder = os.path.join(tempfile.mkdtemp(), "out")
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2, backend="cpu")
    >>> [os.path.basename(p) for p in gd.to_json(df, folder)]
    ['0.part', '1.part']
    >>> gd.read_json(folder + "/*.part", backend="cpu").x.sum().compute().item()
    6
    """
    lines = _lines_for(orient, lines, "to_json")
    plan = file_plan(url_path, False, name_function or str, df.npartitions, "to_json")
    folder, pattern, names = plan.folder, plan.pattern, plan.name_function
    target = _start(df, folder, overwrite, storage_options, plan.names)
    spec = bjson.JsonWriteSpec(pattern, names, {"orient": orient, "lines": lines, **kwargs}, encoding, errors,
                               compression)
    job = LazyFileWrite(WriteJSON(df.expr, target, spec))
    paths = [f"{folder.rstrip('/')}/{pattern.replace('*', names(i))}" for i in range(df.npartitions)]
    if not compute:
        return job._with_paths(paths)  # also dask's list of Delayed paths
    _run(job, compute_kwargs)
    return paths


def read_table(path: Any, blocksize: Any = "default", **kwargs: Any) -> Any:
    """Read delimited text files (tab-separated unless ``sep=``) into a lazy DataFrame, as
    :func:`gpuscale.dataframe.read_csv` (dask's ``read_table``).

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "a.tsv")
    >>> pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}).to_csv(path, sep="\\t", index=False)
    >>> gd.read_table(path, backend="cpu").compute().y.tolist()
    ['a', 'b']
    """
    from gpuscale.dataframe.io.csv import read_csv

    if "delimiter" not in kwargs:
        kwargs.setdefault("sep", "\t")
    return read_csv(path, blocksize=blocksize, **kwargs)
