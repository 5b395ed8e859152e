"""``interpolate`` across partitions (pandas'; dask has none), against pandas on the whole frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 60
    x = rng.random(n)
    x[rng.random(n) < 0.5] = np.nan
    x[20:34] = np.nan  # a gap longer than a partition
    times = pd.Series(pd.date_range("2024-01-01", periods=n, freq="7h"))
    times[rng.random(n) < 0.3] = pd.NaT
    index = pd.date_range("2024-01-01", periods=n * 2, freq="13min")[np.sort(rng.choice(n * 2, n, replace=False))]
    return pd.DataFrame({"x": x, "n": np.arange(n), "t": times.to_numpy(),
                         "f": pd.array(np.where(rng.random(n) < 0.4, None, rng.random(n)), dtype="Float64")},
                        index=index)


@pytest.mark.parametrize("kwargs", [{}, {"limit": 2}, {"limit_direction": "both"},
                                    {"limit": 3, "limit_direction": "backward"}, {"limit_area": "inside"},
                                    {"limit_direction": "both", "limit_area": "outside"}, {"method": "time"},
                                    {"method": "index", "limit": 1, "limit_direction": "both"}])
def test_interpolate_as_pandas_on_the_whole_frame(pdf, backend, kwargs):
    if "method" in kwargs:  # (pandas interpolates times by row only)
        pdf = pdf.drop(columns="t")
    df = gd.from_pandas(pdf, npartitions=6, backend=backend)
    got = df.interpolate(**kwargs)
    assert got.divisions == df.divisions
    assert_eq(got, pdf.interpolate(**kwargs))
    assert_eq(df.x.interpolate(**kwargs), pdf.x.interpolate(**kwargs))
    assert_eq(df.interpolate(**kwargs)["x"], pdf.interpolate(**kwargs)["x"])  # (projected below the scan)


def test_interpolate_linear_needs_no_divisions_and_inplace(pdf, backend):
    plain = pdf.reset_index(drop=True).iloc[::-1]
    df = gd.from_pandas(plain, npartitions=4, sort=False, backend=backend)
    assert_eq(df.interpolate(), plain.interpolate())
    copy = df.copy()
    assert copy.interpolate(inplace=True) is None
    assert_eq(copy, plain.interpolate())
    with pytest.raises(ValueError, match="sort_index"):
        df.interpolate(method="index")


@needs_pandas_3("pandas 2.2 names text object dtype")
def test_interpolate_errors(pdf):
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    with pytest.raises(NotImplementedError, match="spline"):
        df.interpolate(method="spline")
    with pytest.raises(ValueError, match="limit must be"):
        df.interpolate(limit=0)
    with pytest.raises(ValueError, match="limit_direction"):
        df.interpolate(limit_direction="sideways")
    with pytest.raises(ValueError, match="limit_area"):
        df.interpolate(limit_area="middle")
    with pytest.raises(NotImplementedError, match="axis=1"):
        df.interpolate(axis=1)
    with pytest.raises(TypeError, match="Cannot interpolate with str dtype"):
        gd.from_pandas(pd.DataFrame({"s": ["a", None]}), npartitions=1, backend="cpu").interpolate()
    with pytest.raises(ValueError, match="DatetimeIndex"):
        gd.from_pandas(pdf.reset_index(drop=True), npartitions=2, backend="cpu").interpolate(method="time")


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-9, 9)), min_size=1, max_size=30),
       nparts=st.integers(1, 7), limit=st.one_of(st.none(), st.integers(1, 4)),
       direction=st.sampled_from(["forward", "backward", "both"]),
       area=st.sampled_from([None, "inside", "outside"]))
def test_interpolate_matches_pandas_for_any_partitioning(values, nparts, limit, direction, area):
    s = pd.Series([np.nan if v is None else float(v) for v in values])
    ds = gd.from_pandas(s, npartitions=nparts, backend="cpu")
    kwargs = {"limit": limit, "limit_direction": direction, "limit_area": area}
    assert_eq(ds.interpolate(**kwargs), s.interpolate(**kwargs))


@pytest.mark.parametrize("dtype", ["float32", "Float64", "Int64", "int64[pyarrow]", "float[pyarrow]", "int32"])
def test_interpolate_keeps_pandas_dtypes(dtype):
    values = [1, 2, 3, 5] if dtype == "int32" else [1, None, 3, None, 6, None]
    s = pd.Series(values, dtype=dtype)
    got = gd.from_pandas(s, npartitions=3, backend="cpu").interpolate()
    assert_eq(got, s.interpolate())
