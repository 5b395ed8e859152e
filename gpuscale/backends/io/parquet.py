"""Parquet reading with pyarrow datasets: discovery, pushdown, partition planning, partition reads.

Planning (on the client) reads only footers: it opens the files as one
pyarrow dataset (hive partitions included), prunes files by their partition
values and row groups by their min/max statistics against the filter, and
groups the surviving row groups into partitions of about ``partition_bytes``
(uncompressed size of the selected columns, from the footers).  Each partition
is then read by one task: only its row groups, only the needed columns, and
the filter applied again exactly to the rows.
"""

from __future__ import annotations

import functools
import posixpath
from typing import Any

from gpuscale.backends.io import fs as io_fs
from gpuscale.backends.io.frames import table_to_frame, unknown_columns_error
from gpuscale.backends.io.parquet_read import (
    FileChangedError, IndexPlan, ParquetPartition, ParquetReadSpec, index_frame_options, read_columns,
    read_parquet_partition, row_groups_of,
)
from gpuscale.backends.io.parquet_hive import HIVE_NULL, discovered_partitioning
from gpuscale.backends.io.parquet_plan import file_boundary, group_by_bytes, group_by_count, parallel_target
from gpuscale.backends.io.parquet_schema import dataset_schema, unify_file_schemas
from gpuscale.backends.io.parquet_stats import (
    ColumnRef, comparable_columns, dnf_expression, exact_in_column, filter_columns, integer_or_boolean, is_midnight,
    null_counts, pandas_term, partition_bounds, pushable_membership, row_group_column_sizes, same_kind, selected_bytes,
)

__all__ = [
    "ParquetDataset", "ParquetPartition", "ParquetReadSpec", "IndexPlan", "open_parquet", "read_parquet_partition",
    "row_groups_of", "filter_columns", "unify_file_schemas", "INFER_SCHEMA_MAX_FILES", "FileChangedError",
]

_SUFFIXES = (".parquet", ".parq", ".pq")


