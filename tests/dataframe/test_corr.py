"""``corr`` / ``cov`` of DataFrames and Series against pandas and dask.dataframe (pairwise missing values)."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf():
    rng = np.random.default_rng(8)
    n = 120
    x = rng.normal(size=n) + 1e6  # far from zero: merged moments must not cancel
    x[::7] = np.nan
    z = rng.normal(size=n) * 3 + x * 1e-6
    z[::5] = np.nan
    return pd.DataFrame({"x": x, "y": rng.integers(0, 10, n), "z": z, "s": rng.choice(["a", "b"], n)})


@pytest.mark.parametrize("how", ["corr", "cov"])
def test_frame_corr_cov_match_pandas_and_dask(pdf, backend, how):
    num = pdf[["x", "y", "z"]]
    df = gd.from_pandas(num, npartitions=7, backend=backend)
    assert_eq(getattr(df, how)(), getattr(num, how)(), rtol=1e-9)
    assert_eq(getattr(df, how)(split_every=2), getattr(num, how)(), rtol=1e-9)
    assert_eq(getattr(df, how)(min_periods=95), getattr(num, how)(min_periods=95), rtol=1e-9)
    theirs = getattr(dd.from_pandas(num, npartitions=7), how)().compute()
    assert_eq(getattr(df, how)(), theirs, rtol=1e-6)


def test_numeric_only_and_errors(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.corr(numeric_only=True), pdf.corr(numeric_only=True), rtol=1e-9)
    full = pdf.dropna()  # (pandas ignores ddof for frames with missing values; gpuscale does not)
    assert_eq(gd.from_pandas(full, npartitions=3, backend=backend).cov(numeric_only=True, ddof=0),
              full.cov(numeric_only=True, ddof=0), rtol=1e-9)
    with pytest.raises(ValueError, match="numeric_only"):
        df.corr()
    with pytest.raises(NotImplementedError, match="Pearson"):
        df.corr(method="spearman")


def test_series_corr_cov(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    assert df.x.corr(df.z).compute() == pytest.approx(pdf.x.corr(pdf.z), rel=1e-9)
    assert df.x.cov(df.y).compute() == pytest.approx(pdf.x.cov(pdf.y), rel=1e-9)
    assert df.x.cov(df.y, ddof=0).compute() == pytest.approx(pdf.x.cov(pdf.y, ddof=0), rel=1e-9)
    theirs = dd.from_pandas(pdf, npartitions=5)
    assert df.x.corr(df.z).compute() == pytest.approx(theirs.x.corr(theirs.z).compute(), rel=1e-6)
    other = gd.from_pandas(pdf.z, npartitions=3, backend=backend)  # other divisions: aligned first
    assert df.x.corr(other).compute() == pytest.approx(pdf.x.corr(pdf.z), rel=1e-9)
    with pytest.raises(TypeError, match="Series"):
        df.x.corr(pdf.z)


# (values of at least 1e-100 where not 0: squares of smaller ones underflow, where pandas gives NaN and a merge of
# partial moments another rounding)
_VALUES = st.floats(-1e3, 1e3).filter(lambda v: v == 0 or abs(v) >= 1e-100)


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(*[st.one_of(st.just(np.nan), _VALUES)] * 3), min_size=1, max_size=30),
       nparts=st.integers(1, 6))
def test_pairwise_missing_values_and_tiny_partitions(rows, nparts):
    p = pd.DataFrame(rows, columns=["a", "b", "c"], dtype="float64")
    d = gd.from_pandas(p, npartitions=nparts)
    assert_eq(d.cov(), p.cov(), rtol=1e-6, atol=1e-6)
    assert_eq(d.corr(), p.corr(), rtol=1e-6, atol=1e-6)


def test_a_constant_column_has_no_correlation(backend):
    # 0.2 three times: its mean is 0.2 plus rounding, which must not leave it a variance (pandas: NaN)
    p = pd.DataFrame({"a": [np.nan] * 3, "b": [1.0, 2.0, 4.0], "c": [0.2, 0.2, 0.2]})
    for nparts in (1, 2, 3):
        d = gd.from_pandas(p, npartitions=nparts, backend=backend)
        assert_eq(d.corr(), p.corr())


def test_corrwith_a_series_and_a_frame(pdf, backend):
    other = pd.DataFrame({"x": pdf.z * 2 + 1, "q": pdf.y * 1.0, "z": -pdf.x}, index=pdf.index)
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    dother = gd.from_pandas(other, npartitions=3, backend=backend)
    assert_eq(df.corrwith(dother.x, numeric_only=True), pdf.corrwith(other.x, numeric_only=True))
    assert_eq(df.corrwith(other.x, numeric_only=True), pdf.corrwith(other.x, numeric_only=True))  # a pandas Series
    assert_eq(df.corrwith(dother, numeric_only=True), pdf.corrwith(other, numeric_only=True))
    assert_eq(df.corrwith(dother, drop=True, numeric_only=True), pdf.corrwith(other, drop=True, numeric_only=True))
    with pytest.raises(ValueError, match="not numeric"):
        df.corrwith(dother.x)
    with pytest.raises(NotImplementedError, match="axis=0"):
        df.corrwith(dother, axis=1)
