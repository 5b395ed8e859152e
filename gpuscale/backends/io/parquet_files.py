"""What a parquet write does with the files it wrote, before its commit: columns that the metadata could not
type settled to the type the other files have, and the ``_metadata`` / ``_common_metadata`` footer files."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import _detect
from gpuscale.backends.io import fs as io_fs

__all__ = ["PARQUET_SUFFIXES", "untyped_columns", "settle_null_columns", "write_metadata_files", "merged_footers",
           "write_metadata"]

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")


def untyped_columns(meta: Any, write_index: bool) -> tuple:
    """The columns (and index levels) of a pandas ``meta`` whose Arrow type comes out as null: object columns,
    whose type only their values tell.  Empty for other libraries and where Arrow refuses the meta."""
    if not _detect.is_pandas_object(meta):
        return ()
    import pyarrow as pa

    try:
        schema = pa.Schema.from_pandas(meta, preserve_index=write_index)
    except (pa.ArrowException, TypeError, ValueError):
        return ()
    return tuple(f.name for f in schema if pa.types.is_null(f.type))


def settle_null_columns(fs: Any, folder: str, columns: tuple, options: dict) -> list[str]:
    """Give each of ``columns`` that some files under ``folder`` store as Arrow's null type (an object column
    of a partition that is empty or all missing: no value to type it by) the one type the other files store it
    as, rewriting those files; return their paths.

    pyarrow, pandas and dask read a dataset with its first file's schema and cannot cast a string column to
    null: a filter that empties the first partition would otherwise leave a dataset they cannot read.  A column
    null everywhere, or stored as different types, is left as it is.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = {}
    for path in io_fs.expand_paths(fs, [folder], PARQUET_SUFFIXES)[0]:
        with fs.open(path, "rb") as handle:
            schemas[path] = pq.read_schema(handle)
    types: dict = {}
    for schema in schemas.values():
        for f in schema:
            if f.name in columns and not pa.types.is_null(f.type):
                types.setdefault(f.name, set()).add(f.type)
    rewritten = []
    for path, schema in schemas.items():
        target = schema
        for i, f in enumerate(schema):
            if pa.types.is_null(f.type) and len(types.get(f.name, ())) == 1:
                target = target.set(i, f.with_type(next(iter(types[f.name]))))
        if target is schema:
            continue
        with fs.open(path, "rb") as handle:
            table = pq.read_table(handle).cast(target)  # (null casts to any type)
        with fs.open(path, "wb") as handle:
            pq.write_table(table, handle, **options)
        rewritten.append(path)
    return rewritten


def write_metadata_files(fs: Any, folder: str) -> None:
    """Write ``_metadata`` (every data file's row groups, with their relative paths) and ``_common_metadata``
    (the schema) into ``folder``, as dask and Spark readers expect them.

    Raises
    ------
    ValueError
        If two files have different schemas (one ``_metadata`` cannot describe both); the file is named.
    """
    root = folder.rstrip("/")
    write_metadata(fs, root, merged_footers(fs, io_fs.expand_paths(fs, [root], PARQUET_SUFFIXES)[0], root))


def merged_footers(fs: Any, files: list[str], root: str) -> Any:
    """One ``pyarrow.parquet.FileMetaData`` holding the row groups of every file, each with its path relative
    to ``root``.

    Raises
    ------
    ValueError
        If a file is not under ``root``, or has another schema than the first file (the file is named).
    """
    import pyarrow.parquet as pq

    root = root.rstrip("/")
    merged = None
    for path in files:
        if not path.startswith(root + "/"):
            raise ValueError(f"parquet file {path!r} is not under the dataset's folder {root!r}")
        with fs.open(path, "rb") as handle:
            footer = pq.read_metadata(handle)
        footer.set_file_path(path[len(root) + 1:])
        if merged is None:
            merged = footer
            continue
        try:
            merged.append_row_groups(footer)
        except RuntimeError as error:
            raise ValueError(f"cannot write _metadata: {path!r} has another schema than the dataset's first "
                             f"file ({error}); write every file with one schema (to_parquet's schema=)") from None
    if merged is None:
        raise ValueError(f"no parquet files to describe under {root!r}")
    return merged


def write_metadata(fs: Any, folder: str, merged: Any) -> None:
    """Write ``merged`` footers as ``<folder>/_metadata`` and their schema as ``<folder>/_common_metadata``."""
    import pyarrow.parquet as pq

    root = folder.rstrip("/")
    with fs.open(f"{root}/_metadata", "wb") as handle:
        merged.write_metadata_file(handle)
    with fs.open(f"{root}/_common_metadata", "wb") as handle:
        pq.write_metadata(merged.schema.to_arrow_schema(), handle)
