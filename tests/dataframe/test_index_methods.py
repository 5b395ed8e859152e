"""The lazy Index's methods (unique, nunique, value_counts, map, to_frame, str/dt, memory usage ...)
against pandas and dask.dataframe."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

dd = pytest.importorskip("dask.dataframe")

LABELS = ["a", "b", "a", "c", "d", "e", "b", "f", "g", "a", "h", "c"]


@pytest.fixture
def pdf():
    return pd.DataFrame({"x": range(len(LABELS))}, index=pd.Index(LABELS, name="t"))


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)


@pytest.fixture
def ddf(pdf):
    return dd.from_pandas(pdf, npartitions=3, sort=False)


def _value(result):
    return to_host(result.compute())


def test_reductions(df, pdf, ddf):
    assert _value(df.index.nunique()) == pdf.index.nunique() == ddf.index.nunique().compute()
    assert _value(df.index.min()) == pdf.index.min() == ddf.index.min().compute()
    assert _value(df.index.max()) == pdf.index.max()
    assert _value(df.index.count()) == len(pdf) == ddf.index.count().compute()
    assert bool(_value(df.index.is_monotonic_increasing)) is pdf.index.is_monotonic_increasing
    assert df.index.ndim == 1
    ordered = gd.from_pandas(pdf.sort_index(), npartitions=3)
    assert bool(_value(ordered.index.is_monotonic_increasing)) is True


def test_monotonic_ordered_categorical(backend):
    # partition ends compare in the categories' order (they compared as text: False for pandas' True)
    values = pd.Categorical(list("cccaab"), categories=list("cab"), ordered=True)
    for cats in (values, values[::-1]):
        s = pd.Series(cats)
        got = gd.from_pandas(s, npartitions=2, sort=False, backend=backend)
        assert bool(_value(got.is_monotonic_increasing)) is s.is_monotonic_increasing
        assert bool(_value(got.is_monotonic_decreasing)) is s.is_monotonic_decreasing
        frame = gd.from_pandas(pd.DataFrame({"x": range(6)}, index=pd.CategoricalIndex(s)), npartitions=2,
                               sort=False, backend=backend)
        assert bool(_value(frame.index.is_monotonic_increasing)) is s.is_monotonic_increasing
        assert bool(_value(frame.index.is_monotonic_decreasing)) is s.is_monotonic_decreasing


def test_memory_usage_and_nbytes(df, pdf, backend):
    if backend == "pandas":
        assert _value(df.index.memory_usage()) == pdf.index.memory_usage()
    numbers = gd.from_pandas(pd.DataFrame({"x": range(10)}, index=pd.Index(list(range(100, 110)))),
                              npartitions=3)
    assert _value(numbers.index.nbytes) == 80
    assert _value(numbers.index.memory_usage()) == 80


def test_distinct_values(df, pdf, ddf):
    got = _value(df.index.unique())
    assert isinstance(got, pd.Index) and got.name == "t"
    assert sorted(got) == sorted(pdf.index.unique()) == sorted(ddf.index.unique().compute())
    assert sorted(_value(df.index.drop_duplicates())) == sorted(pdf.index.drop_duplicates())
    counts = _value(df.index.value_counts())
    tm.assert_series_equal(counts.sort_index(), pdf.index.value_counts().sort_index())
    tm.assert_series_equal(counts.sort_index(), ddf.index.value_counts().compute().sort_index(), check_dtype=False,
                           check_index_type=False)


@needs_pandas_3("dask turns text into Arrow strings under pandas 2, pandas keeps objects")
def test_partition_wise(df, pdf, ddf):
    tm.assert_index_equal(_value(df.index.map(lambda v: v * 2)), pdf.index.map(lambda v: v * 2))
    tm.assert_index_equal(_value(df.index.map({"a": "A"}, meta=pd.Index([], dtype=object, name="t"))),
                          pdf.index.map({"a": "A"}), exact=False, check_exact=False)
    tm.assert_index_equal(_value(df.index.str.upper()), pdf.index.str.upper())
    tm.assert_index_equal(_value(df.index.str.upper()), ddf.index.str.upper().compute(), exact=False)
    tm.assert_index_equal(_value(df.index.rename("z")), pdf.index.rename("z"))
    tm.assert_frame_equal(_value(df.index.to_frame()), pdf.index.to_frame())
    tm.assert_frame_equal(_value(df.index.to_frame(index=False, name="v")).reset_index(drop=True),
                          pdf.index.to_frame(index=False, name="v"))
    tm.assert_frame_equal(_value(df.index.to_frame()), ddf.index.to_frame().compute(), check_dtype=False,
                          check_index_type=False)


def test_datetime_index_accessor(backend):
    pdf = pd.DataFrame({"x": range(10)}, index=pd.date_range("2020-12-28", periods=10, freq="15h", name="t"))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    ddf = dd.from_pandas(pdf, npartitions=3)
    tm.assert_index_equal(_value(df.index.dt.year), pdf.index.year)
    tm.assert_index_equal(_value(df.index.dt.year), ddf.index.dt.year.compute())
    tm.assert_index_equal(_value(df.index.dt.floor("1D")), pdf.index.floor("1D"))
    assert _value(df.index.min()) == pdf.index.min()
    with pytest.raises(AttributeError, match="datetime"):
        gd.from_pandas(pd.DataFrame({"x": [1]}), npartitions=1).index.dt


@settings(max_examples=25, deadline=None)
@given(labels=st.lists(st.integers(-5, 5), min_size=1, max_size=30), nparts=st.integers(1, 4))
def test_index_reductions_match_pandas_on_random_labels(labels, nparts):
    pdf = pd.DataFrame({"x": range(len(labels))}, index=pd.Index(labels, name="k"))
    df = gd.from_pandas(pdf, npartitions=nparts, sort=False)
    assert _value(df.index.nunique()) == pdf.index.nunique()
    assert _value(df.index.min()) == pdf.index.min() and _value(df.index.max()) == pdf.index.max()
    assert sorted(_value(df.index.unique())) == sorted(pdf.index.unique())
    tm.assert_series_equal(_value(df.index.value_counts()).sort_index(), pdf.index.value_counts().sort_index())


def test_isin_of_nullable_index_over_partitions(backend):
    # the partitions' BooleanArrays are joined as pandas joins them (NumPy could not: "Cannot interpret
    # 'BooleanDtype' as a data type")
    pdf = pd.DataFrame({"x": range(4)}, index=pd.Index([1, 2, None, 4], dtype="Int64"))
    want = pdf.index.isin([2])
    for n in (1, 2, 3):
        got = to_host(gd.from_pandas(pdf, npartitions=n, backend=backend).index.isin([2]).compute())
        assert [bool(v) for v in got] == [bool(v) for v in want]
        if backend == "pandas":
            assert str(got.dtype) == str(want.dtype)


def test_unique_of_object_index_keeps_object(backend):
    # the distinct values were computed as str (pandas 3's to_series infers it) while the meta said object
    pdf = pd.DataFrame({"x": range(4)}, index=pd.Index(list("bacb"), dtype=object))
    idx = gd.from_pandas(pdf, npartitions=2, backend=backend).index
    for got, want in [(idx.unique(), pdf.index.unique()), (idx.drop_duplicates(), pdf.index.drop_duplicates())]:
        out = to_host(got.compute())
        assert str(out.dtype) == str(got.dtype) == str(want.dtype)
        assert sorted(out.tolist()) == sorted(want.tolist())
