"""A boolean column's ``first``/``last``/``min``/``max``/``ohlc`` over bins some of which have no rows: pandas makes
it float64 (NaN there) in every bin; each partition without such a bin kept its booleans (the result an object
column of True beside 1.0)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def flags() -> pd.Series:
    return pd.Series([True, False, True, True, False, False], index=pd.date_range("2024", periods=6, freq="5h"),
                     name="y")


@pytest.mark.parametrize("how", ["first", "last", "min", "max", "ohlc"])
@pytest.mark.parametrize("rule", ["3h", "h", "5h"])
def test_bool_series_with_empty_bins(backend, flags, how, rule):
    expected = getattr(flags.resample(rule), how)()
    got = getattr(gd.from_pandas(flags, npartitions=3, backend=backend).resample(rule), how)()
    assert_eq(got, expected, check_freq=False)
    computed = to_host(got.compute())
    dtypes = [computed.dtype] if computed.ndim == 1 else list(computed.dtypes)
    assert all(d != np.dtype(object) for d in dtypes)


@pytest.mark.parametrize("how", ["first", "max", "ohlc"])
def test_bool_frame_column_with_empty_bins(backend, flags, how):
    pdf = flags.to_frame().assign(x=np.arange(6.0))
    expected = getattr(pdf.resample("3h"), how)()
    assert_eq(getattr(gd.from_pandas(pdf, npartitions=3, backend=backend).resample("3h"), how)(), expected,
              check_freq=False)