class ParquetDataset:
    """A discovered parquet dataset: files, schema, hive partitions (footers read lazily).

    Its token names the files, their sizes and modification times, so a plan
    on changed files gets a new name; ``stamps`` keeps each file's size and
    modification time, which every read task checks before reading.
    """

    def __init__(self, dataset: Any, token: str, schema: Any = None, stamps: dict | None = None) -> None:
        self.dataset = dataset
        self._token = token
        self.stamps = stamps or {}  # path -> (size, mtime_ns) when read_parquet looked at the files
        # the schema partitions are read with: pyarrow's (the first file's) or one unified over the files
        self.schema = dataset.schema if schema is None else schema

    def __gpuscale_tokenize__(self) -> str:
        return self._token

    def __repr__(self) -> str:
        return f"ParquetDataset({len(self.dataset.files)} files)"

    @functools.cached_property
    def _pandas_metadata(self) -> dict:
        return self.schema.pandas_metadata or {}

    @functools.cached_property
    def stored_index_columns(self) -> tuple[str, ...]:
        """Index columns written by pandas (named or ``__index_level_N__``)."""
        return tuple(c for c in self._pandas_metadata.get("index_columns", []) if isinstance(c, str))

    @functools.cached_property
    def stored_categoricals(self) -> tuple[str, ...]:
        """Columns pandas wrote as categoricals that Arrow reads back as plain values (parquet keeps only
        text as dictionaries: a categorical of numbers came back as numbers)."""
        kinds = {f.name: f.type for f in self.schema}
        return tuple(c["name"] for c in self._pandas_metadata.get("columns", [])
                     if c.get("pandas_type") == "categorical" and c.get("name") in kinds
                     and not _is_dictionary(kinds[c["name"]]))

    @functools.cached_property
    def range_index(self) -> dict | None:
        """The RangeIndex description in the pandas metadata, if the index was not stored."""
        ranges = [c for c in self._pandas_metadata.get("index_columns", []) if isinstance(c, dict)]
        return ranges[0] if len(ranges) == 1 and ranges[0].get("kind") == "range" else None

    @functools.cached_property
    def columns(self) -> list[str]:
        """Data columns (index columns excluded), in file order; hive partition keys last."""
        return [n for n in self.schema.names if n not in self.stored_index_columns]

    def check_columns(self, names: list, what: str) -> None:
        """Raise ``KeyError`` naming unknown columns and listing the available ones."""
        unknown_columns_error(names, self.schema.names, what)

    def filter_expression(self, groups: list | None, pushed: list | None = None) -> Any:
        """The pyarrow expression of user ``groups`` (DNF, pyarrow semantics) AND ``pushed`` terms, or None.

        ``pushed`` are conjuncts the optimizer moved from a pandas boolean
        mask; they keep pandas semantics (``!=`` keeps missing values).
        """
        self.check_columns(sorted(filter_columns(groups, pushed)), "filters=")
        parts = []
        if groups:
            parts.append(dnf_expression(groups))
        parts.extend(pandas_term(self._stored_term(term)) for term in pushed or [])
        return functools.reduce(lambda a, b: a & b, parts) if parts else None

    def _stored_term(self, term: tuple) -> tuple:
        """``term`` with a midnight Timestamp compared with a date column as its date (see :meth:`pushable`), so
        pyarrow prunes row groups by the column's statistics (it compares a date with a timestamp exactly, but
        skips no row group then)."""
        import pyarrow as pa

        import numpy as np
        import pandas as pd

        column, op, value = term
        if isinstance(value, np.datetime64):  # (pyarrow takes a day's datetime64 as a date)
            value = pd.Timestamp(value)
        kind = self.schema.field(column).type if column in self.schema.names else None
        if kind is not None and pa.types.is_date(kind) and is_midnight(value):
            return column, op, value.date()
        if op == "in" and kind is not None and pa.types.is_floating(kind) and any(v == 0 for v in value):
            return column, op, [*value, -0.0]  # (pyarrow's is_in tells -0.0 from 0.0 apart; pandas does not)
        return column, op, value

    def pushable(self, term: tuple, backend: str = "pandas") -> bool:
        """True if pyarrow compares ``term``'s value with its column exactly as the partitions of ``backend``
        would."""
        import pyarrow as pa

        column, op, value = term
        op = "!=" if op == "!=na" else op
        if column not in self.schema.names:
            return False
        kind = self.schema.field(column).type
        if isinstance(value, ColumnRef):
            names = self.schema.names
            return value.name in names and comparable_columns(kind, self.schema.field(value.name).type, op)
        if op == "in":  # from ``isin``: every value must compare as pandas would
            return pushable_membership(kind, value) and all(exact_in_column(kind, v) for v in value)
        if not exact_in_column(kind, value):
            return False
        if op == "!=" and pa.types.is_floating(kind.value_type if pa.types.is_dictionary(kind) else kind):
            return False  # NaN != x holds, but statistics leave NaN out ([1.0, NaN]: min = max = 1.0, skipped)
        if pa.types.is_dictionary(kind):  # categorical: pandas orders only ordered categories
            return op in ("==", "!=") and same_kind(kind.value_type, value)
        if backend == "cudf" and pa.types.is_date(kind) and is_midnight(value):
            return True  # cuDF has dates as datetime64[s] midnights: they compare with a midnight as with its date
        return same_kind(kind, value)

    def index_plan(self, index: Any) -> IndexPlan:
        """Decide how partitions get their index (``index=None``: as pandas wrote it; a list of several
        columns: a MultiIndex)."""
        if isinstance(index, (list, tuple)):
            index = (index[0] if len(index) == 1 else tuple(index)) if index else False
        if isinstance(index, (str, tuple)):
            self.check_columns(list(index) if isinstance(index, tuple) else [index], "index=")
            return IndexPlan(set_column=index)
        if index is None and self.stored_index_columns:
            return IndexPlan(columns=self.stored_index_columns, range_levels=self._range_levels())
        start, step, name = self._range_parameters(index)
        return IndexPlan(range_start=start, range_step=step, range_name=name, use_range=True)

    def _range_levels(self) -> tuple:
        """``(level, start, step, name)`` of the MultiIndex levels pandas stored as range descriptions, where
        the range holds a label per row of the dataset (pyarrow drops them otherwise, as pandas' read does)."""
        described = self._pandas_metadata.get("index_columns", [])
        levels = tuple((i, d["start"], d["step"], d.get("name")) for i, d in enumerate(described)
                       if isinstance(d, dict) and d.get("kind") == "range"
                       and len(range(d["start"], d["stop"], d["step"])) == self.num_rows)
        return levels if len(described) > 1 else ()

    def _range_parameters(self, index: Any) -> tuple[int, int, Any]:
        described = self.range_index if index is None else None
        if described and len(range(described["start"], described["stop"], described["step"])) == self.num_rows:
            return described["start"], described["step"], described.get("name")
        return 0, 1, None

    @functools.cached_property
    def num_rows(self) -> int:
        return sum(rg.num_rows for frag in self._fragments for rg in frag.row_groups)

    def column_bytes(self, columns: list[str]) -> int:
        """Estimated in-memory bytes of ``columns`` over all the row groups (as ``plan`` sizes row groups),
        from the footers; computed once per column selection."""
        known = self.__dict__.setdefault("_column_bytes", {})
        key = tuple(columns)
        if key not in known:
            wanted = set(columns)
            known[key] = sum(self._group_bytes(fragment, g.id, wanted)
                             for fragment in self._fragments for g in fragment.row_groups)
        return known[key]

    def _group_bytes(self, fragment: Any, group: int, wanted: set) -> int:
        """Estimated in-memory bytes of the ``wanted`` columns of row group ``group`` of ``fragment``'s file.

        The sizes per column are read from the footer once per row group: each read of a column's footer
        entry makes a Python object, and every plan (several per query) sizes every row group again."""
        sizes = self.__dict__.setdefault("_group_column_bytes", {})
        key = (fragment.path, group)
        if key not in sizes:
            sizes[key] = row_group_column_sizes(fragment.metadata.row_group(group), fragment.physical_schema)
        return selected_bytes(*sizes[key], wanted)

    @functools.cached_property
    def _fragments(self) -> list:
        fragments = list(self.dataset.get_fragments())
        for fragment in fragments:
            fragment.ensure_complete_metadata()  # footers read once per dataset
        return fragments

    @functools.cached_property
    def _offsets(self) -> dict:
        """Global row position of the first row of every row group, by ``(file, row group id)``."""
        offsets, position = {}, 0
        for fragment in self._fragments:
            for group in fragment.row_groups:
                offsets[(fragment.path, group.id)] = position
                position += group.num_rows
        return offsets

    def plan(self, columns: list[str], groups: list | None, pushed: list | None, partition_bytes: int,
             split: Any = None, aggregate: Any = None) -> list[ParquetPartition]:
        """Group the row groups that may match the filters into partitions.

        ``split`` is ``read_parquet``'s ``split_row_groups``: None, ``"infer"``
        or ``"adaptive"`` (partitions of ~``partition_bytes``), True (one row
        group each), an int n (n row groups of one file at most; with
        ``aggregate`` True, of consecutive files), False (one file each).
        ``aggregate`` is its ``aggregate_files``: True (a partition by size
        may span files), None or False (not: dask's default), or a hive key
        (only files under the same folder of that key).
        """
        self.check_columns(columns, "columns=")
        expression = self.filter_expression(groups, pushed)
        scanned = [*columns, *sorted(filter_columns(groups, pushed) - set(columns))]  # all are in memory at once
        wanted = set(scanned)
        pieces = [(piece, self._group_bytes(piece, piece.row_groups[0].id, wanted),
                   self._offsets[(piece.path, piece.row_groups[0].id)])
                  for piece in self._row_groups(expression)]
        empty = [ParquetPartition((), (), 0)]
        if split is None or isinstance(split, str):
            target = parallel_target(sum(size for _, size, _ in pieces), partition_bytes)
            return group_by_bytes(pieces, target, self.stamps, file_boundary(aggregate)) or empty
        per = None if split is False else int(split)
        return group_by_count(pieces, per, self.stamps, per is not None and aggregate is True) or empty

    def _row_groups(self, expression: Any) -> list:
        # split_by_row_group with a filter drops row groups whose statistics (or
        # hive partition values) cannot match it
        pieces = []
        for fragment in self._fragments:
            if expression is None:
                pieces.extend(fragment.split_by_row_group())
            else:
                pieces.extend(fragment.split_by_row_group(filter=expression, schema=self.schema))
        return [p for p in pieces if p.row_groups and p.row_groups[0].num_rows > 0]

    def columns_with_nulls(self, partitions: list | None, columns: list[str]) -> tuple[str, ...]:
        """The integer and boolean ``columns`` holding a null in a row group of ``partitions`` (None: of the
        whole dataset), by the footers' null counts (a file lacking the column holds nulls there; a count the
        writer did not record counts as none).  pandas reads such a column as float64 (booleans as objects)."""
        wanted = {name for name in columns if name in self._columns_with_nulls_anywhere}
        if not wanted or partitions is None:  # (the common case, no null at all: one pass per dataset)
            return tuple(name for name in columns if name in wanted)
        found: set = set()
        for piece in (piece for partition in partitions for piece in partition.fragments):
            found |= self._group_columns_with_nulls(piece, piece.row_groups[0].id) & wanted
            if found == wanted:
                break
        return tuple(name for name in columns if name in found)

    @functools.cached_property
    def _columns_with_nulls_anywhere(self) -> frozenset:
        """The integer and boolean columns holding a null in some row group of the dataset."""
        found: set = set()
        for fragment in self._fragments:
            for group in fragment.row_groups:
                found |= self._group_columns_with_nulls(fragment, group.id)
                if len(found) == len(self._nullable_numbers) + len(self._hive_numbers):
                    return frozenset(found)
        return frozenset(found)

    @functools.cached_property
    def _nullable_numbers(self) -> frozenset:
        """The dataset's integer and boolean columns read from the files (hive keys are not)."""
        return frozenset(field.name for field in self.schema
                         if integer_or_boolean(field.type) and field.name not in self.hive_columns)

    @functools.cached_property
    def _hive_numbers(self) -> frozenset:
        """The dataset's integer and boolean hive keys (null in a ``__HIVE_DEFAULT_PARTITION__`` folder only)."""
        return frozenset(field.name for field in self.schema
                         if integer_or_boolean(field.type) and field.name in self.hive_columns)

    def _group_columns_with_nulls(self, fragment: Any, group: int) -> frozenset:
        """The integer and boolean columns holding a null in one row group (or absent from its file), from the
        footer read once per row group, as the sizes are (a plan asks again for every projection it tries)."""
        known = self.__dict__.setdefault("_group_nulls", {})
        key = (fragment.path, group)
        if key not in known:
            import pyarrow as pa

            stored = fragment.physical_schema
            row_group = fragment.metadata.row_group(group)
            counts = null_counts(row_group, self._nullable_numbers)
            # (a column pandas wrote of Nones only is of Arrow's null type there: all nulls, no statistics)
            known[key] = frozenset(name for name in self._nullable_numbers
                                   if name not in stored.names or counts.get(name)
                                   or (pa.types.is_null(stored.field(name).type) and row_group.num_rows > 0)) \
                | frozenset(name for name in self._hive_numbers if f"{name}={HIVE_NULL}" in fragment.path)
        return known[key]

    def sorted_index_divisions(self, partitions: list, index: IndexPlan, dtype: Any = None) -> tuple | None:
        """Divisions from footer min/max of a single stored numeric, string or (``dtype``, the index's pandas
        dtype, a datetime64 one) timestamp or date index column, if sorted."""
        column = index.set_column or (index.columns[0] if len(index.columns) == 1 else None)
        if not isinstance(column, str) or not partitions[0].fragments:
            return None
        bounds = [partition_bounds(p, column, dtype) for p in partitions]
        if None in bounds or any(a[1] >= b[0] for a, b in zip(bounds, bounds[1:])):
            return None  # statistics missing, or partitions overlap (index not sorted)
        return tuple(lo for lo, _ in bounds) + (bounds[-1][1],)

    @functools.cached_property
    def hive_columns(self) -> tuple[str, ...]:
        """Columns that come from ``key=value`` folder names, not from the files."""
        partitioning = getattr(self.dataset, "partitioning", None)
        if partitioning is None:
            return ()
        # without key folders pyarrow's partitioning holds the file schema, with no values found; a partitioning
        # given a schema finds no values either (it infers no dictionary): its keys are those the files lack
        stored = self._first_file_columns
        return tuple(field.name for field, values in zip(partitioning.schema, partitioning.dictionaries)
                     if values is not None or field.name not in stored)

    @functools.cached_property
    def _first_file_columns(self) -> frozenset:
        """The columns stored in the dataset's first file (its footer's schema)."""
        fragment = next(iter(self.dataset.get_fragments()), None)
        return frozenset(self.schema.names if fragment is None else fragment.physical_schema.names)

    @functools.cached_property
    def null_hive_categories(self) -> tuple:
        """``((column, (value, ...)), ...)``: the categories of each categorical hive key that also has a
        ``__HIVE_DEFAULT_PARTITION__`` folder (a read task gives its rows these categories); () for none."""
        partitioning = getattr(self.dataset, "partitioning", None)
        if partitioning is None or not any(f"={HIVE_NULL}" in path for path in self.dataset.files):
            return ()
        return tuple((field.name, tuple(values.to_pylist()))
                     for field, values in zip(partitioning.schema, partitioning.dictionaries or ())
                     if values is not None)

    @property
    def fsspec_filesystem(self) -> Any:
        """The fsspec filesystem of a non-local dataset (None for local files, which cuDF opens itself)."""
        handler = getattr(self.dataset.filesystem, "handler", None)
        return getattr(handler, "fs", None)

    def cudf_reader_problem(self, columns: list[str]) -> str | None:
        """Why ``cudf.read_parquet`` cannot read ``columns`` as the Arrow path does (None: it can).

        cuDF's reader reads each file's columns as the file stores them; the
        Arrow path reads every file as the dataset's schema (unified over the
        files, or the ``schema=`` given), which fills a column a file lacks
        with nulls and widens types.  A dataset whose files differ from its
        schema in the columns read is therefore read with Arrow.
        """
        stored = [c for c in columns if c not in self.hive_columns]
        nulls = [c for c in columns if c in self._hive_numbers and c in self._columns_with_nulls_anywhere]
        if nulls:  # (a discovered key is categorical: its null is a missing category)
            return (f"hive key {nulls[0]!r} of the partitioning's schema has a {HIVE_NULL} folder (its nulls "
                    "are made by the Arrow dataset)")
        for fragment in self._fragments:
            physical = fragment.physical_schema
            for name in stored:
                if name not in physical.names:
                    return (f"file {fragment.path!r} has no column {name!r} (read as nulls by the dataset's "
                            "schema; cuDF's reader would refuse or drop it)")
                if physical.field(name).type != self.schema.field(name).type:
                    return (f"file {fragment.path!r} stores column {name!r} as {physical.field(name).type}, "
                            f"the dataset reads it as {self.schema.field(name).type} (cuDF's reader keeps each "
                            "file's type)")
        return None

    def row_group_count(self) -> int:
        """All row groups in the dataset (to compare with what a plan reads)."""
        return sum(frag.num_row_groups for frag in self._fragments)

    def meta(self, columns: list[str], index: IndexPlan, backend: str, conversion: dict | None = None) -> Any:
        """An empty frame with the columns and dtypes a partition read produces (``conversion``: the
        read's ``to_pandas`` / ``dtype_backend`` options)."""
        table = self._empty_table().select(read_columns(columns, index))
        frame = table_to_frame(table, {**index_frame_options(index, 0), **(conversion or {})}, backend)
        return self._categories_unknown(frame)

    def _categories_unknown(self, frame: Any) -> Any:
        """``frame`` with its stored dictionary (categorical) columns' categories unknown, as dask's: each file
        holds its own dictionary, unknown until read (the empty table's categories were an empty known list);
        hive columns keep theirs (every folder's value is known)."""
        import pyarrow as pa

        from gpuscale.backends.frame.categorical import is_categorical, with_unknown_categories

        partitioning = getattr(self.dataset, "partitioning", None)
        hive = {name for name, values in zip(partitioning.schema.names, partitioning.dictionaries or ())
                if values is not None} if partitioning is not None else set()
        columns = [c for c in getattr(frame, "columns", []) if c in self.schema.names and c not in hive
                   and pa.types.is_dictionary(self.schema.field(c).type) and is_categorical(frame[c].dtype)]
        return with_unknown_categories(frame, columns) if columns else frame

    def _empty_table(self) -> Any:
        """A zero-row table of the schema; hive columns keep their categories (all values found)."""
        import pyarrow as pa

        table = self.schema.empty_table()
        partitioning = getattr(self.dataset, "partitioning", None)
        if partitioning is None or not partitioning.dictionaries:
            return table
        for field, values in zip(partitioning.schema, partitioning.dictionaries):
            if values is not None and pa.types.is_dictionary(field.type):
                empty = pa.DictionaryArray.from_arrays(pa.array([], type=field.type.index_type), values)
                table = table.set_column(table.schema.get_field_index(field.name), field.name, empty)
        return table


