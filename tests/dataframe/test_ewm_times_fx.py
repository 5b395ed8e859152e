"""``ewm(halflife=..., times=...)`` with ``adjust=False`` and/or ``ignore_na=True``, against pandas on the whole
series across partitions (irregular times, missing values at partition edges, ``min_periods``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import PANDAS_3, needs_pandas_3

_RECURSIVE = needs_pandas_3("times is not supported with adjust=False")
MODES = [pytest.param({"adjust": False}, marks=_RECURSIVE), {"ignore_na": True},
         pytest.param({"adjust": False, "ignore_na": True}, marks=_RECURSIVE), {}]


def test_brief_example(backend):
    s = pd.Series([1.0, np.nan, 3.0, 4.0])
    t = pd.date_range("2020", periods=4, freq="D")
    gs = gd.from_pandas(pd.Series(s.values, index=t), npartitions=2, backend=backend)
    for kwargs in [m if isinstance(m, dict) else m.values[0] for m in MODES]:
        if not PANDAS_3 and kwargs.get("adjust") is False:
            continue
        got = to_host(gs.ewm(halflife="1D", times=gs.index, **kwargs).mean().compute())
        np.testing.assert_allclose(got.to_numpy(), s.ewm(halflife="1D", times=t, **kwargs).mean().to_numpy(),
                                   rtol=1e-12)


@pytest.fixture
def irregular():
    rng = np.random.default_rng(3)
    n = 120
    times = pd.DatetimeIndex(np.sort(pd.Timestamp("2024-01-01").value + rng.integers(0, 30 * 86_400 * 10**9, n)))
    times = times.insert(50, times[50])[:n]  # a repeated time
    out = pd.DataFrame({"a": rng.normal(size=n) + 100.0, "b": rng.integers(0, 9, n).astype("float64"), "t": times},
                       index=times)
    out.iloc[[0, 1, 29, 30, 31, 59, 60, 89, 119], 0] = np.nan  # at partition edges (4 partitions of 30)
    out.iloc[62:88, 1] = np.nan  # a partition all but empty
    return out


@pytest.mark.parametrize("kwargs", MODES)
@pytest.mark.parametrize("halflife", ["6h", "1D", "20min"])
@pytest.mark.parametrize("min_periods", [0, 5])
def test_timed_modes_as_pandas(irregular, backend, kwargs, halflife, min_periods):
    df = gd.from_pandas(irregular, npartitions=4, backend=backend)
    got = df[["a", "b"]].ewm(halflife=halflife, times=df.index, min_periods=min_periods, **kwargs).mean()
    assert got.divisions == df.divisions
    expected = irregular[["a", "b"]].ewm(halflife=halflife, times=irregular.index, min_periods=min_periods,
                                         **kwargs).mean()
    tm.assert_frame_equal(to_host(got.compute()), expected, rtol=1e-10)
    got = df.a.ewm(halflife=halflife, times=df.t, min_periods=min_periods, **kwargs).mean()
    tm.assert_series_equal(to_host(got.compute()),
                           irregular.a.ewm(halflife=halflife, times=irregular.t, min_periods=min_periods,
                                           **kwargs).mean(), rtol=1e-10)


@pytest.mark.parametrize("kwargs", MODES)
@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_timed_long_gaps_as_pandas(backend, kwargs, npartitions):
    """Thousands of half-lives between values and long missing runs: weights far below float64's range."""
    rng = np.random.default_rng(5)
    n = 3000
    times = pd.DatetimeIndex(pd.Timestamp("2024-01-01").value + np.cumsum(rng.integers(1, 4 * 3600, n)) * 10**9)
    s = pd.Series(rng.normal(size=n), index=times)
    s.iloc[rng.random(n) < 0.3] = np.nan
    s.iloc[1000:1400] = np.nan
    gs = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    got = to_host(gs.ewm(halflife="10min", times=gs.index, **kwargs).mean().compute())
    tm.assert_series_equal(got, s.ewm(halflife="10min", times=s.index, **kwargs).mean(), rtol=1e-10)


@pytest.mark.parametrize("kwargs", MODES)
@needs_pandas_3("sum/var/std/cov/corr with times are computed, as if without the times")
def test_timed_refusals_are_pandas(irregular, kwargs):
    df = gd.from_pandas(irregular, npartitions=3, backend="pandas")
    window = df.a.ewm(halflife="1D", times=df.index, **kwargs)
    pandas_window = irregular.a.ewm(halflife="1D", times=irregular.index, **kwargs)
    for how in ("sum", "var", "std", "cov", "corr"):
        with pytest.raises(NotImplementedError) as expected:
            getattr(pandas_window, how)()
        with pytest.raises(NotImplementedError, match=str(expected.value)):
            getattr(window, how)()
