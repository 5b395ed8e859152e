"""pandas 3's column expressions (``pd.col``) wherever pandas evaluates them on the frame, and ``select``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq

col = pytest.importorskip("pandas").__dict__.get("col")
pytestmark = pytest.mark.skipif(col is None, reason="pandas before 3 has no pd.col")
needs_pandas_3_1 = pytest.mark.skipif(not hasattr(pd.DataFrame, "select"),
                                      reason="pandas before 3.1 has no DataFrame.select nor filter(cond=)")


@pytest.fixture
def pdf():
    return pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [4.0, 5.0, 6.0, 7.0, 8.0], "s": list("vwxyz")})


_CASES = {
    "assign": lambda d: d.assign(z=pd.col("a") * 2 + pd.col("b"), w=pd.col("z") - 1),
    "assign with methods and ufuncs": lambda d: d.assign(u=pd.col("s").str.upper(), l=np.log(pd.col("b"))),
    "getitem filter": lambda d: d[pd.col("a") > 2],
    "loc filter and columns": lambda d: d.loc[(pd.col("a") > 1) & (pd.col("b") < 8), ["b", "s"]],
    "where": lambda d: d[["a", "b"]].where(pd.col("a") > 2, 0),
    "mask": lambda d: d[["a", "b"]].mask(pd.col("b") > 5),
    "expression methods": lambda d: d.assign(c=pd.col("b").where(pd.col("a") > 1, 0).round()),
}
_SELECTS = {
    "select": lambda d: d.select("s", (pd.col("a") + 1).rename("a1"), t=pd.col("b") * 2),
    "select a list": lambda d: d.select(["b", "a"]),
}


@pytest.mark.parametrize("case", list(_CASES))
def test_col_expressions_as_pandas(pdf, backend, case):
    """Each expression is evaluated on the collection (lazy Series), so pandas and cuDF partitions run it alike."""
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(_CASES[case](df), _CASES[case](pdf))


@needs_pandas_3_1
@pytest.mark.parametrize("case", list(_SELECTS))
def test_select_as_pandas(pdf, backend, case):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(_SELECTS[case](df), _SELECTS[case](pdf))


def test_setitem_with_an_expression_mask(pdf, backend):
    df = gd.from_pandas(pdf[["a", "b"]], npartitions=2, backend=backend)
    df[pd.col("a") > 2] = 0
    expected = pdf[["a", "b"]].copy()
    expected[pd.col("a") > 2] = 0
    assert_eq(df, expected)


@needs_pandas_3_1
def test_select_a_label_twice(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    if backend == "cudf":  # cuDF's column labels are unique
        with pytest.raises(NotImplementedError, match="twice"):
            df.select(["b", "a", "b"])
    else:
        assert_eq(df.select(["b", "a", "b"]), pdf.select(["b", "a", "b"]))


@needs_pandas_3_1
def test_select_errors(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    with pytest.raises(KeyError, match="zz"):
        df.select("a", "zz")
    with pytest.raises(TypeError, match="not both"):
        df.select(["a"], "b")
    with pytest.raises(ValueError, match="unnamed"):
        df.select(pd.col("a") + pd.col("b").rename("q"))


_FILTERS = {
    "expression, positional": lambda d: d.filter(pd.col("a") > 2),
    "callable cond": lambda d: d.filter(cond=lambda x: x.a % 2 == 0),
    "mask with missing values": lambda d: d.filter(cond=pd.col("m")),
    "missing counted as True": lambda d: d.filter(cond=pd.col("m"), na=True),
    "columns by a callable mask": lambda d: d.filter(lambda x: x.columns.str.startswith("a"), axis=1),
    "Series": lambda d: d.a.filter(cond=lambda s: s > 2),
}


@needs_pandas_3_1
@pytest.mark.parametrize("case", list(_FILTERS))
def test_filter_cond_as_pandas(pdf, backend, case):
    """pandas 3.1's ``filter(cond=, na=)`` (a positional callable or expression is a mask too)."""
    pdf = pdf.assign(m=pd.array([True, None, True, False, None], dtype="boolean"))
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(_FILTERS[case](df), _FILTERS[case](pdf))


@needs_pandas_3_1
def test_filter_cond_errors(pdf):
    pdf = pdf.assign(m=pd.array([True, None, True, False, None], dtype="boolean"))
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    with pytest.raises(ValueError, match="NA"):
        df.filter(cond=pd.col("m"), na="raise").compute()
    with pytest.raises(ValueError, match="axis=0"):
        df.filter(cond=pd.col("a") > 1, axis=1)
    with pytest.raises(TypeError, match="boolean mask"):
        df.filter(cond=pd.col("a"))
    with pytest.raises(TypeError, match="cannot be combined"):
        df.filter(items=["a"], cond=pd.col("m"))
