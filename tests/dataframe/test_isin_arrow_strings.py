"""``isin`` of pandas' Arrow-backed strings with a list of texts: one Arrow call per partition, pandas' answers
(missing values among the values match the missing rows; other kinds of values fall back to pandas)."""

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

VALUE_LISTS = [
    ["a", "c"],
    ["a", None],
    ["b", float("nan")],
    ["zz", pd.NA],
    ("c", "a"),
    ["é", "a"],
    ["a", 1],          # not all texts: pandas' own isin
    [b"a", "c"],       # bytes: pandas drops them
]


@pytest.mark.parametrize("dtype", ["str", "string", "string[pyarrow]", "object"])
@pytest.mark.parametrize("values", VALUE_LISTS, ids=repr)
def test_series_isin_texts_as_pandas(backend, dtype, values):
    if dtype == "object" and any(v is pd.NA or isinstance(v, float) for v in values):
        skip_on_stand_in("cuDF has no object column: its strings' missing values match any missing value")
    pdf = pd.DataFrame({"s": pd.Series(["a", None, "b", "c", "é", None, "a"], dtype=dtype)})
    got = gd.from_pandas(pdf, npartitions=3, backend=backend).s.isin(values).compute()
    expected = pdf.s.isin(values)
    pd.testing.assert_series_equal(to_host(got), expected)


@pytest.mark.parametrize("values", [["a", "c"], ["b", None]], ids=repr)
def test_index_isin_texts_as_pandas(backend, values):
    pdf = pd.DataFrame({"v": range(5)}, index=pd.Index(["a", "b", None, "c", "a"], dtype="str"))
    got = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend).index.isin(values).compute()
    np.testing.assert_array_equal(np.asarray(to_host(got)), pdf.index.isin(values))


def test_long_value_list_as_pandas():
    rng = np.random.default_rng(0)
    s = pd.Series(rng.integers(0, 5_000, 20_000).astype(str), dtype="str")
    values = [str(v) for v in range(0, 5_000, 7)] + [None]
    got = gd.from_pandas(s, npartitions=4, backend="cpu").isin(values).compute()
    pd.testing.assert_series_equal(got, s.isin(values))
