"""Reading and writing dataframes: parquet and CSV, local files and fsspec URLs.

The expression leaves live here; everything that touches pyarrow, pandas,
cuDF or fsspec lives in :mod:`gpuscale.backends.io`.
"""

from gpuscale.dataframe.io.csv import ReadCSV, read_csv
from gpuscale.dataframe.io.parquet import ReadParquet, read_parquet
from gpuscale.dataframe.io.write import WriteCSV, WriteParquet, to_csv, to_parquet

__all__ = ["read_parquet", "read_csv", "to_parquet", "to_csv", "ReadParquet", "ReadCSV", "WriteParquet", "WriteCSV"]


def __getattr__(name: str):
    # dask.dataframe.io's other public names, loaded on first use (code ported from dask imports them from here)
    import gpuscale.dataframe as gd

    if name in _DASK_IO_NAMES:
        return getattr(gd, name)
    raise AttributeError(f"module 'gpuscale.dataframe.io' has no attribute {name!r}")


_DASK_IO_NAMES = ("read_json", "to_json", "read_table", "read_fwf", "read_orc", "to_orc", "read_sql", "read_sql_query",
                  "read_sql_table", "to_sql", "read_hdf", "to_hdf", "from_dask_array", "demo", "from_pandas",
                  "from_array", "from_map", "from_delayed", "from_dict", "to_records", "to_bag")
