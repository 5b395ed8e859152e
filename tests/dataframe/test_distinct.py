"""unique, nunique, value_counts, drop_duplicates, describe, repartition."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.dataframe import host_testing as tm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import sort_rows, to_host


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=5, backend=backend)


def test_unique_and_nunique(df, pdf):
    assert to_host(df.s.unique().compute()).tolist() == list(pdf.s.unique())
    assert df.k.nunique().compute() == pdf.k.nunique()
    assert df.x.nunique(dropna=False).compute() == pdf.x.nunique(dropna=False)
    assert_eq(df[["k", "j", "s"]].nunique(), pdf[["k", "j", "s"]].nunique())  # a Series of the frame's library
    got = to_host(df.k.unique(split_out=3).compute())
    assert sorted(got.tolist()) == sorted(pdf.k.unique().tolist())


@pytest.mark.parametrize("split_out", [1, 3])
def test_value_counts(df, pdf, split_out):
    got = to_host(df.j.value_counts(split_out=split_out).compute())
    tm.assert_series_equal(got.sort_index(), pdf.j.value_counts().sort_index())
    if split_out == 1:
        assert got.is_monotonic_decreasing
    norm = to_host(df.k.value_counts(normalize=True).compute())
    tm.assert_series_equal(norm.sort_index(), pdf.k.value_counts(normalize=True).sort_index())


def test_value_counts_with_nan(backend):
    s = pd.Series([1.0, np.nan, 1.0, 2.0, np.nan, 3.0])
    ds = gd.from_pandas(s, npartitions=3, backend=backend)
    tm.assert_series_equal(to_host(ds.value_counts(dropna=False).compute()).sort_index(),
                           s.value_counts(dropna=False).sort_index())


@pytest.mark.parametrize("split_out", [1, 4])
def test_drop_duplicates(df, pdf, split_out):
    got = df.drop_duplicates(subset=["k", "j"], split_out=split_out).compute()
    expected = pdf.drop_duplicates(subset=["k", "j"])
    if split_out == 1:
        tm.assert_frame_equal(to_host(got), expected)
    else:
        tm.assert_frame_equal(sort_rows(got[["k", "j"]]), sort_rows(expected[["k", "j"]]))
    tm.assert_frame_equal(to_host(df[["k", "j"]].drop_duplicates(split_out=1).compute()), pdf[["k", "j"]].drop_duplicates())
    tm.assert_frame_equal(sort_rows(df[["k", "j"]].drop_duplicates().compute()), sort_rows(pdf[["k", "j"]].drop_duplicates()))
    tm.assert_series_equal(to_host(df.j.drop_duplicates(keep="last", split_out=1).compute()),
                           pdf.j.drop_duplicates(keep="last"))


def test_describe(df, pdf):
    assert_eq(df.x.describe(), pdf.x.describe(), rtol=1e-9)
    numeric = pdf.drop(columns="t")  # datetime columns are not summarised (yet)
    assert_eq(df.drop(columns="t").describe(), numeric.describe(), rtol=1e-9)


@pytest.mark.parametrize("n", [1, 2, 5, 9, 13])
def test_repartition(df, pdf, n):
    out = df.repartition(npartitions=n)
    assert out.npartitions == n
    tm.assert_frame_equal(to_host(out.compute()), pdf)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(-5, 5), st.sampled_from([0, 7, 2**40, -(2**40)]), st.booleans()),
                     min_size=0, max_size=60),
       clustered=st.booleans(), subset=st.sampled_from([None, ["a"], ["a", "b"], ["c", "a"]]),
       ignore_index=st.booleans())
def test_drop_duplicates_of_integer_columns_matches_pandas(rows, clustered, subset, ignore_index):
    # integer keys take a packed-key path (sorted or hashed); wide ranges and bools included
    pdf = pd.DataFrame(rows, columns=["a", "b", "c"]).astype({"a": "int16", "b": "int64", "c": "bool"})
    pdf = pdf.sort_values("a", kind="stable") if clustered else pdf
    got = gd.from_pandas(pdf, npartitions=3, sort=False).drop_duplicates(subset=subset, ignore_index=ignore_index,
                                                                         split_out=1)
    expected = pdf.drop_duplicates(subset=subset, ignore_index=ignore_index)
    tm.assert_frame_equal(got.compute(), expected)


def test_drop_duplicates_of_integers_too_wide_to_pack():
    pdf = pd.DataFrame({"a": np.array([2**62, -(2**62), 2**62, 0]), "b": np.array([2**62, 1, 2**62, 0])})
    tm.assert_frame_equal(gd.from_pandas(pdf, npartitions=2).drop_duplicates(split_out=1).compute(),
                          pdf.drop_duplicates())


def test_drop_duplicates_of_uint64_beyond_int64():
    pdf = pd.DataFrame({"a": np.array([2**63 + 5, 2**63 + 5, 3], dtype="uint64"), "b": [1, 1, 2]})
    tm.assert_frame_equal(gd.from_pandas(pdf, npartitions=1).drop_duplicates().compute(), pdf.drop_duplicates())


def _shuffles(collection) -> list:
    from gpuscale.dataframe.expr.shuffle import HashShuffle

    return list(collection.expr.optimize().find_operations(HashShuffle))


@settings(max_examples=25, deadline=None)
@given(keys=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), min_size=1, max_size=60),
       nparts=st.integers(2, 5), project=st.booleans())
def test_distinct_rows_grouped_by_columns_are_shuffled_without_labels(keys, nparts, project):
    # a groupby by columns never reads the index, so the drop_duplicates shuffle carries none
    pdf = pd.DataFrame(keys, columns=["a", "b"]).assign(c=1.5)
    distinct = gd.from_pandas(pdf, npartitions=nparts).drop_duplicates(subset=["a", "b"])
    frame = distinct[["a", "b"]] if project else distinct
    got = frame.groupby("a").agg(n=("b", "count"))
    expected = (pdf.drop_duplicates(subset=["a", "b"])[["a", "b"]]).groupby("a").agg(n=("b", "count"))
    tm.assert_frame_equal(to_host(got.compute()), expected)
    assert all(s.drop_index for s in _shuffles(got) if s.on == ("a", "b"))


def test_distinct_rows_keep_their_labels_for_other_consumers():
    pdf = pd.DataFrame({"a": [3, 1, 3, 2, 1, 2], "b": [0, 0, 0, 1, 0, 1]}, index=[10, 11, 12, 13, 14, 15])
    distinct = gd.from_pandas(pdf, npartitions=3).drop_duplicates()
    assert not any(s.drop_index for s in _shuffles(distinct))
    tm.assert_frame_equal(to_host(distinct.compute()).sort_index(), pdf.drop_duplicates().sort_index())
    # shared with a consumer that reads the rows (and their labels): the shuffle keeps the labels
    both = gd.concat([distinct, distinct.groupby("a").agg(n=("b", "count")).reset_index()])
    assert not any(s.drop_index for s in _shuffles(both))


def test_distinct_rows_merged_on_columns_are_shuffled_without_labels():
    # a merge on columns of both sides numbers its rows anew; a merge on the index reads the labels
    pdf = pd.DataFrame({"a": [3, 1, 3, 2, 1, 2, 4, 4], "b": [0, 0, 0, 1, 0, 1, 2, 2]}, index=range(10, 18))
    other = pd.DataFrame({"a": [1, 2, 3, 5], "w": [0.5, 1.5, 2.5, 3.5]})
    distinct = gd.from_pandas(pdf, npartitions=3).drop_duplicates()
    right = gd.from_pandas(other, npartitions=2)
    on_columns = distinct.merge(right, on="a", how="left", broadcast=False)
    assert all(s.drop_index for s in _shuffles(on_columns) if s.on == ("a", "b"))
    tm.assert_frame_equal(sort_rows(to_host(on_columns.compute())),
                          sort_rows(pdf.drop_duplicates().merge(other, on="a", how="left")))
    on_index = distinct.merge(right.set_index("a"), left_on="a", right_index=True, how="left")
    assert not any(s.drop_index for s in _shuffles(on_index) if s.on == ("a", "b"))
    tm.assert_frame_equal(to_host(on_index.compute()).sort_index(),
                          pdf.drop_duplicates().merge(other.set_index("a"), left_on="a", right_index=True,
                                                      how="left").sort_index())


def test_integer_keys_pack_without_copying_one_int64_column():
    from gpuscale.backends.frame.distinct import _packed_key

    one = pd.Series(np.array([5, -3, 5, 7], dtype="int64"))
    assert np.shares_memory(_packed_key([one]), one.to_numpy())  # the column itself is the key
    a, b = pd.Series(np.array([2, 0, 2, 1], dtype="int32")), pd.Series(np.array([-1, 4, -1, 4], dtype="int16"))
    key = _packed_key([a, b])
    assert key.tolist() == [(x - 0) * 6 + (y + 1) for x, y in zip(a, b)]  # mixed radix over the ranges
    assert len(set(key.tolist())) == len(set(zip(a, b)))


@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("subset", [None, ["i"]])
def test_columns_of_drop_duplicates_keep_the_row_labels(backend, npartitions, subset):
    # the optimizer drops the labels from the shuffle where every consumer ignores the index; a projection that
    # is itself the output (nothing consumes it) was taken for one, and its rows were numbered from 0
    pdf = pd.DataFrame({"i": [1, 1, 2, 3, 3], "f": [0.1, 0.2, 0.3, 0.4, 0.5]}, index=[10, 11, 12, 13, 14])
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).drop_duplicates(subset=subset)
    expected = pdf.drop_duplicates(subset=subset)
    tm.assert_series_equal(to_host(df["f"].compute()).sort_index(), expected["f"])
    tm.assert_frame_equal(to_host(df[["f", "i"]].compute()).sort_index(), expected[["f", "i"]])
    assert df["f"].sum().compute() == pytest.approx(expected["f"].sum())  # a consumer ignoring labels still sums
