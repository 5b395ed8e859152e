"""merge_asof against pandas.merge_asof and dask.dataframe.merge_asof (hypothesis over keys, groups, directions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def sides():
    rng = np.random.default_rng(3)
    left = pd.DataFrame({"t": np.sort(rng.choice(1000, 60, replace=False)), "k": rng.choice(["a", "b", "c"], 60),
                         "lv": rng.normal(size=60)})
    right = pd.DataFrame({"t": np.sort(rng.choice(1000, 90, replace=False)), "k": rng.choice(["a", "b", "c"], 90),
                          "rv": rng.integers(0, 100, 90)})
    return left, right


@pytest.mark.parametrize("direction", ["backward", "forward", "nearest"])
@pytest.mark.parametrize("by", [None, "k"])
def test_on_column(sides, backend, direction, by):
    left, right = sides
    got = gd.merge_asof(gd.from_pandas(left, npartitions=4, backend=backend),
                        gd.from_pandas(right, npartitions=5, backend=backend), on="t", by=by, direction=direction)
    expected = pd.merge_asof(left, right, on="t", by=by, direction=direction)
    tm.assert_frame_equal(to_host(got.compute()).reset_index(drop=True), expected)
    theirs = dd.merge_asof(dd.from_pandas(left, npartitions=4), dd.from_pandas(right, npartitions=5), on="t", by=by,
                           direction=direction).compute()
    tm.assert_frame_equal(to_host(got.compute()).reset_index(drop=True), theirs.reset_index(drop=True),
                          check_dtype=False)


def test_on_index_keeps_divisions(sides, backend):
    left, right = (s.set_index("t") for s in sides)
    lg, rg = gd.from_pandas(left, npartitions=3, backend=backend), gd.from_pandas(right, npartitions=4,
                                                                                   backend=backend)
    got = gd.merge_asof(lg, rg, left_index=True, right_index=True, by="k", tolerance=50)
    assert got.divisions == lg.divisions
    expected = pd.merge_asof(left, right, left_index=True, right_index=True, by="k", tolerance=50)
    tm.assert_frame_equal(to_host(got.compute()), expected)
    theirs = dd.merge_asof(dd.from_pandas(left, npartitions=3), dd.from_pandas(right, npartitions=4),
                           left_index=True, right_index=True, by="k", tolerance=50).compute()
    tm.assert_frame_equal(to_host(got.compute()), theirs, check_dtype=False)


def test_errors(sides):
    left, right = (gd.from_pandas(s, npartitions=2) for s in sides)
    with pytest.raises(ValueError, match="direction"):
        gd.merge_asof(left, right, on="t", direction="sideways")
    with pytest.raises(ValueError, match="one key"):
        gd.merge_asof(left, right, left_on="t")
    with pytest.raises(TypeError, match="must be DataFrames"):
        gd.merge_asof(left, [1, 2], on="t")


@settings(max_examples=40, deadline=None)
@given(lkeys=st.lists(st.integers(0, 60), min_size=1, max_size=30, unique=True),
       rkeys=st.lists(st.integers(0, 60), min_size=1, max_size=30, unique=True),
       lparts=st.integers(1, 4), rparts=st.integers(1, 4), seed=st.integers(0, 100),
       direction=st.sampled_from(["backward", "forward", "nearest"]), exact=st.booleans(),
       tolerance=st.sampled_from([None, 3]), by=st.booleans())
def test_matches_pandas_on_random_keys(lkeys, rkeys, lparts, rparts, seed, direction, exact, tolerance, by):
    rng = np.random.default_rng(seed)
    left = pd.DataFrame({"t": sorted(lkeys), "g": rng.integers(0, 3, len(lkeys)), "a": range(len(lkeys))})
    right = pd.DataFrame({"t": sorted(rkeys), "g": rng.integers(0, 3, len(rkeys)), "b": range(len(rkeys))})
    kw = {"direction": direction, "allow_exact_matches": exact, "tolerance": tolerance, "by": "g" if by else None}
    got = gd.merge_asof(gd.from_pandas(left, npartitions=lparts), gd.from_pandas(right, npartitions=rparts),
                        on="t", **kw)
    tm.assert_frame_equal(to_host(got.compute()).reset_index(drop=True), pd.merge_asof(left, right, on="t", **kw))


@pytest.mark.parametrize("empty_side", ["left", "right", "both"])
def test_an_empty_side_of_unknown_divisions_matches_pandas(backend, empty_side):
    # An empty frame indexed by its key has unknown divisions; its one partition spans every key (as dask).
    good = pd.DataFrame({"k": range(10), "good": range(10)})
    empty = good[good.k < 0].rename(columns={"good": "empty"})
    left, right = (empty if empty_side in (side, "both") else good for side in ("left", "right"))
    if empty_side == "both":
        right = right.rename(columns={"empty": "other"})
    got = gd.merge_asof(gd.from_pandas(left, npartitions=2, backend=backend).set_index("k"),
                        gd.from_pandas(right, npartitions=3, backend=backend).set_index("k"),
                        left_index=True, right_index=True)
    expected = pd.merge_asof(left.set_index("k"), right.set_index("k"), left_index=True, right_index=True)
    tm.assert_frame_equal(to_host(got.compute()), expected, check_index_type=False)
