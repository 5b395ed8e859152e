"""``resample`` and time-bin groupbys against pandas where fuzzing found them apart: bins padded past the rows when
the divisions reach beyond them (after a filter), the value of an empty bin in duration and string columns, boolean
columns with empty bins, and time-zone-aware right-closed days over several partitions."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def series() -> pd.Series:
    return pd.Series(np.arange(40.0), index=pd.date_range("2020-01-01", periods=40, freq="9h"))


_FILTERS = {
    "late rows": lambda s: s[s > 25],
    "early rows": lambda s: s[s < 10],
    "a middle stretch": lambda s: s[(s > 12) & (s < 20)],
    "a day by loc": lambda s: s.loc["2020-01-03"],
    "a range by loc": lambda s: s.loc["2020-01-03":"2020-01-06"],
}


@pytest.mark.parametrize("case", list(_FILTERS))
@pytest.mark.parametrize("rule", ["D", "3h"])
@pytest.mark.parametrize("how", ["sum", "count", "mean", "max", "first", "ffill"])
def test_no_bins_before_the_first_row_or_after_the_last(backend, series, case, rule, how):
    """The divisions of a filtered collection still reach its old first and last times: pandas' bins run from
    the first row's to the last row's (the first partition was filled from the first division, the last
    partition's rows before)."""
    for npartitions in (2, 3):
        got = getattr(_FILTERS[case](gd.from_pandas(series, npartitions=npartitions, backend=backend)).resample(rule),
                      how)()
        assert_eq(got, getattr(_FILTERS[case](series).resample(rule), how)(), check_freq=False)


def test_gaps_between_partitions_are_still_filled(backend, series):
    """Empty bins between rows stay, as pandas has them, also where a whole partition has no rows."""
    sparse = series[(series < 8) | (series > 30)]
    ds = gd.from_pandas(series, npartitions=4, backend=backend)
    filtered = ds[(ds < 8) | (ds > 30)]
    assert_eq(filtered.resample("D").sum(), sparse.resample("D").sum(), check_freq=False)
    assert_eq(filtered.resample("12h").count(), sparse.resample("12h").count(), check_freq=False)


def test_no_rows_at_all(backend, series):
    got = gd.from_pandas(series, npartitions=3, backend=backend)
    assert len(to_host(got[got > 100].resample("D").sum().compute())) == 0


def test_frame_after_a_filter_and_time_grouper(backend):
    pdf = pd.DataFrame({"x": np.arange(30.0), "k": np.arange(30) % 4},
                       index=pd.date_range("2021-03-01", periods=30, freq="11h"))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df[df.x > 17].resample("D").sum(), pdf[pdf.x > 17].resample("D").sum(), check_freq=False)
    assert_eq(df[df.x < 5].groupby(pd.Grouper(freq="D")).x.sum(),
              pdf[pdf.x < 5].groupby(pd.Grouper(freq="D")).x.sum(), check_freq=False)


@pytest.fixture
def typed() -> pd.DataFrame:
    index = pd.to_datetime(["2020-01-01", "2020-01-03", "2020-01-05", "2020-01-07"])
    return pd.DataFrame({"td": pd.to_timedelta([1, 2, 3, 4], unit="h"), "x": [1.0, 2.0, 3.0, 4.0],
                         "s": pd.array(list("abcd"), dtype="string")}, index=index)


def test_empty_bins_of_durations_sum_to_zero_duration(backend, typed):
    """A bin without rows sums to ``Timedelta(0)``, not the integer 0 (which made the column object)."""
    df = gd.from_pandas(typed, npartitions=2, backend=backend)
    assert_eq(df.td.resample("D").sum(), typed.td.resample("D").sum(), check_freq=False)
    assert_eq(df[["td", "x"]].resample("D").sum(), typed[["td", "x"]].resample("D").sum(), check_freq=False)
    assert_eq(df.groupby(pd.Grouper(freq="D")).td.sum(), typed.groupby(pd.Grouper(freq="D")).td.sum(),
              check_freq=False)
    assert_eq(df.td.resample("D").agg(["sum", "max"]), typed.td.resample("D").agg(["sum", "max"]),
              check_freq=False)
    assert to_host(df.td.resample("D").sum().compute()).dtype == typed.td.resample("D").sum().dtype


