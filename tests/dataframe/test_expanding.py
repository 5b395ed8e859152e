"""``expanding()`` and ``ewm()`` (scans over the partitions) against pandas on the whole frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

METHODS = ["count", "sum", "mean", "min", "max", "var", "std"]


@pytest.fixture
def numeric(pdf):
    out = pdf[["x", "y"]].copy()
    out.loc[100:140, "x"] = np.nan  # a partition with no valid value
    out["big"] = out["x"] + 1e7  # far from zero: variances must stay accurate
    return out


@pytest.mark.parametrize("how", METHODS)
@pytest.mark.parametrize("min_periods", [0, 1, 5])
def test_expanding_frame(numeric, backend, how, min_periods):
    df = gd.from_pandas(numeric, npartitions=7, backend=backend)
    got = to_host(getattr(df.expanding(min_periods=min_periods), how)().compute())
    tm.assert_frame_equal(got, getattr(numeric.expanding(min_periods=min_periods), how)(), rtol=1e-7)


@pytest.mark.parametrize("how", ["mean", "std"])
def test_expanding_series_keeps_divisions(numeric, backend, how):
    s = gd.from_pandas(numeric.x, npartitions=5, backend=backend)
    out = getattr(s.expanding(), how)()
    assert out.divisions == s.divisions
    tm.assert_series_equal(to_host(out.compute()), getattr(numeric.x.expanding(), how)(), rtol=1e-9)


@pytest.mark.parametrize("kwargs", [{"alpha": 0.3}, {"span": 5, "adjust": False}, {"com": 2.0, "min_periods": 4},
                                    {"halflife": 7, "adjust": False, "min_periods": 2}, {"alpha": 1.0}])
def test_ewm_mean(numeric, backend, kwargs):
    df = gd.from_pandas(numeric, npartitions=6, backend=backend)
    # cuDF's ewm is its own scan: on an H200 its means differed from pandas' by up to 5e-8 relative (the
    # weights computed in another order), so pandas' bit-level agreement is asked of pandas partitions only
    rtol = 1e-6 if backend == "cudf" else 1e-9
    tm.assert_frame_equal(to_host(df.ewm(**kwargs).mean().compute()), numeric.ewm(**kwargs).mean(), rtol=rtol)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e3, 1e3)), min_size=1, max_size=30),
       npartitions=st.integers(1, 6), alpha=st.floats(0.05, 1.0), adjust=st.booleans())
@example(values=[1.0, None, 0.0, None], npartitions=4, alpha=0.5, adjust=False)  # a gap before a partition
@example(values=[1.0, None, 0.0, None], npartitions=4, alpha=0.3, adjust=False)
def test_ewm_and_expanding_any_split(values, npartitions, alpha, adjust):
    s = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    gs = gd.from_pandas(s, npartitions=npartitions, backend="pandas")
    tm.assert_series_equal(gs.ewm(alpha=alpha, adjust=adjust).mean().compute(),
                           s.ewm(alpha=alpha, adjust=adjust).mean(), rtol=1e-8, atol=1e-8)
    tm.assert_series_equal(gs.expanding().var().compute(), s.expanding().var(), rtol=1e-6, atol=1e-6)


def test_refusals_name_the_alternative(numeric, backend):
    df = gd.from_pandas(numeric, npartitions=2, backend=backend)
    with pytest.raises(NotImplementedError, match="other="):
        df.ewm(alpha=0.5, ignore_na=True).cov()
    with pytest.raises(ValueError, match="exactly one"):
        df.ewm(alpha=0.5, span=3)
    with pytest.raises(ValueError, match="times is not None"):  # (pandas' error)
        df.ewm(halflife="1h")
    with pytest.raises(NotImplementedError, match="lazily"):
        df.ewm(halflife="1h", times=np.arange(3))
    with pytest.raises(TypeError, match="numeric"):
        gd.from_pandas(pd.DataFrame({"s": ["a", "b"]}), npartitions=1, backend=backend).expanding().sum()


@pytest.mark.parametrize("how", ["sum", "var", "std"])
@pytest.mark.parametrize("kwargs", [{"alpha": 0.3}, {"span": 5, "min_periods": 4}, {"halflife": 7},
                                    {"com": 2.0, "bias": True}])
def test_ewm_sum_var_std(numeric, backend, how, kwargs):
    kwargs = dict(kwargs)
    bias = {"bias": kwargs.pop("bias")} if "bias" in kwargs and how != "sum" else {}
    kwargs.pop("bias", None)
    df = gd.from_pandas(numeric, npartitions=6, backend=backend)
    got = getattr(df.ewm(**kwargs), how)(**bias)
    assert got.divisions == df.divisions
    # the "big" column sits 1e7 from zero: sums about each partition's first value keep its variance's digits
    tm.assert_frame_equal(to_host(got.compute()), getattr(numeric.ewm(**kwargs), how)(**bias), rtol=1e-6)
    assert list(to_host(got["x"].compute()).index[:3]) == list(numeric.index[:3])


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-50, 50)), min_size=1, max_size=30),
       npartitions=st.integers(1, 6), alpha=st.floats(0.05, 0.7), min_periods=st.integers(0, 3))
def test_ewm_moments_any_split(values, npartitions, alpha, min_periods):
    s = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    gs = gd.from_pandas(s, npartitions=npartitions, backend="pandas").ewm(alpha=alpha, min_periods=min_periods)
    expected = s.ewm(alpha=alpha, min_periods=min_periods)
    tm.assert_series_equal(gs.sum().compute(), expected.sum(), rtol=1e-8, atol=1e-8)
    # (pandas' own online update and these sums round differently where old weights have decayed to ~0)
    # one value so far has no variance: NaN (pandas' own rounding sometimes gives 0.0 there, after missing rows)
    seen = s.notna().cumsum()
    tm.assert_series_equal(gs.var().compute(), expected.var().where(seen >= 2), rtol=1e-4, atol=1e-6)
    tm.assert_series_equal(gs.std(bias=True).compute(), expected.std(bias=True), rtol=1e-4, atol=1e-6)


def test_ewm_sum_refuses_adjust_false(numeric):
    with pytest.raises(NotImplementedError, match="adjust=False"):  # (pandas' refusal, in its words)
        gd.from_pandas(numeric, npartitions=2, backend="pandas").ewm(alpha=0.5, adjust=False).sum()


@needs_pandas_3("pandas 2.2's expanding sem divides the std by sqrt(count - ddof), pandas 3's by sqrt(count)")
def test_expanding_sem_and_agg_as_pandas(backend):
    """pandas' Expanding.sem and agg of names (dask has no expanding)."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"a": rng.normal(size=30), "b": rng.integers(0, 5, 30).astype(float)})
    pdf.iloc[3, 0] = np.nan
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.expanding(2).sem(), pdf.expanding(2).sem())
    assert_eq(df.a.expanding().sem(ddof=0), pdf.a.expanding().sem(ddof=0))
    assert_eq(df.a.expanding().agg(["sum", "std"]), pdf.a.expanding().agg(["sum", "std"]))
    assert_eq(df.expanding().agg(["mean", "max"]), pdf.expanding().agg(["mean", "max"]))
    assert_eq(df.expanding().aggregate("count"), pdf.expanding().aggregate("count"))
    with pytest.raises(NotImplementedError, match="expanding agg"):
        df.expanding().agg(["quantile"])
    assert_eq(df.expanding().agg(["median", "max"]), pdf.expanding().agg(["median", "max"]))
    assert_eq(df.expanding(3).agg(["skew", "kurt"]), pdf.expanding(3).agg(["skew", "kurt"]))


