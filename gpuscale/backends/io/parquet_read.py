"""Reading one parquet partition (runs in a task): its row groups, its columns, its rows.

The planning side (:mod:`gpuscale.backends.io.parquet`) hands each task a
:class:`ParquetPartition` and the read's shared :class:`ParquetReadSpec`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from gpuscale.backends.io.frames import arrow_memory_pool, table_to_frame
from gpuscale.backends.io.source_errors import raise_naming

__all__ = ["ParquetPartition", "IndexPlan", "ParquetReadSpec", "read_parquet_partition", "read_columns",
           "index_frame_options", "row_groups_of", "schema_mismatch", "check_unchanged", "FileChangedError"]


class FileChangedError(OSError):
    """A file changed between ``read_parquet`` (which planned the read from its footer) and the read."""


@dataclass(frozen=True)
class ParquetPartition:
    """What one read task needs: row-group fragments and the dataset position of each one's first row."""

    fragments: tuple
    offsets: tuple  # global row position of the first row of each fragment
    num_rows: int  # rows in these row groups before filtering
    stamps: tuple = ()  # (path, size, mtime_ns) of each of its files when read_parquet looked at them

    @property
    def row_offset(self) -> int | None:
        return self.offsets[0] if self.offsets else None

    @property
    def last_row(self) -> int | None:
        """Global position of the last row of the last row group."""
        if not self.fragments:
            return None
        return self.offsets[-1] + self.fragments[-1].row_groups[0].num_rows - 1


@dataclass(frozen=True)
class IndexPlan:
    """How a partition's index is made: from stored columns, a column, or a RangeIndex."""

    columns: tuple[str, ...] = ()  # stored index columns to read (restored by pandas metadata)
    set_column: str | tuple | None = None  # index=<column name>, or a tuple of names for a MultiIndex
    range_start: int = 0
    range_step: int = 1
    range_name: Any = None
    use_range: bool = False
    per_partition: bool = False  # with use_range: each partition 0..n-1 (the plan never reads the labels)
    # (level, start, step, name) of the levels of a stored MultiIndex that pandas wrote as range descriptions:
    # made from the rows' dataset positions (pyarrow restores them only for a table of all the rows)
    range_levels: tuple = ()


def read_columns(columns: list[str], index: IndexPlan) -> list[str]:
    """The columns a task reads: the requested ones plus what the index needs."""
    named = index.set_column
    extra = list(index.columns) + (list(named) if isinstance(named, tuple) else [named] if named else [])
    return list(dict.fromkeys([*columns, *extra]))


def index_frame_options(index: IndexPlan, row_offset: int | None) -> dict:
    """Keyword arguments for ``table_to_frame`` that build the index of a partition."""
    if index.set_column:
        return {"set_index": index.set_column}
    if index.range_levels:
        return {"range_levels": (index.range_levels, len(index.columns) + len(index.range_levels))}
    if not index.use_range:
        return {}
    if index.per_partition:
        return {"range_index": (0, 1, index.range_name)}
    start = index.range_start + (row_offset or 0) * index.range_step
    return {"range_index": (start, index.range_step, index.range_name)}


@dataclass(frozen=True)
class ParquetReadSpec:
    """What every partition of one read shares: schema, columns, filter, index, library, reader.

    ``reader`` is ``"arrow"`` (pyarrow decodes on the host; cuDF partitions are
    copied from the Arrow table) or ``"cudf"`` (``cudf.read_parquet`` decodes on
    the device: see :mod:`gpuscale.backends.io.cudf`), which also needs the raw
    filter terms (``groups``: user DNF; ``pushed``: terms from a mask), the hive
    partition columns, the dtypes of every column read (the meta's) and the
    fsspec filesystem of a non-local dataset.
    """

    schema: Any
    columns: tuple
    filter_expression: Any
    index: IndexPlan
    backend: str
    filter_columns: tuple = ()
    reader: str = "arrow"
    groups: tuple = ()
    pushed: tuple = ()
    hive: tuple = ()
    dtypes: Any = None
    filesystem: Any = None
    conversion: Any = None  # pandas partitions: table_to_frame's to_pandas / dtype_backend options
    null_hive: tuple = ()  # (column, categories) of hive keys with a missing-value folder


