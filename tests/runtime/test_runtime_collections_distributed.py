"""gpuscale collections on a Dask distributed cluster, as dask's collections behave there (dask's
``dask/tests/test_distributed.py`` and distributed's ``test_dask_collections.py``, compared with dask)."""

from __future__ import annotations

import asyncio
import gc
import weakref

import numpy as np
import pandas as pd
import pytest

import gpuscale.array as ga
import gpuscale.dataframe as gd

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield client


def test_from_delayed_takes_futures(client):
    df = pd.DataFrame({"x": [1, 2, 3]})
    ddf = gd.from_delayed(client.scatter([df, df]))
    pd.testing.assert_frame_equal(ddf.compute(), pd.concat([df, df]))
    one = gd.from_delayed(client.scatter(df), meta=df.iloc[:0])
    pd.testing.assert_frame_equal(one.compute(), df)
    with pytest.raises(TypeError, match="Delayed objects or distributed Futures"):
        gd.from_delayed([1, 2])


def test_array_from_delayed_takes_futures(client):
    x = np.arange(5)
    blocks = [ga.from_delayed(f, shape=x.shape, dtype=x.dtype) for f in client.scatter([x, x])]
    np.testing.assert_array_equal(ga.concatenate(blocks).compute(), np.concatenate([x, x]))


def test_await_persisted_collections_on_an_asynchronous_client():
    async def run():
        async with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0",
                                            asynchronous=True) as cluster, \
                distributed.Client(cluster, asynchronous=True) as c:
            frame = gd.from_pandas(pd.DataFrame({"x": range(10)}), npartitions=2)
            persisted = await c.persist(frame)
            assert all(f.done() for f in distributed.futures_of(persisted))
            assert (await c.compute(persisted)).x.sum() == 45
            array = await c.persist(ga.arange(10, chunks=5) + 1)
            assert int(await c.compute(array.sum())) == 55
            assert await gd.from_pandas(pd.DataFrame({"x": [1]}), npartitions=1) is not None  # no futures: at once

    asyncio.run(run())


def test_persisted_futures_are_released_without_a_gc_pass():
    # a persisted array's node referred to itself (a kept fusion result), so its futures, and the cluster's
    # memory, were held until Python's cycle collector ran
    async def run():
        async with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0",
                                            asynchronous=True) as cluster, \
                distributed.Client(cluster, asynchronous=True) as c:
            y = await c.persist(ga.arange(100, chunks=20) + 1)
            z = await c.persist(y[:20])
            refs = [weakref.ref(f) for f in distributed.futures_of(y) + distributed.futures_of(z)]
            del y, z
            assert all(ref() is None for ref in refs)

    gc.collect()
    gc.disable()
    try:
        asyncio.run(run())
    finally:
        gc.enable()


def test_map_partitions_enforce_metadata_and_clear_divisions(client):
    import dask.dataframe as dd

    pdf = pd.DataFrame({"a": range(10)})
    ours, theirs = gd.from_pandas(pdf, npartitions=2), dd.from_pandas(pdf, npartitions=2)
    renamed = {"meta": pd.DataFrame({"b": pd.Series([], dtype="int64")}), "enforce_metadata": False}
    # not checked against meta: the partitions keep their column, as dask's
    pd.testing.assert_frame_equal(ours.map_partitions(lambda d: d, **renamed).compute(),
                                  theirs.map_partitions(lambda d: d, **renamed).compute())
    with pytest.raises(ValueError, match="Metadata mismatch"):
        ours.map_partitions(lambda d: d, meta=renamed["meta"]).compute()
    cleared = ours.map_partitions(lambda d: d + 1, clear_divisions=True)
    assert cleared.divisions == theirs.map_partitions(lambda d: d + 1, clear_divisions=True).divisions
    pd.testing.assert_frame_equal(cleared.compute(), pdf + 1)


def test_reduction_takes_a_token(client):
    series = pd.Series([1] * 170, index=range(2, 172))
    result = gd.from_pandas(series, npartitions=34).reduction(
        chunk=lambda x: x, aggregate=lambda x: x.sum().sum(), split_every=False, token="commit-dataset", meta=object)
    assert client.compute(result).result() == 170


