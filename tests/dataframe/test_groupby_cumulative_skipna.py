"""groupby(...).cumsum/cumprod/cummax/cummin(skipna=False): a missing value makes the rest of its group missing,
as pandas (the keyword was refused with a TypeError)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _frame():
    return pd.DataFrame({"k": [1, 2, 1, 2, 1, 2, 1, np.nan, 2, 1],
                         "x": [1.0, np.nan, 2.0, 3.0, np.nan, 1.5, 4.0, np.nan, 2.0, 0.5],
                         "y": [3.0, 1.0, 2.0, 5.0, 1.0, np.nan, 0.5, 1.0, 2.0, 4.0], "z": range(10)})


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin"])
@pytest.mark.parametrize("skipna", [False, True])
@pytest.mark.parametrize("npartitions", [1, 3])
@pytest.mark.parametrize("dropna", [True, False])
def test_cumulative_skipna_as_pandas(how, skipna, npartitions, dropna):
    pdf = _frame()
    gdf = gd.from_pandas(pdf, npartitions=npartitions)
    expected = getattr(pdf.groupby("k", dropna=dropna).x, how)(skipna=skipna)
    got = getattr(gdf.groupby("k", dropna=dropna).x, how)(skipna=skipna)
    assert got.divisions == gdf.divisions
    tm.assert_series_equal(to_host(got.compute()), expected)
    expected = getattr(pdf.groupby("k", dropna=dropna), how)(skipna=skipna)
    tm.assert_frame_equal(to_host(getattr(gdf.groupby("k", dropna=dropna), how)(skipna=skipna).compute()), expected)