_POSITION = "__gpuscale_position__"


def read_parquet_partition(partition: ParquetPartition, spec: ParquetReadSpec) -> Any:
    """Read one partition's row groups (only the spec's columns, rows matching its filter) as a frame."""
    check_unchanged(partition)
    partition = matching_row_groups(partition, spec)
    if spec.reader == "cudf" and partition.fragments:
        from gpuscale.backends.io.cudf import read_parquet_cudf

        return read_parquet_cudf(partition, spec)
    columns = read_columns(list(spec.columns), spec.index)
    if spec.index.use_range and spec.filter_expression is not None and spec.index.per_partition:
        # no one reads the labels (see gpuscale.dataframe.expr.index_usage): the rows are not numbered
        table = _read_with_positions(partition, spec, columns, numbered=False)
        options = index_frame_options(spec.index, partition.row_offset)
    elif spec.index.use_range and spec.filter_expression is not None:
        # the index must be each row's position in the dataset, as without the filter
        table = _read_with_positions(partition, spec, columns)
        options = {"position_index": (_POSITION, spec.index.range_start, spec.index.range_step,
                                      spec.index.range_name)}
    elif spec.index.range_levels:  # levels made from the rows' dataset positions
        table = _read_with_positions(partition, spec, columns) if spec.filter_expression is not None else \
            _numbered(_read_table(partition.fragments, spec.schema, columns, None), partition)
        options = index_frame_options(spec.index, partition.row_offset)
    else:
        table = _read_table(partition.fragments, spec.schema, columns, spec.filter_expression)
        options = index_frame_options(spec.index, partition.row_offset)
    table = _with_null_hive_keys(table, spec.null_hive)
    return table_to_frame(table, {**options, **(spec.conversion or {})}, spec.backend)


def _with_null_hive_keys(table: Any, null_hive: tuple) -> Any:
    """Arrow gives the rows of a ``__HIVE_DEFAULT_PARTITION__`` folder a dictionary holding one null, which
    no conversion takes: they become missing values among the key's categories."""
    import pyarrow as pa

    for name, categories in null_hive:
        if name not in table.column_names:
            continue
        column = table.column(name)
        if not any(chunk.dictionary.null_count for chunk in column.chunks):
            continue
        values = pa.array(list(categories), type=column.type.value_type)
        chunks = [pa.DictionaryArray.from_arrays(_indices_into(chunk, values), values) for chunk in column.chunks]
        table = table.set_column(table.column_names.index(name), name, pa.chunked_array(chunks, column.type))
    return table


def _indices_into(chunk: Any, values: Any) -> Any:
    """A dictionary chunk's rows as positions in ``values`` (null where the chunk's value is null)."""
    import pyarrow.compute as pc

    positions = pc.index_in(chunk.dictionary, value_set=values)
    return pc.take(positions, chunk.indices).cast(chunk.indices.type)


def matching_row_groups(partition: ParquetPartition, spec: ParquetReadSpec) -> ParquetPartition:
    """``partition`` without the row groups whose statistics (or hive values) exclude the spec's filter.

    The optimizer pushes filters into a read after its partitions were planned (and other steps were
    planned on them), so the partitions stay and each read task skips what cannot match; a partition
    may be left with no row group (an empty frame).
    """
    if spec.filter_expression is None or not partition.fragments:
        return partition
    kept = [k for k, piece in enumerate(partition.fragments)
            if piece.split_by_row_group(filter=spec.filter_expression, schema=spec.schema)]
    if len(kept) == len(partition.fragments):
        return partition
    return dataclasses.replace(partition, fragments=tuple(partition.fragments[k] for k in kept),
                               offsets=tuple(partition.offsets[k] for k in kept))


