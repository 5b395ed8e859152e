"""Comparisons of nullable columns (``Int64``, ``Float64``, ``boolean``, ``string``) keep pandas' missing results.

pandas gives a nullable ``boolean`` result, missing where an operand is; cuDF keeps those dtypes and nulls, so
nothing may be filled there (only NumPy columns' comparisons, which pandas answers ``False``, are)."""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

OPS = ["eq", "ne", "lt", "le", "gt", "ge"]


@pytest.fixture
def nullable():
    return pd.DataFrame({
        "I": pd.array([None, 1, 2, 3, None, 5], dtype="Int64"),
        "F": pd.array([1.5, None, 2.5, None, 0.5, 3.0], dtype="Float64"),
        "B": pd.array([True, None, False, True, None, False], dtype="boolean"),
        "S": pd.array(["a", None, "b", "c", None, "a"], dtype="string"),
        "x": [1.0, np.nan, 3.0, 4.0, 2.0, np.nan],
    })


SCALARS = {"I": 2, "F": 2.0, "B": True, "S": "b", "x": 2.0}


def _compare(expected, got):
    got = to_host(got)
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got, expected)
    else:
        tm.assert_series_equal(got, expected)


def _compare_values(expected, got):
    """The strict stand-in marks a cuDF bool column holding nulls as ``bool[pyarrow]``, which is also pandas'
    own result for a ``string`` (pyarrow) comparison, and gives it back as ``object``: values compared there."""
    got = to_host(got)
    if got.dtype == object and isinstance(expected.dtype, pd.ArrowDtype):
        got = got.astype(expected.dtype)
    tm.assert_series_equal(got, expected)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("col", list(SCALARS))
def test_series_comparison_with_scalar(nullable, op, col):
    g = gd.from_pandas(nullable, npartitions=2)
    value = SCALARS[col]
    _compare_values(getattr(operator, op)(nullable[col], value), getattr(operator, op)(g[col], value).compute())
    _compare_values(getattr(nullable[col], op)(value), getattr(g[col], op)(value).compute())


@pytest.mark.parametrize("col", list(SCALARS))
def test_filter_by_negated_comparison(nullable, col):
    g = gd.from_pandas(nullable, npartitions=2)
    value = SCALARS[col]
    mask = nullable[col] == value
    got = g[~(g[col] == value)].compute()
    tm.assert_frame_equal(to_host(got), nullable[~mask.fillna(True).astype(bool)] if mask.dtype != bool
                          else nullable[~mask])
    got = g[g[col] == value].compute()
    tm.assert_frame_equal(to_host(got), nullable[mask.fillna(False).astype(bool)])


@pytest.mark.parametrize("op", ["ne", "gt"])
def test_series_comparison_with_series(nullable, op):
    g = gd.from_pandas(nullable, npartitions=3)
    _compare(getattr(operator, op)(nullable.I, nullable.x), getattr(operator, op)(g.I, g.x).compute())
    _compare(getattr(operator, op)(nullable.x, nullable.F), getattr(operator, op)(g.x, g.F).compute())
    _compare(getattr(nullable.F, op)(nullable.I), getattr(g.F, op)(g.I).compute())


@pytest.mark.parametrize("op", ["eq", "ne", "lt"])
def test_frame_comparisons_keep_nullable_columns_missing(nullable, op):
    num = nullable[["I", "F", "x"]]
    g = gd.from_pandas(num, npartitions=2)
    _compare(getattr(operator, op)(num, 2), getattr(operator, op)(g, 2).compute())
    _compare(getattr(num, op)(2), getattr(g, op)(2).compute())
    _compare(getattr(num, op)(num[::-1].reset_index(drop=True)),
             getattr(g, op)(gd.from_pandas(num[::-1].reset_index(drop=True), npartitions=2)).compute())
