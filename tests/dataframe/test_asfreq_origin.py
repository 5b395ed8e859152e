"""``asfreq`` and ``resample(origin=, offset=)`` (pandas'; dask has neither), against pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    idx = pd.date_range("2024-01-01 00:17", periods=200, freq="7min")[np.sort(rng.choice(200, 120, replace=False))]
    return pd.DataFrame({"x": rng.random(120), "n": rng.integers(0, 9, 120)}, index=idx)


@pytest.mark.parametrize("freq", ["7min", "14min", "h", "3min"])
def test_asfreq_as_pandas(pdf, backend, freq):
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    got = df.asfreq(freq)
    assert got.known_divisions and got.divisions[0] == pdf.index[0]
    assert_eq(got, pdf.asfreq(freq))
    assert_eq(df.x.asfreq(freq, fill_value=-1.0), pdf.x.asfreq(freq, fill_value=-1.0))


@pytest.mark.parametrize("kwargs", [{"origin": "start"}, {"origin": "epoch"}, {"offset": "10min"},
                                    {"origin": "2024-01-01 00:05"}, {"origin": "start", "closed": "right"}])
@pytest.mark.parametrize("rule", ["h", "25min"])
def test_resample_origin_and_offset(pdf, backend, kwargs, rule):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.resample(rule, **kwargs).sum(), pdf.resample(rule, **kwargs).sum())
    assert_eq(df.x.resample(rule, **kwargs).mean(), pdf.x.resample(rule, **kwargs).mean())


def test_asfreq_refusal_and_time_zones(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(NotImplementedError, match="ffill"):
        df.asfreq("h", method="ffill")
    zoned = pdf.tz_localize("UTC").tz_convert("Europe/Paris")
    assert_eq(gd.from_pandas(zoned, npartitions=3, backend="cpu").asfreq("h"), zoned.asfreq("h"), check_freq=False)


@pytest.mark.parametrize("labels", [["2024"], ["2024-01-01 05:00"] * 3, ["2024-01-01 05:10", "2024-01-01 05:20"]])
@pytest.mark.parametrize("kwargs", [{"rule": "h"}, {"rule": "D"}, {"rule": "15min", "closed": "right", "label": "right"}])
def test_resample_of_one_time(backend, labels, kwargs):
    """Every row at one time (divisions ``(t, t)``) is one bin; it raised "New division must be longer than 2"."""
    s = pd.Series(np.arange(len(labels), dtype=float), index=pd.to_datetime(labels))
    ds = gd.from_pandas(s, npartitions=1, backend=backend)
    assert_eq(ds.resample(**kwargs).sum(), s.resample(**kwargs).sum())
    assert_eq(ds.resample(**kwargs).count(), s.resample(**kwargs).count())


@pytest.mark.parametrize("origin", ["end", "end_day"])
@pytest.mark.parametrize("rule", ["2h", "5h", "1D", "37min", "74min"])
@pytest.mark.parametrize("sides", [{}, {"closed": "left"}, {"label": "left"}, {"closed": "right", "label": "right"}])
@pytest.mark.parametrize("tz", [None, "Europe/Berlin"])
def test_resample_bins_ending_at_the_last_time(backend, origin, rule, sides, tz):
    """``origin="end"``: the whole collection's last time (its last division), closed and labelled on the right
    by default as pandas; pandas' empty first bin where a left-closed grid puts the first time on an edge; a time
    zone's day bins, where pandas 3 ignores the origin."""
    idx = pd.date_range("2024-01-01 00:07", periods=90, freq="37min", tz=tz)
    s = pd.Series(np.arange(90.0), index=idx)
    ds = gd.from_pandas(s, npartitions=4, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (pandas' "origin does not take effect" on zoned days)
        assert_eq(ds.resample(rule, origin=origin, **sides).sum(), s.resample(rule, origin=origin, **sides).sum())
        assert_eq(ds.resample(rule, origin=origin, **sides).mean(), s.resample(rule, origin=origin, **sides).mean())


@pytest.mark.parametrize("npartitions", [1, 4, 7])
@pytest.mark.parametrize("origin", ["start", "start_day"])
def test_right_closed_day_bins_as_pandas(backend, npartitions, origin):
    """The last time on a right-closed bin's edge kept its bin (it was lost), and time-zone-aware day bins closed
    on the right, before which pandas 3 puts an empty bin, no longer fail ("Index is not contained")."""
    idx = pd.date_range("2024-01-01 00:07", periods=90, freq="37min", tz="Europe/Berlin")
    s = pd.Series(np.arange(90.0), index=idx)
    ds = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert_eq(ds.resample("1D", closed="right", origin=origin).sum(),
                  s.resample("1D", closed="right", origin=origin).sum())
    naive = s.tz_localize(None)
    dn = gd.from_pandas(naive, npartitions=npartitions, backend=backend)
    assert_eq(dn.resample("1D", origin=naive.index[-1], closed="right", label="right").sum(),
              naive.resample("1D", origin=naive.index[-1], closed="right", label="right").sum())


@pytest.mark.parametrize("freq", ["W", "ME", "MS", "QE", "B", "D", "2D", "7h"])
@pytest.mark.parametrize("tz", [None, "UTC"])
def test_asfreq_grid_starts_at_the_first_time(backend, freq, tz):
    """pandas' grid is ``date_range(first, last, freq)``: calendar rules and days keep the first time's clock (the
    grid was at midnight, so every row missed it and the result was all missing)."""
    index = pd.date_range("2024-01-01 09:00", periods=40, freq="13h", tz=tz)
    s = pd.Series(np.arange(40.0), index=index)
    got = gd.from_pandas(s, npartitions=3, backend=backend).asfreq(freq)
    pd.testing.assert_series_equal(to_host(got.compute()), s.asfreq(freq), check_freq=False)
