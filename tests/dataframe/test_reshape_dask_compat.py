"""get_dummies and pivot_table with dask's rules and results (dask's test_reshape, issue 14): the
errors dask raises, several value columns, first/last of any dtype, sparse and typed dummies."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm


@pytest.fixture
def table_data() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    return pd.DataFrame({"A": rng.choice(list("XYZ"), 60), "B": rng.normal(size=60),
                         "C": pd.Categorical(rng.choice(list("abc"), 60)), "D": rng.normal(size=60),
                         "S": rng.choice(list("pqr"), 60)})


# -- pivot_table ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("values", ["B", ["B"], ["D", "B"]])
@pytest.mark.parametrize("aggfunc", ["mean", "sum", "count", "first", "last"])
def test_pivot_table_of_one_or_several_value_columns_matches_pandas(table_data, backend, values, aggfunc):
    df = gd.from_pandas(table_data, npartitions=4, backend=backend)
    expected = pd.pivot_table(table_data, index="A", columns="C", values=values, aggfunc=aggfunc, observed=False)
    # count: pandas' int64, 0 where no rows (dask gives float64 there)
    if not isinstance(values, str):
        expected = expected[sorted(values)]  # dask sorts the value columns
    assert_eq(gd.pivot_table(df, index="A", columns="C", values=values, aggfunc=aggfunc), expected)


@pytest.mark.parametrize("values", ["S", ["S", "B"]])
@pytest.mark.parametrize("aggfunc", ["first", "last"])
def test_pivot_table_first_last_keep_string_values_as_dask(table_data, backend, values, aggfunc):
    df = gd.from_pandas(table_data, npartitions=4, backend=backend)
    got = gd.pivot_table(df, index="A", columns="C", values=values, aggfunc=aggfunc)
    expected = pd.pivot_table(table_data, index="A", columns="C", values=values, aggfunc=aggfunc, observed=False)
    assert_eq(got, expected if isinstance(values, str) else expected[sorted(values)])
    ddf = dd.from_pandas(table_data, npartitions=4)
    assert list(got.columns) == list(dd.pivot_table(ddf, index="A", columns="C", values=values,
                                                    aggfunc=aggfunc).columns)


def test_pivot_table_errors_name_the_argument(table_data):
    df = gd.from_pandas(table_data, npartitions=2)
    cases = [({"index": ["A"], "columns": "C", "values": "B"}, "'index' must be the name of an existing column"),
             ({"index": "A", "columns": ["C"], "values": "B"}, "'columns' must be the name of an existing column"),
             ({"index": "A", "columns": "C", "values": [["B"]]}, "'values' must refer to an existing column"),
             ({"index": "A", "columns": "C", "values": "nope"}, "'values' must refer to an existing column"),
             ({"index": "A", "columns": "C", "values": "B", "aggfunc": ["sum"]}, "aggfunc must be either"),
             ({"index": "A", "columns": "C", "values": "B", "aggfunc": "xx"}, "aggfunc must be either"),
             ({"index": "A", "columns": "S", "values": "B"}, "'columns' must be category dtype")]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            gd.pivot_table(df, **kwargs)
    unknown = df.astype({"S": "category"})
    with pytest.raises(ValueError, match="'columns' must have known categories"):
        gd.pivot_table(unknown, index="A", columns="S", values="B")


# -- get_dummies ----------------------------------------------------------------------------------------------
def test_get_dummies_refuses_what_dask_refuses(backend):
    pdf = pd.DataFrame({"a": pd.Categorical([1, 2, 3, 1]), "b": list("abcd"), "n": [1, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for call in (lambda: gd.get_dummies(df), lambda: gd.get_dummies(df.b), lambda: gd.get_dummies(df.n),
                 lambda: gd.get_dummies(df, columns=["b"]),
                 lambda: gd.get_dummies(df.astype({"b": "category"}), columns=["b"])):
        with pytest.raises(NotImplementedError, match="categorize"):
            call()
    assert_eq(gd.get_dummies(df, columns=["a"]), pd.get_dummies(pdf, columns=["a"]))


def test_get_dummies_dtype_and_in_memory_input(backend):
    pdf = pd.DataFrame({"A": pd.Categorical(["a", "b", "a"], categories=["a", "b", "c"]), "B": [0, 0, 1]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    expected = pd.get_dummies(pdf, dtype="float64")
    assert_eq(gd.get_dummies(df, dtype="float64"), expected)
    assert gd.get_dummies(df, dtype="float64").dtypes["A_a"] == np.float64
    tm.assert_frame_equal(gd.get_dummies(pdf, dtype="float64"), expected)  # pandas in, pandas out (dask)


def test_get_dummies_sparse(backend):
    s = pd.Series(pd.Categorical(["a", "b", "a"], categories=["a", "b", "c"]))
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    if backend == "cudf":
        with pytest.raises(NotImplementedError, match="no sparse columns"):
            gd.get_dummies(ds, sparse=True)
        return
    got = gd.get_dummies(ds, sparse=True)
    tm.assert_frame_equal(got.compute(), pd.get_dummies(s, sparse=True))
    assert isinstance(got.compute().a.dtype, pd.SparseDtype)
    assert isinstance(got._meta.a.dtype, pd.SparseDtype)


@pytest.mark.parametrize("aggfunc", ["sum", "count", "mean"])
def test_pivot_table_empty_pairs_as_dask(backend, aggfunc):
    # ("z", "q") has no row: sum and count give 0 there (pandas, dask), mean NaN
    data = pd.DataFrame({"a": pd.Categorical(list("xyxyzx")), "b": pd.Categorical(list("ppqqpq")),
                         "v": [0.0, 1.0, 2.0, 3.0, 4.0, np.nan]})
    ours = gd.from_pandas(data, npartitions=2, backend=backend).pivot_table(index="a", columns="b", values="v",
                                                                           aggfunc=aggfunc)
    theirs = dd.from_pandas(data, npartitions=2).pivot_table(index="a", columns="b", values="v", aggfunc=aggfunc)
    tm.assert_frame_equal(ours.compute(), theirs.compute(), check_dtype=aggfunc != "count")  # count: pandas' int64
    if aggfunc == "count":
        assert (ours.compute().dtypes == "int64").all()
