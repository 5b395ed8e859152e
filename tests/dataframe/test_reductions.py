"""Tree reductions against pandas, including empty partitions and NaNs (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq

REDUCTIONS = ["sum", "mean", "min", "max", "count", "std", "var", "prod"]


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=5, backend=backend)


@pytest.mark.parametrize("how", REDUCTIONS)
def test_series_reductions(df, pdf, how):
    result = getattr(df.x, how)()
    assert isinstance(result, gd.Scalar)
    assert result.compute() == pytest.approx(getattr(pdf.x, how)(), rel=1e-9, nan_ok=True)


@pytest.mark.parametrize("how", REDUCTIONS)
def test_frame_reductions(df, pdf, how):
    cols = ["k", "x", "y"]
    assert_eq(getattr(df[cols], how)(), getattr(pdf[cols], how)(), rtol=1e-9)


def test_string_min_max_and_numeric_only(df, pdf):
    assert df.s.min().compute() == pdf.s.min()
    assert df.s.max().compute() == pdf.s.max()
    assert_eq(df.sum(numeric_only=True), pdf.sum(numeric_only=True))
    assert_eq(df.mean(numeric_only=True), pdf.mean(numeric_only=True))


def test_any_all_size_ddof(df, pdf):
    assert bool((df.x > 2).any().compute()) == bool((pdf.x > 2).any())
    assert bool((df.k >= 0).all().compute()) == bool((pdf.k >= 0).all())
    assert df.size.compute() == pdf.size
    for got, expected in [(df.size, pdf.size), (df.x.size, pdf.x.size), (df[df.x > 1e9].size, 0)]:
        assert type(got.compute()) is type(expected) is int  # a Python int, as pandas (was numpy.int64)
    assert df.x.std(ddof=0).compute() == pytest.approx(pdf.x.std(ddof=0))


@pytest.mark.parametrize("split_every", [2, 3, 16])
def test_split_every_levels(pdf, split_every):
    df = gd.from_pandas(pdf, npartitions=11)
    assert df.y.sum(split_every=split_every).compute() == pdf.y.sum()
    assert df.x.mean(split_every=split_every).compute() == pytest.approx(pdf.x.mean())


def test_all_partitions_empty():
    pdf = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    df = gd.from_pandas(pdf, npartitions=3)
    empty = df[df.a > 10]
    assert empty.a.sum().compute() == 0
    assert np.isnan(empty.a.mean().compute())
    assert empty.a.count().compute() == 0


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan)), min_size=1, max_size=40),
       npartitions=st.integers(1, 6))
def test_reductions_match_pandas_with_nans_and_empty_partitions(values, npartitions):
    s = pd.Series(values, dtype="float64")
    ds = gd.from_pandas(s, npartitions=npartitions)
    for how in ("sum", "mean", "min", "max", "count", "var"):
        expected = getattr(s, how)()
        got = getattr(ds, how)().compute()
        assert got == pytest.approx(expected, rel=1e-6, abs=1e-6, nan_ok=True), how
    assert len(ds[ds > 0]) == int((s > 0).sum())


@pytest.mark.parametrize("how", REDUCTIONS)
def test_frame_reductions_of_one_partition_are_series(pdf, backend, how):
    # a single partial once came back from the side-by-side concat as the Series itself and was reduced
    # again to one number: df.sum() of a one-partition frame gave a scalar
    cols = ["k", "x", "y"]
    result = getattr(gd.from_pandas(pdf[cols], npartitions=1, backend=backend), how)()
    assert isinstance(result, gd.Series)
    assert_eq(result, getattr(pdf[cols], how)(), rtol=1e-9)


@pytest.mark.parametrize("how", ["mean", "std", "var", "sem", "sum", "min"])
@pytest.mark.parametrize("dtype", ["float32", "Float32"])
def test_float32_scalar_results_are_float32(backend, how, dtype):
    """A float32 Series' mean/std/var/sem is pandas' float32 scalar (it was a float64: ``fillna(s.mean())`` then
    widened the column)."""
    s = pd.Series([1.0, 2.0, 4.0, None, 0.1], dtype=dtype)
    got = getattr(gd.from_pandas(s, npartitions=2, backend=backend), how)().compute()
    expected = getattr(s, how)()
    assert type(got) is type(expected) and np.isclose(got, expected, rtol=1e-6)
