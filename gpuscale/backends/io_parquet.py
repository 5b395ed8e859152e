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
from dataclasses import dataclass
from typing import Any

from gpuscale.backends import io_fs
from gpuscale.backends.io_frames import table_to_frame, unknown_columns_error

__all__ = ["ParquetDataset", "ParquetPartition", "open_parquet", "read_parquet_partition"]

_SUFFIXES = (".parquet", ".parq", ".pq")


@dataclass(frozen=True)
class ParquetPartition:
    """What one read task needs: row-group fragments and where its rows start."""

    fragments: tuple
    num_rows: int
    row_offset: int | None  # position of the first row in the whole dataset (None: unknown)


@dataclass(frozen=True)
class IndexPlan:
    """How a partition's index is made: from stored columns, a column, or a RangeIndex."""

    columns: tuple[str, ...] = ()  # stored index columns to read (restored by pandas metadata)
    set_column: str | None = None  # index=<column name>
    range_start: int = 0
    range_step: int = 1
    range_name: Any = None
    use_range: bool = False


class ParquetDataset:
    """A discovered parquet dataset: files, schema, hive partitions (footers read lazily).

    Its token names the files, their sizes and modification times, so a plan
    on changed files gets a new name.
    """

    def __init__(self, dataset: Any, token: str) -> None:
        self.dataset = dataset
        self._token = token

    def __gpuscale_tokenize__(self) -> str:
        return self._token

    def __repr__(self) -> str:
        return f"ParquetDataset({len(self.dataset.files)} files)"

    @functools.cached_property
    def _pandas_metadata(self) -> dict:
        return self.dataset.schema.pandas_metadata or {}

    @functools.cached_property
    def stored_index_columns(self) -> tuple[str, ...]:
        """Index columns written by pandas (named or ``__index_level_N__``)."""
        return tuple(c for c in self._pandas_metadata.get("index_columns", []) if isinstance(c, str))

    @functools.cached_property
    def range_index(self) -> dict | None:
        """The RangeIndex description in the pandas metadata, if the index was not stored."""
        ranges = [c for c in self._pandas_metadata.get("index_columns", []) if isinstance(c, dict)]
        return ranges[0] if len(ranges) == 1 and ranges[0].get("kind") == "range" else None

    @functools.cached_property
    def columns(self) -> list[str]:
        """Data columns (index columns excluded), in file order; hive partition keys last."""
        return [n for n in self.dataset.schema.names if n not in self.stored_index_columns]

    def check_columns(self, names: list[str], what: str) -> None:
        """Raise ``KeyError`` naming unknown columns and listing the available ones."""
        unknown_columns_error(names, self.dataset.schema.names, what)

    def filter_expression(self, filters: list | None) -> Any:
        """The pyarrow expression of DNF ``filters`` (validated) or None."""
        if not filters:
            return None
        import pyarrow.parquet as pq

        self.check_columns(sorted(_filter_columns(filters)), "filters=")
        return pq.filters_to_expression(filters)

    def index_plan(self, index: Any, filtered: bool) -> IndexPlan:
        """Decide how partitions get their index (``index=None``: as pandas wrote it)."""
        if isinstance(index, str):
            self.check_columns([index], "index=")
            return IndexPlan(set_column=index)
        if index is None and self.stored_index_columns:
            return IndexPlan(columns=self.stored_index_columns)
        if filtered:  # rows may vanish: global positions are unknown
            return IndexPlan(use_range=True, range_name=self._range_name(index))
        start, step, name = self._range_parameters(index)
        return IndexPlan(range_start=start, range_step=step, range_name=name, use_range=True)

    def _range_name(self, index: Any) -> Any:
        return self.range_index.get("name") if index is None and self.range_index else None

    def _range_parameters(self, index: Any) -> tuple[int, int, Any]:
        described = self.range_index if index is None else None
        if described and len(range(described["start"], described["stop"], described["step"])) == self.num_rows:
            return described["start"], described["step"], described.get("name")
        return 0, 1, None

    @functools.cached_property
    def num_rows(self) -> int:
        return sum(rg.num_rows for frag in self._fragments for rg in frag.row_groups)

    @functools.cached_property
    def _fragments(self) -> list:
        fragments = list(self.dataset.get_fragments())
        for fragment in fragments:
            fragment.ensure_complete_metadata()  # footers read once per dataset
        return fragments

    def plan(self, columns: list[str], filters: list | None, partition_bytes: int) -> list[ParquetPartition]:
        """Group the row groups that may match ``filters`` into partitions of ~``partition_bytes``."""
        expression = self.filter_expression(filters)
        pieces = [(piece, _row_group_bytes(piece, columns)) for piece in self._row_groups(expression)]
        partitions = _group_by_bytes(pieces, partition_bytes, track_offsets=expression is None)
        return partitions or [ParquetPartition((), 0, 0)]

    def _row_groups(self, expression: Any) -> list:
        # split_by_row_group with a filter drops row groups whose statistics (or
        # hive partition values) cannot match it
        pieces = []
        for fragment in self._fragments:
            if expression is None:
                pieces.extend(fragment.split_by_row_group())
            else:
                pieces.extend(fragment.split_by_row_group(filter=expression, schema=self.dataset.schema))
        return [p for p in pieces if p.row_groups and p.row_groups[0].num_rows > 0]

    def row_group_count(self) -> int:
        """All row groups in the dataset (to compare with what a plan reads)."""
        return sum(frag.num_row_groups for frag in self._fragments)

    def meta(self, columns: list[str], index: IndexPlan, backend: str) -> Any:
        """An empty frame with the columns and dtypes a partition read produces."""
        table = self.dataset.schema.empty_table().select(read_columns(columns, index))
        return table_to_frame(table, index_frame_options(index, 0), backend)


