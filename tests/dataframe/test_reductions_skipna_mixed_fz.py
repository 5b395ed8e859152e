"""Reductions that disagreed with pandas (found by fuzzing): ``skew``/``kurt(axis=1, skipna=False)`` and
``median(axis=1, skipna=False)`` skipped missing values, ``mode`` of values that do not compare, object
minima/maxima/sums/idxmin with a missing value under ``skipna=False``, ``None`` for pandas' ``<NA>`` in
object-dtype results, ``nunique(axis=None)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("how", ["skew", "kurt", "median"])
@pytest.mark.parametrize("skipna", [True, False])
def test_row_moments_keep_skipna(backend, how, skipna):
    # the axis=1 branch dropped skipna: a row with a missing value got a number where pandas gives NaN
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [2.0, 1.0, 0.5], "c": [4.0, 2.0, 7.0],
                        "d": [8.0, 5.0, 1.0], "e": [3.0, 9.0, 2.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(getattr(df, how)(axis=1, skipna=skipna).compute())
    expected = getattr(pdf, how)(axis=1, skipna=skipna)
    pd.testing.assert_series_equal(got, expected)
