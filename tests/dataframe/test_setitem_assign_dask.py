"""Column assignment as dask: chunked arrays, columns by position, boolean masks, refused types."""

from __future__ import annotations

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    return pd.DataFrame({"a": rng.integers(0, 10, 30), "b": rng.normal(size=30)}, index=np.arange(30) * 2)


def test_assign_chunked_array_block_per_partition(frame, backend):
    values = np.arange(30.0)
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    ddf = dd.from_pandas(frame, npartitions=3)
    df["z"] = da.from_array(values, chunks=10)
    ddf["z"] = da.from_array(values, chunks=10)
    assert_eq(df, ddf.compute())
    assert_eq(df, frame.assign(z=values))


def test_assign_chunked_array_errors(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    with pytest.raises(ValueError, match="only supports 1-D arrays"):
        df["z"] = da.ones((30, 2), chunks=10)
    with pytest.raises(ValueError, match="Number of partitions do not match"):
        df["z"] = da.ones(30, chunks=5)
    with pytest.raises(TypeError, match="got a list, which has no partitions"):
        df.assign(z=list(range(30)))
    with pytest.raises(TypeError, match="got a ndarray"):
        df.assign(z=np.arange(30))


def test_assign_index_and_pandas_series(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    assert_eq(df.assign(i=df.index), frame.assign(i=frame.index))
    assert_eq(df.assign(c=frame.a + 1), frame.assign(c=frame.a + 1))


def test_setitem_list_of_columns_by_position(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    other = df.assign(y=df.a + 1, z=df.b - 1)
    df[["p", "q"]] = other[["y", "z"]]
    expected = frame.copy()
    expected[["p", "q"]] = frame.assign(y=frame.a + 1, z=frame.b - 1)[["y", "z"]]
    assert_eq(df, expected)
    with pytest.raises(ValueError, match="same length as key"):
        df[["p"]] = other[["y", "z"]]


def test_setitem_boolean_masks(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    expected = frame.copy()
    df[df > 5] = 5
    expected[expected > 5] = 5
    assert_eq(df, expected)
    df[df.a < 3] = -1
    expected[expected.a < 3] = -1
    assert_eq(df, expected)
    ddf = dd.from_pandas(frame, npartitions=3)
    ddf[ddf > 5] = 5
    ddf[ddf.a < 3] = -1
    assert_eq(df, ddf.compute())
