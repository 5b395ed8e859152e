"""``DataFrame.drop(columns=...)`` of MultiIndex columns: a first-level label drops the columns under it, a tuple
the one column, as pandas (found by fuzzing against pandas 3)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf_mi() -> pd.DataFrame:
    return pd.DataFrame({("x", "sum"): [1.0, 2.0, 3.0], ("x", "max"): [2.0, 4.0, 6.0], ("y", "sum"): [3.0, 5.0, 7.0]})


@pytest.mark.parametrize("columns", ["x", ("x", "max"), ["x", ("y", "sum")], [("x", "max"), ("y", "sum")], ("x",),
                                     {"y"}, ["x", "y"]], ids=str)
def test_drop_multiindex_columns(pdf_mi, backend, columns):
    df = gd.from_pandas(pdf_mi, npartitions=2, backend=backend)
    tm.assert_frame_equal(to_host(df.drop(columns=columns).compute()), pdf_mi.drop(columns=columns))
    tm.assert_frame_equal(to_host(df.drop(columns, axis=1).compute()), pdf_mi.drop(columns, axis=1))


@pytest.mark.parametrize("columns", ["max", "z", ["x", "z"], ("x", "min"), ("x", "y")], ids=str)
def test_drop_multiindex_columns_missing(pdf_mi, backend, columns):
    df = gd.from_pandas(pdf_mi, npartitions=2, backend=backend)
    with pytest.raises(KeyError):
        pdf_mi.drop(columns=columns)
    with pytest.raises(KeyError):
        df.drop(columns=columns)
    tm.assert_frame_equal(to_host(df.drop(columns=columns, errors="ignore").compute()),
                          pdf_mi.drop(columns=columns, errors="ignore"))
