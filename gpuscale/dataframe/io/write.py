"""``to_parquet`` / ``to_csv``: one write task per partition plus a commit task, all atomic.

The graph of a write is::

    prepare  (create <target>.tmp-<token>)
      -> write part 0, write part 1, ...   (one per partition, in parallel)
      -> commit  (rename the temporary sibling onto <target>)

so it runs on the local runtime and on a distributed cluster alike.  The
target appears only at the commit.  Whatever computes the write (``compute=True``,
``lazy.compute()``, ``gpuscale.compute(...)``, ``persist``) enters
:func:`_guarded` around the run: if anything fails, the user presses Ctrl-C or
SIGTERM arrives, the temporary sibling is removed and the error re-raised.  On a
local disk the sibling is also claimed with a lock file (``runtime.scratch``), so
that after a SIGKILL the next write to the same target removes it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
import warnings
from typing import Any, Callable, Iterator

from gpuscale.backends import frame as bf
from gpuscale.backends import io as bio
from gpuscale.dataframe.expr.base import FrameExpr, OnePartition
from gpuscale.dataframe.io._common import resolve_backend
from gpuscale.dataframe.io.write_files import file_plan
from gpuscale.dataframe.scalar import Scalar
from gpuscale.runtime import scratch
from gpuscale.runtime.sigterm import sigterm_unwinds

__all__ = ["WriteParquet", "WriteCSV", "to_parquet", "to_csv"]


class WriteExpr(OnePartition, FrameExpr):
    """A lazy scalar whose tasks write somewhere; its value is its last task's (None for the file writers)."""

    @property
    def _meta(self) -> Any:
        return None  # a scalar: computing the write returns None

    def __dask_keys__(self) -> list:
        return [(self._name, 0)]


class _Write(WriteExpr):
    """A lazy scalar (None) whose tasks write ``frame``'s partitions and commit them."""

    _parameters = ["frame", "target", "spec"]

    def _part_key(self, i: int) -> tuple:
        return (f"{self._name}-part", i)

    def _prepare_key(self) -> tuple:
        return (f"{self._name}-prepare", 0)

    def _layer(self) -> dict:
        frame = self.frame
        layer: dict = {self._prepare_key(): (bio.prepare, self.target, self._into_folder)}
        for i in range(frame.npartitions):
            layer[self._part_key(i)] = self._write_task(i, (frame._name, i))
        parts = [self._part_key(i) for i in range(frame.npartitions)]
        layer[(self._name, 0)] = self._finish_task(parts)
        return layer

    _into_folder = True

    def _finish_task(self, parts: list) -> tuple:
        return (bio.finish, self.target, *parts)

    def _write_task(self, i: int, partition: tuple) -> tuple:
        raise NotImplementedError

    def _tree_label(self) -> str:
        return f"{type(self).__name__}: {self.target.path!r}"


class WriteParquet(_Write):
    """Write each partition to ``part.<i>.parquet`` in a temporary folder, then commit."""

    def _write_task(self, i: int, partition: tuple) -> tuple:
        return (bio.write_parquet_part, partition, self._prepare_key(), self.target, i, self.spec)

    def _finish_task(self, parts: list) -> tuple:
        return (bio.finish_parquet, self.target, self.spec, *parts)


class WriteCSV(_Write):
    """Write each partition to its own CSV file (or append, in order, to one file), then commit."""

    @property
    def _into_folder(self) -> bool:
        return not self.spec.single_file

    def _write_task(self, i: int, partition: tuple) -> tuple:
        previous = (self._part_key(i - 1),) if self.spec.single_file and i > 0 else ()
        return (bio.write_csv_part, partition, self._prepare_key(), self.target, i, self.spec, *previous)


class LazyWrite(Scalar):
    """The lazy scalar (None) of a write; computing it, in any way, runs inside :func:`_guarded`."""

    def _computing(self) -> Any:
        target = getattr(self._expr, "target", None)
        return _guarded(target) if target is not None else contextlib.nullcontext()


class LazyFileWrite(LazyWrite):
    """The lazy write of ``to_csv``/``to_json(compute=False)``: also dask's list of ``Delayed``, one per file
    (``dask.compute(*job)`` writes them all at once and gives their paths)."""

    def _with_paths(self, paths: list) -> "LazyFileWrite":
        self._paths = list(paths)
        return self

    def _file_delayed(self) -> list:
        import dask

        write = self.to_delayed()  # one write (commit included) that every file's value waits for
        return [dask.delayed(_written_path, pure=True)(write, path) for path in self._paths]

    def __iter__(self) -> Iterator:
        return iter(self._file_delayed())

    def __len__(self) -> int:
        return len(self._paths)

    def __getitem__(self, i: Any) -> Any:
        return self._file_delayed()[i]


