"""Row-local windows (shift, diff, rolling) on partitions large enough that only their edge rows are
recomputed with the neighbours' rows (``backends/frame/window._apply_with_edges``), against pandas
on the whole frame and dask; and a check that no whole partition is concatenated any more."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.frame import cumulative as bcumulative
from gpuscale.backends.frame import window as bwindow
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host

dd = pytest.importorskip("dask.dataframe")

ROWS, PARTS = 400, 4  # 100 rows per partition: windows up to 20 rows patch the edges only


@pytest.fixture
def series_frame() -> pd.DataFrame:
    """Floats with NaNs (some at partition edges), integers and a second float column; a sorted
    DatetimeIndex with irregular gaps."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=ROWS)
    x[[0, 99, 100, 101, 250, 399]] = np.nan
    minutes = np.cumsum(rng.integers(1, 30, ROWS))
    index = pd.DatetimeIndex(pd.Timestamp("2024-01-01") + pd.to_timedelta(minutes, unit="min"), name="t")
    return pd.DataFrame({"x": x, "y": rng.integers(-50, 50, ROWS), "z": rng.uniform(size=ROWS)}, index=index)


@pytest.mark.parametrize("periods", [1, 3, 20, -1, -7])
def test_shift_diff_with_edges(series_frame, periods):
    df = gd.from_pandas(series_frame, npartitions=PARTS)
    assert_eq(df.shift(periods), series_frame.shift(periods))
    assert_eq(df.x.shift(periods), series_frame.x.shift(periods))
    assert_eq(df.y.diff(periods), series_frame.y.diff(periods))
    assert_eq(df[["x", "z"]].diff(periods), series_frame[["x", "z"]].diff(periods))
    pd.testing.assert_series_equal(to_host(gd.from_pandas(series_frame.x, npartitions=PARTS).diff(periods).compute()),
                                   series_frame.x.diff(periods), check_exact=True, check_freq=False)