def open_parquet(path: Any, storage_options: dict | None = None, schema: Any = None,
                 suffixes: tuple[str, ...] | None = _SUFFIXES, partitioning: Any = None) -> ParquetDataset:
    """Discover the parquet files at ``path`` (file, folder, glob, URL or list) as one dataset.

    Parameters
    ----------
    path : str, path-like or list
        What ``read_parquet`` was given.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    schema : None, "infer", "first" or pyarrow.Schema, optional
        The dataset's schema: unified from every file's footer (``"infer"``),
        the first file's (``"first"``), the one given, or (None) ``"infer"``
        for at most :data:`INFER_SCHEMA_MAX_FILES` files on a local disk and
        ``"first"`` otherwise.
    suffixes : tuple of str or None, optional
        The data files of a folder, if any of its files end so (None: every
        file but hidden ones and ``_``-prefixed side files).
    partitioning : dict or pyarrow Partitioning, optional
        Keywords of ``pyarrow.dataset.partitioning`` (``{"flavor": "hive",
        "schema": ...}``: hive keys of the given types, not categoricals), or
        a pyarrow ``Partitioning`` / ``PartitioningFactory``; None: hive keys
        discovered as categoricals, as pandas does.

    Raises
    ------
    FileNotFoundError
        Naming the path that matches no file.
    ValueError
        When inferring, if two files store a column as types that do not
        widen to one (the column, both types and both files are named).
    """
    import pyarrow.dataset as ds

    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, base = _data_files(fs, paths, tuple(suffixes or ()))
    filesystem = _arrow_filesystem(fs)
    if partitioning is None:
        partitioning = discovered_partitioning(files, filesystem, base)
    elif isinstance(partitioning, dict):
        partitioning = ds.partitioning(**partitioning)
    dataset = ds.dataset(files, format="parquet", filesystem=filesystem, partitioning=partitioning,
                         partition_base_dir=base)
    stamps = _file_stamps(filesystem, dataset.files)  # before any footer is read
    chosen = dataset_schema(dataset, _schema_policy(schema, fs, len(files)))
    return ParquetDataset(dataset, _files_token(fs, files, chosen.to_string()), chosen, stamps)


