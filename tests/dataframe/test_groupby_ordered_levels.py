"""Groupby by several keys with an ordered categorical key: the result's level stays ordered, as pandas' (cuDF's
concat of the partitions' partials and results dropped the ordering of each MultiIndex level)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("split_out", [1, 2])
def test_ordered_categorical_key_level_stays_ordered(split_out):
    pdf = pd.DataFrame({"c": pd.Categorical(list("abab"), ordered=True), "u": list("xxyy"), "v": [1, 2, 3, 4]})
    gb, pgb = gd.from_pandas(pdf, npartitions=2).groupby(["c", "u"]), pdf.groupby(["c", "u"], observed=True)
    for got, expected in [(gb.v.sum(split_out=split_out), pgb.v.sum()), (gb.v.prod(split_out=split_out), pgb.v.prod()),
                          (gb.agg({"v": ["sum", "median"]}), pgb.agg({"v": ["sum", "median"]}))]:
        got = to_host(got.compute()).sort_index()
        assert got.index.levels[0].dtype == expected.index.levels[0].dtype  # (ordered)
        if isinstance(expected, pd.DataFrame):
            tm.assert_frame_equal(got, expected, check_dtype=False)
        else:
            tm.assert_series_equal(got, expected, check_dtype=False)
