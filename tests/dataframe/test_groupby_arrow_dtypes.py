"""Groupby aggregations of pandas' Arrow and nullable columns, as pandas: decimals (exact means), Arrow times,
nullable float32, and which columns ``numeric_only=True`` keeps."""

from __future__ import annotations

import decimal

import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import needs_pandas_3

D = decimal.Decimal


@pytest.fixture
def frame():
    return pd.DataFrame({
        "k": pd.array([1, 1, 2, 2, 3, 3, 4, 4], dtype="Int64"),
        "i": [1, 2, 3, 4, 5, 6, 7, 8],
        "d": pd.Series([D("1.50"), D("2.25"), None, D("3.00"), D("1.00"), D("-7.25"), D("0.00"), D("0.01")],
                       dtype=pd.ArrowDtype(pa.decimal128(10, 2))),
        "ab": pd.Series([True, None, False, True, True, False, None, True], dtype=pd.ArrowDtype(pa.bool_())),
        "t": pd.Series(pd.to_datetime(["2020-01-01", "2020-01-03", "2020-01-02", None, "2021-05-01",
                                       "2021-05-02 00:00:01", "2020-01-01", "2020-01-01"], format="ISO8601"),
                       dtype=pd.ArrowDtype(pa.timestamp("us", tz="UTC"))),
        "dur": pd.Series([1, 3, 2, None, 5, 8, 0, 1], dtype=pd.ArrowDtype(pa.duration("s"))),
        "f": pd.array([1.5, 2.0, 4.0, None, 0.25, 0.5, 1.0, 3.0], dtype="Float32"),
    })


@needs_pandas_3("pandas 2.2's groupby has no std/var of Arrow decimals")
@pytest.mark.parametrize("npartitions", [1, 3])
def test_arrow_columns_aggregate_as_pandas(frame, npartitions):
    skip_on_stand_in("Arrow dtypes are pandas' extension dtypes")
    df = gd.from_pandas(frame, npartitions=npartitions)
    for column, hows in {"d": ["mean", "std", "var", "sum"], "t": ["mean"], "dur": ["mean", "std"],
                         "f": ["std", "var", "mean"]}.items():
        for how in hows:
            got = getattr(df.groupby("k")[column], how)()
            expected = getattr(frame.groupby("k")[column], how)()
            pd.testing.assert_series_equal(got.compute(), expected, check_exact=False, rtol=1e-6)
            assert got._meta.dtype == expected.dtype, (column, how)


def test_numeric_only_keeps_the_columns_pandas_keeps(frame, backend):
    skip_on_stand_in("Arrow dtypes are pandas' extension dtypes")
    df = gd.from_pandas(frame, npartitions=2, backend=backend)
    values = frame.drop(columns=["k"])
    assert list(df.drop(columns=["k"]).sum(numeric_only=True).compute().index) == \
        list(values.sum(numeric_only=True).index)
    got = to_host(df.groupby("k").sum(numeric_only=True).compute())
    assert list(got.columns) == list(frame.groupby("k").sum(numeric_only=True).columns) == ["i", "d", "f"]


def test_series_mean_of_decimals_is_exact(frame):
    # pandas: a Decimal, rounded half away from zero to the column's scale (it was a float)
    skip_on_stand_in("Arrow dtypes are pandas' extension dtypes")
    for values in (["0.00", "0.01"], ["-0.01", "0.00"], ["1.50", "0.35", "0.67", None]):
        s = pd.Series([D(v) if v else None for v in values], dtype=pd.ArrowDtype(pa.decimal128(10, 2)))
        got = gd.from_pandas(s, npartitions=2).mean().compute()
        assert got == s.mean() and type(got) is type(s.mean())


@pytest.mark.parametrize("npartitions", [1, 2, 4])
@pytest.mark.parametrize("dropna", [True, pytest.param(False, marks=needs_pandas_3(
    "groupby(dropna=False) by an Arrow dictionary key leaves out the missing key's group"))])
def test_arrow_dictionary_keys_group_as_pandas(npartitions, dropna, backend):
    # pandas cannot sort an index of Arrow dictionaries, and groups a partition by its whole dictionary (rows of
    # no value for the entries it lacks): partitions of one row or of a missing key raised, or gave float firsts
    skip_on_stand_in("cuDF has no Arrow dictionary dtype")
    if backend == "cudf":
        pytest.skip("cuDF has no Arrow dictionary dtype (its frames make them categorical)")
    kind = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
    frame = pd.DataFrame({"d": pd.array(["x", "y", None, "z", "x", "y"], dtype=kind), "k": [1, 1, 2, 2, 1, 1],
                          "v": [1, 2, 3, 4, 5, 6]})
    df = gd.from_pandas(frame, npartitions=npartitions, backend=backend)
    for how in ["sum", "mean", "count", "size", "nunique", "first", "max", "std"]:
        got = getattr(df.groupby("d", observed=True, dropna=dropna).v, how)().compute()
        expected = getattr(frame.groupby("d", observed=True, dropna=dropna).v, how)()
        pd.testing.assert_series_equal(got, expected, obj=how)
    named = {"v": ["sum", "mean"]}
    pd.testing.assert_frame_equal(df.groupby(["k", "d"], dropna=dropna).agg(named).compute(),
                                  frame.groupby(["k", "d"], dropna=dropna).agg(named))


@pytest.mark.parametrize("npartitions", [1, 3])
@needs_pandas_3("pandas 2.2 hands apply the key column too, which gpuscale gives as the dictionary's values (not yet matched)")
def test_arrow_dictionary_keys_apply_once_per_group(npartitions, backend):
    # each partition grouped by its whole dictionary: a group's rows in one partition and an empty group in
    # every other, whose apply results (NaN of max - min) came back beside the real ones
    skip_on_stand_in("cuDF has no Arrow dictionary dtype")
    kind = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
    frame = pd.DataFrame({"k": pd.array(list("abcab" * 4), dtype=kind), "v": [float(i) for i in range(20)]})
    df = gd.from_pandas(frame, npartitions=npartitions, backend=backend)
    spread = df.groupby("k").v.apply(lambda s: s.max() - s.min(), meta=("v", "f8")).compute()
    pd.testing.assert_series_equal(spread.sort_index(), frame.groupby("k").v.apply(lambda s: s.max() - s.min()))
    firsts = frame.groupby("k").apply(lambda g: g.head(1))
    got = df.groupby("k").apply(lambda g: g.head(1), meta=firsts.iloc[:0]).compute()
    pd.testing.assert_frame_equal(got.sort_index(), firsts)
