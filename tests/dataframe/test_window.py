"""Windows across partition boundaries against pandas and dask: shift, diff, cumulative operations,
map_overlap, rolling, and the group-wise shift / diff / cum* / rolling (issue 14)."""

from __future__ import annotations

import warnings

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

dd = pytest.importorskip("dask.dataframe")


def dask_result(obj):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return obj.compute(scheduler="sync")


@pytest.fixture
def frame() -> pd.DataFrame:
    """Numbers with NaNs, an int column, group keys; a sorted RangeIndex (known divisions)."""
    rng = np.random.default_rng(7)
    n = 60
    x = rng.normal(size=n)
    x[[3, 11, 12, 40]] = np.nan
    return pd.DataFrame({"k": rng.integers(0, 4, n), "x": x, "y": rng.integers(-20, 20, n)})


@pytest.fixture
def timeframe() -> pd.DataFrame:
    """An irregular, sorted DatetimeIndex (gaps of 10 min to 3 h)."""
    rng = np.random.default_rng(3)
    minutes = np.cumsum(rng.integers(1, 18, 50)) * 10
    index = pd.Timestamp("2024-01-01") + pd.to_timedelta(minutes, unit="min")
    x = rng.normal(size=50)
    x[[5, 20]] = np.nan
    return pd.DataFrame({"k": rng.integers(0, 3, 50), "x": x, "y": rng.integers(0, 9, 50)},
                        index=pd.DatetimeIndex(index, name="t"))


# -- shift / diff ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("periods", [1, 2, 7, 25, -1, -9, -30, 0, 80])
def test_shift_and_diff_cross_partitions(frame, backend, periods):
    df = gd.from_pandas(frame, npartitions=6, backend=backend)  # 10 rows per partition
    assert_eq(df.shift(periods), frame.shift(periods))
    assert_eq(df.x.shift(periods), frame.x.shift(periods))
    assert_eq(df[["x", "y"]].diff(periods), frame[["x", "y"]].diff(periods))
    assert_eq(df.y.diff(periods), frame.y.diff(periods))
    assert df.shift(periods).divisions == df.divisions


@pytest.mark.parametrize("periods", [1, 3, -2])
def test_shift_diff_match_dask(frame, periods):
    ddf = dd.from_pandas(frame, npartitions=6)
    df = gd.from_pandas(frame, npartitions=6)
    tm.assert_frame_equal(to_host(df.shift(periods).compute()), dask_result(ddf.shift(periods)))
    tm.assert_series_equal(to_host(df.x.diff(periods).compute()), dask_result(ddf.x.diff(periods)))


def test_shift_larger_than_a_partition_is_exact_where_dask_raises(frame):
    ddf = dd.from_pandas(frame, npartitions=20)  # 3 rows per partition
    with pytest.raises(NotImplementedError, match="Partition size is less than overlapping"):
        dask_result(ddf.x.shift(5))
    df = gd.from_pandas(frame, npartitions=20)
    assert_eq(df.x.shift(5), frame.x.shift(5))
    assert_eq(df.x.diff(-7), frame.x.diff(-7))


def test_shift_through_empty_partitions(frame, backend):
    pdf = frame.assign(row=np.arange(len(frame)))
    df = gd.from_pandas(pdf, npartitions=6, backend=backend)
    kept = pdf[(pdf.row < 12) | (pdf.row >= 45)]  # partitions 2..3 become empty
    got = df[(df.row < 12) | (df.row >= 45)]
    assert_eq(got.x.shift(3), kept.x.shift(3))
    assert_eq(got.diff(-2), kept.diff(-2))


def test_shift_freq_axis_and_errors(timeframe, backend):
    df = gd.from_pandas(timeframe, npartitions=4, backend=backend)
    assert_eq(df.x.shift(2, freq="h"), timeframe.x.shift(2, freq="h"))
    shifted = df.x.shift(2, freq="h")  # a fixed span moves the divisions with the labels, as dask
    assert shifted.divisions == tuple(d + pd.Timedelta(2, "h") for d in df.divisions)
    assert not df.x.shift(2, freq="W").known_divisions  # weeks are no fixed span: labels could meet
    assert_eq(df.x.shift(2, freq="W"), timeframe.x.shift(2, freq="W"))
    with pytest.raises(TypeError, match="periods must be an integer"):
        df.shift(1.5)
    with pytest.raises(TypeError, match="periods must be an integer"):
        df.diff("1")
    with pytest.raises(TypeError, match="periods must be an integer"):
        df.diff(1.5)
    assert_eq(df.x.diff(2.0), timeframe.x.diff(2.0))  # pandas' diff takes a whole float (it raised)


