"""Results of extension dtypes whose computed partitions disagreed with the declared metadata or with pandas
(found by fuzzing against pandas 3.1): cumulative scans of Arrow integers, ``map`` of a dict over nullable
numbers, ``to_dask_array`` of nullable integers, ``str.get_dummies`` of a categorical with missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


@pytest.mark.parametrize("how", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["uint8[pyarrow]", "int16[pyarrow]", "uint64[pyarrow]", "float[pyarrow]"])
def test_cumulative_scan_keeps_the_arrow_dtype(how, dtype):
    # the carry of the partitions before (a Python number) widened the partition's scan: uint8[pyarrow]
    # declared, int64[pyarrow] computed (uint64: double); pandas' scan keeps the dtype
    skip_on_stand_in("cuDF has no Arrow dtypes")
    s = pd.Series([1, 2, None, 3, 1, 2], dtype=dtype)
    for npartitions in (2, 3):
        got = getattr(gd.from_pandas(s, npartitions=npartitions), how)()
        expected = getattr(s, how)()
        assert got.dtype == expected.dtype
        pd.testing.assert_series_equal(got.compute(), expected)
    frame = pd.DataFrame({"a": s, "b": range(6)})
    got = getattr(gd.from_pandas(frame, npartitions=3), how)().compute()
    pd.testing.assert_frame_equal(got, getattr(frame, how)())


def test_cumsum_of_arrow_integers_overflows_as_pandas():
    skip_on_stand_in("cuDF has no Arrow dtypes")
    s = pd.Series([200, 50, 10, None, 3], dtype="uint8[pyarrow]")
    with pytest.raises(pa.ArrowInvalid):
        s.cumsum()
    with pytest.raises(pa.ArrowInvalid):
        gd.from_pandas(s, npartitions=2).cumsum().compute()


@pytest.mark.parametrize("dtype", ["Float64", "Float32", "Int64", "Int8", "float64"])
@pytest.mark.parametrize("mapper", [{1: 10, 2: 20}, {1: 1.5}, {1: "one", 3: "three"}])
def test_map_of_a_dict_declares_what_pandas_gives(backend, dtype, mapper):
    # the dtype was inferred from sample values all among the dict's keys (Float64 mapped to integers: Int64),
    # and forced onto partitions of only missing results; pandas maps values the dict lacks (and missing ones)
    # to missing values: Float64
    s = pd.Series([1, 2, None, 3, 5, 1], dtype=dtype)
    expected = s.map(mapper)
    for npartitions in (1, 2, 3):
        got = gd.from_pandas(s, npartitions=npartitions).map(mapper)
        result = to_host(got.compute())
        assert to_host(got._meta).dtype == result.dtype
        if backend == "pandas":  # (cuDF has no Float64: its own float64, int64 with nulls)
            assert got.dtype == expected.dtype
            pd.testing.assert_series_equal(result, expected)
        else:
            pd.testing.assert_series_equal(result, expected, check_dtype=False)


def _assert_same_array(got, expected):
    # (as frames: missing values compare equal, pd.NA among objects too)
    assert got.dtype == expected.dtype
    pd.testing.assert_frame_equal(pd.DataFrame(got.reshape(len(got), -1)), pd.DataFrame(expected.reshape(len(expected), -1)))


@pytest.mark.parametrize("dtype", ["Int64", "UInt8", "int16[pyarrow]", "Float32", "boolean"])
def test_to_dask_array_of_nullable_columns_declares_its_blocks_dtype(dtype):
    # an Int64 column declared int64 (pandas' to_numpy() of no values) and computed float64 where a partition
    # holds a missing value (int64 where none does): one dtype now, pandas' of a column with missing values
    skip_on_stand_in("cuDF's int columns with nulls have no CuPy values")
    values = [True, None, False, True, True] if dtype == "boolean" else [1, None, 3, 4, 5]
    s = pd.Series(values, dtype=dtype)
    expected = s.to_numpy()
    for npartitions in (1, 2, 3):
        got = gd.from_pandas(s, npartitions=npartitions).to_dask_array()
        blocks = [b.compute() for b in got.blocks]
        assert got.dtype == expected.dtype
        assert all(b.dtype == expected.dtype for b in blocks)
        _assert_same_array(got.compute(), expected)
    frame = pd.DataFrame({"a": s, "b": s})
    got = gd.from_pandas(frame, npartitions=2).to_dask_array()
    assert got.dtype == got.compute().dtype == expected.dtype
    _assert_same_array(got.compute(), np.stack([expected, expected], axis=1))


def test_to_dask_array_of_integer_categories():
    skip_on_stand_in("cuDF's categorical values are the categories' CuPy array")
    s = pd.Series([1, None, 3, 3], dtype="category")
    got = gd.from_pandas(s, npartitions=2).to_dask_array()
    assert got.dtype == got.compute().dtype == s.to_numpy().dtype
    _assert_same_array(got.compute(), s.to_numpy())


@pytest.mark.parametrize("values", [[None, None, "a_b", "a"], ["a_b", None, "b", "c_a"], ["a", "b_c", "c", "a"]])
def test_str_get_dummies_of_a_categorical_counts_missing_values_as_nan(values):
    # pandas reads a categorical's values as text with "NaN" for missing ones (a column of its own); that column
    # was left out, and a partition of only missing values gave zeros
    s = pd.Series(values, dtype="category")
    expected = s.str.get_dummies("_")
    for npartitions in (1, 2):
        got = gd.from_pandas(s, npartitions=npartitions).str.get_dummies("_")
        assert list(got.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_column_type=False)