def _written_path(_done: Any, path: str) -> str:
    return path


@contextlib.contextmanager
def _guarded(target: Any) -> Iterator[None]:
    """Around the run of a write: on an error, Ctrl-C or SIGTERM remove the temporary sibling, then re-raise
    (SIGTERM: end the process as SIGTERM does, once the sibling is gone)."""
    with sigterm_unwinds():
        claim = _claim(target.local_temp)
        try:
            yield
        except BaseException:
            if claim is not None:
                claim.close()  # first: its lock file would keep the folders the write created from going
            target.cleanup()
            raise
        finally:
            if claim is not None:
                claim.close()


def _claim(temp: str | None) -> Any:
    """Remove the temporary siblings that killed writers to the same target left, then lock this write's.

    ``<target>.tmp-<token>`` is made by the write's first task, maybe in another process; the lock file beside
    it is held by this process, which drives the write, so the kernel releases it however this process ends.
    """
    if temp is None:
        return None  # object stores: no lock files
    parent, name = os.path.split(temp)
    prefix = name[: name.rindex(".tmp-") + len(".tmp-")]
    try:
        os.makedirs(parent, exist_ok=True)  # the first task would make it too
        scratch.remove_stale(prefix, parent)
        return scratch.claim(temp)
    except OSError:
        return None  # the lock only serves a later clean-up; a folder the write cannot use fails in its tasks


def _run(job: Any, compute_kwargs: dict | None) -> None:
    """Compute a write (its guard removes the temporary sibling on any failure)."""
    job.compute(**(compute_kwargs or {}))


def _start(df: Any, path: Any, overwrite: bool, storage_options: dict | None, names: Any = None,
           stale: str | None = None, hint: str = "") -> Any:
    """The checked target of a write (``names``: files added to the folder ``path``, which may hold others;
    ``stale``: the pattern of an earlier write's files an overwrite removes; ``hint``: the writer's other way
    to replace files, for the error)."""
    if df.npartitions < 1:
        raise ValueError("cannot write a collection with no partitions")
    names = None if names is None else tuple(names)
    target = bio.open_target(path, uuid.uuid4().hex[:12], overwrite, storage_options, names, stale, hint)
    target.check()  # refuse early, before any work
    target.note_new_folders()  # removed again if the write fails
    return target


