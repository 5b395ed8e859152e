"""``convert_dtypes`` and ``infer_objects`` (pandas'; dask has neither): the dtypes of the whole collection."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    """Partitions that infer differently: whole floats then fractions, numbers then text, a missing boolean."""
    first = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "o": pd.Series([1, 2, 3, 4], dtype=object),
                          "s": ["a", "b", "c", "d"], "b": [True, False, True, True]})
    second = pd.DataFrame({"x": [1.5, np.nan], "o": pd.Series(["z", None], dtype=object), "s": ["c", None],
                           "b": [False, None]})
    return pd.concat([first, second], ignore_index=True)


@pytest.mark.parametrize("rows", [slice(None), slice(0, 4)])
def test_convert_dtypes_and_infer_objects_as_pandas(pdf, rows):
    frame = pdf.iloc[rows]
    df = gd.from_pandas(frame, npartitions=3 if rows.stop is None else 2, backend="cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no deprecated keyword passed on to pandas)
        assert_eq(df.convert_dtypes(), frame.convert_dtypes())
    assert_eq(df.infer_objects(), frame.infer_objects())
    assert_eq(df.x.convert_dtypes(), frame.x.convert_dtypes())
    assert_eq(df.o.infer_objects(), frame.o.infer_objects())


def test_convert_dtypes_on_cudf_partitions(pdf, backend):
    """cuDF partitions (no object columns there): the library's own convert_dtypes, dtypes of the whole."""
    numbers = pdf[["x"]]
    df = gd.from_pandas(numbers, npartitions=3, backend=backend)
    assert_eq(df.convert_dtypes(), numbers.convert_dtypes())
    assert_eq(df.infer_objects(), numbers.infer_objects())


@pytest.mark.parametrize("values", [["a", "b", None, None], [None, None, "a", "b"], [1, 2, None, None],
                                    [True, False, None, None], [1, 2.5, None, None],
                                    [pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01"), None, None],
                                    [None, None, None, None]], ids=["text", "text-after", "ints", "bools",
                                                                    "numbers", "times", "none"])
def test_a_partition_of_missing_values_only_adds_no_dtype(values):
    """pandas infers from the valid values of the whole column: a partition with none (``None`` only, objects)
    leaves the dtype to the others, its missing values held as pandas holds them (int64 becomes float64)."""
    frame = pd.DataFrame({"o": pd.Series(values, dtype=object), "n": [1.0, 2.0, 3.0, 4.0]})
    df = gd.from_pandas(frame, npartitions=2, backend="cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no deprecated concat of all-missing columns)
        assert_eq(df.convert_dtypes(), frame.convert_dtypes())
        assert_eq(df.infer_objects(), frame.infer_objects())
        assert_eq(df.o.convert_dtypes(), frame.o.convert_dtypes())
    empty_first = gd.concat([df[df.n > 9], df])  # (a partition without rows adds no dtype either)
    assert_eq(empty_first.convert_dtypes(), frame.convert_dtypes())
