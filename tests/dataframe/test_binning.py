"""``gd.cut`` and ``gd.qcut`` of a lazy Series (pandas'; dask has neither), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import PANDAS_3, needs_pandas_3


@pytest.fixture
def ages() -> pd.Series:
    rng = np.random.default_rng(3)
    x = rng.normal(40, 15, 200)
    x[::11] = np.nan
    return pd.Series(x, name="age", index=np.arange(200) * 2)


@pytest.mark.parametrize("bins, kwargs", [
    (4, {}), (7, {"right": False}), ([0, 18, 40, 65, 120], {"labels": ["a", "b", "c", "d"]}), (3, {"labels": False}),
    ([-100, 0, 200], {"include_lowest": True}), (pd.IntervalIndex.from_breaks([0, 30, 60, 200]), {}),
])
def test_cut_as_pandas(ages, backend, bins, kwargs):
    ds = gd.from_pandas(ages, npartitions=5, backend=backend)
    got = gd.cut(ds, bins, **kwargs)
    assert got.divisions == ds.divisions
    assert_eq(got, pd.cut(ages, bins, **kwargs))


@needs_pandas_3("pandas 2.2's qcut edges round differently")
@pytest.mark.parametrize("q, kwargs", [(4, {}), (10, {"labels": False}), ([0, 0.1, 0.5, 0.9, 1], {}),
                                       (3, {"labels": ["lo", "mid", "hi"]})])
def test_qcut_as_pandas(ages, backend, q, kwargs):
    ds = gd.from_pandas(ages, npartitions=4, backend=backend)
    assert_eq(gd.qcut(ds, q, **kwargs), pd.qcut(ages, q, **kwargs))


def test_retbins_errors_and_pandas_input(ages):
    ds = gd.from_pandas(ages, npartitions=3, backend="cpu")
    got, edges = gd.cut(ds, 5, retbins=True)
    expected, expected_edges = pd.cut(ages, 5, retbins=True)
    assert_eq(got, expected)
    np.testing.assert_allclose(edges, expected_edges)
    _, qedges = gd.qcut(ds, 4, retbins=True)
    np.testing.assert_allclose(qedges, pd.qcut(ages, 4, retbins=True)[1])
    assert_eq(gd.cut(ages, 3), pd.cut(ages, 3))  # a pandas Series: pandas' own
    with pytest.raises(ValueError, match="missing"):
        gd.cut(gd.from_pandas(pd.Series([np.nan, np.nan]), npartitions=1, backend="cpu"), 3)
    with pytest.raises(ValueError, match="Bin edges must be unique"):  # pandas' duplicates="raise"
        gd.qcut(gd.from_pandas(pd.Series([1.0] * 10), npartitions=2, backend="cpu"), 4)


@pytest.mark.parametrize("kwargs", [{}, {"normalize": True}, {"normalize": "index"}, {"normalize": "columns"},
                                    {"rownames": ["R"], "colnames": ["C"]}])
def test_crosstab_as_pandas(backend, kwargs):
    rng = np.random.default_rng(2)
    pdf = pd.DataFrame({"a": rng.choice(["x", "y", "z", None], 100), "b": rng.integers(0, 4, 100),
                        "v": rng.random(100)})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(gd.crosstab(df.a, df.b, **kwargs), pd.crosstab(pdf.a, pdf.b, **kwargs))
    assert_eq(gd.crosstab(df.b, df.a, values=df.v, aggfunc="mean", **kwargs),
              pd.crosstab(pdf.b, pdf.a, values=pdf.v, aggfunc="mean", **kwargs))


@pytest.mark.parametrize("kwargs", [{}, {"normalize": "index"}, {"normalize": True},
                                    {"normalize": "columns", "margins_name": "Total"},
                                    {"aggfunc": "sum"}, {"aggfunc": "max"}, {"aggfunc": "count"}])
def test_crosstab_margins_as_pandas(backend, kwargs):
    """Totals of rows and columns, combined from the cells (counts, sums, counts of values, extremes)."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"a": rng.choice(list("xyz"), 60), "b": rng.integers(0, 3, 60), "v": rng.normal(size=60)})
    pdf = pdf[~((pdf.a == "x") & (pdf.b == 2))]  # a pair without rows
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    values = {"values": df.v} if "aggfunc" in kwargs else {}
    expected_values = {"values": pdf.v} if "aggfunc" in kwargs else {}
    assert_eq(gd.crosstab(df.a, df.b, margins=True, **values, **kwargs),
              pd.crosstab(pdf.a, pdf.b, margins=True, **expected_values, **kwargs))


