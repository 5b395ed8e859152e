"""map_partitions without meta=: a partition whose result is another kind (a DataFrame where the inferred
metadata is a Series, or the reverse) raises the metadata mismatch ValueError, as with a declared meta=,
instead of a lazy Series computing to a DataFrame; other dtypes than the sample's are allowed, as dask."""

import warnings

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from frame_helpers import to_host


def _ddf():
    return gd.from_pandas(pd.DataFrame({"a": range(6)}), npartitions=2)


def _compute(lazy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return to_host(lazy.compute())


@pytest.mark.parametrize("func, said", [
    (lambda p: p.a if p.index[0] == 0 else p[["a"]], "Series"),
    (lambda p: p[["a"]] if p.index[0] == 0 else p.a, "DataFrame"),
])
def test_other_kind_of_partition_is_refused(func, said):
    ddf = _ddf()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lazy = ddf.map_partitions(func)
    assert type(lazy).__name__ == said
    with pytest.raises(ValueError, match=f"Metadata mismatch.*{said}.*partition is a"):
        _compute(lazy)


def test_other_dtypes_are_kept():
    ddf = _ddf()
    got = _compute(ddf.map_partitions(lambda p: p.a if p.index[0] == 0 else p.a.astype("f8")))
    pd.testing.assert_series_equal(got, pd.Series([0.0, 1, 2, 3, 4, 5], name="a"))


def test_partition_info_and_keywords_still_given():
    ddf = _ddf()
    got = _compute(ddf.map_partitions(lambda p, k, partition_info=None: p.a * 0 + k + partition_info["number"], k=10))
    assert got.tolist() == [10, 10, 10, 11, 11, 11]


def test_empty_partition_of_other_kind_is_the_metadata():
    # pandas' apply(axis=1) of no rows gives the frame itself: an empty partition of the Series result
    pdf = pd.DataFrame({"a": range(6)})
    ddf = gd.from_pandas(pdf, npartitions=2)
    ddf = ddf[ddf.a > 3]
    got = _compute(ddf.map_partitions(lambda p: p.apply(lambda r: r["a"] * 2, axis=1)))
    assert isinstance(got, pd.Series) and got.tolist() == [8, 10]
