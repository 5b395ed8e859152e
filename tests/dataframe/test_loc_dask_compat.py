"""``.loc`` / ``[]`` with dask's semantics where dask's test_indexing found gaps (issue 14): boolean
Series partitioned otherwise (aligned first), nullable boolean masks, partial strings of a
PeriodIndex, pandas' IndexingError for too many indexers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def lettered() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame(rng.normal(size=(20, 3)), index=list("abcdefghijklmnopqrst"), columns=list("ABC"))


def test_boolean_series_of_other_partitions_are_aligned(lettered, backend):
    df = gd.from_pandas(lettered, npartitions=3, backend=backend)
    mask = (df.A > 0).repartition(divisions=["a", "g", "k", "o", "t"])
    expected = lettered[lettered.A > 0]
    assert_eq(df.loc[mask], expected)
    assert_eq(df[mask], expected)
    assert_eq(df.B[mask], expected.B)
    assert_eq(df.B.loc[mask], expected.B)


def test_boolean_series_with_unknown_divisions_meet_partition_by_partition(lettered, backend):
    df = gd.from_pandas(lettered, npartitions=3, backend=backend).clear_divisions()
    assert_eq(df[df.A > 0], lettered[lettered.A > 0])
    # a mask partitioned otherwise: both shuffled by index to meet, as dask
    mask = gd.from_pandas(lettered.A > 0, npartitions=2, backend=backend).clear_divisions()
    assert_eq(df[mask], lettered[lettered.A > 0], sort_results=True)


def test_nullable_boolean_masks_select_rows(backend):
    s1 = pd.Series([0, 1, 2, 3])
    s2 = pd.Series([True, False, pd.NA, True], dtype="boolean")
    ds1, ds2 = gd.from_pandas(s1, npartitions=2, backend=backend), gd.from_pandas(s2, npartitions=2, backend=backend)
    assert_eq(ds1[ds2], s1[s2])
    assert_eq(ds1.loc[ds2], s1.loc[s2])
    with pytest.raises(KeyError, match="non-boolean"):
        ds1.loc[ds1]


def test_partial_strings_of_a_period_index(backend):
    if backend != "pandas":
        pytest.skip("cuDF has no PeriodIndex")
    hourly = pd.DataFrame({"A": np.arange(100.0)}, index=pd.period_range("2011-01-01", freq="h", periods=100))
    df = gd.from_pandas(hourly, npartitions=10)
    assert_eq(df.loc["2011-01-02"], hourly.loc["2011-01-02"])
    assert_eq(df.loc["2011-01-02":"2011-01-03"], hourly.loc["2011-01-02":"2011-01-03"])
    assert_eq(df["2011-01-02":"2011-01-03"], hourly["2011-01-02":"2011-01-03"])
    assert df.loc["2011-01-02"].npartitions < df.npartitions  # only the partitions that can hold the day
    daily = pd.DataFrame({"A": np.arange(100.0)}, index=pd.period_range("2011-01-01", freq="D", periods=100))
    ddf = gd.from_pandas(daily, npartitions=7)
    for key in ("2011-01", "2011"):
        assert_eq(ddf.loc[key], daily.loc[key])
    assert_eq(ddf.loc["2011-01":"2012-05"], daily.loc["2011-01":"2012-05"])
    assert_eq(ddf["2011-02":"2015"], daily["2011-02":"2015"])


def test_too_many_indexers_raise_pandas_indexing_error(lettered, backend):
    df = gd.from_pandas(lettered, npartitions=3, backend=backend)
    for call in (lambda: df.loc["a", "A", "B"], lambda: df.A.loc["a", "A"], lambda: df.A.loc[df.A > 0, "x"]):
        with pytest.raises(pd.errors.IndexingError, match="Too many indexers"):
            call()


def test_loc_with_a_boolean_array_of_the_frame(lettered, backend):
    df = gd.from_pandas(lettered, npartitions=3, backend=backend)
    expected = lettered.loc[(lettered.A > 0).values]
    assert_eq(df.loc[(df.A > 0).values], expected)
    assert_eq(df.B.loc[(df.A > 0).values], expected.B)
    assert_eq(df.loc[(df.A > 0).values, ["B"]], expected[["B"]])


def test_loc_with_arrays_that_do_not_line_up_or_are_not_boolean(lettered, backend):
    df = gd.from_pandas(lettered, npartitions=3, backend=backend)
    with pytest.raises(ValueError, match="one block per partition"):
        df.loc[(df.A > 0).repartition(divisions=["a", "g", "k", "o", "t"]).values]
    with pytest.raises(KeyError, match="non-boolean"):
        df.loc[df.A.values]
    shifted = gd.from_pandas(lettered.A.iloc[1:] > 0, npartitions=3, backend=backend)  # other block lengths
    with pytest.raises(ValueError, match="must line up with the partitions"):
        df.loc[shifted.values].compute()


@pytest.mark.parametrize("index", [pd.date_range("2011-01-01", freq="h", periods=50), pd.RangeIndex(50)])
def test_the_index_and_its_series_keep_the_divisions(backend, index):
    pdf = pd.DataFrame({"A": np.arange(50.0)}, index=index)
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    assert df.index.divisions == df.divisions
    series = df.index.to_series()
    assert series.known_divisions and series.divisions == df.divisions
    assert_eq(series, pdf.index.to_series())
    assert_eq(series.loc[index[10]:index[20]], pdf.index.to_series().loc[index[10]:index[20]])
