"""Pairwise statistics of windows (``cov`` / ``corr`` of rolling, expanding and ewm windows), constant prefixes of
``expanding()`` moments, and frames with repeated column labels, against pandas on the whole frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import needs_pandas_3


def _constant_runs(seed: int) -> pd.DataFrame:
    """Random values with constant runs (also of missing values) that cross partition boundaries."""
    rng = np.random.default_rng(seed)
    n = 40
    a, b = rng.normal(size=n).round(2), rng.integers(0, 4, n).astype("float64")
    a[:9] = 0.1  # constant over the first partitions
    b[3:7] = np.nan
    a[20:30] = -0.37
    b[25:33] = 0.7
    return pd.DataFrame({"a": a, "b": b})


@needs_pandas_3("pandas 2.2's expanding corr of a constant stretch is +-inf")
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_expanding_moments_of_constant_prefixes(backend, seed, npartitions):
    # a column constant so far has no correlation (pandas' NaN, not +-inf or |r| > 1) and a variance of exactly 0
    pdf = _constant_runs(seed)
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    tm.assert_frame_equal(to_host(df.expanding().corr().compute()), pdf.expanding().corr(), rtol=1e-7)
    tm.assert_frame_equal(to_host(df.expanding().cov().compute()), pdf.expanding().cov(), rtol=1e-7, atol=1e-15)
    tm.assert_series_equal(to_host(df.a.expanding().corr(df.b).compute()), pdf.a.expanding().corr(pdf.b),
                           rtol=1e-7)
    for how in ("var", "std"):
        got = to_host(getattr(df.expanding(), how)().compute())
        expected = getattr(pdf.expanding(), how)()
        tm.assert_frame_equal(got, expected, rtol=1e-7)
        assert (got.a.iloc[1:9] == 0.0).all()  # exactly, not rounding left over


@needs_pandas_3("pandas 2.2's expanding corr of a constant stretch is +-inf")
def test_expanding_corr_of_the_fuzzed_case(backend):
    pdf = pd.DataFrame({"a": [-1.01, -0.37, -0.12, -0.65, -0.76, -0.78, -1.73],
                        "b": [0.1, 0.1, 0.1, 0.1, 0.1, 2.0, 0.7]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(df.a.expanding().corr(df.b).compute())
    tm.assert_series_equal(got, pdf.a.expanding().corr(pdf.b))
    assert got.iloc[:5].isna().all()
    assert (to_host(df.b.expanding().std().compute()).iloc[1:5] == 0.0).all()


@needs_pandas_3("pandas 2.2's expanding corr hides rows by ddof")
@pytest.mark.parametrize("ddof", [0, 2, 3])
def test_expanding_corr_does_not_depend_on_ddof(backend, ddof):
    # pandas' correlation is the same for any ddof; only min_periods hides rows
    pdf = pd.DataFrame({"a": [1.0, 3, 2, 5, 4], "b": [2.0, 1, 4, 3, 5]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    tm.assert_series_equal(to_host(df.a.expanding().corr(df.b, ddof=ddof).compute()),
                           pdf.a.expanding().corr(pdf.b, ddof=ddof))
    tm.assert_frame_equal(to_host(df.expanding().corr(ddof=ddof).compute()), pdf.expanding().corr(ddof=ddof))
    tm.assert_frame_equal(to_host(df.expanding().cov(ddof=ddof).compute()), pdf.expanding().cov(ddof=ddof))


def _pairwise_false_cases(backend):
    cases = [("expanding-cov", lambda d: d.expanding().cov(pairwise=False)),
             ("expanding-corr", lambda d: d.expanding(min_periods=2).corr(pairwise=False)),
             ("ewm-cov", lambda d: d.ewm(span=2).cov(pairwise=False)),
             ("ewm-corr-adjust-false", lambda d: d.ewm(span=3, adjust=False).corr(pairwise=False)),
             ("ewm-cov-ignore-na", lambda d: d.ewm(span=2, ignore_na=True).cov(pairwise=False))]
    if backend == "pandas":  # (cuDF's Rolling has no cov / corr)
        cases += [("rolling-cov", lambda d: d.rolling(3).cov(pairwise=False)),
                  ("rolling-corr", lambda d: d.rolling(3).corr(pairwise=False))]
    return cases


def test_pairwise_false_gives_each_column_with_itself(backend):
    pdf = pd.DataFrame({"a": [1.0, 2, 4, 3, np.nan, 5, 7], "b": [2.0, 1, 0, 3, 2, 8, 6]},
                       index=pd.Index(range(10, 17), name="r"))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for name, f in _pairwise_false_cases(backend):
        out = f(df)
        expected = f(pdf)
        assert out._meta.index.nlevels == 1, name
        tm.assert_frame_equal(to_host(out.compute()), expected, rtol=1e-9, obj=name)


def test_pairwise_results_keep_the_column_axis_name(backend):
    pdf = pd.DataFrame({"a": [1.0, 2, 4, 3, 6], "b": [2.0, 1, 0, 3, 1]},
                       index=pd.Index(range(5), name="r")).rename_axis("cols", axis=1)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    cases = [lambda d: d.expanding().cov(), lambda d: d.expanding().corr(), lambda d: d.ewm(span=2).corr(),
             lambda d: d.ewm(span=2, adjust=False).cov(), lambda d: d.ewm(span=2, ignore_na=True).corr(pairwise=False)]
    for f in cases:
        out, expected = f(df), f(pdf)
        assert list(out._meta.index.names) == list(expected.index.names)
        tm.assert_frame_equal(to_host(out.compute()), expected, rtol=1e-9)


@pytest.mark.parametrize("how", ["sum", "mean", "max", "count"])
def test_rolling_with_repeated_column_labels(backend, how):
    if backend != "pandas":
        skip_on_stand_in("cuDF's column labels are unique")
        pytest.skip("cuDF's column labels are unique")
    pdf = pd.DataFrame([[1, 2.0], [3, 4], [5, 6], [7, 9], [2, 1]], columns=["x", "x"])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    tm.assert_frame_equal(to_host(getattr(df.rolling(2), how)().compute()), getattr(pdf.rolling(2), how)())


@pytest.mark.parametrize("npartitions", [1, 2, 3, 7, 12])
@pytest.mark.parametrize("how", ["var", "std"])
def test_weighted_rolling_moments_do_not_depend_on_partitions(backend, npartitions, how):
    # pandas' weighted variance weighs row i of the whole frame by weights[i % window]: every partition must
    # run with rows before it from a position divisible by the window, or its results change with npartitions
    rng = np.random.default_rng(3)
    # (no constant windows: pandas' own rounding leftovers there, sqrt-ed by std, depend on the rows before)
    pdf = pd.DataFrame({"x": rng.integers(0, 5, 30) + rng.random(30), "y": rng.normal(size=30)})
    pdf.loc[[4, 11, 12], "y"] = np.nan
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for window, kwargs, options in [(3, {"std": 0.7}, {}), (4, {}, {"min_periods": 2}), (5, {"std": 2.0}, {})]:
        win_type = "triang" if not kwargs else "gaussian"
        got = getattr(df.rolling(window, win_type=win_type, **options), how)(**kwargs)
        expected = getattr(pdf.rolling(window, win_type=win_type, **options), how)(**kwargs)
        assert got.divisions == df.divisions
        tm.assert_frame_equal(to_host(got.compute()), expected, rtol=1e-9, atol=1e-12)
    got = df.y.rolling(3, win_type="gaussian").var(std=0.7, ddof=0)
    tm.assert_series_equal(to_host(got.compute()), pdf.y.rolling(3, win_type="gaussian").var(std=0.7, ddof=0),
                           rtol=1e-9, atol=1e-12)


def _grouped_windows():
    return [("rolling", lambda g: g.rolling(2).sum()), ("rolling-frame", lambda g: g.rolling(3, min_periods=1).mean()),
            ("expanding", lambda g: g.expanding().sum()), ("ewm", lambda g: g.ewm(span=2).mean())]


@pytest.mark.parametrize("sort", [True, False])
def test_grouped_windows_of_one_partition_are_pandas_row_order(backend, sort):
    pdf = pd.DataFrame({"k": [3, 1, 2, 0, 3, 1, 2, 0, 1], "x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9],
                        "y": [2.0, 1, 0, 4, 4, 2, 5, 1, 3]}, index=range(10, 19))
    df = gd.from_pandas(pdf, npartitions=1, backend=backend)
    for name, f in _grouped_windows():
        select = (lambda g: g.x) if name != "rolling-frame" else (lambda g: g[["x", "y"]])
        expected = f(select(pdf.groupby("k", sort=sort)))
        got = to_host(f(select(df.groupby("k", sort=sort))).compute())
        (tm.assert_series_equal if isinstance(expected, pd.Series) else tm.assert_frame_equal)(got, expected, obj=name)


def test_grouped_windows_order_each_partition_by_key(backend):
    rng = np.random.default_rng(5)
    pdf = pd.DataFrame({"k": rng.integers(0, 9, 60), "x": rng.normal(size=60)})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    for name, f in _grouped_windows():
        out = f(df.groupby("k").x)
        expected = f(pdf.groupby("k").x)
        seen = set()
        for i in range(out.npartitions):
            part = to_host(out.get_partition(i).compute())
            keys, rows = part.index.get_level_values(0), part.index.get_level_values(1)
            order = pd.DataFrame({"k": keys, "r": rows})
            assert order.equals(order.sort_values(["k", "r"])), name  # by key, then original position
            assert seen.isdisjoint(keys), name  # a group in one partition
            seen |= set(keys)
        tm.assert_series_equal(to_host(out.compute()).sort_index(), expected.sort_index(), obj=name)
