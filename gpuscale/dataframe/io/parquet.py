"""``read_parquet``: a partitioned source that reads only the columns and row groups it needs."""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends import io as bio
from gpuscale.dataframe.expr.base import PartitionedSource
from gpuscale.dataframe.io._common import (
    new_collection, partition_bytes_for, resolve_backend, split_filters, user_filters,
)

__all__ = ["ReadParquet", "read_parquet"]

_EXACT_OPS = frozenset({"==", "<", "<=", ">", ">=", "!="})  # pushed terms are read with pandas semantics


class ReadParquet(PartitionedSource):
    """Read a parquet dataset; ``columns`` and ``filters`` are pushed into the scan.

    Partitions are groups of row groups of about ``partition_bytes``
    (uncompressed, selected columns only).  Row groups whose statistics (or
    hive partition values) exclude ``filters`` are never read, and the rows
    of the others are filtered exactly.
    """

    _parameters = ["columns", "filters", "dataset", "index", "backend", "partition_bytes"]
    _defaults = {"columns": None, "filters": None, "index": None}
    _compares_columns = True

    @property
    def _filters_exact(self) -> bool:
        # the scan drops exactly the rows a pushed pandas mask drops (see split_filters);
        # a term pyarrow cannot compare like pandas is not applied, so the Filter must stay
        pushed = split_filters(self.operand("filters"))[1]
        return all(term[1] in _EXACT_OPS and self.dataset.pushable(term) for term in pushed)

    @functools.cached_property
    def _data_columns(self) -> list[str]:
        columns = self.operand("columns")
        return list(self.dataset.columns) if columns is None else list(columns)

    @functools.cached_property
    def _filters(self) -> tuple[list | None, list]:
        groups, pushed = split_filters(self.operand("filters"))
        return groups, [term for term in pushed if self.dataset.pushable(term)]

    @functools.cached_property
    def _index_plan(self) -> Any:
        return self.dataset.index_plan(self.index)

    @functools.cached_property
    def _partitions(self) -> list:
        return self.dataset.plan(self._data_columns, *self._filters, self.partition_bytes)

    @functools.cached_property
    def _read_spec(self) -> Any:
        groups, pushed = self._filters
        expression = self.dataset.filter_expression(groups, pushed)
        filter_columns = tuple(sorted(bio.filter_columns(groups, pushed)))
        common = (self.dataset.schema, tuple(self._data_columns), expression, self._index_plan, self.backend,
                  filter_columns)
        if self.reader_problem is not None:
            return bio.ParquetReadSpec(*common)
        read = list(dict.fromkeys([*bio.read_columns(self._data_columns, self._index_plan), *filter_columns]))
        dtypes = dict(self.dataset.meta(read, bio.IndexPlan(), self.backend).dtypes)
        return bio.ParquetReadSpec(*common, reader="cudf", groups=tuple(tuple(g) for g in groups or ()),
                                   pushed=tuple(pushed), hive=self.dataset.hive_columns, dtypes=dtypes,
                                   filesystem=self.dataset.fsspec_filesystem)

    @functools.cached_property
    def reader_problem(self) -> str | None:
        """Why cuDF partitions are decoded by pyarrow rather than ``cudf.read_parquet`` (None: they are
        not; always None for pandas partitions, which pyarrow decodes)."""
        if self.backend != "cudf":
            return "pandas partitions are decoded by pyarrow"
        groups, pushed = self._filters
        read = [*bio.read_columns(self._data_columns, self._index_plan), *sorted(bio.filter_columns(groups, pushed))]
        return self.dataset.cudf_reader_problem(read)

    @property
    def reader(self) -> str:
        """What decodes the partitions: ``"cudf.read_parquet"`` or ``"pyarrow"`` (with the reason for cuDF)."""
        if self.backend == "cudf":
            problem = self.reader_problem
            return "cudf.read_parquet" if problem is None else f"pyarrow ({problem})"
        return "pyarrow"

    @functools.cached_property
    def _meta(self) -> Any:
        self.dataset.check_columns(self._data_columns, "columns=")
        return self.dataset.meta(self._data_columns, self._index_plan, self.backend)

    def _divisions(self) -> tuple:
        # with a RangeIndex, partition i holds dataset rows from its first row group on
        index, partitions = self._index_plan, self._partitions
        if not index.use_range:
            sorted_index = self.dataset.sorted_index_divisions(partitions, index)
            return sorted_index or (None,) * (len(partitions) + 1)
        if index.range_step <= 0 or not partitions[0].fragments:
            return (None,) * (len(partitions) + 1)
        positions = [p.row_offset for p in partitions] + [partitions[-1].last_row]
        return tuple(index.range_start + p * index.range_step for p in positions)

    def _simplify_up(self, parent: Any, dependents: dict) -> Any:
        if self._data_columns and _counts_rows_of(parent, self):
            # len(): only row counts matter, so scan no columns (footers, plus what filters need)
            return type(parent)(*[self.with_operand("columns", []) if op is self else op for op in parent.operands])
        return super()._simplify_up(parent, dependents)

    def _partition_task(self, i: int) -> tuple:
        return (bio.read_parquet_partition, self._partitions[i], self._read_spec)

    @property
    def row_groups_read(self) -> list[tuple[str, int]]:
        """``(file, row group)`` pairs this plan reads (what pushdown left)."""
        return [rg for p in self._partitions for rg in bio.row_groups_of(p)]

    def _tree_label(self) -> str:
        columns, filters = self.operand("columns"), self.operand("filters")
        parts = [f"columns={list(columns)}" if columns is not None else "all columns"]
        if filters:
            parts.append(f"filters={list(filters)}")
        total = self.dataset.row_group_count()
        parts.append(f"row_groups={len(self.row_groups_read)}/{total}")
        if self.backend == "cudf":
            parts.append(f"reader={self.reader}")
        return f"ReadParquet: {', '.join(parts)}  [npartitions={self.npartitions}]"


