"""``groupby(...).transform(name)`` of a reduction: each row gets its group's aggregate, with the frame's
partitions, divisions and row order (pandas keeps the rows in place), without the metadata warning."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import PANDAS_3

_FUNCS = ["sum", "mean", "count", "size", "min", "max", "std", "var", "sem", "first", "last", "nunique", "median",
          "prod", "any", "all"]


def _frame():
    return pd.DataFrame({"k": [1.0, 2.0, 1.0, 2.0, 1.0, np.nan, 1.0, 3.0], "j": list("abababab"),
                         "c": pd.Categorical(["x", None, "x", "y", "y", "x", None, "x"], categories=["x", "y", "z"]),
                         "v": [1, 2, 3, 4, 5, 6, 7, 8], "w": [0.5, np.nan, 1.5, 2.0, -1.0, 3.0, 4.0, 0.0]},
                        index=[10, 11, 12, 13, 14, 15, 16, 17])


def _check(got, expected):
    got = to_host(got)
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got, expected)
    else:
        tm.assert_series_equal(got, expected)


@pytest.mark.parametrize("func", _FUNCS)
@pytest.mark.parametrize("dropna", [True, False])
def test_series_transform_keeps_rows_in_place(func, dropna):
    """Rows come back in the frame's order (they came shuffled by key), with no 'meta is not specified'
    warning; rows of a missing key hold a missing value with dropna=True, as pandas."""
    pdf = _frame()
    gdf = gd.from_pandas(pdf, npartitions=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = gdf.groupby("k", dropna=dropna).v.transform(func)
    assert got.divisions == gdf.divisions
    _check(got.compute(), pdf.groupby("k", dropna=dropna).v.transform(func))


@pytest.mark.parametrize("func", ["sum", "mean", "count", "size", "min", "max", "first", "last", "nunique"])
@pytest.mark.parametrize("keys", [["k", "j"], ["j"], ["c"], ["c", "k"]])
@pytest.mark.parametrize("dropna", [True, False])
@pytest.mark.parametrize("observed", [True, False])
def test_frame_transform_several_and_categorical_keys(func, keys, dropna, observed):
    if not PANDAS_3 and not observed and not dropna and keys == ["c", "k"]:
        pytest.skip("pandas 2.2 gives the rows of a missing categorical key among several keys no group "
                    "(observed=False, dropna=False)")
    pdf = _frame()[["k", "j", "c", "v", "w"]]
    if func not in ("count", "size", "first", "last", "nunique", "min", "max"):
        pdf = pdf.drop(columns=[c for c in ("j", "c") if c not in keys])
    elif func in ("min", "max") and "c" not in keys:  # (pandas refuses the min of an unordered categorical)
        pdf = pdf.drop(columns="c")
    gdf = gd.from_pandas(pdf, npartitions=3)
    expected = pdf.groupby(keys, dropna=dropna, observed=observed).transform(func)
    _check(gdf.groupby(keys, dropna=dropna, observed=observed).transform(func).compute(), expected)


def test_assign_needs_no_shuffle():
    """The brief's case: assign of a transform keeps the frame's rows in order (they were [0, 2, 4, 6, 1 ...])."""
    pdf = pd.DataFrame({"k": [0, 1] * 4, "v": range(8)})
    gdf = gd.from_pandas(pdf, npartitions=2)
    got = gdf.assign(m=lambda t: t.groupby("k").v.transform("mean"))
    assert got.npartitions == 2 and got.divisions == gdf.divisions
    _check(got.compute(), pdf.assign(m=lambda t: t.groupby("k").v.transform("mean")))
    _check((gdf.v - gdf.groupby("k").v.transform("mean")).compute(), pdf.v - pdf.groupby("k").v.transform("mean"))


def test_series_and_index_level_keys():
    pdf = _frame().rename_axis("i")
    gdf = gd.from_pandas(pdf, npartitions=3)
    _check(gdf.groupby(gdf.v % 3).w.transform("sum").compute(), pdf.groupby(pdf.v % 3).w.transform("sum"))
    _check(gdf.groupby(gdf.j.rename("z")).transform("last").compute(), pdf.groupby(pdf.j.rename("z")).transform("last"))
    _check(gdf.groupby("i").v.transform("count").compute(), pdf.groupby("i").v.transform("count"))
    _check(gdf.groupby(level=0).w.transform("mean").compute(), pdf.groupby(level=0).w.transform("mean"))
    _check(gdf.v.groupby(gdf.j).transform("size").compute(), pdf.v.groupby(pdf.j).transform("size"))
    _check(gdf.groupby("k").k.transform("count").compute(), pdf.groupby("k").k.transform("count"))


def test_keywords_are_the_reductions():
    pdf = _frame()
    gdf = gd.from_pandas(pdf, npartitions=2)
    _check(gdf.groupby("j").w.transform("std", ddof=0).compute(), pdf.groupby("j").w.transform("std", ddof=0))
    _check(gdf.groupby("j").w.transform("sum", min_count=3).compute(),
           pdf.groupby("j").w.transform("sum", min_count=3))


_keys = st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(keys=_keys, data=st.data(), func=st.sampled_from(_FUNCS), npartitions=st.integers(1, 4),
       kind=st.sampled_from(["float", "str", "category", "two"]), dropna=st.booleans())
def test_transform_as_pandas(keys, data, func, npartitions, kind, dropna):
    n = len(keys)
    values = data.draw(st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=n, max_size=n))
    k = pd.Series([np.nan if x is None else float(x) for x in keys])
    if kind == "str":
        k = k.map(lambda x: None if pd.isna(x) else f"s{int(x)}")
    elif kind == "category":
        k = pd.Series(pd.Categorical(k.map(lambda x: None if pd.isna(x) else f"s{int(x)}"),
                                     categories=["s3", "s0", "s1", "s2", "s9"]))
    pdf = pd.DataFrame({"k": k, "b": [i % 2 for i in range(n)],
                        "v": pd.Series([np.nan if x is None else float(x) for x in values])})
    by = ["k", "b"] if kind == "two" else "k"
    gdf = gd.from_pandas(pdf, npartitions=min(npartitions, n))
    expected = pdf.groupby(by, dropna=dropna, observed=True).v.transform(func)
    got = gdf.groupby(by, dropna=dropna, observed=True).v.transform(func)
    _check(got.compute(), expected)