def _filter_columns(filters: list) -> set[str]:
    groups = filters if filters and isinstance(filters[0], list) else [filters]
    return {term[0] for group in groups for term in group}


def _row_group_bytes(piece: Any, columns: list[str]) -> int:
    metadata = piece.metadata.row_group(piece.row_groups[0].id)
    wanted = set(columns)
    sizes = [metadata.column(j).total_uncompressed_size for j in range(metadata.num_columns)
             if metadata.column(j).path_in_schema.split(".")[0] in wanted]
    return sum(sizes) if sizes else metadata.total_byte_size


def _group_by_bytes(pieces: list, target: int, track_offsets: bool) -> list[ParquetPartition]:
    partitions: list[ParquetPartition] = []
    current: list = []
    current_bytes = rows = offset = 0
    for piece, size in pieces:
        if current and current_bytes + size > target:
            partitions.append(ParquetPartition(tuple(current), rows, offset if track_offsets else None))
            offset, current, current_bytes, rows = offset + rows, [], 0, 0
        current.append(piece)
        current_bytes += size
        rows += piece.row_groups[0].num_rows
    if current:
        partitions.append(ParquetPartition(tuple(current), rows, offset if track_offsets else None))
    return partitions


def open_parquet(path: Any, storage_options: dict | None = None) -> ParquetDataset:
    """Discover the parquet files at ``path`` (file, folder, glob, URL or list) as one dataset.

    Raises
    ------
    FileNotFoundError
        Naming the path that matches no file.
    """
    import pyarrow.dataset as ds

    fs, paths = io_fs.resolve_fs(path, storage_options)
    files, base = io_fs.expand_paths(fs, paths, _SUFFIXES)
    filesystem = _arrow_filesystem(fs)
    partitioning = ds.HivePartitioning.discover(infer_dictionary=True)  # as pandas.read_parquet does
    dataset = ds.dataset(files, format="parquet", filesystem=filesystem, partitioning=partitioning,
                         partition_base_dir=base)
    return ParquetDataset(dataset, _files_token(fs, files))


def _arrow_filesystem(fs: Any) -> Any:
    import pyarrow.fs as pafs

    if io_fs.is_local(fs):
        return pafs.LocalFileSystem()
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs))


def _files_token(fs: Any, files: list[str]) -> str:
    from gpuscale.expr.tokenize import tokenize

    details = [fs.info(f) for f in files]
    return tokenize(type(fs).__name__, [(d["name"], d.get("size"), str(d.get("mtime", d.get("created")))) for d in details])


# -- reading one partition (runs in a task) --------------------------------------------------
def read_columns(columns: list[str], index: IndexPlan) -> list[str]:
    """The columns a task reads: the requested ones plus what the index needs."""
    extra = list(index.columns) + ([index.set_column] if index.set_column else [])
    return list(dict.fromkeys([*columns, *extra]))


def index_frame_options(index: IndexPlan, row_offset: int | None) -> dict:
    """Keyword arguments for ``table_to_frame`` that build the index of a partition."""
    if index.set_column:
        return {"set_index": index.set_column}
    if not index.use_range:
        return {}
    start = index.range_start + (row_offset or 0) * index.range_step
    return {"range_index": (start, index.range_step, index.range_name)}


def read_parquet_partition(partition: ParquetPartition, schema: Any, columns: list[str], filter_expression: Any,
                           index: IndexPlan, backend: str) -> Any:
    """Read one partition's row groups (only ``columns``, rows matching the filter) as a frame."""
    table = _read_table(partition.fragments, schema, read_columns(columns, index), filter_expression)
    return table_to_frame(table, index_frame_options(index, partition.row_offset), backend)


def _read_table(fragments: tuple, schema: Any, columns: list[str], filter_expression: Any) -> Any:
    import pyarrow.dataset as ds

    if not fragments:
        return schema.empty_table().select(columns)
    first = fragments[0]
    dataset = ds.FileSystemDataset(list(fragments), schema, first.format, first.filesystem)
    return dataset.to_table(columns=columns, filter=filter_expression)


def row_groups_of(partition: ParquetPartition) -> list[tuple[str, int]]:
    """``(file, row group id)`` for each row group a partition reads."""
    return [(piece.path, piece.row_groups[0].id) for piece in partition.fragments]