def test_shift_of_unknown_divisions_keeps_row_order(frame, backend):
    shuffled = frame.iloc[np.random.default_rng(0).permutation(len(frame))]
    df = gd.from_pandas(shuffled, npartitions=5, sort=False, backend=backend)
    assert not df.known_divisions
    assert_eq(df.y.shift(4), shuffled.y.shift(4))


# -- cumulative operations -------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin"])
@pytest.mark.parametrize("skipna", [True, False])
def test_cumulative_frame_and_series(frame, backend, how, skipna):
    small = frame.assign(x=frame.x.round(1) / 4 + 1)  # cumprod stays finite
    df = gd.from_pandas(small, npartitions=7, backend=backend)
    assert_eq(getattr(df, how)(skipna=skipna), getattr(small, how)(skipna=skipna), rtol=1e-9)
    assert_eq(getattr(df.x, how)(skipna=skipna), getattr(small.x, how)(skipna=skipna), rtol=1e-9)
    assert_eq(getattr(df.y, how)(), getattr(small.y, how)())  # integers stay integers
    assert getattr(df, how)().divisions == df.divisions


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin"])
def test_cumulative_matches_dask(frame, how):
    frame = frame.assign(y=frame.y % 2 + 1)  # no overflow in cumprod
    ddf, df = dd.from_pandas(frame, npartitions=5), gd.from_pandas(frame, npartitions=5)
    # dask turns the integer column of cumsum/cumprod into floats; pandas (and gpuscale) keep int64
    tm.assert_frame_equal(to_host(getattr(df[["x", "y"]], how)().compute()),
                          dask_result(getattr(ddf[["x", "y"]], how)()), rtol=1e-9, check_dtype=False)
    assert getattr(df.y, how)().compute().dtype == getattr(frame.y, how)().dtype


def test_cumulative_through_empty_and_all_missing_partitions(backend):
    pdf = pd.DataFrame({"x": [np.nan, np.nan, np.nan, 2.0, np.nan, 1.0, 5.0, np.nan, 3.0, 4.0]})
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    for how in ["cumsum", "cummax", "cummin", "cumprod"]:
        for skipna in (True, False):
            assert_eq(getattr(df.x, how)(skipna=skipna), getattr(pdf.x, how)(skipna=skipna))
    filtered = df[df.x > 2]
    assert_eq(filtered.x.cumsum(), pdf[pdf.x > 2].x.cumsum())
    assert_eq(filtered.x.cummin(), pdf[pdf.x > 2].x.cummin())


def test_cumulative_datetime_and_axis_one(timeframe, backend):
    pdf = timeframe.reset_index()
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.t.cummax(), pdf.t.cummax())
    assert_eq(df[["x", "y"]].cumsum(axis=1), pdf[["x", "y"]].cumsum(axis=1))


def test_cumsum_projection_moves_below_the_scan(frame):
    df = gd.from_pandas(frame, npartitions=4)
    plan = df.cumsum()[["x"]].optimize().expr.tree_repr()
    assert "columns=['x']" in plan, plan
    assert_eq(df.cumsum()[["x"]], frame.cumsum()[["x"]])
    # one column taken as a Series: the scan of that Series itself (no frame of one column in between)
    assert df.cumsum().x.simplify()._name == df.x.cumsum().simplify()._name
    assert_eq(df.cumsum().x, frame.cumsum().x)


# -- map_overlap ------------------------------------------------------------------------------------------
def test_map_overlap_rows_before_and_after(frame, backend):
    df = gd.from_pandas(frame, npartitions=6, backend=backend)
    centred = lambda d: d.rolling(5, center=True).sum()  # noqa: E731
    assert_eq(df[["x", "y"]].map_overlap(centred, 2, 2), centred(frame[["x", "y"]]))
    assert_eq(df.y.map_overlap(lambda s, n: s.diff(n), 3, 0, 3), frame.y.diff(3))
    # larger than a partition (10 rows): still exact
    assert_eq(df.y.map_overlap(lambda s: s.rolling(25).max(), 24, 0), frame.y.rolling(25).max())