def test_empty_bins_of_strings_sum_to_the_empty_string(typed):
    """pandas gives ``""`` (an integer 0 raised "Invalid value '0' for dtype 'str'")."""
    df = gd.from_pandas(typed, npartitions=2, backend="pandas")
    assert to_host(df.s.resample("D").sum().compute()).tolist() == typed.s.resample("D").sum().tolist()
    assert_eq(df[["s", "x"]].resample("D").sum(), typed[["s", "x"]].resample("D").sum(), check_freq=False)


@pytest.mark.parametrize("how", ["max", "min", "first", "last"])
def test_booleans_with_empty_bins_are_float_in_every_partition(backend, how):
    """pandas gives float64 (NaN in the empty bins): every partition alike (a bool partition beside a float64 one
    concatenated to object); without empty bins the column stays boolean, as pandas'."""
    s = pd.Series([True, False, True, True], index=pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-05",
                                                                   "2020-01-06"]))
    gapless = pd.Series([True, False, True, False], index=pd.date_range("2020-01-01", periods=4, freq="D"))
    for data in (s, gapless, s.to_frame("b").assign(x=1.0)):
        got = getattr(gd.from_pandas(data, npartitions=2, backend=backend).resample("D"), how)()
        expected = getattr(data.resample("D"), how)()
        computed = to_host(got.compute())
        assert_eq(got, expected, check_freq=False)
        assert (computed.dtypes == expected.dtypes).all() if data.ndim == 2 else computed.dtype == expected.dtype


@pytest.mark.parametrize("tz", ["UTC", "US/Eastern"])
@pytest.mark.parametrize("kwargs", [{"closed": "right"}, {"closed": "right", "origin": "end"}, {"origin": "end"}])
def test_zoned_right_closed_days_over_partitions(backend, tz, kwargs):
    """pandas puts a right-closed day bin before the first row's on a time-zone-aware index; a partition's own
    resample added such empty bins at its edges, outside its range ("Index is not contained within new index")."""
    s = pd.Series(np.arange(8.0), index=pd.date_range("2021-06-01 00:00", periods=8, freq="2h", tz=tz))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (pandas' "origin does not take effect" on zoned days)
        expected = s.resample("D", **kwargs).sum()
        for npartitions in (1, 2, 3):
            got = gd.from_pandas(s, npartitions=npartitions, backend=backend).resample("D", **kwargs).sum()
            assert_eq(got, expected, check_freq=False)


@pytest.mark.parametrize("tz", [None, "UTC", "Europe/Berlin"])
@pytest.mark.parametrize("how", ["sum", "mean", "count", "ohlc", "ffill", "interpolate"])
@needs_pandas_3("pandas 2.2 interpolates an Arrow-indexed resample otherwise (not yet matched)")
def test_arrow_timestamp_index_stays_arrow(tz, how):
    """An Arrow timestamp index resampled keeps its dtype, as pandas and the metadata have it (the bin labels
    were a NumPy DatetimeIndex: ``datetime64[us]`` computed where the meta said ``timestamp[us][pyarrow]``)."""
    skip_on_stand_in("cuDF has no Arrow timestamp dtype")
    dtype = pd.ArrowDtype(pa.timestamp("us", tz=tz))
    index = pd.Index(pd.date_range("2021-01-01", periods=12, freq="7h", tz=tz), dtype=dtype, name="ts")
    pdf = pd.DataFrame({"x": np.arange(12.0)}, index=index)
    for npartitions in (1, 2, 3):
        got = getattr(gd.from_pandas(pdf, npartitions=npartitions).resample("5h"), how)()
        expected = getattr(pdf.resample("5h"), how)()
        assert got._meta.index.dtype == expected.index.dtype
        pd.testing.assert_frame_equal(got.compute(), expected)


@pytest.mark.parametrize("ddof", [1, 0])
def test_resample_sem_as_pandas(backend, ddof):
    # cuDF's resampler has no sem: the task failed with a bare AttributeError; it is std(ddof) / sqrt(count) there,
    # pandas' own formula (a bin of one row: NaN with ddof=1; an empty bin: NaN)
    pdf = pd.DataFrame({"x": [1.0, 2, np.nan, 4, 5, 7, 9, 1, 3], "i": range(9)},
                       index=pd.date_range("2020-01-01", periods=10, freq="7h").delete(6))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.resample("1D").sem(ddof=ddof)
    expected = pdf.resample("1D").sem(ddof=ddof)
    pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_freq=False)
    assert got.dtypes.equals(expected.dtypes)
    pd.testing.assert_series_equal(to_host(df.x.resample("12h").sem(ddof=ddof).compute()),
                                   pdf.x.resample("12h").sem(ddof=ddof), check_freq=False)
