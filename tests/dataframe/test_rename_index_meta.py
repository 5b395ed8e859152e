"""``rename`` of the index by a function: the metadata has the dtype of the labels the function gives (an
empty index kept its own: ``lambda i: f"r{i}"`` said int64 and computed text)."""

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("func", [lambda i: f"r{i}", lambda i: i * 2, lambda i: i / 2], ids=["text", "int", "float"])
def test_series_rename_by_a_function(backend, func):
    s = pd.Series([1, 2, 3, 4])
    got = gd.from_pandas(s, npartitions=2, backend=backend).rename(func)
    expected = s.rename(func)
    assert got._meta.index.dtype == expected.index.dtype
    pd.testing.assert_series_equal(to_host(got.compute()), expected)


def test_dataframe_rename_index_by_a_function(backend):
    pdf = pd.DataFrame({"a": [1, 2, 3]})
    got = gd.from_pandas(pdf, npartitions=2, backend=backend).rename(index=lambda i: f"r{i}")
    expected = pdf.rename(index=lambda i: f"r{i}")
    assert got._meta.index.dtype == expected.index.dtype
    assert got.reset_index().dtypes.to_dict() == expected.reset_index().dtypes.to_dict()
    pd.testing.assert_frame_equal(to_host(got.compute()), expected)


def test_a_function_failing_on_sample_labels_keeps_working(backend):
    names = ["x", "y", "z"]
    s = pd.Series([1, 2, 3])
    got = gd.from_pandas(s, npartitions=2, backend=backend).rename(lambda i: names[i])
    pd.testing.assert_series_equal(to_host(got.compute()), s.rename(lambda i: names[i]), check_index_type=False)
