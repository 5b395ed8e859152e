"""``read_parquet``: a partitioned source that reads only the columns and row groups it needs."""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import io as bio
from gpuscale.dataframe.expr.base import PartitionedSource
from gpuscale.dataframe.io._common import new_collection, normalize_filters, partition_bytes_for, resolve_backend

__all__ = ["ReadParquet", "read_parquet"]

_EXACT_OPS = frozenset({"==", "=", "<", "<=", ">", ">=", "in"})  # same answer as pandas, nulls included


class ReadParquet(PartitionedSource):
    """Read a parquet dataset; ``columns`` and ``filters`` are pushed into the scan.

    Partitions are groups of row groups of about ``partition_bytes``
    (uncompressed, selected columns only).  Row groups whose statistics (or
    hive partition values) exclude ``filters`` are never read, and the rows
    of the others are filtered exactly.
    """

    _parameters = ["columns", "filters", "dataset", "index", "backend", "partition_bytes"]
    _defaults = {"columns": None, "filters": None, "index": None}

    @property
    def _filters_exact(self) -> bool:
        groups = normalize_filters(self.operand("filters")) or []
        return all(term[1] in _EXACT_OPS for group in groups for term in group)

    @functools.cached_property
    def _data_columns(self) -> list[str]:
        columns = self.operand("columns")
        return list(self.dataset.columns) if columns is None else list(columns)

    @functools.cached_property
    def _filters(self) -> list | None:
        return normalize_filters(self.operand("filters"))

    @functools.cached_property
    def _index_plan(self) -> Any:
        return self.dataset.index_plan(self.index, filtered=self._filters is not None)

    @functools.cached_property
    def _partitions(self) -> list:
        self.dataset.check_columns(self._data_columns, "columns=")
        return self.dataset.plan(self._data_columns, self._filters, self.partition_bytes)

    @functools.cached_property
    def _read_spec(self) -> Any:
        filter_expression = self.dataset.filter_expression(self._filters)
        return bio.ParquetReadSpec(self.dataset.dataset.schema, tuple(self._data_columns), filter_expression,
                                   self._index_plan, self.backend)

    @functools.cached_property
    def _meta(self) -> Any:
        self.dataset.check_columns(self._data_columns, "columns=")
        return self.dataset.meta(self._data_columns, self._index_plan, self.backend)

    def _divisions(self) -> tuple:
        index = self._index_plan
        offsets = [p.row_offset for p in self._partitions]
        if not index.use_range or index.range_step <= 0 or None in offsets or not self._partitions[-1].num_rows:
            return (None,) * (len(self._partitions) + 1)
        last = self._partitions[-1]
        ends = [*offsets, last.row_offset + last.num_rows - 1]
        return tuple(index.range_start + o * index.range_step for o in ends)

    def _partition_task(self, i: int) -> tuple:
        return (bio.read_parquet_partition, self._partitions[i], self._read_spec)

    @property
    def row_groups_read(self) -> list[tuple[str, int]]:
        """``(file, row group)`` pairs this plan reads (what pushdown left)."""
        return [rg for p in self._partitions for rg in bio.row_groups_of(p)]

    def _tree_label(self) -> str:
        columns, filters = self.operand("columns"), self._filters
        parts = [f"columns={list(columns)}" if columns is not None else "all columns"]
        if filters:
            parts.append(f"filters={filters}")
        total = self.dataset.row_group_count()
        parts.append(f"row_groups={len(self.row_groups_read)}/{total}")
        return f"ReadParquet: {', '.join(parts)}  [npartitions={self.npartitions}]"


def read_parquet(path: Any, columns: Any = None, filters: list | None = None, index: Any = None,
                 storage_options: dict | None = None, backend: str | None = None,
                 partition_bytes: Any = None) -> Any:
    """Read parquet files into a lazy DataFrame (or Series, for one column name).

    Parameters
    ----------
    path : str, path-like or list
        A file, a folder (hive ``key=value`` sub-folders become categorical
        columns), a glob (``"data/*.parquet"``) or an fsspec URL
        (``"s3://..."``, ``"memory://..."``, ``"file://..."``).
    columns : str or list of str, optional
        Columns to read (all by default).  A single name gives a Series.
    filters : list, optional
        pyarrow DNF filters: ``[("x", ">", 3)]`` (AND) or ``[[...], [...]]``
        (OR of ANDs).  Row groups whose statistics exclude them are skipped;
        the remaining rows are filtered exactly.
    index : str or False, optional
        Column to use as the index; False for none; None (default) restores
        the index pandas wrote.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library (default: the ``backend`` option).
    partition_bytes : int or str, optional
        Target partition size (uncompressed); default ``dataframe.partition_bytes.cpu``
        (128 MiB) for pandas, ``.gpu`` (1 GiB) for cuDF.

    Returns
    -------
    DataFrame or Series

    Raises
    ------
    FileNotFoundError
        If ``path`` matches no file (the message names it).
    KeyError
        If ``columns``, ``filters`` or ``index`` name an unknown column (all available are listed).
    """
    library = resolve_backend(backend)
    dataset = bio.open_parquet(path, storage_options)
    names = [columns] if isinstance(columns, str) else (None if columns is None else list(columns))
    if names is not None:
        dataset.check_columns(names, "columns=")
    dataset.filter_expression(normalize_filters(filters))  # validates names now, not at compute time
    leaf = ReadParquet(names, filters, dataset, index, library, partition_bytes_for(library, partition_bytes))
    frame = new_collection(leaf)
    return frame[columns] if isinstance(columns, str) else frame
