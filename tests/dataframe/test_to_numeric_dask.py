"""``dd.to_numeric`` on Series, arrays and scalars, and the metadata stand-in of nullable booleans,
as dask.dataframe has them (issue 14)."""

from __future__ import annotations

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from dask.delayed import Delayed

import gpuscale.array as ga
import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.mark.parametrize("arg", ["5", 5, "5 ", "5.5"])
def test_scalars_give_a_delayed_value(arg):
    got = gd.to_numeric(arg)
    assert isinstance(got, Delayed)
    assert got.compute() == pd.to_numeric(arg) == dd.to_numeric(arg).compute()
    assert np.isnan(gd.to_numeric("x", errors="coerce").compute())


def test_errors_and_meta_are_checked_as_dask():
    with pytest.raises(ValueError, match="invalid error value"):
        gd.to_numeric("10", errors="ignore")
    with pytest.raises(KeyError, match="``meta`` is not allowed"):
        gd.to_numeric("10", meta=pd.Series([], dtype="float64"))
    df = gd.from_pandas(pd.DataFrame({"a": ["1", "2"]}), npartitions=1)
    with pytest.raises(TypeError, match="arg must be"):
        gd.to_numeric(df)


def test_dask_arrays_are_converted_block_by_block():
    values = np.array(["1.0", "2", "-3", "5.1"])
    arg = da.from_array(values, chunks=2)
    got, reference = gd.to_numeric(arg), dd.to_numeric(arg)
    assert isinstance(got, da.Array) and got.dtype == reference.dtype
    np.testing.assert_array_equal(got.compute(), pd.to_numeric(values))
    typed = gd.to_numeric(arg, meta=np.array((), dtype="float64"))
    assert typed.dtype == np.float64
    np.testing.assert_array_equal(typed.compute(), pd.to_numeric(values))


def test_gpuscale_arrays_are_converted_block_by_block():
    x = ga.from_array(np.array([1.0, 2.0, 3.0, 4.0]), chunks=2, backend="numpy")
    got = gd.to_numeric(x, downcast="integer")
    assert isinstance(got, ga.Array)
    np.testing.assert_array_equal(np.asarray(got.compute()), pd.to_numeric(np.arange(1.0, 5.0), downcast="integer"))


def test_series_with_meta(backend):
    s = pd.Series(["1.0", "2", "-3", "-5.1"])
    got = gd.to_numeric(gd.from_pandas(s, npartitions=2, backend=backend), meta=pd.Series([], dtype="float64"))
    assert got.dtype == "float64"
    assert_eq(got, pd.to_numeric(s))


def test_boolean_stand_in_shows_a_missing_value(backend):
    values = pd.array([True, False, None], dtype="boolean")
    s = gd.from_pandas(pd.Series(values), npartitions=2, backend="pandas")
    expected = dd.from_pandas(pd.Series(values), npartitions=2)._meta_nonempty
    pd.testing.assert_series_equal(s._meta_nonempty, expected)
    df = gd.from_pandas(pd.DataFrame({"A": values}), npartitions=2, backend="pandas")
    pd.testing.assert_frame_equal(df._meta_nonempty, pd.DataFrame({"A": pd.array([True, pd.NA], dtype="boolean")}))
    flagged = gd.from_pandas(pd.DataFrame({"A": values, "x": [1, 2, 3]}), npartitions=2, backend=backend)
    assert_eq(flagged[flagged.A].x, pd.DataFrame({"A": values, "x": [1, 2, 3]}).pipe(lambda p: p[p.A].x))