def to_parquet(df: Any, path: Any, write_index: bool = True, partition_on: Any = None, overwrite: bool = False,
               compute: bool = True, compute_kwargs: dict | None = None, storage_options: dict | None = None,
               backend: str | None = None, engine: Any = None, append: bool = False,
               ignore_divisions: bool = False, write_metadata_file: bool | None = None,
               custom_metadata: dict | None = None, schema: Any = "infer",
               name_function: Callable[[int], str] | None = None, filesystem: Any = None, **kwargs: Any) -> Any:
    """Write a DataFrame as a folder of parquet files, one ``part.<i>.parquet`` per partition.

    The files are written into ``<path>.tmp-<token>`` next to ``path`` and the
    folder is renamed to ``path`` once every part is written, so a failure
    or Ctrl-C never leaves a half-written dataset (an append moves its files
    into the dataset only once all of them are written).

    Parameters
    ----------
    df : DataFrame
    path : str or path-like
        Target folder (local or fsspec URL).
    write_index : bool, default True
        Store the index as a column (restored by ``read_parquet``).
    partition_on : str or list of str, optional
        Write hive folders ``col=value/`` per distinct value of these columns.
    overwrite : bool, default False
        Replace a non-empty ``path``; without it (and without ``append``), a
        ``FileExistsError`` is raised.
    compute : bool, default True
        Write now and return None; False returns a lazy scalar to compute
        later (``.compute()``, ``gpuscale.compute``; a failure removes the
        temporary sibling then too).
    compute_kwargs : dict, optional
        Passed to ``compute`` (``scheduler=...``).
    storage_options : dict, optional
        Options for the fsspec filesystem.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Library that writes: pandas partitions go through pyarrow, cuDF ones
        through cuDF's writer.  By default each partition's own library;
        otherwise partitions are moved first (``to_host`` / ``to_device``).
    engine : {None, "auto", "pyarrow"}, optional
        Accepted for dask's signature; ``"fastparquet"`` raises ``ValueError``.
    append : bool, default False
        Add the partitions as new files (numbered after the existing ones) to
        the dataset at ``path``; its columns and types must be the same
        (``ValueError`` otherwise).  Without a dataset there, a new one is
        written.
    ignore_divisions : bool, default False
        With ``append``: allow new rows whose index does not come after the
        dataset's (by default, with known divisions and a sorted stored
        index, that raises ``ValueError``).
    write_metadata_file : bool, optional
        Also write ``_metadata`` (every file's footer) and
        ``_common_metadata`` (the schema).  None (default): only when
        appending to a dataset that has a ``_metadata`` file (then updated).
    custom_metadata : dict of bytes to bytes, optional
        Key/value pairs added to every file's footer metadata (not
        ``b"pandas"``, which ``read_parquet`` needs).  pyarrow writer only.
    schema : "infer", dict, pyarrow.Schema or None, default "infer"
        The Arrow schema of every file: inferred from the collection's
        dtypes, with the types of a dict's columns replaced
        (``{"x": pa.int32()}``), a full ``pyarrow.Schema``, or None (each
        file its partition's own).  A partition that does not fit raises
        ``ValueError`` showing both schemas.  pyarrow writer only.
    name_function : callable, optional
        ``name_function(i)`` names partition ``i``'s file (default
        ``part.<i>.parquet``); the names must be distinct and should sort in
        partition order.
    filesystem : {None, "fsspec", "arrow"} or fsspec filesystem, optional
        An fsspec filesystem object writes there (``path`` is a path on it).
    **kwargs
        Options of ``pyarrow.parquet.write_table`` (``compression=``, ``row_group_size=``...); for
        cuDF partitions translated to cuDF's writer (``row_group_size`` -> ``row_group_size_rows``),
        and an option cuDF's writer lacks is refused, naming it, before anything is written.

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "out")
    >>> df = gd.from_pandas(pd.DataFrame({"x": range(6)}), npartitions=3, backend="cpu")
    >>> gd.to_parquet(df, path)
    >>> sorted(name for name in os.listdir(path) if name.startswith("part."))
    ['part.0.parquet', 'part.1.parquet', 'part.2.parquet']
    >>> gd.to_parquet(df + 10, path, append=True, ignore_divisions=True)  # its index 0-5 again
    >>> sorted(gd.read_parquet(path, backend="cpu").x.compute().tolist())
    [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]
    """
    if not hasattr(df._meta, "columns"):
        raise TypeError("to_parquet writes a DataFrame; convert a Series with .to_frame() first")
    _check_column_names(df._meta.columns)
    from gpuscale.dataframe.io.parquet import check_engine, with_filesystem

    check_engine(engine, "to_parquet")
    path = with_filesystem(path, filesystem, "to_parquet")
    if append and overwrite:
        raise ValueError("to_parquet: append=True adds to the dataset at path and overwrite=True replaces it; "
                         "pass one of them")
    library = None if backend is None else resolve_backend(backend)
    writer = library or bf.library_of(df._meta)
    options = bio.parquet_writer_options(kwargs, writer)  # refused before writing
    _check_pyarrow_only(writer, custom_metadata=custom_metadata, schema=schema)
    keys = (partition_on,) if isinstance(partition_on, str) else tuple(partition_on or ())
    _check_partition_on(keys, df._meta.columns)
    metadata = _custom_metadata(custom_metadata)
    index_order = df.known_divisions and write_index and not ignore_divisions
    existing = bio.existing_parquet(bio.open_target(path, "", False, storage_options), index_order) \
        if append else None
    target = _start(df, path, overwrite or existing is not None, storage_options)
    if existing is not None:
        bio.check_append(existing, df._meta, write_index, keys, df.divisions[0] if index_order else None)
    names = _parquet_file_names(name_function, existing.next_number if existing else 0, df.npartitions)
    if existing is not None and existing.taken(names):
        raise ValueError(f"to_parquet: appending would replace the dataset's files {existing.taken(names)[:3]}; "
                         "name_function must give the new partitions names the dataset does not have")
    if write_metadata_file is None:
        write_metadata_file = existing is not None and existing.has_metadata_file
    spec = bio.ParquetWriteSpec(write_index, bio.parquet_schema(df._meta, write_index, keys, schema), keys,
                                options, library, names, metadata, existing is not None, bool(write_metadata_file),
                                bio.untyped_columns(df._meta, write_index), existing.schema if existing else None)
    job = LazyWrite(WriteParquet(df.expr, target, spec))
    target.fs.invalidate_cache(target.path)  # a listing cached before the write would hide its files (as dask)
    if not compute:
        return job
    _run(job, compute_kwargs)
    target.fs.invalidate_cache(target.path)
    return None


