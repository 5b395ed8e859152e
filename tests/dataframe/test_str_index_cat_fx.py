"""``Index.str.cat`` of a lazy Index with lists, arrays and Indexes (by position), compared with pandas
(fuzzer findings)."""

from __future__ import annotations

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
