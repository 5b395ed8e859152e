"""``Index.str.cat`` of a lazy Index with lists, arrays and Indexes (by position), compared with pandas
(fuzzer findings)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

FRAME = pd.DataFrame({"v": [1, 2, 3]}, index=pd.Index(["a", "b", "c"], name="k"))


@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("others", [["x", "y", "z"], pd.Index(["x", "y", "z"]), np.array(["x", "y", "z"]),
                                    [np.array(["x", "y", "z"]), pd.Index(["1", "2", "3"])]], ids=["list", "index", "array",
                                                                                         "several"])
def test_index_cat_with_in_memory_values_by_position(others, npartitions, backend):
    index = gd.from_pandas(FRAME, npartitions=npartitions, backend=backend).index
    expected = FRAME.index.str.cat(others, sep="-")
    got = to_host(index.str.cat(others, sep="-").compute())
    pd.testing.assert_index_equal(got, expected)


SPLIT = pd.Series(["a1b2c", "x9y", "p q  r", None], name="w")


@pytest.mark.parametrize("pat, options", [(r"\d", {"regex": True}), (r"\d", {}), (r"\s+", {"regex": True}),
                                          (re.compile(r"[\d ]"), {}), (re.compile(r"\d"), {"regex": True})],
                         ids=["digit", "digit-inferred", "spaces", "compiled", "compiled-regex"])
@pytest.mark.parametrize("n", [1, 2])
def test_split_expand_by_a_regex_has_n_plus_one_columns(pat, options, n, backend):
    g = gd.from_pandas(SPLIT, npartitions=2, backend=backend).str.split(pat, n=n, expand=True, **options)
    expected = SPLIT.str.split(pat, n=n, expand=True, **options)
    assert list(g.columns) == list(expected.columns) == list(range(n + 1))
    pd.testing.assert_frame_equal(to_host(g.compute()), expected)
    pd.testing.assert_series_equal(to_host(g[1].compute()), expected[1])