def test_map_overlap_matches_dask_with_meta_and_kwargs(frame):
    ddf, df = dd.from_pandas(frame, npartitions=4), gd.from_pandas(frame, npartitions=4)

    def window_mean(d, window=2):
        return d.rolling(window).mean()

    expected = dask_result(ddf.map_overlap(window_mean, 3, 1, window=4, meta=ddf._meta))
    got = df.map_overlap(window_mean, 3, 1, window=4, meta=frame.iloc[:0])
    tm.assert_frame_equal(to_host(got.compute()), expected)
    # a function giving 2 rows per row: twice as many rows are cut (dask's expansion)
    double = lambda d: d.iloc[np.repeat(np.arange(len(d)), 2)]  # noqa: E731
    tm.assert_frame_equal(to_host(df.y.to_frame().map_overlap(double, 1, 1).compute()),
                          dask_result(ddf.y.to_frame().map_overlap(double, 1, 1)))


def test_map_overlap_time_spans(timeframe, backend):
    df = gd.from_pandas(timeframe, npartitions=5, backend=backend)
    func = lambda d: d.rolling("3h").sum()  # noqa: E731
    expected = func(timeframe[["x", "y"]])
    assert_eq(df[["x", "y"]].map_overlap(func, "3h", 0), expected)
    assert_eq(df[["x", "y"]].map_overlap(func, pd.Timedelta("3h"), pd.Timedelta("1h")), expected)
    ddf = dd.from_pandas(timeframe, npartitions=5)
    tm.assert_frame_equal(to_host(df[["x", "y"]].map_overlap(func, "3h", 0).compute()),
                          dask_result(ddf[["x", "y"]].map_overlap(func, "3h", 0)))


