"""read_parquet of a pandas MultiIndex with a level pandas stored as a range description (not a column)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


@pytest.fixture
def range_level_file(tmp_path) -> str:
    index = pd.MultiIndex.from_arrays([list("abaabb"), range(10, 16)], names=["k", "j"])
    path = str(tmp_path / "data.parquet")
    pd.DataFrame({"x": range(6)}, index=index).to_parquet(path, row_group_size=2)
    return path


@pytest.mark.parametrize("kwargs", [{}, {"split_row_groups": True}, {"split_row_groups": True,
                                                                      "filters": [("x", ">", 2)]}])
def test_range_level_in_meta_and_every_partition(range_level_file, backend, kwargs):
    # the meta (and each partition of a part of the rows) had the stored level "k" alone; pandas' read with
    # filters= has it alone too (pyarrow restores a range level for all the rows only; pandas 2.2 stores "j" as a
    # column, and reads both levels)
    if backend == "cudf" and "filters" in kwargs:
        skip_on_stand_in("the stand-in's DataFrame.from_arrow refuses pandas' range-described index levels")
    df = gd.read_parquet(range_level_file, **kwargs)
    expected = pd.read_parquet(range_level_file, filters=kwargs.get("filters"))
    meta = to_host(df._meta)
    names = list(expected.index.names)
    assert list(meta.index.names) == names
    result = to_host(df.compute())
    tm.assert_frame_equal(result, expected)
    assert list(df.reset_index().columns) == list(result.reset_index().columns) == [*names, "x"]
    for i in range(df.npartitions):
        assert list(to_host(df.partitions[i].compute()).index.names) == names
