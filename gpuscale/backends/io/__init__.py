"""File IO for dataframe partitions: parquet, CSV and JSON reads, atomic writes.

The dataframe collections (``gpuscale.dataframe.io``) build the graphs; the
functions that touch pyarrow, pandas, cuDF and fsspec live in the modules of
this package (the names most used are re-exported here):

``fs``             paths, fsspec URLs, globs, temporary siblings and commits
``parquet``        dataset discovery, schema, row-group planning
``parquet_read``   partition reads (columns, row groups, index)
``parquet_stats``  row-group statistics (sizes, null counts, min/max) for planning and filter pushdown
``parquet_hive``   hive partition folders and pyarrow partitioning objects
``csv``            byte blocks, block reads, error messages naming file and line
``json``           JSON blocks, reads and writes
``write``          per-partition parquet/CSV writers and the commit task
``frames``         Arrow/pandas -> partition of the chosen library
``cudf``           cuDF partitions read by cudf.read_parquet / cudf.read_csv (device decode)
"""

from gpuscale.backends.io.csv import (
    CsvBlock, CsvExtras, CsvDtypeError, CsvParseError, CsvReadSpec, CsvSource, open_csv, project_columns, read_csv_block,
    read_csv_partition, sample_meta, sample_source_meta, path_values,
)
from gpuscale.backends.io.cudf import csv_reader_problem
from gpuscale.backends.io.json import JsonDtypeError, JsonParseError, JsonRowError
from gpuscale.backends.io.path_column import check_path_column
from gpuscale.backends.io.frames import empty_like, frame_to_backend, unknown_columns_error
from gpuscale.backends.io.parquet_read import matching_row_groups, read_columns
from gpuscale.backends.io.parquet_stats import ColumnRef
from gpuscale.backends.io.parquet_hive import is_arrow_partitioning
from gpuscale.backends.io.parquet import (
    IndexPlan, ParquetDataset, ParquetPartition, ParquetReadSpec, filter_columns, open_parquet,
    read_parquet_partition, row_groups_of,
)
from gpuscale.backends.io.parquet_files import settle_null_columns, untyped_columns
from gpuscale.backends.io.write import (
    CsvWriteSpec, ExistingParquet, ParquetWriteSpec, WriteTarget, check_append, existing_parquet, finish,
    finish_parquet, open_target, parquet_schema, parquet_writer_options, prepare, write_csv_part, write_parquet_part,
)

__all__ = [
    "CsvBlock", "CsvExtras", "CsvDtypeError", "CsvParseError", "CsvReadSpec", "CsvSource", "open_csv", "project_columns",
    "read_csv_block", "read_csv_partition", "sample_meta", "sample_source_meta", "path_values", "csv_reader_problem", "check_path_column",
    "JsonParseError", "JsonRowError", "JsonDtypeError", "empty_like", "frame_to_backend", "unknown_columns_error",
    "ColumnRef", "filter_columns", "is_arrow_partitioning", "IndexPlan", "ParquetDataset", "ParquetPartition", "ParquetReadSpec", "open_parquet", "read_parquet_partition", "row_groups_of",
    "matching_row_groups", "read_columns",
    "CsvWriteSpec", "ExistingParquet", "ParquetWriteSpec", "WriteTarget", "check_append", "existing_parquet",
    "finish", "finish_parquet", "open_target", "parquet_schema", "settle_null_columns", "untyped_columns", "parquet_writer_options", "prepare", "write_csv_part", "write_parquet_part",
]
