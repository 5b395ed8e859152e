"""``describe()`` of non-numeric data: the metadata's dtypes are those of the computed table (cuDF writes
non-numeric tables as strings, ``"str"``; pandas as objects)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def mixed():
    return pd.DataFrame({"s": ["a", "b", "a", "c", "a", "b"], "t": pd.date_range("2021", periods=6),
                         "b": [True, False, True, True, False, True], "x": [1.0, 2, 3, 4, 5, 6]})


def _same_as_pandas(got, expected, backend):
    """The computed table: pandas' values (as cuDF's strings on cuDF)."""
    if backend == "cudf":
        expected = expected.map(lambda v: None if pd.isna(v) else str(v)) if isinstance(expected, pd.Series) \
            else expected.apply(lambda c: c if c.dtype != object else c.map(lambda v: None if pd.isna(v)
                                                                             else str(v)))
    pd.testing.assert_series_equal(got.astype(object), expected.astype(object)) if isinstance(got, pd.Series) \
        else pd.testing.assert_frame_equal(got.astype(object), expected.astype(object))


@pytest.mark.parametrize("col", ["s", "t", "b"])
def test_series_describe_meta_is_result_dtype(mixed, col, backend):
    r = gd.from_pandas(mixed, npartitions=2)[col].describe()
    got = to_host(r.compute())
    assert to_host(r._meta).dtype == got.dtype
    _same_as_pandas(got, mixed[col].describe(), backend)


@pytest.mark.parametrize("include", ["all", None])
def test_frame_describe_meta_is_result_dtypes(mixed, include, backend):
    frame = mixed if include == "all" else mixed[["s", "b"]]
    r = gd.from_pandas(frame, npartitions=2).describe(include=include)
    got = to_host(r.compute())
    assert to_host(r._meta).dtypes.to_dict() == got.dtypes.to_dict()
    _same_as_pandas(got, frame.describe(include=include), backend)
