"""``unstack`` of a frame whose columns are a MultiIndex (``agg({"v": ["sum", "max"]})``): the unstacked level is
appended to the column levels, as pandas (found by fuzzing against pandas 3)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    return pd.DataFrame({"a": [0, 0, 1, 1, 2, 2, 0], "b": list("xyxyxzz"), "c": [0, 1, 0, 1, 1, 0, 1],
                         "v": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "w": [1, 2, 3, 4, 5, 6, 7]})


@pytest.mark.parametrize("level", [-1, 0, "b"])
def test_unstack_frame_with_multiindex_columns(pdf, backend, level):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    how = {"v": ["sum", "max"], "w": ["min"]}
    assert_eq(df.groupby(["a", "b"]).agg(how).unstack(level), pdf.groupby(["a", "b"]).agg(how).unstack(level))


def test_unstack_three_column_levels_filled(pdf, backend):
    p = pdf.groupby(["a", "b"]).agg({"v": ["sum", "max"]})
    p.columns = pd.MultiIndex.from_tuples([("v", s, "p") for _, s in p.columns], names=["col", "how", "tag"])
    df = gd.from_pandas(p, npartitions=2, backend=backend)
    assert_eq(df.unstack(fill_value=0.0), p.unstack(fill_value=0.0))
    assert_eq(df.unstack("a"), p.unstack("a"))
