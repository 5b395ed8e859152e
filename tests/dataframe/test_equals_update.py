"""pandas' equals and update of collections (dask has neither), on every partitioning."""

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
def pdf():
    return pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0, np.nan, 6.0, 7.0], "y": list("abcdefg"),
                         "z": [1, 2, 3, 4, 5, 6, 7]}, index=[10, 11, 12, 13, 14, 15, 16])


def test_equals_whatever_the_partitions(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert df.equals(gd.from_pandas(pdf, npartitions=3, backend=backend))
    assert df.equals(pdf) and df.x.equals(pdf.x.rename("other"))  # a Series' name does not count, as pandas
    shuffled = pdf.sample(frac=1, random_state=1)
    unknown = gd.from_pandas(shuffled, npartitions=3, sort=False, backend=backend)
    assert unknown.equals(gd.from_pandas(shuffled, npartitions=2, sort=False, backend=backend))
    assert not unknown.equals(df)  # the same rows in another order


@pytest.mark.parametrize("change", ["value", "missing", "label", "dtype", "columns", "rows", "kind"])
def test_equals_finds_each_difference(pdf, backend, change):
    other = {"value": lambda p: p.assign(z=p.z.where(p.z != 5, 50)),
             "missing": lambda p: p.assign(x=p.x.fillna(0.0)),
             "label": lambda p: p.rename(index={16: 17}),
             "dtype": lambda p: p.assign(z=p.z.astype("float64")),
             "columns": lambda p: p[["y", "x", "z"]],
             "rows": lambda p: p.iloc[:-1],
             "kind": lambda p: p.x}[change](pdf)
    assert pdf.equals(other) is False
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert df.equals(gd.from_pandas(other, npartitions=2, backend=backend)) is False
    assert df.equals(other) is False
    assert df.equals("not a frame") is False


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 20), a=st.integers(1, 5), b=st.integers(1, 5), flip=st.integers(-1, 19))
def test_equals_any_split(n, a, b, flip):
    s = pd.Series(np.arange(n, dtype="float64"), index=np.arange(n)[::-1])
    other = s.copy()
    if 0 <= flip < n:
        other.iloc[flip] = -1.0
    left = gd.from_pandas(s, npartitions=a, sort=False, backend="pandas")
    right = gd.from_pandas(other, npartitions=b, sort=False, backend="pandas")
    assert left.equals(right) == s.equals(other)


@pytest.mark.parametrize("kwargs", [{}, {"overwrite": False}, {"filter_func": lambda v: v > 3}])
def test_update_with_a_pandas_object(pdf, backend, kwargs):
    other = pd.DataFrame({"x": [np.nan, 20.0, 30.0, 99.0], "z": [100, 200, np.nan, 5]}, index=[10, 11, 16, 40])
    expected = pdf.copy()
    expected.update(other, **kwargs)
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    derived = df.x + 0.0
    assert df.update(other, **kwargs) is None
    tm.assert_frame_equal(to_host(df.compute()), expected)
    tm.assert_series_equal(to_host(derived.compute()), pdf.x)  # a new expression: what was built before stays


def test_update_with_a_collection_and_series(pdf, backend):
    other = pd.DataFrame({"x": [50.0, np.nan, 70.0]}, index=[11, 12, 15])
    expected = pdf.copy()
    expected.update(other)
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    df.update(gd.from_pandas(other, npartitions=2, backend=backend))
    tm.assert_frame_equal(to_host(df.compute()), expected)
    s = pdf.x.copy()
    s.update(pd.Series([8.0, np.nan], index=[14, 10]))
    ds = gd.from_pandas(pdf.x, npartitions=2, backend=backend)
    ds.update(gd.from_pandas(pd.Series([8.0, np.nan], index=[14, 10]), npartitions=1, backend=backend))
    tm.assert_series_equal(to_host(ds.compute()), s)


def test_update_errors(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(NotImplementedError, match="join='left'"):
        df.update(pdf, join="outer")
    with pytest.raises(TypeError, match="Series takes only other"):
        df.x.update(pdf.x, overwrite=False)
    with pytest.raises(TypeError, match="DataFrame or Series"):
        df.update([1, 2])
    df.update(pd.DataFrame({"x": [5.0]}, index=[10]), errors="raise")
    with pytest.raises(ValueError, match="Data overlaps"):
        df.compute()


@pytest.fixture
def changed(pdf):
    other = pdf.copy()
    other.loc[[11, 15], "z"] = [20, 60]
    other.loc[13, "x"] = np.nan
    other.loc[16, "y"] = "q"
    return other


@pytest.mark.parametrize("kwargs", [{}, {"keep_shape": True}, {"keep_equal": True}, {"align_axis": 0},
                                    {"keep_shape": True, "keep_equal": True, "align_axis": 0},
                                    {"result_names": ("left", "right")}])
def test_compare_as_pandas(pdf, changed, backend, kwargs):
    """The columns and rows holding a difference anywhere, with the dtypes pandas gives the whole result (z gets
    missing values only in rows where another column differs)."""
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    other = gd.from_pandas(changed, npartitions=2, backend=backend)
    tm.assert_frame_equal(to_host(df.compare(other, **kwargs).compute()), pdf.compare(changed, **kwargs))
    expected = pdf.z.compare(changed.z, **kwargs)
    got = to_host(df.z.compare(changed.z, **kwargs).compute())
    (tm.assert_frame_equal if isinstance(expected, pd.DataFrame) else tm.assert_series_equal)(got, expected)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 15), a=st.integers(1, 4), b=st.integers(1, 4), changes=st.lists(st.integers(0, 29), max_size=5))
def test_compare_any_split(n, a, b, changes):
    left = pd.DataFrame({"u": np.arange(n), "v": np.arange(n) * 0.5})
    right = left.copy()
    for c in changes:
        if c // 2 < n:
            right.iloc[c // 2, c % 2] = -1
    got = gd.from_pandas(left, npartitions=a, backend="pandas").compare(
        gd.from_pandas(right, npartitions=b, sort=False, backend="pandas")).compute()
    tm.assert_frame_equal(got, left.compare(right))


def test_compare_needs_the_same_labels(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="identically-labeled"):
        df.compare(pdf.iloc[1:])
    with pytest.raises(ValueError, match="identically-labeled"):
        df.compare(pdf[["z", "y", "x"]])
    with pytest.raises(ValueError, match="identically-labeled"):
        df.compare(pdf.rename(index={16: 99})).compute()