def test_map_overlap_declared_meta_is_enforced_and_scalars_pass(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    bad = df.map_overlap(lambda d: d[["y", "x"]], 1, 0, meta={"x": "f8", "y": "i8"})
    with pytest.raises(ValueError, match="do not match the columns in the provided metadata"):
        bad.compute()
    offset = df.y.sum()
    assert_eq(df.y.map_overlap(lambda s, c: s.shift(1) + c, 1, 0, offset), frame.y.shift(1) + frame.y.sum())


def test_map_overlap_errors(frame, timeframe):
    df = gd.from_pandas(frame, npartitions=3)
    with pytest.raises(ValueError, match="non-negative integer"):
        df.map_overlap(lambda d: d, -1, 0)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        df.map_overlap(lambda d: d, "2h", 0)
    unsorted = gd.from_pandas(timeframe.iloc[::-1], npartitions=3, sort=False)
    with pytest.raises(ValueError, match="known divisions"):
        unsorted.map_overlap(lambda d: d, "2h", 0)


# -- rolling --------------------------------------------------------------------------------------------------
ROLLING = ["sum", "mean", "min", "max", "count", "std", "var", "median"]


@pytest.mark.parametrize("how", ROLLING)
@pytest.mark.parametrize("window,center,min_periods", [(3, False, None), (4, True, None), (13, False, 2),
                                                        (12, True, 1), (1, False, None)])
def test_rolling_integer_windows(frame, backend, how, window, center, min_periods):
    df = gd.from_pandas(frame, npartitions=6, backend=backend)
    if backend == "cudf" and how == "median":
        with pytest.raises(NotImplementedError, match="cuDF's Rolling has no median"):
            df.x.rolling(window).median()
        return
    expected = getattr(frame[["x", "y"]].rolling(window, center=center, min_periods=min_periods), how)()
    got = getattr(df[["x", "y"]].rolling(window, center=center, min_periods=min_periods), how)()
    assert_eq(got, expected, rtol=1e-9)
    assert got.divisions == df.divisions


@pytest.mark.parametrize("how", ["sum", "mean", "max", "count", "std"])
@pytest.mark.parametrize("window", ["2h", "5h", "20h"])
def test_rolling_time_windows(timeframe, backend, how, window):
    df = gd.from_pandas(timeframe, npartitions=5, backend=backend)
    expected = getattr(timeframe[["x", "y"]].rolling(window), how)()
    assert_eq(getattr(df[["x", "y"]].rolling(window), how)(), expected, rtol=1e-9)
    both = getattr(timeframe.x.rolling(window, closed="both"), how)()
    assert_eq(getattr(df.x.rolling(window, closed="both"), how)(), both, rtol=1e-9)


@pytest.mark.parametrize("window", [3, "3h"])
def test_rolling_matches_dask(timeframe, window):
    ddf, df = dd.from_pandas(timeframe, npartitions=5), gd.from_pandas(timeframe, npartitions=5)
    for how in ["sum", "mean", "max", "std"]:
        tm.assert_frame_equal(to_host(getattr(df[["x", "y"]].rolling(window), how)().compute()),
                              dask_result(getattr(ddf[["x", "y"]].rolling(window), how)()), rtol=1e-9)


def test_rolling_centred_time_window_and_apply(timeframe, backend):
    df = gd.from_pandas(timeframe, npartitions=5, backend=backend)
    assert_eq(df.x.rolling("4h", center=True).mean(), timeframe.x.rolling("4h", center=True).mean())
    spread = lambda w: w.max() - w.min()  # noqa: E731
    assert_eq(df.y.rolling(4).apply(spread, raw=True), timeframe.y.rolling(4).apply(spread, raw=True))
    assert_eq(df.y.rolling("3h").apply(spread, raw=True), timeframe.y.rolling("3h").apply(spread, raw=True))


def test_rolling_apply_gets_each_window_as_an_array(timeframe, backend):
    """``raw=True``: ``func`` indexes the window by position (cuDF's Rolling.apply hands numba 1-D arrays; the
    strict stand-in handed pandas Series, whose ``w[-1]`` is a label)."""
    df = gd.from_pandas(timeframe, npartitions=5, backend=backend)
    ends = lambda w: w[-1] - w[0]  # noqa: E731
    assert_eq(df.y.rolling(3, min_periods=1).apply(ends, raw=True),
              timeframe.y.rolling(3, min_periods=1).apply(ends, raw=True))
    if backend == "cudf":  # the library's own: numba gets arrays; a column holding nulls is refused, as cuDF
        import cudf

        assert cudf.from_pandas(timeframe.y).rolling(2).apply(ends).to_pandas().iloc[1:].tolist() == \
            np.diff(timeframe.y.to_numpy()).tolist()
        with pytest.raises(NotImplementedError, match="null values"):
            cudf.from_pandas(timeframe.x).rolling(2).apply(ends)


def test_rolling_agg_and_errors(frame, timeframe, backend):
    df = gd.from_pandas(frame, npartitions=4, backend=backend)
    if backend == "cudf":
        with pytest.raises(NotImplementedError, match="rolling"):
            df.x.rolling(3).agg(["sum", "max"])
    else:
        assert_eq(df.x.rolling(3).agg(["sum", "max"]), frame.x.rolling(3).agg(["sum", "max"]))
    with pytest.raises(ValueError):
        df.x.rolling(-1)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        df.x.rolling("2h")
    unsorted = gd.from_pandas(timeframe.iloc[::-1], npartitions=3, sort=False, backend=backend)
    with pytest.raises(ValueError, match="known divisions"):
        unsorted.x.rolling("2h")


def test_rolling_projection_moves_below(frame):
    df = gd.from_pandas(frame, npartitions=4)
    plan = df.rolling(3).sum()[["y"]].optimize().expr.tree_repr()
    assert "columns=['y']" in plan, plan
    assert_eq(df.rolling(3).sum()[["y"]], frame.rolling(3).sum()[["y"]])
    assert df.rolling(3).sum().y.simplify()._name == df.y.rolling(3).sum().simplify()._name
    assert_eq(df.rolling(3).sum().y, frame.rolling(3).sum().y)


# -- hypothesis: partition boundaries ---------------------------------------------------------------------------
values = st.lists(st.one_of(st.integers(-4, 4).map(float), st.just(float("nan"))), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None)
@given(data=values, npartitions=st.integers(1, 8), periods=st.integers(-12, 12), window=st.integers(1, 9),
       min_periods=st.integers(0, 3), center=st.booleans())
def test_windows_match_pandas_for_any_partitioning(data, npartitions, periods, window, min_periods, center):
    s = pd.Series(data, name="v")
    gs = gd.from_pandas(s, npartitions=npartitions)
    assert_eq(gs.shift(periods), s.shift(periods))
    assert_eq(gs.diff(periods), s.diff(periods))
    for how in ("cumsum", "cummax", "cummin"):
        assert_eq(getattr(gs, how)(), getattr(s, how)())
        assert_eq(getattr(gs, how)(skipna=False), getattr(s, how)(skipna=False))
    minp = min(min_periods, window)
    assert_eq(gs.rolling(window, min_periods=minp, center=center).sum(),
              s.rolling(window, min_periods=minp, center=center).sum())
    assert_eq(gs.rolling(window, min_periods=minp).max(), s.rolling(window, min_periods=minp).max())


@settings(max_examples=20, deadline=None)
@given(gaps=st.lists(st.integers(1, 12), min_size=1, max_size=25), npartitions=st.integers(1, 6),
       window=st.integers(1, 30))
def test_time_windows_match_pandas_for_any_partitioning(gaps, npartitions, window):
    index = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.cumsum(gaps), unit="min") * 10
    s = pd.Series(np.arange(len(gaps), dtype="float64"), index=pd.DatetimeIndex(index))
    gs = gd.from_pandas(s, npartitions=npartitions)
    span = f"{window * 10}min"
    assert_eq(gs.rolling(span).sum(), s.rolling(span).sum())
    assert_eq(gs.rolling(span).count(), s.rolling(span).count())


