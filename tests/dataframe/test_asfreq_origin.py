"""``asfreq`` and ``resample(origin=, offset=)`` (pandas'; dask has neither), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


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


def test_asfreq_and_origin_refusals(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(NotImplementedError, match="ffill"):
        df.asfreq("h", method="ffill")
    with pytest.raises(NotImplementedError, match="origin='end'"):
        df.resample("h", origin="end")
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
