"""Groupby aggregations by categorical and integer keys, whose partial aggregates group the keys'
integer codes, several keys packed into one integer (``backends/frame/coded_keys``): against pandas
and dask, with unobserved and missing categories, ordered categories, integer keys of several dtypes
(negative, unsigned) and every decomposable aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.frame.coded_keys import codes_keys, keys_back
from gpuscale.backends.frame.groupby import groupby_chunk
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host

dd = pytest.importorskip("dask.dataframe")


def _frame(missing: bool = False, ordered: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 400
    values = rng.choice(["p", "q", "r", "s"], n).astype(object)
    if missing:
        values[::29] = None
    x = rng.normal(size=n)
    x[::13] = np.nan
    return pd.DataFrame({
        "c": pd.Categorical(values, categories=["s", "r", "q", "p", "unused"], ordered=ordered),
        "k": rng.integers(0, 5, n), "x": x, "y": rng.integers(-9, 9, n)})


@pytest.mark.parametrize("how", ["sum", "mean", "count", "size", "min", "max", "var", "std", "first", "last"])
@pytest.mark.parametrize("by", [["c"], ["k", "c"], ["c", "k"]])
def test_groupby_categorical_keys_match_pandas(how, by):
    pdf = _frame()
    df = gd.from_pandas(pdf, npartitions=4)
    expected = getattr(pdf.groupby(by, observed=True), how)()
    assert_eq(getattr(df.groupby(by, observed=True), how)(), expected)


@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("ordered", [False, True])
@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("dropna", [True, False])
def test_groupby_categorical_mean_matches_pandas_and_dask(missing, ordered, sort, dropna):
    pdf = _frame(missing, ordered)
    df, ddf = gd.from_pandas(pdf, npartitions=3), dd.from_pandas(pdf, npartitions=3)
    got = df.groupby("c", observed=True, sort=sort, dropna=dropna).x.mean()
    expected = pdf.groupby("c", observed=True, sort=sort, dropna=dropna).x.mean()
    assert_eq(got, expected, check_index=True, sort_results=not sort)
    assert_eq(got, ddf.groupby("c", observed=True, sort=sort, dropna=dropna).x.mean().compute(),
              sort_results=not sort)
    # (on the host: a cuDF index's dtype is a cudf.CategoricalDtype, which never equals pandas' dtype)
    assert to_host(got.compute()).index.dtype == expected.index.dtype


def test_pivot_table_of_a_categorized_column_matches_dask():
    pdf = _frame().astype({"c": "str"})
    df = gd.from_pandas(pdf, npartitions=4).categorize(columns=["c"])
    ddf = dd.from_pandas(pdf, npartitions=4).categorize(columns=["c"])
    got = gd.pivot_table(df, index="k", columns="c", values="x", aggfunc="mean")
    expected = dd.pivot_table(ddf, index="k", columns="c", values="x", aggfunc="mean").compute()
    # (dask's categorize gives categories of dtype "string", gpuscale's and pandas' "str")
    assert_eq(got, expected, check_column_type=False, check_categorical=False)


def _with_int_keys() -> pd.DataFrame:
    pdf = _frame()
    rng = np.random.default_rng(8)
    return pdf.assign(a=rng.integers(-3, 4, len(pdf)).astype("int32"),
                      u=rng.integers(0, 6, len(pdf)).astype("uint16"))


@pytest.mark.parametrize("by", [["k", "c"], ["c", "k"], ["a", "u"], ["u", "c", "a"], ["k"], ["c"], ["k", "x"]])
def test_coded_partials_are_pandas_partials_in_pandas_order(by):
    pdf = _with_int_keys()
    partials = (("s", "y", "sum"), ("n", "x", "count"), ("z", "x", "size"), ("m", "x", "max"))
    expected = pdf.groupby(by, sort=False, observed=True).agg(s=("y", "sum"), n=("x", "count"), z=("x", "size"),
                                                                m=("x", "max"))
    pd.testing.assert_frame_equal(groupby_chunk(pdf, by, partials), expected)


@pytest.mark.parametrize("by", [["a", "u"], ["u", "c", "a"], ["k", "a"]])
def test_groupby_integer_keys_match_pandas_and_dask(by):
    pdf = _with_int_keys()
    df, ddf = gd.from_pandas(pdf, npartitions=4), dd.from_pandas(pdf, npartitions=4)
    got = df.groupby(by, observed=True).agg({"x": "mean", "y": ["sum", "min"]})
    assert_eq(got, pdf.groupby(by, observed=True).agg({"x": "mean", "y": ["sum", "min"]}))
    assert_eq(got, ddf.groupby(by, observed=True).agg({"x": "mean", "y": ["sum", "min"]}).compute(), sort_results=True)


def test_codes_keys_and_back():
    pdf = _with_int_keys()
    keys, layout = codes_keys(pdf, ["c"])
    assert keys[0].dtype == np.int8
    back = keys_back(pd.Index(np.array([2, 0], dtype=np.int8)), layout)
    pd.testing.assert_index_equal(back, pd.CategoricalIndex(["q", "s"], dtype=pdf.c.dtype, name="c"))
    (packed,), layout = codes_keys(pdf, ["a", "c"])  # a in -3..3 (7 values), c 5 categories
    assert packed.dtype == np.int64 and packed.min() >= 0 and packed.max() < 7 * 5
    back = keys_back(pd.Index(packed[:3]), layout)
    expected = pd.MultiIndex.from_arrays([pdf.a.iloc[:3], pdf.c.iloc[:3]])
    pd.testing.assert_index_equal(back, expected)


def test_codes_keys_leave_what_they_cannot_group():
    pdf = _frame(missing=True)
    assert codes_keys(pdf, ["c"]) is None  # a missing key: pandas' own dropna
    assert codes_keys(pdf, ["k"]) is None  # one integer key: nothing to pack
    assert codes_keys(pdf, ["k", "x"]) is None  # a float key
    assert codes_keys(pdf.iloc[:0], ["c"]) is None
    huge = pd.DataFrame({"a": [0, 2 ** 40], "b": [0, 2 ** 30], "x": [1.0, 2.0]})
    assert codes_keys(huge, ["a", "b"]) is None  # ranges multiply past int64
    mixed = _frame().assign(s=lambda f: f.c.astype(str))
    keys, _ = codes_keys(mixed, ["s", "c"])  # a string key: only the categorical one becomes codes
    assert keys[0] == "s" and keys[1].dtype == np.int8
    pd.testing.assert_frame_equal(groupby_chunk(mixed, ["s", "c"], (("n", "x", "count"),)),
                                  mixed.groupby(["s", "c"], sort=False, observed=True).agg(n=("x", "count")))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_a_categorical_first_key_orders_groups_by_its_categories(backend, npartitions):
    # pandas' sort_index took a categorical level listed in order of appearance for the categories' order
    pdf = pd.DataFrame({"k": pd.Categorical(["c", "f", "c", "g"], categories=["g", "f", "c"]), "w": [8, 9, 8, 10],
                        "v": [0.0, 3.0, 1.0, 5.0]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for how in ("sum", "mean", "max"):
        got = to_host(getattr(df.groupby(["k", "w"], observed=True).v, how)().compute())
        expected = getattr(pdf.groupby(["k", "w"], observed=True).v, how)()
        assert got.index.tolist() == expected.index.tolist() == [("g", 10), ("f", 9), ("c", 8)]
        assert got.tolist() == expected.tolist()
