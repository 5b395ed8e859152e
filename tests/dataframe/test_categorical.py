"""Categoricals with dask's known / unknown categories: astype, categorize, the .cat accessor."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import PANDAS_3


@pytest.fixture
def data():
    return pd.DataFrame({"s": list("cabca") * 20, "t": list("xy") * 50, "x": range(100)})


def test_astype_category_has_unknown_categories_like_dask(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    cat = df.s.astype("category")
    assert cat.cat.known is False
    assert dd.from_pandas(data, npartitions=4).s.astype("category").cat.known is False
    got = to_host(cat.compute())
    assert str(got.dtype) == "category" and sorted(got.cat.categories) == ["a", "b", "c"]
    tm.assert_series_equal(got.astype(str), data.s.astype(str))
    with pytest.raises(NotImplementedError, match="as_known"):
        cat.cat.codes


def test_as_known_and_codes(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    known = df.s.astype("category").cat.as_known()
    assert known.cat.known and list(known.cat.categories) == ["a", "b", "c"]  # sorted, as categorize()
    expected = data.s.astype(pd.CategoricalDtype(["a", "b", "c"]))
    assert_eq(known, expected)
    assert_eq(known.cat.codes, expected.cat.codes)
    assert not known.cat.as_unknown().cat.known


def test_categorize_matches_dask(data, backend):
    df = gd.from_pandas(data, npartitions=3, backend=backend)
    got = df.categorize(columns=["s"])
    expected = dd.from_pandas(data, npartitions=3).categorize(columns=["s"])
    assert list(got.s.cat.categories) == list(expected.s.cat.categories)
    assert_eq(got, data.astype({"s": pd.CategoricalDtype(["a", "b", "c"])}))
    every = df.categorize()  # all string columns
    assert every.s.cat.known and every.t.cat.known and str(every.x.dtype) == "int64"


def test_groupby_and_value_counts_on_categories(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend).categorize(columns=["s"])
    expected = data.astype({"s": pd.CategoricalDtype(["a", "b", "c"])})
    assert_eq(df.groupby("s").x.sum(), expected.groupby("s", observed=True).x.sum())
    tm.assert_series_equal(to_host(df.s.value_counts().compute()).sort_index(),
                           expected.s.value_counts().sort_index(), check_index_type=False)


def test_set_and_remove_unused_categories(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend).categorize(columns=["s"])
    wider = df.s.cat.set_categories(["a", "b", "c", "d"])
    assert list(wider.cat.categories) == ["a", "b", "c", "d"]
    assert list(wider.cat.remove_unused_categories().cat.categories) == ["a", "b", "c"]
    with pytest.raises(AttributeError, match="categorical"):
        df.x.cat


def test_categorize_then_select_other_columns(data, backend):
    # a projection moved below categorize must not lose the categorized column's step (dask 2026.7.1
    # raises KeyError on categorize(...).c for a datetime-indexed frame)
    df = gd.from_pandas(data, npartitions=3, backend=backend).categorize(columns=["s"])
    assert df.x.sum().compute() == data.x.sum()
    codes = to_host(df.s.cat.codes.compute())
    tm.assert_series_equal(codes, data.s.astype(pd.CategoricalDtype(sorted(data.s.dropna().unique()))).cat.codes)


@pytest.mark.parametrize("npartitions", [2, 3, 6])
def test_ordered_categories_reduce_and_accumulate_in_their_order(backend, npartitions):
    """min/max and cummax/cummin of an ordered categorical follow the categories' order across partitions
    (the partitions' answers were compared as labels: "mid" > "hi"; dask does so too)."""
    cats = pd.Categorical(["lo", "hi", "mid", None, "lo", "hi"], categories=["lo", "mid", "hi"], ordered=True)
    pdf = pd.DataFrame({"o": cats, "x": range(6)})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    assert df.o.max().compute() == pdf.o.max() == "hi"
    assert df.o.min().compute() == pdf.o.min() == "lo"
    if backend == "pandas":  # (a frame's maxima of text and numbers: a column of mixed types, which cuDF refuses)
        assert list(df.max().compute()) == list(pdf.max())
    if PANDAS_3:  # (pandas 2.2 has no cummax/cummin of categoricals)
        assert_eq(df.o.cummax(), pdf.o.cummax())
        assert_eq(df.o.cummin(), pdf.o.cummin())


@pytest.mark.parametrize("by", ["c", ["a", "c"], ["c", "a"]])
def test_unobserved_groups_beside_a_missing_category(backend, by):
    """observed=False with dropna=False: the missing key is a group beside every category (with every value of
    the other keys), as pandas; it was left out of the combinations."""
    pdf = pd.DataFrame({"a": ["x", "x", "y", "y"], "c": pd.Categorical(["p", None, "q", None], categories=["p", "q", "r"]),
                        "v": [1.0, 2.0, 3.0, 4.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(df.groupby(by, observed=False, dropna=False).v.sum().compute())
    expected = pdf.groupby(by, observed=False, dropna=False).v.sum()
    assert sorted(map(str, got.items())) == sorted(map(str, expected.items()))


def test_groupby_describe_of_unobserved_categories(backend):
    """observed=False: describe has a row for each unused category (count 0), as pandas."""
    pdf = pd.DataFrame({"c": pd.Categorical(["p", "q", "p"], categories=["p", "q", "r"]), "x": [1.0, 2.0, 3.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(df.groupby("c", observed=False).x.describe().compute())
    expected = pdf.groupby("c", observed=False).x.describe()
    assert [str(c) for c in got.index] == [str(c) for c in expected.index] == ["p", "q", "r"]
    assert got.loc["r", "count"] == 0.0 and got["count"].tolist() == expected["count"].tolist()


@pytest.mark.parametrize("how", [lambda g: g.v.sum(), lambda g: g.v.mean(), lambda g: g.v.count(), lambda g: g.size(),
                                 lambda g: g.v.nunique(), lambda g: g.v.var(), lambda g: g.agg({"v": ["sum", "max"]}),
                                 lambda g: g.v.agg("std", ddof=0), lambda g: g.agg(s=("v", "sum"))],
                         ids=["sum", "mean", "count", "size", "nunique", "var", "agg", "agg-kwargs", "named"])
def test_unobserved_groups_of_many_partitions(backend, how):
    """observed=False over 16+ partitions, split_out not given: the groups of every category, as pandas (the
    split_out chosen for many partitions raised NotImplementedError 'split_out > 1')."""
    pdf = pd.DataFrame({"c": pd.Categorical(["x", "y", "z", "x"] * 8, categories=["x", "y", "z", "w"]),
                        "v": [float(i) for i in range(32)]})
    df = gd.from_pandas(pdf, npartitions=16, backend=backend)
    got = to_host(how(df.groupby("c", observed=False)).compute())
    expected = how(pdf.groupby("c", observed=False))
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got.sort_index(), expected.sort_index())
    else:
        tm.assert_series_equal(got.sort_index(), expected.sort_index())


def test_repeated_column_label_with_a_categorical_computes(backend):
    """A frame whose repeated label names a categorical column and another (``concat(axis=1)`` of frames sharing a
    name) computes (the categories were unified by label: AttributeError)."""
    if backend != "pandas":
        pytest.skip("cuDF's column labels are unique")
    pdf = pd.concat([pd.DataFrame({"c": [1, 2, 3, 4]}), pd.DataFrame({"c": pd.Categorical(list("xyzx"))})], axis=1)
    pd.testing.assert_frame_equal(gd.from_pandas(pdf, npartitions=2).compute(), pdf)


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_categorize_index_keeps_the_index_dtype_for_any_partition_count(backend, npartitions):
    """The categories of an ``object`` index stay ``object`` (pandas' ``Index.astype("category")``); one
    partition gave ``str`` categories, several ``object``."""
    pdf = pd.DataFrame({"o": pd.Series(["u", "t", "u", "t"], dtype=object), "v": range(4)})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).set_index("o").categorize(index=True)
    expected = pdf.set_index("o").index.astype("category")
    meta = to_host(df._meta).index
    assert meta.dtype == expected.dtype and meta.categories.dtype == expected.categories.dtype
    got = to_host(df.compute()).index
    assert got.dtype == expected.dtype and got.categories.dtype == expected.categories.dtype
