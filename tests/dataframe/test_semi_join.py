"""A partition merge first drops the rows of a much larger side that cannot match (``drop_unmatchable``): the
result must be pandas' merge exactly — rows, order, index, dtypes — for every ``how`` and kind of key."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpuscale.backends.frame import semi_join
from gpuscale.backends.frame.ops import merge_chunks


def _frames(seed: int, big_rows: int = 60_000, small_rows: int = 900, nan_keys: bool = True):
    rng = np.random.default_rng(seed)
    big_keys = rng.integers(0, 20_000, big_rows).astype("float64")
    small_keys = rng.integers(0, 30_000, small_rows).astype("float64")  # some match nothing
    if nan_keys:
        big_keys[::997] = np.nan
        small_keys[::97] = np.nan  # pandas matches NaN keys with NaN keys
    big = pd.DataFrame({"k": big_keys, "v": rng.normal(size=big_rows)}, index=rng.permutation(big_rows) + 7)
    small = pd.DataFrame({"k2": small_keys, "w": np.arange(small_rows)})
    return big, small


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("big_is_left", [True, False])
def test_column_keys_as_pandas(how, big_is_left):
    big, small = _frames(1)
    left, right, kw = ((big, small, dict(left_on=["k"], right_on=["k2"])) if big_is_left
                       else (small, big, dict(left_on=["k2"], right_on=["k"])))
    got = merge_chunks(left, right, how=how, **kw)
    pd.testing.assert_frame_equal(got, left.merge(right, how=how, **kw))


def test_the_larger_side_is_filtered_before_the_merge(monkeypatch):
    big, small = _frames(2)
    seen = []
    real = pd.DataFrame.merge
    monkeypatch.setattr(pd.DataFrame, "merge", lambda self, other, **kw: seen.append(len(self)) or real(self, other, **kw))
    merge_chunks(big, small, how="inner", left_on=["k"], right_on=["k2"])
    assert seen[0] < len(big) // 10
    seen.clear()
    merge_chunks(big, small, how="left", left_on=["k"], right_on=["k2"])  # a left join keeps every left row
    assert seen == [len(big)]


@pytest.mark.parametrize("how", ["inner", "left", "right"])
def test_index_keys_and_index_level_names(how):
    big, small = _frames(3, nan_keys=False)
    indexed = small.set_index("k2")
    pd.testing.assert_frame_equal(merge_chunks(big, indexed, how=how, left_on=["k"], right_index=True),
                                  big.merge(indexed, how=how, left_on=["k"], right_index=True))
    named = big.set_index("k")
    pd.testing.assert_frame_equal(merge_chunks(named, small, how=how, left_on=["k"], right_on=["k2"]),
                                  named.merge(small, how=how, left_on=["k"], right_on=["k2"]))


def test_several_keys_and_small_sides_are_left_to_pandas():
    big, small = _frames(4)
    big["s"], small["s"] = big.k % 3, small.k2 % 3
    kw = dict(how="inner", left_on=["k", "s"], right_on=["k2", "s"])
    assert semi_join.drop_unmatchable(big, small, kw)[0] is big
    tiny = big.head(1_000)
    assert semi_join.drop_unmatchable(tiny, small, dict(how="inner", left_on=["k"], right_on=["k2"]))[0] is tiny


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**16), how=st.sampled_from(["inner", "left", "right"]),
       categorical=st.booleans(), strings=st.booleans())
def test_random_keys_as_pandas(seed, how, categorical, strings):
    big, small = _frames(seed, big_rows=400, small_rows=40)
    if strings:
        big["k"], small["k2"] = big.k.astype(str), small.k2.astype(str)
    if categorical:
        big["k"] = big.k.astype("category")
    kw = dict(how=how, left_on=["k"], right_on=["k2"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(semi_join, "MIN_ROWS", 100)  # the frames are small
        got = merge_chunks(big, small, **kw)
    pd.testing.assert_frame_equal(got, big.merge(small, **kw))
