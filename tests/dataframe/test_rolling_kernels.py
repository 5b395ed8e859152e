"""Rolling windows through pandas' own kernels (gpuscale.backends.frame.rolling_kernels): the same answers as
``obj.rolling(...)`` bit for bit, and None (pandas' path) wherever the fast path does not apply."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame.rolling_kernels import fast_rolling
from gpuscale.testing import assert_eq

METHODS = ["sum", "mean", "min", "max", "var", "std"]

values = st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan), st.just(np.inf), st.just(-np.inf),
                            st.just(0.0), st.just(1.5)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(values, st.integers(1, 12), st.one_of(st.none(), st.integers(0, 12)), st.sampled_from(METHODS))
def test_same_answers_as_pandas_bit_for_bit(data, window, min_periods, how):
    s = pd.Series(data, index=pd.date_range("2024", periods=len(data), freq="min"), name="x")
    kwargs = {} if min_periods is None or min_periods > window else {"min_periods": min_periods}
    out = fast_rolling(s, window, kwargs, how)
    pd.testing.assert_series_equal(out, getattr(s.rolling(window, **kwargs), how)(), check_exact=True)


@pytest.mark.parametrize("how", METHODS)
def test_integer_and_frame_columns(how):
    rng = np.random.default_rng(3)
    pdf = pd.DataFrame({"a": rng.integers(-5, 5, 40), "b": rng.normal(size=40), 3: rng.integers(0, 9, 40)
                        .astype("uint8")})
    pdf.loc[[4, 5, 20], "b"] = np.nan
    pd.testing.assert_frame_equal(fast_rolling(pdf, 4, {"min_periods": 2}, how),
                                  getattr(pdf.rolling(4, min_periods=2), how)(), check_exact=True)
    pd.testing.assert_series_equal(fast_rolling(pdf.a, 3, {}, how), getattr(pdf.a.rolling(3), how)(),
                                   check_exact=True)


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_ddof(ddof):
    s = pd.Series(np.random.default_rng(1).normal(size=30))
    for how in ("var", "std"):
        pd.testing.assert_series_equal(fast_rolling(s, 5, {}, how, (ddof,)), getattr(s.rolling(5), how)(ddof),
                                       check_exact=True)
        pd.testing.assert_series_equal(fast_rolling(s, 5, {}, how, (), {"ddof": ddof}),
                                       getattr(s.rolling(5), how)(ddof=ddof), check_exact=True)


def test_bounds_of_shorter_and_longer_partitions_alike():
    # the kept bounds of a long partition are sliced for a short one; a longer one makes new ones
    rng = np.random.default_rng(2)
    for n in (500, 37, 1, 2000, 499):
        s = pd.Series(rng.normal(size=n))
        pd.testing.assert_series_equal(fast_rolling(s, 7, {}, "mean"), s.rolling(7).mean(), check_exact=True)


@pytest.mark.parametrize("case", [
    ("window", 0, {}), ("window", "2h", {"step": 2}), ("window", True, {}), ("kwargs", 3, {"center": True}),
    ("kwargs", 3, {"closed": "left"}), ("kwargs", 3, {"min_periods": 4}), ("kwargs", 3, {"win_type": "boxcar"}),
    ("kwargs", 3, {"step": 2}),
])
def test_other_options_take_pandas_path(case):
    _, window, kwargs = case
    s = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2024", periods=3, freq="h"))
    assert fast_rolling(s, window, kwargs, "mean") is None


def test_other_values_and_methods_take_pandas_path():
    s = pd.Series([1.0, 2.0, 3.0])
    assert fast_rolling(s, 2, {}, "median") is None
    assert fast_rolling(s, 2, {}, "mean", (), {"numeric_only": True}) is None
    assert fast_rolling(s.astype("Float64"), 2, {}, "mean") is None
    assert fast_rolling(s.astype(bool), 2, {}, "mean") is None
    assert fast_rolling(s.iloc[:0], 2, {}, "mean") is None
    assert fast_rolling(pd.DataFrame({"a": [1.0, 2.0], "b": ["u", "v"]}), 2, {}, "mean") is None
    assert fast_rolling(pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]), 2, {}, "mean") is None
    assert fast_rolling(pd.DataFrame(index=range(3)), 2, {}, "mean") is None


@pytest.mark.parametrize("how", METHODS)
def test_collection_rolling_matches_pandas(how):
    rng = np.random.default_rng(5)
    pdf = pd.DataFrame({"x": rng.normal(size=300), "i": rng.integers(0, 10, 300)},
                       index=pd.date_range("2024", periods=300, freq="s"))
    pdf.iloc[[0, 50, 51, 140], 0] = np.nan
    pdf.iloc[[60], 0] = np.inf
    df = gd.from_pandas(pdf, npartitions=7)
    for window, kwargs in ((10, {}), (25, {"min_periods": 3}), (80, {})):
        assert_eq(getattr(df.x.rolling(window, **kwargs), how)(), getattr(pdf.x.rolling(window, **kwargs), how)())
        assert_eq(getattr(df.rolling(window, **kwargs), how)(), getattr(pdf.rolling(window, **kwargs), how)())
