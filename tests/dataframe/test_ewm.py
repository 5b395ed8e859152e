"""``ewm()`` beyond the means and sums of ``test_expanding.py``: the recursive (``adjust=False``) variances,
covariances and correlations, and long runs of missing values, against pandas on the whole frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

@pytest.fixture
def numeric(pdf):
    out = pdf[["x", "y"]].copy()
    out.loc[100:140, "x"] = np.nan  # a partition with no valid value
    out["big"] = out["x"] + 1e7  # far from zero: the moments must keep their digits
    return out


@pytest.mark.parametrize("kwargs", [{"alpha": 0.9}, {"alpha": 0.9, "adjust": False}, {"com": 0.5, "min_periods": 3}])
@pytest.mark.parametrize("npartitions", [1, 2, 4])
def test_mean_and_sum_keep_the_last_value_over_long_missing_runs(backend, kwargs, npartitions):
    """Weights decayed to 0 over hundreds of missing rows: pandas still shows the last mean there."""
    s = pd.Series([1.0, 2.0] + [np.nan] * 400 + [3.0, 4.0] + [np.nan] * 700 + [5.0])
    gs = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    tm.assert_series_equal(to_host(gs.ewm(**kwargs).mean().compute()), s.ewm(**kwargs).mean(), rtol=1e-9)
    if kwargs.get("adjust", True):
        tm.assert_series_equal(to_host(gs.ewm(**kwargs).sum().compute()), s.ewm(**kwargs).sum(), rtol=1e-9)


@pytest.mark.parametrize("how", ["var", "std"])
@pytest.mark.parametrize("kwargs", [{"alpha": 0.3}, {"span": 5, "min_periods": 4}, {"com": 2.0, "bias": True},
                                    {"alpha": 1.0}, {"alpha": 1.0, "bias": True}])
def test_recursive_var_std_as_pandas(numeric, backend, how, kwargs):
    kwargs = dict(kwargs)
    bias = {"bias": kwargs.pop("bias")} if "bias" in kwargs else {}
    df = gd.from_pandas(numeric, npartitions=6, backend=backend)
    got = getattr(df.ewm(adjust=False, **kwargs), how)(**bias)
    assert got.divisions == df.divisions
    expected = getattr(numeric.ewm(adjust=False, **kwargs), how)(**bias)
    tm.assert_frame_equal(to_host(got.compute()), expected, rtol=1e-6)


@pytest.mark.parametrize("how", ["cov", "corr"])
@pytest.mark.parametrize("min_periods", [0, 10])
def test_recursive_cov_corr_as_pandas(numeric, backend, how, min_periods):
    df = gd.from_pandas(numeric, npartitions=7, backend=backend)
    ewm, expected = df.ewm(alpha=0.2, adjust=False, min_periods=min_periods), numeric.ewm(
        alpha=0.2, adjust=False, min_periods=min_periods)
    # a Series with another (pairs of valid values only), a frame's columns with a Series, every pair
    tm.assert_series_equal(to_host(getattr(df.x.ewm(alpha=0.2, adjust=False, min_periods=min_periods), how)(
        df.y).compute()), getattr(numeric.x.ewm(alpha=0.2, adjust=False, min_periods=min_periods), how)(numeric.y),
        rtol=1e-6)
    tm.assert_frame_equal(to_host(getattr(ewm, how)(df.y).compute()), getattr(expected, how)(numeric.y), rtol=1e-6)
    tm.assert_frame_equal(to_host(getattr(ewm, how)().compute()), getattr(expected, how)(), rtol=1e-6)


def test_recursive_cov_bias(numeric):
    df = gd.from_pandas(numeric, npartitions=5, backend="pandas")
    tm.assert_series_equal(df.x.ewm(span=9, adjust=False).cov(df.big, bias=True).compute(),
                           numeric.x.ewm(span=9, adjust=False).cov(numeric.big, bias=True), rtol=1e-6)


@pytest.mark.parametrize("alpha", [0.5, 0.9])
@pytest.mark.parametrize("npartitions", [1, 3])
def test_recursive_var_over_many_gaps(alpha, npartitions):
    """Every other row missing: the weights behind the values shrink past float64's range within a partition,
    which is then finished in row blocks."""
    rng = np.random.default_rng(3)
    s = pd.Series(np.where(np.arange(6000) % 2 == 0, rng.normal(size=6000), np.nan))
    gs = gd.from_pandas(s, npartitions=npartitions, backend="pandas")
    for bias in (False, True):
        tm.assert_series_equal(gs.ewm(alpha=alpha, adjust=False).var(bias=bias).compute(),
                               s.ewm(alpha=alpha, adjust=False).var(bias=bias), rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.tuples(st.one_of(st.none(), st.integers(-50, 50)), st.one_of(st.none(), st.integers(-9, 9))),
                       min_size=1, max_size=30),
       npartitions=st.integers(1, 6), alpha=st.floats(0.05, 0.7), min_periods=st.integers(0, 3))
def test_recursive_moments_any_split(values, npartitions, alpha, min_periods):
    # (alpha near 1 after a gap leaves the values before a weight near 1e-15: both pandas' corrected variance
    # and these are then rounding noise; alpha=1 itself is exact, in test_recursive_var_std_as_pandas)
    pdf = pd.DataFrame([[np.nan if v is None else float(v) for v in row] for row in values], columns=["a", "b"])
    df = gd.from_pandas(pdf, npartitions=npartitions, backend="pandas")
    got, expected = (f.ewm(alpha=alpha, adjust=False, min_periods=min_periods) for f in (df, pdf))
    # one value so far has no corrected variance: NaN (pandas' rounding of its decayed weights sometimes gives
    # 0.0 there after missing rows)
    tm.assert_frame_equal(got.var().compute(), expected.var().where(pdf.notna().cumsum() >= 2), rtol=1e-6,
                          atol=1e-6)
    tm.assert_frame_equal(got.std(bias=True).compute(), expected.std(bias=True), rtol=1e-6, atol=1e-6)
    pairs = (pdf.a.notna() & pdf.b.notna()).cumsum()
    tm.assert_series_equal(df.a.ewm(alpha=alpha, adjust=False, min_periods=min_periods).cov(df.b).compute(),
                           pdf.a.ewm(alpha=alpha, adjust=False, min_periods=min_periods).cov(pdf.b).where(pairs >= 2),
                           rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("mask", [lambda d: (d.x < 2) | (d.x > 5), lambda d: d.x < 5, lambda d: d.x > 3])
def test_recursive_moments_over_empty_partitions(backend, mask):
    """A partition of no rows hands the state on (it raised IndexError); a Series keeps its name in every
    partition of the recursive mean (the carried lead value was unnamed)."""
    pdf = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": [2.0, 1, 4, 3, 6, 5]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got, expected = df[mask(df)], pdf[mask(pdf)]
    for how in ("mean", "var", "std"):
        result = getattr(got.x.ewm(alpha=0.5, adjust=False), how)()
        tm.assert_series_equal(to_host(result.compute()), getattr(expected.x.ewm(alpha=0.5, adjust=False), how)())
    tm.assert_frame_equal(to_host(got.ewm(alpha=0.5, adjust=False).cov().compute()),
                          expected.ewm(alpha=0.5, adjust=False).cov())


@pytest.mark.parametrize("adjust", [True, False])
@pytest.mark.parametrize("divisions", ["known", "unknown"])
def test_ignore_na_as_pandas(numeric, backend, adjust, divisions):
    """``ignore_na=True``: weights age only at valid values; missing rows show the last result (a partition of
    no valid value, rows 100-140, hands it on)."""
    df = gd.from_pandas(numeric, npartitions=4, backend=backend)
    df = df if divisions == "known" else df.clear_divisions()
    kw = {"com": 1.5, "adjust": adjust, "ignore_na": True, "min_periods": 2}
    got, expected = df.ewm(**kw), numeric.ewm(**kw)
    hows = ["mean", "var", "std"] + (["sum"] if adjust else [])
    for how in hows:
        tm.assert_frame_equal(to_host(getattr(got, how)().compute()), getattr(expected, how)(), rtol=1e-6)
    tm.assert_series_equal(to_host(df.x.ewm(**kw).std(bias=True).compute()),
                           numeric.x.ewm(**kw).std(bias=True), rtol=1e-6)
    for how in ("cov", "corr"):
        tm.assert_series_equal(to_host(getattr(df.x.ewm(**kw), how)(df.y).compute()),
                               getattr(numeric.x.ewm(**kw), how)(numeric.y), rtol=1e-6)
        tm.assert_frame_equal(to_host(getattr(df.ewm(**kw), how)(df.y).compute()),
                              getattr(numeric.ewm(**kw), how)(numeric.y), rtol=1e-6)
    tm.assert_frame_equal(to_host(df.ewm(**kw).agg(["mean", "std"]).compute()),
                          numeric.ewm(**kw).agg(["mean", "std"]), rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.tuples(st.one_of(st.none(), st.integers(-50, 50)), st.one_of(st.none(), st.integers(-9, 9))),
                       max_size=30),
       npartitions=st.integers(1, 6), alpha=st.floats(0.05, 0.95), min_periods=st.integers(0, 3),
       adjust=st.booleans())
def test_ignore_na_any_split(values, npartitions, alpha, min_periods, adjust):
    pdf = pd.DataFrame([[np.nan if v is None else float(v) for v in row] for row in values], columns=["a", "b"],
                       dtype="float64")
    df = gd.from_pandas(pdf, npartitions=npartitions, backend="pandas")
    kw = {"alpha": alpha, "adjust": adjust, "ignore_na": True, "min_periods": min_periods}
    tm.assert_frame_equal(df.ewm(**kw).mean().compute(), pdf.ewm(**kw).mean(), rtol=1e-8, atol=1e-8)
    tm.assert_frame_equal(df.ewm(**kw).var(bias=True).compute(), pdf.ewm(**kw).var(bias=True), rtol=1e-6,
                          atol=1e-6)
    tm.assert_series_equal(df.a.ewm(**kw).cov(df.b).compute(), pdf.a.ewm(**kw).cov(pdf.b), rtol=1e-6, atol=1e-6)
