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


@pytest.mark.parametrize("func", ["cumsum", "rank", "abs", "shift", "diff", "cummax", "isna", np.sqrt])
def test_transform_by_name_or_ufunc(backend, func):
    pdf = pd.DataFrame({"a": [1.0, 2.0, None, 4.0, 3.0], "b": [4.0, 9.0, 16.0, 1.0, 0.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.transform(func), pdf.transform(func))
    assert_eq(df.a.transform(func), pdf.a.transform(func))


def test_transform_dict_and_refusals(backend):
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 9.0, 16.0], "c": [1, 1, 1]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.transform({"b": np.sqrt, "a": "cumsum"}), pdf.transform({"b": np.sqrt, "a": "cumsum"}))
    with pytest.raises(ValueError, match="did not transform"):  # (pandas' words for a reduction)
        df.transform("sum")
    with pytest.raises(NotImplementedError, match="map_partitions"):
        df.transform(lambda col: col - col.mean())
    with pytest.raises(NotImplementedError, match="list"):
        df.transform(["abs", "cumsum"])
