"""Sums of float64 Series with missing values skipped (``reductions.plain_float_sum``): pandas' answer (NaN as
0, ``inf - inf`` NaN, all-NaN 0.0) without pandas' copy of the column, block by block where a NaN is met; and
through collections: ``sum``/``mean`` of columns with gaps."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame import reductions
from gpuscale.backends.frame.reductions import plain_float_sum
from gpuscale.testing import assert_eq

_SPECIAL = st.sampled_from([np.nan, np.nan, np.inf, -np.inf, 0.0])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), _SPECIAL), max_size=60), st.integers(1, 8))
def test_same_as_pandas_at_any_block_size(values, block):
    s = pd.Series(np.array(values, dtype=np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pandas' own for inf - inf
        expected = s.sum()
    saved = reductions._SUM_BLOCK
    reductions._SUM_BLOCK = block  # blocks of a few values: NaN at a block's edges, blocks without NaN
    try:
        out = plain_float_sum(s)
    finally:
        reductions._SUM_BLOCK = saved
    assert type(out) is type(expected)
    assert out == pytest.approx(expected, rel=1e-12, abs=1e-9, nan_ok=True)


@pytest.mark.parametrize("rows", [65_535, 65_536, 65_537, 300_001])
@pytest.mark.parametrize("missing", [0.0, 1e-4, 0.3, 1.0])
def test_long_series_around_the_block_size(rows, missing):
    rng = np.random.default_rng(rows)
    values = rng.normal(size=rows) * 1e3
    values[rng.random(rows) < missing] = np.nan
    s = pd.Series(values)
    assert plain_float_sum(s) == pytest.approx(s.sum(), rel=1e-12, abs=1e-9)


def test_other_objects_take_pandas_path():
    assert plain_float_sum(pd.Series([1.0, None], dtype="Float64")) is None
    assert plain_float_sum(pd.Series([1, 2])) is None
    assert plain_float_sum(pd.Series([1.0, 2.0], dtype="float32")) is None
    assert plain_float_sum(pd.DataFrame({"a": [1.0]})) is None


def test_sum_and_mean_of_columns_with_gaps_match_pandas():
    rng = np.random.default_rng(5)
    pdf = pd.DataFrame({"x": rng.normal(size=5000), "y": rng.normal(size=5000)})
    pdf.loc[rng.random(5000) < 0.1, "x"] = np.nan
    pdf.loc[:1499, "y"] = np.nan  # the first partitions all missing
    df = gd.from_pandas(pdf, npartitions=7)
    for col in "xy":
        assert_eq(df[col].sum(), pdf[col].sum())
        assert_eq(df[col].mean(), pdf[col].mean())
    assert_eq(df.sum(), pdf.sum())
    assert_eq(df.mean(), pdf.mean())
