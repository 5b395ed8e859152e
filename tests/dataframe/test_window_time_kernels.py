"""Time windows (``rolling("2h")``) through pandas' own kernels (``rolling_kernels.fast_rolling``): the same
answers as ``obj.rolling(...)`` bit for bit, on regular and irregular time series (the evenly stepping ones
take fixed bounds, the others pandas' bounds function), with NaN and infinities, every ``closed``, ``center``,
``min_periods``, windows shorter than a step and longer than the series; None (pandas' path) where the fast
path does not apply; and the collections' ``rolling(span)`` against pandas across partitions."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame import rolling_kernels
from gpuscale.backends.frame.rolling_kernels import fast_rolling
from gpuscale.testing import assert_eq

METHODS = ["sum", "mean", "min", "max", "var", "std"]
CLOSED = [None, "right", "left", "both", "neither"]

values = st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan), st.just(np.inf), st.just(-np.inf),
                            st.just(0.0), st.just(1.5)), min_size=1, max_size=60)


def _index(steps: list, unit: str, kind: str) -> pd.Index:
    """An increasing datetime (or timedelta) index whose consecutive steps are ``steps`` (0: a repeated
    stamp) in ``unit``s."""
    offsets = np.cumsum([0] + steps).astype(np.int64)
    if kind == "timedelta":
        return pd.TimedeltaIndex(offsets.astype(f"m8[{unit}]"), name="t")
    return pd.DatetimeIndex((np.datetime64("2024-01-01", unit) + offsets.astype(f"m8[{unit}]")), name="t")


@st.composite
def time_series(draw):
    data = draw(values)
    n = len(data)
    if draw(st.booleans()):  # regular: one step
        steps = [draw(st.integers(1, 5))] * (n - 1)
    else:  # irregular, with repeated stamps
        steps = draw(st.lists(st.integers(0, 6), min_size=n - 1, max_size=n - 1))
    unit = draw(st.sampled_from(["s", "ms", "us", "ns"]))
    index = _index(steps, unit, draw(st.sampled_from(["datetime", "datetime", "timedelta"])))
    scale = {"s": 1, "ms": 1000, "us": 10**6, "ns": 10**9}[unit]
    window = draw(st.one_of(
        st.integers(1, 40).map(lambda k: pd.Timedelta(seconds=k / scale)),  # in steps of the index's unit
        st.sampled_from(["1s", "2s", "7s", "30s", "1min", "2h", "999ms"]),
        st.integers(1, 20).map(lambda k: datetime.timedelta(seconds=k)),
        st.integers(1, 5).map(pd.offsets.Second),
    ))
    return pd.Series(data, index=index, name="x"), window


@settings(max_examples=300, deadline=None)
@given(time_series(), st.sampled_from(CLOSED), st.booleans(), st.one_of(st.none(), st.integers(0, 8)),
       st.sampled_from(METHODS))
def test_same_answers_as_pandas_bit_for_bit(case, closed, center, min_periods, how):
    s, window = case
    kwargs = {"closed": closed} if closed is not None else {}
    if center:
        kwargs["center"] = True
    if min_periods is not None:
        kwargs["min_periods"] = min_periods
    out = fast_rolling(s, window, kwargs, how)
    assert out is not None  # the fast path applies to all of these
    pd.testing.assert_series_equal(out, getattr(s.rolling(window, **kwargs), how)(), check_exact=True)


def test_regular_series_take_fixed_bounds_irregular_ones_pandas_bounds(monkeypatch):
    calls = []
    real = rolling_kernels._variable_bounds
    monkeypatch.setattr(rolling_kernels, "_variable_bounds", lambda *a: calls.append(a) or real(*a))
    regular = pd.Series(np.arange(50.0), index=pd.date_range("2024", periods=50, freq="30s"))
    for window, closed in (("2min", None), ("95s", "left"), ("1min", "both"), ("45s", "neither"), ("10s", "right")):
        kwargs = {} if closed is None else {"closed": closed}
        pd.testing.assert_series_equal(fast_rolling(regular, window, kwargs, "sum"),
                                       regular.rolling(window, **kwargs).sum(), check_exact=True)
    assert calls == []
    irregular = regular.iloc[[0, 1, 2, 4, 5, 9, 10, 11]]
    pd.testing.assert_series_equal(fast_rolling(irregular, "2min", {}, "sum"), irregular.rolling("2min").sum(),
                                   check_exact=True)
    assert len(calls) == 1


def test_index_frequency_and_time_zones():
    # a fixed frequency is trusted (its ends checked); a calendar day in a time zone (23 or 25 hours over a
    # change of daylight saving time) is not a fixed step, nor an index without a frequency
    hourly = pd.Series(np.arange(100.0), index=pd.date_range("2024-03-30", periods=100, freq="h",
                                                             tz="Europe/Berlin"))
    daily = pd.Series(np.arange(10.0), index=pd.date_range("2024-03-28", periods=10, freq="D", tz="Europe/Berlin"))
    hour = int(pd.Timedelta("1h").as_unit(hourly.index.unit).to_timedelta64().astype(np.int64))
    assert rolling_kernels._regular_step(hourly.index.asi8, hourly.index.freq) == hour
    assert rolling_kernels._regular_step(daily.index.asi8, daily.index.freq) is None
    assert rolling_kernels._regular_step(daily.index.asi8) is None
    for s, window in ((hourly, "5h"), (daily, "2D"), (daily, "47h"), (hourly.iloc[3:50], "10h")):
        for closed in CLOSED:
            kwargs = {} if closed is None else {"closed": closed}
            pd.testing.assert_series_equal(fast_rolling(s, window, kwargs, "sum"), s.rolling(window, **kwargs).sum(),
                                           check_exact=True)


def test_frames_and_integer_columns():
    rng = np.random.default_rng(4)
    index = pd.DatetimeIndex(pd.Timestamp("2024-03-01") + pd.to_timedelta(np.cumsum(rng.integers(0, 90, 200)),
                                                                          unit="s"))
    pdf = pd.DataFrame({"a": rng.integers(-5, 5, 200), "b": rng.normal(size=200), 3: rng.integers(0, 9, 200)
                        .astype("uint8")}, index=index)
    pdf.iloc[[4, 5, 20], 1] = np.nan
    for how in METHODS:
        for kwargs in ({}, {"min_periods": 3, "closed": "both"}):
            pd.testing.assert_frame_equal(fast_rolling(pdf, "5min", kwargs, how),
                                          getattr(pdf.rolling("5min", **kwargs), how)(), check_exact=True)


def test_tz_aware_index_and_long_series():
    # more rows than the bounds cache keeps for one window; a tz-aware index rolls on its UTC stamps
    n = (1 << 21) + 5
    s = pd.Series(np.random.default_rng(8).normal(size=n), index=pd.date_range("2024", periods=n, freq="s",
                                                                                 tz="Europe/Berlin"))
    pd.testing.assert_series_equal(fast_rolling(s, "2h", {}, "mean"), s.rolling("2h").mean(), check_exact=True)
    short = s.iloc[:1000]
    pd.testing.assert_series_equal(fast_rolling(short, "2h", {}, "mean"), short.rolling("2h").mean(),
                                   check_exact=True)


def test_window_reaching_below_the_int64_range_uses_pandas_bounds():
    # pandas' own arithmetic (stamp - window) wraps there; its bounds function is what gives pandas' answer
    s = pd.Series([1.0, 2.0, 3.0], index=pd.DatetimeIndex(["1677-09-22", "1677-09-23", "1677-09-24"]).as_unit("ns"))
    out = fast_rolling(s, "3D", {}, "sum")
    pd.testing.assert_series_equal(out, s.rolling("3D").sum(), check_exact=True)


@pytest.mark.parametrize("case", [
    ("calendar offset", "ME", {}), ("step", "2h", {"step": 2}), ("win_type", "2h", {"win_type": "boxcar"}),
    ("bad closed", "2h", {"closed": "middle"}), ("bad min_periods", "2h", {"min_periods": -1}),
    ("float min_periods", "2h", {"min_periods": 1.0}), ("negative", "-2h", {}),
    ("numpy timedelta", np.timedelta64(2, "h"), {}),
])
def test_other_time_windows_take_pandas_path(case):
    _, window, kwargs = case
    s = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2024", periods=3, freq="h"))
    assert fast_rolling(s, window, kwargs, "mean") is None


def test_other_indexes_take_pandas_path():
    s = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2024", periods=3, freq="h"))
    assert fast_rolling(s.iloc[::-1], "2h", {}, "mean") is None  # decreasing: pandas rolls it its own way
    assert fast_rolling(s.iloc[[0, 2, 1]], "2h", {}, "mean") is None  # unsorted: pandas raises
    with_nat = s.set_axis(pd.DatetimeIndex(["2024-01-01", None, "2024-01-02"]))
    assert fast_rolling(with_nat, "2h", {}, "mean") is None  # pandas raises
    assert fast_rolling(s.to_period("h"), "2h", {}, "mean") is None
    assert fast_rolling(s.reset_index(drop=True), "2h", {}, "mean") is None
    assert fast_rolling(s.astype("Float64"), "2h", {}, "mean") is None


@pytest.mark.parametrize("window,kwargs", [("2h", {}), ("90min", {"min_periods": 3}), ("3h", {"closed": "left"}),
                                           ("45min", {"closed": "both"}), ("1h", {"closed": "neither"}),
                                           ("30h", {}), ("2h", {"center": True})])
@pytest.mark.parametrize("how", ["sum", "mean", "max", "std"])
def test_collection_time_rolling_matches_pandas(window, kwargs, how):
    # irregular minutes with repeated stamps, NaN and inf at partition edges; "30h" is longer than a partition
    rng = np.random.default_rng(9)
    minutes = np.cumsum(rng.integers(0, 12, 600))
    index = pd.DatetimeIndex(pd.Timestamp("2024-01-01") + pd.to_timedelta(minutes, unit="min"), name="t")
    pdf = pd.DataFrame({"x": rng.normal(size=600), "i": rng.integers(0, 10, 600)}, index=index)
    pdf.iloc[[0, 99, 100, 101, 400], 0] = np.nan
    pdf.iloc[[250], 0] = np.inf
    df = gd.from_pandas(pdf, npartitions=6)
    assert_eq(getattr(df.x.rolling(window, **kwargs), how)(), getattr(pdf.x.rolling(window, **kwargs), how)())
    assert_eq(getattr(df.rolling(window, **kwargs), how)(), getattr(pdf.rolling(window, **kwargs), how)())


def test_collection_regular_series_matches_pandas():
    pdf = pd.DataFrame({"x": np.random.default_rng(1).normal(size=5000)},
                       index=pd.date_range("2024-01-01", periods=5000, freq="s", name="t"))
    df = gd.from_pandas(pdf, npartitions=7)
    for window in ("2min", "20min", "3h"):
        assert_eq(df.x.rolling(window).mean(), pdf.x.rolling(window).mean())
