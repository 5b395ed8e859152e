"""Exact quantiles and medians, modes, skew, kurtosis, sem and product against pandas and dask.dataframe."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import PANDAS_3, needs_pandas_3
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    rng = np.random.default_rng(11)
    n = 157
    x = rng.normal(size=n) * 1e3
    x[::9] = np.nan
    return pd.DataFrame({"x": x, "y": rng.integers(-20, 20, n), "z": rng.integers(0, 4, n).astype("float64"),
                         "s": rng.choice(["a", "b", "c"], n)})


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=6, backend=backend)


@pytest.mark.parametrize("q", [0.0, 0.07, 0.25, 0.5, 0.9, 0.999, 1.0])
def test_series_quantile_is_exact(df, pdf, q):
    # exact (not a sketch): equal to pandas' to the last bits (pandas 2.2 interpolates in another order)
    assert df.x.quantile(q).compute() == pytest.approx(pdf.x.quantile(q), rel=1e-14, abs=0)
    assert df.y.quantile(q).compute() == pytest.approx(pdf.y.quantile(q), rel=1e-14, abs=0)


def test_quantile_lists_and_frames_match_pandas(df, pdf):
    num = ["x", "y", "z"]
    assert_eq(df.x.quantile([0.1, 0.5, 0.75]), pdf.x.quantile([0.1, 0.5, 0.75]))
    assert_eq(df[num].quantile(0.3), pdf[num].quantile(0.3))
    assert_eq(df[num].quantile([0.2, 0.8]), pdf[num].quantile([0.2, 0.8]))
    assert_eq(df.quantile(0.4, numeric_only=True), pdf.quantile(0.4, numeric_only=True))
    with pytest.raises(TypeError, match="numeric_only"):
        df.quantile(0.5)
    with pytest.raises(ValueError, match="method"):
        df.x.quantile(0.5, method="exact")


@pytest.mark.parametrize("interpolation", ["lower", "higher", "midpoint", "nearest"])
def test_quantile_interpolation_as_pandas(df, pdf, interpolation):
    # lower/higher/nearest pick a value and keep its dtype; nearest rounds a tie to the even row, as NumPy
    num = ["x", "y", "z"]
    for q in [0.5, 0.1, 0.25, 0.75, 1.0]:
        assert_eq(df[num].quantile(q, interpolation=interpolation), pdf[num].quantile(q, interpolation=interpolation))
        assert_eq(df.y.quantile([q, 0.5], interpolation=interpolation),
                  pdf.y.quantile([q, 0.5], interpolation=interpolation))
        got = df.y.quantile(q, interpolation=interpolation).compute()
        expected = pdf.y.quantile(q, interpolation=interpolation)
        assert got == expected and type(got) is type(expected)
    assert_eq(df[["y"]].quantile([0.2, 0.6], interpolation=interpolation),
              pdf[["y"]].quantile([0.2, 0.6], interpolation=interpolation))
    assert_eq(df[num].quantile(0.5, axis=1, interpolation=interpolation),
              pdf[num].quantile(0.5, axis=1, interpolation=interpolation))
    ties = pd.Series(range(6))  # virtual rows 0.5, 1.5, 2.5, ... between partitions
    for q in [0.1, 0.3, 0.5, 0.7, 0.9]:
        got = gd.from_pandas(ties, npartitions=3).quantile(q, interpolation=interpolation).compute()
        assert got == ties.quantile(q, interpolation=interpolation)


def test_quantile_interpolation_of_times_and_a_bad_name():
    times = pd.Series(pd.date_range("2021-01-01", periods=7, freq="5h"))
    ds = gd.from_pandas(times, npartitions=3)
    for interpolation in ["lower", "higher", "nearest", "midpoint"]:
        assert ds.quantile(0.4, interpolation=interpolation).compute() == times.quantile(0.4, interpolation=interpolation)
    with pytest.raises(ValueError, match="interpolation must be one of"):
        ds.quantile(0.5, interpolation="cubic")


def test_median_matches_pandas_and_dask_where_dask_is_exact(df, pdf):
    num = ["x", "y", "z"]
    assert df.x.median().compute() == pdf.x.median()
    assert_eq(df[num].median(), pdf[num].median())
    assert_eq(df.median(numeric_only=True), pdf.median(numeric_only=True))
    assert df.y.median_approximate().compute() == pdf.y.median()
    one = dd.from_pandas(pdf[num], npartitions=1)  # dask is exact on one partition
    assert_eq(df[num].median(), one.median().compute())
    assert_eq(df[num].quantile([0.25, 0.75]), one.quantile([0.25, 0.75]).compute())
    assert df.x.quantile(0.9).compute() == pytest.approx(one.x.quantile(0.9).compute())
    assert_eq(df[num].median(axis=1), pdf[num].median(axis=1))


@pytest.mark.parametrize("dtype", ["float32", "float16", "Float32", "Int16", "float64"])
def test_median_keeps_a_narrow_float_dtype_as_pandas(dtype, backend):
    # pandas' median (not its quantile) of float32/float16 and Float32 stays in that precision
    s = pd.Series([1.5, 2.25, 7.0, None, 3.125, 0.1, 2.0, 5.5], dtype=dtype if dtype[0] != "I" else "float64")
    s = s.round(0).astype(dtype) if dtype[0] == "I" else s
    ds = gd.from_pandas(s, npartitions=3, backend=backend)
    got, expected = to_host(ds.median().compute()), s.median()
    assert got == expected and type(got) is type(expected)
    frame = pd.DataFrame({"a": s, "b": s[::-1].to_numpy()})
    assert_eq(gd.from_pandas(frame, npartitions=3, backend=backend).median(), frame.median())
    mixed = frame.assign(c=np.arange(len(frame)))  # with an int column: float64, as pandas
    assert_eq(gd.from_pandas(mixed, npartitions=2, backend=backend).median(), mixed.median())


@settings(max_examples=15, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-5, 5).map(float), st.floats(-1e9, 1e9), st.just(np.nan)),
                       min_size=1, max_size=40),
       qs=st.lists(st.floats(0, 1), min_size=1, max_size=4), nparts=st.integers(1, 7))
def test_quantiles_of_duplicates_nans_and_small_partitions(values, qs, nparts):
    s = pd.Series(values, dtype="float64")
    ds = gd.from_pandas(s, npartitions=nparts)
    got = ds.quantile(qs).compute()
    assert_eq(got, s.quantile(qs))
    expected = s.median()
    assert (np.isnan(expected) and np.isnan(ds.median().compute())) or ds.median().compute() == expected


def test_mode_matches_pandas_and_dask(df, pdf):
    assert_eq(df.z.mode(), pdf.z.mode())
    assert_eq(df.s.mode(), pdf.s.mode())
    assert_eq(df[["y", "z"]].mode(), pdf[["y", "z"]].mode())
    assert_eq(df.z.mode(), dd.from_pandas(pdf, npartitions=6).z.mode().compute())
    withnan = pd.Series([1.0, np.nan, np.nan, 2.0, np.nan])
    assert_eq(gd.from_pandas(withnan, npartitions=2).mode(dropna=False), withnan.mode(dropna=False))


@pytest.mark.parametrize("how", ["skew", "kurtosis"])
def test_moments_match_dask_and_with_bias_false_pandas(df, pdf, how):
    num = ["y", "z"]  # no missing values: dask's (scipy's) biased estimate
    theirs = getattr(dd.from_pandas(pdf[num], npartitions=6), how)().compute()
    assert_eq(getattr(df[num], how)(), theirs, rtol=1e-9)
    assert getattr(df.y, how)().compute() == pytest.approx(getattr(dd.from_pandas(pdf.y, npartitions=3), how)()
                                                           .compute(), rel=1e-9)
    pandas_how = "kurt" if how == "kurtosis" else how
    unbiased = getattr(df[["x", "y", "z"]], how)(bias=False, nan_policy="omit")
    assert_eq(unbiased, getattr(pdf[["x", "y", "z"]], pandas_how)(), rtol=1e-9)
    assert np.isnan(getattr(df.x, how)().compute())  # nan_policy="propagate", as dask


def test_kurtosis_fisher_false_and_the_kurt_alias(df, pdf):
    from scipy import stats

    y = pdf.y.to_numpy().astype("float64")
    assert df.y.kurtosis(fisher=False).compute() == pytest.approx(stats.kurtosis(y, fisher=False), rel=1e-9)
    assert df.y.kurt(bias=False).compute() == pytest.approx(pdf.y.kurt(), rel=1e-9)


def test_sem_matches_pandas_and_dask(df, pdf):
    num = ["x", "y", "z"]
    assert_eq(df[num].sem(), pdf[num].sem(), rtol=1e-9)
    assert df.x.sem(ddof=0).compute() == pytest.approx(pdf.x.sem(ddof=0), rel=1e-9)
    assert_eq(df[num].sem(), dd.from_pandas(pdf[num], npartitions=6).sem().compute(), rtol=1e-9)


@needs_pandas_3("the skew of a constant column is 0, pandas 3 and gpuscale give NaN")
def test_moments_of_constant_and_short_columns(backend):
    p = pd.DataFrame({"c": [2.0] * 7, "short": [1.0, 2.0, None, None, None, None, None]})
    d = gd.from_pandas(p, npartitions=3, backend=backend)
    assert_eq(d.skew(bias=False, nan_policy="omit"), p.skew())
    assert_eq(d.kurt(bias=False, nan_policy="omit"), p.kurt())
    assert np.isnan(d.c.skew().compute())  # scipy: a constant column has no skewness
    close = pd.Series([0.0] * 6 + [1e-20])
    assert gd.from_pandas(close, npartitions=3).skew(bias=False).compute() == pytest.approx(close.skew())


def test_product(df, pdf):
    small = pdf.z.head(12) + 1
    assert gd.from_pandas(small, npartitions=3).product().compute() == small.product()
    assert_eq(df[["z"]].product(), pdf[["z"]].product())


@pytest.mark.parametrize("case", ["cat_empty", "cat_allna", "cat", "times", "objects", "boolean", "floats"])
@pytest.mark.parametrize("dropna", [True, False])
def test_mode_as_pandas(backend, case, dropna):
    """``Series.mode``: a categorical's categories without rows are no modes (all were given for no values), NaT
    first among datetimes, objects stay objects, a nullable boolean with ``dropna=False`` (its metadata raised)."""
    values = {
        "cat_empty": pd.Series(pd.Categorical([], categories=["a", "b"])),
        "cat_allna": pd.Series(pd.Categorical([None, None], categories=["a", "b"])),
        "cat": pd.Series(pd.Categorical(["b", "a", "b", None], categories=["a", "b", "c"])),
        "times": pd.Series(pd.to_datetime(["2020-01-01", None, "2020-01-01", None])),
        "objects": pd.Series(["a", "b", "a", None], dtype=object),
        "boolean": pd.Series([True, False, True], dtype="boolean"),
        "floats": pd.Series([1.0, np.nan, 1.0, np.nan, 2.0]),
    }[case]
    if backend != "pandas" and case in ("objects", "cat_empty"):
        pytest.skip("cuDF holds no objects, nor categoricals without rows in two partitions")
    if case == "boolean" and not dropna and not PANDAS_3:
        pytest.skip("pandas 2.2's mode(dropna=False) of a nullable boolean raises (ValueError: not enough values "
                    "to unpack)")
    got = gd.from_pandas(values, npartitions=2, backend=backend).mode(dropna=dropna)
    pd.testing.assert_series_equal(to_host(got.compute()), values.mode(dropna=dropna))


@pytest.mark.parametrize("skipna", [True, False])
def test_skew_and_kurt_take_pandas_skipna(df, pdf, skipna):
    # pandas' keyword: pandas' bias-corrected estimates, missing values left out or propagated
    num = ["x", "y", "z"]
    assert_eq(df[num].skew(skipna=skipna), pdf[num].skew(skipna=skipna), rtol=1e-9)
    assert_eq(df[num].kurt(skipna=skipna), pdf[num].kurt(skipna=skipna), rtol=1e-9)
    got, expected = df.x.skew(skipna=skipna).compute(), pdf.x.skew(skipna=skipna)
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("how", ["skew", "kurt"])
def test_skew_and_kurt_keep_a_narrow_float_width_as_pandas(how, backend):
    values = [1.0, 2.0, 3.0, 4.5, 7.0, 1.0, 2.5]
    pdf = pd.DataFrame({"a": pd.Series(values, dtype="float32"), "b": pd.Series(values, dtype="float16"),
                        "c": pd.Series(values, dtype="Float32"), "f": values})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for column in ["a", "b", "c"]:
        got, expected = getattr(df[column], how)(bias=False).compute(), getattr(pdf[column], how)()
        assert type(got) is type(expected) and got == pytest.approx(expected, rel=1e-2)  # (float16: 3 digits)
    for columns in [["a"], ["a", "b"], ["a", "c"], ["a", "f"]]:
        got, expected = getattr(df[columns], how)(bias=False), getattr(pdf[columns], how)()
        assert got.dtype == expected.dtype
        assert_eq(got, expected, rtol=1e-2)


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-4, 4), st.sampled_from([np.inf, -np.inf, 0.5, 1e300, -1e-300])),
                       max_size=60),
       nparts=st.integers(1, 7), samples=st.sampled_from([2, 3, 16]),
       interpolation=st.sampled_from(["linear", "lower", "higher", "midpoint", "nearest"]))
def test_quantiles_selected_through_narrow_brackets_are_pandas(values, nparts, samples, interpolation):
    # with few samples per partition, the brackets around each rank hold many values, and repeated values
    # sit at their ends: every rank must still be picked exactly
    import gpuscale.backends.frame as frame_backend

    s = pd.Series(values, dtype="float64")
    qs = [0.0, 0.13, 0.5, 0.5001, 0.9, 1.0]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frame_backend, "samples_per_partition", lambda n: samples)
        ds = gd.from_pandas(s, npartitions=nparts, backend="cpu")
        got, median = ds.quantile(qs, interpolation=interpolation).compute(), ds.median().compute()
    pd.testing.assert_series_equal(got, s.quantile(qs, interpolation=interpolation), check_exact=True)
    assert (np.isnan(median) and np.isnan(s.median())) or median == s.median()


def test_quantile_tasks_grow_linearly_with_the_partitions(backend):
    values = pd.Series(np.random.default_rng(3).random(4000))
    s = gd.from_pandas(values, npartitions=200, backend=backend)
    x = s.quantile([0.1, 0.5])
    assert len(x.__dask_graph__()) <= 5 * 200 + 10  # no sort across partitions (a shuffle of 200 x 200 pieces)
    pd.testing.assert_series_equal(to_host(x.compute()), values.quantile([0.1, 0.5]))
