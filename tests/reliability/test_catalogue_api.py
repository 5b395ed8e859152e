"""Reliability catalogue (docs/reliability.md), API misuse: bad arguments to collections, operations on columns
and dtypes that cannot work, and arrays used the wrong way. Each test holds one catalogue entry."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.array as ga
import gpuscale.dataframe as gd
from tests.pandas_versions import needs_pandas_3

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def pdf():
    return pd.DataFrame({"i": range(100), "f": np.arange(100) * 0.5, "s": [f"s{k}" for k in range(100)],
                         "k": [k % 3 for k in range(100)]})


@pytest.fixture
def df(pdf):
    return gd.from_pandas(pdf, npartitions=4)


# ---------------------------------------------------------------------------------------------- creation
def test_from_pandas_negative_npartitions(pdf):
    try:
        df = gd.from_pandas(pdf, npartitions=-1)
    except ValueError as error:
        assert "npartitions" in str(error)
    else:
        assert len(df.compute()) == len(pdf)  # today: 0 rows


def test_from_pandas_zero_npartitions_gives_one_partition(pdf):
    # dask: TypeError "unsupported operand type(s) for +: 'NoneType' and 'int'"
    df = gd.from_pandas(pdf, npartitions=0)
    assert df.npartitions == 1
    pd.testing.assert_frame_equal(df.compute(), pdf)


def test_from_pandas_fractional_npartitions(pdf):
    # as dask: TypeError "Please provide npartitions as an int"
    with pytest.raises(TypeError, match="provide npartitions as an int, got 2.5"):
        gd.from_pandas(pdf, npartitions=2.5)


def test_from_pandas_zero_chunksize_names_the_argument(pdf):
    with pytest.raises(ValueError, match="chunksize"):
        gd.from_pandas(pdf, chunksize=0)


def test_from_pandas_npartitions_and_chunksize_together(pdf):
    # as dask: one of them, or the answer depends on which one wins
    with pytest.raises(ValueError, match="Exactly one of npartitions and chunksize must be specified"):
        gd.from_pandas(pdf, npartitions=2, chunksize=10)


@pytest.mark.parametrize("chunks", [0, -5], ids=["zero", "minus-5"])
def test_array_chunks_zero_or_negative(chunks):
    with pytest.raises(ValueError, match="chunks"):
        ga.ones((10,), chunks=chunks)


def test_array_chunks_minus_one_is_the_whole_axis():
    assert ga.ones((10, 4), chunks=(-1, 2)).chunks == ((10,), (2, 2))


def test_array_fractional_chunks_are_truncated():
    # dask: ValueError "chunks can only contain integers."
    x = ga.ones((10,), chunks=2.5)
    assert x.chunks == ((2, 2, 2, 2, 2),) and float(x.sum().compute()) == 10.0


def test_array_chunks_string_that_is_no_size():
    with pytest.raises(ValueError, match=r"chunks='abc': expected 'auto' or a block size"):
        ga.ones((10,), chunks="abc")


def test_array_unknown_dtype():
    with pytest.raises(TypeError, match="data type 'nonsense' not understood"):
        ga.ones((3,), dtype="nonsense")


def test_array_full_with_a_string_fill_value():
    with pytest.raises((TypeError, ValueError), match="fill"):
        ga.full((3,), "abc", dtype="float64")


def test_array_from_array_of_a_list():
    try:
        x = ga.from_array([1, 2, 3])
    except AttributeError:
        raise
    except (TypeError, ValueError) as error:
        assert "asarray" in str(error) or "array" in str(error)
    else:
        assert x.compute().tolist() == [1, 2, 3]


def test_array_arange_step_zero():
    with pytest.raises(ValueError, match="arange: step must not be zero"):
        ga.arange(0, 10, 0)


# ---------------------------------------------------------------------------------------------- compute
@pytest.mark.parametrize("scheduler", ["bogus"])
def test_collection_compute_with_an_unknown_scheduler(df, scheduler):
    with pytest.raises(ValueError, match=f"unknown scheduler '{scheduler}'; use 'sync', 'threads', 'processes'"):
        df.i.sum().compute(scheduler=scheduler)


def test_collection_compute_with_an_unknown_option():
    # dask's schedulers ignore keywords they do not take; gpuscale's too, but names them
    with pytest.warns(UserWarning, match=r"options ignored: 'bogus_option'; gpuscale's runtime takes num_workers"):
        assert ga.ones((3,)).sum().compute(bogus_option=1) == 3


def test_failing_partition_function_is_named_by_its_task(df, pdf):
    def broken(part):
        if part.i.iloc[0] >= 50:
            raise ZeroDivisionError("bad partition")
        return part

    with pytest.raises(ZeroDivisionError, match="bad partition") as info:
        df.map_partitions(broken, meta=pdf.iloc[:0]).compute()
    assert any(note.startswith("raised by gpuscale task ('broken-") for note in info.value.__notes__)


# ---------------------------------------------------------------------------------------------- frames
def test_groupby_unknown_aggregation_name(df):
    with pytest.raises(AttributeError, match=r"groupby agg\('bogus'\) is not supported for columns \['i'\]"):
        df.groupby("k").i.agg("bogus").compute()


def test_groupby_agg_dict_naming_an_unknown_column(df):
    with pytest.raises(KeyError, match=r"\['zz'\]"):
        df.groupby("k").agg({"zz": "sum"}).compute()


@pytest.mark.parametrize("right_keys", [
    pd.Series([1.0, 2.0, 5.0]),
    pd.Series([1, 2, 5], dtype="uint64"),
    pd.Series([1, 2, 5], dtype="int32"),
    pd.Series([1, 2, 5], dtype="Int64"),
], ids=["float64", "uint64", "int32", "Int64"])
def test_shuffle_merge_on_int64_and_other_numeric_keys_matches_pandas(right_keys):
    left = pd.DataFrame({"k": [1, 2, 3, 4] * 5, "v": range(20)})
    right = pd.DataFrame({"k": right_keys, "w": [10, 20, 50]})
    ours = gd.from_pandas(left, npartitions=3).merge(gd.from_pandas(right, npartitions=2), on="k", broadcast=False)
    order = ["k", "v"]
    pd.testing.assert_frame_equal(ours.compute().sort_values(order).reset_index(drop=True),
                                  left.merge(right, on="k").sort_values(order).reset_index(drop=True))


def test_astype_unknown_dtype_fails_at_build_time(df):
    with pytest.raises(TypeError, match="data type 'nonsense' not understood"):  # pandas' own error
        df.i.astype("nonsense")


def test_astype_int_of_values_that_are_not_numbers(df):
    with pytest.raises(ValueError, match=r"invalid literal for int\(\) with base 10: 's\d+'"):  # pandas', at compute
        df.s.astype("int64").compute()


def test_astype_int_of_missing_values(pdf):
    series = gd.from_pandas(pd.Series([1.0, None, 3.0]), npartitions=2)
    with pytest.raises(ValueError, match="Cannot convert non-finite values"):  # pandas' IntCastingNaNError
        series.astype("int64").compute()


def test_astype_dict_naming_an_unknown_column(df):
    with pytest.raises(KeyError, match="'zz' not found in columns"):  # pandas' own error
        df.astype({"zz": "int64"})


@needs_pandas_3("text is object dtype, whose arithmetic is not refused up front")
def test_adding_a_number_to_a_string_column(df):
    with pytest.raises(TypeError, match="operation 'add' not supported for dtype 'str'"):  # pandas' own error
        df.s + 1


def test_query_with_bad_syntax(df):
    with pytest.raises(SyntaxError, match="invalid syntax"):  # pandas' own error
        df.query("i >>> 3")


def test_repartition_to_zero_partitions(df):
    # dask accepts npartitions=0 and -1 without a word
    with pytest.raises(ValueError, match="npartitions must be at least 1, got 0"):
        df.repartition(npartitions=0)


def test_concat_of_nothing():
    with pytest.raises(ValueError, match="concat: No objects to concatenate"):
        gd.concat([])


def test_concat_with_something_that_is_no_collection(df):
    with pytest.raises(TypeError, match="concat"):
        gd.concat([df, 5])


def test_truth_value_of_a_lazy_series(df):
    with pytest.raises((TypeError, ValueError), match="ambiguous|truth value"):
        bool(df.i > 1000)


def test_head_beyond_the_first_partition_gives_its_rows(df, pdf):
    # as dask's head(n, npartitions=1); dask also warns "Insufficient elements for `head`"
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        out = df.head(50)
    pd.testing.assert_frame_equal(out, pdf.iloc[:25])


def test_head_with_a_negative_count(df, pdf):
    pd.testing.assert_frame_equal(df.head(-5), pdf.iloc[:25].head(-5))


# ---------------------------------------------------------------------------------------------- arrays
def test_array_boolean_mask_of_the_wrong_length():
    x = ga.asarray(np.arange(10.0), chunks=3)
    with pytest.raises(IndexError, match=r"boolean index of shape \(5,\) does not match the array's shape \(10,\)"):
        x[ga.asarray(np.ones(5, dtype=bool))].compute()


def test_array_take_index_out_of_range():
    x = ga.asarray(np.arange(10.0), chunks=3)
    with pytest.raises(IndexError, match=r"out of bounds for indexing along axis 0 of size 10: \[20\]"):
        ga.take(x, ga.asarray(np.array([0, 20])), axis=0).compute()


def test_array_integer_sum_overflow_wraps_as_numpy():
    data = np.full(10, 2**62, dtype="int64")
    assert ga.sum(ga.asarray(data, chunks=3)).compute() == np.sum(data)


def test_array_division_by_zero_gives_inf_and_nan_as_numpy():
    data = np.arange(10.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_array_equal((ga.asarray(data, chunks=3) / 0).compute(), data / 0)


def test_array_argmax_of_an_empty_array():
    with pytest.raises(ValueError, match="argmax of an empty sequence"):
        ga.argmax(ga.asarray(np.ones(0))).compute()


def test_array_truth_value_of_several_elements():
    # numpy and dask: ValueError "The truth value of an array ... is ambiguous"
    with pytest.raises(ValueError, match=r"truth value of an array with more than one element is ambiguous "
                                         r"\(shape \(3,\)\)"):
        bool(ga.ones((3,)))
