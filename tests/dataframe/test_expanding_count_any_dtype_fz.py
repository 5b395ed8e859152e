"""``expanding().count()`` of non-numeric columns, against pandas."""

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


@pytest.mark.parametrize("npartitions", [1, 3])
def test_expanding_count_of_any_column(backend, mixed, npartitions):
    frame = mixed.copy()
    frame.loc[2, "ts"] = pd.NaT
    df = gd.from_pandas(frame, npartitions=npartitions, backend=backend)
    columns = ["ts", "a"] if backend == "cudf" else ["ts", "a", "s", "b"]
    tm.assert_frame_equal(to_host(df[columns].expanding(min_periods=2).count().compute()),
                          frame[columns].expanding(min_periods=2).count())
    tm.assert_series_equal(to_host(df.ts.expanding().count().compute()), frame.ts.expanding().count())