@settings(max_examples=20, deadline=None)
@given(keys=st.lists(st.integers(0, 3), min_size=1, max_size=30), npartitions=st.integers(1, 6))
def test_groupby_scans_match_pandas_for_any_partitioning(keys, npartitions):
    pdf = pd.DataFrame({"k": keys, "x": np.arange(len(keys), dtype="float64") % 5 - 2})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    assert_eq(df.groupby("k").x.cumsum(), pdf.groupby("k").x.cumsum())
    assert_eq(df.groupby("k").x.cummax(), pdf.groupby("k").x.cummax())
    assert_eq(df.groupby("k").cumcount(), pdf.groupby("k").cumcount())


# -- groupby ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin"])
def test_groupby_cumulative_keeps_order_and_divisions(frame, backend, how):
    small = frame.assign(x=frame.x.round(1) / 4 + 1)
    df = gd.from_pandas(small, npartitions=6, backend=backend)
    out = getattr(df.groupby("k").x, how)()
    assert out.divisions == df.divisions
    assert_eq(out, getattr(small.groupby("k").x, how)(), rtol=1e-9)
    assert_eq(getattr(df.groupby("k"), how)(), getattr(small.groupby("k"), how)(), rtol=1e-9)
    assert_eq(getattr(df.groupby("k")[["y"]], how)(), getattr(small.groupby("k")[["y"]], how)())


def test_groupby_cumcount_and_cumsum_match_dask(frame):
    ddf, df = dd.from_pandas(frame, npartitions=5), gd.from_pandas(frame, npartitions=5)
    tm.assert_series_equal(to_host(df.groupby("k").cumcount().compute()), dask_result(ddf.groupby("k").cumcount()))
    tm.assert_series_equal(to_host(df.groupby("k").x.cumsum().compute()), dask_result(ddf.groupby("k").x.cumsum()))
    tm.assert_frame_equal(to_host(df.groupby("k").cumsum().compute()), dask_result(ddf.groupby("k").cumsum()))


