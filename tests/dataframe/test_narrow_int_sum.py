"""Sums of 8/16-bit integer Series in a 32-bit accumulator (``reductions.narrow_int_sum``): pandas' value and
type (int64, uint64 for unsigned) wherever it applies, None (pandas' own sum) where a sum could overflow the
accumulator or the Series is not plain NumPy integers; and category codes summed through a collection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame.reductions import narrow_int_sum
from gpuscale.testing import assert_eq

NARROW = ["int8", "uint8", "int16", "uint16"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NARROW), st.data())
def test_same_value_and_type_as_pandas(dtype, data):
    info = np.iinfo(dtype)
    values = data.draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=0, max_size=80))
    s = pd.Series(np.array(values, dtype=dtype))
    out, expected = narrow_int_sum(s), s.sum()
    assert out is not None
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize("dtype", NARROW)
def test_longest_series_at_the_extremes(dtype):
    # the longest Series whose every sum fits the accumulator, all at the smallest and at the largest value
    info = np.iinfo(dtype)
    limit = 2**31 - 1 if info.min < 0 else 2**32 - 1
    n = limit // max(abs(int(info.min)), int(info.max))
    for fill in (info.min, info.max):
        s = pd.Series(np.full(n, fill, dtype=dtype))
        assert narrow_int_sum(s) == s.sum()
        assert narrow_int_sum(pd.Series(np.full(n + 1, fill, dtype=dtype))) is None  # could overflow: pandas'


def test_other_series_take_pandas_path():
    assert narrow_int_sum(pd.Series([1, 2], dtype="int32")) is None
    assert narrow_int_sum(pd.Series([1, 2], dtype="int64")) is None
    assert narrow_int_sum(pd.Series([1, None], dtype="Int8")) is None
    assert narrow_int_sum(pd.Series([True, False])) is None
    assert narrow_int_sum(pd.Series([1.0, 2.0])) is None
    assert narrow_int_sum(pd.DataFrame({"a": np.array([1, 2], dtype="int8")})) is None


def test_category_codes_sum_matches_pandas():
    rng = np.random.default_rng(3)
    names = np.array([f"n{i}" for i in range(30)], dtype=object)
    pdf = pd.DataFrame({"c": names[rng.integers(0, 30, 3000)], "x": rng.normal(size=3000)})
    pdf.loc[[5, 700, 2999], "c"] = None  # code -1
    pdf["c"] = pdf.c.astype(pd.CategoricalDtype(list(names)))
    df = gd.from_pandas(pdf, npartitions=5)
    assert_eq(df.c.cat.codes.sum(), pdf.c.cat.codes.sum())
    small = pdf.assign(u=rng.integers(0, 255, 3000).astype("uint8"), i=rng.integers(-300, 300, 3000).astype("int16"))
    sdf = gd.from_pandas(small, npartitions=4)
    assert_eq(sdf.u.sum(), small.u.sum())
    assert_eq(sdf.i.sum(), small.i.sum())
    assert_eq(sdf[["u", "i", "x"]].sum(), small[["u", "i", "x"]].sum())