def _check_pyarrow_only(writer: str, **options: Any) -> None:
    """Options only pyarrow's writer has: refused for cuDF partitions, naming them, before anything is written."""
    given = [name for name, value in options.items()
             if value is not None and not (isinstance(value, str) and value == "infer")]
    if writer == "cudf" and given:
        raise TypeError(f"to_parquet: cuDF's parquet writer has no option {', '.join(map(repr, given))} "
                        "(write with backend='pandas' to use pyarrow's writer)")


def _check_partition_on(keys: tuple, columns: Any) -> None:
    """Before anything is written: an unknown partition_on column raises ``KeyError`` (as unknown columns do)."""
    missing = [k for k in keys if k not in columns]
    if missing:
        raise KeyError(f"to_parquet: partition_on names unknown column(s) {missing}; columns: {list(columns)}")


def _custom_metadata(custom: dict | None) -> tuple:
    """``custom_metadata`` as (bytes, bytes) pairs; the ``pandas`` key is refused (read_parquet needs it)."""
    pairs = tuple((_as_bytes(k), _as_bytes(v)) for k, v in (custom or {}).items())
    if any(k == b"pandas" for k, _ in pairs):
        raise ValueError("to_parquet: User-defined key/value metadata (custom_metadata) cannot contain the "
                         "b'pandas' key: it holds the pandas metadata read_parquet restores dtypes and index from")
    return pairs


def _as_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def _parquet_file_names(name_function: Any, offset: int, n: int) -> tuple:
    """Each partition's file name (empty: the default ``part.<i>.parquet``, numbered after ``offset``)."""
    if name_function is None:
        return tuple(f"part.{i + offset}.parquet" for i in range(n)) if offset else ()
    if not callable(name_function):
        raise ValueError("to_parquet: ``name_function`` must be a callable with one argument (the partition "
                         f"number), got {name_function!r}")
    names = tuple(name_function(i + offset) for i in range(n))
    bad = [name for name in names if not isinstance(name, str) or "/" in name]
    if bad:
        raise ValueError(f"to_parquet: name_function must return file names (strings without '/'), got {bad[0]!r}")
    if len(set(names)) < n:
        raise ValueError("to_parquet: ``name_function`` must produce unique filenames. One per partition: two "
                         "partitions with one name would keep only the last one's rows")
    return names


def _check_column_names(columns: Any) -> None:
    """Parquet stores column names as strings: pyarrow would name the column ``'0'`` and then fail inside a write
    task, looking for ``'0'`` among the partition's columns (dask refuses such names too)."""
    other = [name for name in columns if not isinstance(name, str)]
    if other:
        shown = ", ".join(f"{name!r} ({type(name).__name__})" for name in other[:5]) + (" ..." if other[5:] else "")
        raise ValueError(f"to_parquet: parquet stores string names only; non-string column names: {shown}. "
                         "Rename them first, e.g. df.rename(columns=str)")


