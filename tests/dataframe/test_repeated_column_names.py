"""Frames with a column name held by several columns (``df[["u", "u", "v"]]``): drop_duplicates hashed the
name's columns as one key and nunique counted them as one column (a distributed-parity fuzzer's finding)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


@pytest.fixture
def pdf():
    skip_on_stand_in("cuDF refuses repeated column names ('Duplicate column names are not allowed')")
    base = pd.DataFrame({"u": [1, 1, 2, 2, 2, 5], "w": [1, 1, 2, 9, 2, 5], "v": [1, 1, 2, 3, 2, 4]})
    return base[["u", "w", "v"]].set_axis(["u", "u", "v"], axis=1)



@pytest.mark.parametrize("npartitions", [1, 2, 3])
@pytest.mark.parametrize("subset", [None, ["v"], ["u"], ["u", "v"]])
def test_drop_duplicates_of_repeated_column_names(pdf, backend, npartitions, subset):
    got = to_host(gd.from_pandas(pdf, npartitions=npartitions, backend=backend).drop_duplicates(subset=subset)
                  .compute())
    expected = pdf.drop_duplicates(subset=subset)
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index())


@pytest.mark.parametrize("npartitions", [1, 3])
def test_nunique_of_repeated_column_names(pdf, backend, npartitions):
    got = to_host(gd.from_pandas(pdf, npartitions=npartitions, backend=backend).nunique().compute())
    pd.testing.assert_series_equal(got, pdf.nunique())


def test_columns_of_a_repeated_name_are_selected_once(pdf, backend):
    # the optimizer pushed the metadata's column names (["u", "u"]) into the source, which selected each
    # column of the name twice: drop(columns="v") gave four columns
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for got, expected in [(df.drop(columns="v"), pdf.drop(columns="v")), (df[["u"]], pdf[["u"]]),
                          (df.drop(columns="u"), pdf.drop(columns="u")),
                          (df.shuffle(on=df.index, npartitions=2), pdf)]:
        pd.testing.assert_frame_equal(to_host(got.compute()).sort_index(), expected.sort_index())
    pd.testing.assert_series_equal(to_host(df["u"].sum().compute()), pdf["u"].sum())


@pytest.mark.parametrize("call", [lambda d: d.sort_values("u"), lambda d: d.groupby("u").sum(),
                                  lambda d: d.groupby(["v", "u"]).v.count(), lambda d: d.value_counts()],
                         ids=["sort_values", "groupby", "groupby-list", "value_counts"])
def test_a_key_naming_several_columns_raises_pandas_value_error(pdf, backend, call):
    # pandas refuses a key that names several columns with a ValueError; gpuscale failed with an AttributeError
    # ("'DataFrame' object has no attribute 'dtype'") while building the graph
    with pytest.raises(ValueError) as expected:
        call(pdf)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="not unique|not 1-dimensional") as got:
        call(df)
    assert str(expected.value).split(" (")[0] in str(got.value)


@pytest.mark.parametrize("include", [None, "all"])
def test_describe_of_repeated_column_names(pdf, backend, include):
    # each column was selected by its name, which gives all of the name's columns: the chunk step failed with
    # "sort_values() missing 1 required positional argument: 'by'"
    pdf = pdf.assign(t=["p", "q", "p", "p", "r", "q"]).set_axis(["u", "u", "v", "u"], axis=1)
    got = to_host(gd.from_pandas(pdf, npartitions=2, backend=backend).describe(include=include).compute())
    pd.testing.assert_frame_equal(got, pdf.describe(include=include))
