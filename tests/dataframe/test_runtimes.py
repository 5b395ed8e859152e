"""Shuffles and joins on the local runtime under a memory limit (spilling) and on a distributed cluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in
import pytest

import gpuscale.dataframe as gd


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(1)
    n = 20_000
    left = pd.DataFrame({"k": rng.integers(0, 2_000, n), "v": rng.normal(size=n), "s": rng.choice(list("abc"), n)})
    right = pd.DataFrame({"k": np.arange(2_000), "w": np.arange(2_000) * 2.0})
    return left, right


def _pipeline(left, right):
    joined = left.merge(right, on="k", broadcast=False)
    grouped = joined.groupby("s").agg({"v": "sum", "w": "mean"}, split_out=2)
    ordered = joined.sort_values(["w", "v"])[["k", "v", "w"]]
    return grouped, ordered


def _expected(left, right):
    joined = left.merge(right, on="k")
    return (joined.groupby("s").agg({"v": "sum", "w": "mean"}),
            joined.sort_values(["w", "v"])[["k", "v", "w"]].reset_index(drop=True))


def _check(grouped, ordered, left, right):
    exp_grouped, exp_ordered = _expected(left, right)
    tm.assert_frame_equal(grouped.sort_index(), exp_grouped, rtol=1e-9)
    tm.assert_frame_equal(ordered.reset_index(drop=True), exp_ordered)


def test_shuffles_under_a_small_memory_limit(frames):
    left, right = frames
    dl, dr = gd.from_pandas(left, npartitions=8), gd.from_pandas(right, npartitions=4)
    grouped, ordered = _pipeline(dl, dr)
    import gpuscale

    g, o = gpuscale.compute(grouped, ordered, scheduler="threads", memory_limit="2MB")
    _check(g, o, left, right)


def test_shuffles_on_a_distributed_cluster(frames):
    skip_on_stand_in("worker processes import no stand-in")
    distributed = pytest.importorskip("distributed")
    left, right = frames
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dl, dr = gd.from_pandas(left, npartitions=6), gd.from_pandas(right, npartitions=3)
        grouped, ordered = _pipeline(dl, dr)
        _check(grouped.compute(scheduler=client), ordered.compute(scheduler=client), left, right)
        persisted = dl[dl.v > 0].persist(scheduler=client)
        assert len(persisted) == int((left.v > 0).sum())


def test_sorted_set_index_reads_its_divisions_on_the_cluster(pdf):
    # with a Client, the per-partition min/max run on the workers, not in the client process
    # (which for cuDF would create a CUDA context that cuda_workers keeps out of the client)
    skip_on_stand_in("worker processes import no stand-in")
    distributed = pytest.importorskip("distributed")
    ordered = pdf.sort_values("y").reset_index(drop=True)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        df = gd.from_pandas(ordered, npartitions=3, sort=False)
        with distributed.get_task_stream(client) as stream:
            out = df.set_index("y", sorted=True)
        assert any("min-max" in str(task["key"]) for task in stream.data)
        assert out.known_divisions and out.divisions[0] == ordered.y.min()
        tm.assert_frame_equal(out.compute(), ordered.set_index("y"))