def test_groupby_scans_multiple_and_missing_keys(backend):
    pdf = pd.DataFrame({"a": [1, 1, np.nan, 2, 1, np.nan, 2, 2, 1, 1],
                        "b": ["u", "v", "u", "u", "u", "v", "v", "u", "v", "u"],
                        "x": [1.0, 2.0, 3.0, np.nan, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.groupby(["a", "b"]).x.cumsum(), pdf.groupby(["a", "b"]).x.cumsum())
    assert_eq(df.groupby(["a", "b"]).cumcount(), pdf.groupby(["a", "b"]).cumcount())
    assert_eq(df.groupby("a").x.cummax(), pdf.groupby("a").x.cummax())
    assert_eq(df.groupby("a", dropna=False).x.cumsum(), pdf.groupby("a", dropna=False).x.cumsum())
    assert_eq(df.groupby("a", dropna=False).cumcount(), pdf.groupby("a", dropna=False).cumcount())


@pytest.mark.parametrize("periods", [1, 2, -1])
def test_groupby_shift_and_diff_align_with_the_original_rows(frame, backend, periods):
    df = gd.from_pandas(frame, npartitions=5, backend=backend)
    shifted = df.groupby("k").x.shift(periods)
    assert not shifted.known_divisions
    got = to_host(shifted.compute())
    tm.assert_series_equal(got.sort_index(), frame.groupby("k").x.shift(periods))
    tm.assert_frame_equal(to_host(df.groupby("k").shift(periods).compute()).sort_index(),
                          frame.groupby("k").shift(periods))
    tm.assert_series_equal(to_host(df.groupby("k").y.diff(periods).compute()).sort_index(),
                           frame.groupby("k").y.diff(periods))
    tm.assert_series_equal(to_host(df.groupby("k").x.shift(periods, fill_value=0.0).compute()).sort_index(),
                           frame.groupby("k").x.shift(periods, fill_value=0.0))


def test_groupby_shift_matches_dask(frame):
    ddf, df = dd.from_pandas(frame, npartitions=5), gd.from_pandas(frame, npartitions=5)
    meta = ("x", "f8")
    expected = dask_result(ddf.groupby("k").x.shift(1, meta=meta)).sort_index()
    tm.assert_series_equal(to_host(df.groupby("k").x.shift(1, meta=meta).compute()).sort_index(), expected)


def test_groupby_rolling_time_window_matches_dask_and_pandas(timeframe, backend):
    df = gd.from_pandas(timeframe, npartitions=4, backend=backend)
    got = to_host(df.groupby("k").x.rolling("3h").sum().compute())
    expected = timeframe.groupby("k").x.rolling("3h").sum()
    tm.assert_series_equal(got.sort_index(), expected.sort_index())
    ddf = dd.from_pandas(timeframe, npartitions=4)
    tm.assert_series_equal(got, dask_result(ddf.groupby("k").x.rolling("3h").sum()))


def test_groupby_rolling_integer_window_is_exact(frame, backend):
    df = gd.from_pandas(frame, npartitions=5, backend=backend)
    got = to_host(df.groupby("k").x.rolling(3, min_periods=1).mean().compute())
    expected = frame.groupby("k").x.rolling(3, min_periods=1).mean()
    tm.assert_series_equal(got.sort_index(), expected.sort_index())


def test_groupby_numeric_only_and_dask_keywords(frame, backend):
    pdf = frame.assign(s=np.where(frame.y > 0, "p", "n"))
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.groupby("k").cumsum(numeric_only=True), pdf.groupby("k").cumsum(numeric_only=True))
    got = df.groupby("k").x.shift(2, shuffle_method="tasks").compute()
    tm.assert_series_equal(to_host(got).sort_index(), pdf.groupby("k").x.shift(2))


def test_time_span_finer_than_the_index_unit(backend):
    index = pd.DatetimeIndex(pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(0, 40, 3), unit="s"),
                             dtype="datetime64[s]")
    pdf = pd.DataFrame({"x": np.arange(len(index), dtype="float64")}, index=index)
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    func = lambda d: d.rolling("7500ms").sum()  # noqa: E731
    assert_eq(df.map_overlap(func, "7500ms", 0), func(pdf))
    assert_eq(df.x.rolling("7500ms").sum(), pdf.x.rolling("7500ms").sum())
    assert_eq(df.x.rolling("6s", closed="both").max(), pdf.x.rolling("6s", closed="both").max())


@pytest.mark.parametrize("how, args", [("quantile", (0.25,)), ("skew", ()), ("kurt", ())])
def test_rolling_quantile_skew_kurt(frame, timeframe, backend, how, args):
    df = gd.from_pandas(frame, npartitions=4, backend=backend)
    if backend == "cudf":  # cuDF's Rolling has none of them
        with pytest.raises(NotImplementedError, match="rolling"):
            getattr(df.x.rolling(4), how)(*args)
        return
    assert_eq(getattr(df[["x", "y"]].rolling(4), how)(*args), getattr(frame[["x", "y"]].rolling(4), how)(*args))
    ts = gd.from_pandas(timeframe, npartitions=3, backend=backend)
    assert_eq(getattr(ts.x.rolling("2h"), how)(*args), getattr(timeframe.x.rolling("2h"), how)(*args))