def to_csv(df: Any, path: Any, single_file: bool = False, name_function: Callable[[int], str] | None = None,
           overwrite: bool = False, compute: bool = True, compute_kwargs: dict | None = None,
           storage_options: dict | None = None, backend: str | None = None,
           header_first_partition_only: bool | None = None, mode: str | None = None,
           compression: str | None = "infer", **kwargs: Any) -> Any:
    """Write a DataFrame as CSV: one file per partition, or one file.

    Parameters
    ----------
    df : DataFrame or Series
    path : str, path-like or list
        With ``single_file=True``, the file.  Otherwise a folder (files
        ``0.part``, ``1.part``, ...), a pattern with one ``*``
        (``"out/data-*.csv"``), replaced by ``name_function(i)`` (default: the
        number zero-padded to the width of the last one, ``00`` ... ``11`` for
        12 partitions, as dask), or a list of one path per partition, in one
        folder (partition ``i`` written to ``path[i]``; another length raises
        ``ValueError``).
    single_file : bool, default False
        Append all partitions, in order, to one file (header once).  A
        pattern's files are added to their folder, which may hold other
        files; a folder path (no ``*``) is a target of its own.
    overwrite : bool, default False
        Replace an existing non-empty target; without it, ``FileExistsError``.
    header_first_partition_only : bool, optional
        Write the header into the first file only (default: into every file;
        one file always has it once).
    mode : {"w", "x", "a"} (with "t"), optional
        dask's file mode: ``"w"`` replaces existing files (as
        ``overwrite=True``), ``"x"`` refuses them (the default), ``"a"``
        appends the partitions to the one file, or each partition to its own
        file (a missing file is created).  The files appended to are copied
        and moved back at the commit, so a failed write leaves them as they
        were.
    compression : str or None, default "infer"
        A codec for the files (``"gzip"``, ``"bz2"``, ...); ``"infer"``:
        from the file name's extension.
    compute, compute_kwargs, storage_options, backend
        As in :func:`to_parquet`.
    **kwargs
        Passed to ``pandas.DataFrame.to_csv`` (``index=``, ``sep=``...).

    Returns
    -------
    list of str or Scalar
        The files written (local paths absolute), as dask; with ``compute=False`` a lazy Scalar that writes,
        which is also dask's list of ``Delayed`` paths (``dask.compute(*job)``).

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> folder = tempfile.mkdtemp()
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3, 4]}), npartitions=2, backend="cpu")
    >>> [os.path.basename(p) for p in gd.to_csv(df, os.path.join(folder, "one.csv"), single_file=True, index=False)]
    ['one.csv']
    >>> print(open(os.path.join(folder, "one.csv")).read())
    x
    1
    2
    3
    4
    <BLANKLINE>
    """
    compute_kwargs = _scheduler_into_compute_kwargs(kwargs, compute_kwargs)
    if single_file and name_function is not None:
        raise ValueError("to_csv: name_function is not supported under the single file mode (single_file=True)")
    if single_file and header_first_partition_only is False:
        raise ValueError("to_csv: header_first_partition_only cannot be False in the single file mode "
                         "(one file has one header)")
    append, overwrite = _csv_mode(mode, single_file, overwrite)
    plan = file_plan(path, single_file, name_function or _padded_names(df.npartitions), df.npartitions, "to_csv")
    folder, pattern, name_function, names = plan.folder, plan.pattern, plan.name_function, plan.names
    if append and not single_file:  # each file appended to: the folder's other files stay
        names = [pattern.replace("*", name_function(i)) for i in range(df.npartitions)]
    if names is not None and mode is not None and "w" in mode:
        overwrite = True  # dask's mode="w": the pattern's files are replaced, the folder's others stay
    target = _start(df, folder, overwrite, storage_options, names, hint=" or mode='w'")
    library = None if backend is None else resolve_backend(backend)
    spec = bio.CsvWriteSpec(single_file, pattern, name_function, kwargs, library, bool(header_first_partition_only),
                            append, compression)
    job = LazyFileWrite(WriteCSV(df.expr, target, spec))
    paths = [_shown_path(folder)] if single_file else [
        _shown_path(f"{folder.rstrip('/')}/{pattern.replace('*', name_function(i))}") for i in range(df.npartitions)]
    if not compute:
        return job._with_paths(paths)
    _run(job, compute_kwargs)
    return paths


def _scheduler_into_compute_kwargs(kwargs: dict, compute_kwargs: dict | None) -> dict | None:
    """dask's deprecated ``to_csv(scheduler=...)``: warn and run the write with it (pandas would get it)."""
    if "scheduler" not in kwargs:
        return compute_kwargs
    scheduler = kwargs.pop("scheduler")
    warnings.warn("to_csv: scheduler= is deprecated (as in dask); pass compute_kwargs={'scheduler': ...}",
                  FutureWarning, stacklevel=3)
    if compute_kwargs and compute_kwargs.get("scheduler") not in (None, scheduler):
        raise ValueError(f"to_csv: differing schedulers given, scheduler={scheduler!r} and compute_kwargs="
                         f"{{'scheduler': {compute_kwargs['scheduler']!r}}}")
    return {**(compute_kwargs or {}), "scheduler": scheduler}


def _csv_mode(mode: str | None, single_file: bool, overwrite: bool) -> tuple[bool, bool]:
    """``(append, overwrite)`` for dask's ``mode=``: "a" appends to the one file or to each partition's file
    (each written as a copy, moved onto it at the commit), "w" replaces it."""
    if mode is None:
        return False, overwrite
    kind = mode.replace("t", "").replace("b", "").replace("+", "")
    if kind not in ("w", "x", "a"):
        raise ValueError(f"to_csv: mode must be 'w', 'x' or 'a' (with 't'), got {mode!r}")
    if kind == "x" and overwrite:
        raise ValueError("to_csv: mode='x' refuses an existing file; it contradicts overwrite=True")
    return kind == "a", overwrite or kind == "a" or (single_file and kind == "w")


def _padded_names(npartitions: int) -> Callable[[int], str]:
    """dask's default file names: the partition number, zero-padded to the width of the last one
    (``00`` ... ``11`` for 12 partitions), so the files sort in partition order."""
    width = len(str(max(npartitions - 1, 0)))
    return lambda i: str(i).zfill(width)


def _shown_path(path: str) -> str:
    """A written file as dask names it: local paths absolute, URLs as given."""
    return path if "://" in path else os.path.abspath(path)