def _counts_rows_of(parent: Any, source: ReadParquet) -> bool:
    """True if ``parent`` only takes the number of rows of each of ``source``'s partitions."""
    args = getattr(parent, "args", None)
    return getattr(parent, "func", None) is bf.length and args is not None and \
        len(args) == 1 and args[0] is source


def read_parquet(path: Any, columns: Any = None, filters: list | None = None, index: Any = None,
                 storage_options: dict | None = None, backend: str | None = None,
                 partition_bytes: Any = None, schema: Any = None, engine: Any = None) -> Any:
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
        Partition library (default: the ``backend`` option).  cuDF
        partitions are decoded on the device by ``cudf.read_parquet`` (the
        planned row groups and columns; filters applied on the device),
        unless the files differ from the dataset's schema in the columns
        read: then pyarrow decodes them (``ReadParquet.reader`` says which
        and why).
    partition_bytes : int or str, optional
        Target partition size (uncompressed); default ``dataframe.partition_bytes.cpu``
        (128 MiB) for pandas, ``.gpu`` (1 GiB) for cuDF.
    schema : {None, "infer", "first"} or pyarrow.Schema, optional
        How the dataset's columns and types are found when files disagree.
        ``"infer"`` reads every file's footer now and unifies them: a column
        missing from some files is read there as nulls, numeric types widen
        (int32 and int64 to int64, int64 and float64 to float64), and types
        of different kinds raise ``ValueError``.  ``"first"`` takes the first
        file's schema, as Dask does (columns only other files have are not
        read).  A ``pyarrow.Schema`` is used as given.  None (default):
        ``"infer"`` for up to 10,000 files on a local disk, ``"first"``
        otherwise (each footer of an object store is a request).
    engine : {None, "auto", "pyarrow"}, optional
        Accepted for dask's signature: pyarrow (or cuDF) reads; ``"fastparquet"`` raises ``ValueError``.

    Returns
    -------
    DataFrame or Series

    Raises
    ------
    FileNotFoundError
        If ``path`` matches no file (the message names it).
    KeyError
        If ``columns``, ``filters`` or ``index`` name an unknown column (all available are listed).
    ValueError
        If, inferring the schema, two files store a column as types of different kinds (the column,
        both types and a file of each are named).  A file whose column cannot be read as the dataset's
        type raises ``ValueError`` naming the file and the column at compute time.

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "sales")
    >>> pdf = pd.DataFrame({"shop": [1, 1, 2, 2, 3, 3], "amount": [5, 7, 1, 2, 10, 20]})
    >>> gd.from_pandas(pdf, npartitions=3, backend="cpu").to_parquet(path)
    >>> df = gd.read_parquet(path, columns=["amount"], filters=[("amount", ">", 4)], backend="cpu")
    >>> df.amount.compute().tolist()
    [5, 7, 10, 20]
    """
    check_engine(engine, "read_parquet")
    library = resolve_backend(backend)
    dataset = bio.open_parquet(path, storage_options, schema)
    names = [columns] if isinstance(columns, str) else (None if columns is None else list(columns))
    if names is not None:
        dataset.check_columns(names, "columns=")
    groups = user_filters(filters)
    dataset.filter_expression(groups)  # validates names now, not at compute time
    leaf = ReadParquet(names, groups, dataset, index, library, partition_bytes_for(library, partition_bytes))
    frame = new_collection(leaf)
    return frame[columns] if isinstance(columns, str) else frame


def check_engine(engine: Any, who: str) -> None:
    """dask's ``engine=``: pyarrow is the engine here (cuDF's readers and writers for cuDF partitions)."""
    if engine not in (None, "auto", "pyarrow", "cudf"):
        raise ValueError(f"{who}: engine={engine!r} is not supported; gpuscale reads and writes parquet with "
                         "pyarrow (cuDF for cuDF partitions), as dask does since it dropped fastparquet")
