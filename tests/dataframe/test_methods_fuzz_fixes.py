"""Fixes of DataFrame / Series methods a fuzzer found: ``sort_index`` of missing labels with known divisions,
``add_prefix`` / ``add_suffix`` of a MultiIndex, column labels set with their names, ``crosstab`` of a categorical
column key, ``corrwith`` of nullable columns; all against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("kwargs", [{"na_position": "first"}, {}, {"ascending": False},
                                    {"ascending": False, "na_position": "first"}])
def test_sort_index_missing_labels_of_known_divisions(backend, kwargs):
    pdf = pd.DataFrame({"b": [3.0, np.nan, 1.0, 4.0, 2.0, 0.5], "a": range(6)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend).set_index("b")
    expected = pdf.set_index("b").sort_index(**kwargs)
    got = to_host(df.sort_index(**kwargs).compute())
    assert got.index.tolist() == pytest.approx(expected.index.tolist(), nan_ok=True)
    assert got.a.tolist() == expected.a.tolist()
    got = to_host(df.a.sort_index(**kwargs).compute())
    assert got.index.tolist() == pytest.approx(expected.index.tolist(), nan_ok=True)
    assert got.tolist() == expected.a.tolist()


def test_sort_index_first_of_integer_labels_keeps_divisions(backend):
    pdf = pd.DataFrame({"x": range(6)}, index=[5, 1, 3, 2, 4, 0])
    df = gd.from_pandas(pdf.sort_index(), npartitions=2, backend=backend)
    assert_eq(df.sort_index(na_position="first"), pdf.sort_index(na_position="first"), sort_results=False)


def _multi_columns() -> pd.DataFrame:
    cols = pd.MultiIndex.from_tuples([("A", "x"), ("A", "y"), ("B", "x")], names=["L0", "L1"])
    return pd.DataFrame([[1.0, 2, 3], [4, 5, 7], [0, 1, 1]], columns=cols)


@pytest.mark.parametrize("method", ["add_prefix", "add_suffix"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_add_prefix_suffix_of_multiindex_columns(backend, method, axis):
    pdf = _multi_columns()
    pdf.index = pd.MultiIndex.from_tuples([(1, "a"), (2, "b"), (3, "c")], names=["i", "j"])
    df = gd.from_pandas(pdf, npartitions=1, backend=backend)
    expected = getattr(pdf, method)("z", axis=axis)
    got = getattr(df, method)("z", axis=axis)
    assert got.columns.equals(expected.columns)
    assert_eq(got, expected)
    assert to_host(got.compute()).columns.names == ["L0", "L1"]


@pytest.mark.parametrize("labels", [pd.Index(["x", "y"], name="nm"),
                                    pd.MultiIndex.from_tuples([("A", "x"), ("B", "y")], names=["L0", "L1"]),
                                    ["u", "v"], [("A", "x"), ("B", "y")]])
@pytest.mark.parametrize("named", [False, True])
def test_columns_set_as_pandas_sets_them(backend, labels, named):
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5, 6]})
    if named:
        pdf.columns.name = "old"
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df.columns = labels
    pdf.columns = labels
    got = to_host(df.compute())
    for have in (df.columns, got.columns):
        assert type(have) is type(pdf.columns) and list(have.names) == list(pdf.columns.names)
        assert have.tolist() == pdf.columns.tolist()
    assert_eq(df, pdf)


def test_droplevel_of_columns_keeps_level_names(backend):
    pdf = _multi_columns()
    pdf.columns = pd.MultiIndex.from_tuples([("A", "x"), ("A", "y"), ("B", "z")], names=["L0", "L1"])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)  # (cuDF's labels are unique)
    expected = pdf.droplevel(0, axis=1)
    got = df.droplevel(0, axis=1)
    assert got.columns.names == to_host(got.compute()).columns.names == expected.columns.names == ["L1"]
    assert_eq(got, expected)


def _check_labels(have, expected):
    assert type(have) is type(expected) and list(have.names) == list(expected.names)
    assert have.tolist() == expected.tolist()


@pytest.mark.parametrize("method", ["describe", "corr", "cov", "agg"])
def test_results_keep_column_level_names(backend, method):
    pdf = _multi_columns()
    pdf.columns = pd.MultiIndex.from_tuples([("A", "x"), ("A", "y"), ("B", "z")], names=["L0", "L1"])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    args = (["min", "max"],) if method == "agg" else ()
    expected = getattr(pdf, method)(*args)
    got = getattr(df, method)(*args)
    host = to_host(got.compute())
    for have in (got.columns, host.columns):
        _check_labels(have, expected.columns)
    if method in ("corr", "cov"):
        _check_labels(host.index, expected.index)
    assert_eq(got, expected)


def test_results_keep_a_flat_column_name(backend):
    pdf = pd.DataFrame({"a": [1.0, 2, 4], "b": [3.0, 1, 2]}).rename_axis(columns="nm")
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for method, args in [("describe", ()), ("corr", ()), ("agg", (["min", "max"],))]:
        got = to_host(getattr(df, method)(*args).compute())
        assert got.columns.name == getattr(pdf, method)(*args).columns.name == "nm"


@pytest.mark.parametrize("cols", [["x", "c"], ["x"], ["c"]])
def test_corrwith_of_nullable_columns_is_float64_as_pandas(backend, cols):
    a = pd.DataFrame({"x": [1.0, 2, 3, 4], "c": pd.array([1, 0, 2, 2], dtype="Int64")})
    b = pd.DataFrame({"x": [2.0, 1, 3, 5], "c": pd.array([1, 1, 2, 0], dtype="Int64")})
    got = gd.from_pandas(a[cols], npartitions=2, backend=backend).corrwith(gd.from_pandas(b, npartitions=2,
                                                                                           backend=backend))
    expected = a[cols].corrwith(b)
    if backend == "pandas":
        assert got.dtype == to_host(got.compute()).dtype == expected.dtype
        assert_eq(got, expected)
    else:  # cuDF's results hold nulls in float64
        assert to_host(got.compute()).tolist() == pytest.approx(expected.astype("float64").tolist(), nan_ok=True)


@pytest.mark.parametrize("npartitions", [1, 2])
def test_crosstab_of_a_categorical_column_key_sorts_rows(backend, npartitions):
    pdf = pd.DataFrame({"k1": [2, 0, 1, 0, 2], "k2": pd.Categorical(["b", "a", "a", "b", "a"])})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    got = to_host(gd.crosstab(df.k1, df.k2).compute())
    expected = pd.crosstab(pdf.k1, pdf.k2)
    assert got.index.tolist() == expected.index.tolist() == [0, 1, 2]
    assert got.to_numpy().tolist() == expected.to_numpy().tolist()