def test_map_overlap_of_a_pandas_frame_is_one_partition(frame):
    from gpuscale.dataframe.window import map_overlap

    out = map_overlap(lambda p: p.x.shift(1), frame, 1, 0)
    assert out.npartitions == 1
    assert_eq(out, frame.x.shift(1))


def test_shift_of_python_objects_keeps_them():
    # an object column's metadata sample was read as text by pandas 3 (a str column), and the shifted partitions
    # were cast to it: dicts and lists came back as their text
    values = pd.Series([{"a": 1}, [1, 2], "x", 1.5, None] * 4, dtype=object, name="o")
    s = gd.from_pandas(values, npartitions=3, backend="pandas")
    assert s.shift(2).dtype == object
    assert s.shift(2).compute().tolist() == values.shift(2).tolist()
    frame = pd.DataFrame({"o": values, "n": range(20)})
    assert_eq(gd.from_pandas(frame, npartitions=3, backend="pandas").shift(-3), frame.shift(-3))


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cumcount"])
def test_groupby_scans_of_nullable_booleans(how):
    # the totals carried from earlier partitions (Int64 sums) were joined with the partition's boolean values
    # into objects, which no scan takes ("cumsum is not supported for object dtype")
    pdf = pd.DataFrame({"b": pd.array([True, None, False] * 8, dtype="boolean"), "k": [0, 1, 2] * 8,
                        "i": pd.array([1, None, 3] * 8, dtype="Int64")})
    df = gd.from_pandas(pdf, npartitions=3, backend="pandas")
    for column in ("b", "i"):
        assert_eq(getattr(df.groupby("k")[column], how)(), getattr(pdf.groupby("k")[column], how)())


@pytest.mark.parametrize("win_type, kwargs", [("triang", {}), ("gaussian", {"std": 2}), ("boxcar", {}),
                                              ("exponential", {"tau": 3})])
def test_weighted_rolling_mean_sum_as_pandas(win_type, kwargs):
    """win_type= (a weighted window: pandas on each partition with its overlap); the window function's own
    arguments come with the aggregation, as pandas (it was refused at construction: a Window has no count)."""
    pdf = pd.DataFrame({"a": np.random.default_rng(0).normal(size=40), "b": np.arange(40.0)})
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    for how in ("mean", "sum"):
        assert_eq(getattr(df.rolling(5, win_type=win_type), how)(**kwargs),
                  getattr(pdf.rolling(5, win_type=win_type), how)(**kwargs))
    assert_eq(df.a.rolling(4, win_type=win_type, center=True).mean(**kwargs),
              pdf.a.rolling(4, win_type=win_type, center=True).mean(**kwargs))
    with pytest.raises(TypeError, match="go with win_type"):
        df.rolling(3).mean(std=2)


@pytest.mark.parametrize("how, window, kwargs", [("corr", 5, {}), ("cov", 5, {"ddof": 0}), ("corr", "5h", {})])
def test_rolling_corr_cov_with_other_as_pandas(backend, how, window, kwargs):
    """s.rolling(w).corr(other) / .cov(other): the other Series' values in the same windows (other was taken for
    ddof and raised "truth value ... ambiguous")."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)},
                       index=pd.date_range("2020-01-01", periods=40, freq="h"))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(getattr(df.a.rolling(window), how)(df.b, **kwargs), getattr(pdf.a.rolling(window), how)(pdf.b, **kwargs))
    with pytest.raises(NotImplementedError, match="another lazy Series"):
        df.rolling(3).corr(df.b)


@pytest.mark.parametrize("how, kwargs", [("sem", {}), ("sem", {"ddof": 0}), ("rank", {}),
                                         ("rank", {"method": "min", "ascending": False}),
                                         ("rank", {"pct": True, "method": "max"})])
def test_rolling_sem_rank_as_pandas(how, kwargs):
    """pandas' Rolling.sem and Rolling.rank (dask has neither), by rows and by time span."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"a": rng.integers(0, 5, 40).astype(float), "b": rng.normal(size=40)},
                       index=pd.date_range("2020-01-01", periods=40, freq="h"))
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    assert_eq(getattr(df.rolling(4), how)(**kwargs), getattr(pdf.rolling(4), how)(**kwargs))
    assert_eq(getattr(df.a.rolling("5h", min_periods=1), how)(**kwargs),
              getattr(pdf.a.rolling("5h", min_periods=1), how)(**kwargs))


