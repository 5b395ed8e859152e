"""``with dask.annotate(...)`` around the building of gpuscale collections: the annotations reach those tasks
on a distributed scheduler wherever the collection is computed (as dask.array's layers keep them), and only
those tasks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.array as ga
import gpuscale.dataframe as gd

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0",
                                  resources={"GPU": 1}) as cluster, distributed.Client(cluster) as client:
        yield cluster, client


def _tasks(cluster, prefix: str) -> list:
    """The scheduler's task states whose key names start with ``prefix``."""
    states = list(cluster.scheduler.tasks.values())
    return [ts for ts in states if isinstance(ts.key, tuple) and ts.key[0].startswith(prefix)]


def test_annotations_around_building_reach_the_tasks(cluster):
    cluster, client = cluster
    with dask.annotate(qux="bar", priority=15, retries=2):
        x = ga.ones(10, chunks=5)
    y = x.persist()  # outside the block
    distributed.wait(distributed.futures_of(y))
    try:
        built = _tasks(cluster, "ones")
        assert len(built) == 2
        for ts in built:
            assert ts.annotations["qux"] == "bar"
            assert ts.retries == 2
            assert ts.priority[0] == -15
        np.testing.assert_array_equal(y.compute(), np.ones(10))
    finally:
        del y


def test_only_the_nodes_built_inside_are_annotated(cluster):
    cluster, client = cluster
    x = ga.arange(8, chunks=2) + 1
    with dask.annotate(resources={"GPU": 1}):
        y = x.map_blocks(lambda b: b * 10, dtype=x.dtype)
    z = y.sum()
    future = client.compute(z)
    try:
        assert future.result() == (np.arange(8) + 1).sum() * 10
        restricted = [ts for ts in cluster.scheduler.tasks.values() if ts.resource_restrictions]
        assert len(restricted) == 4  # the four mapped blocks, not their inputs nor the sum
        assert all(ts.key[0].startswith("<lambda>") for ts in restricted)
        assert all(ts.resource_restrictions == {"GPU": 1} for ts in restricted)
        assert all(ts.annotations == {} or "resources" not in ts.annotations
                   for ts in cluster.scheduler.tasks.values() if ts not in restricted)
    finally:
        del future


_FLAKY_FAILURES: list = []  # how many more calls of _flaky_double fail


def _flaky_double(block):
    # module-level (pickled by reference: the in-process workers share the counter)
    if _FLAKY_FAILURES and _FLAKY_FAILURES.pop():
        raise ZeroDivisionError("a flaky failure")
    return 2 * block


def test_later_annotations_do_not_override_earlier_ones(cluster):
    # the flaky step may be retried, the reliable one not: fusing them under one set would lose one
    cluster, client = cluster
    x = ga.ones(10, chunks=5)
    with dask.annotate(retries=2):
        y = x.map_blocks(_flaky_double, meta=np.array((), dtype=float))
    with dask.annotate(retries=0):
        z = y.map_blocks(np.multiply, 2, meta=np.array((), dtype=float))
    _FLAKY_FAILURES[:] = [True, True]
    np.testing.assert_array_equal(client.compute(z).result(), np.full(10, 4.0))
    assert not _FLAKY_FAILURES
    _FLAKY_FAILURES[:] = [True, True]
    # (other blocks than y's: the same blocks would be y's keys, which the cluster may still know with y's retries,
    # as dask's keys carry no annotations either)
    unannotated = ga.ones(10, chunks=2).map_blocks(_flaky_double, meta=np.array((), dtype=float))
    with pytest.raises(ZeroDivisionError, match="flaky"):
        client.compute(unannotated).result()
    _FLAKY_FAILURES.clear()


def test_a_chain_built_in_one_block_is_still_fused(cluster):
    cluster, client = cluster
    x = ga.from_array(np.arange(12.0), chunks=4)
    with dask.annotate(retries=1):
        y = (x + 1) * 2 - 3
    future = client.compute(y)
    try:
        np.testing.assert_array_equal(future.result(), (np.arange(12.0) + 1) * 2 - 3)
        annotated = [ts for ts in cluster.scheduler.tasks.values() if ts.annotations.get("retries") == 1]
        assert len(annotated) == 3  # one fused task per block
    finally:
        del future


