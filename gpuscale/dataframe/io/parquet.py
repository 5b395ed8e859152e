"""``read_parquet``: a partitioned source that reads only the columns and row groups it needs."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.backends import io as bio
from gpuscale.dataframe.expr import index_usage  # noqa: F401  (registers the unread-index plan rule)
from gpuscale.dataframe.expr.base import PartitionedSource
from gpuscale.dataframe.io._common import (
    new_collection, partition_bytes_for, resolve_backend, split_filters, user_filters,
)

__all__ = ["ReadParquet", "read_parquet", "create_metadata_file"]

_EXACT_OPS = frozenset({"==", "<", "<=", ">", ">=", "!=", "in"})  # pushed terms are read with pandas semantics


class ReadParquet(PartitionedSource):
    """Read a parquet dataset; ``columns`` and ``filters`` are pushed into the scan.

    Partitions are groups of row groups of about ``partition_bytes``
    (uncompressed, selected columns only).  Row groups whose statistics (or
    hive partition values) exclude ``filters`` are never read, and the rows
    of the others are filtered exactly.
    """

    _parameters = ["columns", "filters", "dataset", "index", "backend", "partition_bytes", "split_row_groups",
                   "aggregate_files", "calculate_divisions", "conversion", "index_unread", "planned_columns"]
    _defaults = {"columns": None, "filters": None, "index": None, "split_row_groups": None, "aggregate_files": None,
                 "calculate_divisions": None, "conversion": None, "index_unread": False, "planned_columns": None}
    _compares_columns = True

    @property
    def _filters_exact(self) -> bool:
        # the scan drops exactly the rows a pushed pandas mask drops (see split_filters);
        # a term pyarrow cannot compare like pandas is not applied, so the Filter must stay
        pushed = split_filters(self.operand("filters"))[1]
        return all(term[1] in _EXACT_OPS and self.dataset.pushable(term, self.backend) for term in pushed)

    def _with_missing_rules(self, pushed: list) -> list:
        """The pushed terms with pandas' rule for a missing value under ``!=``: NaN != x is True (kept), NA != x
        is missing (dropped: the term becomes ``"!=na"``) for the nullable and Arrow dtypes pandas reads the
        column as (decided on pandas' dtypes for every backend, whose pushed masks follow pandas)."""
        if not any(op == "!=" for _, op, _ in pushed):
            return pushed
        options = dict(self.operand("conversion") or ())
        options.pop("nulls_in", None)
        # the compared columns' own dtypes: a column compared need not be among those read out
        compared = [c for c in dict.fromkeys(c for c, op, _ in pushed if op == "!=") if c in self._all_columns]
        meta = self.dataset.meta(compared, self._index_plan, "pandas", options)
        dtypes = {**meta.dtypes, meta.index.name: meta.index.dtype}
        na = {c for c, d in dtypes.items() if str(getattr(d, "na_value", "")) == "<NA>"}
        return [(c, "!=na", v) if op == "!=" and c in na else (c, op, v) for c, op, v in pushed]

    @functools.cached_property
    def _data_columns(self) -> list[str]:
        columns = self.operand("columns")
        if columns is not None:
            return list(columns)
        return self._all_columns  # index=False: the stored index columns first (as reset_index puts them)

    @functools.cached_property
    def _filters(self) -> tuple[list | None, list]:
        groups, pushed = split_filters(self.operand("filters"))
        return groups, self._with_missing_rules([term for term in pushed if self.dataset.pushable(term, self.backend)])

    @functools.cached_property
    def _index_plan(self) -> Any:
        plan = self.dataset.index_plan(self.index)
        if plan.range_levels and self.operand("filters"):
            # pandas' read of a part of the rows has no range levels (pyarrow restores them for all the rows)
            plan = dataclasses.replace(plan, range_levels=())
        if self.operand("index_unread") and plan.use_range:
            return dataclasses.replace(plan, range_start=0, range_step=1, per_partition=True)
        return plan

    @property
    def _can_drop_index(self) -> bool:
        # under a filter the rows' dataset positions are computed, filtered and made an Int64 index per partition
        if self.operand("index_unread") or not self.dataset.index_plan(self.index).use_range:
            return False
        groups, pushed = self._filters
        return bool(groups) or bool(pushed)

    def _without_index(self) -> "ReadParquet":
        new = self.with_operand("index_unread", True)
        for name in ("_data_columns", "_filters", "_partitions", "_meta", "_conversion"):  # the same plan
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name]
        return new

    @functools.cached_property
    def _partitions(self) -> list:
        # planned for the columns and filters read_parquet was given, never for what the optimizer pushes
        # later: row selections (loc, repartition, partitions[i]) and operands paired partition by partition
        # were planned on these partitions, so the pushdowns must not renumber them.  Pushed filters still
        # skip row groups, in each read task (bio.read_parquet_partition).
        planned = self.operand("planned_columns")
        columns = list(planned) if planned is not None else self._all_columns
        return self.dataset.plan(columns, self._filters[0], None, self.partition_bytes,
                                 self.operand("split_row_groups"), self.operand("aggregate_files"))

    def _partitioning_key(self) -> Any:
        # partitions holding the same row groups pair by position whatever columns and filters each read
        # takes (``df.x + df.y`` of one read; two reads of the same files)
        unpushed = self.with_operand("columns", None).with_operand("filters", None).with_operand("planned_columns", None)
        return unpushed._name, tuple(tuple(bio.row_groups_of(p)) for p in self._partitions)

    @property
    def _all_columns(self) -> list[str]:
        # pandas' stored index is a column where another index is asked for (index=False or a column), as dask
        index = self.operand("index")
        chosen = set(index if isinstance(index, (list, tuple)) else [index]) if index not in (None, False) else set()
        stored = [c for c in self.dataset.stored_index_columns if c not in chosen] if index is not None else []
        return [*stored, *self.dataset.columns]

    @functools.cached_property
    def _conversion(self) -> dict:
        """``table_to_frame``'s options for ``dtype_backend=``, ``categories=`` and ``arrow_to_pandas=``, and
        the integer and boolean columns NumPy's dtypes read as float64 and objects for a null in any partition
        (as pandas reading the row groups whole: the partitions and the metadata agree)."""
        options = dict(self.operand("conversion") or ())
        to_pandas = options.get("to_pandas", {})
        if self.backend == "cudf" or "dtype_backend" in options or "types_mapper" in to_pandas or \
                to_pandas.get("integer_object_nulls"):
            return options  # nullable dtypes (cuDF's, pandas' extension ones) or the user's own mapping
        try:
            planned = self._partitions  # the row groups the filters keep
        except Exception:  # noqa: BLE001 - a filter pyarrow refuses fails the read itself, at compute, as before
            planned = None
        nulls_in = self.dataset.columns_with_nulls(planned, self._data_columns)
        return {**options, "nulls_in": nulls_in} if nulls_in else options

    @functools.cached_property
    def _read_spec(self) -> Any:
        groups, pushed = self._filters
        expression = self.dataset.filter_expression(groups, pushed)
        filter_columns = tuple(sorted(bio.filter_columns(groups, pushed)))
        common = (self.dataset.schema, tuple(self._data_columns), expression, self._index_plan, self.backend,
                  filter_columns)
        if self.reader_problem is not None:
            return bio.ParquetReadSpec(*common, conversion=self._conversion,
                                       null_hive=self.dataset.null_hive_categories)
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
        if isinstance(self._index_plan.set_column, tuple):
            return "a MultiIndex of several index= columns is built from the Arrow table"
        if self._index_plan.range_levels:
            return "MultiIndex levels pandas stored as ranges are built from the rows' positions"
        if set(self.dataset.stored_index_columns) & set(self._data_columns):
            return "stored index columns read as data (index=False) are taken from the Arrow table"
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
        meta = self.dataset.meta(self._data_columns, self._index_plan, self.backend, self._conversion)
        # columns made categorical while reading hold each partition's own values: unknown here, as dask
        made = [c for c in self._conversion.get("to_pandas", {}).get("categories", ()) if c in meta.columns]
        return bf.with_unknown_categories(meta, made) if made else meta

    @functools.cached_property
    def data_weight(self) -> float:
        """The bytes of the columns read over ``partition_bytes`` (see :attr:`FrameExpr.data_weight`), halved per
        filter term the optimizer pushed here (as a ``Filter`` halves its weight)."""
        from gpuscale.dataframe.expr.blockwise import MAX_HALVINGS

        columns = [*bio.read_columns(self._data_columns, self._index_plan)]
        size = self.dataset.column_bytes(columns) / max(1, int(self.partition_bytes))
        return size / 2 ** min(len(self._filters[1]), MAX_HALVINGS)

    def _divisions(self) -> tuple:
        # with a RangeIndex, partition i holds dataset rows from its first row group on
        index, partitions = self._index_plan, self._partitions
        if self.operand("calculate_divisions") is False or index.per_partition:
            return (None,) * (len(partitions) + 1)
        if not index.use_range:
            sorted_index = self.dataset.sorted_index_divisions(partitions, index, self._meta.index.dtype)
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

    def known_length(self) -> int | None:
        # the footers' row counts (as dask's len()); a filter's rows are only known by reading them
        return sum(p.num_rows for p in self._partitions) if not self.operand("filters") else None

    def _partition_task(self, i: int) -> tuple:
        return (bio.read_parquet_partition, self._partitions[i], self._read_spec)

    @property
    def row_groups_read(self) -> list[tuple[str, int]]:
        """``(file, row group)`` pairs this plan reads (what pushdown left)."""
        spec = self._read_spec
        return [rg for p in self._partitions for rg in bio.row_groups_of(bio.matching_row_groups(p, spec))]

    def _tree_label(self) -> str:
        columns = self.operand("columns")
        # only what the scan applies: a pushed term it cannot apply as pandas is left out (see _filters)
        filters = [f for f in self.operand("filters") or [] if isinstance(f, list) or
                   self.dataset.pushable(tuple(f), self.backend)]
        parts = [f"columns={list(columns)}" if columns is not None else "all columns"]
        if filters:
            parts.append(f"filters={list(filters)}")
        total = self.dataset.row_group_count()
        parts.append(f"row_groups={len(self.row_groups_read)}/{total}")
        if self.backend == "cudf":
            parts.append(f"reader={self.reader}")
        if self.operand("index_unread"):
            parts.append("index unread")
        return f"ReadParquet: {', '.join(parts)}  [npartitions={self.npartitions}]"