_ON = {
    "sum": lambda m: m.rolling("1D", on="t").sum(),
    "a column": lambda m: m.rolling("12h", on="t")["x"].mean(),
    "a column as attribute": lambda m: m.rolling("12h", on="t").y.max(),
    "a list of columns": lambda m: m.rolling("2D", on="t")[["y"]].count(),
    "rows": lambda m: m.rolling(3, on="t").sum(),
    "a column, no on": lambda m: m.rolling(3)["x"].sum(),
    "an attribute, no on": lambda m: m.rolling(2).y.mean(),
}


@pytest.mark.parametrize("case", list(_ON))
def test_rolling_on_a_column_and_selection_as_pandas(backend, case):
    """pandas' rolling(on=) (the windows along a sorted column; the frame's own, unsorted, index kept) and column
    selection of the windows (dask has neither)."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"x": rng.normal(size=60), "t": pd.date_range("2021-01-01", periods=60, freq="5h"),
                        "y": rng.integers(0, 9, 60)}, index=rng.permutation(60) * 2)
    df = gd.from_pandas(pdf, npartitions=4, sort=False, backend=backend)
    assert_eq(_ON[case](df), _ON[case](pdf))


def test_rolling_on_refusals():
    pdf = pd.DataFrame({"x": [1.0, 2.0], "t": pd.date_range("2021-01-01", periods=2)})
    df = gd.from_pandas(pdf, npartitions=1, backend="cpu")
    with pytest.raises(ValueError, match="must be a column"):
        df.rolling("1D", on="nope")
    with pytest.raises(NotImplementedError, match="set_index on the column"):
        df.rolling("1D", on="t").cov()
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        df.rolling(2).nope


@pytest.mark.parametrize("how", ["first", "last", "nunique"])
def test_rolling_first_last_nunique_as_pandas(how):
    """pandas 3's Rolling.first/last/nunique (refused, naming the method, where pandas has none)."""
    pdf = pd.DataFrame({"a": [1.0, None, 3.0, 3.0, 5, 6, 6, 1], "b": np.arange(8.0)})
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    if not hasattr(pdf.rolling(3), how):  # pandas 2.2
        with pytest.raises(NotImplementedError, match=how):
            getattr(df.rolling(3), how)()
        return
    assert_eq(getattr(df.rolling(3), how)(), getattr(pdf.rolling(3), how)())
    assert_eq(getattr(df.a.rolling(2, min_periods=1), how)(), getattr(pdf.a.rolling(2, min_periods=1), how)())


@needs_pandas_3("pandas 2.2's Rolling has no pipe")
def test_rolling_and_resampler_pipe(backend):
    pdf = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.date_range("2020-01-01", periods=4, freq="h"))
    s = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(s.rolling(2).pipe(lambda r: r.sum()), pdf.rolling(2).pipe(lambda r: r.sum()))
    assert_eq(s.resample("2h").pipe(lambda r, k: r.mean() * k, 2), pdf.resample("2h").pipe(lambda r, k: r.mean() * k, 2))
    assert_eq(s.rolling(3).pipe((lambda n, r: r.max() - n, "r"), 1), pdf.rolling(3).max() - 1)


@pytest.mark.parametrize("closed", ["left", "both", "right", "neither"])
@pytest.mark.parametrize("window", [2, 3, 4])
def test_centered_rows_window_closed_on_the_left(backend, closed, window):
    """A centred window closed on the left reaches a row further back: partitions borrowed one row too few, so
    each partition's first rows were wrong (NaN, or the sum of fewer rows)."""
    pdf = pd.DataFrame({"x": np.arange(100, dtype=float)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.x.rolling(window, center=True, closed=closed).sum(),
              pdf.x.rolling(window, center=True, closed=closed).sum())
