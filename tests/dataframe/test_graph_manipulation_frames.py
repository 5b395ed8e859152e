"""dask.graph_manipulation (clone, bind, wait_on) of DataFrames, Series and Scalars: the rebuilt collection
computes what the original does, from new keys.  The rebuilder is handed a graph of tasks under renamed keys;
it took those tasks for computed partitions ('tuple' object has no attribute 'sort_values')."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import sort_rows, to_host

gm = pytest.importorskip("dask.graph_manipulation")


@pytest.fixture
def frames():
    left = pd.DataFrame({"k": [1, 2, 1, 3, 2, 1, 3, 2], "x": [5.0, 3.0, 1.0, 4.0, 2.0, 6.0, 8.0, 7.0]})
    right = pd.DataFrame({"k": [1, 2, 3], "y": [10, 20, 30]})
    return left, right, gd.from_pandas(left, npartitions=3), gd.from_pandas(right, npartitions=2)


def _keys(collection):
    return set(dict(collection.__dask_graph__()))


def _cases(left, right, df, other):
    """(gpuscale collection, the pandas result) pairs beyond partition-wise maps."""
    return {
        "groupby": (df.groupby("k").x.sum(), left.groupby("k").x.sum()),
        "sort_values": (df.sort_values("x"), left.sort_values("x")),
        "merge": (df.merge(other, on="k"), left.merge(right, on="k")),
        "series": (df.x * 2, left.x * 2),
        "index": (df.index, left.index),
    }


@pytest.mark.parametrize("case", ["groupby", "sort_values", "merge", "series", "index"])
def test_clone_computes_the_same_from_new_keys(frames, case):
    left, right, df, other = frames
    collection, expected = _cases(left, right, df, other)[case]
    cloned = gm.clone(collection)
    assert type(cloned) is type(collection)
    assert not _keys(cloned) & _keys(collection)  # dask's contract: nothing shared with the original graph
    got = to_host(cloned.compute())
    if case == "merge":
        tm.assert_frame_equal(sort_rows(got), sort_rows(expected))
    elif case == "index":
        tm.assert_index_equal(got, expected)
    elif case == "sort_values":
        tm.assert_frame_equal(got, expected)
    else:
        tm.assert_series_equal(got.sort_index(), expected.sort_index())
    assert cloned.npartitions == collection.npartitions and cloned.divisions == collection.divisions


def test_clone_of_a_reduction_is_a_scalar_with_new_keys(frames):
    left, _, df, _ = frames
    total = df.x.sum()
    cloned = gm.clone(total)
    assert type(cloned) is type(total)
    assert not _keys(cloned) & _keys(total)
    assert np.isclose(cloned.compute(), left.x.sum())
    assert np.isclose((gm.clone(df.x.max()) - cloned).compute(), left.x.max() - left.x.sum())


def test_cloned_collections_can_be_worked_on(frames):
    left, _, df, _ = frames
    got = (gm.clone(df).groupby("k").x.mean() + gm.clone(df.x.sum())).compute()
    tm.assert_series_equal(to_host(got).sort_index(), (left.groupby("k").x.mean() + left.x.sum()).sort_index())


def test_bind_to_parents_computes_the_same(frames):
    left, right, df, other = frames
    biggest, ordered = gm.bind([df.x.max(), df.sort_values("x")], [other, df.x.sum()])
    assert np.isclose(biggest.compute(), left.x.max())
    tm.assert_frame_equal(to_host(ordered.compute()), left.sort_values("x"))
    joined = gm.bind(df.merge(other, on="k"), df.groupby("k").x.sum())
    tm.assert_frame_equal(sort_rows(joined.compute()), sort_rows(left.merge(right, on="k")))


def test_wait_on_computes_the_same(frames):
    left, _, df, _ = frames
    total, ordered = gm.wait_on(df.x.sum(), df.sort_values("x"))
    assert np.isclose(total.compute(), left.x.sum())
    tm.assert_frame_equal(to_host(ordered.compute()), left.sort_values("x"))


def test_clone_of_a_persisted_collection(frames):
    left, _, df, _ = frames
    persisted = df.groupby("k").x.sum().persist()
    tm.assert_series_equal(to_host(gm.clone(persisted).compute()).sort_index(), left.groupby("k").x.sum())


def test_clone_of_a_cluster_shuffle_is_refused_with_the_way_round(frames):
    # dask's clone renames keys but not inside dask Task nodes: a P2P shuffle's barrier kept waiting on the old
    # transfers (a missing-key error when computed) and would share the original's shuffle
    import gpuscale

    distributed = pytest.importorskip("distributed")
    left, _, df, _ = frames
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster):
        with pytest.raises(NotImplementedError, match="dataframe.shuffle.method"):
            gm.clone(df.sort_values("x"))
        with gpuscale.config.set({"dataframe.shuffle.method": "tasks"}):
            cloned = gm.clone(df.sort_values("x"))
        tm.assert_frame_equal(to_host(cloned.compute()), left.sort_values("x"))
