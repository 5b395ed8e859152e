"""``describe()`` of numbers, times and labels, with ``include=``/``exclude=``/``percentiles=``, against
pandas on the whole frame and dask.dataframe (pandas and strict-cuDF legs; cuDF writes non-numeric describe
tables as strings, and so does a cuDF result here)."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

DATA = pd.DataFrame({
    "x": [1.0, 2.0, np.nan, 4.0, 5.5, 6.0, 7.0, 8.0],
    "i": np.arange(8),
    "s": ["a", "b", "c", "a", "b", "a", None, "d"],
    "t": pd.date_range("2020-01-01", periods=8, freq="h"),
    "b": [True, False, True, True, False, True, True, True],
    "c": pd.Categorical(list("xyxxzxyx")),
    "td": pd.to_timedelta(np.arange(8) * 1.5, unit="s"),
})


def expected(table, backend):
    """pandas' table as gpuscale returns it on ``backend`` (cuDF: non-numeric tables as strings)."""
    if backend != "cudf":
        return table
    stringify = lambda col: col.map(lambda v: None if pd.isna(v) else str(v)) if col.dtype == object else col  # noqa: E731
    return stringify(table) if isinstance(table, pd.Series) else table.apply(stringify)


def check(got, want, backend):
    got, want = to_host(got.compute()), expected(want, backend)
    if isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want, check_exact=False, rtol=1e-9)
    else:
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("options", [{}, {"include": "all"}, {"include": ["number"]}, {"exclude": ["number"]},
                                     {"include": ["category"]}, {"include": ["datetime"]},
                                     {"percentiles": [0.1, 0.9]}, {"include": "all", "percentiles": [0.05]}],
                         ids=str)
def test_frame_describe_matches_pandas(backend, options):
    check(gd.from_pandas(DATA, npartitions=3, backend=backend).describe(**options), DATA.describe(**options),
          backend)


@pytest.mark.parametrize("column", list(DATA.columns))
def test_series_describe_matches_pandas_for_every_kind(backend, column):
    check(gd.from_pandas(DATA, npartitions=3, backend=backend)[column].describe(), DATA[column].describe(), backend)


def test_numeric_describe_matches_dask(backend):
    ours = to_host(gd.from_pandas(DATA, npartitions=3, backend=backend).describe(percentiles=[0.2]).compute())
    theirs = dd.from_pandas(DATA, npartitions=3).describe(percentiles=[0.2]).compute()
    # the row order is pandas' (which puts std last when times are described); dask's percentiles are
    # approximate where gpuscale's are exact (checked against pandas above), the other rows agree
    rows = ["count", "mean", "std", "min", "max"]
    pd.testing.assert_frame_equal(ours.loc[rows, ["x", "i"]], theirs.loc[rows, ["x", "i"]], check_exact=False)


def test_labels_ties_and_empty_partitions(backend):
    data = pd.DataFrame({"s": ["q", "p", "p", "q", None, None]})
    frame = gd.from_pandas(data, npartitions=3, backend=backend)
    frame = frame[frame.s.notna()]  # the last partition is empty
    check(frame.s.describe(), data.s.dropna().describe(), backend)
    check(gd.from_pandas(data.iloc[4:], npartitions=1, backend=backend).s.describe(),
          data.iloc[4:].s.describe(), backend)


def test_zoned_timestamps(backend):
    data = pd.DataFrame({"t": pd.date_range("2021-03-27", periods=6, freq="7h", tz="Europe/Paris")})
    check(gd.from_pandas(data, npartitions=2, backend=backend).t.describe(), data.t.describe(), backend)


