"""``nlargest``/``nsmallest`` across partitions: the rows pandas picks among ties (``keep=``) and its order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


def test_keep_last_picks_the_last_ties_of_the_whole(backend):
    """Candidates meet in their order in the collection (each partition's were sorted by value, so ties from
    several partitions were picked in the wrong order: [7, 2] for pandas' [7, 4])."""
    s = pd.Series([1, 5, 1, 3, 1, 5, 2, 1])
    ds = gd.from_pandas(s, npartitions=3, backend=backend)
    for keep in ("first", "last", "all"):
        got = to_host(ds.nsmallest(2, keep=keep).compute())
        assert list(got.index) == list(s.nsmallest(2, keep=keep).index), keep


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=1, max_size=30),
       n=st.integers(1, 6), npartitions=st.integers(1, 5), keep=st.sampled_from(["first", "last", "all"]),
       smallest=st.booleans())
def test_same_rows_in_the_same_order_as_pandas(values, n, npartitions, keep, smallest):
    s = pd.Series([np.nan if v is None else float(v) for v in values])
    ds = gd.from_pandas(s, npartitions=npartitions, backend="pandas")
    method = "nsmallest" if smallest else "nlargest"
    got = getattr(ds, method)(n, keep=keep, split_every=2).compute()
    assert list(got.index) == list(getattr(s, method)(n, keep=keep).index)
    frame = pd.DataFrame({"a": s, "b": np.arange(len(s)) % 3})
    got = getattr(gd.from_pandas(frame, npartitions=npartitions, backend="pandas"), method)(n, ["a", "b"], keep=keep)
    assert list(got.compute().index) == list(getattr(frame, method)(n, ["a", "b"], keep=keep).index)


@pytest.mark.parametrize("keep", ["first", "last", "all"])
@pytest.mark.parametrize("method", ["nlargest", "nsmallest"])
def test_several_columns_with_a_partition_of_missing_first_values(backend, keep, method):
    """A partition whose first column is mostly missing: pandas' own selection by several columns raises
    IndexError for n between its count of values and its rows, which each partition's candidates (n + 1 rows)
    reached (pandas picks row 4 of the whole)."""
    pdf = pd.DataFrame({"a": [2.0, 2.0, np.nan, np.nan, 2.0], "b": [1, 1, 1, 1, 1], "c": [1.0, 1.0, 2.0, 2.0, 2.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for n in (1, 2, 3):
        got = to_host(getattr(df, method)(n, ["a", "b", "c"], keep=keep).compute())
        pd.testing.assert_frame_equal(got, getattr(pdf, method)(n, ["a", "b", "c"], keep=keep))
