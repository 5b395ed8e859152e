"""The ``.cat`` accessor, ``categorize`` and categorical indexes as dask.dataframe has them (issue 14)."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

METHODS = [
    ("add_categories", {"new_categories": ["d", "e"]}),
    ("as_ordered", {}),
    ("as_unordered", {}),
    ("remove_categories", {"removals": ["a"]}),
    ("rename_categories", {"new_categories": ["d", "e", "f", "g"]}),
    ("reorder_categories", {"new_categories": ["c", "a", "z", "b"]}),
    ("set_categories", {"new_categories": ["a", "e", "b"]}),
    ("remove_unused_categories", {}),
]


@pytest.fixture(params=[True, False], ids=["ordered", "unordered"])
def series(request):
    return pd.Series(pd.Categorical(list("bacbac"), categories=list("abcz"), ordered=request.param))


@pytest.mark.parametrize("method, kwargs", METHODS)
def test_cat_methods_match_pandas_and_dask(series, method, kwargs, backend):
    ds = gd.from_pandas(series, npartitions=2, backend=backend)
    expected = getattr(series.cat, method)(**kwargs)
    got = getattr(ds.cat, method)(**kwargs)
    assert_eq(got, expected)
    assert list(got.cat.categories) == list(expected.cat.categories)  # the metadata knows them
    assert got.cat.ordered == expected.cat.ordered
    reference = getattr(dd.from_pandas(series, npartitions=2).cat, method)(**kwargs)
    assert list(reference.cat.categories) == list(got.cat.categories)


@pytest.mark.parametrize("method, kwargs", METHODS)
def test_categorical_index_has_the_cat_members(method, kwargs, backend):
    pdf = pd.DataFrame({"x": range(6)}, index=pd.CategoricalIndex(list("bacbac"), categories=list("abcz")))
    index = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend).index
    expected = getattr(pdf.index, method)(**kwargs)
    got = getattr(index.cat, method)(**kwargs)
    tm.assert_index_equal(to_host(got.compute()), expected)
    assert list(got.cat.categories) == list(expected.categories)
    assert list(index.categories) == list("abcz") and index.ordered is False  # answered by the index itself
    tm.assert_index_equal(to_host(index.codes.compute()), pd.Index(pdf.index.codes))


def test_unknown_categories_raise_not_implemented_and_attribute_errors(series, backend):
    ds = gd.from_pandas(series, npartitions=2, backend=backend)
    unknown = ds.cat.as_unknown()
    assert ds.cat.known and not unknown.cat.known
    assert unknown.cat.as_unknown() is unknown and ds.cat.as_known() is ds
    for error in (NotImplementedError, AttributeError):  # AttributeError: hasattr() and IPython completion
        with pytest.raises(error, match="with unknown categories"):
            unknown.cat.categories
        with pytest.raises(error, match="with unknown categories"):
            unknown.cat.codes
    assert not hasattr(unknown.cat, "categories")
    known = unknown.cat.set_categories(list("abc"))
    assert known.cat.known and list(known.cat.categories) == list("abc")
    assert known.cat.ordered == series.cat.ordered  # set_categories keeps the ordering, as pandas'
    again = unknown.cat.as_known()
    assert again.cat.known and list(again.cat.categories) == list("abcz")  # unused categories kept, as dask
    tm.assert_series_equal(to_host(again.cat.codes.compute()), series.cat.codes)


def test_accessor_presence_follows_the_dtype(backend):
    pdf = pd.DataFrame({"x": pd.Categorical(list("aabbc")), "y": range(5)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    ddf = dd.from_pandas(pdf, npartitions=2)
    for name in ("x", "y"):
        assert ("cat" in dir(df[name])) == ("cat" in dir(ddf[name])) == hasattr(df[name], "cat")
    indexed = gd.from_pandas(pdf.set_index("x"), npartitions=2, sort=False, backend=backend)
    assert hasattr(indexed.index, "categories") and "categories" in dir(indexed.index)
    assert not hasattr(df.index, "categories")


def test_categorical_dtype_is_the_libraries():
    dtype = gd.categorical.categorical_dtype(meta=pd.DataFrame({"a": [1]}), categories=[1, 100], ordered=True)
    assert dtype == pd.CategoricalDtype([1, 100], ordered=True)
    assert dtype == dd.categorical.categorical_dtype(meta=pd.DataFrame({"a": [1]}), categories=[1, 100],
                                                     ordered=True)


def test_categorize_index_and_no_ops(backend):
    pdf = pd.DataFrame({"s": list("cabca"), "x": range(5)}, index=list("vwxyz"))
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    both = df.categorize()
    assert both.s.cat.known and both.index.cat.known
    ref = dd.from_pandas(pdf, npartitions=2).categorize()
    assert list(both.index.cat.categories) == list(ref.index.cat.categories)
    expected = pdf.astype({"s": pd.CategoricalDtype(list("abc"))}).set_axis(
        pd.CategoricalIndex(pdf.index, categories=list("vwxyz")))
    assert_eq(both, expected)
    only_columns = df.categorize(index=False)
    assert only_columns.s.cat.known and not bf_is_categorical(only_columns.index.dtype)
    assert both.categorize() is both  # nothing left to do: the frame itself, as dask
    assert df.categorize([], index=False) is df
    assert_eq(df.categorize(split_every=2), expected)
    for bad in (1, "foo"):
        with pytest.raises(ValueError, match="split_every"):
            df.categorize(split_every=bad)
    with pytest.raises(KeyError, match="nope"):
        df.categorize(columns=["nope"])


def bf_is_categorical(dtype) -> bool:
    return str(dtype) == "category"


def test_concatenated_partitions_keep_the_categories_dtype():
    # astype("category") per partition: the union keeps the string categories' own dtype
    pdf = pd.DataFrame({"x": range(10), "y": pd.array(list("abababcbcb"), dtype="string")})
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    df["y"] = df["y"].astype("category")
    got = df.compute()
    assert got.y.dtype == pdf.y.astype("category").dtype
    assert got.y.cat.categories.dtype == pdf.y.astype("category").cat.categories.dtype


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_set_index_on_an_ordered_categorical(npartitions, backend):
    pdf = pd.DataFrame({"x": range(8), "y": pd.Categorical(list("cabcabca"), categories=list("cba"), ordered=True)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = df.set_index("y", npartitions=npartitions)
    expected = pdf.set_index("y").sort_index(kind="stable")
    host = to_host(got.compute())
    tm.assert_index_equal(host.index, expected.index)  # in category order (c < b < a), not alphabetical
    assert sorted(host.x) == sorted(expected.x)
    assert list(got.divisions) == sorted(got.divisions, key=list("cba").index)


def test_setting_the_index_to_an_index_collection(backend):
    pdf = pd.DataFrame({"x": range(6)}, index=pd.CategoricalIndex(list("abcabc"), categories=list("abc")))
    df = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend)
    df.index = df.index.cat.as_unknown()
    assert not df.index.cat.known
    ddf = dd.from_pandas(pdf, npartitions=2, sort=False)
    ddf.index = ddf.index.cat.as_unknown()
    assert not ddf.index.cat.known
    df.index = df.index.cat.set_categories(list("cba"))
    assert list(df.index.cat.categories) == list("cba")
    assert_eq(df, pdf.set_axis(pdf.index.set_categories(list("cba"))))
    with pytest.raises(ValueError, match="partitions"):
        df.index = df.repartition(npartitions=1).index
    with pytest.raises(TypeError, match="gpuscale Index"):
        df.index = pdf.index


def test_categorize_keeps_unused_categories_of_unknown_columns(backend):
    # as dask: the categories of an unknown categorical column are its partitions' categories, used or not
    pdf = pd.DataFrame({"c": pd.Categorical(list("abab"), categories=list("abz")), "x": range(4)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df["c"] = df.c.cat.as_unknown()
    ref = dd.from_pandas(pdf, npartitions=2)
    ref["c"] = ref.c.cat.as_unknown()
    got = df.categorize(columns=["c"])
    assert list(got.c.cat.categories) == list(ref.categorize(columns=["c"]).c.cat.categories) == list("abz")
    assert_eq(got, pdf)
