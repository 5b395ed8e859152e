"""Fixtures for the dataframe suite: every test runs on pandas partitions, and on cuDF where it works."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gpuscale.backends import available


def _cudf_ok() -> bool:
    return available()["cudf"].ok


@pytest.fixture(params=["pandas", pytest.param("cudf", marks=pytest.mark.gpu)])
def backend(request: pytest.FixtureRequest) -> str:
    """The partition library under test ("cudf" is skipped without a GPU and cuDF)."""
    if request.param == "cudf" and not _cudf_ok():
        pytest.skip("cuDF is not usable on this machine")
    return request.param


@pytest.fixture
def pdf() -> pd.DataFrame:
    """A mixed-dtype frame with NaNs, repeated keys and strings."""
    rng = np.random.default_rng(42)
    n = 240
    x = rng.normal(size=n)
    x[::17] = np.nan
    return pd.DataFrame({
        "k": rng.integers(0, 12, n),
        "j": rng.choice(["a", "b", "c"], n),
        "x": x,
        "y": rng.integers(-50, 50, n),
        "s": rng.choice(["apple", "Banana", " cherry ", "date", "elder"], n),
        "t": pd.date_range("2021-01-01", periods=n, freq="7h"),
    })

