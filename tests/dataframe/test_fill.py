"""``ffill`` / ``bfill`` across partitions (with ``limit``) and ``replace``, against pandas and dask.dataframe."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf():
    rng = np.random.default_rng(5)
    n = 80
    x = rng.normal(size=n)
    x[rng.random(n) < 0.5] = np.nan
    x[20:45] = np.nan  # a gap longer than a partition
    t = pd.Series(pd.date_range("2022-01-01", periods=n, freq="h"))
    t[rng.random(n) < 0.3] = pd.NaT
    s = pd.Series(rng.choice(["a", "b", "c"], n), dtype="str")
    s[rng.random(n) < 0.4] = None
    return pd.DataFrame({"x": x, "k": np.arange(n), "t": t, "s": s})


@pytest.mark.parametrize("method", ["ffill", "bfill"])
@pytest.mark.parametrize("limit", [None, 1, 3, 12])
def test_fill_matches_pandas_and_dask(pdf, backend, method, limit):
    df = gd.from_pandas(pdf, npartitions=8, backend=backend)
    assert_eq(getattr(df, method)(limit=limit), getattr(pdf, method)(limit=limit))
    assert_eq(getattr(df.x, method)(limit=limit), getattr(pdf.x, method)(limit=limit))
    short_gaps = pdf[["x", "k"]].copy()
    short_gaps.loc[21:44, "x"] = 1.0  # dask refuses a partition without a valid value
    theirs = getattr(dd.from_pandas(short_gaps, npartitions=4), method)(limit=limit).compute()
    ours = getattr(gd.from_pandas(short_gaps, npartitions=4, backend=backend), method)(limit=limit)
    assert_eq(ours, theirs)


def test_fill_keeps_divisions_and_projects_below(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=8, backend=backend)
    assert df.ffill().divisions == df.divisions
    assert "columns=['x']" in df.ffill()[["x"]].expr.simplify().tree_repr()
    assert_eq(df[["x", "k"]].ffill(axis=1), pdf[["x", "k"]].ffill(axis=1))
    with pytest.raises(ValueError, match="limit"):
        df.ffill(limit=0)


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.one_of(st.just(np.nan), st.floats(-10, 10)), min_size=1, max_size=30),
       nparts=st.integers(1, 8), limit=st.one_of(st.none(), st.integers(1, 5)))
def test_fill_any_gap_pattern(values, nparts, limit):
    s = pd.Series(values, dtype="float64")
    ds = gd.from_pandas(s, npartitions=nparts)
    assert_eq(ds.ffill(limit=limit), s.ffill(limit=limit))
    assert_eq(ds.bfill(limit=limit), s.bfill(limit=limit))


def test_fill_after_a_filter_leaves_empty_partitions(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=8, backend=backend)
    kept = df[(df.k < 10) | (df.k > 60)]
    expected = pdf[(pdf.k < 10) | (pdf.k > 60)]
    assert_eq(kept.ffill(), expected.ffill())
    assert_eq(kept.bfill(limit=2), expected.bfill(limit=2))


def test_replace_matches_pandas_and_dask(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.k.replace(3, -3), pdf.k.replace(3, -3))
    assert_eq(df.k.replace([1, 2], [10, 20]), pdf.k.replace([1, 2], [10, 20]))
    assert_eq(df.replace({"s": {"a": "A"}}), pdf.replace({"s": {"a": "A"}}))
    assert_eq(df.s.replace({"b": "B"}), pdf.s.replace({"b": "B"}))
    assert_eq(df.s.replace("^c$", "C", regex=True), pdf.s.replace("^c$", "C", regex=True))
    theirs = dd.from_pandas(pdf, npartitions=4).k.replace(3, -3).compute()
    assert_eq(df.k.replace(3, -3), theirs)


def test_fillna_of_a_frame_keeps_the_dtypes_of_columns_it_cannot_fill(backend):
    # df.fillna(0) over a frame with a time column: the times keep their dtype (pandas changes a column only
    # where a hole meets a value its dtype cannot hold, which pandas 3 deprecates), so .dt works after it
    pdf = pd.DataFrame({"x": [1.0, None, 3.0, None], "t": pd.date_range("2024-01-01", periods=4, freq="D")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    filled = df.fillna(0)
    assert_eq(filled, pdf.fillna(0))
    assert_eq(filled.t.dt.day, pdf.fillna(0).t.dt.day)


@needs_pandas_3("pandas 2.2's fillna(limit=) fills every missing value of a nullable column")
@pytest.mark.parametrize("npartitions", [1, 3, 5])
def test_fillna_limit_counts_across_partitions(backend, npartitions):
    """``fillna(value, limit=)`` fills the first ``limit`` missing values of each column of the whole collection
    (each partition filled its own first ``limit``)."""
    pdf = pd.DataFrame({"a": [1.0, None, 3.0, None, 5.0, None, None, 8.0, None],
                        "b": pd.array([None, None, 1, 2, None, 3, None, None, 4], dtype="Int64"),
                        "c": pd.Series(["x", None, None, "y", None, "z", None, "w", None], dtype="str")})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for value, limit in ((0, 2), ({"a": -1.0, "c": "q"}, 3)):
        value = value if isinstance(value, dict) else {"a": value, "b": value, "c": "0"}
        tm.assert_frame_equal(to_host(df.fillna(value, limit=limit).compute()), pdf.fillna(value, limit=limit))
    tm.assert_series_equal(to_host(df.a.fillna(0.5, limit=2).compute()), pdf.a.fillna(0.5, limit=2))
    with pytest.raises(ValueError, match="limit"):
        df.fillna(0, limit=0)
