"""Rows picked by their position across all partitions: ``take`` and ``rolling(step=)``, as pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    rng = np.random.default_rng(3)
    return pd.DataFrame({"x": rng.normal(size=23), "y": rng.integers(0, 9, 23).astype("float64"),
                         "t": pd.date_range("2024-01-01", periods=23, freq="h")},
                        index=pd.Index(rng.permutation(23) + 100, name="k"))


@pytest.mark.parametrize("indices", [[0, 3, 22], [22, 0, 3, 3], [-1, -23, 5], [], [7, 7, 7]])
def test_take_rows_in_the_given_order(pdf, backend, indices):
    df = gd.from_pandas(pdf, npartitions=4, sort=False, backend=backend)
    tm.assert_frame_equal(to_host(df.take(indices).compute()), pdf.take(indices))
    tm.assert_series_equal(to_host(df.x.take(indices).compute()), pdf.x.take(indices))


def test_take_in_order_keeps_partitions_and_divisions(backend):
    s = pd.Series(np.arange(20.0), index=np.arange(20) * 2)
    ds = gd.from_pandas(s, npartitions=4, backend=backend)
    out = ds.take([1, 2, 11, 19])
    assert out.divisions == ds.divisions
    assert_eq(out, s.take([1, 2, 11, 19]))


def test_take_columns_and_errors(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    assert_eq(df.take([2, 0], axis=1), pdf.take([2, 0], axis=1))
    with pytest.raises(IndexError, match="out of bounds for 23 rows"):
        df.take([23])
    with pytest.raises(IndexError, match="out of bounds"):
        df.x.take([-24])
    with pytest.raises(IndexError, match="integers"):
        df.take([1.5])
    with pytest.raises(ValueError, match="only axis 0"):
        df.x.take([0], axis=1)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 30), npartitions=st.integers(1, 6), data=st.data())
def test_take_any_split(n, npartitions, data):
    s = pd.Series(np.arange(n) * 10, index=np.arange(n)[::-1])
    indices = data.draw(st.lists(st.integers(-n, n - 1), max_size=12))
    got = gd.from_pandas(s, npartitions=npartitions, sort=False, backend="pandas").take(indices).compute()
    tm.assert_series_equal(got, s.take(indices))


@pytest.mark.parametrize("step", [1, 2, 3, 7, 40, np.int64(2)])  # NumPy integers too (they were refused)
@pytest.mark.parametrize("kwargs", [{}, {"center": True}, {"min_periods": 1}])
def test_rolling_step_as_pandas(pdf, backend, step, kwargs):
    df = gd.from_pandas(pdf[["x", "y"]], npartitions=4, sort=False, backend=backend)
    out = df.rolling(3, step=step, **kwargs).sum()
    assert out.divisions == df.divisions
    tm.assert_frame_equal(to_host(out.compute()), pdf[["x", "y"]].rolling(3, step=step, **kwargs).sum())
    tm.assert_series_equal(to_host(df.rolling(4, step=step)["x"].mean().compute()),
                           pdf.rolling(4, step=step)["x"].mean())


def test_rolling_step_of_agg_and_on_column(pdf):
    df = gd.from_pandas(pdf, npartitions=4, sort=False, backend="pandas")
    assert_eq(df[["x", "y"]].rolling(2, step=3).agg(["sum", "max"]),
              pdf[["x", "y"]].rolling(2, step=3).agg(["sum", "max"]))
    ordered = pdf.sort_values("t")
    dft = gd.from_pandas(ordered, npartitions=3, sort=False, backend="pandas")
    assert_eq(dft.rolling(3, on="t", step=2).sum(), ordered.rolling(3, on="t", step=2).sum())


def test_rolling_step_refusals(pdf, backend):
    df = gd.from_pandas(pdf[["x", "y"]], npartitions=2, backend=backend)
    for bad in (0, -2):
        with pytest.raises(ValueError, match="1 or greater"):
            df.rolling(3, step=bad)
    with pytest.raises(ValueError, match="integer"):
        df.rolling(3, step=1.5)
    with pytest.raises(NotImplementedError, match="time windows"):
        gd.from_pandas(pdf.set_index("t"), npartitions=2, backend=backend).rolling("2h", step=2)
    with pytest.raises(NotImplementedError, match="step not implemented for cov"):
        df.rolling(3, step=2).cov()


@pytest.mark.parametrize("labels", [[30, 15, 15, 65], [5, 25], pd.Index([35, 25], name="w"), np.array([12, 60]), []])
def test_asof_of_many_labels_as_pandas(backend, labels):
    """A Series indexed by the labels; integers stay integers when every label has a value at or before it."""
    s = pd.Series([1, 2, 3, 4, 5, 6], index=[10, 20, 30, 40, 50, 60], name="v")
    f = pd.Series([1.0, np.nan, 3.0, np.nan, np.nan, 6.0], index=[10, 20, 30, 40, 50, 60])
    for series in (s, f):
        got = gd.from_pandas(series, npartitions=3, backend=backend).asof(labels)
        tm.assert_series_equal(to_host(got.compute()), series.asof(labels))


@pytest.mark.parametrize("subset", [None, ["a"], "b"])
def test_dataframe_asof_as_pandas(backend, subset):
    """The last row with a value in every column of ``subset`` at or before each label; one label: that row."""
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0, np.nan, 5.0, 6.0], "b": [4.0, 5.0, np.nan, 7.0, np.nan, 9.0],
                        "i": [1, 2, 3, 4, 5, 6]}, index=[10, 20, 30, 40, 50, 60])
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for where in ([25, 45, 65, 5], pd.Index([15, 55], name="w"), [35, 60]):
        tm.assert_frame_equal(to_host(df.asof(where, subset=subset).compute()), pdf.asof(where, subset=subset))
    for where in (25, 5, 60):
        tm.assert_series_equal(to_host(df.asof(where, subset=subset).compute()), pdf.asof(where, subset=subset))
