"""Resampler ``ffill``/``bfill``/``nearest`` (pandas' upsampling; dask has none) and ``apply``, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    minutes = np.unique(rng.integers(0, 72 * 60, 40))
    index = pd.Timestamp("2024-01-01") + pd.to_timedelta(minutes, unit="min")
    out = pd.DataFrame({"x": rng.normal(size=len(index)), "y": rng.integers(0, 9, len(index))}, index=index)
    out.iloc[5, 0] = np.nan  # a missing value is carried as it is, as pandas carries it
    return out


_CASES = {
    "ffill": lambda m: m.resample("30min").ffill(),
    "bfill": lambda m: m.resample("20min").bfill(),
    "nearest": lambda m: m.x.resample("1h").nearest(),
    "ffill with a limit": lambda m: m.resample("10min").ffill(limit=2),
    "ffill downsampling": lambda m: m.resample("6h").ffill(),
    "apply": lambda m: m.x.resample("6h").apply(lambda v: v.max() - v.min()),
    "agg of a function": lambda m: m.y.resample("4h").agg(lambda v: v.sum() * 2),
}


@pytest.mark.parametrize("case", list(_CASES))
def test_resample_fill_and_apply_as_pandas(pdf, backend, case):
    """Each partition gets the last row before it and the first after it (a two-way scan), so bin labels
    before a partition's first row take the earlier partition's value."""
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    assert_eq(_CASES[case](df), _CASES[case](pdf))


@settings(max_examples=30, deadline=None)
@given(minutes=st.sets(st.integers(0, 600), min_size=1, max_size=25), nparts=st.integers(1, 5),
       rule=st.sampled_from(["7min", "30min", "1h"]), how=st.sampled_from(["ffill", "bfill", "nearest"]))
def test_resample_fill_any_partitioning(minutes, nparts, rule, how):
    index = pd.Timestamp("2024-01-01") + pd.to_timedelta(sorted(minutes), unit="min")
    pdf = pd.Series(np.arange(len(index), dtype=float), index=index)
    df = gd.from_pandas(pdf, npartitions=min(nparts, len(index)), backend="cpu")
    assert_eq(getattr(df.resample(rule), how)(), getattr(pdf.resample(rule), how)())


def test_resample_ffill_keeps_integers(backend):
    """Every bin has a value: integer columns stay integers, as pandas (a bin before a partition's range, made by
    the row handed over from the partition before, widened them to float64)."""
    pdf = pd.DataFrame({"k": np.arange(400) % 6, "x": np.arange(400.0)},
                       index=pd.date_range("2021-01-01", periods=400, freq="37min"))
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    got = df.resample("20min").ffill()
    assert_eq(got, pdf.resample("20min").ffill())
    assert got.compute().k.dtype == np.int64


@pytest.mark.parametrize("start", ["2021-03-27", "2021-10-30", "2021-03-20"])
@pytest.mark.parametrize("rule, how", [("1h", "mean"), ("1h", "asfreq"), ("45min", "count"), ("1D", "sum"),
                                       ("1h", "ffill"), ("45min", "nearest")])
def test_resample_across_a_clock_change_as_pandas(start, rule, how):
    """A time-zone-aware index across a daylight-saving change (spring, autumn, none): pandas' bins (a fixed span
    in absolute time, a day a calendar day) and the labels' frequency (they had one bin too many in spring, and no
    frequency)."""
    index = pd.date_range(start, periods=60, freq="97min", tz="Europe/Berlin")
    pdf = pd.DataFrame({"x": np.random.default_rng(0).normal(size=60)}, index=index)
    df = gd.from_pandas(pdf, npartitions=4, backend="cpu")
    assert_eq(getattr(df.resample(rule), how)(), getattr(pdf.resample(rule), how)())
