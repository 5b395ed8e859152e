"""Time windows (``rolling("2h")``, ``map_overlap`` with a time span) over a ``TimedeltaIndex``, as pandas
on the whole series: the halo between partitions is measured from the window span as on a DatetimeIndex."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

SERIES = pd.Series(np.arange(6.0), index=pd.timedelta_range(0, periods=6, freq="45min"))


@pytest.mark.parametrize("npartitions", [1, 2, 3, 6])
def test_rolling_time_window_on_timedelta_index(npartitions):
    got = gd.from_pandas(SERIES, npartitions=npartitions).rolling("2h").sum()
    tm.assert_series_equal(to_host(got.compute()), SERIES.rolling("2h").sum())
    assert to_host(got.compute()).tolist() == [0.0, 1.0, 3.0, 6.0, 9.0, 12.0]


@pytest.mark.parametrize("closed", ["right", "both", "left", "neither"])
def test_rolling_closed_on_timedelta_index_in_seconds(closed):
    s = pd.Series(np.arange(8.0), index=pd.to_timedelta(np.arange(8) * 45, unit="min").as_unit("s"))
    got = gd.from_pandas(s, npartitions=3).rolling("90min", closed=closed).mean()
    tm.assert_series_equal(to_host(got.compute()), s.rolling("90min", closed=closed).mean())


def test_map_overlap_time_span_on_timedelta_index():
    frame = SERIES.to_frame("x")
    func = lambda df: df.rolling("2h").sum()  # noqa: E731
    got = gd.from_pandas(frame, npartitions=3).map_overlap(func, "2h", 0)
    tm.assert_frame_equal(to_host(got.compute()), func(frame))
