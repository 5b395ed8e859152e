"""Times whose metadata or results disagreed with pandas (found by fuzzing against pandas 3.1): quantiles of
tz-aware columns, ``fillna`` into a tz-aware column, ``to_timedelta`` of text, ``to_datetime`` of numbers."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import needs_pandas_3


def _utc_frame():
    return pd.DataFrame({"t": pd.date_range("2020-01-01", periods=4, freq="D", tz="UTC")})


def test_median_and_quantile_of_a_tz_aware_frame(backend):
    # the Series of a DataFrame's quantiles was made with np.dtype(dtype), which refuses pandas' tz dtype
    pdf = _utc_frame()
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.median(), pdf.median())
    assert_eq(df.quantile(0.5), pdf.quantile(0.5))
    assert to_host(df.median().compute()).tolist() == [pd.Timestamp("2020-01-02 12:00", tz="UTC")]


@needs_pandas_3("pandas 2.2 keeps nanoseconds; the tz-aware column of the fixture is microseconds")
def test_fillna_of_a_tz_aware_series_with_a_naive_timestamp_says_objects(backend):
    # pandas fills a naive timestamp into a tz-aware column as objects where values are missing; the metadata,
    # built from the empty frame that has nothing to fill, said the tz-aware dtype
    ps = pd.Series(pd.to_datetime(["2020-01-01", None, "2020-01-03", None])).dt.tz_localize("UTC")
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' deprecation of the incompatible value
        filled = s.fillna(pd.Timestamp("2000-01-01"))
        expected = ps.fillna(pd.Timestamp("2000-01-01"))
        assert filled.dtype == expected.dtype == object
        if backend == "pandas":  # (cuDF has no object columns of timestamps)
            assert_eq(filled, expected)


def test_fillna_of_floats_with_text_says_objects(backend):
    # a Series or the columns a dict names are taken to have missing values (the integers can have none)
    ps = pd.Series([1.0, None, 3.0, None])
    pdf = pd.DataFrame({"x": ps, "k": [1, 2, 3, 4]})
    s, df = (gd.from_pandas(p, npartitions=2, backend=backend) for p in (ps, pdf))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' deprecation of the incompatible value
        assert s.fillna("none").dtype == object
        assert dict(df.fillna({"x": "none", "k": "none"}).dtypes) == {"x": object, "k": "int64"}
        if backend == "pandas":  # (cuDF has no object columns of mixed values)
            assert_eq(s.fillna("none"), ps.fillna("none"))
            assert_eq(df.fillna({"x": "none", "k": "none"}), pdf.fillna({"x": "none", "k": "none"}))


def test_fillna_of_a_frame_keeps_the_dtypes_of_columns_without_holes(backend):
    # a frame-wide scalar meets columns without missing values: their dtypes stay (as before)
    pdf = pd.DataFrame({"x": [1.0, None, 3.0, None], "t": pd.date_range("2024-01-01", periods=4, freq="D")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.fillna(0), pdf.fillna(0))
    assert to_host(df.fillna(0).t.dt.day.compute()).tolist() == [1, 2, 3, 4]


@needs_pandas_3("pandas 2.2 parses timedelta text to nanoseconds, empty or not")
def test_to_timedelta_of_text_says_the_resolution_it_gives(backend):
    # the metadata, parsed from an empty partition, said seconds; text parses to microseconds (pandas 3)
    ps = pd.Series(["1 days", "2h", "3 min", "4s"])
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    if backend == "pandas":
        assert gd.to_timedelta(s).dtype == pd.to_timedelta(ps).dtype == "timedelta64[us]"
    assert_eq(gd.to_timedelta(s), pd.to_timedelta(ps))


@needs_pandas_3("pandas 2.2 gives nanoseconds for every number")
def test_to_timedelta_and_to_datetime_of_floats_with_a_unit_say_nanoseconds(backend):
    # floats with fractions give nanoseconds; the empty metadata said microseconds
    ps = pd.Series([1.5, 2.0, 3.25, 4.0])
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    assert_eq(gd.to_datetime(s, unit="s"), pd.to_datetime(ps, unit="s"))
    assert gd.to_datetime(s, unit="s").dtype == "datetime64[ns]"
    if backend == "pandas":  # (cuDF's partitions cast numbers to pandas' resolution of whole numbers)
        assert_eq(gd.to_timedelta(s, unit="s"), pd.to_timedelta(ps, unit="s"))
        assert gd.to_timedelta(s, unit="s").dtype == "timedelta64[ns]"


def test_to_timedelta_of_floats_keeps_missing_values_missing(backend):
    """Missing floats give NaT with a unit, as pandas (cuDF's partitions cast them to int64 nanoseconds, which
    raised IntCastingNaNError)."""
    ps = pd.Series([1.5, None, 2.0, float("nan")])
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    assert to_host(gd.to_timedelta(s, unit="s").compute()).tolist() == pd.to_timedelta(ps, unit="s").tolist()


@needs_pandas_3("pandas 2.2 gives objects (with a FutureWarning) for text whose UTC offsets differ")
def test_to_datetime_of_text_whose_offsets_differ_between_partitions_raises_as_pandas(backend):
    # each partition saw one offset and parsed it; together they were an object column of mixed offsets
    skip_on_stand_in("cuDF parses no UTC offsets")
    ps = pd.Series(["2020-01-01 00:00+01:00", "2020-01-02 00:00+01:00", "2020-06-01 00:00+02:00",
                    "2020-06-02 00:00+02:00"])
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="Mixed timezones detected"):
        pd.to_datetime(ps)
    with pytest.raises(ValueError, match="Mixed timezones detected"):
        gd.to_datetime(s).compute()
    assert_eq(gd.to_datetime(s, utc=True), pd.to_datetime(ps, utc=True))
    same = gd.from_pandas(ps[:2], npartitions=2, backend=backend)  # one offset: its time zone, as pandas
    assert to_host(gd.to_datetime(same).compute()).tolist() == pd.to_datetime(ps[:2]).tolist()
    for fmt in ("ISO8601", "mixed"):  # an explicit format checks the offsets of the whole Series too
        with pytest.raises(ValueError, match="Mixed timezones detected"):
            pd.to_datetime(ps, format=fmt)
        with pytest.raises(ValueError, match="Mixed timezones detected"):
            gd.to_datetime(s, format=fmt).compute()
        assert_eq(gd.to_datetime(s, format=fmt, utc=True), pd.to_datetime(ps, format=fmt, utc=True))
        got = gd.to_datetime(same, format=fmt).compute()
        assert to_host(got).tolist() == pd.to_datetime(ps[:2], format=fmt).tolist()
