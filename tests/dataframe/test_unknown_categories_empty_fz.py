"""Partitions made from the metadata (no rows for an index range) never carry dask's placeholder of unknown
categories into a result (fuzzer finding: read_parquet(filters=) -> merge on the index -> value_counts
listed '__UNKNOWN_CATEGORIES__' with count 0)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.frame.categorical import UNKNOWN_CATEGORIES
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    return pd.DataFrame({"c": list("rqrpqr"), "x": range(6)}, index=[3, 4, 5, 6, 7, 8])


def _unknown_categories(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    return df.assign(c=df.c.astype("category"))


def _ways(df, backend):
    """An index range no partition covers: repartitioned before the first label, merged on the index."""
    other = gd.from_pandas(pd.DataFrame({"z": range(10)}), npartitions=2, backend=backend)
    return {"repartition": df.repartition(divisions=[0, 2, 5, 8], force=True),
            "merge": gd.merge(df, other, left_index=True, right_index=True, how="inner")}


def _by_text(counts):
    """Counts by their values (the categories' order differs: each partition's, unioned)."""
    return counts.set_axis(counts.index.astype(str)).sort_index()


@pytest.mark.parametrize("way", ["repartition", "merge"])
def test_empty_partition_of_unknown_categories_has_no_placeholder(pdf, backend, way):
    df = _unknown_categories(pdf, backend)
    assert UNKNOWN_CATEGORIES in list(to_host(df._meta).c.cat.categories)  # (the metadata keeps it)
    got = _ways(df, backend)[way]
    for i in range(got.npartitions):
        assert UNKNOWN_CATEGORIES not in list(to_host(got.partitions[i].compute()).c.cat.categories)
    counts, expected = to_host(got.c.value_counts().compute()), pdf.c.astype("category").value_counts()
    tm.assert_series_equal(_by_text(counts), _by_text(expected))
    assert UNKNOWN_CATEGORIES not in list(to_host(gd.concat([got, got]).compute()).c.cat.categories)


def test_partitions_made_from_the_metadata_by_the_backend_have_no_placeholder(pdf, backend):
    # a shuffle's output partition that no shard reached, a collection's result of no partitions, an empty
    # partition cast to the metadata: each was the metadata's copy, placeholder categories included
    import gpuscale.backends.frame as bf

    meta = _unknown_categories(pdf, backend)._meta
    empty = gd.from_pandas(pdf.iloc[:0], npartitions=1, backend=backend).compute()
    made = {"concat_shards": bf.concat_shards([None], meta), "empty_like_meta": bf.empty_like_meta(meta),
            "cast_meta": bf.cast_meta(empty, meta)}
    for way, part in made.items():
        host = to_host(part)
        assert len(host) == 0 and list(host.columns) == ["c", "x"], way
        assert str(host.c.dtype) == "category" and UNKNOWN_CATEGORIES not in list(host.c.cat.categories), way
