"""``sort_index``, ``first_valid_index`` / ``last_valid_index``, ``argmax`` / ``argmin``, ``is_unique``,
``hasnans`` and the aliases ``multiply`` / ``subtract`` (pandas'; dask has none of them), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends import to_host
from gpuscale.collection import explain_text
from gpuscale.testing import assert_eq


@pytest.fixture
def shuffled() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    index = rng.permutation(200).astype("float64")
    index[[7, 90]] = np.nan
    return pd.DataFrame({"x": rng.random(200), "n": rng.integers(0, 9, 200)}, index=pd.Index(index, name="k"))


@pytest.mark.parametrize("kwargs", [{}, {"ascending": False}, {"na_position": "first"},
                                    {"ascending": False, "na_position": "first"}, {"npartitions": 2}])
def test_sort_index_of_unknown_divisions(shuffled, backend, kwargs):
    df = gd.from_pandas(shuffled, npartitions=4, sort=False, backend=backend)
    expected = shuffled.sort_index(**{k: v for k, v in kwargs.items() if k != "npartitions"})
    got = df.sort_index(**kwargs)
    assert_eq(got, expected, sort_results=False)
    assert_eq(df.x.sort_index(**kwargs), expected.x, sort_results=False)
    ascending = kwargs.get("ascending", True) and kwargs.get("na_position", "last") == "last"
    assert got.known_divisions == ascending  # set_index's divisions where they describe the order
    if "npartitions" in kwargs:
        assert got.npartitions == 2


def test_sort_index_of_known_divisions_sorts_each_partition_only(backend):
    pdf = pd.DataFrame({"x": range(12)}, index=[5, 1, 3, 2, 4, 0, 11, 9, 10, 6, 8, 7])
    df = gd.from_pandas(pdf.sort_index(), npartitions=3, backend=backend)
    got = df.sort_index()
    assert got.divisions == df.divisions
    assert "shuffle" not in explain_text(got.expr).lower()
    assert_eq(got, pdf.sort_index(), sort_results=False)
    assert_eq(df.sort_index(ascending=False), pdf.sort_index(ascending=False), sort_results=False)


def test_sort_index_columns_inplace_and_options(backend):
    pdf = pd.DataFrame({"b": [1, 2, 3], "c": [4, 5, 6], "a": [7, 8, 9]}, index=pd.Index(["z", "x", "y"], name="k"))
    df = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend)
    assert_eq(df.sort_index(axis=1), pdf.sort_index(axis=1))
    assert_eq(df.sort_index(axis="columns", ascending=False), pdf.sort_index(axis=1, ascending=False))
    assert_eq(df.sort_index(level="k"), pdf.sort_index(level="k"), sort_results=False)
    copy = df.copy()
    assert copy.sort_index(inplace=True) is None
    assert_eq(copy, pdf.sort_index(), sort_results=False)
    got = to_host(df.sort_index(ignore_index=True).compute())
    assert got.b.tolist() == [2, 3, 1]
    with pytest.raises(ValueError, match="na_position"):
        df.sort_index(na_position="middle")
    with pytest.raises(NotImplementedError, match="key="):
        df.sort_index(key=lambda i: i.str.lower())
    with pytest.raises(ValueError, match="level 'other'"):
        df.sort_index(level="other")
    with pytest.raises(ValueError, match="axis 1"):
        df.b.sort_index(axis=1)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=1, max_size=25),
       nparts=st.integers(1, 6))
def test_positions_match_pandas(values, nparts):
    s = pd.Series([np.nan if v is None else float(v) for v in values],
                  index=[f"r{i}" for i in range(len(values))])
    ds = gd.from_pandas(s, npartitions=nparts, sort=False, backend="cpu")
    assert ds.first_valid_index().compute() == s.first_valid_index()
    assert ds.last_valid_index().compute() == s.last_valid_index()
    assert bool(ds.is_unique.compute()) == s.is_unique
    assert bool(ds.hasnans.compute()) == s.hasnans
    if s.notna().any():
        assert int(ds.argmax().compute()) == s.argmax()
        assert int(ds.argmin().compute()) == s.argmin()
    else:
        with pytest.raises(ValueError, match="all NA"):
            ds.argmax().compute()


def test_positions_on_each_backend(backend):
    pdf = pd.DataFrame({"a": [None, None, 1.0, None, 5.0, None, None], "b": [None, 2.0, None, None, 9.0, 9.0, None]},
                       index=[10, 11, 12, 13, 14, 15, 16])
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert df.first_valid_index().compute() == pdf.first_valid_index() == 11
    assert df.last_valid_index().compute() == pdf.last_valid_index() == 15
    assert df.a.first_valid_index().compute() == 12
    assert int(df.b.argmax().compute()) == pdf.b.argmax() == 4
    assert int(df.a.argmin().compute()) == pdf.a.argmin() == 2
    assert bool(df.b.is_unique.compute()) is False
    assert bool(df.b.dropna().index.to_series().is_unique.compute()) is True
    with pytest.raises(ValueError, match="NA value"):
        df.a.argmax(skipna=False).compute()
    with pytest.raises(ValueError, match="empty"):
        df.a[df.a > 100].argmin().compute()
    assert df[df.a > 100].first_valid_index().compute() is None


def test_arg_extremes_refuse_axis_and_unordered_dtypes():
    ds = gd.from_pandas(pd.Series([1, 2]), npartitions=1, backend="cpu")
    with pytest.raises(ValueError, match="axis 0"):
        ds.argmax(axis=1)
    with pytest.raises(TypeError):
        gd.from_pandas(pd.Series([{"a": 1}, {"b": 2}]), npartitions=1, backend="cpu").argmax().compute()


def test_rename_axis_none_removes_the_name(backend):
    pdf = pd.DataFrame({"x": [1, 2, 3]}, index=pd.Index([4, 5, 6], name="k")).rename_axis("c", axis=1)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.rename_axis(None), pdf.rename_axis(None))
    assert_eq(df.rename_axis(None, axis=1), pdf.rename_axis(None, axis=1))
    assert_eq(df.rename_axis(index=None, columns="cols"), pdf.rename_axis(index=None, columns="cols"))
    assert_eq(df.x.rename_axis(None), pdf.x.rename_axis(None))
    assert_eq(df.rename_axis("j"), pdf.rename_axis("j"))


def test_multiply_and_subtract_aliases(backend):
    pdf = pd.DataFrame({"x": [1.0, None, 3.0, 4.0], "y": [2.0, 2.0, None, 1.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.multiply(df, fill_value=1), pdf.multiply(pdf, fill_value=1))
    assert_eq(df.x.subtract(df.y, fill_value=0), pdf.x.subtract(pdf.y, fill_value=0))


def test_time_grouper_of_an_unsorted_unnamed_index_keeps_the_names(backend):
    idx = pd.date_range("2024-01-01", periods=48, freq="3h")
    rng = np.random.default_rng(0)
    s = pd.Series(rng.random(48), index=idx[rng.permutation(48)])
    ds = gd.from_pandas(s, npartitions=3, sort=False, backend=backend)
    assert_eq(ds.groupby(pd.Grouper(freq="1D")).sum(), s.groupby(pd.Grouper(freq="1D")).sum())
    frame = s.to_frame("v")
    df = gd.from_pandas(frame, npartitions=3, sort=False, backend=backend)
    assert_eq(df.groupby(pd.Grouper(freq="1D")).v.mean(), frame.groupby(pd.Grouper(freq="1D")).v.mean())


def test_index_is_unique_and_hasnans(backend):
    pdf = pd.DataFrame({"x": range(6)}, index=[1.0, np.nan, 2.0, 3.0, 2.0, 5.0])
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    assert bool(df.index.is_unique.compute()) is pdf.index.is_unique is False
    assert bool(df.index.hasnans.compute()) is pdf.index.hasnans is True
    assert bool(df.index.dropna().is_unique.compute()) is False
    assert bool(df.x.index.to_series().drop_duplicates().index.is_unique.compute()) is True


def test_sort_index_of_a_groupby_result_keeps_its_multiindex(backend):
    pdf = pd.DataFrame({"a": [2, 1, 2, 1, 3], "b": [1, 2, 2, 1, 1], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    sums = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby(["a", "b"]).x.sum()
    expected = pdf.groupby(["a", "b"]).x.sum()
    assert_eq(sums.sort_index(ascending=False), expected.sort_index(ascending=False), sort_results=False)
    assert_eq(sums.sort_index(level="b"), expected.sort_index(level="b"), sort_results=False)
    assert_eq(sums.sort_index(level=1, sort_remaining=False), expected.sort_index(level=1, sort_remaining=False),
              sort_results=False)
    wide = gd.from_pandas(expected.reset_index(), npartitions=2, backend=backend).set_index("a")
    several = gd.from_pandas(expected.to_frame().iloc[::-1], npartitions=2, sort=False, backend=backend)
    assert_eq(several.sort_index(), expected.to_frame(), sort_results=False)  # all levels, as pandas
    assert_eq(wide.sort_index(), expected.reset_index().set_index("a").sort_index(), sort_results=False)


@pytest.mark.parametrize("where", ["2024-01-02", "2024-01-04 12:00", "2024-01-10", "2023-12-01"])
def test_series_asof_as_pandas(backend, where):
    """pandas' asof of one label (dask has none): a lazy Scalar of the last value not missing at or before it."""
    pdf = pd.Series([1.0, None, 3.0, None, 5.0, None], index=pd.date_range("2024-01-01", periods=6, freq="D"))
    s = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got, expected = s.asof(pd.Timestamp(where)).compute(), pdf.asof(pd.Timestamp(where))
    assert (np.isnan(got) and np.isnan(expected)) or got == expected
    many = [pd.Timestamp(where), pd.Timestamp("2024-01-03 06:00")]  # several labels: a Series indexed by them
    assert_eq(s.asof(many), pdf.asof(many))
