"""``DataFrame.agg`` / ``Series.agg`` by the names of reductions (pandas'; dask has none), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    b = rng.random(40)
    b[::7] = np.nan
    return pd.DataFrame({"a": rng.integers(0, 9, 40), "b": b, "s": rng.choice(list("xyz"), 40)})


@pytest.mark.parametrize("func", ["sum", ["sum", "mean", "max"], ["count", "nunique", "std", "median"]])
def test_frame_agg_by_names(pdf, backend, func):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df[["a", "b"]].agg(func), pdf[["a", "b"]].agg(func))
    assert_eq(df.a.aggregate(func), pdf.a.aggregate(func))


def test_frame_agg_by_column(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    spec = {"a": ["sum", "min"], "b": "max", "s": ["nunique"]}  # a table: NaN where a name did not reduce a column
    assert_eq(df.agg(spec), pdf.agg(spec))
    assert_eq(df.agg({"a": "sum", "b": "mean"}), pdf.agg({"a": "sum", "b": "mean"}))  # one name each: a Series


def test_agg_refuses_what_it_does_not_take(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    with pytest.raises(NotImplementedError, match="reductions agg takes by name"):
        df.agg(["sum", np.mean])
    with pytest.raises(NotImplementedError, match="axis"):
        df.agg("sum", axis=1)
