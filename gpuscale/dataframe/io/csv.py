"""``read_csv``: one partition per byte block of the CSV files."""

from __future__ import annotations

import functools
import warnings
from typing import Any

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.backends.frame.string_dtype import to_pyarrow_strings
from gpuscale.backends import io as bio
from gpuscale.dataframe.expr.base import PartitionedSource
from gpuscale.dataframe.io._common import new_collection, partition_bytes_for, resolve_backend

__all__ = ["ReadCSV", "read_csv", "read_fwf"]


class ReadCSV(PartitionedSource):
    """Parse CSV byte blocks (pandas; ``cudf.read_csv`` for cuDF partitions); a pushed projection keeps only
    the needed columns.

    ``meta_`` is the host (pandas) meta sampled from the start of the first
    file; every block is cast to its dtypes, so partitions agree.
    """

    _parameters = ["columns", "filters", "source", "blocks", "meta_", "backend"]
    _defaults = {"columns": None, "filters": None}
    _absorbs_filters = False

    @functools.cached_property
    def _meta(self) -> Any:
        return bio.frame_to_backend(bio.project_columns(self.meta_, self.operand("columns")), self.backend)

    def _divisions(self) -> tuple:
        return (None,) * (len(self.blocks) + 1)

    def _partition_task(self, i: int) -> tuple:
        reader = "cudf" if self.backend == "cudf" and self.reader_problem is None else "pandas"
        spec = bio.CsvReadSpec(self.source, self.meta_, self.operand("columns"), self.backend, reader)
        return (bio.read_csv_partition, self.blocks[i], spec)

    @functools.cached_property
    def reader_problem(self) -> str | None:
        """Why cuDF partitions are parsed by pandas rather than ``cudf.read_csv`` (None: they are not)."""
        if self.backend != "cudf":
            return "pandas partitions are parsed by pandas"
        return bio.csv_reader_problem(self.source)

    @property
    def reader(self) -> str:
        """What parses the blocks: ``"cudf.read_csv"`` or ``"pandas"`` (with the reason for cuDF)."""
        if self.backend == "cudf":
            problem = self.reader_problem
            return "cudf.read_csv" if problem is None else f"pandas ({problem})"
        return "pandas"

    def _tree_label(self) -> str:
        columns = self.operand("columns")
        shown = "all columns" if columns is None else f"columns={list(columns)}"
        reader = f", reader={self.reader}" if self.backend == "cudf" else ""
        return f"ReadCSV: {shown}{reader}  [npartitions={self.npartitions}]"


def read_csv(path: Any, blocksize: Any = "default", dtype: Any = None, parse_dates: Any = None,
             usecols: Any = None, storage_options: dict | None = None, backend: str | None = None,
             compression: str | None = "infer", include_path_column: bool | str = False,
             sample: int | bool = 256_000, assume_missing: bool = False, enforce: bool = False,
             sample_rows: int | None = None, **kwargs: Any) -> Any:
    """Read CSV files into a lazy DataFrame, one partition per block of about ``blocksize`` bytes.

    Parameters
    ----------
    path : str, path-like or list
        A file, a folder, a glob (``"logs/*.csv"``) or an fsspec URL.
    blocksize : int, str or None, optional
        Bytes per partition; default ``dataframe.partition_bytes.<cpu|gpu>``
        (128 MiB / 1 GiB).  None: one partition per file.  Blocks are cut at
        newlines, so a quoted field must not contain one (use None then).
        Compressed files are always read whole (a ``blocksize`` given with
        them warns), and so are files in an ``encoding`` whose newline is
        not cut at a ``\\n`` byte (UTF-16 with a byte-order mark, UTF-16-LE).
        ``skiprows`` and the header row apply to the first block of each
        file (as in dask; ``skiprows`` as a function needs one block per
        file), and the blocks end before the ``skipfooter`` last lines of a
        file (as pandas counts them).  With ``nrows`` the default is a
        partition per file (the first ``nrows`` rows of each).
    dtype, parse_dates, usecols, **kwargs
        Passed to ``pandas.read_csv`` for every block.  Column dtypes are
        taken from the first ``sample`` bytes of the first file unless given.
        With the option ``dataframe.convert_string`` on, text columns of
        pandas partitions are ``string[pyarrow]``, as dask's
        ``dataframe.convert-string`` makes them.
        With ``parse_dates`` and no ``date_format``, every block parses a
        date column with the one format pandas guesses from its first value
        in the sample (as pandas does for the whole file); a column the
        sample keeps as text stays text.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library.  cuDF partitions are parsed on the device by
        ``cudf.read_csv`` (a local file's blocks as ``byte_range=``), unless
        an option needs pandas' parser (then parsed by pandas and copied;
        ``ReadCSV.reader`` says which and why).
    compression : str or None, optional
        ``"infer"`` (from the file extension), a codec name, or None.
    include_path_column : bool or str, optional
        Add a column (``"path"``, or this name) holding each row's file, as a
        categorical whose categories are all the files read (with a
        ``blocksize``, empty files are cut into no block, as in dask: they
        give no partition nor category).  A converter for
        it in ``converters=`` is applied to the paths.
    sample : int or False, optional
        Bytes of the first block whose dtypes become the columns' (to the end
        of that line; default 256 kB); False: the whole first block.
    assume_missing : bool, optional
        Read integer columns not named in ``dtype=`` as floats (a later block
        may have missing values the sample did not show).
    enforce : bool, optional
        Every block must have the first block's columns in the same order
        (else ``ValueError``); without it a block needs them in any order.
    sample_rows : int, optional
        Take the dtypes from this many rows of the sample (default: all the
        rows it holds).

    Raises
    ------
    FileNotFoundError
        If ``path`` matches no file.
    ValueError
        If a file's columns already include the path column, if ``skiprows``
        reaches past the first block or is a function with blocks, or the
        sample holds no data row.
    KeyError
        If ``usecols`` names a column not in the header.
    gpuscale.backends.io.CsvParseError
        For a malformed line, naming the file and the line number.
    gpuscale.backends.io.CsvDtypeError
        When a value does not fit its dtype, naming the file, column and line,
        or a block's dates do not parse with the file's date format.

    Examples
    --------
    >>> import os, tempfile, gpuscale.dataframe as gd
    >>> folder = tempfile.mkdtemp()
    >>> for i in range(3):
    ...     with open(os.path.join(folder, f"part{i}.csv"), "w") as f:
    ...         _ = f.write(f"k,v\\n{i},{i * 10}\\n{i},1\\n")
    >>> df = gd.read_csv(os.path.join(folder, "*.csv"), blocksize=None, backend="cpu")
    >>> df.npartitions, df.v.sum().compute().item()
    (3, 33)
    """
    text_format = kwargs.pop("_text_format", "csv")  # "fwf" from read_fwf: the same blocks, pandas.read_fwf
    for option in ("chunksize", "iterator"):  # pandas' readers of pieces: a lazy DataFrame reads in blocks
        if kwargs.get(option):
            raise ValueError(f"read_csv: {option}={kwargs[option]!r} is not supported (pandas' piecewise reading); "
                             "the DataFrame is read in blocks of blocksize= bytes")
    library = resolve_backend(backend)
    given_blocksize = blocksize not in ("default", None)
    if blocksize == "default" and kwargs.get("nrows"):
        blocksize = None  # nrows counts from the start of each file: a file is a partition, as pandas reads it
    if blocksize == "default":
        blocksize = partition_bytes_for(library)
    elif blocksize is not None:
        blocksize = partition_bytes_for(library, blocksize)
    path_column = "path" if include_path_column is True else (include_path_column or None)
    options = {**kwargs, **{k: v for k, v in (("dtype", dtype), ("parse_dates", parse_dates),
                                                ("usecols", usecols)) if v is not None}}
    path_converter = _pop_path_converter(options, path_column)
    source, blocks = bio.open_csv(path, blocksize, options, storage_options, compression,
                                  bio.CsvExtras(path_column, path_converter, enforce, text_format))
    if given_blocksize and source.compression is not None:
        warnings.warn(f"read_csv: {source.compression}-compressed files cannot be split into blocks; each is "
                      "read whole (pass blocksize=None to silence this warning)", UserWarning, stacklevel=2)
    source, meta = bio.sample_source_meta(source, blocks[0], sample, sample_rows)
    if assume_missing:
        meta = _integers_as_floats(meta, dtype)
    meta = _unknown_categories(meta, dtype)
    if library == "pandas" and config.get("dataframe.convert_string"):
        # dask's dataframe.convert-string: each block's text columns are cast to the meta's string[pyarrow]
        meta = to_pyarrow_strings(meta).set_axis(meta.index)
    if path_column is not None:
        meta = _with_path_meta(meta, path_column, source, blocks)
    return new_collection(ReadCSV(None, None, source, tuple(blocks), meta, library))