@needs_pandas_3("pandas 2.2's online window moments lose digits far from zero and give 0, not NaN, for equal values")
@pytest.mark.parametrize("how", ["skew", "kurt"])
@pytest.mark.parametrize("min_periods", [1, 6])
def test_expanding_skew_kurt_as_pandas(numeric, backend, how, min_periods):
    """Central moments carried from partition to partition: the 'big' column (1e7 from zero) keeps its digits,
    and a partition without a valid value passes the carry on."""
    numeric = numeric.assign(flat=2.0, whole=(numeric["y"] * 10).round())  # all equal: pandas gives NaN
    df = gd.from_pandas(numeric, npartitions=7, backend=backend)
    got = getattr(df.expanding(min_periods=min_periods), how)()
    assert got.divisions == df.divisions
    tm.assert_frame_equal(to_host(got.compute()), getattr(numeric.expanding(min_periods=min_periods), how)(),
                          rtol=1e-6)


@needs_pandas_3("pandas 2.2's online window moments lose digits far from zero and give 0, not NaN, for equal values")
@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-20, 20)), min_size=1, max_size=30),
       npartitions=st.integers(1, 6))
def test_expanding_moments_any_split(values, npartitions):
    s = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    gs = gd.from_pandas(s, npartitions=npartitions, backend="pandas")
    tm.assert_series_equal(gs.expanding().skew().compute(), s.expanding().skew(), rtol=1e-6, atol=1e-8)
    tm.assert_series_equal(gs.expanding().kurt().compute(), s.expanding().kurt(), rtol=1e-6, atol=1e-8)
    other = s.iloc[::-1].reset_index(drop=True)
    go = gd.from_pandas(other, npartitions=max(npartitions - 1, 1), backend="pandas")
    tm.assert_series_equal(gs.expanding().cov(go).compute(), s.expanding().cov(other), rtol=1e-6, atol=1e-8)


