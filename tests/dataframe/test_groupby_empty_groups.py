"""Groupby reductions of groups without a valid value: pandas' sum is 0 and product 1 (libcudf's groupby gives
null there), missing with ``min_count`` >= 1; and keywords beside a dict of functions, which pandas ignores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf() -> pd.DataFrame:
    return pd.DataFrame({"k": [0, 0, 1, 1, 2, 2], "y": [2.0, 3.0, np.nan, np.nan, 4.0, np.nan],
                         "z": [1.0, np.nan, np.nan, np.nan, 5.0, 6.0]})


def _same(got, expected):
    got = to_host(got.compute()).sort_index()
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got, expected.sort_index())
    else:
        tm.assert_series_equal(got, expected.sort_index())


@pytest.mark.parametrize("split_out", [1, 2])
def test_product_of_a_group_without_a_valid_value_is_one(pdf, split_out):
    """The product of group 1 (only NaN) is 1, as pandas' (it was NaN on cuDF partitions: cuDF's own groupby
    product, run on whole groups, is null there)."""
    gb, pgb = gd.from_pandas(pdf, npartitions=2).groupby("k"), pdf.groupby("k")
    _same(gb.y.prod(split_out=split_out), pgb.y.prod())
    _same(gb.prod(split_out=split_out), pgb.prod())
    _same(gb.agg("prod", split_out=split_out), pgb.agg("prod"))
    _same(gb.agg({"y": "prod", "z": "sum"}, split_out=split_out), pgb.agg({"y": "prod", "z": "sum"}))
    _same(gb.y.agg("prod", split_out=split_out), pgb.y.agg("prod"))


def test_sum_and_product_beside_whole_group_aggregations(pdf):
    """Lists, dicts of lists and named aggregations with a median (run on whole groups): the sums and products
    of group 1 are 0 and 1."""
    gb, pgb = gd.from_pandas(pdf, npartitions=2).groupby("k"), pdf.groupby("k")
    _same(gb.y.agg(["prod", "sum", "median"]), pgb.y.agg(["prod", "sum", "median"]))
    _same(gb.agg({"y": ["prod", "median"], "z": ["sum"]}), pgb.agg({"y": ["prod", "median"], "z": ["sum"]}))
    _same(gb.agg({"y": "prod", "z": "median"}), pgb.agg({"y": "prod", "z": "median"}))
    _same(gb.agg(p=("y", "prod"), s=("z", "sum"), m=("z", "median")),
          pgb.agg(p=("y", "prod"), s=("z", "sum"), m=("z", "median")))
    _same(gb.y.agg(p="prod", m="median"), pgb.y.agg(p="prod", m="median"))


def test_min_count_keeps_groups_without_enough_values_missing(pdf):
    gb, pgb = gd.from_pandas(pdf, npartitions=2).groupby("k"), pdf.groupby("k")
    for how in ("sum", "prod"):
        _same(getattr(gb.y, how)(min_count=1), getattr(pgb.y, how)(min_count=1))
        _same(getattr(gb, how)(min_count=2), getattr(pgb, how)(min_count=2))
        _same(gb.agg(how, min_count=1), pgb.agg(how, min_count=1))
        _same(gb.y.agg([how, "max"], min_count=1), pgb.y.agg([how, "max"], min_count=1))


@pytest.mark.parametrize("split_out", [1, 2])
def test_keywords_beside_a_dict_of_functions_are_ignored_as_pandas(pdf, split_out):
    """pandas gives the functions of a dict no keywords (``agg({"y": "std"}, ddof=0)`` is the std of ddof 1); cuDF's
    agg was handed them (the strict stand-in refuses: cuDF ignores them itself)."""
    gb, pgb = gd.from_pandas(pdf, npartitions=2).groupby("k"), pdf.groupby("k")
    _same(gb.agg({"y": "std"}, ddof=0, split_out=split_out), pgb.agg({"y": "std"}, ddof=0))
    _same(gb.agg({"y": ["var", "mean"]}, ddof=0, split_out=split_out), pgb.agg({"y": ["var", "mean"]}, ddof=0))
    _same(gb.agg({"y": "sum", "z": "prod"}, min_count=1, split_out=split_out),
          pgb.agg({"y": "sum", "z": "prod"}, min_count=1))
