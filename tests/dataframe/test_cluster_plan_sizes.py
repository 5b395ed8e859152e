"""Plans for a distributed cluster weigh parquet reads by the bytes of the columns read, not by partitions.

A table of many small files (TPC-H's supplier and customer at SF 10: 40 files of 2-4 MB) is broadcast to
the other side of a merge there, where a shuffle costs a task and a shard per partition; a narrow projection
of many partitions is grouped in a tree instead of a P2P shuffle.  The local runtime keeps its plans.
Answers are compared with pandas, computed on the cluster.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from tests.dataframe.frame_helpers import to_host

import gpuscale
import gpuscale.dataframe as gd
from gpuscale.runtime.distributed import building_graph_for

distributed = pytest.importorskip("distributed")

PARTITION_BYTES = 64_000


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("plans")
    rng = np.random.default_rng(3)
    n = 40_000
    big = pd.DataFrame({"k": rng.integers(0, 400, n), "v": rng.normal(size=n),
                        "note": rng.choice(["a fairly long comment " * 3, "short"], n)})
    small = pd.DataFrame({"k": np.arange(400), "name": [f"n{i}" for i in range(400)]})
    (root / "big").mkdir()
    (root / "small").mkdir()
    for i in range(4):
        big.iloc[i * n // 4:(i + 1) * n // 4].to_parquet(root / "big" / f"part.{i}.parquet", index=False,
                                                          row_group_size=1_000)
    for i in range(20):  # 20 files of 20 rows: many partitions, few bytes
        small.iloc[i * 20:(i + 1) * 20].to_parquet(root / "small" / f"part.{i}.parquet", index=False)
    return root, big, small


def _read(root, name):
    with gpuscale.config.set({"dataframe.partition_bytes.cpu": PARTITION_BYTES,
                              "dataframe.partition_bytes.gpu": PARTITION_BYTES}):
        return gd.read_parquet(str(root / name))


def _plan(collection, cluster: bool) -> str:
    with building_graph_for(cluster):
        return collection.expr.optimize(fuse=False).tree_repr()


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        yield client


def test_a_side_of_many_small_files_is_broadcast_on_a_cluster(tables, client):
    root, big, small = tables
    joined = _read(root, "big")[["k", "v"]].merge(_read(root, "small"), on="k")
    assert _read(root, "small").npartitions == 20
    assert "BroadcastMerge" in _plan(joined, cluster=True)
    assert "BroadcastMerge" not in _plan(joined, cluster=False)  # 20 partitions weigh 20 locally
    expected = big[["k", "v"]].merge(small, on="k")
    got = to_host(client.compute(joined, sync=True))
    pd.testing.assert_frame_equal(got.sort_values(["k", "v"]).reset_index(drop=True),
                                  expected.sort_values(["k", "v"]).reset_index(drop=True))


def test_a_narrow_groupby_of_many_partitions_is_a_tree_on_a_cluster(tables, client):
    root, big, _ = tables
    frame = _read(root, "big")
    assert frame.npartitions >= 16  # planned for all columns, the long comments included
    sums = frame[["k", "v"]].groupby("k").v.sum()
    assert "HashShuffle" not in _plan(sums, cluster=True)
    assert "HashShuffle" in _plan(sums, cluster=False)  # split_out from the partition count locally
    pd.testing.assert_series_equal(to_host(client.compute(sums, sync=True)), big.groupby("k").v.sum())


def _whole_rounds(partitions: int, client) -> int:
    """``partitions`` rounded up to a multiple of the cluster's worker threads."""
    threads = sum(client.nthreads().values())
    return -(-partitions // threads) * threads


def test_cluster_threads_are_the_default_clients(client):
    from gpuscale.runtime.distributed import cluster_threads

    assert cluster_threads() == sum(client.nthreads().values()) == 2


def _shuffle_outputs(plan: str) -> list[int]:
    return [int(n) for n in re.findall(r"HashShuffle: on=[^\n]*npartitions=(\d+)", plan)]


def test_a_narrow_drop_duplicates_is_sized_by_its_bytes_on_a_cluster(tables, client):
    """TPC-H Q22's anti-join: the distinct keys of a narrow projection of many files are shuffled into as
    many partitions as their bytes fill on a cluster (a tree when they fit one), not one per file."""
    root, big, small = tables
    keys = _read(root, "big")[["k"]].drop_duplicates()
    local = _shuffle_outputs(_plan(keys, cluster=False))
    assert len(local) == 1 and local[0] >= 16  # as many outputs as input partitions locally
    weight = math.ceil(40_000 * 8 / PARTITION_BYTES)  # the int64 column's bytes over the partition size
    assert _shuffle_outputs(_plan(keys, cluster=True)) == [_whole_rounds(weight, client)]
    with gpuscale.config.set({"dataframe.partition_bytes.cpu": 10**9}):
        whole = gd.read_parquet(str(root / "big"))[["k"]].drop_duplicates()
        assert _shuffle_outputs(_plan(whole, cluster=True)) == []  # fits one partition: a tree
    got = to_host(client.compute(keys, sync=True))
    assert sorted(got.k) == sorted(big.k.unique())
    unmatched = _read(root, "small").merge(keys, on="k", how="left", indicator=True)
    got = to_host(client.compute(unmatched[unmatched["_merge"] == "left_only"][["k"]], sync=True))
    expected = small.merge(big[["k"]].drop_duplicates(), on="k", how="left", indicator=True)
    assert sorted(got.k) == sorted(expected[expected["_merge"] == "left_only"].k)


def test_a_shuffle_join_is_sized_by_its_bytes_on_a_cluster(tables, client):
    """A join of two narrow projections of many partitions shuffles into as many partitions as the larger
    side's bytes fill on a cluster (each P2P transfer pays per output partition), one per input locally."""
    root, big, _ = tables
    left = _read(root, "big")[["k", "v"]]
    right = _read(root, "big")[["k", "v"]]
    right = right[right.v > 0].rename(columns={"v": "w"})
    joined = left.merge(right, on="k", broadcast=False)
    local = _shuffle_outputs(_plan(joined, cluster=False))
    assert len(set(local)) == 1 and local[0] >= 16  # both sides to the larger side's partition count
    weight = _whole_rounds(math.ceil(40_000 * 16 / PARTITION_BYTES), client)  # two 8-byte columns' bytes
    assert _shuffle_outputs(_plan(joined, cluster=True)) == [weight, weight]
    expected = big[["k", "v"]].merge(big[big.v > 0][["k", "v"]].rename(columns={"v": "w"}), on="k")
    got = to_host(client.compute(joined, sync=True))
    pd.testing.assert_frame_equal(got.sort_values(["k", "v", "w"]).reset_index(drop=True),
                                  expected.sort_values(["k", "v", "w"]).reset_index(drop=True))


def test_a_broadcast_join_of_many_small_files_is_sized_by_its_bytes_on_a_cluster(tables, client):
    """TPC-H Q15: forty supplier files joined with a one-row result, then sorted. On a cluster the join has
    as many partitions as the small files' bytes fill (one), so the sort needs no shuffle; locally, and where
    the join keeps the big side's index divisions, one per file (locally a shuffle join, then a sorting shuffle)."""
    root, big, small = tables
    top = _read(root, "big")[["k", "v"]].groupby("k").v.sum().reset_index()
    top = top[top.v == top.v.max()]
    joined = _read(root, "small").merge(top, on="k").sort_values("k")
    cluster_plan = _plan(joined, cluster=True)
    assert "BroadcastMerge: how=inner, broadcast right  [npartitions=1]" in cluster_plan
    assert "RangeShuffle" not in cluster_plan
    assert "RangeShuffle: by='k', ascending=True, npartitions=20" in _plan(joined, cluster=False)
    sums = big.groupby("k").v.sum().reset_index()
    expected = small.merge(sums[sums.v == sums.v.max()], on="k").sort_values("k")
    got = to_host(client.compute(joined, sync=True))
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    indexed = gd.from_pandas(small.set_index("k"), npartitions=20).merge(top.set_index("k"), left_index=True,
                                                                        right_index=True)
    assert "npartitions=20" in _plan(indexed, cluster=True).splitlines()[0]
    # a filtered side's size is a guess (each condition counts as halving it): its partitions stay where they are
    many = _read(root, "small")
    filtered = many[(many.k > 3) & (many.k < 390) & (many.k != 7) & (many.k != 8) & (many.k != 9)]
    assert filtered.expr.data_weight < 1 / 16
    assert "broadcast right  [npartitions=20]" in _plan(filtered.merge(top, on="k"), cluster=True)
