"""Runtime join filters: before a shuffle join moves a side, the other (filtered) side's key set drops the
rows that cannot match.  Results must be pandas' merge for every ``how`` and kind of key; the filter must sit
where a join drops unmatched rows, and never where it keeps them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame import key_filter
from gpuscale.backends.frame.core import convert_library
from gpuscale.dataframe.expr import merge as merge_expr
from gpuscale.dataframe.expr.join_filter import KeepJoinMatches
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import sort_rows, to_host


def _tables(seed: int, big_rows: int = 2_000, small_rows: int = 300, key_range: int = 1_000):
    rng = np.random.default_rng(seed)
    big = pd.DataFrame({"k": rng.integers(0, key_range, big_rows), "v": rng.normal(size=big_rows)})
    small = pd.DataFrame({"k": rng.integers(0, 3 * key_range, small_rows), "w": rng.integers(0, 10, small_rows)})
    return big, small


def _filters(expr) -> list:
    return list(expr.lower_completely().find_operations(KeepJoinMatches))


def _check(got, expected):
    tm.assert_frame_equal(sort_rows(got.compute()), sort_rows(expected))


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("small_is_left", [False, True])
def test_filtered_side_keys_drop_the_other_sides_rows(backend, how, small_is_left):
    big, small = _tables(1)
    gbig, gsmall = gd.from_pandas(big, npartitions=6, backend=backend), gd.from_pandas(small, npartitions=3,
                                                                                       backend=backend)
    gsmall, small = gsmall[gsmall.w < 3], small[small.w < 3]
    left, right, pleft, pright = (gsmall, gbig, small, big) if small_is_left else (gbig, gsmall, big, small)
    joined = left.merge(right, on="k", how=how, broadcast=False)
    _check(joined, pleft.merge(pright, on="k", how=how))
    # the big side is filtered only where the join drops its unmatched rows
    big_dropped = how == "inner" or how == ("left" if small_is_left else "right")
    assert len(_filters(joined.expr)) == (1 if big_dropped else 0)


@pytest.mark.parametrize("kind", ["int64", "uint8", "int32-int64", "float-nan", "string", "datetime"])
def test_key_kinds_as_pandas(backend, kind):
    big, small = _tables(2, key_range=200)
    if kind == "uint8":
        big["k"], small["k"] = big.k.astype("uint8"), (small.k % 256).astype("uint8")
    elif kind == "int32-int64":
        big["k"] = big.k.astype("int32")
    elif kind == "float-nan":
        big["k"], small["k"] = big.k.astype("float64"), small.k.astype("float64")
        big.loc[::7, "k"], small.loc[::5, "k"] = np.nan, np.nan  # pandas matches NaN keys with NaN keys
    elif kind == "string":
        big["k"], small["k"] = big.k.map("s{}".format), small.k.map("s{}".format)
    elif kind == "datetime":
        big["k"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(big.k, unit="D")
        small["k"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(small.k, unit="D")
    gbig = gd.from_pandas(big, npartitions=5, backend=backend)
    gsmall = gd.from_pandas(small, npartitions=2, backend=backend)
    joined = gbig.merge(gsmall[gsmall.w > 6], on="k", broadcast=False)
    assert _filters(joined.expr)
    _check(joined, big.merge(small[small.w > 6], on="k"))


def test_index_keys(backend):
    big, small = _tables(3)
    gbig = gd.from_pandas(big.set_index("k"), npartitions=4, backend=backend, sort=False)
    gsmall = gd.from_pandas(small, npartitions=2, backend=backend)
    joined = gbig.merge(gsmall[gsmall.w < 2], left_index=True, right_on="k", broadcast=False)
    assert _filters(joined.expr)
    _check(joined, big.set_index("k").merge(small[small.w < 2], left_index=True, right_on="k"))


def test_unfiltered_sides_get_no_filter(backend):
    big, small = _tables(4)
    gbig, gsmall = gd.from_pandas(big, npartitions=4, backend=backend), gd.from_pandas(small, npartitions=2,
                                                                                       backend=backend)
    assert not _filters(gbig.merge(gsmall, on="k", broadcast=False).expr)  # nothing says the keys are few


@pytest.mark.parametrize("how", ["inner", "left", "right"])
def test_several_keys_filter_by_the_first(backend, how):
    big, small = _tables(7)
    big["j"], small["j"] = big.k % 3, small.k % 3
    big["k2"] = big.k
    gbig, gsmall = gd.from_pandas(big, npartitions=4, backend=backend), gd.from_pandas(small, npartitions=2,
                                                                                       backend=backend)
    two_keys = gbig.merge(gsmall[gsmall.w < 3], left_on=["k2", "j"], right_on=["k", "j"], how=how,
                          broadcast=False)
    assert len(_filters(two_keys.expr)) == (0 if how == "left" else 1)
    filters = _filters(two_keys.expr)
    assert not filters or filters[0].key == "k2"
    _check(two_keys, big.merge(small[small.w < 3], left_on=["k2", "j"], right_on=["k", "j"], how=how))


def test_too_many_keys_drop_nothing(backend, monkeypatch):
    monkeypatch.setattr(key_filter, "MAX_KEYS", 5)
    big, small = _tables(5)
    gbig, gsmall = gd.from_pandas(big, npartitions=4, backend=backend), gd.from_pandas(small, npartitions=3,
                                                                                       backend=backend)
    joined = gbig.merge(gsmall[gsmall.w < 5], on="k", broadcast=False)
    assert _filters(joined.expr)
    _check(joined, big.merge(small[small.w < 5], on="k"))


def test_switched_off(backend, monkeypatch):
    monkeypatch.setattr(merge_expr, "JOIN_FILTERS", False)
    big, small = _tables(6)
    gbig, gsmall = gd.from_pandas(big, npartitions=4, backend=backend), gd.from_pandas(small, npartitions=2,
                                                                                       backend=backend)
    assert not _filters(gbig.merge(gsmall[gsmall.w < 5], on="k", broadcast=False).expr)


@pytest.mark.parametrize("bitmap", [True, False])
def test_rows_kept_are_those_with_a_matching_or_missing_key(backend, bitmap, monkeypatch):
    if not bitmap:
        monkeypatch.setattr(key_filter, "MAX_BITMAP_BITS", 1)  # a key range too wide: the values are kept
    part = pd.DataFrame({"k": [5, -3, 70, 5, 12, 2**40], "v": np.arange(6.0)}, index=[9, 9, 1, 2, 3, 4])
    frame = convert_library(part, backend)
    keys = key_filter.join_keys_finish([key_filter.join_keys_chunk(convert_library(pd.DataFrame(
        {"k": [5, 12, -3, -3]}), backend), "k")])
    assert (keys.bits is not None) == (bitmap and backend == "pandas")
    kept = to_host(key_filter.keep_join_matches(frame, keys, "k"))
    tm.assert_frame_equal(kept, part[part.k.isin([5, 12, -3])])
    floats = convert_library(pd.DataFrame({"k": [5.0, np.nan, 6.0]}), backend)
    expected = [5.0, np.nan] if keys.bits is None else [5.0, np.nan, 6.0]  # a bitmap keeps other kinds whole
    assert to_host(key_filter.keep_join_matches(floats, keys, "k")).k.tolist() == pytest.approx(expected,
                                                                                              nan_ok=True)


def test_unsigned_keys_past_int64_are_kept_or_dropped_safely():
    keys = key_filter.join_keys_finish([pd.Series([1, 2, 3], dtype="int64")])
    frame = pd.DataFrame({"k": np.array([2, 2**63 + 2, 2**64 - 1, 7], dtype="uint64")})
    kept = key_filter.keep_join_matches(frame, keys, "k")
    assert 2 in kept.k.tolist() and 7 not in kept.k.tolist()  # a row whose key matches is never dropped


def test_none_keeps_everything_and_combines_give_up_past_the_limit():
    frame = pd.DataFrame({"k": [1, 2]})
    assert key_filter.keep_join_matches(frame, None, "k") is frame
    parts = [pd.Series([1, 2, 3]), pd.Series([3, 4])]
    assert key_filter.join_keys_combine(parts, max_keys=4).tolist() == [1, 2, 3, 4]
    assert key_filter.join_keys_combine(parts, max_keys=3) is None
    assert key_filter.join_keys_finish([None, pd.Series([1])]) is None


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), how=st.sampled_from(["inner", "left", "right"]),
       threshold=st.integers(0, 10), index_key=st.booleans())
def test_random_joins_as_pandas(seed, how, threshold, index_key):
    big, small = _tables(seed, big_rows=300, small_rows=60, key_range=100)
    small = small[small.w < threshold]
    gbig = gd.from_pandas(big, npartitions=3)
    gsmall = gd.from_pandas(_tables(seed, big_rows=300, small_rows=60, key_range=100)[1], npartitions=2)
    gsmall = gsmall[gsmall.w < threshold]
    if index_key:
        joined, expected = (gbig.merge(gsmall.set_index("k", sort=False), left_on="k", right_index=True, how=how,
                                       broadcast=False),
                            big.merge(small.set_index("k"), left_on="k", right_index=True, how=how))
    else:
        joined, expected = gbig.merge(gsmall, on="k", how=how, broadcast=False), big.merge(small, on="k", how=how)
    got = sort_rows(joined.compute())
    tm.assert_frame_equal(got.reset_index(drop=True), sort_rows(expected).reset_index(drop=True))
