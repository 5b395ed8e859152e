"""The parquet dataset ``to_parquet(append=True)`` adds to: its files, schema and where its index ends, and
the checks that the appended partitions fit it (columns, types, index order)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from gpuscale.backends.convert import to_host
from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.parquet_files import PARQUET_SUFFIXES

__all__ = ["ExistingParquet", "existing_parquet", "check_append", "retype_null_columns"]


@dataclass(frozen=True)
class ExistingParquet:
    """The parquet dataset an append adds to: its data files, schema and where its index ends."""

    files: tuple
    schema: Any  # Arrow schema of its _metadata file, else of its last file
    has_metadata_file: bool
    index_end: Any  # largest value of its stored index if its row groups are in index order, else None

    @property
    def next_number(self) -> int:
        """The first partition number of appended files: the file count (as dask), or past the highest
        ``part.<n>.parquet`` if the numbers have gaps (a count would reuse a name and replace that file)."""
        import re

        numbers = [int(m.group(1)) for m in (re.fullmatch(r"part\.(\d+)\.parquet", posixpath.basename(f))
                                             for f in self.files) if m]
        return max([len(self.files), *(n + 1 for n in numbers)])

    def taken(self, names: tuple) -> list[str]:
        """Those of ``names`` some file of the dataset already has (moving the new file in would replace it)."""
        have = {posixpath.basename(f) for f in self.files}
        return [name for name in names if name in have]


def existing_parquet(target: Any, index_order: bool = True) -> ExistingParquet | None:
    """The dataset at ``target`` (None if there is none: then an append writes a new one).

    Its footers come from its ``_metadata`` file if it has one (one read); otherwise from its last file,
    or, with ``index_order`` (the append checks where the index ends), from every file.
    """
    import pyarrow.parquet as pq

    fs, root = target.fs, target.path.rstrip("/")
    if not fs.isdir(root):
        return None
    try:
        files = io_fs.expand_paths(fs, [root], PARQUET_SUFFIXES)[0]
    except FileNotFoundError:
        return None
    has_metadata = fs.exists(f"{root}/_metadata")
    sources = [f"{root}/_metadata"] if has_metadata else files if index_order else files[-1:]
    footers = []
    for path in sources:
        with fs.open(path, "rb") as handle:
            footers.append(pq.read_metadata(handle))
    schema = footers[-1].schema.to_arrow_schema()
    end = _index_end(footers, schema) if index_order else None
    return ExistingParquet(tuple(files), schema, has_metadata, end)


def _index_end(footers: list, schema: Any) -> Any:
    """The stored index column's largest value, if its row groups follow one another (None otherwise)."""
    index = [c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)]
    if len(index) != 1:
        return None
    end = None
    for footer in footers:
        names = footer.schema.to_arrow_schema().names
        if index[0] not in names:
            return None
        position = names.index(index[0])
        for i in range(footer.num_row_groups):
            stats = footer.row_group(i).column(position).statistics
            if footer.row_group(i).num_rows == 0:
                continue
            if stats is None or not stats.has_min_max or (end is not None and stats.min <= end):
                return None  # no statistics, or the row groups overlap: nothing is known about the order
            end = stats.max
    return end


def check_append(existing: ExistingParquet, meta: Any, write_index: bool, partition_on: tuple,
                 first_division: Any) -> None:
    """Refuse an append whose columns or types differ from the dataset's, or (``first_division`` not None)
    whose index starts at or before the dataset's last index value.

    Raises
    ------
    ValueError
        "Appended columns not the same", "Appended dtypes differ", or "... overlap with previously written
        divisions", naming both sides.
    """
    import pyarrow as pa

    new = pa.Schema.from_pandas(to_host(meta), preserve_index=write_index)
    names = [n for n in new.names if n not in partition_on]
    old = [n for n in existing.schema.names if n not in partition_on]
    if set(names) != set(old):
        raise ValueError(f"to_parquet: Appended columns not the same as the dataset's.\nPrevious: {old} | "
                         f"New: {names}")
    differ = [(n, existing.schema.field(n).type, new.field(n).type) for n in names
              if not _same_stored_type(existing.schema.field(n).type, new.field(n).type)]
    if differ:
        shown = ", ".join(f"{n}: {a} before, {b} now" for n, a, b in differ)
        raise ValueError(f"to_parquet: Appended dtypes differ from the dataset's ({shown})")
    if first_division is not None and existing.index_end is not None and first_division <= existing.index_end:
        raise ValueError(
            "to_parquet: the divisions of the appended dataframe overlap with previously written divisions: "
            f"the dataset's index ends at {existing.index_end!r}, the new data start at {first_division!r}. "
            "Pass ignore_divisions=True to append anyway")


def _same_stored_type(old: Any, new: Any) -> bool:
    """Whether a column stored as ``old`` takes partitions whose meta gives ``new`` (an empty object column of
    the meta gives Arrow's null type: any type then; a column the dataset holds only missing values of was
    stored with the null type, which any type fits: the new files keep their type, as dask's)."""
    import pyarrow as pa

    t = pa.types
    if t.is_null(new) or t.is_null(old) or old == new:
        return True
    if t.is_dictionary(old) and t.is_dictionary(new):
        return True  # categories: values are checked by the reader
    text = (t.is_string, t.is_large_string, t.is_string_view)
    return any(f(old) for f in text) and any(f(new) for f in text)



def retype_null_columns(fs: Any, root: str, temp: str, existing: Any, options: dict) -> None:
    """Before appended files (under ``temp``) join the dataset at ``root``: its files storing a column with
    Arrow's null type (only missing values were written) that the new files store with a type are rewritten
    with that type (a cast of missing values, nothing lost), so every file of the dataset has one schema
    (pyarrow's datasets, and so pandas, take the first file's and cannot cast a string to null; a
    ``_metadata`` file needs equal schemas)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    nulls = [f.name for f in existing if pa.types.is_null(f.type)] if existing is not None else []
    if not nulls:
        return
    typed: dict = {}
    for path in fs.find(temp):
        if path.endswith(PARQUET_SUFFIXES):
            with fs.open(path, "rb") as handle:
                schema = pq.read_schema(handle)
            for name in nulls:
                if name in schema.names and not pa.types.is_null(schema.field(name).type):
                    typed.setdefault(name, schema.field(name).type)
    if typed:
        for path in io_fs.expand_paths(fs, [root], PARQUET_SUFFIXES)[0]:
            _retype_file(fs, path, typed, options)


def _retype_file(fs: Any, path: str, typed: dict, options: dict) -> None:
    """Rewrite one file with its null-typed columns of ``typed`` given those types (written beside it, then
    moved over it: the file is whole at every moment)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as handle:
        schema = pq.read_schema(handle)
    changes = {n: k for n, k in typed.items() if n in schema.names and pa.types.is_null(schema.field(n).type)}
    if not changes:
        return
    with fs.open(path, "rb") as handle:
        table = pq.ParquetFile(handle).read()
    for name, kind in changes.items():
        position = schema.get_field_index(name)
        schema = schema.set(position, schema.field(position).with_type(kind))
    with fs.open(f"{path}.retyped", "wb") as handle:
        pq.write_table(table.cast(schema), handle, **options)
    fs.mv(f"{path}.retyped", path)
