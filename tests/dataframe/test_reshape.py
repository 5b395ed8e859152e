"""get_dummies, pivot_table and melt against dask and pandas."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def data():
    return pd.DataFrame({"k": np.arange(40) % 4, "c": list("xyz") * 13 + ["x"], "v": np.arange(40.0),
                         "w": np.arange(40) * 2})


def test_get_dummies_needs_known_categories_and_matches_pandas(data, backend):
    df = gd.from_pandas(data, npartitions=3, backend=backend)
    with pytest.raises(NotImplementedError, match="categorize"):  # as dask: the output columns are unknown
        gd.get_dummies(df, columns=["c"])
    known = df.categorize(columns=["c"])
    got = gd.get_dummies(known, columns=["c"])
    expected = pd.get_dummies(data.astype({"c": pd.CategoricalDtype(["x", "y", "z"])}), columns=["c"])
    assert list(got.columns) == list(expected.columns)
    assert_eq(got, expected)


@pytest.mark.parametrize("aggfunc", ["mean", "sum", "count", "first", "last"])
def test_pivot_table_matches_dask(data, backend, aggfunc):
    df = gd.from_pandas(data, npartitions=3, backend=backend).categorize(columns=["c"])
    got = gd.pivot_table(df, index="k", columns="c", values="v", aggfunc=aggfunc)
    expected = dd.pivot_table(dd.from_pandas(data, npartitions=3).categorize(columns=["c"]), index="k",
                              columns="c", values="v", aggfunc=aggfunc).compute()
    # count: pandas' int64 (dask gives float64)
    tm.assert_frame_equal(got.compute(), expected, check_column_type=False, check_categorical=False,
                          check_dtype=aggfunc != "count")


@pytest.mark.parametrize("aggfunc", ["sum", "count", "mean"])
def test_pivot_table_keeps_unused_categories_of_the_index(backend, aggfunc):
    """Unused categories of a categorical index are rows (0 of sum / count, as pandas' observed=False; missing
    of mean, as dask), as those of ``columns`` are columns (the index kept only the categories found)."""
    pdf = pd.DataFrame({"k": pd.Categorical(["a", "b", "a", "c"], categories=["a", "b", "c", "d"]),
                        "g": pd.Categorical(["x", "y", "y", "x"]), "v": [1.0, 2, 3, 4]})
    got = gd.pivot_table(gd.from_pandas(pdf, npartitions=2, backend=backend), index="k", columns="g", values="v",
                         aggfunc=aggfunc)
    expected = dd.pivot_table(dd.from_pandas(pdf, npartitions=2), index="k", columns="g", values="v",
                              aggfunc=aggfunc).compute()
    if aggfunc != "mean":  # pandas' too (its mean drops rows without values: dropna=True)
        expected = pdf.pivot_table(index="k", columns="g", values="v", aggfunc=aggfunc, observed=False)
    tm.assert_frame_equal(got.compute(), expected, check_column_type=False, check_categorical=False)


@pytest.mark.parametrize("aggfunc", ["sum", "count", "mean"])
def test_pivot_table_index_values_whose_rows_lack_a_category(backend, aggfunc):
    """An index value whose rows all have a missing category is a row of 0s of sum / count (pandas'
    observed=False, dask; it was dropped); of mean none, as pandas; a missing index value is no row."""
    pdf = pd.DataFrame({"i": [1.0, 2, 2, np.nan, 3], "v": [10, 20, 30, 40, 50],
                        "c": pd.Categorical([None, "x", "y", "x", None], categories=["x", "y"])})
    got = gd.pivot_table(gd.from_pandas(pdf, npartitions=2, backend=backend), index="i", columns="c", values="v",
                         aggfunc=aggfunc)
    expected = pdf.pivot_table(index="i", columns="c", values="v", aggfunc=aggfunc, observed=False)
    tm.assert_frame_equal(to_host(got.compute()), expected, check_column_type=False, check_categorical=False)


def test_melt_matches_pandas(data, backend):
    df = gd.from_pandas(data, npartitions=3, backend=backend)
    got = gd.melt(df, id_vars=["k"], value_vars=["v", "w"], var_name="which")
    expected = pd.melt(data, id_vars=["k"], value_vars=["v", "w"], var_name="which")
    tm.assert_frame_equal(got.compute().sort_values(["which", "k", "value"]).reset_index(drop=True),
                          expected.sort_values(["which", "k", "value"]).reset_index(drop=True))


@needs_pandas_3("pandas 2.2 fills a text sum's empty cells with 0")
def test_pivot_table_of_text_sums_and_time_means(backend):
    """``aggfunc="sum"`` of text leaves cells without rows empty (they held ``"0"``); ``"mean"`` of datetimes
    gives datetimes (it cast them to float64 and failed)."""
    pdf = pd.DataFrame({"k": [1, 1, 2], "c": pd.Categorical(["x", "y", "x"]), "v": ["a", "b", "c"],
                        "t": pd.to_datetime(["2020-01-01", "2020-01-03", "2020-02-01"])})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for values, how in (("v", "sum"), ("t", "mean")):
        got = gd.pivot_table(df, index="k", columns="c", values=values, aggfunc=how)
        expected = pdf.pivot_table(index="k", columns="c", values=values, aggfunc=how, observed=False)
        assert got._meta.dtypes.tolist() == expected.dtypes.tolist()
        pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_column_type=False,
                                      check_index_type=False)


@pytest.mark.parametrize("dtype", ["Int64", "boolean"])
def test_pivot_table_mean_keeps_the_means_dtype(backend, dtype):
    """``aggfunc="mean"`` of nullable values is in the groupby mean's dtype, as pandas (Float64; it was
    float64)."""
    values = [1, 0, None, 1, 1, 0] if dtype == "boolean" else [1, 2, None, 4, 6, 3]
    pdf = pd.DataFrame({"r": pd.Categorical(list("aabbab")),
                        "c": pd.Categorical(list("xyxzxz"), categories=list("xyz")), "i": pd.array(values, dtype=dtype)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = gd.pivot_table(df, index="r", columns="c", values="i", aggfunc="mean")
    expected = pdf.pivot_table(index="r", columns="c", values="i", aggfunc="mean", observed=False)
    assert got._meta.dtypes.tolist() == expected.dtypes.tolist()
    pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_column_type=False, check_index_type=False)


@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("aggfunc", ["first", "last"])
@pytest.mark.parametrize("rows", [4, 3])  # (3: the cell (1, "b") has no rows)
def test_pivot_table_first_last_of_integers_is_float_only_where_cells_are_missing(backend, aggfunc, rows,
                                                                                  npartitions):
    """``first`` / ``last`` of integers or booleans: pandas' dtype, the values' where every cell has rows, float64
    where some has none (they were float64 always); the metadata has the values' dtypes, as dask's."""
    pdf = pd.DataFrame({"v": [1, 2, 3, 4], "b": [True, False, False, True], "c": pd.Categorical(list("abab")),
                        "i": [0, 0, 1, 1]}).iloc[:rows]
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for values in ("v", "b", ["b", "v"]):
        got = df.pivot_table(index="i", columns="c", values=values, aggfunc=aggfunc)
        expected = pdf.pivot_table(index="i", columns="c", values=values, aggfunc=aggfunc, observed=False)
        ddf = dd.from_pandas(pdf, npartitions=npartitions).pivot_table(index="i", columns="c", values=values,
                                                                       aggfunc=aggfunc)
        assert got._meta.dtypes.tolist() == ddf._meta.dtypes.tolist()
        pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_column_type=False,
                                      check_index_type=False)