@needs_pandas_3("pandas 2.2's online window moments lose digits far from zero and give 0, not NaN, for equal values")
@pytest.mark.parametrize("how", ["cov", "corr"])
@pytest.mark.parametrize("min_periods", [1, 10])
def test_expanding_cov_corr_as_pandas(numeric, backend, how, min_periods):
    """Pairs over the rows where both columns hold a value (x has a partition of none)."""
    df = gd.from_pandas(numeric, npartitions=7, backend=backend)
    window, expected = df.expanding(min_periods), numeric.expanding(min_periods)
    pairwise = getattr(window, how)()
    tm.assert_frame_equal(to_host(pairwise.compute()), getattr(expected, how)(), rtol=1e-6)
    tm.assert_series_equal(to_host(getattr(df.x.expanding(min_periods), how)(df.big).compute()),
                           getattr(numeric.x.expanding(min_periods), how)(numeric.big), rtol=1e-6)
    tm.assert_series_equal(to_host(getattr(df.y.expanding(min_periods), how)(ddof=0).compute()),
                           getattr(numeric.y.expanding(min_periods), how)(ddof=0), rtol=1e-6)
    tm.assert_frame_equal(to_host(getattr(window, how)(df.y).compute()), getattr(expected, how)(numeric.y),
                          rtol=1e-6)
    with pytest.raises(NotImplementedError, match="lazy Series"):
        getattr(window, how)(df)


def test_expanding_moments_name_the_column_of_the_wrong_dtype(backend):
    df = gd.from_pandas(pd.DataFrame({"a": [1.0, 2.0], "s": ["u", "v"]}), npartitions=1, backend=backend)
    with pytest.raises(TypeError, match="'s'"):
        df.expanding().skew().compute()
    with pytest.raises(TypeError, match="'s'"):
        df.expanding().cov().compute()


_HISTORY = {
    "median": lambda e: e.median(),
    "quantile": lambda e: e.quantile(0.3, interpolation="nearest"),
    "rank": lambda e: e.rank(method="min", ascending=False, pct=True),
    "nunique": lambda e: e.nunique(),
    "first": lambda e: e.first(),
    "last": lambda e: e.last(),
    "apply": lambda e: e.apply(lambda w: float(len(w)) + w.sum()),
    "apply raw": lambda e: e.apply(lambda w, k: w[-1] * k, raw=True, args=(3,)),
}


_PANDAS_3_ONLY = {"nunique", "first", "last"}  # (pandas 2.2's Expanding has none of them)


@pytest.mark.parametrize("case", [pytest.param(c, marks=needs_pandas_3("pandas 2.2's Expanding has no " + c))
                                  if c in _PANDAS_3_ONLY else c for c in _HISTORY])
@pytest.mark.parametrize("min_periods", [1, 4])
def test_expanding_with_every_earlier_value(numeric, backend, case, min_periods):
    """Each partition's windows also hold the rows before it (x has a partition of none)."""
    numeric = numeric.iloc[:90].assign(y=lambda d: (d.y * 3).round())  # repeated values: ties and distinct counts
    df = gd.from_pandas(numeric, npartitions=6, backend=backend)
    got = _HISTORY[case](df.expanding(min_periods))
    assert got.divisions == df.divisions
    tm.assert_frame_equal(to_host(got.compute()), _HISTORY[case](numeric.expanding(min_periods)))
    tm.assert_series_equal(to_host(_HISTORY[case](df.y.expanding(min_periods)).compute()),
                           _HISTORY[case](numeric.y.expanding(min_periods)))


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=1, max_size=25),
       npartitions=st.integers(1, 6))
def test_expanding_history_any_split(values, npartitions):
    s = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    gs = gd.from_pandas(s, npartitions=npartitions, backend="pandas")
    tm.assert_series_equal(gs.expanding().median().compute(), s.expanding().median())
    tm.assert_series_equal(gs.expanding(2).rank().compute(), s.expanding(2).rank())


