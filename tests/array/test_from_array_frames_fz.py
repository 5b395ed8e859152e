"""``ga.from_array`` of a dataframe collection (gpuscale's or dask's) gives its values, as ``ga.asarray`` does:
it was read as a lazy source sliced by ``x[a:b]`` (label or refused positional slicing of a Series)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.array as ga
import gpuscale.dataframe as gd
from array_helpers import assert_same, compute, skip_without_frames


def _same_values(x: ga.Array, expected: np.ndarray) -> None:
    # the row counts are unknown until computed, as ga.asarray's (chunks= computes them)
    assert x.dtype == expected.dtype and x.ndim == expected.ndim
    np.testing.assert_array_equal(compute(x), expected)


def _series() -> pd.Series:
    return pd.Series(np.arange(10.0), index=np.arange(10) * 3)  # labels are not positions


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0) * 2}, index=np.arange(10) * 3)


@pytest.mark.parametrize("make", [_series, _frame])
def test_from_array_of_gpuscale_frame(backend: str, make) -> None:
    skip_without_frames(backend)
    data = make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not warned about as "a dask collection read as an array"
        x = ga.from_array(gd.from_pandas(data, npartitions=3))
    _same_values(x, data.to_numpy())


def test_from_array_of_gpuscale_series_chunks(backend: str) -> None:
    skip_without_frames(backend)
    x = ga.from_array(gd.from_pandas(_series(), npartitions=3), chunks=4)
    assert x.chunks == ((4, 4, 2),)
    assert_same(x, _series().to_numpy())


@pytest.mark.parametrize("make", [_series, _frame])
def test_from_array_of_dask_frame(backend: str, make) -> None:
    dd = pytest.importorskip("dask.dataframe")
    skip_without_frames(backend)
    data = make()
    _same_values(ga.from_array(dd.from_pandas(data, npartitions=3)), data.to_numpy())
    x = ga.from_array(dd.from_pandas(data, npartitions=3), chunks=4)
    assert x.chunks[0] == (4, 4, 2)
    assert_same(x, data.to_numpy())
