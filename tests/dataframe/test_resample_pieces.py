"""``resample`` of bins that straddle partitions: ``sum``/``count``/``mean``/``min``/``max`` over fixed spans take
each partition's pieces one by one and combine the partial results (``backends.frame.resample.resample_pieces``);
other aggregations, calendar rules and cuDF concatenate the pieces first.  Either way pandas' answer, on every
backend; right-closed daily bins (``"1D"``, not a ``Tick`` in pandas 3) place their partitions' edges one
nanosecond past the bin's edge, and weekly bins end at the last row's week."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame import resample as bres
from gpuscale.dataframe.resample import ResamplePieces
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host

HOW = ["sum", "count", "mean", "min", "max"]


def _frame(rows: int, step: str, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"f": rng.normal(size=rows), "i": rng.integers(-5, 10, rows), "b": rng.random(rows) > 0.5,
                          "f32": rng.normal(size=rows).astype("float32")},
                         index=pd.date_range("2024-01-01 00:17", periods=rows, freq=step, name="t"))
    frame.loc[frame.index[::7], "f"] = np.nan
    return frame


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("rule", ["1h", "25min", "3h"])
@pytest.mark.parametrize("sides", [{}, {"closed": "right"}, {"label": "right"}, {"closed": "right", "label": "right"}])
def test_straddling_bins_match_pandas(backend, how, rule, sides):
    pdf = _frame(4000, "37s")
    df = gd.from_pandas(pdf, npartitions=7, backend=backend)
    columns = ["f", "f32"] if how in ("min", "max") else ["f", "i", "b"]
    assert_eq(getattr(df[columns].resample(rule, **sides), how)(), getattr(pdf[columns].resample(rule, **sides), how)())
    assert_eq(getattr(df.f.resample(rule, **sides), how)(), getattr(pdf.f.resample(rule, **sides), how)())


def test_piecewise_aggregations_skip_the_concatenation():
    df = gd.from_pandas(_frame(500, "37s"), npartitions=4)
    assert isinstance(df.f.resample("1h").mean().expr, ResamplePieces)
    assert not isinstance(df.f.resample("1h").median().expr, ResamplePieces)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 9), st.sampled_from(HOW), st.sampled_from(["7min", "1h", "90min"]), st.integers(0, 10**6))
def test_any_partitioning_matches_pandas(npartitions, how, rule, seed):
    pdf = _frame(900, "41s", seed)
    df = gd.from_pandas(pdf, npartitions=npartitions)
    assert_eq(getattr(df.f.resample(rule), how)(), getattr(pdf.f.resample(rule), how)())


@pytest.mark.parametrize("rule", ["1D", "2D", "W", "W-WED", "ME"])
@pytest.mark.parametrize("sides", [{"closed": "right"}, {"closed": "right", "label": "right"}, {}, {"label": "left"}])
def test_calendar_and_right_closed_bins(backend, rule, sides):
    """Right-closed daily bins (1D/2D, not a ``Tick`` in pandas 3) and weeks (right-closed, right-labelled by
    default): the last partition's labels reach the bin of the last row (the week's label was one week
    short: "Index is not contained within new index", as dask raises)."""
    pdf = _frame(3000, "7h")
    df = gd.from_pandas(pdf, npartitions=7, backend=backend)
    assert_eq(df.f.resample(rule, **sides).sum(), pdf.f.resample(rule, **sides).sum())
    assert_eq(df[["f", "i"]].resample(rule, **sides).first(), pdf[["f", "i"]].resample(rule, **sides).first())


def test_partial_results_keep_pandas_dtypes():
    pieces = [_frame(30, "7min").iloc[:10], _frame(30, "7min").iloc[10:]]
    start, end = pieces[0].index[0].floor("1h"), pieces[1].index[-1].ceil("1h")
    for how in HOW:
        frame = pd.concat(pieces)[["f32"] if how in ("min", "max") else ["f", "i", "b"]]
        out = bres.resample_pieces([p[frame.columns] for p in pieces], frame.iloc[:0], start, end, None, "1h", {},
                                   how, bres.FILL_VALUES.get(how, np.nan))
        assert_eq(out, getattr(frame.resample("1h"), how)())


@pytest.mark.parametrize("rule, kwargs", [("2D", {}), ("3D", {"closed": "right"}), ("7min", {"offset": "2min"}),
                                          ("5h", {"offset": "1h", "label": "right"}), ("90min", {"offset": "30min"})])
def test_rules_off_a_partition_day_grid_with_several_partitions(backend, rule, kwargs):
    """Multi-day rules (pandas 3's Day is no Tick) and ``offset=`` with a span not dividing a day: every
    partition bins on the collection's grid (each took its own first day's and raised "Index is not contained")."""
    times = pd.to_datetime(["2024-01-01 00:00", "2024-01-01 22:00", "2024-01-02 01:00", "2024-01-04 12:00",
                            "2024-01-05 00:00", "2024-01-07 03:00"])
    s = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=times)
    got = gd.from_pandas(s, npartitions=3, backend=backend).resample(rule, **kwargs).sum()
    pd.testing.assert_series_equal(to_host(got.compute()), s.resample(rule, **kwargs).sum(), check_freq=False)


@pytest.mark.parametrize("how", [lambda r: r.prod(), lambda r: r.agg("sum"), lambda r: r.agg("count"),
                                 lambda r: r.agg(["sum", "count"]), lambda r: r.agg("prod")],
                         ids=["prod", "agg-sum", "agg-count", "agg-list", "agg-prod"])
@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_empty_bins_between_partitions_hold_pandas_values(backend, how, dtype):
    """A bin without rows that no partition holds (a gap between partitions) has pandas' value: 1 for a product,
    0 for ``agg("sum")`` / ``agg("count")`` and a Series' list of them, integers kept (they were NaN)."""
    times = pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00", "2024-01-03 05:00", "2024-01-03 06:00"])
    s = pd.Series([2, 3, 4, 5], index=times).astype(dtype)
    got = how(gd.from_pandas(s, npartitions=2, backend=backend).resample("D"))
    expected = how(s.resample("D"))
    result = to_host(got.compute())
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(result, expected, check_freq=False)
    else:
        pd.testing.assert_frame_equal(result, expected, check_freq=False)


def test_resampler_quantile_takes_q(backend):
    """``Resampler.quantile(q, interpolation=)``, as pandas (it took no ``q``)."""
    s = pd.Series(np.arange(20.0), index=pd.date_range("2024-01-01", periods=20, freq="5h"))
    ds = gd.from_pandas(s, npartitions=3, backend=backend)
    for args, kwargs in (((), {}), ((0.3,), {}), ((0.9,), {"interpolation": "lower"})):
        pd.testing.assert_series_equal(to_host(ds.resample("D").quantile(*args, **kwargs).compute()),
                                       s.resample("D").quantile(*args, **kwargs), check_freq=False)