def test_to_zarr_refuses_a_memory_store_on_a_cluster(client):
    zarr = pytest.importorskip("zarr")
    z = zarr.open_array(shape=(3, 3), chunks=(1, 1), dtype="f8", store=zarr.storage.MemoryStore(), mode="a")
    with pytest.raises(RuntimeError, match="distributed scheduler"):
        ga.ones((3, 3), chunks=1).to_zarr(z)
    ga.ones((3, 3), chunks=1).to_zarr(z, scheduler="threads")  # the local runtime writes this process's memory
    np.testing.assert_array_equal(z[:], np.ones((3, 3)))


def test_blockwise_takes_futures_as_arguments(client):
    def add(x, y, z, extra_arg):
        return x + y + z + extra_arg

    y, z = client.submit(lambda v: v, 2), client.submit(lambda v: v, 3)
    x = ga.blockwise(add, "x", ga.zeros((3,), chunks=1), "x", ga.ones((3,), chunks=1), "x", y, None,
                     concatenate=False, dtype=int, extra_arg=z)
    np.testing.assert_array_equal(client.compute(x).result(), np.full(3, 6.0))


def test_blocking_compute_with_an_asynchronous_client(tmp_path):
    # as dask: an error naming the cause, or dask's admin.async-client-fallback scheduler with a warning
    import dask

    async def run():
        async with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0",
                                            asynchronous=True) as cluster, \
                distributed.Client(cluster, asynchronous=True) as c:
            frame = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3] * 5, "y": range(15)}), npartitions=3)
            with pytest.raises(RuntimeError, match="asynchronous"):
                frame.x.sum().compute()
            with dask.config.set({"admin.async-client-fallback": "sync"}):
                with pytest.warns(UserWarning, match="asynchronous"):
                    frame.to_parquet(str(tmp_path))
                with pytest.warns(UserWarning, match="asynchronous"):
                    assert frame.x.sum().compute() == 30
            assert (await c.compute(gd.read_parquet(str(tmp_path)))).y.sum() == 105

    asyncio.run(run())


def test_client_compute_builds_the_cluster_graph_once(client, monkeypatch):
    # dask's is_dask_collection asks for the graph (twice per compute) to see that it is not None:
    # the graph of a plan is built once and handed out as copies
    from gpuscale.runtime import distributed as gdist

    built = []
    original = gdist.cluster_graph

    def counting(expr, keep=(), layers=None):
        built.append(expr._name)
        return original(expr, keep, layers)

    monkeypatch.setattr(gdist, "cluster_graph", counting)
    pdf = pd.DataFrame({"k": [1, 2, 1, 3] * 5, "v": range(20)})
    frame = gd.from_pandas(pdf, npartitions=4)
    result = frame.groupby("k").v.sum()
    pd.testing.assert_series_equal(client.compute(result, sync=True), pdf.groupby("k").v.sum())
    assert len(built) == 1
    graph = result.__dask_graph__()
    graph.clear()  # a caller's change to its copy leaves the cached graph whole
    assert len(result.__dask_graph__()) > 0 and len(built) == 1


def test_collections_compute_inside_tasks_of_worker_processes():
    # dask's rule: inside a task, compute() uses the worker's client. A persisted collection handed to a task (or
    # scattered) holds the cluster's futures, which only the cluster can read: the local runtime gave a Series of
    # Future objects. A task computing a collection of its own waits outside the worker's only thread.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") \
            as cluster, distributed.Client(cluster) as client:
        pdf = pd.DataFrame({"x": [1, 2, 3]})
        frame = gd.from_pandas(pdf, npartitions=2).persist()
        scattered = client.scatter(frame)
        for handed in (frame, scattered):
            got = client.submit(lambda f: f.compute(), handed).result()
            pd.testing.assert_frame_equal(got, pdf)
        array = ga.arange(10, chunks=5).persist()
        assert client.submit(lambda a: int(a.sum().compute()), array).result() == 45
        assert client.submit(lambda n: int(ga.arange(n, chunks=3).sum().compute()), 10).result() == 45


