"""``gpuscale.dataframe``: a lazy DataFrame with the API of ``dask.dataframe``.

Partitions are pandas or cuDF objects (``backend=`` or the global switch);
``compute()`` returns pandas or cuDF.  Port Dask code by changing the import:

>>> import gpuscale.dataframe as gd                      # doctest: +SKIP
>>> df = gd.from_pandas(pdf, npartitions=4)               # doctest: +SKIP
>>> df[df.x > 0].groupby("k").y.mean().compute()          # doctest: +SKIP
"""

from gpuscale.dataframe.aggregation import Aggregation
from gpuscale.dataframe.core import Scalar, new_collection
from gpuscale.dataframe.creation import from_array, from_cudf, from_dict, from_pandas
from gpuscale.dataframe.frame import DataFrame
from gpuscale.dataframe.interop import from_dask_array, from_delayed, from_graph, from_map, to_delayed
from gpuscale.dataframe.io import read_csv, read_parquet, to_csv, to_parquet
from gpuscale.dataframe.reshape import crosstab, get_dummies, melt, pivot_table
from gpuscale.dataframe.window import map_overlap
from gpuscale.dataframe.series import Index, Series

__all__ = ["DataFrame", "Series", "Index", "Scalar", "from_pandas", "from_cudf", "from_dict", "from_array",
           "new_collection", "concat", "merge", "to_datetime", "read_parquet", "read_csv", "to_parquet", "to_csv",
           "from_map", "from_delayed", "from_graph", "to_delayed", "from_dask_array", "Aggregation",
           "get_dummies", "pivot_table", "melt", "map_overlap", "map_partitions", "repartition", "isna", "to_numeric",
           "to_timedelta", "compute", "assert_eq", "read_json", "to_json", "read_table", "read_orc", "to_orc", "read_sql_table", "read_sql_query", "read_sql", "to_sql", "read_hdf", "to_hdf", "merge_asof", "read_fwf", "to_bag", "to_records",
           "read_text", "cut", "qcut", "crosstab", "notna", "isnull", "notnull", "pivot"]


def __getattr__(name: str):
    import importlib

    lazy = {"concat": "gpuscale.dataframe.multi:concat", "merge": "gpuscale.dataframe.multi:merge",
            "to_datetime": "gpuscale.dataframe.multi:to_datetime",
            "merge_asof": "gpuscale.dataframe.asof:merge_asof", "demo": "gpuscale.dataframe.demo",
            "extensions": "gpuscale.dataframe.extensions",
            **{n: f"gpuscale.dataframe.io.json:{n}" for n in ("read_json", "to_json", "read_table")},
            "read_fwf": "gpuscale.dataframe.io.csv:read_fwf", "read_text": "gpuscale.dataframe.io.text:read_text",
            **{n: f"gpuscale.dataframe.io.orc:{n}" for n in ("read_orc", "to_orc")},
            **{n: f"gpuscale.dataframe.io.sql:{n}" for n in ("read_sql_table", "read_sql_query", "read_sql", "to_sql")},
            **{n: f"gpuscale.dataframe.io.hdf:{n}" for n in ("read_hdf", "to_hdf")},
            "cut": "gpuscale.dataframe.binning:cut", "qcut": "gpuscale.dataframe.binning:qcut",
            "to_bag": "gpuscale.dataframe.io_methods:to_bag", "to_records": "gpuscale.dataframe.records:to_records",
            **{n: f"gpuscale.dataframe.toplevel:{n}" for n in ("map_partitions", "repartition", "isna", "to_numeric",
                                                                "to_timedelta", "compute", "assert_eq", "notna",
                                                                "isnull", "notnull", "pivot")}}
    if name in lazy:
        module, _, attr = lazy[name].partition(":")
        return getattr(importlib.import_module(module), attr) if attr else importlib.import_module(module)
    raise AttributeError(f"module 'gpuscale.dataframe' has no attribute {name!r}")