_METADATA_FILES = ("_metadata", "_common_metadata")


def _data_files(fs: Any, paths: list[str], suffixes: tuple[str, ...]) -> tuple[list[str], str | None]:
    """The data files of ``paths`` and their base folder; a ``_metadata`` file given among them is not
    data (its footers describe the data files): alone, it stands for its folder's files."""
    data = [p for p in paths if posixpath.basename(p.rstrip("/")) not in _METADATA_FILES]
    if not data:
        data = list(dict.fromkeys(posixpath.dirname(p.rstrip("/")) for p in paths))
    return io_fs.expand_paths(fs, data, suffixes)


def _file_stamps(filesystem: Any, files: list[str]) -> dict:
    """``path -> (size, mtime_ns)`` of each file, as the read tasks will see them (through the same filesystem)."""
    return {path: (info.size, info.mtime_ns) for path, info in zip(files, filesystem.get_file_info(files))}


# Local footers are cheap (1000 files: ~0.2 s here) and the planner reads them all anyway;
# on object stores each one is a request, so there the first file's schema is used, as in Dask
INFER_SCHEMA_MAX_FILES = 10_000


def _schema_policy(schema: Any, fs: Any, n_files: int) -> Any:
    """``schema=`` with None resolved: "infer" for a local dataset of few enough files, else "first"."""
    if schema is None:
        return "infer" if io_fs.is_local(fs) and n_files <= INFER_SCHEMA_MAX_FILES else "first"
    if isinstance(schema, str) and schema in ("infer", "first"):
        return schema
    import pyarrow as pa

    if isinstance(schema, pa.Schema):
        return schema
    raise ValueError(f"read_parquet: schema= must be None, 'infer', 'first' or a pyarrow.Schema, got {schema!r}")


def _arrow_filesystem(fs: Any) -> Any:
    import pyarrow.fs as pafs

    if io_fs.is_local(fs):
        return pafs.LocalFileSystem()
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs))


def _files_token(fs: Any, files: list[str], schema_text: str) -> str:
    # the schema is part of the name: the same files read with another schema= give other frames
    return io_fs.files_token(fs, files, schema_text)


def _is_dictionary(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_dictionary(kind)
