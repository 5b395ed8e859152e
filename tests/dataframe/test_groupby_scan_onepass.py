"""Group-wise cumulative operations (``groupby().cumsum`` ...) continued across partitions: groups that
span partitions, missing keys and values, integer and float columns, empty partitions; against pandas
and dask."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

dd = pytest.importorskip("dask.dataframe")

SCANS = ["cumsum", "cumprod", "cummax", "cummin"]


@pytest.fixture
def spans() -> pd.DataFrame:
    """Keys 0..4 spread over every partition, a missing key, missing values and an integer column."""
    rng = np.random.default_rng(7)
    n = 90
    x = rng.integers(-3, 4, n).astype("float64")
    x[[0, 5, 31, 32, 60]] = np.nan
    k = rng.integers(0, 5, n).astype("float64")
    k[[3, 40, 41]] = np.nan
    return pd.DataFrame({"k": k, "x": x, "i": rng.integers(1, 3, n)})


@pytest.mark.parametrize("how", SCANS)
def test_scans_continue_groups_across_partitions(spans, how):
    df = gd.from_pandas(spans, npartitions=7)
    assert_eq(getattr(df.groupby("k").x, how)(), getattr(spans.groupby("k").x, how)())
    assert_eq(getattr(df.groupby("k").i, how)(), getattr(spans.groupby("k").i, how)())
    assert_eq(getattr(df.groupby("k"), how)(), getattr(spans.groupby("k"), how)())
    assert_eq(getattr(df.groupby("k", dropna=False).x, how)(), getattr(spans.groupby("k", dropna=False).x, how)())


def test_cumcount_with_missing_keys(spans):
    df = gd.from_pandas(spans, npartitions=7)
    assert_eq(df.groupby("k").cumcount(), spans.groupby("k").cumcount())
    assert_eq(df.groupby("k", dropna=False).cumcount(), spans.groupby("k", dropna=False).cumcount())


def test_groups_that_start_with_missing_values_keep_them(backend):
    # a group with only NaN values in its first partitions carries no maximum into the next ones
    pdf = pd.DataFrame({"k": [1, 1, 2, 1, 2, 1], "x": [np.nan, np.nan, 4.0, 3.0, np.nan, 1.0]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for how in SCANS:
        assert_eq(getattr(df.groupby("k").x, how)(), getattr(pdf.groupby("k").x, how)())


def test_multiple_keys_and_empty_partitions(backend):
    pdf = pd.DataFrame({"a": [1, 1, 2, 2, 1, 2, 1, 1], "b": ["u", "v", "u", "u", "v", "v", "u", "v"],
                        "x": np.arange(8, dtype="int64")})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    df = df[df.x % 4 != 2]  # partitions 1 and 3 lose a row each; a filter below empties partition 2
    expected = pdf[pdf.x % 4 != 2]
    df, expected = df[(df.x < 4) | (df.x > 5)], expected[(expected.x < 4) | (expected.x > 5)]
    assert_eq(df.groupby(["a", "b"]).x.cumsum(), expected.groupby(["a", "b"]).x.cumsum())
    assert_eq(df.groupby(["a", "b"]).cumcount(), expected.groupby(["a", "b"]).cumcount())
    assert_eq(df.groupby("a")[["x"]].cummax(), expected.groupby("a")[["x"]].cummax())


def test_matches_dask(spans):
    ddf, df = dd.from_pandas(spans, npartitions=6), gd.from_pandas(spans, npartitions=6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for how in ["cumsum", "cumprod"]:  # dask's group-wise scans (it has no cummax/cummin)
            expected = getattr(ddf.groupby("k").i, how)().compute(scheduler="sync")
            tm.assert_series_equal(to_host(getattr(df.groupby("k").i, how)().compute()), expected)
        expected = ddf.groupby("k").x.cumsum().compute(scheduler="sync")
        tm.assert_series_equal(to_host(df.groupby("k").x.cumsum().compute()), expected)
        expected = ddf.groupby("k").cumcount().compute(scheduler="sync")
        tm.assert_series_equal(to_host(df.groupby("k").cumcount().compute()), expected)


@pytest.mark.parametrize("dropna", [True, False])
def test_narrow_integers_and_string_keys(dropna):
    rng = np.random.default_rng(1)
    n = 200
    pdf = pd.DataFrame({"s": rng.choice(["a", "b", None], n), "u": rng.integers(0, 9, n).astype("uint8"),
                        "w": rng.integers(0, 9, n).astype("uint64")})
    df = gd.from_pandas(pdf, npartitions=5)
    for col in ["u", "w"]:
        assert_eq(df.groupby("s", dropna=dropna)[col].cumsum(), pdf.groupby("s", dropna=dropna)[col].cumsum())
        assert_eq(df.groupby("s", dropna=dropna)[col].cummax(), pdf.groupby("s", dropna=dropna)[col].cummax())