def check_unchanged(partition: ParquetPartition) -> None:
    """Refuse to read a file that changed since ``read_parquet``: the plan's row groups, offsets and row counts
    come from its old footer, so a rewritten file would be read as garbage or, worse, cut to its old row count.

    Raises
    ------
    FileNotFoundError
        Naming a file that was removed.
    FileChangedError
        Naming a file whose size or modification time is not the one recorded at ``read_parquet``.
    """
    if not partition.stamps:
        return
    from pyarrow.fs import FileType

    infos = partition.fragments[0].filesystem.get_file_info([path for path, _, _ in partition.stamps])
    for (path, size, mtime_ns), info in zip(partition.stamps, infos):
        if info.type == FileType.NotFound:
            raise FileNotFoundError(f"parquet file {path!r} was removed after read_parquet planned the read")
        if (info.size, info.mtime_ns) != (size, mtime_ns):
            raise FileChangedError(
                f"parquet file {path!r} changed after read_parquet planned the read ({_change(size, mtime_ns, info)}); "
                "its partitions were planned from its old footer. Call read_parquet again to read the new contents")


def _change(size: int | None, mtime_ns: int | None, info: Any) -> str:
    if info.size != size:
        return f"{size} bytes then, {info.size} now"
    return f"same size, modified at {info.mtime} (mtime_ns {mtime_ns} then, {info.mtime_ns} now)"