def test_workers_annotation_and_culling(cluster):
    cluster, client = cluster
    chosen = sorted(cluster.scheduler.workers)[1]
    x = ga.ones((2, 2, 2), chunks=1)
    with dask.annotate(workers=[chosen]):
        y = x.map_blocks(lambda b: b + 1, dtype=x.dtype)
    corner = client.compute(y[0, 0, 0], optimize_graph=False)
    assert corner.result() == 2
    persisted = y.persist()
    distributed.wait(distributed.futures_of(persisted))
    try:
        states = [cluster.scheduler.tasks[f.key] for f in distributed.futures_of(persisted)]
        assert len(states) == 8
        assert all(ts.worker_restrictions == {chosen} for ts in states)
        assert all(ts.who_has == {cluster.scheduler.workers[chosen]} for ts in states)
    finally:
        del persisted, corner


def test_call_annotations_apply_under_those_of_the_building(cluster):
    cluster, client = cluster
    pdf = pd.DataFrame({"x": range(20), "y": range(20)})
    df = gd.from_pandas(pdf, npartitions=4)
    with dask.annotate(foo="built", retries=3):
        mapped = df.map_partitions(lambda p: p + 1)
    total = mapped.x.sum()
    before = set(cluster.scheduler.tasks)
    with dask.annotate(foo="call"):
        future = client.compute(total)
    try:
        assert future.result() == (pdf.x + 1).sum()
        states = [ts for key, ts in cluster.scheduler.tasks.items() if key not in before]
        built = [ts for ts in states if ts.annotations.get("foo") == "built"]
        assert len(built) == 4 and all(ts.retries == 3 for ts in built)
        others = [ts for ts in states if ts not in built]
        assert others and all(ts.annotations.get("foo") == "call" for ts in others)
    finally:
        del future


def test_the_optimizer_keeps_annotations_on_what_replaces_a_node(cluster, tmp_path):
    # a filter and a projection pushed into an annotated parquet read: the reader that replaces them keeps them
    cluster, client = cluster
    pdf = pd.DataFrame({"x": range(40), "y": range(40), "z": range(40)})
    pdf.to_parquet(tmp_path / "data.parquet")
    with dask.annotate(resources={"GPU": 1}):
        df = gd.read_parquet(tmp_path / "data.parquet")
    picked = df[df.x > 10][["x", "y"]]
    future = client.compute(picked)
    try:
        pd.testing.assert_frame_equal(future.result(), pdf[pdf.x > 10][["x", "y"]])
        restricted = [ts for ts in cluster.scheduler.tasks.values() if ts.resource_restrictions]
        assert restricted and all(ts.resource_restrictions == {"GPU": 1} for ts in restricted)
    finally:
        del future


def test_annotated_collections_compute_alike_everywhere(cluster):
    _, client = cluster
    with dask.annotate(resources={"GPU": 1}):
        x = ga.arange(10, chunks=3) * 2
        frame = gd.from_pandas(pd.DataFrame({"a": range(6)}), npartitions=2).a.cumsum()
    expected = np.arange(10) * 2
    np.testing.assert_array_equal(x.compute(scheduler="sync"), expected)
    np.testing.assert_array_equal(dask.compute(x, scheduler="sync")[0], expected)
    np.testing.assert_array_equal(x.compute(), expected)  # the default client
    pd.testing.assert_series_equal(frame.compute(), pd.Series(range(6), name="a").cumsum())
    assert isinstance(x.__dask_graph__(), dask.highlevelgraph.HighLevelGraph)
    assert isinstance((ga.arange(10, chunks=3) * 2).__dask_graph__(), dict)  # none: a plain graph


def test_collections_computed_together_keep_their_annotations(cluster):
    cluster, client = cluster
    x = ga.arange(12, chunks=4)
    with dask.annotate(retries=4):
        doubled = x.map_blocks(np.multiply, 2, dtype=x.dtype)
    with dask.annotate(retries=5):
        tripled = x.map_blocks(np.multiply, 3, dtype=x.dtype)
    plus = x + 1  # no annotations of its own
    before = set(cluster.scheduler.tasks)
    futures = client.compute([doubled, tripled, plus])
    try:
        results = client.gather(futures)
        for result, expected in zip(results, [np.arange(12) * 2, np.arange(12) * 3, np.arange(12) + 1]):
            np.testing.assert_array_equal(result, expected)
        retries = sorted(ts.retries for key, ts in cluster.scheduler.tasks.items()
                         if key not in before and isinstance(key, tuple))
        assert retries.count(4) == 3 and retries.count(5) == 3
    finally:
        del futures


