"""``resample(...).ohlc()`` on either library (cuDF lacks it: built from first/max/min/last), and the
``.dt.date`` refusal on cuDF naming a way out cuDF has."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def timed():
    rng = np.random.default_rng(5)
    n = 40
    x = rng.normal(size=n)
    x[::6] = np.nan
    frame = pd.DataFrame({"x": x, "i": rng.integers(0, 50, n),
                          "I": pd.array(rng.integers(0, 9, n), dtype="Int64")},
                         index=pd.date_range("2021-01-01", periods=n, freq="5h"))
    frame.loc[frame.index[3], "I"] = pd.NA
    frame.columns.name = "c"
    return frame


@pytest.mark.parametrize("rule", ["1D", "13h"])
def test_series_resample_ohlc(timed, rule):
    g = gd.from_pandas(timed, npartitions=3)
    for col in ("x", "i"):
        tm.assert_frame_equal(to_host(g[col].resample(rule).ohlc().compute()), timed[col].resample(rule).ohlc())


@pytest.mark.parametrize("rule", ["1D", "13h"])
def test_frame_resample_ohlc(timed, rule):
    g = gd.from_pandas(timed, npartitions=3)
    r = g.resample(rule).ohlc()
    expected = timed.resample(rule).ohlc()
    got = to_host(r.compute())
    if got["I"].dtypes.iloc[0] == "float64":  # cuDF gives an integer column holding nulls back as float64
        expected = expected.astype({c: "float64" for c in expected.columns if c[0] == "I"})
    tm.assert_frame_equal(got, expected)
    assert list(to_host(r._meta).columns) == list(expected.columns)


def test_resample_ohlc_of_text_refused_as_pandas(timed):
    frame = timed.assign(s=["a"] * len(timed))
    with pytest.raises(Exception) as expected:
        frame.s.resample("1D").ohlc()
    with pytest.raises(type(expected.value)):
        gd.from_pandas(frame, npartitions=2).s.resample("1D").ohlc().compute()


def test_dt_date_refusal_names_a_working_way_out(backend):
    pdf = pd.DataFrame({"t": pd.date_range("2021", periods=6, freq="7h")})
    g = gd.from_pandas(pdf, npartitions=2)
    if backend != "cudf":
        tm.assert_series_equal(to_host(g.t.dt.date.compute()), pdf.t.dt.date)
        return
    with pytest.raises(NotImplementedError) as refusal:
        g.t.dt.date
    message = str(refusal.value)
    assert ".dt.floor('D')" in message and "use .dt.normalize" not in message and "/ .dt.normalize" not in message
    tm.assert_series_equal(to_host(g.t.dt.floor("D").compute()), pdf.t.dt.normalize())
