"""Fuzz-found differences from pandas in agg by names, eval/query, apply and combine_first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


@pytest.mark.parametrize("spec", [["sum", "max"], ["count"], ["nunique"], ["min", "mean"]])
def test_agg_list_of_columns_not_named_like_the_sample(backend, spec):
    # the metadata was built from stand-ins indexed ['a', 'b']: any other column was NaN there, cast to int64
    pdf = pd.DataFrame({"x": [1, 2, 3], "f": [1.5, None, 2.0]})
    df = gd.from_pandas(pdf, npartitions=2)
    assert_eq(df.agg(spec), pdf.agg(spec))
    assert_eq(df[["x"]].agg(spec), pdf[["x"]].agg(spec))


def test_agg_list_beside_nullable_columns():
    pdf = pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64"), "b": [True, False, True], "x": [1, 2, 3]})
    df = gd.from_pandas(pdf, npartitions=2)
    for spec in (["count"], ["nunique"], ["any", "all"], ["sum", "max"]):
        assert_eq(df.agg(spec), pdf.agg(spec))
    assert_eq(df.n.agg(["sum", "max"]), pdf.n.agg(["sum", "max"]))  # pandas: int64 for a Series' list


@pytest.mark.parametrize("spec", [["sum", "max"], ["min", "mean", "count"]])
def test_agg_list_of_empty_data(backend, spec):
    # pandas' table of empty data holds NaN (max of nothing): float64 where the sample said int64
    pdf = pd.DataFrame({"a": [1, 2, 3], "f": [1.0, 2.0, 3.0]})
    df = gd.from_pandas(pdf, npartitions=2)
    tm.assert_frame_equal(to_host(df[df.a > 10].agg(spec).compute()), pdf[pdf.a > 10].agg(spec))
    tm.assert_series_equal(to_host(df[df.a > 10].a.agg(spec).compute()), pdf[pdf.a > 10].a.agg(spec))


def test_eval_and_query_with_a_series_variable_meet_it_by_index(backend):
    skip_on_stand_in("cuDF's eval takes no Series variables")
    pdf = pd.DataFrame({"a": [1, 5, 3, 4]})
    v = {"s": pd.Series([10, 20, 30, 40]), "t": pd.Series([3, 4])}
    df = gd.from_pandas(pdf, npartitions=2)
    # the whole Series went to every partition: outer-aligned there, 8 rows with NaN
    assert_eq(df.eval("a + @s", local_dict=v), pdf.eval("a + @s", local_dict=v))
    assert_eq(df.eval("z = a * @s", local_dict=v), pdf.eval("z = a * @s", local_dict=v))
    assert_eq(df.query("a * 10 < @s", local_dict=v), pdf.query("a * 10 < @s", local_dict=v))
    # used whole (an attribute, after in): given whole to every partition, as before
    assert_eq(df.query("a > @s.mean() / 10", local_dict=v), pdf.query("a > @s.mean() / 10", local_dict=v))
    assert_eq(df.query("a in @t", local_dict=v), pdf.query("a in @t", local_dict=v))


def test_eval_refuses_what_a_partition_cannot_see():
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 9, 9, 1]})
    df = gd.from_pandas(pdf, npartitions=2)
    v = {"arr": np.array([1, 2, 3, 4])}
    with pytest.raises(NotImplementedError, match="@arr is an array.*by position"):
        df.eval("a + @arr", local_dict=v)  # (a 2-element array gave a silently wrong result per partition)
    with pytest.raises(NotImplementedError, match="membership in the column 'b'.*isin"):
        df.query("a in b")  # each partition saw only its slice of b: pandas [0, 3], gave []
    with pytest.raises(NotImplementedError, match="column 'b'"):
        df.eval("a not in `b`")
    assert_eq(df.query("a in @arr", local_dict=v), pdf.query("a in @arr", local_dict=v))  # a variable: fine
    assert_eq(df.query("a in [1, 4] and b != 'in b'"), pdf.query("a in [1, 4] and b != 'in b'"))


def test_frame_apply_defaults_to_columns_and_refuses_them():
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})
    df = gd.from_pandas(pdf, npartitions=2)
    # the default was axis=1: column sums silently became row values
    with pytest.raises(NotImplementedError, match=r"apply\(axis=0\).*axis=1"):
        df.apply(lambda col: col.sum())
    with pytest.raises(NotImplementedError, match="axis=1"):
        df.apply(lambda col: col.sum(), axis="index")
    skip_on_stand_in("cuDF's row-wise apply compiles the function (no row.a)")
    assert_eq(df.apply(lambda row: row.a + row.b, axis=1, meta=(None, "int64")), pdf.apply(lambda r: r.a + r.b, axis=1))
    assert_eq(df.apply(lambda row: row.a * 2, 1, meta=(None, "int64")), pdf.apply(lambda r: r.a * 2, axis=1))


@pytest.mark.parametrize("func", ["sum", "max", "nunique"])
def test_series_apply_of_a_reduction_name(backend, func):
    ps = pd.Series([1, 2, 3, 4, 2])
    s = gd.from_pandas(ps, npartitions=2)
    assert_eq(s.apply(func), ps.apply(func))  # was one value per partition


@pytest.mark.parametrize("func", ["cumsum", "cummax", "rank", "diff"])
def test_series_apply_of_a_same_shaped_method_name(backend, func):
    ps = pd.Series([1.0, 5.0, 3.0, 4.0, 2.0])
    s = gd.from_pandas(ps, npartitions=2)
    assert_eq(s.apply(func), ps.apply(func))  # cumsum restarted in every partition


def test_series_apply_of_lists_dicts_and_by_row(backend):
    ps = pd.Series([1, 2, 3, 4])
    s = gd.from_pandas(ps, npartitions=2)
    assert_eq(s.apply(["sum", "max"]), ps.apply(["sum", "max"]))
    assert_eq(s.apply({"m": "max", "n": "min"}), ps.apply({"m": "max", "n": "min"}))
    assert_eq(s.agg({"m": "max"}), ps.agg({"m": "max"}))
    assert_eq(s.apply(lambda v, a, b=0: v + a + b, args=(10,), b=1, meta=(None, "int64")),
              ps.apply(lambda v, a, b=0: v + a + b, args=(10,), b=1))
    with pytest.raises(NotImplementedError, match="by_row=False"):
        s.apply(lambda v: v / v.sum(), by_row=False)  # (each partition divided by its own sum)
    with pytest.raises(NotImplementedError, match="apply takes by name"):
        s.apply("unique")


def test_combine_first_of_columns_of_one_frame_keeps_integers(backend):
    # the metadata said float64 for a and b (as if the other side lacked rows), computed int64
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": [10, 20, 30, 40], "w": [True, False, True, True]})
    df = gd.from_pandas(pdf, npartitions=2)
    got = df[["a"]].combine_first(df[["b", "w"]])
    expected = pdf[["a"]].combine_first(pdf[["b", "w"]])
    assert got._meta.dtypes.to_dict() == expected.dtypes.to_dict()
    assert_eq(got, expected)