@pytest.mark.parametrize("periods", [0, 1, 2, -1, -3, 6, -6])
def test_float_diff_is_pandas_diff_exactly(periods):
    """The vectorised float64 ``diff`` (``_float_diff``) against pandas' own, bit for bit: NaNs, infinities
    (inf - inf is NaN, without a warning), lags as long as the Series and longer."""
    values = np.array([1.5, np.inf, np.inf, -2.0, np.nan, 1e308, -1e308, 0.1])
    series = pd.Series(values, index=pd.date_range("2024", periods=len(values), freq="h"), name="x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = bwindow.diff_rows(series, periods)
    pd.testing.assert_series_equal(got, series.diff(periods), check_exact=True)
    pd.testing.assert_series_equal(bwindow.diff_rows(series.iloc[:0], periods), series.iloc[:0].diff(periods))


@pytest.mark.parametrize("window,kwargs", [(2, {}), (5, {"center": True}), (10, {"min_periods": 3}),
                                           (7, {"closed": "both"}), (4, {"closed": "left"})])
@pytest.mark.parametrize("how", ["sum", "mean", "max", "std", "count"])
def test_rolling_rows_with_edges(series_frame, window, kwargs, how):
    df = gd.from_pandas(series_frame, npartitions=PARTS)
    got = getattr(df.rolling(window, **kwargs), how)()
    assert_eq(got, getattr(series_frame.rolling(window, **kwargs), how)())


@pytest.mark.parametrize("window,kwargs", [("45min", {}), ("3h", {"closed": "both"}), ("2h", {"center": True})])
def test_rolling_time_with_edges(series_frame, window, kwargs):
    df = gd.from_pandas(series_frame, npartitions=PARTS)
    assert_eq(df.x.rolling(window, **kwargs).mean(), series_frame.x.rolling(window, **kwargs).mean())
    assert_eq(df.rolling(window, **kwargs).sum(), series_frame.rolling(window, **kwargs).sum())


def test_edges_agree_with_dask(series_frame):
    df = gd.from_pandas(series_frame, npartitions=PARTS)
    ddf = dd.from_pandas(series_frame, npartitions=PARTS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [ddf.x.shift(5).compute(scheduler="sync"), ddf.x.rolling(6).mean().compute(scheduler="sync"),
                    ddf.x.rolling("90min").sum().compute(scheduler="sync")]
    assert_eq(df.x.shift(5), expected[0])
    assert_eq(df.x.rolling(6).mean(), expected[1])
    assert_eq(df.x.rolling("90min").sum(), expected[2])


def test_no_partition_is_concatenated(series_frame, backend, monkeypatch):
    """Only edge rows are copied: every concatenation in a window task is far shorter than a partition
    (before, the borrowed rows were put in front of the whole partition)."""
    lengths: list = []
    concat = bwindow.concat

    def counting(objs, *args, **kwargs):
        out = concat(objs, *args, **kwargs)
        lengths.append(len(out))
        return out

    monkeypatch.setattr(bwindow, "concat", counting)
    df = gd.from_pandas(series_frame, npartitions=PARTS)
    for lazy, expected in [(df.x.shift(3), series_frame.x.shift(3)), (df.diff(-2), series_frame.diff(-2)),
                           (df.x.rolling(8).mean(), series_frame.x.rolling(8).mean()),
                           (df.x.rolling("1h").max(), series_frame.x.rolling("1h").max())]:
        lengths.clear()
        assert_eq(lazy, expected)
        assert lengths and max(lengths) < ROWS // PARTS // 2, lengths


@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_float_cumsum_continues_the_carry(series_frame, npartitions):
    """A float Series' cumsum continued from the partitions before (NaNs kept, also at partition edges)
    equals pandas' and dask's, as does a frame's and an integer column's."""
    df = gd.from_pandas(series_frame, npartitions=npartitions)
    assert_eq(df.x.cumsum(), series_frame.x.cumsum())
    assert_eq(df.y.cumsum(), series_frame.y.cumsum())
    assert_eq(df.cumsum(), series_frame.cumsum())
    assert_eq(df.x.cumsum(skipna=False), series_frame.x.cumsum(skipna=False))
    expected = dd.from_pandas(series_frame, npartitions=npartitions).x.cumsum().compute(scheduler="sync")
    assert_eq(df.x.cumsum(), expected)
    assert float(df.x.cumsum().sum().compute()) == pytest.approx(float(series_frame.x.cumsum().sum()), rel=1e-12)


def test_float_cumsum_from_adds_the_carry_first():
    """The carry is the first addend (as a cumsum over the whole frame adds), and missing values stay."""
    part = pd.Series([1.0, np.nan, 2.5, -1.0], index=[10, 11, 12, 13], name="v")
    got = bcumulative._float_cumsum_from(part, 100.0)
    pd.testing.assert_series_equal(got, part.cumsum() + 100.0)
    starts_missing = pd.Series([np.nan, 1.0, np.nan, 2.0], name="v")  # the carry goes on past the gap
    pd.testing.assert_series_equal(bcumulative._float_cumsum_from(starts_missing, 100.0),
                                   pd.Series([np.nan, 101.0, np.nan, 103.0], name="v"))
    assert bcumulative._float_cumsum_from(part.astype("int64", errors="ignore").fillna(0).astype("int64"), 1) is None


@pytest.mark.parametrize("bad", [None, "nan", "inf", "inf-inf"])
def test_float_cumsum_and_sum_without_and_with_gaps(bad):
    """cumsum/sum of float64 take one NumPy pass where no NaN is met (``_float_cumsum_from``,
    ``reductions.plain_float_sum``) and pandas' NaN-as-0 way where one is: same answers as pandas either way,
    in the first partition, the middle of one, at a partition's last and at a partition's first row."""
    values = np.random.default_rng(3).normal(size=ROWS)
    if bad == "nan":
        values[[5, 150, 199, 200, 399]] = np.nan
    elif bad == "inf":
        values[120] = np.inf
    elif bad == "inf-inf":
        values[[120, 260]] = [np.inf, -np.inf]
    series = pd.Series(values, name="x")
    s = gd.from_pandas(series, npartitions=PARTS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pandas' own for inf - inf
        assert_eq(s.cumsum(), series.cumsum())
        total, expected = s.sum().compute(), series.sum()
    assert total == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin"])
def test_edges_of_time_zone_aware_columns(backend, tz):
    """The edge rows are written back with their time zone (they were written as naive times, which a zoned
    column refuses: shift of a zoned column failed once its partitions were large enough)."""
    pdf = pd.DataFrame({"t": pd.date_range("2021-01-01", periods=ROWS, freq="h", tz=tz), "x": np.arange(ROWS * 1.0)})
    df = gd.from_pandas(pdf, npartitions=PARTS, backend=backend)
    assert_eq(df.t.shift(3), pdf.t.shift(3))
    assert_eq(df.shift(-2), pdf.shift(-2))
    assert_eq(df.t.diff(), pdf.t.diff())


def test_time_windows_of_arrow_timestamps(backend):
    """Time windows over an Arrow timestamp index or ``on=`` column (the index's tick was read from a NumPy
    dtype: TypeError)."""
    if backend != "pandas":
        pytest.skip("cuDF holds no Arrow dtypes")
    index = pd.Index(pd.date_range("2024-01-01", periods=6, freq="h").astype("timestamp[us][pyarrow]"))
    s = pd.Series(np.arange(6.0), index=index)
    pd.testing.assert_series_equal(gd.from_pandas(s, npartitions=2).rolling("2h").sum().compute(),
                                   s.rolling("2h").sum())
    frame = pd.DataFrame({"t": index.to_series().reset_index(drop=True), "x": np.arange(6.0)})
    pd.testing.assert_frame_equal(gd.from_pandas(frame, npartitions=2).rolling("2h", on="t").sum().compute(),
                                  frame.rolling("2h", on="t").sum())


@pytest.mark.parametrize("npartitions", [2, 3])
def test_rolling_on_a_column_with_a_time_repeated_across_partitions(backend, npartitions):
    """``rolling(window, on=col)`` where a time repeats across a partition boundary: its rows stay where they are
    (they were moved to the next partition, and putting the column back raised a length mismatch)."""
    times = pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00", "2024-01-01 01:00", "2024-01-01 02:00",
                            "2024-01-01 02:00", "2024-01-01 05:00"])
    pdf = pd.DataFrame({"ts": times, "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    got = gd.from_pandas(pdf, npartitions=npartitions, sort=False, backend=backend).rolling("2h", on="ts").sum()
    pd.testing.assert_frame_equal(to_host(got.compute()), pdf.rolling("2h", on="ts").sum())


@pytest.mark.parametrize("periods", [1, 2, -1, -3, 5, 9])
def test_shift_fill_value_fills_the_rows_left_without_one(backend, periods):
    # only the collection's first (or last) rows: borrowed rows fill the partitions' edges, as pandas
    pdf = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6, 7], "b": [1.5, None, 3.0, 4.0, 5.0, 6.0, 7.0]})
    for npartitions in (1, 3, 7):
        df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
        assert_eq(df.shift(periods, fill_value=0), pdf.shift(periods, fill_value=0))
        assert_eq(df.a.shift(periods, fill_value=-1), pdf.a.shift(periods, fill_value=-1))
    with pytest.raises(NotImplementedError, match="fill_value"):
        gd.from_pandas(pdf, npartitions=2, backend=backend).shift(1, axis=1, fill_value=0)
