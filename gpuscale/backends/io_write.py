"""Writing partitions: one parquet or CSV file per partition into a temporary folder.

These functions run inside tasks.  The collection side builds the graph:
``prepare`` (create the temporary sibling) -> one ``write_*_part`` per
partition -> ``finish`` (rename into place).  Nothing here names the target
until ``finish``; a failure before it leaves only the temporary sibling,
which the caller removes.
"""

from __future__ import annotations

import posixpath
from typing import Any

from gpuscale.backends import _detect, io_fs

__all__ = [
    "prepare", "finish", "write_parquet_part", "write_csv_part", "parquet_schema", "WriteTarget", "open_target",
]


class WriteTarget:
    """Where a write goes: filesystem, final path, temporary sibling; picklable for workers."""

    def __init__(self, fs: Any, path: str, token: str, overwrite: bool) -> None:
        self.fs, self.path, self.overwrite = fs, path, overwrite
        self.temp = io_fs.temp_sibling(path, token)

    def __repr__(self) -> str:
        return f"WriteTarget({self.path!r})"

    def check(self) -> None:
        """Refuse a non-empty target unless overwriting (called before any task runs)."""
        io_fs.check_target(self.fs, self.path, self.overwrite)

    def cleanup(self) -> None:
        """Remove the temporary sibling (after a failure or an interrupt)."""
        io_fs.remove(self.fs, self.temp)


def open_target(path: Any, token: str, overwrite: bool, storage_options: dict | None = None) -> WriteTarget:
    """Resolve ``path`` (local or fsspec URL) into a :class:`WriteTarget`."""
    fs, (plain,) = io_fs.resolve_fs(path, storage_options)
    return WriteTarget(fs, plain, token, overwrite)


def prepare(target: WriteTarget, folder: bool = True) -> str:
    """Create the temporary folder (or the folder of the temporary file); first task of a write."""
    io_fs.make_dir(target.fs, target.temp if folder else posixpath.dirname(target.temp) or ".")
    return target.temp


def finish(target: WriteTarget, *written: Any) -> None:
    """Last task of a write: move the complete temporary sibling onto the target."""
    io_fs.commit(target.fs, target.temp, target.path, target.overwrite)


# -- parquet --------------------------------------------------------------------------
def parquet_schema(meta: Any, write_index: bool) -> Any:
    """One Arrow schema for every part (from the collection's meta), or None if meta cannot fix one."""
    import pyarrow as pa

    if _detect.is_cudf_object(meta):
        return None
    try:
        schema = pa.Schema.from_pandas(meta, preserve_index=write_index)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    return None if any(pa.types.is_null(f.type) for f in schema) else schema


def write_parquet_part(frame: Any, temp: str, target: WriteTarget, number: int, write_index: bool,
                       schema: Any, partition_on: tuple, options: dict) -> int:
    """Write one partition as ``part.<number>.parquet`` (under ``key=value`` folders with partition_on)."""
    if not partition_on:
        _write_parquet_file(frame, target.fs, f"{temp}/part.{number}.parquet", write_index, schema, options)
        return len(frame)
    for folder, group in _hive_groups(frame, partition_on):
        target.fs.makedirs(f"{temp}/{folder}", exist_ok=True)
        _write_parquet_file(group, target.fs, f"{temp}/{folder}/part.{number}.parquet", write_index, None, options)
    return len(frame)


def _hive_groups(frame: Any, partition_on: tuple) -> list[tuple[str, Any]]:
    keys = list(partition_on)
    groups = []
    for values, group in frame.groupby(keys, sort=True, observed=True, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        folder = "/".join(f"{k}={v}" for k, v in zip(keys, values))
        groups.append((folder, group.drop(columns=keys)))
    return groups


def _write_parquet_file(frame: Any, fs: Any, path: str, write_index: bool, schema: Any, options: dict) -> None:
    with fs.open(path, "wb") as handle:
        if _detect.is_cudf_object(frame):  # cuDF writes from device memory itself
            frame.to_parquet(handle, index=write_index, **options)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=write_index)
        pq.write_table(table, handle, **options)


# -- csv ----------------------------------------------------------------------------------
def write_csv_part(frame: Any, temp: str, target: WriteTarget, name: str, header: bool, options: dict,
                   *previous: Any) -> str:
    """Write one partition as CSV to ``<temp>/<name>``, or append it to the temporary file if no name.

    ``previous`` is the preceding part's result when appending to one file, so
    appends happen in partition order.
    """
    path = f"{temp}/{name}" if name else temp
    mode = "ab" if previous else "wb"
    text = frame.to_csv(header=header, **options)
    with target.fs.open(path, mode) as handle:
        handle.write(text.encode(options.get("encoding") or "utf-8"))
    return path
