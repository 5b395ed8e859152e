"""``to_datetime`` of numbers: julian dates build (the metadata's sample lies within julian bounds), and the
metadata's resolution is the one the partitions compute."""

from __future__ import annotations

import pandas as pd
import pytest
from frame_helpers import to_host

import gpuscale.dataframe as gd


@pytest.mark.parametrize("values,dtype", [([2460000.5, 2459000.0], "float64"), ([2460000.0, 2459000.0], "float64"),
                                          ([2460000, 2459000, 2458000], "int64")])
def test_julian_dates_match_pandas(values, dtype):
    s = pd.Series(values, dtype=dtype)
    expected = pd.to_datetime(s, unit="D", origin="julian")
    result = gd.to_datetime(gd.from_pandas(s, npartitions=2), unit="D", origin="julian")
    computed = to_host(result.compute())
    assert computed.tolist() == expected.tolist()
    assert result.dtype == computed.dtype == expected.dtype


@pytest.mark.parametrize("kwargs", [{}, {"unit": "s"}, {"unit": "ms"}, {"unit": "D"}])
@pytest.mark.parametrize("dtype", ["int64", "float64"])
def test_numbers_metadata_resolution_is_the_computed_one(kwargs, dtype):
    big = 1700000000 if kwargs.get("unit") in (None, "s", "ms") else 19000
    # (floats are taken to have fractions, as the metadata cannot tell: pandas gives them nanoseconds)
    s = pd.Series([0, big, 3] if dtype == "int64" else [0.5, big + 0.25, 3.0], dtype=dtype)
    expected = pd.to_datetime(s, **kwargs)
    result = gd.to_datetime(gd.from_pandas(s, npartitions=2), **kwargs)
    computed = to_host(result.compute())
    assert computed.tolist() == expected.tolist()
    assert result.dtype == computed.dtype == expected.dtype


def test_to_timedelta_numbers_metadata_is_the_computed_one():
    for dtype, unit in [("int64", None), ("int64", "s"), ("float64", "s")]:
        s = pd.Series([1, 2, 3] if dtype == "int64" else [1.5, 2.0, 3.25], dtype=dtype)
        kwargs = {"unit": unit} if unit else {}
        result = gd.to_timedelta(gd.from_pandas(s, npartitions=2), **kwargs)
        computed = to_host(result.compute())
        assert computed.tolist() == pd.to_timedelta(s, **kwargs).tolist()
        assert result.dtype == computed.dtype, (dtype, unit)
