"""Fuzz-found differences from pandas in agg by names, eval/query, apply and combine_first."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


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
