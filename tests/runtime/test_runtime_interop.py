"""Interop: dask collections computed by gpuscale.get, and graphs run on a distributed Client."""

from __future__ import annotations

import functools
import operator

import numpy as np
import pandas as pd
import pytest

from gpuscale.runtime import get


@pytest.fixture(params=["sync", "threads"])
def dask_get(request):
    return functools.partial(get, scheduler=request.param)


def test_dask_array_computation(dask_get):
    import dask
    import dask.array as da

    x = np.arange(400.0).reshape(20, 20)
    dx = da.from_array(x, chunks=(5, 7))
    expr = ((dx + dx.T) ** 2).sum(axis=0) / dx.mean()
    (result,) = dask.compute(expr, scheduler=dask_get)
    np.testing.assert_allclose(result, ((x + x.T) ** 2).sum(axis=0) / x.mean())


def test_dask_dataframe_computation(dask_get):
    import dask
    import dask.dataframe as dd

    pdf = pd.DataFrame({"g": np.arange(100) % 7, "v": np.arange(100.0), "w": np.ones(100)})
    ddf = dd.from_pandas(pdf, npartitions=4)
    expr = ddf[ddf.v > 10].groupby("g").agg({"v": "sum", "w": "count"})
    (result,) = dask.compute(expr, scheduler=dask_get)
    expected = pdf[pdf.v > 10].groupby("g").agg({"v": "sum", "w": "count"})
    pd.testing.assert_frame_equal(result.sort_index(), expected)


def test_dask_persist_through_gpuscale(dask_get):
    import dask
    import dask.array as da

    dx = da.arange(30, chunks=10) * 2
    (persisted,) = dask.persist(dx, scheduler=dask_get)
    np.testing.assert_array_equal(persisted.compute(scheduler="sync"), np.arange(30) * 2)


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield client


def inc(x):
    return x + 1


GRAPH = {"a": 1, "b": (inc, "a"), ("x", 0): (operator.add, "a", "b"), "c": (sum, ["a", "b"])}


def test_get_on_a_distributed_client(client):
    assert get(GRAPH, ["b", [("x", 0), "c"]], scheduler=client) == [2, [3, 3]]
    assert get(GRAPH, ("x", 0), scheduler=client) == 3


def test_distributed_by_name_and_as_default_client(client):
    import gpuscale

    assert get(GRAPH, "c", scheduler="distributed") == 3
    who = {"w": (lambda x, y: __import__("threading").current_thread().name, "x", "y"), "x": (int, 1), "y": (int, 2)}
    assert not get(who, "w").startswith("gpuscale-worker")  # default client picked up
    with gpuscale.config.set(use_default_client=False):
        assert get(who, "w").startswith("gpuscale-worker")


def test_distributed_error_keeps_type(client):
    def fail():
        raise ZeroDivisionError("on the cluster")

    with pytest.raises(ZeroDivisionError, match="on the cluster"):
        get({"f": (fail,)}, "f", scheduler=client)


@pytest.mark.filterwarnings("ignore:Computing mixed collections")  # (dask's, of its expressions beside graphs)
def test_dask_compute_of_gpuscale_collections_beside_delayed_and_dask_collections():
    # dask refuses collections of "differing default schedulers": gpuscale's runtime passes for dask's threaded
    # scheduler, so mixed calls run (in either order), and gpuscale.compute hands such calls to dask.compute
    import dask
    import dask.dataframe as dd

    import gpuscale
    import gpuscale.dataframe as gd

    frame = pd.DataFrame({"x": [1, 2, 3]})
    ours, theirs = gd.from_pandas(frame, npartitions=2), dd.from_pandas(frame, npartitions=2)
    one = dask.delayed(lambda: 1)()
    assert dask.compute(ours.x.sum(), one) == (6, 1)
    assert dask.compute(one, ours.x.sum(), theirs.x.max()) == (1, 6, 3)
    assert gd.compute(ours.x.sum(), one) == (6, 1)
    assert gpuscale.compute(theirs.x.sum(), [ours.x.max()]) == (6, [3])
    assert gd.compute(one, ours.x.sum(), traverse=False) == (1, 6)
    assert gd.compute(ours.x.sum(), 5) == (6, 5)  # plain values as they are