def _pop_path_converter(options: dict, path_column: str | None) -> Any:
    """dask's path converter: ``converters[path_column]`` (the column is not in the files, pandas never sees it)."""
    converters = options.get("converters")
    if path_column is None or not isinstance(converters, dict) or path_column not in converters:
        return None
    rest = {k: v for k, v in converters.items() if k != path_column}
    if rest:
        options["converters"] = rest
    else:
        del options["converters"]
    return converters[path_column]


def _integers_as_floats(meta: Any, dtype: Any) -> Any:
    """``assume_missing``: integer columns the user gave no dtype become float64 (a dtype for all: none)."""
    if dtype is not None and not isinstance(dtype, dict):
        return meta
    given = dtype or {}
    floats = {c: "float64" for c, d in meta.dtypes.items() if c not in given and d.kind in "iu"}
    return meta.astype(floats) if floats else meta


def _unknown_categories(meta: Any, dtype: Any) -> Any:
    """Columns read as ``"category"`` get each block's own categories, as dask: unknown in the meta (the
    sample's categories would turn a later block's other values into NaN)."""
    if dtype is None:
        return meta
    asked = dtype if isinstance(dtype, dict) else {c: dtype for c in meta.columns}
    columns = [c for c, d in asked.items() if c in meta.columns and bf.wants_unknown_categories(d)]
    return bf.with_unknown_categories(meta, columns) if columns else meta


def _with_path_meta(meta: Any, name: str, source: Any, blocks: list) -> Any:
    bio.check_path_column(name, meta.columns, "read_csv")
    return meta.assign(**{name: bio.path_values(source, blocks)})


def read_fwf(path: Any, blocksize: Any = "default", **kwargs: Any) -> Any:
    """Read fixed-width text files into a lazy DataFrame, one partition per block of lines, as dask's
    ``read_fwf``: :func:`read_csv`'s options (``dtype``, ``include_path_column``, ``sample``,
    ``storage_options``, ``backend`` ...) with ``pandas.read_fwf``'s (``colspecs``, ``widths``, ``infer_nrows``).

    cuDF partitions are parsed by pandas (cuDF has no ``read_fwf``) and moved to the device.

    Examples
    --------
    >>> import os, tempfile, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> _ = open(path, "w").write("name  amount\\nAlice    100\\nBob      -20\\n")
    >>> df = gd.read_fwf(path, colspecs=[(0, 5), (6, 12)], backend="cpu")
    >>> df.compute().amount.tolist()
    [100, -20]
    """
    return read_csv(path, blocksize=blocksize, _text_format="fwf", **kwargs)
