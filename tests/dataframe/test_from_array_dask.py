"""``from_array`` as ``dask.dataframe.from_array``: row blocks of ``chunksize`` rows, record arrays, checks."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("rows, chunksize", [(10, 4), (12, 4), (3, 5), (7, 1)])
def test_blocks_of_chunksize_rows_with_dask_s_divisions(rows, chunksize):
    x = np.arange(rows * 3).reshape(rows, 3)
    df = gd.from_array(x, chunksize=chunksize, columns=list("abc"))
    theirs = dd.from_array(x, chunksize=chunksize, columns=list("abc"))
    assert df.divisions == theirs.divisions
    tm.assert_frame_equal(df.compute(), pd.DataFrame(x, columns=list("abc")))


def test_record_array_gives_a_column_per_field():
    x = np.array([(i, i * 10.0) for i in range(10)], dtype=[("a", "i4"), ("b", "f8")])
    df = gd.from_array(x, chunksize=4)
    assert list(df.columns) == ["a", "b"] and df.divisions == (0, 4, 8, 9)
    tm.assert_frame_equal(df.compute(), pd.DataFrame(x))


def test_one_dimension_with_a_list_of_one_name_is_a_frame():
    y = np.arange(5.0)
    tm.assert_frame_equal(gd.from_array(y, columns=["v"]).compute(), pd.DataFrame(y, columns=["v"]))
    tm.assert_series_equal(gd.from_array(y, columns="v").compute(), pd.Series(y, name="v"))


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match="more than 2D array"):
        gd.from_array(np.ones((3, 3, 3)))
    with pytest.raises(ValueError, match="names must match width: 1 names for 3 columns"):
        gd.from_array(np.ones((10, 3)), columns=["a"])


def test_from_pandas_argument_errors_are_dask_s():
    pdf = pd.DataFrame({"x": [1, 2, 3]})
    with pytest.raises(TypeError, match="must be a pandas DataFrame or Series"):
        gd.from_pandas("foo")
    with pytest.raises(TypeError, match="provide npartitions as an int"):
        gd.from_pandas(pdf, npartitions=5.2)
    with pytest.raises(TypeError, match="provide chunksize as an int"):
        gd.from_pandas(pdf, chunksize=18.27)
    with pytest.raises(ValueError, match="Exactly one of npartitions and chunksize"):
        gd.from_pandas(pdf, npartitions=2, chunksize=2)
    with pytest.raises(ValueError, match="chunksize=0 must be an integer >= 1"):
        gd.from_pandas(pdf, chunksize=0)


@pytest.mark.parametrize("index", [list("ABCCCCCC"), list("ABBBBBBC"), list("AAAAABBC"), list("AAABBBCC")])
def test_duplicated_index_values_still_give_npartitions_as_dask(index):
    pdf = pd.DataFrame({"a": range(8), "index": index}).set_index("index")
    df = gd.from_pandas(pdf, npartitions=3)
    assert df.divisions == dd.from_pandas(pdf, npartitions=3).divisions == ("A", "B", "C", "C")
    tm.assert_frame_equal(df.compute(), pdf)
    parts = [to_host(df.get_partition(i).compute()) for i in range(df.npartitions)]
    assert all(len(p) for p in parts)  # no empty partition, each value in one partition only
    assert len({v for p in parts for v in set(p.index)}) == sum(len(set(p.index)) for p in parts)


def test_fewer_distinct_values_than_partitions_give_one_partition_per_value():
    pdf = pd.DataFrame({"a": range(6)}, index=list("AABBBC"))
    df = gd.from_pandas(pdf, npartitions=5)
    assert df.divisions == ("A", "B", "C", "C")
    tm.assert_frame_equal(df.compute(), pdf)


def test_a_dask_or_gpuscale_array_is_read_lazily_a_block_per_partition():
    import dask.array as da

    import gpuscale.array as ga

    x = da.from_array(np.arange(20.0).reshape(10, 2), chunks=(4, 2))
    df, theirs = gd.from_array(x, columns=["a", "b"]), dd.from_array(x, columns=["a", "b"])
    assert df.npartitions == theirs.npartitions == 3 and df.divisions == theirs.divisions
    tm.assert_frame_equal(df.compute(), theirs.compute())
    assert gd.from_array(x, chunksize=5).divisions == (0, 5, 9)  # chunksize= splits the rows anew
    y = ga.from_array(np.arange(10), chunks=3, backend="numpy")
    assert gd.from_array(y).divisions == dd.from_array(da.from_array(np.arange(10), chunks=3)).divisions
    tm.assert_series_equal(gd.from_array(y).compute(), pd.Series(np.arange(10)))
