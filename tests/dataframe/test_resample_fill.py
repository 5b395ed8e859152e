"""Resampler ``ffill``/``bfill``/``nearest`` (pandas' upsampling; dask has none) and ``apply``, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import PANDAS_3, needs_pandas_3
from tests.dataframe.frame_helpers import to_host


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
    if rule == "1D" and not PANDAS_3:
        pytest.skip("pandas 2.2's daily bins across a clock change have no frequency")
    index = pd.date_range(start, periods=60, freq="97min", tz="Europe/Berlin")
    pdf = pd.DataFrame({"x": np.random.default_rng(0).normal(size=60)}, index=index)
    df = gd.from_pandas(pdf, npartitions=4, backend="cpu")
    assert_eq(getattr(df.resample(rule), how)(), getattr(pdf.resample(rule), how)())


_INTERPOLATIONS = {
    "linear, upsampling": lambda m: m.resample("20min").interpolate(),
    "time-weighted": lambda m: m.x.resample("45min").interpolate(method="time"),
    "downsampling": lambda m: m.resample("6h").interpolate(),
    "with a limit": lambda m: m.resample("7min").interpolate(limit=3),
    "inside only, both directions": lambda m: m.resample("2h").interpolate(limit_direction="both", limit_area="inside"),
}


@needs_pandas_3("pandas 2.2 interpolates the bin labels alone, without the rows at other times")
@pytest.mark.parametrize("case", list(_INTERPOLATIONS))
def test_resample_interpolate_as_pandas(pdf, backend, case):
    """pandas 3 interpolates over the bin labels and the rows at other times together: a label takes the rows
    around it, also those in other partitions and before missing values."""
    pdf = pdf.astype("float64")
    pdf.iloc[10:14, 0] = np.nan  # rows without a value: the label's neighbours are further back
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    got = _INTERPOLATIONS[case](df)
    assert got.known_divisions
    # (cuDF's DatetimeIndex has no frequency)
    assert_eq(got, _INTERPOLATIONS[case](pdf), check_freq=backend == "pandas")


def test_resample_interpolate_refuses_inplace(pdf):
    with pytest.raises(ValueError, match="inplace"):
        gd.from_pandas(pdf, npartitions=2, backend="pandas").resample("1h").interpolate(inplace=True)


@needs_pandas_3("pandas 2.2 interpolates the bin labels alone, without the rows at other times")
@settings(max_examples=25, deadline=None)
@given(minutes=st.lists(st.integers(0, 600), min_size=1, max_size=25, unique=True),
       npartitions=st.integers(1, 5), rule=st.sampled_from(["7min", "30min", "2h"]),
       missing=st.lists(st.integers(0, 24), max_size=6))
def test_resample_interpolate_any_split(minutes, npartitions, rule, missing):
    index = pd.Timestamp("2024-03-01") + pd.to_timedelta(sorted(minutes), unit="min")
    s = pd.Series(np.arange(len(index), dtype="float64") ** 1.5, index=index)
    s.iloc[[m for m in missing if m < len(s)]] = np.nan
    got = gd.from_pandas(s, npartitions=npartitions, backend="pandas").resample(rule).interpolate()
    assert_eq(got, s.resample(rule).interpolate())


@pytest.mark.parametrize("rule", ["7h", "1D", "90min"])
@pytest.mark.parametrize("func", ["mean", "sum", "max"])
def test_resample_transform_as_pandas(pdf, backend, rule, func):
    """Every bin lies in one partition (cut at bin edges, on the whole collection's grid): each row gets its
    bin's value, rows and index kept."""
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    got = df.resample(rule).transform(func)
    assert got.known_divisions
    assert_eq(got, pdf.resample(rule).transform(func))
    assert_eq(df.x.resample(rule).transform(func), pdf.x.resample(rule).transform(func))


def test_resample_transform_of_a_function(pdf):
    df = gd.from_pandas(pdf, npartitions=4, backend="pandas")
    assert_eq(df.x.resample("5h").transform(lambda v: v - v.mean()), pdf.x.resample("5h").transform(
        lambda v: v - v.mean()))


@pytest.mark.parametrize("kwargs", [{"label": "right"}, {"closed": "right"}, {"closed": "right", "label": "left"},
                                    {"origin": "end"}], ids=str)
@pytest.mark.parametrize("how", ["ffill", "bfill", "nearest", "asfreq", pytest.param(
    "interpolate", marks=needs_pandas_3("pandas 2.2 interpolates the bin labels alone, without the rows at other "
                                        "times"))])
def test_upsampling_on_the_closed_edges(backend, kwargs, how):
    """pandas' upsampling methods put rows at the bins' left edges, right edges with ``closed="right"``, whatever
    ``label`` says (``label="right"`` lost the first row; ``closed="right"`` started a bin early)."""
    s = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.date_range("2024-03-14 22:00", periods=4, freq="h"))
    for npartitions in (1, 2):
        got = getattr(gd.from_pandas(s, npartitions=npartitions, backend=backend).resample("2h", **kwargs), how)()
        pd.testing.assert_series_equal(to_host(got.compute()), getattr(s.resample("2h", **kwargs), how)(),
                                       check_freq=False)