def test_crosstab_refusals():
    pdf = pd.DataFrame({"a": list("xyx"), "b": [1, 2, 1]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(ValueError, match="without values"):
        gd.crosstab(df.a, df.b, aggfunc="sum")
    with pytest.raises(NotImplementedError, match="margins= with aggfunc='mean'"):
        gd.crosstab(df.a, df.b, values=df.b, aggfunc="mean", margins=True)
    assert_eq(gd.crosstab(pdf.a, pdf.b), pd.crosstab(pdf.a, pdf.b))  # pandas Series: pandas' own


@pytest.mark.parametrize("aggfunc", ["mean", "sum", "max"])
def test_crosstab_of_nullable_values_has_the_cells_dtype(backend, aggfunc):
    # the metadata was laid out from a sample of other column labels (every column missing: float64) where the
    # cells of an Int64 mean are Float64
    pdf = pd.DataFrame({"g": list("abababab"), "s": list("xxyyzzxy"),
                        "I": pd.array([1, 2, None, 4, 5, 6, 7, 8], dtype="Int64")})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = gd.crosstab(df.g, df.s, values=df.I, aggfunc=aggfunc)
    expected = pd.crosstab(pdf.g, pdf.s, values=pdf.I, aggfunc=aggfunc)
    assert got.dtypes.equals(expected.dtypes)
    assert_eq(got, expected)


@pytest.mark.parametrize("npartitions", [1, 3])
def test_crosstab_of_categorical_keys_as_pandas(backend, npartitions):
    # a categorical column key gave a plain Index of its values (sorted); pandas gives a CategoricalIndex of the
    # categories seen, in the categories' order
    keys = pd.Categorical(list("abbaab"), categories=["b", "z", "a"])
    pdf = pd.DataFrame({"g": list("xyxyyx"), "k": keys, "v": np.arange(6.0)})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    cases = [(gd.crosstab(df.g, df.k), pd.crosstab(pdf.g, pdf.k)),
             (gd.crosstab(df.k, df.g), pd.crosstab(pdf.k, pdf.g))]
    if PANDAS_3:  # pandas 2's crosstab with values= also gives a column of the unseen category ("z")
        cases.append((gd.crosstab(df.g, df.k, values=df.v, aggfunc="sum"),
                      pd.crosstab(pdf.g, pdf.k, values=pdf.v, aggfunc="sum")))
    for got, expected in cases:
        pd.testing.assert_frame_equal(to_host(got.compute()), expected)
        pd.testing.assert_index_equal(to_host(got._meta).columns, expected.columns, exact=True)


def test_crosstab_of_several_keys_is_refused_by_name(backend):
    # a list of Series failed with AttributeError: 'list' object has no attribute 'name'
    pdf = pd.DataFrame({"g": list("abab"), "s": list("xxyz"), "f": [1.0, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for index, columns in ((df.g, [df.s, df.f]), ([df.g, df.s], df.f), ((df.g, df.s), [df.f])):
        with pytest.raises(NotImplementedError, match="crosstab: a list of Series"):
            gd.crosstab(index, columns)


@pytest.mark.parametrize("kwargs", [{"bins": 4}, {"bins": 4, "sort": False, "normalize": True},
                                    {"bins": [-5, 0, 5], "dropna": False}, {"bins": [10, 20]},
                                    {"bins": 3, "ascending": True}])
def test_value_counts_of_bins_as_pandas(backend, kwargs):
    """pandas' value_counts(bins=): every bin (zeros too) as an IntervalIndex, proportions of all values."""
    values = pd.Series(np.random.default_rng(0).normal(size=300), name="x")
    values[::11] = np.nan
    s = gd.from_pandas(values, npartitions=3, backend=backend)
    assert_eq(s.value_counts(**kwargs), values.value_counts(**kwargs))
