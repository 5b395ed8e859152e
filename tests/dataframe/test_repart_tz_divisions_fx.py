"""repartition(divisions=[date strings]) on a tz-aware DatetimeIndex: the strings are read in the index's
time zone (as .loc reads them), not compared naive with aware timestamps (a TypeError)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("tz", [None, "UTC", "US/Eastern"])
def test_string_divisions_on_tz_index(tz):
    idx = pd.date_range("2021-01-01", periods=30, freq="D", tz=tz)
    pdf = pd.DataFrame({"x": np.arange(30)}, index=idx)
    df = gd.from_pandas(pdf, npartitions=3)
    out = df.repartition(divisions=["2020-12-31", "2021-01-10", "2021-01-20", "2021-02-05"], force=True)
    assert out.npartitions == 3
    assert out.divisions[1] == pd.Timestamp("2021-01-10", tz=tz)
    tm.assert_frame_equal(to_host(out.compute()), pdf)
    tm.assert_frame_equal(to_host(out.partitions[1].compute()), pdf.loc["2021-01-10":"2021-01-19"])


def test_set_index_string_divisions_on_tz_column():
    pdf = pd.DataFrame({"t": pd.date_range("2021-01-01", periods=30, freq="D", tz="US/Eastern"), "x": np.arange(30)})
    out = gd.from_pandas(pdf, npartitions=3).set_index("t", divisions=["2021-01-01", "2021-01-15", "2021-01-30"])
    assert out.divisions[1] == pd.Timestamp("2021-01-15", tz="US/Eastern")
    tm.assert_frame_equal(to_host(out.compute()), pdf.set_index("t"))