@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_time_percentiles_are_pandas_to_the_unit(backend, unit):
    # percentiles of today's timestamps were interpolated in float nanoseconds (every 256th representable) and
    # divided in floats: 06:29:05.168923 where pandas says .168922; pandas interpolates in the column's unit
    stamps = ["2017-05-09 00:00:00.006", "2017-05-09 00:00:00.006", "2017-05-09 07:56:23.858694",
              "2017-05-09 05:59:58.938999", None, "1960-01-01 00:00:00.000001", "1969-12-31 23:59:59.999999"]
    data = pd.Series(pd.to_datetime(stamps).as_unit(unit), name="t")
    for percentiles in (None, [0.1, 0.33, 0.75, 0.9]):
        got = to_host(gd.from_pandas(data, npartitions=3, backend=backend).describe(percentiles=percentiles)
                      .compute())
        want = expected(data.describe(percentiles=percentiles), backend)
        pd.testing.assert_series_equal(got.drop("mean"), want.drop("mean"), check_exact=True)


def test_errors_name_the_cause(backend):
    frame = gd.from_pandas(DATA[["x"]], npartitions=2, backend=backend)
    with pytest.raises(ValueError):  # pandas' own error: nothing to describe
        frame.describe(include=["category"])
    check(frame.x.describe(include="all"), DATA.x.describe(include="all"), backend)  # ignored, as pandas
    with pytest.raises(ValueError, match="percentiles_method"):
        frame.describe(percentiles_method="exact")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=1, max_size=40),
       nparts=st.integers(1, 6))
def test_numbers_with_missing_values_any_partitioning(backend, values, nparts):
    data = pd.Series(values, dtype="float64", name="v")
    got = to_host(gd.from_pandas(data, npartitions=nparts, backend=backend).describe().compute())
    pd.testing.assert_series_equal(got, data.describe(), check_exact=False, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("values", [[494071.0, 494070.0, 494067.0], [494071.0, 494070.0, 494067.0, 1e6 + 0.5]])
@pytest.mark.parametrize("nparts", [1, 2, 3])
def test_std_of_large_close_values_keeps_its_digits(backend, values, nparts):
    # a sum of squares (2.4e11 each) cancelled to 2.081661 where pandas says 2.081666 (found by hypothesis)
    data = pd.Series(values, name="v")
    got = to_host(gd.from_pandas(data, npartitions=nparts, backend=backend).describe().compute())
    pd.testing.assert_series_equal(got, data.describe(), check_exact=False, rtol=1e-12)


@needs_pandas_3("pandas 2.2's mean of times keeps nanoseconds")
def test_mean_of_times_is_pandas_to_the_unit(backend):
    # the mean was summed in float nanoseconds, which keep every 2**17th ns of 500 of today's timestamps: it
    # came out a microsecond short of pandas' (22:49:34.499999 for .500000)
    rng = np.random.default_rng(2)
    n = 500
    rng.normal(size=n), rng.integers(0, 9, n), rng.choice(3, n)  # (the draws before the times it was seen with)
    times = pd.date_range("2021-01-01", periods=n, freq="17min") + pd.to_timedelta(rng.integers(0, 1000, n), unit="s")
    pdf = pd.DataFrame({"t": times, "z": pd.date_range("2020", periods=n, freq="7h", tz="Asia/Tokyo"),
                        "d": pd.to_timedelta(rng.integers(0, 10**9, n), unit="us")})
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    for column in pdf.columns:
        check(df[column].describe(), pdf[column].describe(), backend)


@pytest.mark.parametrize("arrow_type", ["date32", "date64"])
@pytest.mark.parametrize("nparts", [1, 3])
def test_arrow_dates_are_described_as_pandas_describes_them(backend, arrow_type, nparts):
    import datetime

    import pyarrow as pa

    from tests.dataframe.frame_helpers import skip_on_stand_in

    skip_on_stand_in("cuDF has no Arrow date dtype")
    days = [datetime.date(2020, 1, d) for d in range(1, 8)] + [None, datetime.date(1969, 12, 30)]
    data = pd.DataFrame({"d": pd.Series(days, dtype=pd.ArrowDtype(getattr(pa, arrow_type)())), "x": np.arange(9.0)})
    df = gd.from_pandas(data, npartitions=nparts, backend=backend)
    pd.testing.assert_series_equal(df.d.describe().compute(), data.d.describe())
    pd.testing.assert_frame_equal(df.describe(include="all").compute(), data.describe(include="all"))
