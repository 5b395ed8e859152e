"""read_parquet of hive folders with a partitioning schema given: the keys have the schema's dtypes."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def test_hive_key_of_a_given_schema_keeps_its_dtype(tmp_path, backend):
    # the files lack the key column: it was counted as holding nulls, and read as float64
    path = str(tmp_path / "hive")
    ds.write_dataset(pa.table({"k": [0, 1, 0], "w": [1, 2, 3]}), path, format="parquet", partitioning=["k"],
                     partitioning_flavor="hive")
    schema = pa.schema([("k", pa.int32())])
    df = gd.read_parquet(path, dataset={"partitioning": {"flavor": "hive", "schema": schema}})
    expected = pd.read_parquet(path, partitioning=ds.partitioning(schema, flavor="hive"))
    assert str(df.dtypes["k"]) == "int32"
    result = to_host(df.compute()).sort_values(["k", "w"]).reset_index(drop=True)
    tm.assert_frame_equal(result, expected.sort_values(["k", "w"]).reset_index(drop=True))
    assert result.dtypes.to_dict() == {"w": "int64", "k": "int32"}
