"""The lazy Index's array-giving tests (``isin``, ``isna``, ``.str.contains``), ``where`` and ``.str`` metadata
against pandas (cases found by fuzzing against pandas 3 / dask)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.dataframe import host_testing as tm

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


def _host_array(got):
    """A computed block-array result on the host (CuPy, the stand-in's device arrays)."""
    return np.asarray(to_host(got))


_DEVICE_BLOCKS = "its isin gives device arrays (array_api_strict) that have no len() and cannot become columns, " \
    "which CuPy arrays can"


@pytest.mark.parametrize("test", ["isin", "isna", "notna", "isnull", "notnull"])
def test_index_tests_are_arrays_of_every_partition(backend, test):
    """``idx.isin([1, 4])`` (and ``isna``/``notna``) of several partitions gave the first partition's array only
    (a lazy scalar); pandas gives the whole index's."""
    pdf = pd.DataFrame({"v": range(6)}, index=[0.0, 1.0, None, 3.0, 4.0, None])
    df = gd.from_pandas(pdf, npartitions=3, sort=False)

    def call(idx):
        return idx.isin([1.0, 4.0]) if test == "isin" else getattr(idx, test)()

    got = call(df.index)
    assert got.dtype == bool
    np.testing.assert_array_equal(_host_array(got.compute()), call(pdf.index))


def test_index_isin_array_masks_rows(backend):
    """The array of ``isin`` selects rows of the frame, as pandas' mask does."""
    skip_on_stand_in(_DEVICE_BLOCKS)
    pdf = pd.DataFrame({"v": range(6)})
    df = gd.from_pandas(pdf, npartitions=3)
    tm.assert_frame_equal(to_host(df.loc[df.index.isin([1, 4])].compute()), pdf.loc[pdf.index.isin([1, 4])])


@pytest.mark.parametrize("dtype", ["string[python]", "string[pyarrow]"])
def test_index_str_tests_of_nullable_strings_cover_every_partition(backend, dtype):
    """``.str.contains`` of a "string" Index gives pandas a BooleanArray, which was taken for a lazy scalar (the
    first partition's values only)."""
    idx = pd.Index(["a_b", "c", "ab", "d_e", "xa", "y"], dtype=dtype)
    pdf = pd.DataFrame({"v": range(6)}, index=idx)
    df = gd.from_pandas(pdf, npartitions=3, sort=False)
    for call in (lambda i: i.str.contains("a"), lambda i: i.str.startswith("a"), lambda i: i.str.isalpha()):
        got = to_host(call(df.index).compute())
        np.testing.assert_array_equal(_host_array(got), np.asarray(call(idx)))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_index_where_lazy_array_condition(backend, npartitions):
    """``idx.where(idx > 2)`` of two partitions gave every partition the first one's mask (all NaN), and of one
    partition the metadata said int64 where the result is float64."""
    pdf = pd.DataFrame({"v": range(6)})
    idx = gd.from_pandas(pdf, npartitions=npartitions).index
    expected = pdf.index.where(pdf.index > 2)
    got = idx.where(idx > 2)
    assert got.dtype == expected.dtype
    tm.assert_index_equal(to_host(got.compute()), expected)
    skip_on_stand_in(_DEVICE_BLOCKS)
    tm.assert_index_equal(to_host(idx.where(idx.isin([1, 5]), -1).compute()),
                          pdf.index.where(pdf.index.isin([1, 5]), -1))


def test_index_where_array_of_other_blocks_is_refused(backend):
    """An array condition with another number of blocks cannot meet the partitions by position."""
    idx = gd.from_pandas(pd.DataFrame({"v": range(6)}), npartitions=2).index
    other = gd.from_pandas(pd.DataFrame({"v": range(6)}), npartitions=3).index
    with pytest.raises(ValueError, match="one block per partition"):
        idx.where(other > 2)


@pytest.mark.parametrize("call", [lambda i: i.str.split("_", n=1, expand=True),
                                  lambda i: i.str.rsplit("_", n=1, expand=True),
                                  lambda i: i.str.get_dummies("_")], ids=["split", "rsplit", "get_dummies"])
def test_index_str_multiindex_results_are_refused_clearly(backend, call):
    """pandas gives these a MultiIndex; they failed with AttributeError ('Index' object has no attribute 'iloc')."""
    pdf = pd.DataFrame({"v": range(4)}, index=pd.Index(["a_b", "c", "ab", "d_e"]))
    df = gd.from_pandas(pdf, npartitions=2, sort=False)
    with pytest.raises(NotImplementedError, match=r"Index\.str\..*MultiIndex.*to_series"):
        call(df.index)


@pytest.mark.parametrize("method", ["len", "count", "find", "rfind"])
def test_str_counts_of_a_partition_of_only_missing_objects(backend, method):
    """An object Series with a partition of only None gave that partition object counts (the whole result
    object); pandas gives float64 with NaN there."""
    if backend != "pandas":
        pytest.skip("cuDF has no object columns: its strings keep their dtype whatever the values")
    s = pd.Series(["ab", None, "abc"], dtype=object)
    g = gd.from_pandas(s, npartitions=3)
    expected = s.str.len() if method == "len" else getattr(s.str, method)("b")
    got = g.str.len() if method == "len" else getattr(g.str, method)("b")
    tm.assert_series_equal(got.compute(), expected)


@pytest.mark.parametrize("method", ["partition", "rpartition"])
def test_str_partition_of_a_partition_of_only_missing_objects(backend, method):
    """pandas gives a partition of only None one column; the missing row became [None, nan, nan] where pandas
    gives [None, None, None] for the whole Series."""
    if backend != "pandas":
        pytest.skip("cuDF has no object columns")
    s = pd.Series(["a_b", None, "abc"], dtype=object)
    g = gd.from_pandas(s, npartitions=3)
    got = getattr(g.str, method)("_").compute()
    expected = getattr(s.str, method)("_")
    assert got.values.tolist() == expected.values.tolist()
    tm.assert_frame_equal(got, expected)


@pytest.mark.parametrize("name,call", [
    ("upper", lambda i: i.str.upper()), ("get", lambda i: i.str.get(0)), ("slice", lambda i: i.str[1:]),
    ("replace", lambda i: i.str.replace("a", "b")), ("len", lambda i: i.str.len()),
    ("extract", lambda i: i.str.extract("([a-z])_", expand=False)),
])
def test_index_str_metadata_of_object_labels(backend, name, call):
    """pandas infers an Index's dtype from the values: ``upper`` of object labels gives str, ``extract`` object;
    the metadata said object and str (the partitions the other)."""
    if backend != "pandas":
        skip_on_stand_in("cuDF has no object labels apart from its strings")
    pdf = pd.DataFrame({"v": range(4)}, index=pd.Index(["a_b", "c", "ab", "d_e"], dtype=object))
    df = gd.from_pandas(pdf, npartitions=2, sort=False)
    got = call(df.index)
    expected = call(pdf.index)
    assert got.dtype == expected.dtype
    tm.assert_index_equal(got.compute(), expected)


def test_index_str_index_of_substring_missing_from_sample(backend):
    """``str.index`` of a substring every label has: the metadata's stand-in values lack it, which must not fail."""
    pdf = pd.DataFrame({"v": range(4)}, index=pd.Index(["a_b", "c_", "_ab", "d_e"]))
    df = gd.from_pandas(pdf, npartitions=2, sort=False)
    tm.assert_index_equal(to_host(df.index.str.index("_").compute()), pdf.index.str.index("_"), exact=False)
