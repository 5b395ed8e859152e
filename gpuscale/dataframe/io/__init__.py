"""Reading and writing dataframes: parquet and CSV, local files and fsspec URLs.

The expression leaves live here; everything that touches pyarrow, pandas,
cuDF or fsspec lives in :mod:`gpuscale.backends.io`.
"""

from gpuscale.dataframe.io.csv import ReadCSV, read_csv
from gpuscale.dataframe.io.parquet import ReadParquet, read_parquet
from gpuscale.dataframe.io.write import WriteCSV, WriteParquet, to_csv, to_parquet

__all__ = ["read_parquet", "read_csv", "to_parquet", "to_csv", "ReadParquet", "ReadCSV", "WriteParquet", "WriteCSV"]
