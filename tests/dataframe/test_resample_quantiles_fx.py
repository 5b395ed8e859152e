"""``Resampler.quantile`` of several quantiles (pandas: a (time, q) MultiIndex) is refused in plain words (it failed
deep inside with "'>' not supported between instances of 'tuple' and 'Timestamp'"); one quantile as pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def values() -> pd.Series:
    return pd.Series(np.arange(6.0), index=pd.date_range("2024", periods=6, freq="30min"))


@pytest.mark.parametrize("q", [[0.25, 0.75], (0.5,), np.array([0.1, 0.9])])
def test_several_quantiles_are_refused(backend, values, q):
    resampler = gd.from_pandas(values, npartitions=2, backend=backend).resample("h")
    with pytest.raises(NotImplementedError, match="one quantile at a time"):
        resampler.quantile(q)


def test_one_quantile_as_pandas(backend, values):
    got = gd.from_pandas(values, npartitions=2, backend=backend).resample("h").quantile(0.25)
    assert_eq(got, values.resample("h").quantile(0.25), check_freq=False)