def _counts_rows_of(parent: Any, source: ReadParquet) -> bool:
    """True if ``parent`` only takes the number of rows of each of ``source``'s partitions."""
    args = getattr(parent, "args", None)
    return getattr(parent, "func", None) is bf.length and args is not None and \
        len(args) == 1 and args[0] is source


def read_parquet(path: Any, columns: Any = None, filters: list | None = None, index: Any = None,
                 storage_options: dict | None = None, backend: str | None = None,
                 partition_bytes: Any = None, schema: Any = None, engine: Any = None,
                 calculate_divisions: bool | None = None, split_row_groups: Any = "infer", blocksize: Any = "default",
                 aggregate_files: Any = None, dtype_backend: str | None = None, categories: Any = None,
                 arrow_to_pandas: dict | None = None, ignore_metadata_file: bool = False,
                 metadata_task_size: int | None = None, filesystem: Any = "fsspec",
                 parquet_file_extension: Any = (".parq", ".parquet", ".pq"), dataset: dict | None = None,
                 read_from_paths: bool | None = None) -> Any:
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
    index : str, list of str or False, optional
        Column(s) to use as the index (several: a MultiIndex), the index
        pandas wrote read as a column, as dask; False for a 0..n-1
        RangeIndex, the stored index columns read as the first columns;
        None (default) restores the index pandas wrote.  A column cannot be
        both in ``index`` and in ``columns``.
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
    calculate_divisions : bool, optional
        True or None (default): divisions from the footers' min/max
        statistics of a stored sorted index (unknown where they are missing
        or overlap), or from the row positions of a RangeIndex; the footers
        are read for planning anyway.  False: unknown divisions.
    split_row_groups : "infer", "adaptive", bool or int, default "infer"
        How row groups make partitions: ``"infer"`` / ``"adaptive"`` by size
        (``blocksize``), True one row group each, an int n up to n row groups
        of one file, False one file each.
    blocksize : int, str or None, optional
        dask's name for ``partition_bytes`` (``"default"``: the default).
        None, with ``split_row_groups`` ``"infer"`` or ``"adaptive"``: one
        file per partition, as dask.
    aggregate_files : bool or str, optional
        With size-based partitions: True lets a partition span files, None
        (default) or False keeps each file's row groups apart (as dask), a
        hive key (``"year"``) keeps files of different values of that key
        apart.
    dtype_backend : {None, "numpy_nullable", "pyarrow"}, optional
        As ``pandas.read_parquet``: nullable extension dtypes (``Int64``,
        ``boolean``, ``string``...) or ``pandas.ArrowDtype`` columns.  cuDF
        columns are nullable already (``"numpy_nullable"`` changes nothing);
        ``"pyarrow"`` raises ``ValueError`` for cuDF partitions.  With the
        option ``dataframe.convert_string`` on, string columns (and a string
        index) of pandas partitions are ``string[pyarrow]``, as dask's
        ``dataframe.convert-string`` makes them.
    categories : str, list or dict, optional
        Columns to read as ``category`` dtype (a dict's values, dask's label
        counts, are not needed).  pandas partitions only.
    arrow_to_pandas : dict, optional
        Keywords for ``pyarrow.Table.to_pandas`` (``types_mapper=``, applied
        before ``dtype_backend``'s).  pandas partitions only.
    parquet_file_extension : str, tuple of str or None, optional
        In a folder, only files with these endings are data files (when any
        file has one); None: every file but hidden and ``_``-prefixed ones.
    dataset : dict, optional
        dask's dataset options; ``{"partitioning": {...}}`` gives the
        keywords of ``pyarrow.dataset.partitioning`` (``{"flavor": "hive",
        "schema": pa.schema(...)}``: hive keys of those types instead of
        categoricals), or a pyarrow ``Partitioning`` such as
        ``HivePartitioning(pa.schema(...))``.  Other keys raise ``TypeError``.
    ignore_metadata_file, metadata_task_size, read_from_paths, filesystem
        Accepted for dask's signature: footers are read from the data files
        (a ``_metadata`` file is not used), each task reads its files' row
        groups by path; ``filesystem`` may be ``"fsspec"``, ``"arrow"`` or an
        fsspec filesystem.

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
        type raises ``ValueError`` naming the file and the column at compute time.  Also if
        ``categories=`` names a column the dataset does not have.

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
    if blocksize not in (None, "default"):
        partition_bytes = blocksize if partition_bytes is None else partition_bytes
    split = _split_row_groups(split_row_groups)
    if blocksize is None and partition_bytes is None and split is None:
        split = False  # dask: no target size, so whole files
    conversion = _conversion(library, dtype_backend, categories, arrow_to_pandas)
    path = with_filesystem(path, filesystem, "read_parquet")
    suffixes = (parquet_file_extension,) if isinstance(parquet_file_extension, str) else parquet_file_extension
    dataset = bio.open_parquet(path, storage_options, schema, tuple(suffixes) if suffixes else None,
                               _partitioning(dataset))
    _check_categories(categories, dataset.schema.names)
    if categories is None and library == "pandas" and dataset.stored_categoricals:
        # categoricals of numbers come back categorical, as dask (pandas.read_parquet gives the numbers)
        conversion = _conversion(library, dtype_backend, list(dataset.stored_categoricals), arrow_to_pandas)
    names = [columns] if isinstance(columns, str) else (None if columns is None else list(columns))
    if names is not None:
        dataset.check_columns(names, "columns=")
        _check_index_apart(index, names)
    groups = user_filters(filters)
    _check_filter_values(groups)
    dataset.filter_expression(groups)  # validates names now, not at compute time
    leaf = ReadParquet(names, groups, dataset, index, library, partition_bytes_for(library, partition_bytes),
                       split, aggregate_files, calculate_divisions, conversion, False, names)
    frame = new_collection(leaf)
    return frame[columns] if isinstance(columns, str) else frame


def check_engine(engine: Any, who: str) -> None:
    """dask's ``engine=``: pyarrow is the engine here (cuDF's readers and writers for cuDF partitions)."""
    if engine not in (None, "auto", "pyarrow", "cudf"):
        raise ValueError(f'{who}: Unsupported engine: "{engine}"; gpuscale reads and writes parquet with '
                         "pyarrow (cuDF for cuDF partitions), as dask does since it dropped fastparquet")


def _partitioning(options: dict | None) -> Any:
    """The partitioning of dask's ``dataset=`` options: keywords of ``pyarrow.dataset.partitioning``, or a
    pyarrow ``Partitioning`` (``HivePartitioning(schema)``) or ``PartitioningFactory`` (None: discovered)."""
    options = dict(options or {})
    partitioning = options.pop("partitioning", None)
    if options:
        raise TypeError(f"read_parquet: dataset= takes only 'partitioning' here, not {sorted(options)}")
    if partitioning is None or isinstance(partitioning, dict) or bio.is_arrow_partitioning(partitioning):
        return partitioning
    if isinstance(partitioning, str) and partitioning == "hive":
        return None
    raise TypeError("read_parquet: dataset={'partitioning': ...} takes a dict of pyarrow.dataset.partitioning "
                    f"keywords or a pyarrow Partitioning, got {partitioning!r}")


def _check_filter_values(groups: list | None) -> None:
    """``in`` needs a collection of values; ``is`` / ``is not`` compare with a missing value only."""
    for column, op, value in (term for group in groups or [] for term in group):
        if op in ("in", "not in") and not isinstance(value, (list, set, tuple, frozenset)):
            raise TypeError(f"read_parquet: Value of 'in' filter must be a list, set or tuple: ({column!r}, "
                            f"{op!r}, {value!r})")
        if op in ("is", "is not") and not (value is None or (isinstance(value, float) and value != value)):
            raise ValueError(f"read_parquet: the {op!r} filter compares with None or NaN (missing values), got "
                             f"({column!r}, {op!r}, {value!r}); use '==' / '!=' for values")


def _check_categories(categories: Any, available: list) -> None:
    """``categories=`` names columns of the dataset (pyarrow would silently ignore another name)."""
    wanted = [categories] if isinstance(categories, str) else list(categories or ())
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ValueError(f"read_parquet: categories= names column(s) {unknown} the dataset does not have; "
                         f"available columns: {list(available)}")


def _check_index_apart(index: Any, names: list) -> None:
    """A column read as the index is not also a data column: the frame cannot hold it twice."""
    wanted = [index] if isinstance(index, str) else list(index) if isinstance(index, (list, tuple)) else []
    both = [name for name in wanted if name in names]
    if both:
        raise ValueError(f"read_parquet: {both} named both in index= and in columns=; a column is read as the "
                         "index or as a column, not both")


def _split_row_groups(split: Any) -> Any:
    """``split_row_groups`` for the planner: None (by size), True, False or a positive int."""
    if split is None or (isinstance(split, str) and split in ("infer", "adaptive")):
        return None
    if isinstance(split, bool) or (isinstance(split, int) and split > 0):
        return split
    raise ValueError(f"read_parquet: split_row_groups must be 'infer', 'adaptive', True, False or a positive int, "
                     f"got {split!r}")


def _conversion(library: str, dtype_backend: Any, categories: Any, arrow_to_pandas: dict | None) -> tuple:
    """The read's Arrow-to-pandas options as sorted ``(name, value)`` pairs; cuDF refuses what it cannot do."""
    if dtype_backend not in (None, "numpy_nullable", "pyarrow"):
        raise ValueError(f"read_parquet: dtype_backend must be None, 'numpy_nullable' or 'pyarrow', "
                         f"got {dtype_backend!r}")
    to_pandas = dict(arrow_to_pandas or {})
    if categories is not None:
        to_pandas["categories"] = [categories] if isinstance(categories, str) else list(categories)
    if library == "cudf":
        refused = [name for name, given in (("dtype_backend='pyarrow'", dtype_backend == "pyarrow"),
                                            ("categories", categories is not None),
                                            ("arrow_to_pandas", bool(arrow_to_pandas))) if given]
        if refused:
            raise ValueError(f"read_parquet: {', '.join(refused)} is not available for cuDF partitions (cuDF has "
                             "no pandas conversion step); read with backend='pandas'")
        return ()
    options = {"to_pandas": to_pandas} if to_pandas else {}
    if dtype_backend is not None:
        options["dtype_backend"] = dtype_backend
    if config.get("dataframe.convert_string"):
        options["convert_string"] = True  # dask's dataframe.convert-string: strings as string[pyarrow]
    return tuple(sorted(options.items()))


def with_filesystem(path: Any, filesystem: Any, who: str) -> Any:
    """dask's ``filesystem=``: ``"fsspec"`` / ``"arrow"`` (the paths' own) or an fsspec filesystem."""
    if filesystem is None or (isinstance(filesystem, str) and filesystem.lower() in ("fsspec", "arrow", "pyarrow")):
        return path
    unstrip = getattr(filesystem, "unstrip_protocol", None)
    if unstrip is None:
        raise TypeError(f"{who}: filesystem= must be 'fsspec', 'arrow' or an fsspec filesystem, "
                        f"got {filesystem!r}")
    return [unstrip(p) for p in path] if isinstance(path, (list, tuple)) else unstrip(str(path))


def create_metadata_file(paths: list, root_dir: str | None = None, out_dir: Any = None, engine: Any = "pyarrow",
                         storage_options: dict | None = None, split_every: int = 32, compute: bool = True,
                         compute_kwargs: dict | None = None, fs: Any = None) -> Any:
    """Write a ``_metadata`` file (and ``_common_metadata``) describing existing parquet files.

    Parameters
    ----------
    paths : list of str
        The data files (local paths or fsspec URLs).
    root_dir : str, optional
        The dataset's folder: the files' paths in ``_metadata`` are relative
        to it (default: their common folder).
    out_dir : str or False, optional
        Where to write the files (default ``root_dir``); False writes
        nothing and returns the merged ``pyarrow.parquet.FileMetaData``.
    engine : {"pyarrow"}, optional
        Accepted for dask's signature.
    storage_options : dict, optional
        Options for the fsspec filesystem.
    split_every, compute, compute_kwargs
        Accepted for dask's signature: the footers are read and merged now,
        on the client (they are small).
    fs : fsspec filesystem, optional
        The filesystem of ``paths`` when they carry no protocol.

    Returns
    -------
    pyarrow.parquet.FileMetaData or None
        The merged footers with ``out_dir=False``; otherwise None.

    Raises
    ------
    ValueError
        If the files have different schemas or one is not under ``root_dir`` (the file is named).

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.io.parquet import create_metadata_file
    >>> folder = os.path.join(tempfile.mkdtemp(), "ds")
    >>> gd.from_pandas(pd.DataFrame({"x": range(6)}), npartitions=3, backend="cpu").to_parquet(folder)
    >>> files = [os.path.join(folder, name) for name in sorted(os.listdir(folder))]
    >>> create_metadata_file(files, out_dir=False).num_row_groups
    3
    >>> create_metadata_file(files)
    >>> sorted(os.listdir(folder))[:2]
    ['_common_metadata', '_metadata']
    """
    import posixpath

    from gpuscale.backends.io import fs as io_fs
    from gpuscale.backends.io.parquet_files import merged_footers, write_metadata

    check_engine(engine, "create_metadata_file")
    paths = [paths] if isinstance(paths, str) else list(paths)
    if fs is None:
        fs, paths = io_fs.resolve_fs(paths, storage_options)
    else:
        paths = [fs._strip_protocol(str(p)) for p in paths]
    root = (fs._strip_protocol(str(root_dir)) if root_dir is not None else
            posixpath.commonpath([posixpath.dirname(p) for p in paths]))
    merged = merged_footers(fs, paths, root)
    if out_dir is False:
        return merged
    write_metadata(fs, root if out_dir is None else fs._strip_protocol(str(out_dir)), merged)
    return None