def test_the_scheduler_records_the_callers_code_not_gpuscales(client):
    # distributed keeps the code that started each computation (the dashboard shows it); gpuscale's compute()
    # frames are skipped as dask's and xarray's are
    import dask

    with dask.config.set({"distributed.diagnostics.computations.nframes": 1}):
        assert int((ga.ones(6, chunks=3) + 1).sum().compute()) == 12  # this line's code is recorded
        gd.from_pandas(pd.DataFrame({"x": range(4)}), npartitions=2).x.sum().compute()

    def recorded(dask_scheduler):
        return [frame.code for computation in list(dask_scheduler.computations)[-2:] for frame in
                computation.code[0]]

    codes = client.run_on_scheduler(recorded)
    assert len(codes) == 2 and all("def test_the_scheduler_records_the_callers_code" in code for code in codes)


def test_normalize_collection_reuses_what_the_cluster_holds(client):
    # distributed's normalize_collection swaps tasks already computed on the cluster for their futures (it sets
    # the collection's .dask): the array is then computed from them
    x = ga.arange(2 ** 12, chunks=2 ** 8) * 2
    y = x.persist()
    distributed.wait(y)
    normalized = client.normalize_collection(x)
    assert {f.key for f in distributed.futures_of(normalized)} == {f.key for f in distributed.futures_of(y)}
    assert int(normalized.sum().compute()) == int(y.sum().compute()) == 2 * sum(range(2 ** 12))
    assert not distributed.futures_of(x)  # the original is untouched
    frame = gd.from_pandas(pd.DataFrame({"a": range(10)}), npartitions=2).a + 1
    kept = frame.persist()
    distributed.wait(kept)
    pd.testing.assert_series_equal(client.normalize_collection(frame).compute(), kept.compute())


def test_a_graph_set_as_dask_must_compute_the_collections_keys():
    x = ga.arange(4, chunks=2) + 1
    for collection in (x, gd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1)):
        with pytest.raises(ValueError, match="lacks .* keys"):
            collection.dask = {}
    rebuilt = ga.arange(4, chunks=2) + 1
    rebuilt.dask = dict(x.dask)  # the same tasks: the same values
    np.testing.assert_array_equal(rebuilt.compute(), np.arange(4) + 1)


def test_a_fused_array_on_a_cluster_keeps_its_name_in_its_keys(client):
    # the cluster graph's output keys carry x.name (as dask.array's): the futures of a persisted fused array and of
    # xarray's map_blocks over a fused argument are the blocks asked for
    xr = pytest.importorskip("xarray")
    data = np.arange(100.0).reshape(10, 10)
    y = (ga.from_array(data, chunks=5).rechunk(2) + 1) * 2
    assert {f.key[0] for f in distributed.futures_of(client.persist(y))} == {y.name}
    np.testing.assert_array_equal(client.compute(y).result(), (data + 1) * 2)
    with xr.set_options(chunk_manager="gpuscale"):
        a = xr.DataArray(data, dims=["x", "y"]).chunk({"x": 5, "y": 4})
        mapped = xr.map_blocks(lambda u, v: u + v, a, args=[a * 2 + 1]).persist()
        np.testing.assert_array_equal(mapped.values, data * 3 + 1)


def test_persist_together_collections_sharing_work(client):
    # one joint plan: each collection is rebuilt over its outputs there, whose keys are the joint plan's
    import gpuscale

    pdf = pd.DataFrame({"k": [1, 2, 1, 3], "x": [1.0, 2.0, 3.0, 4.0]})
    df = gd.from_pandas(pdf, npartitions=2)
    sums, plus, total = gpuscale.persist(df.groupby("k").x.sum(), df.x + 1, df.x.sum())
    pd.testing.assert_series_equal(sums.compute(), pdf.groupby("k").x.sum())
    pd.testing.assert_series_equal(plus.compute(), pdf.x + 1)
    assert total.compute() == pdf.x.sum()


def test_a_collection_persisted_on_the_cluster_is_refused_by_the_local_runtime(client):
    # the local runtime cannot read the cluster's futures: a clear error, not a Series of futures
    persisted = client.persist(gd.from_pandas(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}), npartitions=2).x)
    with pytest.raises(ValueError, match="held on a distributed cluster"):
        persisted.compute(scheduler="sync")
    pd.testing.assert_series_equal(persisted.compute(), pd.Series([1.0, 2.0, 3.0, 4.0], name="x"))
