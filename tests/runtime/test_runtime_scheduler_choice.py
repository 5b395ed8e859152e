"""Graphs are built for the scheduler that runs them: a cluster's graph (P2P shuffles) only for a cluster.

``dask.compute`` / ``dask.persist`` with a local ``scheduler=`` (or dask's ``scheduler`` option) beside a
default client run on the local schedulers, and a client that is not the default one gets graphs for its
cluster (compared with pandas, as dask.dataframe computes them); ``dask.optimize`` gives collections that
compute wherever they are computed, not a graph fixed for the scheduler that was the default then."""

from __future__ import annotations

import dask
import pandas as pd
import pytest

import gpuscale
import gpuscale.dataframe as gd

distributed = pytest.importorskip("distributed")

FRAME = pd.DataFrame({"a": range(20, 0, -1), "k": [1, 2, 3, 4] * 5})
SORTED = FRAME.sort_values("a")


def _sorted() -> gd.DataFrame:
    return gd.from_pandas(FRAME, npartitions=3).sort_values("a")


def _merged() -> gd.DataFrame:
    right = gd.from_pandas(pd.DataFrame({"k": [1, 2, 3, 4], "b": [10, 20, 30, 40]}), npartitions=2)
    return gd.from_pandas(FRAME, npartitions=3).merge(right, on="k", shuffle_method="p2p")


def _check_sorted(result: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, SORTED)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_dask_compute_with_a_local_scheduler_beside_a_default_client(cluster, scheduler):
    with distributed.Client(cluster):
        _check_sorted(dask.compute(_sorted(), scheduler=scheduler)[0])
        (persisted,) = dask.persist(_sorted(), scheduler=scheduler)
        assert not distributed.futures_of(persisted)  # kept in this process
        _check_sorted(persisted.compute(scheduler="sync"))
        with dask.config.set(scheduler=scheduler):
            _check_sorted(dask.compute(_sorted())[0])
            _check_sorted(dask.persist(_sorted())[0].compute(scheduler="sync"))
        _check_sorted(dask.compute(_sorted())[0])  # the default client


def test_a_client_that_is_not_the_default_gets_graphs_for_its_cluster(cluster):
    expected = FRAME.merge(pd.DataFrame({"k": [1, 2, 3, 4], "b": [10, 20, 30, 40]}), on="k")
    expected = expected.sort_values(["a", "k"]).reset_index(drop=True)
    with distributed.Client(cluster, set_as_default=False) as client, \
            gpuscale.config.set({"dataframe.shuffle.method": "p2p"}):
        _check_sorted(client.compute(_sorted()).result())
        _check_sorted(client.persist(_sorted()).compute(scheduler=client))
        _check_sorted(dask.compute(_sorted(), scheduler=client)[0])
        merged = client.compute(_merged()).result().sort_values(["a", "k"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(merged, expected)


def test_client_compute_under_a_local_dask_scheduler_option(cluster):
    # the client runs what it is given, whatever dask's option names
    with distributed.Client(cluster, set_as_default=False) as client, dask.config.set(scheduler="sync"), \
            gpuscale.config.set({"dataframe.shuffle.method": "p2p"}):
        _check_sorted(client.compute(_sorted()).result())


def _optimizable() -> tuple:
    frame = gd.from_pandas(FRAME, npartitions=3)
    return frame.groupby("k").a.sum(), frame.sort_values("a"), frame.a.sum(), frame.a + 1


def _check_optimized(results: tuple) -> None:
    by_k, ordered, total, plus_one = results
    pd.testing.assert_series_equal(by_k, FRAME.groupby("k").a.sum())
    _check_sorted(ordered)
    assert total == FRAME.a.sum()
    pd.testing.assert_series_equal(plus_one, FRAME.a + 1)


def test_dask_optimize_gives_collections_that_compute():
    optimized = dask.optimize(*_optimizable())
    _check_optimized(tuple(c.compute() for c in optimized))
    _check_optimized(dask.compute(*optimized, scheduler="sync"))
    (alone,) = dask.optimize(_optimizable()[0])
    pd.testing.assert_series_equal(alone.compute(), FRAME.groupby("k").a.sum())


def test_dask_optimize_beside_a_default_client(cluster):
    with distributed.Client(cluster):
        optimized = dask.optimize(*_optimizable())
        _check_optimized(tuple(c.compute() for c in optimized))
        _check_optimized(dask.compute(*optimized, scheduler="sync"))


@pytest.mark.parametrize("name", ["sync", "synchronous", "single-threaded"])
def test_compute_follows_a_local_scheduler_set_in_dasks_config(name):
    # dask.config.set(scheduler="sync") (the usual way to debug) was ignored by .compute(): tasks still ran on
    # worker threads, while dask.compute of the same collection followed it
    import threading

    import gpuscale.array as ga

    main = threading.get_ident()
    x = ga.arange(6, chunks=3).map_blocks(lambda b: b * 0 + (threading.get_ident() == main), dtype=int)
    df = gd.from_pandas(pd.DataFrame({"a": range(6)}), npartitions=3)
    in_main = df.a.map_partitions(lambda s: s * 0 + (threading.get_ident() == main), meta=("a", int))
    with dask.config.set(scheduler=name):
        assert x.compute().all() and in_main.compute().all()
        assert dask.compute(x)[0].all()


def test_compute_follows_a_get_function_set_in_dasks_config():
    calls = []

    def get(graph, keys, **kwargs):
        calls.append(keys)
        return dask.get(graph, keys, **kwargs)

    df = gd.from_pandas(pd.DataFrame({"a": range(6)}), npartitions=3)
    with dask.config.set(scheduler=get):
        assert df.a.sum().compute() == 15
    assert len(calls) == 1
    with gpuscale.config.set(scheduler="threads"), dask.config.set(scheduler=get):  # gpuscale's own option wins
        assert df.a.sum().compute() == 15
    assert len(calls) == 1
