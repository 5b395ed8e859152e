"""``between_time`` / ``at_time`` (rows by their index's time of day) and ``pct_change``, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    index = pd.date_range("2024-03-01", periods=300, freq="37min")
    return pd.DataFrame({"x": rng.random(300), "n": rng.integers(1, 9, 300)}, index=index)


@pytest.mark.parametrize("times", [("02:00", "04:30"), ("23:00", "01:30"), ("02:00", "04:30", "neither"),
                                   ("02:00", "04:30", "left"), ("23:00", "01:30", "right")])
def test_between_time_as_pandas(pdf, backend, times):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    got = df.between_time(*times)
    assert got.divisions == df.divisions  # the rows kept are within their partition's bounds
    assert_eq(got, pdf.between_time(*times))
    assert_eq(df.x.between_time(*times), pdf.x.between_time(*times))
    assert_eq(df.between_time(*times).x.sum(), pdf.between_time(*times).x.sum())  # (the column projected below)


def test_at_time_and_time_zones(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.at_time("03:42"), pdf.at_time("03:42"))
    zoned = pdf.tz_localize("UTC").tz_convert("Asia/Tokyo")  # times of day in the index's own zone
    assert_eq(gd.from_pandas(zoned, npartitions=3, backend=backend).between_time("09:00", "10:00"),
              zoned.between_time("09:00", "10:00"))


def test_time_of_day_errors(pdf, backend):
    df = gd.from_pandas(pdf.reset_index(drop=True), npartitions=2, backend=backend)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        df.between_time("01:00", "02:00")
    timed = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="inclusive"):
        timed.between_time("01:00", "02:00", inclusive="middle")
    with pytest.raises(NotImplementedError, match="axis"):
        timed.at_time("01:00", axis=1)


@needs_pandas_3("pandas 2.2's pct_change pads missing values first")
@pytest.mark.parametrize("periods", [1, 3, -2, 100])
def test_pct_change_as_pandas(pdf, backend, periods):
    pdf = pdf.copy()
    pdf.iloc[5, 0] = np.nan  # pandas 3 fills nothing: the change to and from a missing value is missing
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.pct_change(periods), pdf.pct_change(periods))
    assert_eq(df.n.pct_change(periods), pdf.n.pct_change(periods))  # integers: float64
    with pytest.raises(ValueError, match="fill_method must be None"):
        df.pct_change(fill_method="ffill")
