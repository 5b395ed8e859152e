"""Reductions of nullable columns (missing values as ``pd.NA``) across partitions, against pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.mark.parametrize("values", [[True, None, True, True], [False, None, True, True], [None, None, True, True],
                                    [False, False, None, False]])
@pytest.mark.parametrize("npartitions", [1, 2, 4])
def test_any_all_of_missing_values_as_pandas(backend, values, npartitions):
    """pandas' three-valued any/all with ``skipna=False`` (the partitions' NA answers raised "boolean value of NA
    is ambiguous" when combined)."""
    s = pd.Series(values, dtype="boolean")
    ds = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    for how in ("any", "all"):
        for skipna in (True, False):
            got, expected = getattr(ds, how)(skipna=skipna).compute(), getattr(s, how)(skipna=skipna)
            assert (got is pd.NA and expected is pd.NA) or bool(got) == bool(expected), (how, skipna, got, expected)


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "int64[pyarrow]"])
@pytest.mark.parametrize("npartitions", [1, 2])
def test_missing_results_are_na_of_nullable_columns(backend, dtype, npartitions):
    """A missing scalar result of a nullable column is ``pd.NA``, as pandas (it was NaN)."""
    if backend == "cudf" and "pyarrow" in dtype:
        pytest.skip("cuDF has no Arrow-backed pandas dtypes")
    s = pd.Series([1, None, 3], dtype=dtype)
    ds = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    assert ds.max(skipna=False).compute() is pd.NA is s.max(skipna=False)
    assert ds.sum(min_count=5).compute() is pd.NA is s.sum(min_count=5)
    assert ds.mean(skipna=False).compute() is pd.NA is s.mean(skipna=False)
    assert ds.max().compute() == s.max() == 3


def test_numeric_only_leaves_arrow_booleans_out():
    """pandas' numeric_only keeps numbers, NumPy and nullable booleans, not Arrow booleans (its extension dtype
    calls them non-numeric)."""
    pdf = pd.DataFrame({"x": [1, 2, 3], "ab": pd.array([True, False, True], dtype="bool[pyarrow]"),
                        "b": pd.array([True, None, False], dtype="boolean"), "f": [True, False, True]})
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    for how in ("sum", "mean", "max"):
        got = getattr(df, how)(numeric_only=True).compute()
        assert list(got.index) == list(getattr(pdf, how)(numeric_only=True).index) == ["x", "b", "f"]


def test_arrow_timestamps_reduce_and_describe_as_pandas():
    """Arrow timestamps keep their unit and time zone on the dtype's pyarrow type (they raised "Cannot interpret
    'timestamp[ms][pyarrow]' as a data type")."""
    import pyarrow as pa

    times = pd.to_datetime(["2021-01-01", None, "2021-01-03", "2021-01-04"])
    for arrow in (pa.timestamp("ms"), pa.timestamp("us", tz="UTC")):
        s = pd.Series(times.tz_localize("UTC") if arrow.tz else times).astype(pd.ArrowDtype(arrow))
        ds = gd.from_pandas(s, npartitions=2, backend="pandas")
        for how in ("mean", "median", "std", "min", "max"):
            assert getattr(ds, how)().compute() == getattr(s, how)(), how
    s = pd.Series(times).astype(pd.ArrowDtype(pa.timestamp("ms")))
    pd.testing.assert_series_equal(gd.from_pandas(s, npartitions=2, backend="pandas").describe().compute(),
                                   s.describe())
