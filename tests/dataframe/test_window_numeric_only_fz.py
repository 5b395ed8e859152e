"""``expanding()`` / ``ewm()`` aggregations with ``numeric_only=``, against pandas."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def mixed():
    return pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0, 2.0, np.nan, 7.0, 8.0], "i": np.arange(8),
                         "ts": pd.date_range("2024", periods=8, freq="h"),
                         "b": [True, False] * 4, "s": list("abcdefgh")})


_PANDAS_3_ONLY = needs_pandas_3("Expanding has no nunique/first/last, and its sem divides by sqrt(count - 1)")


@pytest.mark.parametrize("how", ["count", "sum", "mean", "min", "max", "var", "std", "skew", "kurt", "median",
                                 *(pytest.param(how, marks=_PANDAS_3_ONLY) for how in ("sem", "nunique", "first",
                                                                                       "last"))])
def test_expanding_numeric_only(backend, mixed, how):
    df = gd.from_pandas(mixed, npartitions=3, backend=backend)
    got = getattr(df.expanding(), how)(numeric_only=True)
    tm.assert_frame_equal(to_host(got.compute()), getattr(mixed.expanding(), how)(numeric_only=True), rtol=1e-9)
    numeric = mixed[["a", "i"]]
    got = getattr(gd.from_pandas(numeric, npartitions=3, backend=backend).expanding(), how)(numeric_only=False)
    tm.assert_frame_equal(to_host(got.compute()), getattr(numeric.expanding(), how)(numeric_only=False), rtol=1e-9)


def test_expanding_numeric_only_quantile_rank_cov(backend, mixed):
    df = gd.from_pandas(mixed, npartitions=3, backend=backend)
    tm.assert_frame_equal(to_host(df.expanding().quantile(0.3, numeric_only=True).compute()),
                          mixed.expanding().quantile(0.3, numeric_only=True))
    tm.assert_frame_equal(to_host(df.expanding().rank(numeric_only=True).compute()),
                          mixed.expanding().rank(numeric_only=True))
    for how in ("cov", "corr"):
        tm.assert_frame_equal(to_host(getattr(df.expanding(), how)(numeric_only=True).compute()),
                              getattr(mixed.expanding(), how)(numeric_only=True), rtol=1e-9)


@pytest.mark.parametrize("adjust", [True, False])
@pytest.mark.parametrize("how", ["mean", "sum", "var", "std", "cov", "corr"])
def test_ewm_numeric_only(backend, mixed, how, adjust):
    if how == "sum" and not adjust:
        return
    df = gd.from_pandas(mixed, npartitions=3, backend=backend)
    got = getattr(df.ewm(span=2, adjust=adjust), how)(numeric_only=True)
    expected = getattr(mixed.ewm(span=2, adjust=adjust), how)(numeric_only=True)
    tm.assert_frame_equal(to_host(got.compute()), expected, rtol=1e-9)


def test_numeric_only_of_a_text_series_is_refused_as_pandas(backend, mixed):
    df = gd.from_pandas(mixed, npartitions=2, backend=backend)
    with pytest.raises(NotImplementedError, match="does not implement numeric_only"):
        df.s.expanding().mean(numeric_only=True)
    with pytest.raises(NotImplementedError, match="does not implement numeric_only"):
        df.s.ewm(span=2).mean(numeric_only=True)
    tm.assert_series_equal(to_host(df.a.expanding().mean(numeric_only=True).compute()),
                           mixed.a.expanding().mean(numeric_only=True))