def test_ewm_agg_as_pandas(numeric):
    df = gd.from_pandas(numeric, npartitions=4, backend="pandas")
    tm.assert_frame_equal(df.ewm(span=5).agg(["mean", "std"]).compute(), numeric.ewm(span=5).agg(["mean", "std"]),
                          rtol=1e-6)
    tm.assert_frame_equal(df.x.ewm(alpha=0.2).aggregate(["sum", "var"]).compute(),
                          numeric.x.ewm(alpha=0.2).aggregate(["sum", "var"]), rtol=1e-6)
    tm.assert_frame_equal(df.ewm(com=2).agg("mean").compute(), numeric.ewm(com=2).agg("mean"), rtol=1e-9)
    with pytest.raises(NotImplementedError, match="ewm agg"):
        df.ewm(span=5).agg(["median"])



@pytest.fixture
def timed():
    rng = np.random.default_rng(0)
    n = 80
    times = pd.DatetimeIndex(np.sort(pd.Timestamp("2024-01-01").value + rng.integers(0, 40 * 86_400 * 10**9, n)))
    out = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 9, n).astype("float64"), "t": times},
                       index=times)
    out.iloc[[3, 4, 20, 21, 22], 0] = np.nan
    out.iloc[30:45, 0] = np.nan  # a partition without a value: time still passes
    return out


@pytest.mark.parametrize("halflife", ["6h", "1D", "30min"])
@pytest.mark.parametrize("min_periods", [0, 4])
def test_ewm_with_times_as_pandas(timed, backend, halflife, min_periods):
    """Weights halve every ``halflife`` of time, across partitions (30min: ~2,000 half-lives, several blocks)."""
    df = gd.from_pandas(timed, npartitions=6, backend=backend)
    got = df[["a", "b"]].ewm(halflife=halflife, times=df.index, min_periods=min_periods).mean()
    assert got.divisions == df.divisions
    expected = timed[["a", "b"]].ewm(halflife=halflife, times=timed.index, min_periods=min_periods).mean()
    tm.assert_frame_equal(to_host(got.compute()), expected, rtol=1e-9)
    tm.assert_series_equal(to_host(df.a.ewm(halflife=halflife, times=df.t).mean().compute()),
                           timed.a.ewm(halflife=halflife, times=timed.t).mean(), rtol=1e-9)


def test_ewm_with_times_refusals(timed):
    df = gd.from_pandas(timed, npartitions=3, backend="pandas")
    window = df.a.ewm(halflife="1D", times=df.index)
    for how in ("sum", "var", "std"):
        with pytest.raises(NotImplementedError, match=f"{how} is not implemented with times"):
            getattr(window, how)()
    with pytest.raises(ValueError, match="timedelta"):
        df.a.ewm(halflife=2.0, times=df.index)
    with pytest.raises(ValueError, match="only halflife"):
        df.a.ewm(span=3, times=df.index)
    backwards = gd.from_pandas(timed.iloc[::-1], npartitions=2, sort=False, backend="pandas")
    with pytest.raises(ValueError, match="must not decrease"):
        backwards.a.ewm(halflife="1D", times=backwards.t).mean().compute()


@pytest.mark.parametrize("how", ["cov", "corr"])
@pytest.mark.parametrize("kwargs", [{"alpha": 0.3}, {"span": 5, "min_periods": 4}, {"com": 2.0}])
def test_ewm_cov_corr_as_pandas(numeric, backend, how, kwargs):
    """Pairs over the rows where both columns hold a value, carried as decayed co-moments about each partition's
    first pair (the 'big' column, 1e7 from zero, keeps its digits); x has a partition of none."""
    df = gd.from_pandas(numeric, npartitions=6, backend=backend)
    window, expected = df.ewm(**kwargs), numeric.ewm(**kwargs)
    tm.assert_frame_equal(to_host(getattr(window, how)().compute()), getattr(expected, how)(), rtol=1e-6,
                          atol=1e-9)
    tm.assert_series_equal(to_host(getattr(df.x.ewm(**kwargs), how)(df.big).compute()),
                           getattr(numeric.x.ewm(**kwargs), how)(numeric.big), rtol=1e-6, atol=1e-9)
    tm.assert_frame_equal(to_host(getattr(window, how)(df.y).compute()), getattr(expected, how)(numeric.y),
                          rtol=1e-6, atol=1e-9)
    if how == "cov":
        tm.assert_series_equal(to_host(df.y.ewm(**kwargs).cov(bias=True).compute()),
                               numeric.y.ewm(**kwargs).cov(bias=True), rtol=1e-6, atol=1e-9)
