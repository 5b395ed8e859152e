"""``.str`` results of text partitions holding only missing values, and of pandas objects as ``str.cat``
operands, compared with pandas (fuzzer findings)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

ARROW_TEXT = {"string": pa.string(), "large_string": pa.large_string()}


@pytest.mark.parametrize("arrow", sorted(ARROW_TEXT))
@pytest.mark.parametrize("method, args", [("split", ("_",)), ("rsplit", ("_",)), ("findall", ("a",)),
                                          ("encode", ("utf-8",))])
def test_arrow_text_keeps_arrow_results_of_an_all_missing_partition(arrow, method, args, backend):
    skip_on_stand_in("Arrow string columns are pandas' extension dtypes")
    s = pd.Series([None, None, "a_b", "c_d"], dtype=pd.ArrowDtype(ARROW_TEXT[arrow]))
    g = gd.from_pandas(s, npartitions=2, backend=backend)
    expected = getattr(s.str, method)(*args)
    got = getattr(g.str, method)(*args)
    assert got.dtype == expected.dtype
    pd.testing.assert_series_equal(to_host(got.compute()), expected)


@pytest.mark.parametrize("dtype", [object, "string", "str"])
def test_other_text_of_an_all_missing_partition_gives_objects(dtype, backend):
    s = pd.Series([None, None, "a_b", "c_d"], dtype=dtype)
    g = gd.from_pandas(s, npartitions=2, backend=backend)
    got = to_host(g.str.split("_").compute())
    assert str(got.dtype) == "object"
    assert got.iloc[2:].map(list).tolist() == [["a", "b"], ["c", "d"]]
    assert got.iloc[:2].isna().all()
