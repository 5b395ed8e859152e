"""Shuffles on a distributed cluster: distributed's P2P shuffle service, a graph linear in partitions.

Every shuffle that goes to a cluster (merge, groupby ``split_out``, sort, set_index, drop_duplicates,
value_counts, ``shuffle``) runs through the workers' P2P shuffle: one transfer task per input
partition, a barrier, one unpack task per output.  Results are compared with pandas, and with the
all-to-all task shuffle (``dataframe.shuffle.method="tasks"``) partition by partition.

The cluster runs its workers in this process, so the strict cuDF leg checks the cuDF branch too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

import gpuscale
import gpuscale.dataframe as gd

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(7)
    n = 6_000
    x = rng.normal(size=n)
    x[::13] = np.nan
    left = pd.DataFrame({"k": rng.integers(0, 500, n), "x": x, "s": rng.choice(["ab", "cd", "efg", "h"], n),
                         "t": pd.date_range("2024-01-01", periods=n, freq="min")},
                        index=pd.Index(np.arange(n) * 3, name="row"))
    right = pd.DataFrame({"k": np.arange(0, 600, 2), "y": np.arange(300) * 1.5})
    return left, right


def _p2p_keys(collection) -> list:
    from gpuscale.runtime.distributed import building_graph_for

    with building_graph_for(True):
        graph = collection.__dask_graph__()
    return [k for k in graph if "p2p-transfer" in str(k)]


def test_merge_runs_through_p2p_and_matches_pandas(client, frames):
    left, right = frames
    dl, dr = gd.from_pandas(left, npartitions=6), gd.from_pandas(right, npartitions=3)
    for how in ("inner", "left", "outer"):
        joined = dl.merge(dr, on="k", how=how, broadcast=False)
        assert _p2p_keys(joined), "the merge did not use the P2P shuffle"
        out = joined.compute()
        tm.assert_frame_equal(to_host(out).sort_values(["k", "x", "t"]).reset_index(drop=True),
                              left.merge(right, on="k", how=how).sort_values(["k", "x", "t"]).reset_index(drop=True))


def test_each_shuffle_output_is_read_inside_the_task_that_uses_it(frames):
    # as dask's P2P hash join: partition j of both sides is taken from the shuffle service by the merge task
    left, right = frames
    dl, dr = gd.from_pandas(left, npartitions=6), gd.from_pandas(right, npartitions=3)
    joined = dl.merge(dr, on="k", broadcast=False)
    from gpuscale.runtime.distributed import building_graph_for

    with building_graph_for(True):
        graph = joined.__dask_graph__()
    names = {k[0] for k in graph if isinstance(k, tuple)}
    assert not any(name.startswith("hashshuffle-") for name in names)
    assert sum("p2p-transfer" in name for name in names) == 2
    # each source partition, read by the shuffle alone, is made inside the transfer task that sends it
    assert len(graph) == (6 + 3) + 2 + 6, sorted(names)  # transfers, barriers, merges


def test_a_partition_also_read_outside_the_shuffle_stays_a_task_of_its_own(client, frames):
    left, right = frames
    dl, dr = gd.from_pandas(left, npartitions=6), gd.from_pandas(right, npartitions=3)
    total = dl.merge(dr, on="k", broadcast=False).y.sum() + dl.x.sum()
    from gpuscale.runtime.distributed import building_graph_for

    with building_graph_for(True):
        graph = total.__dask_graph__()
    names = [key[0] for key in graph if isinstance(key, tuple)]
    assert sum("p2p-transfer" in name for name in names) == 9
    # the left's partitions, read by its transfers and by x.sum(), are tasks; the right's are made in its transfers
    assert sum(name.startswith("from_pandas") for name in names) == 6
    expected = left.merge(right, on="k").y.sum() + left.x.sum()
    assert np.isclose(float(total.compute()), expected)


def test_groupby_split_out_on_p2p(client, frames):
    left, _ = frames
    dl = gd.from_pandas(left, npartitions=6)
    grouped = dl.groupby("k").agg({"x": ["sum", "mean", "std", "count"]}, split_out=4)
    assert _p2p_keys(grouped)
    tm.assert_frame_equal(to_host(grouped.compute()).sort_index(),
                          left.groupby("k").agg({"x": ["sum", "mean", "std", "count"]}), rtol=1e-9)
    counts = dl.s.value_counts(split_out=3).compute()
    tm.assert_series_equal(to_host(counts).sort_index(), left.s.value_counts().sort_index())


def test_sorting_and_set_index_on_p2p(client, frames):
    left, _ = frames
    dl = gd.from_pandas(left, npartitions=5)
    for ascending in (True, False):
        ordered = dl.sort_values("x", ascending=ascending)
        assert _p2p_keys(ordered)
        tm.assert_frame_equal(to_host(ordered.compute()),
                              left.sort_values("x", ascending=ascending, na_position="last", kind="stable"))
    indexed = dl.set_index("x")
    tm.assert_frame_equal(to_host(indexed.compute()), left.set_index("x").sort_index(kind="stable"))
    assert indexed.known_divisions


def test_drop_duplicates_and_shuffle_on_p2p(client, frames):
    left, _ = frames
    dl = gd.from_pandas(left, npartitions=6)
    distinct = dl[["k", "s"]].drop_duplicates(split_out=3)
    tm.assert_frame_equal(to_host(distinct.compute()).sort_values(["k", "s"]).reset_index(drop=True),
                          left[["k", "s"]].drop_duplicates().sort_values(["k", "s"]).reset_index(drop=True))
    shuffled = dl.shuffle("k", npartitions=4)
    assert _p2p_keys(shuffled)
    tm.assert_frame_equal(to_host(shuffled.compute()).sort_index(), left)
    series = dl.x.shuffle(npartitions=3) if hasattr(dl.x, "shuffle") else None
    if series is not None:
        tm.assert_series_equal(to_host(series.compute()).sort_index(), left.x)


def test_p2p_and_task_shuffles_put_the_same_rows_in_each_partition(client, frames):
    left, _ = frames
    dl = gd.from_pandas(left, npartitions=6)
    shuffled = dl.shuffle("k", npartitions=4)
    sizes = {}
    for method in ("p2p", "tasks"):
        with gpuscale.config.set({"dataframe.shuffle.method": method}):
            sizes[method] = to_host(shuffled.map_partitions(lambda p: p.x.sum()).compute()).tolist()
    assert sizes["p2p"] == pytest.approx(sizes["tasks"], nan_ok=True)


def test_labels_arrow_cannot_name_travel_through_p2p(client):
    # integer and tuple column labels, a MultiIndex and categoricals come back as they were
    pdf = pd.DataFrame({0: np.arange(40) % 7, ("a", "b"): np.arange(40.0), "c": pd.Categorical(list("xyzw") * 10)},
                       index=pd.MultiIndex.from_arrays([np.arange(40) // 4, np.arange(40)], names=["g", "i"]))
    df = gd.from_pandas(pdf, npartitions=4)
    out = to_host(df.shuffle(0, npartitions=3).compute()).sort_index()
    tm.assert_frame_equal(out, pdf, check_categorical=False)
    assert list(out.columns) == [0, ("a", "b"), "c"]


def test_nullable_index_dtypes_travel_through_p2p(client, backend):
    # the shuffle restores the columns' dtypes from its schema; the index's come from the metadata
    if backend == "cudf":
        pytest.skip("cuDF has no pandas extension dtypes")
    pdf = pd.DataFrame({"k": pd.array([1, None, 2, 1, 3, 3] * 5, dtype="Int64"),
                        "s": pd.array(list("abbacc") * 5, dtype="string"), "v": range(30)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for key in ("k", "s"):
        got = df.groupby(key, dropna=False).v.sum(split_out=2)
        out = to_host(got.compute())
        assert out.index.dtype == got._meta.index.dtype == pdf[key].dtype
        tm.assert_series_equal(out.sort_index(), pdf.groupby(key, dropna=False).v.sum().sort_index())
    indexed = gd.from_pandas(pdf.dropna().set_index("k"), npartitions=2, backend=backend).clear_divisions()
    joined = to_host(indexed.join(indexed[["v"]].rename(columns={"v": "w"})).compute())
    assert joined.index.dtype == pdf.k.dtype


def test_empty_output_partitions_keep_the_schema(client, frames):
    left, right = frames
    dl, dr = gd.from_pandas(left[left.k < 3], npartitions=4), gd.from_pandas(right, npartitions=2)
    joined = dl.merge(dr, on="k", broadcast=False, npartitions=8)
    out = to_host(joined.compute())
    expected = left[left.k < 3].merge(right, on="k")
    tm.assert_frame_equal(out.sort_values(["k", "x", "t"]).reset_index(drop=True),
                          expected.sort_values(["k", "x", "t"]).reset_index(drop=True))


@pytest.mark.parametrize("n", [1_024, 4_096])
def test_a_cluster_shuffle_graph_grows_linearly_with_partitions(n, backend):
    # graph only (nothing runs): at most a handful of tasks per input partition
    if backend != "pandas":
        pytest.skip("graph shape does not depend on the partition library")
    pdf = pd.DataFrame({"k": np.arange(n * 2) % 97, "v": np.arange(n * 2.0)})
    df = gd.from_pandas(pdf, npartitions=n, sort=False)
    from gpuscale.runtime.distributed import building_graph_for

    for collection in (df.merge(df, on="k", broadcast=False), df.groupby("k").v.sum(split_out=n)):
        with building_graph_for(True):
            graph = collection.__dask_graph__()
        assert len(graph) <= 10 * n, len(graph)


def test_shuffle_method_option_is_checked():
    with pytest.raises(ValueError, match="dataframe.shuffle.method"):
        gpuscale.config.set({"dataframe.shuffle.method": "disk"})


def test_p2p_without_a_cluster_is_refused_clearly(frames):
    left, _ = frames
    df = gd.from_pandas(left, npartitions=3).shuffle("k")
    with gpuscale.config.set({"dataframe.shuffle.method": "p2p"}), \
            pytest.raises(ValueError, match="needs a distributed cluster"):
        df.compute(scheduler="sync")


def _slow_part(i: int) -> pd.DataFrame:
    import time

    time.sleep(0.3)  # keeps the shuffle running while a worker is killed
    rng = np.random.default_rng(i)
    return pd.DataFrame({"k": rng.integers(0, 100, 2_000), "v": rng.random(2_000)})


def test_a_worker_killed_during_a_shuffle_still_gives_the_right_answer(backend):
    # the P2P service restarts the shuffle on the surviving and restarted workers: no hang, no wrong answer
    import os
    import signal
    import time

    if backend != "pandas":
        pytest.skip("worker processes import no stand-in")
    meta = pd.DataFrame({"k": np.int64(0), "v": 0.0}, index=[])
    expected = sum(_slow_part(i).v.sum() for i in range(16))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        total = gd.from_map(_slow_part, range(16), meta=meta).groupby("k").v.sum(split_out=4).sum()
        future = client.compute(total)
        deadline = time.monotonic() + 60
        while not any("p2p-transfer" in str(k) for k in client.who_has()) and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until the shuffle has started
        victim = next(iter(client.scheduler_info()["workers"]))
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)
        assert future.result(timeout=120) == pytest.approx(expected)
