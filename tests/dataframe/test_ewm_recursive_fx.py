"""``ewm(adjust=False).var()/std()/cov()/corr()`` on data with missing values (runs of them included) and values
drifting far from the partition's first one, against pandas on the whole series at 1e-10."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _drifting(run: int) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 20_000
    frame = pd.DataFrame({"x": np.arange(n) * 0.05 + rng.normal(size=n), "y": rng.normal(size=n) + 3.0})
    frame.loc[rng.random(n) < 0.1, "x"] = np.nan
    frame.loc[rng.random(n) < 0.1, "y"] = np.nan
    for start in (3000, 9990, 15000):  # runs of missing values, one across a partition edge
        frame.iloc[start:start + run, 0] = np.nan
    return frame


@pytest.fixture
def drifting():
    return _drifting(150)


@pytest.mark.parametrize("how", ["var", "std"])
@pytest.mark.parametrize("alpha", [0.05, 0.3])
@pytest.mark.parametrize("npartitions", [1, 4, 8])
def test_recursive_moments_digits(backend, how, alpha, npartitions):
    # (runs short enough that pandas' own 1 - sum of squared weights keeps its digits after them)
    drifting = _drifting(150 if alpha < 0.1 else 30)
    df = gd.from_pandas(drifting, npartitions=npartitions, backend=backend)
    got = to_host(getattr(df.ewm(alpha=alpha, adjust=False, min_periods=2), how)().compute())
    tm.assert_frame_equal(got, getattr(drifting.ewm(alpha=alpha, adjust=False, min_periods=2), how)(), rtol=1e-10)


@pytest.mark.parametrize("how", ["cov", "corr"])
def test_recursive_pairs_digits(drifting, backend, how):
    df = gd.from_pandas(drifting, npartitions=4, backend=backend)
    got = to_host(getattr(df.x.ewm(alpha=0.05, adjust=False), how)(df.y).compute())
    expected = getattr(drifting.x.ewm(alpha=0.05, adjust=False), how)(drifting.y)
    tm.assert_series_equal(got, expected, rtol=1e-9)
