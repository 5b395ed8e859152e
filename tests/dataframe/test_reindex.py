"""``reindex`` and ``transpose`` (pandas'; dask has neither), against pandas on both backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    index = pd.date_range("2020-01-01", periods=30, freq="D")[::2]
    return pd.DataFrame({"x": np.arange(15.0), "i": np.arange(15), "b": np.arange(15) % 3 == 0,
                         "s": list("abcdefghijklmno")}, index=index)


_NEW = pd.date_range("2019-12-25", "2020-02-10", freq="D")
_CASES = {
    "rows, wider than the data": lambda m: m.reindex(_NEW),
    "rows filled": lambda m: m[["x", "i"]].reindex(index=_NEW, fill_value=0),
    "a series": lambda m: m.i.reindex(_NEW),
    "columns": lambda m: m.reindex(columns=["s", "z", "x"]),
    "columns by axis, filled": lambda m: m.reindex(["i", "q"], axis=1, fill_value=-1),
    "both": lambda m: m.reindex(index=_NEW[10:20], columns=["x", "new"]),
}


@pytest.mark.parametrize("case", list(_CASES))
def test_reindex_as_pandas(pdf, backend, case):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(_CASES[case](df), _CASES[case](pdf))


def test_reindex_keeps_integers_when_all_found(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    got = df.reindex(pdf.index[3:9])
    assert got.dtypes["i"] == np.int64 and got.dtypes["b"] == bool
    assert_eq(got, pdf.reindex(pdf.index[3:9]))
    assert df.reindex(_NEW).dtypes["i"] == np.float64  # some labels not found: missing values, as pandas


def test_reindex_refusals(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(NotImplementedError, match="sorted labels"):
        df.reindex(_NEW[::-1])
    with pytest.raises(NotImplementedError, match="known divisions"):
        df.clear_divisions().reindex(_NEW)
    with pytest.raises(NotImplementedError, match="method"):
        df.reindex(_NEW, method="ffill")
    with pytest.raises(TypeError, match="columns"):
        df.x.reindex(columns=["a"])


def test_transpose_as_pandas(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    numbers = df[["x", "i"]]
    assert_eq(numbers.describe().T, pdf[["x", "i"]].describe().T)
    assert_eq(numbers.transpose(), pdf[["x", "i"]].transpose())  # int and float: float64, as pandas
    assert numbers.T.npartitions == 1


@settings(max_examples=30, deadline=None)
@given(have=st.sets(st.integers(0, 40), min_size=1, max_size=20), want=st.sets(st.integers(-5, 45), min_size=1,
                                                                             max_size=20),
       nparts=st.integers(1, 4))
def test_reindex_any_partitioning(have, want, nparts):
    pdf = pd.DataFrame({"v": np.arange(len(have))}, index=sorted(have))
    df = gd.from_pandas(pdf, npartitions=min(nparts, len(have)), backend="cpu")
    assert_eq(df.reindex(sorted(want)), pdf.reindex(sorted(want)))


def test_reindex_with_no_labels_is_empty(pdf, backend):
    # pandas gives no rows with the columns and dtypes kept (it raised "sort them first")
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for got, want in [(df.reindex([]), pdf.reindex([])), (df.i.reindex([]), pdf.i.reindex([]))]:
        out = got.compute()
        assert len(out) == 0 and str(out.dtypes) == str(want.dtypes)
        if hasattr(want, "columns"):
            assert list(out.columns) == list(want.columns)
