"""File IO for dataframe partitions: parquet and CSV reads, atomic writes.

The dataframe collections (``gpuscale.dataframe.io``) build the graphs; the
functions that touch pyarrow, pandas, cuDF and fsspec live in the modules
re-exported here:

``io_fs``       paths, fsspec URLs, globs, temporary siblings and commits
``io_parquet``  dataset discovery, pushdown, row-group planning, partition reads
``io_csv``      byte blocks, block reads, error messages naming file and line
``io_write``    per-partition parquet/CSV writers and the commit task
``io_frames``   Arrow/pandas -> partition of the chosen library
``io_cudf``     cuDF partitions read by cudf.read_parquet / cudf.read_csv (device decode)
"""

from gpuscale.backends.io_csv import (
    CsvBlock, CsvDtypeError, CsvParseError, CsvReadSpec, CsvSource, open_csv, project_columns, read_csv_block,
    read_csv_partition, sample_meta,
)
from gpuscale.backends.io_cudf import csv_reader_problem
from gpuscale.backends.io_frames import empty_like, frame_to_backend, unknown_columns_error
from gpuscale.backends.io_parquet_read import read_columns
from gpuscale.backends.io_parquet_stats import ColumnRef
from gpuscale.backends.io_parquet import (
    IndexPlan, ParquetDataset, ParquetPartition, ParquetReadSpec, filter_columns, open_parquet, read_parquet_partition, row_groups_of,
)
from gpuscale.backends.io_write import (
    CsvWriteSpec, ParquetWriteSpec, WriteTarget, finish, open_target, parquet_schema, parquet_writer_options, prepare,
    write_csv_part, write_parquet_part,
)

__all__ = [
    "CsvBlock", "CsvDtypeError", "CsvParseError", "CsvReadSpec", "CsvSource", "open_csv", "project_columns",
    "read_csv_block", "read_csv_partition", "sample_meta", "csv_reader_problem",
    "empty_like", "frame_to_backend", "unknown_columns_error",
    "ColumnRef", "filter_columns", "IndexPlan", "ParquetDataset", "ParquetPartition", "ParquetReadSpec", "open_parquet", "read_parquet_partition", "row_groups_of",
    "read_columns",
    "CsvWriteSpec", "ParquetWriteSpec", "WriteTarget", "finish", "open_target", "parquet_schema", "parquet_writer_options", "prepare", "write_csv_part", "write_parquet_part",
]
