"""``rank`` of Series and DataFrame across partitions (pandas'; dask has none), against pandas."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    x = rng.integers(0, 8, 60).astype(float)
    x[rng.random(60) < 0.2] = np.nan
    return pd.DataFrame({"x": x, "s": rng.choice(["p", "q", "r", "s"], 60), "f": rng.random(60)},
                        index=rng.permutation(60) * 2)


@pytest.mark.parametrize("method, ascending, na_option, pct",
                         list(itertools.product(["average", "min", "max", "first", "dense"], [True, False],
                                                ["keep", "top", "bottom"], [False]))
                         + [("average", True, "keep", True), ("dense", False, "bottom", True)])
def test_series_rank_as_pandas(pdf, backend, method, ascending, na_option, pct):
    df = gd.from_pandas(pdf, npartitions=5, sort=False, backend=backend)
    kwargs = {"method": method, "ascending": ascending, "na_option": na_option, "pct": pct}
    got = df.x.rank(**kwargs)
    assert got.npartitions == 5
    assert_eq(got, pdf.x.rank(**kwargs), sort_results=False)


def test_frame_rank_and_divisions(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)  # sorted index: known divisions stay
    got = df.rank()
    assert got.divisions == df.divisions
    assert_eq(got, pdf.sort_index().rank(), sort_results=False)
    assert_eq(df.rank(numeric_only=True, method="min"), pdf.sort_index().rank(numeric_only=True, method="min"),
              sort_results=False)
    one = gd.from_pandas(pdf, npartitions=1, backend=backend)
    assert_eq(one.s.rank(method="dense"), pdf.sort_index().s.rank(method="dense"))


def test_rank_errors(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(ValueError, match="method"):
        df.x.rank(method="middle")
    with pytest.raises(ValueError, match="na_option"):
        df.x.rank(na_option="first")
    with pytest.raises(ValueError, match="No axis named 2"):
        df.rank(axis=2)


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=1, max_size=25),
       nparts=st.integers(1, 6), method=st.sampled_from(["average", "min", "max", "first", "dense"]),
       ascending=st.booleans(), na_option=st.sampled_from(["keep", "top", "bottom"]), pct=st.booleans())
def test_rank_matches_pandas_for_any_partitioning(values, nparts, method, ascending, na_option, pct):
    s = pd.Series([np.nan if v is None else float(v) for v in values])
    kwargs = {"method": method, "ascending": ascending, "na_option": na_option, "pct": pct}
    got = gd.from_pandas(s, npartitions=nparts, backend="cpu").rank(**kwargs)
    assert_eq(got, s.rank(**kwargs), sort_results=False)


def test_rank_across_partitions_without_pandas_warnings():
    # pandas 2.2 (no copy-on-write) warned SettingWithCopyWarning as the ranks were added to a column selection
    s = pd.Series([30, 10, 20, 10, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = gd.from_pandas(s, npartitions=2, backend="cpu").rank().compute()
    pd.testing.assert_series_equal(got, s.rank())


@pytest.mark.parametrize("kwargs", [{}, {"method": "min", "ascending": False}, {"pct": True, "na_option": "top"}])
def test_rank_along_rows_as_pandas(backend, kwargs):
    """axis=1: each row's values among the row's, row by row in each partition (was refused)."""
    pdf = pd.DataFrame({"a": [3.0, 1.0, np.nan, 2.0], "b": [1.0, 1.0, 5.0, 2.0], "c": [2, 9, 0, 2]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = df.rank(axis=1, **kwargs)
    assert got.divisions == df.divisions
    assert_eq(got, pdf.rank(axis=1, **kwargs))
    with pytest.raises(ValueError, match="No axis named 1"):
        df.a.rank(axis=1)


@needs_pandas_3("pandas 2.2's Series.rank of a nullable column ranks its NA as a value")
@pytest.mark.parametrize("kwargs", [{}, {"method": "min"}, {"pct": True}, {"method": "dense", "na_option": "top"}])
@pytest.mark.parametrize("npartitions", [1, 3])
def test_rank_of_nullable_integers_in_pandas_dtypes(backend, kwargs, npartitions):
    """A Series' ranks of a nullable column are nullable (Float64, UInt64), a DataFrame's float64, as pandas
    (several partitions gave float64 under Float64 metadata)."""
    s = pd.Series([3, None, 1, 3, 2], dtype="Int64")
    assert_eq(gd.from_pandas(s, npartitions=npartitions, backend=backend).rank(**kwargs), s.rank(**kwargs))
    pdf = pd.DataFrame({"a": s, "b": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert_eq(gd.from_pandas(pdf, npartitions=npartitions, backend=backend).rank(**kwargs), pdf.rank(**kwargs))


@pytest.mark.parametrize("ordered", [False, True])
@pytest.mark.parametrize("method", ["average", "min", "dense", "first"])
def test_rank_of_categoricals_across_partitions(backend, ordered, method):
    """pandas ranks an unordered categorical by its values and an ordered one in its categories' order (across
    partitions the unordered one was ranked in the categories' order)."""
    s = pd.Series(pd.Categorical(["u", "v", "u", "w", None], categories=["w", "v", "u"], ordered=ordered), name="c")
    for ascending in (True, False):
        got = gd.from_pandas(s, npartitions=2, backend=backend).rank(method=method, ascending=ascending)
        pd.testing.assert_series_equal(to_host(got.compute()), s.rank(method=method, ascending=ascending))


def test_rank_and_idxmax_numeric_only_leave_timedeltas_out(backend):
    # pandas' numeric data: numbers and booleans, not timedeltas (select_dtypes("number") has them)
    pdf = pd.DataFrame({"a": [3, 1, 2], "td": pd.to_timedelta([3, 1, 2], unit="h"), "b": [True, False, True],
                        "s": ["x", "y", "z"]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert list(df.rank(numeric_only=True).columns) == list(pdf.rank(numeric_only=True).columns) == ["a", "b"]
    assert_eq(df.rank(numeric_only=True), pdf.rank(numeric_only=True))
    assert_eq(df.idxmax(numeric_only=True), pdf.idxmax(numeric_only=True))
