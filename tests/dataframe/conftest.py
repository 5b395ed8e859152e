"""Fixtures for the dataframe suite: every test runs on pandas partitions, on the strict cuDF
stand-in (``tests/strict_cudf``: accepts only what cuDF accepts, results are not pandas), and on
the real cuDF where a GPU is usable (marked ``gpu``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import strict_cudf

import gpuscale
from gpuscale.backends import available


def _cudf_ok() -> bool:
    return available()["cudf"].ok


@pytest.fixture(params=["pandas", "strict-cudf", pytest.param("cudf", marks=pytest.mark.gpu)], autouse=True)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The partition library under test, also made the configured default backend.

    ``strict-cudf`` installs the stand-in as ``cudf``; tests see the backend name ``"cudf"``.
    ``cudf`` is skipped without a GPU and cuDF.
    """
    if request.param == "cudf" and not _cudf_ok():
        pytest.skip("cuDF is not usable on this machine")
    if request.param == "strict-cudf":
        strict_cudf.install(monkeypatch)
    name = "pandas" if request.param == "pandas" else "cudf"
    with gpuscale.config.set(backend=name):
        yield name


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

