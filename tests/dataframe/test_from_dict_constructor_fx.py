"""from_dict(constructor=) builds the frame with ``constructor.from_dict``, as dask's from_dict."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

DATA = {"x": [1, 2, 3, 4], "y": [0.5, 1.5, 2.5, 3.5]}


def test_from_dict_constructor_pandas():
    df = gd.from_dict(DATA, npartitions=2, constructor=pd.DataFrame)
    assert df.npartitions == 2
    tm.assert_frame_equal(to_host(df.compute()), pd.DataFrame.from_dict(DATA))


def test_from_dict_constructor_is_called():
    calls = []

    class Tracked(pd.DataFrame):
        @classmethod
        def from_dict(cls, data, orient="columns", dtype=None, columns=None):
            calls.append((orient, dtype, columns))
            return pd.DataFrame.from_dict(data, orient=orient, dtype=dtype, columns=columns)

    rows = {"r1": [1, 2], "r2": [3, 4]}
    df = gd.from_dict(rows, 1, "index", "float64", ["a", "b"], Tracked)
    assert calls == [("index", "float64", ["a", "b"])]
    expected = pd.DataFrame.from_dict(rows, orient="index", dtype="float64", columns=["a", "b"])
    tm.assert_frame_equal(to_host(df.compute()), expected)


def test_from_dict_constructor_must_build_a_frame():
    with pytest.raises(TypeError, match="constructor"):
        gd.from_dict(DATA, npartitions=1, constructor=dict)
