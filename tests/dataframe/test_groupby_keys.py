"""Groupby keys that are not column labels (Series, the index name, mixed lists), ``Series.groupby``
and ``gb.column`` access, against pandas (and dask where dask's answer differs in form)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import check_by_index as check
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf_ix(pdf):
    out = pdf.copy()
    out.index = pd.Index(np.arange(len(out)) * 3 % 50, name="ix")  # repeated labels, named index
    return out


@pytest.fixture
def df(pdf_ix, backend):
    return gd.from_pandas(pdf_ix, npartitions=5, sort=False, backend=backend)  # the rows in pandas' order


@pytest.mark.parametrize("how", ["sum", "mean", "count", "max", "std", "nunique", "size"])
def test_groupby_by_derived_series(df, pdf_ix, how):
    check(getattr(df.groupby(df.y % 3).x, how)(), getattr(pdf_ix.groupby(pdf_ix.y % 3).x, how)(), rtol=1e-9)


def test_groupby_by_series_frame_keeps_the_key_column_as_a_value(df, pdf_ix):
    cols = ["k", "x", "y"]
    check(df[cols].groupby(df.y % 3).sum(), pdf_ix[cols].groupby(pdf_ix.y % 3).sum())


@needs_pandas_3("groupby.apply passes the grouping columns too")
def test_groupby_by_own_column_series_is_the_column(df, pdf_ix):
    cols = ["k", "x", "y"]
    check(df[cols].groupby(df[cols].k).sum(), pdf_ix[cols].groupby(pdf_ix[cols].k).sum())


def test_groupby_by_renamed_series_and_mixed_list(df, pdf_ix):
    check(df.groupby(df.j.rename("key")).x.mean(), pdf_ix.groupby(pdf_ix.j.rename("key")).x.mean(), rtol=1e-9)
    check(df.groupby(["j", df.y > 0]).x.sum(), pdf_ix.groupby(["j", pdf_ix.y > 0]).x.sum(), rtol=1e-9)
    check(df.groupby([df.k % 2, "j"]).agg({"x": "sum", "y": "max"}),
          pdf_ix.groupby([pdf_ix.k % 2, "j"]).agg({"x": "sum", "y": "max"}), rtol=1e-9)


def test_groupby_by_unnamed_series(df, pdf_ix):
    key = (df.y > 0).rename(None)
    check(df.groupby(key).x.sum(), pdf_ix.groupby((pdf_ix.y > 0).rename(None)).x.sum(), rtol=1e-9)


def test_groupby_by_index_name(df, pdf_ix):
    check(df.groupby("ix").x.sum(), pdf_ix.groupby("ix").x.sum(), rtol=1e-9)
    check(df.groupby(["ix", "j"]).y.max(), pdf_ix.groupby(["ix", "j"]).y.max())


def test_groupby_by_series_shuffle_paths(df, pdf_ix):
    key, pkey = df.k % 4, pdf_ix.k % 4
    check(df.groupby(key).x.median(), pdf_ix.groupby(pkey).x.median(), rtol=1e-9)
    got = to_host(df.groupby(key).x.transform("sum").compute()).sort_index(kind="stable")
    want = pdf_ix.groupby(pkey).x.transform("sum")
    tm.assert_series_equal(got.sort_values(kind="stable").reset_index(drop=True),
                           want.sort_values(kind="stable").reset_index(drop=True), rtol=1e-9)


def test_groupby_by_series_scans_and_shift(df, pdf_ix):
    key, pkey = df.k % 4, pdf_ix.k % 4
    tm.assert_series_equal(to_host(df.groupby(key).y.cumsum().compute()), pdf_ix.groupby(pkey).y.cumsum())
    tm.assert_series_equal(to_host(df.groupby(key).cumcount().compute()), pdf_ix.groupby(pkey).cumcount())
    got = to_host(df.groupby(key).y.shift(1).compute())  # shuffled order: compare as a multiset
    want = pdf_ix.groupby(pkey).y.shift(1)
    tm.assert_series_equal(got.sort_values(kind="stable").reset_index(drop=True),
                           want.sort_values(kind="stable").reset_index(drop=True))


def test_series_groupby(df, pdf_ix):
    check(df.x.groupby(df.k).sum(), pdf_ix.x.groupby(pdf_ix.k).sum(), rtol=1e-9)
    check(df.x.groupby([df.k, df.j]).mean(), pdf_ix.x.groupby([pdf_ix.k, pdf_ix.j]).mean(), rtol=1e-9)
    check(df.y.groupby(df.y > 0).count(), pdf_ix.y.groupby(pdf_ix.y > 0).count())
    check(df.y.groupby("ix").max(), pdf_ix.y.groupby("ix").max())
    tm.assert_series_equal(to_host(df.y.groupby(df.k).cumsum().compute()), pdf_ix.y.groupby(pdf_ix.k).cumsum())


def test_series_groupby_unnamed(df, pdf_ix):
    check(df.x.rename(None).groupby(df.k).sum(), pdf_ix.x.rename(None).groupby(pdf_ix.k).sum(), rtol=1e-9)
    check(df.x.rename(None).groupby(df.k).agg(["sum", "max"]),
          pdf_ix.x.rename(None).groupby(pdf_ix.k).agg(["sum", "max"]), rtol=1e-9)


def test_column_attribute_access(df, pdf_ix):
    check(df.groupby(df.k % 3).x.sum(), pdf_ix.groupby(pdf_ix.k % 3).x.sum(), rtol=1e-9)
    assert "x" in dir(df.groupby("k"))
    with pytest.raises(AttributeError):
        df.groupby(df.k % 3).__gpuscale_by_0__  # hidden key columns are not attributes


def test_bad_keys_name_the_alternative(df):
    other = gd.from_pandas(pd.DataFrame({"a": range(10)}), npartitions=2)
    with pytest.raises(ValueError, match="partitioned as the frame"):
        df.groupby(other.a)
    with pytest.raises(KeyError, match="not the index name"):
        df.x.groupby("k")
    with pytest.raises(KeyError, match="available columns"):
        df.groupby("nope")


def test_matches_dask(pdf_ix):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(pdf_ix, npartitions=5)
    gdf = gd.from_pandas(pdf_ix, npartitions=5)
    tm.assert_frame_equal(to_host(gdf.groupby(gdf.y % 3)[["x", "y"]].sum().compute()).sort_index(),
                          ddf.groupby(ddf.y % 3)[["x", "y"]].sum().compute().sort_index())
    tm.assert_series_equal(to_host(gdf.x.groupby(gdf.k).mean().compute()).sort_index(),
                           ddf.x.groupby(ddf.k).mean().compute().sort_index())


@pytest.mark.parametrize("level", [0, "b", -1, [0, 1], ["a"]])
def test_level_of_a_multi_index(backend, level):
    """``groupby(level=)`` of a two-key result's MultiIndex groups by that level (it grouped by whole tuples, and
    a name or a list of levels raised)."""
    pdf = pd.DataFrame({"a": [0, 1, 0, 1, 2, 2], "b": list("xyxzyy"), "x": [1.0, 2, 3, 4, 5, 6], "y": range(6)})
    got = gd.from_pandas(pdf, npartitions=3, backend=backend).groupby(["a", "b"]).agg({"x": "sum", "y": "max"})
    expected = pdf.groupby(["a", "b"]).agg({"x": "sum", "y": "max"})
    tm.assert_frame_equal(to_host(got.groupby(level=level).mean().compute()), expected.groupby(level=level).mean())
    tm.assert_series_equal(to_host(got.x.groupby(level=level).sum().compute()), expected.x.groupby(level=level).sum())
    tm.assert_frame_equal(to_host(got.groupby(level=level).cumsum().compute()).sort_index(),
                          expected.groupby(level=level).cumsum().sort_index())
    with pytest.raises(ValueError, match="levels are"):
        got.groupby(level="zz")


@pytest.mark.parametrize("by", ["b", ["b", "y"], ["a", "b"]])
def test_a_multi_index_levels_name_is_a_key(backend, by):
    # pandas resolves a key that is no column as an index level's name (a single index's name already worked)
    pdf = pd.DataFrame({"a": [0, 1, 0, 1, 2, 2], "b": list("xyxzyy"), "x": [1.0, 2, 3, 4, 5, 6], "y": range(6)})
    got = gd.from_pandas(pdf, npartitions=3, backend=backend).groupby(["a", "b"]).agg({"x": "sum", "y": "max"})
    expected = pdf.groupby(["a", "b"]).agg({"x": "sum", "y": "max"})
    tm.assert_series_equal(to_host(got.groupby(by).x.sum().compute()).sort_index(),
                           expected.groupby(by).x.sum().sort_index())


def test_mapping_and_function_keys_metadata_says_the_groups_dtype(backend):
    # the keys of sample labels: on no labels pandas keeps the index's integers
    pdf = pd.DataFrame({"x": [1.0, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for key in ({0: "e", 1: "o", 2: "e", 3: "o"}, lambda i: str(i % 2)):
        got = df.groupby(key).x.sum()
        out = to_host(got.compute())
        assert str(got._meta.index.dtype) == str(out.index.dtype)
        tm.assert_series_equal(out.sort_index(), pdf.groupby(key).x.sum())


def test_a_pandas_series_mapping_names_its_groups(backend):
    pdf = pd.DataFrame({"x": [1.0, 2, 3, 4]}, index=pd.Index([0, 1, 2, 3], name="L"))
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for key in (pd.Series({0: "e", 1: "o", 2: "e", 3: "o"}), pd.Series({0: "e", 1: "o", 2: "e", 3: "o"}, name="nm"),
                {0: "e", 1: "o", 2: "e", 3: "o"}):
        assert to_host(df.groupby(key).x.sum().compute()).index.name == pdf.groupby(key).x.sum().index.name
