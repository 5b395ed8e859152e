"""``Index.str.cat`` of a lazy Index with lists, arrays and Indexes (by position), compared with pandas
(fuzzer findings)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

FRAME = pd.DataFrame({"v": [1, 2, 3]}, index=pd.Index(["a", "b", "c"], name="k"))


@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("others", [["x", "y", "z"], pd.Index(["x", "y", "z"]), np.array(["x", "y", "z"]),
                                    [np.array(["x", "y", "z"]), pd.Index(["1", "2", "3"])]],
                         ids=["list", "index", "array", "several"])
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


@pytest.mark.parametrize("dtype", ["object", "string", "str", "string[pyarrow]", "arrow"])
def test_index_cat_of_a_lazy_index_has_pandas_dtype(dtype, backend):
    if dtype == "arrow":
        skip_on_stand_in("Arrow string columns are pandas' extension dtypes")
        dtype = pd.ArrowDtype(pa.string())
    frame = pd.DataFrame({"v": [1, 2, 3]}, index=pd.Index(["a", "b", None], dtype=dtype))
    index = gd.from_pandas(frame, npartitions=2, backend=backend).index
    for others, na_rep in itertools.product((index, ["x", "y", "z"], [index, index.str.upper()]), ("?", None)):
        pandas_others = [to_host(o.compute()) for o in others] if isinstance(others, list) and others[0] is index \
            else to_host(others.compute()) if others is index else others
        expected = frame.index.str.cat(pandas_others, sep="-", na_rep=na_rep)
        got = index.str.cat(others, sep="-", na_rep=na_rep)  # (None: a partition of only missing results)
        computed = got.compute()
        assert got.dtype == computed.dtype  # (the metadata says what the partitions give)
        if backend == "pandas":  # (cuDF has one text dtype of its own)
            assert got.dtype == expected.dtype
        pd.testing.assert_index_equal(to_host(computed), expected, exact=backend == "pandas")