def test_collections_planned_together_keep_their_annotations(cluster):
    # gpuscale.persist of several collections sends one graph of their joint plans: its annotated nodes' tasks
    # still carry their marks
    import gpuscale

    cluster, client = cluster
    x = ga.arange(12, chunks=4)
    with dask.annotate(retries=6):
        doubled = x.map_blocks(np.multiply, 2, dtype=x.dtype)
    plus = doubled + 1
    before = set(cluster.scheduler.tasks)
    persisted = gpuscale.persist(doubled, plus)
    try:
        distributed.wait([f for p in persisted for f in distributed.futures_of(p)])
        np.testing.assert_array_equal(persisted[1].compute(), np.arange(12) * 2 + 1)
        retries = [ts.retries for key, ts in cluster.scheduler.tasks.items() if key not in before
                   and isinstance(key, tuple)]
        assert retries.count(6) == 3  # the three blocks of the annotated step, run once for both results
    finally:
        del persisted


def test_a_shuffle_built_inside_carries_the_annotations(cluster):
    # a merge lowered to a P2P hash shuffle on the cluster: its transfer, barrier and output tasks are annotated
    cluster, client = cluster
    left = pd.DataFrame({"k": range(40), "a": range(40)})
    right = pd.DataFrame({"k": range(0, 80, 2), "b": range(40)})
    gl, gr = gd.from_pandas(left, npartitions=4), gd.from_pandas(right, npartitions=3)
    with dask.annotate(retries=3):
        merged = gl.merge(gr, on="k", shuffle_method="p2p", broadcast=False)
    before = set(cluster.scheduler.tasks)
    future = client.compute(merged)
    try:
        expected = left.merge(right, on="k")
        got = future.result().sort_values("k").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected.sort_values("k").reset_index(drop=True), check_dtype=False)
        states = [ts for key, ts in cluster.scheduler.tasks.items() if key not in before]
        names = {(ts.key[0] if isinstance(ts.key, tuple) else ts.key).split("-")[0] for ts in states
                 if ts.retries == 3}
        assert any(name.startswith("p2p") for name in names), names
        assert all(ts.retries == 3 for ts in states if "p2p" in str(ts.key)), names
    finally:
        del future


def test_a_pickled_collection_keeps_its_annotations():
    import copy
    import pickle

    with dask.annotate(resources={"GPU": 1}):
        x = ga.arange(6, chunks=3) * 2
        frame = gd.from_pandas(pd.DataFrame({"a": range(4)}), npartitions=2).a + 1
    plain = ga.arange(6, chunks=3) * 2
    for collection in (x, frame):
        for copied in (pickle.loads(pickle.dumps(collection)), copy.deepcopy(collection)):
            assert copied.expr._name == collection.expr._name
            assert copied.expr._annotations == {"resources": {"GPU": 1}}
            assert isinstance(copied.__dask_graph__(), dask.highlevelgraph.HighLevelGraph)
    assert pickle.loads(pickle.dumps(plain)).expr._annotations is None


def test_compute_and_persist_hand_the_clients_keywords_to_it(cluster):
    # x.compute(resources=..., retries=...) on a client applies them to every task, as dask hands them over
    import warnings

    import gpuscale
    from gpuscale.runtime import get

    cluster, client = cluster
    x = ga.arange(10, chunks=5) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of them is "ignored"
        persisted = x.persist(resources={"GPU": 1}, retries=2, priority=7)
        distributed.wait(distributed.futures_of(persisted))
        states = [cluster.scheduler.tasks[f.key] for f in distributed.futures_of(persisted)]
        assert len(states) == 2
        assert all(ts.resource_restrictions == {"GPU": 1} and ts.retries == 2 and ts.priority[0] == -7
                   for ts in states)
        assert int(x.sum().compute(retries=1, workers=sorted(cluster.scheduler.workers)[:1])) == 55
        assert gpuscale.compute(x.sum(), resources={"GPU": 1}, allow_other_workers=True)[0] == 55
        assert get({"a": (sum, [1, 2])}, "a", scheduler=client, retries=3, fifo_timeout="1s") == 3
    _FLAKY_FAILURES[:] = [True]
    flaky = x.map_blocks(_flaky_double, dtype=x.dtype)
    np.testing.assert_array_equal(flaky.compute(retries=1), (np.arange(10) + 1) * 2)
    with pytest.warns(UserWarning, match="'reties'"):  # a typo is named, not dropped silently
        x.sum().compute(reties=1)
    del persisted


def test_explain_shows_where_the_annotations_are(capsys):
    x = ga.ones(10, chunks=5)
    with dask.annotate(resources={"GPU": 1}):
        y = x.map_blocks(np.multiply, 2, dtype=x.dtype)
    (y + 1).sum().explain()
    lines = capsys.readouterr().out.splitlines()
    annotated = [line for line in lines if "annotations=" in line]
    assert len(annotated) == 2 and all("MapBlocks" in line and "{'resources': {'GPU': 1}}" in line
                                       for line in annotated)  # in the plan before and after optimization
