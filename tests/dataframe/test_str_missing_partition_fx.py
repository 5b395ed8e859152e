"""``.str`` results of text partitions holding only missing values, and of pandas objects as ``str.cat``
operands, compared with pandas (fuzzer findings)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import needs_pandas_3

ARROW_TEXT = {"string": pa.string(), "large_string": pa.large_string()}


_NULL_TYPED_IN_PANDAS_2 = needs_pandas_3("findall/encode of Arrow text without values give null[pyarrow]")


@pytest.mark.parametrize("arrow", sorted(ARROW_TEXT))
@pytest.mark.parametrize("method, args", [("split", ("_",)), ("rsplit", ("_",)),
                                          pytest.param("findall", ("a",), marks=_NULL_TYPED_IN_PANDAS_2),
                                          pytest.param("encode", ("utf-8",), marks=_NULL_TYPED_IN_PANDAS_2)])
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


CAT = pd.DataFrame({"s": ["a", "b", None, "d"], "t": ["x", "y", "z", None], "u": ["p", "q", "r", "s"]},
                   index=[10, 11, 12, 13])


@pytest.mark.parametrize("npartitions", [1, 2])
def test_cat_with_a_dataframe_joins_its_columns_by_label(npartitions, backend):
    g = gd.from_pandas(CAT, npartitions=npartitions, backend=backend)
    others = CAT[["t", "u"]].iloc[::-1]  # (pandas aligns a DataFrame's rows by label)
    for kwargs in ({"sep": ","}, {"sep": ",", "na_rep": "?"}):
        expected = CAT.s.str.cat(others, **kwargs)
        pd.testing.assert_series_equal(to_host(g.s.str.cat(others, **kwargs).compute()), expected)
        pd.testing.assert_series_equal(to_host(g.s.str.cat(g[["t", "u"]], **kwargs).compute()),
                                       CAT.s.str.cat(CAT[["t", "u"]], **kwargs))


def test_cat_with_a_2d_array_joins_its_columns_by_position(backend):
    g = gd.from_pandas(CAT, npartitions=2, backend=backend)
    values = CAT[["t", "u"]].fillna("-").to_numpy()
    pd.testing.assert_series_equal(to_host(g.s.str.cat(values, sep=",").compute()), CAT.s.str.cat(values, sep=","))


def test_cat_refuses_a_dataframe_in_a_list_as_pandas(backend):
    g = gd.from_pandas(CAT, npartitions=2, backend=backend)
    four = CAT.assign(v="w")  # (as many columns as rows: not refused for its length)
    with pytest.raises(TypeError, match="others must be"):
        CAT.s.str.cat([four, CAT.s])
    with pytest.raises(TypeError, match="others must be"):
        g.s.str.cat([four, CAT.s])


@pytest.mark.parametrize("text", ["object", "string", "str", "string[pyarrow]", "arrow", "large_arrow", "category"])
@pytest.mark.parametrize("dtype", [None, bool, "int8", "float64"])
@needs_pandas_3("str.get_dummies has no dtype=")
def test_get_dummies_dtype_as_pandas_for_each_text_dtype(text, dtype, backend):
    arrow = {"arrow": pa.string(), "large_arrow": pa.large_string()}
    if text in arrow:
        skip_on_stand_in("Arrow string columns are pandas' extension dtypes")
    s = pd.Series(["a_b", "c", None, None], dtype=pd.ArrowDtype(arrow[text]) if text in arrow else text)
    g = gd.from_pandas(s, npartitions=2, backend=backend).str.get_dummies("_", dtype=dtype)
    expected = s.str.get_dummies("_", dtype=dtype)
    assert g.dtypes.tolist() == expected.dtypes.tolist()
    pd.testing.assert_frame_equal(to_host(g.compute()), expected)