def _read_with_positions(partition: ParquetPartition, spec: ParquetReadSpec, columns: list[str],
                         numbered: bool = True) -> Any:
    """Read unfiltered (plus the filter's columns), number rows by dataset position, then filter.

    Reading unfiltered and filtering column by column is faster than Arrow's own filtered scan (about 0.7 s
    against 1.9 s for TPC-H Q19's lineitem at SF1), so it is also taken when the rows are not numbered.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    needed = list(dict.fromkeys([*columns, *spec.filter_columns]))
    table = _read_table(partition.fragments, spec.schema, needed, None)
    mask = _filter_mask(table.select(list(spec.filter_columns) or needed[:1]), spec.filter_expression)
    if not numbered and not columns:  # len(): no columns, but as many rows as the filter keeps
        return table.select([]).slice(0, pc.sum(mask).as_py() or 0)
    if not numbered:
        return _filter_columns(table.select(columns), mask, None)
    kept = np.flatnonzero(mask.to_numpy(zero_copy_only=False)) if len(mask) else np.zeros(0, dtype="int64")
    positions = _dataset_positions(kept, partition)
    return _filter_columns(table.select(columns), mask, pa.array(positions, type=pa.int64()))


def _numbered(table: Any, partition: ParquetPartition) -> Any:
    """``table`` (all the partition's rows) with their dataset positions as the column ``_POSITION``."""
    import numpy as np
    import pyarrow as pa

    positions = _dataset_positions(np.arange(table.num_rows), partition)
    return table.append_column(_POSITION, pa.array(positions, type=pa.int64()))


def _dataset_positions(rows: Any, partition: ParquetPartition) -> Any:
    """Positions in the dataset of the partition's ``rows`` (positions within the partition)."""
    import numpy as np

    lengths = [f.row_groups[0].num_rows for f in partition.fragments]
    offsets = list(partition.offsets)
    if all(offsets[k + 1] == offsets[k] + lengths[k] for k in range(len(offsets) - 1)):
        return rows + (offsets[0] if offsets else 0)  # consecutive row groups: one shift
    starts = np.cumsum([0, *lengths[:-1]])
    group = np.searchsorted(starts, rows, side="right") - 1
    return rows - starts[group] + np.asarray(offsets)[group]


def _filter_columns(table: Any, mask: Any, positions: Any) -> Any:
    """``table``'s rows where ``mask`` is true, column by column, plus the ``positions`` column (if any).

    Much faster than ``Table.filter`` (with an expression or a mask), which
    goes through an Acero plan over all columns at once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    pool = arrow_memory_pool()
    arrays = [pc.filter(column, mask, memory_pool=pool) for column in table.columns]
    if positions is None:
        return pa.Table.from_arrays(arrays, schema=table.schema)
    return pa.Table.from_arrays(arrays + [positions], schema=table.schema.append(pa.field(_POSITION, pa.int64())))


def _filter_mask(table: Any, expression: Any) -> Any:
    """The expression evaluated on ``table``'s rows (missing results count as False), as one boolean array."""
    import pyarrow as pa
    import pyarrow.acero as acero
    import pyarrow.compute as pc

    plan = acero.Declaration.from_sequence([
        acero.Declaration("table_source", acero.TableSourceNodeOptions(table)),
        acero.Declaration("project", acero.ProjectNodeOptions([expression], ["mask"])),
    ])
    mask = plan.to_table(use_threads=False).column(0)
    mask = mask.combine_chunks() if mask.num_chunks else pa.array([], type=pa.bool_())
    return pc.fill_null(mask, False)


def _read_table(fragments: tuple, schema: Any, columns: list[str], filter_expression: Any) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    if not fragments:
        return schema.empty_table().select(columns)
    first = fragments[0]
    dataset = ds.FileSystemDataset(_per_file(fragments), schema, first.format, first.filesystem)
    # one partition per runtime worker: Arrow's own threads would only oversubscribe the cores
    try:
        return dataset.to_table(columns=columns, filter=filter_expression, memory_pool=arrow_memory_pool(),
                                use_threads=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OSError) as error:
        mismatch = schema_mismatch(fragments, schema)
        if mismatch is not None:
            raise mismatch from error
        raise_naming(error, _failing_row_group(fragments, schema, columns))


def _failing_row_group(fragments: tuple, schema: Any, columns: list[str]) -> str:
    """The parquet file (and row group) a failed read comes from: each row group is read again alone (only on
    the error path) to find the one that fails; all the files where none does alone."""
    for fragment in fragments:
        try:
            fragment.to_table(schema=schema, columns=columns, use_threads=False)
        except Exception:  # noqa: BLE001 - this one fails: name it
            groups = [group.id for group in fragment.row_groups] if fragment.row_groups else []
            shown = f" (row group {groups[0]})" if len(groups) == 1 else ""
            return f"parquet file {fragment.path!r}{shown}"
    paths = sorted({fragment.path for fragment in fragments})
    return "parquet file " + repr(paths[0]) if len(paths) == 1 else f"parquet files {paths}"


def schema_mismatch(fragments: tuple, schema: Any) -> ValueError | None:
    """An error naming the first file and column whose stored type cannot be read as ``schema``'s.

    Arrow's own message (``Failed to parse string: 'x9' as a scalar of type
    int64``) names neither; this looks for the culprit after a read failed.

    Parameters
    ----------
    fragments : tuple of pyarrow.dataset.ParquetFileFragment
        The row groups the failed read scanned.
    schema : pyarrow.Schema
        The dataset's schema they were read with.

    Returns
    -------
    ValueError or None
        None if every stored column converts.
    """
    for fragment in fragments:
        stored = fragment.physical_schema
        for name in stored.names:
            if name not in schema.names or stored.field(name).type == schema.field(name).type:
                continue
            problem = _conversion_problem(fragment, schema, name)
            if problem:
                return ValueError(
                    f"read_parquet: parquet file {fragment.path!r} stores column {name!r} as "
                    f"{stored.field(name).type}, which cannot be read as the dataset's {schema.field(name).type} "
                    f"({problem}). Pass schema='infer' to read_parquet to unify the files' schemas (or a "
                    "pyarrow.Schema to choose the type)")
    return None


def _conversion_problem(fragment: Any, schema: Any, name: str) -> str | None:
    """Arrow's error reading column ``name`` of ``fragment`` as ``schema``'s type, or None if it converts."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    single = ds.FileSystemDataset([fragment], schema, fragment.format, fragment.filesystem)
    try:
        single.to_table(columns=[name], use_threads=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
        return str(error)
    return None


def _per_file(fragments: tuple) -> list:
    """Merge row-group fragments of the same file into one fragment (one open, one scan per file)."""
    merged: list = []
    ids: list = []
    for fragment in fragments:
        if merged and fragment.path == merged[-1].path:
            ids[-1].append(fragment.row_groups[0].id)
        else:
            merged.append(fragment)
            ids.append([fragment.row_groups[0].id])
    return [fragment.subset(row_group_ids=group) if len(group) > 1 else fragment
            for fragment, group in zip(merged, ids)]


def row_groups_of(partition: ParquetPartition) -> list[tuple[str, int]]:
    """``(file, row group id)`` for each row group a partition reads."""
    return [(piece.path, piece.row_groups[0].id) for piece in partition.fragments]
