"""``ewm()`` / ``expanding()`` parameters found by fuzzing against pandas: NumPy scalars and text halflife."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def mixed():
    return pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0, 2.0, np.nan, 7.0, 8.0], "i": np.arange(8),
                         "ts": pd.date_range("2024", periods=8, freq="h"),
                         "b": [True, False] * 4, "s": list("abcdefgh")})


@pytest.mark.parametrize("kwargs", [{"span": np.int64(3)}, {"com": np.float32(2)}, {"alpha": np.float32(0.5)},
                                    {"halflife": np.float64(2.0)}, {"span": 3}])
def test_ewm_numpy_scalar_parameters(backend, mixed, kwargs):
    df = gd.from_pandas(mixed, npartitions=2, backend=backend)
    tm.assert_series_equal(to_host(df.a.ewm(**kwargs).mean().compute()), mixed.a.ewm(**kwargs).mean(), rtol=1e-9)


def test_ewm_text_halflife_without_times_is_pandas_value_error(backend, mixed):
    df = gd.from_pandas(mixed, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="halflife can only be a timedelta convertible argument if times is not"):
        mixed.a.ewm(halflife="2h")
    with pytest.raises(ValueError, match="halflife can only be a timedelta convertible argument if times is not"):
        df.a.ewm(halflife="2h")
    with pytest.raises(ValueError, match="halflife can only be a timedelta convertible argument if times is not"):
        df.a.ewm(halflife=pd.Timedelta("2h"))


@pytest.mark.parametrize("bad", [True, "2"])
def test_ewm_bool_or_text_span_refused(backend, mixed, bad):
    df = gd.from_pandas(mixed, npartitions=2, backend=backend)
    with pytest.raises((TypeError, ValueError, NotImplementedError)):
        df.a.ewm(span=bad)


def test_expanding_numpy_integer_min_periods(backend, mixed):
    df = gd.from_pandas(mixed, npartitions=2, backend=backend)
    got = df.a.expanding(min_periods=np.int64(2)).sum()
    tm.assert_series_equal(to_host(got.compute()), mixed.a.expanding(min_periods=np.int64(2)).sum())
    with pytest.raises(ValueError):
        df.a.expanding(min_periods=True)
